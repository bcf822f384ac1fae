#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# man.t - the man pages are clean mdoc: no mandoc -Tlint error or warning, no
# style message either, except for references to manuals that are not
# installed where the test runs.  Our own cross-references lead to pages that
# exist, each page is named after its file, and the example program of
# libstations(3) compiles and links against the built library.

# shellcheck source=tests/static/lib.sh
. "$(dirname "$0")/lib.sh"

command -v mandoc >/dev/null || skip_all "mandoc is not installed"

shopt -s nullglob
pages=(man/*.[1-9])
((${#pages[@]})) || bail_out "no man pages in man/"

for page in "${pages[@]}"; do
	# Errors and warnings: what the build must never have.
	out=$(mandoc -Tlint -Wwarning "$page" 2>&1)
	is "$out" "" "$page: mandoc -Tlint -Wwarning says nothing"

	# Style.  With an empty manual path every .Xr is "not found", which says
	# nothing about the page; references are checked below instead.
	out=$(MANPATH=/nonexistent mandoc -Tlint -Wstyle "$page" 2>&1 |
		grep -v 'STYLE: referenced manual not found')
	is "$out" "" "$page: mandoc -Tlint -Wstyle says nothing but 'referenced manual not found'"

	# .Dt and the first .Nm name the file.
	file=${page##*/}
	name=${file%.*}
	section=${file##*.}
	dt=$(awk '/^\.Dt / { print $2, $3; exit }' "$page")
	is "$dt" "${name^^} $section" "$page: .Dt matches the file name"
	nm=$(awk '/^\.Nm / { print $2; exit }' "$page")
	is "$nm" "$name" "$page: the first .Nm is the page's own name"

	# References to our own manuals lead to pages in man/.
	missing=
	while read -r xr xname xsection _; do
		[[ $xr == .Xr ]] || continue
		case $xname in
		mpsession | libstations | stations_*)
			[[ -f man/$xname.$xsection ]] || missing+=" $xname($xsection)"
			;;
		esac
	done <"$page"
	is "$missing" "" "$page: every .Xr to mpsession, libstations or stations_* has a page"
done

# The EXAMPLES program of libstations(3), compiled as it is printed.
cc=${CC:-cc}
if ! command -v "$cc" >/dev/null; then
	skip 1 "no C compiler"
elif [[ ! -e libstations.so ]]; then
	skip 1 "libstations.so is not built"
else
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	# the first literal display of EXAMPLES, with the mdoc escapes undone
	awk '/^\.Sh / { f = ($0 == ".Sh EXAMPLES") } f && /^\.Bd -literal/ { b = 1; next }
		b && /^\.Ed/ { exit } b' man/libstations.3 |
		sed -e 's/\\e/\\/g' -e 's/\\&//g' >"$tmp/example.c"
	ok "libstations(3) EXAMPLES compiles and links" \
		"$cc" -std=gnu11 -Wall -Wextra -Werror -Iinclude -o "$tmp/example" "$tmp/example.c" \
		-L. -lstations
fi

done_testing
