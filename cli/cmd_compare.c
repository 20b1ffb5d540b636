/* cmd_compare: `nqpsim compare BASE.h5 POLICY.h5`, the policy effect
 * between two runs (output/compare.h, docs/compare.md).
 *
 * Parses the options, builds the table, prints warnings on stderr, the
 * human table on stdout (unless -q) and writes -o TABLE.csv|.h5.
 * Exit codes: 0 success, 1 the table could not be written, 2 bad input
 * (usage, files that cannot be compared, unknown metric or horizon).
 * Invariant: -o never names one of the compared run files.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "output/compare.h"

#define CMP_MAX_LIST 256 /* items in one comma-separated option */

static const char *usage_compare =
    "usage: nqpsim compare BASE.h5 POLICY.h5 [OPTIONS]\n"
    "\n"
    "Print the policy effect (POLICY - BASE, and percent of |BASE|) on the headline\n"
    "metrics at chosen horizons, for the economy, the industry kinds (technology- vs\n"
    "labour-intensive) and the regions. Run both with the same seed (common random\n"
    "numbers) so that the differences are due to the policy alone.\n"
    "\n"
    "options:\n"
    "      --horizons LIST  steps to compare, e.g. 4,20,end (default: 4, the middle\n"
    "                       and the last step; `end` is the last compared step)\n"
    "      --metrics LIST   series, e.g. output,tfp (default: output, value_added,\n"
    "                       employment_skilled, employment_unskilled, tfp, digital,\n"
    "                       index_tech, index_org, index_value, index_nqp,\n"
    "                       external_input_share, lever_spending, those present)\n"
    "      --by LIST        levels among economy,kind,region,industry\n"
    "                       (default: economy,kind,region)\n"
    "      --window K       average over the K steps ending at each horizon (default 1)\n"
    "  -o, --output FILE    also write the table: FILE.csv (columns metric, group,\n"
    "                       level, label, horizon_step, base, policy, diff, pct) or\n"
    "                       FILE.h5 (one 1-D dataset per column along `row`)\n"
    "  -q, --quiet          no table on stdout (warnings still go to stderr)\n"
    "  -h, --help           this help\n"
    "\n"
    "Kind values: sums (output, employment, ...) add up over the kind's industries;\n"
    "means (tfp, digital, index_*, shares) are weighted by their denominator series\n"
    "(firms, output, inputs_received) at the same step. See docs/compare.md.\n";

/* A comma-separated list: pointers into a private copy of the argument. */
typedef struct cmp_list {
  char *buf;
  const char *v[CMP_MAX_LIST];
  size_t n;
} cmp_list;

static int split_list(const char *opt, const char *arg, cmp_list *l) {
  char *save = NULL;
  free(l->buf);
  l->n = 0;
  if (!(l->buf = strdup(arg))) return -1;
  for (char *tok = strtok_r(l->buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    if (l->n == CMP_MAX_LIST) {
      fprintf(stderr, "nqpsim compare: %s: more than %d items\n", opt, CMP_MAX_LIST);
      return -1;
    }
    l->v[l->n++] = tok;
  }
  if (l->n == 0) {
    fprintf(stderr, "nqpsim compare: %s: expected a comma-separated list, found \"%s\"\n", opt,
            arg);
    return -1;
  }
  return 0;
}

static int parse_horizons(const char *arg, int *h, size_t *n) {
  cmp_list l = {0};
  int rc = split_list("--horizons", arg, &l);
  for (size_t i = 0; i < l.n && rc == 0; i++) {
    long v;
    if (strcmp(l.v[i], "end") == 0)
      h[i] = CMP_END;
    else if (cli_parse_long("--horizons", l.v[i], 0, 100000000, &v) == 0)
      h[i] = (int)v;
    else
      rc = -1;
  }
  *n = rc == 0 ? l.n : 0;
  free(l.buf);
  return rc;
}

static int parse_by(const char *arg, unsigned *by) {
  cmp_list l = {0};
  int rc = split_list("--by", arg, &l);
  *by = 0;
  for (size_t i = 0; i < l.n && rc == 0; i++) {
    int g = 0;
    while (g < CMP_NGROUPS && strcmp(l.v[i], cmp_group_names[g]) != 0) g++;
    if (g == CMP_NGROUPS) {
      fprintf(stderr,
              "nqpsim compare: --by: unknown level \"%s\" (expected economy, kind, "
              "region or industry)\n",
              l.v[i]);
      rc = -1;
    } else {
      *by |= CMP_BY(g);
    }
  }
  free(l.buf);
  return rc;
}

/* Is OUT one of the compared files (same inode)? */
static int same_file(const char *out, const char *in) {
  struct stat a, b;
  return stat(out, &a) == 0 && stat(in, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static int check_output(const char *out, const char *base, const char *policy) {
  size_t n = strlen(out);
  int csv = n > 4 && strcasecmp(out + n - 4, ".csv") == 0;
  int h5 = (n > 3 && strcasecmp(out + n - 3, ".h5") == 0) ||
           (n > 5 && strcasecmp(out + n - 5, ".hdf5") == 0);
  if (!csv && !h5) {
    fprintf(stderr, "nqpsim compare: -o %s: the name must end in .csv, .h5 or .hdf5\n", out);
    return -1;
  }
  if (same_file(out, base) || same_file(out, policy)) {
    fprintf(stderr, "nqpsim compare: -o %s: that is one of the compared run files\n", out);
    return -1;
  }
  return 0;
}

typedef struct compare_args {
  cmp_options opt;
  cmp_list metrics;
  int horizons[CMP_MAX_LIST];
  const char *output;
  int quiet;
} compare_args;

/* Parse the options into A; returns -1 (usage error), 0, or 1 for --help. */
static int parse_args(int argc, char **argv, compare_args *a) {
  static const struct option opts[] = {
      {"horizons", required_argument, 0, 'H'}, {"metrics", required_argument, 0, 'M'},
      {"by", required_argument, 0, 'B'},       {"window", required_argument, 0, 'W'},
      {"output", required_argument, 0, 'o'},   {"quiet", no_argument, 0, 'q'},
      {"help", no_argument, 0, 'h'},           {0, 0, 0, 0}};
  int c;
  long v;
  while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
    if (c == 'H' && parse_horizons(optarg, a->horizons, &a->opt.n_horizons) == 0)
      a->opt.horizons = a->horizons;
    else if (c == 'M' && split_list("--metrics", optarg, &a->metrics) == 0)
      a->opt.metrics = a->metrics.v, a->opt.n_metrics = a->metrics.n;
    else if (c == 'B' && parse_by(optarg, &a->opt.by) == 0)
      continue;
    else if (c == 'W' && cli_parse_long("--window", optarg, 1, 100000000, &v) == 0)
      a->opt.window = (int)v;
    else if (c == 'o')
      a->output = optarg;
    else if (c == 'q')
      a->quiet = 1;
    else if (c == 'h')
      return 1;
    else {
      if (c == '?') fputs("try 'nqpsim compare --help'\n", stderr);
      return -1;
    }
  }
  if (argc - optind != 2) {
    fprintf(stderr, "nqpsim compare: expected BASE.h5 and POLICY.h5, found %d file%s\n%s",
            argc - optind, argc - optind == 1 ? "" : "s", "try 'nqpsim compare --help'\n");
    return -1;
  }
  return 0;
}

static int compare_main(int argc, char **argv, const char *cmdline) {
  compare_args a;
  cmp_table *t = NULL;
  char err[4096];
  int rc;
  memset(&a, 0, sizeof a);
  a.opt.window = 1;
  rc = parse_args(argc, argv, &a);
  if (rc != 0) {
    if (rc == 1) fputs(usage_compare, stdout);
    free(a.metrics.buf);
    return rc == 1 ? 0 : CLI_EXIT_USAGE;
  }
  const char *base = argv[optind], *policy = argv[optind + 1];
  if (a.output && check_output(a.output, base, policy) < 0) {
    free(a.metrics.buf);
    return CLI_EXIT_USAGE;
  }
  rc = cmp_build(base, policy, &a.opt, &t, err, sizeof err);
  if (rc != CMP_OK) {
    fprintf(stderr, "nqpsim compare: %s\n", err);
  } else {
    for (size_t i = 0; i < t->n_warnings; i++)
      fprintf(stderr, "nqpsim compare: warning: %s\n", t->warnings[i]);
    if (!a.quiet && cmp_print(t, stdout) < 0) {
      fprintf(stderr, "nqpsim compare: error writing to stdout\n");
      rc = CMP_FAILED;
    }
    if (rc == CMP_OK && a.output && (rc = cmp_write(t, a.output, err, sizeof err)) != CMP_OK)
      fprintf(stderr, "nqpsim compare: %s\n", err);
    if (rc == CMP_OK && a.output && !a.quiet) printf("table written to %s\n", a.output);
  }
  cmp_free(&t);
  free(a.metrics.buf);
  return rc == CMP_OK ? 0 : rc == CMP_BAD_INPUT ? CLI_EXIT_USAGE : 1;
}

/* Run in a child process: a file that crashes libhdf5 is refused (cli_guard.c). */
int cmd_compare(int argc, char **argv, const char *cmdline) {
  return cli_guarded("compare", compare_main, argc, argv, cmdline);
}
