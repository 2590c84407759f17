// SPDX-License-Identifier: MIT
/*
 * The DMA model: what a device reaches and whether it is coherent, computed
 * the way drivers/of/address.c (of_dma_get_range(), of_translate_dma_address(),
 * of_dma_is_coherent(), of_dma_get_max_cpu_address()) and drivers/of/device.c
 * (of_dma_configure_id()) do it on the unflattened tree, then narrowed by the
 * platform file (dma-bits, iommu).
 *
 * Everything works on an index built in one pass over the structure block
 * (struct cvo_dma_tree, lib/dma.h): fdt_parent_offset() is O(n), and the
 * kernel walks parents for every cell count, translation level and
 * coherency flag.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "dma.h"
#include "kernel.h"

/* OF_MAX_ADDR_CELLS (drivers/of/address.c) */
#define MAX_ADDR_CELLS 4
/* OF_ROOT_NODE_ADDR_CELLS_DEFAULT / OF_ROOT_NODE_SIZE_CELLS_DEFAULT (include/linux/of.h) */
#define ROOT_ADDR_CELLS_DEFAULT 1
#define ROOT_SIZE_CELLS_DEFAULT 1
/* Where the kernel would loop forever on a cyclic interconnects chain, we stop. */
#define MAX_WALK(t) ((t)->n + 1)

/* ------------------------------------------------------------------ string table */

/* Every offset in the strings block where name (with its NUL) starts: a property
 * named name has one of these as its nameoff. */
static size_t name_offsets(const void *fdt, const char *name, uint32_t *out, size_t max)
{
	const char *base = (const char *)fdt + fdt_off_dt_strings(fdt);
	size_t size = fdt_size_dt_strings(fdt), nlen = strlen(name) + 1, n = 0;
	const char *p = base, *end = base + size;
	while (p < end && n < max) {
		const char *hit = memchr(p, name[0], (size_t)(end - p));
		if (!hit || (size_t)(end - hit) < nlen)
			break;
		if (memcmp(hit, name, nlen)) {
			p = hit + 1;
			continue;
		}
		out[n++] = (uint32_t)(hit - base);
		p = hit + 1;
	}
	return n;
}

bool cvo_fdt_propname_used(const void *fdt, const char *name)
{
	uint32_t off;
	return name_offsets(fdt, name, &off, 1) > 0;
}

/* ------------------------------------------------------------------ the index */

enum prop_id {
	P_DMA_RANGES,
	P_DMA_COHERENT,
	P_DMA_NONCOHERENT,
	P_IOMMUS,
	P_IOMMU_MAP,
	P_ICC_NAMES,
	P_DEVICE_TYPE,
	P_STATUS,
	P_PHANDLE,
	P_LINUX_PHANDLE,
	P_ADDR_CELLS,
	P_SIZE_CELLS,
	P_MEMORY_REGION,
	P_COUNT,
};

static const char *const prop_names[P_COUNT] = {
    [P_DMA_RANGES] = "dma-ranges",
    [P_DMA_COHERENT] = "dma-coherent",
    [P_DMA_NONCOHERENT] = "dma-noncoherent",
    [P_IOMMUS] = "iommus",
    [P_IOMMU_MAP] = "iommu-map",
    [P_ICC_NAMES] = "interconnect-names",
    [P_DEVICE_TYPE] = "device_type",
    [P_STATUS] = "status",
    [P_PHANDLE] = "phandle",
    [P_LINUX_PHANDLE] = "linux,phandle",
    [P_ADDR_CELLS] = "#address-cells",
    [P_SIZE_CELLS] = "#size-cells",
    [P_MEMORY_REGION] = "memory-region",
};

struct name_key {
	uint32_t nameoff;
	enum prop_id id;
};

static bool str_is(const char *v, int len, const char *s)
{
	size_t n = strlen(s) + 1;
	return len >= 0 && (size_t)len == n && !memcmp(v, s, n);
}

/* of_node_name_eq(): the name up to '@' */
static bool node_name_is(const char *name, const char *s)
{
	size_t len = strcspn(name, "@");
	return strlen(s) == len && !strncmp(name, s, len);
}

/* What one FDT_PROP tag tells the index about its node. */
static void note_prop(struct cvo_dma_node *d, enum prop_id id, const char *v, int len, bool *has_ac,
		      bool *has_sc, uint32_t *ph, uint32_t *lph)
{
	switch (id) {
	case P_DMA_RANGES:
		d->flags |= CVO_DN_DMA_RANGES;
		if (len > 0)
			d->flags |= CVO_DN_DMA_RANGES_FULL;
		break;
	case P_DMA_COHERENT:
		d->flags |= CVO_DN_DMA_COHERENT;
		break;
	case P_DMA_NONCOHERENT:
		d->flags |= CVO_DN_DMA_NONCOHERENT;
		break;
	case P_IOMMUS:
		d->flags |= CVO_DN_IOMMUS;
		break;
	case P_IOMMU_MAP:
		d->flags |= CVO_DN_IOMMU_MAP;
		break;
	case P_ICC_NAMES:
		d->flags |= CVO_DN_ICC_NAMES;
		break;
	case P_MEMORY_REGION:
		d->flags |= CVO_DN_MEMORY_REGION;
		break;
	case P_DEVICE_TYPE:
		/* of_bus_pci_match(): of_node_is_type() compares the whole string */
		if (str_is(v, len, "pci") || str_is(v, len, "pciex") || str_is(v, len, "vci") ||
		    str_is(v, len, "ht"))
			d->flags |= CVO_DN_PCI;
		break;
	case P_STATUS:
		/* of_device_is_available() */
		if (!(str_is(v, len, "okay") || str_is(v, len, "ok")))
			d->flags &= ~CVO_DN_OKAY;
		break;
	case P_PHANDLE:
		if (len == 4)
			*ph = (uint32_t)cvo_read_cells(v, 1);
		break;
	case P_LINUX_PHANDLE:
		if (len == 4)
			*lph = (uint32_t)cvo_read_cells(v, 1);
		break;
	case P_ADDR_CELLS:
		/* of_property_read_u32(): any length of at least one cell */
		if (len >= 4) {
			d->ac = (uint32_t)cvo_read_cells(v, 1);
			*has_ac = true;
		}
		break;
	case P_SIZE_CELLS:
		if (len >= 4) {
			d->sc = (uint32_t)cvo_read_cells(v, 1);
			*has_sc = true;
		}
		break;
	case P_COUNT:
		break;
	}
}

static int cmp_ph(const void *a, const void *b)
{
	const struct cvo_dma_phandle *x = a, *y = b;
	if (x->phandle != y->phandle)
		return x->phandle < y->phandle ? -1 : 1;
	return x->idx - y->idx;
}

void cvo_dma_tree_free(struct cvo_dma_tree *t)
{
	if (!t)
		return;
	free(t->nodes);
	free(t->ph);
	free(t);
}

/* Private bits while building: the node has its own #address-cells / #size-cells. */
#define DN_OWN_AC (1u << 30)
#define DN_OWN_SC (1u << 31)

/* Per open node while walking: where it is and what its properties said. */
struct open_node {
	int idx;
	bool has_ac, has_sc;
	uint32_t ph, lph;
};

/* Every (nameoff, property) pair of interest, in one pass over the strings block: each NUL
 * ends every name that is a suffix of the string before it. */
static size_t all_name_offsets(const void *fdt, struct name_key *out, size_t max)
{
	const char *base = (const char *)fdt + fdt_off_dt_strings(fdt);
	size_t size = fdt_size_dt_strings(fdt), n = 0, len[P_COUNT];
	for (int i = 0; i < P_COUNT; i++)
		len[i] = strlen(prop_names[i]);
	for (const char *p = base, *end = base + size; p < end;) {
		const char *z = memchr(p, '\0', (size_t)(end - p));
		if (!z)
			break;
		size_t have = (size_t)(z - base);
		for (int i = 0; i < P_COUNT && n < max; i++)
			if (have >= len[i] && z[-1] == prop_names[i][len[i] - 1] &&
			    !memcmp(z - len[i], prop_names[i], len[i]))
				out[n++] =
				    (struct name_key){(uint32_t)(have - len[i]), (enum prop_id)i};
		p = z + 1;
	}
	return n;
}

/*
 * A walk over the structure block. The blob passed fdt_check_full() at load, so
 * tags are read directly (fdt_next_tag() re-checks every offset and dominates
 * the cost otherwise); every read is still bounded by the block's size. Blobs
 * older than version 16 (8-byte aligned property values) go through libfdt.
 */
struct walk {
	const void *fdt;
	const uint8_t *base;
	uint32_t size, off;
	bool raw;
};

struct wtag {
	int at;		  /* the tag's offset, as libfdt counts node offsets */
	const char *name; /* FDT_BEGIN_NODE */
	uint32_t nameoff; /* FDT_PROP */
	const char *data;
	int len;
};

static uint32_t be32_at(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void walk_init(struct walk *w, const void *fdt)
{
	w->fdt = fdt;
	w->off = 0;
	w->base = (const uint8_t *)fdt + fdt_off_dt_struct(fdt);
	uint32_t total = fdt_totalsize(fdt), soff = fdt_off_dt_struct(fdt);
	w->size = fdt_version(fdt) >= 17 ? fdt_size_dt_struct(fdt) : total - soff;
	w->raw = fdt_version(fdt) >= 16 && soff <= total && w->size <= total - soff;
}

static int walk_next(struct walk *w, struct wtag *e)
{
	if (!w->raw) {
		int next;
		uint32_t tag;
		do {
			e->at = (int)w->off;
			tag = fdt_next_tag(w->fdt, (int)w->off, &next);
			if (next < 0)
				return -1;
			w->off = (uint32_t)next;
		} while (tag == FDT_NOP);
		if (tag == FDT_BEGIN_NODE) {
			e->name = fdt_get_name(w->fdt, e->at, NULL);
			if (!e->name)
				return -1;
		} else if (tag == FDT_PROP) {
			const struct fdt_property *p =
			    fdt_get_property_by_offset(w->fdt, e->at, &e->len);
			if (!p)
				return -1;
			e->nameoff = fdt32_to_cpu(p->nameoff);
			e->data = p->data;
		}
		return (int)tag;
	}
	for (;;) {
		if (w->size < 4 || w->off > w->size - 4)
			return -1;
		uint32_t tag = be32_at(w->base + w->off);
		e->at = (int)w->off;
		uint32_t off = w->off + 4;
		switch (tag) {
		case FDT_BEGIN_NODE: {
			const char *name = (const char *)w->base + off;
			const char *z = memchr(name, '\0', w->size - off);
			if (!z)
				return -1;
			off += (uint32_t)(z - name) + 1;
			e->name = name;
			break;
		}
		case FDT_PROP: {
			if (w->size - off < 8)
				return -1;
			uint32_t len = be32_at(w->base + off);
			e->nameoff = be32_at(w->base + off + 4);
			off += 8;
			if (len > w->size - off || len > INT32_MAX)
				return -1;
			e->data = (const char *)w->base + off;
			e->len = (int)len;
			off += len;
			break;
		}
		case FDT_END_NODE:
		case FDT_END:
			break;
		case FDT_NOP:
			w->off = off;
			continue;
		default:
			return -1;
		}
		/* FDT_TAGALIGN() */
		w->off = off > UINT32_MAX - 3 ? UINT32_MAX : (off + 3) & ~3u;
		return (int)tag;
	}
}

int cvo_dma_tree_new(const struct cvo_model *m, struct cvo_dma_tree **out)
{
	const void *fdt = m->blob->fdt;
	*out = NULL;
	struct cvo_dma_tree *t = calloc(1, sizeof(*t));
	if (!t)
		return CVO_ERR_NOMEM;
	t->m = m;
	t->fdt = fdt;

	struct name_key keys[P_COUNT * 4];
	size_t nkeys = all_name_offsets(fdt, keys, CVO_ARRAY_LEN(keys));

	struct walk w;
	walk_init(&w, fdt);
	struct open_node *stack = NULL;
	size_t depth = 0, cap_stack = 0, cap_nodes = 0, cap_ph = 0;
	int r = 0;
	for (;;) {
		struct wtag e;
		int tag = walk_next(&w, &e);
		if (tag < 0) {
			r = CVO_ERR_INVALID;
			goto fail;
		}
		if (tag == FDT_END)
			break;
		if (tag == FDT_BEGIN_NODE) {
			if ((r = cvo_grow(&t->nodes, &cap_nodes, t->n, sizeof(*t->nodes))) ||
			    (r = cvo_grow(&stack, &cap_stack, depth, sizeof(*stack))))
				goto fail;
			struct cvo_dma_node *d = &t->nodes[t->n];
			memset(d, 0, sizeof(*d));
			d->off = e.at;
			d->parent = depth ? stack[depth - 1].idx : -1;
			d->flags = CVO_DN_OKAY;
			if (node_name_is(e.name, "pcie"))
				d->flags |= CVO_DN_PCI; /* of_node_is_pcie() */
			if (node_name_is(e.name, "isa"))
				d->flags |= CVO_DN_ISA;
			stack[depth++] = (struct open_node){.idx = (int)t->n};
			t->n++;
		} else if (tag == FDT_END_NODE) {
			if (!depth) {
				r = CVO_ERR_INVALID;
				goto fail;
			}
			depth--;
			struct open_node *o = &stack[depth];
			struct cvo_dma_node *d = &t->nodes[o->idx];
			/* inherited cell counts are filled in after the walk */
			if (o->has_ac)
				d->flags |= DN_OWN_AC;
			if (o->has_sc)
				d->flags |= DN_OWN_SC;
			uint32_t ph = o->ph ? o->ph : o->lph;
			if (ph && ph != 0xffffffffu) {
				if ((r = cvo_grow(&t->ph, &cap_ph, t->n_ph, sizeof(*t->ph))))
					goto fail;
				t->ph[t->n_ph++] = (struct cvo_dma_phandle){ph, o->idx};
			}
			d->phandle = ph;
		} else if (tag == FDT_PROP && depth) {
			for (size_t k = 0; k < nkeys; k++) {
				if (keys[k].nameoff != e.nameoff)
					continue;
				struct open_node *o = &stack[depth - 1];
				note_prop(&t->nodes[o->idx], keys[k].id, e.data, e.len, &o->has_ac,
					  &o->has_sc, &o->ph, &o->lph);
				break;
			}
		}
	}
	if (depth || !t->n) {
		r = CVO_ERR_INVALID;
		goto fail;
	}
	/* Parents come before children in structure order: inherit cells and liveness. */
	for (size_t i = 0; i < t->n; i++) {
		struct cvo_dma_node *d = &t->nodes[i];
		const struct cvo_dma_node *p = d->parent >= 0 ? &t->nodes[d->parent] : NULL;
		/* of_bus_n_addr_cells() walks up to the first node that has the property */
		if (!(d->flags & DN_OWN_AC))
			d->ac = p ? p->ac : ROOT_ADDR_CELLS_DEFAULT;
		if (!(d->flags & DN_OWN_SC))
			d->sc = p ? p->sc : ROOT_SIZE_CELLS_DEFAULT;
		d->flags &= ~(DN_OWN_AC | DN_OWN_SC);
		if (d->phandle == 0xffffffffu)
			d->phandle = 0;
		/* for_each_available_child_of_node(): the root's own status is never read */
		if (!p)
			d->flags |= CVO_DN_LIVE;
		else if ((p->flags & CVO_DN_LIVE) && (d->flags & CVO_DN_OKAY))
			d->flags |= CVO_DN_LIVE;
	}
	if (t->n_ph)
		qsort(t->ph, t->n_ph, sizeof(*t->ph), cmp_ph);
	free(stack);
	*out = t;
	return 0;
fail:
	free(stack);
	cvo_dma_tree_free(t);
	return r;
}

const struct cvo_dma_tree *cvo_dma_tree_of(const struct cvo_model *m)
{
	if (!m->dma_tree) {
		/* a lazily filled cache: the model is const to the checks, but never const
		 * storage (cvo_model_build() allocates it) */
		struct cvo_model *mm = (struct cvo_model *)(uintptr_t)m;
		if (cvo_dma_tree_new(m, &mm->dma_tree))
			mm->dma_tree = NULL;
	}
	return m->dma_tree;
}

int cvo_dma_tree_index(const struct cvo_dma_tree *t, int node)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->nodes[mid].off < node)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->n && t->nodes[lo].off == node ? (int)lo : -1;
}

int cvo_dma_tree_by_phandle(const struct cvo_dma_tree *t, uint32_t phandle)
{
	if (!phandle)
		return -1;
	size_t lo = 0, hi = t->n_ph;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->ph[mid].phandle < phandle)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* of_find_node_by_phandle() returns the first match in tree order */
	return lo < t->n_ph && t->ph[lo].phandle == phandle ? t->ph[lo].idx : -1;
}

bool cvo_dma_tree_live(const struct cvo_dma_tree *t, int node)
{
	int i = cvo_dma_tree_index(t, node);
	return i >= 0 && (t->nodes[i].flags & CVO_DN_LIVE);
}

/* ------------------------------------------------------------------ DMA parents */

static const fdt32_t *getprop_cells(const struct cvo_dma_tree *t, int idx, const char *name,
				    size_t *ncells, int *len)
{
	int l = 0;
	const fdt32_t *p = fdt_getprop(t->fdt, t->nodes[idx].off, name, &l);
	if (!p || l < 0) {
		*ncells = 0;
		if (len)
			*len = -1;
		return NULL;
	}
	*ncells = (size_t)l / 4;
	if (len)
		*len = l;
	return p;
}

/*
 * of_parse_phandle_with_args(np, list, cells_name, index): the node of entry
 * index, -1 on any error the kernel reports (unknown phandle, missing cells
 * property, a list shorter than its arguments) or an empty entry.
 */
static int phandle_args_target(const struct cvo_dma_tree *t, int idx, const char *list,
			       const char *cells_name, size_t index)
{
	size_t n;
	const fdt32_t *c = getprop_cells(t, idx, list, &n, NULL);
	size_t i = 0, cur = 0;
	while (c && cur < n) {
		uint32_t ph = fdt32_to_cpu(c[cur++]);
		uint32_t count = 0;
		int target = -1;
		if (ph) {
			target = cvo_dma_tree_by_phandle(t, ph);
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
static int match_string(const struct cvo_dma_tree *t, int idx, const char *prop, const char *s)
{
	return fdt_stringlist_search(t->fdt, t->nodes[idx].off, prop, s);
}

/* __of_get_dma_parent(): the "dma-mem" interconnect target, else the parent. */
static int dma_parent(const struct cvo_dma_tree *t, int idx)
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
static uint32_t n_addr_cells(const struct cvo_dma_tree *t, int idx)
{
	int p = t->nodes[idx].parent;
	return t->nodes[p >= 0 ? p : idx].ac;
}

static uint32_t n_size_cells(const struct cvo_dma_tree *t, int idx)
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
static enum bus_kind match_bus(const struct cvo_dma_tree *t, int idx)
{
	const struct cvo_dma_node *d = &t->nodes[idx];
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
static void count_cells(const struct cvo_dma_tree *t, enum bus_kind b, int dev, uint32_t *na,
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

/* of_translate_one() with rprop "dma-ranges": 0 on success, 1 when no entry matches. */
static int translate_one(const struct cvo_dma_tree *t, int dev, enum bus_kind b, enum bus_kind pb,
			 uint32_t *addr, uint32_t na, uint32_t ns, uint32_t pna)
{
	size_t rlen;
	int blen;
	const fdt32_t *ranges = getprop_cells(t, dev, "dma-ranges", &rlen, &blen);
	uint64_t offset = CVO_OF_BAD_ADDR;
	/* a missing dma-ranges counts as 1:1 here ("This quirk also applies for
	 * 'dma-ranges' which frequently exist in child nodes without 'dma-ranges' in
	 * the parent nodes. --RobH") */
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

/*
 * of_translate_dma_address(node, in): the CPU address of a parent-bus address
 * in node's dma-ranges, through the dma-ranges of every DMA parent above it.
 * in holds avail cells; the kernel reads as many as the bus says, which may run
 * past the property: missing cells read as 0 here.
 */
static uint64_t translate_dma_address(const struct cvo_dma_tree *t, int node, const fdt32_t *in,
				      size_t avail)
{
	int dev = node, parent = dma_parent(t, dev);
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
	for (size_t guard = 0; guard < MAX_WALK(t); guard++) {
		dev = parent;
		parent = dma_parent(t, dev);
		if (parent < 0)
			return rd_host(addr, na);
		enum bus_kind pb = match_bus(t, parent);
		uint32_t pna, pns;
		count_cells(t, pb, dev, &pna, &pns);
		if (!counts_ok(pna, pns))
			return CVO_OF_BAD_ADDR;
		if (translate_one(t, dev, b, pb, addr, na, ns, pna))
			return CVO_OF_BAD_ADDR;
		na = pna;
		ns = pns;
		b = pb;
	}
	return CVO_OF_BAD_ADDR;
}

/* ------------------------------------------------------------------ dma-ranges */

int cvo_dma_ranges(const struct cvo_dma_tree *t, int idx, struct cvo_dma_range *out, size_t max,
		   size_t *n, struct cvo_dma_ranges_shape *shape)
{
	size_t cells;
	int len;
	const fdt32_t *c = getprop_cells(t, idx, "dma-ranges", &cells, &len);
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
		    .cpu = translate_dma_address(t, idx, e + s.na, cells - cur - s.na),
		    .size = rd_be(e + s.pna + s.na, s.ns),
		};
		cur += np;
		while (cur + np <= cells) {
			const fdt32_t *f = c + cur;
			uint64_t bus = rd_be(f + fc, (long)s.na - fc);
			uint64_t cpu = translate_dma_address(t, idx, f + s.na, cells - cur - s.na);
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

/*
 * of_dma_get_range(bus_np): the first non-empty dma-ranges walking up the DMA
 * parents. An empty one means 1:1 at that level; a missing one is tolerated
 * only at the first node. Untranslatable entries are skipped.
 */
static void dma_get_range(const struct cvo_dma_tree *t, int bus_np, struct cvo_dma_info *di,
			  int *map_node)
{
	int node = bus_np;
	bool found = false;
	*map_node = -1;
	for (size_t guard = 0; node >= 0 && guard < MAX_WALK(t); guard++) {
		uint32_t f = t->nodes[node].flags;
		if (f & CVO_DN_DMA_RANGES_FULL)
			break;
		if (found && !(f & CVO_DN_DMA_RANGES))
			return; /* -ENODEV */
		found = true;
		node = dma_parent(t, node);
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
static bool iommus_in_effect(const struct cvo_dma_tree *t, int np, int *first)
{
	size_t n;
	const fdt32_t *c = getprop_cells(t, np, "iommus", &n, NULL);
	size_t cur = 0, entries = 0;
	*first = -1;
	while (c && cur < n) {
		uint32_t ph = fdt32_to_cpu(c[cur++]);
		int target = cvo_dma_tree_by_phandle(t, ph);
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
static bool iommu_map_in_effect(const struct cvo_dma_tree *t, int np, int *first)
{
	size_t n;
	const fdt32_t *c = getprop_cells(t, np, "iommu-map", &n, NULL);
	*first = -1;
	/* "Bad iommu-map length" unless a whole number of (rid, phandle, base, length) */
	if (!c || !n || n % 4)
		return false;
	for (size_t i = 0; i < n; i += 4) {
		int target = cvo_dma_tree_by_phandle(t, fdt32_to_cpu(c[i + 1]));
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
static void dma_is_coherent(const struct cvo_dma_tree *t, int np, struct cvo_dma_info *di)
{
	int node = np;
	for (size_t guard = 0; node >= 0 && guard < MAX_WALK(t); guard++) {
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
		node = dma_parent(t, node);
	}
	di->coherent = arch_default_coherent(t->m->platform);
	di->coherent_from_default = true;
	di->coherent_node = -1;
}

/* ------------------------------------------------------------------ the device */

/* of_dma_configure_id(dev, np, ...) for the device at idx configured through np. */
static void configure(const struct cvo_dma_tree *t, int idx, int np, bool pci,
		      struct cvo_dma_info *out, struct cvo_dma_extra *ex)
{
	/* with np not the device's own node the range walk starts at np itself */
	int bus_np = pci ? np : dma_parent(t, idx);
	ex->pci = pci;
	ex->config_node = t->nodes[np].off;
	if (bus_np >= 0)
		dma_get_range(t, bus_np, out, &ex->map_node);
	if (ex->map_node >= 0)
		ex->map_node = t->nodes[ex->map_node].off;

	const struct cvo_platform *p = t->m->platform;
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
	dma_is_coherent(t, np, out);
}

static int info_prepare(const struct cvo_dma_tree *t, int node, struct cvo_dma_info *out,
			struct cvo_dma_extra *ex)
{
	*ex = (struct cvo_dma_extra){.config_node = -1, .map_node = -1, .iommu_node = -1};
	memset(out, 0, sizeof(*out));
	out->coherent_node = -1;
	return cvo_dma_tree_index(t, node);
}

int cvo_dma_info_ex(const struct cvo_dma_tree *t, int node, struct cvo_dma_info *out,
		    struct cvo_dma_extra *x)
{
	struct cvo_dma_extra ex;
	int idx = info_prepare(t, node, out, &ex);
	if (idx >= 0) {
		/*
		 * pci_dma_configure(): a PCI function is configured with its host
		 * bridge's node (of_dma_configure_id(dev, bridge_np, true, &rid)).
		 */
		int np = idx;
		for (size_t guard = 0; guard < MAX_WALK(t); guard++) {
			int p = t->nodes[np].parent;
			if (p < 0 || !(t->nodes[p].flags & CVO_DN_PCI))
				break;
			np = p;
		}
		configure(t, idx, np, np != idx, out, &ex);
	}
	if (x)
		*x = ex;
	return idx >= 0 ? 0 : CVO_ERR_USAGE;
}

bool cvo_dma_is_pci_host(const struct cvo_dma_tree *t, int node)
{
	int idx = cvo_dma_tree_index(t, node);
	if (idx < 0 || !(t->nodes[idx].flags & CVO_DN_PCI))
		return false;
	int p = t->nodes[idx].parent;
	return p < 0 || !(t->nodes[p].flags & CVO_DN_PCI);
}

int cvo_dma_info_users(const struct cvo_dma_tree *t, int node, struct cvo_dma_info *out,
		       struct cvo_dma_extra *x)
{
	if (!cvo_dma_is_pci_host(t, node))
		return cvo_dma_info_ex(t, node, out, x);
	struct cvo_dma_extra ex;
	int idx = info_prepare(t, node, out, &ex);
	configure(t, idx, idx, true, out, &ex);
	if (x)
		*x = ex;
	return 0;
}

int cvo_dma_info_bus(const struct cvo_dma_tree *t, int bus, struct cvo_dma_info *out,
		     struct cvo_dma_extra *x)
{
	struct cvo_dma_extra ex;
	int idx = info_prepare(t, bus, out, &ex);
	if (idx >= 0) {
		ex.config_node = bus;
		dma_get_range(t, idx, out, &ex.map_node);
		if (ex.map_node >= 0)
			ex.map_node = t->nodes[ex.map_node].off;
		dma_is_coherent(t, idx, out);
	}
	if (x)
		*x = ex;
	return idx >= 0 ? 0 : CVO_ERR_USAGE;
}

int cvo_dma_info(const struct cvo_model *m, int node, struct cvo_dma_info *out)
{
	memset(out, 0, sizeof(*out));
	out->coherent_node = -1;
	const struct cvo_dma_tree *t = cvo_dma_tree_of(m);
	if (!t)
		return CVO_ERR_NOMEM;
	return cvo_dma_info_ex(t, node, out, NULL);
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

/* ------------------------------------------------------------------ ZONE_DMA */

uint64_t cvo_dma_tree_max_cpu_address(const struct cvo_dma_tree *t, int *min_idx)
{
	uint64_t max_cpu = UINT64_MAX; /* PHYS_ADDR_MAX, inclusive */
	if (min_idx)
		*min_idx = -1;
	for (size_t i = 0; i < t->n; i++) {
		const struct cvo_dma_node *d = &t->nodes[i];
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
	const struct cvo_dma_tree *t = cvo_dma_tree_of(m);
	return t ? cvo_dma_tree_max_cpu_address(t, NULL) : UINT64_MAX;
}

/* ------------------------------------------------------------------ arm32 lowmem */

/* arch/arm/mm/mmu.c adjust_lowmem_bounds(): lowmem is the vmalloc limit above PHYS_OFFSET
 * (CVO_ARM_LOWMEM_SIZE in lib/kernel.h). */
uint64_t cvo_arm_lowmem_limit(const struct cvo_model *m)
{
	uint64_t start, end;
	cvo_ram_bounds(m, &start, &end);
	if (!end)
		return 0;
	uint64_t vlimit = (start & ~(CVO_ARM_PHYS_OFFSET_ALIGN - 1)) +
			  cvo_rules_for(m->platform).arm_lowmem_size;
	/* lowmem ends at the vmalloc limit, or at the end of the last block below it */
	uint64_t low = 0;
	for (size_t i = 0; i < m->n_banks; i++) {
		uint64_t b = m->banks[i].base, e = cvo_range_last(b, m->banks[i].size);
		if (b >= vlimit || !m->banks[i].size)
			continue;
		e = e >= vlimit - 1 ? vlimit : e + 1;
		if (e > low)
			low = e;
	}
	return low;
}

/* ------------------------------------------------------------------ for the checks */

const struct cvo_consumer *cvo_consumer_of(const struct cvo_model *m, int node)
{
	for (size_t i = 0; i < m->n_consumers; i++)
		if (m->consumers[i].node == node)
			return &m->consumers[i];
	return NULL;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

int cvo_dma_devices(const struct cvo_dma_tree *t, struct cvo_dma_dev **out, size_t *n)
{
	const struct cvo_platform *p = t->m->platform;
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
		if (!cvo_dma_tree_live(t, cand[i]))
			continue;
		const struct cvo_platform_device *d = cvo_platform_device_for(p, t->fdt, cand[i]);
		if (!d)
			continue;
		struct cvo_dma_dev *e = &v[k];
		e->node = cand[i];
		if (cvo_dma_info_ex(t, cand[i], &e->di, &e->x))
			continue;
		e->pdev = d;
		e->consumer = cvo_consumer_of(t->m, cand[i]);
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

bool cvo_region_scanned(const struct cvo_model *m, const struct cvo_region *r)
{
	return r->node >= 0 && (size_t)(r - m->regions) < m->n_rmem && r->available &&
	       m->rmem_format_ok;
}

bool cvo_region_span(const struct cvo_region *r, uint64_t *base, uint64_t *size)
{
	if (r->has_base && r->placed_size) {
		*base = r->base;
		*size = r->placed_size;
		return true;
	}
	if (r->is_static && r->reg_len_ok && r->n_regs && r->regs[0].size) {
		*base = r->regs[0].base;
		*size = r->regs[0].size;
		return true;
	}
	return false;
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

bool cvo_region_alive(const struct cvo_region *r)
{
	/* a no-map region that met -EBUSY stays in the kernel's table and is initialised
	 * (fdt_init_reserved_mem()): its devices get it unless its handler refused it */
	if (r->available && r->status == CVO_STATUS_FAILED && r->nomap_busy && !r->refused)
		return true;
	return r->available && r->status != CVO_STATUS_FAILED && r->status != CVO_STATUS_IGNORED &&
	       r->status != CVO_STATUS_DISABLED;
}

const struct cvo_region *cvo_consumer_own_cma(const struct cvo_model *m,
					      const struct cvo_consumer *c)
{
	/* rmem_cma_device_init(): dev->cma_area; a later CMA entry replaces an earlier one */
	const struct cvo_region *own = NULL;
	for (size_t i = 0; c && i < c->n; i++) {
		if (c->targets[i] < 0)
			continue;
		const struct cvo_region *r = &m->regions[c->targets[i]];
		if (cvo_region_scanned(m, r) && cvo_region_alive(r) && cvo_region_is_cma(m, r))
			own = r;
	}
	return own;
}

void cvo_ram_bounds(const struct cvo_model *m, uint64_t *start, uint64_t *end)
{
	*start = *end = 0;
	for (size_t i = 0; i < m->n_banks; i++) {
		uint64_t b = m->banks[i].base, e;
		if (!cvo_range_end(b, m->banks[i].size, &e))
			e = UINT64_MAX;
		e = e == UINT64_MAX ? UINT64_MAX : e + 1;
		if (i == 0 || b < *start)
			*start = b;
		if (e > *end)
			*end = e;
	}
}

uint64_t cvo_ram_bytes(const struct cvo_model *m, uint64_t base, uint64_t size)
{
	if (!size)
		return 0;
	uint64_t last = cvo_range_last(base, size), total = 0;
	for (size_t i = 0; i < m->n_banks; i++) {
		uint64_t b = m->banks[i].base, bl = cvo_range_last(b, m->banks[i].size);
		if (!m->banks[i].size || bl < base || b > last)
			continue;
		uint64_t lo = b > base ? b : base, hi = bl < last ? bl : last;
		total += hi - lo + 1;
	}
	return total;
}

/* The pages of [base, base+size) the page allocator can hand out, from region index `from`
 * on: a no-map region is not in it (memblock_mark_nomap()). */
static bool reaches_pages_from(const struct cvo_model *m, const struct cvo_dma_info *di,
			       uint64_t base, uint64_t size, size_t from)
{
	for (size_t i = from; i < m->n_rmem; i++) {
		const struct cvo_region *r = &m->regions[i];
		uint64_t rb, rs;
		if (!r->no_map || !cvo_region_scanned(m, r) || !cvo_region_alive(r) ||
		    !cvo_region_span(r, &rb, &rs) || !rs || !cvo_ranges_overlap(base, size, rb, rs))
			continue;
		uint64_t last = cvo_range_last(base, size), rl = cvo_range_last(rb, rs);
		if (rb > base && !reaches_pages_from(m, di, base, rb - base, i + 1))
			return false;
		if (rl < last && !reaches_pages_from(m, di, rl + 1, last - rl, i + 1))
			return false;
		return true;
	}
	return cvo_dma_reachable(di, base, size);
}

bool cvo_dma_reaches_pages(const struct cvo_model *m, const struct cvo_dma_info *di,
			   uint64_t base, uint64_t size)
{
	return reaches_pages_from(m, di, base, size, 0);
}

bool cvo_dma_reaches_all_ram(const struct cvo_model *m, const struct cvo_dma_info *di)
{
	for (size_t i = 0; i < m->n_banks; i++)
		if (m->banks[i].size &&
		    !cvo_dma_reaches_pages(m, di, m->banks[i].base, m->banks[i].size))
			return false;
	return true;
}

const char *cvo_platform_origin(const struct cvo_platform *p, char *buf, size_t len)
{
	if (!p)
		snprintf(buf, len, "the default profile");
	else if (p->file && !strcmp(p->file, "builtin"))
		snprintf(buf, len, "the %s profile (Debian's kernel)",
			 p->name ? p->name : "generic");
	else
		snprintf(buf, len, "platform %s", p->name ? p->name : "?");
	return buf;
}

const char *cvo_fmt_addr(uint64_t v, char *buf, size_t len)
{
	snprintf(buf, len, "0x%08llx", (unsigned long long)v);
	return buf;
}
