// SPDX-License-Identifier: MIT
/*
 * The RAM of a model: its bounds, how much of a range is RAM, and the arm32
 * lowmem limit.
 */
#include "kernel.h"
#include "ram.h"

/* arch/arm/mm/mmu.c adjust_lowmem_bounds(): lowmem is the vmalloc limit above PHYS_OFFSET
 * (CVO_ARM_LOWMEM_SIZE in lib/kernel.h). */
uint64_t cvo_arm_lowmem_limit(const struct cvo_model *m)
{
	uint64_t start, end;
	cvo_ram_bounds(m, &start, &end);
	if (!end)
		return 0;
	uint64_t vlimit = (start & ~(CVO_ARM_PHYS_OFFSET_ALIGN - 1)) +
			  cvo_rules_for(m->platform).arm_lowmem_size;
	/* lowmem ends at the vmalloc limit, or at the end of the last block below it */
	uint64_t low = 0;
	for (size_t i = 0; i < m->n_banks; i++) {
		uint64_t b = m->banks[i].base, e = cvo_range_last(b, m->banks[i].size);
		if (b >= vlimit || !m->banks[i].size)
			continue;
		e = e >= vlimit - 1 ? vlimit : e + 1;
		if (e > low)
			low = e;
	}
	return low;
}

void cvo_ram_bounds(const struct cvo_model *m, uint64_t *start, uint64_t *end)
{
	*start = *end = 0;
	for (size_t i = 0; i < m->n_banks; i++) {
		uint64_t b = m->banks[i].base, e;
		if (!cvo_range_end(b, m->banks[i].size, &e))
			e = UINT64_MAX;
		e = e == UINT64_MAX ? UINT64_MAX : e + 1;
		if (i == 0 || b < *start)
			*start = b;
		if (e > *end)
			*end = e;
	}
}

uint64_t cvo_ram_bytes(const struct cvo_model *m, uint64_t base, uint64_t size)
{
	if (!size)
		return 0;
	uint64_t last = cvo_range_last(base, size), total = 0;
	for (size_t i = 0; i < m->n_banks; i++) {
		uint64_t b = m->banks[i].base, bl = cvo_range_last(b, m->banks[i].size);
		if (!m->banks[i].size || bl < base || b > last)
			continue;
		uint64_t lo = b > base ? b : base, hi = bl < last ? bl : last;
		total += hi - lo + 1;
	}
	return total;
}

/* The pages of [base, base+size) the page allocator can hand out, from region index `from`
 * on: a no-map region is not in it (memblock_mark_nomap()). */
