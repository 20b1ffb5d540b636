/* Levers: with common random numbers (same seed), each lever moves the
 * intermediate variable of its mechanism in the intended direction, and a
 * lever changes nothing before its start step. Small baseline worlds
 * (scale 0.03, about 750 firms), 10 steps, levers from step 2. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "agents/government.h"
#include "sim/market.h"
#include "sim/step.h"
#include "support/testutil.h"

#define STEPS 10

static tu_world *run(const char *const *sets, int steps) {
  tu_world *t = tu_make(1, sets);
  char err[1024];
  for (int s = 0; s < steps; s++) {
    cr_assert_eq(step_run(t->w, err, sizeof err), 0, "%s", err);
    cr_assert_eq(world_check(t->w, err, sizeof err), 0, "%s", err);
  }
  return t;
}

static int industry(const tu_world *t, const char *id) {
  return scn_industry_index(&t->scn, id);
}
static int region(const tu_world *t, const char *id) {
  return scn_region_index(&t->scn, id);
}

/* Mean of firm variable X over live firms of industry I (-1: all) and
 * region R (-1: all); X is read through a callback. */
typedef double (*firm_get)(const world *w, size_t k);
static double mean_of(const tu_world *t, firm_get x, int i, int r) {
  const world *w = t->w;
  double s = 0, n = 0;
  for (size_t k = 0; k < w->f.n; k++)
    if (w->f.alive[k] && (i < 0 || w->f.ind[k] == i) && (r < 0 || w->f.reg[k] == r))
      s += x(w, k), n += 1;
  return n > 0 ? s / n : NAN;
}

static double get_digital(const world *w, size_t k) {
  return w->f.digital[k];
}
static double get_esg(const world *w, size_t k) {
  return w->f.esg[k];
}
static double get_knowledge(const world *w, size_t k) {
  return w->f.knowledge[k];
}
static double get_legacy(const world *w, size_t k) {
  return w->f.legacy[k];
}
static double get_local(const world *w, size_t k) {
  return w->f.local_inputs[k];
}
static double get_limit(const world *w, size_t k) {
  return market_credit_limit(w, k);
}

Test(levers, talent_retains_graduates_in_its_region) {
  const char *on[] = {"government.talent.enabled=true", "government.talent.start=2",
                      "government.talent.regions=[hefei]", NULL};
  tu_world *b = run(NULL, STEPS), *p = run(on, STEPS);
  int h = region(b, "hefei");
  cr_assert_gt(p->w->reg[h].grads_retained, b->w->reg[h].grads_retained * 1.1);
  cr_assert_lt(p->w->reg[h].grads_left, b->w->reg[h].grads_left);
  cr_assert_gt(p->w->gov.spend[LEVER_TALENT], 0);
  int wuhu = region(b, "wuhu");
  cr_assert_float_eq(p->w->reg[wuhu].grads_retained, b->w->reg[wuhu].grads_retained, 1e-9,
                     "untargeted regions keep their retention");
  tu_free(&b), tu_free(&p);
}

Test(levers, shared_factories_lower_legacy_and_rent_capacity) {
  const char *on[] = {"government.shared_factory.enabled=true", "government.shared_factory.start=2",
                      NULL};
  tu_world *b = run(NULL, STEPS), *p = run(on, STEPS);
  int food = industry(b, "green_food");
  double rented = 0;
  for (size_t k = 0; k < p->w->f.n; k++) rented += p->w->f.alive[k] ? p->w->f.rented[k] : 0;
  cr_assert_gt(rented, 0, "SMEs rent capacity");
  cr_assert_lt(mean_of(p, get_legacy, food, -1), mean_of(b, get_legacy, food, -1),
               "users scrap legacy equipment faster");
  cr_assert_gt(p->w->gov.spend[LEVER_SHARED_FACTORY], 0);
  tu_free(&b), tu_free(&p);
}

Test(levers, scientists_raise_absorptive_capacity) {
  const char *on[] = {"government.scientists.enabled=true", "government.scientists.start=2",
                      "government.scientists.amount=2000", NULL};
  tu_world *b = run(NULL, STEPS), *p = run(on, STEPS);
  cr_assert_gt(p->w->gov.scientists, 0);
  cr_assert_gt(mean_of(p, get_knowledge, -1, -1), mean_of(b, get_knowledge, -1, -1));
  tu_free(&b), tu_free(&p);
}

Test(levers, data_pledging_raises_credit_limits) {
  const char *on[] = {"government.data_pledge.enabled=true", "government.data_pledge.start=2",
                      NULL};
  tu_world *b = run(NULL, STEPS), *p = run(on, STEPS);
  cr_assert_gt(mean_of(p, get_limit, -1, -1), mean_of(b, get_limit, -1, -1));
  double pledged = 0;
  for (size_t k = 0; k < p->w->f.n; k++) pledged += p->w->f.alive[k] ? p->w->f.credit_data[k] : 0;
  cr_assert_gt(pledged, 0, "some credit is granted against data assets");
  cr_assert_gt(p->w->gov.spend[LEVER_DATA_PLEDGE], 0, "the risk compensation is paid");
  tu_free(&b), tu_free(&p);
}

Test(levers, challenge_fund_directs_solutions_to_posting_firms) {
  const char *on[] = {"government.challenge_fund.enabled=true", "government.challenge_fund.start=2",
                      "government.challenge_fund.amount=400",
                      "government.challenge_fund.budget=1000", NULL};
  tu_world *p = run(on, STEPS);
  cr_assert_gt(p->w->gov.challenges, 0);
  cr_assert_gt(p->w->gov.spend[LEVER_CHALLENGE], 0, "the fund pays for solutions");
  tu_free(&p);
}

Test(levers, compute_network_speeds_digital_adoption_in_targets) {
  const char *on[] = {"government.compute_network.enabled=true",
                      "government.compute_network.start=2", NULL};
  tu_world *b = run(NULL, STEPS), *p = run(on, STEPS);
  int ai = industry(b, "ai"), food = industry(b, "green_food");
  cr_assert_gt(mean_of(p, get_digital, ai, -1), mean_of(b, get_digital, ai, -1));
  cr_assert_gt(p->w->gov.spend[LEVER_COMPUTE], 0);
  /* green food is not targeted: it differs only through market feedback */
  double d = fabs(mean_of(p, get_digital, food, -1) - mean_of(b, get_digital, food, -1));
  double g = mean_of(p, get_digital, ai, -1) - mean_of(b, get_digital, ai, -1);
  cr_assert_lt(d, g, "targets gain more than non-targets");
  tu_free(&b), tu_free(&p);
}

Test(levers, proof_of_concept_keeps_inventions_local) {
  const char *on[] = {
      "government.proof_of_concept.enabled=true", "government.proof_of_concept.start=0",
      "government.proof_of_concept.intensity=0.9", "government.proof_of_concept.budget=1000", NULL};
  tu_world *b = tu_make(1, NULL), *p = tu_make(1, on);
  char err[512];
  double lb = 0, sb = 0, lp = 0, sp = 0;
  for (int s = 0; s < STEPS; s++) {
    cr_assert_eq(step_run(b->w, err, sizeof err), 0);
    cr_assert_eq(step_run(p->w, err, sizeof err), 0);
    for (int j = 0; j < b->w->n_inst; j++) {
      lb += b->w->inst[j].inv_local, sb += b->w->inst[j].inv_sold;
      lp += p->w->inst[j].inv_local, sp += p->w->inst[j].inv_sold;
    }
  }
  cr_assert_gt(lp / (lp + sp), lb / (lb + sb), "local share of inventions rises");
  cr_assert_gt(p->w->gov.spend[LEVER_POC], 0);
  tu_free(&b), tu_free(&p);
}

Test(levers, green_fund_raises_esg) {
  const char *on[] = {"government.green_fund.enabled=true", "government.green_fund.start=2", NULL};
  tu_world *b = run(NULL, STEPS), *p = run(on, STEPS);
  cr_assert_gt(mean_of(p, get_esg, -1, -1), mean_of(b, get_esg, -1, -1));
  cr_assert_gt(p->w->gov.spend[LEVER_GREEN], 0);
  tu_free(&b), tu_free(&p);
}

Test(levers, chain_completion_localises_supply) {
  const char *on[] = {"government.chain_completion.enabled=true",
                      "government.chain_completion.start=2",
                      "government.chain_completion.intensity=1", NULL};
  tu_world *b = run(NULL, STEPS), *p = run(on, STEPS);
  int h = region(b, "hefei");
  cr_assert_gt(mean_of(p, get_local, -1, h), mean_of(b, get_local, -1, h),
               "Hefei buyers hold more in-province supplier slots");
  tu_free(&b), tu_free(&p);
}

Test(levers, flying_enclave_raises_inventions_and_lowers_local_conversion) {
  const char *on[] = {"government.flying_enclave.enabled=true", "government.flying_enclave.start=0",
                      NULL};
  tu_world *b = tu_make(1, NULL), *p = tu_make(1, on);
  int wuhu = region(b, "wuhu");
  char err[512];
  double nb = 0, np = 0, lb = 0, lp = 0;
  for (int s = 0; s < 3 * STEPS; s++) {
    cr_assert_eq(step_run(b->w, err, sizeof err), 0);
    cr_assert_eq(step_run(p->w, err, sizeof err), 0);
    for (int j = 0; j < b->w->n_inst; j++)
      if (b->w->inst[j].region == wuhu && b->w->inst[j].type == SCN_INST_NEW_RD) {
        nb += b->w->inst[j].inv_local + b->w->inst[j].inv_sold, lb += b->w->inst[j].inv_local;
        np += p->w->inst[j].inv_local + p->w->inst[j].inv_sold, lp += p->w->inst[j].inv_local;
      }
  }
  cr_assert_gt(np, nb, "more inventions");
  cr_assert_lt(lp / np, lb / nb, "a lower share converted locally");
  tu_free(&b), tu_free(&p);
}

/* Before its start step a lever changes nothing: the state after steps
 * 0..3 is bit-identical to the baseline's for every lever enabled at 4. */
Test(levers, nothing_changes_before_the_start) {
  for (int id = 0; id < LEVER_N; id++) {
    char en[128], st[128];
    snprintf(en, sizeof en, "government.%s.enabled=true", scn_lever_key(id));
    snprintf(st, sizeof st, "government.%s.start=4", scn_lever_key(id));
    const char *on[] = {en, st, NULL};
    tu_world *b = run(NULL, 4), *p = run(on, 4);
    size_t n = b->w->f.n;
    cr_assert_eq(p->w->f.n, n, "%s", scn_lever_key(id));
    cr_assert_eq(memcmp(b->w->f.tfp, p->w->f.tfp, n * sizeof(double)), 0, "%s", scn_lever_key(id));
    cr_assert_eq(memcmp(b->w->f.cash, p->w->f.cash, n * sizeof(double)), 0, "%s",
                 scn_lever_key(id));
    cr_assert_eq(memcmp(b->w->f.digital, p->w->f.digital, n * sizeof(double)), 0);
    cr_assert_eq(memcmp(b->w->f.supplier, p->w->f.supplier, n * b->w->f.nslot * sizeof(int32_t)),
                 0);
    cr_assert_eq(memcmp(&b->w->gov.cash, &p->w->gov.cash, sizeof(double)), 0, "%s",
                 scn_lever_key(id));
    tu_free(&b), tu_free(&p);
  }
}
