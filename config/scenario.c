/* scenario: the schema of a scenario (every field with type, unit, default,
 * range and doc), its semantic checks, and loading helpers.
 *
 * Invariant: this table is the single description of the scenario format.
 * The README's field reference is generated from it (`nqpsim schema`), the
 * resolved scenario in every output file is emitted from it, and nothing
 * else parses YAML.
 */
#include "config/scenario.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/limits.h"
#include "config/config.h"
#include "config/embedded.h"

static const char *const kind_names[] = {"technology", "labour", NULL};
static const char *const role_names[] = {"technology_source", "manufacturing", "undertaking",
                                         "general",           "external",      NULL};
static const char *const inst_names[] = {"university", "cas", "new_rd", "poc", NULL};
static const char *const forecast_names[] = {"moving_average", "exponential", NULL};

/* ---- industry ---------------------------------------------------------- */

static void industry_check(const void *obj, struct sch_ctx *ctx) {
  const scn_industry *in = obj;
  double sum = 0;
  for (int i = 0; i < in->n_inputs; i++) {
    sum += in->inputs[i].value;
    if (strcmp(in->inputs[i].key, in->id) == 0 && in->inputs[i].value > 0.5)
      sch_report(ctx, "inputs", "expected own-industry coefficient <= 0.5, found %g",
                 in->inputs[i].value);
  }
  if (sum >= 0.95)
    sch_report(ctx, "inputs", "expected input coefficients summing below 0.95, found %g", sum);
  if (in->n_inputs > WORLD_MAX_INPUTS)
    sch_report(ctx, "inputs", "expected at most %d input industries, found %d", WORLD_MAX_INPUTS,
               in->n_inputs);
  double w = 0;
  for (int i = 0; i < in->n_regions; i++) w += in->regions[i].value;
  if (in->n_regions > 0 && w <= 0)
    sch_report(ctx, "regions", "expected region weights with a positive sum, found %g", w);
}

#define S scn_industry
static const sch_field industry_fields[] = {
    SCHF_REQSTR(S, id, "short identifier used in references and output labels"),
    SCHF_STR(S, name, "", "English name"),
    SCHF_STR(S, name_zh, "", "Chinese name"),
    SCHF_ENUM(S, kind, kind_names, "technology", "technology- or labour-intensive"),
    SCHF_DBL(S, firms, "firms", 100, 1, 1e6, "above-scale firms in the province (scale 1)"),
    SCHF_DBL(S, revenue, "1e8 CNY/year", 1000, 1, 1e6, "initial annual revenue of the industry"),
    SCHF_DBL(S, capital_elasticity, "share", 0.35, 0.05, 0.8, "output elasticity of capital"),
    SCHF_DBL(S, capital_output, "years", 1.2, 0.1, 10, "initial capital / annual output"),
    SCHF_DBL(S, skill_share, "share", 0.3, 0.01, 0.99, "skilled share of the workforce"),
    SCHF_DBL(S, wage_share, "share", 0.1, 0.01, 0.6, "initial wage bill / revenue"),
    SCHF_DBL(S, rd_share, "share", 0.02, 0, 0.3, "R&D spending / sales"),
    SCHF_DBL(S, digital_elasticity, "1", 0.1, 0, 1, "elasticity of TFP to digital penetration D"),
    SCHF_DBL(S, digital_initial, "share", 0.3, 0, 1, "mean initial digital penetration"),
    SCHF_DBL(S, data_intensity, "CNY/CNY", 0.01, 0, 1,
             "data assets created per CNY of sales at D=1"),
    SCHF_DBL(S, demand_growth, "1/year", 0.08, -0.5, 1, "trend growth of final demand"),
    SCHF_DBL(S, demand_noise, "1", 0.02, 0, 1, "sd of the log final-demand shock per step"),
    SCHF_DBL(S, price_elasticity, "1", 2, 0, 20, "elasticity of firm demand to relative price"),
    SCHF_DBL(S, demand_elasticity, "1", 1, 0, 5,
             "elasticity of industry final demand to its price level"),
    SCHF_DBL(S, markup, "share", 0.15, 0, 2, "price mark-up over unit cost"),
    SCHF_DBL(S, energy_intensity, "tce/1e4 CNY", 0.3, 0, 10, "energy use per output"),
    SCHF_DBL(S, external_share, "share", 0.4, 0, 1,
             "initial share of input slots bought out of province"),
    SCHF_DBL(
        S, final_share, "share", -1, -1, 1,
        "share of output sold to final demand at the start (-1: output minus local intermediate "
        "use)"),
    SCHF_DBL(S, size_sigma, "1", 1.0, 0, 4, "sd of log initial firm size"),
    SCHF_DBL(S, tfp_sigma, "1", 0.25, 0, 2, "sd of log initial TFP"),
    SCHF_KVMAP(S, inputs, n_inputs, "CNY/CNY", 0, 0.9, "industries",
               "Leontief input coefficients by supplying industry"),
    SCHF_KVMAP(S, regions, n_regions, "weight", 0, 1e9, "regions",
               "weights of the industry's firms across regions (default: GDP)"),
};
#undef S
static const sch_schema industry_schema =
    SCHF_SCHEMA("industry", scn_industry, industry_fields, industry_check);

/* ---- region ------------------------------------------------------------ */

#define S scn_region
static const sch_field region_fields[] = {
    SCHF_REQSTR(S, id, "short identifier"),
    SCHF_STR(S, name, "", "English name"),
    SCHF_STR(S, name_zh, "", "Chinese name"),
    SCHF_ENUM(
        S, role, role_names, "general",
        "role in the provincial division of labour (external marks the rest of China; the other "
        "roles are descriptive)"),
    SCHF_DBL(S, gdp, "1e8 CNY/year", 1000, 0, 1e7, "GDP (2022)"),
    SCHF_DBL(S, population, "1e4 persons", 300, 0, 1e6,
             "residents, 2020 census (descriptive: not used by the mechanisms)"),
    SCHF_DBL(S, wage, "CNY/worker/year", 120000, 1000, 1e7, "initial skilled wage"),
    SCHF_DBL(S, unskilled_wage, "CNY/worker/year", 60000, 1000, 1e7, "initial unskilled wage"),
    SCHF_DBL(S, land_cost, "index", 1, 0, 10,
             "land and rent cost, Hefei = 1 (descriptive: not used by the mechanisms yet)"),
    SCHF_DBL(S, digital_infra, "share", 0.5, 0, 1, "digital infrastructure index"),
    SCHF_DBL(S, unemployment, "share", 0.05, 0.001, 0.5,
             "initial unemployed share of the labour pool"),
    SCHF_DBL(S, logistics_cost, "share", 0.05, 0, 1, "premium on inputs bought from External"),
};
#undef S
static const sch_schema region_schema = SCHF_SCHEMA("region", scn_region, region_fields, NULL);

/* ---- institute --------------------------------------------------------- */

#define S scn_institute
static const sch_field institute_fields[] = {
    SCHF_REQSTR(S, id, "short identifier"),
    SCHF_STR(S, name, "", "name"),
    SCHF_ENUM(S, type, inst_names, "university", "kind of institute"),
    SCHF_REFSTR(S, region, "regions", "region id where it is located"),
    SCHF_DBL(S, researchers, "persons", 500, 0, 1e6, "researchers"),
    SCHF_DBL(S, knowledge, "index", 1, 0, 1e6, "initial knowledge stock"),
    SCHF_DBL(S, graduates, "persons/year", 0, 0, 1e6, "graduates per year"),
    SCHF_DBL(S, retention, "share", 0.3, 0, 1, "share of graduates staying in the province"),
    SCHF_DBL(S, local_conversion, "share", 0.6, 0, 1, "base share of inventions offered locally"),
    SCHF_DBL(S, invention_rate, "1/year", 2, 0, 1000,
             "inventions per 100 researchers per year at knowledge 1"),
    SCHF_DBL(S, licence_fee, "1e4 CNY", 200, 0, 1e6,
             "fee per invention licensed locally or sold out"),
    SCHF_KVMAP(S, fields, n_fields, "weight", 0, 1e9, "industries",
               "field weights over industries"),
};
#undef S
static const sch_schema institute_schema =
    SCHF_SCHEMA("institute", scn_institute, institute_fields, NULL);

/* ---- shocks ------------------------------------------------------------- */

static const char *const shock_names[] = {"supply", "demand", "talent", "credit", NULL};

#define S scn_shock
static const sch_field shock_fields[] = {
    SCHF_REQSTR(S, id, "short identifier"),
    SCHF_ENUM(S, type, shock_names, "supply",
              "supply (External capacity), demand, talent (drain), credit (crunch)"),
    SCHF_INT(S, start, "step", 0, 0, SCN_MAX_STEPS, "first step of the shock"),
    SCHF_INT(S, duration, "steps", 4, 1, SCN_MAX_STEPS, "steps the shock lasts"),
    SCHF_DBL(S, size, "share", 0.5, -5, 1,
             "cut of capacity/demand/credit (negative: boost); talent: External wage rise"),
    SCHF_STRLIST(S, industries, n_industries, "industries", "target industries (empty: all)"),
    SCHF_STRLIST(S, regions, n_regions, "regions", "target regions (empty: all)"),
};
#undef S
static const sch_schema shock_schema = SCHF_SCHEMA("shock", scn_shock, shock_fields, NULL);

/* ---- chain masters ------------------------------------------------------ */

#define S scn_chain_master
static const sch_field master_fields[] = {
    SCHF_REQSTR(S, id, "short identifier"),
    SCHF_STR(S, name, "", "name"),
    SCHF_REFSTR(S, industry, "industries", "industry id"),
    SCHF_REFSTR(S, region, "regions", "region id"),
    SCHF_DBL(S, share, "share", 0.1, 0.001, 0.9, "initial share of its industry's output"),
    SCHF_DBL(S, belt, "1", 4, 1, 100,
             "extra weight of suppliers in its own region (industrial belt)"),
};
#undef S
static const sch_schema master_schema =
    SCHF_SCHEMA("chain master", scn_chain_master, master_fields, NULL);

/* ---- firm behaviour ---------------------------------------------------- */

#define S scn_firm_params
static const sch_field firm_fields[] = {
    SCHF_ENUM(S, forecast, forecast_names, "moving_average", "demand forecasting method"),
    SCHF_INT(S, forecast_window, "steps", 4, 1, WORLD_HIST, "moving-average window p"),
    SCHF_DBL(S, smoothing, "share", 0.3, 0.01, 1, "exponential smoothing weight"),
    SCHF_INT(S, lead_time, "steps", 1, 0, 8, "order lead time L covered by the order-up-to target"),
    SCHF_DBL(S, safety_stock, "steps", 0.5, 0, 8,
             "target inventory beyond lead-time cover, in steps of demand"),
    SCHF_DBL(S, stock_adjust, "steps", 2, 1, 20, "steps over which an inventory gap is closed"),
    SCHF_DBL(S, input_cover, "steps", 1, 0, 8, "target input stock, in steps of input use"),
    SCHF_DBL(S, layoff_rate, "share", 0.1, 0, 1, "largest share of workers laid off per step"),
    SCHF_DBL(S, hire_rate, "share", 0.25, 0, 5, "largest workforce growth per step"),
    SCHF_DBL(S, depreciation, "1/year", 0.08, 0, 1, "capital depreciation"),
    SCHF_DBL(S, legacy_scrap_cost, "share", 0.3, 0, 2,
             "cost of scrapping legacy capital, share of its value"),
    SCHF_DBL(S, size_tfp_corr, "1", 0, -0.99, 0.99,
             "correlation of log initial size and log initial TFP (0: independent; chain masters "
             "get a leader's TFP)"),
    SCHF_DBL(S, legacy_initial, "share", 0.4, 0, 1, "initial legacy share of capital"),
    SCHF_DBL(S, investment_speed, "share", 0.25, 0, 1, "share of the capital gap closed per step"),
    SCHF_DBL(S, innovation_share, "share", 0.5, 0, 1,
             "share of R&D for innovation (rest: imitation)"),
    SCHF_DBL(S, zeta_innovation, "1/%", 0.1, 0, 10,
             "innovation success: p = 1-exp(-zeta*effort), effort in % of sales"),
    SCHF_DBL(S, zeta_imitation, "1/%", 0.1, 0, 10,
             "imitation success: p = 1-exp(-zeta*effort), effort in % of sales"),
    SCHF_DBL(S, jump_a, "1", 3, 0.1, 100, "Beta(a,b) shape a of innovation jumps"),
    SCHF_DBL(S, jump_b, "1", 3, 0.1, 100, "Beta(a,b) shape b of innovation jumps"),
    SCHF_DBL(S, jump_lo, "share", -0.15, -0.9, 0, "lower end of the innovation jump"),
    SCHF_DBL(S, jump_hi, "share", 0.15, 0, 2, "upper end of the innovation jump"),
    SCHF_DBL(S, digital_invest, "share", 0.01, 0, 0.5, "digital investment / sales"),
    SCHF_DBL(S, digital_cost, "CNY/CNY", 0.5, 0.001, 100,
             "digital investment per unit of D per CNY of capital"),
    SCHF_DBL(S, data_depreciation, "1/year", 0.3, 0, 1, "data asset depreciation"),
    SCHF_DBL(S, quality_feedback, "1/step", 0.01, 0, 1, "quality gain per step at D = 1"),
    SCHF_DBL(S, automation_substitution, "share", 0.5, 0, 0.9,
             "share of unskilled tasks a fully automated capital stock performs"),
    SCHF_DBL(S, digital_absorption, "1", 1, 0, 10,
             "absorptive capacity added per unit of D (digital tools in R&D)"),
    SCHF_DBL(S, exit_share, "share", 1e-5, 0, 0.1,
             "exit below this share of industry final demand"),
    SCHF_BOOL(S, bankruptcy, 1, "firms with negative net worth exit (false: none do)"),
    SCHF_DBL(S, price_adjust, "share", 0.5, 0, 1,
             "share of the gap to the mark-up price closed per step"),
    SCHF_DBL(S, markup_response, "1", 0.5, 0, 10,
             "mark-up rise per unit of unserved share of demand"),
    SCHF_DBL(S, green_invest, "share", 0.005, 0, 0.2, "green investment / sales"),
    SCHF_DBL(S, esg_gain, "1", 5, 0, 1000,
             "ESG gain per step per unit of green investment / sales"),
    SCHF_DBL(S, esg_decay, "1/year", 0.05, 0, 1, "ESG decay without green investment"),
    SCHF_INT(S, supplier_slots, "slots", 2, 1, 4, "supplier slots per input industry"),
    SCHF_DBL(S, initial_cash, "steps", 1, 0, 20, "initial cash, in steps of sales"),
    SCHF_DBL(S, initial_leverage, "share", 0.4, 0, 5, "initial debt / capital"),
};
#undef S
static const sch_schema firm_schema = SCHF_SCHEMA("firm", scn_firm_params, firm_fields, NULL);

/* ---- markets ----------------------------------------------------------- */

#define S scn_market_params
static const sch_field market_fields[] = {
    SCHF_DBL(S, replicator_chi, "1/step", 1, 0, 10, "replicator speed on competitiveness"),
    SCHF_DBL(S, quality_weight, "1", 1, 0, 10, "weight of quality in competitiveness"),
    SCHF_DBL(S, esg_weight, "1", 0.2, 0, 10, "competitiveness premium per unit of ESG score"),
    SCHF_DBL(S, reliability_weight, "1", 0.5, 0, 10,
             "weight of delivery reliability in competitiveness"),
    SCHF_DBL(S, local_bias, "1", 2, 1, 100, "weight of same-region suppliers relative to others"),
    SCHF_DBL(S, absorb_ref, "index", 1.5, 0.01, 100,
             "mean firm knowledge at which local demand for institute inventions saturates"),
    SCHF_DBL(S, licence_rd_weight, "1", 0, 0, 2,
             "exponent of a firm's R&D spending in its weight as a licensee (0: knowledge only)"),
    SCHF_DBL(S, labour_inflow, "1/year", 0.03, 0, 0.5,
             "workers entering the pools from other sectors, share of the labour force"),
    SCHF_DBL(S, wage_adjust, "1/step", 0.02, 0, 1, "wage response to labour-market tightness"),
    SCHF_DBL(S, migration_rate, "share/step", 0.02, 0, 1,
             "share of unemployed skilled leaving per step at full gap"),
    SCHF_DBL(S, migration_gap, "1", 1.1, 1, 10,
             "External/regional wage ratio above which skilled migrate"),
    SCHF_DBL(S, external_wage, "CNY/worker/year", 180000, 1000, 1e7, "skilled wage in External"),
    SCHF_DBL(S, external_capacity, "1", 1.5, 0, 100,
             "External capacity per input industry / initial External orders"),
    SCHF_DBL(S, spot_external, "share", 1, 0, 1,
             "share of a local supplier's shortfall a buyer tries to buy spot from External"),
    SCHF_DBL(S, external_price, "1", 1, 0.1, 10, "External input price relative to local"),
    SCHF_DBL(S, interest_rate, "1/year", 0.04, 0, 1, "base lending rate"),
    SCHF_DBL(S, spread, "1/year", 0.06, 0, 1, "spread per unit of default probability"),
    SCHF_DBL(S, collateral_ltv, "share", 0.6, 0, 1, "loan-to-value on physical collateral"),
    SCHF_DBL(S, bank_capacity, "share", 0.05, 0, 1,
             "new lending per step / initial total debt, scaled by capital / initial capital"),
    SCHF_DBL(S, repayment, "1/year", 0.2, 0, 1, "share of debt repaid per year"),
    SCHF_DBL(S, entry_rate, "1/year", 0.04, 0, 1,
             "entrants per incumbent per year at average profitability"),
};
#undef S
static const sch_schema market_schema =
    SCHF_SCHEMA("market", scn_market_params, market_fields, NULL);

/* ---- government and levers --------------------------------------------- */

static void lever_check(const void *obj, struct sch_ctx *ctx) {
  const scn_lever *l = obj;
  if (l->end >= 0 && l->end < l->start)
    sch_report(ctx, "end", "expected end >= start (%d) or -1, found %d", l->start, l->end);
}

#define S scn_lever
static const sch_field lever_fields[] = {
    SCHF_BOOL(S, enabled, 0, "lever active between start and end"),
    SCHF_INT(S, start, "step", 0, 0, SCN_MAX_STEPS, "first active step"),
    SCHF_INT(S, end, "step", -1, -1, SCN_MAX_STEPS, "last active step (inclusive), -1 for no end"),
    SCHF_DBL(S, budget, "1e8 CNY/year", 1, 0, 1e6,
             "budget; spending beyond it is cut and recorded"),
    SCHF_DBL(S, intensity, "share", 0.3, 0, 1,
             "lever strength, a share; meaning per lever in docs/levers.md"),
    SCHF_DBL(S, amount, "per year", 0, 0, 1e9,
             "lever quantity per year (scientists, challenges); docs/levers.md"),
    SCHF_DBL(S, unit_cost, "CNY", 0, 0, 1e12,
             "cost per unit of effect; unit per lever in docs/levers.md"),
    SCHF_STRLIST(S, regions, n_regions, "regions", "target regions (empty: all)"),
    SCHF_STRLIST(S, industries, n_industries, "industries", "target industries (empty: all)"),
};
#undef S
static const sch_schema lever_schema = SCHF_SCHEMA("lever", scn_lever, lever_fields, lever_check);

#define S scn_government
static const sch_field government_fields[] = {
    SCHF_DBL(S, profit_tax, "share", 0.25, 0, 1, "tax on positive profit"),
    SCHF_DBL(S, city_share, "share", 0.5, 0, 1,
             "share of tax revenue kept by cities (descriptive: one treasury pays every lever)"),
    SCHF_DBL(S, initial_reserve, "1e8 CNY", 50, 0, 1e6, "treasury at the start"),
#define LEVER_SUB(id, key, doc) SCHF_SUB(S, key, lever_schema, doc),
    SCN_LEVERS(LEVER_SUB)
#undef LEVER_SUB
};
#undef S
static const sch_schema government_schema =
    SCHF_SCHEMA("government", scn_government, government_fields, NULL);

#define S scn_output
static const sch_field output_fields[] = {
    SCHF_INT(S, panel_interval, "steps", 4, 0, SCN_MAX_STEPS,
             "steps between firm panel snapshots (0: none)"),
    SCHF_INT(S, flush_interval, "steps", 8, 1, SCN_MAX_STEPS, "steps between flushes to disk"),
    SCHF_INT(S, deflate, "level", 4, 0, 9, "deflate compression level"),
};
#undef S
static const sch_schema output_schema = SCHF_SCHEMA("output", scn_output, output_fields, NULL);

/* ---- root -------------------------------------------------------------- */

/* Chain masters sit in province regions and leave room for other firms. */
static void masters_check(const scenario *s, struct sch_ctx *ctx) {
  for (int i = 0; i < s->n_industries; i++) {
    double share = 0;
    int n = 0;
    for (int m = 0; m < s->n_chain_masters; m++)
      if (strcmp(s->chain_masters[m].industry, s->industries[i].id) == 0)
        share += s->chain_masters[m].share, n++;
    if (share >= 0.95)
      sch_report(ctx, "chain_masters",
                 "industry %s: expected chain-master shares below 0.95, found %g",
                 s->industries[i].id, share);
    if (n > 0 && s->min_firms <= n)
      sch_report(ctx, "min_firms", "expected more than the %d chain masters of %s, found %d", n,
                 s->industries[i].id, s->min_firms);
  }
  for (int m = 0; m < s->n_chain_masters; m++) {
    int r = scn_region_index(s, s->chain_masters[m].region);
    if (r >= 0 && s->regions[r].role == SCN_ROLE_EXTERNAL)
      sch_report(ctx, "chain_masters", "chain master %s: expected a province region, found %s",
                 s->chain_masters[m].id, s->chain_masters[m].region);
  }
}

static void scenario_check(const void *obj, struct sch_ctx *ctx) {
  const scenario *s = obj;
  masters_check(s, ctx);
  int ext = 0;
  for (int r = 0; r < s->n_regions; r++) ext += s->regions[r].role == SCN_ROLE_EXTERNAL;
  if (ext != 1)
    sch_report(ctx, "regions", "expected exactly one region with role external, found %d", ext);
  double gdp = 0; /* weights of industries without `regions` */
  for (int r = 0; r < s->n_regions; r++)
    gdp += s->regions[r].role != SCN_ROLE_EXTERNAL ? s->regions[r].gdp : 0;
  for (int i = 0; i < s->n_industries; i++)
    if (s->industries[i].n_regions == 0 && !(gdp > 0))
      sch_report(ctx, "industries",
                 "industry %s: no `regions` weights and no region with a positive gdp to place "
                 "its firms",
                 s->industries[i].id);
  for (int i = 0; i < s->n_industries; i++)
    for (int k = 0; k < s->industries[i].n_regions; k++) {
      int r = scn_region_index(s, s->industries[i].regions[k].key);
      if (r >= 0 && s->regions[r].role == SCN_ROLE_EXTERNAL &&
          s->industries[i].regions[k].value > 0)
        sch_report(ctx, "industries", "industry %s: expected no firms in the external region %s",
                   s->industries[i].id, s->regions[r].id);
    }
}

#define S scenario
static const sch_field scenario_fields[] = {
    SCHF_STR(S, name, "unnamed", "scenario name"),
    SCHF_STR(S, description, "", "what the scenario shows"),
    SCHF_INT(S, seed, "", 1, 0, SCN_MAX_SEED, "master random seed"),
    SCHF_INT(S, steps, "steps", 40, 1, SCN_MAX_STEPS, "steps to simulate"),
    SCHF_INT(S, steps_per_year, "1/year", 4, 1, 365, "steps per year (4: quarters)"),
    SCHF_DBL(S, scale, "share", 1, 1e-4, 100,
             "size of the economy relative to the province: firm counts, institutes' researchers "
             "and graduates, lever budgets and amounts, the treasury"),
    SCHF_INT(S, min_firms, "firms", 5, 1, 100000, "minimum firms per industry after scaling"),
    SCHF_SUB(S, firm, firm_schema, "firm behaviour"),
    SCHF_SUB(S, market, market_schema, "markets: goods, labour, supply chain, credit, entry"),
    SCHF_SUB(S, government, government_schema, "government: taxes and levers"),
    SCHF_SUB(S, output, output_schema, "output settings"),
    SCHF_LIST(S, industries, n_industries, industry_schema, 1, WORLD_MAX_INDUSTRIES, 1,
              "industries"),
    SCHF_LIST(S, regions, n_regions, region_schema, 2, WORLD_MAX_REGIONS, 1,
              "regions, one of them external"),
    SCHF_LIST(S, institutes, n_institutes, institute_schema, 0, 10000, 0, "research institutes"),
    SCHF_LIST(S, chain_masters, n_chain_masters, master_schema, 0, 1000, 0,
              "chain-master firms (链主) with their industrial belts"),
    SCHF_LIST(S, shocks, n_shocks, shock_schema, 0, 1000, 0,
              "shocks: External supply cuts, demand shocks, talent drain, credit crunch"),
};
#undef S
const sch_schema scn_schema = SCHF_SCHEMA("scenario", scenario, scenario_fields, scenario_check);

/* ---- loading and lookups ------------------------------------------------ */

/* PATH NULL: the embedded baseline; a bare name that is not a file but an
 * embedded scenario (e.g. "teach_bullwhip.yaml"): that scenario. */
/* 1 when PATH may name an embedded scenario: a plain name, no such file. */
static int may_be_embedded(const char *path) {
  return path && !strchr(path, '/') && access(path, F_OK) != 0;
}

int scn_load(const char *path, const char *const *sets, size_t nsets, scenario *out,
             char **resolved, char *err, size_t errlen) {
  const char *name = "anhui.yaml";
  const nqp_embedded_file *e =
      may_be_embedded(path) ? nqp_embedded_lookup(nqp_embedded, path) : NULL;
  if (e) name = e->name, path = NULL;
  int rc = cfg_load(&scn_schema, path, name, sets, nsets, out, resolved, err, errlen);
  if (rc != 0 && may_be_embedded(path)) {
    size_t used = strlen(err);
    char hint[256];
    nqp_embedded_hint(nqp_embedded, path, hint, sizeof hint);
    snprintf(err + used, errlen - used, ", and no embedded scenario of that name%s", hint);
  }
  return rc;
}

int scn_load_string(const char *name, const char *text, const char *const *sets, size_t nsets,
                    scenario *out, char **resolved, char *err, size_t errlen) {
  return cfg_load_string(&scn_schema, name, text, sets, nsets, out, resolved, err, errlen);
}

void scn_free(scenario *s) {
  if (s) cfg_free(&scn_schema, s);
}

int scn_industry_index(const scenario *s, const char *id) {
  for (int i = 0; i < s->n_industries; i++)
    if (strcmp(s->industries[i].id, id) == 0) return i;
  return -1;
}

int scn_region_index(const scenario *s, const char *id) {
  for (int i = 0; i < s->n_regions; i++)
    if (strcmp(s->regions[i].id, id) == 0) return i;
  return -1;
}

int scn_external_region(const scenario *s) {
  for (int i = 0; i < s->n_regions; i++)
    if (s->regions[i].role == SCN_ROLE_EXTERNAL) return i;
  return -1;
}

const scn_lever *scn_lever_get(const scenario *s, int id) {
#define LEVER_CASE(lid, key, doc)                                                                  \
  case LEVER_##lid:                                                                                \
    return &s->government.key;
  switch (id) { SCN_LEVERS(LEVER_CASE) }
#undef LEVER_CASE
  return NULL;
}

const char *scn_lever_key(int id) {
#define LEVER_NAME(lid, key, doc) #key,
  static const char *const names[] = {SCN_LEVERS(LEVER_NAME)};
#undef LEVER_NAME
  return id >= 0 && id < LEVER_N ? names[id] : "";
}

int scn_shock_active(const scn_shock *s, int step) {
  return step >= s->start && step < s->start + s->duration;
}
