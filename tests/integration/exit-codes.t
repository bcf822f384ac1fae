#!/bin/bash
# Each documented exit status, from a real cause in the lab.
. "$(dirname "$0")/common.sh"
lab_require
lab_up

a=$(lab_id alice-x11) b=$(lab_id bob-x11)
# logind's pid inside the container, where it is signalled
logind_pid() { lab_exec systemctl show systemd-logind -p MainPID --value; }

# 4: alice, unprivileged, may not end bob's session; polkit says no.
run_ms lab_as "$a" -- end "$b"
is "$RC" 4 "ending another user's session unprivileged: exit 4"
like "$ERR" "session '$b': " "names the session"
ok "observer: bob's session is untouched" exists "$b"
# ...but she may end her own.
x=$(lab_open tty alice)
run_ms lab_as "$a" -- end --wait "$x"
is "$RC" 0 "alice ends her own other session: exit 0"
ok "observer: it is gone" gone "$x"

# 6 and --force: a session whose processes ignore SIGTERM.
s=$(lab_open stubborn erin seat2)
ms end --wait --timeout 2s "$s"
is "$RC" 6 "end --wait of a session ignoring SIGTERM: exit 6"
like "$ERR" "session '$s': still present when the wait ended" "says it is still there"
ok "observer: the session is still there" exists "$s"
is "$(prop "$s" State)" closing "observer: it is closing"
ms end --wait --timeout 2s --force "$s"
is "$RC" 0 "end --wait --force: exit 0"
ok "observer: gone after SIGKILL" gone "$s"

# 7: nothing can release a station that has no greeter.
lab_exec loginctl terminate-session "$(lab_id greeter2)"
wait_until 10 gone "$(lab_id greeter2)"
s=$(lab_open x11 erin seat2)
ms disconnect "$s"
is "$RC" 7 "disconnect on a station without a greeter: exit 7"
like "$ERR" "session '$s': no greeter session on the station" "says why"
is "$(seat_active seat2)" "$s" "observer: the session is still in front"

# 130 after acting: SIGINT while end --wait waits; the output says what happened.
s=$(lab_open stubborn erin)
out=$(mktemp)
lab_exec "$MPSESSION" end --wait --timeout 60s "$s" >"$out" 2>&1 &
job=$!
ok "observer: the session starts closing" wait_until 10 prop_is "$s" State closing
pid=$(pgrep -f "mpsession end --wait --timeout 60s $s" | tail -1)
kill -INT "$pid"
wait "$job"
is "$?" 130 "SIGINT during the wait: exit 130"
like "$(cat "$out")" "$s +erin +- +interrupted" "the output names the interrupted target"
rm -f "$out"
lab_exec loginctl kill-session --signal=KILL "$s"

# 130 before acting: SIGINT while logind is not answering; nothing changes.
lp=$(logind_pid)
lab_exec kill -STOP "$lp"
lab_exec "$MPSESSION" end "$b" >/dev/null 2>&1 &
job=$!
blocked() {
	local p
	p=$(pgrep -f "mpsession end $b" | tail -1)
	[[ -n $p && $(cat "/proc/$p/wchan" 2>/dev/null) == *poll* ]]
}
ok "mpsession is waiting for logind" wait_until 10 blocked
kill -TERM "$(pgrep -f "mpsession end $b" | tail -1)"
wait "$job"
is "$?" 130 "SIGTERM before anything was done: exit 130"
# a call logind never answers: the call timeout holds
ms --timeout 2s list
is "$RC" 5 "logind stopped (SIGSTOP): exit 5 after the call timeout"
like "$ERR" "systemd-logind" "the message names logind"
lab_exec kill -CONT "$lp"
ok "observer: bob's session survived" exists "$b"
is "$(prop "$b" State)" active "observer: and is still active"

# 5: logind not running at all (masked, so the bus cannot start it).
lab_exec systemctl mask --runtime -q systemd-logind
lab_exec systemctl stop systemd-logind
ms list
is "$RC" 5 "logind stopped: exit 5"
like "$ERR" "systemd-logind is not running" "the message names logind"
is "$OUT" "" "stdout stays empty"
ms end --all
is "$RC" 5 "end with logind stopped: exit 5"
lab_exec systemctl unmask --runtime -q systemd-logind
lab_exec systemctl start systemd-logind
ms list
is "$RC" 0 "logind back: exit 0"

done_testing
