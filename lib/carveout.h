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

/* ------------------------------------------------------------------ platform (platform.c) */

enum cvo_arch { CVO_ARCH_ARM, CVO_ARCH_ARM64, CVO_ARCH_RISCV, CVO_ARCH_POWERPC };

/* Tri-state for platform values that may be left unsaid. */
enum { CVO_UNSET = -1 };

struct cvo_kconfig {
	int zone_dma, zone_dma32, dma_cma;		/* 0/1 */
	uint64_t cma_size_mbytes;
	int cma_areas;
	int hugetlb_page, dma_restricted_pool, dma_direct_remap, dma_global_pool;
	int init_on_alloc_default_on;
	int page_block_order;				/* 0 = kernel default */
	int arm_lpae;					/* arm: 64-bit phys_addr_t */
};

struct cvo_platform_device {
	char *match_compatible; /* exactly one of the two is set */
	char *match_path;
	int dma_bits;		/* 0 = unset */
	int coherent;		/* CVO_UNSET, 0, 1 */
	int iommu;		/* CVO_UNSET, 0, 1 */
	bool has_cma;
	uint64_t cma;		/* bytes */
	int small_allocs;	/* CVO_UNSET, 0, 1 */
	uint64_t atomic;	/* bytes */
	int firmware_owned;	/* CVO_UNSET, 0, 1 */
	int line;		/* where it was declared (1-based), for messages */
};

struct cvo_named_range {
	char *name;
	uint64_t base, size;
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
	int kver_patch; /* -1 when unknown */
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
/* The largest physical address phys_addr_t holds: 32 bits on arm without LPAE. */
uint64_t cvo_platform_phys_max(const struct cvo_platform *p);
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

/* ------------------------------------------------------------------ model (model.c) */

enum cvo_kind {
	CVO_KIND_RESERVED,
	CVO_KIND_CMA,
	CVO_KIND_COHERENT_POOL,
	CVO_KIND_RESTRICTED_POOL,
	CVO_KIND_MEMRESERVE,
	CVO_KIND_PLATFORM,
};

enum cvo_status {
	CVO_STATUS_UNPLACED = 0, /* no placement run yet */
	CVO_STATUS_PLACED,
	CVO_STATUS_FAILED,
	CVO_STATUS_IGNORED,
	CVO_STATUS_DISABLED,
};

struct cvo_region {
	char *path;		/* "/reserved-memory/x@1", "/memreserve/0", "/platform/kernel" */
	const char *name;	/* last path component (points into path) */
	int node;		/* fdt offset, -1 for memreserve / platform */
	int index;		/* position in DT order among /reserved-memory children */
	enum cvo_kind kind;
	bool available;		/* status okay (or absent) */
	bool is_static;		/* has reg (reg wins over size) */
	bool no_map, reusable, cma_default, dma_default;
	bool compat_shared_dma_pool, compat_restricted_dma_pool;
	bool has_compatible;
	uint32_t phandle;	/* 0 = none */

	/* static: every reg entry (root cells); reg_len_ok false if length is wrong */
	bool has_reg, reg_len_ok;
	struct cvo_range *regs;
	size_t n_regs;

	/* dynamic */
	bool has_size, size_len_ok;
	uint64_t size;
	bool has_alignment, alignment_len_ok;
	uint64_t alignment;
	bool has_alloc_ranges, alloc_ranges_len_ok;
	struct cvo_range *alloc_ranges;
	size_t n_alloc_ranges;

	/* filled in by cvo_place() */
	enum cvo_status status;
	uint64_t base;		/* valid when status is PLACED (or FAILED with has_base) */
	uint64_t placed_size;
	bool has_base;
	char reason[160];	/* why FAILED or IGNORED */
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

struct cvo_default_cma {
	bool present;
	bool placed;
	uint64_t base, size;
	const char *source;	/* "dt", "kconfig", "cmdline" */
	int region;		/* index of the DT region when source is "dt", else -1 */
	char reason[160];
	/* a static linux,cma-default region whose handler ran after this area was
	 * placed and took over dma_contiguous_default_area (arm and riscv from the 6.13
	 * rework: both exist); -1 when none */
	int override_region;
};

struct cvo_model {
	const struct cvo_blob *blob;
	const struct cvo_platform *platform;
	uint32_t root_addr_cells, root_size_cells;
	bool root_cells_ok;	/* both in 1..2 (the kernel reads at most 64 bits) */

	int rmem_node;		/* -1 when absent */
	bool rmem_format_ok;	/* __reserved_mem_check_root() passes */

	struct cvo_range *banks; /* RAM after device_type/status/page trimming (or platform) */
	size_t n_banks;
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

	/* filled in by cvo_place() */
	bool placed;
	uint64_t zone_dma_end;	/* exclusive; 0 = no ZONE_DMA */
	uint64_t zone_dma32_end;/* exclusive; 0 = no ZONE_DMA32 */
	uint64_t dma_phys_limit;/* exclusive limit for the default CMA area */
	struct cvo_default_cma default_cma;

	/* The tree index of lib/dma.h, built on first use by the checks and freed with the
	 * model (cvo_dma_tree_free()). One model is never checked by two threads. */
	struct cvo_dma_tree *dma_tree;
};

/*
 * Build the model of a validated blob for a platform (the platform may be
 * NULL: the arch generic profile's page size is assumed 4K).
 * returns: 0, CVO_ERR_NOMEM.
 */
int cvo_model_build(const struct cvo_blob *blob, const struct cvo_platform *platform,
		    struct cvo_model **out, struct cvo_error *err);
void cvo_model_free(struct cvo_model *m);
/* Index of the region recorded for an fdt node, -1 when none. */
int cvo_model_region_by_node(const struct cvo_model *m, int node);
const char *cvo_kind_name(enum cvo_kind kind);
const char *cvo_status_name(enum cvo_status status);

/* ------------------------------------------------------------------ DMA (dma.c) */

struct cvo_dma_tree;
/* Free the tree index the checks keep in a model (NULL is a no-op). */
void cvo_dma_tree_free(struct cvo_dma_tree *t);

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
 * The first call builds a tree index that m keeps (m->dma_tree).
 * returns: 0, CVO_ERR_NOMEM, CVO_ERR_USAGE (node is not a node offset).
 */
int cvo_dma_info(const struct cvo_model *m, int node, struct cvo_dma_info *out);
/* Whether every address of [base, base+size) has a DMA address within the device's limit
 * (dma_capable()); the IOMMU flag is not considered: callers decide. */
bool cvo_dma_reachable(const struct cvo_dma_info *di, uint64_t base, uint64_t size);
/* of_dma_get_max_cpu_address(NULL): exclusive; UINT64_MAX when nothing limits. */
uint64_t cvo_dma_max_cpu_address(const struct cvo_model *m);

/* ------------------------------------------------------------------ placement (place.c) */

/* Simulate the kernel's boot-time placement; fills regions[].status/base and
 * the zone and default-CMA fields of the model. returns: 0, CVO_ERR_NOMEM. */
int cvo_place(struct cvo_model *m);

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

struct cvo_ctx {
	const struct cvo_model *m;
	const struct cvo_platform *p;
	const struct cvo_check_config *config;
	struct cvo_report *report;
	const struct cvo_check *cur; /* the check being run */
};

/* Run every enabled check over a placed model; findings go to report. */
int cvo_check_run(const struct cvo_model *m, const struct cvo_check_config *config,
		  struct cvo_report *report);

/*
 * Report a finding for the current check. sev is the natural severity of this
 * instance (checks with error/warning variants pass the one that applies);
 * -W/-E overrides it. path is a node path; prop may be NULL. related is a
 * NULL-terminated list of paths (may be NULL).
 */
void cvo_emit(struct cvo_ctx *ctx, enum cvo_severity sev, const char *path, const char *prop,
	      const char *const *related, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* ------------------------------------------------------------------ formatting helpers */

/* "4 KiB", "1.5 MiB", "3 bytes": exact where possible. buf >= 32. */
const char *cvo_fmt_size(uint64_t size, char *buf, size_t len);

#endif
