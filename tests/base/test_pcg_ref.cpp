/* test_pcg_ref: compares base/rng.c with the reference C++ pcg32 of
 * pcg_random.hpp (Debian libpcg-cpp-dev), which is the same generator as
 * pcg-c's pcg32_*_r.
 *
 * For 256 (initstate, initseq) pairs spread over the 64-bit range (all 64
 * combinations of 8 corner values including 0 and UINT64_MAX, then a
 * SplitMix64 sequence) it
 * checks, as separate comparison groups:
 *  - seeding: rng_t state/increment equal the reference's internal state;
 *  - 1000 consecutive rng_u32 outputs;
 *  - 300 rng_bounded draws for each bound in kBounds;
 *  - rng_advance by every delta in kDeltas (small, huge, and 2^64 - k, i.e.
 *    k steps backwards) against advance(k) / backstep(k): full state plus
 *    the next 8 outputs.
 * Prints one line per failure naming the pair and bound/delta, then
 * "N passed, M failed"; exits non-zero when M > 0.
 */
#include <cinttypes>
#include <cstdio>
#include <sstream>

#include <pcg_random.hpp>

extern "C" {
#include "base/rng.h"
}

namespace {

constexpr int kPairs = 256;
constexpr int kSeqLen = 1000;
constexpr int kBoundedDraws = 300;
constexpr int kAfterAdvance = 8;

const uint32_t kBounds[] = {1u, 2u, 3u, 7u, 1000u, 0x80000001u, UINT32_MAX};

/* A delta of K steps, or of 2^64 - K steps (= K steps back) when BACK. */
struct Delta {
  uint64_t k;
  bool back;
};

const Delta kDeltas[] = {{0u, false},
                         {1u, false},
                         {2u, false},
                         {3u, false},
                         {1000u, false},
                         {123456789u, false},
                         {UINT64_C(1) << 32, false},
                         {(UINT64_C(1) << 32) + 1u, false},
                         {UINT64_C(0x0123456789abcdef), false},
                         {UINT64_C(1) << 63, false},
                         {(UINT64_C(1) << 63) + 1u, false},
                         {UINT64_C(0xfedcba9876543210), false},
                         {UINT64_MAX, false},
                         {1u, true},
                         {2u, true},
                         {1000u, true},
                         {123456789u, true},
                         {UINT64_C(1) << 40, true},
                         {UINT64_C(0x0123456789abcdef), true}};

struct Tally {
  long passed = 0;
  long failed = 0;
  void record(bool ok) { ok ? passed++ : failed++; }
};

uint64_t splitmix_next(uint64_t *s) {
  *s += UINT64_C(0x9E3779B97F4A7C15);
  return rng_mix64(*s);
}

/* Pair I: the first 64 are all combinations of 8 corner values (0,
 * UINT64_MAX, ...), the rest pseudo-random from a SplitMix64 sequence. */
void make_pair(int i, uint64_t *sm, uint64_t *initstate, uint64_t *initseq) {
  static const uint64_t corner[8] = {0u,
                                     UINT64_MAX,
                                     1u,
                                     UINT64_C(1) << 63,
                                     42u,
                                     54u,
                                     UINT64_C(0x7fffffffffffffff),
                                     UINT64_C(0xffffffff)};
  if (i < 64) {
    *initstate = corner[i % 8];
    *initseq = corner[i / 8];
    return;
  }
  *initstate = splitmix_next(sm);
  *initseq = splitmix_next(sm);
}

/* Reference internal (increment, state), read through operator<< which
 * prints "multiplier increment state". */
void ref_state(const pcg32 &g, uint64_t *inc, uint64_t *state) {
  std::ostringstream out;
  out << g;
  std::istringstream in(out.str());
  uint64_t mult = 0;
  in >> mult >> *inc >> *state;
}

bool same_state(const rng_t &r, const pcg32 &g) {
  uint64_t inc = 0, state = 0;
  ref_state(g, &inc, &state);
  return r.inc == inc && r.state == state;
}

void report(const char *what, uint64_t s, uint64_t q, const char *extra, uint64_t v) {
  std::printf("MISMATCH %s: initstate=0x%016" PRIx64 " initseq=0x%016" PRIx64 " %s=0x%" PRIx64 "\n",
              what, s, q, extra, v);
}

bool check_sequence(uint64_t s, uint64_t q) {
  rng_t r;
  rng_seed(&r, s, q);
  pcg32 g(s, q);
  for (int i = 0; i < kSeqLen; i++)
    if (rng_u32(&r) != g()) return false;
  return true;
}

bool check_bounded(uint64_t s, uint64_t q, uint32_t bound) {
  rng_t r;
  rng_seed(&r, s, q);
  pcg32 g(s, q);
  for (int i = 0; i < kBoundedDraws; i++)
    if (rng_bounded(&r, bound) != g(bound)) return false;
  return same_state(r, g);
}

/* Forward deltas go through advance(k), backward ones through backstep(k);
 * rng_advance always gets the delta modulo 2^64. */
bool check_advance(uint64_t s, uint64_t q, Delta d) {
  rng_t r;
  rng_seed(&r, s, q);
  pcg32 g(s, q);
  (void)rng_u32(&r); /* start one step in, so going back is not trivial */
  (void)g();
  rng_advance(&r, d.back ? 0u - d.k : d.k);
  if (d.back)
    g.backstep(d.k);
  else
    g.advance(d.k);
  if (!same_state(r, g)) return false;
  for (int i = 0; i < kAfterAdvance; i++)
    if (rng_u32(&r) != g()) return false;
  return true;
}

void run_pair(uint64_t s, uint64_t q, Tally *t) {
  rng_t r;
  rng_seed(&r, s, q);
  bool ok = same_state(r, pcg32(s, q));
  if (!ok) report("seed", s, q, "-", 0u);
  t->record(ok);
  ok = check_sequence(s, q);
  if (!ok) report("sequence", s, q, "len", kSeqLen);
  t->record(ok);
  for (uint32_t bound : kBounds) {
    ok = check_bounded(s, q, bound);
    if (!ok) report("bounded", s, q, "bound", bound);
    t->record(ok);
  }
  for (const Delta &d : kDeltas) {
    ok = check_advance(s, q, d);
    if (!ok) report(d.back ? "advance back (delta = 2^64 - k)" : "advance", s, q, "k", d.k);
    t->record(ok);
  }
}

} // namespace

int main() {
  Tally t;
  uint64_t sm = UINT64_C(0x2545F4914F6CDD1D);
  for (int i = 0; i < kPairs; i++) {
    uint64_t s = 0, q = 0;
    make_pair(i, &sm, &s, &q);
    run_pair(s, q, &t);
  }
  std::printf("%ld passed, %ld failed\n", t.passed, t.failed);
  return t.failed == 0 ? 0 : 1;
}
