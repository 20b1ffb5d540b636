/* Shocks on a hand-built chain: "down" buys all of its input from External
 * suppliers of "up"; a supply shock cuts that External capacity. The
 * deliveries fall first, down's output one step or more later (lead time
 * and input stocks buffer it), and the chain recovers after the shock. Also
 * demand, talent-drain and credit-crunch shocks act on their variables. */
#include <criterion/criterion.h>
#include <math.h>

#include "sim/market.h"
#include "sim/step.h"
#include "support/testutil.h"
#include "support/tiny.h"

#define N 18

typedef struct trace {
  double ext[N];  /* External inputs received by down firms */
  double out[N];  /* output of down firms */
  double fill[N]; /* External fill ratio of up's goods */
} trace;

static void run_chain(const char *const *sets, trace *tr) {
  const char *all[16] = {"industries.down.external_share=1", "industries.down.demand_noise=0",
                         "industries.up.demand_noise=0"};
  int n = 3;
  for (int i = 0; sets && sets[i]; i++) all[n++] = sets[i];
  all[n] = NULL;
  tu_world *t = tu_make_text(TINY_YAML, 1, all);
  char err[512];
  for (int s = 0; s < N; s++) {
    cr_assert_eq(step_run(t->w, err, sizeof err), 0, "%s", err);
    cr_assert_eq(world_check(t->w, err, sizeof err), 0, "%s", err);
    tr->ext[s] = t->w->f.ext_input[TINY_DOWN0] + t->w->f.ext_input[TINY_DOWN1];
    tr->out[s] = t->w->f.output[TINY_DOWN0] + t->w->f.output[TINY_DOWN1];
    tr->fill[s] = t->w->ind[0].ext_fill;
  }
  tu_free(&t);
}

static int first_drop(const double *a, const double *b, double tol) {
  for (int s = 0; s < N; s++)
    if (a[s] < b[s] * (1 - tol)) return s;
  return N;
}

Test(shocks, supply_cut_hits_deliveries_first_then_output_then_recovers) {
  const char *shock[] = {"shocks=[{id: chips, type: supply, start: 4, duration: 4, size: 0.7, "
                         "industries: [up]}]",
                         NULL};
  trace base, cut;
  run_chain(NULL, &base);
  run_chain(shock, &cut);
  for (int s = 0; s < 4; s++) cr_assert_eq(cut.out[s], base.out[s], "no effect before the shock");
  cr_assert_lt(cut.fill[4], 0.6, "External serves less than 60%% of orders during the cut");
  int d = first_drop(cut.ext, base.ext, 0.05), o = first_drop(cut.out, base.out, 0.05);
  cr_assert_eq(d, 4, "deliveries fall at the shock's first step");
  cr_assert(o > d && o < N, "output falls later (step %d, deliveries %d)", o, d);
  cr_assert(fabs(cut.fill[N - 1] - 1) < 1e-9, "External capacity restored after the shock");
  cr_assert_float_eq(cut.out[N - 1], base.out[N - 1], 0.05 * base.out[N - 1],
                     "output recovers to within 5%% of the baseline");
}

Test(shocks, demand_shock_cuts_final_demand_in_window) {
  const char *shock[] = {"shocks=[{id: slump, type: demand, start: 2, duration: 3, size: 0.3, "
                         "industries: [down]}]",
                         NULL};
  tu_world *b = tu_make_text(TINY_YAML, 1, NULL), *p = tu_make_text(TINY_YAML, 1, shock);
  for (int s = 0; s < 6; s++) {
    b->w->step = p->w->step = s;
    step_environment(b->w), step_environment(p->w);
    double ratio = p->w->ind[1].final_demand / b->w->ind[1].final_demand;
    cr_assert_float_eq(ratio, s >= 2 && s < 5 ? 0.7 : 1, 1e-12, "step %d", s);
    cr_assert_float_eq(p->w->ind[0].final_demand, b->w->ind[0].final_demand, 1e-9, "up untouched");
  }
  tu_free(&b), tu_free(&p);
}

Test(shocks, talent_drain_raises_migration) {
  const char *shock[] = {"shocks=[{id: pull, type: talent, start: 0, duration: 5, size: 1}]", NULL};
  tu_world *b = tu_make_text(TINY_YAML, 1, NULL), *p = tu_make_text(TINY_YAML, 1, shock);
  char err[512];
  cr_assert_eq(step_run(b->w, err, sizeof err), 0);
  cr_assert_eq(step_run(p->w, err, sizeof err), 0);
  cr_assert_float_eq(p->w->reg[0].wage_pull, 2, 1e-12);
  cr_assert_geq(p->w->reg[0].migrated, b->w->reg[0].migrated);
  cr_assert_gt(p->w->reg[0].migrated, 0, "a doubled External wage pulls skilled workers out");
  tu_free(&b), tu_free(&p);
}

Test(shocks, credit_crunch_cuts_bank_capacity) {
  const char *shock[] = {"shocks=[{id: crunch, type: credit, start: 0, duration: 2, size: 0.5}]",
                         NULL};
  tu_world *p = tu_make_text(TINY_YAML, 1, shock);
  firm_soa *f = &p->w->f;
  step_environment(p->w);
  cr_assert_float_eq(p->w->credit_mult, 0.5, 1e-12);
  for (size_t k = 0; k < 4; k++) f->credit_req[k] = 0, f->debt[k] = 0, f->capital[k] = 1e15;
  f->credit_req[0] = 1e12;                          /* far beyond the bank's capacity */
  p->w->debt0 = 1000 / p->scn.market.bank_capacity; /* capacity 1000 without the crunch */
  p->w->capital0 = 4e15;                            /* at the current capital stock */
  market_credit(p->w);
  cr_assert_float_eq(f->credit_got[0], 500, 1e-6, "half the capacity of 1000");
  tu_free(&p);
}
