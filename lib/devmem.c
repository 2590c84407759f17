// SPDX-License-Identifier: MIT
/*
 * Device memory: the reg of every enabled node and the ranges windows of buses, as CPU
 * addresses (of_translate_address(), lib/address.c, over the model's tree index). A reserved
 * region there is SRAM, TCM or a frame buffer, not RAM that /memory forgot.
 */
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "address.h"
#include "devmem.h"

static int add(struct cvo_devmem **v, size_t *n, size_t *cap, uint64_t base, uint64_t size,
	       int node, bool window)
{
	if (cvo_grow(v, cap, *n, sizeof(**v)))
		return CVO_ERR_NOMEM;
	(*v)[(*n)++] = (struct cvo_devmem){base, size, node, window};
	return 0;
}

static bool is_memory_node(const void *fdt, int node)
{
	int len;
	const char *t = fdt_getprop(fdt, node, "device_type", &len);
	return t && len > 0 && !strncmp(t, "memory", (size_t)len);
}

int cvo_device_memory(const struct cvo_model *m, struct cvo_devmem **out, size_t *n)
{
	const struct cvo_tree *t = m->tree;
	const void *fdt = m->blob->fdt;
	/* nodes left out with everything below them */
	bool *skip = calloc(t->n ? t->n : 1, sizeof(*skip));
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (!skip)
		return CVO_ERR_NOMEM;
	int r = 0;
	for (size_t i = 1; i < t->n && !r; i++) {
		const struct cvo_tree_node *d = &t->nodes[i], *p = &t->nodes[d->parent];
		/* a memory@ node without device_type is RAM the kernel ignores, not a device */
		bool mem =
		    d->depth == 1 &&
		    (is_memory_node(fdt, d->off) ||
		     (!strncmp(d->name, "memory", 6) && (d->name[6] == '\0' || d->name[6] == '@')));
		/* the parent bus's cells: addresses wider than 64 bits (PCI's three cells) are
		 * not CPU memory here */
		skip[i] = skip[d->parent] || !(d->flags & CVO_DN_LIVE) || d->off == m->rmem_node ||
			  mem || !p->sc || p->ac > 2 || p->sc > 2;
		if (skip[i])
			continue;
		size_t cells;
		const fdt32_t *reg = cvo_tree_getprop_cells(t, (int)i, "reg", &cells, NULL);
		for (size_t e = p->ac + p->sc, off = 0; reg && off + e <= cells && !r; off += e) {
			uint64_t s = cvo_read_cells(reg + off + p->ac, p->sc);
			uint64_t cpu = cvo_translate_address(t, (int)i, reg + off, p->ac);
			if (s && cpu != CVO_OF_BAD_ADDR)
				r = add(out, n, &cap, cpu, s, d->off, false);
		}
		/* a bus's windows, translated as of_range_parser does: the parent-bus side of each
		 * entry as an address of the bus's own */
		const fdt32_t *rg = cvo_tree_getprop_cells(t, (int)i, "ranges", &cells, NULL);
		if (!rg || d->ac > 2 || d->sc > 2 || !d->sc)
			continue;
		for (size_t e = d->ac + p->ac + d->sc, off = 0; off + e <= cells && !r; off += e) {
			uint64_t s = cvo_read_cells(rg + off + d->ac + p->ac, d->sc);
			uint64_t cpu = cvo_translate_address(t, (int)i, rg + off + d->ac, p->ac);
			if (!s || cpu == CVO_OF_BAD_ADDR)
				continue;
			/* a window that holds RAM passes memory through: not device memory */
			bool ram = false;
			for (size_t k = 0; k < m->n_banks && !ram; k++)
				ram =
				    cvo_ranges_overlap(cpu, s, m->banks[k].base, m->banks[k].size);
			if (!ram)
				r = add(out, n, &cap, cpu, s, d->off, true);
		}
	}
	free(skip);
	if (r) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return r;
}
