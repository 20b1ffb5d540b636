/* sweep_mpi: the MPI sweep driver (protocol and contract in
 * drivers/sweep_mpi.h). Compiled only with NQP_MPI, into the nqpsim executable.
 *
 * Messages (MPI_COMM_WORLD):
 *   worker -> 0, TAG_RESULT: a packed result (run u64, status i32, steps
 *                i32, wall f64, metrics f64[M], message char[SWEEP_MSG_LEN]);
 *                run = UINT64_MAX is the worker's first request;
 *   0 -> worker, TAG_TASK:   long long run index, -1 = stop.
 *
 * Invariants: MPI is called only from the main thread (MPI_THREAD_FUNNELED:
 * runs use OpenMP inside their steps, and rank 0 serves the queue from its
 * run's step hook, which the main thread calls between steps); the cursor
 * only moves forward, so no run is handed out twice; every worker receives
 * exactly one stop, after which rank 0 expects nothing more from it.
 */
#include "drivers/sweep_mpi.h"

#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TAG_RESULT = 1, TAG_TASK = 2 };

typedef struct mpi_coord {
  const sweep *sw;
  sweep_session *s;
  size_t cursor;      /* next candidate run index */
  int active;         /* workers not told to stop yet */
  unsigned char *buf; /* one packed result */
  size_t len;
  double *metrics; /* n_metrics, for unpacking */
  int threads, failed;
  char *err;
  size_t errlen;
} mpi_coord;

static size_t pack_len(const sweep *sw) {
  return 24 + 8 * sw->n_metrics + SWEEP_MSG_LEN;
}

static void pack(const sweep *sw, const sweep_result *r, unsigned char *b) {
  memcpy(b, &r->run, 8);
  memcpy(b + 8, &r->status, 4);
  memcpy(b + 12, &r->steps, 4);
  memcpy(b + 16, &r->wall_s, 8);
  memcpy(b + 24, r->metrics, 8 * sw->n_metrics);
  memcpy(b + 24 + 8 * sw->n_metrics, r->message, SWEEP_MSG_LEN);
}

static void unpack(const sweep *sw, const unsigned char *b, sweep_result *r) {
  memcpy(&r->run, b, 8);
  memcpy(&r->status, b + 8, 4);
  memcpy(&r->steps, b + 12, 4);
  memcpy(&r->wall_s, b + 16, 8);
  memcpy(r->metrics, b + 24, 8 * sw->n_metrics);
  memcpy(r->message, b + 24 + 8 * sw->n_metrics, SWEEP_MSG_LEN);
  r->message[SWEEP_MSG_LEN - 1] = '\0';
}

int sweep_mpi_init(int *rank, int *size) {
  int provided;
  *rank = 0, *size = 1;
  if (!getenv("OMPI_COMM_WORLD_SIZE") && !getenv("PMI_SIZE") && !getenv("PMIX_RANK")) return 0;
  if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) return 0;
  MPI_Comm_rank(MPI_COMM_WORLD, rank);
  MPI_Comm_size(MPI_COMM_WORLD, size);
  return 1;
}

int sweep_mpi_agree(int status) {
  int out = status;
  MPI_Allreduce(&status, &out, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return out;
}

void sweep_mpi_finalize(void) {
  int init = 0, fin = 0;
  MPI_Initialized(&init);
  MPI_Finalized(&fin);
  if (init && !fin) MPI_Finalize();
}

const char *sweep_mpi_library(void) {
  static char v[MPI_MAX_LIBRARY_VERSION_STRING];
  int len = 0;
  MPI_Get_library_version(v, &len);
  v[strcspn(v, ",\n")] = '\0';
  return v;
}

/* ---- rank 0 ------------------------------------------------------------- */

/* Claim the next run to hand out, or -1. */
static long long next_run(mpi_coord *c) {
  while (c->cursor < c->sw->n_runs && sweep_session_is_done(c->s, c->cursor)) c->cursor++;
  if (c->failed || c->cursor >= c->sw->n_runs || !sweep_session_claim(c->s)) return -1;
  return (long long)c->cursor++;
}

static void record(mpi_coord *c, const sweep_result *r) {
  if (!c->failed && sweep_session_record(c->s, r, c->err, c->errlen) != 0) c->failed = 1;
}

/* Receive the result announced by ST, record it, send the next task. */
static void serve_one(mpi_coord *c, const MPI_Status *st) {
  sweep_result r = {.metrics = c->metrics};
  MPI_Recv(c->buf, (int)c->len, MPI_BYTE, st->MPI_SOURCE, TAG_RESULT, MPI_COMM_WORLD,
           MPI_STATUS_IGNORE);
  unpack(c->sw, c->buf, &r);
  if (r.run != UINT64_MAX) record(c, &r);
  long long task = next_run(c);
  MPI_Send(&task, 1, MPI_LONG_LONG, st->MPI_SOURCE, TAG_TASK, MPI_COMM_WORLD);
  if (task < 0) c->active--;
}

/* Serve every waiting worker (the step hook of rank 0's own runs). */
static void serve(void *ctx) {
  mpi_coord *c = ctx;
  int flag = 1;
  MPI_Status st;
  while (c->active > 0) {
    MPI_Iprobe(MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &flag, &st);
    if (!flag) break;
    serve_one(c, &st);
  }
}

static void coordinate(mpi_coord *c) {
  double *own = malloc(c->sw->n_metrics * sizeof *own);
  sweep_hooks hooks = {NULL, serve, c};
  for (;;) {
    serve(c);
    long long r = own ? next_run(c) : -1;
    if (r < 0) break;
    sweep_result res = {.metrics = own};
    if (sweep_run_one(c->sw, (size_t)r, c->threads, &hooks, &res) != SWEEP_RUN_NOT_RUN)
      record(c, &res);
  }
  while (c->active > 0) {
    MPI_Status st;
    MPI_Probe(MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &st);
    serve_one(c, &st);
  }
  if (!own && !c->failed) snprintf(c->err, c->errlen, "out of memory"), c->failed = 1;
  free(own);
}

/* ---- workers ------------------------------------------------------------ */

static int work(const sweep *sw, int threads, unsigned char *buf, size_t len, double *metrics) {
  sweep_result r = {.run = UINT64_MAX, .metrics = metrics};
  for (size_t m = 0; m < sw->n_metrics; m++) metrics[m] = 0;
  pack(sw, &r, buf);
  for (;;) {
    long long task;
    MPI_Send(buf, (int)len, MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
    MPI_Recv(&task, 1, MPI_LONG_LONG, 0, TAG_TASK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (task < 0) return SWEEP_OK;
    sweep_run_one(sw, (size_t)task, threads, NULL, &r);
    pack(sw, &r, buf);
  }
}

/* Rank 0 opens the session; everyone learns whether to go on and checks
 * that all ranks loaded the same sweep. */
static int start(const sweep *sw, const sweep_options *opt, int rank, sweep_session **s,
                 int *status, char *err, size_t errlen) {
  int go = 0, mismatch = 0, any;
  unsigned long long hash = sw->hash;
  if (rank == 0) {
    *status = sweep_session_open(sw, opt, s, err, errlen);
    go = *status == SWEEP_OK && *s;
  }
  MPI_Bcast(&go, 1, MPI_INT, 0, MPI_COMM_WORLD);
  MPI_Bcast(&hash, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
  mismatch = hash != sw->hash;
  MPI_Allreduce(&mismatch, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  if (go && any) {
    snprintf(err, errlen,
             "the ranks loaded different sweeps (different files or builds on "
             "different nodes?)");
    *status = SWEEP_FAILED;
    return 0;
  }
  return go;
}

int sweep_mpi_run(const sweep *sw, const sweep_options *opt, int rank, int size, int *complete,
                  char *err, size_t errlen) {
  sweep_session *s = NULL;
  int status = SWEEP_OK, threads = opt->threads > 0 ? opt->threads : 1;
  size_t len = pack_len(sw);
  unsigned char *buf = malloc(len);
  double *metrics = malloc(sw->n_metrics * sizeof *metrics);
  *complete = 0;
  if (!buf || !metrics) MPI_Abort(MPI_COMM_WORLD, SWEEP_FAILED);
  if (!start(sw, opt, rank, &s, &status, err, errlen)) {
    char ignored[256];
    if (rank == 0 && s) sweep_session_close(&s, complete, ignored, sizeof ignored);
    *complete = 0;
  } else if (rank == 0) {
    mpi_coord c = {sw, s, 0, size - 1, buf, len, metrics, threads, 0, err, errlen};
    coordinate(&c);
    status = sweep_session_close(&s, complete, err, errlen);
  } else {
    status = work(sw, threads, buf, len, metrics);
  }
  free(buf);
  free(metrics);
  return status;
}
