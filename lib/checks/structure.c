// SPDX-License-Identifier: MIT
/*
 * Structure of /reserved-memory and /memory: what the kernel's early FDT scan
 * (drivers/of/fdt.c, drivers/of/of_reserved_mem.c) refuses, skips or
 * misreads before any placement happens.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "../address.h"
#include "checks.h"


static const void *fdt_of(struct cvo_ctx *ctx)
{
	return ctx->m->blob->fdt;
}

/* /reserved-memory is found with fdt_path_offset(fdt, "/reserved-memory"): a direct child of
 * the root (possibly with a unit address), so its path is "/" + its name. */
static const char *rmem_path(struct cvo_ctx *ctx, char *buf, size_t len)
{
	const char *name = fdt_get_name(fdt_of(ctx), ctx->m->rmem_node, NULL);
	snprintf(buf, len, "/%s", name ? name : "reserved-memory");
	return buf;
}

/* __reserved_mem_check_root() */
static void check_node_format(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	const void *fdt = fdt_of(ctx);
	if (m->rmem_node < 0)
		return;
	char path[512];
	rmem_path(ctx, path, sizeof(path));
	uint32_t v;
	static const char *const names[] = { "#address-cells", "#size-cells" };
	const uint32_t want[] = { m->root_addr_cells, m->root_size_cells };
	bool bad = false;
	for (size_t i = 0; i < 2; i++) {
		if (!cvo_fdt_u32(fdt, m->rmem_node, names[i], &v)) {
			cvo_emit(ctx, CVO_SEV_ERROR, path, names[i], NULL,
				 "%s is missing (the root has %u): the kernel ignores every "
				 "reserved-memory child (\"unsupported node format, ignoring\")",
				 names[i], want[i]);
			bad = true;
		} else if (v != want[i]) {
			cvo_emit(ctx, CVO_SEV_ERROR, path, names[i], NULL,
				 "%s is %u but the root's is %u: the kernel ignores every "
				 "reserved-memory child (\"unsupported node format, ignoring\")",
				 names[i], v, want[i]);
			bad = true;
		}
	}
	if (!cvo_fdt_has(fdt, m->rmem_node, "ranges")) {
		cvo_emit(ctx, CVO_SEV_ERROR, path, NULL, NULL,
			 "no ranges property: the kernel ignores every reserved-memory child "
			 "(\"unsupported node format, ignoring\")");
		bad = true;
	}
	if (!bad && !m->root_cells_ok)
		cvo_emit(ctx, CVO_SEV_ERROR, "/", NULL, NULL,
			 "root #address-cells %u and #size-cells %u: no reg entry can be read",
			 m->root_addr_cells, m->root_size_cells);
}

static void check_ranges_translation(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	int len;
	if (m->rmem_node < 0 || !fdt_getprop(fdt_of(ctx), m->rmem_node, "ranges", &len) || len <= 0)
		return;
	char path[512];
	cvo_emit(ctx, CVO_SEV_WARNING, rmem_path(ctx, path, sizeof(path)), "ranges", NULL,
		 "ranges is not empty (%d bytes): the kernel ignores the translation and reads "
		 "every child reg as a root physical address",
		 len);
}

/* Iterate over the /reserved-memory children. */
#define for_each_rmem(m, r)                                                                       \
	for (const struct cvo_region *r = (m)->regions; r < (m)->regions + (m)->n_rmem; r++)

/* The children fdt_scan_reserved_mem() looks at: available ones (of_fdt_device_is_available).
 * A disabled child is skipped whole, whatever its properties say; boot loaders often fill in
 * and enable such placeholders (the Raspberry Pi's nvram@0 with reg size 0). */
#define for_each_scanned(m, r)                                                                    \
	for_each_rmem(m, r)                                                                       \
		if (r->available)

static void check_reg_format(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	for_each_scanned(m, r) {
		if (!r->has_reg || r->reg_len_ok || !m->root_cells_ok)
			continue;
		int len = 0;
		fdt_getprop(fdt_of(ctx), r->node, "reg", &len);
		cvo_emit(ctx, CVO_SEV_ERROR, r->path, "reg", NULL,
			 "reg is %d bytes, not a multiple of %u (#address-cells %u + #size-cells %u "
			 "of the root): the kernel skips the node (\"invalid reg property\")",
			 len, 4 * (m->root_addr_cells + m->root_size_cells), m->root_addr_cells,
			 m->root_size_cells);
	}
}

static void check_reg_multiple(struct cvo_ctx *ctx)
{
	for_each_scanned(ctx->m, r) {
		if (!r->reg_len_ok || r->n_regs <= 1)
			continue;
		cvo_emit(ctx, CVO_SEV_WARNING, r->path, "reg", NULL,
			 "%zu reg entries: all are reserved, but only the first (0x%08" PRIx64
			 ") is recorded for the devices that use this region",
			 r->n_regs, r->regs[0].base);
	}
}

static void check_zero_size(struct cvo_ctx *ctx)
{
	for_each_scanned(ctx->m, r) {
		for (size_t i = 0; r->reg_len_ok && i < r->n_regs; i++)
			if (!r->regs[i].size)
				cvo_emit(ctx, CVO_SEV_ERROR, r->path, "reg", NULL,
					 "reg entry %zu (base 0x%08" PRIx64 ") has size 0: the "
					 "kernel fails it (\"failed to reserve memory for node\")",
					 i, r->regs[i].base);
		if (!r->has_reg && r->has_size && r->size_len_ok && !r->size)
			cvo_emit(ctx, CVO_SEV_ERROR, r->path, "size", NULL,
				 "size is 0: no region can be allocated and pool set-up rejects it");
	}
}

static void check_dynamic_format(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	const void *fdt = fdt_of(ctx);
	uint32_t ac = m->root_addr_cells, sc = m->root_size_cells;
	if (!m->root_cells_ok)
		return;
	for_each_scanned(m, r) {
		int len = 0;
		/* __reserved_mem_alloc_size() reads these only for nodes without reg */
		if (r->has_reg)
			continue;
		if (r->has_size && !r->size_len_ok) {
			fdt_getprop(fdt, r->node, "size", &len);
			cvo_emit(ctx, CVO_SEV_ERROR, r->path, "size", NULL,
				 "size is %d bytes, the kernel wants %u (root #size-cells): \"invalid "
				 "size property\", the node is skipped",
				 len, 4 * sc);
		}
		if (!r->has_size)
			continue;
		if (r->has_alignment) {
			fdt_getprop(fdt, r->node, "alignment", &len);
			if (!r->alignment_len_ok)
				cvo_emit(ctx, CVO_SEV_ERROR, r->path, "alignment", NULL,
					 "alignment is %d bytes, the kernel wants %u (root "
					 "#address-cells, whatever the binding says): \"invalid "
					 "alignment property\", the node is skipped",
					 len, 4 * ac);
			else if (ac != sc)
				cvo_emit(ctx, CVO_SEV_WARNING, r->path, "alignment", NULL,
					 "alignment is %u cells as the kernel reads it (root "
					 "#address-cells), but the binding says #size-cells (%u): "
					 "other readers of this DT disagree",
					 ac, sc);
		}
		if (r->has_alloc_ranges && !r->alloc_ranges_len_ok) {
			fdt_getprop(fdt, r->node, "alloc-ranges", &len);
			cvo_emit(ctx, CVO_SEV_ERROR, r->path, "alloc-ranges", NULL,
				 "alloc-ranges is %d bytes, not a multiple of %u: \"invalid "
				 "alloc-ranges property\", the node is skipped",
				 len, 4 * (ac + sc));
		}
	}
}

static void check_alignment_pow2(struct cvo_ctx *ctx)
{
	for_each_scanned(ctx->m, r) {
		if (r->has_reg || !r->has_alignment || !r->alignment_len_ok || !r->alignment)
			continue;
		if (r->alignment & (r->alignment - 1))
			cvo_emit(ctx, CVO_SEV_WARNING, r->path, "alignment", NULL,
				 "alignment 0x%" PRIx64 " is not a power of two: memblock rounds "
				 "down with a mask, so the base will not be a multiple of it",
				 r->alignment);
	}
}

static void check_shape(struct cvo_ctx *ctx)
{
	const void *fdt = fdt_of(ctx);
	for_each_scanned(ctx->m, r) {
		if (r->has_reg && r->has_size)
			cvo_emit(ctx, CVO_SEV_WARNING, r->path, "size", NULL,
				 "both reg and size: the kernel uses reg and ignores size%s",
				 r->has_alloc_ranges ? " and alloc-ranges" : "");
		else if (!r->has_reg && !r->has_size &&
			 !cvo_fdt_has(fdt, r->node, "iommu-addresses"))
			cvo_emit(ctx, CVO_SEV_WARNING, r->path, NULL, NULL,
				 "neither reg nor size: the kernel skips this node and nothing is "
				 "reserved");
	}
}

static void check_nomap_reusable(struct cvo_ctx *ctx)
{
	for_each_scanned(ctx->m, r) {
		if (r->no_map && r->reusable)
			cvo_emit(ctx, CVO_SEV_ERROR, r->path, "reusable", NULL,
				 "no-map together with reusable: %s",
				 r->compat_shared_dma_pool || r->compat_restricted_dma_pool
					 ? "every handler rejects the region and the kernel frees it "
					   "(\"compatible matching fail\")"
					 : "the OS may not map memory it is told it can reuse");
	}
}

static void check_unit_address(struct cvo_ctx *ctx)
{
	for_each_rmem(ctx->m, r) {
		const char *at = strchr(r->name, '@');
		if (!r->reg_len_ok || !r->n_regs) {
			continue;
		}
		if (!at) {
			cvo_emit(ctx, CVO_SEV_WARNING, r->path, NULL, NULL,
				 "node has reg but no unit address: name it %s@%" PRIx64, r->name,
				 r->regs[0].base);
			continue;
		}
		char *end;
		const char *u = at + 1;
		unsigned long long v = strtoull(u, &end, 16);
		/* a unit address of several comma-separated cells is not a plain address */
		if (*u == '\0' || *end != '\0' || v != r->regs[0].base)
			cvo_emit(ctx, CVO_SEV_WARNING, r->path, NULL, NULL,
				 "unit address %s differs from the reg base 0x%" PRIx64, u,
				 r->regs[0].base);
	}
}

static int cmp_name(const void *a, const void *b)
{
	const struct cvo_region *x = *(const struct cvo_region *const *)a;
	const struct cvo_region *y = *(const struct cvo_region *const *)b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->index > y->index) - (x->index < y->index);
}

static void check_duplicate_name(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	if (m->n_rmem < 2)
		return;
	const struct cvo_region **v = malloc(m->n_rmem * sizeof(*v));
	if (ctx_oom(ctx, !v))
		return;
	for (size_t i = 0; i < m->n_rmem; i++)
		v[i] = &m->regions[i];
	qsort(v, m->n_rmem, sizeof(*v), cmp_name);
	for (size_t i = 1; i < m->n_rmem; i++) {
		if (strcmp(v[i]->name, v[i - 1]->name))
			continue;
		const char *rel[] = { v[i - 1]->path, NULL };
		cvo_emit(ctx, CVO_SEV_WARNING, v[i]->path, NULL, rel,
			 "another child of /reserved-memory is also named %s: kernels from 6.13 "
			 "look regions up by name, so a device may get the other one",
			 v[i]->name);
	}
	free(v);
}

/* fdt_scan_reserved_mem() + fdt_reserved_mem_save_node(): one record per node */
static void check_max_regions(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	if (!m->rmem_format_ok)
		return;
	size_t total = 0, dynamic = 0;
	for_each_rmem(m, r) {
		if (!r->available)
			continue;
		if (r->has_reg && r->reg_len_ok && r->n_regs)
			total++;
		else if (!r->has_reg && r->has_size) {
			total++;
			dynamic++;
		}
	}
	char path[512];
	rmem_path(ctx, path, sizeof(path));
	bool dyn_array = ctx->rules->static_unlimited;
	size_t max = ctx->rules->max_reserved_regions;
	if (!dyn_array && total > max)
		cvo_emit(ctx, CVO_SEV_ERROR, path, NULL, NULL,
			 "%zu regions, the kernel's table holds %zu: \"not enough space for all "
			 "defined regions.\", the rest are never set up",
			 total, max);
	else if (dyn_array && dynamic > max)
		cvo_emit(ctx, CVO_SEV_ERROR, path, NULL, NULL,
			 "%zu dynamic regions, the kernel allocates at most %zu (\"too many "
			 "defined dynamic regions\")",
			 dynamic, max);
	else if (dyn_array && total > max)
		cvo_emit(ctx, CVO_SEV_WARNING, path, NULL, NULL,
			 "%zu regions: kernels before 6.13 (before 6.12.103 in the 6.12 series) "
			 "hold only %zu and drop the rest",
			 total, max);
}

static void check_memory_node(struct cvo_ctx *ctx)
{
	const struct cvo_model *m = ctx->m;
	const void *fdt = fdt_of(ctx);
	uint64_t page = ctx->p && ctx->p->page_size ? ctx->p->page_size : 4096;
	uint32_t ac = m->root_addr_cells, sc = m->root_size_cells;
	int node;
	if (m->root_cells_ok && (ac > 2 || sc > 2))
		cvo_emit(ctx, CVO_SEV_WARNING, "/", NULL, NULL,
			 "root #address-cells %u / #size-cells %u: the kernel keeps only the low "
			 "64 bits of each value",
			 ac, sc);
	fdt_for_each_subnode(node, fdt, 0) {
		int nlen;
		const char *name = fdt_get_name(fdt, node, &nlen);
		int tlen;
		const char *type = fdt_getprop(fdt, node, "device_type", &tlen);
		bool is_mem_type = type && tlen > 0 && type[tlen - 1] == '\0' &&
				   !strcmp(type, "memory");
		bool named_mem = name && (!strcmp(name, "memory") || !strncmp(name, "memory@", 7));
		if (!is_mem_type && !named_mem)
			continue;
		/* a direct child of the root: its path is "/" + name, no walk needed */
		char *path = cvo_asprintf("/%s", name ? name : "");
		if (ctx_oom(ctx, !path))
			return;
		if (!is_mem_type) {
			if (cvo_fdt_has(fdt, node, "reg"))
				cvo_emit(ctx, CVO_SEV_WARNING, path, "device_type", NULL,
					 "no device_type = \"memory\": the kernel does not use this "
					 "node's reg as RAM");
			free(path);
			continue;
		}
		if (!cvo_fdt_available(fdt, node) || !m->root_cells_ok) {
			free(path);
			continue;
		}
		int len;
		const char *prop = "linux,usable-memory";
		const uint8_t *reg = fdt_getprop(fdt, node, prop, &len);
		if (!reg || len <= 0) {
			prop = "reg";
			reg = fdt_getprop(fdt, node, prop, &len);
		}
		if (!reg) {
			free(path);
			continue;
		}
		size_t entry = 4 * ((size_t)ac + sc);
		if ((size_t)len % entry)
			cvo_emit(ctx, CVO_SEV_WARNING, path, prop, NULL,
				 "%s is %d bytes, not a multiple of %zu: the kernel ignores the last "
				 "%zu bytes",
				 prop, len, entry, (size_t)len % entry);
		for (size_t off = 0; off + entry <= (size_t)len; off += entry) {
			uint64_t base = cvo_read_cells(reg + off, ac);
			uint64_t size = cvo_read_cells(reg + off + 4 * ac, sc);
			uint64_t last;
			char sz[64];
			if (!size)
				continue; /* a placeholder the boot loader fills in */
			if (!cvo_range_end(base, size, &last)) {
				cvo_emit(ctx, CVO_SEV_WARNING, path, prop, NULL,
					 "bank 0x%08" PRIx64 " + %s wraps past the top of the "
					 "address space",
					 base, cvo_fmt_size(size, sz, sizeof(sz)));
				continue;
			}
			uint64_t off_in = base & (page - 1);
			if (size < page - off_in)
				cvo_emit(ctx, CVO_SEV_WARNING, path, prop, NULL,
					 "bank 0x%08" PRIx64 "..0x%08" PRIx64 " holds no whole "
					 "page: the kernel drops it (\"Ignoring memory block\")",
					 base, last);
			else if (off_in || ((last + 1) & (page - 1)))
				cvo_emit(ctx, CVO_SEV_WARNING, path, prop, NULL,
					 "bank 0x%08" PRIx64 "..0x%08" PRIx64 " is not page-aligned: "
					 "the kernel trims it to whole %s pages",
					 base, last, cvo_fmt_size(page, sz, sizeof(sz)));
			else if (ctx->p && last > cvo_platform_phys_max(ctx->p))
				cvo_emit(ctx, CVO_SEV_WARNING, path, prop, NULL,
					 "bank 0x%08" PRIx64 "..0x%08" PRIx64 " reaches above 4 GiB: "
					 "a 32-bit arm kernel without LPAE ignores that part",
					 base, last);
		}
		free(path);
	}
}

#define EXPLAIN(...) __VA_ARGS__

const struct cvo_check cvo_checks_structure[] = {
	{
		"rmem_node_format", CVO_SEV_ERROR, "structure",
		"/reserved-memory cells differ from the root's, or ranges is missing",
		EXPLAIN(
		"What: /reserved-memory must have #address-cells and #size-cells equal to the root "
		"node's, and a ranges property.\n"
		"Why: __reserved_mem_check_root() (drivers/of/of_reserved_mem.c) checks exactly "
		"this. If it fails the kernel prints \"Reserved memory: unsupported node format, "
		"ignoring\" and reserves none of the children: the memory stays ordinary RAM that "
		"Linux hands out, and every memory-region user fails to attach.\n"
		"Example: / { #address-cells = <2>; #size-cells = <2>; reserved-memory { "
		"#address-cells = <1>; #size-cells = <1>; ranges; ... }; };\n"
		"Fix: copy the root's #address-cells and #size-cells and add an empty ranges;"),
		check_node_format,
	},
	{
		"rmem_ranges_translation", CVO_SEV_WARNING, "structure",
		"/reserved-memory ranges is not empty: the kernel ignores the translation",
		EXPLAIN(
		"What: /reserved-memory has a non-empty ranges.\n"
		"Why: the kernel only checks that ranges exists; every child's reg is read as a "
		"root physical address with the root's cell counts. A translating ranges is "
		"silently ignored, so the DT author and the kernel disagree on where regions are. "
		"The binding says ranges should be empty.\n"
		"Example: reserved-memory { ranges = <0x0 0x0 0x80000000 0x40000000>; };\n"
		"Fix: use an empty ranges; and write child addresses as physical addresses."),
		check_ranges_translation,
	},
	{
		"rmem_reg_format", CVO_SEV_ERROR, "structure",
		"reg length is not a multiple of the root's address and size cells",
		EXPLAIN(
		"What: a /reserved-memory child's reg is not a whole number of (address, size) "
		"entries of the root's cell counts.\n"
		"Why: __reserved_mem_reserve_reg() prints \"Reserved memory: invalid reg property "
		"in '%s', skipping node.\" and reserves nothing for it.\n"
		"Example: with #address-cells = <2> and #size-cells = <2>, reg = <0x80000000 "
		"0x100000>; is 8 bytes instead of 16.\n"
		"Fix: write every entry with the root's cell counts."),
		check_reg_format,
	},
	{
		"rmem_reg_multiple", CVO_SEV_WARNING, "structure",
		"more than one reg entry: only the first is usable",
		EXPLAIN(
		"What: a /reserved-memory child has several reg entries.\n"
		"Why: every entry is reserved in memblock, but only the first is recorded in the "
		"kernel's reserved_mem table: that is all a device, CMA, a coherent pool or swiotlb "
		"ever sees. Kernels since the 6.13 rework print \"fdt_scan_reserved_mem_reg_nodes() "
		"ignores %d regions in node '%s'\". dt-schema allows one entry.\n"
		"Example: fw@90000000 { reg = <0x0 0x90000000 0x0 0x100000>, <0x0 0x98000000 0x0 "
		"0x100000>; };\n"
		"Fix: split it into one node per range."),
		check_reg_multiple,
	},
	{
		"rmem_zero_size", CVO_SEV_ERROR, "structure",
		"a reg entry or size of 0",
		EXPLAIN(
		"What: a reg entry with size 0, or size = <0>.\n"
		"Why: __reserved_mem_reserve_reg() prints \"Reserved memory: failed to reserve "
		"memory for node '%s': base %pa, size 0 MiB\"; newer kernels do not even record "
		"it, so device lookups fail. CMA and coherent pool set-up reject a zero size "
		"(-EINVAL).\n"
		"Example: pool { compatible = \"shared-dma-pool\"; size = <0x0 0x0>; };\n"
		"Fix: give the real size, or delete the node."),
		check_zero_size,
	},
	{
		"rmem_dynamic_format", CVO_SEV_ERROR, "structure",
		"size, alignment or alloc-ranges has the wrong length",
		EXPLAIN(
		"What: for a dynamic region, size must be root #size-cells cells, alignment root "
		"#address-cells cells (the kernel's reading: a 2025 change to #size-cells was "
		"reverted), and alloc-ranges whole (address, size) pairs.\n"
		"Why: __reserved_mem_alloc_size() prints \"invalid size property in '%s' node.\", "
		"\"invalid alignment property in '%s' node.\" or \"invalid alloc-ranges property "
		"in '%s', skipping node.\" and allocates nothing. Where the root's address and size "
		"cells differ, the binding (size cells) and the kernel (address cells) disagree on "
		"alignment: that is a warning.\n"
		"Example: root #address-cells = <2>, #size-cells = <1>: alignment = <0x100000>; is "
		"rejected by the kernel.\n"
		"Fix: write size with #size-cells, alignment with #address-cells cells."),
		check_dynamic_format,
	},
	{
		"rmem_alignment_pow2", CVO_SEV_WARNING, "structure",
		"alignment is not a power of two",
		EXPLAIN(
		"What: a dynamic region's alignment is not a power of two.\n"
		"Why: memblock rounds candidate addresses down with a mask (round_down), which "
		"is only right for powers of two: the base the kernel picks is not a multiple of "
		"the alignment you asked for.\n"
		"Example: alignment = <0x0 0x300000>;\n"
		"Fix: use a power of two (0x200000 or 0x400000)."),
		check_alignment_pow2,
	},
	{
		"rmem_shape", CVO_SEV_WARNING, "structure",
		"neither reg nor size (and no iommu-addresses), or both",
		EXPLAIN(
		"What: a /reserved-memory child with neither reg nor size, or with both.\n"
		"Why: the scan skips a node with neither (it is valid only as an iommu-addresses "
		"carve-out), so nothing is reserved. With both, reg wins and size (and "
		"alloc-ranges) are ignored, which is rarely what the author meant.\n"
		"Example: fw { compatible = \"vendor,fw\"; no-map; };\n"
		"Fix: give either a fixed reg or a dynamic size."),
		check_shape,
	},
	{
		"rmem_nomap_reusable", CVO_SEV_ERROR, "structure",
		"no-map together with reusable",
		EXPLAIN(
		"What: a region with both no-map and reusable.\n"
		"Why: the two contradict each other (do not map it / the OS may use it). For "
		"shared-dma-pool both the CMA and the coherent handler reject it: \"node %s "
		"compatible matching fail\", and the region is freed with its no-map flag "
		"cleared. dt-schema forbids the pair.\n"
		"Example: pool@90000000 { compatible = \"shared-dma-pool\"; reusable; no-map; };\n"
		"Fix: keep reusable for CMA, or no-map for a coherent or firmware pool."),
		check_nomap_reusable,
	},
	{
		"rmem_unit_address", CVO_SEV_WARNING, "structure",
		"unit address differs from the reg base",
		EXPLAIN(
		"What: a static region's node name says one address and its reg another (or it "
		"has reg and no unit address).\n"
		"Why: the kernel does not care, but people and tools read the name: boot logs "
		"name regions by it, and dtc checks it only under simple-bus, which "
		"/reserved-memory is not. A stale unit address usually means a region was moved "
		"and something else was not.\n"
		"Example: fw@90000000 { reg = <0x0 0x91000000 0x0 0x100000>; };\n"
		"Fix: rename the node to the reg base (fw@91000000)."),
		check_unit_address,
	},
	{
		"rmem_duplicate_name", CVO_SEV_WARNING, "structure",
		"two children share a node name (kernels >= 6.13 look regions up by name)",
		EXPLAIN(
		"What: two /reserved-memory children with the same name.\n"
		"Why: from 6.13 of_reserved_mem_lookup() finds a device's region by node name, "
		"not by phandle, so the first region of that name is handed to every user.\n"
		"Example: a DTB built from overlays with two pool@90000000 nodes.\n"
		"Fix: give every child a unique name."),
		check_duplicate_name,
	},
	{
		"rmem_max_regions", CVO_SEV_ERROR, "structure",
		"more regions than the kernel's table holds for the platform's kernel version",
		EXPLAIN(
		"What: the number of recorded regions against MAX_RESERVED_REGIONS (64).\n"
		"Why: up to 6.12 the kernel records at most 64 regions, static and dynamic, and "
		"prints \"not enough space for all defined regions.\": the rest are never set up "
		"and devices cannot attach them. From 6.13 the table grows, but dynamic regions "
		"still pass through a 64-entry array (\"too many defined dynamic regions, skip "
		"'%s'\", an out-of-bounds write before a 2026 fix). Error above the limit of the "
		"platform's kernel, warning when only older kernels are affected.\n"
		"Example: 70 static carve-outs on a 6.1 kernel.\n"
		"Fix: merge adjacent carve-outs that have the same user and flags."),
		check_max_regions,
	},
	{
		"memory_node_format", CVO_SEV_WARNING, "structure",
		"a /memory node without device_type = \"memory\", with bad reg, or banks the kernel "
		"drops",
		EXPLAIN(
		"What: /memory nodes as early_init_dt_scan_memory() reads them: device_type = "
		"\"memory\" is required, reg (or linux,usable-memory) must be whole entries, banks "
		"smaller than a page are dropped (\"Ignoring memory block\"), unaligned edges are "
		"trimmed to pages, and memory above what phys_addr_t holds is cut.\n"
		"Why: RAM the kernel does not see cannot hold reserved regions, CMA or anything "
		"else, and regions placed there fail.\n"
		"Example: memory@80000000 { reg = <0x0 0x80000000 0x0 0x40000000>; } with no "
		"device_type.\n"
		"Fix: add device_type = \"memory\"; and page-align the banks."),
		check_memory_node,
	},
	{ 0 },
};
