// SPDX-License-Identifier: MIT
#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "baseline.h"
#include "escape.h"

/* A path split into its components, "." and empty ones dropped, ".." applied. */
struct comps {
	char *buf;
	const char **v;
	size_t n;
};

struct entry {
	char *check, *path, *property, *related; /* related: the paths joined by '\n' */
};

struct bfile {
	struct comps name;
	struct entry *e;
	size_t n;
};

struct cmd_baseline {
	struct bfile *files;
	size_t n;
	struct comps root; /* absolute, or n == 0 and buf NULL without --baseline-root */
	struct comps cwd;
};

/* The extensions a DT goes by: a board's .dts and its .dtb are one file to a reviewer. */
static void strip_ext(char *s)
{
	static const char *const exts[] = { ".dts", ".dtb", ".dtso", ".dtbo" };
	size_t n = strlen(s);
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		size_t k = strlen(exts[i]);
		if (n > k && !strcmp(s + n - k, exts[i]) && s[n - k - 1] != '/') {
			s[n - k] = '\0';
			return;
		}
	}
}

/*
 * Split "prefix/name" (prefix may be NULL) into components, a DT's extension
 * stripped when is_dt; returns -1 on out of memory.
 */
static int comps_split(struct comps *c, const struct comps *prefix, const char *name, bool is_dt)
{
	memset(c, 0, sizeof(*c));
	c->buf = strdup(name);
	size_t cap = (prefix ? prefix->n : 0) + strlen(name) / 2 + 2;
	c->v = calloc(cap, sizeof(*c->v));
	if (!c->buf || !c->v)
		return -1;
	if (prefix) {
		memcpy(c->v, prefix->v, prefix->n * sizeof(*c->v));
		c->n = prefix->n;
	}
	if (is_dt)
		strip_ext(c->buf);
	for (char *save = NULL, *t = strtok_r(c->buf, "/", &save); t;
	     t = strtok_r(NULL, "/", &save)) {
		if (!strcmp(t, "."))
			continue;
		if (!strcmp(t, "..")) {
			if (c->n)
				c->n--;
			continue;
		}
		c->v[c->n++] = t;
	}
	return 0;
}

static void comps_fini(struct comps *c)
{
	free(c->buf);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

/* How many trailing components a and b share. */
static size_t common_suffix(const struct comps *a, const struct comps *b)
{
	size_t k = 0;
	while (k < a->n && k < b->n && !strcmp(a->v[a->n - 1 - k], b->v[b->n - 1 - k]))
		k++;
	return k;
}

static char *dup_member(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? strdup(s) : NULL;
}

static char *join_related(json_t *a)
{
	size_t len = 1, i;
	json_t *v;
	json_array_foreach(a, i, v)
		len += strlen(json_string_value(v) ? json_string_value(v) : "") + 1;
	char *s = calloc(1, len);
	if (!s)
		return NULL;
	json_array_foreach(a, i, v) {
		if (i)
			strcat(s, "\n");
		strcat(s, json_string_value(v) ? json_string_value(v) : "");
	}
	return s;
}

static char *finding_related(const struct cvo_finding *f)
{
	size_t len = 1;
	for (size_t k = 0; k < f->n_related; k++)
		len += strlen(f->related[k]) + 1;
	char *s = calloc(1, len);
	if (!s)
		return NULL;
	for (size_t k = 0; k < f->n_related; k++) {
		if (k)
			strcat(s, "\n");
		strcat(s, f->related[k]);
	}
	return s;
}

void cmd_baseline_free(struct cmd_baseline *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++) {
		struct bfile *f = &b->files[i];
		for (size_t k = 0; k < f->n; k++) {
			free(f->e[k].check);
			free(f->e[k].path);
			free(f->e[k].property);
			free(f->e[k].related);
		}
		free(f->e);
		comps_fini(&f->name);
	}
	free(b->files);
	comps_fini(&b->root);
	comps_fini(&b->cwd);
	free(b);
}

static int load_file(struct bfile *bf, json_t *fe)
{
	const char *name = json_string_value(json_object_get(fe, "file"));
	if (comps_split(&bf->name, NULL, name ? name : "", true))
		return -1;
	json_t *fa = json_object_get(fe, "findings");
	size_t k;
	json_t *fi;
	bf->e = calloc(json_array_size(fa) + 1, sizeof(*bf->e));
	if (!bf->e)
		return -1;
	json_array_foreach(fa, k, fi) {
		struct entry *e = &bf->e[bf->n];
		if (!json_is_string(json_object_get(fi, "check")) ||
		    !json_is_string(json_object_get(fi, "path")))
			continue;
		e->check = dup_member(fi, "check");
		e->path = dup_member(fi, "path");
		e->property = dup_member(fi, "property");
		e->related = join_related(json_object_get(fi, "related"));
		bf->n++;
		if (!e->check || !e->path || !e->related)
			return -1;
	}
	return 0;
}

int cmd_baseline_load(const char *file, const char *root, struct cmd_baseline **out)
{
	*out = NULL;
	json_error_t je;
	json_t *doc = json_load_file(file, 0, &je);
	char *ef = cmd_esc_text(file);
	if (!doc) {
		/* jansson gives line -1 when the file could not be opened or read */
		if (je.line > 0)
			fprintf(stderr, "carveout: %s:%d:%d: not a carveout JSON report: %s\n",
				ef ? ef : "?", je.line, je.column, je.text);
		else
			fprintf(stderr, "carveout: %s: cannot read the baseline: %s\n", ef ? ef : "?",
				je.text);
		free(ef);
		return 3;
	}
	json_t *files = json_object_get(doc, "files");
	if (!json_is_array(files)) {
		fprintf(stderr, "carveout: %s: not a carveout JSON report: no \"files\" array\n",
			ef ? ef : "?");
		free(ef);
		json_decref(doc);
		return 3;
	}
	struct cmd_baseline *b = calloc(1, sizeof(*b));
	int bad = !b;
	if (b) {
		b->files = calloc(json_array_size(files) + 1, sizeof(*b->files));
		bad = !b->files;
	}
	size_t i;
	json_t *fe;
	json_array_foreach(files, i, fe) {
		if (bad)
			break;
		bad = load_file(&b->files[b->n++], fe);
	}
	char cwd[PATH_MAX];
	if (!bad) {
		if (!getcwd(cwd, sizeof(cwd)))
			strcpy(cwd, "/");
		bad = comps_split(&b->cwd, NULL, cwd, false);
	}
	if (!bad && root)
		bad = comps_split(&b->root, root[0] == '/' ? NULL : &b->cwd, root, false);
	json_decref(doc);
	if (bad) {
		fprintf(stderr, "carveout: %s: out of memory reading the baseline\n", ef ? ef : "?");
		free(ef);
		cmd_baseline_free(b);
		return 3;
	}
	free(ef);
	*out = b;
	return 0;
}

/*
 * The name a file is matched by: its path below --baseline-root when it is
 * there, else its basename; each without the .dts/.dtb extension.
 */
static int file_key(const struct cmd_baseline *b, const char *file, struct comps *full,
		    struct comps *key)
{
	if (comps_split(full, file[0] == '/' ? NULL : &b->cwd, file, true))
		return -1;
	memset(key, 0, sizeof(*key));
	key->v = full->v;
	key->n = full->n ? 1 : 0;
	if (full->n)
		key->v = full->v + full->n - 1;
	if (b->root.buf && full->n > b->root.n) {
		size_t k = 0;
		while (k < b->root.n && !strcmp(full->v[k], b->root.v[k]))
			k++;
		if (k == b->root.n) {
			key->v = full->v + k;
			key->n = full->n - k;
		}
	}
	return 0;
}

/*
 * The baseline entry of an input: a recorded name whose trailing components are
 * the key (or, when it was recorded from deeper inside the tree, a tail of the
 * key); of several, the one sharing the longest tail with the input's full path.
 */
static const struct bfile *find_file(const struct cmd_baseline *b, const char *file)
{
	struct comps full, key;
	if (file_key(b, file, &full, &key)) {
		comps_fini(&full);
		return NULL;
	}
	const struct bfile *best = NULL;
	size_t best_len = 0;
	for (size_t i = 0; i < b->n; i++) {
		const struct comps *n = &b->files[i].name;
		size_t s = common_suffix(n, &key);
		if (s == 0 || (s < key.n && s < n->n))
			continue;
		size_t len = common_suffix(n, &full);
		if (!best || len > best_len) {
			best = &b->files[i];
			best_len = len;
		}
	}
	comps_fini(&full);
	return best;
}

static bool same(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

struct filter {
	const struct bfile *bf;
	bool *used;
};

static bool keep(const struct cvo_finding *f, void *data)
{
	struct filter *fl = data;
	char *rel = finding_related(f);
	if (!rel)
		return true;
	bool found = false;
	for (size_t k = 0; k < fl->bf->n && !found; k++) {
		const struct entry *e = &fl->bf->e[k];
		if (fl->used[k] || strcmp(e->check, f->check) || strcmp(e->path, f->path) ||
		    !same(e->property, f->property) || strcmp(e->related, rel))
			continue;
		fl->used[k] = true;
		found = true;
	}
	free(rel);
	return !found;
}

void cmd_baseline_filter(const struct cmd_baseline *b, const char *file, struct cvo_report *r)
{
	if (!b)
		return;
	const struct bfile *bf = find_file(b, file);
	if (!bf || !bf->n)
		return;
	struct filter fl = { bf, calloc(bf->n, sizeof(bool)) };
	if (!fl.used)
		return;
	cvo_report_filter(r, keep, &fl);
	free(fl.used);
}
