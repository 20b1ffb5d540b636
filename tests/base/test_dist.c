/* test_dist: statistical and edge-case tests of base/dist.c.
 *
 * Every test uses a fixed seed, so the outcome is deterministic: a pass
 * today is a pass forever for the same code. The tolerances are still
 * chosen as if the seed were random, so that a correct implementation
 * would fail with tiny probability and a wrong one fails clearly:
 *  - sample mean and variance of n = 200000 draws must be within 5 standard
 *    errors of the exact values (two-sided normal tail 5.7e-7 each). The
 *    standard error of the mean is sqrt(var / n); that of the sample
 *    variance is var * sqrt((2 + excess kurtosis) / n) (delta method,
 *    Var(s^2) ~ (mu4 - var^2) / n), using the exact kurtosis;
 *  - continuous distributions: one-sample Kolmogorov-Smirnov statistic
 *    against the exact CDF below 1.95 / sqrt(n) (asymptotic alpha = 0.001);
 *  - discrete ones: Pearson chi-square against the pmf, cells merged until
 *    each expects >= 5, critical value at alpha = 0.001 (Wilson-Hilferty).
 * The exact CDFs (regularized incomplete gamma and beta) are implemented
 * here, Numerical Recipes style, independently of the code under test.
 */
#include <criterion/criterion.h>

#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "base/dist.h"

#define NDRAW   200000
#define KS_COEF 1.95     /* KS critical value sqrt(n) * D at alpha = 0.001 */
#define Z_001   3.090232 /* upper 0.001 quantile of N(0, 1) */
#define SE_MAX  5.0      /* allowed deviation in standard errors */

/* ---- helpers: sampling, moments, KS, chi-square ------------------------ */

typedef double (*sampler_fn)(rng_t *r, const double *p);
typedef double (*cdf_fn)(double x, const double *p);

static double *draw_n(sampler_fn f, const double *p, uint64_t seed, size_t n) {
  double *x = malloc(n * sizeof *x);
  cr_assert_not_null(x);
  rng_t r;
  rng_seed(&r, seed, 0x5eedu);
  for (size_t i = 0; i < n; i++) x[i] = f(&r, p);
  return x;
}

static void check_moments(const double *x, size_t n, double mean, double var, double exkurt) {
  double m = 0.0, s2 = 0.0;
  for (size_t i = 0; i < n; i++) m += x[i];
  m /= (double)n;
  for (size_t i = 0; i < n; i++) s2 += (x[i] - m) * (x[i] - m);
  s2 /= (double)(n - 1);
  double se_mean = sqrt(var / (double)n);
  double se_var = var * sqrt((2.0 + exkurt) / (double)n);
  cr_assert_leq(fabs(m - mean), SE_MAX * se_mean, "mean %g, want %g (se %g)", m, mean, se_mean);
  cr_assert_leq(fabs(s2 - var), SE_MAX * se_var, "var %g, want %g (se %g)", s2, var, se_var);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Sorts X, then checks sup |F_n - F| < KS_COEF / sqrt(n). */
static void check_ks(double *x, size_t n, cdf_fn cdf, const double *p) {
  qsort(x, n, sizeof *x, cmp_double);
  double d = 0.0;
  for (size_t i = 0; i < n; i++) {
    double f = cdf(x[i], p);
    double lo = f - (double)i / (double)n, hi = (double)(i + 1) / (double)n - f;
    d = fmax(d, fmax(lo, hi));
  }
  cr_assert_lt(d, KS_COEF / sqrt((double)n), "KS D = %g, n = %zu", d, n);
}

/* Draws, checks moments and the KS statistic, frees. */
static void check_continuous(sampler_fn f, cdf_fn cdf, const double *p, uint64_t seed, double mean,
                             double var, double exkurt) {
  double *x = draw_n(f, p, seed, NDRAW);
  for (size_t i = 0; i < NDRAW; i++) cr_assert(isfinite(x[i]), "draw %zu = %g", i, x[i]);
  check_moments(x, NDRAW, mean, var, exkurt);
  check_ks(x, NDRAW, cdf, p);
  free(x);
}

static double chi2_crit(double df) {
  double h = 2.0 / (9.0 * df);
  double t = 1.0 - h + Z_001 * sqrt(h);
  return df * t * t * t;
}

/* Pearson chi-square over cells 0..k-1 (k >= 2), merging adjacent cells
 * until each expects >= 5 (a short tail is merged into the last cell). */
static void check_chi2(const double *observed, const double *expected, size_t k) {
  double total_e = 0.0;
  for (size_t i = 0; i < k; i++) total_e += expected[i];
  double chi2 = 0.0, o = 0.0, e = 0.0, seen_e = 0.0;
  size_t cells = 0;
  for (size_t i = 0; i < k; i++) {
    o += observed[i];
    e += expected[i];
    seen_e += expected[i];
    if (e >= 5.0 && total_e - seen_e >= 5.0) {
      chi2 += (o - e) * (o - e) / e;
      cells++;
      o = e = 0.0;
    }
  }
  chi2 += (o - e) * (o - e) / e;
  cells++;
  cr_assert_geq(cells, 2);
  cr_assert_lt(chi2, chi2_crit((double)(cells - 1)), "chi2 = %g over %zu cells", chi2, cells);
}

/* ---- exact CDFs ---------------------------------------------------------- */

static double normal_cdf(double x, const double *p) {
  return 0.5 * erfc(-(x - p[0]) / (p[1] * sqrt(2.0)));
}

static double lognormal_cdf(double x, const double *p) {
  return x <= 0.0 ? 0.0 : normal_cdf(log(x), p);
}

static double exponential_cdf(double x, const double *p) {
  return x <= 0.0 ? 0.0 : -expm1(-p[0] * x);
}

static double uniform_cdf(double x, const double *p) {
  return fmin(1.0, fmax(0.0, (x - p[0]) / (p[1] - p[0])));
}

/* Regularized lower incomplete gamma P(a, x): series for x < a + 1, else
 * Lentz continued fraction for Q (Numerical Recipes 6.2). */
static double gamma_p_series(double a, double x) {
  double term = 1.0 / a, sum = term;
  for (int n = 1; n < 10000 && fabs(term) > fabs(sum) * 1e-16; n++) {
    term *= x / (a + n);
    sum += term;
  }
  return sum * exp(-x + a * log(x) - lgamma(a));
}

static double gamma_q_cf(double a, double x) {
  const double tiny = 1e-300;
  double b = x + 1.0 - a, c = 1.0 / tiny, d = 1.0 / b, h = d;
  for (int i = 1; i < 10000; i++) {
    double an = -i * (i - a);
    b += 2.0;
    d = an * d + b;
    d = fabs(d) < tiny ? tiny : d;
    c = b + an / c;
    c = fabs(c) < tiny ? tiny : c;
    d = 1.0 / d;
    double del = d * c;
    h *= del;
    if (fabs(del - 1.0) < 1e-16) break;
  }
  return exp(-x + a * log(x) - lgamma(a)) * h;
}

static double gamma_p(double a, double x) {
  if (x <= 0.0) return 0.0;
  return x < a + 1.0 ? gamma_p_series(a, x) : 1.0 - gamma_q_cf(a, x);
}

static double gamma_cdf(double x, const double *p) {
  return gamma_p(p[0], x / p[1]);
}

/* Continued fraction of the incomplete beta (Numerical Recipes 6.4). */
static double beta_cf(double a, double b, double x) {
  const double tiny = 1e-300;
  double qab = a + b, qap = a + 1.0, qam = a - 1.0;
  double c = 1.0, d = 1.0 - qab * x / qap;
  d = 1.0 / (fabs(d) < tiny ? tiny : d);
  double h = d;
  for (int m = 1; m < 10000; m++) {
    int m2 = 2 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1.0 + aa * d;
    d = 1.0 / (fabs(d) < tiny ? tiny : d);
    c = 1.0 + aa / c;
    c = fabs(c) < tiny ? tiny : c;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1.0 + aa * d;
    d = 1.0 / (fabs(d) < tiny ? tiny : d);
    c = 1.0 + aa / c;
    c = fabs(c) < tiny ? tiny : c;
    double del = d * c;
    h *= del;
    if (fabs(del - 1.0) < 1e-16) break;
  }
  return h;
}

/* Regularized incomplete beta I_x(a, b). */
static double beta_i(double a, double b, double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  double lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
  if (x < (a + 1.0) / (a + b + 2.0)) return exp(lbt) * beta_cf(a, b, x) / a;
  return 1.0 - exp(lbt) * beta_cf(b, a, 1.0 - x) / b;
}

/* p = {a, b, lo, hi}; plain beta uses lo = 0, hi = 1. */
static double beta_cdf(double x, const double *p) {
  return beta_i(p[0], p[1], (x - p[2]) / (p[3] - p[2]));
}

/* ---- samplers with parameter arrays ------------------------------------- */

static double s_normal(rng_t *r, const double *p) {
  return dist_normal(r, p[0], p[1]);
}
static double s_lognormal(rng_t *r, const double *p) {
  return dist_lognormal(r, p[0], p[1]);
}
static double s_exponential(rng_t *r, const double *p) {
  return dist_exponential(r, p[0]);
}
static double s_gamma(rng_t *r, const double *p) {
  return dist_gamma(r, p[0], p[1]);
}
static double s_beta(rng_t *r, const double *p) {
  return dist_beta(r, p[0], p[1]);
}
static double s_beta_range(rng_t *r, const double *p) {
  return dist_beta_range(r, p[0], p[1], p[2], p[3]);
}
static double s_uniform(rng_t *r, const double *p) {
  return dist_uniform(r, p[0], p[1]);
}
static double s_poisson(rng_t *r, const double *p) {
  return (double)dist_poisson(r, p[0]);
}
static double s_bernoulli(rng_t *r, const double *p) {
  return (double)dist_bernoulli(r, p[0]);
}

/* ---- continuous distributions ------------------------------------------ */

Test(dist, normal_moments_and_ks) {
  const double p[2] = {1.5, 2.0};
  check_continuous(s_normal, normal_cdf, p, 101u, 1.5, 4.0, 0.0);
}

Test(dist, lognormal_moments_and_ks) {
  const double p[2] = {0.2, 0.5};
  double s2 = p[1] * p[1];
  double mean = exp(p[0] + s2 / 2.0), var = expm1(s2) * exp(2.0 * p[0] + s2);
  double exkurt = exp(4.0 * s2) + 2.0 * exp(3.0 * s2) + 3.0 * exp(2.0 * s2) - 6.0;
  check_continuous(s_lognormal, lognormal_cdf, p, 102u, mean, var, exkurt);
}

Test(dist, exponential_moments_and_ks) {
  const double p[1] = {0.7};
  check_continuous(s_exponential, exponential_cdf, p, 103u, 1.0 / 0.7, 1.0 / 0.49, 6.0);
}

Test(dist, uniform_moments_and_ks) {
  const double p[2] = {-3.0, 5.0};
  check_continuous(s_uniform, uniform_cdf, p, 104u, 1.0, 64.0 / 12.0, -1.2);
}

static void check_gamma(double shape, double scale, uint64_t seed) {
  const double p[2] = {shape, scale};
  check_continuous(s_gamma, gamma_cdf, p, seed, shape * scale, shape * scale * scale, 6.0 / shape);
}

/* shape < 1 exercises the U^(1/a) boost; shape 1 the boundary. */
Test(dist, gamma_moments_and_ks) {
  check_gamma(0.3, 2.0, 105u);
  check_gamma(1.0, 1.0, 106u);
  check_gamma(2.5, 1.5, 107u);
  check_gamma(9.0, 0.5, 108u);
}

static double beta_exkurt(double a, double b) {
  double s = a + b;
  return 6.0 * ((a - b) * (a - b) * (s + 1.0) - a * b * (s + 2.0)) /
         (a * b * (s + 2.0) * (s + 3.0));
}

static void check_beta(double a, double b, double lo, double hi, uint64_t seed) {
  const double p[4] = {a, b, lo, hi};
  double s = a + b, w = hi - lo;
  double mean = lo + w * a / s, var = w * w * a * b / (s * s * (s + 1.0));
  sampler_fn f = (lo == 0.0 && hi == 1.0) ? s_beta : s_beta_range;
  check_continuous(f, beta_cdf, p, seed, mean, var, beta_exkurt(a, b));
}

Test(dist, beta_moments_and_ks) {
  check_beta(2.0, 5.0, 0.0, 1.0, 109u);
  check_beta(0.5, 0.5, 0.0, 1.0, 110u);
  check_beta(5.0, 1.0, 0.0, 1.0, 111u);
}

Test(dist, beta_range_moments_and_ks) {
  check_beta(2.0, 3.0, -1.0, 4.0, 112u);
}

Test(dist, beta_range_stays_in_range) {
  rng_t r;
  rng_seed(&r, 113u, 1u);
  for (int i = 0; i < 10000; i++) {
    double x = dist_beta_range(&r, 0.2, 0.2, 10.0, 12.0);
    cr_assert(x >= 10.0 && x <= 12.0, "x = %g", x);
  }
}

Test(dist, uniform_half_open) {
  rng_t r;
  rng_seed(&r, 114u, 1u);
  for (int i = 0; i < 100000; i++) {
    double x = dist_uniform(&r, 1.0, 1.0 + 1e-15);
    cr_assert(x >= 1.0 && x < 1.0 + 1e-15);
  }
}

/* ---- discrete distributions --------------------------------------------- */

static void check_poisson_moments(double mean, uint64_t seed) {
  const double p[1] = {mean};
  double *x = draw_n(s_poisson, p, seed, NDRAW);
  check_moments(x, NDRAW, mean, mean, 1.0 / mean);
  free(x);
}

Test(dist, poisson_moments) {
  check_poisson_moments(3.5, 201u);  /* inversion */
  check_poisson_moments(9.99, 202u); /* inversion, near the switch */
  check_poisson_moments(10.0, 203u); /* PTRS, at the switch */
  check_poisson_moments(50.0, 204u); /* PTRS */
  check_poisson_moments(1000.0, 205u);
}

static double poisson_pmf(double mean, size_t k) {
  return exp((double)k * log(mean) - mean - lgamma((double)k + 1.0));
}

/* Chi-square on the pmf; cell K collects k >= K (upper-tail mass). */
static void check_poisson_gof(double mean, uint64_t seed) {
  size_t kmax = (size_t)(mean + 12.0 * sqrt(mean) + 20.0);
  double *obs = calloc(kmax + 1, sizeof *obs), *exp_ = calloc(kmax + 1, sizeof *exp_);
  cr_assert(obs && exp_);
  rng_t r;
  rng_seed(&r, seed, 3u);
  for (size_t i = 0; i < NDRAW; i++) {
    uint32_t k = dist_poisson(&r, mean);
    obs[k < kmax ? k : kmax] += 1.0;
  }
  double cdf = 0.0;
  for (size_t k = 0; k < kmax; k++) {
    exp_[k] = NDRAW * poisson_pmf(mean, k);
    cdf += poisson_pmf(mean, k);
  }
  exp_[kmax] = NDRAW * fmax(0.0, 1.0 - cdf);
  check_chi2(obs, exp_, kmax + 1);
  free(obs);
  free(exp_);
}

Test(dist, poisson_chi_square_fit) {
  check_poisson_gof(3.5, 206u);
  check_poisson_gof(50.0, 207u);
}

Test(dist, poisson_zero_mean_is_zero_without_draws) {
  rng_t r, before;
  rng_seed(&r, 208u, 1u);
  before = r;
  for (int i = 0; i < 100; i++) cr_assert_eq(dist_poisson(&r, 0.0), 0u);
  cr_assert_eq(r.state, before.state);
}

Test(dist, bernoulli_frequency) {
  const double p[1] = {0.3};
  double *x = draw_n(s_bernoulli, p, 209u, NDRAW);
  double pq = 0.3 * 0.7;
  check_moments(x, NDRAW, 0.3, pq, (1.0 - 6.0 * pq) / pq);
  free(x);
}

Test(dist, bernoulli_certain_outcomes) {
  rng_t r;
  rng_seed(&r, 210u, 1u);
  for (int i = 0; i < 10000; i++) {
    cr_assert_eq(dist_bernoulli(&r, 0.0), 0);
    cr_assert_eq(dist_bernoulli(&r, 1.0), 1);
    cr_assert_eq(dist_bernoulli(&r, -2.0), 0);
    cr_assert_eq(dist_bernoulli(&r, NAN), 0);
  }
}

Test(dist, categorical_frequencies) {
  const double w[5] = {1.0, 2.0, 3.0, 0.0, 4.0};
  double obs[5] = {0}, expected[4];
  rng_t r;
  rng_seed(&r, 211u, 1u);
  for (int i = 0; i < NDRAW; i++) {
    size_t k = dist_categorical(&r, w, 5);
    cr_assert_lt(k, 5u);
    obs[k] += 1.0;
  }
  cr_assert_eq(obs[3], 0.0, "zero weight never drawn");
  const double used[4] = {obs[0], obs[1], obs[2], obs[4]};
  for (int i = 0; i < 4; i++) expected[i] = NDRAW * (i == 3 ? 4.0 : i + 1.0) / 10.0;
  check_chi2(used, expected, 4);
}

Test(dist, categorical_degenerate_weights) {
  const double zeros[3] = {0.0, 0.0, 0.0};
  const double odd[4] = {-1.0, NAN, 0.0, 2.5};
  const double inf[2] = {1.0, INFINITY};
  rng_t r;
  rng_seed(&r, 212u, 1u);
  cr_assert_eq(dist_categorical(&r, zeros, 3), 3u);
  cr_assert_eq(dist_categorical(&r, zeros, 0), 0u);
  cr_assert_eq(dist_categorical(&r, inf, 2), 2u);
  for (int i = 0; i < 1000; i++) cr_assert_eq(dist_categorical(&r, odd, 4), 3u);
}

/* ---- edge inputs: terminate, never NaN ---------------------------------- */

Test(dist, gamma_beta_extreme_shapes_terminate) {
  static const double shapes[] = {1e-300, 1e-10, 1e-3, 0.999999, 1.0, 1.0 + 1e-12, 1e6, 1e300};
  rng_t r;
  rng_seed(&r, 301u, 1u);
  for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
    for (int j = 0; j < 200; j++) {
      double g = dist_gamma(&r, shapes[i], 1.0);
      cr_assert(g >= 0.0 && !isnan(g), "gamma(%g) = %g", shapes[i], g);
      for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        double b = dist_beta(&r, shapes[i], shapes[k]);
        cr_assert(b >= 0.0 && b <= 1.0, "beta(%g, %g) = %g", shapes[i], shapes[k], b);
      }
    }
  }
}

Test(dist, invalid_parameters_return_defined_values) {
  rng_t r, before;
  rng_seed(&r, 302u, 1u);
  before = r;
  cr_assert_eq(dist_gamma(&r, 0.0, 1.0), 0.0);
  cr_assert_eq(dist_gamma(&r, -1.0, 1.0), 0.0);
  cr_assert_eq(dist_gamma(&r, NAN, 1.0), 0.0);
  cr_assert_eq(dist_gamma(&r, 2.0, 0.0), 0.0);
  cr_assert_eq(dist_gamma(&r, INFINITY, 1.0), 0.0);
  cr_assert_eq(dist_beta(&r, 0.0, 1.0), 0.0);
  cr_assert_eq(dist_beta(&r, 1.0, NAN), 0.0);
  cr_assert_eq(dist_beta_range(&r, -1.0, 1.0, 2.0, 3.0), 2.0);
  cr_assert_eq(dist_beta_range(&r, 1.0, 1.0, 3.0, 2.0), 0.0);
  cr_assert_eq(dist_normal(&r, 0.0, -1.0), 0.0);
  cr_assert_eq(dist_normal(&r, NAN, 1.0), 0.0);
  cr_assert_eq(dist_lognormal(&r, 0.0, INFINITY), 0.0);
  cr_assert_eq(dist_exponential(&r, 0.0), 0.0);
  cr_assert_eq(dist_exponential(&r, -2.0), 0.0);
  cr_assert_eq(dist_exponential(&r, NAN), 0.0);
  cr_assert_eq(dist_uniform(&r, 2.0, 1.0), 0.0);
  cr_assert_eq(dist_uniform(&r, 0.0, INFINITY), 0.0);
  cr_assert_eq(dist_poisson(&r, -1.0), 0u);
  cr_assert_eq(dist_poisson(&r, NAN), 0u);
  cr_assert_eq(dist_poisson(&r, INFINITY), UINT32_MAX);
  cr_assert_eq(r.state, before.state, "invalid parameters consume no draws");
}

Test(dist, degenerate_but_valid_parameters) {
  rng_t r;
  rng_seed(&r, 303u, 1u);
  cr_assert_eq(dist_normal(&r, 2.5, 0.0), 2.5);
  cr_assert_eq(dist_lognormal(&r, 0.0, 0.0), 1.0);
  cr_assert_eq(dist_uniform(&r, 4.0, 4.0), 4.0);
  for (int i = 0; i < 1000; i++) {
    double x = dist_uniform(&r, -DBL_MAX, DBL_MAX);
    cr_assert(isfinite(x) && x < DBL_MAX);
    double e = dist_exponential(&r, 1e300);
    cr_assert(e >= 0.0 && isfinite(e));
  }
}

Test(dist, poisson_huge_means_saturate_and_terminate) {
  rng_t r;
  rng_seed(&r, 304u, 1u);
  for (int i = 0; i < 100; i++) {
    cr_assert_eq(dist_poisson(&r, 1e12), UINT32_MAX); /* PTRS, result saturates */
    cr_assert_eq(dist_poisson(&r, 1e15), UINT32_MAX); /* above 2^40: no draws */
    uint32_t k = dist_poisson(&r, 1e9);
    cr_assert(k > 999000000u && k < 1001000000u, "k = %u", k); /* 1e9 +- 31 sd */
    cr_assert_lt(dist_poisson(&r, 1e-300), 2u);
  }
}
