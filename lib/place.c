// SPDX-License-Identifier: MIT
/*
 * The kernel's boot-time placement of /reserved-memory and of the default CMA
 * area, simulated for one platform (arch, page size, kernel version, config,
 * command line).
 *
 * What is mirrored, for v6.1 (Debian 12's kernel, checked against it under QEMU):
 * - mm/memblock.c: memory, reserved and no-map ranges and the searches, in
 *   lib/memblock.c.
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
#include "memblock.h"
#include "place.h"
#include "util.h"

#define SZ_1M (UINT64_C(1) << 20)
#define SZ_2M (UINT64_C(2) << 20)
#define SZ_1G (UINT64_C(1) << 30)
#define SZ_4G (UINT64_C(1) << 32)
/* arm64 PHYS_MASK_SHIFT with CONFIG_ARM64_PA_BITS_48 (Debian's arm64 kernel). */
#define ARM64_PHYS_MASK_SHIFT 48

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
	const struct cvo_model *m;
	const struct cvo_layout *lay;	/* what is placed: one entry per m->regions */
	struct cvo_placement *out;	/* what becomes of it */
	const struct cvo_platform *p;
	struct cvo_rules rules;
	struct cvo_memblock mb;
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

static void set_status(struct cvo_region_place *o, enum cvo_status st, enum cvo_region_why why)
{
	o->status = st;
	o->why = why;
}

static bool compat_shared(const struct cvo_region *r)
{
	return r->compat_shared_dma_pool;
}

static bool compat_restricted(const struct cvo_region *r)
{
	return r->compat_restricted_dma_pool;
}

/* Region i as the layout places it, and what becomes of it. */
static const struct cvo_region_layout *lay_of(const struct sim *s, size_t i)
{
	return &s->lay->regions[i];
}

static struct cvo_region_place *out_of(const struct sim *s, size_t i)
{
	return &s->out->regions[i];
}

/* fdt_reserved_mem_save_node(); false when the table is full. */
static bool table_save(struct sim *s, size_t region, uint64_t base, uint64_t size)
{
	if (s->table_max && s->n_table >= s->table_max)
		return false;
	if (cvo_grow(&s->table, &s->cap_table, s->n_table, sizeof(*s->table))) {
		cvo_mb_note(&s->mb, CVO_ERR_NOMEM);
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
		cvo_mb_note(&s->mb, CVO_ERR_NOMEM);
		return;
	}
	s->remaps[s->n_remaps++] = (struct remap){ region, base, size };
}

static void early_fixup(struct sim *s, size_t idx, uint64_t base, uint64_t size)
{
	if (s->rules.early_fixup_at_scan && compat_shared(&s->m->regions[idx]) &&
	    lay_of(s, idx)->reusable)
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
		if (cvo_mb_overlaps_memory(&s->mb, base, size) &&
		    cvo_mb_is_reserved(&s->mb, base, size))
			return -1;
		cvo_mb_mark_nomap(&s->mb, base, size);
		return 0;
	}
	cvo_mb_reserve(&s->mb, base, size);
	return 0;
}

/*
 * __reserved_mem_reserve_reg(): every reg entry is reserved (or marked no-map);
 * only the first is recorded. Returns whether the node had a usable reg
 * (false: fall through to size, like -ENOENT).
 */
static bool scan_static(struct sim *s, size_t idx)
{
	const struct cvo_region_layout *l = lay_of(s, idx);
	struct cvo_region_place *o = out_of(s, idx);
	if (!l->has_reg)
		return false;
	if (l->reg_bytes == 0 || (l->reg_bytes < 0 && !l->n_regs)) {
		/* an empty reg: the loop never runs and nothing is recorded */
		set_status(o, CVO_STATUS_IGNORED, CVO_WHY_REG_EMPTY);
		return true;
	}
	if (!l->reg_len_ok) {
		set_status(o, CVO_STATUS_FAILED, CVO_WHY_REG_INVALID);
		return true;
	}
	bool first_ok = false, first_busy = false;
	for (size_t i = 0; i < l->n_regs; i++) {
		uint64_t base = l->regs[i].base & s->pa_mask, size = l->regs[i].size & s->pa_mask;
		int ret = size ? reserve_static(s, base, size, l->no_map) : -2;
		if (ret == 0)
			early_fixup(s, idx, base, size);
		if (i == 0) {
			first_ok = ret == 0;
			first_busy = ret == -1;
		}
	}
	uint64_t base = l->regs[0].base & s->pa_mask, size = l->regs[0].size & s->pa_mask;
	o->base = base;
	o->placed_size = size;
	o->has_base = true;
	if (first_busy) {
		o->nomap_busy = true;
		set_status(o, CVO_STATUS_FAILED, CVO_WHY_RESERVE_BUSY);
	} else if (!first_ok) {
		set_status(o, CVO_STATUS_FAILED, CVO_WHY_RESERVE_SIZE0);
	} else {
		set_status(o, CVO_STATUS_PLACED, CVO_WHY_NONE);
	}
	if (!s->rules.alloc_before_sort) {
		/* old kernels record even a zero-size first entry (a dynamic region then,
		 * if the node also has a size property) */
		if (!table_save(s, idx, base, size) && !s->mb.err) {
			if (o->status == CVO_STATUS_PLACED)
				o->why = CVO_WHY_TABLE_FULL_RESERVED;
		}
	}
	return true;
}

/* The alignment a dynamic region is allocated with (__reserved_mem_alloc_size()). */
static uint64_t dynamic_align(const struct sim *s, size_t idx)
{
	const struct cvo_region_layout *l = lay_of(s, idx);
	uint64_t align = l->has_alignment && l->alignment_len_ok ? l->alignment & s->pa_mask : 0;
	/* "Need adjust the alignment to satisfy the CMA requirement" */
	if (s->p->config.dma_cma && compat_shared(&s->m->regions[idx]) && l->reusable &&
	    !l->no_map && align < s->cma_align)
		align = s->cma_align;
	return align;
}

/* early_init_dt_alloc_reserved_memory_arch() */
static uint64_t alloc_arch(struct sim *s, uint64_t size, uint64_t align, uint64_t start,
			   uint64_t end, bool nomap)
{
	end = !end ? s->mb.pa_max : end; /* MEMBLOCK_ALLOC_ANYWHERE */
	align = !align ? SMP_CACHE_BYTES : align;
	uint64_t base = cvo_mb_alloc(&s->mb, size, align, start, end);
	/* the range stays reserved as well as no-map */
	if (base && nomap)
		cvo_mb_mark_nomap(&s->mb, base, size);
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
	const struct cvo_region_layout *l = lay_of(s, idx);
	struct cvo_region_place *o = out_of(s, idx);
	if (!l->size_len_ok) {
		set_status(o, CVO_STATUS_FAILED, CVO_WHY_SIZE_INVALID);
		return 0;
	}
	if (l->has_alignment && !l->alignment_len_ok) {
		set_status(o, CVO_STATUS_FAILED, CVO_WHY_ALIGN_INVALID);
		return 0;
	}
	/* a size of 0 (or one phys_addr_t truncates to 0) is not refused: memblock
	 * hands out an empty range at the candidate address, and the coherent pool
	 * handler accepts it ("created DMA memory pool at ..., size 0 MiB") */
	uint64_t size = l->size & s->pa_mask;
	uint64_t align = dynamic_align(s, idx);
	uint64_t base = 0;
	if (l->has_alloc_ranges) {
		if (!l->alloc_ranges_len_ok) {
			set_status(o, CVO_STATUS_FAILED, CVO_WHY_ALLOC_RANGES_INVALID);
			return 0;
		}
		for (size_t i = 0; i < l->n_alloc_ranges && !base; i++) {
			uint64_t start = l->alloc_ranges[i].base & s->pa_mask;
			uint64_t end = (start + l->alloc_ranges[i].size) & s->pa_mask;
			base = alloc_in_range(s, size, align, start, end, l->no_map);
		}
	} else {
		base = alloc_arch(s, size, align, 0, 0, l->no_map);
	}
	if (!base && !s->mb.memory.n) {
		set_status(o, CVO_STATUS_FAILED, CVO_WHY_NO_RAM);
		return 0;
	}
	if (!base) {
		set_status(o, CVO_STATUS_FAILED, CVO_WHY_ALLOC_FAIL);
		return 0;
	}
	o->base = base;
	o->placed_size = size;
	o->has_base = true;
	set_status(o, CVO_STATUS_PLACED, CVO_WHY_NONE);
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
 * 0; what the last one returned decides. *why gets the most telling refusal.
 */
static int init_node(struct sim *s, size_t idx, uint64_t base, uint64_t size,
		     enum cvo_region_why *why)
{
	const struct cvo_region *r = &s->m->regions[idx];
	const struct cvo_region_layout *l = lay_of(s, idx);
	const struct cvo_kconfig *k = &s->p->config;
	int ret = H_NOMATCH;
	*why = CVO_WHY_NONE;
	if (compat_shared(r) && k->dma_cma) {
		/* rmem_cma_setup() */
		if (s->p->has_cmdline_cma && l->cma_default) {
			*why = CVO_WHY_CMA_BYPASS;
			ret = H_BYPASS;
		} else if (!l->reusable || l->no_map) {
			ret = H_FAIL;
		} else if ((base | size) & (s->cma_align - 1)) {
			*why = CVO_WHY_CMA_ALIGN;
			ret = H_FAIL;
		} else if (!size) {
			/* cma_init_reserved_mem() */
			*why = CVO_WHY_CMA_SIZE0;
			ret = H_FAIL;
		} else if (s->cma_areas_used >= s->cma_areas_max) {
			*why = CVO_WHY_CMA_NO_SLOT;
			ret = H_FAIL;
		} else if (!cvo_mb_is_reserved(&s->mb, base, size)) {
			/* cma_init_reserved_mem(): the range must still be reserved */
			*why = CVO_WHY_CMA_NOT_RESERVED;
			ret = H_FAIL;
		} else {
			s->cma_areas_used++;
			if (l->cma_default)
				s->default_cma_region = (int)idx;
			early_fixup_accepted(s, idx, base, size);
			return H_OK;
		}
	}
	if (compat_shared(r)) {
		/* rmem_dma_setup(): kernel/dma/coherent.c, CONFIG_DMA_DECLARE_COHERENT */
		if (l->reusable) {
			if (*why == CVO_WHY_NONE)
				*why = l->no_map ? CVO_WHY_COHERENT_REUSABLE_NOMAP
						 : CVO_WHY_COHERENT_REUSABLE;
			ret = ret == H_BYPASS ? H_BYPASS : H_FAIL;
		} else if (s->p->arch == CVO_ARCH_ARM && !l->no_map) {
			*why = CVO_WHY_COHERENT_MAPPED;
			ret = H_FAIL;
		} else {
			return H_OK;
		}
	}
	if (compat_restricted(r) && k->dma_restricted_pool) {
		/* rmem_swiotlb_setup() */
		if (l->reusable || l->cma_default || l->dma_default || l->no_map) {
			*why = CVO_WHY_RDP_FLAGS;
			ret = H_FAIL;
		} else if (s->rules.rdp_highmem_setup && is_highmem(s, base)) {
			*why = CVO_WHY_RDP_HIGHMEM;
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
	const struct cvo_region_layout *l = lay_of(s, idx);
	struct cvo_region_place *o = out_of(s, idx);
	enum cvo_region_why why;
	int h = init_node(s, idx, base, size, &why);
	if (h == H_OK || h == H_NOMATCH)
		return;
	o->refused = true;
	/* "node %s compatible matching fail": memblock_clear_nomap() or memblock_phys_free() */
	if (l->no_map && s->linear_mapped && s->p->arch != CVO_ARCH_ARM) {
		/* the linear map was built without it: free memory nothing maps */
		uint64_t end = cvo_mb_end(&s->mb, base, size);
		for (size_t i = 0; i < s->mb.memory.n; i++) {
			uint64_t lo = s->mb.memory.v[i].base > base ? s->mb.memory.v[i].base : base;
			uint64_t hi = s->mb.memory.v[i].end < end ? s->mb.memory.v[i].end : end;
			if (lo < hi) {
				cvo_mb_note(&s->mb, cvo_spans_add(&s->mb.unmapped, lo, hi));
				o->unmapped_free = true;
			}
		}
	}
	if (l->no_map)
		cvo_mb_clear_nomap(&s->mb, base, size);
	else
		cvo_mb_free(&s->mb, base, size);
	if (o->status == CVO_STATUS_PLACED)
		set_status(o, h == H_BYPASS ? CVO_STATUS_IGNORED : CVO_STATUS_FAILED, why);
}

/* Which rejected no-map region the first watched allocation landed in. */
static void unmapped_hits(struct sim *s)
{
	const struct cvo_model *m = s->m;
	uint64_t pg = s->mb.page;
	for (size_t i = 0; i < m->n_rmem && s->mb.has_hit; i++) {
		const struct cvo_region_layout *l = lay_of(s, i);
		struct cvo_region_place *o = out_of(s, i);
		if (o->unmapped_free && s->mb.hit >= o->base &&
		    s->mb.hit - o->base < o->placed_size)
			o->unmapped_hit = s->mb.hit;
		/* a page the region shares with free memory */
		uint64_t end = o->base + o->placed_size;
		if (s->rules.nomap_whole_pages && l->no_map && o->has_base && o->placed_size &&
		    !o->unmapped_free && ((s->mb.hit & ~(pg - 1)) == (o->base & ~(pg - 1)) ||
					  (s->mb.hit & ~(pg - 1)) == ((end - 1) & ~(pg - 1)))) {
			o->unmapped_hit = s->mb.hit;
			o->nomap_partial_page = true;
		}
	}
}

static void reserve_memreserve(struct sim *s);
static void reserve_late(struct sim *s);

/* What is reserved once the /reserved-memory nodes are scanned and the dynamic regions
 * allocated: /memreserve/ (6.4+, at the end of early_init_fdt_scan_reserved_mem()), then
 * riscv's DTB (setup_bootmem()). Before 6.13 the dynamic regions come after /memreserve/:
 * place_reserved_memory() orders that flow itself. */
static void reserve_after_scan(struct sim *s)
{
	if (s->rules.memreserve_last)
		reserve_memreserve(s);
	reserve_late(s);
}
static void place_zones_and_default_cma(struct sim *s);
static void arm64_paging_allocs(struct sim *s);

/* The ~v6.13 flow (drivers/of/of_reserved_mem.c fdt_scan_reserved_mem()): statics
 * reserved in DT order (scan_static()), then dynamics allocated and initialised in DT
 * order here; the statics are recorded and initialised later (place_late_static()). */
static void place_late_dynamic(struct sim *s, const size_t *dyn, size_t n_dyn)
{
	for (size_t i = 0; i < n_dyn; i++) {
		if (i >= s->rules.max_reserved_regions) {
			/* dynamic_nodes[MAX_RESERVED_REGIONS]: overflowed until a 2026 fix */
			set_status(out_of(s, dyn[i]), CVO_STATUS_FAILED, CVO_WHY_DYNAMIC_OVERFLOW);
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
		const struct cvo_region_place *o = out_of(s, sta[i]);
		if (!o->has_base || !o->placed_size)
			continue;
		table_save(s, sta[i], o->base, o->placed_size);
		init_region(s, sta[i], o->base, o->placed_size);
	}
	rmem_sort(s, s->table, s->n_table);
}

/* The v6.1-v6.12 flow: fdt_init_reserved_mem() walks the sorted table. */
static void place_sorted(struct sim *s)
{
	rmem_sort(s, s->table, s->n_table);
	for (size_t i = 0; i < s->n_table; i++) {
		struct rmem *t = &s->table[i];
		const struct cvo_region_layout *l = lay_of(s, t->region);
		if (t->size == 0) {
			if (!l->has_size) {
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
	const struct cvo_model *m = s->m;
	size_t n = m->n_rmem;
	/* early_init_fdt_scan_reserved_mem() reserves /memreserve/ after the scan whether or
	 * not there is a /reserved-memory to scan */
	if (m->rmem_node < 0) {
		reserve_after_scan(s);
		return;
	}
	if (!m->rmem_format_ok) {
		for (size_t i = 0; i < n; i++)
			set_status(out_of(s, i), CVO_STATUS_IGNORED, CVO_WHY_FORMAT);
		reserve_after_scan(s);
		return;
	}
	size_t *dyn = calloc(n ? n : 1, sizeof(*dyn)), *sta = calloc(n ? n : 1, sizeof(*sta));
	size_t n_dyn = 0, n_sta = 0;
	if (!dyn || !sta) {
		cvo_mb_note(&s->mb, CVO_ERR_NOMEM);
		goto out;
	}
	s->table_max = s->rules.static_unlimited ? 0 : s->rules.max_reserved_regions;
	for (size_t i = 0; i < n; i++) {
		const struct cvo_region_layout *l = lay_of(s, i);
		struct cvo_region_place *o = out_of(s, i);
		if (!l->available) {
			set_status(o, CVO_STATUS_DISABLED, CVO_WHY_NONE);
			continue;
		}
		if (scan_static(s, i)) {
			if (o->has_base)
				sta[n_sta++] = i;
			continue;
		}
		if (!l->has_size) {
			set_status(o, CVO_STATUS_IGNORED, CVO_WHY_NO_REG_NO_SIZE);
			continue;
		}
		if (s->rules.alloc_before_sort) {
			dyn[n_dyn++] = i;
		} else if (!table_save(s, i, 0, 0)) {
			set_status(o, CVO_STATUS_FAILED, CVO_WHY_TABLE_FULL);
		}
	}
	if (s->rules.alloc_before_sort) {
		place_late_dynamic(s, dyn, n_dyn);
		reserve_after_scan(s);
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
			cvo_mb_alloc(&s->mb, SZ_2M, 4096, 0, s->mb.pa_max);
			cvo_mb_take_pages(&s->mb, 9, 4096);
			s->linear_mapped = true;
			s->mb.watch = true;
		}
		place_late_static(s, sta, n_sta);
		if (s->p->arch == CVO_ARCH_RISCV && s->mb.unmapped.n) {
			/* unflatten_device_tree() goes on with the tree; misc_mem_init():
			 * NODE_DATA, then sparse_init() zeroes its mem_section root array,
			 * 32 MiB with sv57's MAX_PHYSMEM_BITS */
			cvo_mb_alloc(&s->mb, s->m->unflatten_bytes, 8, 0, s->mb.pa_max);
			cvo_mb_alloc(&s->mb, 0x2440, SMP_CACHE_BYTES, 0, s->mb.pa_max);
			cvo_mb_alloc(&s->mb, UINT64_C(32) << 20, SMP_CACHE_BYTES, 0, s->mb.pa_max);
			s->mb.watch = false;
			unmapped_hits(s);
		}
		/* rmem_cma_setup(): the last linux,cma-default region set up is the default */
		struct cvo_default_cma *d = &s->out->default_cma;
		if (s->cma_done && s->default_cma_region != before && d->present) {
			if (d->region >= 0) {
				struct cvo_region_place *o = out_of(s, s->default_cma_region);
				d->region = s->default_cma_region;
				d->base = o->base;
				d->size = o->placed_size;
			} else {
				d->override_region = s->default_cma_region;
			}
		}
	} else {
		if (s->rules.memreserve_last)
			reserve_memreserve(s);
		place_sorted(s);
		reserve_late(s);
	}
out:
	free(dyn);
	free(sta);
}

/* ------------------------------------------------------------------ RAM and zones */

/* arm64 memblock_mem_limit_remove_map(): mem= is an amount of RAM, counted from
 * the lowest bank (__find_max_addr()). */
static void limit_memory_size(struct cvo_memblock *mb, uint64_t limit)
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
		cvo_mb_remove_memory(mb, max_addr, UINT64_MAX);
}

/* RAM as the kernel sees it: the model's banks, cut to the arch's physical
 * address range and by mem=; also where arm's lowmem ends. */
static int setup_memory(struct sim *s)
{
	const struct cvo_model *m = s->m;
	struct cvo_memblock *mb = &s->mb;
	for (size_t i = 0; i < m->n_banks; i++) {
		uint64_t base = m->banks[i].base & s->pa_mask;
		cvo_mb_add_memory(mb, base, cvo_mb_end(mb, base, m->banks[i].size));
	}
	if (s->p->arch == CVO_ARCH_ARM64)
		/* arm64_memblock_init(): "Remove memory above our supported physical address size" */
		cvo_mb_remove_memory(mb, UINT64_C(1) << ARM64_PHYS_MASK_SHIFT, UINT64_MAX);
	if (s->p->has_mem) {
		uint64_t limit = s->p->mem & ~((uint64_t)s->mb.page - 1);
		if (s->p->arch == CVO_ARCH_ARM) {
			/* arch/arm/kernel/setup.c early_mem(): the first mem= replaces every
			 * bank with [PHYS_OFFSET, PHYS_OFFSET + size) */
			uint64_t start = cvo_mb_start_of_dram(mb) & ~(CVO_ARM_PHYS_OFFSET_ALIGN - 1);
			cvo_mb_clear_memory(mb);
			if (limit)
				cvo_mb_add_memory(mb, start, cvo_mb_end(mb, start, limit));
		} else {
			limit_memory_size(mb, limit);
		}
	}
	if (s->p->arch == CVO_ARCH_ARM) {
		/* adjust_lowmem_bounds(): lowmem ends at the vmalloc limit, or at the end
		 * of the last block that starts below it */
		uint64_t vlimit = (cvo_mb_start_of_dram(mb) & ~(CVO_ARM_PHYS_OFFSET_ALIGN - 1)) +
				  s->rules.arm_lowmem_size;
		uint64_t low = 0;
		for (size_t i = 0; i < mb->memory.n; i++)
			if (mb->memory.v[i].base < vlimit)
				low = mb->memory.v[i].end < vlimit ? mb->memory.v[i].end : vlimit;
		s->lowmem_end = low;
		/* adjust_lowmem_bounds() without CONFIG_HIGHMEM: "Ignoring RAM at ..." */
		if (!s->p->config.highmem)
			cvo_mb_remove_memory(mb, low, UINT64_MAX);
	} else {
		s->lowmem_end = cvo_mb_end_of_dram(mb);
	}
	return mb->err;
}

static void reserve_entry(struct sim *s, size_t idx)
{
	const struct cvo_region_layout *l = lay_of(s, idx);
	struct cvo_region_place *o = out_of(s, idx);
	if (!l->n_regs)
		return;
	uint64_t base = l->regs[0].base & s->pa_mask, size = l->regs[0].size & s->pa_mask;
	cvo_mb_reserve(&s->mb, base, size);
	o->base = base;
	o->placed_size = size;
	o->has_base = true;
	set_status(o, CVO_STATUS_PLACED, CVO_WHY_NONE);
}

/* Whether a platform range is reserved only after the /reserved-memory scan: riscv's
 * setup_bootmem() reserves the DTB the bootloader passed after
 * early_init_fdt_scan_reserved_mem() (arm64 and arm reserve it before, with
 * early_init_fdt_reserve_self()). */
static bool reserved_late(const struct sim *s, const struct cvo_region *r)
{
	return r->dtb && s->p->arch == CVO_ARCH_RISCV;
}

/* riscv setup_bootmem(): memblock_reserve(dtb_early_pa, fdt_totalsize()), after the scan */
static void reserve_late(struct sim *s)
{
	const struct cvo_model *m = s->m;
	for (size_t i = m->n_rmem; i < m->n_regions; i++)
		if (reserved_late(s, &m->regions[i]))
			reserve_entry(s, i);
}

/* early_init_fdt_scan_reserved_mem(): "Process header /memreserve/ fields" */
static void reserve_memreserve(struct sim *s)
{
	const struct cvo_model *m = s->m;
	for (size_t i = m->n_rmem; i < m->n_rmem + m->n_memreserve && i < m->n_regions; i++)
		reserve_entry(s, i);
}

/* Reservations made before the /reserved-memory scan: the initrd, /memreserve/
 * entries (before 6.4) and what the platform file lists (kernel image, firmware). */
static void reserve_early(struct sim *s)
{
	const struct cvo_model *m = s->m;
	uint64_t page = s->mb.page;
	if (m->has_initrd && m->initrd.size) {
		uint64_t start = (m->initrd.base & s->pa_mask) & ~(page - 1);
		uint64_t end = cvo_mb_end(&s->mb, m->initrd.base & s->pa_mask, m->initrd.size);
		if (end & (page - 1))
			end = (end | (page - 1)) + 1;
		/* reserve_initrd_mem() (arm) refuses an initrd outside RAM or over
		 * reserved memory; arm64_memblock_init() reserves it as given */
		if (end > start && (s->p->arch != CVO_ARCH_ARM ||
				    (cvo_spans_cover(&s->mb.memory, start, end) &&
				     !cvo_mb_is_reserved(&s->mb, start, end - start))))
			cvo_mb_reserve(&s->mb, start, end - start);
	}
	for (size_t i = m->n_rmem; i < m->n_regions; i++) {
		if (s->rules.memreserve_last && i < m->n_rmem + m->n_memreserve)
			continue; /* reserve_memreserve(), after the scan */
		if (reserved_late(s, &m->regions[i]))
			continue; /* reserve_late() */
		reserve_entry(s, i);
	}
}

/* arch/arm64/mm/init.c zone_sizes_init() and max_zone_phys(). */
static void zones_arm64(struct sim *s)
{
	const struct cvo_model *m = s->m;
	uint64_t start = cvo_mb_start_of_dram(&s->mb), end = cvo_mb_end_of_dram(&s->mb);
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
	s->out->zone_dma_end = dma;
	s->out->zone_dma32_end = dma32;
	/* arm64_dma_phys_limit: ZONE_DMA, else ZONE_DMA32, else PHYS_MASK + 1 */
	s->out->dma_phys_limit = dma ? dma : dma32 ? dma32 : UINT64_C(1) << ARM64_PHYS_MASK_SHIFT;
}

/* arch/arm/mm/init.c setup_dma_zone() / zone_sizes_init(): the virt machines
 * and DT-only boards have no dma_zone_size, so arm_dma_limit is 0xffffffff and
 * ZONE_DMA covers lowmem. */
static void zones_arm(struct sim *s)
{
	s->out->zone_dma_end = s->p->config.zone_dma ? s->lowmem_end : 0;
	s->out->zone_dma32_end = 0;
	s->out->dma_phys_limit = SZ_4G;
}

/* arch/riscv/mm/init.c: dma32_phys_limit = min(4 GiB, end of lowmem). */
static void zones_riscv(struct sim *s)
{
	uint64_t end = cvo_mb_end_of_dram(&s->mb);
	uint64_t d32 = end < SZ_4G ? end : SZ_4G;
	s->out->zone_dma_end = 0;
	s->out->zone_dma32_end = s->p->config.zone_dma32 ? d32 : 0;
	s->out->dma_phys_limit = d32;
}

/* ------------------------------------------------------------------ default CMA */

/* How many distinct 2^shift slots the spans touch (spans are sorted). */
static uint64_t slots(const struct cvo_spans *sp, unsigned shift)
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
 * paging_init() -> map_mem(): rodata=full maps the linear map with pages, so every
 * mapped (not no-map) 2 MiB (16K pages: 32 MiB) needs a page-table page and every GiB
 * (64 GiB) one more; plus two. Once per run (the 6.13 flow maps before the statics'
 * handlers run).
 */
static void arm64_paging_allocs(struct sim *s)
{
	struct cvo_memblock *mb = &s->mb;
	if (s->paging_done || (s->p->page_size != 4096 && s->p->page_size != 16384))
		return;
	s->paging_done = true;
	bool k16 = s->p->page_size == 16384;
	struct cvo_spans mapped = { 0 };
	cvo_mb_mapped(mb, &mapped);
	uint64_t pt = k16 ? slots(&mapped, 25) + slots(&mapped, 36) + 2
			  : slots(&mapped, 21) + slots(&mapped, 30) + 2;
	/* Debian's 6.12.117 takes 15 pages fewer on every RAM size from 1 to 6 GiB
	 * (memblock=debug: 500 early_pgtable_alloc() calls for 1 GiB where 6.1 makes 515),
	 * about the 30 MiB of the kernel image's linear alias in 2 MiB blocks */
	if (!k16 && s->rules.early_pgtables_fewer && pt > 15)
		pt -= 15;
	cvo_spans_fini(&mapped);
	cvo_mb_take_pages(mb, pt, k16 ? 16384 : 4096);
	if (!s->rules.nomap_whole_pages)
		return;
	/* the pages a no-map region only partly covers are not mapped either, while
	 * memblock still hands out their rest */
	const uint64_t pg = k16 ? 16384 : 4096;
	for (size_t i = 0; i < mb->nomap.n; i++) {
		uint64_t b = mb->nomap.v[i].base, e = mb->nomap.v[i].end;
		if (b & (pg - 1))
			cvo_mb_note(mb, cvo_spans_add(&mb->unmapped, b & ~(pg - 1), b));
		if (e & (pg - 1))
			cvo_mb_note(mb, cvo_spans_add(&mb->unmapped, e, (e | (pg - 1)) + 1));
	}
	for (size_t i = 0; i < mb->nomap.n; i++)
		cvo_mb_note(mb, cvo_spans_remove(&mb->unmapped, mb->nomap.v[i].base,
						 mb->nomap.v[i].end));
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
	struct cvo_memblock *mb = &s->mb;
	const uint64_t page = 16384;
	arm64_paging_allocs(s);
	cvo_mb_alloc(mb, s->m->unflatten_bytes, 8, 0, mb->pa_max);
	cvo_mb_alloc(mb, 256, page, 0, mb->pa_max);		      /* numa_alloc_distance() */
	cvo_mb_alloc(mb, 0x2c80, SMP_CACHE_BYTES, 0, mb->pa_max); /* NODE_DATA */
	cvo_mb_alloc(mb, 32 * 1024, SMP_CACHE_BYTES, 0, mb->pa_max);
	uint64_t sections = slots(&mb->memory, 27), roots = slots(&mb->memory, 37);
	if (sections > (UINT64_C(1) << 21))
		return;
	for (uint64_t i = 0; i < roots; i++)
		cvo_mb_alloc(mb, page, SMP_CACHE_BYTES, 0, mb->pa_max);
	cvo_mb_alloc(mb, 32 * sections, SMP_CACHE_BYTES, 0, mb->pa_max);
	const uint64_t pmd = UINT64_C(32) << 20, used = UINT64_C(512) << 10;
	bool watch = mb->watch; /* the memmap is written through the vmemmap */
	mb->watch = false;
	uint64_t buf = cvo_mb_alloc(mb, sections * pmd, pmd, 0, mb->pa_max);
	cvo_mb_take_pages(mb, 2, page);
	if (buf)
		cvo_mb_free(mb, buf + sections * used, sections * (pmd - used));
	else
		/* no room for the buffer (seed 1373847765, L0148: QEMU's DTB at 128 MiB
		 * splits the low RAM): vmemmap_populate_basepages() takes every page of
		 * the memmap from memblock, top-down */
		cvo_mb_take_pages(mb, sections * (used / page), page);
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
	struct cvo_memblock *mb = &s->mb;
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
	cvo_mb_alloc(mb, s->m->unflatten_bytes, 8, 0, mb->pa_max);
	cvo_mb_alloc(mb, 256, page, 0, mb->pa_max);		      /* numa_alloc_distance() */
	cvo_mb_alloc(mb, 0x2c80, SMP_CACHE_BYTES, 0, mb->pa_max); /* NODE_DATA */
	/* sparse_init(): the mem_section root array (128 KiB), a section root per
	 * 32 GiB, the usemaps (56 bytes a section), then one buffer of 2 MiB of
	 * struct pages per present 128 MiB section, 2 MiB aligned, then two vmemmap
	 * page tables */
	cvo_mb_alloc(mb, 128 * 1024, SMP_CACHE_BYTES, 0, mb->pa_max);
	uint64_t sections = slots(&mb->memory, 27), roots = slots(&mb->memory, 35);
	if (sections > (UINT64_C(1) << 21))
		return;
	for (uint64_t i = 0; i < roots; i++)
		cvo_mb_alloc(mb, 4096, SMP_CACHE_BYTES, 0, mb->pa_max);
	cvo_mb_alloc(mb, 56 * sections, SMP_CACHE_BYTES, 0, mb->pa_max);
	/* the memmap is written through the vmemmap, not the linear map */
	bool watch = mb->watch;
	mb->watch = false;
	/* without room for the buffer, vmemmap_populate_hugepages() takes each section's
	 * 2 MiB block from memblock (vmemmap_alloc_block_buf()) */
	if (!cvo_mb_alloc(mb, sections * SZ_2M, SZ_2M, 0, mb->pa_max))
		for (uint64_t i = 0; i < sections; i++)
			cvo_mb_alloc(mb, SZ_2M, SZ_2M, 0, mb->pa_max);
	mb->watch = watch;
	cvo_mb_take_pages(mb, 2, page);
}

/* dma_contiguous_reserve() -> cma_declare_contiguous_nid(). */
static void place_default_cma(struct sim *s)
{
	const struct cvo_platform *p = s->p;
	struct cvo_default_cma *d = &s->out->default_cma;
	memset(d, 0, sizeof(*d));
	d->region = -1;
	d->override_region = -1;
	if (!p->config.dma_cma)
		return;
	if (s->default_cma_region >= 0) {
		struct cvo_region_place *o = out_of(s, s->default_cma_region);
		d->present = true;
		d->placed = true;
		d->base = o->base;
		d->size = o->placed_size;
		d->source = CVO_CMA_SOURCE_DT;
		d->region = s->default_cma_region;
		return;
	}
	uint64_t size, base = 0, limit;
	bool fixed = false;
	/* the limit the arch passes: arm64_dma_phys_limit, arm_dma_limit (inclusive
	 * 0xffffffff), riscv's dma32_phys_limit */
	uint64_t arch_limit = p->arch == CVO_ARCH_ARM ? 0xffffffffu : s->out->dma_phys_limit;
	if (p->has_cmdline_cma) {
		size = p->cmdline_cma_size;
		base = p->cmdline_cma_base;
		/* early_cma(): "cma=size@base" without a limit means limit = base + size */
		uint64_t climit = p->cmdline_cma_limit;
		if (base && !climit)
			climit = base + size;
		limit = climit && (!arch_limit || climit < arch_limit) ? climit : arch_limit;
		fixed = base + size == climit;
		d->source = CVO_CMA_SOURCE_CMDLINE;
	} else {
		size = cvo_platform_cma_size(p, cvo_mb_phys_mem_size(&s->mb));
		limit = arch_limit;
		d->source = CVO_CMA_SOURCE_KCONFIG;
	}
	if (!size)
		return;
	d->present = true;
	if (!s->mb.memory.n) {
		d->size = size;
		d->why = CVO_CMA_WHY_NO_RAM;
		return;
	}
	size &= s->pa_mask;
	base &= s->pa_mask;
	limit &= s->pa_mask;
	if (s->cma_areas_used >= s->cma_areas_max) {
		d->size = size;
		d->why = CVO_CMA_WHY_NO_SLOT;
		return;
	}
	if (p->arch == CVO_ARCH_ARM64)
		arm64_early_allocs(s);
	s->mb.watch = false; /* nothing writes to a CMA area at boot */
	uint64_t align = s->cma_align;
	if (fixed && (base & (align - 1))) {
		d->size = size;
		d->base = base;
		d->why = CVO_CMA_WHY_ALIGN;
		d->why_bound = align;
		return;
	}
	base = (base + align - 1) & ~(align - 1) & s->pa_mask;
	size = (size + align - 1) & ~(align - 1) & s->pa_mask;
	limit &= ~(align - 1);
	d->size = size;
	if (!base)
		fixed = false;
	uint64_t dram_end = cvo_mb_end_of_dram(&s->mb);
	uint64_t highmem = s->lowmem_end;
	if (fixed && base < highmem && base + size > highmem) {
		d->base = base;
		d->why = CVO_CMA_WHY_BOUNDARY;
		d->why_bound = highmem;
		return;
	}
	if (limit == 0 || limit > dram_end)
		limit = dram_end;
	if (base + size > limit) {
		d->base = base;
		d->why = CVO_CMA_WHY_LIMIT;
		d->why_bound = limit;
		return;
	}
	uint64_t addr = 0;
	if (fixed) {
		if (cvo_mb_is_reserved(&s->mb, base, size)) {
			d->base = base;
			d->why = CVO_CMA_WHY_FIXED_BUSY;
			return;
		}
		cvo_mb_reserve(&s->mb, base, size);
		addr = base;
	} else {
		/* bottom-up above 4 GiB first, where phys_addr_t is 64 bits */
		uint64_t top = s->rules.cma_bottom_up_limit ? limit : dram_end;
		if (s->pa_mask == UINT64_MAX && !s->mb.bottom_up && top >= SZ_4G + size) {
			s->mb.bottom_up = true;
			addr = cvo_mb_alloc(&s->mb, size, align, SZ_4G, limit);
			s->mb.bottom_up = false;
		}
		/* "All pages in the reserved area must come from the same zone": highmem
		 * first, then below it */
		if (!addr && base < highmem && limit > highmem) {
			addr = cvo_mb_alloc(&s->mb, size, align, highmem, limit);
			limit = highmem;
		}
		if (!addr)
			addr = cvo_mb_alloc(&s->mb, size, align, base, limit);
		if (!addr) {
			d->why = CVO_CMA_WHY_ALLOC_FAIL;
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
		return cvo_spans_cover(&s->mb.memory, base, end) &&
		       !cvo_spans_overlap(&s->mb.nomap, base, end);
	for (uint64_t a = base; a < end; a += s->mb.page)
		if (cvo_spans_overlap(&s->mb.memory, a, a + s->mb.page) &&
		    !cvo_spans_overlap(&s->mb.nomap, a, a + s->mb.page))
			return true;
	return false;
}

static bool remap_hit(struct sim *s, uint64_t size, uint64_t align)
{
	s->mb.has_hit = false;
	s->mb.watch = true;
	cvo_mb_alloc(&s->mb, size, align, 0, s->remap_lowmem);
	s->mb.watch = false;
	return s->mb.has_hit;
}

static void remap_mark(struct cvo_region_place *o, int what, uint64_t start, uint64_t end,
		       int other, uint64_t hit)
{
	if (o->remap > CVO_REMAP_OK)
		return; /* the first problem found for this region */
	o->remap = what;
	o->remap_base = start;
	o->remap_size = end - start;
	o->remap_other = other;
	o->remap_hit = hit;
}

/*
 * arch/arm/mm/mmu.c map_lowmem() (paging_init(), before the remap): a 2 MiB block of
 * lowmem that is mapped only in part, or not in whole sections (1 MiB, 2 MiB on LPAE),
 * gets a page table from early_alloc(), top-down below the memblock limit the second
 * adjust_lowmem_bounds() set: the first mapped bank's start or end that is not 2 MiB
 * aligned, rounded down to 2 MiB. These pages split the free memory just below that
 * limit, where a no-map region's head block lies (seed 472428805, 6.12-armmp L0055:
 * FLATMEM's memmap no longer fits in the unmapped head of a remapped block).
 */
static void map_lowmem_tables(struct sim *s, uint64_t vlimit)
{
	struct cvo_spans mapped = { 0 };
	cvo_mb_mapped(&s->mb, &mapped);
	uint64_t sect = s->p->config.arm_lpae ? SZ_2M : SZ_1M;
	uint64_t limit = 0, low = 0;
	for (size_t i = 0; i < mapped.n; i++) {
		uint64_t b = mapped.v[i].base, e = mapped.v[i].end;
		if (b >= vlimit)
			continue;
		if (e > low)
			low = e < vlimit ? e : vlimit;
		if (!limit) {
			if (b % PMD_SIZE_ARM)
				limit = b;
			else if (e % PMD_SIZE_ARM)
				limit = low;
		}
	}
	if (!limit)
		limit = low;
	limit &= ~(PMD_SIZE_ARM - 1);
	uint64_t last_tbl = UINT64_MAX;
	for (size_t i = 0; i < mapped.n && !s->mb.err; i++) {
		uint64_t b = mapped.v[i].base, e = mapped.v[i].end;
		if (e > s->remap_lowmem)
			e = s->remap_lowmem;
		if (b >= e)
			break;
		for (uint64_t a = b; a < e;) {
			uint64_t blk = a & ~(PMD_SIZE_ARM - 1), next = blk + PMD_SIZE_ARM;
			if (next > e)
				next = e;
			if (((a | next) & (sect - 1)) && blk != last_tbl) {
				cvo_mb_alloc(&s->mb, 4096, 4096, 0, limit);
				last_tbl = blk;
			}
			a = next;
		}
	}
	cvo_spans_fini(&mapped);
}

static void remap_analyse(struct sim *s)
{
	const struct cvo_model *m = s->m;
	struct cvo_spans cleared = { 0 };
	struct cvo_mb_saved saved;
	/* setup_arch() calls adjust_lowmem_bounds() again after arm_memblock_init(): the
	 * lowmem limit paging_init() works with ends at the last mapped (not no-map) block
	 * below the vmalloc limit (seed 20261202, armmp-lpae L0093: a no-map region across
	 * the old limit keeps its CMA range out of the remap) */
	uint64_t vlimit = (cvo_mb_start_of_dram(&s->mb) & ~(CVO_ARM_PHYS_OFFSET_ALIGN - 1)) +
			  s->rules.arm_lowmem_size;
	struct cvo_spans mapped = { 0 };
	cvo_mb_mapped(&s->mb, &mapped);
	s->remap_lowmem = 0;
	for (size_t i = 0; i < mapped.n; i++)
		if (mapped.v[i].base < vlimit)
			s->remap_lowmem = mapped.v[i].end < vlimit ? mapped.v[i].end : vlimit;
	cvo_spans_fini(&mapped);
	/* the allocations below are looked at, not kept */
	cvo_mb_save(&s->mb, &saved);
	map_lowmem_tables(s, vlimit);
	s->mb.unmapped.n = 0;
	int last_region = -1;
	for (size_t i = 0; i < s->n_remaps && !s->mb.err; i++) {
		struct remap *e = &s->remaps[i];
		uint64_t start = e->base, end = e->base + e->size;
		if (end > s->remap_lowmem)
			end = s->remap_lowmem;
		if (start >= end)
			continue;
		struct cvo_region_place *rp = e->region >= 0 ? out_of(s, (size_t)e->region) : NULL;
		if (rp)
			last_region = e->region;
		int other = -2;
		for (size_t j = 0; j < s->n_remaps && other == -2; j++) {
			const struct remap *x = &s->remaps[j];
			if (j != i && x->base < end && start < x->base + x->size)
				other = x->region;
		}
		if (rp && other != -2)
			remap_mark(rp, CVO_REMAP_OVERLAP, start, end, other, 0);
		/* map_lowmem() skipped no-map memory: only a block it mapped can break */
		uint64_t first_blk = start & ~(PMD_SIZE_ARM - 1);
		uint64_t last_blk = (end - 1) & ~(PMD_SIZE_ARM - 1);
		if (start % PMD_SIZE_ARM > (end - 1) % PMD_SIZE_ARM) {
			if (rp && lowmem_mapped(s, last_blk, last_blk + PMD_SIZE_ARM, true))
				remap_mark(rp, CVO_REMAP_SPLIT, start, end, -1, 0);
			last_blk -= PMD_SIZE_ARM; /* never cleared */
		}
		/* cleared now: every block the loop visits; what iotable_init() allocates */
		cvo_spans_fini(&cleared);
		cvo_mb_note(&s->mb, cvo_spans_add(&cleared, first_blk, last_blk + PMD_SIZE_ARM));
		struct cvo_spans *um = &s->mb.unmapped;
		struct cvo_spans keep = { 0 };
		for (size_t k = 0; k < um->n; k++)
			cvo_mb_note(&s->mb, cvo_spans_add(&keep, um->v[k].base, um->v[k].end));
		for (size_t k = 0; k < cleared.n; k++)
			cvo_mb_note(&s->mb, cvo_spans_add(um, cleared.v[k].base, cleared.v[k].end));
		uint64_t hit = 0;
		if (remap_hit(s, 44, 4))
			hit = s->mb.hit;
		for (uint64_t b = first_blk; b <= last_blk && !hit; b += PMD_SIZE_ARM)
			if (remap_hit(s, 4096, 4096))
				hit = s->mb.hit;
		/* the range is mapped again; the rest of its blocks stays unmapped */
		cvo_spans_fini(um);
		*um = keep;
		for (size_t k = 0; k < cleared.n; k++) {
			cvo_mb_note(&s->mb, cvo_spans_add(um, cleared.v[k].base, start));
			cvo_mb_note(&s->mb, cvo_spans_add(um, end, cleared.v[k].end));
		}
		bool partial = start % PMD_SIZE_ARM || end % PMD_SIZE_ARM;
		if (rp && (hit || (partial && (lowmem_mapped(s, first_blk, start, false) ||
					      lowmem_mapped(s, end, last_blk + PMD_SIZE_ARM,
							    false)))))
			remap_mark(rp, CVO_REMAP_PARTIAL, start, end, -1, hit);
		else if (hit && last_region >= 0)
			/* the default area's blocks: blame the region recorded before it */
			remap_mark(out_of(s, (size_t)last_region), CVO_REMAP_PARTIAL, start, end,
				   -1, hit);
		if (rp && rp->remap == CVO_REMAP_NONE)
			remap_mark(rp, CVO_REMAP_OK, start, end, -1, 0);
	}
	/* devicemaps_init()'s vectors, kmap_init()'s page table, the zero page, then
	 * FLATMEM's alloc_node_mem_map(): 32 bytes of struct page per page of the node,
	 * in MAX_ORDER_NR_PAGES blocks, zeroed (Debian's armmp kernels are FLATMEM) */
	uint64_t blk = s->mb.page << 11, node_lo = cvo_mb_start_of_dram(&s->mb) & ~(blk - 1);
	uint64_t node_hi = ((cvo_mb_end_of_dram(&s->mb) - 1) | (blk - 1)) + 1;
	uint64_t after[][2] = { { 8192, 8192 }, { 4096, 4096 }, { 4096, 4096 },
				{ (node_hi - node_lo) / s->mb.page * 32, SMP_CACHE_BYTES } };
	for (size_t k = 0; k < CVO_ARRAY_LEN(after) && s->mb.unmapped.n; k++) {
		if (!remap_hit(s, after[k][0], after[k][1]))
			continue;
		for (size_t i = 0; i < m->n_rmem; i++) {
			struct cvo_region_place *o = out_of(s, i);
			uint64_t lo = o->remap_base & ~(PMD_SIZE_ARM - 1);
			uint64_t hi =
			    ((o->remap_base + o->remap_size - 1) | (PMD_SIZE_ARM - 1)) + 1;
			if (o->remap == CVO_REMAP_PARTIAL && !o->remap_hit && s->mb.hit >= lo &&
			    s->mb.hit < hi)
				o->remap_hit = s->mb.hit;
		}
		break;
	}
	cvo_mb_restore(&s->mb, &saved);
	cvo_spans_fini(&s->mb.unmapped);
	cvo_spans_fini(&cleared);
}

/* The zones, then dma_contiguous_reserve(); on arm dma_contiguous_remap() follows in
 * paging_init(). */
static void place_zones_and_default_cma(struct sim *s)
{
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
		s->out->dma_phys_limit = 0;
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

int cvo_place(const struct cvo_model *m, const struct cvo_layout *l, struct cvo_placement *out)
{
	memset(out, 0, sizeof(*out));
	struct cvo_layout own = { 0 };
	if (!l) {
		if (cvo_layout_init(m, &own))
			return CVO_ERR_NOMEM;
		l = &own;
	}
	if (l->n_regions != m->n_regions) {
		cvo_layout_fini(&own);
		return CVO_ERR_USAGE;
	}
	out->model = m;
	out->n_regions = m->n_regions;
	out->default_cma.region = -1;
	out->default_cma.override_region = -1;
	if (m->n_regions && !(out->regions = calloc(m->n_regions, sizeof(*out->regions)))) {
		cvo_layout_fini(&own);
		memset(out, 0, sizeof(*out));
		return CVO_ERR_NOMEM;
	}
	for (size_t i = 0; i < m->n_regions; i++)
		out->regions[i].remap_other = -1;

	struct sim s = { 0 };
	s.m = m;
	s.lay = l;
	s.out = out;
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

	int ret = setup_memory(&s);
	if (!ret) {
		reserve_early(&s);
		place_reserved_memory(&s);
		place_zones_and_default_cma(&s);
		ret = s.mb.err;
	}
	for (size_t i = 0; i < m->n_regions; i++)
		if (out->regions[i].status == CVO_STATUS_UNPLACED)
			set_status(&out->regions[i], CVO_STATUS_IGNORED, CVO_WHY_NOT_PROCESSED);
	free(s.table);
	free(s.remaps);
	cvo_mb_fini(&s.mb);
	cvo_layout_fini(&own);
	if (ret) {
		cvo_placement_fini(out);
		return CVO_ERR_NOMEM;
	}
	out->placed = true;
	return 0;
}

void cvo_placement_fini(struct cvo_placement *pl)
{
	if (!pl)
		return;
	free(pl->regions);
	memset(pl, 0, sizeof(*pl));
}

int cvo_place_memory(const struct cvo_model *m, struct cvo_range **out, size_t *n)
{
	struct sim s = { 0 };
	s.m = m;
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
	cvo_mb_fini(&s.mb);
	return ret;
}
