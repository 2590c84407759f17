// SPDX-License-Identifier: MIT
/* Unit tests of the platform capability file parser (lib/platform/). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <libfdt.h>

#include "carveout.h"

#if !defined(BOARDS_DIR) || !defined(MANUAL)
#error "BOARDS_DIR and MANUAL must name the source tree's boards/ and carveout-platform.5.scd"
#endif

#define MiB (UINT64_C(1) << 20)
#define GiB (UINT64_C(1) << 30)

/* ------------------------------------------------------------------ helpers */

static struct cvo_platform *load_ok(const char *text)
{
	struct cvo_platform *p = NULL;
	struct cvo_error err = {0};
	int r = cvo_platform_load_buffer(text, strlen(text), "t.yaml", NULL, &p, &err);
	if (r)
		print_error("unexpected error %d: %s:%d:%d: %s\n", r, err.source, err.line,
			    err.column, err.text);
	assert_int_equal(r, 0);
	assert_non_null(p);
	return p;
}

static void expect_error_in(const char *text, const char *boards_dir, int code, int line,
			    int column, const char *message)
{
	struct cvo_platform *p = NULL;
	struct cvo_error err = {0};
	int r = cvo_platform_load_buffer(text, strlen(text), "t.yaml", boards_dir, &p, &err);
	if (r != code || strcmp(err.text, message) != 0 || err.line != line || err.column != column)
		print_error("got %d %d:%d: %s\nfor %s", r, err.line, err.column, err.text, text);
	assert_int_equal(r, code);
	assert_null(p);
	assert_string_equal(err.source, "t.yaml");
	assert_string_equal(err.text, message);
	assert_int_equal(err.line, line);
	assert_int_equal(err.column, column);
}

static void expect_error(const char *text, int line, int column, const char *message)
{
	expect_error_in(text, NULL, CVO_ERR_INVALID, line, column, message);
}

/* A scratch directory holding files written by write_file(). */
static char scratch[64];

static void write_file(const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", scratch, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static int scratch_setup(void **state)
{
	snprintf(scratch, sizeof(scratch), "/tmp/carveout-platform-XXXXXX");
	return mkdtemp(scratch) ? 0 : -1;
}

static void remove_tree(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (unlink(path) != 0 && depth < 2)
			remove_tree(path, depth + 1);
	}
	closedir(d);
	rmdir(dir);
}

static int scratch_teardown(void **state)
{
	remove_tree(scratch, 0);
	return 0;
}

static void make_subdir(const char *name)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", scratch, name);
	assert_int_equal(mkdir(path, 0700), 0);
}

/* A small FDT built with libfdt's sequential-write API. */
struct dt_spec {
	const char *root_compat; /* NUL-separated, ends with an empty string */
	size_t root_compat_len;
	int root_addr_cells;	/* 0: leave out */
	const char *cpu_compat; /* NULL: no /cpus */
	bool riscv_isa;
	const char *cpu_name; /* default "cpu@0" */
};

static void *build_dt(const struct dt_spec *s)
{
	size_t size = 4096;
	void *fdt = calloc(1, size);
	assert_non_null(fdt);
	assert_int_equal(fdt_create(fdt, (int)size), 0);
	assert_int_equal(fdt_finish_reservemap(fdt), 0);
	assert_int_equal(fdt_begin_node(fdt, ""), 0);
	if (s->root_compat)
		assert_int_equal(
		    fdt_property(fdt, "compatible", s->root_compat, (int)s->root_compat_len), 0);
	if (s->root_addr_cells)
		assert_int_equal(
		    fdt_property_u32(fdt, "#address-cells", (uint32_t)s->root_addr_cells), 0);
	if (s->cpu_compat || s->riscv_isa || s->cpu_name) {
		assert_int_equal(fdt_begin_node(fdt, "cpus"), 0);
		assert_int_equal(fdt_begin_node(fdt, s->cpu_name ? s->cpu_name : "cpu@0"), 0);
		assert_int_equal(fdt_property_string(fdt, "device_type", "cpu"), 0);
		if (s->cpu_compat)
			assert_int_equal(fdt_property_string(fdt, "compatible", s->cpu_compat), 0);
		if (s->riscv_isa)
			assert_int_equal(fdt_property_string(fdt, "riscv,isa", "rv64imafdc"), 0);
		assert_int_equal(fdt_end_node(fdt), 0);
		assert_int_equal(fdt_end_node(fdt), 0);
	}
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_finish(fdt), 0);
	return fdt;
}

#define COMPAT(s) s, sizeof(s)

/* ------------------------------------------------------------------ every key */

static const char full_file[] =
    "platform: qcom-test\n"
    "compatible: [\"qcom,sc7180\", \"google,lazor\"]\n"
    "sources: [\"one\", \"two\"]\n"
    "arch: arm64\n"
    "page-size: 16K\n"
    "kernel:\n"
    "  version: \"6.6\"\n"
    "  config: { ZONE_DMA: n, ZONE_DMA32: y, DMA_CMA: y, CMA_SIZE_MBYTES: 128, CMA_AREAS: 20,\n"
    "            HUGETLB_PAGE: n, DMA_RESTRICTED_POOL: y, DMA_DIRECT_REMAP: n,\n"
    "            DMA_GLOBAL_POOL: y, INIT_ON_ALLOC_DEFAULT_ON: n, TRANSPARENT_HUGEPAGE: n,\n"
    "            ARCH_FORCE_MAX_ORDER: 11, PAGE_BLOCK_ORDER: 9 }\n"
    "  cmdline: \"console=ttyMSM0 cma=128M coherent_pool=1M mem=6G\"\n"
    "memory: [{ base: 0x80000000, size: 8G }, { base: 0x280000000, size: 512M }]\n"
    "reserved: [{ name: kernel, base: 0x80080000, size: 64M }]\n"
    "devices:\n"
    "  - match: { compatible: \"qcom,scm\" }\n"
    "    dma-bits: 32\n"
    "    coherent: true\n"
    "    iommu: false\n"
    "    cma: 4M\n"
    "    small-allocs: true\n"
    "    atomic: 0\n"
    "    firmware-owned: true\n"
    "    attach: all\n"
    "  - match: { path: \"/soc@0/remoteproc@4080000\" }\n"
    "    atomic: 256K\n"
    "    attach: [0, 2]\n";

/* attach: all, a list of indices, or nothing (index 0 only, the checks' default) */
static void test_attach(void **state)
{
	(void)state;
	struct cvo_platform *p = load_ok(full_file);
	assert_true(p->devices[0].has_attach);
	assert_true(p->devices[0].attach_all);
	assert_true(p->devices[1].has_attach);
	assert_false(p->devices[1].attach_all);
	assert_int_equal(p->devices[1].attach_mask, 5);
	cvo_platform_free(p);
	expect_error("platform: x\narch: arm64\ndevices:\n  - match: { compatible: a }\n"
		     "    attach: [64]\n",
		     5, 14, "devices[0].attach[0]: expected a number from 0 to 63, got \"64\"");
	expect_error("platform: x\narch: arm64\ndevices:\n  - match: { compatible: a }\n"
		     "    attach: some\n",
		     5, 13, "devices[0].attach: expected all, or a list of memory-region indices such "
		     "as [0, 1], got \"some\"");
}

static void test_every_key(void **state)
{
	struct cvo_platform *p = load_ok(full_file);
	assert_string_equal(p->name, "qcom-test");
	assert_string_equal(p->file, "t.yaml");
	assert_null(p->extends);
	assert_int_equal(p->n_compatible, 2);
	assert_string_equal(p->compatible[0], "qcom,sc7180");
	assert_string_equal(p->compatible[1], "google,lazor");
	/* the generic profile's source first, then the file's */
	assert_int_equal(p->n_sources, 3);
	assert_string_equal(p->sources[1], "one");
	assert_string_equal(p->sources[2], "two");
	assert_int_equal(p->arch, CVO_ARCH_ARM64);
	assert_int_equal(p->page_size, 16384);
	assert_int_equal(p->kver_major, 6);
	assert_int_equal(p->kver_minor, 6);
	assert_int_equal(p->config.zone_dma, 0);
	assert_int_equal(p->config.zone_dma32, 1);
	assert_int_equal(p->config.dma_cma, 1);
	assert_int_equal(p->config.cma_size_mbytes, 128);
	assert_int_equal(p->config.cma_areas, 20);
	assert_int_equal(p->config.hugetlb_page, 0);
	assert_int_equal(p->config.dma_restricted_pool, 1);
	assert_int_equal(p->config.dma_direct_remap, 0);
	assert_int_equal(p->config.dma_global_pool, 1);
	assert_int_equal(p->config.init_on_alloc_default_on, 0);
	assert_int_equal(p->config.page_block_order, 9);
	assert_int_equal(p->transparent_hugepage, 0);
	assert_int_equal(p->max_page_order, 11); /* 6.6: ARCH_FORCE_MAX_ORDER is inclusive */
	assert_string_equal(p->cmdline, "console=ttyMSM0 cma=128M coherent_pool=1M mem=6G");
	assert_true(p->has_cmdline_cma);
	assert_int_equal(p->cmdline_cma_size, 128 * MiB);
	assert_int_equal(p->cmdline_cma_base, 0);
	assert_int_equal(p->cmdline_cma_limit, 0);
	assert_true(p->has_coherent_pool);
	assert_int_equal(p->coherent_pool, 1 * MiB);
	assert_true(p->has_mem);
	assert_int_equal(p->mem, 6 * GiB);
	assert_false(p->has_mem_base);
	assert_int_equal(p->n_memory, 2);
	assert_int_equal(p->memory[0].base, 0x80000000);
	assert_int_equal(p->memory[0].size, 8 * GiB);
	assert_int_equal(p->memory[1].base, 0x280000000);
	assert_int_equal(p->memory[1].size, 512 * MiB);
	assert_int_equal(p->n_reserved, 1);
	assert_string_equal(p->reserved[0].name, "kernel");
	assert_int_equal(p->reserved[0].base, 0x80080000);
	assert_int_equal(p->reserved[0].size, 64 * MiB);
	assert_false(p->reserved[0].dtb);
	assert_int_equal(p->n_devices, 2);
	const struct cvo_platform_device *d = &p->devices[0];
	assert_string_equal(d->match_compatible, "qcom,scm");
	assert_null(d->match_path);
	assert_int_equal(d->dma_bits, 32);
	assert_int_equal(d->coherent, 1);
	assert_int_equal(d->iommu, 0);
	assert_true(d->has_cma);
	assert_int_equal(d->cma, 4 * MiB);
	assert_int_equal(d->small_allocs, 1);
	assert_int_equal(d->atomic, 0);
	assert_int_equal(d->firmware_owned, 1);
	assert_int_equal(d->line, 16);
	d = &p->devices[1];
	assert_null(d->match_compatible);
	assert_string_equal(d->match_path, "/soc@0/remoteproc@4080000");
	assert_int_equal(d->dma_bits, 0);
	assert_int_equal(d->coherent, CVO_UNSET);
	assert_int_equal(d->iommu, CVO_UNSET);
	assert_false(d->has_cma);
	assert_int_equal(d->small_allocs, CVO_UNSET);
	assert_int_equal(d->atomic, 256 * 1024);
	assert_int_equal(d->firmware_owned, CVO_UNSET);
	assert_int_equal(d->line, 25);
	/* 16K pages, no hugetlb, no THP, 6.6: pageblock_order = MAX_PAGE_ORDER 11 */
	assert_int_equal(cvo_platform_cma_min_align(p), 32 * MiB);
	cvo_platform_free(p);
}

static void test_block_style_and_comments(void **state)
{
	struct cvo_platform *p = load_ok("---\n"
					 "# a comment\n"
					 "platform: 'b-1.x_y'   # trailing\n"
					 "arch: \"riscv\"\n"
					 "compatible:\n"
					 "  - sifive,hifive-unmatched-a00\n"
					 "kernel:\n"
					 "  version: 5.15\n"
					 "...\n");
	assert_string_equal(p->name, "b-1.x_y");
	assert_int_equal(p->arch, CVO_ARCH_RISCV);
	assert_int_equal(p->n_compatible, 1);
	assert_string_equal(p->compatible[0], "sifive,hifive-unmatched-a00");
	assert_int_equal(p->kver_major, 5);
	assert_int_equal(p->kver_minor, 15);
	cvo_platform_free(p);
}

/* ------------------------------------------------------------------ defaults */

static void test_defaults_arm64(void **state)
{
	struct cvo_platform *p = load_ok("platform: x\narch: arm64\n");
	assert_string_equal(p->name, "x");
	assert_int_equal(p->page_size, 4096);
	/* Debian 13 /boot/config-6.12.117+deb13-arm64 */
	assert_int_equal(p->kver_major, 6);
	assert_int_equal(p->kver_minor, 12);
	assert_int_equal(p->kver_patch, 117);
	assert_string_equal(p->kver_release, "6.12.117+deb13-arm64");
	assert_string_equal(p->profile, "debian13-arm64");
	assert_int_equal(p->config.zone_dma, 1);
	assert_int_equal(p->config.zone_dma32, 1);
	assert_int_equal(p->config.dma_cma, 1);
	assert_int_equal(p->config.cma, 1);
	assert_int_equal(p->config.cma_size_mbytes, 64);
	assert_int_equal(p->config.cma_size_sel, CVO_CMA_SIZE_SEL_MBYTES);
	assert_int_equal(p->config.cma_areas, 20);
	assert_int_equal(p->config.hugetlb_page, 1);
	assert_int_equal(p->config.dma_restricted_pool, 0);
	assert_int_equal(p->config.dma_direct_remap, 1);
	assert_int_equal(p->config.dma_global_pool, 0);
	assert_int_equal(p->config.init_on_alloc_default_on, 1);
	assert_int_equal(p->config.swiotlb, 1);
	assert_int_equal(p->config.page_block_order, 0);
	assert_int_equal(p->transparent_hugepage, 1);
	/* ARCH_FORCE_MAX_ORDER=10 is MAX_PAGE_ORDER from 6.4 */
	assert_int_equal(p->max_page_order, 10);
	assert_int_equal(p->n_compatible, 0);
	assert_int_equal(p->n_memory, 0);
	assert_int_equal(p->n_reserved, 0);
	assert_int_equal(p->n_devices, 0);
	assert_null(p->cmdline);
	assert_false(p->has_cmdline_cma);
	assert_false(p->has_coherent_pool);
	assert_false(p->has_mem);
	assert_int_equal(p->n_sources, 1);
	assert_non_null(strstr(p->sources[0], "config-6.12.117+deb13-arm64"));
	assert_int_equal(cvo_platform_cma_min_align(p), 2 * MiB);
	/* every value says where it came from: the config file's line */
	const struct cvo_kconfig_symbol *y = cvo_platform_symbol(p, "CONFIG_CMA_AREAS");
	assert_non_null(y);
	assert_string_equal(y->value, "20");
	assert_string_equal(y->origin, "debian13-arm64: config-6.12.117+deb13-arm64:1189");
	assert_string_equal(p->origin[CVO_ORIGIN_PAGE_SIZE],
			    "debian13-arm64: config-6.12.117+deb13-arm64:867");
	assert_string_equal(p->origin[CVO_ORIGIN_ARCH], "t.yaml:2");
	cvo_platform_free(p);
}

/* Debian 12's 6.1 configurations, as every platform without extends had them before 6.12. */
static void test_defaults_debian12(void **state)
{
	struct cvo_platform *p = load_ok("platform: x\nextends: debian12-arm64\n");
	assert_int_equal(p->arch, CVO_ARCH_ARM64);
	assert_int_equal(p->kver_major, 6);
	assert_int_equal(p->kver_minor, 1);
	/* the ABI name 6.1.0-50 hides the patch level; the config header has it */
	assert_int_equal(p->kver_patch, 176);
	assert_string_equal(p->kver_release, "6.1.0-50-arm64");
	assert_int_equal(p->config.cma_areas, 19);
	assert_int_equal(p->config.cma_size_mbytes, 64);
	/* ARCH_FORCE_MAX_ORDER=11 was MAX_ORDER in 6.1 */
	assert_int_equal(p->max_page_order, 10);
	assert_int_equal(p->transparent_hugepage, 1);
	assert_non_null(strstr(p->sources[0], "config-6.1.0-50-arm64"));
	cvo_platform_free(p);
	p = load_ok("platform: x\nextends: debian12-arm\n");
	assert_int_equal(p->arch, CVO_ARCH_ARM);
	assert_int_equal(p->config.cma_areas, 7);
	assert_int_equal(p->config.cma_size_mbytes, 16);
	assert_int_equal(p->config.hugetlb_page, 0);
	assert_int_equal(p->config.zone_dma32, 0);
	assert_int_equal(p->config.dma_direct_remap, 0);
	assert_int_equal(p->config.highmem, 1);
	assert_int_equal(p->config.arm_lpae, 0);
	assert_int_equal(p->transparent_hugepage, 0);
	assert_int_equal(p->max_page_order, 11);
	assert_int_equal(cvo_platform_cma_min_align(p), 8 * MiB);
	assert_int_equal(cvo_platform_phys_max(p), 0xffffffffu);
	cvo_platform_free(p);
}

static void test_defaults_arm(void **state)
{
	struct cvo_platform *p = load_ok("platform: x\narch: arm\n");
	/* Debian 13 /boot/config-6.12.117+deb13-armmp */
	assert_string_equal(p->profile, "debian13-armmp");
	assert_int_equal(p->kver_minor, 12);
	assert_int_equal(p->page_size, 4096);
	assert_int_equal(p->config.zone_dma, 1);
	assert_int_equal(p->config.zone_dma32, 0);
	assert_int_equal(p->config.dma_cma, 1);
	assert_int_equal(p->config.cma_size_mbytes, 16);
	assert_int_equal(p->config.cma_areas, 8);
	assert_int_equal(p->config.hugetlb_page, 0);
	assert_int_equal(p->config.dma_direct_remap, 0);
	assert_int_equal(p->config.init_on_alloc_default_on, 1);
	assert_int_equal(p->config.highmem, 1);
	assert_int_equal(p->config.arm_lpae, 0);
	assert_int_equal(p->transparent_hugepage, 0);
	/* ARCH_FORCE_MAX_ORDER=11 is MAX_PAGE_ORDER in 6.12: 8 MiB as in 6.1 */
	assert_int_equal(p->max_page_order, 11);
	assert_int_equal(cvo_platform_cma_min_align(p), 8 * MiB);
	assert_int_equal(cvo_platform_phys_max(p), 0xffffffffu);
	cvo_platform_free(p);
}

static void test_generic_profiles(void **state)
{
	static const struct {
		enum cvo_arch arch;
		const char *name;
		uint32_t page_size;
		int zone_dma, zone_dma32;
		uint64_t cma_mb, align;
	} want[] = {
	    {CVO_ARCH_ARM64, "generic-arm64", 4096, 1, 1, 64, 2 * MiB},
	    {CVO_ARCH_ARM, "generic-arm", 4096, 1, 0, 16, 8 * MiB},
	    /* Debian 13's riscv64 kernel has no CMA: CMA_SIZE_MBYTES is its default */
	    {CVO_ARCH_RISCV, "generic-riscv64", 4096, 0, 1, 16, 2 * MiB},
	    {CVO_ARCH_POWERPC, "generic-powerpc", 65536, 0, 0, 16, 2 * MiB},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct cvo_platform *p = NULL;
		struct cvo_error err = {0};
		assert_int_equal(cvo_platform_generic(want[i].arch, &p, &err), 0);
		assert_string_equal(p->name, want[i].name);
		assert_string_equal(p->file, "builtin");
		assert_int_equal(p->arch, want[i].arch);
		assert_int_equal(p->page_size, want[i].page_size);
		assert_int_equal(p->config.zone_dma, want[i].zone_dma);
		assert_int_equal(p->config.zone_dma32, want[i].zone_dma32);
		assert_int_equal(p->config.cma_size_mbytes, want[i].cma_mb);
		assert_int_equal(cvo_platform_cma_min_align(p), want[i].align);
		assert_true(p->n_sources >= 1);
		cvo_platform_free(p);
	}
	assert_string_equal(cvo_arch_name(CVO_ARCH_POWERPC), "powerpc");
	enum cvo_arch a;
	assert_true(cvo_arch_parse("riscv", &a));
	assert_int_equal(a, CVO_ARCH_RISCV);
	assert_false(cvo_arch_parse("x86", &a));
	cvo_platform_free(NULL);
}

/* ------------------------------------------------------------------ kernel configurations */

static struct cvo_platform *load_file_ok(const char *name)
{
	char path[256];
	struct cvo_platform *p = NULL;
	struct cvo_error err = {0};
	snprintf(path, sizeof(path), "%s/%s", scratch, name);
	int r = cvo_platform_load_dir(path, NULL, &p, &err);
	if (r)
		print_error("unexpected error %d: %s:%d:%d: %s\n", r, err.source, err.line,
			    err.column, err.text);
	assert_int_equal(r, 0);
	return p;
}

static void expect_file_error(const char *name, int code, const char *source_tail, int line,
			      const char *message)
{
	char path[256];
	struct cvo_platform *p = NULL;
	struct cvo_error err = {0};
	snprintf(path, sizeof(path), "%s/%s", scratch, name);
	int r = cvo_platform_load_dir(path, NULL, &p, &err);
	if (r != code || strcmp(err.text, message) || err.line != line)
		print_error("got %d %s:%d: %s\n", r, err.source, err.line, err.text);
	assert_int_equal(r, code);
	assert_null(p);
	size_t a = strlen(err.source), b = strlen(source_tail);
	assert_true(a >= b && strcmp(err.source + a - b, source_tail) == 0);
	assert_int_equal(err.line, line);
	assert_string_equal(err.text, message);
}

static void test_kernel_release(void **state)
{
	static const struct {
		const char *text;
		int major, minor, patch;
	} ok[] = {
	    {"6.12", 6, 12, -1},
	    {"6.12.117", 6, 12, 117},
	    {"6.12.117+deb13-arm64", 6, 12, 117},
	    /* Debian 12 names its ABI 6.1.0-N: the real patch level is not in the name */
	    {"6.1.0-50-arm64", 6, 1, -1},
	    {"6.8.0-49-generic", 6, 8, -1},
	    {"6.12.0", 6, 12, 0},
	    {"6.12-rc1", 6, 12, -1},
	    {"5.15.0+", 5, 15, 0},
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		char text[128];
		snprintf(text, sizeof(text), "platform: x\narch: arm64\nkernel: {version: \"%s\"}\n",
			 ok[i].text);
		struct cvo_platform *p = load_ok(text);
		assert_int_equal(p->kver_major, ok[i].major);
		assert_int_equal(p->kver_minor, ok[i].minor);
		assert_int_equal(p->kver_patch, ok[i].patch);
		assert_string_equal(p->kver_release, ok[i].text);
		assert_string_equal(p->origin[CVO_ORIGIN_VERSION], "t.yaml:3");
		cvo_platform_free(p);
	}
	static const char *const bad[] = {"6", "6.", ".12", "6.12.", "6.12.1.2", "1.0", "6.12 x",
					  "6.1234", "v6.12", "6.12.117.deb"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[128];
		snprintf(text, sizeof(text), "platform: x\narch: arm64\nkernel: {version: \"%s\"}\n",
			 bad[i]);
		struct cvo_platform *p = NULL;
		struct cvo_error err = {0};
		assert_int_equal(cvo_platform_load_buffer(text, strlen(text), "t.yaml", NULL, &p, &err),
				 CVO_ERR_INVALID);
		assert_null(p);
	}
}

/* Every symbol is taken: unknown ones kept (never an error), the modelled ones derived. */
static void test_kconfig_any_symbol(void **state)
{
	struct cvo_platform *p = load_ok("platform: x\narch: arm64\nkernel:\n  config:\n"
					 "    CONFIG_ZONE_DMA: n\n"
					 "    MODULES: y\n"
					 "    CONFIG_SOME_DRIVER: m\n"
					 "    LOCALVERSION: \"-rt\"\n"
					 "    NR_CPUS: 0x100\n"
					 "    CMA_AREAS: 0x10\n");
	assert_int_equal(p->config.zone_dma, 0);
	assert_int_equal(p->config.cma_areas, 16);
	const struct cvo_kconfig_symbol *y = cvo_platform_symbol(p, "SOME_DRIVER");
	assert_non_null(y);
	assert_string_equal(y->value, "m");
	assert_string_equal(y->origin, "t.yaml:7");
	assert_string_equal(cvo_platform_symbol(p, "CONFIG_LOCALVERSION")->value, "-rt");
	assert_string_equal(cvo_platform_symbol(p, "NR_CPUS")->value, "0x100");
	assert_string_equal(cvo_platform_symbol(p, "ZONE_DMA")->origin, "t.yaml:5");
	/* the profile's symbols stay where nothing replaced them */
	assert_string_equal(cvo_platform_symbol(p, "ZONE_DMA32")->origin,
			    "debian13-arm64: config-6.12.117+deb13-arm64:1199");
	assert_null(cvo_platform_symbol(p, "NOT_SET_ANYWHERE"));
	/* sorted by name */
	for (size_t i = 1; i < p->n_symbols; i++)
		assert_true(strcmp(p->symbols[i - 1].name, p->symbols[i].name) < 0);
	cvo_platform_free(p);
	/* NAME and CONFIG_NAME are one symbol */
	expect_error("platform: x\narch: arm64\nkernel:\n  config:\n    ZONE_DMA: y\n"
		     "    CONFIG_ZONE_DMA: n\n",
		     6, 5, "kernel.config: duplicate symbol \"ZONE_DMA\" (first at line 5)");
	/* a config for another arch is refused */
	expect_error("platform: x\narch: arm\nkernel: {config: {ARM64: y}}\n", 3, 26,
		     "CONFIG_ARM64=y: the configuration is not for arch arm of the platform \"x\"");
}

/* A pasted Debian .config: ~11,000 symbols in a mapping, or as .config text in a | block. */
static void test_kconfig_pasted(void **state)
{
	size_t cap = 12000 * 40 + 256, len = 0;
	char *text = malloc(cap);
	assert_non_null(text);
	len += (size_t)snprintf(text + len, cap - len, "platform: x\narch: arm64\nkernel:\n  config:\n");
	for (int i = 0; i < 11000; i++)
		len += (size_t)snprintf(text + len, cap - len, "    CONFIG_SYM_%05d: %s\n", i,
					i % 3 == 0 ? "y" : i % 3 == 1 ? "m" : "\"s\"");
	len += (size_t)snprintf(text + len, cap - len, "    CONFIG_CMA_AREAS: 7\n");
	struct cvo_platform *p = load_ok(text);
	assert_true(p->n_symbols >= 11001);
	assert_int_equal(p->config.cma_areas, 7);
	assert_string_equal(cvo_platform_symbol(p, "SYM_10999")->value, "m");
	cvo_platform_free(p);
	free(text);

	p = load_ok("platform: x\narch: arm64\nkernel:\n  config: |\n"
		    "    # Linux/arm64 6.12.117 Kernel Configuration\n"
		    "    CONFIG_ARM64_16K_PAGES=y\n"
		    "    # CONFIG_HUGETLB_PAGE is not set\n"
		    "    CONFIG_CMDLINE=\"console=ttyS0 \\\"quoted\\\"\"\n"
		    "\n"
		    "    # a comment\n");
	/* the page size follows the configuration when page-size is not given */
	assert_int_equal(p->page_size, 16384);
	assert_string_equal(p->origin[CVO_ORIGIN_PAGE_SIZE], "t.yaml:6");
	/* the choice's other members are off, PAGE_SHIFT follows */
	assert_string_equal(cvo_platform_symbol(p, "ARM64_4K_PAGES")->value, "n");
	assert_string_equal(cvo_platform_symbol(p, "PAGE_SHIFT")->value, "14");
	assert_int_equal(p->config.hugetlb_page, 0);
	assert_string_equal(cvo_platform_symbol(p, "CMDLINE")->value, "console=ttyS0 \"quoted\"");
	/* a block in kernel.config lays symbols over the base: the version stays */
	assert_int_equal(p->kver_minor, 12);
	cvo_platform_free(p);
	expect_error("platform: x\narch: arm64\nkernel:\n  config: |\n    CONFIG_A=y\n    junk\n", 6,
		     1, "expected CONFIG_NAME=VALUE, \"# CONFIG_NAME is not set\" or a comment");
}

/* kernel.config-file: a whole .config beside the platform file. */
static void test_kconfig_file(void **state)
{
	write_file("armmp.config", "#\n# Linux/arm 6.1.176 Kernel Configuration\n#\n"
				   "CONFIG_ARM=y\nCONFIG_ARM_LPAE=y\nCONFIG_HIGHMEM=y\n"
				   "CONFIG_ZONE_DMA=y\nCONFIG_CMA=y\nCONFIG_DMA_CMA=y\n"
				   "CONFIG_CMA_SIZE_MBYTES=32\nCONFIG_CMA_SIZE_MBYTES=48\n"
				   "CONFIG_ARCH_FORCE_MAX_ORDER=12\n");
	write_file("lpae.yaml", "platform: lpae\narch: arm\nkernel:\n  config-file: armmp.config\n");
	struct cvo_platform *p = load_file_ok("lpae.yaml");
	/* the header gives the version, with its patch level */
	assert_int_equal(p->kver_major, 6);
	assert_int_equal(p->kver_minor, 1);
	assert_int_equal(p->kver_patch, 176);
	/* the file is the whole configuration: what it leaves out is n */
	assert_int_equal(p->config.hugetlb_page, 0);
	assert_int_equal(p->config.dma_direct_remap, 0);
	assert_int_equal(p->config.arm_lpae, 1);
	/* a later assignment wins, as in Kconfig */
	assert_int_equal(p->config.cma_size_mbytes, 48);
	assert_int_equal(p->max_page_order, 11);
	/* LPAE: phys_addr_t is 64 bits, RAM above 4 GiB is usable */
	assert_int_equal(cvo_platform_phys_max(p), UINT64_MAX);
	const struct cvo_kconfig_symbol *y = cvo_platform_symbol(p, "CMA_SIZE_MBYTES");
	/* beside the platform file, named as that file is, with the line */
	char want[300];
	snprintf(want, sizeof(want), "%s/armmp.config:11", scratch);
	assert_string_equal(y->origin, want);
	cvo_platform_free(p);

	/* an explicit version wins; a Debian ABI name takes the header's patch level */
	write_file("abi.yaml", "platform: abi\narch: arm\nkernel:\n  version: 6.1.0-50-armmp\n"
			       "  config-file: armmp.config\n");
	p = load_file_ok("abi.yaml");
	assert_int_equal(p->kver_minor, 1);
	assert_int_equal(p->kver_patch, 176);
	assert_string_equal(p->kver_release, "6.1.0-50-armmp");
	cvo_platform_free(p);

	write_file("broken.config", "CONFIG_A=y\nCONFIG_B=\"unterminated\n");
	write_file("broken.yaml", "platform: b\narch: arm\nkernel: {config-file: broken.config}\n");
	expect_file_error("broken.yaml", CVO_ERR_INVALID, "broken.config", 2,
			  "string value without its closing '\"'");
	write_file("arm64.config", "# Linux/arm64 6.12.117 Kernel Configuration\nCONFIG_ARM64=y\n");
	write_file("wrong-arch.yaml", "platform: w\narch: arm\nkernel: {config-file: arm64.config}\n");
	expect_file_error("wrong-arch.yaml", CVO_ERR_INVALID, "arm64.config", 1,
			  "the configuration is for Linux/arm64, the platform \"w\" is arm");
	write_file("missing.yaml", "platform: m\narch: arm\nkernel: {config-file: nope.config}\n");
	expect_file_error("missing.yaml", CVO_ERR_IO, "nope.config", 0,
			  "cannot open: No such file or directory");
	write_file("page.yaml", "platform: pg\narch: arm64\npage-size: 64K\n"
				"kernel:\n  config: {ARM64_16K_PAGES: y}\n");
	expect_file_error("page.yaml", CVO_ERR_INVALID, "page.yaml", 3,
			  "page-size: 64K disagrees with CONFIG_ARM64_16K_PAGES=y (line 5)");
	/* a file read from memory has no folder */
	expect_error("platform: x\narch: arm64\nkernel: {config-file: a.config}\n", 3, 23,
		     "kernel.config-file: a platform file read from memory has no folder to find "
		     "\"a.config\" in");
}

/* What the modelled symbols do besides the struct fields. */
static void test_kconfig_effects(void **state)
{
	/* DMA_CMA depends on CMA: Debian 13's riscv64 kernel has neither */
	struct cvo_platform *p = load_ok("platform: x\narch: riscv\n");
	assert_int_equal(p->config.dma_cma, 0);
	cvo_platform_free(p);
	p = load_ok("platform: x\narch: riscv\nkernel: {config: {DMA_CMA: y}}\n");
	assert_int_equal(p->config.dma_cma, 1);
	assert_int_equal(p->config.cma, 1);
	cvo_platform_free(p);
	p = load_ok("platform: x\narch: arm64\nkernel: {config: {CMA: n}}\n");
	assert_int_equal(p->config.dma_cma, 0);
	cvo_platform_free(p);
	/* CMA_SIZE_SEL_*: mm/cma size from the share of RAM, the smaller or the larger */
	p = load_ok("platform: x\narch: arm64\nkernel: {config: {CMA_SIZE_SEL_PERCENTAGE: y, "
		    "CMA_SIZE_PERCENTAGE: 10}}\n");
	assert_int_equal(p->config.cma_size_sel, CVO_CMA_SIZE_SEL_PERCENTAGE);
	assert_string_equal(cvo_platform_symbol(p, "CMA_SIZE_SEL_MBYTES")->value, "n");
	/* cma_early_percent_memory(): 1048576 pages * 10 / 100, rounded down */
	assert_int_equal(cvo_platform_cma_size(p, 4 * GiB), 104857 * UINT64_C(4096));
	cvo_platform_free(p);
	p = load_ok("platform: x\narch: arm64\nkernel: {config: {CMA_SIZE_SEL_MIN: y, "
		    "CMA_SIZE_PERCENTAGE: 1}}\n");
	assert_int_equal(cvo_platform_cma_size(p, 4 * GiB), 10485 * UINT64_C(4096));
	cvo_platform_free(p);
	p = load_ok("platform: x\narch: arm64\nkernel: {config: {CMA_SIZE_SEL_MAX: y, "
		    "CMA_SIZE_PERCENTAGE: 1}}\n");
	assert_int_equal(cvo_platform_cma_size(p, 4 * GiB), 64 * MiB);
	cvo_platform_free(p);
	/* arm: 32-bit phys_addr_t unless ARM_LPAE */
	p = load_ok("platform: x\nextends: debian13-armmp-lpae\n");
	assert_int_equal(cvo_platform_phys_max(p), UINT64_MAX);
	assert_int_equal(p->config.hugetlb_page, 1);
	cvo_platform_free(p);
	p = load_ok("platform: x\nextends: debian13-armmp-lpae\nkernel: {config: {ARM_LPAE: n}}\n");
	assert_int_equal(cvo_platform_phys_max(p), 0xffffffffu);
	cvo_platform_free(p);
	p = load_ok("platform: x\nextends: debian13-arm64-16k\n");
	assert_int_equal(p->page_size, 16384);
	assert_int_equal(p->max_page_order, 11);
	assert_int_equal(cvo_platform_cma_min_align(p), 32 * MiB);
	cvo_platform_free(p);
}

/* --kernel, --config, --cmdline, --memory, --page-size over a platform. */
static void test_overrides(void **state)
{
	struct cvo_overrides *ov = NULL;
	struct cvo_error err = {0};
	struct cvo_platform_options o = {.kernel = "6.6.30", .cmdline = "cma=32M@0x80000000",
					 .memory = "0x80000000:2G,0x880000000:1G",
					 .page_size = "16K"};
	assert_int_equal(cvo_overrides_new(&o, &ov, &err), 0);
	assert_true(cvo_overrides_any(ov));
	struct cvo_platform *p = NULL;
	assert_int_equal(cvo_platform_profile("debian12-arm64", &p, &err), 0);
	assert_int_equal(cvo_platform_override(p, ov, &err), 0);
	assert_int_equal(p->kver_minor, 6);
	assert_int_equal(p->kver_patch, 30);
	assert_int_equal(p->page_size, 16384);
	/* the configuration follows the page size the option set */
	assert_string_equal(cvo_platform_symbol(p, "ARM64_16K_PAGES")->value, "y");
	assert_string_equal(cvo_platform_symbol(p, "ARM64_16K_PAGES")->origin, "--page-size");
	assert_true(p->has_cmdline_cma);
	assert_int_equal(p->cmdline_cma_size, 32 * MiB);
	assert_int_equal(p->cmdline_cma_base, 0x80000000);
	assert_int_equal(p->n_memory, 2);
	assert_int_equal(p->memory[1].base, 0x880000000);
	assert_int_equal(p->memory[1].size, GiB);
	assert_string_equal(p->origin[CVO_ORIGIN_VERSION], "--kernel");
	assert_string_equal(p->origin[CVO_ORIGIN_MEMORY], "--memory");
	assert_string_equal(p->origin[CVO_ORIGIN_CMDLINE], "--cmdline");
	cvo_platform_free(p);
	/* an option that does not fit the platform */
	assert_int_equal(cvo_platform_profile("generic-arm", &p, &err), 0);
	assert_int_equal(cvo_platform_override(p, ov, &err), CVO_ERR_USAGE);
	assert_string_equal(err.source, "--page-size");
	cvo_platform_free(p);
	cvo_overrides_free(ov);
	cvo_overrides_free(NULL);
	/* nothing given: nothing changes */
	struct cvo_platform_options none = {0};
	assert_int_equal(cvo_overrides_new(&none, &ov, &err), 0);
	assert_false(cvo_overrides_any(ov));
	cvo_overrides_free(ov);
	static const struct {
		struct cvo_platform_options o;
		const char *source;
	} bad[] = {
	    {{.kernel = "x"}, "--kernel"},	  {{.page_size = "2M"}, "--page-size"},
	    {{.memory = "1G"}, "--memory"},	  {{.memory = "0:1G,"}, "--memory"},
	    {{.memory = "0:1Q"}, "--memory"},	  {{.memory = "0:99999999999T"}, "--memory"},
	    {{.cmdline = "cma=x"}, "--cmdline"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ov = NULL;
		int r = cvo_overrides_new(&bad[i].o, &ov, &err);
		if (r != CVO_ERR_USAGE)
			print_error("case %zu: %d %s\n", i, r, err.text);
		assert_int_equal(r, CVO_ERR_USAGE);
		assert_null(ov);
		assert_string_equal(err.source, bad[i].source);
	}
	/* every profile and alias loads and says where it comes from */
	const char *alias;
	size_t n = 0;
	for (size_t i = 0; cvo_platform_profile_name(i, &alias); i++, n++) {
		assert_int_equal(cvo_platform_profile(cvo_platform_profile_name(i, &alias), &p, &err),
				 0);
		assert_non_null(p->profile);
		assert_non_null(p->config_origin);
		assert_non_null(p->origin[CVO_ORIGIN_PAGE_SIZE]);
		cvo_platform_free(p);
	}
	assert_int_equal(n, 13);
	assert_int_equal(cvo_platform_profile("debian11-arm64", &p, &err), CVO_ERR_USAGE);
}

/* ------------------------------------------------------------------ CMA alignment */

static uint64_t align_of(const char *text)
{
	struct cvo_platform *p = load_ok(text);
	uint64_t a = cvo_platform_cma_min_align(p);
	cvo_platform_free(p);
	return a;
}

static void test_cma_min_align(void **state)
{
	/* arm64 HPAGE_PMD_SHIFT: 21, 25, 29 for 4K, 16K, 64K pages */
	assert_int_equal(align_of("platform: x\narch: arm64\npage-size: 4K\n"), 2 * MiB);
	assert_int_equal(align_of("platform: x\narch: arm64\npage-size: 16K\n"), 32 * MiB);
	assert_int_equal(align_of("platform: x\narch: arm64\npage-size: 64K\n"), 512 * MiB);
	/* no hugetlb (and no THP): MAX_ORDER - 1 = 10 with 4K pages */
	assert_int_equal(align_of("platform: x\narch: arm64\nkernel: {config: {HUGETLB_PAGE: n, "
				  "TRANSPARENT_HUGEPAGE: n}}\n"),
			 4 * MiB);
	/* before 5.19: PAGE_SIZE << max(MAX_ORDER - 1, pageblock_order) */
	assert_int_equal(align_of("platform: x\narch: arm64\nkernel: {version: \"5.15\"}\n"),
			 4 * MiB);
	assert_int_equal(align_of("platform: x\narch: arm64\nkernel: {version: \"5.19\"}\n"),
			 2 * MiB);
	/* THP alone sets pageblock_order from 6.10 */
	assert_int_equal(align_of("platform: x\narch: arm64\nkernel: {version: \"6.9\", "
				  "config: {HUGETLB_PAGE: n}}\n"),
			 4 * MiB);
	assert_int_equal(align_of("platform: x\narch: arm64\nkernel: {version: \"6.10\", "
				  "config: {HUGETLB_PAGE: n}}\n"),
			 2 * MiB);
	/* PAGE_BLOCK_ORDER caps it from 6.16 */
	assert_int_equal(align_of("platform: x\narch: arm64\npage-size: 64K\nkernel: {version: "
				  "\"6.16\", config: {PAGE_BLOCK_ORDER: 5}}\n"),
			 2 * MiB);
	assert_int_equal(align_of("platform: x\narch: arm64\npage-size: 64K\nkernel: {version: "
				  "\"6.15\", config: {PAGE_BLOCK_ORDER: 5}}\n"),
			 512 * MiB);
	/* armmp-lpae: HUGETLB_PAGE=y, 2 MiB sections */
	assert_int_equal(align_of("platform: x\narch: arm\nkernel: {config: {HUGETLB_PAGE: y}}\n"),
			 2 * MiB);
	/* ARCH_FORCE_MAX_ORDER: MAX_ORDER before 6.4, MAX_PAGE_ORDER from 6.4 */
	assert_int_equal(align_of("platform: x\narch: arm\nkernel: {version: \"6.1\", config: "
				  "{ARCH_FORCE_MAX_ORDER: 11}}\n"),
			 4 * MiB);
	assert_int_equal(align_of("platform: x\narch: arm\nkernel: {version: \"6.6\", config: "
				  "{ARCH_FORCE_MAX_ORDER: 11}}\n"),
			 8 * MiB);
	/* a page size change drops the inherited order for the new page size's default */
	assert_int_equal(align_of("platform: x\narch: arm64\npage-size: 64K\nkernel: {config: "
				  "{HUGETLB_PAGE: n, TRANSPARENT_HUGEPAGE: n}}\n"),
			 512 * MiB);

	struct cvo_platform zero = {.arch = CVO_ARCH_ARM64, .kver_major = 6, .kver_minor = 1};
	assert_int_equal(cvo_platform_cma_min_align(&zero), 4 * MiB);
	assert_true(cvo_platform_kver_ge(&zero, 6, 1));
	assert_true(cvo_platform_kver_ge(&zero, 5, 19));
	assert_false(cvo_platform_kver_ge(&zero, 6, 2));
	assert_false(cvo_platform_kver_ge(&zero, 7, 0));
}

/* ------------------------------------------------------------------ sizes */

static uint64_t size_of(const char *size)
{
	char text[256];
	snprintf(text, sizeof(text), "platform: x\narch: arm64\nmemory: [{base: 0, size: %s}]\n",
		 size);
	struct cvo_platform *p = load_ok(text);
	uint64_t v = p->memory[0].size;
	cvo_platform_free(p);
	return v;
}

static void test_sizes(void **state)
{
	assert_int_equal(size_of("4096"), 4096);
	assert_int_equal(size_of("0x1000"), 4096);
	assert_int_equal(size_of("0X1f"), 31);
	assert_int_equal(size_of("64K"), 65536);
	assert_int_equal(size_of("64k"), 65536);
	assert_int_equal(size_of("16M"), 16 * MiB);
	assert_int_equal(size_of("4G"), 4 * GiB);
	assert_int_equal(size_of("1T"), UINT64_C(1) << 40);
	assert_int_equal(size_of("0x10M"), 16 * MiB);
	assert_int_equal(size_of("\"8G\""), 8 * GiB);
	assert_int_equal(size_of("010"), 10); /* decimal, not octal */
	assert_int_equal(size_of("16777215T"), UINT64_C(16777215) << 40);
	assert_int_equal(size_of("18446744073709551615"), UINT64_MAX);
	assert_int_equal(size_of("0xffffffffffffffff"), UINT64_MAX);

	static const char *const malformed[] = {
	    "12Q", "-1", "1.5G", "0x", "K", "4 K", "4KB", "0xG", "1e3", "\"\"",
	};
	for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		char text[128], msg[200];
		snprintf(text, sizeof(text),
			 "platform: x\narch: arm64\nmemory:\n- {base: 0, size: %s}\n",
			 malformed[i]);
		const char *shown = malformed[i];
		char quoted[64];
		if (strcmp(shown, "\"\"") == 0)
			shown = "";
		snprintf(quoted, sizeof(quoted), "\"%s\"", shown);
		snprintf(msg, sizeof(msg),
			 "memory[0].size: expected a size (a number with an optional "
			 "K, M, G or T suffix), got %s",
			 quoted);
		expect_error(text, 4, 19, msg);
	}
	expect_error("platform: x\narch: arm64\nmemory:\n- {base: 0, size: 16777216T}\n", 4, 19,
		     "memory[0].size: \"16777216T\" does not fit in 64 bits");
	expect_error("platform: x\narch: arm64\nmemory:\n- {base: 0, size: 18446744073709551616}\n",
		     4, 19, "memory[0].size: \"18446744073709551616\" does not fit in 64 bits");
	expect_error("platform: x\narch: arm64\nmemory:\n- {base: 0, size: 0x10000000000000000}\n",
		     4, 19, "memory[0].size: \"0x10000000000000000\" does not fit in 64 bits");
	expect_error("platform: x\narch: arm64\nmemory:\n- {base: 0, size: 0}\n", 4, 19,
		     "memory[0].size: must not be 0");
	expect_error(
	    "platform: x\narch: arm64\nmemory:\n- {base: 0xffffffffffff0000, size: 128K}\n", 4, 3,
	    "memory[0]: base + size is beyond 2^64");
	/* ending exactly at 2^64 is fine */
	struct cvo_platform *p = load_ok("platform: x\narch: arm64\n"
					 "memory: [{base: 0xffffffffffff0000, size: 64K}]\n");
	assert_int_equal(p->memory[0].base, UINT64_C(0xffffffffffff0000));
	cvo_platform_free(p);
}

/* ------------------------------------------------------------------ command line */

static struct cvo_platform *with_cmdline(const char *cmdline)
{
	char text[512];
	snprintf(text, sizeof(text), "platform: x\narch: arm64\nkernel:\n  cmdline: '%s'\n",
		 cmdline);
	return load_ok(text);
}

static void test_cmdline(void **state)
{
	struct cvo_platform *p = with_cmdline("cma=256M@0x80000000-0xc0000000");
	assert_true(p->has_cmdline_cma);
	assert_int_equal(p->cmdline_cma_size, 256 * MiB);
	assert_int_equal(p->cmdline_cma_base, 0x80000000);
	assert_int_equal(p->cmdline_cma_limit, 0xc0000000);
	assert_false(p->has_coherent_pool);
	assert_false(p->has_mem);
	cvo_platform_free(p);

	/* early_cma(): a base without a limit fixes the area there */
	p = with_cmdline("root=/dev/sda1 cma=64M@0x40000000 quiet");
	assert_int_equal(p->cmdline_cma_size, 64 * MiB);
	assert_int_equal(p->cmdline_cma_base, 0x40000000);
	assert_int_equal(p->cmdline_cma_limit, 0x44000000);
	cvo_platform_free(p);

	/* memparse(): 0x hex, leading-0 octal, K..E suffixes in either case */
	p = with_cmdline("mem=0x80000000 coherent_pool=0400 cma=1g");
	assert_true(p->has_mem);
	assert_int_equal(p->mem, 0x80000000);
	assert_true(p->has_coherent_pool);
	assert_int_equal(p->coherent_pool, 256);
	assert_int_equal(p->cmdline_cma_size, GiB);
	cvo_platform_free(p);

	/* arm's mem=size@start; later parameters win; '-' and '_' are alike */
	p = with_cmdline("mem=1G mem=512M@0x60000000 coherent-pool=2M coherent_pool=1M cma=0");
	assert_int_equal(p->mem, 512 * MiB);
	assert_true(p->has_mem_base);
	assert_int_equal(p->mem_base, 0x60000000);
	assert_int_equal(p->coherent_pool, MiB);
	assert_true(p->has_cmdline_cma);
	assert_int_equal(p->cmdline_cma_size, 0);
	cvo_platform_free(p);

	/* quotes and "--" as next_arg() handles them */
	p = with_cmdline("dyndbg=\"file x.c +p\" cma=\"32M\" -- cma=1G mem=1G");
	assert_int_equal(p->cmdline_cma_size, 32 * MiB);
	assert_false(p->has_mem);
	cvo_platform_free(p);
	p = with_cmdline("\"cma=16P\"");
	assert_int_equal(p->cmdline_cma_size, UINT64_C(16) << 50);
	cvo_platform_free(p);

	/* other parameters pass untouched, even ones that start like ours */
	p = with_cmdline("cma_pernuma=16M memtest=4 mem_sleep_default=deep");
	assert_false(p->has_cmdline_cma);
	assert_false(p->has_mem);
	cvo_platform_free(p);

	p = with_cmdline("");
	assert_string_equal(p->cmdline, "");
	cvo_platform_free(p);

	static const struct {
		const char *cmdline, *msg;
	} bad[] = {
	    {"cma=abc", "kernel.cmdline: \"cma=abc\": expected cma=SIZE[@BASE[-LIMIT]]"},
	    {"cma=64Mfoo", "kernel.cmdline: \"cma=64Mfoo\": expected cma=SIZE[@BASE[-LIMIT]]"},
	    {"cma", "kernel.cmdline: \"cma\": expected cma=SIZE[@BASE[-LIMIT]]"},
	    {"cma=64M@", "kernel.cmdline: \"cma=64M@\": expected cma=SIZE[@BASE[-LIMIT]]"},
	    {"cma=64M@1G-", "kernel.cmdline: \"cma=64M@1G-\": expected cma=SIZE[@BASE[-LIMIT]]"},
	    {"cma=16E", "kernel.cmdline: \"cma=16E\": value does not fit in 64 bits"},
	    {"cma=1M@0xffffffffffffffff",
	     "kernel.cmdline: \"cma=1M@0xffffffffffffffff\": base + size is beyond 2^64"},
	    {"coherent_pool=", "kernel.cmdline: \"coherent_pool=\": expected coherent_pool=SIZE"},
	    {"coherent_pool=1M,2M",
	     "kernel.cmdline: \"coherent_pool=1M,2M\": expected coherent_pool=SIZE"},
	    {"mem=1G@", "kernel.cmdline: \"mem=1G@\": expected mem=SIZE[@START]"},
	    {"quiet mem=09", "kernel.cmdline: \"mem=09\": expected mem=SIZE[@START]"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[256];
		snprintf(text, sizeof(text), "platform: x\narch: arm64\nkernel:\n  cmdline: '%s'\n",
			 bad[i].cmdline);
		expect_error(text, 4, 12, bad[i].msg);
	}
}

/* ------------------------------------------------------------------ errors */

/* reserved[].dtb: the bootloader's copy of the DT, reserved where the arch reserves it */
static void test_reserved_dtb(void **state)
{
	(void)state;
	struct cvo_platform *p = load_ok("platform: x\narch: riscv\nreserved:\n"
					 "  - { name: fdt, base: 0xbfe00000, size: 64K, dtb: true }\n"
					 "  - { name: image, base: 0x80200000, size: 32M, dtb: false }\n");
	assert_int_equal(p->n_reserved, 2);
	assert_true(p->reserved[0].dtb);
	assert_false(p->reserved[1].dtb);
	cvo_platform_free(p);
	expect_error("platform: x\narch: riscv\nreserved: [{name: a, base: 0, size: 1M, dtb: 1}]\n",
		     3, 46, "reserved[0].dtb: expected true or false, got \"1\"");
}

static void test_error_unknown_key(void **state)
{
	expect_error("platform: x\narch: arm64\nfoo: 1\n", 3, 1,
		     "unknown key \"foo\": expected one of platform, extends, compatible, sources, "
		     "arch, page-size, kernel, memory, reserved, devices");
	expect_error("platform: x\narch: arm64\nkernel:\n  confg: {}\n", 4, 3,
		     "kernel: unknown key \"confg\": expected one of version, config, config-file, cmdline");
	/* kernel.config takes every symbol: those carveout does not model are kept, not refused */
	expect_error("platform: x\narch: arm64\nkernel:\n  config:\n    ZONE_DMA: y\n    C-MA: y\n",
		     6, 5,
		     "kernel.config: \"C-MA\": not a Kconfig symbol name (letters, digits and '_', "
		     "up to 128)");
	expect_error(
	    "platform: x\narch: arm64\ndevices:\n  - match: {path: /a}\n    dma_bits: 32\n", 5, 5,
	    "devices[0]: unknown key \"dma_bits\": expected one of match, dma-bits, coherent, "
	    "iommu, cma, small-allocs, atomic, firmware-owned, attach, "
	    "movable");
	expect_error("platform: x\narch: arm64\ndevices:\n  - match: {node: /a}\n", 4, 13,
		     "devices[0].match: unknown key \"node\": expected one of compatible, path");
	expect_error("platform: x\narch: arm64\nmemory: [{base: 0, size: 1M, end: 2M}]\n", 3, 30,
		     "memory[0]: unknown key \"end\": expected one of base, size");
	expect_error("platform: x\narch: arm64\nreserved: [{name: a, base: 0, size: 1M, n: 1}]\n",
		     3, 41, "reserved[0]: unknown key \"n\": expected one of name, base, size, dtb");
	/* keys are case-sensitive */
	expect_error("Platform: x\narch: arm64\n", 1, 1,
		     "unknown key \"Platform\": expected one of platform, extends, compatible, "
		     "sources, arch, page-size, kernel, memory, reserved, devices");
	expect_error("platform: x\narch: arm64\n[a]: 1\n", 3, 1,
		     "expected a key name, got a sequence");
}

static void test_error_duplicate_key(void **state)
{
	expect_error("platform: x\narch: arm64\narch: arm\n", 3, 1,
		     "duplicate key \"arch\" (first at line 2)");
	expect_error(
	    "platform: x\narch: arm64\nkernel:\n  config:\n    ZONE_DMA: y\n    ZONE_DMA: n\n", 6,
	    5, "kernel.config: duplicate symbol \"ZONE_DMA\" (first at line 5)");
	expect_error("platform: x\narch: arm64\ndevices:\n- match: {path: /a, path: /b}\n", 4, 21,
		     "devices[0].match: duplicate key \"path\" (first at line 4)");
	expect_error("platform: x\narch: arm64\ndevices:\n- match: {compatible: \"a,b\"}\n"
		     "- match: {compatible: \"a,b\"}\n  coherent: true\n",
		     5, 10, "devices[1].match: same match as devices[0] (line 4)");
	expect_error("platform: x\narch: arm64\nreserved:\n- {name: fw, base: 0, size: 1M}\n"
		     "- {name: fw, base: 1M, size: 1M}\n",
		     5, 10, "reserved[1].name: duplicate name \"fw\" (first in reserved[0])");
}

static void test_error_wrong_type(void **state)
{
	expect_error("platform: x\narch: arm64\nmemory: {base: 0}\n", 3, 9,
		     "memory: expected a sequence, got a mapping");
	expect_error("platform: [x]\narch: arm64\n", 1, 11,
		     "platform: expected a name of up to 64 letters, digits, '.', '_' and '-', "
		     "got a sequence");
	expect_error("platform: a/b\narch: arm64\n", 1, 11,
		     "platform: expected a name of up to 64 letters, digits, '.', '_' and '-', "
		     "got \"a/b\"");
	expect_error("platform: x\narch: arm64\nkernel: 6.6\n", 3, 9,
		     "kernel: expected a mapping, got \"6.6\"");
	expect_error("platform: x\narch: arm64\nkernel:\n", 3, 8,
		     "kernel: expected a mapping, got null");
	expect_error("platform: x\narch: arm64\ncompatible: \"a,b\"\n", 3, 13,
		     "compatible: expected a sequence, got \"a,b\"");
	expect_error("platform: x\narch: arm64\nsources: [[a]]\n", 3, 11,
		     "sources[0]: expected a non-empty string, got a sequence");
	expect_error("platform: x\narch: arm64\ndevices:\n- match: {path: /a}\n  coherent: yes\n",
		     5, 13, "devices[0].coherent: expected true or false, got \"yes\"");
	expect_error("platform: x\narch: arm64\ndevices:\n- match: {path: /a}\n  iommu: \"true\"\n",
		     5, 10, "devices[0].iommu: expected true or false, got \"true\"");
	expect_error("platform: x\narch: arm64\ndevices:\n- match: {path: /a}\n  dma-bits: 65\n", 5,
		     13, "devices[0].dma-bits: expected a number from 1 to 64, got \"65\"");
	expect_error("platform: x\narch: arm64\ndevices:\n- match: {path: a}\n", 4, 17,
		     "devices[0].match.path: expected an absolute node path such as \"/soc/scm\", "
		     "got \"a\"");
	expect_error("platform: x\narch: arm64\ndevices:\n- {}\n", 4, 3,
		     "devices[0]: missing required key \"match\"");
	expect_error("platform: x\narch: arm64\ndevices: [match]\n", 3, 11,
		     "devices[0]: expected a mapping, got \"match\"");
	expect_error("platform: x\narch: arm64\nkernel: {config: {CMA_AREAS: y}}\n", 3, 30,
		     "kernel.config.CMA_AREAS: expected a number from 1 to 4096, got \"y\"");
	expect_error("platform: x\narch: arm64\nkernel: {config: {HUGETLB_PAGE: 1}}\n", 3, 33,
		     "kernel.config.HUGETLB_PAGE: expected y or n, got \"1\"");
	expect_error("platform: x\narch: arm64\nkernel: {config: {ZONE_DMA: yes}}\n", 3, 29,
		     "kernel.config.ZONE_DMA: expected y or n, got \"yes\"");
	expect_error("platform: x\narch: arm64\nkernel: {version: 6}\n", 3, 19,
		     "kernel.version: expected a version \"MAJOR.MINOR[.PATCH]\" such as \"6.12\", "
		     "or `uname -r` such as \"6.12.117+deb13-arm64\", got \"6\"");
	expect_error("platform: x\narch: arm64\nkernel: {version: 6.1.55.2}\n", 3, 19,
		     "kernel.version: expected a version \"MAJOR.MINOR[.PATCH]\" such as \"6.12\", "
		     "or `uname -r` such as \"6.12.117+deb13-arm64\", got \"6.1.55.2\"");
	expect_error("platform: x\narch: arm64\nkernel: {config: {CMA_AREAS: [1]}}\n", 3, 30,
		     "kernel.config.CMA_AREAS: expected y, m, n, a number or a string, got a "
		     "sequence");
	expect_error("platform: x\narch: arm64\nkernel: {config: {DMA_CMA: m}}\n", 3, 28,
		     "kernel.config.DMA_CMA: expected y or n, got \"m\"");
	expect_error("platform: x\narch: arm64\nkernel: {config: 5}\n", 3, 18,
		     "kernel.config: expected a mapping of Kconfig symbols, or .config text in a | "
		     "block, got \"5\"");
	expect_error("platform: x\narch: arm64\nkernel: {cmdline: [a]}\n", 3, 19,
		     "kernel.cmdline: expected a string, got a sequence");
	expect_error("platform: x\narch: arm64\npage-size: 8K\n", 3, 12,
		     "page-size: expected 4K, 16K or 64K, got \"8K\"");
	expect_error("platform: x\narch: arm\npage-size: 64K\n", 3, 12,
		     "page-size: 64K is not a page size of arch arm (expected 4K)");
	expect_error(
	    "platform: x\narch: arm64\ncompatible: [qcom,sc7180]\n", 3, 14,
	    "compatible[0]: expected a \"vendor,model\" compatible (quote it inside [...]), "
	    "got \"qcom\"");
	expect_error("platform: x\narch: arm64\nkernel: {config: {PAGE_BLOCK_ORDER: 11}}\n", 3, 37,
		     "kernel.config.PAGE_BLOCK_ORDER: 11 is above the largest page order 10");
	expect_error("platform: x\narch: arm\nkernel: {version: \"6.1\", config: {ARCH_FORCE_MAX_ORDER: 1}}\n", 3, 57,
		     "kernel.config.ARCH_FORCE_MAX_ORDER: expected a number from 2 to 21 "
		     "(MAX_ORDER before 6.4), got \"1\"");
}

static void test_error_unknown_arch(void **state)
{
	expect_error("platform: x\narch: x86\n", 2, 7,
		     "arch: expected arm, arm64, riscv or powerpc, got \"x86\"");
	expect_error("platform: x\narch: ARM64\n", 2, 7,
		     "arch: expected arm, arm64, riscv or powerpc, got \"ARM64\"");
	expect_error("platform: x\narch:\n", 2, 6,
		     "arch: expected arm, arm64, riscv or powerpc, got null");
}

static void test_error_match(void **state)
{
	expect_error(
	    "platform: x\narch: arm64\ndevices:\n  - match: {compatible: \"a,b\", path: /x}\n", 4,
	    12, "devices[0].match: expected exactly one of compatible or path, got both");
	expect_error("platform: x\narch: arm64\ndevices:\n  - match: {}\n    coherent: true\n", 4,
		     12,
		     "devices[0].match: expected exactly one of compatible or path, got neither");
	expect_error("platform: x\narch: arm64\ndevices:\n  - match: ~\n", 4, 12,
		     "devices[0].match: expected a mapping, got null");
}

static void test_error_missing(void **state)
{
	expect_error("arch: arm64\n", 1, 1, "missing required key \"platform\"");
	expect_error("platform: x\n", 1, 1, "missing required key \"arch\"");
	expect_error("\n\n  platform: x\n  compatible: [\"a,b\"]\n", 3, 3,
		     "missing required key \"arch\"");
	expect_error("platform: x\narch: arm64\nmemory: [{base: 0}]\n", 3, 10,
		     "memory[0]: missing required key \"size\"");
	expect_error("platform: x\narch: arm64\nreserved: [{base: 0, size: 1M}]\n", 3, 12,
		     "reserved[0]: missing required key \"name\"");
}

static void test_error_yaml(void **state)
{
	expect_error("", 1, 1, "expected a mapping, got an empty document");
	expect_error("# only a comment\n", 1, 1, "expected a mapping, got an empty document");
	expect_error("- a\n- b\n", 1, 1, "platform file: expected a mapping, got a sequence");
	expect_error("platform: x\narch: arm64\n---\nplatform: y\n", 3, 1,
		     "expected a single YAML document");
	expect_error("platform: &n x\narch: arm64\nsources: [*n]\n", 3, 11,
		     "YAML aliases are not supported");
	expect_error("platform: x\n  arch: arm64\n", 2, 7,
		     "invalid YAML: mapping values are not allowed in this context");
	expect_error("platform: \"x\narch: arm64\n", 3, 1,
		     "invalid YAML: found unexpected end of stream while scanning a quoted scalar");
	expect_error("platform: \"a\\0b\"\narch: arm64\n", 1, 11, "NUL characters are not allowed");
	expect_error("a: [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]\n", 1, 19,
		     "nesting deeper than 16 levels");
	expect_error("platform: x\narch: arm64\nsources: [\"\\xff\xfe\"]\n", 3, 16,
		     "invalid YAML: invalid leading UTF-8 octet at byte 39");

	/* too large: refused before it is parsed */
	size_t big = (1u << 20) + 1;
	char *text = malloc(big + 1);
	assert_non_null(text);
	memset(text, '#', big);
	text[big] = '\0';
	struct cvo_platform *p = NULL;
	struct cvo_error err = {0};
	assert_int_equal(cvo_platform_load_buffer(text, big, "t.yaml", NULL, &p, &err),
			 CVO_ERR_INVALID);
	assert_string_equal(err.text, "file is larger than 1048576 bytes");
	assert_int_equal(err.line, 0);
	assert_null(p);
	/* exactly the cap is accepted (and is a comment-only, empty document) */
	assert_int_equal(cvo_platform_load_buffer(text, big - 1, "t.yaml", NULL, &p, &err),
			 CVO_ERR_INVALID);
	assert_string_equal(err.text, "expected a mapping, got an empty document");
	free(text);

	/* the same from a file */
	write_file("big.yaml", "");
	char path[256];
	snprintf(path, sizeof(path), "%s/big.yaml", scratch);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	for (size_t i = 0; i < big; i++)
		fputc('#', f);
	fclose(f);
	assert_int_equal(cvo_platform_load(path, &p, &err), CVO_ERR_INVALID);
	assert_string_equal(err.source, path);
	assert_string_equal(err.text, "file is larger than 1048576 bytes");

	snprintf(path, sizeof(path), "%s/none.yaml", scratch);
	assert_int_equal(cvo_platform_load(path, &p, &err), CVO_ERR_IO);
	assert_string_equal(err.text, "cannot open: No such file or directory");
	assert_null(p);
}

/* ------------------------------------------------------------------ extends */

static void test_extends(void **state)
{
	write_file("soc.yaml", "platform: soc\n"
			       "arch: arm64\n"
			       "compatible: [\"v,soc\"]\n"
			       "sources: [\"soc datasheet\"]\n"
			       "kernel:\n"
			       "  version: \"6.6\"\n"
			       "  config: { ZONE_DMA: n, CMA_SIZE_MBYTES: 32 }\n"
			       "  cmdline: \"cma=32M\"\n"
			       "memory: [{ base: 0x40000000, size: 1G }]\n"
			       "reserved: [{ name: tfa, base: 0x40000000, size: 2M }, { name: "
			       "optee, base: 0x41000000, size: 16M }]\n"
			       "devices:\n"
			       "  - match: { compatible: \"v,dma\" }\n"
			       "    dma-bits: 32\n"
			       "  - match: { compatible: \"v,gpu\" }\n"
			       "    iommu: true\n");
	write_file("board.yaml", "platform: board\n"
				 "extends: soc\n"
				 "compatible: [\"v,board\"]\n"
				 "sources: [\"board schematics\"]\n"
				 "kernel:\n"
				 "  config: { CMA_AREAS: 8 }\n"
				 "reserved: [{ name: optee, base: 0x42000000, size: 32M }]\n"
				 "devices:\n"
				 "  - match: { compatible: \"v,dma\" }\n"
				 "    dma-bits: 30\n"
				 "  - match: { path: \"/soc/x\" }\n"
				 "    coherent: true\n");
	char path[256];
	snprintf(path, sizeof(path), "%s/board.yaml", scratch);
	struct cvo_platform *p = NULL;
	struct cvo_error err = {0};
	assert_int_equal(cvo_platform_load(path, &p, &err), 0);
	assert_string_equal(p->name, "board");
	assert_string_equal(p->file, path);
	assert_string_equal(p->extends, "soc");
	assert_int_equal(p->arch, CVO_ARCH_ARM64);
	/* compatible is replaced, sources add up */
	assert_int_equal(p->n_compatible, 1);
	assert_string_equal(p->compatible[0], "v,board");
	assert_int_equal(p->n_sources, 3);
	assert_string_equal(p->sources[1], "soc datasheet");
	assert_string_equal(p->sources[2], "board schematics");
	/* kernel: version and config keys inherited one by one */
	assert_int_equal(p->kver_major, 6);
	assert_int_equal(p->kver_minor, 6);
	assert_int_equal(p->config.zone_dma, 0);
	assert_int_equal(p->config.zone_dma32, 1);
	assert_int_equal(p->config.cma_size_mbytes, 32);
	assert_int_equal(p->config.cma_areas, 8);
	assert_string_equal(p->cmdline, "cma=32M");
	assert_true(p->has_cmdline_cma);
	assert_int_equal(p->cmdline_cma_size, 32 * MiB);
	assert_int_equal(p->n_memory, 1);
	/* reserved and devices merge: same name / same match replaces */
	assert_int_equal(p->n_reserved, 2);
	assert_string_equal(p->reserved[0].name, "tfa");
	assert_string_equal(p->reserved[1].name, "optee");
	assert_int_equal(p->reserved[1].base, 0x42000000);
	assert_int_equal(p->reserved[1].size, 32 * MiB);
	assert_int_equal(p->n_devices, 3);
	assert_string_equal(p->devices[0].match_compatible, "v,dma");
	assert_int_equal(p->devices[0].dma_bits, 30);
	assert_string_equal(p->devices[1].match_compatible, "v,gpu");
	assert_int_equal(p->devices[1].iommu, 1);
	assert_string_equal(p->devices[2].match_path, "/soc/x");
	cvo_platform_free(p);

	/* a later file's cmdline replaces the whole parse */
	write_file("board2.yaml",
		   "platform: board2\nextends: soc\nkernel: {cmdline: \"mem=1G\"}\n");
	snprintf(path, sizeof(path), "%s/board2.yaml", scratch);
	assert_int_equal(cvo_platform_load(path, &p, &err), 0);
	assert_false(p->has_cmdline_cma);
	assert_true(p->has_mem);
	cvo_platform_free(p);

	/* the built-in generic profiles by name, and from a buffer with a boards dir */
	p = load_ok("platform: x\nextends: generic-arm\n");
	assert_int_equal(p->arch, CVO_ARCH_ARM);
	assert_string_equal(p->extends, "generic-arm");
	cvo_platform_free(p);
	const char *y = "platform: y\nextends: board\narch: arm64\n";
	assert_int_equal(cvo_platform_load_buffer(y, strlen(y), "t.yaml", scratch, &p, &err), 0);
	assert_string_equal(p->name, "y");
	assert_int_equal(p->devices[0].dma_bits, 30);
	cvo_platform_free(p);
}

static void test_extends_errors(void **state)
{
	char msg[512];
	snprintf(msg, sizeof(msg),
		 "extends: no platform \"nope\" (looked for nope.yaml and the boards directory)");
	expect_error_in("platform: x\nextends: nope\n", scratch, CVO_ERR_INVALID, 2, 10, msg);
	expect_error("platform: x\nextends: nope\n", 2, 10,
		     "extends: no platform \"nope\" (looked for nope.yaml)");
	expect_error("platform: x\nextends: ../etc\n", 2, 10,
		     "extends: expected a name of up to 64 letters, digits, '.', '_' and '-', "
		     "got \"../etc\"");
	expect_error(
	    "platform: x\nextends: generic-arm64\narch: arm\n", 3, 7,
	    "arch: \"arm\" differs from \"arm64\" of the extended platform \"generic-arm64\"");

	write_file("loop-a.yaml", "platform: a\nextends: loop-b\n");
	write_file("loop-b.yaml", "platform: b\narch: arm64\nextends: loop-c\n");
	write_file("loop-c.yaml", "platform: c\nextends: loop-a\n");
	char path[256], where[256];
	snprintf(path, sizeof(path), "%s/loop-a.yaml", scratch);
	snprintf(where, sizeof(where), "%s/loop-c.yaml", scratch);
	struct cvo_platform *p = NULL;
	struct cvo_error err = {0};
	assert_int_equal(cvo_platform_load(path, &p, &err), CVO_ERR_INVALID);
	assert_null(p);
	assert_string_equal(err.source, where);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.column, 10);
	assert_string_equal(err.text, "extends: loop: a -> b -> c -> loop-a");

	write_file("self.yaml", "platform: self\nextends: self\n");
	snprintf(path, sizeof(path), "%s/self.yaml", scratch);
	assert_int_equal(cvo_platform_load(path, &p, &err), CVO_ERR_INVALID);
	assert_string_equal(err.text, "extends: loop: self -> self");

	/* an error inside the base names the base file */
	write_file("broken.yaml", "platform: broken\narch: arm64\nfoo: 1\n");
	write_file("uses-broken.yaml", "platform: u\nextends: broken\n");
	snprintf(path, sizeof(path), "%s/uses-broken.yaml", scratch);
	snprintf(where, sizeof(where), "%s/broken.yaml", scratch);
	assert_int_equal(cvo_platform_load(path, &p, &err), CVO_ERR_INVALID);
	assert_string_equal(err.source, where);
	assert_int_equal(err.line, 3);
	assert_int_equal(err.column, 1);

	/* a chain deeper than 16 */
	for (int i = 0; i <= 17; i++) {
		char name[32], text[96];
		snprintf(name, sizeof(name), "deep%d.yaml", i);
		if (i == 17)
			snprintf(text, sizeof(text), "platform: d%d\narch: arm64\n", i);
		else
			snprintf(text, sizeof(text), "platform: d%d\nextends: deep%d\n", i, i + 1);
		write_file(name, text);
	}
	snprintf(path, sizeof(path), "%s/deep0.yaml", scratch);
	assert_int_equal(cvo_platform_load(path, &p, &err), CVO_ERR_INVALID);
	assert_string_equal(err.text, "extends: more than 16 levels");
	snprintf(path, sizeof(path), "%s/deep2.yaml", scratch);
	assert_int_equal(cvo_platform_load(path, &p, &err), 0);
	assert_string_equal(p->name, "d2");
	cvo_platform_free(p);
}

/* ------------------------------------------------------------------ bundled boards */

static void test_bundled_boards(void **state)
{
	DIR *d = opendir(BOARDS_DIR);
	assert_non_null(d);
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".yaml") != 0)
			continue;
		char path[512], stem[256];
		snprintf(path, sizeof(path), "%s/%s", BOARDS_DIR, de->d_name);
		snprintf(stem, sizeof(stem), "%.*s", (int)(len - 5), de->d_name);
		struct cvo_platform *p = NULL;
		struct cvo_error err = {0};
		int r = cvo_platform_load_dir(path, BOARDS_DIR, &p, &err);
		if (r)
			print_error("%s:%d:%d: %s\n", err.source, err.line, err.column, err.text);
		assert_int_equal(r, 0);
		assert_string_equal(p->name, stem);
		assert_true(p->n_compatible >= 1);
		assert_true(p->n_sources >= 2); /* the generic profile's and its own */
		for (size_t i = 0; i < p->n_compatible; i++)
			assert_non_null(strchr(p->compatible[i], ','));
		cvo_platform_free(p);
		n++;
	}
	closedir(d);
	assert_true(n >= 12);

	struct cvo_platform **list = NULL;
	size_t nlist = 0;
	struct cvo_error err = {0};
	assert_int_equal(cvo_platform_list(BOARDS_DIR, &list, &nlist, &err), 0);
	assert_int_equal(nlist, n);
	/* in file-name order ("bcm2711-rpi-400.yaml" before "bcm2711.yaml"): -p auto's tie-break */
	for (size_t i = 1; i < nlist; i++) {
		char a[80], b[80];
		snprintf(a, sizeof(a), "%s.yaml", list[i - 1]->name);
		snprintf(b, sizeof(b), "%s.yaml", list[i]->name);
		assert_true(strcmp(a, b) < 0);
	}
	cvo_platform_list_free(list, nlist);

	/* values the boards exist for */
	struct cvo_platform *p = NULL;
	assert_int_equal(cvo_platform_resolve("qcom-sc7180", NULL, BOARDS_DIR, &p, &err), 0);
	assert_int_equal(p->kver_major, 6);
	assert_int_equal(p->kver_minor, 6);
	assert_int_equal(p->config.init_on_alloc_default_on, 1);
	assert_string_equal(p->devices[0].match_compatible, "qcom,scm");
	assert_int_equal(p->devices[0].coherent, 1);
	cvo_platform_free(p);
	assert_int_equal(cvo_platform_resolve("qcom-sm8450", NULL, BOARDS_DIR, &p, &err), 0);
	assert_int_equal(p->config.zone_dma, 0);
	assert_int_equal(p->config.zone_dma32, 0);
	assert_string_equal(p->devices[0].match_compatible, "qcom,scm");
	assert_int_equal(p->devices[0].dma_bits, 32);
	assert_int_equal(p->devices[0].small_allocs, 1);
	cvo_platform_free(p);
	assert_int_equal(cvo_platform_resolve("brcmstb-bcm7445", NULL, BOARDS_DIR, &p, &err), 0);
	assert_int_equal(p->arch, CVO_ARCH_ARM);
	assert_int_equal(p->config.dma_restricted_pool, 1);
	assert_int_equal(p->config.dma_direct_remap, 0);
	cvo_platform_free(p);
	/* i.MX 8QM: U-Boot's first bank starts past TF-A's SCU partition, 2 MiB-aligned */
	assert_int_equal(cvo_platform_resolve("nxp-imx8qm-2g", NULL, BOARDS_DIR, &p, &err), 0);
	assert_int_equal(p->kver_minor, 12);
	assert_int_equal(p->n_memory, 1);
	assert_int_equal(p->memory[0].base, 0x80200000);
	assert_int_equal(p->memory[0].size, 2 * GiB - 2 * MiB);
	cvo_platform_free(p);
	/* i.MX 8M: 3 GiB from 0x40000000 below 4 GiB, the rest from 0x100000000 */
	assert_int_equal(cvo_platform_resolve("nxp-imx8mq-4g", NULL, BOARDS_DIR, &p, &err), 0);
	assert_int_equal(p->n_memory, 2);
	assert_int_equal(p->memory[0].base, 0x40000000);
	assert_int_equal(p->memory[0].size, 3 * GiB);
	assert_int_equal(p->memory[1].base, 0x100000000);
	assert_int_equal(p->memory[1].size, GiB);
	cvo_platform_free(p);
	/* QCM2290 (RB1): DDR from 0x40000000, not the 0x80000000 of the larger Qualcomm SoCs */
	assert_int_equal(cvo_platform_resolve("qcom-qcm2290-2g", NULL, BOARDS_DIR, &p, &err), 0);
	assert_int_equal(p->n_memory, 1);
	assert_int_equal(p->memory[0].base, 0x40000000);
	assert_int_equal(p->memory[0].size, 2 * GiB);
	cvo_platform_free(p);
	assert_int_equal(cvo_platform_resolve("qcom-qcm6490-6g", NULL, BOARDS_DIR, &p, &err), 0);
	assert_int_equal(p->n_memory, 1);
	assert_int_equal(p->memory[0].base, 0x80000000);
	assert_int_equal(p->memory[0].size, 6 * GiB);
	cvo_platform_free(p);
	/* MT8183 kukui: 4 GiB from 0x40000000 over the DT's placeholder, the rest from
	 * mediatek-mt8183 (chromeos-6.6, the SCP's region firmware-owned) */
	assert_int_equal(cvo_platform_resolve("mediatek-mt8183-4g", NULL, BOARDS_DIR, &p, &err), 0);
	assert_int_equal(p->kver_major, 6);
	assert_int_equal(p->kver_minor, 6);
	assert_int_equal(p->n_memory, 1);
	assert_int_equal(p->memory[0].base, 0x40000000);
	assert_int_equal(p->memory[0].size, 4 * GiB);
	assert_int_equal(p->n_devices, 1);
	assert_string_equal(p->devices[0].match_compatible, "mediatek,mt8183-scp");
	assert_int_equal(p->devices[0].firmware_owned, 1);
	cvo_platform_free(p);
	assert_int_equal(cvo_platform_resolve("mediatek-mt8183", NULL, BOARDS_DIR, &p, &err), 0);
	assert_int_equal(p->n_memory, 0);
	cvo_platform_free(p);
	/* H6: 4 GiB fitted, the 3 GiB below 4 GiB mapped */
	assert_int_equal(cvo_platform_resolve("allwinner-sun50i-h6-4g", NULL, BOARDS_DIR, &p, &err),
			 0);
	assert_int_equal(p->n_memory, 1);
	assert_int_equal(p->memory[0].base, 0x40000000);
	assert_int_equal(p->memory[0].size, 3 * GiB);
	cvo_platform_free(p);
	/* Layerscape: bank 0 below 4 GiB without the secure DRAM, bank 1 from 0x880000000 */
	assert_int_equal(cvo_platform_resolve("nxp-ls1046a-8g", NULL, BOARDS_DIR, &p, &err), 0);
	assert_int_equal(p->n_memory, 2);
	assert_int_equal(p->memory[0].base, 0x80000000);
	assert_int_equal(p->memory[0].size, 2 * GiB - 66 * MiB);
	assert_int_equal(p->memory[1].base, 0x880000000);
	assert_int_equal(p->memory[1].size, 6 * GiB);
	cvo_platform_free(p);
	/* Exynos (GS101): the low 2 GiB window, the rest from 0x880000000 */
	assert_int_equal(cvo_platform_resolve("google-gs101-oriole", NULL, BOARDS_DIR, &p, &err), 0);
	assert_int_equal(p->n_memory, 2);
	assert_int_equal(p->memory[0].base, 0x80000000);
	assert_int_equal(p->memory[1].base, 0x880000000);
	assert_int_equal(p->memory[0].size + p->memory[1].size, 8 * GiB);
	cvo_platform_free(p);
}

/* ------------------------------------------------------------------ resolving -p */

static void test_resolve(void **state)
{
	struct cvo_platform *p = NULL;
	struct cvo_error err = {0};

	struct dt_spec lazor = {
	    .root_compat = COMPAT("google,lazor\0qcom,sc7180"),
	    .root_addr_cells = 2,
	    .cpu_compat = "qcom,kryo468",
	};
	void *fdt = build_dt(&lazor);
	assert_int_equal(cvo_platform_resolve("auto", fdt, BOARDS_DIR, &p, &err), 0);
	assert_string_equal(p->name, "qcom-sc7180");
	cvo_platform_free(p);
	assert_int_equal(cvo_platform_resolve(NULL, fdt, BOARDS_DIR, &p, &err), 0);
	assert_string_equal(p->name, "qcom-sc7180");
	cvo_platform_free(p);
	/* without a boards directory: the generic profile of the DT's arch */
	assert_int_equal(cvo_platform_resolve("auto", fdt, NULL, &p, &err), 0);
	assert_string_equal(p->name, "generic-arm64");
	cvo_platform_free(p);
	free(fdt);

	/* QEMU virt: both boards list linux,dummy-virt; the DT's arch picks */
	struct dt_spec virt32 = {
	    .root_compat = COMPAT("linux,dummy-virt"),
	    .root_addr_cells = 2,
	    .cpu_compat = "arm,cortex-a15",
	};
	fdt = build_dt(&virt32);
	assert_int_equal(cvo_platform_resolve("auto", fdt, BOARDS_DIR, &p, &err), 0);
	assert_string_equal(p->name, "qemu-virt-arm32");
	cvo_platform_free(p);
	free(fdt);
	struct dt_spec virt64 = {
	    .root_compat = COMPAT("linux,dummy-virt"),
	    .root_addr_cells = 2,
	    .cpu_compat = "arm,cortex-a57",
	};
	fdt = build_dt(&virt64);
	assert_int_equal(cvo_platform_resolve("auto", fdt, BOARDS_DIR, &p, &err), 0);
	assert_string_equal(p->name, "qemu-virt-arm64");
	cvo_platform_free(p);
	free(fdt);

	/* the most specific root compatible wins */
	char dir[128], path[256];
	make_subdir("auto");
	write_file("auto/most.yaml", "platform: most\narch: arm64\ncompatible: [\"v,board\"]\n");
	write_file("auto/least.yaml", "platform: least\narch: arm64\ncompatible: [\"v,soc\"]\n");
	write_file("auto/notes.txt", "not a board\n");
	snprintf(dir, sizeof(dir), "%s/auto", scratch);
	struct dt_spec two = {.root_compat = COMPAT("v,board\0v,soc")};
	fdt = build_dt(&two);
	assert_int_equal(cvo_platform_resolve("auto", fdt, dir, &p, &err), 0);
	assert_string_equal(p->name, "most");
	cvo_platform_free(p);
	/* a broken board in the directory is an error, not a silent fallback */
	make_subdir("autobad");
	write_file("autobad/a.yaml", "platform: a\narch: arm64\ncompatible: [\"v,board\"]\n");
	write_file("autobad/b.yaml", "platform: b\n");
	snprintf(path, sizeof(path), "%s/autobad", scratch);
	assert_int_equal(cvo_platform_resolve("auto", fdt, path, &p, &err), CVO_ERR_INVALID);
	assert_string_equal(err.text, "missing required key \"arch\"");
	free(fdt);
	/* the same over a list loaded once: borrowed pointers, NULL for no match */
	struct cvo_platform **boards = NULL;
	size_t nb = 0;
	assert_int_equal(cvo_platform_list(BOARDS_DIR, &boards, &nb, &err), 0);
	fdt = build_dt(&virt32);
	const struct cvo_platform *m = cvo_platform_match(boards, nb, fdt);
	assert_non_null(m);
	assert_string_equal(m->name, "qemu-virt-arm32");
	free(fdt);
	struct dt_spec virt_riscv = {
	    .root_compat = COMPAT("linux,dummy-virt"),
	    .cpu_compat = "riscv",
	    .riscv_isa = true,
	};
	fdt = build_dt(&virt_riscv);
	m = cvo_platform_match(boards, nb, fdt); /* no riscv board: the first by file name */
	assert_non_null(m);
	assert_string_equal(m->name, "qemu-virt-arm32");
	free(fdt);
	struct dt_spec none = {.root_compat = COMPAT("x,y\0z,w")};
	fdt = build_dt(&none);
	assert_null(cvo_platform_match(boards, nb, fdt));
	assert_null(cvo_platform_match(boards, nb, NULL));
	assert_null(cvo_platform_match(NULL, 0, fdt));
	free(fdt);
	struct dt_spec unterminated = {.root_compat = "qcom,sc7180", .root_compat_len = 11};
	fdt = build_dt(&unterminated);
	assert_null(cvo_platform_match(boards, nb, fdt));
	free(fdt);
	cvo_platform_list_free(boards, nb);

	struct dt_spec other = {.root_compat = COMPAT("x,y"), .root_addr_cells = 1};
	fdt = build_dt(&other);
	assert_int_equal(cvo_platform_resolve("auto", fdt, dir, &p, &err), 0);
	assert_string_equal(p->name, "generic-arm");
	cvo_platform_free(p);

	/* a name, a generic profile, a path */
	assert_int_equal(cvo_platform_resolve("least", fdt, dir, &p, &err), 0);
	assert_string_equal(p->name, "least");
	cvo_platform_free(p);
	assert_int_equal(cvo_platform_resolve("generic-riscv", fdt, NULL, &p, &err), 0);
	assert_int_equal(p->arch, CVO_ARCH_RISCV);
	cvo_platform_free(p);
	snprintf(path, sizeof(path), "%s/most.yaml", dir);
	assert_int_equal(cvo_platform_resolve(path, fdt, NULL, &p, &err), 0);
	assert_string_equal(p->name, "most");
	cvo_platform_free(p);
	assert_int_equal(cvo_platform_resolve("missing.yaml", fdt, NULL, &p, &err), CVO_ERR_IO);
	assert_string_equal(err.source, "missing.yaml");

	/* unknown names are usage errors */
	assert_int_equal(cvo_platform_resolve("nope", fdt, dir, &p, &err), CVO_ERR_USAGE);
	char msg[512];
	snprintf(msg, sizeof(msg),
		 "unknown platform \"nope\": no %s/nope.yaml (see `carveout platforms`)", dir);
	assert_string_equal(err.text, msg);
	assert_int_equal(cvo_platform_resolve("nope", fdt, NULL, &p, &err), CVO_ERR_USAGE);
	assert_string_equal(err.text, "unknown platform \"nope\": expected a file path, \"auto\", "
				      "generic-ARCH, a built-in profile or a bundled board name");
	assert_int_equal(cvo_platform_resolve("generic-x86", fdt, dir, &p, &err), CVO_ERR_USAGE);
	free(fdt);

	struct cvo_platform **list = NULL;
	size_t n = 0;
	assert_int_equal(cvo_platform_list("/nonexistent-boards", &list, &n, &err), CVO_ERR_IO);
	assert_string_equal(err.text,
			    "cannot open the boards directory: No such file or directory");
}

static void test_guess_arch(void **state)
{
	static const struct {
		struct dt_spec dt;
		enum cvo_arch arch;
	} cases[] = {
	    {{.cpu_compat = "arm,cortex-a53", .root_addr_cells = 1}, CVO_ARCH_ARM64},
	    {{.cpu_compat = "qcom,kryo468"}, CVO_ARCH_ARM64},
	    {{.cpu_compat = "arm,cortex-a510"}, CVO_ARCH_ARM64},
	    {{.cpu_compat = "arm,cortex-x1"}, CVO_ARCH_ARM64},
	    {{.cpu_compat = "arm,cortex-a7", .root_addr_cells = 2}, CVO_ARCH_ARM},
	    {{.cpu_compat = "arm,cortex-a72"}, CVO_ARCH_ARM64},
	    {{.cpu_compat = "marvell,sheeva-v7"}, CVO_ARCH_ARM},
	    {{.cpu_compat = "sifive,u74-mc", .riscv_isa = true}, CVO_ARCH_RISCV},
	    {{.cpu_compat = "riscv"}, CVO_ARCH_RISCV},
	    {{.cpu_compat = "ibm,power9"}, CVO_ARCH_POWERPC},
	    {{.cpu_name = "PowerPC,e500mc@0"}, CVO_ARCH_POWERPC},
	    {{.root_addr_cells = 1}, CVO_ARCH_ARM},
	    {{.root_addr_cells = 2}, CVO_ARCH_ARM64},
	    {{0}, CVO_ARCH_ARM64},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		void *fdt = build_dt(&cases[i].dt);
		assert_int_equal(cvo_platform_guess_arch(fdt), cases[i].arch);
		free(fdt);
	}
	assert_int_equal(cvo_platform_guess_arch(NULL), CVO_ARCH_ARM64);
}

/* ------------------------------------------------------------------ device lookup */

static void *device_dt(void)
{
	size_t size = 4096;
	void *fdt = calloc(1, size);
	assert_non_null(fdt);
	assert_int_equal(fdt_create(fdt, (int)size), 0);
	assert_int_equal(fdt_finish_reservemap(fdt), 0);
	assert_int_equal(fdt_begin_node(fdt, ""), 0);
	assert_int_equal(fdt_begin_node(fdt, "soc@0"), 0);
	assert_int_equal(fdt_begin_node(fdt, "scm"), 0);
	assert_int_equal(fdt_property(fdt, "compatible", COMPAT("qcom,scm-sc7180\0qcom,scm")), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_begin_node(fdt, "dma@1000"), 0);
	assert_int_equal(fdt_property(fdt, "compatible", COMPAT("v,dma2\0v,dma")), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_begin_node(fdt, "dma@2000"), 0);
	assert_int_equal(fdt_property(fdt, "compatible", COMPAT("v,dma2\0v,dma")), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_begin_node(fdt, "dma@3000"), 0);
	assert_int_equal(fdt_property(fdt, "compatible", COMPAT("v,dma")), 0);
	assert_int_equal(fdt_property_string(fdt, "status", "disabled"), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_begin_node(fdt, "bad"), 0);
	assert_int_equal(fdt_property(fdt, "compatible", "v,dma", 5), 0); /* no NUL */
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_finish(fdt), 0);
	return fdt;
}

static void test_device_for(void **state)
{
	struct cvo_platform *p = load_ok("platform: x\narch: arm64\ndevices:\n"
					 "- match: {compatible: \"v,dma\"}\n  dma-bits: 32\n"
					 "- match: {path: \"/soc@0/dma@2000\"}\n  dma-bits: 36\n"
					 "- match: {compatible: \"v,dma2\"}\n  dma-bits: 40\n"
					 "- match: {compatible: \"qcom,scm\"}\n  coherent: true\n"
					 "- match: {path: \"/soc/bad\"}\n  dma-bits: 20\n");
	void *fdt = device_dt();
	const struct cvo_platform_device *d;
	/* any entry of the node's compatible list matches */
	d = cvo_platform_device_for(p, fdt, fdt_path_offset(fdt, "/soc@0/scm"));
	assert_non_null(d);
	assert_int_equal(d->coherent, 1);
	/* the node's most specific compatible wins over file order */
	d = cvo_platform_device_for(p, fdt, fdt_path_offset(fdt, "/soc@0/dma@1000"));
	assert_non_null(d);
	assert_int_equal(d->dma_bits, 40);
	/* a path beats a compatible */
	d = cvo_platform_device_for(p, fdt, fdt_path_offset(fdt, "/soc@0/dma@2000"));
	assert_non_null(d);
	assert_int_equal(d->dma_bits, 36);
	/* disabled nodes get nothing */
	assert_null(cvo_platform_device_for(p, fdt, fdt_path_offset(fdt, "/soc@0/dma@3000")));
	/* paths resolve like fdt_path_offset(): the unit address may be left out; a
	 * compatible property that is not NUL-terminated matches no compatible entry */
	d = cvo_platform_device_for(p, fdt, fdt_path_offset(fdt, "/soc@0/bad"));
	assert_non_null(d);
	assert_int_equal(d->dma_bits, 20);
	assert_null(cvo_platform_device_for(p, fdt, 0));
	assert_null(cvo_platform_device_for(p, fdt, -1));
	assert_null(cvo_platform_device_for(NULL, fdt, 0));
	cvo_platform_free(p);
	p = load_ok("platform: x\narch: arm64\n");
	assert_null(cvo_platform_device_for(p, fdt, fdt_path_offset(fdt, "/soc@0/scm")));
	cvo_platform_free(p);
	free(fdt);
}

/* The full example of carveout-platform(5) loads, on top of a bundled board. */
static void test_manual_example(void **state)
{
	FILE *f = fopen(MANUAL, "r");
	assert_non_null(f);
	static char text[65536];
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	const char *ex = strstr(text, "\n# EXAMPLE\n");
	assert_non_null(ex);
	const char *start = strstr(ex, "```\n");
	assert_non_null(start);
	start += 4;
	const char *end = strstr(start, "```");
	assert_non_null(end);
	struct cvo_platform *p = NULL;
	struct cvo_error err = {0};
	int r =
	    cvo_platform_load_buffer(start, (size_t)(end - start), "example", BOARDS_DIR, &p, &err);
	if (r)
		print_error("%s:%d:%d: %s\n", err.source, err.line, err.column, err.text);
	assert_int_equal(r, 0);
	assert_string_equal(p->name, "my-board");
	assert_string_equal(p->extends, "qcom-sm8550");
	assert_int_equal(p->kver_minor, 6);
	assert_int_equal(p->config.zone_dma, 0);
	assert_int_equal(p->config.zone_dma32, 1);
	assert_int_equal(p->cmdline_cma_size, 128 * MiB);
	assert_int_equal(p->n_memory, 2);
	assert_int_equal(p->memory[1].size, 6 * GiB);
	/* qcom-sm8550's four entries, two replaced, two added */
	assert_int_equal(p->n_devices, 6);
	assert_string_equal(p->devices[0].match_compatible, "qcom,scm");
	assert_int_equal(p->devices[0].coherent, 1);
	assert_int_equal(p->devices[0].dma_bits, 32);
	assert_string_equal(p->devices[4].match_path, "/soc@0/video-codec@aa00000");
	assert_int_equal(p->devices[5].atomic, 64 * 1024);
	cvo_platform_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_key),
	    cmocka_unit_test(test_attach),
	    cmocka_unit_test(test_block_style_and_comments),
	    cmocka_unit_test(test_defaults_arm64),
	    cmocka_unit_test(test_defaults_debian12),
	    cmocka_unit_test(test_defaults_arm),
	    cmocka_unit_test(test_generic_profiles),
	    cmocka_unit_test(test_kernel_release),
	    cmocka_unit_test(test_kconfig_any_symbol),
	    cmocka_unit_test(test_kconfig_pasted),
	    cmocka_unit_test(test_kconfig_file),
	    cmocka_unit_test(test_kconfig_effects),
	    cmocka_unit_test(test_overrides),
	    cmocka_unit_test(test_cma_min_align),
	    cmocka_unit_test(test_sizes),
	    cmocka_unit_test(test_cmdline),
	    cmocka_unit_test(test_reserved_dtb),
	    cmocka_unit_test(test_error_unknown_key),
	    cmocka_unit_test(test_error_duplicate_key),
	    cmocka_unit_test(test_error_wrong_type),
	    cmocka_unit_test(test_error_unknown_arch),
	    cmocka_unit_test(test_error_match),
	    cmocka_unit_test(test_error_missing),
	    cmocka_unit_test(test_error_yaml),
	    cmocka_unit_test(test_extends),
	    cmocka_unit_test(test_extends_errors),
	    cmocka_unit_test(test_bundled_boards),
	    cmocka_unit_test(test_resolve),
	    cmocka_unit_test(test_guess_arch),
	    cmocka_unit_test(test_device_for),
	    cmocka_unit_test(test_manual_example),
	};
	return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
