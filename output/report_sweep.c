/* report_sweep: the JSON document of a sweep report (`nqpsim report
 * SWEEP.h5`), from a results file of `nqpsim sweep` (drivers/sweepout.h,
 * docs/sweeps.md).
 *
 * Document: {"kind": "sweep", "sweep": {path, file, attrs, yaml, scenario,
 * labels, design, runs, results, summary, analysis}} where every group is
 * copied dataset by dataset ({"shape": [...], "data": [...]}, dimension
 * scales included, so the script finds metric and parameter labels by
 * name), and `labels` maps the base scenario's industry and region ids to
 * their English and Chinese names.
 *
 * Invariants:
 *  - only complete results files (status "complete") with the layout's
 *    texts and groups are reported;
 *  - the groups are read as stored: nothing is recomputed here (summaries,
 *    quantiles, Sobol' and Morris indices come from the sweep's analysis);
 *  - a group a design does not have (analysis/sobol for a grid) is null.
 */
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "output/h5util.h"
#include "output/report_priv.h"
#include "config/scenario.h"

/* The scalar string dataset NAME of FILE as a heap string; NULL if absent. */
static char *rpt_text(hid_t file, const char *name) {
  hid_t d = H5I_INVALID_HID, t = H5I_INVALID_HID, sp = H5I_INVALID_HID;
  char *s = NULL, *out = NULL;
  if (H5Lexists(file, name, H5P_DEFAULT) > 0 && (d = H5Dopen2(file, name, H5P_DEFAULT)) >= 0 &&
      (sp = H5Dget_space(d)) >= 0 && H5Sget_simple_extent_type(sp) == H5S_SCALAR &&
      h5u_vlen_sane(d, 0, 1) && (t = h5u_vlen_str_type()) >= 0 &&
      H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, &s) >= 0) {
    out = strdup(s ? s : "");
    H5Dvlen_reclaim(t, sp, H5P_DEFAULT, &s);
  }
  h5u_close(&sp);
  h5u_close(&t);
  h5u_close(&d);
  H5Eclear2(H5E_DEFAULT);
  return out;
}

/* One `"id": [name, zh]` entry of a label map. */
static void rpt_name_pair(rpt_buf *b, const char *id, int first, const char *name, const char *zh) {
  rpt_json_key(b, id, first);
  rpt_put(b, "[");
  rpt_json_str(b, name);
  rpt_put(b, ",");
  rpt_json_str(b, zh);
  rpt_put(b, "]");
}

/* The base scenario's names: {"industries": {id: [name, zh]}, "regions": ...}. */
static void rpt_scenario_labels(rpt_buf *b, const char *text, const char *path, rpt_warnings *w) {
  scenario s;
  char err[2048], name[1100];
  rpt_put(b, "{");
  snprintf(name, sizeof name, "%s:/scenario", path);
  if (text && scn_load_string(name, text, NULL, 0, &s, NULL, err, sizeof err) == 0) {
    rpt_json_key(b, "industries", 1);
    rpt_put(b, "{");
    for (int i = 0; i < s.n_industries; i++)
      rpt_name_pair(b, s.industries[i].id, i == 0, s.industries[i].name, s.industries[i].name_zh);
    rpt_put(b, "}");
    rpt_json_key(b, "regions", 0);
    rpt_put(b, "{");
    for (int i = 0; i < s.n_regions; i++)
      rpt_name_pair(b, s.regions[i].id, i == 0, s.regions[i].name, s.regions[i].name_zh);
    rpt_put(b, "}");
    scn_free(&s);
  } else if (text) {
    rpt_warn(w, "%s: cannot load the stored base scenario (%s): ids used as labels", path, err);
  }
  rpt_put(b, "}");
}

/* The stored sweep and scenario texts, and the scenario's labels. */
static void rpt_sweep_texts(rpt_buf *b, hid_t file, const char *path, rpt_warnings *w) {
  char *yaml = rpt_text(file, "sweep"), *scn = rpt_text(file, "scenario");
  rpt_json_key(b, "yaml", 0);
  rpt_json_str(b, yaml);
  rpt_json_key(b, "scenario", 0);
  rpt_json_str(b, scn);
  rpt_json_key(b, "labels", 0);
  rpt_scenario_labels(b, scn, path, w);
  free(yaml);
  free(scn);
}

/* What every results file of `nqpsim sweep` has (drivers/sweepout.c): the
 * resolved sweep and scenario texts and the groups design, runs, results
 * and summary. A file with only the root attributes is not a sweep. */
static int rpt_sweep_layout(hid_t f, const char *path) {
  static const char *const need[] = {"sweep", "scenario", "design", "runs", "results", "summary"};
  for (size_t i = 0; i < sizeof need / sizeof need[0]; i++) {
    H5O_info_t oi;
    int ok = H5Lexists(f, need[i], H5P_DEFAULT) > 0 &&
             H5Oget_info_by_name(f, need[i], &oi, H5P_DEFAULT) >= 0 &&
             oi.type == (i < 2 ? H5O_TYPE_DATASET : H5O_TYPE_GROUP);
    H5Eclear2(H5E_DEFAULT);
    if (!ok) {
      h5u_seterr("%s: not a sweep results file of nqpsim (no %s /%s)", path,
                 i < 2 ? "dataset" : "group", need[i]);
      return -1;
    }
  }
  return 0;
}

static hid_t rpt_sweep_open(const char *path) {
  hid_t f;
  h5u_quiet();
  if ((f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0) {
    h5u_h5err("%s: cannot open (truncated or damaged?)", path);
    return -1;
  }
  if (h5u_check_open(f, path) < 0 || rpt_check_complete(f, path, "sweep") < 0 ||
      rpt_sweep_layout(f, path) < 0) {
    H5Fclose(f);
    return -1;
  }
  return f;
}

int rpt_sweep_json(rpt_buf *b, const char *path, rpt_warnings *w) {
  static const char *const groups[] = {"design", "runs", "results", "summary", "analysis"};
  char *copy = strdup(path);
  hid_t f = rpt_sweep_open(path);
  int rc = 0;
  if (f < 0) {
    free(copy);
    return RPT_BAD_INPUT;
  }
  rpt_put(b, "{\"kind\":\"sweep\",\"sweep\":{");
  rpt_json_key(b, "path", 1);
  rpt_json_str(b, path);
  rpt_json_key(b, "file", 0);
  rpt_json_str(b, copy ? basename(copy) : path);
  rpt_json_key(b, "attrs", 0);
  rpt_json_attrs(b, f);
  rpt_sweep_texts(b, f, path, w);
  for (size_t g = 0; rc == 0 && g < sizeof groups / sizeof groups[0]; g++) {
    rpt_json_key(b, groups[g], 0);
    rc = rpt_json_group(b, f, groups[g], path, w);
  }
  rpt_put(b, "}}");
  H5Fclose(f);
  H5Eclear2(H5E_DEFAULT);
  free(copy);
  if (rc == 0 && b->oom) h5u_seterr("out of memory building the report");
  return rc < 0 ? RPT_BAD_INPUT : b->oom ? RPT_FAILED : RPT_OK;
}
