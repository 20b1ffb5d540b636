/* sweep_priv: what the sweep loader (drivers/sweep.c) and the sweep file's
 * schema and checks (drivers/sweep_schema.c) share. Not a public interface.
 *
 * Invariant: the validation context is process-wide and set only between
 * sweep_check_begin and sweep_check_end, around one cfg_load of a sweep
 * file (sweep_load is not reentrant; nothing else loads sweep files).
 *
 * Private to: drivers/sweep.c drivers/sweep_schema.c
 */
#ifndef NQP_SWEEP_PRIV_H
#define NQP_SWEEP_PRIV_H

#include <stddef.h>

#include "config/scenario.h"
#include "drivers/sweep.h"

/* Start validating a sweep file whose directory is DIR; end frees what the
 * checks loaded (base scenario, series list). */
void sweep_check_begin(const char *dir);
void sweep_check_end(void);

/* Load the base scenario named by S->scenario (a file relative to DIR, else
 * an embedded scenario) with S's `set` overrides then EXTRA. Returns 0, or
 * -1 with the loader's message in ERR. */
int sweep_base_load(const char *dir, const sweep_spec *s, const char *const *extra, size_t nextra,
                    scenario *out, char **resolved, char *err, size_t errlen);

/* The scenario schema field at dotted key PATH (list items by any id or
 * index segment, map-of-numbers keys as the last segment: the map field),
 * or NULL. *MAPKEY is set when PATH ends in a map key. */
const sch_field *sweep_scn_field(const char *path, int *mapkey);

/* Format one override "PATH=V" (V rounded when INTEGER) into BUF. */
void sweep_format_set(const char *path, double v, int integer, char *buf, size_t len);

#endif
