/* sensitivity: sampling designs in the unit hypercube and global
 * sensitivity estimators, independent of nqpsim's model (they serve the
 * sweep driver and `nqpsim sensitivity` for external models alike).
 *
 * Designs (row-major matrices, one row per model evaluation, one column per
 * factor, values in [0, 1]):
 *  - Sobol' low-discrepancy sequence (Joe & Kuo 2008 direction numbers,
 *    new-joe-kuo-6.21201, first SENS_SOBOL_MAXDIM dimensions, Gray-code
 *    order as in Bratley & Fox / scipy: point i of the unscrambled sequence);
 *  - Saltelli (2010) cross matrices built from a 2D-dimensional Sobol'
 *    sequence, in SALib's row layout: for each base sample j the rows
 *    A_j, AB_j^1..AB_j^D, [BA_j^1..BA_j^D when second order], B_j;
 *  - Latin hypercube: one point per stratum 1/N of every column;
 *  - Morris (1991) trajectories of D+1 points on a LEVELS grid, step
 *    delta = LEVELS / (2 (LEVELS - 1)), one factor moved per step.
 *
 * Estimators:
 *  - Sobol' first-order S1 (Saltelli et al. 2010, eq. (b) of table 2),
 *    total ST (Jansen 1999), second-order S2 (Saltelli 2002), on outputs
 *    standardised by their overall mean and sd as SALib does; confidence
 *    half-widths z(conf) x bootstrap sd over resampled base samples;
 *  - Morris elementary effects per unit of the factor's [0, 1] coordinate:
 *    mu, mu* (mean |EE|, Campolongo 2007), sigma (sd, n-1), and a bootstrap
 *    half-width for mu*.
 *
 * Invariants: everything is a deterministic function of its arguments (the
 * random designs and bootstraps take an explicit seed; no global state), so
 * a sweep's analysis is identical for any thread or rank count. An index
 * that is undefined (zero output variance, NaN outputs) is NaN.
 *
 * Included by: any file at or above drivers/ (layers.txt).
 */
#ifndef NQP_SENSITIVITY_H
#define NQP_SENSITIVITY_H

#include <stddef.h>
#include <stdint.h>

#define SENS_SOBOL_MAXDIM 128

/* ---- Sobol' sequence ---------------------------------------------------- */

typedef struct sens_sobol sens_sobol;

/* A generator of DIM dimensions (1..SENS_SOBOL_MAXDIM); NULL otherwise or
 * when out of memory. */
sens_sobol *sens_sobol_new(unsigned dim);
void sens_sobol_free(sens_sobol **s);
/* Point INDEX (0-based; index 0 is the origin) into OUT[0..dim). */
void sens_sobol_point(const sens_sobol *s, uint64_t index, double *out);

/* ---- designs ------------------------------------------------------------ */

/* Rows of a Saltelli design: N (D + 2), or N (2 D + 2) with second order;
 * 0 on overflow. */
size_t sens_saltelli_rows(size_t n, size_t d, int second_order);
/* Saltelli design from Sobol' points 0..N-1 of dimension 2D into OUT
 * (sens_saltelli_rows x D). Returns 0, or -1 when 2D > SENS_SOBOL_MAXDIM
 * or out of memory. */
int sens_saltelli_sample(size_t n, size_t d, int second_order, double *out);
/* Latin hypercube of N points in D dimensions into OUT (N x D). */
void sens_lhs_sample(size_t n, size_t d, uint64_t seed, double *out);
/* R Morris trajectories into OUT (R (D + 1) x D). LEVELS must be even and
 * >= 2. Returns 0 or -1. */
int sens_morris_sample(size_t r, size_t d, int levels, uint64_t seed, double *out);

/* ---- estimators --------------------------------------------------------- */

/* Output arrays (caller-owned): S1, S1_conf, ST, ST_conf have D values;
 * S2 and S2_conf D x D (entry [i*D + k] for i < k, NaN elsewhere), only
 * written when the design has second order and they are not NULL. */
typedef struct sens_sobol_out {
  double *S1, *S1_conf, *ST, *ST_conf, *S2, *S2_conf;
} sens_sobol_out;

/* Y holds sens_saltelli_rows(N, D, SECOND_ORDER) outputs in design order.
 * NBOOT bootstrap resamples (0: no confidence, conf = NaN), CONF the
 * confidence level (e.g. 0.95). Returns 0, or -1 out of memory. */
int sens_sobol_analyze(const double *y, size_t n, size_t d, int second_order, int nboot,
                       double conf, uint64_t seed, sens_sobol_out *out);

typedef struct sens_morris_out {
  double *mu, *mu_star, *sigma, *mu_star_conf; /* D values each */
} sens_morris_out;

/* UNIT: the R (D + 1) x D design in [0, 1] coordinates, Y its outputs.
 * Returns 0, or -1 with a message in ERR when a step of a trajectory does
 * not move exactly one factor, or out of memory. */
int sens_morris_analyze(const double *unit, const double *y, size_t r, size_t d, int nboot,
                        double conf, uint64_t seed, sens_morris_out *out, char *err, size_t errlen);

#endif
