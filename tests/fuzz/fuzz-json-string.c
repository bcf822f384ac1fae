/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * json_string(): every string from logind in --json output.  The output must
 * be one JSON string with no raw control byte, and decode to the input with
 * each byte that is not UTF-8 turned into U+FFFD.
 */
#include "fuzz.h"
#include "mpsession.h"

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decode the JSON string at json into out; returns its length. */
static size_t decode(const char *json, size_t len, char *out)
{
	size_t o = 0;

	fuzz_assert(len >= 2 && json[0] == '"' && json[len - 1] == '"');
	for (size_t i = 1; i < len - 1; i++) {
		unsigned char c = (unsigned char)json[i];

		fuzz_assert(c >= 0x20 && c != 0x7f && c != '"');
		if (c != '\\') {
			out[o++] = (char)c;
			continue;
		}
		fuzz_assert(i + 1 < len - 1);
		switch (json[++i]) {
		case '"':
		case '\\':
			out[o++] = json[i];
			break;
		case 'n':
			out[o++] = '\n';
			break;
		case 't':
			out[o++] = '\t';
			break;
		case 'r':
			out[o++] = '\r';
			break;
		case 'u': {
			unsigned u = 0;

			fuzz_assert(i + 4 < len - 1);
			for (int k = 1; k <= 4; k++) {
				int h = hex(json[i + k]);

				fuzz_assert(h >= 0);
				u = u * 16 + (unsigned)h;
			}
			i += 4;
			if (u == 0xfffd) {
				memcpy(out + o, "\xef\xbf\xbd", 3);
				o += 3;
			} else {
				fuzz_assert(u < 0x20 || u == 0x7f);
				out[o++] = (char)u;
			}
			break;
		}
		default:
			fuzz_assert(!"unknown escape");
		}
	}
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size), *json = NULL, *got, *want;
	size_t json_len = 0, got_len, want_len = 0;
	FILE *f = open_memstream(&json, &json_len);

	if (!f)
		abort();
	json_string(f, s);
	fclose(f);

	/* what the decoded string must be: invalid bytes as U+FFFD */
	want = malloc(3 * size + 1);
	got = malloc(json_len + 1);
	if (!want || !got)
		abort();
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = utf8_char_len(p);

		if (n == 0) {
			memcpy(want + want_len, "\xef\xbf\xbd", 3);
			want_len += 3;
			p++;
		} else {
			memcpy(want + want_len, p, n);
			want_len += n;
			p += n;
		}
	}
	got_len = decode(json, json_len, got);
	fuzz_assert(got_len == want_len && memcmp(got, want, got_len) == 0);
	free(got);
	free(want);
	free(json);
	free(s);
	return 0;
}
