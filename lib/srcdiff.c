// SPDX-License-Identifier: MIT
/*
 * A plan's changes as a unified diff of the DTS sources: each change is made where the source
 * map says the node or property is written (the .dts or a .dtsi it includes), as the least
 * edit of the lines there; what cannot be made there goes into a fragment (&label { ... };
 * or &{/path} { ... };) appended to the top-level .dts. dtc compiles the patched sources to
 * the tree cvo_changes_apply() gives, but for the order of new nodes and properties.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libfdt.h>

#include "srcmap.h"
#include "util.h"

/* The most definitions of one node looked at (a node is rarely defined in more than 3). */
#define MAX_SITES 64

/* ------------------------------------------------------------------ strings */

/* ------------------------------------------------------------------ source files */

struct sline {
	const char *old;	/* into the file's text, without its '\n' */
	size_t old_len;
	char *now;		/* the edited line, NULL when unchanged */
	bool deleted;
	struct cvo_sbuf before;	/* whole lines inserted before it */
	struct cvo_sbuf after;	/* and after it */
};

struct sfile {
	char *name;		/* as the source map names it */
	char *rel;		/* relative to the top-level .dts's folder: the diff's a/ and b/ */
	bool usable;		/* read, and writable: it can be edited */
	char *text;
	struct sline *lines;	/* lines[i] is line i + 1 */
	size_t n;
	bool no_eol;		/* the last line has no '\n' */
	size_t same_as;		/* another name of files[same_as - 1]; 0: none */
};

/* A node's fragment in the top-level .dts. */
struct frag {
	char *path;		/* the node, as the blob names it */
	struct cvo_sbuf body;	/* its lines, at depth 1 */
};

struct nprop {
	const char *name;
	const struct cvo_prop *val;
};

/* A node the changes add: its properties after every change, in order. */
struct newnode {
	const char *path;
	struct nprop *props;
	size_t n_props, cap_props;
	bool placed;
};

/* A property's value after every change (val NULL: deleted). */
struct pstate {
	const char *path, *name;
	const struct cvo_prop *val;
};

struct ctx {
	const struct cvo_blob *blob;
	const struct cvo_changes *c;
	char *topdir;		/* the top-level .dts's folder */
	struct sfile *files;	/* files[0] is the top-level .dts */
	size_t n_files, cap_files;
	struct frag *frags;
	size_t n_frags, cap_frags;
	struct newnode *nodes;
	size_t n_nodes, cap_nodes;
	struct pstate *ps;
	size_t n_ps, cap_ps;
	struct cvo_error *err;
};

static char *dirname_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return cvo_strdup(".");
	if (slash == path)
		return cvo_strdup("/");
	return cvo_asprintf("%.*s", (int)(slash - path), path);
}

/* to relative to the folder from (both made absolute); NULL: out of memory or unresolvable. */
static char *relative_to(const char *from, const char *to)
{
	char *a = realpath(from, NULL), *b = realpath(to, NULL), *r = NULL;
	if (!a || !b)
		goto out;
	size_t i = 0, common = 0;
	while (a[i] && a[i] == b[i]) {
		if (a[i] == '/')
			common = i;
		i++;
	}
	if (!a[i] && (b[i] == '/' || !b[i]))
		common = i;
	struct cvo_sbuf s = { 0 };
	for (const char *p = a + common; *p; p++)
		if (*p == '/')
			cvo_sb_put(&s, "../", 3);
	const char *rest = b + common;
	if (*rest == '/')
		rest++;
	cvo_sb_put(&s, rest, strlen(rest));
	if (s.oom)
		free(s.s);
	else
		r = s.s ? s.s : cvo_strdup(".");
out:
	free(a);
	free(b);
	return r;
}

static int read_text(const char *path, char **out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return CVO_ERR_IO;
	struct cvo_sbuf b = { 0 };
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		cvo_sb_put(&b, buf, n);
	bool bad = ferror(f);
	fclose(f);
	if (b.oom)
		return CVO_ERR_NOMEM;
	if (bad) {
		free(b.s);
		return CVO_ERR_IO;
	}
	*out = b.s ? b.s : cvo_strdup("");
	return *out ? 0 : CVO_ERR_NOMEM;
}

/*
 * The file the source map names name: as it is (dtc names files as it opened them, from the
 * folder it ran in), else in the top-level .dts's folder. "" when there is none, NULL: out of
 * memory.
 */
static char *find_file(const struct ctx *x, const char *name)
{
	if (!access(name, R_OK))
		return cvo_strdup(name);
	if (name[0] != '/') {
		char *p = cvo_asprintf("%s/%s", x->topdir, name);
		if (!p || !access(p, R_OK))
			return p;
		free(p);
	}
	return cvo_strdup("");
}

/* The file named name (loaded once, and once for all its names); NULL: out of memory. */
static struct sfile *get_file(struct ctx *x, const char *name)
{
	for (size_t i = 0; i < x->n_files; i++)
		if (!strcmp(x->files[i].name, name))
			return x->files[i].same_as ? &x->files[x->files[i].same_as - 1]
						   : &x->files[i];
	if (cvo_grow(&x->files, &x->cap_files, x->n_files, sizeof(*x->files)))
		return NULL;
	struct sfile *f = &x->files[x->n_files];
	*f = (struct sfile){ .name = cvo_strdup(name) };
	if (!f->name)
		return NULL;
	x->n_files++;
	char *path = find_file(x, name);
	if (!path)
		return NULL;
	int r = path[0] ? read_text(path, &f->text) : CVO_ERR_IO;
	if (r == CVO_ERR_NOMEM) {
		free(path);
		return NULL;
	}
	if (!r) {
		f->rel = relative_to(x->topdir, path);
		/* writable: by us, and by someone (root may write a file marked read-only) */
		struct stat st;
		f->usable = f->rel && strncmp(f->rel, "../", 3) && !access(path, W_OK) &&
			    !stat(path, &st) && (st.st_mode & 0222);
	}
	free(path);
	for (size_t i = 0; f->rel && i + 1 < x->n_files; i++) {
		if (x->files[i].same_as || !x->files[i].rel || strcmp(x->files[i].rel, f->rel))
			continue;
		free(f->text);
		f->text = NULL;
		f->usable = false;
		f->same_as = i + 1;
		return &x->files[i];
	}
	if (!f->text)
		return f;
	size_t cap = 0;
	for (const char *p = f->text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (cvo_grow(&f->lines, &cap, f->n, sizeof(*f->lines)))
			return NULL;
		f->lines[f->n++] = (struct sline){ .old = p, .old_len = len };
		if (!nl) {
			f->no_eol = true;
			break;
		}
		p = nl + 1;
	}
	if (!f->n)
		f->usable = false;
	return f;
}

/* The current text of line (1-based) of f, NULL when there is no such line. */
static const char *line_text(const struct sfile *f, int line, size_t *len)
{
	if (line < 1 || (size_t)line > f->n)
		return NULL;
	const struct sline *l = &f->lines[line - 1];
	if (l->now) {
		*len = strlen(l->now);
		return l->now;
	}
	*len = l->old_len;
	return l->old;
}

/* Line (1-based) of f becomes head + mid + tail. */
static int line_splice(struct sfile *f, int line, size_t at, size_t cut, const char *mid)
{
	size_t len = 0;
	const char *t = line_text(f, line, &len);
	if (!t)
		return CVO_ERR_INTERNAL;
	char *s = cvo_asprintf("%.*s%s%.*s", (int)at, t, mid, (int)(len - at - cut), t + at + cut);
	if (!s)
		return CVO_ERR_NOMEM;
	free(f->lines[line - 1].now);
	f->lines[line - 1].now = s;
	return 0;
}

/* ------------------------------------------------------------------ values */

static bool ident_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_';
}

/* Whether a value's source text uses a macro (an identifier outside strings, bytes, label
 * references and comments): then it is not the value as written, and not edited there. */
static bool uses_macro(const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char ch = v[i];
		if (ch == '"' || ch == '\'') {
			for (i++; i < n && v[i] != ch; i++)
				if (v[i] == '\\')
					i++;
		} else if (ch == '[') {
			while (i < n && v[i] != ']')
				i++;
		} else if (ch == '&') {
			if (i + 1 < n && v[i + 1] == '{') {
				while (i < n && v[i] != '}')
					i++;
			} else {
				while (i + 1 < n &&
				       (ident_char(v[i + 1]) || v[i + 1] == '-' || v[i + 1] == ','))
					i++;
			}
		} else if (ch == '/' && i + 1 < n && v[i + 1] == '*') {
			for (i += 2; i + 1 < n && !(v[i] == '*' && v[i + 1] == '/'); i++)
				;
			i++;
		} else if (ch == '/' && n - i >= 6 && !memcmp(v + i, "/bits/", 6)) {
			i += 5;
		} else if (ch >= '0' && ch <= '9') {
			while (i + 1 < n && ident_char(v[i + 1]))
				i++;
		} else if (ident_char(ch)) {
			return true;
		}
	}
	return false;
}

static bool is_phandle_list(const char *name)
{
	return !strcmp(name, "memory-region") || !strcmp(name, "interrupt-parent");
}

/* The first label /__symbols__ gives path, NULL when none. */
static const char *label_of(const struct cvo_blob *blob, const char *path)
{
	int sym = fdt_path_offset(blob->fdt, "/__symbols__");
	if (sym < 0)
		return NULL;
	int off;
	fdt_for_each_property_offset(off, blob->fdt, sym)
	{
		const char *name;
		int len;
		const char *v = fdt_getprop_by_offset(blob->fdt, off, &name, &len);
		if (v && len > 0 && v[len - 1] == '\0' && !strcmp(v, path))
			return name;
	}
	return NULL;
}

/* path with the changes' renames: the path the patched sources give the node. */
static char *final_path(const struct ctx *x, const char *path)
{
	struct cvo_sbuf b = { 0 };
	cvo_sb_put(&b, "", 0);
	for (const char *p = path; *p == '/' && p[1];) {
		const char *e = strchr(p + 1, '/');
		size_t n = e ? (size_t)(e - path) : strlen(path);
		const char *rename = NULL;
		for (size_t i = 0; i < x->c->n; i++) {
			const struct cvo_change *ch = &x->c->v[i];
			if (ch->new_name && ch->path && strlen(ch->path) == n &&
			    !strncmp(ch->path, path, n))
				rename = ch->new_name;
		}
		if (rename)
			cvo_sb_printf(&b, "/%s", rename);
		else
			cvo_sb_put(&b, p, (size_t)(path + n - p));
		p = path + n;
	}
	if (!b.n)
		cvo_sb_put(&b, "/", 1);
	if (b.oom) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

/* A reference to the node at off: &label, else &{/path} (its path after the renames). */
static char *node_ref(const struct ctx *x, int off)
{
	char *path = cvo_fdt_path(x->blob->fdt, off);
	if (!path)
		return NULL;
	const char *label = label_of(x->blob, path);
	char *r = NULL;
	if (label) {
		r = cvo_asprintf("&%s", label);
	} else {
		char *fp = final_path(x, path);
		r = fp ? cvo_asprintf("&{%s}", fp) : NULL;
		free(fp);
	}
	free(path);
	return r;
}

/*
 * A value as DTS (cvo_dts_value()); in a phandle list a cell that is a node's phandle is a
 * reference to it, so that dtc gives that node its phandle as it did (a new node's phandle
 * is its own "phandle" property, a number).
 */
static char *value_text(const struct ctx *x, const char *name, const struct cvo_prop *v)
{
	if (!is_phandle_list(name) || !v->len || v->len % 4)
		return cvo_dts_value(v->value, v->len);
	struct cvo_sbuf b = { 0 };
	cvo_sb_put(&b, "<", 1);
	for (size_t i = 0; i < v->len; i += 4) {
		uint32_t cell = fdt32_ld((const fdt32_t *)((const char *)v->value + i));
		int off = cell ? fdt_node_offset_by_phandle(x->blob->fdt, cell) : -1;
		char *ref = off >= 0 ? node_ref(x, off) : cvo_asprintf("0x%x", cell);
		if (!ref)
			b.oom = true;
		else
			cvo_sb_printf(&b, "%s%s", i ? " " : "", ref);
		free(ref);
	}
	cvo_sb_put(&b, ">", 1);
	if (b.oom) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

/* "name = value;" or "name;" */
static char *prop_stmt(const struct ctx *x, const char *name, const struct cvo_prop *v)
{
	if (!v->len)
		return cvo_asprintf("%s;", name);
	char *t = value_text(x, name, v);
	char *s = t ? cvo_asprintf("%s = %s;", name, t) : NULL;
	free(t);
	return s;
}

/* ------------------------------------------------------------------ fragments */

static struct frag *get_frag(struct ctx *x, const char *path)
{
	for (size_t i = 0; i < x->n_frags; i++)
		if (!strcmp(x->frags[i].path, path))
			return &x->frags[i];
	if (cvo_grow(&x->frags, &x->cap_frags, x->n_frags, sizeof(*x->frags)))
		return NULL;
	struct frag *g = &x->frags[x->n_frags];
	*g = (struct frag){ .path = cvo_strdup(path) };
	if (!g->path)
		return NULL;
	x->n_frags++;
	return g;
}

static int frag_line(struct ctx *x, const char *path, const char *line)
{
	struct frag *g = get_frag(x, path);
	if (!g)
		return CVO_ERR_NOMEM;
	cvo_sb_printf(&g->body, "\t%s\n", line);
	return g->body.oom ? CVO_ERR_NOMEM : 0;
}

/* ------------------------------------------------------------------ the edits */

/* The leading blanks of a line. */
static size_t indent_len(const char *t, size_t len)
{
	size_t i = 0;
	while (i < len && (t[i] == ' ' || t[i] == '\t'))
		i++;
	return i;
}

/* The length without trailing blanks. */
static size_t rtrim_len(const char *t, size_t len)
{
	while (len && (t[len - 1] == ' ' || t[len - 1] == '\t' || t[len - 1] == '\r'))
		len--;
	return len;
}

/* Where on line (text t) the statement of property name starts: at column col (1-based) when
 * it is there, else its only occurrence as a statement; SIZE_MAX when none or several. */
static size_t find_stmt(const char *t, size_t len, const char *name, int col)
{
	size_t nl = strlen(name);
	size_t found = SIZE_MAX;
	int hits = 0;
	for (size_t i = 0; i + nl <= len; i++) {
		if (memcmp(t + i, name, nl) || (i && (ident_char(t[i - 1]) || t[i - 1] == '-' ||
						      t[i - 1] == ',' || t[i - 1] == '#')))
			continue;
		size_t k = i + nl;
		while (k < len && (t[k] == ' ' || t[k] == '\t'))
			k++;
		if (k >= len || (t[k] != '=' && t[k] != ';'))
			continue;
		if (col >= 1 && (size_t)(col - 1) == i)
			return i;
		found = i;
		hits++;
	}
	return hits == 1 ? found : SIZE_MAX;
}

/* The ';' ending a value starting at i (outside strings), SIZE_MAX when not on the line. */
static size_t value_end(const char *t, size_t len, size_t i)
{
	for (; i < len; i++) {
		if (t[i] == '"' || t[i] == '\'') {
			char q = t[i];
			for (i++; i < len && t[i] != q; i++)
				if (t[i] == '\\')
					i++;
		} else if (t[i] == ';') {
			return i;
		}
	}
	return SIZE_MAX;
}

/* The one definition of a property (its last, which dtc keeps); false when not in the map. */
static bool prop_site(const struct ctx *x, const char *path, const char *name, struct cvo_loc *l)
{
	struct cvo_loc locs[MAX_SITES];
	size_t n = cvo_srcmap_sites(x->blob->srcmap, path, name, locs, MAX_SITES);
	if (!n || n > MAX_SITES)
		return false;
	*l = locs[n - 1];
	return true;
}

/* Set the value of a property where it is written. false: it cannot be done there. */
static int set_in_place(struct ctx *x, const struct pstate *p, const struct cvo_loc *l, bool *done)
{
	*done = false;
	if (l->line != l->end_line)
		return 0;
	struct sfile *f = get_file(x, l->file);
	if (!f)
		return CVO_ERR_NOMEM;
	if (!f->usable)
		return 0;
	size_t len = 0;
	const char *t = line_text(f, l->line, &len);
	if (!t)
		return 0;
	size_t at = find_stmt(t, len, p->name, l->column);
	if (at == SIZE_MAX)
		return 0;
	size_t k = at + strlen(p->name);
	size_t name_end = k;
	while (k < len && (t[k] == ' ' || t[k] == '\t'))
		k++;
	size_t vs = k, ve = k;
	if (t[k] == '=') {
		vs = k + 1;
		while (vs < len && (t[vs] == ' ' || t[vs] == '\t'))
			vs++;
		ve = value_end(t, len, vs);
		if (ve == SIZE_MAX || uses_macro(t + vs, ve - vs))
			return 0;
	}
	char *v = p->val->len ? value_text(x, p->name, p->val) : NULL;
	if (p->val->len && !v)
		return CVO_ERR_NOMEM;
	int r;
	if (t[k] == '=' && v)
		r = line_splice(f, l->line, vs, ve - vs, v);
	else if (v) {
		char *s = cvo_asprintf(" = %s", v);
		r = s ? line_splice(f, l->line, name_end, k - name_end, s) : CVO_ERR_NOMEM;
		free(s);
	} else {
		r = line_splice(f, l->line, name_end, ve - name_end, "");
	}
	free(v);
	*done = !r;
	return r;
}

/* Remove the line of a property that is alone on it; false: it cannot be done there. */
static int delete_in_place(struct ctx *x, const struct pstate *p, const struct cvo_loc *l,
			   bool *done)
{
	*done = false;
	struct cvo_loc sites[2];
	/* a node defined in several places may have the property in another one too */
	if (cvo_srcmap_sites(x->blob->srcmap, p->path, NULL, sites, 2) != 1 ||
	    l->line != l->end_line)
		return 0;
	struct sfile *f = get_file(x, l->file);
	if (!f)
		return CVO_ERR_NOMEM;
	if (!f->usable)
		return 0;
	size_t len = 0;
	const char *t = line_text(f, l->line, &len);
	if (!t || f->lines[l->line - 1].deleted)
		return 0;
	size_t s = indent_len(t, len), e = rtrim_len(t, len);
	if (find_stmt(t, len, p->name, l->column) != s)
		return 0;
	size_t k = s + strlen(p->name);
	while (k < e && (t[k] == ' ' || t[k] == '\t'))
		k++;
	size_t end = t[k] == ';' ? k : value_end(t, len, k);
	if (end == SIZE_MAX || end + 1 != e)
		return 0;
	f->lines[l->line - 1].deleted = true;
	*done = true;
	return 0;
}

/*
 * Where new lines go in the node's last definition: after its last property's line (or its
 * opening line), and their indentation. false: no such place (a one-line node, a file that
 * cannot be edited).
 */
static int prop_insertion(struct ctx *x, const char *path, struct sfile **fp, int *line, char **ind)
{
	*fp = NULL;
	struct cvo_loc sites[MAX_SITES];
	size_t n = cvo_srcmap_sites(x->blob->srcmap, path, NULL, sites, MAX_SITES);
	int node = fdt_path_offset(x->blob->fdt, path);
	if (!n || n > MAX_SITES || node < 0)
		return 0;
	const struct cvo_loc *site = &sites[n - 1];
	struct sfile *f = get_file(x, site->file);
	if (!f)
		return CVO_ERR_NOMEM;
	if (!f->usable)
		return 0;
	int last = 0, off;
	fdt_for_each_property_offset(off, x->blob->fdt, node)
	{
		const char *name;
		struct cvo_loc l;
		if (!fdt_getprop_by_offset(x->blob->fdt, off, &name, NULL) ||
		    !prop_site(x, path, name, &l))
			continue;
		if (!strcmp(l.file, site->file) && l.line >= site->line &&
		    l.end_line <= site->end_line && l.end_line > last)
			last = l.end_line;
	}
	size_t len = 0;
	const char *t = line_text(f, last ? last : site->line, &len);
	if (!t)
		return 0;
	size_t e = rtrim_len(t, len), s = indent_len(t, len);
	if (last ? (e < 1 || t[e - 1] != ';' || (e >= 2 && t[e - 2] == '}'))
		 : (e < 1 || t[e - 1] != '{'))
		return 0;
	*ind = cvo_asprintf("%.*s%s", (int)s, t, last ? "" : "\t");
	if (!*ind)
		return CVO_ERR_NOMEM;
	*fp = f;
	*line = last ? last : site->line;
	return 0;
}

/* A new property in the node's source. */
static int add_in_place(struct ctx *x, const struct pstate *p, bool *done)
{
	*done = false;
	struct sfile *f;
	int line;
	char *ind = NULL;
	int r = prop_insertion(x, p->path, &f, &line, &ind);
	if (r || !f)
		return r;
	char *stmt = prop_stmt(x, p->name, p->val);
	if (!stmt) {
		free(ind);
		return CVO_ERR_NOMEM;
	}
	struct cvo_sbuf *b = &f->lines[line - 1].after;
	cvo_sb_printf(b, "%s%s\n", ind, stmt);
	free(ind);
	free(stmt);
	*done = !b->oom;
	return b->oom ? CVO_ERR_NOMEM : 0;
}

static int do_prop(struct ctx *x, const struct pstate *p)
{
	struct cvo_loc l;
	bool in_map = prop_site(x, p->path, p->name, &l), done = false;
	int r = 0;
	if (!p->val) {
		if (in_map)
			r = delete_in_place(x, p, &l, &done);
		if (r || done)
			return r;
		char *s = cvo_asprintf("/delete-property/ %s;", p->name);
		r = s ? frag_line(x, p->path, s) : CVO_ERR_NOMEM;
		free(s);
		return r;
	}
	r = in_map ? set_in_place(x, p, &l, &done) : add_in_place(x, p, &done);
	if (r || done)
		return r;
	char *s = prop_stmt(x, p->name, p->val);
	r = s ? frag_line(x, p->path, s) : CVO_ERR_NOMEM;
	free(s);
	return r;
}

/* A new node (and the new nodes in it) as lines at indentation ind. */
static void put_node(struct ctx *x, struct cvo_sbuf *b, size_t i, const char *ind)
{
	struct newnode *nn = &x->nodes[i];
	nn->placed = true;
	cvo_sb_printf(b, "%s%s {\n", ind, strrchr(nn->path, '/') + 1);
	for (size_t k = 0; k < nn->n_props; k++) {
		char *s = prop_stmt(x, nn->props[k].name, nn->props[k].val);
		if (!s)
			b->oom = true;
		else
			cvo_sb_printf(b, "%s\t%s\n", ind, s);
		free(s);
	}
	size_t pl = strlen(nn->path);
	char *sub = cvo_asprintf("%s\t", ind);
	if (!sub) {
		b->oom = true;
		return;
	}
	for (size_t k = 0; k < x->n_nodes; k++) {
		const char *cp = x->nodes[k].path;
		if (!x->nodes[k].placed && !strncmp(cp, nn->path, pl) && cp[pl] == '/' &&
		    !strchr(cp + pl + 1, '/'))
			put_node(x, b, k, sub);
	}
	free(sub);
	cvo_sb_printf(b, "%s};\n", ind);
}

/* The new node i, whose parent is in the blob: before the closing "};" of the parent's last
 * definition, else in the parent's fragment. */
static int do_node(struct ctx *x, size_t i)
{
	const char *path = x->nodes[i].path;
	const char *slash = strrchr(path, '/');
	char *parent = slash == path ? cvo_strdup("/")
				     : cvo_asprintf("%.*s", (int)(slash - path), path);
	if (!parent)
		return CVO_ERR_NOMEM;
	struct cvo_loc sites[MAX_SITES];
	size_t n = cvo_srcmap_sites(x->blob->srcmap, parent, NULL, sites, MAX_SITES);
	struct sfile *f = NULL;
	int r = 0;
	if (n && n <= MAX_SITES && !(f = get_file(x, sites[n - 1].file))) {
		r = CVO_ERR_NOMEM;
		goto out;
	}
	size_t len = 0;
	const char *t = f && f->usable ? line_text(f, sites[n - 1].end_line, &len) : NULL;
	size_t s = t ? indent_len(t, len) : 0;
	if (t && rtrim_len(t, len) == s + 2 && !memcmp(t + s, "};", 2)) {
		char *ind = cvo_asprintf("%.*s\t", (int)s, t);
		if (!ind) {
			r = CVO_ERR_NOMEM;
			goto out;
		}
		struct cvo_sbuf *b = &f->lines[sites[n - 1].end_line - 1].before;
		size_t plen = 0;
		const char *prev = line_text(f, sites[n - 1].end_line - 1, &plen);
		size_t pe = prev ? rtrim_len(prev, plen) : 0;
		/* a blank line after a property or another node */
		if (b->n || (prev && pe && prev[pe - 1] != '{'))
			cvo_sb_put(b, "\n", 1);
		put_node(x, b, i, ind);
		free(ind);
		r = b->oom ? CVO_ERR_NOMEM : 0;
		goto out;
	}
	struct frag *g = get_frag(x, parent);
	if (!g) {
		r = CVO_ERR_NOMEM;
		goto out;
	}
	put_node(x, &g->body, i, "\t");
	r = g->body.oom ? CVO_ERR_NOMEM : 0;
out:
	free(parent);
	return r;
}

/* Rename a node on every line that defines it by name. */
static int do_rename(struct ctx *x, const char *path, const char *new_name)
{
	struct cvo_loc sites[MAX_SITES];
	size_t n = cvo_srcmap_sites(x->blob->srcmap, path, NULL, sites, MAX_SITES);
	const char *old = strrchr(path, '/') + 1;
	size_t ol = strlen(old);
	if (!n || n > MAX_SITES)
		goto cannot;
	bool renamed = false;
	for (size_t i = 0; i < n; i++) {
		struct sfile *f = get_file(x, sites[i].file);
		if (!f)
			return CVO_ERR_NOMEM;
		size_t len = 0;
		const char *t = f->usable ? line_text(f, sites[i].line, &len) : NULL;
		if (!t)
			goto cannot;
		size_t b = (size_t)(sites[i].column - 1);
		if (b >= len || t[b] != '{') {
			/* the column of a line cpp changed: the line's only '{' */
			const char *q = memchr(t, '{', len);
			if (!q || memchr(q + 1, '{', len - (size_t)(q - t) - 1))
				goto cannot;
			b = (size_t)(q - t);
		}
		size_t e = b;
		while (e && (t[e - 1] == ' ' || t[e - 1] == '\t'))
			e--;
		size_t s = e;
		while (s && t[s - 1] != ' ' && t[s - 1] != '\t' && t[s - 1] != ':')
			s--;
		if (e - s == ol && !memcmp(t + s, old, ol)) {
			int r = line_splice(f, sites[i].line, s, ol, new_name);
			if (r)
				return r;
			renamed = true;
		} else if (!(s < e && t[s] == '&' && t[e - 1] != '}')) {
			/* not "name {" nor "&label {": a path reference, which the rename breaks */
			goto cannot;
		}
	}
	if (renamed)
		return 0;
cannot:
	return cvo_error_set(x->err, CVO_ERR_INVALID, x->blob->name, 0, 0,
			     "rename %s to %s: the node's name is not in a source that can be "
			     "edited, and a fragment cannot rename a node",
			     path, new_name);
}

/* ------------------------------------------------------------------ collecting the changes */

static int collect(struct ctx *x)
{
	for (size_t i = 0; i < x->c->n; i++) {
		const struct cvo_change *ch = &x->c->v[i];
		if (!ch->path)
			continue;
		if (ch->action == CVO_CHANGE_ADD_NODE) {
			if (cvo_grow(&x->nodes, &x->cap_nodes, x->n_nodes, sizeof(*x->nodes)))
				return CVO_ERR_NOMEM;
			struct newnode *nn = &x->nodes[x->n_nodes++];
			*nn = (struct newnode){ .path = ch->path };
			for (size_t k = 0; k < ch->n_props; k++) {
				if (cvo_grow(&nn->props, &nn->cap_props, nn->n_props,
					     sizeof(*nn->props)))
					return CVO_ERR_NOMEM;
				nn->props[nn->n_props++] =
					(struct nprop){ ch->props[k].name, &ch->props[k] };
			}
			continue;
		}
		/* dtc -@ writes __symbols__ from the labels: it follows a rename by itself */
		if (!ch->property || !strcmp(ch->path, "/__symbols__"))
			continue;
		const struct cvo_prop *val =
			ch->action == CVO_CHANGE_DELETE_PROPERTY ? NULL : &ch->value;
		/* a property of a new node is in the node */
		struct newnode *nn = NULL;
		for (size_t k = 0; k < x->n_nodes && !nn; k++)
			if (!strcmp(x->nodes[k].path, ch->path))
				nn = &x->nodes[k];
		if (nn) {
			size_t k = 0;
			while (k < nn->n_props && strcmp(nn->props[k].name, ch->property))
				k++;
			if (k < nn->n_props) {
				memmove(&nn->props[k], &nn->props[k + 1],
					(nn->n_props - k - 1) * sizeof(*nn->props));
				nn->n_props--;
			}
			if (!val)
				continue;
			if (cvo_grow(&nn->props, &nn->cap_props, nn->n_props, sizeof(*nn->props)))
				return CVO_ERR_NOMEM;
			/* value.name is NULL: the property's name is the change's */
			nn->props[nn->n_props++] = (struct nprop){ ch->property, val };
			continue;
		}
		size_t k = 0;
		while (k < x->n_ps &&
		       (strcmp(x->ps[k].path, ch->path) || strcmp(x->ps[k].name, ch->property)))
			k++;
		if (k == x->n_ps) {
			if (cvo_grow(&x->ps, &x->cap_ps, x->n_ps, sizeof(*x->ps)))
				return CVO_ERR_NOMEM;
			x->n_ps++;
		}
		x->ps[k] = (struct pstate){ .path = ch->path, .name = ch->property, .val = val };
	}
	return 0;
}

/* ------------------------------------------------------------------ the diff */

enum op_kind { OP_CTX, OP_DEL, OP_ADD };

struct op {
	enum op_kind kind;
	const char *text;	/* without '\n' */
	size_t len;
	bool no_eol;		/* "\ No newline at end of file" after it */
};

struct ops {
	struct op *v;
	size_t n, cap;
};

static int op_add(struct ops *o, enum op_kind kind, const char *text, size_t len, bool no_eol)
{
	if (cvo_grow(&o->v, &o->cap, o->n, sizeof(*o->v)))
		return CVO_ERR_NOMEM;
	o->v[o->n++] = (struct op){ kind, text, len, no_eol };
	return 0;
}

/* Every line of buf (whole lines) as OP_ADD. */
static int op_lines(struct ops *o, const struct cvo_sbuf *b)
{
	for (size_t i = 0; i < b->n;) {
		const char *nl = memchr(b->s + i, '\n', b->n - i);
		size_t len = nl ? (size_t)(nl - (b->s + i)) : b->n - i;
		if (op_add(o, OP_ADD, b->s + i, len, false))
			return CVO_ERR_NOMEM;
		i += len + 1;
	}
	return 0;
}

static bool file_changed(const struct sfile *f)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->lines[i].now || f->lines[i].deleted || f->lines[i].before.n ||
		    f->lines[i].after.n)
			return true;
	return false;
}

/* f's changes as "--- a/ +++ b/" and hunks with 3 lines of context. */
static int file_diff(struct cvo_sbuf *out, struct sfile *f)
{
	struct ops o = { 0 };
	int r = CVO_ERR_NOMEM;
	if (f->no_eol) {
		/* what follows the last line gives it a '\n' */
		struct sline *l = &f->lines[f->n - 1];
		if (!l->now && !l->deleted && l->after.n &&
		    !(l->now = cvo_asprintf("%.*s", (int)l->old_len, l->old)))
			goto out;
	}
	for (size_t i = 0; i < f->n; i++) {
		struct sline *l = &f->lines[i];
		bool last = f->no_eol && i + 1 == f->n;
		if (op_lines(&o, &l->before))
			goto out;
		if (l->deleted || l->now) {
			if (op_add(&o, OP_DEL, l->old, l->old_len, last))
				goto out;
			if (!l->deleted && op_add(&o, OP_ADD, l->now, strlen(l->now), false))
				goto out;
		} else if (op_add(&o, OP_CTX, l->old, l->old_len, last)) {
			goto out;
		}
		if (op_lines(&o, &l->after))
			goto out;
	}
	/* in each run of changed lines, the removed ones first */
	for (size_t i = 0; i < o.n;) {
		size_t e = i;
		while (e < o.n && o.v[e].kind != OP_CTX)
			e++;
		for (size_t k = i + 1; k < e; k++)
			for (size_t j = k;
			     j > i && o.v[j].kind == OP_DEL && o.v[j - 1].kind == OP_ADD; j--) {
				struct op t = o.v[j];
				o.v[j] = o.v[j - 1];
				o.v[j - 1] = t;
			}
		i = e > i ? e : i + 1;
	}
	cvo_sb_printf(out, "--- a/%s\n+++ b/%s\n", f->rel, f->rel);
	size_t i = 0;
	int oline = 1, nline = 1; /* the numbers of op i's lines */
	while (i < o.n) {
		if (o.v[i].kind == OP_CTX) {
			i++;
			oline++;
			nline++;
			continue;
		}
		/* a hunk: 3 lines before the change, up to 3 after the last change that is
		 * within 6 lines of context of the one before */
		size_t s = i, back = 0;
		while (s > 0 && back < 3 && o.v[s - 1].kind == OP_CTX) {
			s--;
			back++;
		}
		size_t e = i;
		for (;;) {
			while (e < o.n && o.v[e].kind != OP_CTX)
				e++;
			size_t ctx = 0;
			while (e + ctx < o.n && o.v[e + ctx].kind == OP_CTX && ctx <= 6)
				ctx++;
			if (e + ctx < o.n && ctx <= 6 && o.v[e + ctx].kind != OP_CTX) {
				e += ctx;
				continue;
			}
			e += ctx < 3 ? ctx : 3;
			break;
		}
		int os = oline - (int)back, ns = nline - (int)back, oc = 0, nc = 0;
		for (size_t k = s; k < e; k++) {
			oc += o.v[k].kind != OP_ADD;
			nc += o.v[k].kind != OP_DEL;
		}
		cvo_sb_printf(out, "@@ -%d,%d +%d,%d @@\n", oc ? os : os - 1, oc, nc ? ns : ns - 1, nc);
		for (size_t k = s; k < e; k++) {
			static const char mark[] = { ' ', '-', '+' };
			cvo_sb_put(out, &mark[o.v[k].kind], 1);
			cvo_sb_put(out, o.v[k].text, o.v[k].len);
			cvo_sb_put(out, "\n", 1);
			if (o.v[k].no_eol)
				cvo_sb_printf(out, "\\ No newline at end of file\n");
		}
		for (size_t k = i; k < e; k++) {
			oline += o.v[k].kind != OP_ADD;
			nline += o.v[k].kind != OP_DEL;
		}
		i = e;
	}
	r = out->oom ? CVO_ERR_NOMEM : 0;
out:
	free(o.v);
	return r;
}

/* ------------------------------------------------------------------ the whole */

/* The fragments at the end of the top-level .dts. */
static int put_frags(struct ctx *x, struct sfile *top)
{
	if (!x->n_frags)
		return 0;
	struct cvo_sbuf *b = &top->lines[top->n - 1].after;
	for (size_t i = 0; i < x->n_frags; i++) {
		const struct frag *g = &x->frags[i];
		const char *label = label_of(x->blob, g->path);
		char *target = label ? cvo_asprintf("&%s", label) : NULL;
		if (!label) {
			char *fp = final_path(x, g->path);
			target = fp ? cvo_asprintf("&{%s}", fp) : NULL;
			free(fp);
		}
		if (!target)
			return CVO_ERR_NOMEM;
		cvo_sb_printf(b, "\n%s {\n", target);
		cvo_sb_put(b, g->body.s ? g->body.s : "", g->body.n);
		cvo_sb_printf(b, "};\n");
		free(target);
	}
	return b->oom ? CVO_ERR_NOMEM : 0;
}

static void ctx_fini(struct ctx *x)
{
	for (size_t i = 0; i < x->n_files; i++) {
		struct sfile *f = &x->files[i];
		for (size_t k = 0; k < f->n; k++) {
			free(f->lines[k].now);
			free(f->lines[k].before.s);
			free(f->lines[k].after.s);
		}
		free(f->lines);
		free(f->text);
		free(f->name);
		free(f->rel);
	}
	free(x->files);
	for (size_t i = 0; i < x->n_frags; i++) {
		free(x->frags[i].path);
		free(x->frags[i].body.s);
	}
	free(x->frags);
	for (size_t i = 0; i < x->n_nodes; i++)
		free(x->nodes[i].props);
	free(x->nodes);
	free(x->ps);
	free(x->topdir);
}

/* Whether the parent of path is one of the new nodes. */
static bool parent_is_new(const struct ctx *x, const char *path)
{
	size_t pl = (size_t)(strrchr(path, '/') - path);
	for (size_t i = 0; i < x->n_nodes; i++)
		if (strlen(x->nodes[i].path) == pl && !strncmp(x->nodes[i].path, path, pl))
			return true;
	return false;
}

int cvo_changes_source_diff(const struct cvo_blob *blob, const struct cvo_changes *c, char **out,
			    struct cvo_error *err)
{
	*out = NULL;
	if (!blob->srcmap || !blob->name)
		return cvo_error_set(err, CVO_ERR_USAGE, blob->name ? blob->name : "", 0, 0,
				     "no DTS source to diff (the input is a DTB)");
	if (blob->applied)
		return cvo_error_set(err, CVO_ERR_USAGE, blob->name, 0, 0,
				     "overlays are applied to it: a diff of its sources would be "
				     "undone by them");
	struct ctx x = { .blob = blob, .c = c, .err = err };
	struct cvo_sbuf d = { 0 };
	int r = CVO_ERR_NOMEM;
	if (!(x.topdir = dirname_of(blob->name)))
		goto out;
	struct sfile *top = get_file(&x, blob->name);
	if (!top)
		goto out;
	if (!top->text || !top->n || !top->rel) {
		r = cvo_error_set(err, CVO_ERR_IO, blob->name, 0, 0, "cannot read the source");
		goto out;
	}
	if ((r = collect(&x)))
		goto out;
	for (size_t i = 0; i < x.n_ps; i++)
		if ((r = do_prop(&x, &x.ps[i])))
			goto out;
	for (size_t i = 0; i < x.n_nodes; i++)
		if (!x.nodes[i].placed && !parent_is_new(&x, x.nodes[i].path) &&
		    (r = do_node(&x, i)))
			goto out;
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].new_name && c->v[i].path &&
		    (r = do_rename(&x, c->v[i].path, c->v[i].new_name)))
			goto out;
	/* get_file() may have moved the files */
	if ((r = put_frags(&x, &x.files[0])))
		goto out;
	cvo_sb_put(&d, "", 0);
	for (size_t i = 0; i < x.n_files; i++)
		if (x.files[i].text && x.files[i].rel && file_changed(&x.files[i]) &&
		    (r = file_diff(&d, &x.files[i])))
			goto out;
	r = d.oom ? CVO_ERR_NOMEM : 0;
	if (!r) {
		*out = d.s;
		d.s = NULL;
	}
out:
	free(d.s);
	ctx_fini(&x);
	return r;
}
