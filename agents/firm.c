/* firm: the firm's decision rules and its own accounting (MODEL.md s.3).
 *
 * Invariants: every function here writes only the slot(s) of the firm it is
 * given; reads of other firms go through previous-step snapshots (tfp_prev)
 * or through values a completed gather wrote (fill, price of suppliers);
 * every CNY a firm pays or receives is mirrored by the named counterpart
 * (another firm, or an external account settled in sim/market.c and
 * sim/step.c). Quantities are CNY at base prices; money is CNY.
 */
#include "agents/firm.h"

#include <math.h>

#include "agents/government.h"
#include "base/dist.h"

#define EPS           1e-9
#define RD_EFFORT_MAX 30.0 /* cap on R&D effort, % of sales */

static const scn_industry *ind_of(const world *w, size_t k) {
  return &w->scn->industries[w->f.ind[k]];
}

/* Automated capital (own capital at its automated share, rented
 * shared-factory lines at the firm's D) performs a share
 * automation_substitution x a of the unskilled tasks: unskilled workers
 * per unskilled task, in [0.1, 1]. */
double firm_unskilled_need(const world *w, size_t k) {
  const firm_soa *f = &w->f;
  double own = f->capital[k], rented = f->rented[k];
  double a = own + rented > EPS ? (f->autom[k] * own + f->digital[k] * rented) / (own + rented) : 0;
  return 1 - w->scn->firm.automation_substitution * a;
}

double firm_unit_wage(const world *w, size_t k) {
  double s = ind_of(w, k)->skill_share;
  const region_state *r = &w->reg[w->f.reg[k]];
  return s * r->wage_s + (1 - s) * firm_unskilled_need(w, k) * r->wage_u;
}

double firm_labour_input(const world *w, size_t k) {
  return w->f.skilled[k] + w->f.unskilled[k] / firm_unskilled_need(w, k);
}

double firm_tfp_effective_base(const world *w, size_t k) {
  return w->f.tfp[k] * exp(ind_of(w, k)->digital_elasticity * w->f.digital[k]);
}

static double tfp_output_units(const world *w, size_t k) {
  return w->ind[w->f.ind[k]].tfp_scale * firm_tfp_effective_base(w, k);
}

double firm_capacity(const world *w, size_t k, double labour) {
  double a = ind_of(w, k)->capital_elasticity;
  double capital = w->f.capital[k] + w->f.rented[k]; /* own plus shared-factory capacity */
  if (labour <= 0 || capital <= 0) return 0;
  return tfp_output_units(w, k) * pow(capital, a) * pow(labour, 1 - a);
}

double firm_labour_for(const world *w, size_t k, double q) {
  double a = ind_of(w, k)->capital_elasticity;
  double base = tfp_output_units(w, k) * pow(w->f.capital[k] + w->f.rented[k] + EPS, a);
  if (q <= 0 || base <= 0) return 0;
  return pow(q / base, 1 / (1 - a));
}

int firm_slot_input(const world *w, size_t s) {
  return (int)(s / (size_t)w->scn->firm.supplier_slots);
}

/* ---- supplier links ----------------------------------------------------- */

/* Belt weight of chain master K (1 for other firms). */
double firm_master_belt(const world *w, size_t k) {
  const scenario *s = w->scn;
  if (!w->f.master[k]) return 1;
  for (int m = 0; m < s->n_chain_masters; m++)
    if (scn_industry_index(s, s->chain_masters[m].industry) == w->f.ind[k] &&
        scn_region_index(s, s->chain_masters[m].region) == w->f.reg[k])
      return s->chain_masters[m].belt;
  return 1;
}

int firm_pick_supplier(world *w, size_t k, int j) {
  rng_t *r = &w->f.rng[k];
  double ext = ind_of(w, k)->external_share;
  if (dist_bernoulli(r, ext)) return SLOT_EXTERNAL;
  double bias = w->scn->market.local_bias * firm_master_belt(w, k);
  long s = world_pick_firm(w, w->cum_w, j, w->f.reg[k], bias, r);
  return s >= 0 && (size_t)s != k ? (int)s : SLOT_EXTERNAL;
}

static void update_local_share(world *w, size_t k) {
  firm_soa *f = &w->f;
  int used = 0, local = 0;
  for (size_t s = 0; s < f->nslot; s++) {
    int32_t sup = f->supplier[k * f->nslot + s];
    used += sup != SLOT_UNUSED;
    local += sup >= 0;
  }
  f->local_inputs[k] = used ? (double)local / used : 1.0;
}

void firm_assign_links(world *w, size_t k) {
  firm_soa *f = &w->f;
  const industry_state *is = &w->ind[f->ind[k]];
  for (size_t s = 0; s < f->nslot; s++) {
    int m = firm_slot_input(w, s);
    f->supplier[k * f->nslot + s] =
        m < is->n_inputs ? firm_pick_supplier(w, k, is->input[m]) : SLOT_UNUSED;
  }
  update_local_share(w, k);
}

void firm_init_links(world *w) {
  for (size_t k = 0; k < w->f.n; k++) firm_assign_links(w, k);
}

/* External capacity per industry: a multiple of the initial External orders. */
void firm_init_external_capacity(world *w) {
  firm_soa *f = &w->f;
  double ext[WORLD_MAX_INDUSTRIES] = {0};
  int slots = w->scn->firm.supplier_slots;
  for (size_t k = 0; k < f->n; k++) {
    const industry_state *is = &w->ind[f->ind[k]];
    for (size_t s = 0; s < f->nslot; s++) {
      int m = firm_slot_input(w, s);
      if (f->supplier[k * f->nslot + s] == SLOT_EXTERNAL)
        ext[is->input[m]] += is->coef[m] * f->output[k] / slots;
    }
  }
  for (int i = 0; i < w->ni; i++) {
    double base = ext[i] > 0 ? ext[i] : w->ind[i].demand0 * 0.1;
    w->ind[i].ext_capacity0 = w->scn->market.external_capacity * base;
    w->ind[i].ext_capacity = w->ind[i].ext_capacity0;
  }
}

/* ---- phase 3: plans ----------------------------------------------------- */

static double forecast_demand(world *w, size_t k, double observed) {
  const scn_firm_params *p = &w->scn->firm;
  firm_soa *f = &w->f;
  double *h = f->hist + k * WORLD_HIST;
  h[w->step % WORLD_HIST] = observed;
  if (p->forecast == SCN_FORECAST_ES)
    return f->forecast[k] + p->smoothing * (observed - f->forecast[k]);
  int n = p->forecast_window; /* history is pre-filled at birth */
  double s = 0;
  for (int i = 0; i < n; i++) s += h[((w->step - i) % WORLD_HIST + WORLD_HIST) % WORLD_HIST];
  return s / n;
}

/* Workforce for output Q, within the hiring and layoff speed limits. */
static void plan_labour(world *w, size_t k, double q) {
  const scn_firm_params *p = &w->scn->firm;
  firm_soa *f = &w->f;
  double s = ind_of(w, k)->skill_share;
  double now = firm_labour_input(w, k);
  double l = firm_labour_for(w, k, q);
  /* an entrant hires its founding workforce at once; others grow or
   * shrink at most at the hiring and layoff rates */
  double hi = f->age[k] == 0 ? l : now * (1 + p->hire_rate) + 1, lo = now * (1 - p->layoff_rate);
  l = l > hi ? hi : (l < lo ? lo : l);
  f->vac_s[k] = l * s - f->skilled[k];
  f->vac_u[k] = l * (1 - s) * firm_unskilled_need(w, k) - f->unskilled[k];
}

/* Inputs of position M in transit (shipped, not yet arrived). */
static double in_transit(const world *w, size_t k, int m) {
  int lead = w->scn->firm.lead_time;
  const double *p = w->f.pipe + k * w->f.npipe + (size_t)(m * lead);
  double s = 0;
  for (int l = 0; l < lead; l++) s += p[l];
  return s;
}

/* Split NEED of input position M evenly over its supplier slots. (Splitting
 * by supplier size concentrated orders on the largest suppliers and left
 * more demand unserved; large buyers instead rewire toward larger
 * suppliers, see sim/demography.c.) */
static void split_order(world *w, size_t k, int m, double need) {
  firm_soa *f = &w->f;
  int slots = w->scn->firm.supplier_slots;
  size_t base = k * f->nslot + (size_t)(m * slots);
  for (int sl = 0; sl < slots; sl++) f->order[base + (size_t)sl] = need / slots;
}

void firm_set_order(world *w, size_t k, int m, double quantity) {
  split_order(w, k, m, quantity);
}

/* Orders per input, order-up-to on the inventory position (stock plus in
 * transit): what output Q uses plus a share 1/stock_adjust of the gap to
 * the target position (input_cover + lead_time steps of use), split over
 * the input's supplier slots by split_order. */
static void plan_orders(world *w, size_t k, double q) {
  const scn_firm_params *p = &w->scn->firm;
  firm_soa *f = &w->f;
  const industry_state *is = &w->ind[f->ind[k]];
  for (int m = 0; m < is->n_inputs; m++) {
    double position = f->input_stock[k * WORLD_MAX_INPUTS + (size_t)m] + in_transit(w, k, m);
    double want = is->coef[m] * f->forecast[k] * (p->input_cover + p->lead_time);
    double need = is->coef[m] * q + (want - position) / p->stock_adjust;
    split_order(w, k, m, need > 0 ? need : 0);
  }
}

/* Share r of a subsidised total the government pays (capped below 1). */
static double lever_rate(const world *w, int id) {
  double r = scn_lever_get(w->scn, id)->intensity;
  return r > 0.95 ? 0.95 : r;
}

/* Lever claims for this step, scaled to the budgets by the government
 * before phase 5: the compute network and the green fund top the firm's own
 * digital and green spending up by r/(1-r) (they pay a share r of the
 * total); a shared factory rents small firms (below the industry's mean
 * output) a share `intensity` of their capital need, which they then do not
 * invest in; the lever pays its operator unit_cost per CNY-year rented. */
static void plan_levers(world *w, size_t k, double *k_target) {
  firm_soa *f = &w->f;
  double *claim = f->sub_claim + k * NSUB;
  int r = f->reg[k], i = f->ind[k];
  double rc = lever_rate(w, LEVER_COMPUTE), rg = lever_rate(w, LEVER_GREEN);
  claim[SUB_COMPUTE] =
      government_lever_applies(w, LEVER_COMPUTE, r, i) ? f->dig_inv[k] * rc / (1 - rc) : 0;
  claim[SUB_GREEN] =
      government_lever_applies(w, LEVER_GREEN, r, i) ? f->green[k] * rg / (1 - rg) : 0;
  f->rented[k] = claim[SUB_SHARED] = 0;
  if (government_lever_applies(w, LEVER_SHARED_FACTORY, r, i) &&
      f->output[k] < w->ind[i].mean_output) {
    const scn_lever *l = &w->scn->government.shared_factory;
    f->rented[k] = l->intensity * *k_target;
    *k_target -= f->rented[k];
    claim[SUB_SHARED] = l->unit_cost * f->rented[k] / w->spy;
  }
}

static void plan_spending(world *w, size_t k) {
  const scn_firm_params *p = &w->scn->firm;
  firm_soa *f = &w->f;
  const scn_industry *si = ind_of(w, k);
  double k_target = si->capital_output * f->forecast[k] * w->spy;
  f->dig_inv[k] = p->digital_invest * f->sales[k];
  f->green[k] = p->green_invest * f->sales[k];
  plan_levers(w, k, &k_target);
  double gap = k_target - f->capital[k];
  double dep = world_per_step(w, p->depreciation) * f->capital[k];
  f->invest[k] = dep + (gap > 0 ? p->investment_speed * gap : 0);
  f->rd[k] = si->rd_share * f->sales[k];
  double outlays = f->invest[k] + f->rd[k] + f->dig_inv[k] + f->green[k];
  double spare = f->cash[k] - f->wages[k] - f->input_cost[k];
  f->credit_req[k] = outlays > spare ? outlays - spare : 0;
}

/* Order-up-to: produce the forecast plus a share of the gap to the target
 * stock (lead time + safety stock), within reach of the workforce. */
void firm_plan(world *w, size_t k) {
  const scn_firm_params *p = &w->scn->firm;
  firm_soa *f = &w->f;
  /* a newborn firm has seen no demand yet: it plans on its founding forecast */
  double observed = f->age[k] == 0 ? f->forecast[k] : f->demand[k] + f->orders_in[k];
  f->forecast[k] = forecast_demand(w, k, observed);
  double stock_target = f->forecast[k] * (p->lead_time + p->safety_stock);
  double q = f->forecast[k] + (stock_target - f->inventory[k]) / p->stock_adjust;
  double reach = firm_capacity(w, k, firm_labour_input(w, k) * (1 + p->hire_rate) + 1);
  if (q > reach && f->age[k] > 0) q = reach; /* an entrant plans its founding output */
  f->target[k] = q > 0 ? q : 0;
  plan_labour(w, k, f->target[k]);
  plan_orders(w, k, f->target[k]);
  plan_spending(w, k);
}

/* ---- phase 4: inputs received ------------------------------------------- */

/* Deliveries of this step enter the pipeline; those shipped lead_time steps
 * ago arrive in the input stock (lead time 0: they arrive at once). */
static void deliver(world *w, size_t k, int m, double shipped) {
  firm_soa *f = &w->f;
  int lead = w->scn->firm.lead_time;
  double *stock = &f->input_stock[k * WORLD_MAX_INPUTS + (size_t)m];
  if (lead == 0) {
    *stock += shipped;
    return;
  }
  double *slot = &f->pipe[k * f->npipe + (size_t)(m * lead + w->step % lead)];
  *stock += *slot;
  *slot = shipped;
}

void firm_receive_inputs(world *w, size_t k) {
  firm_soa *f = &w->f;
  double received[WORLD_MAX_INPUTS] = {0};
  const scn_market_params *mp = &w->scn->market;
  const industry_state *is = &w->ind[f->ind[k]];
  double local = 0, ext = 0;
  for (size_t s = 0; s < f->nslot; s++) {
    size_t i = k * f->nslot + s;
    int32_t sup = f->supplier[i];
    if (sup == SLOT_UNUSED) continue;
    int m = firm_slot_input(w, s);
    if (sup == SLOT_EXTERNAL) {
      f->got[i] = f->order[i] * w->ind[is->input[m]].ext_fill;
      ext += f->got[i];
    } else { /* local delivery, plus a spot purchase from External for the shortfall */
      double spot = f->order[i] * (1 - f->fill[sup]) * w->ind[is->input[m]].spot_fill;
      f->got[i] = f->order[i] * f->fill[sup] + spot;
      local += (f->got[i] - spot) * f->price[sup];
      ext += spot;
    }
    received[m] += f->got[i];
  }
  for (int m = 0; m < is->n_inputs; m++) deliver(w, k, m, received[m]);
  f->ext_input[k] = ext;
  f->logistics[k] = ext * mp->external_price * w->reg[f->reg[k]].logistics;
  f->input_cost[k] = local + ext * mp->external_price + f->logistics[k];
  f->cash[k] -= f->input_cost[k];
}

/* ---- phase 5: production and accounting ---------------------------------- */

/* Output feasible with the input stocks: the scarcest input binds (Leontief). */
static double input_limit(const world *w, size_t k) {
  const firm_soa *f = &w->f;
  const industry_state *is = &w->ind[f->ind[k]];
  double lim = INFINITY;
  for (int m = 0; m < is->n_inputs; m++) {
    double q = f->input_stock[k * WORLD_MAX_INPUTS + (size_t)m] / is->coef[m];
    if (q < lim) lim = q;
  }
  return lim;
}

static void use_inputs(world *w, size_t k, double q) {
  firm_soa *f = &w->f;
  const industry_state *is = &w->ind[f->ind[k]];
  for (int m = 0; m < is->n_inputs; m++) {
    double *st = &f->input_stock[k * WORLD_MAX_INPUTS + (size_t)m];
    *st -= is->coef[m] * q;
    if (*st < 0) *st = 0; /* rounding only: q <= stock / coef */
  }
  f->other_cost[k] = is->other_share * q;
}

static void produce_and_sell(world *w, size_t k) {
  firm_soa *f = &w->f;
  double cap = firm_capacity(w, k, firm_labour_input(w, k));
  double q = f->target[k];
  if (cap < q) q = cap;
  double lim = input_limit(w, k);
  if (lim < q) q = lim;
  f->output[k] = q;
  use_inputs(w, k, q);
  f->inventory[k] += q;
  /* Proportional rationing between final demand and intermediate customers
   * (Hallegatte 2008): when stock cannot cover both, final buyers get their
   * pro-rata share and the rest is kept for the orders of the next step. */
  double claims = f->demand[k] + f->orders_in[k];
  double final =
      claims <= f->inventory[k] ? f->demand[k] : f->inventory[k] * f->demand[k] / (claims + EPS);
  if (final > f->inventory[k]) final = f->inventory[k]; /* rounding */
  f->inventory[k] -= final;
  f->unfilled[k] = (f->demand[k] - final) + (f->orders_in[k] - f->shipped[k]);
  double asked = f->demand[k] + f->orders_in[k];
  double served = asked > EPS ? (final + f->shipped[k]) / asked : 1;
  f->reliability[k] = 0.8 * f->reliability[k] + 0.2 * served;
  double prev = f->sales[k];
  f->sales_final[k] = f->price[k] * final;
  f->sales[k] = f->sales_final[k] + f->price[k] * f->shipped[k];
  f->growth[k] = prev > EPS && f->sales[k] > EPS ? log(f->sales[k] / prev) : 0;
  f->value_added[k] = f->sales[k] - f->input_cost[k] - f->other_cost[k];
}

/* Innovation (own R&D) and imitation (of a random same-industry firm's
 * previous-step TFP), as in Dosi, Fagiolo and Roventini (2010). */
double firm_innovation_probability(const world *w, size_t k, int imitation) {
  const scn_firm_params *p = &w->scn->firm;
  const firm_soa *f = &w->f;
  double intensity = f->sales[k] > EPS ? 100 * f->rd[k] / f->sales[k] : 0; /* % of sales */
  if (intensity > RD_EFFORT_MAX) intensity = RD_EFFORT_MAX; /* a collapsing firm's R&D/sales */
  double effort = intensity * f->knowledge[k];
  if (imitation) return 1 - exp(-p->zeta_imitation * (1 - p->innovation_share) * effort);
  return 1 - exp(-p->zeta_innovation * p->innovation_share * effort);
}

void firm_innovate(world *w, size_t k) {
  const scn_firm_params *p = &w->scn->firm;
  firm_soa *f = &w->f;
  rng_t *r = &f->rng[k];
  f->innovated[k] = (uint8_t)dist_bernoulli(r, firm_innovation_probability(w, k, 0));
  if (f->innovated[k]) {
    double x = dist_beta_range(r, p->jump_a, p->jump_b, p->jump_lo, p->jump_hi);
    if (x > 0) f->tfp[k] *= 1 + x; /* a worse technology is not adopted */
  }
  f->imitated[k] = (uint8_t)dist_bernoulli(r, firm_innovation_probability(w, k, 1));
  if (f->imitated[k]) {
    int j = f->ind[k];
    size_t lo = w->ind_start[j], n = w->ind_start[j + 1] - lo;
    size_t other = n ? w->ind_firms[lo + rng_bounded(r, (uint32_t)n)] : k;
    if (f->tfp_prev[other] > f->tfp[k]) f->tfp[k] += 0.5 * (f->tfp_prev[other] - f->tfp[k]);
  }
  /* institute technologies: each licence offers a positive jump; the firm
   * adopts the best of them (technologies substitute, they do not stack) */
  double best = 0;
  for (int l = 0; l < f->licences[k]; l++) {
    double x = dist_beta_range(r, p->jump_a, p->jump_b, 0, p->jump_hi);
    if (x > best) best = x;
  }
  f->tfp[k] *= 1 + best;
  /* a stationed scientist (科学家驻企) raises absorptive capacity by the
   * lever's intensity per step and counts as an institute link */
  double sci = f->stationed[k] ? w->scn->government.scientists.intensity : 0;
  f->links[k] = 0.9 * f->links[k] + f->licences[k] + (f->stationed[k] ? 1.0 / w->spy : 0);
  double rd_norm = f->sales[k] > EPS ? f->rd[k] / f->sales[k] : 0;
  double digital = w->scn->firm.digital_absorption * f->digital[k]; /* digital tools in R&D */
  f->knowledge[k] =
      0.95 * f->knowledge[k] + 0.05 * (1 + 20 * rd_norm + (f->licences[k] > 0) + digital) + sci;
}

/* ESG rises with green investment (relative to sales) and decays without:
 * esg += (1 - esg) x gain x green/sales - esg x decay per step. */
static void green_up(world *w, size_t k) {
  const scn_firm_params *p = &w->scn->firm;
  firm_soa *f = &w->f;
  double g = f->sales[k] > EPS ? f->green[k] / f->sales[k] : 0;
  f->esg[k] += (1 - f->esg[k]) * p->esg_gain * g - f->esg[k] * world_per_step(w, p->esg_decay);
  if (f->esg[k] < 0) f->esg[k] = 0;
  if (f->esg[k] > 1) f->esg[k] = 1;
}

/* Capital: depreciation, legacy scrapping (legacy wears out twice as fast;
 * shared-factory users scrap it 1 + 2 x intensity times faster, at a scrap
 * cost cut by intensity, since rented modern capacity replaces it), and the
 * investment the budget allows. */
static void invest_capital(world *w, size_t k, double budget_share) {
  const scn_firm_params *p = &w->scn->firm;
  firm_soa *f = &w->f;
  double dep = world_per_step(w, p->depreciation);
  double old = f->capital[k] * f->legacy[k];
  double shared = f->rented[k] > 0 ? w->scn->government.shared_factory.intensity : 0;
  double scrapped = old * dep * (1 + 2 * shared);
  if (scrapped > old * (1 - dep)) scrapped = old * (1 - dep);
  f->capex[k] = f->invest[k] * budget_share;
  f->scrap[k] = scrapped * p->legacy_scrap_cost * (1 - shared);
  double kept = f->capital[k] * (1 - dep) - scrapped;
  /* new equipment is digitally controlled in the firm's share D; legacy
   * equipment never is */
  double automated = f->autom[k] * f->capital[k] * (1 - dep) + f->capex[k] * f->digital[k];
  f->capital[k] = kept + f->capex[k];
  double legacy_left = old * (1 - dep) - scrapped;
  f->legacy[k] = f->capital[k] > EPS && legacy_left > 0 ? legacy_left / f->capital[k] : 0;
  f->autom[k] = f->capital[k] > EPS ? automated / f->capital[k] : 0;
  if (f->autom[k] > 1 - f->legacy[k]) f->autom[k] = 1 - f->legacy[k]; /* rounding only */
}

static void digitalise(world *w, size_t k) {
  const scn_firm_params *p = &w->scn->firm;
  firm_soa *f = &w->f;
  const scn_industry *si = ind_of(w, k);
  double infra = w->reg[f->reg[k]].digital_infra;
  double cost = p->digital_cost * (f->capital[k] + EPS) * (1.5 - infra);
  f->digital[k] += (1 - f->digital[k]) * f->dig_inv[k] / cost;
  if (f->digital[k] > 1) f->digital[k] = 1;
  f->data[k] = f->data[k] * (1 - world_per_step(w, p->data_depreciation)) +
               si->data_intensity * f->digital[k] * f->sales[k];
  f->quality[k] += p->quality_feedback * f->digital[k] * (2 - f->quality[k]) / 2;
}

/* Interest with a spread rising in the default probability (Eurace@Unibi:
 * pd = 1 - exp(-0.1 debt/equity)). */
static void service_debt(world *w, size_t k) {
  const scn_market_params *mp = &w->scn->market;
  firm_soa *f = &w->f;
  double nw = firm_net_worth(w, k);
  double pd = nw > EPS ? 1 - exp(-0.1 * f->debt[k] / nw) : 1;
  f->interest[k] = f->debt[k] * world_per_step(w, mp->interest_rate + mp->spread * pd);
  f->repaid[k] = f->debt[k] * world_per_step(w, mp->repayment);
  f->debt[k] -= f->repaid[k];
}

/* Mark-up over the unit cost of normal output (the forecast): labour at
 * current TFP and wages, inputs at the prices last paid, other inputs,
 * depreciation. Realised shortfalls do not raise the normal unit cost. */
double firm_unit_cost(const world *w, size_t k) {
  const firm_soa *f = &w->f;
  const industry_state *is = &w->ind[f->ind[k]];
  double qn = f->forecast[k] > EPS ? f->forecast[k] : EPS;
  double labour = firm_unit_wage(w, k) / w->spy * firm_labour_for(w, k, qn) / qn;
  double got = 0;
  for (size_t s = 0; s < f->nslot; s++) got += f->got[k * f->nslot + s];
  double pin = got > EPS ? f->input_cost[k] / got : 1;
  double inputs = 0;
  for (int m = 0; m < is->n_inputs; m++) inputs += is->coef[m] * pin;
  double capital = (world_per_step(w, w->scn->firm.depreciation) * f->capital[k] + f->rent[k]) / qn;
  return labour + inputs + is->other_share + capital;
}

static void set_price(world *w, size_t k) {
  const scn_firm_params *p = &w->scn->firm;
  firm_soa *f = &w->f;
  if (f->forecast[k] <= EPS) return; /* no normal output to cost */
  /* demand pull: the mark-up rises with the share of demand left unserved */
  double pull = 1 + p->markup_response * (1 - f->reliability[k]);
  double target = (1 + ind_of(w, k)->markup) * pull * firm_unit_cost(w, k);
  f->price[k] += p->price_adjust * (target - f->price[k]);
  if (f->price[k] < 0.05) f->price[k] = 0.05;
}

/* Subsidies of this step (own slots): the compute-network and green-fund
 * top-ups at the budget-scaled rate, and the operator payment for the
 * shared capacity actually rented. SHARE is the firm's spending share. */
static void take_subsidies(world *w, size_t k, double share) {
  firm_soa *f = &w->f;
  const double *claim = f->sub_claim + k * NSUB;
  double *paid = f->sub_paid + k * NSUB;
  paid[SUB_COMPUTE] = claim[SUB_COMPUTE] * w->gov.sub_ratio[SUB_COMPUTE] * share;
  paid[SUB_GREEN] = claim[SUB_GREEN] * w->gov.sub_ratio[SUB_GREEN] * share;
  f->dig_inv[k] = f->dig_inv[k] * share + paid[SUB_COMPUTE];
  f->green[k] = f->green[k] * share + paid[SUB_GREEN];
}

/* Shared capacity actually rented (scaled to the lever's budget) and the
 * rent the firm pays for it: the user cost of capital (depreciation +
 * base interest) to the operator (External). */
static void rent_capacity(world *w, size_t k) {
  firm_soa *f = &w->f;
  double ratio = w->gov.sub_ratio[SUB_SHARED];
  f->rented[k] *= ratio;
  f->sub_paid[k * NSUB + SUB_SHARED] = f->sub_claim[k * NSUB + SUB_SHARED] * ratio;
  const scn_market_params *mp = &w->scn->market;
  f->rent[k] = f->rented[k] * world_per_step(w, w->scn->firm.depreciation + mp->interest_rate);
}

void firm_produce(world *w, size_t k) {
  firm_soa *f = &w->f;
  f->age[k]++;
  rent_capacity(w, k);
  produce_and_sell(w, k);
  f->wages[k] =
      (f->skilled[k] * w->reg[f->reg[k]].wage_s + f->unskilled[k] * w->reg[f->reg[k]].wage_u) /
      w->spy;
  service_debt(w, k);
  /* discretionary spending is cut to what cash after obligations allows */
  double cash = f->cash[k] + f->sales_final[k] - f->other_cost[k] - f->wages[k] - f->interest[k] -
                f->repaid[k] - f->rent[k];
  double wanted = f->invest[k] + f->rd[k] + f->dig_inv[k] + f->green[k];
  double share = wanted > EPS ? (cash > wanted ? 1 : (cash > 0 ? cash / wanted : 0)) : 1;
  f->rd[k] *= share;
  take_subsidies(w, k, share);
  double subsidy = f->sub_paid[k * NSUB + SUB_COMPUTE] + f->sub_paid[k * NSUB + SUB_GREEN];
  firm_innovate(w, k);
  green_up(w, k);
  invest_capital(w, k, share);
  digitalise(w, k);
  double dep = world_per_step(w, w->scn->firm.depreciation) * f->capital[k];
  double pre_tax = f->value_added[k] - f->wages[k] - f->interest[k] - f->rd[k] - f->dig_inv[k] -
                   f->green[k] - f->scrap[k] - f->rent[k] - dep + subsidy;
  f->tax[k] = pre_tax > 0 ? w->scn->government.profit_tax * pre_tax : 0;
  f->profit[k] = pre_tax - f->tax[k];
  f->cash[k] = cash - f->capex[k] - f->rd[k] - f->dig_inv[k] - f->green[k] - f->scrap[k] -
               f->tax[k] + subsidy;
  set_price(w, k);
}

double firm_net_worth(const world *w, size_t k) {
  const firm_soa *f = &w->f;
  return f->cash[k] + f->capital[k] + f->inventory[k] * f->price[k] - f->debt[k];
}
