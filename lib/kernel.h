/* SPDX-License-Identifier: MIT */
/*
 * Internal: every rule and constant that depends on the platform's kernel
 * version or configuration, decided once per run by cvo_rules_for() (lib/kernel.c,
 * where the table of versions is). Placement (lib/place.c), the checks
 * (ctx->rules) and the Kconfig reader ask it; none of them tests a version.
 */
#ifndef CVO_KERNEL_H
#define CVO_KERNEL_H

#include "util.h"

/*
 * arm VMSPLIT_3G lowmem: vmalloc_min = VMALLOC_END (0xff800000) - 240 MiB -
 * VMALLOC_OFFSET (8 MiB) = 0xf0000000, i.e. 768 MiB above PAGE_OFFSET
 * (arch/arm/mm/mmu.c adjust_lowmem_bounds(), no vmalloc=); PHYS_OFFSET is where
 * RAM starts, 16 MiB aligned (ARM_PATCH_PHYS_VIRT derives it from the load address).
 */
#define CVO_ARM_LOWMEM_SIZE UINT64_C(0x30000000)
#define CVO_ARM_PHYS_OFFSET_ALIGN (UINT64_C(16) << 20)

/* MAX_RESERVED_REGIONS (drivers/of/of_reserved_mem.c): 64 in every 5.x/6.x kernel. */
#define CVO_MAX_RESERVED_REGIONS 64

struct cvo_rules {
	/* drivers/of/of_reserved_mem.c */
	bool sort_by_node;	  /* __rmem_cmp() breaks ties on fdt_node (6.6) */
	bool range_heuristic;	  /* __reserved_mem_alloc_in_range(): alloc-ranges
				     bottom-up or top-down next to the last region (6.6) */
	bool memreserve_last;	  /* /memreserve/ reserved after the /reserved-memory scan */
	bool alloc_before_sort;	  /* dynamic regions allocated and initialised in DT
				     order in fdt_scan_reserved_mem(), statics recorded
				     and initialised late (8a6e02d0c00e) */
	bool static_unlimited;	  /* reserved_mem array reallocated to fit the statics
				     (alloc_reserved_mem_array(), 00c9a452a235); the
				     dynamic ones still stop at max_reserved_regions */
	size_t max_reserved_regions; /* MAX_RESERVED_REGIONS */
	bool range_line;	  /* fdt_init_reserved_mem() prints "%pa..%pa (%lu KiB) %s %s %s"
				     for every region it initialises (aeb9267eb6b1, v6.3) */
	bool early_fixup_at_scan; /* dma_contiguous_early_fixup() when a reusable
				     shared-dma-pool is reserved, before its handler
				     (2c223f7239f3) */
	/* kernel/dma/swiotlb.c */
	bool rdp_highmem_setup;	  /* the restricted pool's PageHighMem() test is in
				     rmem_swiotlb_setup() (the region is freed), not in
				     rmem_swiotlb_device_init() */
	/* mm/cma.c, include/linux/cma.h */
	bool max_cma_plus_one;	  /* MAX_CMA_AREAS = 1 + CONFIG_CMA_AREAS (before 6.9) */
	int cma_slots;		  /* MAX_CMA_AREAS: the slots cma_init_reserved_mem() and
				     cma_declare_contiguous_nid() fill */
	bool cma_bottom_up_limit; /* cma_alloc_mem(): "limit >= SZ_4G + size" instead of
				     memblock_end */
	uint64_t cma_min_align;	  /* CMA_MIN_ALIGNMENT_BYTES, never 0 */
	int max_page_order;	  /* MAX_PAGE_ORDER (MAX_ORDER - 1 before 6.4) */
	bool max_order_inclusive; /* ARCH_FORCE_MAX_ORDER is MAX_PAGE_ORDER, not
				     MAX_ORDER (23baf831a32c, 6.4) */
	bool cma_areas_default_raised; /* mm/Kconfig CMA_AREAS defaults to 20 with NUMA,
					  else 8 (19 and 7 before 6.9) */
	/* arch/arm64/mm */
	bool zone_dma_exact;	  /* zone_sizes_init(): zone_dma_limit, not zone_dma_bits */
	bool nomap_whole_pages;	  /* map_mem() leaves out every page a no-map region
				     touches */
	bool early_pgtables_fewer; /* paging_init(): 15 early page-table pages fewer (4K) */
	bool prep_coherent_clean_only; /* arch_dma_prep_coherent() cleans, never invalidates */
	/* arch/arm/mm/mmu.c */
	uint64_t arm_lowmem_size; /* lowmem above PHYS_OFFSET: CVO_ARM_LOWMEM_SIZE */
};

/*
 * The rules of p's kernel; p NULL: those of cvo_default_platform, the platform
 * placement assumes for a model without one.
 */
struct cvo_rules cvo_rules_for(const struct cvo_platform *p);

/* Used when the model has no platform: Debian 12's arm64 kernel (6.1, 4 KiB pages). */
extern const struct cvo_platform cvo_default_platform;

/*
 * arm64 zone_sizes_init(): the last address of ZONE_DMA for RAM starting at start
 * and the DT's lowest DMA limit dt_max (inclusive; UINT64_MAX: none).
 */
uint64_t cvo_zone_dma_mask(const struct cvo_rules *r, uint64_t start, uint64_t dt_max);

#endif
