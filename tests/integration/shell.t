#!/bin/bash
# mpsession shell: scripts on a pipe, and the interactive prompt, driven through
# tmux inside the lab (completion, history, Ctrl-C, Ctrl-D).
# shellcheck disable=SC2317 # helpers are called through ok and wait_until
. "$(dirname "$0")/common.sh"
lab_require
lab_up

t=$(lab_id carol-tty)

# shell_script SCRIPT [GLOBAL-OPTIONS...]: SCRIPT on the standard input of
# "mpsession [GLOBAL-OPTIONS] shell" in the lab; OUT, ERR and RC as ms sets them.
shell_script() {
	local script=$1
	shift
	run_ms lab_exec -- "$@" shell < <(printf '%s' "$script")
}

# ---- script mode ----

ms list
list_out=$OUT
ms --json list
json_out=$OUT
ms help end
help_end_out=$OUT

shell_script $'list\n'
is "$RC" 0 "list from a pipe: exit 0"
is "$OUT" "$list_out" "list from a pipe prints what 'mpsession list' prints"
is "$ERR" "" "list from a pipe: nothing on stderr"

shell_script $'list\nend c4711\n'
is "$RC" 3 "last line 'end c4711': exit 3, the last command's"
is "$OUT" "$list_out" "the list before it ran"
like "$ERR" "^mpsession: end: 'c4711': no such session" "the failing command says why"

shell_script $'end c4711\nbogus\nlist\n'
is "$RC" 0 "errors mid-script do not stop it; last line 'list': exit 0"
is "$OUT" "$list_out" "the list at the end ran"
like "$ERR" "'c4711': no such session" "first error reported"
like "$ERR" "unknown verb 'bogus'" "second error reported"

shell_script $'lis\n'
is "$RC" 2 "unknown verb: exit 2"
like "$ERR" "unknown verb 'lis' \(did you mean 'list'\?\)" "unknown verb: did you mean"

shell_script $'end \'c 1\'\n'
is "$RC" 2 "single quotes: exit 2"
like "$ERR" "end: invalid session id 'c 1'" "single quotes make 'c 1' one word"
shell_script $'end "c 1"\n'
like "$ERR" "end: invalid session id 'c 1'" "double quotes make \"c 1\" one word"
shell_script $'end c\\ 1\n'
like "$ERR" "end: invalid session id 'c 1'" "a backslash keeps the blank in the word"
shell_script $'end "c\\"1"\n'
like "$ERR" "end: invalid session id 'c\"1'" "backslash-quote inside double quotes"
shell_script $'end \'$HOME\' `id` *\n'
like "$ERR" "end: invalid session id '\\\$HOME'" "no variables: \$HOME stays as it is"

shell_script $'end \'c1\nlist\n'
is "$RC" 0 "unterminated quote, then list: the script goes on, exit 0"
like "$ERR" "^mpsession: shell: line 1: unterminated single quote" \
	"unterminated quote: says which and where"
is "$OUT" "$list_out" "the line after it ran"
shell_script $'end "c1\n'
is "$RC" 2 "unterminated double quote as the last line: exit 2"
like "$ERR" "line 1: unterminated double quote" "unterminated double quote named"

shell_script $'\n   \n# a comment\nlist # and one at the end\n\n'
is "$RC" 0 "blank lines and comments: exit 0"
is "$OUT" "$list_out" "blank lines and comments are skipped"
is "$ERR" "" "blank lines and comments: nothing on stderr"

shell_script ''
is "$RC" 0 "empty input: exit 0"
is "$OUT$ERR" "" "empty input: no output at all"

shell_script $'--json list\nlist\n'
is "$OUT" "$json_out"$'\n'"$list_out" "global options work per line and do not carry over"

shell_script $'help end\n'
is "$OUT" "$help_end_out" "help VERB prints what 'mpsession help VERB' prints"
shell_script $'help\n'
is "$RC" 0 "help: exit 0"
like "$OUT" "^Usage: mpsession " "help prints the usage"
# the verbs the shell's help lists are the verb table's (tests/static/verbs.t
# holds the table against the man page and the completions)
help_verbs() { sed -n '/^Verbs:/,/^$/p' <<<"$1" | awk 'NF && !/^Verbs:/ {print $1}' | sort | tr '\n' ' '; }
shell_help=$OUT
ms --help
is "$(help_verbs "$shell_help")" "$(help_verbs "$OUT")" "the shell's help lists the verbs of 'mpsession --help'"
like "$(help_verbs "$shell_help")" "message" "... message among them"
# clean TEXT: no prompt and no terminal escape sequence in TEXT
clean() { [[ $1 != *"mpsession>"* && $1 != *$'\e'* ]]; }
ok "no prompt and no escape sequences on stdout in pipe mode" clean "$OUT"

# SIGTERM while half a line has come: the script ends at once, and the half
# line is not run.  (On the host: nothing here needs logind.)
fifo=$(mktemp -u) out=$(mktemp)
mkfifo "$fifo"
"$MPSESSION" shell <"$fifo" >"$out" 2>&1 &
sh_pid=$!
exec {feed}>"$fifo"
printf 'help --version\nlis' >&"$feed"
ok "the first line runs" wait_until 10 grep -q '^mpsession ' "$out"
kill -TERM "$sh_pid"
ended_pid() { ! kill -0 "$sh_pid" 2>/dev/null; }
ok "it ends within 2 s, with the pipe still open" wait_until 2 ended_pid
exec {feed}>&-
wait "$sh_pid"
is "$?" 130 "SIGTERM with half a line read: exit 130"
ok "the half line is not run" bash -c "! grep -q 'unknown verb' '$out'"
like "$(cat "$out")" "shell: interrupted" "says it was interrupted"
rm -f "$fifo" "$out"

shell_script $'end c4711\nquit\nlist\n'
is "$RC" 3 "quit: exit status of the command before it"
is "$OUT" "" "quit stops reading: the list after it did not run"
shell_script $'list\nexit\nend c4711\n'
is "$RC" 0 "exit stops reading too"

shell_script $'list\nexit 7\nlist\n'
is "$RC" 7 "exit 7: exit status 7"
is "$OUT" "$list_out" "exit 7: the lines after it did not run"
shell_script $'end c4711\nexit\n'
is "$RC" 3 "exit without a status: the last command's"
shell_script $'exit abc\nlist\n'
is "$RC" 2 "exit abc: exit 2"
is "$OUT" "" "exit abc: leaves all the same, the list after it did not run"
like "$ERR" "^mpsession: exit: line 1: 'abc': not an exit status \(0 to 255\)$" "exit abc: says why"
shell_script $'quit 1 2\n'
is "$RC" 2 "quit 1 2: exit 2"
like "$ERR" "^mpsession: quit: line 1: too many arguments, from '2' on$" "quit 1 2: says why"
shell_script $'exit 256\n'
is "$RC" 2 "exit 256: out of range, exit 2"

# Global options given with "shell" are the defaults of every line.
shell_script $'list\nlist\n' --json
is "$OUT" "$json_out"$'\n'"$json_out" "mpsession --json shell: every line prints JSON"
ms --no-legend list
nolegend_out=$OUT
shell_script $'list\n' --no-legend
is "$OUT" "$nolegend_out" "mpsession --no-legend shell: lines print no legend"
shell_script "end --dry-run $t"$'\n' --quiet
is "$RC$OUT" 0 "mpsession --quiet shell: a line prints no results"
shell_script "lock --wait $t"$'\n' --timeout 1s
is "$RC" 6 "mpsession --timeout 1s shell: a line's wait runs out after 1s: exit 6"
like "$ERR" "not locked when the wait ended" "...and says so"
shell_script "--timeout 1s lock --wait $t"$'\n' --timeout 5min
is "$RC" 6 "a line's own --timeout wins over the default"
lab_exec loginctl unlock-session "$t"
shell_script $'--timeout 0 list\n' --timeout 5min
is "$RC" 2 "a bad --timeout on a line is that line's error"

shell_script $'shell\n'
is "$RC" 2 "shell inside the shell: exit 2"
like "$ERR" "^mpsession: shell: already running in the shell" "shell inside the shell is refused"

shell_script "end --dry-run $t"$'\n'
is "$RC" 0 "a verb with options from a pipe: exit 0"
like "$OUT" "$t +carol +- +would-end" "end --dry-run from a pipe"

# ---- interactive mode, through tmux ----

if ! lab_exec sh -c 'command -v tmux' >/dev/null; then
	if [[ ${CI:-} == true ]]; then
		fail "tmux is installed (package tmux; tests/deps.sh)"
	else
		skip 1 "tmux is not installed (package tmux): no interactive tests"
	fi
	done_testing
fi

SOCK=mpsession-shell-t$$
DIR=/tmp/shell-t$$
STATE=$DIR/state
OUTF=$DIR/stdout
HIST=$STATE/mpsession/history
lab_exec mkdir -p "$DIR"

tm() { lab_exec tmux -L "$SOCK" "$@"; }
# start NAME COMMAND: a detached tmux session running COMMAND, kept once it exits
# start NAME STDOUT [ENV...]: "mpsession shell" in a detached tmux session NAME,
# with the environment ENV and its standard output to the file STDOUT
# (/dev/tty for the pane).  Its pid goes to $DIR/NAME.pid and, when it ends,
# its exit status to $DIR/NAME.status: tmux's own #{pane_dead_status} was seen
# missing, with the process a zombie.  The bash around it is not interrupted
# by a Ctrl-C that its child survives.
start() {
	local name=$1 stdout=$2
	shift 2
	# shellcheck disable=SC2016 # expanded by the shells in the pane
	tm -f /dev/null new-session -d -s "$name" -x 160 -y 50 \
		bash -c 'sh -c '\''echo $$ >"$0.pid"; out=$1; shift; exec "$@" >>"$out"'\'' "$@"
			echo $? >"$1.status"' \
		_ "$DIR/$name" "$stdout" env "$@" TERM=screen "$MPSESSION" shell
}
screen() { tm capture-pane -p -t "$1"; }
last_line() { screen "$1" | sed '/^$/d' | tail -n 1; }
last_line_is() { [[ $(last_line "$1") == "$2" ]]; }
screen_has() { [[ $(screen "$1") =~ $2 ]]; }
type_in() { tm send-keys -t "$1" -l -- "$2"; }
key() { tm send-keys -t "$@"; }
pane() { tm display-message -p -t "$1" "$2"; }
ended() { lab_exec test -s "$DIR/$1.status"; }
status() { lab_exec cat "$DIR/$1.status"; }
file_has() { lab_exec grep -qE -- "$2" "$1"; }
# The line was taken: readline moved to the next line (column 0) to run it.
# Only then may Ctrl-C be sent: the terminal throws away unread input on ^C.
line_taken() { [[ $(pane "$1" '#{cursor_x}') == 0 ]]; }

# stdout to a file, stderr to the terminal: the screen shows the prompt, the
# file only the commands' output.
start a "$OUTF" XDG_STATE_HOME="$STATE"
ok "the prompt appears" wait_until 10 last_line_is a "mpsession>"

type_in a "li"
key a Tab
ok "li<TAB> completes to list" wait_until 5 last_line_is a "mpsession> list"
key a Enter
ok "list runs" wait_until 10 file_has "$OUTF" '^seat2 '
ok "the prompt comes back" wait_until 5 last_line_is a "mpsession>"
is "$(lab_exec cat "$OUTF")" "$list_out" "list at the prompt prints what 'mpsession list' prints"
# bus_socket NAME: the sockets the shell NAME holds open (only its bus connection)
bus_socket() {
	# shellcheck disable=SC2016 # expanded by the shell inside
	lab_exec sh -c 'ls -l "/proc/$1/fd" | grep -o "socket:\[[0-9]*\]"' _ \
		"$(lab_exec cat "$DIR/$1.pid")"
}
sock=$(bus_socket a)
like "$sock" '^socket:\[[0-9]+\]$' "after a command the shell keeps one bus connection"

type_in a "end --al"
key a Tab
ok "end --al<TAB> completes to --all" wait_until 5 last_line_is a "mpsession> end --all"
key a C-u
ok "C-u clears the line" wait_until 5 last_line_is a "mpsession>"

type_in a "end --reason mo"
key a Tab
ok "end --reason mo<TAB> completes to mode-switch" \
	wait_until 5 last_line_is a "mpsession> end --reason mode-switch"
key a C-u
ok "the line is cleared again" wait_until 5 last_line_is a "mpsession>"
# help has no options of its own: the global ones and --help are offered
type_in a "help --he"
key a Tab
ok "help --he<TAB> completes to --help" wait_until 5 last_line_is a "mpsession> help --help"
key a C-u

# Every live id is offered after "resume "; then a prefix only one id has completes.
type_in a "resume "
key a Tab Tab
all_ids_listed() {
	local id s
	s=$(screen a)
	for id in $(session_ids); do
		[[ $s =~ (^|[[:space:]])$id([[:space:]]|$) ]] || return 1
	done
}
ok "resume <TAB><TAB> lists the live session ids" wait_until 5 all_ids_listed
key a C-u
unique_prefix=
uid=
for id in $(session_ids); do
	for ((n = 1; n < ${#id}; n++)); do
		p=${id:0:n}
		if [[ $(session_ids | tr ' ' '\n' | grep -c "^$p") == 1 ]]; then
			unique_prefix=$p uid=$id
			break 2
		fi
	done
done
if [[ -n $uid ]]; then
	type_in a "end --dry-run $unique_prefix"
	key a Tab
	ok "a prefix of a live id completes to '$uid'" \
		wait_until 5 last_line_is a "mpsession> end --dry-run $uid"
	key a Enter
	ok "end --dry-run with the completed id runs" \
		wait_until 10 file_has "$OUTF" "^$uid .*would-end"
else
	skip 2 "no session id here has a prefix no other id shares"
	uid=$t
	type_in a "end --dry-run $uid"
	key a Enter
fi
ok "the prompt comes back" wait_until 5 last_line_is a "mpsession>"

type_in a "end --user "
key a Tab Tab
ok "end --user <TAB><TAB> lists live user names" wait_until 5 screen_has a "alice +bob +carol"
key a C-u

# Ctrl-C at an idle prompt drops the line and must not interrupt the next command.
type_in a "lis"
ok "lis is on the line" wait_until 5 last_line_is a "mpsession> lis"
key a C-c
ok "Ctrl-C at the prompt: ^C and a fresh prompt" \
	wait_until 5 screen_has a $'mpsession> lis\\^C\nmpsession> *$'
lab_exec truncate -s 0 "$OUTF"
type_in a "list"
key a Enter
ok "the next command runs" wait_until 10 file_has "$OUTF" '^seat2 '
ok "...and finishes" wait_until 5 last_line_is a "mpsession>"
ok "...and is not interrupted" test "$(screen a | grep -c interrupted)" = 0
is "$(bus_socket a)" "$sock" "completion and later commands used that connection, not new ones"

# Ctrl-C during a wait interrupts that command only.
type_in a "lock --wait --timeout 30s $t"
key a Enter
ok "lock --wait runs" wait_until 10 line_taken a
key a C-c
ok "Ctrl-C ends the wait" wait_until 10 screen_has a "interrupted"
ok "...and the prompt comes back" wait_until 10 last_line_is a "mpsession>"
lab_exec truncate -s 0 "$OUTF"
type_in a "list"
key a Enter
ok "the command after it runs" wait_until 10 file_has "$OUTF" '^seat2 '
lab_exec loginctl unlock-session "$t"

ok "the history file is written" lab_exec test -s "$HIST"
want=$(printf '%s\n' "end --dry-run $uid" "lock --wait --timeout 30s $t" list)
is "$(lab_exec cat "$HIST")" "$want" "history: each line once, newest last, no completion blank"
is "$(lab_exec stat -c %a "$STATE/mpsession")" 700 "the history directory is private"

key a Up
ok "Up recalls the last line" wait_until 5 last_line_is a "mpsession> list"
key a C-u

key a C-d
ok "Ctrl-D leaves" wait_until 5 ended a
is "$(status a)" 0 "Ctrl-D: exit status of the last command"
stdout=$(lab_exec cat "$OUTF")
like "$stdout" "^STATION " "stdout holds the output"
ok "no prompt and no escape sequences on stdout" clean "$stdout"

# A new shell reads the history; the default place is ~/.local/state.
start b /dev/tty XDG_STATE_HOME="$STATE"
ok "second shell: prompt" wait_until 10 last_line_is b "mpsession>"
key b Up Up
ok "the history of the first shell is there" \
	wait_until 5 last_line_is b "mpsession> lock --wait --timeout 30s $t"
key b C-u
type_in b "quit"
key b Enter
ok "quit leaves" wait_until 5 ended b

lab_exec rm -rf /root/.local/state/mpsession
start c /dev/tty -u XDG_STATE_HOME HOME=/root
ok "third shell: prompt" wait_until 10 last_line_is c "mpsession>"
type_in c "help list"
key c Enter
ok "help list runs" wait_until 5 screen_has c "Usage: mpsession list"
ok "history in ~/.local/state/mpsession by default" \
	wait_until 5 lab_exec grep -qx "help list" /root/.local/state/mpsession/history
lab_exec kill -TERM "$(lab_exec cat "$DIR/c.pid")"
ok "SIGTERM at the prompt leaves" wait_until 5 ended c
is "$(status c)" 130 "SIGTERM: exit 130"

# A history file with repeated lines (two shells wrote it): read without them.
lab_exec mkdir -p "$DIR/state2/mpsession"
lab_exec sh -c 'printf "%s\n" list help list "help end" help >"$1"' _ "$DIR/state2/mpsession/history"
start d /dev/tty XDG_STATE_HOME="$DIR/state2"
ok "fourth shell: prompt" wait_until 10 last_line_is d "mpsession>"
type_in d "help list"
key d Enter
want=$(printf '%s\n' list "help end" help "help list")
history_is() { [[ $(lab_exec cat "$DIR/state2/mpsession/history") == "$1" ]]; }
ok "repeated lines read from the file are kept once, the newest" wait_until 5 history_is "$want"
type_in d "exit 3"
key d Enter
ok "exit 3 at the prompt leaves" wait_until 5 ended d
is "$(status d)" 3 "...with status 3"

# A history file that is a symlink (to a file root may write) is never
# followed: the shell keeps no history and says so.
lab_exec sh -c 'echo untouched >"$1/victim" && mkdir -p "$1/evil/mpsession" &&
	ln -s "$1/victim" "$1/evil/mpsession/history"' _ "$DIR"
start e /dev/tty XDG_STATE_HOME="$DIR/evil"
ok "fifth shell: prompt" wait_until 10 last_line_is e "mpsession>"
ok "it says no history is kept" screen_has e "no history is kept"
type_in e "help list"
key e Enter
ok "help list runs" wait_until 5 screen_has e "Usage: mpsession list"
type_in e "quit"
key e Enter
ok "quit leaves" wait_until 5 ended e
is "$(lab_exec cat "$DIR/victim")" untouched "the file behind the symlink is untouched"

tm kill-server 2>/dev/null
lab_exec rm -rf "$DIR"
done_testing
