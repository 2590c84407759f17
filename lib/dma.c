// SPDX-License-Identifier: MIT
/* Placeholder: the DMA reach model (of_dma_get_range, of_dma_is_coherent). */
#include <string.h>

#include "util.h"

int cvo_dma_info(const struct cvo_model *m, int node, struct cvo_dma_info *out)
{
	memset(out, 0, sizeof(*out));
	out->coherent_node = -1;
	return 0;
}

bool cvo_dma_reachable(const struct cvo_dma_info *di, uint64_t base, uint64_t size)
{
	return true;
}

uint64_t cvo_dma_max_cpu_address(const struct cvo_model *m)
{
	return UINT64_MAX;
}
