/* SPDX-License-Identifier: MIT */
/*
 * Internal: what a region is after placement and who uses it (lib/region.c).
 * cvo_region_occupies(), cvo_region_stated() and cvo_region_placed()
 * (carveout.h) answer whether a region holds memory, and where; the predicates
 * here answer the narrower questions the checks ask. Not part of the public API.
 */
#ifndef CVO_REGION_H
#define CVO_REGION_H

#include "util.h"

/* The consumer record of a node, NULL when it has no memory-region. */
const struct cvo_consumer *cvo_consumer_of(const struct cvo_model *m, int node);

/* A /reserved-memory child the kernel scans: the node is available and the
 * /reserved-memory node passes __reserved_mem_check_root(). */
bool cvo_region_scanned(const struct cvo_model *m, const struct cvo_region *r);
/* Where a region is, whatever became of it: where placement put it, else a static
 * region's first reg entry. Unlike cvo_region_occupies() it answers for a failed or
 * ignored region too: callers pair it with cvo_region_alive(), or name it in a message. */
bool cvo_region_span(const struct cvo_placement *pl, const struct cvo_region *r,
		     uint64_t *base, uint64_t *size);
/* The CMA handler (rmem_cma_setup()) takes it: shared-dma-pool, reusable, not no-map,
 * with CONFIG_DMA_CMA. */
bool cvo_region_is_cma(const struct cvo_model *m, const struct cvo_region *r);
/* The coherent handler (rmem_dma_setup()) takes it: shared-dma-pool, not reusable, and on
 * arm with no-map. */
bool cvo_region_is_coherent_pool(const struct cvo_model *m, const struct cvo_region *r);
/* Whether the kernel's handler set the region up, so the devices that name it get it: not
 * failed (but for a no-map region that met -EBUSY and was not refused), ignored or
 * disabled. A failed static region occupies memory (cvo_region_occupies()) all the same. */
bool cvo_region_alive(const struct cvo_placement *pl, const struct cvo_region *r);
/* Where a /reserved-memory region that its handler set up is (cvo_region_scanned(),
 * cvo_region_alive(), cvo_region_span()): the memory the devices that name it get. */
bool cvo_region_live_span(const struct cvo_placement *pl, const struct cvo_region *r,
			  uint64_t *base, uint64_t *size);
/*
 * The ranges a region occupies for the walks that ask which bytes other regions cover: every
 * reg entry of a static region (in reg order, an empty one too), the placed range of a
 * dynamic one (has a base and a size). The caller chooses which regions it asks about.
 *
 *   struct cvo_region_iter it = cvo_region_ranges(pl, r);
 *   while (cvo_region_ranges_next(&it, &base, &size)) ...
 */
struct cvo_region_iter {
	const struct cvo_placement *pl;
	const struct cvo_region *r;
	size_t next; /* the next reg entry, or 1 once a dynamic region's range is read */
};
struct cvo_region_iter cvo_region_ranges(const struct cvo_placement *pl,
					 const struct cvo_region *r);
bool cvo_region_ranges_next(struct cvo_region_iter *it, uint64_t *base, uint64_t *size);
/* The device's own CMA area (dev->cma_area): a live CMA region in its memory-region. */
const struct cvo_region *cvo_consumer_own_cma(const struct cvo_placement *pl,
					      const struct cvo_consumer *c);

/* The driver source of a device at node that never attaches a shared-dma-pool from its
 * memory-region (it does not call of_reserved_mem_device_init*()), NULL for the others. */
const char *cvo_companion_ignorer(const void *fdt, int node);

/* Whether the driver of consumer c attaches its memory-region entry i: what the platform's
 * attach: says, else entry 0 only (of_reserved_mem_device_init() is
 * of_reserved_mem_device_init_by_idx(dev, np, 0)). p may be NULL. */
bool cvo_consumer_attaches(const struct cvo_platform *p, const void *fdt,
			   const struct cvo_consumer *c, size_t i);

/* The no-map shared-dma-pool of consumer c that can serve its coherent buffers beside a
 * restricted pool (dma_alloc_from_dev_coherent()): the first live one at an entry its driver
 * attaches (*attached true), else the first live one at any entry (*attached false); *index
 * is its memory-region entry. NULL when it has none. */
const struct cvo_region *cvo_consumer_companion(const struct cvo_placement *pl,
						const struct cvo_platform *p,
						const struct cvo_consumer *c, size_t *index,
						bool *attached);

/* The coherent memory the platform says the device at node allocates (cma: and atomic: of
 * the entry that applies to it), 0 when unsaid: with a restricted pool attached, only its
 * companion serves it. */
uint64_t cvo_device_coherent_demand(const struct cvo_platform *p, const void *fdt, int node);

#endif
