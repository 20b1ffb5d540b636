/* sweep_schema: the schema of a sweep file (every key with type, default,
 * range and doc; `nqpsim sweep --schema` prints it) and the checks that
 * need the base scenario: parameter paths are applied as --set overrides to
 * it, metric series and cells are looked up in what its observer writes.
 * Every problem is reported by sch_report, so it reads
 *   FILE:LINE:COLUMN: parameters[1].path: ...
 *
 * Invariants: the checks only read the bound sweep file and the validation
 * context (drivers/sweep_priv.h); the context loads the base scenario and a
 * tiny world (for the series list) at most once per sweep file; nothing
 * here runs a simulation.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/limits.h"
#include "output/h5out.h"
#include "config/cfg_bind.h"
#include "config/cfg_util.h"
#include "config/config.h"
#include "config/embedded.h"
#include "sim/world_create.h"
#include "sim/observe.h"
#include "drivers/sensitivity.h"
#include "drivers/sweep_priv.h"

/* Sobol' designs use 2 x params dimensions of the sequence (sweep.h). */
_Static_assert(2 * SWEEP_MAX_PARAMS <= SENS_SOBOL_MAXDIM,
               "a Sobol' sweep of SWEEP_MAX_PARAMS parameters must fit the Sobol' sequence");
#include "world/world.h"

const char *const sweep_method_names[] = {"replicates", "grid", "lhs", "sobol", "morris", NULL};
const char *const sweep_dist_names[] = {"uniform", "loguniform", "normal", "triangular", NULL};
const char *const metric_stat_names[] = {"final", "mean",   "sum",      "min",
                                         "peak",  "growth", "recovery", NULL};
static const char *const group_names[] = {"economy", "industry", "region", "industry_region", NULL};

/* ---- validation context ------------------------------------------------ */

typedef struct sweep_vctx {
  char *dir;
  int state; /* 0 not loaded, 1 loaded, 2 loaded but no series list, -1 failed */
  char err[4096];
  scenario scn;
  scenario tiny; /* the base scenario at a tiny scale, for its series list */
  world *w;      /* built from tiny */
  observer *obs; /* of w: owns the series list */
  const series_def *series;
  size_t n_series;
  char **names; /* distinct series names, for hints */
  size_t n_names;
} sweep_vctx;

static sweep_vctx *vctx;

void sweep_check_begin(const char *dir) {
  vctx = calloc(1, sizeof *vctx);
  if (vctx) vctx->dir = strdup(dir ? dir : ".");
}

void sweep_check_end(void) {
  if (!vctx) return;
  if (vctx->state > 0) scn_free(&vctx->scn);
  obs_free(&vctx->obs);
  world_free(&vctx->w);
  if (vctx->tiny.name) scn_free(&vctx->tiny);
  for (size_t i = 0; i < vctx->n_names; i++) free(vctx->names[i]);
  free(vctx->names);
  free(vctx->dir);
  free(vctx);
  vctx = NULL;
}

static int file_exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static char *join_dir(const char *dir, const char *name) {
  size_t len = strlen(dir) + strlen(name) + 2;
  char *p = malloc(len);
  if (!p) return NULL;
  if (name[0] == '/' || !strcmp(dir, "."))
    snprintf(p, len, "%s", name);
  else
    snprintf(p, len, "%s/%s", dir, name);
  return p;
}

int sweep_base_load(const char *dir, const sweep_spec *s, const char *const *extra, size_t nextra,
                    scenario *out, char **resolved, char *err, size_t errlen) {
  const char *name = s->scenario && s->scenario[0] ? s->scenario : "anhui.yaml";
  size_t n = (size_t)s->n_set + nextra;
  const char **sets = calloc(n ? n : 1, sizeof *sets);
  char *path = join_dir(dir ? dir : ".", name);
  int rc = -1;
  if (!sets || !path) {
    snprintf(err, errlen, "out of memory");
    goto done;
  }
  for (int i = 0; i < s->n_set; i++) sets[i] = s->set[i];
  for (size_t i = 0; i < nextra; i++) sets[(size_t)s->n_set + i] = extra[i];
  if (file_exists(path)) {
    rc = scn_load(path, sets, n, out, resolved, err, errlen);
  } else if (nqp_embedded_find(name)) {
    /* "<sweep>/base" has no such directory: extends finds the embedded NAME */
    char text[512];
    snprintf(text, sizeof text, "extends: \"%s\"\n", name);
    rc = scn_load_string("<sweep>/base", text, sets, n, out, resolved, err, errlen);
  } else {
    char hint[512];
    nqp_embedded_hint(nqp_embedded, name, hint, sizeof hint);
    snprintf(err, errlen, "no file %s and no embedded scenario \"%s\"%s", path, name, hint);
  }
done:
  free(sets);
  free(path);
  return rc;
}

/* Distinct series names, for "did you mean" hints. */
static int vctx_names(void) {
  vctx->names = calloc(vctx->n_series ? vctx->n_series : 1, sizeof *vctx->names);
  if (!vctx->names) return -1;
  for (size_t i = 0; i < vctx->n_series; i++) {
    int seen = 0;
    for (size_t j = 0; j < vctx->n_names; j++)
      seen |= !strcmp(vctx->names[j], vctx->series[i].name);
    if (!seen && !(vctx->names[vctx->n_names++] = strdup(vctx->series[i].name))) return -1;
  }
  return 0;
}

/* The series a run of the base scenario writes, from the observer of a
 * tiny world of it (kept until sweep_check_end). */
static int vctx_series(void) {
  const char *tiny[] = {"scale=0.0001", "steps=1"};
  char *yaml = cfg_emit(&scn_schema, &vctx->scn);
  int rc = -1;
  if (!yaml) return snprintf(vctx->err, sizeof vctx->err, "out of memory"), -1;
  if (scn_load_string("<base>", yaml, tiny, 2, &vctx->tiny, NULL, vctx->err, sizeof vctx->err) ==
          0 &&
      (vctx->w = world_create(&vctx->tiny, 1, vctx->err, sizeof vctx->err))) {
    if ((vctx->obs = obs_create(vctx->w)) &&
        (vctx->series = obs_series(vctx->obs, &vctx->n_series)) && vctx_names() == 0)
      rc = 0;
    else
      snprintf(vctx->err, sizeof vctx->err, "out of memory listing the series");
  }
  free(yaml);
  return rc;
}

/* The base scenario of the sweep being checked (NULL when it failed). */
static const scenario *vctx_base(const sweep_spec *root) {
  if (!vctx) return NULL;
  if (vctx->state == 0) {
    vctx->state = -1;
    if (sweep_base_load(vctx->dir, root, NULL, 0, &vctx->scn, NULL, vctx->err, sizeof vctx->err) ==
        0) {
      vctx->state = 2; /* loaded, series pending */
      if (vctx_series() == 0) vctx->state = 1;
    }
  }
  return vctx->state == 1 ? &vctx->scn : NULL;
}

/* ---- scenario fields ---------------------------------------------------- */

const sch_field *sweep_scn_field(const char *path, int *mapkey) {
  const sch_schema *s = &scn_schema;
  const sch_field *f = NULL;
  char seg[256];
  int skip = 0;
  *mapkey = 0;
  for (const char *p = path; *p;) {
    size_t len = strcspn(p, ".");
    if (len == 0 || len >= sizeof seg) return NULL;
    memcpy(seg, p, len);
    seg[len] = '\0';
    p += len + (p[len] == '.');
    if (skip) { /* a list item's id or index, or a map's key */
      skip = 0;
      if (f->type == SCH_MAP_DOUBLE) return *p ? NULL : (*mapkey = 1, f);
      continue;
    }
    if (!s || !(f = cfg_field(s, seg))) return NULL;
    s = f->type == SCH_STRUCT || f->type == SCH_LIST ? f->sub : NULL;
    skip = f->type == SCH_LIST || f->type == SCH_MAP_DOUBLE || f->type == SCH_STRING_LIST;
  }
  return skip ? NULL : f;
}

void sweep_format_set(const char *path, double v, int integer, char *buf, size_t len) {
  char num[CFG_NUM_LEN];
  if (integer)
    snprintf(num, sizeof num, "%.0f", round(v));
  else
    cfg_fmt_double(v, num);
  snprintf(buf, len, "%s=%s", path, num);
}

/* ---- parameter checks --------------------------------------------------- */

static void param_check_range(const sweep_param *p, struct sch_ctx *ctx) {
  if (p->min == p->max)
    sch_report(ctx, "max", "expected max > min, found an empty range [%g, %g]", p->min, p->max);
  else if (p->min > p->max)
    sch_report(ctx, "max", "expected max > min, found an inverted range: min %g > max %g", p->min,
               p->max);
  else if (p->distribution == SWEEP_LOGUNIFORM && p->min <= 0)
    sch_report(ctx, "min", "expected min > 0 for a loguniform distribution, found %g", p->min);
  else if (p->distribution == SWEEP_NORMAL && !(p->sd > 0))
    sch_report(ctx, "sd", "expected sd > 0 for a normal distribution, found %g", p->sd);
  else if (p->distribution == SWEEP_TRIANGULAR && (p->mode < p->min || p->mode > p->max))
    sch_report(ctx, "mode", "expected a mode in [min, max] = [%g, %g], found %g", p->min, p->max,
               p->mode);
}

/* Is PATH a numeric scenario field? Sets *INTEGER. */
static int param_check_type(const sweep_param *p, struct sch_ctx *ctx, int *integer) {
  int mapkey;
  const sch_field *f = sweep_scn_field(p->path, &mapkey);
  *integer = f && f->type == SCH_INT;
  if (!strcmp(p->path, "seed")) {
    sch_report(ctx, "path",
               "seed cannot be a parameter: runs take their seeds from the sweep's "
               "`seed`, `replicates` and `common_random_numbers`");
    return -1;
  }
  if (f && f->type != SCH_INT && f->type != SCH_DOUBLE && !mapkey) {
    sch_report(ctx, "path", "expected a numeric scenario field, found a %s field",
               f->type == SCH_BOOL     ? "boolean"
               : f->type == SCH_ENUM   ? "enum"
               : f->type == SCH_STRING ? "string"
                                       : "container");
    return -1;
  }
  return 0;
}

/* Is the loader's message ERR about the value of PATH (rather than the
 * path itself)? "--set PATH=V: PATH: expected ..." */
static int error_is_value(const char *err, const char *path) {
  const char *p = strstr(err, ": ");
  size_t n = strlen(path);
  return p && !strncmp(p + 2, path, n) && p[2 + n] == ':';
}

/* Apply PATH=V to the base scenario; reports the loader's message at KEY
 * (the path when the path is the problem). */
static int param_try(const sweep_param *p, const sweep_spec *root, double v, int integer,
                     const char *key, struct sch_ctx *ctx) {
  char set[SWEEP_SET_LEN], err[4096];
  const char *sets[1] = {set};
  scenario s;
  sweep_format_set(p->path, v, integer, set, sizeof set);
  if (sweep_base_load(vctx->dir, root, sets, 1, &s, NULL, err, sizeof err) != 0) {
    char *nl = strchr(err, '\n');
    if (nl) *nl = '\0';
    int value = !strncmp(err, "--set", 5) && error_is_value(err, p->path);
    sch_report(ctx, value ? key : "path", "%s: %s",
               value ? "the scenario rejects this value" : "not a scenario field", err);
    return -1;
  }
  scn_free(&s);
  return 0;
}

static const char *param_label(const sweep_param *p) {
  return p->name && p->name[0] ? p->name : p->path;
}

/* Report P's path or name when an earlier parameter has it. */
static void param_check_unique(const sweep_param *p, const sweep_spec *root, struct sch_ctx *ctx) {
  for (const sweep_param *q = root->params; q < p; q++)
    if (!strcmp(q->path, p->path))
      sch_report(ctx, "path", "parameter path %s appears twice", p->path);
    else if (!strcmp(param_label(q), param_label(p)))
      sch_report(ctx, p->name && p->name[0] ? "name" : "path", "parameter name %s appears twice",
                 param_label(p));
}

static void param_check(const void *obj, struct sch_ctx *ctx) {
  const sweep_param *p = obj;
  const sweep_spec *root = sch_root(ctx);
  int integer = 0;
  param_check_unique(p, root, ctx);
  param_check_range(p, ctx);
  if (strlen(p->path) > CFG_PATH_MAX - 64) {
    sch_report(ctx, "path", "expected a key path of at most %d characters", CFG_PATH_MAX - 64);
    return;
  }
  if (param_check_type(p, ctx, &integer) != 0 || !vctx_base(root)) return;
  if (integer && round(p->min) >= round(p->max) && p->min < p->max)
    sch_report(ctx, "max",
               "expected a range holding two integers (the field is an integer), "
               "found [%g, %g]",
               p->min, p->max);
  if (param_try(p, root, p->min, integer, "min", ctx) == 0)
    param_try(p, root, p->max, integer, "max", ctx);
}

/* ---- metric checks ------------------------------------------------------ */

static int series_has(const char *name, int group) {
  for (size_t i = 0; i < vctx->n_series; i++)
    if (!strcmp(vctx->series[i].name, name) && (int)vctx->series[i].group == group) return 1;
  return 0;
}

static void metric_check_series(const sweep_metric *m, struct sch_ctx *ctx) {
  char hint[1024], levels[256] = "";
  int known = 0;
  for (size_t i = 0; i < vctx->n_names; i++) known |= !strcmp(vctx->names[i], m->series);
  if (!known) {
    cfg_hint(m->series, (const char *const *)vctx->names, vctx->n_names, 0, hint, sizeof hint);
    sch_report(ctx, "series", "unknown series \"%s\"%s (nqpsim info lists a run's series)",
               m->series, hint);
    return;
  }
  if (series_has(m->series, m->group)) return;
  for (int g = 0; g < SERIES_NLEVELS; g++)
    if (series_has(m->series, g))
      snprintf(levels + strlen(levels), sizeof levels - strlen(levels), "%s%s",
               levels[0] ? ", " : "", group_names[g]);
  sch_report(ctx, "group", "series %s has no %s level (it has: %s)", m->series,
             group_names[m->group], levels);
}

/* Check the industry or region id KEY of M: required iff USED. */
static void metric_check_label(struct sch_ctx *ctx, const char *key, const char *value, int used,
                               const char *const *ids, size_t n, const char *group) {
  char hint[1024];
  int empty = !value || !value[0];
  if (!used && !empty) {
    sch_report(ctx, key, "the %s level has no %s: remove `%s` or change `group`", group, key, key);
    return;
  }
  if (!used) return;
  for (size_t i = 0; !empty && i < n; i++)
    if (!strcmp(ids[i], value)) return;
  cfg_hint(empty ? "" : value, ids, n, 1, hint, sizeof hint);
  if (empty)
    sch_report(ctx, NULL, "missing `%s`: the %s level needs one of the scenario's %s ids%s", key,
               group, key, hint);
  else
    sch_report(ctx, key, "unknown %s \"%s\"%s", key, value, hint);
}

static void metric_check_cells(const sweep_metric *m, const scenario *s, struct sch_ctx *ctx) {
  const char *ind[64], *reg[64];
  size_t ni = 0, nr = 0;
  for (int i = 0; i < s->n_industries && ni < 64; i++) ind[ni++] = s->industries[i].id;
  for (int r = 0; r < s->n_regions && nr < 64; r++) reg[nr++] = s->regions[r].id;
  int ui = m->group == SERIES_INDUSTRY || m->group == SERIES_INDUSTRY_REGION;
  int ur = m->group == SERIES_REGION || m->group == SERIES_INDUSTRY_REGION;
  metric_check_label(ctx, "industry", m->industry, ui, ind, ni, group_names[m->group]);
  metric_check_label(ctx, "region", m->region, ur, reg, nr, group_names[m->group]);
}

static void metric_check_window(const sweep_metric *m, int steps, struct sch_ctx *ctx) {
  int last = m->to < 0 ? steps - 1 : m->to;
  if (m->to >= steps)
    sch_report(ctx, "to", "expected a step below the base scenario's %d steps, found %d", steps,
               m->to);
  else if (m->from > last)
    sch_report(ctx, "from", "expected from <= to (%d), found %d", last, m->from);
  if (m->statistic != METRIC_RECOVERY) return;
  if (m->shock < 1 || m->shock <= m->from || m->shock > last)
    sch_report(ctx, "shock",
               "expected the shock step inside the window, after its first step (%d..%d), "
               "found %d",
               m->from + 1, last, m->shock);
  else if (!(m->threshold > 0))
    sch_report(ctx, "threshold", "expected a positive share of the pre-shock level, found %g",
               m->threshold);
}

static void metric_check(const void *obj, struct sch_ctx *ctx) {
  const sweep_metric *m = obj;
  const sweep_spec *root = sch_root(ctx);
  const scenario *s = vctx_base(root);
  for (const sweep_metric *q = root->metrics; q < m; q++)
    if (!strcmp(q->name, m->name)) sch_report(ctx, "name", "metric name %s appears twice", m->name);
  if (!s) return;
  metric_check_series(m, ctx);
  metric_check_cells(m, s, ctx);
  metric_check_window(m, s->steps, ctx);
}

/* ---- root checks -------------------------------------------------------- */

static void check_design(const sweep_spec *s, struct sch_ctx *ctx) {
  const sweep_design_spec *d = &s->design;
  const char *m = sweep_method_names[d->method];
  if (d->method == SWEEP_REPLICATES && s->n_params > 0)
    sch_report(ctx, "parameters",
               "the replicates design varies no parameter: remove `parameters` or choose "
               "design.method grid, lhs, sobol or morris");
  if (d->method != SWEEP_REPLICATES && s->n_params == 0)
    sch_report(ctx, "design.method", "design %s needs at least one entry in `parameters`", m);
  if (d->method == SWEEP_MORRIS && d->levels % 2)
    sch_report(ctx, "design.levels", "expected an even number of Morris levels, found %d",
               d->levels);
  if (d->method == SWEEP_SOBOL && 2 * s->n_params > SENS_SOBOL_MAXDIM)
    sch_report(ctx, "parameters", "expected at most %d parameters for a Sobol' design, found %d",
               SENS_SOBOL_MAXDIM / 2, s->n_params);
  if (d->method == SWEEP_SOBOL) {
    sens_saltelli_opts o = {d->scramble, 0, d->skip};
    const char *why = sens_saltelli_check((size_t)d->samples, &o);
    if (why) sch_report(ctx, "design.skip", "%s", why);
  }
  size_t overflow = 0, points = sweep_design_points(s, &overflow);
  size_t k = s->n_params > 0 ? (size_t)s->n_params : 1;
  if (overflow || points == 0 || points > SWEEP_MAX_RUNS / (size_t)s->replicates)
    sch_report(ctx, "design", "expected at most %d runs, found %s%zu points x %d replicates",
               SWEEP_MAX_RUNS, overflow ? "more than " : "", points, s->replicates);
  else if (points > SWEEP_MAX_CELLS / k)
    sch_report(ctx, "design",
               "expected a design of at most %d values, found %zu points x %zu "
               "parameters",
               SWEEP_MAX_CELLS, points, k);
}

static void sweep_check(const void *obj, struct sch_ctx *ctx) {
  const sweep_spec *s = obj;
  if (!vctx_base(s)) {
    sch_report(ctx, vctx && !strncmp(vctx->err, "--set", 5) ? "set" : "scenario",
               "the base scenario does not load: %s", vctx ? vctx->err : "out of memory");
    return;
  }
  check_design(s, ctx);
}

/* ---- schema ------------------------------------------------------------- */

#define S sweep_design_spec
static const sch_field design_fields[] = {
    SCHF_ENUM(S, method, sweep_method_names, "replicates",
              "replicates (base scenario only), grid, lhs, sobol (Saltelli) or morris"),
    SCHF_INT(S, samples, "", 64, 1, 10000000,
             "lhs: points; sobol: base samples N (a power of 2 is best); morris: trajectories"),
    SCHF_INT(S, levels, "", 4, 2, 1000, "grid: levels per parameter; morris: grid levels (even)"),
    SCHF_BOOL(S, second_order, 0, "sobol: also estimate second-order indices (N (2k+2) points)"),
    SCHF_BOOL(S, scramble, 1,
              "sobol: scramble the Sobol' points (linear matrix scramble and digital shift "
              "from the master seed, as SALib's default)"),
    SCHF_INT(S, skip, "", -1, -1, 2147483647,
             "sobol: Sobol' points skipped before the first base sample (-1: 0 when "
             "scrambled, else max(2^ceil(log2 N), 16); never 0 unscrambled)"),
};
#undef S
static const sch_schema design_schema =
    SCHF_SCHEMA("design", sweep_design_spec, design_fields, NULL);

#define S sweep_analysis_spec
static const sch_field analysis_fields[] = {
    SCHF_INT(S, bootstrap, "", 1000, 0, 100000,
             "bootstrap resamples for index confidence intervals"),
    SCHF_DBL(S, confidence, "share", 0.95, 0.5, 0.9999, "confidence level of every interval"),
    SCHF_DBL(S, target_ci, "share", 0, 0, 10,
             "replicate planning: wanted CI half-width relative to the mean (0: off)"),
};
#undef S
static const sch_schema analysis_schema =
    SCHF_SCHEMA("analysis", sweep_analysis_spec, analysis_fields, NULL);

#define S sweep_param
static const sch_field param_fields[] = {
    SCHF_STR(S, name, "", "label in outputs (default: the path)"),
    SCHF_REQSTR(S, path, "scenario key path, as for --set (e.g. government.talent.intensity)"),
    SCHF_ENUM(S, distribution, sweep_dist_names, "uniform",
              "distribution over [min, max]: uniform, loguniform, normal (truncated), triangular"),
    SCHF_REQDBL(S, min, "", "lower end of the range (parameter units)"),
    SCHF_REQDBL(S, max, "", "upper end of the range (parameter units)"),
    SCHF_DBL(S, mean, "", 0, 0, 0, "normal: mean before truncation"),
    SCHF_DBL(S, sd, "", 0, 0, 1e300, "normal: standard deviation before truncation"),
    SCHF_DBL(S, mode, "", 0, 0, 0, "triangular: the mode"),
    SCHF_INT(S, levels, "", 0, 0, 100000, "grid: levels of this parameter (0: design.levels)"),
};
#undef S
static const sch_schema param_schema =
    SCHF_SCHEMA("parameter", sweep_param, param_fields, param_check);

#define S sweep_metric
static const sch_field metric_fields[] = {
    SCHF_REQSTR(S, name, "label in outputs"),
    SCHF_REQSTR(S, series, "series of a run, as in the run file (e.g. value_added, index_nqp)"),
    SCHF_ENUM(S, group, group_names, "economy",
              "level: economy, industry, region or industry_region"),
    SCHF_STR(S, industry, "", "industry id (industry levels)"),
    SCHF_STR(S, region, "", "region id (region levels)"),
    SCHF_ENUM(S, statistic, metric_stat_names, "final",
              "final, mean, sum, min, peak, growth (last/first - 1) or recovery (steps)"),
    SCHF_INT(S, from, "step", 0, 0, SCN_MAX_STEPS, "first step of the window"),
    SCHF_INT(S, to, "step", -1, -1, SCN_MAX_STEPS, "last step of the window (-1: the last step)"),
    SCHF_INT(S, shock, "step", 0, 0, SCN_MAX_STEPS, "recovery: step of the shock"),
    SCHF_DBL(S, threshold, "share", 1, 0, 1e6, "recovery: share of the pre-shock level to regain"),
};
#undef S
static const sch_schema metric_schema =
    SCHF_SCHEMA("metric", sweep_metric, metric_fields, metric_check);

#define S sweep_spec
static const sch_field sweep_fields[] = {
    SCHF_STR(S, name, "sweep", "sweep name"),
    SCHF_STR(S, description, "", "what the sweep studies"),
    SCHF_STR(S, scenario, "anhui.yaml",
             "base scenario: a file relative to this one, else an embedded scenario"),
    {.key = "set",
     .type = SCH_STRING_LIST,
     .offset = offsetof(S, set),
     .count_offset = offsetof(S, n_set),
     .unit = "",
     .doc = "fixed overrides of every run, as --set KEY=VALUE"},
    SCHF_INT(S, seed, "", 1, 0, SCN_MAX_SEED, "master seed: every run's seed derives from it"),
    SCHF_INT(S, replicates, "", 1, 1, 1000000, "runs per design point"),
    SCHF_BOOL(S, common_random_numbers, 1,
              "replicate r uses the same seed at every design point (common random numbers)"),
    SCHF_SUB(S, design, design_schema, "the design"),
    SCHF_SUB(S, analysis, analysis_schema, "summaries and sensitivity indices"),
    {.key = "parameters",
     .type = SCH_LIST,
     .offset = offsetof(S, params),
     .count_offset = offsetof(S, n_params),
     .unit = "",
     .doc = "scenario fields varied by the design",
     .sub = &param_schema,
     .min = 0,
     .max = SWEEP_MAX_PARAMS},
    {.key = "metrics",
     .type = SCH_LIST,
     .offset = offsetof(S, metrics),
     .count_offset = offsetof(S, n_metrics),
     .unit = "",
     .doc = "named scalar outputs of each run",
     .sub = &metric_schema,
     .min = 1,
     .max = 1000,
     .required = 1},
};
#undef S
const sch_schema sweep_schema = SCHF_SCHEMA("sweep", sweep_spec, sweep_fields, sweep_check);
