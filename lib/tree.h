/* SPDX-License-Identifier: MIT */
/*
 * Internal: the index of a DT's nodes, built with one walk of the structure
 * block when the model is built (cvo_model_build()) and owned by the model
 * (m->tree, freed by cvo_model_free()). Not part of the public API.
 *
 * fdt_parent_offset() and fdt_node_offset_by_phandle() are O(n) in libfdt; the
 * kernel walks parents for every cell count, translation level and coherency
 * flag. Here parents, depth, inherited cell counts, phandles and the
 * DMA-relevant properties of every node are O(1) or O(log n). Property names
 * are matched by string-table offset, never by strcmp. The walk sees what
 * libfdt's property iteration sees (fdt_getprop(), and the kernel's
 * unflatten_dt_nodes() through it): a node's properties before its first
 * subnode, the first of a name.
 */
#ifndef CVO_TREE_H
#define CVO_TREE_H

#include <libfdt.h>

#include "util.h"

/* OF_ROOT_NODE_ADDR_CELLS_DEFAULT / OF_ROOT_NODE_SIZE_CELLS_DEFAULT (include/linux/of_fdt.h):
 * the cells of a root without #address-cells / #size-cells */
#define CVO_ROOT_ADDR_CELLS_DEFAULT 1
#define CVO_ROOT_SIZE_CELLS_DEFAULT 1

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

struct cvo_tree_node {
	int off;	  /* fdt offset */
	int parent;	  /* index of the parent, -1 for the root */
	uint32_t depth;	  /* 0 for the root */
	uint32_t phandle; /* fdt_get_phandle(); 0 = none (also for the reserved -1) */
	uint32_t flags;	  /* CVO_DN_* */
	uint32_t ac, sc;  /* of_bus_n_addr_cells()/of_bus_n_size_cells() of this node */
	const char *name; /* the node's name in the structure block ("" for the root): valid
			   * as long as the blob */
};

struct cvo_tree {
	const void *fdt;
	struct cvo_tree_node *nodes; /* in structure-block order (ascending offsets) */
	size_t n;
	struct cvo_tree_phandle {
		uint32_t phandle;
		int idx;
	} * ph; /* sorted by phandle, then tree order */
	size_t n_ph;
};

/* Where the kernel would loop forever on a cyclic interconnects chain, we stop. */
#define CVO_TREE_MAX_WALK(t) ((t)->n + 1)

/* Index a validated blob. Free with cvo_tree_free().
 * returns: 0, CVO_ERR_NOMEM, CVO_ERR_INVALID (bad structure). */
int cvo_tree_new(const void *fdt, struct cvo_tree **out);
void cvo_tree_free(struct cvo_tree *t);
/* Index of an fdt node offset, -1 when it is not a node. */
int cvo_tree_index(const struct cvo_tree *t, int node);
/* Index of the node with this phandle, -1 when none (of_find_node_by_phandle(): the first
 * in tree order). */
int cvo_tree_by_phandle(const struct cvo_tree *t, uint32_t phandle);
/* The node and its ancestors are available: a platform device can exist for it. */
bool cvo_tree_live(const struct cvo_tree *t, int node);
/* The property of node index idx as cells (fdt_getprop()); NULL and *ncells 0 when absent,
 * *len (may be NULL) -1 then. */
const fdt32_t *cvo_tree_getprop_cells(const struct cvo_tree *t, int idx, const char *name,
				      size_t *ncells, int *len);

/* The path of node index idx ("/" for the root), built from the index's names.
 * Free with free(); NULL when memory runs out. */
char *cvo_tree_path(const struct cvo_tree *t, int idx);

/* Whether a property name occurs in the strings block at all (a quick "no node has it"). */
bool cvo_fdt_propname_used(const void *fdt, const char *name);

#endif
