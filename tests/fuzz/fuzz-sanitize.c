/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sanitize_text(): strings from logind (user names, ttys, remote hosts) before
 * they reach a terminal.  The first byte is the length limit.
 */
#include "fuzz.h"
#include "mpsession.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t max_len;
	char *s, *out;

	if (size < 1)
		return 0;
	max_len = data[0];
	s = fuzz_string(data + 1, size - 1);
	out = sanitize_text(s, max_len);
	fuzz_assert(out);
	fuzz_assert(strlen(out) <= max_len);
	fuzz_assert(strlen(out) <= strlen(s));
	for (const unsigned char *p = (const unsigned char *)out; *p;) {
		size_t n = utf8_char_len(p);

		/* well-formed UTF-8 with no C0, DEL or C1 control: no escape sequence */
		fuzz_assert(n > 0);
		fuzz_assert(n > 1 || *p >= 0x20 || *p == '\n' || *p == '\t');
		fuzz_assert(*p != 0x7f);
		fuzz_assert(!(n == 2 && p[0] == 0xc2 && p[1] < 0xa0));
		p += n;
	}
	free(out);
	free(s);
	return 0;
}
