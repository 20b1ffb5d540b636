/* test_embedded: the embedded-file tables' lookup, descriptions and hints
 * (config/embedded.c). Known answers on fixed texts and on the shipped
 * tables. */
#include <criterion/criterion.h>

#include <string.h>

#include "config/embedded.h"

Test(embedded, lookup_takes_the_name_with_or_without_yaml) {
  cr_assert_not_null(nqp_embedded_lookup(nqp_embedded, "anhui.yaml"));
  const nqp_embedded_file *f = nqp_embedded_lookup(nqp_embedded, "anhui");
  cr_assert_not_null(f);
  cr_assert_str_eq(f->name, "anhui.yaml");
  cr_assert_null(nqp_embedded_lookup(nqp_embedded, "anhu"));
  cr_assert_null(nqp_embedded_lookup(nqp_embedded, "anhui.yam"));
  cr_assert_null(nqp_embedded_lookup(nqp_embedded, NULL));
  cr_assert_not_null(nqp_embedded_lookup(nqp_embedded_sweeps, "levers_sobol"));
  cr_assert_null(nqp_embedded_lookup(nqp_embedded_sweeps, "anhui.yaml"), "tables are separate");
}

Test(embedded, summary_is_the_first_sentence_of_the_opening_comment) {
  char buf[96];
  nqp_embedded_summary("# Lever: a thing.\n# More about it.\nname: x\n", buf, sizeof buf);
  cr_assert_str_eq(buf, "Lever: a thing.");
  nqp_embedded_summary("# A sentence that goes\n# over two lines. Then more.\n", buf, sizeof buf);
  cr_assert_str_eq(buf, "A sentence that goes over two lines.");
  nqp_embedded_summary("# Package: 1. first, 2. second.\n#\n# later\n", buf, sizeof buf);
  cr_assert_str_eq(buf, "Package: 1. first, 2. second.", "a numbered item is no sentence end");
  nqp_embedded_summary("name: no comment\n", buf, sizeof buf);
  cr_assert_str_eq(buf, "");
  char small[16];
  nqp_embedded_summary("# one two three four five six\n", small, sizeof small);
  cr_assert_str_eq(small, "one two...", "cut at a word, with an ellipsis: %s", small);
  cr_assert_leq(strlen(small), sizeof small - 1);
}

Test(embedded, every_shipped_file_has_a_description) {
  char buf[96];
  for (const nqp_embedded_file *f = nqp_embedded; f->name; f++) {
    nqp_embedded_summary(f->text, buf, sizeof buf);
    cr_assert(strlen(buf) > 10, "%s has no description", f->name);
  }
  for (const nqp_embedded_file *f = nqp_embedded_sweeps; f->name; f++) {
    nqp_embedded_summary(f->text, buf, sizeof buf);
    cr_assert(strlen(buf) > 10, "%s has no description", f->name);
  }
}

Test(embedded, hint_names_the_closest_file_or_points_to_list) {
  char buf[256];
  nqp_embedded_hint(nqp_embedded, "lever_datapledge.yaml", buf, sizeof buf);
  cr_assert_str_eq(buf, " (did you mean \"lever_data_pledge.yaml\"?)");
  nqp_embedded_hint(nqp_embedded, "qqqqqqqqqqqqqqqq", buf, sizeof buf);
  cr_assert_str_eq(buf, " (`nqpsim list` shows the embedded files)");
}
