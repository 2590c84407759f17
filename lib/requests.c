// SPDX-License-Identifier: MIT
/*
 * A requests file (carveout-requests(5)): the new carveouts a plan places, read
 * with the platform file's YAML reader (platform/yaml.h) and checked against the
 * format in document order, so the first error in the file is the one reported.
 * What the kernel would refuse whatever the platform (no-map on a reusable or a
 * restricted pool, a coherent pool without it) is refused here; what depends on
 * the platform (the kernel's minimum alignment, the RAM) is the planner's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "platform/internal.h"

/* The longest node name the DT specification allows (without a unit address). */
#define REQ_MAX_NAME 31

const char *cvo_request_kind_name(enum cvo_request_kind kind)
{
	switch (kind) {
	case CVO_REQUEST_CMA: return "cma";
	case CVO_REQUEST_COHERENT_POOL: return "coherent-pool";
	case CVO_REQUEST_RESTRICTED_POOL: return "restricted-pool";
	case CVO_REQUEST_RESERVED: return "reserved";
	}
	return "?";
}

void cvo_requests_free(struct cvo_requests *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		struct cvo_request *q = &r->v[i];
		free(q->name);
		for (size_t j = 0; j < q->n_consumers; j++)
			free(q->consumers[j]);
		free(q->consumers);
	}
	free(r->v);
	free(r->file);
	free(r);
}

/* The DT specification's node-name characters (section 2.2.1), in ASCII whatever the locale. */
static bool valid_node_name(const char *s)
{
	size_t len = strlen(s);
	if (len == 0 || len > REQ_MAX_NAME)
		return false;
	for (size_t i = 0; i < len; i++) {
		char ch = s[i];
		if (!(ch >= '0' && ch <= '9') && !(ch >= 'a' && ch <= 'z') &&
		    !(ch >= 'A' && ch <= 'Z') && !strchr(",._+-", ch))
			return false;
	}
	return true;
}

static int get_name(const struct yctx *c, const struct ynode *n, const char *where,
		    const struct cvo_requests *rs, size_t i, char **out)
{
	if (yn_is_scalar(n) && strchr(n->str, '@'))
		return yn_bad_value(c, n, where,
				    "a node name without a unit address (a static region gets "
				    "its base as unit address)");
	if (!yn_is_scalar(n) || !valid_node_name(n->str))
		return yn_bad_value(c, n, where,
				    "a node name of 1 to 31 letters, digits, ',', '.', '_', '+' "
				    "and '-'");
	for (size_t j = 0; j < i; j++) {
		if (strcmp(rs->v[j].name, n->str) == 0)
			return yn_bad(c, n, "%s: duplicate name \"%s\" (first in requests[%zu], "
				      "line %d)", where, n->str, j, rs->v[j].line);
	}
	return yn_get_string(c, n, where, false, out);
}

static int get_kind(const struct yctx *c, const struct ynode *n, const char *where,
		    enum cvo_request_kind *out)
{
	static const enum cvo_request_kind kinds[] = {
		CVO_REQUEST_CMA, CVO_REQUEST_COHERENT_POOL, CVO_REQUEST_RESTRICTED_POOL,
		CVO_REQUEST_RESERVED,
	};
	for (size_t k = 0; yn_is_scalar(n) && k < CVO_ARRAY_LEN(kinds); k++) {
		if (strcmp(n->str, cvo_request_kind_name(kinds[k])) == 0) {
			*out = kinds[k];
			return 0;
		}
	}
	return yn_bad_value(c, n, where, "cma, coherent-pool, restricted-pool or reserved");
}

/* consumers: node paths, each once. */
static int get_consumers(const struct yctx *c, const struct ynode *n, const char *where,
			 struct cvo_request *q)
{
	int r = yn_expect_kind(c, n, where, Y_SEQ);
	if (r)
		return r;
	if (n->n > PLAT_MAX_LIST)
		return yn_bad(c, n, "%s: more than %d entries", where, PLAT_MAX_LIST);
	q->consumers = calloc(n->n ? n->n : 1, sizeof(*q->consumers));
	if (!q->consumers)
		return yn_nomem(c);
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *v = n->kids[i];
		char w[160];
		snprintf(w, sizeof(w), "%s[%zu]", where, i);
		if (!yn_is_scalar(v) || v->str[0] != '/')
			return yn_bad_value(c, v, w,
					    "a node path starting with '/', such as "
					    "\"/soc@0/camss@ac6a000\"");
		for (size_t j = 0; j < i; j++) {
			if (strcmp(q->consumers[j], v->str) == 0)
				return yn_bad(c, v, "%s: \"%.200s\" is listed twice (first at "
					      "consumers[%zu])", w, v->str, j);
		}
		if ((r = yn_get_string(c, v, w, false, &q->consumers[i])))
			return r;
		q->n_consumers++;
	}
	return 0;
}

/* What the entry's values say together; each error is at the later key it names. */
static int check_entry(const struct yctx *c, const struct ynode *e, const char *where,
		       const struct cvo_request *q)
{
	const struct ynode *size = yn_map_get(e, "size"), *base = yn_map_get(e, "base"),
			   *limit = yn_map_get(e, "limit"), *align = yn_map_get(e, "alignment"),
			   *no_map = yn_map_get(e, "no-map");
	char d1[64], d2[64], d3[64];
	if (q->has_base && q->base > UINT64_MAX - q->size)
		return yn_bad(c, base, "%s.base: %s + size %s overflows 64 bits", where,
			      yn_describe(base, d1, sizeof(d1)), yn_describe(size, d2, sizeof(d2)));
	if (q->has_base && q->has_alignment && q->base % q->alignment)
		return yn_bad(c, base, "%s.base: %s is not a multiple of the alignment %s", where,
			      yn_describe(base, d1, sizeof(d1)),
			      yn_describe(align, d2, sizeof(d2)));
	if (q->has_limit && q->limit < q->size)
		return yn_bad(c, limit, "%s.limit: %s is below the size %s", where,
			      yn_describe(limit, d1, sizeof(d1)), yn_describe(size, d2, sizeof(d2)));
	if (q->has_limit && q->has_base && q->base + q->size > q->limit) {
		char end[20];
		return yn_bad(c, limit, "%s.limit: base %s + size %s ends at %s, above the limit %s",
			      where, yn_describe(base, d1, sizeof(d1)),
			      yn_describe(size, d2, sizeof(d2)),
			      cvo_fmt_addr(q->base + q->size, end, sizeof(end)),
			      yn_describe(limit, d3, sizeof(d3)));
	}
	if (q->no_map == 1 && q->kind == CVO_REQUEST_CMA)
		return yn_bad(c, no_map, "%s.no-map: true is refused for kind cma: a CMA region is "
			      "reusable, and rmem_cma_setup() rejects reusable with no-map", where);
	if (q->no_map == 1 && q->kind == CVO_REQUEST_RESTRICTED_POOL)
		return yn_bad(c, no_map, "%s.no-map: true is refused for kind restricted-pool: "
			      "rmem_swiotlb_setup() rejects a restricted-dma-pool with no-map",
			      where);
	if (q->no_map == 0 && q->kind == CVO_REQUEST_COHERENT_POOL)
		return yn_bad(c, no_map, "%s.no-map: false is refused for kind coherent-pool: "
			      "arm's rmem_dma_setup() rejects a shared-dma-pool without no-map "
			      "(\"regions without no-map are not yet supported\")", where);
	return 0;
}

static int parse_entry(const struct yctx *c, const struct ynode *e, size_t i,
		       struct cvo_requests *rs)
{
	static const char *const keys[] = {
		"name", "kind", "size", "alignment", "consumers", "limit", "base", "no-map",
	};
	static const size_t n_required = 3; /* name, kind, size */
	char where[64], w2[128];
	snprintf(where, sizeof(where), "requests[%zu]", i);
	int r = yn_expect_kind(c, e, where, Y_MAP);
	if (!r)
		r = yn_check_keys(c, e, where, keys, CVO_ARRAY_LEN(keys));
	if (r)
		return r;
	struct cvo_request *q = &rs->v[i];
	rs->n = i + 1; /* owned (and freed) from here */
	q->no_map = CVO_UNSET;
	q->line = e->line;
	q->column = e->col;
	for (size_t k = 0; k < n_required; k++) {
		if (!yn_map_get(e, keys[k]))
			return yn_bad(c, e, "%s: missing required key \"%s\"", where, keys[k]);
	}
	for (size_t k = 0; k < e->n; k += 2) {
		const char *key = e->kids[k]->str;
		const struct ynode *v = e->kids[k + 1];
		snprintf(w2, sizeof(w2), "%s.%s", where, key);
		if (strcmp(key, "name") == 0) {
			r = get_name(c, v, w2, rs, i, &q->name);
		} else if (strcmp(key, "kind") == 0) {
			r = get_kind(c, v, w2, &q->kind);
		} else if (strcmp(key, "size") == 0) {
			r = yn_get_size(c, v, w2, &q->size);
			if (!r && q->size == 0)
				r = yn_bad(c, v, "%s: must not be 0", w2);
		} else if (strcmp(key, "alignment") == 0) {
			r = yn_get_size(c, v, w2, &q->alignment);
			if (!r && (q->alignment == 0 || (q->alignment & (q->alignment - 1))))
				r = yn_bad_value(c, v, w2, "a power of two");
			q->has_alignment = true;
		} else if (strcmp(key, "consumers") == 0) {
			r = get_consumers(c, v, w2, q);
		} else if (strcmp(key, "limit") == 0) {
			r = yn_get_size(c, v, w2, &q->limit);
			q->has_limit = true;
		} else if (strcmp(key, "base") == 0) {
			r = yn_get_size(c, v, w2, &q->base);
			q->has_base = true;
		} else {
			r = yn_get_bool(c, v, w2, &q->no_map);
		}
		if (r)
			return r;
	}
	return check_entry(c, e, where, q);
}

/* Check the document against the format, in document order. */
static int parse_root(const struct yctx *c, const struct ynode *root, struct cvo_requests *rs)
{
	static const char *const keys[] = { "requests" };
	if (!root)
		return cvo_error_set(c->err, CVO_ERR_INVALID, c->file, 1, 1,
				     "expected a mapping, got an empty document");
	int r = yn_expect_kind(c, root, "requests file", Y_MAP);
	if (!r)
		r = yn_check_keys(c, root, "", keys, CVO_ARRAY_LEN(keys));
	if (r)
		return r;
	const struct ynode *list = yn_map_get(root, "requests");
	if (!list)
		return yn_bad(c, root, "missing required key \"requests\"");
	if ((r = yn_expect_kind(c, list, "requests", Y_SEQ)))
		return r;
	if (list->n > PLAT_MAX_LIST)
		return yn_bad(c, list, "requests: more than %d entries", PLAT_MAX_LIST);
	rs->v = calloc(list->n ? list->n : 1, sizeof(*rs->v));
	if (!rs->v)
		return yn_nomem(c);
	for (size_t i = 0; i < list->n; i++) {
		if ((r = parse_entry(c, list->kids[i], i, rs)))
			return r;
	}
	return 0;
}

static int load_text(const void *buf, size_t len, const char *name, struct cvo_requests **out,
		     struct cvo_error *err)
{
	const struct yctx c = { .file = name, .err = err };
	struct ynode *root = NULL;
	/* libyaml wants an input even when it is empty */
	int r = yn_tree_parse(name, buf ? buf : "", len, &root, err);
	if (r)
		return r;
	struct cvo_requests *rs = calloc(1, sizeof(*rs));
	if (!rs || !(rs->file = cvo_strdup(name)))
		r = yn_nomem(&c);
	else
		r = parse_root(&c, root, rs);
	if (!r) {
		*out = rs;
		rs = NULL;
	}
	cvo_requests_free(rs);
	yn_tree_free(root);
	return r;
}

int cvo_requests_load(const char *path, struct cvo_requests **out, struct cvo_error *err)
{
	if (!path || !out)
		return cvo_error_set(err, CVO_ERR_USAGE, "", 0, 0, "no requests file given");
	*out = NULL;
	unsigned char *buf = NULL;
	size_t len = 0;
	int r = yn_file_read(path, PLAT_MAX_BYTES, &buf, &len, err);
	if (!r)
		r = load_text(buf, len, path, out, err);
	free(buf);
	return r;
}

int cvo_requests_load_buffer(const void *buf, size_t len, const char *name,
			     struct cvo_requests **out, struct cvo_error *err)
{
	if (!name)
		name = "<buffer>";
	if (!out || (!buf && len))
		return cvo_error_set(err, CVO_ERR_USAGE, name, 0, 0, "no requests file given");
	*out = NULL;
	if (len > PLAT_MAX_BYTES)
		return cvo_error_set(err, CVO_ERR_INVALID, name, 0, 0,
				     "file is larger than %u bytes", PLAT_MAX_BYTES);
	return load_text(buf, len, name, out, err);
}
