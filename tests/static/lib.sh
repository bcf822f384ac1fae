# shellcheck shell=bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# lib.sh - what the consistency tests in tests/static share.  Source it from a
# test; it moves to the top of the tree, where the built mpsession and
# libstations.so are, and loads tests/lib/tap.sh.

cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
# shellcheck source=tests/lib/tap.sh
. tests/lib/tap.sh

MPSESSION=./mpsession
MAN1=man/mpsession.1
BASH_COMPLETION=completions/mpsession.bash
ZSH_COMPLETION=completions/_mpsession

# Stop the whole run, early and clearly, when the tree is not built.
need_built_tool() {
	[[ -x $MPSESSION ]] || bail_out "$MPSESSION is not built; run make first"
}

# Sorted, one per line, blanks dropped: the form every set comparison uses.
set_of() {
	tr -s '[:blank:]' '\n' | sed '/^$/d' | LC_ALL=C sort -u
}

# is_set GOT EXPECTED NAME: compare two sets, showing only the difference.
is_set() {
	if [[ $1 == "$2" ]]; then
		pass "$3"
		return 0
	fi
	fail "$3"
	diag "  only in what was got:" "$(LC_ALL=C comm -23 <(printf '%s\n' "$1") <(printf '%s\n' "$2") | sed 's/^/    /')"
	diag "  only in what was expected:" "$(LC_ALL=C comm -13 <(printf '%s\n' "$1") <(printf '%s\n' "$2") | sed 's/^/    /')"
	return 1
}

# ---- what mpsession says about itself: its help, generated from its tables

# The verbs, from the Verbs section of `mpsession --help`.
help_verbs() {
	"$MPSESSION" --help | awk '/^Verbs:/ { f = 1; next } /^$/ { f = 0 } f { print $1 }' | set_of
}

# The operands of VERB as its help shows them, such as "[SESSION...]".
help_operands() {
	"$MPSESSION" help "$1" | sed -n "s/^Usage: mpsession $1 \[OPTIONS\] *//p" | sed 's/ *$//'
}

# Options in the left column of a help text's option lines, from the sections
# whose heading matches the regular expression $1: "-w" and "--wait" for
# "  -w, --wait   ...".
help_option_words() {
	awk -v sections="$1" '
		/^[^ ].*:$/ { f = ($0 ~ sections); next }
		/^$/ { next }
		f && /^ +-/ {
			if (match($0, /^ +-[A-Za-z], /)) {
				w = substr($0, RSTART, RLENGTH); gsub(/[ ,]/, "", w); print w
			}
			if (match($0, /--[a-z][a-z-]*/))
				print substr($0, RSTART, RLENGTH)
		}' | set_of
}

# The verb's own options, from the Options section of `mpsession VERB --help`.
verb_options() {
	"$MPSESSION" "$1" --help | help_option_words '^Options:$'
}

# The selection options, if VERB takes a selection.
verb_selection_options() {
	"$MPSESSION" "$1" --help | help_option_words '^Selection'
}

# The global options, from `mpsession --help`, --help and --version included.
global_options() {
	"$MPSESSION" --help | help_option_words '^Global options:$'
}

# ---- the man page

# The source of one .Sh section of mpsession.1, without its .Sh line.
man_section() {
	awk -v name="$1" '/^\.Sh / { f = ($0 == ".Sh " name); next } f' "$MAN1"
}

# The verbs of the VERBS section: the .It Cm items of its outermost list.
man_verbs() {
	man_section VERBS | awk '
		/^\.Bl/ { depth++ }
		/^\.El/ { depth-- }
		depth == 1 && /^\.It Cm / { print $3 }' | set_of
}

# The source of one verb's item in the VERBS section, its .It line first.
man_verb_item() {
	man_section VERBS | awk -v verb="$1" '
		/^\.Bl/ { depth++ }
		/^\.El/ { if (--depth == 0) f = 0 }
		depth == 1 && /^\.It / { f = ($1 == ".It" && $2 == "Cm" && $3 == verb) }
		f'
}

# man_mentions_option TEXT OPTION: whether mdoc source TEXT has OPTION as
# "Fl -wait" or "Fl w".
man_mentions_option() {
	grep -Eq "(^|[[:space:]])Fl ${2#-}([[:space:]]|$)" <<<"$1"
}

# ---- the completion scripts

# The bash completion's answer to a command line, its words given as
# arguments and the last one being completed: COMPREPLY, one per line, as a
# set.  A fresh bash each time, with PATH as the caller has it.
complete_bash() {
	bash tests/lib/bash-complete "$BASH_COMPLETION" "$@" | set_of
}

# The verbs the zsh completion offers: the names of the 'verb:description'
# entries of the verbs array in _mpsession_verbs.
zsh_verbs() {
	awk '/^_mpsession_verbs\(\)/ { f = 1 } f && /^\t\)$/ { f = 0 } f' "$ZSH_COMPLETION" |
		sed -n "s/^[[:space:]]*'\([a-z][a-z-]*\):.*/\1/p" | set_of
}

# The option specs the zsh completion gives a verb: the text of the verb's
# branch in _mpsession, with the arrays it uses ($global_opts and so on)
# written out.
zsh_verb_specs() {
	local branch var
	branch=$(awk -v verb="$1" '
		$0 ~ "^\t" verb "\\)$" { f = 1; next }
		f && /^\t\t;;$/ { exit }
		f' "$ZSH_COMPLETION")
	printf '%s\n' "$branch"
	for var in $(grep -o '\$[a-z_]*' <<<"$branch" | tr -d '$' | sort -u); do
		awk -v var="$var" '
			$0 ~ "^\t" var "=\\(" { f = 1 }
			f { print }
			f && /\)$/ { f = 0 }' "$ZSH_COMPLETION"
	done
}
