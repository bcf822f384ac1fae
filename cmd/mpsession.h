/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef MPSESSION_H
#define MPSESSION_H

#include <popt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "stations.h"

#define USEC_PER_SEC UINT64_C(1000000)
#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))

/* Options that hold for every verb. */
struct options {
	int json;
	int no_legend;
	int quiet;
	int no_ask_password;
	char *timeout;		/* as given, for messages */
	uint64_t timeout_usec;	/* parsed; 0 = default */
};

/* What a verb runs with. */
struct run {
	const struct verb *verb;
	struct options *opt;
	const struct options *defaults;	/* each command line starts from these, or zeros */
	struct stations_ctx *ctx;	/* connected lazily by need_ctx() */
	int interrupt_fd;
};

enum verb_flags {
	VERB_DEFAULT = 1u << 0,		/* runs when no verb is given */
	VERB_TARGETS = 1u << 1,		/* takes a session selection */
	VERB_ONLINE = 1u << 2,		/* talks to logind */
};

struct verb {
	const char *name;
	unsigned min_args;
	unsigned max_args;		/* UINT_MAX: any number */
	unsigned flags;
	const struct poptOption *options;	/* the verb's own, or NULL */
	const char *operands;		/* for usage and completion: SESSION, TARGET..., VERB */
	const char *help;
	int (*run)(struct run *r, int argc, const char **argv);
};

/* Storage of the verbs' options, cleared before each verb runs. */
struct verb_args {
	int all;
	char **users;
	char **stations;
	char **classes;
	char **states;
	int include_self;
	int include_root;
	int wait;
	int force;
	int dry_run;
	int freeze;
	char *message;
	char *grace;
	char *reason;
};
extern struct verb_args verb_args;
/*
 * popt's values of the verbs' string options, which the dispatcher hands to
 * verb_take_option() (popt would overwrite a repeated one without freeing it).
 */
enum {
	OPT_VERB_MESSAGE = 100,
	OPT_VERB_GRACE,
	OPT_VERB_REASON,
};
void verb_take_option(int val, char *arg);
extern const struct poptOption *verb_selection_options;
/* mpsession.c: the options before the verb; --help and --version */
extern const struct poptOption global_options[];
extern const struct poptOption help_options[];
void verb_args_clear(void);
bool verb_args_select(void);	/* --all or a filter was given */
int run_command_line(struct run *r, int argc, const char **argv);
int dispatch(struct run *r, int argc, const char **argv);
int verb_help(struct run *r, int argc, const char **argv);
int verb_shell(struct run *r, int argc, const char **argv);

/* shell.c: the shell's word splitter, pure (unit tests, fuzzing) */
int shell_split(const char *line, char ***ret_words, size_t *ret_n);
char **shell_words_free(char **words);	/* accepts NULL, returns NULL */

/* --reason of end and suspend: a name, a notification title, "... in %s." */
struct warning_reason {
	const char *name;
	const char *title;
	const char *when;
};
extern const struct warning_reason warning_reasons[];
extern const size_t n_warning_reasons;

extern const struct verb verbs[];
extern const size_t n_verbs;
const struct verb *verb_find(const char *name);
const char *verb_suggest(const char *name);

/* util.c: pure helpers, unit-tested */
void say(const char *verb, const char *object, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void say_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int parse_duration(const char *s, uint64_t *ret_usec);
int exit_status_for_errno(int error);
int exit_status_for_results(const int *results, size_t n);
size_t edit_distance(const char *a, const char *b);
size_t utf8_char_len(const unsigned char *p);
char *sanitize_text(const char *s, size_t max_len);
const char *result_word(int error);
void format_duration_words(uint64_t usec, char *buf, size_t size);
const char *delivery_reason(int error);
enum {
	INTERRUPT_SIGINT = 1u << 0,
	INTERRUPT_SIGTERM = 1u << 1,
};
unsigned interrupt_drain(int fd);

/* output.c: tables rendered as text or JSON from the same rows */
enum cell_type {
	CELL_STRING,
	CELL_BOOL,
	CELL_UINT,
	CELL_TIME,	/* microseconds since the epoch; 0 is "none" */
	CELL_NULL,
};

enum column_flags {
	COLUMN_JSON_ONLY = 1u << 0,	/* left out of the text table */
};

struct column {
	const char *header;	/* text header, upper case */
	const char *key;	/* JSON key, snake_case */
	unsigned flags;
};

struct table;
struct table *table_new(const char *key, const char *title, const struct column *columns,
			size_t n_columns);
struct table *table_free(struct table *t);
int table_add_string(struct table *t, const char *s);
int table_add_bool(struct table *t, bool b);
int table_add_uint(struct table *t, uint64_t u);
int table_add_time(struct table *t, uint64_t usec);
int table_add_null(struct table *t);
size_t table_rows(const struct table *t);

enum output_flags {
	OUTPUT_JSON = 1u << 0,
	OUTPUT_NO_LEGEND = 1u << 1,
};
int tables_print(FILE *f, struct table *const *tables, size_t n, unsigned flags);
void json_string(FILE *f, const char *s);

#endif
