/* buildinfo: build provenance written into every output file.
 * Generated at build time by cmake/buildinfo.cmake (gen/buildinfo.c).
 *
 * Included by: any file at or above output/ (the writers record it) and cli/.
 */
#ifndef NQP_BUILDINFO_H
#define NQP_BUILDINFO_H
/* The public API (include/nqpsim.h) exports the functions nqp_version() and
 * nqp_git_commit(), and both live in libnqpsim: the strings' symbols are
 * nqp_build_version and nqp_build_git_commit, which the engine's sources
 * (and gen/buildinfo.c, which includes this header) still spell
 * nqp_version and nqp_git_commit through these macros. A file that
 * includes nqpsim.h must not include this header (api/ reads the build
 * facts through output/provenance.h). */
#define nqp_version    nqp_build_version
#define nqp_git_commit nqp_build_git_commit
extern const char nqp_version[];    /* semantic version, e.g. "0.1.0" */
extern const char nqp_git_commit[]; /* short commit, "-dirty" if modified */
extern const char nqp_compiler[];   /* e.g. "GNU-12.2.0" */
extern const char nqp_build_type[]; /* CMake build type */
#endif
