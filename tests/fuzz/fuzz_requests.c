// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: one input is a requests file (YAML, carveout-requests(5)),
 * parsed with cvo_requests_load_buffer(). A file that loads is read back field
 * by field, as a planner reads it, and aborts when the parser breaks a promise
 * of carveout.h: a NULL or invalid name, a size of 0, an alignment that is not a
 * power of two, a base off its alignment or wrapping 2^64, a limit below the
 * region, a consumer that is not a path, no-map where the kind forbids it. It
 * links the library only.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "carveout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_request(const struct cvo_request *q)
{
	size_t len = q->name ? strlen(q->name) : 0;
	if (len == 0 || len > 31 || strchr(q->name, '@'))
		abort();
	if ((unsigned)q->kind > CVO_REQUEST_RESERVED || !cvo_request_kind_name(q->kind))
		abort();
	if (q->size == 0)
		abort();
	if (q->has_alignment && (q->alignment == 0 || (q->alignment & (q->alignment - 1))))
		abort();
	if (q->has_base && (q->base > UINT64_MAX - q->size ||
			    (q->has_alignment && q->base % q->alignment)))
		abort();
	if (q->has_limit && (q->limit < q->size || (q->has_base && q->base + q->size > q->limit)))
		abort();
	if (q->n_consumers && !q->consumers)
		abort();
	for (size_t i = 0; i < q->n_consumers; i++) {
		if (!q->consumers[i] || q->consumers[i][0] != '/')
			abort();
	}
	if (q->no_map != CVO_UNSET && q->no_map != 0 && q->no_map != 1)
		abort();
	if (q->no_map == 1 &&
	    (q->kind == CVO_REQUEST_CMA || q->kind == CVO_REQUEST_RESTRICTED_POOL))
		abort();
	if (q->no_map == 0 && q->kind == CVO_REQUEST_COHERENT_POOL)
		abort();
	if (q->line < 1 || q->column < 1)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cvo_requests *rs = NULL;
	struct cvo_error err;
	if (cvo_requests_load_buffer(data, size, "fuzz.yaml", &rs, &err)) {
		if (rs || !err.text[0])
			abort();
		return 0;
	}
	if (!rs || !rs->file || strcmp(rs->file, "fuzz.yaml") || (rs->n && !rs->v))
		abort();
	for (size_t i = 0; i < rs->n; i++) {
		check_request(&rs->v[i]);
		for (size_t j = 0; j < i; j++) {
			if (strcmp(rs->v[i].name, rs->v[j].name) == 0)
				abort();
		}
	}
	cvo_requests_free(rs);
	return 0;
}
