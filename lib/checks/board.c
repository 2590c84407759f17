// SPDX-License-Identifier: MIT
/*
 * Knowledge of the board: what carveout could not know about RAM, said rather than
 * silently passed over. Every placement, the default CMA area and every reach check rest on
 * the RAM the kernel sees (early_init_dt_scan_memory(), or the platform file's memory:).
 */
#include "semantic.h"

#define EXPLAIN(...) __VA_ARGS__

/* Where to report a fact about /memory: the first /memory node, else the root. */
static const char *memory_path(const struct cvo_ctx *ctx, struct txt *t)
{
	const void *fdt = ctx_fdt(ctx);
	int node;
	fdt_for_each_subnode(node, fdt, 0)
	{
		int len;
		const char *type = fdt_getprop(fdt, node, "device_type", &len);
		if (type && len > 0 && !strncmp(type, "memory", (size_t)len))
			return t_path(t, fdt, node);
	}
	return "/";
}

/* "a, b and 2 more" of the dynamic regions the kernel would place and carveout did not. */
static void unplaced(const struct cvo_placement *pl, struct sbuf *b, size_t *n)
{
	const struct cvo_model *m = pl->model;
	*n = 0;
	for (size_t i = 0; i < m->n_rmem; i++) {
		const struct cvo_region *r = &m->regions[i];
		if (!cvo_region_scanned(m, r) || r->is_static || !r->has_size ||
		    cvo_outcome(pl, r)->status == CVO_STATUS_PLACED)
			continue;
		if (*n < 4) {
			if (*n)
				sb_add(b, ", ");
			sb_add(b, r->name);
		}
		(*n)++;
	}
	if (*n > 4) {
		char more[48];
		snprintf(more, sizeof(more), " and %zu more", *n - 4);
		sb_add(b, more);
	}
}

/* early_init_dt_scan_memory() found nothing and the platform gives no memory: */
static void check_memory_unknown(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	if (m->n_banks)
		return;
	char origin[96];
	cvo_platform_origin(ctx->p, origin, sizeof(origin));
	struct sbuf b = {0};
	size_t n;
	unplaced(ctx->pl, &b, &n);
	char *left = n ? cvo_asprintf("; the dynamic region%s %s stayed unplaced",
				      n == 1 ? "" : "s", sb_str(&b))
		       : cvo_strdup("; no dynamic region waits for placement");
	if (sb_oom(ctx, &b) || ctx_oom(ctx, !left))
		goto out;
	struct txt t;
	cvo_emit(ctx, CVO_SEV_NOTE, memory_path(ctx, &t), NULL, NULL,
		 "RAM is unknown: no usable /memory node (a bootloader fills it in) and no "
		 "memory: in %s, so carveout did not run the placement of dynamic regions, the "
		 "default CMA area or any check that needs RAM (rmem_alloc_fail, "
		 "rmem_outside_memory, rmem_page_align, cma_zone_straddle, cma_unreachable, cma_undersized, "
		 "dma_mask_no_zone, dma_small_alloc_cma)%s; give the board's RAM with --memory "
		 "BASE:SIZE or memory: in a platform file",
		 origin, left);
out:
	free(left);
	free(b.s);
}

/* A /memory a firmware rewrites, or one reaching into a bus's MMIO window. */
static void check_memory_placeholder(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	if (!m->memory_placeholder)
		return;
	struct txt t, tb, tc, te;
	uint64_t start, end;
	cvo_ram_bounds(m, &start, &end);
	char *why;
	if (m->placeholder_bus >= 0)
		why = cvo_asprintf(
		    "/memory reaches into the MMIO window of %s (%s), where no RAM can be, so "
		    "carveout takes RAM to end at %s%s%s",
		    t_path(&tb, ctx_fdt(ctx), m->placeholder_bus),
		    t_range(&tc, m->placeholder_cut.base, m->placeholder_cut.size),
		    t_addr(&te, end ? end - 1 : 0), m->placeholder_firmware ? "; " : "",
		    m->placeholder_firmware ? m->placeholder_firmware : "");
	else
		why = cvo_asprintf("/memory is a placeholder %s", m->placeholder_firmware);
	if (why && m->placeholder_bus >= 0 && m->placeholder_firmware) {
		char *w2 = cvo_asprintf("%s rewrites it at boot with the real size", why);
		free(why);
		why = w2;
	} else if (m->placeholder_bus < 0 && why) {
		char *w2 = cvo_asprintf("%s rewrites at boot with the real size (up to %s here)",
					why, t_addr(&te, end ? end - 1 : 0));
		free(why);
		why = w2;
	}
	if (ctx_oom(ctx, !why))
		return;
	cvo_emit(ctx, CVO_SEV_NOTE, memory_path(ctx, &t), "reg", NULL,
		 "%s: the checks that depend on the RAM size (the placement of dynamic regions, "
		 "the default CMA area, rmem_outside_memory, cma_zone_straddle, dma_zone_shrunk, "
		 "dma_mask_no_zone, cma_unreachable) assume that RAM; give the board's RAM with "
		 "--memory BASE:SIZE or memory: in a platform file",
		 why);
	free(why);
}

const struct cvo_check cvo_checks_board[] = {
    {
	"memory_unknown",
	CVO_SEV_NOTE,
	"board",
	"RAM is unknown: placement, the default CMA area and the reach checks were not run",
	EXPLAIN("What: the DT has no usable /memory node (none, an empty reg, or a size the "
		"bootloader fills in) and neither the platform file's memory: nor --memory "
		"gives RAM.\n"
		"Why: the kernel places dynamic regions and the default CMA area in the RAM "
		"early_init_dt_scan_memory() found, and whether a device reaches a buffer "
		"depends on where RAM is. Without RAM carveout cannot simulate any of it: "
		"rmem_alloc_fail, rmem_outside_memory, cma_zone_straddle, cma_unreachable, "
		"cma_undersized, dma_mask_no_zone and dma_small_alloc_cma stay silent, and "
		"dynamic regions stay unplaced. A check that prints nothing here has not "
		"passed; it did not run. Most arm64 DTBs are of this kind: their firmware "
		"(U-Boot, TF-A, UEFI) writes /memory at boot.\n"
		"Example: memory@40000000 { device_type = \"memory\"; reg = <0x0 0x40000000 0x0 "
		"0x0>; };\n"
		"Fix: give the board's RAM: carveout check --memory 0x40000000:4G board.dtb, or "
		"memory: in a platform file (carveout-platform(5))."),
	check_memory_unknown,
    },
    {
	"memory_placeholder",
	CVO_SEV_NOTE,
	"board",
	"/memory is a firmware placeholder: the checks that depend on the RAM size say so",
	EXPLAIN("What: a /memory that is not the board's RAM: it reaches into the MMIO window "
		"of a bus's ranges without covering it (the Raspberry Pi 3's 1 GiB over its /soc "
		"window at 0x3f000000), or the board's firmware is known to rewrite it (the "
		"Raspberry Pi firmware writes the ARM's share of RAM: bcm2711-rpi.dtsi and "
		"bcm2712-rpi-5-b.dts say \"Will be filled by the bootloader\"). The part in the "
		"MMIO window is cut from RAM, since no RAM can be there.\n"
		"Why: the kernel only ever sees the /memory the firmware writes, so the placement "
		"of dynamic regions, the default CMA area, the zones and every reach check rest "
		"on a size carveout guessed from the placeholder; their findings hold for that "
		"size only.\n"
		"Example: memory@0 { device_type = \"memory\"; reg = <0x0 0x40000000>; }; with "
		"soc { ranges = <0x7e000000 0x3f000000 0x1000000>; };\n"
		"Fix: nothing in the DT; give the real RAM with --memory BASE:SIZE or memory: in "
		"a platform file to check a given board."),
	check_memory_placeholder,
    },
    {0},
};
