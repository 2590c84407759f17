// SPDX-License-Identifier: MIT
/*
 * The layout of a model's regions as a value: what cvo_place() places and a
 * planner edits, one struct cvo_region_layout per region, owning its ranges.
 */
#include <stdlib.h>
#include <string.h>

#include "carveout.h"

static int copy_ranges(struct cvo_range **dst, const struct cvo_range *src, size_t n)
{
	*dst = NULL;
	if (!n)
		return 0;
	if (!(*dst = malloc(n * sizeof(**dst))))
		return CVO_ERR_NOMEM;
	memcpy(*dst, src, n * sizeof(**dst));
	return 0;
}

int cvo_layout_init(const struct cvo_model *m, struct cvo_layout *out)
{
	memset(out, 0, sizeof(*out));
	if (!m->n_regions)
		return 0;
	if (!(out->regions = calloc(m->n_regions, sizeof(*out->regions))))
		return CVO_ERR_NOMEM;
	out->n_regions = m->n_regions;
	for (size_t i = 0; i < m->n_regions; i++) {
		struct cvo_region_layout *l = &out->regions[i];
		*l = m->regions[i].layout;
		l->regs = l->alloc_ranges = NULL;
		if (copy_ranges(&l->regs, m->regions[i].regs, l->n_regs) ||
		    copy_ranges(&l->alloc_ranges, m->regions[i].alloc_ranges, l->n_alloc_ranges)) {
			cvo_layout_fini(out);
			return CVO_ERR_NOMEM;
		}
	}
	return 0;
}

void cvo_layout_fini(struct cvo_layout *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n_regions; i++) {
		free(l->regions[i].regs);
		free(l->regions[i].alloc_ranges);
	}
	free(l->regions);
	memset(l, 0, sizeof(*l));
}
