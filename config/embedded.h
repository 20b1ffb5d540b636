/* embedded: scenario and sweep files compiled into the binary
 * (cmake/embed.cmake): lookup by name, the one-line description of each
 * (its first comment line), and "did you mean" hints for mistyped names.
 *
 * Invariants: each table ends with a {NULL, NULL} entry; texts are
 * NUL-ended; names are file names ("anhui.yaml"), unique within a table.
 *
 * Included by: any file at or above config/ that lists or reads embedded
 * scenarios or sweeps.
 */
#ifndef NQP_EMBEDDED_H
#define NQP_EMBEDDED_H
#include <stddef.h>

typedef struct nqp_embedded_file {
  const char *name; /* file name, e.g. "anhui.yaml" */
  const char *text; /* file content */
} nqp_embedded_file;
extern const nqp_embedded_file nqp_embedded[];        /* every scenarios/NAME.yaml */
extern const nqp_embedded_file nqp_embedded_sweeps[]; /* every scenarios/sweeps/NAME.yaml */

/* Returns the text of the embedded scenario NAME, or NULL. */
const char *nqp_embedded_find(const char *name);
/* The entry of TABLE named NAME, or NAME with ".yaml" appended; NULL if
 * none. */
const nqp_embedded_file *nqp_embedded_lookup(const nqp_embedded_file *table, const char *name);
/* The file's one-line description into BUF: the first sentence of the
 * comment block TEXT opens with, cut at a word with "..." when longer than
 * BUF; "" when the file does not open with a comment. */
void nqp_embedded_summary(const char *text, char *buf, size_t len);
/* " (did you mean \"X\"?)" for the name of TABLE closest to NAME, else
 * " (`nqpsim list` shows the embedded files)", into BUF. */
void nqp_embedded_hint(const nqp_embedded_file *table, const char *name, char *buf, size_t len);
#endif
