/* fuzz_h5read: libFuzzer harness of the HDF5 readers of untrusted files:
 * `nqpsim info` (h5out_info), `nqpsim compare` (cmp_build, the file against
 * itself, through output/runfile.h) and both report readers (rpt_runs_json,
 * rpt_sweep_json: the generic group walk of report_json.c), each on the
 * fuzz input as a file.
 *
 * The input is written to a temporary file (removed at exit). Properties: no crash, leak or
 * undefined behaviour in nqpsim's code; every failure has a message. The system libhdf5 is not
 * instrumented and itself crashes on some damaged files (docs/reliability.md:
 * the commands run their reads in a child, cli/cli_guard.c); run.sh runs this
 * harness with -fork and -ignore_crashes and fails only on crashes whose
 * innermost frame is in nqpsim's code. Seeds: small run and sweep files
 * (tests/fuzz/corpus/h5read/, written by make_corpus.py there).
 * Build and run: `make fuzz` (tests/fuzz/run.sh).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/compare.h"
#include "output/h5out.h"
#include "output/h5util.h"
#include "output/report_priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int input_fd = -1;
static char input_path[64];
static FILE *devnull;

static void remove_input(void) {
  if (input_path[0]) unlink(input_path);
}

/* The input as a named file (HDF5 resolves the real path of what it opens,
 * so an unlinked file's /proc/self/fd path does not do), removed at exit. */
static int write_input(const uint8_t *data, size_t size) {
  if (input_fd < 0) {
    strcpy(input_path, "/tmp/nqp-fuzz-h5read-XXXXXX");
    if ((input_fd = mkstemp(input_path)) < 0) return -1;
    atexit(remove_input);
    if (!(devnull = fopen("/dev/null", "w"))) return -1;
  }
  if (ftruncate(input_fd, 0) != 0) return -1;
  return pwrite(input_fd, data, size, 0) == (ssize_t)size ? 0 : -1;
}

static void need_message(const char *who, const char *err) {
  if (!err[0]) {
    fprintf(stderr, "%s failed without a message\n", who);
    abort();
  }
}

static void free_warnings(rpt_warnings *w) {
  for (size_t i = 0; i < w->n; i++) free(w->v[i]);
  free(w->v);
  memset(w, 0, sizeof *w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char err[4096] = "";
  const char *paths[1];
  cmp_table *t = NULL;
  rpt_buf b = {0};
  rpt_warnings w = {0};
  if (write_input(data, size) != 0) return 0;
  paths[0] = input_path;

  if (h5out_info(input_path, devnull, err, sizeof err) != 0) need_message("h5out_info", err);

  err[0] = 0;
  if (cmp_build(input_path, input_path, NULL, &t, err, sizeof err) != CMP_OK)
    need_message("cmp_build", err);
  cmp_free(&t);

  h5u_budget_reset(0);
  h5u_seterr("%s", "");
  if (rpt_runs_json(&b, paths, 1, &w) != RPT_OK) need_message("rpt_runs_json", h5u_last_error());
  rpt_buf_free(&b);
  free_warnings(&w);

  h5u_budget_reset(0);
  h5u_seterr("%s", "");
  if (rpt_sweep_json(&b, input_path, &w) != RPT_OK)
    need_message("rpt_sweep_json", h5u_last_error());
  rpt_buf_free(&b);
  free_warnings(&w);
  return 0;
}
