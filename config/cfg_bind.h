/* cfg_bind: binds a merged YAML tree to a schema-described C struct, then
 * checks unique ids, cross references (`ref`) and runs the schemas' check
 * hooks (sch_report / sch_root are implemented here).
 *
 * Semantics (full list in config/config.c's header): numbers are plain decimal
 * scalars; booleans are exactly true/false; null for a struct or list means
 * "empty"; null for a string gives a NULL string (unless required); unknown
 * keys, wrong types and out-of-range values are errors with the key path.
 *
 * Invariant: after cfg_bind, whether it failed or not, every heap pointer in
 * OUT is either NULL or owned by OUT (so cfg_free(OUT) releases all), and
 * every count matches its allocated array.
 *
 * Included by: config/ and the loaders of other YAML files built on the scenario language
 * (drivers/sweep*.c).
 */
#ifndef NQP_CFG_BIND_H
#define NQP_CFG_BIND_H

#include <stddef.h>

#include "config/cfg_tree.h"
#include "config/schema.h"

/* Binds TREE (a mapping) to ROOT into OUT (zeroed by the caller). Returns 0,
 * or -1 with up to CFG_MAX_ERRORS messages in E. */
int cfg_bind(const sch_schema *root, const cfg_node *tree, void *out, cfg_err *e);

/* The field of S named KEY, or NULL. */
const sch_field *cfg_field(const sch_schema *s, const char *key);
/* " (did you mean \"x\"?)" or " (one of: ...)" for an unknown KEY of S. */
void cfg_field_hint(const sch_schema *s, const char *key, char *buf, size_t len);
/* What a value of F must be, e.g. "a number in [0, 5] (share)". */
void cfg_expect(const sch_field *f, char *buf, size_t len);
/* "[min, max]" of a numeric field, or "" when unbounded (min == max == 0). */
void cfg_range(const sch_field *f, char *buf, size_t len);

#endif
