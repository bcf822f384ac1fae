/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The shell's word splitter: quotes, backslashes, comments, and no expansion. */
#include <errno.h>
#include <stdlib.h>

#include "mpsession.h"
#include "tap.h"

/* The words joined with '|' (none: ""), for one comparison per case. */
static char *joined(char **words, size_t n)
{
	size_t len = 1;
	char *s, *p;

	for (size_t i = 0; i < n; i++)
		len += strlen(words[i]) + 1;
	s = calloc(len, 1);
	if (!s)
		abort();
	p = s;
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%s%s", i ? "|" : "", words[i]);
	return s;
}

static void splits(void)
{
	static const struct {
		const char *line;
		int r;
		const char *words;	/* joined with '|' */
		size_t n;
	} cases[] = {
		{ "", 0, "", 0 },
		{ "   \t ", 0, "", 0 },
		{ "list", 0, "list", 1 },
		{ "  end  --all\t--wait  ", 0, "end|--all|--wait", 3 },
		{ "end 'c 1'", 0, "end|c 1", 2 },
		{ "end \"c 1\"", 0, "end|c 1", 2 },
		{ "end c\\ 1", 0, "end|c 1", 2 },
		{ "a'b'\"c\"d", 0, "abcd", 1 },
		{ "''", 0, "", 1 },				/* one empty word */
		{ "end '' x", 0, "end||x", 3 },
		{ "'a\\b'", 0, "a\\b", 1 },			/* no escapes in '' */
		{ "\"a\\\"b\"", 0, "a\"b", 1 },			/* \" in "" */
		{ "\"a\\\\b\"", 0, "a\\b", 1 },			/* \\ in "" */
		{ "\"a\\$b\\`\"", 0, "a$b`", 1 },		/* \$ and \` in "" */
		{ "\"a\\nb\"", 0, "a\\nb", 1 },			/* other \ kept in "" */
		{ "a\\nb", 0, "anb", 1 },			/* \ keeps any char outside */
		{ "\\'x", 0, "'x", 1 },
		{ "\"it's\"", 0, "it's", 1 },
		{ "'say \"hi\"'", 0, "say \"hi\"", 1 },
		{ "$HOME `id` $(id) * ~ ?", 0, "$HOME|`id`|$(id)|*|~|?", 6 },
		{ "# all comment", 0, "", 0 },
		{ "list # end --all", 0, "list", 1 },
		{ "list #", 0, "list", 1 },
		{ "a#b", 0, "a#b", 1 },				/* # inside a word */
		{ "'#' \"#\" \\#", 0, "#|#|#", 3 },
		{ "list # 'unterminated", 0, "list", 1 },	/* quotes in comments */
		{ "end 'c1", -EINVAL, NULL, 0 },
		{ "end \"c1", -EINVAL, NULL, 0 },
		{ "end c1\\", -EINVAL, NULL, 0 },
		{ "'", -EINVAL, NULL, 0 },
		{ "\"\\\"", -EINVAL, NULL, 0 },			/* "\" is still open */
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		char **words = (char **)&words;	/* not NULL: must be left alone on failure */
		size_t n = 4711;
		int r = shell_split(cases[i].line, &words, &n);

		is_int(r, cases[i].r, "shell_split(\"%s\") returns %d", cases[i].line, cases[i].r);
		if (r < 0) {
			ok(words == (char **)&words && n == 4711,
			   "shell_split(\"%s\"): outputs untouched on failure", cases[i].line);
			continue;
		}
		if (cases[i].r < 0) {
			shell_words_free(words);
			continue;
		}
		char *got = joined(words, n);

		is_int(n, cases[i].n, "shell_split(\"%s\"): %zu words", cases[i].line, cases[i].n);
		is_str(got, cases[i].words, "shell_split(\"%s\"): the words", cases[i].line);
		ok(words[n] == NULL, "shell_split(\"%s\"): NULL-terminated", cases[i].line);
		free(got);
		shell_words_free(words);
	}
}

static void bad_arguments(void)
{
	char **words;
	size_t n;

	is_int(shell_split(NULL, &words, &n), -EINVAL, "shell_split(NULL) is -EINVAL");
	is_int(shell_split("x", NULL, &n), -EINVAL, "no ret_words: -EINVAL");
	is_int(shell_split("x", &words, NULL), -EINVAL, "no ret_n: -EINVAL");
	ok(shell_words_free(NULL) == NULL, "shell_words_free(NULL) returns NULL");
}

/* A long line: words are not limited by any buffer size. */
static void long_line(void)
{
	size_t len = 100000;
	char *line = malloc(len + 3), **words;
	size_t n;

	if (!line)
		abort();
	memset(line, 'x', len);
	memcpy(line + len, " y", 3);
	is_int(shell_split(line, &words, &n), 0, "a 100000-byte word splits");
	is_int(n, 2, "...into it and the next");
	is_int(strlen(words[0]), len, "...whole");
	shell_words_free(words);
	free(line);
}

int main(void)
{
	splits();
	bad_arguments();
	long_line();
	return done_testing();
}
