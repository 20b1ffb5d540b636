/* provenance: the build facts written into every output file (run, sweep,
 * checkpoint): one table, so every writer records the same keys.
 * Included by: output/ and the layers above it (drivers/).
 * Invariant: the table is static, {NULL, NULL}-ended, and the same for the
 * whole process. */
#ifndef NQP_PROVENANCE_H
#define NQP_PROVENANCE_H

typedef struct nqp_attr {
  const char *key;
  const char *value;
} nqp_attr;

/* program, version, git_commit, compiler, build_type, hdf5_version. */
const nqp_attr *nqp_provenance(void);

#endif
