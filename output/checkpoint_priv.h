/* checkpoint_priv: helpers shared by checkpoint.c (world state) and
 * checkpoint_output.c (the run file's data so far). Not public.
 *
 * Invariants: every helper closes what it opens on every path and records
 * a failure with h5u_seterr()/h5u_h5err() (read by h5u_last_error());
 * ckpt_get() reads a dataset only when its rank, length and type are
 * exactly those expected, so a hostile file cannot overrun a buffer.
 *
 * Private to: output/checkpoint.c output/checkpoint_output.c
 */
#ifndef NQP_CHECKPOINT_PRIV_H
#define NQP_CHECKPOINT_PRIV_H

#include <hdf5.h>

#include "output/checkpoint.h"

struct ckpt {
  hid_t file;
  char *path;
  ckpt_info info;
};

/* 1-D dataset NAME in LOC of N elements of TYPE (a native type) from BUF:
 * chunked, shuffled, deflated and Fletcher-32 checksummed (contiguous and
 * unfiltered when N is 0). Returns 0 or -1. */
int ckpt_put(hid_t loc, const char *name, hid_t type, size_t n, const void *buf);
/* Read 1-D dataset NAME of exactly N elements of TYPE into BUF. Returns 0,
 * or -1 with a message naming the dataset. */
int ckpt_get(hid_t loc, const char *name, hid_t type, size_t n, void *buf);
/* Length of 1-D dataset NAME, or -1 when it is missing or not 1-D. */
long long ckpt_len(hid_t loc, const char *name);
/* Create group NAME in LOC (caller closes), or -1. */
hid_t ckpt_mkgroup(hid_t loc, const char *name);
/* A scalar variable-length string dataset: write, and read (heap string). */
int ckpt_put_text(hid_t loc, const char *name, const char *text);
char *ckpt_get_text(hid_t loc, const char *name);

/* Copy /series, /firms and /events of the run file PARTIAL (open for
 * writing in this process, flushed) under /output of FILE, data only. */
int ckpt_copy_output(hid_t file, const char *partial);

#endif
