/* Institutes on a hand-built world: graduates and retention (with and
 * without the talent scheme), invention counts against the Poisson mean,
 * licence routing by knowledge and R&D budget, sales out of province,
 * money flows. */
#include <criterion/criterion.h>
#include <math.h>

#include "agents/government.h"
#include "agents/institute.h"
#include "sim/step.h"
#include "support/testutil.h"
#include "support/tiny.h"

#define LAB                                                                                        \
  "institutes:\n"                                                                                  \
  "  - {id: lab, region: a, researchers: 1000, knowledge: 1, graduates: 400, retention: 0.25,"     \
  " local_conversion: 1, invention_rate: 10, licence_fee: 100, fields: {up: 1}}\n"

static tu_world *lab_world(const char *const *sets) {
  return tu_make_text(TINY_YAML LAB, 1, sets);
}

Test(institute, graduates_join_the_pool_with_retention) {
  tu_world *t = lab_world(NULL);
  world *w = t->w;
  region_state *r = &w->reg[0];
  double pool = r->pool_s, force = r->force_s;
  step_environment(w);
  institute_step(w);
  /* 400 graduates a year, 100 a quarter, 25% stay */
  cr_assert_float_eq(r->grads_retained, 25, 1e-9);
  cr_assert_float_eq(r->grads_left, 75, 1e-9);
  cr_assert_float_eq(r->pool_s - pool, 25, 1e-9);
  cr_assert_float_eq(r->force_s - force, 25, 1e-9, "the labour force grows by those who stay");
  tu_free(&t);
}

Test(institute, talent_scheme_keeps_a_share_of_leavers_and_pays_for_them) {
  const char *sets[] = {"government.talent.enabled=true", "government.talent.intensity=0.4",
                        "government.talent.unit_cost=1000", NULL};
  tu_world *t = lab_world(sets);
  world *w = t->w;
  double cash = w->gov.cash;
  step_environment(w);
  institute_step(w);
  /* 75 would leave; 40% of them stay: 30 more retained */
  cr_assert_float_eq(w->reg[0].grads_retained, 55, 1e-9);
  cr_assert_float_eq(w->gov.spend[LEVER_TALENT], 30 * 1000, 1e-6);
  cr_assert_float_eq(cash - w->gov.cash, 30 * 1000, 1e-6);
  tu_free(&t);
}

Test(institute, talent_budget_cuts_are_recorded) {
  /* budget 1e8 CNY/year = 2.5e7 per quarter; 30 extra graduates x 1e6 CNY = 3e7 */
  const char *sets[] = {"government.talent.enabled=true", "government.talent.intensity=0.4",
                        "government.talent.unit_cost=1e6", "government.talent.budget=1", NULL};
  tu_world *t = lab_world(sets);
  world *w = t->w;
  step_environment(w);
  institute_step(w);
  cr_assert_float_eq(w->gov.spend[LEVER_TALENT], 2.5e7, 1e-3);
  cr_assert_float_eq(w->gov.cut[LEVER_TALENT], 0.5e7, 1e-3);
  cr_assert_float_eq(w->reg[0].grads_retained, 25 + 30 * 2.5 / 3, 1e-9, "only what is paid for");
  tu_free(&t);
}

/* Mean inventions per step = rate/100/steps_per_year x researchers x
 * sqrt(knowledge) = 25 here (knowledge grows by 0.0125 a step: 200 steps
 * raise sqrt(knowledge) to about 1.6, so the mean is computed per step).
 * Over S steps the total is Poisson with the summed mean: 5 sd bound. */
Test(institute, invention_counts_follow_the_poisson_mean) {
  tu_world *t = lab_world(NULL);
  world *w = t->w;
  double expected = 0, got = 0;
  for (int s = 0; s < 200; s++) {
    w->step = s;
    double k = w->inst[0].knowledge + 0.05 / 4 * 1000 / 1000;
    expected += 10.0 / 100 / 4 * 1000 * sqrt(k);
    institute_step(w);
    got += w->inst[0].inv_local + w->inst[0].inv_sold;
  }
  cr_assert(fabs(got - expected) < 5 * sqrt(expected), "%g inventions, expected %g", got, expected);
  tu_free(&t);
}

/* With local conversion 1 and saturated absorptive capacity every
 * invention is licensed in the province, to "up" firms (its field), in
 * proportion to knowledge x rd^licence_rd_weight (both firms are in the
 * institute's region). Checks the share of licences to TINY_UP0 against P
 * (binomial, 5 sd). */
static void check_routing(const char *const *sets, double k0, double k1, double rd0, double rd1,
                          double p) {
  tu_world *t = lab_world(sets);
  world *w = t->w;
  firm_soa *f = &w->f;
  double n0 = 0, n1 = 0;
  for (int s = 0; s < 200; s++) {
    f->knowledge[TINY_UP0] = k0, f->knowledge[TINY_UP1] = k1;
    f->rd[TINY_UP0] = rd0, f->rd[TINY_UP1] = rd1;
    f->knowledge[TINY_DOWN0] = f->knowledge[TINY_DOWN1] = 3;
    institute_step(w);
    cr_assert_eq(w->inst[0].inv_sold, 0);
    cr_assert_eq(f->licences[TINY_DOWN0] + f->licences[TINY_DOWN1], 0, "outside the field");
    n0 += f->licences[TINY_UP0], n1 += f->licences[TINY_UP1];
  }
  double n = n0 + n1, sd = sqrt(n * p * (1 - p));
  cr_assert(fabs(n0 - p * n) < 5 * sd, "%g of %g licences to the first firm, expected share %g", n0,
            n, p);
  tu_free(&t);
}

Test(institute, licences_routed_by_knowledge) {
  check_routing(NULL, 3, 1, 1e6, 9e6, 0.75); /* R&D budgets do not count by default */
}

Test(institute, licences_routed_by_knowledge_and_rd_budget) {
  const char *sets[] = {"market.licence_rd_weight=1", NULL};
  check_routing(sets, 3, 1, 1e6, 9e6, 0.25); /* weights 3 x 1 against 1 x 9 */
  const char *half[] = {"market.licence_rd_weight=0.5", NULL};
  check_routing(half, 3, 1, 1e6, 9e6, 0.5); /* weights 3 x 1 against 1 x 3 */
}

Test(institute, inventions_sold_out_of_province_are_paid_by_external) {
  const char *sets[] = {"institutes.lab.local_conversion=0", NULL};
  tu_world *t = lab_world(sets);
  world *w = t->w;
  double ext = w->acc[ACC_EXTERNAL], hh = w->acc[ACC_HOUSEHOLDS];
  institute_step(w);
  int sold = w->inst[0].inv_sold;
  cr_assert_gt(sold, 0);
  cr_assert_eq(w->inst[0].inv_local, 0);
  cr_assert_float_eq(ext - w->acc[ACC_EXTERNAL], sold * 100 * 1e4, 1e-3, "fee 100 x 1e4 CNY each");
  cr_assert_float_eq(w->acc[ACC_HOUSEHOLDS] - hh, sold * 100 * 1e4, 1e-3,
                     "the institute passes its revenue on as salaries");
  cr_assert_float_eq(w->inst[0].cash, 0, 0);
  tu_free(&t);
}
