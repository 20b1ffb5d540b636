/* world: the mutable state of one run, built from an immutable scenario.
 *
 * Layout: struct of arrays. Firm variables are one 64-byte-aligned array
 * each, sized to `cap` slots; slot i is live when alive[i]. Dead slots go on
 * a free list and are reused by entrants, so indices stay stable while a
 * firm lives. Institutes, regions and industries are few: plain arrays.
 *
 * Ownership and phases (MODEL.md section 3; sim/step.c runs them in order):
 *   1 environment/policy  writes ind_* demand, lever activity   (serial)
 *   2 institutes          writes inst_*, reg_* graduates, firm licences (serial routing)
 *   3 firm plans          each firm writes only its own slots    (parallel)
 *   4 markets             credit, labour, supply, goods: a gather (reduction
 *                         by group in fixed block order) then each firm
 *                         applies the result to its own slots     (parallel)
 *   5 production etc.     each firm writes only its own slots    (parallel)
 *   6 government          taxes, lever spending                  (serial)
 *   7 entry/exit/rewire   serial, in slot order
 *   8 observation         block reductions into series           (parallel)
 *
 * Invariants (checked by world_check()):
 *  - every double of live state is finite; stocks (capital, workers,
 *    inventory, D, data assets, knowledge, debt) are >= 0; D in [0,1]; a
 *    region's pools are >= 0 up to 1e-9 of its labour force (a pool is a
 *    difference of large sums: -6e-13 next to a force of 6e15 is zero);
 *  - money is conserved: the sum of firm cash, institute cash, government
 *    cash and the external accounts equals its initial value within 1e-9
 *    of the magnitude of the totals (every holding in absolute value, the
 *    initial money and the step's sales: rounding scales with the terms,
 *    not with their net sum);
 *  - employed workers plus a region's unemployed pool equal its labour
 *    force (within 1e-6 of it); a live firm's supplier slot names a live firm of the slot's
 *    input industry, or External (-1), or is unused (-2).
 *
 * Included by: any file at or above world/ (layers.txt).
 */
#ifndef NQP_WORLD_H
#define NQP_WORLD_H

#include <stddef.h>
#include <stdint.h>

#include "base/limits.h" /* WORLD_MAX_INDUSTRIES, _REGIONS, _INPUTS, WORLD_HIST */
#include "base/rng.h"
#include "config/scenario.h"

/* Levers that subsidise a firm's spending or capacity: claims are planned in
 * phase 3, scaled to the budget by the government, paid in phase 5. */
enum { SUB_COMPUTE = 0, SUB_GREEN, SUB_SHARED, NSUB };
#define SLOT_EXTERNAL (-1)
#define SLOT_UNUSED   (-2)

/* Named external accounts: where money enters or leaves the modelled firms. */
enum {
  ACC_HOUSEHOLDS = 0, /* wages in, final demand and owners' equity out */
  ACC_EXTERNAL,       /* imported inputs, capital goods, technology bought */
  ACC_BANK,           /* loans out, interest and repayments in */
  ACC_N
};

/* Every array of firm_soa is in exactly one of these lists: one element per
 * slot by element type (FIRM_F64, FIRM_U8, FIRM_U16, FIRM_OTHER), or several
 * elements per slot (FIRM_MULTI: X(name, elements per slot), F the
 * firm_soa). Allocation, growth, freeing and checkpoints iterate the lists:
 * a new firm variable is added to the struct and to one list. */
/* clang-format off */
#define FIRM_F64(X)                                                                  \
  X(tfp) X(tfp_prev) X(capital) X(legacy) X(skilled) X(unskilled) X(digital)         \
  X(data) X(knowledge) X(cash) X(debt) X(price) X(quality) X(esg) X(inventory)       \
  X(share) X(forecast) X(target) X(output) X(sales) X(demand) X(orders_in)           \
  X(shipped) X(unfilled) X(fill) X(reliability) X(vac_s) X(vac_u) X(credit_req)      \
  X(credit_got) X(credit_data) X(invest) X(rd) X(dig_inv) X(profit) X(tax) X(input_cost)           \
  X(ext_input) X(logistics) X(value_added) X(growth) X(links) X(local_inputs)        \
  X(sales_final) X(wages) X(interest) X(repaid) X(capex) X(scrap) X(other_cost)  \
  X(green) X(rented) X(rent) X(autom)
#define FIRM_U8(X)  X(alive) X(innovated) X(imitated) X(master) X(stationed) X(belt)
#define FIRM_U16(X) X(ind) X(reg) X(licences)
#define FIRM_OTHER(X) X(age) X(uid) X(rng)
#define FIRM_MULTI(X, F)                                                             \
  X(hist, WORLD_HIST) X(supplier, (F)->nslot) X(order, (F)->nslot)                   \
  X(got, (F)->nslot) X(input_stock, WORLD_MAX_INPUTS) X(pipe, (F)->npipe)            \
  X(sub_claim, NSUB) X(sub_paid, NSUB)
/* clang-format on */

typedef struct firm_soa {
  size_t cap;          /* allocated slots */
  size_t n;            /* slots in use (high-water mark); live ones have alive=1 */
  uint8_t *alive;      /* 1 live, 0 dead/free                          [7] */
  uint16_t *ind;       /* industry index                               [7] */
  uint16_t *reg;       /* region index (never External)                [7] */
  int32_t *age;        /* steps alive (step)                           [5] */
  uint64_t *uid;       /* serial id: creation order, seeds the stream  [7] */
  rng_t *rng;          /* the firm's own stream                        [3,5] */
  double *tfp;         /* base total factor productivity (1)           [5] */
  double *tfp_prev;    /* TFP at the end of the previous step (1)      [8] */
  double *capital;     /* capital stock (CNY)                          [5] */
  double *legacy;      /* legacy (old-vintage) share of capital (share) [5] */
  double *skilled;     /* skilled workers (workers)                    [4] */
  double *unskilled;   /* unskilled workers (workers)                  [4] */
  double *digital;     /* digital penetration D (share, 0..1)          [5] */
  double *data;        /* data-asset stock (CNY)                       [5] */
  double *knowledge;   /* absorptive capacity (index, >= 0)            [5] */
  double *cash;        /* cash (CNY)                                   [4,5,7] */
  double *debt;        /* bank debt (CNY)                              [4,5] */
  double *price;       /* price index (1 = base price)                 [5] */
  double *quality;     /* product quality (index, 1 = initial mean)    [5] */
  double *esg;         /* ESG score (share, 0..1)                      [5] */
  double *inventory;   /* finished goods (CNY at base prices)          [4,5] */
  double *share;       /* share of its industry's final demand (share) [4] */
  double *hist;        /* demand history, WORLD_HIST per firm, ring (CNY/step at base prices) [3] */
  double *forecast;    /* expected demand (CNY/step at base prices)    [3] */
  double *target;      /* planned output (CNY/step at base prices)     [3] */
  double *output;      /* realised output (CNY/step at base prices)    [5] */
  double *sales;       /* sales revenue (CNY/step)                     [5] */
  double *demand;      /* final demand addressed to the firm (CNY/step base prices) [4] */
  double *orders_in;   /* intermediate orders received (CNY/step base prices) [4] */
  double *shipped;     /* intermediate deliveries made (CNY/step base prices) [4] */
  double *unfilled;    /* demand + orders not served (CNY/step base prices) [5] */
  double *fill;        /* share of orders this firm served this step (share) [4] */
  double *reliability; /* smoothed delivery reliability (share)        [5] */
  double *vac_s;       /* skilled vacancies (+) or layoffs (-) (workers) [3] */
  double *vac_u;       /* unskilled vacancies (+) or layoffs (-) (workers) [3] */
  double *credit_req;  /* credit requested (CNY)                       [3] */
  double *credit_got;  /* credit granted this step (CNY)               [4] */
  double *credit_data; /* of credit_got, granted against pledged data assets (CNY) [4] */
  double *invest;      /* planned capital investment (CNY/step)        [3] */
  double *rd;          /* R&D spending (CNY/step)                      [3] */
  double *dig_inv;     /* digital investment (CNY/step)                [3] */
  double *profit;      /* profit after tax (CNY/step)                  [5] */
  double *tax;         /* profit tax due (CNY/step)                    [5] */
  double *input_cost;  /* inputs paid incl. logistics (CNY/step)       [5] */
  double *ext_input;   /* inputs bought from External (CNY/step base)  [5] */
  double *logistics;   /* logistics premium paid (CNY/step)            [5] */
  double *value_added; /* sales - input cost (CNY/step)                [5] */
  double *sales_final; /* revenue from final demand, paid by households (CNY/step) [5] */
  double *wages;       /* wage bill, paid to households (CNY/step)     [5] */
  double *interest;    /* interest paid to the bank (CNY/step)         [5] */
  double *repaid;      /* debt repaid to the bank (CNY/step)           [5] */
  double *capex;       /* capital goods bought from External (CNY/step) [5] */
  double *scrap;       /* cost of scrapping legacy capital (CNY/step)  [5] */
  double *green;       /* green investment, bought from External (CNY/step) [5] */
  double *rented;      /* shared-factory capacity rented this step (CNY of capital) [3,5] */
  double *rent;        /* rent paid for shared capacity, to External (CNY/step) [5] */
  double *autom;       /* automated (digitally controlled) share of own capital (share,
                        * 0..1 - legacy)                                  [5] */
  double *sub_claim;   /* per subsidy lever (NSUB per firm): subsidy planned (CNY/step) [3] */
  double *sub_paid; /* per subsidy lever (NSUB per firm): subsidy received or paid (CNY/step) [5] */
  double *growth;   /* log sales growth over the last step (1)      [5] */
  uint8_t *innovated;   /* innovation success this step (0/1)           [5] */
  uint8_t *imitated;    /* imitation success this step (0/1)            [5] */
  uint8_t *master;      /* chain-master firm (0/1)                      [init] */
  uint8_t *stationed;   /* steps left of a stationed scientist (0: none) [2] */
  uint8_t *belt;        /* in a chain-master belt: a master or one of its suppliers (0/1) [7] */
  uint16_t *licences;   /* institute licences received this step (count) [2] */
  double *links;        /* institute collaboration intensity, decaying count of licences (1) [5] */
  double *local_inputs; /* share of input slots held by in-province suppliers (share) [7] */
  int32_t *supplier;    /* per slot: supplier firm, SLOT_EXTERNAL or SLOT_UNUSED [7] */
  double *order;        /* per slot: quantity ordered (CNY/step base prices) [3] */
  double *got;          /* per slot: quantity delivered (CNY/step base prices) [4] */
  double *input_stock;  /* per input position (WORLD_MAX_INPUTS per firm): stock (CNY base
                           prices) [4,5] */
  double *pipe;         /* per input position x lead-time step (npipe per firm): deliveries in
                           transit, a ring of lead_time steps (CNY base prices) [4] */
  double *other_cost;   /* other intermediate inputs bought from External (CNY/step) [5] */
  size_t nslot;         /* slots per firm = WORLD_MAX_INPUTS * supplier_slots */
  size_t npipe;         /* pipeline elements per firm = WORLD_MAX_INPUTS * max(lead_time, 1) */
} firm_soa;

typedef struct industry_state {
  int kind;                      /* SCN_KIND_* */
  int n_inputs;                  /* input industries */
  int input[WORLD_MAX_INPUTS];   /* their indices */
  double coef[WORLD_MAX_INPUTS]; /* CNY of input per CNY of output */
  double final_demand;           /* final demand this step (CNY/step at base prices) [1] */
  double demand0;                /* initial final demand (CNY/step) */
  double ext_capacity;           /* External supply capacity of this input (CNY/step) [1] */
  double ext_capacity0;          /* capacity before shocks (CNY/step) */
  double ext_orders;             /* External orders for this industry's goods (CNY/step) [4] */
  double ext_fill;               /* share of External orders served (share)       [4] */
  double spot_fill;    /* share of local shortfalls bought spot from External (share) [4] */
  double mean_comp;    /* mean competitiveness of its firms (1)         [4] */
  double price_level;  /* output-weighted mean price, previous step (1) [8] */
  double tfp_scale;    /* converts relative TFP into output units (CNY/(CNY^a worker^(1-a))) */
  double profit_rate;  /* previous-step aggregate profit / sales (share) [8] */
  double mean_output;  /* previous-step mean output of its firms (CNY/step) [8] */
  double shock_demand; /* final-demand multiplier from demand shocks (1) [1] */
  double shock_supply; /* External-capacity multiplier from supply shocks (1) [1] */
  double other_share; /* other intermediate cost per CNY of output, calibrated residual (CNY/CNY) */
  double region_w[WORLD_MAX_REGIONS]; /* placement weights of entrants   */
} industry_state;

typedef struct region_state {
  int role;                /* SCN_ROLE_* */
  double wage_s, wage_u;   /* wages (CNY/worker/year)                        [4] */
  double force_s, force_u; /* labour force: employed + unemployed (workers)  [2,4] */
  double pool_s, pool_u;   /* unemployed (workers)                           [2,4] */
  double vac_s, vac_u;     /* vacancies posted this step (workers)          [4] */
  double fill_s, fill_u;   /* vacancy fill ratios (share)                    [4] */
  double migrated;         /* skilled who left for External this step (workers) [4] */
  double grads_retained;   /* graduates retained this step (persons)         [2] */
  double grads_left;       /* graduates who left this step (persons)         [2] */
  double logistics;        /* premium on External inputs (share)            */
  double digital_infra;    /* (share)                                       */
  double tax;              /* taxes collected this step (CNY)               [6] */
  double talent_damp;      /* share of would-be skilled migrants kept by the talent scheme [1] */
  double wage_pull;        /* External wage multiplier from talent-drain shocks (1) [1] */
} region_state;

typedef struct institute_state {
  int type, region;
  double researchers;      /* (persons) */
  double knowledge;        /* knowledge stock (index) [2] */
  double graduates;        /* graduates per year (persons/year) */
  double retention;        /* base retention (share) */
  double local_conversion; /* base local conversion share (share) */
  double rate;             /* inventions per researcher per step at knowledge 1 (1/step) */
  double field_w[WORLD_MAX_INDUSTRIES]; /* field weights (share, sum 1) */
  double cash;                          /* (CNY) [2] */
  int inv_local, inv_sold; /* inventions this step licensed locally / sold out (count) [2] */
  double revenue;          /* licence revenue this step (CNY) [2] */
  rng_t rng;
} institute_state;

typedef struct government_state {
  double cash;            /* province + cities treasury (CNY) [6] */
  double tax;             /* taxes collected this step (CNY) [6] */
  int active[LEVER_N];    /* lever active this step [1] */
  double spend[LEVER_N];  /* spending by lever this step (CNY) [2,4,5] */
  double cut[LEVER_N];    /* cost not paid for lack of budget, by lever (CNY) [2,4,5] */
  double sub_ratio[NSUB]; /* share of planned subsidies the budgets allow this step (share) [3] */
  double scientists;      /* scientists stationed in firms this step (persons) [2] */
  double challenges;      /* challenges posted this step (count) [2] */
  double solved;          /* challenges solved by institutes this step (count) [2] */
  double poc; /* inventions kept in the province by proof-of-concept centres (count) [2] */
  double chain_entries; /* entrants attracted by chain completion this step (count) [7] */
  rng_t rng;            /* the government's stream (lever draws) */
} government_state;

/* A classroom order override (nqp_world_set_order, world/order_override.c):
 * in the next step's phase 3, after its own plan, the firm in SLOT (uid
 * UID) orders QUANTITY (CNY/step at base prices) of its input position
 * INPUT, split over that input's supplier slots like its own orders. */
typedef struct order_override {
  size_t slot;
  uint64_t uid;
  int input;
  double quantity;
} order_override;

typedef struct world {
  const scenario *scn; /* borrowed, immutable */
  int ni, nr, ext;     /* industries, regions, index of External */
  int spy;             /* steps per year */
  int step;            /* current step (0-based) */
  int threads;         /* OpenMP threads for this world */
  uint64_t seed;       /* master seed */
  uint64_t next_uid;   /* next firm uid */
  rng_t rng;           /* world stream (environment, entry) */
  firm_soa f;
  industry_state ind[WORLD_MAX_INDUSTRIES];
  region_state reg[WORLD_MAX_REGIONS];
  institute_state *inst;
  int n_inst;
  government_state gov;
  double acc[ACC_N];    /* external accounts (CNY), may be negative */
  double money0;        /* total money at start (CNY) */
  double debt0;         /* total firm debt at start (CNY): scales bank capacity */
  double capital0;      /* total firm capital at start (CNY): scales bank capacity */
  double bad_debt;      /* debt written off by exits, cumulative (CNY) [7] */
  double credit_mult;   /* bank-capacity multiplier from credit-crunch shocks (1) [1] */
  int entries, exits;   /* this step (count) */
  double *cell_entries; /* entries this step per industry x region (count) [7] */
  double *cell_exits;   /* exits this step per industry x region (count) [7] */
  size_t *free_list;    /* dead slots available for reuse */
  size_t n_free;
  /* reverse supplier index (CSR over suppliers), rebuilt after rewiring */
  size_t *rev_start; /* cap+1 offsets */
  size_t *rev_slot;  /* buyer*nslot+k, grouped by supplier */
  int links_dirty;
  /* per-industry list of live firms (CSR), rebuilt at step start */
  size_t *ind_start; /* ni+1 */
  size_t *ind_firms;
  double *cum_w;      /* cumulative output weights along ind_firms (supplier choice) */
  double *cum_k;      /* cumulative knowledge along ind_firms (licence routing) [2] */
  size_t *cell_start; /* ni*nr+1 offsets of (industry, region) cells in ind_firms */
  size_t *cell_pos;   /* scratch for the index build */
  /* scratch for block reductions */
  double *scratch;
  size_t scratch_len;
  /* order overrides for the next step only: applied in phase 3, cleared at
   * the end of every step. Not part of checkpoints (a checkpoint is written
   * between steps of `nqpsim run`, which never sets any; a pending override
   * does not survive a checkpoint and resume). */
  order_override *overrides;
  size_t n_overrides, cap_overrides;
} world;

void world_free(world **w);
/* Total money: firm, institute and government cash plus external accounts. */
double world_money(const world *w);
/* Check every invariant; returns 0, or -1 with the first violation in ERR. */
int world_check(const world *w, char *err, size_t errlen);
/* Bytes world_create would allocate for scenario S (firm arrays at the
 * initial capacity, indexes, reduction scratch), computed before allocating;
 * *FIRMS (may be NULL) receives the initial firm count. */
double world_estimate_bytes(const scenario *s, size_t *firms);
/* Firms of industry I at the start of scenario S (count x scale, at least
 * min_firms). */
size_t world_firm_count(const scenario *s, int i);
/* Grow firm arrays to hold at least CAP slots. */
int world_reserve(world *w, size_t cap);
/* Rebuild the per-industry live-firm lists, the cumulative size weights and
 * the reverse supplier index. Returns -1 when out of memory. */
int world_index(world *w);
/* Live firm of industry J drawn in proportion to a per-firm weight, given as
 * CUM, its cumulative sum along ind_firms restarting at each industry (see
 * world_cumulate): first a region, with region OWN weighted BIAS times,
 * then a firm of that region by binary search. -1 if J has no live firm.
 * O(regions + log firms). Draws from R only. */
long world_pick_firm(const world *w, const double *cum, int j, int own, double bias, rng_t *r);
/* CUM[p] = cumulative max(X, 0) along ind_firms, restarting per industry. */
int world_cumulate(const world *w, const double *x, double *cum);
/* Set the override of (SLOT, INPUT) for the next step, replacing an earlier
 * one of the same pair. Returns -1 when out of memory. */
int world_override_set(world *w, size_t slot, int input, double quantity);
/* Drop every pending override (end of a step, reset). */
void world_override_clear(world *w);
/* Steps per year as a double, and the per-step fraction of a yearly flow. */
static inline double world_per_step(const world *w, double per_year) {
  return per_year / (double)w->spy;
}

#endif
