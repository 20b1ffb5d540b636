/* observe: series definitions and their computation (phase 8); firm panel.
 *
 * Invariants: each series is defined in exactly one table row; values at
 * the economy, industry and region levels are sums over industry x region
 * cells taken in fixed cell order, so levels agree; weighted means divide
 * sums of the same cells; a mean without weight is NaN.
 */
#include "sim/observe.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agents/firm.h"
#include "base/reduce.h"

#define EPS 1e-9

/* Per-firm contributions summed by cell. */
enum {
  V_COUNT,
  V_OUTPUT,
  V_VA,
  V_SALES,
  V_EMP_S,
  V_EMP_U,
  V_WAGES,
  V_RD,
  V_INNOV,
  V_IMIT,
  V_LIC,
  V_CREDIT,
  V_CREDIT_DATA,
  V_CREDIT_REQ,
  V_ORDERS_OUT,
  V_ORDERS_IN,
  V_SHIPPED,
  V_INPUTS,
  V_UNFILLED,
  V_INVENTORY,
  V_EXT_INPUT,
  V_LOGISTICS,
  V_DATA,
  V_CAPITAL,
  V_DEBT,
  V_PROFIT,
  V_ENERGY,
  V_TFP,
  V_DIGITAL,
  V_PRICE_Q,
  V_ESG,
  V_QUALITY,
  V_TECH_Q,
  V_ORG_Q,
  V_VALUE_Q,
  V_NQP_Q,
  V_LEGACY_K,
  V_AUTO_K,
  V_DEMAND,
  V_TAX,
  V_DIG_INV,
  V_RENTED,
  V_SUBSIDY,
  V_SCIENTISTS,
  V_ENTRIES,
  V_EXITS,
  NV
};

enum {
  L_E = 1 << SERIES_ECONOMY,
  L_I = 1 << SERIES_INDUSTRY,
  L_R = 1 << SERIES_REGION,
  L_IR = 1 << SERIES_INDUSTRY_REGION,
  L_ALL = L_E | L_I | L_R | L_IR
};

typedef enum { OP_SUM, OP_RATIO, OP_DIFF, OP_P90P10, OP_REGION, OP_INDUSTRY, OP_ECONOMY } obs_op;

typedef double (*obs_get)(const world *w, int index);

typedef struct obs_def {
  const char *name, *units, *doc;
  obs_op op;
  int a, b;     /* variables: SUM a; RATIO a/b; DIFF a-b */
  int levels;   /* L_* mask */
  obs_get get;  /* REGION/INDUSTRY/ECONOMY: value for region/industry index (economy: 0) */
  int econ_sum; /* REGION/INDUSTRY getters: economy value = sum over groups */
} obs_def;

/* ---- getters for non-firm series ---------------------------------------- */

static double g_wage_s(const world *w, int r) {
  return w->reg[r].wage_s;
}
static double g_wage_u(const world *w, int r) {
  return w->reg[r].wage_u;
}
static double g_pool_s(const world *w, int r) {
  return w->reg[r].pool_s;
}
static double g_pool_u(const world *w, int r) {
  return w->reg[r].pool_u;
}
static double g_vac_s(const world *w, int r) {
  return w->reg[r].vac_s;
}
static double g_vac_u(const world *w, int r) {
  return w->reg[r].vac_u;
}
static double g_migrated(const world *w, int r) {
  return w->reg[r].migrated;
}
static double g_grads_ret(const world *w, int r) {
  return w->reg[r].grads_retained;
}
static double g_grads_left(const world *w, int r) {
  return w->reg[r].grads_left;
}
static double g_tax_r(const world *w, int r) {
  return w->reg[r].tax;
}
static double g_inv_local(const world *w, int r) {
  double s = 0;
  for (int k = 0; k < w->n_inst; k++) s += w->inst[k].region == r ? w->inst[k].inv_local : 0;
  return s;
}
static double g_inv_sold(const world *w, int r) {
  double s = 0;
  for (int k = 0; k < w->n_inst; k++) s += w->inst[k].region == r ? w->inst[k].inv_sold : 0;
  return s;
}
static double g_final_demand(const world *w, int i) {
  return w->ind[i].final_demand;
}
static double g_ext_capacity(const world *w, int i) {
  return w->ind[i].ext_capacity;
}
static double g_ext_orders(const world *w, int i) {
  return w->ind[i].ext_orders;
}
static double g_ext_fill(const world *w, int i) {
  return w->ind[i].ext_fill;
}
static double g_gov_cash(const world *w, int i) {
  return w->gov.cash;
}
static double g_gov_tax(const world *w, int i) {
  return w->gov.tax;
}
static double g_spend_total(const world *w, int i) {
  double s = 0;
  for (int id = 0; id < LEVER_N; id++) s += w->gov.spend[id];
  return s;
}
#define LEVER_GETTERS(id, key, doc)                                                                \
  static double g_spend_##key(const world *w, int i) {                                             \
    return w->gov.spend[LEVER_##id];                                                               \
  }                                                                                                \
  static double g_cut_##key(const world *w, int i) {                                               \
    return w->gov.cut[LEVER_##id];                                                                 \
  }
SCN_LEVERS(LEVER_GETTERS)
#undef LEVER_GETTERS
static double g_challenges(const world *w, int i) {
  return w->gov.challenges;
}
static double g_solved(const world *w, int i) {
  return w->gov.solved;
}
static double g_poc(const world *w, int i) {
  return w->gov.poc;
}
static double g_chain_entries(const world *w, int i) {
  return w->gov.chain_entries;
}
static double g_bad_debt(const world *w, int i) {
  return w->bad_debt;
}

#define SUM(n, u, d, v)                                                                            \
  { n, u, d, OP_SUM, v, 0, L_ALL, NULL, 0 }
#define RATIO(n, u, d, a, b)                                                                       \
  { n, u, d, OP_RATIO, a, b, L_ALL, NULL, 0 }
#define REG(n, u, d, g, es)                                                                        \
  { n, u, d, OP_REGION, 0, 0, L_R | (es ? L_E : 0), g, es }
#define IND(n, u, d, g, es)                                                                        \
  { n, u, d, OP_INDUSTRY, 0, 0, L_I | (es ? L_E : 0), g, es }
#define ECO(n, u, d, g)                                                                            \
  { n, u, d, OP_ECONOMY, 0, 0, L_E, g, 0 }

static const obs_def defs[] = {
    SUM("firms", "firms", "live firms", V_COUNT),
    SUM("output", "CNY/step", "output at base prices", V_OUTPUT),
    SUM("value_added", "CNY/step", "sales minus inputs", V_VA),
    SUM("sales", "CNY/step", "sales revenue", V_SALES),
    SUM("final_demand_addressed", "CNY/step", "final demand addressed to firms (base prices)",
        V_DEMAND),
    SUM("employment_skilled", "workers", "skilled employment", V_EMP_S),
    SUM("employment_unskilled", "workers", "unskilled employment", V_EMP_U),
    SUM("wage_bill", "CNY/step", "wages paid", V_WAGES),
    RATIO("price", "1", "output-weighted price index", V_PRICE_Q, V_OUTPUT),
    RATIO("tfp", "1",
          "mean effective TFP: relative TFP (lognormal, median 1 at the start) x exp(eps_D x D)",
          V_TFP, V_COUNT),
    {"tfp_p90_p10", "1", "TFP dispersion: 90th / 10th percentile", OP_P90P10, 0, 0, L_E | L_I, NULL,
     0},
    RATIO("digital", "share", "mean digital penetration D", V_DIGITAL, V_COUNT),
    SUM("digital_investment", "CNY/step", "digital investment", V_DIG_INV),
    SUM("data_assets", "CNY", "data-asset stock", V_DATA),
    SUM("rd", "CNY/step", "R&D spending", V_RD),
    SUM("innovations", "count/step", "successful innovations", V_INNOV),
    SUM("imitations", "count/step", "successful imitations", V_IMIT),
    SUM("licences", "count/step", "institute technologies received by firms", V_LIC),
    SUM("credit_granted", "CNY/step", "new credit granted", V_CREDIT),
    SUM("credit_data_pledged", "CNY/step", "of new credit, granted against pledged data assets",
        V_CREDIT_DATA),
    {"credit_rationed", "CNY/step", "credit requested within limits but not granted", OP_DIFF,
     V_CREDIT_REQ, V_CREDIT, L_ALL, NULL, 0},
    SUM("debt", "CNY", "bank debt", V_DEBT),
    SUM("capital", "CNY", "capital stock", V_CAPITAL),
    RATIO("legacy_share", "share", "legacy share of capital", V_LEGACY_K, V_CAPITAL),
    RATIO("automation", "share",
          "automated (digitally controlled) share of capital, the model's numerical-control rate",
          V_AUTO_K, V_CAPITAL),
    SUM("profit", "CNY/step", "profit after tax", V_PROFIT),
    SUM("orders_placed", "CNY/step", "intermediate orders placed (base prices)", V_ORDERS_OUT),
    SUM("orders_received", "CNY/step", "intermediate orders received by local suppliers",
        V_ORDERS_IN),
    SUM("deliveries", "CNY/step", "intermediate deliveries made by local suppliers", V_SHIPPED),
    SUM("inputs_received", "CNY/step", "inputs received from all suppliers", V_INPUTS),
    SUM("unfilled", "CNY/step", "final demand and orders not served", V_UNFILLED),
    SUM("inventory", "CNY", "finished-goods inventory (base prices)", V_INVENTORY),
    SUM("external_inputs", "CNY/step", "inputs received from External", V_EXT_INPUT),
    RATIO("external_input_share", "share", "External share of inputs received", V_EXT_INPUT,
          V_INPUTS),
    SUM("logistics_cost", "CNY/step", "logistics premium paid on External inputs", V_LOGISTICS),
    SUM("energy", "tce/step", "energy use", V_ENERGY),
    RATIO("energy_intensity", "tce/CNY", "energy per CNY of output", V_ENERGY, V_OUTPUT),
    RATIO("esg", "share", "mean ESG score", V_ESG, V_COUNT),
    RATIO("quality", "1", "mean quality", V_QUALITY, V_COUNT),
    SUM("taxes_paid", "CNY/step", "profit taxes paid", V_TAX),
    SUM("entries", "firms/step", "entrants", V_ENTRIES),
    SUM("shared_capacity", "CNY", "shared-factory capacity rented (capital)", V_RENTED),
    SUM("subsidies_received", "CNY/step", "compute-network and green-fund subsidies received",
        V_SUBSIDY),
    SUM("scientists_stationed", "persons", "scientists stationed in firms", V_SCIENTISTS),
    SUM("exits", "firms/step", "exits", V_EXITS),
    RATIO("index_tech", "share", "technology penetration index (output-weighted)", V_TECH_Q,
          V_OUTPUT),
    RATIO("index_org", "share", "organisational restructuring index (output-weighted)", V_ORG_Q,
          V_OUTPUT),
    RATIO("index_value", "share", "value co-creation index (output-weighted)", V_VALUE_Q, V_OUTPUT),
    RATIO("index_nqp", "share", "composite new-quality-productivity index (output-weighted)",
          V_NQP_Q, V_OUTPUT),
    REG("wage_skilled", "CNY/worker/year", "skilled wage", g_wage_s, 0),
    REG("wage_unskilled", "CNY/worker/year", "unskilled wage", g_wage_u, 0),
    REG("unemployed_skilled", "workers", "unemployed skilled workers", g_pool_s, 1),
    REG("unemployed_unskilled", "workers", "unemployed unskilled workers", g_pool_u, 1),
    REG("vacancies_skilled", "workers", "skilled vacancies posted", g_vac_s, 1),
    REG("vacancies_unskilled", "workers", "unskilled vacancies posted", g_vac_u, 1),
    REG("migrated_skilled", "workers/step", "skilled workers leaving for External", g_migrated, 1),
    REG("graduates_retained", "persons/step", "graduates staying in the province", g_grads_ret, 1),
    REG("graduates_left", "persons/step", "graduates leaving the province", g_grads_left, 1),
    REG("inventions_local", "count/step", "institute inventions licensed in the province",
        g_inv_local, 1),
    REG("inventions_sold_out", "count/step", "institute inventions sold out of province",
        g_inv_sold, 1),
    REG("tax_revenue", "CNY/step", "taxes collected", g_tax_r, 1),
    IND("final_demand", "CNY/step", "final demand for the industry (base prices)", g_final_demand,
        1),
    IND("external_capacity", "CNY/step", "External supply capacity of the industry's goods",
        g_ext_capacity, 1),
    IND("external_orders", "CNY/step", "orders for the industry's goods placed with External",
        g_ext_orders, 1),
    IND("external_fill", "share", "share of External orders served", g_ext_fill, 0),
    ECO("government_cash", "CNY", "treasury", g_gov_cash),
    ECO("government_tax", "CNY/step", "taxes collected", g_gov_tax),
    ECO("lever_spending", "CNY/step", "spending on all levers", g_spend_total),
#define LEVER_SERIES(id, key, doc)                                                                 \
  ECO("lever_spending_" #key, "CNY/step", "spending on the lever: " doc, g_spend_##key),           \
      ECO("lever_cut_" #key, "CNY/step", "lever cost not paid for lack of budget: " doc,           \
          g_cut_##key),
    SCN_LEVERS(LEVER_SERIES)
#undef LEVER_SERIES
        ECO("challenges_posted", "count/step", "challenge-fund problems posted", g_challenges),
    ECO("challenges_solved", "count/step", "challenge-fund problems solved by institutes",
        g_solved),
    ECO("poc_kept_local", "count/step",
        "inventions kept in the province by proof-of-concept centres", g_poc),
    ECO("chain_entrants", "firms/step", "entrants attracted by chain completion", g_chain_entries),
    ECO("bad_debt", "CNY", "debt written off by exits, cumulative", g_bad_debt),
};
#define NDEFS SCH_COUNT(defs)

#define NPANEL 17 /* entries of panel_vars below */

struct observer {
  size_t ni, nr, ncell;
  series_def *series; /* one per (def, level) */
  int *series_def;    /* def of each series */
  size_t n_series;
  double **values;             /* per series */
  double *cells;               /* ncell * NV: sums by industry x region */
  double *lev[SERIES_NLEVELS]; /* sums by level: economy, industry, region, cell (= cells) */
  double *tmp;                 /* n firms, for quantiles */
  size_t tmp_cap;
  void **panel_cols;
  size_t panel_cap;
};

/* ---- per-firm indices ----------------------------------------------------- */

static double clamp01(double x) {
  return x < 0 ? 0 : (x > 1 ? 1 : x);
}

double obs_index_tech(const world *w, size_t k) {
  const firm_soa *f = &w->f;
  double rd = f->sales[k] > EPS ? f->rd[k] / f->sales[k] : 0;
  return (f->digital[k] + clamp01(rd / 0.05) + (1 - f->legacy[k])) / 3;
}

/* Collaboration component 1 - exp(-links / LINKS_REF). Links decay by 10%
 * a step, so a firm receiving technologies at a rate of lambda per step
 * holds links of 10 x lambda on average: LINKS_REF = 0.1 gives 0.63 to a
 * firm linked once every 25 years (about the province's mean: institutes
 * license a few thousand technologies a year to some 25,000 firms), and
 * near 1 to a firm linked every few years. docs/ODD.md (Submodels). */
#define LINKS_REF 0.1

/* Three parts of organisational restructuring (MODEL.md s.1): supply-chain
 * localisation (in-province share of supplier slots), collaboration with
 * institutes (links), and platform participation (a chain-master belt or
 * shared-factory capacity). */
double obs_index_org(const world *w, size_t k) {
  const firm_soa *f = &w->f;
  double platform = f->belt[k] || f->rented[k] > 0 ? 1 : 0;
  return (f->local_inputs[k] + (1 - exp(-f->links[k] / LINKS_REF)) + platform) / 3;
}

double obs_index_value(const world *w, size_t k) {
  const firm_soa *f = &w->f;
  double yearly = f->sales[k] * w->spy;
  double data = yearly > EPS ? clamp01(f->data[k] / (0.05 * yearly)) : 0;
  return (clamp01(f->quality[k] / 2) + f->esg[k] + data) / 3;
}

double obs_index_nqp(const world *w, size_t k) {
  return cbrt(obs_index_tech(w, k) * obs_index_org(w, k) * obs_index_value(w, k));
}

/* ---- computation ---------------------------------------------------------- */

static void firm_contrib(const world *w, size_t k, double *v) {
  const firm_soa *f = &w->f;
  const scn_industry *si = &w->scn->industries[f->ind[k]];
  double q = f->output[k], ord = 0, got = 0;
  for (size_t s = 0; s < f->nslot; s++) {
    ord += f->order[k * f->nslot + s] * (f->supplier[k * f->nslot + s] != SLOT_UNUSED);
    got += f->got[k * f->nslot + s] * (f->supplier[k * f->nslot + s] != SLOT_UNUSED);
  }
  v[V_COUNT] += 1, v[V_OUTPUT] += q, v[V_VA] += f->value_added[k], v[V_SALES] += f->sales[k];
  v[V_EMP_S] += f->skilled[k], v[V_EMP_U] += f->unskilled[k], v[V_WAGES] += f->wages[k];
  v[V_RD] += f->rd[k], v[V_INNOV] += f->innovated[k], v[V_IMIT] += f->imitated[k];
  v[V_LIC] += f->licences[k], v[V_CREDIT] += f->credit_got[k],
      v[V_CREDIT_DATA] += f->credit_data[k], v[V_CREDIT_REQ] += f->credit_req[k];
  v[V_ORDERS_OUT] += ord, v[V_ORDERS_IN] += f->orders_in[k], v[V_SHIPPED] += f->shipped[k];
  v[V_INPUTS] += got, v[V_UNFILLED] += f->unfilled[k], v[V_INVENTORY] += f->inventory[k];
  v[V_EXT_INPUT] += f->ext_input[k], v[V_LOGISTICS] += f->logistics[k], v[V_DATA] += f->data[k];
  v[V_CAPITAL] += f->capital[k], v[V_DEBT] += f->debt[k], v[V_PROFIT] += f->profit[k];
  v[V_ENERGY] += si->energy_intensity * q / 1e4 * (1 - 0.3 * f->esg[k]);
  v[V_TFP] += firm_tfp_effective_base(w, k), v[V_DIGITAL] += f->digital[k];
  v[V_PRICE_Q] += f->price[k] * q, v[V_ESG] += f->esg[k], v[V_QUALITY] += f->quality[k];
  v[V_TECH_Q] += obs_index_tech(w, k) * q, v[V_ORG_Q] += obs_index_org(w, k) * q;
  v[V_VALUE_Q] += obs_index_value(w, k) * q, v[V_NQP_Q] += obs_index_nqp(w, k) * q;
  v[V_LEGACY_K] += f->legacy[k] * f->capital[k], v[V_DEMAND] += f->demand[k];
  v[V_AUTO_K] += f->autom[k] * f->capital[k];
  v[V_TAX] += f->tax[k], v[V_DIG_INV] += f->dig_inv[k];
  v[V_RENTED] += f->rented[k], v[V_SCIENTISTS] += f->stationed[k] > 0;
  v[V_SUBSIDY] += f->sub_paid[k * NSUB + SUB_COMPUTE] + f->sub_paid[k * NSUB + SUB_GREEN];
}

static void cell_block(const void *ctx, size_t lo, size_t hi, double *acc) {
  const world *w = ctx;
  const firm_soa *f = &w->f;
  for (size_t k = lo; k < hi; k++)
    if (f->alive[k]) firm_contrib(w, k, acc + ((size_t)f->ind[k] * (size_t)w->nr + f->reg[k]) * NV);
}

static size_t level_size(const observer *o, series_level g) {
  switch (g) {
  case SERIES_ECONOMY:
    return 1;
  case SERIES_INDUSTRY:
    return o->ni;
  case SERIES_REGION:
    return o->nr;
  default:
    return o->ncell;
  }
}

/* Sums of every variable at every level, cell by cell in fixed order. */
static void level_sums(observer *o) {
  memset(o->lev[SERIES_ECONOMY], 0, NV * sizeof(double));
  memset(o->lev[SERIES_INDUSTRY], 0, o->ni * NV * sizeof(double));
  memset(o->lev[SERIES_REGION], 0, o->nr * NV * sizeof(double));
  for (size_t i = 0; i < o->ni; i++)
    for (size_t r = 0; r < o->nr; r++) {
      const double *c = o->lev[SERIES_INDUSTRY_REGION] + (i * o->nr + r) * NV;
      for (size_t v = 0; v < NV; v++) {
        o->lev[SERIES_ECONOMY][v] += c[v];
        o->lev[SERIES_INDUSTRY][i * NV + v] += c[v];
        o->lev[SERIES_REGION][r * NV + v] += c[v];
      }
    }
}

static double level_sum(const observer *o, series_level g, size_t c, int v) {
  return o->lev[g][c * NV + (size_t)v];
}

/* 90th/10th percentile ratio of effective TFP among live firms of industry
 * IND (-1: all), by selection: independent of slot order. */
static double p90p10(observer *o, const world *w, int ind) {
  size_t m = 0;
  size_t lo = w->ind_start[ind < 0 ? 0 : ind], hi = w->ind_start[ind < 0 ? w->ni : ind + 1];
  for (size_t p = lo; p < hi; p++) o->tmp[m++] = firm_tfp_effective_base(w, w->ind_firms[p]);
  if (m < 2) return NAN;
  double p90 = reduce_select_kth(o->tmp, m, (size_t)(0.9 * (double)(m - 1)));
  double p10 = reduce_select_kth(o->tmp, m, (size_t)(0.1 * (double)(m - 1)));
  return p10 > 0 ? p90 / p10 : NAN;
}

static double getter_value(const obs_def *d, const world *w, series_level g, size_t c) {
  if (d->op == OP_ECONOMY) return d->get(w, 0);
  if (g != SERIES_ECONOMY) return d->get(w, (int)c);
  double s = 0;
  int n = d->op == OP_REGION ? w->nr : w->ni;
  for (int i = 0; i < n; i++) s += d->get(w, i);
  return s;
}

static double series_value(observer *o, const world *w, const obs_def *d, series_level g,
                           size_t c) {
  switch (d->op) {
  case OP_SUM:
    return level_sum(o, g, c, d->a);
  case OP_DIFF:
    return level_sum(o, g, c, d->a) - level_sum(o, g, c, d->b);
  case OP_RATIO: {
    double den = level_sum(o, g, c, d->b);
    return den > 0 ? level_sum(o, g, c, d->a) / den : NAN;
  }
  case OP_P90P10:
    return p90p10(o, w, g == SERIES_ECONOMY ? -1 : (int)c);
  default:
    return getter_value(d, w, g, c);
  }
}

const double *const *obs_compute(observer *o, const world *w) {
  if (o->tmp_cap < w->f.n) {
    double *t = realloc(o->tmp, (w->f.n + 1) * sizeof(double));
    if (!t) return NULL;
    o->tmp = t;
    o->tmp_cap = w->f.n;
  }
  reduce_blocks(w->f.n, o->ncell * NV, cell_block, w, o->cells, w->scratch, w->threads);
  for (size_t c = 0; c < o->ncell; c++) {
    o->cells[c * NV + V_ENTRIES] = w->cell_entries[c];
    o->cells[c * NV + V_EXITS] = w->cell_exits[c];
  }
  level_sums(o);
  for (size_t s = 0; s < o->n_series; s++) {
    const obs_def *d = &defs[o->series_def[s]];
    series_level g = o->series[s].group;
    for (size_t c = 0; c < level_size(o, g); c++) o->values[s][c] = series_value(o, w, d, g, c);
  }
  return (const double *const *)o->values;
}

/* ---- lifecycle and lookups ------------------------------------------------ */

observer *obs_create(const world *w) {
  observer *o = calloc(1, sizeof(*o));
  if (!o) return NULL;
  o->ni = (size_t)w->ni, o->nr = (size_t)w->nr, o->ncell = o->ni * o->nr;
  size_t cap = NDEFS * SERIES_NLEVELS;
  o->series = calloc(cap, sizeof(series_def));
  o->series_def = calloc(cap, sizeof(int));
  o->values = calloc(cap, sizeof(double *));
  o->cells = calloc(o->ncell * NV, sizeof(double));
  o->lev[SERIES_ECONOMY] = calloc(NV, sizeof(double));
  o->lev[SERIES_INDUSTRY] = calloc(o->ni * NV, sizeof(double));
  o->lev[SERIES_REGION] = calloc(o->nr * NV, sizeof(double));
  o->lev[SERIES_INDUSTRY_REGION] = o->cells;
  if (!o->series || !o->series_def || !o->values || !o->cells || !o->lev[0] || !o->lev[1] ||
      !o->lev[2])
    goto fail;
  for (size_t d = 0; d < NDEFS; d++)
    for (int g = 0; g < SERIES_NLEVELS; g++) {
      if (!(defs[d].levels & (1 << g))) continue;
      size_t s = o->n_series++;
      o->series[s] = (series_def){defs[d].name, defs[d].units, defs[d].doc, (series_level)g};
      o->series_def[s] = (int)d;
      o->values[s] = calloc(level_size(o, (series_level)g), sizeof(double));
      if (!o->values[s]) goto fail;
    }
  return o;
fail:
  obs_free(&o);
  return NULL;
}

void obs_free(observer **po) {
  if (!po || !*po) return;
  observer *o = *po;
  for (size_t s = 0; s < o->n_series; s++) free(o->values[s]);
  free(o->values);
  free(o->series);
  free(o->series_def);
  free(o->cells);
  for (int g = 0; g < SERIES_INDUSTRY_REGION; g++) free(o->lev[g]);
  free(o->tmp);
  if (o->panel_cols)
    for (size_t j = 0; j < NPANEL; j++) free(o->panel_cols[j]);
  free(o->panel_cols);
  free(o);
  *po = NULL;
}

const series_def *obs_series(const observer *o, size_t *n) {
  *n = o->n_series;
  return o->series;
}

double obs_value(const observer *o, const char *name, series_level g, size_t c) {
  for (size_t s = 0; s < o->n_series; s++)
    if (o->series[s].group == g && strcmp(o->series[s].name, name) == 0 && c < level_size(o, g))
      return o->values[s][c];
  return NAN;
}

double obs_economy(const observer *o, const char *name) {
  return obs_value(o, name, SERIES_ECONOMY, 0);
}

int obs_series_aggregation(const char *name, const char **weight) {
  if (weight) *weight = NULL;
  for (size_t d = 0; d < NDEFS; d++) {
    if (strcmp(defs[d].name, name) != 0) continue;
    switch (defs[d].op) {
    case OP_SUM:
    case OP_DIFF:
      return OBS_AGG_SUM;
    case OP_RATIO:
      for (size_t e = 0; e < NDEFS; e++) /* the sum series of the denominator */
        if (defs[e].op == OP_SUM && defs[e].a == defs[d].b) {
          if (weight) *weight = defs[e].name;
          return OBS_AGG_MEAN;
        }
      return OBS_AGG_NONE;
    case OP_REGION:
    case OP_INDUSTRY:
      return defs[d].econ_sum ? OBS_AGG_SUM : OBS_AGG_NONE;
    default:
      return OBS_AGG_NONE;
    }
  }
  return -1;
}

/* ---- firm panel ----------------------------------------------------------- */

static const panel_var panel_vars[] = {
    {"industry", "index", "industry index (see series/industry labels)", PANEL_I32},
    {"region", "index", "region index (see series/region labels)", PANEL_I32},
    {"age", "steps", "steps since entry", PANEL_I32},
    {"uid", "id", "firm serial id (creation order)", PANEL_I32},
    {"chain_master", "flag", "1 for a chain-master firm", PANEL_I32},
    {"sales", "CNY/step", "sales revenue", PANEL_F64},
    {"output", "CNY/step", "output at base prices", PANEL_F64},
    {"employment", "workers", "skilled + unskilled workers", PANEL_F64},
    {"tfp", "1", "effective TFP relative to the industry's initial level", PANEL_F64},
    {"digital", "share", "digital penetration D", PANEL_F64},
    {"growth", "1", "log sales growth over the last step", PANEL_F64},
    {"capital", "CNY", "capital stock", PANEL_F64},
    {"index_nqp", "share", "composite new-quality-productivity index", PANEL_F64},
    {"automation", "share", "automated share of own capital", PANEL_F64},
    {"index_tech", "share", "technology-penetration index T", PANEL_F64},
    {"index_org", "share", "organisational-restructuring index O", PANEL_F64},
    {"index_value", "share", "value co-creation index V", PANEL_F64},
};
_Static_assert(SCH_COUNT(panel_vars) == NPANEL, "NPANEL must match panel_vars");

const panel_var *obs_panel_vars(size_t *n) {
  *n = NPANEL;
  return panel_vars;
}

static int panel_reserve(observer *o, size_t n) {
  if (o->panel_cap >= n && o->panel_cols) return 0;
  if (!o->panel_cols) o->panel_cols = calloc(NPANEL, sizeof(void *));
  if (!o->panel_cols) return -1;
  for (size_t j = 0; j < NPANEL; j++) {
    size_t sz = panel_vars[j].type == PANEL_I32 ? sizeof(int32_t) : sizeof(double);
    void *p = realloc(o->panel_cols[j], (n + 1) * sz);
    if (!p) return -1;
    o->panel_cols[j] = p;
  }
  o->panel_cap = n;
  return 0;
}

const void *const *obs_panel(observer *o, const world *w) {
  const firm_soa *f = &w->f;
  if (panel_reserve(o, f->n) != 0) return NULL;
  int32_t **ic = (int32_t **)o->panel_cols;
  double **dc = (double **)o->panel_cols;
  for (size_t k = 0; k < f->n; k++) {
    ic[0][k] = f->ind[k], ic[1][k] = f->reg[k], ic[2][k] = f->age[k];
    ic[3][k] = (int32_t)f->uid[k], ic[4][k] = f->master[k];
    dc[5][k] = f->sales[k], dc[6][k] = f->output[k], dc[7][k] = f->skilled[k] + f->unskilled[k];
    dc[8][k] = f->alive[k] ? firm_tfp_effective_base(w, k) : 0, dc[9][k] = f->digital[k];
    dc[10][k] = f->growth[k], dc[11][k] = f->capital[k];
    dc[12][k] = f->alive[k] ? obs_index_nqp(w, k) : 0, dc[13][k] = f->autom[k];
    dc[14][k] = f->alive[k] ? obs_index_tech(w, k) : 0;
    dc[15][k] = f->alive[k] ? obs_index_org(w, k) : 0;
    dc[16][k] = f->alive[k] ? obs_index_value(w, k) : 0;
  }
  return (const void *const *)o->panel_cols;
}
