/* runfile: opening run files and reading their attributes, labels and
 * series (see runfile.h); used by compare and the run report.
 *
 * Invariants:
 *  - read only; every HDF5 handle opened here is closed on every path, and
 *    the HDF5 error stack is cleared after each expected failure;
 *  - a file that is missing, not HDF5, truncated or not an nqpsim run file
 *    is an error whose message starts with its path; nothing is assumed
 *    about a dataset's shape before it is checked;
 *  - every series read takes its size from the command's read budget
 *    (h5u_budget_take): a crafted file of 1e8 steps is refused, not read.
 */
#include <errno.h>
#include <hdf5_hl.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "output/runfile.h"
#include "base/limits.h"
#include "output/h5util.h"
#include "output/meta_hash.h"

#define RUNFILE_MAX_LABELS ((size_t)1 << 20) /* sanity bound on a label dimension */

const char *const runfile_group_names[SERIES_NLEVELS] = {"economy", "industry", "region",
                                                         "industry_region"};

/* ---- small readers ------------------------------------------------------ */

/* Dimensions of dataset D: rank into *RANK, extents into DIMS. */
static int rf_dims(hid_t d, int *rank, hsize_t dims[H5S_MAX_RANK]) {
  hid_t sp = H5Dget_space(d);
  int rc = -1;
  if (sp >= 0 && (*rank = H5Sget_simple_extent_ndims(sp)) >= 0 &&
      H5Sget_simple_extent_dims(sp, dims, NULL) >= 0)
    rc = 0;
  h5u_close(&sp);
  return rc;
}

/* The 1-D string dataset NAME of LOC into OUT. */
static int rf_read_strings(hid_t loc, const char *name, h5u_strs *out) {
  int rc = -1, rank = 0;
  hsize_t dims[H5S_MAX_RANK];
  hid_t d = H5I_INVALID_HID, st = H5I_INVALID_HID, sp = H5I_INVALID_HID;
  char **v = NULL;
  if ((d = H5Dopen2(loc, name, H5P_DEFAULT)) < 0 || rf_dims(d, &rank, dims) < 0 || rank != 1 ||
      dims[0] > RUNFILE_MAX_LABELS)
    goto cleanup;
  if (dims[0] == 0) {
    rc = 0;
    goto cleanup;
  }
  if (!h5u_vlen_sane(d, 0, dims[0]) || !(v = calloc((size_t)dims[0], sizeof *v)) ||
      (st = h5u_vlen_str_type()) < 0 || H5Dread(d, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0)
    goto cleanup;
  rc = 0;
  for (hsize_t i = 0; i < dims[0] && rc == 0; i++) rc = h5u_strs_push(out, v[i] ? v[i] : "");
  if ((sp = H5Dget_space(d)) >= 0) H5Dvlen_reclaim(st, sp, H5P_DEFAULT, v);
cleanup:
  h5u_close(&sp);
  h5u_close(&st);
  h5u_close(&d);
  H5Eclear2(H5E_DEFAULT);
  free(v);
  return rc;
}

/* The scalar string dataset NAME of LOC as a heap string; NULL if absent. */
static char *rf_read_text(hid_t loc, const char *name) {
  char *text = NULL, *out = NULL;
  hid_t d = H5I_INVALID_HID, st = H5I_INVALID_HID, sp = H5I_INVALID_HID;
  if (H5Lexists(loc, name, H5P_DEFAULT) <= 0) goto cleanup;
  if ((d = H5Dopen2(loc, name, H5P_DEFAULT)) < 0 || (sp = H5Dget_space(d)) < 0 ||
      H5Sget_simple_extent_type(sp) != H5S_SCALAR || !h5u_vlen_sane(d, 0, 1) ||
      (st = h5u_vlen_str_type()) < 0 || H5Dread(d, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, &text) < 0)
    goto cleanup;
  out = strdup(text ? text : "");
  H5Dvlen_reclaim(st, sp, H5P_DEFAULT, &text);
cleanup:
  h5u_close(&sp);
  h5u_close(&st);
  h5u_close(&d);
  H5Eclear2(H5E_DEFAULT);
  return out;
}

/* Length of the 1-D dataset NAME of LOC, -1 when unreadable. */
static long long rf_len(hid_t loc, const char *name) {
  long long n = -1;
  int rank = 0;
  hsize_t dims[H5S_MAX_RANK];
  hid_t d = H5I_INVALID_HID;
  if (H5Lexists(loc, name, H5P_DEFAULT) > 0 && (d = H5Dopen2(loc, name, H5P_DEFAULT)) >= 0 &&
      rf_dims(d, &rank, dims) == 0 && rank == 1)
    n = (long long)dims[0];
  h5u_close(&d);
  H5Eclear2(H5E_DEFAULT);
  return n;
}

/* ---- opening ------------------------------------------------------------ */

static int rf_open_file(runfile *r, const char *path) {
  struct stat st;
  htri_t is;
  if (stat(path, &st) < 0) return h5u_seterr("%s: %s", path, strerror(errno)), -1;
  if (S_ISDIR(st.st_mode)) return h5u_seterr("%s: is a directory", path), -1;
  is = H5Fis_hdf5(path);
  H5Eclear2(H5E_DEFAULT);
  if (is <= 0) return h5u_seterr("%s: not an HDF5 file", path), -1;
  if ((r->file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0) {
    h5u_h5err("%s: cannot open (truncated or damaged?)", path);
    return -1;
  }
  return h5u_check_open(r->file, path);
}

static int rf_open_groups(runfile *r) {
  for (int g = 0; g < RUNFILE_NSRC; g++) {
    char name[64];
    snprintf(name, sizeof name, "/series/%s", runfile_group_names[g]);
    if (H5Lexists(r->file, "/series", H5P_DEFAULT) <= 0 ||
        H5Lexists(r->file, name, H5P_DEFAULT) <= 0 ||
        (r->grp[g] = H5Gopen2(r->file, name, H5P_DEFAULT)) < 0) {
      H5Eclear2(H5E_DEFAULT);
      h5u_seterr("%s: not an nqpsim run file (no group %s)", r->path, name);
      return -1;
    }
  }
  return 0;
}

static int rf_read_meta(runfile *r) {
  long long steps;
  char why[512]; /* scenario text and attributes vs their checksums (output/meta_hash.h); */
  if (meta_hash_verify(r->file, why, sizeof why) == META_HASH_MISMATCH) /* none: older file */
    return h5u_seterr("%s: corrupt run file: %s", r->path, why), -1;
  r->status = h5u_get_attr_str(r->file, "status");
  r->scenario_name = h5u_get_attr_str(r->file, "scenario_name");
  if (h5u_get_attr_i64(r->file, "seed", &r->seed) < 0) r->seed = -1;
  if (h5u_get_attr_i64(r->file, "steps_per_year", &r->spy) < 0)
    return h5u_seterr("%s: no steps_per_year attribute", r->path), -1;
  if ((steps = rf_len(r->grp[RUNFILE_ECONOMY], "step")) < 0 || steps > FILE_MAX_STEPS)
    return h5u_seterr("%s: unreadable step dimension (/series/economy/step)", r->path), -1;
  r->steps = (int)steps;
  if (rf_read_strings(r->grp[RUNFILE_INDUSTRY], "industry", &r->ind) < 0)
    return h5u_seterr("%s: unreadable industry labels (/series/industry/industry)", r->path), -1;
  if (rf_read_strings(r->grp[RUNFILE_REGION], "region", &r->reg) < 0)
    return h5u_seterr("%s: unreadable region labels (/series/region/region)", r->path), -1;
  r->scenario = rf_read_text(r->file, "scenario");
  return 0;
}

int runfile_open(runfile *r, const char *path) {
  memset(r, 0, sizeof *r);
  r->file = H5I_INVALID_HID;
  for (int g = 0; g < RUNFILE_NSRC; g++) r->grp[g] = H5I_INVALID_HID;
  r->path = path;
  h5u_quiet();
  if (rf_open_file(r, path) < 0 || rf_open_groups(r) < 0 || rf_read_meta(r) < 0) {
    runfile_close(r);
    return -1;
  }
  return 0;
}

void runfile_close(runfile *r) {
  for (int g = 0; g < RUNFILE_NSRC; g++)
    if (r->grp[g] > 0) h5u_close(&r->grp[g]);
  if (r->file > 0) h5u_close(&r->file);
  free(r->status);
  free(r->scenario_name);
  free(r->scenario);
  h5u_strs_free(&r->ind);
  h5u_strs_free(&r->reg);
  r->status = r->scenario_name = r->scenario = NULL;
  H5Eclear2(H5E_DEFAULT);
}

/* ---- series ------------------------------------------------------------- */

int runfile_has(const runfile *r, int src, const char *name) {
  int yes = 0;
  hid_t o = H5I_INVALID_HID;
  if (!*name || strchr(name, '/') || H5Lexists(r->grp[src], name, H5P_DEFAULT) <= 0) goto cleanup;
  if ((o = H5Oopen(r->grp[src], name, H5P_DEFAULT)) < 0) goto cleanup;
  yes = H5Iget_type(o) == H5I_DATASET && H5DSis_scale(o) <= 0;
cleanup:
  if (o >= 0) H5Oclose(o);
  H5Eclear2(H5E_DEFAULT);
  return yes;
}

char *runfile_attr(const runfile *r, int src, const char *name, const char *attr) {
  char *u = NULL;
  hid_t d = H5I_INVALID_HID;
  if (runfile_has(r, src, name) && (d = H5Dopen2(r->grp[src], name, H5P_DEFAULT)) >= 0)
    u = h5u_get_attr_str(d, attr);
  h5u_close(&d);
  H5Eclear2(H5E_DEFAULT);
  return u;
}

/* Does dataset D hold at least STEPS rows of NCELL values? */
static int rf_shape_ok(hid_t d, int src, int steps, size_t ncell) {
  int rank = 0;
  hsize_t dims[H5S_MAX_RANK];
  if (rf_dims(d, &rank, dims) < 0 || dims[0] < (hsize_t)steps) return 0;
  if (src == RUNFILE_ECONOMY) return rank == 1;
  return rank == 2 && dims[1] == (hsize_t)ncell;
}

int runfile_series(const runfile *r, int src, const char *name, int steps, size_t ncell,
                   double **out) {
  int rc = -1;
  size_t n;
  hsize_t start[2] = {0, 0}, count[2] = {(hsize_t)steps, (hsize_t)ncell};
  hid_t d = H5I_INVALID_HID, fs = H5I_INVALID_HID, ms = H5I_INVALID_HID;
  double *v = NULL;
  *out = NULL;
  if (!runfile_has(r, src, name)) return 0;
  if (h5u_mul((size_t)steps, ncell, &n) == 0 && n <= SIZE_MAX / sizeof *v &&
      h5u_budget_take(n * sizeof *v, r->path, name) < 0)
    return -1;
  if (h5u_mul((size_t)steps, ncell, &n) < 0 || !(v = malloc((n ? n : 1) * sizeof *v))) {
    h5u_seterr("%s: out of memory reading %s", r->path, name);
    return -1;
  }
  if ((d = H5Dopen2(r->grp[src], name, H5P_DEFAULT)) < 0 || !rf_shape_ok(d, src, steps, ncell)) {
    h5u_seterr("%s: /series/%s/%s: not %d steps x %zu values", r->path, runfile_group_names[src],
               name, steps, ncell);
    goto cleanup;
  }
  if (n > 0 && ((fs = H5Dget_space(d)) < 0 ||
                H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) < 0 ||
                (ms = H5Screate_simple(src == RUNFILE_ECONOMY ? 1 : 2, count, NULL)) < 0 ||
                H5Dread(d, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, v) < 0)) {
    h5u_h5err("%s: reading /series/%s/%s", r->path, runfile_group_names[src], name);
    goto cleanup;
  }
  *out = v;
  v = NULL;
  rc = 1;
cleanup:
  free(v);
  h5u_close(&ms);
  h5u_close(&fs);
  h5u_close(&d);
  H5Eclear2(H5E_DEFAULT);
  return rc;
}

typedef struct rf_names_ctx {
  const runfile *r;
  int src;
  h5u_strs *out;
  int fail;
} rf_names_ctx;

static herr_t rf_name_cb(hid_t loc, const char *name, const H5L_info_t *info, void *data) {
  rf_names_ctx *c = data;
  if (h5u_strs_find(c->out, name) < 0 && runfile_has(c->r, c->src, name) &&
      h5u_strs_push(c->out, name) < 0)
    c->fail = 1;
  return c->fail ? -1 : 0;
}

int runfile_names(const runfile *r, h5u_strs *out) {
  for (int g = 0; g < RUNFILE_NSRC; g++) {
    rf_names_ctx c = {r, g, out, 0};
    hsize_t idx = 0;
    if (H5Literate(r->grp[g], H5_INDEX_NAME, H5_ITER_INC, &idx, rf_name_cb, &c) < 0 || c.fail) {
      H5Eclear2(H5E_DEFAULT);
      return -1;
    }
  }
  return 0;
}
