/* sweep_local: the sweep's runs on the OpenMP threads of one process.
 *
 * Runs are handed out one at a time (schedule(dynamic, 1)) in index order;
 * each runs single-threaded while runs outnumber threads, else the threads
 * are shared among the remaining runs (nested parallelism). Finished runs
 * are recorded under one critical section (journal, results file,
 * progress).
 *
 * Invariants: what a run computes does not depend on the thread that ran
 * it nor on its inner thread count (drivers/sweep_exec.c), and the results
 * file does not depend on the order runs finish in (drivers/sweepout.h), so
 * a sweep on N threads writes the same datasets as a serial one; once the
 * session is stopping (signal, max_runs, a failure) no new run starts and
 * runs in flight finish and are recorded.
 */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/sweep_run.h"

typedef struct local_ctx {
  const sweep *sw;
  sweep_session *s;
  int inner;
  int failed;
  char *err;
  size_t errlen;
} local_ctx;

/* Claim run R (under the lock): 1 when it should run. */
static int local_claim(local_ctx *c, size_t r) {
  int go;
#pragma omp critical(sweep_session)
  go = !sweep_session_is_done(c->s, r) && !c->failed && sweep_session_claim(c->s);
  return go;
}

static void local_record(local_ctx *c, const sweep_result *res) {
#pragma omp critical(sweep_session)
  {
    if (!c->failed && sweep_session_record(c->s, res, c->err, c->errlen) != 0) c->failed = 1;
  }
}

static void local_one(local_ctx *c, size_t r, double *metrics) {
  sweep_result res = {.metrics = metrics};
  if (!local_claim(c, r)) return;
  if (sweep_run_one(c->sw, r, c->inner, NULL, &res) == SWEEP_RUN_NOT_RUN) return;
  local_record(c, &res);
}

static size_t pending_runs(const sweep *sw, const sweep_session *s) {
  return sw->n_runs - sweep_session_done(s);
}

int sweep_run_local(sweep_session *s, char *err, size_t errlen) {
  const sweep *sw = sweep_session_sweep(s);
  int threads = sweep_session_threads(s);
  size_t pending = pending_runs(sw, s), n = sw->n_runs;
  int outer = pending < (size_t)threads ? (int)(pending ? pending : 1) : threads;
  local_ctx c = {sw, s, threads / outer, 0, err, errlen};
  if (c.inner > 1) omp_set_max_active_levels(2);
#pragma omp parallel num_threads(outer) default(none) shared(c, n)
  {
    double *metrics = malloc(c.sw->n_metrics * sizeof *metrics);
#pragma omp for schedule(dynamic, 1)
    for (size_t r = 0; r < n; r++)
      if (metrics) local_one(&c, r, metrics);
    if (!metrics) {
#pragma omp critical(sweep_session)
      c.failed = 1;
    }
    free(metrics);
  }
  if (c.failed && !err[0]) snprintf(err, errlen, "out of memory");
  return c.failed ? SWEEP_FAILED : SWEEP_OK;
}
