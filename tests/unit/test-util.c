/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Durations, exit statuses, "did you mean", and text sanitizing. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "mpsession.h"
#include "tap.h"

static void durations(void)
{
	static const struct {
		const char *s;
		int r;
		uint64_t usec;
	} cases[] = {
		{ "90", 0, 90 * USEC_PER_SEC },
		{ "90s", 0, 90 * USEC_PER_SEC },
		{ "5m", 0, 300 * USEC_PER_SEC },
		{ "5min", 0, 300 * USEC_PER_SEC },
		{ "1h30m", 0, 5400 * USEC_PER_SEC },
		{ "500ms", 0, 500000 },
		{ "1m30", 0, 90 * USEC_PER_SEC },
		{ "0", 0, 0 },
		{ "7d", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
		{ "s", -EINVAL, 0 },
		{ "-5", -EINVAL, 0 },
		{ "5 m", -EINVAL, 0 },
		{ "1.5s", -EINVAL, 0 },
		{ "30 ", -EINVAL, 0 },
		{ "5mm", -EINVAL, 0 },
		{ "10x", -EINVAL, 0 },
		{ "30s5", 0, 35 * USEC_PER_SEC },
		{ "168h", 0, 168 * 3600 * USEC_PER_SEC },
		{ "169h", -ERANGE, 0 },
		{ "99999999999999999999999", -ERANGE, 0 },
		{ "18446744073709551616s", -ERANGE, 0 },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		uint64_t u = 12345;
		int r = parse_duration(cases[i].s, &u);

		is_int(r, cases[i].r, "parse_duration(\"%s\") returns %d", cases[i].s, cases[i].r);
		if (cases[i].r == 0)
			is_int(u, cases[i].usec, "parse_duration(\"%s\") = %llu us", cases[i].s,
			       (unsigned long long)cases[i].usec);
		else
			is_int(u, 12345, "parse_duration(\"%s\") leaves the output alone", cases[i].s);
	}
	is_int(parse_duration(NULL, NULL), -EINVAL, "parse_duration(NULL) is -EINVAL");
}

static void exit_statuses(void)
{
	is_int(exit_status_for_errno(0), 0, "0 is success");
	is_int(exit_status_for_errno(-EINVAL), 2, "EINVAL is usage");
	is_int(exit_status_for_errno(-ENXIO), 3, "ENXIO is not found");
	is_int(exit_status_for_errno(-EACCES), 4, "EACCES is permission");
	is_int(exit_status_for_errno(-EHOSTDOWN), 5, "EHOSTDOWN is unavailable");
	is_int(exit_status_for_errno(-ECONNREFUSED), 5, "ECONNREFUSED is unavailable");
	is_int(exit_status_for_errno(-ETIMEDOUT), 5, "a call timeout is unavailable");
	is_int(exit_status_for_errno(-ETIME), 6, "ETIME is a wait timeout");
	is_int(exit_status_for_errno(-EOPNOTSUPP), 7, "EOPNOTSUPP is unsupported");
	is_int(exit_status_for_errno(-EINTR), 130, "EINTR is interrupted");
	is_int(exit_status_for_errno(-EIO), 1, "anything else is 1");

	{
		int all_ok[] = { 0, 0, 0 };
		int one_denied[] = { 0, -EACCES };
		int all_denied[] = { -EACCES, -EACCES };
		int mixed[] = { -EACCES, -ENXIO };
		int timeouts[] = { 0, -ETIME, -ETIME };
		int timeout_and_denied[] = { -ETIME, -EACCES };
		int interrupted[] = { 0, -EINTR, -EACCES };

		is_int(exit_status_for_results(all_ok, 3), 0, "all succeeded: 0");
		is_int(exit_status_for_results(NULL, 0), 0, "nothing to do: 0");
		is_int(exit_status_for_results(one_denied, 2), 1, "some failed: 1");
		is_int(exit_status_for_results(all_denied, 2), 4, "all denied: 4");
		is_int(exit_status_for_results(mixed, 2), 1, "all failed differently: 1");
		is_int(exit_status_for_results(timeouts, 3), 6, "waits ran out: 6");
		is_int(exit_status_for_results(timeout_and_denied, 2), 1, "timeout and denial: 1");
		is_int(exit_status_for_results(interrupted, 3), 130, "an interruption wins: 130");
	}
	is_str(result_word(-ETIME), "timeout", "ETIME reads 'timeout'");
	is_str(result_word(-EACCES), "permission-denied", "EACCES reads 'permission-denied'");
}

static void suggestions(void)
{
	is_int(edit_distance("lsit", "list"), 2, "lsit/list distance 2");
	is_int(edit_distance("end", "end"), 0, "equal strings distance 0");
	is_int(edit_distance("", "abc"), 3, "from empty: length");
	is_str(verb_suggest("lsit"), "list", "lsit suggests list");
	is_str(verb_suggest("disconect"), "disconnect", "disconect suggests disconnect");
	is_str(verb_suggest("susp"), "suspend", "a prefix suggests its verb");
	is_str(verb_suggest("frobnicate"), NULL, "nothing close: no suggestion");
	ok(verb_find("list") && !verb_find("lis"), "verb_find matches whole names only");
}

static void sanitizing(void)
{
	static const struct {
		const char *in;
		size_t max;
		const char *out;
	} cases[] = {
		{ "plain text", 100, "plain text" },
		{ "two\nlines\tand tab", 100, "two\nlines\tand tab" },
		{ "esc\033[2Jclear", 100, "esc?[2Jclear" },
		{ "bell\a and \r", 100, "bell? and ?" },
		{ "del\177", 100, "del?" },
		{ "c1 \xc2\x9b" "31m", 100, "c1 ?31m" },
		{ "caf\xc3\xa9", 100, "caf\xc3\xa9" },
		{ "bad \xff\xfe utf8", 100, "bad ?? utf8" },
		{ "overlong \xc0\xaf", 100, "overlong ??" },
		{ "surrogate \xed\xa0\x80", 100, "surrogate ???" },
		{ "rlo \xe2\x80\xae" "evil", 100, "rlo ?evil" },
		{ "isolate \xe2\x81\xa6" "x\xe2\x81\xa9", 100, "isolate ?x?" },
		{ "mark \xe2\x80\x8f" "x", 100, "mark ?x" },
		{ "dash \xe2\x80\x94 stays", 100, "dash \xe2\x80\x94 stays" },
		{ "truncated", 5, "trunc" },
		{ "caf\xc3\xa9", 4, "caf" },
		{ "", 10, "" },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		char *s = sanitize_text(cases[i].in, cases[i].max);

		is_str(s, cases[i].out, "sanitize_text case %zu", i);
		free(s);
	}
}

static void duration_words(void)
{
	static const struct {
		uint64_t usec;
		const char *want;
	} cases[] = {
		{ 0, "a moment" },
		{ 400000, "a moment" },
		{ USEC_PER_SEC, "1 second" },
		{ 45 * USEC_PER_SEC, "45 seconds" },
		{ 60 * USEC_PER_SEC, "1 minute" },
		{ 300 * USEC_PER_SEC, "5 minutes" },
		{ 90 * USEC_PER_SEC, "1 minute 30 seconds" },
		{ 5400 * USEC_PER_SEC, "1 hour 30 minutes" },
		{ 86400 * USEC_PER_SEC + 1, "1 day" },
		{ 7 * 86400 * USEC_PER_SEC, "7 days" },
	};
	char buf[64];

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		format_duration_words(cases[i].usec, buf, sizeof(buf));
		is_str(buf, cases[i].want, "%" PRIu64 " us in words", cases[i].usec);
	}
	format_duration_words(UINT64_C(3723) * USEC_PER_SEC, buf, 8);
	ok(strlen(buf) < 8, "a short buffer is never overrun ('%s')", buf);
}

int main(void)
{
	duration_words();
	durations();
	exit_statuses();
	suggestions();
	sanitizing();
	return done_testing();
}
