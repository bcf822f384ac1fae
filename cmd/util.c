/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "mpsession.h"

/* Longest duration anyone means: a week. */
#define DURATION_MAX_USEC (UINT64_C(7) * 24 * 3600 * USEC_PER_SEC)

static const struct {
	const char *suffix;
	uint64_t usec;
} units[] = {
	/* longest suffixes first, so that "ms" is not read as "m" */
	{ "msec", 1000 },
	{ "ms", 1000 },
	{ "sec", USEC_PER_SEC },
	{ "s", USEC_PER_SEC },
	{ "min", 60 * USEC_PER_SEC },
	{ "m", 60 * USEC_PER_SEC },
	{ "hour", 3600 * USEC_PER_SEC },
	{ "h", 3600 * USEC_PER_SEC },
};

/*
 * "90", "90s", "5m", "1h30m", "500ms": a sum of non-negative integers, each
 * with an optional unit (seconds when none).  Returns -EINVAL for anything
 * else, -ERANGE past a week.
 */
int parse_duration(const char *s, uint64_t *ret_usec)
{
	uint64_t total = 0;

	if (!s || !*s)
		return -EINVAL;
	while (*s) {
		uint64_t n = 0, unit = USEC_PER_SEC;
		const char *start = s;
		size_t i;

		for (; *s >= '0' && *s <= '9'; s++) {
			if (n > DURATION_MAX_USEC)
				return -ERANGE;
			n = n * 10 + (uint64_t)(*s - '0');
		}
		if (s == start)
			return -EINVAL;
		for (i = 0; i < ELEMENTSOF(units); i++) {
			size_t len = strlen(units[i].suffix);

			if (strncmp(s, units[i].suffix, len) == 0 &&
			    !(s[len] >= 'a' && s[len] <= 'z')) {
				unit = units[i].usec;
				s += len;
				break;
			}
		}
		/* a bare number is only allowed alone or last */
		if (i == ELEMENTSOF(units) && *s)
			return -EINVAL;
		if (n > DURATION_MAX_USEC / unit)
			return -ERANGE;
		total += n * unit;
		if (total > DURATION_MAX_USEC)
			return -ERANGE;
	}
	*ret_usec = total;
	return 0;
}

/* The one place where an errno becomes an exit status of mpsession(1). */
int exit_status_for_errno(int error)
{
	if (error < 0)
		error = -error;
	switch (error) {
	case 0:
		return STATIONS_EXIT_OK;
	case EINVAL:
		return STATIONS_EXIT_USAGE;
	case ENXIO:
		return STATIONS_EXIT_NOT_FOUND;
	case EACCES:
	case EPERM:
		return STATIONS_EXIT_PERMISSION;
	case EHOSTDOWN:
	case EHOSTUNREACH:
	case ECONNREFUSED:
	case ECONNRESET:
	case ENOTCONN:
	case ENOENT:
	case ETIMEDOUT:
		return STATIONS_EXIT_UNAVAILABLE;
	case ETIME:
		return STATIONS_EXIT_TIMEOUT;
	case EOPNOTSUPP:
		return STATIONS_EXIT_UNSUPPORTED;
	case EINTR:
		return STATIONS_EXIT_INTERRUPTED;
	default:
		return STATIONS_EXIT_PARTIAL;
	}
}

/*
 * Per-target results to one exit status: 0 when all succeeded; 130 if any
 * was interrupted; 6 when every failure is a wait that ran out; when all
 * targets failed the same way, that failure's status; otherwise 1.
 */
int exit_status_for_results(const int *results, size_t n)
{
	size_t failed = 0;
	int first = 0;
	bool same = true;

	for (size_t i = 0; i < n; i++) {
		int status;

		if (results[i] >= 0)
			continue;
		if (results[i] == -EINTR)
			return STATIONS_EXIT_INTERRUPTED;
		status = exit_status_for_errno(results[i]);
		if (failed == 0)
			first = status;
		else if (status != first)
			same = false;
		failed++;
	}
	if (failed == 0)
		return STATIONS_EXIT_OK;
	if (same && first == STATIONS_EXIT_TIMEOUT)
		return STATIONS_EXIT_TIMEOUT;
	if (same && failed == n)
		return first;
	return STATIONS_EXIT_PARTIAL;
}

/* The word a result gets in output, besides "ok". */
const char *result_word(int error)
{
	switch (-error) {
	case 0:
		return "ok";
	case ENXIO:
		return "not-found";
	case EACCES:
	case EPERM:
		return "permission-denied";
	case ETIME:
		return "timeout";
	case EOPNOTSUPP:
		return "unsupported";
	case EINTR:
		return "interrupted";
	case EHOSTDOWN:
	case EHOSTUNREACH:
	case ECONNREFUSED:
	case ECONNRESET:
	case ENOTCONN:
	case ENOENT:
	case ETIMEDOUT:
		return "unavailable";
	default:
		return "failed";
	}
}

/* Levenshtein distance, for "did you mean". */
size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *row, result;

	if (la > 64 || lb > 64)
		return (size_t)-1;
	row = malloc((lb + 1) * sizeof(size_t));
	if (!row)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], best;

			best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	result = row[lb];
	free(row);
	return result;
}

/*
 * Length of the well-formed UTF-8 character at @p, or 0 if the bytes there
 * are not one (overlong forms, surrogates and values past U+10FFFF included).
 */
size_t utf8_char_len(const unsigned char *p)
{
	unsigned c = p[0];
	size_t n;

	if (c < 0x80)
		return 1;
	if (c < 0xc2 || c > 0xf4)
		return 0;
	n = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	for (size_t k = 1; k < n; k++)
		if ((p[k] & 0xc0) != 0x80)
			return 0;
	if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] >= 0xa0) ||
	    (c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] >= 0x90))
		return 0;
	return n;
}

/*
 * A copy of @s safe to show on a terminal: control characters (C0, DEL, and
 * the C1 range when encoded as UTF-8) become '?', invalid UTF-8 bytes become
 * '?', and the result is cut to at most @max_len bytes on a character
 * boundary.  Escape sequences cannot pass, since ESC is a control character.
 */
char *sanitize_text(const char *s, size_t max_len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), o = 0;
	char *out;

	if (len > max_len)
		len = max_len;
	out = malloc(len + 1);
	if (!out)
		return NULL;
	while (*p && o < len) {
		unsigned c = *p;
		size_t n = utf8_char_len(p);
		bool valid = n > 0;

		/* C1 controls U+0080..U+009F are encoded as C2 80..C2 9F */
		if (n == 2 && c == 0xc2 && p[1] < 0xa0) {
			out[o++] = '?';
			p += 2;
			continue;
		}
		if (!valid) {
			out[o++] = '?';
			p++;
			continue;
		}
		/* marks and overrides that reorder what surrounds them: U+200E-F, 2028-202E, 2066-9 */
		if (n == 3 && c == 0xe2 &&
		    ((p[1] == 0x80 && (p[2] == 0x8e || p[2] == 0x8f || (p[2] >= 0xa8 && p[2] <= 0xae))) ||
		     (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9))) {
			out[o++] = '?';
			p += 3;
			continue;
		}
		if (n == 1) {
			out[o++] = (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f ? '?' : (char)c;
			p++;
			continue;
		}
		if (o + n > len)
			break;
		memcpy(out + o, p, n);
		o += n;
		p += n;
	}
	out[o] = '\0';
	return out;
}

/* Longest diagnostic, in bytes: a megabyte operand is quoted only this far. */
#define SAY_MAX 1024

/*
 * "mpsession: " and text, as one line on stderr made safe for the terminal:
 * a message may quote what was typed or what logind said, escape sequences,
 * newlines and all.
 */
static void say_line(char *text)
{
	char *safe = text ? sanitize_text(text, SAY_MAX) : NULL;

	if (!safe) {
		fputs("mpsession: out of memory\n", stderr);
		free(text);
		return;
	}
	for (char *c = safe; *c; c++)
		if (*c == '\n')
			*c = '?';
	fprintf(stderr, "mpsession: %s%s\n", safe, strlen(text) > SAY_MAX ? "..." : "");
	free(safe);
	free(text);
}

/* A diagnostic: "mpsession: VERB: OBJECT: reason", OBJECT optional. */
void say(const char *verb, const char *object, const char *fmt, ...)
{
	char *body = NULL, *text = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&body, fmt, ap);
	va_end(ap);
	if (n < 0)
		body = NULL;
	else if (asprintf(&text, "%s: %s%s%s", verb, object ? object : "", object ? ": " : "",
			  body) < 0)
		text = NULL;
	free(body);
	say_line(text);
}

/* A diagnostic about no verb in particular: "mpsession: text". */
void say_text(const char *fmt, ...)
{
	char *text = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	say_line(n < 0 ? NULL : text);
}

/* "5 minutes", "1 hour 30 minutes", "45 seconds": a duration for people, to the second. */
void format_duration_words(uint64_t usec, char *buf, size_t size)
{
	static const struct {
		uint64_t sec;
		const char *one, *many;
	} parts[] = {
		{ 86400, "day", "days" },
		{ 3600, "hour", "hours" },
		{ 60, "minute", "minutes" },
		{ 1, "second", "seconds" },
	};
	uint64_t left = (usec + USEC_PER_SEC / 2) / USEC_PER_SEC;
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ELEMENTSOF(parts) && o < size; i++) {
		uint64_t k = left / parts[i].sec;
		int w;

		if (k == 0)
			continue;
		left -= k * parts[i].sec;
		w = snprintf(buf + o, size - o, "%s%" PRIu64 " %s", o ? " " : "", k,
			     k == 1 ? parts[i].one : parts[i].many);
		if (w < 0)
			break;
		o += (size_t)w;
	}
	if (o == 0)
		snprintf(buf, size, "a moment");
}

/* Why a warning did not reach a session, in words (stations_batch_delivery()). */
const char *delivery_reason(int error)
{
	switch (-error) {
	case EOPNOTSUPP:
		return "the session has no terminal and no display";
	case ENOTTY:
		return "its terminal is not a terminal";
	case ENOENT:
	case ECONNREFUSED:
		return "the user has no session bus";
	case EHOSTDOWN:
		return "no notification server on the user's session bus";
	case ETIME:
		return "no answer in time";
	case EACCES:
		return "permission denied: warning another user's session needs root";
	case EPERM:
		return "could not switch to the user";
	case EINTR:
		return "interrupted";
	case ENODATA:
		return "the session started after the warning";
	case ENXIO:
		return "the session has ended";
	default:
		return strerror(-error);
	}
}

/* Read away what the signalfd holds, so that the next wait is not cut short at once. */
unsigned interrupt_drain(int fd)
{
	struct signalfd_siginfo si;
	unsigned got = 0;

	if (fd < 0)
		return 0;
	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		got |= si.ssi_signo == SIGTERM ? INTERRUPT_SIGTERM : INTERRUPT_SIGINT;
	return got;
}
