/* SPDX-License-Identifier: MIT */
/*
 * --baseline: findings of an earlier JSON report, matched by what a reviewer
 * means rather than by the exact text: the file's name (relative to
 * --baseline-root, else its basename, without its .dts/.dtb extension), then
 * check, node path, property and related nodes. Messages are not compared:
 * they quote addresses that move when an unrelated region does.
 */
#ifndef CVO_CMD_BASELINE_H
#define CVO_CMD_BASELINE_H

#include "carveout.h"

struct cmd_baseline;

/*
 * Read the JSON report FILE. root (may be NULL) is the --baseline-root folder.
 * On error prints one "carveout: ..." line and returns the exit status (3);
 * 0 on success, *out to free with cmd_baseline_free().
 */
int cmd_baseline_load(const char *file, const char *root, struct cmd_baseline **out);
void cmd_baseline_free(struct cmd_baseline *b);

/*
 * Drop from r the findings the baseline already has for the input named file.
 * Each baseline finding absorbs one finding at most, so a second overlap of the
 * same node is new. Read-only on b: safe from several threads at once.
 */
void cmd_baseline_filter(const struct cmd_baseline *b, const char *file, struct cvo_report *r);

#endif
