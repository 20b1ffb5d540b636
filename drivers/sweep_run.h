/* sweep_run: executing a loaded sweep into its results file, resumably.
 *
 * A session owns the results file (OUT.partial while running, sweepout)
 * and the journal (OUT.journal, sweep_journal). Opening it:
 *   - OUT exists: a finished sweep. With a matching journal beside it (a
 *     kill between the final rename and the journal's removal) the session
 *     is already complete; otherwise it is an error unless `force`;
 *   - `force`: OUT is replaced, but only when the new sweep completes (an
 *     interrupted forced sweep leaves the old OUT intact); a journal of
 *     this sweep is continued like without force, another sweep's journal
 *     is moved to OUT.journal.old, removed at completion;
 *   - OUT.journal exists: it must be this sweep's (else an error naming
 *     --force); its runs are replayed into a fresh OUT.partial and marked
 *     done: they are neither lost nor computed again.
 * Runs are then executed by sweep_run_local (OpenMP threads) or the MPI
 * driver (drivers/sweep_mpi.c), which both call sweep_session_record for each
 * finished run (journal first, then the results file, then progress).
 * Closing a session whose runs are all done writes the summary and the
 * sensitivity indices, renames OUT.partial to OUT and removes the journal;
 * otherwise it leaves OUT.partial (status "incomplete") and the journal,
 * and running the same command again continues.
 *
 * A second session on the same OUT, in any process, is refused
 * (SWEEP_BAD_INPUT) before it touches OUT, OUT.partial or the journal: the
 * session holds OUT's lock (base/atomic_file.h) until it ends.
 *
 * Invariants: a run is recorded at most once (a done bit per run); the
 * results file depends only on the sweep and the set of finished runs,
 * never on their order, so interrupted, resumed, threaded and MPI sweeps
 * produce identical datasets; memory is O(design + runs / 8) bytes, results
 * stream to the journal and the file.
 *
 * Included by: any file at or above drivers/ (layers.txt).
 */
#ifndef NQP_SWEEP_RUN_H
#define NQP_SWEEP_RUN_H

#include <stddef.h>
#include <stdio.h>

#include "drivers/sweep.h"

/* Progress: DONE of TOTAL runs finished, FRESH of them in this process's
 * session (the rest were resumed), ELAPSED seconds since the session
 * opened. */
typedef void (*sweep_progress_fn)(void *ctx, size_t done, size_t total, size_t fresh,
                                  double elapsed);

typedef struct sweep_options {
  const char *output;       /* results file */
  int force;                /* replace OUT (and another sweep's journal) at completion */
  int threads;              /* OpenMP threads (local) or per run (MPI) */
  long max_runs;            /* stop after this many new runs (0: no limit) */
  volatile int *stop;       /* non-zero: start no new run (runs in flight finish) */
  const char *command_line; /* recorded in the results file */
  int ranks;                /* MPI ranks (recorded; 1 without MPI) */
  sweep_progress_fn progress;
  void *progress_ctx;
  FILE *report; /* summary table at the end (NULL: none) */
} sweep_options;

typedef struct sweep_session sweep_session;

/* Returns SWEEP_OK and *S, or SWEEP_BAD_INPUT / SWEEP_FAILED with ERR. *S
 * is NULL (and SWEEP_OK returned) when the sweep was already complete. */
int sweep_session_open(const sweep *sw, const sweep_options *opt, sweep_session **s, char *err,
                       size_t errlen);
/* The session's sweep and its threads option. */
const sweep *sweep_session_sweep(const sweep_session *s);
int sweep_session_threads(const sweep_session *s);
/* Is run R done? Runs done so far, and recorded in this session. */
int sweep_session_is_done(const sweep_session *s, size_t r);
size_t sweep_session_done(const sweep_session *s);
size_t sweep_session_fresh(const sweep_session *s);
/* Should no new run start (stop flag, max_runs reached or a failure)? */
int sweep_session_stopping(const sweep_session *s);
/* Claim the right to start one more run (counts against max_runs);
 * 0 when no run may start. Not thread-safe: call under the caller's lock. */
int sweep_session_claim(sweep_session *s);
/* Record a finished run (not thread-safe: callers serialise). */
int sweep_session_record(sweep_session *s, const sweep_result *r, char *err, size_t errlen);
/* Close: SWEEP_OK when the sweep is complete (results renamed, summary
 * printed to opt->report), SWEEP_FAILED when runs remain (interrupted) or
 * on an error; *COMPLETE says which. Frees *S. */
int sweep_session_close(sweep_session **s, int *complete, char *err, size_t errlen);

/* Run every pending run on opt->threads OpenMP threads (one thread per
 * run while runs outnumber threads). Returns SWEEP_OK or SWEEP_FAILED. */
int sweep_run_local(sweep_session *s, char *err, size_t errlen);

/* Summary statistics and sensitivity indices of a complete results file
 * (drivers/sweep_analysis.c), printed to REPORT when not NULL. */
struct sweepout;
int sweep_analyze(const sweep *sw, struct sweepout *o, FILE *report, char *err, size_t errlen);

#endif
