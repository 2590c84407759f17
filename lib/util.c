// SPDX-License-Identifier: MIT
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "address.h"
#include "util.h"

int cvo_error_set(struct cvo_error *err, int code, const char *source, int line, int column,
		  const char *fmt, ...)
{
	if (!err)
		return code;
	snprintf(err->source, sizeof(err->source), "%s", source ? source : "");
	err->line = line;
	err->column = column;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->text, sizeof(err->text), fmt, ap);
	va_end(ap);
	return code;
}

bool cvo_range_end(uint64_t base, uint64_t size, uint64_t *last)
{
	if (size == 0) {
		*last = base;
		return true;
	}
	if (base > UINT64_MAX - (size - 1))
		return false;
	*last = base + (size - 1);
	return true;
}

uint64_t cvo_range_last(uint64_t base, uint64_t size)
{
	uint64_t last;
	if (size == 0)
		return base;
	if (!cvo_range_end(base, size, &last))
		return UINT64_MAX;
	return last;
}

bool cvo_ranges_overlap(uint64_t a, uint64_t asz, uint64_t b, uint64_t bsz)
{
	if (!asz || !bsz)
		return false;
	return a <= cvo_range_last(b, bsz) && b <= cvo_range_last(a, asz);
}

int cvo_grow(void *arrp, size_t *cap, size_t n, size_t elem)
{
	void **arr = arrp;
	if (n < *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 8;
	while (ncap <= n)
		ncap *= 2;
	void *p = realloc(*arr, ncap * elem);
	if (!p)
		return CVO_ERR_NOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

char *cvo_strdup(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

char *cvo_vasprintf(const char *fmt, va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return NULL;
	char *s = malloc((size_t)n + 1);
	if (!s)
		return NULL;
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *cvo_asprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = cvo_vasprintf(fmt, ap);
	va_end(ap);
	return s;
}

char *cvo_fdt_path(const void *fdt, int node)
{
	size_t cap = 256;
	for (;;) {
		char *buf = malloc(cap);
		if (!buf)
			return NULL;
		int r = fdt_get_path(fdt, node, buf, (int)cap);
		if (r == 0)
			return buf;
		free(buf);
		if (r != -FDT_ERR_NOSPACE || cap > (1u << 20))
			return NULL;
		cap *= 4;
	}
}

bool cvo_fdt_has(const void *fdt, int node, const char *name)
{
	return fdt_getprop(fdt, node, name, NULL) != NULL;
}

bool cvo_fdt_u32(const void *fdt, int node, const char *name, uint32_t *out)
{
	int len;
	const void *p = fdt_getprop(fdt, node, name, &len);
	if (!p || len != 4)
		return false;
	*out = (uint32_t)cvo_read_cells(p, 1);
	return true;
}

bool cvo_fdt_available(const void *fdt, int node)
{
	int len;
	const char *s = fdt_getprop(fdt, node, "status", &len);
	if (!s)
		return true;
	if (len > 0 && s[len - 1] == '\0')
		return !strcmp(s, "okay") || !strcmp(s, "ok");
	return false;
}

bool cvo_fdt_compatible(const void *fdt, int node, const char *s)
{
	int len;
	const char *c = fdt_getprop(fdt, node, "compatible", &len);
	if (!c || len <= 0)
		return false;
	return fdt_stringlist_contains(c, len, s) == 1;
}

const char *cvo_fmt_addr(uint64_t v, char *buf, size_t len)
{
	snprintf(buf, len, "0x%08llx", (unsigned long long)v);
	return buf;
}

void cvo_sb_put(struct cvo_sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->n + n + 1)
			cap *= 2;
		char *t = realloc(b->s, cap);
		if (!t) {
			b->oom = true;
			return;
		}
		b->s = t;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

void cvo_sb_printf(struct cvo_sbuf *b, const char *fmt, ...)
{
	if (b->oom)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *s = cvo_vasprintf(fmt, ap);
	va_end(ap);
	if (!s)
		b->oom = true;
	else
		cvo_sb_put(b, s, strlen(s));
	free(s);
}
