/* baseline.c: the C API of libnqpsim in one program (docs/api.md).
 *
 * Loads the embedded Anhui baseline, overrides two parameters as
 * `nqpsim run --set` would (a small world, a short run), builds the world,
 * steps it, prints a few economy series and the number of live firms, and
 * saves the run file, checking every call with nqp_last_error().
 *
 *   usage: baseline [OUT.h5] [KEY=VALUE ...]
 *   cc baseline.c $(pkg-config --cflags --libs nqpsim) -o baseline
 *
 * Output (stdout): one line per series, "NAME step S: VALUE UNITS", for
 * the first and last step, then "firms N" and "saved OUT.h5". Exit 0 on
 * success, the failing call's status (1 or 2) otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nqpsim.h"

/* Report a failed call and return its status. */
static int failed(const char *what, int status) {
  fprintf(stderr, "baseline: %s: %s\n", what, nqp_last_error());
  return status ? status : NQP_FAILED;
}

/* Print economy series NAME at its first and last step. */
static int print_series(const nqp_world *w, const char *name) {
  size_t steps, cells;
  const double *v = nqp_series_data(w, name, NQP_ECONOMY, &steps, &cells);
  if (!v) return failed(name, NQP_BAD_INPUT);
  const char *units = "";
  for (size_t i = 0; i < nqp_series_count(w); i++)
    if (!strcmp(nqp_series_name(w, i), name)) units = nqp_series_units(w, i);
  printf("%-12s step 0: %.6g %s\n", name, v[0], units);
  printf("%-12s step %zu: %.6g %s\n", name, steps - 1, v[(steps - 1) * cells], units);
  return 0;
}

static int run(nqp_scenario *s, const char *out) {
  nqp_world *w = nqp_world_create(s, 1);
  if (!w) return failed("nqp_world_create", NQP_FAILED);
  int rc = nqp_world_step(w, nqp_world_steps_total(w));
  if (rc != NQP_OK) rc = failed("nqp_world_step", rc);
  const char *names[] = {"output", "tfp", "digital", "index_nqp"};
  for (size_t i = 0; rc == NQP_OK && i < sizeof names / sizeof names[0]; i++)
    rc = print_series(w, names[i]);
  if (rc == NQP_OK) printf("firms %zu\n", nqp_firm_count(w));
  if (rc == NQP_OK && (rc = nqp_world_save(w, out, 1)) != NQP_OK) rc = failed("nqp_world_save", rc);
  if (rc == NQP_OK) printf("saved %s\n", out);
  nqp_world_free(w);
  return rc;
}

/* Apply "KEY=VALUE" to S, as `nqpsim run --set KEY=VALUE`. */
static int set(nqp_scenario *s, const char *arg) {
  char key[256];
  const char *eq = strchr(arg, '=');
  if (!eq || (size_t)(eq - arg) >= sizeof key) {
    fprintf(stderr, "baseline: %s: expected KEY=VALUE\n", arg);
    return NQP_BAD_INPUT;
  }
  snprintf(key, sizeof key, "%.*s", (int)(eq - arg), arg);
  int rc = nqp_scenario_set(s, key, eq + 1);
  return rc == NQP_OK ? rc : failed("nqp_scenario_set", rc);
}

int main(int argc, char **argv) {
  const char *out = argc > 1 ? argv[1] : "baseline.h5";
  printf("libnqpsim %s (commit %s)\n", nqp_version(), nqp_git_commit());
  nqp_scenario *s = nqp_scenario_load("anhui.yaml");
  if (!s) return failed("nqp_scenario_load", NQP_BAD_INPUT);
  int rc = set(s, "scale=0.02");
  if (rc == NQP_OK) rc = set(s, "steps=8");
  for (int i = 2; rc == NQP_OK && i < argc; i++) rc = set(s, argv[i]);
  if (rc == NQP_OK) {
    printf("scenario %s: seed %lld, %d steps\n", nqp_scenario_name(s),
           (long long)nqp_scenario_seed(s), nqp_scenario_steps(s));
    rc = run(s, out);
  }
  nqp_scenario_free(s);
  return rc;
}
