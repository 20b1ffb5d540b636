/* sensitivity_seq: the Sobol' low-discrepancy sequence (drivers/sensitivity.h).
 *
 * Direction numbers: Joe & Kuo (2008), file new-joe-kuo-6.21201, dimensions
 * 2..128 as rows {s, a, {m_1..m_s}} (s the degree of the primitive
 * polynomial, a its inner coefficients, m_k odd and < 2^k); dimension 1 is
 * van der Corput and has no row. The first 64 dimensions were checked
 * against a second, independent transcription; every row satisfies the
 * m_k constraints (tests/drivers/test_sensitivity.c checks the net property).
 *
 * Scrambling (sens_sobol_scramble) is the one scipy.stats.qmc.Sobol applies
 * with scramble=True (scipy/stats/_qmc.py `_scramble`, _sobol.pyx
 * `_cscramble`): per dimension, Matousek's left linear matrix scramble
 * (LMS) -- a random lower-triangular binary matrix L with unit diagonal,
 * digits indexed from the most significant, maps every direction number v
 * to L v over GF(2) -- and a random digital shift XORed into every point.
 * The random bits come from one PCG32 stream per dimension (base/rng.h),
 * keyed by (seed, dimension): numpy's generator cannot be matched, so the
 * points differ from scipy's number by number but are the same kind of
 * randomisation (and dimension k scrambles the same for any total DIM).
 *
 * Invariants: point i is the shift XOR the (scrambled) direction numbers
 * selected by the bits of gray(i) = i ^ (i >> 1) (Antonov-Saleev order, as
 * scipy and SALib generate it), as a 32-bit binary fraction. L is
 * invertible and triangular, so the first m digits of a coordinate are a
 * bijection of the unscrambled first m digits and the shift a bijection of
 * those again: every power-of-two prefix (and every aligned power-of-two
 * block) is a (t, m, s)-net with the same t as unscrambled, each coordinate
 * stratified in every dyadic grid. Unscrambled, point 0 is the origin and
 * no other point has a zero coordinate. Indexes beyond 2^32 - 1 are not
 * supported (the callers bound skip + N below).
 */
#include <stdlib.h>

#include "base/rng.h"
#include "drivers/sensitivity.h"

typedef struct jk_row {
  unsigned char s;
  unsigned short a;
  unsigned short m[10];
} jk_row;

static const jk_row joe_kuo[SENS_SOBOL_MAXDIM - 1] = {
    {1, 0, {1}},                                         /* dim 2 */
    {2, 1, {1, 3}},                                      /* dim 3 */
    {3, 1, {1, 3, 1}},                                   /* dim 4 */
    {3, 2, {1, 1, 1}},                                   /* dim 5 */
    {4, 1, {1, 1, 3, 3}},                                /* dim 6 */
    {4, 4, {1, 3, 5, 13}},                               /* dim 7 */
    {5, 2, {1, 1, 5, 5, 17}},                            /* dim 8 */
    {5, 4, {1, 1, 5, 5, 5}},                             /* dim 9 */
    {5, 7, {1, 1, 7, 11, 19}},                           /* dim 10 */
    {5, 11, {1, 1, 5, 1, 1}},                            /* dim 11 */
    {5, 13, {1, 1, 1, 3, 11}},                           /* dim 12 */
    {5, 14, {1, 3, 5, 5, 31}},                           /* dim 13 */
    {6, 1, {1, 3, 3, 9, 7, 49}},                         /* dim 14 */
    {6, 13, {1, 1, 1, 15, 21, 21}},                      /* dim 15 */
    {6, 16, {1, 3, 1, 13, 27, 49}},                      /* dim 16 */
    {6, 19, {1, 1, 1, 15, 7, 5}},                        /* dim 17 */
    {6, 22, {1, 3, 1, 15, 13, 25}},                      /* dim 18 */
    {6, 25, {1, 1, 5, 5, 19, 61}},                       /* dim 19 */
    {7, 1, {1, 3, 7, 11, 23, 15, 103}},                  /* dim 20 */
    {7, 4, {1, 3, 7, 13, 13, 15, 69}},                   /* dim 21 */
    {7, 7, {1, 1, 3, 13, 7, 35, 63}},                    /* dim 22 */
    {7, 8, {1, 3, 5, 9, 1, 25, 53}},                     /* dim 23 */
    {7, 14, {1, 3, 1, 13, 9, 35, 107}},                  /* dim 24 */
    {7, 19, {1, 3, 1, 5, 27, 61, 31}},                   /* dim 25 */
    {7, 21, {1, 1, 5, 11, 19, 41, 61}},                  /* dim 26 */
    {7, 28, {1, 3, 5, 3, 3, 13, 69}},                    /* dim 27 */
    {7, 31, {1, 1, 7, 13, 1, 19, 1}},                    /* dim 28 */
    {7, 32, {1, 3, 7, 5, 13, 19, 59}},                   /* dim 29 */
    {7, 37, {1, 1, 3, 9, 25, 29, 41}},                   /* dim 30 */
    {7, 41, {1, 3, 5, 13, 23, 1, 55}},                   /* dim 31 */
    {7, 42, {1, 3, 7, 3, 13, 59, 17}},                   /* dim 32 */
    {7, 50, {1, 3, 1, 3, 5, 53, 69}},                    /* dim 33 */
    {7, 55, {1, 1, 5, 5, 23, 33, 13}},                   /* dim 34 */
    {7, 56, {1, 1, 7, 7, 1, 61, 123}},                   /* dim 35 */
    {7, 59, {1, 1, 7, 9, 13, 61, 49}},                   /* dim 36 */
    {7, 62, {1, 3, 3, 5, 3, 55, 33}},                    /* dim 37 */
    {8, 14, {1, 3, 1, 15, 31, 13, 49, 245}},             /* dim 38 */
    {8, 21, {1, 3, 5, 15, 31, 59, 63, 97}},              /* dim 39 */
    {8, 22, {1, 3, 1, 11, 11, 11, 77, 249}},             /* dim 40 */
    {8, 38, {1, 3, 1, 11, 27, 43, 71, 9}},               /* dim 41 */
    {8, 47, {1, 1, 7, 15, 21, 11, 81, 45}},              /* dim 42 */
    {8, 49, {1, 3, 7, 3, 25, 31, 65, 79}},               /* dim 43 */
    {8, 50, {1, 3, 1, 1, 19, 11, 3, 205}},               /* dim 44 */
    {8, 52, {1, 1, 5, 9, 19, 21, 29, 157}},              /* dim 45 */
    {8, 56, {1, 3, 7, 11, 1, 33, 89, 185}},              /* dim 46 */
    {8, 67, {1, 3, 3, 3, 15, 9, 79, 71}},                /* dim 47 */
    {8, 70, {1, 3, 7, 11, 15, 39, 119, 27}},             /* dim 48 */
    {8, 84, {1, 1, 3, 1, 11, 31, 97, 225}},              /* dim 49 */
    {8, 97, {1, 1, 1, 3, 23, 43, 57, 177}},              /* dim 50 */
    {8, 103, {1, 3, 7, 7, 17, 17, 37, 71}},              /* dim 51 */
    {8, 115, {1, 3, 1, 5, 27, 63, 123, 213}},            /* dim 52 */
    {8, 122, {1, 1, 3, 5, 11, 43, 53, 133}},             /* dim 53 */
    {9, 8, {1, 3, 5, 5, 29, 17, 47, 173, 479}},          /* dim 54 */
    {9, 13, {1, 3, 3, 11, 3, 1, 109, 9, 69}},            /* dim 55 */
    {9, 16, {1, 1, 1, 5, 17, 39, 23, 5, 343}},           /* dim 56 */
    {9, 22, {1, 3, 1, 5, 25, 15, 31, 103, 499}},         /* dim 57 */
    {9, 25, {1, 1, 1, 11, 11, 17, 63, 105, 183}},        /* dim 58 */
    {9, 44, {1, 1, 5, 11, 9, 29, 97, 231, 363}},         /* dim 59 */
    {9, 47, {1, 1, 5, 15, 19, 45, 41, 7, 383}},          /* dim 60 */
    {9, 52, {1, 3, 7, 7, 31, 19, 83, 137, 221}},         /* dim 61 */
    {9, 55, {1, 1, 1, 3, 23, 15, 111, 223, 83}},         /* dim 62 */
    {9, 59, {1, 1, 5, 13, 31, 15, 55, 25, 161}},         /* dim 63 */
    {9, 62, {1, 1, 3, 13, 25, 47, 39, 87, 257}},         /* dim 64 */
    {9, 67, {1, 1, 1, 11, 21, 53, 125, 249, 293}},       /* dim 65 */
    {9, 74, {1, 1, 7, 11, 11, 7, 57, 79, 323}},          /* dim 66 */
    {9, 81, {1, 1, 5, 5, 17, 13, 81, 3, 131}},           /* dim 67 */
    {9, 82, {1, 1, 7, 13, 23, 7, 65, 251, 475}},         /* dim 68 */
    {9, 87, {1, 3, 5, 1, 9, 43, 3, 149, 11}},            /* dim 69 */
    {9, 91, {1, 1, 3, 13, 31, 13, 13, 255, 487}},        /* dim 70 */
    {9, 94, {1, 3, 3, 1, 5, 63, 89, 91, 127}},           /* dim 71 */
    {9, 103, {1, 1, 3, 3, 1, 19, 123, 127, 237}},        /* dim 72 */
    {9, 104, {1, 1, 5, 7, 23, 31, 37, 243, 289}},        /* dim 73 */
    {9, 109, {1, 1, 5, 11, 17, 53, 117, 183, 491}},      /* dim 74 */
    {9, 122, {1, 1, 1, 5, 1, 13, 13, 209, 345}},         /* dim 75 */
    {9, 124, {1, 1, 3, 15, 1, 57, 115, 7, 33}},          /* dim 76 */
    {9, 137, {1, 3, 1, 11, 7, 43, 81, 207, 175}},        /* dim 77 */
    {9, 138, {1, 3, 1, 1, 15, 27, 63, 255, 49}},         /* dim 78 */
    {9, 143, {1, 3, 5, 3, 27, 61, 105, 171, 305}},       /* dim 79 */
    {9, 145, {1, 1, 5, 3, 1, 3, 57, 249, 149}},          /* dim 80 */
    {9, 152, {1, 1, 3, 5, 5, 57, 15, 13, 159}},          /* dim 81 */
    {9, 157, {1, 1, 1, 11, 7, 11, 105, 141, 225}},       /* dim 82 */
    {9, 167, {1, 3, 3, 5, 27, 59, 121, 101, 271}},       /* dim 83 */
    {9, 173, {1, 3, 5, 9, 11, 49, 51, 59, 115}},         /* dim 84 */
    {9, 176, {1, 1, 7, 1, 23, 45, 125, 71, 419}},        /* dim 85 */
    {9, 181, {1, 1, 3, 5, 23, 5, 105, 109, 75}},         /* dim 86 */
    {9, 182, {1, 1, 7, 15, 7, 11, 67, 121, 453}},        /* dim 87 */
    {9, 185, {1, 3, 7, 3, 9, 13, 31, 27, 449}},          /* dim 88 */
    {9, 191, {1, 3, 1, 15, 19, 39, 39, 89, 15}},         /* dim 89 */
    {9, 194, {1, 1, 1, 1, 1, 33, 73, 145, 379}},         /* dim 90 */
    {9, 199, {1, 3, 1, 15, 15, 43, 29, 13, 483}},        /* dim 91 */
    {9, 218, {1, 1, 7, 3, 19, 27, 85, 131, 431}},        /* dim 92 */
    {9, 220, {1, 3, 3, 3, 5, 35, 23, 195, 349}},         /* dim 93 */
    {9, 227, {1, 3, 3, 7, 9, 27, 39, 59, 297}},          /* dim 94 */
    {9, 229, {1, 1, 3, 9, 11, 17, 13, 241, 157}},        /* dim 95 */
    {9, 230, {1, 3, 7, 15, 25, 57, 33, 189, 213}},       /* dim 96 */
    {9, 234, {1, 1, 7, 1, 9, 55, 73, 83, 217}},          /* dim 97 */
    {9, 236, {1, 3, 3, 13, 19, 27, 23, 113, 249}},       /* dim 98 */
    {9, 241, {1, 3, 5, 3, 23, 43, 3, 253, 479}},         /* dim 99 */
    {9, 244, {1, 1, 5, 5, 11, 5, 45, 117, 217}},         /* dim 100 */
    {9, 253, {1, 3, 3, 7, 29, 37, 33, 123, 147}},        /* dim 101 */
    {10, 4, {1, 3, 1, 15, 5, 5, 37, 227, 223, 459}},     /* dim 102 */
    {10, 13, {1, 1, 7, 5, 5, 39, 63, 255, 135, 487}},    /* dim 103 */
    {10, 19, {1, 3, 1, 7, 9, 7, 87, 249, 217, 599}},     /* dim 104 */
    {10, 22, {1, 1, 3, 13, 9, 47, 7, 225, 363, 247}},    /* dim 105 */
    {10, 50, {1, 3, 7, 13, 19, 13, 9, 67, 9, 737}},      /* dim 106 */
    {10, 55, {1, 3, 5, 5, 19, 59, 7, 41, 319, 677}},     /* dim 107 */
    {10, 64, {1, 1, 5, 3, 31, 63, 15, 43, 207, 789}},    /* dim 108 */
    {10, 69, {1, 1, 7, 9, 13, 39, 3, 47, 497, 169}},     /* dim 109 */
    {10, 98, {1, 3, 1, 7, 21, 17, 97, 19, 415, 905}},    /* dim 110 */
    {10, 107, {1, 3, 7, 1, 3, 31, 71, 111, 165, 127}},   /* dim 111 */
    {10, 115, {1, 1, 5, 11, 1, 61, 83, 119, 203, 847}},  /* dim 112 */
    {10, 121, {1, 3, 3, 13, 9, 61, 19, 97, 47, 35}},     /* dim 113 */
    {10, 127, {1, 1, 7, 7, 15, 29, 63, 95, 417, 469}},   /* dim 114 */
    {10, 134, {1, 3, 1, 9, 25, 9, 71, 57, 213, 385}},    /* dim 115 */
    {10, 140, {1, 3, 5, 13, 31, 47, 101, 57, 39, 341}},  /* dim 116 */
    {10, 145, {1, 1, 3, 3, 31, 57, 125, 173, 365, 551}}, /* dim 117 */
    {10, 152, {1, 3, 7, 1, 13, 57, 67, 157, 451, 707}},  /* dim 118 */
    {10, 158, {1, 1, 1, 7, 21, 13, 105, 89, 429, 965}},  /* dim 119 */
    {10, 161, {1, 1, 5, 9, 17, 51, 45, 119, 157, 141}},  /* dim 120 */
    {10, 171, {1, 3, 7, 7, 13, 45, 91, 9, 129, 741}},    /* dim 121 */
    {10, 181, {1, 3, 7, 1, 23, 57, 67, 141, 151, 571}},  /* dim 122 */
    {10, 194, {1, 1, 3, 11, 17, 47, 93, 107, 375, 157}}, /* dim 123 */
    {10, 199, {1, 3, 3, 5, 11, 21, 43, 51, 169, 915}},   /* dim 124 */
    {10, 203, {1, 1, 5, 3, 15, 55, 101, 67, 455, 625}},  /* dim 125 */
    {10, 208, {1, 3, 5, 9, 1, 23, 29, 47, 345, 595}},    /* dim 126 */
    {10, 227, {1, 3, 7, 7, 5, 49, 29, 155, 323, 589}},   /* dim 127 */
    {10, 242, {1, 3, 3, 7, 5, 41, 127, 61, 261, 717}},   /* dim 128 */
};

struct sens_sobol {
  unsigned dim;
  uint32_t *shift;  /* digital shift per dimension (0 unscrambled), after v */
  uint32_t v[][32]; /* direction numbers per dimension, as 32-bit fractions */
};

/* Direction numbers of dimension index K (0-based) into V. */
static void sobol_directions(unsigned k, uint32_t *v) {
  if (k == 0) {
    for (int j = 0; j < 32; j++) v[j] = (uint32_t)1 << (31 - j);
    return;
  }
  const jk_row *r = &joe_kuo[k - 1];
  unsigned s = r->s;
  for (unsigned j = 0; j < s; j++) v[j] = (uint32_t)r->m[j] << (31 - j);
  for (unsigned j = s; j < 32; j++) {
    uint32_t x = v[j - s] ^ (v[j - s] >> s);
    for (unsigned q = 1; q < s; q++)
      if ((r->a >> (s - 1 - q)) & 1u) x ^= v[j - q];
    v[j] = x;
  }
}

sens_sobol *sens_sobol_new(unsigned dim) {
  if (dim < 1 || dim > SENS_SOBOL_MAXDIM) return NULL;
  sens_sobol *s = malloc(sizeof *s + (size_t)dim * (sizeof s->v[0] + sizeof *s->shift));
  if (!s) return NULL;
  s->dim = dim;
  s->shift = (uint32_t *)(s->v + dim);
  for (unsigned k = 0; k < dim; k++) {
    sobol_directions(k, s->v[k]);
    s->shift[k] = 0;
  }
  return s;
}

static uint32_t parity32(uint32_t x) {
  x ^= x >> 16;
  x ^= x >> 8;
  x ^= x >> 4;
  x ^= x >> 2;
  x ^= x >> 1;
  return x & 1u;
}

void sens_sobol_scramble(sens_sobol *s, uint64_t seed) {
  for (unsigned k = 0; k < s->dim; k++) {
    rng_t r;
    uint32_t row[32]; /* row p of L: digit c (bit 31 - c) for c < p random, c = p set */
    rng_stream(&r, seed, 0x736f62u /* "sob" */, k);
    for (unsigned p = 0; p < 32; p++) {
      uint32_t below = p ? ~(uint32_t)0 << (32 - p) : 0;
      row[p] = (rng_u32(&r) & below) | (uint32_t)1 << (31 - p);
    }
    for (unsigned j = 0; j < 32; j++) {
      uint32_t v = s->v[k][j], y = 0;
      for (unsigned p = 0; p < 32; p++) y |= parity32(row[p] & v) << (31 - p);
      s->v[k][j] = y;
    }
    s->shift[k] = rng_u32(&r);
  }
}

void sens_sobol_free(sens_sobol **s) {
  if (!s) return;
  free(*s);
  *s = NULL;
}

void sens_sobol_point(const sens_sobol *s, uint64_t index, double *out) {
  uint32_t g = (uint32_t)(index ^ (index >> 1));
  for (unsigned k = 0; k < s->dim; k++) {
    uint32_t x = s->shift[k];
    for (unsigned j = 0; j < 32 && (g >> j) != 0; j++)
      if ((g >> j) & 1u) x ^= s->v[k][j];
    out[k] = (double)x / 4294967296.0;
  }
}
