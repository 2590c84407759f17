// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: one input is a boot log, read with cvo_dmesg_parse(). A log
 * that parses is verified like `carveout verify --dmesg LOG` against a fixed DT
 * whose regions the log's lines can name (static, dynamic, CMA, coherent, a
 * default CMA region), and the platform file --emit-platform writes from it
 * must load again. Logs are untrusted: any bytes, cut lines, huge numbers,
 * endless names must give an error or a report, never a crash. It links the
 * library only.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "carveout.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cvo_blob *dt;
static struct cvo_platform *base;

#define SW(call)                 \
	do {                     \
		if ((call) < 0)  \
			abort(); \
	} while (0)

static void cells(void *fdt, const char *name, int n, const uint32_t *v)
{
	fdt32_t b[8];
	for (int i = 0; i < n; i++)
		b[i] = cpu_to_fdt32(v[i]);
	SW(fdt_property(fdt, name, b, n * 4));
}

static void region(void *fdt, const char *name, const char *prop, const uint32_t *v, int n,
		   const char *flag)
{
	SW(fdt_begin_node(fdt, name));
	SW(fdt_property_string(fdt, "compatible", "shared-dma-pool"));
	cells(fdt, prop, n, v);
	if (flag)
		SW(fdt_property(fdt, flag, NULL, 0));
	SW(fdt_end_node(fdt));
}

static void build_dt(void)
{
	static char buf[4096];
	void *fdt = buf;
	SW(fdt_create(fdt, sizeof(buf)));
	SW(fdt_finish_reservemap(fdt));
	SW(fdt_begin_node(fdt, ""));
	SW(fdt_property_string(fdt, "compatible", "linux,dummy-virt"));
	cells(fdt, "#address-cells", 1, (uint32_t[]){ 2 });
	cells(fdt, "#size-cells", 1, (uint32_t[]){ 2 });
	SW(fdt_begin_node(fdt, "memory@40000000"));
	SW(fdt_property_string(fdt, "device_type", "memory"));
	cells(fdt, "reg", 4, (uint32_t[]){ 0, 0x40000000, 0, 0x80000000 });
	SW(fdt_end_node(fdt));
	SW(fdt_begin_node(fdt, "reserved-memory"));
	cells(fdt, "#address-cells", 1, (uint32_t[]){ 2 });
	cells(fdt, "#size-cells", 1, (uint32_t[]){ 2 });
	SW(fdt_property(fdt, "ranges", NULL, 0));
	region(fdt, "s0@50000000", "reg", (uint32_t[]){ 0, 0x50000000, 0, 0x400000 }, 4, "no-map");
	region(fdt, "d2", "size", (uint32_t[]){ 0, 0x2000000 }, 2, "reusable");
	region(fdt, "d3", "size", (uint32_t[]){ 0, 0x100000 }, 2, "no-map");
	region(fdt, "linux,cma", "size", (uint32_t[]){ 0, 0x1000000 }, 2, "linux,cma-default");
	SW(fdt_end_node(fdt));
	SW(fdt_end_node(fdt));
	SW(fdt_finish(fdt));
	struct cvo_error err;
	if (cvo_blob_from_buffer(fdt, fdt_totalsize(fdt), "fuzz.dtb", &dt, &err) ||
	    cvo_platform_generic(CVO_ARCH_ARM64, &base, &err))
		abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	build_dt();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!dt)
		build_dt();
	struct cvo_error err;
	struct cvo_dmesg *log = NULL;
	if (cvo_dmesg_parse(data, size, "fuzz.log", &log, &err))
		return 0;
	struct cvo_platform *vp = NULL, *back = NULL;
	struct cvo_model *m = NULL;
	struct cvo_placement pl = { 0 };
	struct cvo_report report;
	cvo_report_init(&report);
	if (cvo_verify_platform(base, log, &vp, &err) == 0 &&
	    cvo_model_build(dt, vp, &m, &err) == 0 && cvo_place(m, NULL, &pl) == 0) {
		cvo_verify(&pl, log, NULL, &report);
		for (size_t i = 0; i < report.n; i++)
			if (!report.findings[i].message || !report.findings[i].path)
				abort();
		char *yaml = NULL;
		if (cvo_verify_platform_yaml(base, log, &yaml) == 0) {
			/* what --emit-platform writes is a platform file carveout reads back */
			if (cvo_platform_load_buffer(yaml, strlen(yaml), "emitted.yaml", NULL, &back,
						     &err)) {
				fprintf(stderr, "emitted platform does not load: %s:%d: %s\n%s",
					err.source, err.line, err.text, yaml);
				abort();
			}
		}
		free(yaml);
	}
	cvo_report_fini(&report);
	cvo_platform_free(back);
	cvo_placement_fini(&pl);
	cvo_model_free(m);
	cvo_platform_free(vp);
	cvo_dmesg_free(log);
	return 0;
}
