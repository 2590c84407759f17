// SPDX-License-Identifier: MIT
/*
 * Changes to a DT: applied to a copy of the blob with libfdt, which leaves every node and
 * property no change names as it was, or written as an overlay's source (and compiled by
 * dtc) that a bootloader's fdt_overlay_apply() turns into the same tree.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libfdt.h>

#include "config.h"
#include "util.h"

/* The largest result (the limit on any loaded blob, blob.c). */
#define CVO_EDIT_MAX_RESULT (64u << 20)

void cvo_changes_fini(struct cvo_changes *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		struct cvo_change *ch = &c->v[i];
		free(ch->path);
		free(ch->property);
		free(ch->value.name);
		free(ch->value.value);
		for (size_t k = 0; k < ch->n_props; k++) {
			free(ch->props[k].name);
			free(ch->props[k].value);
		}
		free(ch->props);
		free(ch->old_text);
		free(ch->new_text);
		free(ch->new_name);
	}
	free(c->v);
	*c = (struct cvo_changes){ 0 };
}

const char *cvo_change_action_name(enum cvo_change_action action)
{
	switch (action) {
	case CVO_CHANGE_MOVE:
		return "move";
	case CVO_CHANGE_RESIZE:
		return "resize";
	case CVO_CHANGE_ADD_NODE:
		return "add-node";
	case CVO_CHANGE_SET_PROPERTY:
		return "set-property";
	case CVO_CHANGE_DELETE_PROPERTY:
		return "delete-property";
	}
	return "?";
}

/* ------------------------------------------------------------------ applying */

/* A tree being edited: fdt in a buffer of size bytes. */
struct work {
	void *fdt;
	size_t size;
};

/* Give the tree at least more free bytes (fdt_open_into() into a larger buffer). */
static int grow(struct work *w, size_t more)
{
	size_t size = fdt_totalsize(w->fdt) + more;
	if (size > CVO_EDIT_MAX_RESULT)
		return -FDT_ERR_NOSPACE;
	void *fdt = malloc(size);
	if (!fdt)
		return CVO_ERR_NOMEM;
	int r = fdt_open_into(w->fdt, fdt, (int)size);
	if (r) {
		free(fdt);
		return r;
	}
	free(w->fdt);
	w->fdt = fdt;
	w->size = size;
	return 0;
}

/* The bytes a change may add to the tree. */
static size_t room_for(const struct cvo_change *ch)
{
	/* a property: tag, length, name offset, value padded; its name in the strings */
	size_t n = 3 * 4 + ch->value.len + 4 + (ch->property ? strlen(ch->property) + 1 : 0);
	/* a node: begin and end tags, its name padded */
	n += ch->path ? 2 * 4 + strlen(ch->path) + 4 : 0;
	for (size_t i = 0; i < ch->n_props; i++)
		n += 3 * 4 + ch->props[i].len + 4 + strlen(ch->props[i].name) + 1;
	n += ch->new_name ? strlen(ch->new_name) + 4 : 0;
	return n;
}

/* An error on change ch of blob. */
static int change_error(const struct cvo_blob *blob, const struct cvo_change *ch,
			struct cvo_error *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int change_error(const struct cvo_blob *blob, const struct cvo_change *ch,
			struct cvo_error *err, const char *fmt, ...)
{
	char why[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return cvo_error_set(err, CVO_ERR_INVALID, blob->name, 0, 0, "%s %s: %s",
			     cvo_change_action_name(ch->action), ch->path ? ch->path : "(no path)",
			     why);
}

/* fdt_setprop() on node path of the tree, growing it when it is full. */
static int set_prop(struct work *w, const char *path, const char *name, const void *value,
		    size_t len)
{
	if (!value && len)
		return -FDT_ERR_BADVALUE;
	for (;;) {
		int node = fdt_path_offset(w->fdt, path);
		if (node < 0)
			return node;
		int r = fdt_setprop(w->fdt, node, name, value ? value : "", (int)len);
		if (r != -FDT_ERR_NOSPACE)
			return r;
		r = grow(w, w->size + len + 64);
		if (r)
			return r;
	}
}

/* fdt_add_subnode() of name under the node at parent, growing the tree when it is full. */
static int add_node(struct work *w, const char *parent, const char *name, int namelen)
{
	for (;;) {
		int node = fdt_path_offset(w->fdt, parent);
		if (node < 0)
			return node;
		int r = fdt_add_subnode_namelen(w->fdt, node, name, namelen);
		if (r != -FDT_ERR_NOSPACE)
			return r < 0 ? r : 0;
		r = grow(w, w->size + (size_t)namelen + 64);
		if (r)
			return r;
	}
}

/* A libfdt or CVO_ERR_* code r from change ch as the error apply() returns. */
static int fdt_failed(const struct cvo_blob *blob, const struct cvo_change *ch, int r,
		      struct cvo_error *err)
{
	if (r == CVO_ERR_NOMEM)
		return r;
	return change_error(blob, ch, err, "%s", fdt_strerror(r));
}

static int apply_one(struct work *w, const struct cvo_blob *blob, const struct cvo_change *ch,
		     struct cvo_error *err)
{
	if (!ch->path || ch->path[0] != '/')
		return change_error(blob, ch, err, "not an absolute path");
	if (ch->action != CVO_CHANGE_ADD_NODE) {
		if (!ch->property)
			return change_error(blob, ch, err, "no property named");
		int node = fdt_path_offset(w->fdt, ch->path);
		if (node < 0)
			return change_error(blob, ch, err, "no such node");
		if (ch->action == CVO_CHANGE_DELETE_PROPERTY) {
			int r = fdt_delprop(w->fdt, node, ch->property);
			if (r == -FDT_ERR_NOTFOUND)
				return change_error(blob, ch, err, "no property %s", ch->property);
			return r ? fdt_failed(blob, ch, r, err) : 0;
		}
		int r = set_prop(w, ch->path, ch->property, ch->value.value, ch->value.len);
		return r ? fdt_failed(blob, ch, r, err) : 0;
	}
	const char *slash = strrchr(ch->path, '/');
	const char *name = slash + 1;
	if (!*name)
		return change_error(blob, ch, err, "no node name");
	char *parent = slash == ch->path ? cvo_strdup("/")
					 : cvo_asprintf("%.*s", (int)(slash - ch->path), ch->path);
	if (!parent)
		return CVO_ERR_NOMEM;
	int r = 0;
	if (fdt_path_offset(w->fdt, parent) < 0) {
		r = change_error(blob, ch, err, "no parent node %s", parent);
		goto out;
	}
	if (fdt_path_offset(w->fdt, ch->path) >= 0) {
		r = change_error(blob, ch, err, "the node exists");
		goto out;
	}
	for (size_t i = 0; i < ch->n_props; i++) {
		const struct cvo_prop *p = &ch->props[i];
		if (strcmp(p->name, "phandle") || p->len != 4)
			continue;
		uint32_t ph = fdt32_ld(p->value);
		int other = fdt_node_offset_by_phandle(w->fdt, ph);
		if (ph == 0 || ph == (uint32_t)-1) {
			r = change_error(blob, ch, err, "phandle 0x%x is not valid", ph);
			goto out;
		}
		if (other >= 0) {
			char *op = cvo_fdt_path(w->fdt, other);
			r = op ? change_error(blob, ch, err, "phandle 0x%x is %s's", ph, op)
			       : CVO_ERR_NOMEM;
			free(op);
			goto out;
		}
	}
	r = add_node(w, parent, name, (int)strlen(name));
	if (r) {
		r = fdt_failed(blob, ch, r, err);
		goto out;
	}
	/* fdt_setprop() puts a new property first in its node: the last goes in first, so the
	 * node has them in the change's order */
	for (size_t i = ch->n_props; i-- > 0;) {
		const struct cvo_prop *p = &ch->props[i];
		r = set_prop(w, ch->path, p->name, p->value, p->len);
		if (r) {
			r = fdt_failed(blob, ch, r, err);
			goto out;
		}
	}
out:
	free(parent);
	return r;
}

int cvo_changes_apply(const struct cvo_blob *blob, const struct cvo_changes *c,
		      struct cvo_blob **out, struct cvo_error *err)
{
	*out = NULL;
	size_t room = 64;
	for (size_t i = 0; i < c->n; i++)
		room += room_for(&c->v[i]);
	struct work w = { 0 };
	w.size = fdt_totalsize(blob->fdt) + room;
	if (w.size > CVO_EDIT_MAX_RESULT)
		return cvo_error_set(err, CVO_ERR_INVALID, blob->name, 0, 0,
				     "the changed tree would be larger than %u MiB",
				     CVO_EDIT_MAX_RESULT >> 20);
	w.fdt = malloc(w.size);
	if (!w.fdt)
		return CVO_ERR_NOMEM;
	int r = fdt_open_into(blob->fdt, w.fdt, (int)w.size);
	if (r) {
		r = cvo_error_set(err, CVO_ERR_INVALID, blob->name, 0, 0, "%s", fdt_strerror(r));
		goto out;
	}
	for (size_t i = 0; i < c->n; i++) {
		r = apply_one(&w, blob, &c->v[i], err);
		if (r)
			goto out;
	}
	/* renames last: every change names a node by the path it had */
	for (size_t i = 0; i < c->n; i++) {
		const struct cvo_change *ch = &c->v[i];
		if (!ch->new_name)
			continue;
		int node = fdt_path_offset(w.fdt, ch->path);
		r = node < 0 ? node : fdt_set_name(w.fdt, node, ch->new_name);
		if (r) {
			r = cvo_error_set(err, CVO_ERR_INVALID, blob->name, 0, 0, "rename %s to %s: %s",
					  ch->path, ch->new_name, fdt_strerror(r));
			goto out;
		}
	}
	r = fdt_pack(w.fdt);
	if (!r)
		r = fdt_check_full(w.fdt, fdt_totalsize(w.fdt));
	if (r) {
		r = cvo_error_set(err, CVO_ERR_INVALID, blob->name, 0, 0,
				  "the changed tree is not valid: %s", fdt_strerror(r));
		goto out;
	}
	r = cvo_blob_from_buffer(w.fdt, fdt_totalsize(w.fdt), blob->name, out, err);
out:
	free(w.fdt);
	return r;
}

/* ------------------------------------------------------------------ overlay source */

/* A property in a fragment: its value after every change (val NULL and deleted: removed). */
struct oprop {
	const char *name;
	const struct cvo_prop *val;
	bool deleted;
};

/* A node of the overlay: a fragment's target (a node of the base) or a new node in one. */
struct onode {
	char *path;
	bool is_new;
	size_t parent;		/* new nodes: the onode they are in */
	struct oprop *props;
	size_t n_props, cap_props;
	char *label;		/* a new node with a phandle */
	uint32_t phandle;	/* the phandle it gets, 0 when none */
	const char *rename;	/* the name a change gives the node, NULL when none */
};

struct otree {
	struct onode *v;
	size_t n, cap;
};

static void otree_fini(struct otree *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].path);
		free(t->v[i].props);
		free(t->v[i].label);
	}
	free(t->v);
}

static struct onode *onode_find(struct otree *t, const char *path)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].path, path))
			return &t->v[i];
	return NULL;
}

/* The onode for path (taken, freed here when not kept): found, or a new fragment target.
 * NULL: out of memory. */
static struct onode *onode_get(struct otree *t, char *path)
{
	if (!path)
		return NULL;
	struct onode *o = onode_find(t, path);
	if (o) {
		free(path);
		return o;
	}
	if (cvo_grow(&t->v, &t->cap, t->n, sizeof(*t->v))) {
		free(path);
		return NULL;
	}
	o = &t->v[t->n++];
	*o = (struct onode){ .path = path, .parent = SIZE_MAX };
	return o;
}

/* Property name of o set to val (NULL: deleted), as the changes in order leave it. */
static int oprop_set(struct onode *o, const char *name, const struct cvo_prop *val)
{
	size_t i = 0;
	while (i < o->n_props && strcmp(o->props[i].name, name))
		i++;
	if (i < o->n_props && (o->props[i].deleted || (!val && o->is_new))) {
		/* a property set again after a delete comes last, where fdt_setprop() puts
		 * it; a new node's deleted property was never there */
		memmove(&o->props[i], &o->props[i + 1], (o->n_props - i - 1) * sizeof(*o->props));
		o->n_props--;
		i = o->n_props;
	}
	if (!val && o->is_new)
		return 0;
	if (i == o->n_props) {
		if (cvo_grow(&o->props, &o->cap_props, o->n_props, sizeof(*o->props)))
			return CVO_ERR_NOMEM;
		o->n_props++;
	}
	o->props[i] = (struct oprop){ .name = name, .val = val, .deleted = !val };
	return 0;
}

/* The parent of an absolute path ("/" for "/name"); NULL: out of memory. */
static char *parent_path(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return cvo_strdup("/");
	return cvo_asprintf("%.*s", (int)(slash - path), path);
}

/* The nodes the changes name, in the order they first do, and their final properties. */
static int otree_build(struct otree *t, const struct cvo_changes *c)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct cvo_change *ch = &c->v[i];
		if (!ch->path)
			continue;
		if (ch->action != CVO_CHANGE_ADD_NODE) {
			struct onode *o = onode_get(t, cvo_strdup(ch->path));
			if (!o)
				return CVO_ERR_NOMEM;
			if (ch->property &&
			    oprop_set(o, ch->property,
				      ch->action == CVO_CHANGE_DELETE_PROPERTY ? NULL : &ch->value))
				return CVO_ERR_NOMEM;
			if (ch->new_name)
				o->rename = ch->new_name;
			continue;
		}
		/* a new node is in the fragment of its parent, or in its parent when new too */
		struct onode *p = onode_get(t, parent_path(ch->path));
		if (!p)
			return CVO_ERR_NOMEM;
		size_t pi = (size_t)(p - t->v);
		struct onode *o = onode_get(t, cvo_strdup(ch->path));
		if (!o)
			return CVO_ERR_NOMEM;
		if (!o->is_new && o->parent == SIZE_MAX && o->n_props == 0) {
			o->is_new = true;
			o->parent = pi;
		}
		for (size_t k = 0; k < ch->n_props; k++)
			if (oprop_set(o, ch->props[k].name, &ch->props[k]))
				return CVO_ERR_NOMEM;
	}
	return 0;
}

/* Whether a node name can be a label as it is: [A-Za-z_][A-Za-z0-9_]*. */
static bool label_char(char ch, bool first)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' ||
	       (!first && ch >= '0' && ch <= '9');
}

static bool label_taken(const struct otree *t, const void *base, const char *label)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].label && !strcmp(t->v[i].label, label))
			return true;
	int sym = fdt_path_offset(base, "/__symbols__");
	return sym >= 0 && fdt_getprop(base, sym, label, NULL);
}

/*
 * Labels for the new nodes with a phandle: the node's name with '_' for what a label cannot
 * hold ("pool@90000000": pool_90000000), then _2, _3 ... when the base or another new node
 * has it (fdt_overlay_apply() adds the overlay's labels to the base's __symbols__).
 */
static int otree_label(struct otree *t, const void *base)
{
	for (size_t i = 0; i < t->n; i++) {
		struct onode *o = &t->v[i];
		if (!o->is_new)
			continue;
		for (size_t k = 0; k < o->n_props; k++)
			if (!strcmp(o->props[k].name, "phandle") && o->props[k].val->len == 4)
				o->phandle = fdt32_ld(o->props[k].val->value);
		if (!o->phandle)
			continue;
		const char *name = strrchr(o->path, '/') + 1;
		char *stem = cvo_asprintf("%s%s", label_char(*name, true) ? "" : "_", name);
		if (!stem)
			return CVO_ERR_NOMEM;
		for (char *s = stem; *s; s++)
			if (!label_char(*s, false))
				*s = '_';
		char *label = cvo_strdup(stem);
		for (int n = 2; label && label_taken(t, base, label); n++) {
			free(label);
			label = cvo_asprintf("%s_%d", stem, n);
		}
		free(stem);
		if (!label)
			return CVO_ERR_NOMEM;
		o->label = label;
	}
	return 0;
}

/* Properties whose every cell is a phandle: a new node's is written as &label. */
static bool is_phandle_list(const char *name)
{
	static const char *const names[] = { "memory-region", "interrupt-parent" };
	for (size_t i = 0; i < CVO_ARRAY_LEN(names); i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

/* Whether v is printable NUL-terminated strings, none empty. */
static bool is_strings(const unsigned char *v, size_t len)
{
	if (len == 0 || v[len - 1] != '\0' || v[0] == '\0')
		return false;
	for (size_t i = 0; i < len; i++) {
		if (v[i] == '\0') {
			if (i + 1 < len && v[i + 1] == '\0')
				return false;
		} else if (v[i] < 0x20 || v[i] > 0x7e) {
			return false;
		}
	}
	return true;
}

/*
 * A value as DTS: "strings" where it is printable NUL-terminated strings, <cells> when its
 * length is a multiple of 4, else [bytes]; nothing for an empty value. In a phandle list a
 * new node's phandle is &label (t NULL: no labels).
 */
static void put_value(struct cvo_sbuf *b, const char *name, const void *value, size_t len,
		      const struct otree *t)
{
	const unsigned char *v = value;
	if (len == 0)
		return;
	if (is_strings(v, len)) {
		cvo_sb_printf(b, "\"");
		for (size_t i = 0; i + 1 < len; i++) {
			if (v[i] == '\0')
				cvo_sb_printf(b, "\", \"");
			else if (v[i] == '"' || v[i] == '\\')
				cvo_sb_printf(b, "\\%c", v[i]);
			else
				cvo_sb_printf(b, "%c", v[i]);
		}
		cvo_sb_printf(b, "\"");
		return;
	}
	if (len % 4) {
		cvo_sb_printf(b, "[");
		for (size_t i = 0; i < len; i++)
			cvo_sb_printf(b, "%s%02x", i ? " " : "", v[i]);
		cvo_sb_printf(b, "]");
		return;
	}
	bool refs = t && is_phandle_list(name);
	cvo_sb_printf(b, "<");
	for (size_t i = 0; i < len; i += 4) {
		uint32_t cell = fdt32_ld((const fdt32_t *)(v + i));
		const struct onode *to = NULL;
		for (size_t k = 0; refs && cell && k < t->n && !to; k++)
			if (t->v[k].label && t->v[k].phandle == cell)
				to = &t->v[k];
		if (to)
			cvo_sb_printf(b, "%s&%s", i ? " " : "", to->label);
		else
			cvo_sb_printf(b, "%s0x%x", i ? " " : "", cell);
	}
	cvo_sb_printf(b, ">");
}

char *cvo_dts_value(const void *value, size_t len)
{
	struct cvo_sbuf b = { 0 };
	cvo_sb_printf(&b, "%s", "");
	put_value(&b, "", value, len, NULL);
	if (b.oom) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

static void indent(struct cvo_sbuf *b, int depth)
{
	for (int i = 0; i < depth; i++)
		cvo_sb_printf(b, "\t");
}

/* The properties of onode i, then its new children, at depth. */
static void put_body(struct cvo_sbuf *b, const struct otree *t, size_t i, uint32_t delta, int depth)
{
	const struct onode *o = &t->v[i];
	if (o->rename) {
		indent(b, depth);
		cvo_sb_printf(b, "/* rename to %s: an overlay cannot rename a node */\n", o->rename);
	}
	for (size_t k = 0; k < o->n_props; k++) {
		const struct oprop *p = &o->props[k];
		indent(b, depth);
		if (p->deleted) {
			cvo_sb_printf(b,
				  "/* delete-property %s: an overlay cannot remove a property */\n",
				  p->name);
			continue;
		}
		if (o->label && !strcmp(p->name, "phandle")) {
			/* fdt_overlay_apply() adds the base's largest phandle to the overlay's */
			if (o->phandle > delta) {
				cvo_sb_printf(b, "phandle = <0x%x>;\n", o->phandle - delta);
				continue;
			}
			cvo_sb_printf(b, "/* phandle 0x%x is not above the base's largest (0x%x): "
				     "fdt_overlay_apply() gives 0x%x + 0x%x */\n",
				  o->phandle, delta, o->phandle, delta);
			indent(b, depth);
		}
		cvo_sb_printf(b, "%s", p->name);
		if (p->val->len) {
			cvo_sb_printf(b, " = ");
			put_value(b, p->name, p->val->value, p->val->len, t);
		}
		cvo_sb_printf(b, ";\n");
	}
	for (size_t k = 0; k < t->n; k++) {
		const struct onode *c = &t->v[k];
		if (!c->is_new || c->parent != i)
			continue;
		cvo_sb_printf(b, "\n");
		indent(b, depth);
		if (c->label)
			cvo_sb_printf(b, "%s: ", c->label);
		cvo_sb_printf(b, "%s {\n", strrchr(c->path, '/') + 1);
		put_body(b, t, k, delta, depth + 1);
		indent(b, depth);
		cvo_sb_printf(b, "};\n");
	}
}

int cvo_changes_overlay_source(const struct cvo_blob *blob, const struct cvo_changes *c, char **out)
{
	*out = NULL;
	struct otree t = { 0 };
	struct cvo_sbuf b = { 0 };
	uint32_t delta = 0;
	if (fdt_find_max_phandle(blob->fdt, &delta))
		delta = 0;
	int r = otree_build(&t, c);
	if (!r)
		r = otree_label(&t, blob->fdt);
	if (r)
		goto out;
	cvo_sb_printf(&b, "/dts-v1/;\n/plugin/;\n");
	for (size_t i = 0; i < t.n; i++) {
		if (t.v[i].is_new)
			continue;
		cvo_sb_printf(&b, "\n&{%s} {\n", t.v[i].path);
		put_body(&b, &t, i, delta, 1);
		cvo_sb_printf(&b, "};\n");
	}
	r = b.oom ? CVO_ERR_NOMEM : 0;
	if (!r) {
		*out = b.s;
		b.s = NULL;
	}
out:
	free(b.s);
	otree_fini(&t);
	return r;
}

int cvo_changes_overlay_blob(const struct cvo_blob *blob, const struct cvo_changes *c, void **out,
			     size_t *len, struct cvo_error *err)
{
	*out = NULL;
	*len = 0;
	char *src = NULL;
	int r = cvo_changes_overlay_source(blob, c, &src);
	if (r)
		return r;
	const char *tmpdir = getenv("TMPDIR");
	char *path = cvo_asprintf("%s/carveout-overlay-XXXXXX.dts",
				  tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!path) {
		free(src);
		return CVO_ERR_NOMEM;
	}
	int fd = mkstemps(path, 4);
	if (fd < 0) {
		r = cvo_error_set(err, CVO_ERR_INTERNAL, path, 0, 0,
				  "cannot create a temporary file: %s", strerror(errno));
		free(path);
		free(src);
		return r;
	}
	size_t n = strlen(src), off = 0;
	while (off < n) {
		ssize_t w = write(fd, src + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	int e = errno;
	close(fd);
	free(src);
	if (off != n) {
		r = cvo_error_set(err, CVO_ERR_INTERNAL, path, 0, 0,
				  "cannot write a temporary file: %s", strerror(e));
		goto out;
	}
	char *argv[] = { CVO_DTC, "-q", "-@", "-I", "dts", "-O", "dtb", "-o", "-", path, NULL };
	char why[1024];
	void *dtbo = NULL;
	size_t dtbo_len = 0;
	r = cvo_run_capture(argv, &dtbo, &dtbo_len, why, sizeof(why));
	if (r == CVO_ERR_NOMEM)
		goto out;
	if (r) {
		free(dtbo);
		r = cvo_error_set(err, CVO_ERR_INTERNAL, blob->name, 0, 0,
				  "dtc rejected the overlay: %s", why[0] ? why : "no message");
		goto out;
	}
	*out = dtbo;
	*len = dtbo_len;
out:
	unlink(path);
	free(path);
	return r;
}
