/* SPDX-License-Identifier: MIT */
/* Internal: what place.c knows besides cvo_place(), for the placement checks. */
#ifndef CVO_PLACE_H
#define CVO_PLACE_H

#include "carveout.h"

/*
 * RAM as the platform's kernel sees it when it places reserved memory: the
 * model's banks cut to the arch's physical address range and by mem=, sorted
 * and merged. *out is allocated (free with free()); *n may be 0.
 * returns: 0, CVO_ERR_NOMEM.
 */
int cvo_place_memory(const struct cvo_model *m, struct cvo_range **out, size_t *n);


#endif
