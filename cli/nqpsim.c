/* nqpsim: command-line front end. Every command is a library call (drivers/run,
 * config/config, output/h5out, ...); the command files in cli/ only parse
 * arguments, report progress and map outcomes to exit codes: 0 success,
 * 1 runtime failure, 2 bad input or usage. Commands are listed once, in
 * the table below.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "base/buildinfo.h"
#include "config/cfg_util.h"

typedef struct cli_command {
  const char *name;
  cli_cmd_fn fn;
  const char *args;
  const char *help;
} cli_command;

static const cli_command commands[] = {
    {"run", cmd_run, "[SCENARIO.yaml]",
     "simulate a scenario (default: the embedded Anhui baseline)"},
    {"resume", cmd_resume, "CHECKPOINT.h5", "continue a checkpointed or interrupted run"},
    {"validate", cmd_validate, "FILE.yaml", "check a scenario without running it"},
    {"info", cmd_info, "FILE.h5", "summarise a run file"},
    {"compare", cmd_compare, "BASE.h5 POLICY.h5", "policy effect: differences between two runs"},
    {"report", cmd_report, "FILE.h5 ...", "interactive HTML report of runs or a sweep"},
    {"schema", cmd_schema, "", "print the reference of every scenario field"},
    {"sweep", cmd_sweep, "SWEEP.yaml", "Monte Carlo sweep / sensitivity study, resumable, MPI"},
    {"sensitivity", cmd_sensitivity, "ACTION M",
     "sample/analyze: Sobol', Morris for any model (SALib files)"},
    {"list", cmd_list, "", "the embedded scenarios and sweeps, with descriptions"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out) {
  fputs("usage: nqpsim COMMAND [OPTIONS]\n\ncommands:\n", out);
  for (size_t i = 0; i < NCOMMANDS; i++) {
    char head[64];
    snprintf(head, sizeof head, "%s %s", commands[i].name, commands[i].args);
    fprintf(out, "  %-24s %s\n", head, commands[i].help);
  }
  fputs("\n  nqpsim COMMAND --help   help for one command;  nqpsim --version\n", out);
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

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return CLI_EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
    printf("nqpsim %s (commit %s, %s, %s)\n", nqp_build_version, nqp_build_commit,
           nqp_build_compiler, nqp_build_type);
    return 0;
  }
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    usage(stdout);
    return 0;
  }
  for (size_t i = 0; i < NCOMMANDS; i++)
    if (!strcmp(cmd, commands[i].name)) {
      char *cmdline = join_args(argc, argv);
      int rc = commands[i].fn(argc - 1, argv + 1, cmdline ? cmdline : cmd);
      free(cmdline);
      return rc;
    }
  const char *names[NCOMMANDS];
  char hint[256];
  for (size_t i = 0; i < NCOMMANDS; i++) names[i] = commands[i].name;
  cfg_hint(cmd, names, NCOMMANDS, 0, hint, sizeof hint);
  fprintf(stderr, "nqpsim: unknown command \"%s\"%s\n", cmd, hint);
  usage(stderr);
  return CLI_EXIT_USAGE;
}
