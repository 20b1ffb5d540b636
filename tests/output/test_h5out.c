/* test_h5out: the HDF5 run writer and reader summary (output/h5out.h).
 *
 * Writes small run files (3 industries, 2 regions, 5 series over the four
 * series groups, 25 steps in chunks of 10, 3 panel snapshots whose slot
 * count grows past one chunk, 2 events), reads them back with the plain
 * HDF5 API and checks every value, the dimension scales and labels, units,
 * filters and unlimited dimensions; the .partial/rename protocol, refusal
 * to overwrite, failure paths, the `info` summary, and the Python checker
 * (tests/output/check_run.py: h5py + xarray/netCDF-4).
 *
 * Invariants: every test works in its own directory /tmp/nqp-h5test-<pid>
 * (Criterion runs each test in its own process) which is removed after the
 * test; no HDF5 handle stays open after a test (checked where it matters).
 */
#include <criterion/criterion.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output/h5out.h"

#ifndef NQP_SOURCE_DIR
#error "NQP_SOURCE_DIR must name the source tree"
#endif

#define NSTEPS 25
#define CHUNK  10
#define NIND   3
#define NREG   2
#define NSER   5
#define NPV    4
#define NSNAP  3

static const char *const ind_labels[NIND] = {"nev", "pv", "ai"};
static const char *const reg_labels[NREG] = {"hefei", "wuhu"};
static const series_def series[NSER] = {
    {"gdp", "CNY/quarter", "gross regional product", SERIES_ECONOMY},
    {"employment", "persons", "employed persons", SERIES_ECONOMY},
    {"output", "CNY/quarter", "industry output", SERIES_INDUSTRY},
    {"population", "persons", "resident population", SERIES_REGION},
    {"firms", "1", "number of firms", SERIES_INDUSTRY_REGION},
};
static const size_t series_cells[NSER] = {1, 1, NIND, NREG, NIND *NREG};
static const char *const series_path[NSER] = {
    "/series/economy/gdp", "/series/economy/employment", "/series/industry/output",
    "/series/region/population", "/series/industry_region/firms"};
static const panel_var pvars[NPV] = {
    {"capital", "CNY", "capital stock", PANEL_F64},
    {"tfp", "1", "total factor productivity", PANEL_F32},
    {"sector", "1", "industry index", PANEL_I32},
    {"listed", "1", "1 if listed", PANEL_U8},
};
static const int snap_steps[NSNAP] = {0, 10, 20};
static const size_t snap_slots[NSNAP] = {4, 6, 1500}; /* 1500 crosses a slot chunk */
static const char *const ev_detail2 = "d\xc3\xa9mand \xe2\x88\x92"
                                      "10% \xe2\x9c\x93"; /* UTF-8 */

static char dir[256], path[300], partial[320];

static void setup(void) {
  snprintf(dir, sizeof dir, "/tmp/nqp-h5test-%ld", (long)getpid());
  mkdir(dir, 0700);
  snprintf(path, sizeof path, "%s/run.h5", dir);
  snprintf(partial, sizeof partial, "%s.partial", path);
}

static void teardown(void) {
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
}

TestSuite(h5out, .init = setup, .fini = teardown);

static int file_exists(const char *p) {
  struct stat st;
  return stat(p, &st) == 0;
}

static double value(int s, int step, size_t cell) {
  return 1000.0 * s + 10.0 * step + cell + 0.25;
}

static h5out_spec standard_spec(const char *p, int force) {
  h5out_spec spec = {p,          force, series, NSER, ind_labels, NIND,
                     reg_labels, NREG,  pvars,  NPV,  CHUNK,      4};
  return spec;
}

/* Panel columns of snapshot S (slot K). */
static double pv_capital(int s, size_t k) {
  return 100.0 * s + (double)k + 0.5;
}
static float pv_tfp(size_t k) {
  return 0.25f * (float)k;
}
static int pv_sector(int s, size_t k) {
  return (int)(k % 3) + s;
}
static uint8_t pv_listed(int s, size_t k) {
  return (uint8_t)((k + (size_t)s) % 2);
}
static uint8_t pv_alive(size_t k) {
  return k % 3 != 0;
}

static void write_panel(h5out *h, int snap) {
  size_t n = snap_slots[snap];
  double *cap = malloc(n * sizeof *cap);
  float *tfp = malloc(n * sizeof *tfp);
  int32_t *sec = malloc(n * sizeof *sec);
  uint8_t *lst = malloc(n), *alive = malloc(n);
  cr_assert(cap && tfp && sec && lst && alive);
  for (size_t k = 0; k < n; k++) {
    cap[k] = pv_capital(snap, k);
    tfp[k] = pv_tfp(k);
    sec[k] = pv_sector(snap, k);
    lst[k] = pv_listed(snap, k);
    alive[k] = pv_alive(k);
  }
  const void *cols[NPV] = {cap, tfp, sec, lst};
  cr_assert_eq(h5out_panel(h, snap_steps[snap], n, cols, alive), 0, "%s", h5out_last_error());
  free(cap);
  free(tfp);
  free(sec);
  free(lst);
  free(alive);
}

/* Steps [FROM, TO) of the standard data. */
static void write_steps(h5out *h, int from, int to) {
  double buf[NSER][NIND * NREG];
  const double *vals[NSER];
  for (int step = from; step < to; step++) {
    for (int s = 0; s < NSER; s++) {
      for (size_t c = 0; c < series_cells[s]; c++) buf[s][c] = value(s, step, c);
      vals[s] = buf[s];
    }
    cr_assert_eq(h5out_step(h, step, vals), 0, "%s", h5out_last_error());
    for (int k = 0; k < NSNAP; k++)
      if (snap_steps[k] == step) write_panel(h, k);
    if (step == 3) cr_assert_eq(h5out_event(h, 3, "lever", "subsidy: nev +10%"), 0);
    if (step == 7) cr_assert_eq(h5out_event(h, 7, "shock", ev_detail2), 0);
  }
}

static h5out *open_standard(const char *p, int force) {
  char err[512] = "";
  int exists = -1;
  h5out_spec spec = standard_spec(p, force);
  h5out *h = h5out_open(&spec, &exists, err, sizeof err);
  cr_assert_not_null(h, "open: %s", err);
  cr_assert_eq(exists, 0);
  cr_assert_eq(h5out_attr_str(h, "git_commit", "abc123"), 0);
  cr_assert_eq(h5out_attr_i64(h, "seed", 42), 0);
  cr_assert_eq(h5out_attr_f64(h, "wall_seconds", 1.5), 0);
  cr_assert_eq(h5out_text(h, "scenario", "name: anhui\nsteps: 25\nregions: [hefei, wuhu]\n"), 0);
  return h;
}

static void write_standard(const char *p) {
  char err[512] = "";
  h5out *h = open_standard(p, 0);
  write_steps(h, 0, NSTEPS);
  cr_assert_eq(h5out_finish(&h, 1, err, sizeof err), 0, "finish: %s", err);
  cr_assert_null(h);
}

/* ---- reading helpers (plain HDF5) ------------------------------------- */

static hid_t open_ro(const char *p) {
  hid_t f = H5Fopen(p, H5F_ACC_RDONLY, H5P_DEFAULT);
  cr_assert_geq(f, 0, "cannot open %s", p);
  return f;
}

static int dims_of(hid_t f, const char *name, hsize_t *dims, hsize_t *maxdims) {
  hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
  cr_assert_geq(d, 0, "no dataset %s", name);
  hid_t sp = H5Dget_space(d);
  int r = H5Sget_simple_extent_dims(sp, dims, maxdims);
  H5Sclose(sp);
  H5Dclose(d);
  return r;
}

static void read_all(hid_t f, const char *name, hid_t memtype, void *buf) {
  hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
  cr_assert_geq(d, 0, "no dataset %s", name);
  cr_assert_geq(H5Dread(d, memtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf), 0, "read %s", name);
  H5Dclose(d);
}

/* String attribute NAME of object OBJ (heap), or NULL. */
static char *attr_str(hid_t f, const char *obj, const char *name) {
  char *v = NULL, *out = NULL;
  hid_t a = H5Aopen_by_name(f, obj, name, H5P_DEFAULT, H5P_DEFAULT);
  if (a < 0) return NULL;
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, H5T_VARIABLE);
  H5Tset_cset(t, H5T_CSET_UTF8);
  if (H5Aread(a, t, &v) >= 0 && v) out = strdup(v);
  H5free_memory(v);
  H5Tclose(t);
  H5Aclose(a);
  return out;
}

static void expect_attr(hid_t f, const char *obj, const char *name, const char *want) {
  char *v = attr_str(f, obj, name);
  cr_assert_not_null(v, "%s: no attribute %s", obj, name);
  cr_expect_str_eq(v, want, "%s@%s", obj, name);
  free(v);
}

static char *status_of(const char *p) {
  hid_t f = open_ro(p);
  char *s = attr_str(f, "/", "status");
  H5Fclose(f);
  return s;
}

/* All N strings of 1-D vlen string dataset NAME, checked against WANT. */
static void expect_strings(hid_t f, const char *name, const char *const *want, size_t n) {
  hsize_t dims[1], maxd[1];
  char **v = calloc(n, sizeof *v);
  cr_assert_eq(dims_of(f, name, dims, maxd), 1);
  cr_assert_eq(dims[0], n, "%s: %llu strings", name, (unsigned long long)dims[0]);
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, H5T_VARIABLE);
  H5Tset_cset(t, H5T_CSET_UTF8);
  read_all(f, name, t, v);
  for (size_t i = 0; i < n; i++) {
    cr_expect_str_eq(v[i], want[i], "%s[%zu]", name, i);
    H5free_memory(v[i]);
  }
  free(v);
  H5Tclose(t);
}

/* Name of the scale attached to dimension IDX of dataset NAME. */
static herr_t scale_cb(hid_t did, unsigned dim, hid_t dsid, void *data) {
  H5Iget_name(dsid, data, 128);
  return 1;
}

static void expect_scale(hid_t f, const char *name, unsigned idx, const char *scale_path) {
  char got[128] = "";
  int i = 0;
  hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
  cr_assert_geq(d, 0, "no dataset %s", name);
  cr_assert_eq(H5DSget_num_scales(d, idx), 1, "%s: dim %u scales", name, idx);
  cr_assert_geq(H5DSiterate_scales(d, idx, &i, scale_cb, got), 0);
  cr_expect_str_eq(got, scale_path, "%s: dim %u", name, idx);
  hid_t s = H5Dopen2(f, scale_path, H5P_DEFAULT);
  cr_expect_eq(H5DSis_scale(s), 1, "%s is not a scale", scale_path);
  cr_expect_eq(H5DSis_attached(d, s, idx), 1);
  H5Dclose(s);
  H5Dclose(d);
}

static void expect_filters(hid_t f, const char *name, int deflate) {
  hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
  hid_t p = H5Dget_create_plist(d);
  int shuffle = 0, level = -1;
  cr_assert_eq(H5Pget_layout(p), H5D_CHUNKED, "%s not chunked", name);
  for (int i = 0; i < H5Pget_nfilters(p); i++) {
    unsigned flags, cd[4];
    size_t ncd = 4;
    char fname[64];
    H5Z_filter_t fid = H5Pget_filter2(p, (unsigned)i, &flags, &ncd, cd, sizeof fname, fname, NULL);
    if (fid == H5Z_FILTER_SHUFFLE) shuffle = 1;
    if (fid == H5Z_FILTER_DEFLATE && ncd >= 1) level = (int)cd[0];
  }
  cr_expect(shuffle, "%s: no shuffle", name);
  cr_expect_eq(level, deflate, "%s: deflate %d", name, level);
  H5Pclose(p);
  H5Dclose(d);
}

static char *slurp_info(const char *p, int *rc, char *err, size_t errlen) {
  char *buf = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&buf, &len);
  cr_assert_not_null(m);
  *rc = h5out_info(p, m, err, errlen);
  fclose(m);
  return buf;
}

/* ---- tests ------------------------------------------------------------ */

Test(h5out, roundtrip_values) {
  write_standard(path);
  hid_t f = open_ro(path);
  hsize_t dims[3], maxd[3];
  static double buf[NSTEPS * NIND * NREG];
  int steps[NSTEPS];

  for (int s = 0; s < NSER; s++) {
    int rank = dims_of(f, series_path[s], dims, maxd);
    cr_assert_eq(dims[0], NSTEPS, "%s", series_path[s]);
    size_t cells = 1;
    for (int r = 1; r < rank; r++) cells *= dims[r];
    cr_assert_eq(cells, series_cells[s]);
    read_all(f, series_path[s], H5T_NATIVE_DOUBLE, buf);
    for (int step = 0; step < NSTEPS; step++)
      for (size_t c = 0; c < cells; c++)
        cr_assert_eq(buf[step * cells + c], value(s, step, c), "%s[%d][%zu]", series_path[s], step,
                     c);
  }
  const char *stepnames[] = {"/series/economy/step", "/series/industry/step", "/series/region/step",
                             "/series/industry_region/step"};
  for (int g = 0; g < 4; g++) {
    read_all(f, stepnames[g], H5T_NATIVE_INT, steps);
    for (int i = 0; i < NSTEPS; i++) cr_assert_eq(steps[i], i);
  }
  expect_strings(f, "/series/industry/industry", ind_labels, NIND);
  expect_strings(f, "/series/industry_region/industry", ind_labels, NIND);
  expect_strings(f, "/series/region/region", reg_labels, NREG);
  expect_strings(f, "/series/industry_region/region", reg_labels, NREG);

  /* root attributes and the scenario */
  expect_attr(f, "/", "status", "complete");
  expect_attr(f, "/", "format", "nqpsim-run");
  expect_attr(f, "/", "git_commit", "abc123");
  int64_t seed = 0, fv = 0;
  double wall = 0;
  hid_t a = H5Aopen(f, "seed", H5P_DEFAULT);
  H5Aread(a, H5T_NATIVE_INT64, &seed);
  H5Aclose(a);
  a = H5Aopen(f, "format_version", H5P_DEFAULT);
  H5Aread(a, H5T_NATIVE_INT64, &fv);
  H5Aclose(a);
  a = H5Aopen(f, "wall_seconds", H5P_DEFAULT);
  H5Aread(a, H5T_NATIVE_DOUBLE, &wall);
  H5Aclose(a);
  cr_expect_eq(seed, 42);
  cr_expect_eq(fv, 1);
  cr_expect_eq(wall, 1.5);
  const char *scen[] = {"name: anhui\nsteps: 25\nregions: [hefei, wuhu]\n"};
  hid_t t = H5Tcopy(H5T_C_S1);
  char *text = NULL;
  H5Tset_size(t, H5T_VARIABLE);
  read_all(f, "/scenario", t, &text);
  cr_expect_str_eq(text, scen[0]);
  H5free_memory(text);
  H5Tclose(t);

  /* panel: rows padded with zeros and alive=0 where slots did not exist */
  size_t ns = snap_slots[NSNAP - 1];
  cr_assert_eq(dims_of(f, "/firms/alive", dims, maxd), 2);
  cr_assert_eq(dims[0], NSNAP);
  cr_assert_eq(dims[1], ns);
  double *cap = malloc(NSNAP * ns * sizeof *cap);
  float *tfp = malloc(NSNAP * ns * sizeof *tfp);
  int *sec = malloc(NSNAP * ns * sizeof *sec), *slot = malloc(ns * sizeof *slot), snaps[NSNAP];
  uint8_t *lst = malloc(NSNAP * ns), *alive = malloc(NSNAP * ns);
  read_all(f, "/firms/capital", H5T_NATIVE_DOUBLE, cap);
  read_all(f, "/firms/tfp", H5T_NATIVE_FLOAT, tfp);
  read_all(f, "/firms/sector", H5T_NATIVE_INT, sec);
  read_all(f, "/firms/listed", H5T_NATIVE_UINT8, lst);
  read_all(f, "/firms/alive", H5T_NATIVE_UINT8, alive);
  read_all(f, "/firms/slot", H5T_NATIVE_INT, slot);
  read_all(f, "/firms/snapshot", H5T_NATIVE_INT, snaps);
  for (size_t k = 0; k < ns; k++) cr_assert_eq(slot[k], (int)k);
  for (int s = 0; s < NSNAP; s++) {
    cr_assert_eq(snaps[s], snap_steps[s]);
    for (size_t k = 0; k < ns; k++) {
      size_t i = (size_t)s * ns + k;
      int in = k < snap_slots[s];
      cr_assert_eq(cap[i], in ? pv_capital(s, k) : 0.0, "capital[%d][%zu]", s, k);
      cr_assert_eq(tfp[i], in ? pv_tfp(k) : 0.0f, "tfp[%d][%zu]", s, k);
      cr_assert_eq(sec[i], in ? pv_sector(s, k) : 0, "sector[%d][%zu]", s, k);
      cr_assert_eq(lst[i], in ? pv_listed(s, k) : 0, "listed[%d][%zu]", s, k);
      cr_assert_eq(alive[i], in ? pv_alive(k) : 0, "alive[%d][%zu]", s, k);
    }
  }
  free(cap);
  free(tfp);
  free(sec);
  free(slot);
  free(lst);
  free(alive);

  /* events */
  int ev[2], evstep[2];
  read_all(f, "/events/event", H5T_NATIVE_INT, ev);
  read_all(f, "/events/step", H5T_NATIVE_INT, evstep);
  cr_expect(ev[0] == 0 && ev[1] == 1);
  cr_expect(evstep[0] == 3 && evstep[1] == 7);
  const char *kinds[] = {"lever", "shock"}, *details[] = {"subsidy: nev +10%", ev_detail2};
  expect_strings(f, "/events/kind", kinds, 2);
  expect_strings(f, "/events/detail", details, 2);
  H5Fclose(f);
  cr_expect_eq(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL), 0, "HDF5 handles left open");
}

Test(h5out, dimension_scales) {
  write_standard(path);
  hid_t f = open_ro(path);
  expect_scale(f, "/series/economy/gdp", 0, "/series/economy/step");
  expect_scale(f, "/series/economy/employment", 0, "/series/economy/step");
  expect_scale(f, "/series/industry/output", 0, "/series/industry/step");
  expect_scale(f, "/series/industry/output", 1, "/series/industry/industry");
  expect_scale(f, "/series/region/population", 0, "/series/region/step");
  expect_scale(f, "/series/region/population", 1, "/series/region/region");
  expect_scale(f, "/series/industry_region/firms", 0, "/series/industry_region/step");
  expect_scale(f, "/series/industry_region/firms", 1, "/series/industry_region/industry");
  expect_scale(f, "/series/industry_region/firms", 2, "/series/industry_region/region");
  const char *panel[] = {"/firms/alive", "/firms/capital", "/firms/tfp", "/firms/sector",
                         "/firms/listed"};
  for (int i = 0; i < 5; i++) {
    expect_scale(f, panel[i], 0, "/firms/snapshot");
    expect_scale(f, panel[i], 1, "/firms/slot");
  }
  expect_scale(f, "/events/step", 0, "/events/event");
  expect_scale(f, "/events/kind", 0, "/events/event");
  expect_scale(f, "/events/detail", 0, "/events/event");
  /* scale names (the NAME attribute) are the dimension names */
  char name[32];
  hid_t d = H5Dopen2(f, "/series/industry_region/region", H5P_DEFAULT);
  cr_assert_gt(H5DSget_scale_name(d, name, sizeof name), 0);
  cr_expect_str_eq(name, "region");
  H5Dclose(d);
  H5Fclose(f);
}

Test(h5out, units_filters_unlimited) {
  write_standard(path);
  hid_t f = open_ro(path);
  hsize_t dims[3], maxd[3];
  for (int s = 0; s < NSER; s++) {
    int rank = dims_of(f, series_path[s], dims, maxd);
    expect_attr(f, series_path[s], "units", series[s].units);
    expect_attr(f, series_path[s], "long_name", series[s].doc);
    expect_filters(f, series_path[s], 4);
    cr_expect_eq(maxd[0], H5S_UNLIMITED, "%s", series_path[s]);
    for (int r = 1; r < rank; r++) cr_expect_eq(maxd[r], dims[r]);
    /* chunk: chunk_steps along time, full extent along the others */
    hid_t d = H5Dopen2(f, series_path[s], H5P_DEFAULT), p = H5Dget_create_plist(d);
    hsize_t ch[3];
    cr_assert_eq(H5Pget_chunk(p, 3, ch), rank);
    cr_expect_eq(ch[0], CHUNK);
    for (int r = 1; r < rank; r++) cr_expect_eq(ch[r], dims[r]);
    H5Pclose(p);
    H5Dclose(d);
  }
  const char *unlimited[] = {"/series/economy/step", "/series/industry_region/step",
                             "/firms/snapshot",      "/firms/slot",
                             "/events/event",        "/events/kind"};
  for (int i = 0; i < 6; i++) {
    dims_of(f, unlimited[i], dims, maxd);
    cr_expect_eq(maxd[0], H5S_UNLIMITED, "%s", unlimited[i]);
    char *u = attr_str(f, unlimited[i], "units");
    cr_assert_not_null(u, "%s: units", unlimited[i]);
    free(u);
  }
  cr_assert_eq(dims_of(f, "/firms/capital", dims, maxd), 2);
  cr_expect(maxd[0] == H5S_UNLIMITED && maxd[1] == H5S_UNLIMITED);
  for (int j = 0; j < NPV; j++) {
    char p[64];
    snprintf(p, sizeof p, "/firms/%s", pvars[j].name);
    expect_attr(f, p, "units", pvars[j].units);
    expect_attr(f, p, "long_name", pvars[j].doc);
    expect_filters(f, p, 4);
  }
  expect_filters(f, "/firms/alive", 4);
  expect_attr(f, "/firms/alive", "units", "1");
  expect_attr(f, "/series/industry/industry", "units", "1");
  expect_attr(f, "/events/detail", "units", "1");
  /* declared panel types are kept */
  hid_t d = H5Dopen2(f, "/firms/tfp", H5P_DEFAULT), t = H5Dget_type(d);
  cr_expect(H5Tequal(t, H5T_IEEE_F32LE) > 0);
  H5Tclose(t);
  H5Dclose(d);
  d = H5Dopen2(f, "/firms/sector", H5P_DEFAULT);
  t = H5Dget_type(d);
  cr_expect(H5Tequal(t, H5T_STD_I32LE) > 0);
  H5Tclose(t);
  H5Dclose(d);
  H5Fclose(f);
}

Test(h5out, partial_then_rename) {
  char err[512];
  h5out *h = open_standard(path, 0);
  cr_expect(file_exists(partial), "no %s while writing", partial);
  cr_expect(!file_exists(path), "%s exists before finish", path);
  write_steps(h, 0, 12);
  char *st = status_of(partial); /* the writer's own file, opened read-only */
  cr_expect_str_eq(st, "running");
  free(st);
  cr_assert_eq(h5out_finish(&h, 1, err, sizeof err), 0, "%s", err);
  cr_expect(file_exists(path));
  cr_expect(!file_exists(partial));
  st = status_of(path);
  cr_expect_str_eq(st, "complete");
  free(st);
}

Test(h5out, flush_writes_buffered_steps) {
  char err[512], cmd[2048];
  h5out *h = open_standard(path, 0);
  write_steps(h, 0, 13); /* one full block of 10 and 3 buffered steps */
  cr_assert_eq(h5out_flush(h), 0, "%s", h5out_last_error());
  /* another process sees all 13 steps on disk (the 1.10 format marks a file
   * open for writing in its superblock: a reader looks at a copy of the
   * flushed .partial with that mark cleared, docs/output.md) */
  snprintf(
      cmd, sizeof cmd,
      "cp '%s' '%s.copy' && h5clear -s '%s.copy' && h5dump -H -d /series/industry_region/firms "
      "'%s.copy' | grep -q '( 13, 3, 2 ) / ( H5S_UNLIMITED, 3, 2 )'",
      partial, partial, partial, partial);
  cr_expect_eq(system(cmd), 0, "h5dump does not show 13 steps after flush");
  write_steps(h, 13, NSTEPS);
  cr_assert_eq(h5out_finish(&h, 1, err, sizeof err), 0, "%s", err);
  hid_t f = open_ro(path);
  static double buf[NSTEPS * NIND * NREG];
  read_all(f, "/series/industry_region/firms", H5T_NATIVE_DOUBLE, buf);
  for (int step = 0; step < NSTEPS; step++)
    for (size_t c = 0; c < NIND * NREG; c++)
      cr_assert_eq(buf[step * NIND * NREG + c], value(4, step, c));
  H5Fclose(f);
}

Test(h5out, refuses_overwrite_without_force) {
  char err[512] = "", want[512];
  int exists = 0;
  write_standard(path);
  h5out_spec spec = standard_spec(path, 0);
  h5out *h = h5out_open(&spec, &exists, err, sizeof err);
  cr_assert_null(h);
  cr_expect_eq(exists, 1);
  snprintf(want, sizeof want, "%s exists (use --force to replace it)", path);
  cr_expect_str_eq(err, want);
  cr_expect(!file_exists(partial));
  char *st = status_of(path);
  cr_expect_str_eq(st, "complete");
  free(st);
  cr_expect_eq(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL), 0);
}

Test(h5out, force_replaces_at_finish) {
  char err[512] = "";
  int exists = -1;
  write_standard(path);
  const char *lab[] = {"x"};
  series_def one = {"gdp", "CNY", "gdp", SERIES_ECONOMY};
  h5out_spec spec = {path, 1, &one, 1, lab, 1, lab, 1, NULL, 0, 4, 1};
  h5out *h = h5out_open(&spec, &exists, err, sizeof err);
  cr_assert_not_null(h, "%s", err);
  cr_expect_eq(exists, 0);
  /* the old run stays in place until the new one completes */
  hid_t f = open_ro(path);
  hsize_t dims[1], maxd[1];
  cr_expect_eq(dims_of(f, "/series/economy/gdp", dims, maxd), 1);
  cr_expect_eq(dims[0], NSTEPS);
  H5Fclose(f);
  double v = 7.0;
  const double *vals[] = {&v};
  cr_assert_eq(h5out_step(h, 0, vals), 0);
  cr_assert_eq(h5out_finish(&h, 1, err, sizeof err), 0, "%s", err);
  f = open_ro(path);
  cr_expect_eq(dims_of(f, "/series/economy/gdp", dims, maxd), 1);
  cr_expect_eq(dims[0], 1);
  cr_expect_eq(H5Lexists(f, "/series/economy/employment", H5P_DEFAULT), 0);
  H5Fclose(f);
}

Test(h5out, stale_partial_is_removed) {
  char err[512];
  FILE *junk = fopen(partial, "w");
  cr_assert_not_null(junk);
  fputs("not hdf5", junk);
  fclose(junk);
  h5out *h = open_standard(path, 0);
  write_steps(h, 0, 2);
  cr_assert_eq(h5out_finish(&h, 1, err, sizeof err), 0, "%s", err);
  cr_expect(!file_exists(partial));
  char *st = status_of(path);
  cr_expect_str_eq(st, "complete");
  free(st);
}

Test(h5out, failed_finish_leaves_partial) {
  char err[512] = "";
  h5out *h = open_standard(path, 0);
  write_steps(h, 0, 5);
  cr_assert_eq(h5out_finish(&h, 0, err, sizeof err), 0, "%s", err);
  cr_assert_null(h);
  cr_expect(!file_exists(path));
  cr_assert(file_exists(partial));
  char *st = status_of(partial);
  cr_expect_str_eq(st, "failed");
  free(st);
  /* what was buffered was still written */
  hid_t f = open_ro(partial);
  hsize_t dims[1], maxd[1];
  dims_of(f, "/series/economy/gdp", dims, maxd);
  cr_expect_eq(dims[0], 5);
  H5Fclose(f);
  cr_expect_eq(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL), 0);
}

Test(h5out, broken_writer_never_completes) {
  char err[512] = "";
  h5out *h = open_standard(path, 0);
  write_steps(h, 0, 3);
  double v[NIND * NREG] = {0};
  const double *vals[NSER] = {v, v, v, v, v};
  cr_expect_eq(h5out_step(h, 5, vals), -1);
  cr_expect(strstr(h5out_last_error(), "step 5 out of order (expected 3)"), "%s",
            h5out_last_error());
  /* later calls fail with the first message */
  cr_expect_eq(h5out_step(h, 3, vals), -1);
  cr_expect(strstr(h5out_last_error(), "out of order"));
  cr_expect_eq(h5out_event(h, 3, "x", "y"), -1);
  cr_expect_eq(h5out_finish(&h, 1, err, sizeof err), -1);
  cr_expect(strstr(err, "out of order") && strstr(err, ".partial"), "%s", err);
  cr_expect(!file_exists(path));
  char *st = status_of(partial);
  cr_expect_str_eq(st, "failed");
  free(st);
  cr_expect_eq(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL), 0);
}

Test(h5out, bad_arguments) {
  char err[512] = "";
  const char *lab[] = {"x"};
  series_def dup[2] = {{"a", "1", "a", SERIES_ECONOMY}, {"a", "1", "a", SERIES_ECONOMY}};
  series_def needs_ind = {"a", "1", "a", SERIES_INDUSTRY};
  series_def dimname = {"step", "1", "a", SERIES_ECONOMY};
  series_def slash = {"a/b", "1", "a", SERIES_ECONOMY};
  series_def one_ir = {"a", "1", "a", SERIES_INDUSTRY_REGION};
  panel_var alive_var = {"alive", "1", "clash", PANEL_U8};
  const char *twice[] = {"x", "x"}, *eight[] = {"a", "b", "c", "d", "e", "f", "g", "h"};
  struct {
    h5out_spec spec;
    const char *msg;
  } cases[] = {
      {{path, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0, 0, 1}, "chunk_steps"},
      {{path, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0, 4, 10}, "deflate"},
      {{path, 0, dup, 2, NULL, 0, NULL, 0, NULL, 0, 4, 1}, "duplicate series"},
      {{path, 0, &needs_ind, 1, NULL, 0, lab, 1, NULL, 0, 4, 1}, "needs industries"},
      {{path, 0, &dimname, 1, NULL, 0, NULL, 0, NULL, 0, 4, 1}, "dimension name"},
      {{path, 0, &slash, 1, NULL, 0, NULL, 0, NULL, 0, 4, 1}, "invalid name"},
      {{NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0, 4, 1}, "no output path"},
      {{path, 0, NULL, 0, twice, 2, NULL, 0, NULL, 0, 4, 1}, "duplicate industry label x"},
      {{path, 0, NULL, 0, NULL, 0, NULL, 0, &alive_var, 1, 4, 1}, "invalid name"},
      {{path, 0, &one_ir, 1, eight, 8, eight, 8, NULL, 0, 1 << 24, 1}, /* 8 GiB */
       "exceeds 4 GiB"},
      {{path, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0, (1 << 24) + 1, 1}, "chunk_steps"},
      {{"/nonexistent-dir-nqp/run.h5", 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0, 4, 1},
       "/nonexistent-dir-nqp/run.h5.partial: cannot create"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    err[0] = 0;
    h5out *h = h5out_open(&cases[i].spec, NULL, err, sizeof err);
    cr_expect_null(h, "case %zu", i);
    cr_expect(strstr(err, cases[i].msg), "case %zu: %s", i, err);
  }
  cr_expect(!file_exists(partial));
  cr_expect_eq(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL), 0);
  cr_expect_eq(h5out_step(NULL, 0, NULL), -1);
  cr_expect_eq(h5out_finish(NULL, 1, err, sizeof err), -1);
}

Test(h5out, attributes_replace_and_text_clash) {
  char err[512];
  h5out *h = open_standard(path, 0);
  cr_assert_eq(h5out_attr_str(h, "seed", "now a string"), 0); /* was i64 */
  cr_assert_eq(h5out_attr_str(h, "git_commit", "def456"), 0);
  cr_expect_eq(h5out_text(h, "series", "clash"), -1);
  cr_expect(strstr(h5out_last_error(), "already exists"), "%s", h5out_last_error());
  cr_expect_eq(h5out_finish(&h, 1, err, sizeof err), -1); /* the clash broke the writer */
  hid_t f = open_ro(partial);
  expect_attr(f, "/", "seed", "now a string");
  expect_attr(f, "/", "git_commit", "def456");
  H5Fclose(f);
}

Test(h5out, minimal_spec) {
  /* no series, labels, panel variables, steps or events */
  char err[512] = "", cmd[1024];
  h5out_spec spec = {path, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0, 1, 0};
  h5out *h = h5out_open(&spec, NULL, err, sizeof err);
  cr_assert_not_null(h, "%s", err);
  cr_assert_eq(h5out_panel(h, 0, 0, NULL, NULL), 0, "%s", h5out_last_error());
  cr_assert_eq(h5out_event(h, 0, NULL, NULL), 0);
  cr_assert_eq(h5out_finish(&h, 1, err, sizeof err), 0, "%s", err);
  snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s/tests/output/check_run.py '%s'", NQP_SOURCE_DIR,
           path);
  cr_expect_eq(system(cmd), 0, "check_run.py failed on the minimal file");
}

Test(h5out, info_summary) {
  char err[512] = "";
  int rc;
  write_standard(path);
  char *out = slurp_info(path, &rc, err, sizeof err);
  cr_assert_eq(rc, 0, "%s", err);
  const char *want[] = {
      "status: complete\n",
      "  git_commit      abc123\n",
      "  seed            42\n",
      "  wall_seconds    1.5\n",
      "  format_version  1\n",
      "scenario (3 lines)\n  name: anhui\n",
      "  step      25\n",
      "  industry  3  (nev, pv, ai)\n",
      "  region    2  (hefei, wuhu)\n",
      "  snapshot  3\n",
      "  slot      1500\n",
      "  event     2\n",
      "series: economy 2, industry 1, region 1, industry_region 1\n",
      "economy at step 24 (final)\n",
      "  gdp                 240.25  CNY/quarter\n",
      "  employment         1240.25  persons\n",
      "firms panel: 3 snapshots x 1500 slots; variables: alive capital tfp sector listed\n",
      "last snapshot (step 20): 1000 live firms\n",
      "events: 2\n",
      "  step 3      lever  subsidy: nev +10%\n",
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
    cr_expect(strstr(out, want[i]), "info lacks [%s]:\n%s", want[i], out);
  free(out);
  cr_expect_eq(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL), 0);
}

Test(h5out, info_errors) {
  char err[512] = "", want[512], other[400];
  int rc;
  FILE *t = fopen(path, "w");
  cr_assert_not_null(t);
  fputs("plain text\n", t);
  fclose(t);
  free(slurp_info(path, &rc, err, sizeof err));
  snprintf(want, sizeof want, "%s: not an HDF5 file", path);
  cr_expect_eq(rc, -1);
  cr_expect_str_eq(err, want);

  snprintf(other, sizeof other, "%s/other.h5", dir);
  hid_t f = H5Fcreate(other, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  H5Gclose(H5Gcreate2(f, "series", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  H5Fclose(f);
  free(slurp_info(other, &rc, err, sizeof err));
  snprintf(want, sizeof want, "%s: not an nqpsim run file (no group /series/economy)", other);
  cr_expect_eq(rc, -1);
  cr_expect_str_eq(err, want);

  snprintf(other, sizeof other, "%s/missing.h5", dir);
  free(slurp_info(other, &rc, err, sizeof err));
  cr_expect_eq(rc, -1);
  cr_expect(strstr(err, "No such file"), "%s", err);
  cr_expect_eq(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL), 0);
}

Test(h5out, info_on_failed_partial) {
  char err[512] = "";
  int rc;
  h5out *h = open_standard(path, 0);
  cr_assert_eq(h5out_finish(&h, 0, err, sizeof err), 0);
  char *out = slurp_info(partial, &rc, err, sizeof err);
  cr_assert_eq(rc, 0, "%s", err);
  cr_expect(strstr(out, "status: failed\n"), "%s", out);
  cr_expect_null(strstr(out, "economy at step"), "%s", out);
  cr_expect(strstr(out, "economy (no steps written)"), "%s", out);
  free(out);
}

Test(h5out, python_check_h5py_xarray) {
  char cmd[1024];
  write_standard(path);
  snprintf(cmd, sizeof cmd,
           "/usr/bin/python3 %s/tests/output/check_run.py '%s' "
           "--expect-series gdp,employment,output,population,firms --expect-attrs git_commit,seed",
           NQP_SOURCE_DIR, path);
  cr_assert_eq(system(cmd), 0, "check_run.py failed: %s", cmd);
  /* and it does fail on a file that is not a run */
  snprintf(cmd, sizeof cmd,
           "/usr/bin/python3 %s/tests/output/check_run.py '%s' --expect-series nope 2>/dev/null",
           NQP_SOURCE_DIR, path);
  cr_expect_neq(system(cmd), 0, "check_run.py accepted a missing series");
}
