/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mpsession.h"

#define DEFAULT_WAIT_USEC (60 * USEC_PER_SEC)

/*
 * Storage for the verbs' options.  popt tables need fixed addresses; the
 * dispatcher clears this before every verb, so that a verb run from the
 * interactive shell never sees the options of the one before.
 */
struct verb_args verb_args;

#define A verb_args

static const struct poptOption selection_options[] = {
	{ "all", 'a', POPT_ARG_NONE, &A.all, 0, "every session (see the default exclusions)", NULL },
	{ "user", 'u', POPT_ARG_ARGV, &A.users, 0, "sessions of this user (repeatable)", "NAME|UID" },
	{ "station", 's', POPT_ARG_ARGV, &A.stations, 0, "sessions on this station (repeatable)",
	  "SEAT" },
	{ "class", '\0', POPT_ARG_ARGV, &A.classes, 0, "sessions of this class (repeatable)",
	  "CLASS" },
	{ "state", '\0', POPT_ARG_ARGV, &A.states, 0, "sessions in this state (repeatable)",
	  "STATE" },
	{ "include-self", '\0', POPT_ARG_NONE, &A.include_self, 0,
	  "do not leave out the caller's own session", NULL },
	{ "include-root", '\0', POPT_ARG_NONE, &A.include_root, 0,
	  "do not leave out root's sessions", NULL },
	POPT_TABLEEND
};

static const struct poptOption list_options[] = {
	{ "all", 'a', POPT_ARG_NONE, &A.all, 0,
	  "every session logind knows and every station", NULL },
	POPT_TABLEEND
};

/* end and suspend warn first with these; listed in each table so that help shows them */
#define WARNING_OPTIONS                                                                   \
	{ "message", 'm', POPT_ARG_STRING, NULL, OPT_VERB_MESSAGE,                          \
	  "warn the users with this text first", "TEXT" },                                  \
	{ "grace", 'g', POPT_ARG_STRING, NULL, OPT_VERB_GRACE,                              \
	  "warn the users, then wait this long before acting", "DURATION" },                \
	{ "reason", 'r', POPT_ARG_STRING, NULL, OPT_VERB_REASON,                            \
	  "warn with the text for restart, shutdown, mode-switch or logoff", "WHY" }

static const struct poptOption end_options[] = {
	{ "wait", 'w', POPT_ARG_NONE, &A.wait, 0, "wait until every target is gone", NULL },
	{ "force", 'f', POPT_ARG_NONE, &A.force, 0,
	  "with --wait: kill what is left when the timeout passes", NULL },
	{ "dry-run", 'n', POPT_ARG_NONE, &A.dry_run, 0, "show what would be ended; change nothing",
	  NULL },
	WARNING_OPTIONS,
	POPT_TABLEEND
};

static const struct poptOption suspend_options[] = {
	{ "freeze", '\0', POPT_ARG_NONE, &A.freeze, 0,
	  "also freeze the session, so that it uses no CPU", NULL },
	{ "dry-run", 'n', POPT_ARG_NONE, &A.dry_run, 0, "show what would be done; change nothing",
	  NULL },
	WARNING_OPTIONS,
	POPT_TABLEEND
};

static const struct poptOption lock_options[] = {
	{ "wait", 'w', POPT_ARG_NONE, &A.wait, 0, "wait until every target reports it is locked",
	  NULL },
	{ "dry-run", 'n', POPT_ARG_NONE, &A.dry_run, 0, "show what would be done; change nothing",
	  NULL },
	POPT_TABLEEND
};

static const struct poptOption dry_run_options[] = {
	{ "dry-run", 'n', POPT_ARG_NONE, &A.dry_run, 0, "show what would be done; change nothing",
	  NULL },
	POPT_TABLEEND
};

const struct poptOption *verb_selection_options = selection_options;

/* ---- shared steps ---- */

bool verb_args_select(void)
{
	return A.all || A.users || A.stations || A.classes || A.states;
}

/* A verb's string option, given once or more: the last one counts. */
void verb_take_option(int val, char *arg)
{
	char **slot = val == OPT_VERB_MESSAGE ? &A.message
		      : val == OPT_VERB_GRACE ? &A.grace
		      : val == OPT_VERB_REASON ? &A.reason
					       : NULL;

	if (!slot) {
		free(arg);
		return;
	}
	free(*slot);
	*slot = arg;
}

void verb_args_clear(void)
{
	char ***lists[] = { &A.users, &A.stations, &A.classes, &A.states };

	for (size_t i = 0; i < ELEMENTSOF(lists); i++) {
		if (*lists[i])
			for (char **p = *lists[i]; *p; p++)
				free(*p);
		free(*lists[i]);
	}
	free(A.message);
	free(A.grace);
	free(A.reason);
	memset(&verb_args, 0, sizeof(verb_args));
}

/* The library's description of its last failure, or strerror. */
static const char *reason(const struct run *r, int error)
{
	const char *m = stations_ctx_error_message(r->ctx);

	return m ? m : strerror(-error);
}

static int need_ctx(struct run *r)
{
	int e;

	if (!r->ctx) {
		e = stations_ctx_new(NULL, &r->ctx);
		if (e < 0) {
			say(r->verb->name, NULL, "cannot connect to the system bus: %s",
			    strerror(-e));
			return e == -ENOENT ? -ECONNREFUSED : e;
		}
		stations_ctx_set_interrupt_fd(r->ctx, r->interrupt_fd);
	}
	/* Each time: the shell runs every line, with its own options, on one connection. */
	stations_ctx_set_timeout(r->ctx, r->opt->timeout_usec < 25 * USEC_PER_SEC
						 ? r->opt->timeout_usec
						 : 25 * USEC_PER_SEC);
	stations_ctx_set_interactive(r->ctx, !r->opt->no_ask_password && isatty(STDIN_FILENO));
	return 0;
}

static int take_snapshot(struct run *r, struct stations_snapshot **ret)
{
	int e;

	e = need_ctx(r);
	if (e < 0)
		return e;
	e = stations_snapshot_new(r->ctx, ret);
	if (e == -EINTR) {
		say(r->verb->name, NULL, "interrupted; nothing was changed");
		return e;
	}
	if (e == -EHOSTDOWN) {
		say(r->verb->name, NULL, "systemd-logind is not running: %s", reason(r, e));
		return e;
	}
	if (e < 0)
		say(r->verb->name, NULL, "cannot read sessions from systemd-logind: %s", reason(r, e));
	return e;
}

static bool interrupt_pending(const struct run *r)
{
	struct pollfd p = { .fd = r->interrupt_fd, .events = POLLIN };

	return r->interrupt_fd >= 0 && poll(&p, 1, 0) > 0;
}

/* Apply a list option, split at commas: "--user alice,bob" is two filters. */
static int add_filters(struct run *r, struct stations_selector *sel, enum stations_filter field,
		       const char *option, char **values)
{
	for (char **v = values; v && *v; v++) {
		char *copy = strdup(*v), *save = NULL;
		int e = copy ? 0 : -ENOMEM;

		for (char *w = copy ? strtok_r(copy, ",", &save) : NULL; w && e >= 0;
		     w = strtok_r(NULL, ",", &save))
			e = stations_selector_add_filter(sel, field, w);
		/* an empty element ("", ",", "alice,", "a,,b") is a typo, not nothing */
		if (e >= 0 && copy && (!**v || **v == ',' || strstr(*v, ",,") ||
				       (*v)[strlen(*v) - 1] == ','))
			e = -EINVAL;
		free(copy);
		if (e == -EINVAL) {
			say(r->verb->name, NULL, "--%s: invalid value '%s'", option, *v);
			return e;
		}
		if (e < 0)
			return e;
	}
	return 0;
}

/* The selection from operands and options, checked before logind is asked anything. */
static int make_selector(struct run *r, int argc, const char **argv,
			 struct stations_selector **ret)
{
	struct stations_selector *sel = NULL;
	unsigned flags = 0;
	int e;

	e = stations_selector_new(&sel);
	if (e < 0)
		return e;
	for (int i = 0; i < argc && e >= 0; i++) {
		e = stations_selector_add_id(sel, argv[i]);
		if (e == -EINVAL)
			say(r->verb->name, NULL, "invalid session id '%s'", argv[i]);
	}
	if (e >= 0)
		e = add_filters(r, sel, STATIONS_FILTER_USER, "user", A.users);
	if (e >= 0)
		e = add_filters(r, sel, STATIONS_FILTER_STATION, "station", A.stations);
	if (e >= 0)
		e = add_filters(r, sel, STATIONS_FILTER_CLASS, "class", A.classes);
	if (e >= 0)
		e = add_filters(r, sel, STATIONS_FILTER_STATE, "state", A.states);
	if (e < 0) {
		stations_selector_free(sel);
		return e;
	}
	/* refused here too, so that it is exit 2 even where logind is down */
	if (argc > 0 && verb_args_select()) {
		say(r->verb->name, NULL, "session ids cannot be combined with --all or filters");
		stations_selector_free(sel);
		return -EINVAL;
	}
	if (A.all)
		flags |= STATIONS_SELECT_ALL;
	if (A.include_self)
		flags |= STATIONS_SELECT_INCLUDE_SELF;
	if (A.include_root)
		flags |= STATIONS_SELECT_INCLUDE_ROOT;
	stations_selector_set_flags(sel, flags);
	*ret = sel;
	return 0;
}

static int select_targets(struct run *r, const struct stations_selector *sel,
			  const struct stations_snapshot *snap,
			  const struct stations_session ***ret, size_t *ret_n)
{
	int e;

	e = stations_select(r->ctx, snap, sel, ret);
	if (e == -ENXIO) {
		const char *object = stations_ctx_error_object(r->ctx);
		const char *what = stations_ctx_error_message(r->ctx);

		if (object && strcmp(object, "self") == 0)
			say(r->verb->name, NULL, "not running in a session; name the session");
		else
			say(r->verb->name, NULL, "'%s': %s", object ? object : "?", what ? what : "not found");
	} else if (e == -EINVAL)
		say(r->verb->name, NULL, "%s", reason(r, e));
	else if (e >= 0) {
		*ret_n = (size_t)e;
		e = 0;
	}
	return e;
}

/* ---- reporting ---- */

static const struct column result_columns[] = {
	{ "SESSION", "session", 0 },
	{ "USER", "user", 0 },
	{ "STATION", "station", 0 },
	{ "RESULT", "result", 0 },
	{ "OK", "ok", COLUMN_JSON_ONLY },
	{ "ERROR", "error", COLUMN_JSON_ONLY },
	{ "WARNING", "warning", COLUMN_JSON_ONLY },
	{ "WARNING-ERROR", "warning_error", COLUMN_JSON_ONLY },
};

/* What happened to each target; arrays of n, any of them NULL when not known. */
struct outcome {
	int *results;
	bool *gone;
	const char **messages;	/* why a target failed */
	const char **words;	/* the RESULT of a target, instead of the verb's word */
	int *deliveries;	/* of the warning, when one was sent */
};

static void outcome_free(struct outcome *o)
{
	free(o->results);
	free(o->gone);
	free(o->messages);
	free(o->words);
	free(o->deliveries);
	*o = (struct outcome){};
}

static const char *delivery_word(int delivery)
{
	return delivery == STATIONS_DELIVERY_TERMINAL	    ? "terminal"
	       : delivery == STATIONS_DELIVERY_NOTIFICATION ? "notification"
							    : "not-delivered";
}

static int add_result_row(struct table *t, const struct stations_session *s,
			  const struct outcome *o, size_t i, const char *done_word)
{
	int result = o->results[i];
	const char *msg = o->messages ? o->messages[i] : NULL;
	const char *word = o->words && o->words[i] ? o->words[i]
			   : result < 0			? result_word(result)
			   : o->gone && o->gone[i]	? "already-gone"
							: done_word;
	int e = 0;

	e = e ?: table_add_string(t, stations_session_id(s));
	e = e ?: table_add_string(t, stations_session_user(s));
	e = e ?: table_add_string(t, stations_session_station(s));
	e = e ?: table_add_string(t, word);
	e = e ?: table_add_bool(t, result >= 0);
	e = e ?: (result < 0 ? table_add_string(t, msg ? msg : strerror(-result))
			     : table_add_null(t));
	if (!o->deliveries) {
		e = e ?: table_add_null(t);
		e = e ?: table_add_null(t);
	} else {
		e = e ?: table_add_string(t, delivery_word(o->deliveries[i]));
		e = e ?: (o->deliveries[i] < 0 ? table_add_string(t, delivery_reason(o->deliveries[i]))
					       : table_add_null(t));
	}
	return e;
}

/*
 * One row per target: on stdout as a table (unless --quiet) or JSON, and
 * every failure named on stderr.  Returns the exit status the results add
 * up to.
 */
static int report(struct run *r, const struct stations_session *const *targets, size_t n,
		  const struct outcome *o, const char *done_word)
{
	struct table *t = table_new("results", NULL, result_columns, ELEMENTSOF(result_columns));
	int e = 0;

	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < n && e >= 0; i++) {
		e = add_result_row(t, targets[i], o, i, done_word);
		if (o->results[i] < 0) {
			const char *msg = o->messages && o->messages[i] ? o->messages[i]
								       : strerror(-o->results[i]);
			char object[128];

			snprintf(object, sizeof(object), "session '%s'", stations_session_id(targets[i]));
			say(r->verb->name, object, "%s", msg);
		}
	}
	if (e >= 0 && (r->opt->json || !r->opt->quiet))
		e = tables_print(stdout, &t, 1,
				 (r->opt->json ? OUTPUT_JSON : 0) |
				 (r->opt->no_legend ? OUTPUT_NO_LEGEND : 0));
	table_free(t);
	if (e < 0)
		return e;
	return exit_status_for_results(o->results, n);
}

/* Nothing matched: a note, and an empty result. */
static int report_empty(struct run *r)
{
	if (!r->opt->quiet)
		say(r->verb->name, NULL, "no session matches the selection");
	if (r->opt->json)
		printf("{\"results\":[]}\n");
	return STATIONS_EXIT_OK;
}

static int report_dry_run(struct run *r, const struct stations_session *const *targets, size_t n,
			  const char *word)
{
	struct outcome o = { .results = calloc(n ? n : 1, sizeof(int)) };
	int e;

	if (!o.results)
		return -ENOMEM;
	e = report(r, targets, n, &o, word);
	outcome_free(&o);
	return e;
}

/* ---- warnings ---- */

const struct warning_reason warning_reasons[] = {
	{ "restart", "System restart", "The system will restart in %s." },
	{ "shutdown", "System shutdown", "The system will shut down in %s." },
	{ "mode-switch", "Mode switch", "This computer will switch mode in %s." },
	{ "logoff", NULL, NULL },	/* the verb's own words */
};
const size_t n_warning_reasons = ELEMENTSOF(warning_reasons);

/* How end and suspend word a warning and its cancellation. */
struct warning_words {
	const char *title;
	const char *when;	/* "... in %s." */
	const char *then;	/* after a reason's sentence */
	const char *cancelled;
};

static const struct warning_words end_words = {
	"Logoff",
	"You will be logged off in %s.",
	"Save your work; you will be logged off.",
	"The logoff announced a moment ago is cancelled. You can go on working.",
};

static const struct warning_words suspend_words = {
	"Session suspend",
	"Your session will be suspended in %s.",
	"Save your work; your session will be suspended, and you can continue it later.",
	"The suspend announced a moment ago is cancelled. You can go on working.",
};

struct warning {
	bool wanted;
	uint64_t grace_usec;
	const char *title;	/* NULL: the library's own */
	char *text;
	const char *cancelled;
};

/* A message from the command line: checked here, before logind is asked anything. */
static int check_message(struct run *r, const char *option, const char *text)
{
	size_t len = strlen(text);

	if (len == 0) {
		say(r->verb->name, NULL, "%s: the message is empty", option);
		return -EINVAL;
	}
	if (len > STATIONS_MESSAGE_MAX) {
		say(r->verb->name, NULL, "%s: the message is too long (%zu bytes; at most %d)", option,
		    len, STATIONS_MESSAGE_MAX);
		return -EINVAL;
	}
	return 0;
}

/* --message, --grace and --reason into what to send and how long to wait. */
static int plan_warning(struct run *r, const struct warning_words *words, struct warning *w)
{
	const char *when = words->when, *then = NULL;
	char grace[64], first[128];
	int e;

	*w = (struct warning){ .cancelled = words->cancelled };
	if (!A.message && !A.grace && !A.reason)
		return 0;
	w->wanted = true;
	if (A.grace) {
		e = parse_duration(A.grace, &w->grace_usec);
		if (e < 0) {
			say(r->verb->name, NULL, "--grace: invalid duration '%s'%s", A.grace,
			    e == -ERANGE ? " (at most a week)" : "");
			return -EINVAL;
		}
	}
	w->title = A.message ? NULL : words->title;
	if (A.reason) {
		size_t i;

		for (i = 0; i < n_warning_reasons; i++)
			if (strcmp(A.reason, warning_reasons[i].name) == 0)
				break;
		if (i == n_warning_reasons) {
			say(r->verb->name, NULL,
			    "--reason: unknown reason '%s'; use restart, shutdown, mode-switch or logoff",
			    A.reason);
			return -EINVAL;
		}
		if (warning_reasons[i].when) {
			w->title = warning_reasons[i].title;
			when = warning_reasons[i].when;
			then = words->then;
		} else
			w->title = words->title;
	}
	if (A.message) {
		e = check_message(r, "--message", A.message);
		if (e < 0)
			return e;
		w->text = strdup(A.message);
		return w->text ? 0 : -ENOMEM;
	}
	format_duration_words(w->grace_usec, grace, sizeof(grace));
	/* our own sentences, each with one %s */
	snprintf(first, sizeof(first), when, grace);
	if (asprintf(&w->text, "%s %s", first, then ? then : "Save your work.") < 0)
		w->text = NULL;
	return w->text ? 0 : -ENOMEM;
}

static uint64_t monotonic_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * USEC_PER_SEC + (uint64_t)ts.tv_nsec / 1000;
}

/*
 * Wait out the grace period, counting down on stderr when it is a terminal.
 * Returns 0, or -EINTR when SIGINT or SIGTERM came.
 */
static int grace_wait(struct run *r, uint64_t usec)
{
	bool countdown = !r->opt->quiet && isatty(STDERR_FILENO);
	uint64_t end = monotonic_usec() + usec;
	char words[64];
	int width = 0;

	if (!countdown && !r->opt->quiet) {
		format_duration_words(usec, words, sizeof(words));
		say(r->verb->name, NULL, "the users are warned; acting in %s", words);
	}
	for (;;) {
		struct pollfd p = { .fd = r->interrupt_fd, .events = POLLIN };
		uint64_t now = monotonic_usec(), left, step;

		if (now >= end)
			break;
		left = end - now;
		if (countdown) {
			uint64_t sec = (left + USEC_PER_SEC - 1) / USEC_PER_SEC;

			width = fprintf(stderr, "\rmpsession: %s: acting in %" PRIu64 ":%02u; Ctrl-C cancels ",
					r->verb->name, sec / 60, (unsigned)(sec % 60));
		}
		/* wake at whole seconds of what is left, so that the countdown ticks evenly */
		step = left % USEC_PER_SEC ? left % USEC_PER_SEC : USEC_PER_SEC;
		if (poll(&p, 1, (int)((step + 999) / 1000)) > 0 && (p.revents & POLLIN)) {
			if (countdown)
				fputc('\n', stderr);
			return -EINTR;
		}
	}
	if (countdown && width > 0)
		fprintf(stderr, "\r%*s\r", width, "");
	return 0;
}

/*
 * SIGINT or SIGTERM before acting: tell the users it is off, and leave
 * everything as it is.  The signal stays unread in the signalfd, for the
 * interactive shell to see; so the notice is sent without watching it,
 * bounded by the library's delivery deadline.
 */
static int cancel_warning(struct run *r, struct stations_batch *b, const struct warning *w,
			  const char *done_word)
{
	int e;

	stations_ctx_set_interrupt_fd(r->ctx, -1);
	e = stations_batch_notify(b, w->title, w->cancelled, 0);
	stations_ctx_set_interrupt_fd(r->ctx, r->interrupt_fd);
	if (e < 0)
		say(r->verb->name, NULL, "interrupted; nothing was %s, and telling the users so failed: %s",
		    done_word, reason(r, e));
	else
		say(r->verb->name, NULL, "interrupted; nothing was %s, and the users were told", done_word);
	return -EINTR;
}

/*
 * Send the warning, name on stderr every session it did not reach (which
 * does not fail the operation), and wait out the grace period.
 */
static int warn_users(struct run *r, struct stations_batch *b,
		      const struct stations_session *const *targets, size_t n,
		      const struct warning *w, const char *done_word, int **ret_deliveries)
{
	int *deliveries;
	int e;

	e = stations_batch_notify(b, w->title, w->text, w->grace_usec);
	if (e == -EINTR)
		return cancel_warning(r, b, w, done_word);
	if (e == -EINVAL) {
		say(r->verb->name, NULL, "--message: nothing is left to show once control characters are removed");
		return e;
	}
	if (e < 0) {
		say(r->verb->name, NULL, "cannot send the warning: %s", reason(r, e));
		return e;
	}
	deliveries = calloc(n, sizeof(int));
	if (!deliveries)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		deliveries[i] = stations_batch_delivery(b, i);
		if (deliveries[i] < 0 && !r->opt->quiet) {
			char object[128];

			snprintf(object, sizeof(object), "session '%s'", stations_session_id(targets[i]));
			say(r->verb->name, object, "warning not delivered: %s",
			    delivery_reason(deliveries[i]));
		}
	}
	if (w->grace_usec > 0) {
		e = grace_wait(r, w->grace_usec);
		if (e == -EINTR) {
			free(deliveries);
			return cancel_warning(r, b, w, done_word);
		}
	}
	*ret_deliveries = deliveries;
	return 0;
}

/* ---- acting on a selection ---- */

enum step {
	STEP_TERMINATE,
	STEP_LOCK,
	STEP_UNLOCK,
	STEP_RELEASE,
	STEP_FREEZE,
	STEP_THAW,
	STEP_ACTIVATE,
};

struct plan {
	const enum step *steps;
	size_t n_steps;
	const char *done_word;
	const char *dry_word;
	const struct warning_words *warning;	/* the verb may warn first */
};

static int run_step(struct run *r, struct stations_batch *b, enum step step)
{
	uint64_t wait = A.wait ? (r->opt->timeout_usec ? r->opt->timeout_usec : DEFAULT_WAIT_USEC) : 0;

	switch (step) {
	case STEP_TERMINATE:
		return stations_batch_terminate(b, wait, A.force ? STATIONS_TERMINATE_FORCE : 0);
	case STEP_LOCK:
		return stations_batch_lock(b, wait);
	case STEP_UNLOCK:
		return stations_batch_unlock(b);
	case STEP_RELEASE:
		return stations_batch_release(b);
	case STEP_FREEZE:
		return stations_batch_freeze(b);
	case STEP_THAW:
		return stations_batch_thaw(b);
	case STEP_ACTIVATE:
		return stations_batch_activate(b);
	}
	return -EINVAL;
}

static void say_dry_warning(struct run *r, const struct warning *w, size_t n)
{
	char grace[64];

	if (!w->wanted || r->opt->quiet)
		return;
	format_duration_words(w->grace_usec, grace, sizeof(grace));
	/* say() makes the text safe for the terminal */
	say(r->verb->name, NULL, "would warn %zu session%s, then wait %s: \"%s\"", n,
	    n == 1 ? "" : "s", w->grace_usec ? grace : "no time", w->text);
}

/* The targets of a verb, gathered into a batch. */
struct targets {
	struct stations_selector *sel;
	struct stations_snapshot *snap;
	struct stations_snapshot *later;	/* taken after a grace period */
	const struct stations_session **list;
	size_t n;
	struct stations_batch *batch;
};

static void targets_free(struct targets *t)
{
	stations_batch_free(t->batch);
	free(t->list);
	stations_snapshot_free(t->snap);
	stations_snapshot_free(t->later);
	stations_selector_free(t->sel);
	*t = (struct targets){};
}

/*
 * Select the targets and put them in a batch.  Returns 1 when there is
 * something to act on; otherwise the command is over, everything is said,
 * and the return value is its exit status or a negative errno: nothing
 * matched, a dry run (whose warning @w is shown), an interruption, an error.
 */
static int targets_gather(struct run *r, int argc, const char **argv, const char *dry_word,
			  const struct warning *w, struct targets *t)
{
	int e;

	e = make_selector(r, argc, argv, &t->sel);
	if (e >= 0)
		e = take_snapshot(r, &t->snap);
	if (e >= 0)
		e = select_targets(r, t->sel, t->snap, &t->list, &t->n);
	if (e < 0)
		return e;
	if (t->n == 0)
		return report_empty(r);
	if (A.dry_run) {
		if (w)
			say_dry_warning(r, w, t->n);
		return report_dry_run(r, t->list, t->n, dry_word);
	}
	if (interrupt_pending(r)) {
		say(r->verb->name, NULL, "interrupted; nothing was changed");
		return -EINTR;
	}
	e = stations_batch_new(r->ctx, &t->batch);
	for (size_t i = 0; i < t->n && e >= 0; i++)
		e = stations_batch_add(t->batch, t->list[i]);
	return e < 0 ? e : 1;
}

/*
 * After a grace period, a selection by options (not by ids) is made again:
 * sessions that started meanwhile and match it join the targets, unwarned,
 * so that "end --all" still ends them all.  If logind cannot be asked, the
 * targets stay as they were, and acting on them will say why.
 */
static int targets_refresh(struct run *r, struct targets *t, int **deliveries)
{
	const struct stations_session **found = NULL, **list;
	size_t n_found, n = t->n;
	int e, *d;

	if (stations_snapshot_new(r->ctx, &t->later) < 0)
		return 0;
	e = stations_select(r->ctx, t->later, t->sel, &found);
	if (e <= 0)
		return 0;
	n_found = (size_t)e;
	list = realloc(t->list, (t->n + n_found) * sizeof(*list));
	if (!list) {
		free(found);
		return -ENOMEM;
	}
	t->list = list;
	for (size_t i = 0; i < n_found; i++) {
		bool known = false;

		for (size_t k = 0; k < t->n && !known; k++)
			known = strcmp(stations_session_id(t->list[k]),
				       stations_session_id(found[i])) == 0;
		if (known)
			continue;
		e = stations_batch_add(t->batch, found[i]);
		if (e < 0) {
			free(found);
			return e;
		}
		t->list[n++] = found[i];
	}
	free(found);
	d = realloc(*deliveries, (n ? n : 1) * sizeof(int));
	if (!d)
		return -ENOMEM;
	for (size_t i = t->n; i < n; i++)
		d[i] = -ENODATA;
	*deliveries = d;
	if (n > t->n && !r->opt->quiet)
		say(r->verb->name, NULL, "%zu session%s started during the grace period; %s too",
		    n - t->n, n - t->n == 1 ? "" : "s", n - t->n == 1 ? "it is a target" : "they are targets");
	t->n = n;
	return 0;
}

static int act(struct run *r, int argc, const char **argv, const struct plan *plan)
{
	struct targets t = {};
	struct warning w = {};
	struct outcome o = {};
	int e;

	if (A.force && !A.wait) {
		say(r->verb->name, NULL, "--force needs --wait");
		return -EINVAL;
	}
	if (plan->warning) {
		e = plan_warning(r, plan->warning, &w);
		if (e < 0)
			goto out;
	}
	e = targets_gather(r, argc, argv, plan->dry_word, &w, &t);
	if (e <= 0)
		goto out;
	if (w.wanted) {
		e = warn_users(r, t.batch, t.list, t.n, &w, plan->done_word, &o.deliveries);
		if (e >= 0 && argc == 0 && w.grace_usec > 0)
			e = targets_refresh(r, &t, &o.deliveries);
		if (e < 0)
			goto out;
	}
	for (size_t s = 0; s < plan->n_steps && e >= 0; s++)
		e = run_step(r, t.batch, plan->steps[s]);
	if (e < 0 && e != -EINTR) {
		if (e == -EHOSTDOWN)
			say(r->verb->name, NULL, "systemd-logind is not running: %s", reason(r, e));
		else if (e == -ECONNRESET || e == -ENOTCONN)
			say(r->verb->name, NULL, "lost the connection to the system bus: %s",
			    reason(r, e));
		else
			say(r->verb->name, NULL, "%s", reason(r, e));
		goto out;
	}

	o.results = calloc(t.n, sizeof(int));
	o.gone = calloc(t.n, sizeof(bool));
	o.messages = calloc(t.n, sizeof(char *));
	if (!o.results || !o.gone || !o.messages) {
		e = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < t.n; i++) {
		o.results[i] = stations_batch_result(t.batch, i);
		o.gone[i] = stations_batch_gone(t.batch, i);
		o.messages[i] = stations_batch_message(t.batch, i);
	}
	e = report(r, t.list, t.n, &o, plan->done_word);
out:
	outcome_free(&o);
	free(w.text);
	targets_free(&t);
	return e;
}

#define PLAN(word, dry, warn, ...)                                                 \
	(&(const struct plan){ .steps = (const enum step[]){ __VA_ARGS__ },         \
			       .n_steps = sizeof((const enum step[]){ __VA_ARGS__ }) / \
					  sizeof(enum step),                        \
			       .done_word = (word), .dry_word = (dry), .warning = (warn) })

static int verb_end(struct run *r, int argc, const char **argv)
{
	return act(r, argc, argv, PLAN("ended", "would-end", &end_words, STEP_TERMINATE));
}

static int verb_disconnect(struct run *r, int argc, const char **argv)
{
	const char *self[] = { "self" };

	if (argc == 0) {
		argc = 1;
		argv = self;
	}
	return act(r, argc, argv,
		   PLAN("disconnected", "would-disconnect", NULL, STEP_LOCK, STEP_RELEASE));
}

/* Freeze before releasing: a session that cannot be frozen keeps its station. */
static int verb_suspend(struct run *r, int argc, const char **argv)
{
	if (A.freeze)
		return act(r, argc, argv,
			   PLAN("suspended", "would-suspend", &suspend_words, STEP_LOCK, STEP_FREEZE,
				STEP_RELEASE));
	return act(r, argc, argv, PLAN("suspended", "would-suspend", &suspend_words, STEP_LOCK, STEP_RELEASE));
}

static int verb_resume(struct run *r, int argc, const char **argv)
{
	return act(r, argc, argv, PLAN("resumed", "would-resume", NULL, STEP_THAW, STEP_ACTIVATE));
}

static int verb_lock(struct run *r, int argc, const char **argv)
{
	return act(r, argc, argv, PLAN("locked", "would-lock", NULL, STEP_LOCK));
}

static int verb_unlock(struct run *r, int argc, const char **argv)
{
	return act(r, argc, argv, PLAN("unlocked", "would-unlock", NULL, STEP_UNLOCK));
}

/*
 * message [SESSION...] TEXT: the warning alone, like Windows msg.  Delivery is
 * the whole operation here, so a session not reached is a failed target.
 */
static int verb_message(struct run *r, int argc, const char **argv)
{
	const char *text = argv[argc - 1];
	struct targets t = {};
	struct outcome o = {};
	int e;

	argc--;
	if (argc == 0 && !verb_args_select()) {
		say(r->verb->name, NULL, "no target; name sessions before the text, or use --all, "
					 "--user, --station, --class or --state");
		return -EINVAL;
	}
	e = check_message(r, "TEXT", text);
	if (e < 0)
		return e;
	e = targets_gather(r, argc, argv, "would-message", NULL, &t);
	if (e <= 0)
		goto out;
	e = stations_batch_notify(t.batch, NULL, text, 0);
	if (e == -EINVAL) {
		say(r->verb->name, NULL, "TEXT: nothing is left to show once control characters are removed");
		goto out;
	}
	if (e < 0 && e != -EINTR) {
		say(r->verb->name, NULL, "%s", reason(r, e));
		goto out;
	}

	o.results = calloc(t.n, sizeof(int));
	o.messages = calloc(t.n, sizeof(char *));
	o.words = calloc(t.n, sizeof(char *));
	if (!o.results || !o.messages || !o.words) {
		e = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < t.n; i++) {
		int d = stations_batch_delivery(t.batch, i);

		/* the exit status says how it failed where that means the same here */
		o.results[i] = d >= 0 ? 0
			       : d == -EOPNOTSUPP || d == -ETIME || d == -EINTR || d == -EACCES ? d
			       : -EIO;
		o.words[i] = delivery_word(d);
		o.messages[i] = d < 0 ? delivery_reason(d) : NULL;
	}
	if (e == -EINTR) {
		say(r->verb->name, NULL, "interrupted; the results say who got the message");
		report(r, t.list, t.n, &o, NULL);
	} else
		e = report(r, t.list, t.n, &o, NULL);
out:
	outcome_free(&o);
	targets_free(&t);
	return e;
}

/* ---- list ---- */

static const struct column station_view_columns[] = {
	{ "STATION", "station", 0 },
	{ "STATUS", "status", 0 },
	{ "USER", "user", 0 },
	{ "SESSION", "session", 0 },
	{ "STATE", "state", 0 },
	{ "LOCKED", "locked", 0 },
	{ "IDLE", "idle", 0 },
};

static const struct column parked_columns[] = {
	{ "SESSION", "session", 0 },
	{ "USER", "user", 0 },
	{ "STATION", "station", 0 },
	{ "STATUS", "status", 0 },
	{ "LOCKED", "locked", 0 },
	{ "IDLE-SINCE", "idle_since_usec", 0 },
};

static const struct column station_columns[] = {
	{ "STATION", "station", 0 },
	{ "ACTIVE", "active_session", 0 },
	{ "FREE", "free", 0 },
	{ "GRAPHICAL", "can_graphical", 0 },
	{ "TTY", "can_tty", 0 },
	{ "SESSIONS", "n_sessions", 0 },
};

static const struct column session_columns[] = {
	{ "SESSION", "session", 0 },
	{ "UID", "uid", 0 },
	{ "USER", "user", 0 },
	{ "STATION", "station", 0 },
	{ "CLASS", "class", 0 },
	{ "TYPE", "type", 0 },
	{ "STATE", "state", 0 },
	{ "ACTIVE", "active", COLUMN_JSON_ONLY },
	{ "TTY", "tty", 0 },
	{ "LOCKED", "locked", 0 },
	{ "IDLE", "idle", 0 },
	{ "IDLE-SINCE", "idle_since_usec", COLUMN_JSON_ONLY },
	{ "FROZEN", "frozen", 0 },
	{ "DISPLAY", "display", COLUMN_JSON_ONLY },
	{ "REMOTE", "remote", COLUMN_JSON_ONLY },
	{ "REMOTE-HOST", "remote_host", COLUMN_JSON_ONLY },
	{ "SERVICE", "service", COLUMN_JSON_ONLY },
	{ "STARTED", "start_time_usec", COLUMN_JSON_ONLY },
	{ "SCOPE", "scope", COLUMN_JSON_ONLY },
	{ "LEADER", "leader", COLUMN_JSON_ONLY },
};

/* A user session away from its station: disconnected, or suspended when frozen. */
static const char *parked_status(const struct stations_session *s)
{
	if (strcmp(stations_session_class(s), "user") != 0)
		return NULL;
	if (strcmp(stations_session_state(s), "closing") == 0)
		return NULL;
	if (stations_session_frozen(s))
		return "suspended";
	if (!*stations_session_station(s) || stations_session_active(s))
		return NULL;
	return "disconnected";
}

static int add_session_row(struct table *t, const struct stations_session *s)
{
	int e = 0;

	e = e ?: table_add_string(t, stations_session_id(s));
	e = e ?: table_add_uint(t, stations_session_uid(s));
	e = e ?: table_add_string(t, stations_session_user(s));
	e = e ?: table_add_string(t, stations_session_station(s));
	e = e ?: table_add_string(t, stations_session_class(s));
	e = e ?: table_add_string(t, stations_session_type(s));
	e = e ?: table_add_string(t, stations_session_state(s));
	e = e ?: table_add_bool(t, stations_session_active(s));
	e = e ?: table_add_string(t, stations_session_tty(s));
	e = e ?: table_add_bool(t, stations_session_locked(s));
	e = e ?: table_add_bool(t, stations_session_idle(s));
	e = e ?: table_add_time(t, stations_session_idle_since(s));
	e = e ?: table_add_bool(t, stations_session_frozen(s));
	e = e ?: table_add_string(t, stations_session_display(s));
	e = e ?: table_add_bool(t, stations_session_remote(s));
	e = e ?: table_add_string(t, stations_session_remote_host(s));
	e = e ?: table_add_string(t, stations_session_service(s));
	e = e ?: table_add_time(t, stations_session_start_time(s));
	e = e ?: table_add_string(t, stations_session_scope(s));
	e = e ?: table_add_uint(t, (uint64_t)stations_session_leader(s));
	return e;
}

static int list_all(const struct stations_snapshot *snap, struct table **tables)
{
	int e = 0;

	tables[0] = table_new("stations", NULL, station_columns, ELEMENTSOF(station_columns));
	tables[1] = table_new("sessions", NULL, session_columns, ELEMENTSOF(session_columns));
	if (!tables[0] || !tables[1])
		return -ENOMEM;
	for (size_t i = 0; i < stations_snapshot_n_stations(snap) && e >= 0; i++) {
		const struct stations_station *st = stations_snapshot_station(snap, i);
		const char *active = stations_station_active_session(st);

		e = e ?: table_add_string(tables[0], stations_station_id(st));
		e = e ?: (*active ? table_add_string(tables[0], active) : table_add_null(tables[0]));
		e = e ?: table_add_bool(tables[0], stations_station_free(st));
		e = e ?: table_add_bool(tables[0], stations_station_can_graphical(st));
		e = e ?: table_add_bool(tables[0], stations_station_can_tty(st));
		e = e ?: table_add_uint(tables[0], stations_station_n_sessions(st));
	}
	for (size_t i = 0; i < stations_snapshot_n_sessions(snap) && e >= 0; i++)
		e = add_session_row(tables[1], stations_snapshot_session(snap, i));
	return e;
}

/* The Stations view: each station free or in use, then the parked sessions. */
static int list_stations(const struct stations_snapshot *snap, struct table **tables)
{
	int e = 0;

	tables[0] = table_new("stations", NULL, station_view_columns,
			      ELEMENTSOF(station_view_columns));
	tables[1] = table_new("sessions", NULL, parked_columns, ELEMENTSOF(parked_columns));
	if (!tables[0] || !tables[1])
		return -ENOMEM;
	for (size_t i = 0; i < stations_snapshot_n_stations(snap) && e >= 0; i++) {
		const struct stations_station *st = stations_snapshot_station(snap, i);
		const struct stations_session *s = NULL;
		struct table *t = tables[0];

		if (!stations_station_free(st))
			s = stations_snapshot_find_session(snap, stations_station_active_session(st));
		e = e ?: table_add_string(t, stations_station_id(st));
		e = e ?: table_add_string(t, s ? "in-use" : "free");
		if (s) {
			e = e ?: table_add_string(t, stations_session_user(s));
			e = e ?: table_add_string(t, stations_session_id(s));
			e = e ?: table_add_string(t, stations_session_state(s));
			e = e ?: table_add_bool(t, stations_session_locked(s));
			e = e ?: table_add_bool(t, stations_session_idle(s));
		} else
			for (int k = 0; k < 5; k++)
				e = e ?: table_add_null(t);
	}
	for (size_t i = 0; i < stations_snapshot_n_sessions(snap) && e >= 0; i++) {
		const struct stations_session *s = stations_snapshot_session(snap, i);
		const char *status = parked_status(s);
		struct table *t = tables[1];

		if (!status)
			continue;
		e = e ?: table_add_string(t, stations_session_id(s));
		e = e ?: table_add_string(t, stations_session_user(s));
		e = e ?: table_add_string(t, stations_session_station(s));
		e = e ?: table_add_string(t, status);
		e = e ?: table_add_bool(t, stations_session_locked(s));
		e = e ?: table_add_time(t, stations_session_idle_since(s));
	}
	return e;
}

static int verb_list(struct run *r, int argc, const char **argv)
{
	struct stations_snapshot *snap = NULL;
	struct table *tables[2] = {};
	int e;

	(void)argc;
	(void)argv;
	e = take_snapshot(r, &snap);
	if (e < 0)
		return e;
	e = A.all ? list_all(snap, tables) : list_stations(snap, tables);
	if (e >= 0)
		e = tables_print(stdout, tables, 2,
				 (r->opt->json ? OUTPUT_JSON : 0) |
				 (r->opt->no_legend ? OUTPUT_NO_LEGEND : 0));
	table_free(tables[0]);
	table_free(tables[1]);
	stations_snapshot_free(snap);
	return e < 0 ? e : STATIONS_EXIT_OK;
}

/* ---- help ---- */

const struct verb verbs[] = {
	{ "list", 0, 0, VERB_DEFAULT | VERB_ONLINE, list_options, "",
	  "show stations and sessions", verb_list },
	{ "end", 0, UINT_MAX, VERB_TARGETS | VERB_ONLINE, end_options, "[SESSION...]",
	  "end sessions (log users off)", verb_end },
	{ "disconnect", 0, 1, VERB_ONLINE, dry_run_options, "[SESSION]",
	  "lock a session and free its station; default: your own", verb_disconnect },
	{ "suspend", 0, UINT_MAX, VERB_TARGETS | VERB_ONLINE, suspend_options, "[SESSION...]",
	  "disconnect other users' sessions, keeping them in memory", verb_suspend },
	{ "resume", 1, 1, VERB_ONLINE, dry_run_options, "SESSION",
	  "thaw a suspended session and bring it back to its station", verb_resume },
	{ "message", 1, UINT_MAX, VERB_TARGETS | VERB_ONLINE, dry_run_options, "[SESSION...] TEXT",
	  "show a message to the users of sessions", verb_message },
	{ "lock", 0, UINT_MAX, VERB_TARGETS | VERB_ONLINE, lock_options, "[SESSION...]",
	  "lock sessions", verb_lock },
	{ "unlock", 0, UINT_MAX, VERB_TARGETS | VERB_ONLINE, dry_run_options, "[SESSION...]",
	  "unlock sessions", verb_unlock },
	{ "shell", 0, 0, 0, NULL, "", "read commands from a prompt or a pipe", verb_shell },
	{ "help", 0, 1, 0, NULL, "[VERB]", "show help, for one verb or for all", verb_help },
};

const size_t n_verbs = ELEMENTSOF(verbs);

const struct verb *verb_find(const char *name)
{
	for (size_t i = 0; i < n_verbs; i++)
		if (strcmp(verbs[i].name, name) == 0)
			return &verbs[i];
	return NULL;
}

/* The verb closest to a mistyped one, if any is close enough. */
const char *verb_suggest(const char *name)
{
	const char *best = NULL;
	size_t best_d = 3;

	for (size_t i = 0; i < n_verbs; i++) {
		size_t d = edit_distance(name, verbs[i].name);

		if (d < best_d || (strlen(name) >= 2 && strncmp(verbs[i].name, name, strlen(name)) == 0 &&
				   best_d > 1)) {
			best = verbs[i].name;
			best_d = d < best_d ? d : 1;
		}
	}
	return best;
}
