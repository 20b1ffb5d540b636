/* cfg_bind: binds the merged YAML tree to the schema, then checks unique
 * ids, cross references and runs the check hooks (three passes; a pass runs
 * only when the previous one reported nothing).
 *
 * Invariants:
 *  - a heap array is stored into the object, with its count, right after
 *    its (zeroed) allocation, so a failure at any point leaves an object
 *    that cfg_free releases completely;
 *  - b->path is the key path of the value being bound/checked; every
 *    function restores it before returning;
 *  - passes stop early once CFG_MAX_ERRORS messages are collected.
 */
#include "config/cfg_bind.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CFG_REF_CACHE 16

/* Ids of the list named by a `ref` path (cached per path). */
typedef struct cfg_idset {
  const char *ref;
  char **ids;    /* heap strings, list order */
  char **sorted; /* same strings, strcmp order */
  size_t n;
  int bad; /* the ref path does not name a list of items with ids */
} cfg_idset;

typedef struct cfg_binder {
  cfg_err *e;
  cfg_path path;
  const sch_schema *root;
  const void *root_obj;
  cfg_idset refs[CFG_REF_CACHE];
  size_t nrefs;
} cfg_binder;

struct sch_ctx {
  cfg_binder *b;
  const cfg_node *map; /* the checked object's mapping, or NULL (defaults) */
  const cfg_pos *at;   /* the checked object's position */
};

static void cfg_bind_struct(cfg_binder *b, const sch_schema *s, char *obj, const cfg_node *node,
                            const cfg_pos *at);

/* ---- field descriptions --------------------------------------------- */

const sch_field *cfg_field(const sch_schema *s, const char *key) {
  for (size_t i = 0; i < s->nfields; i++)
    if (strcmp(s->fields[i].key, key) == 0) return &s->fields[i];
  return NULL;
}

void cfg_field_hint(const sch_schema *s, const char *key, char *buf, size_t len) {
  const char **names = s->nfields ? malloc(s->nfields * sizeof *names) : NULL;
  buf[0] = '\0';
  if (s->nfields && !names) return;
  for (size_t i = 0; i < s->nfields; i++) names[i] = s->fields[i].key;
  cfg_hint(key, names, s->nfields, 1, buf, len);
  free(names);
}

static int cfg_unbounded(const sch_field *f) {
  return f->min == 0 && f->max == 0;
}

void cfg_range(const sch_field *f, char *buf, size_t len) {
  char lo[CFG_NUM_LEN], hi[CFG_NUM_LEN];
  if (cfg_unbounded(f)) {
    buf[0] = '\0';
    return;
  }
  cfg_fmt_double(f->min, lo);
  cfg_fmt_double(f->max, hi);
  snprintf(buf, len, "[%s, %s]", lo, hi);
}

static void cfg_expect_number(const sch_field *f, int integer, char *buf, size_t len) {
  char range[2 * CFG_NUM_LEN + 8];
  cfg_range(f, range, sizeof range);
  int has_unit = f->unit && f->unit[0];
  snprintf(buf, len, "%s%s%s%s%s%s", integer ? "an integer" : "a number", range[0] ? " in " : "",
           range, has_unit ? " (" : "", has_unit ? f->unit : "", has_unit ? ")" : "");
}

static void cfg_expect_enum(const sch_field *f, char *buf, size_t len) {
  size_t n = 0;
  while (f->enum_names && f->enum_names[n]) n++;
  char names[512];
  cfg_join((const char *const *)f->enum_names, n, names, sizeof names);
  snprintf(buf, len, "one of: %s", names);
}

static void cfg_expect_list(const sch_field *f, char *buf, size_t len) {
  const char *name = f->sub && f->sub->name ? f->sub->name : "items";
  if (f->max > 0)
    snprintf(buf, len, "a list of %g to %g items (%s)", f->min, f->max, name);
  else
    snprintf(buf, len, "a list of items (%s)", name);
}

void cfg_expect(const sch_field *f, char *buf, size_t len) {
  char num[192];
  switch (f->type) {
  case SCH_BOOL:
    snprintf(buf, len, "true or false");
    break;
  case SCH_INT:
    cfg_expect_number(f, 1, buf, len);
    break;
  case SCH_DOUBLE:
    cfg_expect_number(f, 0, buf, len);
    break;
  case SCH_STRING:
    if (f->ref)
      snprintf(buf, len, "the id of an item of %s", f->ref);
    else
      snprintf(buf, len, "a string");
    break;
  case SCH_ENUM:
    cfg_expect_enum(f, buf, len);
    break;
  case SCH_STRUCT:
    snprintf(buf, len, "a mapping (%s)", f->sub->name ? f->sub->name : "struct");
    break;
  case SCH_LIST:
    cfg_expect_list(f, buf, len);
    break;
  case SCH_MAP_DOUBLE:
    cfg_expect_number(f, 0, num, sizeof num);
    snprintf(buf, len, "a mapping of %s%s to %s", f->ref ? "ids of " : "keys", f->ref ? f->ref : "",
             num);
    break;
  case SCH_STRING_LIST:
    if (f->ref)
      snprintf(buf, len, "a list of ids of %s", f->ref);
    else
      snprintf(buf, len, "a list of strings");
    break;
  }
}

/* ---- scalars --------------------------------------------------------- */

static void cfg_mismatch(cfg_binder *b, const cfg_node *v, const char *want, const char *extra) {
  char found[96];
  cfg_describe(v, found, sizeof found);
  cfg_error(b->e, &v->pos, b->path.buf, "expected %s, found %s%s", want, found, extra);
}

static void cfg_oom(cfg_binder *b, const cfg_pos *pos) {
  cfg_error(b->e, pos, b->path.buf, "out of memory");
}

static int cfg_in_range(const sch_field *f, double x, int integer) {
  double lo = f->min, hi = f->max;
  if (cfg_unbounded(f)) {
    lo = integer ? (double)INT_MIN : -HUGE_VAL;
    hi = integer ? (double)INT_MAX : HUGE_VAL;
  }
  if (integer && (x != floor(x) || x < (double)INT_MIN || x > (double)INT_MAX)) return 0;
  return x >= lo && x <= hi;
}

/* A number for F from the plain scalar V (INTEGER: integral, int-sized). */
static int cfg_number(cfg_binder *b, const sch_field *f, const cfg_node *v, int integer,
                      double *out) {
  double x = 0;
  int r = CFG_NUM_BAD;
  if (v->kind == CFG_SCALAR && v->plain) r = cfg_parse_number(v->text, &x);
  if (r == CFG_NUM_OK && cfg_in_range(f, x, integer)) {
    *out = x;
    return 0;
  }
  char want[192];
  cfg_expect_number(f, integer, want, sizeof want);
  cfg_mismatch(b, v, want, r == CFG_NUM_INF ? " (numbers must be finite)" : "");
  return -1;
}

static void cfg_bind_bool(cfg_binder *b, int *out, const cfg_node *v) {
  if (v->kind == CFG_SCALAR && v->plain && strcmp(v->text, "true") == 0)
    *out = 1;
  else if (v->kind == CFG_SCALAR && v->plain && strcmp(v->text, "false") == 0)
    *out = 0;
  else
    cfg_mismatch(b, v, "true or false", "");
}

/* A null (~, null, an empty plain value) is not a string: for a required
 * field or one with a default it is refused at its position like any other
 * mismatch (bound as NULL it would print as "(null)" and lose the
 * default); only a field without a default (where NULL means "none") takes
 * it. Write "" for an empty string. */
static void cfg_bind_string(cfg_binder *b, const sch_field *f, char **out, const cfg_node *v) {
  int null = cfg_is_null(v);
  if (v->kind != CFG_SCALAR || (null && (f->required || f->def_str))) {
    cfg_mismatch(b, v, "a string", null ? " (write \"\" for an empty string)" : "");
  } else if (!null) {
    *out = strdup(v->text);
    if (!*out) cfg_oom(b, &v->pos);
  }
}

static int cfg_enum_index(const sch_field *f, const char *name) {
  for (int i = 0; f->enum_names && f->enum_names[i]; i++)
    if (strcmp(f->enum_names[i], name) == 0) return i;
  return -1;
}

static void cfg_bind_enum(cfg_binder *b, const sch_field *f, int *out, const cfg_node *v) {
  int idx = v->kind == CFG_SCALAR && !cfg_is_null(v) ? cfg_enum_index(f, v->text) : -1;
  if (idx >= 0) {
    *out = idx;
    return;
  }
  char want[600], hint[128] = "";
  size_t n = 0;
  while (f->enum_names && f->enum_names[n]) n++;
  cfg_expect_enum(f, want, sizeof want);
  if (v->kind == CFG_SCALAR)
    cfg_hint(v->text, (const char *const *)f->enum_names, n, 0, hint, sizeof hint);
  cfg_mismatch(b, v, want, hint);
}

/* ---- containers ------------------------------------------------------ */

/* Length of a list within [min, max] when max > 0; reports otherwise. */
static int cfg_check_length(cfg_binder *b, const sch_field *f, size_t n, const cfg_pos *pos) {
  if (f->max <= 0 || ((double)n >= f->min && (double)n <= f->max)) return 0;
  if (f->min == f->max)
    cfg_error(b->e, pos, b->path.buf, "expected exactly %g items, found %zu", f->min, n);
  else
    cfg_error(b->e, pos, b->path.buf, "expected %g to %g items, found %zu", f->min, f->max, n);
  return -1;
}

/* Item id as text: the string, or the int formatted into TMP; NULL if none. */
static const char *cfg_id_of(const sch_field *idf, const char *item, char *tmp) {
  if (idf->type == SCH_STRING) return *(char *const *)(item + idf->offset);
  if (idf->type != SCH_INT) return NULL;
  snprintf(tmp, 16, "%d", *(const int *)(item + idf->offset));
  return tmp;
}

typedef struct cfg_idrec {
  const char *s; /* string id, or NULL: use num */
  char num[16];
  size_t i;
} cfg_idrec;

static const char *cfg_idrec_str(const cfg_idrec *r) {
  return r->s ? r->s : r->num;
}

static int cfg_idrec_cmp(const void *a, const void *b) {
  const cfg_idrec *x = a, *y = b;
  int c = strcmp(cfg_idrec_str(x), cfg_idrec_str(y));
  return c ? c : (x->i < y->i ? -1 : x->i > y->i);
}

static const cfg_pos *cfg_id_pos(const cfg_node *item) {
  const cfg_entry *en = cfg_map_find(item, "id");
  return en ? &en->val->pos : &item->pos;
}

/* Reports the earliest second use of an id among the sorted records R. */
static void cfg_report_dup(cfg_binder *b, const cfg_idrec *r, size_t n, const cfg_node *seq) {
  const cfg_idrec *dup = NULL, *first = NULL;
  for (size_t i = 1, run = 0; i < n; i++) {
    if (strcmp(cfg_idrec_str(&r[i]), cfg_idrec_str(&r[run])) != 0)
      run = i;
    else if (!dup || r[i].i < dup->i)
      dup = &r[i], first = &r[run];
  }
  if (!dup) return;
  const cfg_pos *p1 = cfg_id_pos(seq->items[first->i]);
  size_t saved = cfg_path_key(&b->path, cfg_idrec_str(dup));
  cfg_path_key(&b->path, "id");
  cfg_error(b->e, cfg_id_pos(seq->items[dup->i]), b->path.buf,
            "duplicate id \"%s\" (first used at %s:%d:%d)", cfg_idrec_str(dup), p1->file, p1->line,
            p1->col);
  cfg_path_restore(&b->path, saved);
}

static void cfg_check_ids(cfg_binder *b, const sch_field *f, const char *items,
                          const cfg_node *seq) {
  const sch_field *idf = cfg_field(f->sub, "id");
  if (!idf || seq->n < 2) return;
  cfg_idrec *r = calloc(seq->n, sizeof *r);
  size_t n = 0;
  if (!r) {
    cfg_oom(b, &seq->pos);
    return;
  }
  for (size_t i = 0; i < seq->n; i++) {
    const char *id = cfg_id_of(idf, items + i * f->sub->size, r[n].num);
    if (!id) continue;
    r[n].s = idf->type == SCH_STRING ? id : NULL;
    r[n++].i = i;
  }
  qsort(r, n, sizeof *r, cfg_idrec_cmp);
  cfg_report_dup(b, r, n, seq);
  free(r);
}

static void cfg_bind_list(cfg_binder *b, const sch_field *f, char *obj, const cfg_node *v) {
  if (cfg_is_null(v)) {
    cfg_check_length(b, f, 0, &v->pos);
    return;
  }
  char want[160];
  cfg_expect(f, want, sizeof want);
  if (v->kind != CFG_SEQ) {
    cfg_mismatch(b, v, want, "");
    return;
  }
  if (cfg_check_length(b, f, v->n, &v->pos) || v->n == 0) return;
  size_t size = f->sub->size ? f->sub->size : 1;
  char *items = calloc(v->n, size);
  if (!items) {
    cfg_oom(b, &v->pos);
    return;
  }
  *(void **)(obj + f->offset) = items;
  *(int *)(obj + f->count_offset) = (int)v->n;
  for (size_t i = 0; i < v->n && !cfg_err_full(b->e); i++) {
    const cfg_node *it = v->items[i];
    size_t saved = cfg_path_item(&b->path, cfg_item_id(it), i);
    cfg_bind_struct(b, f->sub, items + i * f->sub->size, it, &it->pos);
    cfg_path_restore(&b->path, saved);
  }
  cfg_check_ids(b, f, items, v);
}

static void cfg_bind_map(cfg_binder *b, const sch_field *f, char *obj, const cfg_node *v) {
  char want[256];
  if (cfg_is_null(v)) return;
  cfg_expect(f, want, sizeof want);
  if (v->kind != CFG_MAP) {
    cfg_mismatch(b, v, want, "");
    return;
  }
  if (v->n == 0) return;
  sch_kv *kv = calloc(v->n, sizeof *kv);
  if (!kv) {
    cfg_oom(b, &v->pos);
    return;
  }
  *(sch_kv **)(obj + f->offset) = kv;
  *(int *)(obj + f->count_offset) = (int)v->n;
  for (size_t i = 0; i < v->n && !cfg_err_full(b->e); i++) {
    const cfg_entry *en = &v->entries[i];
    size_t saved = cfg_path_key(&b->path, en->key);
    kv[i].key = strdup(en->key);
    if (!kv[i].key)
      cfg_oom(b, &en->kpos);
    else
      cfg_number(b, f, en->val, 0, &kv[i].value);
    cfg_path_restore(&b->path, saved);
  }
}

static void cfg_bind_strings(cfg_binder *b, const sch_field *f, char *obj, const cfg_node *v) {
  if (cfg_is_null(v)) return;
  if (v->kind != CFG_SEQ) {
    cfg_mismatch(b, v, "a list of strings", "");
    return;
  }
  if (v->n == 0) return;
  char **s = calloc(v->n, sizeof *s);
  if (!s) {
    cfg_oom(b, &v->pos);
    return;
  }
  *(char ***)(obj + f->offset) = s;
  *(int *)(obj + f->count_offset) = (int)v->n;
  for (size_t i = 0; i < v->n && !cfg_err_full(b->e); i++) {
    const cfg_node *it = v->items[i];
    size_t saved = cfg_path_index(&b->path, i);
    if (it->kind != CFG_SCALAR || cfg_is_null(it))
      cfg_mismatch(b, it, "a string", "");
    else if (!(s[i] = strdup(it->text)))
      cfg_oom(b, &it->pos);
    cfg_path_restore(&b->path, saved);
  }
}

/* ---- structs --------------------------------------------------------- */

static void cfg_bind_value(cfg_binder *b, const sch_field *f, char *obj, const cfg_entry *en) {
  const cfg_node *v = en->val;
  char *p = obj + f->offset;
  double x;
  switch (f->type) {
  case SCH_BOOL:
    cfg_bind_bool(b, (int *)p, v);
    break;
  case SCH_INT:
    if (cfg_number(b, f, v, 1, &x) == 0) *(int *)p = (int)x;
    break;
  case SCH_DOUBLE:
    cfg_number(b, f, v, 0, (double *)p);
    break;
  case SCH_STRING:
    cfg_bind_string(b, f, (char **)p, v);
    break;
  case SCH_ENUM:
    cfg_bind_enum(b, f, (int *)p, v);
    break;
  case SCH_STRUCT:
    cfg_bind_struct(b, f->sub, p, v, &en->kpos);
    break;
  case SCH_LIST:
    cfg_bind_list(b, f, obj, v);
    break;
  case SCH_MAP_DOUBLE:
    cfg_bind_map(b, f, obj, v);
    break;
  case SCH_STRING_LIST:
    cfg_bind_strings(b, f, obj, v);
    break;
  }
}

static void cfg_schema_error(cfg_binder *b, const cfg_pos *pos, const char *what) {
  cfg_error(b->e, pos, b->path.buf, "internal schema error: %s", what);
}

/* Fills F with its default; POS is the enclosing mapping's position. */
static void cfg_bind_default(cfg_binder *b, const sch_field *f, char *obj, const cfg_pos *pos) {
  char *p = obj + f->offset, want[256];
  if (f->required) {
    cfg_expect(f, want, sizeof want);
    cfg_error(b->e, pos, b->path.buf, "missing required key \"%s\" (expected %s)", f->key, want);
    return;
  }
  int numeric = f->type == SCH_INT || f->type == SCH_DOUBLE;
  if (numeric && !cfg_in_range(f, f->def, f->type == SCH_INT)) {
    cfg_schema_error(b, pos, "default outside the field's range");
    return;
  }
  switch (f->type) {
  case SCH_BOOL:
    *(int *)p = f->def != 0;
    break;
  case SCH_INT:
    *(int *)p = (int)f->def;
    break;
  case SCH_DOUBLE:
    *(double *)p = f->def;
    break;
  case SCH_STRING:
    if (f->def_str && !(*(char **)p = strdup(f->def_str))) cfg_oom(b, pos);
    break;
  case SCH_ENUM:
    *(int *)p = f->def_str ? cfg_enum_index(f, f->def_str) : 0;
    if (*(int *)p < 0) cfg_schema_error(b, pos, "default is not one of the enum names");
    break;
  case SCH_STRUCT:
    cfg_bind_struct(b, f->sub, p, NULL, pos);
    break;
  case SCH_LIST:
    cfg_check_length(b, f, 0, pos);
    break;
  case SCH_MAP_DOUBLE:
  case SCH_STRING_LIST:
    break;
  }
}

static void cfg_bind_entries(cfg_binder *b, const sch_schema *s, char *obj, const cfg_node *map) {
  char hint[640];
  for (size_t i = 0; i < map->n && !cfg_err_full(b->e); i++) {
    const cfg_entry *en = &map->entries[i];
    const sch_field *f = cfg_field(s, en->key);
    size_t saved = cfg_path_key(&b->path, en->key);
    if (f) {
      cfg_bind_value(b, f, obj, en);
    } else {
      cfg_field_hint(s, en->key, hint, sizeof hint);
      cfg_error(b->e, &en->kpos, b->path.buf, "unknown key \"%s\" in %s%s", en->key,
                s->name ? s->name : "this mapping", hint);
    }
    cfg_path_restore(&b->path, saved);
  }
}

/* Binds NODE (a mapping, null or absent = NULL) to S; AT is the position
 * for messages about absent keys when NODE is NULL. */
static void cfg_bind_struct(cfg_binder *b, const sch_schema *s, char *obj, const cfg_node *node,
                            const cfg_pos *at) {
  char want[160];
  if (node && node->kind != CFG_MAP && !cfg_is_null(node)) {
    snprintf(want, sizeof want, "a mapping (%s)", s->name ? s->name : "struct");
    {
      cfg_mismatch(b, node, want, "");
      return;
    }
  }
  const cfg_node *map = node && node->kind == CFG_MAP ? node : NULL;
  const cfg_pos *pos = node ? &node->pos : at;
  if (map) cfg_bind_entries(b, s, obj, map);
  for (size_t i = 0; i < s->nfields && !cfg_err_full(b->e); i++) {
    const sch_field *f = &s->fields[i];
    if (map && cfg_map_find(map, f->key)) continue;
    size_t saved = cfg_path_key(&b->path, f->key);
    cfg_bind_default(b, f, obj, pos);
    cfg_path_restore(&b->path, saved);
  }
}

/* ---- references ------------------------------------------------------ */

static int cfg_strp_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The list field named by the dotted REF from the root, and its owner. */
static const sch_field *cfg_ref_list(const cfg_binder *b, const char *ref, const char **owner) {
  const sch_schema *s = b->root;
  const char *obj = b->root_obj, *p = ref;
  char seg[128];
  for (;;) {
    size_t len = strcspn(p, ".");
    if (len == 0 || len >= sizeof seg) return NULL;
    memcpy(seg, p, len);
    seg[len] = '\0';
    const sch_field *f = cfg_field(s, seg);
    if (!f) return NULL;
    if (p[len] == '\0') {
      *owner = obj;
      return f->type == SCH_LIST ? f : NULL;
    }
    if (f->type != SCH_STRUCT) return NULL;
    obj += f->offset;
    s = f->sub;
    p += len + 1;
  }
}

static int cfg_idset_fill(cfg_binder *b, cfg_idset *set) {
  const char *owner = NULL;
  const sch_field *f = cfg_ref_list(b, set->ref, &owner);
  const sch_field *idf = f ? cfg_field(f->sub, "id") : NULL;
  if (!idf || (idf->type != SCH_STRING && idf->type != SCH_INT)) {
    set->bad = 1;
    return 0;
  }
  const char *items = *(char *const *)(owner + f->offset);
  size_t n = (size_t) * (const int *)(owner + f->count_offset);
  set->ids = calloc(n + 1, sizeof *set->ids);
  set->sorted = calloc(n + 1, sizeof *set->sorted);
  if (!set->ids || !set->sorted) return -1;
  for (size_t i = 0; i < n; i++) {
    char tmp[16];
    const char *id = cfg_id_of(idf, items + i * f->sub->size, tmp);
    if (!id) continue;
    if (!(set->ids[set->n] = strdup(id))) return -1;
    set->sorted[set->n] = set->ids[set->n];
    set->n++;
  }
  qsort(set->sorted, set->n, sizeof *set->sorted, cfg_strp_cmp);
  return 0;
}

static void cfg_idset_free(cfg_idset *set) {
  for (size_t i = 0; set->ids && i < set->n; i++) free(set->ids[i]);
  free(set->ids);
  free(set->sorted);
  memset(set, 0, sizeof *set);
}

/* The ids of REF (NULL on allocation failure). */
static cfg_idset *cfg_ref_ids(cfg_binder *b, const char *ref) {
  for (size_t i = 0; i < b->nrefs; i++)
    if (strcmp(b->refs[i].ref, ref) == 0) return &b->refs[i];
  if (b->nrefs == CFG_REF_CACHE) cfg_idset_free(&b->refs[--b->nrefs]);
  cfg_idset *set = &b->refs[b->nrefs++];
  set->ref = ref;
  if (cfg_idset_fill(b, set) == 0) return set;
  cfg_idset_free(set);
  b->nrefs--;
  return NULL;
}

static void cfg_ref_check(cfg_binder *b, const char *ref, const char *value, const cfg_pos *pos) {
  cfg_idset *set = cfg_ref_ids(b, ref);
  char hint[640];
  if (!set) {
    cfg_oom(b, pos);
    return;
  }
  if (set->bad) {
    cfg_schema_error(b, pos, "ref does not name a list of items with ids");
    return;
  }
  if (bsearch(&value, set->sorted, set->n, sizeof *set->sorted, cfg_strp_cmp)) return;
  cfg_hint(value, (const char *const *)set->ids, set->n, 1, hint, sizeof hint);
  cfg_error(b->e, pos, b->path.buf, "expected the id of an item of %s, found \"%s\"%s", ref, value,
            hint);
}

static void cfg_refs_struct(cfg_binder *b, const sch_schema *s, const char *obj,
                            const cfg_node *node, const cfg_pos *at);

static void cfg_refs_map(cfg_binder *b, const sch_field *f, const char *obj, const cfg_node *v) {
  const sch_kv *kv = *(sch_kv *const *)(obj + f->offset);
  int n = *(const int *)(obj + f->count_offset);
  for (int i = 0; i < n && v && (size_t)i < v->n && !cfg_err_full(b->e); i++) {
    size_t saved = cfg_path_key(&b->path, kv[i].key);
    cfg_ref_check(b, f->ref, kv[i].key, &v->entries[i].kpos);
    cfg_path_restore(&b->path, saved);
  }
}

static void cfg_refs_strings(cfg_binder *b, const sch_field *f, const char *obj,
                             const cfg_node *v) {
  char *const *s = *(char **const *)(obj + f->offset);
  int n = *(const int *)(obj + f->count_offset);
  for (int i = 0; i < n && v && (size_t)i < v->n && !cfg_err_full(b->e); i++) {
    size_t saved = cfg_path_index(&b->path, (size_t)i);
    cfg_ref_check(b, f->ref, s[i], &v->items[i]->pos);
    cfg_path_restore(&b->path, saved);
  }
}

static void cfg_refs_list(cfg_binder *b, const sch_field *f, const char *obj, const cfg_node *v) {
  const char *items = *(char *const *)(obj + f->offset);
  int n = *(const int *)(obj + f->count_offset);
  for (int i = 0; i < n && v && (size_t)i < v->n && !cfg_err_full(b->e); i++) {
    const cfg_node *it = v->items[i];
    size_t saved = cfg_path_item(&b->path, cfg_item_id(it), (size_t)i);
    cfg_refs_struct(b, f->sub, items + (size_t)i * f->sub->size, it, &it->pos);
    cfg_path_restore(&b->path, saved);
  }
}

static void cfg_refs_field(cfg_binder *b, const sch_field *f, const char *obj, const cfg_entry *en,
                           const cfg_pos *at) {
  const cfg_node *v = en ? en->val : NULL;
  const char *str;
  switch (f->type) {
  case SCH_STRING:
    str = *(char *const *)(obj + f->offset);
    if (f->ref && str) cfg_ref_check(b, f->ref, str, v ? &v->pos : at);
    break;
  case SCH_MAP_DOUBLE:
    if (f->ref) cfg_refs_map(b, f, obj, v);
    break;
  case SCH_STRING_LIST:
    if (f->ref) cfg_refs_strings(b, f, obj, v);
    break;
  case SCH_STRUCT:
    cfg_refs_struct(b, f->sub, obj + f->offset, v, en ? &en->kpos : at);
    break;
  case SCH_LIST:
    cfg_refs_list(b, f, obj, v);
    break;
  default:
    break;
  }
}

static void cfg_refs_struct(cfg_binder *b, const sch_schema *s, const char *obj,
                            const cfg_node *node, const cfg_pos *at) {
  const cfg_node *map = node && node->kind == CFG_MAP ? node : NULL;
  const cfg_pos *pos = node ? &node->pos : at;
  for (size_t i = 0; i < s->nfields && !cfg_err_full(b->e); i++) {
    const sch_field *f = &s->fields[i];
    size_t saved = cfg_path_key(&b->path, f->key);
    cfg_refs_field(b, f, obj, cfg_map_find(map, f->key), pos);
    cfg_path_restore(&b->path, saved);
  }
}

/* ---- check hooks ----------------------------------------------------- */

static void cfg_check_struct(cfg_binder *b, const sch_schema *s, const char *obj,
                             const cfg_node *node, const cfg_pos *at);

static void cfg_check_list(cfg_binder *b, const sch_field *f, const char *obj, const cfg_node *v) {
  const char *items = *(char *const *)(obj + f->offset);
  int n = *(const int *)(obj + f->count_offset);
  for (int i = 0; i < n && v && (size_t)i < v->n && !cfg_err_full(b->e); i++) {
    const cfg_node *it = v->items[i];
    size_t saved = cfg_path_item(&b->path, cfg_item_id(it), (size_t)i);
    cfg_check_struct(b, f->sub, items + (size_t)i * f->sub->size, it, &it->pos);
    cfg_path_restore(&b->path, saved);
  }
}

/* Depth-first, children before their parent. */
static void cfg_check_struct(cfg_binder *b, const sch_schema *s, const char *obj,
                             const cfg_node *node, const cfg_pos *at) {
  const cfg_node *map = node && node->kind == CFG_MAP ? node : NULL;
  const cfg_pos *pos = node ? &node->pos : at;
  for (size_t i = 0; i < s->nfields && !cfg_err_full(b->e); i++) {
    const sch_field *f = &s->fields[i];
    if (f->type != SCH_STRUCT && f->type != SCH_LIST) continue;
    const cfg_entry *en = cfg_map_find(map, f->key);
    size_t saved = cfg_path_key(&b->path, f->key);
    if (f->type == SCH_STRUCT)
      cfg_check_struct(b, f->sub, obj + f->offset, en ? en->val : NULL, en ? &en->kpos : pos);
    else
      cfg_check_list(b, f, obj, en ? en->val : NULL);
    cfg_path_restore(&b->path, saved);
  }
  if (s->check && !cfg_err_full(b->e)) {
    struct sch_ctx ctx = {b, map, pos};
    s->check(obj, &ctx);
  }
}

/* Position of the dotted KEY below MAP: a scalar's value position, a
 * container's key position; the deepest found, else DEF. *FOUND (may be
 * NULL) is the deepest node found (NULL when none). */
static const cfg_pos *cfg_key_pos(const cfg_node *map, const char *key, const cfg_pos *def,
                                  const cfg_node **found) {
  const cfg_node *n = map;
  const cfg_pos *pos = def;
  if (found) *found = NULL;
  char seg[128];
  for (const char *p = key; n && *p;) {
    size_t len = strcspn(p, ".");
    if (len >= sizeof seg) break;
    memcpy(seg, p, len);
    seg[len] = '\0';
    const cfg_entry *en = n->kind == CFG_MAP ? cfg_map_find(n, seg) : NULL;
    long idx = n->kind == CFG_SEQ ? cfg_seq_select(n, seg) : -1;
    if (!en && idx < 0) break;
    n = en ? en->val : n->items[idx];
    pos = en && n->kind != CFG_SCALAR ? &en->kpos : &n->pos;
    if (found) *found = n;
    p += len + (p[len] == '.');
  }
  return pos;
}

/* A position of a --set (line 0: --set values are parsed without
 * positions, file "--set PATH=VALUE") within N's subtree, or NULL. */
static const cfg_pos *cfg_set_below(const cfg_node *n) {
  if (!n) return NULL;
  if (n->pos.line == 0 && n->pos.file && !strncmp(n->pos.file, "--set", 5)) return &n->pos;
  for (size_t i = 0; n->kind == CFG_MAP && i < n->n; i++) {
    const cfg_entry *en = &n->entries[i];
    if (en->kpos.line == 0 && en->kpos.file && !strncmp(en->kpos.file, "--set", 5))
      return &en->kpos;
    const cfg_pos *p = cfg_set_below(en->val);
    if (p) return p;
  }
  for (size_t i = 0; n->kind == CFG_SEQ && i < n->n; i++) {
    const cfg_pos *p = cfg_set_below(n->items[i]);
    if (p) return p;
  }
  return NULL;
}

void sch_report(struct sch_ctx *ctx, const char *key, const char *fmt, ...) {
  cfg_binder *b = ctx->b;
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  size_t saved = b->path.len;
  const cfg_pos *pos = ctx->at, *set = NULL;
  const cfg_node *node = NULL;
  if (key && *key) {
    cfg_path_key(&b->path, key);
    pos = cfg_key_pos(ctx->map, key, pos, &node);
  }
  /* a check of a value a --set changed is blamed on the --set, not on the
   * file line of the value it replaced (the file's text is not at fault) */
  if (pos && pos->line > 0 && (set = cfg_set_below(node)) != NULL) {
    cfg_error(b->e, set, b->path.buf, "%s (after this --set; %s is at %s:%d:%d)", msg, b->path.buf,
              pos->file, pos->line, pos->col);
  } else
    cfg_error(b->e, pos, b->path.buf, "%s", msg);
  cfg_path_restore(&b->path, saved);
}

const void *sch_root(const struct sch_ctx *ctx) {
  return ctx->b->root_obj;
}

/* ---- entry point ----------------------------------------------------- */

int cfg_bind(const sch_schema *root, const cfg_node *tree, void *out, cfg_err *e) {
  cfg_binder b = {.e = e, .root = root, .root_obj = out};
  int before = e->count;
  cfg_path_init(&b.path);
  cfg_bind_struct(&b, root, out, tree, &tree->pos);
  if (e->count == before) cfg_refs_struct(&b, root, out, tree, &tree->pos);
  if (e->count == before) cfg_check_struct(&b, root, out, tree, &tree->pos);
  for (size_t i = 0; i < b.nrefs; i++) cfg_idset_free(&b.refs[i]);
  return e->count == before ? 0 : -1;
}
