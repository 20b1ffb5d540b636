/* observe: phase 8, the series written each step and the firm panel.
 *
 * A series is defined once (name, units, doc, how it is computed) and
 * written at every group level it declares: economy, industry, region and
 * industry x region. Firm-based series are sums, or ratios of sums (weighted
 * means), of per-firm contributions, reduced by cell (industry x region) in
 * fixed block order and then summed cell by cell in fixed order, so every
 * level is deterministic and consistent with the others. A mean over a cell
 * without firms is NaN (undefined), never 0.
 *
 * Included by: any file at or above sim/ (the writers and drivers read series through it).
 */
#ifndef NQP_OBSERVE_H
#define NQP_OBSERVE_H

#include <stddef.h>
#include <stdint.h>

#include "sim/series.h"
#include "world/world.h"

typedef struct observer observer;

observer *obs_create(const world *w);
void obs_free(observer **o);
/* The series to declare to the writer, and their count. */
const series_def *obs_series(const observer *o, size_t *n);
/* Compute every series for the current step; returns per-series pointers
 * valid until the next call (layout as h5out_step expects). */
const double *const *obs_compute(observer *o, const world *w);
/* Value of economy series NAME from the last obs_compute (NaN if absent). */
double obs_economy(const observer *o, const char *name);
/* Value of series NAME at group level G, cell index C (NaN if absent). */
double obs_value(const observer *o, const char *name, series_level g, size_t c);

/* How series NAME combines over industries or regions (e.g. to aggregate a
 * run file's industry series by industry kind): OBS_AGG_SUM when values add
 * up; OBS_AGG_MEAN when it is a ratio of sums, a mean weighted by the sum
 * series *WEIGHT (its denominator: "output", "firms", ...), so the weighted
 * mean over cells reproduces the series at the coarser level; OBS_AGG_NONE
 * otherwise (quantile ratios, wages, economy-only series); -1 when NAME is
 * no series. WEIGHT may be NULL; it is set to NULL unless OBS_AGG_MEAN. */
enum { OBS_AGG_NONE = 0, OBS_AGG_SUM = 1, OBS_AGG_MEAN = 2 };
int obs_series_aggregation(const char *name, const char **weight);

/* Panel variables and one snapshot's columns (valid until the next call). */
const panel_var *obs_panel_vars(size_t *n);
const void *const *obs_panel(observer *o, const world *w);

/* Per-firm dimension indices in [0, 1] (docs/ODD.md, Submodels):
 * technology penetration, organisational restructuring, value co-creation
 * and the composite new-quality-productivity index (their geometric mean). */
double obs_index_tech(const world *w, size_t k);
double obs_index_org(const world *w, size_t k);
double obs_index_value(const world *w, size_t k);
double obs_index_nqp(const world *w, size_t k);

#endif
