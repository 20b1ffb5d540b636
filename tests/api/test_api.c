/* test_api: the public C API (include/nqpsim.h, api/).
 *
 * - error contract: a missing file, a bad --set path (its key in the
 *   message) or value, an unknown series or panel variable, stepping past
 *   the scenario's steps, NULL handles and NULL frees; the last error is
 *   per thread and survives successful calls;
 * - identity: a world stepped through the API and saved equals, dataset by
 *   dataset and byte by byte, the run file run_execute writes for the same
 *   scenario, overrides and seed (with another thread count);
 * - reset gives the same series again; the panel lists the live firms;
 * - classroom orders: an override sets the firm's orders of that input for
 *   one step only and leaves every other firm's orders as in a world
 *   without it.
 *
 * Invariants: each test works in /tmp/nqp-api-<pid>, removed afterwards;
 * worlds are small (scale 0.02, a few steps).
 */
#include <criterion/criterion.h>
#include <hdf5.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/api_priv.h"
#include "drivers/run.h"

static char dir[256];

static void setup(void) {
  snprintf(dir, sizeof dir, "/tmp/nqp-api-%d", (int)getpid());
  mkdir(dir, 0777);
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

static void teardown(void) {
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  cr_assert_eq(system(cmd), 0);
}

TestSuite(api, .init = setup, .fini = teardown);

/* The small baseline with STEPS steps and extra overrides. */
static nqp_scenario *small(int steps, const char *const *extra) {
  nqp_scenario *s = nqp_scenario_load("anhui");
  cr_assert(s, "load: %s", nqp_last_error());
  char n[32];
  snprintf(n, sizeof n, "%d", steps);
  cr_assert_eq(nqp_scenario_set(s, "scale", "0.02"), NQP_OK, "%s", nqp_last_error());
  cr_assert_eq(nqp_scenario_set(s, "steps", n), NQP_OK, "%s", nqp_last_error());
  for (size_t i = 0; extra && extra[i]; i += 2)
    cr_assert_eq(nqp_scenario_set(s, extra[i], extra[i + 1]), NQP_OK, "%s", nqp_last_error());
  return s;
}

/* ---- error contract ------------------------------------------------------- */

Test(api, missing_file_is_bad_input_with_its_name) {
  cr_assert_null(nqp_scenario_load("/nonexistent/dir/none.yaml"));
  cr_assert(strstr(nqp_last_error(), "/nonexistent/dir/none.yaml"), "%s", nqp_last_error());
  cr_assert_null(nqp_scenario_load("no_such_embedded_scenario"));
  cr_assert(strstr(nqp_last_error(), "no_such_embedded_scenario"), "%s", nqp_last_error());
  cr_assert_eq(nqp_last_status(), NQP_BAD_INPUT, "a NULL result keeps its status");
}

Test(api, bad_set_names_its_key_and_leaves_the_scenario) {
  nqp_scenario *s = small(3, NULL);
  char *before = nqp_scenario_resolved(s);
  cr_assert_eq(nqp_scenario_set(s, "firm.no_such_param", "1"), NQP_BAD_INPUT);
  cr_assert(strstr(nqp_last_error(), "firm.no_such_param"), "%s", nqp_last_error());
  cr_assert_eq(nqp_scenario_set(s, "scale", "lots"), NQP_BAD_INPUT);
  cr_assert(strstr(nqp_last_error(), "scale"), "%s", nqp_last_error());
  cr_assert_eq(nqp_scenario_set(s, "steps", "-4"), NQP_BAD_INPUT);
  cr_assert_eq(nqp_scenario_set(s, NULL, "1"), NQP_BAD_INPUT);
  char *after = nqp_scenario_resolved(s);
  cr_assert_str_eq(before, after, "a failed override changed the scenario");
  cr_assert_eq(nqp_scenario_steps(s), 3);
  nqp_string_free(before);
  nqp_string_free(after);
  nqp_scenario_free(s);
}

Test(api, seed_and_steps_are_paths_like_any_other) {
  nqp_scenario *s = small(4, (const char *const[]){"seed", "123", NULL});
  cr_assert_eq(nqp_scenario_seed(s), 123);
  cr_assert_eq(nqp_scenario_steps(s), 4);
  cr_assert_str_eq(nqp_scenario_name(s), "anhui");
  nqp_scenario_free(s);
}

Test(api, null_handles_and_frees) {
  nqp_scenario_free(NULL);
  nqp_world_free(NULL);
  nqp_string_free(NULL);
  cr_assert_eq(nqp_world_step(NULL, 1), NQP_BAD_INPUT);
  cr_assert(strstr(nqp_last_error(), "NULL"), "%s", nqp_last_error());
  cr_assert_null(nqp_world_create(NULL, 1));
  cr_assert_eq(nqp_world_save(NULL, "x.h5", 0), NQP_BAD_INPUT);
  cr_assert_eq(nqp_scenario_set(NULL, "scale", "1"), NQP_BAD_INPUT);
  cr_assert_null(nqp_scenario_resolved(NULL));
  cr_assert_eq(nqp_series_count(NULL), 0);
  cr_assert_eq(nqp_panel_read(NULL, "uid", NULL, 0), NQP_BAD_INPUT);
}

Test(api, library_facts) {
  cr_assert_str_eq(nqp_version(), "0.1.0");
  cr_assert(strlen(nqp_git_commit()) > 0);
  size_t n = 0;
  int baseline = 0;
  while (nqp_embedded_name(n)) baseline |= !strcmp(nqp_embedded_name(n++), "anhui.yaml");
  cr_assert(n > 1 && baseline);
  cr_assert_str_eq(nqp_level_name(NQP_INDUSTRY_REGION), "industry_region");
  cr_assert_null(nqp_level_name((nqp_level)7));
}

Test(api, stepping_past_the_steps_is_refused) {
  nqp_scenario *s = small(2, NULL);
  nqp_world *w = nqp_world_create(s, 1);
  nqp_scenario_free(s); /* the world keeps its own copy */
  cr_assert(w, "%s", nqp_last_error());
  cr_assert_eq(nqp_world_step(w, 0), NQP_BAD_INPUT);
  cr_assert_eq(nqp_world_step(w, 3), NQP_BAD_INPUT);
  cr_assert(strstr(nqp_last_error(), "steps"), "%s", nqp_last_error());
  cr_assert_eq(nqp_world_steps_done(w), 0);
  cr_assert_eq(nqp_world_step(w, 2), NQP_OK, "%s", nqp_last_error());
  cr_assert_eq(nqp_world_steps_done(w), 2);
  cr_assert_eq(nqp_world_step(w, 1), NQP_BAD_INPUT);
  cr_assert_eq(nqp_world_steps_total(w), 2);
  cr_assert_eq(nqp_world_create(NULL, 1), NULL);
  nqp_world_free(w);
}

Test(api, threads_out_of_range_refused) {
  nqp_scenario *s = small(2, NULL);
  cr_assert_null(nqp_world_create(s, 0));
  cr_assert(strstr(nqp_last_error(), "threads"), "%s", nqp_last_error());
  nqp_scenario_free(s);
}

Test(api, unknown_series_and_level) {
  nqp_scenario *s = small(2, NULL);
  nqp_world *w = nqp_world_create(s, 1);
  size_t steps = 9, cells = 9;
  cr_assert_null(nqp_series_data(w, "no_such_series", NQP_ECONOMY, &steps, &cells));
  cr_assert(strstr(nqp_last_error(), "no_such_series"), "%s", nqp_last_error());
  cr_assert_null(nqp_series_data(w, "output", (nqp_level)9, &steps, &cells));
  const double *v = nqp_series_data(w, "output", NQP_ECONOMY, &steps, &cells);
  cr_assert(v && steps == 0 && cells == 1, "no step done: non-NULL with 0 steps");
  /* the last error stays after successful calls */
  cr_assert(strstr(nqp_last_error(), "level"), "%s", nqp_last_error());
  cr_assert_null(nqp_industry_id(w, 99));
  cr_assert_null(nqp_series_name(w, 100000));
  nqp_world_free(w);
  nqp_scenario_free(s);
}

static void *fail_in_thread(void *arg) {
  nqp_scenario_load("/nonexistent/other-thread.yaml");
  return NULL;
}

Test(api, last_error_is_per_thread) {
  cr_assert_null(nqp_scenario_load("/nonexistent/this-thread.yaml"));
  pthread_t t;
  cr_assert_eq(pthread_create(&t, NULL, fail_in_thread, NULL), 0);
  pthread_join(t, NULL);
  cr_assert(strstr(nqp_last_error(), "this-thread"), "%s", nqp_last_error());
}

/* ---- identity with `nqpsim run` ----------------------------------------- */

/* Bytes of dataset NAME in FILE, strings (fixed or variable) as their text
 * joined by NUL; *N receives the length. */
static char *dataset_bytes(hid_t file, const char *name, size_t *n) {
  hid_t d = H5Dopen2(file, name, H5P_DEFAULT);
  cr_assert(d >= 0, "dataset %s missing", name);
  hid_t ft = H5Dget_type(d), sp = H5Dget_space(d);
  hssize_t np = H5Sget_simple_extent_npoints(sp);
  char *out = NULL;
  if (np == 0) {
    out = malloc(1), *n = 0;
  } else if (H5Tget_class(ft) == H5T_STRING && H5Tis_variable_str(ft) > 0) {
    hid_t mt = H5Tcopy(H5T_C_S1);
    H5Tset_size(mt, H5T_VARIABLE);
    H5Tset_cset(mt, H5Tget_cset(ft));
    char **v = calloc((size_t)np + 1, sizeof(char *));
    cr_assert(H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0, "reading %s", name);
    size_t len = 0;
    for (hssize_t i = 0; i < np; i++) len += strlen(v[i] ? v[i] : "") + 1;
    out = malloc(len + 1);
    *n = 0;
    for (hssize_t i = 0; i < np; i++) {
      size_t l = strlen(v[i] ? v[i] : "") + 1;
      memcpy(out + *n, v[i] ? v[i] : "", l);
      *n += l;
    }
    H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, v);
    free(v);
    H5Tclose(mt);
  } else {
    hid_t mt = H5Tget_native_type(ft, H5T_DIR_ASCEND);
    *n = (size_t)np * H5Tget_size(mt);
    out = malloc(*n + 1);
    cr_assert(H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) >= 0, "reading %s", name);
    H5Tclose(mt);
  }
  H5Tclose(ft);
  H5Sclose(sp);
  H5Dclose(d);
  return out;
}

typedef struct ds_list {
  char names[2048][128];
  size_t n;
} ds_list;

static herr_t visit(hid_t obj, const char *name, const H5O_info_t *info, void *data) {
  ds_list *l = data;
  if (info->type == H5O_TYPE_DATASET && l->n < 2048)
    snprintf(l->names[l->n++], sizeof l->names[0], "%s", name);
  return 0;
}

/* Every dataset of A is in B with the same bytes, and B has no other. */
static void assert_same_datasets(const char *a, const char *b) {
  hid_t fa = H5Fopen(a, H5F_ACC_RDONLY, H5P_DEFAULT), fb = H5Fopen(b, H5F_ACC_RDONLY, H5P_DEFAULT);
  cr_assert(fa >= 0 && fb >= 0);
  ds_list *la = calloc(1, sizeof *la), *lb = calloc(1, sizeof *lb);
  H5Ovisit(fa, H5_INDEX_NAME, H5_ITER_INC, visit, la);
  H5Ovisit(fb, H5_INDEX_NAME, H5_ITER_INC, visit, lb);
  cr_assert_eq(la->n, lb->n, "%zu datasets against %zu", la->n, lb->n);
  cr_assert(la->n > 100, "only %zu datasets", la->n);
  for (size_t i = 0; i < la->n; i++) {
    size_t na, nb;
    char *x = dataset_bytes(fa, la->names[i], &na), *y = dataset_bytes(fb, la->names[i], &nb);
    cr_assert(na == nb && memcmp(x, y, na) == 0, "dataset %s differs", la->names[i]);
    free(x);
    free(y);
  }
  free(la);
  free(lb);
  H5Fclose(fa);
  H5Fclose(fb);
}

Test(api, save_equals_nqpsim_run) {
  char ran[300], saved[300];
  snprintf(ran, sizeof ran, "%s/run.h5", dir);
  snprintf(saved, sizeof saved, "%s/api.h5", dir);
  const char *sets[] = {"scale=0.02", "output.panel_interval=2"};
  run_plan p = {.sets = sets, .nsets = 2, .seed = 11, .steps = 5, .threads = 1, .output = ran};
  run_result r;
  cr_assert_eq(run_execute(&p, &r), RUN_OK, "%s", r.message);
  nqp_scenario *s = nqp_scenario_load(NULL);
  cr_assert_eq(nqp_scenario_set(s, "scale", "0.02"), NQP_OK);
  cr_assert_eq(nqp_scenario_set(s, "output.panel_interval", "2"), NQP_OK);
  cr_assert_eq(nqp_scenario_set(s, "seed", "11"), NQP_OK);
  cr_assert_eq(nqp_scenario_set(s, "steps", "5"), NQP_OK);
  nqp_world *w = nqp_world_create(s, 2);
  nqp_scenario_free(s);
  cr_assert_eq(nqp_world_step(w, 2), NQP_OK, "%s", nqp_last_error());
  cr_assert_eq(nqp_world_step(w, 3), NQP_OK, "%s", nqp_last_error());
  cr_assert_eq(nqp_world_save(w, saved, 0), NQP_OK, "%s", nqp_last_error());
  assert_same_datasets(ran, saved);
  /* an existing file is kept without force, replaced with it */
  cr_assert_eq(nqp_world_save(w, saved, 0), NQP_BAD_INPUT);
  cr_assert(strstr(nqp_last_error(), saved), "%s", nqp_last_error());
  cr_assert_eq(nqp_world_save(w, saved, 1), NQP_OK, "%s", nqp_last_error());
  assert_same_datasets(ran, saved);
  nqp_world_free(w);
}

Test(api, series_match_the_observer_and_reset_repeats_them) {
  nqp_scenario *s = small(4, NULL);
  nqp_world *w = nqp_world_create(s, 1);
  nqp_scenario_free(s);
  cr_assert_eq(nqp_world_step(w, 3), NQP_OK, "%s", nqp_last_error());
  size_t steps, cells, n = nqp_level_cells(w, NQP_INDUSTRY_REGION);
  cr_assert_eq(n, nqp_industry_count(w) * nqp_region_count(w));
  const double *v = nqp_series_data(w, "output", NQP_INDUSTRY_REGION, &steps, &cells);
  cr_assert(v && steps == 3 && cells == n);
  double first[3 * WORLD_MAX_INDUSTRIES * WORLD_MAX_REGIONS];
  memcpy(first, v, steps * cells * sizeof(double));
  /* the last step's values are the observer's */
  for (size_t c = 0; c < cells; c++) {
    double o = obs_value(w->obs, "output", SERIES_INDUSTRY_REGION, c);
    cr_assert(memcmp(&o, &v[2 * cells + c], sizeof o) == 0, "cell %zu", c);
  }
  cr_assert_eq(nqp_world_reset(w), NQP_OK, "%s", nqp_last_error());
  cr_assert_eq(nqp_world_steps_done(w), 0);
  cr_assert_eq(nqp_world_step(w, 3), NQP_OK, "%s", nqp_last_error());
  v = nqp_series_data(w, "output", NQP_INDUSTRY_REGION, &steps, &cells);
  cr_assert(steps == 3 && memcmp(first, v, steps * cells * sizeof(double)) == 0,
            "reset did not reproduce the series");
  nqp_world_free(w);
}

Test(api, panel_reads_live_firms) {
  nqp_scenario *s = small(2, NULL);
  nqp_world *w = nqp_world_create(s, 1);
  nqp_scenario_free(s);
  cr_assert_eq(nqp_world_step(w, 2), NQP_OK, "%s", nqp_last_error());
  size_t n = nqp_firm_count(w), np = nqp_panel_count();
  cr_assert(n > 100 && np >= 17, "%zu firms, %zu variables", n, np);
  int has_uid = 0;
  for (size_t j = 0; j < np; j++) has_uid |= !strcmp(nqp_panel_name(j), "uid");
  cr_assert(has_uid);
  cr_assert_null(nqp_panel_name(np));
  double *uid = malloc(n * sizeof(double)), *ind = malloc(n * sizeof(double));
  cr_assert_eq(nqp_panel_read(w, "uid", uid, n), NQP_OK, "%s", nqp_last_error());
  cr_assert_eq(nqp_panel_read(w, "industry", ind, n), NQP_OK, "%s", nqp_last_error());
  for (size_t i = 0, k = 0; k < w->w->f.n; k++) {
    if (!w->w->f.alive[k]) continue;
    cr_assert_eq(uid[i], (double)w->w->f.uid[k]);
    cr_assert(ind[i] >= 0 && ind[i] < (double)nqp_industry_count(w));
    i++;
  }
  cr_assert_eq(nqp_panel_read(w, "uid", uid, n - 1), NQP_BAD_INPUT);
  cr_assert_eq(nqp_panel_read(w, "no_such_var", uid, n), NQP_BAD_INPUT);
  cr_assert(strstr(nqp_last_error(), "no_such_var"), "%s", nqp_last_error());
  free(uid);
  free(ind);
  nqp_world_free(w);
}

/* ---- classroom orders --------------------------------------------------- */

/* Orders firm slot K placed for input position M in the last step. */
static double orders_of(const world *w, size_t k, int m) {
  const firm_soa *f = &w->f;
  int slots = w->scn->firm.supplier_slots;
  double s = 0;
  for (int sl = 0; sl < slots; sl++) s += f->order[k * f->nslot + (size_t)(m * slots + sl)];
  return s;
}

/* The first live firm whose industry has at least one input. */
static size_t firm_with_inputs(const world *w) {
  for (size_t k = 0; k < w->f.n; k++)
    if (w->f.alive[k] && w->ind[w->f.ind[k]].n_inputs > 0) return k;
  cr_assert_fail("no firm with inputs");
  return 0;
}

Test(api, set_order_applies_for_one_step) {
  nqp_scenario *s = small(4, NULL);
  nqp_world *a = nqp_world_create(s, 1), *b = nqp_world_create(s, 1);
  nqp_scenario_free(s);
  cr_assert_eq(nqp_world_step(a, 1), NQP_OK);
  cr_assert_eq(nqp_world_step(b, 1), NQP_OK);
  size_t k = firm_with_inputs(a->w);
  int64_t uid = (int64_t)a->w->f.uid[k];
  double rule = orders_of(a->w, k, 0), q = 3 * rule + 1000;
  cr_assert_eq(nqp_world_set_order(a, uid, 0, q), NQP_OK, "%s", nqp_last_error());
  cr_assert_eq(nqp_world_step(a, 1), NQP_OK);
  cr_assert_eq(nqp_world_step(b, 1), NQP_OK);
  cr_assert_float_eq(orders_of(a->w, k, 0), q, 1e-9 * q, "override not applied");
  cr_assert(fabs(orders_of(b->w, k, 0) - q) > 1e-6 * q);
  /* every other firm planned as in the world without the override */
  for (size_t j = 0; j < a->w->f.n; j++)
    for (size_t sl = 0; j != k && a->w->f.alive[j] && sl < a->w->f.nslot; sl++)
      cr_assert(a->w->f.order[j * a->w->f.nslot + sl] == b->w->f.order[j * b->w->f.nslot + sl],
                "firm slot %zu", j);
  cr_assert_eq(a->w->n_overrides, 0, "the override outlived its step");
  cr_assert_eq(nqp_world_step(a, 1), NQP_OK);
  cr_assert(fabs(orders_of(a->w, k, 0) - q) > 1e-6 * q, "the override applied twice");
  nqp_world_free(a);
  nqp_world_free(b);
}

Test(api, set_order_refuses_bad_arguments) {
  nqp_scenario *s = small(2, NULL);
  nqp_world *w = nqp_world_create(s, 1);
  nqp_scenario_free(s);
  size_t k = firm_with_inputs(w->w);
  int64_t uid = (int64_t)w->w->f.uid[k];
  int n_inputs = w->w->ind[w->w->f.ind[k]].n_inputs;
  cr_assert_eq(nqp_world_set_order(w, -5, 0, 1), NQP_BAD_INPUT);
  cr_assert(strstr(nqp_last_error(), "uid -5"), "%s", nqp_last_error());
  cr_assert_eq(nqp_world_set_order(w, uid, n_inputs, 1), NQP_BAD_INPUT);
  cr_assert_eq(nqp_world_set_order(w, uid, -1, 1), NQP_BAD_INPUT);
  cr_assert_eq(nqp_world_set_order(w, uid, 0, -1), NQP_BAD_INPUT);
  cr_assert_eq(nqp_world_set_order(w, uid, 0, NAN), NQP_BAD_INPUT);
  cr_assert_eq(nqp_world_set_order(w, uid, 0, INFINITY), NQP_BAD_INPUT);
  cr_assert_eq(w->w->n_overrides, 0);
  cr_assert_eq(nqp_world_set_order(w, uid, 0, 5), NQP_OK);
  cr_assert_eq(nqp_world_set_order(w, uid, 0, 0), NQP_OK, "a second set replaces the first");
  cr_assert_eq(w->w->n_overrides, 1);
  cr_assert_eq(nqp_world_reset(w), NQP_OK);
  cr_assert_eq(w->w->n_overrides, 0, "reset keeps no override");
  cr_assert_eq(nqp_world_step(w, 2), NQP_OK);
  cr_assert_eq(nqp_world_set_order(w, uid, 0, 1), NQP_BAD_INPUT, "no step left");
  nqp_world_free(w);
}
