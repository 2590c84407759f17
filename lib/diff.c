// SPDX-License-Identifier: MIT
/*
 * What a change to a device tree does to the kernel's layout: two placed
 * models of one platform compared region by region, the default CMA area, the
 * reach of every consumer, and the findings of both check runs.
 */
#include <stdlib.h>
#include <string.h>

#include "dma.h"
#include "region.h"
#include "util.h"

const char *cvo_diff_kind_name(enum cvo_diff_kind kind)
{
	switch (kind) {
	case CVO_DIFF_ADDED: return "added";
	case CVO_DIFF_REMOVED: return "removed";
	case CVO_DIFF_MOVED: return "moved";
	case CVO_DIFF_RESIZED: return "resized";
	case CVO_DIFF_STATUS: return "status";
	case CVO_DIFF_KIND: return "kind";
	case CVO_DIFF_CMA_APPEARED: return "cma-appeared";
	case CVO_DIFF_CMA_VANISHED: return "cma-vanished";
	case CVO_DIFF_CMA_MOVED: return "cma-moved";
	case CVO_DIFF_CMA_RESIZED: return "cma-resized";
	case CVO_DIFF_DMA_LIMIT: return "dma-limit";
	case CVO_DIFF_REACH: return "reach";
	case CVO_DIFF_FINDING_NEW: return "new";
	case CVO_DIFF_FINDING_FIXED: return "fixed";
	}
	return "?";
}

const char *cvo_diff_cause_name(enum cvo_diff_cause cause)
{
	switch (cause) {
	case CVO_CAUSE_NONE: return NULL;
	case CVO_CAUSE_REG: return "reg";
	case CVO_CAUSE_SIZE: return "size";
	case CVO_CAUSE_ALIGNMENT: return "alignment";
	case CVO_CAUSE_ALLOC_RANGES: return "alloc-ranges";
	case CVO_CAUSE_MEMORY: return "memory";
	case CVO_CAUSE_INITRD: return "initrd";
	case CVO_CAUSE_DMA_LIMIT: return "dma-limit";
	case CVO_CAUSE_NEW_REGION: return "new-region";
	case CVO_CAUSE_REGION_MOVED: return "region-moved";
	case CVO_CAUSE_FREED: return "freed";
	case CVO_CAUSE_OTHERS: return "others";
	}
	return NULL;
}

const char *cvo_reach_name(enum cvo_reach reach)
{
	switch (reach) {
	case CVO_REACH_FULL: return "reachable";
	case CVO_REACH_PARTIAL: return "partly-reachable";
	case CVO_REACH_NONE: return "unreachable";
	case CVO_REACH_IOMMU: return "iommu";
	case CVO_REACH_NO_POOL: return "no-pool";
	}
	return "?";
}

/* ------------------------------------------------------------------ building */

struct build {
	struct cvo_diff *d;
	const struct cvo_model *o, *n;
	const struct cvo_placement *po, *pn; /* their placements */
	int *o2n, *n2o; /* region matches, -1 when none */
	bool nomem;
	size_t cap;
};

/* A copy the diff owns; NULL for NULL (and on out of memory, with b->nomem set). */
static const char *keep(struct build *b, const char *s)
{
	if (!s)
		return NULL;
	struct cvo_diff *d = b->d;
	char *c = cvo_strdup(s);
	if (!c || cvo_grow(&d->strings, &d->cap_strings, d->n_strings, sizeof(*d->strings))) {
		free(c);
		b->nomem = true;
		return NULL;
	}
	d->strings[d->n_strings++] = c;
	return c;
}

static struct cvo_diff_change *add(struct build *b, enum cvo_diff_kind kind, const char *path)
{
	struct cvo_diff *d = b->d;
	if (cvo_grow(&d->changes, &b->cap, d->n, sizeof(*d->changes))) {
		b->nomem = true;
		return NULL;
	}
	struct cvo_diff_change *c = &d->changes[d->n];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->path = keep(b, path);
	if (path && !c->path)
		return NULL;
	d->n++;
	return c;
}

/* The size a region asks for: reg for a static one, size for a dynamic one. */
static bool region_size(const struct cvo_region *r, uint64_t *size)
{
	if (r->is_static) {
		if (!r->reg_len_ok || !r->n_regs)
			return false;
		*size = r->regs[0].size;
		return true;
	}
	if (!r->has_size || !r->size_len_ok)
		return false;
	*size = r->size;
	return true;
}

static void side_of(struct build *b, const struct cvo_placement *pl, const struct cvo_region *r,
		    struct cvo_diff_side *s)
{
	s->present = true;
	s->kind = r->kind;
	s->is_static = r->is_static;
	s->status = cvo_outcome(pl, r)->status;
	s->has_base = cvo_outcome(pl, r)->has_base;
	s->base = cvo_outcome(pl, r)->base;
	s->has_size = region_size(r, &s->size);
	if ((cvo_outcome(pl, r)->status == CVO_STATUS_FAILED ||
	     cvo_outcome(pl, r)->status == CVO_STATUS_IGNORED) &&
	    cvo_outcome(pl, r)->why != CVO_WHY_NONE)
		s->reason = keep(b, cvo_region_why_text(pl, r));
}

/* Where a region is in memory: alive, with a span. */
static bool live_span(const struct cvo_placement *pl, const struct cvo_region *r, uint64_t *base,
		      uint64_t *size)
{
	const struct cvo_model *m = pl->model;
	if ((size_t)(r - m->regions) < m->n_rmem && !cvo_region_scanned(m, r))
		return false;
	return cvo_region_alive(pl, r) && cvo_outcome(pl, r)->status != CVO_STATUS_UNPLACED &&
	       cvo_region_span(pl, r, base, size);
}

/* ------------------------------------------------------------------ matching regions */

/* "/reserved-memory/name" of "/reserved-memory/name@unit": the length to compare. */
static size_t stem_len(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *at = strchr(slash ? slash : path, '@');
	return at ? (size_t)(at - path) : strlen(path);
}

static bool same_stem(const char *a, const char *b)
{
	size_t la = stem_len(a);
	return la == stem_len(b) && !memcmp(a, b, la);
}

struct by_path {
	const char *path;
	int idx;
};

static int cmp_by_path(const void *a, const void *b)
{
	const struct by_path *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	return c ? c : x->idx - y->idx;
}

static struct by_path *sorted_paths(const struct cvo_model *m)
{
	struct by_path *v = calloc(m->n_regions + 1, sizeof(*v));
	if (!v)
		return NULL;
	for (size_t i = 0; i < m->n_regions; i++)
		v[i] = (struct by_path){m->regions[i].path, (int)i};
	qsort(v, m->n_regions, sizeof(*v), cmp_by_path);
	return v;
}

static int match_regions(struct build *b)
{
	const struct cvo_model *o = b->o, *n = b->n;
	b->o2n = malloc((o->n_regions + 1) * sizeof(int));
	b->n2o = malloc((n->n_regions + 1) * sizeof(int));
	struct by_path *vo = sorted_paths(o), *vn = sorted_paths(n);
	if (!b->o2n || !b->n2o || !vo || !vn) {
		free(vo);
		free(vn);
		return CVO_ERR_NOMEM;
	}
	for (size_t i = 0; i < o->n_regions; i++)
		b->o2n[i] = -1;
	for (size_t i = 0; i < n->n_regions; i++)
		b->n2o[i] = -1;
	/* the same path (a duplicated path pairs first with first) */
	for (size_t i = 0, j = 0; i < o->n_regions && j < n->n_regions;) {
		int c = strcmp(vo[i].path, vn[j].path);
		if (c < 0) {
			i++;
		} else if (c > 0) {
			j++;
		} else {
			b->o2n[vo[i].idx] = vn[j].idx;
			b->n2o[vn[j].idx] = vo[i].idx;
			i++, j++;
		}
	}
	/* then the same node name without the unit address, when it is unique on both sides
	 * among the unmatched: a static region that moved changes its unit address */
	for (size_t i = 0; i < o->n_regions; i++) {
		if (b->o2n[i] >= 0)
			continue;
		const char *p = o->regions[i].path;
		int cand = -1, count = 0;
		for (size_t j = 0; j < n->n_regions; j++)
			if (b->n2o[j] < 0 && same_stem(p, n->regions[j].path))
				cand = (int)j, count++;
		if (count != 1)
			continue;
		for (size_t k = 0; k < o->n_regions; k++)
			if (k != i && b->o2n[k] < 0 && same_stem(p, o->regions[k].path))
				count++;
		if (count != 1)
			continue;
		b->o2n[i] = cand;
		b->n2o[cand] = (int)i;
	}
	free(vo);
	free(vn);
	return 0;
}

/* ------------------------------------------------------------------ causes */

static bool ranges_equal(const struct cvo_range *a, size_t na, const struct cvo_range *b,
			 size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (a[i].base != b[i].base || a[i].size != b[i].size)
			return false;
	return true;
}

/*
 * Why something placed at [ob, ob+osz) in OLD is at [nb, nb+nsz) in NEW, from what else
 * changed; io / in are the region itself (-1 for the default CMA area), skipped.
 */
static void cause_around(struct build *b, int io, int in, uint64_t ob, uint64_t osz, uint64_t nb,
			 uint64_t nsz, struct cvo_diff_change *c)
{
	const struct cvo_model *o = b->o, *n = b->n;
	/* less or other RAM moves every top-down allocation */
	if (!ranges_equal(o->banks, o->n_banks, n->banks, n->n_banks)) {
		c->cause = CVO_CAUSE_MEMORY;
		return;
	}
	/* something now lies where it was: a region only NEW has first, then one that moved
	 * there; in region order, so the answer is stable */
	int moved_there = -1;
	for (size_t j = 0; j < n->n_regions; j++) {
		uint64_t base, size;
		if ((int)j == in || !live_span(b->pn, &n->regions[j], &base, &size) ||
		    !cvo_ranges_overlap(base, size, ob, osz))
			continue;
		int k = b->n2o[j];
		if (k < 0) {
			c->cause = CVO_CAUSE_NEW_REGION;
			c->cause_path = keep(b, n->regions[j].path);
			c->cause_static = n->regions[j].is_static;
			return;
		}
		uint64_t kb, ks;
		if (moved_there < 0 && (!live_span(b->po, &o->regions[k], &kb, &ks) ||
					!cvo_ranges_overlap(kb, ks, ob, osz)))
			moved_there = (int)j;
	}
	if (moved_there >= 0) {
		c->cause = CVO_CAUSE_REGION_MOVED;
		c->cause_path = keep(b, n->regions[moved_there].path);
		c->cause_static = n->regions[moved_there].is_static;
		return;
	}
	/* it took space that something held in OLD and left */
	for (size_t k = 0; k < o->n_regions; k++) {
		uint64_t base, size;
		if ((int)k == io || !live_span(b->po, &o->regions[k], &base, &size) ||
		    !cvo_ranges_overlap(base, size, nb, nsz))
			continue;
		int j = b->o2n[k];
		uint64_t jb, js;
		if (j < 0 || !live_span(b->pn, &n->regions[j], &jb, &js) ||
		    !cvo_ranges_overlap(jb, js, nb, nsz)) {
			c->cause = CVO_CAUSE_FREED;
			c->cause_path = keep(b, o->regions[k].path);
			c->cause_static = o->regions[k].is_static;
			return;
		}
	}
	if (o->has_initrd != n->has_initrd ||
		 (o->has_initrd && !ranges_equal(&o->initrd, 1, &n->initrd, 1)))
		c->cause = CVO_CAUSE_INITRD;
	else
		c->cause = CVO_CAUSE_OTHERS;
}

/* A dynamic region's own properties first, then what happened around it. */
static void cause_dynamic(struct build *b, int io, int in, struct cvo_diff_change *c)
{
	const struct cvo_region *ro = &b->o->regions[io], *rn = &b->n->regions[in];
	if (ro->is_static && rn->is_static) {
		c->cause = CVO_CAUSE_REG;
		return;
	}
	uint64_t so = 0, sn = 0;
	bool ho = region_size(ro, &so), hn = region_size(rn, &sn);
	if (ro->is_static != rn->is_static || ho != hn || so != sn)
		c->cause = CVO_CAUSE_SIZE;
	else if (ro->has_alignment != rn->has_alignment || ro->alignment != rn->alignment)
		c->cause = CVO_CAUSE_ALIGNMENT;
	else if (ro->has_alloc_ranges != rn->has_alloc_ranges ||
		 !ranges_equal(ro->alloc_ranges, ro->n_alloc_ranges, rn->alloc_ranges,
			       rn->n_alloc_ranges))
		c->cause = CVO_CAUSE_ALLOC_RANGES;
	if (c->cause != CVO_CAUSE_NONE)
		return;
	uint64_t ob, osz, nb, nsz;
	if (!cvo_region_span(b->po, ro, &ob, &osz) || !cvo_region_span(b->pn, rn, &nb, &nsz)) {
		c->cause = CVO_CAUSE_OTHERS;
		return;
	}
	cause_around(b, io, in, ob, osz, nb, nsz, c);
}

/* ------------------------------------------------------------------ regions */

static void diff_pair(struct build *b, int io, int in)
{
	const struct cvo_region *ro = &b->o->regions[io], *rn = &b->n->regions[in];
	const char *old_path = strcmp(ro->path, rn->path) ? ro->path : NULL;
	struct cvo_diff_side so = {0}, sn = {0};
	side_of(b, b->po, ro, &so);
	side_of(b, b->pn, rn, &sn);
	struct cvo_diff_change *c;
	if (so.kind != sn.kind && (c = add(b, CVO_DIFF_KIND, rn->path)))
		c->old = so, c->new = sn, c->old_path = keep(b, old_path);
	if (so.status != sn.status && (c = add(b, CVO_DIFF_STATUS, rn->path)))
		c->old = so, c->new = sn, c->old_path = keep(b, old_path);
	if (so.has_base && sn.has_base && so.base != sn.base &&
	    (c = add(b, CVO_DIFF_MOVED, rn->path))) {
		c->old = so, c->new = sn, c->old_path = keep(b, old_path);
		cause_dynamic(b, io, in, c);
	}
	if (so.has_size && sn.has_size && so.size != sn.size &&
	    (c = add(b, CVO_DIFF_RESIZED, rn->path)))
		c->old = so, c->new = sn, c->old_path = keep(b, old_path);
}

static void diff_regions(struct build *b)
{
	struct cvo_diff_change *c;
	for (size_t i = 0; i < b->o->n_regions; i++) {
		if (b->o2n[i] >= 0)
			diff_pair(b, (int)i, b->o2n[i]);
		else if ((c = add(b, CVO_DIFF_REMOVED, b->o->regions[i].path)))
			side_of(b, b->po, &b->o->regions[i], &c->old);
	}
	for (size_t j = 0; j < b->n->n_regions; j++)
		if (b->n2o[j] < 0 && (c = add(b, CVO_DIFF_ADDED, b->n->regions[j].path)))
			side_of(b, b->pn, &b->n->regions[j], &c->new);
}

static void cma_side(const struct cvo_placement *pl, struct build *b, struct cvo_diff_side *s)
{
	const struct cvo_model *m = pl->model;
	const struct cvo_default_cma *d = &pl->default_cma;
	s->present = d->present;
	s->kind = CVO_KIND_CMA;
	s->status = d->placed ? CVO_STATUS_PLACED : CVO_STATUS_FAILED;
	s->has_base = d->placed;
	s->base = d->base;
	s->has_size = d->present;
	s->size = d->size;
	s->is_static = d->region >= 0 && m->regions[d->region].is_static;
	if (d->present && !d->placed && d->why != CVO_CMA_WHY_NONE) {
		char why[CVO_WHY_TEXT_MAX];
		cvo_default_cma_why_text(d, why, sizeof(why));
		s->reason = keep(b, why);
	}
}

static void diff_default_cma(struct build *b)
{
	const struct cvo_default_cma *od = &b->po->default_cma, *nd = &b->pn->default_cma;
	bool op = od->present && od->placed, np = nd->present && nd->placed;
	struct cvo_diff_side so = {0}, sn = {0};
	cma_side(b->po, b, &so);
	cma_side(b->pn, b, &sn);
	struct cvo_diff_change *c;
	if (!op && np && (c = add(b, CVO_DIFF_CMA_APPEARED, NULL)))
		c->old = so, c->new = sn;
	if (op && !np && (c = add(b, CVO_DIFF_CMA_VANISHED, NULL)))
		c->old = so, c->new = sn;
	if (!op || !np)
		return;
	if (od->base != nd->base && (c = add(b, CVO_DIFF_CMA_MOVED, NULL))) {
		c->old = so, c->new = sn;
		int io = od->region, in = nd->region;
		if (io >= 0 && in >= 0 && b->o2n[io] == in)
			cause_dynamic(b, io, in, c);
		else if (od->size != nd->size)
			c->cause = CVO_CAUSE_SIZE;
		else if (!ranges_equal(b->o->banks, b->o->n_banks, b->n->banks, b->n->n_banks))
			c->cause = CVO_CAUSE_MEMORY;
		else if (b->po->dma_phys_limit != b->pn->dma_phys_limit)
			c->cause = CVO_CAUSE_DMA_LIMIT;
		else
			cause_around(b, io, in, od->base, od->size, nd->base, nd->size, c);
	}
	if (od->size != nd->size && (c = add(b, CVO_DIFF_CMA_RESIZED, NULL)))
		c->old = so, c->new = sn;
}

/* ------------------------------------------------------------------ reach */

struct verdict {
	int region;	/* index in the model's regions, -1 for the default CMA area */
	enum cvo_reach reach;
};

struct device {
	int node;
	char *path;
	const struct cvo_consumer *consumer;
	bool iommu;
	uint64_t limit;
	struct verdict *v;
	size_t nv;
};

struct devices {
	struct device *d;
	size_t n, cap;
};

static void devices_fini(struct devices *ds)
{
	for (size_t i = 0; i < ds->n; i++) {
		free(ds->d[i].path);
		free(ds->d[i].v);
	}
	free(ds->d);
}

static int add_device(struct devices *ds, int node, const struct cvo_consumer *c)
{
	for (size_t i = 0; i < ds->n; i++)
		if (ds->d[i].node == node) {
			if (!ds->d[i].consumer)
				ds->d[i].consumer = c;
			return 0;
		}
	if (cvo_grow(&ds->d, &ds->cap, ds->n, sizeof(*ds->d)))
		return CVO_ERR_NOMEM;
	ds->d[ds->n++] = (struct device){.node = node, .consumer = c};
	return 0;
}

static int cmp_device(const void *a, const void *b)
{
	const struct device *x = a, *y = b;
	return strcmp(x->path, y->path);
}

static enum cvo_reach reach_of(const struct cvo_dma_info *di, uint64_t base, uint64_t size)
{
	if (di->iommu)
		return CVO_REACH_IOMMU;
	uint64_t ok = cvo_dma_reachable_bytes(di, base, size);
	return ok == size ? CVO_REACH_FULL : ok ? CVO_REACH_PARTIAL : CVO_REACH_NONE;
}

/* A pool dma_alloc_coherent() uses before the default CMA area: a coherent pool or a CMA
 * region of the device's own. */
static bool own_pool(const struct cvo_placement *pl, const struct cvo_consumer *c)
{
	const struct cvo_model *m = pl->model;
	for (size_t i = 0; c && i < c->n; i++) {
		if (c->targets[i] < 0 || (size_t)c->targets[i] >= m->n_rmem)
			continue;
		const struct cvo_region *r = &m->regions[c->targets[i]];
		if (cvo_region_scanned(m, r) && cvo_region_alive(pl, r) &&
		    (cvo_region_is_coherent_pool(m, r) || cvo_region_is_cma(m, r)))
			return true;
	}
	return false;
}

/*
 * The consumers whose reach is worth comparing: every live node with memory-region and every
 * node a platform device entry applies to, each with its verdict on each pool it names and,
 * without a pool of its own, on the default CMA area.
 */
static int collect_devices(const struct cvo_placement *pl, struct devices *ds)
{
	const struct cvo_model *m = pl->model;
	const struct cvo_tree *t = m->tree;
	if (!t)
		return CVO_ERR_NOMEM;
	for (size_t k = 0; k < m->n_consumers; k++) {
		const struct cvo_consumer *c = &m->consumers[k];
		if (c->path && cvo_tree_live(t, c->node) && add_device(ds, c->node, c))
			return CVO_ERR_NOMEM;
	}
	struct cvo_dma_dev *dev = NULL;
	size_t nd = 0;
	if (cvo_dma_devices(m, &dev, &nd))
		return CVO_ERR_NOMEM;
	int r = 0;
	for (size_t i = 0; !r && i < nd; i++)
		r = add_device(ds, dev[i].node, dev[i].consumer);
	free(dev);
	if (r)
		return r;
	const struct cvo_default_cma *dc = &pl->default_cma;
	for (size_t i = 0; i < ds->n; i++) {
		struct device *e = &ds->d[i];
		e->path = cvo_fdt_path(m->blob->fdt, e->node);
		if (!e->path)
			return CVO_ERR_NOMEM;
		struct cvo_dma_info di;
		struct cvo_dma_extra x;
		if (cvo_dma_info_ex(m, e->node, &di, &x)) {
			e->limit = UINT64_MAX;
			continue;
		}
		e->iommu = di.iommu;
		e->limit = cvo_dma_reach_end(&di);
		const struct cvo_consumer *c = e->consumer;
		e->v = calloc((c ? c->n : 0) + 1, sizeof(*e->v));
		if (!e->v)
			return CVO_ERR_NOMEM;
		for (size_t k = 0; c && k < c->n; k++) {
			int ri = c->targets[k];
			if (ri < 0 || (size_t)ri >= m->n_rmem)
				continue;
			bool dup = false;
			for (size_t q = 0; q < e->nv; q++)
				dup |= e->v[q].region == ri;
			if (dup)
				continue;
			const struct cvo_region *reg = &m->regions[ri];
			uint64_t base, size;
			enum cvo_reach v = live_span(pl, reg, &base, &size)
					       ? reach_of(&di, base, size)
					       : CVO_REACH_NO_POOL;
			e->v[e->nv++] = (struct verdict){ri, v};
		}
		if (!own_pool(pl, c) && dc->present && dc->placed && dc->size)
			e->v[e->nv++] = (struct verdict){-1, reach_of(&di, dc->base, dc->size)};
	}
	if (ds->n)
		qsort(ds->d, ds->n, sizeof(*ds->d), cmp_device);
	return 0;
}

static void diff_device(struct build *b, const struct device *eo, const struct device *en)
{
	struct cvo_diff_change *c;
	if (!eo->iommu && !en->iommu && eo->limit != en->limit &&
	    (c = add(b, CVO_DIFF_DMA_LIMIT, en->path)))
		c->old_limit = eo->limit, c->new_limit = en->limit;
	for (size_t q = 0; q < en->nv; q++) {
		const struct verdict *vn = &en->v[q];
		const struct verdict *vo = NULL;
		for (size_t p = 0; p < eo->nv && !vo; p++) {
			int ro = eo->v[p].region;
			if (vn->region < 0 ? ro < 0 : ro >= 0 && b->o2n[ro] == vn->region)
				vo = &eo->v[p];
		}
		if (!vo || vo->reach == vn->reach)
			continue;
		if (!(c = add(b, CVO_DIFF_REACH, en->path)))
			continue;
		if (vn->region >= 0)
			c->target = keep(b, b->n->regions[vn->region].path);
		c->old_reach = vo->reach;
		c->new_reach = vn->reach;
	}
}

static int diff_reach(struct build *b)
{
	struct devices dso = {0}, dsn = {0};
	int r = collect_devices(b->po, &dso);
	if (!r)
		r = collect_devices(b->pn, &dsn);
	for (size_t i = 0, j = 0; !r && i < dso.n && j < dsn.n;) {
		int c = strcmp(dso.d[i].path, dsn.d[j].path);
		if (c < 0)
			i++;
		else if (c > 0)
			j++;
		else
			diff_device(b, &dso.d[i++], &dsn.d[j++]);
	}
	devices_fini(&dso);
	devices_fini(&dsn);
	return r;
}

/* ------------------------------------------------------------------ findings */

struct fkey {
	const struct cvo_finding *f;
	const char *path; /* the path it is matched under (OLD's mapped to NEW's) */
	bool matched;
};

static int strcmp0(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int cmp_key(const struct fkey *x, const struct fkey *y)
{
	int c = strcmp(x->f->check, y->f->check);
	if (!c)
		c = strcmp(x->path, y->path);
	if (!c)
		c = strcmp0(x->f->property, y->f->property);
	if (!c)
		c = (int)x->f->severity - (int)y->f->severity;
	return c;
}

static int cmp_fkey(const void *a, const void *b)
{
	const struct fkey *x = a, *y = b;
	int c = cmp_key(x, y);
	return c ? c : strcmp(x->f->message, y->f->message);
}

/* The path a finding of OLD is matched under: a region matched under another name maps. */
static const char *mapped_path(struct build *b, const char *path)
{
	for (size_t i = 0; i < b->o->n_regions; i++)
		if (b->o2n[i] >= 0 && !strcmp(b->o->regions[i].path, path))
			return b->n->regions[b->o2n[i]].path;
	return path;
}

static int diff_findings(struct build *b, const struct cvo_report *ro, const struct cvo_report *rn)
{
	size_t no = ro ? ro->n : 0, nn = rn ? rn->n : 0;
	struct fkey *ko = calloc(no + 1, sizeof(*ko)), *kn = calloc(nn + 1, sizeof(*kn));
	if (!ko || !kn) {
		free(ko);
		free(kn);
		return CVO_ERR_NOMEM;
	}
	for (size_t i = 0; i < no; i++)
		ko[i] = (struct fkey){&ro->findings[i], mapped_path(b, ro->findings[i].path), false};
	for (size_t i = 0; i < nn; i++)
		kn[i] = (struct fkey){&rn->findings[i], rn->findings[i].path, false};
	qsort(ko, no, sizeof(*ko), cmp_fkey);
	qsort(kn, nn, sizeof(*kn), cmp_fkey);
	/* walk the groups of one key: identical messages pair first, the rest in order */
	for (size_t i = 0, j = 0; i < no && j < nn;) {
		int c = cmp_key(&ko[i], &kn[j]);
		if (c < 0) {
			i++;
			continue;
		}
		if (c > 0) {
			j++;
			continue;
		}
		size_t ie = i, je = j;
		while (ie < no && !cmp_key(&ko[ie], &ko[i]))
			ie++;
		while (je < nn && !cmp_key(&kn[je], &kn[j]))
			je++;
		for (size_t p = i, q = j; p < ie && q < je;) {
			int m = strcmp(ko[p].f->message, kn[q].f->message);
			if (m < 0)
				p++;
			else if (m > 0)
				q++;
			else
				ko[p++].matched = kn[q++].matched = true;
		}
		for (size_t p = i, q = j; p < ie && q < je;) {
			if (ko[p].matched)
				p++;
			else if (kn[q].matched)
				q++;
			else
				ko[p++].matched = kn[q++].matched = true;
		}
		i = ie, j = je;
	}
	struct cvo_diff_change *c;
	for (size_t i = 0; i < no; i++)
		if (!ko[i].matched && (c = add(b, CVO_DIFF_FINDING_FIXED, ko[i].f->path))) {
			c->finding = ko[i].f;
			b->d->fixed_findings[ko[i].f->severity]++;
		}
	for (size_t j = 0; j < nn; j++)
		if (!kn[j].matched && (c = add(b, CVO_DIFF_FINDING_NEW, kn[j].f->path))) {
			c->finding = kn[j].f;
			b->d->new_findings[kn[j].f->severity]++;
		}
	free(ko);
	free(kn);
	return 0;
}

/* ------------------------------------------------------------------ order */

static int cmp_change(const void *a, const void *b)
{
	const struct cvo_diff_change *x = a, *y = b;
	int c = strcmp0(x->path, y->path);
	if (!c)
		c = (int)x->kind - (int)y->kind;
	if (!c)
		c = strcmp0(x->target, y->target);
	if (!c && x->finding && y->finding) {
		c = strcmp(x->finding->check, y->finding->check);
		if (!c)
			c = strcmp0(x->finding->property, y->finding->property);
		if (!c)
			c = (int)y->finding->severity - (int)x->finding->severity;
		if (!c)
			c = strcmp(x->finding->message, y->finding->message);
	}
	return c;
}

int cvo_diff_build(const struct cvo_placement *old_pl, const struct cvo_report *old_findings,
		   const struct cvo_placement *new_pl, const struct cvo_report *new_findings,
		   struct cvo_diff **out)
{
	*out = NULL;
	if (!old_pl || !new_pl || !old_pl->placed || !new_pl->placed)
		return CVO_ERR_USAGE;
	const struct cvo_model *old = old_pl->model, *new = new_pl->model;
	struct cvo_diff *d = calloc(1, sizeof(*d));
	if (!d)
		return CVO_ERR_NOMEM;
	struct build b = {.d = d, .o = old, .n = new, .po = old_pl, .pn = new_pl};
	int r = match_regions(&b);
	if (!r) {
		diff_regions(&b);
		diff_default_cma(&b);
		r = diff_reach(&b);
	}
	if (!r)
		r = diff_findings(&b, old_findings, new_findings);
	free(b.o2n);
	free(b.n2o);
	if (!r && b.nomem)
		r = CVO_ERR_NOMEM;
	if (r) {
		cvo_diff_free(d);
		return r;
	}
	if (d->n)
		qsort(d->changes, d->n, sizeof(*d->changes), cmp_change);
	*out = d;
	return 0;
}

void cvo_diff_free(struct cvo_diff *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n_strings; i++)
		free(d->strings[i]);
	free(d->strings);
	free(d->changes);
	free(d);
}
