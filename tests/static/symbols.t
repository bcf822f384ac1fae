#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# symbols.t - one list of public functions, four places: the prototypes of
# include/stations.h, the version script lib/libstations.sym, the dynamic
# symbols of the built libstations.so.0.*, and the man pages, where each is
# named under NAME in exactly one page and has its prototype in that page's
# SYNOPSIS.  Nothing else is exported.  (After curl's tests 1119 and 1167.)

# shellcheck source=tests/static/lib.sh
. "$(dirname "$0")/lib.sh"

shopt -s nullglob

# The header's functions: identifiers followed by "(" once comments are gone.
header=$(perl -0777 -pe 's{/\*.*?\*/}{}gs' include/stations.h |
	grep -oE '\bstations_[a-z0-9_]+[[:space:]]*\(' | tr -d '( \t' | set_of)
[[ -n $header ]] || bail_out "no functions found in include/stations.h"

# The version script's global entries.
versioned=$(sed -n 's/^[[:space:]]*\(stations_[a-z0-9_]*\);.*/\1/p' lib/libstations.sym | set_of)
is_set "$versioned" "$header" "lib/libstations.sym lists exactly the functions of the header"

# The shared library's exports.
libs=(libstations.so.0.*)
if ((${#libs[@]} != 1)); then
	fail "exactly one built libstations.so.0.* (found ${#libs[@]}; run make)"
	skip 2 "no library to inspect"
elif ! command -v nm >/dev/null; then
	skip 3 "nm is not installed"
else
	pass "one built library: ${libs[0]}"
	# "A" entries are the version nodes, such as LIBSTATIONS_0.1.
	exports=$(nm -D --defined-only "${libs[0]}" | awk '$2 != "A" { print $3 }' | sed 's/@.*//')
	is_set "$(grep '^stations_' <<<"$exports" | set_of)" "$header" \
		"${libs[0]} exports exactly the functions of the header"
	is "$(grep -v '^stations_' <<<"$exports" | set_of | tr '\n' ' ')" "" \
		"${libs[0]} exports nothing without the stations_ prefix"
fi

# The man pages: .Nm entries of the NAME sections of man/*.3, libstations.3
# being the overview with no function of its own.
pages=(man/*.3)
documented=$(for page in "${pages[@]}"; do
	[[ $page == man/libstations.3 ]] && continue
	awk '/^\.Sh / { f = ($2 == "NAME") } f && /^\.Nm / { print $2 }' "$page"
done | LC_ALL=C sort)
is_set "$(set_of <<<"$documented")" "$header" \
	"the NAME sections of man/*.3 name exactly the functions of the header"
is "$(uniq -d <<<"$documented" | tr '\n' ' ')" "" "no function is named in two pages"

# Each function's page shows its prototype, and no page shows a function
# that does not exist.
missing=
for page in "${pages[@]}"; do
	synopsis=$(awk '/^\.Sh / { f = ($2 == "SYNOPSIS") } f' "$page")
	while read -r fn; do
		[[ $fn == stations_* ]] || continue
		grep -Eq "^\\.F[no] $fn( |$)" <<<"$synopsis" || missing+=" $fn"
	done < <(awk '/^\.Sh / { f = ($2 == "NAME") } f && /^\.Nm / { print $2 }' "$page")
done
is "$missing" "" "every function has its prototype (.Fn or .Fo) in its page's SYNOPSIS"

mentioned=$(cat "${pages[@]}" "$MAN1" | grep -E '^\.' |
	grep -oE '(^\.|[[:space:]])(Fn|Fo) stations_[a-z0-9_]+' | awk '{ print $2 }' | set_of)
is "$(LC_ALL=C comm -23 <(printf '%s\n' "$mentioned") <(printf '%s\n' "$header") | tr '\n' ' ')" "" \
	"the man pages mention (.Fn, .Fo) no function that the header lacks"

done_testing
