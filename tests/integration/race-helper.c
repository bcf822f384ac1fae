/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Takes a snapshot and selects the sessions named on the command line, says
 * "ready", and acts only after a line arrives on stdin: the test ends a
 * target in between, to check that a session gone after selection counts as
 * done.  Uses only the public header, like any client.
 * Prints "ID RESULT GONE" per target; exits with the number of failures.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stations.h"

int main(int argc, char **argv)
{
	struct stations_ctx *ctx = NULL;
	struct stations_snapshot *snap = NULL;
	struct stations_batch *b = NULL;
	char line[16];
	int r;

	if (argc < 3 || (strcmp(argv[1], "end") != 0 && strcmp(argv[1], "lock") != 0)) {
		fprintf(stderr, "usage: race-helper end|lock SESSION...\n");
		return 2;
	}
	r = stations_ctx_new(NULL, &ctx);
	if (r >= 0)
		r = stations_snapshot_new(ctx, &snap);
	if (r >= 0)
		r = stations_batch_new(ctx, &b);
	for (int i = 2; r >= 0 && i < argc; i++) {
		const struct stations_session *s = stations_snapshot_find_session(snap, argv[i]);

		r = s ? stations_batch_add(b, s) : -ENXIO;
	}
	if (r < 0) {
		fprintf(stderr, "race-helper: %s\n", strerror(-r));
		return 2;
	}
	printf("ready\n");
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return 2;

	if (strcmp(argv[1], "end") == 0)
		r = stations_batch_terminate(b, 10000000, 0);
	else
		r = stations_batch_lock(b, 0);
	for (size_t i = 0; i < stations_batch_size(b); i++)
		printf("%s %d %s\n", stations_batch_id(b, i), stations_batch_result(b, i),
		       stations_batch_gone(b, i) ? "gone" : "-");
	stations_batch_free(b);
	stations_snapshot_free(snap);
	stations_ctx_free(ctx);
	return r < 0 ? 2 : r;
}
