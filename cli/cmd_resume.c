/* cmd_resume: `nqpsim resume CHECKPOINT.h5`, continue a checkpointed run
 * (drivers/run with plan.resume; output/checkpoint.h).
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
#include "drivers/run.h"

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
  static const struct option opts[] = {CLI_RUN_OPTIONS, {0, 0, 0, 0}};
  int c;
  while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
    if (c == 'h') return 1;
    int done = cli_run_option(c, optarg, p, quiet, 0);
    if (done < 0) return -1;
    if (done == 0) return fputs("try 'nqpsim resume --help'\n", stderr), -1;
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
  return cli_execute(&p, quiet, print_summary);
}
