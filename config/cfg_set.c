/* cfg_set: --set KEY.PATH=VALUE overrides, walked along the schema
 * (semantics in config/cfg_set.h).
 *
 * Invariants: the parsed VALUE is owned by the setter until it is placed in
 * the tree (then st->val is NULL), so it is freed exactly once; every node
 * created here carries the position {"--set ARG", line 0}; recursion depth
 * is bounded by CFG_SET_MAX_SEGS.
 */
#include "config/cfg_set.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/cfg_bind.h"

#define CFG_SET_MAX_SEGS 32

typedef struct cfg_setter {
  const char *arg;              /* KEY.PATH=VALUE */
  char *segs[CFG_SET_MAX_SEGS]; /* key path segments */
  size_t off[CFG_SET_MAX_SEGS]; /* offset of each segment in arg */
  size_t nseg;
  cfg_pos pos; /* {"--set ARG", 0, 0} */
  cfg_err *e;
  cfg_node *val; /* parsed VALUE until placed */
} cfg_setter;

static void cfg_set_error(cfg_setter *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void cfg_set_error(cfg_setter *st, const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  cfg_error(st->e, &st->pos, NULL, "%s", msg);
}

/* Length of ARG's prefix up to and including segment I. */
static int cfg_set_upto(const cfg_setter *st, size_t i) {
  return (int)(st->off[i] + strlen(st->segs[i]));
}

static void cfg_pos_text(const cfg_pos *p, char *buf, size_t len) {
  if (p->line > 0)
    snprintf(buf, len, "at %s:%d:%d", p->file, p->line, p->col);
  else
    snprintf(buf, len, "from %s", p->file);
}

static int cfg_set_split(cfg_setter *st, char *keys) {
  char *p = keys;
  for (;;) {
    if (st->nseg == CFG_SET_MAX_SEGS) {
      cfg_set_error(st, "key path has more than %d parts", CFG_SET_MAX_SEGS);
      return -1;
    }
    st->off[st->nseg] = (size_t)(p - keys);
    st->segs[st->nseg++] = p;
    char *dot = strchr(p, '.');
    if (dot) *dot = '\0';
    if (!*p) {
      cfg_set_error(st, "empty key in \"%s\" (expected KEY.PATH=VALUE)", st->arg);
      return -1;
    }
    if (!dot) return 0;
    p = dot + 1;
  }
}

/* Places the value at KEY of MAP (replacing or appending). */
static int cfg_set_put(cfg_setter *st, cfg_node *map, const char *key) {
  cfg_entry *en = cfg_map_find(map, key);
  cfg_node *v = st->val;
  st->val = NULL;
  if (en) {
    cfg_node_free(en->val);
    en->val = v;
    en->kpos = st->pos;
    return 0;
  }
  if (cfg_map_add(map, key, &st->pos, v) == 0) return 0;
  cfg_set_error(st, "out of memory");
  return -1;
}

static void cfg_set_kind_error(cfg_setter *st, size_t i, const cfg_node *v, const char *want) {
  char found[96], where[256];
  cfg_describe(v, found, sizeof found);
  cfg_pos_text(&v->pos, where, sizeof where);
  cfg_set_error(st, "%.*s is %s (%s), expected %s", cfg_set_upto(st, i), st->arg, found, where,
                want);
}

/* The mapping at key SEGS[I] of MAP, created when absent or null. */
static cfg_node *cfg_set_child(cfg_setter *st, cfg_node *map, size_t i) {
  cfg_entry *en = cfg_map_find(map, st->segs[i]);
  if (en && en->val->kind == CFG_MAP) return en->val;
  if (en && !cfg_is_null(en->val)) {
    cfg_set_kind_error(st, i, en->val, "a mapping");
    return NULL;
  }
  cfg_node *m = cfg_node_new(CFG_MAP, &st->pos);
  if (m && en) {
    cfg_node_free(en->val);
    en->val = m;
  } else if (m && cfg_map_add(map, st->segs[i], &st->pos, m)) {
    m = NULL;
  }
  if (!m) cfg_set_error(st, "out of memory");
  return m;
}

/* The existing sequence at key SEGS[I] of MAP. */
static cfg_node *cfg_set_seq(cfg_setter *st, cfg_node *map, size_t i) {
  cfg_entry *en = cfg_map_find(map, st->segs[i]);
  if (en && en->val->kind == CFG_SEQ) return en->val;
  if (en && !cfg_is_null(en->val)) {
    cfg_set_kind_error(st, i, en->val, "a list");
    return NULL;
  }
  cfg_set_error(st, "%.*s is empty: there is no item \"%s\"", cfg_set_upto(st, i), st->arg,
                st->segs[i + 1]);
  return NULL;
}

static void cfg_set_no_item(cfg_setter *st, const cfg_node *seq, size_t i) {
  size_t nids = 0;
  const char **ids = cfg_seq_ids(seq, &nids);
  char hint[640] = "";
  if (nids) cfg_hint(st->segs[i + 1], ids, nids, 1, hint, sizeof hint);
  cfg_set_error(st, "no item with id or index \"%s\" in %.*s (%zu items)%s", st->segs[i + 1],
                cfg_set_upto(st, i), st->arg, seq->n, hint);
  free(ids);
}

static int cfg_set_struct(cfg_setter *st, const sch_schema *s, cfg_node *map, size_t i);

static int cfg_set_list(cfg_setter *st, const sch_field *f, cfg_node *map, size_t i) {
  cfg_node *seq = cfg_set_seq(st, map, i);
  if (!seq) return -1;
  long idx = cfg_seq_select(seq, st->segs[i + 1]);
  if (idx < 0) {
    cfg_set_no_item(st, seq, i);
    return -1;
  }
  if (i + 2 == st->nseg) {
    cfg_node_free(seq->items[idx]);
    seq->items[idx] = st->val;
    st->val = NULL;
    return 0;
  }
  if (seq->items[idx]->kind != CFG_MAP) {
    cfg_set_kind_error(st, i + 1, seq->items[idx], "a mapping");
    return -1;
  }
  return cfg_set_struct(st, f->sub, seq->items[idx], i + 2);
}

static int cfg_set_strlist(cfg_setter *st, cfg_node *map, size_t i) {
  if (i + 2 != st->nseg) {
    cfg_set_error(st, "expected %.*s=[A, B] or %.*s.INDEX=VALUE", cfg_set_upto(st, i), st->arg,
                  cfg_set_upto(st, i), st->arg);
    return -1;
  }
  cfg_node *seq = cfg_set_seq(st, map, i);
  if (!seq) return -1;
  long idx = cfg_seq_select(seq, st->segs[i + 1]);
  if (idx < 0) {
    cfg_set_error(st, "index \"%s\" out of range: %.*s has %zu items", st->segs[i + 1],
                  cfg_set_upto(st, i), st->arg, seq->n);
    return -1;
  }
  cfg_node_free(seq->items[idx]);
  seq->items[idx] = st->val;
  st->val = NULL;
  return 0;
}

static int cfg_set_mapkey(cfg_setter *st, cfg_node *map, size_t i) {
  if (i + 2 != st->nseg) {
    cfg_set_error(st, "expected %.*s.KEY=NUMBER (a map of numbers has one level of keys)",
                  cfg_set_upto(st, i), st->arg);
    return -1;
  }
  cfg_node *m = cfg_set_child(st, map, i);
  return m ? cfg_set_put(st, m, st->segs[i + 1]) : -1;
}

static int cfg_set_struct(cfg_setter *st, const sch_schema *s, cfg_node *map, size_t i) {
  const sch_field *f = cfg_field(s, st->segs[i]);
  char text[640];
  if (!f) {
    cfg_field_hint(s, st->segs[i], text, sizeof text);
    if (i == 0)
      cfg_set_error(st, "unknown key \"%s\" at the top level%s", st->segs[i], text);
    else
      cfg_set_error(st, "unknown key \"%s\" in %.*s%s", st->segs[i], (int)st->off[i] - 1, st->arg,
                    text);
    return -1;
  }
  if (i + 1 == st->nseg) return cfg_set_put(st, map, st->segs[i]);
  switch (f->type) {
  case SCH_STRUCT: {
    cfg_node *child = cfg_set_child(st, map, i);
    return child ? cfg_set_struct(st, f->sub, child, i + 1) : -1;
  }
  case SCH_LIST:
    return cfg_set_list(st, f, map, i);
  case SCH_MAP_DOUBLE:
    return cfg_set_mapkey(st, map, i);
  case SCH_STRING_LIST:
    return cfg_set_strlist(st, map, i);
  default:
    cfg_expect(f, text, sizeof text);
    cfg_set_error(st, "%.*s takes %s; it has no key \"%s\"", cfg_set_upto(st, i), st->arg, text,
                  st->segs[i + 1]);
    return -1;
  }
}

static int cfg_set_value(cfg_setter *st, const char *text) {
  if (cfg_tree_parse(text, strlen(text), st->pos.file, 1, &st->val, st->e)) return -1;
  if (st->val) return 0;
  st->val = cfg_node_new(CFG_SCALAR, &st->pos); /* empty value: null */
  if (!st->val) {
    cfg_set_error(st, "out of memory");
    return -1;
  }
  st->val->plain = 1;
  return 0;
}

int cfg_set_apply(const sch_schema *root, cfg_node *tree, const char *arg, cfg_pool *pool,
                  cfg_err *e) {
  cfg_setter st = {.arg = arg, .e = e};
  char *keys = NULL;
  int rc = -1;
  st.pos.file = cfg_pool_printf(pool, "--set %s", arg);
  if (!st.pos.file) {
    cfg_error(e, NULL, NULL, "--set %s: out of memory", arg);
    return -1;
  }
  const char *eq = strchr(arg, '=');
  if (!eq || eq == arg) {
    cfg_set_error(&st, "expected KEY.PATH=VALUE, e.g. policy.subsidy=0.2");
    return -1;
  }
  keys = strndup(arg, (size_t)(eq - arg));
  if (!keys) {
    cfg_set_error(&st, "out of memory");
    goto done;
  }
  if (cfg_set_split(&st, keys) || cfg_set_value(&st, eq + 1)) goto done;
  rc = cfg_set_struct(&st, root, tree, 0);
done:
  free(keys);
  cfg_node_free(st.val);
  return rc;
}
