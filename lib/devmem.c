// SPDX-License-Identifier: MIT
/*
 * Device memory: the reg of every enabled node and the ranges windows of buses, as CPU
 * addresses (drivers/of/address.c of_translate_address() through "ranges"). A reserved
 * region there is SRAM, TCM or a frame buffer, not RAM that /memory forgot.
 */
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "address.h"
#include "devmem.h"

/* Depth of the tree walked; deeper nodes are left out (none in real DTs). */
#define DEVMEM_MAX_DEPTH 32
/* ranges entries kept per bus; of_translate_one() walks all, real buses have a few. */
#define DEVMEM_MAX_WINDOWS 32

/* How a node's children's addresses become CPU addresses. */
struct xlate {
	enum { XL_NONE, XL_IDENTITY, XL_WINDOWS } kind;
	uint32_t na, ns; /* the node's #address-cells / #size-cells (for its children) */
	bool live;
	size_t n;
	struct {
		uint64_t child, cpu, size;
	} w[DEVMEM_MAX_WINDOWS];
};

static bool xl_map(const struct xlate *x, uint64_t a, uint64_t size, uint64_t *cpu)
{
	if (x->kind == XL_IDENTITY) {
		*cpu = a;
		return true;
	}
	for (size_t i = 0; x->kind == XL_WINDOWS && i < x->n; i++) {
		uint64_t off = a - x->w[i].child;
		if (a >= x->w[i].child && off < x->w[i].size && size <= x->w[i].size - off) {
			*cpu = x->w[i].cpu + off;
			return true;
		}
	}
	return false;
}

static int add(struct cvo_devmem **v, size_t *n, size_t *cap, uint64_t base, uint64_t size,
	       int node, bool window)
{
	if (cvo_grow(v, cap, *n, sizeof(**v)))
		return CVO_ERR_NOMEM;
	(*v)[(*n)++] = (struct cvo_devmem){base, size, node, window};
	return 0;
}

static bool is_memory_node(const void *fdt, int node)
{
	int len;
	const char *t = fdt_getprop(fdt, node, "device_type", &len);
	return t && len > 0 && !strncmp(t, "memory", (size_t)len);
}

static uint32_t cells_of(const void *fdt, int node, const char *name, uint32_t dflt)
{
	uint32_t v;
	return cvo_fdt_u32(fdt, node, name, &v) ? v : dflt;
}

int cvo_device_memory(const struct cvo_model *m, struct cvo_devmem **out, size_t *n)
{
	const void *fdt = m->blob->fdt;
	struct xlate *st = calloc(DEVMEM_MAX_DEPTH, sizeof(*st));
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (!st)
		return CVO_ERR_NOMEM;
	st[0] = (struct xlate){
	    .kind = XL_IDENTITY, .live = true, .na = m->root_addr_cells, .ns = m->root_size_cells};
	int r = 0, depth = 0;
	for (int node = fdt_next_node(fdt, 0, &depth); node >= 0 && depth > 0 && !r;
	     node = fdt_next_node(fdt, node, &depth)) {
		if (depth >= DEVMEM_MAX_DEPTH)
			continue;
		const struct xlate *p = &st[depth - 1];
		struct xlate *x = &st[depth];
		memset(x, 0, sizeof(*x));
		x->na = cells_of(fdt, node, "#address-cells", 2);
		x->ns = cells_of(fdt, node, "#size-cells", 1);
		x->live = p->live && cvo_fdt_available(fdt, node);
		const char *name = fdt_get_name(fdt, node, NULL);
		/* a memory@ node without device_type is RAM the kernel ignores, not a device */
		bool skip = node == m->rmem_node ||
			    (depth == 1 &&
			     (is_memory_node(fdt, node) || (name && !strncmp(name, "memory", 6) &&
							    (name[6] == '\0' || name[6] == '@'))));
		if (!x->live || skip || p->kind == XL_NONE || !p->ns || p->na > 2 || p->ns > 2) {
			x->kind = XL_NONE;
			continue;
		}
		int len;
		const uint8_t *reg = fdt_getprop(fdt, node, "reg", &len);
		size_t entry = 4 * ((size_t)p->na + p->ns);
		for (size_t off = 0; reg && len > 0 && off + entry <= (size_t)len && !r;
		     off += entry) {
			uint64_t a = cvo_read_cells(reg + off, p->na);
			uint64_t s = cvo_read_cells(reg + off + 4 * p->na, p->ns), cpu;
			if (s && xl_map(p, a, s, &cpu))
				r = add(out, n, &cap, cpu, s, node, false);
		}
		const uint8_t *rg = fdt_getprop(fdt, node, "ranges", &len);
		if (!rg) {
			x->kind = XL_NONE;
			continue;
		}
		if (len == 0) {
			*x = (struct xlate){
			    .kind = p->kind, .na = x->na, .ns = x->ns, .live = true, .n = p->n};
			memcpy(x->w, p->w, sizeof(x->w));
			continue;
		}
		x->kind = XL_WINDOWS;
		if (x->na > 2 || x->ns > 2 || !x->ns)
			continue;
		size_t re = 4 * ((size_t)x->na + p->na + x->ns);
		for (size_t off = 0; off + re <= (size_t)len && x->n < DEVMEM_MAX_WINDOWS && !r;
		     off += re) {
			uint64_t c = cvo_read_cells(rg + off, x->na);
			uint64_t pa = cvo_read_cells(rg + off + 4 * x->na, p->na);
			uint64_t s = cvo_read_cells(rg + off + 4 * ((size_t)x->na + p->na), x->ns);
			uint64_t cpu;
			if (!s || !xl_map(p, pa, s, &cpu))
				continue;
			x->w[x->n].child = c;
			x->w[x->n].cpu = cpu;
			x->w[x->n].size = s;
			x->n++;
			/* a window that holds RAM passes memory through: not device memory */
			bool ram = false;
			for (size_t k = 0; k < m->n_banks && !ram; k++)
				ram =
				    cvo_ranges_overlap(cpu, s, m->banks[k].base, m->banks[k].size);
			if (!ram)
				r = add(out, n, &cap, cpu, s, node, true);
		}
	}
	free(st);
	if (r) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return r;
}
