/* Markets on hand-built worlds with known answers: supply-chain rationing,
 * External capacity, credit limits and rationing, labour pools, replicator
 * shares. */
#include <criterion/criterion.h>
#include <math.h>

#include "agents/firm.h"
#include "agents/government.h"
#include "sim/market.h"
#include "sim/step.h"
#include "support/testutil.h"
#include "support/tiny.h"

static tu_world *tiny(void) {
  tu_world *t = tu_make_text(TINY_YAML, 1, NULL);
  cr_assert_eq(t->w->f.n, 4);
  cr_assert_eq(t->w->f.ind[TINY_DOWN0], 1);
  return t;
}

/* Both down firms buy from up0; up0 holds 60 and is asked for 50 + 30. */
static void two_buyers_one_supplier(world *w) {
  firm_soa *f = &w->f;
  f->supplier[TINY_DOWN0 * f->nslot] = TINY_UP0;
  f->supplier[TINY_DOWN1 * f->nslot] = TINY_UP0;
  cr_assert_eq(world_index(w), 0);
  f->order[TINY_DOWN0 * f->nslot] = 50;
  f->order[TINY_DOWN1 * f->nslot] = 30;
  f->inventory[TINY_UP0] = 60;
  f->inventory[TINY_UP1] = 100;
  f->price[TINY_UP0] = 2;
}

Test(supply, supplier_rations_stock_pro_rata) {
  tu_world *t = tiny();
  world *w = t->w;
  firm_soa *f = &w->f;
  two_buyers_one_supplier(w);
  double cash_up = f->cash[TINY_UP0], cash_d0 = f->cash[TINY_DOWN0];
  double stock_d0 = f->input_stock[TINY_DOWN0 * WORLD_MAX_INPUTS];
  double *pipe = &f->pipe[TINY_DOWN0 * f->npipe]; /* lead time 1: one step in transit */
  double arriving = pipe[0];
  market_supply(w);
  cr_assert_float_eq(f->orders_in[TINY_UP0], 80, 1e-9);
  cr_assert_float_eq(f->fill[TINY_UP0], 0.75, 1e-12);
  cr_assert_float_eq(f->shipped[TINY_UP0], 60, 1e-9);
  cr_assert_float_eq(f->inventory[TINY_UP0], 0, 1e-9);
  cr_assert_float_eq(f->got[TINY_DOWN0 * f->nslot], 37.5, 1e-9);
  cr_assert_float_eq(f->got[TINY_DOWN1 * f->nslot], 22.5, 1e-9);
  cr_assert_float_eq(pipe[0], 37.5, 1e-9, "this step's delivery is in transit");
  cr_assert_float_eq(f->input_stock[TINY_DOWN0 * WORLD_MAX_INPUTS] - stock_d0, arriving, 1e-9,
                     "what was shipped a lead time ago arrives");
  cr_assert_float_eq(f->cash[TINY_UP0] - cash_up, 120, 1e-6, "supplier paid price x shipped");
  cr_assert_float_eq(cash_d0 - f->cash[TINY_DOWN0], 75, 1e-6, "buyer pays price x received");
  cr_assert_float_eq(f->orders_in[TINY_UP1], 0, 0);
  cr_assert_float_eq(f->fill[TINY_UP1], 1, 0, "a supplier without orders has fill 1");
  tu_free(&t);
}

Test(supply, enough_stock_serves_everyone) {
  tu_world *t = tiny();
  firm_soa *f = &t->w->f;
  two_buyers_one_supplier(t->w);
  f->inventory[TINY_UP0] = 500;
  market_supply(t->w);
  cr_assert_float_eq(f->fill[TINY_UP0], 1, 0);
  cr_assert_float_eq(f->inventory[TINY_UP0], 420, 1e-9);
  tu_free(&t);
}

Test(supply, external_capacity_rations_external_orders) {
  tu_world *t = tiny();
  world *w = t->w;
  firm_soa *f = &w->f;
  f->supplier[TINY_DOWN0 * f->nslot] = SLOT_EXTERNAL;
  f->supplier[TINY_DOWN1 * f->nslot] = SLOT_EXTERNAL;
  cr_assert_eq(world_index(w), 0);
  f->order[TINY_DOWN0 * f->nslot] = 40;
  f->order[TINY_DOWN1 * f->nslot] = 60;
  w->ind[0].ext_capacity = 25;
  double ext0 = w->acc[ACC_EXTERNAL];
  market_supply(w);
  cr_assert_float_eq(w->ind[0].ext_orders, 100, 1e-9);
  cr_assert_float_eq(w->ind[0].ext_fill, 0.25, 1e-12);
  cr_assert_float_eq(f->got[TINY_DOWN0 * f->nslot], 10, 1e-9);
  cr_assert_float_eq(f->ext_input[TINY_DOWN1], 15, 1e-9);
  double logistics = w->reg[0].logistics;
  cr_assert_float_eq(f->logistics[TINY_DOWN0], 10 * logistics, 1e-9,
                     "logistics premium on External inputs");
  cr_assert_float_eq(w->acc[ACC_EXTERNAL] - ext0, 25 * (1 + logistics), 1e-6, "External is paid");
  tu_free(&t);
}

Test(production, leontief_scarcest_input_limits_output) {
  tu_world *t = tiny();
  world *w = t->w;
  firm_soa *f = &w->f;
  size_t k = TINY_DOWN0;
  f->input_stock[k * WORLD_MAX_INPUTS] = 10; /* coef 0.3 -> at most 33.33 */
  f->target[k] = 100;
  f->capital[k] *= 100; /* capacity is not the constraint */
  f->skilled[k] *= 100;
  f->unskilled[k] *= 100;
  f->demand[k] = f->orders_in[k] = f->shipped[k] = 0;
  firm_produce(w, k);
  cr_assert_float_eq(f->output[k], 10 / 0.3, 1e-9);
  cr_assert_float_eq(f->input_stock[k * WORLD_MAX_INPUTS], 0, 1e-9, "inputs used up");
  tu_free(&t);
}

Test(production, final_and_intermediate_customers_rationed_pro_rata) {
  tu_world *t = tiny();
  world *w = t->w;
  firm_soa *f = &w->f;
  size_t k = TINY_UP0; /* no inputs: output limited by target and capacity */
  f->inventory[k] = 0;
  f->target[k] = 40;
  f->capital[k] *= 100, f->skilled[k] *= 100, f->unskilled[k] *= 100;
  f->demand[k] = 60, f->orders_in[k] = 20, f->shipped[k] = 0;
  double price = f->price[k]; /* sales happen at the price set last step */
  firm_produce(w, k);
  cr_assert_float_eq(f->output[k], 40, 1e-9);
  /* 40 available for claims 60 + 20: final buyers get 40 x 60/80 = 30 */
  cr_assert_float_eq(f->sales_final[k] / price, 30, 1e-6);
  cr_assert_float_eq(f->inventory[k], 10, 1e-6, "the rest is kept for intermediate orders");
  tu_free(&t);
}

Test(credit, limit_from_physical_collateral) {
  tu_world *t = tiny();
  world *w = t->w;
  firm_soa *f = &w->f;
  size_t k = TINY_UP0;
  f->capital[k] = 1000, f->legacy[k] = 0.4, f->inventory[k] = 100, f->price[k] = 2,
  f->debt[k] = 100;
  double ltv = t->scn.market.collateral_ltv;
  /* ltv x (K (1 - legacy/2) + inventory x price) - debt */
  cr_assert_float_eq(market_credit_limit(w, k), ltv * (1000 * 0.8 + 200) - 100, 1e-9);
  f->debt[k] = 1e9;
  cr_assert_float_eq(market_credit_limit(w, k), 0, 0, "never negative");
  tu_free(&t);
}

Test(credit, bank_capacity_rations_proportionally) {
  tu_world *t = tiny();
  world *w = t->w;
  firm_soa *f = &w->f;
  for (size_t k = 0; k < 4; k++) f->credit_req[k] = 0, f->debt[k] = 0, f->capital[k] = 1e12;
  f->credit_req[0] = 100, f->credit_req[1] = 300;
  w->debt0 = 200 / t->scn.market.bank_capacity; /* capacity 200 per step ... */
  double k_total = 0;
  for (size_t k = 0; k < 4; k++) k_total += f->capital[k];
  w->capital0 = k_total; /* ... at the initial capital stock */
  double bank = w->acc[ACC_BANK], cash0 = f->cash[0];
  market_credit(w);
  cr_assert_float_eq(f->credit_got[0], 50, 1e-9);
  cr_assert_float_eq(f->credit_got[1], 150, 1e-9);
  cr_assert_float_eq(f->cash[0] - cash0, 50, 1e-6);
  cr_assert_float_eq(f->debt[1], 150, 1e-9);
  cr_assert_float_eq(bank - w->acc[ACC_BANK], 200, 1e-6, "the bank pays out what it grants");
  tu_free(&t);
}

Test(labour, hires_never_exceed_the_pool) {
  tu_world *t = tiny();
  world *w = t->w;
  firm_soa *f = &w->f;
  region_state *r = &w->reg[0];
  double emp0 = 0;
  for (size_t k = 0; k < 4; k++) emp0 += f->skilled[k];
  r->pool_s = 10;
  r->force_s = emp0 + 10;
  for (size_t k = 0; k < 4; k++) f->vac_s[k] = 0, f->vac_u[k] = 0;
  f->vac_s[0] = 20, f->vac_s[1] = 10; /* 30 vacancies, 10 unemployed */
  market_labour(w);
  cr_assert_float_eq(r->fill_s, 1.0 / 3.0, 1e-12);
  double emp = 0;
  for (size_t k = 0; k < 4; k++) emp += f->skilled[k];
  cr_assert_float_eq(emp - emp0, 10, 1e-9, "exactly the pool is hired");
  cr_assert_geq(r->pool_s, 0);
  tu_free(&t);
}

Test(labour, layoffs_return_to_the_pool) {
  tu_world *t = tiny();
  world *w = t->w;
  firm_soa *f = &w->f;
  region_state *r = &w->reg[0];
  for (size_t k = 0; k < 4; k++) f->vac_s[k] = 0, f->vac_u[k] = 0;
  double pool = r->pool_u, before = f->unskilled[2];
  f->vac_u[2] = -5;
  market_labour(w);
  cr_assert_float_eq(before - f->unskilled[2], 5, 1e-9);
  /* the pool gains the 5 laid off plus the step's inflow from other sectors */
  cr_assert_geq(r->pool_u, pool + 5 - 1e-9);
  tu_free(&t);
}

Test(goods, replicator_shares_sum_to_one_and_favour_competitiveness) {
  tu_world *t = tiny();
  world *w = t->w;
  firm_soa *f = &w->f;
  f->price[TINY_DOWN0] = 0.9, f->price[TINY_DOWN1] = 1.1;
  f->share[TINY_DOWN0] = f->share[TINY_DOWN1] = 0.5;
  market_goods(w);
  cr_assert_float_eq(f->share[TINY_DOWN0] + f->share[TINY_DOWN1], 1, 1e-12);
  cr_assert_float_eq(f->share[TINY_UP0] + f->share[TINY_UP1], 1, 1e-12);
  cr_assert_gt(f->share[TINY_DOWN0], 0.5, "the cheaper firm gains share");
  /* known answer: s' = s (1 + chi (E - Ebar)/Ebar), normalised */
  double e0 = market_competitiveness(w, TINY_DOWN0), e1 = market_competitiveness(w, TINY_DOWN1);
  double eb = 0.5 * e0 + 0.5 * e1, chi = t->scn.market.replicator_chi;
  double s0 = 0.5 * (1 + chi * (e0 - eb) / eb), s1 = 0.5 * (1 + chi * (e1 - eb) / eb);
  cr_assert_float_eq(f->share[TINY_DOWN0], s0 / (s0 + s1), 1e-12);
  cr_assert_float_eq(f->demand[TINY_DOWN0], f->share[TINY_DOWN0] * w->ind[1].final_demand, 1e-6);
  tu_free(&t);
}

/* A delivery shipped at step t enters the input stock at step t + L. */
Test(supply, deliveries_arrive_after_the_lead_time) {
  const char *sets[] = {"firm.lead_time=2", NULL};
  tu_world *t = tu_make_text(TINY_YAML, 1, sets);
  world *w = t->w;
  firm_soa *f = &w->f;
  size_t k = TINY_DOWN0;
  f->supplier[k * f->nslot] = TINY_UP0;
  f->supplier[TINY_DOWN1 * f->nslot] = TINY_UP1;
  cr_assert_eq(world_index(w), 0);
  double *stock = &f->input_stock[k * WORLD_MAX_INPUTS];
  double got[4] = {0};
  for (int step = 0; step < 4; step++) {
    w->step = step;
    f->order[k * f->nslot] = 10 + step; /* distinct quantities per step */
    f->inventory[TINY_UP0] = 1000;
    double before = *stock;
    market_supply(w);
    got[step] = f->got[k * f->nslot];
    double arrived = *stock - before;
    if (step >= 2) cr_assert_float_eq(arrived, got[step - 2], 1e-9, "step %d", step);
  }
  cr_assert_float_eq(got[3], 13, 1e-9);
  tu_free(&t);
}

/* Data-asset pledging adds LTV x data assets to the limit, only while the
 * lever is active and targets the firm. */
Test(credit, pledged_data_assets_raise_the_limit_in_window_only) {
  const char *sets[] = {"government.data_pledge.enabled=true", "government.data_pledge.start=2",
                        "government.data_pledge.end=3", "government.data_pledge.intensity=0.5",
                        NULL};
  tu_world *t = tu_make_text(TINY_YAML, 1, sets);
  world *w = t->w;
  size_t k = TINY_UP0;
  w->f.data[k] = 1000;
  double base[6];
  for (int step = 0; step < 6; step++) {
    w->step = step;
    step_environment(w);
    base[step] = market_credit_limit(w, k);
  }
  cr_assert_float_eq(base[2] - base[1], 500, 1e-6, "0.5 x 1000 of data assets");
  cr_assert_float_eq(base[3] - base[0], 500, 1e-6);
  cr_assert_float_eq(base[4], base[0], 1e-9, "no effect after the window");
  tu_free(&t);
}

/* Tiny world with data pledging on (0.02 CNY of compensation per CNY),
 * no credit requested, and firm TINY_UP0 without physical collateral (only
 * DATA CNY of data assets back its credit) asking for REQUEST. */
static tu_world *pledge_world(double data, double request) {
  const char *sets[] = {"government.data_pledge.enabled=true",
                        "government.data_pledge.unit_cost=0.02", NULL};
  tu_world *t = tu_make_text(TINY_YAML, 1, sets);
  firm_soa *f = &t->w->f;
  step_environment(t->w);
  for (size_t k = 0; k < 4; k++) f->credit_req[k] = 0;
  size_t k = TINY_UP0;
  f->debt[k] = f->capital[k] = f->inventory[k] = 0;
  f->data[k] = data;
  f->credit_req[k] = request;
  return t;
}

Test(credit, pledged_credit_is_recorded_and_paid_from_the_budget) {
  tu_world *t = pledge_world(1000, 300);
  world *w = t->w;
  firm_soa *f = &w->f;
  size_t k = TINY_UP0;
  w->debt0 = 1e15; /* the bank is not the constraint */
  double gov = w->gov.cash;
  market_credit(w);
  cr_assert_float_eq(f->credit_got[k], 300, 1e-9);
  cr_assert_float_eq(f->credit_data[k], 300, 1e-9, "all of it backed by data assets");
  cr_assert_float_eq(gov - w->gov.cash, 300 * 0.02, 1e-9, "risk compensation paid");
  cr_assert_float_eq(w->gov.spend[LEVER_DATA_PLEDGE], 6, 1e-9);
  tu_free(&t);
}

/* The pledging budget binds on the pledged credit the bank grants after
 * rationing, not on the requests: one firm asks 300 against data assets
 * only, another 300 against physical collateral, the bank can lend 300
 * (ratio 0.5 before the cut) and the budget pays the compensation of 100
 * CNY of pledged credit. keep = 100 x 300 / (300 x (300 - 100)) = 0.5:
 * requests 150 + 300, ratio 2/3, pledged credit granted 100, the whole
 * budget spent, and the compensation of the 50 more CNY the bank would have
 * granted recorded as cut. */
Test(credit, pledging_budget_binds_on_credit_granted_after_rationing) {
  tu_world *t = pledge_world(1e6, 300);
  world *w = t->w;
  firm_soa *f = &w->f;
  size_t a = TINY_UP0, b = TINY_UP1;
  f->debt[b] = 0, f->capital[b] = 1e6; /* ample physical room */
  f->credit_req[b] = 300;
  double capital = 0;
  for (size_t k = 0; k < 4; k++) capital += f->capital[k];
  w->capital0 = capital, w->credit_mult = 1;
  w->debt0 = 300 / t->scn.market.bank_capacity; /* the bank can lend 300 */
  double budget_left = 100 * 0.02;              /* CNY: the compensation of 100 pledged */
  w->gov.spend[LEVER_DATA_PLEDGE] = government_step_budget(w, LEVER_DATA_PLEDGE) - budget_left;
  w->gov.cut[LEVER_DATA_PLEDGE] = 0;
  market_credit(w);
  cr_assert_float_eq(f->credit_data[a], 100, 1e-9, "pledged credit granted = what the budget pays");
  cr_assert_float_eq(f->credit_got[a], 100, 1e-9);
  cr_assert_float_eq(f->credit_got[b], 200, 1e-9, "the bank lends what the cut request freed");
  cr_assert_float_eq(government_budget_left(w, LEVER_DATA_PLEDGE), 0, 1e-12, "budget spent");
  cr_assert_float_eq(w->gov.cut[LEVER_DATA_PLEDGE], 0.02 * 50, 1e-9);
  tu_free(&t);
}

/* Spot purchases: what a local supplier cannot deliver is bought from
 * External (share spot_external) within the capacity left by the regular
 * External orders, at the External price plus logistics. */
Test(supply, local_shortfall_bought_spot_from_external) {
  const char *sets[] = {"market.spot_external=1", NULL};
  tu_world *t = tu_make_text(TINY_YAML, 1, sets);
  world *w = t->w;
  firm_soa *f = &w->f;
  two_buyers_one_supplier(w);  /* up0 holds 60 for orders of 50 + 30: fill 0.75 */
  w->ind[0].ext_capacity = 10; /* room for half of the 20 short */
  market_supply(w);
  cr_assert_float_eq(w->ind[0].spot_fill, 0.5, 1e-12);
  cr_assert_float_eq(f->got[TINY_DOWN0 * f->nslot], 37.5 + 12.5 * 0.5, 1e-9);
  cr_assert_float_eq(f->ext_input[TINY_DOWN0], 12.5 * 0.5, 1e-9,
                     "the spot part counts as External");
  tu_free(&t);
}
