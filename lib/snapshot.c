/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>

#include <linux/magic.h>
#include <sys/statfs.h>

#include "internal.h"

/*
 * Gathering a snapshot: ListSessions, ListSeats and GetSessionByPID go out
 * together; as their replies arrive, a GetAll for every session and seat goes
 * out at once.  Nothing waits for one object before asking about the next.
 *
 * What a listing costs is the number of messages, not their size: the bus
 * daemon spends about as long routing a Get of one property as a GetAll of
 * thirty, and at 1000 sessions it is the busiest process by far.  So every
 * session gets exactly one call, its GetAll, which is needed anyway because
 * LockedHint and IdleHint live only in logind's memory (they are in none of
 * the files sd-login(3) reads).  Whether a session is frozen is read from its
 * scope's cgroup instead of asking systemd (see read_scope_frozen()).
 */

struct gather;

struct call {
	struct gather *gather;
	size_t index;
	sd_bus_slot *slot;
};

struct gather {
	struct stations_ctx *ctx;
	struct pipeline pipe;
	struct stations_snapshot *snapshot;
	unsigned pending;
	int error;
	char *self_path;
	struct call list_calls[3];
	struct call *session_calls;
	struct call *freezer_calls;
	struct call *seat_calls;
};

static void calls_free(struct call *calls, size_t n)
{
	if (!calls)
		return;
	for (size_t i = 0; i < n; i++)
		sd_bus_slot_unref(calls[i].slot);
	free(calls);
}

static void gather_done(struct gather *g)
{
	size_t n = g->snapshot ? g->snapshot->n_sessions : 0;

	for (size_t i = 0; i < ELEMENTSOF(g->list_calls); i++)
		g->list_calls[i].slot = sd_bus_slot_unref(g->list_calls[i].slot);
	calls_free(g->session_calls, n);
	calls_free(g->freezer_calls, n);
	calls_free(g->seat_calls, g->snapshot ? g->snapshot->n_stations : 0);
	free(g->self_path);
	pipeline_clear(&g->pipe);
}

static bool gather_finished(void *data)
{
	struct gather *g = data;

	return g->pending == 0 || g->error < 0;
}

static void gather_fail(struct gather *g, int r)
{
	if (g->error == 0)
		g->error = r;
}

static int call_async(struct gather *g, struct call *c, sd_bus_message *m,
		      sd_bus_message_handler_t handler)
{
	int r;

	r = pipeline_add(&g->pipe, m, handler, c, &c->slot);
	if (r < 0)
		return r;
	g->pending++;
	return 0;
}

/* Every reply handler starts here: one call less pending, room for the next. */
static void reply_arrived(struct gather *g)
{
	int r;

	g->pending--;
	r = pipeline_done(&g->pipe);
	if (r < 0)
		gather_fail(g, r);
}

/* ---- property parsing ---- */

typedef int (*prop_parser)(sd_bus_message *m, void *dest);

struct prop {
	const char *name;
	const char *signature;
	prop_parser parse;
	size_t offset;
};

static int parse_string(sd_bus_message *m, void *dest)
{
	const char *s;
	char *copy;
	int r;

	r = sd_bus_message_read_basic(m, 's', &s);
	if (r < 0)
		return r;
	copy = strdup(s);
	if (!copy)
		return -ENOMEM;
	free(*(char **)dest);
	*(char **)dest = copy;
	return 0;
}

static int parse_bool(sd_bus_message *m, void *dest)
{
	int b, r;

	r = sd_bus_message_read_basic(m, 'b', &b);
	if (r < 0)
		return r;
	*(bool *)dest = b;
	return 0;
}

static int parse_u64(sd_bus_message *m, void *dest)
{
	return sd_bus_message_read_basic(m, 't', dest);
}

static int parse_pid(sd_bus_message *m, void *dest)
{
	uint32_t u;
	int r;

	r = sd_bus_message_read_basic(m, 'u', &u);
	if (r < 0)
		return r;
	*(pid_t *)dest = (pid_t)u;
	return 0;
}

/* "User" is (uo): keep the uid. */
static int parse_user(sd_bus_message *m, void *dest)
{
	uint32_t uid;
	const char *path;
	int r;

	r = sd_bus_message_read(m, "(uo)", &uid, &path);
	if (r < 0)
		return r;
	*(uid_t *)dest = (uid_t)uid;
	return 0;
}

/* "Seat" and "ActiveSession" are (so): keep the id, "" for none. */
static int parse_id_path(sd_bus_message *m, void *dest)
{
	const char *id, *path;
	char *copy;
	int r;

	r = sd_bus_message_read(m, "(so)", &id, &path);
	if (r < 0)
		return r;
	copy = strdup(id);
	if (!copy)
		return -ENOMEM;
	free(*(char **)dest);
	*(char **)dest = copy;
	return 0;
}

static const struct prop session_props[] = {
	{ "Name", "s", parse_string, offsetof(struct stations_session, user) },
	{ "User", "(uo)", parse_user, offsetof(struct stations_session, uid) },
	{ "Seat", "(so)", parse_id_path, offsetof(struct stations_session, station) },
	{ "Class", "s", parse_string, offsetof(struct stations_session, class) },
	{ "Type", "s", parse_string, offsetof(struct stations_session, type) },
	{ "State", "s", parse_string, offsetof(struct stations_session, state) },
	{ "Active", "b", parse_bool, offsetof(struct stations_session, active) },
	{ "LockedHint", "b", parse_bool, offsetof(struct stations_session, locked) },
	{ "IdleHint", "b", parse_bool, offsetof(struct stations_session, idle) },
	{ "IdleSinceHint", "t", parse_u64, offsetof(struct stations_session, idle_since) },
	{ "TTY", "s", parse_string, offsetof(struct stations_session, tty) },
	{ "Display", "s", parse_string, offsetof(struct stations_session, display) },
	{ "Remote", "b", parse_bool, offsetof(struct stations_session, remote) },
	{ "RemoteHost", "s", parse_string, offsetof(struct stations_session, remote_host) },
	{ "Service", "s", parse_string, offsetof(struct stations_session, service) },
	{ "Timestamp", "t", parse_u64, offsetof(struct stations_session, start_time) },
	{ "Scope", "s", parse_string, offsetof(struct stations_session, scope) },
	{ "Leader", "u", parse_pid, offsetof(struct stations_session, leader) },
	{}
};

static int parse_seat_sessions(sd_bus_message *m, void *dest)
{
	struct stations_station *st = dest;
	const char *id, *path;
	size_t n = 0, allocated = 0;
	char **v = NULL;
	int r;

	r = sd_bus_message_enter_container(m, 'a', "(so)");
	if (r < 0)
		return r;
	while ((r = sd_bus_message_read(m, "(so)", &id, &path)) > 0) {
		if (n + 1 >= allocated) {
			char **nv;

			allocated = allocated ? allocated * 2 : 4;
			nv = realloc(v, allocated * sizeof(char *));
			if (!nv) {
				r = -ENOMEM;
				break;
			}
			v = nv;
		}
		v[n] = strdup(id);
		if (!v[n]) {
			r = -ENOMEM;
			break;
		}
		n++;
	}
	if (r < 0) {
		while (n > 0)
			free(v[--n]);
		free(v);
		return r;
	}
	for (size_t i = 0; i < st->n_sessions; i++)
		free(st->sessions[i]);
	free(st->sessions);
	st->sessions = v;
	st->n_sessions = n;
	return sd_bus_message_exit_container(m);
}

static const struct prop seat_props[] = {
	{ "ActiveSession", "(so)", parse_id_path, offsetof(struct stations_station, active_session) },
	{ "Sessions", "a(so)", parse_seat_sessions, 0 },
	{ "CanGraphical", "b", parse_bool, offsetof(struct stations_station, can_graphical) },
	{ "CanTTY", "b", parse_bool, offsetof(struct stations_station, can_tty) },
	{}
};

static int read_props(sd_bus_message *m, const struct prop *table, void *base)
{
	int r;

	r = sd_bus_message_enter_container(m, 'a', "{sv}");
	if (r < 0)
		return r;
	while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		const struct prop *p;
		const char *name;

		r = sd_bus_message_read_basic(m, 's', &name);
		if (r < 0)
			return r;
		for (p = table; p->name; p++)
			if (streq(p->name, name))
				break;
		if (p->name) {
			r = sd_bus_message_enter_container(m, 'v', p->signature);
			if (r < 0)
				return r;
			r = p->parse(m, (char *)base + p->offset);
			if (r < 0)
				return r;
			r = sd_bus_message_exit_container(m);
		} else
			r = sd_bus_message_skip(m, "v");
		if (r < 0)
			return r;
		r = sd_bus_message_exit_container(m);
		if (r < 0)
			return r;
	}
	if (r < 0)
		return r;
	return sd_bus_message_exit_container(m);
}

/* ---- replies ---- */

/*
 * An error reply for one object: if the object is gone, leave it out;
 * anything else fails the snapshot.
 */
static int object_error(struct gather *g, sd_bus_message *reply, bool *vanished, const char *id)
{
	const sd_bus_error *e = sd_bus_message_get_error(reply);
	int r = errno_from_reply(reply);

	if (r == -ENXIO) {
		*vanished = true;
		return 0;
	}
	gather_fail(g, ctx_bus_error(g->ctx, e, r, id));
	return 0;
}

static int freezer_reply(sd_bus_message *reply, void *userdata, sd_bus_error *unused)
{
	struct call *c = userdata;
	struct gather *g = c->gather;
	const char *state;

	(void)unused;
	reply_arrived(g);
	/* No systemd (elogind), or no scope: not frozen. */
	if (sd_bus_message_is_method_error(reply, NULL))
		return 0;
	if (sd_bus_message_read(reply, "v", "s", &state) < 0)
		return 0;
	g->snapshot->sessions[c->index].frozen = streq(state, "frozen") || streq(state, "freezing");
	return 0;
}

static int ask_freezer(struct gather *g, struct call *c, const char *scope)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
	_cleanup_free_ char *path = NULL;
	int r;

	r = sd_bus_path_encode(SYSTEMD1_PATH "/unit", scope, &path);
	if (r < 0)
		return r;
	r = ctx_new_call(g->ctx, &m, SYSTEMD1_SERVICE, path, DBUS_PROPERTIES, "Get");
	if (r < 0)
		return r;
	r = sd_bus_message_append(m, "ss", SYSTEMD1_UNIT, "FreezerState");
	if (r < 0)
		return r;
	return call_async(g, c, m, freezer_reply);
}

/* Read a small file of the unified cgroup hierarchy (and only of it) into @buf. */
static int read_cgroup_file(const char *path, char *buf, size_t size)
{
	struct statfs sfs;
	ssize_t n;
	int fd, e = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	if (fstatfs(fd, &sfs) < 0)
		e = -errno;
	else if (sfs.f_type != CGROUP2_SUPER_MAGIC)
		e = -EOPNOTSUPP;
	else {
		n = read(fd, buf, size - 1);
		if (n < 0)
			e = -errno;
		else
			buf[n] = '\0';
	}
	close(fd);
	return e;
}

/*
 * Whether a session's scope is frozen, without a round trip to systemd.
 * systemd freezes a unit by writing 1 to its cgroup.freeze (and freezing a
 * slice writes it for every unit in it) before FreezeUnit returns, and 0
 * before ThawUnit returns; so cgroup.freeze says "frozen or freezing" as
 * FreezerState does.  A scope frozen through an ancestor that someone else
 * froze keeps 0 there, but the kernel's cgroup.events says "frozen 1": either
 * counts.  logind puts the scope of every session of user UID in
 * user-UID.slice, at a fixed place in the unified hierarchy.  Returns 1 or 0;
 * a negative errno when the files cannot be read (cgroup v1, a host laid out
 * otherwise), and then systemd is asked.
 */
static int read_scope_frozen(uid_t uid, const char *scope)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], buf[256];
	size_t len = strlen(scope);
	const char *line;
	int k, r;

	/* The name goes into a path: a unit name, nothing that could climb out. */
	if (len <= strlen(".scope") || scope[0] == '.' || strchr(scope, '/') ||
	    !streq(scope + len - strlen(".scope"), ".scope"))
		return -EINVAL;
	k = snprintf(dir, sizeof(dir), "/sys/fs/cgroup/user.slice/user-%u.slice/%s", (unsigned)uid,
		     scope);
	if (k < 0 || (size_t)k >= sizeof(dir))
		return -ENAMETOOLONG;
	snprintf(path, sizeof(path), "%s/cgroup.freeze", dir);
	r = read_cgroup_file(path, buf, sizeof(buf));
	if (r < 0)
		return r;
	if (buf[0] != '0' && buf[0] != '1')
		return -EIO;
	if (buf[0] == '1')
		return 1;
	snprintf(path, sizeof(path), "%s/cgroup.events", dir);
	r = read_cgroup_file(path, buf, sizeof(buf));
	if (r < 0)
		return r;
	for (line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (strncmp(line, "frozen ", 7) == 0)
			return line[7] == '1';
	return 0;
}

/* Whether session @i is frozen: from its cgroup if possible, else from systemd. */
static int scope_frozen(struct gather *g, size_t i)
{
	struct stations_session *s = &g->snapshot->sessions[i];
	int frozen, r;

	/* No scope unit (elogind): nothing that could be frozen. */
	if (!s->scope || !*s->scope)
		return 0;
	frozen = read_scope_frozen(s->uid, s->scope);
	if (frozen >= 0) {
		s->frozen = frozen;
		return 0;
	}
	r = ask_freezer(g, &g->freezer_calls[i], s->scope);
	if (r < 0)
		gather_fail(g, r);
	return 0;
}

static int session_reply(sd_bus_message *reply, void *userdata, sd_bus_error *unused)
{
	struct call *c = userdata;
	struct gather *g = c->gather;
	struct stations_session *s = &g->snapshot->sessions[c->index];
	int r;

	(void)unused;
	reply_arrived(g);
	if (sd_bus_message_is_method_error(reply, NULL))
		return object_error(g, reply, &s->vanished, s->id);
	r = read_props(reply, session_props, s);
	if (r < 0) {
		gather_fail(g, ctx_set_error(g->ctx, r, NULL, "cannot parse session properties", s->id));
		return 0;
	}
	/*
	 * Here rather than all at once after ListSessions: the file reads are
	 * spread between replies, and the calls in flight keep the bus busy.
	 */
	return scope_frozen(g, c->index);
}

static int seat_reply(sd_bus_message *reply, void *userdata, sd_bus_error *unused)
{
	struct call *c = userdata;
	struct gather *g = c->gather;
	struct stations_station *st = &g->snapshot->stations[c->index];
	int r;

	(void)unused;
	reply_arrived(g);
	if (sd_bus_message_is_method_error(reply, NULL))
		return object_error(g, reply, &st->vanished, st->id);
	r = read_props(reply, seat_props, st);
	if (r < 0)
		gather_fail(g, ctx_set_error(g->ctx, r, NULL, "cannot parse station properties", st->id));
	return 0;
}

static int get_all(struct gather *g, struct call *c, const char *service, const char *path,
		   const char *interface, sd_bus_message_handler_t handler)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
	int r;

	r = ctx_new_call(g->ctx, &m, service, path, DBUS_PROPERTIES, "GetAll");
	if (r < 0)
		return r;
	r = sd_bus_message_append(m, "s", interface);
	if (r < 0)
		return r;
	return call_async(g, c, m, handler);
}

static int reply_error(struct gather *g, sd_bus_message *reply, const char *what)
{
	const sd_bus_error *e = sd_bus_message_get_error(reply);

	gather_fail(g, ctx_bus_error(g->ctx, e, errno_from_reply(reply), what));
	return 0;
}

static int list_sessions_reply(sd_bus_message *reply, void *userdata, sd_bus_error *unused)
{
	struct call *c = userdata;
	struct gather *g = c->gather;
	struct stations_snapshot *snap = g->snapshot;
	const char *id, *user, *seat, *path;
	uint32_t uid;
	size_t n = 0, allocated = 0;
	int r;

	(void)unused;
	reply_arrived(g);
	if (sd_bus_message_is_method_error(reply, NULL))
		return reply_error(g, reply, "ListSessions");

	r = sd_bus_message_enter_container(reply, 'a', "(susso)");
	while (r >= 0 && (r = sd_bus_message_read(reply, "(susso)", &id, &uid, &user, &seat, &path)) > 0) {
		struct stations_session *s;

		if (n == allocated) {
			struct stations_session *ns;

			allocated = allocated ? allocated * 2 : 16;
			ns = realloc(snap->sessions, allocated * sizeof(*ns));
			if (!ns) {
				r = -ENOMEM;
				break;
			}
			snap->sessions = ns;
		}
		s = &snap->sessions[n];
		*s = (struct stations_session){ .uid = uid };
		s->id = strdup(id);
		s->path = strdup(path);
		s->user = strdup(user);
		s->station = strdup(seat);
		snap->n_sessions = ++n;
		if (!s->id || !s->path || !s->user || !s->station)
			r = -ENOMEM;
	}
	if (r < 0) {
		gather_fail(g, ctx_set_error(g->ctx, r, NULL, "cannot parse ListSessions reply", NULL));
		return 0;
	}

	g->session_calls = calloc(n ? n : 1, sizeof(struct call));
	g->freezer_calls = calloc(n ? n : 1, sizeof(struct call));
	if (!g->session_calls || !g->freezer_calls) {
		gather_fail(g, -ENOMEM);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		g->session_calls[i] = (struct call){ .gather = g, .index = i };
		g->freezer_calls[i] = (struct call){ .gather = g, .index = i };
		r = get_all(g, &g->session_calls[i], LOGIN1_SERVICE, snap->sessions[i].path,
			    LOGIN1_SESSION, session_reply);
		if (r < 0) {
			gather_fail(g, r);
			return 0;
		}
	}
	return 0;
}

static int list_seats_reply(sd_bus_message *reply, void *userdata, sd_bus_error *unused)
{
	struct call *c = userdata;
	struct gather *g = c->gather;
	struct stations_snapshot *snap = g->snapshot;
	const char *id, *path;
	size_t n = 0, allocated = 0;
	int r;

	(void)unused;
	reply_arrived(g);
	if (sd_bus_message_is_method_error(reply, NULL))
		return reply_error(g, reply, "ListSeats");

	r = sd_bus_message_enter_container(reply, 'a', "(so)");
	while (r >= 0 && (r = sd_bus_message_read(reply, "(so)", &id, &path)) > 0) {
		struct stations_station *st;

		if (n == allocated) {
			struct stations_station *ns;

			allocated = allocated ? allocated * 2 : 8;
			ns = realloc(snap->stations, allocated * sizeof(*ns));
			if (!ns) {
				r = -ENOMEM;
				break;
			}
			snap->stations = ns;
		}
		st = &snap->stations[n];
		*st = (struct stations_station){ 0 };
		st->id = strdup(id);
		st->path = strdup(path);
		snap->n_stations = ++n;
		if (!st->id || !st->path)
			r = -ENOMEM;
	}
	if (r < 0) {
		gather_fail(g, ctx_set_error(g->ctx, r, NULL, "cannot parse ListSeats reply", NULL));
		return 0;
	}

	g->seat_calls = calloc(n ? n : 1, sizeof(struct call));
	if (!g->seat_calls) {
		gather_fail(g, -ENOMEM);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		g->seat_calls[i] = (struct call){ .gather = g, .index = i };
		r = get_all(g, &g->seat_calls[i], LOGIN1_SERVICE, snap->stations[i].path, LOGIN1_SEAT,
			    seat_reply);
		if (r < 0) {
			gather_fail(g, r);
			return 0;
		}
	}
	return 0;
}

static int self_reply(sd_bus_message *reply, void *userdata, sd_bus_error *unused)
{
	struct call *c = userdata;
	struct gather *g = c->gather;
	const char *path;

	(void)unused;
	reply_arrived(g);
	/* Not in a session (NoSessionForPID): no self.  Other errors surface elsewhere. */
	if (sd_bus_message_is_method_error(reply, NULL))
		return 0;
	if (sd_bus_message_read(reply, "o", &path) >= 0)
		g->self_path = strdup(path);
	return 0;
}

static int start_lists(struct gather *g)
{
	static const struct {
		const char *member;
		sd_bus_message_handler_t handler;
	} lists[] = {
		{ "ListSessions", list_sessions_reply },
		{ "ListSeats", list_seats_reply },
		{ "GetSessionByPID", self_reply },
	};
	int r;

	for (size_t i = 0; i < ELEMENTSOF(lists); i++) {
		_cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;

		r = ctx_new_call(g->ctx, &m, LOGIN1_SERVICE, LOGIN1_PATH, LOGIN1_MANAGER,
				 lists[i].member);
		if (r < 0)
			return r;
		/* pid 0: logind looks up the caller's own session from our credentials */
		if (lists[i].handler == self_reply) {
			r = sd_bus_message_append(m, "u", (uint32_t)0);
			if (r < 0)
				return r;
		}
		g->list_calls[i] = (struct call){ .gather = g };
		r = call_async(g, &g->list_calls[i], m, lists[i].handler);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- building and finishing ---- */

static void session_clear(struct stations_session *s)
{
	free(s->id);
	free(s->path);
	free(s->user);
	free(s->station);
	free(s->class);
	free(s->type);
	free(s->state);
	free(s->tty);
	free(s->display);
	free(s->remote_host);
	free(s->service);
	free(s->scope);
}

static void station_clear(struct stations_station *st)
{
	free(st->id);
	free(st->path);
	free(st->active_session);
	for (size_t i = 0; i < st->n_sessions; i++)
		free(st->sessions[i]);
	free(st->sessions);
}

_public_ struct stations_snapshot *stations_snapshot_free(struct stations_snapshot *snapshot)
{
	if (!snapshot)
		return NULL;
	for (size_t i = 0; i < snapshot->n_sessions; i++)
		session_clear(&snapshot->sessions[i]);
	for (size_t i = 0; i < snapshot->n_stations; i++)
		station_clear(&snapshot->stations[i]);
	free(snapshot->sessions);
	free(snapshot->stations);
	free(snapshot->self_id);
	free(snapshot);
	return NULL;
}

int snapshot_alloc(size_t n_sessions, size_t n_stations, struct stations_snapshot **ret)
{
	struct stations_snapshot *snap;

	snap = calloc(1, sizeof(*snap));
	if (!snap)
		return -ENOMEM;
	snap->sessions = calloc(n_sessions ? n_sessions : 1, sizeof(struct stations_session));
	snap->stations = calloc(n_stations ? n_stations : 1, sizeof(struct stations_station));
	if (!snap->sessions || !snap->stations) {
		stations_snapshot_free(snap);
		return -ENOMEM;
	}
	snap->n_sessions = n_sessions;
	snap->n_stations = n_stations;
	*ret = snap;
	return 0;
}

static int id_compare(const char *a, const char *b)
{
	return strverscmp(a, b);
}

static int session_compare(const void *x, const void *y)
{
	const struct stations_session *a = x, *b = y;
	bool a_none = !a->station || !*a->station, b_none = !b->station || !*b->station;

	/* Sessions on a station first, by station; then the rest. */
	if (a_none != b_none)
		return a_none ? 1 : -1;
	if (!a_none) {
		int c = id_compare(a->station, b->station);

		if (c != 0)
			return c;
	}
	return id_compare(a->id, b->id);
}

static int station_compare(const void *x, const void *y)
{
	const struct stations_station *a = x, *b = y;

	return id_compare(a->id, b->id);
}

/* Fill every string logind left out with "" so accessors never return NULL. */
static int strings_fill(char **fields[], size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!*fields[i]) {
			*fields[i] = strdup("");
			if (!*fields[i])
				return -ENOMEM;
		}
	return 0;
}

/* Drop vanished objects, fill defaults, sort, and compute derived fields. */
void snapshot_finish(struct stations_snapshot *snap)
{
	size_t n = 0;

	for (size_t i = 0; i < snap->n_sessions; i++) {
		if (snap->sessions[i].vanished) {
			session_clear(&snap->sessions[i]);
			continue;
		}
		snap->sessions[n++] = snap->sessions[i];
	}
	snap->n_sessions = n;

	n = 0;
	for (size_t i = 0; i < snap->n_stations; i++) {
		if (snap->stations[i].vanished) {
			station_clear(&snap->stations[i]);
			continue;
		}
		snap->stations[n++] = snap->stations[i];
	}
	snap->n_stations = n;

	/* qsort() wants a real array even for none: with no sessions the pointer is NULL */
	if (snap->n_sessions > 1)
		qsort(snap->sessions, snap->n_sessions, sizeof(struct stations_session),
		      session_compare);
	if (snap->n_stations > 1)
		qsort(snap->stations, snap->n_stations, sizeof(struct stations_station),
		      station_compare);

	for (size_t i = 0; i < snap->n_sessions; i++)
		snap->sessions[i].snapshot = snap;

	for (size_t i = 0; i < snap->n_stations; i++) {
		struct stations_station *st = &snap->stations[i];
		const struct stations_session *a = NULL;

		if (st->active_session && *st->active_session)
			a = stations_snapshot_find_session(snap, st->active_session);
		st->free = !a || !streq(strempty(a->class), "user");
	}
}

static int snapshot_fill_strings(struct stations_snapshot *snap)
{
	for (size_t i = 0; i < snap->n_sessions; i++) {
		struct stations_session *s = &snap->sessions[i];
		char **fields[] = { &s->user, &s->station, &s->class, &s->type, &s->state,
				    &s->tty, &s->display, &s->remote_host, &s->service, &s->scope };
		int r = strings_fill(fields, ELEMENTSOF(fields));

		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < snap->n_stations; i++) {
		char **fields[] = { &snap->stations[i].active_session };
		int r = strings_fill(fields, ELEMENTSOF(fields));

		if (r < 0)
			return r;
	}
	return 0;
}

_public_ int stations_snapshot_new(struct stations_ctx *ctx, struct stations_snapshot **ret_snapshot)
{
	struct gather g = { .ctx = ctx, .pipe = { .ctx = ctx } };
	struct stations_snapshot *snap;
	int r;

	if (!ctx || !ret_snapshot)
		return -EINVAL;
	ctx_clear_error(ctx);

	snap = calloc(1, sizeof(*snap));
	if (!snap)
		return -ENOMEM;
	g.snapshot = snap;

	r = start_lists(&g);
	if (r >= 0)
		r = ctx_run(ctx, gather_finished, &g, USEC_INFINITY);
	if (r >= 0 && g.error < 0)
		r = g.error;
	if (r >= 0)
		r = snapshot_fill_strings(snap);
	if (r >= 0 && g.self_path) {
		for (size_t i = 0; i < snap->n_sessions; i++)
			if (streq(snap->sessions[i].path, g.self_path) && !snap->sessions[i].vanished) {
				snap->self_id = strdup(snap->sessions[i].id);
				if (!snap->self_id)
					r = -ENOMEM;
				break;
			}
	}
	gather_done(&g);
	if (r < 0) {
		if (!ctx->error_message && !ctx->error_name)
			ctx_set_error(ctx, r, NULL, NULL, NULL);
		stations_snapshot_free(snap);
		return r;
	}
	snapshot_finish(snap);
	*ret_snapshot = snap;
	return 0;
}

/* ---- accessors ---- */

_public_ size_t stations_snapshot_n_sessions(const struct stations_snapshot *snapshot)
{
	return snapshot ? snapshot->n_sessions : 0;
}

_public_ const struct stations_session *stations_snapshot_session(const struct stations_snapshot *snapshot,
								  size_t index)
{
	if (!snapshot || index >= snapshot->n_sessions)
		return NULL;
	return &snapshot->sessions[index];
}

_public_ const struct stations_session *
stations_snapshot_find_session(const struct stations_snapshot *snapshot, const char *id)
{
	if (!snapshot || !id)
		return NULL;
	for (size_t i = 0; i < snapshot->n_sessions; i++)
		if (streq(snapshot->sessions[i].id, id))
			return &snapshot->sessions[i];
	return NULL;
}

_public_ const struct stations_session *stations_snapshot_self(const struct stations_snapshot *snapshot)
{
	if (!snapshot || !snapshot->self_id)
		return NULL;
	return stations_snapshot_find_session(snapshot, snapshot->self_id);
}

_public_ size_t stations_snapshot_n_stations(const struct stations_snapshot *snapshot)
{
	return snapshot ? snapshot->n_stations : 0;
}

_public_ const struct stations_station *stations_snapshot_station(const struct stations_snapshot *snapshot,
								  size_t index)
{
	if (!snapshot || index >= snapshot->n_stations)
		return NULL;
	return &snapshot->stations[index];
}

_public_ const struct stations_station *
stations_snapshot_find_station(const struct stations_snapshot *snapshot, const char *id)
{
	if (!snapshot || !id)
		return NULL;
	for (size_t i = 0; i < snapshot->n_stations; i++)
		if (streq(snapshot->stations[i].id, id))
			return &snapshot->stations[i];
	return NULL;
}

#define SESSION_STRING(name, field)                                                        \
	_public_ const char *stations_session_##name(const struct stations_session *session) \
	{                                                                                  \
		return session ? strempty(session->field) : "";                             \
	}
#define SESSION_VALUE(type, name, field)                                         \
	_public_ type stations_session_##name(const struct stations_session *session) \
	{                                                                        \
		return session ? session->field : 0;                              \
	}

SESSION_STRING(id, id)
SESSION_STRING(user, user)
SESSION_STRING(station, station)
SESSION_STRING(class, class)
SESSION_STRING(type, type)
SESSION_STRING(state, state)
SESSION_STRING(tty, tty)
SESSION_STRING(display, display)
SESSION_STRING(remote_host, remote_host)
SESSION_STRING(service, service)
SESSION_STRING(scope, scope)
SESSION_VALUE(uid_t, uid, uid)
SESSION_VALUE(bool, active, active)
SESSION_VALUE(bool, locked, locked)
SESSION_VALUE(bool, idle, idle)
SESSION_VALUE(uint64_t, idle_since, idle_since)
SESSION_VALUE(bool, remote, remote)
SESSION_VALUE(uint64_t, start_time, start_time)
SESSION_VALUE(pid_t, leader, leader)
SESSION_VALUE(bool, frozen, frozen)

_public_ const char *stations_station_id(const struct stations_station *station)
{
	return station ? strempty(station->id) : "";
}

_public_ const char *stations_station_active_session(const struct stations_station *station)
{
	return station ? strempty(station->active_session) : "";
}

_public_ size_t stations_station_n_sessions(const struct stations_station *station)
{
	return station ? station->n_sessions : 0;
}

_public_ const char *stations_station_session(const struct stations_station *station, size_t index)
{
	if (!station || index >= station->n_sessions)
		return NULL;
	return station->sessions[index];
}

_public_ bool stations_station_can_graphical(const struct stations_station *station)
{
	return station && station->can_graphical;
}

_public_ bool stations_station_can_tty(const struct stations_station *station)
{
	return station && station->can_tty;
}

_public_ bool stations_station_free(const struct stations_station *station)
{
	return station && station->free;
}
