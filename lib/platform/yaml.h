/* SPDX-License-Identifier: MIT */
/*
 * The YAML reader of carveout's input files (internal to libcarveout): one
 * document read with libyaml's event API into a small tree that keeps every
 * node's position, and the checks of its values. Every error names the input,
 * a 1-based line and column and what was expected:
 *
 *   board.yaml:7:12: memory[0].size: expected a size (...), got "2X"
 *
 * A parser of a format walks the tree in document order, so the first error in
 * the input is the one reported: yn_check_keys() on each mapping, then one
 * yn_get_*() per value. The platform files (lib/platform/parse.c) are one such
 * format.
 */
#ifndef CVO_PLATFORM_YAML_H
#define CVO_PLATFORM_YAML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../carveout.h"

/* carveout's formats nest 4 deep (devices[].match.compatible); anything deeper is an error. */
#define YN_MAX_DEPTH 16

enum ykind { Y_SCALAR, Y_SEQ, Y_MAP };

/* One node; a tree is owned by its root (yn_tree_free()). */
struct ynode {
	enum ykind kind;
	int line, col;		/* 1-based */
	bool plain;		/* a scalar written without quotes */
	bool literal;		/* a literal block scalar (|) */
	char *str;		/* scalar text */
	size_t len;
	struct ynode **kids;	/* SEQ: items; MAP: key, value, key, value, ... */
	size_t n, cap;
};

/* Where a format's errors go. */
struct yctx {
	const char *file;	/* the input as errors name it */
	struct cvo_error *err;
};

/* ------------------------------------------------------------------ reading */

/*
 * Read a whole file of at most max bytes into a buffer (free with free()).
 * returns: 0; CVO_ERR_IO (cannot open or read), CVO_ERR_INVALID (larger than
 * max), CVO_ERR_NOMEM; err names path.
 */
int yn_file_read(const char *path, size_t max, unsigned char **out, size_t *len,
		 struct cvo_error *err);

/*
 * Parse one YAML document of len bytes into a tree (free with yn_tree_free()).
 * Aliases, several documents, NUL characters and nesting deeper than
 * YN_MAX_DEPTH are refused. *out is NULL for an empty stream.
 * returns: 0; CVO_ERR_INVALID (not YAML, or refused), CVO_ERR_NOMEM; err names
 * file.
 */
int yn_tree_parse(const char *file, const void *buf, size_t len, struct ynode **out,
		  struct cvo_error *err);

/* yn_file_read() then yn_tree_parse(), errors naming path. returns: as those. */
int yn_tree_load(const char *path, size_t max, struct ynode **out, struct cvo_error *err);

/* Free a tree; NULL is a no-op. */
void yn_tree_free(struct ynode *n);

/* ------------------------------------------------------------------ looking at nodes */

/* A plain null: empty, ~, null, Null or NULL. */
bool yn_is_null(const struct ynode *n);

/* A scalar that is not null. */
bool yn_is_scalar(const struct ynode *n);

/* How a node reads in an error message: `"text"` (cut at 40), `a mapping`, `null`. */
const char *yn_describe(const struct ynode *n, char *buf, size_t len);

/*
 * The value of key in a mapping whose keys yn_check_keys() accepted (borrowed
 * from the tree); NULL when absent.
 */
const struct ynode *yn_map_get(const struct ynode *map, const char *key);

/* ------------------------------------------------------------------ errors */

/* CVO_ERR_INVALID at n (line and column 0 when n is NULL), the text formatted. */
int yn_bad(const struct yctx *c, const struct ynode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "WHERE: expected EXPECTED, got DESCRIPTION" at n; returns CVO_ERR_INVALID. */
int yn_bad_value(const struct yctx *c, const struct ynode *n, const char *where,
		 const char *expected);

/* "out of memory" naming the input; returns CVO_ERR_NOMEM. */
int yn_nomem(const struct yctx *c);

/* ------------------------------------------------------------------ checks and values */

/*
 * A mapping's keys: each a scalar, one of keys[], none twice. where prefixes
 * the message ("" at the top level). returns: 0; CVO_ERR_INVALID at the first
 * bad key.
 */
int yn_check_keys(const struct yctx *c, const struct ynode *map, const char *where,
		  const char *const *keys, size_t nkeys);

/* n is a mapping (Y_MAP) or a sequence (Y_SEQ), not null. returns: 0; CVO_ERR_INVALID. */
int yn_expect_kind(const struct yctx *c, const struct ynode *n, const char *where,
		   enum ykind kind);

/*
 * The typed values: each returns 0, CVO_ERR_INVALID at n naming where and what
 * was expected, or CVO_ERR_NOMEM.
 */

/* A scalar's text (free with free()); empty only when allow_empty. */
int yn_get_string(const struct yctx *c, const struct ynode *n, const char *where,
		  bool allow_empty, char **out);

/* Plain true or false: 1 or 0. */
int yn_get_bool(const struct yctx *c, const struct ynode *n, const char *where, int *out);

/* A decimal or 0x hex number from min to max. */
int yn_get_uint(const struct yctx *c, const struct ynode *n, const char *where, uint64_t min,
		uint64_t max, uint64_t *out);

/* A size: see yn_parse_size(). */
int yn_get_size(const struct yctx *c, const struct ynode *n, const char *where, uint64_t *out);

/*
 * The size syntax of carveout's files and options: a number (decimal or 0x
 * hex) with an optional K, M, G or T suffix (powers of 1024).
 * returns: 0, -1 (malformed), -2 (does not fit in 64 bits).
 */
int yn_parse_size(const char *s, uint64_t *out);

#endif
