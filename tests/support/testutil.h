/* testutil: small worlds for the Criterion suites. */
#ifndef NQP_TESTUTIL_H
#define NQP_TESTUTIL_H

#include <stddef.h>

#include "config/scenario.h"
#include "world/world.h"

typedef struct tu_world {
  scenario scn;
  world *w;
} tu_world;

/* The embedded Anhui baseline at a small scale, with extra --set overrides
 * (NULL-terminated list). Aborts the test on error. */
tu_world *tu_make(int threads, const char *const *sets);
/* A scenario from YAML text (plus overrides). */
tu_world *tu_make_text(const char *yaml, int threads, const char *const *sets);
void tu_free(tu_world **t);
/* Run N steps, calling world_check() after each; asserts it holds. */
void tu_steps_checked(tu_world *t, int n);

#endif
