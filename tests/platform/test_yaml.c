// SPDX-License-Identifier: MIT
/*
 * Unit tests of the YAML reader the input formats share (lib/platform/yaml.h),
 * used as a parser of another format would use it: a small document walked
 * with yn_check_keys() and the yn_get_*() values, errors at line and column.
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

#include "../../lib/platform/yaml.h"

static struct ynode *parse(const char *text, struct cvo_error *err)
{
	struct ynode *root = NULL;
	assert_int_equal(yn_tree_parse("r.yaml", text, strlen(text), &root, err), 0);
	return root;
}

static void expect_parse_error(const char *text, int line, int column, const char *message)
{
	struct ynode *root = NULL;
	struct cvo_error err = {0};
	assert_int_equal(yn_tree_parse("r.yaml", text, strlen(text), &root, &err),
			 CVO_ERR_INVALID);
	assert_null(root);
	assert_string_equal(err.source, "r.yaml");
	assert_string_equal(err.text, message);
	assert_int_equal(err.line, line);
	assert_int_equal(err.column, column);
}

static void expect_error(const struct cvo_error *err, int r, int line, int column,
			 const char *message)
{
	assert_int_equal(r, CVO_ERR_INVALID);
	assert_string_equal(err->source, "r.yaml");
	assert_string_equal(err->text, message);
	assert_int_equal(err->line, line);
	assert_int_equal(err->column, column);
}

/* The tree keeps kinds, text, quoting and 1-based positions. */
static void test_tree(void **state)
{
	(void)state;
	struct cvo_error err = {0};
	struct ynode *root = parse("a: 1\nb:\n  - \"x\"\n  - {c: ~}\nd: |\n  text\n", &err);
	assert_non_null(root);
	assert_int_equal(root->kind, Y_MAP);
	assert_int_equal(root->n, 6);
	const struct ynode *a = yn_map_get(root, "a"), *b = yn_map_get(root, "b");
	assert_int_equal(a->kind, Y_SCALAR);
	assert_string_equal(a->str, "1");
	assert_true(a->plain);
	assert_int_equal(a->line, 1);
	assert_int_equal(a->col, 4);
	assert_int_equal(b->kind, Y_SEQ);
	assert_int_equal(b->n, 2);
	assert_false(b->kids[0]->plain);
	assert_true(yn_is_scalar(b->kids[0]));
	assert_int_equal(b->kids[1]->line, 4);
	assert_int_equal(b->kids[1]->col, 5);
	assert_true(yn_is_null(yn_map_get(b->kids[1], "c")));
	assert_true(yn_map_get(root, "d")->literal);
	assert_string_equal(yn_map_get(root, "d")->str, "text\n");
	assert_null(yn_map_get(root, "e"));
	yn_tree_free(root);

	root = (struct ynode *)1;
	assert_int_equal(yn_tree_parse("r.yaml", "", 0, &root, &err), 0);
	assert_null(root);
	yn_tree_free(NULL);
}

static void test_refused(void **state)
{
	(void)state;
	expect_parse_error("a: &x 1\nb: *x\n", 2, 4, "YAML aliases are not supported");
	expect_parse_error("a: 1\n---\nb: 2\n", 2, 1, "expected a single YAML document");
	expect_parse_error("a: [1, 2\n", 2, 1,
			   "invalid YAML: did not find expected ',' or ']' while parsing a flow "
			   "sequence");
	char deep[128] = "";
	for (int i = 0; i < YN_MAX_DEPTH + 1; i++)
		strcat(deep, "[");
	expect_parse_error(deep, 1, YN_MAX_DEPTH + 1, "nesting deeper than 16 levels");
}

/* A two-key format checked as a parser does it: keys first, then each value. */
static void test_values(void **state)
{
	(void)state;
	static const char *const keys[] = { "name", "size", "count", "shared" };
	struct cvo_error err = {0};
	struct yctx c = { .file = "r.yaml", .err = &err };
	struct ynode *root = parse("name: fb\nsize: 8M\ncount: 0x10\nshared: true\n", &err);
	assert_int_equal(yn_expect_kind(&c, root, "request", Y_MAP), 0);
	assert_int_equal(yn_check_keys(&c, root, "", keys, 4), 0);
	char *name = NULL;
	uint64_t size = 0, count = 0;
	int shared = -1;
	assert_int_equal(yn_get_string(&c, yn_map_get(root, "name"), "name", false, &name), 0);
	assert_string_equal(name, "fb");
	free(name);
	assert_int_equal(yn_get_size(&c, yn_map_get(root, "size"), "size", &size), 0);
	assert_int_equal(size, UINT64_C(8) << 20);
	assert_int_equal(yn_get_uint(&c, yn_map_get(root, "count"), "count", 1, 64, &count), 0);
	assert_int_equal(count, 16);
	assert_int_equal(yn_get_bool(&c, yn_map_get(root, "shared"), "shared", &shared), 0);
	assert_int_equal(shared, 1);
	int r = yn_get_uint(&c, yn_map_get(root, "count"), "count", 1, 8, &count);
	expect_error(&err, r, 3, 8, "count: expected a number from 1 to 8, got \"0x10\"");
	r = yn_get_bool(&c, yn_map_get(root, "size"), "size", &shared);
	expect_error(&err, r, 2, 7, "size: expected true or false, got \"8M\"");
	r = yn_expect_kind(&c, root, "request", Y_SEQ);
	expect_error(&err, r, 1, 1, "request: expected a sequence, got a mapping");
	r = yn_check_keys(&c, root, "requests[0]", keys, 2);
	expect_error(&err, r, 3, 1,
		     "requests[0]: unknown key \"count\": expected one of name, size");
	yn_tree_free(root);

	root = parse("name: a\nname: b\n", &err);
	r = yn_check_keys(&c, root, "", keys, 4);
	expect_error(&err, r, 2, 1, "duplicate key \"name\" (first at line 1)");
	yn_tree_free(root);

	root = parse("size: 16777216T\n", &err);
	r = yn_get_size(&c, yn_map_get(root, "size"), "size", &size);
	expect_error(&err, r, 1, 7, "size: \"16777216T\" does not fit in 64 bits");
	yn_tree_free(root);

	r = yn_bad(&c, NULL, "no position: %d", 7);
	expect_error(&err, r, 0, 0, "no position: 7");
	assert_int_equal(yn_parse_size("4K", &size), 0);
	assert_int_equal(size, 4096);
	assert_int_equal(yn_parse_size("4KB", &size), -1);
	assert_int_equal(yn_parse_size("0x10000000000000000", &size), -2);
}

/* A file: read with a cap, errors naming the path. */
static void test_file(void **state)
{
	(void)state;
	char path[] = "/tmp/carveout-yaml-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	static const char text[] = "a: 1\nb: [2\n";
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
	close(fd);
	struct ynode *root = NULL;
	struct cvo_error err = {0};
	assert_int_equal(yn_tree_load(path, 5, &root, &err), CVO_ERR_INVALID);
	assert_string_equal(err.source, path);
	assert_string_equal(err.text, "file is larger than 5 bytes");
	assert_int_equal(yn_tree_load(path, 1024, &root, &err), CVO_ERR_INVALID);
	assert_string_equal(err.source, path);
	assert_int_equal(err.line, 3);
	assert_null(root);
	unlink(path);
	assert_int_equal(yn_tree_load(path, 1024, &root, &err), CVO_ERR_IO);
	assert_null(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
