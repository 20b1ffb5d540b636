/* meta_hash: checksums over the metadata of an HDF5 file that Fletcher-32
 * does not cover. Fletcher-32 protects chunked datasets only; the resolved
 * scenario (/scenario, a variable-length string) and string attributes
 * live in HDF5's global heap, which carries no checksum, so a flipped byte
 * there (demand_growth: 0.1 -> 0.9) would be read back silently.
 *
 * The writer feeds every item it trusts (root attributes by name and
 * value, text datasets by path) to a meta_hash accumulator and stores the
 * result as the root attribute `meta_hash`, a string that names every item
 * with the CRC-32C of its value:
 *
 *   meta_hash = "crc32c:1 NAME=XXXXXXXX NAME=XXXXXXXX ... /scenario=XXXXXXXX"
 *
 * NAME is an attribute of the root group; /PATH a scalar string dataset
 * (a text) or a 1-D one (a list, e.g. the industry labels).
 * The CRC covers a type tag and the value: 's' and the bytes of a string,
 * 'i' and the 8 little-endian bytes of an integer, 'f' and the 8 bytes of
 * a double's bit pattern (little-endian), 't' and the bytes of a text, 'l'
 * and each string of a 1-D string dataset followed by a NUL byte.
 *
 * Invariants:
 *  - meta_hash_verify() recomputes each named item from the file, so a
 *    writer and a reader agree on the canonical form by construction (the
 *    same item functions); a mismatch names the first item that differs;
 *  - items not named (format, status, which readers check against fixed
 *    values) are not covered; the list itself is covered by the CRCs (a
 *    damaged name is an item that cannot be found, a refusal);
 *  - reading never trusts the file: types, ranks and sizes are checked,
 *    the HDF5 error stack is cleared, and nothing is left open.
 *
 * Included by: output/ and the layers above it (drivers/runout.c writes
 * run files' hashes; output/checkpoint.c and output/runfile.c verify).
 */
#ifndef NQP_META_HASH_H
#define NQP_META_HASH_H

#include <hdf5.h>
#include <stddef.h>
#include <stdint.h>

#define META_HASH_ATTR "meta_hash"

/* CRC-32C (Castagnoli) of N bytes at P, continuing from CRC (0 to start). */
uint32_t meta_crc32c(uint32_t crc, const void *p, size_t n);

/* CRC-32C of the bytes [FROM, TO) of the open file FD (table-driven, for
 * whole files). 0, or -1 with errno set (a read error or a short file). */
int meta_crc32c_fd(int fd, long long from, long long to, uint32_t *crc);

/* An accumulator: the text of the attribute being built. */
typedef struct meta_hash {
  char *text; /* "crc32c:1 NAME=XXXXXXXX ..." (heap) */
  size_t len, cap;
  int failed; /* out of memory: meta_hash_text() returns NULL */
} meta_hash;

void meta_hash_init(meta_hash *m);
void meta_hash_str(meta_hash *m, const char *name, const char *value);
void meta_hash_i64(meta_hash *m, const char *name, int64_t value);
void meta_hash_f64(meta_hash *m, const char *name, double value);
/* A scalar text dataset at PATH (starting with '/'). */
void meta_hash_text(meta_hash *m, const char *path, const char *text);
/* A 1-D string dataset at PATH (labels): its N strings in order. */
void meta_hash_list(meta_hash *m, const char *path, const char *const *items, size_t n);
/* The attribute's value (owned by M), NULL when out of memory. */
const char *meta_hash_value(const meta_hash *m);
void meta_hash_free(meta_hash *m);

/* Results of meta_hash_verify. */
enum { META_HASH_OK = 0, META_HASH_ABSENT = 1, META_HASH_MISMATCH = -1 };

/* Verify the `meta_hash` attribute of ROOT (an open root group) against
 * the file: META_HASH_OK, META_HASH_ABSENT (no such attribute: a file
 * written before it existed), or META_HASH_MISMATCH with WHY naming what
 * does not match (e.g. "the stored scenario /scenario does not match its
 * checksum"). */
int meta_hash_verify(hid_t root, char *why, size_t whylen);

/* Compute the items NAMES (NULL-ended: attribute names, /paths of text
 * datasets) from the file as stored and write `meta_hash` on ROOT. For a
 * writer that has the file open (checkpoints). 0, or -1 (message set in
 * the h5util error buffer). */
int meta_hash_seal(hid_t root, const char *const *names);
/* Recompute `meta_hash` over the items it already names (a forger who
 * knows the format: tests of the checks behind the checksum). 0 or -1. */
int meta_hash_reseal(hid_t root);

#endif
