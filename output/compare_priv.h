/* compare_priv: reading run files for `nqpsim compare` (output/compare.h).
 * Not part of the public interface.
 *
 * Invariants:
 *  - a cmp_run is either fully open (every handle valid, labels read) or
 *    closed: cmp_run_open() cleans up after itself on failure, and
 *    cmp_run_close() is safe on a zeroed or closed cmp_run;
 *  - readers never print; failures leave a message naming the file in the
 *    h5out error buffer (h5out_seterr / h5out_h5err, read with
 *    h5out_copyerr), and the HDF5 error stack is cleared.
 */
#ifndef NQP_COMPARE_PRIV_H
#define NQP_COMPARE_PRIV_H

#include <hdf5.h>
#include <stddef.h>

#include "output/h5out_priv.h"

/* The series groups a comparison reads (cmp_run.grp). */
enum { CMP_SRC_ECONOMY = 0, CMP_SRC_INDUSTRY, CMP_SRC_REGION, CMP_NSRC };

typedef struct cmp_run {
  const char *path;
  hid_t file;
  hid_t grp[CMP_NSRC]; /* /series/economy, /series/industry, /series/region */
  char *status;        /* root attribute `status` (NULL when missing) */
  char *scenario_name; /* root attribute `scenario_name` (NULL when missing) */
  long long seed;      /* root attribute `seed`, -1 when missing */
  long long spy;       /* root attribute `steps_per_year` */
  int steps;           /* length of the step dimension */
  h5out_strs ind, reg; /* industry and region labels */
  char *scenario;      /* the resolved scenario text (/scenario), NULL when missing */
} cmp_run;

/* Open PATH read-only and read its attributes, labels and scenario text.
 * Returns 0, or -1 (message set). It does not check `status`. */
int cmp_run_open(cmp_run *r, const char *path);
void cmp_run_close(cmp_run *r);

/* 1 when /series/<SRC>/NAME is a data series (a dataset, not a scale). */
int cmp_run_has(const cmp_run *r, int src, const char *name);
/* The `units` attribute of that series (heap), NULL when missing. */
char *cmp_run_units(const cmp_run *r, int src, const char *name);
/* Read the first STEPS rows of /series/<SRC>/NAME, NCELL values a row
 * (economy: 1), into a new heap array. Returns 1, 0 when the series is
 * absent, -1 when it cannot be read or has another shape (message set). */
int cmp_run_series(const cmp_run *r, int src, const char *name, int steps, size_t ncell,
                   double **out);
/* Names of every data series of the file (all groups, each once). */
int cmp_run_names(const cmp_run *r, h5out_strs *out);

#endif
