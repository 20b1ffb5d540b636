/* cmd_resume: `nqpsim resume CHECKPOINT.h5`, continue a checkpointed run
 * (sim/run with plan.resume; output/checkpoint.h).
 *
 * Invariants: the scenario, seed and length come from the checkpoint only
 * (no --set, --seed or --steps here); a checkpoint that is not one (not
 * HDF5, truncated, another layout) is bad input, exit 2; an interrupted
 * resume writes a new checkpoint like `run` does, exit 1.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sim/run.h"

static const char *usage_resume =
    "usage: nqpsim resume CHECKPOINT.h5 [OPTIONS]\n"
    "\n"
    "Continue the run saved in CHECKPOINT (by `nqpsim run --checkpoint-every`, --stop-at,\n"
    "or SIGINT/SIGTERM). The finished run file holds exactly the data of an uninterrupted\n"
    "run, whatever --threads either part used.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE    run file (default: the checkpointed run's)\n"
    "      --no-output      continue without writing a run file\n"
    "      --threads N      OpenMP threads (default 1)\n"
    "      --force          replace an existing run file\n"
    "      --check          check the model's invariants after every step (slower)\n"
    "      --checkpoint-every K  checkpoint interval (default: the checkpointed run's)\n"
    "      --checkpoint FILE  where later checkpoints go (default: CHECKPOINT itself)\n"
    "      --stop-at STEP   stop again before STEP with a checkpoint\n"
    "  -q, --quiet          no progress and no summary\n"
    "  -h, --help           this help\n";

static void print_summary(const run_plan *p, const run_result *r) {
  printf("run complete: steps %d to %d resumed from %s in %.2f s (%d thread%s)\n", r->first_step,
         r->steps - 1, p->resume, r->wall_s, p->threads, p->threads == 1 ? "" : "s");
  printf("  live firms            %.0f\n", r->summary[0]);
  printf("  output                %.1f 1e8 CNY/step\n", r->summary[1] / 1e8);
  printf("  NQP composite index   %.3f\n", r->summary[6]);
}

/* Parse the options into P; returns -1 (usage error), 0, or 1 (--help). */
static int parse(int argc, char **argv, run_plan *p, int *quiet) {
  static const struct option opts[] = {{"output", required_argument, 0, 'o'},
                                       {"no-output", no_argument, 0, 'N'},
                                       {"threads", required_argument, 0, 't'},
                                       {"force", no_argument, 0, 'f'},
                                       {"check", no_argument, 0, 'c'},
                                       {"checkpoint-every", required_argument, 0, 'K'},
                                       {"checkpoint", required_argument, 0, 'C'},
                                       {"stop-at", required_argument, 0, 'A'},
                                       {"quiet", no_argument, 0, 'q'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  int c;
  long v;
  while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
    if (c == 'o')
      p->output = optarg;
    else if (c == 'N')
      p->no_output = 1;
    else if (c == 't' && !cli_parse_long("--threads", optarg, 1, 1024, &v))
      p->threads = (int)v;
    else if (c == 'f')
      p->force = 1;
    else if (c == 'c')
      p->check = 1;
    else if (c == 'K' && !cli_parse_long("--checkpoint-every", optarg, 0, 100000, &v))
      p->checkpoint_every = v;
    else if (c == 'C')
      p->checkpoint = optarg;
    else if (c == 'A' && !cli_parse_long("--stop-at", optarg, 1, 100000, &v))
      p->stop_at = v;
    else if (c == 'q')
      *quiet = 1;
    else if (c == 'h')
      return 1;
    else
      return fputs("try 'nqpsim resume --help'\n", stderr), -1;
  }
  if (optind != argc - 1) {
    fprintf(stderr, "nqpsim resume: expected one checkpoint file, found %d arguments\n",
            argc - optind);
    return -1;
  }
  if (p->output && p->no_output) {
    fputs("nqpsim resume: --output and --no-output exclude each other\n", stderr);
    return -1;
  }
  p->resume = argv[optind];
  return 0;
}

int cmd_resume(int argc, char **argv, const char *cmdline) {
  run_plan p = {.seed = -1, .steps = -1, .threads = 1, .command_line = cmdline};
  p.checkpoint_every = -1; /* the checkpointed run's interval */
  int quiet = 0, rc = parse(argc, argv, &p, &quiet);
  if (rc != 0) {
    if (rc > 0) fputs(usage_resume, stdout);
    return rc > 0 ? 0 : CLI_EXIT_USAGE;
  }
  cli_progress ps;
  cli_progress_init(&ps, "step");
  if (!quiet) p.progress = cli_progress_report, p.progress_ctx = &ps;
  p.interrupt = &cli_interrupted;
  cli_install_signals();
  run_result r;
  int status = run_execute(&p, &r);
  if (status != RUN_OK || r.stopped) {
    fprintf(stderr, "nqpsim: %s\n", r.message);
    return status;
  }
  if (!quiet) print_summary(&p, &r);
  return 0;
}
