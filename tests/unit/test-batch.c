/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Building a batch from a large snapshot made by hand: targets are kept once
 * however often they are added (the index by id grows as the batch does), and
 * each target's greeter is found on its own station only.  No bus: a release
 * builds its calls, which fail without a connection, before any goes out.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"
#include "tap.h"

#define N_STATIONS 10
#define N_SESSIONS 3000

/*
 * Station seatK gets sessions cK-0, cK-1, ...; seats 0-4 have a greeter
 * (g0-g4), seat5 only a closing one, seats 6-9 none.
 */
static struct stations_snapshot *build(void)
{
	struct stations_snapshot *snap;
	size_t n = 0;

	if (snapshot_alloc(N_SESSIONS + 6, N_STATIONS, &snap) < 0)
		abort();
	for (size_t i = 0; i < N_SESSIONS + 6; i++) {
		struct stations_session *s = &snap->sessions[n++];
		char id[32], seat[16];
		bool greeter = i >= N_SESSIONS;
		size_t k = greeter ? i - N_SESSIONS : i % N_STATIONS;

		snprintf(id, sizeof(id), greeter ? "g%zu" : "c%zu-%zu", k, i / N_STATIONS);
		snprintf(seat, sizeof(seat), "seat%zu", k);
		s->id = strdup(id);
		s->path = strdup(id);
		s->station = strdup(seat);
		s->class = strdup(greeter ? "greeter" : "user");
		s->state = strdup(greeter && k == 5 ? "closing" : "active");
		s->active = !greeter;
	}
	for (size_t k = 0; k < N_STATIONS; k++) {
		char seat[16];

		snprintf(seat, sizeof(seat), "seat%zu", k);
		snap->stations[k].id = strdup(seat);
	}
	snapshot_finish(snap);
	return snap;
}

int main(void)
{
	struct stations_ctx ctx = { .interrupt_fd = -1 };
	struct stations_snapshot *snap = build();
	struct stations_batch *batch;
	size_t n = stations_snapshot_n_sessions(snap), wrong = 0;

	is_int(n, N_SESSIONS + 6, "the snapshot holds every session");
	is_int(stations_batch_new(&ctx, &batch), 0, "batch_new");
	for (int round = 0; round < 2; round++)
		for (size_t i = 0; i < n; i++)
			if (stations_batch_add(batch, stations_snapshot_session(snap, i)) < 0)
				wrong++;
	is_int(wrong, 0, "every add succeeds");
	is_int(stations_batch_size(batch), n, "each session is a target once, added twice");
	is_str(stations_batch_id(batch, 0), stations_session_id(stations_snapshot_session(snap, 0)),
	       "targets keep the order they were added in");

	/* Without a bus every call fails as it is built; what is decided before remains. */
	stations_batch_release(batch);
	wrong = 0;
	for (size_t i = 0; i < stations_batch_size(batch); i++) {
		const char *id = stations_batch_id(batch, i);
		int r = stations_batch_result(batch, i);
		int k = id[1] - '0';

		if (id[0] == 'g')	/* inactive: nothing to release */
			wrong += r != 0;
		else if (k < 5)		/* a greeter on the station: a call is built */
			wrong += r == 0 || r == -EOPNOTSUPP;
		else			/* none, or only a closing one */
			wrong += r != -EOPNOTSUPP;
	}
	is_int(wrong, 0, "release finds the greeter of each target's own station, not a closing one");

	stations_batch_free(batch);
	stations_snapshot_free(snap);
	ctx_clear_error(&ctx);
	return done_testing();
}
