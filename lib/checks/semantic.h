/* SPDX-License-Identifier: MIT */
/* Internal: small helpers shared by the semantic check families (cma, restricted,
 * consumers, dma, coherency). */
#ifndef CVO_CHECKS_SEMANTIC_H
#define CVO_CHECKS_SEMANTIC_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "../dma.h"
#include "../ram.h"
#include "../region.h"
#include "checks.h"

/* Scratch text for one message: a size, a range or a path. */
struct txt {
	char s[320];
};

static inline const char *t_size(struct txt *t, uint64_t size)
{
	return cvo_fmt_size(size, t->s, sizeof(t->s));
}

static inline const char *t_addr(struct txt *t, uint64_t v)
{
	return cvo_fmt_addr(v, t->s, sizeof(t->s));
}

/* "0x...a..0x...b, 4 MiB": a range as messages name it (inclusive end). */
static inline const char *t_range(struct txt *t, uint64_t base, uint64_t size)
{
	char sz[64];
	cvo_fmt_size(size, sz, sizeof(sz));
	snprintf(t->s, sizeof(t->s), "0x%08llx..0x%08llx, %s", (unsigned long long)base,
		 (unsigned long long)cvo_range_last(base, size), sz);
	return t->s;
}

/* The path of an fdt node (t->s; "?" when it cannot be built). */
static inline const char *t_path(struct txt *t, const void *fdt, int node)
{
	if (node < 0 || fdt_get_path(fdt, node, t->s, (int)sizeof(t->s)))
		snprintf(t->s, sizeof(t->s), "?");
	return t->s;
}

/* A growing string (for lists in messages); s is NULL after a failed allocation. */
struct sbuf {
	char *s;
	size_t len;
	bool failed;
};

static inline void sb_add(struct sbuf *b, const char *piece)
{
	if (b->failed)
		return;
	size_t n = strlen(piece);
	char *s = realloc(b->s, b->len + n + 1);
	if (!s) {
		free(b->s);
		b->s = NULL;
		b->failed = true;
		return;
	}
	memcpy(s + b->len, piece, n + 1);
	b->s = s;
	b->len += n;
}

static inline const char *sb_str(const struct sbuf *b)
{
	return b->s ? b->s : "";
}

static inline const void *ctx_fdt(const struct cvo_ctx *ctx)
{
	return ctx->m->blob->fdt;
}

/* The model's tree index (built with the model, never NULL). */
static inline const struct cvo_tree *ctx_tree(const struct cvo_ctx *ctx)
{
	return ctx->m->tree;
}

/* Record a failed allocation of a growing string. returns: whether it failed. */
static inline bool sb_oom(struct cvo_ctx *ctx, const struct sbuf *b)
{
	return b->failed && ctx_oom(ctx, true);
}

/* A consumer node a driver can bind to: it and its ancestors are available. */
static inline bool consumer_live(const struct cvo_tree *t, const struct cvo_consumer *c)
{
	return c->path && cvo_tree_live(t, c->node);
}

/* The region a consumer's entry i names when it is a scanned /reserved-memory child. */
static inline const struct cvo_region *consumer_target(const struct cvo_model *m,
						       const struct cvo_consumer *c, size_t i)
{
	if (!c->targets || c->targets[i] < 0 || (size_t)c->targets[i] >= m->n_rmem)
		return NULL;
	return &m->regions[c->targets[i]];
}

/* The consumer has a pool of its own that dma_alloc_coherent() uses before anything else:
 * a coherent pool (dma_alloc_from_dev_coherent(), no fallback) or a CMA region. */
static inline bool consumer_has_own_pool(const struct cvo_placement *pl,
					 const struct cvo_consumer *c)
{
	const struct cvo_model *m = pl->model;
	for (size_t i = 0; c && i < c->n; i++) {
		const struct cvo_region *r = consumer_target(m, c, i);
		if (r && cvo_region_scanned(m, r) && cvo_region_alive(pl, r) &&
		    (cvo_region_is_coherent_pool(m, r) || cvo_region_is_cma(m, r)))
			return true;
	}
	return false;
}

/* The platform entry that says which memory-region entries the consumer's driver attaches,
 * NULL when none does. */
static inline const struct cvo_platform_device *consumer_attach_entry(const struct cvo_ctx *ctx,
								      const struct cvo_consumer *c)
{
	const struct cvo_platform_device *d =
	    ctx->p ? cvo_platform_device_for(ctx->p, ctx_fdt(ctx), c->node) : NULL;
	return d && d->has_attach ? d : NULL;
}

/* Whether the driver attaches entry i: what the platform's attach: says, else index 0 only
 * (of_reserved_mem_device_init() is of_reserved_mem_device_init_by_idx(dev, np, 0)). */
static inline bool consumer_attaches(const struct cvo_ctx *ctx, const struct cvo_consumer *c,
				     size_t i)
{
	return cvo_consumer_attaches(ctx->p, ctx_fdt(ctx), c, i);
}

/* Whether any configured device has an explicit DMA width. */
static inline bool platform_has_dma_bits(const struct cvo_platform *p)
{
	for (size_t i = 0; p && i < p->n_devices; i++)
		if (p->devices[i].dma_bits > 0)
			return true;
	return false;
}

/* Whether any configured device says it is behind an IOMMU. */
static inline bool platform_has_iommu(const struct cvo_platform *p)
{
	for (size_t i = 0; p && i < p->n_devices; i++)
		if (p->devices[i].iommu == 1)
			return true;
	return false;
}

/* The arch name for messages ("arm64"). */
static inline const char *ctx_arch(const struct cvo_ctx *ctx)
{
	return ctx->p ? cvo_arch_name(ctx->p->arch) : "arm64";
}

/*
 * What a device reaches, as a noun phrase for messages: "CPU 0x..-0x.. (the
 * dma-ranges of /soc)", "DMA addresses up to 0xffffffff (dma-bits 32 in the
 * platform file)", or both joined with "and".
 */
static inline const char *t_reach(struct txt *t, const struct cvo_ctx *ctx,
				  const struct cvo_dma_info *di, const struct cvo_dma_extra *x)
{
	char a[200] = "", b[100] = "";
	if (di->has_map) {
		char path[96];
		if (x->map_node < 0 || fdt_get_path(ctx_fdt(ctx), x->map_node, path, sizeof(path)))
			snprintf(path, sizeof(path), "?");
		uint64_t lo = UINT64_MAX, hi = 0;
		for (size_t i = 0; i < di->n_windows; i++) {
			if (!di->windows[i].size)
				continue;
			if (di->windows[i].cpu < lo)
				lo = di->windows[i].cpu;
			uint64_t l = cvo_range_last(di->windows[i].cpu, di->windows[i].size);
			if (l > hi)
				hi = l;
		}
		snprintf(a, sizeof(a), "CPU 0x%llx..0x%llx%s (the dma-ranges of %s)",
			 (unsigned long long)lo, (unsigned long long)hi,
			 di->n_windows > 1 ? " in several windows" : "", path);
	}
	if (di->dma_bits > 0 && di->dma_bits < 64)
		snprintf(b, sizeof(b),
			 "DMA addresses up to 0x%llx (dma-bits %d in the platform file)",
			 (unsigned long long)cvo_dma_mask(di), di->dma_bits);
	snprintf(t->s, sizeof(t->s), "%s%s%s", a, a[0] && b[0] ? " and " : "", b);
	return t->s;
}

#endif
