// SPDX-License-Identifier: MIT
/*
 * The words for the placement outcomes cvo_place() records as codes
 * (enum cvo_region_why, enum cvo_default_cma_why, enum cvo_default_cma_source):
 * the JSON report, the map, the diff and the boot-log comparison print these.
 */
#include <stdio.h>

#include "carveout.h"

const char *cvo_region_why_text(const struct cvo_placement *pl, const struct cvo_region *r)
{
	switch (cvo_outcome(pl, r)->why) {
	case CVO_WHY_NONE: return "";
	case CVO_WHY_REG_EMPTY: return "empty reg property: nothing reserved";
	case CVO_WHY_REG_INVALID: return "invalid reg property, skipping node";
	case CVO_WHY_RESERVE_BUSY:
		return "failed to reserve memory: no-map over memory already reserved (-EBUSY)";
	case CVO_WHY_RESERVE_SIZE0: return "failed to reserve memory: size 0";
	case CVO_WHY_TABLE_FULL_RESERVED:
		return "not initialised: not enough space for all defined regions";
	case CVO_WHY_TABLE_FULL: return "not enough space for all defined regions";
	case CVO_WHY_DYNAMIC_OVERFLOW: return "too many defined dynamic regions, skip";
	case CVO_WHY_SIZE_INVALID: return "invalid size property";
	case CVO_WHY_ALIGN_INVALID: return "invalid alignment property";
	case CVO_WHY_ALLOC_RANGES_INVALID: return "invalid alloc-ranges property, skipping node";
	case CVO_WHY_NO_RAM:
		return "no RAM to allocate from: no usable /memory and no platform memory";
	case CVO_WHY_ALLOC_FAIL:
		/* __reserved_mem_alloc_size(): "failed to allocate memory for node '%s'" */
		return r->has_alloc_ranges ? "failed to allocate memory for node: no free range of "
					     "this size and alignment in alloc-ranges"
					   : "failed to allocate memory for node: no free range of "
					     "this size and alignment";
	case CVO_WHY_CMA_BYPASS: return "bypass node, using cmdline CMA params instead";
	case CVO_WHY_CMA_ALIGN: return "incorrect alignment of CMA region";
	case CVO_WHY_CMA_SIZE0: return "unable to setup CMA region: size 0";
	case CVO_WHY_CMA_NO_SLOT:
		return "unable to setup CMA region: not enough slots for CMA reserved regions";
	case CVO_WHY_CMA_NOT_RESERVED: return "unable to setup CMA region: not reserved";
	case CVO_WHY_COHERENT_REUSABLE_NOMAP: return "compatible matching fail: reusable with no-map";
	case CVO_WHY_COHERENT_REUSABLE:
		return "compatible matching fail: reusable pool and no CMA in the kernel";
	case CVO_WHY_COHERENT_MAPPED: return "regions without no-map are not yet supported";
	case CVO_WHY_RDP_FLAGS:
		/* rmem_swiotlb_setup() tests the four properties together; name the first */
		return r->reusable     ? "compatible matching fail: restricted-dma-pool with reusable"
		       : r->no_map     ? "compatible matching fail: restricted-dma-pool with no-map"
		       : r->cma_default ? "compatible matching fail: restricted-dma-pool with "
					  "linux,cma-default"
					: "compatible matching fail: restricted-dma-pool with "
					  "linux,dma-default";
	case CVO_WHY_RDP_HIGHMEM:
		return "Restricted DMA pool must be accessible within the linear mapping";
	case CVO_WHY_FORMAT: return "unsupported node format, ignoring";
	case CVO_WHY_NO_REG_NO_SIZE: return "neither reg nor size: nothing reserved";
	case CVO_WHY_NOT_PROCESSED: return "not processed";
	}
	return "?";
}

size_t cvo_default_cma_why_text(const struct cvo_default_cma *d, char *buf, size_t n)
{
	unsigned long long base = d->base, size = d->size, bound = d->why_bound;
	int w;
	/* mm/cma.c cma_declare_contiguous_nid()'s pr_err()s, without the "cma: " prefix */
	switch (d->why) {
	case CVO_CMA_WHY_NO_RAM:
		w = snprintf(buf, n, "no RAM to place it in: no usable /memory and no platform "
				     "memory");
		break;
	case CVO_CMA_WHY_NO_SLOT:
		w = snprintf(buf, n, "Not enough slots for CMA reserved regions");
		break;
	case CVO_CMA_WHY_ALIGN:
		w = snprintf(buf, n, "Region at 0x%08llx must be aligned to 0x%08llx bytes", base,
			     bound);
		break;
	case CVO_CMA_WHY_BOUNDARY:
		w = snprintf(buf, n, "Region at 0x%08llx defined on low/high memory boundary "
				     "(0x%08llx)",
			     base, bound);
		break;
	case CVO_CMA_WHY_LIMIT:
		w = snprintf(buf, n, "Size (0x%08llx) of region at 0x%08llx exceeds limit (0x%08llx)",
			     size, base, bound);
		break;
	case CVO_CMA_WHY_FIXED_BUSY:
		w = snprintf(buf, n, "Failed to reserve %llu MiB: the fixed range is already "
				     "reserved",
			     size / (1024 * 1024));
		break;
	case CVO_CMA_WHY_ALLOC_FAIL:
		w = snprintf(buf, n, "Failed to reserve %llu MiB", size / (1024 * 1024));
		break;
	default:
		w = snprintf(buf, n, "%s", "");
		break;
	}
	return w > 0 ? (size_t)w : 0;
}

const char *cvo_default_cma_source_name(enum cvo_default_cma_source source)
{
	switch (source) {
	case CVO_CMA_SOURCE_NONE: return "none";
	case CVO_CMA_SOURCE_DT: return "dt";
	case CVO_CMA_SOURCE_KCONFIG: return "kconfig";
	case CVO_CMA_SOURCE_CMDLINE: return "cmdline";
	}
	return "?";
}
