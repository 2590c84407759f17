/* SPDX-License-Identifier: MIT */
/*
 * carveout map: the memory map of one placed model (lib/map.c builds it), printed
 * as text (map.c) and drawn as SVG (svg.c).
 */
#ifndef CVO_CMD_MAP_H
#define CVO_CMD_MAP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "carveout.h"

/* Bytes in [base, last], saturating. */
uint64_t map_span(uint64_t base, uint64_t last);
/* "0x%08" PRIx64 */
const char *map_hex(char *buf, size_t len, uint64_t v);
/* "0x%08" PRIx64 "..0x%08" PRIx64 */
const char *map_range_str(char *buf, size_t len, uint64_t base, uint64_t last);
/* "static, no-map, reusable, linux,cma-default" */
const char *map_flags_str(char *buf, size_t len, const struct cvo_region *r);

/*
 * Draw the map of the input called file as SVG on out. returns: 0, CVO_ERR_NOMEM
 * (nothing or part of it was written).
 */
int map_svg(FILE *out, const char *file, const struct cvo_map *mp);

/* What a plan did to the region at path ("moved from 0x...", "added", "resized"). */
struct map_mark {
	const char *path;
	const char *what;
};
/* map_svg() with the regions a plan changed marked under their labels. */
int map_svg_marked(FILE *out, const char *file, const struct cvo_map *mp,
		   const struct map_mark *marks, size_t n_marks);

#endif
