/* cmd_sensitivity: `nqpsim sensitivity sample|analyze`, the sweep's
 * designs and estimators (drivers/sensitivity.h) for any model, through plain
 * text files as SALib's command line reads and writes them:
 *   problem file  one line per parameter: NAME LOWER UPPER [GROUP [DIST]],
 *                 separated by blanks or commas ('#' comments), GROUP NA or
 *                 the name itself and DIST unif (groups, other laws refused);
 *   samples       one row per model evaluation, one column per parameter;
 *   outputs       one row per evaluation (column -c of several).
 * Parameters are uniform over [LOWER, UPPER], as in SALib's text format.
 *
 * Invariants: the same arguments give the same files (explicit --seed);
 * numbers are written with the shortest text that reads back exactly; bad
 * input is reported as FILE:LINE: what was expected (exit 2).
 *
 * The text files may be anything (/dev/zero, an endless pipe): every read is
 * bounded, in bytes (SENS_MAX_BYTES; the problem file SENS_MAX_PROBLEM),
 * line length (SENS_MAX_LINE), rows (SENS_MAX_ROWS) and values, and a NUL
 * byte is refused as binary. Duplicate parameter names are refused with
 * both lines; a NaN or infinite model output in the analysed column (or
 * any in -X samples) is refused naming its rows, since it would turn every
 * index into nan.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/atomic_file.h"
#include "base/limits.h"
#include "cli/cli.h"
#include "config/cfg_util.h"
#include "drivers/sensitivity.h"

static const char *usage_sens =
    "usage: nqpsim sensitivity sample METHOD -p PROBLEM.txt -n N [-o SAMPLES.txt] [OPTIONS]\n"
    "       nqpsim sensitivity analyze METHOD -p PROBLEM.txt -Y OUTPUTS.txt [-X SAMPLES.txt]\n"
    "\n"
    "Sensitivity analysis of any model through text files (SALib's formats): `sample`\n"
    "writes a design, one row per model evaluation; run the model on every row; `analyze`\n"
    "reads its outputs (one row per evaluation) and prints the indices.\n"
    "METHOD: sobol (Saltelli cross matrices of a Sobol' sequence; Saltelli 2010 / Jansen\n"
    "estimators), morris (trajectories, elementary effects), lhs (sample only).\n"
    "PROBLEM.txt: one line per parameter, NAME LOWER UPPER [NA [unif]] (uniform; blanks or\n"
    "commas between columns, as SALib's read_param_file), '#' starts a comment.\n"
    "\n"
    "options:\n"
    "  -p, --problem FILE   the parameters\n"
    "  -n, --samples N      sobol: base samples (rows N(D+2), or N(2D+2) with --max-order 2);\n"
    "                       morris: trajectories (rows N(D+1)); lhs: rows\n"
    "  -o, --output FILE    samples file (default: standard output), written as\n"
    "                       FILE.partial and renamed when complete\n"
    "      --force          replace an existing samples file\n"
    "  -Y, --outputs FILE   model outputs, one row per sample\n"
    "  -X, --inputs FILE    morris analyze: the samples file the outputs belong to\n"
    "  -c, --column K       column of the outputs to analyse (0-based, default 0)\n"
    "      --max-order K    sobol: 2 (default, as SALib) adds second-order indices, or 1\n"
    "      --scramble 0|1   sobol: scrambled Sobol' points from --seed (default 1, as SALib)\n"
    "      --skip-values M  sobol: points skipped (default: 0 scrambled, else\n"
    "                       max(2^ceil(log2 N), 16); never 0 unscrambled)\n"
    "  -l, --levels L       morris grid levels (even, default 4)\n"
    "  -r, --resamples N    bootstrap resamples for confidence intervals (default 1000)\n"
    "      --confidence C   confidence level (default 0.95)\n"
    "      --seed S         random seed of the design (sobol scrambling, morris, lhs) and\n"
    "                       bootstrap (default 1)\n"
    "      --delimiter C    column separator of written samples (default: space)\n"
    "  -h, --help           this help\n";

#define SENS_MAX_ROWS    100000000L
#define SENS_MAX_VALUES  ((size_t)1 << 27) /* 1 GiB of doubles */
#define SENS_MAX_BYTES   ((size_t)1 << 31) /* a table file */
#define SENS_MAX_PROBLEM ((size_t)1 << 20) /* a problem file */
#define SENS_MAX_LINE    ((size_t)1 << 20)
#define SENS_MAX_BAD     5 /* non-finite values named in a message */

typedef struct sens_args {
  int analyze; /* 0 sample, 1 analyze */
  const char *method, *problem, *output, *outputs, *inputs;
  int force; /* --force: replace an existing -o FILE */
  long n, column, levels, resamples, seed, order, scramble, skip;
  double confidence;
  char delim;
} sens_args;

typedef struct problem {
  size_t d;
  char **names;
  double *lo, *hi;
  int *lines; /* line of each parameter in the problem file */
} problem;

/* ---- text files --------------------------------------------------------- */

static void problem_free(problem *p) {
  for (size_t i = 0; p->names && i < p->d; i++) free(p->names[i]);
  free(p->names), free(p->lo), free(p->hi), free(p->lines);
  memset(p, 0, sizeof *p);
}

/* A bounded line reader for files that may be anything. */
typedef struct text_in {
  FILE *f;
  const char *file;
  size_t bytes, max_bytes; /* read so far, at most */
  int ln;                  /* number of the line last read */
  char *line;
  size_t cap;
} text_in;

/* Read the next line (without its newline) into t->line. Returns 1, 0 at
 * the end, -1 with a message FILE:LINE: on a line longer than
 * SENS_MAX_LINE, a NUL byte or more than t->max_bytes in all. */
static int text_next(text_in *t) {
  size_t n = 0;
  int c = EOF;
  t->ln++;
  for (;;) {
    c = getc(t->f);
    if (c == EOF || c == '\n') break;
    if (c == 0) {
      fprintf(stderr, "%s:%d: a NUL byte: a binary file, not text\n", t->file, t->ln);
      return -1;
    }
    if (++t->bytes > t->max_bytes) {
      fprintf(stderr, "%s:%d: more than %zu MB of text: refused (an endless input?)\n", t->file,
              t->ln, t->max_bytes >> 20);
      return -1;
    }
    if (n + 1 >= SENS_MAX_LINE) {
      fprintf(stderr, "%s:%d: a line longer than %zu bytes: refused\n", t->file, t->ln,
              SENS_MAX_LINE);
      return -1;
    }
    if (n + 2 > t->cap) {
      size_t cap = t->cap ? 2 * t->cap : 256;
      char *l = realloc(t->line, cap);
      if (!l) return fprintf(stderr, "nqpsim: out of memory\n"), -1;
      t->line = l, t->cap = cap;
    }
    t->line[n++] = (char)c;
  }
  if (c == EOF && n == 0) {
    if (ferror(t->f)) {
      fprintf(stderr, "nqpsim: %s: read error: %s\n", t->file, strerror(errno));
      return -1;
    }
    return 0;
  }
  if (c == '\n') t->bytes++;
  if (!t->line && !(t->line = malloc(1))) return fprintf(stderr, "nqpsim: out of memory\n"), -1;
  t->line[n] = 0;
  return 1;
}

/* Strip a '#' comment and trailing space; 1 when something remains. */
static int clean_line(char *line) {
  line[strcspn(line, "#\r\n")] = '\0';
  size_t n = strlen(line);
  while (n && (line[n - 1] == ' ' || line[n - 1] == '\t')) line[--n] = '\0';
  return line[strspn(line, " \t,")] != '\0';
}

static int problem_add(problem *p, const char *name, double lo, double hi, int ln) {
  size_t n = p->d + 1;
  char **nm = realloc(p->names, n * sizeof *nm);
  double *l = nm ? realloc(p->lo, n * sizeof *l) : NULL,
         *h = l ? realloc(p->hi, n * sizeof *h) : NULL;
  int *ls = h ? realloc(p->lines, n * sizeof *ls) : NULL;
  if (nm) p->names = nm;
  if (l) p->lo = l;
  if (h) p->hi = h;
  if (ls) p->lines = ls;
  if (!nm || !l || !h || !ls || !(p->names[p->d] = strdup(name))) return -1;
  p->lo[p->d] = lo, p->hi[p->d] = hi, p->lines[p->d] = ln, p->d = n;
  return 0;
}

/* One problem line: NAME LOWER UPPER. */
static int problem_line(problem *p, const char *file, int ln, char *line) {
  char name[256], lo_s[64], hi_s[64], group[256], dist[16], extra[8];
  double lo, hi;
  for (char *c = line; (c = strchr(c, ',')) != NULL;) *c++ = ' '; /* SALib's comma form */
  int k = sscanf(line, " %255s %63s %63s %255s %15s %7s", name, lo_s, hi_s, group, dist, extra);
  if (k < 3 || cfg_parse_number(lo_s, &lo) || cfg_parse_number(hi_s, &hi)) {
    fprintf(stderr, "%s:%d: expected NAME LOWER UPPER (two finite numbers), found \"%s\"\n", file,
            ln, line);
    return -1;
  }
  if (k >= 4 && strcmp(group, "NA") && strcmp(group, name)) {
    fprintf(stderr,
            "%s:%d: %s: parameter groups are not supported (group column: NA or the "
            "parameter's own name), found \"%s\"\n",
            file, ln, name, group);
    return -1;
  }
  if (k >= 5 && (k > 5 || strcmp(dist, "unif"))) {
    fprintf(stderr,
            "%s:%d: %s: expected uniform parameters (distribution column unif), found "
            "\"%s\"\n",
            file, ln, name, k > 5 ? "a sixth column" : dist);
    return -1;
  }
  if (!(lo < hi)) {
    fprintf(stderr, "%s:%d: %s: expected LOWER < UPPER, found [%g, %g]\n", file, ln, name, lo, hi);
    return -1;
  }
  if (p->d >= SENS_SOBOL_MAXDIM) {
    fprintf(stderr, "%s:%d: expected at most %d parameters\n", file, ln, SENS_SOBOL_MAXDIM);
    return -1;
  }
  for (size_t i = 0; i < p->d; i++)
    if (!strcmp(p->names[i], name)) {
      fprintf(stderr, "%s:%d: duplicate parameter name \"%s\" (first at line %d)\n", file, ln, name,
              p->lines[i]);
      return -1;
    }
  return problem_add(p, name, lo, hi, ln);
}

static int problem_read(const char *file, problem *p) {
  text_in t = {fopen(file, "r"), file, 0, SENS_MAX_PROBLEM, 0, NULL, 0};
  int rc = 0, more;
  memset(p, 0, sizeof *p);
  if (!t.f) {
    fprintf(stderr, "nqpsim: %s: cannot read: %s\n", file, strerror(errno));
    return -1;
  }
  while (rc == 0 && (more = text_next(&t)) != 0)
    if (more < 0)
      rc = -1;
    else if (clean_line(t.line))
      rc = problem_line(p, file, t.ln, t.line);
  free(t.line);
  fclose(t.f);
  if (rc == 0 && p->d == 0)
    fprintf(stderr, "%s: expected at least one parameter line\n", file), rc = -1;
  if (rc) problem_free(p);
  return rc;
}

typedef struct table {
  size_t rows, cols, n, cap; /* n values used of cap */
  double *v;
  size_t nbad; /* non-finite values; the first SENS_MAX_BAD of them: */
  size_t bad_row[SENS_MAX_BAD], bad_col[SENS_MAX_BAD];
  int bad_line[SENS_MAX_BAD];
} table;

static int table_push(table *t, double x) {
  if (t->n == SENS_MAX_VALUES)
    return fprintf(stderr, "nqpsim: more than %zu values in a table: refused\n", SENS_MAX_VALUES),
           -1;
  if (t->n == t->cap) {
    size_t c = t->cap ? 2 * t->cap : 4096;
    double *v = realloc(t->v, c * sizeof *v);
    if (!v) return fprintf(stderr, "nqpsim: out of memory\n"), -1;
    t->v = v, t->cap = c;
  }
  t->v[t->n++] = x;
  return 0;
}

/* Parse the numbers of LINE into T's next row (COLS fixed by the first). */
static int table_row(table *t, const char *file, int ln, char *line) {
  size_t n = 0;
  for (char *tok = strtok(line, " \t,;"); tok; tok = strtok(NULL, " \t,;"), n++) {
    double x;
    int r = cfg_parse_number(tok, &x);
    if (r == CFG_NUM_INF) x = strtod(tok, NULL); /* nan, inf: an undefined output */
    if (r == CFG_NUM_BAD) {
      fprintf(stderr, "%s:%d: column %zu: expected a number, found \"%s\"\n", file, ln, n + 1, tok);
      return -1;
    }
    if (!isfinite(x) && t->nbad++ < SENS_MAX_BAD) /* refused by its reader if it is used */
      t->bad_row[t->nbad - 1] = t->rows, t->bad_col[t->nbad - 1] = n, t->bad_line[t->nbad - 1] = ln;
    if (table_push(t, x) != 0) return -1;
  }
  if (t->rows == 0) t->cols = n;
  if (n != t->cols) {
    fprintf(stderr, "%s:%d: expected %zu columns (as on the first row), found %zu\n", file, ln,
            t->cols, n);
    return -1;
  }
  t->rows++;
  return 0;
}

static int table_read(const char *file, table *t) {
  text_in in = {fopen(file, "r"), file, 0, SENS_MAX_BYTES, 0, NULL, 0};
  int rc = 0, more;
  memset(t, 0, sizeof *t);
  if (!in.f) return fprintf(stderr, "nqpsim: %s: cannot read: %s\n", file, strerror(errno)), -1;
  while (rc == 0 && (more = text_next(&in)) != 0) {
    if (more < 0) {
      rc = -1;
      break;
    }
    if (!clean_line(in.line)) continue;
    if (t->rows >= (size_t)SENS_MAX_ROWS) {
      fprintf(stderr, "%s:%d: more than %ld rows: refused (an endless input?)\n", file, in.ln,
              SENS_MAX_ROWS);
      rc = -1;
    }
    if (rc == 0) rc = table_row(t, file, in.ln, in.line);
  }
  free(in.line);
  fclose(in.f);
  if (rc == 0 && t->rows == 0) fprintf(stderr, "%s: no rows\n", file), rc = -1;
  if (rc) free(t->v), t->v = NULL;
  return rc;
}

/* ---- sample ------------------------------------------------------------- */

static int sobol_order(const sens_args *a) {
  return a->order == 2;
}

/* Rows of the design, 0 when N is out of range (reported). */
static size_t sample_rows(const sens_args *a, const problem *p) {
  size_t n = (size_t)a->n, rows = 0;
  if (!strcmp(a->method, "sobol")) rows = sens_saltelli_rows(n, p->d, sobol_order(a));
  if (!strcmp(a->method, "morris")) rows = n * (p->d + 1);
  if (!strcmp(a->method, "lhs")) rows = n;
  if (rows == 0 || rows > (size_t)SENS_MAX_ROWS) {
    fprintf(stderr, "nqpsim: -n %ld gives %zu rows: expected 1 to %ld\n", a->n, rows,
            SENS_MAX_ROWS);
    return 0;
  }
  return rows;
}

static int sample_unit(const sens_args *a, const problem *p, double *u) {
  uint64_t seed = (uint64_t)a->seed;
  if (!strcmp(a->method, "sobol")) {
    if (2 * p->d > SENS_SOBOL_MAXDIM) {
      fprintf(stderr, "nqpsim: sobol: expected at most %d parameters\n", SENS_SOBOL_MAXDIM / 2);
      return -1;
    }
    sens_saltelli_opts o = {(int)a->scramble, seed, a->skip};
    const char *why = sens_saltelli_check((size_t)a->n, &o);
    char warn[512];
    if (why) return fprintf(stderr, "nqpsim: sobol: %s\n", why), -1;
    if (sens_sobol_design_warning((size_t)a->n, &o, (int)a->resamples, a->confidence, warn,
                                  sizeof warn))
      fprintf(stderr, "nqpsim: warning: %s\n", warn);
    return sens_saltelli_sample((size_t)a->n, p->d, sobol_order(a), &o, u);
  }
  if (!strcmp(a->method, "morris"))
    return sens_morris_sample((size_t)a->n, p->d, (int)a->levels, seed, u);
  sens_lhs_sample((size_t)a->n, p->d, seed, u);
  return 0;
}

/* The samples to standard output, or to -o FILE through FILE.partial
 * (base/atomic_file.h): a failed write leaves nothing under FILE, and an
 * existing FILE is replaced only with --force (exit 2 otherwise). */
static int write_samples(const sens_args *a, const problem *p, const double *u, size_t rows) {
  atomic_file af = {.fd = -1};
  FILE *f = stdout;
  char num[CFG_NUM_LEN];
  if (a->output) {
    signal(SIGXFSZ, SIG_IGN); /* a file-size limit fails the write (EFBIG), as for `run` */
    if (atomic_file_begin(&af, a->output, AF_FD | (a->force ? AF_FORCE : 0)) < 0 ||
        !(f = atomic_file_stream(&af))) {
      int rc = AF_BAD_INPUT(af.stage) ? CLI_EXIT_USAGE : 1; /* exists, busy, not regular */
      if (af.stage == AF_CREATE)
        fprintf(stderr, "nqpsim: %s: cannot write: %s\n", a->output, strerror(af.err_no));
      else
        fprintf(stderr, "nqpsim: %s\n", af.msg);
      atomic_file_abort(&af);
      return rc;
    }
  }
  fprintf(f, "# nqpsim sensitivity sample %s: %zu rows x %zu parameters (", a->method, rows, p->d);
  for (size_t k = 0; k < p->d; k++) fprintf(f, "%s%s", k ? " " : "", p->names[k]);
  fprintf(f, ")\n");
  for (size_t i = 0; i < rows; i++)
    for (size_t k = 0; k < p->d; k++) {
      cfg_fmt_double(p->lo[k] + u[i * p->d + k] * (p->hi[k] - p->lo[k]), num);
      fprintf(f, "%s%c", num, k + 1 < p->d ? a->delim : '\n');
    }
  int bad = a->output ? atomic_file_commit(&af) < 0 : fflush(f) != 0 || ferror(f);
  if (bad && a->output)
    fprintf(stderr, "nqpsim: %s: write error: %s\n", a->output, strerror(af.err_no));
  else if (bad)
    fprintf(stderr, "nqpsim: stdout: write error\n");
  atomic_file_abort(&af); /* removes FILE.partial unless renamed */
  return bad ? 1 : 0;
}

static int do_sample(const sens_args *a, const problem *p) {
  size_t rows = sample_rows(a, p);
  if (!rows) return CLI_EXIT_USAGE;
  double *u = malloc(rows * p->d * sizeof *u);
  int rc = 1;
  if (!u)
    fprintf(stderr, "nqpsim: out of memory for %zu rows\n", rows);
  else if (sample_unit(a, p, u) != 0)
    rc = CLI_EXIT_USAGE;
  else
    rc = write_samples(a, p, u, rows);
  free(u);
  return rc;
}

/* ---- analyze ------------------------------------------------------------ */

/* 0 when column COL of T (every column when COL is -1) is finite; else -1,
 * naming the rows: one NaN would make every index nan. */
static int table_finite(const table *t, const char *file, long col, const char *what) {
  size_t hits = 0, named = t->nbad < SENS_MAX_BAD ? t->nbad : SENS_MAX_BAD;
  for (size_t i = 0; i < named; i++)
    if (col < 0 || t->bad_col[i] == (size_t)col) {
      double x = t->v[t->bad_row[i] * t->cols + t->bad_col[i]];
      fprintf(stderr, "%s:%d: row %zu, column %zu: %s is %s: %s must be finite\n", file,
              t->bad_line[i], t->bad_row[i] + 1, t->bad_col[i] + 1, what,
              isnan(x) ? "NaN"
              : x > 0  ? "infinite"
                       : "-infinite",
              what);
      hits++;
    }
  if (hits == 0 && t->nbad <= SENS_MAX_BAD) return 0;
  if (hits == 0) { /* beyond the first few: find one in the column */
    for (size_t r = 0; r < t->rows; r++)
      for (size_t c = 0; c < t->cols; c++)
        if ((col < 0 || c == (size_t)col) && !isfinite(t->v[r * t->cols + c])) hits++;
    if (hits == 0) return 0;
  }
  fprintf(stderr,
          "nqpsim: %s: %zu non-finite value%s (%s): refused; remove or re-run those evaluations\n",
          file, t->nbad, t->nbad == 1 ? "" : "s", what);
  return -1;
}

/* Column a->column of T as a vector (heap). */
static double *output_column(const sens_args *a, const table *t) {
  if ((size_t)a->column >= t->cols) {
    fprintf(stderr, "nqpsim: %s has %zu columns: -c %ld is out of range\n", a->outputs, t->cols,
            a->column);
    return NULL;
  }
  if (table_finite(t, a->outputs, a->column, "a model output") < 0) return NULL;
  double *y = malloc(t->rows * sizeof *y);
  for (size_t i = 0; y && i < t->rows; i++) y[i] = t->v[i * t->cols + (size_t)a->column];
  return y;
}

static void print_sobol(const problem *p, const sens_sobol_out *s, int second) {
  printf("Parameter S1 S1_conf ST ST_conf\n");
  for (size_t k = 0; k < p->d; k++)
    printf("%s %.6f %.6f %.6f %.6f\n", p->names[k], s->S1[k], s->S1_conf[k], s->ST[k],
           s->ST_conf[k]);
  if (!second) return;
  printf("\nParameter_1 Parameter_2 S2 S2_conf\n");
  for (size_t i = 0; i < p->d; i++)
    for (size_t k = i + 1; k < p->d; k++)
      printf("%s %s %.6f %.6f\n", p->names[i], p->names[k], s->S2[i * p->d + k],
             s->S2_conf[i * p->d + k]);
}

static int analyze_sobol(const sens_args *a, const problem *p, const double *y, size_t rows) {
  size_t per = sobol_order(a) ? 2 * p->d + 2 : p->d + 2, d = p->d;
  if (rows % per) {
    fprintf(stderr,
            "nqpsim: %s: %zu rows is not a multiple of %zu (N (%s) rows for %zu "
            "parameters%s)\n",
            a->outputs, rows, per, sobol_order(a) ? "2D + 2" : "D + 2", d,
            sobol_order(a) ? "; use --max-order 1 for a first-order design" : "");
    return CLI_EXIT_USAGE;
  }
  double *buf = malloc((4 * d + 2 * d * d) * sizeof *buf);
  if (!buf) return fprintf(stderr, "nqpsim: out of memory\n"), 1;
  sens_sobol_out s = {buf, buf + d, buf + 2 * d, buf + 3 * d, buf + 4 * d, buf + 4 * d + d * d};
  if (a->resamples > 0 && rows / per < SENS_SOBOL_MIN_CI_N)
    fprintf(stderr,
            "nqpsim: warning: N = %zu base samples are too few for bootstrap confidence "
            "intervals (use N >= %d)\n",
            rows / per, SENS_SOBOL_MIN_CI_N);
  int rc = sens_sobol_analyze(y, rows / per, d, sobol_order(a), (int)a->resamples, a->confidence,
                              (uint64_t)a->seed, &s);
  if (rc == 0) print_sobol(p, &s, sobol_order(a));
  free(buf);
  return rc ? 1 : 0;
}

static int analyze_morris(const sens_args *a, const problem *p, const double *y, size_t rows) {
  table x;
  size_t d = p->d;
  char err[512];
  int rc = CLI_EXIT_USAGE;
  if (!a->inputs) return fprintf(stderr, "nqpsim: morris: -X SAMPLES.txt is required\n"), 2;
  if (table_read(a->inputs, &x) != 0) return CLI_EXIT_USAGE;
  if (table_finite(&x, a->inputs, -1, "a sample") < 0) return free(x.v), CLI_EXIT_USAGE;
  double *buf = malloc(4 * d * sizeof *buf);
  if (x.cols != d || x.rows != rows || rows % (d + 1))
    fprintf(stderr,
            "nqpsim: morris: expected %s with %zu columns and as many rows as %s (a "
            "multiple of %zu), found %zu x %zu and %zu rows\n",
            a->inputs, d, a->outputs, d + 1, x.rows, x.cols, rows);
  else if (buf) {
    for (size_t i = 0; i < rows; i++)
      for (size_t k = 0; k < d; k++)
        x.v[i * d + k] = (x.v[i * d + k] - p->lo[k]) / (p->hi[k] - p->lo[k]);
    sens_morris_out s = {buf, buf + d, buf + 2 * d, buf + 3 * d};
    if (sens_morris_analyze(x.v, y, rows / (d + 1), d, (int)a->resamples, a->confidence,
                            (uint64_t)a->seed, &s, err, sizeof err) != 0) {
      fprintf(stderr, "%s: %s\n", a->inputs, err);
    } else {
      printf("Parameter mu mu_star sigma mu_star_conf\n");
      for (size_t k = 0; k < d; k++)
        printf("%s %.6g %.6g %.6g %.6g\n", p->names[k], s.mu[k], s.mu_star[k], s.sigma[k],
               s.mu_star_conf[k]);
      rc = 0;
    }
  }
  free(buf);
  free(x.v);
  return rc;
}

static int do_analyze(const sens_args *a, const problem *p) {
  table t;
  if (!a->outputs) return fprintf(stderr, "nqpsim: analyze: -Y OUTPUTS.txt is required\n"), 2;
  if (table_read(a->outputs, &t) != 0) return CLI_EXIT_USAGE;
  double *y = output_column(a, &t);
  int rc = CLI_EXIT_USAGE;
  if (y && !strcmp(a->method, "sobol")) rc = analyze_sobol(a, p, y, t.rows);
  if (y && !strcmp(a->method, "morris")) rc = analyze_morris(a, p, y, t.rows);
  free(y);
  free(t.v);
  return rc;
}

/* ---- arguments ---------------------------------------------------------- */

static int parse_number_opt(const char *opt, const char *arg, double lo, double hi, double *out) {
  if (cfg_parse_number(arg, out) == CFG_NUM_OK && *out >= lo && *out <= hi) return 0;
  fprintf(stderr, "nqpsim: %s: expected a number in [%g, %g], found \"%s\"\n", opt, lo, hi, arg);
  return -1;
}

static int parse_opt(int c, const char *arg, sens_args *a) {
  switch (c) {
  case 'p':
    a->problem = arg;
    return 0;
  case 'o':
    a->output = arg;
    return 0;
  case 'Y':
    a->outputs = arg;
    return 0;
  case 'X':
    a->inputs = arg;
    return 0;
  case 'n':
    return cli_parse_long("-n", arg, 1, SENS_MAX_ROWS, &a->n);
  case 'c':
    return cli_parse_long("-c", arg, 0, 100000, &a->column);
  case 'l':
    return cli_parse_long("--levels", arg, 2, 1000, &a->levels);
  case 'r':
    return cli_parse_long("--resamples", arg, 0, 1000000, &a->resamples);
  case 's':
    return cli_parse_long("--seed", arg, 0, SCN_MAX_SEED, &a->seed);
  case 'O':
    return cli_parse_long("--max-order", arg, 1, 2, &a->order);
  case 'S':
    return cli_parse_long("--scramble", arg, 0, 1, &a->scramble);
  case 'K':
    return cli_parse_long("--skip-values", arg, 0, 4294967295L, &a->skip);
  case 'C':
    return parse_number_opt("--confidence", arg, 0.5, 0.9999, &a->confidence);
  case 'f':
    a->force = 1;
    return 0;
  case 'D':
    if (strlen(arg) == 1) return a->delim = arg[0], 0;
    if (!strcmp(arg, "\\t") || !strcmp(arg, "tab")) return a->delim = '\t', 0;
    fprintf(stderr, "nqpsim: --delimiter: expected one character, found \"%s\"\n", arg);
    return -1;
  default:
    fputs("try 'nqpsim sensitivity --help'\n", stderr);
    return -1;
  }
}

static int parse_args(int argc, char **argv, sens_args *a) {
  static const struct option opts[] = {{"problem", required_argument, 0, 'p'},
                                       {"output", required_argument, 0, 'o'},
                                       {"outputs", required_argument, 0, 'Y'},
                                       {"inputs", required_argument, 0, 'X'},
                                       {"samples", required_argument, 0, 'n'},
                                       {"column", required_argument, 0, 'c'},
                                       {"levels", required_argument, 0, 'l'},
                                       {"resamples", required_argument, 0, 'r'},
                                       {"seed", required_argument, 0, 's'},
                                       {"max-order", required_argument, 0, 'O'},
                                       {"scramble", required_argument, 0, 'S'},
                                       {"skip-values", required_argument, 0, 'K'},
                                       {"confidence", required_argument, 0, 'C'},
                                       {"delimiter", required_argument, 0, 'D'},
                                       {"force", no_argument, 0, 'f'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  int c;
  while ((c = getopt_long(argc, argv, "p:o:Y:X:n:c:l:r:h", opts, NULL)) != -1) {
    if (c == 'h') return fputs(usage_sens, stdout), -1;
    if (parse_opt(c, optarg, a) != 0) return CLI_EXIT_USAGE;
  }
  if (optind + 2 != argc) {
    fputs("nqpsim sensitivity: expected sample|analyze and a METHOD\n"
          "try 'nqpsim sensitivity --help'\n",
          stderr);
    return CLI_EXIT_USAGE;
  }
  a->analyze = !strcmp(argv[optind], "analyze");
  a->method = argv[optind + 1];
  if (!a->analyze && strcmp(argv[optind], "sample"))
    return fprintf(stderr, "nqpsim sensitivity: expected sample or analyze, found \"%s\"\n",
                   argv[optind]),
           CLI_EXIT_USAGE;
  if (strcmp(a->method, "sobol") && strcmp(a->method, "morris") &&
      (a->analyze || strcmp(a->method, "lhs")))
    return fprintf(stderr, "nqpsim sensitivity: expected METHOD sobol, morris%s, found \"%s\"\n",
                   a->analyze ? "" : " or lhs", a->method),
           CLI_EXIT_USAGE;
  return 0;
}

static int check_args(const sens_args *a) {
  if (!a->problem) return fprintf(stderr, "nqpsim sensitivity: -p PROBLEM.txt is required\n"), -1;
  if (!a->analyze && a->n <= 0)
    return fprintf(stderr, "nqpsim sensitivity sample: -n N is required\n"), -1;
  if (!strcmp(a->method, "morris") && a->levels % 2)
    return fprintf(stderr, "nqpsim sensitivity: --levels: expected an even number, found %ld\n",
                   a->levels),
           -1;
  return 0;
}

int cmd_sensitivity(int argc, char **argv, const char *cmdline) {
  sens_args a = {.levels = 4,
                 .resamples = 1000,
                 .seed = 1,
                 .order = 2,
                 .scramble = 1,
                 .skip = SENS_SKIP_AUTO,
                 .confidence = 0.95,
                 .delim = ' '};
  problem p;
  (void)cmdline;
  int rc = parse_args(argc, argv, &a);
  if (rc) return rc < 0 ? 0 : rc;
  if (check_args(&a) != 0 || problem_read(a.problem, &p) != 0) return CLI_EXIT_USAGE;
  rc = a.analyze ? do_analyze(&a, &p) : do_sample(&a, &p);
  problem_free(&p);
  return rc;
}
