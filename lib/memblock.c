// SPDX-License-Identifier: MIT
/*
 * Span sets and the memblock model (mm/memblock.c) of lib/memblock.h: memory,
 * reserved and no-map ranges; memblock_find_in_range_node() top-down (the default
 * on arm, arm64 and riscv) and bottom-up, with round_down()/round_up() as the
 * kernel does them (a mask, so a non-power-of-two alignment misaligns exactly as in
 * the kernel); the first page is never handed out.
 */
#include <stdlib.h>
#include <string.h>

#include "memblock.h"
#include "util.h"

void cvo_spans_fini(struct cvo_spans *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

int cvo_spans_add(struct cvo_spans *s, uint64_t base, uint64_t end)
{
	if (base >= end)
		return 0;
	size_t i = 0;
	while (i < s->n && s->v[i].end < base)
		i++;
	size_t j = i;
	while (j < s->n && s->v[j].base <= end) {
		if (s->v[j].base < base)
			base = s->v[j].base;
		if (s->v[j].end > end)
			end = s->v[j].end;
		j++;
	}
	if (j == i) {
		if (cvo_grow(&s->v, &s->cap, s->n, sizeof(*s->v)))
			return CVO_ERR_NOMEM;
		memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof(*s->v));
		s->n++;
	} else if (j > i + 1) {
		memmove(&s->v[i + 1], &s->v[j], (s->n - j) * sizeof(*s->v));
		s->n -= j - i - 1;
	}
	s->v[i] = (struct cvo_span){ base, end };
	return 0;
}

int cvo_spans_remove(struct cvo_spans *s, uint64_t base, uint64_t end)
{
	if (base >= end)
		return 0;
	for (size_t i = 0; i < s->n; i++) {
		struct cvo_span *v = &s->v[i];
		if (v->end <= base || v->base >= end)
			continue;
		if (v->base < base && v->end > end) {
			/* split */
			if (cvo_grow(&s->v, &s->cap, s->n, sizeof(*s->v)))
				return CVO_ERR_NOMEM;
			v = &s->v[i];
			memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof(*s->v));
			s->n++;
			s->v[i].end = base;
			s->v[i + 1].base = end;
			return 0;
		}
		if (v->base < base) {
			v->end = base;
		} else if (v->end > end) {
			v->base = end;
		} else {
			memmove(&s->v[i], &s->v[i + 1], (s->n - i - 1) * sizeof(*s->v));
			s->n--;
			i--;
		}
	}
	return 0;
}

bool cvo_spans_overlap(const struct cvo_spans *s, uint64_t base, uint64_t end)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].base < end && base < s->v[i].end)
			return true;
	return false;
}

bool cvo_spans_cover(const struct cvo_spans *s, uint64_t base, uint64_t end)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].base <= base && end <= s->v[i].end)
			return true;
	return false;
}

/* memblock_cap_size(): a range never extends past PHYS_ADDR_MAX. */
uint64_t cvo_mb_end(const struct cvo_memblock *mb, uint64_t base, uint64_t size)
{
	if (base > mb->pa_max)
		return base;
	if (size > mb->pa_max - base)
		size = mb->pa_max - base;
	return base + size;
}

void cvo_mb_note(struct cvo_memblock *mb, int r)
{
	if (r && !mb->err)
		mb->err = r;
}

void cvo_mb_reserve(struct cvo_memblock *mb, uint64_t base, uint64_t size)
{
	uint64_t end = cvo_mb_end(mb, base, size);
	if (mb->watch && !mb->has_hit && cvo_spans_overlap(&mb->unmapped, base, end)) {
		for (size_t i = 0; i < mb->unmapped.n; i++)
			if (mb->unmapped.v[i].base < end && base < mb->unmapped.v[i].end) {
				mb->hit =
				    base > mb->unmapped.v[i].base ? base : mb->unmapped.v[i].base;
				break;
			}
		mb->has_hit = true;
	}
	cvo_mb_note(mb, cvo_spans_add(&mb->reserved, base, end));
}

/* memblock_phys_free(): the range leaves memblock.reserved, whoever reserved it. */
void cvo_mb_free(struct cvo_memblock *mb, uint64_t base, uint64_t size)
{
	cvo_mb_note(mb, cvo_spans_remove(&mb->reserved, base, cvo_mb_end(mb, base, size)));
}

void cvo_mb_mark_nomap(struct cvo_memblock *mb, uint64_t base, uint64_t size)
{
	cvo_mb_note(mb, cvo_spans_add(&mb->nomap, base, cvo_mb_end(mb, base, size)));
}

void cvo_mb_clear_nomap(struct cvo_memblock *mb, uint64_t base, uint64_t size)
{
	cvo_mb_note(mb, cvo_spans_remove(&mb->nomap, base, cvo_mb_end(mb, base, size)));
}

bool cvo_mb_is_reserved(const struct cvo_memblock *mb, uint64_t base, uint64_t size)
{
	return cvo_spans_overlap(&mb->reserved, base, cvo_mb_end(mb, base, size));
}

bool cvo_mb_overlaps_memory(const struct cvo_memblock *mb, uint64_t base, uint64_t size)
{
	return cvo_spans_overlap(&mb->memory, base, cvo_mb_end(mb, base, size));
}

uint64_t cvo_mb_start_of_dram(const struct cvo_memblock *mb)
{
	return mb->memory.n ? mb->memory.v[0].base : 0;
}

uint64_t cvo_mb_end_of_dram(const struct cvo_memblock *mb)
{
	return mb->memory.n ? mb->memory.v[mb->memory.n - 1].end : 0;
}

/* memblock_phys_mem_size(): the bytes of RAM. */
uint64_t cvo_mb_phys_mem_size(const struct cvo_memblock *mb)
{
	uint64_t n = 0;
	for (size_t i = 0; i < mb->memory.n; i++)
		n += mb->memory.v[i].end - mb->memory.v[i].base;
	return n;
}

/* for_each_free_mem_range(): memory that is neither no-map nor reserved. */
static void mb_compute_free(struct cvo_memblock *mb)
{
	mb->free.n = 0;
	for (size_t i = 0; i < mb->memory.n; i++)
		cvo_mb_note(mb,
			    cvo_spans_add(&mb->free, mb->memory.v[i].base, mb->memory.v[i].end));
	for (size_t i = 0; i < mb->nomap.n; i++)
		cvo_mb_note(mb,
			    cvo_spans_remove(&mb->free, mb->nomap.v[i].base, mb->nomap.v[i].end));
	for (size_t i = 0; i < mb->reserved.n; i++)
		cvo_mb_note(
		    mb, cvo_spans_remove(&mb->free, mb->reserved.v[i].base, mb->reserved.v[i].end));
}

static uint64_t clamp64(uint64_t v, uint64_t lo, uint64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/*
 * memblock_find_in_range_node() with __memblock_find_range_top_down() /
 * _bottom_up(). end is exclusive; 0 means not found. round_down()/round_up()
 * use a mask exactly like the kernel's macros.
 */
uint64_t cvo_mb_find(struct cvo_memblock *mb, uint64_t size, uint64_t align, uint64_t start,
		     uint64_t end)
{
	/* avoid allocating the first page */
	if (start < mb->page)
		start = mb->page;
	if (end < start)
		end = start;
	uint64_t mask = align - 1;
	mb_compute_free(mb);
	if (mb->bottom_up) {
		for (size_t i = 0; i < mb->free.n; i++) {
			uint64_t ts = clamp64(mb->free.v[i].base, start, end);
			uint64_t te = clamp64(mb->free.v[i].end, start, end);
			uint64_t cand = ((ts - 1) | mask) + 1;
			if (cand < te && te - cand >= size)
				return cand;
		}
		return 0;
	}
	for (size_t i = mb->free.n; i-- > 0;) {
		uint64_t ts = clamp64(mb->free.v[i].base, start, end);
		uint64_t te = clamp64(mb->free.v[i].end, start, end);
		if (te < size)
			continue;
		uint64_t cand = (te - size) & ~mask;
		if (cand >= ts)
			return cand;
	}
	return 0;
}

/* memblock_alloc_range_nid() / memblock_phys_alloc_range() */
uint64_t cvo_mb_alloc(struct cvo_memblock *mb, uint64_t size, uint64_t align, uint64_t start,
		      uint64_t end)
{
	if (!align)
		align = SMP_CACHE_BYTES;
	uint64_t found = cvo_mb_find(mb, size, align, start, end);
	if (found)
		cvo_mb_reserve(mb, found, size);
	return found;
}

void cvo_mb_fini(struct cvo_memblock *mb)
{
	cvo_spans_fini(&mb->unmapped);
	cvo_spans_fini(&mb->memory);
	cvo_spans_fini(&mb->nomap);
	cvo_spans_fini(&mb->reserved);
	cvo_spans_fini(&mb->free);
}

/*
 * n single-page top-down allocations (early_pgtable_alloc() and friends): each
 * takes the highest free page, so together they fill free ranges from the top.
 */
void cvo_mb_take_pages(struct cvo_memblock *mb, uint64_t n, uint64_t page)
{
	while (n) {
		mb_compute_free(mb);
		bool took = false;
		for (size_t i = mb->free.n; i-- > 0 && n;) {
			uint64_t lo = ((mb->free.v[i].base - 1) | (page - 1)) + 1;
			uint64_t hi = mb->free.v[i].end & ~(page - 1);
			if (lo < page)
				lo = page;
			if (hi <= lo)
				continue;
			uint64_t k = (hi - lo) / page < n ? (hi - lo) / page : n;
			cvo_mb_reserve(mb, hi - k * page, k * page);
			n -= k;
			took = true;
			break;
		}
		if (!took || mb->err)
			return;
	}
}

size_t cvo_spans_after(const struct cvo_spans *s, uint64_t addr)
{
	size_t i = 0;
	while (i < s->n && s->v[i].end <= addr)
		i++;
	return i;
}

void cvo_mb_add_memory(struct cvo_memblock *mb, uint64_t base, uint64_t end)
{
	cvo_mb_note(mb, cvo_spans_add(&mb->memory, base, end));
}

void cvo_mb_remove_memory(struct cvo_memblock *mb, uint64_t base, uint64_t end)
{
	cvo_mb_note(mb, cvo_spans_remove(&mb->memory, base, end));
}

void cvo_mb_clear_memory(struct cvo_memblock *mb)
{
	mb->memory.n = 0;
}

static int spans_copy(struct cvo_spans *dst, const struct cvo_spans *src)
{
	*dst = (struct cvo_spans){ 0 };
	if (!src->n)
		return 0;
	dst->v = malloc(src->n * sizeof(*dst->v));
	if (!dst->v)
		return CVO_ERR_NOMEM;
	memcpy(dst->v, src->v, src->n * sizeof(*dst->v));
	dst->n = dst->cap = src->n;
	return 0;
}

void cvo_mb_save(struct cvo_memblock *mb, struct cvo_mb_saved *saved)
{
	cvo_mb_note(mb, spans_copy(&saved->reserved, &mb->reserved));
	cvo_mb_note(mb, spans_copy(&saved->free, &mb->free));
}

void cvo_mb_restore(struct cvo_memblock *mb, struct cvo_mb_saved *saved)
{
	cvo_spans_fini(&mb->reserved);
	cvo_spans_fini(&mb->free);
	mb->reserved = saved->reserved;
	mb->free = saved->free;
	*saved = (struct cvo_mb_saved){ 0 };
}
