/* dist: random variates from one rng_t (see base/dist.h for the methods).
 *
 * Invariants:
 *  - every draw comes from the rng_t argument only: no globals, no cached
 *    second normal, no thread-unsafe libm calls (lgamma writes the global
 *    signgam, so Poisson uses its own log-gamma);
 *  - every function terminates for every input: rejection loops have an
 *    acceptance probability bounded away from 0 for all valid parameters,
 *    and parameters outside the documented domain (NaN, infinities,
 *    non-positive shapes/rates, ...) return a defined value without
 *    consuming draws, as listed in base/dist.h; no function returns NaN.
 */
#include "base/dist.h"

#include <math.h>

/* Poisson means at and above this use PTRS; below, inversion. */
#define POISSON_PTRS_MIN 10.0
/* Means at or above 2^40 saturate at UINT32_MAX without drawing (the
 * mean exceeds UINT32_MAX by ~2^40, about 10^6 standard deviations). */
#define POISSON_SATURATE 0x1.0p40
/* Inversion stops here at the latest (pmf < 1e-150 for mean < 10). */
#define POISSON_INV_KMAX 200u

/* lo + (hi - lo) * t for finite lo <= hi, t in [0, 1], without overflow
 * when hi - lo exceeds DBL_MAX. */
static double lerp(double lo, double hi, double t) {
  double width = hi - lo;
  if (isfinite(width)) return lo + width * t;
  return 2.0 * (0.5 * lo + (0.5 * hi - 0.5 * lo) * t);
}

static int finite_range(double lo, double hi) {
  return isfinite(lo) && isfinite(hi) && lo <= hi;
}

double dist_uniform(rng_t *r, double lo, double hi) {
  if (!finite_range(lo, hi)) return 0.0;
  double x = lerp(lo, hi, rng_double(r));
  /* Rounding can land exactly on hi; keep the interval half-open. */
  if (x >= hi) return lo < hi ? nextafter(hi, lo) : lo;
  return x;
}

/* Standard normal by Marsaglia's polar method; the second variate of the
 * pair is discarded so that no state is kept outside rng_t. */
static double std_normal(rng_t *r) {
  double u, v, s;
  do {
    u = 2.0 * rng_double(r) - 1.0;
    v = 2.0 * rng_double(r) - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  return u * sqrt(-2.0 * log(s) / s);
}

static int normal_ok(double mu, double sigma) {
  return isfinite(mu) && isfinite(sigma) && sigma >= 0.0;
}

double dist_normal(rng_t *r, double mu, double sigma) {
  if (!normal_ok(mu, sigma)) return 0.0;
  return mu + sigma * std_normal(r);
}

double dist_lognormal(rng_t *r, double mu, double sigma) {
  if (!normal_ok(mu, sigma)) return 0.0;
  return exp(mu + sigma * std_normal(r));
}

double dist_exponential(rng_t *r, double rate) {
  if (!(rate > 0.0 && isfinite(rate))) return 0.0;
  return -log(rng_double_open(r)) / rate;
}

/* Marsaglia & Tsang (2000) for shape >= 1, unit scale. */
static double gamma_mt(rng_t *r, double shape) {
  double d = shape - 1.0 / 3.0;
  double c = 1.0 / sqrt(9.0 * d);
  for (;;) {
    double x, v;
    do {
      x = std_normal(r);
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    double u = rng_double_open(r);
    double x2 = x * x;
    if (u < 1.0 - 0.0331 * x2 * x2) return d * v;
    if (log(u) < 0.5 * x2 + d * (1.0 - v + log(v))) return d * v;
  }
}

/* Unit-scale gamma; shape < 1 uses the boost G(a) = G(a + 1) * U^(1/a)
 * (G(a + 1) drawn first, then U). May underflow to 0 for tiny shapes. */
static double std_gamma(rng_t *r, double shape) {
  if (shape >= 1.0) return gamma_mt(r, shape);
  double g = gamma_mt(r, shape + 1.0);
  return g * pow(rng_double_open(r), 1.0 / shape);
}

static int positive_finite(double x) {
  return x > 0.0 && isfinite(x);
}

double dist_gamma(rng_t *r, double shape, double scale) {
  if (!positive_finite(shape) || !positive_finite(scale)) return 0.0;
  return std_gamma(r, shape) * scale;
}

/* X / (X + Y) without overflow; both 0 (tiny shapes underflowed) is the
 * a, b -> 0 limit: 1 with probability a / (a + b), else 0. */
static double beta_ratio(rng_t *r, double x, double y, double a, double b) {
  if (x == 0.0 && y == 0.0) return rng_double(r) * (a + b) < a ? 1.0 : 0.0;
  if (x >= y) return 1.0 / (1.0 + y / x);
  double q = x / y;
  return q / (1.0 + q);
}

double dist_beta(rng_t *r, double a, double b) {
  if (!positive_finite(a) || !positive_finite(b)) return 0.0;
  double x = std_gamma(r, a);
  double y = std_gamma(r, b);
  return beta_ratio(r, x, y, a, b);
}

double dist_beta_range(rng_t *r, double a, double b, double lo, double hi) {
  if (!finite_range(lo, hi)) return 0.0;
  if (!positive_finite(a) || !positive_finite(b)) return lo;
  return lerp(lo, hi, dist_beta(r, a, b));
}

/* Poisson by sequential-search inversion (mean < 10). */
static uint32_t poisson_inversion(rng_t *r, double mean) {
  double u = rng_double(r);
  double p = exp(-mean);
  double cdf = p;
  uint32_t k = 0;
  while (u > cdf && k < POISSON_INV_KMAX) {
    k++;
    p *= mean / k;
    cdf += p;
  }
  return k;
}

/* log(Gamma(x)) for x >= 1 by the Stirling series after shifting x >= 7
 * (coefficients B_2k / (2k (2k - 1))); reentrant, unlike lgamma. */
static double log_gamma(double x) {
  static const double coef[10] = {
      8.333333333333333e-02, -2.777777777777778e-03, 7.936507936507937e-04, -5.952380952380952e-04,
      8.417508417508418e-04, -1.917526917526918e-03, 6.410256410256410e-03, -2.955065359477124e-02,
      1.796443723688307e-01, -1.392432216905900e+00};
  double shift = 0.0;
  while (x < 7.0) {
    shift += log(x);
    x += 1.0;
  }
  double x2 = 1.0 / (x * x);
  double series = coef[9];
  for (int i = 8; i >= 0; i--) series = series * x2 + coef[i];
  return series / x + 0.918938533204672742 + (x - 0.5) * log(x) - x - shift;
}

/* PTRS constants of Hormann (1993), Table/Algorithm PTRS. */
typedef struct ptrs_t {
  double mean, log_mean, a, b, inv_alpha, v_r;
} ptrs_t;

static ptrs_t ptrs_setup(double mean) {
  ptrs_t p;
  double smu = sqrt(mean);
  p.mean = mean;
  p.log_mean = log(mean);
  p.b = 0.931 + 2.53 * smu;
  p.a = -0.059 + 0.02483 * p.b;
  p.inv_alpha = 1.1239 + 1.1328 / (p.b - 3.4);
  p.v_r = 0.9277 - 3.6224 / (p.b - 2.0);
  return p;
}

/* Hormann (1993), "The transformed rejection method for generating Poisson
 * random variables", algorithm PTRS (mean >= 10). Draw order per try: U then
 * V, each one rng_double. */
static double poisson_ptrs(rng_t *r, double mean) {
  ptrs_t p = ptrs_setup(mean);
  for (;;) {
    double u = rng_double(r) - 0.5;
    double v = rng_double(r);
    double us = 0.5 - fabs(u);
    double k = floor((2.0 * p.a / us + p.b) * u + p.mean + 0.43);
    if (us >= 0.07 && v <= p.v_r) return k;
    if (k < 0.0 || (us < 0.013 && v > us)) continue;
    double lhs = log(v) + log(p.inv_alpha) - log(p.a / (us * us) + p.b);
    if (lhs <= -p.mean + k * p.log_mean - log_gamma(k + 1.0)) return k;
  }
}

uint32_t dist_poisson(rng_t *r, double mean) {
  if (!(mean > 0.0)) return 0u; /* 0, negative, NaN */
  if (mean >= POISSON_SATURATE) return UINT32_MAX;
  if (mean < POISSON_PTRS_MIN) return poisson_inversion(r, mean);
  double k = poisson_ptrs(r, mean);
  return k >= (double)UINT32_MAX ? UINT32_MAX : (uint32_t)k;
}

int dist_bernoulli(rng_t *r, double p) {
  return rng_double(r) < p;
}

/* Sum of the usable weights (> 0; negative and NaN weights count as 0). */
static double weight_sum(const double *w, size_t n) {
  double sum = 0.0;
  for (size_t i = 0; i < n; i++)
    if (w[i] > 0.0) sum += w[i];
  return sum;
}

size_t dist_categorical(rng_t *r, const double *w, size_t n) {
  double sum = weight_sum(w, n);
  if (!(sum > 0.0 && isfinite(sum))) return n;
  double target = rng_double(r) * sum;
  double acc = 0.0;
  size_t last = n;
  for (size_t i = 0; i < n; i++) {
    if (!(w[i] > 0.0)) continue;
    acc += w[i];
    last = i;
    if (target < acc) return i;
  }
  return last; /* target rounded up to sum: the last usable index */
}
