/* sensitivity: Saltelli, Latin hypercube and Morris designs, Sobol' and
 * Morris estimators with bootstrap confidence (contract in
 * drivers/sensitivity.h; the Sobol' sequence is in sensitivity_seq.c).
 *
 * Invariants:
 *  - random choices (LHS strata, Morris starts, signs and orders, bootstrap
 *    resamples) come from one PCG32 stream per call seeded from the
 *    caller's seed, consumed in a fixed order: same seed, same answer;
 *  - estimators read Y only through the layout helpers below (block j of
 *    the Saltelli design, step s of trajectory t), which is SALib's layout;
 *  - sums run in index order (no parallel reductions): bit-reproducible.
 */
#include "drivers/sensitivity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "drivers/sweep_stats.h"

static void sens_rng(rng_t *r, uint64_t seed, uint64_t purpose) {
  rng_seed(r, rng_mix64(seed ^ rng_mix64(purpose)), rng_mix64(purpose * 0x9e3779b97f4a7c15ull));
}

enum { SENS_PURPOSE_LHS = 1, SENS_PURPOSE_MORRIS = 2, SENS_PURPOSE_BOOT = 3 };

/* ---- designs ------------------------------------------------------------ */

size_t sens_saltelli_rows(size_t n, size_t d, int second_order) {
  size_t per = second_order ? 2 * d + 2 : d + 2;
  if (d > SIZE_MAX / 4 || (n && per > SIZE_MAX / n)) return 0;
  return n * per;
}

/* Rows of block J: A, AB^1..AB^D, [BA^1..BA^D], B from base point X (2D). */
static void saltelli_block(const double *x, size_t d, int second_order, double *out) {
  const double *a = x, *b = x + d;
  size_t row = 0;
  memcpy(out + d * row++, a, d * sizeof *a);
  for (size_t i = 0; i < d; i++, row++) {
    memcpy(out + d * row, a, d * sizeof *a);
    out[d * row + i] = b[i];
  }
  for (size_t i = 0; second_order && i < d; i++, row++) {
    memcpy(out + d * row, b, d * sizeof *b);
    out[d * row + i] = a[i];
  }
  memcpy(out + d * row, b, d * sizeof *b);
}

static int is_pow2(uint64_t x) {
  return x && !(x & (x - 1));
}

uint64_t sens_saltelli_skip(size_t n, const sens_saltelli_opts *o) {
  if (o->skip != SENS_SKIP_AUTO) return o->skip < 0 ? 0 : (uint64_t)o->skip;
  if (o->scramble) return 0;
  uint64_t p = 16; /* max(2^ceil(log2 N), 16), as SALib's saltelli.sample */
  while (p < n && p < ((uint64_t)1 << 32)) p <<= 1;
  return p;
}

const char *sens_saltelli_check(size_t n, const sens_saltelli_opts *o) {
  if (o->skip < 0 && o->skip != SENS_SKIP_AUTO) return "skip: expected 0 or more";
  uint64_t skip = sens_saltelli_skip(n, o);
  if (!o->scramble && skip == 0)
    return "skip 0 without scrambling makes the first base sample the origin (A = B: every "
           "row of the first block at the lower bounds); scramble, or skip at least 1";
  if ((uint64_t)n > ((uint64_t)1 << 32) || skip > ((uint64_t)1 << 32) - (uint64_t)n)
    return "skip + N: expected at most 2^32 Sobol' points";
  return NULL;
}

int sens_sobol_design_warning(size_t n, const sens_saltelli_opts *o, int nboot, double conf,
                              char *msg, size_t len) {
  uint64_t skip = sens_saltelli_skip(n, o);
  if (nboot > 0 && n < SENS_SOBOL_MIN_CI_N)
    snprintf(msg, len,
             "N = %zu base samples are too few for %g%% bootstrap confidence intervals of "
             "Sobol' indices (the bootstrap sd itself is then uncertain by more than 9%%, and "
             "the resamples of so few blocks are few); use N >= %d",
             n, 100 * conf, SENS_SOBOL_MIN_CI_N);
  else if (!is_pow2(n))
    snprintf(msg, len,
             "N = %zu is not a power of 2: the balance properties of Sobol' points need one "
             "(scipy warns alike)",
             n);
  else if (o->skip != SENS_SKIP_AUTO && skip && !is_pow2(skip))
    snprintf(msg, len,
             "skip %llu is not a power of 2: the points from there are not a net (SALib "
             "warns alike)",
             (unsigned long long)skip);
  else
    return 0;
  return 1;
}

int sens_saltelli_sample(size_t n, size_t d, int second_order, const sens_saltelli_opts *o,
                         double *out) {
  const sens_saltelli_opts def = SENS_SALTELLI_DEFAULT;
  if (!o) o = &def;
  if (d < 1 || 2 * d > SENS_SOBOL_MAXDIM || sens_saltelli_check(n, o)) return -1;
  uint64_t skip = sens_saltelli_skip(n, o);
  sens_sobol *s = sens_sobol_new((unsigned)(2 * d));
  double *x = malloc(2 * d * sizeof *x);
  size_t per = second_order ? 2 * d + 2 : d + 2;
  if (!s || !x) {
    sens_sobol_free(&s);
    free(x);
    return -1;
  }
  if (o->scramble) sens_sobol_scramble(s, o->seed);
  for (size_t j = 0; j < n; j++) {
    sens_sobol_point(s, skip + j, x);
    saltelli_block(x, d, second_order, out + j * per * d);
  }
  sens_sobol_free(&s);
  free(x);
  return 0;
}

/* Fisher-Yates shuffle of 0..n-1 into P. */
static void sens_permutation(rng_t *r, size_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) p[i] = i;
  for (size_t i = n; i > 1; i--) {
    size_t j = rng_bounded(r, (uint32_t)i);
    size_t t = p[i - 1];
    p[i - 1] = p[j], p[j] = t;
  }
}

void sens_lhs_sample(size_t n, size_t d, uint64_t seed, double *out) {
  rng_t r;
  size_t *p = malloc((n ? n : 1) * sizeof *p);
  sens_rng(&r, seed, SENS_PURPOSE_LHS);
  for (size_t k = 0; p && k < d; k++) {
    sens_permutation(&r, p, n);
    for (size_t i = 0; i < n; i++)
      out[i * d + k] = ((double)p[i] + rng_double_open(&r)) / (double)n;
  }
  free(p);
}

/* One trajectory: start x* on the lower half of the grid, each factor in
 * ORDER moves by +delta (from x*) or -delta (from x* + delta). */
static void morris_trajectory(rng_t *r, size_t d, int levels, size_t *order, double *out) {
  double delta = levels / (2.0 * (levels - 1));
  for (size_t k = 0; k < d; k++) {
    double start = (double)rng_bounded(r, (uint32_t)(levels / 2)) / (levels - 1);
    int up = rng_bounded(r, 2) == 1;
    out[k] = up ? start : start + delta;
  }
  sens_permutation(r, order, d);
  for (size_t s = 1; s <= d; s++) {
    memcpy(out + s * d, out + (s - 1) * d, d * sizeof *out);
    size_t k = order[s - 1];
    double x0 = out[(s - 1) * d + k];
    out[s * d + k] = x0 + delta > 1 + 1e-12 ? x0 - delta : x0 + delta;
  }
}

int sens_morris_sample(size_t r, size_t d, int levels, uint64_t seed, double *out) {
  if (levels < 2 || levels % 2 || d < 1) return -1;
  size_t *order = malloc(d * sizeof *order);
  if (!order) return -1;
  rng_t g;
  sens_rng(&g, seed, SENS_PURPOSE_MORRIS);
  for (size_t t = 0; t < r; t++) morris_trajectory(&g, d, levels, order, out + t * (d + 1) * d);
  free(order);
  return 0;
}

/* ---- Sobol' estimators -------------------------------------------------- */

typedef struct sobol_data {
  const double *y; /* standardised outputs */
  size_t n, d, per;
  int so;
} sobol_data;

static double sd_A(const sobol_data *s, size_t j) {
  return s->y[j * s->per];
}
static double sd_B(const sobol_data *s, size_t j) {
  return s->y[j * s->per + s->per - 1];
}
static double sd_AB(const sobol_data *s, size_t j, size_t i) {
  return s->y[j * s->per + 1 + i];
}
static double sd_BA(const sobol_data *s, size_t j, size_t i) {
  return s->y[j * s->per + 1 + s->d + i];
}

/* Population variance of A and B over the blocks IDX[0..n). */
static double sobol_var(const sobol_data *s, const size_t *idx) {
  double m = 0, v = 0;
  for (size_t q = 0; q < s->n; q++) m += sd_A(s, idx[q]) + sd_B(s, idx[q]);
  m /= 2.0 * (double)s->n;
  for (size_t q = 0; q < s->n; q++) {
    double a = sd_A(s, idx[q]) - m, b = sd_B(s, idx[q]) - m;
    v += a * a + b * b;
  }
  return v / (2.0 * (double)s->n);
}

static double sobol_first(const sobol_data *s, const size_t *idx, size_t i, double var) {
  double sum = 0;
  for (size_t q = 0; q < s->n; q++) {
    size_t j = idx[q];
    sum += sd_B(s, j) * (sd_AB(s, j, i) - sd_A(s, j));
  }
  return sum / (double)s->n / var;
}

static double sobol_total(const sobol_data *s, const size_t *idx, size_t i, double var) {
  double sum = 0;
  for (size_t q = 0; q < s->n; q++) {
    size_t j = idx[q];
    double e = sd_A(s, j) - sd_AB(s, j, i);
    sum += e * e;
  }
  return 0.5 * sum / (double)s->n / var;
}

static double sobol_second(const sobol_data *s, const size_t *idx, size_t i, size_t k, double var,
                           double s1i, double s1k) {
  double sum = 0;
  for (size_t q = 0; q < s->n; q++) {
    size_t j = idx[q];
    sum += sd_BA(s, j, i) * sd_AB(s, j, k) - sd_A(s, j) * sd_B(s, j);
  }
  return sum / (double)s->n / var - s1i - s1k;
}

/* All indices on blocks IDX; S2 (d x d) may be NULL. */
static void sobol_once(const sobol_data *s, const size_t *idx, double *S1, double *ST, double *S2) {
  double var = sobol_var(s, idx);
  if (!(var > 0)) var = NAN;
  for (size_t i = 0; i < s->d; i++) {
    S1[i] = sobol_first(s, idx, i, var);
    ST[i] = sobol_total(s, idx, i, var);
  }
  for (size_t i = 0; S2 && i < s->d; i++)
    for (size_t k = i + 1; k < s->d; k++)
      S2[i * s->d + k] = sobol_second(s, idx, i, k, var, S1[i], S1[k]);
}

/* Y minus its mean, over its sd (SALib's normalisation). */
static double *sobol_standardise(const double *y, size_t rows) {
  double *z = malloc((rows ? rows : 1) * sizeof *z);
  if (!z) return NULL;
  double m = 0, v = 0;
  for (size_t i = 0; i < rows; i++) m += y[i];
  m /= (double)rows;
  for (size_t i = 0; i < rows; i++) v += (y[i] - m) * (y[i] - m);
  double sd = sqrt(v / (double)rows);
  if (!(sd > 0)) sd = 1;
  for (size_t i = 0; i < rows; i++) z[i] = (y[i] - m) / sd;
  return z;
}

/* Running mean and M2 (Welford) per index, for the bootstrap sd. */
typedef struct boot_acc {
  double *mean, *m2;
  size_t n, count;
} boot_acc;

static int boot_init(boot_acc *b, size_t n) {
  b->mean = calloc(n ? n : 1, sizeof *b->mean);
  b->m2 = calloc(n ? n : 1, sizeof *b->m2);
  b->n = n, b->count = 0;
  return b->mean && b->m2 ? 0 : -1;
}

static void boot_add(boot_acc *b, const double *x) {
  b->count++;
  for (size_t i = 0; i < b->n; i++) {
    double d = x[i] - b->mean[i];
    b->mean[i] += d / (double)b->count;
    b->m2[i] += d * (x[i] - b->mean[i]);
  }
}

/* z x sd (n - 1) into OUT[i], or NaN for fewer than two resamples. */
static void boot_conf(const boot_acc *b, double z, double *out) {
  for (size_t i = 0; i < b->n; i++)
    out[i] = b->count > 1 ? z * sqrt(b->m2[i] / (double)(b->count - 1)) : NAN;
}

static void boot_free(boot_acc *b) {
  free(b->mean);
  free(b->m2);
}

static void fill_nan(double *x, size_t n) {
  for (size_t i = 0; x && i < n; i++) x[i] = NAN;
}

typedef struct sobol_work {
  size_t *idx;
  double *s1, *st, *s2; /* d, d, d*d */
  boot_acc a1, at, a2;
} sobol_work;

static void sobol_work_free(sobol_work *w) {
  free(w->idx);
  free(w->s1);
  free(w->st);
  free(w->s2);
  boot_free(&w->a1);
  boot_free(&w->at);
  boot_free(&w->a2);
}

static int sobol_work_init(sobol_work *w, size_t n, size_t d) {
  memset(w, 0, sizeof *w);
  w->idx = malloc((n ? n : 1) * sizeof *w->idx);
  w->s1 = malloc(d * sizeof *w->s1);
  w->st = malloc(d * sizeof *w->st);
  w->s2 = malloc(d * d * sizeof *w->s2);
  int ok = w->idx && w->s1 && w->st && w->s2;
  ok = ok && !boot_init(&w->a1, d) && !boot_init(&w->at, d) && !boot_init(&w->a2, d * d);
  if (ok) fill_nan(w->s2, d * d);
  return ok ? 0 : -1;
}

static void sobol_bootstrap(const sobol_data *s, sobol_work *w, int nboot, uint64_t seed) {
  rng_t r;
  sens_rng(&r, seed, SENS_PURPOSE_BOOT);
  for (int b = 0; b < nboot; b++) {
    for (size_t q = 0; q < s->n; q++) w->idx[q] = rng_bounded(&r, (uint32_t)s->n);
    sobol_once(s, w->idx, w->s1, w->st, s->so ? w->s2 : NULL);
    boot_add(&w->a1, w->s1);
    boot_add(&w->at, w->st);
    if (s->so) boot_add(&w->a2, w->s2);
  }
}

int sens_sobol_analyze(const double *y, size_t n, size_t d, int second_order, int nboot,
                       double conf, uint64_t seed, sens_sobol_out *out) {
  size_t rows = sens_saltelli_rows(n, d, second_order);
  sobol_work w;
  if (d < 1 || rows == 0) return -1;
  double *z = sobol_standardise(y, rows);
  if (!z || sobol_work_init(&w, n, d) != 0) {
    if (z) sobol_work_free(&w);
    free(z);
    return -1;
  }
  sobol_data s = {z, n, d, second_order ? 2 * d + 2 : d + 2, second_order};
  int want2 = second_order && out->S2;
  fill_nan(out->S2, want2 ? d * d : 0);
  fill_nan(out->S2_conf, want2 && out->S2_conf ? d * d : 0);
  for (size_t q = 0; q < n; q++) w.idx[q] = q;
  sobol_once(&s, w.idx, out->S1, out->ST, want2 ? out->S2 : NULL);
  double zc = stat_norm_ppf(0.5 + conf / 2);
  sobol_bootstrap(&s, &w, n > 0 ? nboot : 0, seed);
  if (out->S1_conf) boot_conf(&w.a1, zc, out->S1_conf);
  if (out->ST_conf) boot_conf(&w.at, zc, out->ST_conf);
  if (want2 && out->S2_conf) {
    boot_conf(&w.a2, zc, out->S2_conf);
    for (size_t i = 0; i < d; i++)
      for (size_t k = 0; k <= i; k++) out->S2_conf[i * d + k] = NAN;
  }
  sobol_work_free(&w);
  free(z);
  return 0;
}

/* ---- Morris ------------------------------------------------------------- */

/* The factor moved between rows A and B (D columns), or -1 unless exactly one. */
static long morris_moved(const double *a, const double *b, size_t d) {
  long k = -1;
  for (size_t i = 0; i < d; i++)
    if (a[i] != b[i]) {
      if (k >= 0) return -1;
      k = (long)i;
    }
  return k;
}

/* Elementary effects into EE (d x r, factor-major). */
static int morris_effects(const double *unit, const double *y, size_t r, size_t d, double *ee,
                          char *err, size_t errlen) {
  for (size_t i = 0; i < d * r; i++) ee[i] = NAN;
  for (size_t t = 0; t < r; t++)
    for (size_t s = 0; s < d; s++) {
      size_t a = t * (d + 1) + s;
      long k = morris_moved(unit + a * d, unit + (a + 1) * d, d);
      if (k < 0 || !isnan(ee[(size_t)k * r + t])) {
        snprintf(err, errlen,
                 "rows %zu and %zu (trajectory %zu): expected one factor to change, "
                 "each factor once per trajectory",
                 a + 1, a + 2, t + 1);
        return -1;
      }
      double du = unit[(a + 1) * d + (size_t)k] - unit[a * d + (size_t)k];
      ee[(size_t)k * r + t] = (y[a + 1] - y[a]) / du;
    }
  return 0;
}

/* Mean of X (or of |X|) over IDX (NULL: 0..n-1); NaN propagates. */
static double mean_of(const double *x, const size_t *idx, size_t n, int absolute) {
  double s = 0;
  for (size_t q = 0; q < n; q++) {
    double v = x[idx ? idx[q] : q];
    s += absolute ? fabs(v) : v;
  }
  return s / (double)n;
}

/* Sample sd (n - 1) of X; NaN for n < 2 or NaN values. */
static double sd_of(const double *x, size_t n) {
  if (n < 2) return NAN;
  double m = mean_of(x, NULL, n, 0), ss = 0;
  for (size_t q = 0; q < n; q++) ss += (x[q] - m) * (x[q] - m);
  return sqrt(ss / (double)(n - 1));
}

/* Bootstrap half-width of mu* for factor effects EE (R values). */
static double morris_conf(const double *ee, size_t r, int nboot, double z, rng_t *g, size_t *idx) {
  boot_acc acc;
  double m, out = NAN;
  if (boot_init(&acc, 1) != 0) return NAN;
  for (int b = 0; b < nboot; b++) {
    for (size_t q = 0; q < r; q++) idx[q] = rng_bounded(g, (uint32_t)r);
    m = mean_of(ee, idx, r, 1);
    boot_add(&acc, &m);
  }
  boot_conf(&acc, z, &out);
  boot_free(&acc);
  return out;
}

int sens_morris_analyze(const double *unit, const double *y, size_t r, size_t d, int nboot,
                        double conf, uint64_t seed, sens_morris_out *out, char *err,
                        size_t errlen) {
  double *ee = malloc((d * r > 0 ? d * r : 1) * sizeof *ee);
  size_t *idx = malloc((r ? r : 1) * sizeof *idx);
  int rc = -1;
  if (!ee || !idx) {
    snprintf(err, errlen, "out of memory");
    goto done;
  }
  if (morris_effects(unit, y, r, d, ee, err, errlen) != 0) goto done;
  rng_t g;
  sens_rng(&g, seed, SENS_PURPOSE_BOOT);
  double z = stat_norm_ppf(0.5 + conf / 2);
  for (size_t k = 0; k < d; k++) {
    const double *e = ee + k * r;
    out->mu[k] = mean_of(e, NULL, r, 0);
    out->mu_star[k] = mean_of(e, NULL, r, 1);
    out->sigma[k] = sd_of(e, r);
    if (out->mu_star_conf) out->mu_star_conf[k] = morris_conf(e, r, nboot, z, &g, idx);
  }
  rc = 0;
done:
  free(ee);
  free(idx);
  return rc;
}
