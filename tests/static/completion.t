#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# completion.t - the completion scripts at work.  bash: _mpsession is called
# with COMP_WORDS and COMP_CWORD set as bash sets them, and COMPREPLY is
# checked.  zsh: the script parses, loads through compinit without a word on
# stderr, and, where the zsh/zpty module is there, completes in a real zsh.
#
# Session ids, users and stations come from `mpsession list --all
# --no-legend`.  Here a stub mpsession, put first in PATH, prints fixed rows
# in that format, so that completing them is deterministic; completion
# against a live logind is tested in the station lab (tests/integration).
# The stub prints nothing unless it is called as the scripts should call it.

# shellcheck source=tests/static/lib.sh
. "$(dirname "$0")/lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin" "$tmp/home"

# Stations: seat0 with a numeric active session, seat1 free, seat2 without
# sessions.  Sessions: one on no station, root's greeter, a user with a
# dash in the name.
cat >"$tmp/bin/mpsession" <<'EOF'
#!/bin/sh
case " $* " in
*" list "*"--all"*"--no-legend"* | *" list "*"--no-legend"*"--all"*) ;;
*) exit 2 ;;
esac
cat <<'ROWS'
seat0 2 no  yes yes 3
seat1 - yes yes no  1
seat2 - yes no  no  0
2   1000 alice    seat0 user    wayland active -     no  no  no
c1  0    root     seat0 greeter x11     online -     no  no  no
7   1001 bob      seat1 user    x11     online -     yes yes yes
14  1002 jo-anne  seat0 user    x11     online -     yes no  yes
31  1003 carol    -     user    tty     active pts/0 no  no  no
ROWS
EOF
chmod +x "$tmp/bin/mpsession"
PATH=$tmp/bin:$PATH

sessions=$(set_of <<<'2 c1 7 14 31')
classes=$(set_of <<<'user user-early user-incomplete user-light user-early-light greeter
	lock-screen background background-light manager manager-early none')

# ---- bash

# shellcheck disable=SC2016 # for the inner bash to expand
ok "bash: $BASH_COMPLETION loads without errors" \
	bash -c '. "$1" && complete -p mpsession | grep -q -- "-F _mpsession"' _ "$BASH_COMPLETION"

got=$(complete_bash mpsession '')
like "$got" $'(^|\n)list\n' "bash: 'mpsession ' offers verbs (list)"
like "$got" $'(^|\n)end\n' "bash: 'mpsession ' offers verbs (end)"
is "$(complete_bash mpsession li)" "list" "bash: 'mpsession li' completes to list"
is "$(complete_bash mpsession --json --timeout 5s '')" "$(complete_bash mpsession '')" \
	"bash: global options and their values before the verb are skipped"

got=$(complete_bash mpsession end --)
is "$(grep -v -- '^--' <<<"$got")" "" "bash: 'mpsession end --' offers only long options"
for o in --wait --force --dry-run --all --user --station --class --state --include-self \
	--include-root --json --timeout; do
	like "$got" "(^|"$'\n'")$o("$'\n'"|$)" "bash: 'mpsession end --' offers $o"
done
isnt "$(grep -x -- --freeze <<<"$got")" "--freeze" "bash: 'mpsession end --' does not offer --freeze"

is "$(complete_bash mpsession lock --class '')" "$classes" "bash: --class offers the classes"
is "$(complete_bash mpsession lock --class gr)" "greeter" "bash: --class gr completes to greeter"
is "$(complete_bash mpsession lock --class user,gr)" "user,greeter" \
	"bash: --class completes the last of a comma-separated list"
is "$(complete_bash mpsession lock --class = gr)" "greeter" \
	"bash: --class=VALUE, split at '=' as bash does by default"
is "$(complete_bash mpsession lock --class=gr)" "--class=greeter" \
	"bash: --class=VALUE kept in one word"
is "$(complete_bash mpsession end --state '')" "$(set_of <<<'opening online active closing')" \
	"bash: --state offers the states"
is "$(complete_bash mpsession end --user '')" "$(set_of <<<'alice bob carol jo-anne root')" \
	"bash: --user offers the users of live sessions"
is "$(complete_bash mpsession end -s '')" "$(set_of <<<'seat0 seat1 seat2')" \
	"bash: -s offers every station, those without sessions too"
is "$(complete_bash mpsession end --timeout '')" "" "bash: --timeout offers nothing"

is "$(complete_bash mpsession end '')" "$(set_of <<<"$sessions self")" \
	"bash: 'mpsession end ' offers the live session ids and self"
is "$(complete_bash mpsession lock 7 '')" "$(set_of <<<'2 c1 14 31 self')" \
	"bash: ids already given are not offered again"
is "$(complete_bash mpsession end 1)" "14" "bash: 'mpsession end 1' completes to 14"
is "$(complete_bash mpsession end --all '')" "" "bash: no ids once --all is given"
is "$(complete_bash mpsession unlock --user bob '')" "" "bash: no ids once a filter is given"
is "$(complete_bash mpsession disconnect '')" "$(set_of <<<"$sessions self")" \
	"bash: 'mpsession disconnect ' offers ids and self"
is "$(complete_bash mpsession resume '')" "$sessions" "bash: 'mpsession resume ' offers ids"
is "$(complete_bash mpsession resume 7 '')" "" "bash: resume takes one session"
is "$(complete_bash mpsession list '')" "" "bash: list takes no operands"
is "$(complete_bash mpsession help '')" "$(complete_bash mpsession '')" "bash: 'mpsession help ' offers the verbs"

# ---- zsh

if ! command -v zsh >/dev/null; then
	skip 4 "zsh is not installed"
	done_testing
fi

ok "zsh: zsh -n $ZSH_COMPLETION" zsh -n "$ZSH_COMPLETION"
is "$(head -n 1 "$ZSH_COMPLETION")" "#compdef mpsession" "zsh: the first line is #compdef mpsession"

out=$(HOME=$tmp/home zsh -f tests/lib/zsh-loads "${ZSH_COMPLETION%/*}" 2>&1)
is "$out" "_mpsession 1" "zsh: compinit loads _mpsession for mpsession, silently"

# A real completion, in an interactive zsh on a pseudo-terminal: type a
# line and TAB, then a marker command, and read up to the marker.
if ! zsh -f -c 'zmodload zsh/zpty' 2>/dev/null; then
	skip 1 "zsh has no zsh/zpty module"
	done_testing
fi
cat >"$tmp/zpty.zsh" <<'EOF'
zmodload zsh/zpty
zpty z 'TERM=dumb HOME=$ZPTY_HOME zsh -f -i'
zpty -w z "PS1='zpty> '; fpath=($ZPTY_FPATH \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z "zstyle ':completion:*' list-rows-first true; LISTMAX=0; setopt nobeep nolistambiguous"
# Type a line only at a fresh prompt: a starting line editor may drop what
# was typed ahead.
zpty -w z 'print READY""0'
zpty -r z out '*READY0*zpty> *' || exit 1
n=0
for line in "$@"; do
	n=$((n + 1))
	zpty -w -n z "$line"$'\t'
	zpty -w -n z $'\C-u'
	zpty -w z "print DONE\"\"$n"
	zpty -r z out "*DONE$n*zpty> *" || exit 1
	print -r -- "=== $line"
	print -r -- "$out"
done
zpty -d z
EOF
out=$(ZPTY_HOME=$tmp/home ZPTY_FPATH=$PWD/${ZSH_COMPLETION%/*} timeout 30 \
	zsh -f "$tmp/zpty.zsh" 'mpsession ' 'mpsession lock --class ' 'mpsession end ' 2>&1 | tr -d '\r')
missing=
for word in list end disconnect suspend resume lock unlock help greeter lock-screen \
	manager-early self 'alice on seat0' 'carol on no station'; do
	grep -q -- "$word" <<<"$out" || missing+=" '$word'"
done
is "$missing" "" "zsh: completes verbs, --class values and live sessions in a real zsh" ||
	diag "$out"

done_testing
