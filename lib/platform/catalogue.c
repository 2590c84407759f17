// SPDX-License-Identifier: MIT
/*
 * The bundled boards: the boards folder listed and loaded, a DT matched to a
 * board by its root compatible (-p auto), and -p resolved (a file, a board
 * name, a built-in profile, auto).
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "../util.h"
#include "internal.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void cvo_platform_list_free(struct cvo_platform **list, size_t n)
{
	if (!list)
		return;
	for (size_t i = 0; i < n; i++)
		cvo_platform_free(list[i]);
	free(list);
}

int cvo_platform_list(const char *boards_dir, struct cvo_platform ***out, size_t *nout,
		      struct cvo_error *err)
{
	DIR *d = boards_dir ? opendir(boards_dir) : NULL;
	if (!d)
		return cvo_error_set(err, CVO_ERR_IO, boards_dir ? boards_dir : "", 0, 0,
				     "cannot open the boards directory: %s",
				     boards_dir ? strerror(errno) : "none given");
	char **names = NULL;
	size_t n = 0, cap = 0;
	int r = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len < 6 || strcmp(de->d_name + len - 5, ".yaml") != 0)
			continue;
		char *path = cvo_asprintf("%s/%s", boards_dir, de->d_name);
		if (!path || cvo_grow(&names, &cap, n, sizeof(*names))) {
			free(path);
			r = cvo_error_set(err, CVO_ERR_NOMEM, boards_dir, 0, 0, "out of memory");
			break;
		}
		if (!plat_file_exists(path)) {
			free(path);
			continue;
		}
		names[n++] = path;
	}
	closedir(d);
	struct cvo_platform **list = NULL;
	size_t nlist = 0;
	if (!r) {
		if (n)
			qsort(names, n, sizeof(*names), cmp_str);
		list = calloc(n ? n : 1, sizeof(*list));
		if (!list)
			r = cvo_error_set(err, CVO_ERR_NOMEM, boards_dir, 0, 0, "out of memory");
	}
	for (size_t i = 0; !r && i < n; i++) {
		r = cvo_platform_load_dir(names[i], boards_dir, &list[i], err);
		if (!r)
			nlist++;
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (r) {
		cvo_platform_list_free(list, nlist);
		return r;
	}
	*out = list;
	*nout = nlist;
	return 0;
}

static bool has_compatible(const struct cvo_platform *p, const char *s)
{
	for (size_t i = 0; i < p->n_compatible; i++)
		if (strcmp(p->compatible[i], s) == 0)
			return true;
	return false;
}

/*
 * -p auto: the first root compatible (most specific first) that a bundled
 * board lists picks it; when several boards list it, the one whose arch is
 * the DT's guessed arch wins (QEMU's virt machines share linux,dummy-virt),
 * else the first in list order (by file name).
 */
const struct cvo_platform *cvo_platform_match(struct cvo_platform *const *boards, size_t n,
					      const void *fdt)
{
	if (!fdt || !boards)
		return NULL;
	/* guessed only when a board matches: the guess walks /cpus */
	int arch = -1;
	int len;
	const char *cp = fdt_getprop(fdt, 0, "compatible", &len);
	for (int off = 0; cp && len > 0 && off < len;) {
		const char *s = cp + off;
		size_t sl = strnlen(s, (size_t)(len - off));
		if (sl == (size_t)(len - off))
			break; /* not NUL-terminated: trust nothing after it */
		const struct cvo_platform *pick = NULL;
		for (size_t i = 0; i < n; i++) {
			if (!boards[i] || !has_compatible(boards[i], s))
				continue;
			if (arch < 0)
				arch = (int)cvo_platform_guess_arch(fdt);
			if ((int)boards[i]->arch == arch)
				return boards[i];
			if (!pick)
				pick = boards[i];
		}
		if (pick)
			return pick;
		off += (int)sl + 1;
	}
	return NULL;
}

/* -p auto: see cvo_platform_match(); no match is the generic profile of the guessed arch. */
static int resolve_auto(const void *fdt, const char *boards_dir, struct cvo_platform **out,
			struct cvo_error *err)
{
	enum cvo_arch arch = cvo_platform_guess_arch(fdt);
	if (!fdt || !boards_dir)
		return cvo_platform_generic(arch, out, err);
	struct cvo_platform **list;
	size_t n;
	int r = cvo_platform_list(boards_dir, &list, &n, err);
	if (r)
		return r;
	const struct cvo_platform *pick = cvo_platform_match(list, n, fdt);
	for (size_t i = 0; pick && i < n; i++) {
		if (list[i] == pick) {
			*out = list[i];
			list[i] = NULL;
		}
	}
	cvo_platform_list_free(list, n);
	return pick ? 0 : cvo_platform_generic(arch, out, err);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

int cvo_platform_resolve(const char *spec, const void *fdt, const char *boards_dir,
			 struct cvo_platform **out, struct cvo_error *err)
{
	if (!spec || !*spec || strcmp(spec, "auto") == 0)
		return resolve_auto(fdt, boards_dir, out, err);
	if (strchr(spec, '/') || ends_with(spec, ".yaml"))
		return cvo_platform_load_dir(spec, boards_dir, out, err);
	if (kc_profile_exists(spec))
		return cvo_platform_profile(spec, out, err);
	if (!plat_valid_name(spec) || !boards_dir)
		return cvo_error_set(err, CVO_ERR_USAGE, spec, 0, 0,
				     "unknown platform \"%s\": expected a file path, \"auto\", "
				     "generic-ARCH, a built-in profile or a bundled board name", spec);
	char *path = cvo_asprintf("%s/%s.yaml", boards_dir, spec);
	if (!path)
		return cvo_error_set(err, CVO_ERR_NOMEM, spec, 0, 0, "out of memory");
	int r;
	if (!plat_file_exists(path))
		r = cvo_error_set(err, CVO_ERR_USAGE, spec, 0, 0,
				  "unknown platform \"%s\": no %s (see `carveout platforms`)", spec,
				  path);
	else
		r = cvo_platform_load_dir(path, boards_dir, out, err);
	free(path);
	return r;
}
