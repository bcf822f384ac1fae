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

# race VERB X Y: build/tests/race-helper selects the sessions X and Y for VERB;
# X is ended (and seen gone) before the helper acts.  Its lines go to
# RACE_OUT, its exit status to RACE_RC.
race() {
	local line pid
	coproc RACE { lab_exec "$REPO/build/tests/race-helper" "$1" "$2" "$3"; }
	pid=$RACE_PID
	read -r -t 20 line <&"${RACE[0]}"
	is "$line" ready "race helper selected its targets"
	lab_exec loginctl terminate-session "$2"
	ok "observer: the first target went between selection and action" wait_until 10 gone "$2"
	echo go >&"${RACE[1]}"
	RACE_OUT=$(cat <&"${RACE[0]}")
	RACE_RC=0
	wait "$pid" || RACE_RC=$?
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
