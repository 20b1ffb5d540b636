/* test_checkpoint: saving and restoring the world (output/checkpoint.h).
 *
 * - coverage: the checkpoint tables cover every member of struct world
 *   (ckpt_layout_check) and every array of the FIRM_* lists: these fail
 *   when a member is added to world.h without telling the checkpoint;
 * - round trip: a world after some steps, restored into a fresh world
 *   with another thread count, equals it byte for byte in every firm array
 *   over all slots and every state member, and both continue identically;
 * - hostile files: not HDF5, a run file, truncated, bit flips, another
 *   layout, indices out of range, inconsistent counters: each is refused
 *   with CKPT_BAD and a message, never a crash;
 * - checksums: a changed byte anywhere is refused by the file checksum
 *   before libhdf5 reads the file; behind a recomputed one (ckpt_seal: an
 *   edit on purpose), a changed scenario text or attribute is refused by
 *   meta_hash naming it, and the checks behind both still hold.
 *
 * Invariants: each test works in /tmp/nqp-ckpt-<pid>, removed afterwards.
 */
#include <criterion/criterion.h>
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output/checkpoint.h"
#include "output/meta_hash.h"
#include "sim/world_create.h"
#include "sim/step.h"
#include "support/testutil.h"

/* libhdf5 1.10 (Debian 12) leaks an object header (424 bytes, allocated in
 * H5O_protect under H5Dopen2) when it meets some corrupted object-header
 * bytes; H5Dopen2 fails, so there is no handle to close. The checkpoint's
 * file checksum (its user block, output/checkpoint.h) is verified before
 * libhdf5 parses anything, so a corrupted checkpoint never reaches that
 * path: the byte-flip test below runs under the leak check with no
 * exemption. */

static char dir[256], path[300];

static void setup(void) {
  snprintf(dir, sizeof dir, "/tmp/nqp-ckpt-%d", (int)getpid());
  mkdir(dir, 0777);
  snprintf(path, sizeof path, "%s/c.h5", dir);
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

static void teardown(void) {
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", dir);
}

TestSuite(checkpoint, .init = setup, .fini = teardown);

static const char *const small[] = {"scale=0.02", "government.talent.enabled=true",
                                    "government.talent.start=2", NULL};

static void steps(world *w, int n) {
  char err[2048];
  for (int i = 0; i < n; i++) cr_assert_eq(step_run(w, err, sizeof err), 0, "%s", err);
}

static void save(const world *w, const char *p) {
  char err[4096];
  ckpt_info in = {.steps = w->scn->steps, .scenario = "", .output = "", .command_line = "test"};
  cr_assert_eq(ckpt_write(p, w, &in, NULL, err, sizeof err), CKPT_OK, "%s", err);
}

/* Open P and restore into a fresh world of T's scenario with THREADS. */
static world *restore(tu_world *t, const char *p, int threads) {
  char err[4096];
  int rc;
  ckpt *c = ckpt_open(p, &rc, err, sizeof err);
  cr_assert_not_null(c, "%s", err);
  world *w = world_create(&t->scn, threads, err, sizeof err);
  cr_assert_not_null(w, "%s", err);
  cr_assert_eq(ckpt_restore(c, w, err, sizeof err), CKPT_OK, "%s", err);
  ckpt_close(&c);
  return w;
}

/* Expect P to be refused, at open or at restore, with WANT in the message. */
static void expect_refused(tu_world *t, const char *p, const char *want) {
  char err[4096] = "";
  int rc = 0;
  ckpt *c = ckpt_open(p, &rc, err, sizeof err);
  if (c) {
    world *w = world_create(&t->scn, 1, err, sizeof err);
    cr_assert_not_null(w);
    rc = ckpt_restore(c, w, err, sizeof err);
    world_free(&w);
    ckpt_close(&c);
  }
  cr_assert_eq(rc, CKPT_BAD, "expected a refusal (%s), got %d: %s", want, rc, err);
  cr_assert(strstr(err, want) != NULL, "message \"%s\" lacks \"%s\"", err, want);
  cr_assert(strstr(err, p) != NULL, "message \"%s\" does not name the file", err);
}

#define SAME_ARRAY(m, per)                                                                         \
  cr_assert_eq(memcmp(a->f.m, b->f.m, a->f.cap *(size_t)(per) * sizeof(*a->f.m)), 0,               \
               "firm array " #m " differs");
#define SAME_ONE(m) SAME_ARRAY(m, 1)
#define SAME(m)     cr_assert_eq(memcmp(&a->m, &b->m, sizeof a->m), 0, "world." #m " differs")

static void expect_same_world(const world *a, const world *b) {
  const firm_soa *F = &a->f;
  cr_assert_eq(a->f.cap, b->f.cap);
  cr_assert_eq(a->f.n, b->f.n);
  FIRM_F64(SAME_ONE)
  FIRM_U8(SAME_ONE)
  FIRM_U16(SAME_ONE)
  FIRM_OTHER(SAME_ONE)
  FIRM_MULTI(SAME_ARRAY, F)
  SAME(step);
  SAME(next_uid);
  SAME(rng);
  SAME(ind);
  SAME(reg);
  SAME(gov);
  SAME(acc);
  SAME(money0);
  SAME(debt0);
  SAME(bad_debt);
  SAME(capital0);
  SAME(credit_mult);
  SAME(entries);
  SAME(exits);
  SAME(n_free);
  SAME(links_dirty);
  cr_assert_eq(memcmp(a->inst, b->inst, (size_t)a->n_inst * sizeof *a->inst), 0);
  cr_assert_eq(memcmp(a->free_list, b->free_list, a->n_free * sizeof *a->free_list), 0);
  size_t cells = (size_t)a->ni * (size_t)a->nr * sizeof(double);
  cr_assert_eq(memcmp(a->cell_entries, b->cell_entries, cells), 0);
  cr_assert_eq(memcmp(a->cell_exits, b->cell_exits, cells), 0);
}

Test(checkpoint, tables_cover_struct_world) {
  char err[512];
  cr_assert_eq(ckpt_layout_check(err, sizeof err), 0, "%s", err);
}

#define COUNT1(m)    +1
#define COUNTM(m, p) +1
Test(checkpoint, tables_cover_every_firm_list) {
  size_t n = 0 FIRM_F64(COUNT1) FIRM_U8(COUNT1) FIRM_U16(COUNT1) FIRM_OTHER(COUNT1)
      FIRM_MULTI(COUNTM, (firm_soa *)0);
  cr_assert_eq(ckpt_firm_array_count(), n, "checkpoint saves %zu firm arrays, world.h lists %zu",
               ckpt_firm_array_count(), n);
}

Test(checkpoint, roundtrip_equal_and_continues_identically) {
  tu_world *t = tu_make(1, small);
  steps(t->w, 3);
  save(t->w, path);
  world *r = restore(t, path, 3);
  expect_same_world(t->w, r);
  cr_assert_eq(r->threads, 3, "the thread count is the resumed run's");
  char err[2048];
  cr_assert_eq(world_check(r, err, sizeof err), 0, "restored world: %s", err);
  steps(t->w, 4);
  steps(r, 4);
  expect_same_world(t->w, r);
  world_free(&r);
  tu_free(&t);
}

Test(checkpoint, previous_checkpoint_kept_when_the_new_one_fails) {
  tu_world *t = tu_make(1, small);
  save(t->w, path);
  char partial[400], err[4096];
  snprintf(partial, sizeof partial, "%s.partial", path);
  cr_assert_eq(mkdir(partial, 0777), 0); /* the next write cannot use its temporary name */
  steps(t->w, 1);
  ckpt_info in = {.steps = t->w->scn->steps, .scenario = "", .output = "", .command_line = ""};
  cr_assert_eq(ckpt_write(path, t->w, &in, NULL, err, sizeof err), CKPT_FAIL);
  cr_assert(strstr(err, "c.h5.partial") != NULL, "%s", err);
  int rc;
  ckpt *c = ckpt_open(path, &rc, err, sizeof err);
  cr_assert_not_null(c, "%s", err);
  cr_assert_eq(ckpt_get_info(c)->step, 0, "the old checkpoint (step 0) is intact");
  ckpt_close(&c);
  tu_free(&t);
}

static void write_file(const char *p, const void *data, size_t n) {
  FILE *f = fopen(p, "wb");
  cr_assert_not_null(f);
  cr_assert_eq(fwrite(data, 1, n, f), n);
  fclose(f);
}

static char *read_file(const char *p, size_t *n) {
  FILE *f = fopen(p, "rb");
  cr_assert_not_null(f);
  fseek(f, 0, SEEK_END);
  *n = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc(*n);
  cr_assert_eq(fread(buf, 1, *n, f), *n);
  fclose(f);
  return buf;
}

Test(checkpoint, refuses_files_that_are_not_checkpoints) {
  tu_world *t = tu_make(1, small);
  char p[400];
  snprintf(p, sizeof p, "%s/empty.h5", dir);
  write_file(p, "", 0);
  expect_refused(t, p, "empty file");
  snprintf(p, sizeof p, "%s/text.h5", dir);
  write_file(p, "not hdf5 at all\n", 16);
  expect_refused(t, p, "not an HDF5 file");
  snprintf(p, sizeof p, "%s/missing.h5", dir);
  expect_refused(t, p, "No such file");
  expect_refused(t, dir, "is a directory");
  snprintf(p, sizeof p, "%s/other.h5", dir);
  hid_t f = H5Fcreate(p, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  H5Fclose(f);
  expect_refused(t, p, "not a checkpoint");
  tu_free(&t);
}

Test(checkpoint, refuses_truncated_and_corrupted_files) {
  tu_world *t = tu_make(1, small);
  steps(t->w, 2);
  save(t->w, path);
  size_t n;
  char *buf = read_file(path, &n), p[400];
  size_t cuts[] = {n / 8, n / 2, n - 100};
  for (size_t i = 0; i < 3; i++) {
    snprintf(p, sizeof p, "%s/trunc%zu.h5", dir, i);
    write_file(p, buf, cuts[i]);
    expect_refused(t, p, "");
  }
  /* flip bytes across the file (metadata, heap, data): every copy is
   * refused at open by the file checksum, before libhdf5 reads it */
  for (size_t off = 512; off < n; off += n / 61) {
    snprintf(p, sizeof p, "%s/flip.h5", dir);
    buf[off] ^= 0x5a;
    write_file(p, buf, n);
    buf[off] ^= 0x5a;
    char err[4096];
    int rc;
    ckpt *c = ckpt_open(p, &rc, err, sizeof err);
    cr_assert_null(c, "byte %zu flipped: not refused", off);
    cr_assert_eq(rc, CKPT_BAD, "%s", err);
    cr_assert(strstr(err, "do not match the checksum written with it"), "byte %zu: %s", off, err);
  }
  free(buf);
  tu_free(&t);
}

/* Rewrite attribute NAME of the checkpoint at P (an integer or a string). */
static void set_attr_i64(const char *p, const char *name, long long v) {
  hid_t f = H5Fopen(p, H5F_ACC_RDWR, H5P_DEFAULT), a = H5Aopen(f, name, H5P_DEFAULT);
  cr_assert(a >= 0);
  cr_assert(H5Awrite(a, H5T_NATIVE_LLONG, &v) >= 0);
  H5Aclose(a);
  H5Fclose(f);
  cr_assert_eq(ckpt_seal(p), 0); /* past the file checksum: the checks behind it */
}

static void set_attr_str(const char *p, const char *name, const char *v) {
  hid_t f = H5Fopen(p, H5F_ACC_RDWR, H5P_DEFAULT), st = H5Tcopy(H5T_C_S1);
  H5Tset_size(st, H5T_VARIABLE);
  cr_assert(H5Adelete(f, name) >= 0);
  hid_t sp = H5Screate(H5S_SCALAR), a = H5Acreate2(f, name, st, sp, H5P_DEFAULT, H5P_DEFAULT);
  cr_assert(a >= 0 && H5Awrite(a, st, &v) >= 0);
  H5Aclose(a);
  H5Sclose(sp);
  H5Tclose(st);
  H5Fclose(f);
  cr_assert_eq(ckpt_seal(p), 0);
}

/* Recompute the checkpoint's meta_hash over its current values, as a forger
 * who knows the format would: the checks behind the checksum must hold. */
static void reseal(const char *p) {
  hid_t f = H5Fopen(p, H5F_ACC_RDWR, H5P_DEFAULT), root = H5Gopen2(f, "/", H5P_DEFAULT);
  cr_assert(root >= 0 && meta_hash_reseal(root) == 0);
  H5Gclose(root);
  H5Fclose(f);
  cr_assert_eq(ckpt_seal(p), 0);
}

/* Replace the text dataset /scenario of the checkpoint at P (a new heap
 * string: what an editor of the file, not a bit flip, would do). */
static void set_scenario(const char *p, const char *text) {
  hid_t f = H5Fopen(p, H5F_ACC_RDWR, H5P_DEFAULT), d = H5Dopen2(f, "scenario", H5P_DEFAULT);
  hid_t st = H5Tcopy(H5T_C_S1);
  H5Tset_size(st, H5T_VARIABLE);
  cr_assert(d >= 0 && H5Dwrite(d, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, &text) >= 0);
  H5Tclose(st);
  H5Dclose(d);
  H5Fclose(f);
  cr_assert_eq(ckpt_seal(p), 0);
}

/* Overwrite element K of the 1-D uint16 dataset NAME of the checkpoint. */
static void poke_u16(const char *p, const char *name, hsize_t k, uint16_t v) {
  hid_t f = H5Fopen(p, H5F_ACC_RDWR, H5P_DEFAULT), d = H5Dopen2(f, name, H5P_DEFAULT);
  hid_t fs = H5Dget_space(d), ms;
  hsize_t one = 1;
  ms = H5Screate_simple(1, &one, NULL);
  cr_assert(H5Sselect_hyperslab(fs, H5S_SELECT_SET, &k, NULL, &one, NULL) >= 0);
  cr_assert(H5Dwrite(d, H5T_NATIVE_UINT16, ms, fs, H5P_DEFAULT, &v) >= 0);
  H5Sclose(ms);
  H5Sclose(fs);
  H5Dclose(d);
  H5Fclose(f);
  cr_assert_eq(ckpt_seal(p), 0);
}

static void copy_to(const char *to) {
  size_t n;
  char *buf = read_file(path, &n);
  write_file(to, buf, n);
  free(buf);
}

Test(checkpoint, refuses_other_layouts_and_out_of_range_values) {
  tu_world *t = tu_make(1, small);
  steps(t->w, 2);
  save(t->w, path);
  char p[400];
  snprintf(p, sizeof p, "%s/layout.h5", dir);
  copy_to(p);
  set_attr_str(p, "layout", "world=1 firm_soa=2");
  expect_refused(t, p, "another state layout");
  snprintf(p, sizeof p, "%s/version.h5", dir);
  copy_to(p);
  set_attr_i64(p, "format_version", 99);
  expect_refused(t, p, "format version 99");
  snprintf(p, sizeof p, "%s/status.h5", dir);
  copy_to(p);
  set_attr_str(p, "status", "writing");
  expect_refused(t, p, "incomplete checkpoint");
  snprintf(p, sizeof p, "%s/step.h5", dir);
  copy_to(p);
  set_attr_i64(p, "step", 1000000);
  expect_refused(t, p, "attribute step does not match its checksum");
  reseal(p); /* a forged checksum: the range check behind it still refuses */
  expect_refused(t, p, "inconsistent step counters");
  snprintf(p, sizeof p, "%s/ind.h5", dir);
  copy_to(p);
  poke_u16(p, "/firms/ind", 3, 999);
  expect_refused(t, p, "out of range");
  snprintf(p, sizeof p, "%s/reg.h5", dir);
  copy_to(p);
  poke_u16(p, "/firms/reg", 0, 999);
  expect_refused(t, p, "out of range");
  tu_free(&t);
}

Test(checkpoint, refuses_a_checkpoint_of_another_scenario) {
  tu_world *t = tu_make(1, small);
  save(t->w, path);
  const char *const other[] = {"scale=0.02", "firm.supplier_slots=3", NULL};
  tu_world *o = tu_make(1, other);
  expect_refused(o, path, "");
  tu_free(&o);
  tu_free(&t);
}

/* First occurrence of the string S in the N bytes at BUF, or NULL. */
static char *find_bytes(char *buf, size_t n, const char *s) {
  size_t k = strlen(s);
  for (size_t i = 0; i + k <= n; i++)
    if (memcmp(buf + i, s, k) == 0) return buf + i;
  return NULL;
}

/* The scenario text and string attributes live in HDF5's global heap, which
 * Fletcher-32 does not cover: meta_hash does. Every single-byte change of
 * the stored scenario (demand_growth: 0.1 -> 0.9) and of the string
 * attributes is refused with a message naming what does not match; a
 * checkpoint without the checksum (damaged, or older) is refused too. */
Test(checkpoint, refuses_a_changed_scenario_text_or_string_attribute) {
  tu_world *t = tu_make(1, small);
  steps(t->w, 1);
  char err[4096], p[400];
  const char *yaml = "name: hash-test\nmarket:\n  demand_growth: 0.1\n";
  ckpt_info in = {.steps = t->w->scn->steps,
                  .scenario = (char *)yaml,
                  .output = "",
                  .command_line = "nqpsim run hash-test --checkpoint-every 1",
                  .start_time = "2026-01-01T00:00:00Z"};
  cr_assert_eq(ckpt_write(path, t->w, &in, NULL, err, sizeof err), CKPT_OK, "%s", err);
  int rc;
  ckpt *c = ckpt_open(path, &rc, err, sizeof err);
  cr_assert_not_null(c, "a fresh checkpoint verifies: %s", err);
  cr_assert_str_eq(ckpt_get_info(c)->scenario, yaml);
  ckpt_close(&c);
  /* in place, byte by byte, in the file's own bytes */
  size_t n;
  char *buf = read_file(path, &n);
  const char *targets[] = {"demand_growth: 0.1", "hash-test --checkpoint-every 1",
                           "2026-01-01T00:00:00Z"};
  const char *names[] = {"the stored scenario /scenario", "attribute command_line",
                         "attribute start_time"};
  for (size_t k = 0; k < 3; k++) {
    char *at = find_bytes(buf, n, targets[k]);
    cr_assert_not_null(at, "%s is stored as plain bytes", targets[k]);
    for (size_t i = 0; i < strlen(targets[k]); i++) {
      snprintf(p, sizeof p, "%s/heap%zu_%zu.h5", dir, k, i);
      at[i] ^= 0x08; /* "0.1" -> "0.9" when i reaches the digit */
      write_file(p, buf, n);
      at[i] ^= 0x08;
      /* the file checksum refuses it before HDF5 reads a byte */
      expect_refused(t, p, "corrupt checkpoint: its bytes do not match the checksum");
      /* behind a recomputed file checksum, meta_hash names the item */
      cr_assert_eq(ckpt_seal(p), 0);
      expect_refused(t, p, names[k]);
      expect_refused(t, p, "does not match its checksum");
      unlink(p);
    }
  }
  /* a user block without the checksum, and a file longer than written */
  snprintf(p, sizeof p, "%s/noseal.h5", dir);
  char saved[512];
  memcpy(saved, buf, 512);
  memset(buf, 0, 512);
  write_file(p, buf, n);
  expect_refused(t, p, "no file checksum");
  memcpy(buf, saved, 512);
  char *longer = malloc(n + 1);
  memcpy(longer, buf, n);
  longer[n] = 0;
  write_file(p, longer, n + 1);
  free(longer);
  expect_refused(t, p, "truncated or extended checkpoint");
  free(buf);
  /* an edited scenario text (a new heap object) */
  snprintf(p, sizeof p, "%s/edited.h5", dir);
  copy_to(p);
  set_scenario(p, "name: hash-test\nmarket:\n  demand_growth: 0.9\n");
  expect_refused(t, p, "the stored scenario /scenario does not match its checksum");
  /* no checksum at all: refused, naming the attribute */
  snprintf(p, sizeof p, "%s/nohash.h5", dir);
  copy_to(p);
  hid_t f = H5Fopen(p, H5F_ACC_RDWR, H5P_DEFAULT);
  cr_assert(H5Adelete(f, META_HASH_ATTR) >= 0);
  H5Fclose(f);
  cr_assert_eq(ckpt_seal(p), 0);
  expect_refused(t, p, "attribute meta_hash missing");
  /* a damaged checksum list */
  snprintf(p, sizeof p, "%s/badlist.h5", dir);
  copy_to(p);
  set_attr_str(p, META_HASH_ATTR, "crc32c:1 step=zz");
  expect_refused(t, p, "attribute meta_hash is damaged");
  /* the good file is intact and still resumes */
  world *w = restore(t, path, 2);
  expect_same_world(t->w, w);
  world_free(&w);
  tu_free(&t);
}
