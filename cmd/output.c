/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mpsession.h"

/*
 * A table is a list of typed cells, row after row.  The same rows print as
 * an aligned text table (strings made safe for a terminal) or as a JSON
 * array of objects keyed by the columns' snake_case names.
 */

struct cell {
	enum cell_type type;
	char *s;
	uint64_t u;
};

struct table {
	const char *key;
	const char *title;
	const struct column *columns;
	size_t n_columns;
	struct cell *cells;
	size_t n_cells;
	size_t allocated;
};

struct table *table_new(const char *key, const char *title, const struct column *columns,
			size_t n_columns)
{
	struct table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->key = key;
	t->title = title;
	t->columns = columns;
	t->n_columns = n_columns;
	return t;
}

struct table *table_free(struct table *t)
{
	if (!t)
		return NULL;
	for (size_t i = 0; i < t->n_cells; i++)
		free(t->cells[i].s);
	free(t->cells);
	free(t);
	return NULL;
}

static int table_add(struct table *t, enum cell_type type, const char *s, uint64_t u)
{
	struct cell *c;

	if (t->n_cells == t->allocated) {
		size_t n = t->allocated ? t->allocated * 2 : 64;
		struct cell *nc = realloc(t->cells, n * sizeof(*nc));

		if (!nc)
			return -ENOMEM;
		t->cells = nc;
		t->allocated = n;
	}
	c = &t->cells[t->n_cells];
	*c = (struct cell){ .type = type, .u = u };
	if (s) {
		c->s = strdup(s);
		if (!c->s)
			return -ENOMEM;
	}
	t->n_cells++;
	return 0;
}

int table_add_string(struct table *t, const char *s)
{
	return s ? table_add(t, CELL_STRING, s, 0) : table_add(t, CELL_NULL, NULL, 0);
}

int table_add_bool(struct table *t, bool b)
{
	return table_add(t, CELL_BOOL, NULL, b);
}

int table_add_uint(struct table *t, uint64_t u)
{
	return table_add(t, CELL_UINT, NULL, u);
}

int table_add_time(struct table *t, uint64_t usec)
{
	return table_add(t, CELL_TIME, NULL, usec);
}

int table_add_null(struct table *t)
{
	return table_add(t, CELL_NULL, NULL, 0);
}

size_t table_rows(const struct table *t)
{
	return t->n_columns ? t->n_cells / t->n_columns : 0;
}

/* ---- JSON ---- */

/* A JSON string: escapes as RFC 8259 wants, invalid UTF-8 as U+FFFD. */
void json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	while (*p) {
		size_t n = utf8_char_len(p);

		if (n == 0) {
			fputs("\\ufffd", f);
			p++;
			continue;
		}
		if (n > 1) {
			fwrite(p, 1, n, f);
			p += n;
			continue;
		}
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
		p++;
	}
	fputc('"', f);
}

static void json_cell(FILE *f, const struct cell *c)
{
	switch (c->type) {
	case CELL_STRING:
		json_string(f, c->s);
		break;
	case CELL_BOOL:
		fputs(c->u ? "true" : "false", f);
		break;
	case CELL_UINT:
	case CELL_TIME:
		fprintf(f, "%llu", (unsigned long long)c->u);
		break;
	case CELL_NULL:
		fputs("null", f);
		break;
	}
}

static void table_json(FILE *f, const struct table *t)
{
	size_t rows = table_rows(t);

	fputc('[', f);
	for (size_t r = 0; r < rows; r++) {
		fputs(r ? ",{" : "{", f);
		for (size_t c = 0; c < t->n_columns; c++) {
			if (c)
				fputc(',', f);
			json_string(f, t->columns[c].key);
			fputc(':', f);
			json_cell(f, &t->cells[r * t->n_columns + c]);
		}
		fputc('}', f);
	}
	fputc(']', f);
}

/* ---- text ---- */

/* A cell's text, one line, safe for a terminal. */
static char *cell_text(const struct cell *c)
{
	char buf[64];

	switch (c->type) {
	case CELL_STRING: {
		char *s = sanitize_text(c->s, 256);

		if (!s)
			return NULL;
		for (char *p = s; *p; p++)
			if (*p == '\n' || *p == '\t')
				*p = ' ';
		if (!*s) {
			free(s);
			return strdup("-");
		}
		return s;
	}
	case CELL_BOOL:
		return strdup(c->u ? "yes" : "no");
	case CELL_UINT:
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)c->u);
		return strdup(buf);
	case CELL_TIME: {
		time_t sec = (time_t)(c->u / USEC_PER_SEC);
		struct tm tm;

		if (c->u == 0 || !localtime_r(&sec, &tm))
			return strdup("-");
		strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
		return strdup(buf);
	}
	case CELL_NULL:
	default:
		return strdup("-");
	}
}

/* Display width: UTF-8 continuation bytes take no column. */
static size_t text_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static int table_text(FILE *f, const struct table *t, bool legend)
{
	size_t rows = table_rows(t), *width;
	char **text;
	int r = 0;

	width = calloc(t->n_columns, sizeof(size_t));
	text = calloc(t->n_cells + 1, sizeof(char *));
	if (!width || !text) {
		free(width);
		free(text);
		return -ENOMEM;
	}
	for (size_t c = 0; c < t->n_columns; c++)
		width[c] = legend ? strlen(t->columns[c].header) : 0;
	for (size_t i = 0; i < t->n_cells; i++) {
		size_t w;

		text[i] = cell_text(&t->cells[i]);
		if (!text[i]) {
			r = -ENOMEM;
			goto out;
		}
		w = text_width(text[i]);
		if (w > width[i % t->n_columns])
			width[i % t->n_columns] = w;
	}

	for (size_t row = legend ? 0 : 1; row <= rows; row++) {
		const char *sep = "";
		size_t last = 0;

		for (size_t c = 0; c < t->n_columns; c++)
			if (!(t->columns[c].flags & COLUMN_JSON_ONLY))
				last = c;
		for (size_t c = 0; c < t->n_columns; c++) {
			const char *s;

			if (t->columns[c].flags & COLUMN_JSON_ONLY)
				continue;
			s = row == 0 ? t->columns[c].header : text[(row - 1) * t->n_columns + c];
			/* no trailing blanks after the last column */
			if (c == last)
				fprintf(f, "%s%s", sep, s);
			else
				fprintf(f, "%s%s%*s", sep, s, (int)(width[c] - text_width(s)), "");
			sep = " ";
		}
		fputc('\n', f);
	}
out:
	for (size_t i = 0; i < t->n_cells; i++)
		free(text[i]);
	free(text);
	free(width);
	return r;
}

/*
 * Several tables: as JSON one object with a key for each table; as text one
 * table after another, with a title line before each when there are several
 * and the legend is on.
 */
int tables_print(FILE *f, struct table *const *tables, size_t n, unsigned flags)
{
	bool legend = !(flags & OUTPUT_NO_LEGEND);

	if (flags & OUTPUT_JSON) {
		fputc('{', f);
		for (size_t i = 0; i < n; i++) {
			if (i)
				fputc(',', f);
			json_string(f, tables[i]->key);
			fputc(':', f);
			table_json(f, tables[i]);
		}
		fputs("}\n", f);
		return 0;
	}
	for (size_t i = 0, printed = 0; i < n; i++) {
		int r;

		if (table_rows(tables[i]) == 0)
			continue;
		if (legend && printed++ > 0)
			fputc('\n', f);
		if (legend && tables[i]->title)
			fprintf(f, "%s\n", tables[i]->title);
		r = table_text(f, tables[i], legend);
		if (r < 0)
			return r;
	}
	return 0;
}
