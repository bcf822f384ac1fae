#!/bin/bash
# make bench: mpsession against loginctl in one lab, one run, as ratios.
#   BENCH_SCALES="100 1000"  session counts to measure list at (default 100 1000)
#   BENCH_END=500            sessions ended by each tool
#   BENCH_RUNS=7             runs per command; the median counts
set -uo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd -P)
. "$REPO/tests/lab/lib.sh"
lab_available || { echo "bench: the station lab cannot run here" >&2; exit 1; }

scales=${BENCH_SCALES:-100 1000} n_end=${BENCH_END:-500} runs=${BENCH_RUNS:-7}
M=$REPO/mpsession
lab_up >/dev/null || exit 1

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b / a }'; }
have=0
printf '%-8s %-28s %-10s %s\n' sessions measure seconds "loginctl/mpsession"
for n in $scales; do
	"$LAB_TOOL" open-many -s seat0,seat1,seat2 "$LAB" $((n - have)) user >/dev/null || exit 1
	have=$n
	declare -A r=()
	while read -r k v; do r[$k]=$v; done < <(lab_exec /usr/bin/python3 "$REPO/tests/bench.py" list "$M" "$runs")
	printf '%-8s %-28s %-10s\n' "$n" "busctl ListSessions (floor)" "${r[busctl_ListSessions]}"
	printf '%-8s %-28s %-10s\n' "$n" "mpsession list --all --json" "${r[mpsession_list_all_json]}"
	printf '%-8s %-28s %-10s x%s\n' "$n" "loginctl list-sessions -o json" "${r[loginctl_list_json]}" \
		"$(ratio "${r[mpsession_list_all_json]}" "${r[loginctl_list_json]}")"
	printf '%-8s %-28s %-10s x%s\n' "$n" "loginctl list-sessions" "${r[loginctl_list]}" \
		"$(ratio "${r[mpsession_list_all_json]}" "${r[loginctl_list]}")"
	printf '%-8s %-28s %-10s x%s of the floor\n' "$n" "mpsession vs one call" "" \
		"$(ratio "${r[busctl_ListSessions]}" "${r[mpsession_list_all_json]}")"
	printf '%-8s %-28s %s KiB\n' "$n" "mpsession peak RSS" "${r[rss_kib]}"
	unset r
done

# ending: the same number of sessions for each tool, opened afresh each time
ids=$("$LAB_TOOL" open-many -s seat0,seat1,seat2 "$LAB" "$n_end" user | tr '\n' ' ')
# shellcheck disable=SC2086
mp=$(lab_exec /usr/bin/python3 "$REPO/tests/bench.py" end "$M" -- $ids)
ids=$("$LAB_TOOL" open-many -s seat0,seat1,seat2 "$LAB" "$n_end" user | tr '\n' ' ')
# shellcheck disable=SC2086
lc=$(lab_exec /usr/bin/python3 "$REPO/tests/bench.py" loginctl-end $ids)
mpt=$(awk '/mpsession_end_wait/ {print $2}' <<<"$mp")
lct=$(awk '/all_gone/ {print $2}' <<<"$lc")
printf '%-8s %-28s %-10s (left: %s)\n' "$n_end" "mpsession end --wait" "$mpt" "$(awk '/left/ {print $2}' <<<"$mp")"
printf '%-8s %-28s %-10s\n' "$n_end" "loginctl terminate (return)" "$(awk '/return/ {print $2}' <<<"$lc")"
printf '%-8s %-28s %-10s x%s\n' "$n_end" "loginctl terminate (all gone)" "$lct" "$(ratio "$mpt" "$lct")"
