// SPDX-License-Identifier: MIT
/*
 * shared-dma-pool and CMA: what kernel/dma/contiguous.c (rmem_cma_setup(),
 * dma_contiguous_reserve(), dma_alloc_contiguous()), kernel/dma/coherent.c
 * (rmem_dma_setup()) and mm/cma.c do with the pools the DT declares and with
 * the default CMA area.
 */
#include "semantic.h"

/* The "cma=..." word of the platform command line, for messages. */
static const char *cmdline_cma(const struct cvo_platform *p, char *buf, size_t len)
{
	const char *s = p && p->cmdline ? p->cmdline : "";
	for (const char *w = s; *w;) {
		while (*w == ' ' || *w == '\t')
			w++;
		size_t n = strcspn(w, " \t");
		if (n > 4 && !strncmp(w, "cma=", 4)) {
			snprintf(buf, len, "%.*s", (int)n, w);
			return buf;
		}
		w += n;
	}
	snprintf(buf, len, "cma=");
	return buf;
}

/* The area devices allocate from: the default one, unless a DT linux,cma-default
 * region took over dma_contiguous_default_area after it was placed. */
static struct cvo_default_cma effective_default(const struct cvo_placement *pl)
{
	const struct cvo_model *m = pl->model;
	struct cvo_default_cma d = pl->default_cma;
	if (d.override_region >= 0) {
		const struct cvo_region *r = &m->regions[d.override_region];
		d.source = CVO_CMA_SOURCE_DT;
		d.region = d.override_region;
		d.placed = true;
		d.base = cvo_outcome(pl, r)->base;
		d.size = cvo_outcome(pl, r)->placed_size;
	}
	return d;
}

/* Where the default CMA area comes from, for messages. */
static const char *default_cma_what(const struct cvo_ctx *ctx, char *buf, size_t len)
{
	const struct cvo_model *m = ctx->m;
	const struct cvo_default_cma eff = effective_default(ctx->pl), *d = &eff;
	char origin[96], c[64];
	cvo_platform_origin(ctx->p, origin, sizeof(origin));
	if (d->source == CVO_CMA_SOURCE_DT && d->region >= 0)
		snprintf(buf, len, "the default CMA area %s (linux,cma-default)",
			 m->regions[d->region].path);
	else if (d->source == CVO_CMA_SOURCE_CMDLINE)
		snprintf(buf, len, "the default CMA area (%s on the command line of %s)",
			 cmdline_cma(ctx->p, c, sizeof(c)), origin);
	else
		snprintf(buf, len, "the default CMA area (CONFIG_CMA_SIZE_MBYTES=%llu of %s)",
			 (unsigned long long)(ctx->p ? ctx->p->config.cma_size_mbytes : 0), origin);
	return buf;
}

/* rmem_cma_setup() reads linux,cma-default only on a reusable, mapped pool. */
static void check_flags(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	for (size_t i = 0; i < m->n_rmem; i++) {
		const struct cvo_region *r = &m->regions[i];
		if (!cvo_region_scanned(m, r))
			continue;
		if (!r->cma_default || !r->compat_shared_dma_pool || r->compat_restricted_dma_pool)
			continue;
		if (r->reusable && !r->no_map)
			continue;
		const char *why, *then;
		if (r->reusable) {
			why = "reusable together with no-map";
			then = "both shared-dma-pool handlers refuse the node and the region is "
			       "freed (its no-map cleared)";
		} else {
			why = r->no_map ? "no-map and not reusable" : "not reusable";
			then = "rmem_cma_setup() refuses the pool before it reads the flag and the "
			       "coherent handler makes it a per-device pool";
		}
		cvo_emit(ctx, CVO_SEV_ERROR, r->path, "linux,cma-default", NULL,
			 "linux,cma-default on a pool that is %s: %s, so the flag is ignored and "
			 "the default CMA area comes from CONFIG_CMA_SIZE_MBYTES or cma=",
			 why, then);
	}
}

/* CMA_MIN_ALIGNMENT_BYTES, as the platform's kernel computes it. */
static void align_words(const struct cvo_platform *p, char *buf, size_t len)
{
	char ps[32];
	cvo_fmt_size(p->page_size ? p->page_size : 4096, ps, sizeof(ps));
	snprintf(buf, len, "%s pages, %s, kernel %d.%d", ps,
		 p->config.hugetlb_page == 1 ? "CONFIG_HUGETLB_PAGE" : "no CONFIG_HUGETLB_PAGE",
		 p->kver_major, p->kver_minor);
}

static void check_alignment(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	const struct cvo_platform *p = ctx->p;
	if (!p || !p->config.dma_cma)
		return;
	uint64_t align = ctx->rules->cma_min_align;
	if (!align)
		return;
	char words[96];
	align_words(p, words, sizeof(words));
	struct txt ta, tb, ts;
	for (size_t i = 0; i < m->n_rmem; i++) {
		const struct cvo_region *r = &m->regions[i];
		if (!cvo_region_scanned(m, r))
			continue;
		if (!cvo_region_is_cma(m, r))
			continue;
		/* rmem_cma_setup() bypasses a cma-default node first when cma= is given */
		if (r->cma_default && p->has_cmdline_cma)
			continue;
		uint64_t base, size;
		bool has_span = cvo_region_span(ctx->pl, r, &base, &size);
		if (!has_span) {
			if (r->is_static || !r->has_size || !r->size_len_ok || !r->size)
				continue;
			base = 0;
			size = r->size;
		}
		/* a dynamic base is aligned to max(alignment, CMA minimum) only when that is
		 * a power of two: memblock rounds down with a mask (memblock_find_in_range()) */
		bool bad_base = (r->is_static || has_span) && (base & (align - 1));
		bool bad_size = size & (align - 1);
		if (!bad_base && !bad_size)
			continue;
		const char *prop = r->is_static ? "reg" : bad_base ? "alignment" : "size";
		char what[160];
		if (bad_base && bad_size)
			snprintf(what, sizeof(what), "base %s and size %s are", t_addr(&tb, base),
				 t_size(&ts, size));
		else if (bad_base)
			snprintf(what, sizeof(what), "base %s is", t_addr(&tb, base));
		else
			snprintf(what, sizeof(what), "size %s is", t_size(&ts, size));
		cvo_emit(
		    ctx, CVO_SEV_ERROR, r->path, prop, NULL,
		    "%s not a multiple of the CMA minimum alignment %s (%s): rmem_cma_setup() "
		    "prints \"Reserved memory: incorrect alignment of CMA region\" and the region "
		    "is freed, so its users fail with -EINVAL%s",
		    what, t_size(&ta, align), words,
		    r->is_static ? ""
		    : bad_base	 ? " (the kernel places a dynamic region at a multiple of its "
				   "alignment only when that is a power of two)"
				 : " (the kernel aligns a dynamic region's base, never its "
				   "size)");
	}
	/* cma=size@base: a fixed base is never aligned for you */
	const struct cvo_default_cma *d = &ctx->pl->default_cma;
	if (d->present && !d->placed && d->source == CVO_CMA_SOURCE_CMDLINE &&
	    d->why == CVO_CMA_WHY_ALIGN) {
		char c[64];
		cvo_emit(
		    ctx, CVO_SEV_ERROR, "/", NULL, NULL,
		    "%s on the platform command line fixes the default CMA area at %s, which is "
		    "not a multiple of %s (%s): \"cma: Region at %s must be aligned to 0x%llx "
		    "bytes\", and the kernel has no default CMA area",
		    cmdline_cma(p, c, sizeof(c)), t_addr(&tb, d->base), t_size(&ta, align), words,
		    t_addr(&ts, d->base), (unsigned long long)align);
	}
}

static void check_multiple_default(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	if (ctx->p && ctx->p->has_cmdline_cma)
		return; /* every one is bypassed: cma_cmdline_override */
	const struct cvo_region *first = NULL;
	const struct cvo_default_cma *d = &ctx->pl->default_cma;
	const struct cvo_region *winner =
	    d->source == CVO_CMA_SOURCE_DT && d->region >= 0 ? &m->regions[d->region] : NULL;
	for (size_t i = 0; i < m->n_rmem; i++) {
		const struct cvo_region *r = &m->regions[i];
		if (!cvo_region_scanned(m, r))
			continue;
		if (!r->cma_default || !cvo_region_is_cma(m, r))
			continue;
		if (!first) {
			first = r;
			continue;
		}
		const char *rel[] = {first->path, NULL};
		char keep[200];
		if (winner)
			snprintf(keep, sizeof(keep), " (here %s)", winner->path);
		else
			keep[0] = '\0';
		cvo_emit(
		    ctx, CVO_SEV_WARNING, r->path, "linux,cma-default", rel,
		    "another linux,cma-default region (the first is %s): the kernel has one "
		    "default CMA area and silently keeps the last region it initialises%s; the "
		    "other stays a CMA area no device uses",
		    first->path, keep);
	}
}

struct boundary {
	uint64_t at;
	const char *name;
};

/* A zone boundary or a RAM hole inside [base, base+size). */
static void straddle_one(struct cvo_ctx *ctx, const char *path, const char *prop, const char *what,
			 uint64_t base, uint64_t size)
{
	const struct cvo_model *m = ctx->m;
	uint64_t ram_start, ram_end;
	cvo_ram_bounds(m, &ram_start, &ram_end);
	uint64_t last = cvo_range_last(base, size);
	struct boundary b[3];
	size_t nb = 0;
	if (ctx->pl->zone_dma_end)
		b[nb++] =
		    (struct boundary){ctx->pl->zone_dma_end, ctx->p && ctx->p->arch == CVO_ARCH_ARM
								 ? "the ZONE_DMA end (lowmem)"
								 : "the ZONE_DMA end"};
	if (ctx->pl->zone_dma32_end && ctx->pl->zone_dma32_end != ctx->pl->zone_dma_end)
		b[nb++] = (struct boundary){ctx->pl->zone_dma32_end, "the ZONE_DMA32 end"};
	if (ctx->p && ctx->p->arch == CVO_ARCH_ARM) {
		uint64_t low = cvo_arm_lowmem_limit(m);
		if (low && low != ctx->pl->zone_dma_end)
			b[nb++] = (struct boundary){low, "the start of highmem"};
	}
	struct txt tr, tx;
	for (size_t i = 0; i < nb; i++) {
		if (b[i].at <= base || b[i].at > last || b[i].at >= ram_end)
			continue;
		cvo_emit(ctx, CVO_SEV_ERROR, path, prop, NULL,
			 "%s (%s) crosses %s at %s: cma_activate_area() needs every page in one "
			 "zone, so \"CMA area %s could not be activated\" and it hands out nothing",
			 what, t_range(&tr, base, size), b[i].name, t_addr(&tx, b[i].at),
			 strrchr(path, '/') && path[1] ? strrchr(path, '/') + 1 : "reserved");
		return;
	}
	/* holes between the (sorted, merged) banks */
	for (size_t i = 0; i + 1 < m->n_banks; i++) {
		uint64_t hole = m->banks[i].base + m->banks[i].size, next = m->banks[i + 1].base;
		if (!m->banks[i].size || hole >= next)
			continue;
		if (base < hole && last >= next) {
			char hs[64];
			cvo_fmt_size(next - hole, hs, sizeof(hs));
			cvo_emit(
			    ctx, CVO_SEV_ERROR, path, prop, NULL,
			    "%s (%s) spans the hole in RAM at %s (%s without memory): "
			    "cma_activate_area() finds pages that are not valid RAM (a WARN, or "
			    "\"CMA area could not be activated\") and the area is unusable",
			    what, t_range(&tr, base, size), t_addr(&tx, hole), hs);
			return;
		}
	}
}

static void check_zone_straddle(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	if (!m->n_banks)
		return;
	char what[200];
	for (size_t i = 0; i < m->n_rmem; i++) {
		const struct cvo_region *r = &m->regions[i];
		if (!cvo_region_scanned(m, r))
			continue;
		uint64_t base, size;
		if (!cvo_region_is_cma(m, r) || !cvo_region_alive(ctx->pl, r) ||
		    !cvo_region_span(ctx->pl, r, &base, &size))
			continue;
		snprintf(what, sizeof(what), "this CMA region%s",
			 r->is_static ? "" : ", where the kernel places it,");
		straddle_one(ctx, r->path, r->is_static ? "reg" : "size", what, base, size);
	}
	const struct cvo_default_cma *d = &ctx->pl->default_cma;
	if (d->present && d->placed && d->source != CVO_CMA_SOURCE_DT) {
		default_cma_what(ctx, what, sizeof(what));
		straddle_one(ctx, "/", NULL, what, d->base, d->size);
	}
}

/* The property a fix to a DT default CMA region goes to. */
static const char *cma_region_prop(const struct cvo_region *r)
{
	return r->is_static ? "reg" : r->has_alloc_ranges ? "alloc-ranges" : "size";
}

#define UNREACH_FMT                                                                                \
	"%s %s, but %s reaches only %s%s; the device allocates from the area (cma: %s in %s) and " \
	"dma_alloc_coherent() discards the CMA pages it cannot reach (dma_coherent_ok()), "        \
	"falling back to the buddy allocator"

static void check_unreachable(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	const struct cvo_default_cma eff = effective_default(ctx->pl), *d = &eff;
	if (!ctx->p || !ctx->p->n_devices || !d->present || !d->placed || !d->size)
		return;
	const struct cvo_tree *t = ctx_tree(ctx);
	if (!t)
		return;
	struct cvo_dma_dev *dev;
	size_t n;
	if (ctx_failed(ctx, cvo_dma_devices(ctx->m, &dev, &n)))
		return;
	bool dt = d->source == CVO_CMA_SOURCE_DT && d->region >= 0;
	const struct cvo_region *r = dt ? &m->regions[d->region] : NULL;
	char what[200], origin[96];
	if (dt)
		snprintf(what, sizeof(what), "this default CMA area (linux,cma-default)");
	else
		default_cma_what(ctx, what, sizeof(what));
	cvo_platform_origin(ctx->p, origin, sizeof(origin));
	for (size_t i = 0; i < n; i++) {
		const struct cvo_dma_dev *e = &dev[i];
		if (!e->pdev->has_cma || !e->pdev->cma || e->di.iommu ||
		    cvo_consumer_own_cma(ctx->pl, e->consumer))
			continue;
		uint64_t ok = cvo_dma_reachable_bytes(&e->di, d->base, d->size);
		if (ok == d->size)
			continue;
		struct txt tp, tr, tw, tc;
		const char *dpath = t_path(&tp, ctx_fdt(ctx), e->node);
		char *placed;
		if (r && r->is_static)
			placed = cvo_asprintf("is at %s", t_range(&tr, d->base, d->size));
		else
			placed = cvo_asprintf(
			    "is placed by the kernel at %s%s", t_range(&tr, d->base, d->size),
			    r && !r->has_alloc_ranges ? " (no alloc-ranges: the top of RAM)" : "");
		if (ctx_oom(ctx, !placed))
			break;
		char part[64] = "";
		if (ok)
			snprintf(part, sizeof(part), ", %s of the area",
				 cvo_fmt_size(ok, tc.s, sizeof(tc.s)));
		char need[32];
		cvo_fmt_size(e->pdev->cma, need, sizeof(need));
		if (r) {
			const char *rel[] = {dpath, NULL};
			cvo_emit(ctx, CVO_SEV_ERROR, r->path, cma_region_prop(r), rel, UNREACH_FMT,
				 what, placed, dpath,
				 t_reach(&tw, ctx, &e->di, &e->x), part, need, origin);
		} else {
			cvo_emit(ctx, CVO_SEV_ERROR, dpath, NULL, NULL, UNREACH_FMT, what, placed,
				 dpath, t_reach(&tw, ctx, &e->di, &e->x),
				 part, need, origin);
		}
		free(placed);
	}
	free(dev);
}

struct demand {
	const struct cvo_dma_dev *dev;
	uint64_t avail; /* bytes of the default area the device reaches */
};

static int cmp_demand(const void *a, const void *b)
{
	const struct demand *x = a, *y = b;
	if (x->avail != y->avail)
		return x->avail < y->avail ? -1 : 1;
	return x->dev->node - y->dev->node;
}

static void check_undersized(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	const struct cvo_platform *p = ctx->p;
	if (!p || !p->n_devices)
		return;
	bool any = false;
	for (size_t i = 0; i < p->n_devices; i++)
		any |= p->devices[i].has_cma && p->devices[i].cma;
	if (!any)
		return;
	const struct cvo_tree *t = ctx_tree(ctx);
	if (!t)
		return;
	struct cvo_dma_dev *dev = NULL;
	size_t n = 0, k = 0;
	struct demand *dm = NULL;
	if (ctx_failed(ctx, cvo_dma_devices(ctx->m, &dev, &n)) || !n)
		goto out;
	dm = calloc(n, sizeof(*dm));
	if (ctx_oom(ctx, !dm))
		goto out;
	const struct cvo_default_cma eff = effective_default(ctx->pl), *d = &eff;
	bool have = d->present && d->placed && d->size;
	for (size_t i = 0; i < n; i++) {
		const struct cvo_dma_dev *e = &dev[i];
		if (!e->pdev->has_cma || !e->pdev->cma ||
		    cvo_consumer_own_cma(ctx->pl, e->consumer))
			continue;
		uint64_t avail = 0;
		if (have)
			avail = e->di.iommu ? d->size
					    : cvo_dma_reachable_bytes(&e->di, d->base, d->size);
		/* an area wholly out of reach is cma_unreachable's finding */
		if (have && !avail)
			continue;
		dm[k++] = (struct demand){e, avail};
	}
	qsort(dm, k, sizeof(*dm), cmp_demand);
	char what[200], origin[96], why[CVO_WHY_TEXT_MAX];
	default_cma_what(ctx, what, sizeof(what));
	cvo_platform_origin(p, origin, sizeof(origin));
	cvo_default_cma_why_text(d, why, sizeof(why));
	uint64_t need = 0;
	for (size_t i = 0; i < k; i++) {
		uint64_t add = dm[i].dev->pdev->cma;
		need = need > UINT64_MAX - add ? UINT64_MAX : need + add;
		/* every device of the same reach is counted before the comparison */
		if (i + 1 < k && dm[i + 1].avail == dm[i].avail)
			continue;
		if (need <= dm[i].avail)
			continue;
		/* the tightest group that does not fit: name its devices */
		struct sbuf list = {0};
		const char *rel[9] = {NULL};
		size_t nrel = 0;
		struct txt tp, ts;
		for (size_t j = 0; j <= i; j++) {
			if (j)
				sb_add(&list, ", ");
			sb_add(&list, t_path(&tp, ctx_fdt(ctx), dm[j].dev->node));
			sb_add(&list, " ");
			sb_add(&list, t_size(&ts, dm[j].dev->pdev->cma));
		}
		struct txt tn, ta, tw, tq;
		const char *dpath = t_path(&tq, ctx_fdt(ctx), dm[i].dev->node);
		char rels[8][128];
		for (size_t j = 0; j < i && nrel < 7; j++)
			if (!fdt_get_path(ctx_fdt(ctx), dm[j].dev->node, rels[nrel],
					  sizeof(rels[0])))
				rel[nrel] = rels[nrel], nrel++;
		if (d->source == CVO_CMA_SOURCE_DT && d->region >= 0 && nrel < 8)
			rel[nrel++] = m->regions[d->region].path;
		char *limit, *who;
		if (!have || dm[i].avail == d->size)
			who =
			    cvo_asprintf("the devices that allocate from the default CMA area need "
					 "%s at their peaks",
					 t_size(&tn, need));
		else
			who =
			    cvo_asprintf("the devices that reach only part of the default CMA area "
					 "need %s from that part",
					 t_size(&tn, need));
		if (!have) {
			if (!p->config.dma_cma)
				limit =
				    cvo_asprintf("the kernel has no CMA at all (CONFIG_DMA_CMA is "
						 "off in %s)",
						 origin);
			else if (d->present && d->why != CVO_CMA_WHY_NONE)
				limit =
				    cvo_asprintf("the kernel has no default CMA area (%s: \"%s\")",
						 what, why);
			else
				limit = cvo_asprintf(
				    "the kernel has no default CMA area (size 0 in %s)", origin);
		} else if (dm[i].avail == d->size) {
			limit = cvo_asprintf("%s holds only %s", what, t_size(&ta, d->size));
		} else {
			limit = cvo_asprintf("only %s of %s lies within %s's reach (%s)",
					     t_size(&ta, dm[i].avail), what, dpath,
					     t_reach(&tw, ctx, &dm[i].dev->di, &dm[i].dev->x));
		}
		if (!sb_oom(ctx, &list) && !ctx_oom(ctx, !who) && !ctx_oom(ctx, !limit))
			cvo_emit(ctx, CVO_SEV_ERROR, dpath, NULL, nrel ? rel : NULL,
				 "%s (%s; cma: in %s), but %s: cma_alloc() fails once it is used "
				 "up and the allocations fall back to the buddy allocator",
				 who, sb_str(&list), origin, limit);
		free(who);
		free(limit);
		free(list.s);
		break;
	}
out:
	free(dm);
	free(dev);
}

static void check_cmdline_override(struct cvo_ctx *ctx)
{
	const struct cvo_platform *p = ctx->p;
	if (!p || !p->has_cmdline_cma)
		return;
	char c[64], origin[96];
	cmdline_cma(p, c, sizeof(c));
	cvo_platform_origin(p, origin, sizeof(origin));
	for (size_t i = 0; i < ctx->m->n_rmem; i++) {
		const struct cvo_region *r = &ctx->m->regions[i];
		if (!cvo_region_scanned(ctx->m, r))
			continue;
		if (!r->cma_default || !cvo_region_is_cma(ctx->m, r))
			continue;
		cvo_emit(ctx, CVO_SEV_NOTE, r->path, "linux,cma-default", NULL,
			 "%s on the command line of %s wins: rmem_cma_setup() bypasses this node "
			 "(\"Reserved memory: bypass %s node, using cmdline CMA params instead\"), "
			 "the region is given back, and the default CMA area is the one cma= "
			 "describes (kernels from about 6.19 skip the node before reserving it)",
			 c, origin, r->name);
	}
}

/* cma_init_reserved_mem() / cma_declare_contiguous_nid(): "Not enough slots". The
 * order in which areas take slots is placement's (place.c). */
static void check_areas_exceeded(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	const struct cvo_platform *p = ctx->p;
	if (!p || !p->config.dma_cma)
		return;
	size_t total = 0;
	for (size_t i = 0; i < m->n_rmem; i++) {
		const struct cvo_region *r = &m->regions[i];
		if (cvo_region_scanned(m, r) && cvo_region_is_cma(m, r) &&
		    !(r->cma_default && p->has_cmdline_cma))
			total++;
	}
	const struct cvo_default_cma *d = &ctx->pl->default_cma;
	bool dflt = d->present && d->source != CVO_CMA_SOURCE_DT;
	total += dflt;
	char limit[160];
	snprintf(limit, sizeof(limit), "CONFIG_CMA_AREAS=%d%s", p->config.cma_areas,
		 ctx->rules->max_cma_plus_one ? ", plus one slot before 6.9" : "");
	for (size_t i = 0; i < m->n_rmem; i++) {
		const struct cvo_region *r = &m->regions[i];
		if (!cvo_region_scanned(m, r))
			continue;
		if (!cvo_region_is_cma(m, r) ||
		    cvo_outcome(ctx->pl, r)->status != CVO_STATUS_FAILED ||
		    cvo_outcome(ctx->pl, r)->why != CVO_WHY_CMA_NO_SLOT)
			continue;
		cvo_emit(ctx, CVO_SEV_ERROR, r->path, NULL, NULL,
			 "%zu CMA areas for the kernel's table (%s): no slot is left for this one, "
			 "\"Not enough slots for CMA reserved regions!\" and \"Reserved memory: "
			 "unable to setup CMA region\", so the region is freed",
			 total, limit);
	}
	if (dflt && !d->placed && d->why == CVO_CMA_WHY_NO_SLOT) {
		char what[200];
		default_cma_what(ctx, what, sizeof(what));
		cvo_emit(
		    ctx, CVO_SEV_ERROR, "/", NULL, NULL,
		    "%zu CMA areas for the kernel's table (%s): the DT's CMA regions take every "
		    "slot before %s is reserved (\"Not enough slots for CMA reserved regions!\"), "
		    "so the kernel has no default CMA area",
		    total, limit, what);
	}
}

/* rmem_dma_setup() and the first device attach (dma_init_coherent_memory()) */
static void check_pool_nomap(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	bool arm = ctx->p && ctx->p->arch == CVO_ARCH_ARM;
	for (size_t i = 0; i < m->n_rmem; i++) {
		const struct cvo_region *r = &m->regions[i];
		if (!cvo_region_scanned(m, r))
			continue;
		if (!r->compat_shared_dma_pool || r->compat_restricted_dma_pool || r->reusable ||
		    r->no_map)
			continue;
		/* an attach needs a memory-region phandle: with no user and no label an overlay
		 * could name, nothing can attach the pool */
		bool unnamed = !r->n_users && !r->has_symbol;
		uint64_t base, size;
		bool span = cvo_region_span(ctx->pl, r, &base, &size);
		if (arm) {
			if (unnamed)
				cvo_emit(ctx, CVO_SEV_NOTE, r->path, NULL, NULL,
					 "a shared-dma-pool that is neither reusable nor no-map: on arm "
					 "rmem_dma_setup() refuses it (\"Reserved memory: regions without "
					 "no-map are not yet supported\") and the region is freed; nothing "
					 "names it (no memory-region, no __symbols__ label), so no device "
					 "loses a pool and the memory is ordinary RAM");
			else
				cvo_emit(ctx, CVO_SEV_ERROR, r->path, NULL, NULL,
					 "a shared-dma-pool that is neither reusable nor no-map: on arm "
					 "rmem_dma_setup() refuses it (\"Reserved memory: regions without "
					 "no-map are not yet supported\") and the region is freed, so the "
					 "devices using it get no pool");
			continue;
		}
		/* memremap() refuses only System RAM (region_intersects()): a pool wholly
		 * outside RAM is ioremap_wc()ed and works */
		if (span && m->n_banks && !cvo_ram_bytes(m, base, size))
			continue;
		if (unnamed)
			cvo_emit(ctx, CVO_SEV_NOTE, r->path, NULL, NULL,
				 "a shared-dma-pool that is neither reusable nor no-map: the kernel "
				 "creates the pool (\"created DMA memory pool at ...\") but nothing "
				 "names it (no memory-region, no __symbols__ label), so no device "
				 "attaches it and it stays reserved, unused; an attach would fail "
				 "(\"memremap attempted on ram\")");
		else
			cvo_emit(
			    ctx, CVO_SEV_ERROR, r->path, NULL, NULL,
			    "a shared-dma-pool that is neither reusable nor no-map: it becomes a "
			    "coherent pool but stays in the kernel's linear map as System RAM, "
			    "so the first device attach cannot memremap() it write-combined "
			    "(\"memremap attempted on ram\") and fails with -EINVAL");
	}
}

/* rmem_dma_setup(): linux,dma-default under CONFIG_DMA_GLOBAL_POOL */
static void check_default_pool(struct cvo_ctx *ctx)
{
	const struct cvo_platform *p = ctx->p;
	/* arm selects DMA_GLOBAL_POOL if !MMU: an M-profile board's kernel honours the flag */
	bool nommu = ctx->m->no_mmu && (!p || p->arch == CVO_ARCH_ARM);
	bool global = (p && p->config.dma_global_pool == 1) || nommu;
	char origin[96];
	cvo_platform_origin(p, origin, sizeof(origin));
	const struct cvo_region *first = NULL;
	for (size_t i = 0; i < ctx->m->n_rmem; i++) {
		const struct cvo_region *r = &ctx->m->regions[i];
		if (!cvo_region_scanned(ctx->m, r))
			continue;
		if (!r->dma_default || r->compat_restricted_dma_pool)
			continue;
		if (!global) {
			cvo_emit(
			    ctx, CVO_SEV_WARNING, r->path, "linux,dma-default", NULL,
			    "linux,dma-default has no effect: only CONFIG_DMA_GLOBAL_POOL "
			    "kernels read it (a few no-MMU and RISC-V RZ/Five platforms), and %s "
			    "has none",
			    origin);
		} else if (!r->compat_shared_dma_pool) {
			cvo_emit(ctx, CVO_SEV_WARNING, r->path, "linux,dma-default", NULL,
				 "linux,dma-default without the shared-dma-pool compatible: no "
				 "handler reads it, so the kernel has no global coherent area and "
				 "every coherent allocation of a non-coherent device fails");
		} else if (r->reusable) {
			cvo_emit(
			    ctx, CVO_SEV_WARNING, r->path, "linux,dma-default", NULL,
			    "linux,dma-default on a reusable pool: the CMA handler ignores the "
			    "flag and the coherent handler refuses reusable regions, so the "
			    "kernel has no global coherent area");
		} else if (first) {
			const char *rel[] = {first->path, NULL};
			cvo_emit(
			    ctx, CVO_SEV_WARNING, r->path, "linux,dma-default", rel,
			    "another linux,dma-default region (the first is %s): \"Reserved "
			    "memory: region for default DMA coherent area is redefined\" and the "
			    "last one the kernel initialises wins",
			    first->path);
		} else {
			first = r;
		}
	}
}

#define EXPLAIN(...) __VA_ARGS__

/* arch/arm/mm/mmu.c dma_contiguous_remap() over the ranges dma_contiguous_early_fixup()
 * recorded (placement computes each region's outcome: struct cvo_region.remap) */
static void check_early_remap(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	for (size_t i = 0; i < m->n_rmem; i++) {
		const struct cvo_region *r = &m->regions[i];
		if (cvo_outcome(ctx->pl, r)->remap < CVO_REMAP_SPLIT || !cvo_region_scanned(m, r))
			continue;
		uint64_t base = cvo_outcome(ctx->pl, r)->remap_base,
			 last = cvo_outcome(ctx->pl, r)->remap_base +
				cvo_outcome(ctx->pl, r)->remap_size - 1;
		const char *why = cvo_outcome(ctx->pl, r)->refused
				      ? " (dma_contiguous_early_fixup() recorded the range "
					"before rmem_cma_setup() rejected the region)"
				      : "";
		if (cvo_outcome(ctx->pl, r)->remap == CVO_REMAP_SPLIT) {
			cvo_emit(ctx, CVO_SEV_ERROR, r->path, "reg", NULL,
				 "the arm early CMA remap of 0x%08" PRIx64 "..0x%08" PRIx64 " misses its "
				 "last 2 MiB block, so the boot hangs: dma_contiguous_remap() clears PMDs "
				 "in 2 MiB steps from the base, which lies deeper in its block (+0x%" PRIx64
				 ") than the last byte (+0x%" PRIx64 "), then maps pages over a section "
				 "mapping%s",
				 base, last, base % (UINT64_C(2) << 20), last % (UINT64_C(2) << 20), why);
		} else if (cvo_outcome(ctx->pl, r)->remap == CVO_REMAP_PARTIAL &&
			   cvo_outcome(ctx->pl, r)->remap_hit) {
			cvo_emit(ctx, CVO_SEV_ERROR, r->path, "reg", NULL,
				 "the arm early CMA remap of 0x%08" PRIx64 "..0x%08" PRIx64 " leaves "
				 "part of its 2 MiB blocks unmapped and the kernel's next early "
				 "allocation lands there (0x%08" PRIx64 "), so the boot hangs: "
				 "dma_contiguous_remap() clears whole blocks but maps only the range "
				 "again (\"Unable to handle kernel paging request\")%s",
				 base, last, cvo_outcome(ctx->pl, r)->remap_hit, why);
		} else if (cvo_outcome(ctx->pl, r)->remap == CVO_REMAP_PARTIAL) {
			cvo_emit(ctx, CVO_SEV_ERROR, r->path, "reg", NULL,
				 "the arm early CMA remap of 0x%08" PRIx64 "..0x%08" PRIx64 " leaves "
				 "the rest of its first or last 2 MiB block unmapped, so the first use "
				 "of that memory faults later: dma_contiguous_remap() clears whole "
				 "blocks but maps only the range again%s",
				 base, last, why);
		} else {
			const char *other =
			    cvo_outcome(ctx->pl, r)->remap_other >= 0
				? m->regions[cvo_outcome(ctx->pl, r)->remap_other].path
				: "the default CMA area";
			cvo_emit(ctx, CVO_SEV_ERROR, r->path, "reg", NULL,
				 "the arm early CMA remap of 0x%08" PRIx64 "..0x%08" PRIx64 " overlaps "
				 "the one of %s, so the boot hangs: the second dma_contiguous_remap() "
				 "pass clears the page tables the first one built%s",
				 base, last, other, why);
		}
	}
}

const struct cvo_check cvo_checks_cma[] = {
    {
	"cma_flags",
	CVO_SEV_ERROR,
	"cma",
	"linux,cma-default on a pool that is not reusable or has no-map: the flag is ignored",
	EXPLAIN("What: a shared-dma-pool with linux,cma-default must also be reusable and must "
		"not be no-map.\n"
		"Why: rmem_cma_setup() (kernel/dma/contiguous.c) only takes reusable, mapped "
		"regions; it refuses anything else before it looks at linux,cma-default. A "
		"non-reusable region becomes a per-device coherent pool (rmem_dma_setup()); a "
		"reusable no-map one is refused by both handlers and freed. Either way no "
		"message says the flag was dropped, and the default CMA area silently comes "
		"from CONFIG_CMA_SIZE_MBYTES or cma= instead.\n"
		"Example: linux,cma { compatible = \"shared-dma-pool\"; size = <0x0 0x8000000>; "
		"no-map; linux,cma-default; };\n"
		"Fix: replace no-map with reusable (CMA memory is lent to the page allocator "
		"while no device uses it)."),
	check_flags,
    },
    {
	"cma_alignment",
	CVO_SEV_ERROR,
	"cma",
	"a CMA region's base or size is not a multiple of the CMA minimum alignment",
	EXPLAIN(
	    "What: the base (static regions) and size of every CMA region against "
	    "CMA_MIN_ALIGNMENT_BYTES for the platform's page size, hugetlb setting and "
	    "kernel version (>= 5.19: PAGE_SIZE << pageblock_order, 2 MiB with 4 KiB pages "
	    "and hugetlb, else PAGE_SIZE << the largest buddy order: 4 MiB with 4 KiB pages "
	    "and the default MAX_ORDER, 8 MiB on Debian's armmp (ARCH_FORCE_MAX_ORDER=12); "
	    "512 MiB with 64 KiB pages; before: PAGE_SIZE << max(MAX_ORDER - 1, "
	    "pageblock_order), 4 MiB with 4 KiB pages). A fixed cma=SIZE@BASE "
	    "on the platform command line is checked too.\n"
	    "Why: rmem_cma_setup() prints \"Reserved memory: incorrect alignment of CMA "
	    "region\" and returns -EINVAL, so the region is freed and every device using it "
	    "fails (\"of_reserved_mem_device_init failed. return=-22\"). For a dynamic "
	    "region the kernel aligns the base but never rounds the size. On 64 KiB-page "
	    "arm64 kernels a 64 MiB linux,cma fails this way (raspberrypi/linux#6053).\n"
	    "Example: cma@30000000 { compatible = \"shared-dma-pool\"; reusable; reg = <0x30000000 "
	    "0x100000>; }; (1 MiB)\n"
	    "Fix: make base and size multiples of the alignment named in the message."),
	check_alignment,
    },
    {
	"cma_multiple_default",
	CVO_SEV_WARNING,
	"cma",
	"more than one linux,cma-default region",
	EXPLAIN("What: two or more CMA regions carry linux,cma-default.\n"
		"Why: rmem_cma_setup() sets dma_contiguous_default_area for each, so the last "
		"one initialised wins silently; which one that is depends on the kernel version "
		"(sorted by address before ~6.13, dynamic regions first after). The other stays "
		"a CMA area that no device uses.\n"
		"Example: two shared-dma-pool nodes, both reusable with linux,cma-default.\n"
		"Fix: keep linux,cma-default on one region."),
	check_multiple_default,
    },
    {
	"cma_zone_straddle",
	CVO_SEV_ERROR,
	"cma",
	"a CMA region (DT or the Kconfig default) crosses a zone boundary or a hole in RAM",
	EXPLAIN("What: every CMA region (where it is or where the kernel places it) and the "
		"default CMA area against the zone boundaries of the platform's kernel (arm64 "
		"ZONE_DMA and ZONE_DMA32 ends, arm's lowmem/highmem boundary) and the holes "
		"between /memory banks.\n"
		"Why: cma_activate_area() (mm/cma.c) requires every page of an area to be valid "
		"and in one zone, because alloc_contig_range() works within a zone. Otherwise it "
		"prints \"CMA area %s could not be activated\" and the area hands out nothing "
		"(its pages go back to the buddy allocator on recent kernels); pages in a hole "
		"are not RAM at all.\n"
		"Example: arm64 with 8 GiB from 0x40000000: cma { reusable; reg = <0x0 0xf0000000 "
		"0x0 0x20000000>; } crosses the ZONE_DMA32 end at 0x100000000.\n"
		"Fix: keep the region below or above the boundary (reg, or alloc-ranges for a "
		"dynamic region), inside one bank."),
	check_zone_straddle,
    },
    {
	"cma_unreachable",
	CVO_SEV_ERROR,
	"cma",
	"the default CMA area lands beyond the reach of a non-IOMMU device that allocates from it",
	EXPLAIN("What: where the default CMA area is (a DT linux,cma-default region, or the "
		"area dma_contiguous_reserve() places from CONFIG_CMA_SIZE_MBYTES or cma=) "
		"against what each device reaches that takes memory from it (cma: in the "
		"platform file, no IOMMU, no CMA region of its own).\n"
		"Why: a dynamic linux,cma-default region without alloc-ranges is allocated "
		"top-down anywhere in RAM: on Debian's 6.1 arm64 kernel under QEMU -m 6G a 128 "
		"MiB area landed at 0x1b8000000, above 4 GiB. dma_alloc_contiguous() hands out "
		"pages from it and __dma_direct_alloc_pages() discards those the device cannot "
		"reach (dma_coherent_ok()), falling back to the buddy allocator, which fails "
		"for a 32-bit device without ZONE_DMA/ZONE_DMA32 (the qcom_scm thread, 2024).\n"
		"Example: linux,cma { compatible = \"shared-dma-pool\"; reusable; size = <0x0 "
		"0x8000000>; linux,cma-default; }; with 6 GiB of RAM and a device with dma-bits: "
		"32 and cma: 4M.\n"
		"Fix: add alloc-ranges below the device's limit (or a static reg there)."),
	check_unreachable,
    },
    {
	"cma_undersized",
	CVO_SEV_ERROR,
	"cma",
	"the CMA demand of devices below their reach exceeds what the default area has there",
	EXPLAIN("What: the peak contiguous demand (cma: in the platform file) of the devices "
		"that allocate from the default CMA area, grouped by reach, against the part of "
		"the area each group reaches; devices with their own CMA region are left out, "
		"devices behind an IOMMU count against the whole area.\n"
		"Why: cma_alloc() fails once the reachable part is used up, and the fallback "
		"to the buddy allocator cannot give large physically contiguous buffers (or any "
		"buffer below the device's limit without a DMA zone). Drivers then fail with "
		"-ENOMEM long after boot.\n"
		"Example: two 32-bit devices with cma: 64M each and a 64 MiB default area.\n"
		"Fix: enlarge the area (size, CONFIG_CMA_SIZE_MBYTES or cma=) and keep it within "
		"the devices' reach, or give the heavy users their own CMA regions."),
	check_undersized,
    },
    {
	"cma_cmdline_override",
	CVO_SEV_NOTE,
	"cma",
	"the platform's cma= makes the kernel drop the DT linux,cma-default region",
	EXPLAIN("What: the platform's command line has cma= and the DT has a linux,cma-default "
		"CMA region.\n"
		"Why: rmem_cma_setup() checks cma= first: \"Reserved memory: bypass %s node, "
		"using cmdline CMA params instead\" and -EBUSY, so the region is given back and "
		"dma_contiguous_reserve() builds the default area from cma=. Kernels from about "
		"6.19 skip the node before reserving it (\"Skipping dt linux,cma-default for "
		"\\\"cma=\\\" kernel param.\"). Nothing is wrong, but the DT region is not what "
		"the board runs with.\n"
		"Example: cmdline \"cma=256M\" and linux,cma { reusable; size = <0x0 0x4000000>; "
		"linux,cma-default; };\n"
		"Fix: drop one of the two so the DT says what runs."),
	check_cmdline_override,
    },
    {
	"cma_areas_exceeded",
	CVO_SEV_ERROR,
	"cma",
	"more CMA regions than CONFIG_CMA_AREAS slots",
	EXPLAIN("What: the number of CMA areas the kernel sets up (each reusable shared-dma-pool "
		"plus the default area from CONFIG_CMA_SIZE_MBYTES or cma=) against "
		"MAX_CMA_AREAS (CONFIG_CMA_AREAS; one more before 6.9: default 7, 19 with NUMA, "
		"later 8 and 20). The order in which areas take slots is the kernel's, as "
		"placement simulates it.\n"
		"Why: cma_init_reserved_mem() prints \"Not enough slots for CMA reserved "
		"regions!\" and rmem_cma_setup() \"Reserved memory: unable to setup CMA "
		"region\": the region is freed. The default area is set up last on arm64, so it "
		"is the one that goes missing, silently leaving devices without CMA.\n"
		"Example: twenty reusable pools on a kernel with CONFIG_CMA_AREAS=19.\n"
		"Fix: merge regions or raise CONFIG_CMA_AREAS."),
	check_areas_exceeded,
    },
    {
	"cma_early_remap",
	CVO_SEV_ERROR,
	"cma",
	"arm: a CMA range dma_contiguous_remap() remaps breaks the linear map (the boot hangs)",
	EXPLAIN("What: on arm, the ranges dma_contiguous_early_fixup() records for "
		"dma_contiguous_remap() (every reusable shared-dma-pool, as soon as it is "
		"reserved, since 6.17 and 6.12.45; only the accepted ones before; and the default "
		"area), clipped to lowmem: a range whose base lies deeper in its 2 MiB block than "
		"its last byte, a range that ends inside a 2 MiB block, and two ranges that "
		"overlap.\n"
		"Why: paging_init() clears the PMDs of each range in 2 MiB steps from its base "
		"and maps the range again with pages. The first case never clears the last "
		"block, the second leaves the rest of the last block unmapped, the third clears "
		"the page tables just built. Debian's 6.12.117 armmp kernels under QEMU hang "
		"silently or oops (\"Unable to handle kernel paging request\") before the memory "
		"setup ends; 6.1 boots the same DTs, because it recorded only the ranges "
		"rmem_cma_setup() accepted, which are CMA-aligned. A range is recorded before "
		"its handler can reject it for misalignment (cma_alignment), so a rejected "
		"region still breaks the boot.\n"
		"Example: cma@7a100000 { compatible = \"shared-dma-pool\"; reusable; reg = <0x7a100000 "
		"0x300000>; }; on armmp 6.12.117.\n"
		"Fix: align CMA regions to the CMA minimum (cma_alignment), at least to 2 MiB at "
		"both ends, and keep them apart."),
	check_early_remap,
    },
    {
	"dma_pool_nomap",
	CVO_SEV_ERROR,
	"cma",
	"a non-reusable shared-dma-pool without no-map (arm: rejected at boot; others: attach "
	"fails)",
	EXPLAIN("What: a shared-dma-pool that is neither reusable (CMA) nor no-map. A pool "
		"nothing can attach (no memory-region names it and no __symbols__ label lets an "
		"overlay name it) is a note, and off arm a pool wholly outside RAM is fine "
		"(memremap() maps non-RAM with ioremap_wc()).\n"
		"Why: such a region becomes a per-device coherent pool. On arm rmem_dma_setup() "
		"refuses it (\"Reserved memory: regions without no-map are not yet "
		"supported\") and the region is freed. Elsewhere it stays in the linear map as "
		"System RAM, and dma_init_coherent_memory() memremap()s it write-combined at "
		"the first attach, which memremap refuses for RAM (\"memremap attempted on ram "
		"%pa size: %#lx\"): of_reserved_mem_device_init() fails with -EINVAL "
		"(ikwzm/udmabuf#10).\n"
		"Example: pool@50000000 { compatible = \"shared-dma-pool\"; reg = <0x50000000 "
		"0x400000>; };\n"
		"Fix: add no-map (a private coherent pool) or reusable (a CMA area)."),
	check_pool_nomap,
    },
    {
	"dma_default_pool",
	CVO_SEV_WARNING,
	"cma",
	"linux,dma-default where it has no effect, on a reusable pool, or more than once",
	EXPLAIN("What: linux,dma-default on a region, against the platform's kernel. A board "
		"with an ARMv7-M NVIC (arm,armv7m-nvic: stm32f4/f7/h7) runs a no-MMU kernel, "
		"and arm selects DMA_GLOBAL_POOL if !MMU, so there the flag is honoured.\n"
		"Why: only kernels with CONFIG_DMA_GLOBAL_POOL (arm without MMU, RISC-V RZ/Five, "
		"a few others) read it: rmem_dma_setup() makes the region the global coherent "
		"area that serves every coherent allocation of non-coherent devices. Elsewhere "
		"it does nothing. The CMA handler ignores it and the coherent handler refuses "
		"reusable regions, so on a reusable pool it never works; a second one prints "
		"\"Reserved memory: region for default DMA coherent area is redefined\" and the "
		"last wins. (restricted-dma-pool: see restricted_pool_props.)\n"
		"Example: dma { compatible = \"shared-dma-pool\"; reusable; linux,dma-default; "
		"size = <0x1000000>; };\n"
		"Fix: drop it, or on a DMA_GLOBAL_POOL platform keep one, on a no-map, "
		"non-reusable shared-dma-pool."),
	check_default_pool,
    },
    {0},
};
