/* nqpsim: command-line front end. Every command is a library call (sim/run,
 * sim/config, output/h5out); this file only parses arguments, reports
 * progress and maps outcomes to exit codes: 0 success, 1 runtime failure,
 * 2 bad input or usage.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output/h5out.h"
#include "sim/buildinfo.h"
#include "sim/config.h"
#include "sim/run.h"
#include "sim/scenario.h"

#define EXIT_USAGE 2

static volatile int interrupted = 0;
static void on_signal(int sig) {
  interrupted = sig;
}

static const char *usage_main =
    "usage: nqpsim COMMAND [OPTIONS]\n"
    "\n"
    "commands:\n"
    "  run [SCENARIO.yaml]   simulate a scenario (default: the embedded Anhui baseline)\n"
    "  validate FILE.yaml    check a scenario without running it\n"
    "  info FILE.h5          summarise a run file\n"
    "  schema                print the reference of every scenario field\n"
    "\n"
    "  nqpsim COMMAND --help   help for one command;  nqpsim --version\n";

static const char *usage_run =
    "usage: nqpsim run [SCENARIO.yaml] [OPTIONS]\n"
    "\n"
    "Simulate SCENARIO (default: the embedded Anhui baseline, anhui.yaml) and\n"
    "write the run to an HDF5 file (written as FILE.partial, renamed when complete).\n"
    "\n"
    "options:\n"
    "  -o, --output FILE    output file (default: runs/NAME.h5, NAME the scenario's name)\n"
    "      --no-output      simulate without writing a file\n"
    "      --seed N         master random seed (overrides the scenario's `seed`)\n"
    "      --steps N        steps to simulate (overrides `steps`)\n"
    "      --threads N      OpenMP threads (default 1); results are identical for any N\n"
    "      --set KEY=VALUE  override a scenario field, e.g. --set firm.lead_time=2;\n"
    "                       list items by id: --set industries.nev.markup=0.2 (repeatable)\n"
    "      --force          replace an existing output file\n"
    "      --check          check the model's invariants after every step (slower)\n"
    "  -q, --quiet          no progress and no summary\n"
    "  -h, --help           this help\n";

static const char *usage_validate =
    "usage: nqpsim validate FILE.yaml [--set KEY=VALUE ...]\n"
    "\n"
    "Load and check FILE (types, ranges, references, unknown keys) without running it.\n"
    "Exit 0 when valid; exit 2 with FILE:LINE:COLUMN: KEY: message otherwise.\n"
    "  --print   also print the resolved scenario (every field, defaults filled)\n";

static const char *usage_info =
    "usage: nqpsim info FILE.h5\n"
    "\n"
    "Print a human summary of a run file: provenance, dimensions, series, final values.\n";

static const char *usage_schema =
    "usage: nqpsim schema\n"
    "\n"
    "Print every scenario field (key path, type, unit, default, range, description)\n"
    "as a Markdown table.\n";

typedef struct cli_sets {
  const char **v;
  size_t n, cap;
} cli_sets;

static int sets_push(cli_sets *s, const char *arg) {
  if (s->n == s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 8;
    const char **v = realloc(s->v, cap * sizeof(char *));
    if (!v) return -1;
    s->v = v, s->cap = cap;
  }
  s->v[s->n++] = arg;
  return 0;
}

static int parse_long(const char *opt, const char *arg, long lo, long hi, long *out) {
  char *end;
  errno = 0;
  long v = strtol(arg, &end, 10);
  if (errno || *end || end == arg || v < lo || v > hi) {
    fprintf(stderr, "nqpsim: %s: expected an integer in [%ld, %ld], found \"%s\"\n", opt, lo, hi,
            arg);
    return -1;
  }
  *out = v;
  return 0;
}

/* ---- progress ------------------------------------------------------------ */

typedef struct progress_state {
  int tty;
  int last_pct;
} progress_state;

static void progress(void *ctx, int step, int steps, double elapsed) {
  progress_state *ps = ctx;
  double rate = elapsed > 0 ? step / elapsed : 0;
  double eta = rate > 0 ? (steps - step) / rate : 0;
  if (ps->tty) {
    int width = 30, fill = steps ? width * step / steps : width;
    fprintf(stderr, "\r[%.*s%*s] step %d/%d  %.1f steps/s  ETA %.0fs ", fill,
            "##############################", width - fill, "", step, steps, rate, eta);
    if (step == steps) fputc('\n', stderr);
    return;
  }
  int pct = steps ? 100 * step / steps : 100;
  if (pct / 10 > ps->last_pct / 10 || step == steps) {
    fprintf(stderr, "nqpsim: step %d/%d (%d%%), %.1f steps/s, ETA %.0fs\n", step, steps, pct, rate,
            eta);
    ps->last_pct = pct;
  }
}

static void print_summary(const run_plan *p, const run_result *r) {
  printf("run complete: %d steps in %.2f s (%.3g firm-steps/s, %d thread%s)\n", r->steps, r->wall_s,
         r->wall_s > 0 ? r->firm_steps / r->wall_s : 0, p->threads, p->threads == 1 ? "" : "s");
  printf("  live firms            %.0f\n", r->summary[0]);
  printf("  output                %.1f 1e8 CNY/step\n", r->summary[1] / 1e8);
  printf("  value added           %.1f 1e8 CNY/step\n", r->summary[2] / 1e8);
  printf("  skilled employment    %.0f workers\n", r->summary[3]);
  printf("  mean TFP              %.3f (1 = initial industry level)\n", r->summary[4]);
  printf("  digital penetration   %.3f\n", r->summary[5]);
  printf("  NQP composite index   %.3f\n", r->summary[6]);
  if (p->output) printf("  output file           %s\n", p->output);
}

/* ---- commands ------------------------------------------------------------- */

static char *default_output(const char *scenario_path) {
  const char *base = scenario_path ? strrchr(scenario_path, '/') : NULL;
  base = base ? base + 1 : (scenario_path ? scenario_path : "anhui.yaml");
  size_t len = strcspn(base, ".");
  char *out = malloc(len + 16);
  if (out) snprintf(out, len + 16, "runs/%.*s.h5", (int)len, base);
  if (mkdir("runs", 0777) != 0 && errno != EEXIST) fprintf(stderr, "nqpsim: cannot create runs/\n");
  return out;
}

static char *join_args(int argc, char **argv) {
  size_t len = 1;
  for (int i = 0; i < argc; i++) len += strlen(argv[i]) + 1;
  char *s = malloc(len);
  if (!s) return NULL;
  s[0] = 0;
  for (int i = 0; i < argc; i++) {
    strcat(s, argv[i]);
    if (i + 1 < argc) strcat(s, " ");
  }
  return s;
}

static int cmd_run(int argc, char **argv, char *cmdline) {
  static const struct option opts[] = {{"output", required_argument, 0, 'o'},
                                       {"no-output", no_argument, 0, 'N'},
                                       {"seed", required_argument, 0, 's'},
                                       {"steps", required_argument, 0, 'n'},
                                       {"threads", required_argument, 0, 't'},
                                       {"set", required_argument, 0, 'S'},
                                       {"force", no_argument, 0, 'f'},
                                       {"check", no_argument, 0, 'c'},
                                       {"quiet", no_argument, 0, 'q'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  run_plan p = {.seed = -1, .steps = -1, .threads = 1, .command_line = cmdline};
  cli_sets sets = {0};
  int quiet = 0, no_output = 0, c, rc = EXIT_USAGE;
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
      if (parse_long("--seed", optarg, 0, 2147483647L, &v)) goto out;
      p.seed = v;
      break;
    case 'n':
      if (parse_long("--steps", optarg, 1, 100000, &v)) goto out;
      p.steps = v;
      break;
    case 't':
      if (parse_long("--threads", optarg, 1, 1024, &v)) goto out;
      p.threads = (int)v;
      break;
    case 'S':
      if (!strchr(optarg, '=')) {
        fprintf(stderr, "nqpsim: --set %s: expected KEY.PATH=VALUE\n", optarg);
        goto out;
      }
      if (sets_push(&sets, optarg)) goto out;
      break;
    case 'f':
      p.force = 1;
      break;
    case 'c':
      p.check = 1;
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
  progress_state ps = {.tty = isatty(STDERR_FILENO), .last_pct = -1};
  if (!quiet) p.progress = progress, p.progress_ctx = &ps;
  p.interrupt = &interrupted;
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  run_result r;
  int status = run_execute(&p, &r);
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

static int cmd_validate(int argc, char **argv) {
  static const struct option opts[] = {{"set", required_argument, 0, 'S'},
                                       {"print", no_argument, 0, 'p'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  cli_sets sets = {0};
  int c, rc = EXIT_USAGE, print = 0;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    if (c == 'S') {
      if (sets_push(&sets, optarg)) goto out;
    } else if (c == 'p')
      print = 1;
    else if (c == 'h') {
      fputs(usage_validate, stdout);
      rc = 0;
      goto out;
    } else {
      fputs("try 'nqpsim validate --help'\n", stderr);
      goto out;
    }
  }
  if (optind != argc - 1) {
    fputs(usage_validate, stderr);
    goto out;
  }
  scenario s;
  char *resolved = NULL, err[4096];
  if (scn_load(argv[optind], sets.v, sets.n, &s, &resolved, err, sizeof err) != 0) {
    fprintf(stderr, "%s\n", err);
    goto out;
  }
  printf("%s: valid scenario \"%s\": %d industries, %d regions, %d institutes, %d steps\n",
         argv[optind], s.name, s.n_industries, s.n_regions, s.n_institutes, s.steps);
  if (print) fputs(resolved, stdout);
  free(resolved);
  scn_free(&s);
  rc = 0;
out:
  free(sets.v);
  return rc;
}

static int cmd_info(int argc, char **argv) {
  if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
    fputs(usage_info, stdout);
    return 0;
  }
  if (argc != 2) {
    fputs(usage_info, stderr);
    return EXIT_USAGE;
  }
  char err[2048];
  if (access(argv[1], R_OK) != 0) {
    fprintf(stderr, "nqpsim info: %s: %s\n", argv[1], strerror(errno));
    return EXIT_USAGE;
  }
  if (h5out_info(argv[1], stdout, err, sizeof err) != 0) {
    fprintf(stderr, "nqpsim info: %s\n", err);
    return EXIT_USAGE;
  }
  return 0;
}

static int cmd_schema(int argc, char **argv) {
  if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
    fputs(usage_schema, stdout);
    return 0;
  }
  cfg_print_reference(&scn_schema, stdout);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs(usage_main, stderr);
    return EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
    printf("nqpsim %s (commit %s, %s, %s)\n", nqp_version, nqp_git_commit, nqp_compiler,
           nqp_build_type);
    return 0;
  }
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    fputs(usage_main, stdout);
    return 0;
  }
  char *cmdline = join_args(argc, argv);
  int rc;
  if (!strcmp(cmd, "run"))
    rc = cmd_run(argc - 1, argv + 1, cmdline);
  else if (!strcmp(cmd, "validate"))
    rc = cmd_validate(argc - 1, argv + 1);
  else if (!strcmp(cmd, "info"))
    rc = cmd_info(argc - 1, argv + 1);
  else if (!strcmp(cmd, "schema"))
    rc = cmd_schema(argc - 1, argv + 1);
  else {
    fprintf(stderr, "nqpsim: unknown command \"%s\"\n%s", cmd, usage_main);
    rc = EXIT_USAGE;
  }
  free(cmdline);
  return rc;
}
