/* provenance: the build facts written into every output file (run, sweep,
 * checkpoint): one table, so every writer records the same keys. */
#include "output/provenance.h"

#include <H5public.h>
#include <stdio.h>

#include "base/buildinfo.h"

const nqp_attr *nqp_provenance(void) {
  static char hdf5[32];
  static nqp_attr attrs[] = {{"program", "nqpsim"},
                             {"version", nqp_build_version},
                             {"git_commit", nqp_build_commit},
                             {"compiler", nqp_build_compiler},
                             {"build_type", nqp_build_type},
                             {"hdf5_version", hdf5},
                             {NULL, NULL}};
  unsigned maj, min, rel;
  H5get_libversion(&maj, &min, &rel);
  snprintf(hdf5, sizeof hdf5, "%u.%u.%u", maj, min, rel);
  return attrs;
}
