/* sweep_analysis: the end of a complete sweep, metric by metric: summary
 * statistics of every design point over its replicates (n, mean, sd, se,
 * t confidence interval of the mean, quantiles, replicates needed for a
 * target interval width), then Sobol' or Morris indices of the replicate
 * means, written to the results file and summarised on a report.
 *
 * Invariants: reads only the results file's datasets (so a resumed sweep
 * analyses exactly what an uninterrupted one does); bootstrap streams are
 * seeded from the master seed and the metric index; memory is one metric's
 * results (points x replicates) at a time.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/sweepout.h"
#include "base/rng.h"
#include "drivers/sensitivity.h"
#include "drivers/sweep_run.h"
#include "drivers/sweep_stats.h"

#define TOP_POINTS 5 /* points listed per metric for grid / lhs designs */

typedef struct an_buf {
  double *runs;  /* points x reps of one metric */
  double *means; /* per point */
  double *sd, *se, *lo, *hi, *q, *need, *scratch;
  int32_t *n;
  double *idx[6]; /* index outputs: k or k x k values */
} an_buf;

static void an_free(an_buf *b) {
  free(b->runs), free(b->means), free(b->sd), free(b->se), free(b->lo), free(b->hi);
  free(b->q), free(b->need), free(b->scratch), free(b->n);
  for (int i = 0; i < 6; i++) free(b->idx[i]);
}

static int an_alloc(an_buf *b, const sweep *sw) {
  size_t P = sw->n_points, R = sw->n_reps, k = sw->n_params ? sw->n_params : 1;
  memset(b, 0, sizeof *b);
  b->runs = malloc(P * R * sizeof(double));
  b->means = malloc(P * sizeof(double));
  b->sd = malloc(P * sizeof(double)), b->se = malloc(P * sizeof(double));
  b->lo = malloc(P * sizeof(double)), b->hi = malloc(P * sizeof(double));
  b->q = malloc(P * SWEEPOUT_NQ * sizeof(double)), b->need = malloc(P * sizeof(double));
  b->scratch = malloc(R * sizeof(double)), b->n = malloc(P * sizeof(int32_t));
  int ok = b->runs && b->means && b->sd && b->se && b->lo && b->hi && b->q && b->need &&
           b->scratch && b->n;
  for (int i = 0; i < 6; i++) ok = ok && (b->idx[i] = malloc(k * k * sizeof(double)));
  return ok ? 0 : -1;
}

/* Summary of point P from its replicates X[0..R). */
static void an_point(const sweep *sw, an_buf *b, size_t p, const double *x) {
  size_t R = sw->n_reps, n = stat_count(x, R);
  double conf = sw->s.analysis.confidence, m = stat_mean(x, R), sd = stat_sd(x, R);
  double t = n >= 2 ? stat_t_ppf(0.5 + conf / 2, (double)n - 1) : NAN;
  b->n[p] = (int32_t)n;
  b->means[p] = m, b->sd[p] = sd, b->se[p] = n >= 2 ? sd / sqrt((double)n) : NAN;
  b->lo[p] = m - t * b->se[p], b->hi[p] = m + t * b->se[p];
  for (int i = 0; i < SWEEPOUT_NQ; i++)
    b->q[p * SWEEPOUT_NQ + i] = stat_quantile(x, R, sweepout_quantiles[i], b->scratch);
  double target = sw->s.analysis.target_ci * fabs(m);
  b->need[p] = n >= 2 ? stat_replicates_needed(sd, target, conf) : NAN;
}

static int an_summary(const sweep *sw, sweepout *o, an_buf *b, size_t m) {
  for (size_t p = 0; p < sw->n_points; p++) an_point(sw, b, p, b->runs + p * sw->n_reps);
  sweepout_summary s = {b->n,  b->means, b->sd, b->se,
                        b->lo, b->hi,    b->q,  sw->s.analysis.target_ci > 0 ? b->need : NULL};
  return sweepout_put_summary(o, m, &s);
}

static uint64_t an_seed(const sweep *sw, size_t m) {
  return rng_mix64((uint64_t)sw->s.seed ^ rng_mix64(0x616e616c79736973ull + m)); /* "analysis" */
}

static int an_sobol(const sweep *sw, sweepout *o, an_buf *b, size_t m) {
  sens_sobol_out s = {b->idx[0], b->idx[1], b->idx[2], b->idx[3], b->idx[4], b->idx[5]};
  if (sens_sobol_analyze(b->means, (size_t)sw->s.design.samples, sw->n_params,
                         sw->s.design.second_order, sw->s.analysis.bootstrap,
                         sw->s.analysis.confidence, an_seed(sw, m), &s) != 0)
    return -1;
  return sweepout_put_sobol(o, m, &s);
}

static int an_morris(const sweep *sw, sweepout *o, an_buf *b, size_t m, char *err, size_t errlen) {
  sens_morris_out s = {b->idx[0], b->idx[1], b->idx[2], b->idx[3]};
  if (sens_morris_analyze(sw->unit, b->means, (size_t)sw->s.design.samples, sw->n_params,
                          sw->s.analysis.bootstrap, sw->s.analysis.confidence, an_seed(sw, m), &s,
                          err, errlen) != 0)
    return -1;
  return sweepout_put_morris(o, m, &s);
}

/* ---- report ------------------------------------------------------------- */

static void rep_header(const sweep *sw, size_t m, FILE *f) {
  const sweep_metric *mt = &sw->s.metrics[m];
  int to = mt->to < 0 ? sw->base_steps - 1 : mt->to;
  fprintf(f, "\n%s: %s of %s", mt->name, metric_stat_names[mt->statistic], mt->series);
  if (mt->industry && mt->industry[0]) fprintf(f, " [%s]", mt->industry);
  if (mt->region && mt->region[0]) fprintf(f, " [%s]", mt->region);
  fprintf(f, ", steps %d..%d\n", mt->from, to);
}

static void rep_replicates(const sweep *sw, const an_buf *b, FILE *f) {
  double half = (b->hi[0] - b->lo[0]) / 2, conf = 100 * sw->s.analysis.confidence;
  fprintf(f, "  mean %.6g  sd %.4g  %.4g%% CI [%.6g, %.6g]", b->means[0], b->sd[0], conf, b->lo[0],
          b->hi[0]);
  if (b->means[0] != 0 && isfinite(half))
    fprintf(f, " = mean +- %.3g%%", 100 * half / fabs(b->means[0]));
  fprintf(f, "  (%d runs)\n", b->n[0]);
  if (sw->s.analysis.target_ci > 0)
    fprintf(f, "  replicates for a %.4g%% CI of +- %.3g%% of the mean: %.0f\n", conf,
            100 * sw->s.analysis.target_ci, b->need[0]);
}

/* Indices of V (N values) by decreasing value (NaN last) into ORD. */
static void rank_desc(const double *v, size_t n, size_t *ord) {
  for (size_t i = 0; i < n; i++) ord[i] = i;
  for (size_t i = 1; i < n; i++)
    for (size_t j = i; j > 0; j--) {
      double a = v[ord[j - 1]], c = v[ord[j]];
      if (!(isnan(a) || c > a)) break;
      size_t t = ord[j - 1];
      ord[j - 1] = ord[j], ord[j] = t;
    }
}

static void rep_points(const sweep *sw, const an_buf *b, FILE *f) {
  size_t *ord = malloc(sw->n_points * sizeof *ord), k = sw->n_params < 4 ? sw->n_params : 4;
  if (!ord) return;
  rank_desc(b->means, sw->n_points, ord);
  fprintf(f, "  highest means (of %zu points):\n", sw->n_points);
  for (size_t i = 0; i < sw->n_points && i < TOP_POINTS; i++) {
    size_t p = ord[i];
    fprintf(f, "    point %-6zu mean %-12.6g +- %-10.3g", p, b->means[p],
            (b->hi[p] - b->lo[p]) / 2);
    for (size_t c = 0; c < k; c++)
      fprintf(f, " %s=%.4g", sw->s.params[c].name, sw->values[p * sw->n_params + c]);
    fputc('\n', f);
  }
  free(ord);
}

static void rep_indices(const sweep *sw, const an_buf *b, FILE *f) {
  size_t k = sw->n_params, *ord = malloc(k * sizeof *ord);
  int sobol = sw->s.design.method == SWEEP_SOBOL;
  if (!ord) return;
  rank_desc(sobol ? b->idx[2] : b->idx[1], k, ord);
  fprintf(f, sobol ? "  %-32s %10s %9s %10s %9s\n" : "  %-32s %10s %9s %10s %10s\n", "parameter",
          sobol ? "S1" : "mu*", "+-", sobol ? "ST" : "mu", sobol ? "+-" : "sigma");
  for (size_t i = 0; i < k; i++) {
    size_t c = ord[i];
    if (sobol)
      fprintf(f, "  %-32s %10.4f %9.4f %10.4f %9.4f\n", sw->s.params[c].name, b->idx[0][c],
              b->idx[1][c], b->idx[2][c], b->idx[3][c]);
    else
      fprintf(f, "  %-32s %10.4g %9.3g %10.4g %10.4g\n", sw->s.params[c].name, b->idx[1][c],
              b->idx[3][c], b->idx[0][c], b->idx[2][c]);
  }
  free(ord);
}

static void rep_metric(const sweep *sw, const an_buf *b, size_t m, FILE *f) {
  int method = sw->s.design.method;
  rep_header(sw, m, f);
  if (method == SWEEP_REPLICATES)
    rep_replicates(sw, b, f);
  else if (method == SWEEP_SOBOL || method == SWEEP_MORRIS)
    rep_indices(sw, b, f);
  else
    rep_points(sw, b, f);
}

int sweep_analyze(const sweep *sw, sweepout *o, FILE *report, char *err, size_t errlen) {
  an_buf b;
  int rc = -1, method = sw->s.design.method;
  err[0] = '\0';
  if (an_alloc(&b, sw) != 0) {
    snprintf(err, errlen, "out of memory for the analysis");
    goto done;
  }
  if (report)
    fprintf(report, "sweep %s: %s design, %zu points x %zu replicates\n", sw->s.name,
            sweep_method_names[method], sw->n_points, sw->n_reps);
  for (size_t m = 0; m < sw->n_metrics; m++) {
    int bad = sweepout_read_metric(o, m, b.runs) != 0 || an_summary(sw, o, &b, m) != 0;
    if (!bad && method == SWEEP_SOBOL) bad = an_sobol(sw, o, &b, m) != 0;
    if (!bad && method == SWEEP_MORRIS) bad = an_morris(sw, o, &b, m, err, errlen) != 0;
    if (bad) {
      if (method != SWEEP_MORRIS || !err[0])
        snprintf(err, errlen, "analysis: %s", sweepout_error());
      goto done;
    }
    if (report) rep_metric(sw, &b, m, report);
  }
  rc = 0;
done:
  an_free(&b);
  return rc;
}
