/* Firm behaviour: innovation and imitation probabilities against their
 * formula, order-up-to planning, forecasting, pricing at normal cost. */
#include <criterion/criterion.h>
#include <math.h>

#include "agents/firm.h"
#include "support/testutil.h"
#include "support/tiny.h"

Test(firm, innovation_probability_matches_formula) {
  tu_world *t = tu_make_text(TINY_YAML, 1, NULL);
  world *w = t->w;
  size_t k = TINY_UP0;
  w->f.sales[k] = 1000, w->f.rd[k] = 30, w->f.knowledge[k] = 2; /* effort 3% x 2 = 6 */
  const scn_firm_params *p = &t->scn.firm;
  cr_assert_float_eq(firm_innovation_probability(w, k, 0),
                     1 - exp(-p->zeta_innovation * p->innovation_share * 6), 1e-15);
  cr_assert_float_eq(firm_innovation_probability(w, k, 1),
                     1 - exp(-p->zeta_imitation * (1 - p->innovation_share) * 6), 1e-15);
  w->f.rd[k] = 0;
  cr_assert_eq(firm_innovation_probability(w, k, 0), 0, "no R&D, no innovation");
  tu_free(&t);
}

/* Frequency of successes over many independent draws of the firm's own
 * stream: binomial sd = sqrt(p(1-p)/n); 5 sd gives a false-failure
 * probability below 1e-6 for a random seed (the seed here is fixed). */
Test(firm, innovation_frequency_matches_probability) {
  tu_world *t = tu_make_text(TINY_YAML, 1, NULL);
  world *w = t->w;
  size_t k = TINY_UP0;
  int n = 20000, hits = 0;
  double p = 0;
  for (int i = 0; i < n; i++) {
    w->f.sales[k] = 1000, w->f.rd[k] = 40, w->f.knowledge[k] = 1.5, w->f.licences[k] = 0;
    p = firm_innovation_probability(w, k, 0);
    firm_innovate(w, k);
    hits += w->f.innovated[k];
  }
  double sd = sqrt(p * (1 - p) / n);
  cr_assert(fabs((double)hits / n - p) < 5 * sd, "frequency %g vs probability %g", (double)hits / n,
            p);
  tu_free(&t);
}

Test(firm, innovation_never_lowers_tfp) {
  tu_world *t = tu_make_text(TINY_YAML, 1, NULL);
  world *w = t->w;
  size_t k = TINY_UP1;
  for (int i = 0; i < 2000; i++) {
    double before = w->f.tfp[k];
    w->f.sales[k] = 1000, w->f.rd[k] = 100;
    firm_innovate(w, k);
    cr_assert_geq(w->f.tfp[k], before, "a worse technology is not adopted");
  }
  tu_free(&t);
}

Test(firm, order_up_to_plan_closes_the_stock_gap) {
  tu_world *t = tu_make_text(TINY_YAML, 1, NULL);
  world *w = t->w;
  firm_soa *f = &w->f;
  size_t k = TINY_DOWN0;
  const scn_firm_params *p = &t->scn.firm;
  double fc = f->forecast[k];
  f->age[k] = 0; /* newborn: plans on its forecast */
  f->inventory[k] = 0;
  f->capital[k] *= 10, f->skilled[k] *= 10, f->unskilled[k] *= 10; /* reach not binding */
  firm_plan(w, k);
  double want = fc + fc * (p->lead_time + p->safety_stock) / p->stock_adjust;
  cr_assert_float_eq(f->target[k], want, 1e-6 * want);
  /* orders: coef x target + input-stock gap / stock_adjust */
  double stock = f->input_stock[k * WORLD_MAX_INPUTS];
  double order = 0.3 * want + (0.3 * fc * p->input_cover - stock) / p->stock_adjust;
  cr_assert_float_eq(f->order[k * f->nslot], order, 1e-6 * order);
  tu_free(&t);
}

Test(firm, moving_average_and_exponential_forecasts) {
  const char *ma[] = {"firm.forecast=moving_average", "firm.forecast_window=2", NULL};
  tu_world *t = tu_make_text(TINY_YAML, 1, ma);
  world *w = t->w;
  firm_soa *f = &w->f;
  size_t k = TINY_UP0;
  double fc0 = f->forecast[k];
  f->age[k] = 3, w->step = 5;
  f->demand[k] = fc0 + 10, f->orders_in[k] = 0;
  firm_plan(w, k);
  cr_assert_float_eq(f->forecast[k], fc0 + 5, 1e-9, "mean of the last 2 observations");
  tu_free(&t);
  const char *es[] = {"firm.forecast=exponential", "firm.smoothing=0.25", NULL};
  t = tu_make_text(TINY_YAML, 1, es);
  w = t->w, f = &w->f;
  fc0 = f->forecast[k];
  f->age[k] = 3, w->step = 5;
  f->demand[k] = fc0 + 8, f->orders_in[k] = 0;
  firm_plan(w, k);
  cr_assert_float_eq(f->forecast[k], fc0 + 2, 1e-9, "f + 0.25 (d - f)");
  tu_free(&t);
}

/* The residual "other inputs" share is calibrated so that the industry's
 * output-weighted normal unit cost times (1 + markup) is 1 at the start
 * (firms differ through their digital penetration and region; the industry
 * TFP scale is solved so the wage bill, hence this average, holds exactly). */
Test(firm, initial_mark_up_price_is_one_on_average) {
  tu_world *t = tu_make(1, NULL);
  world *w = t->w;
  for (int i = 0; i < w->ni; i++) {
    double cq = 0, q = 0;
    for (size_t k = 0; k < w->f.n; k++)
      if (w->f.ind[k] == i) cq += firm_unit_cost(w, k) * w->f.output[k], q += w->f.output[k];
    double mu = t->scn.industries[i].markup;
    cr_assert_float_eq((1 + mu) * cq / q, 1, 1e-9, "industry %s: %g", t->scn.industries[i].id,
                       (1 + mu) * cq / q);
  }
  tu_free(&t);
}

/* One firm_produce on a firm with ample cash: the digital, data-asset, ESG
 * and price updates follow their formulas (docs/ODD.md, Submodels). */
Test(firm, digital_data_esg_and_price_follow_their_formulas) {
  tu_world *t = tu_make_text(TINY_YAML, 1, NULL);
  world *w = t->w;
  firm_soa *f = &w->f;
  const scn_firm_params *p = &t->scn.firm;
  size_t k = TINY_UP0;
  f->cash[k] = 1e15; /* no budget cut */
  f->dig_inv[k] = 1e7, f->green[k] = 2e6, f->invest[k] = 0, f->rd[k] = 0;
  f->digital[k] = 0.4, f->data[k] = 5e6, f->esg[k] = 0.3, f->reliability[k] = 0.9;
  f->demand[k] = f->forecast[k], f->orders_in[k] = f->shipped[k] = 0;
  double d0 = f->digital[k], data0 = f->data[k], esg0 = f->esg[k], p0 = f->price[k];
  firm_produce(w, k);
  double infra = w->reg[f->reg[k]].digital_infra;
  double cost = p->digital_cost * f->capital[k] * (1.5 - infra);
  double d1 = d0 + (1 - d0) * 1e7 / cost;
  cr_assert_float_eq(f->digital[k], d1, 1e-9 * d1, "D += (1-D) x investment / adoption cost");
  double data1 = data0 * (1 - p->data_depreciation / 4) +
                 t->scn.industries[0].data_intensity * d1 * f->sales[k];
  cr_assert_float_eq(f->data[k], data1, 1e-9 * data1);
  double g = f->green[k] / f->sales[k];
  double esg1 = esg0 + (1 - esg0) * p->esg_gain * g - esg0 * p->esg_decay / 4;
  cr_assert_float_eq(f->esg[k], esg1, 1e-12);
  double mu = t->scn.industries[0].markup;
  double target =
      (1 + mu) * (1 + p->markup_response * (1 - f->reliability[k])) * firm_unit_cost(w, k);
  cr_assert_float_eq(f->price[k], p0 + p->price_adjust * (target - p0), 1e-12);
  tu_free(&t);
}

Test(firm, chain_masters_start_with_their_share_and_region) {
  tu_world *t = tu_make(1, NULL);
  world *w = t->w;
  const scenario *s = &t->scn;
  cr_assert_gt(s->n_chain_masters, 0);
  for (int m = 0; m < s->n_chain_masters; m++) {
    int i = scn_industry_index(s, s->chain_masters[m].industry);
    int r = scn_region_index(s, s->chain_masters[m].region);
    double total = 0, master = 0;
    int found = 0;
    for (size_t k = 0; k < w->f.n; k++) {
      if (w->f.ind[k] != i) continue;
      total += w->f.output[k];
      if (w->f.master[k] && w->f.reg[k] == r) master += w->f.output[k], found++;
    }
    cr_assert_eq(found, 1, "one master firm for %s", s->chain_masters[m].id);
    cr_assert_float_eq(master / total, s->chain_masters[m].share, 1e-9);
  }
  tu_free(&t);
}

#define TWO_REGIONS                                                                                \
  "name: two\nmin_firms: 1\nfirm: {supplier_slots: 1}\nmarket: {local_bias: 3}\n"                  \
  "industries:\n"                                                                                  \
  "  - {id: up, firms: 40, revenue: 10, external_share: 0, size_sigma: 0, tfp_sigma: 0,"           \
  " regions: {a: 1, b: 1}}\n"                                                                      \
  "  - {id: down, firms: 1, revenue: 10, external_share: 0, size_sigma: 0, tfp_sigma: 0,"          \
  " inputs: {up: 0.3}, regions: {a: 1}}\n"                                                         \
  "regions:\n  - {id: a}\n  - {id: b}\n  - {id: ext, role: external}\n"

/* Region weights: a and b each hold half of "up"'s output; the buyer in a
 * weights its own region 3 times: P(a) = 3/(3+1). 5 sd binomial bound. */
Test(firm, suppliers_are_chosen_with_a_local_bias) {
  tu_world *t = tu_make_text(TWO_REGIONS, 1, NULL);
  world *w = t->w;
  size_t buyer = w->f.n - 1;
  cr_assert_eq(w->f.ind[buyer], 1);
  double wa = 0, wb = 0;
  for (size_t k = 0; k + 1 < w->f.n; k++) *(w->f.reg[k] == 0 ? &wa : &wb) += w->f.output[k];
  double p = 3 * wa / (3 * wa + wb);
  int n = 20000, in_a = 0;
  for (int i = 0; i < n; i++) in_a += w->f.reg[firm_pick_supplier(w, buyer, 0)] == 0;
  double sd = sqrt(p * (1 - p) / n);
  cr_assert(fabs((double)in_a / n - p) < 5 * sd, "%g in own region, expected %g", (double)in_a / n,
            p);
  tu_free(&t);
}
