// SPDX-License-Identifier: MIT
/*
 * Unit tests of the memblock model (lib/memblock.c): random sequences of memory,
 * reserve, free, no-map, allocation (top-down and bottom-up, any alignment and
 * window), page-taking and save/restore calls run against the reference below, the
 * model as it was before its free list was kept up to date: linear span sets and a
 * free list rebuilt from memory, no-map and reserved by every search. Every result
 * and every span set must be the same. The seed is printed; CARVEOUT_TEST_SEED
 * replays one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "memblock.h"
#include "util.h"

/* ------------------------------------------------------------------ the reference */

struct ref_mb_saved {
	struct cvo_spans reserved, free;
};

static void ref_spans_fini(struct cvo_spans *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int ref_spans_add(struct cvo_spans *s, uint64_t base, uint64_t end)
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

static int ref_spans_remove(struct cvo_spans *s, uint64_t base, uint64_t end)
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

static bool ref_spans_overlap(const struct cvo_spans *s, uint64_t base, uint64_t end)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].base < end && base < s->v[i].end)
			return true;
	return false;
}

static bool ref_spans_cover(const struct cvo_spans *s, uint64_t base, uint64_t end)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].base <= base && end <= s->v[i].end)
			return true;
	return false;
}

/* memblock_cap_size(): a range never extends past PHYS_ADDR_MAX. */
static uint64_t ref_mb_end(const struct cvo_memblock *mb, uint64_t base, uint64_t size)
{
	if (base > mb->pa_max)
		return base;
	if (size > mb->pa_max - base)
		size = mb->pa_max - base;
	return base + size;
}

static void ref_mb_note(struct cvo_memblock *mb, int r)
{
	if (r && !mb->err)
		mb->err = r;
}

static void ref_mb_reserve(struct cvo_memblock *mb, uint64_t base, uint64_t size)
{
	uint64_t end = ref_mb_end(mb, base, size);
	if (mb->watch && !mb->has_hit && ref_spans_overlap(&mb->unmapped, base, end)) {
		for (size_t i = 0; i < mb->unmapped.n; i++)
			if (mb->unmapped.v[i].base < end && base < mb->unmapped.v[i].end) {
				mb->hit =
				    base > mb->unmapped.v[i].base ? base : mb->unmapped.v[i].base;
				break;
			}
		mb->has_hit = true;
	}
	ref_mb_note(mb, ref_spans_add(&mb->reserved, base, end));
}

/* memblock_phys_free(): the range leaves memblock.reserved, whoever reserved it. */
static void ref_mb_free(struct cvo_memblock *mb, uint64_t base, uint64_t size)
{
	ref_mb_note(mb, ref_spans_remove(&mb->reserved, base, ref_mb_end(mb, base, size)));
}

static void ref_mb_mark_nomap(struct cvo_memblock *mb, uint64_t base, uint64_t size)
{
	ref_mb_note(mb, ref_spans_add(&mb->nomap, base, ref_mb_end(mb, base, size)));
}

static void ref_mb_clear_nomap(struct cvo_memblock *mb, uint64_t base, uint64_t size)
{
	ref_mb_note(mb, ref_spans_remove(&mb->nomap, base, ref_mb_end(mb, base, size)));
}

static bool ref_mb_is_reserved(const struct cvo_memblock *mb, uint64_t base, uint64_t size)
{
	return ref_spans_overlap(&mb->reserved, base, ref_mb_end(mb, base, size));
}

static bool ref_mb_overlaps_memory(const struct cvo_memblock *mb, uint64_t base, uint64_t size)
{
	return ref_spans_overlap(&mb->memory, base, ref_mb_end(mb, base, size));
}

static uint64_t ref_mb_start_of_dram(const struct cvo_memblock *mb)
{
	return mb->memory.n ? mb->memory.v[0].base : 0;
}

static uint64_t ref_mb_end_of_dram(const struct cvo_memblock *mb)
{
	return mb->memory.n ? mb->memory.v[mb->memory.n - 1].end : 0;
}

/* memblock_phys_mem_size(): the bytes of RAM. */
static uint64_t ref_mb_phys_mem_size(const struct cvo_memblock *mb)
{
	uint64_t n = 0;
	for (size_t i = 0; i < mb->memory.n; i++)
		n += mb->memory.v[i].end - mb->memory.v[i].base;
	return n;
}

/* for_each_free_mem_range(): memory that is neither no-map nor reserved. */
static void ref_compute_free(struct cvo_memblock *mb)
{
	mb->free.n = 0;
	for (size_t i = 0; i < mb->memory.n; i++)
		ref_mb_note(mb,
			    ref_spans_add(&mb->free, mb->memory.v[i].base, mb->memory.v[i].end));
	for (size_t i = 0; i < mb->nomap.n; i++)
		ref_mb_note(mb,
			    ref_spans_remove(&mb->free, mb->nomap.v[i].base, mb->nomap.v[i].end));
	for (size_t i = 0; i < mb->reserved.n; i++)
		ref_mb_note(
		    mb, ref_spans_remove(&mb->free, mb->reserved.v[i].base, mb->reserved.v[i].end));
}

static uint64_t ref_clamp64(uint64_t v, uint64_t lo, uint64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/*
 * memblock_find_in_range_node() with __memblock_find_range_top_down() /
 * _bottom_up(). end is exclusive; 0 means not found. round_down()/round_up()
 * use a mask exactly like the kernel's macros.
 */
static uint64_t ref_mb_find(struct cvo_memblock *mb, uint64_t size, uint64_t align,
			    uint64_t start, uint64_t end)
{
	/* avoid allocating the first page */
	if (start < mb->page)
		start = mb->page;
	if (end < start)
		end = start;
	uint64_t mask = align - 1;
	ref_compute_free(mb);
	if (mb->bottom_up) {
		for (size_t i = 0; i < mb->free.n; i++) {
			uint64_t ts = ref_clamp64(mb->free.v[i].base, start, end);
			uint64_t te = ref_clamp64(mb->free.v[i].end, start, end);
			uint64_t cand = ((ts - 1) | mask) + 1;
			if (cand < te && te - cand >= size)
				return cand;
		}
		return 0;
	}
	for (size_t i = mb->free.n; i-- > 0;) {
		uint64_t ts = ref_clamp64(mb->free.v[i].base, start, end);
		uint64_t te = ref_clamp64(mb->free.v[i].end, start, end);
		if (te < size)
			continue;
		uint64_t cand = (te - size) & ~mask;
		if (cand >= ts)
			return cand;
	}
	return 0;
}

/* memblock_alloc_range_nid() / memblock_phys_alloc_range() */
static uint64_t ref_mb_alloc(struct cvo_memblock *mb, uint64_t size, uint64_t align,
			     uint64_t start, uint64_t end)
{
	if (!align)
		align = SMP_CACHE_BYTES;
	uint64_t found = ref_mb_find(mb, size, align, start, end);
	if (found)
		ref_mb_reserve(mb, found, size);
	return found;
}

static void ref_mb_fini(struct cvo_memblock *mb)
{
	ref_spans_fini(&mb->unmapped);
	ref_spans_fini(&mb->memory);
	ref_spans_fini(&mb->nomap);
	ref_spans_fini(&mb->reserved);
	ref_spans_fini(&mb->free);
}

/*
 * n single-page top-down allocations (early_pgtable_alloc() and friends): each
 * takes the highest free page, so together they fill free ranges from the top.
 */
static void ref_mb_take_pages(struct cvo_memblock *mb, uint64_t n, uint64_t page)
{
	while (n) {
		ref_compute_free(mb);
		bool took = false;
		for (size_t i = mb->free.n; i-- > 0 && n;) {
			uint64_t lo = ((mb->free.v[i].base - 1) | (page - 1)) + 1;
			uint64_t hi = mb->free.v[i].end & ~(page - 1);
			if (lo < page)
				lo = page;
			if (hi <= lo)
				continue;
			uint64_t k = (hi - lo) / page < n ? (hi - lo) / page : n;
			ref_mb_reserve(mb, hi - k * page, k * page);
			n -= k;
			took = true;
			break;
		}
		if (!took || mb->err)
			return;
	}
}

static size_t ref_spans_after(const struct cvo_spans *s, uint64_t addr)
{
	size_t i = 0;
	while (i < s->n && s->v[i].end <= addr)
		i++;
	return i;
}

static void ref_mb_add_memory(struct cvo_memblock *mb, uint64_t base, uint64_t end)
{
	ref_mb_note(mb, ref_spans_add(&mb->memory, base, end));
}

static void ref_mb_remove_memory(struct cvo_memblock *mb, uint64_t base, uint64_t end)
{
	ref_mb_note(mb, ref_spans_remove(&mb->memory, base, end));
}

static void ref_mb_clear_memory(struct cvo_memblock *mb)
{
	mb->memory.n = 0;
}

static int ref_spans_copy(struct cvo_spans *dst, const struct cvo_spans *src)
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

static void ref_mb_save(struct cvo_memblock *mb, struct ref_mb_saved *saved)
{
	ref_mb_note(mb, ref_spans_copy(&saved->reserved, &mb->reserved));
	ref_mb_note(mb, ref_spans_copy(&saved->free, &mb->free));
}

static void ref_mb_restore(struct cvo_memblock *mb, struct ref_mb_saved *saved)
{
	ref_spans_fini(&mb->reserved);
	ref_spans_fini(&mb->free);
	mb->reserved = saved->reserved;
	mb->free = saved->free;
	*saved = (struct ref_mb_saved){ 0 };
}

/* ------------------------------------------------------------------ random sequences */

static uint64_t rnd_state;

/* xorshift64* */
static uint64_t rnd(void)
{
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return rnd_state * UINT64_C(2685821657736338717);
}

static uint64_t pick(uint64_t n)
{
	return rnd() % n;
}

/* Mostly 256-byte steps in the first MiB, so that ranges overlap and touch; sometimes
 * any byte, 0, or the top of the physical address space. */
static uint64_t rnd_addr(const struct cvo_memblock *mb)
{
	switch (pick(16)) {
	case 0:
		return mb->pa_max - pick(0x10000);
	case 1:
		return pick(0x100000);
	case 2:
		return 0;
	default:
		return pick(0x1000) << 8;
	}
}

static uint64_t rnd_size(void)
{
	switch (pick(10)) {
	case 0:
		return 0;
	case 1:
		return pick(0x100000);
	case 2:
		return UINT64_MAX - pick(16); /* cut by memblock_cap_size() */
	default:
		return (1 + pick(64)) << 8;
	}
}

/* 0 (SMP_CACHE_BYTES), a power of two, or not one (the mask misaligns as the kernel's) */
static uint64_t rnd_align(void)
{
	switch (pick(6)) {
	case 0:
		return 0;
	case 1:
		return 0x300 + (pick(8) << 8);
	default:
		return UINT64_C(1) << pick(21);
	}
}

struct pair {
	struct cvo_memblock mb, ref;
	struct cvo_mb_saved saved;
	struct ref_mb_saved ref_saved;
	bool has_saved;
	struct cvo_spans a, ref_a; /* a bare span set */
	unsigned seq, step;
	const char *op;
};

static void same_spans(const struct pair *p, const char *what, const struct cvo_spans *got,
		       const struct cvo_spans *want)
{
	bool same = got->n == want->n;
	for (size_t i = 0; same && i < got->n; i++)
		same = got->v[i].base == want->v[i].base && got->v[i].end == want->v[i].end;
	if (same)
		return;
	fprintf(stderr, "sequence %u step %u (%s): %s differs\n  got ", p->seq, p->step, p->op,
		what);
	for (size_t i = 0; i < got->n; i++)
		fprintf(stderr, " [%#llx,%#llx)", (unsigned long long)got->v[i].base,
			(unsigned long long)got->v[i].end);
	fprintf(stderr, "\n  want");
	for (size_t i = 0; i < want->n; i++)
		fprintf(stderr, " [%#llx,%#llx)", (unsigned long long)want->v[i].base,
			(unsigned long long)want->v[i].end);
	fprintf(stderr, "\n");
	fail();
}

static void same_u64(const struct pair *p, const char *what, uint64_t got, uint64_t want)
{
	if (got != want)
		fail_msg("sequence %u step %u (%s): %s %#llx, want %#llx", p->seq, p->step, p->op,
			 what, (unsigned long long)got, (unsigned long long)want);
}

static void same_state(struct pair *p)
{
	ref_compute_free(&p->ref);
	same_spans(p, "memory", &p->mb.memory, &p->ref.memory);
	same_spans(p, "nomap", &p->mb.nomap, &p->ref.nomap);
	same_spans(p, "reserved", &p->mb.reserved, &p->ref.reserved);
	same_spans(p, "free", &p->mb.free, &p->ref.free);
	same_spans(p, "unmapped", &p->mb.unmapped, &p->ref.unmapped);
	same_spans(p, "span set", &p->a, &p->ref_a);
	same_u64(p, "has_hit", p->mb.has_hit, p->ref.has_hit);
	same_u64(p, "hit", p->mb.hit, p->ref.hit);
	same_u64(p, "err", (uint64_t)p->mb.err, (uint64_t)p->ref.err);
}

/* One random call on both models, and its results compared. */
static void step(struct pair *p)
{
	struct cvo_memblock *mb = &p->mb, *ref = &p->ref;
	uint64_t base = rnd_addr(mb), size = rnd_size();
	uint64_t end = cvo_mb_end(mb, base, size);
	switch (pick(20)) {
	case 0:
		p->op = "add memory";
		cvo_mb_add_memory(mb, base, end);
		ref_mb_add_memory(ref, base, end);
		break;
	case 1:
		p->op = "remove memory";
		end = pick(4) ? end : UINT64_MAX;
		cvo_mb_remove_memory(mb, base, end);
		ref_mb_remove_memory(ref, base, end);
		break;
	case 2:
		p->op = "clear memory";
		if (pick(10))
			return;
		cvo_mb_clear_memory(mb);
		ref_mb_clear_memory(ref);
		break;
	case 3:
	case 4:
		p->op = "reserve";
		cvo_mb_reserve(mb, base, size);
		ref_mb_reserve(ref, base, size);
		break;
	case 5:
	case 6:
		p->op = "free";
		cvo_mb_free(mb, base, size);
		ref_mb_free(ref, base, size);
		break;
	case 7:
		p->op = "mark nomap";
		cvo_mb_mark_nomap(mb, base, size);
		ref_mb_mark_nomap(ref, base, size);
		break;
	case 8:
		p->op = "clear nomap";
		cvo_mb_clear_nomap(mb, base, size);
		ref_mb_clear_nomap(ref, base, size);
		break;
	case 9:
	case 10:
	case 11:
	case 12: {
		p->op = "alloc";
		mb->bottom_up = ref->bottom_up = pick(3) == 0;
		uint64_t align = rnd_align();
		uint64_t start = pick(3) ? rnd_addr(mb) : 0;
		uint64_t lim = pick(3) ? rnd_addr(mb) : mb->pa_max;
		size = pick(4) ? (1 + pick(32)) << 8 : rnd_size();
		if (pick(2)) {
			p->op = "find";
			uint64_t a = align ? align : SMP_CACHE_BYTES;
			same_u64(p, "find", cvo_mb_find(mb, size, a, start, lim),
				 ref_mb_find(ref, size, a, start, lim));
		} else {
			same_u64(p, "alloc", cvo_mb_alloc(mb, size, align, start, lim),
				 ref_mb_alloc(ref, size, align, start, lim));
		}
		break;
	}
	case 13: {
		p->op = "take pages";
		uint64_t page = UINT64_C(256) << pick(5), n = pick(24);
		cvo_mb_take_pages(mb, n, page);
		ref_mb_take_pages(ref, n, page);
		break;
	}
	case 14:
		p->op = "queries";
		same_u64(p, "is_reserved", cvo_mb_is_reserved(mb, base, size),
			 ref_mb_is_reserved(ref, base, size));
		same_u64(p, "overlaps_memory", cvo_mb_overlaps_memory(mb, base, size),
			 ref_mb_overlaps_memory(ref, base, size));
		same_u64(p, "cover", cvo_spans_cover(&mb->memory, base, end),
			 ref_spans_cover(&ref->memory, base, end));
		same_u64(p, "cover empty", cvo_spans_cover(&mb->memory, base, base),
			 ref_spans_cover(&ref->memory, base, base));
		same_u64(p, "overlap", cvo_spans_overlap(&mb->nomap, base, end),
			 ref_spans_overlap(&ref->nomap, base, end));
		same_u64(p, "overlap empty", cvo_spans_overlap(&mb->reserved, base, base),
			 ref_spans_overlap(&ref->reserved, base, base));
		same_u64(p, "after", cvo_spans_after(&mb->free, base),
			 ref_spans_after(&ref->free, base));
		same_u64(p, "start of DRAM", cvo_mb_start_of_dram(mb), ref_mb_start_of_dram(ref));
		same_u64(p, "end of DRAM", cvo_mb_end_of_dram(mb), ref_mb_end_of_dram(ref));
		same_u64(p, "phys mem size", cvo_mb_phys_mem_size(mb), ref_mb_phys_mem_size(ref));
		/* memory without no-map, as place.c built it before cvo_mb_mapped() */
		struct cvo_spans got = { 0 }, want = { 0 };
		cvo_mb_mapped(mb, &got);
		for (size_t i = 0; i < ref->memory.n; i++)
			ref_spans_add(&want, ref->memory.v[i].base, ref->memory.v[i].end);
		for (size_t i = 0; i < ref->nomap.n; i++)
			ref_spans_remove(&want, ref->nomap.v[i].base, ref->nomap.v[i].end);
		same_spans(p, "mapped", &got, &want);
		cvo_spans_fini(&got);
		ref_spans_fini(&want);
		break;
	case 15:
		p->op = "watch";
		if (pick(2)) {
			cvo_mb_note(mb, cvo_spans_add(&mb->unmapped, base, end));
			ref_mb_note(ref, ref_spans_add(&ref->unmapped, base, end));
		} else {
			cvo_mb_note(mb, cvo_spans_remove(&mb->unmapped, base, end));
			ref_mb_note(ref, ref_spans_remove(&ref->unmapped, base, end));
		}
		mb->watch = ref->watch = pick(3) != 0;
		if (!pick(3))
			mb->has_hit = ref->has_hit = false;
		break;
	case 16:
		p->op = p->has_saved ? "restore" : "save";
		if (p->has_saved) {
			cvo_mb_restore(mb, &p->saved);
			ref_mb_restore(ref, &p->ref_saved);
		} else {
			cvo_mb_save(mb, &p->saved);
			ref_mb_save(ref, &p->ref_saved);
		}
		p->has_saved = !p->has_saved;
		break;
	default:
		p->op = "span set";
		if (pick(3)) {
			cvo_mb_note(mb, cvo_spans_add(&p->a, base, end));
			ref_mb_note(ref, ref_spans_add(&p->ref_a, base, end));
		} else {
			cvo_mb_note(mb, cvo_spans_remove(&p->a, base, end));
			ref_mb_note(ref, ref_spans_remove(&p->ref_a, base, end));
		}
		same_u64(p, "span cover", cvo_spans_cover(&p->a, base, end),
			 ref_spans_cover(&p->ref_a, base, end));
		same_u64(p, "span overlap", cvo_spans_overlap(&p->a, base, end),
			 ref_spans_overlap(&p->ref_a, base, end));
		break;
	}
	same_state(p);
}

#define SEQUENCES 400
#define STEPS	  400

static void test_random_sequences(void **state)
{
	(void)state;
	const char *env = getenv("CARVEOUT_TEST_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 0) : (uint64_t)time(NULL);
	printf("memblock: seed %llu (CARVEOUT_TEST_SEED=%llu replays it)\n",
	       (unsigned long long)seed, (unsigned long long)seed);
	fflush(stdout);
	rnd_state = seed * UINT64_C(0x9e3779b97f4a7c15) + 1;
	static const uint64_t pa_max[] = { UINT64_MAX, UINT32_MAX, 0xfffff };
	for (unsigned seq = 0; seq < SEQUENCES; seq++) {
		struct pair p = { .seq = seq };
		p.mb.pa_max = p.ref.pa_max = pa_max[pick(3)];
		p.mb.page = p.ref.page = pick(2) ? 4096 : 256;
		for (uint64_t i = pick(4) + 1; i-- > 0;) {
			uint64_t base = rnd_addr(&p.mb);
			uint64_t end = cvo_mb_end(&p.mb, base, (1 + pick(256)) << 10);
			cvo_mb_add_memory(&p.mb, base, end);
			ref_mb_add_memory(&p.ref, base, end);
		}
		p.op = "memory";
		same_state(&p);
		for (p.step = 0; p.step < STEPS; p.step++)
			step(&p);
		if (p.has_saved) {
			cvo_spans_fini(&p.saved.reserved);
			ref_spans_fini(&p.ref_saved.reserved);
			ref_spans_fini(&p.ref_saved.free);
		}
		cvo_spans_fini(&p.a);
		ref_spans_fini(&p.ref_a);
		cvo_mb_fini(&p.mb);
		ref_mb_fini(&p.ref);
	}
}

/* The search and the page-taking on a free list of many pieces, as place-bench makes
 * them: one result each, the same as the reference's. */
static void test_fragmented(void **state)
{
	(void)state;
	struct pair p = { .op = "fragmented" };
	p.mb.pa_max = p.ref.pa_max = UINT64_MAX;
	p.mb.page = p.ref.page = 4096;
	cvo_mb_add_memory(&p.mb, 0x40000000, 0xc0000000);
	ref_mb_add_memory(&p.ref, 0x40000000, 0xc0000000);
	for (uint64_t i = 0; i < 2000; i++) {
		uint64_t b = 0x48000000 + i * 0x38000 + (i % 4) * 0x1000;
		uint64_t sz = 0x10000 + (i % 7) * 0x1000 + (i % 3) * 0x10;
		if (i % 4 == 1) {
			cvo_mb_mark_nomap(&p.mb, b, sz);
			ref_mb_mark_nomap(&p.ref, b, sz);
		} else {
			cvo_mb_reserve(&p.mb, b, sz);
			ref_mb_reserve(&p.ref, b, sz);
		}
	}
	same_state(&p);
	for (p.step = 0; p.step < 300; p.step++) {
		uint64_t size = (UINT64_C(1) << 12) * (1 + p.step % 64);
		uint64_t align = UINT64_C(1) << (12 + p.step % 10);
		uint64_t start = p.step % 3 ? 0 : 0x50000000, end = p.step % 5 ? 0 : 0x90000000;
		end = end ? end : UINT64_MAX;
		p.mb.bottom_up = p.ref.bottom_up = p.step % 7 == 0;
		same_u64(&p, "alloc", cvo_mb_alloc(&p.mb, size, align, start, end),
			 ref_mb_alloc(&p.ref, size, align, start, end));
		if (p.step % 50 == 0) {
			cvo_mb_take_pages(&p.mb, 40, 4096);
			ref_mb_take_pages(&p.ref, 40, 4096);
		}
	}
	same_state(&p);
	cvo_mb_fini(&p.mb);
	ref_mb_fini(&p.ref);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_sequences),
		cmocka_unit_test(test_fragmented),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
