/* cfg_tree: builds the position-carrying YAML tree from libyaml events, and
 * small accessors on it.
 *
 * Invariants (see config/cfg_tree.h): a node is attached to its parent before
 * its children are parsed, so on any error freeing the root frees
 * everything; pending mapping keys live in the builder's frames and are
 * freed by cfg_builder_cleanup; the builder's stack never exceeds
 * CFG_MAX_DEPTH frames.
 */
#include "config/cfg_tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* ---- nodes ----------------------------------------------------------- */

cfg_node *cfg_node_new(cfg_kind kind, const cfg_pos *pos) {
  cfg_node *n = calloc(1, sizeof *n);
  if (!n) return NULL;
  n->kind = kind;
  n->pos = *pos;
  n->text = strdup("");
  if (!n->text) {
    free(n);
    return NULL;
  }
  return n;
}

void cfg_node_free(cfg_node *n) {
  if (!n) return;
  for (size_t i = 0; i < n->n; i++) {
    if (n->kind == CFG_MAP) {
      free(n->entries[i].key);
      cfg_node_free(n->entries[i].val);
    } else if (n->kind == CFG_SEQ) {
      cfg_node_free(n->items[i]);
    }
  }
  free(n->entries);
  free(n->items);
  free(n->text);
  free(n);
}

static int cfg_grow(void **arr, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return 0;
  size_t cap2 = *cap ? 2 * *cap : 4;
  while (cap2 < need) cap2 *= 2;
  void *p = realloc(*arr, cap2 * elem);
  if (!p) return -1;
  *arr = p;
  *cap = cap2;
  return 0;
}

int cfg_map_put(cfg_node *map, char *key, const cfg_pos *kpos, cfg_node *val) {
  if (cfg_grow((void **)&map->entries, &map->cap, map->n + 1, sizeof *map->entries)) {
    free(key);
    cfg_node_free(val);
    return -1;
  }
  cfg_entry *en = &map->entries[map->n++];
  en->key = key;
  en->kpos = *kpos;
  en->val = val;
  return 0;
}

int cfg_map_add(cfg_node *map, const char *key, const cfg_pos *kpos, cfg_node *val) {
  char *k = strdup(key);
  if (!k) {
    cfg_node_free(val);
    return -1;
  }
  return cfg_map_put(map, k, kpos, val);
}

cfg_entry *cfg_map_find(const cfg_node *map, const char *key) {
  if (!map || map->kind != CFG_MAP) return NULL;
  for (size_t i = 0; i < map->n; i++)
    if (map->entries[i].key && strcmp(map->entries[i].key, key) == 0) return &map->entries[i];
  return NULL;
}

void cfg_map_remove(cfg_node *map, size_t i) {
  free(map->entries[i].key);
  cfg_node_free(map->entries[i].val);
  memmove(&map->entries[i], &map->entries[i + 1], (map->n - i - 1) * sizeof *map->entries);
  map->n--;
}

int cfg_seq_add(cfg_node *seq, cfg_node *item) {
  if (cfg_grow((void **)&seq->items, &seq->cap, seq->n + 1, sizeof *seq->items)) {
    cfg_node_free(item);
    return -1;
  }
  seq->items[seq->n++] = item;
  return 0;
}

/* ---- accessors ------------------------------------------------------- */

int cfg_is_null(const cfg_node *n) {
  if (n->kind != CFG_SCALAR || !n->plain) return 0;
  static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
  for (size_t i = 0; i < sizeof nulls / sizeof nulls[0]; i++)
    if (strcmp(n->text, nulls[i]) == 0) return 1;
  return 0;
}

const char *cfg_item_id(const cfg_node *item) {
  const cfg_entry *en = cfg_map_find(item, "id");
  if (!en || !en->val || en->val->kind != CFG_SCALAR || cfg_is_null(en->val)) return NULL;
  return en->val->text;
}

static long cfg_parse_index(const char *seg) {
  long v = 0;
  if (!*seg || strlen(seg) > 9) return -1;
  for (const char *p = seg; *p; p++) {
    if (*p < '0' || *p > '9') return -1;
    v = v * 10 + (*p - '0');
  }
  return v;
}

long cfg_seq_select(const cfg_node *seq, const char *seg) {
  for (size_t i = 0; i < seq->n; i++) {
    const char *id = cfg_item_id(seq->items[i]);
    if (id && strcmp(id, seg) == 0) return (long)i;
  }
  long idx = cfg_parse_index(seg);
  return idx >= 0 && (size_t)idx < seq->n ? idx : -1;
}

const char **cfg_seq_ids(const cfg_node *seq, size_t *n) {
  *n = 0;
  const char **ids = seq->n ? malloc(seq->n * sizeof *ids) : NULL;
  if (!ids) return NULL;
  for (size_t i = 0; i < seq->n; i++) {
    const char *id = cfg_item_id(seq->items[i]);
    if (id) ids[(*n)++] = id;
  }
  if (*n == 0) {
    free(ids);
    return NULL;
  }
  return ids;
}

/* Printable, length-limited copy of S (control bytes become '?', a cut
 * never splits a UTF-8 sequence). */
static void cfg_clip(const char *s, char *out, size_t outlen) {
  size_t max = outlen - 4, i = 0, n = strlen(s);
  size_t keep = n <= max ? n : max;
  while (keep < n && keep > 0 && ((unsigned char)s[keep] & 0xC0) == 0x80) keep--;
  for (i = 0; i < keep; i++) {
    unsigned char c = (unsigned char)s[i];
    out[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
  }
  if (keep < n) memcpy(out + i, "...", 3), i += 3;
  out[i] = '\0';
}

static int cfg_is_literal(const cfg_node *n) {
  double d;
  return strcmp(n->text, "true") == 0 || strcmp(n->text, "false") == 0 ||
         cfg_parse_number(n->text, &d) != CFG_NUM_BAD;
}

void cfg_describe(const cfg_node *n, char *buf, size_t len) {
  char text[64];
  if (n->kind == CFG_MAP) {
    snprintf(buf, len, "a mapping");
  } else if (n->kind == CFG_SEQ) {
    snprintf(buf, len, "a sequence");
  } else if (n->plain && !n->text[0]) {
    snprintf(buf, len, "an empty value");
  } else if (cfg_is_null(n)) {
    snprintf(buf, len, "null");
  } else {
    cfg_clip(n->text, text, sizeof text);
    if (!n->plain)
      snprintf(buf, len, "the string \"%s\"", text);
    else
      snprintf(buf, len, cfg_is_literal(n) ? "%s" : "\"%s\"", text);
  }
}

/* ---- builder --------------------------------------------------------- */

typedef struct cfg_frame {
  cfg_node *node; /* open mapping or sequence */
  char *key;      /* mapping: key waiting for its value */
  cfg_pos kpos;
  int has_key;
} cfg_frame;

typedef struct cfg_builder {
  const char *file;
  int nopos;
  cfg_err *e;
  cfg_node *root;
  cfg_frame stack[CFG_MAX_DEPTH];
  int depth;
  size_t nodes;
  int docs;
} cfg_builder;

static cfg_pos cfg_mark_pos(const cfg_builder *b, yaml_mark_t m) {
  cfg_pos p = {b->file, b->nopos ? 0 : (int)m.line + 1, b->nopos ? 0 : (int)m.column + 1};
  return p;
}

/* Key path of the innermost open containers' current children. */
static void cfg_builder_path(const cfg_builder *b, int nframes, cfg_path *p) {
  for (int i = 0; i < nframes; i++) {
    const cfg_node *n = b->stack[i].node;
    if (n->n == 0) continue;
    if (n->kind == CFG_MAP)
      cfg_path_key(p, n->entries[n->n - 1].key);
    else
      cfg_path_item(p, cfg_item_id(n->items[n->n - 1]), n->n - 1);
  }
}

/* Path of the node about to be attached to the top frame. */
static void cfg_builder_pending(const cfg_builder *b, cfg_path *p) {
  cfg_path_init(p);
  if (b->depth == 0) return;
  cfg_builder_path(b, b->depth - 1, p);
  const cfg_frame *f = &b->stack[b->depth - 1];
  if (f->node->kind == CFG_MAP && f->has_key)
    cfg_path_key(p, f->key);
  else if (f->node->kind == CFG_SEQ)
    cfg_path_index(p, f->node->n);
}

static int cfg_reject(cfg_builder *b, yaml_mark_t m, const char *fmt, const char *arg) {
  cfg_path p;
  cfg_pos pos = cfg_mark_pos(b, m);
  cfg_builder_pending(b, &p);
  char msg[256];
  snprintf(msg, sizeof msg, fmt, arg);
  cfg_error(b->e, &pos, p.buf, "%s", msg);
  return -1;
}

static int cfg_check_props(cfg_builder *b, yaml_mark_t m, const yaml_char_t *anchor,
                           const yaml_char_t *tag) {
  if (anchor)
    return cfg_reject(b, m, "anchors (&%s) and aliases are not supported; write the value out",
                      (const char *)anchor);
  if (tag)
    return cfg_reject(b, m, "tags (%s) are not supported; quote the value to make it a string",
                      (const char *)tag);
  return 0;
}

static cfg_node *cfg_builder_node(cfg_builder *b, cfg_kind kind, yaml_mark_t m) {
  cfg_pos pos = cfg_mark_pos(b, m);
  if (++b->nodes > CFG_MAX_NODES) {
    cfg_error(b->e, &pos, NULL, "more than %d YAML nodes; input too large", CFG_MAX_NODES);
    return NULL;
  }
  cfg_node *n = cfg_node_new(kind, &pos);
  if (!n) cfg_error(b->e, &pos, NULL, "out of memory");
  return n;
}

/* The top frame is a mapping without a pending key: NODE becomes the key. */
static int cfg_take_key(cfg_builder *b, cfg_frame *f, cfg_node *node, yaml_mark_t m) {
  if (node->kind != CFG_SCALAR) {
    const char *what = node->kind == CFG_MAP ? "a mapping" : "a sequence";
    cfg_node_free(node);
    return cfg_reject(b, m, "mapping keys must be strings, found %s", what);
  }
  if (node->plain && strcmp(node->text, "<<") == 0) {
    cfg_node_free(node);
    return cfg_reject(b, m, "merge keys (%s) are not supported; use extends: or write it out",
                      "<<");
  }
  f->key = node->text;
  f->kpos = node->pos;
  f->has_key = 1;
  node->text = NULL;
  cfg_node_free(node);
  return 0;
}

static int cfg_attach(cfg_builder *b, cfg_node *node, yaml_mark_t m) {
  if (b->depth == 0) {
    b->root = node;
    return 0;
  }
  cfg_frame *f = &b->stack[b->depth - 1];
  int rc;
  if (f->node->kind == CFG_SEQ) {
    rc = cfg_seq_add(f->node, node);
  } else if (!f->has_key) {
    return cfg_take_key(b, f, node, m);
  } else {
    rc = cfg_map_put(f->node, f->key, &f->kpos, node);
    f->key = NULL;
    f->has_key = 0;
  }
  if (rc) cfg_reject(b, m, "%s", "out of memory");
  return rc;
}

static int cfg_on_scalar(cfg_builder *b, const yaml_event_t *ev) {
  const char *v = (const char *)ev->data.scalar.value;
  size_t len = ev->data.scalar.length;
  if (cfg_check_props(b, ev->start_mark, ev->data.scalar.anchor, ev->data.scalar.tag)) return -1;
  if (strlen(v) != len)
    return cfg_reject(b, ev->start_mark, "%s", "strings must not contain NUL characters");
  cfg_node *n = cfg_builder_node(b, CFG_SCALAR, ev->start_mark);
  if (!n) return -1;
  char *text = strdup(v);
  if (!text) {
    cfg_node_free(n);
    return cfg_reject(b, ev->start_mark, "%s", "out of memory");
  }
  free(n->text);
  n->text = text;
  n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
  return cfg_attach(b, n, ev->start_mark);
}

static int cfg_on_start(cfg_builder *b, const yaml_event_t *ev, cfg_kind kind,
                        const yaml_char_t *anchor, const yaml_char_t *tag) {
  if (cfg_check_props(b, ev->start_mark, anchor, tag)) return -1;
  if (b->depth >= CFG_MAX_DEPTH) {
    char limit[16];
    snprintf(limit, sizeof limit, "%d", CFG_MAX_DEPTH);
    return cfg_reject(b, ev->start_mark, "nested deeper than %s levels", limit);
  }
  cfg_node *n = cfg_builder_node(b, kind, ev->start_mark);
  if (!n || cfg_attach(b, n, ev->start_mark)) return -1;
  cfg_frame *f = &b->stack[b->depth++];
  f->node = n;
  f->key = NULL;
  f->has_key = 0;
  return 0;
}

static int cfg_entry_cmp(const void *a, const void *b) {
  const cfg_entry *x = *(const cfg_entry *const *)a, *y = *(const cfg_entry *const *)b;
  int c = strcmp(x->key, y->key);
  return c ? c : (x < y ? -1 : x > y);
}

/* The earliest second occurrence of a key in MAP, or NULL (O(n log n)). */
static const cfg_entry *cfg_find_dup(const cfg_node *map, const cfg_entry **first) {
  const cfg_entry **v = malloc(map->n * sizeof *v), *dup = NULL;
  if (!v) return NULL;
  for (size_t i = 0; i < map->n; i++) v[i] = &map->entries[i];
  qsort(v, map->n, sizeof *v, cfg_entry_cmp);
  size_t run = 0;
  for (size_t i = 1; i < map->n; i++) {
    if (strcmp(v[i]->key, v[run]->key) != 0) {
      run = i;
    } else if (!dup || v[i] < dup) {
      dup = v[i];
      *first = v[run];
    }
  }
  free(v);
  return dup;
}

static int cfg_check_dups(cfg_builder *b, const cfg_node *map) {
  const cfg_entry *first = NULL, *dup = map->n > 1 ? cfg_find_dup(map, &first) : NULL;
  if (!dup) return 0;
  cfg_path p;
  cfg_path_init(&p);
  cfg_builder_path(b, b->depth - 1, &p);
  cfg_path_key(&p, dup->key);
  cfg_error(b->e, &dup->kpos, p.buf, "duplicate key \"%s\" (first defined at line %d, column %d)",
            dup->key, first->kpos.line, first->kpos.col);
  return -1;
}

static int cfg_on_end(cfg_builder *b) {
  cfg_frame *f = &b->stack[b->depth - 1];
  if (f->node->kind == CFG_MAP && cfg_check_dups(b, f->node)) return -1;
  b->depth--;
  return 0;
}

static int cfg_on_event(cfg_builder *b, const yaml_event_t *ev) {
  switch (ev->type) {
  case YAML_DOCUMENT_START_EVENT:
    if (++b->docs > 1)
      return cfg_reject(b, ev->start_mark, "%s",
                        "more than one YAML document (---) in one file is not supported");
    return 0;
  case YAML_ALIAS_EVENT:
    return cfg_reject(b, ev->start_mark,
                      "aliases (*%s) and anchors are not supported; write the value out",
                      (const char *)ev->data.alias.anchor);
  case YAML_SCALAR_EVENT:
    return cfg_on_scalar(b, ev);
  case YAML_SEQUENCE_START_EVENT:
    return cfg_on_start(b, ev, CFG_SEQ, ev->data.sequence_start.anchor,
                        ev->data.sequence_start.tag);
  case YAML_MAPPING_START_EVENT:
    return cfg_on_start(b, ev, CFG_MAP, ev->data.mapping_start.anchor, ev->data.mapping_start.tag);
  case YAML_SEQUENCE_END_EVENT:
  case YAML_MAPPING_END_EVENT:
    return cfg_on_end(b);
  default:
    return 0;
  }
}

/* Line and column (1-based, bytes) of byte OFFSET of TEXT. */
static void cfg_offset_pos(const char *text, size_t len, size_t offset, cfg_pos *pos) {
  pos->line = 1;
  pos->col = 1;
  for (size_t i = 0; i < offset && i < len; i++) {
    if (text[i] == '\n')
      pos->line++, pos->col = 1;
    else
      pos->col++;
  }
}

static void cfg_syntax_error(cfg_builder *b, const yaml_parser_t *p, const char *text, size_t len) {
  cfg_pos pos = cfg_mark_pos(b, p->problem_mark);
  const char *problem = p->problem ? p->problem : "unknown problem";
  char ctx[160] = "";
  if (p->error == YAML_MEMORY_ERROR) {
    cfg_error(b->e, &pos, NULL, "out of memory while parsing");
    return;
  }
  if (p->error == YAML_READER_ERROR && !b->nopos)
    cfg_offset_pos(text, len, p->problem_offset, &pos);
  if (b->nopos) {
    cfg_error(b->e, &pos, NULL, "invalid value: %s (at character %d)", problem,
              (int)p->problem_mark.index + 1);
    return;
  }
  if (p->context)
    snprintf(ctx, sizeof ctx, " (%s at line %d, column %d)", p->context,
             (int)p->context_mark.line + 1, (int)p->context_mark.column + 1);
  cfg_error(b->e, &pos, NULL, "YAML syntax error: %s%s", problem, ctx);
}

static void cfg_builder_cleanup(cfg_builder *b) {
  for (int i = 0; i < b->depth; i++) free(b->stack[i].key);
  b->depth = 0;
}

int cfg_tree_parse(const char *text, size_t len, const char *file, int nopos, cfg_node **out,
                   cfg_err *e) {
  cfg_builder b = {.file = file, .nopos = nopos, .e = e};
  yaml_parser_t parser;
  int rc = 0, done = 0;
  *out = NULL;
  if (len > CFG_MAX_INPUT) {
    cfg_pos pos = {file, 0, 0};
    cfg_error(e, &pos, NULL, "input too large (%zu bytes, limit %u)", len, CFG_MAX_INPUT);
    return -1;
  }
  if (!yaml_parser_initialize(&parser)) {
    cfg_error(e, NULL, NULL, "%s: out of memory", file);
    return -1;
  }
  yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
  while (!done && rc == 0) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&parser, &ev)) {
      cfg_syntax_error(&b, &parser, text, len);
      rc = -1;
      break;
    }
    rc = cfg_on_event(&b, &ev);
    done = ev.type == YAML_STREAM_END_EVENT;
    yaml_event_delete(&ev);
  }
  yaml_parser_delete(&parser);
  cfg_builder_cleanup(&b);
  if (rc)
    cfg_node_free(b.root);
  else
    *out = b.root;
  return rc;
}
