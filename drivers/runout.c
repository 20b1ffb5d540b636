/* runout: the run file's schedule and attributes over the h5out writer
 * (drivers/runout.h).
 *
 * Invariants: the labels handed to the writer live as long as the runout;
 * events are derived from the scenario alone (lever activity and shock
 * windows at each step), so a replay writes the same events as the run;
 * every h5out failure is reported with the writer's message; every root
 * attribute written here and the /scenario text are covered by the
 * `meta_hash` attribute written last (output/meta_hash.h).
 */
#include "drivers/runout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agents/government.h"
#include "output/meta_hash.h"
#include "output/provenance.h"
#include "sim/observe.h"
#include "base/clock.h"

struct runout {
  h5out *out;
  const scenario *scn;
  const char **labels_i, **labels_r;
  meta_hash hash; /* checksums of the attributes written here and /scenario */
};

static void free_labels(runout *rf) {
  free(rf->labels_i);
  free(rf->labels_r);
  meta_hash_free(&rf->hash);
  free(rf);
}

/* Root attributes, each also fed to the meta_hash written at the end. */
static void attr_str(runout *rf, const char *name, const char *value) {
  h5out_attr_str(rf->out, name, value);
  meta_hash_str(&rf->hash, name, value);
}

static void attr_i64(runout *rf, const char *name, int64_t value) {
  h5out_attr_i64(rf->out, name, value);
  meta_hash_i64(&rf->hash, name, value);
}

static void attr_f64(runout *rf, const char *name, double value) {
  h5out_attr_f64(rf->out, name, value);
  meta_hash_f64(&rf->hash, name, value);
}

static int make_labels(runout *rf, const scenario *s) {
  rf->labels_i = calloc((size_t)s->n_industries, sizeof(char *));
  rf->labels_r = calloc((size_t)s->n_regions, sizeof(char *));
  if (!rf->labels_i || !rf->labels_r) return -1;
  for (int i = 0; i < s->n_industries; i++) rf->labels_i[i] = s->industries[i].id;
  for (int r = 0; r < s->n_regions; r++) rf->labels_r[r] = s->regions[r].id;
  return 0;
}

runout *runout_open(const char *path, int force, const scenario *s, const series_def *series,
                    size_t n_series, int *exists, char *err, size_t errlen) {
  if (exists) *exists = 0;
  runout *rf = calloc(1, sizeof *rf);
  if (!rf || make_labels(rf, s) != 0) {
    snprintf(err, errlen, "out of memory");
    if (rf) free_labels(rf);
    return NULL;
  }
  rf->scn = s;
  meta_hash_init(&rf->hash);
  h5out_spec spec = {.path = path, .force = force, .series = series, .n_series = n_series};
  spec.industry_labels = rf->labels_i, spec.n_industry = (size_t)s->n_industries;
  spec.region_labels = rf->labels_r, spec.n_region = (size_t)s->n_regions;
  if (s->output.panel_interval > 0) spec.panel_vars = obs_panel_vars(&spec.n_panel_vars);
  spec.chunk_steps = (size_t)(s->steps < 64 ? s->steps : 64);
  spec.deflate = s->output.deflate;
  if (!(rf->out = h5out_open(&spec, exists, err, errlen))) {
    free_labels(rf);
    return NULL;
  }
  /* the labels h5out_open wrote (dimension scales of the series groups) */
  const char *const *li = rf->labels_i, *const *lr = rf->labels_r;
  size_t ni = (size_t)s->n_industries, nr = (size_t)s->n_regions;
  meta_hash_list(&rf->hash, "/series/industry/industry", li, ni);
  meta_hash_list(&rf->hash, "/series/region/region", lr, nr);
  meta_hash_list(&rf->hash, "/series/industry_region/industry", li, ni);
  meta_hash_list(&rf->hash, "/series/industry_region/region", lr, nr);
  return rf;
}

h5out *runout_writer(runout *rf) {
  return rf->out;
}

void runout_provenance(runout *rf, const runout_prov *p) {
  const scenario *s = rf->scn;
  for (const nqp_attr *a = nqp_provenance(); a->key; a++) attr_str(rf, a->key, a->value);
  attr_str(rf, "command_line", p->command_line ? p->command_line : "");
  if (p->resumed_from) {
    attr_str(rf, "resumed_from", p->resumed_from);
    attr_i64(rf, "resumed_at_step", p->resumed_at_step);
    attr_str(rf, "resume_command_line", p->resume_command_line ? p->resume_command_line : "");
  }
  attr_str(rf, "scenario_name", s->name);
  attr_i64(rf, "seed", s->seed);
  attr_i64(rf, "threads", p->threads);
  attr_i64(rf, "steps", s->steps);
  attr_i64(rf, "steps_per_year", s->steps_per_year);
  attr_str(rf, "start_time", p->start_time);
  if (h5out_text(rf->out, "scenario", p->resolved) == 0)
    meta_hash_text(&rf->hash, "/scenario", p->resolved);
}

int runout_panel_due(const scenario *s, int step) {
  int pi = s->output.panel_interval;
  return pi > 0 && (step % pi == 0 || step == s->steps - 1);
}

static void write_events(runout *rf, int step) {
  const scenario *s = rf->scn;
  for (int id = 0; id < LEVER_N; id++) {
    const scn_lever *l = scn_lever_get(s, id);
    int now = government_lever_active(l, step);
    int before = step > 0 && government_lever_active(l, step - 1);
    if (now && !before) h5out_event(rf->out, step, "lever_on", scn_lever_key(id));
    if (!now && before) h5out_event(rf->out, step, "lever_off", scn_lever_key(id));
  }
  for (int k = 0; k < s->n_shocks; k++) {
    const scn_shock *sh = &s->shocks[k];
    if (step == sh->start) h5out_event(rf->out, step, "shock_on", sh->id);
    if (step == sh->start + sh->duration) h5out_event(rf->out, step, "shock_off", sh->id);
  }
}

static int writer_failed(char *err, size_t errlen) {
  snprintf(err, errlen, "%s", h5out_last_error());
  return -1;
}

int runout_step(runout *rf, int step, const double *const *values, const runout_snap *snap,
                char *err, size_t errlen) {
  write_events(rf, step);
  if (h5out_step(rf->out, step, values) != 0) return writer_failed(err, errlen);
  if (runout_panel_due(rf->scn, step)) {
    if (!snap) {
      snprintf(err, errlen, "step %d: no firm panel snapshot for a scheduled panel row", step);
      return -1;
    }
    if (h5out_panel(rf->out, step, snap->n_slots, snap->columns, snap->alive) != 0)
      return writer_failed(err, errlen);
  }
  if ((step + 1) % rf->scn->output.flush_interval == 0) h5out_flush(rf->out);
  return 0;
}

int runout_finish(runout **prf, int ok, int steps_done, double wall_s, char *err, size_t errlen) {
  runout *rf = *prf;
  char buf[64];
  clock_utc_iso(buf, sizeof buf);
  attr_str(rf, "end_time", buf);
  attr_f64(rf, "wall_time_s", wall_s);
  attr_i64(rf, "steps_done", steps_done);
  /* last before the status: the checksums of everything above
   * (output/meta_hash.h); readers verify them when present */
  if (meta_hash_value(&rf->hash))
    h5out_attr_str(rf->out, META_HASH_ATTR, meta_hash_value(&rf->hash));
  int rc = h5out_finish(&rf->out, ok, err, errlen);
  free_labels(rf);
  *prf = NULL;
  return rc != 0 ? -1 : 0;
}

void runout_abort(runout **prf) {
  runout *rf = *prf;
  if (!rf) return;
  char err[256];
  if (rf->out) h5out_finish(&rf->out, 0, err, sizeof err);
  free_labels(rf);
  *prf = NULL;
}
