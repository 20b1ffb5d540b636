/* atomic_file: write to PATH.partial, fsync, rename over PATH, fsync the
 * directory (contract and the locking plan in atomic_file.h).
 *
 * Invariants:
 *  - af->fd is open exactly between a successful AF_FD begin and commit or
 *    the end; every path that fails records stage, errno and message
 *    before returning, and leaves PATH untouched;
 *  - the temporary is removed only by atomic_file_abort() of a file that
 *    was not committed, or by begin when it is stale (by-name mode).
 */
#include "base/atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define AF_SUFFIX ".partial"

__attribute__((format(printf, 4, 5))) static int af_fail(atomic_file *af, af_stage stage,
                                                         int err_no, const char *fmt, ...) {
  va_list ap;
  af->stage = stage;
  af->err_no = err_no;
  va_start(ap, fmt);
  vsnprintf(af->msg, sizeof af->msg, fmt, ap);
  va_end(ap);
  return -1;
}

int atomic_file_begin(atomic_file *af, const char *path, unsigned flags) {
  struct stat st;
  size_t len = strlen(path);
  memset(af, 0, sizeof *af);
  af->fd = -1;
  af->flags = flags;
  if (!(af->path = strdup(path)) || !(af->tmp = malloc(len + sizeof AF_SUFFIX)))
    return af_fail(af, AF_NOMEM, ENOMEM, "%s: out of memory", path);
  memcpy(af->tmp, path, len);
  memcpy(af->tmp + len, AF_SUFFIX, sizeof AF_SUFFIX);
  if (!(flags & AF_FORCE) && stat(path, &st) == 0)
    return af_fail(af, AF_EXISTS, EEXIST, "%s exists (use --force to replace it)", path);
  if (flags & AF_FD) {
    if ((af->fd = open(af->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
      return af_fail(af, AF_CREATE, errno, "%s: cannot create: %s", af->tmp, strerror(errno));
    return 0;
  }
  /* A stale temporary of an earlier process: none must be left (also when
   * there was none in a directory we cannot write: creating the file then
   * reports the real problem). */
  if (unlink(af->tmp) == 0 || errno == ENOENT || access(af->tmp, F_OK) != 0) return 0;
  return af_fail(af, AF_STALE, errno, "%s: cannot remove stale file: %s", af->tmp, strerror(errno));
}

int atomic_file_write(atomic_file *af, const void *buf, size_t n) {
  const char *p = buf;
  if (!af->tmp || af->fd < 0)
    return af_fail(af, AF_STATE, EBADF, "%s: not open for writing", af->tmp ? af->tmp : "?");
  while (n > 0) {
    ssize_t k = write(af->fd, p, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) {
      int e = k < 0 ? errno : EIO;
      return af_fail(af, AF_WRITE, e, "%s: write error: %s", af->tmp, strerror(e));
    }
    p += k;
    n -= (size_t)k;
  }
  return 0;
}

FILE *atomic_file_stream(atomic_file *af) {
  int fd;
  if (af->stream) return af->stream;
  if (!af->tmp || af->fd < 0) {
    af_fail(af, AF_STATE, EBADF, "%s: not open for writing", af->tmp ? af->tmp : "?");
    return NULL;
  }
  /* on a duplicate: fclose() then leaves af->fd open for the fsync */
  if ((fd = dup(af->fd)) < 0 || !(af->stream = fdopen(fd, "w"))) {
    int e = errno;
    if (fd >= 0) close(fd);
    af_fail(af, AF_NOMEM, e, "%s: %s", af->tmp, strerror(e));
    return NULL;
  }
  return af->stream;
}

/* Flush and close the stream; -1 (stage AF_WRITE) when it had an error. */
static int af_close_stream(atomic_file *af) {
  FILE *f = af->stream;
  int bad;
  if (!f) return 0;
  af->stream = NULL;
  errno = 0;
  bad = fflush(f) != 0 || ferror(f);
  int e = errno ? errno : EIO;
  if (fclose(f) != 0 && !bad) bad = 1, e = errno;
  return bad ? af_fail(af, AF_WRITE, e, "%s: write error: %s", af->tmp, strerror(e)) : 0;
}

/* fsync the file or directory PATH opened with FLAGS. */
static int af_sync_path(const char *path, int flags) {
  int fd = open(path, flags | O_CLOEXEC), rc, e;
  if (fd < 0) return -1;
  rc = fsync(fd);
  e = errno;
  close(fd);
  errno = e;
  return rc;
}

int atomic_file_sync_dir(const char *path) {
  const char *slash = strrchr(path, '/');
  char *dir;
  int rc, e;
  if (!slash) return af_sync_path(".", O_RDONLY | O_DIRECTORY);
  if (slash == path) return af_sync_path("/", O_RDONLY | O_DIRECTORY);
  if (!(dir = strndup(path, (size_t)(slash - path)))) return errno = ENOMEM, -1;
  rc = af_sync_path(dir, O_RDONLY | O_DIRECTORY);
  e = errno;
  free(dir);
  errno = e;
  return rc;
}

int atomic_file_commit(atomic_file *af) {
  if (!af->tmp || af->committed)
    return af_fail(af, AF_STATE, EINVAL, "%s: nothing to commit", af->path ? af->path : "?");
  if (af_close_stream(af) < 0) return -1;
  if (af->fd >= 0) {
    int fd = af->fd, rc = fsync(fd), e = errno;
    af->fd = -1;
    if (close(fd) < 0 && rc == 0) rc = -1, e = errno;
    if (rc < 0) return af_fail(af, AF_SYNC, e, "%s: write error: %s", af->tmp, strerror(e));
  } else if (af_sync_path(af->tmp, O_RDONLY) < 0) {
    return af_fail(af, AF_SYNC, errno, "%s: fsync: %s", af->tmp, strerror(errno));
  }
  if (rename(af->tmp, af->path) < 0)
    return af_fail(af, AF_RENAME, errno, "%s: cannot rename to %s: %s", af->tmp, af->path,
                   strerror(errno));
  af->committed = 1;
  af->dir_err_no = atomic_file_sync_dir(af->path) < 0 ? errno : 0;
  return 0;
}

static void af_end(atomic_file *af, int remove_tmp) {
  if (af->stream) fclose(af->stream);
  af->stream = NULL;
  if (af->tmp && af->fd >= 0) close(af->fd); /* a zeroed struct has fd 0 and no names */
  af->fd = -1;
  if (remove_tmp && af->tmp && !af->committed && af->stage != AF_EXISTS && af->stage != AF_STALE &&
      af->stage != AF_NOMEM)
    unlink(af->tmp);
  free(af->path);
  free(af->tmp);
  af->path = af->tmp = NULL;
}

void atomic_file_abort(atomic_file *af) {
  af_end(af, 1);
}

void atomic_file_release(atomic_file *af) {
  af_end(af, 0);
}
