// SPDX-License-Identifier: MIT
/*
 * carveout map: the physical memory map the kernel builds from a device tree:
 * RAM banks and holes, every reserved region where the kernel puts it (or why it
 * does not), the DMA zones, the default CMA area, and what each DMA device can
 * reach (built by cvo_map_build(), lib/map.c). As text (sorted by address) and,
 * with --svg, as a diagram (svg.c).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "escape.h"
#include "map.h"

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

static void print_zones(FILE *out, const struct cvo_placement *pl)
{
	char a[32], b[32];
	if (pl->zone_dma_end)
		fprintf(out, "ZONE_DMA below %s", map_hex(a, sizeof(a), pl->zone_dma_end));
	if (pl->zone_dma32_end)
		fprintf(out, "%sZONE_DMA32 below %s%s", pl->zone_dma_end ? ", " : "",
			map_hex(b, sizeof(b), pl->zone_dma32_end),
			pl->zone_dma32_end <= pl->zone_dma_end ? " (empty)" : "");
	if (!pl->zone_dma_end && !pl->zone_dma32_end)
		fprintf(out, "no DMA zones");
	if (pl->dma_phys_limit)
		fprintf(out, "; the default CMA area goes below %s",
			map_hex(a, sizeof(a), pl->dma_phys_limit));
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

static void row_cells(const struct cvo_map *mp, const struct cvo_map_row *w, struct cells *c)
{
	char a[48];
	const char *ind = w->what == CVO_MAP_RAM || w->what == CVO_MAP_HOLE ? "" : "  ";
	snprintf(c->addr, sizeof(c->addr), "%s%s", ind,
		 map_range_str(a, sizeof(a), w->base, w->last));
	cvo_fmt_size(map_span(w->base, w->last), c->size, sizeof(c->size));
	c->kind = w->what == CVO_MAP_RAM	? "RAM"
		  : w->what == CVO_MAP_HOLE ? "(hole: no RAM)"
		  : w->what == CVO_MAP_CMA	? "cma"
					: cvo_kind_name(w->r->kind);
	(void)mp;
}

static struct widths table_widths(const struct cvo_map *mp)
{
	struct widths wd = {(int)strlen("ADDRESS"), (int)strlen("SIZE"), 0};
	for (size_t i = 0; i < mp->n_rows; i++) {
		struct cells c;
		row_cells(mp, &mp->rows[i], &c);
		int la = (int)strlen(c.addr), ls = (int)strlen(c.size), lk = (int)strlen(c.kind);
		wd.addr = la > wd.addr ? la : wd.addr;
		wd.size = ls > wd.size ? ls : wd.size;
		/* RAM and hole rows end with their kind: they do not widen the column */
		if (mp->rows[i].what != CVO_MAP_RAM && mp->rows[i].what != CVO_MAP_HOLE)
			wd.kind = lk > wd.kind ? lk : wd.kind;
	}
	return wd;
}

static void print_row(FILE *out, const struct cvo_map *mp, const struct cvo_map_row *w,
		      struct widths wd)
{
	const struct cvo_model *m = mp->m;
	const struct cvo_default_cma *dc = &mp->pl->default_cma;
	char fl[128];
	struct cells c;
	row_cells(mp, w, &c);
	fprintf(out, "%-*s  %-*s  ", wd.addr, c.addr, wd.size, c.size);
	if (w->what == CVO_MAP_RAM || w->what == CVO_MAP_HOLE) {
		fprintf(out, "%s\n", c.kind);
		return;
	}
	fprintf(out, "%-*s  ", wd.kind, c.kind);
	if (w->what == CVO_MAP_CMA) {
		fprintf(out, "default CMA area (%s)%s\n",
			dc->source == CVO_CMA_SOURCE_CMDLINE ? "cma=" : "Kconfig",
			cvo_map_in_ram(m, w->base, w->last) ? "" : " [not RAM]");
		return;
	}
	const struct cvo_region *r = w->r;
	map_flags_str(fl, sizeof(fl), r);
	put(out, r->path);
	if (fl[0])
		fprintf(out, " (%s)", fl);
	if (dc->region >= 0 && &m->regions[dc->region] == r)
		fprintf(out, " = default CMA");
	if (!cvo_map_in_ram(m, w->base, w->last))
		fprintf(out, " [not RAM]");
	if (cvo_outcome(mp->pl, r)->status != CVO_STATUS_PLACED) {
		fprintf(out, " %s: ",
			cvo_outcome(mp->pl, r)->status == CVO_STATUS_FAILED ? "FAILED" : "IGNORED");
		put(out, cvo_region_why_text(mp->pl, r));
	}
	fputc('\n', out);
}

static void print_devices(FILE *out, const struct cvo_map *mp)
{
	const struct cvo_model *m = mp->m;
	const struct cvo_default_cma *dc = &mp->pl->default_cma;
	char a[48];
	if (mp->n_devs)
		fprintf(out, "\ndevices:\n");
	for (size_t i = 0; i < mp->n_devs; i++) {
		const struct cvo_map_device *d = &mp->devs[i];
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
			if (!cvo_region_placed(mp->pl, r, &base, &size)) {
				fprintf(out, ": %s\n",
					cvo_status_name(cvo_outcome(mp->pl, r)->status));
				continue;
			}
			bool ok = cvo_dma_reachable(&d->di, base, size);
			fprintf(out, " at %s: %s\n",
				map_range_str(a, sizeof(a), base, cvo_range_last(base, size)),
				ok ? "reachable" : "NOT reachable");
		}
		if (dc->present && dc->placed && !d->di.iommu) {
			bool ok = cvo_dma_reachable(&d->di, dc->base, dc->size);
			fprintf(out, "    default CMA at %s: %s\n",
				map_range_str(a, sizeof(a), dc->base,
					      cvo_range_last(dc->base, dc->size)),
				ok ? "reachable" : "NOT reachable");
		}
	}
}

static void print_text(FILE *out, const char *file, const struct cvo_map *mp)
{
	const struct cvo_model *m = mp->m;
	const struct cvo_platform *p = mp->p;
	char a[48], sz[48], fl[128];
	put(out, file);
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
	print_zones(out, mp->pl);
	const struct cvo_default_cma *dc = &mp->pl->default_cma;
	if (!dc->present) {
		fprintf(out, "default CMA: none\n");
	} else if (!dc->placed) {
		char why[CVO_WHY_TEXT_MAX];
		cvo_default_cma_why_text(dc, why, sizeof(why));
		fprintf(out,
			"default CMA: %s (%s) not placed: ", cvo_fmt_size(dc->size, sz, sizeof(sz)),
			cvo_default_cma_source_name(dc->source));
		put(out, why);
		fputc('\n', out);
	} else {
		fprintf(out, "default CMA: %s at %s", cvo_fmt_size(dc->size, sz, sizeof(sz)),
			map_range_str(a, sizeof(a), dc->base, cvo_range_last(dc->base, dc->size)));
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
				dc->source == CVO_CMA_SOURCE_CMDLINE
				    ? "cma= on the command line"
				    : sel[mp->p->config.cma_size_sel]);
		}
	}

	struct widths wd = table_widths(mp);
	fprintf(out, "\n%-*s  %-*s  %s\n", wd.addr, "ADDRESS", wd.size, "SIZE", "WHAT");
	const struct cvo_map_marker *mk = mp->markers;
	size_t n_mk = mp->n_markers, next_mk = 0;
	for (size_t i = 0; i < mp->n_rows; i++) {
		const struct cvo_map_row *w = &mp->rows[i];
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
		if (cvo_map_region_shown(mp->pl, r))
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
		fprintf(out, "): %s%s", cvo_status_name(cvo_outcome(mp->pl, r)->status),
			cvo_outcome(mp->pl, r)->why != CVO_WHY_NONE ? ": " : "");
		put(out, cvo_region_why_text(mp->pl, r));
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

/* What map_svg() needs, for cvo_write_atomic_stream(). */
struct svg_out {
	const char *file;
	const struct cvo_map *mp;
};

static int fill_svg(FILE *f, void *arg)
{
	const struct svg_out *o = arg;
	return map_svg(f, o->file, o->mp);
}

/*
 * Write the SVG to a temporary file beside path, flush it to disk and rename it
 * into place (cvo_write_atomic_stream()): a reader sees the old file or the whole
 * new one, never a part. The diagram gets what a new file would under the umask.
 * Errors name path (the temporary name means nothing to the user).
 */
static int write_svg(const char *path, const char *file, const struct cvo_map *mp)
{
	if (!strcmp(path, "-"))
		return map_svg(stdout, file, mp) ? -1 : 0;
	struct svg_out o = { file, mp };
	if (cvo_write_atomic_stream(path, fill_svg, &o, NULL, NULL)) {
		write_error(path, errno);
		return -1;
	}
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
	if (cmd_stdin_twice("map", cmd_dt_opts_stdin(&dt) + !strcmp(file, "-"))) {
		cmd_dt_opts_fini(&dt);
		return EXIT_USAGE;
	}
	struct cvo_platform_set pl;
	int r = cmd_dt_opts_load(&dt);
	if (!r)
		r = cmd_platforms_load(&dt, &pl);
	if (r) {
		cmd_dt_opts_fini(&dt);
		return r;
	}
	struct cvo_input in;
	code = EXIT_INPUT;
	if (cmd_input_load(file, &pl, &dt, &in))
		goto out_pl;
	const char *name = in.blob->name ? in.blob->name : file;
	struct cvo_map *mp;
	if (cvo_map_build(&in.placement, &mp)) {
		fprintf(stderr, "carveout: out of memory\n");
		goto out;
	}
	if (svg && write_svg(svg, name, mp))
		goto out_map;
	if (!svg || strcmp(svg, "-"))
		print_text(stdout, name, mp);
	code = cmd_finish_stdout(EXIT_CLEAN);
out_map:
	cvo_map_free(mp);
out:
	cvo_input_fini(&in);
out_pl:
	cvo_platform_set_fini(&pl);
	cmd_dt_opts_fini(&dt);
	return code;
}
