// SPDX-License-Identifier: MIT
/*
 * The DMA model: what a device reaches and whether it is coherent, computed
 * the way drivers/of/address.c (of_dma_get_range(), of_dma_is_coherent()) and
 * drivers/of/device.c (of_dma_configure_id()) do it on the unflattened tree,
 * then narrowed by the platform file (dma-bits, iommu). Addresses are
 * translated by lib/address.c, on the model's tree index (lib/tree.h).
 */
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "dma.h"
#include "region.h"

/*
 * of_dma_get_range(bus_np): the first non-empty dma-ranges walking up the DMA
 * parents. An empty one means 1:1 at that level; a missing one is tolerated
 * only at the first node. Untranslatable entries are skipped.
 */
static void dma_get_range(const struct cvo_tree *t, int bus_np, struct cvo_dma_info *di,
			  int *map_node)
{
	int node = bus_np;
	bool found = false;
	*map_node = -1;
	for (size_t guard = 0; node >= 0 && guard < CVO_TREE_MAX_WALK(t); guard++) {
		uint32_t f = t->nodes[node].flags;
		if (f & CVO_DN_DMA_RANGES_FULL)
			break;
		if (found && !(f & CVO_DN_DMA_RANGES))
			return; /* -ENODEV */
		found = true;
		node = cvo_of_dma_parent(t, node);
	}
	if (node < 0 || !(t->nodes[node].flags & CVO_DN_DMA_RANGES_FULL))
		return;
	struct cvo_dma_range r[CVO_ARRAY_LEN(di->windows) * 2];
	size_t n = 0;
	if (cvo_dma_ranges(t, node, r, CVO_ARRAY_LEN(r), &n, NULL))
		return;
	if (n > CVO_ARRAY_LEN(r))
		n = CVO_ARRAY_LEN(r);
	uint64_t max_end = 0; /* dma_range_map_max(): inclusive */
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		if (r[i].cpu == CVO_OF_BAD_ADDR)
			continue;
		if (di->n_windows < CVO_ARRAY_LEN(di->windows))
			di->windows[di->n_windows++] =
			    (struct cvo_dma_window){r[i].cpu, r[i].bus, r[i].size};
		uint64_t end = r[i].bus + r[i].size - 1;
		if (!any || end > max_end)
			max_end = end;
		any = true;
	}
	if (!any)
		return; /* -EINVAL: the device gets default masks and no map */
	di->has_map = true;
	di->bus_limit = max_end == UINT64_MAX ? UINT64_MAX : max_end + 1;
	*map_node = node;
}

/* ------------------------------------------------------------------ IOMMU */

/* of_iommu_configure() for a platform device: every iommus entry must parse and
 * point at an available IOMMU (of_iommu_xlate() returns -ENODEV otherwise). */
static bool iommus_in_effect(const struct cvo_tree *t, int np, int *first)
{
	size_t n;
	const fdt32_t *c = cvo_tree_getprop_cells(t, np, "iommus", &n, NULL);
	size_t cur = 0, entries = 0;
	*first = -1;
	while (c && cur < n) {
		uint32_t ph = fdt32_to_cpu(c[cur++]);
		int target = cvo_tree_by_phandle(t, ph);
		uint32_t count;
		if (target < 0 ||
		    !cvo_fdt_u32(t->fdt, t->nodes[target].off, "#iommu-cells", &count) ||
		    count > n - cur)
			return false;
		if (*first < 0)
			*first = target;
		if (!(t->nodes[target].flags & CVO_DN_OKAY))
			return false;
		cur += count;
		entries++;
	}
	return entries > 0;
}

/* of_map_id(bridge, rid, "iommu-map", ...): the requester ID is not known statically,
 * so an iommu-map whose entries name an available IOMMU counts as in effect. */
static bool iommu_map_in_effect(const struct cvo_tree *t, int np, int *first)
{
	size_t n;
	const fdt32_t *c = cvo_tree_getprop_cells(t, np, "iommu-map", &n, NULL);
	*first = -1;
	/* "Bad iommu-map length" unless a whole number of (rid, phandle, base, length) */
	if (!c || !n || n % 4)
		return false;
	for (size_t i = 0; i < n; i += 4) {
		int target = cvo_tree_by_phandle(t, fdt32_to_cpu(c[i + 1]));
		if (target < 0)
			continue;
		if (*first < 0)
			*first = target;
		if (t->nodes[target].flags & CVO_DN_OKAY)
			return true;
	}
	return false;
}

/* ------------------------------------------------------------------ coherency */

/* dma_default_coherent: CONFIG_ARCH_DMA_DEFAULT_COHERENT on riscv and powerpc */
static bool arch_default_coherent(const struct cvo_platform *p)
{
	return p && (p->arch == CVO_ARCH_RISCV || p->arch == CVO_ARCH_POWERPC);
}

/* of_dma_is_coherent(): the first dma-coherent or dma-noncoherent up the DMA parents */
static void dma_is_coherent(const struct cvo_tree *t, const struct cvo_platform *p, int np,
			    struct cvo_dma_info *di)
{
	int node = np;
	for (size_t guard = 0; node >= 0 && guard < CVO_TREE_MAX_WALK(t); guard++) {
		uint32_t f = t->nodes[node].flags;
		if (f & CVO_DN_DMA_COHERENT) {
			di->coherent = true;
			di->coherent_node = t->nodes[node].off;
			return;
		}
		if (f & CVO_DN_DMA_NONCOHERENT) {
			di->coherent = false;
			di->coherent_node = t->nodes[node].off;
			return;
		}
		node = cvo_of_dma_parent(t, node);
	}
	di->coherent = arch_default_coherent(p);
	di->coherent_from_default = true;
	di->coherent_node = -1;
}

/* ------------------------------------------------------------------ the device */

/* of_dma_configure_id(dev, np, ...) for the device at idx configured through np. */
static void configure(const struct cvo_model *m, int idx, int np, bool pci,
		      struct cvo_dma_info *out, struct cvo_dma_extra *ex)
{
	const struct cvo_tree *t = m->tree;
	const struct cvo_platform *p = m->platform;
	/* with np not the device's own node the range walk starts at np itself */
	int bus_np = pci ? np : cvo_of_dma_parent(t, idx);
	ex->pci = pci;
	ex->config_node = t->nodes[np].off;
	if (bus_np >= 0)
		dma_get_range(t, bus_np, out, &ex->map_node);
	if (ex->map_node >= 0)
		ex->map_node = t->nodes[ex->map_node].off;

	ex->pdev = p ? cvo_platform_device_for(p, t->fdt, t->nodes[idx].off) : NULL;
	if (ex->pdev && ex->pdev->dma_bits > 0)
		out->dma_bits = ex->pdev->dma_bits;

	int first = -1;
	if (pci)
		out->iommu = iommu_map_in_effect(t, np, &first);
	else
		out->iommu =
		    (t->nodes[np].flags & CVO_DN_IOMMUS) && iommus_in_effect(t, np, &first);
	ex->iommu_node = first >= 0 ? t->nodes[first].off : -1;
	if (ex->pdev && ex->pdev->iommu != CVO_UNSET) {
		out->iommu = ex->pdev->iommu != 0;
		ex->iommu_from_platform = true;
	}
	dma_is_coherent(t, p, np, out);
}

static int info_prepare(const struct cvo_tree *t, int node, struct cvo_dma_info *out,
			struct cvo_dma_extra *ex)
{
	*ex = (struct cvo_dma_extra){.config_node = -1, .map_node = -1, .iommu_node = -1};
	memset(out, 0, sizeof(*out));
	out->coherent_node = -1;
	return cvo_tree_index(t, node);
}

int cvo_dma_info_ex(const struct cvo_model *m, int node, struct cvo_dma_info *out,
		    struct cvo_dma_extra *x)
{
	const struct cvo_tree *t = m->tree;
	struct cvo_dma_extra ex;
	int idx = info_prepare(t, node, out, &ex);
	if (idx >= 0) {
		/*
		 * pci_dma_configure(): a PCI function is configured with its host
		 * bridge's node (of_dma_configure_id(dev, bridge_np, true, &rid)).
		 */
		int np = idx;
		for (size_t guard = 0; guard < CVO_TREE_MAX_WALK(t); guard++) {
			int p = t->nodes[np].parent;
			if (p < 0 || !(t->nodes[p].flags & CVO_DN_PCI))
				break;
			np = p;
		}
		configure(m, idx, np, np != idx, out, &ex);
	}
	if (x)
		*x = ex;
	return idx >= 0 ? 0 : CVO_ERR_USAGE;
}

bool cvo_dma_is_pci_host(const struct cvo_model *m, int node)
{
	const struct cvo_tree *t = m->tree;
	int idx = cvo_tree_index(t, node);
	if (idx < 0 || !(t->nodes[idx].flags & CVO_DN_PCI))
		return false;
	int p = t->nodes[idx].parent;
	return p < 0 || !(t->nodes[p].flags & CVO_DN_PCI);
}

int cvo_dma_info_users(const struct cvo_model *m, int node, struct cvo_dma_info *out,
		       struct cvo_dma_extra *x)
{
	if (!cvo_dma_is_pci_host(m, node))
		return cvo_dma_info_ex(m, node, out, x);
	struct cvo_dma_extra ex;
	int idx = info_prepare(m->tree, node, out, &ex);
	configure(m, idx, idx, true, out, &ex);
	if (x)
		*x = ex;
	return 0;
}

int cvo_dma_info_bus(const struct cvo_model *m, int bus, struct cvo_dma_info *out,
		     struct cvo_dma_extra *x)
{
	const struct cvo_tree *t = m->tree;
	struct cvo_dma_extra ex;
	int idx = info_prepare(t, bus, out, &ex);
	if (idx >= 0) {
		ex.config_node = bus;
		dma_get_range(t, idx, out, &ex.map_node);
		if (ex.map_node >= 0)
			ex.map_node = t->nodes[ex.map_node].off;
		dma_is_coherent(t, m->platform, idx, out);
	}
	if (x)
		*x = ex;
	return idx >= 0 ? 0 : CVO_ERR_USAGE;
}

int cvo_dma_info(const struct cvo_model *m, int node, struct cvo_dma_info *out)
{
	return cvo_dma_info_ex(m, node, out, NULL);
}

/* ------------------------------------------------------------------ reach */

uint64_t cvo_dma_mask(const struct cvo_dma_info *di)
{
	if (di->dma_bits <= 0 || di->dma_bits >= 64)
		return UINT64_MAX;
	return (UINT64_C(1) << di->dma_bits) - 1;
}

bool cvo_dma_limited(const struct cvo_dma_info *di)
{
	return di->has_map || cvo_dma_mask(di) != UINT64_MAX;
}

/*
 * The part of [base, last] a device reaches, one physical address at a time
 * as dma_capable()/dma_coherent_ok() see it: the address must fall in a
 * dma_range_map window (translate_phys_to_dma() takes the first that holds it)
 * and its DMA address must not exceed the mask.
 */
uint64_t cvo_dma_reachable_bytes(const struct cvo_dma_info *di, uint64_t base, uint64_t size)
{
	if (!size)
		return 0;
	uint64_t last = cvo_range_last(base, size), mask = cvo_dma_mask(di), total = 0;
	if (!di->has_map) {
		if (base > mask)
			return 0;
		return (last <= mask ? last : mask) - base + 1;
	}
	uint64_t cur = base;
	for (;;) {
		/* the first window holding cur decides its DMA address */
		const struct cvo_dma_window *w = NULL;
		for (size_t i = 0; i < di->n_windows; i++) {
			const struct cvo_dma_window *c = &di->windows[i];
			if (c->size && cur >= c->cpu && cur - c->cpu < c->size) {
				w = c;
				break;
			}
		}
		uint64_t seg_last;
		if (!w) {
			/* unreachable up to the next window start */
			uint64_t next = UINT64_MAX;
			for (size_t i = 0; i < di->n_windows; i++)
				if (di->windows[i].size && di->windows[i].cpu > cur &&
				    di->windows[i].cpu < next)
					next = di->windows[i].cpu;
			if (next == UINT64_MAX || next > last)
				break;
			cur = next;
			continue;
		}
		seg_last = cvo_range_last(w->cpu, w->size);
		if (seg_last > last)
			seg_last = last;
		/* DMA addresses grow with the CPU address inside a window */
		uint64_t dma_cur = cur - w->cpu + w->dma;
		uint64_t dma_last = seg_last - w->cpu + w->dma;
		if (dma_cur < w->dma || dma_last < dma_cur) {
			/* wraps: the window itself is malformed, nothing here is reachable */
		} else if (dma_cur <= mask) {
			uint64_t ok_last =
			    dma_last <= mask ? seg_last : seg_last - (dma_last - mask);
			total += ok_last - cur + 1;
		}
		if (seg_last == last)
			break;
		cur = seg_last + 1;
	}
	return total;
}

bool cvo_dma_reachable(const struct cvo_dma_info *di, uint64_t base, uint64_t size)
{
	return cvo_dma_reachable_bytes(di, base, size) == size;
}

uint64_t cvo_dma_reach_end(const struct cvo_dma_info *di)
{
	uint64_t mask = cvo_dma_mask(di);
	if (!di->has_map)
		return mask == UINT64_MAX ? UINT64_MAX : mask + 1;
	uint64_t top = 0;
	for (size_t i = 0; i < di->n_windows; i++) {
		const struct cvo_dma_window *w = &di->windows[i];
		if (!w->size || w->dma > mask)
			continue;
		uint64_t dma_last = cvo_range_last(w->dma, w->size);
		uint64_t cpu_last = cvo_range_last(w->cpu, w->size);
		if (dma_last > mask)
			cpu_last -= dma_last - mask;
		if (cpu_last == UINT64_MAX)
			return UINT64_MAX;
		if (cpu_last + 1 > top)
			top = cpu_last + 1;
	}
	return top;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

int cvo_dma_devices(const struct cvo_model *m, struct cvo_dma_dev **out, size_t *n)
{
	const struct cvo_tree *t = m->tree;
	const struct cvo_platform *p = m->platform;
	*out = NULL;
	*n = 0;
	if (!p || !p->n_devices)
		return 0;
	/* the candidates: each path target and every node with a listed compatible */
	int *cand = NULL;
	size_t nc = 0, cap = 0;
	bool any_compatible = false;
	for (size_t i = 0; i < p->n_devices; i++) {
		const struct cvo_platform_device *d = &p->devices[i];
		if (d->match_path) {
			int node = fdt_path_offset(t->fdt, d->match_path);
			if (node < 0)
				continue;
			if (cvo_grow(&cand, &cap, nc, sizeof(*cand)))
				goto nomem;
			cand[nc++] = node;
		} else if (d->match_compatible) {
			any_compatible = true;
		}
	}
	/* one walk of the tree for every compatible entry, not one per entry */
	for (int node = any_compatible ? fdt_next_node(t->fdt, -1, NULL) : -1; node >= 0;
	     node = fdt_next_node(t->fdt, node, NULL)) {
		int len;
		const char *list = fdt_getprop(t->fdt, node, "compatible", &len);
		if (!list)
			continue;
		for (size_t i = 0; i < p->n_devices; i++) {
			const char *c = p->devices[i].match_compatible;
			if (p->devices[i].match_path || !c || !fdt_stringlist_contains(list, len, c))
				continue;
			if (cvo_grow(&cand, &cap, nc, sizeof(*cand)))
				goto nomem;
			cand[nc++] = node;
			break;
		}
	}
	if (nc)
		qsort(cand, nc, sizeof(*cand), cmp_int);
	struct cvo_dma_dev *v = nc ? calloc(nc, sizeof(*v)) : NULL;
	if (nc && !v)
		goto nomem;
	size_t k = 0;
	for (size_t i = 0; i < nc; i++) {
		if (i && cand[i] == cand[i - 1])
			continue;
		if (!cvo_tree_live(t, cand[i]))
			continue;
		const struct cvo_platform_device *d = cvo_platform_device_for(p, t->fdt, cand[i]);
		if (!d)
			continue;
		struct cvo_dma_dev *e = &v[k];
		e->node = cand[i];
		if (cvo_dma_info_ex(m, cand[i], &e->di, &e->x))
			continue;
		e->pdev = d;
		e->consumer = cvo_consumer_of(m, cand[i]);
		k++;
	}
	free(cand);
	*out = v;
	*n = k;
	return 0;
nomem:
	free(cand);
	return CVO_ERR_NOMEM;
}

static bool reaches_pages_from(const struct cvo_placement *pl, const struct cvo_dma_info *di,
			       uint64_t base, uint64_t size, size_t from)
{
	const struct cvo_model *m = pl->model;
	for (size_t i = from; i < m->n_rmem; i++) {
		const struct cvo_region *r = &m->regions[i];
		uint64_t rb, rs;
		if (!r->no_map || !cvo_region_live_span(pl, r, &rb, &rs) || !rs ||
		    !cvo_ranges_overlap(base, size, rb, rs))
			continue;
		uint64_t last = cvo_range_last(base, size), rl = cvo_range_last(rb, rs);
		if (rb > base && !reaches_pages_from(pl, di, base, rb - base, i + 1))
			return false;
		if (rl < last && !reaches_pages_from(pl, di, rl + 1, last - rl, i + 1))
			return false;
		return true;
	}
	return cvo_dma_reachable(di, base, size);
}

bool cvo_dma_reaches_pages(const struct cvo_placement *pl, const struct cvo_dma_info *di,
			   uint64_t base, uint64_t size)
{
	return reaches_pages_from(pl, di, base, size, 0);
}

bool cvo_dma_reaches_all_ram(const struct cvo_placement *pl, const struct cvo_dma_info *di)
{
	const struct cvo_model *m = pl->model;
	for (size_t i = 0; i < m->n_banks; i++)
		if (m->banks[i].size &&
		    !cvo_dma_reaches_pages(pl, di, m->banks[i].base, m->banks[i].size))
			return false;
	return true;
}

