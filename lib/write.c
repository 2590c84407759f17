// SPDX-License-Identifier: MIT
/*
 * Writing a file atomically: a temporary file beside it, written and flushed to disk, given
 * its mode, then renamed over it and the folder flushed, so that a reader (or a reboot) sees
 * the old file or the whole new one, never a part. The old file stays linked under a second
 * temporary name until the folder is on disk, so that the last step can still be undone.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* A write under way: the temporary file (fd, name) and the folder it is in. */
struct atomic {
	const char *path;
	char *tmp;	/* path's folder/.NAME.XXXXXX */
	char *old;	/* tmp with "~": a second link to the file path named before */
	int fd, dirfd;
	bool linked;	/* old names the file path named */
};

/* Record a failed step (errno e) in err, leave errno at e. returns: CVO_ERR_IO. */
static int step_failed(const struct atomic *a, const char *step, int e, struct cvo_error *err)
{
	cvo_error_set(err, CVO_ERR_IO, a->path, 0, 0, "%s: %s", step, strerror(e));
	errno = e;
	return CVO_ERR_IO;
}

/* Remove what begin_write() made; path is left as it was. Keeps errno. */
static void abandon(struct atomic *a)
{
	int e = errno;
	if (a->fd >= 0)
		close(a->fd);
	if (a->dirfd >= 0)
		close(a->dirfd);
	if (a->tmp)
		unlink(a->tmp);
	if (a->linked)
		unlink(a->old);
	free(a->tmp);
	free(a->old);
	errno = e;
}

/* The mode the new file gets: mode_from's, or what a new file gets under the umask. */
static int target_mode(const struct atomic *a, const char *mode_from, mode_t *mode,
		       struct cvo_error *err)
{
	struct stat st;
	if (mode_from && stat(mode_from, &st) == 0) {
		*mode = st.st_mode & 07777;
		return 0;
	}
	if (mode_from && errno != ENOENT && errno != ENOTDIR)
		return step_failed(a, "stat", errno, err);
	/* there is no call that reads the umask without setting it */
	mode_t um = umask(0);
	umask(um);
	*mode = 0666 & ~um;
	return 0;
}

/* Create the temporary file, give it its mode and open the folder. */
static int begin_write(struct atomic *a, const char *path, const char *mode_from,
		       struct cvo_error *err)
{
	*a = (struct atomic){ .path = path, .fd = -1, .dirfd = -1 };
	mode_t mode;
	int r = target_mode(a, mode_from, &mode, err);
	if (r)
		return r;
	const char *slash = strrchr(path, '/');
	int dir_len = slash ? (int)(slash - path) + 1 : 0;
	const char *base = slash ? slash + 1 : path;
	char *dir = slash ? cvo_asprintf("%.*s", dir_len, path) : cvo_strdup(".");
	a->tmp = cvo_asprintf("%.*s.%s.XXXXXX", dir_len, path, base);
	if (!dir || !a->tmp) {
		free(dir);
		free(a->tmp);
		a->tmp = NULL;
		return step_failed(a, "malloc", ENOMEM, err);
	}
	a->fd = mkstemp(a->tmp);
	if (a->fd < 0) {
		int e = errno;
		free(dir);
		free(a->tmp);
		a->tmp = NULL;
		return step_failed(a, "cannot create a temporary file", e, err);
	}
	/* mkstemp() makes it 0600 */
	if (fchmod(a->fd, mode)) {
		r = step_failed(a, "fchmod", errno, err);
		goto fail;
	}
	a->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (a->dirfd < 0) {
		r = step_failed(a, "cannot open the folder", errno, err);
		goto fail;
	}
	free(dir);
	return 0;
fail:
	free(dir);
	abandon(a);
	return r;
}

/*
 * The written temporary file (closed, a->fd is -1) onto disk and over path: a second link to
 * the old file, the rename, the folder's fsync; a failing fsync renames the old file back.
 */
static int commit(struct atomic *a, struct cvo_error *err)
{
	int r;
	a->old = cvo_asprintf("%s~", a->tmp);
	if (!a->old) {
		r = step_failed(a, "malloc", ENOMEM, err);
		goto fail;
	}
	if (link(a->path, a->old) == 0) {
		a->linked = true;
	} else if (errno != ENOENT && errno != EPERM && errno != EOPNOTSUPP && errno != EMLINK &&
		   errno != EXDEV) {
		/* ENOENT: no file to keep; the others: a file system without hard links,
		 * where a failing fsync of the folder cannot be undone */
		r = step_failed(a, "link", errno, err);
		goto fail;
	}
	if (rename(a->tmp, a->path)) {
		r = step_failed(a, "rename", errno, err);
		goto fail;
	}
	free(a->tmp);
	a->tmp = NULL;
	if (fsync(a->dirfd)) {
		int e = errno;
		/* the rename may not be on disk: put the old file back, or remove the new one */
		if (a->linked ? rename(a->old, a->path) == 0 : unlink(a->path) == 0) {
			a->linked = false;
			fsync(a->dirfd);
		}
		r = step_failed(a, "fsync of the folder", e, err);
		goto fail;
	}
	if (a->linked)
		unlink(a->old);
	a->linked = false;
	abandon(a);
	return 0;
fail:
	abandon(a);
	return r;
}

/* Write all len bytes to fd: 0, or the errno of the write that failed (EIO for none). */
static int write_all(int fd, const void *buf, size_t len)
{
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, (const char *)buf + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? errno : EIO;
		off += (size_t)w;
	}
	return 0;
}

/* A target that is not a regular file (a device such as /dev/null, a FIFO) is written
 * through: renaming a temporary file over it would replace the device. returns: 1 when
 * path is such a target and *r is the result, 0 when it is a regular file or absent. */
static int write_through(const char *path, const void *buf, size_t len, struct cvo_error *err,
			 int *r)
{
	struct stat st;
	if (stat(path, &st) || S_ISREG(st.st_mode))
		return 0;
	*r = 0;
	int fd = S_ISDIR(st.st_mode) ? -1 : open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = S_ISDIR(st.st_mode) ? EISDIR : errno;
		*r = cvo_error_set(err, CVO_ERR_IO, path, 0, 0, "open: %s", strerror(e));
		errno = e;
		return 1;
	}
	int e = write_all(fd, buf, len);
	if (e) {
		*r = cvo_error_set(err, CVO_ERR_IO, path, 0, 0, "write: %s", strerror(e));
		close(fd);
		errno = e;
		return 1;
	}
	if (close(fd)) {
		e = errno;
		*r = cvo_error_set(err, CVO_ERR_IO, path, 0, 0, "close: %s", strerror(e));
		errno = e;
	}
	return 1;
}

int cvo_write_atomic(const char *path, const void *buf, size_t len, const char *mode_from,
		     struct cvo_error *err)
{
	int through;
	if (write_through(path, buf, len, err, &through))
		return through;
	struct atomic a;
	int r = begin_write(&a, path, mode_from, err);
	if (r)
		return r;
	int e = write_all(a.fd, buf, len);
	if (e) {
		r = step_failed(&a, "write", e, err);
		goto fail;
	}
	if (fsync(a.fd)) {
		r = step_failed(&a, "fsync", errno, err);
		goto fail;
	}
	r = close(a.fd);
	a.fd = -1;
	if (r) {
		r = step_failed(&a, "close", errno, err);
		goto fail;
	}
	return commit(&a, err);
fail:
	abandon(&a);
	return r;
}

int cvo_write_atomic_stream(const char *path, int (*fill)(FILE *f, void *arg), void *arg,
			    const char *mode_from, struct cvo_error *err)
{
	struct stat st;
	if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
		/* a device or FIFO is written through (write_through()) */
		FILE *f = S_ISDIR(st.st_mode) ? NULL : fopen(path, "w");
		if (!f) {
			int e = S_ISDIR(st.st_mode) ? EISDIR : errno;
			errno = e;
			return cvo_error_set(err, CVO_ERR_IO, path, 0, 0, "open: %s", strerror(e));
		}
		errno = 0;
		int bad = fill(f, arg) || fflush(f) || ferror(f);
		int e = errno ? errno : EIO;
		if (fclose(f) && !bad) {
			bad = 1;
			e = errno;
		}
		if (bad) {
			errno = e;
			return cvo_error_set(err, CVO_ERR_IO, path, 0, 0, "write: %s", strerror(e));
		}
		return 0;
	}
	struct atomic a;
	int r = begin_write(&a, path, mode_from, err);
	if (r)
		return r;
	FILE *f = fdopen(a.fd, "w");
	if (!f) {
		r = step_failed(&a, "fdopen", errno, err);
		goto fail;
	}
	errno = 0;
	if (fill(f, arg) || fflush(f) || ferror(f)) {
		r = step_failed(&a, "write", errno ? errno : EIO, err);
		goto fail_f;
	}
	if (fsync(a.fd)) {
		r = step_failed(&a, "fsync", errno, err);
		goto fail_f;
	}
	a.fd = -1;
	if (fclose(f)) {
		r = step_failed(&a, "close", errno, err);
		goto fail;
	}
	return commit(&a, err);
fail_f:
	a.fd = -1;
	int e = errno;
	fclose(f);
	errno = e;
fail:
	abandon(&a);
	return r;
}
