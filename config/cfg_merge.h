/* cfg_merge: merges an extending scenario's tree onto its base's tree.
 *
 * Semantics: a mapping merges into a mapping key by key (recursively; keys
 * new to the base are appended in the overlay's order); a mapping merges
 * into a sequence of id-carrying items as a patch: each key names an item
 * id and its mapping merges into that item (an unknown id is an error with
 * a "did you mean"; a null patch leaves the item unchanged; a patch cannot
 * change the id); anything else (a sequence, a scalar, null) replaces the
 * base value. The winning node keeps its position; a merged key takes the
 * overlay key's position.
 *
 * Invariant: cfg_merge always consumes OVER; *BASE stays a valid tree owned
 * by the caller, also on error.
 *
 * Private to: config/cfg_merge.c config/config.c
 */
#ifndef NQP_CFG_MERGE_H
#define NQP_CFG_MERGE_H

#include "config/cfg_tree.h"

/* Merges OVER into *BASE. PATH is the key path of *BASE (for messages).
 * Returns 0 or -1 with an error in E. */
int cfg_merge(cfg_node **base, cfg_node *over, cfg_path *path, cfg_err *e);

#endif
