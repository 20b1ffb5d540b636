/* scenario: the immutable, validated description of a run, bound from YAML
 * by config/config against the schema in config/scenario.c.
 *
 * Invariants (enforced by the schema and its check hooks at load time):
 *  - ids are unique within industries, regions and institutes; every
 *    reference (region weights, input coefficients, institute region, lever
 *    targets) names an existing id;
 *  - exactly one region has role `external`; firms are never placed there;
 *  - each industry's input coefficients sum below 1 (value added > 0);
 *  - nothing changes a scenario after scn_load returns; the world copies
 *    what it needs (ENGINE.md: scenario -> immutable description -> world).
 * Money is CNY; stocks at a step's end, flows per step (one quarter by
 * default: `steps_per_year`). Figures in the YAML given in 亿元 (1e8 CNY)
 * carry the unit "1e8 CNY" and are converted by the world builder.
 *
 * Included by: any file at or above config/ (layers.txt).
 */
#ifndef NQP_SCENARIO_H
#define NQP_SCENARIO_H

#include <stddef.h>

#include "config/schema.h"

enum { SCN_KIND_TECH = 0, SCN_KIND_LABOUR = 1 };
enum {
  SCN_ROLE_CORE = 0,
  SCN_ROLE_MANUFACTURING,
  SCN_ROLE_UNDERTAKING,
  SCN_ROLE_GENERAL,
  SCN_ROLE_EXTERNAL
};
enum { SCN_INST_UNIVERSITY = 0, SCN_INST_CAS, SCN_INST_NEW_RD, SCN_INST_POC };
enum { SCN_FORECAST_MA = 0, SCN_FORECAST_ES = 1 };

typedef struct scn_industry {
  char *id;                  /* short id, e.g. "nev" */
  char *name;                /* English name */
  char *name_zh;             /* Chinese name */
  int kind;                  /* SCN_KIND_TECH | SCN_KIND_LABOUR */
  double firms;              /* above-scale firms at scale 1 (firms) */
  double revenue;            /* initial revenue (1e8 CNY/year) */
  double capital_elasticity; /* alpha: output elasticity of capital (share) */
  double capital_output;     /* initial capital / annual output (years) */
  double skill_share;        /* skilled share of the workforce (share) */
  double wage_share;         /* initial wage bill / revenue (share) */
  double rd_share;           /* R&D spending / sales (share) */
  double digital_elasticity; /* TFP elasticity of digital penetration D (1) */
  double digital_initial;    /* mean initial digital penetration D (share) */
  double data_intensity;     /* data assets created per CNY of sales at D=1 (CNY/CNY) */
  double demand_growth;      /* trend growth of final demand (1/year) */
  double demand_noise;       /* sd of the log final-demand shock (1) */
  double price_elasticity;   /* elasticity of firm demand to relative price (1) */
  double demand_elasticity;  /* elasticity of industry final demand to its price level (1) */
  double markup;             /* price mark-up over unit cost (share) */
  double energy_intensity;   /* energy use per output (tce per 1e4 CNY) */
  double external_share;     /* initial share of input slots bought out of province (share) */
  double final_share; /* share of output sold to final demand at the start; -1: derived from the
                         input-output structure (share) */
  double size_sigma;  /* sd of log initial firm size (1) */
  double tfp_sigma;   /* sd of log initial TFP (1) */
  sch_kv *inputs;     /* Leontief input coefficients: CNY of input industry per CNY output */
  int n_inputs;
  sch_kv *regions; /* weights of the industry's firms across regions (any scale) */
  int n_regions;
} scn_industry;

typedef struct scn_region {
  char *id;
  char *name;
  char *name_zh;
  int role;              /* SCN_ROLE_* */
  double gdp;            /* GDP 2022 (1e8 CNY/year) */
  double population;     /* residents (1e4 persons) */
  double wage;           /* initial skilled wage (CNY/worker/year) */
  double unskilled_wage; /* initial unskilled wage (CNY/worker/year) */
  double land_cost;      /* land and rent cost index (Hefei = 1) */
  double digital_infra;  /* digital infrastructure index (share, 0..1) */
  double unemployment;   /* initial unemployed share of the labour pool (share) */
  double logistics_cost; /* transport cost premium on External inputs (share of value) */
} scn_region;

typedef struct scn_institute {
  char *id;
  char *name;
  int type;                /* SCN_INST_* */
  char *region;            /* region id */
  double researchers;      /* researchers (persons) */
  double knowledge;        /* initial knowledge stock (index) */
  double graduates;        /* graduates per year (persons/year) */
  double retention;        /* share of graduates staying in province without levers (share) */
  double local_conversion; /* base share of inventions offered locally (share) */
  double invention_rate;   /* inventions per 100 researchers per year at knowledge 1 (1/year) */
  double licence_fee;      /* fee per licensed or sold invention (1e4 CNY) */
  sch_kv *fields;          /* field weights over industries */
  int n_fields;
} scn_institute;

typedef struct scn_chain_master {
  char *id;       /* short identifier */
  char *name;     /* e.g. "JAC-NIO joint venture" */
  char *industry; /* industry id */
  char *region;   /* region id */
  double share;   /* initial share of its industry's output (share) */
  double belt;    /* extra weight of suppliers in its own region (1) */
} scn_chain_master;

typedef struct scn_firm_params {
  int forecast;             /* SCN_FORECAST_MA | SCN_FORECAST_ES */
  int forecast_window;      /* moving-average window p (steps) */
  double smoothing;         /* exponential smoothing weight (share) */
  int lead_time;            /* order lead time L (steps) */
  double safety_stock;      /* target inventory beyond lead-time cover (steps of demand) */
  double stock_adjust;      /* steps over which an inventory gap is closed (steps) */
  double input_cover;       /* target input stock (steps of input use) */
  double layoff_rate;       /* largest share of workers laid off per step (share) */
  double hire_rate;         /* largest workforce growth per step (share) */
  double depreciation;      /* capital depreciation (1/year) */
  double legacy_scrap_cost; /* cost of scrapping legacy capital (share of its value) */
  double legacy_initial;    /* initial legacy share of capital (share) */
  double size_tfp_corr;     /* correlation of log initial size and log initial TFP (1) */
  double investment_speed;  /* share of capital gap closed per step (share) */
  double innovation_share;  /* share of R&D spent on innovation vs imitation (share) */
  double zeta_innovation;   /* innovation success parameter (1 per (R&D/sales share x steps)) */
  double zeta_imitation;    /* imitation success parameter */
  double jump_a, jump_b;    /* Beta(a, b) shape of innovation jumps (1) */
  double jump_lo, jump_hi;  /* range of the TFP jump (share) */
  double digital_invest;    /* digital investment / sales (share) */
  double digital_cost;      /* CNY of digital investment per unit D per CNY capital (CNY/CNY) */
  double data_depreciation; /* data asset depreciation (1/year) */
  double quality_feedback;  /* quality gain per step at D = 1 (1/step) */
  double automation_substitution; /* unskilled tasks done by fully automated capital (share) */
  double digital_absorption;      /* knowledge target added per unit of D (1) */
  double exit_share;              /* exit below this market share (share) */
  int bankruptcy; /* 1: firms with negative net worth exit (0 keeps every firm, for teaching chains)
                   */
  double price_adjust;     /* share of the gap to the mark-up price closed per step (share) */
  double markup_response;  /* mark-up rise per unit of unserved share of demand (1) */
  double green_invest;     /* green investment / sales (share) */
  double esg_gain;         /* ESG gain per unit of green investment / sales (1) */
  double esg_decay;        /* ESG decay toward 0 without green investment (1/year) */
  int supplier_slots;      /* supplier slots per input industry (slots) */
  double initial_cash;     /* initial cash (steps of sales) */
  double initial_leverage; /* initial debt / capital (share) */
} scn_firm_params;

typedef struct scn_market_params {
  double replicator_chi;     /* replicator speed (1/step) */
  double quality_weight;     /* weight of quality in competitiveness (1) */
  double esg_weight;         /* competitiveness premium per unit of ESG score (1) */
  double reliability_weight; /* weight of delivery reliability in competitiveness (1) */
  double local_bias;         /* weight of same-region suppliers relative to others (1) */
  double
      absorb_ref; /* mean firm knowledge at which local demand for inventions saturates (index) */
  double licence_rd_weight; /* exponent of R&D spending in the licensee weight (1) */
  double wage_adjust;       /* wage response to vacancies/unemployed - 1 (1/step) */
  double labour_inflow;     /* workers entering regional pools from other sectors (share of labour
                               force/year) */
  double migration_rate; /* share of unemployed skilled leaving per step at full gap (share/step) */
  double migration_gap;  /* External/regional wage ratio above which skilled migrate (1) */
  double external_wage;  /* skilled wage in External (CNY/worker/year) */
  double external_capacity; /* External supply capacity / initial External orders (1) */
  double external_price;    /* External input price relative to local (1) */
  double spot_external;  /* share of a local supplier's shortfall a buyer tries to buy from External
                            (share) */
  double interest_rate;  /* base lending rate (1/year) */
  double spread;         /* spread per unit of default probability (1/year) */
  double collateral_ltv; /* loan-to-value on physical collateral (share) */
  double bank_capacity;  /* new lending capacity per step / total initial debt (share) */
  double repayment;      /* share of debt repaid per year (1/year) */
  double entry_rate;     /* entrants per incumbent per year at average profitability (1/year) */
} scn_market_params;

typedef struct scn_lever {
  int enabled;      /* 1: active from start to end */
  int start;        /* first step (step) */
  int end;          /* last step, inclusive; -1 = until the end (step) */
  double budget;    /* budget (1e8 CNY/year) */
  double intensity; /* lever-specific strength, a share (see docs/levers.md) */
  double amount;    /* lever-specific quantity, e.g. scientists or challenges per year */
  double unit_cost; /* cost per unit of effect (CNY) */
  char **regions;   /* target regions (empty = all) */
  int n_regions;
  char **industries; /* target industries (empty = all) */
  int n_industries;
} scn_lever;

/* The levers, once: X(id, yaml key, description). The scenario has one
 * scn_lever per entry under `government:`; the world keeps per-lever
 * activity, spending and cuts indexed by LEVER_<ID>. */
#define SCN_LEVERS(X)                                                                              \
  X(TALENT, talent, "talent scheme 人才政策: graduate retention and migration damping")            \
  X(SHARED_FACTORY, shared_factory, "shared factories 共享工厂: SMEs rent pooled capacity")        \
  X(SCIENTISTS, scientists, "scientists stationed in firms 科学家驻企: absorptive capacity")       \
  X(DATA_PLEDGE, data_pledge, "data-asset pledging 数据资产质押: data assets as collateral")       \
  X(CHALLENGE, challenge_fund, "challenge-based R&D fund 揭榜挂帅: directed local solutions")      \
  X(COMPUTE, compute_network, "compute network 智能算力网络: cheaper digital adoption")            \
  X(POC, proof_of_concept, "proof-of-concept centres 概念验证中心: local conversion")              \
  X(GREEN, green_fund, "green / special industry fund 绿色基金: green investment subsidy")         \
  X(CHAIN, chain_completion, "chain completion 双招双引: in-province suppliers and entrants")      \
  X(ENCLAVE, flying_enclave, "flying-enclave R&D 飞地研发: research done outside the region")

#define SCN_LEVER_ENUM(id, key, doc) LEVER_##id,
enum { SCN_LEVERS(SCN_LEVER_ENUM) LEVER_N };
#undef SCN_LEVER_ENUM

typedef struct scn_government {
  double profit_tax;      /* tax on positive profit (share) */
  double city_share;      /* share of tax revenue kept by cities (share) */
  double initial_reserve; /* treasury at the start (1e8 CNY) */
#define SCN_LEVER_FIELD(id, key, doc) scn_lever key;
  SCN_LEVERS(SCN_LEVER_FIELD)
#undef SCN_LEVER_FIELD
} scn_government;

enum { SHOCK_SUPPLY = 0, SHOCK_DEMAND, SHOCK_TALENT, SHOCK_CREDIT };

typedef struct scn_shock {
  char *id;     /* short identifier */
  int type;     /* SHOCK_* */
  int start;    /* first step (step) */
  int duration; /* steps it lasts (steps) */
  double size;  /* supply/demand/credit: share cut (negative: boost); talent: External wage rise
                   (share) */
  char **industries; /* target industries (supply: the input cut; demand: the industries; empty =
                        all) */
  int n_industries;
  char **regions; /* target regions (talent; empty = all) */
  int n_regions;
} scn_shock;

typedef struct scn_output {
  int panel_interval; /* steps between firm panel snapshots (step); 0 = none */
  int flush_interval; /* steps between flushes to disk (step) */
  int deflate;        /* deflate level (0..9) */
} scn_output;

typedef struct scenario {
  char *name;         /* scenario name */
  char *description;  /* one paragraph */
  int seed;           /* master seed (any non-negative int) */
  int steps;          /* steps to simulate (step) */
  int steps_per_year; /* steps per year (1/year) */
  double scale;       /* firm population relative to the province (share) */
  int min_firms;      /* minimum firms per industry after scaling (firms) */
  scn_firm_params firm;
  scn_market_params market;
  scn_government government;
  scn_output output;
  scn_industry *industries;
  int n_industries;
  scn_region *regions;
  int n_regions;
  scn_institute *institutes;
  int n_institutes;
  scn_chain_master *chain_masters;
  int n_chain_masters;
  scn_shock *shocks;
  int n_shocks;
} scenario;

extern const sch_schema scn_schema;

/* Load a scenario (PATH NULL: the embedded anhui.yaml; a bare name of an
 * embedded scenario that is not a file: that scenario) with --set overrides.
 * Returns 0, or -1 with the message in ERR (a bad-input error). RESOLVED,
 * when not NULL, receives the resolved YAML text (heap). */
int scn_load(const char *path, const char *const *sets, size_t nsets, scenario *out,
             char **resolved, char *err, size_t errlen);
int scn_load_string(const char *name, const char *text, const char *const *sets, size_t nsets,
                    scenario *out, char **resolved, char *err, size_t errlen);
void scn_free(scenario *s);

/* Lookups by id; -1 when absent. */
int scn_industry_index(const scenario *s, const char *id);
int scn_region_index(const scenario *s, const char *id);
int scn_external_region(const scenario *s);
/* 1 when shock S is active at STEP. */
int scn_shock_active(const scn_shock *s, int step);
/* Lever LEVER_* of the scenario, and its YAML key. */
const scn_lever *scn_lever_get(const scenario *s, int id);
const char *scn_lever_key(int id);

#endif
