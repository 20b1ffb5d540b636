/* market: credit, labour, supply-chain and goods markets (phase 4).
 *
 * Invariants: every market gathers with block reductions in slot order, so
 * results do not depend on threads; rationing never gives more than asked
 * (fill ratios in [0, 1]); hires never exceed a region's pool; money moved
 * between firms is paid by the buyer and received by the supplier from the
 * same delivered quantities; money from or to outside the firms is booked
 * on the named external account (ACC_BANK, ACC_EXTERNAL).
 */
#include "sim/market.h"

#include <math.h>
#include <string.h>

#include "agents/firm.h"
#include "agents/government.h"
#include "base/reduce.h"

#define EPS 1e-9

static double clamp(double x, double lo, double hi) {
  return x < lo ? lo : (x > hi ? hi : x);
}

/* ---- credit ------------------------------------------------------------ */

/* Room left under the physical collateral (CNY; negative when debt exceeds
 * it): LTV x (capital net of half the legacy share + inventory at price). */
static double physical_room(const world *w, size_t k) {
  const firm_soa *f = &w->f;
  double physical = f->capital[k] * (1 - 0.5 * f->legacy[k]) + f->inventory[k] * f->price[k];
  return w->scn->market.collateral_ltv * physical - f->debt[k];
}

/* Room given by pledged data assets: LTV on appraised data assets while the
 * data-pledging lever applies to the firm's region and industry. */
static double data_room(const world *w, size_t k) {
  const firm_soa *f = &w->f;
  if (!government_lever_applies(w, LEVER_DATA_PLEDGE, f->reg[k], f->ind[k])) return 0;
  return w->scn->government.data_pledge.intensity * f->data[k];
}

double market_credit_limit(const world *w, size_t k) {
  double limit = physical_room(w, k) + data_room(w, k);
  return limit > 0 ? limit : 0;
}

/* Requests clipped to the limit; credit_data holds the part of each request
 * that only pledged data assets make possible. */
static void credit_requests(world *w) {
  firm_soa *f = &w->f;
  size_t n = f->n;
#pragma omp parallel for schedule(static) num_threads(w->threads) default(none) shared(w, f, n)
  for (size_t k = 0; k < n; k++) {
    if (!f->alive[k]) continue;
    double lim = market_credit_limit(w, k);
    if (f->credit_req[k] > lim) f->credit_req[k] = lim;
    double phys = physical_room(w, k);
    double beyond = f->credit_req[k] - (phys > 0 ? phys : 0);
    f->credit_data[k] = beyond > 0 ? beyond : 0;
  }
}

/* The bank's lending capacity grows with the economy's capital stock. */
static double bank_capacity(const world *w) {
  double capital = reduce_sum(w->f.capital, w->f.alive, w->f.n, w->threads);
  return w->scn->market.bank_capacity * w->debt0 * capital / w->capital0 * w->credit_mult;
}

/* The pledging lever pays a risk compensation of unit_cost per CNY of
 * data-pledged credit the bank grants. When that would exceed the budget
 * left, the pledged part of every request is scaled by KEEP, chosen so that
 * the pledged credit granted after the bank's rationing costs exactly the
 * budget left (A CNY of pledged credit):
 *
 *   r(keep) x keep x D = A,   r(keep) = min(1, C / (R - (1 - keep) D))
 *   keep = A / D                          if R - D + A <= C (no rationing)
 *        = A (R - D) / (D (C - A))         otherwise
 *
 * with D the pledged requests, R all requests and C the bank's capacity
 * (in the second case C > A follows from r(1) D > A). The compensation
 * the lever could not pay, unit_cost x (r(1) D - A), is recorded as cut.
 * Returns the requests after the cut. */
static double credit_pledge_budget(world *w, double demand, double capacity) {
  firm_soa *f = &w->f;
  size_t n = f->n;
  double d = reduce_sum(f->credit_data, f->alive, n, w->threads);
  double unit = w->scn->government.data_pledge.unit_cost;
  if (d <= EPS || unit <= 0) return demand;
  double a = government_budget_left(w, LEVER_DATA_PLEDGE) / unit;
  double r1 = demand > EPS ? clamp(capacity / demand, 0, 1) : 1;
  if (r1 * d <= a) return demand;
  double keep = demand - d + a <= capacity ? a / d : a * (demand - d) / (d * (capacity - a));
  w->gov.cut[LEVER_DATA_PLEDGE] += unit * (r1 * d - a);
#pragma omp parallel for schedule(static) num_threads(w->threads) default(none) shared(f, n, keep)
  for (size_t k = 0; k < n; k++) {
    if (!f->alive[k]) continue;
    f->credit_req[k] -= (1 - keep) * f->credit_data[k];
    f->credit_data[k] *= keep;
  }
  return reduce_sum(f->credit_req, f->alive, n, w->threads);
}

void market_credit(world *w) {
  firm_soa *f = &w->f;
  size_t n = f->n;
  credit_requests(w);
  double capacity = bank_capacity(w);
  double demand = reduce_sum(f->credit_req, f->alive, n, w->threads);
  demand = credit_pledge_budget(w, demand, capacity);
  double ratio = demand > EPS ? clamp(capacity / demand, 0, 1) : 1;
#pragma omp parallel for schedule(static) num_threads(w->threads) default(none) shared(f, n, ratio)
  for (size_t k = 0; k < n; k++) {
    if (!f->alive[k]) continue;
    f->credit_got[k] = f->credit_req[k] * ratio;
    f->credit_data[k] *= ratio;
    f->cash[k] += f->credit_got[k];
    f->debt[k] += f->credit_got[k];
  }
  w->acc[ACC_BANK] -= reduce_sum(f->credit_got, f->alive, n, w->threads);
  double pledged = reduce_sum(f->credit_data, f->alive, n, w->threads);
  government_pay(w, LEVER_DATA_PLEDGE, pledged * w->scn->government.data_pledge.unit_cost,
                 ACC_BANK);
}

/* ---- labour ------------------------------------------------------------ */

/* Per region: layoffs (skilled, unskilled; <= 0) and open vacancies. */
static void labour_requests(const void *ctx, size_t lo, size_t hi, double *acc) {
  const firm_soa *f = &((const world *)ctx)->f;
  for (size_t k = lo; k < hi; k++) {
    if (!f->alive[k]) continue;
    double *a = acc + (size_t)f->reg[k] * 4;
    a[f->vac_s[k] < 0 ? 0 : 2] += f->vac_s[k];
    a[f->vac_u[k] < 0 ? 1 : 3] += f->vac_u[k];
  }
}

/* Per region: hires at the region's fill ratios. */
static double f_pos(double x) {
  return x > 0 ? x : 0;
}

static void labour_hires(const void *ctx, size_t lo, size_t hi, double *acc) {
  const world *w = ctx;
  const firm_soa *f = &w->f;
  for (size_t k = lo; k < hi; k++) {
    if (!f->alive[k]) continue;
    acc[(size_t)f->reg[k] * 2] += f_pos(f->vac_s[k]) * w->reg[f->reg[k]].fill_s;
    acc[(size_t)f->reg[k] * 2 + 1] += f_pos(f->vac_u[k]) * w->reg[f->reg[k]].fill_u;
  }
}

static void labour_apply(world *w) {
  firm_soa *f = &w->f;
  size_t n = f->n;
#pragma omp parallel for schedule(static) num_threads(w->threads) default(none) shared(w, f, n)
  for (size_t k = 0; k < n; k++) {
    if (!f->alive[k]) continue;
    const region_state *r = &w->reg[f->reg[k]];
    f->skilled[k] += f->vac_s[k] < 0 ? f->vac_s[k] : f->vac_s[k] * r->fill_s;
    f->unskilled[k] += f->vac_u[k] < 0 ? f->vac_u[k] : f->vac_u[k] * r->fill_u;
    if (f->skilled[k] < 0) f->skilled[k] = 0;
    if (f->unskilled[k] < 0) f->unskilled[k] = 0;
  }
}

/* Workers flow in from other sectors; wages move with tightness (vacancies
 * per unemployed); skilled workers leave for External when its wage
 * exceeds the regional one by the gap. */
static void labour_wages_migration(world *w, region_state *r) {
  const scn_market_params *mp = &w->scn->market;
  double in_s = r->force_s * world_per_step(w, mp->labour_inflow);
  double in_u = r->force_u * world_per_step(w, mp->labour_inflow);
  r->pool_s += in_s, r->force_s += in_s;
  r->pool_u += in_u, r->force_u += in_u;
  double ts = clamp(r->vac_s / (r->pool_s + 1) - 1, -0.5, 0.5);
  double tu = clamp(r->vac_u / (r->pool_u + 1) - 1, -0.5, 0.5);
  r->wage_s *= 1 + mp->wage_adjust * ts;
  r->wage_u *= 1 + mp->wage_adjust * tu;
  double gap = mp->external_wage * r->wage_pull / r->wage_s;
  double pull = clamp((gap - mp->migration_gap) / mp->migration_gap, 0, 1);
  r->migrated = r->pool_s * mp->migration_rate * pull * (1 - r->talent_damp);
  r->pool_s -= r->migrated;
  r->force_s -= r->migrated;
}

void market_labour(world *w) {
  double req[WORLD_MAX_REGIONS * 4], hired[WORLD_MAX_REGIONS * 2];
  reduce_blocks(w->f.n, (size_t)w->nr * 4, labour_requests, w, req, w->scratch, w->threads);
  for (int r = 0; r < w->nr; r++) {
    region_state *rs = &w->reg[r];
    rs->pool_s -= req[r * 4 + 0]; /* layoffs are negative */
    rs->pool_u -= req[r * 4 + 1];
    rs->vac_s = req[r * 4 + 2];
    rs->vac_u = req[r * 4 + 3];
    rs->fill_s = rs->vac_s > EPS ? clamp(rs->pool_s / rs->vac_s, 0, 1) : 1;
    rs->fill_u = rs->vac_u > EPS ? clamp(rs->pool_u / rs->vac_u, 0, 1) : 1;
  }
  reduce_blocks(w->f.n, (size_t)w->nr * 2, labour_hires, w, hired, w->scratch, w->threads);
  labour_apply(w);
  for (int r = 0; r < w->nr; r++) {
    region_state *rs = &w->reg[r];
    rs->pool_s -= hired[r * 2 + 0];
    rs->pool_u -= hired[r * 2 + 1];
    if (rs->pool_s < 0) rs->pool_s = 0; /* rounding only: hires <= pool */
    if (rs->pool_u < 0) rs->pool_u = 0;
    if (r != w->ext) labour_wages_migration(w, rs);
  }
}

/* ---- supply chain -------------------------------------------------------- */

/* Each supplier gathers the orders pointing at it (reverse index) and
 * serves them from stock, pro rata: one tier per step. */
static void supply_gather(world *w) {
  firm_soa *f = &w->f;
  size_t n = f->n;
#pragma omp parallel for schedule(static) num_threads(w->threads) default(none) shared(w, f, n)
  for (size_t k = 0; k < n; k++) {
    if (!f->alive[k]) continue;
    double total = 0;
    for (size_t p = w->rev_start[k]; p < w->rev_start[k + 1]; p++)
      total += f->order[w->rev_slot[p]];
    f->orders_in[k] = total;
    f->fill[k] = total > EPS ? clamp(f->inventory[k] / total, 0, 1) : 1;
    f->shipped[k] = total * f->fill[k];
    f->inventory[k] = f->inventory[k] > f->shipped[k] ? f->inventory[k] - f->shipped[k] : 0;
    f->cash[k] += f->shipped[k] * f->price[k];
  }
}

/* External orders by input industry. */
static void external_orders(const void *ctx, size_t lo, size_t hi, double *acc) {
  const world *w = ctx;
  const firm_soa *f = &w->f;
  for (size_t k = lo; k < hi; k++) {
    if (!f->alive[k]) continue;
    const industry_state *is = &w->ind[f->ind[k]];
    for (size_t s = 0; s < f->nslot; s++)
      if (f->supplier[k * f->nslot + s] == SLOT_EXTERNAL)
        acc[is->input[firm_slot_input(w, s)]] += f->order[k * f->nslot + s];
  }
}

static void supply_external(world *w) {
  double orders[WORLD_MAX_INDUSTRIES];
  reduce_blocks(w->f.n, (size_t)w->ni, external_orders, w, orders, w->scratch, w->threads);
  for (int i = 0; i < w->ni; i++) {
    industry_state *is = &w->ind[i];
    is->ext_orders = orders[i];
    is->ext_fill = orders[i] > EPS ? clamp(is->ext_capacity / orders[i], 0, 1) : 1;
  }
}

/* What local suppliers could not deliver, by input industry. */
static void local_shortfall(const void *ctx, size_t lo, size_t hi, double *acc) {
  const world *w = ctx;
  const firm_soa *f = &w->f;
  for (size_t k = lo; k < hi; k++) {
    if (!f->alive[k]) continue;
    const industry_state *is = &w->ind[f->ind[k]];
    for (size_t s = 0; s < f->nslot; s++) {
      int32_t sup = f->supplier[k * f->nslot + s];
      if (sup >= 0)
        acc[is->input[firm_slot_input(w, s)]] += f->order[k * f->nslot + s] * (1 - f->fill[sup]);
    }
  }
}

/* Spot purchases: buyers try to get a share `spot_external` of what their
 * local suppliers could not deliver from External, within the External
 * capacity its regular orders left unused (spot_fill per input industry). */
static void supply_spot(world *w) {
  double short_by[WORLD_MAX_INDUSTRIES];
  reduce_blocks(w->f.n, (size_t)w->ni, local_shortfall, w, short_by, w->scratch, w->threads);
  double share = w->scn->market.spot_external;
  for (int i = 0; i < w->ni; i++) {
    industry_state *is = &w->ind[i];
    double left = is->ext_capacity - is->ext_orders * is->ext_fill;
    double want = share * short_by[i];
    is->spot_fill = want > EPS && left > 0 ? share * clamp(left / want, 0, 1) : 0;
  }
}

void market_supply(world *w) {
  supply_gather(w);
  supply_external(w);
  supply_spot(w);
  firm_soa *f = &w->f;
  size_t n = f->n;
#pragma omp parallel for schedule(static) num_threads(w->threads) default(none) shared(w, f, n)
  for (size_t k = 0; k < n; k++)
    if (f->alive[k]) firm_receive_inputs(w, k);
  double ext = reduce_sum(f->ext_input, f->alive, n, w->threads);
  double logistics = reduce_sum(f->logistics, f->alive, n, w->threads);
  w->acc[ACC_EXTERNAL] += ext * w->scn->market.external_price + logistics;
}

/* ---- goods --------------------------------------------------------------- */

double market_competitiveness(const world *w, size_t k) {
  const firm_soa *f = &w->f;
  const scn_market_params *mp = &w->scn->market;
  double el = w->scn->industries[f->ind[k]].price_elasticity;
  return pow(f->price[k], -el) * pow(f->quality[k], mp->quality_weight) *
         pow(f->reliability[k] + 0.01, mp->reliability_weight) * (1 + mp->esg_weight * f->esg[k]);
}

/* Per industry: sum of share x competitiveness (the mean competitiveness). */
static void goods_mean(const void *ctx, size_t lo, size_t hi, double *acc) {
  const world *w = ctx;
  const firm_soa *f = &w->f;
  for (size_t k = lo; k < hi; k++)
    if (f->alive[k]) acc[f->ind[k]] += f->share[k] * market_competitiveness(w, k);
}

static void goods_shares(const void *ctx, size_t lo, size_t hi, double *acc) {
  const firm_soa *f = &((const world *)ctx)->f;
  for (size_t k = lo; k < hi; k++)
    if (f->alive[k]) acc[f->ind[k]] += f->share[k];
}

/* Replicator: s' = s (1 + chi (E - Ebar) / Ebar), then normalised so each
 * industry's shares sum to one; final demand is shared accordingly. */
void market_goods(world *w) {
  firm_soa *f = &w->f;
  size_t n = f->n;
  double mean[WORLD_MAX_INDUSTRIES], total[WORLD_MAX_INDUSTRIES];
  reduce_blocks(n, (size_t)w->ni, goods_mean, w, mean, w->scratch, w->threads);
  for (int i = 0; i < w->ni; i++) w->ind[i].mean_comp = mean[i];
  double chi = w->scn->market.replicator_chi;
#pragma omp parallel for schedule(static) num_threads(w->threads) default(none) shared(w, f, n, chi)
  for (size_t k = 0; k < n; k++) {
    if (!f->alive[k]) continue;
    double eb = w->ind[f->ind[k]].mean_comp;
    double g = eb > EPS ? chi * (market_competitiveness(w, k) - eb) / eb : 0;
    f->share[k] *= 1 + clamp(g, -0.9, 10);
  }
  reduce_blocks(n, (size_t)w->ni, goods_shares, w, total, w->scratch, w->threads);
#pragma omp parallel for schedule(static) num_threads(w->threads) default(none)                    \
    shared(w, f, n, total)
  for (size_t k = 0; k < n; k++) {
    if (!f->alive[k]) continue;
    double t = total[f->ind[k]];
    f->share[k] = t > 0 ? f->share[k] / t : 0;
    f->demand[k] = f->share[k] * w->ind[f->ind[k]].final_demand;
  }
}
