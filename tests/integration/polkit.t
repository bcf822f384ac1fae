#!/bin/bash
# examples/50-mpsession-stationadmins.rules in the lab's real polkitd, and
# examples/mpsession-stationadmins.conf in its dbus-daemon: erin, in the group
# stationadmins, manages other users' sessions without being root (end, end
# --force, lock, unlock, suspend --freeze, resume); frank, in no group, is
# refused (exit 4), and so is erin before the rule is there and after.
# shellcheck disable=SC2317 # helpers are called through ok and wait_until
. "$(dirname "$0")/common.sh"
lab_require
lab_up stationadmins

a=$(lab_id alice-x11) b=$(lab_id bob-x11) f=$(lab_id frank-bg)
g1=$(lab_id greeter1)
RULES=/etc/polkit-1/rules.d/50-mpsession-stationadmins.rules
BUSCONF=/etc/dbus-1/system.d/mpsession-stationadmins.conf
# put FILE: the example FILE in its place in the lab
# shellcheck disable=SC2016 # for the inner sh
put() { lab_exec sh -c 'cat >"$1"' _ "$1" <"$REPO/examples/${1##*/}"; }

# erin and frank run mpsession as themselves, in no session, with no capability.
as_erin() { run_ms lab_user erin -- "$@"; }
as_frank() { run_ms lab_user frank -- "$@"; }

is "$(lab_exec id -nG erin)" "erin stationadmins" "erin is in stationadmins"

# Before the rule: polkit's defaults, erin is no one special.
as_erin end "$a"
is "$RC" 4 "without the rule erin cannot end alice's session: exit 4"
ok "observer: alice's session is still there" exists "$a"

put "$RULES"
# polkitd watches rules.d and loads the new rule by itself; lock is harmless to
# repeat until it does.
erin_may_lock() { as_erin lock "$a" && [[ $RC == 0 ]]; }
ok "with the rule, polkitd soon lets erin lock alice's session" wait_until 20 erin_may_lock
# journal_clean UNIT PATTERN: UNIT logged no line that matches PATTERN
journal_clean() { ! lab_exec journalctl -u "$1" -o cat | grep -iE "$2"; }
ok "polkitd logged no error about the rule" journal_clean polkit "error|exception"

as_erin unlock "$a"
is "$RC" 0 "erin unlocks alice's session: exit 0"
as_erin lock --wait --timeout 10s "$b"
is "$RC" 0 "erin locks bob's session and waits for his locker: exit 0"
is "$(prop "$b" LockedHint)" yes "observer: bob's session is locked"
as_erin unlock "$b"

# Freezing: systemd's bus policy lets only root call FreezeUnit; polkit is
# never asked.  A plain suspend is only ActivateSession (chvt).
as_erin suspend --freeze "$b"
is "$RC" 4 "without the bus policy, erin cannot freeze bob's session: exit 4"
like "$ERR" "Rejected send message" "...dbus-daemon refused the call"
is "$(frozen_state "$b")" running "observer: bob's scope is not frozen"
is "$(seat_active seat1)" "$b" "observer: and bob keeps his station: nothing is released"
as_erin resume "$b"
as_erin suspend "$b"
is "$RC" 0 "erin suspends bob's session without freezing it: exit 0"
is "$(seat_active seat1)" "$g1" "observer: seat1 shows its greeter (chvt)"
as_erin resume "$b"
is "$RC" 0 "erin resumes it: exit 0"
is "$(seat_active seat1)" "$b" "observer: bob is back in front"

put "$BUSCONF"
erin_may_freeze() { as_erin suspend --freeze "$b" && [[ $RC == 0 ]]; }
ok "with the bus policy, dbus-daemon soon lets erin freeze bob's session" \
	wait_until 20 erin_may_freeze
ok "dbus-daemon logged no error about the policy" journal_clean dbus mpsession-stationadmins
is "$(frozen_state "$b")" frozen "observer: bob's scope is frozen (manage-units, verb stop)"
is "$(seat_active seat1)" "$g1" "observer: seat1 shows its greeter"
as_erin resume "$b"
is "$RC" 0 "erin resumes and thaws it: exit 0"
is "$(frozen_state "$b")" running "observer: thawed (manage-units, verb start)"
is "$(seat_active seat1)" "$b" "observer: bob is back in front"

# The rule grants manage-units on session scopes only.
lab_exec systemctl start systemd-hostnamed.service
out=$(lab_user erin busctl call org.freedesktop.systemd1 /org/freedesktop/systemd1 \
	org.freedesktop.systemd1.Manager StopUnit ss systemd-hostnamed.service replace 2>&1)
like "$out" "Interactive authentication required" \
	"erin may not stop other units (manage-units stays polkit's default)"
out=$(lab_user erin busctl call org.freedesktop.systemd1 /org/freedesktop/systemd1 \
	org.freedesktop.systemd1.Manager FreezeUnit s systemd-hostnamed.service 2>&1)
like "$out" "Interactive authentication required" "...nor freeze them"

# frank is in no group: refused, and nothing changes.
as_frank end "$b"
is "$RC" 4 "frank cannot end bob's session: exit 4"
like "$ERR" "^mpsession: end: " "frank is told why"
ok "observer: bob's session is still there" exists "$b"
as_frank lock "$a"
is "$RC" 4 "frank cannot lock alice's session: exit 4"

# erin ends sessions: alice's, and frank's own background session by force.
as_erin end --wait --timeout 20s "$a"
is "$RC" 0 "erin ends alice's session: exit 0"
ok "observer: alice's session is gone" gone "$a"
as_erin end --force --wait --timeout 20s "$f"
is "$RC" 0 "erin ends frank's session with --force (KillSession): exit 0"
ok "observer: frank's session is gone" gone "$f"

# Without the rule again (polkitd sees it go), erin is refused as before.
lab_exec rm "$RULES"
erin_refused() { as_erin lock "$b"; [[ $RC == 4 ]]; }
ok "rule removed: erin is refused again (exit 4)" wait_until 20 erin_refused

done_testing
