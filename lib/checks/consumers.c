// SPDX-License-Identifier: MIT
/*
 * Consumers: nodes with memory-region, as drivers/of/of_reserved_mem.c
 * (of_reserved_mem_device_init_by_idx()), kernel/dma/coherent.c and the DMA
 * mapping code treat them.
 */
#include "semantic.h"

/* of_reserved_mem_device_init_by_idx(): phandle -> node -> recorded region */
static void check_target(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	if (!m->n_consumers)
		return;
	const struct cvo_tree *t = ctx_tree(ctx);
	if (!t)
		return;
	for (size_t k = 0; k < m->n_consumers; k++) {
		const struct cvo_consumer *c = &m->consumers[k];
		if (!consumer_live(t, c))
			continue;
		if (!c->cells_ok) {
			int len = 0;
			fdt_getprop(ctx_fdt(ctx), c->node, "memory-region", &len);
			cvo_emit(
			    ctx, CVO_SEV_ERROR, c->path, "memory-region", NULL,
			    "memory-region is %d bytes, not a whole number of 4-byte phandles: "
			    "the last entry cannot be parsed",
			    len);
		}
		for (size_t i = 0; i < c->n; i++) {
			struct txt tp;
			if (c->target_nodes[i] < 0) {
				cvo_emit(
				    ctx, CVO_SEV_ERROR, c->path, "memory-region", NULL,
				    "entry %zu: phandle 0x%x names no node: "
				    "of_reserved_mem_device_init_by_idx() fails with -ENODEV and "
				    "the device gets no region",
				    i, c->phandles[i]);
				continue;
			}
			if (consumer_target(m, c, i))
				continue;
			const char *tgt = t_path(&tp, ctx_fdt(ctx), c->target_nodes[i]);
			const char *rel[] = {tgt, NULL};
			cvo_emit(
			    ctx, CVO_SEV_ERROR, c->path, "memory-region", rel,
			    "entry %zu points at %s, which is not a /reserved-memory child: the "
			    "kernel never recorded it as a region, so attaching it fails with "
			    "-EINVAL (and the memory is not reserved)",
			    i, tgt);
		}
	}
}

static void check_disabled(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	if (!m->n_consumers)
		return;
	const struct cvo_tree *t = ctx_tree(ctx);
	if (!t)
		return;
	for (size_t k = 0; k < m->n_consumers; k++) {
		const struct cvo_consumer *c = &m->consumers[k];
		if (!consumer_live(t, c))
			continue;
		for (size_t i = 0; i < c->n; i++) {
			const struct cvo_region *r = consumer_target(m, c, i);
			if (!r || r->available)
				continue;
			const char *rel[] = {r->path, NULL};
			cvo_emit(
			    ctx, CVO_SEV_WARNING, c->path, "memory-region", rel,
			    "entry %zu is %s, which is disabled: the kernel does not reserve it "
			    "(the memory stays ordinary RAM) and "
			    "of_reserved_mem_device_init_by_idx() returns 0 without attaching "
			    "anything, so the driver silently runs without it",
			    i, r->path);
		}
	}
}

static void check_names(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	if (!m->n_consumers)
		return;
	const struct cvo_tree *t = ctx_tree(ctx);
	if (!t)
		return;
	for (size_t k = 0; k < m->n_consumers; k++) {
		const struct cvo_consumer *c = &m->consumers[k];
		if (!consumer_live(t, c) || c->n_names == -1)
			continue;
		if (c->n_names < -1)
			cvo_emit(ctx, CVO_SEV_WARNING, c->path, "memory-region-names", NULL,
				 "memory-region-names is not a list of NUL-terminated strings: "
				 "of_reserved_mem_device_init_by_name() finds no entry by name");
		else if ((size_t)c->n_names < c->n)
			cvo_emit(ctx, CVO_SEV_WARNING, c->path, "memory-region-names", NULL,
				 "%d name%s for %zu memory-region entries: the entries after the "
				 "first %d have no name, so a driver that looks them up by name "
				 "(of_reserved_mem_device_init_by_name()) does not find them",
				 c->n_names, c->n_names == 1 ? "" : "s", c->n, c->n_names);
		else if ((size_t)c->n_names > c->n)
			cvo_emit(
			    ctx, CVO_SEV_WARNING, c->path, "memory-region-names", NULL,
			    "%d names for %zu memory-region entr%s: the names after the first %zu "
			    "point past the last phandle, so looking them up by name "
			    "(of_reserved_mem_device_init_by_name()) fails with -ENODEV",
			    c->n_names, c->n, c->n == 1 ? "y" : "ies", c->n);
	}
}

/* What goes wrong when a region of this kind is out of reach. */
static const char *unreachable_effect(const struct cvo_model *m, const struct cvo_region *r)
{
	if (r->compat_restricted_dma_pool)
		return "every bounce buffer in it is out of reach (\"swiotlb addr ... overflow\") "
		       "and the mapping fails";
	if (cvo_region_is_cma(m, r))
		return "dma_alloc_coherent() drops every CMA page it cannot reach "
		       "(dma_coherent_ok()) and falls back to the buddy allocator";
	if (cvo_region_is_coherent_pool(m, r))
		return "the coherent pool still attaches (only \"reserved memory is beyond "
		       "device's set DMA address range\" is printed) and hands out buffers the "
		       "device cannot address";
	return "the device cannot address the buffers it is given there";
}

/* dma_capable() / dma_coherent_ok(): the region against the device's reach */
static void check_unreachable(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	if (!m->n_consumers)
		return;
	/* nothing limits any device when no node has dma-ranges and no dma-bits is set */
	if (!cvo_fdt_propname_used(ctx_fdt(ctx), "dma-ranges") && !platform_has_dma_bits(ctx->p))
		return;
	const struct cvo_tree *t = ctx_tree(ctx);
	if (!t)
		return;
	for (size_t k = 0; k < m->n_consumers; k++) {
		const struct cvo_consumer *c = &m->consumers[k];
		if (!consumer_live(t, c))
			continue;
		struct cvo_dma_info di;
		struct cvo_dma_extra x;
		if (cvo_dma_info_ex(ctx->m, c->node, &di, &x) || di.iommu || !cvo_dma_limited(&di))
			continue;
		for (size_t i = 0; i < c->n; i++) {
			const struct cvo_region *r = consumer_target(m, c, i);
			uint64_t base, size;
			if (!r || !cvo_region_live_span(ctx->pl, r, &base, &size))
				continue;
			uint64_t ok = cvo_dma_reachable_bytes(&di, base, size);
			if (ok == size)
				continue;
			struct txt tr, tw, ts;
			const char *rel[] = {r->path, NULL};
			const char *where = r->is_static ? "" : " (where the kernel places it)";
			if (ok)
				cvo_emit(ctx, CVO_SEV_ERROR, c->path, "memory-region", rel,
					 "%s (%s)%s lies partly beyond this device's reach: it "
					 "reaches only %s, %s of the region; %s",
					 r->path, t_range(&tr, base, size), where,
					 t_reach(&tw, ctx, &di, &x), t_size(&ts, ok),
					 unreachable_effect(m, r));
			else
				cvo_emit(ctx, CVO_SEV_ERROR, c->path, "memory-region", rel,
					 "%s (%s)%s lies beyond this device's reach: it reaches "
					 "only %s, and %s",
					 r->path, t_range(&tr, base, size), where,
					 t_reach(&tw, ctx, &di, &x), unreachable_effect(m, r));
		}
	}
}

/* dma_assign_coherent_memory(): one dev->dma_mem per device */
static void check_coherent_multiple(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	if (!m->n_consumers)
		return;
	const struct cvo_tree *t = ctx_tree(ctx);
	if (!t)
		return;
	for (size_t k = 0; k < m->n_consumers; k++) {
		const struct cvo_consumer *c = &m->consumers[k];
		if (!consumer_live(t, c))
			continue;
		const struct cvo_region *first = NULL;
		size_t n = 0;
		char names[256] = "";
		size_t off = 0;
		for (size_t i = 0; i < c->n; i++) {
			const struct cvo_region *r = consumer_target(m, c, i);
			if (!r || !cvo_region_scanned(m, r) || !cvo_region_alive(ctx->pl, r) ||
			    !cvo_region_is_coherent_pool(m, r) || !consumer_attaches(ctx, c, i))
				continue;
			bool dup = false;
			for (size_t j = 0; j < i; j++)
				dup |= consumer_target(m, c, j) == r;
			if (dup)
				continue;
			if (!first)
				first = r;
			if (off < sizeof(names))
				off += (size_t)snprintf(names + off, sizeof(names) - off, "%s%s",
							n ? ", " : "", r->path);
			n++;
		}
		if (n < 2)
			continue;
		const char *rel[] = {first->path, NULL};
		char origin[96];
		cvo_platform_origin(ctx->p, origin, sizeof(origin));
		cvo_emit(ctx, CVO_SEV_WARNING, c->path, "memory-region", rel,
			 "the driver attaches %zu coherent pools to this device (%s; attach: in "
			 "%s): a device holds one (dev->dma_mem), so the second attach fails with "
			 "-EBUSY (dma_assign_coherent_memory()) and the driver gets no pool from it",
			 n, names, origin);
	}
}

/* dma_alloc_attrs(): dma_alloc_from_dev_coherent() runs before the IOMMU path */
static void check_coherent_iommu(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	if (!m->n_consumers)
		return;
	if (!cvo_fdt_propname_used(ctx_fdt(ctx), "iommus") &&
	    !cvo_fdt_propname_used(ctx_fdt(ctx), "iommu-map") && !platform_has_iommu(ctx->p))
		return;
	const struct cvo_tree *t = ctx_tree(ctx);
	if (!t)
		return;
	for (size_t k = 0; k < m->n_consumers; k++) {
		const struct cvo_consumer *c = &m->consumers[k];
		if (!consumer_live(t, c))
			continue;
		const struct cvo_region *pool = NULL;
		for (size_t i = 0; i < c->n && !pool; i++) {
			const struct cvo_region *r = consumer_target(m, c, i);
			if (r && cvo_region_scanned(m, r) && cvo_region_alive(ctx->pl, r) &&
			    cvo_region_is_coherent_pool(m, r) && consumer_attaches(ctx, c, i))
				pool = r;
		}
		if (!pool)
			continue;
		struct cvo_dma_info di;
		struct cvo_dma_extra x;
		if (cvo_dma_info_ex(ctx->m, c->node, &di, &x) || !di.iommu)
			continue;
		struct txt ti;
		const char *rel[] = {pool->path, NULL};
		const char *by = x.iommu_from_platform ? "the platform file says iommu: true"
						       : t_path(&ti, ctx_fdt(ctx), x.iommu_node);
		if (consumer_attach_entry(ctx, c)) {
			char origin[96];
			cvo_platform_origin(ctx->p, origin, sizeof(origin));
			cvo_emit(ctx, CVO_SEV_WARNING, c->path, "memory-region", rel,
				 "%s is a coherent pool the driver attaches (attach: in %s) but the "
				 "device is behind an IOMMU (%s): dma_alloc_coherent() serves every "
				 "buffer from the pool and returns the pool's bus address, not an IOVA "
				 "the IOMMU maps, so the device faults or hits the wrong memory",
				 pool->path, origin, by);
		} else {
			/* drivers that support an IOMMU mostly leave their pools alone behind
			 * one (s5p-mfc): whether this one attaches is the driver's choice */
			cvo_emit(ctx, CVO_SEV_NOTE, c->path, "memory-region", rel,
				 "%s is a coherent pool and the device is behind an IOMMU (%s): if "
				 "the driver attaches it (of_reserved_mem_device_init()), "
				 "dma_alloc_coherent() returns the pool's bus address, not an IOVA, "
				 "and the device faults; drivers such as Exynos MFC leave their pools "
				 "unused behind an IOMMU (say attach: in the platform file to decide)",
				 pool->path, by);
		}
	}
}

/* A region handed to firmware or another processor by physical address. */
static void check_firmware_map(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	const struct cvo_platform *p = ctx->p;
	if (!m->n_consumers || !p || !p->n_devices)
		return;
	const struct cvo_tree *t = ctx_tree(ctx);
	if (!t)
		return;
	char origin[96];
	cvo_platform_origin(p, origin, sizeof(origin));
	for (size_t k = 0; k < m->n_consumers; k++) {
		const struct cvo_consumer *c = &m->consumers[k];
		if (!consumer_live(t, c))
			continue;
		const struct cvo_platform_device *d =
		    cvo_platform_device_for(p, ctx_fdt(ctx), c->node);
		if (!d || d->firmware_owned != 1)
			continue;
		for (size_t i = 0; i < c->n; i++) {
			const struct cvo_region *r = consumer_target(m, c, i);
			if (!r || !cvo_region_scanned(m, r) || r->no_map)
				continue;
			bool dup = false;
			for (size_t j = 0; j < i; j++)
				dup |= consumer_target(m, c, j) == r;
			if (dup)
				continue;
			const char *rel[] = {c->path, NULL};
			cvo_emit(
			    ctx, CVO_SEV_WARNING, r->path, NULL, rel,
			    "%s hands this region to firmware or a remote processor "
			    "(firmware-owned in %s) but it has no no-map: the kernel keeps it "
			    "in its cacheable linear map, so speculative reads and dirty cache "
			    "lines reach memory the other side owns (access violations once it "
			    "is protected, stale or corrupted data)",
			    c->path, origin);
		}
	}
}

#define EXPLAIN(...) __VA_ARGS__

const struct cvo_check cvo_checks_consumers[] = {
    {
	"memory_region_target",
	CVO_SEV_ERROR,
	"consumers",
	"a memory-region phandle does not resolve, or points outside /reserved-memory",
	EXPLAIN("What: every memory-region entry of an enabled node must be the phandle of a "
		"/reserved-memory child, and the property a whole number of phandles.\n"
		"Why: of_reserved_mem_device_init_by_idx() (drivers/of/of_reserved_mem.c) "
		"parses the phandle (-ENODEV when it names no node) and looks the node up among "
		"the regions recorded at boot; a node outside /reserved-memory was never "
		"recorded, so the call fails with -EINVAL and nothing reserved the memory. "
		"Kernels from about 6.13 look regions up by node name, so such a node can even "
		"match an unrelated region of the same name.\n"
		"Example: dev { memory-region = <&fb_mem>; }; where fb_mem is a node under /soc.\n"
		"Fix: move the carve-out under /reserved-memory (with reg or size) and point "
		"memory-region at it."),
	check_target,
    },
    {
	"memory_region_disabled",
	CVO_SEV_WARNING,
	"consumers",
	"a memory-region target is disabled: the driver silently gets no pool",
	EXPLAIN("What: an enabled node's memory-region names a /reserved-memory child whose "
		"status is not okay.\n"
		"Why: fdt_scan_reserved_mem() skips unavailable children, so the memory is not "
		"reserved and stays ordinary RAM. of_reserved_mem_device_init_by_idx() then "
		"returns 0 without attaching anything: the driver carries on with default DMA "
		"memory and no error is printed. Drivers that read the region's reg themselves "
		"(remote processors, framebuffers) use memory Linux also hands out.\n"
		"Example: vpu_mem: vpu@90000000 { reg = <...>; no-map; status = \"disabled\"; }; "
		"vpu { memory-region = <&vpu_mem>; };\n"
		"Fix: enable the region wherever the consumer is enabled (or disable both)."),
	check_disabled,
    },
    {
	"memory_region_names",
	CVO_SEV_WARNING,
	"consumers",
	"memory-region-names count differs from memory-region",
	EXPLAIN("What: memory-region-names must have one string per memory-region entry.\n"
		"Why: of_reserved_mem_device_init_by_name() turns a name into an index into "
		"memory-region; when the lists differ in length a name either points past the "
		"last phandle (-ENODEV) or entries stay unnamed, and drivers that look regions "
		"up by name get the wrong one or none.\n"
		"Example: memory-region = <&a>, <&b>; memory-region-names = \"a\";\n"
		"Fix: give every entry a name, in the same order."),
	check_names,
    },
    {
	"memory_region_unreachable",
	CVO_SEV_ERROR,
	"consumers",
	"a (placed) memory-region target lies beyond the reach of its non-IOMMU device",
	EXPLAIN("What: each region an enabled device uses through memory-region, where it is "
		"(its reg, or where the kernel places a dynamic one), against what the device "
		"reaches: the dma-ranges windows of its DMA parents (of_dma_get_range()) "
		"narrowed by the platform file's dma-bits. Devices behind an IOMMU are skipped.\n"
		"Why: the kernel enforces min(mask, bus_dma_limit) on every buffer "
		"(dma_capable(), dma_coherent_ok()), and a physical address outside every "
		"dma-ranges window has no DMA address at all. A restricted pool out of reach "
		"fails every mapping (\"swiotlb addr ... overflow\"); a coherent pool attaches "
		"with only \"reserved memory is beyond device's set DMA address range\" and "
		"then hands out unusable buffers; CMA pages out of reach are dropped.\n"
		"Example: soc { dma-ranges = <0x0 0x0 0x0 0x40000000>; dev { memory-region = "
		"<&pool>; }; }; with pool placed at 0x1_0000_0000.\n"
		"Fix: move the region below the limit (reg, or alloc-ranges for a dynamic one), "
		"or correct dma-ranges/dma-bits if the device really reaches further."),
	check_unreachable,
    },
    {
	"coherent_pool_multiple",
	CVO_SEV_WARNING,
	"consumers",
	"more than one coherent pool for one device: the second attach fails with -EBUSY",
	EXPLAIN("What: a node whose driver attaches two or more shared-dma-pool regions that "
		"become per-device coherent pools (not reusable). Which memory-region entries a "
		"driver attaches is the platform file's attach: (a list of indices, or all); "
		"without it only entry 0, which is what of_reserved_mem_device_init() does, so "
		"this check needs attach: to speak.\n"
		"Why: a device has a single dev->dma_mem; dma_assign_coherent_memory() "
		"(kernel/dma/coherent.c) returns -EBUSY for a second one, so a driver that "
		"attaches both to the device fails at the second. Drivers that hand the extra "
		"pools to child devices (Exynos MFC), map them as carve-outs themselves "
		"(remoteproc: stm32 M4, TI R5F and DSP, MediaTek ADSP) or look them up "
		"(QMan) attach index 0 only.\n"
		"Example: dev { memory-region = <&pool_a>, <&pool_b>; };\n"
		"Fix: one coherent pool per device; split the device into children or merge the "
		"pools."),
	check_coherent_multiple,
    },
    {
	"coherent_pool_iommu",
	CVO_SEV_WARNING,
	"consumers",
	"a coherent pool on a device behind an IOMMU hands out physical, not IOVA, addresses",
	EXPLAIN("What: a device behind an IOMMU in effect (iommus or iommu-map naming an "
		"available IOMMU, or iommu: true in the platform file) with a coherent "
		"shared-dma-pool in memory-region.\n"
		"Why: dma_alloc_attrs() serves every coherent allocation from the per-device "
		"pool first (dma_alloc_from_dev_coherent()) and returns the pool's bus address "
		"(dma-ranges applied), never an IOVA: the IOMMU has no mapping for it, so the "
		"device faults or reaches other memory. The pool also bypasses the isolation "
		"the IOMMU gives. It only happens if the driver attaches the pool (some, like "
		"Exynos MFC, use their pools only when no IOMMU is present): a warning when the "
		"platform file's attach: says the driver attaches it, a note otherwise (entry 0 "
		"is what of_reserved_mem_device_init() would attach). (Inferred from the code; "
		"no public report found.)\n"
		"Example: gpu { iommus = <&smmu 0x10>; memory-region = <&gpu_pool>; }; with "
		"gpu_pool a no-map shared-dma-pool.\n"
		"Fix: drop the pool (the IOMMU already gives contiguous IOVA), or describe the "
		"region with iommu-addresses so the IOMMU maps it 1:1."),
	check_coherent_iommu,
    },
    {
	"memory_region_firmware_map",
	CVO_SEV_WARNING,
	"consumers",
	"a region handed to firmware or a remote processor is not no-map",
	EXPLAIN("What: a device that the platform file marks firmware-owned (it hands its "
		"memory-region to another processor or the secure world by physical address) "
		"uses a region without no-map.\n"
		"Why: without no-map the region stays in the kernel's cacheable linear map. "
		"Speculative reads and cache evictions can touch it at any time: once the "
		"remote side or TrustZone protects the range (Qualcomm XPU, assign-mem) that is "
		"an access violation or a reset, and data written by the other side can be "
		"hidden by stale cache lines. The venus thread (2017) spells out that such "
		"memory must not be mapped to the kernel.\n"
		"Example: mpss_mem: mpss@8b800000 { reg = <0x0 0x8b800000 0x0 0xf600000>; }; "
		"with the modem remoteproc marked firmware-owned.\n"
		"Fix: add no-map to the region."),
	check_firmware_map,
    },
    {0},
};
