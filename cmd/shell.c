/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The shell: commands from a readline prompt, or one per line when standard
 * input is not a terminal.  Each line is split like sh(1) splits words, with
 * quotes and backslashes but no expansion of any kind, and then run as the
 * command line "mpsession WORDS...": the verb table, its options and the
 * global options all work as they do on the command line.  (BlueZ
 * src/shared/shell.c is the model: a callback-driven readline over a verb
 * table.)
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "mpsession.h"

#define PROMPT "mpsession> "
#define HISTORY_MAX 1000
/* Completion asks logind for live ids: never long enough to hang the prompt. */
#define COMPLETION_TIMEOUT_USEC (2 * USEC_PER_SEC)

/* ---- splitting words ---- */

struct split {
	char **words;	/* NULL-terminated */
	size_t n;
	char open;	/* at the end: the open quote, or '\\' for a dangling escape */
	bool in_word;	/* the line ends inside a word (the one being completed) */
};

char **shell_words_free(char **words)
{
	for (char **w = words; w && *w; w++)
		free(*w);
	free(words);
	return NULL;
}

static int push_word(struct split *s, const char *buf, size_t len)
{
	char **words = reallocarray(s->words, s->n + 2, sizeof(char *));

	if (!words)
		return -ENOMEM;
	s->words = words;
	s->words[s->n] = strndup(buf, len);
	if (!s->words[s->n])
		return -ENOMEM;
	s->words[++s->n] = NULL;
	return 0;
}

static bool streq(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/*
 * Split the first len bytes of line.  Blanks separate words; 'single quotes'
 * keep everything up to the next single quote; in "double quotes" a
 * backslash escapes only \ " $ and ` (as in sh); outside quotes a backslash
 * keeps the next character whatever it is; '#' at the start of a word makes
 * the rest of the line a comment.  Nothing is ever expanded.
 *
 * An open quote or a backslash at the very end is -EINVAL, with s->open
 * saying which; when lenient (for completion) it ends the word instead.
 */
static int split(const char *line, size_t len, bool lenient, struct split *s)
{
	char *buf = malloc(len + 1);
	size_t k = 0;
	char quote = 0;
	int e = 0;

	*s = (struct split){};
	if (!buf)
		return -ENOMEM;
	for (size_t i = 0; i < len && e >= 0; i++) {
		char c = line[i];

		if (quote == '\'') {
			if (c == '\'')
				quote = 0;
			else
				buf[k++] = c;
		} else if (quote == '"') {
			if (c == '"')
				quote = 0;
			else if (c == '\\' && i + 1 < len && line[i + 1] &&
				 strchr("\\\"$`", line[i + 1]))
				buf[k++] = line[++i];
			else
				buf[k++] = c;
		} else if (is_blank(c)) {
			if (s->in_word)
				e = push_word(s, buf, k);
			s->in_word = false;
			k = 0;
		} else if (c == '#' && !s->in_word) {
			break;
		} else {
			s->in_word = true;
			if (c == '\'' || c == '"')
				quote = c;
			else if (c != '\\')
				buf[k++] = c;
			else if (i + 1 < len)
				buf[k++] = line[++i];
			else
				s->open = '\\';
		}
	}
	if (quote)
		s->open = quote;
	if (e >= 0 && s->open && !lenient)
		e = -EINVAL;
	if (e >= 0 && s->in_word)
		e = push_word(s, buf, k);
	free(buf);
	if (e >= 0 && !s->words) {
		s->words = calloc(1, sizeof(char *));
		if (!s->words)
			e = -ENOMEM;
	}
	if (e < 0) {
		s->words = shell_words_free(s->words);
		s->n = 0;
	}
	return e;
}

/*
 * Split a line into words like sh(1), without expanding anything.  On success
 * *ret_words is a NULL-terminated array of ret_n words, each allocated, for
 * shell_words_free().  Returns -EINVAL for an unterminated quote or a
 * backslash at the end of the line, -ENOMEM.
 */
int shell_split(const char *line, char ***ret_words, size_t *ret_n)
{
	struct split s;
	int e;

	if (!line || !ret_words || !ret_n)
		return -EINVAL;
	e = split(line, strlen(line), false, &s);
	if (e < 0)
		return e;
	*ret_words = s.words;
	*ret_n = s.n;
	return 0;
}

/* ---- the shell's state ---- */

struct shell {
	struct run *run;
	bool interactive;
	bool done;
	int status;		/* of the last command */
	FILE *tty;		/* the prompt's stream */
	char *history;		/* path, or NULL for none */
	bool history_failed;	/* said so once */
};

/* readline's callbacks take no data. */
static struct shell *shell;


/*
 * "exit [N]" and "quit [N]": leave with N, or with the status of the last
 * command.  A wrong N leaves too, with status 2: a script that asked to stop
 * must not run on.
 */
static int leave(struct shell *sh, char **words, size_t n, const char *where)
{
	char *end;
	long v;

	sh->done = true;
	if (n == 1)
		return sh->status;
	errno = 0;
	v = strtol(words[1], &end, 10);
	if (n > 2) {
		say(words[0], where, "too many arguments, from '%s' on", words[2]);
		return STATIONS_EXIT_USAGE;
	}
	if (!*words[1] || *end || errno || v < 0 || v > 255) {
		say(words[0], where, "'%s': not an exit status (0 to 255)", words[1]);
		return STATIONS_EXIT_USAGE;
	}
	return (int)v;
}

/*
 * Run one line.  Returns its exit status, or -1 when the line holds no
 * command (blank, a comment).
 */
static int run_line(struct shell *sh, const char *line, unsigned lineno)
{
	struct split s;
	const char **argv;
	char where[32];
	const char *w = NULL;
	int e;

	if (!sh->interactive) {
		snprintf(where, sizeof(where), "line %u", lineno);
		w = where;
	}
	e = split(line, strlen(line), false, &s);
	if (e == -EINVAL) {
		say("shell", w, "%s",
		    s.open == '\\' ? "backslash at the end of the line"
		    : s.open == '"' ? "unterminated double quote"
				    : "unterminated single quote");
		return STATIONS_EXIT_USAGE;
	}
	if (e < 0) {
		say("shell", w, "%s", strerror(-e));
		return exit_status_for_errno(e);
	}
	if (s.n == 0) {
		shell_words_free(s.words);
		return -1;
	}
	if (streq(s.words[0], "quit") || streq(s.words[0], "exit")) {
		e = leave(sh, s.words, s.n, w);
		shell_words_free(s.words);
		return e;
	}

	argv = calloc(s.n + 2, sizeof(char *));
	if (!argv) {
		shell_words_free(s.words);
		return exit_status_for_errno(-ENOMEM);
	}
	argv[0] = "mpsession";
	for (size_t i = 0; i < s.n; i++)
		argv[i + 1] = s.words[i];
	e = run_command_line(sh->run, (int)s.n + 1, argv);
	/*
	 * The connection serves the next line too (need_ctx() gives it that
	 * line's options), unless this one failed: then the next starts afresh,
	 * in case the bus itself went away.
	 */
	if (e != STATIONS_EXIT_OK)
		sh->run->ctx = stations_ctx_free(sh->run->ctx);
	if (e >= 0 && sh->interactive && s.n == 1 &&
	    streq(s.words[0], "help"))
		fputs("\nIn the shell, TAB completes; 'exit [N]', 'quit' or Ctrl-D leaves.\n",
		      stdout);
	if (fflush(stdout) != 0 && e >= 0)
		e = -EIO;
	clearerr(stdout);
	free(argv);
	shell_words_free(s.words);
	return e < 0 ? exit_status_for_errno(e) : e;
}

/* ---- script mode: no terminal on stdin ---- */

/*
 * Lines of standard input, read here rather than by stdio, so that a signal
 * is never waited out.
 */
struct reader {
	char *buf;
	size_t len;		/* bytes held */
	size_t size;
	size_t consumed;	/* of the line handed out last */
	bool eof;
};

/*
 * The next line (without its newline, possibly holding NUL bytes), in
 * *ret_line and *ret_len until the next call.  Waits for input or a signal,
 * whichever comes first, however slowly the line arrives.  Returns 1 with a
 * line, 0 at the end, -EINTR when a signal came, or -errno.
 */
static int next_line(struct shell *sh, struct reader *rd, char **ret_line, size_t *ret_len)
{
	/* drop the line handed out last time */
	if (rd->consumed) {
		memmove(rd->buf, rd->buf + rd->consumed, rd->len - rd->consumed);
		rd->len -= rd->consumed;
		rd->consumed = 0;
	}
	for (;;) {
		struct pollfd p[2] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = sh->run->interrupt_fd, .events = POLLIN },
		};
		char *nl = rd->len ? memchr(rd->buf, '\n', rd->len) : NULL;
		ssize_t n;

		if (nl || (rd->eof && rd->len > 0)) {
			size_t len = nl ? (size_t)(nl - rd->buf) : rd->len;

			rd->consumed = nl ? len + 1 : len;
			rd->buf[len] = '\0';	/* the newline, or the spare byte */
			*ret_line = rd->buf;
			*ret_len = len;
			return 1;
		}
		if (rd->eof)
			return 0;
		if (poll(p, sh->run->interrupt_fd >= 0 ? 2 : 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (p[1].revents & POLLIN)
			return -EINTR;
		if (rd->size - rd->len < 4096 + 1) {
			size_t size = rd->size ? rd->size * 2 : 8192;
			char *b = realloc(rd->buf, size);

			if (!b)
				return -ENOMEM;
			rd->buf = b;
			rd->size = size;
		}
		n = read(STDIN_FILENO, rd->buf + rd->len, rd->size - rd->len - 1);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			rd->eof = true;
		rd->len += (size_t)n;
	}
}

static int shell_script(struct shell *sh)
{
	struct reader rd = {};
	unsigned lineno = 0;
	int fd = sh->run->interrupt_fd;

	while (!sh->done) {
		size_t n = 0;
		char *line = NULL;
		int rc;

		rc = next_line(sh, &rd, &line, &n);
		/* a signal that came with the line still stops the script before it */
		if (rc == -EINTR || interrupt_drain(fd)) {
			say("shell", NULL, "interrupted");
			sh->status = STATIONS_EXIT_INTERRUPTED;
			break;
		}
		if (rc < 0) {
			say("shell", NULL, "cannot read standard input: %s", strerror(-rc));
			sh->status = exit_status_for_errno(-EIO);
			break;
		}
		if (rc == 0)
			break;
		lineno++;
		if (memchr(line, '\0', n)) {
			say("shell", NULL, "line %u: contains a NUL byte", lineno);
			sh->status = STATIONS_EXIT_USAGE;
			continue;
		}
		rc = run_line(sh, line, lineno);
		if (rc >= 0)
			sh->status = rc;
		/* An interruption of a command ends the script, as it would end sh. */
		if (interrupt_drain(fd)) {
			say("shell", NULL, "interrupted");
			sh->status = STATIONS_EXIT_INTERRUPTED;
			break;
		}
	}
	free(rd.buf);
	return sh->status;
}

/* ---- history ---- */

/* A directory of ours: owned by the effective user, writable by nobody else. */
static bool dir_is_ours(const char *path, bool follow)
{
	struct stat st;

	if ((follow ? stat(path, &st) : lstat(path, &st)) < 0)
		return false;
	return S_ISDIR(st.st_mode) && st.st_uid == geteuid() && !(st.st_mode & 022);
}

/* A directory to be: its nearest existing ancestor must be ours. */
static bool place_is_ours(const char *path)
{
	char *p = strdup(path), *slash;
	bool ours = false;

	while (p && *p) {
		struct stat st;

		if (stat(p, &st) == 0) {
			ours = dir_is_ours(p, true);
			break;
		}
		if (errno != ENOENT)
			break;
		slash = strrchr(p, '/');
		if (!slash || slash == p)
			break;
		*slash = '\0';
	}
	free(p);
	return ours;
}

/*
 * $XDG_STATE_HOME/mpsession/history, or ~/.local/state/mpsession/history.
 * Only from directories of the effective user: root under "sudo -E" keeps
 * someone else's HOME, and must not write into it.
 */
static char *history_path(void)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	char *path = NULL;
	int n;

	if (state && state[0] == '/' && place_is_ours(state))
		n = asprintf(&path, "%s/mpsession/history", state);
	else {
		if (!home || home[0] != '/' || !dir_is_ours(home, true)) {
			struct passwd *pw = getpwuid(geteuid());

			home = pw ? pw->pw_dir : NULL;
		}
		if (!home || home[0] != '/')
			return NULL;
		n = asprintf(&path, "%s/.local/state/mpsession/history", home);
	}
	return n < 0 ? NULL : path;
}

/*
 * mkdir -p of the file's directory; new directories are private (0700).  The
 * directory itself must then be ours, and the file, if there is one, a
 * regular file of ours: never a symlink or a FIFO that someone put there.
 */
static int make_parents(const char *path)
{
	char *dir = strdup(path);
	struct stat st;
	int e = 0;

	if (!dir)
		return -ENOMEM;
	/* each directory on the way: what comes before each '/' but the first */
	for (char *p = strchr(dir + 1, '/'); p && e == 0; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			e = -errno;
		*p = '/';
	}
	*strrchr(dir, '/') = '\0';
	if (e == 0 && !dir_is_ours(dir, false))
		e = -EPERM;
	free(dir);
	if (e < 0)
		return e;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISREG(st.st_mode) || st.st_uid != geteuid())
		return -EPERM;
	return 0;
}

static void history_failed(struct shell *sh, int error)
{
	if (sh->history_failed)
		return;
	sh->history_failed = true;
	say("shell", "history", "'%s': %s", sh->history, strerror(error));
}

/* Remove the entries before index end that hold line; returns how many. */
static int forget_copies(const char *line, int end)
{
	HIST_ENTRY **list = history_list();
	int n = 0;

	for (int j = end - 1; list && j >= 0; j--)
		if (streq(list[j]->line, line)) {
			free_history_entry(remove_history(j));
			list = history_list();
			n++;
		}
	return n;
}

/* Lines edited since the last Enter keep their undo lists in the history. */
static void history_forget_edits(void)
{
	HIST_ENTRY **list;

	rl_free_undo_list();
	list = history_list();
	for (int i = 0; list && list[i]; i++)
		if (list[i]->data) {
			/* frees it, and clears every entry that holds it */
			rl_undo_list = (UNDO_LIST *)list[i]->data;
			rl_free_undo_list();
		}
}

static void history_setup(struct shell *sh)
{
	int e;

	using_history();
	stifle_history(HISTORY_MAX);
	sh->history = history_path();
	if (!sh->history)
		return;
	e = make_parents(sh->history);
	if (e == -EPERM) {
		sh->history_failed = true;
		say("shell", "history", "'%s': not a file of this user in a directory only they "
			"can write; no history is kept", sh->history);
		return;
	}
	if (e < 0) {
		history_failed(sh, -e);
		return;
	}
	e = read_history(sh->history);
	if (e != 0 && e != ENOENT)
		history_failed(sh, e);
	/* Older lines may repeat (another shell wrote them): keep the newest. */
	for (int i = history_length - 1; i > 0; i--)
		i -= forget_copies(history_list()[i]->line, i);
	using_history();
}

/*
 * Add a line to the history, without the blanks around it (completion leaves
 * one behind), and without its earlier copies.
 */
static void remember(struct shell *sh, const char *line)
{
	size_t len;
	char *copy;
	int e;

	while (is_blank(*line))
		line++;
	len = strlen(line);
	while (len > 0 && is_blank(line[len - 1]) && !(len > 1 && line[len - 2] == '\\'))
		len--;
	if (len == 0)
		return;
	copy = strndup(line, len);
	if (!copy)
		return;
	forget_copies(copy, history_length);
	add_history(copy);
	free(copy);
	using_history();
	if (!sh->history || sh->history_failed)
		return;
	/* Written at once, so that a shell that is killed loses nothing. */
	e = write_history(sh->history);
	if (e != 0)
		history_failed(sh, e);
}

/* ---- completion ---- */

static const char *const session_classes[] = {
	"user", "user-early", "user-incomplete", "user-light", "user-early-light",
	"greeter", "lock-screen", "background", "background-light", "manager",
	"manager-early", "none",
};

static const char *const session_states[] = { "opening", "online", "active", "closing" };

/* What the generator hands to readline: every candidate, whatever the prefix. */
static struct {
	char **v;
	size_t n;
} candidates;

static void candidates_clear(void)
{
	for (size_t i = 0; i < candidates.n; i++)
		free(candidates.v[i]);
	free(candidates.v);
	candidates.v = NULL;
	candidates.n = 0;
}

static void candidate_add(const char *head, const char *word)
{
	char *c, **v;

	if (!word || !*word || asprintf(&c, "%s%s", head, word) < 0)
		return;
	for (size_t i = 0; i < candidates.n; i++)
		if (streq(candidates.v[i], c)) {
			free(c);
			return;
		}
	v = reallocarray(candidates.v, candidates.n + 1, sizeof(char *));
	if (!v) {
		free(c);
		return;
	}
	candidates.v = v;
	candidates.v[candidates.n++] = c;
}

static char *candidate_generator(const char *text, int state)
{
	static size_t i;
	size_t len = strlen(text);

	if (state == 0)
		i = 0;
	while (i < candidates.n) {
		const char *c = candidates.v[i++];

		if (strncmp(c, text, len) == 0)
			return strdup(c);
	}
	return NULL;
}

static bool option_is(const struct poptOption *o, const char *name)
{
	return o->longName && streq(o->longName, name);
}

static bool takes_value(const struct poptOption *o)
{
	return (o->argInfo & POPT_ARG_MASK) != POPT_ARG_NONE;
}

/* Whether o is the option that word names: --name, --name=VALUE or -c. */
static bool option_named(const struct poptOption *o, const char *word)
{
	size_t len;

	if (word[1] != '-')
		return o->shortName && word[1] == o->shortName && !word[2];
	len = strcspn(word + 2, "=");
	return o->longName && strlen(o->longName) == len &&
	       strncmp(o->longName, word + 2, len) == 0;
}

/*
 * The option a word names, in the tables that hold before the verb (v NULL)
 * or after it; *ret_selection tells whether it selects sessions.
 */
static const struct poptOption *find_option(const struct verb *v, const char *word,
					    bool *ret_selection)
{
	const struct poptOption *tables[] = {
		v ? v->options : NULL,
		v && (v->flags & VERB_TARGETS) ? verb_selection_options : NULL,
		global_options,
		help_options,
	};

	if (word[0] != '-' || !word[1])
		return NULL;
	for (size_t t = 0; t < ELEMENTSOF(tables); t++) {
		const struct poptOption *o = tables[t];

		for (; o && (o->longName || o->shortName); o++)
			if (option_named(o, word)) {
				*ret_selection = t == 1;
				return o;
			}
	}
	return NULL;
}

/* The options of a table; after the verb, --version is not worth offering. */
static void add_options(const struct poptOption *table, bool after_verb)
{
	/* a verb may have no table of its own */
	for (const struct poptOption *o = table; o && (o->longName || o->shortName); o++) {
		char s[3] = { '-', o->shortName, '\0' };

		if (after_verb && option_is(o, "version"))
			continue;
		if (o->longName)
			candidate_add("--", o->longName);
		if (o->shortName)
			candidate_add("", s);
	}
}

/* Live data for one completion, taken when first needed. */
struct live {
	struct stations_snapshot *snap;
	bool tried;
};

/*
 * A snapshot over the shell's connection, made now if no command has made
 * it yet: short calls, never a password prompt.  The next command's
 * need_ctx() puts its own settings back.
 */
static const struct stations_snapshot *live_snapshot(struct live *l)
{
	struct run *r = shell->run;

	if (l->tried)
		return l->snap;
	l->tried = true;
	if (!r->ctx) {
		if (stations_ctx_new(NULL, &r->ctx) < 0)
			return NULL;
		stations_ctx_set_interrupt_fd(r->ctx, r->interrupt_fd);
	}
	stations_ctx_set_timeout(r->ctx, COMPLETION_TIMEOUT_USEC);
	stations_ctx_set_interactive(r->ctx, false);
	/* as after a failed command: the next one starts from a new connection */
	if (stations_snapshot_new(r->ctx, &l->snap) < 0) {
		l->snap = NULL;
		r->ctx = stations_ctx_free(r->ctx);
	}
	return l->snap;
}

static void live_done(struct live *l)
{
	stations_snapshot_free(l->snap);
}

/* Values of an option; head is what comes before the value being typed. */
static void add_values(const struct poptOption *o, const char *head,
		       struct live *live)
{
	const struct stations_snapshot *snap;

	if (option_is(o, "class")) {
		for (size_t i = 0; i < ELEMENTSOF(session_classes); i++)
			candidate_add(head, session_classes[i]);
		return;
	}
	if (option_is(o, "state")) {
		for (size_t i = 0; i < ELEMENTSOF(session_states); i++)
			candidate_add(head, session_states[i]);
		return;
	}
	if (option_is(o, "reason")) {
		for (size_t i = 0; i < n_warning_reasons; i++)
			candidate_add(head, warning_reasons[i].name);
		return;
	}
	if (!option_is(o, "user") && !option_is(o, "station"))
		return;		/* --timeout, --grace, --message: nothing to offer */
	snap = live_snapshot(live);
	for (size_t i = 0; snap && i < stations_snapshot_n_sessions(snap); i++) {
		const struct stations_session *s = stations_snapshot_session(snap, i);

		candidate_add(head, option_is(o, "user") ? stations_session_user(s)
							 : stations_session_station(s));
	}
	if (!snap || !option_is(o, "station"))
		return;
	for (size_t i = 0; i < stations_snapshot_n_stations(snap); i++)
		candidate_add(head,
			      stations_station_id(stations_snapshot_station(snap, i)));
}

/* A value that may be a comma-separated list: complete the last item. */
static void add_list_values(const struct poptOption *o, const char *prefix,
			    const char *text, struct live *live)
{
	const char *comma = strrchr(text, ',');
	int n = comma ? (int)(comma - text + 1) : 0;
	char *head;

	if (asprintf(&head, "%s%.*s", prefix, n, text) < 0)
		return;
	add_values(o, head, live);
	free(head);
}

static void add_operands(const struct verb *v, char **typed, size_t n_typed,
			 bool selection, struct live *live)
{
	const struct stations_snapshot *snap;

	if (v->max_args != UINT_MAX && n_typed >= v->max_args)
		return;
	if (streq(v->name, "help")) {
		for (size_t i = 0; i < n_verbs; i++)
			candidate_add("", verbs[i].name);
		return;
	}
	if (!strstr(v->operands, "SESSION"))
		return;
	/* ids do not mix with a selection */
	if ((v->flags & VERB_TARGETS) && selection)
		return;
	if (v->operands[0] == '[')
		candidate_add("", "self");
	snap = live_snapshot(live);
	for (size_t i = 0; snap && i < stations_snapshot_n_sessions(snap); i++) {
		const char *id = stations_session_id(stations_snapshot_session(snap, i));
		bool seen = false;

		for (size_t k = 0; k < n_typed && !seen; k++)
			seen = streq(typed[k], id);
		if (!seen)
			candidate_add("", id);
	}
}

/*
 * Fill the candidates for the word text, which ends at end in the line:
 * the words before it say where we are (before the verb, after an option
 * that takes a value, among the operands).
 */
static void collect(const char *line, size_t end, const char *text)
{
	struct live live = {};
	const struct poptOption *value_of = NULL, *o;
	const struct verb *v = NULL;
	bool dashdash = false, selection = false, sel;
	char **typed = NULL;
	size_t n_typed = 0, m;
	struct split s;

	if (split(line, end, true, &s) < 0)
		return;
	m = s.in_word ? s.n - 1 : s.n;
	typed = calloc(m + 1, sizeof(char *));
	if (!typed)
		goto out;
	for (size_t i = 0; i < m; i++) {
		const char *w = s.words[i];

		if (dashdash || w[0] != '-' || !w[1]) {
			if (v) {
				typed[n_typed++] = s.words[i];
				continue;
			}
			v = verb_find(w);
			if (!v || streq(w, "shell"))
				goto out;	/* unknown: nothing to offer */
			continue;
		}
		if (streq(w, "--")) {
			dashdash = true;
			continue;
		}
		o = find_option(v, w, &sel);
		if (!o)
			continue;
		selection |= sel;
		if (takes_value(o) && !strchr(w, '=')) {
			if (i + 1 == m)
				value_of = o;
			i++;
		}
	}

	if (value_of)
		add_list_values(value_of, "", text, &live);
	else if (!dashdash && text[0] == '-' && text[1] == '-' && strchr(text, '=')) {
		o = find_option(v, text, &sel);
		if (o && takes_value(o)) {
			size_t n = (size_t)(strchr(text, '=') - text + 1);
			char *prefix = strndup(text, n);

			if (prefix)
				add_list_values(o, prefix, text + strlen(prefix), &live);
			free(prefix);
		}
	} else if (!dashdash && text[0] == '-') {
		if (v) {
			add_options(v->options, true);
			if (v->flags & VERB_TARGETS)
				add_options(verb_selection_options, true);
		}
		add_options(global_options, v != NULL);
		add_options(help_options, v != NULL);
	} else if (!v) {
		for (size_t i = 0; i < n_verbs; i++)
			if (!streq(verbs[i].name, "shell"))
				candidate_add("", verbs[i].name);
		candidate_add("", "quit");
		candidate_add("", "exit");
	} else
		add_operands(v, typed, n_typed, selection, &live);
out:
	live_done(&live);
	free(typed);
	shell_words_free(s.words);
}

static char **complete(const char *text, int start, int end)
{
	(void)start;
	rl_attempted_completion_over = 1;	/* never file names */
	candidates_clear();
	collect(rl_line_buffer, (size_t)end, text);
	if (candidates.n == 0)
		return NULL;
	return rl_completion_matches(text, candidate_generator);
}

/* ---- interactive mode ---- */

/* Ctrl-C at the prompt: drop the line, as sh does, and prompt again. */
static void prompt_interrupted(void)
{
	rl_echo_signal_char(SIGINT);
	rl_callback_sigcleanup();
	rl_free_line_state();
	rl_replace_line("", 1);
	using_history();
	rl_crlf();
	rl_on_new_line();
	rl_redisplay();
}

static void on_line(char *line)
{
	struct shell *sh = shell;
	int rc;

	if (!line) {
		/* Ctrl-D: end the prompt's line */
		fputc('\n', sh->tty);
		fflush(sh->tty);
		sh->done = true;
		rl_callback_handler_remove();
		return;
	}
	remember(sh, line);
	/*
	 * A Ctrl-C typed before Enter was seen by the loop in
	 * shell_interactive() first; one that comes now is for the command.
	 */
	rc = run_line(sh, line, 0);
	if (rc >= 0)
		sh->status = rc;
	/* ...and must not be left for the next one */
	if (interrupt_drain(sh->run->interrupt_fd) & INTERRUPT_SIGTERM) {
		sh->status = STATIONS_EXIT_INTERRUPTED;
		sh->done = true;
	}
	free(line);
	if (sh->done)
		rl_callback_handler_remove();
}

static int shell_interactive(struct shell *sh)
{
	int fd = sh->run->interrupt_fd;
	int e = 0;

	/* stdout is for the commands' output only: the prompt goes to the terminal */
	sh->tty = fopen("/dev/tty", "we");
	history_setup(sh);
	rl_readline_name = "mpsession";
	rl_instream = stdin;
	rl_outstream = sh->tty ? sh->tty : stderr;
	if (!sh->tty)
		sh->tty = stderr;
	rl_attempted_completion_function = complete;
	rl_basic_word_break_characters = " \t\n";
	rl_completer_quote_characters = "'\"";

	rl_callback_handler_install(PROMPT, on_line);
	/*
	 * History lines edited but not run go back to what was run when a line
	 * is taken, so that the history file holds only commands that ran.
	 */
	rl_variable_bind("revert-all-at-newline", "on");
	while (!sh->done) {
		struct pollfd p[2] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = fd, .events = POLLIN },
		};
		unsigned got;

		if (poll(p, fd >= 0 ? 2 : 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			e = -errno;
			break;
		}
		got = p[1].revents & POLLIN ? interrupt_drain(fd) : 0;
		if (got & INTERRUPT_SIGTERM) {
			sh->status = STATIONS_EXIT_INTERRUPTED;
			break;
		}
		if (got & INTERRUPT_SIGINT)
			prompt_interrupted();
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR))
			rl_callback_read_char();
		else if (p[0].revents & POLLNVAL)
			break;
	}
	if (!sh->done) {
		fputc('\n', sh->tty);
		rl_callback_handler_remove();
	}
	candidates_clear();
	history_forget_edits();
	if (sh->tty != stderr)
		fclose(sh->tty);
	rl_outstream = stdout;
	free(sh->history);
	clear_history();
	if (e < 0) {
		say("shell", NULL, "%s", strerror(-e));
		return e;
	}
	return sh->status;
}

/* The interactive shell: a readline prompt over the verb table. */
int verb_shell(struct run *r, int argc, const char **argv)
{
	struct shell sh = { .run = r, .interactive = isatty(STDIN_FILENO) };
	struct options outer;
	int e;

	(void)argc;
	(void)argv;
	if (shell) {
		say("shell", NULL, "already running in the shell");
		return -EINVAL;
	}
	/*
	 * The global options given with "shell" are every line's defaults.
	 * Each line overwrites *r->opt: ours go back for run_command_line() to
	 * free.
	 */
	outer = *r->opt;
	r->defaults = &outer;
	shell = &sh;
	e = sh.interactive ? shell_interactive(&sh) : shell_script(&sh);
	shell = NULL;
	r->defaults = NULL;
	*r->opt = outer;
	return e;
}
