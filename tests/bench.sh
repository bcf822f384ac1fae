#!/bin/bash
# make bench: mpsession against loginctl in one lab, one run, as ratios.
#   BENCH_SCALES="100 1000 4000"  session counts to measure list at
#   BENCH_END=500                 sessions ended by each tool ...
#   BENCH_END_AT=1000             ... once this many sessions are open (one of the scales)
#   BENCH_RUNS=7                  runs per command; the median counts
set -uo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd -P)
. "$REPO/tests/lab/lib.sh"
lab_available || { echo "bench: the station lab cannot run here" >&2; exit 1; }

scales=${BENCH_SCALES:-100 1000 4000} n_end=${BENCH_END:-500} runs=${BENCH_RUNS:-7}
end_at=${BENCH_END_AT:-1000}
M=$REPO/mpsession
lab_up >/dev/null || exit 1

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b / a }'; }
ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }
row() { printf '%-8s %-34s %-10s %s\n' "$@"; }
open_ids() { "$LAB_TOOL" open-many -s seat0,seat1,seat2 "$LAB" "$1" user | tr '\n' ' '; }

# Ending: the same number of sessions for each tool, opened afresh each time.
bench_end() {
	local ids mp mpn lc mpt lct
	ids=$(open_ids "$n_end") || exit 1
	# shellcheck disable=SC2086
	mp=$(lab_exec /usr/bin/python3 "$REPO/tests/bench.py" end "$M" -- $ids)
	ids=$(open_ids "$n_end") || exit 1
	# shellcheck disable=SC2086
	mpn=$(lab_exec /usr/bin/python3 "$REPO/tests/bench.py" end-nowait "$M" -- $ids)
	ids=$(open_ids "$n_end") || exit 1
	# shellcheck disable=SC2086
	lc=$(lab_exec /usr/bin/python3 "$REPO/tests/bench.py" loginctl-end $ids)
	mpt=$(awk '/mpsession_end_wait/ {print $2}' <<<"$mp")
	lct=$(awk '/all_gone/ {print $2}' <<<"$lc")
	row "$n_end" "mpsession end (return)" "$(awk '/end_return/ {print $2}' <<<"$mpn")"
	row "$n_end" "loginctl terminate (return)" "$(awk '/return/ {print $2}' <<<"$lc")"
	row "$n_end" "mpsession end + polling (all gone)" "$(awk '/end_all_gone/ {print $2}' <<<"$mpn")"
	row "$n_end" "mpsession end --wait (all gone)" "$mpt" "(left: $(awk '/left/ {print $2}' <<<"$mp"))"
	row "$n_end" "loginctl terminate (all gone)" "$lct" "x$(ratio "$mpt" "$lct")"
	# What ending them cost the processes that do the work, while mpsession waited.
	row "$n_end" "CPU ms in end: dbus, logind, pid1" "" "$(ms "$(awk '/cpu_dbus/ {print $2}' <<<"$mp")") $(ms \
		"$(awk '/cpu_logind/ {print $2}' <<<"$mp")") $(ms "$(awk '/cpu_pid1/ {print $2}' <<<"$mp")")"
}

have=0 ended=
row sessions measure seconds "loginctl/mpsession"
for n in $scales; do
	"$LAB_TOOL" open-many -s seat0,seat1,seat2 "$LAB" $((n - have)) user >/dev/null || exit 1
	have=$n
	declare -A r=()
	while read -r k v; do r[$k]=$v; done < <(lab_exec /usr/bin/python3 "$REPO/tests/bench.py" list "$M" "$runs")
	row "$n" "busctl ListSessions (floor)" "${r[busctl_ListSessions]}"
	row "$n" "mpsession list --all --json" "${r[mpsession_list_all_json]}" \
		"($(awk -v s="${r[mpsession_list_all_json]}" -v n="$n" 'BEGIN { printf "%.0f", s * 1e6 / n }') us per session)"
	row "$n" "loginctl list-sessions -o json" "${r[loginctl_list_json]}" \
		"x$(ratio "${r[mpsession_list_all_json]}" "${r[loginctl_list_json]}")"
	row "$n" "loginctl list-sessions" "${r[loginctl_list]}" \
		"x$(ratio "${r[mpsession_list_all_json]}" "${r[loginctl_list]}")"
	row "$n" "mpsession vs one call" "" \
		"x$(ratio "${r[busctl_ListSessions]}" "${r[mpsession_list_all_json]}") of the floor"
	row "$n" "peak RSS: mpsession, loginctl" "${r[rss_kib]} KiB" "${r[loginctl_rss_kib]} KiB"
	# Where one listing's time goes: CPU milliseconds of each process involved.
	row "$n" "CPU ms: dbus, logind, pid1, self" "" "$(ms "${r[cpu_dbus_daemon]:-0}") $(ms \
		"${r[cpu_logind]:-0}") $(ms "${r[cpu_pid1]:-0}") $(ms "${r[cpu_mpsession]}")"
	unset r
	[[ $n != "$end_at" ]] || { bench_end; ended=1; }
done
[[ $ended ]] || bench_end
