# common.sh - sourced by the integration tests: the built mpsession, run inside
# the lab, and an independent observer of logind (loginctl and busctl, which
# share no code with libstations).

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
MPSESSION=$REPO/mpsession
# shellcheck source=../lab/lib.sh
. "$REPO/tests/lab/lib.sh"

# run_ms [lab_exec|lab_as ID|lab_user USER] -- ARGS...: run mpsession, keep
# its stdout in OUT, stderr in ERR and exit status in RC.
run_ms() {
	local runner=()
	while [[ $1 != -- ]]; do
		runner+=("$1")
		shift
	done
	shift
	local o e
	o=$(mktemp) e=$(mktemp)
	RC=0
	"${runner[@]}" "$MPSESSION" "$@" >"$o" 2>"$e" || RC=$?
	OUT=$(cat "$o") ERR=$(cat "$e")
	rm -f "$o" "$e"
}

# ms ARGS...: mpsession as root inside the lab.
ms() { run_ms lab_exec -- "$@"; }

# Observer: what logind itself says.
exists() { lab_exec loginctl show-session "$1" -p Id >/dev/null 2>&1; }
gone() { ! exists "$1"; }
prop() { lab_exec loginctl show-session "$1" -p "$2" --value 2>/dev/null; }
seat_active() { lab_exec loginctl show-seat "$1" -p ActiveSession --value 2>/dev/null; }
frozen_state() { lab_exec systemctl show "session-$1.scope" -p FreezerState --value 2>/dev/null; }
session_ids() { lab_exec loginctl list-sessions --no-legend | awk '{print $1}' | sort | tr '\n' ' '; }
prop_is() { [[ $(prop "$1" "$2") == "$3" ]]; }
