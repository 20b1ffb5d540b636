/* sweep_session: the resumable state of a sweep being executed: which runs
 * are done (one bit each), the journal, the results file, progress and
 * provenance (contract in drivers/sweep_run.h).
 *
 * Invariants: every finished run goes to the journal before the results
 * file (a kill between the two loses nothing: the results file is rebuilt
 * from the journal on resume); the done bit is set only after both writes;
 * journal and results file are synced at most every SYNC_S seconds and at
 * the close; after any write failure the session starts no new run; the
 * session holds the lock of OUT (base/atomic_file.h) from before it looks
 * at OUT, OUT.partial or OUT.journal until it ends, so a second sweep to
 * the same OUT is refused before it touches any of them; with --force the
 * old OUT (and another sweep's journal, moved to OUT.journal.old) are
 * discarded only when the new sweep completes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <H5public.h>

#include "drivers/sweepout.h"
#include "base/atomic_file.h"
#include "base/buildinfo.h"
#include "output/provenance.h"
#include "drivers/sweep_journal.h"
#include "drivers/sweep_run.h"
#include "base/clock.h"

#define SYNC_S 2.0

struct sweep_session {
  const sweep *sw;
  sweep_options opt;
  char *journal_path;
  char *old_journal; /* OUT.journal.old: another sweep's journal kept until we complete */
  af_lock *lock;     /* OUT.lock, held for the whole session */
  sweep_journal *j;
  sweepout *out;
  uint8_t *done; /* bitmap of finished runs */
  size_t n_done, fresh, claimed, n_ok;
  int failed;
  double t0, last_sync;
};

static char *concat(const char *a, const char *b) {
  size_t n = strlen(a) + strlen(b) + 1;
  char *s = malloc(n);
  if (s) snprintf(s, n, "%s%s", a, b);
  return s;
}

static int path_exists(const char *p) {
  struct stat st;
  return stat(p, &st) == 0;
}

static int remove_file(const char *p, char *err, size_t errlen) {
  if (unlink(p) == 0 || errno == ENOENT) return 0;
  snprintf(err, errlen, "cannot remove %s: %s", p, strerror(errno));
  return -1;
}

int sweep_session_is_done(const sweep_session *s, size_t r) {
  return (s->done[r / 8] >> (r % 8)) & 1;
}

static void mark_done(sweep_session *s, const sweep_result *r) {
  s->done[r->run / 8] |= (uint8_t)(1u << (r->run % 8));
  s->n_done++;
  s->n_ok += r->status == SWEEP_RUN_OK;
}

/* Journal replay: each intact record goes to the fresh results file. */
static int replay(void *ctx, const sweep_result *r) {
  sweep_session *s = ctx;
  if (sweep_session_is_done(s, r->run)) return 0;
  if (sweepout_record(s->out, r) != 0) return -1;
  mark_done(s, r);
  return 0;
}

static void provenance(sweep_session *s) {
  const sweep *sw = s->sw;
  char buf[64];
  for (const nqp_attr *a = nqp_provenance(); a->key; a++)
    sweepout_attr_str(s->out, a->key, a->value);
  sweepout_attr_str(s->out, "command_line", s->opt.command_line ? s->opt.command_line : "");
  sweepout_attr_str(s->out, "sweep_name", sw->s.name);
  sweepout_attr_str(s->out, "sweep_file", sw->source);
  sweepout_attr_str(s->out, "design", sweep_method_names[sw->s.design.method]);
  sweepout_attr_i64(s->out, "seed", sw->s.seed);
  sweepout_attr_i64(s->out, "common_random_numbers", sw->s.common_random_numbers);
  sweepout_attr_i64(s->out, "points", (int64_t)sw->n_points);
  sweepout_attr_i64(s->out, "replicates", (int64_t)sw->n_reps);
  sweepout_attr_i64(s->out, "runs", (int64_t)sw->n_runs);
  sweepout_attr_i64(s->out, "threads", s->opt.threads);
  sweepout_attr_i64(s->out, "mpi_ranks", s->opt.ranks > 0 ? s->opt.ranks : 1);
  clock_utc_iso(buf, sizeof buf);
  sweepout_attr_str(s->out, "start_time", buf);
}

static void session_free(sweep_session *s) {
  char err[256];
  if (!s) return;
  sweep_journal_close(&s->j);
  if (s->out) sweepout_finish(&s->out, 0, err, sizeof err);
  free(s->journal_path);
  free(s->old_journal);
  free(s->done);
  atomic_file_unlock(&s->lock); /* last: after the results file let go of its share */
  free(s);
}

/* OUT exists: complete already (matching journal), or an error. */
static int existing_output(sweep_session *s, char *err, size_t errlen) {
  if (sweep_journal_matches(s->journal_path, s->sw) == 1)
    return remove_file(s->journal_path, err, errlen) ? SWEEP_FAILED : SWEEP_OK;
  snprintf(err, errlen, "%s exists (use --force to replace it)", s->opt.output);
  return SWEEP_BAD_INPUT;
}

static int session_start(sweep_session *s, char *err, size_t errlen) {
  int status = SWEEP_FAILED;
  af_stage st;
  char msg[1024];
  /* first of all: refuse a busy, empty or non-regular OUT (touching nothing) */
  if (!(s->lock = atomic_file_lock(s->opt.output, AF_FORCE, &st, msg, sizeof msg))) {
    snprintf(err, errlen, "%s", msg);
    return AF_BAD_INPUT(st) ? SWEEP_BAD_INPUT : SWEEP_FAILED;
  }
  if (s->opt.force) {
    /* OUT stays until the new one replaces it; this sweep's journal is
     * continued (a job that always passes --force still finishes); another
     * sweep's journal is moved aside and removed only at completion */
    if (sweep_journal_matches(s->journal_path, s->sw) == -1) {
      if (rename(s->journal_path, s->old_journal) != 0)
        return snprintf(err, errlen, "cannot move %s aside: %s", s->journal_path, strerror(errno)),
               SWEEP_FAILED;
    }
  } else if (path_exists(s->opt.output)) {
    status = existing_output(s, err, errlen);
    return status == SWEEP_OK ? -1 : status; /* -1: complete already */
  }
  if (!(s->out = sweepout_create(s->sw, s->opt.output, err, errlen))) return SWEEP_FAILED;
  s->j = sweep_journal_open(s->journal_path, s->sw, replay, s, &status, err, errlen);
  if (!s->j) return status;
  provenance(s);
  return SWEEP_OK;
}

int sweep_session_open(const sweep *sw, const sweep_options *opt, sweep_session **out, char *err,
                       size_t errlen) {
  sweep_session *s = calloc(1, sizeof *s);
  *out = NULL;
  if (!s) return snprintf(err, errlen, "out of memory"), SWEEP_FAILED;
  s->sw = sw;
  s->opt = *opt;
  s->t0 = s->last_sync = clock_monotonic_s();
  s->journal_path = concat(opt->output, ".journal");
  s->old_journal = concat(opt->output, ".journal.old");
  s->done = calloc(sw->n_runs / 8 + 1, 1);
  if (!s->journal_path || !s->old_journal || !s->done) {
    session_free(s);
    return snprintf(err, errlen, "out of memory"), SWEEP_FAILED;
  }
  int rc = session_start(s, err, errlen);
  if (rc != SWEEP_OK) {
    session_free(s);
    return rc == -1 ? SWEEP_OK : rc;
  }
  *out = s;
  return SWEEP_OK;
}

const sweep *sweep_session_sweep(const sweep_session *s) {
  return s->sw;
}

int sweep_session_threads(const sweep_session *s) {
  return s->opt.threads > 0 ? s->opt.threads : 1;
}

size_t sweep_session_done(const sweep_session *s) {
  return s->n_done;
}

size_t sweep_session_fresh(const sweep_session *s) {
  return s->fresh;
}

int sweep_session_stopping(const sweep_session *s) {
  if (s->failed || (s->opt.stop && *s->opt.stop)) return 1;
  return s->opt.max_runs > 0 && s->claimed >= (size_t)s->opt.max_runs;
}

int sweep_session_claim(sweep_session *s) {
  if (sweep_session_stopping(s)) return 0;
  s->claimed++;
  return 1;
}

static int session_sync(sweep_session *s, char *err, size_t errlen) {
  s->last_sync = clock_monotonic_s();
  if (sweep_journal_sync(s->j) != 0 || sweepout_flush(s->out) != 0) {
    snprintf(err, errlen, "syncing %s: %s", s->opt.output, sweepout_error());
    return -1;
  }
  return 0;
}

int sweep_session_record(sweep_session *s, const sweep_result *r, char *err, size_t errlen) {
  if (r->run >= s->sw->n_runs || sweep_session_is_done(s, r->run)) return 0;
  if (sweep_journal_append(s->j, r, err, errlen) != 0) {
    s->failed = 1;
    return -1;
  }
  if (sweepout_record(s->out, r) != 0) {
    snprintf(err, errlen, "%s: %s", s->opt.output, sweepout_error());
    s->failed = 1;
    return -1;
  }
  mark_done(s, r);
  s->fresh++;
  if (s->opt.progress)
    s->opt.progress(s->opt.progress_ctx, s->n_done, s->sw->n_runs, s->fresh,
                    clock_monotonic_s() - s->t0);
  if (clock_monotonic_s() - s->last_sync > SYNC_S && session_sync(s, err, errlen) != 0) {
    s->failed = 1;
    return -1;
  }
  return 0;
}

static int session_complete(sweep_session *s, char *err, size_t errlen) {
  char buf[64];
  if (sweep_analyze(s->sw, s->out, s->opt.report, err, errlen) != 0) return -1;
  if (s->opt.report && s->n_ok < s->n_done)
    fprintf(s->opt.report, "\n%zu of %zu runs failed: see runs/status and runs/message\n",
            s->n_done - s->n_ok, s->n_done);
  clock_utc_iso(buf, sizeof buf);
  sweepout_attr_str(s->out, "end_time", buf);
  sweepout_attr_f64(s->out, "wall_time_s", clock_monotonic_s() - s->t0);
  sweepout_attr_i64(s->out, "runs_ok", (int64_t)s->n_ok);
  sweepout_attr_i64(s->out, "runs_failed", (int64_t)(s->n_done - s->n_ok));
  sweep_journal_sync(s->j);
  if (sweepout_finish(&s->out, 1, err, errlen) != 0) return -1;
  sweep_journal_close(&s->j);
  if (remove_file(s->journal_path, err, errlen) != 0) return -1;
  return s->opt.force ? remove_file(s->old_journal, err, errlen) : 0;
}

int sweep_session_close(sweep_session **sp, int *complete, char *err, size_t errlen) {
  sweep_session *s = *sp;
  int rc = SWEEP_OK;
  *sp = NULL;
  *complete = 0;
  if (!s) return SWEEP_OK;
  if (!s->failed && s->n_done == s->sw->n_runs) {
    if (session_complete(s, err, errlen) != 0) rc = SWEEP_FAILED;
    *complete = rc == SWEEP_OK;
  } else if (!s->failed) {
    session_sync(s, err, errlen);
    snprintf(err, errlen,
             "stopped with %zu of %zu runs done (%zu in this session); run the same command "
             "again to continue",
             s->n_done, s->sw->n_runs, s->fresh);
    rc = SWEEP_FAILED;
  } else {
    rc = SWEEP_FAILED;
  }
  session_free(s);
  return rc;
}
