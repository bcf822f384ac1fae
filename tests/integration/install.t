#!/bin/bash
# make install into a DESTDIR puts everything in place, a program builds
# against the installed library with pkg-config, and make uninstall removes
# every file it installed.
. "$(dirname "$0")/common.sh"

dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
prefix=/usr/local

ok "make install DESTDIR=... succeeds" make -s -C "$REPO" install DESTDIR="$dest" PREFIX="$prefix"
for f in bin/mpsession lib/libstations.so.0 lib/libstations.so lib/libstations.a \
	include/stations.h lib/pkgconfig/libstations.pc share/man/man1/mpsession.1 \
	share/man/man3/libstations.3 share/bash-completion/completions/mpsession \
	share/zsh/site-functions/_mpsession; do
	ok "installed $f" test -e "$dest$prefix/$f"
done
for f in "$REPO"/examples/*; do
	ok "installed the example ${f##*/} under the doc directory" \
		cmp -s "$f" "$dest$prefix/share/doc/mpsession/examples/${f##*/}"
done

# The examples' mpsession command lines are valid: with --dry-run and no bus,
# a wrong word would be exit 2, a right one gets as far as the bus (5).
bad=
while read -r line; do
	# shellcheck disable=SC2086 # the example's words
	set -- ${line#*mpsession }
	DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent "$MPSESSION" "$@" --dry-run \
		>/dev/null 2>&1
	[[ $? == 5 ]] || bad+=" [$line]"
done < <(grep -h -v '^[#;]' "$REPO"/examples/*.cron "$REPO"/examples/*.service |
	grep -o 'mpsession [^;]*')
is "$bad" "" "the examples' mpsession command lines parse (exit 5 without a bus)"

# "man FUNCTION" works for every exported function: its page, or a link to
# the family page that names it.
missing=
for sym in $(sed -n 's/^[[:space:]]*\(stations_[a-z_]*\);.*/\1/p' "$REPO/lib/libstations.sym"); do
	page=$dest$prefix/share/man/man3/$sym.3
	[[ -e $page ]] && grep -Eq "^\.Nm $sym( ,)?$" "$page" || missing+=" $sym"
done
is "$missing" "" "every exported function has a man page (its own or a link) that names it"
if command -v man >/dev/null; then
	is "$(man -M "$dest$prefix/share/man" -w 3 stations_ctx_free 2>&1)" \
		"$dest$prefix/share/man/man3/stations_ctx_new.3" \
		"man stations_ctx_free finds the stations_ctx_new(3) family page"
else
	skip 1 "man is not installed"
fi

ok "the installed binary carries no build-tree rpath" \
	bash -c "! readelf -d '$dest$prefix/bin/mpsession' | grep -q -e RPATH -e RUNPATH"
is "$(readelf -d "$dest$prefix/lib/libstations.so.0" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')" \
	libstations.so.0 "the library's soname"

export PKG_CONFIG_PATH=$dest$prefix/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$dest
cflags=$(pkg-config --cflags libstations) libs=$(pkg-config --libs libstations)
like "$libs" "-lstations" "pkg-config --libs libstations"
cat >"$dest/client.c" <<'C'
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stations.h>

int main(void)
{
	struct stations_ctx *ctx = NULL;
	int r = stations_ctx_new("unix:path=/nonexistent/bus", &ctx);

	printf("%s %d %s\n", STATIONS_VERSION_STRING, STATIONS_EXIT_TIMEOUT,
	       r == -ENOENT || r == -ECONNREFUSED ? "refused" : strerror(-r));
	stations_ctx_free(ctx);
	return 0;
}
C
# A library built with SANITIZE=1 needs its runtime first in a client too.
san=
if readelf -d "$dest$prefix/lib/libstations.so.0" | grep -q 'NEEDED.*libasan'; then
	san=-fsanitize=address,undefined
fi
# shellcheck disable=SC2086
ok "a client compiles against the installed header and library" \
	cc -Wall -Werror $san -o "$dest/client" "$dest/client.c" $cflags $libs
out=$(LD_LIBRARY_PATH=$dest$prefix/lib "$dest/client")
like "$out" "^[0-9]+\.[0-9]+\.[0-9]+ 6 refused$" "the client runs against the installed library"
out=$(LD_LIBRARY_PATH=$dest$prefix/lib "$dest$prefix/bin/mpsession" --version)
like "$out" "^mpsession " "the installed mpsession runs"

ok "make uninstall succeeds" make -s -C "$REPO" uninstall DESTDIR="$dest" PREFIX="$prefix"
left=$(find "$dest$prefix" -type f -o -type l)
is "$left" "" "make uninstall removed every installed file"

done_testing
