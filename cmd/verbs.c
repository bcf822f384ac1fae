/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
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

static const struct poptOption end_options[] = {
	{ "wait", 'w', POPT_ARG_NONE, &A.wait, 0, "wait until every target is gone", NULL },
	{ "force", 'f', POPT_ARG_NONE, &A.force, 0,
	  "with --wait: kill what is left when the timeout passes", NULL },
	{ "dry-run", 'n', POPT_ARG_NONE, &A.dry_run, 0, "show what would be ended; change nothing",
	  NULL },
	POPT_TABLEEND
};

static const struct poptOption suspend_options[] = {
	{ "freeze", '\0', POPT_ARG_NONE, &A.freeze, 0,
	  "also freeze the session, so that it uses no CPU", NULL },
	{ "dry-run", 'n', POPT_ARG_NONE, &A.dry_run, 0, "show what would be done; change nothing",
	  NULL },
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

void verb_args_clear(void)
{
	char ***lists[] = { &A.users, &A.stations, &A.classes, &A.states };

	for (size_t i = 0; i < ELEMENTSOF(lists); i++) {
		if (*lists[i])
			for (char **p = *lists[i]; *p; p++)
				free(*p);
		free(*lists[i]);
	}
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

	if (r->ctx)
		return 0;
	e = stations_ctx_new(NULL, &r->ctx);
	if (e < 0) {
		say(r->verb->name, NULL, "cannot connect to the system bus: %s", strerror(-e));
		return e == -ENOENT ? -ECONNREFUSED : e;
	}
	if (r->opt->timeout_usec)
		stations_ctx_set_timeout(r->ctx, r->opt->timeout_usec < 25 * USEC_PER_SEC
						     ? r->opt->timeout_usec
						     : 25 * USEC_PER_SEC);
	stations_ctx_set_interactive(r->ctx, !r->opt->no_ask_password && isatty(STDIN_FILENO));
	stations_ctx_set_interrupt_fd(r->ctx, r->interrupt_fd);
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
	if (argc > 0 && (A.all || A.users || A.stations || A.classes || A.states)) {
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
};

/*
 * One row per target: on stdout as a table (unless --quiet) or JSON, and
 * every failure named on stderr.  Returns the exit status the results add
 * up to.
 */
static int report(struct run *r, const struct stations_session *const *targets, size_t n,
		  const int *results, const bool *gone, const char *const *messages,
		  const char *done_word)
{
	struct table *t = table_new("results", NULL, result_columns, ELEMENTSOF(result_columns));
	int e = 0;

	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < n && e >= 0; i++) {
		const char *word = results[i] < 0 ? result_word(results[i])
				   : gone && gone[i] ? "already-gone" : done_word;
		const char *msg = messages && messages[i] ? messages[i] : NULL;

		e = table_add_string(t, stations_session_id(targets[i]));
		if (e >= 0)
			e = table_add_string(t, stations_session_user(targets[i]));
		if (e >= 0)
			e = table_add_string(t, stations_session_station(targets[i]));
		if (e >= 0)
			e = table_add_string(t, word);
		if (e >= 0)
			e = table_add_bool(t, results[i] >= 0);
		if (e >= 0)
			e = results[i] < 0 ? table_add_string(t, msg ? msg : strerror(-results[i]))
					   : table_add_null(t);
		if (results[i] < 0) {
			char object[128];

			snprintf(object, sizeof(object), "session '%s'", stations_session_id(targets[i]));
			say(r->verb->name, object, "%s", msg ? msg : strerror(-results[i]));
		}
	}
	if (e >= 0 && (r->opt->json || !r->opt->quiet))
		e = tables_print(stdout, &t, 1,
				 (r->opt->json ? OUTPUT_JSON : 0) |
				 (r->opt->no_legend ? OUTPUT_NO_LEGEND : 0));
	table_free(t);
	if (e < 0)
		return e;
	return exit_status_for_results(results, n);
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
	int *results = calloc(n ? n : 1, sizeof(int));
	int e;

	if (!results)
		return -ENOMEM;
	e = report(r, targets, n, results, NULL, NULL, word);
	free(results);
	return e;
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

static int act(struct run *r, int argc, const char **argv, const struct plan *plan)
{
	struct stations_snapshot *snap = NULL;
	struct stations_selector *sel = NULL;
	const struct stations_session **targets = NULL;
	struct stations_batch *b = NULL;
	const char **messages = NULL;
	int *results = NULL;
	bool *gone = NULL;
	size_t n = 0;
	int e;

	if (A.force && !A.wait) {
		say(r->verb->name, NULL, "--force needs --wait");
		return -EINVAL;
	}
	e = make_selector(r, argc, argv, &sel);
	if (e < 0)
		return e;
	e = take_snapshot(r, &snap);
	if (e < 0)
		goto out;
	e = select_targets(r, sel, snap, &targets, &n);
	if (e < 0)
		goto out;
	if (n == 0) {
		e = report_empty(r);
		goto out;
	}
	if (A.dry_run) {
		e = report_dry_run(r, targets, n, plan->dry_word);
		goto out;
	}
	if (interrupt_pending(r)) {
		say(r->verb->name, NULL, "interrupted; nothing was changed");
		e = -EINTR;
		goto out;
	}

	e = stations_batch_new(r->ctx, &b);
	for (size_t i = 0; i < n && e >= 0; i++)
		e = stations_batch_add(b, targets[i]);
	for (size_t s = 0; s < plan->n_steps && e >= 0; s++)
		e = run_step(r, b, plan->steps[s]);
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

	results = calloc(n, sizeof(int));
	gone = calloc(n, sizeof(bool));
	messages = calloc(n, sizeof(char *));
	if (!results || !gone || !messages) {
		e = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		results[i] = stations_batch_result(b, i);
		gone[i] = stations_batch_gone(b, i);
		messages[i] = stations_batch_message(b, i);
	}
	e = report(r, targets, n, results, gone, messages, plan->done_word);
out:
	free(results);
	free(gone);
	free(messages);
	stations_batch_free(b);
	free(targets);
	stations_snapshot_free(snap);
	stations_selector_free(sel);
	return e;
}

#define PLAN(word, dry, ...)                                                       \
	(&(const struct plan){ .steps = (const enum step[]){ __VA_ARGS__ },         \
			       .n_steps = sizeof((const enum step[]){ __VA_ARGS__ }) / \
					  sizeof(enum step),                        \
			       .done_word = (word), .dry_word = (dry) })

static int verb_end(struct run *r, int argc, const char **argv)
{
	return act(r, argc, argv, PLAN("ended", "would-end", STEP_TERMINATE));
}

static int verb_disconnect(struct run *r, int argc, const char **argv)
{
	const char *self[] = { "self" };

	if (argc == 0) {
		argc = 1;
		argv = self;
	}
	return act(r, argc, argv,
		   PLAN("disconnected", "would-disconnect", STEP_LOCK, STEP_RELEASE));
}

static int verb_suspend(struct run *r, int argc, const char **argv)
{
	if (A.freeze)
		return act(r, argc, argv,
			   PLAN("suspended", "would-suspend", STEP_LOCK, STEP_RELEASE, STEP_FREEZE));
	return act(r, argc, argv, PLAN("suspended", "would-suspend", STEP_LOCK, STEP_RELEASE));
}

static int verb_resume(struct run *r, int argc, const char **argv)
{
	return act(r, argc, argv, PLAN("resumed", "would-resume", STEP_THAW, STEP_ACTIVATE));
}

static int verb_lock(struct run *r, int argc, const char **argv)
{
	return act(r, argc, argv, PLAN("locked", "would-lock", STEP_LOCK));
}

static int verb_unlock(struct run *r, int argc, const char **argv)
{
	return act(r, argc, argv, PLAN("unlocked", "would-unlock", STEP_UNLOCK));
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
