// SPDX-License-Identifier: MIT
/*
 * Loading a device tree: a DTB file, a DTB on stdin, or a DTS compiled by dtc
 * (through the C preprocessor first when include directories are given, as
 * the kernel's scripts/Makefile.lib does). Every blob is validated with
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
#include "overlay.h"
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
	cvo_applied_free(b->applied);
	free(b->fdt);
	free(b->name);
	free(b);
}

/* Run argv with stdout into a buffer and stderr into another (util.h). */
int cvo_run_capture(char *const argv[], void **out, size_t *outlen, char *errbuf,
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

/*
 * DTB or DTS by content, whatever the name: the FDT magic (or the start of
 * it, for a file shorter than it) is a DTB; so is any binary content (a NUL
 * byte, which DTS source never holds), to be refused with the DTB's reason.
 * An empty file is reported as such, not given to dtc.
 */
static bool is_dts(const void *buf, size_t len)
{
	static const unsigned char magic[4] = { 0xd0, 0x0d, 0xfe, 0xed };
	if (len == 0 || !memcmp(buf, magic, len < 4 ? len : 4))
		return false;
	return memchr(buf, '\0', len) == NULL;
}

/* Whether DTS source has a C preprocessor #include line (dtc's own is /include/). */
static bool uses_cpp_include(const char *src, size_t len)
{
	for (size_t i = 0; i < len;) {
		size_t k = i;
		while (k < len && (src[k] == ' ' || src[k] == '\t'))
			k++;
		if (k < len && src[k] == '#') {
			k++;
			while (k < len && (src[k] == ' ' || src[k] == '\t'))
				k++;
			if (len - k >= 7 && !memcmp(src + k, "include", 7))
				return true;
		}
		const char *nl = memchr(src + i, '\n', len - i);
		i = nl ? (size_t)(nl - src) + 1 : len;
	}
	return false;
}

/* The C preprocessor as scripts/Makefile.lib runs it for DTS (dtc_cpp_flags), into out. */
static int preprocess(const char *path, const char *const *incdirs, size_t n_incdirs,
		      const char *out_path, struct cvo_error *err)
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
	int r = cvo_run_capture((char *const *)argv, &out, &len, why, sizeof(why));
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
	int fd = open(out_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
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
	if (off != len)
		return cvo_error_set(err, CVO_ERR_IO, path, 0, 0, "cannot write a temporary file");
	return 0;
}

/* The source's folder, which the kernel's cmd_dtc gives dtc first: -i $(dir $<). */
static char *source_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return cvo_strdup(".");
	if (slash == path)
		return cvo_strdup("/");
	return cvo_asprintf("%.*s", (int)(slash - path), path);
}

/*
 * A private folder for the preprocessed source: dtc looks for /include/ files
 * in the folder of the file it reads first, and that must hold nothing but it.
 */
static char *make_tmpdir(void)
{
	const char *t = getenv("TMPDIR");
	char *d = cvo_asprintf("%s/carveout-XXXXXX", t && *t ? t : "/tmp");
	if (d && !mkdtemp(d)) {
		free(d);
		return NULL;
	}
	return d;
}

/* The digits at *s, advanced past them; -1 when none. */
static int take_num(const char **s)
{
	const char *p = *s;
	int v = 0;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++)
		v = v > 100000000 ? v : v * 10 + (*p - '0');
	*s = p;
	return v;
}

/*
 * dtc's "Error: FILE:L.C-C message" (srcpos_string(): L.C, L.C-C or L.C-L.C)
 * as an error at FILE:L:C; false when why has another shape.
 */
static bool dtc_error(const char *why, bool uses_include, struct cvo_error *err)
{
	if (strncmp(why, "Error: ", 7))
		return false;
	const char *s = why + 7;
	for (const char *c = strchr(s, ':'); c; c = strchr(c + 1, ':')) {
		const char *p = c + 1;
		int line = take_num(&p), col = -1;
		if (line < 0 || *p++ != '.' || (col = take_num(&p)) < 0)
			continue;
		if (*p == '-') {
			p++;
			if (take_num(&p) < 0)
				continue;
			if (*p == '.') {
				p++;
				if (take_num(&p) < 0)
					continue;
			}
		}
		if (*p != ' ')
			continue;
		char file[512];
		snprintf(file, sizeof(file), "%.*s", (int)(c - s), s);
		const char *msg = p + 1;
		if (uses_include && !strcmp(msg, "syntax error"))
			cvo_error_set(err, CVO_ERR_INVALID, file, line, col,
				      "syntax error (the source uses #include: give the include "
				      "folders with -I DIR, as the kernel's build does)");
		else
			cvo_error_set(err, CVO_ERR_INVALID, file, line, col, "%s", msg);
		return true;
	}
	return false;
}

/*
 * dtc's argv: -q, "-I dts -O fmt", then -i the source's folder and every
 * include dir, as cmd_dtc does. free() it.
 */
static char **dtc_argv(const char *fmt, bool annotate, const char *srcdir,
		       const char *const *incdirs, size_t n_incdirs, const char *src)
{
	size_t n = 0;
	char **argv = calloc(16 + 2 * n_incdirs, sizeof(char *));
	if (!argv)
		return NULL;
	argv[n++] = CVO_DTC;
	argv[n++] = "-q";
	if (annotate) {
		/* source positions: dtc annotates its DTS output with them (-T -T) */
		argv[n++] = "-T";
		argv[n++] = "-T";
	} else {
		/* __symbols__, which an overlay's &label needs (the kernel's DTC_FLAGS += -@) */
		argv[n++] = "-@";
	}
	argv[n++] = "-I";
	argv[n++] = "dts";
	argv[n++] = "-O";
	argv[n++] = (char *)fmt;
	argv[n++] = "-o";
	argv[n++] = "-";
	argv[n++] = "-i";
	argv[n++] = (char *)srcdir;
	for (size_t i = 0; i < n_incdirs; i++) {
		argv[n++] = "-i";
		argv[n++] = (char *)incdirs[i];
	}
	argv[n++] = (char *)src;
	argv[n] = NULL;
	return argv;
}

static int load_dts(const char *path, const char *text, size_t text_len,
		    const char *const *incdirs, size_t n_incdirs, struct cvo_blob **out,
		    struct cvo_error *err)
{
	char *tmpdir = NULL, *tmpsrc = NULL, *srcdir = source_dir(path);
	char **argv = NULL;
	void *dtb = NULL, *dts = NULL;
	size_t len = 0;
	char why[1024];
	const char *src = path;
	int r = CVO_ERR_NOMEM;
	if (!srcdir)
		goto out;
	if (n_incdirs) {
		tmpdir = make_tmpdir();
		tmpsrc = tmpdir ? cvo_asprintf("%s/input.dts", tmpdir) : NULL;
		if (!tmpsrc) {
			r = cvo_error_set(err, CVO_ERR_IO, path, 0, 0,
					  "cannot create a temporary folder");
			goto out;
		}
		r = preprocess(path, incdirs, n_incdirs, tmpsrc, err);
		if (r)
			goto out;
		src = tmpsrc;
	}
	argv = dtc_argv("dtb", false, srcdir, incdirs, n_incdirs, src);
	r = CVO_ERR_NOMEM;
	if (!argv)
		goto out;
	r = cvo_run_capture(argv, &dtb, &len, why, sizeof(why));
	if (r != 0) {
		if (r < 0)
			cvo_error_set(err, r, path, 0, 0, "%s", why);
		else if (!dtc_error(why, !n_incdirs && uses_cpp_include(text, text_len), err))
			cvo_error_set(err, CVO_ERR_INVALID, path, 0, 0, "dtc rejected it: %s",
				      why[0] ? why : "no message");
		r = r < 0 ? r : CVO_ERR_INVALID;
		goto out;
	}
	r = cvo_blob_from_buffer(dtb, len, path, out, err);
	if (r)
		goto out;
	free(argv);
	argv = dtc_argv("dts", true, srcdir, incdirs, n_incdirs, src);
	if (argv && cvo_run_capture(argv, &dts, &len, why, sizeof(why)) == 0)
		(*out)->srcmap = cvo_srcmap_parse(dts, len, src != path ? NULL : path);
out:
	if (tmpsrc)
		unlink(tmpsrc);
	if (tmpdir)
		rmdir(tmpdir);
	free(tmpsrc);
	free(tmpdir);
	free(srcdir);
	free(argv);
	free(dtb);
	free(dts);
	return r;
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
	if (!is_stdin && is_dts(buf, len)) {
		r = load_dts(path, buf, len, incdirs, n_incdirs, out, err);
		free(buf);
		return r;
	}
	r = cvo_blob_from_buffer(buf, len, name, out, err);
	free(buf);
	return r;
}

bool cvo_blob_locate(const struct cvo_blob *blob, const char *path, const char *prop,
		     struct cvo_loc *loc)
{
	if (!blob)
		return false;
	bool found;
	if (prop && blob->applied) {
		bool known = cvo_applied_locate(blob->applied, path, prop, &found, loc);
		if (found)
			return known;
	}
	if (blob->srcmap && cvo_srcmap_find(blob->srcmap, path, prop, loc))
		return true;
	/* a node an overlay created */
	return cvo_applied_locate(blob->applied, path, NULL, &found, loc);
}
