// SPDX-License-Identifier: MIT
/*
 * The tree index (lib/tree.h): one walk of the structure block recording every
 * node's offset, parent, depth, name, phandle, inherited cell counts and the
 * properties the DMA model asks about.
 */
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "tree.h"

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

static uint32_t be32_at(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

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

/* Private bits while building: the node has its own #address-cells / #size-cells. */
#define DN_OWN_AC (1u << 30)
#define DN_OWN_SC (1u << 31)

/* Per open node while walking: where it is and what its properties said. */
struct open_node {
	int idx;
	bool has_ac, has_sc;
	bool ph_ok, lph_ok; /* a 4-byte phandle / linux,phandle was read */
	uint32_t ph, lph;
	uint32_t seen; /* the prop_ids met: fdt_getprop() finds the first of a name */
	bool sub;      /* a subnode began: fdt_getprop() sees no property after it */
};

/* What one FDT_PROP tag tells the index about its node. */
static void note_prop(struct cvo_tree_node *d, struct open_node *o, enum prop_id id, const char *v,
		      int len)
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
		if ((o->ph_ok = len == 4))
			o->ph = be32_at((const uint8_t *)v);
		break;
	case P_LINUX_PHANDLE:
		if ((o->lph_ok = len == 4))
			o->lph = be32_at((const uint8_t *)v);
		break;
	case P_ADDR_CELLS:
		/* of_property_read_u32(): any length of at least one cell */
		if (len >= 4) {
			d->ac = be32_at((const uint8_t *)v);
			o->has_ac = true;
		}
		break;
	case P_SIZE_CELLS:
		if (len >= 4) {
			d->sc = be32_at((const uint8_t *)v);
			o->has_sc = true;
		}
		break;
	case P_COUNT:
		break;
	}
}

static int cmp_ph(const void *a, const void *b)
{
	const struct cvo_tree_phandle *x = a, *y = b;
	if (x->phandle != y->phandle)
		return x->phandle < y->phandle ? -1 : 1;
	return x->idx - y->idx;
}

void cvo_tree_free(struct cvo_tree *t)
{
	if (!t)
		return;
	free(t->nodes);
	free(t->ph);
	free(t);
}

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

int cvo_tree_new(const void *fdt, struct cvo_tree **out)
{
	*out = NULL;
	struct cvo_tree *t = calloc(1, sizeof(*t));
	if (!t)
		return CVO_ERR_NOMEM;
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
			struct cvo_tree_node *d = &t->nodes[t->n];
			memset(d, 0, sizeof(*d));
			d->off = e.at;
			d->parent = depth ? stack[depth - 1].idx : -1;
			d->flags = CVO_DN_OKAY;
			if (node_name_is(e.name, "pcie"))
				d->flags |= CVO_DN_PCI; /* of_node_is_pcie() */
			if (node_name_is(e.name, "isa"))
				d->flags |= CVO_DN_ISA;
			d->depth = (uint32_t)depth;
			d->name = e.name;
			if (depth)
				stack[depth - 1].sub = true;
			stack[depth++] = (struct open_node){.idx = (int)t->n};
			t->n++;
		} else if (tag == FDT_END_NODE) {
			if (!depth) {
				r = CVO_ERR_INVALID;
				goto fail;
			}
			depth--;
			struct open_node *o = &stack[depth];
			struct cvo_tree_node *d = &t->nodes[o->idx];
			/* inherited cell counts are filled in after the walk */
			if (o->has_ac)
				d->flags |= DN_OWN_AC;
			if (o->has_sc)
				d->flags |= DN_OWN_SC;
			/* fdt_get_phandle(): "phandle", else "linux,phandle", 4 bytes each */
			uint32_t ph = o->ph_ok ? o->ph : o->lph_ok ? o->lph : 0;
			if (ph && ph != 0xffffffffu) {
				if ((r = cvo_grow(&t->ph, &cap_ph, t->n_ph, sizeof(*t->ph))))
					goto fail;
				t->ph[t->n_ph++] = (struct cvo_tree_phandle){ph, o->idx};
			}
			d->phandle = ph;
		} else if (tag == FDT_PROP && depth && !stack[depth - 1].sub) {
			for (size_t k = 0; k < nkeys; k++) {
				if (keys[k].nameoff != e.nameoff)
					continue;
				struct open_node *o = &stack[depth - 1];
				uint32_t bit = 1u << keys[k].id;
				if (!(o->seen & bit))
					note_prop(&t->nodes[o->idx], o, keys[k].id, e.data, e.len);
				o->seen |= bit;
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
		struct cvo_tree_node *d = &t->nodes[i];
		const struct cvo_tree_node *p = d->parent >= 0 ? &t->nodes[d->parent] : NULL;
		/* of_bus_n_addr_cells() walks up to the first node that has the property */
		if (!(d->flags & DN_OWN_AC))
			d->ac = p ? p->ac : CVO_ROOT_ADDR_CELLS_DEFAULT;
		if (!(d->flags & DN_OWN_SC))
			d->sc = p ? p->sc : CVO_ROOT_SIZE_CELLS_DEFAULT;
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
	cvo_tree_free(t);
	return r;
}

int cvo_tree_index(const struct cvo_tree *t, int node)
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

int cvo_tree_by_phandle(const struct cvo_tree *t, uint32_t phandle)
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

bool cvo_tree_live(const struct cvo_tree *t, int node)
{
	int i = cvo_tree_index(t, node);
	return i >= 0 && (t->nodes[i].flags & CVO_DN_LIVE);
}


const fdt32_t *cvo_tree_getprop_cells(const struct cvo_tree *t, int idx, const char *name,
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

char *cvo_tree_path(const struct cvo_tree *t, int idx)
{
	/* fdt_get_path(): "/" for the root, the root's own name left out */
	size_t len = 0;
	for (int i = idx; t->nodes[i].parent >= 0; i = t->nodes[i].parent)
		len += 1 + strlen(t->nodes[i].name);
	char *p = malloc(len ? len + 1 : 2);
	if (!p)
		return NULL;
	if (!len) {
		memcpy(p, "/", 2);
		return p;
	}
	p[len] = '\0';
	for (int i = idx; t->nodes[i].parent >= 0; i = t->nodes[i].parent) {
		size_t n = strlen(t->nodes[i].name);
		len -= n;
		memcpy(p + len, t->nodes[i].name, n);
		p[--len] = '/';
	}
	return p;
}
