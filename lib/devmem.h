/* SPDX-License-Identifier: MIT */
/* Internal: device memory, the CPU addresses that are not RAM a region may sit in. */
#ifndef CVO_DEVMEM_H
#define CVO_DEVMEM_H

#include "util.h"

/* One CPU range of device memory and where it comes from. */
struct cvo_devmem {
	uint64_t base, size;
	int node;    /* fdt offset of the node whose reg or ranges it is */
	bool window; /* a bus ranges window (else a node's reg) */
};

/*
 * The device memory of a model's tree, translated to CPU addresses the way
 * of_translate_address() does through every ranges above: the reg of each enabled node
 * (an mmio-sram node, a remote processor's TCM, a controller's registers) and each bus
 * ranges window that holds no RAM. /memory, /reserved-memory and the nodes below a bus
 * without ranges (their reg is no CPU address) are left out. Free *out with free().
 * returns: 0, CVO_ERR_NOMEM.
 */
int cvo_device_memory(const struct cvo_model *m, struct cvo_devmem **out, size_t *n);

#endif
