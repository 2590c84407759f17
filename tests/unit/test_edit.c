// SPDX-License-Identifier: MIT
/*
 * Unit tests of the changes to a DT (lib/edit.c): every action applied with libfdt leaves
 * what no change names byte for byte and in order; the errors; the overlay source, compiled by
 * dtc and applied with fdt_overlay_apply(), gives the same tree, phandles included.
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
#include <libfdt.h>

#include "carveout.h"
#include "util.h"

static const char base_dts[] =
	"/dts-v1/;\n"
	"/ {\n"
	"	#address-cells = <2>;\n"
	"	#size-cells = <2>;\n"
	"	model = \"test board\";\n"
	"	memory@80000000 {\n"
	"		device_type = \"memory\";\n"
	"		reg = <0x0 0x80000000 0x0 0x40000000>;\n"
	"	};\n"
	"	reserved-memory {\n"
	"		#address-cells = <2>;\n"
	"		#size-cells = <2>;\n"
	"		ranges;\n"
	"		fw: fw@88000000 {\n"
	"			reg = <0x0 0x88000000 0x0 0x100000>;\n"
	"			no-map;\n"
	"		};\n"
	"		pool: pool {\n"
	"			compatible = \"shared-dma-pool\";\n"
	"			reusable;\n"
	"			size = <0x0 0x1000000>;\n"
	"			alignment = <0x0 0x400000>;\n"
	"			alloc-ranges = <0x0 0x80000000 0x0 0x20000000>;\n"
	"		};\n"
	"	};\n"
	"	dev@10000000 {\n"
	"		compatible = \"vendor,dev\", \"vendor,generic\";\n"
	"		reg = <0x0 0x10000000 0x0 0x1000>;\n"
	"		memory-region = <&fw>;\n"
	"		status = \"okay\";\n"
	"	};\n"
	"	other {\n"
	"		bytes = [01 02 03];\n"
	"		user = <&pool>;\n"
	"	};\n"
	"};\n";

static struct cvo_blob *load(const char *dts)
{
	char path[] = "/tmp/carveout-test-edit-XXXXXX.dts";
	int fd = mkstemps(path, 4);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(dts, f);
	fclose(f);
	struct cvo_error err;
	struct cvo_blob *b;
	int rc = cvo_blob_load(path, NULL, 0, &b, &err);
	unlink(path);
	if (rc)
		fail_msg("%s: %s", err.source, err.text);
	return b;
}

static void *dup_bytes(const void *v, size_t len)
{
	if (!len)
		return NULL;
	void *d = malloc(len);
	assert_non_null(d);
	memcpy(d, v, len);
	return d;
}

static struct cvo_change *add(struct cvo_changes *c, enum cvo_change_action action,
			      const char *path, const char *property)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 8;
		c->v = realloc(c->v, c->cap * sizeof(*c->v));
		assert_non_null(c->v);
	}
	struct cvo_change *ch = &c->v[c->n++];
	*ch = (struct cvo_change){ .action = action, .path = strdup(path) };
	ch->property = property ? strdup(property) : NULL;
	return ch;
}

static void set(struct cvo_changes *c, enum cvo_change_action action, const char *path,
		const char *property, const void *v, size_t len)
{
	struct cvo_change *ch = add(c, action, path, property);
	ch->value.value = dup_bytes(v, len);
	ch->value.len = len;
}

static void set_cells(struct cvo_changes *c, enum cvo_change_action action, const char *path,
		      const char *property, size_t n, ...)
{
	fdt32_t cells[16];
	va_list ap;
	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		cells[i] = cpu_to_fdt32(va_arg(ap, uint32_t));
	va_end(ap);
	set(c, action, path, property, cells, n * 4);
}

static void node_prop(struct cvo_change *ch, const char *name, const void *v, size_t len)
{
	ch->props = realloc(ch->props, (ch->n_props + 1) * sizeof(*ch->props));
	assert_non_null(ch->props);
	ch->props[ch->n_props++] = (struct cvo_prop){ strdup(name), dup_bytes(v, len), len };
}

static void node_cells(struct cvo_change *ch, const char *name, size_t n, ...)
{
	fdt32_t cells[16];
	va_list ap;
	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		cells[i] = cpu_to_fdt32(va_arg(ap, uint32_t));
	va_end(ap);
	node_prop(ch, name, cells, n * 4);
}

static uint32_t phandle_of(const struct cvo_blob *b, const char *path)
{
	int node = fdt_path_offset(b->fdt, path);
	assert_true(node >= 0);
	uint32_t ph = fdt_get_phandle(b->fdt, node);
	assert_true(ph != 0);
	return ph;
}

static bool named(const struct cvo_changes *c, const char *path, const char *prop)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].path, path) && c->v[i].property && !strcmp(c->v[i].property, prop))
			return true;
	return false;
}

static bool added(const struct cvo_changes *c, const char *path)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].action == CVO_CHANGE_ADD_NODE && !strcmp(c->v[i].path, path))
			return true;
	return false;
}

static bool skipped_node(const char *name)
{
	return !strcmp(name, "__symbols__") || !strcmp(name, "__fixups__") ||
	       !strcmp(name, "__local_fixups__");
}

/*
 * The node at a in fa against the one at b in fb. With c: the properties and children no
 * change names are the same, in the same order. Without: the nodes are the same, all
 * properties and children in order, except for __symbols__ and the fixups.
 */
static void compare_node(const void *fa, int a, const void *fb, int b, const char *path,
			 const struct cvo_changes *c)
{
	int pa = fdt_first_property_offset(fa, a), pb = fdt_first_property_offset(fb, b);
	if (!c) {
		/* fdt_overlay_apply() sets a new node's properties one by one, each first in
		 * the node: the same properties, in another order */
		int na = 0, nb = 0, p;
		fdt_for_each_property_offset(p, fa, a) {
			const char *name;
			int la, lb;
			const void *va = fdt_getprop_by_offset(fa, p, &name, &la);
			const void *vb = fdt_getprop(fb, b, name, &lb);
			if (!vb)
				fail_msg("%s: property %s is in one tree only", path, name);
			if (la != lb || memcmp(va, vb, (size_t)la))
				fail_msg("%s: property %s differs", path, name);
			na++;
		}
		fdt_for_each_property_offset(p, fb, b)
			nb++;
		if (na != nb)
			fail_msg("%s: %d properties against %d", path, na, nb);
		pa = pb = -1;
	}
	for (; c;) {
		const char *na = NULL, *nb = NULL;
		const void *va = NULL, *vb = NULL;
		int la = 0, lb = 0;
		while (pa >= 0) {
			va = fdt_getprop_by_offset(fa, pa, &na, &la);
			if (!c || !named(c, path, na))
				break;
			pa = fdt_next_property_offset(fa, pa);
		}
		while (pb >= 0) {
			vb = fdt_getprop_by_offset(fb, pb, &nb, &lb);
			if (!c || !named(c, path, nb))
				break;
			pb = fdt_next_property_offset(fb, pb);
		}
		if (pa < 0 || pb < 0) {
			if (pa >= 0 || pb >= 0)
				fail_msg("%s: property %s is in one tree only", path,
					 pa >= 0 ? na : nb);
			break;
		}
		if (strcmp(na, nb))
			fail_msg("%s: property %s where the other has %s", path, nb, na);
		if (la != lb || memcmp(va, vb, (size_t)la))
			fail_msg("%s: property %s differs", path, na);
		pa = fdt_next_property_offset(fa, pa);
		pb = fdt_next_property_offset(fb, pb);
	}
	int ca = fdt_first_subnode(fa, a), cb = fdt_first_subnode(fb, b);
	for (;;) {
		char child[512];
		while (ca >= 0 && skipped_node(fdt_get_name(fa, ca, NULL)))
			ca = fdt_next_subnode(fa, ca);
		while (cb >= 0) {
			const char *name = fdt_get_name(fb, cb, NULL);
			snprintf(child, sizeof(child), "%s/%s", strcmp(path, "/") ? path : "", name);
			if (!skipped_node(name) && (!c || !added(c, child)))
				break;
			cb = fdt_next_subnode(fb, cb);
		}
		if (ca < 0 || cb < 0) {
			if (ca >= 0 || cb >= 0)
				fail_msg("%s: node %s is in one tree only", path,
					 fdt_get_name(ca >= 0 ? fa : fb, ca >= 0 ? ca : cb, NULL));
			break;
		}
		const char *name = fdt_get_name(fa, ca, NULL);
		if (strcmp(name, fdt_get_name(fb, cb, NULL)))
			fail_msg("%s: child %s where the other has %s", path,
				 fdt_get_name(fb, cb, NULL), name);
		snprintf(child, sizeof(child), "%s/%s", strcmp(path, "/") ? path : "", name);
		compare_node(fa, ca, fb, cb, child, c);
		ca = fdt_next_subnode(fa, ca);
		cb = fdt_next_subnode(fb, cb);
	}
}

/* Every change is in out: values set, properties deleted, nodes added with their props. */
static void assert_changed(const struct cvo_blob *out, const struct cvo_changes *c)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct cvo_change *ch = &c->v[i];
		int node = fdt_path_offset(out->fdt, ch->path);
		assert_true(node >= 0);
		int len;
		const void *v;
		switch (ch->action) {
		case CVO_CHANGE_ADD_NODE:
			for (size_t k = 0; k < ch->n_props; k++) {
				v = fdt_getprop(out->fdt, node, ch->props[k].name, &len);
				assert_non_null(v);
				assert_int_equal(len, ch->props[k].len);
				assert_memory_equal(v, ch->props[k].value ? ch->props[k].value : "",
						    (size_t)len);
			}
			break;
		case CVO_CHANGE_DELETE_PROPERTY:
			assert_null(fdt_getprop(out->fdt, node, ch->property, NULL));
			break;
		default:
			if (named(&(struct cvo_changes){ .v = (struct cvo_change *)ch + 1,
							 .n = c->n - i - 1 },
				  ch->path, ch->property))
				break; /* a later change names it */
			v = fdt_getprop(out->fdt, node, ch->property, &len);
			assert_non_null(v);
			assert_int_equal(len, ch->value.len);
			assert_memory_equal(v, ch->value.value ? ch->value.value : "",
					    (size_t)len);
		}
	}
}

/* Apply c to b: valid, unnamed things kept, changes there. */
static struct cvo_blob *apply_ok(const struct cvo_blob *b, const struct cvo_changes *c)
{
	struct cvo_blob *out;
	struct cvo_error err;
	int r = cvo_changes_apply(b, c, &out, &err);
	if (r)
		fail_msg("%s: %s", err.source, err.text);
	assert_int_equal(fdt_check_full(out->fdt, out->size), 0);
	assert_int_equal(out->size, fdt_totalsize(out->fdt));
	assert_string_equal(out->name, b->name);
	assert_null(out->srcmap);
	compare_node(b->fdt, 0, out->fdt, 0, "/", c);
	assert_changed(out, c);
	return out;
}

/* fdt_overlay_apply() of c's overlay on a copy of b: the tree cvo_changes_apply() gives. */
static void assert_overlay_same(const struct cvo_blob *b, const struct cvo_changes *c,
				const struct cvo_blob *applied)
{
	void *dtbo;
	size_t len;
	struct cvo_error err;
	if (cvo_changes_overlay_blob(b, c, &dtbo, &len, &err))
		fail_msg("%s: %s", err.source, err.text);
	size_t size = b->size + len + 4096;
	void *fdt = malloc(size);
	assert_non_null(fdt);
	assert_int_equal(fdt_open_into(b->fdt, fdt, (int)size), 0);
	int r = fdt_overlay_apply(fdt, dtbo);
	if (r)
		fail_msg("fdt_overlay_apply: %s", fdt_strerror(r));
	assert_int_equal(fdt_check_full(fdt, size), 0);
	compare_node(applied->fdt, 0, fdt, 0, "/", NULL);
	free(fdt);
	free(dtbo);
}

static void assert_overlay_src(const struct cvo_blob *b, const struct cvo_changes *c,
			       const char *want)
{
	char *src;
	assert_int_equal(cvo_changes_overlay_source(b, c, &src), 0);
	assert_string_equal(src, want);
	free(src);
}

static void test_action_names(void **state)
{
	assert_string_equal(cvo_change_action_name(CVO_CHANGE_MOVE), "move");
	assert_string_equal(cvo_change_action_name(CVO_CHANGE_RESIZE), "resize");
	assert_string_equal(cvo_change_action_name(CVO_CHANGE_ADD_NODE), "add-node");
	assert_string_equal(cvo_change_action_name(CVO_CHANGE_SET_PROPERTY), "set-property");
	assert_string_equal(cvo_change_action_name(CVO_CHANGE_DELETE_PROPERTY),
			    "delete-property");
	struct cvo_changes none = { 0 };
	cvo_changes_fini(&none);
	cvo_changes_fini(NULL);
	(void)state;
}

static void assert_dts(const void *v, size_t len, const char *want)
{
	char *s = cvo_dts_value(v, len);
	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
}

static void test_dts_value(void **state)
{
	assert_dts("okay", 5, "\"okay\"");
	assert_dts("a\0bc", 5, "\"a\", \"bc\"");
	assert_dts("q\"\\", 4, "\"q\\\"\\\\\"");
	/* an empty string, two NULs in a row, no final NUL, unprintable: not strings */
	assert_dts("\0\0\0\0", 4, "<0x0>");
	assert_dts("ab\0\0", 4, "<0x61620000>");
	assert_dts("abcd", 4, "<0x61626364>");
	assert_dts("\x01\0", 2, "[01 00]");
	assert_dts("\x80\x00\x00\x01\x00\x00\x00\x02", 8, "<0x80000001 0x2>");
	assert_dts("\xfe", 1, "[fe]");
	assert_dts(NULL, 0, "");
	(void)state;
}

static void test_move(void **state)
{
	struct cvo_blob *b = load(base_dts);
	struct cvo_changes c = { 0 };
	set_cells(&c, CVO_CHANGE_MOVE, "/reserved-memory/fw@88000000", "reg", 4, 0, 0x90000000,
		  0, 0x100000);
	set_cells(&c, CVO_CHANGE_MOVE, "/reserved-memory/pool", "alloc-ranges", 8, 0, 0x80000000,
		  0, 0x10000000, 0, 0xa0000000, 0, 0x10000000);
	struct cvo_blob *out = apply_ok(b, &c);
	assert_overlay_same(b, &c, out);
	assert_overlay_src(b, &c,
			   "/dts-v1/;\n/plugin/;\n"
			   "\n&{/reserved-memory/fw@88000000} {\n"
			   "\treg = <0x0 0x90000000 0x0 0x100000>;\n"
			   "};\n"
			   "\n&{/reserved-memory/pool} {\n"
			   "\talloc-ranges = <0x0 0x80000000 0x0 0x10000000 0x0 0xa0000000 0x0 "
			   "0x10000000>;\n"
			   "};\n");
	cvo_blob_free(out);
	cvo_changes_fini(&c);
	assert_null(c.v);
	cvo_blob_free(b);
	(void)state;
}

static void test_resize(void **state)
{
	struct cvo_blob *b = load(base_dts);
	struct cvo_changes c = { 0 };
	set_cells(&c, CVO_CHANGE_RESIZE, "/reserved-memory/pool", "size", 2, 0, 0x2000000);
	/* a reg of another length: the property grows in place */
	set_cells(&c, CVO_CHANGE_RESIZE, "/memory@80000000", "reg", 8, 0, 0x80000000, 0,
		  0x20000000, 0, 0xc0000000, 0, 0x20000000);
	struct cvo_blob *out = apply_ok(b, &c);
	assert_overlay_same(b, &c, out);
	cvo_blob_free(out);
	cvo_changes_fini(&c);
	cvo_blob_free(b);
	(void)state;
}

static void test_set_property(void **state)
{
	struct cvo_blob *b = load(base_dts);
	struct cvo_changes c = { 0 };
	/* replaced with a longer value, and new ones: cells, strings, bytes, empty */
	set(&c, CVO_CHANGE_SET_PROPERTY, "/dev@10000000", "status", "disabled", 9);
	set_cells(&c, CVO_CHANGE_SET_PROPERTY, "/dev@10000000", "dma-ranges", 6, 0, 0, 0, 0, 0,
		  0x40000000);
	set(&c, CVO_CHANGE_SET_PROPERTY, "/other", "names", "a\"b\\c\0d", 8);
	set(&c, CVO_CHANGE_SET_PROPERTY, "/other", "odd", "\x01\x00\xff", 3);
	set(&c, CVO_CHANGE_SET_PROPERTY, "/other", "zeros", "\0\0\0\0", 4);
	set(&c, CVO_CHANGE_SET_PROPERTY, "/", "dma-coherent", NULL, 0);
	struct cvo_blob *out = apply_ok(b, &c);
	/* libfdt puts a new property first in its node: the last one set comes first */
	static const char *const order[] = { "zeros", "odd", "names", "bytes", "user" };
	int node = fdt_path_offset(out->fdt, "/other"), p, i = 0;
	fdt_for_each_property_offset(p, out->fdt, node) {
		const char *name;
		fdt_getprop_by_offset(out->fdt, p, &name, NULL);
		assert_true(i < 5);
		assert_string_equal(name, order[i++]);
	}
	assert_int_equal(i, 5);
	assert_overlay_same(b, &c, out);
	assert_overlay_src(b, &c,
			   "/dts-v1/;\n/plugin/;\n"
			   "\n&{/dev@10000000} {\n"
			   "\tstatus = \"disabled\";\n"
			   "\tdma-ranges = <0x0 0x0 0x0 0x0 0x0 0x40000000>;\n"
			   "};\n"
			   "\n&{/other} {\n"
			   "\tnames = \"a\\\"b\\\\c\", \"d\";\n"
			   "\todd = [01 00 ff];\n"
			   "\tzeros = <0x0>;\n"
			   "};\n"
			   "\n&{/} {\n"
			   "\tdma-coherent;\n"
			   "};\n");
	cvo_blob_free(out);
	cvo_changes_fini(&c);
	cvo_blob_free(b);
	(void)state;
}

static void test_delete_property(void **state)
{
	struct cvo_blob *b = load(base_dts);
	struct cvo_changes c = { 0 };
	add(&c, CVO_CHANGE_DELETE_PROPERTY, "/dev@10000000", "status");
	add(&c, CVO_CHANGE_DELETE_PROPERTY, "/reserved-memory/pool", "reusable");
	struct cvo_blob *out = apply_ok(b, &c);
	/* an overlay cannot remove a property: the source says so */
	assert_overlay_src(b, &c,
			   "/dts-v1/;\n/plugin/;\n"
			   "\n&{/dev@10000000} {\n"
			   "\t/* delete-property status: an overlay cannot remove a property */\n"
			   "};\n"
			   "\n&{/reserved-memory/pool} {\n"
			   "\t/* delete-property reusable: an overlay cannot remove a property */\n"
			   "};\n");
	cvo_blob_free(out);
	cvo_changes_fini(&c);
	cvo_blob_free(b);
	(void)state;
}

static void test_add_node(void **state)
{
	struct cvo_blob *b = load(base_dts);
	struct cvo_changes c = { 0 };
	struct cvo_change *ch = add(&c, CVO_CHANGE_ADD_NODE, "/reserved-memory/extra@a0000000",
				    NULL);
	node_prop(ch, "compatible", "shared-dma-pool", 16);
	node_cells(ch, "reg", 4, 0, 0xa0000000, 0, 0x400000);
	node_prop(ch, "no-map", NULL, 0);
	/* a node in the new node, and a property set on it afterwards */
	add(&c, CVO_CHANGE_ADD_NODE, "/reserved-memory/extra@a0000000/part", NULL);
	set(&c, CVO_CHANGE_SET_PROPERTY, "/reserved-memory/extra@a0000000", "status", "okay", 5);
	ch = add(&c, CVO_CHANGE_ADD_NODE, "/top", NULL);
	node_prop(ch, "label", "x", 2);
	struct cvo_blob *out = apply_ok(b, &c);
	assert_true(fdt_path_offset(out->fdt, "/reserved-memory/extra@a0000000/part") >= 0);
	/* the new node's properties in the change's order, then the one set later first */
	static const char *const order[] = { "status", "compatible", "reg", "no-map" };
	int en = fdt_path_offset(out->fdt, "/reserved-memory/extra@a0000000"), prop, k = 0;
	fdt_for_each_property_offset(prop, out->fdt, en) {
		const char *name;
		fdt_getprop_by_offset(out->fdt, prop, &name, NULL);
		assert_true(k < 4);
		assert_string_equal(name, order[k++]);
	}
	assert_int_equal(k, 4);
	/* and a new node first among its parent's children */
	int node = fdt_path_offset(out->fdt, "/reserved-memory");
	assert_string_equal(fdt_get_name(out->fdt, fdt_first_subnode(out->fdt, node), NULL),
			    "extra@a0000000");
	assert_overlay_same(b, &c, out);
	assert_overlay_src(b, &c,
			   "/dts-v1/;\n/plugin/;\n"
			   "\n&{/reserved-memory} {\n"
			   "\n\textra@a0000000 {\n"
			   "\t\tcompatible = \"shared-dma-pool\";\n"
			   "\t\treg = <0x0 0xa0000000 0x0 0x400000>;\n"
			   "\t\tno-map;\n"
			   "\t\tstatus = \"okay\";\n"
			   "\n\t\tpart {\n"
			   "\t\t};\n"
			   "\t};\n"
			   "};\n"
			   "\n&{/} {\n"
			   "\n\ttop {\n"
			   "\t\tlabel = \"x\";\n"
			   "\t};\n"
			   "};\n");
	cvo_blob_free(out);
	cvo_changes_fini(&c);
	cvo_blob_free(b);
	(void)state;
}

/*
 * A new region with a phandle and a consumer's memory-region naming it and an existing
 * region: the overlay labels the new node, writes &label for it and the existing phandle as
 * a number, and its phandle lands where cvo_changes_apply() put it.
 */
static void test_overlay_phandles(void **state)
{
	struct cvo_blob *b = load(base_dts);
	uint32_t fw = phandle_of(b, "/reserved-memory/fw@88000000");
	uint32_t max = 0;
	assert_int_equal(fdt_find_max_phandle(b->fdt, &max), 0);
	assert_int_equal(max, 2);
	struct cvo_changes c = { 0 };
	struct cvo_change *ch = add(&c, CVO_CHANGE_ADD_NODE, "/reserved-memory/dma@a0000000",
				    NULL);
	node_prop(ch, "compatible", "shared-dma-pool", 16);
	node_cells(ch, "reg", 4, 0, 0xa0000000, 0, 0x400000);
	node_cells(ch, "phandle", 1, max + 1);
	ch = add(&c, CVO_CHANGE_ADD_NODE, "/reserved-memory/more@a1000000", NULL);
	node_cells(ch, "reg", 4, 0, 0xa1000000, 0, 0x100000);
	node_cells(ch, "phandle", 1, max + 2);
	set_cells(&c, CVO_CHANGE_SET_PROPERTY, "/dev@10000000", "memory-region", 3, fw, max + 1,
		  max + 2);
	/* a cell equal to a new phandle outside a phandle list stays a number */
	set_cells(&c, CVO_CHANGE_SET_PROPERTY, "/other", "count", 1, max + 1);
	struct cvo_blob *out = apply_ok(b, &c);
	assert_int_equal(phandle_of(out, "/reserved-memory/dma@a0000000"), max + 1);
	assert_overlay_same(b, &c, out);
	char want[1024];
	snprintf(want, sizeof(want),
		 "/dts-v1/;\n/plugin/;\n"
		 "\n&{/reserved-memory} {\n"
		 "\n\tdma_a0000000: dma@a0000000 {\n"
		 "\t\tcompatible = \"shared-dma-pool\";\n"
		 "\t\treg = <0x0 0xa0000000 0x0 0x400000>;\n"
		 "\t\tphandle = <0x1>;\n"
		 "\t};\n"
		 "\n\tmore_a1000000: more@a1000000 {\n"
		 "\t\treg = <0x0 0xa1000000 0x0 0x100000>;\n"
		 "\t\tphandle = <0x2>;\n"
		 "\t};\n"
		 "};\n"
		 "\n&{/dev@10000000} {\n"
		 "\tmemory-region = <0x%x &dma_a0000000 &more_a1000000>;\n"
		 "};\n"
		 "\n&{/other} {\n"
		 "\tcount = <0x3>;\n"
		 "};\n",
		 fw);
	assert_overlay_src(b, &c, want);
	cvo_blob_free(out);
	cvo_changes_fini(&c);
	cvo_blob_free(b);
	(void)state;
}

/* A label the base has already is not reused; a phandle the overlay cannot give is said. */
static void test_overlay_labels(void **state)
{
	struct cvo_blob *b = load(base_dts);
	struct cvo_changes c = { 0 };
	struct cvo_change *ch = add(&c, CVO_CHANGE_ADD_NODE, "/reserved-memory/fw", NULL);
	node_cells(ch, "phandle", 1, 9);
	set_cells(&c, CVO_CHANGE_SET_PROPERTY, "/dev@10000000", "memory-region", 1, 9);
	char *src;
	assert_int_equal(cvo_changes_overlay_source(b, &c, &src), 0);
	assert_non_null(strstr(src, "\tfw_2: fw {\n"));
	assert_non_null(strstr(src, "memory-region = <&fw_2>;"));
	free(src);
	cvo_changes_fini(&c);

	ch = add(&c, CVO_CHANGE_ADD_NODE, "/reserved-memory/low", NULL);
	node_cells(ch, "phandle", 1, 2);
	/* apply refuses a phandle the base has */
	struct cvo_blob *out;
	struct cvo_error err;
	assert_int_equal(cvo_changes_apply(b, &c, &out, &err), CVO_ERR_INVALID);
	assert_null(out);
	assert_string_equal(err.text, "add-node /reserved-memory/low: phandle 0x2 is "
				      "/reserved-memory/pool's");
	assert_int_equal(cvo_changes_overlay_source(b, &c, &src), 0);
	assert_non_null(strstr(src, "/* phandle 0x2 is not above the base's largest (0x2): "
				    "fdt_overlay_apply() gives 0x2 + 0x2 */\n\t\tphandle = <0x2>;"));
	free(src);
	cvo_changes_fini(&c);
	cvo_blob_free(b);
	(void)state;
}

static void assert_apply_error(const struct cvo_blob *b, const struct cvo_changes *c,
			       const char *text)
{
	struct cvo_blob *out = (struct cvo_blob *)1;
	struct cvo_error err;
	assert_int_equal(cvo_changes_apply(b, c, &out, &err), CVO_ERR_INVALID);
	assert_null(out);
	assert_string_equal(err.source, b->name);
	assert_string_equal(err.text, text);
}

static void test_errors(void **state)
{
	struct cvo_blob *b = load(base_dts);
	struct cvo_changes c = { 0 };
	set_cells(&c, CVO_CHANGE_SET_PROPERTY, "/nope", "reg", 1, 0);
	assert_apply_error(b, &c, "set-property /nope: no such node");
	cvo_changes_fini(&c);
	set_cells(&c, CVO_CHANGE_MOVE, "/reserved-memory/nope", "reg", 1, 0);
	assert_apply_error(b, &c, "move /reserved-memory/nope: no such node");
	cvo_changes_fini(&c);
	add(&c, CVO_CHANGE_DELETE_PROPERTY, "/dev@10000000", "nope");
	assert_apply_error(b, &c, "delete-property /dev@10000000: no property nope");
	cvo_changes_fini(&c);
	add(&c, CVO_CHANGE_DELETE_PROPERTY, "/gone", "status");
	assert_apply_error(b, &c, "delete-property /gone: no such node");
	cvo_changes_fini(&c);
	add(&c, CVO_CHANGE_ADD_NODE, "/nope/x", NULL);
	assert_apply_error(b, &c, "add-node /nope/x: no parent node /nope");
	cvo_changes_fini(&c);
	add(&c, CVO_CHANGE_ADD_NODE, "/reserved-memory/pool", NULL);
	assert_apply_error(b, &c, "add-node /reserved-memory/pool: the node exists");
	cvo_changes_fini(&c);
	set_cells(&c, CVO_CHANGE_SET_PROPERTY, "dev@10000000", "reg", 1, 0);
	assert_apply_error(b, &c, "set-property dev@10000000: not an absolute path");
	cvo_changes_fini(&c);
	/* the first change applies, the second fails: nothing comes out */
	set_cells(&c, CVO_CHANGE_SET_PROPERTY, "/other", "x", 1, 0);
	add(&c, CVO_CHANGE_DELETE_PROPERTY, "/other", "y");
	assert_apply_error(b, &c, "delete-property /other: no property y");
	cvo_changes_fini(&c);
	cvo_blob_free(b);
	(void)state;
}

static void test_idempotent(void **state)
{
	struct cvo_blob *b = load(base_dts);
	struct cvo_changes c = { 0 };
	set_cells(&c, CVO_CHANGE_MOVE, "/reserved-memory/fw@88000000", "reg", 4, 0, 0x90000000,
		  0, 0x100000);
	set(&c, CVO_CHANGE_SET_PROPERTY, "/dev@10000000", "status", "disabled", 9);
	set_cells(&c, CVO_CHANGE_SET_PROPERTY, "/dev@10000000", "new", 1, 7);
	struct cvo_blob *once = apply_ok(b, &c), *twice = apply_ok(once, &c);
	assert_int_equal(once->size, twice->size);
	assert_memory_equal(once->fdt, twice->fdt, once->size);
	/* the same changes twice in one list */
	struct cvo_changes cc = { 0 };
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < c.n; i++)
			set(&cc, c.v[i].action, c.v[i].path, c.v[i].property, c.v[i].value.value,
			    c.v[i].value.len);
	struct cvo_blob *both = apply_ok(b, &cc);
	assert_int_equal(once->size, both->size);
	assert_memory_equal(once->fdt, both->fdt, once->size);
	assert_overlay_same(b, &cc, both);
	/* no change: the same tree, packed */
	struct cvo_changes none = { 0 };
	struct cvo_blob *same = apply_ok(b, &none);
	compare_node(b->fdt, 0, same->fdt, 0, "/", NULL);
	cvo_blob_free(same);
	cvo_blob_free(both);
	cvo_blob_free(twice);
	cvo_blob_free(once);
	cvo_changes_fini(&cc);
	cvo_changes_fini(&c);
	cvo_blob_free(b);
	(void)state;
}

/* Changes that need more room than a fixed margin: the copy grows. */
static void test_large(void **state)
{
	struct cvo_blob *b = load(base_dts);
	struct cvo_changes c = { 0 };
	size_t len = 256 * 1024;
	char *big = malloc(len);
	assert_non_null(big);
	for (size_t i = 0; i < len; i++)
		big[i] = (char)(i * 7);
	set(&c, CVO_CHANGE_SET_PROPERTY, "/other", "blob", big, len);
	for (int i = 0; i < 200; i++) {
		char path[64];
		snprintf(path, sizeof(path), "/reserved-memory/r%d", i);
		struct cvo_change *ch = add(&c, CVO_CHANGE_ADD_NODE, path, NULL);
		node_cells(ch, "reg", 4, 0, 0xb0000000 + i * 0x1000, 0, 0x1000);
	}
	struct cvo_blob *out = apply_ok(b, &c);
	assert_overlay_same(b, &c, out);
	cvo_blob_free(out);
	free(big);
	cvo_changes_fini(&c);
	cvo_blob_free(b);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_action_names),
		cmocka_unit_test(test_dts_value),
		cmocka_unit_test(test_move),
		cmocka_unit_test(test_resize),
		cmocka_unit_test(test_set_property),
		cmocka_unit_test(test_delete_property),
		cmocka_unit_test(test_add_node),
		cmocka_unit_test(test_overlay_phandles),
		cmocka_unit_test(test_overlay_labels),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_idempotent),
		cmocka_unit_test(test_large),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
