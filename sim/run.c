/* run: scenario -> world -> step loop -> observation -> HDF5 (sim/run.h).
 *
 * Invariants: the output is opened before the first step and renamed to
 * its final name only after the last step was written; nothing reads YAML
 * after the scenario is loaded; the resolved scenario written to the file
 * re-creates the run with `nqpsim run` (seed and steps included).
 */
#include "sim/run.h"

#include <H5public.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agents/government.h"
#include "output/h5out.h"
#include "sim/buildinfo.h"
#include "sim/observe.h"
#include "sim/scenario.h"
#include "sim/step.h"
#include "sim/world.h"

const char *const run_summary_names[] = {"firms", "output",  "value_added", "employment_skilled",
                                         "tfp",   "digital", "index_nqp",   NULL};

typedef struct run_ctx {
  const run_plan *plan;
  run_result *res;
  scenario scn;
  int scn_loaded;
  char *resolved;
  world *w;
  observer *obs;
  h5out *out;
  const char **labels_i, **labels_r;
} run_ctx;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void iso_time(char *buf, size_t len) {
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int fail(run_ctx *c, int status, const char *msg) {
  c->res->status = status;
  snprintf(c->res->message, sizeof c->res->message, "%s", msg);
  return status;
}

/* Scenario with the plan's seed/steps folded into the overrides. */
static int load_scenario(run_ctx *c) {
  const run_plan *p = c->plan;
  size_t n = p->nsets;
  const char **sets = calloc(n + 2, sizeof(char *));
  char seed[64], steps[64];
  if (!sets) return fail(c, RUN_FAILED, "out of memory");
  for (size_t i = 0; i < n; i++) sets[i] = p->sets[i];
  if (p->seed >= 0) snprintf(seed, sizeof seed, "seed=%ld", p->seed), sets[n++] = seed;
  if (p->steps > 0) snprintf(steps, sizeof steps, "steps=%ld", p->steps), sets[n++] = steps;
  char err[4096];
  int rc = scn_load(p->scenario, sets, n, &c->scn, &c->resolved, err, sizeof err);
  free(sets);
  if (rc != 0) return fail(c, RUN_BAD_INPUT, err);
  c->scn_loaded = 1;
  return RUN_OK;
}

static int open_output(run_ctx *c) {
  const run_plan *p = c->plan;
  const scenario *s = &c->scn;
  c->labels_i = calloc((size_t)s->n_industries, sizeof(char *));
  c->labels_r = calloc((size_t)s->n_regions, sizeof(char *));
  if (!c->labels_i || !c->labels_r) return fail(c, RUN_FAILED, "out of memory");
  for (int i = 0; i < s->n_industries; i++) c->labels_i[i] = s->industries[i].id;
  for (int r = 0; r < s->n_regions; r++) c->labels_r[r] = s->regions[r].id;
  h5out_spec spec = {.path = p->output, .force = p->force};
  spec.series = obs_series(c->obs, &spec.n_series);
  spec.industry_labels = c->labels_i, spec.n_industry = (size_t)s->n_industries;
  spec.region_labels = c->labels_r, spec.n_region = (size_t)s->n_regions;
  if (s->output.panel_interval > 0) spec.panel_vars = obs_panel_vars(&spec.n_panel_vars);
  spec.chunk_steps = (size_t)(s->steps < 64 ? s->steps : 64);
  spec.deflate = s->output.deflate;
  int exists = 0;
  char err[2048];
  c->out = h5out_open(&spec, &exists, err, sizeof err);
  if (!c->out) return fail(c, exists ? RUN_BAD_INPUT : RUN_FAILED, err);
  return RUN_OK;
}

static void write_provenance(run_ctx *c) {
  const run_plan *p = c->plan;
  char buf[128];
  unsigned maj, min, rel;
  H5get_libversion(&maj, &min, &rel);
  snprintf(buf, sizeof buf, "%u.%u.%u", maj, min, rel);
  h5out_attr_str(c->out, "program", "nqpsim");
  h5out_attr_str(c->out, "version", nqp_version);
  h5out_attr_str(c->out, "git_commit", nqp_git_commit);
  h5out_attr_str(c->out, "compiler", nqp_compiler);
  h5out_attr_str(c->out, "build_type", nqp_build_type);
  h5out_attr_str(c->out, "hdf5_version", buf);
  h5out_attr_str(c->out, "command_line", p->command_line ? p->command_line : "");
  h5out_attr_str(c->out, "scenario_name", c->scn.name);
  h5out_attr_i64(c->out, "seed", c->scn.seed);
  h5out_attr_i64(c->out, "threads", p->threads);
  h5out_attr_i64(c->out, "steps", c->scn.steps);
  h5out_attr_i64(c->out, "steps_per_year", c->scn.steps_per_year);
  iso_time(buf, sizeof buf);
  h5out_attr_str(c->out, "start_time", buf);
  h5out_text(c->out, "scenario", c->resolved);
}

static void write_events(run_ctx *c, int step) {
  for (int id = 0; id < LEVER_N; id++) {
    const scn_lever *l = scn_lever_get(&c->scn, id);
    int now = government_lever_active(l, step);
    int before = step > 0 && government_lever_active(l, step - 1);
    if (now && !before) h5out_event(c->out, step, "lever_on", scn_lever_key(id));
    if (!now && before) h5out_event(c->out, step, "lever_off", scn_lever_key(id));
  }
}

static int write_step(run_ctx *c, int step) {
  const double *const *vals = obs_compute(c->obs, c->w);
  if (!vals) return fail(c, RUN_FAILED, "out of memory computing series");
  if (!c->out) return RUN_OK;
  write_events(c, step);
  if (h5out_step(c->out, step, vals) != 0) return fail(c, RUN_FAILED, h5out_last_error());
  int pi = c->scn.output.panel_interval;
  if (pi > 0 && (step % pi == 0 || step == c->scn.steps - 1)) {
    const void *const *cols = obs_panel(c->obs, c->w);
    if (!cols || h5out_panel(c->out, step, c->w->f.n, cols, c->w->f.alive) != 0)
      return fail(c, RUN_FAILED, "writing the firm panel failed");
  }
  if ((step + 1) % c->scn.output.flush_interval == 0) h5out_flush(c->out);
  return RUN_OK;
}

static int simulate(run_ctx *c) {
  const run_plan *p = c->plan;
  char err[2048];
  double t0 = now_s();
  for (int step = 0; step < c->scn.steps; step++) {
    if (p->interrupt && *p->interrupt) return fail(c, RUN_FAILED, "interrupted");
    if (step_run(c->w, err, sizeof err) != 0) return fail(c, RUN_FAILED, err);
    if (p->check && world_check(c->w, err, sizeof err) != 0) return fail(c, RUN_FAILED, err);
    if (write_step(c, step) != RUN_OK) return c->res->status;
    c->res->steps = step + 1;
    c->res->firm_steps += obs_economy(c->obs, "firms");
    if (p->on_step && p->on_step(p->on_step_ctx, c->w, c->obs, step) != 0)
      return fail(c, RUN_FAILED, "stopped by the caller");
    if (p->progress) p->progress(p->progress_ctx, step + 1, c->scn.steps, now_s() - t0);
  }
  return RUN_OK;
}

static int finish_output(run_ctx *c, int ok) {
  if (!c->out) return c->res->status;
  char buf[64], err[2048];
  iso_time(buf, sizeof buf);
  h5out_attr_str(c->out, "end_time", buf);
  h5out_attr_f64(c->out, "wall_time_s", c->res->wall_s);
  h5out_attr_i64(c->out, "steps_done", c->res->steps);
  if (h5out_finish(&c->out, ok, err, sizeof err) != 0 && ok) return fail(c, RUN_FAILED, err);
  return c->res->status;
}

static void cleanup(run_ctx *c) {
  if (c->out) {
    char err[256];
    h5out_finish(&c->out, 0, err, sizeof err);
  }
  obs_free(&c->obs);
  world_free(&c->w);
  if (c->scn_loaded) scn_free(&c->scn);
  free(c->resolved);
  free(c->labels_i);
  free(c->labels_r);
}

int run_execute(const run_plan *plan, run_result *res) {
  memset(res, 0, sizeof *res);
  run_ctx c = {.plan = plan, .res = res};
  double t0 = now_s();
  char err[2048];
  if (load_scenario(&c) != RUN_OK) goto done;
  c.w = world_create(&c.scn, plan->threads, err, sizeof err);
  if (!c.w) {
    fail(&c, RUN_FAILED, err);
    goto done;
  }
  c.obs = obs_create(c.w);
  if (!c.obs) {
    fail(&c, RUN_FAILED, "out of memory creating the observer");
    goto done;
  }
  if (plan->output && open_output(&c) != RUN_OK) goto done;
  if (c.out) write_provenance(&c);
  int ok = simulate(&c) == RUN_OK;
  res->wall_s = now_s() - t0;
  for (int i = 0; run_summary_names[i]; i++)
    res->summary[i] = obs_economy(c.obs, run_summary_names[i]);
  finish_output(&c, ok);
done:
  if (res->wall_s == 0) res->wall_s = now_s() - t0;
  cleanup(&c);
  return res->status;
}
