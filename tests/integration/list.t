#!/bin/bash
# mpsession list, against what loginctl and busctl say of the same lab.
. "$(dirname "$0")/common.sh"
lab_require
lab_up

a=$(lab_id alice-x11) b=$(lab_id bob-x11) g2=$(lab_id greeter2)
t=$(lab_id carol-tty) bg=$(lab_id dave-bg)

ms list
is "$RC" 0 "list exits 0"
is "$ERR" "" "list is silent on stderr"
like "$OUT" $'^STATION +STATUS +USER +SESSION +STATE +LOCKED +IDLE\n' "list has the Stations header"
like "$OUT" $'\nseat0 +in-use +alice +'"$a"' +active +no +no' "seat0: alice's session in front"
like "$OUT" $'\nseat1 +in-use +bob +'"$b"' +active +no +no' "seat1: bob's session in front"
like "$OUT" $'\nseat2 +free +- +- +- +- +-' "seat2 is free (only its greeter)"
is "$(seat_active seat2)" "$g2" "observer: seat2's active session is its greeter"

ms --json list
is "$RC" 0 "list --json exits 0"
ok "list --json is valid JSON" jq -e . <<<"$OUT"
is "$(jq -r '[.stations[].station] | join(" ")' <<<"$OUT")" \
	"$(lab_exec loginctl list-seats --no-legend | awk '{print $1}' | sort -V | tr '\n' ' ' | sed 's/ $//')" \
	"list --json: the stations are logind's seats"
is "$(jq -r '.stations[] | select(.station=="seat2") | .status' <<<"$OUT")" free "JSON: seat2 free"
is "$(jq -r '.stations[] | select(.station=="seat1") | .session' <<<"$OUT")" "$b" "JSON: seat1 session"
is "$(jq -r '.sessions | length' <<<"$OUT")" 0 "JSON: no disconnected sessions yet"

ms --json list --all
is "$RC" 0 "list --all --json exits 0"
is "$(jq -r '[.sessions[].session] | sort | join(" ")' <<<"$OUT") " "$(session_ids)" \
	"list --all: every session logind knows"
for id in $a $b $g2 $t $bg; do
	row=$(jq -c --arg id "$id" '.sessions[] | select(.session==$id)' <<<"$OUT")
	for p in Class Type State Name TTY Scope; do
		key=$(tr 'A-Z' 'a-z' <<<"$p")
		[[ $p == Name ]] && key=user
		is "$(jq -r ".$key" <<<"$row")" "$(prop "$id" "$p")" "session $id: $key matches logind's $p"
	done
	is "$(jq -r .uid <<<"$row")" "$(prop "$id" User)" "session $id: uid matches"
	is "$(jq -r .leader <<<"$row")" "$(prop "$id" Leader)" "session $id: leader matches"
	is "$(jq -r .station <<<"$row")" "$(prop "$id" Seat)" "session $id: station matches"
	is "$(jq -r .locked <<<"$row")" "false" "session $id: not locked"
	is "$(jq -r .frozen <<<"$row")" "false" "session $id: not frozen"
done
is "$(jq -r '.sessions[] | select(.session=="'"$t"'") | .tty' <<<"$OUT")" "$(prop "$t" TTY)" "tty session: its pty"
like "$(jq -r '.sessions[] | select(.session=="'"$t"'") | .tty' <<<"$OUT")" '^pts/[0-9]+$' "tty session: on a pty"
is "$(jq -r '.sessions[] | select(.session=="'"$bg"'") | .class' <<<"$OUT")" background "background class"
is "$(jq -r '.stations[] | select(.station=="seat1") | .n_sessions' <<<"$OUT")" \
	"$(lab_exec loginctl show-seat seat1 -p Sessions --value | wc -w)" "seat1's session count"
start=$(jq -r '.sessions[] | select(.session=="'"$a"'") | .start_time_usec' <<<"$OUT")
is "$start" "$(lab_exec busctl get-property org.freedesktop.login1 \
	"/org/freedesktop/login1/session/$(lab_exec busctl --list call org.freedesktop.login1 \
	/org/freedesktop/login1 org.freedesktop.login1.Manager GetSession s "$a" | awk -F/ '{print $NF}' | tr -d '"')" \
	org.freedesktop.login1.Session Timestamp | awk '{print $2}')" "start time is logind's Timestamp"

ms list --all
is "$RC" 0 "list --all (text) exits 0"
like "$OUT" $'\nSESSION +UID +USER +STATION +CLASS +TYPE +STATE +TTY +LOCKED +IDLE +FROZEN\n' \
	"list --all shows the sessions table"
like "$OUT" "$t +[0-9]+ +carol +- +user +tty +active +pts/" "list --all: the text session"

ms --no-legend list
if [[ $OUT == *STATION* ]]; then fail "--no-legend drops the header"; else pass "--no-legend drops the header"; fi

# A session that vanishes while the snapshot is taken is left out silently:
# list in a loop while sessions come and go.
errs=0
for i in 1 2 3 4 5; do
	id=$(lab_open background dave) || continue
	lab_exec loginctl terminate-session "$id" &
	ms list --all
	[[ $RC == 0 && -z $ERR ]] || errs=$((errs + 1))
	wait
done
is "$errs" 0 "list while sessions vanish: no error, exit 0"

done_testing
