// SPDX-License-Identifier: MIT
/*
 * Unit tests of the placement simulation (lib/place.c). The v6.1 answers are
 * the ones Debian's 6.1 kernel gave under QEMU (tests/oracle); the answers for
 * other versions follow from the kernel changes each test cites.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "carveout.h"

struct run {
	struct cvo_blob *blob;
	struct cvo_platform *p;
	struct cvo_model *m;
	struct cvo_placement pl;
};

/* The stable patch level load() gives the platform (-1: none, the series' first release). */
static int load_patch = -1;

/* Load a DTS from text on a generic platform of arch at kernel version maj.min. */
static void load(struct run *r, const char *dts, enum cvo_arch arch, int maj, int min,
		 const char *cmdline_cma)
{
	char path[] = "/tmp/carveout-test-place-XXXXXX.dts";
	int fd = mkstemps(path, 4);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(dts, f);
	fclose(f);
	struct cvo_error err;
	int rc = cvo_blob_load(path, NULL, 0, &r->blob, &err);
	unlink(path);
	if (rc)
		fail_msg("%s: %s", err.source, err.text);
	assert_int_equal(cvo_platform_generic(arch, &r->p, &err), 0);
	r->p->kver_major = maj;
	r->p->kver_minor = min;
	r->p->kver_patch = load_patch;
	if (cmdline_cma) {
		r->p->has_cmdline_cma = true;
		r->p->cmdline_cma_size = strtoull(cmdline_cma, NULL, 0);
	}
	assert_int_equal(cvo_model_build(r->blob, r->p, &r->m, &err), 0);
	assert_int_equal(cvo_place(r->m, NULL, &r->pl), 0);
	assert_true(r->pl.placed);
}

static void unload(struct run *r)
{
	cvo_placement_fini(&r->pl);
	cvo_model_free(r->m);
	cvo_platform_free(r->p);
	cvo_blob_free(r->blob);
}

static const struct cvo_region *region(const struct run *r, const char *name)
{
	for (size_t i = 0; i < r->m->n_regions; i++)
		if (!strcmp(r->m->regions[i].name, name))
			return &r->m->regions[i];
	fail_msg("no region %s", name);
	return NULL;
}

static void assert_placed(const struct run *r, const char *name, uint64_t base)
{
	const struct cvo_region *g = region(r, name);
	if (cvo_outcome(&r->pl, g)->status != CVO_STATUS_PLACED ||
	    cvo_outcome(&r->pl, g)->base != base)
		fail_msg("%s: status %s base 0x%llx (%s), want placed at 0x%llx", name,
			 cvo_status_name(cvo_outcome(&r->pl, g)->status),
			 (unsigned long long)cvo_outcome(&r->pl, g)->base,
			 cvo_region_why_text(&r->pl, g), (unsigned long long)base);
}

static void assert_status(const struct run *r, const char *name, enum cvo_status st,
			  enum cvo_region_why why)
{
	const struct cvo_region *g = region(r, name);
	if (cvo_outcome(&r->pl, g)->status != st)
		fail_msg("%s: status %s (%s), want %s", name,
			 cvo_status_name(cvo_outcome(&r->pl, g)->status),
			 cvo_region_why_text(&r->pl, g), cvo_status_name(st));
	if (cvo_outcome(&r->pl, g)->why != why)
		fail_msg("%s: reason %d \"%s\", want %d", name, (int)cvo_outcome(&r->pl, g)->why,
			 cvo_region_why_text(&r->pl, g), (int)why);
}

#define HEAD                                                                               \
	"/dts-v1/;\n/ {\n#address-cells = <2>;\n#size-cells = <2>;\n"                       \
	"memory@40000000 { device_type = \"memory\"; reg = <0x0 0x40000000 %s>; };\n"       \
	"reserved-memory {\n#address-cells = <2>;\n#size-cells = <2>;\nranges;\n"
#define TAIL "};\n};\n"

static char *dts(const char *mem, const char *body)
{
	static char buf[16384];
	snprintf(buf, sizeof(buf), HEAD "%s" TAIL, mem, body);
	return buf;
}

/* The layout Debian's 6.1 arm64 kernel placed under QEMU -m 6G: the region table
 * is sorted (heapsort, base then size) before dynamic regions are allocated, so
 * big, fits2, fits, cma and nofit are allocated in that order, not DT order. */
static const char *const oracle_body =
	"big { compatible = \"shared-dma-pool\"; size = <0x0 0x10000000>; no-map; };\n"
	"fits { compatible = \"shared-dma-pool\"; size = <0x0 0x400000>; no-map;"
	" alignment = <0x0 0x100000>; alloc-ranges = <0x0 0x60000000 0x0 0x10000000>; };\n"
	"fits2 { compatible = \"shared-dma-pool\"; size = <0x0 0x400000>; no-map; };\n"
	"nofit { compatible = \"shared-dma-pool\"; size = <0x2 0x0>; no-map; };\n"
	"cma { compatible = \"shared-dma-pool\"; reusable; size = <0x0 0x8000000>;"
	" linux,cma-default; };\n"
	"st1@70000000 { compatible = \"shared-dma-pool\"; reg = <0x0 0x70000000 0x0 0x100000>;"
	" no-map; };\n"
	"st2@70080000 { compatible = \"shared-dma-pool\"; reg = <0x0 0x70080000 0x0 0x100000>;"
	" no-map; };\n"
	"other@78000000 { compatible = \"foo,bar\"; reg = <0x0 0x78000000 0x0 0x100000>; };\n";

static void test_v61_oracle_layout(void **state)
{
	struct run r;
	load(&r, dts("0x1 0x80000000", oracle_body), CVO_ARCH_ARM64, 6, 1, NULL);
	assert_placed(&r, "big", 0x1b0000000);
	assert_placed(&r, "fits2", 0x1afc00000);
	assert_placed(&r, "fits", 0x6fc00000);
	assert_placed(&r, "cma", 0x1a7c00000);
	assert_status(&r, "nofit", CVO_STATUS_FAILED, CVO_WHY_ALLOC_FAIL);
	assert_placed(&r, "st1@70000000", 0x70000000);
	assert_placed(&r, "st2@70080000", 0x70080000);
	assert_placed(&r, "other@78000000", 0x78000000);
	/* the DT's linux,cma-default region replaces the Kconfig area */
	assert_true(r.pl.default_cma.present);
	assert_int_equal(r.pl.default_cma.source, CVO_CMA_SOURCE_DT);
	assert_int_equal(r.pl.default_cma.base, 0x1a7c00000);
	/* arm64 v6.1: ZONE_DMA is the low 4 GiB (zone_dma_bits 32), DMA32 empty */
	assert_int_equal(r.pl.zone_dma_end, 0x100000000);
	assert_int_equal(r.pl.zone_dma32_end, 0x100000000);
	assert_int_equal(r.pl.dma_phys_limit, 0x100000000);
	unload(&r);
}

/* Two equal dynamic entries: v6.1's heapsort swaps them (B is allocated first,
 * at the top); "of: reserved_mem: Use stable allocation order" (S. Gerhold, 2023,
 * ~v6.6) breaks the tie on fdt_node, so A comes first; from ~v6.13 (8a6e02d0c00e)
 * dynamic regions are allocated in DT order before any sort. */
static void test_tie_order_by_version(void **state)
{
	const char *body = "a { compatible = \"shared-dma-pool\"; size = <0x0 0x1000000>; no-map; };\n"
			   "b { compatible = \"shared-dma-pool\"; size = <0x0 0x2000000>; no-map; };\n";
	struct run r;
	load(&r, dts("0x0 0x40000000", body), CVO_ARCH_ARM64, 6, 1, NULL);
	assert_placed(&r, "b", 0x7e000000);
	assert_placed(&r, "a", 0x7d000000);
	unload(&r);
	load(&r, dts("0x0 0x40000000", body), CVO_ARCH_ARM64, 6, 6, NULL);
	assert_placed(&r, "a", 0x7f000000);
	assert_placed(&r, "b", 0x7d000000);
	unload(&r);
	load(&r, dts("0x0 0x40000000", body), CVO_ARCH_ARM64, 6, 13, NULL);
	assert_placed(&r, "a", 0x7f000000);
	assert_placed(&r, "b", 0x7d000000);
	unload(&r);
}

/* __reserved_mem_alloc_in_range() ("of: reserved_mem: Try to keep range allocations
 * contiguous", S. Gerhold, 2023, ~v6.6): an alloc-range that starts at the end of a
 * recorded region is searched bottom-up. v6.1 always searches top-down; from ~v6.13
 * static regions are recorded only after the dynamic ones are allocated, so the
 * static neighbour no longer counts. */
static void test_alloc_range_heuristic(void **state)
{
	const char *body =
		"fw@50000000 { reg = <0x0 0x50000000 0x0 0x100000>; no-map; };\n"
		"pool { compatible = \"shared-dma-pool\"; size = <0x0 0x100000>; no-map;"
		" alloc-ranges = <0x0 0x50100000 0x0 0x1000000>; };\n"
		"pool2 { compatible = \"shared-dma-pool\"; size = <0x0 0x100000>; no-map;"
		" alloc-ranges = <0x0 0x52000000 0x0 0x1000000>; };\n"
		"pool3 { compatible = \"shared-dma-pool\"; size = <0x0 0x100000>; no-map;"
		" alloc-ranges = <0x0 0x51f00000 0x0 0x100000 0x0 0x50400000 0x0 0x100000>; };\n";
	struct run r;
	load(&r, dts("0x0 0x40000000", body), CVO_ARCH_ARM64, 6, 1, NULL);
	assert_placed(&r, "pool", 0x51000000);
	unload(&r);
	load(&r, dts("0x0 0x40000000", body), CVO_ARCH_ARM64, 6, 6, NULL);
	assert_placed(&r, "pool", 0x50100000);
	/* neither end of pool2's range touches a recorded region: the default */
	assert_placed(&r, "pool2", 0x52f00000);
	/* pool3's first range ends at 0x52000000, which is no recorded region's edge
	 * (pool2 sits at 0x52f00000): top-down, and it fits there */
	assert_placed(&r, "pool3", 0x51f00000);
	unload(&r);
	load(&r, dts("0x0 0x40000000", body), CVO_ARCH_ARM64, 6, 13, NULL);
	assert_placed(&r, "pool", 0x51000000);
	unload(&r);
}

/* rule_table: a stable release carries a rework from its patch level on. Debian's
 * changelog has "of: reserved_mem: Restructure how the reserved memory regions are
 * processed" in 6.12.13: 6.12.12 still sorts first (the heuristic sees the static
 * neighbour), 6.12.13 allocates first; 6.12 without a patch level is mainline's. */
static void test_stable_patch_level(void **state)
{
	const char *body =
		"fw@50000000 { reg = <0x0 0x50000000 0x0 0x100000>; no-map; };\n"
		"pool { compatible = \"shared-dma-pool\"; size = <0x0 0x100000>; no-map;"
		" alloc-ranges = <0x0 0x50100000 0x0 0x1000000>; };\n";
	static const struct {
		int patch;
		uint64_t base;
	} want[] = { { -1, 0x50100000 }, { 12, 0x50100000 }, { 13, 0x51000000 },
		     { 117, 0x51000000 } };
	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct run r;
		load_patch = want[i].patch;
		load(&r, dts("0x0 0x40000000", body), CVO_ARCH_ARM64, 6, 12, NULL);
		assert_placed(&r, "pool", want[i].base);
		unload(&r);
	}
	load_patch = -1;
}

/* fdt_init_reserved_mem(): a region whose handler refuses it is given back
 * (memblock_phys_free), and a region allocated after it may take its place. v6.1
 * allocates b (second in DT order) first: it is a CMA pool whose size is not a
 * multiple of CMA_MIN_ALIGNMENT_BYTES, so rmem_cma_setup() rejects it and a gets
 * the top of RAM. */
static void test_handler_reject_frees(void **state)
{
	const char *body =
		"a { compatible = \"shared-dma-pool\"; size = <0x0 0x200000>; no-map; };\n"
		"b { compatible = \"shared-dma-pool\"; size = <0x0 0x300000>; reusable; };\n";
	struct run r;
	load(&r, dts("0x0 0x40000000", body), CVO_ARCH_ARM64, 6, 1, NULL);
	assert_status(&r, "b", CVO_STATUS_FAILED, CVO_WHY_CMA_ALIGN);
	assert_placed(&r, "a", 0x7fe00000);
	unload(&r);
}

/* early_init_dt_reserve_memory(): no-map over a /memreserve/ entry is -EBUSY. */
static void test_nomap_busy(void **state)
{
	static char buf[32768];
	snprintf(buf, sizeof(buf), "/dts-v1/;\n/memreserve/ 0x50000000 0x1000;\n%s",
		 dts("0x0 0x40000000",
		     "fw@50000000 { reg = <0x0 0x50000000 0x0 0x100000>; no-map; };\n"
		     "ok@50100000 { reg = <0x0 0x50100000 0x0 0x100000>; no-map; };\n") +
			 strlen("/dts-v1/;\n"));
	struct run r;
	load(&r, buf, CVO_ARCH_ARM64, 6, 1, NULL);
	assert_status(&r, "fw@50000000", CVO_STATUS_FAILED, CVO_WHY_RESERVE_BUSY);
	assert_true(cvo_outcome(&r.pl, region(&r, "fw@50000000"))->nomap_busy);
	assert_placed(&r, "ok@50100000", 0x50100000);
	assert_false(cvo_outcome(&r.pl, region(&r, "ok@50100000"))->nomap_busy);
	assert_status(&r, "0", CVO_STATUS_PLACED, CVO_WHY_NONE);
	unload(&r);
}

/* rmem_dma_setup() with CONFIG_ARM: a non-reusable pool without no-map is
 * rejected ("regions without no-map are not yet supported") and freed; arm64
 * accepts it. */
static void test_arm_mapped_pool(void **state)
{
	const char *body = "p@50000000 { compatible = \"shared-dma-pool\";"
			   " reg = <0x0 0x50000000 0x0 0x100000>; };\n";
	struct run r;
	load(&r, dts("0x0 0x20000000", body), CVO_ARCH_ARM, 6, 1, NULL);
	assert_status(&r, "p@50000000", CVO_STATUS_FAILED, CVO_WHY_COHERENT_MAPPED);
	unload(&r);
	load(&r, dts("0x0 0x20000000", body), CVO_ARCH_ARM64, 6, 1, NULL);
	assert_placed(&r, "p@50000000", 0x50000000);
	unload(&r);
}

/* rmem_cma_setup(): cma= on the command line bypasses the DT default area, and
 * dma_contiguous_reserve() places the cmdline one below the arch limit. */
static void test_cmdline_cma(void **state)
{
	const char *body = "cma { compatible = \"shared-dma-pool\"; reusable;"
			   " size = <0x0 0x4000000>; linux,cma-default; };\n";
	struct run r;
	load(&r, dts("0x1 0x80000000", body), CVO_ARCH_ARM64, 6, 1, "0x2000000");
	assert_status(&r, "cma", CVO_STATUS_IGNORED, CVO_WHY_CMA_BYPASS);
	assert_true(r.pl.default_cma.present && r.pl.default_cma.placed);
	assert_int_equal(r.pl.default_cma.source, CVO_CMA_SOURCE_CMDLINE);
	/* below 4 GiB, under the freed DT region? no: top-down below the limit */
	assert_int_equal(r.pl.default_cma.base, 0xfe000000);
	assert_int_equal(r.pl.default_cma.size, 0x2000000);
	unload(&r);
}

/* The Kconfig default area on arm64 6.1 lands below the kernel's own early
 * allocations when RAM ends below 4 GiB (QEMU -m 1G, -m 2G, -m 3G), at the top of
 * the DMA zone otherwise (-m 6G). */
static void test_default_cma_arm64(void **state)
{
	static const struct {
		const char *mem;
		uint64_t base;
	} cases[] = {
		{ "0x0 0x40000000", 0x7ac00000 },
		{ "0x0 0x80000000", 0xb9a00000 },
		{ "0x0 0xc0000000", 0xf8800000 },
		{ "0x1 0x80000000", 0xfc000000 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct run r;
		load(&r, dts(cases[i].mem, ""), CVO_ARCH_ARM64, 6, 1, NULL);
		assert_true(r.pl.default_cma.placed);
		assert_int_equal(r.pl.default_cma.source, CVO_CMA_SOURCE_KCONFIG);
		assert_int_equal(r.pl.default_cma.size, 64u << 20);
		if (r.pl.default_cma.base != cases[i].base)
			fail_msg("-m %s: default CMA at 0x%llx, the kernel put it at 0x%llx",
				 cases[i].mem, (unsigned long long)r.pl.default_cma.base,
				 (unsigned long long)cases[i].base);
		unload(&r);
	}
}

/* arm (armmp 6.1): dma_contiguous_reserve(arm_dma_limit) right after the
 * reserved-memory scan; highmem first (lowmem ends 768 MiB above PHYS_OFFSET). */
static void test_default_cma_arm(void **state)
{
	struct run r;
	load(&r, dts("0x0 0x20000000", ""), CVO_ARCH_ARM, 6, 1, NULL);
	assert_int_equal(r.pl.default_cma.base, 0x5f000000);
	unload(&r);
	load(&r, dts("0x0 0x40000000", ""), CVO_ARCH_ARM, 6, 1, NULL);
	assert_int_equal(r.pl.default_cma.base, 0x7f000000);
	assert_int_equal(r.pl.zone_dma_end, 0x70000000);
	unload(&r);
}

/* v6.1's reserved_mem table holds 64 entries: the 65th dynamic region is never
 * allocated ("not enough space for all defined regions."). */
static void test_table_limit(void **state)
{
	static char body[8192];
	size_t o = 0;
	for (int i = 0; i < 65; i++)
		o += (size_t)snprintf(body + o, sizeof(body) - o,
				      "r%d { compatible = \"shared-dma-pool\"; size = <0x0 0x1000>;"
				      " no-map; };\n", i);
	struct run r;
	load(&r, dts("0x0 0x40000000", body), CVO_ARCH_ARM64, 6, 1, NULL);
	assert_status(&r, "r64", CVO_STATUS_FAILED, CVO_WHY_TABLE_FULL);
	assert_status(&r, "r63", CVO_STATUS_PLACED, CVO_WHY_NONE);
	unload(&r);
	/* from ~v6.13 the dynamic regions go through a 64-entry local array too */
	load(&r, dts("0x0 0x40000000", body), CVO_ARCH_ARM64, 6, 13, NULL);
	assert_status(&r, "r64", CVO_STATUS_FAILED, CVO_WHY_DYNAMIC_OVERFLOW);
	unload(&r);
}

/* arm64 zone_sizes_init(): before v6.12 ZONE_DMA is a power of two (zone_dma_bits
 * = fls64 of the tree's lowest dma-ranges CPU end), from v6.12 (ba0fb44aed47,
 * "replace zone_dma_bits by zone_dma_limit") the exact limit. */
static void test_zone_dma_versions(void **state)
{
	char buf[8192];
	snprintf(buf, sizeof(buf),
		 "/dts-v1/;\n/ {\n#address-cells = <2>;\n#size-cells = <2>;\n"
		 "memory@0 { device_type = \"memory\"; reg = <0x0 0x0 0x1 0x0>; };\n"
		 "soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>;"
		 " ranges; dma-ranges = <0x0 0x0 0x0 0x0 0x0 0x30000000>; };\n};\n");
	struct run r;
	load(&r, buf, CVO_ARCH_ARM64, 6, 1, NULL);
	assert_int_equal(r.pl.zone_dma_end, 0x40000000);
	unload(&r);
	load(&r, buf, CVO_ARCH_ARM64, 6, 12, NULL);
	assert_int_equal(r.pl.zone_dma_end, 0x30000000);
	unload(&r);
}

/* cvo_place() of an edited layout beside the DT's own: two placements of one model, the
 * model untouched, the edit obeyed (what plan does with candidate layouts). */
static void test_layout_pure(void **state)
{
	(void)state;
	struct run r;
	load(&r,
	     dts("0x0 0x40000000",
		 "pool { compatible = \"shared-dma-pool\"; size = <0x0 0x400000>; no-map; };\n"),
	     CVO_ARCH_ARM64, 6, 1, NULL);
	const struct cvo_region *g = region(&r, "pool");
	uint64_t top = cvo_outcome(&r.pl, g)->base;
	assert_int_equal(cvo_outcome(&r.pl, g)->status, CVO_STATUS_PLACED);
	struct cvo_layout l;
	assert_int_equal(cvo_layout_init(r.m, &l), 0);
	assert_int_equal(l.n_regions, r.m->n_regions);
	struct cvo_region_layout *e = &l.regions[g->index];
	struct cvo_range want = { 0x50000000, 0x400000 };
	e->alloc_ranges = malloc(sizeof(want));
	assert_non_null(e->alloc_ranges);
	e->alloc_ranges[0] = want;
	e->n_alloc_ranges = 1;
	e->has_alloc_ranges = e->alloc_ranges_len_ok = true;
	struct cvo_placement moved;
	assert_int_equal(cvo_place(r.m, &l, &moved), 0);
	assert_int_equal(cvo_outcome(&moved, g)->status, CVO_STATUS_PLACED);
	assert_int_equal(cvo_outcome(&moved, g)->base, 0x50000000);
	/* the first placement and the model are as they were */
	assert_int_equal(cvo_outcome(&r.pl, g)->base, top);
	assert_true(top != 0x50000000);
	assert_false(g->has_alloc_ranges);
	/* a layout of another model's regions is refused */
	l.n_regions--;
	struct cvo_placement bad;
	assert_int_equal(cvo_place(r.m, &l, &bad), CVO_ERR_USAGE);
	assert_null(bad.regions);
	l.n_regions++;
	cvo_placement_fini(&moved);
	cvo_layout_fini(&l);
	unload(&r);
}

/* The words of every placement outcome: the JSON report, the map and the diff print them, so
 * they stay what cvo_place() wrote before the outcomes became codes. */
static void test_why_text(void **state)
{
	static const struct {
		enum cvo_region_why why;
		const char *text;
	} words[] = {
		{ CVO_WHY_NONE, "" },
		{ CVO_WHY_REG_EMPTY, "empty reg property: nothing reserved" },
		{ CVO_WHY_REG_INVALID, "invalid reg property, skipping node" },
		{ CVO_WHY_RESERVE_BUSY,
		  "failed to reserve memory: no-map over memory already reserved (-EBUSY)" },
		{ CVO_WHY_RESERVE_SIZE0, "failed to reserve memory: size 0" },
		{ CVO_WHY_TABLE_FULL_RESERVED,
		  "not initialised: not enough space for all defined regions" },
		{ CVO_WHY_TABLE_FULL, "not enough space for all defined regions" },
		{ CVO_WHY_DYNAMIC_OVERFLOW, "too many defined dynamic regions, skip" },
		{ CVO_WHY_SIZE_INVALID, "invalid size property" },
		{ CVO_WHY_ALIGN_INVALID, "invalid alignment property" },
		{ CVO_WHY_ALLOC_RANGES_INVALID, "invalid alloc-ranges property, skipping node" },
		{ CVO_WHY_NO_RAM, "no RAM to allocate from: no usable /memory and no platform memory" },
		{ CVO_WHY_ALLOC_FAIL,
		  "failed to allocate memory for node: no free range of this size and alignment" },
		{ CVO_WHY_CMA_BYPASS, "bypass node, using cmdline CMA params instead" },
		{ CVO_WHY_CMA_ALIGN, "incorrect alignment of CMA region" },
		{ CVO_WHY_CMA_SIZE0, "unable to setup CMA region: size 0" },
		{ CVO_WHY_CMA_NO_SLOT,
		  "unable to setup CMA region: not enough slots for CMA reserved regions" },
		{ CVO_WHY_CMA_NOT_RESERVED, "unable to setup CMA region: not reserved" },
		{ CVO_WHY_COHERENT_REUSABLE_NOMAP, "compatible matching fail: reusable with no-map" },
		{ CVO_WHY_COHERENT_REUSABLE,
		  "compatible matching fail: reusable pool and no CMA in the kernel" },
		{ CVO_WHY_COHERENT_MAPPED, "regions without no-map are not yet supported" },
		{ CVO_WHY_RDP_FLAGS, "compatible matching fail: restricted-dma-pool with linux,dma-default" },
		{ CVO_WHY_RDP_HIGHMEM, "Restricted DMA pool must be accessible within the linear mapping" },
		{ CVO_WHY_FORMAT, "unsupported node format, ignoring" },
		{ CVO_WHY_NO_REG_NO_SIZE, "neither reg nor size: nothing reserved" },
		{ CVO_WHY_NOT_PROCESSED, "not processed" },
	};
	struct cvo_region r = { 0 };
	struct cvo_region_place o = { 0 };
	struct cvo_placement pl = { .regions = &o, .n_regions = 1 };
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		o.why = words[i].why;
		assert_string_equal(cvo_region_why_text(&pl, &r), words[i].text);
	}
	/* the words that depend on the region's own properties */
	o.why = CVO_WHY_ALLOC_FAIL;
	r.has_alloc_ranges = true;
	assert_string_equal(cvo_region_why_text(&pl, &r),
			    "failed to allocate memory for node: no free "
			    "range of this size and alignment in alloc-ranges");
	o.why = CVO_WHY_RDP_FLAGS;
	r.cma_default = true;
	assert_string_equal(cvo_region_why_text(&pl, &r),
			    "compatible matching fail: restricted-dma-pool with linux,cma-default");
	r.no_map = true;
	assert_string_equal(cvo_region_why_text(&pl, &r),
			    "compatible matching fail: restricted-dma-pool with no-map");
	r.reusable = true;
	assert_string_equal(cvo_region_why_text(&pl, &r),
			    "compatible matching fail: restricted-dma-pool with reusable");

	/* mm/cma.c's words, with the numbers the area holds */
	struct cvo_default_cma d = { .present = true, .base = 0x50100000, .size = 0x4000000 };
	char buf[CVO_WHY_TEXT_MAX];
	static const struct {
		enum cvo_default_cma_why why;
		uint64_t bound;
		const char *text;
	} cma[] = {
		{ CVO_CMA_WHY_NONE, 0, "" },
		{ CVO_CMA_WHY_NO_RAM, 0,
		  "no RAM to place it in: no usable /memory and no platform memory" },
		{ CVO_CMA_WHY_NO_SLOT, 0, "Not enough slots for CMA reserved regions" },
		{ CVO_CMA_WHY_ALIGN, 0x400000,
		  "Region at 0x50100000 must be aligned to 0x00400000 bytes" },
		{ CVO_CMA_WHY_BOUNDARY, 0x70000000,
		  "Region at 0x50100000 defined on low/high memory boundary (0x70000000)" },
		{ CVO_CMA_WHY_LIMIT, 0x40000000,
		  "Size (0x04000000) of region at 0x50100000 exceeds limit (0x40000000)" },
		{ CVO_CMA_WHY_FIXED_BUSY, 0,
		  "Failed to reserve 64 MiB: the fixed range is already reserved" },
		{ CVO_CMA_WHY_ALLOC_FAIL, 0, "Failed to reserve 64 MiB" },
	};
	for (size_t i = 0; i < sizeof(cma) / sizeof(cma[0]); i++) {
		d.why = cma[i].why;
		d.why_bound = cma[i].bound;
		size_t n = cvo_default_cma_why_text(&d, buf, sizeof(buf));
		assert_string_equal(buf, cma[i].text);
		assert_int_equal(n, strlen(cma[i].text));
	}
	/* snprintf's contract: the whole length, the text cut */
	d.why = CVO_CMA_WHY_ALLOC_FAIL;
	assert_int_equal(cvo_default_cma_why_text(&d, buf, 8), strlen("Failed to reserve 64 MiB"));
	assert_string_equal(buf, "Failed ");

	assert_string_equal(cvo_default_cma_source_name(CVO_CMA_SOURCE_NONE), "none");
	assert_string_equal(cvo_default_cma_source_name(CVO_CMA_SOURCE_DT), "dt");
	assert_string_equal(cvo_default_cma_source_name(CVO_CMA_SOURCE_KCONFIG), "kconfig");
	assert_string_equal(cvo_default_cma_source_name(CVO_CMA_SOURCE_CMDLINE), "cmdline");
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v61_oracle_layout),
		cmocka_unit_test(test_tie_order_by_version),
		cmocka_unit_test(test_alloc_range_heuristic),
		cmocka_unit_test(test_handler_reject_frees),
		cmocka_unit_test(test_nomap_busy),
		cmocka_unit_test(test_arm_mapped_pool),
		cmocka_unit_test(test_cmdline_cma),
		cmocka_unit_test(test_default_cma_arm64),
		cmocka_unit_test(test_default_cma_arm),
		cmocka_unit_test(test_table_limit),
		cmocka_unit_test(test_stable_patch_level),
		cmocka_unit_test(test_zone_dma_versions),
		cmocka_unit_test(test_why_text),
		cmocka_unit_test(test_layout_pure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
