/* government: levers and public finance (MODEL.md s.3 phases 1, 2, 4, 6).
 *
 * Invariants: a lever spends only while active; its spending never exceeds
 * its per-step budget (budget / steps_per_year) nor the treasury's cash;
 * what cannot be paid is cut and recorded in gov.cut[lever]; every CNY
 * spent leaves the treasury into a named external account; taxes move from
 * firms' cash (deducted in phase 5) into the treasury in phase 6.
 */
#include "agents/government.h"

#include <stdlib.h>
#include <string.h>

#include "base/dist.h"

#include "base/reduce.h"

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

/* Budgets and amounts are for the whole province: a world built at `scale`
 * gets that share of them, like its firms and institutes. */
double government_step_budget(const world *w, int id) {
  return scn_lever_get(w->scn, id)->budget * 1e8 * w->scn->scale / w->spy;
}

double government_step_amount(const world *w, int id) {
  return scn_lever_get(w->scn, id)->amount * w->scn->scale / w->spy;
}

double government_budget_left(const world *w, int id) {
  double left = government_step_budget(w, id) - w->gov.spend[id];
  if (left > w->gov.cash) left = w->gov.cash;
  return left > 0 ? left : 0;
}

double government_spend(world *w, int id, double cost) {
  if (cost <= 0) return 0;
  double can = government_budget_left(w, id);
  double paid = cost < can ? cost : can;
  w->gov.spend[id] += paid;
  w->gov.cut[id] += cost - paid;
  w->gov.cash -= paid;
  return paid;
}

double government_pay(world *w, int id, double cost, int acc) {
  double paid = government_spend(w, id, cost);
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

/* ---- subsidy levers (compute network, green fund, shared factories) ------ */

static const int sub_lever[NSUB] = {LEVER_COMPUTE, LEVER_GREEN, LEVER_SHARED_FACTORY};

static void sum_subsidy(const void *ctx, size_t lo, size_t hi, double *acc, int paid) {
  const firm_soa *f = &((const world *)ctx)->f;
  const double *v = paid ? f->sub_paid : f->sub_claim;
  for (size_t k = lo; k < hi; k++)
    if (f->alive[k])
      for (int s = 0; s < NSUB; s++) acc[s] += v[k * NSUB + (size_t)s];
}
static void sum_claims(const void *ctx, size_t lo, size_t hi, double *acc) {
  sum_subsidy(ctx, lo, hi, acc, 0);
}
static void sum_paid(const void *ctx, size_t lo, size_t hi, double *acc) {
  sum_subsidy(ctx, lo, hi, acc, 1);
}

void government_plan_subsidies(world *w) {
  double claims[NSUB];
  reduce_blocks(w->f.n, NSUB, sum_claims, w, claims, w->scratch, w->threads);
  double cash = w->gov.cash;
  for (int s = 0; s < NSUB; s++) {
    int id = sub_lever[s];
    double left = government_step_budget(w, id) - w->gov.spend[id];
    if (left > cash) left = cash;
    if (left < 0) left = 0;
    w->gov.sub_ratio[s] = claims[s] > left ? left / claims[s] : 1;
    if (claims[s] > left) w->gov.cut[id] += claims[s] - left;
    cash -= claims[s] * w->gov.sub_ratio[s]; /* reserved for this step's payments */
  }
}

void government_settle_subsidies(world *w) {
  double paid[NSUB];
  reduce_blocks(w->f.n, NSUB, sum_paid, w, paid, w->scratch, w->threads);
  for (int s = 0; s < NSUB; s++) {
    w->gov.spend[sub_lever[s]] += paid[s];
    w->gov.cash -= paid[s];
  }
  w->acc[ACC_EXTERNAL] += paid[SUB_SHARED]; /* the shared-factory operator */
}

/* ---- scientists stationed in firms (科学家驻企) ---------------------------- */

/* Targeted live firms without a scientist. Returns their count in OUT. */
static size_t scientist_hosts(const world *w, size_t *out) {
  const firm_soa *f = &w->f;
  size_t n = 0;
  for (size_t k = 0; k < f->n; k++)
    if (f->alive[k] && !f->stationed[k] &&
        government_lever_applies(w, LEVER_SCIENTISTS, f->reg[k], f->ind[k]))
      out[n++] = k;
  return n;
}

/* Phase 2: stays end after a year; `amount` scientists a year (Poisson per
 * step) are stationed in hosts drawn uniformly among the targeted firms,
 * each paid unit_cost for the year at arrival while the budget lasts. */
int government_station_scientists(world *w) {
  firm_soa *f = &w->f;
  const scn_lever *l = &w->scn->government.scientists;
  for (size_t k = 0; k < f->n; k++)
    if (f->stationed[k]) f->stationed[k]--;
  if (w->gov.active[LEVER_SCIENTISTS]) {
    size_t *hosts = malloc((f->n + 1) * sizeof(size_t));
    if (!hosts) return -1;
    size_t n = scientist_hosts(w, hosts);
    uint32_t want = dist_poisson(&w->gov.rng, government_step_amount(w, LEVER_SCIENTISTS));
    for (uint32_t s = 0; s < want && n > 0; s++) {
      if (government_budget_left(w, LEVER_SCIENTISTS) < l->unit_cost) break;
      size_t pick = rng_bounded(&w->gov.rng, (uint32_t)n);
      f->stationed[hosts[pick]] = (uint8_t)(w->spy < 255 ? w->spy : 255);
      hosts[pick] = hosts[--n];
      government_pay(w, LEVER_SCIENTISTS, l->unit_cost, ACC_HOUSEHOLDS);
    }
    free(hosts);
  }
  double count = 0;
  for (size_t k = 0; k < f->n; k++) count += f->alive[k] && f->stationed[k];
  w->gov.scientists = count;
  return 0;
}
