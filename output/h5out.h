/* h5out: the HDF5 run writer and reader summary (`nqpsim info`).
 *
 * Layout of a run file (see docs/output.md):
 *   /                      provenance attributes (strings and numbers)
 *   /scenario              the resolved scenario, one string (YAML)
 *   /series/economy        one dataset per series, dims (step)
 *   /series/industry       dims (step, industry)
 *   /series/region         dims (step, region)
 *   /series/industry_region dims (step, industry, region)
 *   /firms                 panel: dims (snapshot, slot), plus `alive`
 *   /events                step, kind, detail: dims (event)
 * Dimensions are HDF5 dimension scales (H5DS) with labels (variable-length
 * strings for industry/region, integers for step/snapshot/slot), so h5py and
 * xarray (engine="netcdf4") name them. Every dataset has a `units` and a
 * `long_name` attribute. Time and slot dimensions are unlimited and chunked;
 * data are shuffled and deflated.
 *
 * Invariants:
 *  - the file is written as PATH.partial and renamed to PATH only by
 *    h5out_finish(..., 1): a file under its final name is a complete run;
 *  - an existing PATH is never replaced unless spec.force is set;
 *  - the writer never keeps more than one flush interval of data in memory.
 *
 * Included by: any file at or above output/ (layers.txt).
 */
#ifndef NQP_H5OUT_H
#define NQP_H5OUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/series.h"

typedef struct h5out_spec {
  const char *path; /* final path, e.g. runs/anhui.h5 */
  int force;        /* 1: replace an existing PATH */
  const series_def *series;
  size_t n_series;
  const char *const *industry_labels; /* ids, e.g. "nev" */
  size_t n_industry;
  const char *const *region_labels; /* ids, e.g. "hefei" */
  size_t n_region;
  const panel_var *panel_vars; /* may be NULL */
  size_t n_panel_vars;
  size_t chunk_steps; /* time chunk length, >= 1 */
  int deflate;        /* 0..9 */
} h5out_spec;

typedef struct h5out h5out;

/* Create PATH.partial (removing a stale .partial). Returns NULL with a
 * message in ERR on failure; *EXISTS is set to 1 when PATH exists and
 * force is off (a usage error for the CLI). EXISTS may be NULL. */
h5out *h5out_open(const h5out_spec *spec, int *exists, char *err, size_t errlen);

/* Root attributes. */
int h5out_attr_str(h5out *h, const char *name, const char *value);
int h5out_attr_i64(h5out *h, const char *name, int64_t value);
int h5out_attr_f64(h5out *h, const char *name, double value);
/* A root-level string dataset (e.g. "scenario"). */
int h5out_text(h5out *h, const char *name, const char *text);

/* Append one step. VALUES[i] points at series i's values for this step:
 * 1, n_industry, n_region or n_industry*n_region (industry-major) doubles.
 * Steps must be appended in order 0, 1, 2, ... */
int h5out_step(h5out *h, int step, const double *const *values);

/* Append a panel snapshot taken at STEP: COLUMNS[j] points at n_slots
 * values of panel var j (its declared type); ALIVE has n_slots bytes.
 * n_slots may grow between snapshots (earlier rows are padded: alive=0). */
int h5out_panel(h5out *h, int step, size_t n_slots, const void *const *columns,
                const uint8_t *alive);

/* Append an event (lever activation, shock, ...). */
int h5out_event(h5out *h, int step, const char *kind, const char *detail);

/* Flush buffered data to disk (HDF5 H5Fflush). */
int h5out_flush(h5out *h);

/* Close. SUCCESS=1: set status "complete" and rename PATH.partial to PATH;
 * SUCCESS=0: set status "failed" and leave PATH.partial. Frees *H, sets it
 * to NULL. Returns 0 on success. */
int h5out_finish(h5out **h, int success, char *err, size_t errlen);

/* Human summary of a run file: provenance, dimensions, series list with
 * final economy values, panel size, events. Returns 0, or -1 with ERR. */
int h5out_info(const char *path, FILE *out, char *err, size_t errlen);

/* Last error text from the HDF5 error stack (used in messages). */
const char *h5out_last_error(void);

#endif
