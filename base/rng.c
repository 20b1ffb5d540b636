/* rng: PCG32 (XSH-RR 64/32) bit-for-bit equal to the reference pcg-c
 * (pcg32_srandom_r, pcg32_random_r, pcg32_boundedrand_r, pcg32_advance_r)
 * and to C++ pcg32 of pcg_random.hpp, plus SplitMix64 hashing and the
 * per-agent stream derivation.
 *
 * Invariants:
 *  - all state lives in the rng_t passed in (no globals, no statics), so a
 *    struct copy saves/restores a generator and two generators never
 *    interact;
 *  - r->inc is odd after rng_seed/rng_stream and never changed afterwards;
 *  - every function is a pure function of its arguments and *r.
 */
#include "base/rng.h"

#define PCG_MULT 6364136223846793005ULL

/* One LCG step; returns the state *before* the step (PCG outputs from it). */
static uint64_t lcg_step(rng_t *r) {
  uint64_t old = r->state;
  r->state = old * PCG_MULT + r->inc;
  return old;
}

/* XSH-RR output permutation of a 64-bit state. */
static uint32_t xsh_rr(uint64_t s) {
  uint32_t xorshifted = (uint32_t)(((s >> 18u) ^ s) >> 27u);
  uint32_t rot = (uint32_t)(s >> 59u);
  return (xorshifted >> rot) | (xorshifted << ((-rot) & 31u));
}

void rng_seed(rng_t *r, uint64_t initstate, uint64_t initseq) {
  r->state = 0u;
  r->inc = (initseq << 1u) | 1u;
  (void)lcg_step(r);
  r->state += initstate;
  (void)lcg_step(r);
}

uint32_t rng_u32(rng_t *r) {
  return xsh_rr(lcg_step(r));
}

uint32_t rng_bounded(rng_t *r, uint32_t bound) {
  /* Reject the lowest (2^32 mod bound) outputs so every residue is equally
   * likely; same threshold and loop as pcg32_boundedrand_r. bound == 0 is
   * outside the contract; it returns 0 rather than dividing by zero. */
  if (bound == 0u) return 0u;
  uint32_t threshold = (uint32_t)(-bound) % bound;
  for (;;) {
    uint32_t x = rng_u32(r);
    if (x >= threshold) return x % bound;
  }
}

double rng_double(rng_t *r) {
  uint64_t a = rng_u32(r) >> 5; /* 27 bits */
  uint64_t b = rng_u32(r) >> 6; /* 26 bits */
  return (double)(a * 67108864u + b) * 0x1.0p-53;
}

double rng_double_open(rng_t *r) {
  /* Redraw on exact 0 (probability 2^-53 per draw). */
  for (;;) {
    double u = rng_double(r);
    if (u > 0.0) return u;
  }
}

/* Brown (1994), "Random number generation with arbitrary strides": apply the
 * affine map s -> mult*s + plus DELTA times by square-and-multiply; same as
 * pcg_advance_lcg_64. */
static uint64_t lcg_jump(uint64_t state, uint64_t delta, uint64_t mult, uint64_t plus) {
  uint64_t acc_mult = 1u, acc_plus = 0u;
  while (delta > 0u) {
    if (delta & 1u) {
      acc_mult *= mult;
      acc_plus = acc_plus * mult + plus;
    }
    plus = (mult + 1u) * plus;
    mult *= mult;
    delta >>= 1u;
  }
  return acc_mult * state + acc_plus;
}

void rng_advance(rng_t *r, uint64_t delta) {
  r->state = lcg_jump(r->state, delta, PCG_MULT, r->inc);
}

uint64_t rng_mix64(uint64_t x) {
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

/* Stream derivation (part of the reproducibility contract; changing any
 * constant here changes every simulation output):
 *
 *   key       = ((uint64_t)kind << 48) ^ id
 *   initstate = rng_mix64(master ^ rng_mix64(key + 0x9E3779B97F4A7C15))
 *   initseq   = rng_mix64(master ^ rng_mix64(key + 0xD1B54A32D192ED03))
 *   rng_seed(r, initstate, initseq)
 *
 * key is injective for id < 2^48; rng_mix64 is a bijection, so for a fixed
 * master distinct keys give distinct initstate. The two additive constants
 * (golden-ratio Weyl increment and another odd 64-bit constant) make initseq
 * an unrelated hash of the same triple, so neighbouring ids get unrelated
 * states *and* unrelated increments. */
#define RNG_STATE_SALT 0x9E3779B97F4A7C15ULL
#define RNG_SEQ_SALT   0xD1B54A32D192ED03ULL

void rng_stream(rng_t *r, uint64_t master, uint32_t kind, uint64_t id) {
  uint64_t key = ((uint64_t)kind << 48) ^ id;
  uint64_t initstate = rng_mix64(master ^ rng_mix64(key + RNG_STATE_SALT));
  uint64_t initseq = rng_mix64(master ^ rng_mix64(key + RNG_SEQ_SALT));
  rng_seed(r, initstate, initseq);
}
