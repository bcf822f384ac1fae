#!/bin/bash
# Warnings before ending or suspending, and the message verb: text sessions on
# their pty, graphical sessions through a notification server on the user's own
# session bus (tests/lab/notifyd: a stand-in for a desktop's notification
# daemon, which the lab has none of; the bus and the credentials it reports
# are real), the grace period, and its cancellation.
. "$(dirname "$0")/common.sh"
lab_require
lab_up

a=$(lab_id alice-x11) b=$(lab_id bob-x11) c=$(lab_id carol-tty) d=$(lab_id dave-bg)
clog=$(lab_ttylog carol-tty)
nlog=${LAB_STATE_ROOT:-/run/mpsession-lab}/$LAB/share/log/notify-alice.log
esc=$'\e'

# alice's desktop gets a notification server on her session bus
lab_as "$a" /usr/bin/python3 "$REPO/tests/lab/notifyd" /var/lib/mpsession-lab/log/notify-alice.log \
	>/dev/null 2>&1 &
ready() { grep -q '"ready": true' "$1" 2>/dev/null; }
ok "a notification server runs on alice's session bus" wait_until 20 ready "$nlog"
notes() { grep -c '"app": "mpsession"' "$nlog"; }
last_note() { grep '"app": "mpsession"' "$nlog" | tail -1; }
field() { jq -r ".$1" <<<"$(last_note)"; }

# ---- message: text session ----
ms message "$c" "Lunch is ready"
is "$RC" 0 "message to a text session: exit 0"
like "$OUT" "$c +carol +- +terminal" "the result says it went to the terminal"
ok "the pty shows the heading" grep -q 'Message from the system administrator' "$clog"
ok "the pty shows the text" grep -q 'Lunch is ready' "$clog"

ms message "$c" "${esc}[31mred${esc}]0;pwned"$'\a'" plain${esc}[2J"$'\x01\x7f'" end"
is "$RC" 0 "a message with escape sequences and control bytes: exit 0"
ok "its text arrives" grep -q 'red plain end' "$clog"
ok "no colour escape reached the terminal" bash -c "! grep -qF $'\e[31m' '$clog'"
ok "no clear-screen escape reached the terminal" bash -c "! grep -qF $'\e[2J' '$clog'"
ok "no title-setting sequence reached it" bash -c "! grep -q pwned '$clog'"

# ---- message: graphical sessions ----
before=$(notes)
ms --json message "$a" "Disk quota <almost> full & more"
is "$RC" 0 "message to alice's graphical session: exit 0"
is "$(jq -r '.results[0].result' <<<"$OUT")" notification "JSON: delivered as a notification"
ok "the notification server got one Notify call" wait_until 5 test "$(notes)" -gt "$before"
is "$(field uid)" "$(lab_exec id -u alice)" "the server saw alice's uid, not root's"
is "$(field 'gids | join(" ")')" "$(lab_exec id -G alice | tr ' ' '\n' | sort -n | tr '\n' ' ' | sed 's/ $//')" \
	"the server saw exactly alice's groups"
is "$(field urgency)" 2 "critical urgency"
is "$(field body)" "Disk quota &lt;almost&gt; full &amp; more" "markup escaped for a server that reads it"

ms --json message "$b" "Hello bob"
is "$RC" 1 "bob's desktop has no notification server: exit 1"
is "$(jq -r '.results[0].result' <<<"$OUT")" not-delivered "JSON: not delivered"
like "$ERR" "session '$b': no notification server" "stderr names the session and why"

ms message "$d" "Hello dave"
is "$RC" 7 "a background session has no terminal and no display: exit 7"
like "$ERR" "session '$d': the session has no terminal and no display" "says so"

ms message --user alice --user bob "Two users"
is "$RC" 1 "one reached, one not: exit 1"

# ---- a TTY that is a symlink, even to a real terminal, is never followed ----
lab_exec ln -sf "/dev/$(prop "$c" TTY)" /dev/evil
lab_exec systemd-run -q -p PAMName=login -p User=erin -p TTYPath=/dev/evil --unit=evil \
	sleep infinity
evil_id() { lab_exec loginctl show-user erin -p Sessions --value 2>/dev/null | awk '{print $1}'; }
ok "a session whose TTY is a symlink to carol's terminal" wait_until 10 test -n "$(evil_id)"
e=$(evil_id)
ms message "$e" "Followed the link"
is "$RC" 1 "its message is not delivered: exit 1"
like "$ERR" "session '$e': its terminal is not a terminal" "says why"
ok "carol's terminal did not get it" bash -c "! grep -q 'Followed the link' '$clog'"
lab_exec systemctl stop evil
ok "observer: that session ends" wait_until 10 test -z "$(evil_id)"

# ---- one user on two stations gets one notification; a server without markup ----
e1=$(lab_open x11 erin seat2) e2=$(lab_open x11 erin seat2)
elog=${nlog%/*}/notify-erin.log
lab_as "$e1" /usr/bin/python3 "$REPO/tests/lab/notifyd" /var/lib/mpsession-lab/log/notify-erin.log \
	--no-markup >/dev/null 2>&1 &
ok "a notification server without markup on erin's bus" \
	wait_until 20 ready "$elog"
ms --json message "$e1" "$e2" "x < y & z"
is "$RC" 0 "both of erin's sessions: exit 0"
is "$(jq -r '[.results[].result] | join(" ")' <<<"$OUT")" "notification notification" \
	"both report a notification"
is "$(grep -c '"app": "mpsession"' "$elog")" 1 "the shared session bus got one Notify call"
is "$(grep '"app": "mpsession"' "$elog" | jq -r .body)" "x < y & z" "no markup escaped for a server without it"

# ---- a caller that is not root: its own desktop, nobody else's ----
run_ms lab_as "$a" -- message "$a" "Note to self"
is "$RC" 0 "alice, unprivileged, messages her own session: exit 0"
is "$(field body)" "Note to self" "her desktop got it"
is "$(field uid)" "$(lab_exec id -u alice)" "from her own uid"
run_ms lab_as "$a" -- message "$c" "Hi carol"
is "$RC" 4 "alice messages carol's terminal: exit 4"
like "$ERR" "session '$c': " "names carol's session"
ok "carol's terminal did not get it" bash -c "! grep -q 'Hi carol' '$clog'"

# ---- a notification server that never answers costs the deadline, no more ----
lab_as "$b" /usr/bin/python3 "$REPO/tests/lab/notifyd" /var/lib/mpsession-lab/log/notify-bob.log \
	--hang >/dev/null 2>&1 &
ok "a silent notification server on bob's bus" \
	wait_until 20 ready "${nlog%/*}/notify-bob.log"
t0=$(date +%s%N)
ms --timeout 2s message "$b" "Anyone?"
t=$((($(date +%s%N) - t0) / 1000000))
is "$RC" 6 "no answer: exit 6"
like "$ERR" "session '$b': no answer in time" "says so"
ok "within the 2 s deadline and a little (${t} ms)" test "$t" -lt 5000
no_notifier() { ! lab_exec pgrep -u bob -x mpsession >/dev/null; }
ok "no notifier is left behind" no_notifier
lab_exec pkill -u bob -f notifyd

# ---- a stuck terminal costs the deadline, and holds up nobody else ----
ctty=/dev/$(prop "$c" TTY)
flow() { lab_exec python3 -c "import os, sys, termios
fd = os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY)
termios.tcflow(fd, getattr(termios, sys.argv[2]))" "$ctty" "$1"; }
flow TCOOFF
t0=$(date +%s%N)
ms --json --timeout 2s message "$c" "$a" "Stuck?"
t=$((($(date +%s%N) - t0) / 1000000))
flow TCOON
is "$RC" 6 "one terminal with its output stopped: exit 6 (its only failure is a timeout)"
is "$(jq -r '[.results[] | .session + "=" + .result] | join(" ")' <<<"$OUT")" \
	"$a=notification $c=not-delivered" "the desktop got it, the stopped terminal did not"
like "$ERR" "session '$c': no answer in time" "says the terminal did not take it in time"
ok "the run took the 2 s deadline, not more (${t} ms)" test "$t" -lt 6000

# ---- bad input: one line, exit 2, nothing sent or changed ----
lines_before=$(wc -l <"$clog")
ms end --grace 5x "$c"
is "$RC" 2 "--grace 5x: exit 2"
like "$ERR" "--grace: invalid duration '5x'" "names the option and value"
is "$OUT" "" "stdout stays clean"
ms end --reason lunch "$c"
is "$RC" 2 "--reason lunch: exit 2"
like "$ERR" "unknown reason 'lunch'" "names the reason"
ms end --message "" "$c"
is "$RC" 2 "--message '': exit 2"
ms end --message "$(head -c 100000 /dev/zero | tr '\0' x)" "$c"
is "$RC" 2 "a 100 kB message (most one argument can carry): exit 2"
is "$(wc -l <<<"$ERR")" 1 "one line of error"
like "$ERR" "too long" "says it is too long"
ms message "$c" "${esc}[31m"$'\x01'
is "$RC" 2 "a message of nothing but escapes: exit 2"
ms message "only text"
is "$RC" 2 "message without a target: exit 2"
like "$ERR" "no target" "says there is no target"
is "$(wc -l <"$clog")" "$lines_before" "none of it reached the terminal"
ok "observer: carol's session is still there" exists "$c"

# ---- a dry run sends nothing ----
before=$(notes)
ms end --dry-run --grace 5m --reason restart "$a" "$c"
is "$RC" 0 "end --dry-run with a warning: exit 0"
like "$ERR" 'would warn 2 sessions, then wait 5 minutes: "The system will restart in 5 minutes' \
	"shows the warning it would send"
is "$(wc -l <"$clog")" "$lines_before" "the terminal got nothing"
is "$(notes)" "$before" "the notification server got nothing"
ms end --dry-run --reason lunch --grace 1h --reason shutdown -g 5m "$c"
is "$RC" 0 "a repeated --reason or --grace: the last one counts"
like "$ERR" 'then wait 5 minutes: "The system will shut down in 5 minutes' "the last of each is used"

# ---- the grace period: warned first, acted on after ----
x=$(lab_open tty erin)
xlog=$(lab_ttylog "$x")
before=$(notes)
out=$(mktemp)
start=$(date +%s%N)
lab_exec "$MPSESSION" end --wait --grace 4s --reason restart "$x" "$a" >"$out" 2>&1 &
job=$!
ok "the text session is warned" wait_until 5 grep -q 'The system will restart in 4 seconds' "$xlog"
ok "the graphical session is warned" wait_until 5 test "$(notes)" -gt "$before"
is "$(field summary)" "System restart" "the notification's title comes from --reason"
is "$(field expire_ms)" 4000 "the notification expires with the grace period"
ok "nothing is ended during the grace period" stays_true 2.5 exists "$x"
ok "observer: alice too is still there" exists "$a"
wait "$job"
is "$?" 0 "then both are ended: exit 0"
elapsed=$((($(date +%s%N) - start) / 1000000))
ok "not before the grace period ran out (${elapsed} ms)" test "$elapsed" -ge 4000
ok "observer: the text session is gone" gone "$x"
ok "observer: alice's session is gone" gone "$a"
like "$(cat "$out")" "$x +erin +- +ended" "the result table follows"

# ---- interrupted during the grace period: nothing changes, users told ----
y=$(lab_open x11 erin seat0)
lines_before=$(wc -l <"$clog")
# in_lab PIDFILE CMD...: CMD inside the lab, its pid there in PIDFILE
in_lab() { lab_exec sh -c 'echo $$ >"$0"; exec "$@"' "$@"; }
signal() { lab_exec sh -c 'kill -"$0" "$(cat "$1")"' "$1" "$2"; }
in_lab /tmp/warn-t.pid "$MPSESSION" end --grace 60s --reason shutdown "$c" "$y" >"$out" 2>&1 &
job=$!
ok "carol is warned of the shutdown" wait_until 5 grep -q 'The system will shut down in 1 minute' "$clog"
ok "the grace period begins" wait_until 10 grep -q 'acting in 1 minute' "$out"
signal INT /tmp/warn-t.pid
wait "$job"
is "$?" 130 "SIGINT during the grace period: exit 130"
like "$(cat "$out")" "interrupted; nothing was ended, and the users were told" "says nothing was ended"
ok "carol is told it is cancelled" wait_until 5 grep -q 'is cancelled' "$clog"
enote() { grep '"app": "mpsession"' "$elog" | tail -n "$1" | head -n 1 | jq -r "$2"; }
like "$(enote 1 .body)" "is cancelled" "erin's desktop is told too"
is "$(enote 1 .replaces)" "$(enote 2 .id)" "the notice replaces the warning's notification"
ok "observer: carol's session stays" stays_true 1 exists "$c"
ok "observer: erin's graphical session stays" exists "$y"
is "$(prop "$y" State)" active "observer: and stays in front"

in_lab /tmp/warn-t.pid "$MPSESSION" suspend --grace 60s "$b" >"$out" 2>&1 &
job=$!
ok "suspend waits out its grace period" wait_until 10 grep -q 'acting in 1 minute' "$out"
signal TERM /tmp/warn-t.pid
wait "$job"
is "$?" 130 "SIGTERM during the grace period: exit 130"
like "$(cat "$out")" "nothing was suspended" "says nothing was suspended"
is "$(seat_active seat1)" "$b" "observer: bob is still in front of seat1"
is "$(prop "$b" LockedHint)" no "observer: and not locked"
rm -f "$out"

# ---- a session that starts during the grace period is a target too ----
in_lab /tmp/warn-t.pid "$MPSESSION" end --wait --user erin --grace 4s >"$out" 2>&1 &
job=$!
ok "erin's sessions are warned, the grace period begins" wait_until 10 grep -q 'acting in 4 seconds' "$out"
late=$(lab_open tty erin)
wait "$job"
is "$?" 0 "end --user erin --grace 4s --wait: exit 0"
like "$(cat "$out")" "1 session started during the grace period; it is a target too" "says so"
like "$(cat "$out")" "$late +erin +- +ended" "the late session is ended"
erin_sessions() { lab_exec loginctl show-user erin -p Sessions --value 2>/dev/null; }
ok "observer: erin has no session left" test -z "$(erin_sessions)"
rm -f "$out"

# ---- on a terminal: a countdown, and Ctrl-C cancels ----
SOCK=mpsession-warn-t$$ DIR=/tmp/warn-t$$
lab_exec mkdir -p "$DIR"
tm() { lab_exec tmux -L "$SOCK" "$@"; }
screen_has() { [[ $(tm capture-pane -p -t cd) =~ $1 ]]; }
# the bash around mpsession keeps its exit status: it is not interrupted by a
# Ctrl-C that its child survives
tm -f /dev/null new-session -d -s cd -x 120 -y 20 \
	bash -c '"$@"; echo $? >'"$DIR/cd.status"'; sleep 600' _ \
	env TERM=screen "$MPSESSION" end --grace 30s "$c"
ok "a countdown on the terminal" wait_until 10 screen_has 'acting in 0:(29|30); Ctrl-C cancels'
ok "it counts down" wait_until 5 screen_has 'acting in 0:2[0-7]; Ctrl-C cancels'
tm send-keys -t cd C-c
ok "Ctrl-C ends the wait" wait_until 10 lab_exec test -s "$DIR/cd.status"
is "$(lab_exec cat "$DIR/cd.status")" 130 "exit 130"
ok "and says nothing was ended" screen_has 'nothing was ended'
ok "observer: carol's session is still there" exists "$c"
tm kill-server

done_testing
