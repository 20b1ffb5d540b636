/* atomic_file: refuse bad or busy outputs, lock PATH.lock, write
 * PATH.partial, fsync, check it is still ours, rename over PATH on the
 * directory's descriptor, fsync the directory (contract in atomic_file.h).
 *
 * Invariants:
 *  - af->fd is open exactly between a successful AF_FD begin and commit or
 *    the end; af->tmp_fd (by name) from begin to commit or the end;
 *    every path that fails records stage, errno and message before
 *    returning, and leaves PATH untouched;
 *  - the temporary is removed only by atomic_file_abort() of a file that
 *    begin created and was not committed (and only while its directory
 *    entry is still that file), or by begin when it is stale, under the
 *    lock;
 *  - a lock table entry exists exactly while some atomic_file or
 *    atomic_file_lock() of this process holds it; its file is unlinked by
 *    the last holder while still locked, and a new holder checks after
 *    flock that the name still refers to the inode it locked (else it
 *    retries), so two processes never both hold PATH.lock.
 */
#define _GNU_SOURCE
#include "base/atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define AF_SUFFIX ".partial"
#define AF_LOCK   ".lock"

struct af_lock {
  char *path; /* PATH.lock */
  int fd;
  dev_t dev;
  ino_t ino;
  int refs;
  struct af_lock *next;
};

static pthread_mutex_t af_mutex = PTHREAD_MUTEX_INITIALIZER;
static af_lock *af_locks; /* held by this process */

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

/* ---- refusals and the lock ------------------------------------------------ */

/* The refusals that need no lock: AF_OK or the stage, message in MSG. */
static af_stage af_refuse(const char *path, unsigned flags, int *err_no, char *msg, size_t len) {
  struct stat st;
  size_t n = path ? strlen(path) : 0;
  *err_no = EINVAL;
  if (n == 0) return snprintf(msg, len, "no output file name (an empty path)"), AF_BADPATH;
  if (path[n - 1] == '/')
    return snprintf(msg, len, "%s: an output file name cannot end in '/'", path), AF_BADPATH;
  if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
    return snprintf(msg, len, "%s is not a regular file (%s): refusing to replace it", path,
                    S_ISDIR(st.st_mode) ? "a directory" : "a device, FIFO or socket"),
           AF_NOTREG;
  *err_no = EEXIST;
  if (!(flags & AF_FORCE) && lstat(path, &st) == 0)
    return snprintf(msg, len, "%s exists (use --force to replace it)", path), AF_EXISTS;
  return AF_OK;
}

static void af_lock_free(af_lock *l) {
  free(l->path);
  free(l);
}

/* Take or share the lock of PATH; NULL with *STAGE, *ERR_NO and MSG. */
static af_lock *af_lock_take(const char *path, af_stage *stage, int *err_no, char *msg,
                             size_t len) {
  size_t n = strlen(path);
  af_lock *l = calloc(1, sizeof *l);
  if (!l || !(l->path = malloc(n + sizeof AF_LOCK))) {
    free(l);
    *stage = AF_NOMEM, *err_no = ENOMEM;
    snprintf(msg, len, "%s: out of memory", path);
    return NULL;
  }
  memcpy(l->path, path, n);
  memcpy(l->path + n, AF_LOCK, sizeof AF_LOCK);
  for (int attempt = 0; attempt < 100; attempt++) {
    struct stat st, now;
    int fd = open(l->path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
    if (fd < 0 || fstat(fd, &st) != 0) {
      *stage = AF_CREATE, *err_no = errno;
      snprintf(msg, len, "%s: cannot create the lock file %s: %s", path, l->path, strerror(errno));
      if (fd >= 0) close(fd);
      break;
    }
    pthread_mutex_lock(&af_mutex);
    for (af_lock *h = af_locks; h; h = h->next)
      if (h->dev == st.st_dev && h->ino == st.st_ino) { /* held by this process already */
        h->refs++;
        pthread_mutex_unlock(&af_mutex);
        close(fd);
        af_lock_free(l);
        return h;
      }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      int e = errno;
      pthread_mutex_unlock(&af_mutex);
      close(fd);
      *err_no = e;
      if (e == EWOULDBLOCK) {
        *stage = AF_LOCKED;
        snprintf(msg, len,
                 "%s is being written by another process (it holds %s): refusing to "
                 "write it too",
                 path, l->path);
      } else {
        *stage = AF_CREATE;
        snprintf(msg, len, "%s: cannot lock %s: %s", path, l->path, strerror(e));
      }
      break;
    }
    /* the last holder may have unlinked the file between our open and flock */
    if (stat(l->path, &now) != 0 || now.st_dev != st.st_dev || now.st_ino != st.st_ino) {
      pthread_mutex_unlock(&af_mutex);
      close(fd);
      continue;
    }
    l->fd = fd, l->dev = st.st_dev, l->ino = st.st_ino, l->refs = 1;
    l->next = af_locks;
    af_locks = l;
    pthread_mutex_unlock(&af_mutex);
    return l;
  }
  if (*stage == AF_OK)
    *stage = AF_CREATE, *err_no = EAGAIN, snprintf(msg, len, "%s: cannot lock %s", path, l->path);
  af_lock_free(l);
  return NULL;
}

void atomic_file_unlock(af_lock **lp) {
  af_lock *l = lp ? *lp : NULL;
  if (!l) return;
  *lp = NULL;
  pthread_mutex_lock(&af_mutex);
  if (--l->refs > 0) {
    pthread_mutex_unlock(&af_mutex);
    return;
  }
  for (af_lock **h = &af_locks; *h; h = &(*h)->next)
    if (*h == l) {
      *h = l->next;
      break;
    }
  struct stat st;
  if (stat(l->path, &st) == 0 && st.st_dev == l->dev && st.st_ino == l->ino) unlink(l->path);
  close(l->fd); /* after the unlink: a waiting process then sees the name gone */
  pthread_mutex_unlock(&af_mutex);
  af_lock_free(l);
}

af_lock *atomic_file_lock(const char *path, unsigned flags, af_stage *stage, char *msg,
                          size_t msglen) {
  int e;
  af_stage s = af_refuse(path, flags, &e, msg, msglen);
  af_lock *l = NULL;
  if (s == AF_OK && (l = af_lock_take(path, &s, &e, msg, msglen)) &&
      (s = af_refuse(path, flags, &e, msg, msglen)) != AF_OK) /* again, under the lock */
    atomic_file_unlock(&l);
  if (stage) *stage = l ? AF_OK : s;
  return l;
}

int atomic_file_same(const char *a, const char *b) {
  struct stat sa, sb;
  return a && b && stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

/* ---- begin ---------------------------------------------------------------- */

static const char *af_basename(const char *p) {
  const char *slash = strrchr(p, '/');
  return slash ? slash + 1 : p;
}

/* Open the directory of PATH ("." without a slash). */
static int af_open_dir(const char *path) {
  const char *slash = strrchr(path, '/');
  char *dir;
  int fd, e;
  if (!slash) return open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (slash == path) return open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (!(dir = strndup(path, (size_t)(slash - path)))) return errno = ENOMEM, -1;
  fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  e = errno;
  free(dir);
  errno = e;
  return fd;
}

int atomic_file_begin(atomic_file *af, const char *path, unsigned flags) {
  struct stat st;
  size_t len;
  int e, fd;
  af_stage s;
  memset(af, 0, sizeof *af);
  af->fd = af->tmp_fd = af->dir_fd = -1;
  af->flags = flags;
  if ((s = af_refuse(path, flags, &e, af->msg, sizeof af->msg)) != AF_OK)
    return af->stage = s, af->err_no = e, -1;
  len = strlen(path);
  if (!(af->path = strdup(path)) || !(af->tmp = malloc(len + sizeof AF_SUFFIX)))
    return af_fail(af, AF_NOMEM, ENOMEM, "%s: out of memory", path);
  memcpy(af->tmp, path, len);
  memcpy(af->tmp + len, AF_SUFFIX, sizeof AF_SUFFIX);
  af->base = af_basename(af->path);
  af->tmp_base = af_basename(af->tmp);
  if ((af->dir_fd = af_open_dir(path)) < 0)
    return af_fail(af, AF_CREATE, errno, "%s: cannot create: %s", af->tmp, strerror(errno));
  if (!(af->lock = af_lock_take(path, &s, &e, af->msg, sizeof af->msg)))
    return af->stage = s, af->err_no = e, -1;
  if ((s = af_refuse(path, flags, &e, af->msg, sizeof af->msg)) != AF_OK) /* under the lock */
    return af->stage = s, af->err_no = e, -1;
  /* A stale temporary of an earlier, dead writer (we hold the lock). */
  if (unlinkat(af->dir_fd, af->tmp_base, 0) != 0 && errno != ENOENT &&
      fstatat(af->dir_fd, af->tmp_base, &st, AT_SYMLINK_NOFOLLOW) == 0)
    return af_fail(af, AF_STALE, errno, "%s: cannot remove stale file: %s", af->tmp,
                   strerror(errno));
  fd = openat(af->dir_fd, af->tmp_base, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0)
    return af_fail(af, AF_CREATE, errno, "%s: cannot create: %s", af->tmp, strerror(errno));
  af->created = 1;
  if (fstat(fd, &st) != 0) {
    e = errno;
    close(fd);
    return af_fail(af, AF_CREATE, e, "%s: cannot create: %s", af->tmp, strerror(e));
  }
  af->tmp_dev = (unsigned long long)st.st_dev;
  af->tmp_ino = (unsigned long long)st.st_ino;
  if (flags & AF_FD)
    af->fd = fd;
  else
    af->tmp_fd = fd;
  return 0;
}

/* ---- writing -------------------------------------------------------------- */

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

/* fsync and close FD (-1: the open failed), keeping fsync's errno. */
static int af_sync_close(int fd) {
  if (fd < 0) return -1;
  int rc = fsync(fd), e = errno;
  close(fd);
  errno = e;
  return rc;
}

/* fsync the file or directory PATH opened with FLAGS. */
static int af_sync_path(const char *path, int flags) {
  return af_sync_close(open(path, flags | O_CLOEXEC));
}

int atomic_file_sync_dir(const char *path) {
  return af_sync_close(af_open_dir(path));
}

/* 1 when the directory entry of the temporary is still the file begin made. */
static int af_still_ours(const atomic_file *af) {
  struct stat st;
  return fstatat(af->dir_fd, af->tmp_base, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
         (unsigned long long)st.st_dev == af->tmp_dev &&
         (unsigned long long)st.st_ino == af->tmp_ino;
}

/* rename without replacing an existing target (renameat2, else link +
 * unlink, which fails with EEXIST too). */
static int af_rename_noreplace(int dir, const char *from, const char *to) {
#ifdef SYS_renameat2
  if (syscall(SYS_renameat2, dir, from, dir, to, 1u /* RENAME_NOREPLACE */) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS) return -1;
#endif
  if (linkat(dir, from, dir, to, 0) != 0) return -1;
  unlinkat(dir, from, 0);
  return 0;
}

int atomic_file_commit(atomic_file *af) {
  struct stat st;
  int rc;
  if (!af->tmp || af->committed || af->dir_fd < 0 || !af->created)
    return af_fail(af, AF_STATE, EINVAL, "%s: nothing to commit", af->path ? af->path : "?");
  if (af_close_stream(af) < 0) return -1;
  if (af->fd >= 0) {
    int fd = af->fd, e;
    rc = fsync(fd);
    e = errno;
    af->fd = -1;
    if (close(fd) < 0 && rc == 0) rc = -1, e = errno;
    if (rc < 0) return af_fail(af, AF_SYNC, e, "%s: write error: %s", af->tmp, strerror(e));
  } else if (af->tmp_fd >= 0) {
    if (fsync(af->tmp_fd) != 0)
      return af_fail(af, AF_SYNC, errno, "%s: fsync: %s", af->tmp, strerror(errno));
  } else if (af_sync_path(af->tmp, O_RDONLY) < 0) {
    return af_fail(af, AF_SYNC, errno, "%s: fsync: %s", af->tmp, strerror(errno));
  }
  if (!af_still_ours(af))
    return af_fail(af, AF_RENAME, ESTALE,
                   "%s: the temporary file was replaced or removed by another process: %s not "
                   "replaced",
                   af->tmp, af->path);
  if (fstatat(af->dir_fd, af->base, &st, 0) == 0 && !S_ISREG(st.st_mode))
    return af_fail(af, AF_NOTREG, EEXIST, "%s is not a regular file: refusing to replace it",
                   af->path);
  if (af->flags & AF_FORCE)
    rc = renameat(af->dir_fd, af->tmp_base, af->dir_fd, af->base);
  else
    rc = af_rename_noreplace(af->dir_fd, af->tmp_base, af->base);
  if (rc < 0) {
    if (errno == EEXIST)
      return af_fail(af, AF_EXISTS, EEXIST, "%s exists (use --force to replace it)", af->path);
    return af_fail(af, AF_RENAME, errno, "%s: cannot rename to %s: %s", af->tmp, af->path,
                   strerror(errno));
  }
  af->committed = 1;
  af->dir_err_no = fsync(af->dir_fd) < 0 ? errno : 0;
  if (af->tmp_fd >= 0) close(af->tmp_fd);
  af->tmp_fd = -1;
  return 0;
}

/* ---- the end -------------------------------------------------------------- */

static void af_end(atomic_file *af, int remove_tmp) {
  if (af->stream) fclose(af->stream);
  af->stream = NULL;
  if (af->tmp) { /* a zeroed struct has descriptors 0 and no names */
    if (af->fd >= 0) close(af->fd);
    if (remove_tmp && af->created && !af->committed && af->dir_fd >= 0 && af_still_ours(af))
      unlinkat(af->dir_fd, af->tmp_base, 0);
    if (af->tmp_fd >= 0) close(af->tmp_fd);
    if (af->dir_fd >= 0) close(af->dir_fd);
    atomic_file_unlock(&af->lock);
  }
  af->fd = af->tmp_fd = af->dir_fd = -1;
  free(af->path);
  free(af->tmp);
  af->path = af->tmp = NULL;
  af->base = af->tmp_base = NULL;
}

void atomic_file_abort(atomic_file *af) {
  af_end(af, 1);
}

void atomic_file_release(atomic_file *af) {
  af_end(af, 0);
}
