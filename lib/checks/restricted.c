// SPDX-License-Identifier: MIT
/*
 * restricted-dma-pool: kernel/dma/swiotlb.c (rmem_swiotlb_setup(),
 * rmem_swiotlb_device_init()), drivers/of/device.c
 * (of_dma_set_restricted_buffer()) and kernel/dma/direct.c (dma_direct_alloc()
 * with a pool that serves allocations).
 */
#include "../place.h"
#include "semantic.h"

static bool config_on(const struct cvo_ctx *ctx)
{
	return ctx->p && ctx->p->config.dma_restricted_pool == 1;
}

/*
 * of_dma_set_restricted_buffer(): the first available restricted-dma-pool in
 * the node's memory-region (any index) is the one attached.
 */
static const struct cvo_region *first_pool(const struct cvo_model *m, const struct cvo_consumer *c,
					   size_t *count)
{
	const struct cvo_region *first = NULL;
	*count = 0;
	for (size_t i = 0; i < c->n; i++) {
		const struct cvo_region *r = consumer_target(m, c, i);
		if (!r || !r->available || !r->compat_restricted_dma_pool)
			continue;
		bool dup = false;
		for (size_t j = 0; j < i; j++)
			dup |= consumer_target(m, c, j) == r;
		if (dup)
			continue;
		if (!first)
			first = r;
		(*count)++;
	}
	return first;
}

static void check_props(struct cvo_ctx *ctx)
{
	for (size_t i = 0; i < ctx->m->n_rmem; i++) {
		const struct cvo_region *r = &ctx->m->regions[i];
		if (!cvo_region_scanned(ctx->m, r) || !r->compat_restricted_dma_pool)
			continue;
		char list[96] = "";
		size_t off = 0;
		const char *names[4];
		size_t n = 0;
		if (r->reusable)
			names[n++] = "reusable";
		if (r->no_map)
			names[n++] = "no-map";
		if (r->cma_default)
			names[n++] = "linux,cma-default";
		if (r->dma_default)
			names[n++] = "linux,dma-default";
		if (!n)
			continue;
		for (size_t k = 0; k < n; k++)
			off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
						k ? (k + 1 == n ? " and " : ", ") : "", names[k]);
		cvo_emit(
		    ctx, CVO_SEV_ERROR, r->path, names[0], NULL,
		    "%s on a restricted-dma-pool: %srmem_swiotlb_setup() rejects the node "
		    "(-EINVAL, \"node %s compatible matching fail\"), the region is freed, and "
		    "at probe \"failed to initialise \\\"restricted-dma-pool\\\" memory node\": "
		    "the device runs with unrestricted DMA%s",
		    list, config_on(ctx) ? "" : "a kernel with CONFIG_DMA_RESTRICTED_POOL ",
		    r->name,
		    r->cma_default || r->dma_default ? " (dt-schema does not catch the two "
						       "default flags)"
						     : "");
	}
}

/* The live nodes whose memory-region names region r, as a related list. */
static size_t pool_users(const struct cvo_model *m, const struct cvo_region *r, const char **rel,
			 size_t max)
{
	const struct cvo_tree *t = m->tree;
	size_t n = 0;
	for (size_t k = 0; k < m->n_consumers && n < max; k++) {
		const struct cvo_consumer *c = &m->consumers[k];
		if (!consumer_live(t, c))
			continue;
		for (size_t i = 0; i < c->n; i++) {
			if (consumer_target(m, c, i) == r) {
				rel[n++] = c->path;
				break;
			}
		}
	}
	return n;
}

static void check_config(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	if (config_on(ctx) || !m->n_consumers)
		return;
	char origin[96];
	cvo_platform_origin(ctx->p, origin, sizeof(origin));
	for (size_t i = 0; i < m->n_rmem; i++) {
		const struct cvo_region *r = &m->regions[i];
		if (!cvo_region_scanned(m, r) || !r->compat_restricted_dma_pool)
			continue;
		const char *rel[9] = {NULL};
		size_t n = pool_users(ctx->m, r, rel, 8);
		if (!n)
			continue;
		cvo_emit(ctx, CVO_SEV_ERROR, r->path, "compatible", rel,
			 "the kernel of %s has no CONFIG_DMA_RESTRICTED_POOL: nothing handles "
			 "restricted-dma-pool, the region stays reserved but unused, and %s%s do%s "
			 "unrestricted DMA with no message",
			 origin, rel[0], n > 1 ? " and the other users" : "", n > 1 ? "" : "es");
	}
}

static void check_iommu(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	if (!m->n_consumers)
		return;
	const struct cvo_tree *t = ctx_tree(ctx);
	for (size_t k = 0; k < m->n_consumers; k++) {
		const struct cvo_consumer *c = &m->consumers[k];
		size_t count;
		const struct cvo_region *pool = first_pool(m, c, &count);
		if (!pool || !cvo_region_scanned(m, pool))
			continue;
		if (!consumer_live(t, c))
			continue;
		struct cvo_dma_info di;
		struct cvo_dma_extra x;
		if (cvo_dma_info_users(ctx->m, c->node, &di, &x) || !di.iommu)
			continue;
		struct txt ti;
		const char *by = x.iommu_from_platform ? "iommu: true in the platform file"
						       : t_path(&ti, ctx_fdt(ctx), x.iommu_node);
		const char *rel[] = {pool->path, NULL};
		cvo_emit(ctx, CVO_SEV_WARNING, c->path, "memory-region", rel,
			 "%s is a restricted-dma-pool but the device%s is behind an IOMMU (%s): "
			 "of_dma_configure_id() attaches a restricted pool only to devices without "
			 "one, so the pool is ignored and DMA is confined by the IOMMU alone",
			 pool->path,
			 cvo_dma_is_pci_host(ctx->m, c->node)
			     ? " (the PCI functions below this host bridge)"
			     : "",
			 by);
	}
}

static void check_multiple(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	const struct cvo_tree *t = ctx_tree(ctx);
	for (size_t k = 0; k < m->n_consumers; k++) {
		const struct cvo_consumer *c = &m->consumers[k];
		size_t count;
		const struct cvo_region *pool = first_pool(m, c, &count);
		if (count < 2)
			continue;
		if (!consumer_live(t, c))
			continue;
		const char *rel[] = {pool->path, NULL};
		cvo_emit(ctx, CVO_SEV_WARNING, c->path, "memory-region", rel,
			 "%zu restricted-dma-pool entries: of_dma_set_restricted_buffer() attaches "
			 "only the first available one (%s) and ignores the others (\"only one "
			 "restricted-dma-pool region is allowed\")",
			 count, pool->path);
	}
}

static const char *driver_ignoring_companion(const struct cvo_ctx *ctx,
					     const struct cvo_consumer *c)
{
	return cvo_companion_ignorer(ctx_fdt(ctx), c->node);
}

/* rmem_swiotlb_device_init(): PageHighMem() of the base refuses the pool on arm */
static bool pool_in_highmem(const struct cvo_ctx *ctx, const struct cvo_region *r)
{
	uint64_t base, size, low;
	if (!ctx->p || ctx->p->arch != CVO_ARCH_ARM || !cvo_region_span(ctx->pl, r, &base, &size))
		return false;
	low = cvo_arm_lowmem_limit(ctx->m);
	return low && base >= low;
}

/*
 * dma_direct_alloc() with is_swiotlb_for_alloc(): arch_dma_alloc() and the
 * atomic pools are skipped, so a non-coherent device needs
 * DMA_DIRECT_REMAP (or ARCH_HAS_DMA_SET_UNCACHED) for every coherent buffer and
 * a sleeping context for the remap; the binding asks for another, no-map
 * shared-dma-pool that dma_alloc_from_dev_coherent() serves first.
 */
static void check_coherent(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	if (!config_on(ctx) || !m->n_consumers)
		return;
	const struct cvo_platform *p = ctx->p;
	const struct cvo_tree *t = ctx_tree(ctx);
	char origin[96];
	cvo_platform_origin(p, origin, sizeof(origin));
	for (size_t k = 0; k < m->n_consumers; k++) {
		const struct cvo_consumer *c = &m->consumers[k];
		size_t count;
		const struct cvo_region *pool = first_pool(m, c, &count);
		if (!pool || !cvo_region_scanned(m, pool))
			continue;
		/* A pool the kernel refuses (rmem_swiotlb_setup() at boot, or the highmem
		 * check when the device attaches) leaves the device unrestricted: its
		 * coherent buffers come from the ordinary path (restricted_pool_props and
		 * restricted_pool_highmem say so). */
		if (!cvo_region_alive(ctx->pl, pool) || cvo_outcome(ctx->pl, pool)->refused ||
		    pool_in_highmem(ctx, pool))
			continue;
		if (!consumer_live(t, c))
			continue;
		/* The companion serves dma_alloc_coherent() only once the driver attaches
		 * it with of_reserved_mem_device_init*() (entry 0 unless attach: says
		 * otherwise); some drivers never do; and only what fits in it. */
		size_t ci = 0;
		bool attached = false;
		const struct cvo_region *comp_r = cvo_consumer_companion(ctx->pl, p, c, &ci,
									 &attached);
		const char *ignorer = comp_r ? driver_ignoring_companion(ctx, c) : NULL;
		uint64_t need = cvo_device_coherent_demand(p, ctx_fdt(ctx), c->node);
		uint64_t cbase = 0, csize = 0;
		if (comp_r && !cvo_region_span(ctx->pl, comp_r, &cbase, &csize))
			csize = 0;
		bool small = comp_r && attached && !ignorer && need && csize && csize < need;
		if (comp_r && attached && !ignorer && !small)
			continue;
		struct cvo_dma_info di;
		struct cvo_dma_extra x;
		if (cvo_dma_info_users(ctx->m, c->node, &di, &x) || di.iommu || di.coherent)
			continue;
		struct txt tc;
		char why[400];
		if (di.coherent_from_default)
			snprintf(why, sizeof(why),
				 "neither dma-coherent nor dma-noncoherent on %s or "
				 "its DMA parents, so the %s default applies",
				 x.pci ? "the host bridge" : "it", ctx_arch(ctx));
		else
			snprintf(why, sizeof(why), "dma-noncoherent on %s",
				 t_path(&tc, ctx_fdt(ctx), di.coherent_node));
		const char *rel[] = {pool->path, NULL};
		bool remap = p->config.dma_direct_remap == 1 && p->arch != CVO_ARCH_ARM;
		char who[400] = "";
		struct txt tb;
		if (cvo_dma_is_pci_host(ctx->m, c->node))
			snprintf(who, sizeof(who), " (the PCI functions below this host bridge)");
		else if (x.pci)
			snprintf(who, sizeof(who),
				 " (a PCI function, set up through host bridge %s)",
				 t_path(&tb, ctx_fdt(ctx), x.config_node));
		char comp[400] = "memory-region has no no-map shared-dma-pool for its coherent buffers";
		if (ignorer) {
			snprintf(comp, sizeof(comp),
				 "its no-map shared-dma-pool is never attached (%s does not call "
				 "of_reserved_mem_device_init())",
				 ignorer);
		} else if (comp_r && !attached) {
			snprintf(comp, sizeof(comp),
				 "its no-map shared-dma-pool %s is memory-region entry %zu, which the "
				 "driver does not attach (of_reserved_mem_device_init() attaches "
				 "entry 0; attach: in the platform file says otherwise)",
				 comp_r->path, ci);
		} else if (small) {
			struct txt th, tw;
			snprintf(comp, sizeof(comp),
				 "its no-map shared-dma-pool %s (%s) is smaller than the %s its "
				 "coherent buffers take (cma: and atomic: in %s; "
				 "dma_alloc_from_dev_coherent() serves each as a power-of-two block), "
				 "and what it cannot serve falls through to the allocator",
				 comp_r->path, t_size(&th, csize), t_size(&tw, need), origin);
		}
		if (!remap) {
			cvo_emit(
			    ctx, CVO_SEV_ERROR, c->path, "memory-region", rel,
			    "the device%s has a restricted-dma-pool and is not coherent (%s), and "
			    "%s: dma_direct_alloc() skips arch_dma_alloc() for a restricted "
			    "pool and %s has no DMA_DIRECT_REMAP, so every dma_alloc_coherent() "
			    "returns NULL (6.1.192 silently, 6.12 with \"coherent DMA allocations "
			    "not supported on this platform.\"; older kernels returned a cacheable "
			    "buffer: the Broadcom STB iwlwifi report on 5.15 and 6.1)",
			    who, why, comp, p->arch == CVO_ARCH_ARM ? "arm" : origin);
		} else if (x.pdev && x.pdev->atomic) {
			char sz[32];
			cvo_fmt_size(x.pdev->atomic, sz, sizeof(sz));
			cvo_emit(
			    ctx, CVO_SEV_ERROR, c->path, "memory-region", rel,
			    "the device has a restricted-dma-pool, is not coherent (%s) and makes "
			    "atomic coherent allocations (atomic: %s in %s), and %s: with a "
			    "restricted pool the atomic pools are not used and the uncached remap "
			    "may sleep, so dma_alloc_coherent(GFP_ATOMIC) fails",
			    why, sz, origin,
			    comp_r || ignorer ? comp
					      : "memory-region has no no-map shared-dma-pool for them");
		}
	}
}

/* rmem_swiotlb_setup() (< 6.6) / rmem_swiotlb_device_init(): PageHighMem(base) */
static void check_highmem(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	if (!ctx->p || ctx->p->arch != CVO_ARCH_ARM || !config_on(ctx))
		return;
	uint64_t low = cvo_arm_lowmem_limit(m);
	if (!low)
		return;
	bool at_setup = ctx->rules->rdp_highmem_setup;
	for (size_t i = 0; i < m->n_rmem; i++) {
		const struct cvo_region *r = &m->regions[i];
		if (!cvo_region_scanned(m, r) || !r->compat_restricted_dma_pool)
			continue;
		uint64_t base, size;
		if (!cvo_region_span(ctx->pl, r, &base, &size))
			continue;
		struct txt tr, tl;
		if (base >= low)
			cvo_emit(
			    ctx, CVO_SEV_ERROR, r->path, r->is_static ? "reg" : "size", NULL,
			    "the pool (%s) is in highmem, above the arm linear map that ends at "
			    "%s (VMSPLIT_3G, 240 MiB vmalloc): \"Restricted DMA pool must be "
			    "accessible within the linear mapping.\" %s, and the device runs "
			    "with unrestricted DMA",
			    t_range(&tr, base, size), t_addr(&tl, low),
			    at_setup ? "at boot (the region is freed)" : "when a device attaches");
		else if (cvo_range_last(base, size) >= low)
			cvo_emit(
			    ctx, CVO_SEV_ERROR, r->path, r->is_static ? "reg" : "size", NULL,
			    "the pool (%s) runs past the end of the arm linear map at %s "
			    "(VMSPLIT_3G, 240 MiB vmalloc): the kernel checks only the base, and "
			    "the first device that attaches it oopses the kernel (\"Unable to handle "
			    "kernel paging request\"): swiotlb clears the whole pool through "
			    "phys_to_virt(), which has no mapping above %s",
			    t_range(&tr, base, size), t_addr(&tl, low), tl.s);
	}
}

#define EXPLAIN(...) __VA_ARGS__

const struct cvo_check cvo_checks_restricted[] = {
    {
	"restricted_pool_props",
	CVO_SEV_ERROR,
	"restricted",
	"reusable, no-map, linux,cma-default or linux,dma-default on a restricted pool",
	EXPLAIN(
	    "What: a restricted-dma-pool with reusable, no-map, linux,cma-default or "
	    "linux,dma-default.\n"
	    "Why: rmem_swiotlb_setup() (kernel/dma/swiotlb.c) returns -EINVAL for any of "
	    "them, so \"node %s compatible matching fail\" and the region is given back to "
	    "the kernel. At probe of_dma_set_restricted_buffer() prints \"failed to "
	    "initialise \\\"restricted-dma-pool\\\" memory node\" and the device does "
	    "unrestricted DMA: the protection the pool exists for is gone. dt-schema "
	    "rejects no-map and reusable but not the two default flags.\n"
	    "Example: wifi_pool { compatible = \"restricted-dma-pool\"; reg = <...>; no-map; };\n"
	    "Fix: drop the property; a restricted pool is a plain, mapped reservation."),
	check_props,
    },
    {
	"restricted_pool_config",
	CVO_SEV_ERROR,
	"restricted",
	"the platform kernel lacks CONFIG_DMA_RESTRICTED_POOL: devices are silently unrestricted",
	EXPLAIN("What: a restricted-dma-pool that an enabled device uses, on a platform whose "
		"kernel has no CONFIG_DMA_RESTRICTED_POOL (Debian's arm and arm64 kernels do not "
		"enable it).\n"
		"Why: without it no RESERVEDMEM_OF_DECLARE handler exists for "
		"restricted-dma-pool: the region stays reserved, nothing attaches it, and the "
		"device does ordinary, unrestricted DMA. There is no message at all.\n"
		"Example: a Broadcom STB board whose PCIe Wi-Fi endpoint has memory-region = "
		"<&pcie_sr1>; running a kernel built without the option.\n"
		"Fix: enable CONFIG_DMA_RESTRICTED_POOL (it needs OF_RESERVED_MEM and SWIOTLB) "
		"in the kernel the platform file describes."),
	check_config,
    },
    {
	"restricted_pool_iommu",
	CVO_SEV_WARNING,
	"restricted",
	"a device with a restricted pool is behind an IOMMU: the pool is ignored",
	EXPLAIN("What: a device (or PCI host bridge) with a restricted-dma-pool in memory-region "
		"that is behind an IOMMU in effect (iommus, or iommu-map on the bridge, naming an "
		"available IOMMU; the platform file's iommu overrides).\n"
		"Why: of_dma_configure_id() calls of_dma_set_restricted_buffer() only when "
		"of_iommu_configure() found no IOMMU, so the pool is silently unused and the "
		"reservation wasted.\n"
		"Example: wifi { iommus = <&smmu 0x20>; memory-region = <&wifi_pool>; };\n"
		"Fix: drop one of the two protections, or mark the IOMMU disabled if the "
		"platform really has none."),
	check_iommu,
    },
    {
	"restricted_pool_multiple",
	CVO_SEV_WARNING,
	"restricted",
	"more than one restricted pool for one device: only the first is used",
	EXPLAIN("What: a node whose memory-region lists two or more available "
		"restricted-dma-pool regions.\n"
		"Why: of_dma_set_restricted_buffer() walks memory-region and attaches the first "
		"available restricted-dma-pool (\"only one restricted-dma-pool region is "
		"allowed\"); the others are reserved for nothing.\n"
		"Example: pcie { memory-region = <&sr0>, <&sr1>; }; both restricted-dma-pool.\n"
		"Fix: merge the pools into one."),
	check_multiple,
    },
    {
	"restricted_pool_coherent",
	CVO_SEV_ERROR,
	"restricted",
	"a restricted-pool device needs coherent allocations and has no no-map shared-dma-pool",
	EXPLAIN("What: an enabled, non-coherent device (or PCI host bridge) with a "
		"restricted-dma-pool attached (CONFIG_DMA_RESTRICTED_POOL, no IOMMU) and no "
		"no-map, non-reusable shared-dma-pool that serves its coherent buffers: none in "
		"memory-region, one at an entry the driver does not attach (entry 0 only, unless "
		"the platform file's attach: says otherwise), one whose driver never attaches it "
		"(virtio-mmio), or one smaller than the cma: and atomic: the platform file gives "
		"the device. Always reported where the kernel has no DMA_DIRECT_REMAP (arm); "
		"elsewhere when the platform file gives the device atomic coherent allocations.\n"
		"Why: dma_direct_alloc() carves coherent buffers out of the restricted pool and "
		"skips arch_dma_alloc() and the atomic pools for it. A non-coherent device then "
		"needs an uncached remap: arm has no DMA_DIRECT_REMAP, so on 5.15 and 6.1 the "
		"buffer comes back cacheable and the device never sees the CPU's writes (J. "
		"Quinlan, \"ARM: Select DMA_DIRECT_REMAP to fix restricted DMA\", 2023, iwlwifi "
		"on a Broadcom STB), and later kernels return NULL (\"coherent DMA allocations "
		"not supported on this platform.\"). Where the remap exists it may sleep, so "
		"atomic allocations fail. The binding (shared-dma-pool.yaml) says to add a "
		"device coherent pool for this: dma_alloc_from_dev_coherent() serves it first, "
		"each buffer as a power-of-two block, once the driver attaches it with "
		"of_reserved_mem_device_init() (entry 0). Measured with the PL111 DRM driver on "
		"QEMU's vexpress-a15 (6.1 and 6.12): no companion, one second in memory-region "
		"or one too small, and its framebuffer fails with -ENOMEM; one first and large "
		"enough, and it works.\n"
		"Example: pci-ep { memory-region = <&pcie_sr1>; }; with pcie_sr1 a "
		"restricted-dma-pool on arm.\n"
		"Fix: add a no-map shared-dma-pool within the device's reach (on arm in lowmem) "
		"as the first memory-region entry, as large as what the device allocates, or mark "
		"the device dma-coherent if it really snoops."),
	check_coherent,
    },
    {
	"restricted_pool_highmem",
	CVO_SEV_ERROR,
	"restricted",
	"arm: the restricted pool is outside the linear map",
	EXPLAIN("What: on arm, a restricted-dma-pool whose base (or any part) lies above the end "
		"of lowmem: 768 MiB above the start of RAM with CONFIG_VMSPLIT_3G and the "
		"default 240 MiB vmalloc area (arch/arm/mm/mmu.c adjust_lowmem_bounds()).\n"
		"Why: swiotlb bounces through the pool with phys_to_virt(), which only exists "
		"for lowmem. The kernel checks PageHighMem() of the base: \"Restricted DMA pool "
		"must be accessible within the linear mapping.\" (at boot before 6.1, freeing "
		"the region; at attach since, measured on 6.1.192 and 6.12.117), and the device "
		"then runs unrestricted. A pool that starts in lowmem and runs into highmem "
		"passes the check, and the first attach oopses: swiotlb clears the whole pool "
		"through phys_to_virt() (measured on both).\n"
		"Example: arm with 2 GiB from 0x80000000: pool@b0000000 { compatible = "
		"\"restricted-dma-pool\"; reg = <0xb0000000 0x400000>; };\n"
		"Fix: place the pool in the first 768 MiB of RAM (below the lowmem end in the "
		"message)."),
	check_highmem,
    },
    {0},
};
