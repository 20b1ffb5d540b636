/* sweep_exec: one run of a sweep: the frozen base scenario, the point's
 * parameter overrides and the replicate's seed go into a run_plan without
 * output; a step hook feeds the metric accumulators from the observer.
 *
 * Invariants: a run's result depends only on (sweep, run index): not on
 * the thread count, the process or the order of runs (the engine is
 * deterministic for any thread count, and nothing here keeps state between
 * runs); a run abandoned through its hooks' stop flag reports SWEEP_RUN_NOT_RUN so that it is
 * never recorded as finished.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/observe.h"
#include "drivers/run.h"
#include "drivers/sweep.h"
#include "world/world.h"

typedef struct exec_ctx {
  const sweep *sw;
  metric_acc *acc;
  int started;
  const sweep_hooks *hooks;
} exec_ctx;

static int exec_on_step(void *ctx, const world *w, const observer *o, int step) {
  exec_ctx *c = ctx;
  const sweep *sw = c->sw;
  if (!c->started) {
    for (size_t m = 0; m < sw->n_metrics; m++)
      metric_acc_init(&c->acc[m], &sw->s.metrics[m], w->scn->steps);
    c->started = 1;
  }
  for (size_t m = 0; m < sw->n_metrics; m++) {
    const sweep_metric *mt = &sw->s.metrics[m];
    metric_acc_step(&c->acc[m], mt, step, obs_value(o, mt->series, mt->group, mt->cell));
  }
  if (c->hooks && c->hooks->poll) c->hooks->poll(c->hooks->poll_ctx);
  return c->hooks && c->hooks->stop && *c->hooks->stop;
}

/* Keep the first line of MSG, cut to the record's message size; the
 * frozen base scenario's file name reads "base scenario" wherever it
 * stands (a check failing after a --set names the --set first, then the
 * base scenario's position). */
static void result_failed(const sweep *sw, sweep_result *res, const char *msg) {
  size_t n = strlen(sw->base_path), len = strcspn(msg, "\n"), o = 0;
  for (size_t i = 0; i < len && o + 1 < sizeof res->message;) {
    if (n && len - i >= n && !strncmp(msg + i, sw->base_path, n)) {
      o += (size_t)snprintf(res->message + o, sizeof res->message - o, "base scenario");
      i += n;
    } else
      res->message[o++] = msg[i++];
  }
  res->message[o < sizeof res->message ? o : sizeof res->message - 1] = '\0';
}

int sweep_run_one(const sweep *sw, size_t run, int threads, const sweep_hooks *hooks,
                  sweep_result *res) {
  size_t point = run / sw->n_reps, rep = run % sw->n_reps;
  const char **sets = calloc(sw->n_params ? sw->n_params : 1, sizeof *sets);
  char *buf = malloc((sw->n_params ? sw->n_params : 1) * SWEEP_SET_LEN);
  metric_acc *acc = calloc(sw->n_metrics, sizeof *acc);
  run_result *rr = malloc(sizeof *rr);
  exec_ctx ctx = {sw, acc, 0, hooks};
  res->run = run;
  res->steps = 0;
  res->wall_s = 0;
  res->message[0] = '\0';
  for (size_t m = 0; m < sw->n_metrics; m++) res->metrics[m] = NAN;
  if (!sets || !buf || !acc || !rr) {
    res->status = SWEEP_RUN_FAILED;
    result_failed(sw, res, "out of memory");
    goto done;
  }
  sweep_point_sets(sw, point, sets, buf);
  run_plan plan = {.scenario = sw->base_path,
                   .sets = sets,
                   .nsets = sw->n_params,
                   .seed = sweep_seed(sw, point, rep),
                   .steps = -1,
                   .threads = threads > 0 ? threads : 1,
                   .on_step = exec_on_step,
                   .on_step_ctx = &ctx};
  int status = run_execute(&plan, rr);
  res->steps = rr->steps;
  res->wall_s = rr->wall_s;
  if (hooks && hooks->stop && *hooks->stop && status != RUN_OK) {
    res->status = SWEEP_RUN_NOT_RUN;
    goto done;
  }
  res->status = status == RUN_OK          ? SWEEP_RUN_OK
                : status == RUN_BAD_INPUT ? SWEEP_RUN_BAD_INPUT
                                          : SWEEP_RUN_FAILED;
  if (status != RUN_OK) {
    result_failed(sw, res, rr->message);
    goto done;
  }
  for (size_t m = 0; m < sw->n_metrics; m++)
    res->metrics[m] = metric_acc_value(&acc[m], &sw->s.metrics[m]);
done:
  free(sets);
  free(buf);
  free(acc);
  free(rr);
  return res->status;
}
