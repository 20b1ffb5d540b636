/* sweepout: the HDF5 results file of a sweep (`nqpsim sweep -o OUT.h5`).
 *
 * Layout (every group has its own dimension scales, so h5py and
 * xarray.open_dataset(path, group=..., engine="netcdf4") name the dims):
 *   /                  attributes: format="nqpsim-sweep", format_version,
 *                      status, provenance (program, version, git commit,
 *                      compiler, HDF5, command line, times, threads, ranks),
 *                      sweep name, design, master seed, common random numbers
 *   /sweep             the resolved sweep file (YAML string)
 *   /scenario          the resolved base scenario (YAML string)
 *   /design            point x parameter: value (parameter units), unit
 *                      ([0, 1] design coordinates); per parameter: path,
 *                      distribution, min, max
 *   /runs              point x replicate: seed, status (-1 not run, 0 ok,
 *                      1 failed, 2 rejected input), steps, message
 *   /results           point x replicate x metric: value; per metric:
 *                      series, level, cell, statistic, from, to
 *   /summary           point x metric: n, mean, sd, se, ci_low, ci_high
 *                      (t interval of the mean), replicates_needed (with
 *                      analysis.target_ci); point x metric x quantile:
 *                      quantiles (5, 25, 50, 75, 95 %)
 *   /analysis/sobol    metric x parameter: S1, S1_conf, ST, ST_conf;
 *                      metric x parameter x parameter_2: S2, S2_conf
 *   /analysis/morris   metric x parameter: mu, mu_star, sigma, mu_star_conf
 *
 * Invariants:
 *  - the file is written as OUT.partial and renamed to OUT only by
 *    sweepout_finish(..., 1): a file under its final name is complete;
 *  - every dataset's content is a function of the sweep and its finished
 *    runs only (no times, no thread or rank counts: those are attributes),
 *    so files of the same sweep are identical dataset by dataset whatever
 *    the run order, the thread count, the MPI ranks or the interruptions;
 *  - datasets are contiguous and fixed-size (known when the sweep starts):
 *    recording a run is a direct write of its cells, memory stays flat.
 *
 * Included by: drivers/ (the sweep session and analysis).
 */
#ifndef NQP_SWEEPOUT_H
#define NQP_SWEEPOUT_H

#include <stddef.h>
#include <stdint.h>

#include "drivers/sensitivity.h"
#include "drivers/sweep.h"

#define SWEEPOUT_NQ 5
extern const double sweepout_quantiles[SWEEPOUT_NQ];

typedef struct sweepout sweepout;

/* Per-point summary of one metric (arrays of n_points; quantiles
 * n_points x SWEEPOUT_NQ; replicates_needed may be NULL). */
typedef struct sweepout_summary {
  const int32_t *n;
  const double *mean, *sd, *se, *ci_low, *ci_high, *quantiles, *replicates_needed;
} sweepout_summary;

/* Create PATH.partial (a stale one is replaced) for SW. NULL with ERR on
 * failure. */
sweepout *sweepout_create(const sweep *sw, const char *path, char *err, size_t errlen);
/* Record a finished run. */
int sweepout_record(sweepout *o, const sweep_result *r);
int sweepout_flush(sweepout *o);
/* Read metric M of every run (n_points x n_reps) into BUF. */
int sweepout_read_metric(sweepout *o, size_t m, double *buf);
int sweepout_put_summary(sweepout *o, size_t m, const sweepout_summary *s);
int sweepout_put_sobol(sweepout *o, size_t m, const sens_sobol_out *s);
int sweepout_put_morris(sweepout *o, size_t m, const sens_morris_out *s);
/* Root attributes. */
int sweepout_attr_str(sweepout *o, const char *name, const char *value);
int sweepout_attr_i64(sweepout *o, const char *name, int64_t value);
int sweepout_attr_f64(sweepout *o, const char *name, double value);
/* Close; COMPLETE=1 sets status "complete" and renames PATH.partial to
 * PATH, else status "incomplete" (the .partial stays). Frees *O. */
int sweepout_finish(sweepout **o, int complete, char *err, size_t errlen);
/* Last error message. */
const char *sweepout_error(void);

#endif
