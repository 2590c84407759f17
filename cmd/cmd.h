/* SPDX-License-Identifier: MIT */
/* The command-line front end: one file per subcommand, sharing these helpers. */
#ifndef CVO_CMD_H
#define CVO_CMD_H

#include <stdbool.h>
#include <stdio.h>

#include "carveout.h"

/* Exit codes (carveout(1)). */
enum {
	EXIT_CLEAN = 0,
	EXIT_FINDINGS = 1,
	EXIT_USAGE = 2,
	EXIT_INPUT = 3,
};

int cmd_check(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_fix(int argc, char **argv);
int cmd_list_checks(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_platforms(int argc, char **argv);
int cmd_verify(int argc, char **argv);

/* Exit status for a platform error: usage (unknown name) or input. */
int cmd_platform_exit(int err);

/*
 * The options every subcommand that reads a DT takes (options.c): put
 * CMD_DT_SHORTOPTS in the optstring and CMD_DT_LONGOPTS in the long options,
 * and give every option to cmd_dt_opt() first.
 */
enum {
	CMD_OPT_APPLY = 0x1000,
	CMD_OPT_KERNEL,
	CMD_OPT_CONFIG,
	CMD_OPT_CMDLINE,
	CMD_OPT_MEMORY,
	CMD_OPT_PAGE_SIZE,
};
#define CMD_DT_SHORTOPTS "p:I:"
#define CMD_DT_LONGOPTS                                           \
	{ "platform", required_argument, NULL, 'p' },             \
	{ "apply", required_argument, NULL, CMD_OPT_APPLY },      \
	{ "kernel", required_argument, NULL, CMD_OPT_KERNEL },    \
	{ "config", required_argument, NULL, CMD_OPT_CONFIG },    \
	{ "cmdline", required_argument, NULL, CMD_OPT_CMDLINE },  \
	{ "memory", required_argument, NULL, CMD_OPT_MEMORY },    \
	{ "page-size", required_argument, NULL, CMD_OPT_PAGE_SIZE }

struct cmd_dt_opts {
	const char *platform;	/* -p, NULL for auto */
	const char **incdirs;	/* -I */
	size_t n_incdirs;
	const char **apply;	/* --apply, in order */
	size_t n_apply;
	struct cvo_blob **overlays; /* loaded by cmd_dt_opts_load() */
	struct cvo_load load;	/* for cvo_input_load(), valid after cmd_dt_opts_load() */
	struct cvo_platform_options popts; /* --kernel, --config, --cmdline, ... */
	struct cvo_overrides *overrides; /* read by cmd_dt_opts_load() */
};

/* Arrays for up to argc options; -1 (printed) on out of memory. */
int cmd_dt_opts_init(struct cmd_dt_opts *o, int argc);
/* Take option c (getopt's return) when it is one of these: whether it was. */
bool cmd_dt_opt(struct cmd_dt_opts *o, int c, const char *arg);
/* How many --apply read standard input ("-"). */
size_t cmd_dt_opts_stdin(const struct cmd_dt_opts *o);
/* Load the --apply overlays and read the platform options, once for the run: 0, or the
 * exit status (printed). */
int cmd_dt_opts_load(struct cmd_dt_opts *o);
void cmd_dt_opts_fini(struct cmd_dt_opts *o);

struct option;
/*
 * Print getopt_long's error c ('?', or ':' with a ':' first in the optstring
 * and opterr = 0) as "carveout: CMD: unknown option '-x'" and the like.
 */
void cmd_option_error(const char *cmd, int c, char *const *argv, const struct option *longopts);

/* Whether standard input ("-") is named n > 1 times; then "carveout: CMD: '-' (standard input)
 * given more than once" is printed. */
bool cmd_stdin_twice(const char *cmd, size_t n);
/* The platforms -p names (cvo_platform_set_init() with the overrides o read), once for the
 * run: 0, or the exit status (printed). */
int cmd_platforms_load(const struct cmd_dt_opts *o, struct cvo_platform_set *ps);
/* cvo_input_load() of file with the run's platforms and DT options: 0, or EXIT_INPUT
 * (printed). */
int cmd_input_load(const char *file, const struct cvo_platform_set *ps, const struct cmd_dt_opts *o,
		   struct cvo_input *in);
/* What a run that failed after its input was loaded says: "out of memory" or "internal
 * error". */
const char *cmd_run_error_text(int err);
/* "file:line.col-col: " or "file: " */
void cmd_print_where(FILE *out, const char *file, const struct cvo_finding *f);
/* Print a fatal error the way every subcommand does: "carveout: FILE:L:C: text", escaped. */
void cmd_print_error(const struct cvo_error *err);
/* -j N: a number from 1 to 1024 into *out; -1 when s is not one. */
int cmd_parse_jobs(const char *s, long *out);
/*
 * fn(ctx, i) for every i below n, on up to jobs threads (this one included);
 * each i once, in no particular order. Returns when all are done.
 */
void cmd_parallel(size_t n, long jobs, void (*fn)(void *ctx, size_t i), void *ctx);
/* fflush + ferror on stdout (a full disk must not look like success). */
int cmd_finish_stdout(int code);

#endif
