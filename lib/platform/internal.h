/* SPDX-License-Identifier: MIT */
/*
 * What the files of lib/platform/ share (internal to libcarveout): a platform
 * file is read into a tree (yaml.h), checked into a struct layer (parse.c),
 * laid over its base (load.c: the `extends` chain, else a built-in profile);
 * the kernel options make a layer too (options.c).
 */
#ifndef CVO_PLATFORM_INTERNAL_H
#define CVO_PLATFORM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../carveout.h"
#include "kconfig.h"
#include "yaml.h"

/* Entry caps keep the duplicate checks (quadratic) cheap on hostile input. */
#define PLAT_MAX_LIST 256
/*
 * A platform file is a few KiB; a bigger input is not one and only costs time. A
 * requests file (lib/requests.c) has the same cap.
 */
#define PLAT_MAX_BYTES (1u << 20)

/* A platform file being read. */
struct pctx {
	struct yctx y;		/* the file as errors name it, and the error */
	const char *shown;	/* how origins name the file (a bundled board by its file name) */
	const char *dir;	/* the file's folder, for kernel.config-file; NULL in memory */
};

/* ------------------------------------------------------------------ cmdline.c */

/* The early parameters carveout models, from one command line. */
struct cmdline_parsed {
	bool has_cma;
	uint64_t cma_size, cma_base, cma_limit;
	bool has_coherent_pool;
	uint64_t coherent_pool;
	bool has_mem, has_mem_base;
	uint64_t mem, mem_base;
};

/*
 * Parse a kernel command line as the kernel does and pick up cma=,
 * coherent_pool= and mem= (a later one wins). Errors are at n (NULL: no
 * position). returns: 0; CVO_ERR_INVALID (a malformed value); CVO_ERR_NOMEM.
 */
int plat_cmdline_parse(const struct yctx *c, const struct ynode *n, const char *cmdline,
		       struct cmdline_parsed *cl);

/* ------------------------------------------------------------------ parse.c */

/* One file's content (or the kernel options'), checked; what applying it moves out. */
struct layer {
	const struct ynode *root;
	char *platform;
	char *extends;
	const struct ynode *extends_n;
	bool has_arch;
	enum cvo_arch arch;
	const struct ynode *arch_n;
	bool has_page_size;
	uint32_t page_size;
	const struct ynode *page_size_n;
	const char *page_size_text;	/* as written */
	bool has_version;
	int kmaj, kmin, kpatch;
	char *release;
	bool has_cfg_file, has_cfg_map;
	struct kc_set cfg_file;	/* kernel.config-file: a whole configuration */
	const struct kc_set *whole; /* the whole configuration to apply: &cfg_file, --config */
	struct kc_set cfg_map;	/* kernel.config: symbols over the base's */
	/* where each value was written, for cvo_platform.origin[] */
	char *origin[CVO_ORIGIN_COUNT];
	bool has_cmdline;
	char *cmdline;
	struct cmdline_parsed cl;
	bool has_compat;
	char **compat;
	size_t n_compat;
	bool has_sources;
	char **sources;
	size_t n_sources;
	bool has_memory;
	struct cvo_range *memory;
	size_t n_memory;
	bool has_reserved;
	struct cvo_named_range *reserved;
	size_t n_reserved;
	bool has_devices;
	struct cvo_platform_device *devices;
	size_t n_devices;
};

/*
 * Check one file's document against the format, in document order, into l
 * (zeroed by the caller; free with plat_layer_fini() on every path). l borrows
 * root. returns: 0; CVO_ERR_INVALID; CVO_ERR_NOMEM; an error of a .config read.
 */
int plat_layer_parse(const struct pctx *c, const struct ynode *root, struct layer *l);
void plat_layer_fini(struct layer *l);

/* A platform name: up to 64 letters, digits, '.', '_' and '-', not starting with '.'. */
bool plat_valid_name(const char *s);

/* Two device entries name the same node(s): the same compatible or the same path. */
bool plat_same_match(const struct cvo_platform_device *a, const struct cvo_platform_device *b);

/* ------------------------------------------------------------------ load.c */

/*
 * Lay the kernel half of l (version, configuration, page size, command line,
 * memory) over p, moving what it takes out of l. returns: 0; CVO_ERR_INVALID
 * or CVO_ERR_USAGE (a page size the arch or the configuration refuses);
 * CVO_ERR_NOMEM.
 */
int plat_layer_apply_kernel(const struct pctx *c, struct cvo_platform *p, struct layer *l);

/* A regular file at path. */
bool plat_file_exists(const char *path);

/* ------------------------------------------------------------------ query.c */

/* The page sizes an arch's kernel can be built with: only 4K on arm and riscv. */
bool plat_page_size_ok(enum cvo_arch arch, uint32_t page_size);

/* The largest page order (MAX_PAGE_ORDER): the configuration's, else the arch default. */
int plat_max_page_order(const struct cvo_platform *p);

#endif
