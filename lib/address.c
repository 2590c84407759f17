// SPDX-License-Identifier: MIT
/*
 * Addresses as drivers/of/address.c reads them: cells read and written
 * (of_read_number()), the DMA parent (__of_get_dma_parent()), the of_bus
 * translators (of_match_bus(), ->count_cells(), ->map(), ->translate()),
 * of_translate_address() and of_translate_dma_address() (one walk,
 * __of_translate_address()), dma-ranges parsed as of_pci_range_parser_one()
 * does, and of_dma_get_max_cpu_address(). Everything works on the model's tree
 * index (lib/tree.h).
 */
#include <string.h>

#include <libfdt.h>

#include "address.h"

/* OF_MAX_ADDR_CELLS (drivers/of/address.c) */
#define MAX_ADDR_CELLS 4

/* ------------------------------------------------------------------ cells */

uint64_t cvo_read_cells(const void *p, uint32_t cells)
{
	const uint8_t *b = p;
	uint64_t v = 0;
	for (uint32_t i = 0; i < cells; i++) {
		uint32_t c = ((uint32_t)b[4 * i] << 24) | ((uint32_t)b[4 * i + 1] << 16) |
			     ((uint32_t)b[4 * i + 2] << 8) | b[4 * i + 3];
		v = (v << 32) | c;
	}
	return v;
}

bool cvo_write_cells(void *p, uint32_t cells, uint64_t v)
{
	uint8_t *b = p;
	for (uint32_t i = cells; i-- > 0;) {
		uint32_t c = (uint32_t)v;
		b[4 * i] = (uint8_t)(c >> 24);
		b[4 * i + 1] = (uint8_t)(c >> 16);
		b[4 * i + 2] = (uint8_t)(c >> 8);
		b[4 * i + 3] = (uint8_t)c;
		/* two shifts: a shift by 64 is undefined */
		v = (v >> 16) >> 16;
	}
	return v == 0;
}

/* ------------------------------------------------------------------ DMA parents */

/*
 * of_parse_phandle_with_args(np, list, cells_name, index): the node of entry
 * index, -1 on any error the kernel reports (unknown phandle, missing cells
 * property, a list shorter than its arguments) or an empty entry.
 */
static int phandle_args_target(const struct cvo_tree *t, int idx, const char *list,
			       const char *cells_name, size_t index)
{
	size_t n;
	const fdt32_t *c = cvo_tree_getprop_cells(t, idx, list, &n, NULL);
	size_t i = 0, cur = 0;
	while (c && cur < n) {
		uint32_t ph = fdt32_to_cpu(c[cur++]);
		uint32_t count = 0;
		int target = -1;
		if (ph) {
			target = cvo_tree_by_phandle(t, ph);
			if (target < 0 ||
			    !cvo_fdt_u32(t->fdt, t->nodes[target].off, cells_name, &count))
				return -1;
			if (count > n - cur)
				return -1;
		}
		if (i == index)
			return target;
		cur += count;
		i++;
	}
	return -1;
}

/* fdt_stringlist_search() as of_property_match_string() uses it. */
static int match_string(const struct cvo_tree *t, int idx, const char *prop, const char *s)
{
	return fdt_stringlist_search(t->fdt, t->nodes[idx].off, prop, s);
}

/* __of_get_dma_parent(): the "dma-mem" interconnect target, else the parent. */
int cvo_of_dma_parent(const struct cvo_tree *t, int idx)
{
	if (t->nodes[idx].flags & CVO_DN_ICC_NAMES) {
		int k = match_string(t, idx, "interconnect-names", "dma-mem");
		if (k >= 0) {
			int target = phandle_args_target(t, idx, "interconnects",
							 "#interconnect-cells", (size_t)k);
			if (target >= 0)
				return target;
		}
	}
	return t->nodes[idx].parent;
}

/* of_n_addr_cells() / of_n_size_cells(): the cells of the node's parent bus. */
static uint32_t n_addr_cells(const struct cvo_tree *t, int idx)
{
	int p = t->nodes[idx].parent;
	return t->nodes[p >= 0 ? p : idx].ac;
}

static uint32_t n_size_cells(const struct cvo_tree *t, int idx)
{
	int p = t->nodes[idx].parent;
	return t->nodes[p >= 0 ? p : idx].sc;
}

/* ------------------------------------------------------------------ bus translators */

/* struct of_bus in drivers/of/address.c (CONFIG_PCI assumed: every arch carveout models
 * enables it in the distribution kernels) */
enum bus_kind { BUS_PCI, BUS_ISA, BUS_DEFAULT_FLAGS, BUS_DEFAULT };

#define RES_IO	     0x100u /* IORESOURCE_IO */
#define RES_MEM	     0x200u /* IORESOURCE_MEM */
#define RES_PREFETCH 0x2000u
#define RES_MEM_64   0x100000u

/* of_match_bus() */
static enum bus_kind match_bus(const struct cvo_tree *t, int idx)
{
	const struct cvo_tree_node *d = &t->nodes[idx];
	if (d->flags & CVO_DN_PCI)
		return BUS_PCI;
	if (d->flags & CVO_DN_ISA)
		return BUS_ISA;
	if (d->ac == 3)
		return BUS_DEFAULT_FLAGS; /* of_bus_default_flags_match() */
	return BUS_DEFAULT;
}

static int flag_cells(enum bus_kind b)
{
	return b == BUS_DEFAULT ? 0 : 1;
}

/* ->count_cells() for the child dev of a bus of this kind */
static void count_cells(const struct cvo_tree *t, enum bus_kind b, int dev, uint32_t *na,
			uint32_t *ns)
{
	switch (b) {
	case BUS_PCI:
		*na = 3;
		*ns = 2;
		break;
	case BUS_ISA:
		*na = 2;
		*ns = 1;
		break;
	default:
		*na = n_addr_cells(t, dev);
		*ns = n_size_cells(t, dev);
		break;
	}
}

/* OF_CHECK_COUNTS() */
static bool counts_ok(uint32_t na, uint32_t ns)
{
	return na > 0 && na <= MAX_ADDR_CELLS && ns > 0;
}

/* of_read_number(): the low 64 bits of n big-endian cells */
static uint64_t rd_be(const fdt32_t *c, long n)
{
	uint64_t r = 0;
	for (long i = 0; i < n; i++)
		r = (r << 32) | fdt32_to_cpu(c[i]);
	return r;
}

static uint64_t rd_host(const uint32_t *c, long n)
{
	uint64_t r = 0;
	for (long i = 0; i < n; i++)
		r = (r << 32) | c[i];
	return r;
}

/* of_bus_pci_get_flags() */
static uint32_t pci_flags(uint32_t w)
{
	uint32_t f = 0;
	switch ((w >> 24) & 3) {
	case 1:
		f |= RES_IO;
		break;
	case 2:
		f |= RES_MEM;
		break;
	case 3:
		f |= RES_MEM | RES_MEM_64;
		break;
	}
	if (w & 0x40000000u)
		f |= RES_PREFETCH;
	return f;
}

/* ->get_flags() */
static uint32_t bus_flags(enum bus_kind b, const fdt32_t *entry)
{
	uint32_t w = fdt32_to_cpu(entry[0]);
	switch (b) {
	case BUS_PCI:
		return pci_flags(w);
	case BUS_ISA:
		return (w & 1) ? RES_IO : RES_MEM;
	case BUS_DEFAULT_FLAGS:
		return w;
	case BUS_DEFAULT:
		break;
	}
	return RES_MEM;
}

/* of_bus_default_map() and friends: offset of addr inside one ranges entry, or BAD. */
static uint64_t bus_map(enum bus_kind b, const uint32_t *addr, const fdt32_t *range, uint32_t na,
			uint32_t ns, uint32_t pna)
{
	uint32_t fna = (uint32_t)flag_cells(b);
	uint32_t r0 = fdt32_to_cpu(range[0]);
	switch (b) {
	case BUS_PCI: {
		uint32_t af = pci_flags(addr[0]), rf = pci_flags(r0);
		if ((af ^ rf) & (RES_MEM | RES_IO))
			return CVO_OF_BAD_ADDR;
		break;
	}
	case BUS_ISA:
		if ((addr[0] ^ r0) & 1)
			return CVO_OF_BAD_ADDR;
		break;
	case BUS_DEFAULT_FLAGS:
		if (addr[0] != r0)
			return CVO_OF_BAD_ADDR;
		break;
	case BUS_DEFAULT:
		break;
	}
	uint64_t cp = rd_be(range + fna, (long)na - fna);
	uint64_t s = rd_be(range + na + pna, ns);
	uint64_t da = rd_host(addr + fna, (long)na - fna);
	/* the kernel compares with a wrapping cp + s; so do we */
	if (da < cp || da >= cp + s)
		return CVO_OF_BAD_ADDR;
	return da - cp;
}

/* of_bus_default_translate() on na cells starting at addr[first] */
static void default_translate(uint32_t *addr, uint32_t first, uint32_t na, uint64_t offset)
{
	uint64_t a = rd_host(addr + first, (long)na - first) + offset;
	long n = (long)na - first;
	for (long i = 0; i < n; i++)
		addr[first + i] = 0;
	if (n > 1)
		addr[first + n - 2] = (uint32_t)(a >> 32);
	/* with no cell left the kernel writes the cell before (the flags cell) */
	if (first + n >= 1)
		addr[first + n - 1] = (uint32_t)a;
}

/* ->translate() */
static void bus_translate(enum bus_kind b, uint32_t *addr, uint64_t offset, uint32_t na)
{
	if (b == BUS_DEFAULT)
		default_translate(addr, 0, na, offset);
	else if (na >= 1)
		default_translate(addr, 1, na, offset);
}

/* of_translate_one() with rprop "dma-ranges" (dma) or "ranges": 0 on success, 1 when no entry
 * matches. */
static int translate_one(const struct cvo_tree *t, int dev, enum bus_kind b, enum bus_kind pb,
			 uint32_t *addr, uint32_t na, uint32_t ns, uint32_t pna, bool dma)
{
	size_t rlen;
	int blen;
	const fdt32_t *ranges =
	    cvo_tree_getprop_cells(t, dev, dma ? "dma-ranges" : "ranges", &rlen, &blen);
	uint64_t offset = CVO_OF_BAD_ADDR;
	/* a missing ranges does not translate (of_empty_ranges_quirk() is for Apple's
	 * PowerMacs only); a missing dma-ranges counts as 1:1 ("This quirk also applies for
	 * 'dma-ranges' which frequently exist in child nodes without 'dma-ranges' in the
	 * parent nodes. --RobH") */
	if (!ranges && !dma)
		return 1;
	if (!ranges || blen == 0) {
		offset = rd_host(addr, na);
		memset(addr, 0, pna * sizeof(*addr));
	} else {
		size_t rone = (size_t)na + pna + ns;
		const fdt32_t *hit = NULL;
		for (; rlen >= rone; rlen -= rone, ranges += rone) {
			offset = bus_map(b, addr, ranges, na, ns, pna);
			if (offset != CVO_OF_BAD_ADDR) {
				hit = ranges;
				break;
			}
		}
		if (!hit)
			return 1;
		for (uint32_t i = 0; i < pna; i++)
			addr[i] = fdt32_to_cpu(hit[na + i]);
	}
	bus_translate(pb, addr, offset, pna);
	return 0;
}

/* of_get_parent(), or __of_get_dma_parent() for dma */
static int xlate_parent(const struct cvo_tree *t, int idx, bool dma)
{
	return dma ? cvo_of_dma_parent(t, idx) : t->nodes[idx].parent;
}

/*
 * __of_translate_address(node, in): of_translate_dma_address() (dma: through the dma-ranges
 * of every DMA parent) or of_translate_address() (through the ranges of every parent).
 * in holds avail cells; the kernel reads as many as the bus says, which may run past the
 * property: missing cells read as 0 here.
 */
static uint64_t translate_address(const struct cvo_tree *t, int node, const fdt32_t *in,
				  size_t avail, bool dma)
{
	int dev = node, parent = xlate_parent(t, dev, dma);
	if (parent < 0)
		return CVO_OF_BAD_ADDR;
	enum bus_kind b = match_bus(t, parent);
	uint32_t na, ns;
	count_cells(t, b, dev, &na, &ns);
	if (!counts_ok(na, ns))
		return CVO_OF_BAD_ADDR;
	uint32_t addr[MAX_ADDR_CELLS] = {0};
	for (uint32_t i = 0; i < na && i < avail; i++)
		addr[i] = fdt32_to_cpu(in[i]);
	for (size_t guard = 0; guard < CVO_TREE_MAX_WALK(t); guard++) {
		dev = parent;
		parent = xlate_parent(t, dev, dma);
		if (parent < 0)
			return rd_host(addr, na);
		enum bus_kind pb = match_bus(t, parent);
		uint32_t pna, pns;
		count_cells(t, pb, dev, &pna, &pns);
		if (!counts_ok(pna, pns))
			return CVO_OF_BAD_ADDR;
		if (translate_one(t, dev, b, pb, addr, na, ns, pna, dma))
			return CVO_OF_BAD_ADDR;
		na = pna;
		ns = pns;
		b = pb;
	}
	return CVO_OF_BAD_ADDR;
}

uint64_t cvo_translate_address(const struct cvo_tree *t, int idx, const fdt32_t *in, size_t avail)
{
	return translate_address(t, idx, in, avail, false);
}

/* ------------------------------------------------------------------ dma-ranges */

int cvo_dma_ranges(const struct cvo_tree *t, int idx, struct cvo_dma_range *out, size_t max,
		   size_t *n, struct cvo_dma_ranges_shape *shape)
{
	size_t cells;
	int len;
	const fdt32_t *c = cvo_tree_getprop_cells(t, idx, "dma-ranges", &cells, &len);
	*n = 0;
	/* of_pci_range_parser_init(): pna = of_n_addr_cells(), na/ns = this bus's own */
	struct cvo_dma_ranges_shape s = {
	    .len = len,
	    .na = t->nodes[idx].ac,
	    .pna = n_addr_cells(t, idx),
	    .ns = t->nodes[idx].sc,
	};
	enum bus_kind b = match_bus(t, idx);
	uint32_t fc = (uint32_t)flag_cells(b);
	uint64_t np = (uint64_t)s.pna + s.na + s.ns;
	s.cells_ok = np > 0 && s.na >= fc && s.na <= 64 && s.pna <= 64 && s.ns <= 64;
	if (shape)
		*shape = s;
	if (!c || len <= 0)
		return CVO_ERR_INVALID;
	if (!s.cells_ok)
		return 0;
	size_t cur = 0;
	/* of_pci_range_parser_one(): contiguous entries of the same flags merge */
	while (cur + np <= cells) {
		const fdt32_t *e = c + cur;
		uint32_t flags = bus_flags(b, e);
		struct cvo_dma_range r = {
		    .bus = rd_be(e + fc, (long)s.na - fc),
		    .cpu = translate_address(t, idx, e + s.na, cells - cur - s.na, true),
		    .size = rd_be(e + s.pna + s.na, s.ns),
		};
		cur += np;
		while (cur + np <= cells) {
			const fdt32_t *f = c + cur;
			uint64_t bus = rd_be(f + fc, (long)s.na - fc);
			uint64_t cpu =
			    translate_address(t, idx, f + s.na, cells - cur - s.na, true);
			uint64_t size = rd_be(f + s.pna + s.na, s.ns);
			if (bus_flags(b, f) != flags)
				break;
			if (bus != r.bus + r.size || cpu != r.cpu + r.size)
				break;
			r.size += size;
			cur += np;
		}
		if (*n < max)
			out[*n] = r;
		(*n)++;
	}
	return 0;
}

/* ------------------------------------------------------------------ ZONE_DMA */

uint64_t cvo_dma_tree_max_cpu_address(const struct cvo_tree *t, int *min_idx)
{
	uint64_t max_cpu = UINT64_MAX; /* PHYS_ADDR_MAX, inclusive */
	if (min_idx)
		*min_idx = -1;
	for (size_t i = 0; i < t->n; i++) {
		const struct cvo_tree_node *d = &t->nodes[i];
		if (!(d->flags & CVO_DN_LIVE) || !(d->flags & CVO_DN_DMA_RANGES_FULL))
			continue;
		struct cvo_dma_range r[32];
		size_t n = 0;
		if (cvo_dma_ranges(t, (int)i, r, CVO_ARRAY_LEN(r), &n, NULL))
			continue;
		if (n > CVO_ARRAY_LEN(r))
			n = CVO_ARRAY_LEN(r);
		/*
		 * of_dma_get_max_cpu_address() keeps untranslatable entries (cpu_addr =
		 * OF_BAD_ADDR) and compares with wrapping arithmetic; mirror it exactly.
		 */
		uint64_t cpu_end = 0;
		for (size_t k = 0; k < n; k++)
			if (r[k].cpu + r[k].size > cpu_end)
				cpu_end = r[k].cpu + r[k].size - 1;
		if (max_cpu > cpu_end) {
			max_cpu = cpu_end;
			if (min_idx)
				*min_idx = (int)i;
		}
	}
	return max_cpu == UINT64_MAX ? UINT64_MAX : max_cpu + 1;
}

uint64_t cvo_dma_max_cpu_address(const struct cvo_model *m)
{
	if (!cvo_fdt_propname_used(m->blob->fdt, "dma-ranges"))
		return UINT64_MAX;
	const struct cvo_tree *t = m->tree;
	return t ? cvo_dma_tree_max_cpu_address(t, NULL) : UINT64_MAX;
}

