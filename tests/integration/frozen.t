#!/bin/bash
# list's FROZEN comes from each scope's cgroup.freeze, not from a call to systemd
# (issue 7): it must say what systemd's FreezerState says, whoever froze the scope.
. "$(dirname "$0")/common.sh"
lab_require
lab_up

a=$(lab_id alice-x11) b=$(lab_id bob-x11)
alice_slice=user-$(lab_exec id -u alice).slice

# "id frozen" for every session, from mpsession, then from systemd.
listed() { jq -r '.sessions[] | "\(.session) \(.frozen)"' <<<"$OUT" | sort; }
observed() {
	local id
	for id in $(session_ids); do
		case $(frozen_state "$id") in
		frozen | freezing) echo "$id true" ;;
		*) echo "$id false" ;;
		esac
	done | sort
}
agrees() {
	ms --json list --all
	is "$RC" 0 "$1: list --all --json exits 0"
	is "$(listed)" "$(observed)" "$1: every session's frozen is systemd's FreezerState"
}

agrees "nothing frozen"
is "$(listed | grep -c true)" 0 "nothing frozen: no session listed as frozen"

lab_exec systemctl freeze "session-$b.scope"
ok "observer: bob's scope frozen" wait_until 10 eval '[[ $(frozen_state "$b") == frozen ]]'
agrees "bob's scope frozen"
is "$(jq -r --arg id "$b" '.sessions[] | select(.session==$id) | .frozen' <<<"$OUT")" true \
	"bob's session listed as frozen"

# An unprivileged user reads the same files.
run_ms lab_as "$a" -- --json list --all
is "$RC" 0 "alice lists as herself"
is "$(listed)" "$(observed)" "as alice too, frozen is systemd's FreezerState"

lab_exec systemctl thaw "session-$b.scope"
ok "observer: bob's scope thawed" wait_until 10 eval '[[ $(frozen_state "$b") == running ]]'
agrees "bob's scope thawed"

# Freezing a slice freezes every scope in it, and each scope says so.
lab_exec systemctl freeze "$alice_slice"
ok "observer: alice's scope frozen with her slice" \
	wait_until 10 eval '[[ $(frozen_state "$a") == frozen ]]'
agrees "alice's slice frozen"
is "$(jq -r --arg id "$a" '.sessions[] | select(.session==$id) | .frozen' <<<"$OUT")" true \
	"alice's session listed as frozen with her slice"
lab_exec systemctl thaw "$alice_slice"
ok "observer: alice's slice thawed" wait_until 10 eval '[[ $(frozen_state "$a") == running ]]'
agrees "alice's slice thawed"

done_testing
