# shellcheck shell=bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# bash completion for mpsession(1).
#
# The verbs and options mirror the tables of cmd/verbs.c and cmd/mpsession.c;
# tests/static/verbs.t fails when they drift apart.  Session ids, users and
# stations come from the running system, through mpsession itself.  Needs
# nothing from the bash-completion package.

_mpsession_global_opts='--json --no-legend -q --quiet --timeout --no-ask-password -h --help'
_mpsession_selection_opts='-a --all -u --user -s --station --class --state --include-self
	--include-root'

# The verb's own options, and whether it takes a selection ("targets").
_mpsession_verb_opts() {
	case $1 in
	list) echo '-a --all' ;;
	end) echo '-w --wait -f --force -n --dry-run -m --message -g --grace -r --reason targets' ;;
	disconnect) echo '-n --dry-run' ;;
	suspend) echo '--freeze -n --dry-run -m --message -g --grace -r --reason targets' ;;
	resume) echo '-n --dry-run' ;;
	message) echo '-n --dry-run targets' ;;
	lock) echo '-w --wait -n --dry-run targets' ;;
	unlock) echo '-n --dry-run targets' ;;
	shell | help) echo '' ;;
	esac
}

_mpsession_verbs='list end disconnect suspend resume message lock unlock shell help'

# `mpsession list --all --no-legend` prints the stations table, rows of
# STATION ACTIVE FREE GRAPHICAL TTY SESSIONS, then the sessions table, rows of
# SESSION UID USER STATION CLASS TYPE STATE TTY LOCKED IDLE FROZEN, with no
# line between them.  A station row is told apart by its shape: six columns,
# yes/no in the third to fifth and a count in the sixth.  Each row is printed
# with "station" or "session" in front.  The short timeout keeps a hung logind
# from hanging the shell.
_mpsession_rows() {
	command mpsession --no-ask-password --timeout 2s list --all --no-legend 2>/dev/null |
		awk '
			NF == 6 && $3 ~ /^(yes|no)$/ && $4 ~ /^(yes|no)$/ &&
			    $5 ~ /^(yes|no)$/ && $6 ~ /^[0-9]+$/ { print "station", $0; next }
			NF >= 4 && $2 ~ /^[0-9]+$/ { print "session", $0 }'
}

# _mpsession_live WHAT: session ids, users or stations, one per line.
_mpsession_live() {
	_mpsession_rows | awk -v what="$1" '
		what == "sessions" && $1 == "session" { print $2 }
		what == "users" && $1 == "session" && $4 != "-" && !seen[$4]++ { print $4 }
		what == "stations" && $1 == "station" && !seen[$2]++ { print $2 }
		what == "stations" && $1 == "session" && $5 != "-" && !seen[$5]++ { print $5 }'
}

# _mpsession_add_values CUR WORD...: complete CUR, which may be a
# comma-separated list, from the WORDs.
_mpsession_add_values() {
	local cur=$1 head='' word
	shift
	if [[ $cur == *,* ]]; then
		head=${cur%,*},
		cur=${cur##*,}
	fi
	for word in "$@"; do
		[[ $word == "$cur"* ]] && COMPREPLY+=("$head$word")
	done
}

# _mpsession_add_words CUR WORD...: complete CUR from the WORDs.
_mpsession_add_words() {
	local cur=$1 word
	shift
	for word in "$@"; do
		[[ $word == "$cur"* ]] && COMPREPLY+=("$word")
	done
}

_mpsession() {
	local cword=$COMP_CWORD
	local cur=${COMP_WORDS[cword]} prev=
	local verb='' word value_prefix='' i nargs=0 selection=0 dashdash=0
	local -a typed=() live=()

	COMPREPLY=()
	((cword > 0)) && prev=${COMP_WORDS[cword - 1]}

	# "--class=" is split into "--class" "=" "" where COMP_WORDBREAKS has "=",
	# and kept whole where it has not.
	if [[ $cur == = && $prev == --* ]]; then
		cur=
	elif [[ $prev == = ]] && ((cword >= 2)); then
		prev=${COMP_WORDS[cword - 2]}
	elif [[ $cur == --*=* ]]; then
		prev=${cur%%=*}
		value_prefix=$prev=
		cur=${cur#*=}
	fi

	# Find the verb and the operands typed so far, skipping option values.
	for ((i = 1; i < cword; i++)); do
		word=${COMP_WORDS[i]}
		if ((dashdash)) || [[ $word != -* || $word == - ]]; then
			if [[ $word == = ]]; then
				((i++))
				continue
			fi
			if [[ -z $verb ]]; then
				verb=$word
			else
				typed+=("$word")
				((nargs++))
			fi
			continue
		fi
		case $word in
		--)
			dashdash=1
			;;
		--timeout | --message | -m | --grace | -g | --reason | -r)
			# the value: the next word, or "=" and the one after it
			if [[ ${COMP_WORDS[i + 1]-} == = ]]; then
				((i += 2))
			else
				((i++))
			fi
			;;
		--user | -u | --station | -s | --class | --state)
			selection=1
			# the value: the next word, or "=" and the one after it
			if [[ ${COMP_WORDS[i + 1]-} == = ]]; then
				((i += 2))
			else
				((i++))
			fi
			;;
		--user=* | --station=* | --class=* | --state=* | -a | --all)
			selection=1
			;;
		esac
	done

	# The value of an option.
	case $prev in
	--user | -u)
		mapfile -t live < <(_mpsession_live users)
		_mpsession_add_values "$cur" "${live[@]}"
		;;
	--station | -s)
		mapfile -t live < <(_mpsession_live stations)
		_mpsession_add_values "$cur" "${live[@]}"
		;;
	--class)
		_mpsession_add_values "$cur" user user-early user-incomplete user-light \
			user-early-light greeter lock-screen background background-light manager \
			manager-early none
		;;
	--state)
		_mpsession_add_values "$cur" opening online active closing
		;;
	--reason | -r)
		_mpsession_add_words "$cur" restart shutdown mode-switch logoff
		;;
	--timeout | --grace | -g | --message | -m)
		# a duration such as 90s, 5m or 1h30m, or free text: nothing to offer
		;;
	*)
		# not an option with a value: back to the word as typed
		prev=
		cur=${COMP_WORDS[cword]}
		[[ $cur == *=* ]] && return 0
		;;
	esac
	if [[ -n $prev ]]; then
		[[ -n $value_prefix ]] && COMPREPLY=("${COMPREPLY[@]/#/$value_prefix}")
		return 0
	fi

	# Options: before the verb only the global ones, after it also the verb's.
	if [[ $cur == -* ]] && ((!dashdash)); then
		local opts
		if [[ -z $verb ]]; then
			opts="$_mpsession_global_opts --version"
		else
			opts=$(_mpsession_verb_opts "$verb")
			if [[ $opts == *targets* ]]; then
				opts="${opts/targets/} $_mpsession_selection_opts"
			fi
			opts="$opts $_mpsession_global_opts"
		fi
		# shellcheck disable=SC2086 # a list of words
		_mpsession_add_words "$cur" $opts
		return 0
	fi

	if [[ -z $verb ]]; then
		# shellcheck disable=SC2086
		_mpsession_add_words "$cur" $_mpsession_verbs
		return 0
	fi

	# Operands.
	case $verb in
	help)
		# shellcheck disable=SC2086
		((nargs == 0)) && _mpsession_add_words "$cur" $_mpsession_verbs
		;;
	disconnect | resume)
		((nargs == 0)) || return 0
		mapfile -t live < <(_mpsession_live sessions)
		[[ $verb == disconnect ]] && live+=(self)
		_mpsession_add_words "$cur" "${live[@]}"
		;;
	end | suspend | message | lock | unlock)
		# ids cannot be mixed with --all or filters; message's TEXT is anything
		((selection)) && return 0
		mapfile -t live < <(_mpsession_live sessions)
		live+=(self)
		for word in "${live[@]}"; do
			[[ " ${typed[*]} " == *" $word "* ]] && continue
			[[ $word == "$cur"* ]] && COMPREPLY+=("$word")
		done
		;;
	esac
	return 0
}

complete -F _mpsession mpsession
