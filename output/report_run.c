/* report_run: the JSON document of a run report (`nqpsim report RUN.h5
 * [RUN2.h5 ...]`), read with the run-file reader output/runfile.h.
 *
 * Document: {"kind": "runs", "runs": [RUN, ...]} where RUN holds the
 * file's provenance attributes, the stored scenario (text, and from it
 * industries and regions with English and Chinese names, industry kinds,
 * input coefficients, shocks and enabled levers), every economy series, a
 * chosen set of industry and region series (transposed: one array over the
 * steps per industry or region), the industry x region inputs received
 * (for the supply-chain chart) and the events. report/report.js reads it.
 *
 * Invariants:
 *  - every run is complete and all runs have the same industry and region
 *    labels and steps_per_year (else RPT_BAD_INPUT naming both files), so
 *    the script may subtract one run from another cell by cell; runs of
 *    different lengths are allowed (the script compares common steps);
 *  - a stored scenario that cannot be loaded is a warning, not an error:
 *    the run is shown with its ids as labels and without input structure;
 *  - series are emitted only when the file has them (older files may lack
 *    some); the script treats a missing series as absent, never as 0.
 */
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "output/runfile.h"
#include "output/h5util.h"
#include "output/report_priv.h"
#include "config/scenario.h"

/* Industry and region series shown in a report (those the file has). */
static const char *const rpt_ind_series[] = {"output",
                                             "value_added",
                                             "sales",
                                             "firms",
                                             "employment_skilled",
                                             "employment_unskilled",
                                             "index_nqp",
                                             "index_tech",
                                             "index_org",
                                             "index_value",
                                             "tfp",
                                             "digital",
                                             "automation",
                                             "data_assets",
                                             "rd",
                                             "innovations",
                                             "licences",
                                             "inputs_received",
                                             "external_inputs",
                                             "external_input_share",
                                             "orders_placed",
                                             "orders_received",
                                             "deliveries",
                                             "unfilled",
                                             "inventory",
                                             "external_fill",
                                             "external_capacity",
                                             "external_orders",
                                             "final_demand",
                                             "credit_granted",
                                             "credit_data_pledged",
                                             "credit_rationed",
                                             "capital",
                                             "shared_capacity",
                                             "legacy_share",
                                             "profit",
                                             "esg",
                                             "energy",
                                             "entries",
                                             "exits",
                                             "subsidies_received",
                                             "scientists_stationed",
                                             NULL};
static const char *const rpt_reg_series[] = {"output",
                                             "value_added",
                                             "firms",
                                             "employment_skilled",
                                             "employment_unskilled",
                                             "index_nqp",
                                             "index_tech",
                                             "index_org",
                                             "index_value",
                                             "tfp",
                                             "digital",
                                             "automation",
                                             "data_assets",
                                             "innovations",
                                             "licences",
                                             "inputs_received",
                                             "external_inputs",
                                             "external_input_share",
                                             "unfilled",
                                             "credit_granted",
                                             "credit_data_pledged",
                                             "credit_rationed",
                                             "capital",
                                             "shared_capacity",
                                             "legacy_share",
                                             "wage_skilled",
                                             "wage_unskilled",
                                             "unemployed_skilled",
                                             "migrated_skilled",
                                             "graduates_retained",
                                             "graduates_left",
                                             "inventions_local",
                                             "inventions_sold_out",
                                             "subsidies_received",
                                             "scientists_stationed",
                                             NULL};

#define RPT_LEVER_DOC(id, key, doc) doc,
static const char *const rpt_lever_docs[LEVER_N] = {SCN_LEVERS(RPT_LEVER_DOC)};
#undef RPT_LEVER_DOC

static const char *const rpt_shock_types[] = {"supply", "demand", "talent", "credit"};

/* ---- labels from the stored scenario ------------------------------------ */

/* Load the run's stored scenario into S when it matches the run's labels.
 * Returns 1 when loaded, 0 (with a warning) when not usable. */
static int rpt_load_scenario(const runfile *r, scenario *s, rpt_warnings *w) {
  char err[2048], name[1100];
  if (!r->scenario) return rpt_warn(w, "%s: no stored scenario: ids used as labels", r->path), 0;
  snprintf(name, sizeof name, "%s:/scenario", r->path);
  if (scn_load_string(name, r->scenario, NULL, 0, s, NULL, err, sizeof err) != 0)
    return rpt_warn(w, "%s: cannot load the stored scenario (%s): ids used as labels", r->path,
                    err),
           0;
  int ok = (size_t)s->n_industries == r->ind.n && (size_t)s->n_regions == r->reg.n;
  for (int i = 0; ok && i < s->n_industries; i++) ok = !strcmp(s->industries[i].id, r->ind.v[i]);
  for (int i = 0; ok && i < s->n_regions; i++) ok = !strcmp(s->regions[i].id, r->reg.v[i]);
  if (!ok) {
    scn_free(s);
    return rpt_warn(w, "%s: the stored scenario does not match the series labels", r->path), 0;
  }
  return 1;
}

static void rpt_json_strlist(rpt_buf *b, char *const *v, int n) {
  rpt_put(b, "[");
  for (int i = 0; i < n; i++) {
    if (i) rpt_put(b, ",");
    rpt_json_str(b, v[i]);
  }
  rpt_put(b, "]");
}

static void rpt_industry(rpt_buf *b, const scn_industry *ind) {
  rpt_put(b, "{");
  rpt_json_key(b, "id", 1);
  rpt_json_str(b, ind->id);
  rpt_json_key(b, "name", 0);
  rpt_json_str(b, ind->name);
  rpt_json_key(b, "zh", 0);
  rpt_json_str(b, ind->name_zh);
  rpt_json_key(b, "kind", 0);
  rpt_json_str(b, ind->kind == SCN_KIND_TECH ? "technology" : "labour");
  rpt_json_key(b, "inputs", 0);
  rpt_put(b, "{");
  for (int k = 0; k < ind->n_inputs; k++) {
    rpt_json_key(b, ind->inputs[k].key, k == 0);
    rpt_json_num(b, ind->inputs[k].value);
  }
  rpt_put(b, "}}");
}

static void rpt_labels(rpt_buf *b, const runfile *r, const scenario *s) {
  rpt_json_key(b, "industries", 0);
  rpt_put(b, "[");
  for (size_t i = 0; i < r->ind.n; i++) {
    if (i) rpt_put(b, ",");
    if (s) {
      rpt_industry(b, &s->industries[i]);
    } else {
      rpt_put(b, "{\"id\":");
      rpt_json_str(b, r->ind.v[i]);
      rpt_put(b, ",\"inputs\":{}}");
    }
  }
  rpt_put(b, "]");
  rpt_json_key(b, "regions", 0);
  rpt_put(b, "[");
  for (size_t i = 0; i < r->reg.n; i++) {
    int ext = s ? s->regions[i].role == SCN_ROLE_EXTERNAL : !strcmp(r->reg.v[i], "external");
    rpt_printf(b, "%s{\"id\":", i ? "," : "");
    rpt_json_str(b, r->reg.v[i]);
    rpt_put(b, ",\"name\":");
    rpt_json_str(b, s ? s->regions[i].name : NULL);
    rpt_put(b, ",\"zh\":");
    rpt_json_str(b, s ? s->regions[i].name_zh : NULL);
    rpt_printf(b, ",\"external\":%s}", ext ? "true" : "false");
  }
  rpt_put(b, "]");
}

static void rpt_shocks(rpt_buf *b, const scenario *s) {
  rpt_json_key(b, "shocks", 0);
  rpt_put(b, "[");
  for (int i = 0; s && i < s->n_shocks; i++) {
    const scn_shock *k = &s->shocks[i];
    rpt_printf(b, "%s{\"id\":", i ? "," : "");
    rpt_json_str(b, k->id);
    rpt_printf(b,
               ",\"type\":\"%s\",\"start\":%d,\"duration\":%d,\"size\":", rpt_shock_types[k->type],
               k->start, k->duration);
    rpt_json_num(b, k->size);
    rpt_put(b, ",\"industries\":");
    rpt_json_strlist(b, k->industries, k->n_industries);
    rpt_put(b, ",\"regions\":");
    rpt_json_strlist(b, k->regions, k->n_regions);
    rpt_put(b, "}");
  }
  rpt_put(b, "]");
}

static void rpt_levers(rpt_buf *b, const scenario *s) {
  int first = 1;
  rpt_json_key(b, "levers", 0);
  rpt_put(b, "[");
  for (int id = 0; s && id < LEVER_N; id++) {
    const scn_lever *l = scn_lever_get(s, id);
    if (!l || !l->enabled) continue;
    rpt_printf(b, "%s{\"key\":", first ? "" : ",");
    rpt_json_str(b, scn_lever_key(id));
    rpt_put(b, ",\"doc\":");
    rpt_json_str(b, rpt_lever_docs[id]);
    rpt_printf(b, ",\"start\":%d,\"end\":%d,\"budget\":", l->start, l->end);
    rpt_json_num(b, l->budget);
    rpt_put(b, ",\"intensity\":");
    rpt_json_num(b, l->intensity);
    rpt_put(b, ",\"amount\":");
    rpt_json_num(b, l->amount);
    rpt_put(b, ",\"regions\":");
    rpt_json_strlist(b, l->regions, l->n_regions);
    rpt_put(b, ",\"industries\":");
    rpt_json_strlist(b, l->industries, l->n_industries);
    rpt_put(b, "}");
    first = 0;
  }
  rpt_put(b, "]");
}

/* ---- series ------------------------------------------------------------- */

/* "NAME": [units, long_name] into the meta object of a level. */
static void rpt_meta_entry(rpt_buf *b, const runfile *r, int src, const char *name, int first) {
  char *u = runfile_attr(r, src, name, "units"), *l = runfile_attr(r, src, name, "long_name");
  rpt_json_key(b, name, first);
  rpt_put(b, "[");
  rpt_json_str(b, u ? u : "");
  rpt_put(b, ",");
  rpt_json_str(b, l ? l : name);
  rpt_put(b, "]");
  free(u);
  free(l);
}

/* One level: "KEY": {name: [[cell over steps], ...]} (economy: {name:
 * [steps]}) and the units into META. NAMES NULL-terminated. */
static int rpt_level(rpt_buf *b, rpt_buf *meta, const runfile *r, int src, const char *key,
                     const char *const *names, size_t ncell) {
  int first = 1;
  rpt_json_key(b, key, 0);
  rpt_json_key(meta, key, src == RUNFILE_ECONOMY);
  rpt_put(b, "{");
  rpt_put(meta, "{");
  for (size_t k = 0; names[k]; k++) {
    double *v = NULL;
    int rc = runfile_series(r, src, names[k], r->steps, ncell, &v);
    if (rc < 0) return -1;
    if (rc == 0) continue;
    rpt_json_key(b, names[k], first);
    rpt_meta_entry(meta, r, src, names[k], first);
    if (src == RUNFILE_ECONOMY) {
      rpt_json_nums(b, v, (size_t)r->steps, 1);
    } else {
      rpt_put(b, "[");
      for (size_t c = 0; c < ncell; c++) {
        if (c) rpt_put(b, ",");
        rpt_json_nums(b, v + c, (size_t)r->steps, ncell);
      }
      rpt_put(b, "]");
    }
    free(v);
    first = 0;
  }
  rpt_put(b, "}");
  rpt_put(meta, "}");
  return 0;
}

/* Every economy series of the file, NULL-terminated (caller frees L). */
static int rpt_economy_names(const runfile *r, h5u_strs *l) {
  h5u_strs all = {0};
  int rc = runfile_names(r, &all);
  for (size_t i = 0; rc == 0 && i < all.n; i++)
    if (runfile_has(r, RUNFILE_ECONOMY, all.v[i])) rc = h5u_strs_push(l, all.v[i]);
  h5u_strs_free(&all);
  if (rc == 0 && (rc = h5u_strs_push(l, "")) == 0) { /* room for a NULL terminator */
    free(l->v[--l->n]);
    l->v[l->n] = NULL;
  }
  return rc;
}

static int rpt_series(rpt_buf *b, const runfile *r) {
  rpt_buf meta = {0};
  h5u_strs eco = {0};
  int rc = rpt_economy_names(r, &eco);
  if (rc < 0) h5u_seterr("%s: cannot list the series", r->path);
  if (rc == 0) rc = rpt_level(b, &meta, r, RUNFILE_ECONOMY, "eco", (const char *const *)eco.v, 1);
  if (rc == 0) rc = rpt_level(b, &meta, r, RUNFILE_INDUSTRY, "ind", rpt_ind_series, r->ind.n);
  if (rc == 0) rc = rpt_level(b, &meta, r, RUNFILE_REGION, "reg", rpt_reg_series, r->reg.n);
  if (rc == 0 && !meta.oom) {
    rpt_json_key(b, "meta", 0);
    rpt_put(b, "{");
    rpt_putn(b, meta.p, meta.n);
    rpt_put(b, "}");
  }
  rpt_buf_free(&meta);
  h5u_strs_free(&eco);
  return rc;
}

/* ---- one run ------------------------------------------------------------ */

static void rpt_run_head(rpt_buf *b, const runfile *r, const scenario *s) {
  char *copy = strdup(r->path);
  rpt_put(b, "{");
  rpt_json_key(b, "path", 1);
  rpt_json_str(b, r->path);
  rpt_json_key(b, "file", 0);
  rpt_json_str(b, copy ? basename(copy) : r->path);
  free(copy);
  rpt_json_key(b, "name", 0);
  rpt_json_str(b, r->scenario_name ? r->scenario_name : "?");
  rpt_json_key(b, "description", 0);
  rpt_json_str(b, s ? s->description : NULL);
  rpt_printf(b, ",\"steps\":%d,\"spy\":%lld,\"seed\":%lld", r->steps, r->spy, r->seed);
  rpt_json_key(b, "attrs", 0);
  rpt_json_attrs(b, r->file);
  rpt_json_key(b, "scenario", 0);
  rpt_json_str(b, r->scenario);
}

static int rpt_run(rpt_buf *b, const runfile *r, rpt_warnings *w) {
  scenario s;
  int have = rpt_load_scenario(r, &s, w), rc;
  rpt_run_head(b, r, have ? &s : NULL);
  rpt_labels(b, r, have ? &s : NULL);
  rpt_shocks(b, have ? &s : NULL);
  rpt_levers(b, have ? &s : NULL);
  if (have) scn_free(&s);
  rc = rpt_series(b, r);
  if (rc == 0) {
    rpt_json_key(b, "ir", 0);
    rpt_put(b, "{\"inputs_received\":");
    rc = rpt_json_dataset(b, r->file, "/series/industry_region/inputs_received", r->path, w);
    rpt_put(b, "}");
  }
  if (rc == 0) {
    rpt_json_key(b, "events", 0);
    rc = rpt_json_group(b, r->file, "/events", r->path, w);
  }
  rpt_put(b, "}");
  return rc;
}

/* ---- checks between runs ------------------------------------------------ */

static int rpt_same_labels(const h5u_strs *a, const h5u_strs *b) {
  if (a->n != b->n) return 0;
  for (size_t i = 0; i < a->n; i++)
    if (strcmp(a->v[i], b->v[i]) != 0) return 0;
  return 1;
}

static int rpt_check_pair(const runfile *a, const runfile *b, rpt_warnings *w) {
  if (!rpt_same_labels(&a->ind, &b->ind) || !rpt_same_labels(&a->reg, &b->reg)) {
    h5u_seterr("%s and %s have different industries or regions (runs of different scenario "
               "worlds): a report compares runs of one world; make one report per world",
               a->path, b->path);
    return -1;
  }
  if (a->spy != b->spy) {
    h5u_seterr("%s and %s have different steps_per_year (%lld, %lld)", a->path, b->path, a->spy,
               b->spy);
    return -1;
  }
  if (a->seed != b->seed)
    rpt_warn(w,
             "%s and %s have different seeds (%lld, %lld): differences include sampling noise "
             "(use the same seed: common random numbers)",
             a->path, b->path, a->seed, b->seed);
  if (a->steps != b->steps)
    rpt_warn(w, "%s has %d steps, %s %d: differences cover the common steps", a->path, a->steps,
             b->path, b->steps);
  return 0;
}

static int rpt_open_run(runfile *r, const char *path) {
  if (runfile_open(r, path) < 0) return -1;
  if (rpt_check_complete(r->file, path, "run") < 0) {
    runfile_close(r);
    return -1;
  }
  if (r->steps < 1) {
    h5u_seterr("%s: the run has no step", path);
    runfile_close(r);
    return -1;
  }
  return 0;
}

int rpt_runs_json(rpt_buf *b, const char *const *paths, size_t n, rpt_warnings *w) {
  runfile first, r;
  int rc = RPT_OK;
  if (rpt_open_run(&first, paths[0]) < 0) return RPT_BAD_INPUT;
  rpt_put(b, "{\"kind\":\"runs\",\"runs\":[");
  for (size_t i = 0; i < n && rc == RPT_OK; i++) {
    runfile *cur = &first;
    if (i > 0) {
      if (rpt_open_run(&r, paths[i]) < 0) {
        rc = RPT_BAD_INPUT;
        break;
      }
      cur = &r;
      if (rpt_check_pair(&first, &r, w) < 0) rc = RPT_BAD_INPUT;
    }
    if (rc == RPT_OK) {
      if (i) rpt_put(b, ",");
      if (rpt_run(b, cur, w) < 0) rc = b->oom ? RPT_FAILED : RPT_BAD_INPUT;
    }
    if (i > 0) runfile_close(&r);
  }
  rpt_put(b, "]}");
  runfile_close(&first);
  if (rc == RPT_OK && b->oom) {
    h5u_seterr("out of memory building the report");
    rc = RPT_FAILED;
  }
  return rc;
}
