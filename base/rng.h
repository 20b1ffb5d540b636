/* rng: PCG32 (O'Neill 2014, XSH-RR 64/32, "pcg32" of the reference C and C++
 * libraries) and the per-agent stream derivation of ENGINE.md.
 *
 * Invariants:
 *  - the generator is plain bytes: copying an rng_t saves it, copying back
 *    restores it; no hidden or global state anywhere in this module;
 *  - rng->inc is always odd;
 *  - an agent's stream depends only on (master seed, kind, id): initstate and
 *    the stream selector both come from SplitMix64-style hashes, so streams
 *    of neighbouring ids are unrelated (never consecutive increments with a
 *    shared state).
 *
 * Included by: any file at or above base/ (layers.txt).
 */
#ifndef NQP_RNG_H
#define NQP_RNG_H

#include <stdint.h>

typedef struct rng_t {
  uint64_t state; /* LCG state */
  uint64_t inc;   /* stream increment, odd */
} rng_t;

/* Agent kinds for stream derivation (stable numbers: part of the output). */
enum {
  RNG_KIND_FIRM = 1,
  RNG_KIND_INSTITUTE = 2,
  RNG_KIND_GOVERNMENT = 3,
  RNG_KIND_MARKET = 4,
  RNG_KIND_WORLD = 5,
  RNG_KIND_ENTRY = 6
};

/* Seed as pcg32_srandom_r(initstate, initseq) / C++ pcg32(initstate, initseq). */
void rng_seed(rng_t *r, uint64_t initstate, uint64_t initseq);
/* Next 32-bit output. */
uint32_t rng_u32(rng_t *r);
/* Uniform integer in [0, bound), bound > 0, without bias (rejection as in
 * pcg32_boundedrand_r, so outputs equal the reference's rng(bound)). */
uint32_t rng_bounded(rng_t *r, uint32_t bound);
/* Uniform double in [0, 1) with 53 random bits (two outputs). */
double rng_double(rng_t *r);
/* Uniform double in (0, 1): never 0, for logs. */
double rng_double_open(rng_t *r);
/* Advance by DELTA steps in O(log delta); DELTA is modulo 2^64, so
 * rng_advance(r, (uint64_t)-k) goes back k steps. */
void rng_advance(rng_t *r, uint64_t delta);
/* SplitMix64 finaliser (Steele, Lea, Flood 2014): a bijective 64-bit hash. */
uint64_t rng_mix64(uint64_t x);
/* Derive the stream of agent (KIND, ID) under MASTER seed. */
void rng_stream(rng_t *r, uint64_t master, uint32_t kind, uint64_t id);

#endif
