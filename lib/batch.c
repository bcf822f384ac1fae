/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <signal.h>

#include "internal.h"

struct target {
	struct stations_batch *batch;
	char *id;
	char *path;
	char *scope;
	uid_t uid;
	char *type;
	char *tty;
	int delivery;		/* of the last warning: enum stations_delivery, -errno, 0 */
	uint32_t notification;	/* the id of the last desktop notification, or 0 */
	char *greeter;		/* a greeter session on the target's station, or NULL */
	bool active;
	bool on_station;
	bool frozen;
	int result;
	char *message;
	bool gone;		/* known to no longer exist */
	bool already_gone;	/* ... before an operation reached it */
	bool locked;
	bool pending;
	bool rechecking;	/* the pending call is a recheck, not the operation */
	sd_bus_slot *slot;
};

/*
 * Targets by id and by object path, for the signal handlers: with n targets
 * and a signal per target, a linear search would make a wait O(n^2).  Open
 * addressing; the keys are the targets' own strings, which stay put when
 * the array of targets moves.  Ids never start with '/', so both kinds of
 * key share one table.
 */
struct index_entry {
	const char *key;
	size_t target;
};

struct stations_batch {
	struct stations_ctx *ctx;
	struct pipeline pipe;
	struct target *targets;
	size_t n;
	size_t allocated;
	struct index_entry *index;
	size_t index_size;	/* a power of two, at least 4 * n */
	/* wait_done(): targets before this one are known to be done waiting */
	size_t wait_cursor;
	unsigned pending;
	/* whether "no such session" counts as done for the running operation */
	bool gone_is_done;
	/* what is being waited for: targets gone, or locked */
	bool want_locked;
	unsigned recheck_pending;
	/* operation parameters */
	const char *kill_who;
	int kill_signo;
};

typedef int (*build_fn)(struct stations_batch *b, struct target *t, sd_bus_message **ret);
static bool drop_gone(void *userdata);
static void send_failed(void *userdata, int error);

static void target_clear(struct target *t)
{
	sd_bus_slot_unref(t->slot);
	free(t->id);
	free(t->path);
	free(t->scope);
	free(t->type);
	free(t->tty);
	free(t->greeter);
	free(t->message);
}

_public_ int stations_batch_new(struct stations_ctx *ctx, struct stations_batch **ret_batch)
{
	struct stations_batch *b;

	if (!ctx || !ret_batch)
		return -EINVAL;
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->ctx = ctx;
	b->pipe.ctx = ctx;
	b->pipe.drop = drop_gone;
	b->pipe.failed = send_failed;
	*ret_batch = b;
	return 0;
}

_public_ struct stations_batch *stations_batch_free(struct stations_batch *batch)
{
	if (!batch)
		return NULL;
	for (size_t i = 0; i < batch->n; i++)
		target_clear(&batch->targets[i]);
	pipeline_clear(&batch->pipe);
	free(batch->targets);
	free(batch->index);
	free(batch);
	return NULL;
}

/* FNV-1a */
static size_t hash_string(const char *s)
{
	uint64_t h = UINT64_C(14695981039346656037);

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	return (size_t)h;
}

static void index_put(struct stations_batch *b, const char *key, size_t target)
{
	size_t mask = b->index_size - 1, i;

	for (i = hash_string(key) & mask; b->index[i].key; i = (i + 1) & mask)
		;
	b->index[i] = (struct index_entry){ .key = key, .target = target };
}

/* Make room for one more target's two keys, keeping the table at most half full. */
static int index_reserve(struct stations_batch *b)
{
	struct index_entry *index;
	size_t size;

	if (b->index_size >= 4 * (b->n + 1))
		return 0;
	size = b->index_size ? b->index_size * 2 : 64;
	while (size < 4 * (b->n + 1))
		size *= 2;
	index = calloc(size, sizeof(*index));
	if (!index)
		return -ENOMEM;
	free(b->index);
	b->index = index;
	b->index_size = size;
	for (size_t i = 0; i < b->n; i++) {
		index_put(b, b->targets[i].id, i);
		index_put(b, b->targets[i].path, i);
	}
	return 0;
}

static struct target *index_get(struct stations_batch *b, const char *key)
{
	size_t mask = b->index_size - 1;

	if (!key || b->index_size == 0)
		return NULL;
	for (size_t i = hash_string(key) & mask; b->index[i].key; i = (i + 1) & mask)
		if (streq(b->index[i].key, key))
			return &b->targets[b->index[i].target];
	return NULL;
}

/*
 * A snapshot lists sessions by station (snapshot_finish()): look only at the
 * target's station, found by bisection, so that adding every session of a
 * large host stays far from O(n^2).
 */
static const struct stations_session *station_greeter(const struct stations_session *s)
{
	const struct stations_snapshot *snap = s->snapshot;
	size_t lo = 0, hi;

	if (!snap || !s->station || !*s->station)
		return NULL;
	hi = snap->n_sessions;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *st = strempty(snap->sessions[mid].station);

		if (*st && strverscmp(st, s->station) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < snap->n_sessions; i++) {
		const struct stations_session *g = &snap->sessions[i];

		if (!streq(strempty(g->station), s->station))
			break;
		if (g == s || !streq(strempty(g->class), "greeter") ||
		    streq(strempty(g->state), "closing"))
			continue;
		return g;
	}
	return NULL;
}

_public_ int stations_batch_add(struct stations_batch *batch, const struct stations_session *session)
{
	const struct stations_session *greeter;
	struct target *nt, *t;

	if (!batch || !session || !session->id)
		return -EINVAL;
	if (index_get(batch, session->id))
		return 0;
	if (index_reserve(batch) < 0)
		return -ENOMEM;

	if (batch->n == batch->allocated) {
		size_t allocated = batch->allocated ? batch->allocated * 2 : 16;

		nt = realloc(batch->targets, allocated * sizeof(*nt));
		if (!nt)
			return -ENOMEM;
		batch->targets = nt;
		batch->allocated = allocated;
	}
	t = &batch->targets[batch->n];
	*t = (struct target){
		.active = session->active,
		.on_station = session->station && *session->station,
		.frozen = session->frozen,
		.uid = session->uid,
	};
	t->id = strdup(session->id);
	t->path = strdup(strempty(session->path));
	t->scope = strdup(strempty(session->scope));
	t->type = strdup(strempty(session->type));
	t->tty = strdup(strempty(session->tty));
	greeter = station_greeter(session);
	if (greeter)
		t->greeter = strdup(greeter->id);
	if (!t->id || !t->path || !t->scope || !t->type || !t->tty || (greeter && !t->greeter)) {
		target_clear(t);
		return -ENOMEM;
	}
	index_put(batch, t->id, batch->n);
	index_put(batch, t->path, batch->n);
	batch->n++;
	/* The slots point into the array, which realloc may have moved: none is pending here. */
	for (size_t i = 0; i < batch->n; i++)
		batch->targets[i].batch = batch;
	return 0;
}

_public_ size_t stations_batch_size(const struct stations_batch *batch)
{
	return batch ? batch->n : 0;
}

_public_ const char *stations_batch_id(const struct stations_batch *batch, size_t index)
{
	if (!batch || index >= batch->n)
		return NULL;
	return batch->targets[index].id;
}

_public_ int stations_batch_result(const struct stations_batch *batch, size_t index)
{
	if (!batch || index >= batch->n)
		return -EINVAL;
	return batch->targets[index].result;
}

_public_ const char *stations_batch_message(const struct stations_batch *batch, size_t index)
{
	if (!batch || index >= batch->n)
		return NULL;
	return batch->targets[index].message;
}

_public_ bool stations_batch_gone(const struct stations_batch *batch, size_t index)
{
	return batch && index < batch->n && batch->targets[index].already_gone;
}

static void target_fail(struct target *t, int r, const char *message)
{
	t->result = r;
	free(t->message);
	t->message = message ? strdup(message) : NULL;
}

static bool usable(const struct target *t)
{
	return t->result == 0 && !t->gone;
}

static size_t count_failed(const struct stations_batch *b)
{
	size_t n = 0;

	for (size_t i = 0; i < b->n; i++)
		n += b->targets[i].result < 0;
	return n;
}

/*
 * The pipeline's drop hook: a call still queued for a session that is gone
 * by now (SessionRemoved came first) is not sent at all.  It is accounted as
 * its reply would have been: "no such session".
 */
static bool drop_gone(void *userdata)
{
	struct target *t = userdata;
	struct stations_batch *b = t->batch;

	if (!t->gone)
		return false;
	t->pending = false;
	if (t->rechecking) {
		t->rechecking = false;
		b->recheck_pending--;
		return true;
	}
	b->pending--;
	if (b->gone_is_done)
		t->already_gone = true;
	else
		target_fail(t, -ENXIO, "no such session");
	return true;
}

/* The pipeline's failure hook: a call of this target could not be sent. */
static void send_failed(void *userdata, int error)
{
	struct target *t = userdata;
	struct stations_batch *b = t->batch;

	t->pending = false;
	t->slot = sd_bus_slot_unref(t->slot);
	if (t->rechecking) {
		t->rechecking = false;
		b->recheck_pending--;
		return;
	}
	b->pending--;
	target_fail(t, error, NULL);
}

/* ---- one call per target, pipelined ---- */

static bool calls_done(void *data)
{
	return ((struct stations_batch *)data)->pending == 0;
}

static int op_reply(sd_bus_message *reply, void *userdata, sd_bus_error *unused)
{
	struct target *t = userdata;
	struct stations_batch *b = t->batch;
	const sd_bus_error *e;
	int r;

	(void)unused;
	t->pending = false;
	t->slot = sd_bus_slot_unref(t->slot);
	b->pending--;
	r = pipeline_done(&b->pipe);
	if (r < 0)
		target_fail(t, r, NULL);
	if (!sd_bus_message_is_method_error(reply, NULL))
		return 0;

	e = sd_bus_message_get_error(reply);
	r = errno_from_reply(reply);
	/* A session that is already gone has nothing left to do, except to be activated. */
	if (r == -ENXIO && b->gone_is_done) {
		t->gone = t->already_gone = true;
		return 0;
	}
	target_fail(t, r, e ? e->message : NULL);
	return 0;
}

/* After an interruption, calls still out have an unknown outcome. */
static void cancel_pending(struct stations_batch *b, int r)
{
	for (size_t i = 0; i < b->n; i++) {
		struct target *t = &b->targets[i];

		if (!t->pending)
			continue;
		t->slot = sd_bus_slot_unref(t->slot);
		t->pending = false;
		t->rechecking = false;
		target_fail(t, r, NULL);
	}
	b->pending = 0;
	pipeline_clear(&b->pipe);
}

static int batch_run(struct stations_batch *b, build_fn build, bool gone_is_done)
{
	int r;

	if (!b)
		return -EINVAL;
	ctx_clear_error(b->ctx);
	b->gone_is_done = gone_is_done;

	for (size_t i = 0; i < b->n; i++) {
		_cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
		struct target *t = &b->targets[i];

		/* one call out per target at a time: a recheck may still be out */
		if (!usable(t) || t->pending)
			continue;
		r = build(b, t, &m);
		if (r < 0) {
			target_fail(t, r, NULL);
			continue;
		}
		if (!m)		/* nothing to do for this one */
			continue;
		t->pending = true;
		b->pending++;
		r = pipeline_add(&b->pipe, m, op_reply, t, &t->slot);
		if (r < 0) {
			t->pending = false;
			b->pending--;
			target_fail(t, r, NULL);
		}
	}

	r = ctx_run(b->ctx, calls_done, b, USEC_INFINITY);
	if (r < 0) {
		cancel_pending(b, r);
		return ctx_set_error(b->ctx, r, NULL, NULL, NULL);
	}
	/* every call has its reply: the queue only holds what was sent */
	if (pipeline_idle(&b->pipe) && b->recheck_pending == 0)
		pipeline_clear(&b->pipe);
	return (int)count_failed(b);
}

static int manager_call(struct stations_batch *b, const char *member, const char *id,
			sd_bus_message **ret)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
	int r;

	r = ctx_new_call(b->ctx, &m, LOGIN1_SERVICE, LOGIN1_PATH, LOGIN1_MANAGER, member);
	if (r < 0)
		return r;
	r = sd_bus_message_append(m, "s", id);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(m);
	return 0;
}

static int build_terminate(struct stations_batch *b, struct target *t, sd_bus_message **ret)
{
	return manager_call(b, "TerminateSession", t->id, ret);
}

static int build_lock(struct stations_batch *b, struct target *t, sd_bus_message **ret)
{
	return manager_call(b, "LockSession", t->id, ret);
}

static int build_unlock(struct stations_batch *b, struct target *t, sd_bus_message **ret)
{
	return manager_call(b, "UnlockSession", t->id, ret);
}

static int build_activate(struct stations_batch *b, struct target *t, sd_bus_message **ret)
{
	return manager_call(b, "ActivateSession", t->id, ret);
}

static int build_kill(struct stations_batch *b, struct target *t, sd_bus_message **ret)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
	int r;

	r = ctx_new_call(b->ctx, &m, LOGIN1_SERVICE, LOGIN1_PATH, LOGIN1_MANAGER, "KillSession");
	if (r < 0)
		return r;
	r = sd_bus_message_append(m, "ssi", t->id, b->kill_who, (int32_t)b->kill_signo);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(m);
	return 0;
}

static int build_release(struct stations_batch *b, struct target *t, sd_bus_message **ret)
{
	/* nothing to release: in the background already, or on no station at all */
	if (!t->active || !t->on_station)
		return 0;
	if (!t->greeter) {
		target_fail(t, -EOPNOTSUPP, "no greeter session on the station to release it to");
		return 0;
	}
	return manager_call(b, "ActivateSession", t->greeter, ret);
}

static int unit_call(struct stations_batch *b, struct target *t, const char *member,
		     sd_bus_message **ret)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
	int r;

	if (!*t->scope) {
		target_fail(t, -EOPNOTSUPP, "the session has no scope unit");
		return 0;
	}
	r = ctx_new_call(b->ctx, &m, SYSTEMD1_SERVICE, SYSTEMD1_PATH, SYSTEMD1_MANAGER, member);
	if (r < 0)
		return r;
	r = sd_bus_message_append(m, "s", t->scope);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(m);
	return 0;
}

static int build_freeze(struct stations_batch *b, struct target *t, sd_bus_message **ret)
{
	if (t->frozen)
		return 0;
	return unit_call(b, t, "FreezeUnit", ret);
}

static int build_thaw(struct stations_batch *b, struct target *t, sd_bus_message **ret)
{
	if (!t->frozen)
		return 0;
	return unit_call(b, t, "ThawUnit", ret);
}

_public_ int stations_batch_unlock(struct stations_batch *batch)
{
	return batch_run(batch, build_unlock, true);
}

_public_ int stations_batch_activate(struct stations_batch *batch)
{
	return batch_run(batch, build_activate, false);
}

_public_ int stations_batch_release(struct stations_batch *batch)
{
	return batch_run(batch, build_release, true);
}

static void set_frozen(struct stations_batch *b, bool frozen)
{
	for (size_t i = 0; i < b->n; i++)
		if (usable(&b->targets[i]))
			b->targets[i].frozen = frozen;
}

_public_ int stations_batch_freeze(struct stations_batch *batch)
{
	int r = batch_run(batch, build_freeze, true);

	if (r >= 0)
		set_frozen(batch, true);
	return r;
}

_public_ int stations_batch_thaw(struct stations_batch *batch)
{
	int r = batch_run(batch, build_thaw, true);

	if (r >= 0)
		set_frozen(batch, false);
	return r;
}

_public_ int stations_batch_kill(struct stations_batch *batch, enum stations_kill_who who, int signo)
{
	int r;

	if (!batch || (who != STATIONS_KILL_LEADER && who != STATIONS_KILL_ALL) || signo <= 0 ||
	    signo >= NSIG)
		return -EINVAL;
	batch->kill_who = who == STATIONS_KILL_LEADER ? "leader" : "all";
	batch->kill_signo = signo;
	r = batch_run(batch, build_kill, true);
	batch->kill_who = NULL;
	return r;
}

/* ---- waiting ---- */

static bool waits_for(const struct stations_batch *b, const struct target *t)
{
	return usable(t) && !(b->want_locked && t->locked);
}

/*
 * Called after every message: O(1) but for the cursor's moves, which add up
 * to n over a wait, since a target that is done stays done (but for a lock
 * taken back, see on_properties_changed()).
 */
static bool wait_done(void *data)
{
	struct stations_batch *b = data;

	if (b->recheck_pending > 0)
		return false;
	while (b->wait_cursor < b->n && !waits_for(b, &b->targets[b->wait_cursor]))
		b->wait_cursor++;
	return b->wait_cursor == b->n;
}

static int on_session_removed(sd_bus_message *m, void *userdata, sd_bus_error *unused)
{
	struct stations_batch *b = userdata;
	const char *id, *path;
	struct target *t;

	(void)unused;
	if (sd_bus_message_read(m, "so", &id, &path) < 0)
		return 0;
	t = index_get(b, id);
	if (t)
		t->gone = true;
	return 0;
}

static int read_locked_hint(sd_bus_message *m, bool *ret)
{
	int r;

	r = sd_bus_message_enter_container(m, 'a', "{sv}");
	if (r < 0)
		return r;
	while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		const char *name;
		int b;

		r = sd_bus_message_read_basic(m, 's', &name);
		if (r < 0)
			return r;
		if (streq(name, "LockedHint")) {
			r = sd_bus_message_read(m, "v", "b", &b);
			if (r < 0)
				return r;
			*ret = b;
		} else {
			r = sd_bus_message_skip(m, "v");
			if (r < 0)
				return r;
		}
		r = sd_bus_message_exit_container(m);
		if (r < 0)
			return r;
	}
	return r;
}

static int on_properties_changed(sd_bus_message *m, void *userdata, sd_bus_error *unused)
{
	struct stations_batch *b = userdata;
	const char *interface;
	struct target *t;
	bool locked;

	(void)unused;
	t = index_get(b, sd_bus_message_get_path(m));
	if (!t)
		return 0;
	if (sd_bus_message_read(m, "s", &interface) < 0 || !streq(interface, LOGIN1_SESSION))
		return 0;
	locked = t->locked;
	if (read_locked_hint(m, &locked) >= 0)
		t->locked = locked;
	/* unlocked again: wait_done() must look at it once more */
	if (!t->locked && (size_t)(t - b->targets) < b->wait_cursor)
		b->wait_cursor = (size_t)(t - b->targets);
	return 0;
}

/*
 * A reply to the recheck after logind came back (GetSession) or to the
 * first read of LockedHint.
 */
static int recheck_reply(sd_bus_message *reply, void *userdata, sd_bus_error *unused)
{
	struct target *t = userdata;
	struct stations_batch *b = t->batch;
	int hint;

	(void)unused;
	t->slot = sd_bus_slot_unref(t->slot);
	t->pending = false;
	t->rechecking = false;
	b->recheck_pending--;
	(void)pipeline_done(&b->pipe);
	if (sd_bus_message_is_method_error(reply, NULL)) {
		if (errno_from_reply(reply) == -ENXIO)
			t->gone = true;
		return 0;
	}
	if (b->want_locked && sd_bus_message_read(reply, "v", "b", &hint) >= 0)
		t->locked = t->locked || hint;
	return 0;
}

/* Ask about every remaining target once: is it still there, is it locked? */
static int recheck(struct stations_batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		_cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
		struct target *t = &b->targets[i];
		int r;

		if (!usable(t) || t->pending)
			continue;
		if (b->want_locked) {
			r = ctx_new_call(b->ctx, &m, LOGIN1_SERVICE, t->path, DBUS_PROPERTIES, "Get");
			if (r >= 0)
				r = sd_bus_message_append(m, "ss", LOGIN1_SESSION, "LockedHint");
		} else
			r = manager_call(b, "GetSession", t->id, &m);
		if (r < 0)
			return r;
		t->pending = true;
		t->rechecking = true;
		b->recheck_pending++;
		r = pipeline_add(&b->pipe, m, recheck_reply, t, &t->slot);
		if (r < 0) {
			t->pending = false;
			t->rechecking = false;
			b->recheck_pending--;
			return r;
		}
	}
	return 0;
}

/* logind restarted: it kept its sessions, but signals may have been lost meanwhile. */
static int on_owner_changed(sd_bus_message *m, void *userdata, sd_bus_error *unused)
{
	struct stations_batch *b = userdata;
	const char *name, *old_owner, *new_owner;

	(void)unused;
	if (sd_bus_message_read(m, "sss", &name, &old_owner, &new_owner) < 0)
		return 0;
	if (!streq(name, LOGIN1_SERVICE) || !*new_owner)
		return 0;
	ctx_log(b->ctx, 6, "logind reappeared on the bus, rechecking targets");
	(void)recheck(b);
	return 0;
}

struct watch {
	sd_bus_slot *signal;
	sd_bus_slot *owner;
};

/* Forget the rechecks still queued or out; their replies will never come to us. */
static void rechecks_cancel(struct stations_batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->targets[i].pending) {
			b->targets[i].slot = sd_bus_slot_unref(b->targets[i].slot);
			b->targets[i].pending = false;
			b->targets[i].rechecking = false;
		}
	b->recheck_pending = 0;
	pipeline_clear(&b->pipe);
}

static void watch_done(struct stations_batch *b, struct watch *w)
{
	sd_bus_slot_unref(w->signal);
	sd_bus_slot_unref(w->owner);
	rechecks_cancel(b);
	b->want_locked = false;
}

/* Subscribe before acting, so that no change can slip by unseen. */
static int watch_start(struct stations_batch *b, struct watch *w, bool locked)
{
	int r;

	b->want_locked = locked;
	b->wait_cursor = 0;
	if (locked)
		r = sd_bus_add_match(b->ctx->bus, &w->signal,
				     "type='signal',sender='" LOGIN1_SERVICE "',"
				     "interface='" DBUS_PROPERTIES "',member='PropertiesChanged',"
				     "path_namespace='" LOGIN1_PATH "/session'",
				     on_properties_changed, b);
	else
		r = sd_bus_match_signal(b->ctx->bus, &w->signal, LOGIN1_SERVICE, LOGIN1_PATH,
					LOGIN1_MANAGER, "SessionRemoved", on_session_removed, b);
	if (r < 0)
		return r;
	return sd_bus_add_match(b->ctx->bus, &w->owner,
				"type='signal',sender='org.freedesktop.DBus',"
				"path='/org/freedesktop/DBus',interface='org.freedesktop.DBus',"
				"member='NameOwnerChanged',arg0='" LOGIN1_SERVICE "'",
				on_owner_changed, b);
}

/* Everything still waited for at the end gets @r. */
static void fail_waiting(struct stations_batch *b, int r, const char *message)
{
	for (size_t i = 0; i < b->n; i++) {
		struct target *t = &b->targets[i];

		if (usable(t) && !(b->want_locked && t->locked))
			target_fail(t, r, message);
	}
}

/*
 * End a wait: targets still waited for get -ETIME or -EINTR, and the result
 * is the failure count, unless the batch as a whole failed.
 */
static int wait_finish(struct stations_batch *b, struct watch *w, int r, const char *timeout_message)
{
	if (r == -ETIME)
		fail_waiting(b, -ETIME, timeout_message);
	else if (r == -EINTR)
		fail_waiting(b, -EINTR, "interrupted while waiting");
	watch_done(b, w);
	if (r == -ETIME || r >= 0)
		return (int)count_failed(b);
	return ctx_set_error(b->ctx, r, NULL, NULL, NULL);
}

_public_ int stations_batch_terminate(struct stations_batch *batch, uint64_t wait_usec, unsigned flags)
{
	struct watch w = {};
	uint64_t deadline;
	int r;

	if (!batch || (flags & ~STATIONS_TERMINATE_FORCE))
		return -EINVAL;
	if (wait_usec == 0)
		return batch_run(batch, build_terminate, true);

	deadline = now_usec() + wait_usec;
	r = watch_start(batch, &w, false);
	if (r < 0) {
		watch_done(batch, &w);
		return ctx_set_error(batch->ctx, r, NULL, "cannot subscribe to SessionRemoved", NULL);
	}
	r = batch_run(batch, build_terminate, true);
	if (r >= 0)
		r = ctx_run(batch->ctx, wait_done, batch, deadline);
	if (r == -ETIME && (flags & STATIONS_TERMINATE_FORCE)) {
		ctx_log(batch->ctx, 5, "deadline passed, killing what is left");
		/* a recheck after a logind restart may be out: the kill takes its place */
		rechecks_cancel(batch);
		batch->kill_who = "all";
		batch->kill_signo = SIGKILL;
		r = batch_run(batch, build_kill, true);
		batch->kill_who = NULL;
		if (r >= 0)
			r = ctx_run(batch->ctx, wait_done, batch, now_usec() + FORCE_GRACE_USEC);
	}
	return wait_finish(batch, &w, r, "still present when the wait ended");
}

_public_ int stations_batch_lock(struct stations_batch *batch, uint64_t wait_usec)
{
	struct watch w = {};
	int r;

	if (!batch)
		return -EINVAL;
	if (wait_usec == 0)
		return batch_run(batch, build_lock, true);

	r = watch_start(batch, &w, true);
	if (r >= 0)
		r = batch_run(batch, build_lock, true);
	/* Sessions that were locked already send no change: read the hint once. */
	if (r >= 0)
		r = recheck(batch);
	if (r >= 0)
		r = ctx_run(batch->ctx, wait_done, batch, now_usec() + wait_usec);
	return wait_finish(batch, &w, r, "not locked when the wait ended");
}

/* ---- warnings ---- */

_public_ int stations_batch_notify(struct stations_batch *batch, const char *title, const char *text,
				   uint64_t expire_usec)
{
	_cleanup_free_ struct notify_target *nt = NULL;
	int r;

	if (!batch || !text)
		return -EINVAL;
	ctx_clear_error(batch->ctx);
	for (size_t i = 0; i < batch->n; i++)
		batch->targets[i].delivery = 0;
	nt = calloc(batch->n ? batch->n : 1, sizeof(*nt));
	if (!nt)
		return -ENOMEM;
	/* a later message replaces the notification of an earlier one */
	for (size_t i = 0; i < batch->n; i++)
		nt[i] = (struct notify_target){
			.uid = batch->targets[i].uid,
			.type = batch->targets[i].type,
			.tty = batch->targets[i].tty,
			.notification = batch->targets[i].notification,
			.gone = batch->targets[i].gone,
		};
	r = notify_deliver(batch->ctx, nt, batch->n, title, text, expire_usec);
	if (r < 0 && r != -EINTR)
		return r;
	for (size_t i = 0; i < batch->n; i++) {
		batch->targets[i].delivery = nt[i].result;
		if (nt[i].notification)
			batch->targets[i].notification = nt[i].notification;
	}
	return r;
}

_public_ int stations_batch_delivery(const struct stations_batch *batch, size_t index)
{
	if (!batch || index >= batch->n)
		return -EINVAL;
	return batch->targets[index].delivery ? batch->targets[index].delivery : -ENODATA;
}
