// SPDX-License-Identifier: MIT
/* Placeholder: the platform capability file parser (carveout-platform(5)). */
#include <stdlib.h>
#include <string.h>

#include "util.h"

const char *cvo_arch_name(enum cvo_arch arch)
{
	switch (arch) {
	case CVO_ARCH_ARM: return "arm";
	case CVO_ARCH_ARM64: return "arm64";
	case CVO_ARCH_RISCV: return "riscv";
	case CVO_ARCH_POWERPC: return "powerpc";
	}
	return "?";
}

int cvo_platform_generic(enum cvo_arch arch, struct cvo_platform **out, struct cvo_error *err)
{
	struct cvo_platform *p = calloc(1, sizeof(*p));
	if (!p)
		return CVO_ERR_NOMEM;
	p->arch = arch;
	p->name = cvo_asprintf("generic-%s", cvo_arch_name(arch));
	p->file = cvo_strdup("builtin");
	p->page_size = 4096;
	p->kver_major = 6;
	p->kver_minor = 1;
	p->config.zone_dma = 1;
	p->config.zone_dma32 = arch == CVO_ARCH_ARM64;
	p->config.dma_cma = 1;
	p->config.cma_size_mbytes = arch == CVO_ARCH_ARM64 ? 32 : 64;
	p->config.cma_areas = 7;
	p->config.hugetlb_page = 1;
	*out = p;
	return 0;
}

int cvo_platform_load(const char *path, struct cvo_platform **out, struct cvo_error *err)
{
	return cvo_error_set(err, CVO_ERR_INVALID, path, 0, 0, "platform files are not supported yet");
}

int cvo_platform_resolve(const char *spec, const void *fdt, const char *boards_dir,
			 struct cvo_platform **out, struct cvo_error *err)
{
	return cvo_platform_generic(CVO_ARCH_ARM64, out, err);
}

void cvo_platform_free(struct cvo_platform *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->file);
	free(p);
}

const struct cvo_platform_device *cvo_platform_device_for(const struct cvo_platform *p,
							   const void *fdt, int node)
{
	return NULL;
}

uint64_t cvo_platform_cma_min_align(const struct cvo_platform *p)
{
	return 2u << 20;
}

bool cvo_platform_kver_ge(const struct cvo_platform *p, int major, int minor)
{
	return p->kver_major > major || (p->kver_major == major && p->kver_minor >= minor);
}

int cvo_platform_list(const char *boards_dir, struct cvo_platform ***out, size_t *n,
		      struct cvo_error *err)
{
	*out = NULL;
	*n = 0;
	return 0;
}
