/* runrec: the in-memory record of a run's observations (drivers/runrec.h).
 *
 * Storage: one growing buffer per series (steps x cells doubles, capacity
 * doubled when full, so recording a step is amortised O(cells)); one
 * snapshot per scheduled panel row, holding the slot count, a copy of each
 * column in its declared type and of the alive flags.
 *
 * Invariants: a failed append leaves the record as it was before the call
 * (buffers are grown before anything is copied); every pointer handed out
 * is owned by the record and stays valid until the next runrec_observe,
 * runrec_clear or runrec_free.
 */
#include "drivers/runrec.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rr_snap {
  int step;
  size_t n_slots;
  void **columns; /* n_panel columns of n_slots values */
  uint8_t *alive;
} rr_snap;

struct runrec {
  const scenario *scn;
  const series_def *series;
  size_t n_series;
  size_t *cells; /* per series: values per step */
  double **data; /* per series: steps x cells */
  size_t steps;  /* steps recorded */
  size_t cap;    /* steps the buffers hold */
  const panel_var *pv;
  size_t n_pv;
  rr_snap *snaps;
  size_t n_snaps, cap_snaps;
  const double **row; /* scratch: per-series pointers of one step (replay) */
};

static size_t level_cells(const world *w, series_level g) {
  size_t ni = (size_t)w->ni, nr = (size_t)w->nr;
  return g == SERIES_ECONOMY ? 1 : g == SERIES_INDUSTRY ? ni : g == SERIES_REGION ? nr : ni * nr;
}

static size_t panel_size(panel_type t) {
  return t == PANEL_F64 ? sizeof(double) : t == PANEL_U8 ? 1 : 4;
}

runrec *runrec_create(const world *w, const observer *o) {
  runrec *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  r->scn = w->scn;
  r->series = obs_series(o, &r->n_series);
  r->pv = obs_panel_vars(&r->n_pv);
  r->cells = calloc(r->n_series, sizeof(size_t));
  r->data = calloc(r->n_series, sizeof(double *));
  r->row = calloc(r->n_series, sizeof(double *));
  if (!r->cells || !r->data || !r->row) {
    runrec_free(&r);
    return NULL;
  }
  for (size_t i = 0; i < r->n_series; i++) r->cells[i] = level_cells(w, r->series[i].group);
  return r;
}

static void free_snap(rr_snap *s, size_t n_pv) {
  for (size_t j = 0; s->columns && j < n_pv; j++) free(s->columns[j]);
  free(s->columns);
  free(s->alive);
  memset(s, 0, sizeof *s);
}

void runrec_clear(runrec *r) {
  for (size_t k = 0; k < r->n_snaps; k++) free_snap(&r->snaps[k], r->n_pv);
  r->n_snaps = 0;
  r->steps = 0;
}

void runrec_free(runrec **pr) {
  runrec *r = *pr;
  if (!r) return;
  runrec_clear(r);
  for (size_t i = 0; r->data && i < r->n_series; i++) free(r->data[i]);
  free(r->data);
  free(r->cells);
  free(r->row);
  free(r->snaps);
  free(r);
  *pr = NULL;
}

/* Room for one more step in every series buffer. */
static int grow_series(runrec *r) {
  if (r->steps < r->cap) return 0;
  size_t cap = r->cap ? 2 * r->cap : 16;
  for (size_t i = 0; i < r->n_series; i++) {
    double *p = realloc(r->data[i], cap * r->cells[i] * sizeof(double));
    if (!p) return -1;
    r->data[i] = p;
  }
  r->cap = cap;
  return 0;
}

static int keep_series(runrec *r, const double *const *vals) {
  if (grow_series(r) != 0) return -1;
  for (size_t i = 0; i < r->n_series; i++)
    memcpy(r->data[i] + r->steps * r->cells[i], vals[i], r->cells[i] * sizeof(double));
  r->steps++;
  return 0;
}

/* A copy of the panel columns COLS of world W at STEP, appended. */
static int keep_snap(runrec *r, int step, const void *const *cols, const world *w) {
  if (r->n_snaps == r->cap_snaps) {
    size_t cap = r->cap_snaps ? 2 * r->cap_snaps : 8;
    rr_snap *p = realloc(r->snaps, cap * sizeof *p);
    if (!p) return -1;
    r->snaps = p, r->cap_snaps = cap;
  }
  rr_snap s = {.step = step, .n_slots = w->f.n};
  s.columns = calloc(r->n_pv, sizeof(void *));
  s.alive = malloc(s.n_slots + 1);
  int ok = s.columns && s.alive;
  for (size_t j = 0; ok && j < r->n_pv; j++) {
    size_t bytes = s.n_slots * panel_size(r->pv[j].type);
    ok = (s.columns[j] = malloc(bytes + 1)) != NULL;
    if (ok) memcpy(s.columns[j], cols[j], bytes);
  }
  if (!ok) {
    free_snap(&s, r->n_pv);
    return -1;
  }
  memcpy(s.alive, w->f.alive, s.n_slots);
  r->snaps[r->n_snaps++] = s;
  return 0;
}

int runrec_observe(runrec *r, observer *o, const world *w, char *err, size_t errlen) {
  int step = w->step - 1;
  if (step != (int)r->steps) {
    snprintf(err, errlen, "step %d recorded after %zu steps", step, r->steps);
    return -1;
  }
  const double *const *vals = obs_compute(o, w);
  const void *const *cols = NULL;
  int due = runout_panel_due(r->scn, step);
  if (vals && due) cols = obs_panel(o, w);
  if (!vals || (due && !cols) || (due && keep_snap(r, step, cols, w) != 0)) {
    snprintf(err, errlen, "step %d: out of memory recording the observation", step);
    return -1;
  }
  if (keep_series(r, vals) != 0) {
    if (due) free_snap(&r->snaps[--r->n_snaps], r->n_pv);
    snprintf(err, errlen, "step %d: out of memory recording the series", step);
    return -1;
  }
  return 0;
}

size_t runrec_steps(const runrec *r) {
  return r->steps;
}

const double *runrec_series(const runrec *r, size_t i, size_t *cells) {
  *cells = r->cells[i];
  static const double empty[1] = {0};
  return r->data[i] ? r->data[i] : empty;
}

int runrec_replay(const runrec *r, runout *rf, char *err, size_t errlen) {
  size_t next = 0;
  for (size_t t = 0; t < r->steps; t++) {
    for (size_t i = 0; i < r->n_series; i++) r->row[i] = r->data[i] + t * r->cells[i];
    runout_snap snap = {0}, *sp = NULL;
    if (next < r->n_snaps && r->snaps[next].step == (int)t) {
      const rr_snap *s = &r->snaps[next++];
      snap = (runout_snap){s->n_slots, (const void *const *)s->columns, s->alive};
      sp = &snap;
    }
    if (runout_step(rf, (int)t, r->row, sp, err, errlen) != 0) return -1;
  }
  return 0;
}
