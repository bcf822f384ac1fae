#!/bin/bash
# Bad input on the command line: one clear line on stderr, the documented exit
# status, nothing on stdout, and no bus touched.  Runs on the host, no lab needed.
. "$(dirname "$0")/common.sh"

# check "DESC" STATUS REGEX ARGS...
check() {
	local desc=$1 want=$2 regex=$3
	shift 3
	run_ms env -- "$@"
	is "$RC" "$want" "$desc: exit $want"
	is "$OUT" "" "$desc: stdout stays empty"
	is "$(printf '%s\n' "$ERR" | wc -l)" 1 "$desc: one line on stderr"
	like "$ERR" "$regex" "$desc: names what was wrong"
}

check "unknown verb" 2 "unknown verb 'lsit' \(did you mean 'list'\?\)" lsit
check "unknown verb, nothing close" 2 "unknown verb 'frobnicate'" frobnicate
check "unknown global option" 2 "^mpsession: --bogus: unknown option; see 'mpsession --help'" --bogus list
check "unknown verb option" 2 "^mpsession: end: --forse: unknown option; see 'mpsession end --help'" end --forse c1
check "missing option argument" 2 "^mpsession: end: --user: missing argument" end --user
check "bad duration" 2 "end: --timeout: invalid duration '5x'" end --timeout 5x c1
check "negative duration" 2 "invalid duration '-1'" --timeout -1 list
check "huge duration" 2 "invalid duration '99999999h' \(at most a week\)" --timeout 99999999h list
check "zero duration" 2 "invalid duration '0'" end --wait --timeout 0 c1
check "no target" 2 "end: no target; name sessions or use --all" end
check "bad session id" 2 "end: invalid session id 'c/1'" end c/1
check "session id with a space" 2 "end: invalid session id 'c 1'" end 'c 1'
check "non-UTF-8 id" 2 "end: invalid session id" end $'c\xff'
check "empty id" 2 "end: invalid session id ''" end ''
check "bad class" 2 "end: --class: invalid value 'users'" end --class users
check "bad state" 2 "lock: --state: invalid value 'gone'" lock --state gone
check "bad station" 2 "suspend: --station: invalid value 'tty1'" suspend --station tty1
check "empty user" 2 "end: --user: invalid value ''" end --user ''
check "extra operand" 2 "resume: too many arguments, from 'c2' on" resume c1 c2
check "missing operand" 2 "resume: missing SESSION" resume
check "operand to list" 2 "list: unexpected argument 'c1'" list c1
check "force without wait" 2 "end: --force needs --wait" end --force c1
check "unknown verb for help" 2 "help: unknown verb 'nope'" help nope

ids=$(printf 'c%d ' $(seq 1 3000))
# shellcheck disable=SC2086
run_ms env -- end --dry-run $ids 'c/x'
is "$RC" 2 "3000 ids and one bad one: exit 2"
like "$ERR" "invalid session id 'c/x'" "3000 ids: the bad one is named"

run_ms env -- --version
is "$RC" 0 "--version exits 0"
like "$OUT" "^mpsession [0-9]+\.[0-9]+\.[0-9]+ \(libstations" "--version prints the version"
run_ms env -- --help
is "$RC" 0 "--help exits 0"
like "$OUT" "Usage: mpsession \[OPTIONS\] VERB \[OPTIONS\] \[TARGET\.\.\.\]" "--help shows the usage line"
run_ms env -- end --help
like "$OUT" "Usage: mpsession end \[OPTIONS\] \[SESSION\.\.\.\]" "end --help shows the verb's usage"
like "$OUT" "--dry-run" "end --help lists its options"

# no verb at all is list (it once crashed in popt)
run_ms env DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent/bus --
is "$RC" 5 "no verb, no system bus: exit 5, not a crash"
like "$ERR" "^mpsession: list: cannot connect to the system bus" "no verb runs list"

run_ms env DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent/bus -- list
is "$RC" 5 "no system bus: exit 5"
like "$ERR" "cannot connect to the system bus" "no system bus: says so"
is "$OUT" "" "no system bus: stdout stays empty"

done_testing
