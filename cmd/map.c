// SPDX-License-Identifier: MIT
/*
 * carveout map: the physical memory map the kernel builds from a device tree:
 * RAM banks and holes, every reserved region where the kernel puts it (or why it
 * does not), the DMA zones, the default CMA area, and what each DMA device can
 * reach. As text (sorted by address) and, with --svg, as a diagram.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libfdt.h>

#include "cmd.h"

/* ------------------------------------------------------------------ the map */

enum row_kind { ROW_RAM, ROW_HOLE, ROW_REGION, ROW_CMA };

struct row {
	enum row_kind what;
	uint64_t base, last;	/* inclusive */
	const struct cvo_region *r; /* ROW_REGION */
	int lane;		/* SVG: side-by-side lane for overlapping blocks */
	int lanes;		/* lanes of its group of overlapping blocks */
};

struct span64 {
	uint64_t base, last; /* inclusive */
};

struct device {
	char *path;
	struct cvo_dma_info di;
	const struct cvo_consumer *c; /* NULL for a platform-file device */
	struct span64 reach[16];
	size_t n_reach;
	bool all;		/* behind an IOMMU or without any limit */
};

struct map {
	const char *file;
	const struct cvo_model *m;
	const struct cvo_platform *p;
	struct row *rows;
	size_t n_rows, cap_rows;
	size_t lanes;
	struct device *devs;
	size_t n_devs, cap_devs;
	uint64_t lo, hi;	/* the span drawn (inclusive) */
};

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

/* The last byte of a non-empty range, saturating at the top of the address space. */
static uint64_t range_last(uint64_t base, uint64_t size)
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
	mp->rows[mp->n_rows++] = (struct row){ what, base, last, r, 0, 1 };
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

/* The reachable CPU ranges of a device (for the diagram; the per-region verdicts
 * come from cvo_dma_reachable()). */
static void device_reach(struct device *d)
{
	const struct cvo_dma_info *di = &d->di;
	uint64_t mask = di->dma_bits > 0 && di->dma_bits < 64 ? (UINT64_C(1) << di->dma_bits) - 1
							    : UINT64_MAX;
	if (di->bus_limit && di->bus_limit - 1 < mask)
		mask = di->bus_limit - 1;
	if (di->iommu || (!di->has_map && mask == UINT64_MAX)) {
		d->all = true;
		return;
	}
	if (!di->has_map) {
		d->reach[d->n_reach++] = (struct span64){ 0, mask };
		return;
	}
	for (size_t i = 0; i < di->n_windows && d->n_reach < 16; i++) {
		const struct cvo_dma_window *w = &di->windows[i];
		if (!w->size || w->dma > mask)
			continue;
		uint64_t dlast = range_last(w->dma, w->size);
		uint64_t clast = range_last(w->cpu, w->size);
		if (dlast > mask)
			clast -= dlast - mask;
		d->reach[d->n_reach++] = (struct span64){ w->cpu, clast };
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
		uint64_t last = range_last(m->banks[i].base, m->banks[i].size);
		if (add_row(mp, ROW_RAM, m->banks[i].base, last, NULL))
			return -1;
		if (i + 1 < m->n_banks && last + 1 < m->banks[i + 1].base &&
		    add_row(mp, ROW_HOLE, last + 1, m->banks[i + 1].base - 1, NULL))
			return -1;
	}
	for (size_t i = 0; i < m->n_regions; i++) {
		const struct cvo_region *r = &m->regions[i];
		if (r->status == CVO_STATUS_DISABLED || !r->has_base || !r->placed_size)
			continue;
		if (r->status != CVO_STATUS_PLACED && !r->is_static)
			continue;
		if (add_row(mp, ROW_REGION, r->base, range_last(r->base, r->placed_size), r))
			return -1;
	}
	const struct cvo_default_cma *dc = &m->default_cma;
	if (dc->present && dc->placed && dc->region < 0 && dc->size &&
	    add_row(mp, ROW_CMA, dc->base, range_last(dc->base, dc->size), NULL))
		return -1;
	qsort(mp->rows, mp->n_rows, sizeof(*mp->rows), cmp_rows);

	/* lanes: overlapping blocks side by side (interval colouring, first fit);
	 * each group of overlapping blocks shares the column among its own lanes */
	uint64_t lane_end[8];
	bool used[8] = { false };
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

static const char *hex(char *buf, size_t len, uint64_t v)
{
	snprintf(buf, len, "0x%08" PRIx64, v);
	return buf;
}

static const char *range_str(char *buf, size_t len, uint64_t base, uint64_t last)
{
	snprintf(buf, len, "0x%08" PRIx64 "..0x%08" PRIx64, base, last);
	return buf;
}

static uint64_t span(uint64_t base, uint64_t last)
{
	return last - base == UINT64_MAX ? UINT64_MAX : last - base + 1;
}

/* "dynamic, no-map, reusable, linux,cma-default" */
static const char *flags_str(char *buf, size_t len, const struct cvo_region *r)
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

static bool in_ram(const struct cvo_model *m, uint64_t base, uint64_t last)
{
	if (!m->n_banks)
		return true; /* unknown: say nothing */
	for (size_t i = 0; i < m->n_banks; i++)
		if (base >= m->banks[i].base && last <= range_last(m->banks[i].base,
								       m->banks[i].size))
			return true;
	return false;
}

struct marker {
	uint64_t at;
	const char *what;
};

static size_t markers(const struct map *mp, struct marker *mk)
{
	const struct cvo_model *m = mp->m;
	size_t n = 0;
	if (m->zone_dma_end)
		mk[n++] = (struct marker){ m->zone_dma_end, "end of ZONE_DMA" };
	if (m->zone_dma32_end && m->zone_dma32_end != m->zone_dma_end)
		mk[n++] = (struct marker){ m->zone_dma32_end, "end of ZONE_DMA32" };
	if (m->dma_phys_limit && m->dma_phys_limit != m->zone_dma_end &&
	    m->dma_phys_limit != m->zone_dma32_end && m->dma_phys_limit <= mp->hi)
		mk[n++] = (struct marker){ m->dma_phys_limit, "default CMA limit" };
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
		fprintf(out, "ZONE_DMA below %s", hex(a, sizeof(a), m->zone_dma_end));
	if (m->zone_dma32_end)
		fprintf(out, "%sZONE_DMA32 below %s%s", m->zone_dma_end ? ", " : "",
			hex(b, sizeof(b), m->zone_dma32_end),
			m->zone_dma32_end <= m->zone_dma_end ? " (empty)" : "");
	if (!m->zone_dma_end && !m->zone_dma32_end)
		fprintf(out, "no DMA zones");
	if (m->dma_phys_limit)
		fprintf(out, "; the default CMA area goes below %s",
			hex(a, sizeof(a), m->dma_phys_limit));
	fputc('\n', out);
}

static void print_text(FILE *out, const struct map *mp)
{
	const struct cvo_model *m = mp->m;
	const struct cvo_platform *p = mp->p;
	char a[48], b[64], sz[48], fl[128];
	if (p)
		fprintf(out, "%s: platform %s (%s, %s pages, Linux %d.%d)\n", mp->file, p->name,
			cvo_arch_name(p->arch), cvo_fmt_size(p->page_size, sz, sizeof(sz)),
			p->kver_major, p->kver_minor);
	else
		fprintf(out, "%s\n", mp->file);
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
		fprintf(out, "default CMA: %s (%s) not placed: %s\n",
			cvo_fmt_size(dc->size, sz, sizeof(sz)), dc->source ? dc->source : "kconfig",
			dc->reason);
	} else {
		fprintf(out, "default CMA: %s at %s", cvo_fmt_size(dc->size, sz, sizeof(sz)),
			range_str(a, sizeof(a), dc->base, range_last(dc->base, dc->size)));
		if (dc->region >= 0)
			fprintf(out, " (the DT's %s)\n", m->regions[dc->region].path);
		else
			fprintf(out, " (%s)\n", dc->source && !strcmp(dc->source, "cmdline")
							? "cma= on the command line"
							: "CONFIG_CMA_SIZE_MBYTES");
	}

	fprintf(out, "\n%-40s %-12s %s\n", "ADDRESS", "SIZE", "WHAT");
	struct marker mk[4];
	size_t n_mk = markers(mp, mk), next_mk = 0;
	for (size_t i = 0; i < mp->n_rows; i++) {
		const struct row *w = &mp->rows[i];
		while (next_mk < n_mk && mk[next_mk].at <= w->base) {
			fprintf(out, "-- %s: %s\n", hex(a, sizeof(a), mk[next_mk].at),
				mk[next_mk].what);
			next_mk++;
		}
		const char *ind = w->what == ROW_RAM || w->what == ROW_HOLE ? "" : "  ";
		snprintf(b, sizeof(b), "%s%s", ind, range_str(a, sizeof(a), w->base, w->last));
		fprintf(out, "%-40s %-12s ", b, cvo_fmt_size(span(w->base, w->last), sz, sizeof(sz)));
		switch (w->what) {
		case ROW_RAM:
			fprintf(out, "RAM\n");
			break;
		case ROW_HOLE:
			fprintf(out, "(hole: no RAM)\n");
			break;
		case ROW_CMA:
			fprintf(out, "%-15s default CMA area (%s)%s\n", "cma",
				dc->source && !strcmp(dc->source, "cmdline") ? "cma="
									     : "Kconfig",
				in_ram(m, w->base, w->last) ? "" : " [not RAM]");
			break;
		case ROW_REGION: {
			const struct cvo_region *r = w->r;
			flags_str(fl, sizeof(fl), r);
			fprintf(out, "%-15s %s%s%s%s", cvo_kind_name(r->kind), r->path, fl[0] ? " (" : "",
				fl, fl[0] ? ")" : "");
			if (dc->region >= 0 && &m->regions[dc->region] == r)
				fprintf(out, " = default CMA");
			if (!in_ram(m, w->base, w->last))
				fprintf(out, " [not RAM]");
			if (r->status != CVO_STATUS_PLACED)
				fprintf(out, " %s: %s", r->status == CVO_STATUS_FAILED ? "FAILED"
											: "IGNORED",
					r->reason);
			fputc('\n', out);
			break;
		}
		}
	}
	for (; next_mk < n_mk; next_mk++)
		fprintf(out, "-- %s: %s\n", hex(a, sizeof(a), mk[next_mk].at), mk[next_mk].what);

	bool header = false;
	for (size_t i = 0; i < m->n_regions; i++) {
		const struct cvo_region *r = &m->regions[i];
		bool shown = r->status != CVO_STATUS_DISABLED && r->has_base && r->placed_size &&
			     (r->status == CVO_STATUS_PLACED || r->is_static);
		if (shown)
			continue;
		if (!header) {
			fprintf(out, "\nnot placed:\n");
			header = true;
		}
		flags_str(fl, sizeof(fl), r);
		fprintf(out, "  %s (%s%s%s", r->path, cvo_kind_name(r->kind), fl[0] ? ", " : "", fl);
		if (!r->is_static && r->has_size && r->size_len_ok)
			fprintf(out, ", %s", cvo_fmt_size(r->size, sz, sizeof(sz)));
		fprintf(out, "): %s%s%s\n", cvo_status_name(r->status), r->reason[0] ? ": " : "",
			r->reason);
	}

	if (mp->n_devs)
		fprintf(out, "\ndevices:\n");
	for (size_t i = 0; i < mp->n_devs; i++) {
		const struct device *d = &mp->devs[i];
		fprintf(out, "  %s: ", d->path);
		if (d->di.iommu)
			fprintf(out, "behind an IOMMU (reaches any address through it)\n");
		else if (d->all)
			fprintf(out, "no DMA limit known (no dma-ranges, no platform dma-bits)\n");
		else {
			fprintf(out, "%s%sreaches", d->di.dma_bits ? "" : "",
				d->di.has_map ? "dma-ranges: " : "");
			if (d->di.dma_bits)
				snprintf(b, sizeof(b), " (%d-bit)", d->di.dma_bits);
			else
				b[0] = '\0';
			for (size_t k = 0; k < d->n_reach; k++)
				fprintf(out, "%s %s", k ? "," : "",
					range_str(a, sizeof(a), d->reach[k].base, d->reach[k].last));
			if (!d->n_reach)
				fprintf(out, " nothing");
			fprintf(out, "%s\n", b);
		}
		for (size_t k = 0; d->c && k < d->c->n; k++) {
			int t = d->c->targets[k];
			if (t < 0) {
				fprintf(out, "    memory-region[%zu]: phandle %u does not resolve to a "
					     "/reserved-memory region\n", k, d->c->phandles[k]);
				continue;
			}
			const struct cvo_region *r = &m->regions[t];
			if (r->status != CVO_STATUS_PLACED || !r->has_base) {
				fprintf(out, "    memory-region[%zu] %s: %s\n", k, r->path,
					cvo_status_name(r->status));
				continue;
			}
			bool ok = cvo_dma_reachable(&d->di, r->base, r->placed_size);
			fprintf(out, "    memory-region[%zu] %s at %s: %s\n", k, r->path,
				range_str(a, sizeof(a), r->base, range_last(r->base, r->placed_size)),
				ok ? "reachable" : "NOT reachable");
		}
		if (dc->present && dc->placed && !d->di.iommu) {
			bool ok = cvo_dma_reachable(&d->di, dc->base, dc->size);
			fprintf(out, "    default CMA at %s: %s\n",
				range_str(a, sizeof(a), dc->base, range_last(dc->base, dc->size)),
				ok ? "reachable" : "NOT reachable");
		}
	}
}

/* ------------------------------------------------------------------ SVG */

static void xml_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		default:
			if ((unsigned char)*s < 0x20)
				fputc('?', out);
			else
				fputc(*s, out);
		}
	}
}

static void xml_textf(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void xml_textf(FILE *out, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	xml_text(out, buf);
}

static const char *kind_colour(enum cvo_kind k)
{
	switch (k) {
	case CVO_KIND_RESERVED: return "#8d99a6";
	case CVO_KIND_CMA: return "#43a047";
	case CVO_KIND_COHERENT_POOL: return "#1e88e5";
	case CVO_KIND_RESTRICTED_POOL: return "#fb8c00";
	case CVO_KIND_MEMRESERVE: return "#8d6e63";
	case CVO_KIND_PLATFORM: return "#7e57c2";
	}
	return "#999999";
}

/* The vertical axis: segments between interesting addresses, each as tall as
 * the log of its size, so a 4 KiB carve-out and a 4 GiB bank are both readable. */
struct seg {
	uint64_t base, last;
	double y0, y1; /* y0 > y1: addresses grow upwards */
	bool hole;
};

struct axis {
	struct seg *s;
	size_t n;
	double top, bottom;
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* log2 without libm: the integer part from the top bit, the rest linearly */
static double log2_approx(uint64_t v)
{
	if (!v)
		return 0;
	int top = 63;
	while (!(v >> top))
		top--;
	return top + ((double)v / (double)(UINT64_C(1) << top) - 1.0);
}

static double seg_height(uint64_t size, bool hole)
{
	if (hole)
		return 44;
	double l = log2_approx(size) - 12;
	double h = 12 + 4.5 * (l > 0 ? l : 0);
	return h < 14 ? 14 : h > 100 ? 100 : h;
}

static bool covered(const struct map *mp, uint64_t base, uint64_t last)
{
	for (size_t i = 0; i < mp->n_rows; i++) {
		const struct row *w = &mp->rows[i];
		if (w->what != ROW_HOLE && w->base <= base && last <= w->last)
			return true;
	}
	return false;
}

static int build_axis(const struct map *mp, struct axis *ax, double top)
{
	size_t cap = 2 * mp->n_rows + 8 + 2 * 16 * mp->n_devs;
	uint64_t *b = malloc(cap * sizeof(*b));
	if (!b)
		return -1;
	size_t n = 0;
#define PUT(v) do { if ((v) >= mp->lo && (v) <= mp->hi && n < cap) b[n++] = (v); } while (0)
	for (size_t i = 0; i < mp->n_rows; i++) {
		PUT(mp->rows[i].base);
		if (mp->rows[i].last != UINT64_MAX)
			PUT(mp->rows[i].last + 1);
	}
	struct marker mk[4];
	size_t n_mk = markers(mp, mk);
	for (size_t i = 0; i < n_mk; i++)
		PUT(mk[i].at);
	for (size_t i = 0; i < mp->n_devs; i++)
		for (size_t k = 0; k < mp->devs[i].n_reach; k++) {
			PUT(mp->devs[i].reach[k].base);
			if (mp->devs[i].reach[k].last != UINT64_MAX)
				PUT(mp->devs[i].reach[k].last + 1);
		}
#undef PUT
	qsort(b, n, sizeof(*b), cmp_u64);
	ax->s = calloc(n + 1, sizeof(*ax->s));
	if (!ax->s) {
		free(b);
		return -1;
	}
	ax->n = 0;
	for (size_t i = 0; i < n; i++) {
		if (i && b[i] == b[i - 1])
			continue;
		uint64_t base = b[i];
		uint64_t last = mp->hi;
		for (size_t k = i + 1; k < n; k++)
			if (b[k] > base) {
				last = b[k] - 1;
				break;
			}
		if (base > last)
			continue;
		ax->s[ax->n++] = (struct seg){ base, last, 0, 0, !covered(mp, base, last) };
	}
	free(b);
	/* one stretch of no RAM is one segment, whatever boundary lies inside it */
	size_t o = 0;
	for (size_t i = 0; i < ax->n; i++) {
		if (o && ax->s[i].hole && ax->s[o - 1].hole && ax->s[o - 1].last + 1 == ax->s[i].base)
			ax->s[o - 1].last = ax->s[i].last;
		else
			ax->s[o++] = ax->s[i];
	}
	ax->n = o;
	/* heights, from the bottom (low addresses) up */
	double h = 0;
	for (size_t i = 0; i < ax->n; i++)
		h += seg_height(span(ax->s[i].base, ax->s[i].last), ax->s[i].hole);
	ax->top = top;
	ax->bottom = top + h;
	double y = ax->bottom;
	for (size_t i = 0; i < ax->n; i++) {
		ax->s[i].y0 = y;
		y -= seg_height(span(ax->s[i].base, ax->s[i].last), ax->s[i].hole);
		ax->s[i].y1 = y;
	}
	return 0;
}

/* y of an address (the bottom edge of the byte at addr); clamped to the axis. */
static double y_of(const struct axis *ax, uint64_t addr)
{
	if (!ax->n || addr <= ax->s[0].base)
		return ax->bottom;
	for (size_t i = 0; i < ax->n; i++) {
		const struct seg *g = &ax->s[i];
		if (addr >= g->base && addr <= g->last) {
			double f = (double)(addr - g->base) / ((double)(g->last - g->base) + 1.0);
			return g->y0 + (g->y1 - g->y0) * f;
		}
	}
	return ax->top;
}

/* y just above the last byte of a range */
static double y_end(const struct axis *ax, uint64_t last)
{
	return last == UINT64_MAX ? ax->top : y_of(ax, last + 1) > ax->top ? y_of(ax, last + 1)
									       : ax->top;
}

struct label {
	double want, y;
	size_t row;
	int lines;
};

static int cmp_label(const void *a, const void *b)
{
	const struct label *x = a, *y = b;
	return x->want < y->want ? -1 : x->want > y->want;
}

enum {
	SVG_W_ADDR = 200,   /* address labels end here */
	SVG_MEM_X = 210,
	SVG_MEM_W = 230,
	SVG_LABEL_X = 470,
	SVG_LABEL_W = 420,
	SVG_DEV_X = 910,
	SVG_DEV_STEP = 34,
	SVG_LINE = 14,
};

static void svg_defs(FILE *out)
{
	fputs("<defs>\n"
	      "<pattern id=\"hole\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" "
	      "patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" fill=\"#ffffff\"/>"
	      "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" stroke=\"#d0d0d0\" stroke-width=\"3\"/>"
	      "</pattern>\n"
	      "<pattern id=\"failed\" width=\"7\" height=\"7\" patternUnits=\"userSpaceOnUse\" "
	      "patternTransform=\"rotate(45)\"><rect width=\"7\" height=\"7\" fill=\"#ffebee\"/>"
	      "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"7\" stroke=\"#e53935\" stroke-width=\"2\"/>"
	      "</pattern>\n"
	      "<pattern id=\"nomap\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
	      "patternTransform=\"rotate(-45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" "
	      "stroke=\"#ffffff\" stroke-opacity=\"0.45\" stroke-width=\"2\"/></pattern>\n"
	      "<pattern id=\"iommu\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">"
	      "<rect width=\"6\" height=\"6\" fill=\"#b2dfdb\"/><circle cx=\"3\" cy=\"3\" r=\"1.2\" "
	      "fill=\"#00796b\"/></pattern>\n"
	      "</defs>\n",
	      out);
}

static void svg_legend(FILE *out, double y)
{
	static const enum cvo_kind kinds[] = { CVO_KIND_RESERVED, CVO_KIND_COHERENT_POOL,
					       CVO_KIND_CMA, CVO_KIND_RESTRICTED_POOL,
					       CVO_KIND_MEMRESERVE, CVO_KIND_PLATFORM };
	double x = 20;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"12\" fill=\"%s\"/>"
			     "<text x=\"%.1f\" y=\"%.1f\" class=\"small\">%s</text>\n",
			x, y - 10, kind_colour(kinds[i]), x + 18, y, cvo_kind_name(kinds[i]));
		x += 30 + 6.5 * (double)strlen(cvo_kind_name(kinds[i]));
	}
	fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"12\" fill=\"#1e88e5\"/>"
		     "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"12\" fill=\"url(#nomap)\"/>"
		     "<text x=\"%.1f\" y=\"%.1f\" class=\"small\">no-map</text>\n",
		x, y - 10, x, y - 10, x + 18, y);
	x += 72;
	fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"12\" fill=\"url(#failed)\" "
		     "stroke=\"#e53935\" stroke-dasharray=\"3,2\"/>"
		     "<text x=\"%.1f\" y=\"%.1f\" class=\"small\">failed</text>\n",
		x, y - 10, x + 18, y);
	x += 66;
	fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"12\" fill=\"url(#hole)\" "
		     "stroke=\"#bbbbbb\"/><text x=\"%.1f\" y=\"%.1f\" class=\"small\">no RAM</text>\n",
		x, y - 10, x + 18, y);
	x += 72;
	fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"12\" fill=\"#26a69a\"/>"
		     "<text x=\"%.1f\" y=\"%.1f\" class=\"small\">device DMA reach</text>\n",
		x + 3, y - 10, x + 18, y);
}

static void print_svg(FILE *out, const struct map *mp)
{
	const struct cvo_model *m = mp->m;
	const struct cvo_platform *p = mp->p;
	const struct cvo_default_cma *dc = &m->default_cma;
	char a[48], b[48], sz[48], fl[128];

	/* what goes under the map: regions without a place */
	size_t n_unplaced = 0;
	for (size_t i = 0; i < m->n_regions; i++) {
		const struct cvo_region *r = &m->regions[i];
		if (!(r->status != CVO_STATUS_DISABLED && r->has_base && r->placed_size &&
		      (r->status == CVO_STATUS_PLACED || r->is_static)))
			n_unplaced++;
	}
	double dev_label_h = 0;
	for (size_t i = 0; i < mp->n_devs; i++) {
		const char *nm = strrchr(mp->devs[i].path, '/');
		nm = nm && nm[1] ? nm + 1 : mp->devs[i].path;
		double h = 6.2 * (double)strlen(nm) * 0.72 + 16;
		if (h > dev_label_h)
			dev_label_h = h;
	}
	if (dev_label_h > 150)
		dev_label_h = 150;
	double top = 118 + dev_label_h;
	struct axis ax = { 0 };
	if (mp->n_rows && build_axis(mp, &ax, top))
		return;
	if (!mp->n_rows)
		ax.top = ax.bottom = top;
	/* the device bars go right of the longest region label */
	double dev_x = SVG_DEV_X;
	for (size_t i = 0; i < mp->n_rows; i++) {
		const struct cvo_region *r = mp->rows[i].r;
		if (!r)
			continue;
		/* the label: the name in bold 12 px, then kind, size and flags in 11 px */
		flags_str(fl, sizeof(fl), r);
		const char *nm = r->kind == CVO_KIND_MEMRESERVE || r->kind == CVO_KIND_PLATFORM
					 ? r->path
					 : r->name;
		double w = SVG_LABEL_X + 7.6 * (double)strlen(nm) + 7 +
			   6.1 * (double)(strlen(cvo_kind_name(r->kind)) + 12 + strlen(fl) + 15);
		if (r->status != CVO_STATUS_PLACED) {
			double wr = SVG_LABEL_X + 10 + 6.1 * (double)(strlen(r->reason) + 8);
			if (wr > w)
				w = wr;
		}
		if (w + 30 > dev_x)
			dev_x = w + 30;
	}
	double width = dev_x + (double)mp->n_devs * SVG_DEV_STEP + 20 + dev_label_h * 0.8;
	if (width < 960.0)
		width = 960;
	double foot = ax.bottom + 40 + (n_unplaced ? 24 + SVG_LINE * (double)n_unplaced : 0) +
		      (mp->n_devs ? 24 + SVG_LINE * (double)mp->n_devs : 0);

	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		     "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
		     "viewBox=\"0 0 %.0f %.0f\" font-family=\"DejaVu Sans, Helvetica, Arial, "
		     "sans-serif\">\n",
		width, foot, width, foot);
	fputs("<style>text{font-size:12px;fill:#222}.small{font-size:11px}"
	      ".mono{font-family:DejaVu Sans Mono,Menlo,monospace;font-size:11px}"
	      ".title{font-size:17px;font-weight:bold}.fail{fill:#c62828}"
	      ".zone{font-size:11px;font-style:italic;fill:#6a1b9a}"
	      ".halo{paint-order:stroke;stroke:#ffffff;stroke-width:3px}</style>\n",
	      out);
	svg_defs(out);
	fprintf(out, "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n");

	/* title */
	fprintf(out, "<text x=\"20\" y=\"28\" class=\"title\">");
	xml_textf(out, "carveout map: %s", mp->file);
	fprintf(out, "</text>\n<text x=\"20\" y=\"48\">");
	uint64_t total = 0;
	for (size_t i = 0; i < m->n_banks; i++)
		total += m->banks[i].size;
	if (p)
		xml_textf(out, "platform %s: %s, %s pages, Linux %d.%d; ", p->name,
			  cvo_arch_name(p->arch), cvo_fmt_size(p->page_size, a, sizeof(a)),
			  p->kver_major, p->kver_minor);
	if (m->n_banks)
		xml_textf(out, "RAM %s in %zu bank%s", cvo_fmt_size(total, sz, sizeof(sz)),
			  m->n_banks, m->n_banks == 1 ? "" : "s");
	else
		xml_text(out, "RAM unknown (no usable /memory: the bootloader fills it in)");
	fprintf(out, "</text>\n<text x=\"20\" y=\"66\">");
	if (!dc->present)
		xml_text(out, "default CMA: none");
	else if (!dc->placed)
		xml_textf(out, "default CMA: %s not placed: %s", cvo_fmt_size(dc->size, sz, sizeof(sz)),
			  dc->reason);
	else
		xml_textf(out, "default CMA: %s at %s (%s)", cvo_fmt_size(dc->size, sz, sizeof(sz)),
			  hex(a, sizeof(a), dc->base),
			  dc->region >= 0 ? m->regions[dc->region].path
			  : dc->source && !strcmp(dc->source, "cmdline") ? "cma= on the command line"
									   : "Kconfig");
	fprintf(out, "</text>\n");
	svg_legend(out, 92);

	/* column headings */
	fprintf(out, "<text x=\"%d\" y=\"%.1f\" class=\"small\" text-anchor=\"end\">physical "
		     "address</text>\n", SVG_W_ADDR - 6, top - 8);
	fprintf(out, "<text x=\"%d\" y=\"%.1f\" class=\"small\">memory</text>\n", SVG_MEM_X, top - 8);

	/* RAM and holes */
	for (size_t i = 0; i < ax.n; i++) {
		const struct seg *g = &ax.s[i];
		if (g->hole) {
			/* without any /memory the RAM is unknown, not absent */
			fprintf(out, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" "
				     "fill=\"%s\" stroke=\"#cccccc\"/>\n",
				SVG_MEM_X, g->y1, SVG_MEM_W, g->y0 - g->y1,
				m->n_banks ? "url(#hole)" : "#ffffff");
			fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"small halo\" "
				     "text-anchor=\"end\">%s (%s)</text>\n",
				SVG_MEM_X + SVG_MEM_W - 6.0, g->y1 + 14, m->n_banks ? "no RAM" : "gap",
				cvo_fmt_size(span(g->base, g->last), sz, sizeof(sz)));
		}
	}
	for (size_t i = 0; i < mp->n_rows; i++) {
		const struct row *w = &mp->rows[i];
		if (w->what != ROW_RAM)
			continue;
		double y0 = y_of(&ax, w->base), y1 = y_end(&ax, w->last);
		fprintf(out, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"#eceff1\" "
			     "stroke=\"#90a4ae\"><title>",
			SVG_MEM_X, y1, SVG_MEM_W, y0 - y1);
		xml_textf(out, "RAM %s (%s)", range_str(a, sizeof(a), w->base, w->last),
			  cvo_fmt_size(span(w->base, w->last), sz, sizeof(sz)));
		fprintf(out, "</title></rect>\n");
		fprintf(out, "<text x=\"%d\" y=\"%.1f\" class=\"small\" fill=\"#607d8b\">RAM %s</text>\n",
			SVG_MEM_X + SVG_MEM_W - 70, y0 - 4,
			cvo_fmt_size(span(w->base, w->last), sz, sizeof(sz)));
	}

	/* regions, in lanes */
	struct label *lab = calloc(mp->n_rows + 1, sizeof(*lab));
	size_t n_lab = 0;
	for (size_t i = 0; i < mp->n_rows; i++) {
		const struct row *w = &mp->rows[i];
		if (w->what != ROW_REGION && w->what != ROW_CMA)
			continue;
		const struct cvo_region *r = w->r;
		double y0 = y_of(&ax, w->base), y1 = y_end(&ax, w->last);
		if (y0 - y1 < 2)
			y1 = y0 - 2;
		double lane_w = (double)SVG_MEM_W / (double)w->lanes;
		double x = SVG_MEM_X + lane_w * w->lane + 3, wd = lane_w - 6;
		bool failed = r && r->status != CVO_STATUS_PLACED;
		const char *fill = w->what == ROW_CMA ? "#a5d6a7" : kind_colour(r->kind);
		fprintf(out, "<g><title>");
		if (r)
			xml_textf(out, "%s: %s %s, %s%s%s", r->path, cvo_kind_name(r->kind),
				  range_str(a, sizeof(a), w->base, w->last),
				  cvo_fmt_size(span(w->base, w->last), sz, sizeof(sz)),
				  failed ? ", failed: " : "", failed ? r->reason : "");
		else
			xml_textf(out, "default CMA area %s", range_str(a, sizeof(a), w->base, w->last));
		fprintf(out, "</title><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
			     "fill=\"%s\" stroke=\"%s\"%s/>",
			x, y1, wd, y0 - y1, failed ? "url(#failed)" : fill,
			failed ? "#e53935" : "#37474f",
			failed ? " stroke-dasharray=\"4,2\" stroke-width=\"1.5\""
			: w->what == ROW_CMA ? " stroke-dasharray=\"5,3\""
					     : "");
		if (r && r->no_map && !failed)
			fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
				     "fill=\"url(#nomap)\"/>",
				x, y1, wd, y0 - y1);
		fprintf(out, "</g>\n");
		if (lab)
			lab[n_lab++] = (struct label){ (y0 + y1) / 2 + 4, 0, i, failed ? 2 : 1 };
	}

	/* region labels, pushed apart so none overlaps, with leader lines */
	if (lab) {
		qsort(lab, n_lab, sizeof(*lab), cmp_label);
		for (size_t i = 0; i < n_lab; i++) {
			lab[i].y = lab[i].want;
			double need = i ? lab[i - 1].y + SVG_LINE * lab[i - 1].lines : 0;
			if (i && lab[i].y < need)
				lab[i].y = need;
		}
		/* if pushed past the bottom, pull everything back up */
		for (size_t i = n_lab; i-- > 0;) {
			double lim = i + 1 < n_lab ? lab[i + 1].y - SVG_LINE * lab[i].lines
						   : ax.bottom + 10 - SVG_LINE * (lab[i].lines - 1);
			if (lab[i].y > lim)
				lab[i].y = lim;
		}
		for (size_t i = 0; i < n_lab; i++) {
			const struct row *w = &mp->rows[lab[i].row];
			const struct cvo_region *r = w->r;
			double xe = SVG_MEM_X + (double)SVG_MEM_W / w->lanes * (w->lane + 1) - 3;
			fprintf(out, "<polyline points=\"%.1f,%.1f %.1f,%.1f %d,%.1f\" fill=\"none\" "
				     "stroke=\"#b0bec5\"/>\n",
				xe, lab[i].want - 4, SVG_LABEL_X - 16.0, lab[i].y - 4, SVG_LABEL_X - 4,
				lab[i].y - 4);
			bool failed = r && r->status != CVO_STATUS_PLACED;
			fprintf(out, "<text x=\"%d\" y=\"%.1f\"%s><tspan font-weight=\"bold\">",
				SVG_LABEL_X, lab[i].y, failed ? " class=\"fail\"" : "");
			if (r) {
				flags_str(fl, sizeof(fl), r);
				xml_text(out, r->kind == CVO_KIND_MEMRESERVE || r->kind == CVO_KIND_PLATFORM
						      ? r->path
						      : r->name);
				fprintf(out, "</tspan><tspan dx=\"7\" class=\"small\" fill=\"%s\">",
					failed ? "#c62828" : "#546e7a");
				xml_textf(out, "%s, %s%s%s%s", cvo_kind_name(r->kind),
					  cvo_fmt_size(span(w->base, w->last), sz, sizeof(sz)),
					  fl[0] ? ", " : "", fl,
					  dc->region >= 0 && &m->regions[dc->region] == r
						  ? ", default CMA"
						  : "");
				fprintf(out, "</tspan>");
				if (failed) {
					/* the reason on a line of its own */
					fprintf(out, "<tspan x=\"%d\" dy=\"%d\" class=\"small fail\">",
						SVG_LABEL_X + 10, SVG_LINE - 1);
					xml_textf(out, "%s: %s",
						  r->status == CVO_STATUS_FAILED ? "failed" : "ignored",
						  r->reason);
					fprintf(out, "</tspan>");
				}
			} else {
				xml_text(out, "default CMA area");
				fprintf(out, "</tspan><tspan dx=\"7\" class=\"small\" fill=\"#546e7a\">");
				xml_textf(out, "%s, %s", cvo_fmt_size(span(w->base, w->last), sz,
								      sizeof(sz)),
					  dc->source && !strcmp(dc->source, "cmdline") ? "cma="
										       : "Kconfig");
				fprintf(out, "</tspan>");
			}
			fprintf(out, "</text>\n");
		}
		free(lab);
	}

	/* addresses at segment edges, skipping any that would collide */
	double last_y = 1e9;
	for (size_t i = 0; i <= ax.n; i++) {
		uint64_t addr;
		double y;
		if (i < ax.n) {
			addr = ax.s[i].base;
			y = ax.s[i].y0;
		} else {
			if (!ax.n || ax.s[ax.n - 1].last == UINT64_MAX)
				break;
			addr = ax.s[ax.n - 1].last + 1;
			y = ax.top;
		}
		fprintf(out, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#90a4ae\"/>\n",
			SVG_W_ADDR, y, SVG_MEM_X, y);
		if (last_y - y < 11 && i)
			continue;
		fprintf(out, "<text x=\"%d\" y=\"%.1f\" class=\"mono\" text-anchor=\"end\">%s</text>\n",
			SVG_W_ADDR - 4, y + 4, hex(a, sizeof(a), addr));
		last_y = y;
	}

	/* zone boundaries */
	struct marker mk[4];
	size_t n_mk = markers(mp, mk);
	for (size_t i = 0; i < n_mk; i++) {
		if (mk[i].at < mp->lo || mk[i].at > mp->hi)
			continue;
		double y = y_of(&ax, mk[i].at);
		fprintf(out, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#8e24aa\" "
			     "stroke-width=\"1.5\" stroke-dasharray=\"8,4\"/>\n",
			SVG_W_ADDR - 4, y, width - 10, y);
		fprintf(out, "<text x=\"%d\" y=\"%.1f\" class=\"zone halo\">%s below %s</text>\n",
			SVG_MEM_X + 4, y - 4,
			!strcmp(mk[i].what, "end of ZONE_DMA")	   ? "ZONE_DMA"
			: !strcmp(mk[i].what, "end of ZONE_DMA32") ? "ZONE_DMA32"
								   : "default CMA",
			hex(b, sizeof(b), mk[i].at));
	}

	/* devices: one bar each over what they can reach */
	if (mp->n_devs)
		fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"small\">DMA reach</text>\n",
			dev_x - 6, top - dev_label_h - 2);
	for (size_t i = 0; i < mp->n_devs; i++) {
		const struct device *d = &mp->devs[i];
		double x = dev_x + (double)i * SVG_DEV_STEP;
		const char *nm = strrchr(d->path, '/');
		nm = nm && nm[1] ? nm + 1 : d->path;
		fprintf(out, "<g><title>");
		xml_textf(out, "%s: %s", d->path, d->di.iommu ? "behind an IOMMU"
						  : d->all    ? "no DMA limit known"
							      : "DMA reach");
		fprintf(out, "</title>");
		fprintf(out, "<text transform=\"translate(%.1f,%.1f) rotate(-45)\" class=\"small\">",
			x + 4, top - 6);
		xml_text(out, nm);
		fprintf(out, "</text>");
		fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"%.1f\" fill=\"#eeeeee\"/>",
			x, ax.top, ax.bottom - ax.top);
		if (d->di.iommu || d->all) {
			fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"%.1f\" "
				     "fill=\"%s\"/>",
				x, ax.top, ax.bottom - ax.top, d->di.iommu ? "url(#iommu)" : "#80cbc4");
		}
		for (size_t k = 0; k < d->n_reach && !d->all; k++) {
			uint64_t lo = d->reach[k].base < mp->lo ? mp->lo : d->reach[k].base;
			uint64_t hi = d->reach[k].last > mp->hi ? mp->hi : d->reach[k].last;
			if (lo > hi)
				continue;
			double y0 = y_of(&ax, lo), y1 = y_end(&ax, hi);
			fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"%.1f\" "
				     "fill=\"#26a69a\"/>",
				x, y1, y0 - y1);
		}
		/* its memory-regions: a dot, green when reachable, red when not */
		for (size_t k = 0; d->c && k < d->c->n; k++) {
			int t = d->c->targets[k];
			if (t < 0)
				continue;
			const struct cvo_region *r = &m->regions[t];
			if (r->status != CVO_STATUS_PLACED || !r->has_base)
				continue;
			bool ok = cvo_dma_reachable(&d->di, r->base, r->placed_size);
			double y = (y_of(&ax, r->base) + y_end(&ax, range_last(r->base,
										  r->placed_size))) /
				   2;
			fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\" "
				     "stroke=\"#ffffff\" stroke-width=\"1.5\"><title>",
				x + 5, y, ok ? "#2e7d32" : "#e53935");
			xml_textf(out, "%s -> %s: %s", d->path, r->path,
				  ok ? "reachable" : "NOT reachable");
			fprintf(out, "</title></circle>");
		}
		fprintf(out, "</g>\n");
	}

	/* below the map: what has no place, and the devices in full */
	double y = ax.bottom + 34;
	if (n_unplaced) {
		fprintf(out, "<text x=\"20\" y=\"%.1f\" class=\"fail\" font-weight=\"bold\">not "
			     "placed</text>\n", y);
		y += 18;
		for (size_t i = 0; i < m->n_regions; i++) {
			const struct cvo_region *r = &m->regions[i];
			if (r->status != CVO_STATUS_DISABLED && r->has_base && r->placed_size &&
			    (r->status == CVO_STATUS_PLACED || r->is_static))
				continue;
			fprintf(out, "<text x=\"30\" y=\"%.1f\" class=\"small%s\">", y,
				r->status == CVO_STATUS_DISABLED ? "" : " fail");
			xml_textf(out, "%s (%s%s%s): %s%s%s", r->path, cvo_kind_name(r->kind),
				  !r->is_static && r->has_size && r->size_len_ok ? ", " : "",
				  !r->is_static && r->has_size && r->size_len_ok
					  ? cvo_fmt_size(r->size, sz, sizeof(sz))
					  : "",
				  cvo_status_name(r->status), r->reason[0] ? ": " : "", r->reason);
			fprintf(out, "</text>\n");
			y += SVG_LINE;
		}
		y += 10;
	}
	if (mp->n_devs) {
		fprintf(out, "<text x=\"20\" y=\"%.1f\" font-weight=\"bold\">devices</text>\n", y);
		y += 18;
		for (size_t i = 0; i < mp->n_devs; i++) {
			const struct device *d = &mp->devs[i];
			fprintf(out, "<text x=\"30\" y=\"%.1f\" class=\"small\">", y);
			if (d->di.iommu)
				xml_textf(out, "%s: behind an IOMMU", d->path);
			else if (d->all)
				xml_textf(out, "%s: no DMA limit known", d->path);
			else if (d->n_reach)
				xml_textf(out, "%s: reaches %s%s", d->path,
					  range_str(a, sizeof(a), d->reach[0].base, d->reach[0].last),
					  d->n_reach > 1 ? " and more" : "");
			else
				xml_textf(out, "%s: reaches no memory", d->path);
			fprintf(out, "</text>\n");
			y += SVG_LINE;
		}
	}
	fprintf(out, "</svg>\n");
	free(ax.s);
}

/* ------------------------------------------------------------------ the command */

static void usage(FILE *out)
{
	fprintf(out, "usage: carveout map [-p PLATFORM] [--svg OUT.svg] [-I DIR]... "
		     "[--apply OVERLAY]... FILE\n");
}

/* Write the SVG next to out and rename it into place: never a half-written file. */
static int write_svg(const char *path, const struct map *mp)
{
	if (!strcmp(path, "-")) {
		print_svg(stdout, mp);
		return 0;
	}
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	if (!tmp)
		return -1;
	snprintf(tmp, n, "%s.tmp%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "carveout: %s: %s\n", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	print_svg(f, mp);
	int bad = ferror(f);
	if (fclose(f) || bad || rename(tmp, path)) {
		fprintf(stderr, "carveout: %s: %s\n", path, strerror(errno ? errno : EIO));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
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
	r = cmd_platforms_init(&pl, dt.platform, &err);
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
	struct map mp = { .file = in.blob->name ? in.blob->name : file, .m = in.model,
			  .p = in.platform };
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
