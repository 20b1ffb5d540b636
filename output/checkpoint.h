/* checkpoint: the complete state of a run at a step boundary in one HDF5
 * file, and its restoration (`nqpsim run --checkpoint-every`, `nqpsim
 * resume`). Guarantees and their tests: docs/reliability.md.
 *
 * Layout of a checkpoint (format "nqpsim-checkpoint", format_version 2):
 *   bytes 0..511      HDF5 user block: "NQPCKPT1", u64 file size, u32
 *                     CRC-32C of bytes 512..end (little-endian), zeros;
 *                     verified before HDF5 reads the file (new in version 2)
 *   /                 attributes: format, format_version, status, program,
 *                     version, git_commit, layout (sizes of the state
 *                     structs), step (steps done), steps, checkpoint_every,
 *                     output (final path of the run file, "" for none),
 *                     command_line, start_time, wall_time_s, meta_hash
 *                     (CRC-32C of every other attribute but status and of
 *                     /scenario: output/meta_hash.h; new in version 2)
 *   /scenario         the resolved scenario (YAML): rebuilds the immutable
 *                     scenario and, through world_create, every derived
 *                     structure of the world
 *   /world/NAME       every state member of struct world, native bytes, one
 *                     dataset per member (the table in checkpoint.c), and
 *                     its heap arrays (institutes, cell_entries, ...)
 *   /firms/NAME       every firm array of firm_soa over all `cap` slots,
 *                     typed (the FIRM_* lists of world.h plus the arrays
 *                     with several elements per slot)
 *   /output/...       the run file's data for steps 0..step-1 (series,
 *                     firm panel, events), copied from the writer's
 *                     PATH.partial; replayed into a new writer on resume
 *
 * Invariants:
 *  - a checkpoint is written as PATH.partial, fsynced and renamed over PATH:
 *    the previous checkpoint stays intact until the new one is complete,
 *    and a file under its final name is complete;
 *  - every firm array and every member of struct world is either saved,
 *    checked against the rebuilt world, or derived (rebuilt by world_create
 *    and world_index); ckpt_layout_check() proves the tables cover struct
 *    world and a static assertion proves they cover firm_soa;
 *  - every byte after the user block is covered by the file checksum,
 *    verified before libhdf5 parses anything; in the file, datasets carry
 *    Fletcher-32 checksums and the scenario text and attributes (outside
 *    Fletcher-32's reach, in HDF5's global heap) the meta_hash, verified
 *    at open before any of them is trusted; a file that is not a complete
 *    checkpoint of this build's layout, or whose values would index out of
 *    range, is refused with a message (CKPT_BAD: a bad-input error);
 *  - restoring never reads YAML except the stored resolved scenario.
 *
 * Included by: any file at or above output/ (layers.txt).
 */
#ifndef NQP_CHECKPOINT_H
#define NQP_CHECKPOINT_H

#include <stddef.h>

#include "output/h5out.h"
#include "world/world.h"

#define CKPT_FORMAT         "nqpsim-checkpoint"
#define CKPT_FORMAT_VERSION 2

/* Return codes: 0 success; CKPT_BAD the file is not a usable checkpoint (bad
 * input); CKPT_FAIL a runtime failure (out of memory, I/O error writing). */
enum { CKPT_OK = 0, CKPT_BAD = -1, CKPT_FAIL = -2 };

/* What a checkpoint records besides the world. */
typedef struct ckpt_info {
  int step;              /* steps done: the world's w->step */
  int steps;             /* length of the run (the scenario's steps) */
  long checkpoint_every; /* the run's checkpoint interval (0: none) */
  char *scenario;        /* resolved scenario, YAML */
  char *output;          /* final path of the run file; "" when the run writes none */
  char *command_line;    /* the command that started the run */
  char *start_time;      /* ISO 8601 UTC */
  double wall_s;         /* wall time spent so far (s) */
  char *version;         /* program version and commit that wrote the file */
  char *git_commit;
} ckpt_info;

/* Write the checkpoint of W with INFO (step is taken from W) to PATH, via
 * PATH.partial. OUTPUT_PARTIAL, when not NULL, is the run file being written
 * (flushed by the caller): its series, panel and events are copied. Returns
 * CKPT_OK, or CKPT_FAIL with a message in ERR (PATH untouched, no
 * PATH.partial left). */
int ckpt_write(const char *path, const world *w, const ckpt_info *info, const char *output_partial,
               char *err, size_t errlen);

typedef struct ckpt ckpt; /* an open checkpoint, for reading */

/* Open PATH and read its info. Returns NULL with a message in ERR (and
 * *RC = CKPT_BAD or CKPT_FAIL) when it is not a complete checkpoint of
 * this build's layout. RC may be NULL. */
ckpt *ckpt_open(const char *path, int *rc, char *err, size_t errlen);
const ckpt_info *ckpt_get_info(const ckpt *c);
/* 1 when the checkpoint holds run-file data to replay (the run wrote one). */
int ckpt_has_output(const ckpt *c);
/* Restore the state into W, a world just built by world_create from the
 * checkpoint's scenario (any thread count), and rebuild its indexes. */
int ckpt_restore(ckpt *c, world *w, char *err, size_t errlen);
/* Replay the run file's data of steps 0..step-1 into the new writer OUT,
 * which declares SERIES (N_SERIES, cells from N_INDUSTRY x N_REGION) and
 * PANEL_VARS. */
int ckpt_replay(ckpt *c, h5out *out, const series_def *series, size_t n_series, size_t n_industry,
                size_t n_region, const panel_var *panel_vars, size_t n_panel_vars, char *err,
                size_t errlen);
void ckpt_close(ckpt **c);

/* Write the file checksum of the closed checkpoint PATH (its user block):
 * done by ckpt_write; public for tests and tools that edit a checkpoint on
 * purpose. 0, or -1 (message in h5u_last_error()). */
int ckpt_seal(const char *path);

/* Free the strings of INFO (not INFO itself). */
void ckpt_info_free(ckpt_info *info);

/* Check that the checkpoint tables cover every member of struct world
 * (each member saved, checked, or derived; no byte unaccounted for except
 * alignment padding). Returns 0, or -1 naming the first gap in ERR. */
int ckpt_layout_check(char *err, size_t errlen);

/* Number of firm arrays saved per slot kind (for tests). */
size_t ckpt_firm_array_count(void);

#endif
