/* government: levers and public finance (MODEL.md s.3 phases 1, 2, 4, 6).
 *
 * Invariants: a lever spends only while active; its spending never exceeds
 * its per-step budget (budget / steps_per_year) nor the treasury's cash;
 * what cannot be paid is cut and recorded in gov.cut[lever]; every CNY
 * spent leaves the treasury into a named external account; taxes move from
 * firms' cash (deducted in phase 5) into the treasury in phase 6.
 */
#include "agents/government.h"

#include <string.h>

#include "sim/reduce.h"

int government_lever_active(const scn_lever *l, int step) {
  return l->enabled && step >= l->start && (l->end < 0 || step <= l->end);
}

static int in_list(char *const *ids, int n, const char *id) {
  if (n == 0) return 1;
  for (int i = 0; i < n; i++)
    if (strcmp(ids[i], id) == 0) return 1;
  return 0;
}

int government_lever_applies(const world *w, int id, int r, int i) {
  const scn_lever *l = scn_lever_get(w->scn, id);
  if (!w->gov.active[id]) return 0;
  if (r >= 0 && !in_list(l->regions, l->n_regions, w->scn->regions[r].id)) return 0;
  return i < 0 || in_list(l->industries, l->n_industries, w->scn->industries[i].id);
}

void government_policy(world *w) {
  for (int id = 0; id < LEVER_N; id++) {
    w->gov.active[id] = government_lever_active(scn_lever_get(w->scn, id), w->step);
    w->gov.spend[id] = w->gov.cut[id] = 0;
  }
  double damp = w->scn->government.talent.intensity;
  for (int r = 0; r < w->nr; r++)
    w->reg[r].talent_damp = government_lever_applies(w, LEVER_TALENT, r, -1) ? damp : 0;
}

double government_budget_left(const world *w, int id) {
  const scn_lever *l = scn_lever_get(w->scn, id);
  double left = l->budget * 1e8 / w->spy - w->gov.spend[id];
  if (left > w->gov.cash) left = w->gov.cash;
  return left > 0 ? left : 0;
}

double government_pay(world *w, int id, double cost, int acc) {
  if (cost <= 0) return 0;
  double can = government_budget_left(w, id);
  double paid = cost < can ? cost : can;
  w->gov.spend[id] += paid;
  w->gov.cut[id] += cost - paid;
  w->gov.cash -= paid;
  w->acc[acc] += paid;
  return paid;
}

double government_talent_retain(world *w, int r, double leaving) {
  const scn_lever *t = &w->scn->government.talent;
  if (!government_lever_applies(w, LEVER_TALENT, r, -1) || leaving <= 0) return 0;
  double extra = t->intensity * leaving;
  double cost = extra * t->unit_cost;
  if (cost <= 0) return extra;
  double paid = government_pay(w, LEVER_TALENT, cost, ACC_HOUSEHOLDS);
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
