/* SPDX-License-Identifier: MIT */
/*
 * What the fuzz targets do with a check run and a placed model, in place of the
 * renderers of cmd/ (which they do not link): read every byte a renderer would
 * read, and abort() where the library breaks a promise the renderers rely on.
 */
#ifndef CVO_FUZZ_CONSUME_H
#define CVO_FUZZ_CONSUME_H

#include "carveout.h"

/* Every finding: a check id, a severity a counts[4] array can index, a path and a
 * message, related paths as many as n_related. */
void fuzz_consume_report(const struct cvo_report *r);
/* cvo_map_build() of m: rows sorted by base, each base <= last, lanes that fit,
 * markers and reach within their arrays, every device with a path. */
void fuzz_consume_map(const struct cvo_placement *pl);

#endif
