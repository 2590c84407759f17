/* SPDX-License-Identifier: MIT */
/* Internal: the RAM of a model (lib/ram.c). Not part of the public API. */
#ifndef CVO_RAM_H
#define CVO_RAM_H

#include "util.h"

/* First RAM address and exclusive end of RAM (0, 0 when the model has no RAM). */
void cvo_ram_bounds(const struct cvo_model *m, uint64_t *start, uint64_t *end);
/* Bytes of [base, base+size) that are RAM. */
uint64_t cvo_ram_bytes(const struct cvo_model *m, uint64_t base, uint64_t size);
/* The arm32 linear-map (lowmem) limit, exclusive: arch/arm/mm/mmu.c adjust_lowmem_bounds()
 * with VMSPLIT_3G and the default 240 MiB vmalloc area; 0 when unknown (no RAM). */
uint64_t cvo_arm_lowmem_limit(const struct cvo_model *m);


#endif
