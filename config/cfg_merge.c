/* cfg_merge: tree merge for `extends:` (semantics in config/cfg_merge.h).
 *
 * Invariants: values and keys are moved (never copied) from the overlay into
 * the base; a moved-out overlay entry has NULL key/value so that freeing the
 * overlay shell afterwards frees exactly what was not moved. Recursion depth
 * is bounded by the parsed trees' depth (CFG_MAX_DEPTH).
 */
#include "config/cfg_merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cfg_merge_entry(cfg_node *base, cfg_entry *oe, cfg_path *path, cfg_err *e) {
  cfg_node *val = oe->val;
  cfg_entry *be = cfg_map_find(base, oe->key);
  oe->val = NULL;
  if (!be) {
    char *key = oe->key;
    oe->key = NULL;
    if (cfg_map_put(base, key, &oe->kpos, val) == 0) return 0;
    cfg_error(e, &oe->kpos, path->buf, "out of memory");
    return -1;
  }
  be->kpos = oe->kpos;
  size_t saved = cfg_path_key(path, oe->key);
  int rc = cfg_merge(&be->val, val, path, e);
  cfg_path_restore(path, saved);
  return rc;
}

static int cfg_merge_maps(cfg_node *base, cfg_node *over, cfg_path *path, cfg_err *e) {
  int rc = 0;
  for (size_t i = 0; i < over->n && rc == 0; i++)
    rc = cfg_merge_entry(base, &over->entries[i], path, e);
  cfg_node_free(over);
  return rc;
}

static void cfg_unknown_item(const cfg_node *seq, const cfg_entry *oe, cfg_path *path, cfg_err *e) {
  size_t nids = 0;
  const char **ids = cfg_seq_ids(seq, &nids);
  char hint[640];
  if (nids)
    cfg_hint(oe->key, ids, nids, 1, hint, sizeof hint);
  else
    snprintf(hint, sizeof hint,
             " (the base list has no items with ids; to replace the list, "
             "write it as a sequence)");
  cfg_error(e, &oe->kpos, path->buf, "no item with id \"%s\" in the base list to patch%s", oe->key,
            hint);
  free(ids);
}

/* Checks the patch value OE->val for base item ID; 1 = apply, 0 = nothing
 * to do (null patch), -1 = error. */
static int cfg_patch_ok(const cfg_entry *oe, cfg_path *path, cfg_err *e) {
  char found[96];
  if (cfg_is_null(oe->val)) return 0;
  if (oe->val->kind != CFG_MAP) {
    cfg_describe(oe->val, found, sizeof found);
    cfg_error(e, &oe->val->pos, path->buf,
              "expected a mapping of the fields to change in item \"%s\", found %s", oe->key,
              found);
    return -1;
  }
  const cfg_entry *id = cfg_map_find(oe->val, "id");
  if (id && (id->val->kind != CFG_SCALAR || strcmp(id->val->text, oe->key) != 0)) {
    cfg_error(e, &id->val->pos, path->buf, "a patch cannot change the id of item \"%s\"", oe->key);
    return -1;
  }
  return 1;
}

static int cfg_patch_item(cfg_node *seq, cfg_entry *oe, cfg_path *path, cfg_err *e) {
  size_t saved = cfg_path_key(path, oe->key);
  long idx = -1;
  int rc = -1;
  for (size_t i = 0; i < seq->n && idx < 0; i++) {
    const char *id = cfg_item_id(seq->items[i]);
    if (id && strcmp(id, oe->key) == 0) idx = (long)i;
  }
  if (idx < 0) {
    cfg_unknown_item(seq, oe, path, e);
    goto done;
  }
  rc = cfg_patch_ok(oe, path, e);
  if (rc <= 0) goto done;
  cfg_node *val = oe->val;
  oe->val = NULL;
  rc = cfg_merge(&seq->items[idx], val, path, e);
done:
  cfg_path_restore(path, saved);
  return rc;
}

static int cfg_patch_seq(cfg_node *seq, cfg_node *over, cfg_path *path, cfg_err *e) {
  int rc = 0;
  for (size_t i = 0; i < over->n && rc == 0; i++)
    rc = cfg_patch_item(seq, &over->entries[i], path, e);
  cfg_node_free(over);
  return rc;
}

int cfg_merge(cfg_node **base, cfg_node *over, cfg_path *path, cfg_err *e) {
  if ((*base)->kind == CFG_MAP && over->kind == CFG_MAP)
    return cfg_merge_maps(*base, over, path, e);
  if ((*base)->kind == CFG_SEQ && over->kind == CFG_MAP) return cfg_patch_seq(*base, over, path, e);
  cfg_node_free(*base);
  *base = over;
  return 0;
}
