// SPDX-License-Identifier: MIT
/*
 * The kernel command line of a platform (kernel.cmdline, --cmdline): split as
 * the kernel splits it, and the early parameters that move memory (cma=,
 * coherent_pool=, mem=) read as their early_param() handlers read them.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../util.h"
#include "internal.h"

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

static int cmdline_bad(const struct yctx *c, const struct ynode *n, const char *shown,
		       const char *what)
{
	return yn_bad(c, n, "kernel.cmdline: \"%.200s\": %s", shown, what);
}

/* One early parameter's value; the kernel ignores what follows, carveout refuses it. */
static int cmdline_size(const struct yctx *c, const struct ynode *n, const char *shown,
			const char **p, uint64_t *out, const char *expected)
{
	int r = memparse_checked(*p, p, out);
	if (r == -2)
		return cmdline_bad(c, n, shown, "value does not fit in 64 bits");
	if (r)
		return cmdline_bad(c, n, shown, expected);
	return 0;
}

static int cmdline_cma(const struct yctx *c, const struct ynode *n, const char *shown,
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

static int cmdline_coherent_pool(const struct yctx *c, const struct ynode *n, const char *shown,
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

static int cmdline_mem(const struct yctx *c, const struct ynode *n, const char *shown,
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
int plat_cmdline_parse(const struct yctx *c, const struct ynode *n, const char *cmdline,
		       struct cmdline_parsed *cl)
{
	char *buf = cvo_strdup(cmdline), *shown = cvo_strdup(cmdline);
	int ret = 0;
	memset(cl, 0, sizeof(*cl));
	if (!buf || !shown) {
		ret = yn_nomem(c);
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
