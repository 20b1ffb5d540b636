/* fuzz_sweep: libFuzzer harness of the sweep-file loader (drivers/sweep.h:
 * sweep_load): YAML, the sweep schema, parameter paths applied to the base
 * scenario, design construction (sizes derived from the input must be
 * checked before allocating: libFuzzer's -rss_limit_mb catches those that
 * are not).
 *
 * The input is written to an unlinked temporary file (sweep_load reads a
 * path). Properties: no crash, leak or undefined behaviour; a failure has
 * a message. Build and run: `make fuzz` (tests/fuzz/run.sh).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drivers/sweep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int input_fd = -1;
static char input_path[64];

static int write_input(const uint8_t *data, size_t size) {
  if (input_fd < 0) {
    char tmpl[] = "/tmp/nqp-fuzz-sweep-XXXXXX";
    if ((input_fd = mkstemp(tmpl)) < 0) return -1;
    unlink(tmpl);
    snprintf(input_path, sizeof input_path, "/proc/self/fd/%d", input_fd);
  }
  if (ftruncate(input_fd, 0) != 0) return -1;
  return pwrite(input_fd, data, size, 0) == (ssize_t)size ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  sweep sw;
  char err[4096] = "";
  if (write_input(data, size) != 0) return 0;
  memset(&sw, 0, sizeof sw);
  if (sweep_load(input_path, &sw, err, sizeof err) == SWEEP_OK) {
    sweep_free(&sw);
  } else if (!err[0]) {
    fprintf(stderr, "sweep_load failed without a message\n");
    abort();
  }
  return 0;
}
