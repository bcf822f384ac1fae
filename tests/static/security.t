#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Security by construction: no shell ever runs, and no command is looked up
# in PATH, with anything that came from outside (the sources call none of
# the functions that would); mpsession is never installed setuid or setgid,
# since authorization is logind's and polkit's (README, "Security").
. "$(dirname "$0")/lib.sh"

# Calls that run a shell or search PATH.  A fixed path with execve() and an
# argv is allowed; none is used today.
calls='system|popen|wordexp|execlp|execvp|execvpe|posix_spawnp'
forbidden="\\b($calls)[[:space:]]*\\(|\"/bin/sh\"|\"sh\"|sh -c"
hits=$(grep -nE "$forbidden" lib/*.c lib/*.h cmd/*.c cmd/*.h include/*.h || true)
is "$hits" "" "no shell and no PATH lookup in lib/, cmd/ or include/"
# The pattern itself must find what it is meant to find.
ok "the pattern catches system()" grep -qE "$forbidden" <<<'	r = system(cmd);'
ok "the pattern catches popen()" grep -qE "$forbidden" <<<'f = popen (line, "r");'
ok "the pattern catches sh -c" grep -qE "$forbidden" <<<'execl("/bin/sh", "sh", "-c", s, NULL);'

dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
ok "make install into a DESTDIR" \
	bash -c "make -s install DESTDIR='$dest' PREFIX=/usr/local >/dev/null"
ok "mpsession is installed" test -x "$dest/usr/local/bin/mpsession"
is "$(stat -c %a "$dest/usr/local/bin/mpsession")" 755 "mpsession is installed mode 755"
is "$(find "$dest" -perm /6000)" "" "nothing installed is setuid or setgid"
is "$(find . -maxdepth 1 -name 'mpsession' -perm /6000)" "" "the built mpsession is not setuid"
setid='INSTALL\).*-m *[0-7]?[2-7][0-7]{3}\b|chmod +([ug]\+s|[2-7][0-7]{3})'
ok "the Makefile installs nothing with a set-id mode" bash -c "! grep -nE '$setid' Makefile"
ok "that pattern catches -m 4755" grep -qE "$setid" <<<'	$(INSTALL) -m 4755 x y'
ok "and not -m 755" bash -c "! grep -qE '$setid' <<<'	\$(INSTALL) -m 755 x y'"

done_testing
