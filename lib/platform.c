// SPDX-License-Identifier: MIT
/*
 * Platform capability files (carveout-platform(5)): what the DT cannot say
 * about the kernel build and the hardware.
 *
 * A file is read with libyaml's event API into a small tree that keeps every
 * node's mark, checked against the format in document order (so the first
 * error in the file is the one reported), then applied on top of its base:
 * the platform named by `extends`, else the built-in generic profile of its
 * arch (Debian 12's kernel configuration for that arch).
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

/* ------------------------------------------------------------------ generic profiles */

/*
 * The generic profile of each arch: Debian 12's kernel (6.1) configuration.
 * arm64 and arm are read from the Debian packages' /boot/config-6.1.0-50-*;
 * riscv and powerpc were not available to read and are marked as guesses in
 * their sources (carveout-platform(5) lists them).
 */
struct generic_profile {
	enum cvo_arch arch;
	uint32_t page_size;
	struct cvo_kconfig config;
	int max_page_order;
	int thp;
	const char *sources[3];
};

static const struct generic_profile generic_profiles[] = {
	{
		.arch = CVO_ARCH_ARM64,
		.page_size = 4096,
		.config = {
			.zone_dma = 1, .zone_dma32 = 1, .dma_cma = 1, .cma_size_mbytes = 64,
			.cma_areas = 19, .hugetlb_page = 1, .dma_restricted_pool = 0,
			.dma_direct_remap = 1, .dma_global_pool = 0,
			.init_on_alloc_default_on = 1,
		},
		.max_page_order = 10,
		.thp = 1,
		.sources = {
			"Debian 12 linux-image-6.1.0-50-arm64, /boot/config-6.1.0-50-arm64: "
			"ARM64_4K_PAGES=y ZONE_DMA=y ZONE_DMA32=y DMA_CMA=y CMA_SIZE_MBYTES=64 "
			"CMA_AREAS=19 HUGETLB_PAGE=y TRANSPARENT_HUGEPAGE=y "
			"DMA_RESTRICTED_POOL is not set DMA_DIRECT_REMAP=y DMA_GLOBAL_POOL unset "
			"INIT_ON_ALLOC_DEFAULT_ON=y ARCH_FORCE_MAX_ORDER=11",
		},
	},
	{
		.arch = CVO_ARCH_ARM,
		.page_size = 4096,
		.config = {
			.zone_dma = 1, .zone_dma32 = 0, .dma_cma = 1, .cma_size_mbytes = 16,
			.cma_areas = 7, .hugetlb_page = 0, .dma_restricted_pool = 0,
			.dma_direct_remap = 0, .dma_global_pool = 0,
			.init_on_alloc_default_on = 1,
		},
		/* ARCH_FORCE_MAX_ORDER=12 (SOC_AM33XX=y) is MAX_ORDER in 6.1: order 11 */
		.max_page_order = 11,
		.thp = 0,
		.sources = {
			"Debian 12 linux-image-6.1.0-50-armmp, /boot/config-6.1.0-50-armmp: "
			"ZONE_DMA=y DMA_CMA=y CMA_SIZE_MBYTES=16 CMA_AREAS=7 HUGETLB_PAGE unset "
			"TRANSPARENT_HUGEPAGE unset DMA_RESTRICTED_POOL is not set "
			"DMA_DIRECT_REMAP unset DMA_GLOBAL_POOL unset INIT_ON_ALLOC_DEFAULT_ON=y "
			"ARCH_FORCE_MAX_ORDER=12 (SOC_AM33XX=y) ARM_LPAE is not set",
			"the armmp-lpae flavour differs: HUGETLB_PAGE=y TRANSPARENT_HUGEPAGE=y",
		},
	},
	{
		.arch = CVO_ARCH_RISCV,
		.page_size = 4096,
		.config = {
			.zone_dma = 0, .zone_dma32 = 1, .dma_cma = 1, .cma_size_mbytes = 16,
			.cma_areas = 19, .hugetlb_page = 1, .dma_restricted_pool = 0,
			.dma_direct_remap = 1, .dma_global_pool = 0,
			.init_on_alloc_default_on = 1,
		},
		.max_page_order = 10,
		.thp = 1,
		.sources = {
			"guess: Debian 12 riscv64 (6.1) configuration not read; values are the "
			"6.1 Kconfig defaults (arch/riscv/Kconfig: ZONE_DMA32 default y if 64BIT, "
			"no ZONE_DMA, MAX_ORDER 11; mm/Kconfig CMA_AREAS default 19 if NUMA; "
			"kernel/dma/Kconfig CMA_SIZE_MBYTES default 16) plus Debian's common "
			"INIT_ON_ALLOC_DEFAULT_ON=y, HUGETLBFS=y; DMA_CMA=y and "
			"DMA_DIRECT_REMAP=y (RISCV_DMA_NONCOHERENT) are guesses",
		},
	},
	{
		.arch = CVO_ARCH_POWERPC,
		.page_size = 65536,
		.config = {
			.zone_dma = 0, .zone_dma32 = 0, .dma_cma = 1, .cma_size_mbytes = 16,
			.cma_areas = 19, .hugetlb_page = 1, .dma_restricted_pool = 0,
			.dma_direct_remap = 0, .dma_global_pool = 0,
			.init_on_alloc_default_on = 1,
		},
		/* ARCH_FORCE_MAX_ORDER default 9 for PPC64 && PPC_64K_PAGES in 6.1 */
		.max_page_order = 8,
		.thp = 1,
		.sources = {
			"guess: Debian 12 ppc64el (6.1) configuration not read; PPC_64K_PAGES, "
			"no ZONE_DMA/ZONE_DMA32 on Book3S-64, ARCH_FORCE_MAX_ORDER default 9, "
			"mm/Kconfig CMA_AREAS default 19 if NUMA, kernel/dma/Kconfig "
			"CMA_SIZE_MBYTES default 16, Debian's common INIT_ON_ALLOC_DEFAULT_ON=y; "
			"DMA_CMA=y and the radix MMU (2 MiB PMD huge pages) are guesses",
		},
	},
};

static const struct generic_profile *generic_profile(enum cvo_arch arch)
{
	for (size_t i = 0; i < CVO_ARRAY_LEN(generic_profiles); i++)
		if (generic_profiles[i].arch == arch)
			return &generic_profiles[i];
	return NULL;
}

int cvo_platform_generic(enum cvo_arch arch, struct cvo_platform **out, struct cvo_error *err)
{
	const struct generic_profile *g = generic_profile(arch);
	if (!g)
		return cvo_error_set(err, CVO_ERR_USAGE, "builtin", 0, 0, "unknown arch %d",
				     (int)arch);
	struct cvo_platform *p = calloc(1, sizeof(*p));
	if (!p)
		goto nomem;
	p->arch = arch;
	p->name = cvo_asprintf("generic-%s", cvo_arch_name(arch));
	p->file = cvo_strdup("builtin");
	if (!p->name || !p->file)
		goto nomem;
	p->page_size = g->page_size;
	p->kver_major = 6;
	p->kver_minor = 1;
	p->kver_patch = -1;
	p->config = g->config;
	p->max_page_order = g->max_page_order;
	p->transparent_hugepage = g->thp;
	size_t n = 0;
	while (n < CVO_ARRAY_LEN(g->sources) && g->sources[n])
		n++;
	p->sources = calloc(n ? n : 1, sizeof(char *));
	if (!p->sources)
		goto nomem;
	for (size_t i = 0; i < n; i++) {
		p->sources[i] = cvo_strdup(g->sources[i]);
		if (!p->sources[i])
			goto nomem;
		p->n_sources++;
	}
	*out = p;
	return 0;
nomem:
	cvo_platform_free(p);
	return cvo_error_set(err, CVO_ERR_NOMEM, "builtin", 0, 0, "out of memory");
}

static bool generic_name(const char *name, enum cvo_arch *arch)
{
	if (strncmp(name, "generic-", 8) != 0)
		return false;
	return cvo_arch_parse(name + 8, arch);
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
	for (size_t i = 0; i < p->n_reserved; i++)
		free(p->reserved[i].name);
	free(p->reserved);
	for (size_t i = 0; i < p->n_devices; i++) {
		free(p->devices[i].match_compatible);
		free(p->devices[i].match_path);
	}
	free(p->devices);
	free(p->extends);
	free(p);
}

/* ------------------------------------------------------------------ YAML tree */

enum ykind { Y_SCALAR, Y_SEQ, Y_MAP };

struct ynode {
	enum ykind kind;
	int line, col;		/* 1-based */
	bool plain;		/* a scalar written without quotes */
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

/* ------------------------------------------------------------------ kernel config keys */

enum cfg_id {
	CFG_ZONE_DMA,
	CFG_ZONE_DMA32,
	CFG_DMA_CMA,
	CFG_CMA_SIZE_MBYTES,
	CFG_CMA_AREAS,
	CFG_HUGETLB_PAGE,
	CFG_TRANSPARENT_HUGEPAGE,
	CFG_DMA_RESTRICTED_POOL,
	CFG_DMA_DIRECT_REMAP,
	CFG_DMA_GLOBAL_POOL,
	CFG_INIT_ON_ALLOC_DEFAULT_ON,
	CFG_ARCH_FORCE_MAX_ORDER,
	CFG_PAGE_BLOCK_ORDER,
	CFG_ARM_LPAE,
	CFG_COUNT
};

static const struct cfg_key {
	const char *name;
	bool is_bool;
	uint64_t min, max;
} cfg_keys[CFG_COUNT] = {
	[CFG_ZONE_DMA] = { "ZONE_DMA", true, 0, 0 },
	[CFG_ZONE_DMA32] = { "ZONE_DMA32", true, 0, 0 },
	[CFG_DMA_CMA] = { "DMA_CMA", true, 0, 0 },
	/* dma_contiguous_reserve() shifts it by 20 into a phys_addr_t */
	[CFG_CMA_SIZE_MBYTES] = { "CMA_SIZE_MBYTES", false, 0, UINT64_MAX >> 20 },
	[CFG_CMA_AREAS] = { "CMA_AREAS", false, 1, 4096 },
	[CFG_HUGETLB_PAGE] = { "HUGETLB_PAGE", true, 0, 0 },
	[CFG_TRANSPARENT_HUGEPAGE] = { "TRANSPARENT_HUGEPAGE", true, 0, 0 },
	[CFG_DMA_RESTRICTED_POOL] = { "DMA_RESTRICTED_POOL", true, 0, 0 },
	[CFG_DMA_DIRECT_REMAP] = { "DMA_DIRECT_REMAP", true, 0, 0 },
	[CFG_DMA_GLOBAL_POOL] = { "DMA_GLOBAL_POOL", true, 0, 0 },
	[CFG_INIT_ON_ALLOC_DEFAULT_ON] = { "INIT_ON_ALLOC_DEFAULT_ON", true, 0, 0 },
	/* Kconfig value: MAX_ORDER before 6.4 (exclusive), MAX_PAGE_ORDER from 6.4 */
	[CFG_ARCH_FORCE_MAX_ORDER] = { "ARCH_FORCE_MAX_ORDER", false, 1, 21 },
	/* mm/Kconfig PAGE_BLOCK_ORDER (6.16+): range 1..ARCH_FORCE_MAX_ORDER */
	[CFG_PAGE_BLOCK_ORDER] = { "PAGE_BLOCK_ORDER", false, 1, 20 },
	/* arch/arm/Kconfig ARM_LPAE: selects PHYS_ADDR_T_64BIT */
	[CFG_ARM_LPAE] = { "ARM_LPAE", true, 0, 0 },
};

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
	bool has_version;
	int kmaj, kmin, kpatch;
	bool cfg_set[CFG_COUNT];
	uint64_t cfg[CFG_COUNT];
	const struct ynode *cfg_n[CFG_COUNT];
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
	for (size_t i = 0; i < l->n_compat; i++)
		free(l->compat[i]);
	free(l->compat);
	for (size_t i = 0; i < l->n_sources; i++)
		free(l->sources[i]);
	free(l->sources);
	free(l->memory);
	for (size_t i = 0; i < l->n_reserved; i++)
		free(l->reserved[i].name);
	free(l->reserved);
	for (size_t i = 0; i < l->n_devices; i++) {
		free(l->devices[i].match_compatible);
		free(l->devices[i].match_path);
	}
	free(l->devices);
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

/* "MAJOR.MINOR[.PATCH]", e.g. "6.6" or "6.12.117": selects the version-dependent rules
 * (a stable release's patch level decides which backports it carries). */
static int parse_version(const struct pctx *c, const struct ynode *n, struct layer *l)
{
	unsigned long v[3] = { 0, 0, 0 };
	size_t part = 0, digits = 0;
	bool ok = is_scalar(n) && n->len <= 12;
	for (const char *s = ok ? n->str : ""; ok && *s; s++) {
		if (*s == '.' && part < 2 && digits) {
			part++;
			digits = 0;
		} else if (isdigit((unsigned char)*s) && digits < 3) {
			v[part] = v[part] * 10 + (unsigned long)(*s - '0');
			digits++;
		} else {
			ok = false;
		}
	}
	if (!ok || part < 1 || !digits || v[0] < 2)
		return bad_value(c, n, "kernel.version",
				 "a version \"MAJOR.MINOR\" or \"MAJOR.MINOR.PATCH\" such as \"6.6\"");
	l->has_version = true;
	l->kmaj = (int)v[0];
	l->kmin = (int)v[1];
	l->kpatch = part == 2 ? (int)v[2] : -1;
	return 0;
}

static int parse_config(const struct pctx *c, const struct ynode *n, struct layer *l)
{
	const char *names[CFG_COUNT];
	for (size_t i = 0; i < CFG_COUNT; i++)
		names[i] = cfg_keys[i].name;
	int r = expect_kind(c, n, "kernel.config", Y_MAP);
	if (!r)
		r = check_keys(c, n, "kernel.config", names, CFG_COUNT);
	if (r)
		return r;
	for (size_t i = 0; i < n->n; i += 2) {
		const struct ynode *k = n->kids[i], *v = n->kids[i + 1];
		size_t id = 0;
		while (strcmp(cfg_keys[id].name, k->str) != 0)
			id++;
		char where[64];
		snprintf(where, sizeof(where), "kernel.config.%s", k->str);
		const struct cfg_key *ck = &cfg_keys[id];
		if (ck->is_bool) {
			if (is_scalar(v) && strcmp(v->str, "y") == 0)
				l->cfg[id] = 1;
			else if (is_scalar(v) && strcmp(v->str, "n") == 0)
				l->cfg[id] = 0;
			else
				return bad_value(c, v, where, "y or n");
		} else if ((r = get_uint(c, v, where, ck->min, ck->max, &l->cfg[id]))) {
			return r;
		}
		l->cfg_set[id] = true;
		l->cfg_n[id] = v;
	}
	return 0;
}

static int parse_kernel(const struct pctx *c, const struct ynode *n, struct layer *l)
{
	static const char *const keys[] = { "version", "config", "cmdline" };
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
		} else {
			r = get_string(c, v, "kernel.cmdline", true, &l->cmdline);
			if (!r)
				r = cmdline_parse(c, v, l->cmdline, &l->cl);
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

static int parse_devices(const struct pctx *c, const struct ynode *n, struct layer *l)
{
	static const char *const keys[] = {
		"match", "dma-bits", "coherent", "iommu", "cma", "small-allocs", "atomic",
		"firmware-owned",
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
				uint64_t bits;
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
		} else if (strcmp(k, "page-size") == 0) {
			r = page_size_of(c, v, &l->page_size);
			l->has_page_size = true;
			l->page_size_n = v;
		} else if (strcmp(k, "kernel") == 0) {
			r = parse_kernel(c, v, l);
		} else if (strcmp(k, "memory") == 0) {
			r = parse_memory(c, v, l);
			l->has_memory = true;
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

uint64_t cvo_platform_phys_max(const struct cvo_platform *p)
{
	return p && p->arch == CVO_ARCH_ARM && p->config.arm_lpae != 1 ? 0xffffffffu : UINT64_MAX;
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
		} else {
			p->n_devices++;
		}
		p->devices[j] = *d;
		d->match_compatible = d->match_path = NULL;
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
		if (j < p->n_reserved)
			free(p->reserved[j].name);
		else
			p->n_reserved++;
		p->reserved[j] = l->reserved[i];
		l->reserved[i].name = NULL;
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

static int apply_config(const struct pctx *c, struct cvo_platform *p, const struct layer *l)
{
	struct cvo_kconfig *k = &p->config;
	for (size_t id = 0; id < CFG_COUNT; id++) {
		if (!l->cfg_set[id])
			continue;
		uint64_t v = l->cfg[id];
		switch ((enum cfg_id)id) {
		case CFG_ZONE_DMA: k->zone_dma = (int)v; break;
		case CFG_ZONE_DMA32: k->zone_dma32 = (int)v; break;
		case CFG_DMA_CMA: k->dma_cma = (int)v; break;
		case CFG_CMA_SIZE_MBYTES: k->cma_size_mbytes = v; break;
		case CFG_CMA_AREAS: k->cma_areas = (int)v; break;
		case CFG_HUGETLB_PAGE: k->hugetlb_page = (int)v; break;
		case CFG_TRANSPARENT_HUGEPAGE: p->transparent_hugepage = (int)v; break;
		case CFG_DMA_RESTRICTED_POOL: k->dma_restricted_pool = (int)v; break;
		case CFG_DMA_DIRECT_REMAP: k->dma_direct_remap = (int)v; break;
		case CFG_DMA_GLOBAL_POOL: k->dma_global_pool = (int)v; break;
		case CFG_INIT_ON_ALLOC_DEFAULT_ON: k->init_on_alloc_default_on = (int)v; break;
		case CFG_ARCH_FORCE_MAX_ORDER:
			/* 23baf831a32c (6.4) made MAX_ORDER inclusive; the Kconfig values
			 * dropped by one, so before 6.4 the largest order is the value - 1 */
			if (!cvo_platform_kver_ge(p, 6, 4) && v < 2)
				return bad_value(c, l->cfg_n[id],
						 "kernel.config.ARCH_FORCE_MAX_ORDER",
						 "a number from 2 to 21 (MAX_ORDER before 6.4)");
			p->max_page_order = (int)(cvo_platform_kver_ge(p, 6, 4) ? v : v - 1);
			break;
		case CFG_PAGE_BLOCK_ORDER: k->page_block_order = (int)v; break;
		case CFG_ARM_LPAE: k->arm_lpae = (int)v; break;
		case CFG_COUNT: break;
		}
	}
	if (l->cfg_set[CFG_PAGE_BLOCK_ORDER] && k->page_block_order > max_page_order(p))
		return bad(c, l->cfg_n[CFG_PAGE_BLOCK_ORDER],
			   "kernel.config.PAGE_BLOCK_ORDER: %d is above the largest page order %d",
			   k->page_block_order, max_page_order(p));
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
	if (l->has_page_size) {
		if (!page_size_ok(p->arch, l->page_size))
			return bad(c, l->page_size_n,
				   "page-size: %s is not a page size of arch %s (expected 4K)",
				   l->page_size_n->str, cvo_arch_name(p->arch));
		if (l->page_size != p->page_size)
			p->max_page_order = 0; /* the arch default for the new page size */
		p->page_size = l->page_size;
	}
	if (l->has_version) {
		p->kver_major = l->kmaj;
		p->kver_minor = l->kmin;
		p->kver_patch = l->kpatch;
	}
	if ((r = apply_config(c, p, l)))
		return r;
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
	}
	if (l->has_compat) {
		for (size_t i = 0; i < p->n_compatible; i++)
			free(p->compatible[i]);
		free(p->compatible);
		p->compatible = l->compat;
		p->n_compatible = l->n_compat;
		l->compat = NULL;
		l->n_compat = 0;
	}
	if (l->has_memory) {
		free(p->memory);
		p->memory = l->memory;
		p->n_memory = l->n_memory;
		l->memory = NULL;
		l->n_memory = 0;
	}
	if ((l->has_sources && apply_sources(p, l)) || (l->has_reserved && apply_reserved(p, l)) ||
	    (l->has_devices && apply_devices(p, l)))
		return nomem(c);
	return 0;
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
	enum cvo_arch arch;
	if (generic_name(l->extends, &arch))
		return cvo_platform_generic(arch, out, c->err);
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

static int load_text(const unsigned char *buf, size_t len, const char *file, const char *dir,
		     const char *real, const char *boards_dir, const struct chain *up,
		     struct cvo_platform **out, struct cvo_error *err)
{
	struct pctx c = { .file = file, .err = err };
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
	enum cvo_arch arch;
	if (generic_name(spec, &arch))
		return cvo_platform_generic(arch, out, err);
	if (!valid_name(spec) || !boards_dir)
		return cvo_error_set(err, CVO_ERR_USAGE, spec, 0, 0,
				     "unknown platform \"%s\": expected a file path, \"auto\", "
				     "generic-ARCH or a bundled board name", spec);
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
