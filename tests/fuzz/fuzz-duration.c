/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* parse_duration(): --timeout and --grace values as typed. */
#include <errno.h>

#include "fuzz.h"
#include "mpsession.h"

#define WEEK_USEC (UINT64_C(7) * 24 * 3600 * USEC_PER_SEC)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	uint64_t usec = UINT64_MAX;
	int r = parse_duration(s, &usec);

	fuzz_assert(r == 0 || r == -EINVAL || r == -ERANGE);
	if (r == 0) {
		/* only digits and unit letters get through, and never past a week */
		fuzz_assert(usec <= WEEK_USEC);
		fuzz_assert(*s && strspn(s, "0123456789msecinhour") == strlen(s));
	} else {
		fuzz_assert(usec == UINT64_MAX);	/* untouched on failure */
	}
	free(s);
	return 0;
}
