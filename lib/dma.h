/* SPDX-License-Identifier: MIT */
/*
 * Internal: the tree index behind the DMA model (lib/dma.c) and the checks that
 * ask what devices reach. Not part of the public API.
 *
 * One index is built per check run with one pass over the structure block
 * (property names are matched by string-table offset, never by strcmp), so
 * parents, inherited cell counts, phandles and the DMA-relevant properties of
 * every node are O(1) or O(log n) afterwards. The kernel functions mirrored
 * are named where they are used.
 */
#ifndef CVO_DMA_H
#define CVO_DMA_H

#include "util.h"

/* OF_BAD_ADDR (include/linux/of_address.h) */
#define CVO_OF_BAD_ADDR UINT64_MAX

/* What the index records about each node (one bit per fact). */
enum {
	CVO_DN_DMA_RANGES = 1u << 0,	  /* has dma-ranges (any length) */
	CVO_DN_DMA_RANGES_FULL = 1u << 1, /* dma-ranges is not empty */
	CVO_DN_DMA_COHERENT = 1u << 2,	  /* dma-coherent */
	CVO_DN_DMA_NONCOHERENT = 1u << 3, /* dma-noncoherent */
	CVO_DN_IOMMUS = 1u << 4,	  /* iommus */
	CVO_DN_IOMMU_MAP = 1u << 5,	  /* iommu-map */
	CVO_DN_ICC_NAMES = 1u << 6,	  /* interconnect-names */
	CVO_DN_PCI = 1u << 7,	/* of_bus_pci_match(): device_type pci/pciex/vci/ht or "pcie" */
	CVO_DN_ISA = 1u << 8,	/* of_bus_isa_match(): named "isa" */
	CVO_DN_OKAY = 1u << 9,	/* its own status is absent, "okay" or "ok" */
	CVO_DN_LIVE = 1u << 10, /* it and every ancestor below the root are okay */
	CVO_DN_MEMORY_REGION = 1u << 11, /* memory-region */
};

struct cvo_dma_node {
	int off;	  /* fdt offset */
	int parent;	  /* index of the parent, -1 for the root */
	uint32_t phandle; /* 0 = none */
	uint32_t flags;	  /* CVO_DN_* */
	uint32_t ac, sc;  /* of_bus_n_addr_cells()/of_bus_n_size_cells() of this node */
};

struct cvo_dma_tree {
	const struct cvo_model *m;
	const void *fdt;
	struct cvo_dma_node *nodes; /* in structure-block order (ascending offsets) */
	size_t n;
	struct cvo_dma_phandle {
		uint32_t phandle;
		int idx;
	} * ph; /* sorted by phandle */
	size_t n_ph;
};

/* Build the index of m's tree. returns: 0, CVO_ERR_NOMEM, CVO_ERR_INVALID (bad structure). */
int cvo_dma_tree_new(const struct cvo_model *m, struct cvo_dma_tree **out);
void cvo_dma_tree_free(struct cvo_dma_tree *t);
/* The index kept in the model (m->dma_tree), built on the first call; NULL when memory runs
 * out or the structure block is bad. Not for two threads on one model. */
const struct cvo_dma_tree *cvo_dma_tree_of(const struct cvo_model *m);
/* Index of an fdt node offset, -1 when it is not a node. */
int cvo_dma_tree_index(const struct cvo_dma_tree *t, int node);
/* Index of the node with this phandle, -1 when none. */
int cvo_dma_tree_by_phandle(const struct cvo_dma_tree *t, uint32_t phandle);
/* The node and its ancestors are available: a platform device can exist for it. */
bool cvo_dma_tree_live(const struct cvo_dma_tree *t, int node);

/* Whether a property name occurs in the strings block at all (a quick "no node has it"). */
bool cvo_fdt_propname_used(const void *fdt, const char *name);

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

int cvo_dma_info_ex(const struct cvo_dma_tree *t, int node, struct cvo_dma_info *out,
		    struct cvo_dma_extra *x);
/* What a device without iommus whose DMA parent is bus gets (the range walk and the
 * coherency walk start at bus; no platform entry applies). */
int cvo_dma_info_bus(const struct cvo_dma_tree *t, int bus, struct cvo_dma_info *out,
		     struct cvo_dma_extra *x);
/* A PCI host bridge: a PCI bus node whose parent is not one. */
bool cvo_dma_is_pci_host(const struct cvo_dma_tree *t, int node);
/*
 * The DMA configuration of the devices a memory-region on node serves: the node
 * itself, or for a PCI host bridge the PCI functions below it
 * (of_dma_set_restricted_buffer() falls back to the bridge's memory-region).
 */
int cvo_dma_info_users(const struct cvo_dma_tree *t, int node, struct cvo_dma_info *out,
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

/* One dma-ranges entry as of_pci_range_parser_one() yields it (contiguous entries merged). */
struct cvo_dma_range {
	uint64_t bus, cpu, size; /* cpu is CVO_OF_BAD_ADDR when it does not translate */
};

/* The shape of a dma-ranges property, for its format check. */
struct cvo_dma_ranges_shape {
	int len;	      /* bytes */
	uint32_t na, pna, ns; /* child address, parent address and size cells */
	bool cells_ok;	      /* an entry has at least one cell and na covers the flags cell */
};

/*
 * Parse the dma-ranges of node index idx, translating every CPU address
 * (of_translate_dma_address()). Fills up to max entries in out; *n is the
 * number the property holds. returns: 0, CVO_ERR_INVALID (no or empty dma-ranges).
 */
int cvo_dma_ranges(const struct cvo_dma_tree *t, int idx, struct cvo_dma_range *out, size_t max,
		   size_t *n, struct cvo_dma_ranges_shape *shape);

/*
 * of_dma_get_max_cpu_address(NULL) over the index: exclusive, UINT64_MAX when nothing limits.
 * *min_idx (may be NULL) receives the index of the first node whose dma-ranges sets the
 * result, -1 when none.
 */
uint64_t cvo_dma_tree_max_cpu_address(const struct cvo_dma_tree *t, int *min_idx);

/* The arm32 linear-map (lowmem) limit, exclusive: arch/arm/mm/mmu.c adjust_lowmem_bounds()
 * with VMSPLIT_3G and the default 240 MiB vmalloc area; 0 when unknown (no RAM). */
uint64_t cvo_arm_lowmem_limit(const struct cvo_model *m);

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
int cvo_dma_devices(const struct cvo_dma_tree *t, struct cvo_dma_dev **out, size_t *n);

/* The consumer record of a node, NULL when it has no memory-region. */
const struct cvo_consumer *cvo_consumer_of(const struct cvo_model *m, int node);

/* A /reserved-memory child the kernel scans: the node is available and the
 * /reserved-memory node passes __reserved_mem_check_root(). */
bool cvo_region_scanned(const struct cvo_model *m, const struct cvo_region *r);
/* Where a region is (a static reg, or where placement put a dynamic one). */
bool cvo_region_span(const struct cvo_region *r, uint64_t *base, uint64_t *size);
/* The CMA handler (rmem_cma_setup()) takes it: shared-dma-pool, reusable, not no-map,
 * with CONFIG_DMA_CMA. */
bool cvo_region_is_cma(const struct cvo_model *m, const struct cvo_region *r);
/* The coherent handler (rmem_dma_setup()) takes it: shared-dma-pool, not reusable, and on
 * arm with no-map. */
bool cvo_region_is_coherent_pool(const struct cvo_model *m, const struct cvo_region *r);
/* Whether placement left the region in memory (not failed, ignored or disabled). */
bool cvo_region_alive(const struct cvo_region *r);
/* The device's own CMA area (dev->cma_area): a live CMA region in its memory-region. */
const struct cvo_region *cvo_consumer_own_cma(const struct cvo_model *m,
					      const struct cvo_consumer *c);

/* First RAM address and exclusive end of RAM (0, 0 when the model has no RAM). */
void cvo_ram_bounds(const struct cvo_model *m, uint64_t *start, uint64_t *end);
/* Bytes of [base, base+size) that are RAM. */
uint64_t cvo_ram_bytes(const struct cvo_model *m, uint64_t base, uint64_t size);
/* Whether the device reaches every page of RAM the page allocator can hand out (no-map
 * regions left out). */
bool cvo_dma_reaches_all_ram(const struct cvo_model *m, const struct cvo_dma_info *di);
/* The same for [base, base+size). */
bool cvo_dma_reaches_pages(const struct cvo_model *m, const struct cvo_dma_info *di,
			   uint64_t base, uint64_t size);
/* The kernel configuration's origin, for messages: "platform NAME" or
 * "the generic-ARCH profile (Debian's kernel)". */
const char *cvo_platform_origin(const struct cvo_platform *p, char *buf, size_t len);

/* "0x%08" PRIx64 (at least 8 digits) as messages print addresses (buf >= 20). */
const char *cvo_fmt_addr(uint64_t v, char *buf, size_t len);

#endif
