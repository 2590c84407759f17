/* SPDX-License-Identifier: MIT */
/* carveout diff: renderers of one compared pair (text, JSON, markdown). */
#ifndef CVO_CMD_DIFF_H
#define CVO_CMD_DIFF_H

#include <stdio.h>

#include <jansson.h>

#include "cmd.h"

/* One compared pair, as the renderers see it. */
struct diff_pair {
	const char *name;	/* what text lines start with: NEW's name, or the relative path */
	const char *old_name, *new_name;
	const char *platform;	/* the platform both were placed with */
	bool platform_auto;	/* -p auto: the one NEW matches */
	const struct cvo_diff *diff;
};

/* One line per change, then nothing else; with header, first the platform line. */
void diff_out_text(FILE *out, const struct diff_pair *p, bool header);
/* The "pairs" entry of the JSON document. */
json_t *diff_out_json(const struct diff_pair *p);
/* A pull-request comment section for the pair; level is the heading's "#" count. */
void diff_out_markdown(FILE *out, const struct diff_pair *p, int level);
/* Markdown-escaped text (after the terminal escaper): every byte renders literally.
 * Free with free(); NULL on out of memory. */
char *diff_md_esc(const char *s);

#endif
