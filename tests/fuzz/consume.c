// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include "consume.h"

/* A string the renderers print: non-NULL, and read to its end (ASan sees a bad one). */
static size_t str(const char *s)
{
	if (!s)
		abort();
	return strlen(s);
}

void fuzz_consume_report(const struct cvo_report *r)
{
	volatile size_t sum = 0;
	for (size_t i = 0; i < r->n; i++) {
		const struct cvo_finding *f = &r->findings[i];
		if ((unsigned)f->severity > CVO_SEV_ERROR)
			abort();
		sum += str(f->check) + str(f->path) + str(f->message);
		if (f->property)
			sum += str(f->property);
		for (size_t k = 0; k < f->n_related; k++)
			sum += str(f->related[k]);
	}
	(void)sum;
}

void fuzz_consume_map(const struct cvo_placement *pl)
{
	const struct cvo_model *m = pl->model;
	struct cvo_map *mp;
	if (cvo_map_build(pl, &mp))
		return;
	volatile size_t sum = 0;
	for (size_t i = 0; i < mp->n_rows; i++) {
		const struct cvo_map_row *w = &mp->rows[i];
		if (w->base > w->last || (i && w->base < mp->rows[i - 1].base) ||
		    w->lane < 0 || w->lane >= w->lanes || w->base < mp->lo || w->last > mp->hi ||
		    (w->what == CVO_MAP_REGION) != (w->r != NULL))
			abort();
		if (w->r)
			sum += str(w->r->path) + cvo_map_region_shown(pl, w->r) +
			       cvo_map_in_ram(m, w->base, w->last);
	}
	if (mp->n_markers > CVO_MAP_MAX_MARKERS)
		abort();
	for (size_t i = 0; i < mp->n_devs; i++) {
		const struct cvo_map_device *d = &mp->devs[i];
		if (d->n_reach > CVO_MAP_MAX_REACH)
			abort();
		sum += str(d->path);
		for (size_t k = 0; k < d->n_reach; k++)
			if (d->reach[k].base > d->reach[k].last)
				abort();
	}
	(void)sum;
	cvo_map_free(mp);
}
