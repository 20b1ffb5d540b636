/* government: levers and public finance (MODEL.md s.3 phases 1, 2, 6).
 *
 * Invariants: lever spending never exceeds the lever's per-step budget nor
 * the treasury's cash (what cannot be paid is cut and recorded in
 * gov.cut_*); every CNY spent goes to households; taxes move from firms'
 * cash (already deducted in phase 5) into the treasury here.
 */
#include "agents/government.h"

#include <string.h>

#include "sim/reduce.h"

int government_lever_active(const scn_lever *l, int step) {
  return l->enabled && step >= l->start && (l->end < 0 || step <= l->end);
}

int government_lever_targets_region(const world *w, const scn_lever *l, int r) {
  if (l->n_regions == 0) return 1;
  for (int i = 0; i < l->n_regions; i++)
    if (strcmp(l->regions[i], w->scn->regions[r].id) == 0) return 1;
  return 0;
}

void government_policy(world *w) {
  const scn_lever *t = &w->scn->government.talent;
  w->gov.talent_active = government_lever_active(t, w->step);
  w->gov.spend_talent = w->gov.cut_talent = 0;
  for (int r = 0; r < w->nr; r++)
    w->reg[r].talent_damp =
        w->gov.talent_active && government_lever_targets_region(w, t, r) ? t->intensity : 0;
}

/* Pay up to COST from the lever's remaining step budget and the treasury;
 * returns what was paid. */
static double pay(world *w, const scn_lever *l, double *spent, double *cut, double cost) {
  double budget = l->budget * 1e8 / w->spy - *spent;
  double can = budget < w->gov.cash ? budget : w->gov.cash;
  if (can < 0) can = 0;
  double paid = cost < can ? cost : can;
  *spent += paid;
  *cut += cost - paid;
  w->gov.cash -= paid;
  w->acc[ACC_HOUSEHOLDS] += paid;
  return paid;
}

double government_talent_retain(world *w, int r, double leaving) {
  const scn_lever *t = &w->scn->government.talent;
  if (!w->gov.talent_active || !government_lever_targets_region(w, t, r) || leaving <= 0) return 0;
  double extra = t->intensity * leaving;
  double cost = extra * t->unit_cost;
  if (cost <= 0) return extra;
  double paid = pay(w, t, &w->gov.spend_talent, &w->gov.cut_talent, cost);
  return extra * paid / cost;
}

static void tax_by_region(const void *ctx, size_t lo, size_t hi, double *acc) {
  const firm_soa *f = &((const world *)ctx)->f;
  for (size_t k = lo; k < hi; k++)
    if (f->alive[k]) acc[f->reg[k]] += f->tax[k];
}

void government_collect(world *w) {
  double tax[WORLD_MAX_REGIONS];
  reduce_blocks(w->f.n, (size_t)w->nr, tax_by_region, w, tax, w->scratch, w->threads);
  w->gov.tax = 0;
  for (int r = 0; r < w->nr; r++) {
    w->reg[r].tax = tax[r];
    w->gov.tax += tax[r];
  }
  w->gov.cash += w->gov.tax;
}
