#!/bin/bash
# The systemd units of examples/ in the lab's real systemd: they load without
# complaint, and the timer is scheduled for 02:55.  (Running the service would
# reboot; tests/integration/install.t checks its mpsession command line, and
# polkit.t the polkit rule and bus policy.)
. "$(dirname "$0")/common.sh"
lab_require
lab_up minimal

for unit in mpsession-nightly.service mpsession-nightly.timer; do
	# shellcheck disable=SC2016 # for the inner sh
	lab_exec sh -c 'cat >"/etc/systemd/system/$1"' _ "$unit" <"$REPO/examples/$unit"
done
lab_exec systemctl daemon-reload
out=$(lab_exec systemd-analyze verify /etc/systemd/system/mpsession-nightly.timer 2>&1 |
	grep -v -e "man mpsession(1)")
is "$out" "" "systemd-analyze verify: nothing to say but that mpsession(1) is not installed here"
is "$(lab_exec systemctl show -p LoadState --value mpsession-nightly.service)" loaded \
	"the service loads"
ok "systemctl enable --now the timer" lab_exec systemctl --quiet enable --now mpsession-nightly.timer
is "$(lab_exec systemctl is-active mpsession-nightly.timer)" active "the timer is active"
next=$(lab_exec systemctl show -p NextElapseUSecRealtime --value mpsession-nightly.timer)
like "$next" " 02:55:00 " "...and next elapses at 02:55:00 ($next)"
is "$(lab_exec systemctl show -p Persistent --value mpsession-nightly.timer)" no \
	"a missed night is not caught up at boot"
is "$(lab_exec systemctl show -p TimeoutStartUSec --value mpsession-nightly.service)" 10min \
	"the service may take 10 minutes: the grace period and the wait"

done_testing
