/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "internal.h"

/*
 * Calls go out without waiting for each other, but never more than
 * PIPELINE_WINDOW at once: the bus daemon refuses a connection more pending
 * replies than its max_replies_per_connection (128 on the system bus), and
 * would answer the excess with LimitsExceeded.
 */
#define PIPELINE_WINDOW 64

int pipeline_add(struct pipeline *p, sd_bus_message *m, sd_bus_message_handler_t handler,
		 void *userdata, sd_bus_slot **slot)
{
	if (p->n == p->allocated) {
		size_t n = p->allocated ? p->allocated * 2 : 64;
		struct pipeline_entry *q = realloc(p->queue, n * sizeof(*q));

		if (!q)
			return -ENOMEM;
		p->queue = q;
		p->allocated = n;
	}
	p->queue[p->n++] = (struct pipeline_entry){
		.message = sd_bus_message_ref(m),
		.handler = handler,
		.userdata = userdata,
		.slot = slot,
	};
	return pipeline_pump(p);
}

int pipeline_pump(struct pipeline *p)
{
	while (p->inflight < PIPELINE_WINDOW && p->next < p->n) {
		struct pipeline_entry *e = &p->queue[p->next++];
		int r;

		if (p->drop && p->drop(e->userdata)) {
			e->message = sd_bus_message_unref(e->message);
			continue;
		}
		r = sd_bus_call_async(p->ctx->bus, e->slot, e->message, e->handler, e->userdata,
				      p->ctx->timeout_usec);
		e->message = sd_bus_message_unref(e->message);
		if (r < 0 && p->failed) {
			/* charged to its own caller, not to whoever made room for it */
			p->failed(e->userdata, r);
			continue;
		}
		if (r < 0)
			return r;
		p->inflight++;
	}
	return 0;
}

/* A reply arrived: make room for the next call. */
int pipeline_done(struct pipeline *p)
{
	p->inflight--;
	return pipeline_pump(p);
}

bool pipeline_idle(const struct pipeline *p)
{
	return p->inflight == 0 && p->next == p->n;
}

/* Forget what was not sent; the caller unrefs the slots of what was. */
void pipeline_clear(struct pipeline *p)
{
	for (size_t i = p->next; i < p->n; i++)
		sd_bus_message_unref(p->queue[i].message);
	free(p->queue);
	*p = (struct pipeline){ .ctx = p->ctx, .drop = p->drop, .failed = p->failed };
}
