#!/bin/bash
# Faults against the real logind: a stopped logind during a wait, signals at
# each phase, unprivileged callers, a session gone between selection and
# action, logind killed and restarted during a wait, the system bus killed
# and gone.  exit-codes.t already covers logind stopped or masked before a
# call, SIGSTOP before acting, SIGINT during a wait on one session, a session
# ignoring SIGTERM (6, then --force), and alice on bob's session (4) and on
# her own; end.t the race of 'end' through race-helper.  Faults that break the
# lab for what follows (logind restarted, the bus killed) come last.
. "$(dirname "$0")/common.sh"
lab_require
lab_up

a=$(lab_id alice-x11) b=$(lab_id bob-x11) t=$(lab_id carol-tty)
logind_pid() { lab_exec systemctl show systemd-logind -p MainPID --value; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# bg_ms TAG ARGS...: mpsession in the lab in the background; its stdout in
# $TMP/TAG.out, stderr in $TMP/TAG.err, exit status in $TMP/TAG.rc.  TAG must
# be unique: it is how ms_pid finds the process.
TMP=$(mktemp -d)
# after lab_up: its EXIT trap tears the lab down, and this one must too
trap 'rm -rf "$TMP"; _lab_cleanup' EXIT
bg_ms() {
	local tag=$1
	shift
	{
		now_ms >"$TMP/$tag.t0"
		lab_exec env "MPSESSION_TEST_TAG=$tag" "$MPSESSION" "$@" >"$TMP/$tag.out" \
			2>"$TMP/$tag.err"
		echo $? >"$TMP/$tag.rc2"
		now_ms >"$TMP/$tag.t1"
		mv "$TMP/$tag.rc2" "$TMP/$tag.rc"
	} &
}
# how long the run TAG took, in ms, lab_exec included
took() { echo $(($(cat "$TMP/$1.t1") - $(cat "$TMP/$1.t0"))); }
# the host pid of the mpsession started as TAG
ms_pid() {
	local p
	for p in $(pgrep -f "^$MPSESSION "); do
		if tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "MPSESSION_TEST_TAG=$1"; then
			echo "$p"
			return 0
		fi
	done
	return 1
}
finished() { [[ -s $TMP/$1.rc ]]; }
rc_of() { cat "$TMP/$1.rc"; }
lines() { printf '%s\n' "$1" | grep -c .; }

# ---- a call that never answers during the wait: the deadline holds ----
s=$(lab_open stubborn erin)
bg_ms stopped end --wait --timeout 3s "$s"
ok "observer: the stubborn session is closing" wait_until 10 prop_is "$s" State closing
lp=$(logind_pid)
lab_exec kill -STOP "$lp"
ok "end --wait returns while logind is stopped" wait_until 10 finished stopped
lab_exec kill -CONT "$lp"
is "$(rc_of stopped)" 6 "logind stopped during the wait: exit 6 (timeout)"
ok "it returned at the 3 s deadline, give or take lab_exec ($(took stopped) ms)" \
	test "$(took stopped)" -lt 5000
like "$(cat "$TMP/stopped.out")" "$s +erin +- +timeout" "the output says the session timed out"
is "$(lines "$(cat "$TMP/stopped.err")")" 1 "one line on stderr"
lab_exec loginctl kill-session --signal=KILL "$s"
ok "observer: the stubborn session ends with SIGKILL" wait_until 10 gone "$s"

# ---- SIGINT before acting: nothing changes, nothing on stdout ----
lab_exec kill -STOP "$lp"
bg_ms int-before --json end --all
blocked() {
	local p
	p=$(ms_pid "$1")
	[[ -n $p && $(cat "/proc/$p/wchan" 2>/dev/null) == *poll* ]]
}
ok "mpsession is waiting for logind's answer" wait_until 10 blocked int-before
kill -INT "$(ms_pid int-before)"
ok "it returns on SIGINT" wait_until 10 finished int-before
lab_exec kill -CONT "$lp"
is "$(rc_of int-before)" 130 "SIGINT before anything was done: exit 130"
is "$(cat "$TMP/int-before.out")" "" "JSON mode: stdout stays empty"
like "$(cat "$TMP/int-before.err")" "interrupted" "stderr says it was interrupted"
ok "observer: alice's session is untouched" prop_is "$a" State active
ok "observer: bob's session is untouched" prop_is "$b" State active
ok "observer: carol's session is untouched" exists "$t"

# ---- SIGTERM during a wait on two targets, one done: it says which ----
x=$(lab_open tty erin) s=$(lab_open stubborn erin)
bg_ms term-mixed --json end --wait --timeout 60s "$x" "$s"
ok "observer: the text session is gone" wait_until 15 gone "$x"
ok "observer: the stubborn one is closing" prop_is "$s" State closing
kill -TERM "$(ms_pid term-mixed)"
ok "end --wait returns on SIGTERM" wait_until 10 finished term-mixed
is "$(rc_of term-mixed)" 130 "SIGTERM during the wait: exit 130"
json=$(cat "$TMP/term-mixed.out")
is "$(jq -r --arg x "$x" '.results[] | select(.session == $x) | .result' <<<"$json")" ended \
	"JSON: the session that went is 'ended'"
is "$(jq -r --arg s "$s" '.results[] | select(.session == $s) | .result' <<<"$json")" \
	interrupted "JSON: the one still there is 'interrupted'"
like "$(cat "$TMP/term-mixed.err")" "session '$s': interrupted" "stderr names the interrupted one"
unlike_err=$(grep -c "'$x'" "$TMP/term-mixed.err")
is "$unlike_err" 0 "stderr does not call the ended one a failure"
lab_exec loginctl kill-session --signal=KILL "$s"
wait_until 10 gone "$s"

# mpsession waits for changes: its connection holds the two match rules of a
# wait (the bus daemon counts them), so it has taken its snapshot and acted.
# One mpsession at a time runs in this test.
watching() {
	local u
	u=$(lab_exec busctl --system list --no-legend | awk '$3 == "mpsession" { print $1; exit }')
	[[ -n $u ]] && lab_exec busctl --system call org.freedesktop.DBus /org/freedesktop/DBus \
		org.freedesktop.DBus.Debug.Stats GetConnectionStats s "$u" |
		grep -q '"MatchRules" u [2-9]'
}

# ---- SIGINT during lock --wait: a text session has no locker to confirm ----
bg_ms int-lock lock --wait --timeout 60s "$t"
ok "lock --wait is waiting" wait_until 10 watching
kill -INT "$(ms_pid int-lock)"
ok "lock --wait returns on SIGINT" wait_until 10 finished int-lock
is "$(rc_of int-lock)" 130 "SIGINT during lock --wait: exit 130"
like "$(cat "$TMP/int-lock.out")" "$t +carol +- +interrupted" "the output names it interrupted"
ok "observer: carol's session is still there" exists "$t"

# ---- unprivileged callers ----
run_ms lab_as "$a" -- lock "$b"
is "$RC" 4 "alice locking bob's session: exit 4"
like "$ERR" "session '$b': " "names the session"
run_ms lab_as "$a" -- lock "$a"
is "$RC" 0 "alice locking her own session: exit 0"
run_ms lab_as "$a" -- end --all
is "$RC" 4 "alice ending everyone else's sessions: exit 4, every one refused"
is "$(lines "$ERR")" "$(($(lines "$OUT") - 1))" "one line on stderr per refused target"
ok "observer: bob's session is untouched" prop_is "$b" State active
ok "observer: carol's session is untouched" exists "$t"
run_ms lab_user erin -- end "$b"
is "$RC" 4 "a user in no session ending bob's: exit 4"
ok "observer: bob's session is still there" prop_is "$b" State active

# ---- lock: a session gone between selection and action ----
x=$(lab_open tty erin) y=$(lab_open tty erin)
race lock "$x" "$y"
like "$RACE_OUT" "$x -?[0-9]+ gone" "lock: the vanished session is marked gone"
like "$RACE_OUT" "$y 0 -" "lock: the other one is locked normally"
lab_exec loginctl terminate-session "$y"

# ---- logind killed and restarted by systemd during end --wait ----
# systemd starts logind again only once the stop jobs of the session scopes
# are done (they are ordered after it), so the targets are text sessions,
# which end 2 s after SIGTERM: their SessionRemoved may come while logind is
# down, and mpsession must look again when logind is back.
x=$(lab_open tty erin) y=$(lab_open tty erin)
bg_ms restart end --wait --timeout 20s "$x" "$y"
# closing, or already gone on a slow machine: either way it was asked to end
closing_or_gone() { prop_is "$y" State closing || gone "$y"; }
ok "observer: the sessions are closing" wait_until 10 closing_or_gone
lp=$(logind_pid)
lab_exec kill -KILL "$lp"
restarted() {
	local p
	p=$(logind_pid)
	[[ -n $p && $p != 0 && $p != "$lp" ]]
}
ok "observer: systemd restarted logind" wait_until 15 restarted
ok "end --wait returns" wait_until 15 finished restart
is "$(rc_of restart)" 0 "logind restarted during the wait: exit 0"
ok "long before the 20 s deadline ($(took restart) ms)" test "$(took restart)" -lt 10000
like "$(cat "$TMP/restart.out")" "$x +erin +- +ended" "the first session is reported ended"
like "$(cat "$TMP/restart.out")" "$y +erin +- +ended" "the second one too"
is "$(cat "$TMP/restart.err")" "" "nothing on stderr"
ok "observer: the first session is gone" gone "$x"
ok "observer: the second one too" gone "$y"
ms list
is "$RC" 0 "mpsession list works against the restarted logind"

# ---- the system bus killed during a wait ----
bg_ms buskill lock --wait --timeout 60s "$t"
ok "lock --wait is waiting" wait_until 10 watching
lab_exec systemctl kill --signal=KILL dbus.service
ok "lock --wait returns when the bus dies" wait_until 10 finished buskill
is "$(rc_of buskill)" 5 "system bus killed during the wait: exit 5"
ok "at once, not at the 60 s deadline ($(took buskill) ms)" test "$(took buskill)" -lt 15000
is "$(lines "$(cat "$TMP/buskill.err")")" 1 "one line on stderr"
like "$(cat "$TMP/buskill.err")" "^mpsession: lock: lost the connection to the system bus: " \
	"it says the bus went"

# ---- the system bus gone before a call: socket removed ----
lab_exec systemctl stop dbus.socket dbus.service
ms list
is "$RC" 5 "no system bus socket: exit 5"
like "$ERR" "cannot connect to the system bus" "says so"
is "$OUT" "" "stdout stays empty"

done_testing
