/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mpsession: the station and session manager of a multi-seat host.
 * A thin client of libstations: options and verbs here, logind in the library.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mpsession.h"

static struct options options;
static int want_help;

/*
 * --timeout is taken by hand: popt would store each copy of the argument over
 * the last without freeing it, and it may be given before and after the verb.
 */
enum {
	OPT_TIMEOUT = 1,
};
static int want_version;

/* Shared with the shell's completion, so that the two lists cannot drift apart. */
const struct poptOption global_options[] = {
	{ "json", '\0', POPT_ARG_NONE, &options.json, 0,
	  "print JSON (a stable schema; nothing else on stdout)", NULL },
	{ "no-legend", '\0', POPT_ARG_NONE, &options.no_legend, 0,
	  "print no column headers", NULL },
	{ "quiet", 'q', POPT_ARG_NONE, &options.quiet, 0,
	  "print no results and notes, only errors", NULL },
	{ "timeout", '\0', POPT_ARG_STRING, NULL, OPT_TIMEOUT,
	  "how long --wait waits (default 60s); also bounds each call to logind", "DURATION" },
	{ "no-ask-password", '\0', POPT_ARG_NONE, &options.no_ask_password, 0,
	  "never let polkit ask for a password (default when stdin is not a terminal)", NULL },
	POPT_TABLEEND
};

/*
 * --help and --version by hand rather than POPT_AUTOHELP, whose callback
 * exits: a verb run from the interactive shell must return to the prompt.
 */
const struct poptOption help_options[] = {
	{ "help", 'h', POPT_ARG_NONE, &want_help, 0, "show this help", NULL },
	{ "version", '\0', POPT_ARG_NONE, &want_version, 0, "show the version", NULL },
	POPT_TABLEEND
};

static const struct poptOption main_table[] = {
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, (void *)global_options, 0, "Global options:", NULL },
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, (void *)help_options, 0, NULL, NULL },
	POPT_TABLEEND
};

static void print_option_list(FILE *f, const struct poptOption *o)
{
	for (; o && (o->longName || o->shortName || o->arg); o++) {
		char left[64];

		if ((o->argInfo & POPT_ARG_MASK) == POPT_ARG_INCLUDE_TABLE)
			continue;
		if (o->shortName)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->shortName, o->longName,
				 o->argDescrip ? " " : "", o->argDescrip ? o->argDescrip : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->longName,
				 o->argDescrip ? " " : "", o->argDescrip ? o->argDescrip : "");
		fprintf(f, "  %-28s %s\n", left, o->descrip ? o->descrip : "");
	}
}

static void print_help(FILE *f)
{
	fputs("Usage: mpsession [OPTIONS] VERB [OPTIONS] [TARGET...]\n\n"
	      "Stations and sessions of a multi-seat host, on systemd-logind.\n\nVerbs:\n", f);
	for (size_t i = 0; i < n_verbs; i++) {
		char left[64];

		snprintf(left, sizeof(left), "%s %s", verbs[i].name, verbs[i].operands);
		fprintf(f, "  %-28s %s\n", left, verbs[i].help);
	}
	fputs("\nTargets: session ids, \"self\", or a selection:\n", f);
	print_option_list(f, verb_selection_options);
	fputs("\nGlobal options:\n", f);
	print_option_list(f, global_options);
	print_option_list(f, help_options);
	fputs("\nSee 'mpsession VERB --help' and mpsession(1).\n", f);
}

static void print_verb_help(FILE *f, const struct verb *v)
{
	fprintf(f, "Usage: mpsession %s [OPTIONS]%s%s\n\n%c%s.\n", v->name, *v->operands ? " " : "",
		v->operands, v->help[0] - ('a' - 'A'), v->help + 1);
	if (v->options) {
		fputs("\nOptions:\n", f);
		print_option_list(f, v->options);
	}
	if (v->flags & VERB_TARGETS) {
		fputs("\nSelection (instead of session ids):\n", f);
		print_option_list(f, verb_selection_options);
	}
	fputs("\nGlobal options: see 'mpsession --help'.\n", f);
}

int verb_help(struct run *r, int argc, const char **argv)
{
	const struct verb *v;

	if (argc == 0) {
		print_help(stdout);
		return STATIONS_EXIT_OK;
	}
	v = verb_find(argv[0]);
	if (!v) {
		say_text("%s: unknown verb '%s'", r->verb->name, argv[0]);
		return -EINVAL;
	}
	print_verb_help(stdout, v);
	return STATIONS_EXIT_OK;
}

static void print_version(void)
{
	printf("mpsession %s (libstations %s)\n", MPSESSION_VERSION, STATIONS_VERSION_STRING);
}

/* One line about a bad option, naming the word, and where help is. */
static int bad_option(poptContext pc, int rc, const char *verb)
{
	const char *word = poptBadOption(pc, POPT_BADOPTION_NOALIAS);

	if (verb)
		say_text("%s: %s: %s; see 'mpsession %s --help'", verb, word, poptStrerror(rc),
			 verb);
	else
		say_text("%s: %s; see 'mpsession --help'", word, poptStrerror(rc));
	return -EINVAL;
}

/* poptGetNextOpt() until the end or an error, keeping the last --timeout. */
static int next_options(poptContext pc)
{
	int rc;

	while ((rc = poptGetNextOpt(pc)) > 0)
		if (rc == OPT_TIMEOUT) {
			free(options.timeout);
			options.timeout = poptGetOptArg(pc);
		} else if (rc == OPT_VERB_MESSAGE || rc == OPT_VERB_GRACE || rc == OPT_VERB_REASON)
			verb_take_option(rc, poptGetOptArg(pc));
	return rc;
}

static int check_options(const char *verb)
{
	if (options.timeout) {
		int e = parse_duration(options.timeout, &options.timeout_usec);

		if (e < 0 || options.timeout_usec == 0) {
			say_text("%s%s--timeout: invalid duration '%s'%s", verb ? verb : "",
				 verb ? ": " : "", options.timeout,
				 e == -ERANGE ? " (at most a week)" : "");
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Run one command line, argv[0] being the verb.  Options of the verb, the
 * selection and the global ones are all accepted after the verb.
 */
int dispatch(struct run *r, int argc, const char **argv)
{
	struct poptOption table[5];
	const struct verb *v = NULL;
	poptContext pc;
	const char **args, *name = argc > 0 ? argv[0] : NULL, *default_argv[2] = { NULL };
	int rc, n = 0, nargs = 0, e;

	if (!name) {
		for (size_t i = 0; i < n_verbs; i++)
			if (verbs[i].flags & VERB_DEFAULT)
				v = &verbs[i];
		/* popt takes argv[0] as the program's name and reads past an empty argv */
		default_argv[0] = v->name;
		argc = 1;
		argv = default_argv;
	} else {
		v = verb_find(name);
		if (!v) {
			const char *s = verb_suggest(name);

			if (s)
				say_text("unknown verb '%s' (did you mean '%s'?)", name, s);
			else
				say_text("unknown verb '%s'; see 'mpsession --help'", name);
			return -EINVAL;
		}
	}

	verb_args_clear();
	want_help = want_version = 0;
	memset(table, 0, sizeof(table));
	if (v->options)
		table[n++] = (struct poptOption){ NULL, '\0', POPT_ARG_INCLUDE_TABLE,
						  (void *)v->options, 0, NULL, NULL };
	if (v->flags & VERB_TARGETS)
		table[n++] = (struct poptOption){ NULL, '\0', POPT_ARG_INCLUDE_TABLE,
						  (void *)verb_selection_options, 0, NULL, NULL };
	table[n++] = (struct poptOption){ NULL, '\0', POPT_ARG_INCLUDE_TABLE, (void *)global_options,
					  0, NULL, NULL };
	table[n++] = (struct poptOption){ NULL, '\0', POPT_ARG_INCLUDE_TABLE, (void *)help_options,
					  0, NULL, NULL };

	pc = poptGetContext("mpsession", argc, argv, table, 0);
	if (!pc)
		return -ENOMEM;
	rc = next_options(pc);
	if (rc < -1) {
		e = bad_option(pc, rc, v->name);
		goto out;
	}
	if (want_help) {
		print_verb_help(stdout, v);
		e = STATIONS_EXIT_OK;
		goto out;
	}
	if (want_version) {
		print_version();
		e = STATIONS_EXIT_OK;
		goto out;
	}
	e = check_options(v->name);
	if (e < 0)
		goto out;

	args = poptGetArgs(pc);
	while (args && args[nargs])
		nargs++;
	if ((unsigned)nargs < v->min_args || (unsigned)nargs > v->max_args) {
		if (v->max_args == 0)
			say_text("%s: unexpected argument '%s'", v->name, args[0]);
		else if ((unsigned)nargs > v->max_args)
			say_text("%s: too many arguments, from '%s' on", v->name, args[v->max_args]);
		else
			say_text("%s: missing %s", v->name, v->operands);
		e = -EINVAL;
		goto out;
	}
	if ((v->flags & VERB_TARGETS) && nargs == 0 && !verb_args_select()) {
		say_text("%s: no target; name sessions or use --all, --user, --station, --class "
			 "or --state", v->name);
		e = -EINVAL;
		goto out;
	}

	r->verb = v;
	e = v->run(r, nargs, args);
out:
	poptFreeContext(pc);
	return e;
}

/*
 * A whole command line, argv[0] being the program: global options up to the
 * verb, then the verb with its own.  Returns an exit status, or a negative
 * errno for main() to map.
 */
int run_command_line(struct run *r, int argc, const char **argv)
{
	const char **rest;
	poptContext pc;
	int rc, e, nrest = 0;

	/* In the shell each line starts from the options given before "shell". */
	options = r->defaults ? *r->defaults : (struct options){};
	/* a copy of its own: a --timeout on the line replaces (and frees) it */
	if (options.timeout) {
		options.timeout = strdup(options.timeout);
		if (!options.timeout)
			return -ENOMEM;
	}
	want_help = want_version = 0;
	r->opt = &options;

	/* Global options stop at the verb; the verb's context takes the rest. */
	pc = poptGetContext("mpsession", argc, argv, main_table, POPT_CONTEXT_POSIXMEHARDER);
	if (!pc)
		return -ENOMEM;
	rc = next_options(pc);
	if (rc < -1) {
		e = bad_option(pc, rc, NULL);
		goto out;
	}
	if (want_help) {
		print_help(stdout);
		e = STATIONS_EXIT_OK;
		goto out;
	}
	if (want_version) {
		print_version();
		e = STATIONS_EXIT_OK;
		goto out;
	}
	e = check_options(NULL);
	if (e < 0)
		goto out;

	rest = poptGetArgs(pc);
	while (rest && rest[nrest])
		nrest++;
	e = dispatch(r, nrest, rest);
out:
	poptFreeContext(pc);
	verb_args_clear();
	free(options.timeout);
	options.timeout = NULL;
	return e;
}
