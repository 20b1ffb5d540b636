/* Sweeps: loading sweep files (designs, derived fields, every kind of bad
 * input reported as FILE:LINE:COLUMN: key.path), seeds and common random
 * numbers, the metric registry on known sequences, the journal (replay,
 * torn tail, another sweep's journal), and one run's determinism.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drivers/sweep.h"
#include "drivers/sweep_journal.h"

#define SMALL  "set: [scale=0.02, steps=6]\n"
#define METRIC "metrics:\n  - {name: va, series: value_added}\n"

static char dir[] = "/tmp/nqp-test-sweep-XXXXXX";
static char err[8192];

static void setup(void) {
  cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void) {
  char cmd[256];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  cr_assert_eq(system(cmd), 0);
}

TestSuite(sweep, .init = setup, .fini = teardown);

/* Write TEXT to DIR/NAME; returns the path (static buffer). */
static const char *write_file(const char *name, const char *text) {
  static char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs(text, f);
  fclose(f);
  return path;
}

static int load(const char *text, sweep *sw) {
  return sweep_load(write_file("s.yaml", text), sw, err, sizeof err);
}

/* Loading TEXT fails with a message containing WANT. */
static void bad(const char *text, const char *want) {
  sweep sw;
  int rc = load(text, &sw);
  cr_assert_eq(rc, SWEEP_BAD_INPUT, "expected bad input for:\n%s\ngot %d: %s", text, rc, err);
  cr_assert(strstr(err, want), "expected \"%s\" in:\n%s", want, err);
}

/* ---- loading ------------------------------------------------------------ */

Test(sweep, replicates_sweep_loads) {
  sweep sw;
  cr_assert_eq(load("name: r\n" SMALL "replicates: 5\n" METRIC, &sw), SWEEP_OK, "%s", err);
  cr_assert_eq(sw.n_points, 1);
  cr_assert_eq(sw.n_runs, 5);
  cr_assert_eq(sw.base_steps, 6);
  cr_assert_eq(sw.n_params, 0);
  cr_assert(strstr(sw.base_yaml, "scale: 0.02"), "the base scenario carries the fixed sets");
  cr_assert(strstr(sw.resolved, "replicates: 5"));
  sweep_free(&sw);
}

Test(sweep, design_sizes) {
  static const struct {
    const char *design;
    size_t points;
  } cases[] = {
      {"{method: grid, levels: 3}", 9},     {"{method: lhs, samples: 10}", 10},
      {"{method: sobol, samples: 8}", 32},  {"{method: sobol, samples: 8, second_order: true}", 48},
      {"{method: morris, samples: 5}", 15},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char text[1024];
    sweep sw;
    snprintf(text, sizeof text,
             SMALL "design: %s\nparameters:\n"
                   "  - {path: firm.safety_stock, min: 0, max: 2}\n"
                   "  - {path: market.replicator_chi, min: 0.5, max: 2}\n" METRIC,
             cases[i].design);
    cr_assert_eq(load(text, &sw), SWEEP_OK, "%s: %s", cases[i].design, err);
    cr_assert_eq(sw.n_points, cases[i].points, "%s: %zu points", cases[i].design, sw.n_points);
    for (size_t p = 0; p < sw.n_points; p++) {
      cr_assert(sw.values[p * 2] >= 0 && sw.values[p * 2] <= 2);
      cr_assert(sw.values[p * 2 + 1] >= 0.5 && sw.values[p * 2 + 1] <= 2);
    }
    sweep_free(&sw);
  }
}

Test(sweep, grid_levels_distributions_and_integers) {
  sweep sw;
  cr_assert_eq(load(SMALL "design: {method: grid, levels: 3}\nparameters:\n"
                          "  - {path: firm.lead_time, min: 0, max: 4, levels: 5}\n"
                          "  - {path: market.replicator_chi, min: 0.25, max: 4, "
                          "distribution: loguniform}\n" METRIC,
                    &sw),
               SWEEP_OK, "%s", err);
  cr_assert_eq(sw.n_points, 15);
  cr_assert(sw.s.params[0].integer && !sw.s.params[1].integer);
  cr_assert_str_eq(sw.s.params[0].name, "firm.lead_time", "the name defaults to the path");
  /* last parameter fastest; loguniform levels are geometric */
  cr_assert_float_eq(sw.values[0 * 2 + 1], 0.25, 1e-12);
  cr_assert_float_eq(sw.values[1 * 2 + 1], 1, 1e-12);
  cr_assert_float_eq(sw.values[2 * 2 + 1], 4, 1e-12);
  for (size_t p = 0; p < 15; p++) cr_assert_eq(sw.values[p * 2], (double)(p / 3));
  const char *sets[2];
  char buf[2 * SWEEP_SET_LEN];
  sweep_point_sets(&sw, 4, sets, buf);
  cr_assert_str_eq(sets[0], "firm.lead_time=1");
  cr_assert_str_eq(sets[1], "market.replicator_chi=1");
  sweep_free(&sw);
}

Test(sweep, normal_and_triangular_stay_in_range) {
  sweep sw;
  cr_assert_eq(load(SMALL "design: {method: lhs, samples: 200}\nparameters:\n"
                          "  - {path: firm.safety_stock, min: 0, max: 2, distribution: normal, "
                          "mean: 1, sd: 0.3}\n"
                          "  - {path: firm.input_cover, min: 0, max: 3, distribution: triangular, "
                          "mode: 1}\n" METRIC,
                    &sw),
               SWEEP_OK, "%s", err);
  double m0 = 0, m1 = 0;
  for (size_t p = 0; p < 200; p++) {
    cr_assert(sw.values[p * 2] >= 0 && sw.values[p * 2] <= 2);
    cr_assert(sw.values[p * 2 + 1] >= 0 && sw.values[p * 2 + 1] <= 3);
    m0 += sw.values[p * 2] / 200, m1 += sw.values[p * 2 + 1] / 200;
  }
  cr_assert_float_eq(m0, 1, 0.02, "truncated normal mean %g", m0);
  cr_assert_float_eq(m1, 4.0 / 3, 0.02, "triangular mean (0 + 1 + 3) / 3, found %g", m1);
  sweep_free(&sw);
}

Test(sweep, base_scenario_file_relative_to_the_sweep) {
  sweep sw;
  write_file("base.yaml", "extends: anhui.yaml\nname: mybase\nsteps: 5\nscale: 0.02\n");
  cr_assert_eq(load("scenario: base.yaml\n" METRIC, &sw), SWEEP_OK, "%s", err);
  cr_assert_eq(sw.base_steps, 5);
  cr_assert(strstr(sw.base_yaml, "name: \"mybase\""));
  sweep_free(&sw);
  bad("scenario: nope.yaml\n" METRIC, "s.yaml:1:11: scenario: the base scenario does not load: "
                                      "no file");
}

/* ---- bad sweep files ---------------------------------------------------- */

Test(sweep, bad_ranges) {
  bad(SMALL "design: {method: lhs}\nparameters:\n"
            "  - {path: firm.safety_stock, min: 2, max: 1}\n" METRIC,
      "s.yaml:4:44: parameters[0].max: expected max > min, found an inverted range: min 2 > max 1");
  bad(SMALL "design: {method: lhs}\nparameters:\n"
            "  - {path: firm.safety_stock, min: 1, max: 1}\n" METRIC,
      "parameters[0].max: expected max > min, found an empty range [1, 1]");
  bad(SMALL "design: {method: lhs}\nparameters:\n"
            "  - {path: firm.safety_stock, min: 0, max: 1, distribution: loguniform}\n" METRIC,
      "parameters[0].min: expected min > 0 for a loguniform distribution");
  bad(SMALL "design: {method: lhs}\nparameters:\n"
            "  - {path: firm.safety_stock, min: 0, max: 1, distribution: normal}\n" METRIC,
      "parameters[0].sd: expected sd > 0");
  bad(SMALL "design: {method: lhs}\nparameters:\n  - {path: firm.safety_stock, max: 1}\n" METRIC,
      "s.yaml:4:5: parameters[0].min: missing required key \"min\"");
}

Test(sweep, bad_parameter_paths) {
  bad(SMALL
      "design: {method: lhs}\nparameters:\n  - {path: firm.safty_stock, min: 0, max: 1}\n" METRIC,
      "s.yaml:4:12: parameters[0].path: not a scenario field: --set firm.safty_stock=0: unknown "
      "key \"safty_stock\" in firm (did you mean \"safety_stock\"?)");
  bad(SMALL
      "design: {method: lhs}\nparameters:\n  - {path: firm.lead_time, min: 0, max: 9}\n" METRIC,
      "s.yaml:4:41: parameters[0].max: the scenario rejects this value: --set firm.lead_time=9: "
      "firm.lead_time: expected an integer in [0, 8]");
  bad(SMALL
      "design: {method: lhs}\nparameters:\n  - {path: firm.forecast, min: 0, max: 1}\n" METRIC,
      "parameters[0].path: expected a numeric scenario field, found a enum field");
  bad(SMALL "design: {method: lhs}\nparameters:\n  - {path: seed, min: 0, max: 10}\n" METRIC,
      "parameters[0].path: seed cannot be a parameter");
  bad(SMALL "design: {method: lhs}\nparameters:\n"
            "  - {path: industries.nevv.markup, min: 0, max: 1}\n" METRIC,
      "no item with id or index \"nevv\" in industries");
}

Test(sweep, bad_metrics) {
  bad(SMALL "metrics:\n  - {name: va, series: value_aded}\n",
      "s.yaml:3:24: metrics[0].series: unknown series \"value_aded\" (did you mean "
      "\"value_added\"?)");
  bad(SMALL "metrics:\n  - {name: va, series: tfp_p90_p10, group: region, region: hefei}\n",
      "metrics[0].group: series tfp_p90_p10 has no region level (it has: economy, industry)");
  bad(SMALL "metrics:\n  - {name: va, series: output, group: industry, industry: nevv}\n",
      "metrics[0].industry: unknown industry \"nevv\" (did you mean \"nev\"?)");
  bad(SMALL "metrics:\n  - {name: va, series: output, group: industry}\n",
      "metrics[0]: missing `industry`: the industry level needs one of the scenario's industry "
      "ids");
  bad(SMALL "metrics:\n  - {name: va, series: output, industry: nev}\n",
      "metrics[0].industry: the economy level has no industry");
  bad(SMALL "metrics:\n  - {name: va, series: output, to: 6}\n",
      "metrics[0].to: expected a step below the base scenario's 6 steps, found 6");
  bad(SMALL "metrics:\n  - {name: va, series: output, statistic: recovery}\n",
      "metrics[0].shock: expected the shock step inside the window");
  bad(SMALL "metrics:\n  - {name: va, series: output}\n  - {name: va, series: sales}\n",
      "s.yaml:4:12: metrics[1].name: metric name va appears twice");
  bad(SMALL "metrics: []\n", "metrics: expected 1 to 1000 items");
}

Test(sweep, bad_designs_and_keys) {
  bad(SMALL "parameters:\n  - {path: firm.safety_stock, min: 0, max: 1}\n" METRIC,
      "parameters: the replicates design varies no parameter");
  bad(SMALL "design: {method: sobol}\n" METRIC, "design.method: design sobol needs at least one");
  bad(SMALL "design: {method: morris, levels: 5}\nparameters:\n"
            "  - {path: firm.safety_stock, min: 0, max: 1}\n" METRIC,
      "design.levels: expected an even number of Morris levels, found 5");
  bad(SMALL "design: {method: sobl}\n" METRIC, "design.method: expected one of");
  bad(SMALL "replicate: 3\n" METRIC, "s.yaml:2:1: replicate: unknown key \"replicate\" in sweep "
                                     "(did you mean \"replicates\"?)");
  bad(SMALL "design: {method: grid, levels: 1000}\nparameters:\n"
            "  - {path: firm.safety_stock, min: 0, max: 1}\n"
            "  - {path: firm.input_cover, min: 0, max: 1}\n"
            "  - {path: firm.stock_adjust, min: 1, max: 2}\n" METRIC,
      "design: expected at most 100000000 runs");
  bad("set: [firm.lead_tme=2]\n" METRIC,
      "set: the base scenario does not load: --set firm.lead_tme=2");
  bad("", "empty file");
}

/* ---- seeds -------------------------------------------------------------- */

static void seeds_of(const char *crn, long out[2][3]) {
  char text[1024];
  sweep sw;
  snprintf(text, sizeof text,
           SMALL "replicates: 3\ncommon_random_numbers: %s\ndesign: {method: grid, levels: 2}\n"
                 "parameters:\n  - {path: firm.safety_stock, min: 0, max: 1}\n" METRIC,
           crn);
  cr_assert_eq(load(text, &sw), SWEEP_OK, "%s", err);
  for (size_t p = 0; p < 2; p++)
    for (size_t r = 0; r < 3; r++) {
      out[p][r] = sweep_seed(&sw, p, r);
      cr_assert(out[p][r] >= 0 && out[p][r] <= 2147483647L);
    }
  sweep_free(&sw);
}

Test(sweep, seeds_common_random_numbers) {
  long on[2][3], off[2][3];
  seeds_of("true", on);
  seeds_of("false", off);
  for (int r = 0; r < 3; r++) {
    cr_assert_eq(on[0][r], on[1][r], "replicate %d: same seed at every point", r);
    cr_assert_neq(off[0][r], off[1][r], "without CRN every run has its own seed");
    for (int q = 0; q < r; q++) cr_assert_neq(on[0][r], on[0][q], "replicates differ");
  }
  long again[2][3];
  seeds_of("true", again);
  cr_assert_eq(memcmp(on, again, sizeof on), 0, "seeds are deterministic");
}

/* ---- metrics ------------------------------------------------------------ */

static double metric_of(int stat, int from, int to, const double *v, int n) {
  sweep_metric m = {.statistic = stat, .from = from, .to = to, .shock = 3, .threshold = 1};
  metric_acc a;
  metric_acc_init(&a, &m, n);
  for (int s = 0; s < n; s++) metric_acc_step(&a, &m, s, v[s]);
  return metric_acc_value(&a, &m);
}

Test(sweep, metric_registry_known_answers) {
  const double v[8] = {10, 12, 11, 6, 8, 10, 13, 9};
  cr_assert_eq(metric_of(METRIC_FINAL, 0, -1, v, 8), 9);
  cr_assert_eq(metric_of(METRIC_FINAL, 0, 5, v, 8), 10);
  cr_assert_float_eq(metric_of(METRIC_MEAN, 2, 5, v, 8), 35.0 / 4, 1e-15);
  cr_assert_eq(metric_of(METRIC_SUM, 0, -1, v, 8), 79);
  cr_assert_eq(metric_of(METRIC_MIN, 0, -1, v, 8), 6);
  cr_assert_eq(metric_of(METRIC_PEAK, 0, -1, v, 8), 13);
  cr_assert_float_eq(metric_of(METRIC_GROWTH, 1, 6, v, 8), 13.0 / 12 - 1, 1e-15);
  /* pre-shock level 11 (step 2); back to >= 11 at step 6: 3 steps after the shock */
  cr_assert_eq(metric_of(METRIC_RECOVERY, 0, -1, v, 8), 3);
  const double flat[8] = {5, 5, 5, 4, 4, 4, 4, 4};
  cr_assert(isnan(metric_of(METRIC_RECOVERY, 0, -1, flat, 8)), "never recovers: NaN");
  const double up[8] = {5, 5, 5, 6, 6, 6, 5, 7};
  cr_assert_eq(metric_of(METRIC_RECOVERY, 0, -1, up, 8), 0, "never fell: 0");
  const double late[8] = {5, 5, 5, 5, 4, 4, 5, 5};
  cr_assert_eq(metric_of(METRIC_RECOVERY, 0, -1, late, 8), 3, "falls a step late, back at 6");
  cr_assert(isnan(metric_of(METRIC_FINAL, 0, 9, v, 8)), "window not simulated: NaN");
  const double hole[4] = {1, NAN, 3, 4};
  cr_assert(isnan(metric_of(METRIC_MEAN, 0, -1, hole, 4)));
  cr_assert(isnan(metric_of(METRIC_PEAK, 0, -1, hole, 4)));
  cr_assert_eq(metric_of(METRIC_FINAL, 0, -1, hole, 4), 4);
}

/* ---- runs --------------------------------------------------------------- */

Test(sweep, a_run_is_a_pure_function_of_its_index) {
  sweep sw;
  cr_assert_eq(load(SMALL "replicates: 2\ndesign: {method: grid, levels: 2}\nparameters:\n"
                          "  - {path: firm.safety_stock, min: 0, max: 2}\n"
                          "metrics:\n  - {name: va, series: value_added}\n"
                          "  - {name: nev, series: output, group: industry, industry: nev, "
                          "statistic: mean}\n",
                    &sw),
               SWEEP_OK, "%s", err);
  double m1[2], m2[2], m3[2];
  sweep_result a = {.metrics = m1}, b = {.metrics = m2}, c = {.metrics = m3};
  cr_assert_eq(sweep_run_one(&sw, 3, 1, NULL, &a), SWEEP_RUN_OK, "%s", a.message);
  cr_assert_eq(sweep_run_one(&sw, 3, 2, NULL, &b), SWEEP_RUN_OK);
  cr_assert_eq(sweep_run_one(&sw, 2, 1, NULL, &c), SWEEP_RUN_OK);
  cr_assert_eq(a.run, 3);
  cr_assert_eq(a.steps, 6);
  cr_assert(isfinite(m1[0]) && isfinite(m1[1]) && m1[1] > 0);
  cr_assert_eq(memcmp(m1, m2, sizeof m1), 0, "same run on 1 and 2 threads");
  cr_assert_neq(memcmp(m1, m3, sizeof m1), 0, "another replicate differs");
  sweep_free(&sw);
}

/* ---- journal ------------------------------------------------------------ */

typedef struct replayed {
  int n;
  uint64_t runs[8];
  double first_metric[8];
} replayed;

static int on_record(void *ctx, const sweep_result *r) {
  replayed *p = ctx;
  if (p->n < 8) p->runs[p->n] = r->run, p->first_metric[p->n] = r->metrics[0];
  p->n++;
  return 0;
}

Test(sweep, journal_replays_intact_records_and_drops_a_torn_tail) {
  sweep sw;
  cr_assert_eq(load(SMALL "replicates: 4\n" METRIC, &sw), SWEEP_OK, "%s", err);
  char path[512];
  snprintf(path, sizeof path, "%s/j.journal", dir);
  int st;
  replayed rp = {0};
  sweep_journal *j = sweep_journal_open(path, &sw, on_record, &rp, &st, err, sizeof err);
  cr_assert_not_null(j, "%s", err);
  cr_assert_eq(rp.n, 0);
  double m = 1.5;
  sweep_result r = {.run = 2, .status = SWEEP_RUN_OK, .steps = 6, .metrics = &m};
  cr_assert_eq(sweep_journal_append(j, &r, err, sizeof err), 0);
  r.run = 0, m = 2.5, r.status = SWEEP_RUN_FAILED;
  snprintf(r.message, sizeof r.message, "boom");
  cr_assert_eq(sweep_journal_append(j, &r, err, sizeof err), 0);
  sweep_journal_close(&j);
  FILE *f = fopen(path, "ab"); /* a torn record: a kill in the middle of a write */
  fwrite("NSWRgarbage", 1, 11, f);
  fclose(f);
  j = sweep_journal_open(path, &sw, on_record, &rp, &st, err, sizeof err);
  cr_assert_not_null(j, "%s", err);
  cr_assert_eq(rp.n, 2);
  cr_assert_eq(rp.runs[0], 2);
  cr_assert_eq(rp.first_metric[1], 2.5);
  cr_assert_eq(sweep_journal_append(j, &r, err, sizeof err), 0, "appends after the truncation");
  sweep_journal_close(&j);
  rp.n = 0;
  j = sweep_journal_open(path, &sw, on_record, &rp, &st, err, sizeof err);
  cr_assert_eq(rp.n, 3);
  sweep_journal_close(&j);
  cr_assert_eq(sweep_journal_matches(path, &sw), 1);
  sweep_free(&sw);
  /* another sweep (one more replicate) refuses this journal */
  cr_assert_eq(load(SMALL "replicates: 5\n" METRIC, &sw), SWEEP_OK);
  cr_assert_eq(sweep_journal_matches(path, &sw), -1);
  cr_assert_null(sweep_journal_open(path, &sw, on_record, &rp, &st, err, sizeof err));
  cr_assert_eq(st, SWEEP_BAD_INPUT);
  cr_assert(strstr(err, "belongs to another sweep"), "%s", err);
  sweep_free(&sw);
}

/* Bytes of the file at P from OFF: flip one (XOR X) or append garbage. */
static void flip_byte(const char *p, long off, int x) {
  FILE *f = fopen(p, "r+b");
  cr_assert_not_null(f);
  fseek(f, off, SEEK_SET);
  int c = fgetc(f);
  fseek(f, off, SEEK_SET);
  fputc(c ^ x, f);
  fclose(f);
}

static long file_size(const char *p) {
  struct stat st;
  cr_assert_eq(stat(p, &st), 0);
  return (long)st.st_size;
}

/* A damaged record (CRC) and records with a valid CRC but fields out of
 * range for the sweep (status 99, steps 2^31-1, run 99 of 8, a negative
 * wall time) are each skipped: every valid record after them is replayed,
 * and so is a valid record behind garbage of odd length. */
Test(sweep, journal_skips_bad_records_and_keeps_the_good_ones_after_them) {
  sweep sw;
  cr_assert_eq(load(SMALL "replicates: 8\n" METRIC, &sw), SWEEP_OK, "%s", err);
  char path[512];
  snprintf(path, sizeof path, "%s/bad.journal", dir);
  int st;
  replayed rp = {0};
  sweep_journal *j = sweep_journal_open(path, &sw, on_record, &rp, &st, err, sizeof err);
  cr_assert_not_null(j, "%s", err);
  double m = 0;
  sweep_result r = {.status = SWEEP_RUN_OK, .steps = 6, .metrics = &m};
  const long rec = 32 + 8 + SWEEP_MSG_LEN, head = 64;
  /* records 0..6: run 0, run 1 (to be damaged), forged x4, run 5 */
  r.run = 0, m = 10;
  cr_assert_eq(sweep_journal_append(j, &r, err, sizeof err), 0);
  r.run = 1, m = 11;
  cr_assert_eq(sweep_journal_append(j, &r, err, sizeof err), 0);
  sweep_result forged[4] = {r, r, r, r};
  forged[0].run = 2, forged[0].status = 99;
  forged[1].run = 3, forged[1].steps = 2147483647;
  forged[2].run = 99;
  forged[3].run = 4, forged[3].wall_s = -1;
  for (int k = 0; k < 4; k++) cr_assert_eq(sweep_journal_append(j, &forged[k], err, sizeof err), 0);
  r.run = 5, m = 15;
  cr_assert_eq(sweep_journal_append(j, &r, err, sizeof err), 0);
  sweep_journal_close(&j);
  flip_byte(path, head + rec + 40, 0x01); /* a metric byte of run 1 */
  FILE *f = fopen(path, "ab");            /* odd-sized garbage, then a valid record */
  fwrite("NSWRjunk", 1, 7, f);
  fclose(f);
  j = sweep_journal_open(path, &sw, NULL, NULL, &st, err, sizeof err);
  r.run = 6, m = 16;
  cr_assert_eq(sweep_journal_append(j, &r, err, sizeof err), 0);
  sweep_journal_close(&j);
  /* the append came after the truncation of the 7 bytes: write garbage
   * between two valid records by hand */
  f = fopen(path, "ab");
  fwrite("garbage", 1, 7, f);
  fclose(f);
  j = sweep_journal_open(path, &sw, NULL, NULL, &st, err, sizeof err);
  sweep_journal_close(&j);
  cr_assert_eq(file_size(path), head + 8 * rec, "a torn tail is truncated");
  j = sweep_journal_open(path, &sw, NULL, NULL, &st, err, sizeof err);
  r.run = 7, m = 17;
  cr_assert_eq(sweep_journal_append(j, &r, err, sizeof err), 0);
  sweep_journal_close(&j);
  /* insert garbage in the middle: before run 7's record */
  long n = file_size(path);
  char *buf = malloc((size_t)n + 5);
  f = fopen(path, "rb");
  cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  memmove(buf + n - rec + 5, buf + n - rec, (size_t)rec);
  memcpy(buf + n - rec, "NSWR!", 5);
  f = fopen(path, "wb");
  fwrite(buf, 1, (size_t)n + 5, f);
  fclose(f);
  free(buf);

  rp.n = 0;
  j = sweep_journal_open(path, &sw, on_record, &rp, &st, err, sizeof err);
  cr_assert_not_null(j, "%s", err);
  cr_assert_eq(sweep_journal_skipped(j), 6, "run 1, four forged records, the garbage: %zu",
               sweep_journal_skipped(j));
  cr_assert_eq(rp.n, 4, "runs 0, 5, 6 and 7 replayed, got %d", rp.n);
  uint64_t want[] = {0, 5, 6, 7};
  for (int k = 0; k < 4; k++) cr_assert_eq(rp.runs[k], want[k]);
  cr_assert_eq(rp.first_metric[1], 15);
  cr_assert_eq(rp.first_metric[3], 17, "the record behind the garbage is intact");
  sweep_journal_close(&j);
  sweep_free(&sw);
}
