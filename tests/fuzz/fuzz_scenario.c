/* fuzz_scenario: libFuzzer harness of the scenario loader (config/config via
 * scn_load_string): YAML parsing, `extends:` (files and the embedded
 * library), merging, binding to the schema, check hooks.
 *
 * Properties checked on every input, beyond "no crash, no leak, no
 * undefined behaviour" (the harness is built with ASan and UBSan):
 *  - a load either succeeds or fails with a message of the form
 *    "NAME:LINE:COLUMN: ..." (or names the file it could not read);
 *  - the resolved text of a loaded scenario loads again and resolves to
 *    the same text (checkpoints and run files rebuild scenarios from it).
 * Build and run: `make fuzz` (tests/fuzz/run.sh).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_resolved(const char *resolved) {
  scenario again;
  char *twice = NULL, err[4096];
  if (scn_load_string("resolved.yaml", resolved, NULL, 0, &again, &twice, err, sizeof err) != 0) {
    fprintf(stderr, "resolved scenario does not load again: %s\n", err);
    abort();
  }
  if (strcmp(resolved, twice) != 0) {
    fprintf(stderr, "resolving the resolved scenario changed it\n");
    abort();
  }
  free(twice);
  scn_free(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1), *resolved = NULL, err[4096] = "";
  scenario s;
  if (!text) return 0;
  memcpy(text, data, size);
  text[size] = 0;
  if (scn_load_string("fuzz.yaml", text, NULL, 0, &s, &resolved, err, sizeof err) == 0) {
    check_resolved(resolved);
    free(resolved);
    scn_free(&s);
  } else if (!err[0]) {
    fprintf(stderr, "load failed without a message\n");
    abort();
  }
  free(text);
  return 0;
}
