/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <poll.h>
#include <stdio.h>
#include <syslog.h>
#include <time.h>

#include "internal.h"

uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * USEC_PER_SEC + (uint64_t)ts.tv_nsec / 1000;
}

_public_ int stations_ctx_new(const char *address, struct stations_ctx **ret_ctx)
{
	_cleanup_(sd_bus_unrefp) sd_bus *bus = NULL;
	struct stations_ctx *ctx;
	int r;

	if (!ret_ctx)
		return -EINVAL;

	if (address) {
		r = sd_bus_new(&bus);
		if (r < 0)
			return r;
		r = sd_bus_set_address(bus, address);
		if (r < 0)
			return r;
		r = sd_bus_set_bus_client(bus, true);
		if (r < 0)
			return r;
		r = sd_bus_start(bus);
	} else
		r = sd_bus_open_system(&bus);
	if (r < 0)
		return r;

	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->bus = TAKE_PTR(bus);
	ctx->timeout_usec = DEFAULT_TIMEOUT_USEC;
	ctx->interrupt_fd = -1;
	*ret_ctx = ctx;
	return 0;
}

_public_ struct stations_ctx *stations_ctx_free(struct stations_ctx *ctx)
{
	if (!ctx)
		return NULL;
	sd_bus_flush_close_unref(ctx->bus);
	ctx_clear_error(ctx);
	free(ctx);
	return NULL;
}

_public_ int stations_ctx_set_timeout(struct stations_ctx *ctx, uint64_t usec)
{
	if (!ctx)
		return -EINVAL;
	ctx->timeout_usec = usec ? usec : DEFAULT_TIMEOUT_USEC;
	return 0;
}

_public_ int stations_ctx_set_interactive(struct stations_ctx *ctx, bool interactive)
{
	if (!ctx)
		return -EINVAL;
	/* ctx_new_call() puts it on every call we make */
	ctx->interactive = interactive;
	return 0;
}

_public_ int stations_ctx_set_interrupt_fd(struct stations_ctx *ctx, int fd)
{
	if (!ctx || fd < -1)
		return -EINVAL;
	ctx->interrupt_fd = fd;
	return 0;
}

_public_ int stations_ctx_set_log_fn(struct stations_ctx *ctx,
				    void (*fn)(void *data, int priority, const char *msg),
				    void *data)
{
	if (!ctx)
		return -EINVAL;
	ctx->log_fn = fn;
	ctx->log_data = data;
	return 0;
}

_public_ const char *stations_ctx_error_name(const struct stations_ctx *ctx)
{
	return ctx ? ctx->error_name : NULL;
}

_public_ const char *stations_ctx_error_message(const struct stations_ctx *ctx)
{
	return ctx ? ctx->error_message : NULL;
}

_public_ const char *stations_ctx_error_object(const struct stations_ctx *ctx)
{
	return ctx ? ctx->error_object : NULL;
}

void ctx_log(struct stations_ctx *ctx, int priority, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (!ctx->log_fn)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	ctx->log_fn(ctx->log_data, priority, buf);
}

void ctx_clear_error(struct stations_ctx *ctx)
{
	free(ctx->error_name);
	free(ctx->error_message);
	free(ctx->error_object);
	ctx->error_name = ctx->error_message = ctx->error_object = NULL;
}

static char *strdup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* Record a failure on the context and hand back @r, for "return ctx_set_error(...)". */
int ctx_set_error(struct stations_ctx *ctx, int r, const char *name, const char *message,
		  const char *object)
{
	ctx_clear_error(ctx);
	ctx->error_name = strdup_or_null(name);
	ctx->error_message = strdup_or_null(message);
	ctx->error_object = strdup_or_null(object);
	ctx_log(ctx, LOG_DEBUG, "%s%s%s: %s", strempty(object), object ? ": " : "",
		strempty(name), message ? message : strerror(-r));
	return r;
}

/* Record a D-Bus error whose errno @r the caller has worked out (errno_from_reply()). */
int ctx_bus_error(struct stations_ctx *ctx, const sd_bus_error *error, int r, const char *object)
{
	if (error && sd_bus_error_is_set(error))
		return ctx_set_error(ctx, r, error->name, error->message, object);
	return ctx_set_error(ctx, r, NULL, NULL, object);
}

int ctx_new_call(struct stations_ctx *ctx, sd_bus_message **ret, const char *service,
		 const char *path, const char *interface, const char *member)
{
	int r;

	r = sd_bus_message_new_method_call(ctx->bus, ret, service, path, interface, member);
	if (r < 0)
		return r;
	return sd_bus_message_set_allow_interactive_authorization(*ret, ctx->interactive);
}

/*
 * Dispatch bus messages until done() says so, the monotonic @deadline passes
 * (-ETIME), or the interrupt fd becomes readable (-EINTR).  Call timeouts are
 * sd-bus's own: a pending call that times out gets an error reply.
 */
int ctx_run(struct stations_ctx *ctx, bool (*done)(void *data), void *data, uint64_t deadline)
{
	for (;;) {
		struct pollfd p[2];
		uint64_t until, now;
		int r, timeout_ms, n = 1;

		for (;;) {
			if (done(data))
				return 0;
			r = sd_bus_process(ctx->bus, NULL);
			if (r < 0)
				return r;
			if (r == 0)
				break;
		}
		if (done(data))
			return 0;

		now = now_usec();
		if (now >= deadline)
			return -ETIME;

		r = sd_bus_get_timeout(ctx->bus, &until);
		if (r < 0)
			return r;
		if (deadline < until)
			until = deadline;
		if (until == USEC_INFINITY)
			timeout_ms = -1;
		else if (until <= now)
			timeout_ms = 0;
		else
			timeout_ms = (int)((until - now + USEC_PER_MSEC - 1) / USEC_PER_MSEC);

		p[0].fd = sd_bus_get_fd(ctx->bus);
		if (p[0].fd < 0)
			return p[0].fd;
		r = sd_bus_get_events(ctx->bus);
		if (r < 0)
			return r;
		p[0].events = (short)r;
		p[0].revents = 0;
		if (ctx->interrupt_fd >= 0) {
			p[1].fd = ctx->interrupt_fd;
			p[1].events = POLLIN;
			p[1].revents = 0;
			n = 2;
		}

		r = poll(p, (nfds_t)n, timeout_ms);
		if (r < 0 && errno != EINTR)
			return -errno;
		if (n == 2 && (p[1].revents & POLLIN))
			return -EINTR;
	}
}
