// SPDX-License-Identifier: MIT
/*
 * carveout map: the physical memory map the kernel builds from a device tree:
 * RAM banks and holes, every reserved region where the kernel puts it (or why it
 * does not), the DMA zones, the default CMA area, and what each DMA device can
 * reach. As text (sorted by address) and, with --svg, as a diagram (svg.c).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libfdt.h>

#include "cmd.h"
#include "escape.h"
#include "map.h"

/* ------------------------------------------------------------------ the map */

/* Make room for one more element of *arr (elem bytes each). */
static int grow(void *arrp, size_t *cap, size_t n, size_t elem)
{
	void **arr = arrp;
	if (n < *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 16;
	void *p = realloc(*arr, ncap * elem);
	if (!p)
		return -1;
	*arr = p;
	*cap = ncap;
	return 0;
}

uint64_t map_range_last(uint64_t base, uint64_t size)
{
	return size && base > UINT64_MAX - (size - 1) ? UINT64_MAX : base + (size ? size - 1 : 0);
}

static char *node_path(const void *fdt, int node)
{
	char buf[1024];
	if (fdt_get_path(fdt, node, buf, sizeof(buf)))
		return NULL;
	return strdup(buf);
}

static int add_row(struct map *mp, enum row_kind what, uint64_t base, uint64_t last,
		   const struct cvo_region *r)
{
	if (grow(&mp->rows, &mp->cap_rows, mp->n_rows, sizeof(*mp->rows)))
		return -1;
	mp->rows[mp->n_rows++] = (struct row){what, base, last, r, 0, 1, false};
	return 0;
}

static int row_order(enum row_kind k)
{
	return k == ROW_RAM || k == ROW_HOLE ? 0 : k == ROW_CMA ? 2 : 1;
}

static int cmp_rows(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	if (x->base != y->base)
		return x->base < y->base ? -1 : 1;
	if (row_order(x->what) != row_order(y->what))
		return row_order(x->what) - row_order(y->what);
	if (x->last != y->last)
		return x->last > y->last ? -1 : 1; /* the bigger one first */
	if (x->r && y->r)
		return x->r->index - y->r->index;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/*
 * The CPU ranges a device reaches, as the checks judge it: between two cuts
 * (window edges, the CPU address where a window's DMA address passes the mask)
 * one window decides and the verdict does not change, so asking
 * cvo_dma_reachable() once per piece gives exactly what dma_capable() accepts.
 */
static void device_reach(struct device *d)
{
	const struct cvo_dma_info *di = &d->di;
	bool masked = di->dma_bits > 0 && di->dma_bits < 64;
	if (di->iommu || (!di->has_map && !masked)) {
		d->all = true;
		return;
	}
	uint64_t mask = masked ? (UINT64_C(1) << di->dma_bits) - 1 : UINT64_MAX;
	/* 0 and 2^63 always: no piece is 2^64 bytes long */
	uint64_t cut[3 * sizeof(di->windows) / sizeof(di->windows[0]) + 3];
	size_t n = 0;
	cut[n++] = 0;
	cut[n++] = UINT64_C(1) << 63;
	if (!di->has_map && mask != UINT64_MAX)
		cut[n++] = mask + 1;
	for (size_t i = 0; di->has_map && i < di->n_windows; i++) {
		const struct cvo_dma_window *w = &di->windows[i];
		if (!w->size)
			continue;
		cut[n++] = w->cpu;
		if (map_range_last(w->cpu, w->size) != UINT64_MAX)
			cut[n++] = w->cpu + w->size;
		if (w->dma <= mask && mask - w->dma < w->size - 1 &&
		    w->cpu <= UINT64_MAX - (mask - w->dma) - 1)
			cut[n++] = w->cpu + (mask - w->dma) + 1;
	}
	qsort(cut, n, sizeof(cut[0]), cmp_u64);
	for (size_t i = 0; i < n; i++) {
		if (i + 1 < n && cut[i + 1] == cut[i])
			continue;
		uint64_t base = cut[i], last = i + 1 < n ? cut[i + 1] - 1 : UINT64_MAX;
		if (!cvo_dma_reachable(di, base, last - base + 1))
			continue;
		struct span64 *prev = d->n_reach ? &d->reach[d->n_reach - 1] : NULL;
		if (prev && prev->last + 1 == base)
			prev->last = last;
		else if (d->n_reach < MAP_MAX_REACH)
			d->reach[d->n_reach++] = (struct span64){base, last};
	}
}

static int add_device(struct map *mp, int node, const struct cvo_consumer *c)
{
	for (size_t i = 0; i < mp->n_devs; i++)
		if (mp->devs[i].c == c && c)
			return 0;
	if (grow(&mp->devs, &mp->cap_devs, mp->n_devs, sizeof(*mp->devs)))
		return -1;
	struct device *d = &mp->devs[mp->n_devs];
	memset(d, 0, sizeof(*d));
	d->c = c;
	if (cvo_dma_info(mp->m, node, &d->di))
		return 0;
	d->path = node_path(mp->m->blob->fdt, node);
	if (!d->path)
		return -1;
	device_reach(d);
	mp->n_devs++;
	return 0;
}

static int build(struct map *mp)
{
	const struct cvo_model *m = mp->m;
	for (size_t i = 0; i < m->n_banks; i++) {
		uint64_t last = map_range_last(m->banks[i].base, m->banks[i].size);
		if (add_row(mp, ROW_RAM, m->banks[i].base, last, NULL))
			return -1;
		if (i + 1 < m->n_banks && last + 1 < m->banks[i + 1].base &&
		    add_row(mp, ROW_HOLE, last + 1, m->banks[i + 1].base - 1, NULL))
			return -1;
	}
	for (size_t i = 0; i < m->n_regions; i++) {
		const struct cvo_region *r = &m->regions[i];
		uint64_t base, size;
		if (!cvo_region_stated(r, &base, &size))
			continue;
		if (add_row(mp, ROW_REGION, base, map_range_last(base, size), r))
			return -1;
	}
	const struct cvo_default_cma *dc = &m->default_cma;
	if (dc->present && dc->placed && dc->region < 0 && dc->size &&
	    add_row(mp, ROW_CMA, dc->base, map_range_last(dc->base, dc->size), NULL))
		return -1;
	qsort(mp->rows, mp->n_rows, sizeof(*mp->rows), cmp_rows);

	/* lanes: overlapping blocks side by side (interval colouring, first fit);
	 * each group of overlapping blocks shares the column among its own lanes */
	uint64_t lane_end[8];
	bool used[8] = {false};
	mp->lanes = 1;
	size_t group = 0;
	uint64_t group_last = 0;
	int group_lanes = 0;
	bool in_group = false;
	for (size_t i = 0; i <= mp->n_rows; i++) {
		struct row *w = i < mp->n_rows ? &mp->rows[i] : NULL;
		if (w && (w->what == ROW_RAM || w->what == ROW_HOLE))
			continue;
		if (!w || (in_group && w->base > group_last)) {
			for (size_t k = group; k < i; k++)
				mp->rows[k].lanes = group_lanes ? group_lanes : 1;
			memset(used, 0, sizeof(used));
			group = i;
			group_lanes = 0;
			in_group = false;
			if (!w)
				break;
		}
		size_t l = 0;
		while (l < 8 && used[l] && lane_end[l] >= w->base)
			l++;
		if (l == 8)
			l = 7;
		used[l] = true;
		lane_end[l] = w->last;
		w->lane = (int)l;
		if ((int)l + 1 > group_lanes)
			group_lanes = (int)l + 1;
		group_last = in_group && group_last > w->last ? group_last : w->last;
		in_group = true;
		if (l + 1 > mp->lanes)
			mp->lanes = l + 1;
	}

	/* overlaps: the kernel reserves each region on its own, so two that share bytes
	 * are a conflict (rmem_overlap) the diagram shows as such */
	for (size_t i = 0; i < mp->n_rows; i++) {
		struct row *w = &mp->rows[i];
		if (w->what != ROW_REGION && w->what != ROW_CMA)
			continue;
		for (size_t k = i + 1; k < mp->n_rows && mp->rows[k].base <= w->last; k++) {
			struct row *v = &mp->rows[k];
			if (v->what == ROW_REGION || v->what == ROW_CMA)
				w->overlaps = v->overlaps = true;
		}
	}

	mp->lo = UINT64_MAX;
	mp->hi = 0;
	for (size_t i = 0; i < mp->n_rows; i++) {
		if (mp->rows[i].base < mp->lo)
			mp->lo = mp->rows[i].base;
		if (mp->rows[i].last > mp->hi)
			mp->hi = mp->rows[i].last;
	}

	/* devices: every memory-region user, then every node the platform file describes */
	for (size_t i = 0; i < m->n_consumers; i++)
		if (add_device(mp, m->consumers[i].node, &m->consumers[i]))
			return -1;
	if (mp->p && mp->p->n_devices) {
		const void *fdt = m->blob->fdt;
		for (int node = 0; node >= 0; node = fdt_next_node(fdt, node, NULL)) {
			if (!cvo_platform_device_for(mp->p, fdt, node))
				continue;
			bool seen = false;
			for (size_t i = 0; i < mp->n_devs; i++)
				if (mp->devs[i].c && mp->devs[i].c->node == node)
					seen = true;
			if (!seen && add_device(mp, node, NULL))
				return -1;
		}
	}
	return 0;
}

static void map_fini(struct map *mp)
{
	for (size_t i = 0; i < mp->n_devs; i++)
		free(mp->devs[i].path);
	free(mp->devs);
	free(mp->rows);
}

/* ------------------------------------------------------------------ text */

const char *map_hex(char *buf, size_t len, uint64_t v)
{
	snprintf(buf, len, "0x%08" PRIx64, v);
	return buf;
}

const char *map_range_str(char *buf, size_t len, uint64_t base, uint64_t last)
{
	snprintf(buf, len, "0x%08" PRIx64 "..0x%08" PRIx64, base, last);
	return buf;
}

uint64_t map_span(uint64_t base, uint64_t last)
{
	return last - base == UINT64_MAX ? UINT64_MAX : last - base + 1;
}

const char *map_flags_str(char *buf, size_t len, const struct cvo_region *r)
{
	buf[0] = '\0';
	size_t o = 0;
#define ADD(s) o += (size_t)snprintf(buf + o, o < len ? len - o : 0, "%s%s", o ? ", " : "", s)
	if (r->kind != CVO_KIND_MEMRESERVE && r->kind != CVO_KIND_PLATFORM)
		ADD(r->is_static ? "static" : "dynamic");
	if (r->no_map)
		ADD("no-map");
	if (r->reusable)
		ADD("reusable");
	if (r->cma_default)
		ADD("linux,cma-default");
	if (r->dma_default)
		ADD("linux,dma-default");
#undef ADD
	return buf;
}

bool map_region_shown(const struct cvo_region *r)
{
	uint64_t base, size;
	return cvo_region_stated(r, &base, &size);
}

static bool in_ram(const struct cvo_model *m, uint64_t base, uint64_t last)
{
	if (!m->n_banks)
		return true; /* unknown: say nothing */
	for (size_t i = 0; i < m->n_banks; i++)
		if (base >= m->banks[i].base &&
		    last <= map_range_last(m->banks[i].base, m->banks[i].size))
			return true;
	return false;
}

size_t map_markers(const struct map *mp, struct marker *mk)
{
	const struct cvo_model *m = mp->m;
	size_t n = 0;
	if (m->zone_dma_end)
		mk[n++] = (struct marker){m->zone_dma_end, "end of ZONE_DMA", "ZONE_DMA"};
	if (m->zone_dma32_end && m->zone_dma32_end != m->zone_dma_end)
		mk[n++] = (struct marker){m->zone_dma32_end, "end of ZONE_DMA32", "ZONE_DMA32"};
	if (m->dma_phys_limit && m->dma_phys_limit != m->zone_dma_end &&
	    m->dma_phys_limit != m->zone_dma32_end && m->dma_phys_limit <= mp->hi)
		mk[n++] = (struct marker){m->dma_phys_limit, "default CMA limit", "default CMA"};
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && mk[k].at < mk[k - 1].at; k--) {
			struct marker t = mk[k];
			mk[k] = mk[k - 1];
			mk[k - 1] = t;
		}
	return n;
}

static void print_zones(FILE *out, const struct cvo_model *m)
{
	char a[32], b[32];
	if (m->zone_dma_end)
		fprintf(out, "ZONE_DMA below %s", map_hex(a, sizeof(a), m->zone_dma_end));
	if (m->zone_dma32_end)
		fprintf(out, "%sZONE_DMA32 below %s%s", m->zone_dma_end ? ", " : "",
			map_hex(b, sizeof(b), m->zone_dma32_end),
			m->zone_dma32_end <= m->zone_dma_end ? " (empty)" : "");
	if (!m->zone_dma_end && !m->zone_dma32_end)
		fprintf(out, "no DMA zones");
	if (m->dma_phys_limit)
		fprintf(out, "; the default CMA area goes below %s",
			map_hex(a, sizeof(a), m->dma_phys_limit));
	fputc('\n', out);
}

/* Untrusted bytes (paths, reasons that quote them, the file name) for a terminal. */
static void put(FILE *out, const char *s)
{
	if (cmd_fputs_esc(s, out) == EOF)
		fputs("?", out);
}

/* One line of the table: address, size and kind in columns as wide as their longest cell. */
struct cells {
	char addr[56], size[48];
	const char *kind;
};

struct widths {
	int addr, size, kind;
};

static void row_cells(const struct map *mp, const struct row *w, struct cells *c)
{
	char a[48];
	const char *ind = w->what == ROW_RAM || w->what == ROW_HOLE ? "" : "  ";
	snprintf(c->addr, sizeof(c->addr), "%s%s", ind,
		 map_range_str(a, sizeof(a), w->base, w->last));
	cvo_fmt_size(map_span(w->base, w->last), c->size, sizeof(c->size));
	c->kind = w->what == ROW_RAM	? "RAM"
		  : w->what == ROW_HOLE ? "(hole: no RAM)"
		  : w->what == ROW_CMA	? "cma"
					: cvo_kind_name(w->r->kind);
	(void)mp;
}

static struct widths table_widths(const struct map *mp)
{
	struct widths wd = {(int)strlen("ADDRESS"), (int)strlen("SIZE"), 0};
	for (size_t i = 0; i < mp->n_rows; i++) {
		struct cells c;
		row_cells(mp, &mp->rows[i], &c);
		int la = (int)strlen(c.addr), ls = (int)strlen(c.size), lk = (int)strlen(c.kind);
		wd.addr = la > wd.addr ? la : wd.addr;
		wd.size = ls > wd.size ? ls : wd.size;
		/* RAM and hole rows end with their kind: they do not widen the column */
		if (mp->rows[i].what != ROW_RAM && mp->rows[i].what != ROW_HOLE)
			wd.kind = lk > wd.kind ? lk : wd.kind;
	}
	return wd;
}

static void print_row(FILE *out, const struct map *mp, const struct row *w, struct widths wd)
{
	const struct cvo_model *m = mp->m;
	const struct cvo_default_cma *dc = &m->default_cma;
	char fl[128];
	struct cells c;
	row_cells(mp, w, &c);
	fprintf(out, "%-*s  %-*s  ", wd.addr, c.addr, wd.size, c.size);
	if (w->what == ROW_RAM || w->what == ROW_HOLE) {
		fprintf(out, "%s\n", c.kind);
		return;
	}
	fprintf(out, "%-*s  ", wd.kind, c.kind);
	if (w->what == ROW_CMA) {
		fprintf(out, "default CMA area (%s)%s\n",
			dc->source && !strcmp(dc->source, "cmdline") ? "cma=" : "Kconfig",
			in_ram(m, w->base, w->last) ? "" : " [not RAM]");
		return;
	}
	const struct cvo_region *r = w->r;
	map_flags_str(fl, sizeof(fl), r);
	put(out, r->path);
	if (fl[0])
		fprintf(out, " (%s)", fl);
	if (dc->region >= 0 && &m->regions[dc->region] == r)
		fprintf(out, " = default CMA");
	if (!in_ram(m, w->base, w->last))
		fprintf(out, " [not RAM]");
	if (r->status != CVO_STATUS_PLACED) {
		fprintf(out, " %s: ", r->status == CVO_STATUS_FAILED ? "FAILED" : "IGNORED");
		put(out, r->reason);
	}
	fputc('\n', out);
}

static void print_devices(FILE *out, const struct map *mp)
{
	const struct cvo_model *m = mp->m;
	const struct cvo_default_cma *dc = &m->default_cma;
	char a[48];
	if (mp->n_devs)
		fprintf(out, "\ndevices:\n");
	for (size_t i = 0; i < mp->n_devs; i++) {
		const struct device *d = &mp->devs[i];
		fprintf(out, "  ");
		put(out, d->path);
		fprintf(out, ": ");
		if (d->di.iommu) {
			fprintf(out, "behind an IOMMU (reaches any address through it)\n");
		} else if (d->all) {
			fprintf(out, "no DMA limit known (no dma-ranges, no platform dma-bits)\n");
		} else {
			fprintf(out, "%sreaches", d->di.has_map ? "dma-ranges: " : "");
			for (size_t k = 0; k < d->n_reach; k++)
				fprintf(out, "%s %s", k ? "," : "",
					map_range_str(a, sizeof(a), d->reach[k].base,
						      d->reach[k].last));
			if (!d->n_reach)
				fprintf(out, " nothing");
			if (d->di.dma_bits)
				fprintf(out, " (%d-bit)", d->di.dma_bits);
			fputc('\n', out);
		}
		for (size_t k = 0; d->c && k < d->c->n; k++) {
			int t = d->c->targets[k];
			if (t < 0) {
				fprintf(out,
					"    memory-region[%zu]: phandle %u does not resolve to a "
					"/reserved-memory region\n",
					k, d->c->phandles[k]);
				continue;
			}
			const struct cvo_region *r = &m->regions[t];
			fprintf(out, "    memory-region[%zu] ", k);
			put(out, r->path);
			uint64_t base, size;
			if (!cvo_region_placed(r, &base, &size)) {
				fprintf(out, ": %s\n", cvo_status_name(r->status));
				continue;
			}
			bool ok = cvo_dma_reachable(&d->di, base, size);
			fprintf(out, " at %s: %s\n",
				map_range_str(a, sizeof(a), base, map_range_last(base, size)),
				ok ? "reachable" : "NOT reachable");
		}
		if (dc->present && dc->placed && !d->di.iommu) {
			bool ok = cvo_dma_reachable(&d->di, dc->base, dc->size);
			fprintf(out, "    default CMA at %s: %s\n",
				map_range_str(a, sizeof(a), dc->base,
					      map_range_last(dc->base, dc->size)),
				ok ? "reachable" : "NOT reachable");
		}
	}
}

static void print_text(FILE *out, const struct map *mp)
{
	const struct cvo_model *m = mp->m;
	const struct cvo_platform *p = mp->p;
	char a[48], sz[48], fl[128];
	put(out, mp->file);
	if (p) {
		fprintf(out, ": platform ");
		put(out, p->name);
		fprintf(out, " (%s, %s pages, Linux %d.%d)", cvo_arch_name(p->arch),
			cvo_fmt_size(p->page_size, sz, sizeof(sz)), p->kver_major, p->kver_minor);
	}
	fputc('\n', out);
	uint64_t total = 0;
	for (size_t i = 0; i < m->n_banks; i++)
		total += m->banks[i].size;
	if (m->n_banks)
		fprintf(out, "RAM: %s in %zu bank%s; ", cvo_fmt_size(total, sz, sizeof(sz)),
			m->n_banks, m->n_banks == 1 ? "" : "s");
	else
		fprintf(out, "RAM: unknown (no usable /memory and no platform memory: the "
			     "bootloader fills it in); ");
	print_zones(out, m);
	const struct cvo_default_cma *dc = &m->default_cma;
	if (!dc->present) {
		fprintf(out, "default CMA: none\n");
	} else if (!dc->placed) {
		fprintf(out,
			"default CMA: %s (%s) not placed: ", cvo_fmt_size(dc->size, sz, sizeof(sz)),
			dc->source ? dc->source : "kconfig");
		put(out, dc->reason);
		fputc('\n', out);
	} else {
		fprintf(out, "default CMA: %s at %s", cvo_fmt_size(dc->size, sz, sizeof(sz)),
			map_range_str(a, sizeof(a), dc->base, map_range_last(dc->base, dc->size)));
		if (dc->region >= 0) {
			fprintf(out, " (the DT's ");
			put(out, m->regions[dc->region].path);
			fprintf(out, ")\n");
		} else {
			/* kernel/dma/contiguous.c: CMA_SIZE_SEL_* picks the Kconfig size */
			static const char *const sel[] = {
				[CVO_CMA_SIZE_SEL_MBYTES] = "CONFIG_CMA_SIZE_MBYTES",
				[CVO_CMA_SIZE_SEL_PERCENTAGE] = "CONFIG_CMA_SIZE_PERCENTAGE of RAM",
				[CVO_CMA_SIZE_SEL_MIN] = "the smaller of CONFIG_CMA_SIZE_MBYTES and "
							 "CONFIG_CMA_SIZE_PERCENTAGE",
				[CVO_CMA_SIZE_SEL_MAX] = "the larger of CONFIG_CMA_SIZE_MBYTES and "
							 "CONFIG_CMA_SIZE_PERCENTAGE",
			};
			fprintf(out, " (%s)\n",
				dc->source && !strcmp(dc->source, "cmdline")
				    ? "cma= on the command line"
				    : sel[mp->p->config.cma_size_sel]);
		}
	}

	struct widths wd = table_widths(mp);
	fprintf(out, "\n%-*s  %-*s  %s\n", wd.addr, "ADDRESS", wd.size, "SIZE", "WHAT");
	struct marker mk[4];
	size_t n_mk = map_markers(mp, mk), next_mk = 0;
	for (size_t i = 0; i < mp->n_rows; i++) {
		const struct row *w = &mp->rows[i];
		for (; next_mk < n_mk && mk[next_mk].at <= w->base; next_mk++)
			fprintf(out, "-- %s: %s\n", map_hex(a, sizeof(a), mk[next_mk].at),
				mk[next_mk].what);
		print_row(out, mp, w, wd);
	}
	for (; next_mk < n_mk; next_mk++)
		fprintf(out, "-- %s: %s\n", map_hex(a, sizeof(a), mk[next_mk].at),
			mk[next_mk].what);

	bool header = false;
	for (size_t i = 0; i < m->n_regions; i++) {
		const struct cvo_region *r = &m->regions[i];
		if (map_region_shown(r))
			continue;
		if (!header) {
			fprintf(out, "\nnot placed:\n");
			header = true;
		}
		map_flags_str(fl, sizeof(fl), r);
		fprintf(out, "  ");
		put(out, r->path);
		fprintf(out, " (%s%s%s", cvo_kind_name(r->kind), fl[0] ? ", " : "", fl);
		if (!r->is_static && r->has_size && r->size_len_ok)
			fprintf(out, ", %s", cvo_fmt_size(r->size, sz, sizeof(sz)));
		fprintf(out, "): %s%s", cvo_status_name(r->status), r->reason[0] ? ": " : "");
		put(out, r->reason);
		fputc('\n', out);
	}
	print_devices(out, mp);
}

/* ------------------------------------------------------------------ the command */

static void usage(FILE *out)
{
	fprintf(out, "usage: carveout map [-p PLATFORM] [--svg OUT.svg] [-I DIR]... "
		     "[--apply OVERLAY]... FILE\n"
		     "                    [--kernel VERSION] [--config FILE] [--cmdline ARGS]\n"
		     "                    [--memory BASE:SIZE[,...]] [--page-size 4K|16K|64K]\n");
}

static void write_error(const char *path, int e)
{
	fprintf(stderr, "carveout: ");
	put(stderr, path);
	fprintf(stderr, ": %s\n", strerror(e));
}

/*
 * Write the SVG to a temporary file beside path, flush it to disk and rename it
 * into place: a reader sees the old file or the whole new one, never a part.
 * Errors name path (the temporary name means nothing to the user).
 */
static int write_svg(const char *path, const struct map *mp)
{
	if (!strcmp(path, "-"))
		return map_svg(stdout, mp) ? -1 : 0;
	const char *slash = strrchr(path, '/');
	size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
	const char *base = slash ? slash + 1 : path;
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	if (!tmp) {
		write_error(path, ENOMEM);
		return -1;
	}
	snprintf(tmp, n, "%.*s.%s.XXXXXX", (int)dir_len, path, base);
	int e = 0;
	int fd = mkstemp(tmp);
	if (fd < 0) {
		write_error(path, errno);
		free(tmp);
		return -1;
	}
	/* mkstemp() makes it 0600; the diagram gets what a new file would */
	mode_t um = umask(0);
	umask(um);
	FILE *f = fdopen(fd, "w");
	if (!f) {
		e = errno;
		close(fd);
		goto err;
	}
	errno = 0;
	if (fchmod(fd, 0666 & ~um) || map_svg(f, mp) || fflush(f) || ferror(f) || fsync(fd)) {
		e = errno ? errno : EIO;
		fclose(f);
		goto err;
	}
	if (fclose(f) || rename(tmp, path)) {
		e = errno;
		goto err;
	}
	free(tmp);
	return 0;
err:
	unlink(tmp);
	free(tmp);
	write_error(path, e ? e : EIO);
	return -1;
}

int cmd_map(int argc, char **argv)
{
	enum { OPT_SVG = 256 };
	static const struct option longopts[] = {
		CMD_DT_LONGOPTS,
		{ "svg", required_argument, NULL, OPT_SVG },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *svg = NULL;
	struct cmd_dt_opts dt;
	if (cmd_dt_opts_init(&dt, argc))
		return EXIT_INPUT;
	int code = EXIT_USAGE, c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":" CMD_DT_SHORTOPTS "h", longopts, NULL)) != -1) {
		if (cmd_dt_opt(&dt, c, optarg))
			continue;
		switch (c) {
		case OPT_SVG:
			svg = optarg;
			break;
		case 'h':
			usage(stdout);
			cmd_dt_opts_fini(&dt);
			return cmd_finish_stdout(EXIT_CLEAN);
		default:
			cmd_option_error("map", c, argv, longopts);
			usage(stderr);
			cmd_dt_opts_fini(&dt);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "carveout: map: %s\n", optind >= argc ? "no input file"
								      : "one input file at a time");
		usage(stderr);
		cmd_dt_opts_fini(&dt);
		return EXIT_USAGE;
	}
	const char *file = argv[optind];
	if (cmd_dt_opts_stdin(&dt) + !strcmp(file, "-") > 1) {
		fprintf(stderr, "carveout: map: '-' (standard input) given more than once\n");
		cmd_dt_opts_fini(&dt);
		return EXIT_USAGE;
	}
	struct cmd_platforms pl;
	struct cvo_error err = { 0 };
	int r = cmd_dt_opts_load(&dt);
	if (r) {
		cmd_dt_opts_fini(&dt);
		return r;
	}
	r = cmd_platforms_init(&pl, &dt, &err);
	if (r) {
		cmd_print_error(&err);
		cmd_dt_opts_fini(&dt);
		return cmd_platform_exit(r);
	}
	struct cmd_input in;
	code = EXIT_INPUT;
	r = cmd_input_load(file, &pl, &dt.load, &in, &err);
	if (r) {
		cmd_print_error(&err);
		goto out_pl;
	}
	struct map mp = {
	    .file = in.blob->name ? in.blob->name : file, .m = in.model, .p = in.platform};
	if (build(&mp)) {
		fprintf(stderr, "carveout: out of memory\n");
		goto out;
	}
	if (svg && write_svg(svg, &mp))
		goto out_map;
	if (!svg || strcmp(svg, "-"))
		print_text(stdout, &mp);
	code = cmd_finish_stdout(EXIT_CLEAN);
out_map:
	map_fini(&mp);
out:
	cmd_input_fini(&in);
out_pl:
	cmd_platforms_fini(&pl);
	cmd_dt_opts_fini(&dt);
	return code;
}
