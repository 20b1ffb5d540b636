/* fuzz_set: libFuzzer harness of the --set override parser (config/cfg_set)
 * applied to the embedded Anhui baseline: each input line is one
 * "key.path=value" override (at most 16).
 *
 * Properties: no crash, leak or undefined behaviour; a failed load has a
 * message; a loaded scenario's resolved text loads again unchanged.
 * Build and run: `make fuzz` (tests/fuzz/run.sh).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/scenario.h"

#define MAX_SETS 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1), *resolved = NULL, err[4096] = "";
  const char *sets[MAX_SETS];
  size_t n = 0;
  scenario s;
  if (!text) return 0;
  memcpy(text, data, size);
  text[size] = 0;
  for (char *line = strtok(text, "\n"); line && n < MAX_SETS; line = strtok(NULL, "\n"))
    sets[n++] = line;
  if (scn_load(NULL, sets, n, &s, &resolved, err, sizeof err) == 0) {
    scenario again;
    char *twice = NULL;
    if (scn_load_string("resolved.yaml", resolved, NULL, 0, &again, &twice, err, sizeof err) != 0 ||
        strcmp(resolved, twice) != 0) {
      fprintf(stderr, "resolved scenario does not reload unchanged: %s\n", err);
      abort();
    }
    free(twice);
    scn_free(&again);
    free(resolved);
    scn_free(&s);
  } else if (!err[0]) {
    fprintf(stderr, "load failed without a message\n");
    abort();
  }
  free(text);
  return 0;
}
