/* api_priv: the handles behind include/nqpsim.h and the helpers every API
 * file shares (the thread-local last error, argument checks).
 * Included by: the files of api/ and the API's unit tests (tests/api/), which read
 * the engine state behind a handle.
 *
 * Invariants:
 *  - an nqp_scenario holds a loaded, validated scenario and the overrides
 *    that produced it from its source, in order; its resolved text is what
 *    a run file stores in /scenario;
 *  - an nqp_world owns its own scenario (loaded from the resolved text it
 *    copied), its world, observer and in-memory record, so it never
 *    refers to the nqp_scenario it was created from;
 *  - rec holds exactly the steps w has simulated (steps 0..w->step-1);
 *  - broken is set when a step failed half way: the world refuses to step
 *    or save until nqp_world_reset.
 */
#ifndef NQP_API_PRIV_H
#define NQP_API_PRIV_H

#include <stddef.h>

#include "config/scenario.h"
#include "drivers/runrec.h"
#include "nqpsim.h"
#include "sim/observe.h"
#include "world/world.h"

struct nqp_scenario {
  char *source; /* file path or embedded name; NULL: the embedded baseline */
  char **sets;  /* "key.path=value", in the order they were applied */
  size_t nsets;
  scenario scn;
  char *resolved; /* resolved YAML (every field) */
};

struct nqp_world {
  scenario scn;   /* the world's own copy (world and record borrow it) */
  char *resolved; /* the /scenario text */
  int threads;
  world *w;
  observer *obs;
  runrec *rec;
  int broken;
  double wall_s;       /* time spent stepping since creation or reset (s) */
  char start_time[64]; /* creation or reset, ISO 8601 UTC */
};

/* Record MESSAGE (printf format) as this thread's last error; returns
 * STATUS, so `return api_fail(NQP_BAD_INPUT, ...)` reads as one statement. */
int api_fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* api_fail(NQP_BAD_INPUT, "WHAT: NULL handle") unless P; 0 when P. */
int api_need(const void *p, const char *what);

/* Load SOURCE with SETS into S and RESOLVED (the nqp_scenario_load rules:
 * NULL the baseline, a bare embedded name with or without ".yaml").
 * NQP_OK, or an error status with the last error set. */
int api_load(const char *source, char *const *sets, size_t nsets, scenario *s, char **resolved);

#endif
