// SPDX-License-Identifier: MIT
/*
 * Which kernel behaves which way: the one table of version switches and the
 * constants that follow from a platform's version and configuration, decided
 * once per run into struct cvo_rules (lib/kernel.h).
 */
#include "kernel.h"

const struct cvo_platform cvo_default_platform = {
	.name = (char *)"default",
	.arch = CVO_ARCH_ARM64,
	.page_size = 4096,
	.kver_major = 6,
	.kver_minor = 1,
	.kver_patch = -1,
	.config = { .zone_dma = 1, .zone_dma32 = 1, .dma_cma = 1, .cma_size_mbytes = 64,
		    .cma_areas = 19, .hugetlb_page = 1 },
};

enum rule_id {
	RULE_SORT_BY_NODE,
	RULE_RANGE_HEURISTIC,
	RULE_MEMRESERVE_LAST,
	RULE_ALLOC_BEFORE_SORT,
	RULE_STATIC_UNLIMITED,
	RULE_ZONE_DMA_EXACT,
	RULE_RDP_HIGHMEM_AT_INIT,
	RULE_CMA_BOTTOM_UP_LIMIT,
	RULE_EARLY_FIXUP_AT_SCAN,
	RULE_CMA_AREAS_EXACT,
	RULE_CMA_AREAS_DEFAULT,
	RULE_ARM64_NOMAP_WHOLE_PAGES,
	RULE_RANGE_LINE,
	RULE_ARM64_EARLY_PGTABLES,
	RULE_ARM64_PREP_COHERENT_CLEAN,
	RULE_MAX_ORDER_INCLUSIVE,
	RULE_CMA_ALIGN_PAGEBLOCK,
	RULE_PAGEBLOCK_THP,
	RULE_PAGE_BLOCK_ORDER,
};

/*
 * The one table of which kernels behave which way: the mainline release that
 * brought a change and, where a stable series carries it as a backport, the
 * first patch level of that series that does (stable_patch 0: none known). A
 * platform without a patch level is taken as the series' first release. Stable
 * levels are read from Debian's linux 6.12.117-1 changelog, which lists each
 * upstream stable update it took: only levels Debian shipped are known, so
 * "6.12.13" means "in the stable update Debian took as 6.12.13" (the update
 * before it was 6.12.12, so this is exact).
 */
static const struct rule_since {
	enum rule_id id;
	int major, minor;			      /* mainline */
	int stable_major, stable_minor, stable_patch; /* stable backport */
} rule_table[] = {
	/* 11ac3e87ce09 "mm: cma: use pageblock_order as the single alignment" */
	{ RULE_CMA_ALIGN_PAGEBLOCK, 5, 19, 0, 0, 0 },
	/* the restricted pool's highmem check moved from rmem_swiotlb_setup() to device
	 * init; the move reached 6.1.y (Debian's 6.1.176 attaches it so: tests/oracle) */
	{ RULE_RDP_HIGHMEM_AT_INIT, 6, 1, 0, 0, 0 },
	/* aeb9267eb6b1: fdt_init_reserved_mem() prints "%pa..%pa (%lu KiB) %s %s %s" for
	 * every region it initialises */
	{ RULE_RANGE_LINE, 6, 3, 0, 0, 0 },
	/* L. Tanure, "of: fdt: Scan /memreserve/ last" (2023); measured: Debian's 6.1 fails a
	 * no-map region over /memreserve/ with -EBUSY, its 6.12.117 does not */
	{ RULE_MEMRESERVE_LAST, 6, 4, 0, 0, 0 },
	/* 23baf831a32c "mm, treewide: redefine MAX_ORDER sanely": the Kconfig values
	 * dropped by one and name the largest order */
	{ RULE_MAX_ORDER_INCLUSIVE, 6, 4, 0, 0, 0 },
	/* arch/arm64/mm/dma-mapping.c arch_dma_prep_coherent(): a clean to PoC only */
	{ RULE_ARM64_PREP_COHERENT_CLEAN, 6, 4, 0, 0, 0 },
	/* S. Gerhold, "of: reserved_mem: Use stable allocation order" and "Try to keep
	 * range allocations contiguous" (2023) */
	{ RULE_SORT_BY_NODE, 6, 6, 0, 0, 0 },
	{ RULE_RANGE_HEURISTIC, 6, 6, 0, 0, 0 },
	/* include/linux/cma.h: MAX_CMA_AREAS is CONFIG_CMA_AREAS, no extra slot (6.9) */
	{ RULE_CMA_AREAS_EXACT, 6, 9, 0, 0, 0 },
	/* mm/Kconfig CMA_AREAS: default 20 if NUMA, else 8 */
	{ RULE_CMA_AREAS_DEFAULT, 6, 9, 0, 0, 0 },
	/* "mm: set pageblock_order to HPAGE_PMD_ORDER in case with !CONFIG_HUGETLB_PAGE
	 * but THP enabled" */
	{ RULE_PAGEBLOCK_THP, 6, 10, 0, 0, 0 },
	/* ba0fb44aed47 "replace zone_dma_bits by zone_dma_limit" with the 4 GiB cap fix */
	{ RULE_ZONE_DMA_EXACT, 6, 12, 0, 0, 0 },
	/* measured, memblock=debug: Debian's 6.12.117 takes 15 early_pgtable_alloc() pages
	 * fewer than 6.1 on every RAM size from 1 to 6 GiB (4K pages) */
	{ RULE_ARM64_EARLY_PGTABLES, 6, 12, 0, 0, 0 },
	/* 8a6e02d0c00e "of: reserved_mem: Restructure how the reserved memory regions are
	 * processed": 6.13, and stable 6.12.13 */
	{ RULE_ALLOC_BEFORE_SORT, 6, 13, 6, 12, 13 },
	/* 00c9a452a235 "of: reserved_mem: Add code to dynamically allocate reserved_mem
	 * array": 6.13, and stable 6.12.103 (with "prevent OOB when too many dynamic
	 * regions are defined") */
	{ RULE_STATIC_UNLIMITED, 6, 13, 6, 12, 103 },
	/* mm/cma.c rework of cma_declare_contiguous_nid() */
	{ RULE_CMA_BOTTOM_UP_LIMIT, 6, 14, 0, 0, 0 },
	/* include/linux/pageblock-flags.h: CONFIG_PAGE_BLOCK_ORDER caps pageblock_order */
	{ RULE_PAGE_BLOCK_ORDER, 6, 16, 0, 0, 0 },
	/* 2c223f7239f3 "of: reserved_mem: Restructure call site for
	 * dma_contiguous_early_fixup()" (dma-mapping fixes for 6.17): 6.17, and stable
	 * 6.12.45 */
	{ RULE_EARLY_FIXUP_AT_SCAN, 6, 17, 6, 12, 45 },
	/* "arm64: mm: fix accidental linear mapping of no-map reserved memory": in stable
	 * 6.12.117 (Debian's changelog); the mainline release was not found (major 0) */
	{ RULE_ARM64_NOMAP_WHOLE_PAGES, 0, 0, 6, 12, 117 },
};

/* Whether p's kernel has rule id: from its mainline release or its stable backport. */
static bool rule_on(const struct cvo_platform *p, enum rule_id id)
{
	for (size_t i = 0; i < CVO_ARRAY_LEN(rule_table); i++) {
		const struct rule_since *r = &rule_table[i];
		if (r->id != id)
			continue;
		if (r->major && cvo_platform_kver_ge(p, r->major, r->minor))
			return true;
		return r->stable_patch && p->kver_major == r->stable_major &&
		       p->kver_minor == r->stable_minor && p->kver_patch >= r->stable_patch;
	}
	return false;
}

/* ------------------------------------------------------------------ page orders */

static int page_shift_of(uint32_t page_size)
{
	int s = 0;
	while (s < 31 && (1u << s) < page_size)
		s++;
	return s;
}

/*
 * HUGETLB_PAGE_ORDER (== HPAGE_PMD_ORDER here): arm64 PMD_SHIFT - PAGE_SHIFT =
 * PAGE_SHIFT - 3 (a table page holds PAGE_SIZE / 8 entries: 2 MiB, 32 MiB,
 * 512 MiB for 4K, 16K, 64K pages); arm LPAE, riscv and powerpc radix map
 * 2 MiB at the PMD level.
 */
static int huge_order(enum cvo_arch arch, int page_shift)
{
	if (arch == CVO_ARCH_ARM64)
		return page_shift - 3;
	return page_shift < 21 ? 21 - page_shift : 0;
}

/* MAX_PAGE_ORDER (MAX_ORDER - 1 before 6.4) when ARCH_FORCE_MAX_ORDER is left at its default. */
static int default_max_page_order(enum cvo_arch arch, uint32_t page_size)
{
	switch (arch) {
	case CVO_ARCH_ARM64:
		/* arch/arm64/Kconfig ARCH_FORCE_MAX_ORDER: 14/12/11 (6.1) for 64K/16K/4K */
		return page_size == 65536 ? 13 : page_size == 16384 ? 11 : 10;
	case CVO_ARCH_POWERPC:
		/* arch/powerpc/Kconfig: 9 for PPC64 && PPC_64K_PAGES (6.1); guess otherwise */
		return page_size == 65536 ? 8 : 10;
	case CVO_ARCH_ARM:
	case CVO_ARCH_RISCV:
		break;
	}
	return 10; /* include/linux/mmzone.h: MAX_ORDER 11 (6.1) */
}

/*
 * CMA_MIN_ALIGNMENT_BYTES as the platform's kernel computes it:
 * - before 5.19, rmem_cma_setup() / cma_init_reserved_mem() use
 *   PAGE_SIZE << max(MAX_ORDER - 1, pageblock_order);
 * - from 5.19 include/linux/cma.h uses PAGE_SIZE * pageblock_nr_pages, where
 *   include/linux/pageblock-flags.h sets pageblock_order to
 *   min(HUGETLB_PAGE_ORDER, MAX_PAGE_ORDER) with CONFIG_HUGETLB_PAGE, to
 *   min(HPAGE_PMD_ORDER, MAX_PAGE_ORDER) with only CONFIG_TRANSPARENT_HUGEPAGE
 *   (6.10+), else MAX_PAGE_ORDER; 6.16 caps the result by CONFIG_PAGE_BLOCK_ORDER
 *   (default MAX_PAGE_ORDER).
 */
static uint64_t cma_min_align(const struct cvo_platform *p, int maxo)
{
	uint32_t page_size = p->page_size ? p->page_size : 4096;
	int shift = page_shift_of(page_size);
	int hp = huge_order(p->arch, shift);
	int order;

	if (!rule_on(p, RULE_CMA_ALIGN_PAGEBLOCK)) {
		int pb = p->config.hugetlb_page == 1 ? hp : maxo;
		order = pb > maxo ? pb : maxo;
	} else {
		int cap = maxo;
		if (rule_on(p, RULE_PAGE_BLOCK_ORDER) && p->config.page_block_order > 0 &&
		    p->config.page_block_order < cap)
			cap = p->config.page_block_order;
		if (p->config.hugetlb_page == 1 ||
		    (p->transparent_hugepage == 1 && rule_on(p, RULE_PAGEBLOCK_THP)))
			order = hp < cap ? hp : cap;
		else
			order = cap;
	}
	if (order < 0)
		order = 0;
	if (shift + order > 63)
		return UINT64_C(1) << 63;
	return (uint64_t)page_size << order;
}

/* ------------------------------------------------------------------ the rules */

struct cvo_rules cvo_rules_for(const struct cvo_platform *p)
{
	if (!p)
		p = &cvo_default_platform;
	struct cvo_rules r = { 0 };
	r.sort_by_node = rule_on(p, RULE_SORT_BY_NODE);
	r.range_heuristic = rule_on(p, RULE_RANGE_HEURISTIC);
	r.memreserve_last = rule_on(p, RULE_MEMRESERVE_LAST);
	r.alloc_before_sort = rule_on(p, RULE_ALLOC_BEFORE_SORT);
	r.static_unlimited = rule_on(p, RULE_STATIC_UNLIMITED);
	r.max_reserved_regions = CVO_MAX_RESERVED_REGIONS;
	r.range_line = rule_on(p, RULE_RANGE_LINE);
	r.early_fixup_at_scan = rule_on(p, RULE_EARLY_FIXUP_AT_SCAN);
	r.rdp_highmem_setup = !rule_on(p, RULE_RDP_HIGHMEM_AT_INIT);
	r.max_cma_plus_one = !rule_on(p, RULE_CMA_AREAS_EXACT);
	r.cma_slots = (p->config.cma_areas > 0 ? p->config.cma_areas : 0) +
		      (r.max_cma_plus_one ? 1 : 0);
	r.cma_bottom_up_limit = rule_on(p, RULE_CMA_BOTTOM_UP_LIMIT);
	r.max_page_order = p->max_page_order > 0 ? p->max_page_order
						 : default_max_page_order(p->arch, p->page_size);
	r.cma_min_align = cma_min_align(p, r.max_page_order);
	r.max_order_inclusive = rule_on(p, RULE_MAX_ORDER_INCLUSIVE);
	r.cma_areas_default_raised = rule_on(p, RULE_CMA_AREAS_DEFAULT);
	r.zone_dma_exact = rule_on(p, RULE_ZONE_DMA_EXACT);
	r.nomap_whole_pages = rule_on(p, RULE_ARM64_NOMAP_WHOLE_PAGES);
	r.early_pgtables_fewer = rule_on(p, RULE_ARM64_EARLY_PGTABLES);
	r.prep_coherent_clean_only = rule_on(p, RULE_ARM64_PREP_COHERENT_CLEAN);
	r.arm_lowmem_size = CVO_ARM_LOWMEM_SIZE;
	return r;
}

static unsigned fls64(uint64_t v)
{
	unsigned n = 0;
	while (v) {
		n++;
		v >>= 1;
	}
	return n;
}

uint64_t cvo_zone_dma_mask(const struct cvo_rules *r, uint64_t start, uint64_t dt_max)
{
	uint64_t zmask;
	if (r->zone_dma_exact) {
		/* v6.12 zone_dma_limit, with "arm64: mm: fix zone_dma_limit calculation":
		 * capped at 4 GiB when DRAM starts below it */
		zmask = dt_max;
		if (start < 0xffffffffu && zmask > 0xffffffffu)
			zmask = 0xffffffffu;
	} else {
		/* zone_dma_bits = min3(32, fls64(dt), fls64(acpi)); the ACPI IORT limit is
		 * PHYS_ADDR_MAX */
		unsigned bits = fls64(dt_max);
		if (bits > 32)
			bits = 32;
		zmask = bits >= 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
		if (start > 0xffffffffu)
			zmask = UINT64_MAX;
		else if (start > zmask)
			zmask = 0xffffffffu;
	}
	return zmask;
}
