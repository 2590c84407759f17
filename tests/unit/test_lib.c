// SPDX-License-Identifier: MIT
/* Unit tests of libcarveout's building blocks: range arithmetic, sizes, the
 * DTS position map, and the model the early scan builds. */
#include <setjmp.h>
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libfdt.h>

#include "../../lib/address.h"
#include "../../lib/srcmap.h"
#include "../../lib/tree.h"
#include "../../lib/util.h"

static void test_range_math(void **state)
{
	uint64_t last;
	assert_true(cvo_range_end(0x80000000, 0x1000, &last));
	assert_int_equal(last, 0x80000fff);
	assert_true(cvo_range_end(UINT64_MAX, 1, &last));
	assert_int_equal(last, UINT64_MAX);
	assert_false(cvo_range_end(UINT64_MAX, 2, &last));
	assert_int_equal(cvo_range_last(UINT64_MAX - 1, 10), UINT64_MAX);
	assert_true(cvo_ranges_overlap(0x1000, 0x1000, 0x1fff, 1));
	assert_false(cvo_ranges_overlap(0x1000, 0x1000, 0x2000, 1));
	assert_false(cvo_ranges_overlap(0x1000, 0, 0x1000, 1));
	assert_true(cvo_ranges_overlap(0, UINT64_MAX, UINT64_MAX - 1, 5));
}

static void test_read_cells(void **state)
{
	const uint8_t b[] = { 0x00, 0x00, 0x00, 0x01, 0x80, 0x00, 0x00, 0x00,
			      0x12, 0x34, 0x56, 0x78 };
	assert_int_equal(cvo_read_cells(b, 1), 1);
	assert_int_equal(cvo_read_cells(b, 2), 0x180000000ull);
	/* more than two cells keep the low 64 bits, like of_read_number() */
	assert_int_equal(cvo_read_cells(b, 3), 0x0000000180000000ull << 32 | 0x12345678);
	assert_int_equal(cvo_read_cells(b, 0), 0);
}

static void test_write_cells(void **state)
{
	uint8_t b[16];
	/* a base and a size as two 2-cell and one 1-cell field, read back */
	assert_true(cvo_write_cells(b, 2, 0x180000000ull));
	assert_true(cvo_write_cells(b + 8, 1, 0x12345678));
	const uint8_t want[] = { 0x00, 0x00, 0x00, 0x01, 0x80, 0x00, 0x00, 0x00,
				 0x12, 0x34, 0x56, 0x78 };
	assert_memory_equal(b, want, sizeof(want));
	assert_int_equal(cvo_read_cells(b, 2), 0x180000000ull);
	/* more cells than 64 bits: the high ones are 0 */
	memset(b, 0xff, sizeof(b));
	assert_true(cvo_write_cells(b, 3, UINT64_MAX));
	assert_int_equal(cvo_read_cells(b, 1), 0);
	assert_int_equal(cvo_read_cells(b + 4, 2), UINT64_MAX);
	/* a value that does not fit: false, the low cells written all the same */
	assert_false(cvo_write_cells(b, 1, 0x100000000ull));
	assert_int_equal(cvo_read_cells(b, 1), 0);
	assert_false(cvo_write_cells(b, 1, 0x1ffffffffull));
	assert_int_equal(cvo_read_cells(b, 1), 0xffffffffu);
	/* zero cells hold only 0 */
	assert_true(cvo_write_cells(b, 0, 0));
	assert_false(cvo_write_cells(b, 0, 1));
	/* every value of two cells round-trips */
	for (uint64_t v = 1; v; v <<= 7) {
		assert_true(cvo_write_cells(b, 2, v - 1));
		assert_int_equal(cvo_read_cells(b, 2), v - 1);
	}
}

static void test_fmt_size(void **state)
{
	char buf[64];
	assert_string_equal(cvo_fmt_size(0, buf, sizeof(buf)), "0 bytes");
	assert_string_equal(cvo_fmt_size(1, buf, sizeof(buf)), "1 byte");
	assert_string_equal(cvo_fmt_size(4096, buf, sizeof(buf)), "4 KiB");
	assert_string_equal(cvo_fmt_size(4u << 20, buf, sizeof(buf)), "4 MiB");
	assert_string_equal(cvo_fmt_size(6ull << 30, buf, sizeof(buf)), "6 GiB");
	assert_string_equal(cvo_fmt_size(0x180000, buf, sizeof(buf)),
			    "1.50 MiB (0x180000 bytes)");
	assert_string_equal(cvo_fmt_size(UINT64_MAX, buf, sizeof(buf)),
			    "15.99 EiB (0xffffffffffffffff bytes)");
}

static void test_srcmap(void **state)
{
	const char *text = "/dts-v1/;\n"
			   "\n"
			   "/ { /* b.dts:2:3-20:3 */\n"
			   "\t#address-cells = <0x02>; /* b.dts:3:2-3:23 */\n"
			   "\n"
			   "\tlbl: reserved-memory { /* b.dts:5:18-9:4 */\n"
			   "\t\tranges; /* b.dts:6:3-6:10 */\n"
			   "\t\tfw@1000 { /* b.dts:7:11-8:5 */\n"
			   "\t\t\treg = <0x00 0x1000>; /* inc/x.dtsi:4:2-4:20, b.dts:7:13-7:30 */\n"
			   "\t\t}; /* b.dts:7:11-8:5 */\n"
			   "\t}; /* b.dts:5:18-9:4 */\n"
			   "}; /* b.dts:2:3-20:3 */\n";
	struct cvo_srcmap *m = cvo_srcmap_parse(text, strlen(text), "b.dts");
	assert_non_null(m);
	struct cvo_loc loc;
	assert_true(cvo_srcmap_find(m, "/reserved-memory", NULL, &loc));
	assert_string_equal(loc.file, "b.dts");
	assert_int_equal(loc.line, 5);
	assert_int_equal(loc.column, 18);
	assert_int_equal(loc.end_line, 9);
	assert_int_equal(loc.end_column, 4);
	assert_true(cvo_srcmap_find(m, "/reserved-memory/fw@1000", "reg", &loc));
	assert_int_equal(loc.line, 7);
	assert_int_equal(loc.column, 13);
	assert_true(cvo_srcmap_find(m, "/", "#address-cells", &loc));
	assert_int_equal(loc.line, 3);
	/* a property that is not there falls back to its node */
	assert_true(cvo_srcmap_find(m, "/reserved-memory/fw@1000", "no-map", &loc));
	assert_int_equal(loc.line, 7);
	assert_int_equal(loc.column, 11);
	assert_false(cvo_srcmap_find(m, "/nope", NULL, &loc));
	cvo_srcmap_free(m);
}

/* A small DTB built with libfdt's sequential-write API. */
static void *make_dtb(void)
{
	size_t cap = 8192;
	void *buf = calloc(1, cap);
	assert_int_equal(fdt_create(buf, (int)cap), 0);
	assert_int_equal(fdt_add_reservemap_entry(buf, 0x90000000, 0x1000), 0);
	assert_int_equal(fdt_add_reservemap_entry(buf, 0x91000000, 0x2000), 0);
	assert_int_equal(fdt_finish_reservemap(buf), 0);
	assert_int_equal(fdt_begin_node(buf, ""), 0);
	assert_int_equal(fdt_property_u32(buf, "#address-cells", 2), 0);
	assert_int_equal(fdt_property_u32(buf, "#size-cells", 2), 0);
	assert_int_equal(fdt_begin_node(buf, "memory@80000000"), 0);
	assert_int_equal(fdt_property_string(buf, "device_type", "memory"), 0);
	/* an unaligned first bank, a tiny second one, a good third one */
	const fdt64_t reg[] = { cpu_to_fdt64(0x80000800), cpu_to_fdt64(0x20000000),
				cpu_to_fdt64(0xc0000000), cpu_to_fdt64(0x800),
				cpu_to_fdt64(0x100000000ull), cpu_to_fdt64(0x40000000) };
	assert_int_equal(fdt_property(buf, "reg", reg, sizeof(reg)), 0);
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_begin_node(buf, "chosen"), 0);
	assert_int_equal(fdt_property_u32(buf, "linux,initrd-start", 0x88000000), 0);
	assert_int_equal(fdt_property_u64(buf, "linux,initrd-end", 0x88100000), 0);
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_begin_node(buf, "reserved-memory"), 0);
	assert_int_equal(fdt_property_u32(buf, "#address-cells", 2), 0);
	assert_int_equal(fdt_property_u32(buf, "#size-cells", 2), 0);
	assert_int_equal(fdt_property(buf, "ranges", NULL, 0), 0);
	assert_int_equal(fdt_begin_node(buf, "cma"), 0);
	assert_int_equal(fdt_property_string(buf, "compatible", "shared-dma-pool"), 0);
	assert_int_equal(fdt_property(buf, "reusable", NULL, 0), 0);
	assert_int_equal(fdt_property_u64(buf, "size", 0x8000000), 0);
	assert_int_equal(fdt_property_u32(buf, "phandle", 7), 0);
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_begin_node(buf, "fw@a0000000"), 0);
	const fdt64_t fw[] = { cpu_to_fdt64(0xa0000000), cpu_to_fdt64(0x100000) };
	assert_int_equal(fdt_property(buf, "reg", fw, sizeof(fw)), 0);
	assert_int_equal(fdt_property(buf, "no-map", NULL, 0), 0);
	assert_int_equal(fdt_property_string(buf, "status", "disabled"), 0);
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_begin_node(buf, "dev"), 0);
	const fdt32_t mr[] = { cpu_to_fdt32(7), cpu_to_fdt32(99) };
	assert_int_equal(fdt_property(buf, "memory-region", mr, sizeof(mr)), 0);
	assert_int_equal(fdt_property(buf, "memory-region-names", "a\0b\0c", 6), 0);
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_finish(buf), 0);
	return buf;
}

static void test_model(void **state)
{
	void *dtb = make_dtb();
	struct cvo_blob *blob;
	struct cvo_error err;
	assert_int_equal(cvo_blob_from_buffer(dtb, fdt_totalsize(dtb), "t.dtb", &blob, &err), 0);
	free(dtb);
	struct cvo_model *m;
	assert_int_equal(cvo_model_build(blob, NULL, &m, &err), 0);
	assert_int_equal(m->root_addr_cells, 2);
	/* early_init_dt_add_memory_arch(): trimmed to pages, the sub-page bank dropped */
	assert_int_equal(m->n_banks, 2);
	assert_int_equal(m->banks[0].base, 0x80001000);
	assert_int_equal(m->banks[0].size, 0x1ffff000);
	assert_int_equal(m->banks[1].base, 0x100000000ull);
	assert_int_equal(m->n_memreserve, 2);
	assert_true(m->has_initrd);
	assert_int_equal(m->initrd.base, 0x88000000);
	assert_int_equal(m->initrd.size, 0x100000);
	assert_true(m->rmem_format_ok);
	assert_int_equal(m->n_rmem, 2);
	/* two /memreserve/ regions after the reserved-memory children */
	assert_int_equal(m->n_regions, 4);
	const struct cvo_region *cma = &m->regions[0];
	assert_string_equal(cma->path, "/reserved-memory/cma");
	assert_int_equal(cma->kind, CVO_KIND_CMA);
	assert_false(cma->is_static);
	assert_int_equal(cma->size, 0x8000000);
	assert_int_equal(cma->phandle, 7);
	const struct cvo_region *fw = &m->regions[1];
	assert_false(fw->available);
	assert_true(fw->no_map);
	assert_int_equal(fw->kind, CVO_KIND_RESERVED);
	assert_int_equal(m->regions[2].kind, CVO_KIND_MEMRESERVE);
	assert_string_equal(m->regions[3].path, "/memreserve/1");
	assert_int_equal(m->n_consumers, 1);
	assert_int_equal(m->consumers[0].n, 2);
	assert_int_equal(m->consumers[0].targets[0], 0);
	assert_int_equal(m->consumers[0].targets[1], -1);
	assert_int_equal(m->consumers[0].n_names, 3);
	assert_int_equal(cvo_model_region_by_node(m, fw->node), 1);
	cvo_model_free(m);
	cvo_blob_free(blob);
}

/* An overlay's smallest shape: /fragment@0 with a target and an __overlay__. */
static void *make_overlay(void)
{
	size_t cap = 1024;
	void *buf = calloc(1, cap);
	assert_int_equal(fdt_create(buf, (int)cap), 0);
	assert_int_equal(fdt_finish_reservemap(buf), 0);
	assert_int_equal(fdt_begin_node(buf, ""), 0);
	assert_int_equal(fdt_begin_node(buf, "fragment@0"), 0);
	assert_int_equal(fdt_property_string(buf, "target-path", "/"), 0);
	assert_int_equal(fdt_begin_node(buf, "__overlay__"), 0);
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_finish(buf), 0);
	return buf;
}

static void test_session(void **state)
{
	struct cvo_platform_set ps;
	struct cvo_error err;
	assert_int_equal(cvo_platform_set_init(&ps, "no-such-board", NULL, NULL, &err),
			 CVO_ERR_USAGE);
	assert_null(ps.fixed);
	assert_null(ps.boards);
	cvo_platform_set_fini(&ps);

	/* -p auto: the bundled boards and the four generic profiles */
	assert_int_equal(cvo_platform_set_init(&ps, "auto", NULL, NULL, &err), 0);
	assert_null(ps.fixed);
	assert_true(ps.n_boards > 0);
	for (int a = 0; a < 4; a++)
		assert_non_null(ps.generic[a]);

	void *dtb = make_dtb();
	struct cvo_blob *blob;
	assert_int_equal(cvo_blob_from_buffer(dtb, fdt_totalsize(dtb), "t.dtb", &blob, &err), 0);
	const struct cvo_platform *p = cvo_platform_set_pick(&ps, blob->fdt, NULL);
	/* no board's compatible: the generic profile of the guessed arch */
	assert_ptr_equal(p, ps.generic[cvo_platform_guess_arch(blob->fdt)]);
	struct cvo_input in;
	assert_int_equal(cvo_input_from_blob(blob, &ps, NULL, &in, &err), 0);
	assert_ptr_equal(in.platform, p);
	assert_ptr_equal(in.model->blob, in.blob);
	assert_int_equal(cvo_outcome(&in.placement, &in.model->regions[0])->status,
			 CVO_STATUS_PLACED);
	cvo_input_fini(&in);
	assert_null(in.blob);

	/* a bare overlay is refused as an input, and taken with --apply */
	void *ov = make_overlay();
	assert_int_equal(cvo_blob_from_buffer(ov, fdt_totalsize(ov), "o.dtbo", &blob, &err), 0);
	assert_int_equal(cvo_input_from_blob(blob, &ps, NULL, &in, &err), CVO_ERR_INVALID);
	assert_string_equal(err.source, "o.dtbo");
	assert_string_equal(err.text,
			    "is a device tree overlay; give it with --apply to a base DT");
	assert_null(in.blob);

	char dir[] = "/tmp/carveout-test-XXXXXX", dt_path[64], ov_path[64];
	assert_non_null(mkdtemp(dir));
	snprintf(dt_path, sizeof(dt_path), "%s/t.dtb", dir);
	snprintf(ov_path, sizeof(ov_path), "%s/o.dtbo", dir);
	FILE *f = fopen(dt_path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(dtb, fdt_totalsize(dtb), 1, f), 1);
	assert_int_equal(fclose(f), 0);
	f = fopen(ov_path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(ov, fdt_totalsize(ov), 1, f), 1);
	assert_int_equal(fclose(f), 0);
	struct cvo_blob *o;
	assert_int_equal(cvo_overlay_load(dt_path, NULL, 0, &o, &err), CVO_ERR_INVALID);
	assert_null(o);
	assert_string_equal(err.text, "not a device tree overlay (no /fragment@N/__overlay__ "
				      "node): --apply takes a .dtbo, or a .dts with /plugin/");
	assert_int_equal(cvo_overlay_load(ov_path, NULL, 0, &o, &err), 0);
	const struct cvo_blob *const ovs[] = { o };
	struct cvo_load ld = { .overlays = ovs, .n_overlays = 1 };
	assert_int_equal(cvo_input_load(dt_path, &ps, &ld, &in, &err), 0);
	assert_non_null(in.model);
	cvo_input_fini(&in);
	cvo_blob_free(o);
	assert_int_equal(cvo_input_load("/nonexistent/x.dtb", &ps, NULL, &in, &err), CVO_ERR_IO);
	assert_null(in.blob);
	assert_null(in.model);
	remove(dt_path);
	remove(ov_path);
	remove(dir);
	free(ov);
	free(dtb);
	cvo_platform_set_fini(&ps);
	cvo_platform_set_fini(&ps);
}

static void test_map(void **state)
{
	void *dtb = make_dtb();
	struct cvo_blob *blob;
	struct cvo_platform *p;
	struct cvo_error err;
	assert_int_equal(cvo_blob_from_buffer(dtb, fdt_totalsize(dtb), "t.dtb", &blob, &err), 0);
	free(dtb);
	assert_int_equal(cvo_platform_generic(CVO_ARCH_ARM64, &p, &err), 0);
	struct cvo_model *m;
	assert_int_equal(cvo_model_build(blob, p, &m, &err), 0);
	struct cvo_placement pl;
	assert_int_equal(cvo_place(m, NULL, &pl), 0);
	struct cvo_map *mp;
	assert_int_equal(cvo_map_build(&pl, &mp), 0);
	assert_ptr_equal(mp->pl, &pl);
	assert_ptr_equal(mp->m, m);
	assert_ptr_equal(mp->p, p);
	/* two banks with the hole between them first (by address, RAM before regions) */
	assert_true(mp->n_rows >= 3);
	assert_int_equal(mp->rows[0].what, CVO_MAP_RAM);
	assert_int_equal(mp->rows[0].base, 0x80001000);
	assert_int_equal(mp->rows[0].last, 0x9fffffff);
	assert_int_equal(mp->lo, 0x80001000);
	assert_int_equal(mp->hi, 0x13fffffffull);
	size_t holes = 0, cma = 0;
	for (size_t i = 0; i < mp->n_rows; i++) {
		const struct cvo_map_row *w = &mp->rows[i];
		assert_true(w->base <= w->last);
		assert_true(!i || mp->rows[i - 1].base <= w->base);
		assert_true(w->lane < w->lanes);
		if (w->what == CVO_MAP_HOLE) {
			holes++;
			assert_int_equal(w->base, 0xa0000000);
			assert_int_equal(w->last, 0xffffffff);
		}
		if (w->what == CVO_MAP_REGION && w->r == &m->regions[0]) {
			cma++;
			assert_int_equal(w->last - w->base + 1, 0x8000000);
		}
		/* the disabled fw@a0000000 has no row */
		assert_true(w->what != CVO_MAP_REGION || w->r != &m->regions[1]);
	}
	assert_int_equal(holes, 1);
	assert_int_equal(cma, 1);
	assert_false(cvo_map_region_shown(&pl, &m->regions[1]));
	assert_true(cvo_map_in_ram(m, 0x80001000, 0x9fffffff));
	assert_false(cvo_map_in_ram(m, 0x9ffff000, 0xa0000fff));
	/* the one memory-region user, without a DMA limit */
	assert_int_equal(mp->n_devs, 1);
	assert_string_equal(mp->devs[0].path, "/dev");
	assert_ptr_equal(mp->devs[0].c, &m->consumers[0]);
	assert_true(mp->devs[0].all);
	for (size_t i = 1; i < mp->n_markers; i++)
		assert_true(mp->markers[i - 1].at <= mp->markers[i].at);
	cvo_map_free(mp);
	cvo_map_free(NULL);
	cvo_placement_fini(&pl);
	cvo_model_free(m);
	cvo_platform_free(p);
	cvo_blob_free(blob);
}

/* The tree index sees what fdt_getprop() sees: properties before the first subnode, the
 * first of a name, fdt_get_phandle()'s rule; a phandle two nodes claim is the first's. */
static void test_tree(void **state)
{
	size_t size = 4096;
	void *buf = calloc(1, size);
	assert_non_null(buf);
	assert_int_equal(fdt_create(buf, (int)size), 0);
	assert_int_equal(fdt_finish_reservemap(buf), 0);
	assert_int_equal(fdt_begin_node(buf, ""), 0);
	assert_int_equal(fdt_property_u32(buf, "#address-cells", 2), 0);
	assert_int_equal(fdt_begin_node(buf, "bus@1000"), 0);
	assert_int_equal(fdt_property_u32(buf, "#address-cells", 1), 0);
	assert_int_equal(fdt_property_string(buf, "status", "okay"), 0);
	assert_int_equal(fdt_property_string(buf, "status", "disabled"), 0);
	assert_int_equal(fdt_begin_node(buf, "dev@0"), 0);
	/* a phandle of the wrong length: linux,phandle counts */
	assert_int_equal(fdt_property(buf, "phandle", "\0\0\0\0\0\0\0\5", 8), 0);
	assert_int_equal(fdt_property_u32(buf, "linux,phandle", 9), 0);
	assert_int_equal(fdt_end_node(buf), 0);
	/* after a subnode: libfdt and the index see neither */
	assert_int_equal(fdt_property_u32(buf, "phandle", 3), 0);
	assert_int_equal(fdt_property_u32(buf, "#size-cells", 2), 0);
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_begin_node(buf, "other"), 0);
	assert_int_equal(fdt_property_u32(buf, "phandle", 9), 0);
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_finish(buf), 0);
	struct cvo_tree *t;
	assert_int_equal(cvo_tree_new(buf, &t), 0);
	assert_int_equal(t->n, 4);
	const struct cvo_tree_node *bus = &t->nodes[1], *dev = &t->nodes[2];
	assert_int_equal(bus->depth, 1);
	assert_int_equal(dev->parent, 1);
	assert_int_equal(dev->depth, 2);
	assert_int_equal(bus->ac, 1);
	assert_int_equal(bus->sc, 1); /* the root default: the later #size-cells is unseen */
	assert_int_equal(dev->ac, 1); /* inherited */
	assert_true(bus->flags & CVO_DN_OKAY); /* the first status */
	assert_int_equal(bus->phandle, 0);
	assert_int_equal(cvo_tree_by_phandle(t, 3), -1);
	assert_int_equal(fdt_node_offset_by_phandle(buf, 3), -FDT_ERR_NOTFOUND);
	assert_int_equal(dev->phandle, 9);
	assert_int_equal(cvo_tree_by_phandle(t, 9), 2);
	assert_int_equal(cvo_tree_index(t, dev->off), 2);
	assert_int_equal(cvo_tree_index(t, dev->off + 4), -1);
	char *path = cvo_tree_path(t, 2);
	assert_string_equal(path, "/bus@1000/dev@0");
	free(path);
	path = cvo_tree_path(t, 0);
	assert_string_equal(path, "/");
	free(path);
	cvo_tree_free(t);
	free(buf);
}

static void test_blob_errors(void **state)
{
	struct cvo_blob *blob = NULL;
	struct cvo_error err;
	char junk[64] = "hello, this is not a device tree blob at all.........";
	assert_int_equal(cvo_blob_from_buffer(junk, 0, "e.dtb", &blob, &err), CVO_ERR_INVALID);
	assert_string_equal(err.text, "empty file");
	assert_int_equal(cvo_blob_from_buffer(junk, sizeof(junk), "j.dtb", &blob, &err),
			 CVO_ERR_INVALID);
	assert_string_equal(err.source, "j.dtb");
	assert_string_equal(err.text, "not a device tree blob (bad magic)");
	void *dtb = make_dtb();
	assert_int_equal(cvo_blob_from_buffer(dtb, fdt_totalsize(dtb) - 8, "t.dtb", &blob, &err),
			 CVO_ERR_INVALID);
	assert_non_null(strstr(err.text, "truncated"));
	assert_null(blob);
	free(dtb);
	cvo_blob_free(NULL);
	cvo_model_free(NULL);
}

static void test_check_table(void **state)
{
	size_t n = cvo_check_count();
	assert_true(n >= 13);
	for (size_t i = 0; i < n; i++) {
		const struct cvo_check *c = cvo_check_get(i);
		assert_non_null(c->id);
		assert_int_equal(cvo_check_index(c->id), (int)i);
		/* the boot family compares a boot log: cvo_verify() runs it, not cvo_check_run() */
		if (strcmp(c->family, "boot") == 0)
			assert_null(c->run);
		else
			assert_non_null(c->run);
		for (const char *p = c->id; *p; p++)
			assert_true((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_');
		/* ids are unique */
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(cvo_check_get(k)->id, c->id);
	}
	assert_int_equal(cvo_check_index("no_such_check"), -1);
	struct cvo_check_config cfg;
	assert_int_equal(cvo_check_config_init(&cfg), 0);
	assert_int_equal(cvo_check_config_set(&cfg, "rmem_overlap_typo", CVO_MODE_OFF),
			 CVO_ERR_USAGE);
	assert_int_equal(cvo_check_config_set(&cfg, "rmem_shape", CVO_MODE_ERROR), 0);
	assert_int_equal(cfg.mode[cvo_check_index("rmem_shape")], CVO_MODE_ERROR);
	cvo_check_config_fini(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_range_math),	cmocka_unit_test(test_read_cells),
		cmocka_unit_test(test_write_cells),	cmocka_unit_test(test_tree),
		cmocka_unit_test(test_fmt_size),	cmocka_unit_test(test_srcmap),
		cmocka_unit_test(test_model),		cmocka_unit_test(test_blob_errors),
		cmocka_unit_test(test_check_table),	cmocka_unit_test(test_session),
		cmocka_unit_test(test_map),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
