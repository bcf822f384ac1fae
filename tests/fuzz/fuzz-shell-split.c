/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * shell_split(): each line the interactive shell reads.  What it splits must
 * split the same way again once every word is put in single quotes.
 */
#include <errno.h>

#include "fuzz.h"
#include "mpsession.h"

/* The words again as one line, each in single quotes ('\'' for a quote). */
static char *quote_words(char **words, size_t n)
{
	size_t len = 1;
	char *line, *o;

	for (size_t i = 0; i < n; i++)
		len += 4 * strlen(words[i]) + 3;
	line = o = malloc(len);
	if (!line)
		abort();
	for (size_t i = 0; i < n; i++) {
		*o++ = '\'';
		for (const char *c = words[i]; *c; c++) {
			if (*c == '\'') {
				memcpy(o, "'\\''", 4);
				o += 4;
			} else {
				*o++ = *c;
			}
		}
		*o++ = '\'';
		*o++ = ' ';
	}
	*o = '\0';
	return line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = fuzz_string(data, size), *again;
	char **words = NULL, **words2 = NULL;
	size_t n = 0, n2 = 0;
	int r;

	r = shell_split(line, &words, &n);
	fuzz_assert(r == 0 || r == -EINVAL);
	if (r < 0) {
		free(line);
		return 0;
	}
	fuzz_assert(words && !words[n]);
	again = quote_words(words, n);
	r = shell_split(again, &words2, &n2);
	fuzz_assert(r == 0);
	fuzz_assert(n2 == n);
	for (size_t i = 0; i < n; i++)
		fuzz_assert(strcmp(words[i], words2[i]) == 0);
	shell_words_free(words2);
	shell_words_free(words);
	free(again);
	free(line);
	return 0;
}
