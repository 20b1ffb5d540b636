/* test_atomic_file: the write-temporary / fsync / rename protocol of
 * base/atomic_file.h.
 *
 * PATH appears only at commit, with the whole content; abort removes the
 * temporary and leaves an existing PATH as it was; without AF_FORCE an
 * existing PATH is refused before anything is created; by-name writers
 * (HDF5) get a stale temporary removed and keep theirs on release; every
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
  cr_expect(!exists(tmp), "the stale temporary is gone");
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

Test(atomic_file, failed_fsync_by_name_and_failed_rename_keep_path) {
  atomic_file af;
  char inside[200];
  /* by name, the caller never created the temporary: fsync cannot open it */
  cr_assert_eq(atomic_file_begin(&af, path, 0), 0);
  cr_expect_eq(atomic_file_commit(&af), -1);
  cr_expect_eq(af.stage, AF_SYNC);
  cr_expect(strstr(af.msg, "out.txt.partial: fsync: "), "%s", af.msg);
  atomic_file_abort(&af);
  /* PATH is a non-empty directory: the rename fails, the temporary stays
   * until abort */
  cr_assert_eq(mkdir(path, 0755), 0);
  snprintf(inside, sizeof inside, "%s/keep", path);
  put(inside, "x");
  cr_assert_eq(atomic_file_begin(&af, path, AF_FD | AF_FORCE), 0, "%s", af.msg);
  cr_assert_eq(atomic_file_write(&af, "data", 4), 0);
  cr_expect_eq(atomic_file_commit(&af), -1);
  cr_expect_eq(af.stage, AF_RENAME);
  cr_expect(strstr(af.msg, "out.txt.partial: cannot rename to "), "%s", af.msg);
  cr_expect(exists(tmp), "the temporary is kept after a failed commit");
  cr_expect_eq(atomic_file_write(&af, "more", 4), -1, "no write after commit closed it");
  cr_expect_eq(af.stage, AF_STATE);
  atomic_file_abort(&af);
  cr_expect(!exists(tmp));
  cr_expect_str_eq(get(inside), "x");
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
