/* run: one simulation run from a plan (scenario, overrides, seed, steps,
 * threads, output), the library call behind `nqpsim run`.
 *
 * Invariant: a run either completes and its output file appears under its
 * final name, or fails with a status and message and leaves at most
 * NAME.partial (status attribute "failed"). A run stopped by stop_at or an
 * interrupt writes a checkpoint first; resuming it (plan.resume) gives a
 * run file whose datasets are identical to the uninterrupted run's, for
 * any thread counts. Every check of the output and checkpoint paths (busy,
 * existing, not a regular file, equal to an input, bad --stop-at) is done
 * before the world is built, and the run holds their locks
 * (base/atomic_file.h) until it ends. A completed run whose economy died
 * out or whose economy series turned NaN is still RUN_OK, with
 * extinct_step / nan_step set for the caller to report.
 *
 * Included by: any file at or above drivers/ (cli/, api/, tests).
 */
#ifndef NQP_RUN_H
#define NQP_RUN_H

#include <stddef.h>

enum { RUN_OK = 0, RUN_FAILED = 1, RUN_BAD_INPUT = 2 };

typedef void (*run_progress_fn)(void *ctx, int step, int steps, double elapsed_s);

struct world;
struct observer;
/* Called after each step's observation and output. Returning non-zero stops
 * the run (status RUN_FAILED, message "stopped by the caller"). The world and
 * observer are read-only views valid during the call (obs_value, obs_economy
 * read the step's series). */
typedef int (*run_step_fn)(void *ctx, const struct world *w, const struct observer *o, int step);

typedef struct run_plan {
  const char *scenario;    /* YAML path; NULL: embedded anhui.yaml */
  const char *const *sets; /* "key.path=value" overrides */
  size_t nsets;
  long seed;                /* >= 0 overrides the scenario's seed */
  long steps;               /* > 0 overrides the scenario's steps */
  int threads;              /* OpenMP threads (>= 1) */
  const char *output;       /* HDF5 path; NULL: no file */
  int force;                /* replace an existing output */
  int check;                /* run world_check() after every step */
  const char *command_line; /* recorded in the output */
  run_progress_fn progress; /* called after every step; may be NULL */
  void *progress_ctx;
  volatile int *interrupt; /* when set to non-zero, stop after the current step */
  run_step_fn on_step;     /* may be NULL */
  void *on_step_ctx;
  /* checkpoints and resume (output/checkpoint.h, docs/reliability.md) */
  const char *checkpoint; /* checkpoint path; NULL: the output's path with .h5 replaced by
                             .ckpt.h5, NAME.ckpt.h5 without output, the file resumed from */
  long checkpoint_every;  /* > 0: a checkpoint every that many steps; < 0 when resuming: the
                             checkpointed run's interval */
  long stop_at;           /* > 0: stop after that many steps with a checkpoint (RUN_OK, stopped) */
  const char *resume;     /* continue the run of this checkpoint: scenario, sets, seed and steps
                             are then unused; output NULL: the checkpointed run's file */
  int no_output;          /* resume: write no run file even if the checkpointed run had one */
} run_plan;

typedef struct run_result {
  int status;            /* RUN_OK, RUN_FAILED, RUN_BAD_INPUT */
  char message[4096];    /* error message when status != RUN_OK */
  int steps;             /* steps done (from step 0, including those before a resume) */
  double wall_s;         /* wall time (s) */
  double firm_steps;     /* sum over steps of live firms */
  double summary[8];     /* final economy values, see run_summary_names */
  int first_step;        /* first step simulated by this call (> 0 when resumed) */
  int stopped;           /* 1: stopped before the end, state saved in `checkpoint` */
  char checkpoint[1024]; /* the last checkpoint written or resumed from ("" when none) */
  /* A completed run can still be degenerate (the CLI exits 3, docs/reliability.md): */
  int extinct_step;    /* > 0: no live firm from step extinct_step - 1 on; 0: never */
  int nan_step;        /* > 0: economy series nan_series, finite before, NaN at step nan_step - 1 */
  char nan_series[64]; /* the first such series */
} run_result;

/* Names of the summary values (economy series), NULL-terminated. */
extern const char *const run_summary_names[];

int run_execute(const run_plan *plan, run_result *result);

#endif
