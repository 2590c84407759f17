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
int cmd_map(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_list_checks(int argc, char **argv);
int cmd_platforms(int argc, char **argv);
int cmd_verify(int argc, char **argv);

/* Where the bundled boards are: $CARVEOUT_BOARDS, the source tree, or the installed copy. */
const char *cmd_boards_dir(void);

/*
 * The platforms of a run: one fixed platform (-p PATH|NAME), or for -p auto the
 * bundled boards and the generic profiles, loaded once and shared read-only by
 * every input.
 */
struct cmd_platforms {
	struct cvo_platform *fixed;
	struct cvo_platform **boards;
	size_t n_boards;
	struct cvo_platform *generic[4]; /* indexed by enum cvo_arch */
};

int cmd_platforms_init(struct cmd_platforms *pl, const char *spec, struct cvo_error *err);
const struct cvo_platform *cmd_platforms_pick(const struct cmd_platforms *pl, const void *fdt);
void cmd_platforms_fini(struct cmd_platforms *pl);
/* Exit status for a platform error: usage (unknown name) or input. */
int cmd_platform_exit(int err);

/* One input, loaded and simulated: blob, platform, model placed. */
struct cmd_input {
	struct cvo_blob *blob;
	const struct cvo_platform *platform; /* borrowed from the run's cmd_platforms */
	struct cvo_model *model;
};

/*
 * Load FILE, pick its platform from pl, build and place the model. On error,
 * err says why and the CVO_ERR_* is returned.
 */
int cmd_input_load(const char *file, const struct cmd_platforms *pl,
		   const char *const *incdirs, size_t n_incdirs, struct cmd_input *in,
		   struct cvo_error *err);
void cmd_input_fini(struct cmd_input *in);

/* "file:line.col-col: " or "file: " */
void cmd_print_where(FILE *out, const char *file, const struct cvo_finding *f);
/* Print a fatal error the way every subcommand does: "carveout: FILE:L:C: text". */
void cmd_print_error(const struct cvo_error *err);
/* fflush + ferror on stdout (a full disk must not look like success). */
int cmd_finish_stdout(int code);

#endif
