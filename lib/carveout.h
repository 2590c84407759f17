/* SPDX-License-Identifier: MIT */
/*
 * libcarveout: what the Linux kernel will do with a device tree's
 * /reserved-memory and DMA configuration.
 *
 * The library never prints and never exits. Everything a run needs lives in
 * objects the caller owns; every constructor pairs with one _free(), and
 * _free(NULL) is a no-op. Fatal errors are negative CVO_ERR_* codes with a
 * struct cvo_error filled in; conformance problems are findings in a report.
 */
#ifndef CARVEOUT_H
#define CARVEOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CVO_VERSION "0.1.0"

/* ------------------------------------------------------------------ errors */

enum cvo_errcode {
	CVO_OK = 0,
	CVO_ERR_IO = -1,	/* a file could not be read or written */
	CVO_ERR_INVALID = -2,	/* malformed input: DTB, DTS, YAML, JSON */
	CVO_ERR_NOMEM = -3,
	CVO_ERR_USAGE = -4,	/* an API or command-line argument is wrong */
	CVO_ERR_INTERNAL = -5,
};

/* A fatal error: where (file, 1-based line/column, 0 when unknown) and what. */
struct cvo_error {
	char source[512];
	int line;
	int column;
	char text[512];
};

/* Fill err (may be NULL) and return code. */
int cvo_error_set(struct cvo_error *err, int code, const char *source, int line, int column,
		  const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* ------------------------------------------------------------------ blob (blob.c) */

/* A source position from a DTS (1-based; 0 when unknown). */
struct cvo_loc {
	const char *file; /* borrowed from the srcmap */
	int line, column, end_line, end_column;
};

struct cvo_srcmap;
struct cvo_applied;

struct cvo_blob {
	void *fdt;		/* 8-byte aligned, validated with fdt_check_full() */
	size_t size;
	char *name;		/* the name findings are reported under */
	struct cvo_srcmap *srcmap; /* NULL unless the input was a DTS */
	struct cvo_applied *applied; /* what overlays set (cvo_blob_apply()); NULL when none */
};

/*
 * Load a DTB file, a DTS file or "-" (a DTB on stdin). The content decides,
 * whatever the file is called: the FDT magic (or binary bytes) is a DTB,
 * anything else DTS source, compiled by dtc with symbols (-@) so that
 * overlays can refer to its labels. With include dirs the C preprocessor runs
 * first; dtc searches the source's own folder, then the include dirs, for
 * /include/ (scripts/Makefile.lib's cmd_dtc).
 * returns: 0, CVO_ERR_IO (unreadable), CVO_ERR_INVALID (not a valid DTB, or
 * dtc rejected the DTS), CVO_ERR_NOMEM.
 */
int cvo_blob_load(const char *path, const char *const *incdirs, size_t n_incdirs,
		  struct cvo_blob **out, struct cvo_error *err);
/* Copy and validate an in-memory DTB. */
int cvo_blob_from_buffer(const void *buf, size_t len, const char *name, struct cvo_blob **out,
			 struct cvo_error *err);
void cvo_blob_free(struct cvo_blob *blob);
/*
 * Source position of a node (prop NULL) or a property; false when unknown.
 * A property an overlay set is located in that overlay's source (when it was a
 * DTS), never at the base's line it replaced.
 */
bool cvo_blob_locate(const struct cvo_blob *blob, const char *path, const char *prop,
		     struct cvo_loc *loc);

/* ------------------------------------------------------------------ overlays (overlay.c) */

/*
 * Whether a blob is a device tree overlay (a root child with an __overlay__
 * node, or nothing but __fixups__ / __local_fixups__): a change to a DT, not
 * a DT to check by itself.
 */
bool cvo_blob_is_overlay(const struct cvo_blob *blob);

/*
 * Apply overlay to base as a bootloader does: libfdt's fdt_overlay_apply() on
 * a copy of base grown as needed; base's tree is replaced by the result only
 * on success. overlay is left as it was and may be applied to many bases; it
 * must outlive base (base's source positions borrow overlay's).
 * returns: 0, CVO_ERR_INVALID (err is on the overlay: "cannot apply to BASE:
 * why", e.g. a label BASE does not define, or BASE has no __symbols__),
 * CVO_ERR_NOMEM.
 */
int cvo_blob_apply(struct cvo_blob *base, const struct cvo_blob *overlay, struct cvo_error *err);

/* ------------------------------------------------------------------ platform (platform/) */

enum cvo_arch { CVO_ARCH_ARM, CVO_ARCH_ARM64, CVO_ARCH_RISCV, CVO_ARCH_POWERPC };

/* Tri-state for platform values that may be left unsaid. */
enum { CVO_UNSET = -1 };

/* CONFIG_CMA_SIZE_SEL_*: how dma_contiguous_reserve() sizes the default CMA area. */
enum cvo_cma_size_sel {
	CVO_CMA_SIZE_SEL_MBYTES,
	CVO_CMA_SIZE_SEL_PERCENTAGE,
	CVO_CMA_SIZE_SEL_MIN,
	CVO_CMA_SIZE_SEL_MAX,
};

/* The modelled symbols, derived from the platform's symbol table (0/1 for bools). */
struct cvo_kconfig {
	int zone_dma, zone_dma32, dma_cma;		/* dma_cma: DMA_CMA and CMA */
	uint64_t cma_size_mbytes;
	int cma_areas;
	int hugetlb_page, dma_restricted_pool, dma_direct_remap, dma_global_pool;
	int init_on_alloc_default_on;
	int page_block_order;				/* 0 = kernel default */
	int cma, swiotlb;
	int highmem, arm_lpae;				/* arm only */
	enum cvo_cma_size_sel cma_size_sel;
	uint64_t cma_size_percentage;
};

/* One Kconfig symbol of the platform's kernel configuration. */
struct cvo_kconfig_symbol {
	char *name;		/* without CONFIG_ */
	char *value;		/* y, m, n, a number, or a string's text */
	char *origin;		/* where it was set: "FILE:LINE", "PROFILE: CONFIG-FILE:LINE" */
};

/* The platform values whose origin is recorded (cvo_platform.origin[]). */
enum cvo_origin {
	CVO_ORIGIN_ARCH,
	CVO_ORIGIN_PAGE_SIZE,
	CVO_ORIGIN_VERSION,
	CVO_ORIGIN_CMDLINE,
	CVO_ORIGIN_MEMORY,
	CVO_ORIGIN_COMPATIBLE,
	CVO_ORIGIN_COUNT
};

struct cvo_platform_device {
	char *match_compatible; /* exactly one of the two is set */
	char *match_path;
	char *origin;		/* "FILE:LINE" of the entry */
	int dma_bits;		/* 0 = unset */
	int coherent;		/* CVO_UNSET, 0, 1 */
	int iommu;		/* CVO_UNSET, 0, 1 */
	bool has_cma;
	uint64_t cma;		/* bytes */
	int small_allocs;	/* CVO_UNSET, 0, 1 */
	uint64_t atomic;	/* bytes */
	int firmware_owned;	/* CVO_UNSET, 0, 1 */
	int movable;		/* CVO_UNSET, 0, 1: a reserved-memory node plan may move */
	/* which memory-region entries the driver attaches (of_reserved_mem_device_init_by_idx()):
	 * unset means index 0 only, what of_reserved_mem_device_init() does */
	bool has_attach;
	bool attach_all;	/* attach: all */
	uint64_t attach_mask;	/* attach: [i, ...]; bit i for entry i (i < 64) */
	int line;		/* where it was declared (1-based), for messages */
};

struct cvo_named_range {
	char *name;
	uint64_t base, size;
	bool dtb;		/* the bootloader's DTB: reserved where the arch reserves it */
	char *origin;		/* "FILE:LINE" of a platform file's entry; NULL elsewhere */
};

struct cvo_range {
	uint64_t base, size;
};

struct cvo_platform {
	char *name;
	char *file;		/* where it came from ("builtin" for a generic profile) */
	char **compatible;
	size_t n_compatible;
	char **sources;
	size_t n_sources;
	enum cvo_arch arch;
	uint32_t page_size;
	int kver_major, kver_minor; /* e.g. 6, 1 */
	int kver_patch;		/* e.g. 117; -1 when unknown: "6.12", or a Debian ABI name 6.1.0-50 */
	struct cvo_kconfig config;
	char *cmdline;
	/* parsed from cmdline */
	bool has_cmdline_cma;
	uint64_t cmdline_cma_size, cmdline_cma_base, cmdline_cma_limit; /* base/limit 0 = none */
	bool has_coherent_pool;
	uint64_t coherent_pool;
	bool has_mem;
	uint64_t mem;
	struct cvo_range *memory; /* overrides /memory when n_memory > 0 */
	size_t n_memory;
	struct cvo_named_range *reserved;
	size_t n_reserved;
	struct cvo_platform_device *devices;
	size_t n_devices;
	/* Added with the platform file parser (carveout-platform(5)). */
	char *extends;		/* the platform this one starts from; NULL when none */
	int max_page_order;	/* largest buddy order: MAX_PAGE_ORDER (>= 6.4), i.e.
				   MAX_ORDER - 1 before 6.4; 0 = arch default for page_size */
	int transparent_hugepage; /* CONFIG_TRANSPARENT_HUGEPAGE, 0/1 */
	bool has_mem_base;	/* mem=SIZE@START (honoured by arm only) */
	uint64_t mem_base;
	/* Added with kernel configurations as users have them. */
	char *kver_release;	/* the version as written ("6.1.0-50-arm64") */
	char *profile;		/* the built-in profile the chain starts from */
	struct cvo_kconfig_symbol *symbols; /* every symbol set, sorted by name */
	size_t n_symbols;
	char *config_origin;	/* the whole configuration the symbols start from */
	char *origin[CVO_ORIGIN_COUNT]; /* where each value was set (NULL: not set) */
	/* What the file itself says (not what it inherits through extends or from a
	 * generic profile): CVO_PLATFORM_OWN_* bits. A boot log's facts give way to these. */
	unsigned own;
};

enum {
	CVO_PLATFORM_OWN_VERSION = 1 << 0,	/* kernel.version */
	CVO_PLATFORM_OWN_CMDLINE = 1 << 1,	/* kernel.cmdline */
	CVO_PLATFORM_OWN_MEMORY = 1 << 2,	/* memory */
};

/* What cvo_platform_dup_with() changes; a NULL or 0 field keeps the original value. */
struct cvo_platform_overrides {
	const char *name;			/* the copy's name */
	int kver_major, kver_minor;		/* kernel.version; kver_major 0 keeps it */
	const char *cmdline;			/* kernel.cmdline, re-parsed for cma=, mem=,
						   coherent_pool= as a platform file's is */
	const struct cvo_range *memory;		/* memory, n_memory entries; 0 keeps it */
	size_t n_memory;
	int kver_patch;				/* with kver_major: the patch level, -1 unknown */
};

/* What a modelled Kconfig symbol does in carveout (cvo_kconfig_model()). */
struct cvo_kconfig_model {
	const char *name;
	const char *effect;	/* one line; "shown only" when the placement does not use it */
	const char *unset;	/* what the kernel has when the configuration does not set it */
};

/*
 * Load a platform file. Errors name file:line:column.
 * returns: 0, CVO_ERR_IO, CVO_ERR_INVALID, CVO_ERR_NOMEM.
 */
int cvo_platform_load(const char *path, struct cvo_platform **out, struct cvo_error *err);
/* The built-in generic profile of an arch (Debian's kernel configuration). */
int cvo_platform_generic(enum cvo_arch arch, struct cvo_platform **out, struct cvo_error *err);
/*
 * Resolve -p: a path (contains '/' or ends in .yaml), a bundled board name, or
 * "auto" (match the DT root compatible against the bundled boards, else the
 * generic profile of the DT's arch). boards_dir: where bundled boards live.
 */
int cvo_platform_resolve(const char *spec, const void *fdt, const char *boards_dir,
			 struct cvo_platform **out, struct cvo_error *err);
void cvo_platform_free(struct cvo_platform *p);
const char *cvo_arch_name(enum cvo_arch arch);
/* Apply this device's platform entry (path beats compatible); NULL when none. */
const struct cvo_platform_device *cvo_platform_device_for(const struct cvo_platform *p,
							   const void *fdt, int node);
/* CMA_MIN_ALIGNMENT_BYTES for this platform's page size, hugetlb and kernel version. */
uint64_t cvo_platform_cma_min_align(const struct cvo_platform *p);
bool cvo_platform_kver_ge(const struct cvo_platform *p, int major, int minor);
/* The last physical address phys_addr_t holds: 32 bits on arm without CONFIG_ARM_LPAE. */
uint64_t cvo_platform_phys_max(const struct cvo_platform *p);
/*
 * The default CMA area's size from the configuration alone (CMA_SIZE_SEL_*:
 * CMA_SIZE_MBYTES, CMA_SIZE_PERCENTAGE of ram_bytes, their min or max), as
 * dma_contiguous_reserve() computes it without cma=.
 */
uint64_t cvo_platform_cma_size(const struct cvo_platform *p, uint64_t ram_bytes);
/* A symbol of p's kernel configuration (name without CONFIG_); NULL when not set.
 * Borrowed from p. */
const struct cvo_kconfig_symbol *cvo_platform_symbol(const struct cvo_platform *p,
						      const char *name);
/* The symbols carveout models, i from 0 until NULL, in documentation order; static. */
const struct cvo_kconfig_model *cvo_kconfig_model(size_t i);
/*
 * The built-in profiles (Debian's kernel configurations) by name, including
 * the generic-ARCH names; i from 0 until NULL. alias_of is the profile a
 * name stands for, or NULL. Static strings.
 */
const char *cvo_platform_profile_name(size_t i, const char **alias_of);
/* A built-in profile by name (generic-ARCH, debian13-arm64, ...).
 * returns: 0, CVO_ERR_USAGE (no such profile), CVO_ERR_NOMEM. */
int cvo_platform_profile(const char *name, struct cvo_platform **out, struct cvo_error *err);

/*
 * Values given on the command line on top of a platform (carveout(1)): each
 * NULL when not given.
 */
struct cvo_platform_options {
	const char *kernel;	/* --kernel VERSION */
	const char *config;	/* --config FILE (a .config) */
	const char *cmdline;	/* --cmdline "..." */
	const char *memory;	/* --memory BASE:SIZE[,BASE:SIZE...] */
	const char *page_size;	/* --page-size 4K|16K|64K */
};
struct cvo_overrides;
/*
 * Read and check the options once (the --config file is read here), to lay
 * over any number of platforms with cvo_platform_override().
 * returns: 0, CVO_ERR_USAGE (a malformed value: err names the option),
 * CVO_ERR_IO / CVO_ERR_INVALID (the --config file), CVO_ERR_NOMEM.
 */
int cvo_overrides_new(const struct cvo_platform_options *o, struct cvo_overrides **out,
		      struct cvo_error *err);
/* Whether any option was given. */
bool cvo_overrides_any(const struct cvo_overrides *ov);
/*
 * Lay the options over p, as a platform file extending p would: --config,
 * then --kernel, --page-size, --cmdline, --memory.
 * returns: 0, CVO_ERR_USAGE (an option does not fit p: a page size its arch
 * lacks), CVO_ERR_INVALID (the --config is for another arch), CVO_ERR_NOMEM.
 */
int cvo_platform_override(struct cvo_platform *p, const struct cvo_overrides *ov,
			  struct cvo_error *err);
void cvo_overrides_free(struct cvo_overrides *ov);
/*
 * Load a platform file; `extends: NAME` looks for NAME.yaml beside the file,
 * then in boards_dir (may be NULL), after the built-in generic-ARCH names.
 * returns: 0, CVO_ERR_IO, CVO_ERR_INVALID, CVO_ERR_NOMEM.
 */
int cvo_platform_load_dir(const char *path, const char *boards_dir, struct cvo_platform **out,
			  struct cvo_error *err);
/* Parse a platform file held in memory; name is what errors are reported under. */
int cvo_platform_load_buffer(const void *buf, size_t len, const char *name,
			     const char *boards_dir, struct cvo_platform **out,
			     struct cvo_error *err);
/*
 * Every bundled board (each NAME.yaml in boards_dir, sorted by file name), loaded.
 * Free with cvo_platform_list_free().
 * returns: 0, CVO_ERR_IO (boards_dir unreadable), CVO_ERR_INVALID (a board
 * file is broken: err names it), CVO_ERR_NOMEM.
 */
int cvo_platform_list(const char *boards_dir, struct cvo_platform ***out, size_t *n,
		      struct cvo_error *err);
void cvo_platform_list_free(struct cvo_platform **list, size_t n);
/*
 * -p auto over boards already loaded with cvo_platform_list() (load them once
 * per run, not once per input): the board the DT's root compatible picks, or
 * NULL, for which -p auto uses cvo_platform_generic(cvo_platform_guess_arch()).
 * The result is borrowed from boards.
 */
const struct cvo_platform *cvo_platform_match(struct cvo_platform *const *boards, size_t n,
					     const void *fdt);
/* The arch the kernel a DT was built for most likely runs (see carveout-platform(5)). */
enum cvo_arch cvo_platform_guess_arch(const void *fdt);
/* "arm64" -> CVO_ARCH_ARM64; false for an unknown name. */
bool cvo_arch_parse(const char *name, enum cvo_arch *out);
/*
 * A copy of p with the overrides applied, as if a platform file extending p set
 * them (an override becomes the copy's own value: see cvo_platform.own). Errors
 * (a command line carveout cannot read, a memory bank that wraps) name `source`.
 * Free *out with cvo_platform_free().
 * returns: 0, CVO_ERR_INVALID, CVO_ERR_NOMEM.
 */
int cvo_platform_dup_with(const struct cvo_platform *p, const struct cvo_platform_overrides *o,
			  const char *source, struct cvo_platform **out, struct cvo_error *err);

/* ------------------------------------------------------------------ model (model.c) */

enum cvo_kind {
	CVO_KIND_RESERVED,
	CVO_KIND_CMA,
	CVO_KIND_COHERENT_POOL,
	CVO_KIND_RESTRICTED_POOL,
	CVO_KIND_MEMRESERVE,
	CVO_KIND_PLATFORM,
};

/* Where the model's RAM comes from. */
enum cvo_memory_source {
	CVO_MEMORY_NONE = 0,	/* no usable /memory and no platform memory: RAM unknown */
	CVO_MEMORY_DT,		/* the /memory nodes */
	CVO_MEMORY_PLATFORM,	/* the platform file's memory: */
	CVO_MEMORY_OPTION,	/* given by the caller (struct cvo_model_opts, --memory) */
};

enum cvo_status {
	CVO_STATUS_UNPLACED = 0, /* no placement run yet */
	CVO_STATUS_PLACED,
	CVO_STATUS_FAILED,
	CVO_STATUS_IGNORED,
	CVO_STATUS_DISABLED,
};

/*
 * Why cvo_place() left a region FAILED or IGNORED (or PLACED but never
 * initialised): one code per outcome of drivers/of/of_reserved_mem.c and the
 * RESERVEDMEM_OF_DECLARE handlers of kernel/dma. The words are
 * cvo_region_why_text()'s; a module that tests an outcome tests the code.
 */
enum cvo_region_why {
	CVO_WHY_NONE = 0,
	/* __reserved_mem_reserve_reg() */
	CVO_WHY_REG_EMPTY,		/* an empty reg: the loop never runs (IGNORED) */
	CVO_WHY_REG_INVALID,		/* reg length not a multiple of the cells */
	CVO_WHY_RESERVE_BUSY,		/* early_init_dt_reserve_memory(): no-map, -EBUSY */
	CVO_WHY_RESERVE_SIZE0,		/* the first entry has size 0 */
	/* fdt_reserved_mem_save_node(): the table of MAX_RESERVED_REGIONS is full */
	CVO_WHY_TABLE_FULL_RESERVED,	/* reserved, never initialised (status PLACED) */
	CVO_WHY_TABLE_FULL,		/* a dynamic region not recorded */
	CVO_WHY_DYNAMIC_OVERFLOW,	/* dynamic_nodes[] overflowed (the ~6.13 flow) */
	/* __reserved_mem_alloc_size() */
	CVO_WHY_SIZE_INVALID,
	CVO_WHY_ALIGN_INVALID,
	CVO_WHY_ALLOC_RANGES_INVALID,
	CVO_WHY_NO_RAM,			/* no memory known to allocate from */
	CVO_WHY_ALLOC_FAIL,		/* "failed to allocate memory for node" */
	/* rmem_cma_setup(), cma_init_reserved_mem() */
	CVO_WHY_CMA_BYPASS,		/* cma= on the command line (IGNORED) */
	CVO_WHY_CMA_ALIGN,		/* "incorrect alignment of CMA region" */
	CVO_WHY_CMA_SIZE0,
	CVO_WHY_CMA_NO_SLOT,		/* "Not enough slots for CMA reserved regions!" */
	CVO_WHY_CMA_NOT_RESERVED,	/* the range is no longer reserved */
	/* rmem_dma_setup() */
	CVO_WHY_COHERENT_REUSABLE_NOMAP, /* reusable, with no-map */
	CVO_WHY_COHERENT_REUSABLE,	/* reusable, and no CMA handler took it */
	CVO_WHY_COHERENT_MAPPED,	/* arm: without no-map */
	/* rmem_swiotlb_setup() */
	CVO_WHY_RDP_FLAGS,		/* reusable, no-map, linux,cma-default or linux,dma-default */
	CVO_WHY_RDP_HIGHMEM,		/* arm highmem, refused at setup */
	/* fdt_scan_reserved_mem() */
	CVO_WHY_FORMAT,			/* unsupported node format: every child ignored */
	CVO_WHY_NO_REG_NO_SIZE,
	CVO_WHY_NOT_PROCESSED,		/* the scan never reached it */
};

/*
 * What a region's node states about where it goes and what it is: the facts the
 * placement reads besides the region's identity, and what a planner may change.
 * struct cvo_region holds the DT's as fields of the same names (and as one value,
 * .layout); struct cvo_layout holds one per region, to be edited and placed.
 */
#define CVO_REGION_LAYOUT_FIELDS                                                       \
	bool available;		/* status okay (or absent) */                          \
	bool is_static;		/* has reg (reg wins over size) */                     \
	bool no_map, reusable, cma_default, dma_default;                               \
	/* static: every reg entry (root cells); reg_len_ok false if length is wrong;   \
	 * reg_bytes the property's length (-1: no property) */                         \
	bool has_reg, reg_len_ok;                                                      \
	int reg_bytes;                                                                 \
	struct cvo_range *regs;                                                        \
	size_t n_regs;                                                                 \
	/* dynamic */                                                                  \
	bool has_size, size_len_ok;                                                    \
	uint64_t size;                                                                 \
	bool has_alignment, alignment_len_ok;                                          \
	uint64_t alignment;                                                            \
	bool has_alloc_ranges, alloc_ranges_len_ok;                                    \
	struct cvo_range *alloc_ranges;                                                \
	size_t n_alloc_ranges;

struct cvo_region_layout {
	CVO_REGION_LAYOUT_FIELDS
};

struct cvo_region {
	char *path;		/* "/reserved-memory/x@1", "/memreserve/0", "/platform/kernel" */
	const char *name;	/* last path component (points into path) */
	int node;		/* fdt offset, -1 for memreserve / platform */
	int index;		/* its position in the model's regions (DT order among the
				   /reserved-memory children, then the others) */
	enum cvo_kind kind;
	bool compat_shared_dma_pool, compat_restricted_dma_pool;
	bool has_compatible;
	uint32_t phandle;	/* 0 = none */
	bool dtb;		/* a platform range that is the bootloader's DTB (riscv reserves it
				   after the /reserved-memory scan) */

	/* who can name it: memory-region entries of any node, and a label in __symbols__
	 * (what an overlay would resolve a reference through) */
	size_t n_users;		/* nodes whose memory-region names it */
	bool has_symbol;

	/* the DT's layout: the fields by name, or all of them as .layout (the model owns
	 * the ranges) */
	union {
		struct cvo_region_layout layout;
		struct {
			CVO_REGION_LAYOUT_FIELDS
		};
	};
};

/* What cvo_place() made of one region. */
struct cvo_region_place {
	enum cvo_status status;
	uint64_t base;		/* valid when status is PLACED (or FAILED with has_base) */
	uint64_t placed_size;
	bool has_base;
	enum cvo_region_why why; /* why FAILED or IGNORED (or PLACED, never initialised) */
	bool nomap_busy;	/* -EBUSY from early_init_dt_reserve_memory() */
	bool refused;		/* its handler rejected it ("compatible matching fail") */
	/* arm: what dma_contiguous_remap() does with the range dma_contiguous_early_fixup()
	 * recorded for this region (CVO_REMAP_*); remap_other: the region whose recorded
	 * range it overlaps, -1 for the default CMA area */
	int remap;
	uint64_t remap_base, remap_size;
	int remap_other;
	uint64_t remap_hit;	/* where an early allocation lands in its unmapped part, 0: none */
	/* arm64: a no-map region its handler rejected after paging_init() had mapped RAM
	 * without it, so memblock_clear_nomap() gives back memory with no linear mapping;
	 * unmapped_hit: where the kernel's own next early allocation lands in it (0: none) */
	bool unmapped_free;
	uint64_t unmapped_hit;
	bool nomap_partial_page; /* the hit is in a page it only partly covers (arm64 6.12.117) */
};

/* A node with memory-region. */
struct cvo_consumer {
	char *path;
	int node;
	uint32_t *phandles;
	int *targets;		/* index into model->regions, -1 when unresolved */
	int *target_nodes;	/* fdt offset of the phandle target, -1 when none */
	size_t n;
	int n_names;		/* -1 when memory-region-names is absent */
	bool cells_ok;		/* memory-region length is a multiple of 4 */
};

/* arm dma_contiguous_remap() and a recorded CMA range (struct cvo_region.remap) */
enum {
	CVO_REMAP_NONE,	   /* not recorded, or beyond lowmem */
	CVO_REMAP_OK,	   /* whole 2 MiB blocks, or harmless */
	CVO_REMAP_SPLIT,   /* base % 2M > (end - 1) % 2M: the last block is never cleared */
	CVO_REMAP_PARTIAL, /* starts or ends inside a 2 MiB block: the rest stays unmapped */
	CVO_REMAP_OVERLAP, /* overlaps another recorded range: its page tables are cleared */
};

/* Where the default CMA area's size comes from (dma_contiguous_reserve()). */
enum cvo_default_cma_source {
	CVO_CMA_SOURCE_NONE = 0,	/* no default CMA area */
	CVO_CMA_SOURCE_DT,		/* a DT linux,cma-default region */
	CVO_CMA_SOURCE_KCONFIG,		/* CONFIG_CMA_SIZE_* */
	CVO_CMA_SOURCE_CMDLINE,		/* cma= */
};

/* Why the default CMA area is present but not placed: mm/cma.c
 * cma_declare_contiguous_nid() and dma_contiguous_reserve(). */
enum cvo_default_cma_why {
	CVO_CMA_WHY_NONE = 0,
	CVO_CMA_WHY_NO_RAM,		/* no memory known to place it in */
	CVO_CMA_WHY_NO_SLOT,		/* "Not enough slots for CMA reserved regions!" */
	CVO_CMA_WHY_ALIGN,		/* a fixed base not a multiple of why_bound */
	CVO_CMA_WHY_BOUNDARY,		/* a fixed range across lowmem's end (why_bound) */
	CVO_CMA_WHY_LIMIT,		/* base + size above the limit (why_bound) */
	CVO_CMA_WHY_FIXED_BUSY,		/* a fixed range already reserved */
	CVO_CMA_WHY_ALLOC_FAIL,		/* memblock found no room */
};

struct cvo_default_cma {
	bool present;
	bool placed;
	uint64_t base, size;
	enum cvo_default_cma_source source;
	int region;		/* index of the DT region when source is DT, else -1 */
	enum cvo_default_cma_why why;	/* why present but not placed */
	uint64_t why_bound;	/* ALIGN: the alignment; BOUNDARY: lowmem's end; LIMIT: the limit */
	/* a static linux,cma-default region whose handler ran after this area was
	 * placed and took over dma_contiguous_default_area (arm and riscv from the 6.13
	 * rework: both exist); -1 when none */
	int override_region;
};

/* The layout of every region of a model, to be placed (cvo_place()) or edited: one
 * struct cvo_region_layout per model region, in the same order, owning its ranges. */
struct cvo_layout {
	struct cvo_region_layout *regions;
	size_t n_regions;
};

struct cvo_model;

/* What the kernel makes of a layout at boot: one outcome per model region, the zones
 * and the default CMA area. */
struct cvo_placement {
	const struct cvo_model *model;	/* borrowed: the model placed */
	struct cvo_region_place *regions; /* model->n_regions entries */
	size_t n_regions;
	bool placed;		/* the placement ran to its end */
	uint64_t zone_dma_end;	/* exclusive; 0 = no ZONE_DMA */
	uint64_t zone_dma32_end;/* exclusive; 0 = no ZONE_DMA32 */
	uint64_t dma_phys_limit;/* exclusive limit for the default CMA area */
	struct cvo_default_cma default_cma;
};

/* What pl made of r, a region of the model pl placed. */
static inline const struct cvo_region_place *cvo_outcome(const struct cvo_placement *pl,
							 const struct cvo_region *r)
{
	return &pl->regions[r->index];
}

struct cvo_tree; /* lib/tree.h */

struct cvo_model {
	const struct cvo_blob *blob;
	const struct cvo_platform *platform;
	uint32_t root_addr_cells, root_size_cells;
	bool root_cells_ok;	/* both in 1..2 (the kernel reads at most 64 bits) */

	int rmem_node;		/* -1 when absent */
	bool rmem_format_ok;	/* __reserved_mem_check_root() passes */

	struct cvo_range *banks; /* RAM after device_type/status/page trimming (or platform) */
	size_t n_banks;
	enum cvo_memory_source memory_source;
	/* /memory is a placeholder its firmware rewrites: the DT's banks minus any MMIO
	 * window of a bus (the part no RAM can be in) are what banks holds */
	bool memory_placeholder;
	int placeholder_bus;	/* fdt offset of the bus whose ranges /memory reaches into, -1 */
	struct cvo_range placeholder_cut; /* the part of /memory in that window (size 0: none) */
	const char *placeholder_firmware; /* the firmware known to rewrite /memory, or NULL */
	bool no_mmu;		/* an M-profile arm (armv7m NVIC): the kernel runs without MMU */
	struct cvo_range *memreserve;
	size_t n_memreserve;
	bool has_initrd;
	struct cvo_range initrd;

	struct cvo_region *regions; /* /reserved-memory children (DT order), then
				       /memreserve/, then platform reserved */
	size_t n_regions;
	size_t n_rmem;		/* how many of regions are /reserved-memory children */
	struct cvo_consumer *consumers;
	size_t n_consumers;

	/* bytes unflatten_device_tree() asks memblock for (place.c, from the tree) */
	uint64_t unflatten_bytes;

	/* The index of the DT's nodes (lib/tree.h), built by cvo_model_build() and freed
	 * with the model. */
	struct cvo_tree *tree;
};

/*
 * Build the model of a validated blob for a platform (the platform may be
 * NULL: the arch generic profile's page size is assumed 4K). The model indexes the tree
 * first (one walk of the structure block).
 * returns: 0, CVO_ERR_NOMEM, CVO_ERR_INVALID (a structure block the walk cannot read:
 * not after fdt_check_full()).
 */
int cvo_model_build(const struct cvo_blob *blob, const struct cvo_platform *platform,
		    struct cvo_model **out, struct cvo_error *err);
/* What a caller may give a model besides the DT and the platform. */
struct cvo_model_opts {
	const struct cvo_range *memory;	/* RAM, overriding /memory and the platform's memory */
	size_t n_memory;		/* 0: none given */
};
/* cvo_model_build() with options (opts may be NULL); opts is not kept.
 * returns: 0, CVO_ERR_NOMEM, CVO_ERR_INVALID. */
int cvo_model_build_opts(const struct cvo_blob *blob, const struct cvo_platform *platform,
			 const struct cvo_model_opts *opts, struct cvo_model **out,
			 struct cvo_error *err);
void cvo_model_free(struct cvo_model *m);
/* Index of the region recorded for an fdt node, -1 when none. */
int cvo_model_region_by_node(const struct cvo_model *m, int node);
const char *cvo_kind_name(enum cvo_kind kind);
const char *cvo_status_name(enum cvo_status status);

/* The longest text cvo_default_cma_why_text() makes, with its NUL. */
#define CVO_WHY_TEXT_MAX 160
/*
 * Why r is FAILED or IGNORED (or PLACED but never initialised), in the words of
 * the JSON report and the map; "" for CVO_WHY_NONE. Static storage.
 */
const char *cvo_region_why_text(const struct cvo_placement *pl, const struct cvo_region *r);
/*
 * Why d is present but not placed, as the kernel words it, into buf (snprintf's
 * contract; "" for CVO_CMA_WHY_NONE).
 * returns: the length of the whole text.
 */
size_t cvo_default_cma_why_text(const struct cvo_default_cma *d, char *buf, size_t n);
/* "dt", "kconfig", "cmdline"; "none" for CVO_CMA_SOURCE_NONE. Static storage. */
const char *cvo_default_cma_source_name(enum cvo_default_cma_source source);

/* ------------------------------------------------------------------ regions (region.c) */

/*
 * Whether the region holds memory after cvo_place(), and which range, as the kernel
 * records it: a static region's first reg entry whatever became of it (the kernel keeps
 * even a failed one in its table), a dynamic region where it was allocated, a
 * /memreserve/ or platform range as given; not an ignored or disabled one, except a
 * static linux,cma-default node that rmem_cma_setup() bypasses for cma= only after
 * __rmem_check_for_overlap() saw it in the table. *base and *size are set when it does.
 */
bool cvo_region_occupies(const struct cvo_placement *pl, const struct cvo_region *r,
			 uint64_t *base, uint64_t *size);
/*
 * The range the DT gives the region, whatever the kernel made of it: like
 * cvo_region_occupies() but a static region counts even when the kernel ignored it (the
 * memory map draws it, with the reason). *base and *size are set when it has one.
 */
bool cvo_region_stated(const struct cvo_placement *pl, const struct cvo_region *r,
		       uint64_t *base, uint64_t *size);
/*
 * The region was placed (CVO_STATUS_PLACED, with a base): the memory a device that names
 * it gets. Narrower than cvo_region_occupies(): a failed static region occupies memory,
 * but no device gets it. *base and *size are set when it was.
 */
bool cvo_region_placed(const struct cvo_placement *pl, const struct cvo_region *r,
		       uint64_t *base, uint64_t *size);

/* ------------------------------------------------------------------ DMA (dma.c) */

/* What a device node can reach, from of_dma_get_range() and the platform file. */
struct cvo_dma_info {
	bool has_map;		/* a dma-ranges map applies */
	struct cvo_dma_window {
		uint64_t cpu, dma, size;
	} windows[16];
	size_t n_windows;
	uint64_t bus_limit;	/* highest DMA address + 1 from dma-ranges; 0 = none */
	int dma_bits;		/* platform dma-bits, 0 when unset */
	bool iommu;		/* behind an IOMMU in effect */
	bool coherent;		/* effective of_dma_is_coherent() */
	bool coherent_from_default; /* decided by the arch default */
	int coherent_node;	/* node whose flag decided, -1 for the default */
};

/*
 * What the kernel configures for the device at fdt offset node: of_dma_configure_id()
 * (a PCI function through its host bridge) with the platform file's dma-bits and iommu.
 * returns: 0, CVO_ERR_USAGE (node is not a node offset).
 */
int cvo_dma_info(const struct cvo_model *m, int node, struct cvo_dma_info *out);
/* Whether every address of [base, base+size) has a DMA address within the device's limit
 * (dma_capable()); the IOMMU flag is not considered: callers decide. */
bool cvo_dma_reachable(const struct cvo_dma_info *di, uint64_t base, uint64_t size);
/* of_dma_get_max_cpu_address(NULL): exclusive; UINT64_MAX when nothing limits. */
uint64_t cvo_dma_max_cpu_address(const struct cvo_model *m);

/* ------------------------------------------------------------------ placement (place.c) */

/* The DT's layout of m (a copy of every region's .layout). returns: 0, CVO_ERR_NOMEM. */
int cvo_layout_init(const struct cvo_model *m, struct cvo_layout *out);
void cvo_layout_fini(struct cvo_layout *l);

/*
 * Simulate the kernel's boot-time placement of layout l (one entry per region of m;
 * NULL: the DT's own) for m's platform. Reads m and l only (never the FDT) and writes
 * only *out, which borrows m until cvo_placement_fini(); on error *out is empty.
 * returns: 0, CVO_ERR_NOMEM, CVO_ERR_USAGE (l does not have m's regions).
 */
int cvo_place(const struct cvo_model *m, const struct cvo_layout *l, struct cvo_placement *out);
void cvo_placement_fini(struct cvo_placement *pl);

/* ------------------------------------------------------------------ a run (session.c) */

/* Where the bundled boards are: $CARVEOUT_BOARDS, the source tree, or the installed copy.
 * Borrowed (the environment's string or a constant). */
const char *cvo_boards_dir(void);

/*
 * The platforms of a run: one fixed platform (-p PATH|NAME), or for -p auto the
 * bundled boards and the four generic profiles, loaded once and shared read-only
 * by every input and thread.
 */
struct cvo_platform_set {
	struct cvo_platform *fixed;
	struct cvo_platform **boards;
	size_t n_boards;
	struct cvo_platform *generic[4]; /* indexed by enum cvo_arch */
	/* -p auto: a platform the kernel options do not fit (--page-size 16K on an arm
	 * board) fails only the inputs that pick it, with this error */
	struct cvo_error *board_err;	/* n_boards entries; text[0] == '\0': none */
	struct cvo_error generic_err[4];
};

/*
 * Load the platforms of a run: spec is -p's PATH or NAME (NULL, "" or "auto":
 * the -p auto set), each with ov (may be NULL) laid over it; boards_dir NULL is
 * cvo_boards_dir(). On error *ps is empty (cvo_platform_set_fini() is a no-op).
 * returns: 0, and what cvo_platform_resolve(), cvo_platform_list(),
 * cvo_platform_override() return (CVO_ERR_USAGE for an unknown name).
 */
int cvo_platform_set_init(struct cvo_platform_set *ps, const char *spec,
			  const struct cvo_overrides *ov, const char *boards_dir,
			  struct cvo_error *err);
/* The platform of a DT (borrowed from ps); NULL (err filled, may be NULL) when the kernel
 * options do not fit the one it picks. */
const struct cvo_platform *cvo_platform_set_pick(const struct cvo_platform_set *ps,
						 const void *fdt, struct cvo_error *err);
void cvo_platform_set_fini(struct cvo_platform_set *ps);

/*
 * Load an overlay for --apply: cvo_blob_load(), refusing a blob that is no overlay.
 * Free *out with cvo_blob_free().
 * returns: 0, what cvo_blob_load() returns, CVO_ERR_INVALID (not an overlay).
 */
int cvo_overlay_load(const char *file, const char *const *incdirs, size_t n_incdirs,
		     struct cvo_blob **out, struct cvo_error *err);

/* What every input of a run is loaded with (borrowed: must outlive the loads). */
struct cvo_load {
	const char *const *incdirs; /* -I: for cpp, and for dtc's /include/ */
	size_t n_incdirs;
	const struct cvo_blob *const *overlays; /* --apply, in order; loaded once per run */
	size_t n_overlays;
};

/* One input, loaded and simulated: blob, platform, model placed. */
struct cvo_input {
	struct cvo_blob *blob;		     /* owned */
	const struct cvo_platform *platform; /* borrowed from the run's platform set */
	struct cvo_model *model;	     /* owned */
	struct cvo_placement placement;	     /* the DT's own layout placed (borrows model) */
};

/*
 * Load FILE (refusing a bare overlay), apply ld's overlays (ld may be NULL) in
 * order, pick its platform from ps, build and place the model. *in is valid
 * until cvo_input_fini() and borrows ps; on error it is empty.
 * returns: 0, what cvo_blob_load(), cvo_blob_apply() and cvo_model_build()
 * return, CVO_ERR_INVALID (a bare overlay, or options that do not fit the
 * platform picked), CVO_ERR_NOMEM.
 */
int cvo_input_load(const char *file, const struct cvo_platform_set *ps,
		   const struct cvo_load *ld, struct cvo_input *in, struct cvo_error *err);
/* cvo_input_load() of a blob already loaded; blob is taken (freed on error too). */
int cvo_input_from_blob(struct cvo_blob *blob, const struct cvo_platform_set *ps,
			const struct cvo_load *ld, struct cvo_input *in, struct cvo_error *err);
void cvo_input_fini(struct cvo_input *in);

/* ------------------------------------------------------------------ memory map (map.c) */

enum cvo_map_kind { CVO_MAP_RAM, CVO_MAP_HOLE, CVO_MAP_REGION, CVO_MAP_CMA };

/* One block of the map: a RAM bank, a hole between banks, a region, the default CMA area. */
struct cvo_map_row {
	enum cvo_map_kind what;
	uint64_t base, last;	    /* inclusive */
	const struct cvo_region *r; /* CVO_MAP_REGION */
	int lane;		    /* side-by-side lane for overlapping blocks */
	int lanes;		    /* lanes of its group of overlapping blocks */
	bool overlaps;		    /* a region or CMA row shares bytes with another one */
};

struct cvo_map_span {
	uint64_t base, last; /* inclusive */
};

/* Windows of struct cvo_dma_info, each split at most twice (window edges, the mask). */
#define CVO_MAP_MAX_REACH 32

/* A DMA device: a memory-region user, or a node the platform file describes. */
struct cvo_map_device {
	char *path;
	struct cvo_dma_info di;
	const struct cvo_consumer *c; /* NULL for a platform-file device */
	/* what cvo_dma_reachable() accepts, ascending */
	struct cvo_map_span reach[CVO_MAP_MAX_REACH];
	size_t n_reach;
	bool all; /* behind an IOMMU or without any limit */
};

/* A zone or CMA-limit boundary. */
struct cvo_map_marker {
	uint64_t at;
	const char *what; /* "end of ZONE_DMA" ... */
	const char *name; /* "ZONE_DMA" ... */
};

/* ZONE_DMA, ZONE_DMA32, the default CMA limit. */
#define CVO_MAP_MAX_MARKERS 4

struct cvo_map {
	const struct cvo_placement *pl;
	const struct cvo_model *m;    /* pl's model */
	const struct cvo_platform *p; /* m's platform */
	struct cvo_map_row *rows;     /* by address; at one address RAM, then regions, then CMA */
	size_t n_rows, cap_rows;
	size_t lanes; /* the most lanes of any group */
	struct cvo_map_device *devs;
	size_t n_devs, cap_devs;
	uint64_t lo, hi; /* the span of the rows (inclusive) */
	struct cvo_map_marker markers[CVO_MAP_MAX_MARKERS]; /* sorted by address */
	size_t n_markers;
};

/*
 * The memory map of a placement (cvo_place()). *out borrows pl, its model (and its
 * blob and platform): free it with cvo_map_free() before them.
 * returns: 0, CVO_ERR_NOMEM.
 */
int cvo_map_build(const struct cvo_placement *pl, struct cvo_map **out);
void cvo_map_free(struct cvo_map *mp);
/* Whether a region has a place on the map (placed, or static even when it failed). */
bool cvo_map_region_shown(const struct cvo_placement *pl, const struct cvo_region *r);
/* Whether [base, last] lies within one RAM bank of m (true when m knows no RAM). */
bool cvo_map_in_ram(const struct cvo_model *m, uint64_t base, uint64_t last);

/* ------------------------------------------------------------------ findings (report.c) */

enum cvo_severity {
	CVO_SEV_NONE = 0, /* disabled */
	CVO_SEV_NOTE,
	CVO_SEV_WARNING,
	CVO_SEV_ERROR,
};

struct cvo_finding {
	const char *check;	/* static id string */
	enum cvo_severity severity;
	char *path;		/* node path, never NULL */
	char *property;		/* NULL when the finding is about the node */
	char *message;
	char **related;
	size_t n_related;
	/* where each related node is in the DTS, n_related entries; .file NULL when unknown */
	struct cvo_loc *related_loc;
	bool has_loc;
	struct cvo_loc loc;
};

struct cvo_report {
	struct cvo_finding *findings;
	size_t n, cap;
};

void cvo_report_init(struct cvo_report *r);
void cvo_report_fini(struct cvo_report *r);
/* Sort by path, check, message (deterministic). */
void cvo_report_sort(struct cvo_report *r);
/* Keep only the findings keep() accepts (order kept); the others are freed. */
void cvo_report_filter(struct cvo_report *r,
		       bool (*keep)(const struct cvo_finding *f, void *data), void *data);
const char *cvo_severity_name(enum cvo_severity sev);
int cvo_severity_parse(const char *s, enum cvo_severity *out);

/* ------------------------------------------------------------------ checks (checks/) */

struct cvo_ctx;

struct cvo_check {
	const char *id;
	enum cvo_severity severity; /* default (the most severe it emits) */
	const char *family;
	const char *summary;	/* one line */
	const char *explain;	/* what, why (kernel behaviour and log), example, fix */
	void (*run)(struct cvo_ctx *ctx);
};

/* The one table, in documentation order (docs/checks.md, carveout-checks(7)): by family. */
size_t cvo_check_count(void);
const struct cvo_check *cvo_check_get(size_t i);
/* Index of a check id, -1 when unknown. */
int cvo_check_index(const char *id);

/* Per-run configuration of the checks: -W / -E / -W no-. */
struct cvo_check_config {
	/* indexed like cvo_check_get(): one of CVO_MODE_* */
	unsigned char *mode;
	size_t n;
};
/* CVO_MODE_NO_ERROR (-E no-ID, dtc's meaning): errors become warnings, the rest is kept. */
enum { CVO_MODE_DEFAULT, CVO_MODE_OFF, CVO_MODE_WARNING, CVO_MODE_ERROR, CVO_MODE_NO_ERROR };

int cvo_check_config_init(struct cvo_check_config *c);
void cvo_check_config_fini(struct cvo_check_config *c);
/* "-W ID", "-W no-ID", "-E ID", "-E no-ID": returns CVO_ERR_USAGE for an unknown id. */
int cvo_check_config_set(struct cvo_check_config *c, const char *id, int mode);

struct cvo_rules;

struct cvo_ctx {
	const struct cvo_model *m;		/* pl->model */
	const struct cvo_placement *pl;
	const struct cvo_platform *p;
	/* the kernel rules of p (of the default platform when p is NULL), for this run */
	const struct cvo_rules *rules;
	const struct cvo_check_config *config;
	struct cvo_report *report;
	const struct cvo_check *cur; /* the check being run */
	int err; /* the run's first error (sticky: later ones are dropped), 0 when none */
};

/*
 * Run every enabled check over a placed model; findings go to report. The first error
 * inside a check (an allocation that failed) stops the run: report then holds only some
 * of the findings, to be freed with cvo_report_fini() and never shown as a result.
 * returns: 0, CVO_ERR_NOMEM.
 */
int cvo_check_run(const struct cvo_placement *pl, const struct cvo_check_config *config,
		  struct cvo_report *report);

/*
 * Report a finding for the current check. sev is the natural severity of this
 * instance (checks with error/warning variants pass the one that applies);
 * -W/-E overrides it. path is a node path; prop may be NULL. related is a
 * NULL-terminated list of paths (may be NULL). Once ctx holds an error nothing is
 * added.
 * returns: 0, or the error ctx holds (CVO_ERR_NOMEM when this finding could not be
 * stored: it is recorded in ctx->err, and the run fails with it).
 */
int cvo_emit(struct cvo_ctx *ctx, enum cvo_severity sev, const char *path, const char *prop,
	      const char *const *related, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* ------------------------------------------------------------------ diff (diff.c) */

/* What changed between two placed models of one platform (carveout diff). */
enum cvo_diff_kind {
	CVO_DIFF_ADDED,		/* a region only NEW has */
	CVO_DIFF_REMOVED,	/* a region only OLD has */
	CVO_DIFF_MOVED,		/* its base changed */
	CVO_DIFF_RESIZED,	/* its size changed */
	CVO_DIFF_STATUS,	/* placed / failed / ignored / disabled */
	CVO_DIFF_KIND,		/* reserved / cma / coherent-pool / ... */
	CVO_DIFF_CMA_APPEARED,	/* the default CMA area: placed in NEW only */
	CVO_DIFF_CMA_VANISHED,	/* placed in OLD only */
	CVO_DIFF_CMA_MOVED,
	CVO_DIFF_CMA_RESIZED,
	CVO_DIFF_DMA_LIMIT,	/* a consumer's reach (highest address it reaches) changed */
	CVO_DIFF_REACH,		/* a consumer's verdict on one of its pools or the default CMA */
	CVO_DIFF_FINDING_NEW,
	CVO_DIFF_FINDING_FIXED,
};

/* Why a region (or the default CMA area) moved, as far as the two models tell. */
enum cvo_diff_cause {
	CVO_CAUSE_NONE = 0,	/* not a move */
	CVO_CAUSE_REG,		/* a static region: its reg changed */
	CVO_CAUSE_SIZE,		/* its own size changed */
	CVO_CAUSE_ALIGNMENT,	/* its alignment changed */
	CVO_CAUSE_ALLOC_RANGES,	/* its alloc-ranges changed */
	CVO_CAUSE_MEMORY,	/* the RAM banks changed */
	CVO_CAUSE_INITRD,	/* the initrd /chosen names changed */
	CVO_CAUSE_DMA_LIMIT,	/* the default CMA area's limit (arm64 ZONE_DMA) changed */
	CVO_CAUSE_NEW_REGION,	/* cause_path, only in NEW, lies where it was */
	CVO_CAUSE_REGION_MOVED,	/* cause_path moved, grew or came back to where it was */
	CVO_CAUSE_FREED,	/* it took space cause_path held in OLD */
	CVO_CAUSE_OTHERS,	/* nothing nameable: it moved with the other placements */
};

/* A consumer's reach verdict on one pool (or on the default CMA area). */
enum cvo_reach {
	CVO_REACH_FULL,		/* every byte is within reach (dma_capable()) */
	CVO_REACH_PARTIAL,
	CVO_REACH_NONE,
	CVO_REACH_IOMMU,	/* behind an IOMMU in effect: physical reach does not apply */
	CVO_REACH_NO_POOL,	/* the pool is not in memory (failed, ignored, disabled, unplaced) */
};

/* One side of a region change. */
struct cvo_diff_side {
	bool present;
	enum cvo_kind kind;
	bool is_static;
	enum cvo_status status;
	bool has_base, has_size;
	uint64_t base, size;
	const char *reason;	/* why FAILED or IGNORED; NULL when none (owned by the diff) */
};

struct cvo_diff_change {
	enum cvo_diff_kind kind;
	/* The node: NEW's path (OLD's for REMOVED and FINDING_FIXED); NULL for the default CMA
	 * area. old_path: OLD's path when it differs (a region matched by its name without the
	 * unit address, or a finding on such a region); NULL otherwise. */
	const char *path, *old_path;
	struct cvo_diff_side old, new; /* regions and the default CMA area */
	enum cvo_diff_cause cause;	/* MOVED and CMA_MOVED */
	const char *cause_path;		/* NEW_REGION, REGION_MOVED, FREED */
	bool cause_static;		/* cause_path is a static region */
	const char *target;		/* REACH: the pool's path in NEW, NULL for the default CMA */
	enum cvo_reach old_reach, new_reach;
	uint64_t old_limit, new_limit;	/* DMA_LIMIT: exclusive, UINT64_MAX when unlimited */
	const struct cvo_finding *finding; /* FINDING_*: borrowed from the reports given */
};

struct cvo_diff {
	struct cvo_diff_change *changes; /* sorted: node path (default CMA first), then kind */
	size_t n;
	size_t new_findings[4], fixed_findings[4]; /* by enum cvo_severity */
	char **strings;	/* what the changes point into (owned) */
	size_t n_strings, cap_strings;
};

/*
 * What NEW changes against OLD: both models placed (cvo_place()) with the same platform, and
 * the findings of a check run over each. Regions are matched by path, then by node name
 * without the unit address; findings by check, node path, property and severity (never by
 * location or message). The diff borrows the findings: it is valid until the reports are
 * finalized; everything else it owns. Free with cvo_diff_free().
 * returns: 0, CVO_ERR_NOMEM, CVO_ERR_USAGE (a model is not placed).
 */
int cvo_diff_build(const struct cvo_placement *old_pl, const struct cvo_report *old_findings,
		   const struct cvo_placement *new_pl, const struct cvo_report *new_findings,
		   struct cvo_diff **out);
void cvo_diff_free(struct cvo_diff *d);
/* "added", "removed", "moved", "resized", "status", "kind", "cma-appeared", "cma-vanished",
 * "cma-moved", "cma-resized", "dma-limit", "reach", "new", "fixed" */
const char *cvo_diff_kind_name(enum cvo_diff_kind kind);
/* "reg", "size", ..., "new-region", "region-moved", "freed", "others"; NULL for NONE */
const char *cvo_diff_cause_name(enum cvo_diff_cause cause);
/* "reachable", "partly-reachable", "unreachable", "iommu", "no-pool" */
const char *cvo_reach_name(enum cvo_reach reach);

/* ------------------------------------------------------------------ boot logs (dmesg.c) */

/* A boot log larger than this is refused: a full dmesg of a large server is a few MiB. */
#define CVO_DMESG_MAX_BYTES (64u << 20)

/* The handler's "created ... pool at" line for a region. */
enum cvo_boot_pool {
	CVO_BOOT_POOL_NONE,
	CVO_BOOT_POOL_CMA,		/* "created CMA memory pool at %pa, size %ld MiB" */
	CVO_BOOT_POOL_DMA,		/* "created DMA memory pool at %pa, size ..." (coherent) */
	CVO_BOOT_POOL_RESTRICTED,	/* "created restricted DMA pool at %pa, size %ld MiB" */
};

/* What the kernel printed about a region: cvo_boot_region.said bits. */
enum {
	CVO_BOOT_INITIALIZED = 1 << 0,	/* "initialized node %s, compatible id %s" */
	CVO_BOOT_RANGE = 1 << 1,	/* >= 6.3: "%pa..%pa (%lu KiB) map|nomap ... %s" */
	CVO_BOOT_MATCH_FAIL = 1 << 2,	/* "node %s compatible matching fail" */
	CVO_BOOT_RESERVE_FAIL = 1 << 3,	/* "failed to reserve memory for node '%s': ..." */
	CVO_BOOT_ALLOC_FAIL = 1 << 4,	/* "failed to allocate memory for node '%s': ..." */
	CVO_BOOT_INVALID = 1 << 5,	/* "invalid reg|size|alignment|alloc-ranges property" */
	CVO_BOOT_BYPASS = 1 << 6,	/* "bypass %s node, using cmdline CMA params instead" */
	CVO_BOOT_CMA_ALIGN = 1 << 7,	/* "incorrect alignment of CMA region" */
	CVO_BOOT_NOMAP_UNSUPPORTED = 1 << 8, /* arm: "regions without no-map are not yet supported" */
	CVO_BOOT_CMA_SETUP_FAIL = 1 << 9, /* "unable to setup CMA region" */
	CVO_BOOT_TOO_MANY = 1 << 10,	/* "too many defined dynamic regions, skip '%s'" */
	CVO_BOOT_REGS_IGNORED = 1 << 11, /* "%s() ignores %d regions in node '%s'" */
	CVO_BOOT_LINEAR_MAP = 1 << 12,	/* "Restricted DMA pool must be accessible within ..." */
};

/* What a boot log says about one /reserved-memory node, under the name the kernel prints. */
struct cvo_boot_region {
	char *name;			/* "d2", "s0@50000000" */
	int line;			/* the first line naming it (1-based) */
	unsigned said;			/* CVO_BOOT_* bits */
	char *compatible;		/* from "initialized node", NULL when not printed */
	enum cvo_boot_pool pool;
	uint64_t pool_base, pool_size;	/* pool_size is printed rounded down to pool_unit */
	uint64_t pool_unit;		/* 1 MiB or 1 KiB */
	int pool_line;
	uint64_t range_base, range_size; /* CVO_BOOT_RANGE: exact */
	bool range_nomap, range_reusable;
	int range_line;
	uint64_t fail_base;		/* CVO_BOOT_RESERVE_FAIL: base as printed */
	int fail_line;			/* the line of the first failure message */
};

/* "OVERLAP DETECTED!\n%s (%pa--%pa) overlaps with %s (%pa--%pa)": end is exclusive. */
struct cvo_boot_overlap {
	char *a, *b;
	uint64_t a_base, a_end, b_base, b_end;
	int line;
};

enum cvo_boot_cma {
	CVO_BOOT_CMA_NONE,		/* no line: no default area, or the DT's took its place */
	CVO_BOOT_CMA_PLACED,		/* "cma: Reserved %ld MiB at %pa" (6.12: " on node %d") */
	CVO_BOOT_CMA_FAILED,		/* "cma: Failed to reserve %ld MiB", or "Not enough slots" for it */
};

struct cvo_dmesg {
	char *name;			/* what errors and findings call the log */
	char *version;			/* "6.1.0-50-arm64" from "Linux version"; NULL if absent */
	int kver_major, kver_minor;	/* 0 when the version is absent or unreadable */
	int version_line;
	bool has_arch;			/* the arch its own lines give away: arm64's "Booting Linux on
					   physical CPU 0x%010lx", arm's "CPU: ARMv7 Processor",
					   riscv's "riscv: " and "SBI specification" */
	enum cvo_arch arch;
	char *cmdline;			/* "Kernel command line: "; NULL if absent */
	int cmdline_line;
	struct cvo_range *banks;	/* "Early memory node ranges", adjacent ranges merged */
	size_t n_banks;
	int memory_line;
	struct cvo_boot_region *regions; /* in the order the log first names them */
	size_t n_regions;
	struct cvo_boot_overlap *overlaps;
	size_t n_overlaps;
	int cma_skip_lines;		/* newer kernels: "Skipping dt linux,cma-default ..." (no name) */
	bool rmem_unsupported;		/* "Reserved memory: unsupported node format, ignoring" */
	bool table_full;		/* "not enough space for all defined regions." */
	enum cvo_boot_cma default_cma;
	uint64_t default_cma_base, default_cma_size; /* size as printed, in MiB granules */
	int default_cma_line;
	/* A line the kernel prints after all of setup_arch()'s memory decisions was seen
	 * (psci:, percpu:, Kernel command line:): what the log does not say, the kernel did
	 * not print. */
	bool complete;
	size_t n_lines;			/* physical lines read */
	size_t n_kernel_lines;		/* lines read as kernel messages carveout knows */
	size_t n_cut;			/* lines dropped as cut by a console */
	size_t n_boots;			/* "Linux version" lines: only the last boot is kept */
};

/*
 * Read a boot log held in memory: dmesg (with or without timestamps, -r level
 * prefixes, -x facility prefixes), /dev/kmsg records, `journalctl -k` and syslog
 * lines, a serial console (CRLF, lines cut or wrapped by the console). Lines are
 * matched against the printk formats of Linux 6.1 to current, whole: a cut line is
 * dropped, never read as a shorter value. A log of several boots keeps the last.
 * name is what errors call it. Free *out with cvo_dmesg_free().
 * returns: 0, CVO_ERR_INVALID (larger than CVO_DMESG_MAX_BYTES, binary data, or no
 * kernel line at all: "not a kernel boot log"), CVO_ERR_NOMEM.
 */
int cvo_dmesg_parse(const void *buf, size_t len, const char *name, struct cvo_dmesg **out,
		    struct cvo_error *err);
/* cvo_dmesg_parse() of a file ("-": standard input). returns: as it, and CVO_ERR_IO. */
int cvo_dmesg_load(const char *path, struct cvo_dmesg **out, struct cvo_error *err);
void cvo_dmesg_free(struct cvo_dmesg *log);
/* The log's record of a node name; NULL when the log never names it. Borrowed from log. */
const struct cvo_boot_region *cvo_dmesg_region(const struct cvo_dmesg *log, const char *name);

/* ------------------------------------------------------------------ verify (verify.c) */

/*
 * The platform a boot log was booted with: base, with the log's kernel version,
 * command line and RAM banks where base's own file does not set them (an explicit
 * platform value wins over the log). Free *out with cvo_platform_free().
 * returns: 0, CVO_ERR_INVALID (the log's command line: err names the log's line),
 * CVO_ERR_NOMEM.
 */
int cvo_verify_platform(const struct cvo_platform *base, const struct cvo_dmesg *log,
			struct cvo_platform **out, struct cvo_error *err);
/*
 * Compare what the kernel printed with the prediction of a placed model (built
 * for cvo_verify_platform()'s platform): boot_mismatch for every region and the
 * default CMA area where the two differ, boot_silent for every region the
 * kernel's version names and the log does not. config may be NULL.
 * returns: 0, CVO_ERR_NOMEM.
 */
int cvo_verify(const struct cvo_placement *pl, const struct cvo_dmesg *log,
	       const struct cvo_check_config *config, struct cvo_report *report);
/*
 * What the log showed (kernel version, command line, RAM) as a platform file
 * that extends the platform the log was verified with: a generic profile or a
 * bundled board by name, a platform file by its file name (the output must then
 * sit beside it). *out is NUL-terminated YAML; free it with free().
 * returns: 0, CVO_ERR_NOMEM.
 */
int cvo_verify_platform_yaml(const struct cvo_platform *base, const struct cvo_dmesg *log,
			     char **out);

/* ------------------------------------------------------------------ requests (requests.c) */

/* What a requested carveout is (carveout-requests(5) "kind"). */
enum cvo_request_kind {
	CVO_REQUEST_CMA,		/* cma: shared-dma-pool, reusable */
	CVO_REQUEST_COHERENT_POOL,	/* coherent-pool: shared-dma-pool, no-map */
	CVO_REQUEST_RESTRICTED_POOL,	/* restricted-pool: restricted-dma-pool */
	CVO_REQUEST_RESERVED,		/* reserved: no compatible, no-map */
};

/* One new carveout of a requests file (plan -r). */
struct cvo_request {
	char *name;		/* the node name, without a unit address */
	enum cvo_request_kind kind;
	uint64_t size;		/* bytes, > 0 */
	bool has_alignment;
	uint64_t alignment;	/* a power of two; unset: the kernel's minimum for the kind */
	char **consumers;	/* node paths whose memory-region gets the new region */
	size_t n_consumers;
	bool has_limit;
	uint64_t limit;		/* the region must end at or below it (exclusive end) */
	bool has_base;
	uint64_t base;		/* a fixed address: the region is static */
	int no_map;		/* CVO_UNSET (the kind's default), 0, 1 */
	int line, column;	/* of the entry in its file (1-based) */
};

struct cvo_requests {
	char *file;		/* the name errors and the plan use */
	struct cvo_request *v;
	size_t n;
};

/*
 * Read a requests file (YAML, carveout-requests(5)): "requests:" and a list of entries
 * with the keys name, kind, size, alignment, consumers, limit, base, no-map. Errors name
 * FILE:LINE:COLUMN as the platform file's do. Free with cvo_requests_free().
 * returns: 0, CVO_ERR_IO, CVO_ERR_INVALID, CVO_ERR_NOMEM.
 */
int cvo_requests_load(const char *path, struct cvo_requests **out, struct cvo_error *err);
/* The same from a buffer; name is what errors say. */
int cvo_requests_load_buffer(const void *buf, size_t len, const char *name,
			     struct cvo_requests **out, struct cvo_error *err);
void cvo_requests_free(struct cvo_requests *r);
/* "cma", "coherent-pool", "restricted-pool", "reserved". Static storage. */
const char *cvo_request_kind_name(enum cvo_request_kind kind);

/* ------------------------------------------------------------------ changes to a DT (edit.c) */

/* What a change of a plan does (the plan JSON's "action"). */
enum cvo_change_action {
	CVO_CHANGE_MOVE,		/* a region's reg or alloc-ranges set to where it goes */
	CVO_CHANGE_RESIZE,		/* a region's size (or reg) set to a new size */
	CVO_CHANGE_ADD_NODE,		/* a new node with props */
	CVO_CHANGE_SET_PROPERTY,	/* a property set (created or replaced) */
	CVO_CHANGE_DELETE_PROPERTY,	/* a property removed */
};

/* A property: its name and value as the FDT holds it (big-endian cells, NUL-ended strings). */
struct cvo_prop {
	char *name;
	void *value;		/* NULL when len is 0 (a boolean property) */
	size_t len;
};

struct cvo_change {
	enum cvo_change_action action;
	char *path;		/* the node; for ADD_NODE the new node's whole path */
	char *property;		/* the property; NULL for ADD_NODE */
	struct cvo_prop value;	/* MOVE, RESIZE, SET_PROPERTY: the new value (value.name is
				   NULL: the name is property) */
	struct cvo_prop *props;	/* ADD_NODE: the new node's properties, in order */
	size_t n_props;
	char *new_name;		/* MOVE, RESIZE: the node's new name (a static region's unit
				   address follows its reg), applied after every change; NULL: kept */
	char *old_text;		/* the value before, as DTS ("<0x0 0x80000000 0x0 0x1000000>"),
				   NULL when the property was absent */
	char *new_text;		/* the value after as DTS, NULL for DELETE_PROPERTY/ADD_NODE */
	const char *fixes[8];	/* the check ids it resolves (static strings) */
	const char *request;	/* the request (plan -r) it makes, borrowed; NULL when none */
	size_t n_fixes;
};

/* A list of changes, owning everything it points to. */
struct cvo_changes {
	struct cvo_change *v;
	size_t n, cap;
};

void cvo_changes_fini(struct cvo_changes *c);
/* "move", "resize", "add-node", "set-property", "delete-property". Static storage. */
const char *cvo_change_action_name(enum cvo_change_action action);

/*
 * Apply changes, in order, to a copy of blob with libfdt (fdt_open_into() with room,
 * fdt_setprop(), fdt_delprop(), fdt_add_subnode(), then fdt_pack()); the copy is checked
 * with fdt_check_full(). Every node and property no change names keeps its value and its
 * order. A new property comes first in its node and a new node first among its parent's
 * children, where libfdt (and so fdt_overlay_apply()) puts them. *out is a new blob named as
 * blob, without source map. An ADD_NODE whose parent does not exist (or whose node or
 * "phandle" does), or a change naming a node or (DELETE) a property that does not exist, is
 * CVO_ERR_INVALID with err naming it ("delete-property /soc/dev: no property status").
 * returns: 0, CVO_ERR_INVALID, CVO_ERR_NOMEM.
 */
int cvo_changes_apply(const struct cvo_blob *blob, const struct cvo_changes *c,
		      struct cvo_blob **out, struct cvo_error *err);
/*
 * The changes as DT overlay source (/dts-v1/; /plugin/; one fragment per node changed,
 * targeting it by path, &{/path}): dtc compiles it, and fdt_overlay_apply() of the result
 * on blob gives the tree cvo_changes_apply() gives. *out is malloc()ed, NUL-terminated.
 * Values are "strings" where they are printable NUL-terminated strings, <0x..> cells when
 * their length is a multiple of 4, else [..] bytes. A new node is in the fragment of its parent; one with a phandle gets a label, written as
 * phandle minus blob's largest (which fdt_overlay_apply() adds back), and a memory-region
 * (or interrupt-parent) cell that names it is &label; other cells stay numbers. Two things
 * an overlay cannot do are comments in the source: removing a property (DELETE_PROPERTY),
 * and a new phandle not above blob's largest.
 * returns: 0, CVO_ERR_NOMEM.
 */
int cvo_changes_overlay_source(const struct cvo_blob *blob, const struct cvo_changes *c,
			       char **out);
/* The same compiled to a .dtbo (dtc -@ -I dts -O dtb) into *out / *len (malloc()ed).
 * returns: 0, CVO_ERR_NOMEM, CVO_ERR_INTERNAL (dtc failed; err says why). */
int cvo_changes_overlay_blob(const struct cvo_blob *blob, const struct cvo_changes *c,
			     void **out, size_t *len, struct cvo_error *err);

/* ------------------------------------------------------------------ source diffs (srcdiff.c) */

/*
 * The changes as a unified diff of blob's DTS sources (the .dts it was loaded from, or the
 * .dtsi its source map names), "--- a/FILE" / "+++ b/FILE" relative to the .dts's folder,
 * hunks with 3 lines of context: `git apply` (or `patch -p1`) in that folder takes it, and
 * dtc compiles the patched .dts to the tree cvo_changes_apply() gives (new nodes and
 * properties where the source puts them, last). Each change is made where it is written:
 * a value replaced on its property's line (when it is written on that line, without a
 * macro), a new property after the node's last property line (or its opening line), a
 * deleted property's line removed (when it is alone on it and the node is defined once), a
 * new node before its parent's closing "};", a rename on every "name {" line of the node.
 * What cannot be made there (a macro, a value over several lines, a file that is not
 * writable, by us or by anyone (no write permission bit), or not below the .dts's folder, a
 * deletion in a node defined in several places) goes into a fragment appended to the .dts:
 * "&label { ... };" when the node has a label, else "&{/path} { ... };" (its path after the
 * renames), with /delete-property/ for a deletion. Changes to /__symbols__ are
 * left to dtc -@, which writes it from the labels. In memory-region and interrupt-parent a
 * cell that is a node's phandle is written as a reference to the node. Files are read as
 * the source map names them: as dtc opened them, else in the .dts's folder. *out is
 * malloc()ed, NUL-terminated ("" when nothing changes).
 * returns: 0, CVO_ERR_USAGE (blob has no source map: not a DTS; or overlays were applied to
 * it, cvo_blob_apply(), whose values would win over the sources'), CVO_ERR_IO (the .dts
 * cannot be read), CVO_ERR_INVALID (a rename that no source line can take: a fragment
 * cannot rename a node), CVO_ERR_NOMEM.
 */
int cvo_changes_source_diff(const struct cvo_blob *blob, const struct cvo_changes *c, char **out,
			    struct cvo_error *err);

/*
 * Write len bytes to path atomically: a temporary file in path's folder, written, fsync()ed,
 * given the mode of mode_from (a file whose mode to keep, NULL: what a new file gets under
 * the umask), renamed over path, and the folder fsync()ed. A path that exists and is not a
 * regular file (a device such as /dev/null, a FIFO) is written through instead: a rename
 * would replace it. On any failure path is untouched
 * (the temporary file is removed) and err names what failed (write, fsync, rename) and why.
 * (write.c; the old file keeps a second link until the folder's fsync is done, to be renamed
 * back if it fails: on a file system without hard links that last failure cannot be undone.)
 * On failure errno is the cause.
 * returns: 0, CVO_ERR_IO.
 */
int cvo_write_atomic(const char *path, const void *buf, size_t len, const char *mode_from,
		     struct cvo_error *err);
/* The same with what fill() writes to f (nonzero: it failed, errno says why, or EIO). */
int cvo_write_atomic_stream(const char *path, int (*fill)(FILE *f, void *arg), void *arg,
			    const char *mode_from, struct cvo_error *err);

/* ------------------------------------------------------------------ plan (plan.c) */

/* A property value as DTS source (edit.c): "strings" where it is printable NUL-terminated
 * strings, <0x..> cells when its length is a multiple of 4, else [..] bytes; "" when empty.
 * free() it; NULL: out of memory. */
char *cvo_dts_value(const void *value, size_t len);


/* One set of constraints no layout satisfies (plan JSON "conflicts"). */
struct cvo_plan_conflict {
	char *message;		/* the conflict in a sentence */
	char **constraints;	/* each constraint of the smallest conflicting set */
	size_t n_constraints;
	char *alternative;	/* the nearest feasible alternative, NULL when none */
};

/* A finding no change to the DT resolves, and what to change instead. */
struct cvo_plan_advice {
	const char *check;	/* static id string */
	char *path;
	char *what;		/* what to change instead */
};

struct cvo_plan {
	bool feasible;		/* every requested and fixable change could be planned */
	struct cvo_changes changes; /* sorted by path, then action */
	struct cvo_plan_conflict *conflicts;
	size_t n_conflicts;
	struct cvo_plan_advice *advice;
	size_t n_advice;
};

struct cvo_plan_opts {
	bool fixed_reg;				/* --static: a fixed reg, not alloc-ranges */
	const struct cvo_requests *requests;	/* -r: new carveouts (NULL: none) */
};

/*
 * Plan a layout for the DT pl placed (its model's blob): the changes that resolve the
 * fixable errors and warnings of findings (the model's check report) and add the
 * requested carveouts, every region within RAM, apart from what stays, within the reach
 * of its consumers, aligned, CMA in one zone. Only movable regions move: dynamic ones
 * (pinned with an alloc-ranges of exactly their range, or with opts->fixed_reg a reg) and
 * static reusable ones. RAM unknown is CVO_ERR_INVALID with err naming --memory.
 * returns: 0, CVO_ERR_INVALID, CVO_ERR_NOMEM.
 */
int cvo_plan_build(const struct cvo_placement *pl, const struct cvo_report *findings,
		   const struct cvo_plan_opts *opts, struct cvo_plan **out, struct cvo_error *err);
void cvo_plan_free(struct cvo_plan *p);
/* What carveout plan does about a check's findings (static storage), *resolves whether the
 * plan's changes resolve them; NULL when the plan leaves the check alone. */
const char *cvo_plan_resolution(const char *check, bool *resolves);

/* ------------------------------------------------------------------ formatting helpers */

/* Inclusive last address of a non-empty range, saturating at UINT64_MAX (util.c). */
uint64_t cvo_range_last(uint64_t base, uint64_t size);

/* "4 KiB", "1.5 MiB", "3 bytes": exact where possible. buf >= 32. */
const char *cvo_fmt_size(uint64_t size, char *buf, size_t len);

#endif
