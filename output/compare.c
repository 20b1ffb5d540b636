/* compare: building the policy-effect table of two run files (see
 * compare.h for the contract; docs/compare.md for the user's view).
 *
 * Steps: open both files (output/runfile.h) and check that they can be
 * compared; resolve metrics (headline set or --metrics, with a did-you-mean
 * hint) and horizons; then, group by group, read each metric's series from
 * both runs, reduce them to the group's levels (identity for economy,
 * region and industry; a sum or a weighted mean over the industries of a
 * kind) step by step, average over the window ending at each horizon, and
 * emit one row per (level, metric).
 *
 * Invariants:
 *  - only steps 0 .. min(steps)-1 are read;
 *  - a weighted mean uses the weight series of the same run at the same
 *    step and skips terms with no weight or an undefined value; without any
 *    weight it is NaN; a window mean skips undefined steps, NaN if all are;
 *  - every allocation is released on every path, the table included when
 *    cmp_build fails.
 */
#include "output/compare.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "output/runfile.h"
#include "output/h5util.h"
#include "sim/observe.h"
#include "config/scenario.h"

#define CMP_DEFAULT_FIRST 4 /* first default horizon (step) */
#define CMP_NKINDS        2 /* SCN_KIND_TECH, SCN_KIND_LABOUR */

const char *const cmp_group_names[CMP_NGROUPS] = {"economy", "kind", "region", "industry"};

const char *const cmp_headline[] = {
    "output",      "value_added", "employment_skilled",   "employment_unskilled",
    "tfp",         "digital",     "index_tech",           "index_org",
    "index_value", "index_nqp",   "external_input_share", "lever_spending",
    NULL};

static const char *const cmp_kind_ids[CMP_NKINDS] = {"technology", "labour"};
static const char *const cmp_kind_labels[CMP_NKINDS] = {"technology-intensive", "labour-intensive"};

double cmp_pct(double base, double policy) {
  if (!isfinite(base) || base == 0) return NAN;
  return 100.0 * (policy - base) / fabs(base);
}

/* ---- strings and messages ----------------------------------------------- */

static char *cmp_vprintf(const char *fmt, va_list ap) {
  va_list aq;
  va_copy(aq, ap);
  int n = vsnprintf(NULL, 0, fmt, aq);
  va_end(aq);
  char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
  if (s) vsnprintf(s, (size_t)n + 1, fmt, ap);
  return s;
}

/* Record a warning (dropped silently when out of memory). */
static void cmp_warn(cmp_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void cmp_warn(cmp_table *t, const char *fmt, ...) {
  va_list ap;
  char **w = realloc(t->warnings, (t->n_warnings + 1) * sizeof *w);
  if (!w) return;
  t->warnings = w;
  va_start(ap, fmt);
  w[t->n_warnings] = cmp_vprintf(fmt, ap);
  va_end(ap);
  if (w[t->n_warnings]) t->n_warnings++;
}

static int cmp_oom(void) {
  h5u_seterr("out of memory");
  return CMP_FAILED;
}

/* Levenshtein distance of A and B (both truncated to 63 bytes). */
static size_t cmp_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b), row[64];
  la = la > 63 ? 63 : la, lb = lb > 63 ? 63 : lb;
  for (size_t j = 0; j <= lb; j++) row[j] = j;
  for (size_t i = 1; i <= la; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best) best = up + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      diag = up;
      row[j] = best;
    }
  }
  return row[lb];
}

/* The name of NAMES closest to S, when close enough to be a likely typo. */
static const char *cmp_closest(const h5u_strs *names, const char *s) {
  const char *best = NULL;
  size_t bd = (size_t)-1, limit = strlen(s) / 3 + 1;
  for (size_t i = 0; i < names->n; i++) {
    size_t d = cmp_distance(s, names->v[i]);
    if (strstr(names->v[i], s) && strlen(s) >= 3) d = d < 2 ? d : 2; /* a fragment */
    if (d < bd) bd = d, best = names->v[i];
  }
  return bd <= limit ? best : NULL;
}

/* ---- checks ------------------------------------------------------------- */

static int cmp_same_labels(const h5u_strs *a, const h5u_strs *b) {
  if (a->n != b->n) return 0;
  for (size_t i = 0; i < a->n; i++)
    if (strcmp(a->v[i], b->v[i]) != 0) return 0;
  return 1;
}

static int cmp_check_complete(const runfile *r) {
  if (r->status && strcmp(r->status, "complete") == 0) return 0;
  h5u_seterr("%s: not a complete run (status \"%s\"); only complete runs can be compared", r->path,
             r->status ? r->status : "missing");
  return CMP_BAD_INPUT;
}

static int cmp_check_pair(cmp_table *t, const runfile *b, const runfile *p) {
  int rc;
  if ((rc = cmp_check_complete(b)) || (rc = cmp_check_complete(p))) return rc;
  if (!cmp_same_labels(&b->ind, &p->ind))
    return h5u_seterr("%s and %s: different industries (%zu and %zu labels): runs of different "
                      "scenarios cannot be compared",
                      b->path, p->path, b->ind.n, p->ind.n),
           CMP_BAD_INPUT;
  if (!cmp_same_labels(&b->reg, &p->reg))
    return h5u_seterr("%s and %s: different regions (%zu and %zu labels): runs of different "
                      "scenarios cannot be compared",
                      b->path, p->path, b->reg.n, p->reg.n),
           CMP_BAD_INPUT;
  if (b->spy != p->spy)
    return h5u_seterr("%s and %s: different steps_per_year (%lld and %lld)", b->path, p->path,
                      b->spy, p->spy),
           CMP_BAD_INPUT;
  t->steps = b->steps < p->steps ? b->steps : p->steps;
  t->steps_per_year = (int)b->spy;
  if (t->steps < 1)
    return h5u_seterr("%s: no steps to compare", b->steps < 1 ? b->path : p->path), CMP_BAD_INPUT;
  if (b->seed != p->seed)
    cmp_warn(t,
             "seeds differ (base %lld, policy %lld): differences include sampling noise: use the "
             "same seed for common random numbers",
             b->seed, p->seed);
  if (b->steps != p->steps)
    cmp_warn(t, "steps differ (base %d, policy %d): comparing steps 0..%d", b->steps, p->steps,
             t->steps - 1);
  return CMP_OK;
}

static int cmp_run_info_set(cmp_run_info *i, const runfile *r) {
  i->path = strdup(r->path);
  i->scenario = strdup(r->scenario_name ? r->scenario_name : "?");
  i->seed = r->seed;
  i->steps = r->steps;
  return i->path && i->scenario ? 0 : -1;
}

/* ---- metrics ------------------------------------------------------------ */

static int cmp_has_any(const runfile *r, const char *name) {
  for (int g = 0; g < RUNFILE_NSRC; g++)
    if (runfile_has(r, g, name)) return 1;
  return 0;
}

static int cmp_unknown_metric(const runfile *r, const char *name) {
  h5u_strs names = {0};
  const char *hint = runfile_names(r, &names) == 0 ? cmp_closest(&names, name) : NULL;
  if (hint)
    h5u_seterr("%s: no series \"%s\" (did you mean \"%s\"?)", r->path, name, hint);
  else
    h5u_seterr("%s: no series \"%s\" (nqpsim info %s lists the series)", r->path, name, r->path);
  h5u_strs_free(&names);
  return CMP_BAD_INPUT;
}

static int cmp_add_metric(cmp_table *t, const runfile *b, const char *name) {
  cmp_metric *m = &t->metrics[t->n_metrics];
  const char *weight = NULL;
  char *units = NULL;
  memset(m, 0, sizeof *m);
  for (int g = 0; g < RUNFILE_NSRC && !units; g++) units = runfile_attr(b, g, name, "units");
  m->name = strdup(name);
  m->units = units ? units : strdup("?");
  m->agg = obs_series_aggregation(name, &weight);
  m->weight = weight ? strdup(weight) : NULL;
  t->n_metrics++;
  return m->name && m->units && (!weight || m->weight) ? 0 : -1;
}

static int cmp_seen(const cmp_table *t, const char *name) {
  for (size_t i = 0; i < t->n_metrics; i++)
    if (strcmp(t->metrics[i].name, name) == 0) return 1;
  return 0;
}

static int cmp_metrics(cmp_table *t, const runfile *b, const runfile *p, const cmp_options *o) {
  int explicit = o->metrics && o->n_metrics > 0;
  const char *const *names = explicit ? o->metrics : cmp_headline;
  size_t n = 0;
  if (explicit)
    n = o->n_metrics;
  else
    while (names[n]) n++;
  if (!(t->metrics = calloc(n, sizeof *t->metrics))) return cmp_oom();
  for (size_t i = 0; i < n; i++) {
    int in_b = cmp_has_any(b, names[i]), in_p = cmp_has_any(p, names[i]);
    if (cmp_seen(t, names[i])) continue;
    if (explicit && !in_b) return cmp_unknown_metric(b, names[i]);
    if (explicit && !in_p) return cmp_unknown_metric(p, names[i]);
    if (in_b != in_p) cmp_warn(t, "%s: only in %s; left out", names[i], in_b ? b->path : p->path);
    if (in_b && in_p && cmp_add_metric(t, b, names[i]) < 0) return cmp_oom();
  }
  if (t->n_metrics == 0)
    return h5u_seterr("%s: none of the headline series; name them with --metrics", b->path),
           CMP_BAD_INPUT;
  return CMP_OK;
}

/* ---- horizons ----------------------------------------------------------- */

static int cmp_int_order(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

/* Sort and remove duplicates. */
static void cmp_sort_unique(int *v, size_t *n) {
  size_t k = 0;
  qsort(v, *n, sizeof *v, cmp_int_order);
  for (size_t i = 0; i < *n; i++)
    if (k == 0 || v[i] != v[k - 1]) v[k++] = v[i];
  *n = k;
}

static int cmp_horizons(cmp_table *t, const runfile *b, const runfile *p, const cmp_options *o) {
  int last = t->steps - 1, defaults[3] = {CMP_DEFAULT_FIRST, (last + 1) / 2, last};
  const int *h = o->horizons && o->n_horizons ? o->horizons : defaults;
  size_t n = o->horizons && o->n_horizons ? o->n_horizons : 3;
  if (!(t->horizons = calloc(n, sizeof *t->horizons))) return cmp_oom();
  for (size_t i = 0; i < n; i++) {
    int s = h[i] == CMP_END ? last : h[i];
    if (h == defaults && s > last) continue; /* a default past a short run */
    if (s < 0 || s > last)
      return h5u_seterr("horizon step %d is outside the compared steps 0..%d (%s: %d steps, "
                        "%s: %d steps)",
                        h[i], last, b->path, b->steps, p->path, p->steps),
             CMP_BAD_INPUT;
    t->horizons[t->n_horizons++] = s;
  }
  cmp_sort_unique(t->horizons, &t->n_horizons);
  if (t->window > t->horizons[0] + 1)
    cmp_warn(t, "window %d at step %d: averaging the %d steps 0..%d only", t->window,
             t->horizons[0], t->horizons[0] + 1, t->horizons[0]);
  return CMP_OK;
}

/* ---- levels ------------------------------------------------------------- */

/* The levels of one group: ids and labels (owned), the series group they
 * are read from and, for kinds, the level of each industry (-1: none). */
typedef struct cmp_levels {
  cmp_group g;
  int src;
  size_t ncell; /* values per step in the source series */
  h5u_strs ids, labels;
  int *cell_level; /* kind only */
} cmp_levels;

static void cmp_levels_free(cmp_levels *L) {
  h5u_strs_free(&L->ids);
  h5u_strs_free(&L->labels);
  free(L->cell_level);
  memset(L, 0, sizeof *L);
}

/* The scenario stored in R, loaded; -1 (with a warning) when it cannot be. */
static int cmp_scenario(cmp_table *t, const runfile *r, scenario *s) {
  char err[1024], name[1100];
  memset(s, 0, sizeof *s);
  if (!r->scenario) {
    cmp_warn(t, "%s: no /scenario dataset", r->path);
    return -1;
  }
  snprintf(name, sizeof name, "%s:/scenario", r->path);
  if (scn_load_string(name, r->scenario, NULL, 0, s, NULL, err, sizeof err) != 0) {
    cmp_warn(t, "%s: cannot load the stored scenario: %s", r->path, err);
    return -1;
  }
  if ((size_t)s->n_industries != r->ind.n) {
    cmp_warn(t, "%s: the stored scenario has %d industries, the series %zu", r->path,
             s->n_industries, r->ind.n);
    scn_free(s);
    return -1;
  }
  for (int i = 0; i < s->n_industries; i++)
    if (strcmp(s->industries[i].id, r->ind.v[i]) != 0) {
      cmp_warn(t, "%s: industry %d is \"%s\" in the stored scenario, \"%s\" in the series", r->path,
               i, s->industries[i].id, r->ind.v[i]);
      scn_free(s);
      return -1;
    }
  return 0;
}

/* Kind of each industry from the base scenario SB, checked against the
 * policy's (differences and an unreadable policy scenario are warned). */
static void cmp_kinds(cmp_table *t, const runfile *b, const runfile *p, const scenario *sb,
                      int *kind) {
  scenario sp;
  for (size_t i = 0; i < b->ind.n; i++) kind[i] = sb->industries[i].kind;
  if (cmp_scenario(t, p, &sp) < 0) return; /* warned; the base's kinds stand */
  for (size_t i = 0; i < b->ind.n; i++)
    if (sp.industries[i].kind != kind[i])
      cmp_warn(t, "industry %s is %s in the base run, %s in the policy run; grouped as in the base",
               b->ind.v[i], cmp_kind_ids[kind[i]], cmp_kind_ids[sp.industries[i].kind]);
  scn_free(&sp);
}

/* "technology-intensive: it, nev, ..." */
static char *cmp_kind_label(int k, const runfile *b, const int *kind) {
  size_t len = strlen(cmp_kind_labels[k]) + 3;
  for (size_t i = 0; i < b->ind.n; i++) len += kind[i] == k ? strlen(b->ind.v[i]) + 2 : 0;
  char *s = malloc(len);
  if (!s) return NULL;
  strcpy(s, cmp_kind_labels[k]);
  for (size_t i = 0, first = 1; i < b->ind.n; i++)
    if (kind[i] == k) strcat(strcat(s, first ? ": " : ", "), b->ind.v[i]), first = 0;
  return s;
}

static int cmp_levels_kind(cmp_levels *L, const runfile *b, const int *kind) {
  int lev[CMP_NKINDS] = {-1, -1};
  if (!(L->cell_level = malloc((b->ind.n ? b->ind.n : 1) * sizeof *L->cell_level))) return -1;
  for (int k = 0; k < CMP_NKINDS; k++) {
    int present = 0;
    for (size_t i = 0; i < b->ind.n; i++) present |= kind[i] == k;
    if (!present) continue;
    char *label = cmp_kind_label(k, b, kind);
    lev[k] = (int)L->ids.n;
    int bad = !label || h5u_strs_push(&L->ids, cmp_kind_ids[k]) < 0 ||
              h5u_strs_push(&L->labels, label) < 0;
    free(label);
    if (bad) return -1;
  }
  for (size_t i = 0; i < b->ind.n; i++)
    L->cell_level[i] = kind[i] >= 0 && kind[i] < CMP_NKINDS ? lev[kind[i]] : -1;
  return 0;
}

/* Ids and display names (from the scenario when loaded, else the ids). */
static int cmp_levels_cells(cmp_levels *L, const h5u_strs *ids, const scenario *s, int region) {
  for (size_t i = 0; i < ids->n; i++) {
    const char *name = ids->v[i];
    if (s && region && (size_t)s->n_regions == ids->n && s->regions[i].name)
      name = s->regions[i].name;
    if (s && !region && s->industries[i].name) name = s->industries[i].name;
    if (h5u_strs_push(&L->ids, ids->v[i]) < 0 || h5u_strs_push(&L->labels, name) < 0) return -1;
  }
  return 0;
}

static int cmp_levels_init(cmp_levels *L, cmp_group g, const runfile *b, const scenario *s,
                           const int *kind) {
  static const int src[CMP_NGROUPS] = {RUNFILE_ECONOMY, RUNFILE_INDUSTRY, RUNFILE_REGION,
                                       RUNFILE_INDUSTRY};
  memset(L, 0, sizeof *L);
  L->g = g;
  L->src = src[g];
  L->ncell = g == CMP_ECONOMY ? 1 : g == CMP_REGION ? b->reg.n : b->ind.n;
  switch (g) {
  case CMP_ECONOMY:
    return h5u_strs_push(&L->ids, "all") < 0 || h5u_strs_push(&L->labels, "whole economy") < 0 ? -1
                                                                                               : 0;
  case CMP_KIND:
    return cmp_levels_kind(L, b, kind);
  case CMP_REGION:
    return cmp_levels_cells(L, &b->reg, s, 1);
  default:
    return cmp_levels_cells(L, &b->ind, s, 0);
  }
}

/* ---- values ------------------------------------------------------------- */

/* Value of level LEV at STEP from source values X (and weights W). */
static double cmp_level_value(const cmp_levels *L, const cmp_metric *m, const double *x,
                              const double *w, int step, size_t lev) {
  const double *xs = x + (size_t)step * L->ncell, *ws = w ? w + (size_t)step * L->ncell : NULL;
  double sum = 0, wsum = 0;
  if (L->g != CMP_KIND) return xs[lev];
  for (size_t i = 0; i < L->ncell; i++) {
    if (L->cell_level[i] != (int)lev) continue;
    if (m->agg == OBS_AGG_SUM) {
      sum += xs[i];
    } else if (ws[i] > 0 && isfinite(ws[i]) && isfinite(xs[i])) {
      sum += ws[i] * xs[i];
      wsum += ws[i];
    }
  }
  return m->agg == OBS_AGG_SUM ? sum : (wsum > 0 ? sum / wsum : NAN);
}

/* Mean of the defined level values over the window ending at step H. */
static double cmp_window_value(const cmp_table *t, const cmp_levels *L, const cmp_metric *m,
                               const double *x, const double *w, int h, size_t lev) {
  int lo = h - t->window + 1 < 0 ? 0 : h - t->window + 1, n = 0;
  double sum = 0;
  for (int s = lo; s <= h; s++) {
    double v = cmp_level_value(L, m, x, w, s, lev);
    if (isfinite(v)) sum += v, n++;
  }
  return n ? sum / n : NAN;
}

/* Can metric M be shown at the levels of L? (kinds need a sum or a mean
 * with its weight series in both runs) */
static int cmp_kind_ok(cmp_table *t, const cmp_levels *L, const cmp_metric *m, const runfile *b,
                       const runfile *p) {
  if (L->g != CMP_KIND || !runfile_has(b, RUNFILE_INDUSTRY, m->name)) return 1;
  if (m->agg == OBS_AGG_SUM) return 1;
  if (m->agg == OBS_AGG_MEAN && runfile_has(b, RUNFILE_INDUSTRY, m->weight) &&
      runfile_has(p, RUNFILE_INDUSTRY, m->weight))
    return 1;
  if (m->agg == OBS_AGG_MEAN)
    cmp_warn(t, "%s: not shown by kind: its weight series %s is missing", m->name, m->weight);
  else
    cmp_warn(t, "%s: not shown by kind: neither a sum nor a ratio of sums", m->name);
  return 0;
}

/* Level values of metric M in run R at every horizon into OUT (levels x
 * horizons). Returns 1, 0 when R has no such series, -1 on error. */
static int cmp_run_values(const cmp_table *t, const cmp_levels *L, const cmp_metric *m,
                          const runfile *r, double *out) {
  double *x = NULL, *w = NULL;
  int rc = runfile_series(r, L->src, m->name, t->steps, L->ncell, &x);
  if (rc == 1 && L->g == CMP_KIND && m->agg == OBS_AGG_MEAN)
    rc = runfile_series(r, L->src, m->weight, t->steps, L->ncell, &w) == 1 ? 1 : -1;
  if (rc == 1)
    for (size_t lev = 0; lev < L->ids.n; lev++)
      for (size_t h = 0; h < t->n_horizons; h++)
        out[lev * t->n_horizons + h] = cmp_window_value(t, L, m, x, w, t->horizons[h], lev);
  free(x);
  free(w);
  return rc;
}

static int cmp_push_row(cmp_table *t, const cmp_levels *L, size_t metric, size_t lev,
                        const double *vb, const double *vp) {
  cmp_row *rows = realloc(t->rows, (t->n_rows + 1) * sizeof *rows), *r;
  if (!rows) return -1;
  t->rows = rows;
  r = &rows[t->n_rows];
  r->metric = metric;
  r->group = L->g;
  r->level = strdup(L->ids.v[lev]);
  r->label = strdup(L->labels.v[lev]);
  r->v = calloc(t->n_horizons, sizeof *r->v);
  t->n_rows++; /* freed by cmp_free even when incomplete */
  if (!r->level || !r->label || !r->v) return -1;
  for (size_t h = 0; h < t->n_horizons; h++) {
    double b = vb[lev * t->n_horizons + h], p = vp[lev * t->n_horizons + h];
    r->v[h] = (cmp_value){b, p, p - b, cmp_pct(b, p)};
  }
  return 0;
}

/* Rows of one group: metric values of both runs, then rows level-major. */
static int cmp_group_rows(cmp_table *t, const cmp_levels *L, const runfile *b, const runfile *p,
                          int *shown) {
  size_t nm = t->n_metrics, per = L->ids.n * t->n_horizons;
  double *vb = calloc(nm * per + 1, sizeof *vb), *vp = calloc(nm * per + 1, sizeof *vp);
  int *ok = calloc(nm, sizeof *ok), rc = CMP_OK;
  if (!vb || !vp || !ok) rc = cmp_oom();
  for (size_t m = 0; m < nm && rc == CMP_OK; m++) {
    const cmp_metric *mt = &t->metrics[m];
    if (!cmp_kind_ok(t, L, mt, b, p)) continue;
    int rb = cmp_run_values(t, L, mt, b, vb + m * per), rp;
    rp = rb == 1 ? cmp_run_values(t, L, mt, p, vp + m * per) : 0;
    if (rb < 0 || rp < 0) rc = CMP_BAD_INPUT;
    if (rb == 1 && rp == 0)
      cmp_warn(t, "%s: no %s series in %s; left out", mt->name, cmp_group_names[L->g], p->path);
    ok[m] = rb == 1 && rp == 1;
    shown[m] |= ok[m];
  }
  for (size_t lev = 0; lev < L->ids.n && rc == CMP_OK; lev++)
    for (size_t m = 0; m < nm && rc == CMP_OK; m++)
      if (ok[m] && cmp_push_row(t, L, m, lev, vb + m * per, vp + m * per) < 0) rc = cmp_oom();
  free(vb);
  free(vp);
  free(ok);
  return rc;
}

/* ---- entry points ------------------------------------------------------- */

/* Warn that metric NAME has no series at any requested level. */
static void cmp_no_rows(cmp_table *t, const char *name) {
  char levels[64] = "";
  for (int g = 0; g < CMP_NGROUPS; g++)
    if (t->by & CMP_BY(g)) strcat(strcat(levels, levels[0] ? "," : ""), cmp_group_names[g]);
  cmp_warn(t, "%s: no series by %s; left out", name, levels);
}

static int cmp_fill(cmp_table *t, const runfile *b, const runfile *p) {
  scenario sb;
  int have_scn = cmp_scenario(t, b, &sb) == 0, rc = CMP_OK;
  int *kind = calloc(b->ind.n + 1, sizeof *kind), *shown = calloc(t->n_metrics, sizeof *shown);
  if (!kind || !shown) rc = cmp_oom();
  if (rc == CMP_OK && (t->by & CMP_BY(CMP_KIND)) && !have_scn) {
    const char *why = t->n_warnings ? t->warnings[t->n_warnings - 1] : b->path;
    t->by &= ~CMP_BY(CMP_KIND);
    if (!t->by) /* nothing else to show: an error with the reason */
      rc = (h5u_seterr("industry kinds unknown: %s", why), CMP_BAD_INPUT);
    cmp_warn(t, "industry kinds unknown: no rows by kind");
  } else if (rc == CMP_OK && (t->by & CMP_BY(CMP_KIND))) {
    cmp_kinds(t, b, p, &sb, kind);
  }
  for (int g = 0; g < CMP_NGROUPS && rc == CMP_OK; g++) {
    cmp_levels L;
    if (!(t->by & CMP_BY(g))) continue;
    if (cmp_levels_init(&L, (cmp_group)g, b, have_scn ? &sb : NULL, kind) < 0)
      rc = cmp_oom();
    else
      rc = cmp_group_rows(t, &L, b, p, shown);
    cmp_levels_free(&L);
  }
  for (size_t m = 0; m < t->n_metrics && rc == CMP_OK; m++)
    if (!shown[m]) cmp_no_rows(t, t->metrics[m].name);
  if (rc == CMP_OK && t->n_rows == 0)
    rc = (h5u_seterr("no metric has a series at the requested levels"), CMP_BAD_INPUT);
  if (have_scn) scn_free(&sb);
  free(kind);
  free(shown);
  return rc;
}

static int cmp_build_table(cmp_table *t, const char *base, const char *policy,
                           const cmp_options *o) {
  runfile b, p;
  int rc = CMP_BAD_INPUT;
  t->window = o->window > 0 ? o->window : 1;
  t->by = o->by ? o->by : CMP_BY_DEFAULT;
  if (runfile_open(&b, base) < 0) return CMP_BAD_INPUT;
  if (runfile_open(&p, policy) < 0) {
    runfile_close(&b);
    return CMP_BAD_INPUT;
  }
  if ((rc = cmp_check_pair(t, &b, &p)) == CMP_OK &&
      (cmp_run_info_set(&t->base, &b) < 0 || cmp_run_info_set(&t->policy, &p) < 0))
    rc = cmp_oom();
  if (rc == CMP_OK) rc = cmp_metrics(t, &b, &p, o);
  if (rc == CMP_OK) rc = cmp_horizons(t, &b, &p, o);
  if (rc == CMP_OK) rc = cmp_fill(t, &b, &p);
  runfile_close(&p);
  runfile_close(&b);
  return rc;
}

int cmp_build(const char *base, const char *policy, const cmp_options *opt, cmp_table **out,
              char *err, size_t errlen) {
  cmp_options none = {0};
  cmp_table *t = calloc(1, sizeof *t);
  int rc;
  *out = NULL;
  h5u_budget_reset(0); /* one read budget for both runs (output/h5util.h) */
  if (!t)
    rc = cmp_oom();
  else if (!base || !policy)
    rc = (h5u_seterr("cmp_build: no base or policy file"), CMP_BAD_INPUT);
  else
    rc = cmp_build_table(t, base, policy, opt ? opt : &none);
  if (rc != CMP_OK) {
    h5u_copyerr(err, errlen);
    cmp_free(&t);
    return rc;
  }
  *out = t;
  return CMP_OK;
}

void cmp_free(cmp_table **pt) {
  cmp_table *t = pt ? *pt : NULL;
  if (!t) return;
  free(t->base.path), free(t->base.scenario);
  free(t->policy.path), free(t->policy.scenario);
  free(t->horizons);
  for (size_t m = 0; m < t->n_metrics; m++)
    free(t->metrics[m].name), free(t->metrics[m].units), free(t->metrics[m].weight);
  free(t->metrics);
  for (size_t r = 0; r < t->n_rows; r++)
    free(t->rows[r].level), free(t->rows[r].label), free(t->rows[r].v);
  free(t->rows);
  for (size_t i = 0; i < t->n_warnings; i++) free(t->warnings[i]);
  free(t->warnings);
  free(t);
  *pt = NULL;
}
