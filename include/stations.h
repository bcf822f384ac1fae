/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libstations: stations (logind seats) and sessions of a multi-seat host.
 *
 * The library talks to systemd-logind (or elogind) over D-Bus, through sd-bus.
 * It never prints, never exits and keeps no global state: everything lives on
 * a struct stations_ctx, and separate contexts may be used from separate
 * threads.  A single context, and every object made from it, must be used by
 * one thread at a time.
 *
 * Error contract
 *   Every fallible function returns an int: a negative errno value on failure,
 *   0 or a documented non-negative count on success.  Errors a D-Bus peer sent
 *   are translated:
 *     -ENXIO       no such session, station or user
 *     -EACCES      denied by logind or polkit
 *     -EHOSTDOWN   logind (or systemd, for freezing) is not on the bus
 *     -ETIMEDOUT   a call got no answer within the context's call timeout
 *     -EOPNOTSUPP  not possible here (no greeter to release a station to,
 *                  freezing not available)
 *     -ETIME       a wait ran past its deadline
 *     -EINTR       a wait was interrupted by a signal
 *     -EINVAL      bad argument
 *   The D-Bus error name and message behind the most recent failure, and the
 *   object it concerned, stay readable on the context until the next call.
 *
 * Ownership contract
 *   Functions named _new() return an object the caller owns; it is released
 *   with the matching _free(), which accepts NULL and returns NULL.  Strings
 *   and objects returned by accessors are borrowed: they live as long as the
 *   object they came from.  Out-parameters are named ret_* and are written
 *   only on success.
 */
#ifndef STATIONS_H
#define STATIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define STATIONS_VERSION_MAJOR 0
#define STATIONS_VERSION_MINOR 2
#define STATIONS_VERSION_PATCH 0
#define STATIONS_VERSION_STRING "0.2.0"

/*
 * Exit status of mpsession(1), shared so that other clients can report results
 * the same way.  Append-only.
 */
enum stations_exit {
	STATIONS_EXIT_OK = 0,		/* every target reached the asked state */
	STATIONS_EXIT_PARTIAL = 1,	/* some targets failed */
	STATIONS_EXIT_USAGE = 2,	/* unknown verb or option, bad value */
	STATIONS_EXIT_NOT_FOUND = 3,	/* a named session, station or user is unknown */
	STATIONS_EXIT_PERMISSION = 4,	/* denied by logind or polkit */
	STATIONS_EXIT_UNAVAILABLE = 5,	/* no system bus, or logind not running */
	STATIONS_EXIT_TIMEOUT = 6,	/* a wait ran out */
	STATIONS_EXIT_UNSUPPORTED = 7,	/* not possible on this system */
	STATIONS_EXIT_INTERRUPTED = 130,/* SIGINT or SIGTERM */
};

struct stations_ctx;
struct stations_snapshot;
struct stations_session;
struct stations_station;
struct stations_selector;
struct stations_batch;

/* ---- context ---------------------------------------------------------- */

/**
 * stations_ctx_new() - connect to a bus and make a context
 * @address: D-Bus address to connect to, or NULL for the system bus.
 * @ret_ctx: the new context, owned by the caller.
 *
 * Returns 0, or a negative errno if the bus cannot be reached (-ENOENT,
 * -ECONNREFUSED, ...) or memory runs out.
 * Since: 0.1
 */
int stations_ctx_new(const char *address, struct stations_ctx **ret_ctx);

/**
 * stations_ctx_free() - disconnect and release a context
 * @ctx: the context, or NULL.
 *
 * Every object made from @ctx must be freed first.  Returns NULL.
 * Since: 0.1
 */
struct stations_ctx *stations_ctx_free(struct stations_ctx *ctx);

/**
 * stations_ctx_set_timeout() - set the timeout of each D-Bus call
 * @ctx: the context.
 * @usec: microseconds; 0 restores the default of 25 seconds.
 *
 * Returns 0 or -EINVAL.
 * Since: 0.1
 */
int stations_ctx_set_timeout(struct stations_ctx *ctx, uint64_t usec);

/**
 * stations_ctx_set_interactive() - allow polkit to ask for a password
 * @ctx: the context.
 * @interactive: true to allow interactive authorization; false (the default)
 *     turns such a request into -EACCES.
 *
 * Returns 0 or -EINVAL.
 * Since: 0.1
 */
int stations_ctx_set_interactive(struct stations_ctx *ctx, bool interactive);

/**
 * stations_ctx_set_interrupt_fd() - make waits interruptible
 * @ctx: the context.
 * @fd: a file descriptor that becomes readable to ask for an interruption
 *     (for example a signalfd for SIGINT and SIGTERM), or -1 for none.  The
 *     library only polls it; it never reads or closes it.
 *
 * While @fd is readable, every function that waits for logind returns -EINTR
 * instead of waiting.
 * Returns 0 or -EINVAL.
 * Since: 0.1
 */
int stations_ctx_set_interrupt_fd(struct stations_ctx *ctx, int fd);

/**
 * stations_ctx_set_log_fn() - receive the library's log
 * @ctx: the context.
 * @fn: the receiver, or NULL to stay silent (the default).  It gets @data,
 *     a syslog priority (LOG_ERR to LOG_DEBUG) and one line of text without
 *     a trailing newline.
 * @data: passed to @fn.
 *
 * Returns 0 or -EINVAL.
 * Since: 0.1
 */
int stations_ctx_set_log_fn(struct stations_ctx *ctx,
			    void (*fn)(void *data, int priority, const char *msg), void *data);

/**
 * stations_ctx_error_name() - D-Bus error name of the last failure
 * @ctx: the context.
 *
 * Returns the name (for example "org.freedesktop.login1.NoSuchSession"), or
 * NULL when the last failure did not come from a D-Bus peer or @ctx is NULL.
 * Since: 0.1
 */
const char *stations_ctx_error_name(const struct stations_ctx *ctx);

/**
 * stations_ctx_error_message() - human-readable text of the last failure
 * @ctx: the context.
 *
 * Returns the D-Bus error message or the library's own description, or NULL.
 * Since: 0.1
 */
const char *stations_ctx_error_message(const struct stations_ctx *ctx);

/**
 * stations_ctx_error_object() - what the last failure was about
 * @ctx: the context.
 *
 * Returns the session id, station id, user or word the last failure
 * concerned, or NULL.
 * Since: 0.1
 */
const char *stations_ctx_error_object(const struct stations_ctx *ctx);

/* ---- snapshot --------------------------------------------------------- */

/**
 * stations_snapshot_new() - read every station and session from logind
 * @ctx: the context.
 * @ret_snapshot: the snapshot, owned by the caller.
 *
 * One ListSessions and one ListSeats call, then all per-object property
 * calls at once.  A session that vanishes meanwhile is left out.  Also
 * records the caller's own session, if it has one.
 *
 * Returns 0 or a negative errno (-EHOSTDOWN when logind is not running).
 * Since: 0.1
 */
int stations_snapshot_new(struct stations_ctx *ctx, struct stations_snapshot **ret_snapshot);

/**
 * stations_snapshot_free() - release a snapshot
 * @snapshot: the snapshot, or NULL.
 *
 * Returns NULL.
 * Since: 0.1
 */
struct stations_snapshot *stations_snapshot_free(struct stations_snapshot *snapshot);

/**
 * stations_snapshot_n_sessions() - number of sessions
 * @snapshot: the snapshot.
 *
 * Returns the count, or 0 for NULL.  Sessions are sorted by station, then
 * by id (numerically where the ids are numbers).
 * Since: 0.1
 */
size_t stations_snapshot_n_sessions(const struct stations_snapshot *snapshot);

/**
 * stations_snapshot_session() - the session at an index
 * @snapshot: the snapshot.
 * @index: 0 to stations_snapshot_n_sessions() - 1.
 *
 * Returns a borrowed session, or NULL if @index is out of range.
 * Since: 0.1
 */
const struct stations_session *stations_snapshot_session(const struct stations_snapshot *snapshot,
							 size_t index);

/**
 * stations_snapshot_find_session() - look a session up by id
 * @snapshot: the snapshot.
 * @id: a session id.
 *
 * Returns a borrowed session, or NULL if there is none with that id.
 * Since: 0.1
 */
const struct stations_session *stations_snapshot_find_session(const struct stations_snapshot *snapshot,
							      const char *id);

/**
 * stations_snapshot_self() - the caller's own session
 * @snapshot: the snapshot.
 *
 * Returns the session the calling process belongs to, or NULL.
 * Since: 0.1
 */
const struct stations_session *stations_snapshot_self(const struct stations_snapshot *snapshot);

/**
 * stations_snapshot_n_stations() - number of stations
 * @snapshot: the snapshot.
 *
 * Returns the count, or 0 for NULL.  Stations are sorted by id.
 * Since: 0.1
 */
size_t stations_snapshot_n_stations(const struct stations_snapshot *snapshot);

/**
 * stations_snapshot_station() - the station at an index
 * @snapshot: the snapshot.
 * @index: 0 to stations_snapshot_n_stations() - 1.
 *
 * Returns a borrowed station, or NULL if @index is out of range.
 * Since: 0.1
 */
const struct stations_station *stations_snapshot_station(const struct stations_snapshot *snapshot,
							 size_t index);

/**
 * stations_snapshot_find_station() - look a station up by id
 * @snapshot: the snapshot.
 * @id: a station (seat) id such as "seat1".
 *
 * Returns a borrowed station, or NULL.
 * Since: 0.1
 */
const struct stations_station *stations_snapshot_find_station(const struct stations_snapshot *snapshot,
							      const char *id);

/* ---- session ---------------------------------------------------------- */

/*
 * Accessors of a session.  Strings are borrowed from the snapshot and are
 * never NULL: a property logind leaves empty is "".  Each returns 0, "" or
 * false for a NULL session.  Since: 0.1
 */
const char *stations_session_id(const struct stations_session *session);
uid_t stations_session_uid(const struct stations_session *session);
const char *stations_session_user(const struct stations_session *session);
const char *stations_session_station(const struct stations_session *session);
/* "user", "greeter", "lock-screen", "background", "manager", ... */
const char *stations_session_class(const struct stations_session *session);
/* "x11", "wayland", "mir", "tty", "unspecified" */
const char *stations_session_type(const struct stations_session *session);
/* "opening", "online", "active", "closing" */
const char *stations_session_state(const struct stations_session *session);
bool stations_session_active(const struct stations_session *session);
bool stations_session_locked(const struct stations_session *session);
bool stations_session_idle(const struct stations_session *session);
/* microseconds since the epoch; 0 when not idle or unknown */
uint64_t stations_session_idle_since(const struct stations_session *session);
const char *stations_session_tty(const struct stations_session *session);
const char *stations_session_display(const struct stations_session *session);
bool stations_session_remote(const struct stations_session *session);
const char *stations_session_remote_host(const struct stations_session *session);
const char *stations_session_service(const struct stations_session *session);
/* microseconds since the epoch */
uint64_t stations_session_start_time(const struct stations_session *session);
const char *stations_session_scope(const struct stations_session *session);
pid_t stations_session_leader(const struct stations_session *session);
bool stations_session_frozen(const struct stations_session *session);

/* ---- station ---------------------------------------------------------- */

/*
 * Accessors of a station.  Borrowed, never NULL strings; 0, "" or false
 * for a NULL station.  Since: 0.1
 */
const char *stations_station_id(const struct stations_station *station);
/* the active session's id, "" if none */
const char *stations_station_active_session(const struct stations_station *station);
size_t stations_station_n_sessions(const struct stations_station *station);
/* the id of the station's session at @index, or NULL out of range */
const char *stations_station_session(const struct stations_station *station, size_t index);
bool stations_station_can_graphical(const struct stations_station *station);
bool stations_station_can_tty(const struct stations_station *station);
/* true when no session of class "user" is active on the station */
bool stations_station_free(const struct stations_station *station);

/* ---- selection -------------------------------------------------------- */

/*
 * Flags of a selector.  By default --all and the filters leave out the
 * caller's own session, root's sessions and the classes greeter,
 * lock-screen, background, background-light, manager, manager-early and
 * none (unless a class filter names them).
 */
enum stations_select_flags {
	STATIONS_SELECT_ALL = 1u << 0,		/* every session passing the filters */
	STATIONS_SELECT_INCLUDE_SELF = 1u << 1,
	STATIONS_SELECT_INCLUDE_ROOT = 1u << 2,
};

/**
 * stations_selector_new() - make an empty selector
 * @ret_selector: the selector, owned by the caller.
 *
 * Returns 0 or -ENOMEM.
 * Since: 0.1
 */
int stations_selector_new(struct stations_selector **ret_selector);

/**
 * stations_selector_free() - release a selector
 * @selector: the selector, or NULL.
 *
 * Returns NULL.
 * Since: 0.1
 */
struct stations_selector *stations_selector_free(struct stations_selector *selector);

/**
 * stations_selector_set_flags() - set enum stations_select_flags
 * @selector: the selector.
 * @flags: a mask of enum stations_select_flags.
 *
 * Returns 0, or -EINVAL for unknown bits.
 * Since: 0.1
 */
int stations_selector_set_flags(struct stations_selector *selector, unsigned flags);

/**
 * stations_selector_add_id() - name a session explicitly
 * @selector: the selector.
 * @id: a session id, or "self" for the caller's own session.
 *
 * Explicit ids are taken as they are: the default exclusions do not apply.
 * Returns 0, or -EINVAL if @id is not a well-formed session id.
 * Since: 0.1
 */
int stations_selector_add_id(struct stations_selector *selector, const char *id);

/**
 * stations_selector_add_filter() - add a filter; implies an --all selection
 * @selector: the selector.
 * @field: which property to match.
 * @value: for STATIONS_FILTER_USER a user name or a numeric uid; for
 *     STATIONS_FILTER_STATION a station id; for STATIONS_FILTER_CLASS a
 *     session class; for STATIONS_FILTER_STATE one of "opening", "online",
 *     "active", "closing".
 *
 * Filters of one field are alternatives; filters of different fields must
 * all match.  Returns 0, or -EINVAL for a malformed value (the context of
 * stations_select() is not involved, so nothing is recorded there).
 * Since: 0.1
 */
enum stations_filter {
	STATIONS_FILTER_USER,
	STATIONS_FILTER_STATION,
	STATIONS_FILTER_CLASS,
	STATIONS_FILTER_STATE,
};
int stations_selector_add_filter(struct stations_selector *selector, enum stations_filter field,
				 const char *value);

/**
 * stations_select() - apply a selector to a snapshot
 * @ctx: the context, where an error's object is recorded.
 * @snapshot: the snapshot.
 * @selector: the selector.
 * @ret_sessions: a newly allocated array of borrowed session pointers, in
 *     snapshot order without duplicates; release it with free().  May be
 *     NULL when the count is 0.
 *
 * Returns the number of sessions selected (0 is not an error), -ENXIO if an
 * explicit id, "self", a station or a user name does not exist (the word is
 * recorded on @ctx), -EINVAL if explicit ids are mixed with filters or
 * STATIONS_SELECT_ALL, or if nothing at all was asked for.
 * Since: 0.1
 */
int stations_select(struct stations_ctx *ctx, const struct stations_snapshot *snapshot,
		    const struct stations_selector *selector,
		    const struct stations_session ***ret_sessions);

/* ---- operations on a batch of sessions ---------------------------------- */

/*
 * A batch is a list of target sessions with one result each.  Each operation
 * is sent to every target whose result is still 0, all calls pipelined, and
 * stores the outcome as that target's result; a target that failed once is
 * left alone by later operations.  A session that no longer exists counts as
 * done (its result is 0 and stations_batch_gone() is true), except for
 * stations_batch_activate(), where it is -ENXIO.
 */

/**
 * stations_batch_new() - make an empty batch
 * @ctx: the context the batch will use; must outlive the batch.
 * @ret_batch: the batch, owned by the caller.
 *
 * Returns 0, -EINVAL or -ENOMEM.
 * Since: 0.1
 */
int stations_batch_new(struct stations_ctx *ctx, struct stations_batch **ret_batch);

/**
 * stations_batch_free() - release a batch
 * @batch: the batch, or NULL.
 *
 * Returns NULL.
 * Since: 0.1
 */
struct stations_batch *stations_batch_free(struct stations_batch *batch);

/**
 * stations_batch_add() - add a target session
 * @batch: the batch.
 * @session: a session of a snapshot; its id, scope, station and frozen state
 *     are copied, so the snapshot may be freed afterwards.
 *
 * Adding a session twice adds it once.  Returns 0, -EINVAL or -ENOMEM.
 * Since: 0.1
 */
int stations_batch_add(struct stations_batch *batch, const struct stations_session *session);

/* Number of targets, their ids, results and D-Bus error messages. Since: 0.1 */
size_t stations_batch_size(const struct stations_batch *batch);
const char *stations_batch_id(const struct stations_batch *batch, size_t index);
/* 0 or a negative errno; -EINVAL for an index out of range */
int stations_batch_result(const struct stations_batch *batch, size_t index);
/* the D-Bus error message behind a failed result, or NULL */
const char *stations_batch_message(const struct stations_batch *batch, size_t index);
/* true when the target was already gone when an operation reached it */
bool stations_batch_gone(const struct stations_batch *batch, size_t index);

enum stations_terminate_flags {
	STATIONS_TERMINATE_FORCE = 1u << 0,	/* SIGKILL what is left at the deadline */
};

/**
 * stations_batch_terminate() - end every target session
 * @batch: the batch.
 * @wait_usec: 0 to return once logind accepted the calls; otherwise wait up
 *     to this long until every target is gone (logind keeps a terminated
 *     session in state "closing" until its processes have exited).
 * @flags: enum stations_terminate_flags.  With STATIONS_TERMINATE_FORCE, the
 *     targets left at the deadline get KillSession(all, SIGKILL) and another
 *     5 seconds.
 *
 * Subscribes to SessionRemoved before acting, so no removal is missed.
 * Targets still present when the wait ends get -ETIME.
 * Returns the number of failed targets, or a negative errno if the batch as
 * a whole failed (-EINTR: interrupted while waiting; results say which
 * targets were done).
 * Since: 0.1
 */
int stations_batch_terminate(struct stations_batch *batch, uint64_t wait_usec, unsigned flags);

enum stations_kill_who {
	STATIONS_KILL_LEADER,
	STATIONS_KILL_ALL,
};

/**
 * stations_batch_kill() - send a signal to every target session
 * @batch: the batch.
 * @who: the session leader only, or all processes of the session.
 * @signo: the signal number.
 *
 * Returns the number of failed targets, or a negative errno.
 * Since: 0.1
 */
int stations_batch_kill(struct stations_batch *batch, enum stations_kill_who who, int signo);

/**
 * stations_batch_lock() - lock every target session
 * @batch: the batch.
 * @wait_usec: 0 to return once logind accepted the calls; otherwise wait up
 *     to this long until each target's LockedHint is true (set by the
 *     session's screen locker); targets not locked by then get -ETIME.
 *
 * Returns the number of failed targets, or a negative errno.
 * Since: 0.1
 */
int stations_batch_lock(struct stations_batch *batch, uint64_t wait_usec);

/* UnlockSession on every target.  Returns the failures count or -errno. Since: 0.1 */
int stations_batch_unlock(struct stations_batch *batch);

/* ActivateSession on every target (brings it to the front of its station). Since: 0.1 */
int stations_batch_activate(struct stations_batch *batch);

/**
 * stations_batch_release() - free the station of every target
 * @batch: the batch.
 *
 * Activates the greeter session of each target's station, so that the
 * target keeps running in the background.  A target whose station has no
 * greeter session gets -EOPNOTSUPP.  A target that is not active on its
 * station, or on no station at all, is left as it is.
 * Returns the number of failed targets, or a negative errno.
 * Since: 0.1
 */
int stations_batch_release(struct stations_batch *batch);

/**
 * stations_batch_freeze() - freeze the scope unit of every target
 * @batch: the batch.
 *
 * Uses systemd's FreezeUnit; -EOPNOTSUPP where the cgroup freezer is not
 * available.  Returns the number of failed targets, or a negative errno.
 * Since: 0.1
 */
int stations_batch_freeze(struct stations_batch *batch);

/* ThawUnit on every target that is frozen; others succeed untouched. Since: 0.1 */
int stations_batch_thaw(struct stations_batch *batch);

/* ---- warnings to the users of a batch -------------------------------- */

/* The longest message stations_batch_notify() takes, in bytes. Since: 0.2 */
#define STATIONS_MESSAGE_MAX 1024

/* How a warning reached a target. Since: 0.2 */
enum stations_delivery {
	STATIONS_DELIVERY_TERMINAL = 1,		/* written to the session's terminal */
	STATIONS_DELIVERY_NOTIFICATION = 2,	/* a desktop notification on the user's bus */
};

/**
 * stations_batch_notify() - show a message to the user of every target
 * @batch: the batch.
 * @title: a short heading, or NULL for "Message from the system
 *     administrator"; at most 128 bytes.
 * @text: the message; at most STATIONS_MESSAGE_MAX bytes.
 * @expire_usec: how long a desktop notification stays up; 0 leaves it to
 *     the notification server.
 *
 * Both strings are sanitized first: escape sequences, control characters
 * (but newlines in @text), bidi overrides and invalid UTF-8 never reach a
 * user.  A text session (one with a terminal and no graphical type) gets the
 * message on its terminal, written like wall(1) does, only if the terminal
 * is a character device that is a terminal and its path below /dev has no
 * symlink.  A graphical session (x11, wayland, mir) gets a critical desktop
 * notification (org.freedesktop.Notifications) on its user's session bus,
 * /run/user/UID/bus, sent by a child process that has switched to the
 * user's groups, gid and uid, and checked it; one notification per user.
 * Every delivery runs at once under one deadline, the context's call timeout
 * but at most 10 seconds, so a stuck terminal costs no more than that.
 *
 * This is independent of the targets' results: every target is tried, and
 * the outcome is read with stations_batch_delivery(); every graphical session
 * of a user reports the one notification.  A later call on the same batch
 * replaces the notifications of the earlier one.  A caller that is not root
 * reaches only its own desktop and the terminals it may open (-EACCES).
 *
 * The process forks, and the child uses malloc() and sd-bus before it exits:
 * call it while the process has a single thread.
 *
 * Returns the number of targets not reached, or a negative errno for the
 * call as a whole: -EINVAL (nothing visible left in @text or @title),
 * -EMSGSIZE (too long), -EINTR (the interrupt fd became readable; targets
 * not reached by then have -EINTR), -ENOMEM.
 * Since: 0.2
 */
int stations_batch_notify(struct stations_batch *batch, const char *title, const char *text,
			  uint64_t expire_usec);

/**
 * stations_batch_delivery() - how the last stations_batch_notify() went
 * @batch: the batch.
 * @index: a target's index.
 *
 * Returns STATIONS_DELIVERY_TERMINAL or STATIONS_DELIVERY_NOTIFICATION, or
 * why the target was not reached: -EOPNOTSUPP (neither a terminal nor a
 * graphical session), -ENOTTY (its terminal is not a terminal), -ENOENT or
 * -ECONNREFUSED (no session bus for the user), -EHOSTDOWN (no notification
 * server on it), -ETIME (no answer or no room on the terminal in time),
 * -EPERM (the switch to the user failed), -ENXIO (the session is known to
 * have ended: its terminal may be someone else's by now), -ENODATA (no
 * message was sent to this batch yet), -EINVAL (@index out of range), or
 * another errno.
 * Since: 0.2
 */
int stations_batch_delivery(const struct stations_batch *batch, size_t index);

#ifdef __cplusplus
}
#endif

#endif /* STATIONS_H */
