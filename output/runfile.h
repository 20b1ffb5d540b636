/* runfile: the names of a run file (format, series groups) and its
 * reader: open a run file written by output/h5out.c, read its root
 * attributes, labels and resolved scenario, and its series. Used by
 * `nqpsim compare` (output/compare.c) and the run report
 * (output/report_run.c); the layout is in output/h5out.h and
 * docs/output.md.
 *
 * Invariants:
 *  - a runfile is either fully open (every handle valid, labels read) or
 *    closed: runfile_open() cleans up after itself on failure, and
 *    runfile_close() is safe on a zeroed or closed runfile;
 *  - read only; readers never print; failures leave a message naming the
 *    file in the h5util error buffer (read with h5u_copyerr or
 *    h5u_last_error), and the HDF5 error stack is cleared;
 *  - nothing is assumed about a dataset's shape before it is checked, so a
 *    hostile file cannot overrun a buffer; every series read is charged to
 *    the command's read budget (output/h5util.h: h5u_budget_take), so its
 *    caller resets the budget (h5u_budget_reset) when the command starts.
 *
 * Included by: any file at or above output/ (layers.txt).
 */
#ifndef NQP_RUNFILE_H
#define NQP_RUNFILE_H

#include <hdf5.h>
#include <stddef.h>

#include "output/h5util.h"
#include "sim/series.h"

/* Root attribute `format` and `format_version` of a run file. */
#define RUNFILE_FORMAT         "nqpsim-run"
#define RUNFILE_FORMAT_VERSION 1

/* Names of the series groups under /series, by series_level. */
extern const char *const runfile_group_names[SERIES_NLEVELS]; /* "economy", ... */

/* The series groups the reader opens (runfile.grp): the first three
 * levels, numbered as series_level. */
enum {
  RUNFILE_ECONOMY = SERIES_ECONOMY,
  RUNFILE_INDUSTRY = SERIES_INDUSTRY,
  RUNFILE_REGION = SERIES_REGION,
  RUNFILE_NSRC
};

typedef struct runfile {
  const char *path;
  hid_t file;
  hid_t grp[RUNFILE_NSRC]; /* /series/economy, /series/industry, /series/region */
  char *status;            /* root attribute `status` (NULL when missing) */
  char *scenario_name;     /* root attribute `scenario_name` (NULL when missing) */
  long long seed;          /* root attribute `seed`, -1 when missing */
  long long spy;           /* root attribute `steps_per_year` */
  int steps;               /* length of the step dimension */
  h5u_strs ind, reg;       /* industry and region labels */
  char *scenario;          /* the resolved scenario text (/scenario), NULL when missing */
} runfile;

/* Open PATH read-only and read its attributes, labels and scenario text.
 * Returns 0, or -1 (message set). It does not check `status`. */
int runfile_open(runfile *r, const char *path);
void runfile_close(runfile *r);

/* 1 when /series/<SRC>/NAME is a data series (a dataset, not a scale). */
int runfile_has(const runfile *r, int src, const char *name);
/* The string attribute ATTR (`units`, `long_name`) of that series (heap),
 * NULL when the series or the attribute is missing. */
char *runfile_attr(const runfile *r, int src, const char *name, const char *attr);
/* Read the first STEPS rows of /series/<SRC>/NAME, NCELL values a row
 * (economy: 1), into a new heap array. Returns 1, 0 when the series is
 * absent, -1 when it cannot be read, has another shape or exceeds the read
 * budget (message set). */
int runfile_series(const runfile *r, int src, const char *name, int steps, size_t ncell,
                   double **out);
/* Names of every data series of the file (all groups, each once). */
int runfile_names(const runfile *r, h5u_strs *out);

#endif
