#!/bin/bash
# mpsession end: one session, a selection, all; --wait, --dry-run, and the
# session that is gone between selection and action.
. "$(dirname "$0")/common.sh"
lab_require
lab_up

a=$(lab_id alice-x11) b=$(lab_id bob-x11) t=$(lab_id carol-tty) bg=$(lab_id dave-bg)
g0=$(lab_id greeter0) g1=$(lab_id greeter1) g2=$(lab_id greeter2)

# --dry-run changes nothing
before=$(session_ids)
ms end --all --dry-run
is "$RC" 0 "end --all --dry-run exits 0"
like "$OUT" "$a +alice +seat0 +would-end" "dry run names alice's session"
like "$OUT" "$t +carol +- +would-end" "dry run names the text session"
if [[ $OUT == *"$bg"* || $OUT == *"$g0 "* ]]; then
	fail "dry run: greeters and background sessions are left out by default"
else
	pass "dry run: greeters and background sessions are left out by default"
fi
is "$(session_ids)" "$before" "dry run: logind's sessions unchanged"
is "$(prop "$a" State)" active "dry run: alice's session still active"

# one session, waiting until it is really gone
x=$(lab_open tty erin)
ms end --wait "$x"
is "$RC" 0 "end --wait SESSION exits 0"
like "$OUT" "$x +erin +- +ended" "reports it ended"
ok "observer: the session is gone when end --wait returns" gone "$x"

# without --wait it returns at once, and the session does go
x=$(lab_open tty erin)
ms -q end "$x"
is "$RC" 0 "end without --wait exits 0"
is "$OUT" "" "--quiet prints nothing"
ok "observer: the session goes away" wait_until 10 gone "$x"

# already gone: a named session that no longer exists is "not found", but one
# that goes between selection and action counts as ended
ms end c4711
is "$RC" 3 "end of an unknown session: exit 3"
like "$ERR" "'c4711': no such session" "names the unknown session"

x=$(lab_open tty erin) y=$(lab_open tty erin)
race end "$x" "$y"
is "$RACE_RC" 0 "the action reports no failure"
like "$RACE_OUT" "$x 0 gone" "the vanished session counts as done, marked gone"
like "$RACE_OUT" "$y 0 -" "the other one is ended normally"
ok "observer: both are gone" gone "$y"

# a selection by user: only that user's sessions
x=$(lab_open tty erin) y=$(lab_open tty erin)
ms end --wait --user erin
is "$RC" 0 "end --user erin exits 0"
ok "observer: erin's sessions are gone" gone "$x"
ok "observer: both of them" gone "$y"
ok "observer: alice's session is untouched" exists "$a"

# nothing matches: success, with a note
ms end --user erin
is "$RC" 0 "a selection matching nothing exits 0"
like "$ERR" "no session matches the selection" "with a note on stderr"
ms --json end --user erin
is "$OUT" '{"results":[]}' "JSON: an empty result list"

# by station: bob's session on seat1, never seat1's greeter
ms --json end --wait --station seat1
is "$RC" 0 "end --station seat1 exits 0"
is "$(jq -r '[.results[].session] | join(" ")' <<<"$OUT")" "$b" "JSON: only bob's session"
is "$(jq -r '.results[0].result' <<<"$OUT")" ended "JSON: result ended"
ok "observer: bob's session is gone" gone "$b"
ok "observer: seat1's greeter is still there" exists "$g1"

# log off all stations
ms end --all --wait
is "$RC" 0 "end --all --wait exits 0"
ok "observer: alice's session is gone" gone "$a"
ok "observer: the text session is gone" gone "$t"
ok "observer: the background session is kept" exists "$bg"
ok "observer: greeters are kept" exists "$g0"
ok "observer: seat2's greeter too" exists "$g2"
ms end --all
is "$RC" 0 "end --all again: nothing left, still 0"

# explicit ids are taken as given: a background session and a greeter end too
ms end --wait "$bg" "$g2"
is "$RC" 0 "end of a named background session and greeter: exit 0"
like "$OUT" "$bg +dave +- +ended" "the background session ended"
like "$OUT" "$g2 +lightdm +seat2 +ended" "the greeter ended"
ok "observer: the background session is gone" gone "$bg"
ok "observer: seat2's greeter is gone" gone "$g2"

done_testing
