/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <sys/signalfd.h>

#include "mpsession.h"

/*
 * SIGINT and SIGTERM are blocked and read from a signalfd, which the library
 * polls while it waits: an interruption ends a wait, never a call half-way.
 */
static int setup_signals(void)
{
	sigset_t mask;
	int fd;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return -1;
	fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	/* no reader for them: the signals must work as they always do */
	if (fd < 0)
		sigprocmask(SIG_UNBLOCK, &mask, NULL);
	return fd;
}

int main(int argc, const char **argv)
{
	struct run r = { .interrupt_fd = -1 };
	int e;

	setlocale(LC_ALL, "");
	r.interrupt_fd = setup_signals();

	e = run_command_line(&r, argc, argv);
	stations_ctx_free(r.ctx);
	if (fflush(stdout) != 0 && e >= 0)
		e = -EIO;
	/* the one place where results become exit statuses */
	return e < 0 ? exit_status_for_errno(e) : e;
}
