// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: one input is a platform capability file (YAML), parsed
 * with cvo_platform_load_buffer(). A file that loads is then used like -p
 * FILE: it drives the model, the placement, every check and the memory map
 * (whose devices include the platform's) over a fixed DT that has something
 * for each platform key to act on (memory, static and dynamic regions, a CMA
 * default, a restricted pool, consumers behind dma-ranges). It links the
 * library only. Platform values are as untrusted as DTBs: huge sizes, memory
 * ranges wrapping 2^64, odd page sizes and cmdlines must never crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "carveout.h"
#include "consume.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cvo_blob *dt;
static struct cvo_check_config config;

#define SW(call)                \
	do {                    \
		if ((call) < 0) \
			abort(); \
	} while (0)

static void cells(void *fdt, const char *name, int n, const uint32_t *v)
{
	fdt32_t b[8];
	for (int i = 0; i < n; i++)
		b[i] = cpu_to_fdt32(v[i]);
	SW(fdt_property(fdt, name, b, n * 4));
}

static void device(void *fdt, const char *name, const char *compat, int n, const uint32_t *ph)
{
	SW(fdt_begin_node(fdt, name));
	SW(fdt_property_string(fdt, "compatible", compat));
	cells(fdt, "memory-region", n, ph);
	SW(fdt_end_node(fdt));
}

/* The fixed DT every fuzzed platform is applied to. */
static void build_dt(void)
{
	static char buf[8192];
	void *fdt = buf;
	SW(fdt_create(fdt, sizeof(buf)));
	SW(fdt_add_reservemap_entry(fdt, 0x80000000, 0x10000));
	SW(fdt_finish_reservemap(fdt));
	SW(fdt_begin_node(fdt, ""));
	SW(fdt_property_string(fdt, "compatible", "carveout,fuzz"));
	cells(fdt, "#address-cells", 1, (uint32_t[]){ 2 });
	cells(fdt, "#size-cells", 1, (uint32_t[]){ 2 });
	SW(fdt_begin_node(fdt, "memory@80000000"));
	SW(fdt_property_string(fdt, "device_type", "memory"));
	cells(fdt, "reg", 8, (uint32_t[]){ 0, 0x80000000, 0, 0x80000000, 1, 0, 1, 0 });
	SW(fdt_end_node(fdt));
	SW(fdt_begin_node(fdt, "reserved-memory"));
	cells(fdt, "#address-cells", 1, (uint32_t[]){ 2 });
	cells(fdt, "#size-cells", 1, (uint32_t[]){ 2 });
	SW(fdt_property(fdt, "ranges", NULL, 0));
	SW(fdt_begin_node(fdt, "fw@86000000"));
	cells(fdt, "reg", 4, (uint32_t[]){ 0, 0x86000000, 0, 0x200000 });
	SW(fdt_property(fdt, "no-map", NULL, 0));
	SW(fdt_property_u32(fdt, "phandle", 1));
	SW(fdt_end_node(fdt));
	SW(fdt_begin_node(fdt, "linux,cma"));
	SW(fdt_property_string(fdt, "compatible", "shared-dma-pool"));
	SW(fdt_property(fdt, "reusable", NULL, 0));
	SW(fdt_property(fdt, "linux,cma-default", NULL, 0));
	cells(fdt, "size", 2, (uint32_t[]){ 0, 0x4000000 });
	SW(fdt_end_node(fdt));
	SW(fdt_begin_node(fdt, "pool"));
	SW(fdt_property_string(fdt, "compatible", "shared-dma-pool"));
	SW(fdt_property(fdt, "no-map", NULL, 0));
	cells(fdt, "size", 2, (uint32_t[]){ 0, 0x400000 });
	cells(fdt, "alignment", 2, (uint32_t[]){ 0, 0x100000 });
	cells(fdt, "alloc-ranges", 4, (uint32_t[]){ 0, 0x90000000, 0, 0x10000000 });
	SW(fdt_property_u32(fdt, "phandle", 2));
	SW(fdt_end_node(fdt));
	SW(fdt_begin_node(fdt, "restricted@a0000000"));
	SW(fdt_property_string(fdt, "compatible", "restricted-dma-pool"));
	cells(fdt, "reg", 4, (uint32_t[]){ 0, 0xa0000000, 0, 0x400000 });
	SW(fdt_property_u32(fdt, "phandle", 3));
	SW(fdt_end_node(fdt));
	SW(fdt_end_node(fdt));
	SW(fdt_begin_node(fdt, "soc"));
	SW(fdt_property_string(fdt, "compatible", "simple-bus"));
	cells(fdt, "#address-cells", 1, (uint32_t[]){ 2 });
	cells(fdt, "#size-cells", 1, (uint32_t[]){ 2 });
	SW(fdt_property(fdt, "ranges", NULL, 0));
	cells(fdt, "dma-ranges", 6, (uint32_t[]){ 0, 0, 0, 0x80000000, 0, 0x80000000 });
	device(fdt, "scm", "qcom,scm", 1, (uint32_t[]){ 1 });
	device(fdt, "video", "carveout,video", 2, (uint32_t[]){ 2, 3 });
	SW(fdt_begin_node(fdt, "gpu"));
	SW(fdt_property_string(fdt, "compatible", "carveout,gpu"));
	SW(fdt_property(fdt, "dma-coherent", NULL, 0));
	SW(fdt_property_u32(fdt, "iommus", 9));
	SW(fdt_end_node(fdt));
	SW(fdt_end_node(fdt));
	SW(fdt_end_node(fdt));
	SW(fdt_finish(fdt));
	struct cvo_error err;
	if (cvo_blob_from_buffer(fdt, fdt_totalsize(fdt), "fixed.dtb", &dt, &err))
		abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	build_dt();
	if (cvo_check_config_init(&config))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cvo_platform *p = NULL;
	struct cvo_error err;
	/* extends: NAME resolves against the bundled boards, as for a user's file */
	if (cvo_platform_load_buffer(data, size, "fuzz.yaml", cvo_boards_dir(), &p, &err))
		return 0;
	(void)cvo_platform_cma_min_align(p);
	struct cvo_model *m = NULL;
	struct cvo_placement pl = { 0 };
	if (cvo_model_build(dt, p, &m, &err) == 0 && cvo_place(m, NULL, &pl) == 0) {
		for (size_t i = 0; i < m->n_consumers; i++)
			(void)cvo_platform_device_for(p, dt->fdt, m->consumers[i].node);
		struct cvo_report report;
		cvo_report_init(&report);
		cvo_check_run(&pl, &config, &report);
		fuzz_consume_report(&report);
		fuzz_consume_map(&pl);
		cvo_report_fini(&report);
	}
	cvo_placement_fini(&pl);
	cvo_model_free(m);
	cvo_platform_free(p);
	return 0;
}
