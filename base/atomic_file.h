/* atomic_file: replace a file all at once or not at all, one writer at a
 * time (POSIX, no HDF5).
 *
 * The protocol every output of nqpsim follows (run files, checkpoints,
 * sweep results, comparison tables, reports, sensitivity samples, the
 * API's nqp_world_save):
 *  1. refusals before anything is touched: an empty name (AF_BADPATH), a
 *     PATH that exists and is not a regular file (AF_NOTREG: /dev/null, a
 *     directory, a FIFO, a device is never replaced), an existing PATH
 *     without AF_FORCE (AF_EXISTS);
 *  2. an exclusive advisory lock, flock(2) on PATH.lock (created beside
 *     PATH), taken without waiting: a second process writing PATH is
 *     refused with AF_LOCKED ("PATH is being written by another process")
 *     before it removes or creates anything. The lock is held until
 *     abort/release (or atomic_file_unlock() of an atomic_file_lock()),
 *     and PATH.lock is removed by its last holder (a stale lock file, of a
 *     killed process, is harmless: flock locks die with their process).
 *     Within one process the lock is shared: a driver that took it with
 *     atomic_file_lock() before building the world can then open its
 *     writers (which take it again) without refusing itself;
 *  3. the temporary PATH.partial is created O_EXCL (after removing a stale
 *     one, which only the lock holder may do: the name is unique among
 *     writers because there is one writer at a time) in PATH's directory,
 *     opened through a descriptor of that directory; its device and inode
 *     are kept;
 *  4. commit: flush, fsync, check that the directory entry PATH.partial is
 *     still the file written (fstat identity: a temporary replaced or
 *     removed by someone else is never renamed), check PATH again
 *     (non-regular: refused; created meanwhile without AF_FORCE: refused,
 *     the rename is renameat2(RENAME_NOREPLACE)), renameat() on the
 *     directory's descriptor, fsync of the directory (best effort).
 * A file under its final name is therefore always complete, and an
 * existing PATH stays intact until the new one is complete; a failure
 * leaves either nothing (atomic_file_abort) or the temporary for diagnosis
 * (atomic_file_release, used by writers that mark a failed file inside),
 * at most one PATH.partial beside PATH.
 *
 * Two ways to write the temporary:
 *  - AF_FD: the caller writes through atomic_file_write(), or through the
 *    stdio stream of atomic_file_stream() (owned by the module);
 *  - by name (no AF_FD): the caller opens af->tmp itself (HDF5's H5Fcreate
 *    with H5F_ACC_TRUNC, which keeps the inode the module created) and
 *    closes it before atomic_file_commit(); the module keeps its own
 *    descriptor for the identity check and the fsync.
 *
 * Invariants:
 *  - PATH is touched only by the rename in atomic_file_commit();
 *  - after a failed call, af->stage says which step failed, af->err_no
 *    holds its errno and af->msg a one-line message naming the file;
 *    AF_BADPATH, AF_EXISTS, AF_NOTREG, AF_LOCKED and AF_SAME are the
 *    caller's input errors (exit 2), the others runtime failures;
 *  - atomic_file_abort() and atomic_file_release() are safe on a zeroed,
 *    failed, committed or already ended atomic_file, and free everything;
 *    abort never removes a committed file nor a file begin did not create;
 *  - the directory fsync after the rename is best effort (not every file
 *    system allows fsync on a directory): its failure does not fail the
 *    commit and is kept in af->dir_err_no (0 when it succeeded);
 *  - nothing here prints; the only process-wide state is the table of
 *    locks held (guarded by a mutex), one entry per lock file.
 *
 * Included by: any file at or above base/ (layers.txt).
 */
#ifndef NQP_ATOMIC_FILE_H
#define NQP_ATOMIC_FILE_H

#include <stddef.h>
#include <stdio.h>

/* Flags of atomic_file_begin. */
enum {
  AF_FORCE = 1u << 0, /* an existing PATH may be replaced (at commit) */
  AF_FD = 1u << 1,    /* create the temporary and open it for writing (af->fd) */
};

/* The step that failed (af->stage). */
typedef enum af_stage {
  AF_OK = 0,
  AF_NOMEM,   /* out of memory */
  AF_EXISTS,  /* PATH exists and AF_FORCE was not given */
  AF_STALE,   /* a stale temporary could not be removed (by-name mode) */
  AF_CREATE,  /* the temporary could not be created (AF_FD) */
  AF_WRITE,   /* a write to the temporary failed */
  AF_SYNC,    /* fsync or close of the temporary failed */
  AF_RENAME,  /* the rename over PATH failed */
  AF_STATE,   /* a call out of order (write after commit, ...) */
  AF_BADPATH, /* an empty name, or a name ending in '/' */
  AF_NOTREG,  /* PATH exists and is not a regular file (never replaced) */
  AF_LOCKED,  /* another process holds PATH.lock */
  AF_SAME,    /* PATH is one of the command's inputs (atomic_file_same) */
} af_stage;

/* 1 for the stages that are the caller's input errors (exit 2). */
#define AF_BAD_INPUT(stage)                                                                        \
  ((stage) == AF_BADPATH || (stage) == AF_EXISTS || (stage) == AF_NOTREG ||                        \
   (stage) == AF_LOCKED || (stage) == AF_SAME)

typedef struct af_lock af_lock; /* a held PATH.lock (shared within the process) */

typedef struct atomic_file {
  char *path;                  /* final name (a copy) */
  char *tmp;                   /* the temporary, PATH.partial */
  const char *tmp_base, *base; /* their last components (inside tmp and path) */
  int dir_fd;                  /* PATH's directory, -1 when not open */
  int tmp_fd;                  /* by-name mode: the module's descriptor of the temporary, else -1 */
  int created;                 /* 1 once begin created the temporary */
  unsigned long long tmp_dev, tmp_ino; /* identity of the temporary */
  af_lock *lock;                       /* PATH.lock, held from begin to the end */
  int fd;         /* the temporary's descriptor with AF_FD until commit, else -1 */
  FILE *stream;   /* atomic_file_stream()'s stream, NULL when none */
  unsigned flags; /* AF_* given to begin */
  int committed;  /* 1 once renamed to PATH */
  af_stage stage; /* what failed last, AF_OK when nothing did */
  int err_no;     /* errno of that failure */
  int dir_err_no; /* errno of the best-effort directory fsync, 0 when it worked */
  char msg[1024]; /* the failure, one line naming the file */
} atomic_file;

/* Start writing PATH (see the flags): the refusals, the lock, the
 * temporary. Returns 0, or -1 with stage, err_no and msg set; the caller
 * then calls atomic_file_abort() (which removes nothing that begin did
 * not create). */
int atomic_file_begin(atomic_file *af, const char *path, unsigned flags);

/* Write N bytes of BUF to the temporary (AF_FD only; retries short writes
 * and EINTR). Returns 0, or -1 (stage AF_WRITE, msg "TMP: write error:
 * REASON"). */
int atomic_file_write(atomic_file *af, const void *buf, size_t n);

/* A stdio stream writing to the temporary (AF_FD only), the same one on
 * every call; the module closes it (commit flushes it and checks it for
 * errors). Returns NULL (stage AF_NOMEM or AF_STATE) on failure. */
FILE *atomic_file_stream(atomic_file *af);

/* Make the temporary PATH: flush and close the stream, fsync it (through fd with AF_FD, else by
 * name), close it, rename it over PATH, fsync the directory (best effort). Returns 0, or -1 with
 * stage and msg set ("TMP: write error: REASON" for a failed fsync or close with AF_FD, "TMP:
 * fsync: REASON" by name, "TMP: cannot rename to PATH: REASON"); the temporary is then still there.
 */
int atomic_file_commit(atomic_file *af);

/* End: close the descriptor, remove the temporary unless committed, free
 * the names. */
void atomic_file_abort(atomic_file *af);

/* End: close the descriptor, leave the temporary where it is (a failed
 * writer's diagnostics), free the names. */
void atomic_file_release(atomic_file *af);

/* The refusals of atomic_file_begin (AF_BADPATH, AF_NOTREG, AF_EXISTS
 * unless AF_FORCE) and the lock, with nothing created but PATH.lock: for a
 * driver that must refuse a busy or bad output before building its world.
 * Returns the lock (release with atomic_file_unlock), or NULL with *STAGE
 * and MSG set (AF_CREATE when the lock file cannot be created: a missing
 * or read-only directory). */
af_lock *atomic_file_lock(const char *path, unsigned flags, af_stage *stage, char *msg,
                          size_t msglen);

/* Release a lock of atomic_file_lock (NULL is fine); sets *L to NULL. */
void atomic_file_unlock(af_lock **l);

/* 1 when A and B both exist and are the same file (device and inode),
 * else 0: an output equal to an input is refused (stage AF_SAME, message
 * made by the caller). */
int atomic_file_same(const char *a, const char *b);

/* fsync the directory that holds PATH ("." when PATH has no slash).
 * Returns 0, or -1 with errno set. */
int atomic_file_sync_dir(const char *path);

#endif
