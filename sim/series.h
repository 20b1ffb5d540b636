/* series: the descriptors of what observation produces, shared by the
 * observer (sim/observe.c) that computes them and the writers and readers
 * (output/) that store them: the group levels a series is written at, a
 * series' name, units and documentation, and the firm panel's variables.
 * Included by: sim/ and every layer above it.
 *
 * Invariants: the level numbers are stable (they index per-level arrays in
 * the observer, the writer and the checkpoint); a series' units and doc are
 * static strings.
 */
#ifndef NQP_SERIES_H
#define NQP_SERIES_H

typedef enum series_level {
  SERIES_ECONOMY = 0,
  SERIES_INDUSTRY,
  SERIES_REGION,
  SERIES_INDUSTRY_REGION,
  SERIES_NLEVELS
} series_level;

typedef struct series_def {
  const char *name;  /* dataset name, e.g. "output" */
  const char *units; /* e.g. "CNY/quarter" */
  const char *doc;   /* long_name attribute */
  series_level group;
} series_def;

typedef enum panel_type { PANEL_F64 = 0, PANEL_F32, PANEL_I32, PANEL_U8 } panel_type;

typedef struct panel_var {
  const char *name;
  const char *units;
  const char *doc;
  panel_type type; /* type of the column the caller passes */
} panel_var;

#endif
