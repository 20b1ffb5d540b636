/* world: allocation, initial conditions, indexes and invariant checks.
 *
 * Initial conditions (docs/ODD.md, Initialization): each industry's revenue
 * is split over its firms by lognormal size weights; capital follows the
 * industry's capital/output ratio; TFP is lognormal around an industry
 * scale chosen so that the industry's wage bill equals wage_share x revenue
 * (closed form, see industry_tfp_scale); workers follow from the production
 * function. Every draw a firm needs comes from its own stream.
 */
#include "sim/world.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/dist.h"
#include "sim/reduce.h"
#include "agents/firm.h"

static void set_err(char *err, size_t len, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, len, fmt, ap);
  va_end(ap);
}

/* 64-byte aligned zeroed array of N elements of SIZE bytes, with the old
 * content (OLD_N elements) copied over. Frees OLD. */
static void *grow_array(void *old, size_t old_n, size_t n, size_t size) {
  size_t bytes = n * size;
  bytes = (bytes + 63) / 64 * 64;
  if (bytes == 0) bytes = 64;
  void *p = aligned_alloc(64, bytes);
  if (!p) return NULL;
  memset(p, 0, bytes);
  if (old) {
    memcpy(p, old, old_n * size);
    free(old);
  }
  return p;
}

#define GROW(name, mult)                                                                           \
  do {                                                                                             \
    void *p_ = grow_array(f->name, f->cap * (mult), cap * (mult), sizeof(*f->name));               \
    if (!p_) return -1;                                                                            \
    f->name = p_;                                                                                  \
  } while (0);
#define GROW1(name) GROW(name, 1)

int world_reserve(world *w, size_t cap) {
  firm_soa *f = &w->f;
  if (cap <= f->cap) return 0;
  if (cap > SIZE_MAX / (sizeof(double) * (WORLD_HIST + f->nslot + 64))) return -1;
  FIRM_F64(GROW1)
  FIRM_U8(GROW1)
  FIRM_U16(GROW1)
  FIRM_OTHER(GROW1)
  FIRM_MULTI(GROW, f)
  size_t *fl = realloc(w->free_list, cap * sizeof(size_t));
  size_t *rs = realloc(w->rev_start, (cap + 1) * sizeof(size_t));
  if (fl) w->free_list = fl;
  if (rs) w->rev_start = rs;
  if (!fl || !rs) return -1;
  size_t *rv = realloc(w->rev_slot, cap * f->nslot * sizeof(size_t));
  size_t *inf = realloc(w->ind_firms, cap * sizeof(size_t));
  if (rv) w->rev_slot = rv;
  if (inf) w->ind_firms = inf;
  if (!rv || !inf) return -1;
  for (size_t i = f->cap * f->nslot; i < cap * f->nslot; i++) f->supplier[i] = SLOT_UNUSED;
  f->cap = cap;
  return 0;
}

#define FREE1(name)         free(f->name);
#define FREE_MULTI(name, n) free(f->name);

void world_free(world **pw) {
  if (!pw || !*pw) return;
  world *w = *pw;
  firm_soa *f = &w->f;
  FIRM_F64(FREE1)
  FIRM_U8(FREE1)
  FIRM_U16(FREE1)
  FIRM_OTHER(FREE1)
  FIRM_MULTI(FREE_MULTI, f)
  free(w->free_list);
  free(w->rev_start);
  free(w->rev_slot);
  free(w->ind_start);
  free(w->ind_firms);
  free(w->cum_w);
  free(w->cum_k);
  free(w->scratch);
  free(w->inst);
  free(w->cell_entries);
  free(w->cell_start);
  free(w->cell_pos);
  free(w->cell_exits);
  free(w);
  *pw = NULL;
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

/* ---- firms ------------------------------------------------------------- */

static size_t scn_firm_count(const scenario *s, int i) {
  double n = round(s->industries[i].firms * s->scale);
  if (n < s->min_firms) n = s->min_firms;
  return (size_t)n;
}

static size_t industry_firm_count(const world *w, int i) {
  return scn_firm_count(w->scn, i);
}

/* Bytes per firm slot of the arrays in the FIRM_* lists for the shape F. */
#define SLOT_BYTES1(m)      +sizeof(*((firm_soa *)0)->m)
#define SLOT_BYTESM(m, per) +sizeof(*((firm_soa *)0)->m) * (double)(per)
static double slot_bytes(const firm_soa *F) {
  return 0.0 FIRM_F64(SLOT_BYTES1) FIRM_U8(SLOT_BYTES1) FIRM_U16(SLOT_BYTES1)
      FIRM_OTHER(SLOT_BYTES1) FIRM_MULTI(SLOT_BYTESM, F);
}

double world_estimate_bytes(const scenario *s, size_t *firms) {
  size_t total = 0;
  for (int i = 0; i < s->n_industries; i++) total += scn_firm_count(s, i);
  if (firms) *firms = total;
  firm_soa shape = {0};
  shape.nslot = (size_t)WORLD_MAX_INPUTS * (size_t)s->firm.supplier_slots;
  shape.npipe = (size_t)WORLD_MAX_INPUTS * (size_t)(s->firm.lead_time > 0 ? s->firm.lead_time : 1);
  double cap = (double)total * 1.25 + 64;
  double index = 6 * sizeof(size_t) + (double)shape.nslot * sizeof(size_t); /* lists, cum_w */
  double blocks = cap / REDUCE_BLOCK + 1, cells = (double)s->n_industries * s->n_regions;
  double scratch = blocks * cells * 64 * sizeof(double) * 2; /* world and observer */
  return cap * (slot_bytes(&shape) + index) + scratch;
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

/* ---- indexes ------------------------------------------------------------ */

/* Live firms sorted by (industry, region) cell, in slot order within a
 * cell; cell_start[c] .. cell_start[c+1] is cell c = industry x nr + region,
 * ind_start[i] = cell_start[i x nr]. cum_w accumulates previous output
 * along each industry (weights for supplier choice). */
static int index_industries(world *w) {
  firm_soa *f = &w->f;
  size_t nc = (size_t)(w->ni * w->nr);
  size_t *cnt = w->cell_start;
  memset(cnt, 0, (nc + 1) * sizeof(size_t));
  for (size_t k = 0; k < f->n; k++)
    if (f->alive[k]) cnt[(size_t)f->ind[k] * (size_t)w->nr + f->reg[k] + 1]++;
  for (size_t c = 0; c < nc; c++) cnt[c + 1] += cnt[c];
  for (int i = 0; i <= w->ni; i++) w->ind_start[i] = cnt[(size_t)i * (size_t)w->nr];
  size_t *pos = w->cell_pos;
  memcpy(pos, cnt, nc * sizeof(size_t));
  for (size_t k = 0; k < f->n; k++)
    if (f->alive[k]) w->ind_firms[pos[(size_t)f->ind[k] * (size_t)w->nr + f->reg[k]]++] = k;
  double *cw = realloc(w->cum_w, (cnt[nc] + 1) * sizeof(double));
  if (cw) w->cum_w = cw;
  double *ck = realloc(w->cum_k, (cnt[nc] + 1) * sizeof(double));
  if (ck) w->cum_k = ck;
  if (!cw || !ck) return -1;
  return world_cumulate(w, f->output, cw);
}

static void index_suppliers(world *w) {
  firm_soa *f = &w->f;
  size_t ns = f->nslot;
  size_t *start = w->rev_start;
  memset(start, 0, (f->n + 1) * sizeof(size_t));
  for (size_t k = 0; k < f->n; k++) {
    if (!f->alive[k]) continue;
    for (size_t s = 0; s < ns; s++)
      if (f->supplier[k * ns + s] >= 0) start[f->supplier[k * ns + s] + 1]++;
  }
  for (size_t k = 0; k < f->n; k++) start[k + 1] += start[k];
  for (size_t k = 0; k < f->n; k++) {
    if (!f->alive[k]) continue;
    for (size_t s = 0; s < ns; s++) {
      int32_t sup = f->supplier[k * ns + s];
      if (sup >= 0) w->rev_slot[start[sup]++] = k * ns + s;
    }
  }
  for (size_t k = f->n; k > 0; k--) start[k] = start[k - 1];
  start[0] = 0;
}

/* Weight of the live firms of industry J in region R under the cumulative
 * weights CUM (along ind_firms, restarting at each industry). */
static double cell_weight(const world *w, const double *cum, int j, int r) {
  size_t c = (size_t)j * (size_t)w->nr + (size_t)r;
  size_t lo = w->cell_start[c], hi = w->cell_start[c + 1];
  if (hi == lo) return 0;
  return cum[hi - 1] - (lo > w->ind_start[j] ? cum[lo - 1] : 0);
}

/* First position p in [lo, hi) with cum[p] > u. */
static size_t search_cum(const double *cum, size_t lo, size_t hi, double u) {
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (cum[mid - 1] > u)
      hi = mid;
    else
      lo = mid;
  }
  return lo;
}

long world_pick_firm(const world *w, const double *cum, int j, int own, double bias, rng_t *r) {
  size_t lo = w->ind_start[j], hi = w->ind_start[j + 1];
  if (hi <= lo) return -1;
  double wr[WORLD_MAX_REGIONS];
  for (int g = 0; g < w->nr; g++) wr[g] = cell_weight(w, cum, j, g) * (g == own ? bias : 1);
  size_t g = dist_categorical(r, wr, (size_t)w->nr);
  if (g >= (size_t)w->nr) return (long)w->ind_firms[lo + rng_bounded(r, (uint32_t)(hi - lo))];
  size_t c = (size_t)j * (size_t)w->nr + g;
  size_t clo = w->cell_start[c], chi = w->cell_start[c + 1];
  double base = clo > lo ? cum[clo - 1] : 0;
  double u = base + rng_double(r) * cell_weight(w, cum, j, (int)g);
  return (long)w->ind_firms[search_cum(cum, clo, chi, u)];
}

int world_cumulate(const world *w, const double *x, double *cum) {
  for (int i = 0; i < w->ni; i++) {
    double c = 0;
    for (size_t p = w->ind_start[i]; p < w->ind_start[i + 1]; p++) {
      double v = x[w->ind_firms[p]];
      c += v > 0 ? v : 0;
      cum[p] = c;
    }
  }
  return 0;
}

/* Chain-master belts: a firm is in a belt when it is a chain master or
 * supplies one (a master's supplier slot names it). */
static void index_belts(world *w) {
  firm_soa *f = &w->f;
  for (size_t k = 0; k < f->n; k++) f->belt[k] = f->alive[k] && f->master[k];
  for (size_t k = 0; k < f->n; k++) {
    if (!f->alive[k] || !f->master[k]) continue;
    for (size_t s = 0; s < f->nslot; s++)
      if (f->supplier[k * f->nslot + s] >= 0) f->belt[f->supplier[k * f->nslot + s]] = 1;
  }
}

int world_index(world *w) {
  if (index_industries(w) != 0) return -1;
  index_suppliers(w);
  index_belts(w);
  size_t need = reduce_scratch_len(w->f.cap, (size_t)w->ni * (size_t)w->nr * 64);
  if (need > w->scratch_len) {
    double *p = realloc(w->scratch, need * sizeof(double));
    if (!p) return -1;
    w->scratch = p;
    w->scratch_len = need;
  }
  return 0;
}

/* ---- money and invariants ------------------------------------------------ */

double world_money(const world *w) {
  double m = reduce_sum(w->f.cash, w->f.alive, w->f.n, w->threads);
  for (int k = 0; k < w->n_inst; k++) m += w->inst[k].cash;
  m += w->gov.cash;
  for (int a = 0; a < ACC_N; a++) m += w->acc[a];
  return m;
}

#define CHECK(cond, ...)                                                                           \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      set_err(err, errlen, __VA_ARGS__);                                                           \
      return -1;                                                                                   \
    }                                                                                              \
  } while (0)

/* Per-firm variables that are stocks (>= 0) and shares (in [0, 1]); every
 * FIRM_F64 variable must be finite. */
/* clang-format off */
#define FIRM_STOCKS(X)                                                               \
  X(capital) X(skilled) X(unskilled) X(inventory) X(data) X(knowledge) X(debt)       \
  X(tfp) X(price) X(share) X(output) X(sales) X(quality) X(credit_got) X(wages)
#define FIRM_SHARES(X) X(digital) X(legacy) X(autom) X(esg) X(reliability) X(fill)
/* clang-format on */
#define CHECK_FINITE(name)                                                                         \
  CHECK(isfinite(f->name[k]), "step %d: firm %zu: " #name " = %g is not finite", w->step, k,       \
        f->name[k]);
#define CHECK_STOCK(name)                                                                          \
  CHECK(f->name[k] >= 0, "step %d: firm %zu: " #name " = %g is negative", w->step, k, f->name[k]);
#define CHECK_SHARE(name)                                                                          \
  CHECK(f->name[k] >= 0 && f->name[k] <= 1, "step %d: firm %zu: " #name " = %g outside [0, 1]",    \
        w->step, k, f->name[k]);

static int check_firm(const world *w, size_t k, char *err, size_t errlen) {
  const firm_soa *f = &w->f;
  FIRM_F64(CHECK_FINITE)
  FIRM_STOCKS(CHECK_STOCK)
  FIRM_SHARES(CHECK_SHARE)
  CHECK(f->autom[k] <= 1 - f->legacy[k] + 1e-12,
        "step %d: firm %zu: automated share %g exceeds the modern share %g", w->step, k,
        f->autom[k], 1 - f->legacy[k]);
  CHECK(f->reg[k] != w->ext && f->reg[k] < w->nr, "step %d: firm %zu in region %d", w->step, k,
        f->reg[k]);
  for (size_t s = 0; s < f->nslot; s++) {
    int32_t sup = f->supplier[k * f->nslot + s];
    int m = (int)(s / (size_t)w->scn->firm.supplier_slots);
    const industry_state *is = &w->ind[f->ind[k]];
    if (m >= is->n_inputs) {
      CHECK(sup == SLOT_UNUSED, "step %d: firm %zu: slot %zu should be unused", w->step, k, s);
      continue;
    }
    CHECK(sup == SLOT_EXTERNAL ||
              (sup >= 0 && (size_t)sup < f->n && f->alive[sup] && f->ind[sup] == is->input[m]),
          "step %d: firm %zu: slot %zu names supplier %d, not a live firm of input industry %d",
          w->step, k, s, sup, is->input[m]);
  }
  return 0;
}

static int check_regions(const world *w, char *err, size_t errlen) {
  double emp_s[WORLD_MAX_REGIONS] = {0}, emp_u[WORLD_MAX_REGIONS] = {0};
  const firm_soa *f = &w->f;
  for (size_t k = 0; k < f->n; k++)
    if (f->alive[k]) {
      emp_s[f->reg[k]] += f->skilled[k];
      emp_u[f->reg[k]] += f->unskilled[k];
    }
  for (int r = 0; r < w->nr; r++) {
    const region_state *rs = &w->reg[r];
    CHECK(rs->pool_s >= 0 && rs->pool_u >= 0 && isfinite(rs->wage_s) && isfinite(rs->wage_u) &&
              rs->wage_s > 0 && rs->wage_u > 0,
          "step %d: region %d: pools %g/%g wages %g/%g", w->step, r, rs->pool_s, rs->pool_u,
          rs->wage_s, rs->wage_u);
    double tol = 1e-6 * (rs->force_s + rs->force_u + 1);
    CHECK(fabs(emp_s[r] + rs->pool_s - rs->force_s) <= tol,
          "step %d: region %d: skilled employed %g + unemployed %g != labour force %g", w->step, r,
          emp_s[r], rs->pool_s, rs->force_s);
    CHECK(fabs(emp_u[r] + rs->pool_u - rs->force_u) <= tol,
          "step %d: region %d: unskilled employed %g + unemployed %g != labour force %g", w->step,
          r, emp_u[r], rs->pool_u, rs->force_u);
  }
  return 0;
}

int world_check(const world *w, char *err, size_t errlen) {
  const firm_soa *f = &w->f;
  for (size_t k = 0; k < f->n; k++)
    if (f->alive[k] && check_firm(w, k, err, errlen) != 0) return -1;
  if (check_regions(w, err, errlen) != 0) return -1;
  for (int k = 0; k < w->n_inst; k++)
    CHECK(isfinite(w->inst[k].cash) && w->inst[k].knowledge >= 0,
          "step %d: institute %d: cash %g knowledge %g", w->step, k, w->inst[k].cash,
          w->inst[k].knowledge);
  CHECK(isfinite(w->gov.cash), "step %d: government cash %g", w->step, w->gov.cash);
  double m = world_money(w);
  double scale = fabs(w->money0) + reduce_sum(f->sales, f->alive, f->n, w->threads) + 1;
  CHECK(fabs(m - w->money0) <= 1e-9 * scale,
        "step %d: money not conserved: %.17g now, %.17g at start (difference %g CNY)", w->step, m,
        w->money0, m - w->money0);
  return 0;
}
