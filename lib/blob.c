// SPDX-License-Identifier: MIT
/*
 * Loading a device tree: a DTB file, a DTB on stdin, or a DTS compiled by dtc
 * (through the C preprocessor first when include directories are given, as
 * the kernel's scripts/Makefile.dtbs does). Every blob is validated with
 * fdt_check_full() before anything else reads it.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libfdt.h>

#include "config.h"
#include "srcmap.h"
#include "util.h"

extern char **environ;

/* A DTB larger than this is refused: the largest upstream DTBs are a few hundred KiB. */
#define CVO_MAX_BLOB (64u << 20)

/* Read all of fd into a malloc'd buffer; 8-byte aligned by malloc. */
static int read_all(int fd, void **out, size_t *len, size_t max)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	if (!buf)
		return CVO_ERR_NOMEM;
	for (;;) {
		if (n == cap) {
			if (cap >= max) {
				free(buf);
				return CVO_ERR_INVALID;
			}
			cap *= 2;
			char *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				return CVO_ERR_NOMEM;
			}
			buf = nb;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			return CVO_ERR_IO;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*out = buf;
	*len = n;
	return 0;
}

static const char *fdt_reason(int e)
{
	switch (-e) {
	case FDT_ERR_TRUNCATED:
		return "truncated (a header offset or size points past the end)";
	case FDT_ERR_BADMAGIC:
		return "not a device tree blob (bad magic)";
	case FDT_ERR_BADVERSION:
		return "unsupported device tree blob version";
	case FDT_ERR_BADSTRUCTURE:
		return "corrupt structure block (misnested nodes or bad tags)";
	case FDT_ERR_BADLAYOUT:
		return "bad block layout";
	case FDT_ERR_BADOFFSET:
		return "bad offset in the structure block";
	case FDT_ERR_BADSTATE:
		return "incomplete blob";
	case FDT_ERR_BADNCELLS:
		return "bad #address-cells or #size-cells";
	case FDT_ERR_BADVALUE:
		return "bad property value";
	default:
		return fdt_strerror(e);
	}
}

int cvo_blob_from_buffer(const void *buf, size_t len, const char *name, struct cvo_blob **out,
			 struct cvo_error *err)
{
	*out = NULL;
	if (len == 0)
		return cvo_error_set(err, CVO_ERR_INVALID, name, 0, 0, "empty file");
	if (len < FDT_V1_SIZE)
		return cvo_error_set(err, CVO_ERR_INVALID, name, 0, 0,
				     "too short for a device tree blob (%zu bytes)", len);
	if (len > CVO_MAX_BLOB)
		return cvo_error_set(err, CVO_ERR_INVALID, name, 0, 0, "larger than %u MiB",
				     CVO_MAX_BLOB >> 20);
	if (fdt_magic(buf) != FDT_MAGIC)
		return cvo_error_set(err, CVO_ERR_INVALID, name, 0, 0, "%s",
				     fdt_reason(-FDT_ERR_BADMAGIC));
	/*
	 * Versions before 16 name nodes by full path and pad properties
	 * differently; libfdt 1.6's fdt_check_full() dereferences NULL on some
	 * of them instead of failing. dtc has written version 17 since 2008 and
	 * the kernel's own DTBs are all 17.
	 */
	if (fdt_version(buf) < 16)
		return cvo_error_set(err, CVO_ERR_INVALID, name, 0, 0, "%s",
				     fdt_reason(-FDT_ERR_BADVERSION));
	/* fdt_check_full() trusts totalsize; it must fit the bytes we actually have. */
	if (fdt_totalsize(buf) > len)
		return cvo_error_set(err, CVO_ERR_INVALID, name, 0, 0,
				     "truncated: header says %u bytes, file has %zu",
				     (unsigned)fdt_totalsize(buf), len);
	struct cvo_blob *b = calloc(1, sizeof(*b));
	if (!b)
		return CVO_ERR_NOMEM;
	/* malloc returns memory aligned for any type, so at least 8 bytes. */
	b->fdt = malloc(len);
	b->name = cvo_strdup(name);
	if (!b->fdt || !b->name) {
		cvo_blob_free(b);
		return CVO_ERR_NOMEM;
	}
	memcpy(b->fdt, buf, len);
	b->size = len;
	int r = fdt_check_full(b->fdt, len);
	if (r) {
		cvo_blob_free(b);
		return cvo_error_set(err, CVO_ERR_INVALID, name, 0, 0, "%s", fdt_reason(r));
	}
	*out = b;
	return 0;
}

void cvo_blob_free(struct cvo_blob *b)
{
	if (!b)
		return;
	cvo_srcmap_free(b->srcmap);
	free(b->fdt);
	free(b->name);
	free(b);
}

/*
 * Run argv with stdout into a buffer and stderr into another. Returns the exit
 * status (0..255), or a negative CVO_ERR_*.
 */
static int run_capture(char *const argv[], void **out, size_t *outlen, char *errbuf,
		       size_t errlen)
{
	int opipe[2];
	FILE *errf = tmpfile();
	if (!errf)
		return CVO_ERR_IO;
	if (pipe(opipe)) {
		fclose(errf);
		return CVO_ERR_IO;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, opipe[1], 1);
	posix_spawn_file_actions_adddup2(&fa, fileno(errf), 2);
	posix_spawn_file_actions_addclose(&fa, opipe[0]);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	pid_t pid;
	int r = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(opipe[1]);
	if (r) {
		close(opipe[0]);
		fclose(errf);
		snprintf(errbuf, errlen, "cannot run %s: %s", argv[0], strerror(r));
		return CVO_ERR_IO;
	}
	void *buf = NULL;
	size_t len = 0;
	int rr = read_all(opipe[0], &buf, &len, CVO_MAX_BLOB * 4);
	close(opipe[0]);
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	/* The first error line of the tool is the reason we give. */
	errbuf[0] = '\0';
	rewind(errf);
	char line[1024];
	while (fgets(line, sizeof(line), errf)) {
		if (strstr(line, "Warning") && !strstr(line, "ERROR") && !strstr(line, "Error"))
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(errbuf, errlen, "%s", line);
		break;
	}
	fclose(errf);
	if (rr) {
		free(buf);
		return rr;
	}
	*out = buf;
	*outlen = len;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

static bool is_dts(const char *path, const void *head, size_t len)
{
	const char *dot = strrchr(path, '.');
	if (dot && (!strcmp(dot, ".dts") || !strcmp(dot, ".dtsi")))
		return true;
	if (len >= 4 && fdt_magic(head) == FDT_MAGIC)
		return false;
	return len >= 8 && !memcmp(head, "/dts-v1/", 8);
}

/* The C preprocessor as scripts/Makefile.lib runs it for DTS (dtc_cpp_flags). */
static int preprocess(const char *path, const char *const *incdirs, size_t n_incdirs,
		      char *tmpl, struct cvo_error *err)
{
	size_t n = 0;
	const char **argv = calloc(12 + 2 * n_incdirs, sizeof(char *));
	if (!argv)
		return CVO_ERR_NOMEM;
	argv[n++] = CVO_CPP;
	argv[n++] = "-nostdinc";
	argv[n++] = "-undef";
	argv[n++] = "-D__DTS__";
	argv[n++] = "-x";
	argv[n++] = "assembler-with-cpp";
	for (size_t i = 0; i < n_incdirs; i++) {
		argv[n++] = "-I";
		argv[n++] = incdirs[i];
	}
	argv[n++] = path;
	argv[n] = NULL;
	void *out = NULL;
	size_t len = 0;
	char why[1024];
	int r = run_capture((char *const *)argv, &out, &len, why, sizeof(why));
	free(argv);
	if (r < 0) {
		free(out);
		return cvo_error_set(err, r, path, 0, 0, "%s", why);
	}
	if (r != 0) {
		free(out);
		return cvo_error_set(err, CVO_ERR_INVALID, path, 0, 0, "preprocessor failed: %s",
				     why[0] ? why : "no message");
	}
	int fd = mkstemp(tmpl);
	if (fd < 0) {
		free(out);
		return cvo_error_set(err, CVO_ERR_IO, path, 0, 0, "cannot create a temporary file");
	}
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, (char *)out + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	free(out);
	close(fd);
	if (off != len) {
		unlink(tmpl);
		return cvo_error_set(err, CVO_ERR_IO, path, 0, 0, "cannot write a temporary file");
	}
	return 0;
}

static int load_dts(const char *path, const char *const *incdirs, size_t n_incdirs,
		    struct cvo_blob **out, struct cvo_error *err)
{
	char tmpl[] = "/tmp/carveout-cpp-XXXXXX";
	const char *src = path;
	int r;
	if (n_incdirs) {
		r = preprocess(path, incdirs, n_incdirs, tmpl, err);
		if (r)
			return r;
		src = tmpl;
	}
	char *argv_dtb[] = { CVO_DTC, "-q", "-I", "dts", "-O", "dtb", "-o", "-", (char *)src, NULL };
	void *dtb = NULL;
	size_t len = 0;
	char why[1024];
	r = run_capture(argv_dtb, &dtb, &len, why, sizeof(why));
	if (r != 0) {
		free(dtb);
		if (src != path)
			unlink(tmpl);
		if (r < 0)
			return cvo_error_set(err, r, path, 0, 0, "%s", why);
		return cvo_error_set(err, CVO_ERR_INVALID, path, 0, 0, "dtc rejected it: %s",
				     why[0] ? why : "no message");
	}
	r = cvo_blob_from_buffer(dtb, len, path, out, err);
	free(dtb);
	if (r) {
		if (src != path)
			unlink(tmpl);
		return r;
	}
	/* Source positions: dtc annotates its DTS output with them (-T -T). */
	char *argv_dts[] = { CVO_DTC, "-q", "-T", "-T", "-I", "dts", "-O", "dts", "-o", "-",
			     (char *)src, NULL };
	void *dts = NULL;
	r = run_capture(argv_dts, &dts, &len, why, sizeof(why));
	if (src != path)
		unlink(tmpl);
	if (r == 0)
		(*out)->srcmap = cvo_srcmap_parse(dts, len, src != path ? NULL : path);
	free(dts);
	return 0;
}

int cvo_blob_load(const char *path, const char *const *incdirs, size_t n_incdirs,
		  struct cvo_blob **out, struct cvo_error *err)
{
	*out = NULL;
	int fd;
	bool is_stdin = !strcmp(path, "-");
	const char *name = is_stdin ? "<stdin>" : path;
	if (is_stdin) {
		fd = 0;
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return cvo_error_set(err, CVO_ERR_IO, name, 0, 0, "%s", strerror(errno));
		struct stat st;
		if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
			close(fd);
			return cvo_error_set(err, CVO_ERR_IO, name, 0, 0, "is a directory");
		}
	}
	void *buf = NULL;
	size_t len = 0;
	int r = read_all(fd, &buf, &len, CVO_MAX_BLOB);
	int saved = errno;
	if (!is_stdin)
		close(fd);
	if (r == CVO_ERR_IO)
		return cvo_error_set(err, r, name, 0, 0, "%s", strerror(saved));
	if (r == CVO_ERR_INVALID)
		return cvo_error_set(err, r, name, 0, 0, "larger than %u MiB", CVO_MAX_BLOB >> 20);
	if (r)
		return r;
	if (!is_stdin && is_dts(path, buf, len)) {
		free(buf);
		return load_dts(path, incdirs, n_incdirs, out, err);
	}
	r = cvo_blob_from_buffer(buf, len, name, out, err);
	free(buf);
	return r;
}

bool cvo_blob_locate(const struct cvo_blob *blob, const char *path, const char *prop,
		     struct cvo_loc *loc)
{
	if (!blob || !blob->srcmap)
		return false;
	return cvo_srcmap_find(blob->srcmap, path, prop, loc);
}
