// SPDX-License-Identifier: MIT
/* Placeholder: the kernel's reserved-memory placement. */
#include "util.h"

int cvo_place(struct cvo_model *m)
{
	for (size_t i = 0; i < m->n_regions; i++) {
		struct cvo_region *r = &m->regions[i];
		if (!r->available) {
			r->status = CVO_STATUS_DISABLED;
		} else if (r->is_static && r->n_regs) {
			r->status = CVO_STATUS_PLACED;
			r->base = r->regs[0].base;
			r->placed_size = r->regs[0].size;
			r->has_base = true;
		}
	}
	m->placed = true;
	return 0;
}
