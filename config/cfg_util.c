/* cfg_util: error collection, key paths, "did you mean" hints, text buffers,
 * number parsing/formatting and the string pool of the scenario loader.
 *
 * Invariants: see config/cfg_util.h. Nothing here reads YAML or the schema;
 * every function is bounded (hints compare at most CFG_DYM_MAXLEN
 * characters, so hostile input stays cheap).
 */
#include "config/cfg_util.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- errors ---------------------------------------------------------- */

void cfg_err_init(cfg_err *e, char *buf, size_t cap) {
  e->buf = buf;
  e->cap = buf ? cap : 0;
  e->used = 0;
  e->count = 0;
  e->dropped = 0;
  if (e->cap) e->buf[0] = '\0';
}

static void cfg_err_vappend(cfg_err *e, const char *fmt, va_list ap) {
  if (e->used + 1 >= e->cap) return;
  int n = vsnprintf(e->buf + e->used, e->cap - e->used, fmt, ap);
  if (n < 0) return;
  e->used += (size_t)n;
  if (e->used >= e->cap) e->used = e->cap - 1;
}

static void cfg_err_append(cfg_err *e, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  cfg_err_vappend(e, fmt, ap);
  va_end(ap);
}

int cfg_err_full(const cfg_err *e) {
  return e->dropped;
}

void cfg_error(cfg_err *e, const cfg_pos *pos, const char *path, const char *fmt, ...) {
  if (e->count >= CFG_MAX_ERRORS) {
    if (!e->dropped) cfg_err_append(e, "\n(further errors not shown)");
    e->dropped = 1;
    return;
  }
  if (e->count++ > 0) cfg_err_append(e, "\n");
  if (pos && pos->file && pos->line > 0)
    cfg_err_append(e, "%s:%d:%d: ", pos->file, pos->line, pos->col);
  else if (pos && pos->file)
    cfg_err_append(e, "%s: ", pos->file);
  if (path && *path) cfg_err_append(e, "%s: ", path);
  va_list ap;
  va_start(ap, fmt);
  cfg_err_vappend(e, fmt, ap);
  va_end(ap);
}

/* ---- key paths ------------------------------------------------------- */

void cfg_path_init(cfg_path *p) {
  p->buf[0] = '\0';
  p->len = 0;
}

static size_t cfg_path_add(cfg_path *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static size_t cfg_path_add(cfg_path *p, const char *fmt, ...) {
  size_t old = p->len;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(p->buf + p->len, CFG_PATH_MAX - p->len, fmt, ap);
  va_end(ap);
  if (n > 0) p->len += (size_t)n;
  if (p->len >= CFG_PATH_MAX) p->len = CFG_PATH_MAX - 1;
  return old;
}

size_t cfg_path_key(cfg_path *p, const char *key) {
  return p->len ? cfg_path_add(p, ".%s", key) : cfg_path_add(p, "%s", key);
}

size_t cfg_path_index(cfg_path *p, size_t i) {
  return cfg_path_add(p, "[%zu]", i);
}

size_t cfg_path_item(cfg_path *p, const char *id, size_t i) {
  return id ? cfg_path_key(p, id) : cfg_path_index(p, i);
}

void cfg_path_restore(cfg_path *p, size_t len) {
  p->len = len;
  p->buf[len] = '\0';
}

/* ---- did you mean ---------------------------------------------------- */

#define CFG_DYM_MAXLEN 64

static int cfg_min3(int a, int b, int c) {
  int m = a < b ? a : b;
  return m < c ? m : c;
}

/* Optimal-string-alignment distance, case-insensitive; both lengths are at
 * most CFG_DYM_MAXLEN. */
static int cfg_osa(const char *a, int la, const char *b, int lb) {
  int rows[3][CFG_DYM_MAXLEN + 1];
  int *pp = rows[0], *prev = rows[1], *cur = rows[2];
  for (int j = 0; j <= lb; j++) prev[j] = j;
  for (int i = 1; i <= la; i++) {
    cur[0] = i;
    for (int j = 1; j <= lb; j++) {
      int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
      int cost = ca != cb;
      cur[j] = cfg_min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
          tolower((unsigned char)a[i - 2]) == cb && pp[j - 2] + 1 < cur[j])
        cur[j] = pp[j - 2] + 1;
    }
    int *t = pp;
    pp = prev;
    prev = cur;
    cur = t;
  }
  return prev[lb];
}

/* Distance of CAND to WORD, or INT_MAX when too far to be a useful hint. */
static int cfg_hint_distance(const char *word, const char *cand) {
  size_t lw = strlen(word), lc = strlen(cand);
  if (lw > CFG_DYM_MAXLEN || lc > CFG_DYM_MAXLEN) return INT_MAX;
  int d = cfg_osa(word, (int)lw, cand, (int)lc);
  if (d == 0 && strcmp(word, cand) != 0) d = 1; /* differs in case only */
  int longest = (int)(lw > lc ? lw : lc);
  if (d == 0 || d > 2 || d * 3 > longest + 1) return INT_MAX;
  return d;
}

void cfg_join(const char *const *names, size_t n, char *buf, size_t len) {
  size_t used = 0;
  if (len == 0) return;
  buf[0] = '\0';
  for (size_t i = 0; i < n && i < CFG_HINT_NAMES && used + 1 < len; i++) {
    int k = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", names[i]);
    if (k < 0) break;
    used += (size_t)k;
  }
  if (n > CFG_HINT_NAMES && used + 1 < len) snprintf(buf + used, len - used, ", ...");
}

void cfg_hint(const char *word, const char *const *names, size_t n, int list, char *buf,
              size_t len) {
  const char *best = NULL;
  int bestd = INT_MAX;
  if (len == 0) return;
  buf[0] = '\0';
  for (size_t i = 0; i < n; i++) {
    int d = names[i] ? cfg_hint_distance(word, names[i]) : INT_MAX;
    if (d < bestd) bestd = d, best = names[i];
  }
  if (best) {
    snprintf(buf, len, " (did you mean \"%s\"?)", best);
  } else if (list && n == 0) {
    snprintf(buf, len, " (none defined)");
  } else if (list) {
    char names_text[512];
    cfg_join(names, n, names_text, sizeof names_text);
    snprintf(buf, len, " (one of: %s)", names_text);
  }
}

/* ---- text buffer ----------------------------------------------------- */

static int cfg_buf_reserve(cfg_buf *b, size_t extra) {
  if (b->oom) return -1;
  if (b->len + extra + 1 <= b->cap) return 0;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + extra + 1) cap *= 2;
  char *s = realloc(b->s, cap);
  if (!s) {
    b->oom = 1;
    return -1;
  }
  b->s = s;
  b->cap = cap;
  return 0;
}

void cfg_buf_printf(cfg_buf *b, const char *fmt, ...) {
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  if (n >= 0 && cfg_buf_reserve(b, (size_t)n) == 0) {
    vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap2);
    b->len += (size_t)n;
  }
  va_end(ap2);
  va_end(ap);
}

void cfg_buf_puts(cfg_buf *b, const char *s) {
  size_t n = strlen(s);
  if (cfg_buf_reserve(b, n)) return;
  memcpy(b->s + b->len, s, n + 1);
  b->len += n;
}

char *cfg_buf_take(cfg_buf *b) {
  char *s = NULL;
  if (!b->oom && cfg_buf_reserve(b, 0) == 0) {
    b->s[b->len] = '\0';
    s = b->s;
  } else {
    free(b->s);
  }
  b->s = NULL;
  b->len = b->cap = 0;
  return s;
}

/* ---- numbers --------------------------------------------------------- */

static int cfg_is_nonfinite_word(const char *p) {
  static const char *const words[] = {".inf", ".nan", "inf", "nan", "infinity"};
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    if (strcasecmp(p, words[i]) == 0) return 1;
  return 0;
}

static const char *cfg_skip_digits(const char *p, size_t *count) {
  while (isdigit((unsigned char)*p)) p++, (*count)++;
  return p;
}

int cfg_parse_number(const char *s, double *out) {
  const char *p = s;
  size_t digits = 0, exp_digits = 0;
  if (*p == '+' || *p == '-') p++;
  if (cfg_is_nonfinite_word(p)) return CFG_NUM_INF;
  p = cfg_skip_digits(p, &digits);
  if (*p == '.') p = cfg_skip_digits(p + 1, &digits);
  if (digits == 0) return CFG_NUM_BAD;
  if (*p == 'e' || *p == 'E') {
    p++;
    if (*p == '+' || *p == '-') p++;
    p = cfg_skip_digits(p, &exp_digits);
    if (exp_digits == 0) return CFG_NUM_BAD;
  }
  if (*p) return CFG_NUM_BAD;
  double v = strtod(s, NULL);
  if (!isfinite(v)) return CFG_NUM_INF;
  *out = v;
  return CFG_NUM_OK;
}

void cfg_fmt_double(double v, char *out) {
  if (isnan(v)) {
    snprintf(out, CFG_NUM_LEN, "nan");
    return;
  }
  if (isinf(v)) {
    snprintf(out, CFG_NUM_LEN, v < 0 ? "-inf" : "inf");
    return;
  }
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(out, CFG_NUM_LEN, "%.*g", prec, v);
    if (strtod(out, NULL) == v) return;
  }
}

/* ---- string pool ----------------------------------------------------- */

const char *cfg_pool_printf(cfg_pool *p, const char *fmt, ...) {
  if (p->n == p->cap) {
    size_t cap = p->cap ? 2 * p->cap : 8;
    char **v = realloc(p->v, cap * sizeof *v);
    if (!v) return NULL;
    p->v = v;
    p->cap = cap;
  }
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
  if (s) vsnprintf(s, (size_t)n + 1, fmt, ap2);
  va_end(ap2);
  va_end(ap);
  if (s) p->v[p->n++] = s;
  return s;
}

void cfg_pool_free(cfg_pool *p) {
  for (size_t i = 0; i < p->n; i++) free(p->v[i]);
  free(p->v);
  p->v = NULL;
  p->n = p->cap = 0;
}
