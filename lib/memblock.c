// SPDX-License-Identifier: MIT
/*
 * Span sets and the memblock model (mm/memblock.c) of lib/memblock.h: memory,
 * reserved and no-map ranges; memblock_find_in_range_node() top-down (the default
 * on arm, arm64 and riscv) and bottom-up, with round_down()/round_up() as the
 * kernel does them (a mask, so a non-power-of-two alignment misaligns exactly as in
 * the kernel); the first page is never handed out.
 *
 * The free list (for_each_free_mem_range(): memory that is neither no-map nor
 * reserved) is kept up to date by every change instead of being rebuilt by every
 * allocation: a reservation or a no-map mark cuts it, a free or a cleared mark gives
 * back what memory under the range is neither reserved nor no-map. Spans are kept
 * maximal (merged when adjacent), so the list is the same one a rebuild makes.
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

/* The index of the first span whose end is above addr, or at it with at. */
static size_t first_end(const struct cvo_spans *s, uint64_t addr, bool at)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->v[mid].end > addr || (at && s->v[mid].end == addr))
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* How many spans start below addr. */
static size_t count_below(const struct cvo_spans *s, uint64_t addr)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->v[mid].base < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t cvo_spans_after(const struct cvo_spans *s, uint64_t addr)
{
	return first_end(s, addr, false);
}

int cvo_spans_add(struct cvo_spans *s, uint64_t base, uint64_t end)
{
	if (base >= end)
		return 0;
	/* the first span that ends at or above base touches the new one or lies above */
	size_t i = first_end(s, base, true);
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
	size_t i = first_end(s, base, false);
	if (i == s->n || s->v[i].base >= end)
		return 0;
	if (s->v[i].base < base && s->v[i].end > end) {
		/* split */
		if (cvo_grow(&s->v, &s->cap, s->n, sizeof(*s->v)))
			return CVO_ERR_NOMEM;
		memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof(*s->v));
		s->n++;
		s->v[i].end = base;
		s->v[i + 1].base = end;
		return 0;
	}
	if (s->v[i].base < base) {
		s->v[i].end = base; /* the head stays */
		i++;
	}
	/* spans i..j-1 lie inside the range and go; span j keeps its part above end */
	size_t j = i;
	while (j < s->n && s->v[j].end <= end)
		j++;
	if (j < s->n && s->v[j].base < end)
		s->v[j].base = end;
	if (j > i) {
		memmove(&s->v[i], &s->v[j], (s->n - j) * sizeof(*s->v));
		s->n -= j - i;
	}
	return 0;
}

bool cvo_spans_overlap(const struct cvo_spans *s, uint64_t base, uint64_t end)
{
	size_t i = first_end(s, base, false);
	return i < s->n && s->v[i].base < end;
}

bool cvo_spans_cover(const struct cvo_spans *s, uint64_t base, uint64_t end)
{
	/* of the spans that reach end, the first starts lowest */
	size_t i = first_end(s, end, true);
	return i < s->n && s->v[i].base <= base;
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

/*
 * The free list gets back [lo, hi) without what spans of a and b (either may be
 * NULL) hold: a sweep over both from lo, each span found by binary search once.
 */
static void free_add(struct cvo_memblock *mb, uint64_t lo, uint64_t hi,
		     const struct cvo_spans *a, const struct cvo_spans *b)
{
	size_t i = a ? cvo_spans_after(a, lo) : 0, j = b ? cvo_spans_after(b, lo) : 0;
	uint64_t cur = lo;
	while (cur < hi) {
		while (a && i < a->n && a->v[i].end <= cur)
			i++;
		while (b && j < b->n && b->v[j].end <= cur)
			j++;
		const struct cvo_span *next = NULL;
		if (a && i < a->n && a->v[i].base < hi)
			next = &a->v[i];
		if (b && j < b->n && b->v[j].base < hi && (!next || b->v[j].base < next->base))
			next = &b->v[j];
		if (!next) {
			cvo_mb_note(mb, cvo_spans_add(&mb->free, cur, hi));
			return;
		}
		if (next->base > cur)
			cvo_mb_note(mb, cvo_spans_add(&mb->free, cur, next->base));
		cur = next->end;
	}
}

/* free_add() of [base, end) cut to memory. */
static void free_add_memory(struct cvo_memblock *mb, uint64_t base, uint64_t end,
			    const struct cvo_spans *minus)
{
	for (size_t i = cvo_spans_after(&mb->memory, base);
	     i < mb->memory.n && mb->memory.v[i].base < end; i++) {
		uint64_t lo = mb->memory.v[i].base > base ? mb->memory.v[i].base : base;
		uint64_t hi = mb->memory.v[i].end < end ? mb->memory.v[i].end : end;
		free_add(mb, lo, hi, minus, NULL);
	}
}

void cvo_mb_add_memory(struct cvo_memblock *mb, uint64_t base, uint64_t end)
{
	cvo_mb_note(mb, cvo_spans_add(&mb->memory, base, end));
	free_add(mb, base, end, &mb->nomap, &mb->reserved);
}

void cvo_mb_remove_memory(struct cvo_memblock *mb, uint64_t base, uint64_t end)
{
	cvo_mb_note(mb, cvo_spans_remove(&mb->memory, base, end));
	cvo_mb_note(mb, cvo_spans_remove(&mb->free, base, end));
}

void cvo_mb_clear_memory(struct cvo_memblock *mb)
{
	mb->memory.n = 0;
	mb->free.n = 0;
}

void cvo_mb_reserve(struct cvo_memblock *mb, uint64_t base, uint64_t size)
{
	uint64_t end = cvo_mb_end(mb, base, size);
	if (mb->watch && !mb->has_hit) {
		size_t i = cvo_spans_after(&mb->unmapped, base);
		if (i < mb->unmapped.n && mb->unmapped.v[i].base < end) {
			mb->hit = base > mb->unmapped.v[i].base ? base : mb->unmapped.v[i].base;
			mb->has_hit = true;
		}
	}
	cvo_mb_note(mb, cvo_spans_add(&mb->reserved, base, end));
	cvo_mb_note(mb, cvo_spans_remove(&mb->free, base, end));
}

void cvo_mb_free(struct cvo_memblock *mb, uint64_t base, uint64_t size)
{
	uint64_t end = cvo_mb_end(mb, base, size);
	cvo_mb_note(mb, cvo_spans_remove(&mb->reserved, base, end));
	/* nothing in [base, end) is reserved now */
	free_add_memory(mb, base, end, &mb->nomap);
}

void cvo_mb_mark_nomap(struct cvo_memblock *mb, uint64_t base, uint64_t size)
{
	uint64_t end = cvo_mb_end(mb, base, size);
	cvo_mb_note(mb, cvo_spans_add(&mb->nomap, base, end));
	cvo_mb_note(mb, cvo_spans_remove(&mb->free, base, end));
}

void cvo_mb_clear_nomap(struct cvo_memblock *mb, uint64_t base, uint64_t size)
{
	uint64_t end = cvo_mb_end(mb, base, size);
	cvo_mb_note(mb, cvo_spans_remove(&mb->nomap, base, end));
	free_add_memory(mb, base, end, &mb->reserved);
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

uint64_t cvo_mb_phys_mem_size(const struct cvo_memblock *mb)
{
	uint64_t n = 0;
	for (size_t i = 0; i < mb->memory.n; i++)
		n += mb->memory.v[i].end - mb->memory.v[i].base;
	return n;
}

static uint64_t clamp64(uint64_t v, uint64_t lo, uint64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/*
 * __memblock_find_range_top_down() over free spans i-1 down to lo. A span that
 * ends at or below start, or starts at or above end, is clamped to one point and
 * can only be chosen for an empty range: those are searched in full.
 */
static uint64_t find_top_down(const struct cvo_memblock *mb, uint64_t size, uint64_t mask,
			      uint64_t start, uint64_t end)
{
	const struct cvo_spans *f = &mb->free;
	size_t i = size ? count_below(f, end) : f->n;
	for (; i-- > 0;) {
		if (size && f->v[i].end <= start)
			break;
		uint64_t ts = clamp64(f->v[i].base, start, end);
		uint64_t te = clamp64(f->v[i].end, start, end);
		if (te < size)
			continue;
		uint64_t cand = (te - size) & ~mask;
		if (cand >= ts)
			return cand;
	}
	return 0;
}

/* __memblock_find_range_bottom_up(): a span clamped to one point never fits. */
static uint64_t find_bottom_up(const struct cvo_memblock *mb, uint64_t size, uint64_t mask,
			       uint64_t start, uint64_t end)
{
	const struct cvo_spans *f = &mb->free;
	for (size_t i = cvo_spans_after(f, start); i < f->n && f->v[i].base < end; i++) {
		uint64_t ts = clamp64(f->v[i].base, start, end);
		uint64_t te = clamp64(f->v[i].end, start, end);
		uint64_t cand = ((ts - 1) | mask) + 1;
		if (cand < te && te - cand >= size)
			return cand;
	}
	return 0;
}

uint64_t cvo_mb_find(const struct cvo_memblock *mb, uint64_t size, uint64_t align,
		     uint64_t start, uint64_t end)
{
	/* avoid allocating the first page */
	if (start < mb->page)
		start = mb->page;
	if (end < start)
		end = start;
	uint64_t mask = align - 1;
	if (mb->bottom_up)
		return find_bottom_up(mb, size, mask, start, end);
	return find_top_down(mb, size, mask, start, end);
}

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

/*
 * Each page goes to the highest free page, so together they fill free spans from
 * the top: the highest span holding a whole page gives as many as it has, and the
 * search goes on below what it took (what lies above holds no whole page).
 */
void cvo_mb_take_pages(struct cvo_memblock *mb, uint64_t n, uint64_t page)
{
	size_t i = mb->free.n;
	while (n && i-- > 0) {
		uint64_t lo = ((mb->free.v[i].base - 1) | (page - 1)) + 1;
		uint64_t hi = mb->free.v[i].end & ~(page - 1);
		if (lo < page)
			lo = page;
		if (hi <= lo)
			continue;
		uint64_t k = (hi - lo) / page < n ? (hi - lo) / page : n;
		cvo_mb_reserve(mb, hi - k * page, k * page);
		n -= k;
		if (mb->err)
			return;
		i = count_below(&mb->free, hi - k * page);
	}
}

void cvo_mb_mapped(struct cvo_memblock *mb, struct cvo_spans *out)
{
	/* memory spans are apart, so each piece is appended */
	for (size_t i = 0; i < mb->memory.n; i++) {
		const struct cvo_span *m = &mb->memory.v[i];
		uint64_t cur = m->base;
		for (size_t j = cvo_spans_after(&mb->nomap, cur);
		     j < mb->nomap.n && mb->nomap.v[j].base < m->end; j++) {
			if (mb->nomap.v[j].base > cur)
				cvo_mb_note(mb, cvo_spans_add(out, cur, mb->nomap.v[j].base));
			cur = mb->nomap.v[j].end;
		}
		if (cur < m->end)
			cvo_mb_note(mb, cvo_spans_add(out, cur, m->end));
	}
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
}

void cvo_mb_restore(struct cvo_memblock *mb, struct cvo_mb_saved *saved)
{
	cvo_spans_fini(&mb->reserved);
	mb->reserved = saved->reserved;
	*saved = (struct cvo_mb_saved){ 0 };
	/* the free list anew, span by span from the bottom: each lands at the end */
	mb->free.n = 0;
	for (size_t i = 0; i < mb->memory.n; i++)
		free_add(mb, mb->memory.v[i].base, mb->memory.v[i].end, &mb->nomap,
			 &mb->reserved);
}

void cvo_mb_fini(struct cvo_memblock *mb)
{
	cvo_spans_fini(&mb->unmapped);
	cvo_spans_fini(&mb->memory);
	cvo_spans_fini(&mb->nomap);
	cvo_spans_fini(&mb->reserved);
	cvo_spans_fini(&mb->free);
}
