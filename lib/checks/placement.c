// SPDX-License-Identifier: MIT
/*
 * Placement: what the kernel does with the regions once it reserves and
 * allocates them (place.c simulates drivers/of/of_reserved_mem.c and memblock;
 * these checks read its answer).
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../devmem.h"
#include "../dma.h"
#include "../place.h"
#include "../region.h"
#include "checks.h"

#define EXPLAIN(...) __VA_ARGS__

/* "0x8cc00000..0x8cffffff, 4 MiB" */
static const char *fmt_range(char *buf, size_t len, uint64_t base, uint64_t size)
{
	char sz[48];
	snprintf(buf, len, "0x%08" PRIx64 "..0x%08" PRIx64 ", %s", base,
		 cvo_range_last(base, size), cvo_fmt_size(size, sz, sizeof(sz)));
	return buf;
}

static bool is_rmem(const struct cvo_model *m, const struct cvo_region *r)
{
	return (size_t)r->index < m->n_rmem && r->kind != CVO_KIND_MEMRESERVE &&
	       r->kind != CVO_KIND_PLATFORM;
}

static const char *prop_of(const struct cvo_model *m, const struct cvo_region *r)
{
	if (!is_rmem(m, r))
		return NULL;
	return r->is_static ? "reg" : "size";
}

/* ------------------------------------------------------------------ rmem_overlap */

struct occ {
	const struct cvo_region *r;
	uint64_t base, last;
};

static int cmp_occ(const void *a, const void *b)
{
	const struct occ *x = a, *y = b;
	if (x->base != y->base)
		return x->base < y->base ? -1 : 1;
	if (x->r->index != y->r->index)
		return x->r->index < y->r->index ? -1 : 1;
	return 0;
}

/* Each region lists at most this many overlaps; the rest are counted in one finding,
 * so that thousands of identical regions give a report of linear size. */
#define MAX_OVERLAPS_LISTED 8

struct overlap_tally {
	size_t listed, more;
	enum cvo_severity worst;
};

/* A driver binds to the region node itself through its compatible (qcom,rmtfs-mem,
 * ramoops, ...: of_platform_default_populate_init()); the pool compatibles are handlers. */
static bool bound_by_compatible(const struct cvo_model *m, const struct cvo_region *r)
{
	return is_rmem(m, r) && r->has_compatible && !r->compat_shared_dma_pool &&
	       !r->compat_restricted_dma_pool;
}

/* How many Linux users a and b have together: enabled nodes whose memory-region names
 * either (a driver can bind to them), and drivers bound to either node. */
static size_t linux_users(const struct cvo_model *m, const struct cvo_region *a,
			  const struct cvo_region *b)
{
	size_t n = bound_by_compatible(m, a) + bound_by_compatible(m, b);
	if (!a->n_users && !b->n_users)
		return n;
	const struct cvo_tree *t = m->tree;
	for (size_t k = 0; k < m->n_consumers; k++) {
		const struct cvo_consumer *c = &m->consumers[k];
		if (t && !cvo_tree_live(t, c->node))
			continue;
		bool hit = false;
		for (size_t i = 0; i < c->n && !hit; i++)
			hit = c->targets[i] == a->index || c->targets[i] == b->index;
		n += hit;
	}
	return n;
}

/* One carve-out written twice: two /reserved-memory regions with the same range and flags
 * that at most one Linux user has. */
static bool is_duplicate(const struct cvo_model *m, const struct occ *x, const struct occ *y)
{
	const struct cvo_region *a = x->r, *b = y->r;
	return is_rmem(m, a) && is_rmem(m, b) && x->base == y->base && x->last == y->last &&
	       a->no_map == b->no_map && a->reusable == b->reusable && a->kind == b->kind &&
	       a->has_compatible == b->has_compatible && linux_users(m, a, b) <= 1;
}

/* The kernel's table as __rmem_check_for_overlap() sorts it (__rmem_cmp(): base, size, and
 * the node from 6.6). Up to 6.12 dynamic regions are still at 0 with size 0 then (they are
 * allocated after the sort) and never meet the test; /memreserve/ and platform ranges are not
 * in the table. */
struct ktable {
	const struct occ **v;
	size_t n;
	size_t *pos; /* by region index: position in v, SIZE_MAX when absent */
	bool by_node;
	int pa_digits; /* %pa: the width of phys_addr_t */
};

static int cmp_kt(const void *pa, const void *pb)
{
	const struct occ *a = *(const struct occ *const *)pa, *b = *(const struct occ *const *)pb;
	if (a->base != b->base)
		return a->base < b->base ? -1 : 1;
	uint64_t sa = a->last - a->base, sb = b->last - b->base;
	if (sa != sb)
		return sa < sb ? -1 : 1;
	return 0;
}

/* From 6.6 ties are broken on the node offset; before, the heapsort's order is what it is:
 * DT order stands in for it. */
static int cmp_kt_node(const void *pa, const void *pb)
{
	const struct occ *a = *(const struct occ *const *)pa, *b = *(const struct occ *const *)pb;
	int c = cmp_kt(pa, pb);
	if (c)
		return c;
	return a->r->node < b->r->node ? -1 : a->r->node > b->r->node;
}

static int cmp_kt_index(const void *pa, const void *pb)
{
	const struct occ *a = *(const struct occ *const *)pa, *b = *(const struct occ *const *)pb;
	int c = cmp_kt(pa, pb);
	if (c)
		return c;
	return a->r->index < b->r->index ? -1 : a->r->index > b->r->index;
}

static bool kt_build(struct cvo_ctx *ctx, const struct occ *v, size_t n, struct ktable *kt)
{
	const struct cvo_model *m = ctx->m;
	memset(kt, 0, sizeof(*kt));
	kt->v = calloc(n ? n : 1, sizeof(*kt->v));
	kt->pos = malloc((m->n_regions ? m->n_regions : 1) * sizeof(*kt->pos));
	if (!kt->v || !kt->pos) {
		free(kt->v);
		free(kt->pos);
		ctx_oom(ctx, true);
		return false;
	}
	bool late_dynamic = !ctx->rules->alloc_before_sort;
	kt->by_node = ctx->rules->sort_by_node;
	kt->pa_digits = ctx->p && ctx->p->arch == CVO_ARCH_ARM ? 8 : 16;
	for (size_t i = 0; i < m->n_regions; i++)
		kt->pos[i] = SIZE_MAX;
	for (size_t i = 0; i < n; i++)
		if (is_rmem(m, v[i].r) && !(late_dynamic && !v[i].r->is_static))
			kt->v[kt->n++] = &v[i];
	if (kt->n > 1)
		qsort(kt->v, kt->n, sizeof(*kt->v), kt->by_node ? cmp_kt_node : cmp_kt_index);
	for (size_t i = 0; i < kt->n; i++)
		kt->pos[kt->v[i]->r->index] = i;
	return true;
}

static void kt_free(struct ktable *kt)
{
	free(kt->v);
	free(kt->pos);
}

/* What __rmem_check_for_overlap() prints for the pair, in words (buf), or false when the
 * pair is not sorted neighbours and the kernel prints nothing. */
static bool kt_line(const struct ktable *kt, const struct cvo_region *a, const struct cvo_region *b,
		    char *buf, size_t len)
{
	size_t pa = kt->pos[a->index], pb = kt->pos[b->index];
	if (pa == SIZE_MAX || pb == SIZE_MAX || (pa + 1 != pb && pb + 1 != pa))
		return false;
	const struct occ *t = kt->v[pa < pb ? pa : pb], *x = kt->v[pa < pb ? pb : pa];
	int w = kt->pa_digits;
	snprintf(buf, len,
		 "\"OVERLAP DETECTED!\" and \"%s (0x%0*" PRIx64 "--0x%0*" PRIx64 ") overlaps with "
		 "%s (0x%0*" PRIx64 "--0x%0*" PRIx64 ")\"",
		 t->r->name, w, t->base, w, t->last + 1, x->r->name, w, x->base, w, x->last + 1);
	return true;
}

static void report_overlap(struct cvo_ctx *ctx, struct overlap_tally *tally,
			   const struct ktable *kt, const struct occ *oa, const struct occ *ob,
			   uint64_t lo, uint64_t hi)
{
	const struct cvo_model *m = ctx->m;
	const struct cvo_region *a = oa->r, *b = ob->r;
	/* report on the /reserved-memory node (it has a source line), the later one in
	 * DT order when both are */
	const struct cvo_region *at = a, *other = b;
	if (!is_rmem(m, at) || (is_rmem(m, other) && other->index > at->index)) {
		at = b;
		other = a;
	}
	bool a_mr = a->kind == CVO_KIND_MEMRESERVE, b_mr = b->kind == CVO_KIND_MEMRESERVE;
	bool nomap = (is_rmem(m, a) && a->no_map) || (is_rmem(m, b) && b->no_map);
	bool nested = (oa->base <= ob->base && oa->last >= ob->last) ||
		      (ob->base <= oa->base && ob->last >= oa->last);
	char kline[400], whyb[600];
	enum cvo_severity sev;
	const char *why;
	size_t users = is_rmem(m, a) && is_rmem(m, b) ? linux_users(m, a, b) : 2;
	bool both_nomap = is_rmem(m, a) && is_rmem(m, b) && a->no_map && b->no_map;
	if (both_nomap && ((nested && users <= 1) || !users)) {
		/* firmware bookkeeping: a no-map carve-out and the no-map umbrella around it, or
		 * carve-outs no enabled device uses; memory Linux never maps or hands out
		 * cannot be handed out twice */
		sev = CVO_SEV_WARNING;
		const char *shape = nested ? "one no-map carve-out lies inside the other"
					   : "both are no-map carve-outs";
		const char *who = users ? "only one Linux user has them"
					: "no enabled device uses them";
		if (kt_line(kt, a, b, kline, sizeof(kline)))
			snprintf(whyb, sizeof(whyb),
				 "%s and %s, so nothing is handed out twice; the kernel only logs %s",
				 shape, who, kline);
		else
			snprintf(whyb, sizeof(whyb),
				 "%s and %s, so nothing is handed out twice; the kernel, which "
				 "compares sorted neighbours only, logs nothing for this pair",
				 shape, who);
		why = whyb;
	} else if (nomap) {
		sev = CVO_SEV_ERROR;
		why = "no-map memory with a second owner: both keep using it";
	} else if ((a_mr && b_mr) || (a_mr && is_rmem(m, b)) || (b_mr && is_rmem(m, a))) {
		sev = CVO_SEV_NOTE;
		why = "the same memory is reserved twice, which memblock merges";
	} else if (is_rmem(m, a) && is_rmem(m, b)) {
		sev = CVO_SEV_WARNING;
		why = "the kernel keeps both regions (\"OVERLAP DETECTED!\"), so two users share "
		      "this memory";
	} else {
		sev = CVO_SEV_WARNING;
		why = "two users share this memory";
	}
	struct overlap_tally *t = &tally[at - m->regions];
	if (t->listed >= MAX_OVERLAPS_LISTED) {
		t->more++;
		if (sev > t->worst)
			t->worst = sev;
		return;
	}
	t->listed++;
	char rng[96];
	const char *related[] = { other->path, NULL };
	cvo_emit(ctx, sev, at->path, prop_of(m, at), related, "overlaps %s (%s): %s", other->path,
		 fmt_range(rng, sizeof(rng), lo, hi - lo + 1), why);
}

/* Every region that takes memory, sorted by base (then DT order). Free with free(). */
static struct occ *occupants(const struct cvo_placement *pl, size_t *n)
{
	const struct cvo_model *m = pl->model;
	struct occ *v = calloc(m->n_regions ? m->n_regions : 1, sizeof(*v));
	*n = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < m->n_regions; i++) {
		uint64_t base, size;
		if (cvo_region_occupies(pl, &m->regions[i], &base, &size))
			v[(*n)++] = (struct occ){ &m->regions[i], base, cvo_range_last(base, size) };
	}
	if (*n > 1)
		qsort(v, *n, sizeof(*v), cmp_occ);
	return v;
}

static void check_overlap(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	/* linux_users() asks the tree index whether a consumer is live (built with the model) */
	if (m->n_consumers && ctx_oom(ctx, !m->tree))
		return;
	size_t n;
	struct occ *v = occupants(ctx->pl, &n);
	if (ctx_oom(ctx, !v))
		return;
	struct overlap_tally *tally = calloc(m->n_regions ? m->n_regions : 1, sizeof(*tally));
	struct ktable kt;
	if (ctx_oom(ctx, !tally) || !kt_build(ctx, v, n, &kt)) {
		free(tally);
		free(v);
		return;
	}
	/* sweep: every pair that intersects, not only sorted neighbours as
	 * __rmem_check_for_overlap() does; identical carve-outs are rmem_duplicate's */
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i + 1; j < n && v[j].base <= v[i].last; j++) {
			if (is_duplicate(m, &v[i], &v[j]))
				continue;
			uint64_t hi = v[i].last < v[j].last ? v[i].last : v[j].last;
			report_overlap(ctx, tally, &kt, &v[i], &v[j], v[j].base, hi);
		}
	}
	for (size_t i = 0; i < m->n_regions; i++) {
		const struct cvo_region *r = &m->regions[i];
		if (tally[i].more)
			cvo_emit(ctx, tally[i].worst, r->path, prop_of(m, r), NULL,
				 "overlaps %zu more regions besides the %d listed", tally[i].more,
				 MAX_OVERLAPS_LISTED);
	}
	kt_free(&kt);
	free(tally);
	free(v);
}

/* ------------------------------------------------------------------ rmem_duplicate */

static void check_duplicate(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	if (m->n_consumers && ctx_oom(ctx, !m->tree))
		return;
	size_t n;
	struct occ *v = occupants(ctx->pl, &n);
	struct ktable kt;
	if (ctx_oom(ctx, !v) || !kt_build(ctx, v, n, &kt)) {
		free(v);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i + 1; j < n && v[j].base <= v[i].last; j++) {
			if (!is_duplicate(m, &v[i], &v[j]))
				continue;
			/* reported on the later node in DT order, naming the first */
			const struct cvo_region *a = v[i].r, *b = v[j].r;
			const struct cvo_region *at = a->index > b->index ? a : b;
			const struct cvo_region *first = at == a ? b : a;
			char rng[96], kline[400], logs[480];
			if (kt_line(&kt, a, b, kline, sizeof(kline)))
				snprintf(logs, sizeof(logs), "the kernel logs %s once", kline);
			else
				snprintf(logs, sizeof(logs),
					 "the kernel logs \"OVERLAP DETECTED!\" for sorted neighbours "
					 "only");
			const char *related[] = { first->path, NULL };
			cvo_emit(ctx, CVO_SEV_WARNING, at->path, prop_of(m, at), related,
				 "repeats %s (%s, same reg and flags): one carve-out written twice; "
				 "%s and nothing else happens (%s)",
				 first->path, fmt_range(rng, sizeof(rng), v[i].base,
							 v[i].last - v[i].base + 1),
				 logs,
				 linux_users(m, a, b) ? "one Linux user has it"
						      : "no Linux driver uses it");
		}
	}
	kt_free(&kt);
	free(v);
}

/* ------------------------------------------------------------------ rmem_nomap_busy */

static void check_nomap_busy(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	for (size_t i = 0; i < m->n_rmem; i++) {
		const struct cvo_region *r = &m->regions[i];
		if (!cvo_outcome(ctx->pl, r)->nomap_busy)
			continue;
		/* what was reserved before early_init_dt_reserve_memory() saw it: the
		 * initrd, /memreserve/, platform ranges, and earlier static regions
		 * without no-map (memblock_reserve()) */
		const char *by = NULL;
		uint64_t lo = 0, hi = 0;
		for (size_t k = m->n_rmem; k < m->n_regions && !by; k++) {
			const struct cvo_region *o = &m->regions[k];
			if (cvo_outcome(ctx->pl, o)->has_base &&
			    cvo_ranges_overlap(cvo_outcome(ctx->pl, o)->base,
					       cvo_outcome(ctx->pl, o)->placed_size,
					       cvo_outcome(ctx->pl, r)->base,
					       cvo_outcome(ctx->pl, r)->placed_size)) {
				by = o->path;
				lo = cvo_outcome(ctx->pl, o)->base;
				hi = cvo_range_last(cvo_outcome(ctx->pl, o)->base,
						    cvo_outcome(ctx->pl, o)->placed_size);
			}
		}
		for (size_t k = 0; k < i && !by; k++) {
			const struct cvo_region *o = &m->regions[k];
			if (!o->available || !o->is_static || o->no_map)
				continue;
			struct cvo_region_iter it = cvo_region_ranges(ctx->pl, o);
			uint64_t ob, os;
			while (!by && cvo_region_ranges_next(&it, &ob, &os)) {
				if (cvo_ranges_overlap(ob, os, cvo_outcome(ctx->pl, r)->base,
						       cvo_outcome(ctx->pl, r)->placed_size)) {
					by = o->path;
					lo = ob;
					hi = cvo_range_last(ob, os);
				}
			}
		}
		if (!by && m->has_initrd &&
		    cvo_ranges_overlap(m->initrd.base, m->initrd.size,
				       cvo_outcome(ctx->pl, r)->base,
				       cvo_outcome(ctx->pl, r)->placed_size)) {
			by = "the initrd (/chosen linux,initrd-start)";
			lo = m->initrd.base;
			hi = cvo_range_last(m->initrd.base, m->initrd.size);
		}
		char rng[96], mine[96];
		fmt_range(mine, sizeof(mine), cvo_outcome(ctx->pl, r)->base,
			  cvo_outcome(ctx->pl, r)->placed_size);
		if (by) {
			uint64_t a =
			    lo > cvo_outcome(ctx->pl, r)->base ? lo : cvo_outcome(ctx->pl, r)->base;
			uint64_t last = cvo_range_last(cvo_outcome(ctx->pl, r)->base,
						       cvo_outcome(ctx->pl, r)->placed_size);
			uint64_t b = hi < last ? hi : last;
			const char *related[] = { by, NULL };
			cvo_emit(ctx, CVO_SEV_ERROR, r->path, "reg", by[0] == '/' ? related : NULL,
				 "no-map region (%s) over memory %s already reserved (%s): the kernel "
				 "fails it with -EBUSY (\"failed to reserve memory for node '%s'\") "
				 "and leaves it mapped",
				 mine, by, fmt_range(rng, sizeof(rng), a, b - a + 1), r->name);
		} else {
			cvo_emit(ctx, CVO_SEV_ERROR, r->path, "reg", NULL,
				 "no-map region (%s) over memory already reserved: the kernel fails "
				 "it with -EBUSY (\"failed to reserve memory for node '%s'\") and "
				 "leaves it mapped",
				 mine, r->name);
		}
	}
}

/* ------------------------------------------------------------------ rmem_outside_memory */

/* The device memory (devmem.h) that holds all of [base, last], or NULL. */
static const struct cvo_devmem *in_devmem(const struct cvo_devmem *d, size_t n, uint64_t base,
					  uint64_t last)
{
	for (size_t i = 0; i < n; i++)
		if (d[i].base <= base && last <= cvo_range_last(d[i].base, d[i].size))
			return &d[i];
	return NULL;
}

static void check_outside_memory(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	struct cvo_range *ram = NULL;
	struct cvo_devmem *dev = NULL;
	size_t n_ram = 0, n_dev = 0;
	/* without any RAM (a /memory the bootloader fills in, no platform memory)
	 * there is nothing to compare with: memory_unknown says so */
	if (ctx_failed(ctx, cvo_place_memory(m, &ram, &n_ram)) || !n_ram) {
		free(ram);
		return;
	}
	/* the device memory of the tree, read the first time a region leaves RAM (most DTs
	 * have none that does, and the walk reads every node's reg and ranges) */
	bool dev_read = false;
	/* memblock_cap_size(): with a 32-bit phys_addr_t (arm without LPAE) memblock ends every
	 * range, RAM and reserved alike, below PHYS_ADDR_MAX */
	uint64_t pa_last = ctx->p && ctx->p->arch == CVO_ARCH_ARM ? UINT64_C(0xfffffffe)
								     : UINT64_MAX;
	for (size_t i = 0; i < m->n_rmem; i++) {
		const struct cvo_region *r = &m->regions[i];
		/* the static regions that hold memory; a linux,cma-default node bypassed for
		 * cma= (IGNORED, yet cvo_region_occupies()) is left out of this check */
		uint64_t base, size;
		if (!r->is_static || cvo_outcome(ctx->pl, r)->status == CVO_STATUS_IGNORED ||
		    !cvo_region_occupies(ctx->pl, r, &base, &size) || base > pa_last)
			continue;
		uint64_t last = cvo_range_last(base, size);
		if (last > pa_last)
			last = pa_last;
		uint64_t span = last - base + 1;
		uint64_t inside = 0, gap_lo = 0, gap_hi = 0;
		bool gap = false;
		uint64_t cur = base;
		for (size_t k = 0; k < n_ram && cur <= last; k++) {
			uint64_t rl = cvo_range_last(ram[k].base, ram[k].size);
			if (rl < cur)
				continue;
			if (ram[k].base > last)
				break;
			if (ram[k].base > cur && !gap) {
				gap = true;
				gap_lo = cur;
				gap_hi = ram[k].base - 1;
			}
			uint64_t s = ram[k].base > cur ? ram[k].base : cur;
			uint64_t e = rl < last ? rl : last;
			inside += e - s + 1;
			if (e == UINT64_MAX)
				break;
			cur = e + 1;
		}
		if (inside == span)
			continue;
		/* a hole between banks inside the region is harmless for no-map and plain
		 * regions, and cma_zone_straddle's business for CMA: only a restricted
		 * pool (a linear-map bounce buffer) cares here */
		bool ends_in_ram = cur > last;
		bool starts_in_ram = !gap || gap_lo > base;
		if (starts_in_ram && ends_in_ram && r->kind != CVO_KIND_RESTRICTED_POOL)
			continue;
		if (!gap && cur <= last) {
			gap = true;
			gap_lo = cur;
			gap_hi = last;
		}
		bool strict = r->kind == CVO_KIND_CMA || r->kind == CVO_KIND_RESTRICTED_POOL;
		if (!dev_read) {
			dev_read = true;
			if (ctx_failed(ctx, cvo_device_memory(m, &dev, &n_dev)))
				break;
		}
		/* SRAM, TCM, video RAM: memory of a device, which is no RAM that went missing */
		const struct cvo_devmem *dm = in_devmem(dev, n_dev, inside ? gap_lo : base,
							inside ? gap_hi : last);
		if (dm && !strict)
			continue;
		const char *why =
			r->kind == CVO_KIND_CMA
				? "CMA needs RAM with struct pages: the area cannot be activated (\"CMA "
				  "area could not be activated\") and every allocation from it fails"
			: r->kind == CVO_KIND_RESTRICTED_POOL
				? "a restricted DMA pool must be in the kernel's linear map: the device "
				  "cannot use it"
			: inside ? "the kernel reserves the part that is RAM and only records the "
				   "rest; a region meant to cover memory there covers nothing"
				 : "the kernel only records it (memblock_reserve() takes any range), and "
				   "memory Linux does not have needs no protection from it";
		char rng[96];
		if (!inside) {
			/* nothing of Linux's is at stake: a deliberate no-op or a carve-out of
			 * memory /memory leaves out */
			cvo_emit(ctx, strict ? CVO_SEV_ERROR : CVO_SEV_NOTE, r->path, "reg", NULL,
				 "lies wholly outside RAM (%s): %s",
				 fmt_range(rng, sizeof(rng), base, span), why);
		} else {
			cvo_emit(ctx, strict ? CVO_SEV_ERROR : CVO_SEV_WARNING, r->path, "reg", NULL,
				 "lies partly outside RAM: %s is not memory: %s",
				 fmt_range(rng, sizeof(rng), gap_lo, gap_hi - gap_lo + 1), why);
		}
	}
	free(dev);
	free(ram);
}

/* ------------------------------------------------------------------ rmem_page_align */

/* Whether a byte of [lo, hi) is RAM that no other region (other than self) holds; with
 * nomap_only, whether a byte is RAM outside every other no-map region (what map_mem()
 * maps). */
static bool page_rest_free(const struct cvo_placement *pl, const struct cvo_range *ram,
			   size_t n_ram, const struct cvo_region *self, uint64_t lo, uint64_t hi,
			   bool nomap_only)
{
	const struct cvo_model *m = pl->model;
	for (size_t k = 0; k < n_ram; k++) {
		uint64_t a = ram[k].base, b = a + ram[k].size;
		if (b <= lo || a >= hi)
			continue;
		uint64_t x = a > lo ? a : lo, y = b < hi ? b : hi;
		/* walk the bytes of [x, y) past every other region that covers them */
		bool moved = true;
		while (x < y && moved) {
			moved = false;
			for (size_t i = 0; i < m->n_regions && x < y; i++) {
				const struct cvo_region *o = &m->regions[i];
				if (o == self || (nomap_only && !o->no_map) || !o->available ||
				    cvo_outcome(pl, o)->status == CVO_STATUS_IGNORED)
					continue;
				struct cvo_region_iter it = cvo_region_ranges(pl, o);
				uint64_t ob, os;
				while (x < y && cvo_region_ranges_next(&it, &ob, &os)) {
					if (ob <= x && ob + os > x) {
						x = ob + os;
						moved = true;
					}
				}
			}
		}
		if (x < y)
			return true;
	}
	return false;
}

/*
 * What the partial pages of a reg entry do. map_mem() (arm64; arm map_lowmem(), riscv
 * create_linear_mapping_page_table() alike) maps memblock.memory outside the no-map ranges
 * from each range's page-rounded start, so a partial page that holds other RAM stays mapped
 * and cacheable; arm64 with "fix accidental linear mapping of no-map reserved memory"
 * (6.12.117) leaves the whole page out instead, while memblock still hands out the rest of it.
 * memblock_free_all() frees whole pages only: the rest of a mapped region's partial page never
 * reaches the page allocator.
 */
static void check_page_align(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	uint64_t page = ctx->p && ctx->p->page_size ? ctx->p->page_size : 4096;
	struct cvo_range *ram = NULL;
	size_t n_ram = 0;
	/* RAM unknown: memory_unknown says this check did not run */
	if (ctx_failed(ctx, cvo_place_memory(m, &ram, &n_ram)) || !n_ram) {
		free(ram);
		return;
	}
	bool whole = ctx->p && ctx->p->arch == CVO_ARCH_ARM64 && ctx->rules->nomap_whole_pages;
	char ps[48];
	cvo_fmt_size(page, ps, sizeof(ps));
	for (size_t i = 0; i < m->n_rmem; i++) {
		const struct cvo_region *r = &m->regions[i];
		if (!r->available || !r->is_static || !r->reg_len_ok ||
		    cvo_outcome(ctx->pl, r)->status == CVO_STATUS_IGNORED)
			continue;
		for (size_t e = 0; e < r->n_regs; e++) {
			uint64_t base = r->regs[e].base, size = r->regs[e].size;
			if (!size)
				continue; /* rmem_zero_size */
			bool bb = base % page, bs = size % page;
			if (!bb && !bs)
				continue;
			uint64_t end = base + size;
			/* the rest of the partial pages: before the base, after the end */
			uint64_t h0 = base - base % page, t1 = end % page ? end - end % page + page : end;
			if (t1 < end)
				t1 = UINT64_MAX; /* the last page of the address space */
			bool r_head = bb && page_rest_free(ctx->pl, ram, n_ram, r, h0, base, false);
			bool r_tail =
			    end % page && page_rest_free(ctx->pl, ram, n_ram, r, end, t1, false);
			bool m_head = bb && page_rest_free(ctx->pl, ram, n_ram, r, h0, base, true);
			bool m_tail =
			    end % page && page_rest_free(ctx->pl, ram, n_ram, r, end, t1, true);
			enum cvo_severity sev = CVO_SEV_WARNING;
			const char *why;
			if (r->no_map && whole) {
				if (!r_head && !r_tail)
					continue;
				why = "arm64 leaves the whole partial page out of the linear map (\"fix "
				      "accidental linear mapping of no-map reserved memory\", 6.12.117) "
				      "while memblock still counts the rest of it as free, so an early "
				      "allocation there faults";
			} else if (r->no_map) {
				if (!m_head && !m_tail)
					continue;
				why = "the partial page stays mapped and cacheable (map_mem() maps the "
				      "RAM beside it from the page boundary), so speculation and "
				      "cache write-backs still reach the no-map memory";
			} else {
				if (!r_head && !r_tail)
					continue;
				sev = CVO_SEV_NOTE;
				why = "the free rest of the partial page never reaches the page "
				      "allocator (memblock_free_all() frees whole pages only)";
			}
			char sz[48], entry[48] = "";
			if (r->n_regs > 1)
				snprintf(entry, sizeof(entry), "reg entry %zu: ", e);
			cvo_fmt_size(size, sz, sizeof(sz));
			if (bb && bs)
				cvo_emit(ctx, sev, r->path, "reg", NULL,
					 "%sbase 0x%08" PRIx64 " and size %s are not multiples of the "
					 "%s page size: %s",
					 entry, base, sz, ps, why);
			else if (bb)
				cvo_emit(ctx, sev, r->path, "reg", NULL,
					 "%sbase 0x%08" PRIx64 " is not a multiple of the %s page size: "
					 "%s",
					 entry, base, ps, why);
			else
				cvo_emit(ctx, sev, r->path, "reg", NULL,
					 "%ssize %s is not a multiple of the %s page size: %s", entry,
					 sz, ps, why);
			break;
		}
	}
	free(ram);
}

/* ------------------------------------------------------------------ rmem_alloc_fail */

static void check_alloc_fail(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	struct cvo_range *ram = NULL;
	size_t n_ram = 0;
	if (ctx_failed(ctx, cvo_place_memory(m, &ram, &n_ram)) || !n_ram) {
		free(ram);
		return;
	}
	uint64_t total = 0;
	for (size_t k = 0; k < n_ram; k++)
		total += ram[k].size;
	for (size_t i = 0; i < m->n_rmem; i++) {
		const struct cvo_region *r = &m->regions[i];
		if (!r->available || cvo_outcome(ctx->pl, r)->status != CVO_STATUS_FAILED ||
		    cvo_outcome(ctx->pl, r)->why != CVO_WHY_ALLOC_FAIL)
			continue;
		/* the alignment __reserved_mem_alloc_size() asks memblock for */
		uint64_t align = r->has_alignment && r->alignment_len_ok ? r->alignment : 0;
		if (ctx->p && ctx->p->config.dma_cma && r->compat_shared_dma_pool && r->reusable &&
		    !r->no_map) {
			uint64_t cma = ctx->rules->cma_min_align;
			if (align < cma)
				align = cma;
		}
		char sz[48], al[64], tot[48], rng[96];
		cvo_fmt_size(r->size, sz, sizeof(sz));
		if (align)
			cvo_fmt_size(align, al, sizeof(al));
		else
			snprintf(al, sizeof(al), "the cache line");
		bool any_ram = !r->has_alloc_ranges;
		for (size_t a = 0; a < r->n_alloc_ranges; a++)
			for (size_t k = 0; k < n_ram; k++)
				if (cvo_ranges_overlap(r->alloc_ranges[a].base, r->alloc_ranges[a].size,
						       ram[k].base, ram[k].size))
					any_ram = true;
		if (r->has_alloc_ranges && r->n_alloc_ranges)
			fmt_range(rng, sizeof(rng), r->alloc_ranges[0].base, r->alloc_ranges[0].size);
		const char *more = r->n_alloc_ranges > 1 ? ", ..." : "";
		char kmsg[160];
		snprintf(kmsg, sizeof(kmsg),
			 "the kernel prints \"failed to allocate memory for node '%s': size %" PRIu64
			 " MiB\"",
			 r->name, r->size >> 20);
		if (r->size > total)
			cvo_emit(ctx, CVO_SEV_ERROR, r->path, "size", NULL,
				 "cannot be placed: %s is more than all of RAM (%s); %s", sz,
				 cvo_fmt_size(total, tot, sizeof(tot)), kmsg);
		else if (!any_ram)
			cvo_emit(ctx, CVO_SEV_ERROR, r->path, "alloc-ranges", NULL,
				 "cannot be placed: alloc-ranges (%s%s) lies outside RAM; %s", rng, more,
				 kmsg);
		else if (r->has_alloc_ranges)
			cvo_emit(ctx, CVO_SEV_ERROR, r->path, "alloc-ranges", NULL,
				 "cannot be placed: no free range of %s aligned to %s is left in "
				 "alloc-ranges (%s%s); %s",
				 sz, al, rng, more, kmsg);
		else
			cvo_emit(ctx, CVO_SEV_ERROR, r->path, "size", NULL,
				 "cannot be placed: no free range of %s aligned to %s is left in RAM; %s",
				 sz, al, kmsg);
	}
	free(ram);
}

/* arm64 from the 6.13 rework: a rejected static no-map region is given back after
 * paging_init() (placement: struct cvo_region.unmapped_free) */
static void check_nomap_unmapped(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	for (size_t i = 0; i < m->n_rmem; i++) {
		const struct cvo_region *r = &m->regions[i];
		uint64_t last =
		    cvo_outcome(ctx->pl, r)->base + cvo_outcome(ctx->pl, r)->placed_size - 1;
		if (cvo_outcome(ctx->pl, r)->nomap_partial_page) {
			char pg[32];
			cvo_fmt_size(ctx->p && ctx->p->page_size ? ctx->p->page_size : 4096, pg,
				     sizeof(pg));
			cvo_emit(
			    ctx, CVO_SEV_ERROR, r->path, "reg", NULL,
			    "this no-map region (0x%08" PRIx64 "..0x%08" PRIx64 ") shares a %s "
			    "page with free memory and the kernel's next early allocation lands "
			    "in that page at 0x%08" PRIx64
			    ", so the boot oopses: arm64's map_mem() "
			    "leaves out every page a no-map region touches (\"fix accidental "
			    "linear mapping of no-map reserved memory\", 6.12.117) while memblock "
			    "still hands out the rest of the page",
			    cvo_outcome(ctx->pl, r)->base, last, pg,
			    cvo_outcome(ctx->pl, r)->unmapped_hit);
			continue;
		}
		if (!cvo_outcome(ctx->pl, r)->unmapped_free)
			continue;
		if (cvo_outcome(ctx->pl, r)->unmapped_hit)
			cvo_emit(
			    ctx, CVO_SEV_ERROR, r->path, "reg", NULL,
			    "its handler rejects this no-map region after the linear map was "
			    "built without it, and the kernel's next early allocation lands in it "
			    "at 0x%08" PRIx64 ", so the boot oopses: memblock_clear_nomap() gives "
			    "0x%08" PRIx64 "..0x%08" PRIx64 " back to memblock with no mapping "
			    "(\"Unable to handle kernel paging request\")",
			    cvo_outcome(ctx->pl, r)->unmapped_hit, cvo_outcome(ctx->pl, r)->base,
			    last);
		else
			cvo_emit(ctx, CVO_SEV_ERROR, r->path, "reg", NULL,
				 "its handler rejects this no-map region after the linear map was "
				 "built without it, so the first use of 0x%08" PRIx64 "..0x%08" PRIx64
				 " faults later: memblock_clear_nomap() gives it back with no mapping "
				 "and the page allocator hands it out",
				 cvo_outcome(ctx->pl, r)->base, last);
	}
}

const struct cvo_check cvo_checks_placement[] = {
	{
		"rmem_overlap", CVO_SEV_ERROR, "placement",
		"two regions (static, placed dynamic, /memreserve/, platform reserved) overlap",
		EXPLAIN(
		"What: two reserved ranges share memory: static /reserved-memory regions, dynamic "
		"ones where the kernel places them, /memreserve/ entries and the platform file's "
		"reserved ranges. Every intersecting pair is reported, not only neighbours.\n"
		"Why: the kernel does not undo anything. fdt_init_reserved_mem() sorts its table "
		"and prints \"OVERLAP DETECTED!\\n%s (%pa--%pa) overlaps with %s (%pa--%pa)\" for "
		"neighbours only, then initialises both regions, so two drivers (or a driver and "
		"firmware) use the same memory. With a no-map region involved it is an error: the "
		"memory a remote processor or the secure world owns is handed to someone else. "
		"A no-map carve-out inside another no-map one, with at most one Linux user between "
		"them (a memory-region of an enabled node naming either, or a driver bound to "
		"either node), or no-map regions that no enabled device uses, is a "
		"warning: it is firmware bookkeeping (an umbrella \"removed\" region over its "
		"parts), Linux never maps or hands out either, and the kernel only logs the line "
		"the message quotes, or nothing when the two are not sorted neighbours. Identical "
		"copies are rmem_duplicate's. A /memreserve/ entry repeating a mapped region is a "
		"note: memblock merges them.\n"
		"Example: mpss@86000000 { reg = <0x0 0x86000000 0x0 0x8000000>; no-map; }; and "
		"wlan@8cc00000 { reg = <0x0 0x8cc00000 0x0 0x400000>; no-map; };\n"
		"Fix: move or shrink one region so the ranges are disjoint (carveout map shows the "
		"layout); drop /memreserve/ entries that repeat a /reserved-memory node."),
		check_overlap,
	},
	{
		"rmem_duplicate", CVO_SEV_WARNING, "placement",
		"two regions with identical reg and flags: one carve-out written twice",
		EXPLAIN(
		"What: two /reserved-memory regions with the same range (the first reg entry, or "
		"where the kernel places a dynamic one) and the same flags (no-map, reusable, the "
		"same handler), with at most one Linux user between them (a memory-region naming "
		"either, or a driver bound to either node by its compatible).\n"
		"Why: both go into the kernel's table; __rmem_check_for_overlap() sorts it, finds "
		"the two side by side and prints \"OVERLAP DETECTED!\" and \"%s (%pa--%pa) "
		"overlaps with %s (%pa--%pa)\" once (pr_err). Nothing else happens: memblock "
		"reserves (or marks no-map) the same memory twice, which changes nothing, and the "
		"one user gets the memory it always had. Typical of a board file that re-declares "
		"a carve-out of its SoC file under another name (sc7280 video@8b200000 and "
		"memory@8b200000). With two users it is an rmem_overlap.\n"
		"Example: video_mem: video@8b200000 { reg = <0x0 0x8b200000 0x0 0x500000>; no-map; "
		"}; and memory@8b200000 { reg = <0x0 0x8b200000 0x0 0x500000>; no-map; };\n"
		"Fix: delete one of the two (or /delete-node/ it in the board file), keeping the "
		"label the users point at."),
		check_duplicate,
	},
	{
		"rmem_nomap_busy", CVO_SEV_ERROR, "placement",
		"a no-map static region overlaps memory already reserved: -EBUSY",
		EXPLAIN(
		"What: a static no-map region whose range is already reserved when the kernel "
		"reaches it: by the initrd, a /memreserve/ entry (before 6.4, which reserves them "
		"after the scan), the platform's reserved ranges "
		"(kernel image, firmware) or an earlier static region without no-map (DT order "
		"matters).\n"
		"Why: early_init_dt_reserve_memory() refuses to mark reserved memory no-map and "
		"returns -EBUSY: \"Reserved memory: failed to reserve memory for node '%s': base "
		"%pa, size %lu MiB\". The region is still recorded, so its driver gets it, but it "
		"stays in the linear map: the CPU can speculatively touch memory that firmware or "
		"another processor owns.\n"
		"Example: /memreserve/ 0x90000000 0x100000; and fw@90000000 { reg = <0x0 0x90000000 "
		"0x0 0x200000>; no-map; };\n"
		"Fix: remove the overlapping reservation (often a duplicate /memreserve/ from the "
		"bootloader), or place the no-map region before the region it overlaps, or make the "
		"ranges disjoint."),
		check_nomap_busy,
	},
	{
		"rmem_nomap_unmapped", CVO_SEV_ERROR, "placement",
		"arm64, riscv: a rejected static no-map region comes back as RAM the linear map lacks",
		EXPLAIN(
		"What: on arm64 and riscv kernels with the 6.13 reserved-memory rework (6.12.13 "
		"and later in the 6.12 series), a static no-map region whose handler refuses it: no-map "
		"together with reusable, a no-map CMA or coherent pool the handler rejects.\n"
		"Why: static regions' handlers now run from unflatten_device_tree(), after "
		"paging_init() mapped RAM without the no-map ranges. On \"compatible matching "
		"fail\" the kernel calls memblock_clear_nomap(): the range becomes free memory "
		"that nothing maps. The next memblock allocation that lands there (the unflattened "
		"DT right away, when the region is the top of RAM; on riscv sparse_init()'s 32 MiB "
		"root array) oopses with \"Unable to handle "
		"kernel paging request\" (measured on Debian's 6.12.117 arm64 and riscv64 under QEMU; 6.1 ran "
		"the handlers before paging_init() and boots the same DT); otherwise the page "
		"allocator hands it out later.\n"
		"Example: fw@14bb00000 { compatible = \"shared-dma-pool\"; reg = <0x1 0x4bb00000 "
		"0x0 0x3e00000>; no-map; reusable; }; at the top of 5 GiB of RAM.\n"
		"Also: from Debian's 6.12.117 (\"arm64: mm: fix accidental linear mapping of no-map "
		"reserved memory\") a no-map region that starts or ends inside a page leaves that "
		"whole page out of the linear map while memblock still hands out its rest; measured "
		"with 16 KiB pages, the next early allocation there oopses the same way.\n"
		"Fix: make the region acceptable to its handler (drop reusable or no-map, see "
		"rmem_nomap_reusable and cma_alignment) or remove it; align no-map regions to the "
		"page size (rmem_page_align)."),
		check_nomap_unmapped,
	},
	{
		"rmem_outside_memory", CVO_SEV_ERROR, "placement",
		"a static region lies partly or wholly outside RAM",
		EXPLAIN(
		"What: a static region's reg is not inside the RAM the kernel sees (the /memory "
		"banks or the platform's memory, page-trimmed, cut by mem=; with a 32-bit "
		"phys_addr_t both RAM and the region end below 4 GiB, as memblock_cap_size() cuts "
		"them). Device memory is left out: a region inside the reg of an enabled node (an "
		"mmio-sram node, a remote processor's TCM or SRAM, a video RAM) or inside a bus "
		"ranges window that holds no RAM. An error for CMA and restricted DMA pools; for "
		"other regions a warning when part of the region is RAM, a note when none is "
		"(nothing of Linux's is at stake: a deliberate no-op, such as rk3288's "
		"dma-unusable@fe000000 on a board with less RAM).\n"
		"Why: the kernel does not check: memblock_reserve() records any range and "
		"memblock_mark_nomap() only flags the part that is RAM. A coherent pool over SRAM "
		"is legitimate (it is memremapped), but CMA needs struct pages (\"CMA area %s could "
		"not be activated\", every cma_alloc() fails) and a restricted pool must be in the "
		"linear map. Usually the cause is a /memory node that is smaller than the board's "
		"RAM, or a typo in an address.\n"
		"Example: memory@80000000 { reg = <0x0 0x80000000 0x0 0x40000000>; }; and "
		"linux,cma@c0000000 { compatible = \"shared-dma-pool\"; reusable; reg = <0x0 "
		"0xc0000000 0x0 0x4000000>; };\n"
		"Fix: correct the address, or the /memory node (or the platform file's memory) if "
		"the RAM is really there."),
		check_outside_memory,
	},
	{
		"rmem_page_align", CVO_SEV_WARNING, "placement",
		"a static region's base or size is not a multiple of the page size",
		EXPLAIN(
		"What: a reg entry inside RAM whose base or size is not a multiple of the "
		"platform's page size (4 KiB, 16 KiB or 64 KiB on arm64), where the rest of a "
		"partial page is RAM: a warning for a no-map region, a note for a mapped one. Not "
		"run while RAM is unknown (memory_unknown).\n"
		"Why: memblock takes any byte range, but the linear map and the page allocator work "
		"in pages. A no-map region's partial page stays mapped and cacheable when RAM lies "
		"beside it (map_mem() maps from the page boundary), so speculation and cache "
		"write-backs still reach the protected memory; arm64 kernels with \"fix accidental "
		"linear mapping of no-map reserved memory\" (6.12.117) leave the whole page out of "
		"the linear map instead, while memblock still hands out the rest of it, so an early "
		"allocation there faults (rmem_nomap_unmapped shows one that does). A mapped "
		"region only loses the rest of its partial pages: memblock_free_all() frees whole "
		"pages. A page whose rest is outside RAM or held by other regions is silent. CMA "
		"needs much more (see cma_alignment).\n"
		"Example: fw@9e400800 { reg = <0x0 0x9e400800 0x0 0x1000>; no-map; }; inside RAM.\n"
		"Fix: round the base down and the end up to page boundaries (to 64 KiB if the "
		"kernel may run with 64 KiB pages)."),
		check_page_align,
	},
	{
		"rmem_alloc_fail", CVO_SEV_ERROR, "placement",
		"a dynamic region cannot be placed: no hole of its size and alignment",
		EXPLAIN(
		"What: a dynamic region (size, alignment, alloc-ranges) for which the kernel finds "
		"no free range: RAM intersected with alloc-ranges, minus /memreserve/, the platform's "
		"reserved ranges, the static regions and the dynamic regions allocated before it, "
		"at its alignment (raised to the CMA minimum for reusable pools).\n"
		"Why: __reserved_mem_alloc_size() prints \"failed to allocate memory for node '%s': "
		"size %lu MiB\" (-ENOMEM) and the region does not exist: every driver that "
		"references it fails to probe or falls back silently. The order the kernel "
		"allocates in is not DT order on v6.1 (it sorts its table with a heapsort first), so "
		"which of several regions fails can surprise.\n"
		"Example: pool { compatible = \"shared-dma-pool\"; size = <0x0 0x10000000>; "
		"alloc-ranges = <0x0 0x90000000 0x0 0x8000000>; no-map; }; (256 MiB asked of a "
		"128 MiB window)\n"
		"Fix: shrink the region, widen or move alloc-ranges, or reduce the alignment; "
		"carveout map shows the free holes."),
		check_alloc_fail,
	},
	{ 0 },
};
