/* test_atomic_file: the write-temporary / fsync / rename protocol of
 * base/atomic_file.h.
 *
 * PATH appears only at commit, with the whole content; abort removes the
 * temporary and leaves an existing PATH as it was; without AF_FORCE an
 * existing PATH is refused before anything is created; by-name writers
 * (HDF5) get a stale temporary removed and keep theirs on release; a
 * second writer (another process) is refused, a lock is shared within a
 * process; non-regular and empty paths are refused, a replaced temporary
 * is never renamed, a PATH created meanwhile is not replaced without
 * AF_FORCE; every
 * failure names its step and the file; the directory fsync reports a
 * missing directory and succeeds for ".", "/" and a real directory.
 *
 * Invariant: every test works in its own directory from mkdtemp(3),
 * removed afterwards.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/atomic_file.h"

static char dir[64], path[128], tmp[160];

static void setup(void) {
  snprintf(dir, sizeof dir, "/tmp/nqp-aftest-XXXXXX");
  cr_assert_not_null(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/out.txt", dir);
  snprintf(tmp, sizeof tmp, "%s.partial", path);
}

static void teardown(void) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  cr_assert_eq(system(cmd), 0);
}

TestSuite(atomic_file, .init = setup, .fini = teardown);

static int exists(const char *p) {
  struct stat st;
  return stat(p, &st) == 0;
}

static void put(const char *p, const char *text) {
  FILE *f = fopen(p, "w");
  cr_assert_not_null(f);
  fputs(text, f);
  cr_assert_eq(fclose(f), 0);
}

/* The content of P (static buffer), "" when missing. */
static const char *get(const char *p) {
  static char buf[256];
  FILE *f = fopen(p, "r");
  size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
  if (f) fclose(f);
  buf[n] = '\0';
  return buf;
}

Test(atomic_file, renamed_only_on_commit) {
  atomic_file af;
  cr_assert_eq(atomic_file_begin(&af, path, AF_FD), 0, "%s", af.msg);
  cr_expect_str_eq(af.tmp, tmp);
  cr_expect(exists(tmp), "the temporary is created at begin");
  cr_assert_eq(atomic_file_write(&af, "hello ", 6), 0);
  cr_assert_eq(atomic_file_write(&af, "world", 5), 0);
  cr_expect(!exists(path), "nothing under the final name before commit");
  cr_assert_eq(atomic_file_commit(&af), 0, "%s", af.msg);
  cr_expect(af.committed);
  cr_expect_eq(af.dir_err_no, 0, "directory fsync: %s", strerror(af.dir_err_no));
  cr_expect(!exists(tmp), "the temporary became PATH");
  cr_expect_str_eq(get(path), "hello world");
  atomic_file_abort(&af); /* after commit: frees, removes nothing */
  cr_expect_str_eq(get(path), "hello world");
  cr_expect_null(af.path);
  atomic_file_abort(&af); /* a second end is harmless */
}

Test(atomic_file, abort_removes_the_temporary_and_keeps_the_old_file) {
  atomic_file af;
  put(path, "old");
  cr_assert_eq(atomic_file_begin(&af, path, AF_FD | AF_FORCE), 0, "%s", af.msg);
  cr_assert_eq(atomic_file_write(&af, "new content", 11), 0);
  atomic_file_abort(&af);
  cr_expect(!exists(tmp), "abort removed the temporary");
  cr_expect_str_eq(get(path), "old", "the existing file is untouched");
}

Test(atomic_file, force_replaces_at_commit) {
  atomic_file af;
  put(path, "old");
  cr_assert_eq(atomic_file_begin(&af, path, AF_FD | AF_FORCE), 0, "%s", af.msg);
  cr_assert_eq(atomic_file_write(&af, "new", 3), 0);
  cr_expect_str_eq(get(path), "old", "replaced only at commit");
  cr_assert_eq(atomic_file_commit(&af), 0, "%s", af.msg);
  atomic_file_abort(&af);
  cr_expect_str_eq(get(path), "new");
}

Test(atomic_file, refusal_without_force) {
  atomic_file af;
  char want[256];
  put(path, "old");
  for (unsigned mode = 0; mode < 2; mode++) {
    cr_expect_eq(atomic_file_begin(&af, path, mode ? AF_FD : 0), -1);
    cr_expect_eq(af.stage, AF_EXISTS);
    snprintf(want, sizeof want, "%s exists (use --force to replace it)", path);
    cr_expect_str_eq(af.msg, want);
    atomic_file_abort(&af);
    cr_expect(!exists(tmp), "no temporary for a refused output");
    cr_expect_str_eq(get(path), "old");
  }
}

Test(atomic_file, by_name_removes_a_stale_temporary_and_release_keeps_it) {
  atomic_file af;
  put(tmp, "stale");
  cr_assert_eq(atomic_file_begin(&af, path, 0), 0, "%s", af.msg);
  cr_expect_str_eq(get(tmp), "", "the stale temporary is gone, a new empty one made");
  cr_expect_eq(af.fd, -1);
  put(af.tmp, "written by name"); /* as H5Fcreate would */
  atomic_file_release(&af);       /* a failed writer keeps its file */
  cr_expect_str_eq(get(tmp), "written by name");
  cr_expect(!exists(path));

  cr_assert_eq(atomic_file_begin(&af, path, 0), 0, "%s", af.msg);
  put(af.tmp, "complete");
  cr_assert_eq(atomic_file_commit(&af), 0, "%s", af.msg);
  atomic_file_release(&af);
  cr_expect_str_eq(get(path), "complete");
  cr_expect(!exists(tmp));
}

Test(atomic_file, a_stale_temporary_that_cannot_be_removed) {
  atomic_file af;
  cr_assert_eq(mkdir(tmp, 0755), 0);
  put(path, "old");
  cr_expect_eq(atomic_file_begin(&af, path, AF_FORCE), -1);
  cr_expect_eq(af.stage, AF_STALE);
  cr_expect(strstr(af.msg, "out.txt.partial: cannot remove stale file"), "%s", af.msg);
  atomic_file_abort(&af);
  cr_expect(exists(tmp), "abort leaves what begin did not create");
  cr_expect_str_eq(get(path), "old");
}

Test(atomic_file, cannot_create_the_temporary) {
  atomic_file af;
  char p[256];
  snprintf(p, sizeof p, "%s/missing/out.txt", dir);
  cr_expect_eq(atomic_file_begin(&af, p, AF_FD), -1);
  cr_expect_eq(af.stage, AF_CREATE);
  cr_expect_eq(af.err_no, ENOENT);
  cr_expect(strstr(af.msg, "missing/out.txt.partial: cannot create: No such file"), "%s", af.msg);
  atomic_file_abort(&af);
}

Test(atomic_file, a_replaced_temporary_and_a_non_regular_path_are_never_renamed) {
  atomic_file af;
  char inside[200];
  /* by name, someone else replaces the temporary: the identity check
   * refuses the rename, and abort leaves the other file alone */
  put(path, "old");
  cr_assert_eq(atomic_file_begin(&af, path, AF_FORCE), 0, "%s", af.msg);
  cr_assert_eq(unlink(af.tmp), 0);
  put(af.tmp, "intruder");
  cr_expect_eq(atomic_file_commit(&af), -1);
  cr_expect_eq(af.stage, AF_RENAME);
  cr_expect(strstr(af.msg, "out.txt.partial: the temporary file was replaced"), "%s", af.msg);
  atomic_file_abort(&af);
  cr_expect_str_eq(get(path), "old");
  cr_expect_str_eq(get(tmp), "intruder");
  cr_assert_eq(unlink(tmp), 0);
  /* PATH becomes a directory while the temporary is written: refused at
   * commit (not renamed into it), the temporary kept until abort */
  cr_assert_eq(unlink(path), 0);
  cr_assert_eq(atomic_file_begin(&af, path, AF_FD | AF_FORCE), 0, "%s", af.msg);
  cr_assert_eq(atomic_file_write(&af, "data", 4), 0);
  cr_assert_eq(mkdir(path, 0755), 0);
  snprintf(inside, sizeof inside, "%s/keep", path);
  put(inside, "x");
  cr_expect_eq(atomic_file_commit(&af), -1);
  cr_expect_eq(af.stage, AF_NOTREG);
  cr_expect(strstr(af.msg, "out.txt is not a regular file"), "%s", af.msg);
  cr_expect(exists(tmp), "the temporary is kept after a failed commit");
  cr_expect_eq(atomic_file_write(&af, "more", 4), -1, "no write after commit closed it");
  cr_expect_eq(af.stage, AF_STATE);
  atomic_file_abort(&af);
  cr_expect(!exists(tmp));
  cr_expect_str_eq(get(inside), "x");
  /* and refused at begin, --force or not, before anything is created */
  cr_expect_eq(atomic_file_begin(&af, path, AF_FD | AF_FORCE), -1);
  cr_expect_eq(af.stage, AF_NOTREG);
  cr_expect(strstr(af.msg, "out.txt is not a regular file (a directory)"), "%s", af.msg);
  atomic_file_abort(&af);
  cr_expect(!exists(tmp));
}

Test(atomic_file, refusals_before_anything_is_created) {
  atomic_file af;
  af_stage st;
  char msg[512];
  cr_expect_eq(atomic_file_begin(&af, "/dev/null", AF_FD | AF_FORCE), -1);
  cr_expect_eq(af.stage, AF_NOTREG);
  cr_expect(strstr(af.msg, "/dev/null is not a regular file (a device"), "%s", af.msg);
  cr_expect(AF_BAD_INPUT(af.stage));
  atomic_file_abort(&af);
  cr_expect(!exists("/dev/null.partial") && !exists("/dev/null.lock"));
  cr_expect_eq(atomic_file_begin(&af, "", AF_FD), -1);
  cr_expect_eq(af.stage, AF_BADPATH);
  atomic_file_abort(&af);
  cr_expect_null(atomic_file_lock(dir, AF_FORCE, &st, msg, sizeof msg));
  cr_expect_eq(st, AF_NOTREG, "%s", msg);
  put(path, "old");
  cr_expect_null(atomic_file_lock(path, 0, &st, msg, sizeof msg));
  cr_expect_eq(st, AF_EXISTS, "%s", msg);
  cr_expect(!exists(tmp));
  cr_expect(atomic_file_same(path, path));
  cr_expect(!atomic_file_same(path, dir));
  cr_expect(!atomic_file_same(path, tmp), "a missing file is no file's twin");
}

Test(atomic_file, without_force_a_path_created_meanwhile_is_not_replaced) {
  atomic_file af;
  cr_assert_eq(atomic_file_begin(&af, path, AF_FD), 0, "%s", af.msg);
  cr_assert_eq(atomic_file_write(&af, "new", 3), 0);
  put(path, "theirs");
  cr_expect_eq(atomic_file_commit(&af), -1);
  cr_expect_eq(af.stage, AF_EXISTS);
  atomic_file_abort(&af);
  cr_expect_str_eq(get(path), "theirs");
  cr_expect(!exists(tmp));
}

/* A child process holds PATH's lock: the parent is refused, touching
 * nothing; once the child is gone, the parent writes; the lock file is
 * removed by its last holder, and a lock is shared within a process. */
Test(atomic_file, a_second_writer_is_refused_and_the_lock_is_shared_within_a_process) {
  atomic_file af, af2;
  int up[2], down[2];
  char c, lock[200], msg[512];
  af_stage st;
  snprintf(lock, sizeof lock, "%s.lock", path);
  put(path, "old");
  cr_assert_eq(pipe(up), 0);
  cr_assert_eq(pipe(down), 0);
  pid_t pid = fork();
  cr_assert(pid >= 0);
  if (pid == 0) {
    atomic_file a;
    int ok = atomic_file_begin(&a, path, AF_FD | AF_FORCE) == 0;
    if (write(up[1], ok ? "y" : "n", 1) != 1 || read(down[0], &c, 1) != 1) _exit(2);
    atomic_file_abort(&a);
    _exit(0);
  }
  cr_assert_eq(read(up[0], &c, 1), 1);
  cr_assert_eq(c, 'y');
  cr_expect_eq(atomic_file_begin(&af, path, AF_FD | AF_FORCE), -1);
  cr_expect_eq(af.stage, AF_LOCKED);
  cr_expect(strstr(af.msg, "out.txt is being written by another process"), "%s", af.msg);
  atomic_file_abort(&af);
  cr_expect_null(atomic_file_lock(path, AF_FORCE, &st, msg, sizeof msg));
  cr_expect_eq(st, AF_LOCKED);
  cr_expect(exists(tmp), "the other writer's temporary is left alone");
  cr_assert_eq(write(down[1], "x", 1), 1);
  int wst;
  cr_assert_eq(waitpid(pid, &wst, 0), pid);
  cr_expect(WIFEXITED(wst) && WEXITSTATUS(wst) == 0);
  cr_expect(!exists(lock), "the last holder removed the lock file");
  cr_expect_str_eq(get(path), "old");
  /* a driver's lock, then its writer's: shared */
  af_lock *l = atomic_file_lock(path, AF_FORCE, &st, msg, sizeof msg);
  cr_assert_not_null(l, "%s", msg);
  cr_assert_eq(atomic_file_begin(&af, path, AF_FD | AF_FORCE), 0, "%s", af.msg);
  cr_assert_eq(atomic_file_begin(&af2, tmp, AF_FD | AF_FORCE), 0, "%s", af2.msg);
  cr_assert_eq(atomic_file_write(&af, "new", 3), 0);
  cr_assert_eq(atomic_file_commit(&af), 0, "%s", af.msg);
  atomic_file_abort(&af);
  atomic_file_abort(&af2);
  cr_expect(exists(lock), "still held by the driver");
  atomic_file_unlock(&l);
  cr_expect_null(l);
  cr_expect(!exists(lock));
  cr_expect_str_eq(get(path), "new");
  close(up[0]), close(up[1]), close(down[0]), close(down[1]);
}

Test(atomic_file, directory_fsync) {
  char p[256];
  snprintf(p, sizeof p, "%s/missing/out.txt", dir);
  errno = 0;
  cr_expect_eq(atomic_file_sync_dir(p), -1, "a missing directory is an error");
  cr_expect_eq(errno, ENOENT);
  cr_expect_eq(atomic_file_sync_dir(path), 0, "%s", strerror(errno));
  cr_expect_eq(atomic_file_sync_dir("no-slash.txt"), 0, "the working directory");
  cr_expect_eq(atomic_file_sync_dir("/top-level"), 0, "the root directory");
  put(tmp, "a file, not a directory");
  snprintf(p, sizeof p, "%s/x", tmp);
  cr_expect_eq(atomic_file_sync_dir(p), -1);
  cr_expect_eq(errno, ENOTDIR);
}

Test(atomic_file, ending_a_zeroed_or_failed_struct_is_safe) {
  atomic_file af;
  memset(&af, 0, sizeof af);
  atomic_file_abort(&af);
  atomic_file_release(&af);
  cr_expect_eq(atomic_file_commit(&af), -1);
  cr_expect_eq(af.stage, AF_STATE);
  cr_expect_eq(atomic_file_write(&af, "x", 1), -1);
}
