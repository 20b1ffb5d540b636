/* api_library: library-wide calls of the public API: version and commit
 * of the build, strings handed to the caller, the embedded scenarios'
 * names, the names of the series levels.
 *
 * Invariants: every string returned here is static; the build facts come
 * from the provenance table every output file records (output/
 * provenance.h), so the library reports the same version as its files;
 * level names are the run file's /series group names (docs/output.md).
 */
#include <stdlib.h>
#include <string.h>

#include "api/api_priv.h"
#include "config/embedded.h"
#include "output/provenance.h"

_Static_assert((int)NQP_ECONOMY == (int)SERIES_ECONOMY &&
                   (int)NQP_INDUSTRY == (int)SERIES_INDUSTRY &&
                   (int)NQP_REGION == (int)SERIES_REGION &&
                   (int)NQP_INDUSTRY_REGION == (int)SERIES_INDUSTRY_REGION,
               "nqp_level must number the levels as series_level does");

static const char *provenance(const char *key) {
  for (const nqp_attr *a = nqp_provenance(); a->key; a++)
    if (!strcmp(a->key, key)) return a->value;
  return "";
}

const char *nqp_version(void) {
  return provenance("version");
}

const char *nqp_git_commit(void) {
  return provenance("git_commit");
}

void nqp_string_free(char *s) {
  free(s);
}

const char *nqp_embedded_name(size_t i) {
  for (size_t k = 0; nqp_embedded[k].name; k++)
    if (k == i) return nqp_embedded[k].name;
  return NULL;
}

const char *nqp_level_name(nqp_level level) {
  static const char *const names[] = {"economy", "industry", "region", "industry_region"};
  if ((int)level < 0 || (int)level >= SERIES_NLEVELS) {
    api_fail(NQP_BAD_INPUT, "level %d: not a series level (0 to %d)", (int)level,
             SERIES_NLEVELS - 1);
    return NULL;
  }
  return names[level];
}
