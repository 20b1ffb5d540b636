/* report: `nqpsim report` (output/report.h): checks the inputs and the
 * output, builds the JSON document (report_run.c, report_sweep.c) and
 * writes the self-contained HTML page atomically.
 *
 * The page: the style sheet, the JSON document in a
 * <script type="application/json" id="nqp-data"> element, Apache ECharts
 * and report/report.js, all inline; the script renders everything. No
 * external URL appears in the page, so it works offline.
 *
 * Invariants:
 *  - the kind of each input is read from its root attribute `format`
 *    ("nqpsim-run" or "nqpsim-sweep"); one sweep file, or one or more run
 *    files, never a mix;
 *  - OUT must end in .html or .htm, must not be an input, and its directory
 *    must exist and be writable (else RPT_BAD_INPUT, nothing written);
 *  - the page is written to OUT.partial, fsync'ed and renamed
 *    (base/atomic_file.h): a file under the name OUT is always a complete
 *    report; a failure removes .partial;
 *  - an inlined asset never contains "</script" (escaped as "<\/script");
 *  - everything read from the inputs shares one read budget
 *    (h5u_budget_reset/h5u_budget_take, output/h5util.h).
 */
#include "output/report.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/atomic_file.h"
#include "output/h5util.h"
#include "output/report_assets.h"
#include "output/report_priv.h"
#include "output/runfile.h"
#include "base/buildinfo.h"

int rpt_available(void) {
  return rpt_assets_built;
}

void rpt_result_free(rpt_result *res) {
  if (!res) return;
  for (size_t i = 0; i < res->w.n; i++) free(res->w.v[i]);
  free(res->w.v);
  memset(&res->w, 0, sizeof res->w);
}

/* ---- inputs ------------------------------------------------------------- */

/* The kind of the file PATH: 0 run, 1 sweep, -1 bad input (message set). */
static int rpt_file_kind(const char *path) {
  struct stat st;
  hid_t f;
  char *format;
  int kind = -1;
  if (stat(path, &st) < 0) return h5u_seterr("%s: %s", path, strerror(errno)), -1;
  if (S_ISDIR(st.st_mode)) return h5u_seterr("%s: is a directory", path), -1;
  h5u_quiet();
  if (H5Fis_hdf5(path) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    return h5u_seterr("%s: not an HDF5 file (expected a run or sweep file of nqpsim)", path), -1;
  }
  if ((f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0) {
    h5u_h5err("%s: cannot open (truncated or damaged?)", path);
    return -1;
  }
  if (h5u_check_open(f, path) < 0) { /* before the first string is read */
    H5Fclose(f);
    return -1;
  }
  format = h5u_get_attr_str(f, "format");
  if (format && !strcmp(format, RUNFILE_FORMAT))
    kind = RPT_RUNS;
  else if (format && !strcmp(format, "nqpsim-sweep"))
    kind = RPT_SWEEP;
  else if (format && !strcmp(format, "nqpsim-compare"))
    h5u_seterr("%s: a comparison table (nqpsim compare -o), not a run: give the two run files "
               "to nqpsim report instead",
               path);
  else
    h5u_seterr("%s: not an nqpsim run or sweep file (root attribute format is %s%s%s)", path,
               format ? "\"" : "", format ? format : "missing", format ? "\"" : "");
  free(format);
  H5Fclose(f);
  H5Eclear2(H5E_DEFAULT);
  return kind;
}

static int rpt_inputs_kind(const char *const *inputs, size_t n, rpt_kind *kind) {
  int sweeps = 0;
  for (size_t i = 0; i < n; i++) {
    int k = rpt_file_kind(inputs[i]);
    if (k < 0) return -1;
    sweeps += k == RPT_SWEEP;
  }
  if (sweeps && n > 1) {
    h5u_seterr("a sweep report takes one sweep file, found %zu files (%d sweep%s)", n, sweeps,
               sweeps == 1 ? "" : "s");
    return -1;
  }
  *kind = sweeps ? RPT_SWEEP : RPT_RUNS;
  return 0;
}

/* ---- output checks ------------------------------------------------------ */

static int rpt_same_file(const char *a, const char *b) {
  struct stat x, y;
  return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

static int rpt_check_output(const char *out, const char *const *inputs, size_t n) {
  size_t len = strlen(out);
  char *copy;
  const char *dir;
  struct stat st;
  int ok;
  if (!((len > 5 && !strcasecmp(out + len - 5, ".html")) ||
        (len > 4 && !strcasecmp(out + len - 4, ".htm"))))
    return h5u_seterr("-o %s: the report's name must end in .html or .htm", out), -1;
  for (size_t i = 0; i < n; i++)
    if (rpt_same_file(out, inputs[i]))
      return h5u_seterr("-o %s: that is one of the input files", out), -1;
  if (stat(out, &st) == 0 && S_ISDIR(st.st_mode))
    return h5u_seterr("-o %s: is a directory", out), -1;
  if (!(copy = strdup(out))) return h5u_seterr("out of memory"), -1;
  dir = dirname(copy);
  ok = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
  if (!ok) {
    h5u_seterr("-o %s: directory %s does not exist", out, dir);
  } else if (access(dir, W_OK | X_OK) != 0) {
    h5u_seterr("-o %s: directory %s is not writable: %s", out, dir, strerror(errno));
    ok = 0;
  }
  free(copy);
  return ok ? 0 : -1;
}

/* ---- the page ----------------------------------------------------------- */

/* Append ASSET, escaping "</script" (case-insensitive) as "<\/script". */
static void rpt_put_asset(rpt_buf *b, const char *asset) {
  const char *run = asset, *p = asset;
  while ((p = strchr(p, '<'))) {
    if (p[1] == '/' && !strncasecmp(p + 2, "script", 6)) {
      rpt_putn(b, run, (size_t)(p - run) + 1);
      rpt_put(b, "\\");
      run = p + 1;
    }
    p++;
  }
  rpt_put(b, run);
}

/* The page title, as HTML text (the scenario names are plain ids). */
static void rpt_title(rpt_buf *b, rpt_kind kind, size_t n) {
  if (kind == RPT_SWEEP)
    rpt_put(b, "nqpsim sweep report");
  else
    rpt_printf(b, "nqpsim report (%zu run%s)", n, n == 1 ? "" : "s");
}

static void rpt_page(rpt_buf *b, const rpt_buf *json, const rpt_warnings *w, rpt_kind kind,
                     size_t n) {
  rpt_put(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
  rpt_put(b, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
  rpt_printf(b, "<meta name=\"generator\" content=\"nqpsim %s (commit %s), Apache ECharts %s\">\n",
             nqp_build_version, nqp_build_commit, rpt_echarts_version);
  rpt_put(b, "<title>");
  rpt_title(b, kind, n);
  rpt_put(b, "</title>\n<style>\n");
  rpt_put_asset(b, rpt_asset_css);
  rpt_put(b, "</style>\n</head>\n<body>\n<div id=\"app\"><noscript>This report draws its charts "
             "with JavaScript: allow scripts for this file.</noscript></div>\n");
  rpt_put(b, "<script type=\"application/json\" id=\"nqp-data\">");
  rpt_putn(b, json->p, json->n);
  rpt_put(b, "</script>\n<script type=\"application/json\" id=\"nqp-warnings\">[");
  for (size_t i = 0; i < w->n; i++) {
    if (i) rpt_put(b, ",");
    rpt_json_str(b, w->v[i]);
  }
  rpt_put(b, "]</script>\n<script>\n");
  rpt_put_asset(b, rpt_asset_echarts);
  rpt_put(b, "\n</script>\n<script>\n");
  rpt_printf(b, "window.NQP_BUILD = {version: \"%s\", commit: \"%s\", echarts: \"%s\"};\n",
             nqp_build_version, nqp_build_commit, rpt_echarts_version);
  rpt_put_asset(b, rpt_asset_js);
  rpt_put(b, "\n</script>\n</body>\n</html>\n");
}

/* ---- atomic write ------------------------------------------------------- */

/* Write B to OUT through OUT.partial. Returns RPT_OK, RPT_BAD_INPUT (the
 * file cannot be created) or RPT_FAILED (a write error). */
static int rpt_save(const rpt_buf *b, const char *out) {
  atomic_file af;
  int rc = RPT_FAILED;
  if (atomic_file_begin(&af, out, AF_FD | AF_FORCE) < 0) { /* a report is always replaced */
    if (af.stage == AF_CREATE) {
      h5u_seterr("-o %s: cannot create %s: %s", out, af.tmp, strerror(af.err_no));
      rc = RPT_BAD_INPUT;
    } else {
      h5u_seterr("%s", af.msg);
    }
  } else if (atomic_file_write(&af, b->p, b->n) < 0 || atomic_file_commit(&af) < 0) {
    if (af.stage == AF_RENAME)
      h5u_seterr("cannot rename %s to %s: %s", af.tmp, out, strerror(af.err_no));
    else
      h5u_seterr("%s", af.msg);
  } else {
    rc = RPT_OK;
  }
  atomic_file_abort(&af); /* a failure removes OUT.partial */
  return rc;
}

/* ---- entry point -------------------------------------------------------- */

int rpt_write(const char *const *inputs, size_t n, const char *out, rpt_result *res, char *err,
              size_t errlen) {
  rpt_result local;
  rpt_buf json = {0}, page = {0};
  int rc;
  if (!res) res = &local;
  memset(res, 0, sizeof *res);
  h5u_budget_reset(0); /* one budget for everything this report reads */
  if (!rpt_available()) {
    h5u_seterr("this nqpsim was built without report support (-DNQP_REPORT=OFF: no npm at "
               "build time); rebuild with npm installed to get `nqpsim report`");
    rc = RPT_FAILED;
  } else if (n == 0) {
    h5u_seterr("no input file");
    rc = RPT_BAD_INPUT;
  } else if (rpt_inputs_kind(inputs, n, &res->kind) < 0 || rpt_check_output(out, inputs, n) < 0) {
    rc = RPT_BAD_INPUT;
  } else {
    rc = res->kind == RPT_SWEEP ? rpt_sweep_json(&json, inputs[0], &res->w)
                                : rpt_runs_json(&json, inputs, n, &res->w);
  }
  if (rc == RPT_OK) {
    rpt_page(&page, &json, &res->w, res->kind, n);
    if (page.oom) {
      h5u_seterr("out of memory building the report");
      rc = RPT_FAILED;
    } else if ((rc = rpt_save(&page, out)) == RPT_OK) {
      res->bytes = page.n;
    }
  }
  if (rc != RPT_OK) h5u_copyerr(err, errlen);
  rpt_buf_free(&json);
  rpt_buf_free(&page);
  if (res == &local) rpt_result_free(res);
  return rc;
}
