/* test_report: the JSON pieces and the input checks of `nqpsim report`
 * (output/report.h, output/report_priv.h).
 *
 * JSON strings escape quotes, backslashes, control characters and '<' (so
 * the document can sit in a <script> element) and keep UTF-8; numbers are
 * integers when integral, 9 significant digits otherwise, null when not
 * finite; the buffer survives many appends. rpt_write refuses bad inputs
 * with RPT_BAD_INPUT and a message naming the file, and leaves an existing
 * output untouched (output checks: tests/e2e/test_report.sh). The end-to-end behaviour (real run
 * and sweep files, the page in a browser) is in tests/e2e/test_report*.sh.
 *
 * Invariant: every test works in its own directory /tmp/nqp-rpttest-<pid>,
 * removed afterwards.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output/report.h"
#include "output/report_priv.h"

static char dir[256];

static void setup(void) {
  snprintf(dir, sizeof dir, "/tmp/nqp-rpttest-%d", (int)getpid());
  mkdir(dir, 0755);
}

static void teardown(void) {
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  cr_assert_eq(system(cmd), 0);
}

TestSuite(report, .init = setup, .fini = teardown);

Test(report, json_strings_are_escaped) {
  rpt_buf b = {0};
  rpt_json_str(&b, "a\"b\\c\n\t</script>\x01 合肥");
  cr_assert_str_eq(b.p, "\"a\\\"b\\\\c\\n\\t\\u003c/script>\\u0001 合肥\"");
  rpt_buf_free(&b);
  rpt_json_str(&b, NULL);
  cr_assert_str_eq(b.p, "null");
  rpt_buf_free(&b);
}

Test(report, json_numbers) {
  rpt_buf b = {0};
  double v[] = {3, -0.5, 1.0 / 3, NAN, INFINITY, 2.5e12, 1e20};
  rpt_json_nums(&b, v, 7, 1);
  cr_assert_str_eq(b.p, "[3,-0.5,0.333333333,null,null,2500000000000,1e+20]");
  rpt_buf_free(&b);
}

Test(report, buffer_grows) {
  rpt_buf b = {0};
  for (int i = 0; i < 100000; i++) rpt_printf(&b, "%d,", i % 10);
  cr_assert_eq(b.n, 200000);
  cr_assert_not(b.oom);
  cr_assert_eq(strlen(b.p), b.n);
  rpt_buf_free(&b);
}

/* rpt_write on INPUT to OUT must fail with BAD_INPUT and a message
 * containing WANT; OUT (existing, "keep") must be untouched. */
static void expect_bad(const char *input, const char *out, const char *want) {
  char err[2048] = "", path[512];
  const char *in[] = {input};
  rpt_result res;
  FILE *f;
  snprintf(path, sizeof path, "%s/keep.html", dir);
  if (!out) out = path;
  f = fopen(path, "w");
  fputs("keep", f);
  fclose(f);
  cr_assert_eq(rpt_write(in, 1, out, &res, err, sizeof err), RPT_BAD_INPUT, "%s: %s", input, err);
  cr_assert(strstr(err, want), "message \"%s\" lacks \"%s\"", err, want);
  rpt_result_free(&res);
  char buf[16] = "";
  f = fopen(path, "r");
  cr_assert(fgets(buf, sizeof buf, f));
  fclose(f);
  cr_assert_str_eq(buf, "keep");
  snprintf(path, sizeof path, "%s/keep.html.partial", dir);
  cr_assert(access(path, F_OK) != 0, ".partial left behind");
}

Test(report, bad_inputs) {
  char p[512];
  if (!rpt_available()) cr_skip_test("built with -DNQP_REPORT=OFF");
  snprintf(p, sizeof p, "%s/missing.h5", dir);
  expect_bad(p, NULL, "missing.h5");
  expect_bad(dir, NULL, "is a directory");
  snprintf(p, sizeof p, "%s/text.h5", dir);
  FILE *f = fopen(p, "w");
  fputs("not hdf5\n", f);
  fclose(f);
  expect_bad(p, NULL, "not an HDF5 file");
}

Test(report, hdf5_file_that_is_not_a_run) {
  char in[512];
  if (!rpt_available()) cr_skip_test("built with -DNQP_REPORT=OFF");
  snprintf(in, sizeof in, "%s/empty.h5", dir);
  hid_t h = H5Fcreate(in, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  cr_assert(h >= 0);
  H5Fclose(h);
  expect_bad(in, NULL, "empty.h5: not an nqpsim run or sweep file");
}

Test(report, no_input) {
  char err[256] = "";
  rpt_result res;
  int rc = rpt_write(NULL, 0, "/tmp/x.html", &res, err, sizeof err);
  cr_assert(rc == RPT_BAD_INPUT || (rc == RPT_FAILED && !rpt_available()));
  cr_assert(err[0]);
  rpt_result_free(&res);
}
