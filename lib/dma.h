/* SPDX-License-Identifier: MIT */
/*
 * Internal: the DMA model (lib/dma.c) for the checks that ask what devices
 * reach: a device's DMA configuration (of_dma_configure_id()) and what it
 * reaches. Not part of the public API. It works on the model's tree index
 * (lib/tree.h); addresses are translated by lib/address.h.
 */
#ifndef CVO_DMA_H
#define CVO_DMA_H

#include "address.h"

/* What cvo_dma_info() leaves out of struct cvo_dma_info, for messages. */
struct cvo_dma_extra {
	int config_node; /* the node of_dma_configure_id() is given: itself, or the PCI host
			  * bridge for a node below a PCI bus */
	bool pci;	 /* a PCI function configured through its host bridge */
	int map_node;	 /* the node whose dma-ranges applies, -1 when none */
	int iommu_node;	 /* the first IOMMU the DT names, -1 when none */
	bool iommu_from_platform;		/* the platform file's iommu: decided */
	const struct cvo_platform_device *pdev; /* the platform entry, NULL when none */
};

int cvo_dma_info_ex(const struct cvo_model *m, int node, struct cvo_dma_info *out,
		    struct cvo_dma_extra *x);
/* What a device without iommus whose DMA parent is bus gets (the range walk and the
 * coherency walk start at bus; no platform entry applies). */
int cvo_dma_info_bus(const struct cvo_model *m, int bus, struct cvo_dma_info *out,
		     struct cvo_dma_extra *x);
/* A PCI host bridge: a PCI bus node whose parent is not one. */
bool cvo_dma_is_pci_host(const struct cvo_model *m, int node);
/*
 * The DMA configuration of the devices a memory-region on node serves: the node
 * itself, or for a PCI host bridge the PCI functions below it
 * (of_dma_set_restricted_buffer() falls back to the bridge's memory-region).
 */
int cvo_dma_info_users(const struct cvo_model *m, int node, struct cvo_dma_info *out,
		       struct cvo_dma_extra *x);

/* Whether anything limits what the device reaches (a dma-ranges map or dma-bits). */
bool cvo_dma_limited(const struct cvo_dma_info *di);
/* Exclusive top of the physical addresses the device reaches: the highest reachable window
 * end capped by dma-bits; UINT64_MAX when nothing limits it. */
uint64_t cvo_dma_reach_end(const struct cvo_dma_info *di);
/* How many bytes of [base, base+size) the device reaches. */
uint64_t cvo_dma_reachable_bytes(const struct cvo_dma_info *di, uint64_t base, uint64_t size);
/* The DMA address limit from dma-bits (inclusive), UINT64_MAX when unset. */
uint64_t cvo_dma_mask(const struct cvo_dma_info *di);

/* ------------------------------------------------------------------ for the checks */

/* A live node that a platform device entry applies to, with what it reaches. */
struct cvo_dma_dev {
	int node; /* fdt offset */
	const struct cvo_platform_device *pdev;
	const struct cvo_consumer *consumer; /* its memory-region, NULL when none */
	struct cvo_dma_info di;
	struct cvo_dma_extra x;
};

/* Every live node a platform device entry applies to, in tree order.
 * Free *out with free(). returns: 0, CVO_ERR_NOMEM. */
int cvo_dma_devices(const struct cvo_model *m, struct cvo_dma_dev **out, size_t *n);

/* Whether the device reaches every page of RAM the page allocator can hand out (no-map
 * regions left out). */
bool cvo_dma_reaches_all_ram(const struct cvo_placement *pl, const struct cvo_dma_info *di);
/* The same for [base, base+size). */
bool cvo_dma_reaches_pages(const struct cvo_placement *pl, const struct cvo_dma_info *di,
			   uint64_t base, uint64_t size);
#endif
