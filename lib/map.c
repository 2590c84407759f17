// SPDX-License-Identifier: MIT
/*
 * The physical memory map the kernel builds from a device tree, as data: RAM
 * banks and holes, every reserved region where the kernel puts it, the default
 * CMA area, sorted by address and laid out in lanes where blocks overlap; the
 * zone boundaries; and what each DMA device can reach. `carveout map` prints it
 * as text (cmd/map.c) and draws it (cmd/svg.c).
 */
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "util.h"

static size_t markers(const struct cvo_map *mp, struct cvo_map_marker *mk)
{
	const struct cvo_placement *pl = mp->pl;
	size_t n = 0;
	if (pl->zone_dma_end)
		mk[n++] = (struct cvo_map_marker){pl->zone_dma_end, "end of ZONE_DMA",
						  "ZONE_DMA"};
	if (pl->zone_dma32_end && pl->zone_dma32_end != pl->zone_dma_end)
		mk[n++] = (struct cvo_map_marker){pl->zone_dma32_end, "end of ZONE_DMA32",
						  "ZONE_DMA32"};
	if (pl->dma_phys_limit && pl->dma_phys_limit != pl->zone_dma_end &&
	    pl->dma_phys_limit != pl->zone_dma32_end && pl->dma_phys_limit <= mp->hi)
		mk[n++] = (struct cvo_map_marker){pl->dma_phys_limit, "default CMA limit",
						  "default CMA"};
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && mk[k].at < mk[k - 1].at; k--) {
			struct cvo_map_marker t = mk[k];
			mk[k] = mk[k - 1];
			mk[k - 1] = t;
		}
	return n;
}

static int add_row(struct cvo_map *mp, enum cvo_map_kind what, uint64_t base, uint64_t last,
		   const struct cvo_region *r)
{
	if (cvo_grow(&mp->rows, &mp->cap_rows, mp->n_rows, sizeof(*mp->rows)))
		return -1;
	mp->rows[mp->n_rows++] = (struct cvo_map_row){what, base, last, r, 0, 1, false};
	return 0;
}

static int row_order(enum cvo_map_kind k)
{
	return k == CVO_MAP_RAM || k == CVO_MAP_HOLE ? 0 : k == CVO_MAP_CMA ? 2 : 1;
}

static int cmp_rows(const void *a, const void *b)
{
	const struct cvo_map_row *x = a, *y = b;
	if (x->base != y->base)
		return x->base < y->base ? -1 : 1;
	if (row_order(x->what) != row_order(y->what))
		return row_order(x->what) - row_order(y->what);
	if (x->last != y->last)
		return x->last > y->last ? -1 : 1; /* the bigger one first */
	if (x->r && y->r)
		return x->r->index - y->r->index;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/*
 * The CPU ranges a device reaches, as the checks judge it: between two cuts
 * (window edges, the CPU address where a window's DMA address passes the mask)
 * one window decides and the verdict does not change, so asking
 * cvo_dma_reachable() once per piece gives exactly what dma_capable() accepts.
 */
static void device_reach(struct cvo_map_device *d)
{
	const struct cvo_dma_info *di = &d->di;
	bool masked = di->dma_bits > 0 && di->dma_bits < 64;
	if (di->iommu || (!di->has_map && !masked)) {
		d->all = true;
		return;
	}
	uint64_t mask = masked ? (UINT64_C(1) << di->dma_bits) - 1 : UINT64_MAX;
	/* 0 and 2^63 always: no piece is 2^64 bytes long */
	uint64_t cut[3 * sizeof(di->windows) / sizeof(di->windows[0]) + 3];
	size_t n = 0;
	cut[n++] = 0;
	cut[n++] = UINT64_C(1) << 63;
	if (!di->has_map && mask != UINT64_MAX)
		cut[n++] = mask + 1;
	for (size_t i = 0; di->has_map && i < di->n_windows; i++) {
		const struct cvo_dma_window *w = &di->windows[i];
		if (!w->size)
			continue;
		cut[n++] = w->cpu;
		if (cvo_range_last(w->cpu, w->size) != UINT64_MAX)
			cut[n++] = w->cpu + w->size;
		if (w->dma <= mask && mask - w->dma < w->size - 1 &&
		    w->cpu <= UINT64_MAX - (mask - w->dma) - 1)
			cut[n++] = w->cpu + (mask - w->dma) + 1;
	}
	qsort(cut, n, sizeof(cut[0]), cmp_u64);
	for (size_t i = 0; i < n; i++) {
		if (i + 1 < n && cut[i + 1] == cut[i])
			continue;
		uint64_t base = cut[i], last = i + 1 < n ? cut[i + 1] - 1 : UINT64_MAX;
		if (!cvo_dma_reachable(di, base, last - base + 1))
			continue;
		struct cvo_map_span *prev = d->n_reach ? &d->reach[d->n_reach - 1] : NULL;
		if (prev && prev->last + 1 == base)
			prev->last = last;
		else if (d->n_reach < CVO_MAP_MAX_REACH)
			d->reach[d->n_reach++] = (struct cvo_map_span){base, last};
	}
}

static int add_device(struct cvo_map *mp, int node, const struct cvo_consumer *c)
{
	for (size_t i = 0; i < mp->n_devs; i++)
		if (mp->devs[i].c == c && c)
			return 0;
	if (cvo_grow(&mp->devs, &mp->cap_devs, mp->n_devs, sizeof(*mp->devs)))
		return -1;
	struct cvo_map_device *d = &mp->devs[mp->n_devs];
	memset(d, 0, sizeof(*d));
	d->c = c;
	if (cvo_dma_info(mp->m, node, &d->di))
		return 0;
	d->path = cvo_fdt_path(mp->m->blob->fdt, node);
	if (!d->path)
		return -1;
	device_reach(d);
	mp->n_devs++;
	return 0;
}

static int build(struct cvo_map *mp)
{
	const struct cvo_model *m = mp->m;
	for (size_t i = 0; i < m->n_banks; i++) {
		uint64_t last = cvo_range_last(m->banks[i].base, m->banks[i].size);
		if (add_row(mp, CVO_MAP_RAM, m->banks[i].base, last, NULL))
			return -1;
		if (i + 1 < m->n_banks && last + 1 < m->banks[i + 1].base &&
		    add_row(mp, CVO_MAP_HOLE, last + 1, m->banks[i + 1].base - 1, NULL))
			return -1;
	}
	for (size_t i = 0; i < m->n_regions; i++) {
		const struct cvo_region *r = &m->regions[i];
		uint64_t base, size;
		if (!cvo_region_stated(mp->pl, r, &base, &size))
			continue;
		if (add_row(mp, CVO_MAP_REGION, base, cvo_range_last(base, size), r))
			return -1;
	}
	const struct cvo_default_cma *dc = &mp->pl->default_cma;
	if (dc->present && dc->placed && dc->region < 0 && dc->size &&
	    add_row(mp, CVO_MAP_CMA, dc->base, cvo_range_last(dc->base, dc->size), NULL))
		return -1;
	/* no RAM and no region: rows is NULL, which qsort() must not get */
	if (mp->n_rows)
		qsort(mp->rows, mp->n_rows, sizeof(*mp->rows), cmp_rows);

	/* lanes: overlapping blocks side by side (interval colouring, first fit);
	 * each group of overlapping blocks shares the column among its own lanes */
	uint64_t lane_end[8];
	bool used[8] = {false};
	mp->lanes = 1;
	size_t group = 0;
	uint64_t group_last = 0;
	int group_lanes = 0;
	bool in_group = false;
	for (size_t i = 0; i <= mp->n_rows; i++) {
		struct cvo_map_row *w = i < mp->n_rows ? &mp->rows[i] : NULL;
		if (w && (w->what == CVO_MAP_RAM || w->what == CVO_MAP_HOLE))
			continue;
		if (!w || (in_group && w->base > group_last)) {
			for (size_t k = group; k < i; k++)
				mp->rows[k].lanes = group_lanes ? group_lanes : 1;
			memset(used, 0, sizeof(used));
			group = i;
			group_lanes = 0;
			in_group = false;
			if (!w)
				break;
		}
		size_t l = 0;
		while (l < 8 && used[l] && lane_end[l] >= w->base)
			l++;
		if (l == 8)
			l = 7;
		used[l] = true;
		lane_end[l] = w->last;
		w->lane = (int)l;
		if ((int)l + 1 > group_lanes)
			group_lanes = (int)l + 1;
		group_last = in_group && group_last > w->last ? group_last : w->last;
		in_group = true;
		if (l + 1 > mp->lanes)
			mp->lanes = l + 1;
	}

	/* overlaps: the kernel reserves each region on its own, so two that share bytes
	 * are a conflict (rmem_overlap) the diagram shows as such */
	for (size_t i = 0; i < mp->n_rows; i++) {
		struct cvo_map_row *w = &mp->rows[i];
		if (w->what != CVO_MAP_REGION && w->what != CVO_MAP_CMA)
			continue;
		for (size_t k = i + 1; k < mp->n_rows && mp->rows[k].base <= w->last; k++) {
			struct cvo_map_row *v = &mp->rows[k];
			if (v->what == CVO_MAP_REGION || v->what == CVO_MAP_CMA)
				w->overlaps = v->overlaps = true;
		}
	}

	mp->lo = UINT64_MAX;
	mp->hi = 0;
	for (size_t i = 0; i < mp->n_rows; i++) {
		if (mp->rows[i].base < mp->lo)
			mp->lo = mp->rows[i].base;
		if (mp->rows[i].last > mp->hi)
			mp->hi = mp->rows[i].last;
	}

	mp->n_markers = markers(mp, mp->markers);

	/* devices: every memory-region user, then every node the platform file describes */
	for (size_t i = 0; i < m->n_consumers; i++)
		if (add_device(mp, m->consumers[i].node, &m->consumers[i]))
			return -1;
	if (mp->p && mp->p->n_devices) {
		const void *fdt = m->blob->fdt;
		for (int node = 0; node >= 0; node = fdt_next_node(fdt, node, NULL)) {
			if (!cvo_platform_device_for(mp->p, fdt, node))
				continue;
			bool seen = false;
			for (size_t i = 0; i < mp->n_devs; i++)
				if (mp->devs[i].c && mp->devs[i].c->node == node)
					seen = true;
			if (!seen && add_device(mp, node, NULL))
				return -1;
		}
	}
	return 0;
}

int cvo_map_build(const struct cvo_placement *pl, struct cvo_map **out)
{
	const struct cvo_model *m = pl->model;
	*out = NULL;
	struct cvo_map *mp = calloc(1, sizeof(*mp));
	if (!mp)
		return CVO_ERR_NOMEM;
	mp->pl = pl;
	mp->m = m;
	mp->p = m->platform;
	if (build(mp)) {
		cvo_map_free(mp);
		return CVO_ERR_NOMEM;
	}
	*out = mp;
	return 0;
}

void cvo_map_free(struct cvo_map *mp)
{
	if (!mp)
		return;
	for (size_t i = 0; i < mp->n_devs; i++)
		free(mp->devs[i].path);
	free(mp->devs);
	free(mp->rows);
	free(mp);
}

bool cvo_map_region_shown(const struct cvo_placement *pl, const struct cvo_region *r)
{
	uint64_t base, size;
	return cvo_region_stated(pl, r, &base, &size);
}

bool cvo_map_in_ram(const struct cvo_model *m, uint64_t base, uint64_t last)
{
	if (!m->n_banks)
		return true; /* unknown: say nothing */
	for (size_t i = 0; i < m->n_banks; i++)
		if (base >= m->banks[i].base &&
		    last <= cvo_range_last(m->banks[i].base, m->banks[i].size))
			return true;
	return false;
}
