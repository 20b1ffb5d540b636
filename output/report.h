/* report: interactive HTML reports of run and sweep files (`nqpsim report`).
 *
 * rpt_write() reads one or more run files (output/h5out.h layout) or one
 * sweep results file (drivers/sweepout.h layout), serialises the series a
 * report shows to JSON, and writes one self-contained HTML file: the JSON,
 * Apache ECharts and the report script (report/report.js) are inlined
 * (output/report_assets.h), so the file opens offline in any browser, with
 * no server and no network. The script builds every chart in the browser.
 *
 * Invariants:
 *  - the output is written as OUT.partial, flushed, fsync'ed and renamed to
 *    OUT only when complete; on any failure OUT is untouched and no
 *    .partial is left behind;
 *  - inputs are read only; a file that is missing, not HDF5, truncated, not
 *    an nqpsim run or sweep file, or not complete is RPT_BAD_INPUT with a
 *    message naming it, never a crash; so are runs that cannot be compared
 *    (different industries or regions) and an output that cannot be created;
 *  - the library prints nothing: warnings are returned to the caller.
 *
 * Included by: any file at or above output/ (layers.txt).
 */
#ifndef NQP_REPORT_H
#define NQP_REPORT_H

#include <stddef.h>

enum { RPT_OK = 0, RPT_FAILED = 1, RPT_BAD_INPUT = 2 };

/* What the inputs were, once read. */
typedef enum rpt_kind { RPT_RUNS = 0, RPT_SWEEP = 1 } rpt_kind;

typedef struct rpt_warnings {
  char **v; /* one line each, without "nqpsim:" */
  size_t n, cap;
} rpt_warnings;

typedef struct rpt_result {
  rpt_kind kind;
  size_t bytes;   /* size of the HTML file written */
  rpt_warnings w; /* free with rpt_result_free() */
} rpt_result;

/* Write the report of the N files INPUTS to OUT. Returns RPT_OK, or
 * RPT_BAD_INPUT / RPT_FAILED with a message in ERR. RES (may be NULL)
 * receives the kind, the size and the warnings, also on failure. */
int rpt_write(const char *const *inputs, size_t n, const char *out, rpt_result *res, char *err,
              size_t errlen);
void rpt_result_free(rpt_result *res);

/* 1 when this build can write reports (built with the assets, not
 * -DNQP_REPORT=OFF). */
int rpt_available(void);

#endif
