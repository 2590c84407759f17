/* SPDX-License-Identifier: MIT */
/* Renderers of a check run: dtc-style text, the JSON report, SARIF 2.1.0. */
#ifndef CVO_OUTPUT_H
#define CVO_OUTPUT_H

#include <stdio.h>

#include <jansson.h>

#include "cmd.h"

void out_text(FILE *out, const char *file, const struct cvo_report *r);
/* The "files" entry of the JSON report for one input. */
json_t *out_json_file(const char *file, const struct cmd_input *in, const struct cvo_report *r);
/* The whole report; files is stolen. */
json_t *out_json_report(json_t *files, const size_t counts[4]);
/* SARIF results for one input (an array). */
json_t *out_sarif_results(const char *file, const struct cvo_report *r);
/* The whole SARIF log; results is stolen. */
json_t *out_sarif_log(json_t *results);
/* Hex string of a 64-bit value, as the JSON report writes addresses. */
json_t *out_hex(uint64_t v);

#endif
