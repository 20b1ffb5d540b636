/* runprep: a run's scenario with its seed and steps overrides, and the
 * memory check before the world is allocated (drivers/runprep.h).
 *
 * Invariants: the overrides are passed to scn_load in the order caller's
 * sets, seed, steps (the last of repeated keys wins, as on the command
 * line); nothing here allocates the world or keeps state.
 */
#include "drivers/runprep.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "world/world.h"

int runprep_load(const char *source, const char *const *sets, size_t nsets, long seed, long steps,
                 scenario *out, char **resolved, char *err, size_t errlen) {
  size_t n = nsets;
  const char **all = calloc(n + 2, sizeof(char *));
  char seed_set[64], steps_set[64];
  if (!all) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  for (size_t i = 0; i < n; i++) all[i] = sets[i];
  if (seed >= 0) snprintf(seed_set, sizeof seed_set, "seed=%ld", seed), all[n++] = seed_set;
  if (steps > 0) snprintf(steps_set, sizeof steps_set, "steps=%ld", steps), all[n++] = steps_set;
  int rc = scn_load(source, all, n, out, resolved, err, errlen);
  free(all);
  return rc;
}

/* Memory this process may still use (bytes): the least of MemAvailable,
 * the cgroup v2 limit minus current use, and NQPSIM_MEMORY_LIMIT; 0 when
 * none is known. */
static double available_memory(const char **what) {
  double best = 0, v;
  char line[256], max[64];
  FILE *f = fopen("/proc/meminfo", "r");
  while (f && fgets(line, sizeof line, f))
    if (sscanf(line, "MemAvailable: %lf kB", &v) == 1) best = v * 1024, *what = "MemAvailable";
  if (f) fclose(f);
  double cur = 0;
  if ((f = fopen("/sys/fs/cgroup/memory.current", "r"))) {
    if (fscanf(f, "%lf", &cur) != 1) cur = 0;
    fclose(f);
  }
  if ((f = fopen("/sys/fs/cgroup/memory.max", "r"))) {
    if (fscanf(f, "%63s", max) == 1 && sscanf(max, "%lf", &v) == 1 && (!best || v - cur < best))
      best = v - cur, *what = "the cgroup memory limit";
    fclose(f);
  }
  const char *env = getenv("NQPSIM_MEMORY_LIMIT");
  if (env && sscanf(env, "%lf", &v) == 1 && v > 0 && (!best || v < best))
    best = v, *what = "NQPSIM_MEMORY_LIMIT";
  return best;
}

int runprep_check_memory(const scenario *s, char *err, size_t errlen) {
  size_t firms;
  const char *what = "?";
  double need = world_estimate_bytes(s, &firms), avail = available_memory(&what);
  if (avail <= 0 || need <= avail) return 0;
  snprintf(err, errlen,
           "scenario \"%s\" needs about %.3g GB for %zu firms (estimated before allocating), "
           "more than the %.3g GB available (%s): lower `scale` or the firm counts",
           s->name, need / 1e9, firms, avail / 1e9, what);
  return -1;
}
