/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Selection rules on snapshots built by hand, and the D-Bus error mapping. */
#include <errno.h>
#include <stdlib.h>

#include "internal.h"
#include "tap.h"

struct spec {
	const char *id, *user, *station, *class, *state;
	uid_t uid;
};

static const struct spec specs[] = {
	{ "c1", "lightdm", "seat0", "greeter", "online", 990 },
	{ "c2", "alice", "seat0", "user", "active", 1001 },
	{ "c3", "bob", "seat1", "user", "active", 1002 },
	{ "c4", "alice", "seat1", "user", "online", 1001 },
	{ "5", "dave", "", "background", "active", 1004 },
	{ "c6", "carol", "", "user", "active", 1003 },
	{ "c7", "root", "", "user", "active", 0 },
	{ "c8", "erin", "seat2", "lock-screen", "active", 1005 },
	{ "c9", "bob", "", "user", "closing", 1002 },
	{ "c10", "me", "", "user", "active", 1010 },
	{ "c11", "sys", "", "manager", "active", 1011 },
};

static struct stations_snapshot *build(void)
{
	static const char *const seats[] = { "seat0", "seat1", "seat2" };
	struct stations_snapshot *snap;

	if (snapshot_alloc(ELEMENTSOF(specs), ELEMENTSOF(seats), &snap) < 0)
		abort();
	for (size_t i = 0; i < ELEMENTSOF(specs); i++) {
		struct stations_session *s = &snap->sessions[i];

		s->id = strdup(specs[i].id);
		s->user = strdup(specs[i].user);
		s->station = strdup(specs[i].station);
		s->class = strdup(specs[i].class);
		s->state = strdup(specs[i].state);
		s->uid = specs[i].uid;
		s->active = streq(specs[i].state, "active");
	}
	for (size_t i = 0; i < ELEMENTSOF(seats); i++)
		snap->stations[i].id = strdup(seats[i]);
	snap->stations[0].active_session = strdup("c2");
	snap->stations[1].active_session = strdup("c3");
	snap->stations[2].active_session = strdup("c8");
	snap->self_id = strdup("c10");
	snapshot_finish(snap);
	return snap;
}

/* Run a selection and render its ids as "a b c", or "E<errno>" on failure. */
static char *pick(struct stations_ctx *ctx, const struct stations_snapshot *snap, unsigned flags,
		  const char *const *ids, const char *const *filters)
{
	struct stations_selector *sel;
	const struct stations_session **list = NULL;
	char *out = calloc(1, 512);
	int r;

	stations_selector_new(&sel);
	stations_selector_set_flags(sel, flags);
	for (; ids && *ids; ids++)
		stations_selector_add_id(sel, *ids);
	/* filters come as pairs: "u"ser, "s"tation, "c"lass, "t" state, then the value */
	for (; filters && filters[0]; filters += 2) {
		enum stations_filter f = filters[0][0] == 'u' ? STATIONS_FILTER_USER :
					 filters[0][0] == 's' ? STATIONS_FILTER_STATION :
					 filters[0][0] == 'c' ? STATIONS_FILTER_CLASS :
								STATIONS_FILTER_STATE;

		if (stations_selector_add_filter(sel, f, filters[1]) < 0)
			snprintf(out, 512, "bad-filter ");
	}
	r = stations_select(ctx, snap, sel, &list);
	if (r < 0)
		snprintf(out + strlen(out), 256, "E%d", -r);
	for (int i = 0; i < r; i++)
		snprintf(out + strlen(out), 512 - strlen(out), "%s%s", i ? " " : "",
			 stations_session_id(list[i]));
	free(list);
	stations_selector_free(sel);
	return out;
}

#define IDS(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define CHECK(flags, ids, filters, want, ...)                     \
	do {                                                        \
		char *got_ = pick(ctx, snap, flags, ids, filters);  \
		is_str(got_, want, __VA_ARGS__);                    \
		free(got_);                                         \
	} while (0)

static char enxio[16], einval[16];

static void selection(struct stations_ctx *ctx, const struct stations_snapshot *snap)
{
	/* a closing user session stays selectable: --wait then waits for it to go */
	CHECK(STATIONS_SELECT_ALL, NULL, NULL, "c2 c3 c4 c6 c9",
	      "--all: user sessions of others; no root, self, greeter, background, manager");
	CHECK(STATIONS_SELECT_ALL, NULL, IDS("t", "closing"), "c9", "--state closing finds the closing one");
	CHECK(STATIONS_SELECT_ALL | STATIONS_SELECT_INCLUDE_ROOT, NULL, NULL, "c2 c3 c4 c6 c7 c9",
	      "--include-root adds root's session");
	CHECK(STATIONS_SELECT_ALL | STATIONS_SELECT_INCLUDE_SELF, NULL, NULL, "c2 c3 c4 c6 c9 c10",
	      "--include-self adds the caller's session");
	CHECK(0, NULL, IDS("u", "alice"), "c2 c4", "--user alice");
	CHECK(0, NULL, IDS("u", "1002"), "c3 c9", "--user by uid");
	CHECK(0, NULL, IDS("u", "alice", "u", "bob"), "c2 c3 c4 c9", "two users are alternatives");
	CHECK(0, NULL, IDS("u", "alice", "s", "seat1"), "c4", "user and station must both match");
	CHECK(0, NULL, IDS("s", "seat0"), "c2", "--station seat0 leaves the greeter out");
	CHECK(0, NULL, IDS("c", "greeter"), "c1", "--class greeter brings greeters back");
	CHECK(0, NULL, IDS("c", "background"), "5", "--class background");
	CHECK(0, NULL, IDS("u", "root"), "", "--user root still needs --include-root");
	CHECK(0, NULL, IDS("s", "seat2"), "", "a station with only a lock screen: nothing");
	CHECK(0, NULL, IDS("u", "nosuchuser4711"), enxio, "an unknown user is not found");
	CHECK(0, NULL, IDS("s", "seat9"), enxio, "an unknown station is not found");
	CHECK(0, IDS("c4", "c2", "c4"), NULL, "c2 c4", "explicit ids, in snapshot order, once each");
	CHECK(0, IDS("c1", "c7", "5"), NULL, "c1 5 c7",
	      "explicit ids ignore the default exclusions");
	CHECK(0, IDS("self"), NULL, "c10", "self is the caller's session");
	CHECK(0, IDS("c2", "c99"), NULL, enxio, "one unknown id fails the whole selection");
	CHECK(STATIONS_SELECT_ALL, IDS("c2"), NULL, einval, "ids and --all do not mix");
	CHECK(0, IDS("c2"), IDS("u", "alice"), einval, "ids and filters do not mix");
	CHECK(0, NULL, NULL, einval, "an empty selector selects nothing: an error");
	is_str(stations_ctx_error_object(ctx), NULL, "that error concerns no object");
	{
		char *got = pick(ctx, snap, 0, IDS("c99"), NULL);

		is_str(stations_ctx_error_object(ctx), "c99", "the unknown id is recorded on the context");
		free(got);
	}
}

static void validation(void)
{
	struct stations_selector *sel;

	stations_selector_new(&sel);
	is_int(stations_selector_add_id(sel, "c1"), 0, "c1 is an id");
	is_int(stations_selector_add_id(sel, "self"), 0, "self is accepted");
	is_int(stations_selector_add_id(sel, ""), -EINVAL, "empty id rejected");
	is_int(stations_selector_add_id(sel, "c/1"), -EINVAL, "slash rejected");
	is_int(stations_selector_add_id(sel, "../c1"), -EINVAL, "dots rejected");
	is_int(stations_selector_add_id(sel, "-c1"), -EINVAL, "leading dash rejected");
	is_int(stations_selector_add_id(sel, "c 1"), -EINVAL, "space rejected");
	is_int(stations_selector_add_id(sel, "c\xc3\xa9"), -EINVAL, "non-ASCII rejected");
	is_int(stations_selector_add_id(sel, NULL), -EINVAL, "NULL rejected");
	is_int(stations_selector_add_filter(sel, STATIONS_FILTER_STATION, "seat-a_1"), 0,
	       "seat-a_1 is a station id");
	is_int(stations_selector_add_filter(sel, STATIONS_FILTER_STATION, "seat"), -EINVAL,
	       "bare 'seat' is not");
	is_int(stations_selector_add_filter(sel, STATIONS_FILTER_STATION, "tty1"), -EINVAL,
	       "tty1 is not");
	is_int(stations_selector_add_filter(sel, STATIONS_FILTER_CLASS, "lock-screen"), 0,
	       "lock-screen is a class");
	is_int(stations_selector_add_filter(sel, STATIONS_FILTER_CLASS, "users"), -EINVAL,
	       "users is not a class");
	is_int(stations_selector_add_filter(sel, STATIONS_FILTER_STATE, "closing"), 0,
	       "closing is a state");
	is_int(stations_selector_add_filter(sel, STATIONS_FILTER_STATE, "gone"), -EINVAL,
	       "gone is not a state");
	is_int(stations_selector_add_filter(sel, STATIONS_FILTER_USER, "4294967295"), -EINVAL,
	       "uid -1 is not a user");
	is_int(stations_selector_add_filter(sel, STATIONS_FILTER_USER, "-rf"), -EINVAL,
	       "a user name cannot start with a dash");
	is_int(stations_selector_add_filter(sel, STATIONS_FILTER_USER, "host$"), 0,
	       "a machine account name is accepted");
	is_int(stations_selector_add_filter(sel, (enum stations_filter)42, "x"), -EINVAL,
	       "unknown filter field rejected");
	is_int(stations_selector_set_flags(sel, 1u << 9), -EINVAL, "unknown flag rejected");
	stations_selector_free(sel);
	ok(stations_selector_free(NULL) == NULL, "free(NULL) is fine");
	is_int(stations_select(NULL, NULL, NULL, NULL), -EINVAL, "stations_select(NULL...) is -EINVAL");
}

static void snapshot_order(const struct stations_snapshot *snap)
{
	const char *want[] = { "c1", "c2", "c3", "c4", "c8", "5", "c6", "c7", "c9", "c10", "c11" };
	bool same = stations_snapshot_n_sessions(snap) == ELEMENTSOF(want);

	for (size_t i = 0; same && i < ELEMENTSOF(want); i++)
		same = streq(stations_session_id(stations_snapshot_session(snap, i)), want[i]);
	ok(same, "sessions sorted by station, then naturally by id; station-less last");
	ok(!stations_station_free(stations_snapshot_find_station(snap, "seat0")), "seat0 in use");
	ok(stations_station_free(stations_snapshot_find_station(snap, "seat2")),
	   "seat2 showing a lock screen is free");
	is_str(stations_session_id(stations_snapshot_self(snap)), "c10", "self found");
	ok(stations_snapshot_session(snap, 99) == NULL, "index out of range: NULL");
	is_str(stations_session_tty(NULL), "", "accessors take NULL");
}

static int mapped(const char *name, int fallback)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	int r;

	sd_bus_error_set_const(&e, name, "message");
	r = errno_from_bus_error(&e, fallback);
	sd_bus_error_free(&e);
	return r;
}

static void error_map(void)
{
	is_int(mapped("org.freedesktop.login1.NoSuchSession", -EIO), -ENXIO, "NoSuchSession -> ENXIO");
	is_int(mapped("org.freedesktop.DBus.Error.UnknownObject", -EIO), -ENXIO,
	       "UnknownObject (a vanished session) -> ENXIO");
	is_int(mapped("org.freedesktop.DBus.Error.InteractiveAuthorizationRequired", -EIO), -EACCES,
	       "interactive auth required -> EACCES");
	is_int(mapped("org.freedesktop.DBus.Error.ServiceUnknown", -EIO), -EHOSTDOWN,
	       "ServiceUnknown -> EHOSTDOWN");
	is_int(mapped("org.freedesktop.DBus.Error.Spawn.ChildExited", -EIO), -EHOSTDOWN,
	       "activation failure -> EHOSTDOWN");
	is_int(mapped("org.freedesktop.DBus.Error.NoReply", -EIO), -ETIMEDOUT, "NoReply -> ETIMEDOUT");
	is_int(mapped("org.freedesktop.DBus.Error.NotSupported", -EIO), -EOPNOTSUPP,
	       "NotSupported -> EOPNOTSUPP");
	is_int(mapped("com.example.Unknown", -EPROTO), -EPROTO, "unknown name -> the fallback");
	is_int(errno_from_bus_error(NULL, -ECONNRESET), -ECONNRESET, "no error -> the fallback");
}

int main(void)
{
	struct stations_ctx ctx = { .interrupt_fd = -1 };
	struct stations_snapshot *snap = build();

	snprintf(enxio, sizeof(enxio), "E%d", ENXIO);
	snprintf(einval, sizeof(einval), "E%d", EINVAL);
	snapshot_order(snap);
	selection(&ctx, snap);
	validation();
	error_map();
	ctx_clear_error(&ctx);
	stations_snapshot_free(snap);
	return done_testing();
}
