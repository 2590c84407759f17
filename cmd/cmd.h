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

/* Where the bundled boards are: $CARVEOUT_BOARDS, the source tree, or the installed copy. */
const char *cmd_boards_dir(void);

/* One input, loaded and simulated: blob, platform, model placed. */
struct cmd_input {
	struct cvo_blob *blob;
	struct cvo_platform *platform; /* owned unless shared_platform */
	bool shared_platform;
	struct cvo_model *model;
};

/*
 * Load FILE, resolve the platform (spec, or `shared` when not NULL), build
 * and place the model. On error, err says why and the CVO_ERR_* is returned.
 */
int cmd_input_load(const char *file, const char *pspec, struct cvo_platform *shared,
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
