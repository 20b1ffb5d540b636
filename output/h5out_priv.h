/* h5out_priv: helpers shared by the run writer (h5out.c) and the reader
 * summary (h5out_info.c). Not part of the public interface.
 *
 * Invariants:
 *  - every helper that opens an HDF5 handle closes it before returning, on
 *    every path; none of them prints (HDF5's automatic error printing is
 *    switched off by h5out_quiet());
 *  - after a failed HDF5 call the caller invokes h5out_h5err() before any
 *    other HDF5 call, so the error stack it reads is the failing call's;
 *  - the last error message lives in one static buffer, read by
 *    h5out_last_error().
 */
#ifndef NQP_H5OUT_PRIV_H
#define NQP_H5OUT_PRIV_H

#include <hdf5.h>
#include <stddef.h>

/* Names of the groups and dimension scales of a run file. */
#define H5OUT_FORMAT         "nqpsim-run"
#define H5OUT_FORMAT_VERSION 1

extern const char *const h5out_group_names[4]; /* "economy", ... */

/* Switch off HDF5's automatic error printing (process wide, idempotent). */
void h5out_quiet(void);

/* Record a message (printf format) as the last error. */
void h5out_seterr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Record "CONTEXT: <summary of the current HDF5 error stack>" as the last
 * error. Call right after the failing HDF5 call. */
void h5out_h5err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Remove a stale PARTIAL file left by an earlier process. 0 when none is
 * left (also when there was none, even in a directory we cannot write:
 * creating the file then reports the real problem); -1, with the error
 * set, when one exists and cannot be removed. */
int h5out_remove_stale(const char *partial);

/* Copy the last error into ERR (may be NULL). */
void h5out_copyerr(char *err, size_t errlen);

/* Close a handle of any kind if it is valid and set it to
 * H5I_INVALID_HID. Returns 0, or -1 when the close failed. */
int h5out_close(hid_t *id);

/* A variable-length UTF-8 string type (caller closes), or -1. */
hid_t h5out_vlen_str_type(void);

/* Write a scalar attribute on OBJ, replacing an existing one. */
int h5out_put_attr_str(hid_t obj, const char *name, const char *value);
int h5out_put_attr_i64(hid_t obj, const char *name, long long value);
int h5out_put_attr_f64(hid_t obj, const char *name, double value);

/* Read a string attribute (fixed or variable length, scalar or the first
 * element) into a heap string. Returns NULL when missing or not a string. */
char *h5out_get_attr_str(hid_t obj, const char *name);

/* a * b into *OUT; -1 on overflow. */
int h5out_mul(size_t a, size_t b, size_t *out);

/* A growable list of heap strings (labels, member names). */
typedef struct h5out_strs {
  char **v;
  size_t n, cap;
} h5out_strs;
int h5out_strs_push(h5out_strs *l, const char *s);
void h5out_strs_free(h5out_strs *l);
/* Index of S in L, or -1. */
long h5out_strs_find(const h5out_strs *l, const char *s);

#endif
