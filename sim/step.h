/* step: one simulation step, the eight phases of MODEL.md s.3 in order.
 *
 * Included by: any file at or above sim/ (layers.txt).
 */
#ifndef NQP_STEP_H
#define NQP_STEP_H

#include <stddef.h>

#include "world/world.h"

/* Advance W by one step (w->step is the step being simulated; it is
 * incremented at the end). Returns 0, or -1 with ERR (out of memory). */
int step_run(world *w, char *err, size_t errlen);

/* Phase 1 alone: demand path and lever activity for w->step. */
void step_environment(world *w);

#endif
