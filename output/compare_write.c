/* compare_write: the policy-effect table as a human table, CSV or HDF5
 * (see compare.h; layouts in docs/compare.md).
 *
 * Invariants:
 *  - the human table is aligned: the metric, units and every horizon
 *    column have one width over the whole table; undefined values print as
 *    "n/a", never as 0;
 *  - CSV has exactly the columns of cmp_csv_header, one line per (row,
 *    horizon), numbers with 17 significant digits (exact round trip),
 *    undefined values as empty fields, RFC 4180 quoting;
 *  - a file is written as PATH.partial and renamed to PATH only when
 *    complete; a failed write leaves no PATH.partial behind;
 *  - every HDF5 handle is closed on every path.
 */
#include <errno.h>
#include <hdf5_hl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "output/compare.h"
#include "base/atomic_file.h"
#include "output/h5util.h"
#include "sim/observe.h"

#define CMP_FORMAT         "nqpsim-compare"
#define CMP_FORMAT_VERSION 1

static const char cmp_csv_header[] = "metric,group,level,label,horizon_step,base,policy,diff,pct";

/* ---- human table -------------------------------------------------------- */

/* A difference: "0" when exactly zero, "n/a" when undefined. */
static void cmp_fmt_diff(char *buf, size_t len, double d) {
  if (!isfinite(d))
    snprintf(buf, len, "n/a");
  else if (d == 0)
    snprintf(buf, len, "0");
  else
    snprintf(buf, len, "%+.4g", d);
}

/* A percent: "(+1.23%)", small ones in scientific notation, "(n/a)". */
static void cmp_fmt_pct(char *buf, size_t len, double p) {
  if (!isfinite(p))
    snprintf(buf, len, "(n/a)");
  else if (p == 0 || fabs(p) >= 0.01)
    snprintf(buf, len, "(%+.2f%%)", p);
  else
    snprintf(buf, len, "(%+.1e%%)", p);
}

/* Is row R zero or undefined in both runs at every horizon (a level
 * without activity, such as the External region)? */
static int cmp_row_empty(const cmp_table *t, const cmp_row *r) {
  for (size_t h = 0; h < t->n_horizons; h++) {
    double b = r->v[h].base, p = r->v[h].policy;
    if ((isfinite(b) && b != 0) || (isfinite(p) && p != 0)) return 0;
  }
  return 1;
}

typedef struct cmp_widths {
  int name, units, diff, pct, col;
} cmp_widths;

static cmp_widths cmp_measure(const cmp_table *t) {
  cmp_widths w = {6, 5, 1, 1, 0};
  char buf[64];
  for (size_t m = 0; m < t->n_metrics; m++) {
    int n = (int)strlen(t->metrics[m].name), u = (int)strlen(t->metrics[m].units);
    w.name = n > w.name ? n : w.name;
    w.units = u > w.units ? u : w.units;
  }
  for (size_t r = 0; r < t->n_rows; r++)
    for (size_t h = 0; h < t->n_horizons; h++) {
      cmp_fmt_diff(buf, sizeof buf, t->rows[r].v[h].diff);
      w.diff = (int)strlen(buf) > w.diff ? (int)strlen(buf) : w.diff;
      cmp_fmt_pct(buf, sizeof buf, t->rows[r].v[h].pct);
      w.pct = (int)strlen(buf) > w.pct ? (int)strlen(buf) : w.pct;
    }
  w.col = w.diff + 1 + w.pct;
  for (size_t h = 0; h < t->n_horizons; h++) {
    int n = snprintf(buf, sizeof buf, "step %d", t->horizons[h]);
    w.col = n > w.col ? n : w.col;
  }
  return w;
}

static void cmp_print_run(FILE *out, const char *role, const cmp_run_info *r, int width) {
  fprintf(out, "  %-6s  %-*s  (scenario %s, seed %lld, %d steps)\n", role, width, r->path,
          r->scenario, r->seed, r->steps);
}

static void cmp_print_head(const cmp_table *t, FILE *out) {
  fprintf(out, "policy effect: policy - base, and percent of |base|\n");
  int wb = (int)strlen(t->base.path), wp = (int)strlen(t->policy.path), w = wb > wp ? wb : wp;
  cmp_print_run(out, "base", &t->base, w);
  cmp_print_run(out, "policy", &t->policy, w);
  fprintf(out, "  horizons: step");
  for (size_t h = 0; h < t->n_horizons; h++) fprintf(out, "%s %d", h ? "," : "", t->horizons[h]);
  fprintf(out, " (after");
  for (size_t h = 0; h < t->n_horizons; h++)
    fprintf(out, "%s %.4g", h ? "," : "", (t->horizons[h] + 1.0) / t->steps_per_year);
  fprintf(out, " years; %d steps per year)", t->steps_per_year);
  if (t->window > 1)
    fprintf(out, "; values are means over the %d steps ending at each horizon", t->window);
  fprintf(out, "\n");
}

static void cmp_print_columns(const cmp_table *t, const cmp_widths *w, FILE *out) {
  char buf[64];
  fprintf(out, "  %-*s  %-*s", w->name, "metric", w->units, "units");
  for (size_t h = 0; h < t->n_horizons; h++) {
    snprintf(buf, sizeof buf, "step %d", t->horizons[h]);
    fprintf(out, "  %*s", w->col, buf);
  }
  fprintf(out, "\n");
}

static void cmp_print_row(const cmp_table *t, const cmp_row *r, const cmp_widths *w, FILE *out) {
  const cmp_metric *m = &t->metrics[r->metric];
  char d[64], p[64];
  fprintf(out, "  %-*s  %-*s", w->name, m->name, w->units, m->units);
  for (size_t h = 0; h < t->n_horizons; h++) {
    cmp_fmt_diff(d, sizeof d, r->v[h].diff);
    cmp_fmt_pct(p, sizeof p, r->v[h].pct);
    int pad = h + 1 < t->n_horizons ? w->pct : 0; /* no trailing blanks */
    fprintf(out, "  %*s%*s %-*s", w->col - w->diff - 1 - w->pct, "", w->diff, d, pad, p);
  }
  fprintf(out, "\n");
}

static int cmp_same_level(const cmp_row *a, const cmp_row *b) {
  return a->group == b->group && strcmp(a->level, b->level) == 0;
}

/* "kind means are weighted by their denominators: tfp, digital by firms; ..." */
static void cmp_print_weights(const cmp_table *t, FILE *out) {
  int any = 0;
  if (!(t->by & CMP_BY(CMP_KIND))) return;
  for (size_t m = 0; m < t->n_metrics; m++) {
    const char *w = t->metrics[m].weight;
    int first = 1;
    if (t->metrics[m].agg != OBS_AGG_MEAN || !w) continue;
    for (size_t k = 0; k < m && first; k++)
      first = !(t->metrics[k].agg == OBS_AGG_MEAN && t->metrics[k].weight &&
                strcmp(t->metrics[k].weight, w) == 0);
    if (!first) continue;
    fprintf(out, "%s",
            any ? "; "
                : "kind: sums add up over the kind's industries; means are "
                  "weighted by their denominator at the same step: ");
    for (size_t k = m, n = 0; k < t->n_metrics; k++)
      if (t->metrics[k].agg == OBS_AGG_MEAN && t->metrics[k].weight &&
          strcmp(t->metrics[k].weight, w) == 0)
        fprintf(out, "%s%s", n++ ? ", " : "", t->metrics[k].name);
    fprintf(out, " by %s", w);
    any = 1;
  }
  if (any) fprintf(out, "\n");
}

int cmp_print(const cmp_table *t, FILE *out) {
  cmp_widths w = cmp_measure(t);
  size_t empty = 0;
  const cmp_row *prev = NULL;
  cmp_print_head(t, out);
  for (size_t i = 0; i < t->n_rows; i++) {
    const cmp_row *r = &t->rows[i];
    if (cmp_row_empty(t, r)) {
      empty++;
      continue;
    }
    if (!prev || !cmp_same_level(prev, r)) {
      fprintf(out, "\n%s %s", cmp_group_names[r->group], r->level);
      if (strcmp(r->level, r->label) != 0) fprintf(out, " (%s)", r->label);
      fputc('\n', out);
      cmp_print_columns(t, &w, out);
    }
    cmp_print_row(t, r, &w, out);
    prev = r;
  }
  fprintf(out, "\nn/a: undefined, or a percent of a zero or undefined base.\n");
  cmp_print_weights(t, out);
  if (empty)
    fprintf(out,
            "%zu rows zero or undefined in both runs (no activity, e.g. External) not shown.\n",
            empty);
  fflush(out);
  return ferror(out) ? -1 : 0;
}

/* ---- CSV ---------------------------------------------------------------- */

static void cmp_csv_str(FILE *out, const char *s) {
  if (!strpbrk(s, ",\"\r\n")) {
    fputs(s, out);
    return;
  }
  fputc('"', out);
  for (; *s; s++) {
    if (*s == '"') fputc('"', out);
    fputc(*s, out);
  }
  fputc('"', out);
}

static void cmp_csv_num(FILE *out, double v) {
  if (isfinite(v)) fprintf(out, "%.17g", v);
}

int cmp_write_csv(const cmp_table *t, FILE *out) {
  fprintf(out, "%s\n", cmp_csv_header);
  for (size_t i = 0; i < t->n_rows; i++) {
    const cmp_row *r = &t->rows[i];
    for (size_t h = 0; h < t->n_horizons; h++) {
      cmp_csv_str(out, t->metrics[r->metric].name);
      fprintf(out, ",%s,", cmp_group_names[r->group]);
      cmp_csv_str(out, r->level);
      fputc(',', out);
      cmp_csv_str(out, r->label);
      fprintf(out, ",%d,", t->horizons[h]);
      cmp_csv_num(out, r->v[h].base);
      fputc(',', out);
      cmp_csv_num(out, r->v[h].policy);
      fputc(',', out);
      cmp_csv_num(out, r->v[h].diff);
      fputc(',', out);
      cmp_csv_num(out, r->v[h].pct);
      fputc('\n', out);
    }
  }
  fflush(out);
  return ferror(out) ? -1 : 0;
}

/* The CSV into the temporary of AF (opened with AF_FD). */
static int cmp_write_csv_file(const cmp_table *t, atomic_file *af) {
  FILE *f = atomic_file_stream(af);
  if (!f) return h5u_seterr("%s", af->msg), -1;
  if (cmp_write_csv(t, f) < 0)
    return h5u_seterr("%s: write error: %s", af->tmp, strerror(errno)), -1;
  return 0;
}

/* ---- HDF5 --------------------------------------------------------------- */

/* Columns of the HDF5 table, one 1-D dataset each along `row`. */
typedef enum { COL_STR, COL_INT, COL_F64 } cmp_col_type;
typedef struct cmp_col {
  const char *name, *units, *doc;
  cmp_col_type type;
} cmp_col;

static const cmp_col cmp_cols[] = {
    {"metric", "1", "series name (see the run files)", COL_STR},
    {"units", "1", "units of base, policy and diff", COL_STR},
    {"group", "1", "level kind: economy, kind, region or industry", COL_STR},
    {"level", "1", "level id: all, technology, labour, a region or industry id", COL_STR},
    {"label", "1", "level display name", COL_STR},
    {"horizon_step", "step", "step compared (0-based, the step coordinate of the runs)", COL_INT},
    {"base", "see units", "value in the base run", COL_F64},
    {"policy", "see units", "value in the policy run", COL_F64},
    {"diff", "see units", "policy - base", COL_F64},
    {"pct", "%", "100 (policy - base) / |base|; NaN when base is 0 or NaN", COL_F64},
};
#define CMP_NCOLS (sizeof cmp_cols / sizeof cmp_cols[0])

/* Value of string column C at table line I (row I / nh, horizon I % nh). */
static const char *cmp_col_str(const cmp_table *t, size_t c, size_t i) {
  const cmp_row *r = &t->rows[i / t->n_horizons];
  switch (c) {
  case 0:
    return t->metrics[r->metric].name;
  case 1:
    return t->metrics[r->metric].units;
  case 2:
    return cmp_group_names[r->group];
  case 3:
    return r->level;
  default:
    return r->label;
  }
}

static double cmp_col_f64(const cmp_table *t, size_t c, size_t i) {
  const cmp_value *v = &t->rows[i / t->n_horizons].v[i % t->n_horizons];
  double x[4] = {v->base, v->policy, v->diff, v->pct};
  return x[c - 6];
}

/* Fill BUF (N elements of the column's memory type) with column C. */
static void cmp_col_fill(const cmp_table *t, size_t c, size_t n, void *buf) {
  for (size_t i = 0; i < n; i++) {
    if (cmp_cols[c].type == COL_STR)
      ((const char **)buf)[i] = cmp_col_str(t, c, i);
    else if (cmp_cols[c].type == COL_INT)
      ((int32_t *)buf)[i] = t->horizons[i % t->n_horizons];
    else
      ((double *)buf)[i] = cmp_col_f64(t, c, i);
  }
}

static hid_t cmp_h5_dataset(hid_t file, const char *name, hid_t type, hsize_t n, const void *buf,
                            hid_t memtype, const char *units, const char *doc) {
  hid_t sp = H5Screate_simple(1, &n, NULL), dcpl = h5u_dcpl(), d = -1;
  if (sp < 0 || dcpl < 0 ||
      (d = H5Dcreate2(file, name, type, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT)) < 0 ||
      (n > 0 && H5Dwrite(d, memtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) ||
      h5u_describe(d, units, doc) < 0) {
    h5u_h5err("writing %s", name);
    h5u_close(&d);
  }
  h5u_close(&dcpl);
  h5u_close(&sp);
  return d;
}

static int cmp_h5_column(hid_t file, hid_t row, const cmp_table *t, size_t c, size_t n) {
  size_t sz = cmp_cols[c].type == COL_STR   ? sizeof(char *)
              : cmp_cols[c].type == COL_INT ? sizeof(int32_t)
                                            : sizeof(double);
  void *buf = malloc((n ? n : 1) * sz);
  hid_t st = h5u_vlen_str_type(), d = -1;
  hid_t ft = cmp_cols[c].type == COL_STR   ? st
             : cmp_cols[c].type == COL_INT ? H5T_STD_I32LE
                                           : H5T_IEEE_F64LE;
  hid_t mt = cmp_cols[c].type == COL_STR   ? st
             : cmp_cols[c].type == COL_INT ? H5T_NATIVE_INT32
                                           : H5T_NATIVE_DOUBLE;
  int rc = -1;
  if (!buf || st < 0) {
    h5u_seterr("out of memory");
    goto cleanup;
  }
  cmp_col_fill(t, c, n, buf);
  d = cmp_h5_dataset(file, cmp_cols[c].name, ft, n, buf, mt, cmp_cols[c].units, cmp_cols[c].doc);
  if (d >= 0 && h5u_attach(d, row, 0, cmp_cols[c].name) == 0) rc = 0;
cleanup:
  h5u_close(&d);
  h5u_close(&st);
  free(buf);
  return rc;
}

static int cmp_h5_attrs(hid_t file, const cmp_table *t) {
  return h5u_put_attr_str(file, "format", CMP_FORMAT) < 0 ||
                 h5u_put_attr_i64(file, "format_version", CMP_FORMAT_VERSION) < 0 ||
                 h5u_put_attr_str(file, "base", t->base.path) < 0 ||
                 h5u_put_attr_str(file, "policy", t->policy.path) < 0 ||
                 h5u_put_attr_i64(file, "base_seed", t->base.seed) < 0 ||
                 h5u_put_attr_i64(file, "policy_seed", t->policy.seed) < 0 ||
                 h5u_put_attr_i64(file, "steps_per_year", t->steps_per_year) < 0 ||
                 h5u_put_attr_i64(file, "compared_steps", t->steps) < 0 ||
                 h5u_put_attr_i64(file, "window", t->window) < 0 ||
                 h5u_put_attr_str(file, "definition",
                                  "diff = policy - base; pct = 100 (policy - base) / |base|, "
                                  "NaN when base is 0 or NaN; window > 1: means over the "
                                  "window steps ending at horizon_step") < 0
             ? -1
             : 0;
}

/* The `row` dimension scale: 0 .. N-1. */
static hid_t cmp_h5_rows(hid_t file, size_t n) {
  int64_t *idx = malloc((n ? n : 1) * sizeof *idx);
  hid_t d = -1;
  if (!idx) return h5u_seterr("out of memory"), -1;
  for (size_t i = 0; i < n; i++) idx[i] = (int64_t)i;
  d = cmp_h5_dataset(file, "row", H5T_STD_I64LE, n, idx, H5T_NATIVE_INT64, "1",
                     "table line: one (metric, level, horizon)");
  if (d >= 0 && h5u_set_scale(d, "row") < 0) h5u_close(&d);
  free(idx);
  return d;
}

static int cmp_write_h5_file(const cmp_table *t, const char *partial) {
  int rc = -1;
  size_t n;
  hid_t f = -1, row = -1;
  if (h5u_mul(t->n_rows, t->n_horizons, &n) < 0) return h5u_seterr("table too large"), -1;
  if ((f = h5u_create_file(partial, H5F_ACC_TRUNC)) < 0) goto cleanup;
  if (cmp_h5_attrs(f, t) < 0 || (row = cmp_h5_rows(f, n)) < 0) goto cleanup;
  for (size_t c = 0; c < CMP_NCOLS; c++)
    if (cmp_h5_column(f, row, t, c, n) < 0) goto cleanup;
  rc = 0;
cleanup:
  h5u_close(&row);
  if (f >= 0 && H5Fclose(f) < 0 && rc == 0) {
    h5u_h5err("%s: closing", partial);
    rc = -1;
  }
  return rc;
}

/* ---- entry -------------------------------------------------------------- */

static int cmp_ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n > k && strcasecmp(s + n - k, suffix) == 0;
}

int cmp_write(const cmp_table *t, const char *path, char *err, size_t errlen) {
  int csv = cmp_ends_with(path, ".csv"), rc;
  int h5 = cmp_ends_with(path, ".h5") || cmp_ends_with(path, ".hdf5");
  atomic_file af;
  if (!csv && !h5) {
    h5u_seterr("%s: unknown table format: the name must end in .csv, .h5 or .hdf5", path);
    h5u_copyerr(err, errlen);
    return CMP_BAD_INPUT;
  }
  h5u_quiet();
  /* PATH.partial, fsynced and renamed over PATH (an existing table is
   * replaced); CSV through the module's stream, HDF5 by name */
  if ((rc = atomic_file_begin(&af, path, AF_FORCE | (csv ? AF_FD : 0))) < 0)
    h5u_seterr("%s", af.msg);
  else
    rc = csv ? cmp_write_csv_file(t, &af) : cmp_write_h5_file(t, af.tmp);
  if (rc == 0 && (rc = atomic_file_commit(&af)) != 0) h5u_seterr("%s", af.msg);
  if (rc != 0) h5u_copyerr(err, errlen);
  atomic_file_abort(&af); /* a failed write leaves no PATH.partial */
  return rc == 0 ? CMP_OK : CMP_FAILED;
}
