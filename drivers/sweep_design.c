/* sweep_design: the design points of a sweep, first in the unit hypercube
 * (one column per parameter, coordinates in [0, 1]) and then in parameter
 * units through each parameter's inverse CDF over [min, max].
 *
 *   replicates  one point (no parameters): the base scenario
 *   grid        full factorial; parameter k has L_k levels at unit
 *               coordinates i / (L_k - 1), the last parameter varying
 *               fastest (one level: the midpoint)
 *   lhs         `samples` points, one per stratum of every column
 *   sobol       Saltelli cross matrices of `samples` base points (SALib's
 *               row layout, drivers/sensitivity.h), scrambled from the
 *               design stream unless `scramble: false`, from point `skip`
 *   morris      `samples` trajectories of k + 1 points on `levels` levels
 *
 * Invariants: the design depends only on the sweep file (random designs
 * draw from the master seed through their own stream), never on the
 * replicates, the thread count or the run order; integer scenario fields
 * hold rounded values, which is what their runs use.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "drivers/sensitivity.h"
#include "drivers/sweep.h"
#include "drivers/sweep_stats.h"

#define DESIGN_PURPOSE 0x6465736967ull /* "desig": the design's random stream */

static int grid_levels(const sweep_spec *s, int k) {
  return s->params[k].levels > 0 ? s->params[k].levels : s->design.levels;
}

/* a * b with overflow flagged in *OVF. */
static size_t mul_ovf(size_t a, size_t b, size_t *ovf) {
  if (a && b > SIZE_MAX / a) {
    *ovf = 1;
    return 0;
  }
  return a * b;
}

size_t sweep_design_points(const sweep_spec *s, size_t *overflow) {
  size_t k = (size_t)s->n_params, n = (size_t)s->design.samples, p = 1;
  *overflow = 0;
  switch (s->design.method) {
  case SWEEP_REPLICATES:
    return 1;
  case SWEEP_GRID:
    for (size_t i = 0; i < k; i++) p = mul_ovf(p, (size_t)grid_levels(s, (int)i), overflow);
    return p;
  case SWEEP_LHS:
    return n;
  case SWEEP_SOBOL:
    p = sens_saltelli_rows(n, k, s->design.second_order);
    if (p == 0) *overflow = 1;
    return p;
  default:
    return mul_ovf(n, k + 1, overflow);
  }
}

/* Truncated normal: mean + sd Phi^-1(Phi(a) + u (Phi(b) - Phi(a))), in
 * the lower tail for precision (mirrored when the range is above the mean). */
static double trunc_normal(double mean, double sd, double lo, double hi, double u) {
  double a = (lo - mean) / sd, b = (hi - mean) / sd, sign = 1;
  if (a > 0) {
    double t = a;
    a = -b, b = -t, u = 1 - u, sign = -1;
  }
  double fa = stat_norm_cdf(a), fb = stat_norm_cdf(b);
  return mean + sign * sd * stat_norm_ppf(fa + u * (fb - fa));
}

static double triangular(double lo, double mode, double hi, double u) {
  double c = (mode - lo) / (hi - lo);
  if (u < c) return lo + sqrt(u * (hi - lo) * (mode - lo));
  return hi - sqrt((1 - u) * (hi - lo) * (hi - mode));
}

double sweep_param_value(const sweep_param *p, double u) {
  double x;
  switch (p->distribution) {
  case SWEEP_LOGUNIFORM:
    x = exp(log(p->min) + u * (log(p->max) - log(p->min)));
    break;
  case SWEEP_NORMAL:
    x = trunc_normal(p->mean, p->sd, p->min, p->max, u);
    break;
  case SWEEP_TRIANGULAR:
    x = triangular(p->min, p->mode, p->max, u);
    break;
  default:
    x = p->min + u * (p->max - p->min);
  }
  x = x < p->min ? p->min : x > p->max ? p->max : x;
  return p->integer ? round(x) : x;
}

static void grid_unit(const sweep_spec *s, size_t n, double *unit) {
  size_t k = (size_t)s->n_params;
  for (size_t i = 0; i < n; i++) {
    size_t rest = i;
    for (size_t c = k; c-- > 0;) {
      size_t L = (size_t)grid_levels(s, (int)c), l = rest % L;
      rest /= L;
      unit[i * k + c] = L > 1 ? (double)l / (double)(L - 1) : 0.5;
    }
  }
}

static uint64_t design_seed(const sweep_spec *s) {
  return rng_mix64((uint64_t)s->seed ^ rng_mix64(DESIGN_PURPOSE));
}

static int design_unit(const sweep_spec *s, size_t n, double *unit, char *err, size_t errlen) {
  size_t k = (size_t)s->n_params;
  switch (s->design.method) {
  case SWEEP_GRID:
    grid_unit(s, n, unit);
    return 0;
  case SWEEP_LHS:
    sens_lhs_sample(n, k, design_seed(s), unit);
    return 0;
  case SWEEP_SOBOL: {
    sens_saltelli_opts o = {s->design.scramble, design_seed(s), s->design.skip};
    if (sens_saltelli_sample((size_t)s->design.samples, k, s->design.second_order, &o, unit) == 0)
      return 0;
    break;
  }
  case SWEEP_MORRIS:
    if (sens_morris_sample((size_t)s->design.samples, k, s->design.levels, design_seed(s), unit) ==
        0)
      return 0;
    break;
  default:
    return 0;
  }
  snprintf(err, errlen, "cannot build the %s design (out of memory?)",
           sweep_method_names[s->design.method]);
  return -1;
}

int sweep_design_build(sweep *sw, char *err, size_t errlen) {
  size_t ovf, n = sweep_design_points(&sw->s, &ovf), k = (size_t)sw->s.n_params, cells;
  if (ovf || (k && n > SIZE_MAX / k / sizeof(double))) {
    snprintf(err, errlen, "design too large");
    return -1;
  }
  cells = n * k;
  sw->n_points = n;
  sw->n_params = k;
  sw->unit = calloc(cells ? cells : 1, sizeof *sw->unit);
  sw->values = calloc(cells ? cells : 1, sizeof *sw->values);
  if (!sw->unit || !sw->values) {
    snprintf(err, errlen, "out of memory for a design of %zu points", n);
    return -1;
  }
  if (design_unit(&sw->s, n, sw->unit, err, errlen) != 0) return -1;
  for (size_t i = 0; i < n; i++)
    for (size_t c = 0; c < k; c++)
      sw->values[i * k + c] = sweep_param_value(&sw->s.params[c], sw->unit[i * k + c]);
  return 0;
}
