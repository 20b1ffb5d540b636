/* institute: research institutes (MODEL.md s.3, phase 2).
 *
 * Invariants: an institute draws only from its own stream; inventions are
 * routed in institute order, then invention order, so the result does not
 * depend on threads; a licence fee leaves the buying firm's cash and enters
 * the institute's (or comes from ACC_EXTERNAL when sold out of province);
 * institutes pass their revenue to households (salaries) each step, so
 * their cash ends every step at zero; graduates enter the skilled pool of
 * the institute's region or leave the province.
 */
#include "agents/institute.h"

#include <math.h>
#include <stdlib.h>

#include "agents/government.h"
#include "config/scenario.h"
#include "base/dist.h"
#include "base/reduce.h"

/* Per industry: sum of knowledge and count of live firms. */
static void absorb_sums(const void *ctx, size_t lo, size_t hi, double *acc) {
  const firm_soa *f = &((const world *)ctx)->f;
  for (size_t k = lo; k < hi; k++)
    if (f->alive[k]) {
      acc[f->ind[k] * 2] += f->knowledge[k];
      acc[f->ind[k] * 2 + 1] += 1;
    }
}

double institute_local_probability(const world *w, const institute_state *it, int i,
                                   const double *absorb) {
  double p = it->local_conversion * absorb[i];
  return p > 1 ? 1 : p;
}

/* Firm of industry I that licenses the invention: weight absorptive
 * capacity (knowledge x R&D spending^licence_rd_weight, see
 * licensee_weights) x proximity (twice as likely in the institute's
 * region). -1 if none. */
static long pick_licensee(const world *w, institute_state *it, int i) {
  return world_pick_firm(w, w->cum_k, i, it->region, 2, &it->rng);
}

/* Flying-enclave R&D (飞地研发): a new R&D institution of a targeted region
 * does research outside it: its invention rate rises by `intensity` and its
 * local conversion falls by half as much. The lever pays unit_cost per extra
 * researcher-year; an unpaid share scales the boost down. Returns the boost. */
static double enclave_boost(world *w, const institute_state *it) {
  if (it->type != SCN_INST_NEW_RD || !government_lever_applies(w, LEVER_ENCLAVE, it->region, -1))
    return 0;
  const scn_lever *l = &w->scn->government.flying_enclave;
  double cost = l->unit_cost * it->researchers * l->intensity / w->spy;
  if (cost <= 0) return l->intensity;
  return l->intensity * government_pay(w, LEVER_ENCLAVE, cost, ACC_EXTERNAL) / cost;
}

/* Proof-of-concept centres (概念验证中心) in the institute's region take a
 * share `intensity` of the inventions about to be sold out of the province
 * to a local licensee, paid unit_cost for each invention kept (while the
 * budget covers a whole unit). */
static int poc_keeps(world *w, institute_state *it) {
  if (!government_lever_applies(w, LEVER_POC, it->region, -1)) return 0;
  const scn_lever *l = &w->scn->government.proof_of_concept;
  if (!dist_bernoulli(&it->rng, l->intensity)) return 0;
  return government_budget_left(w, LEVER_POC) >= l->unit_cost;
}

/* Licence invention of field I to firm K (fee from the firm). */
static void license(world *w, institute_state *it, long k, double fee) {
  w->f.licences[k]++;
  w->f.cash[k] -= fee;
  it->inv_local++;
  it->cash += fee;
}

static void invent(world *w, institute_state *it, const double *absorb) {
  double fee = w->scn->institutes[it - w->inst].licence_fee * 1e4;
  double boost = enclave_boost(w, it);
  double mean = it->rate * it->researchers * (1 + boost) * sqrt(it->knowledge);
  uint32_t n = dist_poisson(&it->rng, mean);
  it->inv_local = it->inv_sold = 0;
  for (uint32_t v = 0; v < n; v++) {
    int i = (int)dist_categorical(&it->rng, it->field_w, (size_t)w->ni);
    if (i >= w->ni) break;
    long k = -1;
    double p = institute_local_probability(w, it, i, absorb) * (1 - boost / 2);
    int local = dist_bernoulli(&it->rng, p);
    int poc = !local && poc_keeps(w, it);
    if (local || poc) k = pick_licensee(w, it, i);
    if (poc && k >= 0) { /* the centre is paid only for an invention it kept */
      government_pay(w, LEVER_POC, w->scn->government.proof_of_concept.unit_cost, ACC_HOUSEHOLDS);
      w->gov.poc += 1;
    }
    if (k >= 0) {
      license(w, it, k, fee);
    } else {
      w->acc[ACC_EXTERNAL] -= fee;
      it->inv_sold++;
      it->cash += fee;
    }
  }
}

/* Challenge-based R&D fund (揭榜挂帅): `amount` challenges a year are posted
 * by targeted firms (drawn with replacement by R&D spending; no more
 * challenges in a step than targeted firms with R&D); an institute working in the field (drawn by
 * field weight x researchers) solves each with probability `intensity`; a
 * solution is a licence to the posting firm and the fund pays the solver
 * unit_cost (while the budget lasts). Serial, government stream. */
typedef struct posters {
  size_t *firm; /* targeted firms with R&D spending */
  double *cum;  /* cumulative R&D along them */
  size_t n;
} posters;

static int posters_build(const world *w, posters *p) {
  const firm_soa *f = &w->f;
  p->firm = malloc((f->n + 1) * sizeof(size_t));
  p->cum = malloc((f->n + 1) * sizeof(double));
  p->n = 0;
  if (!p->firm || !p->cum) return -1;
  double c = 0;
  for (size_t k = 0; k < f->n; k++)
    if (f->alive[k] && f->rd[k] > 0 &&
        government_lever_applies(w, LEVER_CHALLENGE, f->reg[k], f->ind[k])) {
      c += f->rd[k];
      p->firm[p->n] = k, p->cum[p->n++] = c;
    }
  return 0;
}

static long challenge_poster(world *w, const posters *p) {
  if (p->n == 0) return -1;
  double u = rng_double(&w->gov.rng) * p->cum[p->n - 1];
  size_t lo = 0, hi = p->n;
  while (hi - lo > 1) { /* first i with cum[i] > u */
    size_t mid = lo + (hi - lo) / 2;
    if (p->cum[mid - 1] > u)
      hi = mid;
    else
      lo = mid;
  }
  return (long)p->firm[lo];
}

static int challenge_solver(world *w, int i) {
  double wt[1024];
  int n = w->n_inst < 1024 ? w->n_inst : 1024;
  for (int j = 0; j < n; j++) wt[j] = w->inst[j].field_w[i] * w->inst[j].researchers;
  size_t j = dist_categorical(&w->gov.rng, wt, (size_t)n);
  return j < (size_t)n ? (int)j : -1;
}

static int challenges(world *w) {
  const scn_lever *l = &w->scn->government.challenge_fund;
  w->gov.challenges = w->gov.solved = 0;
  if (!w->gov.active[LEVER_CHALLENGE]) return 0;
  posters p;
  int rc = posters_build(w, &p);
  uint32_t n = rc == 0 ? dist_poisson(&w->gov.rng, government_step_amount(w, LEVER_CHALLENGE)) : 0;
  if (n > p.n) n = (uint32_t)p.n; /* no more challenges than targeted firms with R&D */
  for (uint32_t c = 0; c < n; c++) {
    long k = challenge_poster(w, &p);
    if (k < 0 || government_budget_left(w, LEVER_CHALLENGE) < l->unit_cost) break;
    w->gov.challenges += 1;
    int j = challenge_solver(w, w->f.ind[k]);
    if (j < 0 || !dist_bernoulli(&w->gov.rng, l->intensity)) continue;
    institute_state *it = &w->inst[j];
    license(w, it, k, 0);
    it->cash += government_spend(w, LEVER_CHALLENGE, l->unit_cost); /* the fund pays the solver */
    w->gov.solved += 1;
  }
  free(p.firm);
  free(p.cum);
  return rc;
}

static void graduate(world *w, institute_state *it) {
  double g = it->graduates / w->spy;
  double stay = g * it->retention;
  stay += government_talent_retain(w, it->region, g - stay);
  region_state *r = &w->reg[it->region];
  r->pool_s += stay;
  r->force_s += stay;
  r->grads_retained += stay;
  r->grads_left += g - stay;
}

/* Licence routing weights, cumulated along each industry into cum_k:
 * knowledge x rd^beta, rd the R&D spending of the previous step (CNY/step).
 * beta = 0 weighs firms by knowledge alone; beta = 1 makes the chance of a
 * licence proportional to the R&D budget, as absorptive capacity is a
 * by-product of R&D investment (Cohen and Levinthal 1990). */
static int licensee_weights(world *w) {
  const firm_soa *f = &w->f;
  double beta = w->scn->market.licence_rd_weight;
  double *x = malloc((f->n + 1) * sizeof(double));
  if (!x) return -1;
  for (size_t k = 0; k < f->n; k++)
    x[k] = beta == 0 ? f->knowledge[k] : f->knowledge[k] * pow(f->rd[k] > 0 ? f->rd[k] : 0, beta);
  int rc = world_cumulate(w, x, w->cum_k);
  free(x);
  return rc;
}

int institute_step(world *w) {
  double sums[WORLD_MAX_INDUSTRIES * 2], absorb[WORLD_MAX_INDUSTRIES];
  reduce_blocks(w->f.n, (size_t)w->ni * 2, absorb_sums, w, sums, w->scratch, w->threads);
  double ref = w->scn->market.absorb_ref;
  for (int i = 0; i < w->ni; i++) { /* mean knowledge relative to absorb_ref, capped at 1 */
    double mean = sums[i * 2 + 1] > 0 ? sums[i * 2] / sums[i * 2 + 1] : 0;
    absorb[i] = mean / ref > 1 ? 1 : mean / ref;
  }
  for (int r = 0; r < w->nr; r++) w->reg[r].grads_retained = w->reg[r].grads_left = 0;
  w->gov.poc = 0;
  if (licensee_weights(w) != 0) return -1;
  for (size_t k = 0; k < w->f.n; k++) w->f.licences[k] = 0;
  for (int j = 0; j < w->n_inst; j++) {
    institute_state *it = &w->inst[j];
    it->knowledge += world_per_step(w, 0.05) * it->researchers / 1000;
    invent(w, it, absorb);
    graduate(w, it);
  }
  int rc = challenges(w);
  for (int j = 0; j < w->n_inst; j++) {
    institute_state *it = &w->inst[j];
    w->acc[ACC_HOUSEHOLDS] += it->cash; /* salaries */
    it->revenue = it->cash;
    it->cash = 0;
  }
  return rc;
}
