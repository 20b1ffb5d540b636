/* report_priv: the pieces of `nqpsim report` (output/report.h) shared by
 * its files. Not part of the public interface.
 *
 *   report_json.c   a growable text buffer, JSON values, and generic HDF5
 *                   readers (attributes, any numeric or string dataset,
 *                   whole groups) that emit JSON
 *   report_run.c    run files -> the JSON document of a run report
 *   report_sweep.c  a sweep results file -> the JSON of a sweep report
 *   report.c        input checks, the HTML page, atomic writing
 *
 * Invariants:
 *  - an rpt_buf that ran out of memory stays in that state (oom = 1) and
 *    ignores further writes, so writers check once at the end;
 *  - JSON strings never contain "<" (written as \u003c), so the document
 *    can sit inside a <script> element; non-finite numbers are `null`;
 *  - readers never print: failures set a message in the h5util error buffer
 *    (h5u_seterr, naming the file) and return -1, with every HDF5 handle
 *    closed and the HDF5 error stack cleared.
 *
 * Private to: output/report.c output/report_json.c output/report_run.c
 * output/report_sweep.c tests/output/test_report.c tests/fuzz/fuzz_h5read.c
 */
#ifndef NQP_REPORT_PRIV_H
#define NQP_REPORT_PRIV_H

#include <hdf5.h>
#include <stddef.h>

#include "output/report.h"

/* Largest dataset (elements) embedded in a report; larger ones are left
 * out with a warning. */
#define RPT_MAX_ELEMENTS ((size_t)4 << 20)

/* Most objects (groups and datasets) a generic group reader enters in one
 * walk; each only once (no cycles, no repeated links). Every dataset read
 * also takes its size from the command's read budget (h5u_budget_take),
 * so the many datasets of one crafted file cannot add up to gigabytes. */
#define RPT_MAX_OBJECTS 4096

typedef struct rpt_buf {
  char *p;
  size_t n, cap;
  int oom;
} rpt_buf;

void rpt_buf_free(rpt_buf *b);
void rpt_put(rpt_buf *b, const char *s);
void rpt_putn(rpt_buf *b, const char *s, size_t n);
void rpt_printf(rpt_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* JSON values. */
void rpt_json_str(rpt_buf *b, const char *s); /* NULL: null */
void rpt_json_num(rpt_buf *b, double v);      /* non-finite: null */
void rpt_json_nums(rpt_buf *b, const double *v, size_t n, size_t stride);
/* "KEY": (with a leading comma unless FIRST) */
void rpt_json_key(rpt_buf *b, const char *key, int first);

int rpt_warn(rpt_warnings *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Every attribute of OBJ as a JSON object {name: string | number | [..]}. */
int rpt_json_attrs(rpt_buf *b, hid_t obj);
/* Dataset PATH of LOC as {"shape": [..], "data": [flat, row-major]}:
 * numbers (any integer or float type, as doubles) or strings; `null` when
 * PATH is absent. Returns 0, or -1 with a message (FILE names the file). */
int rpt_json_dataset(rpt_buf *b, hid_t loc, const char *path, const char *file, rpt_warnings *w);
/* Every dataset of group PATH of LOC (recursively) as {name: dataset};
 * `null` when the group is absent. Only hard links are followed, each
 * object once, at most H5U_MAX_DEPTH groups deep: a soft or external
 * link, a link cycle or a repeated link is refused (-1, message set). */
int rpt_json_group(rpt_buf *b, hid_t loc, const char *path, const char *file, rpt_warnings *w);

/* The JSON of a run report of N run files, and of a sweep report. Both
 * return RPT_OK, RPT_BAD_INPUT or RPT_FAILED (message in the h5util error
 * buffer). */
int rpt_runs_json(rpt_buf *b, const char *const *paths, size_t n, rpt_warnings *w);
int rpt_sweep_json(rpt_buf *b, const char *path, rpt_warnings *w);

/* Status of an open file's root attribute `status`: 0 when "complete",
 * else -1 with a message naming PATH (what the file is: KIND). */
int rpt_check_complete(hid_t file, const char *path, const char *kind);

#endif
