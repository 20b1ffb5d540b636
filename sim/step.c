/* step: the phase loop (MODEL.md s.3) and the settlement of external
 * accounts.
 *
 * Invariants: phases run in a fixed order; parallel phases are OpenMP
 * `parallel for schedule(static)` loops in which firm k writes only slot k;
 * serial phases iterate in a fixed order; the world's own stream is used
 * only in serial phases (environment, entry). After settle_accounts every
 * CNY a firm paid or received in phase 5 has its counterpart on a named
 * account, so world_money() is unchanged by the step.
 */
#include "sim/step.h"

#include <math.h>
#include <stdio.h>

#include "agents/firm.h"
#include "agents/government.h"
#include "agents/institute.h"
#include "sim/demography.h"
#include "sim/dist.h"
#include "sim/market.h"
#include "sim/reduce.h"

/* Phase 1: exogenous final demand (trend growth x lognormal noise drawn
 * serially from the world stream) and lever activity. */
void step_environment(world *w) {
  for (int i = 0; i < w->ni; i++) {
    const scn_industry *si = &w->scn->industries[i];
    double trend = pow(1 + si->demand_growth, (double)w->step / w->spy);
    double noise = si->demand_noise > 0 ? dist_normal(&w->rng, 0, si->demand_noise) : 0;
    double level = w->ind[i].price_level > 0 ? w->ind[i].price_level : 1;
    w->ind[i].final_demand =
        w->ind[i].demand0 * trend * exp(noise) * pow(level, -si->demand_elasticity);
    w->ind[i].ext_capacity = w->ind[i].ext_capacity0 * trend;
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
  w->acc[ACC_EXTERNAL] += SUM(capex) + SUM(dig_inv) + SUM(scrap) + SUM(other_cost) + SUM(green);
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

int step_run(world *w, char *err, size_t errlen) {
  step_environment(w); /* 1 */
  institute_step(w);   /* 2 */
  phase_plans(w);      /* 3 */
  market_credit(w);    /* 4 */
  market_labour(w);
  market_supply(w);
  market_goods(w);
  phase_production(w); /* 5 */
  settle_accounts(w);
  government_collect(w);         /* 6 */
  if (demography_step(w) != 0) { /* 7 */
    snprintf(err, errlen, "step %d: out of memory growing the firm population", w->step);
    return -1;
  }
  snapshot(w); /* for 8 and the next step */
  w->step++;
  return 0;
}
