#!/bin/bash
# make bench: mpsession against loginctl in one lab, one run, as ratios.
#   BENCH_SCALES="100 1000 4000"  session counts to measure list at
#   BENCH_END=500                 sessions ended by each tool ...
#   BENCH_END_AT=1000             ... once this many sessions are open (one of the scales)
#   BENCH_END_ROUNDS=3            rounds of ending, each tool once a round
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

# Ending: the same number of sessions for each tool, opened afresh each time;
# BENCH_END_ROUNDS rounds, each in another order, and the medians count.
declare -A E=()
end_one() {
	local ids out
	ids=$(open_ids "$n_end") || exit 1
	case $1 in
	# shellcheck disable=SC2086
	wait) out=$(lab_exec /usr/bin/python3 "$REPO/tests/bench.py" end "$M" -- $ids) ;;
	# shellcheck disable=SC2086
	nowait) out=$(lab_exec /usr/bin/python3 "$REPO/tests/bench.py" end-nowait "$M" -- $ids) ;;
	# shellcheck disable=SC2086
	loginctl) out=$(lab_exec /usr/bin/python3 "$REPO/tests/bench.py" loginctl-end $ids) ;;
	esac
	while read -r k v; do E[$k]+="$v "; done <<<"$out"
}
median() { tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -g | awk '{ v[NR] = $1 }
	END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
bench_end() {
	local order=(wait nowait loginctl) i k mpt lct
	for ((i = 0; i < ${BENCH_END_ROUNDS:-3}; i++)); do
		for k in 0 1 2; do end_one "${order[(i + k) % 3]}"; done
	done
	mpt=$(median "${E[mpsession_end_wait]}") lct=$(median "${E[loginctl_terminate_all_gone]}")
	row "$n_end" "mpsession end (return)" "$(median "${E[mpsession_end_return]}")" \
		"x$(ratio "$(median "${E[mpsession_end_return]}")" "$(median "${E[loginctl_terminate_return]}")")"
	row "$n_end" "loginctl terminate (return)" "$(median "${E[loginctl_terminate_return]}")"
	row "$n_end" "mpsession end + polling (all gone)" "$(median "${E[mpsession_end_all_gone]}")"
	row "$n_end" "mpsession end --wait (all gone)" "$mpt" "(left: ${E[left]})"
	row "$n_end" "loginctl terminate (all gone)" "$lct" "x$(ratio "$mpt" "$lct")"
	row "$n_end" "end --wait, each round" "${E[mpsession_end_wait]}"
	row "$n_end" "loginctl all gone, each round" "${E[loginctl_terminate_all_gone]}"
	# What ending them cost the processes that do the work, while mpsession waited.
	row "$n_end" "end CPU ms: dbus,logind,pid1,self" "" "$(ms "$(median "${E[cpu_dbus_daemon]}")") $(ms \
		"$(median "${E[cpu_logind]}")") $(ms "$(median "${E[cpu_pid1]}")") $(ms \
		"$(median "${E[cpu_mpsession]}")")"
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
