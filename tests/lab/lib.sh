# shellcheck shell=bash
# lib.sh - station lab helpers for test scripts.  Source it (it sources tap.sh too).
#
#   lab_require            skip the whole test LOUDLY when no lab can run here; with
#                          CI=true fail instead (a skip is not a pass in CI)
#   lab_available          true when a lab can run here; else says why on stderr
#   lab_up [SCENARIO]      boot a lab (default scenario unless named), set and export
#                          LAB to its name; every lab started so is torn down when the
#                          script exits, fails or is interrupted (EXIT INT TERM HUP)
#   lab_down [NAME]        tear one down now (default $LAB)
#   lab_exec CMD...        run CMD in $LAB as root
#   lab_as ID CMD...       run CMD in $LAB inside session ID, as its user
#   lab_user USER CMD...   run CMD in $LAB as USER, in no session
#   lab_open KIND USER [STATION] [LABEL]     open a session, print its id
#   lab_id LABEL           print the session id of a scenario label
#   lab_ttylog LABEL       print the host path of a tty session's pty log
#   lab_leader             print the host pid of $LAB's PID 1
#   login1 METHOD SIG ARGS...   busctl call on login1's Manager, in $LAB as root
#   wait_until SECONDS CMD...   run CMD every 0.1 s until it succeeds; fail at the deadline
#   stays_true SECONDS CMD...   fail as soon as CMD fails within SECONDS
#
# Test scripts do not use set -e: an assertion that fails returns 1 and the script
# goes on to the next one.

LAB_TOOL=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)/lab
# shellcheck source-path=SCRIPTDIR source=../lib/tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/tap.sh"

_lab_names=()

lab_available() {
	local why=
	if [[ $(id -u) != 0 ]]; then
		why="not root"
	elif ! command -v systemd-nspawn >/dev/null; then
		why="systemd-nspawn is not installed (package systemd-container)"
	elif ! command -v nsenter >/dev/null || ! command -v setpriv >/dev/null; then
		why="nsenter or setpriv is missing (package util-linux)"
	elif ! command -v busctl >/dev/null || ! command -v loginctl >/dev/null; then
		why="busctl or loginctl is missing (package systemd)"
	elif ! grep -qw overlay /proc/filesystems && ! modprobe overlay 2>/dev/null; then
		why="the kernel has no overlayfs"
	elif [[ ! -w /sys/fs/cgroup/cgroup.procs && ! -d /sys/fs/cgroup/unified ]]; then
		why="no writable cgroup v2 hierarchy"
	elif ! /usr/bin/python3 -c 'import dbus, gi' 2>/dev/null; then
		why="python3-dbus or python3-gi is missing (the lab's locker agent needs them)"
	fi
	if [[ -n $why ]]; then
		echo "station lab unavailable: $why" >&2
		return 1
	fi
	return 0
}

lab_require() {
	local why
	if why=$(lab_available 2>&1); then
		return 0
	fi
	if [[ ${CI:-} == true ]]; then
		echo "1..1"
		echo "not ok 1 - station lab available"
		diag "$why" "CI=true: a test that cannot run is a failure here."
		exit 1
	fi
	{
		echo "########################################################################"
		echo "# SKIPPING ${0##*/}: $why"
		echo "########################################################################"
	} >&2
	skip_all "$why"
}

_lab_cleanup() {
	local name
	for name in "${_lab_names[@]}"; do
		"$LAB_TOOL" down "$name" || echo "# lab down $name failed" >&2
	done
	_lab_names=()
}

_lab_on_signal() {
	trap - EXIT INT TERM HUP
	_lab_cleanup
	exit "$1"
}

lab_up() {
	local scenario=${1:-default} name
	# choose the name here, so that the traps can tear the lab down even when they
	# fire while "lab up" is still running
	name=t$$-${#_lab_names[@]}-$RANDOM
	if ((${#_lab_names[@]} == 0)); then
		trap '_lab_cleanup' EXIT
		trap '_lab_on_signal 130' INT
		trap '_lab_on_signal 143' TERM
		trap '_lab_on_signal 129' HUP
	fi
	_lab_names+=("$name")
	"$LAB_TOOL" up -n "$name" -s "$scenario" >/dev/null || return 1
	LAB=$name
	export LAB
}

lab_down() {
	local name=${1:-$LAB} n keep=()
	for n in "${_lab_names[@]}"; do
		[[ $n == "$name" ]] || keep+=("$n")
	done
	_lab_names=("${keep[@]}")
	"$LAB_TOOL" down "$name"
}

lab_exec() { "$LAB_TOOL" exec "$LAB" "$@"; }
lab_as() { "$LAB_TOOL" as "$LAB" "$@"; }
lab_user() { "$LAB_TOOL" user "$LAB" "$@"; }
lab_open() { "$LAB_TOOL" open "$LAB" "$@"; }
lab_id() { "$LAB_TOOL" id "$LAB" "$@"; }
lab_ttylog() { "$LAB_TOOL" ttylog "$LAB" "$@"; }
lab_leader() { "$LAB_TOOL" leader "$LAB"; }

login1() {
	local method=$1
	shift
	lab_exec busctl call org.freedesktop.login1 /org/freedesktop/login1 \
		org.freedesktop.login1.Manager "$method" "$@"
}

_now_ms() {
	local t
	t=$(date +%s%3N)
	echo "$t"
}

# _ms SECONDS: SECONDS (decimals allowed: 0.5) in milliseconds
_ms() {
	local i=${1%%.*} f=0
	[[ $1 != *.* ]] || f=${1#*.}000
	echo $((10#${i:-0} * 1000 + 10#${f:0:3}))
}

wait_until() {
	local end
	end=$(($(_now_ms) + $(_ms "${1:?wait_until: SECONDS}")))
	shift
	until "$@"; do
		(($(_now_ms) < end)) || return 1
		sleep 0.1
	done
	return 0
}

stays_true() {
	local end
	end=$(($(_now_ms) + $(_ms "${1:?stays_true: SECONDS}")))
	shift
	while (($(_now_ms) < end)); do
		"$@" || return 1
		sleep 0.1
	done
	return 0
}
