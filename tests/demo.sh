#!/bin/bash
# make demo: boot the station lab and show mpsession at work on it, command
# by command.  The lab is torn down at the end, also on Ctrl-C.
set -uo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd -P)
. "$REPO/tests/lab/lib.sh"

if ! lab_available; then
	echo "demo: the station lab cannot run here (see above); it needs root and systemd-nspawn" >&2
	exit 1
fi

echo "== booting the station lab (a throwaway systemd-nspawn container with real logind)"
lab_up || exit 1
alice=$(lab_id alice-x11) bob=$(lab_id bob-x11)

# show WHO CMD...: print the command, then run it (as root, or inside a session)
show() {
	local who=$1
	shift
	if [[ $who == root ]]; then
		printf '\n\033[1mroot# mpsession %s\033[0m\n' "$*"
		lab_exec "$REPO/mpsession" "$@"
	else
		printf '\n\033[1m%s$ mpsession %s\033[0m   (inside session %s)\n' \
			"$(lab_exec loginctl show-session "$who" -p Name --value)" "$*" "$who"
		lab_as "$who" "$REPO/mpsession" "$@"
	fi
	printf '(exit %d)\n' "$?"
}

show root list
show root list --all
show root lock --wait "$bob"
show "$alice" disconnect
show root list
show root resume "$alice"
show root suspend --freeze --station seat1
show root list
show root resume "$bob"
show root --json list
show root end --all --dry-run
show root end --all --wait --timeout 30s
show root list
show root end c4711

echo
echo "== done; the lab is torn down now"
