// SPDX-License-Identifier: MIT
/*
 * The kernel's boot-time placement of /reserved-memory and of the default CMA
 * area, simulated for one platform (arch, page size, kernel version, config,
 * command line).
 *
 * What is mirrored, for v6.1 (Debian 12's kernel, checked against it under QEMU):
 * - mm/memblock.c: memory, reserved and no-map ranges; memblock_find_in_range_node()
 *   top-down (the default on arm, arm64 and riscv) and bottom-up, with round_down()/
 *   round_up() as the kernel does them (a mask, so a non-power-of-two alignment
 *   misaligns exactly as in the kernel); the first page is never handed out.
 * - drivers/of/fdt.c: early_init_fdt_scan_reserved_mem(): /memreserve/, then
 *   fdt_scan_reserved_mem() -> __reserved_mem_reserve_reg() (static regions in DT
 *   order, no-map ones failing with -EBUSY over reserved memory), and
 *   fdt_init_reserved_mem(): the region table sorted by lib/sort.c's heapsort with
 *   __rmem_cmp() (base, then size), dynamic regions allocated in that sorted order
 *   (__reserved_mem_alloc_size()), each region's init handler (rmem_cma_setup,
 *   rmem_dma_setup, rmem_swiotlb_setup, in link order) and the freeing when a
 *   handler rejects it.
 * - kernel/dma/contiguous.c dma_contiguous_reserve() and mm/cma.c
 *   cma_declare_contiguous_nid(): the Kconfig or cma= default area, below
 *   arm64_dma_phys_limit (arch/arm64/mm/init.c zone_sizes_init()) or arm_dma_limit.
 *
 * Later kernels follow the rule table in lib/kernel.c (mainline release and stable
 * patch level of each change), checked under QEMU against Debian 13's 6.12.117 (arm64
 * 4K and 16K, armmp, armmp-lpae, riscv64): /memreserve/ reserved after the scan, dynamic
 * regions allocated and initialised in DT order before the statics enter the table
 * (arm and riscv: the default CMA area placed in between), a table that grows,
 * arm's early CMA remap of every reusable pool (remap_analyse()), a rejected no-map
 * region given back after the linear map (arm64, riscv), and the 16K early
 * allocations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "kernel.h"
#include "place.h"
#include "util.h"

/* SMP_CACHE_BYTES: L1_CACHE_BYTES on arm (ARM_L1_CACHE_SHIFT 6), arm64 and riscv. */
#define SMP_CACHE_BYTES 64
#define SZ_1M (UINT64_C(1) << 20)
#define SZ_2M (UINT64_C(2) << 20)
#define SZ_1G (UINT64_C(1) << 30)
#define SZ_4G (UINT64_C(1) << 32)
/* arm64 PHYS_MASK_SHIFT with CONFIG_ARM64_PA_BITS_48 (Debian's arm64 kernel). */
#define ARM64_PHYS_MASK_SHIFT 48
/* ------------------------------------------------------------------ span sets */

/* Sorted, disjoint, non-adjacent [base, end) spans. end is exclusive and never wraps:
 * memblock_cap_size() keeps every range below PHYS_ADDR_MAX. */
struct span {
	uint64_t base, end;
};

struct spans {
	struct span *v;
	size_t n, cap;
};

static void spans_fini(struct spans *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int spans_add(struct spans *s, uint64_t base, uint64_t end)
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
	s->v[i] = (struct span){ base, end };
	return 0;
}

static int spans_remove(struct spans *s, uint64_t base, uint64_t end)
{
	if (base >= end)
		return 0;
	for (size_t i = 0; i < s->n; i++) {
		struct span *v = &s->v[i];
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

static bool spans_overlap(const struct spans *s, uint64_t base, uint64_t end)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].base < end && base < s->v[i].end)
			return true;
	return false;
}

static bool spans_cover(const struct spans *s, uint64_t base, uint64_t end)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].base <= base && end <= s->v[i].end)
			return true;
	return false;
}

/* ------------------------------------------------------------------ memblock */

struct memblock {
	struct spans memory;   /* memblock.memory */
	struct spans nomap;    /* MEMBLOCK_NOMAP parts of memory */
	struct spans reserved; /* memblock.reserved */
	struct spans free;     /* scratch: memory - nomap - reserved */
	bool bottom_up;
	uint64_t pa_max;       /* PHYS_ADDR_MAX */
	uint64_t page;
	int err;	       /* first CVO_ERR_NOMEM seen */
	/* memory without a linear mapping that memblock may hand out again, and the
	 * first address an allocation took from it (has_hit) */
	struct spans unmapped;
	bool watch, has_hit;
	uint64_t hit;
};

/* memblock_cap_size(): a range never extends past PHYS_ADDR_MAX. */
static uint64_t mb_end(const struct memblock *mb, uint64_t base, uint64_t size)
{
	if (base > mb->pa_max)
		return base;
	if (size > mb->pa_max - base)
		size = mb->pa_max - base;
	return base + size;
}

static void mb_note(struct memblock *mb, int r)
{
	if (r && !mb->err)
		mb->err = r;
}

static void mb_reserve(struct memblock *mb, uint64_t base, uint64_t size)
{
	uint64_t end = mb_end(mb, base, size);
	if (mb->watch && !mb->has_hit && spans_overlap(&mb->unmapped, base, end)) {
		for (size_t i = 0; i < mb->unmapped.n; i++)
			if (mb->unmapped.v[i].base < end && base < mb->unmapped.v[i].end) {
				mb->hit = base > mb->unmapped.v[i].base ? base : mb->unmapped.v[i].base;
				break;
			}
		mb->has_hit = true;
	}
	mb_note(mb, spans_add(&mb->reserved, base, end));
}

/* memblock_phys_free(): the range leaves memblock.reserved, whoever reserved it. */
static void mb_free(struct memblock *mb, uint64_t base, uint64_t size)
{
	mb_note(mb, spans_remove(&mb->reserved, base, mb_end(mb, base, size)));
}

static void mb_mark_nomap(struct memblock *mb, uint64_t base, uint64_t size)
{
	mb_note(mb, spans_add(&mb->nomap, base, mb_end(mb, base, size)));
}

static void mb_clear_nomap(struct memblock *mb, uint64_t base, uint64_t size)
{
	mb_note(mb, spans_remove(&mb->nomap, base, mb_end(mb, base, size)));
}

static bool mb_is_reserved(const struct memblock *mb, uint64_t base, uint64_t size)
{
	return spans_overlap(&mb->reserved, base, mb_end(mb, base, size));
}

static bool mb_overlaps_memory(const struct memblock *mb, uint64_t base, uint64_t size)
{
	return spans_overlap(&mb->memory, base, mb_end(mb, base, size));
}

static uint64_t mb_start_of_dram(const struct memblock *mb)
{
	return mb->memory.n ? mb->memory.v[0].base : 0;
}

static uint64_t mb_end_of_dram(const struct memblock *mb)
{
	return mb->memory.n ? mb->memory.v[mb->memory.n - 1].end : 0;
}

/* memblock_phys_mem_size(): the bytes of RAM. */
static uint64_t mb_phys_mem_size(const struct memblock *mb)
{
	uint64_t n = 0;
	for (size_t i = 0; i < mb->memory.n; i++)
		n += mb->memory.v[i].end - mb->memory.v[i].base;
	return n;
}

/* for_each_free_mem_range(): memory that is neither no-map nor reserved. */
static void mb_compute_free(struct memblock *mb)
{
	mb->free.n = 0;
	for (size_t i = 0; i < mb->memory.n; i++)
		mb_note(mb, spans_add(&mb->free, mb->memory.v[i].base, mb->memory.v[i].end));
	for (size_t i = 0; i < mb->nomap.n; i++)
		mb_note(mb, spans_remove(&mb->free, mb->nomap.v[i].base, mb->nomap.v[i].end));
	for (size_t i = 0; i < mb->reserved.n; i++)
		mb_note(mb, spans_remove(&mb->free, mb->reserved.v[i].base,
					 mb->reserved.v[i].end));
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
static uint64_t mb_find(struct memblock *mb, uint64_t size, uint64_t align, uint64_t start,
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
static uint64_t mb_alloc(struct memblock *mb, uint64_t size, uint64_t align, uint64_t start,
			 uint64_t end)
{
	if (!align)
		align = SMP_CACHE_BYTES;
	uint64_t found = mb_find(mb, size, align, start, end);
	if (found)
		mb_reserve(mb, found, size);
	return found;
}

static void mb_fini(struct memblock *mb)
{
	spans_fini(&mb->unmapped);
	spans_fini(&mb->memory);
	spans_fini(&mb->nomap);
	spans_fini(&mb->reserved);
	spans_fini(&mb->free);
}

/* ------------------------------------------------------------------ the simulation */

/* arch/arm/mm/dma-mapping.c dma_mmu_remap[]: one range dma_contiguous_early_fixup()
 * recorded; region -1 for the default CMA area. */
struct remap {
	int region;
	uint64_t base, size;
};

/* struct reserved_mem: one entry of the kernel's region table. */
struct rmem {
	size_t region; /* index into m->regions */
	int node;      /* fdt_node */
	uint64_t base, size;
};

struct sim {
	struct cvo_model *m;
	const struct cvo_platform *p;
	struct cvo_rules rules;
	struct memblock mb;
	uint64_t pa_mask;      /* phys_addr_t width */
	uint64_t cma_align;    /* CMA_MIN_ALIGNMENT_BYTES */
	uint64_t lowmem_end;   /* arm: where highmem starts; else the end of DRAM */
	struct rmem *table;
	size_t n_table, cap_table, table_max;
	int cma_areas_used;
	int cma_areas_max;
	int default_cma_region; /* dma_contiguous_default_area from the DT, -1 when none */
	bool cma_done;		/* the default CMA area was placed (arm, riscv: early) */
	bool linear_mapped;	/* arm64 paging_init() has built the linear map */
	bool paging_done;	/* its page tables are allocated */
	uint64_t remap_lowmem;	/* arm: the lowmem limit paging_init() has */
	bool early_done;	/* and what follows up to dma_contiguous_reserve() */
	struct remap *remaps;	/* arm dma_mmu_remap[] */
	size_t n_remaps, cap_remaps;
};

static void set_reason(struct cvo_region *r, const char *why)
{
	snprintf(r->reason, sizeof(r->reason), "%s", why);
}

static void set_status(struct cvo_region *r, enum cvo_status st, const char *why)
{
	r->status = st;
	if (why)
		set_reason(r, why);
	else
		r->reason[0] = '\0';
}

static bool compat_shared(const struct cvo_region *r)
{
	return r->compat_shared_dma_pool;
}

static bool compat_restricted(const struct cvo_region *r)
{
	return r->compat_restricted_dma_pool;
}

/* The length of a property as libfdt gives it, -1 when absent. */
static int prop_len(const struct sim *s, const struct cvo_region *r, const char *name)
{
	if (!s->m->blob || r->node < 0)
		return -1;
	int len;
	if (!fdt_getprop(s->m->blob->fdt, r->node, name, &len))
		return -1;
	return len;
}

/* fdt_reserved_mem_save_node(); false when the table is full. */
static bool table_save(struct sim *s, size_t region, uint64_t base, uint64_t size)
{
	if (s->table_max && s->n_table >= s->table_max)
		return false;
	if (cvo_grow(&s->table, &s->cap_table, s->n_table, sizeof(*s->table))) {
		mb_note(&s->mb, CVO_ERR_NOMEM);
		return false;
	}
	s->table[s->n_table++] = (struct rmem){ region, s->m->regions[region].node, base, size };
	return true;
}

/* __rmem_cmp(): base, then size; later kernels then fdt_node. */
static int rmem_cmp(const struct sim *s, const struct rmem *a, const struct rmem *b)
{
	if (a->base != b->base)
		return a->base < b->base ? -1 : 1;
	if (a->size != b->size)
		return a->size < b->size ? -1 : 1;
	if (s->rules.sort_by_node && a->node != b->node)
		return a->node < b->node ? -1 : 1;
	return 0;
}

static void rmem_swap(struct rmem *t, size_t i, size_t j)
{
	struct rmem x = t[i];
	t[i] = t[j];
	t[j] = x;
}

/*
 * lib/sort.c sort() as of v5.2-v6.10: heapsort with the bottom-up sift-down and
 * backtracking, in element indices instead of byte offsets (parent(j) is (j-1)/2).
 * Equal elements move exactly as in the kernel, which decides the order of
 * dynamic regions (all at base 0, size 0) before kernels compared fdt_node.
 */
static void rmem_sort(const struct sim *s, struct rmem *t, size_t num)
{
	size_t n = num, a = num / 2;
	if (!a)
		return;
	for (;;) {
		size_t b, c, d;
		if (a)
			a--;
		else if (--n)
			rmem_swap(t, 0, n);
		else
			break;
		for (b = a; c = 2 * b + 1, (d = c + 1) < n;)
			b = rmem_cmp(s, &t[c], &t[d]) >= 0 ? c : d;
		if (d == n)
			b = c;
		while (b != a && rmem_cmp(s, &t[a], &t[b]) >= 0)
			b = (b - 1) / 2;
		c = b;
		while (b != a) {
			b = (b - 1) / 2;
			rmem_swap(t, b, c);
		}
	}
}

/*
 * dma_contiguous_early_fixup(): arm records each CMA range for dma_contiguous_remap()
 * (called from paging_init(), before static regions' handlers run). Since the
 * early-fixup rework the range of every reusable shared-dma-pool is recorded as soon
 * as it is reserved, before rmem_cma_setup() can reject it; before, only ranges the
 * handler accepted (early_fixup_accepted()).
 */
static void remap_record(struct sim *s, int region, uint64_t base, uint64_t size)
{
	if (s->p->arch != CVO_ARCH_ARM || !s->p->config.dma_cma)
		return;
	if (cvo_grow(&s->remaps, &s->cap_remaps, s->n_remaps, sizeof(*s->remaps))) {
		mb_note(&s->mb, CVO_ERR_NOMEM);
		return;
	}
	s->remaps[s->n_remaps++] = (struct remap){ region, base, size };
}

static void early_fixup(struct sim *s, size_t idx, uint64_t base, uint64_t size)
{
	const struct cvo_region *r = &s->m->regions[idx];
	if (s->rules.early_fixup_at_scan && compat_shared(r) && r->reusable)
		remap_record(s, (int)idx, base, size);
}

static void early_fixup_accepted(struct sim *s, size_t idx, uint64_t base, uint64_t size)
{
	if (!s->rules.early_fixup_at_scan)
		remap_record(s, (int)idx, base, size);
}

/* early_init_dt_reserve_memory(): 0, or -1 for -EBUSY. */
static int reserve_static(struct sim *s, uint64_t base, uint64_t size, bool nomap)
{
	if (nomap) {
		/* "If the memory is already reserved (by another region), we should not
		 * allow it to be marked nomap, but don't worry if the region isn't memory
		 * as it won't be mapped." */
		if (mb_overlaps_memory(&s->mb, base, size) && mb_is_reserved(&s->mb, base, size))
			return -1;
		mb_mark_nomap(&s->mb, base, size);
		return 0;
	}
	mb_reserve(&s->mb, base, size);
	return 0;
}

/*
 * __reserved_mem_reserve_reg(): every reg entry is reserved (or marked no-map);
 * only the first is recorded. Returns whether the node had a usable reg
 * (false: fall through to size, like -ENOENT).
 */
static bool scan_static(struct sim *s, size_t idx)
{
	struct cvo_region *r = &s->m->regions[idx];
	if (!r->has_reg)
		return false;
	int len = prop_len(s, r, "reg");
	if (len == 0 || (len < 0 && !r->n_regs)) {
		/* an empty reg: the loop never runs and nothing is recorded */
		set_status(r, CVO_STATUS_IGNORED, "empty reg property: nothing reserved");
		return true;
	}
	if (!r->reg_len_ok) {
		set_status(r, CVO_STATUS_FAILED, "invalid reg property, skipping node");
		return true;
	}
	bool first_ok = false, first_busy = false;
	for (size_t i = 0; i < r->n_regs; i++) {
		uint64_t base = r->regs[i].base & s->pa_mask, size = r->regs[i].size & s->pa_mask;
		int ret = size ? reserve_static(s, base, size, r->no_map) : -2;
		if (ret == 0)
			early_fixup(s, idx, base, size);
		if (i == 0) {
			first_ok = ret == 0;
			first_busy = ret == -1;
		}
	}
	uint64_t base = r->regs[0].base & s->pa_mask, size = r->regs[0].size & s->pa_mask;
	r->base = base;
	r->placed_size = size;
	r->has_base = true;
	if (first_busy) {
		r->nomap_busy = true;
		set_status(r, CVO_STATUS_FAILED,
			   "failed to reserve memory: no-map over memory already reserved (-EBUSY)");
	} else if (!first_ok) {
		set_status(r, CVO_STATUS_FAILED, "failed to reserve memory: size 0");
	} else {
		set_status(r, CVO_STATUS_PLACED, NULL);
	}
	if (!s->rules.alloc_before_sort) {
		/* old kernels record even a zero-size first entry (a dynamic region then,
		 * if the node also has a size property) */
		if (!table_save(s, idx, base, size) && !s->mb.err) {
			if (r->status == CVO_STATUS_PLACED)
				set_reason(r, "not initialised: not enough space for all defined "
					      "regions");
		}
	}
	return true;
}

/* The alignment a dynamic region is allocated with (__reserved_mem_alloc_size()). */
static uint64_t dynamic_align(const struct sim *s, const struct cvo_region *r)
{
	uint64_t align = r->has_alignment && r->alignment_len_ok ? r->alignment & s->pa_mask : 0;
	/* "Need adjust the alignment to satisfy the CMA requirement" */
	if (s->p->config.dma_cma && compat_shared(r) && r->reusable && !r->no_map &&
	    align < s->cma_align)
		align = s->cma_align;
	return align;
}

/* early_init_dt_alloc_reserved_memory_arch() */
static uint64_t alloc_arch(struct sim *s, uint64_t size, uint64_t align, uint64_t start,
			   uint64_t end, bool nomap)
{
	end = !end ? s->mb.pa_max : end; /* MEMBLOCK_ALLOC_ANYWHERE */
	align = !align ? SMP_CACHE_BYTES : align;
	uint64_t base = mb_alloc(&s->mb, size, align, start, end);
	/* the range stays reserved as well as no-map */
	if (base && nomap)
		mb_mark_nomap(&s->mb, base, size);
	return base;
}

/*
 * __reserved_mem_alloc_in_range() (~v6.6): bottom-up when the range starts
 * inside or at the end of a recorded region, top-down when it ends inside or
 * at the start of one; the default direction when both or neither.
 */
static uint64_t alloc_in_range(struct sim *s, uint64_t size, uint64_t align, uint64_t start,
			       uint64_t end, bool nomap)
{
	if (!s->rules.range_heuristic)
		return alloc_arch(s, size, align, start, end, nomap);
	bool prev = s->mb.bottom_up, bottom_up = false, top_down = false;
	for (size_t i = 0; i < s->n_table; i++) {
		const struct rmem *t = &s->table[i];
		if (t->size == 0)
			continue; /* not reserved yet */
		uint64_t tend = (t->base + t->size) & s->pa_mask;
		if (start >= t->base && start <= tend)
			bottom_up = true;
		if (end >= t->base && end <= tend)
			top_down = true;
	}
	if (bottom_up != top_down)
		s->mb.bottom_up = bottom_up;
	uint64_t base = alloc_arch(s, size, align, start, end, nomap);
	s->mb.bottom_up = prev;
	return base;
}

/* __reserved_mem_alloc_size(): 0 and the region marked failed when it cannot be placed. */
static uint64_t alloc_dynamic(struct sim *s, size_t idx, uint64_t *size_out)
{
	struct cvo_region *r = &s->m->regions[idx];
	if (!r->size_len_ok) {
		set_status(r, CVO_STATUS_FAILED, "invalid size property");
		return 0;
	}
	if (r->has_alignment && !r->alignment_len_ok) {
		set_status(r, CVO_STATUS_FAILED, "invalid alignment property");
		return 0;
	}
	/* a size of 0 (or one phys_addr_t truncates to 0) is not refused: memblock
	 * hands out an empty range at the candidate address, and the coherent pool
	 * handler accepts it ("created DMA memory pool at ..., size 0 MiB") */
	uint64_t size = r->size & s->pa_mask;
	uint64_t align = dynamic_align(s, r);
	uint64_t base = 0;
	if (r->has_alloc_ranges) {
		if (!r->alloc_ranges_len_ok) {
			set_status(r, CVO_STATUS_FAILED, "invalid alloc-ranges property, skipping node");
			return 0;
		}
		for (size_t i = 0; i < r->n_alloc_ranges && !base; i++) {
			uint64_t start = r->alloc_ranges[i].base & s->pa_mask;
			uint64_t end = (start + r->alloc_ranges[i].size) & s->pa_mask;
			base = alloc_in_range(s, size, align, start, end, r->no_map);
		}
	} else {
		base = alloc_arch(s, size, align, 0, 0, r->no_map);
	}
	if (!base && !s->mb.memory.n) {
		set_status(r, CVO_STATUS_FAILED, "no RAM to allocate from: no usable /memory "
						 "and no platform memory");
		return 0;
	}
	if (!base) {
		set_status(r, CVO_STATUS_FAILED,
			   r->has_alloc_ranges ? CVO_PLACE_ALLOC_FAIL ": no free range of this size "
						 "and alignment in alloc-ranges"
					       : CVO_PLACE_ALLOC_FAIL ": no free range of this size "
						 "and alignment");
		return 0;
	}
	r->base = base;
	r->placed_size = size;
	r->has_base = true;
	set_status(r, CVO_STATUS_PLACED, NULL);
	*size_out = size;
	return base;
}

/* The kernel's arm highmem boundary for a physical address (PageHighMem). */
static bool is_highmem(const struct sim *s, uint64_t base)
{
	return s->p->arch == CVO_ARCH_ARM && base >= s->lowmem_end;
}

enum { H_OK, H_NOMATCH, H_FAIL, H_BYPASS };

/*
 * __reserved_mem_init_node(): every matching RESERVEDMEM_OF_DECLARE handler in
 * link order (kernel/dma: contiguous.o, coherent.o, swiotlb.o) until one returns
 * 0; what the last one returned decides. reason gets the most telling refusal.
 */
static int init_node(struct sim *s, size_t idx, uint64_t base, uint64_t size, char *reason,
		     size_t rlen)
{
	struct cvo_region *r = &s->m->regions[idx];
	const struct cvo_kconfig *k = &s->p->config;
	int ret = H_NOMATCH;
	reason[0] = '\0';
	if (compat_shared(r) && k->dma_cma) {
		/* rmem_cma_setup() */
		if (s->p->has_cmdline_cma && r->cma_default) {
			snprintf(reason, rlen, "bypass node, using cmdline CMA params instead");
			ret = H_BYPASS;
		} else if (!r->reusable || r->no_map) {
			ret = H_FAIL;
		} else if ((base | size) & (s->cma_align - 1)) {
			snprintf(reason, rlen, "incorrect alignment of CMA region");
			ret = H_FAIL;
		} else if (!size) {
			/* cma_init_reserved_mem() */
			snprintf(reason, rlen, "unable to setup CMA region: size 0");
			ret = H_FAIL;
		} else if (s->cma_areas_used >= s->cma_areas_max) {
			snprintf(reason, rlen,
				 "unable to setup CMA region: not enough slots for CMA reserved "
				 "regions");
			ret = H_FAIL;
		} else if (!mb_is_reserved(&s->mb, base, size)) {
			/* cma_init_reserved_mem(): the range must still be reserved */
			snprintf(reason, rlen, "unable to setup CMA region: not reserved");
			ret = H_FAIL;
		} else {
			s->cma_areas_used++;
			if (r->cma_default)
				s->default_cma_region = (int)idx;
			early_fixup_accepted(s, idx, base, size);
			return H_OK;
		}
	}
	if (compat_shared(r)) {
		/* rmem_dma_setup(): kernel/dma/coherent.c, CONFIG_DMA_DECLARE_COHERENT */
		if (r->reusable) {
			if (!reason[0])
				snprintf(reason, rlen,
					 r->no_map ? "compatible matching fail: reusable with no-map"
						   : "compatible matching fail: reusable pool and no "
						     "CMA in the kernel");
			ret = ret == H_BYPASS ? H_BYPASS : H_FAIL;
		} else if (s->p->arch == CVO_ARCH_ARM && !r->no_map) {
			snprintf(reason, rlen, "regions without no-map are not yet supported");
			ret = H_FAIL;
		} else {
			return H_OK;
		}
	}
	if (compat_restricted(r) && k->dma_restricted_pool) {
		/* rmem_swiotlb_setup() */
		if (r->reusable || r->cma_default || r->dma_default || r->no_map) {
			snprintf(reason, rlen,
				 "compatible matching fail: restricted-dma-pool with %s",
				 r->reusable	   ? "reusable"
				 : r->no_map	   ? "no-map"
				 : r->cma_default ? "linux,cma-default"
						  : "linux,dma-default");
			ret = H_FAIL;
		} else if (s->rules.rdp_highmem_setup && is_highmem(s, base)) {
			snprintf(reason, rlen,
				 "Restricted DMA pool must be accessible within the linear mapping");
			ret = H_FAIL;
		} else {
			return H_OK;
		}
	}
	return ret;
}

/* fdt_init_reserved_mem()'s per-region step: run the handler, give the memory
 * back when it refuses. */
static void init_region(struct sim *s, size_t idx, uint64_t base, uint64_t size)
{
	struct cvo_region *r = &s->m->regions[idx];
	char why[sizeof(r->reason)];
	int h = init_node(s, idx, base, size, why, sizeof(why));
	if (h == H_OK || h == H_NOMATCH)
		return;
	r->refused = true;
	/* "node %s compatible matching fail": memblock_clear_nomap() or memblock_phys_free() */
	if (r->no_map && s->linear_mapped && s->p->arch != CVO_ARCH_ARM) {
		/* the linear map was built without it: free memory nothing maps */
		uint64_t end = mb_end(&s->mb, base, size);
		for (size_t i = 0; i < s->mb.memory.n; i++) {
			uint64_t lo = s->mb.memory.v[i].base > base ? s->mb.memory.v[i].base : base;
			uint64_t hi = s->mb.memory.v[i].end < end ? s->mb.memory.v[i].end : end;
			if (lo < hi) {
				mb_note(&s->mb, spans_add(&s->mb.unmapped, lo, hi));
				r->unmapped_free = true;
			}
		}
	}
	if (r->no_map)
		mb_clear_nomap(&s->mb, base, size);
	else
		mb_free(&s->mb, base, size);
	if (r->status == CVO_STATUS_PLACED)
		set_status(r, h == H_BYPASS ? CVO_STATUS_IGNORED : CVO_STATUS_FAILED, why);
}

/* Which rejected no-map region the first watched allocation landed in. */
static void unmapped_hits(struct sim *s)
{
	struct cvo_model *m = s->m;
	uint64_t pg = s->mb.page;
	for (size_t i = 0; i < m->n_rmem && s->mb.has_hit; i++) {
		struct cvo_region *r = &m->regions[i];
		if (r->unmapped_free && s->mb.hit >= r->base && s->mb.hit - r->base < r->placed_size)
			r->unmapped_hit = s->mb.hit;
		/* a page the region shares with free memory */
		uint64_t end = r->base + r->placed_size;
		if (s->rules.nomap_whole_pages && r->no_map && r->has_base && r->placed_size &&
		    !r->unmapped_free && ((s->mb.hit & ~(pg - 1)) == (r->base & ~(pg - 1)) ||
					  (s->mb.hit & ~(pg - 1)) == ((end - 1) & ~(pg - 1)))) {
			r->unmapped_hit = s->mb.hit;
			r->nomap_partial_page = true;
		}
	}
}

static uint64_t unflatten_bytes(const struct sim *s);
static void mb_take_pages(struct memblock *mb, uint64_t n, uint64_t page);
static void reserve_memreserve(struct sim *s);
static void place_zones_and_default_cma(struct sim *s);
static void arm64_paging_allocs(struct sim *s);

/* The ~v6.13 flow (drivers/of/of_reserved_mem.c fdt_scan_reserved_mem()): statics
 * reserved in DT order (scan_static()), then dynamics allocated and initialised in DT
 * order here; the statics are recorded and initialised later (place_late_static()). */
static void place_late_dynamic(struct sim *s, const size_t *dyn, size_t n_dyn)
{
	for (size_t i = 0; i < n_dyn; i++) {
		struct cvo_region *r = &s->m->regions[dyn[i]];
		if (i >= s->rules.max_reserved_regions) {
			/* dynamic_nodes[MAX_RESERVED_REGIONS]: overflowed until a 2026 fix */
			set_status(r, CVO_STATUS_FAILED, "too many defined dynamic regions, skip");
			continue;
		}
		uint64_t size = 0, base = alloc_dynamic(s, dyn[i], &size);
		if (!base)
			continue;
		early_fixup(s, dyn[i], base, size);
		table_save(s, dyn[i], base, size);
		init_region(s, dyn[i], base, size);
	}
}

/* fdt_scan_reserved_mem_reg_nodes(), from unflatten_device_tree(): the statics enter
 * the table and their handlers run. */
static void place_late_static(struct sim *s, const size_t *sta, size_t n_sta)
{
	for (size_t i = 0; i < n_sta; i++) {
		struct cvo_region *r = &s->m->regions[sta[i]];
		if (!r->has_base || !r->placed_size)
			continue;
		table_save(s, sta[i], r->base, r->placed_size);
		init_region(s, sta[i], r->base, r->placed_size);
	}
	rmem_sort(s, s->table, s->n_table);
}

/* The v6.1-v6.12 flow: fdt_init_reserved_mem() walks the sorted table. */
static void place_sorted(struct sim *s)
{
	rmem_sort(s, s->table, s->n_table);
	for (size_t i = 0; i < s->n_table; i++) {
		struct rmem *t = &s->table[i];
		struct cvo_region *r = &s->m->regions[t->region];
		if (t->size == 0) {
			if (!r->has_size) {
				/* a zero-size reg and no size property: -EINVAL, silently */
				continue;
			}
			uint64_t size = 0, base = alloc_dynamic(s, t->region, &size);
			if (!base)
				continue;
			t->base = base;
			t->size = size;
		}
		init_region(s, t->region, t->base, t->size);
	}
}

static void place_reserved_memory(struct sim *s)
{
	struct cvo_model *m = s->m;
	size_t n = m->n_rmem;
	/* early_init_fdt_scan_reserved_mem() reserves /memreserve/ after the scan whether or
	 * not there is a /reserved-memory to scan */
	if (m->rmem_node < 0) {
		if (s->rules.memreserve_last)
			reserve_memreserve(s);
		return;
	}
	if (!m->rmem_format_ok) {
		for (size_t i = 0; i < n; i++)
			set_status(&m->regions[i], CVO_STATUS_IGNORED,
				   "unsupported node format, ignoring");
		if (s->rules.memreserve_last)
			reserve_memreserve(s);
		return;
	}
	size_t *dyn = calloc(n ? n : 1, sizeof(*dyn)), *sta = calloc(n ? n : 1, sizeof(*sta));
	size_t n_dyn = 0, n_sta = 0;
	if (!dyn || !sta) {
		mb_note(&s->mb, CVO_ERR_NOMEM);
		goto out;
	}
	s->table_max = s->rules.static_unlimited ? 0 : s->rules.max_reserved_regions;
	for (size_t i = 0; i < n; i++) {
		struct cvo_region *r = &m->regions[i];
		if (!r->available) {
			set_status(r, CVO_STATUS_DISABLED, NULL);
			continue;
		}
		if (scan_static(s, i)) {
			if (r->has_base)
				sta[n_sta++] = i;
			continue;
		}
		if (!r->has_size) {
			set_status(r, CVO_STATUS_IGNORED, "neither reg nor size: nothing reserved");
			continue;
		}
		if (s->rules.alloc_before_sort) {
			dyn[n_dyn++] = i;
		} else if (!table_save(s, i, 0, 0)) {
			set_status(r, CVO_STATUS_FAILED, "not enough space for all defined regions");
		}
	}
	if (s->rules.alloc_before_sort) {
		place_late_dynamic(s, dyn, n_dyn);
		if (s->rules.memreserve_last)
			reserve_memreserve(s);
		/* arm's arm_memblock_init() and riscv's setup_bootmem() call
		 * dma_contiguous_reserve() right after early_init_fdt_scan_reserved_mem(),
		 * before unflatten_device_tree() initialises the statics */
		if (s->p->arch == CVO_ARCH_ARM || s->p->arch == CVO_ARCH_RISCV)
			place_zones_and_default_cma(s);
		int before = s->default_cma_region;
		/* arm64: paging_init() maps RAM (not no-map) before unflatten_device_tree()
		 * runs the statics' handlers */
		if (s->p->arch == CVO_ARCH_ARM64) {
			arm64_paging_allocs(s);
			s->linear_mapped = true;
			s->mb.watch = true;
		} else if (s->p->arch == CVO_ARCH_RISCV) {
			/* paging_init(): setup_vm_final() maps RAM, not no-map, first; it
			 * takes 2 MiB and its page tables top-down (memblock=debug on
			 * Debian's 6.12.117: nine pages) */
			mb_alloc(&s->mb, SZ_2M, 4096, 0, s->mb.pa_max);
			mb_take_pages(&s->mb, 9, 4096);
			s->linear_mapped = true;
			s->mb.watch = true;
		}
		place_late_static(s, sta, n_sta);
		if (s->p->arch == CVO_ARCH_RISCV && s->mb.unmapped.n) {
			/* unflatten_device_tree() goes on with the tree; misc_mem_init():
			 * NODE_DATA, then sparse_init() zeroes its mem_section root array,
			 * 32 MiB with sv57's MAX_PHYSMEM_BITS */
			mb_alloc(&s->mb, unflatten_bytes(s), 8, 0, s->mb.pa_max);
			mb_alloc(&s->mb, 0x2440, SMP_CACHE_BYTES, 0, s->mb.pa_max);
			mb_alloc(&s->mb, UINT64_C(32) << 20, SMP_CACHE_BYTES, 0, s->mb.pa_max);
			s->mb.watch = false;
			unmapped_hits(s);
		}
		/* rmem_cma_setup(): the last linux,cma-default region set up is the default */
		struct cvo_default_cma *d = &s->m->default_cma;
		if (s->cma_done && s->default_cma_region != before && d->present) {
			if (d->region >= 0) {
				const struct cvo_region *r = &s->m->regions[s->default_cma_region];
				d->region = s->default_cma_region;
				d->base = r->base;
				d->size = r->placed_size;
			} else {
				d->override_region = s->default_cma_region;
			}
		}
	} else {
		if (s->rules.memreserve_last)
			reserve_memreserve(s);
		place_sorted(s);
	}
out:
	free(dyn);
	free(sta);
}

/* ------------------------------------------------------------------ RAM and zones */

/* arm64 memblock_mem_limit_remove_map(): mem= is an amount of RAM, counted from
 * the lowest bank (__find_max_addr()). */
static void limit_memory_size(struct memblock *mb, uint64_t limit)
{
	uint64_t max_addr = UINT64_MAX;
	for (size_t i = 0; i < mb->memory.n; i++) {
		uint64_t sz = mb->memory.v[i].end - mb->memory.v[i].base;
		if (limit <= sz) {
			max_addr = mb->memory.v[i].base + limit;
			break;
		}
		limit -= sz;
	}
	if (max_addr != UINT64_MAX)
		mb_note(mb, spans_remove(&mb->memory, max_addr, UINT64_MAX));
}

/* RAM as the kernel sees it: the model's banks, cut to the arch's physical
 * address range and by mem=; also where arm's lowmem ends. */
static int setup_memory(struct sim *s)
{
	const struct cvo_model *m = s->m;
	struct memblock *mb = &s->mb;
	for (size_t i = 0; i < m->n_banks; i++) {
		uint64_t base = m->banks[i].base & s->pa_mask;
		mb_note(mb, spans_add(&mb->memory, base, mb_end(mb, base, m->banks[i].size)));
	}
	if (s->p->arch == CVO_ARCH_ARM64)
		/* arm64_memblock_init(): "Remove memory above our supported physical address size" */
		mb_note(mb, spans_remove(&mb->memory, UINT64_C(1) << ARM64_PHYS_MASK_SHIFT,
					 UINT64_MAX));
	if (s->p->has_mem) {
		uint64_t limit = s->p->mem & ~((uint64_t)s->mb.page - 1);
		if (s->p->arch == CVO_ARCH_ARM) {
			/* arch/arm/kernel/setup.c early_mem(): the first mem= replaces every
			 * bank with [PHYS_OFFSET, PHYS_OFFSET + size) */
			uint64_t start = mb_start_of_dram(mb) & ~(CVO_ARM_PHYS_OFFSET_ALIGN - 1);
			mb->memory.n = 0;
			if (limit)
				mb_note(mb, spans_add(&mb->memory, start, mb_end(mb, start, limit)));
		} else {
			limit_memory_size(mb, limit);
		}
	}
	if (s->p->arch == CVO_ARCH_ARM) {
		/* adjust_lowmem_bounds(): lowmem ends at the vmalloc limit, or at the end
		 * of the last block that starts below it */
		uint64_t vlimit = (mb_start_of_dram(mb) & ~(CVO_ARM_PHYS_OFFSET_ALIGN - 1)) +
				  s->rules.arm_lowmem_size;
		uint64_t low = 0;
		for (size_t i = 0; i < mb->memory.n; i++)
			if (mb->memory.v[i].base < vlimit)
				low = mb->memory.v[i].end < vlimit ? mb->memory.v[i].end : vlimit;
		s->lowmem_end = low;
		/* adjust_lowmem_bounds() without CONFIG_HIGHMEM: "Ignoring RAM at ..." */
		if (!s->p->config.highmem)
			mb_note(mb, spans_remove(&mb->memory, low, UINT64_MAX));
	} else {
		s->lowmem_end = mb_end_of_dram(mb);
	}
	return mb->err;
}

static void reserve_entry(struct sim *s, struct cvo_region *r)
{
	if (!r->n_regs)
		return;
	uint64_t base = r->regs[0].base & s->pa_mask, size = r->regs[0].size & s->pa_mask;
	mb_reserve(&s->mb, base, size);
	r->base = base;
	r->placed_size = size;
	r->has_base = true;
	set_status(r, CVO_STATUS_PLACED, NULL);
}

/* early_init_fdt_scan_reserved_mem(): "Process header /memreserve/ fields" */
static void reserve_memreserve(struct sim *s)
{
	struct cvo_model *m = s->m;
	for (size_t i = m->n_rmem; i < m->n_rmem + m->n_memreserve && i < m->n_regions; i++)
		reserve_entry(s, &m->regions[i]);
}

/* Reservations made before the /reserved-memory scan: the initrd, /memreserve/
 * entries (before 6.4) and what the platform file lists (kernel image, firmware). */
static void reserve_early(struct sim *s)
{
	const struct cvo_model *m = s->m;
	uint64_t page = s->mb.page;
	if (m->has_initrd && m->initrd.size) {
		uint64_t start = (m->initrd.base & s->pa_mask) & ~(page - 1);
		uint64_t end = mb_end(&s->mb, m->initrd.base & s->pa_mask, m->initrd.size);
		if (end & (page - 1))
			end = (end | (page - 1)) + 1;
		/* reserve_initrd_mem() (arm) refuses an initrd outside RAM or over
		 * reserved memory; arm64_memblock_init() reserves it as given */
		if (end > start &&
		    (s->p->arch != CVO_ARCH_ARM ||
		     (spans_cover(&s->mb.memory, start, end) && !mb_is_reserved(&s->mb, start,
										  end - start))))
			mb_reserve(&s->mb, start, end - start);
	}
	for (size_t i = m->n_rmem; i < m->n_regions; i++) {
		if (s->rules.memreserve_last && i < m->n_rmem + m->n_memreserve)
			continue; /* reserve_memreserve(), after the scan */
		reserve_entry(s, &m->regions[i]);
	}
}

/* arch/arm64/mm/init.c zone_sizes_init() and max_zone_phys(). */
static void zones_arm64(struct sim *s)
{
	struct cvo_model *m = s->m;
	uint64_t start = mb_start_of_dram(&s->mb), end = mb_end_of_dram(&s->mb);
	if (!end)
		return;
	uint64_t dma32 = 0, dma = 0;
	/* max_zone_phys(32) */
	uint64_t mask32 = start > 0xffffffffu ? UINT64_MAX : 0xffffffffu;
	if (s->p->config.zone_dma32)
		dma32 = (mask32 < end - 1 ? mask32 : end - 1) + 1;
	if (s->p->config.zone_dma) {
		/* of_dma_get_max_cpu_address(NULL); the ACPI IORT limit is PHYS_ADDR_MAX */
		uint64_t dt = cvo_dma_max_cpu_address(m);
		uint64_t dt_max = dt == UINT64_MAX || dt == 0 ? UINT64_MAX : dt - 1;
		uint64_t zmask = cvo_zone_dma_mask(&s->rules, start, dt_max);
		dma = (zmask < end - 1 ? zmask : end - 1) + 1;
	}
	m->zone_dma_end = dma;
	m->zone_dma32_end = dma32;
	/* arm64_dma_phys_limit: ZONE_DMA, else ZONE_DMA32, else PHYS_MASK + 1 */
	m->dma_phys_limit = dma ? dma : dma32 ? dma32 : UINT64_C(1) << ARM64_PHYS_MASK_SHIFT;
}

/* arch/arm/mm/init.c setup_dma_zone() / zone_sizes_init(): the virt machines
 * and DT-only boards have no dma_zone_size, so arm_dma_limit is 0xffffffff and
 * ZONE_DMA covers lowmem. */
static void zones_arm(struct sim *s)
{
	struct cvo_model *m = s->m;
	m->zone_dma_end = s->p->config.zone_dma ? s->lowmem_end : 0;
	m->zone_dma32_end = 0;
	m->dma_phys_limit = SZ_4G;
}

/* arch/riscv/mm/init.c: dma32_phys_limit = min(4 GiB, end of lowmem). */
static void zones_riscv(struct sim *s)
{
	struct cvo_model *m = s->m;
	uint64_t end = mb_end_of_dram(&s->mb);
	uint64_t d32 = end < SZ_4G ? end : SZ_4G;
	m->zone_dma_end = 0;
	m->zone_dma32_end = s->p->config.zone_dma32 ? d32 : 0;
	m->dma_phys_limit = d32;
}

/* ------------------------------------------------------------------ default CMA */

/* How many distinct 2^shift slots the spans touch (spans are sorted). */
static uint64_t slots(const struct spans *sp, unsigned shift)
{
	uint64_t n = 0, last = UINT64_MAX;
	for (size_t i = 0; i < sp->n; i++) {
		uint64_t first = sp->v[i].base >> shift, lst = (sp->v[i].end - 1) >> shift;
		n += lst - first + 1;
		if (first == last)
			n--;
		last = lst;
	}
	return n;
}

/*
 * n single-page top-down allocations (early_pgtable_alloc() and friends): each
 * takes the highest free page, so together they fill free ranges from the top.
 */
static void mb_take_pages(struct memblock *mb, uint64_t n, uint64_t page)
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
			mb_reserve(mb, hi - k * page, k * page);
			n -= k;
			took = true;
			break;
		}
		if (!took || mb->err)
			return;
	}
}

/* lengths of a node name and of its part before the unit address */
static void name_lens(const char *name, int len, uint64_t *full, uint64_t *base)
{
	*full = len > 0 ? (uint64_t)len : 0;
	const char *at = len > 0 ? memchr(name, '@', (size_t)len) : NULL;
	*base = at ? (uint64_t)(at - name) : *full;
}

#define ALIGN8(x) (((x) + 7) & ~UINT64_C(7))

/*
 * Bytes unflatten_device_tree() asks memblock for (__unflatten_device_tree():
 * ALIGN(size, 4) + 4, 8-byte aligned): per node a struct device_node (208 bytes
 * on v6.1 arm64 with CONFIG_OF_KOBJ) and its name, per property a struct property
 * (96), and per node the "name" property populate_properties() makes up, since
 * v17 blobs carry none. Measured with memblock=debug on Debian's 6.1 kernel.
 */
static uint64_t unflatten_bytes(const struct sim *s)
{
	const void *fdt = s->m->blob ? s->m->blob->fdt : NULL;
	if (!fdt)
		return 4096;
	uint64_t bytes = 0;
	for (int node = 0; node >= 0; node = fdt_next_node(fdt, node, NULL)) {
		int len = 0;
		const char *name = fdt_get_name(fdt, node, &len);
		uint64_t full, base;
		name_lens(name, name ? len : 0, &full, &base);
		bytes += 208 + ALIGN8(full + 1) + ALIGN8(96 + base + 1);
		int prop;
		fdt_for_each_property_offset(prop, fdt, node)
			bytes += 96;
	}
	return ((bytes + 3) & ~UINT64_C(3)) + 4;
}

/*
 * paging_init() -> map_mem(): rodata=full maps the linear map with pages, so every
 * mapped (not no-map) 2 MiB (16K pages: 32 MiB) needs a page-table page and every GiB
 * (64 GiB) one more; plus two. Once per run (the 6.13 flow maps before the statics'
 * handlers run).
 */
static void arm64_paging_allocs(struct sim *s)
{
	struct memblock *mb = &s->mb;
	if (s->paging_done || (s->p->page_size != 4096 && s->p->page_size != 16384))
		return;
	s->paging_done = true;
	bool k16 = s->p->page_size == 16384;
	struct spans mapped = { 0 };
	for (size_t i = 0; i < mb->memory.n; i++)
		mb_note(mb, spans_add(&mapped, mb->memory.v[i].base, mb->memory.v[i].end));
	for (size_t i = 0; i < mb->nomap.n; i++)
		mb_note(mb, spans_remove(&mapped, mb->nomap.v[i].base, mb->nomap.v[i].end));
	uint64_t pt = k16 ? slots(&mapped, 25) + slots(&mapped, 36) + 2
			  : slots(&mapped, 21) + slots(&mapped, 30) + 2;
	/* Debian's 6.12.117 takes 15 pages fewer on every RAM size from 1 to 6 GiB
	 * (memblock=debug: 500 early_pgtable_alloc() calls for 1 GiB where 6.1 makes 515),
	 * about the 30 MiB of the kernel image's linear alias in 2 MiB blocks */
	if (!k16 && s->rules.early_pgtables_fewer && pt > 15)
		pt -= 15;
	spans_fini(&mapped);
	mb_take_pages(mb, pt, k16 ? 16384 : 4096);
	if (!s->rules.nomap_whole_pages)
		return;
	/* the pages a no-map region only partly covers are not mapped either, while
	 * memblock still hands out their rest */
	const uint64_t pg = k16 ? 16384 : 4096;
	for (size_t i = 0; i < mb->nomap.n; i++) {
		uint64_t b = mb->nomap.v[i].base, e = mb->nomap.v[i].end;
		if (b & (pg - 1))
			mb_note(mb, spans_add(&mb->unmapped, b & ~(pg - 1), b));
		if (e & (pg - 1))
			mb_note(mb, spans_add(&mb->unmapped, e, (e | (pg - 1)) + 1));
	}
	for (size_t i = 0; i < mb->nomap.n; i++)
		mb_note(mb, spans_remove(&mb->unmapped, mb->nomap.v[i].base, mb->nomap.v[i].end));
}

/*
 * The same with 16 KiB pages (Debian's arm64-16k, 6.12), measured with memblock=debug:
 * a 16 KiB page table per mapped 32 MiB and per 64 GiB, the small allocations, a
 * 32 KiB mem_section root array, a 16 KiB root per 128 GiB, usemaps of 32 bytes a
 * section; then sparse_buffer_init() asks memmap_alloc() for section_map_size() per
 * 128 MiB section, which is the 512 KiB of struct pages rounded up to PMD_SIZE
 * (32 MiB), 32 MiB aligned, top-down; vmemmap_populate_basepages() takes 512 KiB a
 * section from the buffer's bottom (two vmemmap page tables come from memblock) and
 * sparse_buffer_fini() frees the rest. What stays is the buffer's bottom, which the
 * default CMA area then lands under when it lies below the CMA limit.
 */
static void arm64_early_allocs_16k(struct sim *s)
{
	struct memblock *mb = &s->mb;
	const uint64_t page = 16384;
	arm64_paging_allocs(s);
	mb_alloc(mb, unflatten_bytes(s), 8, 0, mb->pa_max);
	mb_alloc(mb, 256, page, 0, mb->pa_max);		      /* numa_alloc_distance() */
	mb_alloc(mb, 0x2c80, SMP_CACHE_BYTES, 0, mb->pa_max); /* NODE_DATA */
	mb_alloc(mb, 32 * 1024, SMP_CACHE_BYTES, 0, mb->pa_max);
	uint64_t sections = slots(&mb->memory, 27), roots = slots(&mb->memory, 37);
	if (sections > (UINT64_C(1) << 21))
		return;
	for (uint64_t i = 0; i < roots; i++)
		mb_alloc(mb, page, SMP_CACHE_BYTES, 0, mb->pa_max);
	mb_alloc(mb, 32 * sections, SMP_CACHE_BYTES, 0, mb->pa_max);
	const uint64_t pmd = UINT64_C(32) << 20, used = UINT64_C(512) << 10;
	bool watch = mb->watch; /* the memmap is written through the vmemmap */
	mb->watch = false;
	uint64_t buf = mb_alloc(mb, sections * pmd, pmd, 0, mb->pa_max);
	mb_take_pages(mb, 2, page);
	if (buf)
		mb_free(mb, buf + sections * used, sections * (pmd - used));
	else
		/* no room for the buffer (seed 1373847765, L0148: QEMU's DTB at 128 MiB
		 * splits the low RAM): vmemmap_populate_basepages() takes every page of
		 * the memmap from memblock, top-down */
		mb_take_pages(mb, sections * (used / page), page);
	mb->watch = watch;
}

/*
 * What arm64 allocates between the reserved-memory scan and dma_contiguous_reserve()
 * (v6.1 setup_arch(): paging_init(), unflatten_device_tree(), then bootmem_init():
 * NUMA node data and sparse_init()). All of it goes top-down under
 * MEMBLOCK_ALLOC_ACCESSIBLE, so when the top of RAM lies below the CMA limit the
 * default area lands under it. Sizes are those of Debian's 6.1 arm64 kernel
 * (4 KiB pages, rodata=full, SPARSEMEM_VMEMMAP, 128 MiB sections), measured
 * with memblock=debug under QEMU: the linear map takes a PTE page per mapped
 * 2 MiB and a PMD page per GiB, plus two.
 */
static void arm64_early_allocs(struct sim *s)
{
	struct memblock *mb = &s->mb;
	if (s->early_done)
		return;
	s->early_done = true;
	if (s->p->page_size == 16384) {
		arm64_early_allocs_16k(s);
		return;
	}
	const uint64_t page = 4096;
	if (s->p->page_size != 4096)
		return; /* not modelled: other granules change every size below */
	arm64_paging_allocs(s);
	mb_alloc(mb, unflatten_bytes(s), 8, 0, mb->pa_max);
	mb_alloc(mb, 256, page, 0, mb->pa_max);		      /* numa_alloc_distance() */
	mb_alloc(mb, 0x2c80, SMP_CACHE_BYTES, 0, mb->pa_max); /* NODE_DATA */
	/* sparse_init(): the mem_section root array (128 KiB), a section root per
	 * 32 GiB, the usemaps (56 bytes a section), then one buffer of 2 MiB of
	 * struct pages per present 128 MiB section, 2 MiB aligned, then two vmemmap
	 * page tables */
	mb_alloc(mb, 128 * 1024, SMP_CACHE_BYTES, 0, mb->pa_max);
	uint64_t sections = slots(&mb->memory, 27), roots = slots(&mb->memory, 35);
	if (sections > (UINT64_C(1) << 21))
		return;
	for (uint64_t i = 0; i < roots; i++)
		mb_alloc(mb, 4096, SMP_CACHE_BYTES, 0, mb->pa_max);
	mb_alloc(mb, 56 * sections, SMP_CACHE_BYTES, 0, mb->pa_max);
	/* the memmap is written through the vmemmap, not the linear map */
	bool watch = mb->watch;
	mb->watch = false;
	/* without room for the buffer, vmemmap_populate_hugepages() takes each section's
	 * 2 MiB block from memblock (vmemmap_alloc_block_buf()) */
	if (!mb_alloc(mb, sections * SZ_2M, SZ_2M, 0, mb->pa_max))
		for (uint64_t i = 0; i < sections; i++)
			mb_alloc(mb, SZ_2M, SZ_2M, 0, mb->pa_max);
	mb->watch = watch;
	mb_take_pages(mb, 2, page);
}

/* dma_contiguous_reserve() -> cma_declare_contiguous_nid(). */
static void place_default_cma(struct sim *s)
{
	struct cvo_model *m = s->m;
	const struct cvo_platform *p = s->p;
	struct cvo_default_cma *d = &m->default_cma;
	memset(d, 0, sizeof(*d));
	d->region = -1;
	d->override_region = -1;
	if (!p->config.dma_cma)
		return;
	if (s->default_cma_region >= 0) {
		struct cvo_region *r = &m->regions[s->default_cma_region];
		d->present = true;
		d->placed = true;
		d->base = r->base;
		d->size = r->placed_size;
		d->source = "dt";
		d->region = s->default_cma_region;
		return;
	}
	uint64_t size, base = 0, limit;
	bool fixed = false;
	/* the limit the arch passes: arm64_dma_phys_limit, arm_dma_limit (inclusive
	 * 0xffffffff), riscv's dma32_phys_limit */
	uint64_t arch_limit = p->arch == CVO_ARCH_ARM ? 0xffffffffu : m->dma_phys_limit;
	if (p->has_cmdline_cma) {
		size = p->cmdline_cma_size;
		base = p->cmdline_cma_base;
		/* early_cma(): "cma=size@base" without a limit means limit = base + size */
		uint64_t climit = p->cmdline_cma_limit;
		if (base && !climit)
			climit = base + size;
		limit = climit && (!arch_limit || climit < arch_limit) ? climit : arch_limit;
		fixed = base + size == climit;
		d->source = "cmdline";
	} else {
		size = cvo_platform_cma_size(p, mb_phys_mem_size(&s->mb));
		limit = arch_limit;
		d->source = "kconfig";
	}
	if (!size)
		return;
	d->present = true;
	if (!s->mb.memory.n) {
		d->size = size;
		snprintf(d->reason, sizeof(d->reason),
			 "no RAM to place it in: no usable /memory and no platform memory");
		return;
	}
	size &= s->pa_mask;
	base &= s->pa_mask;
	limit &= s->pa_mask;
	if (s->cma_areas_used >= s->cma_areas_max) {
		d->size = size;
		snprintf(d->reason, sizeof(d->reason), "Not enough slots for CMA reserved regions");
		return;
	}
	if (p->arch == CVO_ARCH_ARM64)
		arm64_early_allocs(s);
	s->mb.watch = false; /* nothing writes to a CMA area at boot */
	uint64_t align = s->cma_align;
	if (fixed && (base & (align - 1))) {
		d->size = size;
		d->base = base;
		snprintf(d->reason, sizeof(d->reason), "Region at 0x%08llx must be aligned to "
			 "0x%08llx bytes", (unsigned long long)base, (unsigned long long)align);
		return;
	}
	base = (base + align - 1) & ~(align - 1) & s->pa_mask;
	size = (size + align - 1) & ~(align - 1) & s->pa_mask;
	limit &= ~(align - 1);
	d->size = size;
	if (!base)
		fixed = false;
	uint64_t dram_end = mb_end_of_dram(&s->mb);
	uint64_t highmem = s->lowmem_end;
	if (fixed && base < highmem && base + size > highmem) {
		d->base = base;
		snprintf(d->reason, sizeof(d->reason),
			 "Region at 0x%08llx defined on low/high memory boundary (0x%08llx)",
			 (unsigned long long)base, (unsigned long long)highmem);
		return;
	}
	if (limit == 0 || limit > dram_end)
		limit = dram_end;
	if (base + size > limit) {
		d->base = base;
		snprintf(d->reason, sizeof(d->reason), "Size (0x%08llx) of region at 0x%08llx "
			 "exceeds limit (0x%08llx)", (unsigned long long)size,
			 (unsigned long long)base, (unsigned long long)limit);
		return;
	}
	uint64_t addr = 0;
	if (fixed) {
		if (mb_is_reserved(&s->mb, base, size)) {
			d->base = base;
			snprintf(d->reason, sizeof(d->reason), "Failed to reserve %llu MiB: "
				 "the fixed range is already reserved",
				 (unsigned long long)(size / SZ_1M));
			return;
		}
		mb_reserve(&s->mb, base, size);
		addr = base;
	} else {
		/* bottom-up above 4 GiB first, where phys_addr_t is 64 bits */
		uint64_t top = s->rules.cma_bottom_up_limit ? limit : dram_end;
		if (s->pa_mask == UINT64_MAX && !s->mb.bottom_up && top >= SZ_4G + size) {
			s->mb.bottom_up = true;
			addr = mb_alloc(&s->mb, size, align, SZ_4G, limit);
			s->mb.bottom_up = false;
		}
		/* "All pages in the reserved area must come from the same zone": highmem
		 * first, then below it */
		if (!addr && base < highmem && limit > highmem) {
			addr = mb_alloc(&s->mb, size, align, highmem, limit);
			limit = highmem;
		}
		if (!addr)
			addr = mb_alloc(&s->mb, size, align, base, limit);
		if (!addr) {
			snprintf(d->reason, sizeof(d->reason), "Failed to reserve %llu MiB",
				 (unsigned long long)(size / SZ_1M));
			return;
		}
	}
	s->cma_areas_used++;
	d->base = addr;
	d->placed = true;
	/* dma_contiguous_reserve_area() */
	remap_record(s, -1, addr, size);
}

#define PMD_SIZE_ARM SZ_2M /* a pmd_clear() in dma_contiguous_remap() clears 2 MiB */

/*
 * arch/arm/mm/mmu.c dma_contiguous_remap() (from paging_init()): for each recorded
 * range, clipped to lowmem, the PMDs from its base in steps of 2 MiB are cleared, then
 * iotable_init() allocates its vm_struct and a page table per 2 MiB block (top-down
 * below the lowmem limit) and maps the range again with pages. So the boot hangs (or
 * oopses) when a range's base lies deeper in its 2 MiB block than its last byte (the
 * last block is never cleared and gets pages over a section mapping), when two ranges
 * overlap (the second clears the first one's new page tables), or when one of those
 * allocations, or devicemaps_init()'s, kmap_init()'s and the zero page right after,
 * lands in a cleared block's part outside any range (a rejected range given back, or
 * the head or tail of a block a range only partly covers), which stays unmapped.
 * Measured on Debian's 6.12.117 armmp and armmp-lpae under QEMU (memblock=debug: the
 * 44-byte vm_struct at the top of free lowmem, just under the range).
 */
/* Whether map_lowmem() mapped [base, end): all of it (whole) or any of it. */
static bool lowmem_mapped(const struct sim *s, uint64_t base, uint64_t end, bool whole)
{
	if (end > s->remap_lowmem)
		end = s->remap_lowmem;
	if (base >= end)
		return false;
	if (whole)
		return spans_cover(&s->mb.memory, base, end) && !spans_overlap(&s->mb.nomap, base, end);
	for (uint64_t a = base; a < end; a += s->mb.page)
		if (spans_overlap(&s->mb.memory, a, a + s->mb.page) &&
		    !spans_overlap(&s->mb.nomap, a, a + s->mb.page))
			return true;
	return false;
}

static bool remap_hit(struct sim *s, uint64_t size, uint64_t align)
{
	s->mb.has_hit = false;
	s->mb.watch = true;
	mb_alloc(&s->mb, size, align, 0, s->remap_lowmem);
	s->mb.watch = false;
	return s->mb.has_hit;
}

static void remap_mark(struct cvo_region *r, int what, uint64_t start, uint64_t end, int other,
		       uint64_t hit)
{
	if (r->remap > CVO_REMAP_OK)
		return; /* the first problem found for this region */
	r->remap = what;
	r->remap_base = start;
	r->remap_size = end - start;
	r->remap_other = other;
	r->remap_hit = hit;
}

static void remap_analyse(struct sim *s)
{
	struct cvo_model *m = s->m;
	struct spans saved = { 0 }, cleared = { 0 };
	/* setup_arch() calls adjust_lowmem_bounds() again after arm_memblock_init(): the
	 * lowmem limit paging_init() works with ends at the last mapped (not no-map) block
	 * below the vmalloc limit (seed 20261202, armmp-lpae L0093: a no-map region across
	 * the old limit keeps its CMA range out of the remap) */
	uint64_t vlimit = (mb_start_of_dram(&s->mb) & ~(CVO_ARM_PHYS_OFFSET_ALIGN - 1)) +
			  s->rules.arm_lowmem_size;
	struct spans mapped = { 0 };
	for (size_t i = 0; i < s->mb.memory.n; i++)
		mb_note(&s->mb, spans_add(&mapped, s->mb.memory.v[i].base, s->mb.memory.v[i].end));
	for (size_t i = 0; i < s->mb.nomap.n; i++)
		mb_note(&s->mb, spans_remove(&mapped, s->mb.nomap.v[i].base, s->mb.nomap.v[i].end));
	s->remap_lowmem = 0;
	for (size_t i = 0; i < mapped.n; i++)
		if (mapped.v[i].base < vlimit)
			s->remap_lowmem = mapped.v[i].end < vlimit ? mapped.v[i].end : vlimit;
	spans_fini(&mapped);
	/* the allocations below are looked at, not kept */
	for (size_t i = 0; i < s->mb.reserved.n; i++)
		mb_note(&s->mb, spans_add(&saved, s->mb.reserved.v[i].base, s->mb.reserved.v[i].end));
	s->mb.unmapped.n = 0;
	int last_region = -1;
	for (size_t i = 0; i < s->n_remaps && !s->mb.err; i++) {
		struct remap *e = &s->remaps[i];
		uint64_t start = e->base, end = e->base + e->size;
		if (end > s->remap_lowmem)
			end = s->remap_lowmem;
		if (start >= end)
			continue;
		struct cvo_region *r = e->region >= 0 ? &m->regions[e->region] : NULL;
		if (r)
			last_region = e->region;
		int other = -2;
		for (size_t j = 0; j < s->n_remaps && other == -2; j++) {
			const struct remap *o = &s->remaps[j];
			if (j != i && o->base < end && start < o->base + o->size)
				other = o->region;
		}
		if (r && other != -2)
			remap_mark(r, CVO_REMAP_OVERLAP, start, end, other, 0);
		/* map_lowmem() skipped no-map memory: only a block it mapped can break */
		uint64_t first_blk = start & ~(PMD_SIZE_ARM - 1);
		uint64_t last_blk = (end - 1) & ~(PMD_SIZE_ARM - 1);
		if (start % PMD_SIZE_ARM > (end - 1) % PMD_SIZE_ARM) {
			if (r && lowmem_mapped(s, last_blk, last_blk + PMD_SIZE_ARM, true))
				remap_mark(r, CVO_REMAP_SPLIT, start, end, -1, 0);
			last_blk -= PMD_SIZE_ARM; /* never cleared */
		}
		/* cleared now: every block the loop visits; what iotable_init() allocates */
		spans_fini(&cleared);
		mb_note(&s->mb, spans_add(&cleared, first_blk, last_blk + PMD_SIZE_ARM));
		struct spans *um = &s->mb.unmapped;
		struct spans keep = { 0 };
		for (size_t k = 0; k < um->n; k++)
			mb_note(&s->mb, spans_add(&keep, um->v[k].base, um->v[k].end));
		for (size_t k = 0; k < cleared.n; k++)
			mb_note(&s->mb, spans_add(um, cleared.v[k].base, cleared.v[k].end));
		uint64_t hit = 0;
		if (remap_hit(s, 44, 4))
			hit = s->mb.hit;
		for (uint64_t b = first_blk; b <= last_blk && !hit; b += PMD_SIZE_ARM)
			if (remap_hit(s, 4096, 4096))
				hit = s->mb.hit;
		/* the range is mapped again; the rest of its blocks stays unmapped */
		spans_fini(um);
		*um = keep;
		for (size_t k = 0; k < cleared.n; k++) {
			mb_note(&s->mb, spans_add(um, cleared.v[k].base, start));
			mb_note(&s->mb, spans_add(um, end, cleared.v[k].end));
		}
		bool partial = start % PMD_SIZE_ARM || end % PMD_SIZE_ARM;
		if (r && (hit || (partial && (lowmem_mapped(s, first_blk, start, false) ||
					      lowmem_mapped(s, end, last_blk + PMD_SIZE_ARM,
							    false)))))
			remap_mark(r, CVO_REMAP_PARTIAL, start, end, -1, hit);
		else if (hit && last_region >= 0)
			/* the default area's blocks: blame the region recorded before it */
			remap_mark(&m->regions[last_region], CVO_REMAP_PARTIAL, start, end, -1, hit);
		if (r && r->remap == CVO_REMAP_NONE)
			remap_mark(r, CVO_REMAP_OK, start, end, -1, 0);
	}
	/* devicemaps_init()'s vectors, kmap_init()'s page table, the zero page, then
	 * FLATMEM's alloc_node_mem_map(): 32 bytes of struct page per page of the node,
	 * in MAX_ORDER_NR_PAGES blocks, zeroed (Debian's armmp kernels are FLATMEM) */
	uint64_t blk = s->mb.page << 11, node_lo = mb_start_of_dram(&s->mb) & ~(blk - 1);
	uint64_t node_hi = ((mb_end_of_dram(&s->mb) - 1) | (blk - 1)) + 1;
	uint64_t after[][2] = { { 8192, 8192 }, { 4096, 4096 }, { 4096, 4096 },
				{ (node_hi - node_lo) / s->mb.page * 32, SMP_CACHE_BYTES } };
	for (size_t k = 0; k < CVO_ARRAY_LEN(after) && s->mb.unmapped.n; k++) {
		if (!remap_hit(s, after[k][0], after[k][1]))
			continue;
		for (size_t i = 0; i < m->n_rmem; i++) {
			struct cvo_region *r = &m->regions[i];
			uint64_t lo = r->remap_base & ~(PMD_SIZE_ARM - 1);
			uint64_t hi = ((r->remap_base + r->remap_size - 1) | (PMD_SIZE_ARM - 1)) + 1;
			if (r->remap == CVO_REMAP_PARTIAL && !r->remap_hit && s->mb.hit >= lo &&
			    s->mb.hit < hi)
				r->remap_hit = s->mb.hit;
		}
		break;
	}
	spans_fini(&s->mb.reserved);
	s->mb.reserved = saved;
	spans_fini(&s->mb.unmapped);
	spans_fini(&cleared);
}

/* The zones, then dma_contiguous_reserve(); on arm dma_contiguous_remap() follows in
 * paging_init(). */
static void place_zones_and_default_cma(struct sim *s)
{
	struct cvo_model *m = s->m;
	if (s->cma_done)
		return;
	s->cma_done = true;
	switch (s->p->arch) {
	case CVO_ARCH_ARM64:
		zones_arm64(s);
		break;
	case CVO_ARCH_ARM:
		zones_arm(s);
		break;
	case CVO_ARCH_RISCV:
		zones_riscv(s);
		break;
	case CVO_ARCH_POWERPC:
		m->dma_phys_limit = 0;
		break;
	}
	place_default_cma(s);
	if (s->p->arch == CVO_ARCH_ARM)
		remap_analyse(s);
	if (s->p->arch == CVO_ARCH_ARM64 && s->mb.unmapped.n) {
		/* where the kernel's own allocations after the statics' handlers land */
		arm64_early_allocs(s);
		s->mb.watch = false;
		unmapped_hits(s);
	}
}

/* ------------------------------------------------------------------ entry point */

int cvo_place(struct cvo_model *m)
{
	struct sim s = { 0 };
	s.m = m;
	s.p = m->platform ? m->platform : &cvo_default_platform;
	s.rules = cvo_rules_for(s.p);
	s.pa_mask = cvo_platform_phys_max(s.p);
	s.mb.pa_max = s.pa_mask;
	s.mb.page = s.p->page_size ? s.p->page_size : 4096;
	s.mb.bottom_up = false; /* memblock's default on arm, arm64, riscv and powerpc */
	s.cma_align = s.rules.cma_min_align;
	if (!s.cma_align || (s.cma_align & (s.cma_align - 1)))
		s.cma_align = s.mb.page;
	s.cma_areas_max = s.rules.cma_slots;
	s.default_cma_region = -1;

	for (size_t i = 0; i < m->n_regions; i++) {
		struct cvo_region *r = &m->regions[i];
		r->status = CVO_STATUS_UNPLACED;
		r->base = r->placed_size = 0;
		r->has_base = false;
		r->nomap_busy = false;
		r->refused = false;
		r->remap = CVO_REMAP_NONE;
		r->remap_base = r->remap_size = 0;
		r->remap_other = -1;
		r->remap_hit = 0;
		r->unmapped_free = false;
		r->unmapped_hit = 0;
		r->nomap_partial_page = false;
		r->reason[0] = '\0';
	}
	m->zone_dma_end = m->zone_dma32_end = m->dma_phys_limit = 0;

	int ret = setup_memory(&s);
	if (!ret) {
		reserve_early(&s);
		place_reserved_memory(&s);
		place_zones_and_default_cma(&s);
		ret = s.mb.err;
	}
	for (size_t i = 0; i < m->n_regions; i++)
		if (m->regions[i].status == CVO_STATUS_UNPLACED)
			set_status(&m->regions[i], CVO_STATUS_IGNORED, "not processed");
	free(s.table);
	free(s.remaps);
	mb_fini(&s.mb);
	m->placed = ret == 0;
	return ret ? CVO_ERR_NOMEM : 0;
}

int cvo_place_memory(const struct cvo_model *m, struct cvo_range **out, size_t *n)
{
	struct sim s = { 0 };
	s.m = (struct cvo_model *)m;
	s.p = m->platform ? m->platform : &cvo_default_platform;
	s.pa_mask = cvo_platform_phys_max(s.p);
	s.mb.pa_max = s.pa_mask;
	s.mb.page = s.p->page_size ? s.p->page_size : 4096;
	*out = NULL;
	*n = 0;
	int ret = setup_memory(&s);
	if (!ret && s.mb.memory.n) {
		*out = calloc(s.mb.memory.n, sizeof(**out));
		if (!*out) {
			ret = CVO_ERR_NOMEM;
		} else {
			for (size_t i = 0; i < s.mb.memory.n; i++)
				(*out)[i] = (struct cvo_range){ s.mb.memory.v[i].base,
								s.mb.memory.v[i].end -
									s.mb.memory.v[i].base };
			*n = s.mb.memory.n;
		}
	}
	mb_fini(&s.mb);
	return ret;
}
