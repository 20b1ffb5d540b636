/* run: scenario -> world -> step loop -> observation -> HDF5 (drivers/run.h).
 *
 * Invariants: the output is opened before the first step and renamed to
 * its final name only after the last step was written; nothing reads YAML
 * after the scenario is loaded; the resolved scenario written to the file
 * re-creates the run with `nqpsim run` (seed and steps included).
 *
 * Checkpoints (output/checkpoint.h): written at step boundaries only (every
 * checkpoint_every steps, at stop_at, and when an interrupt is seen), after
 * the run file is flushed, so the checkpoint holds the state after step
 * K-1 and the run file's data of steps 0..K-1. A resumed run rebuilds the
 * scenario from the checkpoint, restores the world, replays the data into
 * a new run file and continues the loop at step K: the observer keeps no
 * state across steps, so the series it computes afterwards are the same.
 * The scenario's memory estimate is checked before the world is allocated.
 *
 * Shared pieces: the scenario with seed/steps overrides and the memory
 * check are drivers/runprep.c; the run file (provenance, events, series,
 * panel schedule, flushes, closing attributes) is drivers/runout.c, which
 * the API's in-memory record (drivers/runrec.c) replays into as well.
 */
#include "drivers/run.h"

#include <H5public.h>
#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/atomic_file.h"
#include "drivers/runout.h"
#include "drivers/runprep.h"
#include "output/checkpoint.h"
#include "output/h5out.h"
#include "sim/world_create.h"
#include "sim/observe.h"
#include "config/scenario.h"
#include "sim/step.h"
#include "world/world.h"
#include "base/clock.h"

const char *const run_summary_names[] = {"firms", "output",  "value_added", "employment_skilled",
                                         "tfp",   "digital", "index_nqp",   "automation",
                                         NULL};

typedef struct run_ctx {
  const run_plan *plan;
  run_result *res;
  scenario scn;
  int scn_loaded;
  char *resolved;
  world *w;
  observer *obs;
  runout *rf;            /* the run file; NULL: none (yet) */
  ckpt *ck;              /* the checkpoint resumed from; NULL for a new run */
  char *out_path;        /* run file (the plan's, or the checkpointed run's); NULL: none */
  char *out_abs;         /* the same, absolute: recorded in checkpoints */
  char *ckpt_path;       /* where checkpoints are written */
  af_lock *out_lock;     /* held from setup_paths to the end (base/atomic_file.h) */
  af_lock *ckpt_lock;    /* the same for the checkpoint, when one is planned */
  unsigned char *finite; /* per series: finite at some step of this call (note_degenerate) */
  char start_time[64];   /* of the run (before any resume) */
  double wall_before;    /* wall time spent before the resume (s) */
  long every;            /* checkpoint interval (steps), 0: none */
  double t0;             /* start of this call */
} run_ctx;

static int fail(run_ctx *c, int status, const char *msg) {
  c->res->status = status;
  snprintf(c->res->message, sizeof c->res->message, "%s", msg);
  return status;
}

/* Scenario with the plan's seed/steps folded into the overrides. */
static int load_scenario(run_ctx *c) {
  const run_plan *p = c->plan;
  char err[4096];
  if (runprep_load(p->scenario, p->sets, p->nsets, p->seed, p->steps, &c->scn, &c->resolved, err,
                   sizeof err) != 0)
    return fail(c, strcmp(err, "out of memory") ? RUN_BAD_INPUT : RUN_FAILED, err);
  c->scn_loaded = 1;
  return RUN_OK;
}

/* ---- resume and memory ---------------------------------------------------- */

/* Open the checkpoint and rebuild its scenario from the stored text. */
static int load_checkpoint(run_ctx *c) {
  const run_plan *p = c->plan;
  char err[4096], name[1200];
  int rc;
  snprintf(c->res->checkpoint, sizeof c->res->checkpoint, "%s", p->resume);
  if (!(c->ck = ckpt_open(p->resume, &rc, err, sizeof err)))
    return fail(c, rc == CKPT_BAD ? RUN_BAD_INPUT : RUN_FAILED, err);
  const ckpt_info *in = ckpt_get_info(c->ck);
  snprintf(name, sizeof name, "%s:/scenario", p->resume);
  if (scn_load_string(name, in->scenario, NULL, 0, &c->scn, NULL, err, sizeof err) != 0)
    return fail(c, RUN_BAD_INPUT, err);
  c->scn_loaded = 1;
  if (!(c->resolved = strdup(in->scenario))) return fail(c, RUN_FAILED, "out of memory");
  if (c->scn.steps != in->steps) {
    snprintf(err, sizeof err, "%s: the stored scenario has %d steps, the checkpoint says %d",
             p->resume, c->scn.steps, in->steps);
    return fail(c, RUN_BAD_INPUT, err);
  }
  snprintf(c->start_time, sizeof c->start_time, "%s", in->start_time);
  c->wall_before = in->wall_s;
  return RUN_OK;
}

/* PATH made absolute against the working directory (heap). */
static char *absolute_path(const char *path) {
  char cwd[4096];
  size_t len;
  if (path[0] == '/' || !getcwd(cwd, sizeof cwd)) return strdup(path);
  len = strlen(cwd) + strlen(path) + 2;
  char *out = malloc(len);
  if (out) snprintf(out, len, "%s/%s", cwd, path);
  return out;
}

/* The default checkpoint path: OUT with ".h5" replaced by ".ckpt.h5", or
 * NAME.ckpt.h5 in the working directory when there is no run file. */
static char *default_checkpoint(const char *out, const char *name) {
  const char *base = out ? out : name;
  size_t len = strlen(base), cut = len;
  if (out && len > 3 && !strcmp(base + len - 3, ".h5")) cut = len - 3;
  char *p = malloc(cut + sizeof ".ckpt.h5");
  if (p) snprintf(p, cut + sizeof ".ckpt.h5", "%.*s.ckpt.h5", (int)cut, base);
  return p;
}

/* Fail early (exit 1), before any simulation, when the directory of PATH
 * is missing or not writable: WHAT names the file ("run file", ...). */
static int check_dir(run_ctx *c, const char *path, const char *what) {
  char dir[1024], err[3000];
  const char *slash = strrchr(path, '/');
  if (!slash)
    snprintf(dir, sizeof dir, ".");
  else
    snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
  if (access(dir, W_OK | X_OK) == 0) return RUN_OK;
  snprintf(err, sizeof err, "cannot write the %s %s: directory %s: %s", what, path, dir,
           strerror(errno));
  return fail(c, RUN_FAILED, err);
}

/* Refuse OUT when it is the input IN (WHAT_IN names it). */
static int refuse_input(run_ctx *c, const char *out, const char *in, const char *what_out,
                        const char *what_in) {
  char err[3000];
  if (!out || !in || (strcmp(out, in) && !atomic_file_same(out, in))) return RUN_OK;
  snprintf(err, sizeof err, "%s %s is the %s file: refusing to overwrite an input", what_out, out,
           what_in);
  return fail(c, RUN_BAD_INPUT, err);
}

/* Lock PATH for the whole run and refuse it when busy or bad. */
static int reserve(run_ctx *c, const char *path, unsigned flags, const char *what, af_lock **l) {
  char msg[1024], err[1100];
  af_stage st;
  if ((*l = atomic_file_lock(path, flags, &st, msg, sizeof msg))) return RUN_OK;
  snprintf(err, sizeof err, "%s%s", what, msg);
  return fail(c, AF_BAD_INPUT(st) ? RUN_BAD_INPUT : RUN_FAILED, err);
}

/* --stop-at must name a step this run still has to start. */
static int check_stop_at(run_ctx *c) {
  long s = c->plan->stop_at;
  int from = c->ck ? ckpt_get_info(c->ck)->step : 0;
  char err[256];
  if (s <= 0) return RUN_OK;
  if (s >= c->scn.steps)
    snprintf(err, sizeof err,
             "--stop-at %ld: the run has %d steps, so it can stop before steps "
             "1 to %d only",
             s, c->scn.steps, c->scn.steps - 1);
  else if (s <= from)
    snprintf(err, sizeof err, "--stop-at %ld: the checkpoint is at step %d already (stop later)", s,
             from);
  else
    return RUN_OK;
  return fail(c, RUN_BAD_INPUT, err);
}

static int setup_paths(run_ctx *c) {
  const run_plan *p = c->plan;
  const char *out = p->output;
  if (c->ck && !out && !p->no_output) {
    const char *o = ckpt_get_info(c->ck)->output;
    out = o[0] ? o : NULL;
  }
  if (p->no_output) out = NULL;
  if (out && (!(c->out_path = strdup(out)) || !(c->out_abs = absolute_path(out))))
    return fail(c, RUN_FAILED, "out of memory");
  c->ckpt_path = p->checkpoint ? strdup(p->checkpoint)
                 : c->ck       ? strdup(p->resume)
                               : default_checkpoint(out, c->scn.name);
  if (!c->ckpt_path) return fail(c, RUN_FAILED, "out of memory");
  if (c->ck && out && !ckpt_has_output(c->ck)) {
    char err[1200];
    snprintf(err, sizeof err,
             "%s: the checkpointed run wrote no run file, so none can be completed (resume "
             "with --no-output)",
             p->resume);
    return fail(c, RUN_BAD_INPUT, err);
  }
  if (out && check_dir(c, out, "run file") != RUN_OK) return RUN_FAILED;
  c->every = p->checkpoint_every > 0 ? p->checkpoint_every : 0;
  if (c->ck && p->checkpoint_every < 0) c->every = ckpt_get_info(c->ck)->checkpoint_every;
  if ((c->every > 0 || p->stop_at > 0) && check_dir(c, c->ckpt_path, "checkpoint") != RUN_OK)
    return RUN_FAILED;
  size_t lo = out ? strlen(out) : 0;
  if (out && (!strcmp(c->ckpt_path, out) || atomic_file_same(c->ckpt_path, out) ||
              (!strncmp(c->ckpt_path, out, lo) && !strcmp(c->ckpt_path + lo, ".partial")))) {
    char err[2200];
    snprintf(err, sizeof err, "checkpoint path %s would overwrite the run file %s", c->ckpt_path,
             out);
    return fail(c, RUN_BAD_INPUT, err);
  }
  if (refuse_input(c, out, p->scenario, "the run file", "scenario") != RUN_OK ||
      refuse_input(c, c->ckpt_path, p->scenario, "the checkpoint", "scenario") != RUN_OK ||
      refuse_input(c, out, p->resume, "the run file", "checkpoint resumed from") != RUN_OK ||
      check_stop_at(c) != RUN_OK)
    return RUN_BAD_INPUT;
  /* busy, not a regular file, existing without --force: refused now, and
   * the locks are held until the end so no other process writes them */
  if (out && reserve(c, out, p->force ? AF_FORCE : 0, "", &c->out_lock) != RUN_OK)
    return c->res->status;
  if ((c->every > 0 || p->stop_at > 0) &&
      reserve(c, c->ckpt_path, AF_FORCE, "checkpoint: ", &c->ckpt_lock) != RUN_OK)
    return c->res->status;
  return RUN_OK;
}

/* Refuse, before allocating, a scenario whose world would not fit. */
static int check_memory(run_ctx *c) {
  char err[512];
  return runprep_check_memory(&c->scn, err, sizeof err) == 0 ? RUN_OK : fail(c, RUN_BAD_INPUT, err);
}

static int restore_world(run_ctx *c) {
  char err[4096];
  int rc = ckpt_restore(c->ck, c->w, err, sizeof err);
  if (rc != CKPT_OK) return fail(c, rc == CKPT_BAD ? RUN_BAD_INPUT : RUN_FAILED, err);
  c->res->first_step = c->res->steps = c->w->step;
  return RUN_OK;
}

static int replay_output(run_ctx *c) {
  size_t ns, npv = 0;
  const series_def *series = obs_series(c->obs, &ns);
  const panel_var *pv = c->scn.output.panel_interval > 0 ? obs_panel_vars(&npv) : NULL;
  char err[4096];
  int rc = ckpt_replay(c->ck, runout_writer(c->rf), series, ns, (size_t)c->scn.n_industries,
                       (size_t)c->scn.n_regions, pv, npv, err, sizeof err);
  if (rc != CKPT_OK) return fail(c, rc == CKPT_BAD ? RUN_BAD_INPUT : RUN_FAILED, err);
  return RUN_OK;
}

/* ---- checkpoints ------------------------------------------------------------ */

static int write_checkpoint(run_ctx *c) {
  char err[4096], *partial = NULL;
  if (c->rf && h5out_flush(runout_writer(c->rf)) != 0)
    return fail(c, RUN_FAILED, h5out_last_error());
  if (c->out_path && !(partial = malloc(strlen(c->out_path) + sizeof ".partial")))
    return fail(c, RUN_FAILED, "out of memory");
  if (partial) sprintf(partial, "%s.partial", c->out_path);
  ckpt_info in = {.steps = c->scn.steps,
                  .checkpoint_every = c->every,
                  .scenario = c->resolved,
                  .output = c->out_abs ? c->out_abs : "",
                  .command_line = (char *)(c->plan->command_line ? c->plan->command_line : ""),
                  .start_time = c->start_time,
                  .wall_s = c->wall_before + clock_monotonic_s() - c->t0};
  if (c->ck) in.command_line = ckpt_get_info(c->ck)->command_line;
  int rc = ckpt_write(c->ckpt_path, c->w, &in, partial, err, sizeof err);
  free(partial);
  if (rc != CKPT_OK) return fail(c, RUN_FAILED, err);
  snprintf(c->res->checkpoint, sizeof c->res->checkpoint, "%s", c->ckpt_path);
  return RUN_OK;
}

static const char *signal_name(int sig) {
  return sig == 1 ? "SIGHUP" : sig == 2 ? "SIGINT" : sig == 15 ? "SIGTERM" : "a signal";
}

/* Stop before step STEP: checkpoint, then report how to continue. A
 * signal SIG is a failure (exit 1), a requested stop (SIG 0) is not. */
static int stop_with_checkpoint(run_ctx *c, int step, int sig) {
  if (write_checkpoint(c) != RUN_OK) return c->res->status;
  char head[64], msg[3000];
  if (sig)
    snprintf(head, sizeof head, "interrupted by %s (%d)", signal_name(sig), sig);
  else
    snprintf(head, sizeof head, "stopped as asked (--stop-at)");
  snprintf(msg, sizeof msg,
           "%s after step %d of %d; checkpoint written to %s\n"
           "  continue the run with: nqpsim resume %s",
           head, step, c->scn.steps, c->ckpt_path, c->ckpt_path);
  c->res->stopped = 1;
  return fail(c, sig ? RUN_FAILED : RUN_OK, msg);
}

/* After a failure, say where the last checkpoint is (if any). */
static void mention_checkpoint(run_ctx *c) {
  run_result *r = c->res;
  if (r->status != RUN_FAILED || r->stopped || !r->checkpoint[0]) return;
  size_t len = strlen(r->message);
  snprintf(r->message + len, sizeof r->message - len,
           "\n  the last checkpoint is %s: continue with: nqpsim resume %s", r->checkpoint,
           r->checkpoint);
}

/* A periodic checkpoint is due after DONE steps (never after the last). */
static int checkpoint_due(const run_ctx *c, int done) {
  return c->every > 0 && done % c->every == 0 && done < c->scn.steps;
}

/* ---- output ------------------------------------------------------------------ */

static int open_output(run_ctx *c) {
  size_t ns;
  const series_def *series = obs_series(c->obs, &ns);
  int exists = 0;
  char err[2048];
  c->rf = runout_open(c->out_path, c->plan->force, &c->scn, series, ns, &exists, err, sizeof err);
  if (!c->rf) return fail(c, exists ? RUN_BAD_INPUT : RUN_FAILED, err);
  return c->ck ? replay_output(c) : RUN_OK;
}

static void write_provenance(run_ctx *c) {
  const run_plan *p = c->plan;
  const char *cmd = p->command_line ? p->command_line : "";
  runout_prov prov = {.command_line = c->ck ? ckpt_get_info(c->ck)->command_line : cmd,
                      .threads = p->threads,
                      .start_time = c->start_time,
                      .resolved = c->resolved};
  if (c->ck) {
    prov.resumed_from = p->resume;
    prov.resumed_at_step = c->res->first_step;
    prov.resume_command_line = cmd;
  }
  runout_provenance(c->rf, &prov);
}

/* Record the first step with no live firm, and the first step an economy
 * series that was finite before turns NaN (run_result.extinct_step,
 * nan_step): a statistic undefined from the start (a percentile ratio of
 * one firm) is not a failure, a mean that stops existing is. */
static void note_degenerate(run_ctx *c, int step, const double *const *vals) {
  size_t ns;
  const series_def *series = obs_series(c->obs, &ns);
  if (!c->res->extinct_step && obs_economy(c->obs, "firms") <= 0) c->res->extinct_step = step + 1;
  if (!c->finite && !(c->finite = calloc(ns ? ns : 1, 1))) return; /* best effort */
  for (size_t i = 0; i < ns; i++) {
    if (series[i].group != SERIES_ECONOMY) continue;
    if (!isnan(vals[i][0])) {
      c->finite[i] = 1;
    } else if (c->finite[i] && !c->res->nan_step) {
      c->res->nan_step = step + 1;
      snprintf(c->res->nan_series, sizeof c->res->nan_series, "%s", series[i].name);
    }
  }
}

/* Observation of the step just simulated, and its row of the run file. */
static int write_step(run_ctx *c, int step) {
  const double *const *vals = obs_compute(c->obs, c->w);
  if (!vals) return fail(c, RUN_FAILED, "out of memory computing series");
  note_degenerate(c, step, vals);
  if (!c->rf) return RUN_OK;
  runout_snap snap = {.n_slots = c->w->f.n, .alive = c->w->f.alive};
  if (runout_panel_due(&c->scn, step) && !(snap.columns = obs_panel(c->obs, c->w)))
    return fail(c, RUN_FAILED, "out of memory computing the firm panel");
  char err[2048];
  if (runout_step(c->rf, step, vals, &snap, err, sizeof err) != 0) return fail(c, RUN_FAILED, err);
  return RUN_OK;
}

static int simulate(run_ctx *c) {
  const run_plan *p = c->plan;
  char err[2048];
  double t0 = clock_monotonic_s();
  for (int step = c->w->step; step < c->scn.steps; step++) {
    if (p->interrupt && *p->interrupt) return stop_with_checkpoint(c, step, *p->interrupt);
    if (p->stop_at > 0 && step == p->stop_at) return stop_with_checkpoint(c, step, 0);
    if (step_run(c->w, err, sizeof err) != 0) return fail(c, RUN_FAILED, err);
    if (p->check && world_check(c->w, err, sizeof err) != 0) return fail(c, RUN_FAILED, err);
    if (write_step(c, step) != RUN_OK) return c->res->status;
    c->res->steps = step + 1;
    c->res->firm_steps += obs_economy(c->obs, "firms");
    if (checkpoint_due(c, step + 1) && write_checkpoint(c) != RUN_OK) return c->res->status;
    if (p->on_step && p->on_step(p->on_step_ctx, c->w, c->obs, step) != 0)
      return fail(c, RUN_FAILED, "stopped by the caller");
    if (p->progress) p->progress(p->progress_ctx, step + 1, c->scn.steps, clock_monotonic_s() - t0);
  }
  return RUN_OK;
}

static int finish_output(run_ctx *c, int ok) {
  if (!c->rf) return c->res->status;
  char err[2048];
  if (runout_finish(&c->rf, ok, c->res->steps, c->wall_before + c->res->wall_s, err, sizeof err) !=
          0 &&
      ok)
    return fail(c, RUN_FAILED, err);
  return c->res->status;
}

static void cleanup(run_ctx *c) {
  runout_abort(&c->rf);
  obs_free(&c->obs);
  world_free(&c->w);
  if (c->scn_loaded) scn_free(&c->scn);
  free(c->resolved);
  ckpt_close(&c->ck);
  free(c->out_path);
  free(c->out_abs);
  free(c->ckpt_path);
  free(c->finite);
  atomic_file_unlock(&c->out_lock); /* after the writers let go of theirs */
  atomic_file_unlock(&c->ckpt_lock);
}

int run_execute(const run_plan *plan, run_result *res) {
  memset(res, 0, sizeof *res);
  run_ctx c = {.plan = plan, .res = res};
  double t0 = c.t0 = clock_monotonic_s();
  char err[2048];
  clock_utc_iso(c.start_time, sizeof c.start_time);
  if ((plan->resume ? load_checkpoint(&c) : load_scenario(&c)) != RUN_OK) goto done;
  if (setup_paths(&c) != RUN_OK || check_memory(&c) != RUN_OK) goto done;
  c.w = world_create(&c.scn, plan->threads, err, sizeof err);
  if (!c.w) {
    fail(&c, RUN_FAILED, err);
    goto done;
  }
  if (c.ck && restore_world(&c) != RUN_OK) goto done;
  c.obs = obs_create(c.w);
  if (!c.obs) {
    fail(&c, RUN_FAILED, "out of memory creating the observer");
    goto done;
  }
  if (c.out_path && open_output(&c) != RUN_OK) goto done;
  if (c.rf) write_provenance(&c);
  int ok = simulate(&c) == RUN_OK && !res->stopped;
  res->wall_s = clock_monotonic_s() - t0;
  for (int i = 0; run_summary_names[i]; i++)
    res->summary[i] = obs_economy(c.obs, run_summary_names[i]);
  finish_output(&c, ok);
done:
  if (res->wall_s == 0) res->wall_s = clock_monotonic_s() - t0;
  mention_checkpoint(&c);
  cleanup(&c);
  return res->status;
}
