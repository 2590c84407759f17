/* SPDX-License-Identifier: MIT */
/*
 * Internal: span sets and the memblock model (mm/memblock.c) the placement
 * (lib/place.c) runs on. A memblock holds memory, no-map and reserved spans and
 * keeps the free list (memory - no-map - reserved) up to date as they change, so
 * an allocation searches it without rebuilding it.
 */
#ifndef CVO_MEMBLOCK_H
#define CVO_MEMBLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* SMP_CACHE_BYTES: L1_CACHE_BYTES on arm (ARM_L1_CACHE_SHIFT 6), arm64 and riscv; the
 * alignment memblock_alloc() and friends are called with. */
#define SMP_CACHE_BYTES 64

/*
 * Sorted, disjoint, non-adjacent [base, end) spans. end is exclusive and never wraps:
 * memblock_cap_size() keeps every range below PHYS_ADDR_MAX. A sorted array, as
 * memblock's own (memblock_insert_region() moves the tail too): a position is found
 * by binary search, and an insertion or removal moves the tail. Reservations come in
 * DT order or top-down, near the array's end, so the tail is short in the layouts
 * boards have; 4000 reservations in descending order cost about 4 ms more.
 */
struct cvo_span {
	uint64_t base, end;
};

struct cvo_spans {
	struct cvo_span *v;
	size_t n, cap;
};

void cvo_spans_fini(struct cvo_spans *s);
/* Add (merging overlapping and adjacent spans) or remove [base, end); empty ranges do
 * nothing. returns: 0, CVO_ERR_NOMEM. */
int cvo_spans_add(struct cvo_spans *s, uint64_t base, uint64_t end);
int cvo_spans_remove(struct cvo_spans *s, uint64_t base, uint64_t end);
/* Whether a span overlaps [base, end) / holds all of it. */
bool cvo_spans_overlap(const struct cvo_spans *s, uint64_t base, uint64_t end);
bool cvo_spans_cover(const struct cvo_spans *s, uint64_t base, uint64_t end);
/* The index of the first span that ends above addr (s->n when none). */
size_t cvo_spans_after(const struct cvo_spans *s, uint64_t addr);

/*
 * struct memblock: memblock.memory, the MEMBLOCK_NOMAP parts of it, memblock.reserved.
 * A zeroed struct with pa_max, page and bottom_up set is an empty memblock; memory,
 * nomap and reserved may be read, and change only through the functions below.
 * The first CVO_ERR_NOMEM any of them meets is kept in err.
 */
struct cvo_memblock {
	struct cvo_spans memory;   /* memblock.memory */
	struct cvo_spans nomap;	   /* MEMBLOCK_NOMAP parts of memory */
	struct cvo_spans reserved; /* memblock.reserved */
	struct cvo_spans free;	   /* memory - nomap - reserved, kept up to date */
	bool bottom_up;		   /* memblock_set_bottom_up() */
	uint64_t pa_max;	   /* PHYS_ADDR_MAX */
	uint64_t page;
	int err; /* first CVO_ERR_NOMEM seen */
	/* memory without a linear mapping that memblock may hand out again, and the
	 * first address a reservation took from it while watch is set (has_hit) */
	struct cvo_spans unmapped;
	bool watch, has_hit;
	uint64_t hit;
};

/* memblock_cap_size(): the end of [base, base + size), never past PHYS_ADDR_MAX. */
uint64_t cvo_mb_end(const struct cvo_memblock *mb, uint64_t base, uint64_t size);
/* Keep r in mb->err when it is the first error. */
void cvo_mb_note(struct cvo_memblock *mb, int r);

/* memblock_add() / memblock_remove() of [base, end); cvo_mb_clear_memory() drops all
 * of memblock.memory (arm's early_mem()). */
void cvo_mb_add_memory(struct cvo_memblock *mb, uint64_t base, uint64_t end);
void cvo_mb_remove_memory(struct cvo_memblock *mb, uint64_t base, uint64_t end);
void cvo_mb_clear_memory(struct cvo_memblock *mb);

/* memblock_reserve(); while watch is set, the first reservation overlapping unmapped
 * sets has_hit and hit. */
void cvo_mb_reserve(struct cvo_memblock *mb, uint64_t base, uint64_t size);
/* memblock_phys_free(): the range leaves memblock.reserved, whoever reserved it. */
void cvo_mb_free(struct cvo_memblock *mb, uint64_t base, uint64_t size);
/* memblock_mark_nomap() / memblock_clear_nomap() */
void cvo_mb_mark_nomap(struct cvo_memblock *mb, uint64_t base, uint64_t size);
void cvo_mb_clear_nomap(struct cvo_memblock *mb, uint64_t base, uint64_t size);

/* memblock_is_region_reserved() / memblock_overlaps_region(&memblock.memory) */
bool cvo_mb_is_reserved(const struct cvo_memblock *mb, uint64_t base, uint64_t size);
bool cvo_mb_overlaps_memory(const struct cvo_memblock *mb, uint64_t base, uint64_t size);
/* memblock_start_of_DRAM() / memblock_end_of_DRAM() (exclusive); 0 without memory */
uint64_t cvo_mb_start_of_dram(const struct cvo_memblock *mb);
uint64_t cvo_mb_end_of_dram(const struct cvo_memblock *mb);
/* memblock_phys_mem_size(): the bytes of RAM. */
uint64_t cvo_mb_phys_mem_size(const struct cvo_memblock *mb);

/*
 * memblock_find_in_range_node() over [start, end) (end exclusive), top-down or
 * bottom-up as mb->bottom_up says; align is used as a mask, as round_down() and
 * round_up() do. returns: the base found, 0 when none.
 */
uint64_t cvo_mb_find(const struct cvo_memblock *mb, uint64_t size, uint64_t align,
		     uint64_t start, uint64_t end);
/* memblock_phys_alloc_range(): cvo_mb_find() (align 0: SMP_CACHE_BYTES), then
 * cvo_mb_reserve(). returns: the base, 0 when nothing was found. */
uint64_t cvo_mb_alloc(struct cvo_memblock *mb, uint64_t size, uint64_t align, uint64_t start,
		      uint64_t end);
/* n single-page top-down allocations of page bytes each (early_pgtable_alloc()). */
void cvo_mb_take_pages(struct cvo_memblock *mb, uint64_t n, uint64_t page);

/* memory without its no-map parts, what map_mem() (arm64) and map_lowmem() (arm) map
 * into *out, an empty span set (free with cvo_spans_fini()). */
void cvo_mb_mapped(struct cvo_memblock *mb, struct cvo_spans *out);

/* memblock.reserved kept aside and put back (the free list follows): allocations
 * looked at, not kept. cvo_mb_restore() takes the copy over. */
struct cvo_mb_saved {
	struct cvo_spans reserved;
};
void cvo_mb_save(struct cvo_memblock *mb, struct cvo_mb_saved *saved);
void cvo_mb_restore(struct cvo_memblock *mb, struct cvo_mb_saved *saved);

void cvo_mb_fini(struct cvo_memblock *mb);

#endif
