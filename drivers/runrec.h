/* runrec: a run's observed steps kept in memory (every series at every
 * step, the firm-panel snapshots on the run file's schedule) and their
 * replay into a run file, so a run stepped in memory (the public API,
 * api/) writes through drivers/runout.c what `nqpsim run` streams.
 * Included by: drivers/ and the layers above it.
 *
 * Invariants: steps are recorded in order from 0; series i holds
 * (steps recorded) x (cells of its level) doubles, row-major, exactly the
 * values obs_compute gave; a panel snapshot is kept exactly at the steps
 * runout_panel_due names, with the columns in their declared types; the
 * series and panel descriptors are borrowed from the observer and must
 * outlive the record.
 */
#ifndef NQP_RUNREC_H
#define NQP_RUNREC_H

#include <stddef.h>

#include "drivers/runout.h"
#include "sim/observe.h"

typedef struct runrec runrec;

/* An empty record for the world W observed by O (both borrowed: the
 * scenario and the series list are read from them). NULL when out of
 * memory. */
runrec *runrec_create(const world *w, const observer *o);
void runrec_free(runrec **r);
/* Drop every recorded step. */
void runrec_clear(runrec *r);
/* Observe the step W just simulated (W->step - 1): compute the series with
 * O, keep them, and keep a panel snapshot when one is due. 0, or -1 with
 * ERR (out of memory, or a step out of order). */
int runrec_observe(runrec *r, observer *o, const world *w, char *err, size_t errlen);
/* Steps recorded, and series I's values ((steps) x *CELLS, row-major). */
size_t runrec_steps(const runrec *r);
const double *runrec_series(const runrec *r, size_t i, size_t *cells);
/* Write every recorded step into RF, as the streaming run would have. 0,
 * or -1 with ERR. */
int runrec_replay(const runrec *r, runout *rf, char *err, size_t errlen);

#endif
