/* api_panel: the firm panel of a world's current state (nqp_panel_*,
 * nqp_firm_count): the variables of the run file's /firms group, read for
 * every live firm now.
 *
 * Invariants: variable J is the J-th /firms dataset of a run file
 * (obs_panel_vars), computed by the same code (obs_panel); values are
 * those of the live slots in slot order, so every variable lists the same
 * firms in the same order until the next step; integer variables are
 * converted to double exactly (they are below 2^53).
 */
#include <stdint.h>
#include <string.h>

#include "api/api_priv.h"

static const panel_var *panel_table(size_t *n) {
  return obs_panel_vars(n);
}

size_t nqp_panel_count(void) {
  size_t n;
  panel_table(&n);
  return n;
}

static const panel_var *panel_at(size_t j, const char *fn) {
  size_t n;
  const panel_var *v = panel_table(&n);
  if (j < n) return &v[j];
  api_fail(NQP_BAD_INPUT, "%s: panel variable %zu out of range (%zu variables)", fn, j, n);
  return NULL;
}

const char *nqp_panel_name(size_t j) {
  const panel_var *v = panel_at(j, "nqp_panel_name");
  return v ? v->name : NULL;
}

const char *nqp_panel_units(size_t j) {
  const panel_var *v = panel_at(j, "nqp_panel_units");
  return v ? v->units : NULL;
}

size_t nqp_firm_count(const nqp_world *w) {
  if (api_need(w, "nqp_firm_count")) return 0;
  size_t live = 0;
  for (size_t k = 0; k < w->w->f.n; k++) live += w->w->f.alive[k];
  return live;
}

/* Value of slot K in column COL of type T, as a double. */
static double panel_value(const void *col, panel_type t, size_t k) {
  switch (t) {
  case PANEL_F64:
    return ((const double *)col)[k];
  case PANEL_F32:
    return ((const float *)col)[k];
  case PANEL_I32:
    return ((const int32_t *)col)[k];
  default:
    return ((const uint8_t *)col)[k];
  }
}

int nqp_panel_read(const nqp_world *w, const char *name, double *out, size_t n) {
  if (api_need(w, "nqp_panel_read")) return NQP_BAD_INPUT;
  size_t nv, live = nqp_firm_count(w), j = 0;
  const panel_var *pv = panel_table(&nv);
  while (name && j < nv && strcmp(pv[j].name, name)) j++;
  if (!name || j == nv)
    return api_fail(NQP_BAD_INPUT, "no panel variable \"%s\" (nqp_panel_name lists them)",
                    name ? name : "(null)");
  if (!out || n < live)
    return api_fail(NQP_BAD_INPUT, "nqp_panel_read: room for %zu values, %zu live firms",
                    out ? n : 0, live);
  const void *const *cols = obs_panel(w->obs, w->w);
  if (!cols) return api_fail(NQP_FAILED, "out of memory computing the firm panel");
  const firm_soa *f = &w->w->f;
  for (size_t k = 0, i = 0; k < f->n; k++)
    if (f->alive[k]) out[i++] = panel_value(cols[j], pv[j].type, k);
  return NQP_OK;
}
