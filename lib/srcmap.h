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

#endif
