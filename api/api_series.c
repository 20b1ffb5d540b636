/* api_series: the series of a world (nqp_series_*): their descriptors, as
 * the run file declares them, and their values for every step done, from
 * the world's in-memory record.
 *
 * Invariants: series index I is the I-th dataset the run file declares
 * (obs_series), so names, units and docs match the file's; a name may
 * exist at several levels and is looked up with its level; values are
 * borrowed from the record (valid until the next step, reset or free).
 */
#include <string.h>

#include "api/api_priv.h"

static const series_def *series_table(const nqp_world *w, size_t *n) {
  return obs_series(w->obs, n);
}

/* Series I of W, or NULL with the error set. */
static const series_def *series_at(const nqp_world *w, size_t i, const char *fn) {
  if (api_need(w, fn)) return NULL;
  size_t n;
  const series_def *d = series_table(w, &n);
  if (i < n) return &d[i];
  api_fail(NQP_BAD_INPUT, "%s: series %zu out of range (%zu series)", fn, i, n);
  return NULL;
}

size_t nqp_series_count(const nqp_world *w) {
  size_t n = 0;
  if (!api_need(w, "nqp_series_count")) series_table(w, &n);
  return n;
}

const char *nqp_series_name(const nqp_world *w, size_t i) {
  const series_def *d = series_at(w, i, "nqp_series_name");
  return d ? d->name : NULL;
}

const char *nqp_series_units(const nqp_world *w, size_t i) {
  const series_def *d = series_at(w, i, "nqp_series_units");
  return d ? d->units : NULL;
}

const char *nqp_series_doc(const nqp_world *w, size_t i) {
  const series_def *d = series_at(w, i, "nqp_series_doc");
  return d ? d->doc : NULL;
}

nqp_level nqp_series_level(const nqp_world *w, size_t i) {
  const series_def *d = series_at(w, i, "nqp_series_level");
  return d ? (nqp_level)d->group : (nqp_level)-1;
}

/* Index of series NAME at LEVEL, or -1 with the error set. */
static long find_series(const nqp_world *w, const char *name, nqp_level level) {
  size_t n;
  const series_def *d = series_table(w, &n);
  int elsewhere = 0;
  for (size_t i = 0; i < n; i++) {
    if (strcmp(d[i].name, name)) continue;
    if ((int)d[i].group == (int)level) return (long)i;
    elsewhere = 1;
  }
  api_fail(NQP_BAD_INPUT, "no series \"%s\" at level %s%s", name, nqp_level_name(level),
           elsewhere ? " (it exists at other levels)" : " (nqp_series_name lists the series)");
  return -1;
}

const double *nqp_series_data(const nqp_world *w, const char *name, nqp_level level, size_t *steps,
                              size_t *cells) {
  if (api_need(w, "nqp_series_data")) return NULL;
  if (!name) {
    api_fail(NQP_BAD_INPUT, "nqp_series_data: NULL series name");
    return NULL;
  }
  if (!nqp_level_name(level)) return NULL;
  long i = find_series(w, name, level);
  if (i < 0) return NULL;
  size_t c;
  const double *v = runrec_series(w->rec, (size_t)i, &c);
  if (steps) *steps = runrec_steps(w->rec);
  if (cells) *cells = c;
  return v;
}
