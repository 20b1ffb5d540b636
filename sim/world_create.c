/* world_create: the initial state of a scenario's world (docs/ODD.md,
 * Initialization), built with the agents' rules (production function,
 * wages, supplier links), so it sits above agents/ and below the phases.
 *
 * Initial conditions: each industry's revenue is split over its firms by
 * lognormal size weights; capital follows the industry's capital/output
 * ratio; TFP is lognormal around an industry scale chosen so that the
 * industry's wage bill equals wage_share x revenue (closed form, see
 * industry_tfp_scale); workers follow from the production function. Every
 * draw a firm needs comes from its own stream.
 */
#include "sim/world_create.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agents/firm.h"
#include "base/dist.h"
#include "base/reduce.h"

static void set_err(char *err, size_t len, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, len, fmt, ap);
  va_end(ap);
}

static size_t industry_firm_count(const world *w, int i) {
  return world_firm_count(w->scn, i);
}

/* ---- static setup from the scenario ------------------------------------- */

static void setup_regions(world *w) {
  const scenario *s = w->scn;
  for (int r = 0; r < w->nr; r++) {
    const scn_region *sr = &s->regions[r];
    region_state *rs = &w->reg[r];
    rs->role = sr->role;
    rs->wage_s = sr->wage;
    rs->wage_u = sr->unskilled_wage;
    rs->logistics = sr->logistics_cost;
    rs->digital_infra = sr->digital_infra;
  }
}

static void setup_industry_inputs(world *w, int i) {
  const scn_industry *si = &w->scn->industries[i];
  industry_state *is = &w->ind[i];
  is->kind = si->kind;
  is->n_inputs = 0;
  for (int k = 0; k < si->n_inputs && is->n_inputs < WORLD_MAX_INPUTS; k++) {
    if (si->inputs[k].value <= 0) continue;
    is->input[is->n_inputs] = scn_industry_index(w->scn, si->inputs[k].key);
    is->coef[is->n_inputs] = si->inputs[k].value;
    is->n_inputs++;
  }
  /* placement weights: explicit, else GDP of non-external regions */
  for (int r = 0; r < w->nr; r++)
    is->region_w[r] = r == w->ext ? 0 : (si->n_regions ? 0 : w->scn->regions[r].gdp);
  for (int k = 0; k < si->n_regions; k++) {
    int r = scn_region_index(w->scn, si->regions[k].key);
    if (r != w->ext) is->region_w[r] = si->regions[k].value;
  }
}

/* Other intermediate cost (materials, energy, services from outside the
 * modelled industries): the residual that makes the initial mark-up price
 * equal 1, i.e. unit cost = 1 / (1 + markup). Never negative. */
static void setup_other_share(world *w, int i) {
  const scn_industry *si = &w->scn->industries[i];
  industry_state *is = &w->ind[i];
  double modelled = si->wage_share + si->capital_output * w->scn->firm.depreciation;
  for (int m = 0; m < is->n_inputs; m++) modelled += is->coef[m];
  double rest = 1 / (1 + si->markup) - modelled;
  is->other_share = rest > 0 ? rest : 0;
}

static void setup_institutes(world *w) {
  const scenario *s = w->scn;
  for (int k = 0; k < w->n_inst; k++) {
    const scn_institute *si = &s->institutes[k];
    institute_state *it = &w->inst[k];
    it->type = si->type;
    it->region = scn_region_index(s, si->region);
    it->researchers = si->researchers * s->scale; /* scale sizes the whole economy */
    it->knowledge = si->knowledge;
    it->graduates = si->graduates * s->scale;
    it->retention = si->retention;
    it->local_conversion = si->local_conversion;
    it->rate = si->invention_rate / 100.0 / w->spy;
    double tot = 0;
    for (int j = 0; j < si->n_fields; j++) tot += si->fields[j].value;
    for (int j = 0; j < si->n_fields; j++) {
      int i = scn_industry_index(s, si->fields[j].key);
      it->field_w[i] = tot > 0 ? si->fields[j].value / tot : 0;
    }
    rng_stream(&it->rng, w->seed, RNG_KIND_INSTITUTE, (uint64_t)k);
  }
}

/* The industry's chain masters take its first slots, their region, their
 * share of output and a leader's TFP (the 90th percentile of the industry's
 * draw); the other firms are scaled to keep the industry total. */
static void place_masters(world *w, int i, size_t lo, size_t n, double q_ind) {
  const scenario *s = w->scn;
  firm_soa *f = &w->f;
  size_t c = 0;
  double share = 0, rest = 0;
  for (int m = 0; m < s->n_chain_masters && c < n; m++) {
    const scn_chain_master *cm = &s->chain_masters[m];
    if (scn_industry_index(s, cm->industry) != i) continue;
    f->master[lo + c] = 1;
    f->reg[lo + c] = (uint16_t)scn_region_index(s, cm->region);
    f->output[lo + c] = cm->share * q_ind;
    /* a chain master leads its industry: TFP at the industry's 90th percentile */
    f->tfp[lo + c] = exp(s->industries[i].tfp_sigma * 1.2815515655446004);
    share += cm->share, c++;
  }
  for (size_t k = lo + c; k < lo + n; k++) rest += f->output[k];
  for (size_t k = lo + c; k < lo + n && rest > 0; k++) f->output[k] *= (1 - share) * q_ind / rest;
}

/* Create firms of industry I in slots [lo, lo+n): size, region, TFP draw. */
static void init_industry_firms(world *w, int i, size_t lo, size_t n) {
  const scn_industry *si = &w->scn->industries[i];
  industry_state *is = &w->ind[i];
  firm_soa *f = &w->f;
  double q_ind = si->revenue * 1e8 / w->spy; /* CNY/step */
  double wsum = 0;
  for (size_t k = lo; k < lo + n; k++) {
    f->uid[k] = w->next_uid++;
    rng_stream(&f->rng[k], w->seed, RNG_KIND_FIRM, f->uid[k]);
    f->alive[k] = 1;
    f->ind[k] = (uint16_t)i;
    f->reg[k] = (uint16_t)dist_categorical(&f->rng[k], is->region_w, (size_t)w->nr);
    /* size and TFP lognormal, their logs correlated (larger firms are on
     * average more productive) */
    double rho = w->scn->firm.size_tfp_corr;
    double zs = dist_normal(&f->rng[k], 0, 1), ze = dist_normal(&f->rng[k], 0, 1);
    f->output[k] = exp(si->size_sigma * zs);
    f->tfp[k] = exp(si->tfp_sigma * (rho * zs + sqrt(1 - rho * rho) * ze));
    wsum += f->output[k];
  }
  for (size_t k = lo; k < lo + n; k++) f->output[k] *= q_ind / wsum;
  place_masters(w, i, lo, n, q_ind);
}

/* Industry TFP scale a such that the wage bill equals wage_share x revenue:
 * with L_f = (q_f / (a t_f K_f^alpha))^(1/(1-alpha)), the wage bill is
 * a^(-1/(1-alpha)) x sum_f wage_f (q_f / (t_f K_f^alpha))^(1/(1-alpha)). */
static double industry_tfp_scale(world *w, int i, size_t lo, size_t n) {
  const scn_industry *si = &w->scn->industries[i];
  firm_soa *f = &w->f;
  double alpha = si->capital_elasticity, e = 1.0 / (1.0 - alpha), bill = 0;
  for (size_t k = lo; k < lo + n; k++) {
    double wage = firm_unit_wage(w, k) / w->spy;
    bill +=
        wage * pow(f->output[k] / (firm_tfp_effective_base(w, k) * pow(f->capital[k], alpha)), e);
  }
  double target = si->wage_share * si->revenue * 1e8 / w->spy;
  return pow(bill / target, 1.0 / e);
}

static void init_firm_stocks(world *w, size_t k) {
  const scenario *s = w->scn;
  firm_soa *f = &w->f;
  const scn_industry *si = &s->industries[f->ind[k]];
  double q = f->output[k];
  double infra = w->reg[f->reg[k]].digital_infra;
  f->capital[k] = si->capital_output * q * w->spy;
  f->legacy[k] = s->firm.legacy_initial;
  double d = si->digital_initial * (0.5 + infra) * dist_lognormal(&f->rng[k], 0, 0.3);
  f->digital[k] = d > 0.95 ? 0.95 : d;
  f->autom[k] = f->digital[k] * (1 - f->legacy[k]); /* modern equipment installed at D */
  f->knowledge[k] = 1.0;
  f->price[k] = 1.0;
  f->quality[k] = 1.0;
  f->esg[k] = 0.3;
  f->reliability[k] = 1.0;
  f->fill[k] = 1.0;
  f->sales[k] = q;
  f->forecast[k] = q;
  f->target[k] = q;
  for (int h = 0; h < WORLD_HIST; h++) f->hist[k * WORLD_HIST + h] = q;
  f->inventory[k] = (s->firm.lead_time + s->firm.safety_stock) * q;
  const industry_state *is = &w->ind[f->ind[k]];
  for (int m = 0; m < is->n_inputs;
       m++) { /* steady state: stock at cover, one step's use in transit per lead step */
    f->input_stock[k * WORLD_MAX_INPUTS + (size_t)m] = is->coef[m] * q * s->firm.input_cover;
    for (int l = 0; l < s->firm.lead_time; l++)
      f->pipe[k * f->npipe + (size_t)(m * s->firm.lead_time + l)] = is->coef[m] * q;
  }
  f->data[k] = si->data_intensity * f->digital[k] * q * w->spy;
  f->cash[k] = s->firm.initial_cash * q;
  f->debt[k] = s->firm.initial_leverage * f->capital[k];
}

static void init_firm_labour(world *w, size_t k) {
  firm_soa *f = &w->f;
  const scn_industry *si = &w->scn->industries[f->ind[k]];
  double l = firm_labour_for(w, k, f->output[k]);
  f->skilled[k] = l * si->skill_share;
  f->unskilled[k] = l * (1 - si->skill_share) * firm_unskilled_need(w, k);
}

static int init_firms(world *w, char *err, size_t errlen) {
  size_t total = 0;
  for (int i = 0; i < w->ni; i++) total += industry_firm_count(w, i);
  if (total > (size_t)200000000) {
    set_err(err, errlen, "scale gives %zu firms, more than the limit of 2e8", total);
    return -1;
  }
  if (world_reserve(w, total + total / 4 + 64) != 0) {
    set_err(err, errlen, "out of memory allocating %zu firm slots", total);
    return -1;
  }
  size_t lo = 0;
  for (int i = 0; i < w->ni; i++) {
    size_t n = industry_firm_count(w, i);
    init_industry_firms(w, i, lo, n);
    for (size_t k = lo; k < lo + n; k++) init_firm_stocks(w, k);
    w->ind[i].tfp_scale = industry_tfp_scale(w, i, lo, n);
    for (size_t k = lo; k < lo + n; k++) init_firm_labour(w, k);
    lo += n;
  }
  w->f.n = lo;
  return 0;
}

/* Final demand: the scenario's final_share of output, or (-1) gross output minus
 * what local buyers take as inputs, at least a fifth of output. */
static void init_demand(world *w) {
  firm_soa *f = &w->f;
  double q[WORLD_MAX_INDUSTRIES] = {0}, inter[WORLD_MAX_INDUSTRIES] = {0};
  for (size_t k = 0; k < f->n; k++) q[f->ind[k]] += f->output[k];
  for (int i = 0; i < w->ni; i++) {
    double local = 1 - w->scn->industries[i].external_share;
    for (int m = 0; m < w->ind[i].n_inputs; m++)
      inter[w->ind[i].input[m]] += w->ind[i].coef[m] * q[i] * local;
  }
  for (int i = 0; i < w->ni; i++) {
    double fs = w->scn->industries[i].final_share;
    double fd = fs >= 0 ? fs * q[i] : q[i] - inter[i];
    if (fs < 0 && fd < 0.2 * q[i]) fd = 0.2 * q[i]; /* derived: at least a fifth is final use */
    w->ind[i].final_demand = w->ind[i].demand0 = fd;
  }
  for (size_t k = 0; k < f->n; k++) f->share[k] = f->output[k] / q[f->ind[k]];
}

static void init_labour_pools(world *w) {
  firm_soa *f = &w->f;
  for (size_t k = 0; k < f->n; k++) {
    w->reg[f->reg[k]].force_s += f->skilled[k];
    w->reg[f->reg[k]].force_u += f->unskilled[k];
  }
  for (int r = 0; r < w->nr; r++) {
    double u = w->scn->regions[r].unemployment;
    region_state *rs = &w->reg[r];
    rs->pool_s = rs->force_s * u / (1 - u);
    rs->pool_u = rs->force_u * u / (1 - u);
    rs->force_s += rs->pool_s;
    rs->force_u += rs->pool_u;
  }
}

/* Shock multipliers start neutral; industry mean output for entry and the
 * shared-factory SME test; the government's own stream. */
static void init_multipliers(world *w) {
  w->credit_mult = 1;
  for (int r = 0; r < w->nr; r++) w->reg[r].wage_pull = 1;
  for (int i = 0; i < w->ni; i++) {
    industry_state *is = &w->ind[i];
    is->shock_demand = is->shock_supply = 1;
    size_t n = w->ind_start[i + 1] - w->ind_start[i];
    double q = 0;
    for (size_t p = w->ind_start[i]; p < w->ind_start[i + 1]; p++)
      q += w->f.output[w->ind_firms[p]];
    is->mean_output = n ? q / (double)n : 0;
  }
  for (int id = 0; id < NSUB; id++) w->gov.sub_ratio[id] = 1;
  rng_stream(&w->gov.rng, w->seed, RNG_KIND_GOVERNMENT, 0);
}

world *world_create(const scenario *s, int threads, char *err, size_t errlen) {
  world *w = calloc(1, sizeof(*w));
  if (!w) goto oom;
  w->scn = s;
  w->ni = s->n_industries;
  w->nr = s->n_regions;
  w->ext = scn_external_region(s);
  w->spy = s->steps_per_year;
  w->threads = threads > 0 ? threads : 1;
  w->seed = (uint64_t)s->seed;
  w->f.nslot = (size_t)WORLD_MAX_INPUTS * (size_t)s->firm.supplier_slots;
  w->f.npipe = (size_t)WORLD_MAX_INPUTS * (size_t)(s->firm.lead_time > 0 ? s->firm.lead_time : 1);
  rng_stream(&w->rng, w->seed, RNG_KIND_WORLD, 0);
  w->n_inst = s->n_institutes;
  w->inst = calloc((size_t)(w->n_inst ? w->n_inst : 1), sizeof(institute_state));
  w->ind_start = calloc((size_t)w->ni + 1, sizeof(size_t));
  w->cell_entries = calloc((size_t)(w->ni * w->nr), sizeof(double));
  w->cell_start = calloc((size_t)(w->ni * w->nr) + 1, sizeof(size_t));
  w->cell_pos = calloc((size_t)(w->ni * w->nr) + 1, sizeof(size_t));
  w->cell_exits = calloc((size_t)(w->ni * w->nr), sizeof(double));
  if (!w->inst || !w->ind_start || !w->cell_entries || !w->cell_exits || !w->cell_start ||
      !w->cell_pos)
    goto oom;
  w->gov.cash = s->government.initial_reserve * 1e8 * s->scale;
  setup_regions(w);
  for (int i = 0; i < w->ni; i++) setup_industry_inputs(w, i), setup_other_share(w, i);
  setup_institutes(w);
  if (init_firms(w, err, errlen) != 0) goto fail;
  init_labour_pools(w);
  init_demand(w);
  if (world_index(w) != 0) goto oom;
  firm_init_links(w);
  if (world_index(w) != 0) goto oom;
  firm_init_external_capacity(w);
  for (size_t k = 0; k < w->f.n; k++) w->f.tfp_prev[k] = w->f.tfp[k];
  for (int i = 0; i < w->ni; i++) w->ind[i].price_level = 1;
  init_multipliers(w);
  w->money0 = world_money(w);
  w->debt0 = reduce_sum(w->f.debt, w->f.alive, w->f.n, w->threads);
  w->capital0 = reduce_sum(w->f.capital, w->f.alive, w->f.n, w->threads);
  return w;
oom:
  set_err(err, errlen, "out of memory building the world");
fail:
  world_free(&w);
  return NULL;
}
