/* compare: the policy effect between two run files (`nqpsim compare`).
 *
 * cmp_build() reads the headline series of a baseline and a policy run
 * (output/h5out.h layout), checks that they can be compared, and builds a
 * table of base, policy, difference (policy - base) and percent
 * (100 (policy - base) / |base|) by metric, group level (economy, industry
 * kind, region, industry) and horizon step. cmp_print() writes it as an
 * aligned human table; cmp_write() as CSV or HDF5 (docs/compare.md).
 *
 * Invariants:
 *  - both files are complete runs (status "complete") with the same
 *    industry and region labels and steps_per_year; steps past the shorter
 *    run are never compared; any other input problem is CMP_BAD_INPUT with
 *    a message naming the file, never a crash;
 *  - the kind level aggregates the industry series with the rule of the
 *    series definition (sim/observe.h, obs_series_aggregation): sums add
 *    up; ratios of sums are means weighted by their denominator series of
 *    the same run at the same step, so an aggregate equals what the model
 *    computes for that set of industries;
 *  - a value that is undefined (NaN: a mean without weight, a percent of a
 *    zero or undefined base) stays NaN; it is never shown as 0;
 *  - the library prints nothing: warnings are collected in the table.
 *
 * Included by: any file at or above output/ (layers.txt).
 */
#ifndef NQP_COMPARE_H
#define NQP_COMPARE_H

#include <stddef.h>
#include <stdio.h>

enum { CMP_OK = 0, CMP_FAILED = 1, CMP_BAD_INPUT = 2 };

/* Group levels of the table, in print order. */
typedef enum cmp_group {
  CMP_ECONOMY = 0,
  CMP_KIND,
  CMP_REGION,
  CMP_INDUSTRY,
  CMP_NGROUPS
} cmp_group;
#define CMP_BY(g)      (1u << (g))
#define CMP_BY_DEFAULT (CMP_BY(CMP_ECONOMY) | CMP_BY(CMP_KIND) | CMP_BY(CMP_REGION))

#define CMP_END (-1) /* a horizon: the last compared step */

extern const char *const cmp_group_names[CMP_NGROUPS]; /* "economy", "kind", ... */
/* The default metrics (those present in both files are used), NULL-terminated. */
extern const char *const cmp_headline[];

typedef struct cmp_options {
  const char *const *metrics; /* series names; NULL: the headline set */
  size_t n_metrics;
  const int *horizons; /* steps, or CMP_END; NULL: 4, the middle and the last step */
  size_t n_horizons;
  unsigned by; /* CMP_BY(...) mask; 0: CMP_BY_DEFAULT */
  int window;  /* >= 1: mean over the WINDOW steps ending at each horizon */
} cmp_options;

typedef struct cmp_value {
  double base, policy, diff, pct; /* pct NaN when base is 0 or NaN */
} cmp_value;

typedef struct cmp_row {
  size_t metric;   /* index into cmp_table.metrics */
  cmp_group group; /* level kind */
  char *level;     /* id: "all", "technology", "hefei", "nev" */
  char *label;     /* display name: "all industries", "Hefei", ... */
  cmp_value *v;    /* one per horizon */
} cmp_row;

typedef struct cmp_metric {
  char *name;
  char *units;  /* from the base file ("?" when missing) */
  int agg;      /* OBS_AGG_* or -1 (unknown to this build) */
  char *weight; /* OBS_AGG_MEAN: the weight series at the kind level */
} cmp_metric;

typedef struct cmp_run_info {
  char *path;
  char *scenario; /* scenario_name attribute ("?" when missing) */
  long long seed; /* -1 when missing */
  int steps;      /* steps in the file */
} cmp_run_info;

typedef struct cmp_table {
  cmp_run_info base, policy;
  int steps_per_year;
  int steps; /* compared steps: 0 .. steps-1 */
  int window;
  unsigned by;
  size_t n_horizons;
  int *horizons; /* ascending, distinct */
  size_t n_metrics;
  cmp_metric *metrics;
  size_t n_rows;
  cmp_row *rows; /* by group, then level (file order), then metric */
  size_t n_warnings;
  char **warnings; /* one line each, without "nqpsim:" */
} cmp_table;

/* Build the table. Returns CMP_OK with *OUT set, or CMP_BAD_INPUT /
 * CMP_FAILED (out of memory) with a message in ERR. */
int cmp_build(const char *base, const char *policy, const cmp_options *opt, cmp_table **out,
              char *err, size_t errlen);
void cmp_free(cmp_table **t);

/* The aligned human table. Rows zero or undefined in both runs at every
 * horizon (levels without activity) are left out (and counted). Returns 0, or -1 on a write error.
 */
int cmp_print(const cmp_table *t, FILE *out);

/* Write the table to PATH, CSV when it ends in .csv, HDF5 when it ends in
 * .h5 or .hdf5 (written as PATH.partial, then renamed). Returns CMP_OK,
 * CMP_BAD_INPUT (unknown extension) or CMP_FAILED, with a message in ERR. */
int cmp_write(const cmp_table *t, const char *path, char *err, size_t errlen);
/* The CSV table on a stream (header line first). Returns 0, or -1. */
int cmp_write_csv(const cmp_table *t, FILE *out);

/* Percent effect 100 (policy - base) / |base|; NaN when base is 0 or NaN. */
double cmp_pct(double base, double policy);

#endif
