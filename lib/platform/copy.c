// SPDX-License-Identifier: MIT
/* A platform freed, copied, and copied with a boot log's values (cvo_platform_dup_with()). */
#include <stdlib.h>
#include <string.h>

#include "../util.h"
#include "internal.h"

void cvo_platform_free(struct cvo_platform *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->file);
	for (size_t i = 0; i < p->n_compatible; i++)
		free(p->compatible[i]);
	free(p->compatible);
	for (size_t i = 0; i < p->n_sources; i++)
		free(p->sources[i]);
	free(p->sources);
	free(p->cmdline);
	free(p->memory);
	for (size_t i = 0; i < p->n_reserved; i++) {
		free(p->reserved[i].name);
		free(p->reserved[i].origin);
	}
	free(p->reserved);
	for (size_t i = 0; i < p->n_devices; i++) {
		free(p->devices[i].match_compatible);
		free(p->devices[i].match_path);
		free(p->devices[i].origin);
	}
	free(p->devices);
	free(p->extends);
	free(p->kver_release);
	free(p->profile);
	free(p->config_origin);
	for (size_t i = 0; i < CVO_ORIGIN_COUNT; i++)
		free(p->origin[i]);
	kc_symbols_free(p);
	free(p);
}

static char *dup_or_null(const char *s, bool *fail)
{
	char *d = s ? cvo_strdup(s) : NULL;
	if (s && !d)
		*fail = true;
	return d;
}

static char **dup_strings(char *const *v, size_t n, bool *fail)
{
	char **d = calloc(n ? n : 1, sizeof(*d));
	if (!d) {
		*fail = true;
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		d[i] = dup_or_null(v[i], fail);
	return d;
}

static void *dup_bytes(const void *v, size_t n, size_t elem, bool *fail)
{
	void *d = calloc(n ? n : 1, elem);
	if (!d)
		*fail = true;
	else if (n)
		memcpy(d, v, n * elem);
	return d;
}

/* A deep copy; NULL when out of memory. */
static struct cvo_platform *platform_dup(const struct cvo_platform *p)
{
	struct cvo_platform *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	bool fail = false;
	*d = *p;
	d->name = dup_or_null(p->name, &fail);
	d->file = dup_or_null(p->file, &fail);
	d->cmdline = dup_or_null(p->cmdline, &fail);
	d->extends = dup_or_null(p->extends, &fail);
	d->compatible = dup_strings(p->compatible, p->n_compatible, &fail);
	d->sources = dup_strings(p->sources, p->n_sources, &fail);
	d->memory = dup_bytes(p->memory, p->n_memory, sizeof(*p->memory), &fail);
	d->reserved = dup_bytes(p->reserved, p->n_reserved, sizeof(*p->reserved), &fail);
	for (size_t i = 0; d->reserved && i < p->n_reserved; i++) {
		d->reserved[i].name = dup_or_null(p->reserved[i].name, &fail);
		d->reserved[i].origin = dup_or_null(p->reserved[i].origin, &fail);
	}
	d->devices = dup_bytes(p->devices, p->n_devices, sizeof(*p->devices), &fail);
	for (size_t i = 0; d->devices && i < p->n_devices; i++) {
		d->devices[i].match_compatible = dup_or_null(p->devices[i].match_compatible, &fail);
		d->devices[i].match_path = dup_or_null(p->devices[i].match_path, &fail);
		d->devices[i].origin = dup_or_null(p->devices[i].origin, &fail);
	}
	d->kver_release = dup_or_null(p->kver_release, &fail);
	d->profile = dup_or_null(p->profile, &fail);
	d->config_origin = dup_or_null(p->config_origin, &fail);
	for (size_t i = 0; i < CVO_ORIGIN_COUNT; i++)
		d->origin[i] = dup_or_null(p->origin[i], &fail);
	d->symbols = dup_bytes(p->symbols, p->n_symbols, sizeof(*p->symbols), &fail);
	for (size_t i = 0; d->symbols && i < p->n_symbols; i++) {
		d->symbols[i].name = dup_or_null(p->symbols[i].name, &fail);
		d->symbols[i].value = dup_or_null(p->symbols[i].value, &fail);
		d->symbols[i].origin = dup_or_null(p->symbols[i].origin, &fail);
	}
	if (!d->symbols)
		d->n_symbols = 0;
	if (!d->compatible)
		d->n_compatible = 0;
	if (!d->sources)
		d->n_sources = 0;
	if (!d->reserved)
		d->n_reserved = 0;
	if (!d->devices)
		d->n_devices = 0;
	if (fail) {
		cvo_platform_free(d);
		return NULL;
	}
	return d;
}

int cvo_platform_dup_with(const struct cvo_platform *p, const struct cvo_platform_overrides *o,
			  const char *source, struct cvo_platform **out, struct cvo_error *err)
{
	struct yctx c = { .file = source ? source : "", .err = err };
	*out = NULL;
	if (!p)
		return cvo_error_set(err, CVO_ERR_USAGE, c.file, 0, 0, "no platform to copy");
	struct cmdline_parsed cl = { 0 };
	if (o && o->cmdline) {
		int r = plat_cmdline_parse(&c, NULL, o->cmdline, &cl);
		if (r)
			return r;
	}
	for (size_t i = 0; o && i < o->n_memory; i++) {
		uint64_t last;
		if (!o->memory[i].size || !cvo_range_end(o->memory[i].base, o->memory[i].size, &last))
			return yn_bad(&c, NULL, "memory[%zu]: an empty bank or one beyond 2^64", i);
	}
	struct cvo_platform *d = platform_dup(p);
	if (!d)
		return yn_nomem(&c);
	if (!o)
		goto done;
	if (o->name) {
		char *nm = cvo_strdup(o->name);
		if (!nm)
			goto nomem;
		free(d->name);
		d->name = nm;
	}
	if (o->kver_major) {
		d->kver_major = o->kver_major;
		d->kver_minor = o->kver_minor;
		d->kver_patch = o->kver_patch;
		/* the release string named the old version; the new one has none */
		free(d->kver_release);
		d->kver_release = NULL;
		d->own |= CVO_PLATFORM_OWN_VERSION;
	}
	if (o->cmdline) {
		char *cmd = cvo_strdup(o->cmdline);
		if (!cmd)
			goto nomem;
		free(d->cmdline);
		d->cmdline = cmd;
		/* what layer_apply() takes from a file's kernel.cmdline */
		d->has_cmdline_cma = cl.has_cma;
		d->cmdline_cma_size = cl.cma_size;
		d->cmdline_cma_base = cl.cma_base;
		d->cmdline_cma_limit = cl.cma_limit;
		d->has_coherent_pool = cl.has_coherent_pool;
		d->coherent_pool = cl.coherent_pool;
		d->has_mem = cl.has_mem;
		d->mem = cl.mem;
		d->has_mem_base = cl.has_mem_base;
		d->mem_base = cl.mem_base;
		d->own |= CVO_PLATFORM_OWN_CMDLINE;
	}
	if (o->n_memory) {
		struct cvo_range *mem = calloc(o->n_memory, sizeof(*mem));
		if (!mem)
			goto nomem;
		memcpy(mem, o->memory, o->n_memory * sizeof(*mem));
		free(d->memory);
		d->memory = mem;
		d->n_memory = o->n_memory;
		d->own |= CVO_PLATFORM_OWN_MEMORY;
	}
done:
	*out = d;
	return 0;
nomem:
	cvo_platform_free(d);
	return yn_nomem(&c);
}
