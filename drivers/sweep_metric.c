/* sweep_metric: the metric registry, statistics that reduce one series cell
 * of a run to a scalar over a window of steps [from, to]:
 *
 *   final     value at the window's last step
 *   mean      mean over the window
 *   sum       sum over the window (cumulative flows)
 *   min       minimum over the window
 *   peak      maximum over the window
 *   growth    cumulative growth: value(to) / value(from) - 1
 *   recovery  steps from `shock` until the value, having fallen below
 *             threshold x its value at shock - 1, is back at or above it
 *             (0: it never fell below; NaN: not recovered in the window)
 *
 * Invariants: an accumulator sees each step once, in order (the run's step
 * hook); a metric whose window was not simulated to its end (a run with
 * fewer steps, a failed run) is NaN, and a NaN inside the window makes
 * every statistic but recovery NaN; nothing allocates.
 */
#include <math.h>

#include "drivers/sweep.h"

void metric_acc_init(metric_acc *a, const sweep_metric *m, int steps) {
  a->last_step = m->to < 0 ? steps - 1 : m->to;
  a->first = a->last = a->pre = a->recovered = NAN;
  a->fell = 0;
  a->sum = a->n = 0;
  a->min = INFINITY;
  a->max = -INFINITY;
}

/* From the shock on: first the step the value falls below the threshold,
 * then the first step it is back at or above it. */
static void acc_recovery(metric_acc *a, const sweep_metric *m, int step, double v) {
  double level = m->threshold * a->pre;
  if (step == m->shock - 1) a->pre = v;
  if (step < m->shock || step > a->last_step || !isnan(a->recovered)) return;
  if (!a->fell && v < level)
    a->fell = 1;
  else if (a->fell && v >= level)
    a->recovered = step - m->shock;
}

void metric_acc_step(metric_acc *a, const sweep_metric *m, int step, double v) {
  if (m->statistic == METRIC_RECOVERY) acc_recovery(a, m, step, v);
  if (step < m->from || step > a->last_step) return;
  if (step == m->from) a->first = v;
  a->last = v;
  a->sum += v;
  a->n += 1;
  /* Once NaN, min and max stay NaN (comparisons with NaN are false). */
  a->min = v < a->min || isnan(v) ? v : a->min;
  a->max = v > a->max || isnan(v) ? v : a->max;
}

double metric_acc_value(const metric_acc *a, const sweep_metric *m) {
  if (a->n != (double)(a->last_step - m->from + 1) || a->n < 1) return NAN;
  switch (m->statistic) {
  case METRIC_FINAL:
    return a->last;
  case METRIC_MEAN:
    return a->sum / a->n;
  case METRIC_SUM:
    return a->sum;
  case METRIC_MIN:
    return a->min;
  case METRIC_PEAK:
    return a->max;
  case METRIC_GROWTH:
    return a->last / a->first - 1;
  case METRIC_RECOVERY:
    return isnan(a->pre) ? NAN : a->fell ? a->recovered : 0;
  default:
    return NAN;
  }
}
