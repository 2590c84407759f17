/* SPDX-License-Identifier: MIT */
/*
 * Untrusted bytes (node and property names, file names, messages that quote
 * them) on their way out: a terminal never sees a control byte raw, and JSON,
 * SARIF and SVG always get valid UTF-8.
 */
#ifndef CVO_CMD_ESCAPE_H
#define CVO_CMD_ESCAPE_H

#include <stdbool.h>
#include <stdio.h>

/*
 * For a terminal: control bytes (below 0x20, and 0x7f), bytes that are not part
 * of valid UTF-8 and the backslash itself are written as \xNN; valid multi-byte
 * UTF-8 is kept. Returns a string to free with free(), or NULL on out of memory.
 */
char *cmd_esc_text(const char *s);
/* cmd_esc_text() written to out; returns what fputs() does. */
int cmd_fputs_esc(const char *s, FILE *out);

/*
 * For JSON, SARIF and XML: bytes that are not valid UTF-8 become the text \xNN
 * (as on a terminal), so the result is valid UTF-8 whatever the input; control
 * bytes are kept (the JSON writer escapes them; XML callers must not emit them).
 * Returns a string to free with free(), or NULL on out of memory.
 */
char *cmd_esc_utf8(const char *s);
/* Whether s is valid UTF-8 with no control bytes (a backslash still escapes on a terminal). */
bool cmd_esc_clean(const char *s);

#endif
