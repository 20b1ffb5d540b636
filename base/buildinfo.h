/* buildinfo: build provenance written into every output file.
 * Generated at build time by cmake/buildinfo.cmake (gen/buildinfo.c).
 *
 * Included by: any file at or above output/ (the writers record it) and cli/.
 */
#ifndef NQP_BUILDINFO_H
#define NQP_BUILDINFO_H
extern const char nqp_build_version[];  /* semantic version, e.g. "0.1.0" */
extern const char nqp_build_commit[];   /* short commit, "-dirty" if modified */
extern const char nqp_build_compiler[]; /* e.g. "GNU-12.2.0" */
extern const char nqp_build_type[];     /* CMake build type */
#endif
