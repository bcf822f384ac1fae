#!/bin/bash
# The bash completion against the live logind of the lab: _mpsession is called
# as bash calls it (COMP_WORDS, COMP_CWORD), with the built mpsession first in
# PATH, and what it offers is compared with what loginctl lists.  (The offers
# for every verb and option, from fixed rows, are in tests/static/completion.t.)
. "$(dirname "$0")/common.sh"
lab_require
lab_up

a=$(lab_id alice-x11)

# complete RUNNER... -- WORDS...: COMPREPLY for the command line WORDS (the
# last one being completed), one per line, sorted, run by RUNNER in the lab.
complete() {
	local runner=()
	while [[ $1 != -- ]]; do
		runner+=("$1")
		shift
	done
	shift
	"${runner[@]}" env PATH="$REPO:/usr/sbin:/usr/bin:/sbin:/bin" \
		bash "$REPO/tests/lib/bash-complete" "$REPO/completions/mpsession.bash" "$@" |
		sed '/^$/d' | sort
}
lines() { tr ' ' '\n' | sed '/^$/d' | sort -u; }

ids=$(session_ids | lines)
users=$(lab_exec loginctl list-sessions --no-legend | awk '{ print $3 }' | lines)
seats=$(lab_exec loginctl list-seats --no-legend | awk '{ print $1 }' | lines)
if [[ -z $ids || $seats != *seat2* ]]; then
	bail_out "the lab lists no sessions or no seat2"
fi

is "$(complete lab_exec -- mpsession end '')" "$(lines <<<"$ids self")" \
	"end <TAB>: every live session id, and self"
is "$(complete lab_exec -- mpsession resume '')" "$ids" "resume <TAB>: every live session id"
first=$(head -n 1 <<<"$ids")
is "$(complete lab_exec -- mpsession lock "$first" '')" "$(lines <<<"$(grep -vx "$first" <<<"$ids") self")" \
	"lock ID <TAB>: the other ids"
p=${a:0:1}
is "$(complete lab_exec -- mpsession end "$p")" "$(grep "^$p" <<<"$ids")" \
	"end $p<TAB>: the live ids that start with $p"
is "$(complete lab_exec -- mpsession end --user '')" "$users" \
	"end --user <TAB>: the users of the live sessions"
is "$(complete lab_exec -- mpsession end --user al)" "alice" "end --user al<TAB>: alice"
is "$(complete lab_exec -- mpsession end --user=bo)" "--user=bob" "end --user=bo<TAB>: --user=bob"
is "$(complete lab_exec -- mpsession lock --user alice,c)" "alice,carol" \
	"lock --user alice,c<TAB>: the last of a list"
is "$(complete lab_exec -- mpsession suspend --station '')" "$seats" \
	"suspend --station <TAB>: every station, seat2 with only a greeter too"
is "$(complete lab_exec -- mpsession end -s seat)" "$seats" "end -s seat<TAB>: the stations"

# An unprivileged user in a session completes the same live ids.
is "$(complete lab_as "$a" -- mpsession end '')" "$(lines <<<"$ids self")" \
	"alice, in her session: end <TAB> offers every live id too"

# Sessions come and go: the completion asks each time.
n=$(lab_open background erin)
is "$(complete lab_exec -- mpsession end --user er)" "erin" "a new session's user is offered at once"
like "$(complete lab_exec -- mpsession end '')" "(^|"$'\n'")$n("$'\n'"|$)" "...and its id"
lab_exec loginctl terminate-session "$n"
ok "observer: erin's session is gone" wait_until 10 gone "$n"
isnt "$(complete lab_exec -- mpsession end --user er)" "erin" "...and once it is gone, no more"

# With logind's bus name gone from reach the completion offers nothing, quickly,
# and prints nothing.
# shellcheck disable=SC2016 # for the inner bash
out=$(lab_exec env DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent PATH="$REPO:/usr/bin:/bin" \
	bash -c '. "$1"; COMP_WORDS=(mpsession end ""); COMP_CWORD=2; _mpsession 2>&1
		printf "%s\n" "${COMPREPLY[@]}"' _ "$REPO/completions/mpsession.bash" 2>&1)
is "$out" "self" "no bus: only 'self' is offered, and nothing is printed"

# zsh: the script loads through compinit in the lab, silently.
if lab_exec sh -c 'command -v zsh' >/dev/null; then
	out=$(lab_exec env HOME=/tmp zsh -f "$REPO/tests/lib/zsh-loads" "$REPO/completions" 2>&1)
	is "$out" "_mpsession 1" "zsh in the lab: compinit loads _mpsession, silently"
else
	skip 1 "zsh is not installed"
fi

done_testing
