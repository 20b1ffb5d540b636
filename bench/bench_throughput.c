/* bench_throughput: firm-steps per second of the full step loop at 1e4, 1e5
 * and 1e6 firms with 1 and 2 threads, and memory per firm (resident memory
 * added by building the world, divided by its firms). Speed is measured
 * here, never in tests. Usage: bench_throughput [max_firms] [steps]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config/scenario.h"
#include "sim/world_create.h"
#include "sim/step.h"
#include "world/world.h"
#include "base/clock.h"

static double rss_bytes(void) {
  long pages = 0, resident = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  if (!f) return 0;
  if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
  fclose(f);
  return (double)resident * (double)sysconf(_SC_PAGESIZE);
}

static void print_cpu(void) {
  char line[256];
  FILE *f = fopen("/proc/cpuinfo", "r");
  while (f && fgets(line, sizeof line, f))
    if (strncmp(line, "model name", 10) == 0) {
      printf("CPU: %s", strchr(line, ':') ? strchr(line, ':') + 2 : line);
      break;
    }
  if (f) fclose(f);
}

static int bench_one(double firms, int threads, int steps, double base_firms) {
  char scale[64], err[2048];
  snprintf(scale, sizeof scale, "scale=%.9g", firms / base_firms);
  const char *sets[] = {scale, "min_firms=5"};
  scenario s;
  if (scn_load(NULL, sets, 2, &s, NULL, err, sizeof err) != 0) {
    fprintf(stderr, "bench: %s\n", err);
    return -1;
  }
  double before = rss_bytes();
  world *w = world_create(&s, threads, err, sizeof err);
  if (!w) {
    fprintf(stderr, "bench: %s\n", err);
    scn_free(&s);
    return -1;
  }
  size_t n0 = w->f.n;
  double mem = (rss_bytes() - before) / (double)n0;
  double t0 = clock_monotonic_s(), fs = 0;
  for (int i = 0; i < steps; i++) {
    size_t alive = 0;
    for (size_t k = 0; k < w->f.n; k++) alive += w->f.alive[k];
    fs += (double)alive;
    if (step_run(w, err, sizeof err) != 0) break;
  }
  double dt = clock_monotonic_s() - t0;
  printf("| %9zu | %7d | %5d | %12.3g | %9.3f | %10.0f |\n", n0, threads, steps, fs / dt,
         dt / steps, mem);
  fflush(stdout);
  world_free(&w);
  scn_free(&s);
  return 0;
}

int main(int argc, char **argv) {
  double max_firms = argc > 1 ? atof(argv[1]) : 1e6;
  int steps = argc > 2 ? atoi(argv[2]) : 0;
  scenario s;
  char err[2048];
  if (scn_load(NULL, NULL, 0, &s, NULL, err, sizeof err) != 0) {
    fprintf(stderr, "bench: %s\n", err);
    return 1;
  }
  double base = 0;
  for (int i = 0; i < s.n_industries; i++) base += s.industries[i].firms;
  scn_free(&s);
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  printf("nqpsim throughput: full step loop (all phases), Anhui baseline scaled; %ld CPUs\n", cpus);
  print_cpu();
  printf("firms: live firms at the start; firm-steps/s: live firms x steps / wall time;\n"
         "bytes/firm: resident memory added by building the world / firms\n\n");
  printf("| firms     | threads | steps | firm-steps/s | s/step    | bytes/firm |\n");
  printf("|-----------|---------|-------|--------------|-----------|------------|\n");
  for (double n = 1e4; n <= max_firms * 1.0001; n *= 10)
    for (int t = 1; t <= 2; t++)
      if (bench_one(n, t, steps > 0 ? steps : (n >= 1e6 ? 3 : 10), base) != 0) return 1;
  return 0;
}
