/* cfg_set: applies one --set override "KEY.PATH=VALUE" to a merged tree.
 *
 * Semantics: KEY.PATH is walked along the schema: a struct key descends into
 * that mapping (created when absent or null); after a list key, the next
 * segment selects an item by id (first) or else by 0-based index; after a
 * map-of-numbers key, the next (last) segment is the map key (added when
 * absent); after a string-list key, the next (last) segment is an index.
 * VALUE is parsed as a YAML flow value (scalar, [a, b], {k: v}; empty =
 * null) and replaces the value at the path, or is added when the key is
 * absent. Keys unknown to the schema, unknown ids, out-of-range indexes and
 * paths through scalars are errors "--set KEY.PATH=VALUE: ...". Values are
 * type-checked later by the binder, with positions "--set KEY.PATH=VALUE".
 *
 * Invariant: on error the tree is unchanged or changed only by the creation
 * of empty mappings along the path (which bind to defaults).
 *
 * Private to: config/cfg_set.c config/config.c
 */
#ifndef NQP_CFG_SET_H
#define NQP_CFG_SET_H

#include "config/cfg_tree.h"
#include "config/schema.h"

/* Applies ARG to TREE (root mapping of schema ROOT); POOL keeps the label
 * used as the file name of the new nodes. Returns 0 or -1 (error in E). */
int cfg_set_apply(const sch_schema *root, cfg_node *tree, const char *arg, cfg_pool *pool,
                  cfg_err *e);

#endif
