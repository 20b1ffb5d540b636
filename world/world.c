/* world: allocation and growth of the state, its memory estimate, the
 * indexes, total money and the invariant checks. Building the initial state
 * of a scenario needs the agents' rules and lives above them, in
 * sim/world_create.c.
 *
 * Invariants: every firm array is allocated, grown and freed through the
 * FIRM_* lists of world/world.h, 64-byte aligned and zero-filled beyond the
 * copied slots; the indexes are a pure function of the live firms.
 */
#include "world/world.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/dist.h"
#include "base/reduce.h"

static void set_err(char *err, size_t len, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, len, fmt, ap);
  va_end(ap);
}

/* 64-byte aligned zeroed array of N elements of SIZE bytes, with the old
 * content (OLD_N elements) copied over. Frees OLD. */
static void *grow_array(void *old, size_t old_n, size_t n, size_t size) {
  size_t bytes = n * size;
  bytes = (bytes + 63) / 64 * 64;
  if (bytes == 0) bytes = 64;
  void *p = aligned_alloc(64, bytes);
  if (!p) return NULL;
  memset(p, 0, bytes);
  if (old) {
    memcpy(p, old, old_n * size);
    free(old);
  }
  return p;
}

#define GROW(name, mult)                                                                           \
  do {                                                                                             \
    void *p_ = grow_array(f->name, f->cap * (mult), cap * (mult), sizeof(*f->name));               \
    if (!p_) return -1;                                                                            \
    f->name = p_;                                                                                  \
  } while (0);
#define GROW1(name) GROW(name, 1)

int world_reserve(world *w, size_t cap) {
  firm_soa *f = &w->f;
  if (cap <= f->cap) return 0;
  if (cap > SIZE_MAX / (sizeof(double) * (WORLD_HIST + f->nslot + 64))) return -1;
  FIRM_F64(GROW1)
  FIRM_U8(GROW1)
  FIRM_U16(GROW1)
  FIRM_OTHER(GROW1)
  FIRM_MULTI(GROW, f)
  size_t *fl = realloc(w->free_list, cap * sizeof(size_t));
  size_t *rs = realloc(w->rev_start, (cap + 1) * sizeof(size_t));
  if (fl) w->free_list = fl;
  if (rs) w->rev_start = rs;
  if (!fl || !rs) return -1;
  size_t *rv = realloc(w->rev_slot, cap * f->nslot * sizeof(size_t));
  size_t *inf = realloc(w->ind_firms, cap * sizeof(size_t));
  if (rv) w->rev_slot = rv;
  if (inf) w->ind_firms = inf;
  if (!rv || !inf) return -1;
  for (size_t i = f->cap * f->nslot; i < cap * f->nslot; i++) f->supplier[i] = SLOT_UNUSED;
  f->cap = cap;
  return 0;
}

#define FREE1(name)         free(f->name);
#define FREE_MULTI(name, n) free(f->name);

void world_free(world **pw) {
  if (!pw || !*pw) return;
  world *w = *pw;
  firm_soa *f = &w->f;
  FIRM_F64(FREE1)
  FIRM_U8(FREE1)
  FIRM_U16(FREE1)
  FIRM_OTHER(FREE1)
  FIRM_MULTI(FREE_MULTI, f)
  free(w->free_list);
  free(w->rev_start);
  free(w->rev_slot);
  free(w->ind_start);
  free(w->ind_firms);
  free(w->cum_w);
  free(w->cum_k);
  free(w->scratch);
  free(w->inst);
  free(w->cell_entries);
  free(w->cell_start);
  free(w->cell_pos);
  free(w->cell_exits);
  free(w->overrides);
  free(w);
  *pw = NULL;
}

/* ---- firms ------------------------------------------------------------- */

size_t world_firm_count(const scenario *s, int i) {
  double n = round(s->industries[i].firms * s->scale);
  if (n < s->min_firms) n = s->min_firms;
  return (size_t)n;
}

/* Bytes per firm slot of the arrays in the FIRM_* lists for the shape F. */
#define SLOT_BYTES1(m)      +sizeof(*((firm_soa *)0)->m)
#define SLOT_BYTESM(m, per) +sizeof(*((firm_soa *)0)->m) * (double)(per)
static double slot_bytes(const firm_soa *F) {
  return 0.0 FIRM_F64(SLOT_BYTES1) FIRM_U8(SLOT_BYTES1) FIRM_U16(SLOT_BYTES1)
      FIRM_OTHER(SLOT_BYTES1) FIRM_MULTI(SLOT_BYTESM, F);
}

double world_estimate_bytes(const scenario *s, size_t *firms) {
  size_t total = 0;
  for (int i = 0; i < s->n_industries; i++) total += world_firm_count(s, i);
  if (firms) *firms = total;
  firm_soa shape = {0};
  shape.nslot = (size_t)WORLD_MAX_INPUTS * (size_t)s->firm.supplier_slots;
  shape.npipe = (size_t)WORLD_MAX_INPUTS * (size_t)(s->firm.lead_time > 0 ? s->firm.lead_time : 1);
  double cap = (double)total * 1.25 + 64;
  double index = 6 * sizeof(size_t) + (double)shape.nslot * sizeof(size_t); /* lists, cum_w */
  double blocks = cap / REDUCE_BLOCK + 1, cells = (double)s->n_industries * s->n_regions;
  double scratch = blocks * cells * 64 * sizeof(double) * 2; /* world and observer */
  return cap * (slot_bytes(&shape) + index) + scratch;
}

/* ---- indexes ------------------------------------------------------------ */

/* Live firms sorted by (industry, region) cell, in slot order within a
 * cell; cell_start[c] .. cell_start[c+1] is cell c = industry x nr + region,
 * ind_start[i] = cell_start[i x nr]. cum_w accumulates previous output
 * along each industry (weights for supplier choice). */
static int index_industries(world *w) {
  firm_soa *f = &w->f;
  size_t nc = (size_t)(w->ni * w->nr);
  size_t *cnt = w->cell_start;
  memset(cnt, 0, (nc + 1) * sizeof(size_t));
  for (size_t k = 0; k < f->n; k++)
    if (f->alive[k]) cnt[(size_t)f->ind[k] * (size_t)w->nr + f->reg[k] + 1]++;
  for (size_t c = 0; c < nc; c++) cnt[c + 1] += cnt[c];
  for (int i = 0; i <= w->ni; i++) w->ind_start[i] = cnt[(size_t)i * (size_t)w->nr];
  size_t *pos = w->cell_pos;
  memcpy(pos, cnt, nc * sizeof(size_t));
  for (size_t k = 0; k < f->n; k++)
    if (f->alive[k]) w->ind_firms[pos[(size_t)f->ind[k] * (size_t)w->nr + f->reg[k]]++] = k;
  double *cw = realloc(w->cum_w, (cnt[nc] + 1) * sizeof(double));
  if (cw) w->cum_w = cw;
  double *ck = realloc(w->cum_k, (cnt[nc] + 1) * sizeof(double));
  if (ck) w->cum_k = ck;
  if (!cw || !ck) return -1;
  return world_cumulate(w, f->output, cw);
}

static void index_suppliers(world *w) {
  firm_soa *f = &w->f;
  size_t ns = f->nslot;
  size_t *start = w->rev_start;
  memset(start, 0, (f->n + 1) * sizeof(size_t));
  for (size_t k = 0; k < f->n; k++) {
    if (!f->alive[k]) continue;
    for (size_t s = 0; s < ns; s++)
      if (f->supplier[k * ns + s] >= 0) start[f->supplier[k * ns + s] + 1]++;
  }
  for (size_t k = 0; k < f->n; k++) start[k + 1] += start[k];
  for (size_t k = 0; k < f->n; k++) {
    if (!f->alive[k]) continue;
    for (size_t s = 0; s < ns; s++) {
      int32_t sup = f->supplier[k * ns + s];
      if (sup >= 0) w->rev_slot[start[sup]++] = k * ns + s;
    }
  }
  for (size_t k = f->n; k > 0; k--) start[k] = start[k - 1];
  start[0] = 0;
}

/* Weight of the live firms of industry J in region R under the cumulative
 * weights CUM (along ind_firms, restarting at each industry). */
static double cell_weight(const world *w, const double *cum, int j, int r) {
  size_t c = (size_t)j * (size_t)w->nr + (size_t)r;
  size_t lo = w->cell_start[c], hi = w->cell_start[c + 1];
  if (hi == lo) return 0;
  return cum[hi - 1] - (lo > w->ind_start[j] ? cum[lo - 1] : 0);
}

/* First position p in [lo, hi) with cum[p] > u. */
static size_t search_cum(const double *cum, size_t lo, size_t hi, double u) {
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (cum[mid - 1] > u)
      hi = mid;
    else
      lo = mid;
  }
  return lo;
}

long world_pick_firm(const world *w, const double *cum, int j, int own, double bias, rng_t *r) {
  size_t lo = w->ind_start[j], hi = w->ind_start[j + 1];
  if (hi <= lo) return -1;
  double wr[WORLD_MAX_REGIONS];
  for (int g = 0; g < w->nr; g++) wr[g] = cell_weight(w, cum, j, g) * (g == own ? bias : 1);
  size_t g = dist_categorical(r, wr, (size_t)w->nr);
  if (g >= (size_t)w->nr) return (long)w->ind_firms[lo + rng_bounded(r, (uint32_t)(hi - lo))];
  size_t c = (size_t)j * (size_t)w->nr + g;
  size_t clo = w->cell_start[c], chi = w->cell_start[c + 1];
  double base = clo > lo ? cum[clo - 1] : 0;
  double u = base + rng_double(r) * cell_weight(w, cum, j, (int)g);
  return (long)w->ind_firms[search_cum(cum, clo, chi, u)];
}

int world_cumulate(const world *w, const double *x, double *cum) {
  for (int i = 0; i < w->ni; i++) {
    double c = 0;
    for (size_t p = w->ind_start[i]; p < w->ind_start[i + 1]; p++) {
      double v = x[w->ind_firms[p]];
      c += v > 0 ? v : 0;
      cum[p] = c;
    }
  }
  return 0;
}

/* Chain-master belts: a firm is in a belt when it is a chain master or
 * supplies one (a master's supplier slot names it). */
static void index_belts(world *w) {
  firm_soa *f = &w->f;
  for (size_t k = 0; k < f->n; k++) f->belt[k] = f->alive[k] && f->master[k];
  for (size_t k = 0; k < f->n; k++) {
    if (!f->alive[k] || !f->master[k]) continue;
    for (size_t s = 0; s < f->nslot; s++)
      if (f->supplier[k * f->nslot + s] >= 0) f->belt[f->supplier[k * f->nslot + s]] = 1;
  }
}

int world_index(world *w) {
  if (index_industries(w) != 0) return -1;
  index_suppliers(w);
  index_belts(w);
  size_t need = reduce_scratch_len(w->f.cap, (size_t)w->ni * (size_t)w->nr * 64);
  if (need > w->scratch_len) {
    double *p = realloc(w->scratch, need * sizeof(double));
    if (!p) return -1;
    w->scratch = p;
    w->scratch_len = need;
  }
  return 0;
}

/* ---- money and invariants ------------------------------------------------ */

double world_money(const world *w) {
  double m = reduce_sum(w->f.cash, w->f.alive, w->f.n, w->threads);
  for (int k = 0; k < w->n_inst; k++) m += w->inst[k].cash;
  m += w->gov.cash;
  for (int a = 0; a < ACC_N; a++) m += w->acc[a];
  return m;
}

/* Relative tolerance of the checks that compare a difference of large sums
 * with zero: rounding errors scale with the magnitude of the terms. */
#define REL_TOL 1e-9

/* The magnitude of the money totals: every holding in absolute value (a
 * sum of large opposite balances rounds at their size, not at the net
 * total's), the initial money and this step's sales, and 1. */
static double money_magnitude(const world *w) {
  const firm_soa *f = &w->f;
  double s = fabs(w->money0) + fabs(w->gov.cash) + 1;
  for (size_t k = 0; k < f->n; k++)
    if (f->alive[k]) s += fabs(f->cash[k]) + fabs(f->sales[k]);
  for (int k = 0; k < w->n_inst; k++) s += fabs(w->inst[k].cash);
  for (int a = 0; a < ACC_N; a++) s += fabs(w->acc[a]);
  return s;
}

#define CHECK(cond, ...)                                                                           \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      set_err(err, errlen, __VA_ARGS__);                                                           \
      return -1;                                                                                   \
    }                                                                                              \
  } while (0)

/* Per-firm variables that are stocks (>= 0) and shares (in [0, 1]); every
 * FIRM_F64 variable must be finite. */
/* clang-format off */
#define FIRM_STOCKS(X)                                                               \
  X(capital) X(skilled) X(unskilled) X(inventory) X(data) X(knowledge) X(debt)       \
  X(tfp) X(price) X(share) X(output) X(sales) X(quality) X(credit_got) X(wages)
#define FIRM_SHARES(X) X(digital) X(legacy) X(autom) X(esg) X(reliability) X(fill)
/* clang-format on */
#define CHECK_FINITE(name)                                                                         \
  CHECK(isfinite(f->name[k]), "step %d: firm %zu: " #name " = %g is not finite", w->step, k,       \
        f->name[k]);
#define CHECK_STOCK(name)                                                                          \
  CHECK(f->name[k] >= 0, "step %d: firm %zu: " #name " = %g is negative", w->step, k, f->name[k]);
#define CHECK_SHARE(name)                                                                          \
  CHECK(f->name[k] >= 0 && f->name[k] <= 1, "step %d: firm %zu: " #name " = %g outside [0, 1]",    \
        w->step, k, f->name[k]);

static int check_firm(const world *w, size_t k, char *err, size_t errlen) {
  const firm_soa *f = &w->f;
  FIRM_F64(CHECK_FINITE)
  FIRM_STOCKS(CHECK_STOCK)
  FIRM_SHARES(CHECK_SHARE)
  CHECK(f->autom[k] <= 1 - f->legacy[k] + 1e-12,
        "step %d: firm %zu: automated share %g exceeds the modern share %g", w->step, k,
        f->autom[k], 1 - f->legacy[k]);
  CHECK(f->reg[k] != w->ext && f->reg[k] < w->nr, "step %d: firm %zu in region %d", w->step, k,
        f->reg[k]);
  for (size_t s = 0; s < f->nslot; s++) {
    int32_t sup = f->supplier[k * f->nslot + s];
    int m = (int)(s / (size_t)w->scn->firm.supplier_slots);
    const industry_state *is = &w->ind[f->ind[k]];
    if (m >= is->n_inputs) {
      CHECK(sup == SLOT_UNUSED, "step %d: firm %zu: slot %zu should be unused", w->step, k, s);
      continue;
    }
    CHECK(sup == SLOT_EXTERNAL ||
              (sup >= 0 && (size_t)sup < f->n && f->alive[sup] && f->ind[sup] == is->input[m]),
          "step %d: firm %zu: slot %zu names supplier %d, not a live firm of input industry %d",
          w->step, k, s, sup, is->input[m]);
  }
  return 0;
}

static int check_regions(const world *w, char *err, size_t errlen) {
  double emp_s[WORLD_MAX_REGIONS] = {0}, emp_u[WORLD_MAX_REGIONS] = {0};
  const firm_soa *f = &w->f;
  for (size_t k = 0; k < f->n; k++)
    if (f->alive[k]) {
      emp_s[f->reg[k]] += f->skilled[k];
      emp_u[f->reg[k]] += f->unskilled[k];
    }
  for (int r = 0; r < w->nr; r++) {
    const region_state *rs = &w->reg[r];
    /* pools are differences of large sums: zero up to rounding relative to
     * the labour force (-6e-13 next to 6e15 is zero), not absolutely */
    double scale = fabs(rs->force_s) + fabs(rs->force_u) + 1, zero = -REL_TOL * scale;
    CHECK(rs->pool_s >= zero && rs->pool_u >= zero && isfinite(rs->wage_s) &&
              isfinite(rs->wage_u) && rs->wage_s > 0 && rs->wage_u > 0,
          "step %d: region %d: pools %g/%g (labour force %g/%g) wages %g/%g", w->step, r,
          rs->pool_s, rs->pool_u, rs->force_s, rs->force_u, rs->wage_s, rs->wage_u);
    double tol = 1e-6 * scale;
    CHECK(fabs(emp_s[r] + rs->pool_s - rs->force_s) <= tol,
          "step %d: region %d: skilled employed %g + unemployed %g != labour force %g", w->step, r,
          emp_s[r], rs->pool_s, rs->force_s);
    CHECK(fabs(emp_u[r] + rs->pool_u - rs->force_u) <= tol,
          "step %d: region %d: unskilled employed %g + unemployed %g != labour force %g", w->step,
          r, emp_u[r], rs->pool_u, rs->force_u);
  }
  return 0;
}

int world_check(const world *w, char *err, size_t errlen) {
  const firm_soa *f = &w->f;
  for (size_t k = 0; k < f->n; k++)
    if (f->alive[k] && check_firm(w, k, err, errlen) != 0) return -1;
  if (check_regions(w, err, errlen) != 0) return -1;
  for (int k = 0; k < w->n_inst; k++)
    CHECK(isfinite(w->inst[k].cash) && w->inst[k].knowledge >= 0,
          "step %d: institute %d: cash %g knowledge %g", w->step, k, w->inst[k].cash,
          w->inst[k].knowledge);
  CHECK(isfinite(w->gov.cash), "step %d: government cash %g", w->step, w->gov.cash);
  double m = world_money(w), scale = money_magnitude(w);
  CHECK(fabs(m - w->money0) <= 1e-9 * scale,
        "step %d: money not conserved: %.17g now, %.17g at start (difference %g CNY, more than "
        "1e-9 of the %g CNY moved and held)",
        w->step, m, w->money0, m - w->money0, scale);
  return 0;
}
