/* cmd_report: `nqpsim report FILE.h5 [FILE2.h5 ...] -o REPORT.html`, an
 * interactive, self-contained HTML report of runs, a comparison of runs or
 * a sweep (output/report.h; README section "Reports").
 *
 * Exit codes: 0 written, 1 runtime failure (write error, out of memory, a
 * build without report support), 2 bad input (usage, a file that is not a
 * complete run or sweep file, runs of different worlds, an output that
 * cannot be created). Warnings go to stderr; the path written to stdout.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "output/report.h"

static const char *usage_report =
    "usage: nqpsim report RUN.h5 [RUN2.h5 ...] [-o REPORT.html]\n"
    "       nqpsim report SWEEP.h5 [-o REPORT.html]\n"
    "\n"
    "Write one self-contained HTML file (opens offline, no server) with interactive\n"
    "charts (Apache ECharts, inlined). For runs: headline metrics; time series by\n"
    "industry and by region (the NQP index, its three dimensions and other series);\n"
    "radars of the three dimensions by region and industry type; the supply chain as\n"
    "a Sankey diagram with a time slider (flows, and where a shock's shortfall\n"
    "travels); lever spending; the scenario and provenance. With two or more runs of\n"
    "one world, the first is the baseline and the report adds policy-minus-baseline\n"
    "differences. For a sweep: metric distributions per design point, confidence\n"
    "intervals of replicate studies, Sobol' indices, Morris mu*-sigma.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE  the report, ending in .html or .htm (default: the first\n"
    "                     input with .h5 replaced by .html); written as\n"
    "                     FILE.partial and renamed when complete; replaced if it exists\n"
    "  -q, --quiet        print nothing on success (warnings still go to stderr)\n"
    "  -h, --help         this help\n";

/* The default output: INPUT without its .h5/.hdf5 extension, plus .html. */
static char *default_output(const char *input) {
  size_t n = strlen(input), cut = n;
  char *out = malloc(n + 6);
  if (!out) return NULL;
  if (n > 3 && !strcmp(input + n - 3, ".h5"))
    cut = n - 3;
  else if (n > 5 && !strcmp(input + n - 5, ".hdf5"))
    cut = n - 5;
  memcpy(out, input, cut);
  strcpy(out + cut, ".html");
  return out;
}

/* Parse options; -1 usage error, 1 --help, 0 ok. */
static int parse_args(int argc, char **argv, const char **output, int *quiet) {
  static const struct option opts[] = {{"output", required_argument, 0, 'o'},
                                       {"quiet", no_argument, 0, 'q'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  int c;
  while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
    if (c == 'o')
      *output = optarg;
    else if (c == 'q')
      *quiet = 1;
    else if (c == 'h')
      return 1;
    else {
      fputs("try 'nqpsim report --help'\n", stderr);
      return -1;
    }
  }
  if (optind >= argc) {
    fputs("nqpsim report: expected one or more run files, or one sweep file\n"
          "try 'nqpsim report --help'\n",
          stderr);
    return -1;
  }
  return 0;
}

static int report_main(int argc, char **argv, const char *cmdline) {
  const char *output = NULL;
  char *def = NULL, err[4096];
  int quiet = 0, rc = parse_args(argc, argv, &output, &quiet);
  rpt_result res;
  if (rc != 0) {
    if (rc == 1) fputs(usage_report, stdout);
    return rc == 1 ? 0 : CLI_EXIT_USAGE;
  }
  if (!output && !(output = def = default_output(argv[optind]))) {
    fputs("nqpsim report: out of memory\n", stderr);
    return 1;
  }
  rc = rpt_write((const char *const *)argv + optind, (size_t)(argc - optind), output, &res, err,
                 sizeof err);
  for (size_t i = 0; i < res.w.n; i++) fprintf(stderr, "nqpsim report: warning: %s\n", res.w.v[i]);
  if (rc != RPT_OK)
    fprintf(stderr, "nqpsim report: %s\n", err);
  else if (!quiet)
    printf("report written to %s (%s, %.1f MB)\n", output,
           res.kind == RPT_SWEEP ? "sweep"
           : argc - optind > 1   ? "runs compared"
                                 : "run",
           (double)res.bytes / 1e6);
  rpt_result_free(&res);
  free(def);
  return rc == RPT_OK ? 0 : rc == RPT_BAD_INPUT ? CLI_EXIT_USAGE : 1;
}

/* Run in a child process: a file that crashes libhdf5 is refused (cli_guard.c). */
int cmd_report(int argc, char **argv, const char *cmdline) {
  return cli_guarded("report", report_main, argc, argv, cmdline);
}
