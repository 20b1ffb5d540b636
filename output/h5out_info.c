/* h5out_info: the human summary of a run file (`nqpsim info`).
 *
 * Prints the status, every root attribute (provenance) aligned, the first
 * lines of root text datasets (the scenario), the dimension sizes with
 * their labels, the number of series per group, a table of the economy
 * series with their final value and units, the panel size and the first
 * events.
 *
 * Invariants:
 *  - read only; the file may be a complete run, a .partial or a failed one;
 *  - a file that is not HDF5, or lacks one of the layout's groups, is an
 *    error with a message naming the file and what is missing; anything
 *    else that cannot be read is shown as "?" and the summary goes on;
 *  - every handle and allocation is released on every path; what is read
 *    is bounded (a few values per series, one snapshot of the panel within
 *    the read budget of output/h5util.h), whatever the file claims.
 */
#include "output/h5out.h"
#include "output/h5util.h"
#include "output/runfile.h"

#include <errno.h>
#include <hdf5_hl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define H5OUT_INFO_MAX_LABELS 20 /* labels shown per dimension */
#define H5OUT_INFO_MAX_EVENTS 5  /* events listed */
#define H5OUT_INFO_TEXT_LINES 3  /* lines of a text dataset shown */
#define H5OUT_INFO_MAX_VALUES 8  /* elements of an array attribute shown */

/* ---- reading helpers -------------------------------------------------- */

/* Extent of dimension 0 of dataset NAME in LOC; -1 when unreadable. */
static long long h5out_info_len(hid_t loc, const char *name) {
  long long n = -1;
  hid_t d = -1, sp = -1;
  hsize_t dims[H5S_MAX_RANK];
  if (H5Lexists(loc, name, H5P_DEFAULT) <= 0) goto cleanup;
  if ((d = H5Dopen2(loc, name, H5P_DEFAULT)) < 0 || (sp = H5Dget_space(d)) < 0) goto cleanup;
  if (H5Sget_simple_extent_ndims(sp) < 1 || H5Sget_simple_extent_dims(sp, dims, NULL) < 0)
    goto cleanup;
  n = (long long)dims[0];
cleanup:
  h5u_close(&sp);
  h5u_close(&d);
  H5Eclear2(H5E_DEFAULT);
  return n;
}

/* Read elements [START, START+COUNT) of the 1-D dataset NAME in LOC with
 * MEMTYPE into BUF. */
static int h5out_info_read(hid_t loc, const char *name, hid_t memtype, hsize_t start, hsize_t count,
                           void *buf) {
  int rc = -1;
  hid_t d = -1, fs = -1, ms = -1;
  if (count == 0) return 0;
  if ((d = H5Dopen2(loc, name, H5P_DEFAULT)) < 0 || (fs = H5Dget_space(d)) < 0 ||
      H5Sget_simple_extent_ndims(fs) != 1 ||
      H5Sselect_hyperslab(fs, H5S_SELECT_SET, &start, NULL, &count, NULL) < 0 ||
      (ms = H5Screate_simple(1, &count, NULL)) < 0 || !h5u_vlen_sane(d, start, count) ||
      H5Dread(d, memtype, ms, fs, H5P_DEFAULT, buf) < 0)
    goto cleanup;
  rc = 0;
cleanup:
  h5u_close(&ms);
  h5u_close(&fs);
  h5u_close(&d);
  H5Eclear2(H5E_DEFAULT);
  return rc;
}

/* Read COUNT variable-length strings from START of NAME into OUT. */
static int h5out_info_strings(hid_t loc, const char *name, hsize_t start, hsize_t count,
                              h5u_strs *out) {
  int rc = -1;
  char **v = NULL;
  hid_t st = -1, ms = -1;
  if (count == 0) return 0;
  if (count > ((size_t)1 << 20) || !(v = calloc((size_t)count, sizeof *v))) return -1;
  if ((st = h5u_vlen_str_type()) < 0) goto cleanup;
  if (h5out_info_read(loc, name, st, start, count, v) < 0) goto cleanup;
  rc = 0;
  for (hsize_t i = 0; i < count && rc == 0; i++) rc = h5u_strs_push(out, v[i] ? v[i] : "");
  if ((ms = H5Screate_simple(1, &count, NULL)) >= 0) H5Dvlen_reclaim(st, ms, H5P_DEFAULT, v);
cleanup:
  h5u_close(&ms);
  h5u_close(&st);
  free(v);
  return rc;
}

/* Names of the links of LOC (creation order when tracked) whose objects
 * are datasets that are not dimension scales. */
typedef struct h5out_members {
  h5u_strs names;
  int fail;
} h5out_members;

static herr_t h5out_member_cb(hid_t loc, const char *name, const H5L_info_t *info, void *data) {
  h5out_members *m = data;
  hid_t o = H5Oopen(loc, name, H5P_DEFAULT);
  if (o < 0) return 0;
  if (H5Iget_type(o) == H5I_DATASET && H5DSis_scale(o) <= 0 && h5u_strs_push(&m->names, name) < 0)
    m->fail = 1;
  H5Oclose(o);
  return m->fail ? -1 : 0;
}

static int h5out_info_members(hid_t loc, h5u_strs *out) {
  h5out_members m = {{NULL, 0, 0}, 0};
  hsize_t idx = 0;
  if (H5Literate(loc, H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, h5out_member_cb, &m) < 0) {
    h5u_strs_free(&m.names);
    m.fail = 0;
    idx = 0;
    if (H5Literate(loc, H5_INDEX_NAME, H5_ITER_INC, &idx, h5out_member_cb, &m) < 0) m.fail = 1;
  }
  H5Eclear2(H5E_DEFAULT);
  if (m.fail) {
    h5u_strs_free(&m.names);
    return -1;
  }
  *out = m.names;
  return 0;
}

/* ---- attribute formatting --------------------------------------------- */

/* Append to BUF (size LEN) at *POS. */
static void h5out_cat(char *buf, size_t len, size_t *pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void h5out_cat(char *buf, size_t len, size_t *pos, const char *fmt, ...) {
  va_list ap;
  int n;
  if (*pos >= len) return;
  va_start(ap, fmt);
  n = vsnprintf(buf + *pos, len - *pos, fmt, ap);
  va_end(ap);
  if (n > 0) *pos = *pos + (size_t)n < len ? *pos + (size_t)n : len;
}

/* The first line of S, with " ..." when there is more. */
static void h5out_first_line(char *buf, size_t len, const char *s) {
  size_t n = strcspn(s, "\n");
  snprintf(buf, len, "%.*s%s", (int)n, s, s[n] && s[n + 1] ? " ..." : "");
}

/* Format the value of attribute NAME of OBJ into BUF. */
static void h5out_attr_value(hid_t obj, const char *name, char *buf, size_t len) {
  hid_t a = -1, t = -1, sp = -1;
  hssize_t n;
  size_t pos = 0;
  H5T_class_t cls;
  snprintf(buf, len, "?");
  if ((a = H5Aopen(obj, name, H5P_DEFAULT)) < 0 || (t = H5Aget_type(a)) < 0 ||
      (sp = H5Aget_space(a)) < 0 || (n = H5Sget_simple_extent_npoints(sp)) < 0)
    goto cleanup;
  cls = H5Tget_class(t);
  if (cls == H5T_STRING) {
    char *s = h5u_get_attr_str(obj, name);
    if (s) h5out_first_line(buf, len, s);
    free(s);
  } else if ((cls == H5T_INTEGER || cls == H5T_FLOAT) && n >= 1 && n <= H5OUT_INFO_MAX_VALUES) {
    long long iv[H5OUT_INFO_MAX_VALUES];
    double fv[H5OUT_INFO_MAX_VALUES];
    int isint = cls == H5T_INTEGER;
    if (H5Aread(a, isint ? H5T_NATIVE_LLONG : H5T_NATIVE_DOUBLE, isint ? (void *)iv : (void *)fv) <
        0)
      goto cleanup;
    for (hssize_t i = 0; i < n; i++) {
      const char *sep = i ? ", " : "";
      if (isint)
        h5out_cat(buf, len, &pos, "%s%lld", sep, iv[i]);
      else
        h5out_cat(buf, len, &pos, "%s%.10g", sep, fv[i]);
    }
  } else {
    snprintf(buf, len, "(%lld values)", (long long)n);
  }
cleanup:
  h5u_close(&sp);
  h5u_close(&t);
  h5u_close(&a);
  H5Eclear2(H5E_DEFAULT);
}

static herr_t h5out_attr_name_cb(hid_t loc, const char *name, const H5A_info_t *info, void *data) {
  return h5u_strs_push(data, name) < 0 ? -1 : 0;
}

static int h5out_attr_names(hid_t obj, h5u_strs *out) {
  hsize_t idx = 0;
  if (H5Aiterate2(obj, H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, h5out_attr_name_cb, out) < 0) {
    h5u_strs_free(out);
    idx = 0;
    if (H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_INC, &idx, h5out_attr_name_cb, out) < 0) {
      h5u_strs_free(out);
      H5Eclear2(H5E_DEFAULT);
      return -1;
    }
  }
  H5Eclear2(H5E_DEFAULT);
  return 0;
}

/* ---- sections --------------------------------------------------------- */

static void h5out_info_attrs(hid_t root, FILE *out) {
  h5u_strs names = {NULL, 0, 0};
  size_t w = 0;
  char val[512];
  fprintf(out, "\nattributes\n");
  if (h5out_attr_names(root, &names) < 0) {
    fprintf(out, "  ?\n");
    return;
  }
  for (size_t i = 0; i < names.n; i++)
    if (strlen(names.v[i]) > w) w = strlen(names.v[i]);
  for (size_t i = 0; i < names.n; i++) {
    h5out_attr_value(root, names.v[i], val, sizeof val);
    fprintf(out, "  %-*s  %s\n", (int)w, names.v[i], val);
  }
  h5u_strs_free(&names);
}

/* Root-level scalar string datasets (the scenario): first lines. */
static void h5out_info_texts(hid_t root, FILE *out) {
  h5u_strs names = {NULL, 0, 0};
  if (h5out_info_members(root, &names) < 0) return;
  for (size_t i = 0; i < names.n; i++) {
    hid_t d = -1, st = -1, sp = -1;
    char *text = NULL;
    if ((d = H5Dopen2(root, names.v[i], H5P_DEFAULT)) < 0 || (sp = H5Dget_space(d)) < 0 ||
        H5Sget_simple_extent_type(sp) != H5S_SCALAR || !h5u_vlen_sane(d, 0, 1) ||
        (st = h5u_vlen_str_type()) < 0 ||
        H5Dread(d, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, &text) < 0) {
      text = NULL;
    } else {
      const char *p = text ? text : "";
      size_t lines = 0, shown = 0;
      for (const char *q = p; *q; q++)
        if (*q == '\n' || !q[1]) lines++;
      fprintf(out, "\n%s (%zu lines)\n", names.v[i], lines);
      while (*p && shown < H5OUT_INFO_TEXT_LINES) {
        size_t n = strcspn(p, "\n");
        fprintf(out, "  %.*s\n", (int)n, p);
        shown++;
        p += n + (p[n] ? 1 : 0);
      }
      if (*p) fprintf(out, "  ...\n");
      H5Dvlen_reclaim(st, sp, H5P_DEFAULT, &text);
    }
    h5u_close(&st);
    h5u_close(&sp);
    h5u_close(&d);
    H5Eclear2(H5E_DEFAULT);
  }
  h5u_strs_free(&names);
}

static void h5out_info_dim(FILE *out, const char *label, long long n, hid_t loc,
                           const char *labels) {
  if (n < 0) {
    fprintf(out, "  %-9s ?\n", label);
    return;
  }
  fprintf(out, "  %-9s %lld", label, n);
  if (labels && n > 0) {
    h5u_strs l = {NULL, 0, 0};
    hsize_t k = n < H5OUT_INFO_MAX_LABELS ? (hsize_t)n : H5OUT_INFO_MAX_LABELS;
    if (h5out_info_strings(loc, labels, 0, k, &l) == 0) {
      fprintf(out, "  (");
      for (size_t i = 0; i < l.n; i++) fprintf(out, "%s%s", i ? ", " : "", l.v[i]);
      fprintf(out, "%s)", (hsize_t)n > k ? ", ..." : "");
    }
    h5u_strs_free(&l);
  }
  fprintf(out, "\n");
}

static void h5out_info_economy(hid_t eco, long long nsteps, FILE *out) {
  h5u_strs names = {NULL, 0, 0};
  size_t w = 4;
  if (h5out_info_members(eco, &names) < 0 || names.n == 0) {
    h5u_strs_free(&names);
    return;
  }
  for (size_t i = 0; i < names.n; i++)
    if (strlen(names.v[i]) > w) w = strlen(names.v[i]);
  if (nsteps > 0)
    fprintf(out, "\neconomy at step %lld (final)\n", nsteps - 1);
  else
    fprintf(out, "\neconomy (no steps written)\n");
  fprintf(out, "  %-*s  %14s  %s\n", (int)w, "name", "value", "units");
  for (size_t i = 0; i < names.n; i++) {
    double v = 0;
    char val[32] = "-";
    char *units = NULL;
    long long n = h5out_info_len(eco, names.v[i]);
    hid_t d = H5Dopen2(eco, names.v[i], H5P_DEFAULT);
    if (d >= 0) units = h5u_get_attr_str(d, "units");
    h5u_close(&d);
    H5Eclear2(H5E_DEFAULT);
    if (n > 0) {
      if (h5out_info_read(eco, names.v[i], H5T_NATIVE_DOUBLE, (hsize_t)n - 1, 1, &v) == 0)
        snprintf(val, sizeof val, "%.6g", v);
      else
        snprintf(val, sizeof val, "?");
    }
    fprintf(out, "  %-*s  %14s  %s\n", (int)w, names.v[i], val, units ? units : "?");
    free(units);
  }
  h5u_strs_free(&names);
}

static void h5out_info_panel(hid_t firms, long long nsnap, long long nslot, FILE *out) {
  h5u_strs names = {NULL, 0, 0};
  fprintf(out, "\nfirms panel: %lld snapshots x %lld slots", nsnap, nslot);
  if (h5out_info_members(firms, &names) == 0) {
    fprintf(out, "; variables:");
    for (size_t i = 0; i < names.n; i++) fprintf(out, " %s", names.v[i]);
  }
  fprintf(out, "\n");
  h5u_strs_free(&names);
  if (nsnap > 0 && nslot > 0) {
    hid_t d = -1, fs = -1, ms = -1;
    hsize_t start[2] = {(hsize_t)nsnap - 1, 0}, count[2] = {1, (hsize_t)nslot};
    unsigned char *alive =
        h5u_budget_take((size_t)nslot, "", "alive") == 0 ? malloc((size_t)nslot) : NULL;
    if (alive && (d = H5Dopen2(firms, "alive", H5P_DEFAULT)) >= 0 && (fs = H5Dget_space(d)) >= 0 &&
        H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) >= 0 &&
        (ms = H5Screate_simple(2, count, NULL)) >= 0 &&
        H5Dread(d, H5T_NATIVE_UINT8, ms, fs, H5P_DEFAULT, alive) >= 0) {
      long long k = 0, step = -1;
      for (long long i = 0; i < nslot; i++) k += alive[i] != 0;
      int s32 = -1;
      if (h5out_info_read(firms, "snapshot", H5T_NATIVE_INT32, (hsize_t)nsnap - 1, 1, &s32) == 0)
        step = s32;
      fprintf(out, "  last snapshot (step %lld): %lld live firms\n", step, k);
    }
    h5u_close(&ms);
    h5u_close(&fs);
    h5u_close(&d);
    H5Eclear2(H5E_DEFAULT);
    free(alive);
  }
}

static void h5out_info_events(hid_t ev, long long n, FILE *out) {
  h5u_strs kind = {NULL, 0, 0}, detail = {NULL, 0, 0};
  int steps[H5OUT_INFO_MAX_EVENTS];
  hsize_t k = n < H5OUT_INFO_MAX_EVENTS ? (hsize_t)(n < 0 ? 0 : n) : H5OUT_INFO_MAX_EVENTS;
  size_t w = 4;
  if (n < 0) {
    fprintf(out, "\nevents: ?\n");
    return;
  }
  fprintf(out, "\nevents: %lld\n", n);
  if (k == 0) return;
  if (h5out_info_read(ev, "step", H5T_NATIVE_INT32, 0, k, steps) < 0 ||
      h5out_info_strings(ev, "kind", 0, k, &kind) < 0 ||
      h5out_info_strings(ev, "detail", 0, k, &detail) < 0 || kind.n != k || detail.n != k) {
    fprintf(out, "  ?\n");
  } else {
    for (size_t i = 0; i < k; i++)
      if (strlen(kind.v[i]) > w) w = strlen(kind.v[i]);
    for (size_t i = 0; i < k; i++)
      fprintf(out, "  step %-6d %-*s  %s\n", steps[i], (int)w, kind.v[i], detail.v[i]);
    if ((hsize_t)n > k) fprintf(out, "  ... (%lld more)\n", n - (long long)k);
  }
  h5u_strs_free(&kind);
  h5u_strs_free(&detail);
}

/* ---- entry point ------------------------------------------------------ */

static const char *const h5out_required[] = {
    "/series", "/series/economy", "/series/industry", "/series/region", "/series/industry_region",
    "/firms",  "/events"};

static int h5out_info_open(const char *path, hid_t *file) {
  struct stat st;
  if (stat(path, &st) < 0) return h5u_seterr("%s: %s", path, strerror(errno)), -1;
  if (S_ISDIR(st.st_mode)) return h5u_seterr("%s: is a directory", path), -1;
  if (H5Fis_hdf5(path) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    return h5u_seterr("%s: not an HDF5 file", path), -1;
  }
  if ((*file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0) {
    h5u_h5err("%s: cannot open", path);
    return -1;
  }
  if (h5u_check_open(*file, path) < 0) {
    h5u_close(file);
    return -1;
  }
  for (size_t i = 0; i < sizeof h5out_required / sizeof h5out_required[0]; i++) {
    const char *g = h5out_required[i];
    hid_t o = -1;
    int isgroup = H5Lexists(*file, g, H5P_DEFAULT) > 0 &&
                  (o = H5Oopen(*file, g, H5P_DEFAULT)) >= 0 && H5Iget_type(o) == H5I_GROUP;
    if (o >= 0) H5Oclose(o);
    H5Eclear2(H5E_DEFAULT);
    if (!isgroup) {
      h5u_seterr("%s: not an nqpsim run file (no group %s)", path, g);
      h5u_close(file);
      return -1;
    }
  }
  return 0;
}

int h5out_info(const char *path, FILE *out, char *err, size_t errlen) {
  int rc = -1;
  hid_t f = -1, root = -1, grp[SERIES_NLEVELS], firms = -1, ev = -1;
  long long nstep, nind, nreg, nsnap, nslot, nev;
  char *status = NULL;
  for (int g = 0; g < SERIES_NLEVELS; g++) grp[g] = H5I_INVALID_HID;
  h5u_quiet();
  h5u_budget_reset(0); /* the panel's last snapshot is read: bounded */
  if (!path || !out) {
    h5u_seterr("h5out_info: no path or stream");
    goto cleanup;
  }
  if (h5out_info_open(path, &f) < 0) goto cleanup;
  if ((root = H5Gopen2(f, "/", H5P_DEFAULT)) < 0 ||
      (firms = H5Gopen2(f, "firms", H5P_DEFAULT)) < 0 ||
      (ev = H5Gopen2(f, "events", H5P_DEFAULT)) < 0) {
    h5u_h5err("%s: opening groups", path);
    goto cleanup;
  }
  for (int g = 0; g < SERIES_NLEVELS; g++) {
    char name[64];
    snprintf(name, sizeof name, "series/%s", runfile_group_names[g]);
    if ((grp[g] = H5Gopen2(f, name, H5P_DEFAULT)) < 0) {
      h5u_h5err("%s: opening group /%s", path, name);
      goto cleanup;
    }
  }
  status = h5u_get_attr_str(root, "status");
  fprintf(out, "file: %s\nstatus: %s\n", path, status ? status : "?");
  h5out_info_attrs(root, out);
  h5out_info_texts(root, out);

  nstep = h5out_info_len(grp[SERIES_ECONOMY], "step");
  nind = h5out_info_len(grp[SERIES_INDUSTRY], "industry");
  nreg = h5out_info_len(grp[SERIES_REGION], "region");
  nsnap = h5out_info_len(firms, "snapshot");
  nslot = h5out_info_len(firms, "slot");
  nev = h5out_info_len(ev, "event");
  fprintf(out, "\ndimensions\n");
  h5out_info_dim(out, "step", nstep, -1, NULL);
  h5out_info_dim(out, "industry", nind, grp[SERIES_INDUSTRY], "industry");
  h5out_info_dim(out, "region", nreg, grp[SERIES_REGION], "region");
  h5out_info_dim(out, "snapshot", nsnap, -1, NULL);
  h5out_info_dim(out, "slot", nslot, -1, NULL);
  h5out_info_dim(out, "event", nev, -1, NULL);

  fprintf(out, "\nseries:");
  for (int g = 0; g < SERIES_NLEVELS; g++) {
    h5u_strs names = {NULL, 0, 0};
    if (h5out_info_members(grp[g], &names) == 0)
      fprintf(out, "%s %s %zu", g ? "," : "", runfile_group_names[g], names.n);
    else
      fprintf(out, "%s %s ?", g ? "," : "", runfile_group_names[g]);
    h5u_strs_free(&names);
  }
  fprintf(out, "\n");
  h5out_info_economy(grp[SERIES_ECONOMY], nstep, out);
  h5out_info_panel(firms, nsnap < 0 ? 0 : nsnap, nslot < 0 ? 0 : nslot, out);
  h5out_info_events(ev, nev, out);
  if (ferror(out)) {
    h5u_seterr("%s: error writing the summary", path);
    goto cleanup;
  }
  rc = 0;
cleanup:
  if (rc < 0) h5u_copyerr(err, errlen);
  free(status);
  for (int g = 0; g < SERIES_NLEVELS; g++) h5u_close(&grp[g]);
  h5u_close(&ev);
  h5u_close(&firms);
  h5u_close(&root);
  h5u_close(&f);
  return rc;
}
