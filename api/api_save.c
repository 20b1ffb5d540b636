/* api_save: nqp_world_save, the run file of a world's steps so far,
 * written by replaying its in-memory record through the run file writer of
 * `nqpsim run` (drivers/runout.c, drivers/runrec.c).
 *
 * Invariants: the datasets (series, /firms, /events, /scenario) are those
 * `nqpsim run` writes for the same scenario and steps, bit for bit; only
 * root attributes that describe the execution differ (command_line says
 * the file came from the library, threads, times); saves are serialised
 * by one process-wide mutex because libhdf5 is not thread-safe; the file
 * appears under PATH only when complete (PATH.partial otherwise, as for a
 * failed run); an existing PATH is replaced only with FORCE; a missing
 * or read-only directory is a bad path (NQP_BAD_INPUT).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "api/api_priv.h"
#include "drivers/runout.h"

static pthread_mutex_t save_lock = PTHREAD_MUTEX_INITIALIZER;

/* A path whose directory is missing or not writable is the caller's
 * mistake (NQP_BAD_INPUT), said as `nqpsim run` says it. */
static int check_dir(const char *path) {
  char dir[4096];
  const char *slash = strrchr(path, '/');
  if (!slash)
    snprintf(dir, sizeof dir, ".");
  else
    snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
  if (access(dir, W_OK | X_OK) == 0) return NQP_OK;
  return api_fail(NQP_BAD_INPUT, "cannot write the run file %s: directory %s: %s", path, dir,
                  strerror(errno));
}

/* Write W's record into PATH; the caller holds save_lock. */
static int save_locked(const nqp_world *w, const char *path, int force) {
  size_t ns;
  const series_def *series = obs_series(w->obs, &ns);
  int exists = 0;
  char err[4096];
  runout *ro = runout_open(path, force, &w->scn, series, ns, &exists, err, sizeof err);
  if (!ro) return api_fail(exists ? NQP_BAD_INPUT : NQP_FAILED, "%s", err);
  runout_prov prov = {.command_line = "libnqpsim: nqp_world_save",
                      .threads = w->threads,
                      .start_time = w->start_time,
                      .resolved = w->resolved};
  runout_provenance(ro, &prov);
  if (runrec_replay(w->rec, ro, err, sizeof err) != 0) {
    runout_abort(&ro);
    return api_fail(NQP_FAILED, "%s", err);
  }
  if (runout_finish(&ro, 1, w->w->step, w->wall_s, err, sizeof err) != 0)
    return api_fail(NQP_FAILED, "%s", err);
  return NQP_OK;
}

int nqp_world_save(const nqp_world *w, const char *path, int force) {
  if (api_need(w, "nqp_world_save")) return NQP_BAD_INPUT;
  if (!path || !path[0]) return api_fail(NQP_BAD_INPUT, "nqp_world_save: no output path");
  if (w->broken)
    return api_fail(NQP_FAILED, "the world's step %d failed: nothing consistent to save",
                    w->w->step);
  if (check_dir(path) != NQP_OK) return NQP_BAD_INPUT;
  pthread_mutex_lock(&save_lock);
  int rc = save_locked(w, path, force);
  pthread_mutex_unlock(&save_lock);
  return rc;
}
