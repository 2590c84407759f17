// SPDX-License-Identifier: MIT
/*
 * DMA reach and zones: dma-ranges as drivers/of/address.c parses it, arm64's
 * ZONE_DMA (arch/arm64/mm/init.c zone_sizes_init()) and the allocation path
 * of kernel/dma/direct.c and kernel/dma/contiguous.c.
 */
#include "semantic.h"

#define SZ_4G (UINT64_C(1) << 32)

/* of_pci_range_parser_one() and of_translate_dma_address() over every live dma-ranges. */
static void check_ranges_format(struct cvo_ctx *ctx)
{
	if (!cvo_fdt_propname_used(ctx_fdt(ctx), "dma-ranges"))
		return;
	const struct cvo_tree *t = ctx_tree(ctx);
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		const struct cvo_tree_node *d = &t->nodes[i];
		if (!(d->flags & CVO_DN_LIVE) || !(d->flags & CVO_DN_DMA_RANGES_FULL))
			continue;
		struct cvo_dma_range r[16];
		size_t n = 0;
		struct cvo_dma_ranges_shape sh;
		if (cvo_dma_ranges(t, (int)i, r, CVO_ARRAY_LEN(r), &n, &sh))
			continue;
		struct txt tp;
		const char *path = t_path(&tp, ctx_fdt(ctx), d->off);
		if (!sh.cells_ok) {
			cvo_emit(
			    ctx, CVO_SEV_ERROR, path, "dma-ranges", NULL,
			    "dma-ranges cannot be parsed with #address-cells %u (this node), %u "
			    "(the parent) and #size-cells %u: the kernel reads no usable entry",
			    sh.na, sh.pna, sh.ns);
			continue;
		}
		size_t entry = 4 * ((size_t)sh.na + sh.pna + sh.ns);
		if ((size_t)sh.len % entry)
			cvo_emit(ctx, CVO_SEV_ERROR, path, "dma-ranges", NULL,
				 "dma-ranges is %d bytes, not a multiple of its %zu-byte entry (%u "
				 "child address + %u parent address + %u size cells): the parser "
				 "ignores the last %zu bytes%s",
				 sh.len, entry, sh.na, sh.pna, sh.ns, (size_t)sh.len % entry,
				 (size_t)sh.len < entry ? ", which leaves no entry at all" : "");
		if (d->parent < 0) {
			cvo_emit(ctx, CVO_SEV_ERROR, path, "dma-ranges", NULL,
				 "non-empty dma-ranges on the root node: there is no parent bus to "
				 "translate into, so of_translate_dma_address() fails every entry "
				 "(\"translation of DMA address(...) to CPU address failed\")");
			continue;
		}
		size_t shown = n < CVO_ARRAY_LEN(r) ? n : CVO_ARRAY_LEN(r);
		for (size_t k = 0; k < shown; k++) {
			struct txt ts;
			if (r[k].cpu != CVO_OF_BAD_ADDR)
				continue;
			cvo_emit(ctx, CVO_SEV_ERROR, path, "dma-ranges", NULL,
				 "the entry at DMA address 0x%llx (%s) has a CPU address that no "
				 "dma-ranges above translates: \"translation of DMA address(%llx) "
				 "to CPU "
				 "address failed node(%s)\" and the kernel skips it",
				 (unsigned long long)r[k].bus, t_size(&ts, r[k].size),
				 (unsigned long long)r[k].bus, path);
		}
	}
}

/* zone_sizes_init(): the ZONE_DMA limit the kernel derives from DT limit L (exclusive). */
static uint64_t zone_dma_limit(const struct cvo_rules *rules, uint64_t start, uint64_t l)
{
	uint64_t zmask =
	    cvo_zone_dma_mask(rules, start, l == UINT64_MAX || !l ? UINT64_MAX : l - 1);
	return zmask == UINT64_MAX ? UINT64_MAX : zmask + 1;
}

static void check_zone_shrunk(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	const struct cvo_platform *p = ctx->p;
	if (!p || p->arch != CVO_ARCH_ARM64 || !p->config.zone_dma ||
	    !cvo_fdt_propname_used(ctx_fdt(ctx), "dma-ranges"))
		return;
	const struct cvo_tree *t = ctx_tree(ctx);
	if (!t)
		return;
	int idx;
	uint64_t l = cvo_dma_tree_max_cpu_address(t, &idx);
	if (l == UINT64_MAX || idx < 0)
		return;
	uint64_t start, end;
	cvo_ram_bounds(m, &start, &end);
	uint64_t zone, full = 0;
	if (end) {
		/* with RAM known, placement computed ZONE_DMA exactly */
		zone = ctx->pl->zone_dma_end;
		full = start <= 0xffffffffu ? (end < SZ_4G ? end : SZ_4G) : end;
		if (!zone || zone >= full)
			return;
	} else {
		zone = zone_dma_limit(ctx->rules, 0, l);
		if (zone >= SZ_4G)
			return;
	}
	struct txt tp, tz, tl, tf;
	const char *path = t_path(&tp, ctx_fdt(ctx), t->nodes[idx].off);
	char *instead = end ? cvo_asprintf(" instead of %s", t_addr(&tf, full)) : NULL;
	if (end && ctx_oom(ctx, !instead))
		return;
	cvo_emit(ctx, CVO_SEV_NOTE, path, "dma-ranges", NULL,
		 "the lowest CPU address any dma-ranges reaches in the tree is this one's (up to "
		 "%s): of_dma_get_max_cpu_address() makes arm64 ZONE_DMA end at %s%s for the whole "
		 "system%s, so the default CMA area, the swiotlb buffer and every GFP_DMA "
		 "allocation must fit below it",
		 t_addr(&tl, l - 1), t_addr(&tz, zone), instead ? instead : "",
		 ctx->rules->zone_dma_exact
		     ? ""
		     : " (kernels before 6.12 round it up to a power of two)");
	free(instead);
}

/*
 * __dma_direct_alloc_pages(): a buddy page is kept only if the device reaches
 * it; the retries use GFP_DMA32 / GFP_DMA, which only mean something with the
 * zone configured. The allocation is certain only when a configured zone lies
 * wholly within reach (or the device reaches all of RAM).
 */
static bool zone_covers(const struct cvo_placement *pl, const struct cvo_dma_info *di,
			uint64_t zend)
{
	const struct cvo_model *m = pl->model;
	if (!zend)
		return false;
	for (size_t i = 0; i < m->n_banks; i++) {
		uint64_t b = m->banks[i].base, s = m->banks[i].size;
		if (!s || b >= zend)
			continue;
		uint64_t last = cvo_range_last(b, s);
		if (last >= zend)
			s = zend - b;
		if (!cvo_dma_reaches_pages(pl, di, b, s))
			return false;
	}
	return true;
}

static bool some_zone_covers(const struct cvo_placement *pl, const struct cvo_dma_info *di)
{
	return zone_covers(pl, di, pl->zone_dma_end) || zone_covers(pl, di, pl->zone_dma32_end);
}

/* "the kernel has no ZONE_DMA or ZONE_DMA32 (...)" or where the zones end. */
static char *zone_words(const struct cvo_ctx *ctx)
{
	char origin[96];
	struct txt a, b;
	cvo_platform_origin(ctx->p, origin, sizeof(origin));
	if (!ctx->pl->zone_dma_end && !ctx->pl->zone_dma32_end)
		return cvo_asprintf(
		    "the kernel of %s has neither CONFIG_ZONE_DMA nor "
		    "CONFIG_ZONE_DMA32, so the GFP_DMA/GFP_DMA32 retries cannot help",
		    origin);
	if (ctx->pl->zone_dma_end && ctx->pl->zone_dma32_end &&
	    ctx->pl->zone_dma32_end != ctx->pl->zone_dma_end)
		return cvo_asprintf("ZONE_DMA ends at %s and ZONE_DMA32 at %s, both beyond that "
				    "reach",
				    t_addr(&a, ctx->pl->zone_dma_end),
				    t_addr(&b, ctx->pl->zone_dma32_end));
	if (ctx->pl->zone_dma_end)
		return cvo_asprintf(
		    "ZONE_DMA ends at %s, beyond that reach%s", t_addr(&a, ctx->pl->zone_dma_end),
		    ctx->p && ctx->p->config.zone_dma32 ? "" : " (no CONFIG_ZONE_DMA32)");
	return cvo_asprintf("ZONE_DMA32 ends at %s, beyond that reach%s",
			    t_addr(&a, ctx->pl->zone_dma32_end),
			    ctx->p && ctx->p->config.zone_dma ? "" : " (no CONFIG_ZONE_DMA)");
}

/* Whether the node has a live child that is a device without iommus and without a pool of
 * its own (a coherent pool or CMA region serves its allocations before the buddy allocator). */
static bool has_plain_child(const struct cvo_placement *pl, int idx)
{
	const struct cvo_model *m = pl->model;
	const struct cvo_tree *t = m->tree;
	for (size_t i = (size_t)idx + 1; i < t->n; i++) {
		const struct cvo_tree_node *c = &t->nodes[i];
		if (c->parent < idx)
			break; /* left the subtree (structure order) */
		if (c->parent != idx || !(c->flags & CVO_DN_LIVE) || (c->flags & CVO_DN_IOMMUS))
			continue;
		if ((c->flags & CVO_DN_MEMORY_REGION) &&
		    consumer_has_own_pool(pl, cvo_consumer_of(m, c->off)))
			continue;
		if (fdt_getprop(t->fdt, c->off, "compatible", NULL))
			return true;
	}
	return false;
}

static void check_mask_no_zone(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	/* arm allocates through arch/arm/mm/dma-mapping.c __dma_alloc(), which takes CMA for
	 * any size and has no reachability retry: the dma-direct reasoning does not apply */
	if (!m->n_banks || (ctx->p && ctx->p->arch == CVO_ARCH_ARM))
		return;
	bool ranges = cvo_fdt_propname_used(ctx_fdt(ctx), "dma-ranges");
	bool devices = ctx->p && ctx->p->n_devices;
	if (!ranges && !devices)
		return;
	const struct cvo_tree *t = ctx_tree(ctx);
	if (!t)
		return;
	uint64_t start, end;
	cvo_ram_bounds(m, &start, &end);
	struct txt tr, te;
	/* devices the platform file describes */
	struct cvo_dma_dev *dev = NULL;
	size_t n = 0;
	if (devices && ctx_failed(ctx, cvo_dma_devices(ctx->m, &dev, &n)))
		return;
	if (devices) {
		for (size_t i = 0; i < n; i++) {
			const struct cvo_dma_dev *e = &dev[i];
			if (e->di.iommu || e->pdev->dma_bits <= 0 || !cvo_dma_limited(&e->di))
				continue;
			if (cvo_dma_reaches_all_ram(ctx->pl, &e->di) ||
			    some_zone_covers(ctx->pl, &e->di))
				continue;
			const struct cvo_region *own = cvo_consumer_own_cma(ctx->pl, e->consumer);
			uint64_t ob, os;
			if (own && !e->pdev->atomic && cvo_region_span(ctx->pl, own, &ob, &os) &&
			    cvo_dma_reachable(&e->di, ob, os))
				continue; /* dev->cma_area serves every blocking allocation */
			if (consumer_has_own_pool(ctx->pl, e->consumer) && !own)
				continue; /* a coherent pool serves every coherent allocation */
			struct txt tp;
			char *zw = zone_words(ctx);
			if (ctx_oom(ctx, !zw))
				break;
			cvo_emit(
			    ctx, CVO_SEV_ERROR, t_path(&tp, ctx_fdt(ctx), e->node), NULL, NULL,
			    "this device is not behind an IOMMU and reaches only %s, but RAM "
			    "extends "
			    "to %s and %s: a coherent allocation of one page or less skips CMA, "
			    "the buddy allocator may return a page out of reach, and "
			    "dma_direct_alloc() then returns NULL (the qcom_scm failure on "
			    "sm8x50, 2024)",
			    t_reach(&tr, ctx, &e->di, &e->x), t_addr(&te, end - 1), zw);
			free(zw);
		}
	}
	free(dev);
	if (ctx->err)
		return;
	/* buses whose dma-ranges limit every non-IOMMU device below them */
	for (size_t i = 0; ranges && i < t->n; i++) {
		const struct cvo_tree_node *d = &t->nodes[i];
		if (!(d->flags & CVO_DN_LIVE) || !(d->flags & CVO_DN_DMA_RANGES_FULL))
			continue;
		struct cvo_dma_info di;
		struct cvo_dma_extra x;
		bool pci = cvo_dma_is_pci_host(ctx->m, d->off);
		if (pci) {
			if (cvo_dma_info_users(ctx->m, d->off, &di, &x) || di.iommu)
				continue;
		} else {
			if (!has_plain_child(ctx->pl, (int)i) ||
			    cvo_dma_info_bus(ctx->m, d->off, &di, &x))
				continue;
		}
		if (!di.has_map || cvo_dma_reaches_all_ram(ctx->pl, &di) ||
		    some_zone_covers(ctx->pl, &di))
			continue;
		struct txt tp;
		char *zw = zone_words(ctx);
		if (ctx_oom(ctx, !zw))
			return;
		cvo_emit(
		    ctx, CVO_SEV_ERROR, t_path(&tp, ctx_fdt(ctx), d->off), "dma-ranges", NULL,
		    "%s below this %s reach only %s, but RAM extends to %s and %s: their coherent "
		    "allocations of one page or less skip CMA, the buddy allocator may return a "
		    "page out of reach, and dma_direct_alloc() then returns NULL",
		    pci ? "PCI devices" : "non-IOMMU devices", pci ? "host bridge" : "bus",
		    t_reach(&tr, ctx, &di, &x), t_addr(&te, end - 1), zw);
		free(zw);
	}
}

/* dma_alloc_contiguous(): "if (size <= PAGE_SIZE) return NULL" without dev->cma_area. */
static void check_small_alloc_cma(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	const struct cvo_platform *p = ctx->p;
	if (!p || !p->n_devices || !m->n_banks || p->arch == CVO_ARCH_ARM)
		return;
	bool any = false;
	for (size_t i = 0; i < p->n_devices; i++)
		any |= p->devices[i].small_allocs == 1;
	if (!any)
		return;
	const struct cvo_tree *t = ctx_tree(ctx);
	if (!t)
		return;
	struct cvo_dma_dev *dev = NULL;
	size_t n = 0;
	if (ctx_failed(ctx, cvo_dma_devices(ctx->m, &dev, &n)))
		goto out;
	char origin[96], page[32];
	cvo_platform_origin(p, origin, sizeof(origin));
	cvo_fmt_size(p->page_size ? p->page_size : 4096, page, sizeof(page));
	for (size_t i = 0; i < n; i++) {
		const struct cvo_dma_dev *e = &dev[i];
		if (e->pdev->small_allocs != 1 || e->di.iommu ||
		    consumer_has_own_pool(ctx->pl, e->consumer))
			continue;
		if (!cvo_dma_limited(&e->di) || cvo_dma_reaches_all_ram(ctx->pl, &e->di) ||
		    some_zone_covers(ctx->pl, &e->di))
			continue;
		struct txt tp, tr;
		cvo_emit(
		    ctx, CVO_SEV_WARNING, t_path(&tp, ctx_fdt(ctx), e->node), NULL, NULL,
		    "this device makes coherent allocations of one page or less (small-allocs "
		    "in %s) and reaches only %s: dma_alloc_contiguous() skips CMA for sizes up "
		    "to PAGE_SIZE (%s) unless the device has its own CMA region, so those "
		    "allocations never come from the CMA area that lies within its reach",
		    origin, t_reach(&tr, ctx, &e->di, &e->x), page);
	}
out:
	free(dev);
}

#define EXPLAIN(...) __VA_ARGS__

const struct cvo_check cvo_checks_dma[] = {
    {
	"dma_ranges_format",
	CVO_SEV_ERROR,
	"dma",
	"dma-ranges has the wrong length, or an entry that does not translate to a CPU address",
	EXPLAIN("What: every non-empty dma-ranges in an enabled part of the tree: its length "
		"against (this node's #address-cells + the parent's #address-cells + this "
		"node's #size-cells) cells, and each entry's CPU address translated up through "
		"the dma-ranges of the DMA parents (of_translate_dma_address(); a parent without "
		"dma-ranges counts as 1:1).\n"
		"Why: of_pci_range_parser_one() silently drops a trailing partial entry; an "
		"entry whose CPU address no parent window covers is skipped with \"translation "
		"of DMA address(%llx) to CPU address failed node(%pOF)\"; if none is left, "
		"of_dma_get_range() fails and the devices below run with no bus limit and no "
		"offset, so their DMA addresses are wrong. dma-ranges on the root node can never "
		"be translated.\n"
		"Example: soc { #address-cells = <1>; #size-cells = <1>; dma-ranges = <0x0 0x0 "
		"0x40000000>; }; under a root with #address-cells = <2> (one cell short).\n"
		"Fix: write every entry as (child address, parent address, size) with the cell "
		"counts of this node and its parent, inside a window of the parent's dma-ranges."),
	check_ranges_format,
    },
    {
	"dma_zone_shrunk",
	CVO_SEV_NOTE,
	"dma",
	"one restrictive dma-ranges shrinks arm64 ZONE_DMA (and the default CMA limit) system-wide",
	EXPLAIN("What: on arm64, the dma-ranges with the lowest CPU end in the enabled tree, when "
		"it makes ZONE_DMA smaller than the usual 4 GiB (or the end of RAM).\n"
		"Why: zone_sizes_init() sets ZONE_DMA from of_dma_get_max_cpu_address(NULL), the "
		"minimum over every dma-ranges of the whole tree (rounded up to a power of two "
		"before 6.12, exact since). arm64_dma_phys_limit follows, so the default CMA area "
		"(dma_contiguous_reserve()), the swiotlb buffer and every GFP_DMA allocation "
		"must fit below it: one device's narrow bus changes memory layout for all "
		"(Raspberry Pi 4: 1 GiB).\n"
		"Example: scb { dma-ranges = <0x0 0x0 0x0 0x0 0x0 0x40000000>; }; on a board "
		"with 8 GiB.\n"
		"Fix: nothing, if that bus really is that narrow; otherwise widen its "
		"dma-ranges. Keep the default CMA size within the zone."),
	check_zone_shrunk,
    },
    {
	"dma_mask_no_zone",
	CVO_SEV_ERROR,
	"dma",
	"a non-IOMMU device reaches less than all of RAM and no zone covers its reach",
	EXPLAIN("What: devices not behind an IOMMU that reach only part of RAM (dma-bits in the "
		"platform file, or the dma-ranges of the bus or PCI host bridge above them) when "
		"neither ZONE_DMA nor ZONE_DMA32 lies wholly within that reach. Devices with a "
		"pool of their own (a coherent pool, or a CMA region within reach) are left out, "
		"and so is arm, whose __dma_alloc() (arch/arm/mm/dma-mapping.c) takes CMA for "
		"any size.\n"
		"Why: dma_alloc_contiguous() skips CMA for allocations of one page or less, so "
		"they come from the buddy allocator; __dma_direct_alloc_pages() drops a page "
		"the device cannot reach and retries with GFP_DMA32 and GFP_DMA only when "
		"CONFIG_ZONE_DMA32 / CONFIG_ZONE_DMA exist. Without a zone inside the reach the "
		"allocation returns NULL, with no message from the DMA core (qcom_scm on "
		"sm8x50 with ZONE_DMA/DMA32 off, 2024: firmware metadata below one page).\n"
		"Example: a 32-bit device (dma-bits: 32) on a board with RAM above 4 GiB and a "
		"kernel without CONFIG_ZONE_DMA32.\n"
		"Fix: enable CONFIG_ZONE_DMA32 (or ZONE_DMA) in the kernel, give the device its "
		"own CMA region within reach, or put it behind the IOMMU."),
	check_mask_no_zone,
    },
    {
	"dma_small_alloc_cma",
	CVO_SEV_WARNING,
	"dma",
	"a device making one-page allocations relies on CMA, which the kernel skips for them",
	EXPLAIN("What: a device the platform file says makes coherent allocations of one page or "
		"less (small-allocs: true), that is not behind an IOMMU, reaches only part of "
		"RAM with no zone inside its reach, and has no pool of its own (not checked on "
		"arm, whose allocator takes CMA for any size).\n"
		"Why: dma_alloc_contiguous() (kernel/dma/contiguous.c) returns NULL for size <= "
		"PAGE_SIZE unless dev->cma_area is set, \"as the addresses within one page are "
		"always contiguous\": the default CMA area, however well placed, never serves "
		"them. qcom_scm worked around it by padding requests with one page (2024).\n"
		"Example: firmware: scm { compatible = \"qcom,scm\"; }; with dma-bits: 32 and "
		"small-allocs: true on a kernel without ZONE_DMA32.\n"
		"Fix: give the device its own reusable shared-dma-pool within reach "
		"(memory-region), or enable a DMA zone that covers its reach."),
	check_small_alloc_cma,
    },
    {0},
};
