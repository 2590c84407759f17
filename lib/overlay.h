/* SPDX-License-Identifier: MIT */
/* Internal: what applied overlays set, for source positions (overlay.c). */
#ifndef CVO_OVERLAY_H
#define CVO_OVERLAY_H

#include <stdbool.h>

#include "carveout.h"

void cvo_applied_free(struct cvo_applied *a);
/*
 * Where an overlay set a property (prop non-NULL) or created a node (prop
 * NULL) of the merged tree, the last overlay winning: *found says whether one
 * did; the result, whether its source position is known (a DTS overlay).
 */
bool cvo_applied_locate(const struct cvo_applied *a, const char *path, const char *prop,
			bool *found, struct cvo_loc *loc);

#endif
