/* SPDX-License-Identifier: MIT */
/* Internal: node and property source positions of a DTS, from dtc -T -T. */
#ifndef CVO_SRCMAP_H
#define CVO_SRCMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "carveout.h"

struct cvo_srcmap;

/* Parse dtc's annotated DTS output. NULL on allocation failure or nothing found. */
struct cvo_srcmap *cvo_srcmap_parse(const char *text, size_t len, const char *main_file);
void cvo_srcmap_free(struct cvo_srcmap *map);
bool cvo_srcmap_find(const struct cvo_srcmap *map, const char *path, const char *prop,
		     struct cvo_loc *loc);
/*
 * Every position dtc lists for a node (prop NULL) or a property, exactly that one (no
 * fall back to the node), in dtc's order: a node defined in several places has one per
 * definition, the last being the latest. Up to max into locs; returns how many there are
 * (0: not in the map).
 */
size_t cvo_srcmap_sites(const struct cvo_srcmap *map, const char *path, const char *prop,
			struct cvo_loc *locs, size_t max);

#endif
