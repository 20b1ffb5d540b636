/* runout: the run file of one run (docs/output.md), written step by step
 * through an h5out writer: opened for a scenario and its series, the
 * provenance, each step's events, series and firm-panel snapshot, periodic
 * flushes, the closing attributes. Both the streaming run (drivers/run.c)
 * and the replay of an in-memory record (drivers/runrec.c, behind the
 * API's nqp_world_save) write through it, so their datasets come from the
 * same code.
 * Included by: drivers/ and the layers above it.
 *
 * Invariants: steps are written in order 0, 1, ...; within a step the
 * events come first, then the series, then the panel snapshot when
 * runout_panel_due; the panel is due at step % panel_interval == 0 and at
 * the scenario's last step (never with panel_interval 0); the file appears
 * under its final name only through runout_finish(.., ok = 1).
 */
#ifndef NQP_RUNOUT_H
#define NQP_RUNOUT_H

#include <stddef.h>
#include <stdint.h>

#include "config/scenario.h"
#include "output/h5out.h"
#include "sim/series.h"

typedef struct runout runout;

/* Root attributes that describe how the run was made. */
typedef struct runout_prov {
  const char *command_line;        /* "" when none */
  const char *resumed_from;        /* checkpoint path; NULL: not resumed */
  long resumed_at_step;            /* with resumed_from */
  const char *resume_command_line; /* with resumed_from */
  int threads;
  const char *start_time; /* ISO 8601 UTC */
  const char *resolved;   /* the resolved scenario: the /scenario dataset */
} runout_prov;

/* One panel snapshot: N_SLOTS values per column (obs_panel's layout). */
typedef struct runout_snap {
  size_t n_slots;
  const void *const *columns;
  const uint8_t *alive;
} runout_snap;

/* Create PATH (as PATH.partial) for scenario S (borrowed until finish)
 * with SERIES (borrowed). NULL with ERR on failure; *EXISTS (may be NULL)
 * is 1 when PATH exists and FORCE is 0 (a usage error). */
runout *runout_open(const char *path, int force, const scenario *s, const series_def *series,
                    size_t n_series, int *exists, char *err, size_t errlen);
/* The writer itself (checkpoint copies and replays, flushes). */
h5out *runout_writer(runout *rf);
/* Provenance attributes and the /scenario dataset. */
void runout_provenance(runout *rf, const runout_prov *p);
/* 1 when scenario S takes a panel snapshot after STEP. */
int runout_panel_due(const scenario *s, int step);
/* Step STEP: events, series VALUES (obs_compute's layout), SNAP when
 * runout_panel_due (required then, ignored otherwise), a flush every
 * flush_interval steps. 0, or -1 with ERR. */
int runout_step(runout *rf, int step, const double *const *values, const runout_snap *snap,
                char *err, size_t errlen);
/* Closing attributes (end time, WALL_S, STEPS_DONE), then close: OK 1
 * marks the file complete and renames it, OK 0 leaves PATH.partial marked
 * failed. Frees *RF and sets it to NULL; 0, or -1 with ERR. */
int runout_finish(runout **rf, int ok, int steps_done, double wall_s, char *err, size_t errlen);
/* Close a failed file without closing attributes (RF NULL is fine). */
void runout_abort(runout **rf);

#endif
