#!/bin/bash
# Bad input, in the lab against real sessions: every case gets one clear line
# on stderr with no control byte in it, exit 2 (usage) or 3 (not found) as
# mpsession(1) says, nothing on stdout, and logind's sessions are exactly as
# they were.  cli.t checks the wording of the common cases on the host; this
# is the hostile list, and checks that nothing was acted on.
. "$(dirname "$0")/common.sh"
lab_require
lab_up

a=$(lab_id alice-x11) b=$(lab_id bob-x11) t=$(lab_id carol-tty)
TMP=$(mktemp -d)
# after lab_up: its EXIT trap tears the lab down, and this one must too
trap 'rm -rf "$TMP"; _lab_cleanup' EXIT

# Every session with what an action would change, in one call into the lab.
fingerprint() {
	lab_exec sh -c 'for s in $(loginctl list-sessions --no-legend | awk "{print \$1}"); do
		loginctl show-session "$s" -p Id -p State -p Active -p LockedHint | tr "\n" " "
		echo; done' | sort
}
before=$(fingerprint)
like "$before" "Id=$a State=active|State=active.*Id=$a" "the lab's sessions are there to be kept"

# ERR has no C0 control byte but tab, no DEL and no C1 control in UTF-8.
err_is_clean() {
	! LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' <<<"$ERR" &&
		! LC_ALL=C grep -q $'\xc2[\x80-\x9f]' <<<"$ERR"
}

# check DESC STATUS REGEX ARGS...: mpsession ARGS as root in the lab.
check() {
	local desc=$1 want=$2 regex=$3
	shift 3
	run_ms lab_exec -- "$@"
	verdict "$desc" "$want" "$regex"
}
# check_shell DESC STATUS REGEX FILE: the lines of FILE fed to 'mpsession shell'.
check_shell() {
	local desc=$1 want=$2 regex=$3 file=$4
	run_ms lab_exec -- shell <"$file"
	verdict "$desc" "$want" "$regex"
}
verdict() {
	local desc=$1 want=$2 regex=$3 after
	is "$RC" "$want" "$desc: exit $want"
	is "$OUT" "" "$desc: stdout stays empty"
	is "$(printf '%s\n' "$ERR" | wc -l)" 1 "$desc: one line on stderr"
	like "$ERR" "$regex" "$desc: names what was wrong"
	ok "$desc: no control byte on stderr" err_is_clean
	ok "$desc: at most 1100 bytes on stderr" test "${#ERR}" -le 1100
	after=$(fingerprint)
	is "$after" "$before" "$desc: observer: every session as it was"
}

# ---- many ids, one wrong ----
ids=()
for i in $(seq 100000 103999); do ids+=("c$i"); done
check "4000 unknown ids and alice's" 3 "no such session" end "${ids[@]}" "$a"
check "4000 ids, alice's and one with a slash" 2 "invalid session id 'c/1'" \
	end "$a" "${ids[@]}" c/1
check "4000 ids after a real one, lock" 3 "no such session" lock "$b" "${ids[@]}"
printf 'end %s %s\n' "$a" "${ids[*]}" >"$TMP/line"
check_shell "4000 ids on one shell line" 3 "no such session" "$TMP/line"

# ---- ids that are not ids ----
for id in "c2/" "../$a" "$a/.." "." ".." "$a." " $a" "$a " "c 2" $'c2\xff' $'\xc3\x28' \
	"-" "$a,$b" "*" "c2;reboot" '$(reboot)' "$a"$'\n'"$b"; do
	check "id '$(printf %q "$id")'" 2 "invalid session id" end "$b" "$id"
done
check "a leading dash is an option" 2 "end: -$a: unknown option" end "-$a"
check "a leading dash after --" 2 "invalid session id '-$a'" end -- "-$a"
check "two leading dashes after --" 2 "invalid session id '--all'" end -- --all

# ---- a megabyte of input ----
big=$(head -c 131000 /dev/zero | tr '\0' c)	# the kernel's limit for one argument is 128 KiB
check "a 128 KiB id" 2 "invalid session id 'c+\.\.\.$" end "$b" "$big"
check "a 128 KiB user" 2 "--user: invalid value 'c+\.\.\.$" end --user "$big"
check "a 128 KiB duration" 2 "--timeout: invalid duration 'c+\.\.\.$" end --timeout "$big" "$b"
check "a 128 KiB verb" 2 "unknown verb 'c+\.\.\.$" "$big"
check "a 128 KiB option" 2 "--c+\.\.\.$" end "--$big"
many=()
for i in 1 2 3 4 5 6 7 8; do many+=("$big"); done
check "eight 128 KiB ids, a megabyte" 2 "invalid session id 'c+\.\.\.$" end "${many[@]}"
{ printf 'end %s ' "$b"; head -c 1048576 /dev/zero | tr '\0' c; echo; } >"$TMP/line"
check_shell "a megabyte shell line" 2 "invalid session id 'c+\.\.\.$" "$TMP/line"

# ---- escape sequences and control bytes ----
esc=$'\e]0;owned\a\e[2J\e[31m'
check "escape sequences in an id" 2 "invalid session id '\?\]0;owned\?\?\[2J\?\[31m'" end "$esc"
check "escape sequences in a user" 2 "--user: invalid value" end --user "alice$esc"
check "escape sequences in a station" 2 "--station: invalid value" end --station "seat1$esc"
check "escape sequences in a duration" 2 "--timeout: invalid duration" end --timeout "5$esc" "$b"
check "escape sequences in a verb" 2 "unknown verb" "$esc"
check "escape sequences in an option" 2 "unknown option" end "--all$esc"
check "a CSI as C1 control (UTF-8)" 2 "invalid session id" end $'c\xc2\x9b2J'
check "a raw C1 byte" 2 "invalid session id" end $'c\x9b2J'
check "carriage return and backspace" 2 "invalid session id" end $'c2\r\bc3'
check "a newline in a class" 2 "--class: invalid value 'user\?greeter'" end --class $'user\ngreeter'
printf 'end %s\n' "$esc" >"$TMP/line"
check_shell "escape sequences in a shell line" 2 "invalid session id" "$TMP/line"

# ---- empty strings ----
check "empty verb" 2 "unknown verb ''" ''
check "empty id" 2 "invalid session id ''" end "$b" ''
check "empty user" 2 "--user: invalid value ''" end --user ''
check "empty station" 2 "--station: invalid value ''" lock --station ''
check "empty class" 2 "--class: invalid value ''" end --class ''
check "empty state" 2 "--state: invalid value ''" end --state ''
check "empty duration" 2 "--timeout: invalid duration ''" end --wait --timeout '' "$b"
check "empty list element" 2 "--user: invalid value 'alice,'" end --user alice,
check "only a comma" 2 "--station: invalid value ','" end --station ,
check "a double comma" 2 "--user: invalid value 'alice,,bob'" end --user alice,,bob

# ---- durations ----
for d in -1 -0 0 00 +5 1.5s 0x10 1e3 ' 5' '5 ' 5ss s m 5d 1w 8days 5m-1s \
	604801 169h 10081m 99999999999999999999 18446744073709551616 1h99999999999999m; do
	check "duration '$d'" 2 "--timeout: invalid duration '$(sed 's/[.+]/\\&/g' <<<"$d")'" \
		end --wait --timeout "$d" "$b"
done
ms --timeout 604800 end --dry-run "$b"
is "$RC" 0 "a week exactly is a valid --timeout"

# ---- unknown verbs and options ----
check "unknown verb" 2 "unknown verb 'terminate'" terminate "$b"
check "verb in upper case" 2 "unknown verb 'END'" END "$b"
check "unknown option" 2 "--kill: unknown option" end --kill "$b"
check "unknown short option" 2 "-x: unknown option" end -x "$b"
check "argument to a flag" 2 "--all=yes: option does not take an argument" end --all=yes
check "argument to a global flag" 2 "--json=1: option does not take an argument" --json=1 list
check "option of another verb" 2 "lock: --force: unknown option" lock --wait --force "$b"
check "missing option argument" 2 "--timeout: missing argument" end "$b" --timeout

# ---- conflicting options ----
check "ids with --all" 2 "session ids cannot be combined with --all or filters" end "$b" --all
check "ids with --user" 2 "session ids cannot be combined" end --user bob "$b"
check "ids with --station" 2 "session ids cannot be combined" lock --station seat1 "$b"
check "--force without --wait" 2 "--force needs --wait" end --force "$b"
check "two sessions to resume" 2 "too many arguments, from '$b' on" resume "$a" "$b"
check "a selection for list" 2 "list: --all: unknown option|list: unexpected argument" \
	list "$a"

# ---- what does not exist ----
check "unknown session" 3 "'c4711': no such session" end c4711
check "unknown user" 3 "'nosuchuser': no such user" end --user nosuchuser
check "unknown station" 3 "'seat9': no such station" lock --station seat9
check "self, outside any session" 3 "not running in a session" end self

is "$(fingerprint)" "$before" "observer: after all of it, every session as it was"

done_testing
