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

#include "agents/government.h"
#include "sim/dist.h"
#include "sim/reduce.h"

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

/* Firm of industry I that licenses the invention: weight knowledge x
 * proximity (twice as likely in the institute's region). -1 if none. */
static long pick_licensee(const world *w, institute_state *it, int i) {
  const firm_soa *f = &w->f;
  size_t lo = w->ind_start[i], hi = w->ind_start[i + 1];
  double total = 0;
  for (size_t p = lo; p < hi; p++) {
    size_t k = w->ind_firms[p];
    total += f->knowledge[k] * (f->reg[k] == it->region ? 2 : 1);
  }
  if (!(total > 0)) return -1;
  double u = rng_double(&it->rng) * total, c = 0;
  for (size_t p = lo; p < hi; p++) {
    size_t k = w->ind_firms[p];
    c += f->knowledge[k] * (f->reg[k] == it->region ? 2 : 1);
    if (u < c) return (long)k;
  }
  return (long)w->ind_firms[hi - 1];
}

static void invent(world *w, institute_state *it, const double *absorb) {
  double fee = w->scn->institutes[it - w->inst].licence_fee * 1e4;
  double mean = it->rate * it->researchers * sqrt(it->knowledge);
  uint32_t n = dist_poisson(&it->rng, mean);
  it->inv_local = it->inv_sold = 0;
  for (uint32_t v = 0; v < n; v++) {
    int i = (int)dist_categorical(&it->rng, it->field_w, (size_t)w->ni);
    if (i >= w->ni) break;
    long k = -1;
    if (dist_bernoulli(&it->rng, institute_local_probability(w, it, i, absorb)))
      k = pick_licensee(w, it, i);
    if (k >= 0) {
      w->f.licences[k]++;
      w->f.cash[k] -= fee;
      it->inv_local++;
    } else {
      w->acc[ACC_EXTERNAL] -= fee;
      it->inv_sold++;
    }
    it->cash += fee;
  }
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

void institute_step(world *w) {
  double sums[WORLD_MAX_INDUSTRIES * 2], absorb[WORLD_MAX_INDUSTRIES];
  reduce_blocks(w->f.n, (size_t)w->ni * 2, absorb_sums, w, sums, w->scratch, w->threads);
  double ref = w->scn->market.absorb_ref;
  for (int i = 0; i < w->ni; i++) { /* mean knowledge relative to absorb_ref, capped at 1 */
    double mean = sums[i * 2 + 1] > 0 ? sums[i * 2] / sums[i * 2 + 1] : 0;
    absorb[i] = mean / ref > 1 ? 1 : mean / ref;
  }
  for (int r = 0; r < w->nr; r++) w->reg[r].grads_retained = w->reg[r].grads_left = 0;
  for (size_t k = 0; k < w->f.n; k++) w->f.licences[k] = 0;
  for (int j = 0; j < w->n_inst; j++) {
    institute_state *it = &w->inst[j];
    it->knowledge += world_per_step(w, 0.05) * it->researchers / 1000;
    invent(w, it, absorb);
    graduate(w, it);
    w->acc[ACC_HOUSEHOLDS] += it->cash; /* salaries */
    it->revenue = it->cash;
    it->cash = 0;
  }
}
