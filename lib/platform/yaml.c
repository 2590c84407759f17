// SPDX-License-Identifier: MIT
/*
 * The YAML reader of carveout's input files (yaml.h): libyaml's events into a
 * tree that keeps every node's mark, and the value checks whose errors name
 * file:line:column.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <yaml.h>

#include "../util.h"
#include "yaml.h"

void yn_tree_free(struct ynode *n)
{
	if (!n)
		return;
	/* recursion is bounded by YN_MAX_DEPTH */
	for (size_t i = 0; i < n->n; i++)
		yn_tree_free(n->kids[i]);
	free(n->kids);
	free(n->str);
	free(n);
}

static int tree_nomem(const char *file, struct cvo_error *err)
{
	return cvo_error_set(err, CVO_ERR_NOMEM, file, 0, 0, "out of memory");
}

static int syntax_error(const char *file, const yaml_parser_t *ps,
			const unsigned char *buf, size_t len, struct cvo_error *err)
{
	if (ps->error == YAML_MEMORY_ERROR)
		return tree_nomem(file, err);
	const char *problem = ps->problem ? ps->problem : "unknown error";
	if (ps->error == YAML_READER_ERROR) {
		/* the reader decodes ahead of the marks: place the bad byte itself */
		int line = 1, col = 1;
		for (size_t i = 0; i < ps->problem_offset && i < len; i++) {
			col++;
			if (buf[i] == '\n') {
				line++;
				col = 1;
			}
		}
		return cvo_error_set(err, CVO_ERR_INVALID, file, line, col,
				     "invalid YAML: %s at byte %zu", problem, ps->problem_offset);
	}
	if (ps->context)
		return cvo_error_set(err, CVO_ERR_INVALID, file, (int)ps->problem_mark.line + 1,
				     (int)ps->problem_mark.column + 1, "invalid YAML: %s %s",
				     problem, ps->context);
	return cvo_error_set(err, CVO_ERR_INVALID, file, (int)ps->problem_mark.line + 1,
			     (int)ps->problem_mark.column + 1, "invalid YAML: %s", problem);
}

int yn_file_read(const char *path, size_t max, unsigned char **out, size_t *len,
		 struct cvo_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return cvo_error_set(err, CVO_ERR_IO, path, 0, 0, "cannot open: %s",
				     strerror(errno));
	/* a regular file's size bounds the buffer; anything else may hold up to the cap */
	struct stat st;
	size_t cap = max + 1;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0 &&
	    (uint64_t)st.st_size < cap)
		cap = (size_t)st.st_size + 1;
	unsigned char *buf = malloc(cap);
	if (!buf) {
		fclose(f);
		return cvo_error_set(err, CVO_ERR_NOMEM, path, 0, 0, "out of memory");
	}
	size_t n = fread(buf, 1, cap, f);
	bool failed = ferror(f);
	if (!failed && n == cap && cap <= max) {
		/* the file grew since fstat(): read on, up to the cap */
		unsigned char *nb = realloc(buf, max + 1);
		if (!nb) {
			fclose(f);
			free(buf);
			return cvo_error_set(err, CVO_ERR_NOMEM, path, 0, 0, "out of memory");
		}
		buf = nb;
		n += fread(buf + n, 1, max + 1 - n, f);
		failed = ferror(f);
	}
	fclose(f);
	if (failed) {
		free(buf);
		return cvo_error_set(err, CVO_ERR_IO, path, 0, 0, "cannot read");
	}
	if (n > max) {
		free(buf);
		return cvo_error_set(err, CVO_ERR_INVALID, path, 0, 0,
				     "file is larger than %zu bytes", max);
	}
	*out = buf;
	*len = n;
	return 0;
}

int yn_tree_load(const char *path, size_t max, struct ynode **out, struct cvo_error *err)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	int r = yn_file_read(path, max, &buf, &len, err);
	if (!r)
		r = yn_tree_parse(path, buf, len, out, err);
	free(buf);
	return r;
}

/*
 * Read one YAML document into a tree. Aliases are refused (they would let a
 * small file expand into a huge one) and nesting is capped, so the tree and
 * every walk over it stay small. *out is NULL for an empty stream.
 */
int yn_tree_parse(const char *file, const void *buf, size_t len, struct ynode **out,
		  struct cvo_error *err)
{
	yaml_parser_t ps;
	yaml_event_t ev;
	struct ynode *stack[YN_MAX_DEPTH];
	size_t depth = 0;
	struct ynode *root = NULL;
	int ndocs = 0, ret = 0;
	bool done = false;

	if (!yaml_parser_initialize(&ps))
		return tree_nomem(file, err);
	yaml_parser_set_input_string(&ps, buf, len);
	while (!done && !ret) {
		if (!yaml_parser_parse(&ps, &ev)) {
			ret = syntax_error(file, &ps, buf, len, err);
			break;
		}
		int line = (int)ev.start_mark.line + 1, col = (int)ev.start_mark.column + 1;
		struct ynode *n = NULL;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++ndocs > 1)
				ret = cvo_error_set(err, CVO_ERR_INVALID, file, line, col,
						    "expected a single YAML document");
			break;
		case YAML_ALIAS_EVENT:
			ret = cvo_error_set(err, CVO_ERR_INVALID, file, line, col,
					    "YAML aliases are not supported");
			break;
		case YAML_SCALAR_EVENT:
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			n = calloc(1, sizeof(*n));
			if (!n) {
				ret = tree_nomem(file, err);
				break;
			}
			n->line = line;
			n->col = col;
			if (depth == 0) {
				root = n;
			} else {
				struct ynode *up = stack[depth - 1];
				if (cvo_grow(&up->kids, &up->cap, up->n, sizeof(*up->kids))) {
					free(n);
					ret = tree_nomem(file, err);
					break;
				}
				up->kids[up->n++] = n;
			}
			if (ev.type == YAML_SCALAR_EVENT) {
				n->kind = Y_SCALAR;
				n->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
				n->literal = ev.data.scalar.style == YAML_LITERAL_SCALAR_STYLE;
				n->len = ev.data.scalar.length;
				n->str = malloc(n->len + 1);
				if (!n->str) {
					ret = tree_nomem(file, err);
					break;
				}
				memcpy(n->str, ev.data.scalar.value, n->len);
				n->str[n->len] = '\0';
				if (strlen(n->str) != n->len)
					ret = cvo_error_set(err, CVO_ERR_INVALID, file, line, col,
							    "NUL characters are not allowed");
				break;
			}
			n->kind = ev.type == YAML_MAPPING_START_EVENT ? Y_MAP : Y_SEQ;
			if (depth == YN_MAX_DEPTH) {
				ret = cvo_error_set(err, CVO_ERR_INVALID, file, line, col,
						    "nesting deeper than %d levels",
						    YN_MAX_DEPTH);
				break;
			}
			stack[depth++] = n;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (depth)
				depth--;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&ps);
	if (ret) {
		yn_tree_free(root);
		return ret;
	}
	*out = root;
	return 0;
}

int yn_bad(const struct yctx *c, const struct ynode *n, const char *fmt, ...)
{
	char text[sizeof(((struct cvo_error *)0)->text)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return cvo_error_set(c->err, CVO_ERR_INVALID, c->file, n ? n->line : 0, n ? n->col : 0,
			     "%s", text);
}

int yn_nomem(const struct yctx *c)
{
	return cvo_error_set(c->err, CVO_ERR_NOMEM, c->file, 0, 0, "out of memory");
}

bool yn_is_null(const struct ynode *n)
{
	if (n->kind != Y_SCALAR || !n->plain)
		return false;
	return n->len == 0 || strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0 ||
	       strcmp(n->str, "Null") == 0 || strcmp(n->str, "NULL") == 0;
}

/* How a node reads in an error message: `"text"`, `a mapping`, `null`. */
const char *yn_describe(const struct ynode *n, char *buf, size_t len)
{
	if (n->kind == Y_MAP)
		return "a mapping";
	if (n->kind == Y_SEQ)
		return "a sequence";
	if (yn_is_null(n))
		return "null";
	if (n->len > 40)
		snprintf(buf, len, "\"%.37s...\"", n->str);
	else
		snprintf(buf, len, "\"%s\"", n->str);
	return buf;
}

int yn_bad_value(const struct yctx *c, const struct ynode *n, const char *where,
		 const char *expected)
{
	char d[64];
	return yn_bad(c, n, "%s: expected %s, got %s", where, expected,
		      yn_describe(n, d, sizeof(d)));
}

bool yn_is_scalar(const struct ynode *n)
{
	return n->kind == Y_SCALAR && !yn_is_null(n);
}

int yn_get_string(const struct yctx *c, const struct ynode *n, const char *where,
		  bool allow_empty, char **out)
{
	if (!yn_is_scalar(n) || (!allow_empty && n->len == 0))
		return yn_bad_value(c, n, where, allow_empty ? "a string" : "a non-empty string");
	char *s = cvo_strdup(n->str);
	if (!s)
		return yn_nomem(c);
	*out = s;
	return 0;
}

int yn_get_bool(const struct yctx *c, const struct ynode *n, const char *where, int *out)
{
	if (n->kind == Y_SCALAR && n->plain && strcmp(n->str, "true") == 0)
		*out = 1;
	else if (n->kind == Y_SCALAR && n->plain && strcmp(n->str, "false") == 0)
		*out = 0;
	else
		return yn_bad_value(c, n, where, "true or false");
	return 0;
}

/* An unsigned number, decimal or 0x hex, with overflow checks; false when malformed. */
static bool parse_u64(const char *s, uint64_t *out, bool *overflow)
{
	unsigned base = 10;
	*overflow = false;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return false;
	uint64_t v = 0;
	for (; *s; s++) {
		unsigned d;
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			return false;
		if (v > (UINT64_MAX - d) / base)
			*overflow = true;
		else
			v = v * base + d;
	}
	*out = v;
	return true;
}

int yn_get_uint(const struct yctx *c, const struct ynode *n, const char *where,
		uint64_t min, uint64_t max, uint64_t *out)
{
	char expected[80];
	uint64_t v;
	bool overflow;
	snprintf(expected, sizeof(expected), "a number from %llu to %llu",
		 (unsigned long long)min, (unsigned long long)max);
	if (!yn_is_scalar(n) || !parse_u64(n->str, &v, &overflow) || overflow || v < min || v > max)
		return yn_bad_value(c, n, where, expected);
	*out = v;
	return 0;
}

/*
 * A size: a number (decimal or 0x hex) with an optional K, M, G or T suffix
 * (powers of 1024). returns 0, -1 (malformed), -2 (does not fit in 64 bits).
 */
int yn_parse_size(const char *s, uint64_t *out)
{
	char num[64];
	size_t len = strlen(s);
	unsigned shift = 0;
	if (len == 0 || len >= sizeof(num))
		return -1;
	memcpy(num, s, len + 1);
	switch (num[len - 1]) {
	case 'K': case 'k': shift = 10; break;
	case 'M': case 'm': shift = 20; break;
	case 'G': case 'g': shift = 30; break;
	case 'T': case 't': shift = 40; break;
	default: break;
	}
	if (shift)
		num[--len] = '\0';
	uint64_t v;
	bool overflow;
	if (!parse_u64(num, &v, &overflow))
		return -1;
	if (overflow || (shift && v > (UINT64_MAX >> shift)))
		return -2;
	*out = v << shift;
	return 0;
}

int yn_get_size(const struct yctx *c, const struct ynode *n, const char *where,
		uint64_t *out)
{
	int r = yn_is_scalar(n) ? yn_parse_size(n->str, out) : -1;
	if (r == -2)
		return yn_bad(c, n, "%s: \"%s\" does not fit in 64 bits", where, n->str);
	if (r)
		return yn_bad_value(c, n, where,
				    "a size (a number with an optional K, M, G or T suffix)");
	return 0;
}

/* Walk a mapping: reject non-scalar keys, unknown keys and duplicates. */
int yn_check_keys(const struct yctx *c, const struct ynode *map, const char *where,
		  const char *const *keys, size_t nkeys)
{
	char list[400] = "";
	for (size_t i = 0; i < map->n; i += 2) {
		const struct ynode *k = map->kids[i];
		if (k->kind != Y_SCALAR)
			return yn_bad(c, k, "%s%sexpected a key name, got %s", where,
				      *where ? ": " : "",
				      k->kind == Y_MAP ? "a mapping" : "a sequence");
		bool known = false;
		for (size_t j = 0; j < nkeys; j++)
			known |= strcmp(k->str, keys[j]) == 0;
		if (!known) {
			size_t off = 0;
			for (size_t j = 0; j < nkeys && off < sizeof(list); j++)
				off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
							j ? ", " : "", keys[j]);
			char d[64];
			return yn_bad(c, k, "%s%sunknown key %s: expected one of %s", where,
				      *where ? ": " : "", yn_describe(k, d, sizeof(d)), list);
		}
		for (size_t j = 0; j < i; j += 2) {
			if (strcmp(map->kids[j]->str, k->str) == 0)
				return yn_bad(c, k, "%s%sduplicate key \"%s\" (first at line %d)",
					      where, *where ? ": " : "", k->str,
					      map->kids[j]->line);
		}
	}
	return 0;
}

const struct ynode *yn_map_get(const struct ynode *map, const char *key)
{
	for (size_t i = 0; i + 1 < map->n; i += 2)
		if (strcmp(map->kids[i]->str, key) == 0)
			return map->kids[i + 1];
	return NULL;
}

int yn_expect_kind(const struct yctx *c, const struct ynode *n, const char *where,
		   enum ykind kind)
{
	if (n->kind == kind && !yn_is_null(n))
		return 0;
	return yn_bad_value(c, n, where, kind == Y_MAP ? "a mapping" : "a sequence");
}
