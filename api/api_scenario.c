/* api_scenario: scenario handles of the public API (nqp_scenario_*):
 * loading a YAML file or an embedded scenario, --set overrides, the
 * resolved text, name, seed and steps.
 *
 * Invariants: a handle always holds a valid scenario: an override is
 * applied by loading the source again with every override so far plus the
 * new one (drivers/runprep.c, as `nqpsim run --set` does), and the handle
 * changes only when that load succeeds; error messages are the loader's,
 * the ones `nqpsim` prints (FILE:LINE:COLUMN: KEY.PATH: ..., or
 * "--set KEY=VALUE: ...").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api_priv.h"
#include "config/embedded.h"
#include "drivers/runprep.h"

/* "anhui" names the embedded "anhui.yaml" when no file of that name exists. */
static char *embedded_alias(const char *source) {
  size_t n = strlen(source);
  if (strchr(source, '/') || access(source, F_OK) == 0 || nqp_embedded_find(source)) return NULL;
  char *name = malloc(n + sizeof ".yaml");
  if (!name) return NULL;
  snprintf(name, n + sizeof ".yaml", "%s.yaml", source);
  if (nqp_embedded_find(name)) return name;
  free(name);
  return NULL;
}

int api_load(const char *source, char *const *sets, size_t nsets, scenario *s, char **resolved) {
  char err[4096];
  char *alias = source ? embedded_alias(source) : NULL;
  int rc = runprep_load(alias ? alias : source, (const char *const *)sets, nsets, -1, 0, s,
                        resolved, err, sizeof err);
  free(alias);
  if (rc == 0) return NQP_OK;
  return api_fail(strcmp(err, "out of memory") ? NQP_BAD_INPUT : NQP_FAILED, "%s", err);
}

nqp_scenario *nqp_scenario_load(const char *source) {
  nqp_scenario *s = calloc(1, sizeof *s);
  if (!s || (source && !(s->source = strdup(source)))) {
    free(s);
    api_fail(NQP_FAILED, "out of memory");
    return NULL;
  }
  if (api_load(s->source, NULL, 0, &s->scn, &s->resolved) != NQP_OK) {
    free(s->source);
    free(s);
    return NULL;
  }
  return s;
}

/* "PATH=VALUE" (heap), or NULL with the error set. */
static char *set_string(const char *path, const char *value) {
  if (!path || !value) {
    api_fail(NQP_BAD_INPUT, "nqp_scenario_set: NULL %s", path ? "value" : "path");
    return NULL;
  }
  if (!path[0] || strchr(path, '=')) {
    api_fail(NQP_BAD_INPUT, "--set %s=%s: expected a key path without '='", path, value);
    return NULL;
  }
  size_t len = strlen(path) + strlen(value) + 2;
  char *kv = malloc(len);
  if (kv) snprintf(kv, len, "%s=%s", path, value);
  if (!kv) api_fail(NQP_FAILED, "out of memory");
  return kv;
}

int nqp_scenario_set(nqp_scenario *s, const char *path, const char *value) {
  if (api_need(s, "nqp_scenario_set")) return NQP_BAD_INPUT;
  char *kv = set_string(path, value);
  char **sets = kv ? realloc(s->sets, (s->nsets + 1) * sizeof(char *)) : NULL;
  if (!sets) {
    free(kv);
    return kv ? api_fail(NQP_FAILED, "out of memory") : NQP_BAD_INPUT;
  }
  s->sets = sets;
  sets[s->nsets] = kv;
  scenario fresh;
  char *resolved = NULL;
  int rc = api_load(s->source, sets, s->nsets + 1, &fresh, &resolved);
  if (rc != NQP_OK) {
    free(kv);
    return rc;
  }
  scn_free(&s->scn);
  free(s->resolved);
  s->scn = fresh, s->resolved = resolved, s->nsets++;
  return NQP_OK;
}

char *nqp_scenario_resolved(const nqp_scenario *s) {
  if (api_need(s, "nqp_scenario_resolved")) return NULL;
  char *text = strdup(s->resolved);
  if (!text) api_fail(NQP_FAILED, "out of memory");
  return text;
}

const char *nqp_scenario_name(const nqp_scenario *s) {
  return api_need(s, "nqp_scenario_name") ? NULL : s->scn.name;
}

int64_t nqp_scenario_seed(const nqp_scenario *s) {
  return api_need(s, "nqp_scenario_seed") ? -1 : s->scn.seed;
}

int nqp_scenario_steps(const nqp_scenario *s) {
  return api_need(s, "nqp_scenario_steps") ? -1 : s->scn.steps;
}

void nqp_scenario_free(nqp_scenario *s) {
  if (!s) return;
  scn_free(&s->scn);
  free(s->resolved);
  for (size_t i = 0; i < s->nsets; i++) free(s->sets[i]);
  free(s->sets);
  free(s->source);
  free(s);
}
