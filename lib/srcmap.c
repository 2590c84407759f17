// SPDX-License-Identifier: MIT
/*
 * Source positions for DTS input. dtc -T -T prints every node and property of
 * its output DTS followed by a comment naming where it was defined:
 *	reg = <0x00 0x40000000>;   [comment: board.dts:41:3-41:23]
 * (the comment opens with a slash and a star).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "srcmap.h"
#include "util.h"

struct site {
	int file;	/* index into files */
	int line, col, eline, ecol;
};

struct entry {
	char *key;	/* "path" or "path\0prop" flattened as "path:prop" */
	int file;	/* index into files */
	int line, col, eline, ecol;
	struct site *sites; /* every position dtc listed, in its order (the last is the above) */
	size_t n_sites;
};

struct cvo_srcmap {
	struct entry *e;
	size_t n, cap;
	char **files;
	size_t n_files, cap_files;
};

void cvo_srcmap_free(struct cvo_srcmap *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++) {
		free(m->e[i].key);
		free(m->e[i].sites);
	}
	for (size_t i = 0; i < m->n_files; i++)
		free(m->files[i]);
	free(m->e);
	free(m->files);
	free(m);
}

static int intern_file(struct cvo_srcmap *m, const char *s, size_t len)
{
	for (size_t i = 0; i < m->n_files; i++)
		if (strlen(m->files[i]) == len && !memcmp(m->files[i], s, len))
			return (int)i;
	if (cvo_grow(&m->files, &m->cap_files, m->n_files, sizeof(char *)))
		return -1;
	char *f = malloc(len + 1);
	if (!f)
		return -1;
	memcpy(f, s, len);
	f[len] = '\0';
	m->files[m->n_files] = f;
	return (int)m->n_files++;
}

/* The decimal number in [s, e): the text is not NUL-terminated, so no atoi();
 * saturates instead of overflowing. */
static int parse_dec(const char *s, const char *e)
{
	int v = 0;
	for (; s < e; s++)
		v = v > (INT_MAX - 9) / 10 ? INT_MAX : v * 10 + (*s - '0');
	return v;
}

/* One "file:l:c-l:c". */
static bool parse_one(struct cvo_srcmap *m, const char *s, size_t len, struct site *e)
{
	/* file names may hold ':', so parse from the right: file:L:C-L:C */
	const char *p = s + len;
	int nums[4];
	for (int k = 3; k >= 0; k--) {
		const char *q = p;
		while (q > s && q[-1] >= '0' && q[-1] <= '9')
			q--;
		if (q == p || q == s)
			return false;
		nums[k] = parse_dec(q, p);
		char sep = q[-1];
		if (sep != (k == 2 ? '-' : ':'))
			return false;
		p = q - 1;
	}
	int f = intern_file(m, s, (size_t)(p - s));
	if (f < 0)
		return false;
	e->file = f;
	e->line = nums[0];
	e->col = nums[1];
	e->eline = nums[2];
	e->ecol = nums[3];
	return true;
}

/* "file:l:c-l:c[, file:l:c-l:c]...": every one in e->sites, the last one in e's fields. */
static bool parse_pos(struct cvo_srcmap *m, const char *s, size_t len, struct entry *e)
{
	e->sites = NULL;
	e->n_sites = 0;
	size_t cap = 0;
	const char *end = s + len;
	for (const char *p = s; p < end;) {
		const char *q = p;
		while (q + 1 < end && !(q[0] == ',' && q[1] == ' '))
			q++;
		if (q + 1 >= end)
			q = end;
		struct site one;
		if (!parse_one(m, p, (size_t)(q - p), &one) ||
		    cvo_grow(&e->sites, &cap, e->n_sites, sizeof(*e->sites))) {
			free(e->sites);
			e->sites = NULL;
			return false;
		}
		e->sites[e->n_sites++] = one;
		p = q < end ? q + 2 : end;
	}
	if (!e->n_sites)
		return false;
	const struct site *last = &e->sites[e->n_sites - 1];
	e->file = last->file;
	e->line = last->line;
	e->col = last->col;
	e->eline = last->eline;
	e->ecol = last->ecol;
	return true;
}

static int add(struct cvo_srcmap *m, const char *key, struct entry *pos)
{
	if (cvo_grow(&m->e, &m->cap, m->n, sizeof(*m->e))) {
		free(pos->sites);
		return -1;
	}
	pos->key = cvo_strdup(key);
	if (!pos->key) {
		free(pos->sites);
		return -1;
	}
	m->e[m->n++] = *pos;
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->key, ((const struct entry *)b)->key);
}

struct cvo_srcmap *cvo_srcmap_parse(const char *text, size_t len, const char *main_file)
{
	struct cvo_srcmap *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	size_t pathcap = 4096;
	char *path = malloc(pathcap);
	size_t *stack = malloc(sizeof(size_t) * 1024);
	int depth = 0;
	if (!path || !stack)
		goto fail;
	path[0] = '\0';
	const char *end = text + len;
	for (const char *ln = text; ln < end;) {
		const char *nl = memchr(ln, '\n', (size_t)(end - ln));
		const char *le = nl ? nl : end;
		const char *next = nl ? nl + 1 : end;
		/* the annotation is the last comment on the line */
		const char *c = NULL;
		for (const char *q = ln; q + 2 < le; q++)
			if (q[0] == '/' && q[1] == '*' && q[2] == ' ')
				c = q;
		if (!c || le - c < 6 || memcmp(le - 3, " */", 3)) {
			ln = next;
			continue;
		}
		struct entry pos = { 0 };
		bool ok = parse_pos(m, c + 3, (size_t)(le - 3 - (c + 3)), &pos);
		const char *s = ln;
		while (s < c && (*s == '\t' || *s == ' '))
			s++;
		const char *t = c;
		while (t > s && t[-1] == ' ')
			t--;
		/* t now ends the statement: "name {", "};", "prop = ...;", "prop;" */
		if (t - s >= 2 && t[-1] == ';' && t[-2] == '}') {
			free(pos.sites);
			if (depth > 0)
				path[stack[--depth]] = '\0';
		} else if (t > s && t[-1] == '{') {
			/* node: skip labels "lbl: name {" */
			const char *ne = t - 1;
			while (ne > s && ne[-1] == ' ')
				ne--;
			const char *ns = s;
			for (const char *q = s; q < ne; q++)
				if (q[0] == ':' && q + 1 < ne && q[1] == ' ')
					ns = q + 2;
			size_t nlen = (size_t)(ne - ns);
			size_t cur = strlen(path);
			if (depth >= 1024 || cur + nlen + 2 > pathcap) {
				free(pos.sites);
				goto fail;
			}
			stack[depth++] = cur;
			if (nlen == 1 && *ns == '/') {
				strcpy(path, "/");
			} else {
				if (cur > 1)
					path[cur++] = '/';
				else if (cur == 0)
					path[cur++] = '/';
				memcpy(path + cur, ns, nlen);
				path[cur + nlen] = '\0';
			}
			if (ok && add(m, path, &pos))
				goto fail;
		} else if (t > s && t[-1] == ';' && depth > 0) {
			const char *pe = s;
			while (pe < t && *pe != ' ' && *pe != ';' && *pe != '=')
				pe++;
			size_t plen = (size_t)(pe - s);
			size_t cur = strlen(path);
			char *key = malloc(cur + plen + 2);
			if (!key) {
				free(pos.sites);
				goto fail;
			}
			memcpy(key, path, cur);
			key[cur] = ':';
			memcpy(key + cur + 1, s, plen);
			key[cur + 1 + plen] = '\0';
			int r = ok ? add(m, key, &pos) : 0;
			free(key);
			if (r)
				goto fail;
		} else {
			free(pos.sites);
		}
		ln = next;
	}
	free(path);
	free(stack);
	if (m->n) /* qsort() takes no NULL array, even of 0 elements */
		qsort(m->e, m->n, sizeof(*m->e), cmp_entry);
	(void)main_file;
	return m;
fail:
	free(path);
	free(stack);
	cvo_srcmap_free(m);
	return NULL;
}

/* strcmp() of PATH ":" PROP (PATH alone when prop is NULL) with key, without building the
 * joined string: a lookup never allocates, so it cannot fail on memory. */
static int cmp_joined(const char *path, const char *prop, const char *key)
{
	const unsigned char *k = (const unsigned char *)key, *s;
	for (s = (const unsigned char *)path; *s; s++, k++)
		if (*s != *k)
			return *s - *k;
	if (prop) {
		if (*k != ':')
			return ':' - *k;
		k++;
		for (s = (const unsigned char *)prop; *s; s++, k++)
			if (*s != *k)
				return *s - *k;
	}
	return -*k;
}

static const struct entry *find_joined(const struct cvo_srcmap *m, const char *path,
				       const char *prop)
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_joined(path, prop, m->e[mid].key);
		if (!c)
			return &m->e[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

bool cvo_srcmap_find(const struct cvo_srcmap *m, const char *path, const char *prop,
		     struct cvo_loc *loc)
{
	if (!m->n)
		return false;
	const struct entry *e = find_joined(m, path, prop);
	if (!e && prop) /* fall back to the node */
		e = find_joined(m, path, NULL);
	if (!e)
		return false;
	loc->file = m->files[e->file];
	loc->line = e->line;
	loc->column = e->col;
	loc->end_line = e->eline;
	loc->end_column = e->ecol;
	return true;
}

size_t cvo_srcmap_sites(const struct cvo_srcmap *m, const char *path, const char *prop,
			struct cvo_loc *locs, size_t max)
{
	if (!m || !m->n)
		return 0;
	const struct entry *e = find_joined(m, path, prop);
	if (!e)
		return 0;
	for (size_t i = 0; i < e->n_sites && i < max; i++) {
		const struct site *s = &e->sites[i];
		locs[i] = (struct cvo_loc){ .file = m->files[s->file],
					    .line = s->line,
					    .column = s->col,
					    .end_line = s->eline,
					    .end_column = s->ecol };
	}
	return e->n_sites;
}
