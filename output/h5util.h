/* h5util: the HDF5 helpers every writer and reader of nqpsim shares: the
 * run writer (h5out.c) and its summary (h5out_info.c), checkpoints
 * (checkpoint*.c), the run-file reader (runfile.c), compare (compare*.c),
 * reports (report*.c) and the sweep results writer (drivers/sweepout.c).
 *
 *   errors      one process-wide last-error buffer: h5u_seterr (a message),
 *               h5u_h5err (a message plus the HDF5 error stack, summarised
 *               on one line), h5u_copyerr / h5u_last_error to read it;
 *               h5u_quiet switches HDF5's own printing off;
 *   handles     h5u_close closes a handle of any kind;
 *   attributes  scalar string (variable-length UTF-8), int64 and float64
 *               attributes written in place or replaced; string and integer
 *               attributes read back defensively;
 *   creation    files and groups with link and attribute creation order
 *               tracked and indexed (netCDF-4 needs it), libver bounds
 *               [1.10, 1.10] (checksummed metadata everywhere: superblock
 *               v3, object headers v2, new chunk indexes); dataset
 *               creation properties with attribute
 *               order; `units` + `long_name`; dimension scales (H5DS);
 *   small       checked size multiplication, a growable list of strings;
 *   untrusted   what every reader of a file that may be hostile relies on:
 *               external links never followed (h5u_quiet unregisters
 *               them), a process-wide read budget in bytes shared by all
 *               the datasets one command reads, a size check of the file
 *               against HDF5's end of allocation before deeper reads.
 *
 * Invariants:
 *  - every helper that opens an HDF5 handle closes it before returning, on
 *    every path; none of them prints (HDF5's automatic error printing is
 *    switched off by h5u_quiet());
 *  - after a failed HDF5 call the caller invokes h5u_h5err() before any
 *    other HDF5 call, so the error stack it reads is the failing call's;
 *  - the last error message lives in one static buffer (not thread-safe:
 *    HDF5 calls are made from one thread), read by h5u_last_error();
 *  - HDF5's atexit clean-up is switched off before the library starts
 *    (HDF5 1.10 crashes in it after a failed H5Fclose, e.g. on a full
 *    disk); every file is closed explicitly.
 *
 * Included by: any file at or above output/ (layers.txt) that calls HDF5.
 */
#ifndef NQP_H5UTIL_H
#define NQP_H5UTIL_H

#include <hdf5.h>
#include <stddef.h>

/* ---- errors ------------------------------------------------------------- */

/* Switch off HDF5's automatic error printing and unregister HDF5's
 * external-link class (process wide, idempotent): every reader calls it
 * before opening a file, so no reader follows an external link out of the
 * file it was given (nqpsim writes none). */
void h5u_quiet(void);

/* Record a message (printf format) as the last error. */
void h5u_seterr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Record "CONTEXT: <summary of the current HDF5 error stack>" as the last
 * error. Call right after the failing HDF5 call. */
void h5u_h5err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The last error, and a copy of it into ERR (may be NULL). */
const char *h5u_last_error(void);
void h5u_copyerr(char *err, size_t errlen);

/* ---- handles ------------------------------------------------------------ */

/* Close a handle of any kind if it is valid and set it to
 * H5I_INVALID_HID. Returns 0, or -1 when the close failed. */
int h5u_close(hid_t *id);

/* A variable-length UTF-8 string type (caller closes), or -1. */
hid_t h5u_vlen_str_type(void);

/* ---- attributes --------------------------------------------------------- */

/* Write a scalar attribute on OBJ. An existing one of the same type is
 * overwritten in place (it keeps its creation order); one of another type
 * or shape is replaced. Returns 0, or -1 with the error set. */
int h5u_put_attr_str(hid_t obj, const char *name, const char *value);
int h5u_put_attr_i64(hid_t obj, const char *name, long long value);
int h5u_put_attr_f64(hid_t obj, const char *name, double value);

/* Read a string attribute (fixed or variable length, scalar or the first
 * element) into a heap string. Returns NULL when missing or not a string. */
char *h5u_get_attr_str(hid_t obj, const char *name);
/* Read an attribute of one integer into *OUT. Returns 0, or -1 when it is
 * missing or not one integer (no error message; the stack is cleared). */
int h5u_get_attr_i64(hid_t obj, const char *name, long long *out);

/* ---- creation ----------------------------------------------------------- */

/* Link and attribute creation order: tracked and indexed. */
#define H5U_CRT_ORDER (H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED)

/* The file access properties of every writer: libver bounds [1.10, 1.10],
 * so that all metadata carries checksums that HDF5 verifies on reading
 * (caller closes), or -1. */
hid_t h5u_fapl_write(void);

/* Create file PATH (FLAGS: H5F_ACC_EXCL or H5F_ACC_TRUNC) with creation
 * order tracked and h5u_fapl_write(). Returns the file, or -1
 * with "PATH: file properties" or "PATH: cannot create: ..." set. */
hid_t h5u_create_file(const char *path, unsigned flags);

/* Create group NAME in PARENT with creation order tracked (caller
 * closes), or -1 with the error set. */
hid_t h5u_mkgroup(hid_t parent, const char *name);

/* Dataset creation properties with attribute creation order tracked
 * (caller adds chunking, filters, fill value and closes), or -1. */
hid_t h5u_dcpl(void);

/* The `units` and `long_name` attributes of a dataset. Returns 0 or -1. */
int h5u_describe(hid_t d, const char *units, const char *long_name);

/* Make D the dimension scale NAME. Returns 0, or -1 with the error set
 * (also when D is invalid, without a message: its creation set one). */
int h5u_set_scale(hid_t d, const char *name);

/* Attach dimension scale SCALE to dimension IDX of D (named NAME in the
 * message). Returns 0, or -1 with the error set. */
int h5u_attach(hid_t d, hid_t scale, unsigned idx, const char *name);

/* ---- small -------------------------------------------------------------- */

/* a * b into *OUT; -1 on overflow. */
int h5u_mul(size_t a, size_t b, size_t *out);

/* A growable list of heap strings (labels, member names). */
typedef struct h5u_strs {
  char **v;
  size_t n, cap;
} h5u_strs;
int h5u_strs_push(h5u_strs *l, const char *s);
void h5u_strs_free(h5u_strs *l);
/* Index of S in L, or -1. */
long h5u_strs_find(const h5u_strs *l, const char *s);

/* ---- untrusted input ---------------------------------------------------- */

/* Default read budget (bytes) of one command, and the environment variable
 * that sets another. */
#define H5U_READ_BUDGET     ((size_t)256 << 20)
#define H5U_READ_BUDGET_ENV "NQPSIM_READ_BUDGET"

/* Start a command's read budget: BYTES, or when 0 the value of
 * NQPSIM_READ_BUDGET (bytes) if set and valid, else H5U_READ_BUDGET. */
void h5u_budget_reset(size_t bytes);
/* Take BYTES from the budget for reading WHAT of FILE. Returns 0, or -1
 * with "FILE: WHAT needs N MB, more than the N MB left of the read budget
 * ..." set (nothing taken). */
int h5u_budget_take(size_t bytes, const char *file, const char *what);
/* 1 when the last h5u_budget_take failed (until the next reset). */
int h5u_budget_exhausted(void);

/* Checks of open file F (named PATH) before anything is read from it: its
 * size on disk covers HDF5's end of allocated space (else truncated), and
 * every global heap collection (the unchecksummed home of variable-length
 * strings, which HDF5 1.10.8 decodes without bounds checks) is tiled by its
 * objects. Returns 0, or -1 with "PATH: truncated ..." or "PATH: damaged:
 * the global heap ..." set. */
int h5u_check_open(hid_t f, const char *path);

/* 1 when elements [START, START+COUNT) of dataset D may be read with a
 * variable-length memory type: it is not variable-length, or it is stored
 * elsewhere than contiguously, or each of those stored elements claims a length within the file's
 * size. HDF5 1.10.8 allocates a conversion buffer of the claimed length before it reads a string (a
 * crafted length of gigabytes exhausts memory), and contiguous raw data has no checksum. 0
 * otherwise (no message). */
int h5u_vlen_sane(hid_t d, hsize_t start, hsize_t count);

/* Largest depth of groups a generic reader descends into. */
#define H5U_MAX_DEPTH 16

#endif
