/* sweep: a Monte Carlo sweep or sensitivity study of one scenario family,
 * loaded from a sweep file (YAML, drivers/sweep.c holds its schema) into an
 * immutable description: the base scenario frozen as resolved text, the
 * parameters (scenario key paths with ranges or distributions), the design
 * (points in the unit hypercube and in parameter units), replicates, seeds
 * and the metrics (named scalars reduced from a run's series).
 *
 * A sweep has n_points design points x n_reps replicates = n_runs runs; run
 * r is (point r / n_reps, replicate r % n_reps). Everything a run needs is
 * a pure function of the description and its index, so any process (thread,
 * MPI rank, a resumed sweep) computes the same run identically.
 *
 * Invariants:
 *  - seeds: replicate k of point p runs with seed
 *      h(master, k)        with common random numbers (default),
 *      h(master, p, k)     without,
 *    h a SplitMix64 chain reduced to the scenario's 31-bit seed range;
 *  - every parameter path was applied as a --set to the base scenario at
 *    its min and max when the sweep was loaded; integer scenario fields get
 *    rounded values, and the design matrix stores the values the runs use;
 *  - every metric names a series and level the observer writes, and a cell
 *    (industry / region id) that the base scenario has;
 *  - `hash` identifies the sweep (resolved sweep, resolved base scenario,
 *    program build): a journal or results file of another hash is never
 *    resumed.
 *
 * Included by: any file at or above drivers/ (layers.txt).
 */
#ifndef NQP_SWEEP_H
#define NQP_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "config/schema.h"

enum { SWEEP_OK = 0, SWEEP_FAILED = 1, SWEEP_BAD_INPUT = 2 };

/* Design methods (sweep file `design.method`). */
enum { SWEEP_REPLICATES = 0, SWEEP_GRID, SWEEP_LHS, SWEEP_SOBOL, SWEEP_MORRIS };
/* Parameter distributions over [min, max] (normal: truncated to it). */
enum { SWEEP_UNIFORM = 0, SWEEP_LOGUNIFORM, SWEEP_NORMAL, SWEEP_TRIANGULAR };
/* Metric statistics (the metric registry, drivers/sweep_metric.c). */
enum {
  METRIC_FINAL = 0, /* value at the window's last step */
  METRIC_MEAN,      /* mean over the window */
  METRIC_SUM,       /* sum over the window */
  METRIC_MIN,       /* minimum over the window */
  METRIC_PEAK,      /* maximum over the window */
  METRIC_GROWTH,    /* last / first - 1 over the window */
  METRIC_RECOVERY,  /* steps from `shock` until back to threshold x pre-shock level */
  METRIC_NSTATS
};
/* Per-run status in journals and results files. */
enum { SWEEP_RUN_NOT_RUN = -1, SWEEP_RUN_OK = 0, SWEEP_RUN_FAILED = 1, SWEEP_RUN_BAD_INPUT = 2 };

#define SWEEP_MAX_RUNS   100000000 /* runs per sweep */
#define SWEEP_MAX_CELLS  20000000  /* design points x parameters (memory bound) */
#define SWEEP_MAX_PARAMS 64        /* Sobol' needs 2 x params <= 128 dimensions */
#define SWEEP_MSG_LEN    200       /* bytes of a failed run's message kept */

typedef struct sweep_param {
  char *name;       /* label in outputs (default: the path) */
  char *path;       /* scenario key path, e.g. government.talent.intensity */
  int distribution; /* SWEEP_UNIFORM, ... */
  double min, max;  /* range; normal: truncation bounds (parameter units) */
  double mean, sd;  /* normal (before truncation) */
  double mode;      /* triangular */
  int levels;       /* grid levels (0: design.levels) */
  int integer;      /* derived: the scenario field is an int (values rounded) */
} sweep_param;

typedef struct sweep_metric {
  char *name;       /* label in outputs */
  char *series;     /* observer series, e.g. value_added */
  int group;        /* series_level: economy, industry, region, industry_region */
  char *industry;   /* industry id (industry levels) */
  char *region;     /* region id (region levels) */
  int statistic;    /* METRIC_* */
  int from, to;     /* window, steps (to -1: the last step) */
  int shock;        /* recovery: the step of the shock (step) */
  double threshold; /* recovery: share of the pre-shock level to regain */
  size_t cell;      /* derived: cell index in the series' level */
} sweep_metric;

typedef struct sweep_design_spec {
  int method;       /* SWEEP_REPLICATES, ... */
  int samples;      /* lhs points; sobol base samples N; morris trajectories */
  int levels;       /* grid levels per parameter; morris grid levels (even) */
  int second_order; /* sobol: also the second-order cross matrices */
  int scramble;     /* sobol: scrambled Sobol' points (LMS + shift, seeded) */
  int skip;         /* sobol: points skipped (-1: SENS_SKIP_AUTO) */
} sweep_design_spec;

typedef struct sweep_analysis_spec {
  int bootstrap;     /* resamples for confidence intervals of indices */
  double confidence; /* level of every interval, e.g. 0.95 */
  double target_ci;  /* replicate planning: relative CI half-width (0: off) */
} sweep_analysis_spec;

/* The sweep file as bound (see the schema in drivers/sweep.c). */
typedef struct sweep_spec {
  char *name;
  char *description;
  char *scenario; /* base scenario: file (relative to the sweep file) or embedded name */
  char **set;     /* fixed --set overrides of every run */
  int n_set;
  int seed;       /* master seed */
  int replicates; /* runs per design point */
  int common_random_numbers;
  sweep_design_spec design;
  sweep_analysis_spec analysis;
  sweep_param *params;
  int n_params;
  sweep_metric *metrics;
  int n_metrics;
} sweep_spec;

typedef struct sweep {
  sweep_spec s;
  char *source;    /* the sweep file's path */
  char *resolved;  /* resolved sweep file (YAML, every field) */
  char *base_yaml; /* resolved base scenario with `set` applied (YAML) */
  int base_steps;  /* steps of the base scenario */
  size_t n_points, n_reps, n_runs, n_params, n_metrics;
  double *unit;   /* n_points x n_params design in [0, 1] coordinates */
  double *values; /* n_points x n_params design in parameter units */
  uint64_t hash;
  int base_fd;        /* unlinked temporary file holding base_yaml */
  char base_path[64]; /* "/proc/self/fd/N": what runs load */
} sweep;

/* One finished run. */
typedef struct sweep_result {
  uint64_t run;                /* point * n_reps + replicate */
  int32_t status;              /* SWEEP_RUN_* */
  int32_t steps;               /* steps simulated */
  double wall_s;               /* wall time (not written to results: it varies) */
  double *metrics;             /* n_metrics values (NaN for failed runs) */
  char message[SWEEP_MSG_LEN]; /* failed runs: why */
} sweep_result;

extern const sch_schema sweep_schema;
extern const char *const sweep_method_names[];
extern const char *const sweep_dist_names[];
extern const char *const metric_stat_names[];

/* Load and validate PATH. Returns SWEEP_OK, or SWEEP_BAD_INPUT /
 * SWEEP_FAILED with "FILE:LINE:COLUMN: key.path: ..." messages in ERR. */
int sweep_load(const char *path, sweep *out, char *err, size_t errlen);
void sweep_free(sweep *sw);

/* Seed of replicate REP of point POINT. */
long sweep_seed(const sweep *sw, size_t point, size_t rep);
/* "path=value" overrides of POINT into SETS[0..n_params), texts in BUF
 * (n_params x SWEEP_SET_LEN bytes). */
#define SWEEP_SET_LEN 600
void sweep_point_sets(const sweep *sw, size_t point, const char **sets, char *buf);

/* Design (drivers/sweep_design.c): fill sw->unit and sw->values. */
int sweep_design_build(sweep *sw, char *err, size_t errlen);
size_t sweep_design_points(const sweep_spec *s, size_t *overflow);
/* Parameter value at unit coordinate U in [0, 1] (inverse CDF). */
double sweep_param_value(const sweep_param *p, double u);

/* Metrics (drivers/sweep_metric.c): the accumulator of one metric over a run. */
typedef struct metric_acc {
  int last_step;        /* the window's last step in this run */
  double first, last;   /* values at the window's first and latest step */
  double sum, min, max; /* over the window */
  double n;             /* steps accumulated */
  double pre;           /* recovery: value at shock - 1 */
  double recovered;     /* recovery: steps to recover (NaN until then) */
  int fell;             /* recovery: the value fell below the threshold */
} metric_acc;

void metric_acc_init(metric_acc *a, const sweep_metric *m, int steps);
void metric_acc_step(metric_acc *a, const sweep_metric *m, int step, double v);
double metric_acc_value(const metric_acc *a, const sweep_metric *m);

/* Optional hooks of a run: STOP non-zero abandons it (SWEEP_RUN_NOT_RUN);
 * POLL is called after every step (the MPI coordinator serves its queue
 * there while it simulates). */
typedef struct sweep_hooks {
  volatile int *stop;
  void (*poll)(void *ctx);
  void *poll_ctx;
} sweep_hooks;

/* Run RUN of SW with THREADS OpenMP threads (drivers/sweep_exec.c). Always
 * fills RES (RES->metrics: n_metrics doubles provided by the caller).
 * Returns RES->status. HOOKS may be NULL. */
int sweep_run_one(const sweep *sw, size_t run, int threads, const sweep_hooks *hooks,
                  sweep_result *res);

#endif
