/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Replies from logind, as libstations parses them: a snapshot taken from a
 * fake logind whose every reply is made from the fuzz input.  This is the
 * project's one fake bus, for what the lab cannot produce: the real logind
 * never answers with wrong types, odd property names, garbage strings,
 * duplicate or missing ids, or error names nobody expects.
 *
 * The fake is a thread serving one sd-bus server connection on an abstract
 * socket; libstations connects to it by address, as to any bus, so the
 * harness uses only the public header and does not depend on how
 * lib/snapshot.c is written.  The replies go over the socket serialized, and
 * sd-bus parses them on the library's side as it would logind's.
 *
 * Each method call takes bytes from the input: a mode (an error reply, a
 * reply of random types, or the expected signature with fuzzed contents),
 * then counts, strings, numbers and type choices.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <systemd/sd-bus.h>

#include "fuzz.h"
#include "stations.h"

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))

struct src {
	const uint8_t *p;
	size_t n;
};

static uint8_t take(struct src *s)
{
	if (s->n == 0)
		return 0;
	s->n--;
	return *s->p++;
}

static uint64_t take64(struct src *s)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | take(s);
	return v;
}

/* A string of up to 63 bytes, made valid UTF-8 by sd-bus's rules or cut short. */
static const char *take_string(struct src *s, char *buf)
{
	size_t len = take(s) % 64, o = 0;

	for (size_t i = 0; i < len; i++) {
		uint8_t c = take(s);

		/* no NUL, no bytes sd-bus would refuse as invalid UTF-8 */
		if (c == 0 || c >= 0x80)
			c = (uint8_t)('a' + c % 26);
		buf[o++] = (char)c;
	}
	buf[o] = '\0';
	return buf;
}

static const char *const paths[] = {
	"/org/freedesktop/login1/session/c1", "/org/freedesktop/login1/session/_31",
	"/org/freedesktop/login1/seat/seat0", "/org/freedesktop/login1/user/_1000",
	"/", "/org/freedesktop/login1/session/auto",
};

static const char *take_path(struct src *s)
{
	return paths[take(s) % ELEMENTSOF(paths)];
}

/* Common ids, so that sessions, stations and self refer to each other. */
static const char *take_id(struct src *s, char *buf)
{
	static const char *const ids[] = { "c1", "c2", "3", "seat0", "seat1", "", "self" };
	uint8_t c = take(s);

	if (c < 200)
		return ids[c % ELEMENTSOF(ids)];
	return take_string(s, buf);
}

static int append_value(sd_bus_message *m, char type, struct src *s, unsigned depth);

/* One value of a type picked from the input. */
static int append_random(sd_bus_message *m, struct src *s, unsigned depth)
{
	static const char types[] = "sbutiodya";
	char t = types[take(s) % (sizeof(types) - 1)];
	char buf[64];
	int r;

	if (t == 'a') {
		if (depth > 2)
			return sd_bus_message_append(m, "s", "deep");
		r = sd_bus_message_open_container(m, 'a', "s");
		for (unsigned i = 0, n = take(s) % 4; r >= 0 && i < n; i++)
			r = sd_bus_message_append_basic(m, 's', take_string(s, buf));
		return r < 0 ? r : sd_bus_message_close_container(m);
	}
	return append_value(m, t, s, depth + 1);
}

static int append_value(sd_bus_message *m, char type, struct src *s, unsigned depth)
{
	char buf[64];
	uint64_t u = take64(s);
	double d = (double)u;
	int b = (int)(u & 1);
	uint32_t u32 = (uint32_t)u;
	uint8_t y = (uint8_t)u;

	switch (type) {
	case 's':
		return sd_bus_message_append_basic(m, 's', take_id(s, buf));
	case 'o':
		return sd_bus_message_append_basic(m, 'o', take_path(s));
	case 'b':
		return sd_bus_message_append_basic(m, 'b', &b);
	case 'u':
	case 'i':
		return sd_bus_message_append_basic(m, type, &u32);
	case 't':
		return sd_bus_message_append_basic(m, 't', &u);
	case 'd':
		return sd_bus_message_append_basic(m, 'd', &d);
	case 'y':
		return sd_bus_message_append_basic(m, 'y', &y);
	default:
		return append_random(m, s, depth);
	}
}

/* "(so)", "(uo)" and friends: a struct of basic types. */
static int append_struct(sd_bus_message *m, const char *contents, struct src *s)
{
	int r = sd_bus_message_open_container(m, 'r', contents);

	for (const char *c = contents; r >= 0 && *c; c++)
		r = append_value(m, *c, s, 0);
	return r < 0 ? r : sd_bus_message_close_container(m);
}

static int append_array_of_structs(sd_bus_message *m, const char *contents, struct src *s)
{
	int r = sd_bus_message_open_container(m, 'a', contents);
	char inner[16];

	snprintf(inner, sizeof(inner), "%.*s", (int)strlen(contents) - 2, contents + 1);
	for (unsigned i = 0, n = take(s) % 8; r >= 0 && i < n; i++)
		r = append_struct(m, inner, s);
	return r < 0 ? r : sd_bus_message_close_container(m);
}

/* Properties logind has, with their types, and a few it does not. */
static const struct {
	const char *name;
	const char *signature;
} props[] = {
	{ "Id", "s" },		{ "Name", "s" },	  { "User", "(uo)" },
	{ "Seat", "(so)" },	{ "Class", "s" },	  { "Type", "s" },
	{ "State", "s" },	{ "Active", "b" },	  { "LockedHint", "b" },
	{ "IdleHint", "b" },	{ "IdleSinceHint", "t" }, { "TTY", "s" },
	{ "Display", "s" },	{ "Remote", "b" },	  { "RemoteHost", "s" },
	{ "Service", "s" },	{ "Timestamp", "t" },	  { "Scope", "s" },
	{ "Leader", "u" },	{ "ActiveSession", "(so)" }, { "Sessions", "a(so)" },
	{ "CanGraphical", "b" }, { "CanTTY", "b" },	  { "FreezerState", "s" },
	{ "Bogus", "as" },
};

static int append_variant(sd_bus_message *m, const char *signature, struct src *s)
{
	int r = sd_bus_message_open_container(m, 'v', signature);

	if (r < 0)
		return r;
	if (signature[0] == '(') {
		char inner[16];

		snprintf(inner, sizeof(inner), "%.*s", (int)strlen(signature) - 2, signature + 1);
		r = append_struct(m, inner, s);
	} else if (signature[0] == 'a' && signature[1] == '(') {
		r = append_array_of_structs(m, signature + 1, s);
	} else if (signature[0] == 'a') {
		r = sd_bus_message_append(m, "as", 2, "x", "y");
	} else {
		r = append_value(m, signature[0], s, 0);
	}
	return r < 0 ? r : sd_bus_message_close_container(m);
}

static int append_props(sd_bus_message *m, struct src *s)
{
	static const char *const odd[] = {
		"s", "b", "u", "t", "(so)", "(uo)", "a(so)", "as", "o",
	};
	char buf[64];
	int r = sd_bus_message_open_container(m, 'a', "{sv}");

	for (unsigned i = 0, n = take(s) % 32; r >= 0 && i < n; i++) {
		uint8_t pick = take(s), how = take(s);
		const char *name = pick < 240 ? props[pick % ELEMENTSOF(props)].name
					      : take_string(s, buf);
		const char *sig = pick < 240 && how < 224 ? props[pick % ELEMENTSOF(props)].signature
							  : odd[how % ELEMENTSOF(odd)];

		r = sd_bus_message_open_container(m, 'e', "sv");
		if (r >= 0)
			r = sd_bus_message_append_basic(m, 's', name);
		if (r >= 0)
			r = append_variant(m, sig, s);
		if (r >= 0)
			r = sd_bus_message_close_container(m);
	}
	return r < 0 ? r : sd_bus_message_close_container(m);
}

static const char *const error_names[] = {
	"org.freedesktop.login1.NoSuchSession", "org.freedesktop.login1.NoSuchSeat",
	"org.freedesktop.DBus.Error.UnknownObject", "org.freedesktop.DBus.Error.AccessDenied",
	"org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NoReply",
	"org.freedesktop.DBus.Error.InteractiveAuthorizationRequired",
	"org.freedesktop.DBus.Error.LimitsExceeded", "org.freedesktop.systemd1.NoSuchUnit",
	"org.freedesktop.DBus.Error.UnknownProperty", "org.example.Unheard.Of",
};

/* The reply to one call of the library's, from the input. */
static int answer(sd_bus_message *call, struct src *s)
{
	_Static_assert(sizeof(error_names) / sizeof(error_names[0]) < 16, "modes");
	const char *member = sd_bus_message_get_member(call);
	const char *interface = sd_bus_message_get_interface(call);
	sd_bus_message *reply = NULL;
	uint8_t mode;
	char buf[64];
	int r;

	if (!member)
		return 0;
	/* the bus daemon's part, needed for the connection to work at all */
	if (interface && strcmp(interface, "org.freedesktop.DBus") == 0) {
		if (strcmp(member, "Hello") == 0)
			return sd_bus_reply_method_return(call, "s", ":1.1");
		if (strcmp(member, "GetNameOwner") == 0)
			return sd_bus_reply_method_return(call, "s", ":1.2");
		return sd_bus_reply_method_return(call, NULL);
	}

	mode = take(s);
	if (mode < 16) {
		const char *name = mode < ELEMENTSOF(error_names) ? error_names[mode] : "x.y";

		return sd_bus_reply_method_errorf(call, name, "%s", take_string(s, buf));
	}
	r = sd_bus_message_new_method_return(call, &reply);
	if (r < 0)
		return r;
	if (mode < 32) {
		for (unsigned i = 0, n = take(s) % 4; r >= 0 && i < n; i++)
			r = append_random(reply, s, 0);
	} else if (strcmp(member, "ListSessions") == 0) {
		r = append_array_of_structs(reply, "(susso)", s);
	} else if (strcmp(member, "ListSeats") == 0) {
		r = append_array_of_structs(reply, "(so)", s);
	} else if (strcmp(member, "GetAll") == 0) {
		r = append_props(reply, s);
	} else if (strcmp(member, "Get") == 0) {
		r = append_variant(reply, take(s) < 200 ? "s" : "b", s);
	} else if (strncmp(member, "Get", 3) == 0) {
		/* GetSession, GetSessionByPID, GetSeat, GetUnit: an object path */
		r = sd_bus_message_append_basic(reply, 'o', take_path(s));
	}
	if (r >= 0)
		r = sd_bus_send(NULL, reply, NULL);
	else
		r = sd_bus_reply_method_errorf(call, "org.example.Fuzz", "could not build: %d", r);
	sd_bus_message_unref(reply);
	return r;
}

static int on_message(sd_bus_message *m, void *userdata, sd_bus_error *unused)
{
	(void)unused;
	if (sd_bus_message_get_type(m, &(uint8_t){ 0 }) >= 0 &&
	    sd_bus_message_is_method_call(m, NULL, NULL))
		(void)answer(m, userdata);
	return 1;
}

struct server {
	pthread_t thread;
	int listen_fd;
	struct src src;
};

static void *serve(void *data)
{
	struct server *srv = data;
	struct pollfd p = { .fd = srv->listen_fd, .events = POLLIN };
	sd_bus *bus = NULL;
	sd_id128_t id = SD_ID128_MAKE(6d, 70, 73, 65, 73, 73, 69, 6f,
				      6e, 66, 75, 7a, 7a, 21, 21, 21);
	int fd, r;

	if (poll(&p, 1, 5000) <= 0)
		return NULL;
	fd = accept4(srv->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return NULL;
	r = sd_bus_new(&bus);
	if (r >= 0)
		r = sd_bus_set_fd(bus, fd, fd);
	if (r >= 0)
		r = sd_bus_set_server(bus, 1, id);
	if (r >= 0)
		r = sd_bus_add_filter(bus, NULL, on_message, &srv->src);
	if (r >= 0)
		r = sd_bus_start(bus);
	while (r >= 0) {
		r = sd_bus_process(bus, NULL);
		if (r > 0)
			continue;
		if (r == 0)
			r = sd_bus_wait(bus, UINT64_MAX);
	}
	if (!bus)
		close(fd);
	sd_bus_flush_close_unref(bus);
	return NULL;
}

static int listen_fd = -1;
static char address[128];

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t len;
	int n;

	(void)argc;
	(void)argv;
	/* an abstract socket: nothing in the file system, gone with the process */
	n = snprintf(sa.sun_path + 1, sizeof(sa.sun_path) - 1, "mpsession-fuzz-%d", (int)getpid());
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n);
	listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (listen_fd < 0 || bind(listen_fd, (struct sockaddr *)&sa, len) < 0 ||
	    listen(listen_fd, 4) < 0)
		abort();
	snprintf(address, sizeof(address), "unix:abstract=%s", sa.sun_path + 1);
	return 0;
}

/* Read every field, as the tool does, so that ASan sees any bad pointer. */
static void walk(const struct stations_snapshot *snap)
{
	size_t total = 0;

	for (size_t i = 0; i < stations_snapshot_n_sessions(snap); i++) {
		const struct stations_session *s = stations_snapshot_session(snap, i);
		const char *strings[] = {
			stations_session_id(s),	     stations_session_user(s),
			stations_session_station(s), stations_session_class(s),
			stations_session_type(s),    stations_session_state(s),
			stations_session_tty(s),     stations_session_display(s),
			stations_session_remote_host(s), stations_session_service(s),
			stations_session_scope(s),
		};

		fuzz_assert(s && stations_session_id(s));
		for (size_t k = 0; k < ELEMENTSOF(strings); k++)
			total += strings[k] ? strlen(strings[k]) : 0;
		fuzz_assert(stations_snapshot_find_session(snap, stations_session_id(s)));
	}
	for (size_t i = 0; i < stations_snapshot_n_stations(snap); i++) {
		const struct stations_station *st = stations_snapshot_station(snap, i);

		fuzz_assert(st && stations_station_id(st));
		total += strlen(stations_station_id(st));
		for (size_t k = 0; k < stations_station_n_sessions(st); k++)
			total += strlen(stations_station_session(st, k));
	}
	(void)total;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct server srv = { .listen_fd = listen_fd, .src = { data, size } };
	struct stations_ctx *ctx = NULL;
	struct stations_snapshot *snap = NULL;
	struct stations_selector *sel = NULL;
	const struct stations_session **list = NULL;

	if (pthread_create(&srv.thread, NULL, serve, &srv) != 0)
		abort();
	if (stations_ctx_new(address, &ctx) >= 0) {
		/* the fake answers every call; a lost one must not stall the run */
		stations_ctx_set_timeout(ctx, 2 * 1000000);
		if (stations_snapshot_new(ctx, &snap) >= 0) {
			walk(snap);
			if (stations_selector_new(&sel) >= 0 &&
			    stations_selector_set_flags(sel, STATIONS_SELECT_ALL |
								     STATIONS_SELECT_INCLUDE_ROOT) >= 0 &&
			    stations_select(ctx, snap, sel, &list) >= 0)
				free(list);
			stations_selector_free(sel);
			stations_snapshot_free(snap);
		}
	}
	stations_ctx_free(ctx);
	pthread_join(srv.thread, NULL);
	return 0;
}
