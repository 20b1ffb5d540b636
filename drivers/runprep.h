/* runprep: what every way of starting a run does before the world exists:
 * the scenario loaded with the run's seed and steps overrides, and the
 * memory check that refuses a world too large for this machine. Shared by
 * the run driver (drivers/run.c) and the public API (api/).
 * Included by: drivers/ and the layers above it.
 *
 * Invariants: a seed >= 0 and steps > 0 are applied as the overrides
 * "seed=N" and "steps=N" after the caller's overrides, so the resolved
 * scenario records them and re-creates the run; loading fully succeeds or
 * leaves nothing allocated; the memory check allocates nothing.
 */
#ifndef NQP_RUNPREP_H
#define NQP_RUNPREP_H

#include <stddef.h>

#include "config/scenario.h"

/* Load SOURCE (NULL: the embedded anhui.yaml; a bare embedded name) with
 * NSETS "key.path=value" overrides, then SEED (>= 0) and STEPS (> 0) when
 * given. Returns 0, or -1 with the message in ERR (a bad-input error; "out
 * of memory" is reported as such). RESOLVED (may be NULL) receives the
 * resolved YAML (heap). */
int runprep_load(const char *source, const char *const *sets, size_t nsets, long seed, long steps,
                 scenario *out, char **resolved, char *err, size_t errlen);

/* 0 when the world of S fits in the memory this process may still use
 * (MemAvailable, the cgroup v2 limit, NQPSIM_MEMORY_LIMIT), else -1 with
 * a message naming the estimate and the limit. */
int runprep_check_memory(const scenario *s, char *err, size_t errlen);

#endif
