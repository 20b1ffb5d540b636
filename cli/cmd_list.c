/* cmd_list: `nqpsim list`, the embedded scenarios and sweeps with their
 * one-line descriptions (the first comment line of each file), grouped by
 * kind, so a user finds what to run without the source tree.
 *
 * Invariant: the list is the embedded tables themselves (config/embedded.h),
 * so it names exactly what `run NAME` and `sweep NAME` accept.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "config/embedded.h"

static const char usage_list[] =
    "usage: nqpsim list\n"
    "\n"
    "Lists the scenarios and sweeps compiled into nqpsim, each with its one-line\n"
    "description. Run one by name (`nqpsim run lever_talent.yaml`, `nqpsim sweep\n"
    "levers_sobol.yaml`; the .yaml may be left out), or extend one in your own file\n"
    "(`extends: anhui.yaml`). `nqpsim validate --print NAME` prints a scenario with\n"
    "every default written out.\n";

/* Kinds of embedded scenario, by file-name prefix ("" matches the rest). */
static const struct {
  const char *prefix, *title;
} kinds[] = {{"anhui", "baseline"},
             {"lever_", "policy levers, one each"},
             {"package_", "policy packages"},
             {"teach_", "teaching cases"},
             {"facts_", "stylised-facts studies"},
             {"", "other scenarios"}};
#define NKINDS (sizeof kinds / sizeof kinds[0])

/* Index of the kind of file NAME: the first prefix it starts with. */
static size_t kind_of(const char *name) {
  for (size_t k = 0; k + 1 < NKINDS; k++)
    if (!strncmp(name, kinds[k].prefix, strlen(kinds[k].prefix))) return k;
  return NKINDS - 1;
}

static void print_entry(const nqp_embedded_file *f) {
  char what[96];
  nqp_embedded_summary(f->text, what, sizeof what);
  printf("  %-31s %s\n", f->name, what);
}

static void print_kind(size_t k) {
  int any = 0;
  for (const nqp_embedded_file *f = nqp_embedded; f->name; f++) {
    if (kind_of(f->name) != k) continue;
    if (!any) printf("%s:\n", kinds[k].title);
    any = 1;
    print_entry(f);
  }
  if (any) putchar('\n');
}

int cmd_list(int argc, char **argv, const char *cmdline) {
  if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
    fputs(usage_list, stdout);
    return 0;
  }
  if (argc != 1) {
    fputs(usage_list, stderr);
    return CLI_EXIT_USAGE;
  }
  puts("Embedded scenarios (nqpsim run NAME):\n");
  for (size_t k = 0; k < NKINDS; k++) print_kind(k);
  puts("Embedded sweeps (nqpsim sweep NAME):");
  for (const nqp_embedded_file *f = nqp_embedded_sweeps; f->name; f++) print_entry(f);
  return 0;
}
