/* sweep_stats: the small statistics a sweep summary needs: mean and sample
 * standard deviation over the finite values of a vector, type-7 quantiles
 * (numpy's default linear interpolation), the standard normal and Student t
 * quantile functions, and the replicate count that brings a confidence
 * interval of the mean down to a target width.
 *
 * Invariants: every function is pure (no state, no allocation except the
 * quantile's scratch copy, which the caller provides); non-finite inputs are
 * skipped (a failed run's NaN metric never poisons a summary); a statistic
 * that is undefined for the data (sd of one value, quantile of none) is NaN.
 *
 * Included by: drivers/ and its tests.
 */
#ifndef NQP_SWEEP_STATS_H
#define NQP_SWEEP_STATS_H

#include <stddef.h>

/* Number of finite values of X[0..N). */
size_t stat_count(const double *x, size_t n);
/* Mean of the finite values (NaN if none). */
double stat_mean(const double *x, size_t n);
/* Sample standard deviation (divisor n-1) of the finite values (NaN if
 * fewer than two). */
double stat_sd(const double *x, size_t n);
/* Type-7 quantile P in [0, 1] of the finite values of X; SCRATCH holds N
 * doubles (the sorted copy). NaN if there is no finite value. */
double stat_quantile(const double *x, size_t n, double p, double *scratch);
/* Standard normal quantile Phi^-1(P), P in (0, 1); -inf/+inf at 0/1, NaN
 * outside. Accurate to a few ulps (Acklam's rational start, one Halley
 * step on erfc). */
double stat_norm_ppf(double p);
/* Standard normal CDF. */
double stat_norm_cdf(double x);
/* Student t CDF with DF > 0 degrees of freedom. */
double stat_t_cdf(double t, double df);
/* Student t quantile, P in (0, 1), DF > 0 (relative accuracy ~1e-12). */
double stat_t_ppf(double p, double df);
/* Smallest replicate count n >= 2 whose CONF two-sided t interval of the
 * mean, t(n-1) * SD / sqrt(n), is no wider than HALF_WIDTH (absolute), or 0
 * when SD or HALF_WIDTH is not a positive finite number; capped at 1e9. */
double stat_replicates_needed(double sd, double half_width, double conf);

#endif
