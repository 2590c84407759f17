/* SPDX-License-Identifier: MIT */
/* Internal: the check families. Each file defines one array ending in { 0 }. */
#ifndef CVO_CHECKS_H
#define CVO_CHECKS_H

#include <inttypes.h>

#include "../kernel.h"
#include "../util.h"

extern const struct cvo_check cvo_checks_board[];
extern const struct cvo_check cvo_checks_structure[];
extern const struct cvo_check cvo_checks_placement[];
extern const struct cvo_check cvo_checks_cma[];
extern const struct cvo_check cvo_checks_restricted[];
extern const struct cvo_check cvo_checks_consumers[];
extern const struct cvo_check cvo_checks_dma[];
extern const struct cvo_check cvo_checks_coherency[];
extern const struct cvo_check cvo_checks_boot[];

/* The region a check is looking at, as "/reserved-memory/name". */
#define RPATH(r) ((r)->path)

#endif
