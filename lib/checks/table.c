// SPDX-License-Identifier: MIT
/* The one table of checks: every family, in documentation order. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"

static const struct cvo_check *const families[] = {
	cvo_checks_board,     cvo_checks_structure, cvo_checks_placement, cvo_checks_cma,
	cvo_checks_restricted, cvo_checks_consumers, cvo_checks_dma,	    cvo_checks_coherency,
	cvo_checks_boot,
};

size_t cvo_check_count(void)
{
	size_t n = 0;
	for (size_t f = 0; f < CVO_ARRAY_LEN(families); f++)
		for (const struct cvo_check *c = families[f]; c->id; c++)
			n++;
	return n;
}

const struct cvo_check *cvo_check_get(size_t i)
{
	for (size_t f = 0; f < CVO_ARRAY_LEN(families); f++)
		for (const struct cvo_check *c = families[f]; c->id; c++)
			if (i-- == 0)
				return c;
	return NULL;
}

int cvo_check_index(const char *id)
{
	int i = 0;
	for (size_t f = 0; f < CVO_ARRAY_LEN(families); f++)
		for (const struct cvo_check *c = families[f]; c->id; c++, i++)
			if (!strcmp(c->id, id))
				return i;
	return -1;
}

int cvo_check_config_init(struct cvo_check_config *c)
{
	c->n = cvo_check_count();
	c->mode = calloc(c->n ? c->n : 1, 1);
	return c->mode ? 0 : CVO_ERR_NOMEM;
}

void cvo_check_config_fini(struct cvo_check_config *c)
{
	free(c->mode);
	c->mode = NULL;
	c->n = 0;
}

int cvo_check_config_set(struct cvo_check_config *c, const char *id, int mode)
{
	int i = cvo_check_index(id);
	if (i < 0 || (size_t)i >= c->n)
		return CVO_ERR_USAGE;
	c->mode[i] = (unsigned char)mode;
	return 0;
}

int cvo_ctx_fail(struct cvo_ctx *ctx, int err)
{
	if (!ctx->err)
		ctx->err = err;
	return ctx->err;
}

int cvo_check_run(const struct cvo_placement *pl, const struct cvo_check_config *config,
		  struct cvo_report *report)
{
	const struct cvo_model *m = pl->model;
	struct cvo_rules rules = cvo_rules_for(m->platform);
	struct cvo_ctx ctx = {
		.m = m,
		.pl = pl,
		.p = m->platform,
		.rules = &rules,
		.config = config,
		.report = report,
	};
	size_t i = 0;
	for (size_t f = 0; f < CVO_ARRAY_LEN(families) && !ctx.err; f++) {
		for (const struct cvo_check *c = families[f]; c->id && !ctx.err; c++, i++) {
			if (config && i < config->n && config->mode[i] == CVO_MODE_OFF)
				continue;
			if (!c->run)
				continue;
			ctx.cur = c;
			c->run(&ctx);
		}
	}
	cvo_report_sort(report);
	return ctx.err;
}

/* Free what a finding that is not (yet) in the report holds. */
static void finding_drop(struct cvo_finding *f)
{
	free(f->path);
	free(f->property);
	free(f->message);
	for (size_t k = 0; k < f->n_related; k++)
		free(f->related[k]);
	free(f->related);
	free(f->related_loc);
	memset(f, 0, sizeof(*f));
}

int cvo_emit(struct cvo_ctx *ctx, enum cvo_severity sev, const char *path, const char *prop,
	     const char *const *related, const char *fmt, ...)
{
	if (ctx->err)
		return ctx->err;
	int idx = cvo_check_index(ctx->cur->id);
	if (ctx->config && idx >= 0 && (size_t)idx < ctx->config->n) {
		switch (ctx->config->mode[idx]) {
		case CVO_MODE_OFF:
			return 0;
		case CVO_MODE_WARNING:
			sev = CVO_SEV_WARNING;
			break;
		case CVO_MODE_ERROR:
			sev = CVO_SEV_ERROR;
			break;
		case CVO_MODE_NO_ERROR:
			if (sev == CVO_SEV_ERROR)
				sev = CVO_SEV_WARNING;
			break;
		default:
			break;
		}
	}
	struct cvo_report *r = ctx->report;
	if (cvo_grow(&r->findings, &r->cap, r->n, sizeof(*r->findings)))
		return cvo_ctx_fail(ctx, CVO_ERR_NOMEM);
	struct cvo_finding *f = &r->findings[r->n];
	memset(f, 0, sizeof(*f));
	f->check = ctx->cur->id;
	f->severity = sev;
	f->path = cvo_strdup(path ? path : "/");
	f->property = prop ? cvo_strdup(prop) : NULL;
	if (!f->path || (prop && !f->property))
		goto nomem;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		finding_drop(f);
		return cvo_ctx_fail(ctx, CVO_ERR_INTERNAL);
	}
	f->message = malloc((size_t)n + 1);
	if (!f->message)
		goto nomem;
	va_start(ap, fmt);
	vsnprintf(f->message, (size_t)n + 1, fmt, ap);
	va_end(ap);
	size_t nrel = 0;
	while (related && related[nrel])
		nrel++;
	const struct cvo_blob *b = ctx->m->blob;
	if (nrel) {
		f->related = calloc(nrel, sizeof(char *));
		f->related_loc = calloc(nrel, sizeof(*f->related_loc));
		if (!f->related || !f->related_loc)
			goto nomem;
		for (size_t k = 0; k < nrel; k++) {
			f->related[k] = cvo_strdup(related[k]);
			if (!f->related[k])
				goto nomem;
			f->n_related = k + 1;
			if (b && related[k][0] == '/' &&
			    !cvo_blob_locate(b, related[k], NULL, &f->related_loc[k]))
				memset(&f->related_loc[k], 0, sizeof(f->related_loc[k]));
		}
	}
	f->has_loc = b && cvo_blob_locate(b, f->path, f->property, &f->loc);
	r->n++;
	return 0;
nomem:
	/* the finding is not in the report (r->n unchanged): everything it holds goes, the
	 * related[] array and its strings included */
	finding_drop(f);
	return cvo_ctx_fail(ctx, CVO_ERR_NOMEM);
}
