// SPDX-License-Identifier: MIT
/*
 * The kernel options (--kernel, --config, --page-size, --cmdline, --memory):
 * read once into a struct cvo_overrides, then laid over any platform as the
 * kernel half of a layer (load.c), after the platform file's own.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util.h"
#include "internal.h"

struct cvo_overrides {
	bool any;
	bool has_version;
	int kmaj, kmin, kpatch;
	char *release;
	bool has_config;
	struct kc_set config;	/* --config: a whole configuration */
	char *config_origin;
	bool has_page_size;
	uint32_t page_size;
	char *page_size_text;
	bool has_cmdline;
	char *cmdline;
	struct cmdline_parsed cl;
	bool has_memory;
	struct cvo_range *memory;
	size_t n_memory;
};

void cvo_overrides_free(struct cvo_overrides *ov)
{
	if (!ov)
		return;
	free(ov->release);
	kc_set_fini(&ov->config);
	free(ov->config_origin);
	free(ov->page_size_text);
	free(ov->cmdline);
	free(ov->memory);
	free(ov);
}

bool cvo_overrides_any(const struct cvo_overrides *ov)
{
	return ov && ov->any;
}

static int opt_bad(struct cvo_error *err, const char *opt, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int opt_bad(struct cvo_error *err, const char *opt, const char *fmt, ...)
{
	char text[sizeof(err->text)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return cvo_error_set(err, CVO_ERR_USAGE, opt, 0, 0, "%s", text);
}

/* --memory BASE:SIZE[,BASE:SIZE...]: the RAM the firmware passes. */
static int parse_memory_option(const char *arg, struct cvo_overrides *ov, struct cvo_error *err)
{
#define MEMORY_EXPECTED "expected BASE:SIZE[,BASE:SIZE...] such as 0x80000000:2G, got \"%.200s\""
	char *buf = cvo_strdup(arg);
	size_t cap = 1;
	for (const char *q = arg; *q; q++)
		cap += *q == ',';
	if (cap > PLAT_MAX_LIST) {
		free(buf);
		return cvo_error_set(err, CVO_ERR_USAGE, "--memory", 0, 0,
				     "more than %d ranges", PLAT_MAX_LIST);
	}
	ov->memory = calloc(cap, sizeof(*ov->memory));
	if (!buf || !ov->memory) {
		free(buf);
		return cvo_error_set(err, CVO_ERR_NOMEM, "--memory", 0, 0, "out of memory");
	}
	int r = 0;
	for (char *tok = buf, *next; tok && !r; tok = next) {
		/* split by hand: an empty entry ("a:b,,c:d", a trailing comma) is a mistake */
		next = strchr(tok, ',');
		if (next)
			*next++ = '\0';
		char *colon = strchr(tok, ':');
		struct cvo_range *m = &ov->memory[ov->n_memory];
		uint64_t last;
		if (!colon) {
			r = opt_bad(err, "--memory", MEMORY_EXPECTED, arg);
			break;
		}
		*colon = '\0';
		int rb = yn_parse_size(tok, &m->base), rs = yn_parse_size(colon + 1, &m->size);
		if (rb == -2 || rs == -2)
			r = opt_bad(err, "--memory", "\"%.200s\" does not fit in 64 bits", arg);
		else if (rb || rs)
			r = opt_bad(err, "--memory", MEMORY_EXPECTED, arg);
		else if (!m->size)
			r = opt_bad(err, "--memory", "a size of 0 in \"%.200s\"", arg);
		else if (!cvo_range_end(m->base, m->size, &last))
			r = opt_bad(err, "--memory", "base + size is beyond 2^64 in \"%.200s\"", arg);
		else
			ov->n_memory++;
	}
	if (!r && !ov->n_memory)
		r = opt_bad(err, "--memory", MEMORY_EXPECTED, arg);
	free(buf);
	ov->has_memory = true;
	return r;
}

int cvo_overrides_new(const struct cvo_platform_options *o, struct cvo_overrides **out,
		      struct cvo_error *err)
{
	struct cvo_overrides *ov = calloc(1, sizeof(*ov));
	if (!ov)
		return cvo_error_set(err, CVO_ERR_NOMEM, "", 0, 0, "out of memory");
	kc_set_init(&ov->config, "");
	int r = 0;
	if (o && o->kernel) {
		ov->has_version = true;
		if (!kc_parse_release(o->kernel, &ov->kmaj, &ov->kmin, &ov->kpatch))
			r = opt_bad(err, "--kernel",
				    "expected a version such as 6.12 or `uname -r` such as "
				    "6.12.117+deb13-arm64, got \"%.200s\"", o->kernel);
		else if (!(ov->release = cvo_strdup(o->kernel)))
			r = cvo_error_set(err, CVO_ERR_NOMEM, "--kernel", 0, 0, "out of memory");
	}
	if (!r && o && o->page_size) {
		uint64_t v;
		ov->has_page_size = true;
		if (yn_parse_size(o->page_size, &v) || (v != 4096 && v != 16384 && v != 65536))
			r = opt_bad(err, "--page-size", "expected 4K, 16K or 64K, got \"%.200s\"",
				    o->page_size);
		else if (!(ov->page_size_text = cvo_strdup(o->page_size)))
			r = cvo_error_set(err, CVO_ERR_NOMEM, "--page-size", 0, 0, "out of memory");
		ov->page_size = (uint32_t)v;
	}
	if (!r && o && o->cmdline) {
		struct yctx c = { .file = "--cmdline", .err = err };
		ov->has_cmdline = true;
		ov->cmdline = cvo_strdup(o->cmdline);
		if (!ov->cmdline)
			r = yn_nomem(&c);
		else if ((r = plat_cmdline_parse(&c, NULL, ov->cmdline, &ov->cl)) ==
			 CVO_ERR_INVALID)
			r = CVO_ERR_USAGE; /* a malformed option value */
		if (r)
			err->line = err->column = 0;
	}
	if (!r && o && o->memory)
		r = parse_memory_option(o->memory, ov, err);
	if (!r && o && o->config) {
		ov->has_config = true;
		r = kc_read_file(o->config, o->config, &ov->config, err);
	}
	ov->any = ov->has_version || ov->has_page_size || ov->has_cmdline || ov->has_memory ||
		  ov->has_config;
	if (r) {
		cvo_overrides_free(ov);
		return r;
	}
	*out = ov;
	return 0;
}

int cvo_platform_override(struct cvo_platform *p, const struct cvo_overrides *ov,
			  struct cvo_error *err)
{
	if (!ov || !ov->any)
		return 0;
	if (ov->has_page_size && !plat_page_size_ok(p->arch, ov->page_size))
		return cvo_error_set(err, CVO_ERR_USAGE, "--page-size", 0, 0,
				     "%s is not a page size of arch %s (the platform \"%s\"): "
				     "expected 4K", ov->page_size_text, cvo_arch_name(p->arch),
				     p->name);
	struct pctx c = { .y = { .file = "command line", .err = err } };
	struct layer l = { 0 };
	int r = CVO_ERR_NOMEM;
	if (ov->has_version) {
		l.has_version = true;
		l.kmaj = ov->kmaj;
		l.kmin = ov->kmin;
		l.kpatch = ov->kpatch;
		l.release = cvo_strdup(ov->release);
		l.origin[CVO_ORIGIN_VERSION] = cvo_strdup("--kernel");
		if (!l.release || !l.origin[CVO_ORIGIN_VERSION])
			goto nomem;
	}
	if (ov->has_config)
		l.whole = &ov->config;
	if (ov->has_page_size) {
		l.has_page_size = true;
		l.page_size = ov->page_size;
		l.page_size_text = ov->page_size_text;
		if (!(l.origin[CVO_ORIGIN_PAGE_SIZE] = cvo_strdup("--page-size")))
			goto nomem;
	}
	if (ov->has_cmdline) {
		l.has_cmdline = true;
		l.cl = ov->cl;
		l.cmdline = cvo_strdup(ov->cmdline);
		l.origin[CVO_ORIGIN_CMDLINE] = cvo_strdup("--cmdline");
		if (!l.cmdline || !l.origin[CVO_ORIGIN_CMDLINE])
			goto nomem;
	}
	if (ov->has_memory) {
		l.has_memory = true;
		l.memory = calloc(ov->n_memory, sizeof(*l.memory));
		l.origin[CVO_ORIGIN_MEMORY] = cvo_strdup("--memory");
		if (!l.memory || !l.origin[CVO_ORIGIN_MEMORY])
			goto nomem;
		memcpy(l.memory, ov->memory, ov->n_memory * sizeof(*l.memory));
		l.n_memory = ov->n_memory;
	}
	r = plat_layer_apply_kernel(&c, p, &l);
	/* an option is the user's own word, as a platform file's own key is: it beats what
	 * a boot log says (verify) */
	if (!r)
		p->own |= (ov->has_version ? CVO_PLATFORM_OWN_VERSION : 0u) |
			  (ov->has_cmdline ? CVO_PLATFORM_OWN_CMDLINE : 0u) |
			  (ov->has_memory ? CVO_PLATFORM_OWN_MEMORY : 0u);
	plat_layer_fini(&l);
	return r;
nomem:
	plat_layer_fini(&l);
	return yn_nomem(&c.y);
}
