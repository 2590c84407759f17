/* SPDX-License-Identifier: MIT */
/*
 * carveout map: the memory map of one placed model, as rows sorted by address
 * (map.c builds it and prints it as text; svg.c draws it).
 */
#ifndef CVO_CMD_MAP_H
#define CVO_CMD_MAP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "carveout.h"

enum row_kind { ROW_RAM, ROW_HOLE, ROW_REGION, ROW_CMA };

struct row {
	enum row_kind what;
	uint64_t base, last;	    /* inclusive */
	const struct cvo_region *r; /* ROW_REGION */
	int lane;		    /* SVG: side-by-side lane for overlapping blocks */
	int lanes;		    /* lanes of its group of overlapping blocks */
	bool overlaps;		    /* a region or CMA row shares an address with another one */
};

struct span64 {
	uint64_t base, last; /* inclusive */
};

/* Windows of struct cvo_dma_info, each split at most twice (window edges, the mask). */
#define MAP_MAX_REACH 32

struct device {
	char *path;
	struct cvo_dma_info di;
	const struct cvo_consumer *c;	    /* NULL for a platform-file device */
	struct span64 reach[MAP_MAX_REACH]; /* what cvo_dma_reachable() accepts, ascending */
	size_t n_reach;
	bool all; /* behind an IOMMU or without any limit */
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
	uint64_t lo, hi; /* the span drawn (inclusive) */
};

/* A zone or CMA-limit boundary. */
struct marker {
	uint64_t at;
	const char *what; /* "end of ZONE_DMA" ... */
	const char *name; /* "ZONE_DMA" ... */
};

/* The last byte of a non-empty range, saturating at the top of the address space. */
uint64_t map_range_last(uint64_t base, uint64_t size);
/* Bytes in [base, last], saturating. */
uint64_t map_span(uint64_t base, uint64_t last);
/* "0x%08" PRIx64 */
const char *map_hex(char *buf, size_t len, uint64_t v);
/* "0x%08" PRIx64 "..0x%08" PRIx64 */
const char *map_range_str(char *buf, size_t len, uint64_t base, uint64_t last);
/* "static, no-map, reusable, linux,cma-default" */
const char *map_flags_str(char *buf, size_t len, const struct cvo_region *r);
/* Boundaries sorted by address; mk holds at least 4. */
size_t map_markers(const struct map *mp, struct marker *mk);
/* Whether a region has a place on the map (placed, or static even when it failed). */
bool map_region_shown(const struct cvo_region *r);

/*
 * Draw the map as SVG on out. returns: 0, CVO_ERR_NOMEM (nothing or part of it was
 * written).
 */
int map_svg(FILE *out, const struct map *mp);

#endif
