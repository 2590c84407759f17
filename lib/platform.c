// SPDX-License-Identifier: MIT
/*
 * Platform capability files (carveout-platform(5)): what the DT cannot say
 * about the kernel build and the hardware.
 *
 * A file is read with libyaml's event API into a small tree that keeps every
 * node's mark, checked against the format in document order (so the first
 * error in the file is the one reported), then applied on top of its base:
 * the platform named by `extends`, else the built-in generic profile of its
 * arch (lib/profiles.c: Debian 13's kernel configuration for that arch;
 * the debian12-* profiles keep Debian 12's).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libfdt.h>
#include <yaml.h>

#include "kconfig.h"
#include "util.h"

/* A platform file is a few KiB; a bigger input is not one and only costs time. */
#define PLAT_MAX_BYTES (1u << 20)
/* The format nests 4 deep (devices[].match.compatible); anything deeper is an error. */
#define PLAT_MAX_DEPTH 16
/* Chains of `extends` longer than this are a mistake, not a design. */
#define PLAT_MAX_EXTENDS 16
/* Entry caps keep the duplicate checks (quadratic) cheap on hostile input. */
#define PLAT_MAX_LIST 256
#define PLAT_MAX_DEVICES 4096
/* Longest platform name. */
#define PLAT_MAX_NAME 64

/* ------------------------------------------------------------------ arch names */

const char *cvo_arch_name(enum cvo_arch arch)
{
	switch (arch) {
	case CVO_ARCH_ARM: return "arm";
	case CVO_ARCH_ARM64: return "arm64";
	case CVO_ARCH_RISCV: return "riscv";
	case CVO_ARCH_POWERPC: return "powerpc";
	}
	return "?";
}

bool cvo_arch_parse(const char *name, enum cvo_arch *out)
{
	static const enum cvo_arch all[] = {
		CVO_ARCH_ARM, CVO_ARCH_ARM64, CVO_ARCH_RISCV, CVO_ARCH_POWERPC,
	};
	for (size_t i = 0; i < CVO_ARRAY_LEN(all); i++) {
		if (strcmp(name, cvo_arch_name(all[i])) == 0) {
			*out = all[i];
			return true;
		}
	}
	return false;
}

void cvo_platform_free(struct cvo_platform *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->file);
	for (size_t i = 0; i < p->n_compatible; i++)
		free(p->compatible[i]);
	free(p->compatible);
	for (size_t i = 0; i < p->n_sources; i++)
		free(p->sources[i]);
	free(p->sources);
	free(p->cmdline);
	free(p->memory);
	for (size_t i = 0; i < p->n_reserved; i++) {
		free(p->reserved[i].name);
		free(p->reserved[i].origin);
	}
	free(p->reserved);
	for (size_t i = 0; i < p->n_devices; i++) {
		free(p->devices[i].match_compatible);
		free(p->devices[i].match_path);
		free(p->devices[i].origin);
	}
	free(p->devices);
	free(p->extends);
	free(p->kver_release);
	free(p->profile);
	free(p->config_origin);
	for (size_t i = 0; i < CVO_ORIGIN_COUNT; i++)
		free(p->origin[i]);
	kc_symbols_free(p);
	free(p);
}

/* ------------------------------------------------------------------ YAML tree */

enum ykind { Y_SCALAR, Y_SEQ, Y_MAP };

struct ynode {
	enum ykind kind;
	int line, col;		/* 1-based */
	bool plain;		/* a scalar written without quotes */
	bool literal;		/* a literal block scalar (|) */
	char *str;		/* scalar text */
	size_t len;
	struct ynode **kids;	/* SEQ: items; MAP: key, value, key, value, ... */
	size_t n, cap;
};

static void ynode_free(struct ynode *n)
{
	if (!n)
		return;
	/* recursion is bounded by PLAT_MAX_DEPTH */
	for (size_t i = 0; i < n->n; i++)
		ynode_free(n->kids[i]);
	free(n->kids);
	free(n->str);
	free(n);
}

static int yaml_nomem(const char *file, struct cvo_error *err)
{
	return cvo_error_set(err, CVO_ERR_NOMEM, file, 0, 0, "out of memory");
}

static int yaml_syntax_error(const char *file, const yaml_parser_t *ps,
			     const unsigned char *buf, size_t len, struct cvo_error *err)
{
	if (ps->error == YAML_MEMORY_ERROR)
		return yaml_nomem(file, err);
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

/*
 * Read one YAML document into a tree. Aliases are refused (they would let a
 * small file expand into a huge one) and nesting is capped, so the tree and
 * every walk over it stay small. *out is NULL for an empty stream.
 */
static int yaml_read_tree(const char *file, const unsigned char *buf, size_t len,
			  struct ynode **out, struct cvo_error *err)
{
	yaml_parser_t ps;
	yaml_event_t ev;
	struct ynode *stack[PLAT_MAX_DEPTH];
	size_t depth = 0;
	struct ynode *root = NULL;
	int ndocs = 0, ret = 0;
	bool done = false;

	if (!yaml_parser_initialize(&ps))
		return yaml_nomem(file, err);
	yaml_parser_set_input_string(&ps, buf, len);
	while (!done && !ret) {
		if (!yaml_parser_parse(&ps, &ev)) {
			ret = yaml_syntax_error(file, &ps, buf, len, err);
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
				ret = yaml_nomem(file, err);
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
					ret = yaml_nomem(file, err);
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
					ret = yaml_nomem(file, err);
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
			if (depth == PLAT_MAX_DEPTH) {
				ret = cvo_error_set(err, CVO_ERR_INVALID, file, line, col,
						    "nesting deeper than %d levels",
						    PLAT_MAX_DEPTH);
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
		ynode_free(root);
		return ret;
	}
	*out = root;
	return 0;
}

/* ------------------------------------------------------------------ value checks */

struct pctx {
	const char *file;
	struct cvo_error *err;
	const char *shown;	/* how origins name the file (a bundled board by its file name) */
	const char *dir;	/* the file's folder, for kernel.config-file; NULL in memory */
};

static int bad(const struct pctx *c, const struct ynode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(const struct pctx *c, const struct ynode *n, const char *fmt, ...)
{
	char text[sizeof(((struct cvo_error *)0)->text)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return cvo_error_set(c->err, CVO_ERR_INVALID, c->file, n ? n->line : 0, n ? n->col : 0,
			     "%s", text);
}

static int nomem(const struct pctx *c)
{
	return cvo_error_set(c->err, CVO_ERR_NOMEM, c->file, 0, 0, "out of memory");
}

static bool is_null(const struct ynode *n)
{
	if (n->kind != Y_SCALAR || !n->plain)
		return false;
	return n->len == 0 || strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0 ||
	       strcmp(n->str, "Null") == 0 || strcmp(n->str, "NULL") == 0;
}

/* How a node reads in an error message: `"text"`, `a mapping`, `null`. */
static const char *describe(const struct ynode *n, char *buf, size_t len)
{
	if (n->kind == Y_MAP)
		return "a mapping";
	if (n->kind == Y_SEQ)
		return "a sequence";
	if (is_null(n))
		return "null";
	if (n->len > 40)
		snprintf(buf, len, "\"%.37s...\"", n->str);
	else
		snprintf(buf, len, "\"%s\"", n->str);
	return buf;
}

static int bad_value(const struct pctx *c, const struct ynode *n, const char *where,
		     const char *expected)
{
	char d[64];
	return bad(c, n, "%s: expected %s, got %s", where, expected, describe(n, d, sizeof(d)));
}

static bool is_scalar(const struct ynode *n)
{
	return n->kind == Y_SCALAR && !is_null(n);
}

static int get_string(const struct pctx *c, const struct ynode *n, const char *where,
		      bool allow_empty, char **out)
{
	if (!is_scalar(n) || (!allow_empty && n->len == 0))
		return bad_value(c, n, where, allow_empty ? "a string" : "a non-empty string");
	char *s = cvo_strdup(n->str);
	if (!s)
		return nomem(c);
	*out = s;
	return 0;
}

static bool valid_name(const char *s)
{
	size_t len = strlen(s);
	if (len == 0 || len > PLAT_MAX_NAME || s[0] == '.')
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (!isalnum(ch) && ch != '.' && ch != '_' && ch != '-')
			return false;
	}
	return true;
}

static int get_name(const struct pctx *c, const struct ynode *n, const char *where, char **out)
{
	if (!is_scalar(n) || !valid_name(n->str))
		return bad_value(c, n, where,
				 "a name of up to 64 letters, digits, '.', '_' and '-'");
	return get_string(c, n, where, false, out);
}

static int get_bool(const struct pctx *c, const struct ynode *n, const char *where, int *out)
{
	if (n->kind == Y_SCALAR && n->plain && strcmp(n->str, "true") == 0)
		*out = 1;
	else if (n->kind == Y_SCALAR && n->plain && strcmp(n->str, "false") == 0)
		*out = 0;
	else
		return bad_value(c, n, where, "true or false");
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

static int get_uint(const struct pctx *c, const struct ynode *n, const char *where,
		    uint64_t min, uint64_t max, uint64_t *out)
{
	char expected[80];
	uint64_t v;
	bool overflow;
	snprintf(expected, sizeof(expected), "a number from %llu to %llu",
		 (unsigned long long)min, (unsigned long long)max);
	if (!is_scalar(n) || !parse_u64(n->str, &v, &overflow) || overflow || v < min || v > max)
		return bad_value(c, n, where, expected);
	*out = v;
	return 0;
}

/*
 * A size: a number (decimal or 0x hex) with an optional K, M, G or T suffix
 * (powers of 1024). returns 0, -1 (malformed), -2 (does not fit in 64 bits).
 */
static int parse_size(const char *s, uint64_t *out)
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

static int get_size(const struct pctx *c, const struct ynode *n, const char *where,
		    uint64_t *out)
{
	int r = is_scalar(n) ? parse_size(n->str, out) : -1;
	if (r == -2)
		return bad(c, n, "%s: \"%s\" does not fit in 64 bits", where, n->str);
	if (r)
		return bad_value(c, n, where,
				 "a size (a number with an optional K, M, G or T suffix)");
	return 0;
}

/* Walk a mapping: reject non-scalar keys, unknown keys and duplicates. */
static int check_keys(const struct pctx *c, const struct ynode *map, const char *where,
		      const char *const *keys, size_t nkeys)
{
	char list[400] = "";
	for (size_t i = 0; i < map->n; i += 2) {
		const struct ynode *k = map->kids[i];
		if (k->kind != Y_SCALAR)
			return bad(c, k, "%s%sexpected a key name, got %s", where,
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
			return bad(c, k, "%s%sunknown key %s: expected one of %s", where,
				   *where ? ": " : "", describe(k, d, sizeof(d)), list);
		}
		for (size_t j = 0; j < i; j += 2) {
			if (strcmp(map->kids[j]->str, k->str) == 0)
				return bad(c, k, "%s%sduplicate key \"%s\" (first at line %d)",
					   where, *where ? ": " : "", k->str,
					   map->kids[j]->line);
		}
	}
	return 0;
}

static const struct ynode *map_get(const struct ynode *map, const char *key)
{
	for (size_t i = 0; i + 1 < map->n; i += 2)
		if (strcmp(map->kids[i]->str, key) == 0)
			return map->kids[i + 1];
	return NULL;
}

static int expect_kind(const struct pctx *c, const struct ynode *n, const char *where,
		       enum ykind kind)
{
	if (n->kind == kind && !is_null(n))
		return 0;
	return bad_value(c, n, where, kind == Y_MAP ? "a mapping" : "a sequence");
}

/* ------------------------------------------------------------------ kernel command line */

struct cmdline_parsed {
	bool has_cma;
	uint64_t cma_size, cma_base, cma_limit;
	bool has_coherent_pool;
	uint64_t coherent_pool;
	bool has_mem, has_mem_base;
	uint64_t mem, mem_base;
};

/*
 * lib/cmdline.c memparse(): simple_strtoull(s, 0) (0x hex, leading 0 octal,
 * else decimal) then an optional K, M, G, T, P or E suffix (either case).
 * returns 0, -1 (no number), -2 (does not fit in 64 bits; the kernel wraps).
 */
static int memparse_checked(const char *s, const char **end, uint64_t *out)
{
	unsigned base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && isxdigit((unsigned char)s[2])) {
		base = 16;
		s += 2;
	} else if (s[0] == '0') {
		base = 8;
	}
	uint64_t v = 0;
	bool any = false, overflow = false;
	for (;; s++) {
		unsigned d;
		int ch = tolower((unsigned char)*s);
		if (ch >= '0' && ch <= '9')
			d = (unsigned)(ch - '0');
		else if (ch >= 'a' && ch <= 'f')
			d = (unsigned)(ch - 'a' + 10);
		else
			break;
		if (d >= base)
			break;
		any = true;
		if (v > (UINT64_MAX - d) / base)
			overflow = true;
		else
			v = v * base + d;
	}
	if (!any)
		return -1;
	unsigned shift = 0;
	switch (*s) {
	case 'E': case 'e': shift += 10; /* fall through */
	case 'P': case 'p': shift += 10; /* fall through */
	case 'T': case 't': shift += 10; /* fall through */
	case 'G': case 'g': shift += 10; /* fall through */
	case 'M': case 'm': shift += 10; /* fall through */
	case 'K': case 'k': shift += 10; s++; break;
	default: break;
	}
	if (overflow || (shift && v > (UINT64_MAX >> shift)))
		return -2;
	*out = v << shift;
	*end = s;
	return 0;
}

/* parameq(): the kernel treats '-' and '_' in parameter names alike. */
static bool param_eq(const char *a, size_t alen, const char *b)
{
	if (alen != strlen(b))
		return false;
	for (size_t i = 0; i < alen; i++) {
		char x = a[i] == '-' ? '_' : a[i], y = b[i] == '-' ? '_' : b[i];
		if (x != y)
			return false;
	}
	return true;
}

static int cmdline_bad(const struct pctx *c, const struct ynode *n, const char *shown,
		       const char *what)
{
	return bad(c, n, "kernel.cmdline: \"%.200s\": %s", shown, what);
}

/* One early parameter's value; the kernel ignores what follows, carveout refuses it. */
static int cmdline_size(const struct pctx *c, const struct ynode *n, const char *shown,
			const char **p, uint64_t *out, const char *expected)
{
	int r = memparse_checked(*p, p, out);
	if (r == -2)
		return cmdline_bad(c, n, shown, "value does not fit in 64 bits");
	if (r)
		return cmdline_bad(c, n, shown, expected);
	return 0;
}

static int cmdline_cma(const struct pctx *c, const struct ynode *n, const char *shown,
		       const char *p, struct cmdline_parsed *cl)
{
	/* kernel/dma/contiguous.c early_cma(): size[@base[-limit]] */
	static const char exp[] = "expected cma=SIZE[@BASE[-LIMIT]]";
	uint64_t size, base = 0, limit = 0;
	int r;
	if (!p)
		return cmdline_bad(c, n, shown, exp);
	if ((r = cmdline_size(c, n, shown, &p, &size, exp)))
		return r;
	if (*p == '@') {
		p++;
		if ((r = cmdline_size(c, n, shown, &p, &base, exp)))
			return r;
		if (*p == '-') {
			p++;
			if ((r = cmdline_size(c, n, shown, &p, &limit, exp)))
				return r;
		} else if (base > UINT64_MAX - size) {
			return cmdline_bad(c, n, shown, "base + size is beyond 2^64");
		} else {
			/* early_cma(): a base without a limit fixes the area at base */
			limit = base + size;
		}
	}
	if (*p)
		return cmdline_bad(c, n, shown, exp);
	cl->has_cma = true;
	cl->cma_size = size;
	cl->cma_base = base;
	cl->cma_limit = limit;
	return 0;
}

static int cmdline_coherent_pool(const struct pctx *c, const struct ynode *n, const char *shown,
				 const char *p, struct cmdline_parsed *cl)
{
	/* kernel/dma/pool.c and arch/arm/mm/dma-mapping.c early_coherent_pool() */
	static const char exp[] = "expected coherent_pool=SIZE";
	uint64_t size;
	int r;
	if (!p)
		return cmdline_bad(c, n, shown, exp);
	if ((r = cmdline_size(c, n, shown, &p, &size, exp)))
		return r;
	if (*p)
		return cmdline_bad(c, n, shown, exp);
	cl->has_coherent_pool = true;
	cl->coherent_pool = size;
	return 0;
}

static int cmdline_mem(const struct pctx *c, const struct ynode *n, const char *shown,
		       const char *p, struct cmdline_parsed *cl)
{
	/* arch/arm64/mm/init.c early_mem(): size; arch/arm/kernel/setup.c: size[@start] */
	static const char exp[] = "expected mem=SIZE[@START]";
	uint64_t size, start = 0;
	bool has_start = false;
	int r;
	if (!p)
		return cmdline_bad(c, n, shown, exp);
	if ((r = cmdline_size(c, n, shown, &p, &size, exp)))
		return r;
	if (*p == '@') {
		p++;
		if ((r = cmdline_size(c, n, shown, &p, &start, exp)))
			return r;
		has_start = true;
	}
	if (*p)
		return cmdline_bad(c, n, shown, exp);
	cl->has_mem = true;
	cl->mem = size;
	cl->has_mem_base = has_start;
	cl->mem_base = start;
	return 0;
}

/*
 * Split a command line as the kernel's next_arg() does (whitespace outside
 * double quotes; a quote opening a parameter or its value is dropped with the
 * token's closing one; "--" ends the kernel's part) and pick up cma=,
 * coherent_pool= and mem=. A later one wins, as when the kernel parses them
 * in order.
 */
static int cmdline_parse(const struct pctx *c, const struct ynode *n, const char *cmdline,
			 struct cmdline_parsed *cl)
{
	char *buf = cvo_strdup(cmdline), *shown = cvo_strdup(cmdline);
	int ret = 0;
	memset(cl, 0, sizeof(*cl));
	if (!buf || !shown) {
		ret = nomem(c);
		goto out;
	}
	for (size_t i = 0; buf[i];) {
		while (buf[i] && isspace((unsigned char)buf[i]))
			i++;
		if (!buf[i])
			break;
		size_t start = i;
		bool in_quote = false;
		while (buf[i] && (in_quote || !isspace((unsigned char)buf[i]))) {
			if (buf[i] == '"')
				in_quote = !in_quote;
			i++;
		}
		size_t end = i;
		if (buf[i])
			i++;
		buf[end] = shown[end] = '\0';
		char *tok = buf + start;
		if (strcmp(tok, "--") == 0)
			break;
		if (tok[0] == '"') {
			tok++;
			if (end > start + 1 && buf[end - 1] == '"')
				buf[end - 1] = '\0';
		}
		char *val = strchr(tok, '=');
		if (val) {
			*val++ = '\0';
			if (*val == '"') {
				val++;
				size_t vl = strlen(val);
				if (vl && val[vl - 1] == '"')
					val[vl - 1] = '\0';
			}
		}
		const char *what = shown + start;
		size_t tl = strlen(tok);
		if (param_eq(tok, tl, "cma"))
			ret = cmdline_cma(c, n, what, val, cl);
		else if (param_eq(tok, tl, "coherent_pool"))
			ret = cmdline_coherent_pool(c, n, what, val, cl);
		else if (param_eq(tok, tl, "mem"))
			ret = cmdline_mem(c, n, what, val, cl);
		if (ret)
			break;
	}
out:
	free(buf);
	free(shown);
	return ret;
}

/* ------------------------------------------------------------------ one file's content */

struct layer {
	const struct ynode *root;
	char *platform;
	char *extends;
	const struct ynode *extends_n;
	bool has_arch;
	enum cvo_arch arch;
	const struct ynode *arch_n;
	bool has_page_size;
	uint32_t page_size;
	const struct ynode *page_size_n;
	const char *page_size_text;	/* as written */
	bool has_version;
	int kmaj, kmin, kpatch;
	char *release;
	bool has_cfg_file, has_cfg_map;
	struct kc_set cfg_file;	/* kernel.config-file: a whole configuration */
	const struct kc_set *whole; /* the whole configuration to apply: &cfg_file, --config */
	struct kc_set cfg_map;	/* kernel.config: symbols over the base's */
	/* where each value was written, for cvo_platform.origin[] */
	char *origin[CVO_ORIGIN_COUNT];
	bool has_cmdline;
	char *cmdline;
	struct cmdline_parsed cl;
	bool has_compat;
	char **compat;
	size_t n_compat;
	bool has_sources;
	char **sources;
	size_t n_sources;
	bool has_memory;
	struct cvo_range *memory;
	size_t n_memory;
	bool has_reserved;
	struct cvo_named_range *reserved;
	size_t n_reserved;
	bool has_devices;
	struct cvo_platform_device *devices;
	size_t n_devices;
};

static void layer_fini(struct layer *l)
{
	free(l->platform);
	free(l->extends);
	free(l->cmdline);
	free(l->release);
	kc_set_fini(&l->cfg_file);
	kc_set_fini(&l->cfg_map);
	for (size_t i = 0; i < CVO_ORIGIN_COUNT; i++)
		free(l->origin[i]);
	for (size_t i = 0; i < l->n_compat; i++)
		free(l->compat[i]);
	free(l->compat);
	for (size_t i = 0; i < l->n_sources; i++)
		free(l->sources[i]);
	free(l->sources);
	free(l->memory);
	for (size_t i = 0; i < l->n_reserved; i++) {
		free(l->reserved[i].name);
		free(l->reserved[i].origin);
	}
	free(l->reserved);
	for (size_t i = 0; i < l->n_devices; i++) {
		free(l->devices[i].match_compatible);
		free(l->devices[i].match_path);
		free(l->devices[i].origin);
	}
	free(l->devices);
}

/* Record where a layer's value was written: "FILE:LINE". */
static int note_origin(const struct pctx *c, struct layer *l, enum cvo_origin which,
		       const struct ynode *n)
{
	char *o = n ? cvo_asprintf("%s:%d", c->shown ? c->shown : c->file, n->line)
		    : cvo_strdup(c->shown ? c->shown : c->file);
	if (!o)
		return nomem(c);
	free(l->origin[which]);
	l->origin[which] = o;
	return 0;
}

static int parse_string_list(const struct pctx *c, const struct ynode *n, const char *where,
			     char ***out, size_t *nout)
{
	int r = expect_kind(c, n, where, Y_SEQ);
	if (r)
		return r;
	if (n->n > PLAT_MAX_LIST)
		return bad(c, n, "%s: more than %d entries", where, PLAT_MAX_LIST);
	char **v = calloc(n->n ? n->n : 1, sizeof(char *));
	if (!v)
		return nomem(c);
	*out = v;
	for (size_t i = 0; i < n->n; i++) {
		char w[64];
		snprintf(w, sizeof(w), "%s[%zu]", where, i);
		if ((r = get_string(c, n->kids[i], w, false, &v[i])))
			return r;
		(*nout)++;
	}
	return 0;
}

/* "6.12", "6.12.117", uname -r style "6.12.117+deb13-arm64" or "6.1.0-50-arm64". */
static int parse_version(const struct pctx *c, const struct ynode *n, struct layer *l)
{
	int maj, min, patch;
	if (!is_scalar(n) || !kc_parse_release(n->str, &maj, &min, &patch))
		return bad_value(c, n, "kernel.version",
				 "a version \"MAJOR.MINOR[.PATCH]\" such as \"6.12\", or "
				 "`uname -r` such as \"6.12.117+deb13-arm64\"");
	l->has_version = true;
	l->kmaj = maj;
	l->kmin = min;
	l->kpatch = patch;
	free(l->release);
	l->release = cvo_strdup(n->str);
	if (!l->release)
		return nomem(c);
	return note_origin(c, l, CVO_ORIGIN_VERSION, n);
}

/*
 * kernel.config: a mapping of symbols (NAME or CONFIG_NAME: y, m, n, a number
 * or a string), or a literal block (|) holding .config text. Either lays its
 * symbols over the base's; symbols carveout does not model are kept.
 */
static int parse_config(const struct pctx *c, const struct ynode *n, struct layer *l)
{
	struct kc_set *s = &l->cfg_map;
	kc_set_init(s, c->file);
	l->has_cfg_map = true;
	int r = kc_set_origin(s, c->shown ? c->shown : c->file, c->err);
	if (r)
		return r;
	if (n->kind == Y_SCALAR && n->literal) {
		/* the block's text starts on the line after the '|' */
		r = kc_parse_text(s, n->str, n->len, n->line + 1, c->err);
		return r ? r : kc_set_sort(s, false, c->err);
	}
	if (n->kind != Y_MAP || is_null(n))
		return bad_value(c, n, "kernel.config",
				 "a mapping of Kconfig symbols, or .config text in a | block");
	for (size_t i = 0; i < n->n; i += 2) {
		const struct ynode *k = n->kids[i], *v = n->kids[i + 1];
		char where[200];
		if (k->kind != Y_SCALAR)
			return bad(c, k, "kernel.config: expected a key name, got %s",
				   k->kind == Y_MAP ? "a mapping" : "a sequence");
		snprintf(where, sizeof(where), "kernel.config.%.150s", k->str);
		if (!is_scalar(v))
			return bad_value(c, v, where, "y, m, n, a number or a string");
		if ((r = kc_set_add(s, k->str, v->str, v->line, v->col, k->col, c->err)))
			return r;
	}
	/* NAME and CONFIG_NAME are one symbol: written twice is a mistake */
	return kc_set_sort(s, true, c->err);
}

/* kernel.config-file: a .config beside the platform file (a path relative to it). */
static int parse_config_file(const struct pctx *c, const struct ynode *n, struct layer *l)
{
	char *rel = NULL;
	int r = get_string(c, n, "kernel.config-file", false, &rel);
	if (r)
		return r;
	kc_set_init(&l->cfg_file, c->file);
	l->has_cfg_file = true;
	if (!c->dir) {
		free(rel);
		return bad(c, n, "kernel.config-file: a platform file read from memory has no "
			   "folder to find \"%.200s\" in", n->str);
	}
	char *path = rel[0] == '/' ? cvo_strdup(rel) : cvo_asprintf("%s/%s", c->dir, rel);
	char *shown = rel[0] == '/' || !c->shown || !strchr(c->shown, '/')
			      ? cvo_strdup(rel) : cvo_asprintf("%s/%s", c->dir, rel);
	free(rel);
	if (!path || !shown) {
		free(path);
		free(shown);
		return nomem(c);
	}
	/* errors name the .config (file:line); the platform file's line is in the origins */
	r = kc_read_file(path, shown, &l->cfg_file, c->err);
	l->whole = &l->cfg_file;
	free(path);
	free(shown);
	return r;
}

static int parse_kernel(const struct pctx *c, const struct ynode *n, struct layer *l)
{
	static const char *const keys[] = { "version", "config", "config-file", "cmdline" };
	int r = expect_kind(c, n, "kernel", Y_MAP);
	if (!r)
		r = check_keys(c, n, "kernel", keys, CVO_ARRAY_LEN(keys));
	if (r)
		return r;
	for (size_t i = 0; i < n->n; i += 2) {
		const char *k = n->kids[i]->str;
		const struct ynode *v = n->kids[i + 1];
		if (strcmp(k, "version") == 0) {
			r = parse_version(c, v, l);
		} else if (strcmp(k, "config") == 0) {
			r = parse_config(c, v, l);
		} else if (strcmp(k, "config-file") == 0) {
			r = parse_config_file(c, v, l);
		} else {
			r = get_string(c, v, "kernel.cmdline", true, &l->cmdline);
			if (!r)
				r = cmdline_parse(c, v, l->cmdline, &l->cl);
			if (!r)
				r = note_origin(c, l, CVO_ORIGIN_CMDLINE, v);
			l->has_cmdline = true;
		}
		if (r)
			return r;
	}
	return 0;
}

static int parse_memory(const struct pctx *c, const struct ynode *n, struct layer *l)
{
	static const char *const keys[] = { "base", "size" };
	int r = expect_kind(c, n, "memory", Y_SEQ);
	if (r)
		return r;
	if (n->n > PLAT_MAX_LIST)
		return bad(c, n, "memory: more than %d entries", PLAT_MAX_LIST);
	l->memory = calloc(n->n ? n->n : 1, sizeof(*l->memory));
	if (!l->memory)
		return nomem(c);
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *e = n->kids[i];
		char where[64], w2[128];
		snprintf(where, sizeof(where), "memory[%zu]", i);
		if ((r = expect_kind(c, e, where, Y_MAP)) ||
		    (r = check_keys(c, e, where, keys, CVO_ARRAY_LEN(keys))))
			return r;
		struct cvo_range *m = &l->memory[i];
		for (size_t k = 0; k < CVO_ARRAY_LEN(keys); k++) {
			const struct ynode *v = map_get(e, keys[k]);
			if (!v)
				return bad(c, e, "%s: missing required key \"%s\"", where, keys[k]);
			snprintf(w2, sizeof(w2), "%s.%s", where, keys[k]);
			if ((r = get_size(c, v, w2, k ? &m->size : &m->base)))
				return r;
		}
		uint64_t last;
		if (m->size == 0)
			return bad(c, map_get(e, "size"), "%s.size: must not be 0", where);
		if (!cvo_range_end(m->base, m->size, &last))
			return bad(c, e, "%s: base + size is beyond 2^64", where);
		l->n_memory++;
	}
	return 0;
}

static int parse_reserved(const struct pctx *c, const struct ynode *n, struct layer *l)
{
	static const char *const keys[] = { "name", "base", "size" };
	int r = expect_kind(c, n, "reserved", Y_SEQ);
	if (r)
		return r;
	if (n->n > PLAT_MAX_LIST)
		return bad(c, n, "reserved: more than %d entries", PLAT_MAX_LIST);
	l->reserved = calloc(n->n ? n->n : 1, sizeof(*l->reserved));
	if (!l->reserved)
		return nomem(c);
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *e = n->kids[i];
		char where[64], w2[128];
		snprintf(where, sizeof(where), "reserved[%zu]", i);
		if ((r = expect_kind(c, e, where, Y_MAP)) ||
		    (r = check_keys(c, e, where, keys, CVO_ARRAY_LEN(keys))))
			return r;
		struct cvo_named_range *m = &l->reserved[i];
		m->origin = cvo_asprintf("%s:%d", c->shown ? c->shown : c->file, e->line);
		l->n_reserved = i + 1; /* m->origin is owned from here */
		if (!m->origin)
			return nomem(c);
		for (size_t k = 0; k < CVO_ARRAY_LEN(keys); k++) {
			if (!map_get(e, keys[k]))
				return bad(c, e, "%s: missing required key \"%s\"", where, keys[k]);
		}
		for (size_t k = 0; k < e->n; k += 2) {
			const char *key = e->kids[k]->str;
			const struct ynode *v = e->kids[k + 1];
			snprintf(w2, sizeof(w2), "%s.%s", where, key);
			if (strcmp(key, "name") == 0) {
				r = get_string(c, v, w2, false, &m->name);
				l->n_reserved = i + 1; /* m->name is owned from here */
				for (size_t j = 0; !r && j < i; j++) {
					if (strcmp(l->reserved[j].name, m->name) == 0)
						r = bad(c, v, "%s: duplicate name \"%s\" "
							"(first in reserved[%zu])", w2, m->name, j);
				}
			} else {
				bool base = strcmp(key, "base") == 0;
				r = get_size(c, v, w2, base ? &m->base : &m->size);
			}
			if (r)
				return r;
		}
		uint64_t last;
		if (m->size == 0)
			return bad(c, map_get(e, "size"), "%s.size: must not be 0", where);
		if (!cvo_range_end(m->base, m->size, &last))
			return bad(c, e, "%s: base + size is beyond 2^64", where);
		l->n_reserved = i + 1;
	}
	return 0;
}

static int parse_match(const struct pctx *c, const struct ynode *n, const char *where,
		       struct cvo_platform_device *d)
{
	static const char *const keys[] = { "compatible", "path" };
	int r = expect_kind(c, n, where, Y_MAP);
	if (!r)
		r = check_keys(c, n, where, keys, CVO_ARRAY_LEN(keys));
	if (r)
		return r;
	const struct ynode *compat = map_get(n, "compatible"), *path = map_get(n, "path");
	if (compat && path)
		return bad(c, n, "%s: expected exactly one of compatible or path, got both", where);
	if (!compat && !path)
		return bad(c, n, "%s: expected exactly one of compatible or path, got neither",
			   where);
	char w2[160];
	if (compat) {
		snprintf(w2, sizeof(w2), "%s.compatible", where);
		return get_string(c, compat, w2, false, &d->match_compatible);
	}
	snprintf(w2, sizeof(w2), "%s.path", where);
	if (!is_scalar(path) || path->str[0] != '/')
		return bad_value(c, path, w2, "an absolute node path such as \"/soc/scm\"");
	return get_string(c, path, w2, false, &d->match_path);
}

static bool same_match(const struct cvo_platform_device *a, const struct cvo_platform_device *b)
{
	if (a->match_compatible && b->match_compatible)
		return strcmp(a->match_compatible, b->match_compatible) == 0;
	if (a->match_path && b->match_path)
		return strcmp(a->match_path, b->match_path) == 0;
	return false;
}

/* attach: all, or a list of memory-region indices (below 64) the driver attaches. */
static int get_attach(const struct pctx *c, const struct ynode *n, const char *where,
		      struct cvo_platform_device *d)
{
	d->has_attach = true;
	if (is_scalar(n) && !strcmp(n->str, "all")) {
		d->attach_all = true;
		return 0;
	}
	if (n->kind != Y_SEQ)
		return bad_value(c, n, where, "all, or a list of memory-region indices such as [0, 1]");
	for (size_t i = 0; i < n->n; i++) {
		char w[160];
		uint64_t idx;
		snprintf(w, sizeof(w), "%s[%zu]", where, i);
		int r = get_uint(c, n->kids[i], w, 0, 63, &idx);
		if (r)
			return r;
		d->attach_mask |= UINT64_C(1) << idx;
	}
	return 0;
}

static int parse_devices(const struct pctx *c, const struct ynode *n, struct layer *l)
{
	static const char *const keys[] = {
		"match", "dma-bits", "coherent", "iommu", "cma", "small-allocs", "atomic",
		"firmware-owned", "attach",
	};
	int r = expect_kind(c, n, "devices", Y_SEQ);
	if (r)
		return r;
	if (n->n > PLAT_MAX_DEVICES)
		return bad(c, n, "devices: more than %d entries", PLAT_MAX_DEVICES);
	l->devices = calloc(n->n ? n->n : 1, sizeof(*l->devices));
	if (!l->devices)
		return nomem(c);
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *e = n->kids[i];
		char where[64], w2[128];
		snprintf(where, sizeof(where), "devices[%zu]", i);
		if ((r = expect_kind(c, e, where, Y_MAP)) ||
		    (r = check_keys(c, e, where, keys, CVO_ARRAY_LEN(keys))))
			return r;
		struct cvo_platform_device *d = &l->devices[i];
		l->n_devices = i + 1; /* owned (and freed) from here */
		d->coherent = d->iommu = d->small_allocs = d->firmware_owned = CVO_UNSET;
		d->line = e->line;
		const struct ynode *match = map_get(e, "match");
		if (!match)
			return bad(c, e, "%s: missing required key \"match\"", where);
		for (size_t k = 0; k < e->n; k += 2) {
			const char *key = e->kids[k]->str;
			const struct ynode *v = e->kids[k + 1];
			snprintf(w2, sizeof(w2), "%s.%s", where, key);
			if (strcmp(key, "match") == 0) {
				r = parse_match(c, v, w2, d);
				for (size_t j = 0; !r && j < i; j++) {
					if (same_match(&l->devices[j], d))
						r = bad(c, v, "%s: same match as devices[%zu] "
							"(line %d)", w2, j, l->devices[j].line);
				}
			} else if (strcmp(key, "dma-bits") == 0) {
				uint64_t bits = 0;
				r = get_uint(c, v, w2, 1, 64, &bits);
				d->dma_bits = (int)bits;
			} else if (strcmp(key, "coherent") == 0) {
				r = get_bool(c, v, w2, &d->coherent);
			} else if (strcmp(key, "iommu") == 0) {
				r = get_bool(c, v, w2, &d->iommu);
			} else if (strcmp(key, "small-allocs") == 0) {
				r = get_bool(c, v, w2, &d->small_allocs);
			} else if (strcmp(key, "firmware-owned") == 0) {
				r = get_bool(c, v, w2, &d->firmware_owned);
			} else if (strcmp(key, "attach") == 0) {
				r = get_attach(c, v, w2, d);
			} else if (strcmp(key, "cma") == 0) {
				r = get_size(c, v, w2, &d->cma);
				d->has_cma = true;
			} else {
				r = get_size(c, v, w2, &d->atomic);
			}
			if (r)
				return r;
		}
	}
	return 0;
}

static int page_size_of(const struct pctx *c, const struct ynode *n, uint32_t *out)
{
	uint64_t v;
	if (!is_scalar(n) || parse_size(n->str, &v) || (v != 4096 && v != 16384 && v != 65536))
		return bad_value(c, n, "page-size", "4K, 16K or 64K");
	*out = (uint32_t)v;
	return 0;
}

/* Check one file's document against the format, in document order. */
static int layer_parse(const struct pctx *c, const struct ynode *root, struct layer *l)
{
	static const char *const keys[] = {
		"platform", "extends", "compatible", "sources", "arch", "page-size", "kernel",
		"memory", "reserved", "devices",
	};
	if (!root)
		return cvo_error_set(c->err, CVO_ERR_INVALID, c->file, 1, 1,
				     "expected a mapping, got an empty document");
	int r = expect_kind(c, root, "platform file", Y_MAP);
	if (!r)
		r = check_keys(c, root, "", keys, CVO_ARRAY_LEN(keys));
	if (r)
		return r;
	l->root = root;
	for (size_t i = 0; i < root->n; i += 2) {
		const char *k = root->kids[i]->str;
		const struct ynode *v = root->kids[i + 1];
		if (strcmp(k, "platform") == 0) {
			r = get_name(c, v, "platform", &l->platform);
		} else if (strcmp(k, "extends") == 0) {
			r = get_name(c, v, "extends", &l->extends);
			l->extends_n = v;
		} else if (strcmp(k, "compatible") == 0) {
			r = parse_string_list(c, v, "compatible", &l->compat, &l->n_compat);
			l->has_compat = true;
			if (!r)
				r = note_origin(c, l, CVO_ORIGIN_COMPATIBLE, v);
			/* [qcom,sc7180] is two entries in YAML: a comma separates them */
			for (size_t j = 0; !r && j < l->n_compat; j++) {
				if (!strchr(l->compat[j], ','))
					r = bad(c, v->kids[j], "compatible[%zu]: expected a "
						"\"vendor,model\" compatible (quote it inside "
						"[...]), got \"%s\"", j, l->compat[j]);
			}
		} else if (strcmp(k, "sources") == 0) {
			r = parse_string_list(c, v, "sources", &l->sources, &l->n_sources);
			l->has_sources = true;
		} else if (strcmp(k, "arch") == 0) {
			if (!is_scalar(v) || !cvo_arch_parse(v->str, &l->arch))
				r = bad_value(c, v, "arch", "arm, arm64, riscv or powerpc");
			l->has_arch = true;
			l->arch_n = v;
			if (!r)
				r = note_origin(c, l, CVO_ORIGIN_ARCH, v);
		} else if (strcmp(k, "page-size") == 0) {
			r = page_size_of(c, v, &l->page_size);
			l->has_page_size = true;
			l->page_size_n = v;
			l->page_size_text = v->str;
			if (!r)
				r = note_origin(c, l, CVO_ORIGIN_PAGE_SIZE, v);
		} else if (strcmp(k, "kernel") == 0) {
			r = parse_kernel(c, v, l);
		} else if (strcmp(k, "memory") == 0) {
			r = parse_memory(c, v, l);
			l->has_memory = true;
			if (!r)
				r = note_origin(c, l, CVO_ORIGIN_MEMORY, v);
		} else if (strcmp(k, "reserved") == 0) {
			r = parse_reserved(c, v, l);
			l->has_reserved = true;
		} else {
			r = parse_devices(c, v, l);
			l->has_devices = true;
		}
		if (r)
			return r;
	}
	if (!l->platform)
		return bad(c, root, "missing required key \"platform\"");
	if (!l->has_arch && !l->extends)
		return bad(c, root, "missing required key \"arch\"");
	return 0;
}

/* ------------------------------------------------------------------ CMA alignment */

static int page_shift_of(uint32_t page_size)
{
	int s = 0;
	while (s < 31 && (1u << s) < page_size)
		s++;
	return s;
}

/*
 * HUGETLB_PAGE_ORDER (== HPAGE_PMD_ORDER here): arm64 PMD_SHIFT - PAGE_SHIFT =
 * PAGE_SHIFT - 3 (a table page holds PAGE_SIZE / 8 entries: 2 MiB, 32 MiB,
 * 512 MiB for 4K, 16K, 64K pages); arm LPAE, riscv and powerpc radix map
 * 2 MiB at the PMD level.
 */
static int huge_order(enum cvo_arch arch, int page_shift)
{
	if (arch == CVO_ARCH_ARM64)
		return page_shift - 3;
	return page_shift < 21 ? 21 - page_shift : 0;
}

/* MAX_PAGE_ORDER (MAX_ORDER - 1 before 6.4) when ARCH_FORCE_MAX_ORDER is left at its default. */
static int default_max_page_order(enum cvo_arch arch, uint32_t page_size)
{
	switch (arch) {
	case CVO_ARCH_ARM64:
		/* arch/arm64/Kconfig ARCH_FORCE_MAX_ORDER: 14/12/11 (6.1) for 64K/16K/4K */
		return page_size == 65536 ? 13 : page_size == 16384 ? 11 : 10;
	case CVO_ARCH_POWERPC:
		/* arch/powerpc/Kconfig: 9 for PPC64 && PPC_64K_PAGES (6.1); guess otherwise */
		return page_size == 65536 ? 8 : 10;
	case CVO_ARCH_ARM:
	case CVO_ARCH_RISCV:
		break;
	}
	return 10; /* include/linux/mmzone.h: MAX_ORDER 11 (6.1) */
}

static int max_page_order(const struct cvo_platform *p)
{
	return p->max_page_order > 0 ? p->max_page_order
				     : default_max_page_order(p->arch, p->page_size);
}

/*
 * CMA_MIN_ALIGNMENT_BYTES as the platform's kernel computes it:
 * - before 5.19, rmem_cma_setup() / cma_init_reserved_mem() use
 *   PAGE_SIZE << max(MAX_ORDER - 1, pageblock_order);
 * - from 5.19 (11ac3e87ce09 "mm: cma: use pageblock_order as the single
 *   alignment") include/linux/cma.h uses PAGE_SIZE * pageblock_nr_pages, where
 *   include/linux/pageblock-flags.h sets pageblock_order to
 *   min(HUGETLB_PAGE_ORDER, MAX_PAGE_ORDER) with CONFIG_HUGETLB_PAGE, to
 *   min(HPAGE_PMD_ORDER, MAX_PAGE_ORDER) with only CONFIG_TRANSPARENT_HUGEPAGE
 *   (6.10+, "mm: set pageblock_order to HPAGE_PMD_ORDER in case with
 *   !CONFIG_HUGETLB_PAGE but THP enabled"), else MAX_PAGE_ORDER; 6.16 caps the
 *   result by CONFIG_PAGE_BLOCK_ORDER (default MAX_PAGE_ORDER).
 */
uint64_t cvo_platform_cma_min_align(const struct cvo_platform *p)
{
	uint32_t page_size = p->page_size ? p->page_size : 4096;
	int shift = page_shift_of(page_size);
	int maxo = max_page_order(p);
	int hp = huge_order(p->arch, shift);
	int order;

	if (!cvo_platform_kver_ge(p, 5, 19)) {
		int pb = p->config.hugetlb_page == 1 ? hp : maxo;
		order = pb > maxo ? pb : maxo;
	} else {
		int cap = maxo;
		if (cvo_platform_kver_ge(p, 6, 16) && p->config.page_block_order > 0 &&
		    p->config.page_block_order < cap)
			cap = p->config.page_block_order;
		if (p->config.hugetlb_page == 1 ||
		    (p->transparent_hugepage == 1 && cvo_platform_kver_ge(p, 6, 10)))
			order = hp < cap ? hp : cap;
		else
			order = cap;
	}
	if (order < 0)
		order = 0;
	if (shift + order > 63)
		return UINT64_C(1) << 63;
	return (uint64_t)page_size << order;
}

bool cvo_platform_kver_ge(const struct cvo_platform *p, int major, int minor)
{
	return p->kver_major > major || (p->kver_major == major && p->kver_minor >= minor);
}

/* MAX_MEMBLOCK_ADDR: phys_addr_t is 32 bits on arm unless CONFIG_ARM_LPAE (PHYS_ADDR_T_64BIT). */
uint64_t cvo_platform_phys_max(const struct cvo_platform *p)
{
	return p && p->arch == CVO_ARCH_ARM && !p->config.arm_lpae ? 0xffffffffu : UINT64_MAX;
}

/*
 * kernel/dma/contiguous.c dma_contiguous_reserve(): size_bytes (CMA_SIZE_MBYTES
 * MiB) and cma_early_percent_memory() (PHYS_PFN(memblock_phys_mem_size()) *
 * CMA_SIZE_PERCENTAGE / 100 pages), picked by CMA_SIZE_SEL_*.
 */
uint64_t cvo_platform_cma_size(const struct cvo_platform *p, uint64_t ram_bytes)
{
	uint64_t mb = p->config.cma_size_mbytes << 20;
	uint64_t page = p->page_size ? p->page_size : 4096;
	uint64_t pages = ram_bytes / page;
	uint64_t pct = (pages / 100 * p->config.cma_size_percentage +
			pages % 100 * p->config.cma_size_percentage / 100) * page;
	switch (p->config.cma_size_sel) {
	case CVO_CMA_SIZE_SEL_PERCENTAGE: return pct;
	case CVO_CMA_SIZE_SEL_MIN: return pct < mb ? pct : mb;
	case CVO_CMA_SIZE_SEL_MAX: return pct > mb ? pct : mb;
	case CVO_CMA_SIZE_SEL_MBYTES: break;
	}
	return mb;
}

/* ------------------------------------------------------------------ applying a file */

static int apply_devices(struct cvo_platform *p, struct layer *l)
{
	/* a device entry with the same match as an inherited one replaces it */
	size_t cap = p->n_devices + l->n_devices;
	struct cvo_platform_device *v = realloc(p->devices, (cap ? cap : 1) * sizeof(*v));
	if (!v)
		return CVO_ERR_NOMEM;
	p->devices = v;
	for (size_t i = 0; i < l->n_devices; i++) {
		struct cvo_platform_device *d = &l->devices[i];
		size_t j = 0;
		while (j < p->n_devices && !same_match(&p->devices[j], d))
			j++;
		if (j < p->n_devices) {
			free(p->devices[j].match_compatible);
			free(p->devices[j].match_path);
			free(p->devices[j].origin);
		} else {
			p->n_devices++;
		}
		p->devices[j] = *d;
		d->match_compatible = d->match_path = d->origin = NULL;
	}
	return 0;
}

static int apply_reserved(struct cvo_platform *p, struct layer *l)
{
	/* a reserved range with the same name as an inherited one replaces it */
	size_t cap = p->n_reserved + l->n_reserved;
	struct cvo_named_range *v = realloc(p->reserved, (cap ? cap : 1) * sizeof(*v));
	if (!v)
		return CVO_ERR_NOMEM;
	p->reserved = v;
	for (size_t i = 0; i < l->n_reserved; i++) {
		size_t j = 0;
		while (j < p->n_reserved && strcmp(p->reserved[j].name, l->reserved[i].name) != 0)
			j++;
		if (j < p->n_reserved) {
			free(p->reserved[j].name);
			free(p->reserved[j].origin);
		} else {
			p->n_reserved++;
		}
		p->reserved[j] = l->reserved[i];
		l->reserved[i].name = l->reserved[i].origin = NULL;
	}
	return 0;
}

static int apply_sources(struct cvo_platform *p, struct layer *l)
{
	size_t cap = p->n_sources + l->n_sources;
	char **v = realloc(p->sources, (cap ? cap : 1) * sizeof(*v));
	if (!v)
		return CVO_ERR_NOMEM;
	p->sources = v;
	for (size_t i = 0; i < l->n_sources; i++) {
		p->sources[p->n_sources++] = l->sources[i];
		l->sources[i] = NULL;
	}
	return 0;
}

static bool page_size_ok(enum cvo_arch arch, uint32_t page_size)
{
	switch (arch) {
	case CVO_ARCH_ARM64:
	case CVO_ARCH_POWERPC:
		return true;
	case CVO_ARCH_ARM:
	case CVO_ARCH_RISCV:
		break;
	}
	return page_size == 4096;
}

/* Move an origin from the layer to the platform. */
static void take_origin(struct cvo_platform *p, struct layer *l, enum cvo_origin which)
{
	if (!l->origin[which])
		return;
	free(p->origin[which]);
	p->origin[which] = l->origin[which];
	l->origin[which] = NULL;
}

static int set_origin(const struct pctx *c, struct cvo_platform *p, enum cvo_origin which,
		      char *o)
{
	if (!o)
		return nomem(c);
	free(p->origin[which]);
	p->origin[which] = o;
	return 0;
}

static int take_release(const struct pctx *c, struct cvo_platform *p, const char *release)
{
	char *v = cvo_strdup(release);
	if (!v)
		return nomem(c);
	free(p->kver_release);
	p->kver_release = v;
	return 0;
}

/*
 * The kernel half of a layer, a file's or the command line's: the version
 * first (ARCH_FORCE_MAX_ORDER meant MAX_ORDER before 6.4), then the whole
 * configuration (kernel.config-file, --config), the symbols over it
 * (kernel.config), the page size (page-size, else what the configuration
 * says), the command line and the memory.
 */
static int layer_apply_kernel(const struct pctx *c, struct cvo_platform *p, struct layer *l)
{
	const struct kc_set *whole = l->whole;
	int r;
	if (l->has_version) {
		p->kver_major = l->kmaj;
		p->kver_minor = l->kmin;
		p->kver_patch = l->kpatch;
		if ((r = take_release(c, p, l->release)))
			return r;
		take_origin(p, l, CVO_ORIGIN_VERSION);
		/* 6.1.0-50-arm64 does not say its patch level; the .config header does */
		if (p->kver_patch < 0 && whole && whole->has_version && whole->kmaj == l->kmaj &&
		    whole->kmin == l->kmin && whole->kpatch >= 0) {
			p->kver_patch = whole->kpatch;
			r = set_origin(c, p, CVO_ORIGIN_VERSION,
				       cvo_asprintf("%s, patch level %d from %s:%d",
						    p->origin[CVO_ORIGIN_VERSION], whole->kpatch,
						    whole->origin, whole->version_line));
			if (r)
				return r;
		}
	} else if (whole && whole->has_version) {
		p->kver_major = whole->kmaj;
		p->kver_minor = whole->kmin;
		p->kver_patch = whole->kpatch;
		if ((r = take_release(c, p, whole->release)) ||
		    (r = set_origin(c, p, CVO_ORIGIN_VERSION,
				    cvo_asprintf("%s:%d", whole->origin, whole->version_line))))
			return r;
	}
	struct kc_effect ew = { 0 }, em = { 0 };
	if (whole) {
		if ((r = kc_apply(p, whole, &ew, c->err)))
			return r;
		char *o = cvo_strdup(whole->origin);
		if (!o)
			return nomem(c);
		free(p->config_origin);
		p->config_origin = o;
	}
	if (l->has_cfg_map && (r = kc_apply(p, &l->cfg_map, &em, c->err)))
		return r;
	const struct kc_effect *e = em.page_size ? &em : &ew;
	const struct kc_set *es = em.page_size ? &l->cfg_map : whole;
	uint32_t page = p->page_size;
	char *page_origin = NULL;
	if (l->has_page_size) {
		if (!page_size_ok(p->arch, l->page_size))
			return cvo_error_set(c->err, CVO_ERR_INVALID, c->file,
					     l->page_size_n ? l->page_size_n->line : 0,
					     l->page_size_n ? l->page_size_n->col : 0,
					     "page-size: %s is not a page size of arch %s "
					     "(expected 4K)", l->page_size_text,
					     cvo_arch_name(p->arch));
		/* a file's page-size key is invalid input, --page-size a usage error */
		if (e->page_size && e->page_size != l->page_size)
			return cvo_error_set(c->err,
					     l->page_size_n ? CVO_ERR_INVALID : CVO_ERR_USAGE,
					     l->page_size_n ? c->file : "--page-size",
					     l->page_size_n ? l->page_size_n->line : 0,
					     l->page_size_n ? l->page_size_n->col : 0,
					     "%s%s disagrees with CONFIG_%s=%s (%s%s%d)",
					     l->page_size_n ? "page-size: " : "",
					     l->page_size_text, e->page_size_by->name,
					     e->page_size_by->value,
					     es == &l->cfg_map ? "line " : es->origin,
					     es == &l->cfg_map ? "" : ":", e->page_size_by->line);
		page = l->page_size;
		page_origin = cvo_strdup(l->origin[CVO_ORIGIN_PAGE_SIZE]);
	} else if (e->page_size) {
		page = e->page_size;
		page_origin = cvo_asprintf("%s:%d", es->origin, e->page_size_by->line);
	}
	if (page != p->page_size && !ew.max_order_set && !em.max_order_set)
		p->max_page_order = 0; /* the arch default for the new page size */
	p->page_size = page;
	if (page_origin) {
		if ((r = kc_sync_page_size(p, page_origin))) {
			free(page_origin);
			return nomem(c);
		}
		if ((r = set_origin(c, p, CVO_ORIGIN_PAGE_SIZE, page_origin)))
			return r;
	}
	if ((whole || l->has_cfg_map || page_origin) &&
	    p->config.page_block_order > max_page_order(p)) {
		const struct kc_entry *pb = NULL;
		for (size_t i = 0; l->has_cfg_map && i < l->cfg_map.n; i++)
			if (strcmp(l->cfg_map.v[i].name, "PAGE_BLOCK_ORDER") == 0)
				pb = &l->cfg_map.v[i];
		return cvo_error_set(c->err, CVO_ERR_INVALID, c->file, pb ? pb->line : 0,
				     pb ? pb->col : 0,
				     "kernel.config.PAGE_BLOCK_ORDER: %d is above the largest page "
				     "order %d", p->config.page_block_order, max_page_order(p));
	}
	if (l->has_cmdline) {
		free(p->cmdline);
		p->cmdline = l->cmdline;
		l->cmdline = NULL;
		p->has_cmdline_cma = l->cl.has_cma;
		p->cmdline_cma_size = l->cl.cma_size;
		p->cmdline_cma_base = l->cl.cma_base;
		p->cmdline_cma_limit = l->cl.cma_limit;
		p->has_coherent_pool = l->cl.has_coherent_pool;
		p->coherent_pool = l->cl.coherent_pool;
		p->has_mem = l->cl.has_mem;
		p->mem = l->cl.mem;
		p->has_mem_base = l->cl.has_mem_base;
		p->mem_base = l->cl.mem_base;
		take_origin(p, l, CVO_ORIGIN_CMDLINE);
	}
	if (l->has_memory) {
		free(p->memory);
		p->memory = l->memory;
		p->n_memory = l->n_memory;
		l->memory = NULL;
		l->n_memory = 0;
		take_origin(p, l, CVO_ORIGIN_MEMORY);
	}
	return 0;
}

/* Lay one file over its base. Moves what it takes out of l. */
static int layer_apply(const struct pctx *c, struct cvo_platform *p, struct layer *l,
		       const char *file)
{
	int r;
	if (l->has_arch && l->arch != p->arch)
		return bad(c, l->arch_n,
			   "arch: \"%s\" differs from \"%s\" of the extended platform \"%s\"",
			   cvo_arch_name(l->arch), cvo_arch_name(p->arch), p->name);
	free(p->name);
	p->name = l->platform;
	l->platform = NULL;
	char *f = cvo_strdup(file);
	if (!f)
		return nomem(c);
	free(p->file);
	p->file = f;
	free(p->extends);
	p->extends = l->extends;
	l->extends = NULL;
	/* the file applied last is the one the user named: its own values are these */
	p->own = (l->has_version ? CVO_PLATFORM_OWN_VERSION : 0u) |
		 (l->has_cmdline ? CVO_PLATFORM_OWN_CMDLINE : 0u) |
		 (l->has_memory ? CVO_PLATFORM_OWN_MEMORY : 0u);
	take_origin(p, l, CVO_ORIGIN_ARCH);
	if ((r = layer_apply_kernel(c, p, l)))
		return r;
	if (l->has_compat) {
		for (size_t i = 0; i < p->n_compatible; i++)
			free(p->compatible[i]);
		free(p->compatible);
		p->compatible = l->compat;
		p->n_compatible = l->n_compat;
		l->compat = NULL;
		l->n_compat = 0;
		take_origin(p, l, CVO_ORIGIN_COMPATIBLE);
	}
	for (size_t i = 0; i < l->n_devices; i++) {
		struct cvo_platform_device *d = &l->devices[i];
		d->origin = cvo_asprintf("%s:%d", c->shown ? c->shown : c->file, d->line);
		if (!d->origin)
			return nomem(c);
	}
	if ((l->has_sources && apply_sources(p, l)) || (l->has_reserved && apply_reserved(p, l)) ||
	    (l->has_devices && apply_devices(p, l)))
		return nomem(c);
	return 0;
}

/* ------------------------------------------------------------------ copies */

static char *dup_or_null(const char *s, bool *fail)
{
	char *d = s ? cvo_strdup(s) : NULL;
	if (s && !d)
		*fail = true;
	return d;
}

static char **dup_strings(char *const *v, size_t n, bool *fail)
{
	char **d = calloc(n ? n : 1, sizeof(*d));
	if (!d) {
		*fail = true;
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		d[i] = dup_or_null(v[i], fail);
	return d;
}

static void *dup_bytes(const void *v, size_t n, size_t elem, bool *fail)
{
	void *d = calloc(n ? n : 1, elem);
	if (!d)
		*fail = true;
	else if (n)
		memcpy(d, v, n * elem);
	return d;
}

/* A deep copy; NULL when out of memory. */
static struct cvo_platform *platform_dup(const struct cvo_platform *p)
{
	struct cvo_platform *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	bool fail = false;
	*d = *p;
	d->name = dup_or_null(p->name, &fail);
	d->file = dup_or_null(p->file, &fail);
	d->cmdline = dup_or_null(p->cmdline, &fail);
	d->extends = dup_or_null(p->extends, &fail);
	d->compatible = dup_strings(p->compatible, p->n_compatible, &fail);
	d->sources = dup_strings(p->sources, p->n_sources, &fail);
	d->memory = dup_bytes(p->memory, p->n_memory, sizeof(*p->memory), &fail);
	d->reserved = dup_bytes(p->reserved, p->n_reserved, sizeof(*p->reserved), &fail);
	for (size_t i = 0; d->reserved && i < p->n_reserved; i++) {
		d->reserved[i].name = dup_or_null(p->reserved[i].name, &fail);
		d->reserved[i].origin = dup_or_null(p->reserved[i].origin, &fail);
	}
	d->devices = dup_bytes(p->devices, p->n_devices, sizeof(*p->devices), &fail);
	for (size_t i = 0; d->devices && i < p->n_devices; i++) {
		d->devices[i].match_compatible = dup_or_null(p->devices[i].match_compatible, &fail);
		d->devices[i].match_path = dup_or_null(p->devices[i].match_path, &fail);
		d->devices[i].origin = dup_or_null(p->devices[i].origin, &fail);
	}
	d->kver_release = dup_or_null(p->kver_release, &fail);
	d->profile = dup_or_null(p->profile, &fail);
	d->config_origin = dup_or_null(p->config_origin, &fail);
	for (size_t i = 0; i < CVO_ORIGIN_COUNT; i++)
		d->origin[i] = dup_or_null(p->origin[i], &fail);
	d->symbols = dup_bytes(p->symbols, p->n_symbols, sizeof(*p->symbols), &fail);
	for (size_t i = 0; d->symbols && i < p->n_symbols; i++) {
		d->symbols[i].name = dup_or_null(p->symbols[i].name, &fail);
		d->symbols[i].value = dup_or_null(p->symbols[i].value, &fail);
		d->symbols[i].origin = dup_or_null(p->symbols[i].origin, &fail);
	}
	if (!d->symbols)
		d->n_symbols = 0;
	if (!d->compatible)
		d->n_compatible = 0;
	if (!d->sources)
		d->n_sources = 0;
	if (!d->reserved)
		d->n_reserved = 0;
	if (!d->devices)
		d->n_devices = 0;
	if (fail) {
		cvo_platform_free(d);
		return NULL;
	}
	return d;
}

int cvo_platform_dup_with(const struct cvo_platform *p, const struct cvo_platform_overrides *o,
			  const char *source, struct cvo_platform **out, struct cvo_error *err)
{
	struct pctx c = { .file = source ? source : "", .err = err };
	*out = NULL;
	if (!p)
		return cvo_error_set(err, CVO_ERR_USAGE, c.file, 0, 0, "no platform to copy");
	struct cmdline_parsed cl = { 0 };
	if (o && o->cmdline) {
		int r = cmdline_parse(&c, NULL, o->cmdline, &cl);
		if (r)
			return r;
	}
	for (size_t i = 0; o && i < o->n_memory; i++) {
		uint64_t last;
		if (!o->memory[i].size || !cvo_range_end(o->memory[i].base, o->memory[i].size, &last))
			return bad(&c, NULL, "memory[%zu]: an empty bank or one beyond 2^64", i);
	}
	struct cvo_platform *d = platform_dup(p);
	if (!d)
		return nomem(&c);
	if (!o)
		goto done;
	if (o->name) {
		char *nm = cvo_strdup(o->name);
		if (!nm)
			goto nomem;
		free(d->name);
		d->name = nm;
	}
	if (o->kver_major) {
		d->kver_major = o->kver_major;
		d->kver_minor = o->kver_minor;
		d->kver_patch = o->kver_patch;
		/* the release string named the old version; the new one has none */
		free(d->kver_release);
		d->kver_release = NULL;
		d->own |= CVO_PLATFORM_OWN_VERSION;
	}
	if (o->cmdline) {
		char *cmd = cvo_strdup(o->cmdline);
		if (!cmd)
			goto nomem;
		free(d->cmdline);
		d->cmdline = cmd;
		/* what layer_apply() takes from a file's kernel.cmdline */
		d->has_cmdline_cma = cl.has_cma;
		d->cmdline_cma_size = cl.cma_size;
		d->cmdline_cma_base = cl.cma_base;
		d->cmdline_cma_limit = cl.cma_limit;
		d->has_coherent_pool = cl.has_coherent_pool;
		d->coherent_pool = cl.coherent_pool;
		d->has_mem = cl.has_mem;
		d->mem = cl.mem;
		d->has_mem_base = cl.has_mem_base;
		d->mem_base = cl.mem_base;
		d->own |= CVO_PLATFORM_OWN_CMDLINE;
	}
	if (o->n_memory) {
		struct cvo_range *mem = calloc(o->n_memory, sizeof(*mem));
		if (!mem)
			goto nomem;
		memcpy(mem, o->memory, o->n_memory * sizeof(*mem));
		free(d->memory);
		d->memory = mem;
		d->n_memory = o->n_memory;
		d->own |= CVO_PLATFORM_OWN_MEMORY;
	}
done:
	*out = d;
	return 0;
nomem:
	cvo_platform_free(d);
	return nomem(&c);
}

/* ------------------------------------------------------------------ loading */

struct chain {
	const struct chain *up;
	const char *real;	/* canonical path, for loop detection */
	const char *name;	/* platform name, for the message */
	int depth;
};

static int read_input(const char *path, unsigned char **out, size_t *len, struct cvo_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return cvo_error_set(err, CVO_ERR_IO, path, 0, 0, "cannot open: %s",
				     strerror(errno));
	/* a regular file's size bounds the buffer; anything else may hold up to the cap */
	struct stat st;
	size_t cap = PLAT_MAX_BYTES + 1;
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
	if (!failed && n == cap && cap <= PLAT_MAX_BYTES) {
		/* the file grew since fstat(): read on, up to the cap */
		unsigned char *nb = realloc(buf, PLAT_MAX_BYTES + 1);
		if (!nb) {
			fclose(f);
			free(buf);
			return cvo_error_set(err, CVO_ERR_NOMEM, path, 0, 0, "out of memory");
		}
		buf = nb;
		n += fread(buf + n, 1, PLAT_MAX_BYTES + 1 - n, f);
		failed = ferror(f);
	}
	fclose(f);
	if (failed) {
		free(buf);
		return cvo_error_set(err, CVO_ERR_IO, path, 0, 0, "cannot read");
	}
	if (n > PLAT_MAX_BYTES) {
		free(buf);
		return cvo_error_set(err, CVO_ERR_INVALID, path, 0, 0,
				     "file is larger than %u bytes", PLAT_MAX_BYTES);
	}
	*out = buf;
	*len = n;
	return 0;
}

static bool file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int load_path(const char *path, const char *boards_dir, const struct chain *up,
		     struct cvo_platform **out, struct cvo_error *err);

/* The base a file's `extends` names: a generic profile, a sibling file or a bundled board. */
static int load_base(const struct pctx *c, const struct layer *l, const char *dir,
		     const char *boards_dir, const struct chain *self, struct cvo_platform **out)
{
	if (kc_profile_exists(l->extends))
		return cvo_platform_profile(l->extends, out, c->err);
	if (self->depth >= PLAT_MAX_EXTENDS)
		return bad(c, l->extends_n, "extends: more than %d levels", PLAT_MAX_EXTENDS);
	char *path = NULL;
	const char *dirs[2] = { dir, boards_dir };
	for (size_t i = 0; i < 2 && !path; i++) {
		if (!dirs[i])
			continue;
		char *cand = cvo_asprintf("%s/%s.yaml", dirs[i], l->extends);
		if (!cand)
			return nomem(c);
		if (file_exists(cand))
			path = cand;
		else
			free(cand);
	}
	if (!path)
		return bad(c, l->extends_n,
			   "extends: no platform \"%s\" (looked for %s.yaml%s%s%s)", l->extends,
			   l->extends, dir ? " in " : "", dir ? dir : "",
			   boards_dir ? " and the boards directory" : "");
	char *real = realpath(path, NULL);
	if (!real) {
		int r = cvo_error_set(c->err, CVO_ERR_IO, path, 0, 0, "cannot resolve the path: %s",
				      strerror(errno));
		free(path);
		return r;
	}
	for (const struct chain *k = self; k; k = k->up) {
		if (k->real && strcmp(k->real, real) == 0) {
			char trail[300] = "";
			size_t off = 0;
			const struct chain *order[PLAT_MAX_EXTENDS + 2];
			size_t n = 0;
			for (const struct chain *q = self; q && n < CVO_ARRAY_LEN(order); q = q->up)
				order[n++] = q;
			while (n-- > 0 && off < sizeof(trail))
				off += (size_t)snprintf(trail + off, sizeof(trail) - off, "%s -> ",
							order[n]->name);
			free(real);
			free(path);
			return bad(c, l->extends_n, "extends: loop: %s%s", trail, l->extends);
		}
	}
	free(real);
	int r = load_path(path, boards_dir, self, out, c->err);
	free(path);
	return r;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return cvo_strdup(".");
	if (slash == path)
		return cvo_strdup("/");
	char *d = malloc((size_t)(slash - path) + 1);
	if (d) {
		memcpy(d, path, (size_t)(slash - path));
		d[slash - path] = '\0';
	}
	return d;
}

/* How origins name a file: a bundled board by its file name, anything else as given. */
static const char *shown_name(const char *file, const char *boards_dir)
{
	size_t n = boards_dir ? strlen(boards_dir) : 0;
	if (n && strncmp(file, boards_dir, n) == 0 && file[n] == '/' && !strchr(file + n + 1, '/'))
		return file + n + 1;
	return file;
}

static int load_text(const unsigned char *buf, size_t len, const char *file, const char *dir,
		     const char *real, const char *boards_dir, const struct chain *up,
		     struct cvo_platform **out, struct cvo_error *err)
{
	struct pctx c = { .file = file, .err = err, .dir = dir,
			  .shown = shown_name(file, boards_dir) };
	struct ynode *root = NULL;
	struct layer l = { 0 };
	struct cvo_platform *p = NULL;
	struct chain self = { .up = up, .real = real, .depth = up ? up->depth + 1 : 1 };
	int r = yaml_read_tree(file, buf, len, &root, err);
	if (r)
		return r;
	r = layer_parse(&c, root, &l);
	if (r)
		goto out;
	self.name = l.platform;
	if (l.extends)
		r = load_base(&c, &l, dir, boards_dir, &self, &p);
	else
		r = cvo_platform_generic(l.arch, &p, err);
	if (r)
		goto out;
	r = layer_apply(&c, p, &l, file);
	if (r)
		goto out;
	*out = p;
	p = NULL;
out:
	cvo_platform_free(p);
	layer_fini(&l);
	ynode_free(root);
	return r;
}

static int load_path(const char *path, const char *boards_dir, const struct chain *up,
		     struct cvo_platform **out, struct cvo_error *err)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	int r = read_input(path, &buf, &len, err);
	if (r)
		return r;
	char *dir = dir_of(path);
	char *real = realpath(path, NULL);
	if (!dir)
		r = cvo_error_set(err, CVO_ERR_NOMEM, path, 0, 0, "out of memory");
	else if (!real)
		r = cvo_error_set(err, CVO_ERR_IO, path, 0, 0, "cannot resolve the path: %s",
				  strerror(errno));
	else
		r = load_text(buf, len, path, dir, real, boards_dir, up, out, err);
	free(real);
	free(dir);
	free(buf);
	return r;
}

int cvo_platform_load_dir(const char *path, const char *boards_dir, struct cvo_platform **out,
			  struct cvo_error *err)
{
	if (!path || !out)
		return cvo_error_set(err, CVO_ERR_USAGE, "", 0, 0, "no platform file given");
	return load_path(path, boards_dir, NULL, out, err);
}

int cvo_platform_load(const char *path, struct cvo_platform **out, struct cvo_error *err)
{
	return cvo_platform_load_dir(path, NULL, out, err);
}

int cvo_platform_load_buffer(const void *buf, size_t len, const char *name,
			     const char *boards_dir, struct cvo_platform **out,
			     struct cvo_error *err)
{
	if (!name)
		name = "<buffer>";
	if (len > PLAT_MAX_BYTES)
		return cvo_error_set(err, CVO_ERR_INVALID, name, 0, 0,
				     "file is larger than %u bytes", PLAT_MAX_BYTES);
	return load_text(buf, len, name, NULL, NULL, boards_dir, NULL, out, err);
}

/* ------------------------------------------------------------------ bundled boards */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void cvo_platform_list_free(struct cvo_platform **list, size_t n)
{
	if (!list)
		return;
	for (size_t i = 0; i < n; i++)
		cvo_platform_free(list[i]);
	free(list);
}

int cvo_platform_list(const char *boards_dir, struct cvo_platform ***out, size_t *nout,
		      struct cvo_error *err)
{
	DIR *d = boards_dir ? opendir(boards_dir) : NULL;
	if (!d)
		return cvo_error_set(err, CVO_ERR_IO, boards_dir ? boards_dir : "", 0, 0,
				     "cannot open the boards directory: %s",
				     boards_dir ? strerror(errno) : "none given");
	char **names = NULL;
	size_t n = 0, cap = 0;
	int r = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len < 6 || strcmp(de->d_name + len - 5, ".yaml") != 0)
			continue;
		char *path = cvo_asprintf("%s/%s", boards_dir, de->d_name);
		if (!path || cvo_grow(&names, &cap, n, sizeof(*names))) {
			free(path);
			r = cvo_error_set(err, CVO_ERR_NOMEM, boards_dir, 0, 0, "out of memory");
			break;
		}
		if (!file_exists(path)) {
			free(path);
			continue;
		}
		names[n++] = path;
	}
	closedir(d);
	struct cvo_platform **list = NULL;
	size_t nlist = 0;
	if (!r) {
		if (n)
			qsort(names, n, sizeof(*names), cmp_str);
		list = calloc(n ? n : 1, sizeof(*list));
		if (!list)
			r = cvo_error_set(err, CVO_ERR_NOMEM, boards_dir, 0, 0, "out of memory");
	}
	for (size_t i = 0; !r && i < n; i++) {
		r = cvo_platform_load_dir(names[i], boards_dir, &list[i], err);
		if (!r)
			nlist++;
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (r) {
		cvo_platform_list_free(list, nlist);
		return r;
	}
	*out = list;
	*nout = nlist;
	return 0;
}

/* ------------------------------------------------------------------ resolving -p */

/* CPU compatibles of 64-bit (AArch64) cores: the DT is for an arm64 kernel. */
static bool cpu_is_arm64(const char *c)
{
	static const char *const exact[] = {
		"arm,armv8", "arm,cortex-a34", "arm,cortex-a35", "arm,cortex-a53",
		"arm,cortex-a55", "arm,cortex-a57", "arm,cortex-a65", "arm,cortex-a65ae",
		"arm,cortex-a72", "arm,cortex-a73", "arm,cortex-a75", "arm,cortex-a76",
		"arm,cortex-a77", "arm,cortex-a78", "arm,cortex-a78ae", "arm,cortex-a78c",
		"arm,kryo", "brcm,brahma-b53", "brcm,vulcan", "apm,potenza", "apm,strega",
		"nvidia,denver", "nvidia,carmel", "nvidia,tegra132-denver",
		"nvidia,tegra186-denver", "fujitsu,a64fx",
	};
	static const char *const prefix[] = {
		"arm,cortex-x", "arm,neoverse", "qcom,kryo", "qcom,oryon", "cavium,thunder",
		"apple,", "ampere,",
	};
	for (size_t i = 0; i < CVO_ARRAY_LEN(exact); i++)
		if (strcmp(c, exact[i]) == 0)
			return true;
	for (size_t i = 0; i < CVO_ARRAY_LEN(prefix); i++)
		if (strncmp(c, prefix[i], strlen(prefix[i])) == 0)
			return true;
	/* arm,cortex-a510 / a520 / a710 / a715 / a720 / a725 ...: three digits are v9 */
	if (strncmp(c, "arm,cortex-a", 12) == 0 && strlen(c) == 15 &&
	    isdigit((unsigned char)c[12]) && isdigit((unsigned char)c[13]) &&
	    isdigit((unsigned char)c[14]))
		return true;
	return false;
}

/*
 * Guess the arch from the DT alone: a cpu node with riscv,isa (or a "riscv"
 * compatible) is riscv; a cpu named PowerPC,* or compatible ibm,power* is
 * powerpc; a cpu compatible naming an AArch64 core is arm64; any other cpu
 * compatible is arm; with no cpu compatible, root #address-cells 1 is arm,
 * else arm64. On Debian's 6.1 DTBs this classifies every arm64 DTB as arm64
 * and every armmp DTB as arm, except the Raspberry Pi 3/4 ones (Cortex-A53/A72
 * boards that also ship in armmp), which it calls arm64.
 */
enum cvo_arch cvo_platform_guess_arch(const void *fdt)
{
	bool saw64 = false, saw32 = false;
	if (!fdt)
		return CVO_ARCH_ARM64;
	int cpus = fdt_path_offset(fdt, "/cpus");
	if (cpus >= 0) {
		int node;
		fdt_for_each_subnode(node, fdt, cpus) {
			const char *name = fdt_get_name(fdt, node, NULL);
			int len;
			const char *dt = fdt_getprop(fdt, node, "device_type", &len);
			bool is_cpu = (dt && len == 4 && memcmp(dt, "cpu", 4) == 0) ||
				      (name && strncmp(name, "cpu", 3) == 0);
			if (!is_cpu)
				continue;
			if (name && strncmp(name, "PowerPC,", 8) == 0)
				return CVO_ARCH_POWERPC;
			if (fdt_getprop(fdt, node, "riscv,isa", NULL) ||
			    fdt_getprop(fdt, node, "riscv,isa-base", NULL))
				return CVO_ARCH_RISCV;
			const char *cp = fdt_getprop(fdt, node, "compatible", &len);
			for (int off = 0; cp && len > 0 && off < len;) {
				const char *s = cp + off;
				size_t sl = strnlen(s, (size_t)(len - off));
				if (sl == (size_t)(len - off))
					break; /* not NUL-terminated */
				if (strcmp(s, "riscv") == 0 || strncmp(s, "riscv,", 6) == 0)
					return CVO_ARCH_RISCV;
				if (strncmp(s, "ibm,power", 9) == 0)
					return CVO_ARCH_POWERPC;
				if (cpu_is_arm64(s))
					saw64 = true;
				else
					saw32 = true;
				off += (int)sl + 1;
			}
		}
	}
	if (saw64)
		return CVO_ARCH_ARM64;
	if (saw32)
		return CVO_ARCH_ARM;
	uint32_t ac;
	if (cvo_fdt_u32(fdt, 0, "#address-cells", &ac) && ac == 1)
		return CVO_ARCH_ARM;
	return CVO_ARCH_ARM64;
}

static bool has_compatible(const struct cvo_platform *p, const char *s)
{
	for (size_t i = 0; i < p->n_compatible; i++)
		if (strcmp(p->compatible[i], s) == 0)
			return true;
	return false;
}

/*
 * -p auto: the first root compatible (most specific first) that a bundled
 * board lists picks it; when several boards list it, the one whose arch is
 * the DT's guessed arch wins (QEMU's virt machines share linux,dummy-virt),
 * else the first in list order (by file name).
 */
const struct cvo_platform *cvo_platform_match(struct cvo_platform *const *boards, size_t n,
					     const void *fdt)
{
	if (!fdt || !boards)
		return NULL;
	/* guessed only when a board matches: the guess walks /cpus */
	int arch = -1;
	int len;
	const char *cp = fdt_getprop(fdt, 0, "compatible", &len);
	for (int off = 0; cp && len > 0 && off < len;) {
		const char *s = cp + off;
		size_t sl = strnlen(s, (size_t)(len - off));
		if (sl == (size_t)(len - off))
			break; /* not NUL-terminated: trust nothing after it */
		const struct cvo_platform *pick = NULL;
		for (size_t i = 0; i < n; i++) {
			if (!boards[i] || !has_compatible(boards[i], s))
				continue;
			if (arch < 0)
				arch = (int)cvo_platform_guess_arch(fdt);
			if ((int)boards[i]->arch == arch)
				return boards[i];
			if (!pick)
				pick = boards[i];
		}
		if (pick)
			return pick;
		off += (int)sl + 1;
	}
	return NULL;
}

/* -p auto: see cvo_platform_match(); no match is the generic profile of the guessed arch. */
static int resolve_auto(const void *fdt, const char *boards_dir, struct cvo_platform **out,
			struct cvo_error *err)
{
	enum cvo_arch arch = cvo_platform_guess_arch(fdt);
	if (!fdt || !boards_dir)
		return cvo_platform_generic(arch, out, err);
	struct cvo_platform **list;
	size_t n;
	int r = cvo_platform_list(boards_dir, &list, &n, err);
	if (r)
		return r;
	const struct cvo_platform *pick = cvo_platform_match(list, n, fdt);
	for (size_t i = 0; pick && i < n; i++) {
		if (list[i] == pick) {
			*out = list[i];
			list[i] = NULL;
		}
	}
	cvo_platform_list_free(list, n);
	return pick ? 0 : cvo_platform_generic(arch, out, err);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

int cvo_platform_resolve(const char *spec, const void *fdt, const char *boards_dir,
			 struct cvo_platform **out, struct cvo_error *err)
{
	if (!spec || !*spec || strcmp(spec, "auto") == 0)
		return resolve_auto(fdt, boards_dir, out, err);
	if (strchr(spec, '/') || ends_with(spec, ".yaml"))
		return cvo_platform_load_dir(spec, boards_dir, out, err);
	if (kc_profile_exists(spec))
		return cvo_platform_profile(spec, out, err);
	if (!valid_name(spec) || !boards_dir)
		return cvo_error_set(err, CVO_ERR_USAGE, spec, 0, 0,
				     "unknown platform \"%s\": expected a file path, \"auto\", "
				     "generic-ARCH, a built-in profile or a bundled board name", spec);
	char *path = cvo_asprintf("%s/%s.yaml", boards_dir, spec);
	if (!path)
		return cvo_error_set(err, CVO_ERR_NOMEM, spec, 0, 0, "out of memory");
	int r;
	if (!file_exists(path))
		r = cvo_error_set(err, CVO_ERR_USAGE, spec, 0, 0,
				  "unknown platform \"%s\": no %s (see `carveout platforms`)", spec,
				  path);
	else
		r = cvo_platform_load_dir(path, boards_dir, out, err);
	free(path);
	return r;
}

/* ------------------------------------------------------------------ device lookup */

/*
 * The platform's entry for a device node. A device entry applies to every
 * enabled node it matches (carveout-platform(5)), so a disabled node gets none. A `path`
 * entry (looked up like fdt_path_offset(): a unit address may be left out)
 * beats a `compatible` entry; among compatible entries the node's most
 * specific compatible (first in its list) wins.
 */
const struct cvo_platform_device *cvo_platform_device_for(const struct cvo_platform *p,
							   const void *fdt, int node)
{
	if (!p || !fdt || node < 0 || !p->n_devices || !cvo_fdt_available(fdt, node))
		return NULL;
	for (size_t i = 0; i < p->n_devices; i++) {
		const char *path = p->devices[i].match_path;
		if (path && fdt_path_offset(fdt, path) == node)
			return &p->devices[i];
	}
	int len;
	const char *cp = fdt_getprop(fdt, node, "compatible", &len);
	for (int off = 0; cp && len > 0 && off < len;) {
		const char *s = cp + off;
		size_t sl = strnlen(s, (size_t)(len - off));
		if (sl == (size_t)(len - off))
			break;
		for (size_t i = 0; i < p->n_devices; i++) {
			const char *c = p->devices[i].match_compatible;
			if (c && strcmp(c, s) == 0)
				return &p->devices[i];
		}
		off += (int)sl + 1;
	}
	return NULL;
}

/* ------------------------------------------------------------------ command-line options */

struct cvo_overrides {
	bool any;
	bool has_version;
	int kmaj, kmin, kpatch;
	char *release;
	bool has_config;
	struct kc_set config;	/* --config: a whole configuration */
	char *config_origin;
	bool has_page_size;
	uint32_t page_size;
	char *page_size_text;
	bool has_cmdline;
	char *cmdline;
	struct cmdline_parsed cl;
	bool has_memory;
	struct cvo_range *memory;
	size_t n_memory;
};

void cvo_overrides_free(struct cvo_overrides *ov)
{
	if (!ov)
		return;
	free(ov->release);
	kc_set_fini(&ov->config);
	free(ov->config_origin);
	free(ov->page_size_text);
	free(ov->cmdline);
	free(ov->memory);
	free(ov);
}

bool cvo_overrides_any(const struct cvo_overrides *ov)
{
	return ov && ov->any;
}

static int opt_bad(struct cvo_error *err, const char *opt, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int opt_bad(struct cvo_error *err, const char *opt, const char *fmt, ...)
{
	char text[sizeof(err->text)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return cvo_error_set(err, CVO_ERR_USAGE, opt, 0, 0, "%s", text);
}

/* --memory BASE:SIZE[,BASE:SIZE...]: the RAM the firmware passes. */
static int parse_memory_option(const char *arg, struct cvo_overrides *ov, struct cvo_error *err)
{
#define MEMORY_EXPECTED "expected BASE:SIZE[,BASE:SIZE...] such as 0x80000000:2G, got \"%.200s\""
	char *buf = cvo_strdup(arg);
	size_t cap = 1;
	for (const char *q = arg; *q; q++)
		cap += *q == ',';
	if (cap > PLAT_MAX_LIST) {
		free(buf);
		return cvo_error_set(err, CVO_ERR_USAGE, "--memory", 0, 0,
				     "more than %d ranges", PLAT_MAX_LIST);
	}
	ov->memory = calloc(cap, sizeof(*ov->memory));
	if (!buf || !ov->memory) {
		free(buf);
		return cvo_error_set(err, CVO_ERR_NOMEM, "--memory", 0, 0, "out of memory");
	}
	int r = 0;
	for (char *tok = buf, *next; tok && !r; tok = next) {
		/* split by hand: an empty entry ("a:b,,c:d", a trailing comma) is a mistake */
		next = strchr(tok, ',');
		if (next)
			*next++ = '\0';
		char *colon = strchr(tok, ':');
		struct cvo_range *m = &ov->memory[ov->n_memory];
		uint64_t last;
		if (!colon) {
			r = opt_bad(err, "--memory", MEMORY_EXPECTED, arg);
			break;
		}
		*colon = '\0';
		int rb = parse_size(tok, &m->base), rs = parse_size(colon + 1, &m->size);
		if (rb == -2 || rs == -2)
			r = opt_bad(err, "--memory", "\"%.200s\" does not fit in 64 bits", arg);
		else if (rb || rs)
			r = opt_bad(err, "--memory", MEMORY_EXPECTED, arg);
		else if (!m->size)
			r = opt_bad(err, "--memory", "a size of 0 in \"%.200s\"", arg);
		else if (!cvo_range_end(m->base, m->size, &last))
			r = opt_bad(err, "--memory", "base + size is beyond 2^64 in \"%.200s\"", arg);
		else
			ov->n_memory++;
	}
	if (!r && !ov->n_memory)
		r = opt_bad(err, "--memory", MEMORY_EXPECTED, arg);
	free(buf);
	ov->has_memory = true;
	return r;
}

int cvo_overrides_new(const struct cvo_platform_options *o, struct cvo_overrides **out,
		      struct cvo_error *err)
{
	struct cvo_overrides *ov = calloc(1, sizeof(*ov));
	if (!ov)
		return cvo_error_set(err, CVO_ERR_NOMEM, "", 0, 0, "out of memory");
	kc_set_init(&ov->config, "");
	int r = 0;
	if (o && o->kernel) {
		ov->has_version = true;
		if (!kc_parse_release(o->kernel, &ov->kmaj, &ov->kmin, &ov->kpatch))
			r = opt_bad(err, "--kernel",
				    "expected a version such as 6.12 or `uname -r` such as "
				    "6.12.117+deb13-arm64, got \"%.200s\"", o->kernel);
		else if (!(ov->release = cvo_strdup(o->kernel)))
			r = cvo_error_set(err, CVO_ERR_NOMEM, "--kernel", 0, 0, "out of memory");
	}
	if (!r && o && o->page_size) {
		uint64_t v;
		ov->has_page_size = true;
		if (parse_size(o->page_size, &v) || (v != 4096 && v != 16384 && v != 65536))
			r = opt_bad(err, "--page-size", "expected 4K, 16K or 64K, got \"%.200s\"",
				    o->page_size);
		else if (!(ov->page_size_text = cvo_strdup(o->page_size)))
			r = cvo_error_set(err, CVO_ERR_NOMEM, "--page-size", 0, 0, "out of memory");
		ov->page_size = (uint32_t)v;
	}
	if (!r && o && o->cmdline) {
		struct pctx c = { .file = "--cmdline", .err = err };
		ov->has_cmdline = true;
		ov->cmdline = cvo_strdup(o->cmdline);
		if (!ov->cmdline)
			r = nomem(&c);
		else if ((r = cmdline_parse(&c, NULL, ov->cmdline, &ov->cl)) == CVO_ERR_INVALID)
			r = CVO_ERR_USAGE; /* a malformed option value */
		if (r)
			err->line = err->column = 0;
	}
	if (!r && o && o->memory)
		r = parse_memory_option(o->memory, ov, err);
	if (!r && o && o->config) {
		ov->has_config = true;
		r = kc_read_file(o->config, o->config, &ov->config, err);
	}
	ov->any = ov->has_version || ov->has_page_size || ov->has_cmdline || ov->has_memory ||
		  ov->has_config;
	if (r) {
		cvo_overrides_free(ov);
		return r;
	}
	*out = ov;
	return 0;
}

int cvo_platform_override(struct cvo_platform *p, const struct cvo_overrides *ov,
			  struct cvo_error *err)
{
	if (!ov || !ov->any)
		return 0;
	if (ov->has_page_size && !page_size_ok(p->arch, ov->page_size))
		return cvo_error_set(err, CVO_ERR_USAGE, "--page-size", 0, 0,
				     "%s is not a page size of arch %s (the platform \"%s\"): "
				     "expected 4K", ov->page_size_text, cvo_arch_name(p->arch),
				     p->name);
	struct pctx c = { .file = "command line", .err = err };
	struct layer l = { 0 };
	int r = CVO_ERR_NOMEM;
	if (ov->has_version) {
		l.has_version = true;
		l.kmaj = ov->kmaj;
		l.kmin = ov->kmin;
		l.kpatch = ov->kpatch;
		l.release = cvo_strdup(ov->release);
		l.origin[CVO_ORIGIN_VERSION] = cvo_strdup("--kernel");
		if (!l.release || !l.origin[CVO_ORIGIN_VERSION])
			goto nomem;
	}
	if (ov->has_config)
		l.whole = &ov->config;
	if (ov->has_page_size) {
		l.has_page_size = true;
		l.page_size = ov->page_size;
		l.page_size_text = ov->page_size_text;
		if (!(l.origin[CVO_ORIGIN_PAGE_SIZE] = cvo_strdup("--page-size")))
			goto nomem;
	}
	if (ov->has_cmdline) {
		l.has_cmdline = true;
		l.cl = ov->cl;
		l.cmdline = cvo_strdup(ov->cmdline);
		l.origin[CVO_ORIGIN_CMDLINE] = cvo_strdup("--cmdline");
		if (!l.cmdline || !l.origin[CVO_ORIGIN_CMDLINE])
			goto nomem;
	}
	if (ov->has_memory) {
		l.has_memory = true;
		l.memory = calloc(ov->n_memory, sizeof(*l.memory));
		l.origin[CVO_ORIGIN_MEMORY] = cvo_strdup("--memory");
		if (!l.memory || !l.origin[CVO_ORIGIN_MEMORY])
			goto nomem;
		memcpy(l.memory, ov->memory, ov->n_memory * sizeof(*l.memory));
		l.n_memory = ov->n_memory;
	}
	r = layer_apply_kernel(&c, p, &l);
	/* an option is the user's own word, as a platform file's own key is: it beats what
	 * a boot log says (verify) */
	if (!r)
		p->own |= (ov->has_version ? CVO_PLATFORM_OWN_VERSION : 0u) |
			  (ov->has_cmdline ? CVO_PLATFORM_OWN_CMDLINE : 0u) |
			  (ov->has_memory ? CVO_PLATFORM_OWN_MEMORY : 0u);
	layer_fini(&l);
	return r;
nomem:
	layer_fini(&l);
	return nomem(&c);
}

const char *cvo_platform_origin(const struct cvo_platform *p, char *buf, size_t len)
{
	if (!p)
		snprintf(buf, len, "the default profile");
	else if (p->file && !strcmp(p->file, "builtin"))
		snprintf(buf, len, "the %s profile (Debian's kernel)",
			 p->name ? p->name : "generic");
	else
		snprintf(buf, len, "platform %s", p->name ? p->name : "?");
	return buf;
}
