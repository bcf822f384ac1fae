/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef STATIONS_INTERNAL_H
#define STATIONS_INTERNAL_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <systemd/sd-bus.h>

#include "stations.h"

#define _public_ __attribute__((visibility("default")))
#define _cleanup_(f) __attribute__((cleanup(f)))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _unused_ __attribute__((unused))

static inline void freep(void *p)
{
	free(*(void **)p);
}
#define _cleanup_free_ _cleanup_(freep)

/* Hand a pointer out of a _cleanup_ variable. */
#define TAKE_PTR(p)                              \
	({                                       \
		__typeof__(p) _taken_ = (p);     \
		(p) = NULL;                      \
		_taken_;                         \
	})

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))
#define USEC_PER_SEC UINT64_C(1000000)
#define USEC_PER_MSEC UINT64_C(1000)
#define USEC_INFINITY UINT64_MAX

#define LOGIN1_SERVICE "org.freedesktop.login1"
#define LOGIN1_PATH "/org/freedesktop/login1"
#define LOGIN1_MANAGER "org.freedesktop.login1.Manager"
#define LOGIN1_SESSION "org.freedesktop.login1.Session"
#define LOGIN1_SEAT "org.freedesktop.login1.Seat"
#define SYSTEMD1_SERVICE "org.freedesktop.systemd1"
#define SYSTEMD1_PATH "/org/freedesktop/systemd1"
#define SYSTEMD1_MANAGER "org.freedesktop.systemd1.Manager"
#define SYSTEMD1_UNIT "org.freedesktop.systemd1.Unit"
#define DBUS_PROPERTIES "org.freedesktop.DBus.Properties"

#define DEFAULT_TIMEOUT_USEC (25 * USEC_PER_SEC)
#define FORCE_GRACE_USEC (5 * USEC_PER_SEC)

static inline bool streq(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

static inline const char *strempty(const char *s)
{
	return s ? s : "";
}

struct stations_ctx {
	sd_bus *bus;
	uint64_t timeout_usec;
	bool interactive;
	int interrupt_fd;
	void (*log_fn)(void *data, int priority, const char *msg);
	void *log_data;
	char *error_name;
	char *error_message;
	char *error_object;
};

struct stations_session {
	char *id;
	char *path;
	uid_t uid;
	char *user;
	char *station;
	char *class;
	char *type;
	char *state;
	bool active;
	bool locked;
	bool idle;
	uint64_t idle_since;
	char *tty;
	char *display;
	bool remote;
	char *remote_host;
	char *service;
	uint64_t start_time;
	char *scope;
	pid_t leader;
	bool frozen;
	/* Set while gathering: the session vanished and is left out. */
	bool vanished;
	/* The snapshot that holds this session, to find its station's greeter. */
	const struct stations_snapshot *snapshot;
};

struct stations_station {
	char *id;
	char *path;
	char *active_session;
	char **sessions;
	size_t n_sessions;
	bool can_graphical;
	bool can_tty;
	bool free;
	bool vanished;
};

struct stations_snapshot {
	struct stations_session *sessions;
	size_t n_sessions;
	struct stations_station *stations;
	size_t n_stations;
	char *self_id;
};

/* pipeline.c: asynchronous calls with a bounded number in flight */
struct pipeline_entry {
	sd_bus_message *message;
	sd_bus_message_handler_t handler;
	void *userdata;
	sd_bus_slot **slot;
};

struct pipeline {
	struct stations_ctx *ctx;
	struct pipeline_entry *queue;
	size_t n;
	size_t allocated;
	size_t next;
	unsigned inflight;
	/*
	 * Optional, asked with an entry's userdata just before its call would go
	 * out: true drops the call unsent (its object is known to be gone), and
	 * the hook has then done the accounting a reply would have done.
	 */
	bool (*drop)(void *userdata);
	/*
	 * Optional, called for a call that could not be sent (the pump goes on
	 * with the next); without it, the pump stops and returns the error.
	 */
	void (*failed)(void *userdata, int error);
};

int pipeline_add(struct pipeline *p, sd_bus_message *m, sd_bus_message_handler_t handler,
		 void *userdata, sd_bus_slot **slot);
int pipeline_pump(struct pipeline *p);
int pipeline_done(struct pipeline *p);
bool pipeline_idle(const struct pipeline *p);
void pipeline_clear(struct pipeline *p);

/* ctx.c */
void ctx_log(struct stations_ctx *ctx, int priority, const char *fmt, ...) _printf_(3, 4);
void ctx_clear_error(struct stations_ctx *ctx);
int ctx_set_error(struct stations_ctx *ctx, int r, const char *name, const char *message,
		  const char *object);
int ctx_bus_error(struct stations_ctx *ctx, const sd_bus_error *error, int r, const char *object);
int ctx_run(struct stations_ctx *ctx, bool (*done)(void *data), void *data, uint64_t deadline);
int ctx_new_call(struct stations_ctx *ctx, sd_bus_message **ret, const char *service,
		 const char *path, const char *interface, const char *member);
uint64_t now_usec(void);

/* errors.c */
int errno_from_bus_error(const sd_bus_error *error, int fallback);
int errno_from_reply(sd_bus_message *reply);

/* notify.c: warnings to sessions' users */
struct notify_target {
	uid_t uid;
	const char *type;
	const char *tty;
	uint32_t notification;	/* in: one to replace, or 0; out: the new one's id */
	bool gone;		/* in: known to have ended: its tty may be someone else's */
	int result;		/* out: enum stations_delivery, or a negative errno */
};
int notify_sanitize(const char *in, size_t max, bool one_line, char **ret);
int notify_deliver(struct stations_ctx *ctx, struct notify_target *targets, size_t n,
		   const char *title, const char *text, uint64_t expire_usec);

/* snapshot.c, also used by the unit tests to build snapshots by hand */
int snapshot_alloc(size_t n_sessions, size_t n_stations, struct stations_snapshot **ret);
void snapshot_finish(struct stations_snapshot *snapshot);
int session_id_valid(const char *id);
int station_id_valid(const char *id);

#endif
