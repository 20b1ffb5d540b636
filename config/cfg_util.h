/* cfg_util: helpers shared by the scenario loader modules (config/config.c and
 * config/cfg_*.c): positions and error collection, key paths, "did you mean"
 * hints, a growable text buffer, strict number parsing with shortest
 * round-trip formatting, and a pool of interned strings (file names).
 *
 * Invariants:
 *  - cfg_err never writes past its buffer, keeps it NUL-terminated, and holds
 *    at most CFG_MAX_ERRORS messages separated by '\n', each of the form
 *    "FILE:LINE:COLUMN: KEY.PATH: message" ("FILE: ..." when line is 0);
 *  - cfg_path is a fixed buffer: overlong paths are truncated, never overrun;
 *  - cfg_buf records allocation failure in `oom` instead of failing later
 *    calls; cfg_buf_take then returns NULL and frees the text;
 *  - strings handed out by cfg_pool live until cfg_pool_free.
 *
 * Included by: config/ and the layers above that report positioned errors (drivers/, cli/).
 */
#ifndef NQP_CFG_UTIL_H
#define NQP_CFG_UTIL_H

#include <stddef.h>

/* A position in a source: FILE (pool-owned) and 1-based LINE and COLUMN;
 * LINE 0 means "no line" (e.g. a --set override, whose FILE is the label). */
typedef struct cfg_pos {
  const char *file;
  int line;
  int col;
} cfg_pos;

#define CFG_MAX_ERRORS 8 /* messages kept; further ones are counted away */

typedef struct cfg_err {
  char *buf;   /* caller's buffer (may be NULL) */
  size_t cap;  /* its size */
  size_t used; /* bytes written, excluding the NUL */
  int count;   /* messages written */
  int dropped; /* 1 once a message beyond CFG_MAX_ERRORS was refused */
} cfg_err;

void cfg_err_init(cfg_err *e, char *buf, size_t cap);
/* Appends "POS: PATH: message" (POS and PATH omitted when NULL or empty). */
void cfg_error(cfg_err *e, const cfg_pos *pos, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* 1 once a message beyond CFG_MAX_ERRORS was refused (callers stop early:
 * the output then ends with "(further errors not shown)"). */
int cfg_err_full(const cfg_err *e);

#define CFG_PATH_MAX 512

/* Dotted key path such as "industries.nev.markup" or "tags[2]". */
typedef struct cfg_path {
  char buf[CFG_PATH_MAX];
  size_t len;
} cfg_path;

void cfg_path_init(cfg_path *p);
/* Each returns the previous length, for cfg_path_restore. */
size_t cfg_path_key(cfg_path *p, const char *key);
size_t cfg_path_index(cfg_path *p, size_t i);
/* List item: ".ID" when ID is not NULL, else "[I]". */
size_t cfg_path_item(cfg_path *p, const char *id, size_t i);
void cfg_path_restore(cfg_path *p, size_t len);

/* Writes into BUF (LEN bytes) " (did you mean \"X\"?)" for the candidate of
 * NAMES closest to WORD (Damerau-Levenshtein distance <= 2, case-insensitive,
 * scaled to the length); else, when LIST, " (one of: a, b, ...)" (first
 * CFG_HINT_NAMES names, or " (none defined)" for no names); else "". */
#define CFG_HINT_NAMES 12
void cfg_hint(const char *word, const char *const *names, size_t n, int list, char *buf,
              size_t len);
/* Joins up to CFG_HINT_NAMES NAMES with ", " into BUF. */
void cfg_join(const char *const *names, size_t n, char *buf, size_t len);

typedef struct cfg_buf {
  char *s;
  size_t len, cap;
  int oom;
} cfg_buf;

void cfg_buf_printf(cfg_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cfg_buf_puts(cfg_buf *b, const char *s);
/* Returns the heap text ("" when empty), or NULL after an allocation failure. */
char *cfg_buf_take(cfg_buf *b);

enum { CFG_NUM_OK = 0, CFG_NUM_BAD = 1, CFG_NUM_INF = 2 };
/* Strict decimal number: [+-](digits[.digits]|.digits)([eE][+-]digits).
 * Returns CFG_NUM_OK and *OUT, CFG_NUM_BAD for anything else, CFG_NUM_INF for
 * infinities, NaN (.inf, .nan, inf, nan...) and overflow (1e999). */
int cfg_parse_number(const char *s, double *out);
/* Shortest "%.Ng" (N = 15..17) that reads back as exactly V; "inf", "-inf",
 * "nan" for non-finite values. OUT must hold CFG_NUM_LEN bytes. */
#define CFG_NUM_LEN 32
void cfg_fmt_double(double v, char *out);

typedef struct cfg_pool {
  char **v;
  size_t n, cap;
} cfg_pool;

/* Interned copy of a formatted string; NULL on allocation failure. */
const char *cfg_pool_printf(cfg_pool *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void cfg_pool_free(cfg_pool *p);

#endif
