/* bench_sweep: sweep throughput, in runs per minute, of a replicate sweep
 * of the Anhui baseline at a stated size (scale 0.1, 20 steps: about 1,700
 * firms), for 1 and 2 OpenMP threads in-process and, given an MPI build of
 * nqpsim, for 1 and 2 MPI ranks (wall time of `mpirun ... nqpsim sweep`,
 * process start and MPI start included). Every configuration writes its
 * results file (journal, HDF5) as a real sweep does. Speed is measured
 * here, never in tests.
 *
 * usage: bench_sweep [--runs N] [--scale S] [--steps N] [--mpi PATH/TO/nqpsim]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "drivers/sweep.h"
#include "drivers/sweep_run.h"
#include "base/clock.h"

typedef struct bench_cfg {
  int runs, steps;
  double scale;
  const char *mpi; /* nqpsim built with NQP_MPI, or NULL */
  char dir[64], file[128];
} bench_cfg;

static int write_sweep(bench_cfg *c) {
  snprintf(c->file, sizeof c->file, "%s/bench.yaml", c->dir);
  FILE *f = fopen(c->file, "w");
  if (!f) return -1;
  fprintf(f,
          "name: bench\nset: [scale=%g, steps=%d]\nreplicates: %d\nanalysis: {bootstrap: 0}\n"
          "metrics:\n  - {name: va, series: value_added}\n"
          "  - {name: nqp, series: index_nqp, statistic: mean}\n",
          c->scale, c->steps, c->runs);
  return fclose(f);
}

static void row(const char *mode, int workers, int runs, double wall) {
  printf("| %-22s | %7d | %4d | %7.2f | %9.1f |\n", mode, workers, runs, wall, 60.0 * runs / wall);
  fflush(stdout);
}

static int bench_threads(const bench_cfg *c, const sweep *sw, int threads) {
  char out[160], err[4096] = "";
  snprintf(out, sizeof out, "%s/t%d.h5", c->dir, threads);
  sweep_options opt = {.output = out, .force = 1, .threads = threads, .ranks = 1};
  sweep_session *s = NULL;
  int complete = 0;
  double t0 = clock_monotonic_s();
  if (sweep_session_open(sw, &opt, &s, err, sizeof err) != SWEEP_OK || !s ||
      sweep_run_local(s, err, sizeof err) != SWEEP_OK ||
      sweep_session_close(&s, &complete, err, sizeof err) != SWEEP_OK) {
    fprintf(stderr, "bench_sweep: %s\n", err);
    sweep_session_close(&s, &complete, err, sizeof err);
    return -1;
  }
  row("OpenMP threads", threads, c->runs, clock_monotonic_s() - t0);
  return 0;
}

static int bench_mpi(const bench_cfg *c, int ranks) {
  char np[16], out[160];
  snprintf(np, sizeof np, "%d", ranks);
  snprintf(out, sizeof out, "%s/mpi%d.h5", c->dir, ranks);
  double t0 = clock_monotonic_s();
  pid_t pid = fork();
  if (pid == 0) {
    execlp("mpirun", "mpirun", "--oversubscribe", "--allow-run-as-root", "-np", np, c->mpi, "sweep",
           "-q", "--force", c->file, "-o", out, (char *)NULL);
    _exit(127);
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
    fprintf(stderr, "bench_sweep: mpirun -np %d %s sweep failed\n", ranks, c->mpi);
    return -1;
  }
  row("MPI ranks (mpirun)", ranks, c->runs, clock_monotonic_s() - t0);
  return 0;
}

static void parse(int argc, char **argv, bench_cfg *c) {
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--runs")) c->runs = atoi(argv[i + 1]);
    if (!strcmp(argv[i], "--scale")) c->scale = atof(argv[i + 1]);
    if (!strcmp(argv[i], "--steps")) c->steps = atoi(argv[i + 1]);
    if (!strcmp(argv[i], "--mpi")) c->mpi = argv[i + 1];
  }
  if (c->mpi && access(c->mpi, X_OK) != 0) c->mpi = NULL;
}

int main(int argc, char **argv) {
  bench_cfg c = {.runs = 24, .steps = 20, .scale = 0.1};
  sweep sw;
  char err[8192];
  int rc = 0;
  parse(argc, argv, &c);
  snprintf(c.dir, sizeof c.dir, "/tmp/nqp-bench-sweep-XXXXXX");
  if (!mkdtemp(c.dir) || write_sweep(&c) != 0) return perror("bench_sweep"), 1;
  if (sweep_load(c.file, &sw, err, sizeof err) != SWEEP_OK) {
    fprintf(stderr, "bench_sweep: %s\n", err);
    return 1;
  }
  printf("nqpsim sweep throughput: replicate sweep of the Anhui baseline, scale %g, %d steps, "
         "%d runs; %ld CPUs\n\n",
         c.scale, c.steps, c.runs, sysconf(_SC_NPROCESSORS_ONLN));
  printf("| mode                   | workers | runs | wall s  | runs/min  |\n");
  printf("|------------------------|---------|------|---------|-----------|\n");
  for (int t = 1; t <= 2 && rc == 0; t++) rc = bench_threads(&c, &sw, t);
  for (int r = 1; r <= 2 && rc == 0 && c.mpi; r++) rc = bench_mpi(&c, r);
  if (!c.mpi) printf("(MPI: no MPI build given; `make bench` passes build-mpi/nqpsim)\n");
  sweep_free(&sw);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", c.dir);
  if (system(cmd) != 0) fprintf(stderr, "bench_sweep: cannot remove %s\n", c.dir);
  return rc ? 1 : 0;
}
