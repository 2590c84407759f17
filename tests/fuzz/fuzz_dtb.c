// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: one input is a DTB, taken through everything
 * `carveout check -p auto` does with it: validation (cvo_blob_from_buffer),
 * the platform -p auto picks (a bundled board matching the root compatible,
 * else the generic profile of the guessed arch), the model, the kernel's
 * placement (cvo_input_from_blob(): the path of every command that reads a
 * DT), every check and the memory map, asserting what the renderers rely on
 * (consume.h). It links the library only. Invalid blobs must be refused with
 * an error, never crash.
 *
 * Built for libFuzzer (CVO_LIBFUZZER), it also has a structure-aware mutator:
 * most byte-level mutations of a DTB fail fdt_check_full(), so half of the
 * time it edits a valid blob through libfdt instead (a property's value or
 * length, a property the checks read added with interesting cells, a
 * property or node removed), which keeps the blob valid and reaches the
 * model, placement and checks.
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

/* Loaded once, as `carveout check` does: parsing every bundled board per input
 * would be most of the work. */
static struct cvo_platform_set platforms;
static struct cvo_check_config config;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct cvo_error err;
	if (cvo_platform_set_init(&platforms, NULL, NULL, NULL, &err)) {
		fprintf(stderr, "fuzz_dtb: %s: %s\n", err.source, err.text);
		abort();
	}
	if (cvo_check_config_init(&config))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char name[] = "fuzz.dtb";
	struct cvo_blob *blob;
	struct cvo_input in;
	struct cvo_error err;
	if (cvo_blob_from_buffer(data, size, name, &blob, &err))
		return 0;
	/* the blob is the input's from here, also when it is refused */
	if (cvo_input_from_blob(blob, &platforms, NULL, &in, &err))
		return 0;
	struct cvo_report report;
	cvo_report_init(&report);
	cvo_check_run(&in.placement, &config, &report);
	fuzz_consume_report(&report);
	fuzz_consume_map(&in.placement);
	/* the planner reads the same hostile tree, and its changes must apply to it */
	struct cvo_plan *plan = NULL;
	if (cvo_plan_build(&in.placement, &report, NULL, &plan, &err) == 0) {
		struct cvo_blob *fixed = NULL;
		if (cvo_changes_apply(in.blob, &plan->changes, &fixed, &err) == 0) {
			if (fdt_check_full(fixed->fdt, fixed->size))
				abort();
			cvo_blob_free(fixed);
		}
		char *src = NULL;
		if (cvo_changes_overlay_source(in.blob, &plan->changes, &src) == 0)
			free(src);
		cvo_plan_free(plan);
	}
	cvo_report_fini(&report);
	cvo_input_fini(&in);
	return 0;
}

#ifdef CVO_LIBFUZZER
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

/* The properties carveout reads: where mutations matter. */
static const char *const prop_names[] = {
	"reg", "size", "alignment", "alloc-ranges", "no-map", "reusable", "linux,cma-default",
	"linux,dma-default", "compatible", "status", "memory-region", "memory-region-names",
	"dma-ranges", "ranges", "#address-cells", "#size-cells", "dma-coherent", "dma-noncoherent",
	"iommus", "phandle", "linux,phandle", "device_type", "linux,usable-memory",
	"linux,initrd-start", "linux,initrd-end", "iommu-addresses", "interrupt-parent",
};

static const char *const strings[] = {
	"shared-dma-pool", "restricted-dma-pool", "okay", "disabled", "memory", "qcom,scm",
	"simple-bus", "arm,cortex-a53", "linux,dummy-virt",
};

static const uint32_t interesting[] = {
	0, 1, 2, 3, 4, 0x1000, 0x100000, 0x400000, 0x2000000, 0x40000000, 0x80000000,
	0xc0000000, 0xfffff000, 0xffffffff, 0x7fffffff,
};

static uint32_t rnd(uint32_t *state)
{
	*state = *state * 1103515245u + 12345u;
	return *state >> 8;
}

/* The offset of the k-th node (in DT order, modulo their number). */
static int pick_node(const void *fdt, uint32_t k)
{
	int n = 0;
	for (int node = 0; node >= 0; node = fdt_next_node(fdt, node, NULL))
		n++;
	int want = (int)(k % (uint32_t)n), node = 0;
	for (int i = 0; i < want; i++)
		node = fdt_next_node(fdt, node, NULL);
	return node;
}

static int edit(void *fdt, int node, uint32_t *st, size_t max_size)
{
	uint8_t val[512];
	switch (rnd(st) % 5) {
	case 0: { /* mutate the bytes and the length of an existing property */
		int prop, n = 0, want;
		fdt_for_each_property_offset(prop, fdt, node)
			n++;
		if (!n)
			return -1;
		want = (int)(rnd(st) % (uint32_t)n);
		fdt_for_each_property_offset(prop, fdt, node)
			if (want-- == 0)
				break;
		const char *name;
		int len;
		const void *v = fdt_getprop_by_offset(fdt, prop, &name, &len);
		if (!v || len < 0 || len > 256)
			return -1;
		char nbuf[256];
		snprintf(nbuf, sizeof(nbuf), "%s", name);
		memcpy(val, v, (size_t)len);
		size_t nl = LLVMFuzzerMutate(val, (size_t)len, sizeof(val));
		return fdt_setprop(fdt, node, nbuf, val, (int)nl);
	}
	case 1: { /* set a property the checks read to 0..8 interesting cells */
		int cells = (int)(rnd(st) % 9);
		for (int i = 0; i < cells; i++) {
			fdt32_t c = cpu_to_fdt32(interesting[rnd(st) % (sizeof(interesting) /
								   sizeof(interesting[0]))]);
			memcpy(val + 4 * i, &c, 4);
		}
		const char *name = prop_names[rnd(st) % (sizeof(prop_names) / sizeof(prop_names[0]))];
		return fdt_setprop(fdt, node, name, val, 4 * cells);
	}
	case 2: { /* set a string property */
		const char *name = rnd(st) % 2 ? "compatible" : "status";
		const char *s = strings[rnd(st) % (sizeof(strings) / sizeof(strings[0]))];
		return fdt_setprop_string(fdt, node, name, s);
	}
	case 3: { /* delete a property the checks read */
		const char *name = prop_names[rnd(st) % (sizeof(prop_names) / sizeof(prop_names[0]))];
		return fdt_delprop(fdt, node, name);
	}
	default: /* add a child, or delete this node */
		if (node && rnd(st) % 2)
			return fdt_del_node(fdt, node);
		return fdt_add_subnode(fdt, node, rnd(st) % 2 ? "reserved-memory" : "r@80000000");
	}
	(void)max_size;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	uint32_t st = seed;
	if (rnd(&st) % 2 || size > max_size)
		return LLVMFuzzerMutate(data, size, max_size);
	void *in = malloc(size ? size : 1), *work = malloc(max_size);
	size_t out = 0;
	if (!in || !work)
		goto done;
	memcpy(in, data, size);
	/* the guards cvo_blob_from_buffer() has before fdt_check_full(): libfdt 1.6 dereferences
	 * NULL on some blobs older than version 16 */
	if (size < FDT_V1_SIZE || fdt_magic(in) != FDT_MAGIC || fdt_version(in) < 16 ||
	    fdt_totalsize(in) > size || fdt_check_full(in, size) ||
	    fdt_open_into(in, work, (int)max_size))
		goto done;
	int edits = 1 + (int)(rnd(&st) % 3);
	for (int i = 0; i < edits; i++)
		edit(work, pick_node(work, rnd(&st)), &st, max_size);
	if (fdt_pack(work) == 0 && fdt_totalsize(work) <= max_size) {
		out = fdt_totalsize(work);
		memcpy(data, work, out);
	}
done:
	free(in);
	free(work);
	return out ? out : LLVMFuzzerMutate(data, size, max_size);
}
#endif
