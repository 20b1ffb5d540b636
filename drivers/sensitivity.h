/* sensitivity: sampling designs in the unit hypercube and global
 * sensitivity estimators, independent of nqpsim's model (they serve the
 * sweep driver and `nqpsim sensitivity` for external models alike).
 *
 * Designs (row-major matrices, one row per model evaluation, one column per
 * factor, values in [0, 1]):
 *  - Sobol' low-discrepancy sequence (Joe & Kuo 2008 direction numbers,
 *    new-joe-kuo-6.21201, first SENS_SOBOL_MAXDIM dimensions, Gray-code
 *    order as in Bratley & Fox / scipy: point i of the unscrambled sequence),
 *    optionally scrambled as scipy's Sobol(scramble=True) does (linear
 *    matrix scramble and digital shift, from a seeded PCG32 stream);
 *  - Saltelli (2010) cross matrices built from a 2D-dimensional Sobol'
 *    sequence, in SALib's row layout: for each base sample j the rows
 *    A_j, AB_j^1..AB_j^D, [BA_j^1..BA_j^D when second order], B_j; base
 *    sample j is point skip + j of the sequence (SALib's sobol.sample with
 *    scramble and skip_values);
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
/* Scramble a fresh generator in place: per dimension k, a random
 * lower-triangular binary matrix with unit diagonal applied to the direction
 * numbers and a random digital shift (scipy's LMS + shift), from the PCG32
 * stream (SEED, k). Same seed, same sequence. */
void sens_sobol_scramble(sens_sobol *s, uint64_t seed);
/* Point INDEX (0-based, < 2^32; unscrambled, index 0 is the origin) into
 * OUT[0..dim), coordinates in [0, 1). */
void sens_sobol_point(const sens_sobol *s, uint64_t index, double *out);

/* ---- designs ------------------------------------------------------------ */

/* Rows of a Saltelli design: N (D + 2), or N (2 D + 2) with second order;
 * 0 on overflow. */
size_t sens_saltelli_rows(size_t n, size_t d, int second_order);
/* How the Saltelli design draws its Sobol' points. */
#define SENS_SKIP_AUTO (-1)
typedef struct sens_saltelli_opts {
  int scramble;  /* 1 (SALib's default): scrambled with SEED; 0: plain points */
  uint64_t seed; /* scrambling seed */
  int64_t skip;  /* points skipped before base sample 0; SENS_SKIP_AUTO: 0 when
                  * scrambled (SALib's sobol.sample, skip_values = 0), else
                  * max(2^ceil(log2 N), 16) (SALib's saltelli.sample, its
                  * unscrambled predecessor), so the origin is never used */
} sens_saltelli_opts;
#define SENS_SALTELLI_DEFAULT ((sens_saltelli_opts){1, 0, SENS_SKIP_AUTO})
/* Below this many base samples bootstrap intervals of Sobol' indices are
 * unreliable (sens_sobol_design_warning). */
#define SENS_SOBOL_MIN_CI_N 64

/* The resolved skip of O for N base samples. */
uint64_t sens_saltelli_skip(size_t n, const sens_saltelli_opts *o);
/* NULL when (N, O) is a valid design, else why not (static text): an
 * unscrambled design with skip 0 (its first block is the origin, A_0 = B_0,
 * every row at the lower bounds), a negative skip, skip + N beyond 2^32. */
const char *sens_saltelli_check(size_t n, const sens_saltelli_opts *o);
/* A warning for a valid design, or 0: N not a power of 2 (scipy warns: the
 * balance properties need it), an explicit skip not a power of 2 (SALib
 * warns), N < SENS_SOBOL_MIN_CI_N while NBOOT > 0 confidence intervals at
 * level CONF are requested. Writes MSG, returns 1 when there is one. */
int sens_sobol_design_warning(size_t n, const sens_saltelli_opts *o, int nboot, double conf,
                              char *msg, size_t len);
/* Saltelli design from Sobol' points skip..skip+N-1 of dimension 2D into OUT
 * (sens_saltelli_rows x D); O NULL is SENS_SALTELLI_DEFAULT. A function of
 * (N, D, second order, O) only. Returns 0, or -1 when 2D >
 * SENS_SOBOL_MAXDIM, sens_saltelli_check fails or out of memory. */
int sens_saltelli_sample(size_t n, size_t d, int second_order, const sens_saltelli_opts *o,
                         double *out);
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
