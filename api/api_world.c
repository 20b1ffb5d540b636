/* api_world: world handles of the public API (nqp_world_create, _step,
 * _reset, _free, the step counts): a world built from a scenario, stepped
 * and observed in memory.
 *
 * Invariants: each step is the streaming run's step (sim/step.c) followed
 * by the same observation, kept in the record (drivers/runrec.c) instead
 * of written, so the record after step k holds the values `nqpsim run`
 * writes for steps 0..k; a step past the scenario's `steps` is refused
 * before anything runs; a world whose step failed half way is marked
 * broken and refuses to step or save until reset; reset builds the new
 * world first and replaces the old one only when that succeeded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api_priv.h"
#include "drivers/runprep.h"
#include "sim/step.h"
#include "sim/world_create.h"
#include "base/clock.h"

#define API_MAX_THREADS 1024

/* The engine objects of a world (its scenario stays), or none on failure. */
static void free_engine(nqp_world *w) {
  runrec_free(&w->rec);
  obs_free(&w->obs);
  world_free(&w->w);
}

/* Build world, observer and record for W's scenario into W. */
static int build_engine(nqp_world *w) {
  char err[4096];
  if (runprep_check_memory(&w->scn, err, sizeof err) != 0)
    return api_fail(NQP_BAD_INPUT, "%s", err);
  if (!(w->w = world_create(&w->scn, w->threads, err, sizeof err)))
    return api_fail(NQP_FAILED, "%s", err);
  if (!(w->obs = obs_create(w->w)) || !(w->rec = runrec_create(w->w, w->obs))) {
    free_engine(w);
    return api_fail(NQP_FAILED, "out of memory creating the observer");
  }
  w->broken = 0;
  w->wall_s = 0;
  clock_utc_iso(w->start_time, sizeof w->start_time);
  return NQP_OK;
}

nqp_world *nqp_world_create(const nqp_scenario *s, int threads) {
  if (api_need(s, "nqp_world_create")) return NULL;
  if (threads < 1 || threads > API_MAX_THREADS) {
    api_fail(NQP_BAD_INPUT, "threads: expected an integer in [1, %d], found %d", API_MAX_THREADS,
             threads);
    return NULL;
  }
  nqp_world *w = calloc(1, sizeof *w);
  if (!w || !(w->resolved = strdup(s->resolved))) {
    free(w);
    api_fail(NQP_FAILED, "out of memory");
    return NULL;
  }
  w->threads = threads;
  char err[4096];
  if (scn_load_string(s->scn.name, w->resolved, NULL, 0, &w->scn, NULL, err, sizeof err) != 0) {
    api_fail(NQP_FAILED, "rebuilding the scenario from its resolved text: %s", err);
    free(w->resolved);
    free(w);
    return NULL;
  }
  if (build_engine(w) != NQP_OK) {
    scn_free(&w->scn);
    free(w->resolved);
    free(w);
    return NULL;
  }
  return w;
}

/* One step: the phases, then the observation into the record. */
static int step_once(nqp_world *w) {
  char err[4096];
  if (step_run(w->w, err, sizeof err) != 0 ||
      runrec_observe(w->rec, w->obs, w->w, err, sizeof err) != 0) {
    w->broken = 1;
    return api_fail(NQP_FAILED, "%s", err);
  }
  return NQP_OK;
}

int nqp_world_step(nqp_world *w, int n) {
  if (api_need(w, "nqp_world_step")) return NQP_BAD_INPUT;
  if (w->broken)
    return api_fail(NQP_FAILED, "the world's step %d failed earlier: reset it", w->w->step);
  int done = w->w->step, total = w->scn.steps;
  if (n < 1) return api_fail(NQP_BAD_INPUT, "steps to simulate: expected >= 1, found %d", n);
  if (n > total - done)
    return api_fail(NQP_BAD_INPUT,
                    "cannot simulate %d more step%s: %d of the scenario's %d steps are done (set "
                    "\"steps\" to run longer)",
                    n, n == 1 ? "" : "s", done, total);
  double t0 = clock_monotonic_s();
  int rc = NQP_OK;
  for (int i = 0; i < n && rc == NQP_OK; i++) rc = step_once(w);
  w->wall_s += clock_monotonic_s() - t0;
  return rc;
}

int nqp_world_reset(nqp_world *w) {
  if (api_need(w, "nqp_world_reset")) return NQP_BAD_INPUT;
  nqp_world old = *w; /* the engine objects to free, or to put back */
  w->w = NULL, w->obs = NULL, w->rec = NULL;
  int rc = build_engine(w);
  if (rc != NQP_OK) {
    *w = old;
    return rc;
  }
  free_engine(&old);
  return NQP_OK;
}

int nqp_world_steps_done(const nqp_world *w) {
  return api_need(w, "nqp_world_steps_done") ? -1 : w->w->step;
}

int nqp_world_steps_total(const nqp_world *w) {
  return api_need(w, "nqp_world_steps_total") ? -1 : w->scn.steps;
}

void nqp_world_free(nqp_world *w) {
  if (!w) return;
  free_engine(w);
  scn_free(&w->scn);
  free(w->resolved);
  free(w);
}
