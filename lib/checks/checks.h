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

/* Record an allocation failure when failed (an allocation returned NULL): the run stops
 * with CVO_ERR_NOMEM rather than reporting fewer findings. returns: failed. */
static inline bool ctx_oom(struct cvo_ctx *ctx, bool failed)
{
	if (!failed)
		return false;
	cvo_ctx_fail(ctx, CVO_ERR_NOMEM);
	return true;
}

/* Record err (when nonzero) as the run's error. returns: whether err is nonzero. */
static inline bool ctx_failed(struct cvo_ctx *ctx, int err)
{
	if (!err)
		return false;
	cvo_ctx_fail(ctx, err);
	return true;
}

/* The region a check is looking at, as "/reserved-memory/name". */
#define RPATH(r) ((r)->path)

#endif
