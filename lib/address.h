/* SPDX-License-Identifier: MIT */
/*
 * Internal: addresses as drivers/of/address.c reads them (lib/address.c):
 * cells, the of_bus translators, addresses translated to CPU addresses through
 * ranges (of_translate_address()) and dma-ranges, dma-ranges parsed. Not part
 * of the public API.
 */
#ifndef CVO_ADDRESS_H
#define CVO_ADDRESS_H

#include "tree.h"

/* OF_BAD_ADDR (include/linux/of_address.h) */
#define CVO_OF_BAD_ADDR UINT64_MAX

/* of_read_number(): `cells` big-endian 32-bit cells (1 or 2 are meaningful; more keep the
 * low 64 bits). */
uint64_t cvo_read_cells(const void *p, uint32_t cells);
/* The reverse: v as `cells` big-endian cells at p (4 * cells bytes), the high cells 0.
 * returns: true, false when v does not fit (the low cells are written all the same). */
bool cvo_write_cells(void *p, uint32_t cells, uint64_t v);

/* __of_get_dma_parent(): the "dma-mem" interconnect target of node index idx, else its
 * parent; -1 for the root. */
int cvo_of_dma_parent(const struct cvo_tree *t, int idx);

/*
 * of_translate_address(): the CPU address of an address on the bus of node index idx's
 * parent (an entry of its reg, or the parent-bus side of a ranges entry of its own), through
 * the ranges of every parent above; CVO_OF_BAD_ADDR when a bus on the way has no ranges or
 * no entry of it holds the address. in holds avail cells (missing ones read as 0).
 */
uint64_t cvo_translate_address(const struct cvo_tree *t, int idx, const fdt32_t *in, size_t avail);

/* One dma-ranges entry as of_pci_range_parser_one() yields it (contiguous entries merged). */
struct cvo_dma_range {
	uint64_t bus, cpu, size; /* cpu is CVO_OF_BAD_ADDR when it does not translate */
};

/* The shape of a dma-ranges property, for its format check. */
struct cvo_dma_ranges_shape {
	int len;	      /* bytes */
	uint32_t na, pna, ns; /* child address, parent address and size cells */
	bool cells_ok;	      /* an entry has at least one cell and na covers the flags cell */
};

/*
 * Parse the dma-ranges of node index idx, translating every CPU address
 * (of_translate_dma_address()). Fills up to max entries in out; *n is the
 * number the property holds. returns: 0, CVO_ERR_INVALID (no or empty dma-ranges).
 */
int cvo_dma_ranges(const struct cvo_tree *t, int idx, struct cvo_dma_range *out, size_t max,
		   size_t *n, struct cvo_dma_ranges_shape *shape);

/*
 * of_dma_get_max_cpu_address(NULL) over the index: exclusive, UINT64_MAX when nothing limits.
 * *min_idx (may be NULL) receives the index of the first node whose dma-ranges sets the
 * result, -1 when none.
 */
uint64_t cvo_dma_tree_max_cpu_address(const struct cvo_tree *t, int *min_idx);

#endif
