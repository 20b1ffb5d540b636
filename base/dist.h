/* dist: random variates drawn from one rng_t. Every function consumes only
 * the generator it is given, so an agent's draws depend on its own stream.
 * Methods: normal by Marsaglia's polar method (the second variate is
 * discarded, so no state outside rng_t), gamma by Marsaglia-Tsang (2000)
 * with the shape<1 boost, beta from two gammas, Poisson by inversion for
 * mean < 10 and Hormann's PTRS (1993) above, categorical by a cumulative scan.
 *
 * Out-of-domain parameters never hang and never yield NaN; except for
 * bernoulli they return the value below without consuming draws:
 *  - normal, lognormal: mu or sigma not finite, or sigma < 0 -> 0
 *    (sigma == 0 is valid and returns mu, resp. exp(mu));
 *  - exponential: rate not finite or <= 0 -> 0;
 *  - gamma: shape or scale not finite or <= 0 -> 0; beta: a or b not
 *    finite or <= 0 -> 0; beta_range: lo, hi not finite or lo > hi -> 0,
 *    else invalid a, b -> lo;
 *  - uniform: lo, hi not finite or lo > hi -> 0 (lo == hi returns lo);
 *  - poisson: mean <= 0 or NaN -> 0 (mean == 0 is valid: 0, no draws);
 *    mean >= 2^40 (and +inf) -> UINT32_MAX;
 *    finite results above UINT32_MAX saturate there;
 *  - bernoulli always draws one rng_double u and returns u < p (so p <= 0
 *    or NaN -> 0, p >= 1 -> 1);
 *  - categorical: negative and NaN weights count as 0; a sum that is not
 *    positive and finite -> n.
 * Tiny gamma/beta shapes may underflow to exactly 0 (or 0/1 for beta).
 *
 * Included by: any file at or above base/ (layers.txt).
 */
#ifndef NQP_DIST_H
#define NQP_DIST_H

#include <stddef.h>
#include <stdint.h>

#include "base/rng.h"

double dist_normal(rng_t *r, double mu, double sigma);
double dist_lognormal(rng_t *r, double mu, double sigma); /* exp(N(mu, sigma)) */
double dist_exponential(rng_t *r, double rate);
double dist_gamma(rng_t *r, double shape, double scale); /* shape, scale > 0 */
double dist_beta(rng_t *r, double a, double b);          /* a, b > 0 */
/* Beta(a, b) mapped onto [lo, hi]. */
double dist_beta_range(rng_t *r, double a, double b, double lo, double hi);
uint32_t dist_poisson(rng_t *r, double mean); /* mean >= 0 */
int dist_bernoulli(rng_t *r, double p);       /* 1 with probability p */
/* Index i in [0, n) with probability w[i] / sum(w); weights >= 0, sum > 0.
 * Returns n when the sum is not positive. */
size_t dist_categorical(rng_t *r, const double *w, size_t n);
/* Uniform double in [lo, hi). */
double dist_uniform(rng_t *r, double lo, double hi);

#endif
