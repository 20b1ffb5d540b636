/* cmd_sweep: `nqpsim sweep`, a Monte Carlo sweep or sensitivity study of
 * one scenario family into one HDF5 results file, resumable (drivers/sweep.h,
 * drivers/sweep_run.h). In an MPI build (NQP_MPI) launched by mpirun, the runs
 * are spread over the ranks (drivers/sweep_mpi.h); rank 0 writes and prints.
 *
 * Exit codes: 0 complete, 1 runtime failure or stopped before the end
 * (signal, --max-runs: the same command continues), 2 bad sweep file or
 * usage (including an existing results file without --force).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "cli/cli.h"
#include "config/config.h"
#include "drivers/sensitivity.h"
#include "drivers/sweep.h"
#include "drivers/sweep_run.h"
#ifdef NQP_MPI
#include "drivers/sweep_mpi.h"
#endif

static const char *usage_sweep =
    "usage: nqpsim sweep SWEEP.yaml [-o OUT.h5] [OPTIONS]\n"
    "\n"
    "Run the sweep described by SWEEP.yaml (base scenario, parameters with ranges or\n"
    "distributions, design, replicates, metrics; docs/sweeps.md) and write the design,\n"
    "every run's metrics, per-point summaries and sensitivity indices to OUT.h5.\n"
    "Finished runs are journalled in OUT.h5.journal: after an interruption (Ctrl-C,\n"
    "kill -9, a job's time limit) the same command continues where it stopped.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE  results file (default: runs/NAME.h5, NAME the sweep file's)\n"
    "      --threads N    runs in parallel on N OpenMP threads (default 1); with MPI,\n"
    "                     threads of each rank's runs. Results are identical for any N\n"
    "      --max-runs N   stop after N new runs (the same command continues)\n"
    "      --force        discard an existing results file and journal, start afresh\n"
    "      --dry-run      check the sweep file, print the design, run nothing\n"
    "      --schema       print the reference of every sweep file key\n"
    "  -q, --quiet        no progress and no summary table\n"
    "  -h, --help         this help\n"
    "\n"
    "MPI: mpirun -np N nqpsim sweep ... (an nqpsim built with NQP_MPI=ON; this one: %s)\n";

typedef struct sweep_args {
  const char *file, *output;
  int threads, force, dry_run, quiet;
  long max_runs;
} sweep_args;

/* ---- progress ----------------------------------------------------------- */

typedef struct sweep_progress {
  int tty, last_pct;
  double last;
} sweep_progress;

static void fmt_duration(double s, char *buf, size_t len) {
  if (!isfinite(s) || s < 0)
    snprintf(buf, len, "?");
  else if (s < 60)
    snprintf(buf, len, "%.0fs", s);
  else if (s < 3600)
    snprintf(buf, len, "%dm%02ds", (int)(s / 60), (int)fmod(s, 60));
  else
    snprintf(buf, len, "%dh%02dm", (int)(s / 3600), (int)fmod(s / 60, 60));
}

static void on_progress(void *ctx, size_t done, size_t total, size_t fresh, double elapsed) {
  sweep_progress *p = ctx;
  double rate = elapsed > 0 ? (double)fresh / elapsed : 0, now = clock_monotonic_s();
  char eta[32];
  fmt_duration(rate > 0 ? (double)(total - done) / rate : NAN, eta, sizeof eta);
  int pct = total ? (int)(100 * done / total) : 100;
  if (p->tty) {
    if (now - p->last < 0.1 && done < total) return;
    int width = 30, fill = total ? (int)(width * done / total) : width;
    fprintf(stderr, "\r[%.*s%*s] runs %zu/%zu (%zu resumed)  %.2f runs/s  ETA %s ", fill,
            "##############################", width - fill, "", done, total, done - fresh, rate,
            eta);
    if (done == total) fputc('\n', stderr);
    p->last = now;
  } else if (pct / 10 > p->last_pct / 10 || done == total) {
    fprintf(stderr, "nqpsim: runs %zu/%zu (%d%%), %.2f runs/s, ETA %s\n", done, total, pct, rate,
            eta);
    p->last_pct = pct;
  }
}

/* ---- arguments ---------------------------------------------------------- */

static int parse_args(int argc, char **argv, sweep_args *a) {
  static const struct option opts[] = {{"output", required_argument, 0, 'o'},
                                       {"threads", required_argument, 0, 't'},
                                       {"max-runs", required_argument, 0, 'm'},
                                       {"force", no_argument, 0, 'f'},
                                       {"dry-run", no_argument, 0, 'd'},
                                       {"schema", no_argument, 0, 'S'},
                                       {"quiet", no_argument, 0, 'q'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  int c;
  long v;
  while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
    switch (c) {
    case 'o':
      a->output = optarg;
      break;
    case 't':
      if (cli_parse_long("--threads", optarg, 1, 1024, &v)) return CLI_EXIT_USAGE;
      a->threads = (int)v;
      break;
    case 'm':
      if (cli_parse_long("--max-runs", optarg, 1, SWEEP_MAX_RUNS, &v)) return CLI_EXIT_USAGE;
      a->max_runs = v;
      break;
    case 'f':
      a->force = 1;
      break;
    case 'd':
      a->dry_run = 1;
      break;
    case 'S':
      cfg_print_reference(&sweep_schema, stdout);
      return -1;
    case 'q':
      a->quiet = 1;
      break;
    case 'h':
#ifdef NQP_MPI
      printf(usage_sweep, "MPI enabled");
#else
      printf(usage_sweep, "no MPI");
#endif
      return -1;
    default:
      fputs("try 'nqpsim sweep --help'\n", stderr);
      return CLI_EXIT_USAGE;
    }
  }
  if (optind != argc - 1) {
    fprintf(stderr, "nqpsim sweep: expected one sweep file, found %d arguments\n", argc - optind);
    return CLI_EXIT_USAGE;
  }
  a->file = argv[optind];
  return 0;
}

static char *default_output(const char *file) {
  const char *base = strrchr(file, '/');
  base = base ? base + 1 : file;
  size_t len = strcspn(base, ".");
  char *out = malloc(len + 16);
  if (out) snprintf(out, len + 16, "runs/%.*s.h5", (int)len, base);
  if (mkdir("runs", 0777) != 0 && errno != EEXIST) fprintf(stderr, "nqpsim: cannot create runs/\n");
  return out;
}

/* ---- dry run ------------------------------------------------------------ */

static void print_design(const sweep *sw) {
  printf("sweep %s (%s): %s design, %zu points x %zu replicates = %zu runs\n", sw->s.name,
         sw->source, sweep_method_names[sw->s.design.method], sw->n_points, sw->n_reps, sw->n_runs);
  printf("base scenario: %s, %d steps; seeds from %d, common random numbers %s\n", sw->s.scenario,
         sw->base_steps, sw->s.seed, sw->s.common_random_numbers ? "on" : "off");
  for (size_t k = 0; k < sw->n_params; k++) {
    const sweep_param *p = &sw->s.params[k];
    printf("  parameter %-24s %s %s [%g, %g]%s\n", p->name, p->path,
           sweep_dist_names[p->distribution], p->min, p->max, p->integer ? " (integer)" : "");
  }
  if (sw->s.design.method == SWEEP_SOBOL) {
    sens_saltelli_opts o = {sw->s.design.scramble, 0, sw->s.design.skip};
    printf("Sobol' points %s, from point %llu\n",
           o.scramble ? "scrambled (from the master seed)" : "unscrambled",
           (unsigned long long)sens_saltelli_skip((size_t)sw->s.design.samples, &o));
  }
  for (size_t m = 0; m < sw->n_metrics; m++) {
    const sweep_metric *mt = &sw->s.metrics[m];
    printf("  metric    %-24s %s of %s\n", mt->name, metric_stat_names[mt->statistic], mt->series);
  }
  for (size_t p = 0; p < sw->n_points && p < 5 && sw->n_params; p++) {
    printf("  point %zu:", p);
    for (size_t k = 0; k < sw->n_params; k++)
      printf(" %s=%.6g", sw->s.params[k].name, sw->values[p * sw->n_params + k]);
    printf("\n");
  }
}

/* A Sobol' design too small for its intervals, or not a power of 2. */
static void warn_design(const sweep *sw, const char *file) {
  sens_saltelli_opts o = {sw->s.design.scramble, 0, sw->s.design.skip};
  char warn[512];
  if (sw->s.design.method == SWEEP_SOBOL &&
      sens_sobol_design_warning((size_t)sw->s.design.samples, &o, sw->s.analysis.bootstrap,
                                sw->s.analysis.confidence, warn, sizeof warn))
    fprintf(stderr, "nqpsim: warning: %s: %s\n", file, warn);
}

/* ---- running ------------------------------------------------------------ */

static int exit_code(int status) {
  return status == SWEEP_OK ? 0 : status == SWEEP_BAD_INPUT ? CLI_EXIT_USAGE : 1;
}

static int run_local(const sweep *sw, const sweep_options *opt, int *complete, char *err,
                     size_t errlen) {
  sweep_session *s = NULL;
  int rc = sweep_session_open(sw, opt, &s, err, errlen);
  *complete = 0;
  if (rc != SWEEP_OK || !s) {
    *complete = rc == SWEEP_OK;
    if (*complete && opt->report)
      fprintf(stderr, "nqpsim: %s was already complete (its leftover journal is removed)\n",
              opt->output);
    return rc;
  }
  rc = sweep_run_local(s, err, errlen);
  char cerr[4096] = "";
  int rc2 = sweep_session_close(&s, complete, cerr, sizeof cerr);
  if (rc == SWEEP_OK) {
    rc = rc2;
    snprintf(err, errlen, "%s", cerr);
  }
  return rc;
}

static void fill_options(const sweep_args *a, sweep_options *opt, sweep_progress *ps,
                         const char *cmdline, int ranks, int rank) {
  memset(opt, 0, sizeof *opt);
  opt->output = a->output;
  opt->force = a->force;
  opt->threads = a->threads;
  opt->max_runs = a->max_runs;
  opt->stop = &cli_interrupted;
  opt->command_line = cmdline;
  opt->ranks = ranks;
  ps->tty = isatty(STDERR_FILENO);
  ps->last_pct = -1;
  ps->last = 0;
  if (!a->quiet && rank == 0) {
    opt->progress = on_progress;
    opt->progress_ctx = ps;
    opt->report = stdout;
  }
}

static int execute(const sweep *sw, const sweep_args *a, const char *cmdline, int mpi, int rank,
                   int size) {
  sweep_options opt;
  sweep_progress ps;
  char err[4096] = "";
  int complete = 0, rc;
  fill_options(a, &opt, &ps, cmdline, size, rank);
  cli_install_signals();
#ifdef NQP_MPI
  if (mpi)
    rc = sweep_mpi_run(sw, &opt, rank, size, &complete, err, sizeof err);
  else
#endif
    rc = run_local(sw, &opt, &complete, err, sizeof err);
  (void)mpi;
  if (rank != 0) return exit_code(rc);
  if (rc != SWEEP_OK) {
    fprintf(stderr, "nqpsim: %s%s\n", cli_interrupted ? "interrupted: " : "", err);
    return exit_code(rc);
  }
  if (!a->quiet && complete) printf("\nresults: %s\n", a->output);
  return 0;
}

int cmd_sweep(int argc, char **argv, const char *cmdline) {
  sweep_args a = {.threads = 1};
  int rank = 0, size = 1, mpi = 0, rc = parse_args(argc, argv, &a);
  char *out_alloc = NULL, err[8192];
  sweep sw;
  if (rc) return rc < 0 ? 0 : rc;
#ifdef NQP_MPI
  mpi = sweep_mpi_init(&rank, &size) && size > 1;
#endif
  int loaded = sweep_load(a.file, &sw, err, sizeof err), status = loaded;
#ifdef NQP_MPI
  if (mpi) status = sweep_mpi_agree(loaded);
#endif
  if (status != SWEEP_OK) {
    if (rank == 0)
      fprintf(stderr, "%s\n",
              loaded != SWEEP_OK ? err : "nqpsim: another rank cannot load the sweep");
    rc = exit_code(status);
  } else if (a.dry_run) {
    if (rank == 0) warn_design(&sw, a.file), print_design(&sw);
  } else {
    if (rank == 0) warn_design(&sw, a.file);
    if (!a.output) a.output = out_alloc = default_output(a.file);
    rc = a.output ? execute(&sw, &a, cmdline, mpi, rank, size) : 1;
  }
  if (loaded == SWEEP_OK) sweep_free(&sw);
  free(out_alloc);
#ifdef NQP_MPI
  sweep_mpi_finalize();
#endif
  return rc;
}
