/* sweep_journal: append-only record of finished runs (format and contract
 * in drivers/sweep_journal.h).
 *
 * Invariants: the file descriptor is O_APPEND, so every record lands at the
 * end even after a truncation; the in-memory record buffer is the exact
 * on-disk image (built by rec_pack, read by rec_unpack), CRC-checked both
 * ways; a journal is never replayed into a sweep whose header differs.
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

#define J_MAGIC     "NQPSWJ1\n"
#define J_HEADER    64
#define J_REC_MAGIC 0x5257534eu /* "NSWR" */
#define J_REC_FIXED 32          /* magic, crc, run, status, steps, wall */

struct sweep_journal {
  int fd;
  char *path;
  size_t rec_size, n_metrics;
  unsigned char *buf; /* one record */
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

/* 0 when the buffer holds an intact record of a run below N_RUNS. */
static int rec_unpack(const sweep_journal *j, uint64_t n_runs, sweep_result *r) {
  const unsigned char *b = j->buf;
  uint32_t magic, crc;
  memcpy(&magic, b, 4);
  memcpy(&crc, b + 4, 4);
  if (magic != J_REC_MAGIC || crc != crc32_of(b + 8, j->rec_size - 8)) return -1;
  memcpy(&r->run, b + 8, 8);
  memcpy(&r->status, b + 16, 4);
  memcpy(&r->steps, b + 20, 4);
  memcpy(&r->wall_s, b + 24, 8);
  memcpy(r->metrics, b + J_REC_FIXED, 8 * j->n_metrics);
  memcpy(r->message, b + J_REC_FIXED + 8 * j->n_metrics, SWEEP_MSG_LEN);
  r->message[SWEEP_MSG_LEN - 1] = '\0';
  return r->run < n_runs ? 0 : -1;
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

/* Replay intact records, then truncate after the last one. */
static int journal_replay(sweep_journal *j, const sweep *sw, sweep_journal_fn fn, void *ctx,
                          char *err, size_t errlen) {
  off_t good = J_HEADER;
  double *metrics = calloc(sw->n_metrics, sizeof *metrics);
  sweep_result r = {.metrics = metrics};
  int rc = 0;
  if (!metrics || lseek(j->fd, J_HEADER, SEEK_SET) < 0) rc = -1;
  while (rc == 0 && read_full(j->fd, j->buf, j->rec_size) && rec_unpack(j, sw->n_runs, &r) == 0) {
    if (fn && fn(ctx, &r) != 0) rc = -1;
    good += (off_t)j->rec_size;
  }
  if (rc == 0 && ftruncate(j->fd, good) != 0) rc = -1;
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
