/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What a warning's text may carry to a user's terminal or desktop. */
#include <errno.h>
#include <stdlib.h>

#include "internal.h"
#include "tap.h"

static void check(const char *in, bool one_line, const char *want, const char *what)
{
	char *out = NULL;
	int r = notify_sanitize(in, STATIONS_MESSAGE_MAX, one_line, &out);

	is_int(r, 0, "%s: accepted", what);
	is_str(out, want, "%s", what);
	free(out);
}

static void rejected(const char *in, size_t max, int want, const char *what)
{
	char *out = NULL;

	is_int(notify_sanitize(in, max, false, &out), want, "%s", what);
	ok(out == NULL, "%s: nothing handed out", what);
}

int main(void)
{
	char big[STATIONS_MESSAGE_MAX + 2];

	check("Save your work.", false, "Save your work.", "plain text passes");
	check("line one\nline two", false, "line one\nline two", "newlines stay in a text");
	check("line one\nline two", true, "line one line two", "newlines become spaces in a title");
	check("a\tb", false, "a b", "a tab becomes a space");
	check("\x1b[31mred\x1b[0m", false, "red", "SGR colour sequences are dropped whole");
	check("x\x1b[2J\x1b[Hy", false, "xy", "clear-screen and cursor moves are dropped");
	check("a\x1b]0;pwned\x07" "b", false, "ab", "an OSC title sequence ended by BEL is dropped");
	check("a\x1b]52;c;ZXZpbA==\x1b\\b", false, "ab", "an OSC clipboard write ended by ST is dropped");
	check("a\x1bPqdata\x1b\\b", false, "ab", "a DCS string is dropped");
	check("a\x1b" "cb", false, "ab", "a two-byte escape (RIS) is dropped");
	check("a\x1b", false, "a", "a lone ESC at the end is dropped");
	check("a\x1b[", false, "a", "a cut-off CSI is dropped");
	check("bell\x07 back\x08 cr\r del\x7f nul", false, "bell back cr del nul",
	      "C0 controls and DEL are dropped");
	check("a\xc2\x9b" "31mb", false, "a31mb", "a C1 CSI (U+009B) is dropped");
	check("a\xc2\x85" "b", false, "ab", "C1 NEL is dropped");
	check("user \xe2\x80\xae" "evil\xe2\x80\xac" " name", false, "user evil name",
	      "bidi overrides are dropped");
	check("a\xe2\x81\xa6" "b\xe2\x81\xa9", false, "ab", "bidi isolates are dropped");
	check("a\xe2\x80\xa8" "b", false, "ab", "the line separator is dropped");
	check("Grüße, 日本語, 🙂", false, "Grüße, 日本語, 🙂", "valid UTF-8 passes");
	check("a\xff" "b", false, "a\xef\xbf\xbd" "b", "an invalid byte becomes U+FFFD");
	check("a\xc0\xaf" "b", false, "a\xef\xbf\xbd\xef\xbf\xbd" "b", "an overlong form is invalid");
	check("a\xed\xa0\x80" "b", false, "a\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "b",
	      "a UTF-16 surrogate is invalid");
	check("\n\n  hello  \n\n", false, "hello", "white space around the text is dropped");
	check("a\x1b(Bb", false, "ab", "a charset designation (ESC ( B) is dropped whole");
	check("a\x1b[1 qb", false, "ab", "a CSI with an intermediate byte is dropped whole");
	check("a\x1b]0;t\xc2\x9c" "b", false, "ab", "an OSC ended by a C1 ST is dropped");
	check("a\xe6\x97", false, "a\xef\xbf\xbd\xef\xbf\xbd", "a sequence cut off at the end is invalid");
	check("a\xf4\x90\x80\x80" "b", false,
	      "a\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "b",
	      "beyond U+10FFFF is invalid");

	rejected("", STATIONS_MESSAGE_MAX, -EINVAL, "an empty text is refused");
	rejected("\x1b[31m\x01 \n", STATIONS_MESSAGE_MAX, -EINVAL,
		 "a text of nothing visible is refused");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	rejected(big, STATIONS_MESSAGE_MAX, -EMSGSIZE, "a text past the limit is refused");
	big[STATIONS_MESSAGE_MAX] = '\0';
	check(big, false, big, "a text of exactly the limit passes");
	return done_testing();
}
