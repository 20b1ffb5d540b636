/* order_override: the world's list of classroom order overrides for the
 * next step (world/world.h, set through nqp_world_set_order).
 *
 * Invariants: at most one override per (slot, input) pair, the latest set
 * wins; the list is emptied at the end of every step (sim/step.c), so an
 * override applies to exactly one step; it is never checkpointed.
 */
#include <stdlib.h>

#include "world/world.h"

int world_override_set(world *w, size_t slot, int input, double quantity) {
  for (size_t i = 0; i < w->n_overrides; i++) {
    order_override *o = &w->overrides[i];
    if (o->slot == slot && o->input == input) {
      o->quantity = quantity;
      return 0;
    }
  }
  if (w->n_overrides == w->cap_overrides) {
    size_t cap = w->cap_overrides ? 2 * w->cap_overrides : 8;
    order_override *p = realloc(w->overrides, cap * sizeof *p);
    if (!p) return -1;
    w->overrides = p, w->cap_overrides = cap;
  }
  w->overrides[w->n_overrides++] =
      (order_override){.slot = slot, .uid = w->f.uid[slot], .input = input, .quantity = quantity};
  return 0;
}

void world_override_clear(world *w) {
  w->n_overrides = 0;
}
