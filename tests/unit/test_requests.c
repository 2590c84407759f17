// SPDX-License-Identifier: MIT
/* Unit tests of the requests file parser (lib/requests.c): the values it reads, its defaults,
 * and the position and text of every refusal of carveout-requests(5). */
#include <dirent.h>
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

#if !defined(REQUESTS_DIR) || !defined(MANUAL)
#error "REQUESTS_DIR and MANUAL must name tests/requests/ and carveout-requests.5.scd"
#endif

#define MiB (UINT64_C(1) << 20)

/* ------------------------------------------------------------------ helpers */

static struct cvo_requests *load_ok(const char *text)
{
	struct cvo_requests *rs = NULL;
	struct cvo_error err = { 0 };
	int r = cvo_requests_load_buffer(text, strlen(text), "r.yaml", &rs, &err);
	if (r)
		print_error("unexpected error %d: %s:%d:%d: %s\n", r, err.source, err.line,
			    err.column, err.text);
	assert_int_equal(r, 0);
	assert_non_null(rs);
	assert_string_equal(rs->file, "r.yaml");
	return rs;
}

static void expect_error(const char *text, int line, int column, const char *message)
{
	struct cvo_requests *rs = NULL;
	struct cvo_error err = { 0 };
	int r = cvo_requests_load_buffer(text, strlen(text), "r.yaml", &rs, &err);
	if (r != CVO_ERR_INVALID || strcmp(err.text, message) != 0 || err.line != line ||
	    err.column != column)
		print_error("got %d %d:%d: %s\nfor %s", r, err.line, err.column, err.text, text);
	assert_int_equal(r, CVO_ERR_INVALID);
	assert_null(rs);
	assert_string_equal(err.source, "r.yaml");
	assert_string_equal(err.text, message);
	assert_int_equal(err.line, line);
	assert_int_equal(err.column, column);
}

/* An entry with the required keys and then extra, as lines of the list's first entry. */
#define ENTRY(extra) "requests:\n  - name: pool\n    kind: cma\n    size: 16M\n" extra

/* ------------------------------------------------------------------ values */

static void test_parsed(void **state)
{
	(void)state;
	struct cvo_requests *rs = load_ok("# the example of carveout-requests(5), and more\n"
					  "requests:\n"
					  "  - name: camera\n"
					  "    kind: coherent-pool\n"
					  "    size: 16M\n"
					  "    alignment: 1M\n"
					  "    consumers: [\"/soc@0/camss@ac6a000\"]\n"
					  "    limit: 0x100000000\n"
					  "    base: 0x9e000000\n"
					  "    no-map: true\n"
					  "  - name: linux,cma-video\n"
					  "    size: 0x4000000\n"
					  "    kind: cma\n"
					  "    no-map: false\n"
					  "  - { name: tee, kind: reserved, size: 2M, no-map: false, "
					  "limit: 2M, base: 0 }\n"
					  "  - name: \"wifi_swiotlb.0+\"\n"
					  "    kind: \"restricted-pool\"\n"
					  "    size: 4194304\n"
					  "    consumers:\n"
					  "      - /soc/wifi@18800000\n"
					  "      - \"/soc/pcie@1c00000\"\n"
					  "  - name: Top\n"
					  "    kind: reserved\n"
					  "    size: 16M\n"
					  "    base: 0xfffffffffe000000\n"
					  "    alignment: 0x2000000\n"
					  "    consumers: []\n");
	assert_int_equal(rs->n, 5);

	const struct cvo_request *q = &rs->v[0];
	assert_string_equal(q->name, "camera");
	assert_int_equal(q->kind, CVO_REQUEST_COHERENT_POOL);
	assert_int_equal(q->size, 16 * MiB);
	assert_true(q->has_alignment);
	assert_int_equal(q->alignment, MiB);
	assert_int_equal(q->n_consumers, 1);
	assert_string_equal(q->consumers[0], "/soc@0/camss@ac6a000");
	assert_true(q->has_limit);
	assert_int_equal(q->limit, UINT64_C(0x100000000));
	assert_true(q->has_base);
	assert_int_equal(q->base, UINT64_C(0x9e000000));
	assert_int_equal(q->no_map, 1);
	assert_int_equal(q->line, 3);
	assert_int_equal(q->column, 5);

	q = &rs->v[1];
	assert_string_equal(q->name, "linux,cma-video");
	assert_int_equal(q->kind, CVO_REQUEST_CMA);
	assert_int_equal(q->size, 64 * MiB);
	assert_false(q->has_alignment);
	assert_int_equal(q->alignment, 0);
	assert_int_equal(q->n_consumers, 0);
	assert_false(q->has_limit);
	assert_false(q->has_base);
	assert_int_equal(q->no_map, 0);
	assert_int_equal(q->line, 11);
	assert_int_equal(q->column, 5);

	q = &rs->v[2];
	assert_string_equal(q->name, "tee");
	assert_int_equal(q->kind, CVO_REQUEST_RESERVED);
	assert_int_equal(q->size, 2 * MiB);
	assert_true(q->has_limit);
	assert_int_equal(q->limit, 2 * MiB); /* base + size may equal the limit */
	assert_true(q->has_base);
	assert_int_equal(q->base, 0);
	assert_int_equal(q->no_map, 0);
	assert_int_equal(q->line, 15);
	assert_int_equal(q->column, 5);

	q = &rs->v[3];
	assert_string_equal(q->name, "wifi_swiotlb.0+");
	assert_int_equal(q->kind, CVO_REQUEST_RESTRICTED_POOL);
	assert_int_equal(q->size, 4 * MiB);
	assert_int_equal(q->no_map, CVO_UNSET);
	assert_int_equal(q->n_consumers, 2);
	assert_string_equal(q->consumers[0], "/soc/wifi@18800000");
	assert_string_equal(q->consumers[1], "/soc/pcie@1c00000");
	assert_int_equal(q->line, 16);

	/* the top of the address space: base + size is 2^64 - 2^24, no overflow */
	q = &rs->v[4];
	assert_string_equal(q->name, "Top");
	assert_int_equal(q->base, UINT64_C(0xfffffffffe000000));
	assert_int_equal(q->alignment, UINT64_C(0x2000000));
	assert_int_equal(q->n_consumers, 0);
	assert_int_equal(q->no_map, CVO_UNSET);
	cvo_requests_free(rs);

	/* an empty list is a file with nothing to place */
	rs = load_ok("requests: []\n");
	assert_int_equal(rs->n, 0);
	cvo_requests_free(rs);

	/* a name of exactly 31 characters */
	rs = load_ok(
		"requests: [{name: abcdefghijklmnopqrstuvwxyz01234, kind: reserved, size: 4K, "
		"alignment: 0x8000000000000000}]\n");
	assert_int_equal(strlen(rs->v[0].name), 31);
	assert_int_equal(rs->v[0].alignment, UINT64_C(0x8000000000000000));
	assert_int_equal(rs->v[0].line, 1);
	assert_int_equal(rs->v[0].column, 12);
	cvo_requests_free(rs);
	cvo_requests_free(NULL);
}

static void test_kind_names(void **state)
{
	(void)state;
	assert_string_equal(cvo_request_kind_name(CVO_REQUEST_CMA), "cma");
	assert_string_equal(cvo_request_kind_name(CVO_REQUEST_COHERENT_POOL), "coherent-pool");
	assert_string_equal(cvo_request_kind_name(CVO_REQUEST_RESTRICTED_POOL), "restricted-pool");
	assert_string_equal(cvo_request_kind_name(CVO_REQUEST_RESERVED), "reserved");
}

/* ------------------------------------------------------------------ refusals */

static void test_document(void **state)
{
	(void)state;
	expect_error("", 1, 1, "expected a mapping, got an empty document");
	expect_error("# nothing\n", 1, 1, "expected a mapping, got an empty document");
	expect_error("- name: a\n", 1, 1, "requests file: expected a mapping, got a sequence");
	expect_error("requests: []\nfoo: 1\n", 2, 1,
		     "unknown key \"foo\": expected one of requests");
	expect_error("request:\n  - name: a\n", 1, 1,
		     "unknown key \"request\": expected one of requests");
	expect_error("requests: []\nrequests: []\n", 2, 1,
		     "duplicate key \"requests\" (first at line 1)");
	expect_error("{}\n", 1, 1, "missing required key \"requests\"");
	expect_error("requests:\n", 1, 10, "requests: expected a sequence, got null");
	expect_error("requests: {name: a}\n", 1, 11, "requests: expected a sequence, got a mapping");
	expect_error("requests: camera\n", 1, 11, "requests: expected a sequence, got \"camera\"");
	expect_error("requests:\n  - camera\n", 2, 5,
		     "requests[0]: expected a mapping, got \"camera\"");
	expect_error("requests: [\n", 2, 1,
		     "invalid YAML: did not find expected node content while parsing a flow node");
	expect_error("requests: [*a]\n", 1, 12, "YAML aliases are not supported");
}

static void test_keys(void **state)
{
	(void)state;
	expect_error(ENTRY("    colour: red\n"), 5, 5,
		     "requests[0]: unknown key \"colour\": expected one of name, kind, size, "
		     "alignment, consumers, limit, base, no-map");
	expect_error(ENTRY("    no_map: true\n"), 5, 5,
		     "requests[0]: unknown key \"no_map\": expected one of name, kind, size, "
		     "alignment, consumers, limit, base, no-map");
	expect_error(ENTRY("    size: 4M\n"), 5, 5,
		     "requests[0]: duplicate key \"size\" (first at line 4)");
	expect_error("requests:\n  - kind: cma\n    size: 16M\n", 2, 5,
		     "requests[0]: missing required key \"name\"");
	expect_error("requests:\n  - name: a\n    size: 16M\n", 2, 5,
		     "requests[0]: missing required key \"kind\"");
	expect_error("requests:\n  - {name: a, kind: cma}\n", 2, 5,
		     "requests[0]: missing required key \"size\"");
	/* the second entry is checked after the first */
	expect_error(ENTRY("  - name: b\n    kind: cma\n"), 5, 5,
		     "requests[1]: missing required key \"size\"");
}

static void test_name(void **state)
{
	(void)state;
	static const char *const expected =
		"expected a node name of 1 to 31 letters, digits, ',', '.', '_', '+' and '-'";
	char msg[256];
	snprintf(msg, sizeof(msg), "requests[0].name: %s, got \"cam era\"", expected);
	expect_error("requests:\n  - name: cam era\n    kind: cma\n    size: 4M\n", 2, 11, msg);
	snprintf(msg, sizeof(msg), "requests[0].name: %s, got \"\"", expected);
	expect_error("requests:\n  - name: \"\"\n    kind: cma\n    size: 4M\n", 2, 11, msg);
	snprintf(msg, sizeof(msg), "requests[0].name: %s, got null", expected);
	expect_error("requests:\n  - name:\n    kind: cma\n    size: 4M\n", 2, 10, msg);
	snprintf(msg, sizeof(msg), "requests[0].name: %s, got a sequence", expected);
	expect_error("requests:\n  - name: [a]\n    kind: cma\n    size: 4M\n", 2, 11, msg);
	snprintf(msg, sizeof(msg), "requests[0].name: %s, got \"soc/camera\"", expected);
	expect_error("requests:\n  - name: soc/camera\n    kind: cma\n    size: 4M\n", 2, 11, msg);
	snprintf(msg, sizeof(msg), "requests[0].name: %s, got \"abcdefghijklmnopqrstuvwxyz012345\"",
		 expected);
	expect_error("requests:\n  - name: abcdefghijklmnopqrstuvwxyz012345\n    kind: cma\n"
		     "    size: 4M\n",
		     2, 11, msg);
	expect_error("requests:\n  - name: camera@9e000000\n    kind: cma\n    size: 4M\n", 2, 11,
		     "requests[0].name: expected a node name without a unit address (a static "
		     "region gets its base as unit address), got \"camera@9e000000\"");
	expect_error(ENTRY("  - name: other\n    kind: reserved\n    size: 4M\n"
			   "  - kind: reserved\n    size: 4M\n    name: pool\n"),
		     10, 11, "requests[2].name: duplicate name \"pool\" (first in requests[0], "
			     "line 2)");
}

static void test_kind_and_size(void **state)
{
	(void)state;
	expect_error("requests:\n  - name: a\n    kind: dma-pool\n    size: 4M\n", 3, 11,
		     "requests[0].kind: expected cma, coherent-pool, restricted-pool or "
		     "reserved, got \"dma-pool\"");
	expect_error("requests:\n  - name: a\n    kind: CMA\n    size: 4M\n", 3, 11,
		     "requests[0].kind: expected cma, coherent-pool, restricted-pool or "
		     "reserved, got \"CMA\"");
	expect_error("requests:\n  - name: a\n    kind: cma\n    size: 0\n", 4, 11,
		     "requests[0].size: must not be 0");
	expect_error("requests:\n  - name: a\n    kind: cma\n    size: 0M\n", 4, 11,
		     "requests[0].size: must not be 0");
	expect_error("requests:\n  - name: a\n    kind: cma\n    size: 12Q\n", 4, 11,
		     "requests[0].size: expected a size (a number with an optional K, M, G or T "
		     "suffix), got \"12Q\"");
	expect_error("requests:\n  - name: a\n    kind: cma\n    size: 0x10000000000000000\n", 4,
		     11, "requests[0].size: \"0x10000000000000000\" does not fit in 64 bits");
}

static void test_alignment_base_limit(void **state)
{
	(void)state;
	expect_error(ENTRY("    alignment: 3M\n"), 5, 16,
		     "requests[0].alignment: expected a power of two, got \"3M\"");
	expect_error(ENTRY("    alignment: 0\n"), 5, 16,
		     "requests[0].alignment: expected a power of two, got \"0\"");
	expect_error(ENTRY("    alignment: big\n"), 5, 16,
		     "requests[0].alignment: expected a size (a number with an optional K, M, G "
		     "or T suffix), got \"big\"");
	expect_error(ENTRY("    base: 0x9e080000\n    alignment: 1M\n"), 5, 11,
		     "requests[0].base: \"0x9e080000\" is not a multiple of the alignment "
		     "\"1M\"");
	expect_error(ENTRY("    base: 0xffffffffff000000\n"), 5, 11,
		     "requests[0].base: \"0xffffffffff000000\" + size \"16M\" overflows 64 bits");
	expect_error(ENTRY("    base: 0xfffffffffffff000\n    alignment: 4K\n"), 5, 11,
		     "requests[0].base: \"0xfffffffffffff000\" + size \"16M\" overflows 64 bits");
	expect_error(ENTRY("    limit: 8M\n"), 5, 12,
		     "requests[0].limit: \"8M\" is below the size \"16M\"");
	expect_error(ENTRY("    limit: 0\n"), 5, 12,
		     "requests[0].limit: \"0\" is below the size \"16M\"");
	expect_error(ENTRY("    base: 0x9e000000\n    limit: 0x9effffff\n"), 6, 12,
		     "requests[0].limit: base \"0x9e000000\" + size \"16M\" ends at 0x9f000000, "
		     "above the limit \"0x9effffff\"");
	expect_error(ENTRY("    limit: 0xa0000000\n    base: 0x9f800000\n"), 5, 12,
		     "requests[0].limit: base \"0x9f800000\" + size \"16M\" ends at 0xa0800000, "
		     "above the limit \"0xa0000000\"");
	expect_error(ENTRY("    base: -1\n"), 5, 11,
		     "requests[0].base: expected a size (a number with an optional K, M, G or T "
		     "suffix), got \"-1\"");
}

static void test_consumers(void **state)
{
	(void)state;
	expect_error(ENTRY("    consumers: /soc/camss\n"), 5, 16,
		     "requests[0].consumers: expected a sequence, got \"/soc/camss\"");
	expect_error(ENTRY("    consumers:\n"), 5, 15,
		     "requests[0].consumers: expected a sequence, got null");
	expect_error(ENTRY("    consumers: [soc/camss]\n"), 5, 17,
		     "requests[0].consumers[0]: expected a node path starting with '/', such as "
		     "\"/soc@0/camss@ac6a000\", got \"soc/camss\"");
	expect_error(ENTRY("    consumers: [\"/a\", \"\"]\n"), 5, 23,
		     "requests[0].consumers[1]: expected a node path starting with '/', such as "
		     "\"/soc@0/camss@ac6a000\", got \"\"");
	expect_error(ENTRY("    consumers:\n      - /a\n      - {path: /b}\n"), 7, 9,
		     "requests[0].consumers[1]: expected a node path starting with '/', such as "
		     "\"/soc@0/camss@ac6a000\", got a mapping");
	expect_error(ENTRY("    consumers: [/a, [/b]]\n"), 5, 21,
		     "requests[0].consumers[1]: expected a node path starting with '/', such as "
		     "\"/soc@0/camss@ac6a000\", got a sequence");
	expect_error(ENTRY("    consumers: [/a, /b, \"/a\"]\n"), 5, 25,
		     "requests[0].consumers[2]: \"/a\" is listed twice (first at consumers[0])");
}

static void test_no_map(void **state)
{
	(void)state;
	expect_error(ENTRY("    no-map: true\n"), 5, 13,
		     "requests[0].no-map: true is refused for kind cma: a CMA region is reusable, "
		     "and rmem_cma_setup() rejects reusable with no-map");
	expect_error("requests:\n  - name: a\n    no-map: true\n    kind: restricted-pool\n"
		     "    size: 4M\n",
		     3, 13,
		     "requests[0].no-map: true is refused for kind restricted-pool: "
		     "rmem_swiotlb_setup() rejects a restricted-dma-pool with no-map");
	expect_error("requests:\n  - name: a\n    kind: coherent-pool\n    size: 4M\n"
		     "    no-map: false\n",
		     5, 13,
		     "requests[0].no-map: false is refused for kind coherent-pool: arm's "
		     "rmem_dma_setup() rejects a shared-dma-pool without no-map (\"regions "
		     "without no-map are not yet supported\")");
	expect_error(ENTRY("    no-map: yes\n"), 5, 13,
		     "requests[0].no-map: expected true or false, got \"yes\"");
	expect_error(ENTRY("    no-map: \"true\"\n"), 5, 13,
		     "requests[0].no-map: expected true or false, got \"true\"");

	/* what the kernel takes */
	struct cvo_requests *rs = load_ok("requests:\n"
					  "  - {name: a, kind: reserved, size: 4M, no-map: true}\n"
					  "  - {name: b, kind: reserved, size: 4M, no-map: false}\n"
					  "  - {name: c, kind: coherent-pool, size: 4M, no-map: true}\n"
					  "  - {name: d, kind: restricted-pool, size: 4M, no-map: false}\n"
					  "  - {name: e, kind: cma, size: 4M, no-map: false}\n");
	assert_int_equal(rs->n, 5);
	assert_int_equal(rs->v[0].no_map, 1);
	assert_int_equal(rs->v[1].no_map, 0);
	assert_int_equal(rs->v[2].no_map, 1);
	assert_int_equal(rs->v[3].no_map, 0);
	assert_int_equal(rs->v[4].no_map, 0);
	cvo_requests_free(rs);
}

/* The first error in document order is the one reported. */
static void test_order(void **state)
{
	(void)state;
	expect_error("requests:\n  - name: a\n    size: 0\n    kind: dma\n", 3, 11,
		     "requests[0].size: must not be 0");
	expect_error("requests:\n  - name: a\n    kind: dma\n    size: 0\n", 3, 11,
		     "requests[0].kind: expected cma, coherent-pool, restricted-pool or "
		     "reserved, got \"dma\"");
	/* a missing key is found before the values are read */
	expect_error("requests:\n  - name: a b\n    kind: dma\n", 2, 5,
		     "requests[0]: missing required key \"size\"");
	/* the values, then what they say together */
	expect_error(ENTRY("    no-map: true\n    base: 0x100\n    alignment: 4K\n"), 6, 11,
		     "requests[0].base: \"0x100\" is not a multiple of the alignment \"4K\"");
}

static void test_limits(void **state)
{
	(void)state;
	struct cvo_requests *rs = NULL;
	struct cvo_error err = { 0 };
	size_t big = (1u << 20) + 1;
	char *text = malloc(big);
	assert_non_null(text);
	memset(text, '#', big);
	assert_int_equal(cvo_requests_load_buffer(text, big, "r.yaml", &rs, &err),
			 CVO_ERR_INVALID);
	assert_null(rs);
	assert_string_equal(err.source, "r.yaml");
	assert_int_equal(err.line, 0);
	assert_int_equal(err.column, 0);
	assert_string_equal(err.text, "file is larger than 1048576 bytes");

	/* the same cap on a file, and the platform file's refusal */
	char path[] = "/tmp/carveout-requests-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, big), (ssize_t)big);
	assert_int_equal(close(fd), 0);
	assert_int_equal(cvo_requests_load(path, &rs, &err), CVO_ERR_INVALID);
	assert_null(rs);
	assert_string_equal(err.source, path);
	assert_string_equal(err.text, "file is larger than 1048576 bytes");
	struct cvo_platform *p = NULL;
	assert_int_equal(cvo_platform_load(path, &p, &err), CVO_ERR_INVALID);
	assert_string_equal(err.text, "file is larger than 1048576 bytes");

	/* a file at the cap is read */
	static const char head[] = "requests: [{name: a, kind: cma, size: 4M}]\n";
	memcpy(text, head, sizeof(head) - 1);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, big - 1, f), big - 1);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(cvo_requests_load(path, &rs, &err), 0);
	assert_string_equal(rs->file, path);
	assert_int_equal(rs->n, 1);
	assert_int_equal(rs->v[0].size, 4 * MiB);
	cvo_requests_free(rs);
	rs = NULL;
	free(text);

	/* errors of a file name it */
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("requests:\n  - {name: a, kind: cma, size: 4M, no-map: true}\n", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(cvo_requests_load(path, &rs, &err), CVO_ERR_INVALID);
	assert_string_equal(err.source, path);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.column, 44);
	assert_null(rs);
	assert_int_equal(unlink(path), 0);

	assert_int_equal(cvo_requests_load(path, &rs, &err), CVO_ERR_IO);
	assert_string_equal(err.source, path);
	assert_string_equal(err.text, "cannot open: No such file or directory");
	assert_int_equal(cvo_requests_load(NULL, &rs, &err), CVO_ERR_USAGE);

	/* more than 256 entries */
	size_t cap = 300 * 48 + 32, off = 0;
	text = malloc(cap);
	assert_non_null(text);
	off += (size_t)snprintf(text + off, cap - off, "requests:\n");
	for (int i = 0; i < 257; i++)
		off += (size_t)snprintf(text + off, cap - off,
					"  - {name: r%d, kind: cma, size: 4M}\n", i);
	expect_error(text, 2, 3, "requests: more than 256 entries");
	free(text);

	/* a buffer without a name */
	assert_int_equal(cvo_requests_load_buffer("requests: 1\n", 12, NULL, &rs, &err),
			 CVO_ERR_INVALID);
	assert_string_equal(err.source, "<buffer>");
	assert_int_equal(cvo_requests_load_buffer(NULL, 0, "r.yaml", &rs, &err), CVO_ERR_INVALID);
	assert_string_equal(err.text, "expected a mapping, got an empty document");
}

/* The example files and the manual's example load. */
static void test_examples(void **state)
{
	(void)state;
	DIR *d = opendir(REQUESTS_DIR);
	assert_non_null(d);
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 5, ".yaml") != 0)
			continue;
		char path[1024];
		snprintf(path, sizeof(path), "%s/%s", REQUESTS_DIR, e->d_name);
		struct cvo_requests *rs = NULL;
		struct cvo_error err = { 0 };
		int r = cvo_requests_load(path, &rs, &err);
		if (r)
			print_error("%s:%d:%d: %s\n", err.source, err.line, err.column, err.text);
		assert_int_equal(r, 0);
		assert_true(rs->n > 0);
		cvo_requests_free(rs);
		n++;
	}
	closedir(d);
	assert_true(n >= 3);

	FILE *f = fopen(MANUAL, "r");
	assert_non_null(f);
	static char manual[65536];
	size_t len = fread(manual, 1, sizeof(manual) - 1, f);
	fclose(f);
	manual[len] = '\0';
	const char *ex = strstr(manual, "\n# EXAMPLE\n");
	assert_non_null(ex);
	ex = strstr(ex, "```\n");
	assert_non_null(ex);
	ex += 4;
	const char *end = strstr(ex, "```");
	assert_non_null(end);
	struct cvo_requests *rs = NULL;
	struct cvo_error err = { 0 };
	int r = cvo_requests_load_buffer(ex, (size_t)(end - ex), "example", &rs, &err);
	if (r)
		print_error("%s:%d:%d: %s\n", err.source, err.line, err.column, err.text);
	assert_int_equal(r, 0);
	assert_true(rs->n >= 2);
	assert_string_equal(rs->v[0].name, "camera");
	cvo_requests_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parsed),
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test(test_document),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_kind_and_size),
		cmocka_unit_test(test_alignment_base_limit),
		cmocka_unit_test(test_consumers),
		cmocka_unit_test(test_no_map),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_examples),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
