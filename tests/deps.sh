#!/bin/sh
# Install what building and testing mpsession needs, on Debian or Ubuntu as
# root; elsewhere, name the packages and fail.
set -eu

# build: compiler, pkg-config, the three libraries
# tests: prove (perl), the lab (systemd-container, polkitd, util-linux, dbus),
#        the observer (systemd: busctl, loginctl), jq, mandoc, the locker
#        agent (python3-dbus, python3-gi), bash-completion, zsh, and tmux to
#        drive the interactive shell
# checks: valgrind (make valgrind), clang and its libFuzzer runtime
#        (make fuzz; libclang-rt-dev is Debian's name for the runtime of the
#        default clang, libclang-rt-14-dev on Debian 12)
PACKAGES="gcc make pkg-config libsystemd-dev libpopt-dev libreadline-dev
systemd systemd-container dbus polkitd util-linux perl jq mandoc
python3 python3-dbus python3-gi bash-completion zsh tmux
valgrind clang libclang-rt-dev"

missing=
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done

if [ -z "$missing" ]; then
	echo "deps: everything needed is installed"
	exit 0
fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && [ -r /etc/debian_version ]; then
	echo "deps: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
	exit 0
fi

echo "deps: missing packages (Debian names):$missing" >&2
echo "deps: install them as root, e.g. apt-get install$missing" >&2
exit 1
