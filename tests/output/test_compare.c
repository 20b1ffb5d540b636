/* test_compare: the policy-effect table of two run files (output/compare.h).
 *
 * Each test writes two tiny runs with run_execute (the embedded Anhui
 * baseline at scale 0.02, 6 steps, same seed; the policy with the talent
 * scheme on) and checks the table against values read directly from the
 * files with the plain HDF5 API: economy and region values, percent,
 * sums by industry kind (sum over the kind's industries), weighted means by
 * kind (weights computed by hand from the weight series), the window mean,
 * horizons, identical runs, warnings and input errors, and the CSV and
 * HDF5 tables read back.
 *
 * Invariants: every test works in its own directory /tmp/nqp-cmptest-<pid>
 * (Criterion runs each test in its own process), removed afterwards; the
 * runs are small enough that the suite takes about a second.
 */
#include <criterion/criterion.h>
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output/compare.h"
#include "drivers/run.h"
#include "config/scenario.h"

#define STEPS 6
#define TOL   1e-12

static char dir[256], base[300], policy[300];

static void make_run(const char *path, const char *const *sets, size_t nsets, long seed) {
  run_plan p = {.sets = sets,
                .nsets = nsets,
                .seed = seed,
                .steps = STEPS,
                .threads = 1,
                .output = path,
                .force = 1};
  run_result r;
  cr_assert_eq(run_execute(&p, &r), RUN_OK, "run %s failed: %s", path, r.message);
}

static void setup(void) {
  static const char *const base_sets[] = {"scale=0.02"};
  static const char *const policy_sets[] = {"scale=0.02", "government.talent.enabled=true"};
  snprintf(dir, sizeof dir, "/tmp/nqp-cmptest-%ld", (long)getpid());
  mkdir(dir, 0700);
  snprintf(base, sizeof base, "%s/base.h5", dir);
  snprintf(policy, sizeof policy, "%s/policy.h5", dir);
  make_run(base, base_sets, 1, -1);
  make_run(policy, policy_sets, 2, -1);
}

static void teardown(void) {
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
}

TestSuite(compare, .init = setup, .fini = teardown, .timeout = 60);

/* ---- helpers -------------------------------------------------------------- */

/* Dataset DSET of PATH as doubles (whole array); *N values. */
static double *read_all(const char *path, const char *dset, size_t *n) {
  hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  cr_assert_geq(f, 0, "cannot open %s", path);
  hid_t d = H5Dopen2(f, dset, H5P_DEFAULT);
  cr_assert_geq(d, 0, "%s: no %s", path, dset);
  hid_t sp = H5Dget_space(d);
  *n = (size_t)H5Sget_simple_extent_npoints(sp);
  double *v = malloc(*n * sizeof *v);
  cr_assert_geq(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v), 0);
  H5Sclose(sp);
  H5Dclose(d);
  H5Fclose(f);
  return v;
}

static cmp_table *build(const char *b, const char *p, const cmp_options *o) {
  cmp_table *t = NULL;
  char err[2048];
  int rc = cmp_build(b, p, o, &t, err, sizeof err);
  cr_assert_eq(rc, CMP_OK, "cmp_build: %s", err);
  cr_assert_not_null(t);
  return t;
}

static const cmp_row *find_row(const cmp_table *t, const char *metric, cmp_group g,
                               const char *level) {
  for (size_t i = 0; i < t->n_rows; i++)
    if (t->rows[i].group == g && strcmp(t->rows[i].level, level) == 0 &&
        strcmp(t->metrics[t->rows[i].metric].name, metric) == 0)
      return &t->rows[i];
  cr_assert_fail("no row %s / %s / %s", metric, cmp_group_names[g], level);
  return NULL;
}

static void expect_close(double got, double want, const char *what) {
  if (isnan(want)) {
    cr_expect(isnan(got), "%s: got %.17g, expected NaN", what, got);
    return;
  }
  double tol = TOL * (fabs(want) > 1 ? fabs(want) : 1);
  cr_expect(fabs(got - want) <= tol, "%s: got %.17g, expected %.17g", what, got, want);
}

/* Kinds of the baseline's industries (SCN_KIND_*). */
static int *baseline_kinds(size_t *n) {
  static const char *const sets[] = {"scale=0.02"};
  scenario s;
  char err[2048];
  cr_assert_eq(scn_load(NULL, sets, 1, &s, NULL, err, sizeof err), 0, "%s", err);
  int *k = malloc((size_t)s.n_industries * sizeof *k);
  for (int i = 0; i < s.n_industries; i++) k[i] = s.industries[i].kind;
  *n = (size_t)s.n_industries;
  scn_free(&s);
  return k;
}

/* No HDF5 object of any file is left open. */
static void expect_no_open_handles(void) {
  cr_expect_eq(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL), 0, "HDF5 handles left open");
}

static int has_warning(const cmp_table *t, const char *fragment) {
  for (size_t i = 0; i < t->n_warnings; i++)
    if (strstr(t->warnings[i], fragment)) return 1;
  return 0;
}

/* ---- tests ---------------------------------------------------------------- */

Test(compare, pct_definition) {
  cr_expect(isnan(cmp_pct(0, 1)));
  cr_expect(isnan(cmp_pct(NAN, 1)));
  cr_expect(isnan(cmp_pct(INFINITY, 1)));
  expect_close(cmp_pct(200, 250), 25, "pct 200 -> 250");
  expect_close(cmp_pct(-2, -1), 50, "pct of a negative base (|base|)");
  cr_expect(isnan(cmp_pct(1, NAN)));
}

Test(compare, economy_and_region_values_match_the_files) {
  int hz[] = {1, CMP_END, 4};
  cmp_options o = {.horizons = hz, .n_horizons = 3};
  cmp_table *t = build(base, policy, &o);
  size_t n, m, nr;
  double *vb = read_all(base, "/series/economy/output", &n);
  double *vp = read_all(policy, "/series/economy/output", &m);
  cr_assert_eq(n, STEPS);
  cr_assert_eq(t->n_horizons, 3);
  cr_expect(t->horizons[0] == 1 && t->horizons[1] == 4 && t->horizons[2] == 5, "sorted horizons");
  const cmp_row *r = find_row(t, "output", CMP_ECONOMY, "all");
  for (size_t h = 0; h < 3; h++) {
    int s = t->horizons[h];
    expect_close(r->v[h].base, vb[s], "base output");
    expect_close(r->v[h].policy, vp[s], "policy output");
    expect_close(r->v[h].diff, vp[s] - vb[s], "diff output");
    expect_close(r->v[h].pct, 100 * (vp[s] - vb[s]) / fabs(vb[s]), "pct output");
  }
  free(vb), free(vp);
  vb = read_all(base, "/series/region/employment_skilled", &nr);
  vp = read_all(policy, "/series/region/employment_skilled", &m);
  size_t nreg = nr / STEPS;
  r = find_row(t, "employment_skilled", CMP_REGION, "wuhu");
  cr_expect_str_eq(r->label, "Wuhu");
  expect_close(r->v[2].base, vb[5 * nreg + 1], "wuhu base"); /* wuhu is region 1 */
  expect_close(r->v[2].diff, vp[5 * nreg + 1] - vb[5 * nreg + 1], "wuhu diff");
  free(vb), free(vp);
  /* the talent scheme spends: base 0 -> percent undefined */
  r = find_row(t, "lever_spending", CMP_ECONOMY, "all");
  cr_expect_eq(r->v[2].base, 0);
  cr_expect_gt(r->v[2].policy, 0);
  cr_expect(isnan(r->v[2].pct));
  cmp_free(&t);
  cr_expect_null(t);
}

Test(compare, kind_sum_is_the_sum_over_the_kinds_industries) {
  cmp_options o = {
      .by = CMP_BY(CMP_KIND), .metrics = (const char *[]){"output", "value_added"}, .n_metrics = 2};
  cmp_table *t = build(base, policy, &o);
  size_t ni, n;
  int *kind = baseline_kinds(&ni);
  const char *names[] = {"output", "value_added"};
  for (int k = 0; k < 2; k++)
    for (int mi = 0; mi < 2; mi++) {
      char path[128];
      snprintf(path, sizeof path, "/series/industry/%s", names[mi]);
      double *xb = read_all(base, path, &n), *xp = read_all(policy, path, &n);
      cr_assert_eq(n, STEPS * ni);
      const cmp_row *r = find_row(t, names[mi], CMP_KIND, k == 0 ? "technology" : "labour");
      for (size_t h = 0; h < t->n_horizons; h++) {
        double sb = 0, sp = 0;
        for (size_t i = 0; i < ni; i++)
          if (kind[i] == k) sb += xb[t->horizons[h] * ni + i], sp += xp[t->horizons[h] * ni + i];
        expect_close(r->v[h].base, sb, "kind sum base");
        expect_close(r->v[h].policy, sp, "kind sum policy");
      }
      free(xb), free(xp);
    }
  /* label lists the industries */
  cr_expect(strstr(find_row(t, "output", CMP_KIND, "labour")->label, "green_food") != NULL);
  free(kind);
  cmp_free(&t);
}

/* Weighted mean of METRIC by kind K at STEP with weights WEIGHT, by hand. */
static double by_hand(const char *path, const char *metric, const char *weight, const int *kind,
                      int k, int step) {
  char a[128], b[128];
  size_t n, ni;
  snprintf(a, sizeof a, "/series/industry/%s", metric);
  snprintf(b, sizeof b, "/series/industry/%s", weight);
  double *x = read_all(path, a, &n), *w = read_all(path, b, &n), num = 0, den = 0;
  ni = n / STEPS;
  for (size_t i = 0; i < ni; i++) {
    double xi = x[step * ni + i], wi = w[step * ni + i];
    if (kind[i] == k && wi > 0 && isfinite(xi)) num += wi * xi, den += wi;
  }
  free(x), free(w);
  return den > 0 ? num / den : NAN;
}

Test(compare, kind_means_are_weighted_by_their_denominators) {
  const char *metrics[] = {"index_nqp", "tfp", "external_input_share", "digital"};
  const char *weights[] = {"output", "firms", "inputs_received", "firms"};
  cmp_options o = {
      .by = CMP_BY(CMP_KIND) | CMP_BY(CMP_ECONOMY), .metrics = metrics, .n_metrics = 4};
  cmp_table *t = build(base, policy, &o);
  size_t ni;
  int *kind = baseline_kinds(&ni);
  for (int mi = 0; mi < 4; mi++) {
    cr_expect_str_eq(t->metrics[mi].weight, weights[mi], "%s weight", metrics[mi]);
    for (int k = 0; k < 2; k++) {
      const cmp_row *r = find_row(t, metrics[mi], CMP_KIND, k == 0 ? "technology" : "labour");
      for (size_t h = 0; h < t->n_horizons; h++) {
        int s = t->horizons[h];
        expect_close(r->v[h].base, by_hand(base, metrics[mi], weights[mi], kind, k, s), "base");
        expect_close(r->v[h].policy, by_hand(policy, metrics[mi], weights[mi], kind, k, s),
                     "policy");
      }
    }
  }
  /* the same weighting over every industry reproduces the economy series */
  int all[16];
  for (size_t i = 0; i < ni && i < 16; i++) all[i] = 0;
  const cmp_row *e = find_row(t, "tfp", CMP_ECONOMY, "all");
  for (size_t h = 0; h < t->n_horizons; h++)
    cr_expect(fabs(e->v[h].base - by_hand(base, "tfp", "firms", all, 0, t->horizons[h])) <
                  1e-9 * fabs(e->v[h].base),
              "economy tfp = firm-weighted mean of industry tfp");
  free(kind);
  cmp_free(&t);
}

Test(compare, identical_runs_give_zero_differences) {
  cmp_options o = {.by = CMP_BY_DEFAULT | CMP_BY(CMP_INDUSTRY)};
  cmp_table *t = build(base, base, &o);
  cr_expect_gt(t->n_rows, 0);
  cr_expect_eq(t->n_warnings, 0, "no warnings, got %zu", t->n_warnings);
  for (size_t i = 0; i < t->n_rows; i++)
    for (size_t h = 0; h < t->n_horizons; h++) {
      const cmp_value *v = &t->rows[i].v[h];
      if (isnan(v->base)) continue; /* a level without firms */
      cr_expect_eq(v->diff, 0, "row %zu: diff %g", i, v->diff);
      cr_expect(isnan(v->pct) || v->pct == 0);
    }
  cmp_free(&t);
  expect_no_open_handles();
}

Test(compare, default_horizons_metrics_and_levels) {
  cmp_table *t = build(base, policy, NULL);
  cr_assert_eq(t->n_horizons, 3);
  cr_expect(t->horizons[0] == 3 && t->horizons[1] == 4 && t->horizons[2] == 5,
            "defaults: 4, the middle (3) and the last (5) step");
  cr_expect_eq(t->n_metrics, 12, "all 12 headline series are in the files");
  cr_expect_eq(t->by, CMP_BY_DEFAULT);
  for (size_t i = 0; i < t->n_rows; i++) cr_expect_neq(t->rows[i].group, CMP_INDUSTRY);
  /* lever_spending is economy-only: one row */
  size_t n = 0;
  for (size_t i = 0; i < t->n_rows; i++)
    n += strcmp(t->metrics[t->rows[i].metric].name, "lever_spending") == 0;
  cr_expect_eq(n, 1);
  cmp_free(&t);
}

Test(compare, window_is_the_mean_of_the_steps_ending_at_the_horizon) {
  int hz[] = {5, 1};
  cmp_options o = {.horizons = hz,
                   .n_horizons = 2,
                   .window = 3,
                   .by = CMP_BY(CMP_ECONOMY),
                   .metrics = (const char *[]){"employment_skilled"},
                   .n_metrics = 1};
  cmp_table *t = build(base, policy, &o);
  size_t n;
  double *v = read_all(policy, "/series/economy/employment_skilled", &n);
  const cmp_row *r = find_row(t, "employment_skilled", CMP_ECONOMY, "all");
  expect_close(r->v[0].policy, (v[0] + v[1]) / 2, "window clipped at step 0");
  expect_close(r->v[1].policy, (v[3] + v[4] + v[5]) / 3, "window of 3 at step 5");
  cr_expect(has_warning(t, "window 3 at step 1"));
  free(v);
  cmp_free(&t);
}

Test(compare, different_seeds_and_steps_warn) {
  static const char *const sets[] = {"scale=0.02"};
  char other[320];
  snprintf(other, sizeof other, "%s/other.h5", dir);
  run_plan p = {.sets = sets, .nsets = 1, .seed = 7, .steps = 4, .threads = 1, .output = other};
  run_result r;
  cr_assert_eq(run_execute(&p, &r), RUN_OK, "%s", r.message);
  cmp_table *t = build(base, other, NULL);
  cr_expect(has_warning(t, "use the same seed for common random numbers"));
  cr_expect(has_warning(t, "comparing steps 0..3"));
  cr_expect_eq(t->steps, 4);
  cr_expect(t->horizons[t->n_horizons - 1] == 3, "last horizon is the shorter run's");
  cmp_free(&t);
}

Test(compare, bad_inputs_are_rejected_with_the_file_named) {
  char junk[320], err[2048];
  cmp_table *t = NULL;
  snprintf(junk, sizeof junk, "%s/junk.h5", dir);
  FILE *f = fopen(junk, "w");
  fputs("not hdf5\n", f);
  fclose(f);
  cr_expect_eq(cmp_build(base, junk, NULL, &t, err, sizeof err), CMP_BAD_INPUT);
  cr_expect(strstr(err, junk) && strstr(err, "not an HDF5 file"), "%s", err);
  cr_expect_null(t);
  cr_expect_eq(cmp_build(dir, base, NULL, &t, err, sizeof err), CMP_BAD_INPUT);
  cr_expect(strstr(err, "is a directory"), "%s", err);
  cmp_options o = {.metrics = (const char *[]){"output", "valueadded"}, .n_metrics = 2};
  cr_expect_eq(cmp_build(base, policy, &o, &t, err, sizeof err), CMP_BAD_INPUT);
  cr_expect(strstr(err, "did you mean \"value_added\"") != NULL, "%s", err);
  int hz[] = {6};
  cmp_options oh = {.horizons = hz, .n_horizons = 1};
  cr_expect_eq(cmp_build(base, policy, &oh, &t, err, sizeof err), CMP_BAD_INPUT);
  cr_expect(strstr(err, "horizon step 6") != NULL, "%s", err);
  /* a run that is not complete */
  hid_t fh = H5Fopen(policy, H5F_ACC_RDWR, H5P_DEFAULT);
  hid_t a = H5Aopen(fh, "status", H5P_DEFAULT), st = H5Aget_type(a);
  const char *failed = "failed";
  cr_assert_geq(H5Awrite(a, st, &failed), 0);
  H5Tclose(st), H5Aclose(a), H5Fclose(fh);
  cr_expect_eq(cmp_build(base, policy, NULL, &t, err, sizeof err), CMP_BAD_INPUT);
  cr_expect(strstr(err, "not a complete run") && strstr(err, policy), "%s", err);
  expect_no_open_handles();
}

/* Lines of the file at PATH. */
static size_t count_lines(const char *path, char *first, size_t len) {
  FILE *f = fopen(path, "r");
  char line[4096];
  size_t n = 0;
  cr_assert_not_null(f);
  while (fgets(line, sizeof line, f))
    if (n++ == 0) snprintf(first, len, "%.200s", line);
  fclose(f);
  return n;
}

Test(compare, csv_and_hdf5_tables) {
  char csv[320], h5[320], head[256], err[2048];
  cmp_options o = {.by = CMP_BY_DEFAULT | CMP_BY(CMP_INDUSTRY)};
  cmp_table *t = build(base, policy, &o);
  snprintf(csv, sizeof csv, "%s/t.csv", dir);
  snprintf(h5, sizeof h5, "%s/t.h5", dir);
  cr_assert_eq(cmp_write(t, csv, err, sizeof err), CMP_OK, "%s", err);
  cr_expect_eq(count_lines(csv, head, sizeof head), t->n_rows * t->n_horizons + 1);
  cr_expect_str_eq(head, "metric,group,level,label,horizon_step,base,policy,diff,pct\n");
  cr_assert_eq(cmp_write(t, h5, err, sizeof err), CMP_OK, "%s", err);
  size_t n;
  double *pct = read_all(h5, "/pct", &n), *diff = read_all(h5, "/diff", &n);
  cr_assert_eq(n, t->n_rows * t->n_horizons);
  for (size_t i = 0; i < n; i++) {
    const cmp_value *v = &t->rows[i / t->n_horizons].v[i % t->n_horizons];
    cr_expect(v->diff == diff[i] || (isnan(v->diff) && isnan(diff[i])));
    cr_expect(v->pct == pct[i] || (isnan(v->pct) && isnan(pct[i])));
  }
  free(pct), free(diff);
  struct stat st;
  cr_expect_neq(stat(h5, &st) == 0 ? 0 : 1, 1);
  char partial[340];
  snprintf(partial, sizeof partial, "%s.partial", h5);
  cr_expect_neq(stat(partial, &st), 0, "no .partial left");
  cr_expect_eq(cmp_write(t, "/tmp/x.txt", err, sizeof err), CMP_BAD_INPUT);
  FILE *devnull = fopen("/dev/null", "w");
  cr_expect_eq(cmp_print(t, devnull), 0);
  fclose(devnull);
  cmp_free(&t);
  expect_no_open_handles();
}
