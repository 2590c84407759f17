/* SPDX-License-Identifier: MIT */
/*
 * Renderers of a check run: dtc-style text, dtc's own words, the JSON report,
 * SARIF 2.1.0. Every name and message from an input is untrusted: text goes
 * through cmd_esc_text(), JSON and SARIF strings through cmd_esc_utf8().
 */
#ifndef CVO_OUTPUT_H
#define CVO_OUTPUT_H

#include <stdio.h>

#include <jansson.h>

#include "cmd.h"

/* How findings are rendered (carveout check's -q, -v, -f dtc, --baseline). */
struct out_opts {
	bool quiet;	/* text: no platform line, no summary line */
	bool verbose;	/* text: the whole message, not its first sentence */
	bool dtc;	/* text in dtc's words: "Warning (id)" and "ERROR (id)" */
	bool baseline;	/* findings are those a baseline does not have (SARIF "new") */
	bool platform_auto; /* the platform came from -p auto (the platform line says so) */
};

/*
 * Length of the first sentence of a finding's message: up to the first ": ",
 * "; " or ". " outside parentheses and quotes that ends a clause long enough to
 * stand alone; the whole length when there is none.
 */
size_t out_first_sentence(const char *msg);

/* One input's findings as text lines (with its platform line unless quiet or dtc). */
void out_text(FILE *out, const char *file, const struct cvo_input *in,
	      const struct cvo_report *r, const struct out_opts *o);
/* "N errors, N warnings, N notes in N files" (and how many were unreadable). */
void out_text_summary(FILE *out, const size_t counts[4], size_t files, size_t unreadable);

/* One finding as the JSON report has it (schemas/report.schema.json). */
json_t *out_json_finding(const struct cvo_finding *f);
/* The "regions" of the JSON report for one input (also the plan JSON's). */
json_t *out_json_regions(const struct cvo_input *in);
/* The "files" entry of the JSON report for one input. */
json_t *out_json_file(const char *file, const struct cvo_input *in, const struct cvo_report *r);
/* The "files" entry of an input that could not be read: its file and error. */
json_t *out_json_file_error(const char *file, const struct cvo_error *err);
/* The whole report; files is stolen, summary.files is its size. */
json_t *out_json_report(json_t *files, const size_t counts[4]);

/* SARIF results for one input (an array). */
json_t *out_sarif_results(const char *file, const struct cvo_report *r,
			  const struct out_opts *o);
/* A SARIF toolExecutionNotification for an input that could not be read. */
json_t *out_sarif_notification(const char *file, const struct cvo_error *err);
/* The whole SARIF log; results and notifications (may be NULL) are stolen. */
json_t *out_sarif_log(json_t *results, json_t *notifications);

/* Hex string of a 64-bit value, as the JSON report writes addresses. */
json_t *out_hex(uint64_t v);
/* A JSON string of untrusted bytes: always valid UTF-8, never NULL but on out of memory. */
json_t *out_jstr(const char *s);

#endif
