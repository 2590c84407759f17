// SPDX-License-Identifier: MIT
/*
 * One platform file's content (carveout-platform(5)) checked against the
 * format in document order, so the first error in the file is the one
 * reported, into a struct layer that load.c lays over the file's base.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util.h"
#include "internal.h"

/* The device list's cap (see PLAT_MAX_LIST in internal.h). */
#define PLAT_MAX_DEVICES 4096
/* Longest platform name. */
#define PLAT_MAX_NAME 64

void plat_layer_fini(struct layer *l)
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
	char *o = n ? cvo_asprintf("%s:%d", c->shown ? c->shown : c->y.file, n->line)
		    : cvo_strdup(c->shown ? c->shown : c->y.file);
	if (!o)
		return yn_nomem(&c->y);
	free(l->origin[which]);
	l->origin[which] = o;
	return 0;
}

bool plat_valid_name(const char *s)
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
	if (!yn_is_scalar(n) || !plat_valid_name(n->str))
		return yn_bad_value(&c->y, n, where,
				    "a name of up to 64 letters, digits, '.', '_' and '-'");
	return yn_get_string(&c->y, n, where, false, out);
}

static int parse_string_list(const struct pctx *c, const struct ynode *n, const char *where,
			     char ***out, size_t *nout)
{
	int r = yn_expect_kind(&c->y, n, where, Y_SEQ);
	if (r)
		return r;
	if (n->n > PLAT_MAX_LIST)
		return yn_bad(&c->y, n, "%s: more than %d entries", where, PLAT_MAX_LIST);
	char **v = calloc(n->n ? n->n : 1, sizeof(char *));
	if (!v)
		return yn_nomem(&c->y);
	*out = v;
	for (size_t i = 0; i < n->n; i++) {
		char w[64];
		snprintf(w, sizeof(w), "%s[%zu]", where, i);
		if ((r = yn_get_string(&c->y, n->kids[i], w, false, &v[i])))
			return r;
		(*nout)++;
	}
	return 0;
}

/* "6.12", "6.12.117", uname -r style "6.12.117+deb13-arm64" or "6.1.0-50-arm64". */
static int parse_version(const struct pctx *c, const struct ynode *n, struct layer *l)
{
	int maj, min, patch;
	if (!yn_is_scalar(n) || !kc_parse_release(n->str, &maj, &min, &patch))
		return yn_bad_value(&c->y, n, "kernel.version",
				    "a version \"MAJOR.MINOR[.PATCH]\" such as \"6.12\", or "
				    "`uname -r` such as \"6.12.117+deb13-arm64\"");
	l->has_version = true;
	l->kmaj = maj;
	l->kmin = min;
	l->kpatch = patch;
	free(l->release);
	l->release = cvo_strdup(n->str);
	if (!l->release)
		return yn_nomem(&c->y);
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
	kc_set_init(s, c->y.file);
	l->has_cfg_map = true;
	int r = kc_set_origin(s, c->shown ? c->shown : c->y.file, c->y.err);
	if (r)
		return r;
	if (n->kind == Y_SCALAR && n->literal) {
		/* the block's text starts on the line after the '|' */
		r = kc_parse_text(s, n->str, n->len, n->line + 1, c->y.err);
		return r ? r : kc_set_sort(s, false, c->y.err);
	}
	if (n->kind != Y_MAP || yn_is_null(n))
		return yn_bad_value(&c->y, n, "kernel.config",
				    "a mapping of Kconfig symbols, or .config text in a | block");
	for (size_t i = 0; i < n->n; i += 2) {
		const struct ynode *k = n->kids[i], *v = n->kids[i + 1];
		char where[200];
		if (k->kind != Y_SCALAR)
			return yn_bad(&c->y, k, "kernel.config: expected a key name, got %s",
				      k->kind == Y_MAP ? "a mapping" : "a sequence");
		snprintf(where, sizeof(where), "kernel.config.%.150s", k->str);
		if (!yn_is_scalar(v))
			return yn_bad_value(&c->y, v, where, "y, m, n, a number or a string");
		if ((r = kc_set_add(s, k->str, v->str, v->line, v->col, k->col, c->y.err)))
			return r;
	}
	/* NAME and CONFIG_NAME are one symbol: written twice is a mistake */
	return kc_set_sort(s, true, c->y.err);
}

/* kernel.config-file: a .config beside the platform file (a path relative to it). */
static int parse_config_file(const struct pctx *c, const struct ynode *n, struct layer *l)
{
	char *rel = NULL;
	int r = yn_get_string(&c->y, n, "kernel.config-file", false, &rel);
	if (r)
		return r;
	kc_set_init(&l->cfg_file, c->y.file);
	l->has_cfg_file = true;
	if (!c->dir) {
		free(rel);
		return yn_bad(&c->y, n, "kernel.config-file: a platform file read from memory "
			      "has no folder to find \"%.200s\" in", n->str);
	}
	char *path = rel[0] == '/' ? cvo_strdup(rel) : cvo_asprintf("%s/%s", c->dir, rel);
	char *shown = rel[0] == '/' || !c->shown || !strchr(c->shown, '/')
			      ? cvo_strdup(rel) : cvo_asprintf("%s/%s", c->dir, rel);
	free(rel);
	if (!path || !shown) {
		free(path);
		free(shown);
		return yn_nomem(&c->y);
	}
	/* errors name the .config (file:line); the platform file's line is in the origins */
	r = kc_read_file(path, shown, &l->cfg_file, c->y.err);
	l->whole = &l->cfg_file;
	free(path);
	free(shown);
	return r;
}

static int parse_kernel(const struct pctx *c, const struct ynode *n, struct layer *l)
{
	static const char *const keys[] = { "version", "config", "config-file", "cmdline" };
	int r = yn_expect_kind(&c->y, n, "kernel", Y_MAP);
	if (!r)
		r = yn_check_keys(&c->y, n, "kernel", keys, CVO_ARRAY_LEN(keys));
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
			r = yn_get_string(&c->y, v, "kernel.cmdline", true, &l->cmdline);
			if (!r)
				r = plat_cmdline_parse(&c->y, v, l->cmdline, &l->cl);
			if (!r)
				r = note_origin(c, l, CVO_ORIGIN_CMDLINE, v);
			l->has_cmdline = true;
		}
		if (r)
			return r;
	}
	return 0;
}

/*
 * A list of {base, size} mappings (memory:, reserved:): a sequence of at most PLAT_MAX_LIST
 * mappings of keys[]; item() reads entry i ("NAME[i]") into element i of the array of
 * elem-byte elements that *out receives (the caller's to free, whatever the result).
 */
static int parse_range_list(const struct pctx *c, const struct ynode *n, const char *name,
			    const char *const *keys, size_t nkeys, size_t elem, void **out,
			    int (*item)(const struct pctx *c, const struct ynode *e,
					const char *where, void *arr, size_t i, struct layer *l),
			    struct layer *l)
{
	int r = yn_expect_kind(&c->y, n, name, Y_SEQ);
	if (r)
		return r;
	if (n->n > PLAT_MAX_LIST)
		return yn_bad(&c->y, n, "%s: more than %d entries", name, PLAT_MAX_LIST);
	*out = calloc(n->n ? n->n : 1, elem);
	if (!*out)
		return yn_nomem(&c->y);
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *e = n->kids[i];
		char where[64];
		snprintf(where, sizeof(where), "%s[%zu]", name, i);
		if ((r = yn_expect_kind(&c->y, e, where, Y_MAP)) ||
		    (r = yn_check_keys(&c->y, e, where, keys, nkeys)) ||
		    (r = item(c, e, where, *out, i, l)))
			return r;
	}
	return 0;
}

/* The checks of an entry's range once base and size are read. */
static int check_range(const struct pctx *c, const struct ynode *e, const char *where,
		       uint64_t base, uint64_t size)
{
	uint64_t last;
	if (size == 0)
		return yn_bad(&c->y, yn_map_get(e, "size"), "%s.size: must not be 0", where);
	if (!cvo_range_end(base, size, &last))
		return yn_bad(&c->y, e, "%s: base + size is beyond 2^64", where);
	return 0;
}

static const char *const memory_keys[] = {"base", "size"};

static int memory_item(const struct pctx *c, const struct ynode *e, const char *where, void *arr,
		       size_t i, struct layer *l)
{
	struct cvo_range *m = (struct cvo_range *)arr + i;
	char w2[128];
	int r;
	for (size_t k = 0; k < CVO_ARRAY_LEN(memory_keys); k++) {
		const struct ynode *v = yn_map_get(e, memory_keys[k]);
		if (!v)
			return yn_bad(&c->y, e, "%s: missing required key \"%s\"", where,
				      memory_keys[k]);
		snprintf(w2, sizeof(w2), "%s.%s", where, memory_keys[k]);
		if ((r = yn_get_size(&c->y, v, w2, k ? &m->size : &m->base)))
			return r;
	}
	if ((r = check_range(c, e, where, m->base, m->size)))
		return r;
	l->n_memory++;
	return 0;
}

static int parse_memory(const struct pctx *c, const struct ynode *n, struct layer *l)
{
	void *v = NULL;
	int r = parse_range_list(c, n, "memory", memory_keys, CVO_ARRAY_LEN(memory_keys),
				 sizeof(*l->memory), &v, memory_item, l);
	l->memory = v;
	return r;
}

static const char *const reserved_keys[] = {"name", "base", "size", "dtb"};

static int reserved_item(const struct pctx *c, const struct ynode *e, const char *where, void *arr,
			 size_t i, struct layer *l)
{
	static const size_t n_required = 3; /* dtb is optional */
	struct cvo_named_range *all = arr, *m = &all[i];
	char w2[128];
	int r;
	m->origin = cvo_asprintf("%s:%d", c->shown ? c->shown : c->y.file, e->line);
	l->n_reserved = i + 1; /* m->origin is owned from here */
	if (!m->origin)
		return yn_nomem(&c->y);
	for (size_t k = 0; k < n_required; k++) {
		if (!yn_map_get(e, reserved_keys[k]))
			return yn_bad(&c->y, e, "%s: missing required key \"%s\"", where,
				      reserved_keys[k]);
	}
	for (size_t k = 0; k < e->n; k += 2) {
		const char *key = e->kids[k]->str;
		const struct ynode *v = e->kids[k + 1];
		snprintf(w2, sizeof(w2), "%s.%s", where, key);
		if (strcmp(key, "name") == 0) {
			r = yn_get_string(&c->y, v, w2, false, &m->name);
			l->n_reserved = i + 1; /* m->name is owned from here */
			for (size_t j = 0; !r && j < i; j++) {
				if (strcmp(all[j].name, m->name) == 0)
					r = yn_bad(&c->y, v,
						   "%s: duplicate name "
						   "\"%s\" (first in reserved[%zu])",
						   w2, m->name, j);
			}
		} else if (strcmp(key, "dtb") == 0) {
			int dtb = 0;
			r = yn_get_bool(&c->y, v, w2, &dtb);
			m->dtb = dtb == 1;
		} else {
			bool base = strcmp(key, "base") == 0;
			r = yn_get_size(&c->y, v, w2, base ? &m->base : &m->size);
		}
		if (r)
			return r;
	}
	if ((r = check_range(c, e, where, m->base, m->size)))
		return r;
	l->n_reserved = i + 1;
	return 0;
}

static int parse_reserved(const struct pctx *c, const struct ynode *n, struct layer *l)
{
	void *v = NULL;
	int r = parse_range_list(c, n, "reserved", reserved_keys, CVO_ARRAY_LEN(reserved_keys),
				 sizeof(*l->reserved), &v, reserved_item, l);
	l->reserved = v;
	return r;
}

static int parse_match(const struct pctx *c, const struct ynode *n, const char *where,
		       struct cvo_platform_device *d)
{
	static const char *const keys[] = { "compatible", "path" };
	int r = yn_expect_kind(&c->y, n, where, Y_MAP);
	if (!r)
		r = yn_check_keys(&c->y, n, where, keys, CVO_ARRAY_LEN(keys));
	if (r)
		return r;
	const struct ynode *compat = yn_map_get(n, "compatible"), *path = yn_map_get(n, "path");
	if (compat && path)
		return yn_bad(&c->y, n, "%s: expected exactly one of compatible or path, got both",
			      where);
	if (!compat && !path)
		return yn_bad(&c->y, n,
			      "%s: expected exactly one of compatible or path, got neither", where);
	char w2[160];
	if (compat) {
		snprintf(w2, sizeof(w2), "%s.compatible", where);
		return yn_get_string(&c->y, compat, w2, false, &d->match_compatible);
	}
	snprintf(w2, sizeof(w2), "%s.path", where);
	if (!yn_is_scalar(path) || path->str[0] != '/')
		return yn_bad_value(&c->y, path, w2, "an absolute node path such as \"/soc/scm\"");
	return yn_get_string(&c->y, path, w2, false, &d->match_path);
}

bool plat_same_match(const struct cvo_platform_device *a, const struct cvo_platform_device *b)
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
	if (yn_is_scalar(n) && !strcmp(n->str, "all")) {
		d->attach_all = true;
		return 0;
	}
	if (n->kind != Y_SEQ)
		return yn_bad_value(&c->y, n, where,
				    "all, or a list of memory-region indices such as [0, 1]");
	for (size_t i = 0; i < n->n; i++) {
		char w[160];
		uint64_t idx;
		snprintf(w, sizeof(w), "%s[%zu]", where, i);
		int r = yn_get_uint(&c->y, n->kids[i], w, 0, 63, &idx);
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
		"firmware-owned", "attach", "movable",
	};
	int r = yn_expect_kind(&c->y, n, "devices", Y_SEQ);
	if (r)
		return r;
	if (n->n > PLAT_MAX_DEVICES)
		return yn_bad(&c->y, n, "devices: more than %d entries", PLAT_MAX_DEVICES);
	l->devices = calloc(n->n ? n->n : 1, sizeof(*l->devices));
	if (!l->devices)
		return yn_nomem(&c->y);
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *e = n->kids[i];
		char where[64], w2[128];
		snprintf(where, sizeof(where), "devices[%zu]", i);
		if ((r = yn_expect_kind(&c->y, e, where, Y_MAP)) ||
		    (r = yn_check_keys(&c->y, e, where, keys, CVO_ARRAY_LEN(keys))))
			return r;
		struct cvo_platform_device *d = &l->devices[i];
		l->n_devices = i + 1; /* owned (and freed) from here */
		d->coherent = d->iommu = d->small_allocs = d->firmware_owned = d->movable =
		    CVO_UNSET;
		d->line = e->line;
		const struct ynode *match = yn_map_get(e, "match");
		if (!match)
			return yn_bad(&c->y, e, "%s: missing required key \"match\"", where);
		for (size_t k = 0; k < e->n; k += 2) {
			const char *key = e->kids[k]->str;
			const struct ynode *v = e->kids[k + 1];
			snprintf(w2, sizeof(w2), "%s.%s", where, key);
			if (strcmp(key, "match") == 0) {
				r = parse_match(c, v, w2, d);
				for (size_t j = 0; !r && j < i; j++) {
					if (plat_same_match(&l->devices[j], d))
						r = yn_bad(&c->y, v, "%s: same match as "
							   "devices[%zu] (line %d)", w2, j,
							   l->devices[j].line);
				}
			} else if (strcmp(key, "dma-bits") == 0) {
				uint64_t bits = 0;
				r = yn_get_uint(&c->y, v, w2, 1, 64, &bits);
				d->dma_bits = (int)bits;
			} else if (strcmp(key, "coherent") == 0) {
				r = yn_get_bool(&c->y, v, w2, &d->coherent);
			} else if (strcmp(key, "iommu") == 0) {
				r = yn_get_bool(&c->y, v, w2, &d->iommu);
			} else if (strcmp(key, "small-allocs") == 0) {
				r = yn_get_bool(&c->y, v, w2, &d->small_allocs);
			} else if (strcmp(key, "firmware-owned") == 0) {
				r = yn_get_bool(&c->y, v, w2, &d->firmware_owned);
			} else if (strcmp(key, "movable") == 0) {
				r = yn_get_bool(&c->y, v, w2, &d->movable);
			} else if (strcmp(key, "attach") == 0) {
				r = get_attach(c, v, w2, d);
			} else if (strcmp(key, "cma") == 0) {
				r = yn_get_size(&c->y, v, w2, &d->cma);
				d->has_cma = true;
			} else {
				r = yn_get_size(&c->y, v, w2, &d->atomic);
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
	if (!yn_is_scalar(n) || yn_parse_size(n->str, &v) ||
	    (v != 4096 && v != 16384 && v != 65536))
		return yn_bad_value(&c->y, n, "page-size", "4K, 16K or 64K");
	*out = (uint32_t)v;
	return 0;
}

/* Check one file's document against the format, in document order. */
int plat_layer_parse(const struct pctx *c, const struct ynode *root, struct layer *l)
{
	static const char *const keys[] = {
		"platform", "extends", "compatible", "sources", "arch", "page-size", "kernel",
		"memory", "reserved", "devices",
	};
	if (!root)
		return cvo_error_set(c->y.err, CVO_ERR_INVALID, c->y.file, 1, 1,
				     "expected a mapping, got an empty document");
	int r = yn_expect_kind(&c->y, root, "platform file", Y_MAP);
	if (!r)
		r = yn_check_keys(&c->y, root, "", keys, CVO_ARRAY_LEN(keys));
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
					r = yn_bad(&c->y, v->kids[j], "compatible[%zu]: expected a "
						   "\"vendor,model\" compatible (quote it inside "
						   "[...]), got \"%s\"", j, l->compat[j]);
			}
		} else if (strcmp(k, "sources") == 0) {
			r = parse_string_list(c, v, "sources", &l->sources, &l->n_sources);
			l->has_sources = true;
		} else if (strcmp(k, "arch") == 0) {
			if (!yn_is_scalar(v) || !cvo_arch_parse(v->str, &l->arch))
				r = yn_bad_value(&c->y, v, "arch", "arm, arm64, riscv or powerpc");
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
		return yn_bad(&c->y, root, "missing required key \"platform\"");
	if (!l->has_arch && !l->extends)
		return yn_bad(&c->y, root, "missing required key \"arch\"");
	return 0;
}
