/* testutil: building small worlds for tests (see testutil.h). */
#include "support/testutil.h"

#include <criterion/criterion.h>
#include <stdlib.h>

#include "sim/world_create.h"
#include "sim/step.h"

static tu_world *make(const char *yaml, int threads, const char *const *sets) {
  const char *all[64];
  size_t n = 0;
  if (!yaml) all[n++] = "scale=0.03";
  for (size_t i = 0; sets && sets[i] && n < 63; i++) all[n++] = sets[i];
  tu_world *t = calloc(1, sizeof *t);
  char err[4096];
  int rc = yaml ? scn_load_string("test.yaml", yaml, all, n, &t->scn, NULL, err, sizeof err)
                : scn_load(NULL, all, n, &t->scn, NULL, err, sizeof err);
  cr_assert_eq(rc, 0, "scenario failed to load: %s", err);
  t->w = world_create(&t->scn, threads, err, sizeof err);
  cr_assert_not_null(t->w, "world_create failed: %s", err);
  return t;
}

tu_world *tu_make(int threads, const char *const *sets) {
  return make(NULL, threads, sets);
}

tu_world *tu_make_text(const char *yaml, int threads, const char *const *sets) {
  return make(yaml, threads, sets);
}

void tu_free(tu_world **t) {
  if (!*t) return;
  world_free(&(*t)->w);
  scn_free(&(*t)->scn);
  free(*t);
  *t = NULL;
}

void tu_steps_checked(tu_world *t, int n) {
  char err[2048];
  cr_assert_eq(world_check(t->w, err, sizeof err), 0, "initial world: %s", err);
  for (int i = 0; i < n; i++) {
    cr_assert_eq(step_run(t->w, err, sizeof err), 0, "%s", err);
    cr_assert_eq(world_check(t->w, err, sizeof err), 0, "after step %d: %s", i, err);
  }
}
