/* cli_guard: the commands that read HDF5 files given by the user (`info`,
 * `compare`, `report`) run their work in a child process, so that a
 * damaged file that crashes the HDF5 library itself (1.10.8 aborts or
 * segfaults on some flipped bits in its global heap or fractal heaps,
 * structures its checksums do not cover or that it decodes before
 * checking) is a refused input (exit 2, a message naming the files), not a
 * crash of nqpsim.
 *
 * Invariants:
 *  - the child runs the command unchanged; its exit code is the command's;
 *  - a child ended by SIGSEGV, SIGBUS, SIGABRT, SIGFPE or SIGILL becomes exit
 *    2 with "nqpsim CMD: FILE...: damaged: reading it crashed the HDF5
 *    library (SIGNAME)"; no output file exists then, since every output is
 *    renamed into place only when complete (base/atomic_file.h);
 *  - a child ended by another signal (SIGINT, SIGTERM, SIGKILL) ends the
 *    parent by the same signal;
 *  - NQPSIM_NO_GUARD=1, or running under Valgrind, runs the command in the
 *    process itself (debuggers and memcheck see the reads).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"

/* Is ARG a file starting with the HDF5 signature (at offset 0)? */
static int cli_is_h5(const char *arg) {
  static const unsigned char sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  unsigned char head[8];
  FILE *f = arg[0] == '-' ? NULL : fopen(arg, "rb");
  int yes = f && fread(head, 1, sizeof head, f) == sizeof head && !memcmp(head, sig, sizeof sig);
  if (f) fclose(f);
  return yes;
}

static int cli_guard_off(void) {
  const char *off = getenv("NQPSIM_NO_GUARD"), *pre = getenv("LD_PRELOAD");
  return (off && *off && strcmp(off, "0") != 0) || (pre && strstr(pre, "vgpreload"));
}

int cli_guarded(const char *name, int (*fn)(int, char **, const char *), int argc, char **argv,
                const char *cmdline) {
  int status = 0, sig;
  pid_t pid;
  if (cli_guard_off()) return fn(argc, argv, cmdline);
  fflush(stdout);
  fflush(stderr);
  if ((pid = fork()) < 0) return fn(argc, argv, cmdline); /* no process to spare: unguarded */
  if (pid == 0) {
    int rc = fn(argc, argv, cmdline);
    fflush(stdout);
    fflush(stderr);
    _exit(rc);
  }
  while (waitpid(pid, &status, 0) < 0)
    ; /* EINTR */
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  sig = WIFSIGNALED(status) ? WTERMSIG(status) : SIGABRT;
  if (sig == SIGSEGV || sig == SIGBUS || sig == SIGABRT || sig == SIGFPE || sig == SIGILL) {
    int any = 0;
    fprintf(stderr, "nqpsim %s: ", name);
    for (int i = 1; i < argc; i++)
      if (cli_is_h5(argv[i])) fprintf(stderr, "%s%s", any++ ? ", " : "", argv[i]);
    fprintf(stderr,
            "%s: damaged: reading %s crashed the HDF5 library (%s); the file cannot be read "
            "safely (rewrite it from its run, sweep or checkpoint)\n",
            any ? "" : "an input file", any > 1 ? "them" : "it", strsignal(sig));
    return CLI_EXIT_USAGE;
  }
  signal(sig, SIG_DFL);
  raise(sig);
  return 128 + sig;
}
