/* api_order: nqp_world_set_order, the classroom hook: a chosen firm's
 * order of one input replaced for the next step only.
 *
 * Invariants: the override is checked here (a live firm's uid, an input
 * position of its industry, a finite quantity >= 0, a step left to take)
 * and stored in the world's override list (world/world.h), which phase 3
 * applies after the firm's own plan and the step then empties; nothing
 * else about the world changes, so a world without overrides steps
 * exactly as `nqpsim run` does.
 */
#include <math.h>

#include "api/api_priv.h"

/* Slot of the live firm UID, or -1. */
static long find_firm(const world *w, int64_t uid) {
  const firm_soa *f = &w->f;
  for (size_t k = 0; k < f->n; k++)
    if (f->alive[k] && (int64_t)f->uid[k] == uid) return (long)k;
  return -1;
}

int nqp_world_set_order(nqp_world *w, int64_t uid, int input, double quantity) {
  if (api_need(w, "nqp_world_set_order")) return NQP_BAD_INPUT;
  if (!isfinite(quantity) || quantity < 0)
    return api_fail(NQP_BAD_INPUT, "order quantity: expected a finite number >= 0, found %g",
                    quantity);
  if (w->w->step >= w->scn.steps)
    return api_fail(NQP_BAD_INPUT, "no step left to order for: all %d steps are done",
                    w->scn.steps);
  long k = find_firm(w->w, uid);
  if (k < 0) return api_fail(NQP_BAD_INPUT, "no live firm with uid %lld", (long long)uid);
  int ind = w->w->f.ind[k], n_inputs = w->w->ind[ind].n_inputs;
  if (n_inputs == 0)
    return api_fail(NQP_BAD_INPUT, "firm %lld (industry %s) buys no inputs", (long long)uid,
                    w->scn.industries[ind].id);
  if (input < 0 || input >= n_inputs)
    return api_fail(NQP_BAD_INPUT, "firm %lld (industry %s) has inputs 0 to %d, not %d",
                    (long long)uid, w->scn.industries[ind].id, n_inputs - 1, input);
  if (world_override_set(w->w, (size_t)k, input, quantity) != 0)
    return api_fail(NQP_FAILED, "out of memory");
  return NQP_OK;
}
