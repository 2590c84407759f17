// SPDX-License-Identifier: MIT
/*
 * Device tree overlays, applied to a loaded base the way a bootloader does
 * (U-Boot's `fdt apply`: libfdt's fdt_overlay_apply()), and a record of what
 * each one set, so that a finding on a property an overlay changed points at
 * the overlay's source rather than at the base's line it replaced.
 */
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "overlay.h"
#include "srcmap.h"
#include "util.h"

/* drivers/of/fdt.c FDT_MAX_DEPTH: the kernel refuses to unflatten deeper trees; libfdt's
 * overlay code recurses once per level, so a hostile overlay is refused before it runs. */
#define CVO_OVERLAY_MAX_DEPTH 64

/* The merged tree is at most this large (the limit on any loaded blob, blob.c). */
#define CVO_OVERLAY_MAX_RESULT (64u << 20)
/*
 * Room doublings tried when fdt_overlay_apply() says FDT_ERR_NOSPACE: the
 * merge needs about base + overlay, but libfdt gives the same code for a
 * __fixups__ offset past its property's end, which no room cures.
 */
#define CVO_OVERLAY_GROW_TRIES 4

/* One thing an overlay set: a property of path, or the node path it created. */
struct rec {
	char *path; /* in the merged tree */
	char *prop; /* NULL for a created node */
	char *frag; /* the same thing's path in the overlay: /fragment@N/__overlay__/... */
	const struct cvo_srcmap *map; /* the overlay's (borrowed), NULL for a DTB overlay */
};

struct cvo_applied {
	struct rec *r;
	size_t n, cap;
};

void cvo_applied_free(struct cvo_applied *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++) {
		free(a->r[i].path);
		free(a->r[i].prop);
		free(a->r[i].frag);
	}
	free(a->r);
	free(a);
}

bool cvo_applied_locate(const struct cvo_applied *a, const char *path, const char *prop,
			bool *found, struct cvo_loc *loc)
{
	*found = false;
	for (size_t i = a ? a->n : 0; i-- > 0;) {
		const struct rec *r = &a->r[i];
		if (strcmp(r->path, path) || (r->prop == NULL) != (prop == NULL) ||
		    (prop && strcmp(r->prop, prop)))
			continue;
		*found = true;
		return r->map && cvo_srcmap_find(r->map, r->frag, prop, loc);
	}
	return false;
}

static int add(struct cvo_applied *a, const char *path, const char *prop, const char *frag,
	       const struct cvo_srcmap *map)
{
	if (cvo_grow(&a->r, &a->cap, a->n, sizeof(*a->r)))
		return CVO_ERR_NOMEM;
	struct rec *r = &a->r[a->n];
	r->path = cvo_strdup(path);
	r->prop = prop ? cvo_strdup(prop) : NULL;
	r->frag = cvo_strdup(frag);
	r->map = map;
	if (!r->path || !r->frag || (prop && !r->prop)) {
		free(r->path);
		free(r->prop);
		free(r->frag);
		return CVO_ERR_NOMEM;
	}
	a->n++;
	return 0;
}

static char *join(const char *dir, const char *name)
{
	return cvo_asprintf("%s%s%s", dir, strcmp(dir, "/") ? "/" : "", name);
}

bool cvo_blob_is_overlay(const struct cvo_blob *b)
{
	const void *fdt = b->fdt;
	bool fixups = false, other = false;
	int node;
	fdt_for_each_subnode(node, fdt, 0)
	{
		/* a fragment names its target first: only then look for its __overlay__
		 * (fdt_subnode_offset() walks the whole subtree of a node that has none) */
		if ((fdt_getprop(fdt, node, "target", NULL) ||
		     fdt_getprop(fdt, node, "target-path", NULL)) &&
		    fdt_subnode_offset(fdt, node, "__overlay__") >= 0)
			return true;
		const char *name = fdt_get_name(fdt, node, NULL);
		if (name && (!strcmp(name, "__fixups__") || !strcmp(name, "__local_fixups__")))
			fixups = true;
		else if (name && strcmp(name, "__symbols__"))
			other = true;
	}
	return fixups && !other;
}

/* The label whose __fixups__ entry is "FRAGPATH:target:0" (dtc's &label target). */
static const char *target_label(const void *ov, const char *fragpath)
{
	int fx = fdt_path_offset(ov, "/__fixups__"), p;
	if (fx < 0)
		return NULL;
	char *want = cvo_asprintf("%s:target:0", fragpath);
	if (!want)
		return NULL;
	const char *label = NULL;
	fdt_for_each_property_offset(p, ov, fx)
	{
		const char *name;
		int len;
		const char *v = fdt_getprop_by_offset(ov, p, &name, &len);
		for (int off = 0; v && label == NULL && off < len;) {
			size_t l = strnlen(v + off, (size_t)(len - off));
			if (l == strlen(want) && !memcmp(v + off, want, l))
				label = name;
			off += (int)l + 1;
		}
	}
	free(want);
	return label;
}

/* The base node a fragment targets (libfdt's overlay_get_target(), before fixups). */
static int fragment_target(const void *base, const void *ov, int frag, const char *fragpath)
{
	int len;
	const fdt32_t *ph = fdt_getprop(ov, frag, "target", &len);
	if (ph && len == 4) {
		uint32_t v = fdt32_to_cpu(*ph);
		if (v != 0xffffffffu)
			return fdt_node_offset_by_phandle(base, v);
		const char *label = target_label(ov, fragpath);
		int sym = fdt_path_offset(base, "/__symbols__");
		const char *path = label && sym >= 0 ? fdt_getprop(base, sym, label, NULL) : NULL;
		return path ? fdt_path_offset(base, path) : -FDT_ERR_NOTFOUND;
	}
	const char *path = fdt_getprop(ov, frag, "target-path", NULL);
	return path ? fdt_path_offset(base, path) : -FDT_ERR_NOTFOUND;
}

/*
 * Record every property and created node of one fragment's __overlay__ tree,
 * iteratively (check_depth() bounded the depth).
 */
static int record_fragment(struct cvo_applied *a, const void *base, const void *ov, int node,
			   const char *target, const char *fragpath, const struct cvo_srcmap *map)
{
	/* paths[d], frags[d]: the node at depth d below __overlay__, merged and overlay side */
	char *paths[CVO_OVERLAY_MAX_DEPTH + 1] = {0}, *frags[CVO_OVERLAY_MAX_DEPTH + 1] = {0};
	int r = CVO_ERR_NOMEM, d = 0;
	paths[0] = cvo_strdup(target);
	frags[0] = cvo_asprintf("%s/__overlay__", fragpath);
	if (!paths[0] || !frags[0])
		goto out;
	for (int cur = node;;) {
		int p;
		fdt_for_each_property_offset(p, ov, cur)
		{
			const char *name;
			if (fdt_getprop_by_offset(ov, p, &name, NULL) &&
			    add(a, paths[d], name, frags[d], map))
				goto out;
		}
		int nd = d;
		int next = fdt_next_node(ov, cur, &nd);
		/* nd <= 0: past the end of this __overlay__ tree */
		if (next < 0 || nd <= 0 || nd > CVO_OVERLAY_MAX_DEPTH)
			break;
		for (int k = nd; k <= d; k++) {
			free(paths[k]);
			free(frags[k]);
			paths[k] = frags[k] = NULL;
		}
		const char *name = fdt_get_name(ov, next, NULL);
		if (!name)
			break;
		paths[nd] = join(paths[nd - 1], name);
		frags[nd] = join(frags[nd - 1], name);
		if (!paths[nd] || !frags[nd])
			goto out;
		if (fdt_path_offset(base, paths[nd]) < 0 && add(a, paths[nd], NULL, frags[nd], map))
			goto out;
		d = nd;
		cur = next;
	}
	r = 0;
out:
	for (int k = 0; k <= CVO_OVERLAY_MAX_DEPTH; k++) {
		free(paths[k]);
		free(frags[k]);
	}
	return r;
}

static int record(struct cvo_applied *a, const struct cvo_blob *baseb,
		  const struct cvo_blob *overlay, struct cvo_error *err)
{
	const void *base = baseb->fdt;
	const void *ov = overlay->fdt;
	int frag;
	fdt_for_each_subnode(frag, ov, 0)
	{
		int node = fdt_subnode_offset(ov, frag, "__overlay__");
		const char *name = fdt_get_name(ov, frag, NULL);
		if (node < 0 || !name)
			continue;
		char *fragpath = join("/", name);
		if (!fragpath)
			return CVO_ERR_NOMEM;
		int t = fragment_target(base, ov, frag, fragpath);
		if (t < 0) {
			/* fdt_overlay_apply() would only say FDT_ERR_NOTFOUND */
			int len;
			const char *tp = fdt_getprop(ov, frag, "target-path", NULL);
			const fdt32_t *ph = fdt_getprop(ov, frag, "target", &len);
			int r;
			if (ph && len == 4 && fdt32_to_cpu(*ph) != 0xffffffffu)
				r = cvo_error_set(err, CVO_ERR_INVALID, overlay->name, 0, 0,
						  "cannot apply to %s: %s targets phandle 0x%x, "
						  "which is not in it",
						  baseb->name, fragpath,
						  (unsigned)fdt32_to_cpu(*ph));
			else if (tp)
				r = cvo_error_set(err, CVO_ERR_INVALID, overlay->name, 0, 0,
						  "cannot apply to %s: %s targets '%s', which is "
						  "not in it",
						  baseb->name, fragpath, tp);
			else if (!ph)
				r = cvo_error_set(err, CVO_ERR_INVALID, overlay->name, 0, 0,
						  "cannot apply to %s: %s has no target or "
						  "target-path",
						  baseb->name, fragpath);
			else
				r = cvo_error_set(err, CVO_ERR_INVALID, overlay->name, 0, 0,
						  "cannot apply to %s: the target of %s is not "
						  "in it",
						  baseb->name, fragpath);
			free(fragpath);
			return r;
		}
		char *target = cvo_fdt_path(base, t);
		int r = target
			    ? record_fragment(a, base, ov, node, target, fragpath, overlay->srcmap)
			    : CVO_ERR_NOMEM;
		free(target);
		free(fragpath);
		if (r)
			return r;
	}
	return 0;
}

static int check_depth(const void *fdt)
{
	int depth = 0;
	for (int node = 0; node >= 0; node = fdt_next_node(fdt, node, &depth))
		if (depth > CVO_OVERLAY_MAX_DEPTH)
			return -1;
	return 0;
}

/* What fdt_overlay_apply() would fail on without saying which label: say it first. */
static int check_labels(const struct cvo_blob *base, const struct cvo_blob *overlay,
			struct cvo_error *err)
{
	const void *ov = overlay->fdt;
	int fx = fdt_path_offset(ov, "/__fixups__"),
	    sym = fdt_path_offset(base->fdt, "/__symbols__");
	int p;
	if (fx < 0)
		return 0;
	fdt_for_each_property_offset(p, ov, fx)
	{
		const char *label;
		if (!fdt_getprop_by_offset(ov, p, &label, NULL))
			continue;
		if (sym < 0)
			return cvo_error_set(err, CVO_ERR_INVALID, overlay->name, 0, 0,
					     "cannot apply to %s: the overlay refers to label '%s' "
					     "and %s has no __symbols__ (compile it with dtc -@)",
					     base->name, label, base->name);
		if (!fdt_getprop(base->fdt, sym, label, NULL))
			return cvo_error_set(err, CVO_ERR_INVALID, overlay->name, 0, 0,
					     "cannot apply to %s: label '%s' is not in its "
					     "__symbols__",
					     base->name, label);
	}
	return 0;
}

int cvo_blob_apply(struct cvo_blob *base, const struct cvo_blob *overlay, struct cvo_error *err)
{
	const void *ov = overlay->fdt;
	bool has_fragment = false;
	int frag;
	fdt_for_each_subnode(frag, ov, 0) if (fdt_subnode_offset(ov, frag, "__overlay__") >= 0)
	    has_fragment = true;
	if (!has_fragment)
		return cvo_error_set(err, CVO_ERR_INVALID, overlay->name, 0, 0,
				     "not a device tree overlay (no fragment with an __overlay__ "
				     "node)");
	if (check_depth(ov))
		return cvo_error_set(err, CVO_ERR_INVALID, overlay->name, 0, 0,
				     "nodes nested deeper than %d levels", CVO_OVERLAY_MAX_DEPTH);
	int r = check_labels(base, overlay, err);
	if (r)
		return r;

	struct cvo_applied *a = base->applied;
	if (!a && !(a = calloc(1, sizeof(*a))))
		return CVO_ERR_NOMEM;
	size_t n_before = a->n;
	r = record(a, base, overlay, err);
	if (r)
		goto fail;

	/* fdt_overlay_apply() leaves both trees undefined on failure: work on copies. */
	void *ovc = malloc(overlay->size), *buf = NULL;
	size_t size = base->size + 2 * overlay->size + 4096;
	int fr = -FDT_ERR_NOSPACE;
	bool nomem = !ovc;
	for (int tries = 0; !nomem && fr == -FDT_ERR_NOSPACE && tries < CVO_OVERLAY_GROW_TRIES &&
			    size <= CVO_OVERLAY_MAX_RESULT;
	     tries++) {
		free(buf);
		buf = malloc(size);
		if (!buf) {
			nomem = true;
			break;
		}
		memcpy(ovc, ov, overlay->size);
		fr = fdt_open_into(base->fdt, buf, (int)size);
		if (!fr)
			fr = fdt_overlay_apply(buf, ovc);
		size *= 2;
	}
	free(ovc);
	if (nomem) {
		r = CVO_ERR_NOMEM;
		goto fail_buf;
	}
	if (fr == -FDT_ERR_NOSPACE && size > CVO_OVERLAY_MAX_RESULT) {
		r = cvo_error_set(err, CVO_ERR_INVALID, overlay->name, 0, 0,
				  "cannot apply to %s: the result is larger than %u MiB",
				  base->name, CVO_OVERLAY_MAX_RESULT >> 20);
		goto fail_buf;
	}
	if (!fr) {
		fdt_pack(buf);
		fr = fdt_check_full(buf, fdt_totalsize(buf));
	}
	if (fr) {
		r = cvo_error_set(err, CVO_ERR_INVALID, overlay->name, 0, 0,
				  "cannot apply to %s: %s", base->name, fdt_strerror(fr));
		goto fail_buf;
	}
	free(base->fdt);
	base->fdt = buf;
	base->size = fdt_totalsize(buf);
	base->applied = a;
	return 0;
fail_buf:
	free(buf);
fail:
	/* base is as it was: drop what this overlay recorded */
	while (a->n > n_before) {
		a->n--;
		free(a->r[a->n].path);
		free(a->r[a->n].prop);
		free(a->r[a->n].frag);
	}
	if (!base->applied)
		cvo_applied_free(a);
	return r;
}
