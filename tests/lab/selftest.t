#!/bin/bash
# selftest.t - the station lab checks itself against the real systemd-logind it runs:
# the default scenario's seats and sessions, the ways into the lab, the pty log, the
# locker agent, polkit, a session that ignores SIGTERM, open-many, two labs at once,
# and that nothing is left behind.  Run: prove -v tests/lab/selftest.t
# helpers here are called through ok, wait_until and stays_true:
# shellcheck disable=SC2317
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

STATE_ROOT=${LAB_STATE_ROOT:-/run/mpsession-lab}

lab_require
lab_up || bail_out "lab up failed"
note "lab $LAB up"

sprop() { lab_exec loginctl show-session "$1" -p "$2" --value; }
seatprop() { lab_exec loginctl show-seat "$1" -p "$2" --value; }
prop_is() { [[ $(sprop "$1" "$2" 2>/dev/null) == "$3" ]]; }
session_gone() { ! lab_exec loginctl show-session "$1" -p Id >/dev/null 2>&1; }
# dbus_error_of USER METHOD ARGS...: the D-Bus error name a login1 Manager call gets
dbus_error_of() {
	lab_user "$1" /usr/bin/python3 -c '
import sys, dbus
m = dbus.Interface(dbus.SystemBus().get_object("org.freedesktop.login1",
    "/org/freedesktop/login1"), "org.freedesktop.login1.Manager")
try:
    getattr(m, sys.argv[1])(*sys.argv[2:])
    print("success")
except dbus.DBusException as e:
    print(e.get_dbus_name())' "${@:2}"
}

# --- the default scenario ---------------------------------------------------------------
seats=$(lab_exec loginctl list-seats --no-legend | awk '{ print $1 }' | sort | xargs)
is "$seats" "seat0 seat1 seat2" "three seats"

g2=$(lab_id greeter2)
is "$(seatprop seat2 Sessions)" "$g2" "seat2's only session is greeter2"
is "$(sprop "$g2" Class)" greeter "greeter2 has class greeter"
is "$(seatprop seat2 ActiveSession)" "$g2" "greeter2 is active on seat2"

bob=$(lab_id bob-x11)
is "$(seatprop seat1 ActiveSession)" "$bob" "seat1's active session is bob-x11"
is "$(sprop "$bob" Name)/$(sprop "$bob" Type)/$(sprop "$bob" Class)" "bob/x11/user" \
	"bob-x11 is bob's x11 user session"
g1=$(lab_id greeter1)
like " $(seatprop seat1 Sessions) " " $g1 " "greeter1 is on seat1 too"
is "$(sprop "$g1" State)" online "greeter1 waits behind bob (online, not active)"

alice=$(lab_id alice-x11)
is "$(seatprop seat0 ActiveSession)" "$alice" "seat0's active session is alice-x11"
is "$(sprop "$(lab_id greeter0)" State)" online "greeter0 waits behind alice"

tty=$(lab_id carol-tty)
pts=$(sprop "$tty" TTY)
like "$pts" '^pts/[0-9]+$' "carol-tty has TTY=pts/N"
is "$(sprop "$tty" Type)" tty "carol-tty has type tty"
is "$(sprop "$tty" Name)" carol "carol-tty is carol's"

is "$(sprop "$(lab_id dave-bg)" Class)" background "dave-bg has class background"
is "$(lab_exec loginctl list-sessions --no-legend | awk '$3 == "erin"' | wc -l)" 0 \
	"erin has no session"
is "$(lab_exec systemctl is-active polkit.service)" active "polkit runs"

# --- ways in ----------------------------------------------------------------------------
is "$(lab_as "$alice" busctl call org.freedesktop.login1 /org/freedesktop/login1 \
	org.freedesktop.login1.Manager GetSessionByPID u 0)" \
	"o \"/org/freedesktop/login1/session/$alice\"" "lab as: GetSessionByPID(0) is the session"
is "$(lab_as "$alice" id -un)" alice "lab as: runs as the session's user"
is "$(lab_as "$alice" id -G)" "$(lab_exec id -g alice)" "lab as: only the user's own groups"
# shellcheck disable=SC2016 # expanded inside the lab
is "$(lab_as "$alice" sh -c 'echo $XDG_RUNTIME_DIR $HOME $USER')" \
	"/run/user/$(lab_exec id -u alice) /home/alice alice" "lab as: XDG_RUNTIME_DIR, HOME, USER"
is "$(lab_as "$alice" cat /proc/self/status | awk '$1 == "CapEff:" { print $2 }')" \
	0000000000000000 "lab as: no capabilities"

out=$(lab_user erin busctl call org.freedesktop.login1 /org/freedesktop/login1 \
	org.freedesktop.login1.Manager GetSessionByPID u 0 2>&1)
like "$out" "known session" "lab user: in no session"
is "$(lab_user erin id -un)" erin "lab user: runs as the user"

lab_exec sh -c 'exit 7'
is $? 7 "lab exec: passes the exit status on"
is "$(echo in | lab_exec cat)" in "lab exec: passes stdin and stdout on"
is "$(lab_exec sh -c 'echo err >&2' 2>&1 >/dev/null)" err "lab exec: passes stderr on"
is "$(lab_exec id -u)" 0 "lab exec: runs as root"

# --- the pty log ------------------------------------------------------------------------
mark="selftest-mark-$RANDOM$RANDOM"
lab_exec sh -c "echo '$mark' >/dev/$pts"
ok "text written to carol-tty's pty appears in its ttylog" \
	wait_until 5 grep -q "$mark" "$(lab_ttylog carol-tty)"

# --- locking through the locker agent ---------------------------------------------------
is "$(sprop "$alice" LockedHint)" no "alice-x11 starts unlocked"
login1 LockSession s "$alice"
ok "LockSession: LockedHint becomes yes (the locker answered)" \
	wait_until 10 prop_is "$alice" LockedHint yes
login1 UnlockSession s "$alice"
ok "UnlockSession: LockedHint becomes no" wait_until 10 prop_is "$alice" LockedHint no

# --- polkit -----------------------------------------------------------------------------
is "$(dbus_error_of erin TerminateSession "$alice")" \
	org.freedesktop.DBus.Error.InteractiveAuthorizationRequired \
	"polkit: erin (no session) may not terminate alice's session"
is "$(lab_as "$bob" /usr/bin/python3 -c '
import dbus
m = dbus.Interface(dbus.SystemBus().get_object("org.freedesktop.login1",
    "/org/freedesktop/login1"), "org.freedesktop.login1.Manager")
try:
    m.TerminateSession("'"$alice"'"); print("success")
except dbus.DBusException as e:
    print(e.get_dbus_name())')" org.freedesktop.DBus.Error.InteractiveAuthorizationRequired \
	"polkit: bob (active session) may not terminate alice's session"
is "$(sprop "$alice" State)" active "alice-x11 is still there"

# --- a session that ignores SIGTERM -----------------------------------------------------
stub=$(lab_open stubborn erin - erin-stubborn)
like "$stub" '^c[0-9]+$' "open stubborn: a session id"
login1 TerminateSession s "$stub"
ok "stubborn: TerminateSession leaves it closing" wait_until 5 prop_is "$stub" State closing
ok "stubborn: it survives SIGTERM (4 s)" stays_true 4 prop_is "$stub" State closing
login1 KillSession ssi "$stub" all 9
ok "stubborn: SIGKILL ends it" wait_until 10 session_gone "$stub"

# --- open and open-many -----------------------------------------------------------------
id=$(lab_open wayland erin seat2 erin-wl)
is "$(seatprop seat2 ActiveSession)" "$id" "open wayland on seat2: the new session is active"
is "$(sprop "$id" Type)" wayland "open wayland: type wayland"
is "$(lab_id erin-wl)" "$id" "lab id knows the new label"
login1 TerminateSession s "$id"
ok "terminated session goes away" wait_until 10 session_gone "$id"

before=$(lab_exec loginctl list-sessions --no-legend | wc -l)
ids=$("$LAB_TOOL" open-many "$LAB" 40 background)
is "$(wc -w <<<"$ids")" 40 "open-many 40 background: 40 ids"
is "$(lab_exec loginctl list-sessions --no-legend | wc -l)" $((before + 40)) \
	"open-many: logind lists 40 more sessions"
ids=$("$LAB_TOOL" open-many -u alice,bob -s seat0,seat1 "$LAB" 6 user)
is "$(for i in $ids; do sprop "$i" Seat; done | sort | uniq -c | awk '{ print $1 $2 }' | xargs)" \
	"3seat0 3seat1" "open-many 6 user: spread over the stations"

# --- two labs at once -------------------------------------------------------------------
first=$LAB
lab_up minimal || bail_out "second lab up failed"
second=$LAB
isnt "$second" "$first" "a second lab, beside the first"
listed() { "$LAB_TOOL" list | grep -qx "$1"; }
ok "lab list shows the first" listed "$first"
ok "lab list shows the second" listed "$second"
is "$(seatprop seat1 ActiveSession)" "$(lab_id alice-x11)" "the second lab has its own sessions"
lab_exec useradd zed
LAB=$first
# shellcheck disable=SC2016 # expanded by that sh
ok "a user made in the second lab is not in the first" \
	sh -c '! "$1" exec "$2" getent passwd zed >/dev/null' sh "$LAB_TOOL" "$first"
is "$(seatprop seat2 Sessions)" "$g2" "the first lab is unchanged"

# --- nothing left behind ----------------------------------------------------------------
# leftovers NAME LEADER_PIDNS NSPAWN_PID: what of lab NAME still exists, empty if nothing
leftovers() {
	local p
	awk -v d="$STATE_ROOT/$1" '$2 == d || index($2, d "/") == 1 { print "mount " $2 }' \
		/proc/mounts
	[[ ! -e $STATE_ROOT/$1 ]] || echo "state $STATE_ROOT/$1"
	# a zombie is gone: an orphaned systemd-nspawn may be reaped late by the host's init
	[[ ! $(awk '{ print $3 }' "/proc/$3/stat" 2>/dev/null) =~ ^[^Z]$ ]] || echo "nspawn $3"
	for p in /proc/[0-9]*; do
		[[ $(readlink "$p/ns/pid" 2>/dev/null) != "$2" ]] || echo "process ${p#/proc/}"
	done
	find /sys/fs/cgroup -maxdepth 3 -type d -path "*/mpsession-lab/$1" 2>/dev/null |
		sed 's/^/cgroup /'
}
check_down() {
	local name=$1 ns nspawn out
	ns=$(readlink "/proc/$("$LAB_TOOL" leader "$name")/ns/pid")
	read -r nspawn _ <"$STATE_ROOT/$name/nspawn"
	ok "lab down $name" "$LAB_TOOL" down "$name"
	out=$(leftovers "$name" "$ns" "$nspawn")
	is "$out" "" "after lab down $name: no mounts, processes, state or cgroups remain"
	ok "lab down $name again: nothing to do, success" "$LAB_TOOL" down "$name"
}
lab_down_checked() {
	# take NAME off lib.sh's cleanup list, then tear it down with checks
	local n keep=()
	for n in "${_lab_names[@]}"; do [[ $n == "$1" ]] || keep+=("$n"); done
	_lab_names=("${keep[@]}")
	check_down "$1"
}
lab_down_checked "$second"
ok "the first lab still works" lab_exec true
lab_down_checked "$first"

done_testing
