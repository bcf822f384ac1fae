#!/bin/bash
# disconnect, suspend, resume, lock and unlock on real stations.
. "$(dirname "$0")/common.sh"
lab_require
lab_up

a=$(lab_id alice-x11) b=$(lab_id bob-x11) t=$(lab_id carol-tty)
g0=$(lab_id greeter0) g1=$(lab_id greeter1)

# A user disconnects their own session, from inside it, unprivileged.
run_ms lab_as "$a" -- disconnect
is "$RC" 0 "alice disconnects her own session: exit 0"
is "$ERR" "" "no complaint"
like "$OUT" "$a +alice +seat0 +disconnected" "reports it disconnected"
is "$(seat_active seat0)" "$g0" "observer: seat0 now shows its greeter"
is "$(prop "$a" State)" online "observer: alice's session is still there, online"
ok "observer: alice's session is locked" wait_until 10 prop_is "$a" LockedHint yes

ms list
like "$OUT" $'\nseat0 +free ' "list: seat0 is free again"
like "$OUT" "$a +alice +seat0 +disconnected +yes" "list: alice's session is disconnected and locked"

# ...and comes back to it
ms resume "$a"
is "$RC" 0 "resume exits 0"
is "$(seat_active seat0)" "$a" "observer: alice's session is in front again"
is "$(prop "$a" State)" active "observer: active"
is "$(prop "$a" LockedHint)" yes "observer: resume does not unlock"

# The administrator suspends bob's session and freezes it.
ms suspend --freeze "$b"
is "$RC" 0 "suspend --freeze exits 0"
like "$OUT" "$b +bob +seat1 +suspended" "reports it suspended"
is "$(seat_active seat1)" "$g1" "observer: seat1 shows its greeter"
is "$(frozen_state "$b")" frozen "observer: bob's scope is frozen"
is "$(prop "$b" State)" online "observer: bob's session stays"
ms --json list
is "$(jq -r '.sessions[] | select(.session=="'"$b"'") | .status' <<<"$OUT")" suspended \
	"list: bob's session shows as suspended"
is "$(jq -r '.stations[] | select(.station=="seat1") | .status' <<<"$OUT")" free "list: seat1 free"

ms resume "$b"
is "$RC" 0 "resume of a frozen session exits 0"
is "$(frozen_state "$b")" running "observer: thawed"
is "$(seat_active seat1)" "$b" "observer: bob is back in front on seat1"

# suspend without --freeze leaves the scope running; dry run changes nothing
ms suspend --dry-run --all
is "$RC" 0 "suspend --all --dry-run exits 0"
is "$(seat_active seat1)" "$b" "observer: dry run left seat1 alone"
ms suspend "$b"
is "$(frozen_state "$b")" running "observer: plain suspend does not freeze"
is "$(seat_active seat1)" "$g1" "observer: but frees the station"
ms resume "$b"

# A text session has no station to free: suspend locks and freezes it.
ms suspend --freeze "$t"
is "$RC" 0 "suspend --freeze of a text session exits 0"
is "$(frozen_state "$t")" frozen "observer: the text session is frozen"
ms resume "$t"
is "$RC" 7 "resume of a session on no station: exit 7 (nothing to bring to front)"
is "$(frozen_state "$t")" running "observer: but it was thawed first"

# lock and unlock, confirmed through LockedHint (set by the session's locker)
ms lock --wait --timeout 10s "$b"
is "$RC" 0 "lock --wait exits 0"
is "$(prop "$b" LockedHint)" yes "observer: LockedHint is true when lock --wait returns"
ms unlock "$b"
is "$RC" 0 "unlock exits 0"
ok "observer: LockedHint goes back to false" wait_until 10 prop_is "$b" LockedHint no
ms lock --wait --timeout 10s --station seat0 --station seat1
is "$RC" 0 "lock --wait by station exits 0"
is "$(prop "$a" LockedHint)/$(prop "$b" LockedHint)" yes/yes "observer: both stations' sessions locked"
ms unlock --all
is "$RC" 0 "unlock --all exits 0"
ok "observer: bob's session unlocked" wait_until 10 prop_is "$b" LockedHint no

# A session with no screen locker never confirms: lock --wait times out (6).
ms lock --wait --timeout 2s "$t"
is "$RC" 6 "lock --wait on a session without a locker: exit 6"
like "$ERR" "session '$t': not locked when the wait ended" "says it was not locked"

done_testing
