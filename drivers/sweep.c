/* sweep: loading a sweep file into the immutable description of drivers/sweep.h
 * (bind and check through cfg_load with sweep_schema, then derive: the
 * frozen base scenario, integer parameters, metric cells, the design, the
 * identity hash), and the per-run pure functions (seeds, overrides).
 *
 * Invariants: sweep_load either returns a complete description or frees
 * everything it built; the base scenario every run loads is the resolved
 * text frozen here (an unlinked temporary file), so editing the scenario
 * file during a sweep, or before resuming one, changes nothing.
 */
#include "drivers/sweep.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/h5out.h"
#include "base/buildinfo.h"
#include "config/config.h"
#include "config/embedded.h"
#include "base/rng.h"
#include "drivers/sweep_priv.h"

static char *dir_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return strdup(".");
  if (slash == path) return strdup("/");
  return strndup(path, (size_t)(slash - path));
}

/* FNV-1a over TEXT (with its NUL), continuing from H. */
static uint64_t fnv1a(uint64_t h, const char *text) {
  const unsigned char *p = (const unsigned char *)(text ? text : "");
  do {
    h ^= *p;
    h *= 0x100000001b3ull;
  } while (*p++);
  return h;
}

static void sweep_hash(sweep *sw) {
  uint64_t h = 0xcbf29ce484222325ull;
  h = fnv1a(h, "nqpsim-sweep-1");
  h = fnv1a(h, sw->resolved);
  h = fnv1a(h, sw->base_yaml);
  h = fnv1a(h, nqp_build_version);
  sw->hash = fnv1a(h, nqp_build_commit);
}

/* Write the base scenario to an unlinked temporary file read through
 * /proc/self/fd (kept linked, and removed by sweep_free, without /proc). */
static int freeze_base(sweep *sw, char *err, size_t errlen) {
  const char *tmp = getenv("TMPDIR");
  char path[4096];
  snprintf(path, sizeof path, "%s/nqpsim-sweep-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
  int fd = mkstemp(path);
  size_t len = strlen(sw->base_yaml), off = 0;
  if (fd < 0) {
    snprintf(err, errlen, "cannot create a temporary file in %s: %s", tmp ? tmp : "/tmp",
             strerror(errno));
    return -1;
  }
  while (off < len) {
    ssize_t k = write(fd, sw->base_yaml + off, len - off);
    if (k <= 0) {
      snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
      close(fd), unlink(path);
      return -1;
    }
    off += (size_t)k;
  }
  sw->base_fd = fd;
  snprintf(sw->base_path, sizeof sw->base_path, "/proc/self/fd/%d", fd);
  if (access(sw->base_path, R_OK) == 0)
    unlink(path);
  else
    snprintf(sw->base_path, sizeof sw->base_path, "%.63s", path);
  return 0;
}

static void derive_params(sweep *sw) {
  for (int i = 0; i < sw->s.n_params; i++) {
    sweep_param *p = &sw->s.params[i];
    int mapkey;
    const sch_field *f = sweep_scn_field(p->path, &mapkey);
    p->integer = f && f->type == SCH_INT && !mapkey;
    if (!p->name || !p->name[0]) {
      free(p->name);
      p->name = strdup(p->path);
    }
  }
}

static int index_of(const char *id, const char *const *ids, int n) {
  for (int i = 0; id && i < n; i++)
    if (!strcmp(ids[i], id)) return i;
  return 0;
}

static void derive_metrics(sweep *sw, const scenario *s) {
  const char *ind[64], *reg[64];
  int ni = s->n_industries < 64 ? s->n_industries : 64, nr = s->n_regions < 64 ? s->n_regions : 64;
  for (int i = 0; i < ni; i++) ind[i] = s->industries[i].id;
  for (int r = 0; r < nr; r++) reg[r] = s->regions[r].id;
  for (int k = 0; k < sw->s.n_metrics; k++) {
    sweep_metric *m = &sw->s.metrics[k];
    size_t i = (size_t)index_of(m->industry, ind, ni), r = (size_t)index_of(m->region, reg, nr);
    m->cell = m->group == SERIES_INDUSTRY  ? i
              : m->group == SERIES_REGION  ? r
              : m->group == SERIES_ECONOMY ? 0
                                           : i * (size_t)s->n_regions + r;
  }
}

/* Everything computed from the bound sweep file. */
static int sweep_derive(sweep *sw, const char *dir, char *err, size_t errlen) {
  scenario base;
  if (sweep_base_load(dir, &sw->s, NULL, 0, &base, &sw->base_yaml, err, errlen) != 0) return -1;
  sw->base_steps = base.steps;
  derive_params(sw);
  derive_metrics(sw, &base);
  scn_free(&base);
  sw->n_metrics = (size_t)sw->s.n_metrics;
  sw->n_reps = (size_t)sw->s.replicates;
  if (sweep_design_build(sw, err, errlen) != 0) return -1;
  sw->n_runs = sw->n_points * sw->n_reps;
  sweep_hash(sw);
  return freeze_base(sw, err, errlen);
}

/* The embedded sweep PATH names (a plain name, "levers_sobol" or
 * "levers_sobol.yaml", with no such file), or NULL. */
static const nqp_embedded_file *embedded_sweep(const char *path) {
  if (strchr(path, '/') || access(path, F_OK) == 0) return NULL;
  return nqp_embedded_lookup(nqp_embedded_sweeps, path);
}

/* Bind the sweep file PATH, or the embedded sweep E (whose base scenario
 * is then looked for among the embedded scenarios only: its directory is
 * EMBEDDED_SWEEP_DIR, which names no directory). */
#define EMBEDDED_SWEEP_DIR "<embedded>"
static int bind_sweep(const char *path, const nqp_embedded_file *e, sweep *sw, char *err,
                      size_t errlen) {
  if (e)
    return cfg_load_string(&sweep_schema, e->name, e->text, NULL, 0, &sw->s, &sw->resolved, err,
                           errlen);
  int rc = cfg_load(&sweep_schema, path, NULL, NULL, 0, &sw->s, &sw->resolved, err, errlen);
  if (rc != 0 && !strchr(path, '/') && access(path, F_OK) != 0) {
    size_t used = strlen(err);
    char hint[256];
    nqp_embedded_hint(nqp_embedded_sweeps, path, hint, sizeof hint);
    snprintf(err + used, errlen - used, ", and no embedded sweep of that name%s", hint);
  }
  return rc;
}

int sweep_load(const char *path, sweep *sw, char *err, size_t errlen) {
  memset(sw, 0, sizeof *sw);
  sw->base_fd = -1;
  const nqp_embedded_file *e = embedded_sweep(path);
  char *dir = e ? strdup(EMBEDDED_SWEEP_DIR) : dir_of(path);
  if (!dir || !(sw->source = strdup(e ? e->name : path))) {
    free(dir);
    snprintf(err, errlen, "out of memory");
    return SWEEP_FAILED;
  }
  sweep_check_begin(dir);
  int rc = bind_sweep(path, e, sw, err, errlen);
  sweep_check_end();
  if (rc != 0) {
    free(dir);
    sweep_free(sw);
    return SWEEP_BAD_INPUT;
  }
  rc = sweep_derive(sw, dir, err, errlen);
  free(dir);
  if (rc != 0) {
    sweep_free(sw);
    return SWEEP_FAILED;
  }
  return SWEEP_OK;
}

void sweep_free(sweep *sw) {
  if (!sw) return;
  if (sw->base_fd >= 0) {
    close(sw->base_fd);
    if (strncmp(sw->base_path, "/proc/", 6) != 0) unlink(sw->base_path);
  }
  cfg_free(&sweep_schema, &sw->s);
  free(sw->source);
  free(sw->resolved);
  free(sw->base_yaml);
  free(sw->unit);
  free(sw->values);
  memset(sw, 0, sizeof *sw);
  sw->base_fd = -1;
}

long sweep_seed(const sweep *sw, size_t point, size_t rep) {
  uint64_t h = rng_mix64((uint64_t)sw->s.seed ^ 0x5357454550ull); /* "SWEEP" */
  h = rng_mix64(h ^ rng_mix64((uint64_t)rep + 1));
  if (!sw->s.common_random_numbers) h = rng_mix64(h ^ rng_mix64(((uint64_t)point + 1) << 32));
  return (long)(h >> 33); /* the scenario's seed range: [0, 2^31) */
}

void sweep_point_sets(const sweep *sw, size_t point, const char **sets, char *buf) {
  for (size_t k = 0; k < sw->n_params; k++) {
    const sweep_param *p = &sw->s.params[k];
    char *b = buf + k * SWEEP_SET_LEN;
    sweep_format_set(p->path, sw->values[point * sw->n_params + k], p->integer, b, SWEEP_SET_LEN);
    sets[k] = b;
  }
}
