# shellcheck shell=bash
# tap.sh - a tiny TAP producer for bash tests run by prove(1).  Source it.
#
#   plan N                 announce N tests (or call done_testing at the end)
#   skip_all REASON        announce that the whole file is skipped, exit 0
#   ok NAME CMD [ARG...]   pass if CMD exits 0
#   is GOT EXPECTED NAME   pass if the strings are equal
#   isnt GOT UNEXPECTED NAME
#   like GOT REGEX NAME    pass if GOT matches the extended regular expression
#   pass NAME / fail NAME  an unconditional result
#   skip N REASON          record N skipped tests
#   diag MSG...            each MSG as "# MSG" lines on stderr; note MSG... on stdout
#   bail_out REASON        stop the whole prove run
#   done_testing           print the plan if none was given, exit non-zero on failures
#
# Failures print what was got and what was expected as "# " diagnostics on stderr,
# as Perl's Test::More does.  Every assertion returns its result, so a test can stop
# early:  is "$x" 3 "three seats" || bail_out "no point going on".

_tap_n=0
_tap_failed=0
_tap_planned=

plan() {
	_tap_planned=$1
	echo "1..$1"
}

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

diag() {
	local line
	printf '%s\n' "$@" | while IFS= read -r line; do
		printf '# %s\n' "$line"
	done >&2
}

note() {
	local line
	printf '%s\n' "$@" | while IFS= read -r line; do
		printf '# %s\n' "$line"
	done
}

# _tap_result STATUS NAME: print one result line, count it
_tap_result() {
	local status=$1 name=$2
	_tap_n=$((_tap_n + 1))
	name=${name//#/\\#}
	if [[ $status == 0 ]]; then
		echo "ok $_tap_n${name:+ - $name}"
		return 0
	fi
	_tap_failed=$((_tap_failed + 1))
	echo "not ok $_tap_n${name:+ - $name}"
	# shellcheck disable=SC2016 # the quotes are for the reader
	diag "  Failed test${name:+ '$2'}" "  at ${BASH_SOURCE[2]##*/} line ${BASH_LINENO[1]}."
	return 1
}

pass() {
	_tap_result 0 "$*"
}

fail() {
	_tap_result 1 "$*"
}

ok() {
	local name=$1 rc=0
	shift
	(($#)) || {
		_tap_result 1 "$name"
		diag "  ok: no command given"
		return 1
	}
	"$@" || rc=$?
	if ((rc == 0)); then
		_tap_result 0 "$name"
		return 0
	fi
	_tap_result 1 "$name" || true
	diag "    command: $*" "     status: $rc"
	return 1
}

is() {
	if [[ $1 == "$2" ]]; then
		_tap_result 0 "${3:-}"
		return 0
	fi
	_tap_result 1 "${3:-}" || true
	diag "         got: '$1'" "    expected: '$2'"
	return 1
}

isnt() {
	if [[ $1 != "$2" ]]; then
		_tap_result 0 "${3:-}"
		return 0
	fi
	_tap_result 1 "${3:-}" || true
	diag "         got: '$1'" "    expected: anything else"
	return 1
}

like() {
	if [[ $1 =~ $2 ]]; then
		_tap_result 0 "${3:-}"
		return 0
	fi
	_tap_result 1 "${3:-}" || true
	diag "                  '$1'" "    doesn't match '$2'"
	return 1
}

skip() {
	local i n=$1
	shift
	for ((i = 0; i < n; i++)); do
		_tap_n=$((_tap_n + 1))
		echo "ok $_tap_n # SKIP $*"
	done
}

bail_out() {
	echo "Bail out! $*"
	exit 255
}

done_testing() {
	if [[ -z $_tap_planned ]]; then
		echo "1..$_tap_n"
	elif ((_tap_planned != _tap_n)); then
		diag "Looks like you planned $_tap_planned tests but ran $_tap_n."
		exit 255
	fi
	if ((_tap_failed)); then
		diag "Looks like you failed $_tap_failed test(s) of $_tap_n."
		exit $((_tap_failed > 254 ? 254 : _tap_failed))
	fi
	exit 0
}
