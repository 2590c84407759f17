/* SPDX-License-Identifier: MIT */
/* Internal: what place.c knows besides cvo_place(), for the placement checks. */
#ifndef CVO_PLACE_H
#define CVO_PLACE_H

#include "carveout.h"

/*
 * RAM as the platform's kernel sees it when it places reserved memory: the
 * model's banks cut to the arch's physical address range and by mem=, sorted
 * and merged. *out is allocated (free with free()); *n may be 0.
 * returns: 0, CVO_ERR_NOMEM.
 */
int cvo_place_memory(const struct cvo_model *m, struct cvo_range **out, size_t *n);

/*
 * Whether the platform's kernel refuses a restricted-dma-pool in arm highmem
 * when it sets the region up (rmem_swiotlb_setup(): the region is freed) rather
 * than when a device attaches it (rmem_swiotlb_device_init()). The check moved
 * to device init in 2023 and the move reached 6.1.y: Debian 12's 6.1.192 creates
 * the pool and refuses it at attach (measured under QEMU, tests/oracle).
 */
bool cvo_rdp_highmem_at_setup(const struct cvo_platform *p);

/* Whether the platform's kernel prints a range line for every region it records
 * ("OF: reserved mem: 0x...000..0x...fff (1024 KiB) nomap non-reusable NAME"). */
bool cvo_place_prints_range(const struct cvo_platform *p);
/* arm64 map_mem() leaves every page a no-map region touches out of the linear map
 * (6.12.117 and the kernels with the fix). */
bool cvo_place_nomap_whole_pages(const struct cvo_platform *p);

#endif
