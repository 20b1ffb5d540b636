/* embedded: scenario files compiled into the binary (cmake/embed.cmake).
 * Invariant: the table ends with a {NULL, NULL} entry; texts are NUL-ended.
 *
 * Included by: any file at or above config/ that lists or reads embedded scenarios.
 */
#ifndef NQP_EMBEDDED_H
#define NQP_EMBEDDED_H
typedef struct nqp_embedded_file {
  const char *name; /* file name, e.g. "anhui.yaml" */
  const char *text; /* file content */
} nqp_embedded_file;
extern const nqp_embedded_file nqp_embedded[];
/* Returns the text of the embedded file NAME, or NULL. */
const char *nqp_embedded_find(const char *name);
#endif
