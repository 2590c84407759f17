// SPDX-License-Identifier: MIT
/*
 * Platform files loaded (carveout-platform(5)): what the DT cannot say about
 * the kernel build and the hardware. A file is read into a tree (yaml.c),
 * checked into a layer (parse.c), then laid over its base: the platform named
 * by `extends`, else the built-in generic profile of its arch (profiles.c:
 * Debian 13's kernel configuration for that arch; the debian12-* profiles keep
 * Debian 12's).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../util.h"
#include "internal.h"

/* Chains of `extends` longer than this are a mistake, not a design. */
#define PLAT_MAX_EXTENDS 16

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
		while (j < p->n_devices && !plat_same_match(&p->devices[j], d))
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
		return yn_nomem(&c->y);
	free(p->origin[which]);
	p->origin[which] = o;
	return 0;
}

static int take_release(const struct pctx *c, struct cvo_platform *p, const char *release)
{
	char *v = cvo_strdup(release);
	if (!v)
		return yn_nomem(&c->y);
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
int plat_layer_apply_kernel(const struct pctx *c, struct cvo_platform *p, struct layer *l)
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
		if ((r = kc_apply(p, whole, &ew, c->y.err)))
			return r;
		char *o = cvo_strdup(whole->origin);
		if (!o)
			return yn_nomem(&c->y);
		free(p->config_origin);
		p->config_origin = o;
	}
	if (l->has_cfg_map && (r = kc_apply(p, &l->cfg_map, &em, c->y.err)))
		return r;
	const struct kc_effect *e = em.page_size ? &em : &ew;
	const struct kc_set *es = em.page_size ? &l->cfg_map : whole;
	uint32_t page = p->page_size;
	char *page_origin = NULL;
	if (l->has_page_size) {
		if (!plat_page_size_ok(p->arch, l->page_size))
			return cvo_error_set(c->y.err, CVO_ERR_INVALID, c->y.file,
					     l->page_size_n ? l->page_size_n->line : 0,
					     l->page_size_n ? l->page_size_n->col : 0,
					     "page-size: %s is not a page size of arch %s "
					     "(expected 4K)", l->page_size_text,
					     cvo_arch_name(p->arch));
		/* a file's page-size key is invalid input, --page-size a usage error */
		if (e->page_size && e->page_size != l->page_size)
			return cvo_error_set(c->y.err,
					     l->page_size_n ? CVO_ERR_INVALID : CVO_ERR_USAGE,
					     l->page_size_n ? c->y.file : "--page-size",
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
			return yn_nomem(&c->y);
		}
		if ((r = set_origin(c, p, CVO_ORIGIN_PAGE_SIZE, page_origin)))
			return r;
	}
	if ((whole || l->has_cfg_map || page_origin) &&
	    p->config.page_block_order > plat_max_page_order(p)) {
		const struct kc_entry *pb = NULL;
		for (size_t i = 0; l->has_cfg_map && i < l->cfg_map.n; i++)
			if (strcmp(l->cfg_map.v[i].name, "PAGE_BLOCK_ORDER") == 0)
				pb = &l->cfg_map.v[i];
		return cvo_error_set(c->y.err, CVO_ERR_INVALID, c->y.file, pb ? pb->line : 0,
				     pb ? pb->col : 0,
				     "kernel.config.PAGE_BLOCK_ORDER: %d is above the largest page "
				     "order %d", p->config.page_block_order,
				     plat_max_page_order(p));
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
		return yn_bad(&c->y, l->arch_n,
			      "arch: \"%s\" differs from \"%s\" of the extended platform \"%s\"",
			      cvo_arch_name(l->arch), cvo_arch_name(p->arch), p->name);
	free(p->name);
	p->name = l->platform;
	l->platform = NULL;
	char *f = cvo_strdup(file);
	if (!f)
		return yn_nomem(&c->y);
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
	if ((r = plat_layer_apply_kernel(c, p, l)))
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
		d->origin = cvo_asprintf("%s:%d", c->shown ? c->shown : c->y.file, d->line);
		if (!d->origin)
			return yn_nomem(&c->y);
	}
	if ((l->has_sources && apply_sources(p, l)) || (l->has_reserved && apply_reserved(p, l)) ||
	    (l->has_devices && apply_devices(p, l)))
		return yn_nomem(&c->y);
	return 0;
}

struct chain {
	const struct chain *up;
	const char *real;	/* canonical path, for loop detection */
	const char *name;	/* platform name, for the message */
	int depth;
};

bool plat_file_exists(const char *path)
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
		return cvo_platform_profile(l->extends, out, c->y.err);
	if (self->depth >= PLAT_MAX_EXTENDS)
		return yn_bad(&c->y, l->extends_n, "extends: more than %d levels",
			      PLAT_MAX_EXTENDS);
	char *path = NULL;
	const char *dirs[2] = { dir, boards_dir };
	for (size_t i = 0; i < 2 && !path; i++) {
		if (!dirs[i])
			continue;
		char *cand = cvo_asprintf("%s/%s.yaml", dirs[i], l->extends);
		if (!cand)
			return yn_nomem(&c->y);
		if (plat_file_exists(cand))
			path = cand;
		else
			free(cand);
	}
	if (!path)
		return yn_bad(&c->y, l->extends_n,
			      "extends: no platform \"%s\" (looked for %s.yaml%s%s%s)", l->extends,
			      l->extends, dir ? " in " : "", dir ? dir : "",
			      boards_dir ? " and the boards directory" : "");
	char *real = realpath(path, NULL);
	if (!real) {
		int r = cvo_error_set(c->y.err, CVO_ERR_IO, path, 0, 0,
				      "cannot resolve the path: %s", strerror(errno));
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
			return yn_bad(&c->y, l->extends_n, "extends: loop: %s%s", trail,
				      l->extends);
		}
	}
	free(real);
	int r = load_path(path, boards_dir, self, out, c->y.err);
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
	struct pctx c = { .y = { .file = file, .err = err }, .dir = dir,
			  .shown = shown_name(file, boards_dir) };
	struct ynode *root = NULL;
	struct layer l = { 0 };
	struct cvo_platform *p = NULL;
	struct chain self = { .up = up, .real = real, .depth = up ? up->depth + 1 : 1 };
	int r = yn_tree_parse(file, buf, len, &root, err);
	if (r)
		return r;
	r = plat_layer_parse(&c, root, &l);
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
	plat_layer_fini(&l);
	yn_tree_free(root);
	return r;
}

static int load_path(const char *path, const char *boards_dir, const struct chain *up,
		     struct cvo_platform **out, struct cvo_error *err)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	int r = yn_file_read(path, PLAT_MAX_BYTES, &buf, &len, err);
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
