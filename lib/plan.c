// SPDX-License-Identifier: MIT
/*
 * The planner: from a placed DT and its findings, the changes that resolve what a DT
 * change can resolve, and the requested carveouts, or the smallest set of constraints
 * no layout satisfies.
 *
 * Each region to place is an item with a size, an alignment and a window: RAM as the
 * kernel sees it (cvo_place_memory()), cut by its alloc-ranges, the reach of every
 * consumer not behind an IOMMU (dma-ranges and dma-bits), arm's lowmem for pools the
 * kernel needs in the linear map, and a request's limit. Free memory is RAM less
 * everything that stays (static regions, /memreserve/, the platform's reserved ranges,
 * the regions not planned where the kernel puts them, the default CMA area unless it is
 * planned). Items are placed tightest window first, top-down like memblock, a CMA item
 * within one zone. A planned dynamic region is pinned with an alloc-ranges of exactly
 * its range (or a reg with fixed_reg), so the kernel puts it there.
 *
 * An item that does not fit is a conflict: it and the items already placed whose windows
 * lie inside its own need more than the free memory of that window (a Hall-style
 * certificate), and the largest size that still fits is the alternative.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "address.h"
#include "dma.h"
#include "kernel.h"
#include "memblock.h"
#include "place.h"
#include "ram.h"
#include "region.h"
#include "tree.h"
#include "util.h"

#define SZ_1M (UINT64_C(1) << 20)

/* What an item becomes in the DT. */
enum item_kind {
	IT_REGION,	/* an existing /reserved-memory child */
	IT_DEFAULT_CMA, /* a new linux,cma-default node for the Kconfig or cma= area */
	IT_COMPANION,	/* a new no-map shared-dma-pool beside a restricted pool */
	IT_REQUEST,	/* a requested carveout */
};

struct item {
	enum item_kind kind;
	int region;		/* IT_REGION: index into m->regions */
	const struct cvo_request *req; /* IT_REQUEST */
	char *path;		/* the node (existing, or the one the plan adds) */
	uint64_t size, align;
	bool cma;		/* reusable: CMA alignment, one zone */
	bool fixed_reg;		/* written as reg */
	bool has_fixed_base;	/* a request's base */
	uint64_t fixed_base;
	struct cvo_spans win;	/* where it may go */
	char limits[512];	/* what made the window, for conflicts */
	bool placed;
	uint64_t base;
	/* consumers whose memory-region gets the new node (IT_COMPANION first in the list,
	 * IT_REQUEST last) */
	const char *consumers[16];
	size_t n_consumers;
	uint32_t phandle;	/* new nodes */
	uint64_t demand;	/* IT_COMPANION: its consumers' coherent allocations */
	const char *fixes[8];
	size_t n_fixes;
};

struct planner {
	const struct cvo_placement *pl;
	const struct cvo_model *m;
	const struct cvo_platform *p;
	const struct cvo_report *findings;
	const struct cvo_plan_opts *opts;
	struct cvo_rules rules;
	uint64_t page, cma_align;
	uint32_t ac, sc;	/* root (and /reserved-memory) cells */
	struct cvo_spans ram;
	struct cvo_spans free;	/* RAM less what stays and what is planned */
	bool *replan;		/* per model region */
	struct item *items;
	size_t n_items, cap_items;
	struct cvo_plan *plan;
	uint32_t next_phandle;
	struct pnode {
		const char *path;
		int node;
	} *paths;		/* the regions' and consumers' nodes by path (sorted) */
	size_t n_paths;
	struct pref {
		const char *holder;	/* /__symbols__ or /aliases */
		const char *name, *value;
	} *refs;		/* their path strings, sorted by value (read when first needed) */
	size_t n_refs, cap_refs;
	bool refs_read;
	int err;
	struct cvo_error *e;
};

static void note(struct planner *P, int r)
{
	if (r && !P->err)
		P->err = r;
}

static int cmp_pnode(const void *a, const void *b)
{
	return strcmp(((const struct pnode *)a)->path, ((const struct pnode *)b)->path);
}

/* The nodes the planner names by path, found without walking the structure block. */
static void index_paths(struct planner *P)
{
	const struct cvo_model *m = P->m;
	P->paths = calloc(m->n_regions + m->n_consumers + 1, sizeof(*P->paths));
	if (!P->paths) {
		note(P, CVO_ERR_NOMEM);
		return;
	}
	for (size_t i = 0; i < m->n_regions; i++)
		if (m->regions[i].node >= 0)
			P->paths[P->n_paths++] = (struct pnode){ m->regions[i].path, m->regions[i].node };
	for (size_t i = 0; i < m->n_consumers; i++)
		if (m->consumers[i].path)
			P->paths[P->n_paths++] =
			    (struct pnode){ m->consumers[i].path, m->consumers[i].node };
	if (P->n_paths > 1)
		qsort(P->paths, P->n_paths, sizeof(*P->paths), cmp_pnode);
}

/* fdt_path_offset(), from the index when it has the path. */
static int node_of(const struct planner *P, const char *path)
{
	struct pnode key = { path, -1 };
	const struct pnode *f =
	    P->n_paths ? bsearch(&key, P->paths, P->n_paths, sizeof(*P->paths), cmp_pnode) : NULL;
	return f ? f->node : fdt_path_offset(P->m->blob->fdt, path);
}

static void add_fix(const char **fixes, size_t *n, const char *check)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(fixes[i], check))
			return;
	if (*n < 8)
		fixes[(*n)++] = check;
}

/* ------------------------------------------------------------------ changes */

static struct cvo_change *change_new(struct planner *P, enum cvo_change_action a,
				     const char *path, const char *prop)
{
	struct cvo_changes *c = &P->plan->changes;
	if (cvo_grow(&c->v, &c->cap, c->n, sizeof(*c->v))) {
		note(P, CVO_ERR_NOMEM);
		return NULL;
	}
	struct cvo_change *ch = &c->v[c->n];
	memset(ch, 0, sizeof(*ch));
	ch->action = a;
	ch->path = cvo_strdup(path);
	ch->property = prop ? cvo_strdup(prop) : NULL;
	if (!ch->path || (prop && !ch->property)) {
		free(ch->path);
		free(ch->property);
		note(P, CVO_ERR_NOMEM);
		return NULL;
	}
	c->n++;
	return ch;
}

/* The change of path's property, if one was made already. */
static struct cvo_change *change_find(struct planner *P, const char *path, const char *prop)
{
	struct cvo_changes *c = &P->plan->changes;
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].path, path) && c->v[i].property &&
		    !strcmp(c->v[i].property, prop))
			return &c->v[i];
	return NULL;
}

static void old_value(struct planner *P, struct cvo_change *ch)
{
	const void *fdt = P->m->blob->fdt;
	int node = node_of(P, ch->path);
	int len;
	const void *v = node >= 0 && ch->property ? fdt_getprop(fdt, node, ch->property, &len)
						  : NULL;
	if (v && !(ch->old_text = cvo_dts_value(v, (size_t)len)))
		note(P, CVO_ERR_NOMEM);
}

/* Set (or create) a property; value is copied. */
static struct cvo_change *set_prop(struct planner *P, enum cvo_change_action a, const char *path,
				   const char *prop, const void *value, size_t len,
				   const char *fix)
{
	struct cvo_change *ch = change_find(P, path, prop);
	if (!ch) {
		if (!(ch = change_new(P, a, path, prop)))
			return NULL;
		old_value(P, ch);
	} else {
		free(ch->value.value);
		free(ch->new_text);
		ch->value.value = NULL;
		ch->new_text = NULL;
	}
	if (len && !(ch->value.value = malloc(len))) {
		note(P, CVO_ERR_NOMEM);
		return ch;
	}
	if (len)
		memcpy(ch->value.value, value, len);
	ch->value.len = len;
	if (!(ch->new_text = cvo_dts_value(value, len)))
		note(P, CVO_ERR_NOMEM);
	if (fix)
		add_fix(ch->fixes, &ch->n_fixes, fix);
	return ch;
}

static void del_prop(struct planner *P, const char *path, const char *prop, const char *fix)
{
	struct cvo_change *ch = change_find(P, path, prop);
	if (!ch && (ch = change_new(P, CVO_CHANGE_DELETE_PROPERTY, path, prop)))
		old_value(P, ch);
	if (ch && fix)
		add_fix(ch->fixes, &ch->n_fixes, fix);
}

/* base and size in the root's cells (the /reserved-memory node's, which must match), in
 * buf[16]; 0 when the root's cells are not 1 or 2 (nothing is written). */
static size_t range_cells(const struct planner *P, uint64_t base, uint64_t size, uint8_t *buf)
{
	if (P->ac < 1 || P->ac > 2 || P->sc < 1 || P->sc > 2)
		return 0;
	cvo_write_cells(buf, P->ac, base);
	cvo_write_cells(buf + 4 * P->ac, P->sc, size);
	return 4 * ((size_t)P->ac + P->sc);
}

static int add_prop(struct cvo_change *ch, const char *name, const void *v, size_t len)
{
	struct cvo_prop *np = realloc(ch->props, (ch->n_props + 1) * sizeof(*np));
	if (!np)
		return CVO_ERR_NOMEM;
	ch->props = np;
	struct cvo_prop *pr = &ch->props[ch->n_props];
	pr->name = cvo_strdup(name);
	pr->value = len ? malloc(len) : NULL;
	pr->len = len;
	if (!pr->name || (len && !pr->value)) {
		free(pr->name);
		free(pr->value);
		return CVO_ERR_NOMEM;
	}
	if (len)
		memcpy(pr->value, v, len);
	ch->n_props++;
	return 0;
}

/* ------------------------------------------------------------------ windows */

/* The CPU addresses a device reaches (dma-ranges windows within its mask), as spans. */
static void reach_spans(const struct cvo_dma_info *di, struct cvo_spans *out, int *err)
{
	uint64_t mask = cvo_dma_mask(di);
	if (!di->has_map) {
		*err |= cvo_spans_add(out, 0, mask == UINT64_MAX ? UINT64_MAX : mask + 1);
		return;
	}
	for (size_t i = 0; i < di->n_windows; i++) {
		const struct cvo_dma_window *w = &di->windows[i];
		if (!w->size || w->dma > mask)
			continue;
		uint64_t n = w->size;
		if (mask - w->dma < n - 1)
			n = mask - w->dma + 1;
		uint64_t end = w->cpu + n < w->cpu ? UINT64_MAX : w->cpu + n;
		*err |= cvo_spans_add(out, w->cpu, end);
	}
}

/* a = a ∩ b */
static int spans_intersect(struct cvo_spans *a, const struct cvo_spans *b)
{
	struct cvo_spans r = { 0 };
	int err = 0;
	for (size_t i = 0; i < a->n; i++)
		for (size_t j = 0; j < b->n; j++) {
			uint64_t lo = a->v[i].base > b->v[j].base ? a->v[i].base : b->v[j].base;
			uint64_t hi = a->v[i].end < b->v[j].end ? a->v[i].end : b->v[j].end;
			if (lo < hi)
				err |= cvo_spans_add(&r, lo, hi);
		}
	cvo_spans_fini(a);
	*a = r;
	return err ? CVO_ERR_NOMEM : 0;
}

static uint64_t spans_total(const struct cvo_spans *s)
{
	uint64_t t = 0;
	for (size_t i = 0; i < s->n; i++)
		t += s->v[i].end - s->v[i].base;
	return t;
}

static void limits_add(struct item *it, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void limits_add(struct item *it, const char *fmt, ...)
{
	size_t n = strlen(it->limits);
	if (n + 6 >= sizeof(it->limits))
		return;
	if (n) {
		strcpy(it->limits + n, " and ");
		n += 5;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(it->limits + n, sizeof(it->limits) - n, fmt, ap);
	va_end(ap);
}

static void cut_to(struct planner *P, struct item *it, uint64_t lo, uint64_t hi)
{
	struct cvo_spans w = { 0 };
	note(P, cvo_spans_add(&w, lo, hi));
	note(P, spans_intersect(&it->win, &w));
	cvo_spans_fini(&w);
}

/* The window's cut by the reach of one device (not behind an IOMMU). */
static void cut_by_device(struct planner *P, struct item *it, int node, const char *name)
{
	struct cvo_dma_info di;
	if (cvo_dma_info(P->m, node, &di) || di.iommu || !cvo_dma_limited(&di))
		return;
	struct cvo_spans r = { 0 };
	int e = 0;
	reach_spans(&di, &r, &e);
	note(P, e ? CVO_ERR_NOMEM : 0);
	note(P, spans_intersect(&it->win, &r));
	cvo_spans_fini(&r);
	char path[256] = "?";
	if (name)
		snprintf(path, sizeof(path), "%s", name);
	else
		fdt_get_path(P->m->blob->fdt, node, path, sizeof(path));
	uint64_t end = cvo_dma_reach_end(&di);
	char a[32];
	if (end == UINT64_MAX)
		snprintf(a, sizeof(a), "the top");
	else
		snprintf(a, sizeof(a), "0x%" PRIx64, end);
	limits_add(it, "the reach of %s (below %s)", path, a);
}

/* The live consumers naming model region idx. */
static void cut_by_consumers(struct planner *P, struct item *it, size_t idx)
{
	const struct cvo_model *m = P->m;
	for (size_t k = 0; k < m->n_consumers; k++) {
		const struct cvo_consumer *c = &m->consumers[k];
		if (!c->path || !cvo_tree_live(m->tree, c->node))
			continue;
		for (size_t i = 0; i < c->n; i++)
			if (c->targets[i] == (int)idx) {
				cut_by_device(P, it, c->node, c->path);
				break;
			}
	}
}

/* The devices that allocate from the default CMA area (platform cma:, no CMA of their own). */
static void cut_by_cma_users(struct planner *P, struct item *it)
{
	struct cvo_dma_dev *dev = NULL;
	size_t n = 0;
	if (cvo_dma_devices(P->m, &dev, &n)) {
		note(P, CVO_ERR_NOMEM);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct cvo_dma_dev *e = &dev[i];
		if (!e->pdev->has_cma || !e->pdev->cma || e->di.iommu ||
		    cvo_consumer_own_cma(P->pl, e->consumer))
			continue;
		cut_by_device(P, it, e->node, e->consumer ? e->consumer->path : NULL);
	}
	free(dev);
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return a ? (v + a - 1) / a * a : v;
}

/* What the devices that allocate from the default CMA area take at their peaks (platform
 * cma:), the demand cma_undersized compares the area with. */
static uint64_t cma_demand(struct planner *P)
{
	struct cvo_dma_dev *dev = NULL;
	size_t n = 0;
	uint64_t need = 0;
	if (cvo_dma_devices(P->m, &dev, &n)) {
		note(P, CVO_ERR_NOMEM);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		const struct cvo_dma_dev *e = &dev[i];
		if (e->pdev->has_cma && e->pdev->cma && !cvo_consumer_own_cma(P->pl, e->consumer))
			need = need > UINT64_MAX - e->pdev->cma ? UINT64_MAX : need + e->pdev->cma;
	}
	free(dev);
	return need;
}

static void init_window(struct planner *P, struct item *it)
{
	for (size_t i = 0; i < P->ram.n; i++)
		note(P, cvo_spans_add(&it->win, P->ram.v[i].base, P->ram.v[i].end));
	limits_add(it, "RAM");
}

/* ------------------------------------------------------------------ items */

static struct item *item_new(struct planner *P, enum item_kind kind, const char *path)
{
	if (cvo_grow(&P->items, &P->cap_items, P->n_items, sizeof(*P->items))) {
		note(P, CVO_ERR_NOMEM);
		return NULL;
	}
	struct item *it = &P->items[P->n_items];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->region = -1;
	if (!(it->path = cvo_strdup(path))) {
		note(P, CVO_ERR_NOMEM);
		return NULL;
	}
	P->n_items++;
	init_window(P, it);
	return it;
}

/* A live consumer of region idx the platform says hands it to firmware. */
static bool firmware_owned(const struct planner *P, size_t idx)
{
	const struct cvo_model *m = P->m;
	for (size_t k = 0; k < m->n_consumers; k++) {
		const struct cvo_consumer *c = &m->consumers[k];
		for (size_t i = 0; i < c->n; i++) {
			if (c->targets[i] != (int)idx)
				continue;
			const struct cvo_platform_device *d =
			    cvo_platform_device_for(P->p, m->blob->fdt, c->node);
			if (d && d->firmware_owned == 1)
				return true;
		}
	}
	return false;
}

static bool movable(const struct planner *P, const struct cvo_region *r)
{
	if ((size_t)r->index >= P->m->n_rmem || !cvo_region_scanned(P->m, r))
		return false;
	if (firmware_owned(P, (size_t)r->index))
		return false;
	const struct cvo_platform_device *d =
	    r->node >= 0 ? cvo_platform_device_for(P->p, P->m->blob->fdt, r->node) : NULL;
	if (d && d->movable == 1)
		return r->is_static ? r->reg_len_ok && r->n_regs == 1
				    : r->has_size && r->size_len_ok;
	if (d && d->movable == 0)
		return false;
	if (!r->is_static)
		return r->has_size && r->size_len_ok;
	/* a static reusable pool is Linux's alone */
	return r->reusable && !r->no_map && r->compat_shared_dma_pool && r->reg_len_ok &&
	       r->n_regs == 1;
}

static struct item *region_item(struct planner *P, int idx, const char *fix)
{
	for (size_t i = 0; i < P->n_items; i++)
		if (P->items[i].kind == IT_REGION && P->items[i].region == idx) {
			add_fix(P->items[i].fixes, &P->items[i].n_fixes, fix);
			return &P->items[i];
		}
	const struct cvo_model *m = P->m;
	const struct cvo_region *r = &m->regions[idx];
	struct item *it = item_new(P, IT_REGION, r->path);
	if (!it)
		return NULL;
	it->region = idx;
	P->replan[idx] = true;
	add_fix(it->fixes, &it->n_fixes, fix);
	it->cma = cvo_region_is_cma(m, r);
	it->fixed_reg = r->is_static || P->opts->fixed_reg;
	it->size = r->is_static ? r->regs[0].size : r->size;
	uint64_t a = P->page;
	if (!r->is_static && r->has_alignment && r->alignment_len_ok && r->alignment > a)
		a = r->alignment;
	if (it->cma && P->cma_align > a)
		a = P->cma_align;
	it->align = a;
	it->size = align_up(it->size, it->cma ? P->cma_align : P->page);
	if (!r->is_static && r->has_alloc_ranges && r->alloc_ranges_len_ok) {
		struct cvo_spans ar = { 0 };
		for (size_t i = 0; i < r->n_alloc_ranges; i++)
			note(P, cvo_spans_add(&ar, r->alloc_ranges[i].base,
					      r->alloc_ranges[i].base + r->alloc_ranges[i].size));
		note(P, spans_intersect(&it->win, &ar));
		cvo_spans_fini(&ar);
		limits_add(it, "its alloc-ranges");
	}
	cut_by_consumers(P, it, (size_t)idx);
	if (r->cma_default && it->cma)
		cut_by_cma_users(P, it);
	/* arm: a restricted pool must be in the linear map (rmem_swiotlb_setup()) */
	if (P->p->arch == CVO_ARCH_ARM && r->compat_restricted_dma_pool) {
		cut_to(P, it, 0, cvo_arm_lowmem_limit(m));
		limits_add(it, "lowmem (below 0x%" PRIx64 ")", cvo_arm_lowmem_limit(m));
	}
	return it;
}

static int cmp_pref(const void *a, const void *b)
{
	return strcmp(((const struct pref *)a)->value, ((const struct pref *)b)->value);
}

/* The path strings of /__symbols__ and /aliases, read once, sorted by value. */
static void index_refs(struct planner *P)
{
	const void *fdt = P->m->blob->fdt;
	static const char *const holders[] = { "/__symbols__", "/aliases" };
	P->refs_read = true;
	for (size_t h = 0; h < 2; h++) {
		int node = fdt_path_offset(fdt, holders[h]), prop;
		if (node < 0)
			continue;
		fdt_for_each_property_offset(prop, fdt, node) {
			const char *name;
			int len;
			const char *v = fdt_getprop_by_offset(fdt, prop, &name, &len);
			if (!v || len <= 0 || v[len - 1] || v[0] != '/')
				continue;
			if (cvo_grow(&P->refs, &P->cap_refs, P->n_refs, sizeof(*P->refs))) {
				note(P, CVO_ERR_NOMEM);
				return;
			}
			P->refs[P->n_refs++] = (struct pref){ holders[h], name, v };
		}
	}
	if (P->n_refs > 1)
		qsort(P->refs, P->n_refs, sizeof(*P->refs), cmp_pref);
}

/* Path strings in /__symbols__ and /aliases that name old (or a node below it) get new. */
static void repath_refs(struct planner *P, const char *old, const char *new, const char *fix)
{
	if (!P->refs_read)
		index_refs(P);
	size_t ol = strlen(old), lo = 0, hi = P->n_refs;
	/* the first value not below old: those starting with it follow */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(P->refs[mid].value, old) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < P->n_refs && !strncmp(P->refs[i].value, old, ol); i++) {
		const char *v = P->refs[i].value;
		if (v[ol] && v[ol] != '/')
			continue;
		char *nv = cvo_asprintf("%s%s", new, v + ol);
		if (!nv) {
			note(P, CVO_ERR_NOMEM);
			return;
		}
		set_prop(P, CVO_CHANGE_SET_PROPERTY, P->refs[i].holder, P->refs[i].name, nv,
			 strlen(nv) + 1, fix);
		free(nv);
	}
}

static void advise(struct planner *P, const struct cvo_finding *f, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* rename the node of change ch to its base's unit address (when it has one), and the path
 * strings that name it */
static void follow_unit_address(struct planner *P, struct cvo_change *ch,
				const struct cvo_region *r, uint64_t base, bool add, const char *fix)
{
	const char *at = strchr(r->name, '@');
	if (ch->new_name || (!at && !add))
		return;
	size_t nl = at ? (size_t)(at - r->name) : strlen(r->name);
	char *nn = cvo_asprintf("%.*s@%" PRIx64, (int)nl, r->name, base);
	if (!nn) {
		note(P, CVO_ERR_NOMEM);
		return;
	}
	if (!strcmp(nn, r->name)) {
		free(nn);
		return;
	}
	ch->new_name = nn;
	char *np = cvo_asprintf("%.*s/%s", (int)(r->name - r->path - 1), r->path, nn);
	if (!np) {
		note(P, CVO_ERR_NOMEM);
		return;
	}
	repath_refs(P, r->path, np, fix);
	free(np);
}

/* rmem_page_align: a static region's reg widened to whole pages, when nothing else holds
 * the rest of those pages (the bytes it covers stay covered). */
static void page_widen(struct planner *P, const struct cvo_finding *f, const struct cvo_region *r)
{
	if (!r->is_static || !r->reg_len_ok || r->n_regs != 1 || !r->regs[0].size) {
		advise(P, f, "only a region with one reg entry can be widened to whole pages");
		return;
	}
	uint64_t b = r->regs[0].base, e = b + r->regs[0].size;
	uint64_t nb = b / P->page * P->page, ne = (e + P->page - 1) / P->page * P->page;
	if (nb == b && ne == e)
		return;
	const struct cvo_model *m = P->m;
	for (size_t i = 0; i < m->n_regions; i++) {
		const struct cvo_region *o = &m->regions[i];
		uint64_t ob, os;
		if (o == r || !cvo_region_occupies(P->pl, o, &ob, &os) || !os)
			continue;
		if ((ob < b && ob + os > nb) || (ob < ne && ob + os > e)) {
			advise(P, f, "%s holds the rest of the page: the two regions must be laid "
				     "out in whole pages by whoever places them",
			       o->path);
			return;
		}
	}
	uint8_t buf[16];
	size_t len = range_cells(P, nb, ne - nb, buf);
	if (!len) {
		advise(P, f, "the root's #address-cells or #size-cells is not 1 or 2: nothing can "
			     "be planned into this DT's /reserved-memory");
		return;
	}
	struct cvo_change *ch = set_prop(P, CVO_CHANGE_RESIZE, r->path, "reg", buf, len, f->check);
	if (ch)
		follow_unit_address(P, ch, r, nb, false, f->check);
}

/* ------------------------------------------------------------------ what to do */

static const struct cvo_region *region_at(const struct cvo_model *m, const char *path)
{
	for (size_t i = 0; i < m->n_regions; i++)
		if (!strcmp(m->regions[i].path, path))
			return &m->regions[i];
	return NULL;
}

static void advise(struct planner *P, const struct cvo_finding *f, const char *fmt, ...)
{
	struct cvo_plan *pl = P->plan;
	for (size_t i = 0; i < pl->n_advice; i++)
		if (!strcmp(pl->advice[i].check, f->check) && !strcmp(pl->advice[i].path, f->path))
			return;
	struct cvo_plan_advice *na = realloc(pl->advice, (pl->n_advice + 1) * sizeof(*na));
	if (!na) {
		note(P, CVO_ERR_NOMEM);
		return;
	}
	pl->advice = na;
	va_list ap;
	va_start(ap, fmt);
	char *what = cvo_vasprintf(fmt, ap);
	va_end(ap);
	char *path = cvo_strdup(f->path);
	if (!what || !path) {
		free(what);
		free(path);
		note(P, CVO_ERR_NOMEM);
		return;
	}
	pl->advice[pl->n_advice++] = (struct cvo_plan_advice){ f->check, path, what };
}

/* A region a finding names that the plan may move, else advice. */
static void replan(struct planner *P, const struct cvo_finding *f, const struct cvo_region *r)
{
	if (r && movable(P, r)) {
		region_item(P, r->index, f->check);
		return;
	}
	advise(P, f, "%s stays where it is (%s): move what shares its memory, or change the "
		     "firmware that places it",
	       r ? r->path : f->path,
	       !r ? "not a region" : r->no_map ? "a static no-map region" : "a static region");
}

/* The property prop of path as the plan has it so far: its change's value, else the DT's. */
static const uint8_t *prop_now(struct planner *P, const char *path, const char *prop,
			       size_t *len)
{
	struct cvo_change *ch = change_find(P, path, prop);
	if (ch) {
		*len = ch->value.len;
		return ch->value.value;
	}
	int node = node_of(P, path), l = 0;
	const uint8_t *v = node >= 0 ? fdt_getprop(P->m->blob->fdt, node, prop, &l) : NULL;
	*len = v && l > 0 ? (size_t)l : 0;
	return v;
}

/* Entry i of path's memory-region (and memory-region-names, when it names every entry)
 * moved first, the others in order: of_reserved_mem_device_init() attaches entry 0. */
static void move_entry_first(struct planner *P, const char *path, size_t i, const char *fix)
{
	size_t len;
	const uint8_t *cur = prop_now(P, path, "memory-region", &len);
	if (!cur || len % 4 || (i + 1) * 4 > len || i == 0)
		return;
	uint8_t *v = malloc(len);
	if (!v) {
		note(P, CVO_ERR_NOMEM);
		return;
	}
	memcpy(v, cur + i * 4, 4);
	memcpy(v + 4, cur, i * 4);
	memcpy(v + 4 + i * 4, cur + (i + 1) * 4, len - (i + 1) * 4);
	set_prop(P, CVO_CHANGE_SET_PROPERTY, path, "memory-region", v, len, fix);
	free(v);
	size_t nl;
	const uint8_t *names = prop_now(P, path, "memory-region-names", &nl);
	if (!names || !nl || names[nl - 1])
		return;
	/* the strings: entry k starts at off[k] */
	size_t off[65], n = 0;
	for (size_t at = 0; at < nl && n < 65; at += strlen((const char *)names + at) + 1)
		off[n++] = at;
	if (n != len / 4 || i >= n)
		return;
	uint8_t *nv = malloc(nl);
	if (!nv) {
		note(P, CVO_ERR_NOMEM);
		return;
	}
	size_t li = strlen((const char *)names + off[i]) + 1;
	memcpy(nv, names + off[i], li);
	memcpy(nv + li, names, off[i]);
	memcpy(nv + li + off[i], names + off[i] + li, nl - off[i] - li);
	if (memcmp(nv, names, nl))
		set_prop(P, CVO_CHANGE_SET_PROPERTY, path, "memory-region-names", nv, nl, fix);
	free(nv);
}

static const struct cvo_region *related_region(const struct cvo_model *m,
					       const struct cvo_finding *f)
{
	for (size_t i = 0; i < f->n_related; i++) {
		const struct cvo_region *r = region_at(m, f->related[i]);
		if (r)
			return r;
	}
	return NULL;
}

static struct item *default_cma_item(struct planner *P, const char *fix)
{
	for (size_t i = 0; i < P->n_items; i++)
		if (P->items[i].kind == IT_DEFAULT_CMA) {
			add_fix(P->items[i].fixes, &P->items[i].n_fixes, fix);
			return &P->items[i];
		}
	const struct cvo_default_cma *d = &P->pl->default_cma;
	/* a DT linux,cma-default region the kernel refused or could not place is planned
	 * itself: the Kconfig or cma= area is there only because it failed */
	const struct cvo_model *m = P->m;
	for (size_t i = 0; i < m->n_rmem; i++) {
		const struct cvo_region *r = &m->regions[i];
		if (r->cma_default && cvo_region_is_cma(m, r) && movable(P, r)) {
			return region_item(P, (int)i, fix);
		}
	}
	/* a name no node has */
	char path[64] = "/reserved-memory/linux,cma";
	for (int k = 2; k < 100 && (region_at(m, path) || node_of(P, path) >= 0); k++)
		snprintf(path, sizeof(path), "/reserved-memory/linux,cma-%d", k);
	struct item *it = item_new(P, IT_DEFAULT_CMA, path);
	if (!it)
		return NULL;
	add_fix(it->fixes, &it->n_fixes, fix);
	it->cma = true;
	it->align = P->cma_align > P->page ? P->cma_align : P->page;
	it->size = align_up(d->size, P->cma_align);
	it->fixed_reg = P->opts->fixed_reg;
	/* dma_contiguous_reserve(): below the arch's DMA limit */
	if (P->pl->dma_phys_limit) {
		cut_to(P, it, 0, P->pl->dma_phys_limit);
		limits_add(it, "the default CMA limit 0x%" PRIx64, P->pl->dma_phys_limit);
	}
	cut_by_cma_users(P, it);
	return it;
}

static void from_findings(struct planner *P)
{
	const struct cvo_model *m = P->m;
	const struct cvo_report *rep = P->findings;
	for (size_t i = 0; rep && i < rep->n && !P->err; i++) {
		const struct cvo_finding *f = &rep->findings[i];
		if (f->severity != CVO_SEV_ERROR && f->severity != CVO_SEV_WARNING)
			continue;
		const struct cvo_region *r = region_at(m, f->path);
		const char *c = f->check;
		if (!strcmp(c, "dma_pool_nomap") || !strcmp(c, "memory_region_firmware_map")) {
			const struct cvo_region *t = r ? r : related_region(m, f);
			if (t && t->node >= 0)
				set_prop(P, CVO_CHANGE_SET_PROPERTY, t->path, "no-map", NULL, 0, c);
		} else if (!strcmp(c, "restricted_pool_props") && r) {
			static const char *const bad[] = { "reusable", "no-map", "linux,cma-default",
							   "linux,dma-default" };
			const bool has[] = { r->reusable, r->no_map, r->cma_default, r->dma_default };
			for (size_t k = 0; k < 4; k++)
				if (has[k])
					del_prop(P, r->path, bad[k], c);
		} else if (!strcmp(c, "cma_flags") && r) {
			/* what rmem_cma_setup() refuses: no-map beside reusable, or the flag on a
			 * pool that is not reusable */
			if (r->reusable)
				del_prop(P, r->path, "no-map", c);
			else
				del_prop(P, r->path, "linux,cma-default", c);
		} else if (!strcmp(c, "dma_coherent_mismatch")) {
			int node = node_of(P, f->path);
			const struct cvo_platform_device *d =
			    node >= 0 ? cvo_platform_device_for(P->p, m->blob->fdt, node) : NULL;
			if (d && d->coherent == 1)
				set_prop(P, CVO_CHANGE_SET_PROPERTY, f->path, "dma-coherent", NULL, 0,
					 c);
			else
				advise(P, f, "the platform file does not say the device is coherent: "
					     "remove dma-coherent if it is not, or say coherent: true");
		} else if (!strcmp(c, "rmem_overlap") || !strcmp(c, "rmem_nomap_busy")) {
			const struct cvo_region *o = related_region(m, f);
			if (r && movable(P, r))
				replan(P, f, r);
			else if (o && movable(P, o))
				replan(P, f, o);
			else
				advise(P, f, "both regions are static and not reusable: one of them "
					     "must change where its firmware puts it");
		} else if (!strcmp(c, "rmem_alloc_fail") || !strcmp(c, "cma_zone_straddle") ||
			   !strcmp(c, "cma_alignment") || !strcmp(c, "restricted_pool_highmem")) {
			if (r)
				replan(P, f, r);
			else if (!strcmp(c, "cma_zone_straddle") && !strcmp(f->path, "/"))
				default_cma_item(P, c);
		} else if (!strcmp(c, "memory_region_unreachable")) {
			replan(P, f, related_region(m, f));
		} else if (!strcmp(c, "cma_unreachable")) {
			if (r)
				replan(P, f, r);
			else if (P->p->has_cmdline_cma)
				advise(P, f, "the command line's cma= sets the default area and "
					     "rmem_cma_setup() bypasses a DT one: give cma=SIZE@BASE "
					     "below the device's reach instead");
			else
				default_cma_item(P, c);
		} else if (!strcmp(c, "restricted_pool_coherent")) {
			const struct cvo_region *pool = related_region(m, f);
			if (!pool)
				continue;
			int dev = node_of(P, f->path);
			const char *ignorer = dev >= 0 ? cvo_companion_ignorer(m->blob->fdt, dev) : NULL;
			if (ignorer) {
				advise(P, f, "%s never attaches a shared-dma-pool (it does not call "
					     "of_reserved_mem_device_init()), so no companion pool gives "
					     "the device coherent buffers: the kernel needs "
					     "DMA_DIRECT_REMAP (arm does not select it), or the driver "
					     "must attach the pool",
				       ignorer);
				continue;
			}
			/* a companion it has already: not at an entry the driver attaches, or
			 * smaller than what the device allocates */
			const struct cvo_consumer *cons = dev >= 0 ? cvo_consumer_of(m, dev) : NULL;
			if (cons && !cons->cells_ok) {
				advise(P, f, "its memory-region is not whole phandle cells: write it "
					     "again, with a no-map shared-dma-pool first");
				continue;
			}
			size_t ci = 0;
			bool attached = false;
			const struct cvo_region *comp =
			    cons ? cvo_consumer_companion(P->pl, P->p, cons, &ci, &attached) : NULL;
			if (comp && !attached) {
				move_entry_first(P, f->path, ci, c);
				continue;
			}
			if (comp) {
				uint64_t need = align_up(
				    cvo_device_coherent_demand(P->p, m->blob->fdt, cons->node), P->page);
				struct item *ri = movable(P, comp) ? region_item(P, comp->index, c) : NULL;
				if (ri && need > ri->size)
					ri->size = need;
				else if (!ri) {
					char sz[32];
					cvo_fmt_size(need, sz, sizeof(sz));
					advise(P, f, "the companion %s is static: make it at least %s, "
						     "or say movable: true for it in the platform file",
					       comp->path, sz);
				}
				continue;
			}
			char path[300];
			snprintf(path, sizeof(path), "/reserved-memory/%.*s-coherent",
				 (int)strcspn(pool->name, "@"), pool->name);
			/* a name the DT has already (a pool no memory-region names) gets a number */
			for (int k = 2; k < 100 && fdt_path_offset(m->blob->fdt, path) >= 0; k++)
				snprintf(path, sizeof(path), "/reserved-memory/%.*s-coherent-%d",
					 (int)strcspn(pool->name, "@"), pool->name, k);
			struct item *it = NULL;
			for (size_t k = 0; k < P->n_items; k++)
				if (P->items[k].kind == IT_COMPANION && !strcmp(P->items[k].path, path))
					it = &P->items[k];
			if (!it && (it = item_new(P, IT_COMPANION, path))) {
				it->size = SZ_1M;
				it->align = P->page;
				it->fixed_reg = P->opts->fixed_reg;
				if (P->p->arch == CVO_ARCH_ARM) {
					cut_to(P, it, 0, cvo_arm_lowmem_limit(m));
					limits_add(it, "lowmem (below 0x%" PRIx64 ")",
						   cvo_arm_lowmem_limit(m));
				}
			}
			if (!it)
				continue;
			add_fix(it->fixes, &it->n_fixes, c);
			if (dev >= 0 && it->n_consumers < 16) {
				it->consumers[it->n_consumers++] = f->path;
				cut_by_device(P, it, dev, f->path);
				/* 1 MiB, or what its consumers allocate together */
				uint64_t need = cvo_device_coherent_demand(P->p, m->blob->fdt, dev);
				it->demand = need > UINT64_MAX - it->demand ? UINT64_MAX
									 : it->demand + need;
				if (it->demand <= UINT64_MAX - P->page &&
				    align_up(it->demand, P->page) > it->size)
					it->size = align_up(it->demand, P->page);
			}
		} else if (!strcmp(c, "rmem_page_align") && r) {
			page_widen(P, f, r);
		} else if (!strcmp(c, "cma_undersized")) {
			const struct cvo_default_cma *d = &P->pl->default_cma;
			int dt = d->override_region >= 0 ? d->override_region
				 : d->source == CVO_CMA_SOURCE_DT ? d->region
								   : -1;
			uint64_t need = align_up(cma_demand(P), P->cma_align);
			struct item *it = NULL;
			if (!P->p->config.dma_cma)
				advise(P, f, "the kernel has no CMA (CONFIG_DMA_CMA is off): build it "
					     "with CONFIG_DMA_CMA");
			else if (dt >= 0 && movable(P, &m->regions[dt]))
				it = region_item(P, dt, c);
			else if (dt < 0 && P->p->has_cmdline_cma)
				advise(P, f, "the command line's cma= sets the default area and "
					     "rmem_cma_setup() bypasses a DT one: give a larger cma=");
			else if (dt < 0)
				it = default_cma_item(P, c);
			else
				advise(P, f, "the DT's linux,cma-default region is static: make it "
					     "larger, or dynamic so that it can be planned");
			if (it && need > it->size)
				it->size = need;
		} else if (!strcmp(c, "dma_small_alloc_cma")) {
			advise(P, f, "dma_alloc_contiguous() takes no allocation of one page or "
				     "less from CMA, wherever the area is: only a zone below the "
				     "device's reach serves them (CONFIG_ZONE_DMA32 or CONFIG_ZONE_DMA)");
		} else if (!strcmp(c, "dma_mask_no_zone")) {
			advise(P, f, "no DT change gives the kernel a zone below the device's reach: "
				     "build it with CONFIG_ZONE_DMA32 (or CONFIG_ZONE_DMA)");
		}
	}
}

static void from_requests(struct planner *P)
{
	const struct cvo_requests *rq = P->opts->requests;
	for (size_t i = 0; rq && i < rq->n && !P->err; i++) {
		const struct cvo_request *q = &rq->v[i];
		char path[300];
		snprintf(path, sizeof(path), "/reserved-memory/%s", q->name);
		/* a request met already (the output of a plan with it): nothing to do, as long as
		 * the node is of the kind asked for */
		const struct cvo_region *have = NULL;
		for (size_t k = 0; k < P->m->n_rmem && !have; k++) {
			const struct cvo_region *r = &P->m->regions[k];
			size_t nl = strcspn(r->name, "@");
			if (nl == strlen(q->name) && !strncmp(r->name, q->name, nl))
				have = r;
		}
		if (have) {
			bool same = q->kind == CVO_REQUEST_CMA	       ? cvo_region_is_cma(P->m, have)
				    : q->kind == CVO_REQUEST_COHERENT_POOL ? have->compat_shared_dma_pool &&
										 !have->reusable
				    : q->kind == CVO_REQUEST_RESTRICTED_POOL
					? have->compat_restricted_dma_pool
					: !have->has_compatible;
			if (!same)
				note(P, cvo_error_set(P->e, CVO_ERR_INVALID, rq->file, q->line,
						      q->column,
						      "request %s: %s is already there and is not a %s",
						      q->name, have->path, cvo_request_kind_name(q->kind)));
			continue;
		}
		struct item *it = item_new(P, IT_REQUEST, path);
		if (!it)
			return;
		it->req = q;
		it->cma = q->kind == CVO_REQUEST_CMA;
		it->align = P->page;
		if (it->cma && P->cma_align > it->align)
			it->align = P->cma_align;
		if (q->has_alignment && q->alignment > it->align)
			it->align = q->alignment;
		it->size = align_up(q->size, it->cma ? P->cma_align : P->page);
		it->fixed_reg = q->has_base || P->opts->fixed_reg;
		it->has_fixed_base = q->has_base;
		it->fixed_base = q->base;
		if (q->has_limit) {
			cut_to(P, it, 0, q->limit);
			limits_add(it, "its limit 0x%" PRIx64, q->limit);
		}
		if (P->p->arch == CVO_ARCH_ARM && (q->kind == CVO_REQUEST_RESTRICTED_POOL ||
						   q->kind == CVO_REQUEST_COHERENT_POOL)) {
			cut_to(P, it, 0, cvo_arm_lowmem_limit(P->m));
			limits_add(it, "lowmem (below 0x%" PRIx64 ")", cvo_arm_lowmem_limit(P->m));
		}
		for (size_t k = 0; k < q->n_consumers && it->n_consumers < 16; k++) {
			int node = node_of(P, q->consumers[k]);
			if (node < 0) {
				note(P, cvo_error_set(P->e, CVO_ERR_INVALID, rq->file, q->line,
						      q->column,
						      "request %s: consumer %s is not a node of the DT",
						      q->name, q->consumers[k]));
				return;
			}
			it->consumers[it->n_consumers++] = q->consumers[k];
			cut_by_device(P, it, node, q->consumers[k]);
		}
	}
}

/* A new, empty conflict of the plan (which is then infeasible); NULL on out of memory. */
static struct cvo_plan_conflict *conflict_new(struct planner *P)
{
	struct cvo_plan *plan = P->plan;
	plan->feasible = false;
	struct cvo_plan_conflict *nc =
	    realloc(plan->conflicts, (plan->n_conflicts + 1) * sizeof(*nc));
	if (!nc) {
		note(P, CVO_ERR_NOMEM);
		return NULL;
	}
	plan->conflicts = nc;
	struct cvo_plan_conflict *c = &plan->conflicts[plan->n_conflicts++];
	memset(c, 0, sizeof(*c));
	return c;
}

/* The kernel's region table and CMA slots hold what the plan adds (MAX_RESERVED_REGIONS,
 * MAX_CMA_AREAS): a conflict when they do not. */
static void table_and_slots(struct planner *P)
{
	const struct cvo_model *m = P->m;
	size_t regions = 0, dyn = 0, add = 0, add_dyn = 0;
	int cma = 0, add_cma = 0;
	for (size_t i = 0; i < m->n_rmem; i++) {
		const struct cvo_region *r = &m->regions[i];
		if (!cvo_region_scanned(m, r))
			continue;
		regions++;
		dyn += !r->is_static;
		cma += cvo_region_is_cma(m, r) && cvo_region_alive(P->pl, r);
	}
	const struct cvo_default_cma *d = &P->pl->default_cma;
	cma += d->present && d->placed && d->source != CVO_CMA_SOURCE_DT;
	for (size_t i = 0; i < P->n_items; i++) {
		const struct item *it = &P->items[i];
		if (it->kind == IT_REGION)
			continue;
		add++;
		add_dyn += !it->fixed_reg;
		add_cma += it->cma && it->kind != IT_DEFAULT_CMA;
	}
	size_t max = P->rules.max_reserved_regions;
	size_t used = P->rules.static_unlimited ? dyn + add_dyn : regions + add;
	size_t added = P->rules.static_unlimited ? add_dyn : add;
	char *msg = NULL, *alt = NULL;
	if (max && added && used > max) {
		msg = cvo_asprintf("the plan adds %zu %sregion%s to the %zu the kernel's table already "
				   "holds, and it holds %zu (MAX_RESERVED_REGIONS)",
				   added, P->rules.static_unlimited ? "dynamic " : "",
				   added == 1 ? "" : "s", used - added, max);
		alt = cvo_strdup(P->rules.static_unlimited
				     ? "with --static the new regions are static (the table grows "
				       "for those), or remove unused regions from the DT"
				     : "remove unused regions from the DT, or run a kernel whose "
				       "table grows for static regions (6.12.103, 6.13)");
	} else if (P->rules.cma_slots > 0 && add_cma && cma + add_cma > P->rules.cma_slots) {
		msg = cvo_asprintf("the plan adds %d CMA area%s to the %d the kernel sets up, and it "
				   "has %d slots (MAX_CMA_AREAS)",
				   add_cma, add_cma == 1 ? "" : "s", cma, P->rules.cma_slots);
		alt = cvo_strdup("a larger CONFIG_CMA_AREAS, or a coherent pool instead of a CMA one");
	}
	if (!msg) {
		free(alt);
		return;
	}
	struct cvo_plan_conflict *c = conflict_new(P);
	char **cs = c ? calloc(1, sizeof(*cs)) : NULL;
	if (!cs) {
		free(msg);
		free(alt);
		note(P, CVO_ERR_NOMEM);
		return;
	}
	cs[0] = cvo_strdup(msg);
	*c = (struct cvo_plan_conflict){ msg, cs, cs[0] ? 1 : 0, alt };
}

/* ------------------------------------------------------------------ placing */

static int cmp_span(const void *a, const void *b)
{
	const struct cvo_span *x = a, *y = b;
	return x->base < y->base ? -1 : x->base > y->base;
}

/* A taken range (end exclusive, wrapping cut at the top). */
static void taken_add(struct planner *P, struct cvo_spans *t, uint64_t base, uint64_t size)
{
	if (!size)
		return;
	uint64_t end = base + size < base ? UINT64_MAX : base + size;
	if (cvo_grow(&t->v, &t->cap, t->n, sizeof(*t->v))) {
		note(P, CVO_ERR_NOMEM);
		return;
	}
	t->v[t->n++] = (struct cvo_span){ base, end };
}

/* Free memory: RAM less what stays, in one sorted sweep (n log n, however many regions). */
static void free_space(struct planner *P)
{
	const struct cvo_placement *pl = P->pl;
	const struct cvo_model *m = P->m;
	struct cvo_spans t = { 0 };
	for (size_t i = 0; i < m->n_regions; i++) {
		const struct cvo_region *r = &m->regions[i];
		uint64_t b, s;
		if (P->replan[i])
			continue;
		/* every reg entry of what stays; a region the kernel refused still holds its
		 * range when the plan does not move it */
		if (r->is_static && r->reg_len_ok && r->available) {
			for (size_t k = 0; k < r->n_regs; k++)
				taken_add(P, &t, r->regs[k].base, r->regs[k].size);
		} else if (cvo_region_occupies(pl, r, &b, &s)) {
			taken_add(P, &t, b, s);
		}
	}
	/* the initrd the bootloader loaded (linux,initrd-start/-end) */
	if (m->has_initrd)
		taken_add(P, &t, m->initrd.base, m->initrd.size);
	const struct cvo_default_cma *d = &pl->default_cma;
	bool cma_planned = false;
	/* a planned DT default area takes the Kconfig or cma= one's place */
	for (size_t i = 0; i < P->n_items; i++)
		cma_planned |= P->items[i].kind == IT_DEFAULT_CMA ||
			       (P->items[i].kind == IT_REGION &&
				m->regions[P->items[i].region].cma_default && P->items[i].cma);
	if (d->present && d->placed && d->region < 0 && !cma_planned)
		taken_add(P, &t, d->base, d->size);
	if (t.n > 1)
		qsort(t.v, t.n, sizeof(*t.v), cmp_span);
	/* each RAM span less the taken ranges, both sorted */
	size_t k = 0;
	for (size_t i = 0; i < P->ram.n && !P->err; i++) {
		uint64_t cur = P->ram.v[i].base, end = P->ram.v[i].end;
		while (k < t.n && t.v[k].end <= cur)
			k++;
		for (size_t j = k; j < t.n && t.v[j].base < end && cur < end; j++) {
			if (t.v[j].end <= cur)
				continue;
			if (t.v[j].base > cur)
				note(P, cvo_spans_add(&P->free, cur, t.v[j].base));
			if (t.v[j].end > cur)
				cur = t.v[j].end;
		}
		if (cur < end)
			note(P, cvo_spans_add(&P->free, cur, end));
	}
	cvo_spans_fini(&t);
}

/* The zone boundaries a CMA item must not cross. */
static void zone_bounds(const struct planner *P, uint64_t *b, size_t *n)
{
	*n = 0;
	if (P->pl->zone_dma_end)
		b[(*n)++] = P->pl->zone_dma_end;
	if (P->pl->zone_dma32_end && P->pl->zone_dma32_end != P->pl->zone_dma_end)
		b[(*n)++] = P->pl->zone_dma32_end;
}

/* The highest aligned base of size bytes in win ∩ free; false when none. */
static bool find_top(const struct planner *P, const struct item *it, const struct cvo_spans *fr,
		     uint64_t size, uint64_t *base)
{
	uint64_t zb[2];
	size_t nz = 0;
	if (it->cma)
		zone_bounds(P, zb, &nz);
	for (size_t i = fr->n; i-- > 0;) {
		for (size_t j = it->win.n; j-- > 0;) {
			uint64_t lo = fr->v[i].base > it->win.v[j].base ? fr->v[i].base
									: it->win.v[j].base;
			uint64_t hi = fr->v[i].end < it->win.v[j].end ? fr->v[i].end : it->win.v[j].end;
			/* pieces between zone boundaries, highest first */
			uint64_t cuts[4] = { hi };
			size_t nc = 1;
			for (size_t k = 0; k < nz; k++)
				if (zb[k] > lo && zb[k] < hi)
					cuts[nc++] = zb[k];
			cuts[nc] = lo;
			/* cuts[0] is hi; sort the inner ones descending */
			for (size_t a = 1; a < nc; a++)
				for (size_t c = a + 1; c < nc; c++)
					if (cuts[c] > cuts[a]) {
						uint64_t t = cuts[a];
						cuts[a] = cuts[c];
						cuts[c] = t;
					}
			for (size_t k = 0; k < nc; k++) {
				uint64_t top = cuts[k], bot = cuts[k + 1];
				if (top - bot < size)
					continue;
				uint64_t b = (top - size) / it->align * it->align;
				if (b >= bot) {
					*base = b;
					return true;
				}
			}
		}
	}
	return false;
}

/* The largest aligned size that fits win ∩ free (the nearest feasible alternative). */
static uint64_t largest_fit(const struct planner *P, const struct item *it)
{
	uint64_t lo = 0, hi = it->size, unit = it->cma ? P->cma_align : P->page, b;
	if (!unit)
		unit = 4096;
	lo = 0;
	hi /= unit;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo + 1) / 2;
		if (find_top(P, it, &P->free, mid * unit, &b))
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo * unit;
}

static int cmp_items(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	if (x->has_fixed_base != y->has_fixed_base)
		return x->has_fixed_base ? -1 : 1;
	uint64_t wx = spans_total(&x->win), wy = spans_total(&y->win);
	if (wx != wy)
		return wx < wy ? -1 : 1;
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return strcmp(x->path, y->path);
}

static char *fmt_size(uint64_t v)
{
	char buf[32];
	return cvo_strdup(cvo_fmt_size(v, buf, sizeof(buf)));
}

static void conflict(struct planner *P, struct item *it)
{
	struct cvo_plan_conflict *c = conflict_new(P);
	if (!c)
		return;
	/* the window's free memory before any item was placed, and the items placed in it */
	char sz[32], al[32], fr[32];
	cvo_fmt_size(it->size, sz, sizeof(sz));
	cvo_fmt_size(it->align, al, sizeof(al));
	struct cvo_spans w = { 0 };
	for (size_t i = 0; i < it->win.n; i++)
		note(P, cvo_spans_add(&w, it->win.v[i].base, it->win.v[i].end));
	note(P, spans_intersect(&w, &P->free));
	uint64_t big = 0;
	for (size_t i = 0; i < w.n; i++)
		if (w.v[i].end - w.v[i].base > big)
			big = w.v[i].end - w.v[i].base;
	cvo_fmt_size(spans_total(&w), fr, sizeof(fr));
	char bg[32];
	cvo_fmt_size(big, bg, sizeof(bg));
	cvo_spans_fini(&w);
	size_t cap = 1 + P->n_items + 9;
	c->constraints = calloc(cap, sizeof(*c->constraints));
	if (!c->constraints) {
		note(P, CVO_ERR_NOMEM);
		return;
	}
	c->constraints[c->n_constraints++] =
	    cvo_asprintf("%s: %s aligned to %s within %s", it->path, sz, al, it->limits);
	for (size_t i = 0; i < P->n_items; i++) {
		const struct item *o = &P->items[i];
		if (o == it || !o->placed)
			continue;
		bool inside = true;
		for (size_t k = 0; k < o->win.n && inside; k++)
			inside = cvo_spans_cover(&it->win, o->win.v[k].base, o->win.v[k].end);
		bool overlaps = false;
		for (size_t k = 0; k < it->win.n; k++)
			overlaps |= o->base < it->win.v[k].end && it->win.v[k].base < o->base + o->size;
		if (!overlaps)
			continue;
		char os[32];
		cvo_fmt_size(o->size, os, sizeof(os));
		c->constraints[c->n_constraints++] =
		    cvo_asprintf("%s: %s placed in the same window%s", o->path, os,
				 inside ? " (its own window lies inside it)" : "");
	}
	/* what stays in the window: the fixed regions that take its memory */
	size_t shown = 0, more = 0;
	for (size_t i = 0; i < P->m->n_regions && c->n_constraints < cap; i++) {
		const struct cvo_region *r = &P->m->regions[i];
		uint64_t b, z;
		if (P->replan[i] || !cvo_region_occupies(P->pl, r, &b, &z) || !z ||
		    !cvo_spans_overlap(&it->win, b, b + z))
			continue;
		if (shown == 8) {
			more++;
			continue;
		}
		char rs[32];
		cvo_fmt_size(z, rs, sizeof(rs));
		c->constraints[c->n_constraints++] =
		    cvo_asprintf("%s stays at 0x%" PRIx64 "..0x%" PRIx64 " (%s)", r->path, b,
				 b + z - 1, rs);
		shown++;
	}
	if (more && c->n_constraints < cap)
		c->constraints[c->n_constraints++] =
		    cvo_asprintf("%zu more regions stay in the window", more);
	if (!spans_total(&it->win))
		c->message = cvo_asprintf("%s needs %s aligned to %s within %s, and that window "
					  "holds no RAM",
					  it->path, sz, al, it->limits);
	else
		c->message = cvo_asprintf("%s needs %s aligned to %s within %s: %s of that window "
					  "is free once what stays and what is placed first is taken, "
					  "the largest free range %s",
					  it->path, sz, al, it->limits, fr, bg);
	uint64_t fit = largest_fit(P, it);
	if (fit) {
		char *f = fmt_size(fit);
		c->alternative = cvo_asprintf("%s fits with at most %s", it->path, f ? f : "?");
		free(f);
	} else {
		c->alternative = NULL;
	}
	for (size_t i = 0; i < c->n_constraints; i++)
		if (!c->constraints[i])
			note(P, CVO_ERR_NOMEM);
	if (!c->message)
		note(P, CVO_ERR_NOMEM);
}

/* A static region moves as little as it can: of the aligned bases where it fits, the one
 * nearest the base its reg states. */
static bool near_stated(const struct planner *P, const struct item *it, uint64_t *base)
{
	if (it->kind != IT_REGION)
		return false;
	const struct cvo_region *r = &P->m->regions[it->region];
	if (!r->is_static)
		return false;
	uint64_t at = r->regs[0].base, zb[2];
	size_t nz = 0;
	if (it->cma)
		zone_bounds(P, zb, &nz);
	bool found = false;
	uint64_t best = 0, dist = UINT64_MAX;
	const struct cvo_spans *fr = &P->free;
	for (size_t i = 0; i < fr->n; i++) {
		for (size_t j = 0; j < it->win.n; j++) {
			uint64_t lo = fr->v[i].base > it->win.v[j].base ? fr->v[i].base
									: it->win.v[j].base;
			uint64_t hi = fr->v[i].end < it->win.v[j].end ? fr->v[i].end : it->win.v[j].end;
			/* the pieces between zone boundaries */
			uint64_t cut[4] = { lo };
			size_t nc = 1;
			for (size_t k = 0; k < nz; k++)
				if (zb[k] > lo && zb[k] < hi)
					cut[nc++] = zb[k];
			cut[nc] = hi;
			if (nc == 3 && cut[1] > cut[2]) {
				uint64_t t = cut[1];
				cut[1] = cut[2];
				cut[2] = t;
			}
			for (size_t k = 0; k < nc; k++) {
				uint64_t a = cut[k], b = cut[k + 1];
				if (b < a || b - a < it->size)
					continue;
				uint64_t c = at < a ? a : at > b - it->size ? b - it->size : at;
				uint64_t d = c / it->align * it->align;
				uint64_t u = d + (d == c ? 0 : it->align);
				const uint64_t cand[2] = { d, u };
				for (size_t q = 0; q < 2; q++) {
					uint64_t v = cand[q];
					if (v < a || v > b - it->size)
						continue;
					uint64_t dd = v > at ? v - at : at - v;
					if (dd < dist) {
						dist = dd;
						best = v;
						found = true;
					}
				}
			}
		}
	}
	if (found)
		*base = best;
	return found;
}

static void place_items(struct planner *P)
{
	if (P->n_items > 1)
		qsort(P->items, P->n_items, sizeof(*P->items), cmp_items);
	for (size_t i = 0; i < P->n_items && !P->err; i++) {
		struct item *it = &P->items[i];
		uint64_t base;
		bool ok;
		if (it->has_fixed_base) {
			base = it->fixed_base;
			ok = cvo_spans_cover(&P->free, base, base + it->size) &&
			     cvo_spans_cover(&it->win, base, base + it->size);
		} else {
			ok = it->size && (near_stated(P, it, &base) ||
					  find_top(P, it, &P->free, it->size, &base));
		}
		if (!ok) {
			conflict(P, it);
			continue;
		}
		it->placed = true;
		it->base = base;
		note(P, cvo_spans_remove(&P->free, base, base + it->size));
	}
}

static void reset_conflicts(struct cvo_plan *p)
{
	for (size_t i = 0; i < p->n_conflicts; i++) {
		free(p->conflicts[i].message);
		for (size_t k = 0; k < p->conflicts[i].n_constraints; k++)
			free(p->conflicts[i].constraints[k]);
		free(p->conflicts[i].constraints);
		free(p->conflicts[i].alternative);
	}
	free(p->conflicts);
	p->conflicts = NULL;
	p->n_conflicts = 0;
	p->feasible = true;
}

/*
 * An item that did not fit: the movable regions the plan left where the kernel puts them
 * and that hold memory in its window are planned too (the pool that took a dynamic
 * region's alloc-ranges moves out of it). Whether any was added.
 */
static bool widen(struct planner *P)
{
	const struct cvo_model *m = P->m;
	size_t n = 0;
	int *add = calloc(m->n_regions ? m->n_regions : 1, sizeof(*add));
	const char **why = calloc(m->n_regions ? m->n_regions : 1, sizeof(*why));
	if (!add || !why) {
		free(add);
		free(why);
		note(P, CVO_ERR_NOMEM);
		return false;
	}
	for (size_t i = 0; i < P->n_items; i++) {
		const struct item *it = &P->items[i];
		if (it->placed || !it->n_fixes)
			continue;
		for (size_t k = 0; k < m->n_regions; k++) {
			const struct cvo_region *r = &m->regions[k];
			uint64_t b, sz;
			/* the cheap tests first: movable() asks the platform about every consumer */
			if (P->replan[k] || why[k] || !cvo_region_occupies(P->pl, r, &b, &sz) ||
			    !cvo_spans_overlap(&it->win, b, b + sz) || !movable(P, r))
				continue;
			why[k] = it->fixes[0];
			add[n++] = (int)k;
		}
	}
	for (size_t i = 0; i < n; i++)
		region_item(P, add[i], why[add[i]]);
	free(add);
	free(why);
	return n > 0;
}

/* ------------------------------------------------------------------ writing the plan */

static void pin(struct planner *P, struct item *it, const char *path)
{
	uint8_t buf[16];
	size_t len = range_cells(P, it->base, it->size, buf);
	for (size_t k = 0; k < it->n_fixes; k++) {
		struct cvo_change *ch =
		    set_prop(P, CVO_CHANGE_MOVE, path, it->fixed_reg ? "reg" : "alloc-ranges", buf,
			     len, it->fixes[k]);
		(void)ch;
	}
}

static void write_region(struct planner *P, struct item *it)
{
	const struct cvo_region *r = &P->m->regions[it->region];
	if (r->is_static) {
		pin(P, it, r->path);
		struct cvo_change *ch = change_find(P, r->path, "reg");
		if (ch && it->size != r->regs[0].size)
			ch->action = CVO_CHANGE_RESIZE;
		/* the unit address follows the reg */
		if (ch)
			follow_unit_address(P, ch, r, it->base, false, it->fixes[0]);
		return;
	}
	if (it->size != r->size) {
		uint8_t sb[8];
		cvo_write_cells(sb, P->sc, it->size);
		for (size_t k = 0; k < it->n_fixes; k++)
			set_prop(P, CVO_CHANGE_RESIZE, r->path, "size", sb, 4 * P->sc, it->fixes[k]);
	}
	if (P->opts->fixed_reg) {
		pin(P, it, r->path);
		/* a static region gets its unit address */
		struct cvo_change *ch = change_find(P, r->path, "reg");
		if (ch)
			follow_unit_address(P, ch, r, it->base, true, it->fixes[0]);
		del_prop(P, r->path, "size", it->fixes[0]);
		if (r->has_alloc_ranges)
			del_prop(P, r->path, "alloc-ranges", it->fixes[0]);
		if (r->has_alignment)
			del_prop(P, r->path, "alignment", it->fixes[0]);
	} else {
		pin(P, it, r->path);
	}
}

/* memory-region of consumer path with ph added first (companion) or last (request). */
static void add_consumer(struct planner *P, const char *path, uint32_t ph, bool first,
			 const char *fix)
{
	const void *fdt = P->m->blob->fdt;
	size_t len;
	const uint8_t *cur = prop_now(P, path, "memory-region", &len);
	uint8_t *v = malloc(len + 4);
	if (!v) {
		note(P, CVO_ERR_NOMEM);
		return;
	}
	uint8_t phb[4] = { (uint8_t)(ph >> 24), (uint8_t)(ph >> 16), (uint8_t)(ph >> 8),
			   (uint8_t)ph };
	if (first) {
		memcpy(v, phb, 4);
		if (len)
			memcpy(v + 4, cur, len);
	} else {
		if (len)
			memcpy(v, cur, len);
		memcpy(v + len, phb, 4);
	}
	set_prop(P, CVO_CHANGE_SET_PROPERTY, path, "memory-region", v, len + 4, fix);
	free(v);
	/* memory-region-names keeps one name per entry */
	int node = node_of(P, path);
	int nl = 0;
	const char *names = node >= 0 ? fdt_getprop(fdt, node, "memory-region-names", &nl) : NULL;
	if (names && nl > 0 && !change_find(P, path, "memory-region-names")) {
		const char *nm = first ? "coherent" : "extra";
		size_t add = strlen(nm) + 1;
		char *nv = malloc((size_t)nl + add);
		if (!nv) {
			note(P, CVO_ERR_NOMEM);
			return;
		}
		if (first) {
			memcpy(nv, nm, add);
			memcpy(nv + add, names, (size_t)nl);
		} else {
			memcpy(nv, names, (size_t)nl);
			memcpy(nv + nl, nm, add);
		}
		set_prop(P, CVO_CHANGE_SET_PROPERTY, path, "memory-region-names", nv,
			 (size_t)nl + add, fix);
		free(nv);
	}
}

static void write_new(struct planner *P, struct item *it)
{
	struct cvo_change *ch;
	char path[320];
	if (it->fixed_reg)
		snprintf(path, sizeof(path), "%s@%" PRIx64, it->path, it->base);
	else
		snprintf(path, sizeof(path), "%s", it->path);
	if (!(ch = change_new(P, CVO_CHANGE_ADD_NODE, path, NULL)))
		return;
	ch->request = it->kind == IT_REQUEST ? it->req->name : NULL;
	for (size_t k = 0; k < it->n_fixes; k++)
		add_fix(ch->fixes, &ch->n_fixes, it->fixes[k]);
	bool cma = it->cma, nomap, restricted = false;
	if (it->kind == IT_REQUEST) {
		const struct cvo_request *q = it->req;
		restricted = q->kind == CVO_REQUEST_RESTRICTED_POOL;
		nomap = q->no_map == CVO_UNSET ? q->kind == CVO_REQUEST_COHERENT_POOL ||
						     q->kind == CVO_REQUEST_RESERVED
					       : q->no_map == 1;
	} else {
		nomap = it->kind == IT_COMPANION;
	}
	int e = 0;
	if (restricted)
		e |= add_prop(ch, "compatible", "restricted-dma-pool", sizeof("restricted-dma-pool"));
	else if (cma || it->kind == IT_COMPANION ||
		 (it->kind == IT_REQUEST && it->req->kind == CVO_REQUEST_COHERENT_POOL))
		e |= add_prop(ch, "compatible", "shared-dma-pool", sizeof("shared-dma-pool"));
	if (cma)
		e |= add_prop(ch, "reusable", NULL, 0);
	if (it->kind == IT_DEFAULT_CMA)
		e |= add_prop(ch, "linux,cma-default", NULL, 0);
	if (nomap && !cma)
		e |= add_prop(ch, "no-map", NULL, 0);
	uint8_t buf[16];
	size_t len = range_cells(P, it->base, it->size, buf);
	if (it->fixed_reg) {
		e |= add_prop(ch, "reg", buf, len);
	} else {
		uint8_t sb[8];
		cvo_write_cells(sb, P->sc, it->size);
		e |= add_prop(ch, "size", sb, 4 * P->sc);
		e |= add_prop(ch, "alloc-ranges", buf, len);
	}
	if (it->n_consumers) {
		it->phandle = P->next_phandle++;
		uint8_t ph[4] = { (uint8_t)(it->phandle >> 24), (uint8_t)(it->phandle >> 16),
				  (uint8_t)(it->phandle >> 8), (uint8_t)it->phandle };
		e |= add_prop(ch, "phandle", ph, 4);
	}
	note(P, e ? CVO_ERR_NOMEM : 0);
	for (size_t k = 0; k < it->n_consumers; k++) {
		add_consumer(P, it->consumers[k], it->phandle, it->kind == IT_COMPANION,
			     it->n_fixes ? it->fixes[0] : NULL);
		struct cvo_change *mr = change_find(P, it->consumers[k], "memory-region");
		if (mr && it->kind == IT_REQUEST)
			mr->request = it->req->name;
	}
}

static int cmp_change(const void *a, const void *b)
{
	const struct cvo_change *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	if (c)
		return c;
	if (x->action != y->action)
		return (int)x->action - (int)y->action;
	return strcmp(x->property ? x->property : "", y->property ? y->property : "");
}

static void write_plan(struct planner *P)
{
	bool any = false;
	for (size_t i = 0; i < P->n_items; i++)
		any |= P->items[i].placed;
	if (any && P->m->rmem_node < 0) {
		/* a /reserved-memory as drivers/of/of_reserved_mem.c wants it: the root's cells,
		 * an empty ranges */
		struct cvo_change *ch = change_new(P, CVO_CHANGE_ADD_NODE, "/reserved-memory", NULL);
		uint8_t ac[4], sc[4];
		cvo_write_cells(ac, 1, P->ac);
		cvo_write_cells(sc, 1, P->sc);
		if (ch && (add_prop(ch, "#address-cells", ac, 4) || add_prop(ch, "#size-cells", sc, 4) ||
			   add_prop(ch, "ranges", NULL, 0)))
			note(P, CVO_ERR_NOMEM);
		for (size_t i = 0; ch && i < P->n_items; i++)
			for (size_t k = 0; P->items[i].placed && k < P->items[i].n_fixes; k++)
				add_fix(ch->fixes, &ch->n_fixes, P->items[i].fixes[k]);
	}
	for (size_t i = 0; i < P->n_items && !P->err; i++) {
		struct item *it = &P->items[i];
		if (!it->placed)
			continue;
		if (it->kind == IT_REGION)
			write_region(P, it);
		else
			write_new(P, it);
	}
	struct cvo_changes *c = &P->plan->changes;
	if (c->n > 1)
		qsort(c->v, c->n, sizeof(*c->v), cmp_change);
}

/* ------------------------------------------------------------------ what plan does per check */

static const struct {
	const char *check;
	bool resolves;
	const char *what;
} resolutions[] = {
	{ "rmem_overlap", true, "moves the movable side (a dynamic region, a static reusable pool, "
				"or one the platform marks movable: true) out of the other's range" },
	{ "rmem_nomap_busy", true, "moves the movable region out from under the no-map one" },
	{ "rmem_alloc_fail", true, "places the region where it fits, pinned with alloc-ranges, and "
				   "moves movable regions out of its window; when nothing fits, names "
				   "what takes the window and the largest size that fits" },
	{ "rmem_page_align", true, "widens a static region's reg to whole pages when nothing else "
				   "holds the rest of them" },
	{ "cma_alignment", true, "moves (and resizes) the CMA region to the CMA alignment" },
	{ "cma_flags", true, "drops what rmem_cma_setup() refuses (no-map beside reusable, or "
			     "linux,cma-default on a pool that is not reusable)" },
	{ "cma_zone_straddle", true, "moves the CMA area within one zone" },
	{ "cma_unreachable", true, "pins the default CMA area below the reach of the devices that "
				   "use it (a linux,cma-default region with alloc-ranges, added when "
				   "the area comes from Kconfig)" },
	{ "cma_undersized", true, "sizes the default CMA area from the platform's demand (cma: of "
				  "the devices that use it)" },
	{ "dma_pool_nomap", true, "adds no-map" },
	{ "restricted_pool_props", true, "drops the properties rmem_swiotlb_setup() refuses" },
	{ "restricted_pool_coherent", true, "adds a no-map shared-dma-pool companion within the "
					    "device's reach (on arm in lowmem), first in its "
					    "memory-region, of 1 MiB or what its devices' cma: and "
					    "atomic: add up to; moves a companion the driver does not "
					    "attach to entry 0; grows one too small (static: says how); "
					    "for a driver that never attaches one (virtio-mmio) it says "
					    "what the kernel needs instead" },
	{ "restricted_pool_highmem", true, "moves the pool into lowmem" },
	{ "memory_region_firmware_map", true, "adds no-map" },
	{ "memory_region_unreachable", true, "moves the pool within the device's reach" },
	{ "dma_coherent_mismatch", true, "adds dma-coherent where the platform says the device is "
					 "coherent" },
	{ "dma_mask_no_zone", false, "no DT change: the kernel needs a zone below the device's "
				     "reach (CONFIG_ZONE_DMA32 or CONFIG_ZONE_DMA)" },
	{ "dma_small_alloc_cma", false, "no DT change: allocations of one page or less skip CMA, "
					"so only a zone below the device's reach serves them" },
};

const char *cvo_plan_resolution(const char *check, bool *resolves)
{
	for (size_t i = 0; i < CVO_ARRAY_LEN(resolutions); i++)
		if (!strcmp(resolutions[i].check, check)) {
			if (resolves)
				*resolves = resolutions[i].resolves;
			return resolutions[i].what;
		}
	if (resolves)
		*resolves = false;
	return NULL;
}

/* ------------------------------------------------------------------ entry */

int cvo_plan_build(const struct cvo_placement *pl, const struct cvo_report *findings,
		   const struct cvo_plan_opts *opts, struct cvo_plan **out, struct cvo_error *err)
{
	static const struct cvo_plan_opts none = { 0 };
	*out = NULL;
	const struct cvo_model *m = pl->model;
	if (!m->n_banks) {
		return cvo_error_set(err, CVO_ERR_INVALID, m->blob->name, 0, 0,
				     "RAM is unknown (no usable /memory and no platform memory:), so "
				     "nothing can be placed: give it with --memory BASE:SIZE");
	}
	struct planner P = { 0 };
	P.pl = pl;
	P.m = m;
	P.p = m->platform ? m->platform : &cvo_default_platform;
	P.findings = findings;
	P.opts = opts ? opts : &none;
	P.rules = cvo_rules_for(P.p);
	P.page = P.p->page_size ? P.p->page_size : 4096;
	P.cma_align = P.rules.cma_min_align && !(P.rules.cma_min_align & (P.rules.cma_min_align - 1))
			  ? P.rules.cma_min_align
			  : P.page;
	P.ac = m->root_addr_cells;
	P.sc = m->root_size_cells;
	P.e = err;
	P.plan = calloc(1, sizeof(*P.plan));
	P.replan = calloc(m->n_regions ? m->n_regions : 1, sizeof(*P.replan));
	if (!P.plan || !P.replan) {
		free(P.plan);
		free(P.replan);
		return CVO_ERR_NOMEM;
	}
	P.plan->feasible = true;
	uint32_t maxph = 0;
	fdt_find_max_phandle(m->blob->fdt, &maxph);
	P.next_phandle = maxph + 1;
	struct cvo_range *ram = NULL;
	size_t n_ram = 0;
	note(&P, cvo_place_memory(m, &ram, &n_ram));
	for (size_t i = 0; i < n_ram; i++)
		note(&P, cvo_spans_add(&P.ram, ram[i].base, ram[i].base + ram[i].size));
	free(ram);
	if (!P.err)
		index_paths(&P);
	if (!P.err)
		from_findings(&P);
	if (!P.err)
		from_requests(&P);
	if (!P.err && P.n_items &&
	    (!m->root_cells_ok || P.ac > 2 || P.sc > 2 || (m->rmem_node >= 0 && !m->rmem_format_ok)))
		P.err = cvo_error_set(err, CVO_ERR_INVALID, m->blob->name, 0, 0,
				      "the kernel ignores this DT's /reserved-memory (its "
				      "#address-cells, #size-cells or ranges are not the root's, or the "
				      "root's cells are not 1 or 2): nothing can be planned into it");
	if (!P.err)
		free_space(&P);
	if (!P.err)
		place_items(&P);
	if (!P.err && widen(&P)) {
		/* again, with what was in the way planned too */
		reset_conflicts(P.plan);
		for (size_t i = 0; i < P.n_items; i++)
			P.items[i].placed = false;
		cvo_spans_fini(&P.free);
		free_space(&P);
		if (!P.err)
			place_items(&P);
	}
	if (!P.err)
		table_and_slots(&P);
	if (!P.err)
		write_plan(&P);
	for (size_t i = 0; i < P.n_items; i++) {
		free(P.items[i].path);
		cvo_spans_fini(&P.items[i].win);
	}
	free(P.items);
	free(P.replan);
	free(P.paths);
	free(P.refs);
	cvo_spans_fini(&P.ram);
	cvo_spans_fini(&P.free);
	if (P.err) {
		cvo_plan_free(P.plan);
		if (P.err == CVO_ERR_NOMEM)
			cvo_error_set(err, CVO_ERR_NOMEM, m->blob->name, 0, 0, "out of memory");
		return P.err;
	}
	*out = P.plan;
	return 0;
}

void cvo_plan_free(struct cvo_plan *p)
{
	if (!p)
		return;
	cvo_changes_fini(&p->changes);
	reset_conflicts(p);
	for (size_t i = 0; i < p->n_advice; i++) {
		free(p->advice[i].path);
		free(p->advice[i].what);
	}
	free(p->advice);
	free(p);
}
