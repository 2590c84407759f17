// SPDX-License-Identifier: MIT
/*
 * verify: a boot log (dmesg.c) against the prediction (place.c) for the same DT,
 * with the log's kernel version, command line and RAM. Each /reserved-memory
 * region the log names is compared with where placement put it; the default CMA
 * area with what mm/cma.c printed; the rest is what the log does not say.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dma.h"
#include "region.h"
#include "place.h"
#include "kernel.h"
#include "platform/kconfig.h"
#include "util.h"

#define SZ_1M (UINT64_C(1) << 20)

int cvo_verify_platform(const struct cvo_platform *base, const struct cvo_dmesg *log,
			struct cvo_platform **out, struct cvo_error *err)
{
	struct cvo_platform_overrides o = { 0 };
	if (!(base->own & CVO_PLATFORM_OWN_VERSION) && log->kver_major) {
		o.kver_major = log->kver_major;
		o.kver_minor = log->kver_minor;
		/* "6.12.117+deb13-arm64" says its patch level; Debian's "6.1.0-50-arm64" not */
		int maj, min, patch = -1;
		if (!log->version || !kc_parse_release(log->version, &maj, &min, &patch) ||
		    maj != o.kver_major || min != o.kver_minor)
			patch = -1;
		o.kver_patch = patch;
	}
	if (!(base->own & CVO_PLATFORM_OWN_CMDLINE) && log->cmdline)
		o.cmdline = log->cmdline;
	if (!(base->own & CVO_PLATFORM_OWN_MEMORY) && log->n_banks) {
		o.memory = log->banks;
		o.n_memory = log->n_banks;
	}
	int r = cvo_platform_dup_with(base, &o, log->name, out, err);
	if (r == CVO_ERR_INVALID && err && o.cmdline) {
		/* the only value that can be refused is the log's command line: point at it */
		err->line = log->cmdline_line;
		err->column = 0;
	}
	return r;
}

/* ------------------------------------------------------------------ what the kernel did */

struct outcome {
	enum cvo_status st;	/* PLACED, FAILED, IGNORED; UNPLACED: the log does not say */
	bool has_base;
	uint64_t base;
	bool has_size;
	uint64_t size, unit;	/* the size as printed, rounded down to unit (1: exact) */
	char how[128];		/* "failed to allocate memory for it" */
	int line;
};

static void outcome_of(const struct cvo_boot_region *b, struct outcome *k)
{
	memset(k, 0, sizeof(*k));
	k->st = CVO_STATUS_FAILED;
	k->line = b->fail_line ? b->fail_line : b->line;
	const char *refusal = b->said & CVO_BOOT_CMA_ALIGN	     ? "incorrect alignment of CMA region"
			      : b->said & CVO_BOOT_NOMAP_UNSUPPORTED ? "regions without no-map are not "
								       "yet supported"
			      : b->said & CVO_BOOT_CMA_SETUP_FAIL    ? "unable to setup CMA region"
			      : b->said & CVO_BOOT_LINEAR_MAP	     ? "not in the linear mapping"
								     : "compatible matching fail";
	if (b->said & CVO_BOOT_BYPASS) {
		k->st = CVO_STATUS_IGNORED;
		snprintf(k->how, sizeof(k->how), "bypassed it for the command line's cma=");
	} else if (b->said & CVO_BOOT_ALLOC_FAIL) {
		snprintf(k->how, sizeof(k->how), "failed to allocate memory for it");
	} else if (b->said & CVO_BOOT_INVALID) {
		snprintf(k->how, sizeof(k->how), "skipped it for an invalid property");
	} else if (b->said & CVO_BOOT_TOO_MANY) {
		snprintf(k->how, sizeof(k->how), "skipped it: too many dynamic regions");
	} else if (b->said & CVO_BOOT_RESERVE_FAIL) {
		snprintf(k->how, sizeof(k->how), "failed to reserve memory for it at 0x%08" PRIx64,
			 b->fail_base);
		k->has_base = true;
		k->base = b->fail_base;
	} else if (b->said & CVO_BOOT_MATCH_FAIL) {
		snprintf(k->how, sizeof(k->how), "refused it (%s)", refusal);
	} else if (b->said & CVO_BOOT_RANGE) {
		k->st = CVO_STATUS_PLACED;
		k->has_base = k->has_size = true;
		k->base = b->range_base;
		k->size = b->range_size;
		k->unit = 1;
		k->line = b->range_line;
	} else if (b->pool != CVO_BOOT_POOL_NONE) {
		k->st = CVO_STATUS_PLACED;
		k->has_base = k->has_size = true;
		k->base = b->pool_base;
		k->size = b->pool_size;
		k->unit = b->pool_unit;
		k->line = b->pool_line;
	} else if (b->said & CVO_BOOT_INITIALIZED) {
		k->st = CVO_STATUS_PLACED;
	} else {
		k->st = CVO_STATUS_UNPLACED;
	}
}

/* "0x00000000be000000, 32 MiB" with the size as the kernel printed it */
static void fmt_placed(char *buf, size_t len, uint64_t base, bool has_size, uint64_t size,
		       uint64_t unit)
{
	char sz[48];
	if (!has_size)
		snprintf(buf, len, "0x%08" PRIx64, base);
	else if (unit > 1)
		snprintf(buf, len, "0x%08" PRIx64 ", %" PRIu64 " %s", base, size / unit,
			 unit == SZ_1M ? "MiB" : "KiB");
	else
		snprintf(buf, len, "0x%08" PRIx64 ", %s", base, cvo_fmt_size(size, sz, sizeof(sz)));
}

/* ------------------------------------------------------------------ what carveout predicts */

static enum cvo_boot_pool predicted_pool(const struct cvo_model *m, const struct cvo_region *r)
{
	if (cvo_region_is_cma(m, r))
		return CVO_BOOT_POOL_CMA;
	if (cvo_region_is_coherent_pool(m, r))
		return CVO_BOOT_POOL_DMA;
	if (r->compat_restricted_dma_pool && m->platform &&
	    m->platform->config.dma_restricted_pool == 1)
		return CVO_BOOT_POOL_RESTRICTED;
	return CVO_BOOT_POOL_NONE;
}

static const char *pool_name(enum cvo_boot_pool p)
{
	switch (p) {
	case CVO_BOOT_POOL_CMA:
		return "a CMA pool";
	case CVO_BOOT_POOL_DMA:
		return "a DMA (coherent) pool";
	case CVO_BOOT_POOL_RESTRICTED:
		return "a restricted DMA pool";
	default:
		return "no pool";
	}
}

static void fmt_predicted(char *buf, size_t len, const struct cvo_placement *pl,
			  const struct cvo_region *r)
{
	const struct cvo_model *m = pl->model;
	char where[96];
	if (!r->available) {
		snprintf(buf, len, "the kernel skips it (status is not okay)");
		return;
	}
	if (!m->rmem_format_ok) {
		snprintf(buf, len, "the kernel ignores every /reserved-memory child (unsupported "
				   "node format)");
		return;
	}
	switch (cvo_outcome(pl, r)->status) {
	case CVO_STATUS_PLACED:
		fmt_placed(where, sizeof(where), cvo_outcome(pl, r)->base, true,
			   cvo_outcome(pl, r)->placed_size, 1);
		snprintf(buf, len, "it placed at %s", where);
		break;
	case CVO_STATUS_FAILED:
		snprintf(buf, len, "it failed (%s)", cvo_region_why_text(pl, r));
		break;
	case CVO_STATUS_IGNORED:
		snprintf(buf, len, "it ignored (%s)", cvo_region_why_text(pl, r));
		break;
	case CVO_STATUS_DISABLED:
		snprintf(buf, len, "the kernel skips it (status is not okay)");
		break;
	default:
		snprintf(buf, len, "it not placed (%s)",
			 cvo_outcome(pl, r)->why != CVO_WHY_NONE ? cvo_region_why_text(pl, r)
								 : "no RAM known");
		break;
	}
}

/* Whether the kernel of this platform prints a line naming r (see boot_silent). */
static bool kernel_names(const struct cvo_ctx *ctx, const struct cvo_region *r,
			 const char **what)
{
	const struct cvo_model *m = ctx->m;
	const struct cvo_placement *pl = ctx->pl;
	if (!cvo_region_scanned(m, r))
		return false;
	switch (cvo_outcome(pl, r)->status) {
	case CVO_STATUS_FAILED:
		*what = "a failure";
		return true;
	case CVO_STATUS_IGNORED:
		/* rmem_cma_setup()'s bypass names it; an empty reg reserves nothing, silently */
		*what = "\"bypass ... node, using cmdline CMA params instead\"";
		return r->cma_default && m->platform && m->platform->has_cmdline_cma;
	case CVO_STATUS_PLACED:
		if (cvo_outcome(pl, r)->why == CVO_WHY_TABLE_FULL_RESERVED)
			return false;
		if (ctx->rules->range_line) {
			*what = "its range line (\"OF: reserved mem: 0x...\")";
			return true;
		}
		*what = "\"initialized node\" from its handler";
		return predicted_pool(m, r) != CVO_BOOT_POOL_NONE;
	default:
		return false;
	}
}

/* ------------------------------------------------------------------ the comparison */

struct vctx {
	struct cvo_ctx ctx;
	const struct cvo_check *mismatch, *silent;
	const struct cvo_dmesg *log;
};

#define EMIT(v, check, sev, path, prop, ...)                                                      \
	do {                                                                                      \
		(v)->ctx.cur = (check);                                                           \
		cvo_emit(&(v)->ctx, (sev), (path), (prop), NULL, __VA_ARGS__);                    \
	} while (0)

/* The kernel's outcome for r, from what the log says (NULL: nothing). */
static bool kernel_outcome(const struct vctx *v, const struct cvo_region *r,
			   const struct cvo_boot_region *b, struct outcome *k)
{
	if (b) {
		outcome_of(b, k);
		if (k->st != CVO_STATUS_UNPLACED)
			return true;
	}
	/* newer kernels skip a static linux,cma-default node for cma= without naming it */
	if (v->log->cma_skip_lines && r->is_static && r->cma_default && r->compat_shared_dma_pool) {
		memset(k, 0, sizeof(*k));
		k->st = CVO_STATUS_IGNORED;
		snprintf(k->how, sizeof(k->how),
			 "skipped it for the command line's cma= (\"Skipping dt linux,cma-default\")");
		return true;
	}
	return false;
}

static const char *status_verb(enum cvo_status st)
{
	return st == CVO_STATUS_PLACED ? "placed" : st == CVO_STATUS_IGNORED ? "ignored" : "failed";
}

static void compare_region(struct vctx *v, const struct cvo_region *r)
{
	const struct cvo_model *m = v->ctx.m;
	const struct cvo_placement *pl = v->ctx.pl;
	const struct cvo_dmesg *log = v->log;
	const struct cvo_boot_region *b = cvo_dmesg_region(log, r->name);
	const char *prop = r->is_static ? "reg" : "size";
	struct outcome k;
	char pred[256], kw[128], at[64];
	if (!kernel_outcome(v, r, b, &k)) {
		const char *what = NULL;
		if (kernel_names(&v->ctx, r, &what))
			EMIT(v, v->silent, CVO_SEV_NOTE, r->path, NULL,
			     "the log does not name it: Linux %d.%d prints %s for it%s",
			     m->platform->kver_major, m->platform->kver_minor, what,
			     log->complete ? "" : " (the log ends before the kernel's memory setup "
						  "is done)");
		return;
	}
	snprintf(at, sizeof(at), "%s:%d", log->name, k.line);
	fmt_predicted(pred, sizeof(pred), pl, r);
	bool scanned = cvo_region_scanned(m, r);
	if (!scanned || k.st != cvo_outcome(pl, r)->status) {
		if (k.st == CVO_STATUS_PLACED && k.has_base) {
			fmt_placed(kw, sizeof(kw), k.base, k.has_size, k.size, k.unit);
			EMIT(v, v->mismatch, CVO_SEV_ERROR, r->path, prop,
			     "the kernel placed it at %s (%s), carveout predicted %s", kw, at, pred);
		} else if (k.st == CVO_STATUS_PLACED) {
			EMIT(v, v->mismatch, CVO_SEV_ERROR, r->path, prop,
			     "the kernel initialised it (%s), carveout predicted %s", at, pred);
		} else {
			EMIT(v, v->mismatch, CVO_SEV_ERROR, r->path, prop,
			     "the kernel %s (%s), carveout predicted %s", k.how, at, pred);
		}
		return;
	}
	if (k.st != CVO_STATUS_PLACED) {
		/* both failed (or both ignored): a failed static region keeps its base */
		if (k.has_base && cvo_outcome(pl, r)->has_base &&
		    k.base != cvo_outcome(pl, r)->base)
			EMIT(v, v->mismatch, CVO_SEV_ERROR, r->path, prop,
			     "the kernel %s (%s), carveout predicted it at 0x%08" PRIx64, k.how, at,
			     cvo_outcome(pl, r)->base);
		return;
	}
	bool base_bad =
	    k.has_base && cvo_outcome(pl, r)->has_base && k.base != cvo_outcome(pl, r)->base;
	bool size_bad =
	    k.has_size && (k.unit > 1 ? cvo_outcome(pl, r)->placed_size / k.unit != k.size / k.unit
				      : cvo_outcome(pl, r)->placed_size != k.size);
	if (base_bad || size_bad) {
		fmt_placed(kw, sizeof(kw), k.base, k.has_size, k.size, k.unit);
		EMIT(v, v->mismatch, CVO_SEV_ERROR, r->path, prop,
		     "the kernel placed it at %s (%s), carveout predicted %s", kw, at, pred);
		return;
	}
	enum cvo_boot_pool want = predicted_pool(m, r);
	if (b && b->pool != CVO_BOOT_POOL_NONE && b->pool != want) {
		EMIT(v, v->mismatch, CVO_SEV_ERROR, r->path, "compatible",
		     "the kernel's handler created %s (%s:%d), carveout predicted %s",
		     pool_name(b->pool), log->name, b->pool_line, pool_name(want));
		return;
	}
	if (b && (b->said & CVO_BOOT_RANGE) &&
	    (b->range_nomap != r->no_map || b->range_reusable != r->reusable))
		EMIT(v, v->mismatch, CVO_SEV_ERROR, r->path, NULL,
		     "the kernel recorded it %s %s (%s:%d), the device tree has it %s %s",
		     b->range_nomap ? "nomap" : "map",
		     b->range_reusable ? "reusable" : "non-reusable", log->name, b->range_line,
		     r->no_map ? "nomap" : "map", r->reusable ? "reusable" : "non-reusable");
}

/* Regions the log names that the DT does not have. */
static void compare_unknown(struct vctx *v)
{
	const struct cvo_model *m = v->ctx.m;
	const char *where = m->rmem_node >= 0 ? "/reserved-memory" : "/";
	for (size_t i = 0; i < v->log->n_regions; i++) {
		const struct cvo_boot_region *b = &v->log->regions[i];
		bool found = false;
		for (size_t j = 0; j < m->n_rmem && !found; j++)
			found = m->regions[j].node >= 0 && strcmp(m->regions[j].name, b->name) == 0;
		if (found)
			continue;
		struct outcome k;
		outcome_of(b, &k);
		char kw[160] = "";
		if (k.st == CVO_STATUS_PLACED && k.has_base) {
			char at[128];
			fmt_placed(at, sizeof(at), k.base, k.has_size, k.size, k.unit);
			snprintf(kw, sizeof(kw), ": placed at %s", at);
		} else if (k.st != CVO_STATUS_UNPLACED) {
			snprintf(kw, sizeof(kw), ": %s", status_verb(k.st));
		}
		EMIT(v, v->mismatch, CVO_SEV_ERROR, where, NULL,
		     "the kernel names a region \"%s\" (%s:%d%s), the device tree has no "
		     "/reserved-memory child of that name", b->name, v->log->name, b->line, kw);
	}
}

static void compare_default_cma(struct vctx *v)
{
	const struct cvo_model *m = v->ctx.m;
	const struct cvo_dmesg *log = v->log;
	const struct cvo_default_cma *d = &v->ctx.pl->default_cma;
	/* the DT's linux,cma-default region takes the Kconfig or cma= area's place: mm/cma.c
	 * prints nothing then; a DT area is compared as its region */
	bool dt = d->present && d->source == CVO_CMA_SOURCE_DT;
	enum cvo_boot_cma want = !d->present || dt ? CVO_BOOT_CMA_NONE
				 : d->placed	    ? CVO_BOOT_CMA_PLACED
						    : CVO_BOOT_CMA_FAILED;
	const char *path = dt && d->region >= 0 ? m->regions[d->region].path : "/";
	char pred[256], got[160], sz[48];
	if (want == CVO_BOOT_CMA_PLACED)
		snprintf(pred, sizeof(pred), "a default CMA area of %s at 0x%08" PRIx64 " (%s)",
			 cvo_fmt_size(d->size, sz, sizeof(sz)), d->base,
			 cvo_default_cma_source_name(d->source));
	else if (want == CVO_BOOT_CMA_FAILED) {
		char why[CVO_WHY_TEXT_MAX];
		cvo_default_cma_why_text(d, why, sizeof(why));
		snprintf(pred, sizeof(pred), "its default CMA area fails (%s)", why);
	}
	else if (dt)
		snprintf(pred, sizeof(pred), "none besides the DT's linux,cma-default region");
	else
		snprintf(pred, sizeof(pred), "no default CMA area");
	if (log->default_cma == CVO_BOOT_CMA_NONE && !log->complete) {
		if (want != CVO_BOOT_CMA_NONE)
			EMIT(v, v->silent, CVO_SEV_NOTE, path, NULL,
			     "the log ends before the kernel's memory setup is done: it does not "
			     "show the default CMA area (carveout predicted %s)", pred);
		return;
	}
	if (log->default_cma == CVO_BOOT_CMA_PLACED)
		snprintf(got, sizeof(got), "reserved a default CMA area of %" PRIu64 " MiB at 0x%08"
			 PRIx64 " (%s:%d)", log->default_cma_size >> 20, log->default_cma_base,
			 log->name, log->default_cma_line);
	else if (log->default_cma == CVO_BOOT_CMA_FAILED)
		snprintf(got, sizeof(got), "failed to reserve its default CMA area (%s:%d)",
			 log->name, log->default_cma_line);
	else
		snprintf(got, sizeof(got), "printed no \"cma: Reserved\" line");
	bool bad = log->default_cma != want;
	if (!bad && want == CVO_BOOT_CMA_PLACED)
		bad = log->default_cma_base != d->base || log->default_cma_size >> 20 != d->size >> 20;
	if (bad)
		EMIT(v, v->mismatch, CVO_SEV_ERROR, path, NULL,
		     "default CMA area: the kernel %s, carveout predicted %s", got, pred);
}

int cvo_verify(const struct cvo_placement *pl, const struct cvo_dmesg *log,
	       const struct cvo_check_config *config, struct cvo_report *report)
{
	const struct cvo_model *m = pl->model;
	int im = cvo_check_index("boot_mismatch"), is = cvo_check_index("boot_silent");
	if (im < 0 || is < 0)
		return CVO_ERR_INTERNAL;
	struct cvo_rules rules = cvo_rules_for(m->platform);
	struct vctx v = {
		.ctx = { .m = m, .pl = pl, .p = m->platform, .rules = &rules, .config = config,
			 .report = report },
		.mismatch = cvo_check_get((size_t)im),
		.silent = cvo_check_get((size_t)is),
		.log = log,
	};
	for (size_t i = 0; i < m->n_rmem; i++) {
		const struct cvo_region *r = &m->regions[i];
		if (r->node < 0)
			continue;
		compare_region(&v, r);
	}
	compare_unknown(&v);
	compare_default_cma(&v);
	cvo_report_sort(report);
	return v.ctx.err;
}

/* ------------------------------------------------------------------ --emit-platform */

static void put_quoted(struct cvo_sbuf *b, const char *s)
{
	cvo_sb_printf(b, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			cvo_sb_printf(b, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			cvo_sb_printf(b, "\\x%02x", *p);
		else
			cvo_sb_printf(b, "%c", *p);
	}
	cvo_sb_printf(b, "\"");
}

static bool name_ok(const char *s, size_t n)
{
	if (!n || n > 64 || s[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

int cvo_verify_platform_yaml(const struct cvo_platform *base, const struct cvo_dmesg *log,
			     char **out)
{
	struct cvo_sbuf b = { 0 };
	char ext[72], self[72];
	*out = NULL;
	/* what `extends` finds: a generic profile or board by name, a file by its stem */
	const char *f = base->file && strcmp(base->file, "builtin") ? base->file : NULL;
	const char *stem = f ? strrchr(f, '/') : NULL;
	stem = stem ? stem + 1 : f;
	size_t sl = stem ? strlen(stem) : 0;
	if (stem && sl > 5 && !strcmp(stem + sl - 5, ".yaml"))
		sl -= 5;
	if (stem && name_ok(stem, sl))
		snprintf(ext, sizeof(ext), "%.*s", (int)sl, stem);
	else if (base->name && name_ok(base->name, strlen(base->name)))
		snprintf(ext, sizeof(ext), "%s", base->name);
	else
		snprintf(ext, sizeof(ext), "generic-%s", cvo_arch_name(base->arch));
	snprintf(self, sizeof(self), "%.59s-boot", ext);

	cvo_sb_printf(&b, "# What a boot log showed, written by carveout verify --emit-platform.\n");
	cvo_sb_printf(&b, "platform: %s\n", self);
	cvo_sb_printf(&b, "extends: %s\n", ext);
	cvo_sb_printf(&b, "arch: %s\n", cvo_arch_name(base->arch));
	cvo_sb_printf(&b, "sources:\n  - ");
	{
		char src[600];
		snprintf(src, sizeof(src), "boot log %s:%s%s%s", log->name,
			 log->version ? " Linux version " : "", log->version ? log->version : "",
			 log->n_banks ? ", Early memory node ranges" : "");
		put_quoted(&b, src);
		cvo_sb_printf(&b, "\n");
	}
	if (log->kver_major || log->cmdline) {
		cvo_sb_printf(&b, "kernel:\n");
		if (log->kver_major)
			cvo_sb_printf(&b, "  version: \"%d.%d\"\n", log->kver_major, log->kver_minor);
		if (log->cmdline) {
			cvo_sb_printf(&b, "  cmdline: ");
			put_quoted(&b, log->cmdline);
			cvo_sb_printf(&b, "\n");
		}
	}
	if (log->n_banks) {
		cvo_sb_printf(&b, "memory:\n");
		for (size_t i = 0; i < log->n_banks; i++)
			cvo_sb_printf(&b, "  - { base: 0x%" PRIx64 ", size: 0x%" PRIx64 " }\n",
			    log->banks[i].base, log->banks[i].size);
	}
	if (b.oom) {
		free(b.s);
		return CVO_ERR_NOMEM;
	}
	*out = b.s;
	return 0;
}
