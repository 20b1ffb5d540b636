/* config: loads a scenario from YAML (libyaml) into a schema-bound struct.
 *
 * Pipeline: parse file(s) into a position-carrying tree -> resolve `extends:`
 * (a base file relative to the extending file, else an embedded scenario by
 * name) -> merge (mappings merge key by key; a sequence replaces a sequence;
 * a mapping keyed by ids patches a sequence of id-carrying items) -> apply
 * --set overrides (KEY.PATH=VALUE; list items addressed by id or index) ->
 * bind to the schema (types, ranges, enums, unknown keys with "did you
 * mean", required fields, defaults) -> cross references (`ref`) and unique
 * ids -> schema check hooks.
 *
 * Every error message has the form
 *   FILE:LINE:COLUMN: KEY.PATH: expected WHAT, found WHAT
 * (for --set: "--set KEY=VALUE: ..."). Loading either fully succeeds or
 * leaves nothing allocated. Nothing reads YAML after loading.
 *
 * Included by: any file at or above config/ that loads YAML (drivers/, cli/, tests); the engine
 * below drivers/ never does.
 */
#ifndef NQP_CONFIG_H
#define NQP_CONFIG_H

#include <stddef.h>

#include "config/schema.h"

/* Load PATH (NULL: the embedded scenario DEFAULT_NAME) with NSETS overrides
 * "key.path=value" into OUT (root->size bytes, zeroed by the callee).
 * On success returns 0 and, when RESOLVED is not NULL, stores there the
 * fully resolved scenario as YAML text (heap; every field, defaults filled).
 * On failure returns -1 and writes the message into ERR. */
int cfg_load(const sch_schema *root, const char *path, const char *default_name,
             const char *const *sets, size_t nsets, void *out, char **resolved, char *err,
             size_t errlen);

/* Same, from a YAML string; NAME is used in messages as the file name. */
int cfg_load_string(const sch_schema *root, const char *name, const char *text,
                    const char *const *sets, size_t nsets, void *out, char **resolved, char *err,
                    size_t errlen);

/* Emit OBJ as YAML (every field, with "# unit" comments). Heap text. */
char *cfg_emit(const sch_schema *root, const void *obj);

/* Free everything cfg_load allocated inside OBJ (not OBJ itself). */
void cfg_free(const sch_schema *root, void *obj);

/* Print a reference of every field (key path, type, unit, default, range,
 * doc) as a Markdown table. */
void cfg_print_reference(const sch_schema *root, void *file /* FILE * */);

/* Replace the table of embedded scenarios consulted by `extends:` and by
 * cfg_load(NULL, ...) (TABLE ends with {NULL, NULL}; NULL restores the
 * compiled-in nqp_embedded). For tests and tools: process-wide, not
 * thread-safe, call it before loading. */
struct nqp_embedded_file;
void cfg_set_embedded(const struct nqp_embedded_file *table);

#endif
