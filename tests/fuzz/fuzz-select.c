/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Selectors: session ids, "self" and filter values as the command line gives
 * them, checked by libstations and applied to a snapshot built by hand.
 * Input: lines, each a letter then a value: i(d), u(ser), s(tation),
 * c(lass), t (state), f (flags: the value's first byte).
 */
#include "fuzz.h"
#include "internal.h"

static const char *const spec[][5] = {
	/* id, user, station, class, state */
	{ "c1", "lightdm", "seat0", "greeter", "online" },
	{ "c2", "alice", "seat0", "user", "active" },
	{ "3", "bob", "seat1", "user", "active" },
	{ "c4", "root", "", "user", "active" },
	{ "c5", "dave", "", "background", "closing" },
};

static struct stations_snapshot *build(void)
{
	struct stations_snapshot *snap;

	if (snapshot_alloc(ELEMENTSOF(spec), 2, &snap) < 0)
		abort();
	for (size_t i = 0; i < ELEMENTSOF(spec); i++) {
		struct stations_session *s = &snap->sessions[i];

		s->id = strdup(spec[i][0]);
		s->user = strdup(spec[i][1]);
		s->station = strdup(spec[i][2]);
		s->class = strdup(spec[i][3]);
		s->state = strdup(spec[i][4]);
		s->uid = streq(spec[i][1], "root") ? 0 : 1000 + (uid_t)i;
	}
	snap->stations[0].id = strdup("seat0");
	snap->stations[1].id = strdup("seat1");
	snap->self_id = strdup("c2");
	snapshot_finish(snap);
	return snap;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct stations_snapshot *snap;
	struct stations_ctx ctx = { .interrupt_fd = -1 };
	struct stations_selector *sel = NULL;
	const struct stations_session **list = NULL;
	char *input = fuzz_string(data, size), *save = NULL;
	int r;

	if (!snap)
		snap = build();
	if (stations_selector_new(&sel) < 0)
		abort();
	for (char *line = strtok_r(input, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *v = line + 1;

		switch (line[0]) {
		case 'i':
			r = stations_selector_add_id(sel, v);
			/* an accepted id is one logind could have made, or "self" */
			fuzz_assert(r < 0 || streq(v, "self") || session_id_valid(v));
			if (r >= 0)
				fuzz_assert(strspn(v, "abcdefghijklmnopqrstuvwxyz"
						      "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == strlen(v));
			break;
		case 'u':
			stations_selector_add_filter(sel, STATIONS_FILTER_USER, v);
			break;
		case 's':
			r = stations_selector_add_filter(sel, STATIONS_FILTER_STATION, v);
			fuzz_assert(r < 0 || (station_id_valid(v) && !strchr(v, '/')));
			break;
		case 'c':
			stations_selector_add_filter(sel, STATIONS_FILTER_CLASS, v);
			break;
		case 't':
			stations_selector_add_filter(sel, STATIONS_FILTER_STATE, v);
			break;
		case 'f':
			stations_selector_set_flags(sel, (unsigned char)*v);
			break;
		case 'x':
			/* lookups by any string */
			stations_snapshot_find_session(snap, v);
			stations_snapshot_find_station(snap, v);
			break;
		default:
			break;
		}
	}
	r = stations_select(&ctx, snap, sel, &list);
	fuzz_assert(r < 0 || (size_t)r <= snap->n_sessions);
	for (int i = 0; i < r; i++)
		fuzz_assert(list[i] >= snap->sessions && list[i] < snap->sessions + snap->n_sessions);
	free(list);
	ctx_clear_error(&ctx);
	stations_selector_free(sel);
	free(input);
	return 0;
}
