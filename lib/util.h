/* SPDX-License-Identifier: MIT */
/* Internal helpers shared by libcarveout's files; not part of the public API. */
#ifndef CVO_UTIL_H
#define CVO_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "carveout.h"

#define CVO_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))


/* end = base + size, false when it wraps past 2^64 (end == 2^64 is allowed: *end = 0, *top = true). */
bool cvo_range_end(uint64_t base, uint64_t size, uint64_t *last);

/* Whether two non-empty ranges intersect (inclusive arithmetic, no wrap). */
bool cvo_ranges_overlap(uint64_t a, uint64_t asz, uint64_t b, uint64_t bsz);

/* Grow *arr (of elem bytes) so that it holds at least n+1 elements. */
int cvo_grow(void *arrp, size_t *cap, size_t n, size_t elem);

char *cvo_strdup(const char *s);
char *cvo_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growing NUL-terminated string; oom once an append failed (later appends do nothing).
 * Free .s with free(). */
struct cvo_sbuf {
	char *s;
	size_t n, cap;
	bool oom;
};
void cvo_sb_put(struct cvo_sbuf *b, const char *s, size_t n);
void cvo_sb_printf(struct cvo_sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* cvo_asprintf() of a va_list (ap is consumed). */
char *cvo_vasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Record err (nonzero) as the check run's error unless one is there already: the first
 * error wins. returns: the error ctx holds. */
int cvo_ctx_fail(struct cvo_ctx *ctx, int err);

/* Full path of an fdt node, allocated (free with free()); NULL on error. */
char *cvo_fdt_path(const void *fdt, int node);

/* Property helpers that trust only lengths libfdt returns. */
bool cvo_fdt_has(const void *fdt, int node, const char *name);
/* u32 property; false when absent or not exactly 4 bytes. */
bool cvo_fdt_u32(const void *fdt, int node, const char *name, uint32_t *out);
/* A node is available when status is absent, "okay" or "ok" (of_fdt_device_is_available). */
bool cvo_fdt_available(const void *fdt, int node);
/* Whether the stringlist property `compatible` contains s. */
bool cvo_fdt_compatible(const void *fdt, int node, const char *s);

/* The kernel configuration's origin, for messages: "platform NAME" or
 * "the generic-ARCH profile (Debian's kernel)". */
const char *cvo_platform_origin(const struct cvo_platform *p, char *buf, size_t len);

/*
 * Run argv (argv[0] found on PATH, stdin /dev/null) with its stdout into *out / *outlen
 * (malloc()ed) and the first line of its stderr that is not a warning into errbuf (blob.c).
 * returns: the exit status (0..255, 128 + a signal), or CVO_ERR_IO / CVO_ERR_NOMEM.
 */
int cvo_run_capture(char *const argv[], void **out, size_t *outlen, char *errbuf, size_t errlen);


/* "0x%08" PRIx64 (at least 8 digits) as messages print addresses (buf >= 20). */
const char *cvo_fmt_addr(uint64_t v, char *buf, size_t len);

#endif
