/* reduce: deterministic sums over firm slots.
 *
 * Invariant: the result depends only on the data, never on the thread
 * count or schedule. Slots are cut into fixed blocks of REDUCE_BLOCK; each
 * block's partial sum is computed in slot order (by whichever thread), and
 * partials are combined in block order. No reduction(+:) on doubles, no
 * floating-point atomics.
 *
 * Included by: any file at or above base/ (layers.txt).
 */
#ifndef NQP_REDUCE_H
#define NQP_REDUCE_H

#include <stddef.h>
#include <stdint.h>

#define REDUCE_BLOCK 4096

/* Sum of X[i] over live slots (ALIVE[i] != 0; ALIVE may be NULL). */
double reduce_sum(const double *x, const uint8_t *alive, size_t n, int threads);

/* Grouped sums of NV variables: for each live slot i, adds VARS[v][i] into
 * OUT[GROUP(i) * NV + v] where GROUP(i) = G1[i] * M + G2[i] (G2 NULL: G1[i]).
 * OUT has NGROUPS * NV entries and is overwritten. SCRATCH must hold
 * reduce_scratch_len(n, ngroups * nv) doubles. */
void reduce_groups(const double *const *vars, size_t nv, const uint16_t *g1, const uint16_t *g2,
                   size_t m, size_t ngroups, const uint8_t *alive, size_t n, double *out,
                   double *scratch, int threads);
size_t reduce_scratch_len(size_t n, size_t width);

/* General block reduction: FN(CTX, lo, hi, acc) adds the contributions of
 * slots [lo, hi) into ACC (WIDTH doubles, zeroed before the call); block
 * partials are combined in block order into OUT (WIDTH doubles). SCRATCH
 * holds reduce_scratch_len(n, width) doubles. */
typedef void (*reduce_block_fn)(const void *ctx, size_t lo, size_t hi, double *acc);
void reduce_blocks(size_t n, size_t width, reduce_block_fn fn, const void *ctx, double *out,
                   double *scratch, int threads);

/* The K-th smallest (0-based) of X[0..N), N > K; X is permuted. A value,
 * not a position: the result does not depend on the order of X. O(N). */
double reduce_select_kth(double *x, size_t n, size_t k);

#endif
