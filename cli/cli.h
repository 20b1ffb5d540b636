/* cli: shared helpers of the nqpsim commands. Each command lives in its own
 * cli/cmd_*.c file and is listed once in the command table of cli/nqpsim.c.
 * Exit codes: 0 success, 1 runtime failure, 2 bad input or usage.
 *
 * Included by: cli/ only.
 */
#ifndef NQP_CLI_H
#define NQP_CLI_H

#include <stddef.h>

#include "drivers/run.h"

#define CLI_EXIT_USAGE 2

/* A command: ARGV[0] is the command name; CMDLINE the whole command line. */
typedef int (*cli_cmd_fn)(int argc, char **argv, const char *cmdline);

/* Repeated --set KEY=VALUE arguments. */
typedef struct cli_sets {
  const char **v;
  size_t n, cap;
} cli_sets;

int cli_sets_push(cli_sets *s, const char *arg);
/* Parse an integer option in [lo, hi]; prints "nqpsim: OPT: expected ..." and
 * returns -1 when it is not one. */
int cli_parse_long(const char *opt, const char *arg, long lo, long hi, long *out);

/* Progress on stderr: a bar with step, rate and ETA on a terminal, a plain
 * line every 10% otherwise. */
typedef struct cli_progress {
  int tty;
  int last_pct;
  int first;        /* units already done before this process started (-1: not yet known) */
  const char *what; /* "step", "run", ... */
} cli_progress;
void cli_progress_init(cli_progress *p, const char *what);
void cli_progress_report(void *ctx, int done, int total, double elapsed_s);

/* SIGINT/SIGTERM set cli_interrupted (the signal number); work stops at
 * the next safe point; a second signal ends the process at once. SIGXFSZ
 * is ignored: a file-size limit becomes a write error with a message. */
extern volatile int cli_interrupted;
void cli_install_signals(void);

/* Options shared by `run` and `resume`: getopt_long entries (spread into a
 * struct option array), their handler, and the execution of a plan. */
/* clang-format off */
#define CLI_RUN_OPTIONS                                                                        \
  {"output", required_argument, 0, 'o'}, {"no-output", no_argument, 0, 'N'},                \
  {"threads", required_argument, 0, 't'}, {"force", no_argument, 0, 'f'},                   \
  {"check", no_argument, 0, 'c'}, {"checkpoint-every", required_argument, 0, 'K'},          \
  {"checkpoint", required_argument, 0, 'C'}, {"stop-at", required_argument, 0, 'A'},        \
  {"quiet", no_argument, 0, 'q'}, {"help", no_argument, 0, 'h'}
/* clang-format on */
/* Apply option C of CLI_RUN_OPTIONS with argument ARG to P (and QUIET):
 * 1 done, 0 not one of them, -1 bad value (message printed).
 * --checkpoint-every takes EVERY_MIN..100000 (run: 1; resume: 0 = none). */
int cli_run_option(int c, const char *arg, run_plan *p, int *quiet, long every_min);
/* Run P with progress on stderr (unless QUIET) and SIGINT/SIGTERM
 * handling; print the message of a stop or a failure, else SUMMARY (unless
 * QUIET). Returns the exit code. */
int cli_execute(run_plan *p, int quiet, void (*summary)(const run_plan *, const run_result *));

/* Run command FN (named NAME) in a child process: a child that the HDF5
 * library crashed on a damaged input becomes exit 2 with a message naming
 * the HDF5 files among ARGV (cli/cli_guard.c). Returns the exit code. */
int cli_guarded(const char *name, int (*fn)(int, char **, const char *), int argc, char **argv,
                const char *cmdline);

/* Commands. */
int cmd_run(int argc, char **argv, const char *cmdline);
int cmd_resume(int argc, char **argv, const char *cmdline);
int cmd_validate(int argc, char **argv, const char *cmdline);
int cmd_info(int argc, char **argv, const char *cmdline);
int cmd_schema(int argc, char **argv, const char *cmdline);
int cmd_sweep(int argc, char **argv, const char *cmdline);
int cmd_sensitivity(int argc, char **argv, const char *cmdline);
int cmd_compare(int argc, char **argv, const char *cmdline);
int cmd_report(int argc, char **argv, const char *cmdline);
int cmd_list(int argc, char **argv, const char *cmdline);

#endif
