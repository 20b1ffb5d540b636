/* test_meta_hash: the checksums of output/meta_hash.h.
 *
 * - CRC-32C (Castagnoli) gives the standard check value, bytewise and
 *   over a file, in one piece or continued;
 * - a file sealed with meta_hash verifies; a changed attribute, text or
 *   label list is named; a missing item, a damaged list and a file
 *   without the attribute are told apart.
 *
 * Invariants: each test works in /tmp/nqp-mh-<pid>.h5, removed afterwards.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <hdf5.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "output/h5util.h"
#include "output/meta_hash.h"

static char path[256];

static void setup(void) {
  snprintf(path, sizeof path, "/tmp/nqp-mh-%d.h5", (int)getpid());
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

static void teardown(void) {
  unlink(path);
}

TestSuite(meta_hash, .init = setup, .fini = teardown);

Test(meta_hash, crc32c_check_value) {
  cr_assert_eq(meta_crc32c(0, "123456789", 9), 0xe3069283u);
  cr_assert_eq(meta_crc32c(meta_crc32c(0, "1234", 4), "56789", 5), 0xe3069283u);
  FILE *f = fopen(path, "wb");
  fputs("xx123456789", f);
  fclose(f);
  int fd = open(path, O_RDONLY);
  uint32_t crc = 0;
  cr_assert_eq(meta_crc32c_fd(fd, 2, 11, &crc), 0);
  cr_assert_eq(crc, 0xe3069283u);
  cr_assert_eq(meta_crc32c_fd(fd, 2, 12, &crc), -1, "past the end is an error");
  close(fd);
}

static hid_t strings(hid_t loc, const char *name, const char *const *v, hsize_t n) {
  hid_t st = h5u_vlen_str_type(), sp = n ? H5Screate_simple(1, &n, NULL) : H5Screate(H5S_SCALAR);
  hid_t d = H5Dcreate2(loc, name, st, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  cr_assert(d >= 0 && H5Dwrite(d, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
  H5Sclose(sp);
  H5Tclose(st);
  return d;
}

/* A file with attributes, a text and a label list, sealed by the writer's
 * accumulator (what drivers/runout.c does). */
static void make(void) {
  hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  const char *text = "name: x\n", *labels[] = {"nev", "it", ""};
  H5Dclose(strings(f, "scenario", &text, 0));
  hid_t g = H5Gcreate2(f, "series", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Dclose(strings(g, "labels", labels, 3));
  H5Gclose(g);
  meta_hash m;
  meta_hash_init(&m);
  cr_assert_eq(h5u_put_attr_str(f, "command_line", "nqpsim run x"), 0);
  meta_hash_str(&m, "command_line", "nqpsim run x");
  cr_assert_eq(h5u_put_attr_i64(f, "seed", -7), 0);
  meta_hash_i64(&m, "seed", -7);
  cr_assert_eq(h5u_put_attr_f64(f, "wall_time_s", 0.25), 0);
  meta_hash_f64(&m, "wall_time_s", 0.25);
  meta_hash_text(&m, "/scenario", text);
  meta_hash_list(&m, "/series/labels", labels, 3);
  cr_assert_eq(h5u_put_attr_str(f, META_HASH_ATTR, meta_hash_value(&m)), 0);
  meta_hash_free(&m);
  H5Fclose(f);
}

static int verify(char *why, size_t n) {
  hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  cr_assert(f >= 0);
  int rc = meta_hash_verify(f, why, n);
  H5Fclose(f);
  return rc;
}

static void edit(void (*fn)(hid_t f)) {
  make();
  hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
  fn(f);
  H5Fclose(f);
}

static void seed_changed(hid_t f) {
  h5u_put_attr_i64(f, "seed", 7);
}
static void label_changed(hid_t f) {
  const char *l[] = {"nev", "IT", ""};
  H5Ldelete(f, "series/labels", H5P_DEFAULT);
  hid_t g = H5Gopen2(f, "series", H5P_DEFAULT);
  H5Dclose(strings(g, "labels", l, 3));
  H5Gclose(g);
}
static void text_gone(hid_t f) {
  H5Ldelete(f, "scenario", H5P_DEFAULT);
}
static void list_damaged(hid_t f) {
  h5u_put_attr_str(f, META_HASH_ATTR, "crc32c:1 seed");
}
static void hash_gone(hid_t f) {
  H5Adelete(f, META_HASH_ATTR);
}

Test(meta_hash, verifies_and_names_what_differs) {
  char why[512] = "";
  make();
  cr_assert_eq(verify(why, sizeof why), META_HASH_OK, "%s", why);
  edit(seed_changed);
  cr_assert_eq(verify(why, sizeof why), META_HASH_MISMATCH);
  cr_assert_str_eq(why,
                   "attribute seed does not match its checksum (damaged since it was written)");
  edit(label_changed);
  cr_assert_eq(verify(why, sizeof why), META_HASH_MISMATCH);
  cr_assert(strstr(why, "dataset /series/labels does not match"), "%s", why);
  edit(text_gone);
  cr_assert_eq(verify(why, sizeof why), META_HASH_MISMATCH);
  cr_assert(strstr(why, "the stored scenario /scenario is missing"), "%s", why);
  edit(list_damaged);
  cr_assert_eq(verify(why, sizeof why), META_HASH_MISMATCH);
  cr_assert(strstr(why, "attribute meta_hash is damaged"), "%s", why);
  edit(hash_gone);
  cr_assert_eq(verify(why, sizeof why), META_HASH_ABSENT);
}
