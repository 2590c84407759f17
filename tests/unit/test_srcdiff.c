// SPDX-License-Identifier: MIT
/*
 * Unit tests of the source diffs (lib/srcdiff.c): each change made on its line in the .dts or
 * the .dtsi the source map names, what cannot be made there in a fragment at the end of the
 * .dts, the hunks' numbers and context; and the source map's several definitions of a node.
 */
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
#include "srcmap.h"
#include "util.h"

/* A folder of sources for one test, removed by teardown. */
static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/carveout-test-srcdiff-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char *cmd = cvo_asprintf("rm -rf '%s'", dir);
	int r = cmd ? system(cmd) : -1;
	free(cmd);
	return r;
}

static void put(const char *name, const char *text)
{
	char *path = cvo_asprintf("%s/%s", dir, name);
	assert_non_null(path);
	char *slash = strrchr(path, '/');
	*slash = '\0';
	mkdir(path, 0755);
	*slash = '/';
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

static struct cvo_blob *load(const char *name, const char *incdir)
{
	char *path = cvo_asprintf("%s/%s", dir, name);
	char *inc = incdir ? cvo_asprintf("%s/%s", dir, incdir) : NULL;
	const char *incs[1] = { inc };
	struct cvo_error err;
	struct cvo_blob *b;
	int rc = cvo_blob_load(path, incs, inc ? 1 : 0, &b, &err);
	free(path);
	free(inc);
	if (rc)
		fail_msg("%s: %s", err.source, err.text);
	return b;
}

static void *dup_bytes(const void *v, size_t len)
{
	if (!len)
		return NULL;
	void *p = malloc(len);
	assert_non_null(p);
	memcpy(p, v, len);
	return p;
}

static struct cvo_change *add(struct cvo_changes *c, enum cvo_change_action action,
			      const char *path, const char *prop)
{
	assert_int_equal(cvo_grow(&c->v, &c->cap, c->n, sizeof(*c->v)), 0);
	struct cvo_change *ch = &c->v[c->n++];
	*ch = (struct cvo_change){ .action = action, .path = cvo_strdup(path) };
	if (prop)
		ch->property = cvo_strdup(prop);
	return ch;
}

static void set_cells(struct cvo_prop *p, const uint32_t *cells, size_t n)
{
	fdt32_t *v = malloc(n * 4 + 1);
	assert_non_null(v);
	for (size_t i = 0; i < n; i++)
		v[i] = cpu_to_fdt32(cells[i]);
	p->value = v;
	p->len = n * 4;
}

static char *diff_of(const struct cvo_blob *b, const struct cvo_changes *c)
{
	char *out = NULL;
	struct cvo_error err;
	int r = cvo_changes_source_diff(b, c, &out, &err);
	if (r)
		fail_msg("%s: %s", err.source, err.text);
	assert_non_null(out);
	return out;
}

static const char board_dtsi[] =
	"/ {\n"
	"	#address-cells = <1>;\n"
	"	#size-cells = <1>;\n"
	"\n"
	"	reserved-memory {\n"
	"		#address-cells = <1>;\n"
	"		#size-cells = <1>;\n"
	"		ranges;\n"
	"\n"
	"		fw: fw@88000000 {\n"
	"			reg = <0x88000000 0x100000>;\n"
	"			no-map;\n"
	"		};\n"
	"\n"
	"		pool@90000000 {\n"
	"			compatible = \"shared-dma-pool\";\n"
	"			reg = <0x90000000\n"
	"			       0x400000>;\n"
	"			reusable; /* Linux's */\n"
	"		};\n"
	"	};\n"
	"\n"
	"	dev {\n"
	"		memory-region = <&fw>;\n"
	"	};\n"
	"};\n";

static const char board_dts[] = "/dts-v1/;\n"
				"/include/ \"inc/board.dtsi\"\n"
				"\n"
				"/ {\n"
				"	model = \"test\";\n"
				"};\n";

/* A value on its line in the .dtsi: replaced there, the hunk numbered from line 8. */
static void test_set_in_place(void **state)
{
	(void)state;
	put("inc/board.dtsi", board_dtsi);
	put("board.dts", board_dts);
	struct cvo_blob *b = load("board.dts", NULL);
	struct cvo_changes c = { 0 };
	struct cvo_change *ch = add(&c, CVO_CHANGE_MOVE, "/reserved-memory/fw@88000000", "reg");
	set_cells(&ch->value, (const uint32_t[]){ 0x89000000, 0x100000 }, 2);
	ch->new_name = cvo_strdup("fw@89000000");
	char *d = diff_of(b, &c);
	assert_string_equal(d, "--- a/inc/board.dtsi\n"
			       "+++ b/inc/board.dtsi\n"
			       "@@ -7,8 +7,8 @@\n"
			       " 		#size-cells = <1>;\n"
			       " 		ranges;\n"
			       " \n"
			       "-		fw: fw@88000000 {\n"
			       "-			reg = <0x88000000 0x100000>;\n"
			       "+		fw: fw@89000000 {\n"
			       "+			reg = <0x89000000 0x100000>;\n"
			       " 			no-map;\n"
			       " 		};\n"
			       " \n");
	free(d);
	cvo_changes_fini(&c);
	cvo_blob_free(b);
}

/* A value over two lines and a deletion that shares its line with a comment: a fragment by
 * path (the node has no label); a property alone on its line: the line removed. */
static void test_fragment_by_path(void **state)
{
	(void)state;
	put("inc/board.dtsi", board_dtsi);
	put("board.dts", board_dts);
	struct cvo_blob *b = load("board.dts", NULL);
	struct cvo_changes c = { 0 };
	struct cvo_change *ch =
		add(&c, CVO_CHANGE_RESIZE, "/reserved-memory/pool@90000000", "reg");
	set_cells(&ch->value, (const uint32_t[]){ 0x90000000, 0x800000 }, 2);
	add(&c, CVO_CHANGE_DELETE_PROPERTY, "/reserved-memory/pool@90000000", "reusable");
	add(&c, CVO_CHANGE_DELETE_PROPERTY, "/reserved-memory/fw@88000000", "no-map");
	char *d = diff_of(b, &c);
	assert_string_equal(d, "--- a/board.dts\n"
			       "+++ b/board.dts\n"
			       "@@ -4,3 +4,8 @@\n"
			       " / {\n"
			       " 	model = \"test\";\n"
			       " };\n"
			       "+\n"
			       "+&{/reserved-memory/pool@90000000} {\n"
			       "+	reg = <0x90000000 0x800000>;\n"
			       "+	/delete-property/ reusable;\n"
			       "+};\n"
			       "--- a/inc/board.dtsi\n"
			       "+++ b/inc/board.dtsi\n"
			       "@@ -9,7 +9,6 @@\n"
			       " \n"
			       " 		fw: fw@88000000 {\n"
			       " 			reg = <0x88000000 0x100000>;\n"
			       "-			no-map;\n"
			       " 		};\n"
			       " \n"
			       " 		pool@90000000 {\n");
	free(d);
	cvo_changes_fini(&c);
	cvo_blob_free(b);
}

/* A new node in a new node, before the parent's "};"; a new property after the last
 * property line; a phandle cell of a labelled node as &label, the new node's a number. */
static void test_new_node_and_prop(void **state)
{
	(void)state;
	put("inc/board.dtsi", board_dtsi);
	put("board.dts", board_dts);
	struct cvo_blob *b = load("board.dts", NULL);
	int fw = fdt_path_offset(b->fdt, "/reserved-memory/fw@88000000");
	uint32_t fwph = fdt_get_phandle(b->fdt, fw);
	assert_int_not_equal(fwph, 0);
	struct cvo_changes c = { 0 };
	struct cvo_change *ch = add(&c, CVO_CHANGE_ADD_NODE, "/reserved-memory/new", NULL);
	ch->props = calloc(2, sizeof(*ch->props));
	assert_non_null(ch->props);
	ch->n_props = 2;
	ch->props[0].name = cvo_strdup("no-map");
	ch->props[1].name = cvo_strdup("phandle");
	set_cells(&ch->props[1], (const uint32_t[]){ fwph + 1 }, 1);
	ch = add(&c, CVO_CHANGE_ADD_NODE, "/reserved-memory/new/sub", NULL);
	ch = add(&c, CVO_CHANGE_SET_PROPERTY, "/dev", "memory-region");
	set_cells(&ch->value, (const uint32_t[]){ fwph + 1, fwph }, 2);
	ch = add(&c, CVO_CHANGE_SET_PROPERTY, "/dev", "status");
	ch->value.value = dup_bytes("okay", 5);
	ch->value.len = 5;
	char *d = diff_of(b, &c);
	char *want = cvo_asprintf("--- a/inc/board.dtsi\n"
				  "+++ b/inc/board.dtsi\n"
				  "@@ -18,9 +18,17 @@\n"
				  " 			       0x400000>;\n"
				  " 			reusable; /* Linux's */\n"
				  " 		};\n"
				  "+\n"
				  "+		new {\n"
				  "+			no-map;\n"
				  "+			phandle = <0x%x>;\n"
				  "+			sub {\n"
				  "+			};\n"
				  "+		};\n"
				  " 	};\n"
				  " \n"
				  " 	dev {\n"
				  "-		memory-region = <&fw>;\n"
				  "+		memory-region = <0x%x &fw>;\n"
				  "+		status = \"okay\";\n"
				  " 	};\n"
				  " };\n",
				  fwph + 1, fwph + 1);
	assert_string_equal(d, want);
	free(want);
	free(d);
	cvo_changes_fini(&c);
	cvo_blob_free(b);
}

/* A node defined in two files: a deletion goes to a fragment by label; a rename is made on
 * the "name {" line and the "&label {" one kept; the source map lists both definitions. */
static void test_two_definitions(void **state)
{
	(void)state;
	put("inc/board.dtsi", board_dtsi);
	put("board.dts", "/dts-v1/;\n"
			 "/include/ \"inc/board.dtsi\"\n"
			 "&fw {\n"
			 "	status = \"okay\";\n"
			 "};\n");
	struct cvo_blob *b = load("board.dts", NULL);
	struct cvo_loc locs[4];
	assert_int_equal(cvo_srcmap_sites(b->srcmap, "/reserved-memory/fw@88000000", NULL, locs, 4),
			 2);
	assert_int_equal(locs[0].line, 10);
	assert_int_equal(locs[1].line, 3);
	assert_int_equal(cvo_srcmap_sites(b->srcmap, "/reserved-memory/fw@88000000", "nothing",
					  locs, 4),
			 0);
	struct cvo_changes c = { 0 };
	struct cvo_change *ch =
		add(&c, CVO_CHANGE_DELETE_PROPERTY, "/reserved-memory/fw@88000000", "no-map");
	ch = add(&c, CVO_CHANGE_SET_PROPERTY, "/reserved-memory/fw@88000000", "status");
	ch->value.value = dup_bytes("disabled", 9);
	ch->value.len = 9;
	ch->new_name = cvo_strdup("fw@1");
	char *d = diff_of(b, &c);
	assert_string_equal(d, "--- a/board.dts\n"
			       "+++ b/board.dts\n"
			       "@@ -1,5 +1,9 @@\n"
			       " /dts-v1/;\n"
			       " /include/ \"inc/board.dtsi\"\n"
			       " &fw {\n"
			       "-	status = \"okay\";\n"
			       "+	status = \"disabled\";\n"
			       " };\n"
			       "+\n"
			       "+&fw {\n"
			       "+	/delete-property/ no-map;\n"
			       "+};\n"
			       "--- a/inc/board.dtsi\n"
			       "+++ b/inc/board.dtsi\n"
			       "@@ -7,7 +7,7 @@\n"
			       " 		#size-cells = <1>;\n"
			       " 		ranges;\n"
			       " \n"
			       "-		fw: fw@88000000 {\n"
			       "+		fw: fw@1 {\n"
			       " 			reg = <0x88000000 0x100000>;\n"
			       " 			no-map;\n"
			       " 		};\n");
	free(d);
	cvo_changes_fini(&c);
	cvo_blob_free(b);
}

/* A value from a macro (cpp with an include folder): a fragment; a node extended by path
 * cannot be renamed, and a fragment cannot rename: refused. */
static void test_macro_and_refusals(void **state)
{
	(void)state;
	put("include/sizes.h", "#define FW_SIZE 0x100000\n");
	put("board.dts", "/dts-v1/;\n"
			 "#include \"sizes.h\"\n"
			 "/ {\n"
			 "	fw: fw@88000000 {\n"
			 "		reg = <0x88000000 FW_SIZE>;\n"
			 "	};\n"
			 "};\n"
			 "&{/fw@88000000} {\n"
			 "	no-map;\n"
			 "};\n");
	struct cvo_blob *b = load("board.dts", "include");
	struct cvo_changes c = { 0 };
	struct cvo_change *ch = add(&c, CVO_CHANGE_RESIZE, "/fw@88000000", "reg");
	set_cells(&ch->value, (const uint32_t[]){ 0x88000000, 0x200000 }, 2);
	char *d = diff_of(b, &c);
	assert_string_equal(d, "--- a/board.dts\n"
			       "+++ b/board.dts\n"
			       "@@ -8,3 +8,7 @@\n"
			       " &{/fw@88000000} {\n"
			       " 	no-map;\n"
			       " };\n"
			       "+\n"
			       "+&fw {\n"
			       "+	reg = <0x88000000 0x200000>;\n"
			       "+};\n");
	free(d);
	ch->new_name = cvo_strdup("fw@0");
	char *out = NULL;
	struct cvo_error err;
	assert_int_equal(cvo_changes_source_diff(b, &c, &out, &err), CVO_ERR_INVALID);
	assert_null(out);
	assert_non_null(strstr(err.text, "rename"));
	cvo_changes_fini(&c);
	cvo_blob_free(b);
}

/* A .dtsi marked read-only (even for root, who could write it): its value in a fragment by
 * label. */
static void test_read_only(void **state)
{
	(void)state;
	put("inc/board.dtsi", board_dtsi);
	put("board.dts", board_dts);
	char *ro = cvo_asprintf("%s/inc/board.dtsi", dir);
	assert_non_null(ro);
	assert_int_equal(chmod(ro, 0444), 0);
	free(ro);
	struct cvo_blob *b = load("board.dts", NULL);
	struct cvo_changes c = { 0 };
	struct cvo_change *ch = add(&c, CVO_CHANGE_MOVE, "/reserved-memory/fw@88000000", "reg");
	set_cells(&ch->value, (const uint32_t[]){ 0x89000000, 0x100000 }, 2);
	char *d = diff_of(b, &c);
	assert_string_equal(d, "--- a/board.dts\n"
			       "+++ b/board.dts\n"
			       "@@ -4,3 +4,7 @@\n"
			       " / {\n"
			       " 	model = \"test\";\n"
			       " };\n"
			       "+\n"
			       "+&fw {\n"
			       "+	reg = <0x89000000 0x100000>;\n"
			       "+};\n");
	free(d);
	cvo_changes_fini(&c);
	cvo_blob_free(b);
}

/* No changes: an empty diff; a DTB: no source to diff. */
static void test_empty_and_dtb(void **state)
{
	(void)state;
	put("inc/board.dtsi", board_dtsi);
	put("board.dts", board_dts);
	struct cvo_blob *b = load("board.dts", NULL);
	struct cvo_changes c = { 0 };
	char *d = diff_of(b, &c);
	assert_string_equal(d, "");
	free(d);
	/* __symbols__ is dtc's: a change to it is not in the sources */
	struct cvo_change *ch = add(&c, CVO_CHANGE_SET_PROPERTY, "/__symbols__", "fw");
	ch->value.value = dup_bytes("/x", 3);
	ch->value.len = 3;
	d = diff_of(b, &c);
	assert_string_equal(d, "");
	free(d);
	struct cvo_blob *dtb;
	struct cvo_error err;
	assert_int_equal(cvo_blob_from_buffer(b->fdt, b->size, "board.dtb", &dtb, &err), 0);
	char *out = NULL;
	assert_int_equal(cvo_changes_source_diff(dtb, &c, &out, &err), CVO_ERR_USAGE);
	assert_null(out);
	cvo_blob_free(dtb);
	cvo_changes_fini(&c);
	cvo_blob_free(b);
}

/* Two changes far apart are two hunks; a file without a final newline gets one. */
static void test_hunks(void **state)
{
	(void)state;
	put("board.dts", "/dts-v1/;\n"
			 "/ {\n"
			 "	a = <1>;\n"
			 "	l1;\n"
			 "	l2;\n"
			 "	l3;\n"
			 "	l4;\n"
			 "	l5;\n"
			 "	l6;\n"
			 "	l7;\n"
			 "	l8;\n"
			 "	b = <2>;\n"
			 "};");
	struct cvo_blob *b = load("board.dts", NULL);
	struct cvo_changes c = { 0 };
	struct cvo_change *ch = add(&c, CVO_CHANGE_SET_PROPERTY, "/", "a");
	set_cells(&ch->value, (const uint32_t[]){ 3 }, 1);
	ch = add(&c, CVO_CHANGE_SET_PROPERTY, "/", "b");
	set_cells(&ch->value, (const uint32_t[]){ 4 }, 1);
	ch = add(&c, CVO_CHANGE_ADD_NODE, "/n", NULL);
	char *d = diff_of(b, &c);
	assert_string_equal(d, "--- a/board.dts\n"
			       "+++ b/board.dts\n"
			       "@@ -1,6 +1,6 @@\n"
			       " /dts-v1/;\n"
			       " / {\n"
			       "-	a = <1>;\n"
			       "+	a = <0x3>;\n"
			       " 	l1;\n"
			       " 	l2;\n"
			       " 	l3;\n"
			       "@@ -9,5 +9,8 @@\n"
			       " 	l6;\n"
			       " 	l7;\n"
			       " 	l8;\n"
			       "-	b = <2>;\n"
			       "+	b = <0x4>;\n"
			       "+\n"
			       "+	n {\n"
			       "+	};\n"
			       " };\n"
			       "\\ No newline at end of file\n");
	free(d);
	cvo_changes_fini(&c);
	cvo_blob_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_set_in_place, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fragment_by_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_node_and_prop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_definitions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_macro_and_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_and_dtb, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hunks, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
