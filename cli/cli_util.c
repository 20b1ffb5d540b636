/* cli_util: helpers shared by the nqpsim commands (see cli.h). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

volatile int cli_interrupted = 0;

/* The first signal asks for a stop at the next step boundary (with a
 * checkpoint); a second one, e.g. a step that does not end, stops now. */
static void on_signal(int sig) {
  if (cli_interrupted) {
    signal(sig, SIG_DFL);
    raise(sig);
  }
  cli_interrupted = sig;
}

/* SIGHUP (a closed terminal, a dropped SSH session) is an interrupt like
 * the others: a checkpoint and a clean exit, not a kill. */
void cli_install_signals(void) {
  signal(SIGHUP, on_signal);
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  signal(SIGXFSZ, SIG_IGN); /* a file-size limit fails the write (EFBIG): reported, not a kill */
}

int cli_sets_push(cli_sets *s, const char *arg) {
  if (s->n == s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 8;
    const char **v = realloc(s->v, cap * sizeof(char *));
    if (!v) return -1;
    s->v = v, s->cap = cap;
  }
  s->v[s->n++] = arg;
  return 0;
}

int cli_parse_long(const char *opt, const char *arg, long lo, long hi, long *out) {
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

void cli_progress_init(cli_progress *p, const char *what) {
  p->tty = isatty(STDERR_FILENO);
  p->last_pct = -1;
  p->first = -1;
  p->what = what;
}

/* The rate counts only the units done by this process: a resumed run's
 * first report is for step k + 1 after resuming at step k. */
void cli_progress_report(void *ctx, int done, int total, double elapsed) {
  cli_progress *ps = ctx;
  if (ps->first < 0) ps->first = done - 1;
  double rate = elapsed > 0 ? (done - ps->first) / elapsed : 0;
  double eta = rate > 0 ? (total - done) / rate : 0;
  if (ps->tty) {
    int width = 30, fill = total ? width * done / total : width;
    fprintf(stderr, "\r[%.*s%*s] %s %d/%d  %.1f %ss/s  ETA %.0fs ", fill,
            "##############################", width - fill, "", ps->what, done, total, rate,
            ps->what, eta);
    if (done == total) fputc('\n', stderr);
    return;
  }
  int pct = total ? 100 * done / total : 100;
  if (pct / 10 > ps->last_pct / 10 || done == total) {
    char from[48] = "";
    if (ps->first > 0) snprintf(from, sizeof from, ", resumed at %d", ps->first);
    fprintf(stderr, "nqpsim: %s %d/%d (%d%%%s), %.1f %ss/s, ETA %.0fs\n", ps->what, done, total,
            pct, from, rate, ps->what, eta);
    ps->last_pct = pct;
  }
}

int cli_run_option(int c, const char *arg, run_plan *p, int *quiet, long every_min) {
  long v;
  switch (c) {
  case 'o':
    if (!arg[0]) {
      fputs("nqpsim: -o/--output: empty file name\n", stderr);
      return -1;
    }
    if (!strcmp(arg, "/dev/null")) { /* the usual way to discard: no run file at all */
      p->output = NULL;
      p->no_output = 1;
      return 1;
    }
    p->output = arg;
    return 1;
  case 'N':
    p->no_output = 1;
    return 1;
  case 'f':
    p->force = 1;
    return 1;
  case 'c':
    p->check = 1;
    return 1;
  case 'C':
    p->checkpoint = arg;
    return 1;
  case 'q':
    *quiet = 1;
    return 1;
  case 't':
    if (cli_parse_long("--threads", arg, 1, 1024, &v)) return -1;
    p->threads = (int)v;
    return 1;
  case 'K':
    if (cli_parse_long("--checkpoint-every", arg, every_min, 100000, &v)) return -1;
    p->checkpoint_every = v;
    return 1;
  case 'A':
    if (cli_parse_long("--stop-at", arg, 1, 100000, &v)) return -1;
    p->stop_at = v;
    return 1;
  default:
    return 0;
  }
}

/* A completed run whose economy died out or turned NaN: say so on stderr
 * and exit CLI_EXIT_DEGENERATE (docs/reliability.md); 0 otherwise. */
#define CLI_EXIT_DEGENERATE 3
static int cli_degenerate(const run_result *r) {
  if (r->extinct_step)
    fprintf(stderr,
            "nqpsim: warning: the economy died out: no live firm from step %d of %d on (the "
            "run file is complete; its firm means are NaN from there)\n",
            r->extinct_step - 1, r->steps);
  if (r->nan_step)
    fprintf(stderr, "nqpsim: warning: the economy series %s is NaN from step %d of %d\n",
            r->nan_series, r->nan_step - 1, r->steps);
  return r->extinct_step || r->nan_step ? CLI_EXIT_DEGENERATE : 0;
}

int cli_execute(run_plan *p, int quiet, void (*summary)(const run_plan *, const run_result *)) {
  cli_progress ps;
  cli_progress_init(&ps, "step");
  if (!quiet) p->progress = cli_progress_report, p->progress_ctx = &ps;
  p->interrupt = &cli_interrupted;
  cli_install_signals();
  run_result r;
  int status = run_execute(p, &r);
  if (status != RUN_OK || r.stopped) { /* a stop (--stop-at) is a success with a message */
    fprintf(stderr, "nqpsim: %s\n", r.message);
    return status;
  }
  if (!quiet) summary(p, &r);
  return cli_degenerate(&r);
}
