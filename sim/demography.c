/* demography: exit, rewiring and entry (MODEL.md s.3 phase 7).
 *
 * Invariants: runs serially in slot order, so it is deterministic; an
 * exiting firm's workers return to its region's pool and its cash (positive
 * or negative) goes to households (the owners), its debt is written off;
 * dead slots go on the free list and are reused by entrants only after every
 * link to them was rewired, so no buyer silently changes supplier; entrants'
 * capital and cash are paid by households (owners' equity), the capital
 * bought from External.
 */
#include "sim/demography.h"

#include <math.h>
#include <string.h>

#include "agents/firm.h"
#include "agents/government.h"
#include "base/dist.h"

int demography_should_exit(const world *w, size_t k) {
  const firm_soa *f = &w->f;
  if (w->scn->firm.bankruptcy && firm_net_worth(w, k) < 0) return 1;
  return f->age[k] > 2 * w->spy && f->share[k] < w->scn->firm.exit_share;
}

static void exit_firm(world *w, size_t k) {
  firm_soa *f = &w->f;
  region_state *r = &w->reg[f->reg[k]];
  r->pool_s += f->skilled[k];
  r->pool_u += f->unskilled[k];
  w->acc[ACC_HOUSEHOLDS] += f->cash[k];
  w->bad_debt += f->debt[k];
  w->cell_exits[f->ind[k] * w->nr + f->reg[k]] += 1;
  f->alive[k] = 0;
  f->cash[k] = f->debt[k] = f->skilled[k] = f->unskilled[k] = 0;
  w->free_list[w->n_free++] = k;
  w->exits++;
}

/* Dead suppliers are replaced; an External slot tries a local supplier now
 * and then and switches when it is cheaper than External with logistics; a
 * slot whose supplier served less than 80% of its orders tries another and
 * switches to a larger one (so large buyers come to meet large suppliers). */
static void rewire_firm(world *w, size_t k) {
  firm_soa *f = &w->f;
  const industry_state *is = &w->ind[f->ind[k]];
  double ext_cost = w->scn->market.external_price * (1 + w->reg[f->reg[k]].logistics);
  /* chain completion: buyers in targeted regions look for in-province
   * suppliers of the targeted (input) industries more often and accept them
   * up to `intensity` dearer than External (investment promotion, matching) */
  double chain = w->scn->government.chain_completion.intensity;
  for (size_t s = 0; s < f->nslot; s++) {
    int32_t *sup = &f->supplier[k * f->nslot + s];
    int m = firm_slot_input(w, s);
    if (m >= is->n_inputs) continue;
    if (*sup >= 0 && !f->alive[*sup]) {
      *sup = firm_pick_supplier(w, k, is->input[m]);
    } else if (*sup == SLOT_EXTERNAL) {
      double c_m = government_lever_applies(w, LEVER_CHAIN, f->reg[k], is->input[m]) ? chain : 0;
      if (!dist_bernoulli(&f->rng[k], 0.05 + 0.5 * c_m)) continue;
      int c = firm_pick_supplier(w, k, is->input[m]);
      if (c >= 0 && f->price[c] < ext_cost * (1 + c_m)) *sup = c;
    } else if (*sup >= 0 && f->fill[*sup] < 0.8 && dist_bernoulli(&f->rng[k], 0.25)) {
      int c = firm_pick_supplier(w, k, is->input[m]); /* a short supplier: look for a bigger one */
      if (c >= 0 && f->output[c] > f->output[*sup]) *sup = c;
    }
  }
}

static size_t take_slot(world *w) {
  if (w->n_free > 0) return w->free_list[--w->n_free];
  return w->f.n++;
}

/* Mean of live incumbents' output and price in industry I (for entrants). */
static void industry_means(const world *w, int i, double *q, double *p) {
  size_t lo = w->ind_start[i], hi = w->ind_start[i + 1];
  double sq = 0, sp = 0;
  for (size_t j = lo; j < hi; j++) {
    sq += w->f.output[w->ind_firms[j]];
    sp += w->f.price[w->ind_firms[j]];
  }
  *q = hi > lo ? sq / (double)(hi - lo) : w->ind[i].demand0 / 100;
  *p = hi > lo ? sp / (double)(hi - lo) : 1;
}

static void init_entrant(world *w, size_t k, int i, double q, double price,
                         const double *region_w) {
  firm_soa *f = &w->f;
  const scenario *s = w->scn;
  const scn_industry *si = &s->industries[i];
  memset(f->hist + k * WORLD_HIST, 0, WORLD_HIST * sizeof(double));
  f->uid[k] = w->next_uid++;
  rng_stream(&f->rng[k], w->seed, RNG_KIND_FIRM, f->uid[k]);
  rng_t *r = &f->rng[k];
  f->alive[k] = 1;
  f->ind[k] = (uint16_t)i;
  f->reg[k] = (uint16_t)dist_categorical(r, region_w, (size_t)w->nr);
  f->age[k] = 0;
  size_t lo = w->ind_start[i], n = w->ind_start[i + 1] - lo;
  double model = n ? f->tfp_prev[w->ind_firms[lo + rng_bounded(r, (uint32_t)n)]] : 1;
  f->tfp[k] = f->tfp_prev[k] = model * dist_lognormal(r, 0, 0.05);
  f->forecast[k] = f->target[k] = q; /* plans on q, has produced nothing yet */
  f->output[k] = 0;
  for (int h = 0; h < WORLD_HIST; h++) f->hist[k * WORLD_HIST + h] = q;
  f->capital[k] = si->capital_output * q * w->spy;
  f->legacy[k] = 0;
  f->digital[k] = si->digital_initial * (0.5 + w->reg[f->reg[k]].digital_infra);
  if (f->digital[k] > 0.95) f->digital[k] = 0.95;
  f->autom[k] = f->digital[k]; /* all new equipment, installed at D */
  f->cash[k] = s->firm.initial_cash * q * price;
  f->price[k] = price;
  f->quality[k] = 1;
  f->reliability[k] = f->fill[k] = 1;
  f->knowledge[k] = 1;
  f->esg[k] = 0.3;
  f->share[k] = w->ind[i].final_demand > 0 ? 0.5 * q / w->ind[i].final_demand : 0;
  w->acc[ACC_HOUSEHOLDS] -= f->cash[k] + f->capital[k];
  w->acc[ACC_EXTERNAL] += f->capital[k];
}

/* Variables an entrant must not inherit from the slot's previous owner. */
static void clear_flows(world *w, size_t k) {
  firm_soa *f = &w->f;
  f->debt[k] = f->skilled[k] = f->unskilled[k] = f->inventory[k] = f->data[k] = 0;
  f->sales[k] = f->demand[k] = f->orders_in[k] = f->shipped[k] = f->unfilled[k] = 0;
  f->profit[k] = f->tax[k] = f->input_cost[k] = f->ext_input[k] = f->logistics[k] = 0;
  f->value_added[k] = f->growth[k] = f->links[k] = f->rd[k] = f->dig_inv[k] = 0;
  f->invest[k] = f->credit_req[k] = f->credit_got[k] = f->credit_data[k] = 0;
  f->vac_s[k] = f->vac_u[k] = 0;
  f->sales_final[k] = f->wages[k] = f->interest[k] = f->repaid[k] = f->capex[k] = 0;
  f->scrap[k] = f->green[k] = f->other_cost[k] = f->rented[k] = f->rent[k] = 0;
  for (int s = 0; s < NSUB; s++)
    f->sub_claim[k * NSUB + (size_t)s] = f->sub_paid[k * NSUB + (size_t)s] = 0;
  memset(f->input_stock + k * WORLD_MAX_INPUTS, 0, WORLD_MAX_INPUTS * sizeof(double));
  memset(f->pipe + k * f->npipe, 0, f->npipe * sizeof(double));
  memset(f->order + k * f->nslot, 0, f->nslot * sizeof(double));
  memset(f->got + k * f->nslot, 0, f->nslot * sizeof(double));
  f->innovated[k] = f->imitated[k] = f->master[k] = f->stationed[k] = 0;
  f->licences[k] = 0;
}

static int add_entrant(world *w, int i, double q, double price, const double *region_w) {
  if (w->n_free == 0 && w->f.n >= w->f.cap && world_reserve(w, w->f.cap + w->f.cap / 2 + 64) != 0)
    return -1;
  size_t k = take_slot(w);
  clear_flows(w, k);
  init_entrant(w, k, i, q, price, region_w);
  firm_assign_links(w, k);
  w->cell_entries[i * w->nr + w->f.reg[k]] += 1;
  w->entries++;
  return 0;
}

/* Chain completion (双招双引) attracts extra entrants into the targeted
 * (input) industries: a further Poisson(intensity x mean) of them, placed
 * with the targeted regions weighted 1 + 3 x intensity, each costing the
 * lever unit_cost while its budget lasts. */
static int attract_entrants(world *w, int i, double mean, double q, double price) {
  const scn_lever *l = &w->scn->government.chain_completion;
  if (!government_lever_applies(w, LEVER_CHAIN, -1, i)) return 0;
  double rw[WORLD_MAX_REGIONS];
  for (int r = 0; r < w->nr; r++)
    rw[r] = w->ind[i].region_w[r] *
            (government_lever_applies(w, LEVER_CHAIN, r, i) ? 1 + 3 * l->intensity : 1);
  uint32_t extra = dist_poisson(&w->gov.rng, mean * l->intensity);
  for (uint32_t e = 0; e < extra; e++) {
    if (government_budget_left(w, LEVER_CHAIN) < l->unit_cost) break;
    government_pay(w, LEVER_CHAIN, l->unit_cost, ACC_EXTERNAL);
    if (add_entrant(w, i, q, price, rw) != 0) return -1;
    w->gov.chain_entries += 1;
  }
  return 0;
}

static int enter_industry(world *w, int i) {
  const scenario *s = w->scn;
  size_t n = w->ind_start[i + 1] - w->ind_start[i];
  double pr = w->ind[i].profit_rate;
  double attract = 0.5 + 10 * pr;
  attract = attract < 0 ? 0 : (attract > 2 ? 2 : attract);
  double mean = world_per_step(w, s->market.entry_rate) * (double)n * attract;
  uint32_t count = dist_poisson(&w->rng, mean);
  double q, price;
  industry_means(w, i, &q, &price);
  for (uint32_t e = 0; e < count; e++)
    if (add_entrant(w, i, 0.3 * q, price, w->ind[i].region_w) != 0) return -1;
  return attract_entrants(w, i, mean, 0.3 * q, price);
}

int demography_step(world *w) {
  firm_soa *f = &w->f;
  w->entries = w->exits = 0;
  w->gov.chain_entries = 0;
  memset(w->cell_entries, 0, (size_t)(w->ni * w->nr) * sizeof(double));
  memset(w->cell_exits, 0, (size_t)(w->ni * w->nr) * sizeof(double));
  for (size_t k = 0; k < f->n; k++)
    if (f->alive[k] && demography_should_exit(w, k)) exit_firm(w, k);
  if (world_index(w) != 0) return -1;
  for (size_t k = 0; k < f->n; k++)
    if (f->alive[k]) rewire_firm(w, k);
  for (int i = 0; i < w->ni; i++)
    if (enter_industry(w, i) != 0) return -1;
  for (size_t k = 0; k < f->n; k++)
    if (f->alive[k]) {
      int used = 0, local = 0;
      for (size_t s = 0; s < f->nslot; s++) {
        used += f->supplier[k * f->nslot + s] != SLOT_UNUSED;
        local += f->supplier[k * f->nslot + s] >= 0;
      }
      f->local_inputs[k] = used ? (double)local / used : 1;
    }
  return world_index(w);
}
