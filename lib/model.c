// SPDX-License-Identifier: MIT
/*
 * The model of a device tree as the kernel's early boot code reads it:
 * root cells, /memory banks, /memreserve/, the initrd, every /reserved-memory
 * child and every memory-region consumer.
 */
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "address.h"
#include "tree.h"
#include "util.h"

const char *cvo_kind_name(enum cvo_kind kind)
{
	switch (kind) {
	case CVO_KIND_RESERVED: return "reserved";
	case CVO_KIND_CMA: return "cma";
	case CVO_KIND_COHERENT_POOL: return "coherent-pool";
	case CVO_KIND_RESTRICTED_POOL: return "restricted-pool";
	case CVO_KIND_MEMRESERVE: return "memreserve";
	case CVO_KIND_PLATFORM: return "platform";
	}
	return "?";
}

const char *cvo_status_name(enum cvo_status status)
{
	switch (status) {
	case CVO_STATUS_UNPLACED: return "unplaced";
	case CVO_STATUS_PLACED: return "placed";
	case CVO_STATUS_FAILED: return "failed";
	case CVO_STATUS_IGNORED: return "ignored";
	case CVO_STATUS_DISABLED: return "disabled";
	}
	return "?";
}

static void region_fini(struct cvo_region *r)
{
	free(r->path);
	free(r->regs);
	free(r->alloc_ranges);
}

void cvo_model_free(struct cvo_model *m)
{
	if (!m)
		return;
	cvo_tree_free(m->tree);
	for (size_t i = 0; i < m->n_regions; i++)
		region_fini(&m->regions[i]);
	for (size_t i = 0; i < m->n_consumers; i++) {
		free(m->consumers[i].path);
		free(m->consumers[i].phandles);
		free(m->consumers[i].targets);
		free(m->consumers[i].target_nodes);
	}
	free(m->regions);
	free(m->consumers);
	free(m->banks);
	free(m->memreserve);
	free(m);
}

static int cmp_range(const void *a, const void *b)
{
	const struct cvo_range *x = a, *y = b;
	if (x->base != y->base)
		return x->base < y->base ? -1 : 1;
	return x->size < y->size ? -1 : x->size > y->size;
}

/* memblock_add() merges overlapping and adjacent ranges. */
static void merge_banks(struct cvo_model *m)
{
	if (!m->n_banks)
		return;
	qsort(m->banks, m->n_banks, sizeof(*m->banks), cmp_range);
	size_t o = 0;
	for (size_t i = 1; i < m->n_banks; i++) {
		struct cvo_range *a = &m->banks[o], *b = &m->banks[i];
		uint64_t alast = cvo_range_last(a->base, a->size);
		if (b->base <= alast || (alast != UINT64_MAX && b->base == alast + 1)) {
			uint64_t blast = cvo_range_last(b->base, b->size);
			if (blast > alast)
				a->size = blast - a->base + 1; /* may be 0 for the full 2^64: not reachable */
		} else {
			m->banks[++o] = *b;
		}
	}
	m->n_banks = o + 1;
}

static int add_bank(struct cvo_model *m, size_t *cap, uint64_t base, uint64_t size)
{
	if (cvo_grow(&m->banks, cap, m->n_banks, sizeof(*m->banks)))
		return CVO_ERR_NOMEM;
	m->banks[m->n_banks++] = (struct cvo_range){ base, size };
	return 0;
}

/*
 * early_init_dt_add_memory_arch() (drivers/of/fdt.c): banks smaller than a
 * page are dropped, edges trimmed to pages, and what lies above the largest
 * physical address the kernel's phys_addr_t holds is cut.
 */
static int add_memory_arch(struct cvo_model *m, size_t *cap, uint64_t base, uint64_t size,
			   uint64_t page, uint64_t max_addr)
{
	uint64_t off = base & (page - 1);
	if (size < page - off)
		return 0;
	if (off) {
		size -= page - off;
		base += page - off;
	}
	size &= ~(page - 1);
	if (!size || base > max_addr)
		return 0;
	uint64_t last;
	if (!cvo_range_end(base, size, &last) || last > max_addr)
		size = max_addr - base + 1;
	if (!size)
		return 0;
	return add_bank(m, cap, base, size);
}

static uint64_t page_size_of(const struct cvo_platform *p)
{
	return p && p->page_size ? p->page_size : 4096;
}

/* MAX_MEMBLOCK_ADDR: phys_addr_t is 32 bits on arm without LPAE (Debian's armmp). */
static uint64_t max_phys(const struct cvo_platform *p)
{
	return cvo_platform_phys_max(p);
}

/*
 * The children of / from the tree index (m->tree), so that finding one does not
 * walk the structure block: libfdt finds a node by walking every tag before it.
 */
struct tree_scan {
	int *root_children;	/* offsets of the nodes at depth 1, in DT order */
	size_t n_root;
};

static int root_child(const void *fdt, const struct tree_scan *ts, const char *name);
static int find_region(const struct cvo_model *m, int node);

/* RAM given by the caller or the platform file, in place of /memory. */
static int given_memory(struct cvo_model *m, size_t *cap, const struct cvo_range *v, size_t n)
{
	uint64_t page = page_size_of(m->platform);
	for (size_t i = 0; i < n; i++) {
		int r = add_memory_arch(m, cap, v[i].base, v[i].size, page, max_phys(m->platform));
		if (r)
			return r;
	}
	merge_banks(m);
	return 0;
}

/* early_init_dt_scan_memory(): direct children of / with device_type "memory". */
static int scan_memory(struct cvo_model *m, const void *fdt, const struct tree_scan *ts,
		       const struct cvo_model_opts *opts)
{
	size_t cap = 0;
	uint64_t page = page_size_of(m->platform);
	if (opts && opts->n_memory) {
		m->memory_source = CVO_MEMORY_OPTION;
		return given_memory(m, &cap, opts->memory, opts->n_memory);
	}
	if (m->platform && m->platform->n_memory) {
		m->memory_source = CVO_MEMORY_PLATFORM;
		return given_memory(m, &cap, m->platform->memory, m->platform->n_memory);
	}
	uint32_t ac = m->root_addr_cells, sc = m->root_size_cells;
	if (!m->root_cells_ok)
		return 0;
	for (size_t i = 0; i < ts->n_root; i++) {
		int node = ts->root_children[i], len;
		const char *type = fdt_getprop(fdt, node, "device_type", &len);
		if (!type || len <= 0 || type[len - 1] != '\0' || strcmp(type, "memory"))
			continue;
		if (!cvo_fdt_available(fdt, node))
			continue;
		const uint8_t *reg = fdt_getprop(fdt, node, "linux,usable-memory", &len);
		if (!reg || len <= 0)
			reg = fdt_getprop(fdt, node, "reg", &len);
		if (!reg || len <= 0)
			continue;
		size_t entry = 4 * ((size_t)ac + sc);
		for (size_t off = 0; off + entry <= (size_t)len; off += entry) {
			uint64_t base = cvo_read_cells(reg + off, ac);
			uint64_t size = cvo_read_cells(reg + off + 4 * ac, sc);
			if (!size)
				continue;
			int r = add_memory_arch(m, &cap, base, size, page, max_phys(m->platform));
			if (r)
				return r;
		}
	}
	merge_banks(m);
	if (m->n_banks)
		m->memory_source = CVO_MEMORY_DT;
	return 0;
}

/* Remove [base, base+size) from the (sorted, merged) banks. */
static int cut_banks(struct cvo_model *m, uint64_t base, uint64_t size)
{
	uint64_t last = cvo_range_last(base, size);
	size_t n = m->n_banks;
	struct cvo_range *v = calloc(2 * n + 1, sizeof(*v));
	if (!v)
		return CVO_ERR_NOMEM;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t b = m->banks[i].base, l = cvo_range_last(b, m->banks[i].size);
		if (l < base || b > last) {
			v[o++] = m->banks[i];
			continue;
		}
		if (b < base)
			v[o++] = (struct cvo_range){ b, base - b };
		if (l > last)
			v[o++] = (struct cvo_range){ last + 1, l - last };
	}
	free(m->banks);
	m->banks = v;
	m->n_banks = o;
	return 0;
}

/*
 * A /memory the firmware rewrites before Linux sees it. Two signs: the root compatible of
 * a board whose firmware is known to do it (the Raspberry Pi firmware fills in the ARM's
 * share of RAM: bcm2711-rpi.dtsi and bcm2712-rpi-5-b.dts say "Will be filled by the
 * bootloader"), or a bank that reaches into the MMIO window of a bus's ranges without
 * containing it (the RPi 3's 1 GiB over its /soc window at 0x3f000000): no RAM can be
 * there, so that part is cut from the banks.
 */
static int find_placeholder(struct cvo_model *m, const void *fdt, const struct tree_scan *ts)
{
	m->placeholder_bus = -1;
	if (m->memory_source != CVO_MEMORY_DT)
		return 0;
	int clen;
	const char *compat = fdt_getprop(fdt, 0, "compatible", &clen);
	for (int o = 0; compat && clen > 0 && o < clen; o += (int)strnlen(compat + o, clen - o) + 1) {
		if (clen - o > 12 && !strncmp(compat + o, "raspberrypi,", 12)) {
			m->memory_placeholder = true;
			m->placeholder_firmware = "the Raspberry Pi firmware";
		}
	}
	for (size_t i = 0; i < ts->n_root; i++) {
		int node = ts->root_children[i], len;
		if (node == m->rmem_node || !cvo_fdt_available(fdt, node))
			continue;
		const uint8_t *rg = fdt_getprop(fdt, node, "ranges", &len);
		uint32_t na, ns;
		if (!rg || len <= 0 || !cvo_fdt_u32(fdt, node, "#address-cells", &na) ||
		    !cvo_fdt_u32(fdt, node, "#size-cells", &ns) || na > 3 || ns > 2 || !ns)
			continue;
		size_t entry = 4 * ((size_t)na + m->root_addr_cells + ns);
		for (size_t off = 0; off + entry <= (size_t)len; off += entry) {
			uint64_t cpu = cvo_read_cells(rg + off + 4 * na, m->root_addr_cells);
			uint64_t size = cvo_read_cells(rg + off + 4 * ((size_t)na + m->root_addr_cells),
						       ns);
			if (!size)
				continue;
			uint64_t wl = cvo_range_last(cpu, size);
			for (size_t k = 0; k < m->n_banks; k++) {
				uint64_t b = m->banks[k].base, l = cvo_range_last(b, m->banks[k].size);
				if (wl < b || cpu > l || (cpu <= b && wl >= l) || size >= m->banks[k].size)
					continue;
				uint64_t lo = cpu > b ? cpu : b, hi = wl < l ? wl : l;
				/* only a window at the edge of the bank: one in the middle is a
				 * shared-memory window in DRAM (amlogic c3 sram@7f50e00) */
				if (lo != b && hi != l)
					continue;
				m->memory_placeholder = true;
				m->placeholder_bus = node;
				m->placeholder_cut = (struct cvo_range){ lo, hi - lo + 1 };
				return cut_banks(m, lo, hi - lo + 1);
			}
		}
	}
	return 0;
}

/* An M-profile arm: only ARMv7-M kernels (ARM_SINGLE_ARMV7M, !MMU) have the NVIC driver
 * (drivers/irqchip/irq-nvic.c, "arm,armv7m-nvic"). */
static bool find_no_mmu(const struct cvo_model *m, const void *fdt)
{
	if (m->platform && m->platform->arch != CVO_ARCH_ARM)
		return false;
	return fdt_node_offset_by_compatible(fdt, -1, "arm,armv7m-nvic") >= 0;
}

/* Every label of __symbols__ that names a /reserved-memory child: an overlay can point a
 * memory-region at it. */
static void scan_symbols(struct cvo_model *m, const void *fdt, const struct tree_scan *ts)
{
	int sym = root_child(fdt, ts, "__symbols__");
	if (sym < 0 || !m->n_rmem)
		return;
	int prop;
	fdt_for_each_property_offset(prop, fdt, sym) {
		int len;
		const char *path = fdt_getprop_by_offset(fdt, prop, NULL, &len);
		if (!path || len <= 1 || path[len - 1] != '\0' || path[0] != '/')
			continue;
		int node = fdt_path_offset(fdt, path);
		int r = node >= 0 ? find_region(m, node) : -1;
		if (r >= 0)
			m->regions[r].has_symbol = true;
	}
}

/* early_init_fdt_scan_reserved_mem(): the header entries up to the first of size 0. */
static int scan_memreserve(struct cvo_model *m, const void *fdt)
{
	int n = fdt_num_mem_rsv(fdt);
	if (n <= 0)
		return 0;
	m->memreserve = calloc((size_t)n, sizeof(*m->memreserve));
	if (!m->memreserve)
		return CVO_ERR_NOMEM;
	for (int i = 0; i < n; i++) {
		uint64_t base, size;
		if (fdt_get_mem_rsv(fdt, i, &base, &size) || !size)
			break;
		m->memreserve[m->n_memreserve++] = (struct cvo_range){ base, size };
	}
	return 0;
}

/*
 * The child of / that fdt_path_offset(fdt, "/NAME") finds: the first whose
 * name is NAME, or NAME@unit-address (fdt_nodename_eq_()). -1 when none.
 */
static int root_child(const void *fdt, const struct tree_scan *ts, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < ts->n_root; i++) {
		const char *p = fdt_get_name(fdt, ts->root_children[i], NULL);
		if (p && !strncmp(p, name, n) && (p[n] == '\0' || p[n] == '@'))
			return ts->root_children[i];
	}
	return -1;
}

/* early_init_dt_check_for_initrd(): linux,initrd-start/-end of 1 or 2 cells. */
static void scan_initrd(struct cvo_model *m, const void *fdt, const struct tree_scan *ts)
{
	int node = root_child(fdt, ts, "chosen");
	if (node < 0)
		return;
	int ls, le;
	const void *s = fdt_getprop(fdt, node, "linux,initrd-start", &ls);
	const void *e = fdt_getprop(fdt, node, "linux,initrd-end", &le);
	if (!s || !e || (ls != 4 && ls != 8) || (le != 4 && le != 8))
		return;
	uint64_t start = cvo_read_cells(s, (uint32_t)ls / 4);
	uint64_t end = cvo_read_cells(e, (uint32_t)le / 4);
	if (end <= start)
		return;
	m->has_initrd = true;
	m->initrd = (struct cvo_range){ start, end - start };
}

static bool getbool(const void *fdt, int node, const char *name)
{
	return fdt_getprop(fdt, node, name, NULL) != NULL;
}

static int read_ranges(const uint8_t *p, int len, uint32_t ac, uint32_t sc,
		       struct cvo_range **out, size_t *n)
{
	size_t entry = 4 * ((size_t)ac + sc);
	if (!entry || len <= 0)
		return 0;
	size_t cnt = (size_t)len / entry;
	if (!cnt)
		return 0;
	*out = calloc(cnt, sizeof(**out));
	if (!*out)
		return CVO_ERR_NOMEM;
	for (size_t i = 0; i < cnt; i++) {
		(*out)[i].base = cvo_read_cells(p + i * entry, ac);
		(*out)[i].size = cvo_read_cells(p + i * entry + 4 * ac, sc);
	}
	*n = cnt;
	return 0;
}

static int read_region(struct cvo_model *m, const void *fdt, int node, const char *parent_path,
		       struct cvo_region *r)
{
	uint32_t ac = m->root_addr_cells, sc = m->root_size_cells;
	int len;
	const char *name = fdt_get_name(fdt, node, &len);
	if (!name)
		name = "";
	r->path = cvo_asprintf("%s/%s", parent_path, name);
	if (!r->path)
		return CVO_ERR_NOMEM;
	r->name = strrchr(r->path, '/') + 1;
	r->node = node;
	r->available = cvo_fdt_available(fdt, node);
	r->no_map = getbool(fdt, node, "no-map");
	r->reusable = getbool(fdt, node, "reusable");
	r->cma_default = getbool(fdt, node, "linux,cma-default");
	r->dma_default = getbool(fdt, node, "linux,dma-default");
	r->has_compatible = getbool(fdt, node, "compatible");
	r->compat_shared_dma_pool = cvo_fdt_compatible(fdt, node, "shared-dma-pool");
	r->compat_restricted_dma_pool = cvo_fdt_compatible(fdt, node, "restricted-dma-pool");
	uint32_t ph;
	if (cvo_fdt_u32(fdt, node, "phandle", &ph) || cvo_fdt_u32(fdt, node, "linux,phandle", &ph))
		r->phandle = ph;

	if (r->compat_restricted_dma_pool)
		r->kind = CVO_KIND_RESTRICTED_POOL;
	else if (r->compat_shared_dma_pool)
		r->kind = r->reusable ? CVO_KIND_CMA : CVO_KIND_COHERENT_POOL;
	else
		r->kind = CVO_KIND_RESERVED;

	size_t entry = m->root_cells_ok ? 4 * ((size_t)ac + sc) : 0;
	const uint8_t *p = fdt_getprop(fdt, node, "reg", &len);
	r->reg_bytes = p ? len : -1;
	if (p) {
		r->has_reg = true;
		r->is_static = true;
		/* __reserved_mem_reserve_reg(): len % t_len != 0 skips the node */
		r->reg_len_ok = entry && len > 0 && (size_t)len % entry == 0;
		if (r->reg_len_ok && read_ranges(p, len, ac, sc, &r->regs, &r->n_regs))
			return CVO_ERR_NOMEM;
	}
	p = fdt_getprop(fdt, node, "size", &len);
	if (p) {
		r->has_size = true;
		/* __reserved_mem_alloc_size(): len must be dt_root_size_cells cells */
		r->size_len_ok = m->root_cells_ok && (size_t)len == 4 * (size_t)sc;
		if (r->size_len_ok)
			r->size = cvo_read_cells(p, sc);
	}
	p = fdt_getprop(fdt, node, "alignment", &len);
	if (p) {
		r->has_alignment = true;
		/* the kernel reads alignment with dt_root_addr_cells (the binding says size cells) */
		r->alignment_len_ok = m->root_cells_ok && (size_t)len == 4 * (size_t)ac;
		if (r->alignment_len_ok)
			r->alignment = cvo_read_cells(p, ac);
	}
	p = fdt_getprop(fdt, node, "alloc-ranges", &len);
	if (p) {
		r->has_alloc_ranges = true;
		r->alloc_ranges_len_ok = entry && (size_t)len % entry == 0;
		if (r->alloc_ranges_len_ok &&
		    read_ranges(p, len, ac, sc, &r->alloc_ranges, &r->n_alloc_ranges))
			return CVO_ERR_NOMEM;
	}
	return 0;
}

/* __reserved_mem_check_root() */
static bool rmem_root_ok(const struct cvo_model *m, const void *fdt, int node)
{
	uint32_t v;
	if (!cvo_fdt_u32(fdt, node, "#size-cells", &v) || v != m->root_size_cells)
		return false;
	if (!cvo_fdt_u32(fdt, node, "#address-cells", &v) || v != m->root_addr_cells)
		return false;
	return cvo_fdt_has(fdt, node, "ranges");
}

static int scan_reserved_memory(struct cvo_model *m, const void *fdt, const struct tree_scan *ts,
				size_t *cap)
{
	m->rmem_node = root_child(fdt, ts, "reserved-memory");
	if (m->rmem_node < 0) {
		m->rmem_node = -1;
		return 0;
	}
	m->rmem_format_ok = m->root_cells_ok && rmem_root_ok(m, fdt, m->rmem_node);
	char *ppath = cvo_asprintf("/%s", fdt_get_name(fdt, m->rmem_node, NULL));
	if (!ppath)
		return CVO_ERR_NOMEM;
	int child, r = 0;
	fdt_for_each_subnode(child, fdt, m->rmem_node) {
		if ((r = cvo_grow(&m->regions, cap, m->n_regions, sizeof(*m->regions))))
			break;
		struct cvo_region *reg = &m->regions[m->n_regions];
		memset(reg, 0, sizeof(*reg));
		reg->index = (int)m->n_regions;
		m->n_regions++;
		if ((r = read_region(m, fdt, child, ppath, reg)))
			break;
	}
	free(ppath);
	m->n_rmem = m->n_regions;
	return r;
}

static int add_fixed_region(struct cvo_model *m, size_t *cap, enum cvo_kind kind, char *path,
			    uint64_t base, uint64_t size)
{
	if (!path || cvo_grow(&m->regions, cap, m->n_regions, sizeof(*m->regions))) {
		free(path);
		return CVO_ERR_NOMEM;
	}
	struct cvo_region *r = &m->regions[m->n_regions];
	memset(r, 0, sizeof(*r));
	r->path = path;
	r->name = strrchr(path, '/') + 1;
	r->node = -1;
	r->index = (int)m->n_regions;
	r->kind = kind;
	r->available = true;
	r->is_static = true;
	r->has_reg = true;
	r->reg_len_ok = true;
	r->reg_bytes = -1;
	r->regs = malloc(sizeof(*r->regs));
	if (!r->regs) {
		free(path);
		return CVO_ERR_NOMEM;
	}
	r->regs[0] = (struct cvo_range){ base, size };
	r->n_regs = 1;
	m->n_regions++;
	return 0;
}

static int find_region(const struct cvo_model *m, int node)
{
	size_t lo = 0, hi = m->n_rmem;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (m->regions[mid].node < node)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->n_rmem && m->regions[lo].node == node ? (int)lo : -1;
}

int cvo_model_region_by_node(const struct cvo_model *m, int node)
{
	return find_region(m, node);
}

/* A new consumer for node, whose memory-region is mr (len bytes); it takes path. */
static int add_consumer(struct cvo_model *m, size_t *cap, const void *fdt, int node, char *path,
			const void *mr, int len, bool has_names)
{
	if (cvo_grow(&m->consumers, cap, m->n_consumers, sizeof(*m->consumers)))
		return CVO_ERR_NOMEM;
	struct cvo_consumer *c = &m->consumers[m->n_consumers];
	memset(c, 0, sizeof(*c));
	m->n_consumers++;
	c->node = node;
	c->path = path;
	c->cells_ok = len % 4 == 0;
	c->n = (size_t)len / 4;
	c->n_names = has_names ? fdt_stringlist_count(fdt, node, "memory-region-names") : -1;
	if (!c->path)
		return CVO_ERR_NOMEM;
	if (c->n) {
		c->phandles = calloc(c->n, sizeof(*c->phandles));
		c->targets = calloc(c->n, sizeof(*c->targets));
		c->target_nodes = calloc(c->n, sizeof(*c->target_nodes));
		if (!c->phandles || !c->targets || !c->target_nodes)
			return CVO_ERR_NOMEM;
		for (size_t i = 0; i < c->n; i++)
			c->phandles[i] = (uint32_t)cvo_read_cells((const uint8_t *)mr + 4 * i, 1);
	}
	return 0;
}

/*
 * The children of / and every memory-region consumer with its path, from the
 * tree index: its walk saw what fdt_getprop() sees (the properties before a
 * node's first subnode, the first of a name).
 */
static int scan_tree(struct cvo_model *m, const void *fdt, struct tree_scan *ts)
{
	const struct cvo_tree *t = m->tree;
	size_t n_root = 0, capc = 0;
	for (size_t i = 0; i < t->n; i++)
		n_root += t->nodes[i].depth == 1;
	ts->root_children = calloc(n_root ? n_root : 1, sizeof(*ts->root_children));
	if (!ts->root_children)
		return CVO_ERR_NOMEM;
	for (size_t i = 0; i < t->n; i++) {
		const struct cvo_tree_node *d = &t->nodes[i];
		if (d->depth == 1)
			ts->root_children[ts->n_root++] = d->off;
		if (!(d->flags & CVO_DN_MEMORY_REGION))
			continue;
		int len;
		const void *mr = fdt_getprop(fdt, d->off, "memory-region", &len);
		if (!mr)
			continue;
		bool has_names = fdt_getprop(fdt, d->off, "memory-region-names", NULL) != NULL;
		int r = add_consumer(m, &capc, fdt, d->off, cvo_tree_path(t, (int)i), mr, len,
				     has_names);
		if (r)
			return r;
	}
	return 0;
}

/* Resolve every consumer's phandles to nodes and regions. */
static void resolve_consumers(struct cvo_model *m)
{
	const struct cvo_tree *t = m->tree;
	for (size_t k = 0; k < m->n_consumers; k++) {
		struct cvo_consumer *c = &m->consumers[k];
		for (size_t i = 0; i < c->n; i++) {
			int idx = cvo_tree_by_phandle(t, c->phandles[i]);
			c->target_nodes[i] = idx >= 0 ? t->nodes[idx].off : -1;
			c->targets[i] = idx >= 0 ? find_region(m, t->nodes[idx].off) : -1;
			bool seen = false;
			for (size_t j = 0; j < i; j++)
				seen |= c->targets[j] == c->targets[i];
			if (c->targets[i] >= 0 && !seen)
				m->regions[c->targets[i]].n_users++;
		}
	}
}

/* lengths of a node name and of its part before the unit address */
static void name_lens(const char *name, int len, uint64_t *full, uint64_t *base)
{
	*full = len > 0 ? (uint64_t)len : 0;
	const char *at = len > 0 ? memchr(name, '@', (size_t)len) : NULL;
	*base = at ? (uint64_t)(at - name) : *full;
}

#define ALIGN8(x) (((x) + 7) & ~UINT64_C(7))

/*
 * Bytes unflatten_device_tree() asks memblock for (__unflatten_device_tree():
 * ALIGN(size, 4) + 4, 8-byte aligned): per node a struct device_node (208 bytes
 * on v6.1 arm64 with CONFIG_OF_KOBJ) and its name, per property a struct property
 * (96), and per node the "name" property populate_properties() makes up, since
 * v17 blobs carry none. Measured with memblock=debug on Debian's 6.1 kernel.
 */
static uint64_t unflatten_bytes(const void *fdt)
{
	uint64_t bytes = 0;
	for (int node = 0; node >= 0; node = fdt_next_node(fdt, node, NULL)) {
		int len = 0;
		const char *name = fdt_get_name(fdt, node, &len);
		uint64_t full, base;
		name_lens(name, name ? len : 0, &full, &base);
		bytes += 208 + ALIGN8(full + 1) + ALIGN8(96 + base + 1);
		int prop;
		fdt_for_each_property_offset(prop, fdt, node)
			bytes += 96;
	}
	return ((bytes + 3) & ~UINT64_C(3)) + 4;
}

int cvo_model_build(const struct cvo_blob *blob, const struct cvo_platform *platform,
		    struct cvo_model **out, struct cvo_error *err)
{
	return cvo_model_build_opts(blob, platform, NULL, out, err);
}

int cvo_model_build_opts(const struct cvo_blob *blob, const struct cvo_platform *platform,
			 const struct cvo_model_opts *opts, struct cvo_model **out,
			 struct cvo_error *err)
{
	*out = NULL;
	const void *fdt = blob->fdt;
	struct cvo_model *m = calloc(1, sizeof(*m));
	if (!m)
		return CVO_ERR_NOMEM;
	m->blob = blob;
	m->platform = platform;
	m->rmem_node = -1;
	m->placeholder_bus = -1;
	/* early_init_dt_scan_root() */
	if (!cvo_fdt_u32(fdt, 0, "#address-cells", &m->root_addr_cells))
		m->root_addr_cells = CVO_ROOT_ADDR_CELLS_DEFAULT;
	if (!cvo_fdt_u32(fdt, 0, "#size-cells", &m->root_size_cells))
		m->root_size_cells = CVO_ROOT_SIZE_CELLS_DEFAULT;
	/* of_read_number() keeps the low 64 bits of any cell count; only an entry of
	 * zero cells (a division by zero in the kernel's length checks) is unusable */
	m->root_cells_ok = m->root_addr_cells + m->root_size_cells > 0 &&
			   m->root_addr_cells <= 4 && m->root_size_cells <= 4;
	size_t cap = 0;
	struct tree_scan ts = { 0 };
	int r = cvo_tree_new(fdt, &m->tree);
	if (r) {
		cvo_model_free(m);
		return cvo_error_set(err, r, blob->name, 0, 0, r == CVO_ERR_NOMEM ? "out of memory" :
				     "invalid structure block");
	}
	if ((r = scan_tree(m, fdt, &ts)) || (r = scan_memory(m, fdt, &ts, opts)) ||
	    (r = scan_memreserve(m, fdt)))
		goto fail;
	scan_initrd(m, fdt, &ts);
	if ((r = scan_reserved_memory(m, fdt, &ts, &cap)) || (r = find_placeholder(m, fdt, &ts)))
		goto fail;
	m->no_mmu = find_no_mmu(m, fdt);
	m->unflatten_bytes = unflatten_bytes(fdt);
	scan_symbols(m, fdt, &ts);
	for (size_t i = 0; i < m->n_memreserve; i++) {
		r = add_fixed_region(m, &cap, CVO_KIND_MEMRESERVE, cvo_asprintf("/memreserve/%zu", i),
				     m->memreserve[i].base, m->memreserve[i].size);
		if (r)
			goto fail;
	}
	for (size_t i = 0; platform && i < platform->n_reserved; i++) {
		const struct cvo_named_range *pr = &platform->reserved[i];
		r = add_fixed_region(m, &cap, CVO_KIND_PLATFORM,
				     cvo_asprintf("/platform/%s", pr->name ? pr->name : "reserved"),
				     pr->base, pr->size);
		if (r)
			goto fail;
		m->regions[m->n_regions - 1].dtb = pr->dtb;
	}
	resolve_consumers(m);
	free(ts.root_children);
	/*
	 * Every array is allocated, even when empty: `m->regions + m->n_rmem` in
	 * a loop bound is undefined behaviour on a NULL pointer (C11 6.5.6), and
	 * the checks iterate that way.
	 */
	if ((!m->banks && !(m->banks = calloc(1, sizeof(*m->banks)))) ||
	    (!m->memreserve && !(m->memreserve = calloc(1, sizeof(*m->memreserve)))) ||
	    (!m->regions && !(m->regions = calloc(1, sizeof(*m->regions)))) ||
	    (!m->consumers && !(m->consumers = calloc(1, sizeof(*m->consumers))))) {
		r = CVO_ERR_NOMEM;
		goto fail_model;
	}
	*out = m;
	return 0;
fail:
	free(ts.root_children);
fail_model:
	cvo_model_free(m);
	return cvo_error_set(err, r, blob->name, 0, 0, "out of memory");
}
