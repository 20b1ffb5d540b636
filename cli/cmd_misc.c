/* cmd_misc: `nqpsim validate`, `nqpsim info` and `nqpsim schema`. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "output/h5out.h"
#include "config/config.h"
#include "drivers/sweep.h"
#include "config/scenario.h"

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

/* When PATH is a valid sweep file rather than a scenario, say so and
 * point to `sweep --dry-run` (1); else 0 (the scenario's errors stand). */
static int point_to_sweep(const char *path) {
  sweep sw;
  char err[4096];
  if (sweep_load(path, &sw, err, sizeof err) != SWEEP_OK) return 0;
  fprintf(stderr,
          "%s: a sweep file (%zu runs), not a scenario: `nqpsim sweep %s --dry-run` checks it "
          "and prints its design\n",
          path, sw.n_runs, path);
  sweep_free(&sw);
  return 1;
}

int cmd_validate(int argc, char **argv, const char *cmdline) {
  static const struct option opts[] = {{"set", required_argument, 0, 'S'},
                                       {"print", no_argument, 0, 'p'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  cli_sets sets = {0};
  int c, rc = CLI_EXIT_USAGE, print = 0;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    if (c == 'S') {
      if (cli_sets_push(&sets, optarg)) goto out;
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
    if (!point_to_sweep(argv[optind])) fprintf(stderr, "%s\n", err);
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

static int info_main(int argc, char **argv, const char *cmdline) {
  if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
    fputs(usage_info, stdout);
    return 0;
  }
  if (argc != 2) {
    fputs(usage_info, stderr);
    return CLI_EXIT_USAGE;
  }
  char err[2048];
  if (access(argv[1], R_OK) != 0) {
    fprintf(stderr, "nqpsim info: %s: %s\n", argv[1], strerror(errno));
    return CLI_EXIT_USAGE;
  }
  if (h5out_info(argv[1], stdout, err, sizeof err) != 0) {
    fprintf(stderr, "nqpsim info: %s\n", err);
    return CLI_EXIT_USAGE;
  }
  return 0;
}

/* Run in a child process: a file that crashes libhdf5 is refused (cli_guard.c). */
int cmd_info(int argc, char **argv, const char *cmdline) {
  return cli_guarded("info", info_main, argc, argv, cmdline);
}

int cmd_schema(int argc, char **argv, const char *cmdline) {
  if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
    fputs(usage_schema, stdout);
    return 0;
  }
  cfg_print_reference(&scn_schema, stdout);
  return 0;
}
