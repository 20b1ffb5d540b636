/* Automation and digital absorptive capacity (docs/ODD.md 7.3, 7.9, 7.11):
 * the automated share of capital follows its vintages, automated capital
 * takes over unskilled tasks (fewer unskilled workers per unit of labour
 * input, a lower unit wage), and digital penetration raises the knowledge
 * target. Known answers on the hand-sized world of support/tiny.h. */
#include <criterion/criterion.h>
#include <math.h>

#include "agents/firm.h"
#include "support/testutil.h"
#include "support/tiny.h"

/* a = D x (1 - legacy) at the start: the modern part of the initial stock
 * was installed at the firm's D; the workforce's skill mix is the industry's
 * with (1 - theta a) unskilled workers per unskilled task. */
Test(automation, initial_state_and_workforce) {
  tu_world *t = tu_make_text(TINY_YAML, 1, NULL);
  world *w = t->w;
  const firm_soa *f = &w->f;
  double theta = t->scn.firm.automation_substitution, s = t->scn.industries[0].skill_share;
  for (size_t k = 0; k < f->n; k++) {
    cr_assert_float_eq(f->autom[k], f->digital[k] * (1 - f->legacy[k]), 1e-15);
    double need = 1 - theta * f->autom[k];
    cr_assert_float_eq(firm_unskilled_need(w, k), need, 1e-15);
    cr_assert_float_eq(f->unskilled[k] / f->skilled[k], (1 - s) / s * need, 1e-12,
                       "unskilled per skilled worker: (1-s)/s x (1 - theta a)");
    cr_assert_float_eq(firm_labour_input(w, k), f->skilled[k] / s, 1e-9 * f->skilled[k],
                       "labour input = skilled + unskilled / need = L");
  }
  tu_free(&t);
}

/* Unit wage per unit of labour input: s w_s + (1 - s)(1 - theta a) w_u;
 * rented shared-factory lines count as automated at the firm's D. */
Test(automation, unit_wage_and_rented_lines) {
  tu_world *t = tu_make_text(TINY_YAML, 1, NULL);
  world *w = t->w;
  firm_soa *f = &w->f;
  size_t k = TINY_DOWN0;
  double theta = t->scn.firm.automation_substitution, s = t->scn.industries[1].skill_share;
  const region_state *r = &w->reg[f->reg[k]];
  f->autom[k] = 0.4, f->digital[k] = 0.7, f->rented[k] = 0;
  cr_assert_float_eq(firm_unit_wage(w, k), s * r->wage_s + (1 - s) * (1 - theta * 0.4) * r->wage_u,
                     1e-9);
  f->rented[k] = f->capital[k]; /* half the capacity rented */
  double a = (0.4 + 0.7) / 2;
  cr_assert_float_eq(firm_unskilled_need(w, k), 1 - theta * a, 1e-12);
  f->autom[k] = 0, f->rented[k] = 0;
  cr_assert_float_eq(firm_unit_wage(w, k), s * r->wage_s + (1 - s) * r->wage_u, 1e-9,
                     "no automation: the plain skill-mix wage");
  tu_free(&t);
}

/* With automation_substitution = 0 automation changes nothing: one
 * unskilled worker per task whatever a is. */
Test(automation, no_substitution_no_effect) {
  const char *set[] = {"firm.automation_substitution=0", NULL};
  tu_world *t = tu_make_text(TINY_YAML, 1, set);
  world *w = t->w;
  w->f.autom[TINY_UP0] = 0.9;
  cr_assert_eq(firm_unskilled_need(w, TINY_UP0), 1);
  cr_assert_float_eq(firm_labour_input(w, TINY_UP0),
                     w->f.skilled[TINY_UP0] + w->f.unskilled[TINY_UP0], 1e-12);
  tu_free(&t);
}

/* Planning asks for unskilled workers in proportion (1 - theta a): a more
 * automated firm posts fewer unskilled vacancies for the same plan, the
 * same skilled ones. */
Test(automation, labour_plan_needs_fewer_unskilled_workers) {
  double vac_s[2], vac_u[2], target[2];
  double theta = 0;
  for (int run = 0; run < 2; run++) {
    tu_world *t = tu_make_text(TINY_YAML, 1, NULL);
    world *w = t->w;
    firm_soa *f = &w->f;
    size_t k = TINY_DOWN0;
    theta = t->scn.firm.automation_substitution;
    f->capital[k] *= 10, f->skilled[k] *= 10; /* reach not binding */
    f->unskilled[k] = 0;
    f->autom[k] = run == 0 ? 0 : 0.6;
    f->age[k] = 0; /* hires its workforce at once */
    firm_plan(w, k);
    vac_s[run] = f->vac_s[k] + f->skilled[k], vac_u[run] = f->vac_u[k] + f->unskilled[k];
    target[run] = f->target[k];
    tu_free(&t);
  }
  cr_assert_float_eq(target[1], target[0], 1e-9 * target[0]);
  cr_assert_float_eq(vac_s[1], vac_s[0], 1e-9 * vac_s[0], "skilled demand unchanged");
  cr_assert_float_eq(vac_u[1], vac_u[0] * (1 - theta * 0.6), 1e-9 * vac_u[0],
                     "unskilled demand x (1 - theta a)");
}

/* Vintages: depreciation wears automated and other modern capital alike,
 * legacy is scrapped, and the new equipment is automated at the firm's D:
 * a' K' = a K (1 - d) + capex x D, and a' <= 1 - legacy'. */
Test(automation, automated_share_follows_vintages) {
  tu_world *t = tu_make_text(TINY_YAML, 1, NULL);
  world *w = t->w;
  firm_soa *f = &w->f;
  size_t k = TINY_UP0;
  f->cash[k] = 1e15; /* no budget cut */
  f->rd[k] = f->dig_inv[k] = f->green[k] = 0;
  double k0 = f->capital[k], inv = 0.2 * k0;
  f->invest[k] = inv;
  f->legacy[k] = 0.3, f->autom[k] = 0.25, f->digital[k] = 0.6;
  double d = t->scn.firm.depreciation / 4;
  firm_produce(w, k);
  double k1 = k0 * (1 - d) - 0.3 * k0 * d + inv;
  cr_assert_float_eq(f->capital[k], k1, 1e-9 * k1);
  double a1 = (0.25 * k0 * (1 - d) + inv * 0.6) / k1;
  cr_assert_float_eq(f->autom[k], a1, 1e-12, "automated share %g, expected %g", f->autom[k], a1);
  cr_assert_leq(f->autom[k], 1 - f->legacy[k]);
  tu_free(&t);
}

/* Knowledge target: 1 + 20 R&D/sales + [licence] + digital_absorption x D. */
Test(automation, digital_penetration_raises_absorptive_capacity) {
  const char *set[] = {"firm.digital_absorption=2", NULL};
  tu_world *t = tu_make_text(TINY_YAML, 1, set);
  world *w = t->w;
  firm_soa *f = &w->f;
  size_t k = TINY_UP1;
  f->sales[k] = 1000, f->rd[k] = 0, f->licences[k] = 0, f->stationed[k] = 0;
  f->knowledge[k] = 1.2, f->digital[k] = 0.5;
  firm_innovate(w, k);
  cr_assert_float_eq(f->knowledge[k], 0.95 * 1.2 + 0.05 * (1 + 2 * 0.5), 1e-15);
  tu_free(&t);
}
