// SPDX-License-Identifier: MIT
/* Findings: the report a check run fills, sorted so that output is stable. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void cvo_report_init(struct cvo_report *r)
{
	memset(r, 0, sizeof(*r));
}

static void finding_fini(struct cvo_finding *f)
{
	free(f->path);
	free(f->property);
	free(f->message);
	for (size_t k = 0; k < f->n_related; k++)
		free(f->related[k]);
	free(f->related);
	free(f->related_loc);
}

void cvo_report_fini(struct cvo_report *r)
{
	for (size_t i = 0; i < r->n; i++)
		finding_fini(&r->findings[i]);
	free(r->findings);
	memset(r, 0, sizeof(*r));
}

void cvo_report_filter(struct cvo_report *r,
		       bool (*keep)(const struct cvo_finding *f, void *data), void *data)
{
	size_t o = 0;
	for (size_t i = 0; i < r->n; i++) {
		if (keep(&r->findings[i], data))
			r->findings[o++] = r->findings[i];
		else
			finding_fini(&r->findings[i]);
	}
	r->n = o;
}

static int strcmp0(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int cmp_finding(const void *a, const void *b)
{
	const struct cvo_finding *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	if (!c)
		c = strcmp(x->check, y->check);
	if (!c)
		c = strcmp0(x->property, y->property);
	if (!c)
		c = strcmp0(x->message, y->message);
	return c;
}

void cvo_report_sort(struct cvo_report *r)
{
	if (r->n > 1)
		qsort(r->findings, r->n, sizeof(*r->findings), cmp_finding);
}

const char *cvo_severity_name(enum cvo_severity sev)
{
	switch (sev) {
	case CVO_SEV_NONE: return "none";
	case CVO_SEV_NOTE: return "note";
	case CVO_SEV_WARNING: return "warning";
	case CVO_SEV_ERROR: return "error";
	}
	return "?";
}

int cvo_severity_parse(const char *s, enum cvo_severity *out)
{
	static const enum cvo_severity all[] = { CVO_SEV_NONE, CVO_SEV_NOTE, CVO_SEV_WARNING,
						 CVO_SEV_ERROR };
	for (size_t i = 0; i < CVO_ARRAY_LEN(all); i++) {
		if (!strcmp(s, cvo_severity_name(all[i]))) {
			*out = all[i];
			return 0;
		}
	}
	return CVO_ERR_USAGE;
}

const char *cvo_fmt_size(uint64_t size, char *buf, size_t len)
{
	static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned u = 0;
	while (u + 1 < CVO_ARRAY_LEN(units) && size >= (UINT64_C(1) << (10 * (u + 1))))
		u++;
	if (u == 0) {
		snprintf(buf, len, "%" PRIu64 " %s", size, size == 1 ? "byte" : "bytes");
		return buf;
	}
	uint64_t unit = UINT64_C(1) << (10 * u);
	if (size % unit == 0) {
		snprintf(buf, len, "%" PRIu64 " %s", size / unit, units[u]);
	} else {
		/* not a whole number of units: two decimals are enough to tell sizes apart,
		 * and the exact byte count is given for what does not divide */
		uint64_t whole = size / unit, rem = size % unit;
		/* floor, in integers: at most 99, and no overflow (rem >> 10 < 2^50) */
		uint64_t hundredths = (rem >> 10) * 100 / (unit >> 10);
		snprintf(buf, len, "%" PRIu64 ".%02" PRIu64 " %s (%#" PRIx64 " bytes)", whole,
			 hundredths, units[u], size);
	}
	return buf;
}
