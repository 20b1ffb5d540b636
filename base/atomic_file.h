/* atomic_file: replace a file all at once or not at all (POSIX, no HDF5).
 *
 * The protocol every output of nqpsim follows (run files, checkpoints,
 * sweep results, comparison tables, reports, sensitivity samples): the
 * content goes to a temporary, PATH.partial, which is fsync'ed, closed and
 * renamed over PATH (rename(2) is atomic within a file system); then the
 * directory is fsync'ed so the rename itself survives a crash. A file
 * under its final name is therefore always complete; a failure leaves
 * either nothing (atomic_file_abort) or the temporary for diagnosis
 * (atomic_file_release, used by writers that mark a failed file inside).
 *
 * Two ways to write the temporary:
 *  - AF_FD: the module creates PATH.partial (truncating a stale one) and
 *    the caller writes through atomic_file_write(), or through the stdio
 *    stream of atomic_file_stream() (owned by the module);
 *  - by name (no AF_FD): the module removes a stale PATH.partial and the
 *    caller creates and writes af->tmp itself (HDF5's H5Fcreate), closing
 *    it before atomic_file_commit(), which fsyncs it by name.
 *
 * Invariants:
 *  - PATH is touched only by the rename in atomic_file_commit(); an
 *    existing PATH is refused at atomic_file_begin() unless AF_FORCE (the
 *    message is "PATH exists (use --force to replace it)", af->stage is
 *    AF_EXISTS) and, with AF_FORCE, replaced only at that rename;
 *  - after a failed call, af->stage says which step failed, af->err_no
 *    holds its errno and af->msg a one-line message naming the file;
 *  - atomic_file_abort() and atomic_file_release() are safe on a zeroed,
 *    failed, committed or already ended atomic_file, and free everything;
 *    abort never removes a committed file;
 *  - the directory fsync after the rename is best effort (not every file
 *    system allows fsync on a directory): its failure does not fail the
 *    commit and is kept in af->dir_err_no (0 when it succeeded).
 *  - nothing here prints or keeps global state; one atomic_file per output.
 *
 * Plan for the reliability issue (concurrent writers of one output), all
 * inside this module, with no change to its callers:
 *  - atomic_file_begin() takes an exclusive flock(2) on PATH.lock (created
 *    next to PATH, kept) before the existence check and holds it until
 *    abort/release, so two processes writing one PATH serialise or the
 *    second fails with AF_LOCKED ("PATH is being written by another
 *    process"); the lock's descriptor lives in a new member of the struct;
 *  - the temporary becomes unique, PATH.XXXXXX.partial from mkstemp(3)
 *    (by-name writers get the name and open it with H5F_ACC_TRUNC), so a
 *    stale temporary is never removed, only ignored; callers already use
 *    af->tmp and never build the name themselves;
 *  - without AF_FORCE the rename becomes renameat2(RENAME_NOREPLACE) (or
 *    link(2) + unlink(2)) so a PATH created meanwhile is not replaced.
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
  AF_NOMEM,  /* out of memory */
  AF_EXISTS, /* PATH exists and AF_FORCE was not given */
  AF_STALE,  /* a stale temporary could not be removed (by-name mode) */
  AF_CREATE, /* the temporary could not be created (AF_FD) */
  AF_WRITE,  /* a write to the temporary failed */
  AF_SYNC,   /* fsync or close of the temporary failed */
  AF_RENAME, /* the rename over PATH failed */
  AF_STATE,  /* a call out of order (write after commit, ...) */
} af_stage;

typedef struct atomic_file {
  char *path;     /* final name (a copy) */
  char *tmp;      /* the temporary, PATH.partial */
  int fd;         /* the temporary's descriptor with AF_FD until commit, else -1 */
  FILE *stream;   /* atomic_file_stream()'s stream, NULL when none */
  unsigned flags; /* AF_* given to begin */
  int committed;  /* 1 once renamed to PATH */
  af_stage stage; /* what failed last, AF_OK when nothing did */
  int err_no;     /* errno of that failure */
  int dir_err_no; /* errno of the best-effort directory fsync, 0 when it worked */
  char msg[1024]; /* the failure, one line naming the file */
} atomic_file;

/* Start writing PATH (see the flags). Returns 0, or -1 with stage, err_no
 * and msg set; the caller then calls atomic_file_abort() (which removes
 * nothing that begin did not create). */
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

/* fsync the directory that holds PATH ("." when PATH has no slash).
 * Returns 0, or -1 with errno set. */
int atomic_file_sync_dir(const char *path);

#endif
