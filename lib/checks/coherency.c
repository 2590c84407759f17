// SPDX-License-Identifier: MIT
/*
 * Coherency: of_dma_is_coherent() (drivers/of/address.c) against what the
 * platform file says the hardware does, and arm's pre-allocated atomic pool
 * (arch/arm/mm/dma-mapping.c).
 */
#include "semantic.h"

/* DEFAULT_DMA_COHERENT_POOL_SIZE (arch/arm/mm/dma-mapping.c): "coherent_pool=" overrides */
#define ARM_ATOMIC_POOL_DEFAULT (256 * 1024)

static void check_conflict(struct cvo_ctx *ctx)
{
	if (!cvo_fdt_propname_used(ctx_fdt(ctx), "dma-noncoherent") ||
	    !cvo_fdt_propname_used(ctx_fdt(ctx), "dma-coherent"))
		return;
	const struct cvo_tree *t = ctx_tree(ctx);
	if (!t)
		return;
	const uint32_t both = CVO_DN_DMA_COHERENT | CVO_DN_DMA_NONCOHERENT;
	for (size_t i = 0; i < t->n; i++) {
		const struct cvo_tree_node *d = &t->nodes[i];
		if (!(d->flags & CVO_DN_LIVE) || (d->flags & both) != both)
			continue;
		struct txt tp;
		cvo_emit(ctx, CVO_SEV_ERROR, t_path(&tp, ctx_fdt(ctx), d->off), "dma-noncoherent",
			 NULL,
			 "both dma-coherent and dma-noncoherent: of_dma_is_coherent() stops at "
			 "dma-coherent, so the kernel treats %s as coherent whatever the hardware "
			 "does",
			 d->parent >= 0 && !(t->nodes[d->parent].flags & CVO_DN_PCI)
			     ? "this node and every device below it"
			     : "this node");
	}
}

/* Why the DT makes a device (non-)coherent, for messages. */
static char *coherency_source(const struct cvo_ctx *ctx, const struct cvo_dma_info *di,
			      const struct cvo_dma_extra *x, int node)
{
	struct txt tp, tb;
	const char *bridge = x->pci ? t_path(&tb, ctx_fdt(ctx), x->config_node) : NULL;
	char via[400] = "";
	if (bridge)
		snprintf(via, sizeof(via), "; a PCI function takes its host bridge %s's setting",
			 bridge);
	if (!di->coherent_from_default) {
		const char *prop = di->coherent ? "dma-coherent" : "dma-noncoherent";
		if (di->coherent_node == node)
			return cvo_asprintf("%s on the node%s", prop, via);
		return cvo_asprintf("%s on %s%s", prop,
				    t_path(&tp, ctx_fdt(ctx), di->coherent_node), via);
	}
	return cvo_asprintf("neither dma-coherent nor dma-noncoherent on it or its DMA parents, so "
			    "the %s default applies: %s%s",
			    ctx_arch(ctx), di->coherent ? "coherent" : "non-coherent", via);
}

static void check_mismatch(struct cvo_ctx *ctx)
{
	const struct cvo_platform *p = ctx->p;
	if (!p || !p->n_devices)
		return;
	bool any = false;
	for (size_t i = 0; i < p->n_devices; i++)
		any |= p->devices[i].coherent != CVO_UNSET;
	if (!any)
		return;
	const struct cvo_tree *t = ctx_tree(ctx);
	if (!t)
		return;
	struct cvo_dma_dev *dev = NULL;
	size_t n = 0;
	if (ctx_failed(ctx, cvo_dma_devices(ctx->m, &dev, &n)))
		goto out;
	char origin[96];
	cvo_platform_origin(p, origin, sizeof(origin));
	for (size_t i = 0; i < n; i++) {
		const struct cvo_dma_dev *e = &dev[i];
		if (e->pdev->coherent == CVO_UNSET || (e->pdev->coherent != 0) == e->di.coherent)
			continue;
		struct txt tp;
		const char *path = t_path(&tp, ctx_fdt(ctx), e->node);
		char *src = coherency_source(ctx, &e->di, &e->x, e->node);
		if (ctx_oom(ctx, !src))
			break;
		if (e->pdev->coherent) {
			/* COH-FAIL-MODES: snooping or cacheable firmware, non-coherent DT */
			bool zeroing = p->arch == CVO_ARCH_ARM64 &&
				       ctx->rules->prep_coherent_clean_only &&
				       p->config.init_on_alloc_default_on == 1;
			cvo_emit(
			    ctx, CVO_SEV_ERROR, path, NULL, NULL,
			    "%s says this device reads and writes buffers cacheably (coherent: "
			    "true) but the DT makes it non-coherent (%s): the kernel hands it "
			    "uncached remaps and relies on cache maintenance, so it sees stale "
			    "cache lines instead of what the CPU wrote%s",
			    origin, src,
			    zeroing ? "; with CONFIG_INIT_ON_ALLOC_DEFAULT_ON=y the zeroing goes "
				      "through the cacheable alias and since 6.4 "
				      "arch_dma_prep_coherent() only cleans, so the device reads "
				      "zeros (sc7180: \"qcom_scm firmware:scm: Assign memory "
				      "protection call failed -22\")"
				    : "");
		} else {
			cvo_emit(
			    ctx, CVO_SEV_ERROR, path,
			    e->di.coherent_node == e->node ? "dma-coherent" : NULL, NULL,
			    "%s says this device does not snoop CPU caches (coherent: false) but "
			    "the DT makes it coherent (%s): the kernel skips cache maintenance, so "
			    "the device reads stale RAM and its writes are hidden by stale cache "
			    "lines",
			    origin, src);
		}
		free(src);
	}
out:
	free(dev);
}

/* arm's atomic_pool (arch/arm/mm/dma-mapping.c __alloc_from_pool()): non-blocking
 * coherent allocations of non-coherent devices, with or without an IOMMU. */
static void check_atomic_pool(struct cvo_ctx *ctx)
{
	const struct cvo_platform *p = ctx->p;
	if (!p || p->arch != CVO_ARCH_ARM || !p->n_devices)
		return;
	bool any = false;
	for (size_t i = 0; i < p->n_devices; i++)
		any |= p->devices[i].atomic > 0;
	if (!any)
		return;
	const struct cvo_tree *t = ctx_tree(ctx);
	if (!t)
		return;
	struct cvo_dma_dev *dev = NULL;
	size_t n = 0;
	if (ctx_failed(ctx, cvo_dma_devices(ctx->m, &dev, &n)))
		goto out;
	uint64_t pool = p->has_coherent_pool ? p->coherent_pool : ARM_ATOMIC_POOL_DEFAULT;
	uint64_t need = 0;
	int first = -1;
	struct sbuf list = {0};
	const char *rel[9] = {NULL};
	char rels[8][128];
	size_t nrel = 0;
	for (size_t i = 0; i < n; i++) {
		const struct cvo_dma_dev *e = &dev[i];
		if (!e->pdev->atomic || e->di.coherent)
			continue;
		uint64_t a = e->pdev->atomic;
		need = need > UINT64_MAX - a ? UINT64_MAX : need + a;
		struct txt tp, ts;
		const char *path = t_path(&tp, ctx_fdt(ctx), e->node);
		if (first < 0)
			first = e->node;
		else if (nrel < 8)
			rel[nrel] = strcpy(rels[nrel], strlen(path) < sizeof(rels[0]) ? path : "?"),
			nrel++;
		if (list.len)
			sb_add(&list, ", ");
		sb_add(&list, path);
		sb_add(&list, " ");
		sb_add(&list, t_size(&ts, a));
	}
	if (!sb_oom(ctx, &list) && first >= 0 && need > pool) {
		char origin[96];
		struct txt tp, tn, tq;
		cvo_platform_origin(p, origin, sizeof(origin));
		char *poolw = p->has_coherent_pool
				  ? cvo_asprintf("%s (coherent_pool= on the command line of %s",
						 t_size(&tq, pool), origin)
				  : cvo_asprintf("%s (the kernel default: no coherent_pool= on the "
						 "command line of %s",
						 t_size(&tq, pool), origin);
		if (ctx_oom(ctx, !poolw))
			goto pool_out;
		cvo_emit(ctx, CVO_SEV_WARNING, t_path(&tp, ctx_fdt(ctx), first), NULL,
			 nrel ? rel : NULL,
			 "non-coherent devices make %s of atomic coherent allocations (%s; atomic: "
			 "in %s) but arm's atomic pool is %s; \"DMA: preallocated %s pool for "
			 "atomic coherent allocations\"): once it is used up, dma_alloc_coherent() "
			 "with GFP_ATOMIC fails",
			 t_size(&tn, need), sb_str(&list), origin, poolw,
			 cvo_fmt_size(pool, tq.s, sizeof(tq.s)));
pool_out:
		free(poolw);
	}
	free(list.s);
out:
	free(dev);
}

#define EXPLAIN(...) __VA_ARGS__

const struct cvo_check cvo_checks_coherency[] = {
    {
	"dma_coherent_conflict",
	CVO_SEV_ERROR,
	"coherency",
	"dma-coherent and dma-noncoherent on one node",
	EXPLAIN("What: an enabled node with both dma-coherent and dma-noncoherent.\n"
		"Why: of_dma_is_coherent() (drivers/of/address.c) returns at the first flag it "
		"checks, and it checks dma-coherent first: the node, and every device below it "
		"that inherits from it, is treated as coherent. One of the two is wrong, and a "
		"wrong dma-coherent means stale data in both directions.\n"
		"Example: pcie@1000 { dma-coherent; dma-noncoherent; };\n"
		"Fix: keep the one that matches the hardware."),
	check_conflict,
    },
    {
	"dma_coherent_mismatch",
	CVO_SEV_ERROR,
	"coherency",
	"the effective coherency (node, parents, arch default) differs from the platform's "
	"coherent:",
	EXPLAIN("What: for each device the platform file gives coherent: true or false, the "
		"coherency the kernel derives from the DT: the first dma-coherent or "
		"dma-noncoherent on the node or its DMA parents (a PCI function takes its host "
		"bridge's), else the arch default (riscv and powerpc coherent, arm and arm64 "
		"not).\n"
		"Why: for a device marked non-coherent the kernel hands out uncached remaps and "
		"cleans/invalidates around transfers; for a coherent one it does neither. A "
		"snooping device (or firmware mapping buffers cacheably) described as "
		"non-coherent reads stale lines: on sc7180 with kernel 6.4+ (clean-only "
		"arch_dma_prep_coherent(), 7bd6680b47fa) and CONFIG_INIT_ON_ALLOC_DEFAULT_ON=y "
		"the SCM firmware read the zeroes of the cacheable alias: \"qcom_scm "
		"firmware:scm: Assign memory protection call failed -22\", \"qcom_rmtfs_mem "
		"94600000.memory: assign memory failed\", no Wi-Fi; fixed by &scm { "
		"dma-coherent; }. The reverse (dma-coherent on a non-snooping device) loses "
		"CPU writes and hides device writes; SC8280XP PCIe needed dma-coherent "
		"(\"nvme nvme0: invalid id %d completed on queue %d\").\n"
		"Example: firmware { scm { compatible = \"qcom,scm-sc7180\", \"qcom,scm\"; }; }; "
		"with coherent: true for qcom,scm.\n"
		"Fix: add dma-coherent (or dma-noncoherent) to the node, or to the bus node that "
		"covers all its devices."),
	check_mismatch,
    },
    {
	"atomic_pool_undersized",
	CVO_SEV_WARNING,
	"coherency",
	"arm: atomic coherent demand of non-coherent devices exceeds coherent_pool",
	EXPLAIN("What: on arm, the sum of atomic: (coherent allocations made where sleeping is "
		"not allowed) of the non-coherent devices in the platform file, against the "
		"atomic pool: coherent_pool= on the command line, else 256 KiB.\n"
		"Why: arm cannot remap memory uncached in atomic context (remapping allocates "
		"page tables), so arch/arm/mm/dma-mapping.c pre-allocates one pool at boot "
		"(\"DMA: preallocated 256 KiB pool for atomic coherent allocations\") and serves "
		"every GFP_ATOMIC coherent allocation of a non-coherent device from it, with or "
		"without an IOMMU. When it is exhausted the allocation fails; the pool never "
		"grows (R. King, \"using DMA-API on ARM\", 2014).\n"
		"Example: two USB host controllers with atomic: 256K each and no coherent_pool=.\n"
		"Fix: add coherent_pool=SIZE to the kernel command line (and the platform "
		"file's cmdline)."),
	check_atomic_pool,
    },
    {0},
};
