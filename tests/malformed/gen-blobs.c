// SPDX-License-Identifier: MIT
/*
 * Writes the inputs of the malformed suite into a directory:
 *
 *  - bad-*: blobs carveout must refuse (exit 3, one line on stderr), built from
 *    a valid blob by corrupting its header or by writing the structure block
 *    by hand, in the spirit of dtc's truncated_* tests;
 *  - hostile-*: blobs that pass fdt_check_full() but carry values meant to
 *    break the arithmetic of a careless reader (cell counts of 0, 3, 4 and
 *    0xffffffff, ranges wrapping 2^64, odd property lengths, thousands of
 *    regions, deep nesting, dangling phandles). They are built with libfdt's
 *    sequential-write API, so they are exactly what a real producer could emit.
 *
 * usage: gen-blobs OUTDIR STAMP (STAMP is written last, for the build system)
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include <libfdt.h>

/* Large enough for the biggest hostile blob (5,000 regions: about 400 KiB). */
#define BUF_SIZE (4u << 20)

static const char *outdir;
static char *buf;

static void die(const char *what, int line, int err)
{
	fprintf(stderr, "gen-blobs:%d: %s: %s\n", line, what, fdt_strerror(err));
	exit(1);
}

/* Every libfdt call of the generator must succeed: a failure is a bug here. */
#define SW(call)                                   \
	do {                                       \
		int e_ = (call);                   \
		if (e_ < 0)                        \
			die(#call, __LINE__, e_);  \
	} while (0)

static void write_file(const char *name, const void *data, size_t len)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", outdir, name);
	FILE *f = fopen(path, "wb");
	if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f)) {
		fprintf(stderr, "gen-blobs: %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

/* A property made of big-endian cells: prop_cells(fdt, "reg", 2, 0x0, 0x1000). */
static void prop_cells(void *fdt, const char *name, int n, ...)
{
	fdt32_t v[64];
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		v[i] = cpu_to_fdt32(va_arg(ap, uint32_t));
	va_end(ap);
	SW(fdt_property(fdt, name, v, (int)(n * sizeof(v[0]))));
}

/* A property of len bytes, not a whole number of cells. */
static void prop_bytes(void *fdt, const char *name, int len)
{
	uint8_t v[64];
	for (int i = 0; i < len; i++)
		v[i] = (uint8_t)(0x11 * (i + 1));
	SW(fdt_property(fdt, name, v, len));
}

/* A new blob in buf, ready for its reservation map. */
static void *start(void)
{
	SW(fdt_create(buf, BUF_SIZE));
	return buf;
}

/* The root node and the properties every hostile blob shares. */
static void root_props(void *fdt, uint32_t ac, uint32_t sc)
{
	SW(fdt_begin_node(fdt, ""));
	SW(fdt_property_string(fdt, "compatible", "carveout,malformed-test"));
	SW(fdt_property_string(fdt, "model", "carveout malformed-input test"));
	prop_cells(fdt, "#address-cells", 1, ac);
	prop_cells(fdt, "#size-cells", 1, sc);
}

static void finish(void *fdt, const char *name)
{
	SW(fdt_end_node(fdt)); /* root */
	SW(fdt_finish(fdt));
	SW(fdt_check_full(fdt, fdt_totalsize(fdt)));
	write_file(name, fdt, fdt_totalsize(fdt));
}

/* /memory@80000000 with 1 GiB, in 2+2 cells. */
static void memory_2_2(void *fdt)
{
	SW(fdt_begin_node(fdt, "memory@80000000"));
	SW(fdt_property_string(fdt, "device_type", "memory"));
	prop_cells(fdt, "reg", 4, 0x0, 0x80000000, 0x0, 0x40000000);
	SW(fdt_end_node(fdt));
}

static void rmem_begin(void *fdt, uint32_t ac, uint32_t sc)
{
	SW(fdt_begin_node(fdt, "reserved-memory"));
	prop_cells(fdt, "#address-cells", 1, ac);
	prop_cells(fdt, "#size-cells", 1, sc);
	SW(fdt_property(fdt, "ranges", NULL, 0));
}

/* A device using memory-region; phandles given as cells. */
static void consumer(void *fdt, const char *name, int n, const uint32_t *ph)
{
	fdt32_t v[16];
	SW(fdt_begin_node(fdt, name));
	SW(fdt_property_string(fdt, "compatible", "carveout,test-device"));
	for (int i = 0; i < n; i++)
		v[i] = cpu_to_fdt32(ph[i]);
	SW(fdt_property(fdt, "memory-region", v, (int)(n * sizeof(v[0]))));
	SW(fdt_end_node(fdt));
}

/* ------------------------------------------------------------- valid but hostile */

/* Cells of one (address, size) entry: every cell 0 but the last of each part. */
static int entry(fdt32_t *v, uint32_t a, uint32_t base, uint32_t s, uint32_t size)
{
	int n = 0;
	for (uint32_t i = 0; i < a; i++)
		v[n++] = cpu_to_fdt32(i + 1 == a ? base : 0);
	for (uint32_t i = 0; i < s; i++)
		v[n++] = cpu_to_fdt32(i + 1 == s ? size : 0);
	return n * 4;
}

/*
 * Root #address-cells / #size-cells of unusual counts (0, 3, 4, 0xffffffff).
 * Entries are written with that many cells, or 2 when the count is absurd,
 * so a reader that trusts the count runs past the property.
 */
static void hostile_cells(const char *name, uint32_t ac, uint32_t sc)
{
	void *fdt = start();
	SW(fdt_finish_reservemap(fdt));
	root_props(fdt, ac, sc);
	uint32_t a = ac > 4 ? 2 : ac, s = sc > 4 ? 2 : sc;
	fdt32_t v[16];
	SW(fdt_begin_node(fdt, "memory@80000000"));
	SW(fdt_property_string(fdt, "device_type", "memory"));
	SW(fdt_property(fdt, "reg", v, entry(v, a, 0x80000000, s, 0x40000000)));
	SW(fdt_end_node(fdt));

	rmem_begin(fdt, ac, sc);
	SW(fdt_begin_node(fdt, "static@88000000"));
	SW(fdt_property(fdt, "reg", v, entry(v, a, 0x88000000, s, 0x100000)));
	SW(fdt_property(fdt, "no-map", NULL, 0));
	SW(fdt_end_node(fdt));
	SW(fdt_begin_node(fdt, "dynamic"));
	SW(fdt_property_string(fdt, "compatible", "shared-dma-pool"));
	SW(fdt_property(fdt, "reusable", NULL, 0));
	SW(fdt_property(fdt, "size", v, entry(v, 0, 0, s, 0x400000)));
	SW(fdt_property(fdt, "alignment", v, entry(v, a, 0x400000, 0, 0)));
	SW(fdt_property(fdt, "alloc-ranges", v, entry(v, a, 0x80000000, s, 0x40000000)));
	SW(fdt_property_u32(fdt, "phandle", 1));
	SW(fdt_end_node(fdt));
	SW(fdt_end_node(fdt)); /* reserved-memory */

	/* A bus with the same cell counts translating DMA for a consumer. */
	SW(fdt_begin_node(fdt, "bus"));
	SW(fdt_property_string(fdt, "compatible", "simple-bus"));
	prop_cells(fdt, "#address-cells", 1, ac);
	prop_cells(fdt, "#size-cells", 1, sc);
	SW(fdt_property(fdt, "ranges", NULL, 0));
	int n = entry(v, a, 0x0, 0, 0) / 4;
	n += entry(v + n, a, 0x80000000, s, 0x40000000) / 4;
	SW(fdt_property(fdt, "dma-ranges", v, n * 4));
	uint32_t ph = 1;
	consumer(fdt, "device", 1, &ph);
	SW(fdt_end_node(fdt));
	finish(fdt, name);
}

/* Ranges that wrap past 2^64 in reg, size, alignment, alloc-ranges and /memory. */
static void hostile_wrap(void)
{
	void *fdt = start();
	SW(fdt_finish_reservemap(fdt));
	root_props(fdt, 2, 2);
	SW(fdt_begin_node(fdt, "memory@80000000"));
	SW(fdt_property_string(fdt, "device_type", "memory"));
	prop_cells(fdt, "reg", 12,
		   0x0, 0x80000000, 0x0, 0x40000000,		/* sane */
		   0xffffffff, 0x00000000, 0x1, 0x00000000,	/* ends exactly at 2^64 */
		   0xffffffff, 0xfff00000, 0x0, 0x00200000);	/* wraps */
	SW(fdt_end_node(fdt));
	SW(fdt_begin_node(fdt, "memory@ffffffffffff0000"));
	SW(fdt_property_string(fdt, "device_type", "memory"));
	prop_cells(fdt, "reg", 4, 0xffffffff, 0xffff0000, 0xffffffff, 0xffffffff);
	SW(fdt_end_node(fdt));

	rmem_begin(fdt, 2, 2);
	SW(fdt_begin_node(fdt, "wrap-reg@fffffffffffff000"));
	prop_cells(fdt, "reg", 4, 0xffffffff, 0xfffff000, 0x0, 0x2000);
	SW(fdt_property(fdt, "no-map", NULL, 0));
	SW(fdt_end_node(fdt));
	SW(fdt_begin_node(fdt, "huge-reg@80000000"));
	prop_cells(fdt, "reg", 4, 0x0, 0x80000000, 0xffffffff, 0xffffffff);
	SW(fdt_end_node(fdt));
	SW(fdt_begin_node(fdt, "huge-size"));
	SW(fdt_property_string(fdt, "compatible", "shared-dma-pool"));
	SW(fdt_property(fdt, "reusable", NULL, 0));
	prop_cells(fdt, "size", 2, 0xffffffff, 0xffffffff);
	prop_cells(fdt, "alignment", 2, 0x80000000, 0x0);
	SW(fdt_end_node(fdt));
	SW(fdt_begin_node(fdt, "huge-alignment"));
	SW(fdt_property_string(fdt, "compatible", "shared-dma-pool"));
	SW(fdt_property(fdt, "no-map", NULL, 0));
	prop_cells(fdt, "size", 2, 0x0, 0x100000);
	prop_cells(fdt, "alignment", 2, 0xffffffff, 0xffffffff);
	SW(fdt_end_node(fdt));
	SW(fdt_begin_node(fdt, "wrap-alloc-ranges"));
	SW(fdt_property_string(fdt, "compatible", "shared-dma-pool"));
	SW(fdt_property(fdt, "no-map", NULL, 0));
	prop_cells(fdt, "size", 2, 0x0, 0x100000);
	prop_cells(fdt, "alloc-ranges", 8,
		   0xffffffff, 0xfff00000, 0x0, 0x00200000,
		   0x0, 0x80000000, 0xffffffff, 0xffffffff);
	SW(fdt_end_node(fdt));
	SW(fdt_begin_node(fdt, "zero-alloc-range"));
	SW(fdt_property_string(fdt, "compatible", "shared-dma-pool"));
	SW(fdt_property(fdt, "no-map", NULL, 0));
	prop_cells(fdt, "size", 2, 0x0, 0x100000);
	prop_cells(fdt, "alloc-ranges", 4, 0x0, 0x0, 0x0, 0x0);
	SW(fdt_end_node(fdt));
	SW(fdt_end_node(fdt));

	SW(fdt_begin_node(fdt, "soc"));
	SW(fdt_property_string(fdt, "compatible", "simple-bus"));
	prop_cells(fdt, "#address-cells", 1, 2);
	prop_cells(fdt, "#size-cells", 1, 2);
	SW(fdt_property(fdt, "ranges", NULL, 0));
	/* a window ending past 2^64 on both the bus and the CPU side */
	prop_cells(fdt, "dma-ranges", 6, 0xffffffff, 0xfffff000, 0xffffffff, 0xfffff000,
		   0x0, 0x2000);
	SW(fdt_end_node(fdt));
	finish(fdt, "hostile-wrap.dtb");
}

/* /memreserve/ entries that wrap or cover everything. */
static void hostile_memreserve(void)
{
	void *fdt = start();
	SW(fdt_add_reservemap_entry(fdt, 0xfffffffffffff000ull, 0x2000));
	SW(fdt_add_reservemap_entry(fdt, 0x80000000ull, 0xffffffffffffffffull));
	SW(fdt_add_reservemap_entry(fdt, 0x90000000ull, 0x1000));
	SW(fdt_add_reservemap_entry(fdt, 0x90000000ull, 0x1000));
	SW(fdt_finish_reservemap(fdt));
	root_props(fdt, 2, 2);
	memory_2_2(fdt);
	finish(fdt, "hostile-memreserve-wrap.dtb");
}

/* 5,000 static regions: far more than the kernel's table, each distinct. */
static void hostile_many_regions(void)
{
	void *fdt = start();
	SW(fdt_finish_reservemap(fdt));
	root_props(fdt, 2, 2);
	memory_2_2(fdt);
	rmem_begin(fdt, 2, 2);
	for (uint32_t i = 0; i < 5000; i++) {
		char name[32];
		uint32_t base = 0x80000000u + i * 0x10000u;
		snprintf(name, sizeof(name), "r@%x", base);
		SW(fdt_begin_node(fdt, name));
		prop_cells(fdt, "reg", 4, 0x0, base, 0x0, 0x1000);
		SW(fdt_property(fdt, "no-map", NULL, 0));
		SW(fdt_property_u32(fdt, "phandle", i + 1));
		SW(fdt_end_node(fdt));
	}
	SW(fdt_end_node(fdt));
	/* one consumer of the last region and one of the first */
	uint32_t ph[2] = { 5000, 1 };
	consumer(fdt, "device", 2, ph);
	finish(fdt, "hostile-many-regions.dtb");
}

/* 2,000 nested nodes, the innermost a DMA-coherent memory-region consumer. */
static void hostile_deep(void)
{
	void *fdt = start();
	SW(fdt_finish_reservemap(fdt));
	root_props(fdt, 2, 2);
	memory_2_2(fdt);
	rmem_begin(fdt, 2, 2);
	SW(fdt_begin_node(fdt, "pool@88000000"));
	SW(fdt_property_string(fdt, "compatible", "shared-dma-pool"));
	prop_cells(fdt, "reg", 4, 0x0, 0x88000000, 0x0, 0x400000);
	SW(fdt_property(fdt, "no-map", NULL, 0));
	SW(fdt_property_u32(fdt, "phandle", 1));
	SW(fdt_end_node(fdt));
	SW(fdt_end_node(fdt));
	for (int i = 0; i < 2000; i++) {
		SW(fdt_begin_node(fdt, "n"));
		prop_cells(fdt, "#address-cells", 1, 2);
		prop_cells(fdt, "#size-cells", 1, 2);
		SW(fdt_property(fdt, "ranges", NULL, 0));
		if (i % 100 == 0)
			SW(fdt_property(fdt, "dma-ranges", NULL, 0));
	}
	SW(fdt_begin_node(fdt, "device"));
	SW(fdt_property_string(fdt, "compatible", "carveout,test-device"));
	SW(fdt_property_u32(fdt, "memory-region", 1));
	SW(fdt_property(fdt, "dma-coherent", NULL, 0));
	SW(fdt_end_node(fdt));
	for (int i = 0; i < 2000; i++)
		SW(fdt_end_node(fdt));
	finish(fdt, "hostile-deep-nesting.dtb");
}

/* memory-region phandles that resolve to nothing, or to nodes that are not regions. */
static void hostile_phandles(void)
{
	void *fdt = start();
	SW(fdt_finish_reservemap(fdt));
	root_props(fdt, 2, 2);
	SW(fdt_begin_node(fdt, "memory@80000000"));
	SW(fdt_property_string(fdt, "device_type", "memory"));
	prop_cells(fdt, "reg", 4, 0x0, 0x80000000, 0x0, 0x40000000);
	SW(fdt_property_u32(fdt, "phandle", 3));
	SW(fdt_end_node(fdt));
	rmem_begin(fdt, 2, 2);
	SW(fdt_property_u32(fdt, "phandle", 4));
	SW(fdt_begin_node(fdt, "pool@88000000"));
	prop_cells(fdt, "reg", 4, 0x0, 0x88000000, 0x0, 0x100000);
	SW(fdt_property(fdt, "no-map", NULL, 0));
	SW(fdt_property_u32(fdt, "phandle", 5));
	SW(fdt_end_node(fdt));
	SW(fdt_begin_node(fdt, "grandparent@89000000"));
	prop_cells(fdt, "reg", 4, 0x0, 0x89000000, 0x0, 0x100000);
	prop_cells(fdt, "#address-cells", 1, 2);
	prop_cells(fdt, "#size-cells", 1, 2);
	SW(fdt_begin_node(fdt, "grandchild@89000000"));
	prop_cells(fdt, "reg", 4, 0x0, 0x89000000, 0x0, 0x1000);
	SW(fdt_property_u32(fdt, "phandle", 6));
	SW(fdt_end_node(fdt));
	SW(fdt_end_node(fdt));
	SW(fdt_end_node(fdt));
	SW(fdt_begin_node(fdt, "soc"));
	SW(fdt_property_u32(fdt, "phandle", 2));
	/* to nowhere, to phandle 0 and to the reserved value -1 */
	consumer(fdt, "to-nowhere", 3, (const uint32_t[]){ 0x1234, 0x0, 0xffffffff });
	/* to a device node, to /memory, to /reserved-memory itself, to a grandchild */
	consumer(fdt, "to-non-region", 4, (const uint32_t[]){ 2, 3, 4, 6 });
	/* to itself: its own phandle */
	SW(fdt_begin_node(fdt, "to-self"));
	SW(fdt_property_u32(fdt, "phandle", 7));
	SW(fdt_property_u32(fdt, "memory-region", 7));
	SW(fdt_end_node(fdt));
	/* the same region twice, and an empty memory-region */
	consumer(fdt, "twice", 2, (const uint32_t[]){ 5, 5 });
	consumer(fdt, "empty", 0, NULL);
	SW(fdt_end_node(fdt));
	/* two nodes claiming the same phandle */
	SW(fdt_begin_node(fdt, "dup-a"));
	SW(fdt_property_u32(fdt, "phandle", 9));
	SW(fdt_end_node(fdt));
	SW(fdt_begin_node(fdt, "dup-b"));
	SW(fdt_property_u32(fdt, "phandle", 9));
	SW(fdt_end_node(fdt));
	uint32_t nine = 9;
	consumer(fdt, "to-duplicate", 1, &nine);
	finish(fdt, "hostile-phandles.dtb");
}

/* Properties whose length is no whole number of cells, or of the wrong count. */
static void hostile_odd_lengths(void)
{
	void *fdt = start();
	SW(fdt_finish_reservemap(fdt));
	root_props(fdt, 2, 2);
	memory_2_2(fdt);
	SW(fdt_begin_node(fdt, "memory@c0000000"));
	SW(fdt_property_string(fdt, "device_type", "memory"));
	prop_bytes(fdt, "reg", 7);
	SW(fdt_end_node(fdt));
	SW(fdt_begin_node(fdt, "memory@d0000000"));
	prop_bytes(fdt, "device_type", 6); /* "memory" without its NUL */
	prop_cells(fdt, "reg", 4, 0x0, 0xd0000000, 0x0, 0x1000000);
	SW(fdt_end_node(fdt));
	rmem_begin(fdt, 2, 2);
	SW(fdt_begin_node(fdt, "reg7@88000000"));
	prop_bytes(fdt, "reg", 7);
	SW(fdt_end_node(fdt));
	SW(fdt_begin_node(fdt, "reg20@88100000"));
	prop_cells(fdt, "reg", 5, 0x0, 0x88100000, 0x0, 0x1000, 0x0);
	SW(fdt_end_node(fdt));
	SW(fdt_begin_node(fdt, "size3"));
	SW(fdt_property_string(fdt, "compatible", "shared-dma-pool"));
	prop_bytes(fdt, "size", 3);
	SW(fdt_end_node(fdt));
	SW(fdt_begin_node(fdt, "size4"));
	SW(fdt_property_string(fdt, "compatible", "shared-dma-pool"));
	SW(fdt_property(fdt, "reusable", NULL, 0));
	prop_cells(fdt, "size", 1, 0x400000);
	prop_bytes(fdt, "alignment", 5);
	SW(fdt_end_node(fdt));
	SW(fdt_begin_node(fdt, "ranges9"));
	SW(fdt_property_string(fdt, "compatible", "shared-dma-pool"));
	SW(fdt_property(fdt, "no-map", NULL, 0));
	prop_cells(fdt, "size", 2, 0x0, 0x100000);
	prop_bytes(fdt, "alloc-ranges", 9);
	SW(fdt_property_u32(fdt, "phandle", 1));
	SW(fdt_end_node(fdt));
	SW(fdt_begin_node(fdt, "empty-props@88200000"));
	SW(fdt_property(fdt, "reg", NULL, 0));
	SW(fdt_property(fdt, "size", NULL, 0));
	SW(fdt_property(fdt, "compatible", NULL, 0));
	SW(fdt_property(fdt, "status", NULL, 0));
	SW(fdt_end_node(fdt));
	SW(fdt_begin_node(fdt, "unterminated@88300000"));
	prop_cells(fdt, "reg", 4, 0x0, 0x88300000, 0x0, 0x1000);
	prop_bytes(fdt, "compatible", 15);
	prop_bytes(fdt, "status", 4);
	prop_bytes(fdt, "phandle", 3);
	SW(fdt_end_node(fdt));
	SW(fdt_end_node(fdt));
	SW(fdt_begin_node(fdt, "device"));
	SW(fdt_property_string(fdt, "compatible", "carveout,test-device"));
	prop_bytes(fdt, "memory-region", 3);
	prop_bytes(fdt, "memory-region-names", 5);
	prop_bytes(fdt, "dma-ranges", 7);
	prop_bytes(fdt, "dma-coherent", 3);
	SW(fdt_end_node(fdt));
	SW(fdt_begin_node(fdt, "device2"));
	prop_cells(fdt, "memory-region", 1, 1);
	prop_bytes(fdt, "#address-cells", 2);
	SW(fdt_begin_node(fdt, "child"));
	prop_cells(fdt, "memory-region", 1, 1);
	SW(fdt_end_node(fdt));
	SW(fdt_end_node(fdt));
	SW(fdt_begin_node(fdt, "chosen"));
	prop_bytes(fdt, "linux,initrd-start", 3);
	prop_cells(fdt, "linux,initrd-end", 1, 0x89000000);
	prop_bytes(fdt, "bootargs", 4);
	SW(fdt_end_node(fdt));
	finish(fdt, "hostile-odd-lengths.dtb");
}

/* The smallest valid tree: a root node and nothing else. */
static void hostile_empty_root(void)
{
	void *fdt = start();
	SW(fdt_finish_reservemap(fdt));
	SW(fdt_begin_node(fdt, ""));
	finish(fdt, "hostile-empty-root.dtb");
}

/* ------------------------------------------------------------- invalid */

/* A small valid blob to corrupt (copied, so buf can be reused). */
static size_t base_blob(char *out)
{
	void *fdt = start();
	SW(fdt_add_reservemap_entry(fdt, 0x8f000000ull, 0x1000));
	SW(fdt_finish_reservemap(fdt));
	root_props(fdt, 2, 2);
	memory_2_2(fdt);
	rmem_begin(fdt, 2, 2);
	SW(fdt_begin_node(fdt, "pool@88000000"));
	prop_cells(fdt, "reg", 4, 0x0, 0x88000000, 0x0, 0x100000);
	SW(fdt_property(fdt, "no-map", NULL, 0));
	SW(fdt_end_node(fdt));
	SW(fdt_end_node(fdt));
	SW(fdt_end_node(fdt));
	SW(fdt_finish(fdt));
	size_t n = fdt_totalsize(fdt);
	memcpy(out, fdt, n);
	return n;
}

static void set_be32(char *p, uint32_t off, uint32_t v)
{
	fdt32_t b = cpu_to_fdt32(v);
	memcpy(p + off, &b, 4);
}

/* Hand-written structure blocks: header, empty reservation map, struct, strings. */
struct raw {
	uint8_t st[256];
	size_t n;
};

static void raw_u32(struct raw *r, uint32_t v)
{
	fdt32_t b = cpu_to_fdt32(v);
	memcpy(r->st + r->n, &b, 4);
	r->n += 4;
}

/* A name with its NUL (terminate false: without it), padded to 4 bytes. */
static void raw_name(struct raw *r, const char *s, int terminate)
{
	size_t len = strlen(s) + (terminate ? 1 : 0);
	memcpy(r->st + r->n, s, len);
	r->n += len;
	while (r->n % 4)
		r->st[r->n++] = terminate ? 0 : 'x';
}

static void raw_write(const char *name, const struct raw *r, const char *strings, size_t slen)
{
	char out[1024] = { 0 };
	uint32_t rsv = 40, st = rsv + 16, str = st + (uint32_t)r->n;
	uint32_t total = str + (uint32_t)slen;
	set_be32(out, 0, FDT_MAGIC);
	set_be32(out, 4, total);
	set_be32(out, 8, st);
	set_be32(out, 12, str);
	set_be32(out, 16, rsv);
	set_be32(out, 20, 17);
	set_be32(out, 24, 16);
	set_be32(out, 28, 0);
	set_be32(out, 32, (uint32_t)slen);
	set_be32(out, 36, (uint32_t)r->n);
	memcpy(out + st, r->st, r->n);
	memcpy(out + str, strings, slen);
	write_file(name, out, total);
}

static void bad_blobs(void)
{
	static char base[65536], b[65536];
	size_t n = base_blob(base);

	write_file("bad-empty.dtb", "", 0);
	write_file("bad-one-byte.dtb", base, 1);
	write_file("bad-truncated-at-20.dtb", base, 20);
	write_file("bad-truncated-at-40.dtb", base, 40);
	write_file("bad-truncated-at-half.dtb", base, n / 2);
	write_file("bad-truncated-last-byte.dtb", base, n - 1);

	memcpy(b, base, n);
	set_be32(b, 0, 0xedfe0dd0); /* the magic byte-swapped */
	write_file("bad-magic.dtb", b, n);

	memcpy(b, base, n);
	set_be32(b, 20, 3); /* version 3: node names are full paths, libfdt misreads it */
	set_be32(b, 24, 2);
	write_file("bad-version-old.dtb", b, n);

	memcpy(b, base, n);
	set_be32(b, 20, 18); /* a future version no reader of version 17 understands */
	set_be32(b, 24, 18);
	write_file("bad-version-new.dtb", b, n);

	memcpy(b, base, n);
	set_be32(b, 4, (uint32_t)n + 4096);
	write_file("bad-totalsize.dtb", b, n);

	memcpy(b, base, n);
	set_be32(b, 8, (uint32_t)n + 64); /* off_dt_struct */
	write_file("bad-struct-offset.dtb", b, n);

	memcpy(b, base, n);
	set_be32(b, 12, (uint32_t)n - 4); /* off_dt_strings: the block runs past the end */
	write_file("bad-strings-offset.dtb", b, n);

	memcpy(b, base, n);
	set_be32(b, 36, 0xfffffff0); /* size_dt_struct */
	write_file("bad-struct-size.dtb", b, n);

	struct raw r;
	static const char strs[] = "reg\0compatible";

	/* FDT_END_NODE without a matching FDT_BEGIN_NODE */
	r.n = 0;
	raw_u32(&r, FDT_BEGIN_NODE);
	raw_name(&r, "", 1);
	raw_u32(&r, FDT_END_NODE);
	raw_u32(&r, FDT_END_NODE);
	raw_u32(&r, FDT_END);
	raw_write("bad-misnested.dtb", &r, strs, sizeof(strs));

	/* a node left open at FDT_END */
	r.n = 0;
	raw_u32(&r, FDT_BEGIN_NODE);
	raw_name(&r, "", 1);
	raw_u32(&r, FDT_BEGIN_NODE);
	raw_name(&r, "child", 1);
	raw_u32(&r, FDT_END_NODE);
	raw_u32(&r, FDT_END);
	raw_write("bad-unclosed-node.dtb", &r, strs, sizeof(strs));

	/* a property whose name offset lies past the strings block */
	r.n = 0;
	raw_u32(&r, FDT_BEGIN_NODE);
	raw_name(&r, "", 1);
	raw_u32(&r, FDT_PROP);
	raw_u32(&r, 4);
	raw_u32(&r, sizeof(strs) + 100);
	raw_u32(&r, 0x12345678);
	raw_u32(&r, FDT_END_NODE);
	raw_u32(&r, FDT_END);
	raw_write("bad-name-offset.dtb", &r, strs, sizeof(strs));

	/* a node name that runs to the end of the structure block without a NUL */
	r.n = 0;
	raw_u32(&r, FDT_BEGIN_NODE);
	raw_name(&r, "", 1);
	raw_u32(&r, FDT_BEGIN_NODE);
	raw_name(&r, "unterminated", 0);
	raw_write("bad-unterminated-name.dtb", &r, strs, sizeof(strs));

	/* a property claiming nearly 2 GiB of value */
	r.n = 0;
	raw_u32(&r, FDT_BEGIN_NODE);
	raw_name(&r, "", 1);
	raw_u32(&r, FDT_PROP);
	raw_u32(&r, 0x7ffffff0);
	raw_u32(&r, 0);
	raw_u32(&r, 0);
	raw_u32(&r, FDT_END_NODE);
	raw_u32(&r, FDT_END);
	raw_write("bad-huge-property.dtb", &r, strs, sizeof(strs));

	/* an unknown tag in the structure block */
	r.n = 0;
	raw_u32(&r, FDT_BEGIN_NODE);
	raw_name(&r, "", 1);
	raw_u32(&r, 0x7);
	raw_u32(&r, FDT_END_NODE);
	raw_u32(&r, FDT_END);
	raw_write("bad-unknown-tag.dtb", &r, strs, sizeof(strs));

	/* a directory where a file is expected */
	char path[4096];
	snprintf(path, sizeof(path), "%s/bad-directory.dtb", outdir);
	if (mkdir(path, 0777) && errno != EEXIST) {
		fprintf(stderr, "gen-blobs: %s: %s\n", path, strerror(errno));
		exit(1);
	}

	static const char dts[] = "/dts-v1/;\n\n/ {\n\tmodel = \"missing semicolon\"\n\tcompatible = \"x\";\n};\n";
	write_file("bad-syntax-error.dts", dts, sizeof(dts) - 1);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: gen-blobs OUTDIR STAMP\n");
		return 2;
	}
	outdir = argv[1];
	if (mkdir(outdir, 0777) && errno != EEXIST) {
		fprintf(stderr, "gen-blobs: %s: %s\n", outdir, strerror(errno));
		return 1;
	}
	buf = malloc(BUF_SIZE);
	if (!buf)
		return 1;
	bad_blobs();
	hostile_cells("hostile-root-addr-cells-0.dtb", 0, 2);
	hostile_cells("hostile-root-addr-cells-3.dtb", 3, 2);
	hostile_cells("hostile-root-addr-cells-4.dtb", 4, 2);
	hostile_cells("hostile-root-addr-cells-ffffffff.dtb", 0xffffffffu, 2);
	hostile_cells("hostile-root-size-cells-0.dtb", 2, 0);
	hostile_cells("hostile-root-size-cells-ffffffff.dtb", 2, 0xffffffffu);
	hostile_wrap();
	hostile_memreserve();
	hostile_many_regions();
	hostile_deep();
	hostile_phandles();
	hostile_odd_lengths();
	hostile_empty_root();
	free(buf);
	FILE *f = fopen(argv[2], "w");
	if (!f || fclose(f)) {
		fprintf(stderr, "gen-blobs: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	return 0;
}
