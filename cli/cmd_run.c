/* cmd_run: `nqpsim run`, one simulation to an HDF5 file (sim/run). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/limits.h"
#include "cli/cli.h"
#include "drivers/run.h"

static const char *usage_run =
    "usage: nqpsim run [SCENARIO.yaml] [OPTIONS]\n"
    "\n"
    "Simulate SCENARIO (default: the embedded Anhui baseline, anhui.yaml) and\n"
    "write the run to an HDF5 file (written as FILE.partial, renamed when complete).\n"
    "\n"
    "options:\n"
    "  -o, --output FILE    output file (default: runs/NAME.h5, NAME the scenario file's name\n"
    "                       without extension: runs/anhui.h5 for the embedded baseline)\n"
    "      --no-output      simulate without writing a file\n"
    "      --seed N         master random seed (overrides the scenario's `seed`)\n"
    "      --steps N        steps to simulate (overrides `steps`)\n"
    "      --threads N      OpenMP threads (default 1); results are identical for any N\n"
    "      --set KEY=VALUE  override a scenario field, e.g. --set firm.lead_time=2;\n"
    "                       list items by id: --set industries.nev.markup=0.2 (repeatable)\n"
    "      --force          replace an existing output file\n"
    "      --check          check the model's invariants after every step (slower)\n"
    "      --checkpoint-every K  write a checkpoint every K steps (the previous one is kept\n"
    "                       until the new one is complete); SIGINT/SIGTERM always write one\n"
    "      --checkpoint FILE  checkpoint file (default: the output with .h5 -> .ckpt.h5)\n"
    "      --stop-at STEP   stop before STEP with a checkpoint (continue: nqpsim resume)\n"
    "  -q, --quiet          no progress and no summary\n"
    "  -h, --help           this help\n";

static void print_summary(const run_plan *p, const run_result *r) {
  printf("run complete: %d steps in %.2f s (%.3g firm-steps/s, %d thread%s)\n", r->steps, r->wall_s,
         r->wall_s > 0 ? r->firm_steps / r->wall_s : 0, p->threads, p->threads == 1 ? "" : "s");
  printf("  live firms            %.0f\n", r->summary[0]);
  printf("  output                %.1f 1e8 CNY/step\n", r->summary[1] / 1e8);
  printf("  value added           %.1f 1e8 CNY/step\n", r->summary[2] / 1e8);
  printf("  skilled employment    %.0f workers\n", r->summary[3]);
  printf("  mean TFP              %.3f (relative; median firm 1 at the start)\n", r->summary[4]);
  printf("  digital penetration   %.3f\n", r->summary[5]);
  printf("  NQP composite index   %.3f\n", r->summary[6]);
  printf("  automated capital     %.3f (share of capital digitally controlled)\n", r->summary[7]);
  if (p->output) printf("  output file           %s\n", p->output);
}

static char *default_output(const char *scenario_path) {
  const char *base = scenario_path ? strrchr(scenario_path, '/') : NULL;
  base = base ? base + 1 : (scenario_path ? scenario_path : "anhui.yaml");
  size_t len = strcspn(base, ".");
  char *out = malloc(len + 16);
  if (out) snprintf(out, len + 16, "runs/%.*s.h5", (int)len, base);
  if (mkdir("runs", 0777) != 0 && errno != EEXIST) fprintf(stderr, "nqpsim: cannot create runs/\n");
  return out;
}

int cmd_run(int argc, char **argv, const char *cmdline) {
  static const struct option opts[] = {CLI_RUN_OPTIONS,
                                       {"seed", required_argument, 0, 's'},
                                       {"steps", required_argument, 0, 'n'},
                                       {"set", required_argument, 0, 'S'},
                                       {0, 0, 0, 0}};
  run_plan p = {.seed = -1, .steps = -1, .threads = 1, .command_line = cmdline};
  cli_sets sets = {0};
  int quiet = 0, c, rc = CLI_EXIT_USAGE;
  long v;
  char *out_alloc = NULL;
  while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
    int done = c == 'h' ? 0 : cli_run_option(c, optarg, &p, &quiet, 1);
    if (done < 0) goto out;
    if (done > 0) continue;
    switch (c) {
    case 's':
      if (cli_parse_long("--seed", optarg, 0, SCN_MAX_SEED, &v)) goto out;
      p.seed = v;
      break;
    case 'n':
      if (cli_parse_long("--steps", optarg, 1, 100000, &v)) goto out;
      p.steps = v;
      break;
    case 'S':
      if (!strchr(optarg, '=')) {
        fprintf(stderr, "nqpsim: --set %s: expected KEY.PATH=VALUE\n", optarg);
        goto out;
      }
      if (cli_sets_push(&sets, optarg)) goto out;
      break;
    case 'h':
      fputs(usage_run, stdout);
      rc = 0;
      goto out;
    default:
      fputs("try 'nqpsim run --help'\n", stderr);
      goto out;
    }
  }
  if (optind < argc - 1) {
    fprintf(stderr, "nqpsim run: expected at most one scenario file, found %d arguments\n",
            argc - optind);
    goto out;
  }
  p.scenario = optind < argc ? argv[optind] : NULL;
  if (!p.no_output && !p.output) p.output = out_alloc = default_output(p.scenario);
  p.sets = sets.v, p.nsets = sets.n;
  rc = cli_execute(&p, quiet, print_summary);
out:
  free(sets.v);
  free(out_alloc);
  return rc;
}
