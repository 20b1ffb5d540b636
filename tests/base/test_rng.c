/* test_rng: unit tests of base/rng.c (PCG32, SplitMix64, stream derivation).
 *
 * Invariants checked: output equals the pcg-c known-answer vector; bounded
 * draws equal the reference rejection formula; advance is an exact jump in
 * both directions; an rng_t is plain data (struct copy saves/restores it,
 * generators share no hidden state); rng_stream is deterministic, gives odd
 * increments and distinct states/increments per (kind, id). All seeds are
 * fixed, so every test is deterministic.
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"

/* Upper alpha quantile of chi-square(df) by Wilson-Hilferty; z is the
 * standard normal upper quantile (3.0902 for alpha = 0.001). */
static double chi2_crit(double df, double z) {
  double h = 2.0 / (9.0 * df);
  double t = 1.0 - h + z * sqrt(h);
  return df * t * t * t;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

/* 1 when the N values are pairwise distinct (sorts V). */
static int all_distinct(uint64_t *v, size_t n) {
  qsort(v, n, sizeof *v, cmp_u64);
  for (size_t i = 1; i < n; i++)
    if (v[i] == v[i - 1]) return 0;
  return 1;
}

Test(rng, known_answer_pcg32_demo) {
  static const uint32_t want[6] = {0xa15c02b7u, 0x7b47f409u, 0xba1d3330u,
                                   0x83d2f293u, 0xbfa4784bu, 0xcbed606eu};
  rng_t r;
  rng_seed(&r, 42u, 54u);
  for (int i = 0; i < 6; i++) cr_assert_eq(rng_u32(&r), want[i], "output %d", i);
}

Test(rng, seed_sets_odd_increment) {
  rng_t r;
  rng_seed(&r, 42u, 54u);
  cr_assert_eq(r.inc, (54u << 1) | 1u);
  rng_seed(&r, 0u, UINT64_MAX);
  cr_assert_eq(r.inc & 1u, 1u);
}

/* Reference bounded draw: pcg32_boundedrand_r's rejection threshold. */
static uint32_t ref_bounded(rng_t *r, uint32_t bound) {
  uint32_t threshold = (uint32_t)(-bound) % bound;
  for (;;) {
    uint32_t x = rng_u32(r);
    if (x >= threshold) return x % bound;
  }
}

Test(rng, bounded_range_and_reference_formula) {
  static const uint32_t bounds[] = {1u, 2u, 3u, 7u, 10u, 1000u, 0x80000001u, UINT32_MAX};
  for (size_t b = 0; b < sizeof bounds / sizeof bounds[0]; b++) {
    rng_t r, ref;
    rng_seed(&r, 0xdeadbeefu + b, 17u);
    ref = r;
    for (int i = 0; i < 20000; i++) {
      uint32_t x = rng_bounded(&r, bounds[b]);
      cr_assert_lt(x, bounds[b], "bound %u", bounds[b]);
      cr_assert_eq(x, ref_bounded(&ref, bounds[b]), "bound %u draw %d", bounds[b], i);
    }
    cr_assert_eq(r.state, ref.state, "bound %u: same number of outputs used", bounds[b]);
  }
}

Test(rng, bounded_zero_terminates) {
  rng_t r;
  rng_seed(&r, 1u, 2u);
  cr_assert_eq(rng_bounded(&r, 0u), 0u); /* outside the contract, but defined */
}

Test(rng, advance_equals_repeated_steps) {
  static const uint64_t ks[] = {0u, 1u, 2u, 5u, 63u, 64u, 1000u, 4097u};
  for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) {
    rng_t a, b;
    rng_seed(&a, 123u, 456u);
    b = a;
    for (uint64_t j = 0; j < ks[i]; j++) (void)rng_u32(&a);
    rng_advance(&b, ks[i]);
    cr_assert_eq(a.state, b.state, "k = %llu", (unsigned long long)ks[i]);
    cr_assert_eq(rng_u32(&a), rng_u32(&b));
  }
}

Test(rng, advance_backwards_round_trip) {
  static const uint64_t ks[] = {
      1u, 7u, 1000u, 1ull << 32, (1ull << 63) + 5u, 0x123456789abcdefull, UINT64_MAX};
  for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) {
    rng_t a, orig;
    rng_seed(&a, 99u, 100u + i);
    orig = a;
    rng_advance(&a, ks[i]);
    rng_advance(&a, (uint64_t)0 - ks[i]);
    cr_assert_eq(a.state, orig.state, "k = %llu", (unsigned long long)ks[i]);
    cr_assert_eq(a.inc, orig.inc);
  }
}

Test(rng, advance_negative_undoes_steps) {
  rng_t a, orig;
  rng_seed(&a, 5u, 6u);
  orig = a;
  uint32_t first[50];
  for (int i = 0; i < 50; i++) first[i] = rng_u32(&a);
  rng_advance(&a, (uint64_t)-50);
  cr_assert_eq(a.state, orig.state);
  for (int i = 0; i < 50; i++) cr_assert_eq(rng_u32(&a), first[i]);
  rng_advance(&a, UINT64_MAX); /* one step back: replays the last output */
  cr_assert_eq(rng_u32(&a), first[49]);
}

Test(rng, advance_composes_modulo_2_64) {
  const uint64_t x = 0xfedcba9876543210ull, y = 0x8000000000000123ull;
  rng_t a, b;
  rng_seed(&a, 77u, 88u);
  b = a;
  rng_advance(&a, x);
  rng_advance(&a, y);
  rng_advance(&b, x + y); /* wraps modulo 2^64 */
  cr_assert_eq(a.state, b.state);
  rng_advance(&b, 0u);
  cr_assert_eq(a.state, b.state);
}

Test(rng, save_restore_by_struct_copy) {
  rng_t r, saved;
  rng_seed(&r, 2024u, 3u);
  for (int i = 0; i < 10; i++) (void)rng_u32(&r);
  memcpy(&saved, &r, sizeof r);
  uint32_t seq[100];
  for (int i = 0; i < 100; i++) seq[i] = rng_u32(&r);
  memcpy(&r, &saved, sizeof r);
  for (int i = 0; i < 100; i++) cr_assert_eq(rng_u32(&r), seq[i], "draw %d", i);
}

Test(rng, generators_share_no_hidden_state) {
  enum { M = 500 };
  uint32_t a_alone[M], b_alone[M];
  rng_t a, b;
  rng_seed(&a, 1u, 1u);
  for (int i = 0; i < M; i++) a_alone[i] = rng_u32(&a);
  rng_seed(&b, 1u, 2u);
  for (int i = 0; i < M; i++) {
    b_alone[i] = rng_bounded(&b, 1000u);
    (void)rng_double(&b);
  }
  rng_seed(&a, 1u, 1u);
  rng_seed(&b, 1u, 2u);
  for (int i = 0; i < M; i++) {
    cr_assert_eq(rng_bounded(&b, 1000u), b_alone[i], "b draw %d", i);
    cr_assert_eq(rng_u32(&a), a_alone[i], "a draw %d", i);
    (void)rng_double(&b); /* draws on b must not disturb a */
    rng_t c;
    rng_seed(&c, 9u, 9u); /* nor seeding and using a third generator */
    (void)rng_u32(&c);
  }
}

Test(rng, mix64_splitmix_known_values) {
  /* SplitMix64 seeded with 0 yields mix64(k * golden) for k = 1, 2, 3. */
  const uint64_t g = 0x9E3779B97F4A7C15ull;
  cr_assert_eq(rng_mix64(g), 0xe220a8397b1dcdafull);
  cr_assert_eq(rng_mix64(2 * g), 0x6e789e6aa1b965f4ull);
  cr_assert_eq(rng_mix64(3 * g), 0x06c45d188009454full);
  cr_assert_eq(rng_mix64(0u), 0u);
}

Test(rng, stream_matches_documented_formula) {
  const uint64_t master = 0x0123456789abcdefull, id = 4242u;
  const uint32_t kind = RNG_KIND_FIRM;
  uint64_t key = ((uint64_t)kind << 48) ^ id;
  rng_t want, got;
  rng_seed(&want, rng_mix64(master ^ rng_mix64(key + 0x9E3779B97F4A7C15ull)),
           rng_mix64(master ^ rng_mix64(key + 0xD1B54A32D192ED03ull)));
  rng_stream(&got, master, kind, id);
  cr_assert_eq(got.state, want.state);
  cr_assert_eq(got.inc, want.inc);
}

Test(rng, stream_deterministic_and_odd) {
  rng_t a, b;
  for (uint64_t id = 0; id < 100; id++) {
    rng_stream(&a, 42u, RNG_KIND_MARKET, id);
    rng_stream(&b, 42u, RNG_KIND_MARKET, id);
    cr_assert_eq(a.state, b.state);
    cr_assert_eq(a.inc, b.inc);
    cr_assert_eq(a.inc & 1u, 1u, "inc odd for id %llu", (unsigned long long)id);
  }
  rng_stream(&b, 43u, RNG_KIND_MARKET, 99u);
  cr_assert_neq(a.state, b.state, "master seed matters");
  cr_assert_neq(a.inc, b.inc, "master seed matters");
}

Test(rng, stream_distinct_per_kind_and_id) {
  enum { KINDS = 6, IDS = 2000, TOTAL = KINDS * IDS };
  uint64_t *states = malloc(TOTAL * sizeof *states);
  uint64_t *incs = malloc(TOTAL * sizeof *incs);
  cr_assert_not_null(states);
  cr_assert_not_null(incs);
  size_t n = 0;
  for (uint32_t kind = RNG_KIND_FIRM; kind <= RNG_KIND_ENTRY; kind++) {
    for (uint64_t id = 0; id < IDS; id++, n++) {
      rng_t r;
      rng_stream(&r, 7u, kind, id);
      states[n] = r.state;
      incs[n] = r.inc;
      cr_assert_eq(r.inc & 1u, 1u);
    }
  }
  cr_assert(all_distinct(states, n), "states collide");
  cr_assert(all_distinct(incs, n), "increments collide");
  free(states);
  free(incs);
}

Test(rng, double_formula_and_range) {
  rng_t r, ref;
  rng_seed(&r, 31337u, 1u);
  double lo = 1.0, hi = 0.0, sum = 0.0;
  const int n = 1000000;
  for (int i = 0; i < n; i++) {
    ref = r;
    double u = rng_double(&r);
    uint64_t a = rng_u32(&ref) >> 5, b = rng_u32(&ref) >> 6;
    if (i < 1000) cr_assert_eq(u, (double)(a * 67108864u + b) / 9007199254740992.0);
    lo = u < lo ? u : lo;
    hi = u > hi ? u : hi;
    sum += u;
  }
  cr_assert_geq(lo, 0.0);
  cr_assert_lt(hi, 1.0);
  /* mean of n U(0,1): sd sqrt(1/(12 n)) = 2.9e-4; allow 5 sd */
  cr_assert_lt(fabs(sum / n - 0.5), 5.0 * sqrt(1.0 / (12.0 * n)));
}

Test(rng, double_open_excludes_zero) {
  rng_t r;
  rng_seed(&r, 8u, 8u);
  for (int i = 0; i < 100000; i++) {
    double u = rng_double_open(&r);
    cr_assert(u > 0.0 && u < 1.0);
  }
}

/* Pearson chi-square of rng_bounded(100) over 10^6 draws against uniform:
 * df = 99, critical value at alpha = 0.001 is about 148.2. The seed is fixed,
 * so the outcome is deterministic; the alpha only says how unlucky a seed
 * would have to be to fail for a correct generator. */
Test(rng, bounded_chi_square_uniform) {
  enum { CELLS = 100, N = 1000000 };
  static unsigned counts[CELLS];
  rng_t r;
  rng_seed(&r, 20240601u, 11u);
  for (int i = 0; i < N; i++) counts[rng_bounded(&r, CELLS)]++;
  double expected = (double)N / CELLS, chi2 = 0.0;
  for (int c = 0; c < CELLS; c++)
    chi2 += (counts[c] - expected) * (counts[c] - expected) / expected;
  cr_assert_lt(chi2, chi2_crit(CELLS - 1, 3.090232), "chi2 = %g", chi2);
}
