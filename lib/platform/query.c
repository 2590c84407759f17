// SPDX-License-Identifier: MIT
/*
 * What the model, the placement and the DMA model ask of a loaded platform:
 * the values its kernel derives from the configuration (page orders, the CMA
 * alignment and default size, the largest physical address), the version
 * test, and the device entry of a node.
 */
#include <string.h>

#include <libfdt.h>

#include "../util.h"
#include "internal.h"

static int page_shift_of(uint32_t page_size)
{
	int s = 0;
	while (s < 31 && (1u << s) < page_size)
		s++;
	return s;
}

bool plat_page_size_ok(enum cvo_arch arch, uint32_t page_size)
{
	switch (arch) {
	case CVO_ARCH_ARM64:
	case CVO_ARCH_POWERPC:
		return true;
	case CVO_ARCH_ARM:
	case CVO_ARCH_RISCV:
		break;
	}
	return page_size == 4096;
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

int plat_max_page_order(const struct cvo_platform *p)
{
	return p->max_page_order > 0 ? p->max_page_order
				     : default_max_page_order(p->arch, p->page_size);
}

/*
 * CMA_MIN_ALIGNMENT_BYTES as the platform's kernel computes it:
 * - before 5.19, rmem_cma_setup() / cma_init_reserved_mem() use
 *   PAGE_SIZE << max(MAX_ORDER - 1, pageblock_order);
 * - from 5.19 (11ac3e87ce09 "mm: cma: use pageblock_order as the single
 *   alignment") include/linux/cma.h uses PAGE_SIZE * pageblock_nr_pages, where
 *   include/linux/pageblock-flags.h sets pageblock_order to
 *   min(HUGETLB_PAGE_ORDER, MAX_PAGE_ORDER) with CONFIG_HUGETLB_PAGE, to
 *   min(HPAGE_PMD_ORDER, MAX_PAGE_ORDER) with only CONFIG_TRANSPARENT_HUGEPAGE
 *   (6.10+, "mm: set pageblock_order to HPAGE_PMD_ORDER in case with
 *   !CONFIG_HUGETLB_PAGE but THP enabled"), else MAX_PAGE_ORDER; 6.16 caps the
 *   result by CONFIG_PAGE_BLOCK_ORDER (default MAX_PAGE_ORDER).
 */
uint64_t cvo_platform_cma_min_align(const struct cvo_platform *p)
{
	uint32_t page_size = p->page_size ? p->page_size : 4096;
	int shift = page_shift_of(page_size);
	int maxo = plat_max_page_order(p);
	int hp = huge_order(p->arch, shift);
	int order;

	if (!cvo_platform_kver_ge(p, 5, 19)) {
		int pb = p->config.hugetlb_page == 1 ? hp : maxo;
		order = pb > maxo ? pb : maxo;
	} else {
		int cap = maxo;
		if (cvo_platform_kver_ge(p, 6, 16) && p->config.page_block_order > 0 &&
		    p->config.page_block_order < cap)
			cap = p->config.page_block_order;
		if (p->config.hugetlb_page == 1 ||
		    (p->transparent_hugepage == 1 && cvo_platform_kver_ge(p, 6, 10)))
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

bool cvo_platform_kver_ge(const struct cvo_platform *p, int major, int minor)
{
	return p->kver_major > major || (p->kver_major == major && p->kver_minor >= minor);
}

/* MAX_MEMBLOCK_ADDR: phys_addr_t is 32 bits on arm unless CONFIG_ARM_LPAE (PHYS_ADDR_T_64BIT). */
uint64_t cvo_platform_phys_max(const struct cvo_platform *p)
{
	return p && p->arch == CVO_ARCH_ARM && !p->config.arm_lpae ? 0xffffffffu : UINT64_MAX;
}

/*
 * kernel/dma/contiguous.c dma_contiguous_reserve(): size_bytes (CMA_SIZE_MBYTES
 * MiB) and cma_early_percent_memory() (PHYS_PFN(memblock_phys_mem_size()) *
 * CMA_SIZE_PERCENTAGE / 100 pages), picked by CMA_SIZE_SEL_*.
 */
uint64_t cvo_platform_cma_size(const struct cvo_platform *p, uint64_t ram_bytes)
{
	uint64_t mb = p->config.cma_size_mbytes << 20;
	uint64_t page = p->page_size ? p->page_size : 4096;
	uint64_t pages = ram_bytes / page;
	uint64_t pct = (pages / 100 * p->config.cma_size_percentage +
			pages % 100 * p->config.cma_size_percentage / 100) * page;
	switch (p->config.cma_size_sel) {
	case CVO_CMA_SIZE_SEL_PERCENTAGE: return pct;
	case CVO_CMA_SIZE_SEL_MIN: return pct < mb ? pct : mb;
	case CVO_CMA_SIZE_SEL_MAX: return pct > mb ? pct : mb;
	case CVO_CMA_SIZE_SEL_MBYTES: break;
	}
	return mb;
}

/*
 * The platform's entry for a device node. A device entry applies to every
 * enabled node it matches (carveout-platform(5)), so a disabled node gets none. A `path`
 * entry (looked up like fdt_path_offset(): a unit address may be left out)
 * beats a `compatible` entry; among compatible entries the node's most
 * specific compatible (first in its list) wins.
 */
const struct cvo_platform_device *cvo_platform_device_for(const struct cvo_platform *p,
							  const void *fdt, int node)
{
	if (!p || !fdt || node < 0 || !p->n_devices || !cvo_fdt_available(fdt, node))
		return NULL;
	for (size_t i = 0; i < p->n_devices; i++) {
		const char *path = p->devices[i].match_path;
		if (path && fdt_path_offset(fdt, path) == node)
			return &p->devices[i];
	}
	int len;
	const char *cp = fdt_getprop(fdt, node, "compatible", &len);
	for (int off = 0; cp && len > 0 && off < len;) {
		const char *s = cp + off;
		size_t sl = strnlen(s, (size_t)(len - off));
		if (sl == (size_t)(len - off))
			break;
		for (size_t i = 0; i < p->n_devices; i++) {
			const char *c = p->devices[i].match_compatible;
			if (c && strcmp(c, s) == 0)
				return &p->devices[i];
		}
		off += (int)sl + 1;
	}
	return NULL;
}
