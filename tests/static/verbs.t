#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# verbs.t - the verb table of cmd/verbs.c, as `mpsession --help` prints it,
# against the man page and both completion scripts: the same verbs
# everywhere, and every option of every verb documented in mpsession(1) and
# offered by the completions.  Also the usage line against the SYNOPSIS.
# (After curl's test 1139.)

# shellcheck source=tests/static/lib.sh
. "$(dirname "$0")/lib.sh"

need_built_tool

verbs=$(help_verbs)
[[ -n $verbs ]] || bail_out "no verbs in the output of '$MPSESSION --help'"
global=$(global_options)
[[ -n $global ]] || bail_out "no global options in the output of '$MPSESSION --help'"

# ---- the verbs

is_set "$(man_verbs)" "$verbs" "$MAN1 documents exactly the verbs of the table (VERBS section)"
is_set "$(complete_bash mpsession '')" "$verbs" "$BASH_COMPLETION offers exactly the verbs after 'mpsession '"
is_set "$(zsh_verbs)" "$verbs" "$ZSH_COMPLETION lists exactly the verbs of the table"

# ---- the usage line and the SYNOPSIS

usage=$("$MPSESSION" --help | sed -n 's/^Usage: //p')
synopsis=$(mandoc -Tascii "$MAN1" | sed 's/.\x08//g' |
	awk '/^SYNOPSIS$/ { f = 1; next } /^[A-Z]/ { f = 0 } f' | tr -s ' \n' '  ' |
	sed 's/^ //; s/ $//')
norm() { tr '[:upper:]' '[:lower:]' | sed 's/ *\.\.\./.../g'; }
is "$(norm <<<"$synopsis")" "$(norm <<<"$usage")" "the SYNOPSIS of $MAN1 matches the usage line"

# ---- global options

man_description=$(man_section DESCRIPTION)
missing=
for o in $global; do
	man_mentions_option "$man_description" "$o" || missing+=" $o"
done
is "$missing" "" "$MAN1 documents every global option in DESCRIPTION"
is_set "$(complete_bash mpsession -)" "$global" \
	"$BASH_COMPLETION offers exactly the global options before the verb"
missing=
for o in $global; do
	grep -q -- "$o" "$ZSH_COMPLETION" || missing+=" $o"
done
is "$missing" "" "$ZSH_COMPLETION knows every global option"

# After the verb, the global options are accepted too, but --version does
# nothing there: the completions leave it out.
global_after_verb=$(grep -vx -- --version <<<"$global")

# ---- each verb's options and operands

man_targets=$(man_section TARGETS)
for verb in $verbs; do
	own=$(verb_options "$verb")
	selection=$(verb_selection_options "$verb")
	item=$(man_verb_item "$verb")
	if [[ -z $item ]]; then
		fail "$MAN1 has an item for '$verb' in VERBS"
		continue
	fi

	# The item's .It line shows every own option, short or long, and the
	# operands as the help does.
	head=$(head -n 1 <<<"$item")
	missing=
	for o in $own; do
		[[ $o == --* ]] || continue
		short=$("$MPSESSION" "$verb" --help | sed -n "s/^ *\(-[A-Za-z]\), $o\b.*/\1/p")
		man_mentions_option "$head" "$o" || { [[ -n $short ]] && man_mentions_option "$head" "$short"; } ||
			missing+=" $o"
	done
	is "$missing" "" "$MAN1: the item of '$verb' shows its options: ${own//$'\n'/ }"

	operands=$(help_operands "$verb")
	case $operands in
	'') want='' ;;
	'[SESSION...]') want='Op Ar target ...' ;;
	'[SESSION]') want='Op Ar session' ;;
	SESSION) want='Ar session' ;;
	'[VERB]') want='Op Ar verb' ;;
	'[SESSION...] TEXT') want='Oo Ar session ... Oc Ar text' ;;
	*) want="(an unknown operand spec '$operands': teach verbs.t)" ;;
	esac
	got=$(sed -E 's/^\.It Cm [a-z-]+ ?//; s/(Oo Fl [^O]*Oc ?|Oo Fl .*Oc Oc ?|Op Fl [^ ]+ ?)//g' <<<"$head" |
		sed 's/ *$//')
	is "$got" "$want" "$MAN1: the item of '$verb' shows its operands as '$operands'"

	# The item explains every own option; the TARGETS section every
	# selection option.
	missing=
	for o in $own; do
		man_mentions_option "$(tail -n +2 <<<"$item")" "$o" || missing+=" $o"
	done
	is "$missing" "" "$MAN1: the item of '$verb' explains its options"
	if [[ -n $selection ]]; then
		missing=
		for o in $selection; do
			man_mentions_option "$man_targets" "$o" || missing+=" $o"
		done
		is "$missing" "" "$MAN1: TARGETS explains the selection options of '$verb'"
	fi

	# bash: after the verb, exactly its options, the selection and the
	# global ones.
	want=$(printf '%s\n' "$own" "$selection" "$global_after_verb" | set_of)
	is_set "$(complete_bash mpsession "$verb" -)" "$want" \
		"$BASH_COMPLETION offers exactly the options of '$verb' after 'mpsession $verb -'"

	# zsh: the verb's branch names every option, short and long.
	specs=$(zsh_verb_specs "$verb")
	missing=
	for o in $own $selection $global_after_verb; do
		grep -Eq -- "(^|[^a-z-])$o([^a-z-]|$)" <<<"$specs" || missing+=" $o"
	done
	is "$missing" "" "$ZSH_COMPLETION offers every option of '$verb'"
done

done_testing
