// SPDX-License-Identifier: MIT
/*
 * What a region is after placement and who uses it: the one answer to "does
 * this region hold memory, and where" (cvo_region_occupies()), the handlers
 * that take it, and its consumers.
 */
#include "region.h"
#include "util.h"

/* A /reserved-memory child, not one of the /memreserve/ or platform ranges after them. */
static bool is_rmem(const struct cvo_model *m, const struct cvo_region *r)
{
	return (size_t)r->index < m->n_rmem && r->kind != CVO_KIND_MEMRESERVE &&
	       r->kind != CVO_KIND_PLATFORM;
}

bool cvo_region_stated(const struct cvo_placement *pl, const struct cvo_region *r,
		       uint64_t *base, uint64_t *size)
{
	const struct cvo_region_place *o = cvo_outcome(pl, r);
	if (o->status == CVO_STATUS_DISABLED || !o->has_base || !o->placed_size)
		return false;
	/* a dynamic region has a range only where placement put it */
	if (o->status != CVO_STATUS_PLACED && !r->is_static)
		return false;
	*base = o->base;
	*size = o->placed_size;
	return true;
}

bool cvo_region_occupies(const struct cvo_placement *pl, const struct cvo_region *r,
			 uint64_t *base, uint64_t *size)
{
	const struct cvo_model *m = pl->model;
	enum cvo_status status = cvo_outcome(pl, r)->status;
	/* rmem_cma_setup() bypasses a static linux,cma-default node for cma= only after
	 * __rmem_check_for_overlap() has seen it in the table (and memblock reserved it) */
	bool bypassed = status == CVO_STATUS_IGNORED && is_rmem(m, r) && r->is_static &&
			r->cma_default && m->platform && m->platform->has_cmdline_cma &&
			r->available && m->rmem_format_ok;
	uint64_t b, s;
	if ((status == CVO_STATUS_IGNORED && !bypassed) || status == CVO_STATUS_UNPLACED ||
	    !cvo_region_stated(pl, r, &b, &s))
		return false;
	*base = b;
	*size = s;
	return true;
}

bool cvo_region_placed(const struct cvo_placement *pl, const struct cvo_region *r,
		       uint64_t *base, uint64_t *size)
{
	const struct cvo_region_place *o = cvo_outcome(pl, r);
	if (o->status != CVO_STATUS_PLACED || !o->has_base)
		return false;
	*base = o->base;
	*size = o->placed_size;
	return true;
}

const struct cvo_consumer *cvo_consumer_of(const struct cvo_model *m, int node)
{
	for (size_t i = 0; i < m->n_consumers; i++)
		if (m->consumers[i].node == node)
			return &m->consumers[i];
	return NULL;
}

bool cvo_region_scanned(const struct cvo_model *m, const struct cvo_region *r)
{
	return r->node >= 0 && (size_t)(r - m->regions) < m->n_rmem && r->available &&
	       m->rmem_format_ok;
}

bool cvo_region_span(const struct cvo_placement *pl, const struct cvo_region *r,
		     uint64_t *base, uint64_t *size)
{
	const struct cvo_region_place *o = cvo_outcome(pl, r);
	if (o->has_base && o->placed_size) {
		*base = o->base;
		*size = o->placed_size;
		return true;
	}
	if (r->is_static && r->reg_len_ok && r->n_regs && r->regs[0].size) {
		*base = r->regs[0].base;
		*size = r->regs[0].size;
		return true;
	}
	return false;
}

struct cvo_region_iter cvo_region_ranges(const struct cvo_placement *pl, const struct cvo_region *r)
{
	return (struct cvo_region_iter){.pl = pl, .r = r};
}

bool cvo_region_ranges_next(struct cvo_region_iter *it, uint64_t *base, uint64_t *size)
{
	const struct cvo_region *r = it->r;
	if (r->is_static) {
		if (it->next >= r->n_regs)
			return false;
		*base = r->regs[it->next].base;
		*size = r->regs[it->next].size;
		it->next++;
		return true;
	}
	const struct cvo_region_place *o = cvo_outcome(it->pl, r);
	if (it->next || !o->has_base || !o->placed_size)
		return false;
	it->next = 1;
	*base = o->base;
	*size = o->placed_size;
	return true;
}

bool cvo_region_is_cma(const struct cvo_model *m, const struct cvo_region *r)
{
	const struct cvo_platform *p = m->platform;
	return r->compat_shared_dma_pool && r->reusable && !r->no_map && (!p || p->config.dma_cma);
}

bool cvo_region_is_coherent_pool(const struct cvo_model *m, const struct cvo_region *r)
{
	const struct cvo_platform *p = m->platform;
	if (!r->compat_shared_dma_pool || r->reusable)
		return false;
	/* rmem_dma_setup(): "regions without no-map are not yet supported" on arm */
	return r->no_map || !p || p->arch != CVO_ARCH_ARM;
}

bool cvo_region_alive(const struct cvo_placement *pl, const struct cvo_region *r)
{
	const struct cvo_region_place *o = cvo_outcome(pl, r);
	/* a no-map region that met -EBUSY stays in the kernel's table and is initialised
	 * (fdt_init_reserved_mem()): its devices get it unless its handler refused it */
	if (r->available && o->status == CVO_STATUS_FAILED && o->nomap_busy && !o->refused)
		return true;
	return r->available && o->status != CVO_STATUS_FAILED && o->status != CVO_STATUS_IGNORED &&
	       o->status != CVO_STATUS_DISABLED;
}

bool cvo_region_live_span(const struct cvo_placement *pl, const struct cvo_region *r,
			  uint64_t *base, uint64_t *size)
{
	return cvo_region_scanned(pl->model, r) && cvo_region_alive(pl, r) &&
	       cvo_region_span(pl, r, base, size);
}

const struct cvo_region *cvo_consumer_own_cma(const struct cvo_placement *pl,
					      const struct cvo_consumer *c)
{
	const struct cvo_model *m = pl->model;
	/* rmem_cma_device_init(): dev->cma_area; a later CMA entry replaces an earlier one */
	const struct cvo_region *own = NULL;
	for (size_t i = 0; c && i < c->n; i++) {
		if (c->targets[i] < 0)
			continue;
		const struct cvo_region *r = &m->regions[c->targets[i]];
		if (cvo_region_scanned(m, r) && cvo_region_alive(pl, r) && cvo_region_is_cma(m, r))
			own = r;
	}
	return own;
}


/*
 * Drivers that never call of_reserved_mem_device_init*() for their node, so a
 * shared-dma-pool companion in memory-region is never attached: {compatible,
 * driver source}. Measured for virtio-mmio under QEMU on 6.1.192 and 6.12.117
 * (tests/oracle/restricted.py, restricted_plan.py): with a restricted pool and a no-map
 * companion, a non-coherent transport on arm still fails every coherent allocation.
 */
static const struct {
	const char *compatible, *driver;
} companion_ignorers[] = {
	{ "virtio,mmio", "drivers/virtio/virtio_mmio.c" },
};

const char *cvo_companion_ignorer(const void *fdt, int node)
{
	for (size_t i = 0; i < sizeof(companion_ignorers) / sizeof(companion_ignorers[0]); i++)
		if (cvo_fdt_compatible(fdt, node, companion_ignorers[i].compatible))
			return companion_ignorers[i].driver;
	return NULL;
}

bool cvo_consumer_attaches(const struct cvo_platform *p, const void *fdt,
			   const struct cvo_consumer *c, size_t i)
{
	const struct cvo_platform_device *d = p ? cvo_platform_device_for(p, fdt, c->node) : NULL;
	if (!d || !d->has_attach)
		return i == 0;
	return d->attach_all || (i < 64 && (d->attach_mask >> i & 1));
}

const struct cvo_region *cvo_consumer_companion(const struct cvo_placement *pl,
						const struct cvo_platform *p,
						const struct cvo_consumer *c, size_t *index,
						bool *attached)
{
	const struct cvo_model *m = pl->model;
	const struct cvo_region *any = NULL;
	size_t any_i = 0;
	for (size_t i = 0; c->targets && i < c->n; i++) {
		if (c->targets[i] < 0 || (size_t)c->targets[i] >= m->n_rmem)
			continue;
		const struct cvo_region *r = &m->regions[c->targets[i]];
		if (!cvo_region_scanned(m, r) || !cvo_region_alive(pl, r) ||
		    !cvo_region_is_coherent_pool(m, r) || !r->no_map)
			continue;
		if (cvo_consumer_attaches(p, m->blob->fdt, c, i)) {
			*index = i;
			*attached = true;
			return r;
		}
		if (!any) {
			any = r;
			any_i = i;
		}
	}
	*index = any_i;
	*attached = false;
	return any;
}

uint64_t cvo_device_coherent_demand(const struct cvo_platform *p, const void *fdt, int node)
{
	const struct cvo_platform_device *d = p ? cvo_platform_device_for(p, fdt, node) : NULL;
	if (!d)
		return 0;
	uint64_t v = d->has_cma ? d->cma : 0;
	return v > UINT64_MAX - d->atomic ? UINT64_MAX : v + d->atomic;
}
