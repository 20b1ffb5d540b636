/* step: the phase loop (MODEL.md s.3) and the settlement of external
 * accounts.
 *
 * Invariants: phases run in a fixed order; parallel phases are OpenMP
 * `parallel for schedule(static)` loops in which firm k writes only slot k;
 * serial phases iterate in a fixed order; the world's own stream is used
 * only in serial phases (environment, entry). After settle_accounts every
 * CNY a firm paid or received in phase 5 has its counterpart on a named
 * account, so world_money() is unchanged by the step. Classroom order
 * overrides (world/world.h) replace planned orders after phase 3's plans
 * and are dropped at the end of the step, whether it succeeded or not.
 */
#include "sim/step.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "agents/firm.h"
#include "agents/government.h"
#include "agents/institute.h"
#include "sim/demography.h"
#include "base/dist.h"
#include "sim/market.h"
#include "base/reduce.h"

static int in_ids(char *const *ids, int n, const char *id) {
  if (n == 0) return 1;
  for (int i = 0; i < n; i++)
    if (strcmp(ids[i], id) == 0) return 1;
  return 0;
}

/* Shock multipliers for this step: supply shocks cut the External capacity
 * of their industries, demand shocks their final demand, talent-drain
 * shocks raise the External wage seen from their regions, credit crunches
 * the bank's lending capacity. Sizes of overlapping shocks multiply. */
static void apply_shocks(world *w) {
  const scenario *s = w->scn;
  w->credit_mult = 1;
  for (int r = 0; r < w->nr; r++) w->reg[r].wage_pull = 1;
  for (int i = 0; i < w->ni; i++) w->ind[i].shock_demand = w->ind[i].shock_supply = 1;
  for (int k = 0; k < s->n_shocks; k++) {
    const scn_shock *sh = &s->shocks[k];
    if (!scn_shock_active(sh, w->step)) continue;
    if (sh->type == SHOCK_CREDIT) w->credit_mult *= 1 - sh->size;
    for (int r = 0; sh->type == SHOCK_TALENT && r < w->nr; r++)
      if (in_ids(sh->regions, sh->n_regions, s->regions[r].id)) w->reg[r].wage_pull *= 1 + sh->size;
    for (int i = 0; i < w->ni; i++) {
      if (!in_ids(sh->industries, sh->n_industries, s->industries[i].id)) continue;
      if (sh->type == SHOCK_SUPPLY) w->ind[i].shock_supply *= 1 - sh->size;
      if (sh->type == SHOCK_DEMAND) w->ind[i].shock_demand *= 1 - sh->size;
    }
  }
}

/* Phase 1: exogenous final demand (trend growth x lognormal noise drawn
 * serially from the world stream, responding to the industry price level),
 * External capacity growing with the trend, shocks, lever activity. */
void step_environment(world *w) {
  apply_shocks(w);
  for (int i = 0; i < w->ni; i++) {
    const scn_industry *si = &w->scn->industries[i];
    industry_state *is = &w->ind[i];
    double trend = pow(1 + si->demand_growth, (double)w->step / w->spy);
    double noise = si->demand_noise > 0 ? dist_normal(&w->rng, 0, si->demand_noise) : 0;
    double level = is->price_level > 0 ? is->price_level : 1;
    is->final_demand =
        is->demand0 * trend * exp(noise) * pow(level, -si->demand_elasticity) * is->shock_demand;
    is->ext_capacity = is->ext_capacity0 * trend * is->shock_supply;
  }
  government_policy(w);
}

static void phase_plans(world *w) {
  firm_soa *f = &w->f;
  size_t n = f->n;
#pragma omp parallel for schedule(static) num_threads(w->threads) default(none) shared(w, f, n)
  for (size_t k = 0; k < n; k++)
    if (f->alive[k]) firm_plan(w, k);
}

/* Classroom order overrides (world/world.h), after the firms' own plans:
 * serial, in the order they were set; one whose slot no longer holds the
 * firm it was set for, or whose input is out of range, is skipped. */
static void apply_overrides(world *w) {
  const firm_soa *f = &w->f;
  for (size_t i = 0; i < w->n_overrides; i++) {
    const order_override *o = &w->overrides[i];
    size_t k = o->slot;
    if (k < f->n && f->alive[k] && f->uid[k] == o->uid && o->input >= 0 &&
        o->input < w->ind[f->ind[k]].n_inputs)
      firm_set_order(w, k, o->input, o->quantity);
  }
}

static void phase_production(world *w) {
  firm_soa *f = &w->f;
  size_t n = f->n;
#pragma omp parallel for schedule(static) num_threads(w->threads) default(none) shared(w, f, n)
  for (size_t k = 0; k < n; k++)
    if (f->alive[k]) firm_produce(w, k);
}

/* Flows of phase 5 booked on the external accounts. */
static void settle_accounts(world *w) {
  const firm_soa *f = &w->f;
  size_t n = f->n;
  int t = w->threads;
#define SUM(x) reduce_sum(f->x, f->alive, n, t)
  w->acc[ACC_HOUSEHOLDS] += SUM(wages) + SUM(rd) - SUM(sales_final);
  w->acc[ACC_EXTERNAL] +=
      SUM(capex) + SUM(dig_inv) + SUM(scrap) + SUM(other_cost) + SUM(green) + SUM(rent);
  w->acc[ACC_BANK] += SUM(interest) + SUM(repaid);
#undef SUM
}

/* Previous-step snapshot for imitation and entry; industry profit rates
 * (for entry) and price levels (for final demand). */
static void profit_block(const void *ctx, size_t lo, size_t hi, double *acc) {
  const firm_soa *f = &((const world *)ctx)->f;
  for (size_t k = lo; k < hi; k++)
    if (f->alive[k]) {
      acc[f->ind[k] * 4] += f->profit[k];
      acc[f->ind[k] * 4 + 1] += f->sales[k];
      acc[f->ind[k] * 4 + 2] += f->price[k] * f->output[k];
      acc[f->ind[k] * 4 + 3] += f->output[k];
    }
}

static void snapshot(world *w) {
  firm_soa *f = &w->f;
  size_t n = f->n;
#pragma omp parallel for schedule(static) num_threads(w->threads) default(none) shared(f, n)
  for (size_t k = 0; k < n; k++) f->tfp_prev[k] = f->tfp[k];
  double ps[WORLD_MAX_INDUSTRIES * 4];
  reduce_blocks(n, (size_t)w->ni * 4, profit_block, w, ps, w->scratch, w->threads);
  for (int i = 0; i < w->ni; i++) {
    w->ind[i].profit_rate = ps[i * 4 + 1] > 0 ? ps[i * 4] / ps[i * 4 + 1] : 0;
    if (ps[i * 4 + 3] > 0) w->ind[i].price_level = ps[i * 4 + 2] / ps[i * 4 + 3];
  }
}

static int run_phases(world *w, char *err, size_t errlen) {
  step_environment(w);                         /* 1 */
  if (government_station_scientists(w) != 0) { /* 2 */
    snprintf(err, errlen, "step %d: out of memory stationing scientists", w->step);
    return -1;
  }
  if (institute_step(w) != 0) {
    snprintf(err, errlen, "step %d: out of memory in the institutes' phase", w->step);
    return -1;
  }
  phase_plans(w); /* 3 */
  apply_overrides(w);
  government_plan_subsidies(w);
  market_credit(w); /* 4 */
  market_labour(w);
  market_supply(w);
  market_goods(w);
  phase_production(w); /* 5 */
  settle_accounts(w);
  government_settle_subsidies(w);
  government_collect(w);         /* 6 */
  if (demography_step(w) != 0) { /* 7 */
    snprintf(err, errlen, "step %d: out of memory growing the firm population", w->step);
    return -1;
  }
  snapshot(w); /* for 8 and the next step */
  w->step++;
  return 0;
}

/* The phases, then the end of this step's order overrides (applied or not). */
int step_run(world *w, char *err, size_t errlen) {
  int rc = run_phases(w, err, errlen);
  world_override_clear(w);
  return rc;
}
