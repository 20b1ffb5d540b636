/* reduce: fixed-block deterministic reductions (see reduce.h). */
#include "base/reduce.h"

#include <stdlib.h>
#include <string.h>

static size_t nblocks(size_t n) {
  return (n + REDUCE_BLOCK - 1) / REDUCE_BLOCK;
}

static size_t block_end(size_t b, size_t n) {
  return (b + 1) * REDUCE_BLOCK < n ? (b + 1) * REDUCE_BLOCK : n;
}

size_t reduce_scratch_len(size_t n, size_t width) {
  return (nblocks(n) + 1) * width;
}

static double block_sum(const double *x, const uint8_t *alive, size_t lo, size_t hi) {
  double s = 0;
  for (size_t i = lo; i < hi; i++)
    if (!alive || alive[i]) s += x[i];
  return s;
}

double reduce_sum(const double *x, const uint8_t *alive, size_t n, int threads) {
  size_t nb = nblocks(n);
  if (nb <= 1) return block_sum(x, alive, 0, n);
  double *p = malloc(nb * sizeof(double));
  double total = 0;
  if (!p) { /* out of memory: the same block order, serially */
    for (size_t b = 0; b < nb; b++) total += block_sum(x, alive, b * REDUCE_BLOCK, block_end(b, n));
    return total;
  }
#pragma omp parallel for schedule(static) num_threads(threads) default(none)                       \
    shared(x, alive, n, nb, p)
  for (size_t b = 0; b < nb; b++) p[b] = block_sum(x, alive, b * REDUCE_BLOCK, block_end(b, n));
  for (size_t b = 0; b < nb; b++) total += p[b];
  free(p);
  return total;
}

static void block_groups(const double *const *vars, size_t nv, const uint16_t *g1,
                         const uint16_t *g2, size_t m, const uint8_t *alive, size_t lo, size_t hi,
                         double *acc) {
  for (size_t i = lo; i < hi; i++) {
    if (alive && !alive[i]) continue;
    size_t g = g2 ? (size_t)g1[i] * m + g2[i] : g1[i];
    double *a = acc + g * nv;
    for (size_t v = 0; v < nv; v++) a[v] += vars[v][i];
  }
}

void reduce_groups(const double *const *vars, size_t nv, const uint16_t *g1, const uint16_t *g2,
                   size_t m, size_t ngroups, const uint8_t *alive, size_t n, double *out,
                   double *scratch, int threads) {
  size_t width = ngroups * nv;
  size_t nb = nblocks(n);
  memset(scratch, 0, nb * width * sizeof(double));
#pragma omp parallel for schedule(static) num_threads(threads) default(none)                       \
    shared(vars, nv, g1, g2, m, alive, n, nb, scratch, width)
  for (size_t b = 0; b < nb; b++) {
    block_groups(vars, nv, g1, g2, m, alive, b * REDUCE_BLOCK, block_end(b, n),
                 scratch + b * width);
  }
  memset(out, 0, width * sizeof(double));
  for (size_t b = 0; b < nb; b++)
    for (size_t k = 0; k < width; k++) out[k] += scratch[b * width + k];
}

void reduce_blocks(size_t n, size_t width, reduce_block_fn fn, const void *ctx, double *out,
                   double *scratch, int threads) {
  size_t nb = nblocks(n);
  memset(scratch, 0, nb * width * sizeof(double));
#pragma omp parallel for schedule(static) num_threads(threads) default(none)                       \
    shared(fn, ctx, n, nb, scratch, width)
  for (size_t b = 0; b < nb; b++) fn(ctx, b * REDUCE_BLOCK, block_end(b, n), scratch + b * width);
  memset(out, 0, width * sizeof(double));
  for (size_t b = 0; b < nb; b++)
    for (size_t k = 0; k < width; k++) out[k] += scratch[b * width + k];
}

/* The K-th smallest of X[0..N) (Hoare's selection, middle pivot); X is
 * permuted. The value, not its position, is returned, so the result does
 * not depend on the order of X. */
double reduce_select_kth(double *x, size_t n, size_t k) {
  size_t lo = 0, hi = n - 1;
  while (lo < hi) {
    double pivot = x[lo + (hi - lo) / 2];
    size_t i = lo, j = hi;
    while (i <= j) {
      while (x[i] < pivot) i++;
      while (x[j] > pivot) j--;
      if (i <= j) {
        double t = x[i];
        x[i] = x[j], x[j] = t;
        i++;
        if (j == 0) break;
        j--;
      }
    }
    if (k <= j)
      hi = j;
    else if (k >= i)
      lo = i;
    else
      return x[k];
  }
  return x[k];
}
