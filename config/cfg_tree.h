/* cfg_tree: the position-carrying YAML tree of the scenario loader, built
 * from libyaml parser events (no libyaml document API, no recursion on input
 * depth while parsing).
 *
 * Invariants:
 *  - every node has a kind and a position (file name owned by the caller's
 *    pool; 1-based line and column, line 0 for --set values);
 *  - a scalar's text is a heap NUL-free string, never NULL; `plain` is 1 for
 *    unquoted scalars (only those can be numbers, booleans or null);
 *  - mapping keys are scalar strings, unique within a mapping (a duplicate is
 *    a parse error at the second occurrence); entry order is file order;
 *  - a node owns its children: cfg_node_free frees the whole subtree and
 *    tolerates entries whose key or value was moved out (set to NULL);
 *  - parsing rejects anchors, aliases, explicit tags, merge keys (<<) and
 *    multiple documents, and stops at CFG_MAX_DEPTH nesting levels,
 *    CFG_MAX_NODES nodes and CFG_MAX_INPUT bytes.
 *
 * Included by: config/ (the scenario language's own modules).
 */
#ifndef NQP_CFG_TREE_H
#define NQP_CFG_TREE_H

#include <stddef.h>

#include "config/cfg_util.h"

#define CFG_MAX_DEPTH 64          /* nested mappings/sequences */
#define CFG_MAX_NODES 1000000     /* nodes per parsed text */
#define CFG_MAX_INPUT (16u << 20) /* bytes per parsed text */

typedef enum cfg_kind { CFG_SCALAR, CFG_MAP, CFG_SEQ } cfg_kind;

typedef struct cfg_node cfg_node;

typedef struct cfg_entry {
  char *key;    /* heap */
  cfg_pos kpos; /* position of the key */
  cfg_node *val;
} cfg_entry;

struct cfg_node {
  cfg_kind kind;
  cfg_pos pos;
  int plain;          /* scalar written without quotes */
  char *text;         /* scalar text */
  cfg_entry *entries; /* mapping entries */
  cfg_node **items;   /* sequence items */
  size_t n, cap;      /* entries or items */
};

/* Parses TEXT (LEN bytes) named FILE. *OUT is the root, or NULL for a text
 * without any document. NOPOS: give every node line 0 and report syntax
 * errors as "FILE: invalid value: ..." (used for --set values). Returns 0 or
 * -1 with an error in E. */
int cfg_tree_parse(const char *text, size_t len, const char *file, int nopos, cfg_node **out,
                   cfg_err *e);

/* New empty node (scalar text ""); NULL on allocation failure. */
cfg_node *cfg_node_new(cfg_kind kind, const cfg_pos *pos);
void cfg_node_free(cfg_node *n);

/* Appends KEY (copied) -> VAL (owned; freed on failure). Returns 0 or -1. */
int cfg_map_add(cfg_node *map, const char *key, const cfg_pos *kpos, cfg_node *val);
/* Same, taking ownership of the heap KEY too. */
int cfg_map_put(cfg_node *map, char *key, const cfg_pos *kpos, cfg_node *val);
cfg_entry *cfg_map_find(const cfg_node *map, const char *key);
/* Removes and frees entry I. */
void cfg_map_remove(cfg_node *map, size_t i);
/* Appends ITEM (owned; freed on failure). Returns 0 or -1. */
int cfg_seq_add(cfg_node *seq, cfg_node *item);

/* Plain "", "~", "null", "Null" or "NULL". */
int cfg_is_null(const cfg_node *n);
/* Text of the non-null scalar "id" of a mapping item, else NULL. */
const char *cfg_item_id(const cfg_node *item);
/* Index of the item of SEQ whose id is SEG, else (SEG all digits) the item
 * at that 0-based index; -1 if none. */
long cfg_seq_select(const cfg_node *seq, const char *seg);
/* Heap array of the ids of SEQ's items that have one, count in *N; NULL
 * (and *N = 0) when there are none or on allocation failure. */
const char **cfg_seq_ids(const cfg_node *seq, size_t *n);
/* Short description for "found ...": "a mapping", "null", "7.5", "\"abc\"". */
void cfg_describe(const cfg_node *n, char *buf, size_t len);

#endif
