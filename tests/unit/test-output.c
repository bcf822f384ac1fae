/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Golden output of the table module, as text and as JSON. */
#include <stdlib.h>

#include "mpsession.h"
#include "tap.h"

static const struct column columns[] = {
	{ "SESSION", "session", 0 },
	{ "USER", "user", 0 },
	{ "LOCKED", "locked", 0 },
	{ "UID", "uid", 0 },
	{ "SCOPE", "scope", COLUMN_JSON_ONLY },
};

static struct table *sample(void)
{
	struct table *t = table_new("sessions", NULL, columns, ELEMENTSOF(columns));

	table_add_string(t, "c1");
	table_add_string(t, "alice");
	table_add_bool(t, true);
	table_add_uint(t, 1001);
	table_add_string(t, "session-c1.scope");

	table_add_string(t, "c22");
	table_add_string(t, "\033[31mevil\"\\\n\xff");
	table_add_bool(t, false);
	table_add_uint(t, 0);
	table_add_null(t);

	table_add_string(t, "c3");
	table_add_string(t, "");
	table_add_null(t);
	table_add_uint(t, 4294967294u);
	table_add_string(t, "caf\xc3\xa9");
	return t;
}

static char *render(struct table **tables, size_t n, unsigned flags)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	tables_print(f, tables, n, flags);
	fclose(f);
	return buf;
}

int main(void)
{
	struct table *t = sample(), *empty;
	char *s;

	is_int(table_rows(t), 3, "three rows");

	s = render(&t, 1, 0);
	is_str(s,
	       "SESSION USER          LOCKED UID\n"
	       "c1      alice         yes    1001\n"
	       "c22     ?[31mevil\"\\ ? no     0\n"
	       "c3      -             -      4294967294\n",
	       "text: aligned, escapes and controls made harmless, empty as '-', JSON-only hidden");
	free(s);

	s = render(&t, 1, OUTPUT_NO_LEGEND);
	is_str(s,
	       "c1  alice         yes 1001\n"
	       "c22 ?[31mevil\"\\ ? no  0\n"
	       "c3  -             -   4294967294\n",
	       "text without legend: widths from the data alone");
	free(s);

	s = render(&t, 1, OUTPUT_JSON);
	is_str(s,
	       "{\"sessions\":["
	       "{\"session\":\"c1\",\"user\":\"alice\",\"locked\":true,\"uid\":1001,"
	       "\"scope\":\"session-c1.scope\"},"
	       "{\"session\":\"c22\",\"user\":\"\\u001b[31mevil\\\"\\\\\\n\\ufffd\",\"locked\":false,"
	       "\"uid\":0,\"scope\":null},"
	       "{\"session\":\"c3\",\"user\":\"\",\"locked\":null,\"uid\":4294967294,"
	       "\"scope\":\"caf\xc3\xa9\"}]}\n",
	       "JSON: every column, proper escapes, invalid UTF-8 as U+FFFD");
	free(s);

	empty = table_new("results", NULL, columns, ELEMENTSOF(columns));
	{
		struct table *both[] = { empty, t };

		s = render(both, 2, OUTPUT_JSON);
		ok(s && strncmp(s, "{\"results\":[],\"sessions\":[{", 27) == 0,
		   "JSON: several tables in one object, an empty one as []");
		free(s);
		s = render(both, 2, 0);
		ok(s && strncmp(s, "SESSION USER", 12) == 0, "text: an empty table prints nothing");
		free(s);
	}
	table_free(empty);
	table_free(t);
	ok(table_free(NULL) == NULL, "table_free(NULL)");
	return done_testing();
}
