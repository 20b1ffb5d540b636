/* cmd_run: `nqpsim run`, one simulation to an HDF5 file (sim/run). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "sim/run.h"

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
  static const struct option opts[] = {{"output", required_argument, 0, 'o'},
                                       {"no-output", no_argument, 0, 'N'},
                                       {"seed", required_argument, 0, 's'},
                                       {"steps", required_argument, 0, 'n'},
                                       {"threads", required_argument, 0, 't'},
                                       {"set", required_argument, 0, 'S'},
                                       {"force", no_argument, 0, 'f'},
                                       {"check", no_argument, 0, 'c'},
                                       {"checkpoint-every", required_argument, 0, 'K'},
                                       {"checkpoint", required_argument, 0, 'C'},
                                       {"stop-at", required_argument, 0, 'A'},
                                       {"quiet", no_argument, 0, 'q'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  run_plan p = {.seed = -1, .steps = -1, .threads = 1, .command_line = cmdline};
  cli_sets sets = {0};
  int quiet = 0, no_output = 0, c, rc = CLI_EXIT_USAGE;
  long v;
  char *out_alloc = NULL;
  while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
    switch (c) {
    case 'o':
      p.output = optarg;
      break;
    case 'N':
      no_output = 1;
      break;
    case 's':
      if (cli_parse_long("--seed", optarg, 0, 2147483647L, &v)) goto out;
      p.seed = v;
      break;
    case 'n':
      if (cli_parse_long("--steps", optarg, 1, 100000, &v)) goto out;
      p.steps = v;
      break;
    case 't':
      if (cli_parse_long("--threads", optarg, 1, 1024, &v)) goto out;
      p.threads = (int)v;
      break;
    case 'S':
      if (!strchr(optarg, '=')) {
        fprintf(stderr, "nqpsim: --set %s: expected KEY.PATH=VALUE\n", optarg);
        goto out;
      }
      if (cli_sets_push(&sets, optarg)) goto out;
      break;
    case 'f':
      p.force = 1;
      break;
    case 'c':
      p.check = 1;
      break;
    case 'K':
      if (cli_parse_long("--checkpoint-every", optarg, 1, 100000, &v)) goto out;
      p.checkpoint_every = v;
      break;
    case 'C':
      p.checkpoint = optarg;
      break;
    case 'A':
      if (cli_parse_long("--stop-at", optarg, 1, 100000, &v)) goto out;
      p.stop_at = v;
      break;
    case 'q':
      quiet = 1;
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
  if (!no_output && !p.output) p.output = out_alloc = default_output(p.scenario);
  p.sets = sets.v, p.nsets = sets.n;
  cli_progress ps;
  cli_progress_init(&ps, "step");
  if (!quiet) p.progress = cli_progress_report, p.progress_ctx = &ps;
  p.interrupt = &cli_interrupted;
  cli_install_signals();
  run_result r;
  int status = run_execute(&p, &r);
  if (status == RUN_OK && r.stopped) {
    fprintf(stderr, "nqpsim: %s\n", r.message);
    rc = 0;
    goto out;
  }
  if (status != RUN_OK) {
    fprintf(stderr, "nqpsim: %s\n", r.message);
    rc = status;
    goto out;
  }
  if (!quiet) print_summary(&p, &r);
  rc = 0;
out:
  free(sets.v);
  free(out_alloc);
  return rc;
}
