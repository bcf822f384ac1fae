/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The tool's command line: popt over the verb table, operands, selections and
 * durations, as run_command_line() takes them.  Input: the words, separated
 * by NUL bytes.  The system bus address points nowhere, so a line that is
 * valid fails at once on connecting instead of acting on this machine.
 */
#include <errno.h>

#include "fuzz.h"
#include "mpsession.h"

#define MAX_WORDS 256

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/mpsession-fuzz", 1);
	unsetenv("DBUS_SESSION_BUS_ADDRESS");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *argv[MAX_WORDS + 2];
	struct run r = { .interrupt_fd = -1 };
	char *buf = malloc(size + 1);
	int argc = 0, e;

	if (!buf)
		abort();
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[argc++] = "mpsession";
	for (size_t i = 0; i < size && argc <= MAX_WORDS; i += strlen(buf + i) + 1) {
		/* the shell reads standard input: not here */
		if (strcmp(buf + i, "shell") == 0)
			goto out;
		argv[argc++] = buf + i;
	}
	argv[argc] = NULL;
	e = run_command_line(&r, argc, argv);
	/* a status of mpsession(1), or an errno for main() to map */
	fuzz_assert(e >= -4095 && e <= 255);
	stations_ctx_free(r.ctx);
out:
	free(buf);
	return 0;
}
