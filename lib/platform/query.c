// SPDX-License-Identifier: MIT
/*
 * What the model, the placement and the DMA model ask of a loaded platform:
 * the values its kernel derives from the configuration (page orders, the CMA
 * alignment and default size, the largest physical address), the version
 * test, and the device entry of a node.
 */
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "../kernel.h"
#include "../util.h"
#include "internal.h"

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

/* The largest page order and CMA_MIN_ALIGNMENT_BYTES, computed with the other kernel rules
 * (lib/kernel.c). */
int plat_max_page_order(const struct cvo_platform *p)
{
	return cvo_rules_for(p).max_page_order;
}

uint64_t cvo_platform_cma_min_align(const struct cvo_platform *p)
{
	return cvo_rules_for(p).cma_min_align;
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

const char *cvo_platform_origin(const struct cvo_platform *p, char *buf, size_t len)
{
	if (!p)
		snprintf(buf, len, "the default profile");
	else if (p->file && !strcmp(p->file, "builtin"))
		snprintf(buf, len, "the %s profile (Debian's kernel)",
			 p->name ? p->name : "generic");
	else
		snprintf(buf, len, "platform %s", p->name ? p->name : "?");
	return buf;
}
