// SPDX-License-Identifier: MIT
/*
 * Kernel configurations as users have them: every Kconfig symbol, with or
 * without CONFIG_, from a platform file's kernel.config, a real .config or a
 * built-in profile. A platform keeps every symbol it was given (sorted by
 * name, each with where it was set); the few that change what the kernel does
 * with memory (models[]) are checked and derived into struct cvo_kconfig.
 * Symbols carveout does not model are kept and never an error: a pasted
 * .config must load.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kconfig.h"
#include "../kernel.h"
#include "../util.h"

/* Kconfig names are short; a longer "name" is not one (scripts/kconfig/lexer.l). */
#define KC_MAX_NAME 128
/* A .config line: CONFIG_CMDLINE strings are the longest (COMMAND_LINE_SIZE up to 4096). */
#define KC_MAX_LINE 8192
/* Linux 6.12 has ~20,000 symbols over every arch; a configuration holds ~13,000. */
#define KC_MAX_SYMBOLS 65536

/* ------------------------------------------------------------------ the modelled symbols */

enum kc_kind { KC_BOOL, KC_INT, KC_ARCH };

static const struct kc_model {
	struct cvo_kconfig_model pub;
	enum kc_kind kind;
	uint64_t min, max;
} models[] = {
	{ { "ARM64", "the configuration is for arm64: refused for another arch", "n" }, KC_ARCH, 0, 0 },
	{ { "ARM", "the configuration is for arm: refused for another arch", "n" }, KC_ARCH, 0, 0 },
	{ { "RISCV", "the configuration is for riscv: refused for another arch", "n" }, KC_ARCH, 0, 0 },
	{ { "PPC", "the configuration is for powerpc: refused for another arch", "n" }, KC_ARCH, 0, 0 },
	{ { "ARM_LPAE", "arm: 64-bit phys_addr_t; without it RAM and regions above 4 GiB are cut", "n" },
	  KC_BOOL, 0, 0 },
	{ { "HIGHMEM", "arm: without it RAM above lowmem is dropped (adjust_lowmem_bounds())", "n" },
	  KC_BOOL, 0, 0 },
	{ { "ZONE_DMA", "the DMA zone and its limit for the default CMA area", "n" }, KC_BOOL, 0, 0 },
	{ { "ZONE_DMA32", "the DMA32 zone below 4 GiB", "n" }, KC_BOOL, 0, 0 },
	{ { "CMA", "the CMA allocator: without it DMA_CMA is off", "n" }, KC_BOOL, 0, 0 },
	{ { "DMA_CMA", "the default CMA area and reusable shared-dma-pool regions", "n" },
	  KC_BOOL, 0, 0 },
	/* dma_contiguous_reserve() shifts it by 20 into a phys_addr_t */
	{ { "CMA_SIZE_MBYTES", "the default CMA area's size (CMA_SIZE_SEL_MBYTES, MIN, MAX)", "16" },
	  KC_INT, 0, UINT64_MAX >> 20 },
	/* kernel/dma/Kconfig CMA_SIZE_PERCENTAGE: range 0 100 */
	{ { "CMA_SIZE_PERCENTAGE", "the default CMA area's size as a share of RAM "
				   "(CMA_SIZE_SEL_PERCENTAGE, MIN, MAX)", "10" }, KC_INT, 0, 100 },
	{ { "CMA_SIZE_SEL_MBYTES", "size the default CMA area by CMA_SIZE_MBYTES", "n" },
	  KC_BOOL, 0, 0 },
	{ { "CMA_SIZE_SEL_PERCENTAGE", "size the default CMA area by CMA_SIZE_PERCENTAGE", "n" },
	  KC_BOOL, 0, 0 },
	{ { "CMA_SIZE_SEL_MIN", "size the default CMA area by the smaller of the two", "n" },
	  KC_BOOL, 0, 0 },
	{ { "CMA_SIZE_SEL_MAX", "size the default CMA area by the larger of the two", "n" },
	  KC_BOOL, 0, 0 },
	{ { "CMA_AREAS", "how many CMA areas can be declared", "default" }, KC_INT, 1, 4096 },
	/* Kconfig value: MAX_ORDER before 6.4 (exclusive), MAX_PAGE_ORDER from 6.4 */
	{ { "ARCH_FORCE_MAX_ORDER", "the largest buddy order (CMA alignment)", "default" }, KC_INT, 1, 21 },
	/* mm/Kconfig PAGE_BLOCK_ORDER (6.16+): range 1..ARCH_FORCE_MAX_ORDER */
	{ { "PAGE_BLOCK_ORDER", "caps the pageblock order (CMA alignment, 6.16+)", "default" },
	  KC_INT, 1, 20 },
	{ { "PAGE_SHIFT", "the page size when page-size is not given", "default" }, KC_INT, 12, 18 },
	{ { "ARM64_4K_PAGES", "arm64: 4 KiB pages when page-size is not given", "n" }, KC_BOOL, 0, 0 },
	{ { "ARM64_16K_PAGES", "arm64: 16 KiB pages when page-size is not given", "n" },
	  KC_BOOL, 0, 0 },
	{ { "ARM64_64K_PAGES", "arm64: 64 KiB pages when page-size is not given", "n" },
	  KC_BOOL, 0, 0 },
	{ { "HUGETLB_PAGE", "the pageblock order (CMA alignment)", "n" }, KC_BOOL, 0, 0 },
	{ { "TRANSPARENT_HUGEPAGE", "the pageblock order without HUGETLB_PAGE (6.10+)", "n" },
	  KC_BOOL, 0, 0 },
	{ { "DMA_RESTRICTED_POOL", "restricted-dma-pool regions are set up", "n" }, KC_BOOL, 0, 0 },
	{ { "DMA_DIRECT_REMAP", "remapped coherent buffers from restricted pools", "n" },
	  KC_BOOL, 0, 0 },
	{ { "DMA_GLOBAL_POOL", "a linux,dma-default pool is the global coherent pool", "n" },
	  KC_BOOL, 0, 0 },
	{ { "SWIOTLB", "shown only: the bounce buffer is allocated after the placement "
		       "carveout simulates", "n" }, KC_BOOL, 0, 0 },
	{ { "INIT_ON_ALLOC_DEFAULT_ON", "coherent allocations are zeroed (arm64 6.4+)", "n" },
	  KC_BOOL, 0, 0 },
};

const struct cvo_kconfig_model *cvo_kconfig_model(size_t i)
{
	return i < CVO_ARRAY_LEN(models) ? &models[i].pub : NULL;
}

static const struct kc_model *model_of(const char *name)
{
	for (size_t i = 0; i < CVO_ARRAY_LEN(models); i++)
		if (strcmp(models[i].pub.name, name) == 0)
			return &models[i];
	return NULL;
}

/* ------------------------------------------------------------------ sets */

void kc_set_init(struct kc_set *s, const char *file)
{
	memset(s, 0, sizeof(*s));
	s->file = file;
	s->kpatch = -1;
}

void kc_set_fini(struct kc_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].name);
		free(s->v[i].value);
	}
	free(s->v);
	free(s->origin);
	memset(s, 0, sizeof(*s));
}

int kc_set_origin(struct kc_set *s, const char *origin, struct cvo_error *err)
{
	char *o = cvo_strdup(origin);
	if (!o)
		return cvo_error_set(err, CVO_ERR_NOMEM, s->file, 0, 0, "out of memory");
	free(s->origin);
	s->origin = o;
	return 0;
}

static bool valid_symbol(const char *s, size_t len)
{
	if (len == 0 || len > KC_MAX_NAME)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

int kc_set_add(struct kc_set *s, const char *name, const char *value, int line, int col,
	       int key_col, struct cvo_error *err)
{
	const char *bare = strncmp(name, "CONFIG_", 7) == 0 ? name + 7 : name;
	if (!valid_symbol(bare, strlen(bare)))
		return cvo_error_set(err, CVO_ERR_INVALID, s->file, line, key_col,
				     "%s\"%.80s\": not a Kconfig symbol name (letters, digits and "
				     "'_', up to %d)", s->complete ? "" : "kernel.config: ", name,
				     KC_MAX_NAME);
	if (s->n >= KC_MAX_SYMBOLS)
		return cvo_error_set(err, CVO_ERR_INVALID, s->file, line, col,
				     "more than %d symbols", KC_MAX_SYMBOLS);
	if (cvo_grow(&s->v, &s->cap, s->n, sizeof(*s->v)))
		return cvo_error_set(err, CVO_ERR_NOMEM, s->file, 0, 0, "out of memory");
	struct kc_entry *e = &s->v[s->n];
	e->name = cvo_strdup(bare);
	e->value = cvo_strdup(value);
	if (!e->name || !e->value) {
		free(e->name);
		free(e->value);
		return cvo_error_set(err, CVO_ERR_NOMEM, s->file, 0, 0, "out of memory");
	}
	e->line = line;
	e->col = col;
	e->key_col = key_col;
	e->seq = s->n++;
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct kc_entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

int kc_set_sort(struct kc_set *s, bool dups_fatal, struct cvo_error *err)
{
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), cmp_entry);
	size_t out = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (out && strcmp(s->v[out - 1].name, s->v[i].name) == 0) {
			if (dups_fatal)
				return cvo_error_set(err, CVO_ERR_INVALID, s->file, s->v[i].line,
						     s->v[i].key_col,
						     "kernel.config: duplicate symbol \"%s\" (first "
						     "at line %d)", s->v[i].name,
						     s->v[out - 1].line);
			/* confdata.c conf_read_simple(): a later assignment overrides */
			free(s->v[out - 1].name);
			free(s->v[out - 1].value);
			s->v[out - 1] = s->v[i];
			continue;
		}
		s->v[out++] = s->v[i];
	}
	s->n = out;
	return 0;
}

/* ------------------------------------------------------------------ .config text */

static int bad_line(const struct kc_set *s, int line, struct cvo_error *err, const char *what)
{
	return cvo_error_set(err, CVO_ERR_INVALID, s->file, line, 1, "%s", what);
}

/* "# Linux/arm64 6.1.176 Kernel Configuration": conf_write()'s header. */
static void parse_header(struct kc_set *s, const char *text, int line)
{
	char arch[16], release[65];
	if (s->has_version || sscanf(text, "# Linux/%15s %64s Kernel Configuration", arch,
				     release) != 2)
		return;
	int maj, min, patch;
	if (!kc_parse_release(release, &maj, &min, &patch))
		return;
	s->has_version = true;
	s->kmaj = maj;
	s->kmin = min;
	s->kpatch = patch;
	s->version_line = line;
	snprintf(s->release, sizeof(s->release), "%s", release);
	snprintf(s->header_arch, sizeof(s->header_arch), "%s", arch);
}

/* A string value: confdata.c conf_set_sym_val() takes "..." with \" and \\ escapes. */
static int unquote(char *v, int line, const struct kc_set *s, struct cvo_error *err)
{
	char *w = v;
	for (char *r = v + 1;; r++) {
		if (!*r)
			return bad_line(s, line, err, "string value without its closing '\"'");
		if (*r == '"') {
			for (r++; *r == ' ' || *r == '\t'; r++)
				;
			if (*r)
				return bad_line(s, line, err, "text after a string value's closing '\"'");
			break;
		}
		if (*r == '\\' && r[1])
			r++;
		*w++ = *r;
	}
	*w = '\0';
	return 0;
}

static int parse_line(struct kc_set *s, char *t, int line, struct cvo_error *err)
{
	while (*t == ' ' || *t == '\t')
		t++;
	size_t len = strlen(t);
	while (len && (t[len - 1] == ' ' || t[len - 1] == '\t' || t[len - 1] == '\r'))
		t[--len] = '\0';
	if (!len)
		return 0;
	if (t[0] == '#') {
		/* confdata.c: "# CONFIG_FOO is not set" is FOO=n; any other comment is none */
		static const char tail[] = " is not set";
		size_t tl = sizeof(tail) - 1;
		if (strncmp(t, "# CONFIG_", 9) == 0 && len > 9 + tl &&
		    strcmp(t + len - tl, tail) == 0 && valid_symbol(t + 9, len - 9 - tl)) {
			t[len - tl] = '\0';
			return kc_set_add(s, t + 2, "n", line, 1, 1, err);
		}
		parse_header(s, t, line);
		return 0;
	}
	char *eq = strchr(t, '=');
	if (!eq || !valid_symbol(t, (size_t)(eq - t)))
		return bad_line(s, line, err,
				"expected CONFIG_NAME=VALUE, \"# CONFIG_NAME is not set\" or a "
				"comment");
	*eq = '\0';
	char *v = eq + 1;
	if (*v == '"') {
		int r = unquote(v, line, s, err);
		if (r)
			return r;
	}
	return kc_set_add(s, t, v, line, 1, 1, err);
}

int kc_parse_text(struct kc_set *s, const char *text, size_t len, int first_line,
		  struct cvo_error *err)
{
	char *buf = malloc(KC_MAX_LINE + 1);
	if (!buf)
		return cvo_error_set(err, CVO_ERR_NOMEM, s->file, 0, 0, "out of memory");
	int line = first_line, r = 0;
	for (size_t i = 0; i < len && !r; line++) {
		size_t start = i;
		while (i < len && text[i] != '\n')
			i++;
		size_t ll = i - start;
		if (i < len)
			i++;
		if (memchr(text + start, '\0', ll))
			r = bad_line(s, line, err, "NUL byte: not a kernel .config");
		else if (ll > KC_MAX_LINE)
			r = cvo_error_set(err, CVO_ERR_INVALID, s->file, line, 1,
					  "line longer than %d bytes", KC_MAX_LINE);
		if (r)
			break;
		memcpy(buf, text + start, ll);
		buf[ll] = '\0';
		r = parse_line(s, buf, line, err);
	}
	free(buf);
	return r;
}

int kc_read_file(const char *path, const char *origin_name, struct kc_set *s,
		 struct cvo_error *err)
{
	s->complete = true;
	int r = kc_set_origin(s, origin_name, err);
	if (r)
		return r;
	s->file = s->origin; /* errors name the .config as its origins do */
	FILE *f = fopen(path, "rb");
	if (!f)
		return cvo_error_set(err, CVO_ERR_IO, path, 0, 0, "cannot open: %s",
				     strerror(errno));
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		return cvo_error_set(err, CVO_ERR_IO, path, 0, 0, "is a directory");
	}
	char *buf = malloc(KC_MAX_BYTES + 1);
	if (!buf) {
		fclose(f);
		return cvo_error_set(err, CVO_ERR_NOMEM, path, 0, 0, "out of memory");
	}
	size_t n = fread(buf, 1, KC_MAX_BYTES + 1, f);
	bool failed = ferror(f);
	fclose(f);
	if (failed)
		r = cvo_error_set(err, CVO_ERR_IO, path, 0, 0, "cannot read");
	else if (n > KC_MAX_BYTES)
		r = cvo_error_set(err, CVO_ERR_INVALID, path, 0, 0,
				  "file is larger than %u bytes: not a kernel .config",
				  KC_MAX_BYTES);
	else if (n >= 2 && (unsigned char)buf[0] == 0x1f && (unsigned char)buf[1] == 0x8b)
		r = cvo_error_set(err, CVO_ERR_INVALID, path, 0, 0,
				  "gzip-compressed (/proc/config.gz?): give the output of zcat");
	else
		r = kc_parse_text(s, buf, n, 1, err);
	free(buf);
	if (!r)
		r = kc_set_sort(s, false, err);
	return r;
}

/* ------------------------------------------------------------------ releases */

static bool read_num(const char **s, int max, int *out)
{
	const char *p = *s;
	long v = 0;
	if (!isdigit((unsigned char)*p))
		return false;
	for (; isdigit((unsigned char)*p); p++) {
		v = v * 10 + (*p - '0');
		if (v > max)
			return false;
	}
	*out = (int)v;
	*s = p;
	return true;
}

bool kc_parse_release(const char *s, int *major, int *minor, int *patch)
{
	/* uname -r is at most __NEW_UTS_LEN (64) characters */
	size_t len = strlen(s);
	if (len == 0 || len > 64)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isgraph((unsigned char)s[i]))
			return false;
	const char *p = s;
	int maj, min, pat = -1;
	if (!read_num(&p, 99, &maj) || maj < 2 || *p++ != '.' || !read_num(&p, 999, &min))
		return false;
	if (*p == '.') {
		p++;
		if (!read_num(&p, 99999, &pat))
			return false;
	}
	/* what follows is the local version: "+deb13-arm64", "-50-arm64", "-rc1" */
	if (*p && (isdigit((unsigned char)*p) || *p == '.'))
		return false;
	/* Debian's 6.1.0-50-arm64, Ubuntu's 6.8.0-49-generic: an ABI name, patch unknown */
	if (pat == 0 && *p == '-')
		pat = -1;
	*major = maj;
	*minor = min;
	*patch = pat;
	return true;
}

/* ------------------------------------------------------------------ the symbol table */

static int cmp_sym_name(const void *key, const void *elem)
{
	return strcmp(key, ((const struct cvo_kconfig_symbol *)elem)->name);
}

const struct cvo_kconfig_symbol *cvo_platform_symbol(const struct cvo_platform *p,
						      const char *name)
{
	if (!p || !name || !p->n_symbols)
		return NULL;
	if (strncmp(name, "CONFIG_", 7) == 0)
		name += 7;
	return bsearch(name, p->symbols, p->n_symbols, sizeof(*p->symbols), cmp_sym_name);
}

static struct cvo_kconfig_symbol *sym_mut(struct cvo_platform *p, const char *name)
{
	return (struct cvo_kconfig_symbol *)cvo_platform_symbol(p, name);
}

static void sym_free(struct cvo_kconfig_symbol *s)
{
	free(s->name);
	free(s->value);
	free(s->origin);
}

void kc_symbols_free(struct cvo_platform *p)
{
	for (size_t i = 0; i < p->n_symbols; i++)
		sym_free(&p->symbols[i]);
	free(p->symbols);
	p->symbols = NULL;
	p->n_symbols = 0;
}

static char *origin_of(const struct kc_set *s, const struct kc_entry *e)
{
	const char *o = s->origin ? s->origin : s->file;
	return e->line > 0 ? cvo_asprintf("%s:%d", o, e->line) : cvo_strdup(o);
}

static int sym_from(struct cvo_kconfig_symbol *d, const struct kc_set *s, const struct kc_entry *e)
{
	d->name = cvo_strdup(e->name);
	d->value = cvo_strdup(e->value);
	d->origin = origin_of(s, e);
	if (d->name && d->value && d->origin)
		return 0;
	sym_free(d);
	return CVO_ERR_NOMEM;
}

/* Set a symbol p's table holds (only those: a choice member the configuration lacks stays so). */
static int sym_rewrite(struct cvo_platform *p, const char *name, const char *value,
		       const char *origin)
{
	struct cvo_kconfig_symbol *y = sym_mut(p, name);
	if (!y || strcmp(y->value, value) == 0)
		return 0;
	char *v = cvo_strdup(value), *o = cvo_strdup(origin);
	if (!v || !o) {
		free(v);
		free(o);
		return CVO_ERR_NOMEM;
	}
	free(y->value);
	free(y->origin);
	y->value = v;
	y->origin = o;
	return 0;
}

/* Merge a sorted set into the sorted table; the set's entries win. */
static int merge(struct cvo_platform *p, const struct kc_set *s)
{
	size_t cap = (s->complete ? 0 : p->n_symbols) + s->n;
	struct cvo_kconfig_symbol *v = calloc(cap ? cap : 1, sizeof(*v));
	if (!v)
		return CVO_ERR_NOMEM;
	size_t n = 0, i = 0, j = 0, keep = s->complete ? 0 : p->n_symbols;
	int r = 0;
	while (!r && (i < keep || j < s->n)) {
		int c = i >= keep ? 1 : j >= s->n ? -1 : strcmp(p->symbols[i].name, s->v[j].name);
		if (c < 0) {
			v[n++] = p->symbols[i];
			memset(&p->symbols[i++], 0, sizeof(*p->symbols));
			continue;
		}
		if (c == 0)
			i++; /* replaced: freed with the old table below */
		r = sym_from(&v[n], s, &s->v[j++]);
		if (!r)
			n++;
	}
	if (r) {
		for (size_t k = 0; k < n; k++)
			sym_free(&v[k]);
		free(v);
		return r;
	}
	kc_symbols_free(p);
	p->symbols = v;
	p->n_symbols = n;
	return 0;
}

static const struct kc_entry *set_get(const struct kc_set *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].name, name) == 0)
			return &s->v[i];
	return NULL;
}

static bool is_y(const struct cvo_platform *p, const char *name)
{
	const struct cvo_kconfig_symbol *y = cvo_platform_symbol(p, name);
	return y && strcmp(y->value, "y") == 0;
}

/* A number as Kconfig writes one: decimal, or 0x hex. */
static bool parse_num(const char *s, uint64_t *out)
{
	unsigned base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return false;
	uint64_t v = 0;
	for (; *s; s++) {
		int ch = tolower((unsigned char)*s);
		unsigned d;
		if (ch >= '0' && ch <= '9')
			d = (unsigned)(ch - '0');
		else if (base == 16 && ch >= 'a' && ch <= 'f')
			d = (unsigned)(ch - 'a' + 10);
		else
			return false;
		if (v > (UINT64_MAX - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

static uint64_t num(const struct cvo_platform *p, const char *name, uint64_t dflt)
{
	const struct cvo_kconfig_symbol *y = cvo_platform_symbol(p, name);
	uint64_t v;
	return y && parse_num(y->value, &v) ? v : dflt;
}

/* What each modelled symbol means for the platform: a bool absent from the table is n. */
static void derive(struct cvo_platform *p)
{
	struct cvo_kconfig *k = &p->config;
	k->zone_dma = is_y(p, "ZONE_DMA");
	k->zone_dma32 = is_y(p, "ZONE_DMA32");
	k->cma = is_y(p, "CMA");
	/* kernel/dma/Kconfig: DMA_CMA depends on CMA */
	k->dma_cma = is_y(p, "DMA_CMA") && k->cma;
	/* kernel/dma/Kconfig CMA_SIZE_MBYTES default 16, CMA_SIZE_PERCENTAGE default 10 */
	k->cma_size_mbytes = num(p, "CMA_SIZE_MBYTES", 16);
	k->cma_size_percentage = num(p, "CMA_SIZE_PERCENTAGE", 10);
	k->cma_size_sel = is_y(p, "CMA_SIZE_SEL_PERCENTAGE") ? CVO_CMA_SIZE_SEL_PERCENTAGE :
			  is_y(p, "CMA_SIZE_SEL_MIN")	    ? CVO_CMA_SIZE_SEL_MIN :
			  is_y(p, "CMA_SIZE_SEL_MAX")	    ? CVO_CMA_SIZE_SEL_MAX :
							      CVO_CMA_SIZE_SEL_MBYTES;
	/* mm/Kconfig CMA_AREAS: default 20 if NUMA, else 8 (19 and 7 before 6.9) */
	bool raised = cvo_rules_for(p).cma_areas_default_raised;
	k->cma_areas =
	    (int)num(p, "CMA_AREAS", is_y(p, "NUMA") ? (raised ? 20 : 19) : (raised ? 8 : 7));
	k->hugetlb_page = is_y(p, "HUGETLB_PAGE");
	p->transparent_hugepage = is_y(p, "TRANSPARENT_HUGEPAGE");
	k->dma_restricted_pool = is_y(p, "DMA_RESTRICTED_POOL");
	k->dma_direct_remap = is_y(p, "DMA_DIRECT_REMAP");
	k->dma_global_pool = is_y(p, "DMA_GLOBAL_POOL");
	k->init_on_alloc_default_on = is_y(p, "INIT_ON_ALLOC_DEFAULT_ON");
	k->page_block_order = (int)num(p, "PAGE_BLOCK_ORDER", 0);
	k->swiotlb = is_y(p, "SWIOTLB");
	k->highmem = is_y(p, "HIGHMEM");
	k->arm_lpae = is_y(p, "ARM_LPAE");
}

static const char *const arm64_pages[3] = { "ARM64_4K_PAGES", "ARM64_16K_PAGES",
					    "ARM64_64K_PAGES" };
static const char *const cma_sel[4] = { "CMA_SIZE_SEL_MBYTES", "CMA_SIZE_SEL_PERCENTAGE",
					"CMA_SIZE_SEL_MIN", "CMA_SIZE_SEL_MAX" };

static bool arch_symbol_is(const char *name, enum cvo_arch arch)
{
	static const char *const names[] = {
		[CVO_ARCH_ARM] = "ARM",
		[CVO_ARCH_ARM64] = "ARM64",
		[CVO_ARCH_RISCV] = "RISCV",
		[CVO_ARCH_POWERPC] = "PPC",
	};
	return strcmp(names[arch], name) == 0;
}

/* Which page sizes an arch's PAGE_SHIFT takes (arch/.../Kconfig PAGE_SHIFT). */
static bool page_shift_ok(enum cvo_arch arch, uint64_t shift)
{
	switch (arch) {
	case CVO_ARCH_ARM64:
		return shift == 12 || shift == 14 || shift == 16;
	case CVO_ARCH_POWERPC:
		return shift == 12 || shift == 14 || shift == 16;
	case CVO_ARCH_ARM:
	case CVO_ARCH_RISCV:
		break;
	}
	return shift == 12;
}

static int bad_sym(const struct kc_set *s, const struct kc_entry *e, struct cvo_error *err,
		   const char *what)
{
	char where[KC_MAX_NAME + 32];
	if (s->complete)
		snprintf(where, sizeof(where), "CONFIG_%s", e->name);
	else
		snprintf(where, sizeof(where), "kernel.config.%s", e->name);
	char shown[48];
	size_t vl = strlen(e->value);
	if (vl > 40)
		snprintf(shown, sizeof(shown), "\"%.37s...\"", e->value);
	else
		snprintf(shown, sizeof(shown), "\"%s\"", e->value);
	return cvo_error_set(err, CVO_ERR_INVALID, s->file, e->line, e->col, "%s: %s, got %s",
			     where, what, shown);
}

/* Check what the set says about the modelled symbols, before anything is changed. */
static int check_set(const struct cvo_platform *p, const struct kc_set *s, struct kc_effect *eff,
		     struct cvo_error *err)
{
	if (s->header_arch[0] && strcmp(s->header_arch, cvo_arch_name(p->arch)) != 0)
		return cvo_error_set(err, CVO_ERR_INVALID, s->file, s->version_line, 1,
				     "the configuration is for Linux/%s, the platform \"%s\" is %s",
				     s->header_arch, p->name ? p->name : "?",
				     cvo_arch_name(p->arch));
	for (size_t i = 0; i < s->n; i++) {
		const struct kc_entry *e = &s->v[i];
		const struct kc_model *m = model_of(e->name);
		if (!m)
			continue;
		bool y = strcmp(e->value, "y") == 0, n = strcmp(e->value, "n") == 0;
		uint64_t v = 0;
		char range[80];
		switch (m->kind) {
		case KC_ARCH:
			if (!y && !n)
				return bad_sym(s, e, err, "expected y or n");
			if (y && !arch_symbol_is(e->name, p->arch))
				return cvo_error_set(err, CVO_ERR_INVALID, s->file, e->line, e->col,
						     "CONFIG_%s=y: the configuration is not for "
						     "arch %s of the platform \"%s\"", e->name,
						     cvo_arch_name(p->arch), p->name ? p->name : "?");
			break;
		case KC_BOOL:
			if (!y && !n)
				return bad_sym(s, e, err, "expected y or n");
			break;
		case KC_INT:
			snprintf(range, sizeof(range), "expected a number from %llu to %llu",
				 (unsigned long long)m->min, (unsigned long long)m->max);
			if (!parse_num(e->value, &v) || v < m->min || v > m->max)
				return bad_sym(s, e, err, range);
			break;
		}
		if (strcmp(e->name, "PAGE_SHIFT") == 0) {
			snprintf(range, sizeof(range), "expected a page shift of arch %s",
				 cvo_arch_name(p->arch));
			if (!page_shift_ok(p->arch, v))
				return bad_sym(s, e, err, range);
			snprintf(range, sizeof(range), "disagrees with %.40s",
				 eff->page_size_by ? eff->page_size_by->name : "");
			if (eff->page_size && eff->page_size != (UINT32_C(1) << v))
				return bad_sym(s, e, err, range);
			eff->page_size = UINT32_C(1) << v;
			eff->page_size_by = e;
		}
		if (strcmp(e->name, "ARCH_FORCE_MAX_ORDER") == 0 &&
		    !cvo_rules_for(p).max_order_inclusive && v < 2)
			return bad_sym(s, e, err,
				       "expected a number from 2 to 21 (MAX_ORDER before 6.4)");
		for (int k = 0; p->arch == CVO_ARCH_ARM64 && k < 3; k++) {
			if (strcmp(e->name, arm64_pages[k]) || !y)
				continue;
			uint32_t size = UINT32_C(4096) << (2 * k);
			snprintf(range, sizeof(range), "disagrees with %.40s",
				 eff->page_size_by ? eff->page_size_by->name : "");
			if (eff->page_size && eff->page_size != size)
				return bad_sym(s, e, err, range);
			eff->page_size = size;
			eff->page_size_by = e;
		}
	}
	return 0;
}

int kc_apply(struct cvo_platform *p, const struct kc_set *s, struct kc_effect *eff,
	     struct cvo_error *err)
{
	memset(eff, 0, sizeof(*eff));
	int r = check_set(p, s, eff, err);
	if (r)
		return r;
	if ((r = merge(p, s)))
		goto nomem;
	if (!s->complete) {
		/* a choice member set to y turns the others off, as menuconfig would */
		for (int k = 0; k < 4; k++) {
			const struct kc_entry *e = set_get(s, cma_sel[k]);
			if (!e || strcmp(e->value, "y"))
				continue;
			char *o = origin_of(s, e);
			for (int j = 0; o && !r && j < 4; j++)
				if (j != k)
					r = sym_rewrite(p, cma_sel[j], "n", o);
			free(o);
			if (!o || r)
				goto nomem;
		}
		/* DMA_CMA depends on CMA: asking for it asks for both */
		const struct kc_entry *d = set_get(s, "DMA_CMA");
		if (d && strcmp(d->value, "y") == 0 && !set_get(s, "CMA")) {
			char *o = origin_of(s, d);
			r = o ? sym_rewrite(p, "CMA", "y", o) : CVO_ERR_NOMEM;
			free(o);
			if (r)
				goto nomem;
		}
	}
	const struct kc_entry *mo = set_get(s, "ARCH_FORCE_MAX_ORDER");
	if (mo) {
		uint64_t v = 0;
		parse_num(mo->value, &v);
		/* 23baf831a32c (6.4) made MAX_ORDER inclusive; the Kconfig values dropped by
		 * one, so before 6.4 the largest order is the value - 1 */
		p->max_page_order = (int)(cvo_rules_for(p).max_order_inclusive ? v : v - 1);
		eff->max_order_set = true;
	} else if (s->complete) {
		p->max_page_order = 0; /* the arch default */
		eff->max_order_set = true;
	}
	derive(p);
	return 0;
nomem:
	return cvo_error_set(err, CVO_ERR_NOMEM, s->file, 0, 0, "out of memory");
}

int kc_sync_page_size(struct cvo_platform *p, const char *origin)
{
	int shift = 12, r = 0;
	while (shift < 18 && (UINT32_C(1) << shift) < p->page_size)
		shift++;
	for (int k = 0; !r && p->arch == CVO_ARCH_ARM64 && k < 3; k++)
		r = sym_rewrite(p, arm64_pages[k], shift == 12 + 2 * k ? "y" : "n", origin);
	char v[8];
	snprintf(v, sizeof(v), "%d", shift);
	if (!r)
		r = sym_rewrite(p, "PAGE_SHIFT", v, origin);
	return r;
}
