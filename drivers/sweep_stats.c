/* sweep_stats: summary statistics and quantile functions (drivers/sweep_stats.h).
 *
 * Invariants: pure functions; non-finite inputs are skipped; the t CDF goes
 * through the regularized incomplete beta function (Lentz's continued
 * fraction), and its quantile is found by bracketing and bisection, so it
 * is monotone and never fails to converge.
 */
#include "drivers/sweep_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

size_t stat_count(const double *x, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) k += isfinite(x[i]) != 0;
  return k;
}

double stat_mean(const double *x, size_t n) {
  double s = 0;
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (isfinite(x[i])) s += x[i], k++;
  return k ? s / (double)k : NAN;
}

double stat_sd(const double *x, size_t n) {
  size_t k = stat_count(x, n);
  if (k < 2) return NAN;
  double m = stat_mean(x, n), ss = 0;
  for (size_t i = 0; i < n; i++)
    if (isfinite(x[i])) ss += (x[i] - m) * (x[i] - m);
  return sqrt(ss / (double)(k - 1));
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

double stat_quantile(const double *x, size_t n, double p, double *scratch) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (isfinite(x[i])) scratch[k++] = x[i];
  if (k == 0 || !(p >= 0 && p <= 1)) return NAN;
  qsort(scratch, k, sizeof *scratch, cmp_double);
  double h = (double)(k - 1) * p;
  size_t lo = (size_t)floor(h);
  if (lo + 1 >= k) return scratch[k - 1];
  return scratch[lo] + (h - (double)lo) * (scratch[lo + 1] - scratch[lo]);
}

double stat_norm_cdf(double x) {
  return 0.5 * erfc(-x / sqrt(2.0));
}

/* Acklam's rational approximation (relative error < 1.2e-9). */
static double norm_ppf_start(double p) {
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                             1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  const double plow = 0.02425;
  if (p < plow || p > 1 - plow) {
    double q = sqrt(-2 * log(p < plow ? p : 1 - p));
    double x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    return p < plow ? x : -x;
  }
  double q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

double stat_norm_ppf(double p) {
  if (!(p >= 0 && p <= 1)) return NAN;
  if (p == 0) return -INFINITY;
  if (p == 1) return INFINITY;
  double x = norm_ppf_start(p);
  /* One Halley step on the CDF: the error becomes a few ulps. */
  double e = stat_norm_cdf(x) - p;
  double u = e * sqrt(2 * M_PI) * exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

/* Continued fraction of the incomplete beta function (modified Lentz). */
static double betacf(double a, double b, double x) {
  const double tiny = 1e-300, eps = 1e-15;
  double qab = a + b, qap = a + 1, qam = a - 1, c = 1, d = 1 - qab * x / qap;
  if (fabs(d) < tiny) d = tiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 10000; m++) {
    double m2 = 2.0 * m, aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d, c = 1 + aa / c;
    d = fabs(d) < tiny ? 1 / tiny : 1 / d;
    c = fabs(c) < tiny ? tiny : c;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d, c = 1 + aa / c;
    d = fabs(d) < tiny ? 1 / tiny : 1 / d;
    c = fabs(c) < tiny ? tiny : c;
    double del = d * c;
    h *= del;
    if (fabs(del - 1) < eps) break;
  }
  return h;
}

/* Regularized incomplete beta I_x(a, b). */
static double betai(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  double lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
  double bt = exp(lbt);
  if (x < (a + 1) / (a + b + 2)) return bt * betacf(a, b, x) / a;
  return 1 - bt * betacf(b, a, 1 - x) / b;
}

double stat_t_cdf(double t, double df) {
  if (isnan(t) || !(df > 0)) return NAN;
  if (isinf(t)) return t > 0 ? 1 : 0;
  double tail = 0.5 * betai(df / 2, 0.5, df / (df + t * t));
  return t >= 0 ? 1 - tail : tail;
}

double stat_t_ppf(double p, double df) {
  if (!(p > 0 && p < 1) || !(df > 0)) return p == 0 ? -INFINITY : p == 1 ? INFINITY : NAN;
  if (p == 0.5) return 0;
  if (p < 0.5) return -stat_t_ppf(1 - p, df);
  double lo = 0, hi = 1;
  while (stat_t_cdf(hi, df) < p && hi < 1e300) lo = hi, hi *= 2;
  for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
    double mid = 0.5 * (lo + hi);
    if (stat_t_cdf(mid, df) < p)
      lo = mid;
    else
      hi = mid;
  }
  return 0.5 * (lo + hi);
}

double stat_replicates_needed(double sd, double half_width, double conf) {
  if (!(sd > 0) || !isfinite(sd) || !(half_width > 0) || !isfinite(half_width)) return 0;
  double p = 0.5 + conf / 2, z = stat_norm_ppf(p);
  double n = ceil((z * sd / half_width) * (z * sd / half_width));
  if (n < 2) n = 2;
  if (n > 1e9) return 1e9;
  /* The t quantile is wider than z: step up until the interval fits. */
  while (n < 1e9 && stat_t_ppf(p, n - 1) * sd / sqrt(n) > half_width)
    n = n < 1000 ? n + 1 : ceil(n * 1.001);
  return n;
}
