/* sweep_journal: append-only record of finished runs (format and contract
 * in drivers/sweep_journal.h).
 *
 * Invariants: the file descriptor is O_APPEND, so every record lands at the
 * end even after a truncation; the in-memory record buffer is the exact
 * on-disk image (built by rec_pack, read by rec_unpack), CRC-checked both
 * ways and range-checked against the sweep when read; a journal is never
 * replayed into a sweep whose header differs; a damaged record never hides
 * the valid ones after it (the replay resynchronises on the next valid
 * record, byte by byte).
 */
#include "drivers/sweep_journal.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/limits.h"

#define J_MAGIC     "NQPSWJ1\n"
#define J_HEADER    64
#define J_REC_MAGIC 0x5257534eu /* "NSWR" */
#define J_REC_FIXED 32          /* magic, crc, run, status, steps, wall */

struct sweep_journal {
  int fd;
  char *path;
  size_t rec_size, n_metrics;
  unsigned char *buf; /* one record */
  size_t skipped;     /* damaged regions skipped by the replay */
};

static uint32_t crc32_of(const unsigned char *p, size_t n) {
  uint32_t c = 0xffffffffu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
  }
  return ~c;
}

static size_t rec_size(size_t n_metrics) {
  return J_REC_FIXED + 8 * n_metrics + SWEEP_MSG_LEN;
}

static void header_pack(const sweep *sw, unsigned char *h) {
  uint64_t hash = sw->hash, runs = sw->n_runs;
  uint32_t m = (uint32_t)sw->n_metrics, rs = (uint32_t)rec_size(sw->n_metrics);
  memset(h, 0, J_HEADER);
  memcpy(h, J_MAGIC, 8);
  memcpy(h + 8, &hash, 8);
  memcpy(h + 16, &runs, 8);
  memcpy(h + 24, &m, 4);
  memcpy(h + 28, &rs, 4);
}

static void rec_pack(const sweep_journal *j, const sweep_result *r) {
  unsigned char *b = j->buf;
  uint32_t magic = J_REC_MAGIC, crc;
  uint64_t run = r->run;
  memset(b, 0, j->rec_size);
  memcpy(b, &magic, 4);
  memcpy(b + 8, &run, 8);
  memcpy(b + 16, &r->status, 4);
  memcpy(b + 20, &r->steps, 4);
  memcpy(b + 24, &r->wall_s, 8);
  memcpy(b + J_REC_FIXED, r->metrics, 8 * j->n_metrics);
  memcpy(b + J_REC_FIXED + 8 * j->n_metrics, r->message, strnlen(r->message, SWEEP_MSG_LEN - 1));
  crc = crc32_of(b + 8, j->rec_size - 8);
  memcpy(b + 4, &crc, 4);
}

/* The most steps a run of SW can simulate: the base scenario's, or the
 * largest value of a `steps` parameter. */
static int32_t max_steps(const sweep *sw) {
  double m = sw->base_steps;
  for (size_t p = 0; p < sw->n_params; p++)
    if (!strcmp(sw->s.params[p].path, "steps") && sw->s.params[p].max > m)
      m = ceil(sw->s.params[p].max);
  return m > FILE_MAX_STEPS ? FILE_MAX_STEPS : (int32_t)m;
}

/* 0 when the buffer holds an intact record (magic, CRC) whose every field
 * is in range for SW: run < n_runs, a finished status, 0 <= steps <=
 * max_steps, a finite wall time >= 0, a NUL-terminated message padded with
 * zeros (as rec_pack writes it). Else -1 with WHY. */
static int rec_unpack(const sweep_journal *j, const sweep *sw, sweep_result *r, const char **why) {
  const unsigned char *b = j->buf, *msg = b + J_REC_FIXED + 8 * j->n_metrics;
  uint32_t magic, crc;
  memcpy(&magic, b, 4);
  memcpy(&crc, b + 4, 4);
  *why = magic != J_REC_MAGIC ? "no record marker" : "CRC mismatch";
  if (magic != J_REC_MAGIC || crc != crc32_of(b + 8, j->rec_size - 8)) return -1;
  memcpy(&r->run, b + 8, 8);
  memcpy(&r->status, b + 16, 4);
  memcpy(&r->steps, b + 20, 4);
  memcpy(&r->wall_s, b + 24, 8);
  memcpy(r->metrics, b + J_REC_FIXED, 8 * j->n_metrics);
  memcpy(r->message, msg, SWEEP_MSG_LEN);
  size_t len = strnlen(r->message, SWEEP_MSG_LEN);
  int padded = len < SWEEP_MSG_LEN;
  for (size_t i = len; padded && i < SWEEP_MSG_LEN; i++) padded = msg[i] == 0;
  r->message[SWEEP_MSG_LEN - 1] = '\0';
  if (r->run >= sw->n_runs)
    *why = "run index out of range";
  else if (r->status != SWEEP_RUN_OK && r->status != SWEEP_RUN_FAILED &&
           r->status != SWEEP_RUN_BAD_INPUT)
    *why = "status out of range";
  else if (r->steps < 0 || r->steps > max_steps(sw))
    *why = "steps out of range";
  else if (!isfinite(r->wall_s) || r->wall_s < 0)
    *why = "wall time out of range";
  else if (!padded)
    *why = "message not terminated";
  else
    return 0;
  return -1;
}

/* Read exactly N bytes; 1 on success, 0 at end of file or a short tail. */
static int read_full(int fd, unsigned char *p, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t k = read(fd, p + got, n - got);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return 0;
    got += (size_t)k;
  }
  return 1;
}

static int write_full(int fd, const unsigned char *p, size_t n) {
  size_t done = 0;
  while (done < n) {
    ssize_t k = write(fd, p + done, n - done);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return -1;
    done += (size_t)k;
  }
  return 0;
}

static void journal_free(sweep_journal *j) {
  if (!j) return;
  if (j->fd >= 0) close(j->fd);
  free(j->path);
  free(j->buf);
  free(j);
}

/* Bytes of the file at OFF into the record buffer; 1 when a whole record
 * was read, 0 at the end of the file (a short tail). */
static int read_at(const sweep_journal *j, off_t off) {
  size_t got = 0;
  while (got < j->rec_size) {
    ssize_t k = pread(j->fd, j->buf + got, j->rec_size - got, off + (off_t)got);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return 0;
    got += (size_t)k;
  }
  return 1;
}

/* The offset of the first valid record at or after FROM (a record marker
 * whose record passes rec_unpack), or -1 when there is none: records are
 * fixed-size, but a damaged region need not be, so every byte is tried. */
static off_t resync(sweep_journal *j, const sweep *sw, sweep_result *r, off_t from, off_t size) {
  unsigned char win[4096];
  const uint32_t magic = J_REC_MAGIC;
  for (off_t base = from; base + (off_t)j->rec_size <= size; base += (off_t)sizeof win - 3) {
    ssize_t k = pread(j->fd, win, sizeof win, base);
    if (k < 4) return -1;
    for (ssize_t i = 0; i + 4 <= k; i++) {
      const char *why;
      if (memcmp(win + i, &magic, 4) != 0) continue;
      if (base + i + (off_t)j->rec_size > size) return -1;
      if (read_at(j, base + i) && rec_unpack(j, sw, r, &why) == 0) return base + i;
    }
  }
  return -1;
}

static void warn_skipped(const sweep_journal *j, off_t from, off_t to, const char *why) {
  fprintf(stderr,
          "nqpsim: warning: %s: bytes %lld to %lld are not a valid record (%s): skipped, the "
          "valid records after them are kept (a run they held is computed again)\n",
          j->path, (long long)from, (long long)to - 1, why);
}

/* Warn of the bad bytes [FROM, TO) (WHY: the first record's fault): one
 * warning per record when they are whole records, else one for all. */
static void warn_region(sweep_journal *j, const sweep *sw, sweep_result *r, off_t from, off_t to,
                        const char *why) {
  off_t rs = (off_t)j->rec_size;
  if ((to - from) % rs != 0 || to - from > 64 * rs) {
    warn_skipped(j, from, to, why);
    j->skipped++;
    return;
  }
  for (off_t at = from; at < to; at += rs) {
    if (at > from && read_at(j, at)) rec_unpack(j, sw, r, &why);
    warn_skipped(j, at, at + rs, why);
    j->skipped++;
  }
}

/* Replay every valid record; skip (with a warning) damaged ones and keep
 * the valid records after them; truncate a torn tail after the last valid
 * record, so the next append starts on a record boundary. */
static int journal_replay(sweep_journal *j, const sweep *sw, sweep_journal_fn fn, void *ctx,
                          char *err, size_t errlen) {
  off_t good = J_HEADER, pos = J_HEADER;
  double *metrics = calloc(sw->n_metrics ? sw->n_metrics : 1, sizeof *metrics);
  sweep_result r = {.metrics = metrics};
  struct stat st;
  int rc = 0;
  if (!metrics || fstat(j->fd, &st) != 0) rc = -1;
  while (rc == 0 && read_at(j, pos)) {
    const char *why;
    if (rec_unpack(j, sw, &r, &why) != 0) {
      off_t next = resync(j, sw, &r, pos + 1, st.st_size);
      warn_region(j, sw, &r, pos, next < 0 ? st.st_size : next, why);
      if (next < 0) break; /* no valid record after POS: a damaged tail, truncated below */
      if (!read_at(j, next) || rec_unpack(j, sw, &r, &why) != 0) rc = -1; /* cannot happen */
      pos = next;
    }
    if (fn && fn(ctx, &r) != 0) rc = -1;
    pos += (off_t)j->rec_size;
    good = pos;
  }
  /* after GOOD: a torn record (a kill mid-append) or the damage warned of */
  if (rc == 0 && good < st.st_size && ftruncate(j->fd, good) != 0) rc = -1;
  if (rc != 0) snprintf(err, errlen, "%s: cannot replay the journal: %s", j->path, strerror(errno));
  free(metrics);
  return rc;
}

/* Open or create; verify the header. */
static int journal_header(sweep_journal *j, const sweep *sw, int *status, char *err,
                          size_t errlen) {
  unsigned char want[J_HEADER], have[J_HEADER];
  struct stat st;
  header_pack(sw, want);
  if (fstat(j->fd, &st) != 0) return -1;
  if (st.st_size < J_HEADER) { /* new, or killed while its header was written */
    if (ftruncate(j->fd, 0) != 0 || write_full(j->fd, want, J_HEADER) != 0 || fdatasync(j->fd) != 0)
      return -1;
    return 0;
  }
  if (lseek(j->fd, 0, SEEK_SET) < 0) return -1;
  if (!read_full(j->fd, have, J_HEADER) || memcmp(have, want, J_HEADER) != 0) {
    *status = SWEEP_BAD_INPUT;
    snprintf(err, errlen,
             "%s belongs to another sweep (a different sweep file, base scenario or nqpsim "
             "build): use --force to discard it and start again",
             j->path);
    return -1;
  }
  return 0;
}

sweep_journal *sweep_journal_open(const char *path, const sweep *sw, sweep_journal_fn fn, void *ctx,
                                  int *status, char *err, size_t errlen) {
  sweep_journal *j = calloc(1, sizeof *j);
  *status = SWEEP_FAILED;
  if (!j) return snprintf(err, errlen, "out of memory"), NULL;
  j->fd = -1;
  j->n_metrics = sw->n_metrics;
  j->rec_size = rec_size(sw->n_metrics);
  if (!(j->path = strdup(path)) || !(j->buf = malloc(j->rec_size))) {
    snprintf(err, errlen, "out of memory");
    goto fail;
  }
  if ((j->fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0666)) < 0) {
    snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
    goto fail;
  }
  if (journal_header(j, sw, status, err, errlen) != 0) {
    if (*status != SWEEP_BAD_INPUT)
      snprintf(err, errlen, "%s: cannot write the journal: %s", path, strerror(errno));
    goto fail;
  }
  if (journal_replay(j, sw, fn, ctx, err, errlen) != 0) goto fail;
  *status = SWEEP_OK;
  return j;
fail:
  journal_free(j);
  return NULL;
}

int sweep_journal_append(sweep_journal *j, const sweep_result *r, char *err, size_t errlen) {
  rec_pack(j, r);
  if (write_full(j->fd, j->buf, j->rec_size) != 0) {
    snprintf(err, errlen, "%s: cannot append: %s", j->path, strerror(errno));
    return -1;
  }
  return 0;
}

int sweep_journal_sync(sweep_journal *j) {
  return j && fdatasync(j->fd) == 0 ? 0 : -1;
}

void sweep_journal_close(sweep_journal **j) {
  if (!j) return;
  journal_free(*j);
  *j = NULL;
}

int sweep_journal_matches(const char *path, const sweep *sw) {
  unsigned char want[J_HEADER], have[J_HEADER];
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? 0 : -1;
  header_pack(sw, want);
  int ok = read_full(fd, have, J_HEADER) && memcmp(have, want, J_HEADER) == 0;
  close(fd);
  return ok ? 1 : -1;
}

size_t sweep_journal_skipped(const sweep_journal *j) {
  return j ? j->skipped : 0;
}
