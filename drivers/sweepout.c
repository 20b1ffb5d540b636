/* sweepout: the sweep results writer (layout and contract in sweepout.h).
 *
 * How it is written: like a run file (output/h5out.c): PATH.partial with
 * link and attribute creation order tracked and indexed on the file, every
 * group and dataset, libver bounds [1.8, 1.10], string attributes as
 * variable-length UTF-8, `units` and `long_name` on every dataset, H5DS
 * dimension scales in every group (integer indexes for point, replicate;
 * labels for parameter, metric; values for quantile). Every dataset is
 * created, at its final size, before the first run is recorded: numeric
 * datasets with a fill value (NaN, or -1 for a run's status), message
 * strings initialised to "", so readers never meet an unset element.
 *
 * Invariants: every HDF5 handle opened here is closed on every path; the
 * four datasets a run writes to stay open between sweepout_create and
 * sweepout_finish, everything else is opened per call; nothing written
 * depends on when or where a run was executed.
 */
#include "drivers/sweepout.h"

#include <hdf5_hl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/atomic_file.h"
#include "output/h5util.h"
#include "output/runfile.h"

#define SO_FORMAT         "nqpsim-sweep"
#define SO_FORMAT_VERSION 1
#define SO_BLOCK          65536 /* elements per initialising write */

const double sweepout_quantiles[SWEEPOUT_NQ] = {0.05, 0.25, 0.5, 0.75, 0.95};

struct sweepout {
  const sweep *sw;
  atomic_file af;             /* PATH.partial -> PATH (base/atomic_file.h) */
  const char *path, *partial; /* af.path and af.tmp */
  hid_t file, root;
  hid_t value, status, steps, message; /* written per run */
};

const char *sweepout_error(void) {
  return h5u_last_error();
}

/* ---- creation helpers --------------------------------------------------- */

/* A contiguous dataset NAME of file type FT and shape DIMS (RANK), with an
 * optional fill value FILL (MEMTYPE), `units` and `long_name`. */
static hid_t so_dset(hid_t loc, const char *name, hid_t ft, int rank, const hsize_t *dims,
                     hid_t memtype, const void *fill, const char *units, const char *doc) {
  hid_t d = -1, space = -1, dcpl = h5u_dcpl();
  if (dcpl < 0 || (fill && H5Pset_fill_value(dcpl, memtype, fill) < 0) ||
      (space = H5Screate_simple(rank, dims, NULL)) < 0 ||
      (d = H5Dcreate2(loc, name, ft, space, H5P_DEFAULT, dcpl, H5P_DEFAULT)) < 0)
    h5u_h5err("creating dataset %s", name);
  else if (h5u_describe(d, units, doc) < 0)
    h5u_close(&d);
  h5u_close(&space);
  h5u_close(&dcpl);
  return d;
}

/* Write BUF (MEMTYPE) into the box START/COUNT of D. */
static int so_box(hid_t d, hid_t memtype, int rank, const hsize_t *start, const hsize_t *count,
                  const void *buf, int read) {
  int rc = -1;
  hid_t fs = H5Dget_space(d), ms = -1;
  if (fs >= 0 && H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) >= 0 &&
      (ms = H5Screate_simple(rank, count, NULL)) >= 0) {
    herr_t e = read ? H5Dread(d, memtype, ms, fs, H5P_DEFAULT, (void *)buf)
                    : H5Dwrite(d, memtype, ms, fs, H5P_DEFAULT, buf);
    rc = e < 0 ? -1 : 0;
  }
  if (rc < 0) h5u_h5err(read ? "reading" : "writing");
  h5u_close(&ms);
  h5u_close(&fs);
  return rc;
}

/* Integer scale NAME holding 0..N-1. */
static hid_t so_scale_index(hid_t loc, const char *name, size_t n, const char *doc) {
  hsize_t dims[1] = {n};
  hid_t d = so_dset(loc, name, H5T_STD_I32LE, 1, dims, H5T_NATIVE_INT32, NULL, "1", doc);
  int32_t *v = malloc((n ? n : 1) * sizeof *v);
  for (size_t i = 0; v && i < n; i++) v[i] = (int32_t)i;
  if (d >= 0 && (!v || H5Dwrite(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0 ||
                 h5u_set_scale(d, name) < 0)) {
    h5u_h5err("writing %s", name);
    h5u_close(&d);
  }
  free(v);
  return d;
}

/* A 1-D string dataset NAME of N LABELS (a scale when SCALE). */
static hid_t so_strings(hid_t loc, const char *name, const char *const *labels, size_t n,
                        const char *doc, int scale) {
  hsize_t dims[1] = {n};
  hid_t st = h5u_vlen_str_type(), d = -1;
  if (st >= 0) d = so_dset(loc, name, st, 1, dims, st, NULL, "1", doc);
  if (d >= 0 && n && H5Dwrite(d, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, labels) < 0) {
    h5u_h5err("writing %s", name);
    h5u_close(&d);
  }
  if (d >= 0 && scale && h5u_set_scale(d, name) < 0) h5u_close(&d);
  h5u_close(&st);
  return d;
}

/* A 1-D float64 dataset NAME of N values (a scale when SCALE). */
static hid_t so_doubles(hid_t loc, const char *name, const double *v, size_t n, const char *units,
                        const char *doc, int scale) {
  hsize_t dims[1] = {n};
  hid_t d = so_dset(loc, name, H5T_IEEE_F64LE, 1, dims, H5T_NATIVE_DOUBLE, NULL, units, doc);
  if (d >= 0 && n && H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0) {
    h5u_h5err("writing %s", name);
    h5u_close(&d);
  }
  if (d >= 0 && scale && h5u_set_scale(d, name) < 0) h5u_close(&d);
  return d;
}

static int so_attach(hid_t d, const hid_t *scales, int rank, const char *name) {
  for (int i = 0; i < rank; i++)
    if (h5u_attach(d, scales[i], (unsigned)i, name) < 0) return -1;
  return 0;
}

/* A dataset over the dims SCALES (RANK, sizes DIMS) with fill FILL. */
static hid_t so_var(hid_t loc, const char *name, hid_t ft, hid_t mt, const void *fill, int rank,
                    const hsize_t *dims, const hid_t *scales, const char *units, const char *doc) {
  hid_t d = so_dset(loc, name, ft, rank, dims, mt, fill, units, doc);
  if (d >= 0 && so_attach(d, scales, rank, name) < 0) h5u_close(&d);
  return d;
}

/* Create and close (RC keeps the first failure). */
static void so_var_close(int *rc, hid_t loc, const char *name, hid_t ft, hid_t mt, const void *fill,
                         int rank, const hsize_t *dims, const hid_t *scales, const char *units,
                         const char *doc) {
  hid_t d = *rc == 0 ? so_var(loc, name, ft, mt, fill, rank, dims, scales, units, doc) : -1;
  if (d < 0) *rc = -1;
  h5u_close(&d);
}

static void close_all(hid_t *ids, size_t n) {
  for (size_t i = 0; i < n; i++) h5u_close(&ids[i]);
}

/* ---- groups ------------------------------------------------------------- */

static int so_file(sweepout *o) {
  int rc = -1;
  if ((o->file = h5u_create_file(o->partial, H5F_ACC_TRUNC)) < 0)
    ;
  else if ((o->root = H5Gopen2(o->file, "/", H5P_DEFAULT)) < 0)
    h5u_h5err("%s: root group", o->partial);
  else if (h5u_put_attr_str(o->root, "format", SO_FORMAT) == 0 &&
           h5u_put_attr_i64(o->root, "format_version", SO_FORMAT_VERSION) == 0 &&
           h5u_put_attr_str(o->root, "status", "running") == 0)
    rc = 0;
  return rc;
}

static int so_text(hid_t loc, const char *name, const char *text, const char *doc) {
  hid_t st = h5u_vlen_str_type(), space = H5Screate(H5S_SCALAR), d = -1;
  const char *v = text ? text : "";
  int rc = -1;
  if (st >= 0 && space >= 0 &&
      (d = H5Dcreate2(loc, name, st, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) >= 0 &&
      H5Dwrite(d, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v) >= 0 &&
      h5u_put_attr_str(d, "units", "") == 0 && h5u_put_attr_str(d, "long_name", doc) == 0)
    rc = 0;
  else
    h5u_h5err("writing /%s", name);
  h5u_close(&d);
  h5u_close(&space);
  h5u_close(&st);
  return rc;
}

static int so_design_params(const sweep *sw, hid_t g, hid_t *sc) {
  size_t k = sw->n_params, np = sw->n_points;
  const char **names = calloc(k, sizeof *names), **paths = calloc(k, sizeof *paths);
  const char **dists = calloc(k, sizeof *dists);
  double *lo = calloc(k, sizeof *lo), *hi = calloc(k, sizeof *hi);
  hsize_t dims[2] = {np, k};
  int rc = names && paths && dists && lo && hi ? 0 : -1;
  for (size_t i = 0; rc == 0 && i < k; i++) {
    const sweep_param *p = &sw->s.params[i];
    names[i] = p->name, paths[i] = p->path, dists[i] = sweep_dist_names[p->distribution];
    lo[i] = p->min, hi[i] = p->max;
  }
  if (rc == 0 && (sc[1] = so_strings(g, "parameter", names, k, "parameter name", 1)) < 0) rc = -1;
  hid_t d[6] = {-1, -1, -1, -1, -1, -1};
  if (rc == 0 &&
      ((d[0] = so_var(g, "value", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, NULL, 2, dims, sc, "",
                      "design point in parameter units (what the runs use)")) < 0 ||
       H5Dwrite(d[0], H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, sw->values) < 0 ||
       (d[1] = so_var(g, "unit", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, NULL, 2, dims, sc, "1",
                      "design point in [0, 1] coordinates (before the inverse CDF)")) < 0 ||
       H5Dwrite(d[1], H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, sw->unit) < 0 ||
       (d[2] = so_strings(g, "path", paths, k, "scenario key path", 0)) < 0 ||
       (d[3] = so_strings(g, "distribution", dists, k, "distribution over [min, max]", 0)) < 0 ||
       (d[4] = so_doubles(g, "min", lo, k, "", "lower end of the range", 0)) < 0 ||
       (d[5] = so_doubles(g, "max", hi, k, "", "upper end of the range", 0)) < 0))
    rc = -1;
  for (int i = 2; rc == 0 && i < 6; i++) rc = so_attach(d[i], &sc[1], 1, "design");
  if (rc < 0 && d[0] >= 0) h5u_h5err("writing the design");
  close_all(d, 6);
  free(names), free(paths), free(dists), free(lo), free(hi);
  return rc;
}

static int so_design(sweepout *o) {
  hid_t g = h5u_mkgroup(o->root, "design"), sc[2] = {-1, -1};
  int rc = -1;
  if (g >= 0 && (sc[0] = so_scale_index(g, "point", o->sw->n_points, "design point")) >= 0)
    rc = o->sw->n_params ? so_design_params(o->sw, g, sc) : 0;
  close_all(sc, 2);
  h5u_close(&g);
  return rc;
}

/* Seeds of points [p0, p0 + np) into the seed dataset. */
static int so_seeds(const sweep *sw, hid_t d) {
  size_t reps = sw->n_reps, block = SO_BLOCK / reps + 1;
  int64_t *v = malloc(block * reps * sizeof *v);
  int rc = v ? 0 : -1;
  for (size_t p0 = 0; rc == 0 && p0 < sw->n_points; p0 += block) {
    size_t np = sw->n_points - p0 < block ? sw->n_points - p0 : block;
    for (size_t p = 0; p < np; p++)
      for (size_t r = 0; r < reps; r++) v[p * reps + r] = sweep_seed(sw, p0 + p, r);
    hsize_t start[2] = {p0, 0}, count[2] = {np, reps};
    rc = so_box(d, H5T_NATIVE_INT64, 2, start, count, v, 0);
  }
  free(v);
  return rc;
}

/* Every message "" (so no reader meets an unset string). */
static int so_messages(const sweep *sw, hid_t d) {
  size_t reps = sw->n_reps, block = SO_BLOCK / reps + 1;
  const char **v = malloc(block * reps * sizeof *v);
  hid_t st = h5u_vlen_str_type();
  int rc = v && st >= 0 ? 0 : -1;
  for (size_t i = 0; v && i < block * reps; i++) v[i] = "";
  for (size_t p0 = 0; rc == 0 && p0 < sw->n_points; p0 += block) {
    size_t np = sw->n_points - p0 < block ? sw->n_points - p0 : block;
    hsize_t start[2] = {p0, 0}, count[2] = {np, reps};
    rc = so_box(d, st, 2, start, count, v, 0);
  }
  h5u_close(&st);
  free(v);
  return rc;
}

static int so_runs(sweepout *o) {
  const sweep *sw = o->sw;
  hid_t g = h5u_mkgroup(o->root, "runs"), sc[2] = {-1, -1}, seed = -1, st = h5u_vlen_str_type();
  hsize_t dims[2] = {sw->n_points, sw->n_reps};
  int32_t not_run = SWEEP_RUN_NOT_RUN, zero = 0;
  int rc = -1;
  if (g >= 0 && st >= 0 &&
      (sc[0] = so_scale_index(g, "point", sw->n_points, "design point")) >= 0 &&
      (sc[1] = so_scale_index(g, "replicate", sw->n_reps, "replicate")) >= 0 &&
      (seed = so_var(g, "seed", H5T_STD_I64LE, H5T_NATIVE_INT64, NULL, 2, dims, sc, "1",
                     "seed of the run")) >= 0 &&
      so_seeds(sw, seed) == 0 &&
      (o->status = so_var(g, "status", H5T_STD_I32LE, H5T_NATIVE_INT32, &not_run, 2, dims, sc, "1",
                          "-1 not run, 0 ok, 1 failed, 2 input rejected by the scenario")) >= 0 &&
      (o->steps = so_var(g, "steps", H5T_STD_I32LE, H5T_NATIVE_INT32, &zero, 2, dims, sc, "steps",
                         "steps simulated")) >= 0 &&
      (o->message = so_var(g, "message", st, st, NULL, 2, dims, sc, "1",
                           "why a run failed (empty when it did not)")) >= 0 &&
      so_messages(sw, o->message) == 0)
    rc = 0;
  close_all(sc, 2);
  h5u_close(&seed);
  h5u_close(&st);
  h5u_close(&g);
  return rc;
}

static const char *metric_cell(const sweep_metric *m, char *buf, size_t len) {
  if (m->group == SERIES_INDUSTRY_REGION)
    snprintf(buf, len, "%s/%s", m->industry, m->region);
  else
    snprintf(buf, len, "%s",
             m->group == SERIES_INDUSTRY ? m->industry
             : m->group == SERIES_REGION ? m->region
                                         : "");
  return buf;
}

/* Per-metric descriptions along the metric scale SC. */
static int so_metric_info(const sweep *sw, hid_t g, hid_t sc) {
  size_t n = sw->n_metrics;
  const char **v[4];
  char *cells = calloc(n, 256);
  double *w[2] = {calloc(n, sizeof(double)), calloc(n, sizeof(double))};
  int rc = cells && w[0] && w[1] ? 0 : -1;
  for (int i = 0; i < 4; i++) v[i] = calloc(n, sizeof(char *)), rc |= v[i] ? 0 : -1;
  for (size_t k = 0; rc == 0 && k < n; k++) {
    const sweep_metric *m = &sw->s.metrics[k];
    v[0][k] = m->series, v[1][k] = runfile_group_names[m->group];
    v[2][k] = metric_cell(m, cells + 256 * k, 256), v[3][k] = metric_stat_names[m->statistic];
    w[0][k] = m->from, w[1][k] = m->to < 0 ? sw->base_steps - 1 : m->to;
  }
  static const char *const names[] = {"series", "level", "cell", "statistic"};
  static const char *const docs[] = {"series of the run", "level of the series",
                                     "industry and/or region id", "statistic over the window"};
  for (int i = 0; rc == 0 && i < 4; i++) {
    hid_t d = so_strings(g, names[i], v[i], n, docs[i], 0);
    rc = d >= 0 ? so_attach(d, &sc, 1, names[i]) : -1;
    h5u_close(&d);
  }
  for (int i = 0; rc == 0 && i < 2; i++) {
    hid_t d = so_doubles(g, i ? "to" : "from", w[i], n, "step",
                         i ? "last step of the window" : "first step of the window", 0);
    rc = d >= 0 ? so_attach(d, &sc, 1, "window") : -1;
    h5u_close(&d);
  }
  for (int i = 0; i < 4; i++) free(v[i]);
  free(cells), free(w[0]), free(w[1]);
  return rc;
}

static hid_t so_metric_scale(const sweep *sw, hid_t g) {
  const char **names = calloc(sw->n_metrics, sizeof *names);
  for (size_t k = 0; names && k < sw->n_metrics; k++) names[k] = sw->s.metrics[k].name;
  hid_t d = names ? so_strings(g, "metric", names, sw->n_metrics, "metric name", 1) : -1;
  free(names);
  return d;
}

static int so_results(sweepout *o) {
  const sweep *sw = o->sw;
  hid_t g = h5u_mkgroup(o->root, "results"), sc[3] = {-1, -1, -1};
  hsize_t dims[3] = {sw->n_points, sw->n_reps, sw->n_metrics};
  double nan = NAN;
  int rc = -1;
  if (g >= 0 && (sc[0] = so_scale_index(g, "point", sw->n_points, "design point")) >= 0 &&
      (sc[1] = so_scale_index(g, "replicate", sw->n_reps, "replicate")) >= 0 &&
      (sc[2] = so_metric_scale(sw, g)) >= 0 &&
      (o->value = so_var(g, "value", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &nan, 3, dims, sc, "",
                         "metric of each run (NaN: not run, failed or undefined)")) >= 0 &&
      so_metric_info(sw, g, sc[2]) == 0)
    rc = 0;
  close_all(sc, 3);
  h5u_close(&g);
  return rc;
}

static int so_summary(sweepout *o) {
  const sweep *sw = o->sw;
  hid_t g = h5u_mkgroup(o->root, "summary"), sc[3] = {-1, -1, -1};
  hsize_t dims[3] = {sw->n_points, sw->n_metrics, SWEEPOUT_NQ};
  double nan = NAN;
  int32_t zero = 0;
  int rc = g >= 0 && (sc[0] = so_scale_index(g, "point", sw->n_points, "design point")) >= 0 &&
                   (sc[1] = so_metric_scale(sw, g)) >= 0 &&
                   (sc[2] = so_doubles(g, "quantile", sweepout_quantiles, SWEEPOUT_NQ, "1",
                                       "probability of the quantile", 1)) >= 0
               ? 0
               : -1;
  static const char *const names[] = {"mean", "sd", "se", "ci_low", "ci_high"};
  static const char *const docs[] = {
      "mean over replicates", "standard deviation over replicates (n - 1)",
      "standard error of the mean", "lower end of the t confidence interval of the mean",
      "upper end of the t confidence interval of the mean"};
  so_var_close(&rc, g, "n", H5T_STD_I32LE, H5T_NATIVE_INT32, &zero, 2, dims, sc, "runs",
               "replicates with a finite value");
  for (int i = 0; i < 5; i++)
    so_var_close(&rc, g, names[i], H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &nan, 2, dims, sc, "",
                 docs[i]);
  so_var_close(&rc, g, "quantiles", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &nan, 3, dims, sc, "",
               "quantiles over replicates (type 7)");
  if (sw->s.analysis.target_ci > 0)
    so_var_close(&rc, g, "replicates_needed", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &nan, 2, dims, sc,
                 "runs", "replicates for a CI half-width of target_ci x |mean|");
  close_all(sc, 3);
  h5u_close(&g);
  return rc;
}

/* Scales metric, parameter (and parameter_2 when SECOND) of group G. */
static int so_index_scales(const sweep *sw, hid_t g, hid_t *sc, int second) {
  const char **names = calloc(sw->n_params, sizeof *names);
  for (size_t k = 0; names && k < sw->n_params; k++) names[k] = sw->s.params[k].name;
  int rc =
      names && (sc[0] = so_metric_scale(sw, g)) >= 0 &&
              (sc[1] = so_strings(g, "parameter", names, sw->n_params, "parameter name", 1)) >= 0 &&
              (!second || (sc[2] = so_strings(g, "parameter_2", names, sw->n_params,
                                              "second parameter of a pair", 1)) >= 0)
          ? 0
          : -1;
  free(names);
  return rc;
}

static int so_indices(hid_t g, const sweep *sw, const char *const *names, const char *const *docs,
                      int n, int second) {
  hid_t sc[3] = {-1, -1, -1};
  hsize_t dims[3] = {sw->n_metrics, sw->n_params, sw->n_params};
  double nan = NAN;
  int rc = so_index_scales(sw, g, sc, second);
  for (int i = 0; i < n; i++)
    so_var_close(&rc, g, names[i], H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &nan, 2, dims, sc, "1",
                 docs[i]);
  if (second) {
    so_var_close(&rc, g, "S2", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &nan, 3, dims, sc, "1",
                 "second-order Sobol' index of (parameter, parameter_2), upper triangle");
    so_var_close(&rc, g, "S2_conf", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &nan, 3, dims, sc, "1",
                 "bootstrap confidence half-width of S2");
  }
  close_all(sc, 3);
  return rc;
}

static int so_analysis(sweepout *o) {
  static const char *const sobol[] = {"S1", "S1_conf", "ST", "ST_conf"};
  static const char *const sobol_doc[] = {
      "first-order Sobol' index (Saltelli 2010)", "bootstrap confidence half-width of S1",
      "total Sobol' index (Jansen)", "bootstrap confidence half-width of ST"};
  static const char *const morris[] = {"mu", "mu_star", "sigma", "mu_star_conf"};
  static const char *const morris_doc[] = {
      "mean elementary effect (per unit of the [0, 1] coordinate)",
      "mean absolute elementary effect", "standard deviation of the elementary effects",
      "bootstrap confidence half-width of mu_star"};
  int method = o->sw->s.design.method, rc = 0;
  if (method != SWEEP_SOBOL && method != SWEEP_MORRIS) return 0;
  hid_t a = h5u_mkgroup(o->root, "analysis"), g = -1;
  if (a < 0 || (g = h5u_mkgroup(a, method == SWEEP_SOBOL ? "sobol" : "morris")) < 0)
    rc = -1;
  else if (method == SWEEP_SOBOL)
    rc = so_indices(g, o->sw, sobol, sobol_doc, 4, o->sw->s.design.second_order);
  else
    rc = so_indices(g, o->sw, morris, morris_doc, 4, 0);
  h5u_close(&g);
  h5u_close(&a);
  return rc;
}

/* ---- public ------------------------------------------------------------- */

static void so_destroy(sweepout *o) {
  hid_t ids[] = {o->value, o->status, o->steps, o->message, o->root, o->file};
  close_all(ids, 6);
  atomic_file_release(&o->af); /* an unfinished file stays as PATH.partial */
  free(o);
}

sweepout *sweepout_create(const sweep *sw, const char *path, char *err, size_t errlen) {
  sweepout *o = calloc(1, sizeof *o);
  h5u_quiet();
  if (!o) return snprintf(err, errlen, "out of memory"), NULL;
  o->sw = sw;
  o->file = o->root = o->value = o->status = o->steps = o->message = H5I_INVALID_HID;
  /* an existing PATH is the session's business (sweep_session.c): replaced */
  if (atomic_file_begin(&o->af, path, AF_FORCE) < 0) {
    snprintf(err, errlen, "%s", o->af.msg);
    so_destroy(o);
    return NULL;
  }
  o->path = o->af.path;
  o->partial = o->af.tmp;
  if (so_file(o) == 0 && so_text(o->root, "sweep", sw->resolved, "resolved sweep file") == 0 &&
      so_text(o->root, "scenario", sw->base_yaml, "resolved base scenario") == 0 &&
      so_design(o) == 0 && so_runs(o) == 0 && so_results(o) == 0 && so_summary(o) == 0 &&
      so_analysis(o) == 0) {
    return o;
  }
  h5u_copyerr(err, errlen);
  so_destroy(o);
  return NULL;
}

int sweepout_record(sweepout *o, const sweep_result *r) {
  size_t p = r->run / o->sw->n_reps, k = r->run % o->sw->n_reps;
  hsize_t start[3] = {p, k, 0}, count[3] = {1, 1, o->sw->n_metrics};
  const char *msg = r->message;
  int rc = so_box(o->value, H5T_NATIVE_DOUBLE, 3, start, count, r->metrics, 0);
  if (rc == 0) rc = so_box(o->status, H5T_NATIVE_INT32, 2, start, count, &r->status, 0);
  if (rc == 0) rc = so_box(o->steps, H5T_NATIVE_INT32, 2, start, count, &r->steps, 0);
  if (rc == 0 && msg[0]) {
    hid_t st = h5u_vlen_str_type();
    rc = st >= 0 ? so_box(o->message, st, 2, start, count, &msg, 0) : -1;
    h5u_close(&st);
  }
  return rc;
}

int sweepout_flush(sweepout *o) {
  if (H5Fflush(o->file, H5F_SCOPE_GLOBAL) < 0) {
    h5u_h5err("%s: flush", o->partial);
    return -1;
  }
  return 0;
}

int sweepout_read_metric(sweepout *o, size_t m, double *buf) {
  hsize_t start[3] = {0, 0, m}, count[3] = {o->sw->n_points, o->sw->n_reps, 1};
  return so_box(o->value, H5T_NATIVE_DOUBLE, 3, start, count, buf, 1);
}

/* Write COUNT values of dataset PATH at START (rank RANK). */
static int so_put(sweepout *o, const char *path, hid_t mt, int rank, const hsize_t *start,
                  const hsize_t *count, const void *buf) {
  hid_t d = H5Dopen2(o->root, path, H5P_DEFAULT);
  int rc = d >= 0 ? so_box(d, mt, rank, start, count, buf, 0) : -1;
  if (d < 0) h5u_h5err("opening %s", path);
  h5u_close(&d);
  return rc;
}

int sweepout_put_summary(sweepout *o, size_t m, const sweepout_summary *s) {
  hsize_t start[3] = {0, m, 0}, count[3] = {o->sw->n_points, 1, SWEEPOUT_NQ};
  const double *v[] = {s->mean, s->sd, s->se, s->ci_low, s->ci_high};
  static const char *const names[] = {"summary/mean", "summary/sd", "summary/se", "summary/ci_low",
                                      "summary/ci_high"};
  int rc = so_put(o, "summary/n", H5T_NATIVE_INT32, 2, start, count, s->n);
  for (int i = 0; rc == 0 && i < 5; i++)
    rc = so_put(o, names[i], H5T_NATIVE_DOUBLE, 2, start, count, v[i]);
  if (rc == 0)
    rc = so_put(o, "summary/quantiles", H5T_NATIVE_DOUBLE, 3, start, count, s->quantiles);
  if (rc == 0 && s->replicates_needed && o->sw->s.analysis.target_ci > 0)
    rc = so_put(o, "summary/replicates_needed", H5T_NATIVE_DOUBLE, 2, start, count,
                s->replicates_needed);
  return rc;
}

static int so_put_row(sweepout *o, const char *path, size_t m, const double *v) {
  hsize_t start[2] = {m, 0}, count[2] = {1, o->sw->n_params};
  return v ? so_put(o, path, H5T_NATIVE_DOUBLE, 2, start, count, v) : 0;
}

int sweepout_put_sobol(sweepout *o, size_t m, const sens_sobol_out *s) {
  hsize_t start[3] = {m, 0, 0}, count[3] = {1, o->sw->n_params, o->sw->n_params};
  int rc = so_put_row(o, "analysis/sobol/S1", m, s->S1);
  if (rc == 0) rc = so_put_row(o, "analysis/sobol/S1_conf", m, s->S1_conf);
  if (rc == 0) rc = so_put_row(o, "analysis/sobol/ST", m, s->ST);
  if (rc == 0) rc = so_put_row(o, "analysis/sobol/ST_conf", m, s->ST_conf);
  if (rc == 0 && o->sw->s.design.second_order && s->S2)
    rc = so_put(o, "analysis/sobol/S2", H5T_NATIVE_DOUBLE, 3, start, count, s->S2);
  if (rc == 0 && o->sw->s.design.second_order && s->S2_conf)
    rc = so_put(o, "analysis/sobol/S2_conf", H5T_NATIVE_DOUBLE, 3, start, count, s->S2_conf);
  return rc;
}

int sweepout_put_morris(sweepout *o, size_t m, const sens_morris_out *s) {
  int rc = so_put_row(o, "analysis/morris/mu", m, s->mu);
  if (rc == 0) rc = so_put_row(o, "analysis/morris/mu_star", m, s->mu_star);
  if (rc == 0) rc = so_put_row(o, "analysis/morris/sigma", m, s->sigma);
  if (rc == 0) rc = so_put_row(o, "analysis/morris/mu_star_conf", m, s->mu_star_conf);
  return rc;
}

int sweepout_attr_str(sweepout *o, const char *name, const char *value) {
  return h5u_put_attr_str(o->root, name, value);
}

int sweepout_attr_i64(sweepout *o, const char *name, int64_t value) {
  return h5u_put_attr_i64(o->root, name, (long long)value);
}

int sweepout_attr_f64(sweepout *o, const char *name, double value) {
  return h5u_put_attr_f64(o->root, name, value);
}

int sweepout_finish(sweepout **op, int complete, char *err, size_t errlen) {
  sweepout *o = op ? *op : NULL;
  int rc = 0;
  if (!o) return 0;
  *op = NULL;
  if (h5u_put_attr_str(o->root, "status", complete ? "complete" : "incomplete") < 0) rc = -1;
  hid_t ids[] = {o->value, o->status, o->steps, o->message, o->root};
  close_all(ids, 5);
  o->value = o->status = o->steps = o->message = o->root = H5I_INVALID_HID;
  if (H5Fclose(o->file) < 0) {
    h5u_h5err("%s: closing", o->partial);
    rc = -1;
  }
  o->file = H5I_INVALID_HID;
  if (rc == 0 && complete && atomic_file_commit(&o->af) != 0) { /* fsync, rename, fsync dir */
    h5u_seterr("%s", o->af.msg);
    rc = -1;
  }
  if (rc != 0) h5u_copyerr(err, errlen);
  so_destroy(o);
  return rc;
}
