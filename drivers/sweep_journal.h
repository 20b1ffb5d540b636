/* sweep_journal: the crash-safe record of a sweep's finished runs, next to
 * its results file (OUT.journal). HDF5 files are not safe against a killed
 * writer (a SIGKILL between metadata writes can leave a file no library
 * opens), so finished runs go first to this append-only file; the results
 * file is rebuilt from it whenever a sweep resumes.
 *
 * Format (native byte order: a journal is scratch for one machine's
 * resume, not an exchange format):
 *   header, 64 bytes: "NQPSWJ1\n", u64 sweep hash, u64 runs, u32 metrics,
 *                     u32 record size, zero padding;
 *   records, fixed size: u32 "NSWR", u32 CRC-32 of the rest, u64 run,
 *                     i32 status, i32 steps, f64 wall time,
 *                     f64 metrics[metrics], char message[SWEEP_MSG_LEN].
 *
 * Invariants: a record is appended with one write(2) once its run has
 * finished, so after a kill the file holds every finished run followed by
 * at most one torn record; opening an existing journal verifies the header
 * against the sweep (hash, runs, metrics), replays every valid record and
 * truncates the torn tail; records are never rewritten.
 *
 * A record is valid when its marker and CRC are intact and every field is
 * in range for the sweep (run < runs, status OK, failed or bad input,
 * 0 <= steps <= the longest run the sweep can make, a finite wall time
 * >= 0, a NUL-terminated, zero-padded message): a CRC only proves what was
 * written, not that a valid record was written. Anything else (a flipped
 * bit, a forged or foreign record, garbage) is skipped with a warning on
 * stderr naming the file and the byte range, and the replay continues at
 * the next valid record (found byte by byte), so one damaged record costs
 * only its own run, which is computed again. Damage in the middle stays in
 * the file (records are never rewritten) and is reported at every open; a
 * damaged tail after the last valid record is truncated like a torn one.
 *
 * Included by: drivers/ (the sweep session) and its tests.
 */
#ifndef NQP_SWEEP_JOURNAL_H
#define NQP_SWEEP_JOURNAL_H

#include <stddef.h>

#include "drivers/sweep.h"

typedef struct sweep_journal sweep_journal;

/* Called for each valid record of an existing journal; non-zero aborts. */
typedef int (*sweep_journal_fn)(void *ctx, const sweep_result *r);

/* Open (create when absent) the journal PATH of SW. Replays records
 * through FN. Returns NULL with *STATUS = SWEEP_BAD_INPUT when PATH belongs
 * to another sweep, SWEEP_FAILED on I/O errors (message in ERR). */
sweep_journal *sweep_journal_open(const char *path, const sweep *sw, sweep_journal_fn fn, void *ctx,
                                  int *status, char *err, size_t errlen);
/* Append R (one write). Returns 0 or -1 (message in ERR). */
int sweep_journal_append(sweep_journal *j, const sweep_result *r, char *err, size_t errlen);
/* fdatasync. */
int sweep_journal_sync(sweep_journal *j);
void sweep_journal_close(sweep_journal **j);
/* Damaged regions the replay of J skipped (each reported on stderr). */
size_t sweep_journal_skipped(const sweep_journal *j);
/* 1 when PATH exists and is a journal of SW, 0 when absent, -1 otherwise. */
int sweep_journal_matches(const char *path, const sweep *sw);

#endif
