/* SPDX-License-Identifier: MIT */
/*
 * Kernel configurations as users have them (internal to libcarveout): sets of
 * Kconfig assignments read from a platform file's kernel.config, a real
 * .config or a built-in profile, laid over a platform's symbol table, and the
 * values carveout models derived from that table.
 */
#ifndef CVO_KCONFIG_H
#define CVO_KCONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../carveout.h"

/* One assignment as written. */
struct kc_entry {
	char *name;	/* without CONFIG_ */
	char *value;	/* y, m, n, a number, or a string's text (unquoted) */
	int line, col;	/* where its value was written (1-based; 0 when unknown) */
	int key_col;	/* where its name was written */
	size_t seq;	/* input order, so that a later assignment wins */
};

/* The assignments of one source: a kernel.config mapping, a .config file or a profile. */
struct kc_set {
	struct kc_entry *v;
	size_t n, cap;
	const char *file;	/* where errors point (borrowed) */
	char *origin;		/* how the platform's origins name this source */
	bool complete;		/* a whole configuration: what it leaves out is n or the default */
	/* "# Linux/ARCH VERSION Kernel Configuration", when the text has that header */
	bool has_version;
	int kmaj, kmin, kpatch, version_line;
	char release[65];
	char header_arch[16];
};

void kc_set_init(struct kc_set *s, const char *file);
void kc_set_fini(struct kc_set *s);
/* Set how origins name this source ("board.yaml", "--config FILE"); copied. */
int kc_set_origin(struct kc_set *s, const char *origin, struct cvo_error *err);
/*
 * Add NAME=VALUE (NAME with or without CONFIG_); NAME must be a Kconfig
 * symbol name. line/col: the value's position, key_col the name's (same line). returns: 0, CVO_ERR_INVALID (err at file:line:col), CVO_ERR_NOMEM.
 */
int kc_set_add(struct kc_set *s, const char *name, const char *value, int line, int col,
	       int key_col, struct cvo_error *err);
/*
 * Parse .config text (first_line: the line number of its first line) into s:
 * CONFIG_NAME=VALUE, "# CONFIG_NAME is not set" (n), comments and blank lines.
 * returns: 0, CVO_ERR_INVALID (err at file:line), CVO_ERR_NOMEM.
 */
int kc_parse_text(struct kc_set *s, const char *text, size_t len, int first_line,
		  struct cvo_error *err);
/*
 * Read a .config file (at most KC_MAX_BYTES) into a complete set named
 * origin_name in origins.
 * returns: 0, CVO_ERR_IO, CVO_ERR_INVALID, CVO_ERR_NOMEM.
 */
int kc_read_file(const char *path, const char *origin_name, struct kc_set *s,
		 struct cvo_error *err);
/* Sort by name; a name written twice is an error when dups_fatal, else the later one wins. */
int kc_set_sort(struct kc_set *s, bool dups_fatal, struct cvo_error *err);

/* What applying a set decided besides the symbol table. */
struct kc_effect {
	uint32_t page_size;	/* from ARM64_*K_PAGES or PAGE_SHIFT; 0 = not said */
	const struct kc_entry *page_size_by;
	bool max_order_set;	/* ARCH_FORCE_MAX_ORDER assigned (or dropped by a whole config) */
};

/*
 * Lay a sorted set over p's symbol table (a complete set replaces it), after
 * checking the symbols carveout models against p's arch and kernel version,
 * and derive p->config and friends again.
 * returns: 0, CVO_ERR_INVALID (err at the symbol), CVO_ERR_NOMEM.
 */
int kc_apply(struct cvo_platform *p, const struct kc_set *s, struct kc_effect *eff,
	     struct cvo_error *err);
/* Rewrite the page-size choice symbols p's table holds to say page_size (arm64). */
int kc_sync_page_size(struct cvo_platform *p, const char *origin);
/* Free p's symbol table. */
void kc_symbols_free(struct cvo_platform *p);

/*
 * A kernel release: "6.12", "6.12.117", "6.12.117+deb13-arm64", "6.1.0-50-arm64".
 * patch is -1 when the release does not say it: MAJOR.MINOR alone, or a
 * distribution ABI name MAJOR.MINOR.0-SUFFIX (Debian's 6.1.0-50, Ubuntu's
 * 6.8.0-49), whose real patch level is in the package version, not the name.
 */
bool kc_parse_release(const char *s, int *major, int *minor, int *patch);

/* Whether name is a built-in profile or one of its aliases (profiles.c). */
bool kc_profile_exists(const char *name);

/* The largest .config carveout reads: Debian's are ~300 KiB. */
#define KC_MAX_BYTES (4u << 20)

#endif
