/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * notify_sanitize(): the text of a warning, typed by an administrator or put
 * in a script, before it reaches users' terminals and desktops.  The first
 * byte picks one-line mode (titles).
 */
#include <errno.h>

#include "fuzz.h"
#include "internal.h"
#include "mpsession.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *out = NULL;
	bool one_line;
	int r;

	if (size < 1)
		return 0;
	one_line = data[0] & 1;
	s = fuzz_string(data + 1, size - 1);
	r = notify_sanitize(s, STATIONS_MESSAGE_MAX, one_line, &out);
	if (strlen(s) > STATIONS_MESSAGE_MAX)
		fuzz_assert(r == -EMSGSIZE);
	fuzz_assert(r == 0 || r == -EMSGSIZE || r == -EINVAL);
	fuzz_assert((r == 0) == (out != NULL));
	if (r == 0) {
		fuzz_assert(*out && *out != ' ' && *out != '\n');
		fuzz_assert(out[strlen(out) - 1] != ' ' && out[strlen(out) - 1] != '\n');
		for (const unsigned char *p = (const unsigned char *)out; *p;) {
			size_t n = utf8_char_len(p);

			/* well-formed, no C0 but newline (none in one line), no DEL or C1 */
			fuzz_assert(n > 0);
			fuzz_assert(n > 1 || *p >= 0x20 || (*p == '\n' && !one_line));
			fuzz_assert(*p != 0x7f);
			fuzz_assert(!(n == 2 && p[0] == 0xc2 && p[1] < 0xa0));
			/* no bidi embedding, override or isolate (E2 80 AA-AE, E2 81 A6-A9) */
			fuzz_assert(!(n == 3 && p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0xaa &&
				      p[2] <= 0xae));
			fuzz_assert(!(n == 3 && p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 &&
				      p[2] <= 0xa9));
			p += n;
		}
	}
	free(out);
	free(s);
	return 0;
}
