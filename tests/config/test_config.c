/* test_config: the scenario loader (config/config.h) against a test schema
 * defined here: binding and defaults, every kind of error with its exact
 * FILE:LINE:COLUMN and key path, "did you mean" hints, extends (file,
 * embedded, patch by id, cycles), --set overrides, YAML hazards (duplicate
 * keys, aliases, syntax errors, deep nesting, truncated and random input),
 * the emit -> load round trip and the Markdown reference.
 *
 * Invariants: fixtures live in tests/fixtures/config (found through
 * NQP_SOURCE_DIR); the embedded table is replaced by t_embedded for every
 * test, so the tests do not depend on the scenarios compiled into the
 * binary; after a failed load the output struct must be all zero.
 */
#include <criterion/criterion.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "config/embedded.h"

#ifndef NQP_SOURCE_DIR
#define NQP_SOURCE_DIR "."
#endif
#define FIX(name) NQP_SOURCE_DIR "/tests/fixtures/config/" name

/* ---- test schema ----------------------------------------------------- */

typedef struct t_item {
  char *id;
  double markup;
  sch_kv *shares;
  int nshares;
  char **suppliers;
  int nsuppliers;
  int capacity;
} t_item;

typedef struct t_policy {
  double subsidy;
  int rounds;
  int enabled;
  char *note;
} t_policy;

typedef struct t_root {
  char *name;
  int seed;
  double rate;
  int verbose;
  int mode;
  t_policy policy;
  t_item *industries;
  int nindustries;
  char *lead;
  char **tags;
  int ntags;
} t_root;

static void t_item_check(const void *obj, struct sch_ctx *ctx) {
  const t_item *it = obj;
  double sum = 0;
  for (int i = 0; i < it->nshares; i++) sum += it->shares[i].value;
  if (sum > 1) sch_report(ctx, "shares", "shares sum to %g, expected at most 1", sum);
}

static void t_root_check(const void *obj, struct sch_ctx *ctx) {
  const t_root *r = obj;
  cr_assert(sch_root(ctx) == obj);
  if (r->mode == 1 && r->policy.subsidy > 0.5)
    sch_report(ctx, "policy.subsidy", "must be at most 0.5 in exact mode, found %g",
               r->policy.subsidy);
  if (r->verbose && r->seed == 0) sch_report(ctx, NULL, "verbose runs need a seed");
}

static const sch_field t_item_fields[] = {
    {.key = "id",
     .type = SCH_STRING,
     .offset = offsetof(t_item, id),
     .unit = "",
     .doc = "industry id",
     .required = 1},
    {.key = "markup",
     .type = SCH_DOUBLE,
     .offset = offsetof(t_item, markup),
     .unit = "share",
     .doc = "price markup over cost",
     .def = 1,
     .min = 0,
     .max = 5},
    {.key = "shares",
     .type = SCH_MAP_DOUBLE,
     .offset = offsetof(t_item, shares),
     .count_offset = offsetof(t_item, nshares),
     .unit = "share",
     .doc = "input shares",
     .min = 0,
     .max = 1,
     .ref = "industries"},
    {.key = "suppliers",
     .type = SCH_STRING_LIST,
     .offset = offsetof(t_item, suppliers),
     .count_offset = offsetof(t_item, nsuppliers),
     .unit = "",
     .doc = "supplying industries",
     .ref = "industries"},
    {.key = "capacity",
     .type = SCH_INT,
     .offset = offsetof(t_item, capacity),
     .unit = "units/quarter",
     .doc = "output | capacity",
     .def = 100,
     .min = 0,
     .max = 1000000},
};
static const sch_schema t_item_schema = {"industry", t_item_fields, SCH_COUNT(t_item_fields),
                                         sizeof(t_item), t_item_check};

static const sch_field t_policy_fields[] = {
    {.key = "subsidy",
     .type = SCH_DOUBLE,
     .offset = offsetof(t_policy, subsidy),
     .unit = "share",
     .doc = "subsidy rate",
     .def = 0.1,
     .min = 0,
     .max = 1},
    {.key = "rounds",
     .type = SCH_INT,
     .offset = offsetof(t_policy, rounds),
     .unit = "",
     .doc = "funding rounds",
     .def = 4,
     .min = 1,
     .max = 100},
    {.key = "enabled",
     .type = SCH_BOOL,
     .offset = offsetof(t_policy, enabled),
     .unit = "",
     .doc = "policy active",
     .def = 1},
    {.key = "note",
     .type = SCH_STRING,
     .offset = offsetof(t_policy, note),
     .unit = "",
     .doc = "free text"},
};
static const sch_schema t_policy_schema = {"policy", t_policy_fields, SCH_COUNT(t_policy_fields),
                                           sizeof(t_policy), NULL};

static const char *const t_modes[] = {"fast", "exact", "lazy", NULL};

static const sch_field t_root_fields[] = {
    {.key = "name",
     .type = SCH_STRING,
     .offset = offsetof(t_root, name),
     .unit = "",
     .doc = "scenario name",
     .required = 1},
    {.key = "seed",
     .type = SCH_INT,
     .offset = offsetof(t_root, seed),
     .unit = "",
     .doc = "master seed",
     .def = 42,
     .min = 0,
     .max = 1000000},
    {.key = "rate",
     .type = SCH_DOUBLE,
     .offset = offsetof(t_root, rate),
     .unit = "1/quarter",
     .doc = "entry rate",
     .def = 0.05,
     .min = 0,
     .max = 1},
    {.key = "verbose",
     .type = SCH_BOOL,
     .offset = offsetof(t_root, verbose),
     .unit = "",
     .doc = "chatty output"},
    {.key = "mode",
     .type = SCH_ENUM,
     .offset = offsetof(t_root, mode),
     .unit = "",
     .doc = "solver mode",
     .def_str = "fast",
     .enum_names = t_modes},
    {.key = "policy",
     .type = SCH_STRUCT,
     .offset = offsetof(t_root, policy),
     .unit = "",
     .doc = "government policy",
     .sub = &t_policy_schema},
    {.key = "industries",
     .type = SCH_LIST,
     .offset = offsetof(t_root, industries),
     .count_offset = offsetof(t_root, nindustries),
     .unit = "",
     .doc = "industries",
     .min = 1,
     .max = 10,
     .sub = &t_item_schema},
    {.key = "lead",
     .type = SCH_STRING,
     .offset = offsetof(t_root, lead),
     .unit = "",
     .doc = "lead industry",
     .ref = "industries"},
    {.key = "tags",
     .type = SCH_STRING_LIST,
     .offset = offsetof(t_root, tags),
     .count_offset = offsetof(t_root, ntags),
     .unit = "",
     .doc = "labels"},
};
static const sch_schema t_root_schema = {"scenario", t_root_fields, SCH_COUNT(t_root_fields),
                                         sizeof(t_root), t_root_check};

static const nqp_embedded_file t_embedded[] = {
    {"tbase.yaml", "name: tbase\nseed: 99\nindustries:\n  - id: nev\n    markup: 2\n"},
    {"tchild.yaml", "extends: tbase.yaml\nseed: 100\n"},
    {"tloop.yaml", "extends: tloop2.yaml\n"},
    {"tloop2.yaml", "extends: tloop.yaml\n"},
    {NULL, NULL}};

static void t_setup(void) {
  cfg_set_embedded(t_embedded);
}

TestSuite(config, .init = t_setup);

/* ---- helpers --------------------------------------------------------- */

#define ASSERT_HAS(text, want)                                                                     \
  cr_assert(strstr((text), (want)) != NULL, "expected to contain:\n  %s\ngot:\n  %s", (want),      \
            (text))

static char t_err[4096];

static void t_assert_zero(const t_root *r) {
  static const t_root zero;
  cr_assert(memcmp(r, &zero, sizeof zero) == 0, "output not zeroed after a failed load");
}

static int t_load_string(const char *name, const char *text, const char *const *sets, size_t nsets,
                         t_root *r) {
  return cfg_load_string(&t_root_schema, name, text, sets, nsets, r, NULL, t_err, sizeof t_err);
}

/* Loading TEXT (named NAME) with SETS fails with a message containing WANT. */
static void t_fails(const char *name, const char *text, const char *const *sets, size_t nsets,
                    const char *want) {
  t_root r;
  int rc = t_load_string(name, text, sets, nsets, &r);
  cr_assert_eq(rc, -1, "load of %s unexpectedly succeeded", name);
  ASSERT_HAS(t_err, want);
  t_assert_zero(&r);
}

static void t_file_fails(const char *path, const char *want) {
  t_root r;
  int rc = cfg_load(&t_root_schema, path, NULL, NULL, 0, &r, NULL, t_err, sizeof t_err);
  cr_assert_eq(rc, -1, "load of %s unexpectedly succeeded", path);
  ASSERT_HAS(t_err, want);
  t_assert_zero(&r);
}

static const char t_min[] = "name: m\nindustries:\n  - id: nev\n";

static int t_struct_equal(const sch_schema *s, const char *a, const char *b);

static int t_str_equal(const char *a, const char *b) {
  return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int t_list_equal(const sch_field *f, const char *a, const char *b) {
  int n = *(const int *)(a + f->count_offset);
  if (n != *(const int *)(b + f->count_offset)) return 0;
  const char *ia = *(char *const *)(a + f->offset), *ib = *(char *const *)(b + f->offset);
  for (int i = 0; i < n; i++)
    if (!t_struct_equal(f->sub, ia + i * f->sub->size, ib + i * f->sub->size)) return 0;
  return 1;
}

static int t_map_equal(const sch_field *f, const char *a, const char *b) {
  int n = *(const int *)(a + f->count_offset);
  if (n != *(const int *)(b + f->count_offset)) return 0;
  const sch_kv *ka = *(sch_kv *const *)(a + f->offset), *kb = *(sch_kv *const *)(b + f->offset);
  for (int i = 0; i < n; i++)
    if (strcmp(ka[i].key, kb[i].key) || memcmp(&ka[i].value, &kb[i].value, sizeof(double)))
      return 0;
  return 1;
}

static int t_strings_equal(const sch_field *f, const char *a, const char *b) {
  int n = *(const int *)(a + f->count_offset);
  if (n != *(const int *)(b + f->count_offset)) return 0;
  char *const *sa = *(char **const *)(a + f->offset), *const *sb = *(char **const *)(b + f->offset);
  for (int i = 0; i < n; i++)
    if (!t_str_equal(sa[i], sb[i])) return 0;
  return 1;
}

static int t_field_equal(const sch_field *f, const char *a, const char *b) {
  const char *pa = a + f->offset, *pb = b + f->offset;
  switch (f->type) {
  case SCH_BOOL:
  case SCH_INT:
  case SCH_ENUM:
    return *(const int *)pa == *(const int *)pb;
  case SCH_DOUBLE:
    return memcmp(pa, pb, sizeof(double)) == 0; /* bitwise: exact */
  case SCH_STRING:
    return t_str_equal(*(char *const *)pa, *(char *const *)pb);
  case SCH_STRUCT:
    return t_struct_equal(f->sub, pa, pb);
  case SCH_LIST:
    return t_list_equal(f, a, b);
  case SCH_MAP_DOUBLE:
    return t_map_equal(f, a, b);
  case SCH_STRING_LIST:
    return t_strings_equal(f, a, b);
  }
  return 0;
}

static int t_struct_equal(const sch_schema *s, const char *a, const char *b) {
  for (size_t i = 0; i < s->nfields; i++)
    if (!t_field_equal(&s->fields[i], a, b)) return 0;
  return 1;
}

/* R's emission loads back into an identical struct and emits identically. */
static void t_round_trip(const t_root *r) {
  t_root back;
  char *text = cfg_emit(&t_root_schema, r), *again = NULL;
  cr_assert(text);
  int rc = cfg_load_string(&t_root_schema, "emitted.yaml", text, NULL, 0, &back, &again, t_err,
                           sizeof t_err);
  cr_assert_eq(rc, 0, "emitted text does not load: %s\n%s", t_err, text);
  cr_assert(t_struct_equal(&t_root_schema, (const char *)r, (const char *)&back),
            "round trip differs:\n%s", text);
  cr_assert_str_eq(again, text);
  cfg_free(&t_root_schema, &back);
  free(again);
  free(text);
}

/* ---- binding --------------------------------------------------------- */

Test(config, good_file_binds_values_and_defaults) {
  t_root r;
  char *resolved = NULL;
  int rc =
      cfg_load(&t_root_schema, FIX("good.yaml"), NULL, NULL, 0, &r, &resolved, t_err, sizeof t_err);
  cr_assert_eq(rc, 0, "%s", t_err);
  cr_assert_str_eq(r.name, "good");
  cr_assert_eq(r.seed, 7);
  cr_assert(r.rate == 0.25);
  cr_assert_eq(r.verbose, 0);
  cr_assert_eq(r.mode, 1);
  cr_assert(r.policy.subsidy == 0.3);
  cr_assert_eq(r.policy.rounds, 10);
  cr_assert_eq(r.policy.enabled, 1);
  cr_assert_null(r.policy.note);
  cr_assert_eq(r.nindustries, 2);
  const t_item *nev = &r.industries[0], *pv = &r.industries[1];
  cr_assert_str_eq(nev->id, "nev");
  cr_assert(nev->markup == 1.5);
  cr_assert_eq(nev->nshares, 2);
  cr_assert_str_eq(nev->shares[1].key, "pv");
  cr_assert(nev->shares[1].value == 0.25);
  cr_assert_eq(nev->nsuppliers, 1);
  cr_assert_str_eq(nev->suppliers[0], "pv");
  cr_assert_eq(nev->capacity, 100);
  cr_assert_eq(pv->capacity, 2000);
  cr_assert_eq(pv->nshares, 0);
  cr_assert_null(pv->shares);
  cr_assert_str_eq(r.lead, "nev");
  cr_assert_eq(r.ntags, 2);
  cr_assert_str_eq(r.tags[1], "b c");
  cr_assert_not_null(resolved);
  ASSERT_HAS(resolved, "rate: 0.25  # 1/quarter\n");
  ASSERT_HAS(resolved, "  - id: \"pv\"\n    markup: 0.75  # share\n");
  t_round_trip(&r);
  cfg_free(&t_root_schema, &r);
  cfg_free(&t_root_schema, &r); /* idempotent: pointers were reset */
  free(resolved);
}

Test(config, minimal_text_gets_every_default) {
  t_root r;
  cr_assert_eq(t_load_string("min.yaml", t_min, NULL, 0, &r), 0, "%s", t_err);
  cr_assert_eq(r.seed, 42);
  cr_assert(r.rate == 0.05);
  cr_assert_eq(r.mode, 0);
  cr_assert(r.policy.subsidy == 0.1);
  cr_assert_eq(r.policy.rounds, 4);
  cr_assert_eq(r.policy.enabled, 1);
  cr_assert_null(r.lead);
  cr_assert_eq(r.ntags, 0);
  cr_assert_null(r.tags);
  cr_assert(r.industries[0].markup == 1);
  cfg_free(&t_root_schema, &r);
}

Test(config, numbers_accept_ints_floats_and_exponents) {
  t_root r;
  const char *text = "name: n\nseed: 1e3\nrate: 5e-1\npolicy: {subsidy: .5, rounds: +7}\n"
                     "industries: [{id: a, markup: 2., capacity: 1000000}]\n";
  cr_assert_eq(t_load_string("n.yaml", text, NULL, 0, &r), 0, "%s", t_err);
  cr_assert_eq(r.seed, 1000);
  cr_assert(r.rate == 0.5 && r.policy.subsidy == 0.5 && r.industries[0].markup == 2);
  cr_assert_eq(r.policy.rounds, 7);
  cr_assert_eq(r.industries[0].capacity, 1000000);
  cfg_free(&t_root_schema, &r);
}

Test(config, null_containers_are_empty_and_null_strings_are_null) {
  t_root r;
  const char *text = "name: n\npolicy:\nlead: ~\ntags:\nindustries:\n  - id: a\n    shares:\n";
  cr_assert_eq(t_load_string("n.yaml", text, NULL, 0, &r), 0, "%s", t_err);
  cr_assert_eq(r.policy.rounds, 4);
  cr_assert_null(r.lead);
  cr_assert_eq(r.ntags, 0);
  cr_assert_eq(r.industries[0].nshares, 0);
  cfg_free(&t_root_schema, &r);
}

/* ---- binding errors -------------------------------------------------- */

/* A null for a string with a default (name: ~) is refused at its position,
 * not bound as NULL (it printed as "(null)"); "" is an empty string. */
Test(config, null_for_a_string_with_a_default_is_refused) {
  t_fails("n.yaml", "name: ~\nindustries:\n  - id: a\n", NULL, 0,
          "n.yaml:1:7: name: expected a string, found null (write \"\" for an empty string)");
  const char *const sets[] = {"name="};
  t_fails("n.yaml", t_min, sets, 1, "--set name=: name: expected a string");
  t_root r;
  cr_assert_eq(t_load_string("n.yaml", "name: \"\"\nindustries:\n  - id: a\n", NULL, 0, &r), 0,
               "%s", t_err);
  cr_assert_str_eq(r.name, "");
  cfg_free(&t_root_schema, &r);
}

/* A check that fails on a value a --set changed blames the --set, not the
 * file line of the value it replaced, and still says where that is. */
Test(config, check_failing_after_a_set_blames_the_set) {
  const char *text =
      "name: x\nindustries:\n  - id: nev\n    shares: {nev: 0.5, b: 0.25}\n  - id: b\n";
  const char *const sets[] = {"industries.nev.shares.nev=0.875"};
  t_fails("f.yaml", text, sets, 1,
          "--set industries.nev.shares.nev=0.875: industries.nev.shares: shares sum to 1.125, "
          "expected at most 1 (after this --set; industries.nev.shares is at f.yaml:4:5)");
  /* without the --set, the file's own error keeps the file's position */
  t_fails("f.yaml",
          "name: x\nindustries:\n  - id: nev\n    shares: {nev: 0.75, b: 0.5}\n  - id: b\n", NULL,
          0, "f.yaml:4:5: industries.nev.shares: shares sum to 1.25");
}

Test(config, out_of_range_number_from_file) {
  t_file_fails(FIX("bad.yaml"),
               "bad.yaml:4:13: industries.nev.markup: expected a number in [0, 5] (share), "
               "found 7.5");
}

Test(config, value_type_errors) {
  t_fails("bad.yaml", "name: x\nseed: abc\nindustries: [{id: a}]\n", NULL, 0,
          "bad.yaml:2:7: seed: expected an integer in [0, 1000000], found \"abc\"");
  t_fails("bad.yaml", "name: x\nseed: 2.5\nindustries: [{id: a}]\n", NULL, 0,
          "bad.yaml:2:7: seed: expected an integer in [0, 1000000], found 2.5");
  t_fails("bad.yaml", "name: x\nrate: .inf\nindustries: [{id: a}]\n", NULL, 0,
          "bad.yaml:2:7: rate: expected a number in [0, 1] (1/quarter), found .inf (numbers must "
          "be finite)");
  t_fails("bad.yaml", "name: x\nrate: 1e999\nindustries: [{id: a}]\n", NULL, 0,
          "found 1e999 (numbers must be finite)");
  t_fails("bad.yaml", "name: x\nrate: \"0.5\"\nindustries: [{id: a}]\n", NULL, 0,
          "bad.yaml:2:7: rate: expected a number in [0, 1] (1/quarter), found the string \"0.5\"");
  t_fails("bad.yaml", "name: x\nrate:\nindustries: [{id: a}]\n", NULL, 0,
          "rate: expected a number in [0, 1] (1/quarter), found an empty value");
  t_fails("bad.yaml", "name: x\nverbose: yes\nindustries: [{id: a}]\n", NULL, 0,
          "bad.yaml:2:10: verbose: expected true or false, found \"yes\"");
  t_fails("bad.yaml", "name: [x]\nindustries: [{id: a}]\n", NULL, 0,
          "bad.yaml:1:7: name: expected a string, found a sequence");
  t_fails("bad.yaml", "name: x\npolicy: 5\nindustries: [{id: a}]\n", NULL, 0,
          "bad.yaml:2:9: policy: expected a mapping (policy), found 5");
  t_fails("bad.yaml", "name: x\nindustries: {a: 1}\n", NULL, 0,
          "bad.yaml:2:13: industries: expected a list of 1 to 10 items (industry), found a "
          "mapping");
  t_fails("bad.yaml", "name: x\nindustries: [{id: a, shares: {a: 2}}]\n", NULL, 0,
          "industries.a.shares.a: expected a number in [0, 1] (share), found 2");
  t_fails("bad.yaml", "name: x\nindustries: [{id: a, suppliers: [{}]}]\n", NULL, 0,
          "industries.a.suppliers[0]: expected a string, found a mapping");
  t_fails("bad.yaml", "name: x\nindustries: [5]\n", NULL, 0,
          "bad.yaml:2:14: industries[0]: expected a mapping (industry), found 5");
}

Test(config, enum_lists_names_and_suggests) {
  t_fails("bad.yaml", "name: x\nmode: exat\nindustries: [{id: a}]\n", NULL, 0,
          "bad.yaml:2:7: mode: expected one of: fast, exact, lazy, found \"exat\" (did you mean "
          "\"exact\"?)");
  t_fails("bad.yaml", "name: x\nmode: quick\nindustries: [{id: a}]\n", NULL, 0,
          "mode: expected one of: fast, exact, lazy, found \"quick\"");
  cr_assert_null(strstr(t_err, "did you mean"));
}

Test(config, unknown_keys_suggest_or_list) {
  t_fails("bad.yaml", "name: x\nindustries:\n  - id: nev\n    markpu: 1\n", NULL, 0,
          "bad.yaml:4:5: industries.nev.markpu: unknown key \"markpu\" in industry (did you mean "
          "\"markup\"?)");
  t_fails("bad.yaml", "name: x\nSeed: 3\nindustries: [{id: a}]\n", NULL, 0,
          "bad.yaml:2:1: Seed: unknown key \"Seed\" in scenario (did you mean \"seed\"?)");
  t_fails("bad.yaml", "name: x\nzzz: 3\nindustries: [{id: a}]\n", NULL, 0,
          "zzz: unknown key \"zzz\" in scenario (one of: name, seed, rate, verbose, mode, "
          "policy, industries, lead, tags)");
}

Test(config, missing_required_at_mapping_position) {
  t_fails("bad.yaml", "seed: 1\nindustries: [{id: a}]\n", NULL, 0,
          "bad.yaml:1:1: name: missing required key \"name\" (expected a string)");
  t_fails("bad.yaml", "name: x\nindustries:\n  - markup: 1\n", NULL, 0,
          "bad.yaml:3:5: industries[0].id: missing required key \"id\"");
}

Test(config, list_length_and_unique_ids) {
  t_fails("bad.yaml", "name: x\nindustries: []\n", NULL, 0,
          "bad.yaml:2:13: industries: expected 1 to 10 items, found 0");
  t_fails("bad.yaml", "name: x\n", NULL, 0, "industries: expected 1 to 10 items, found 0");
  t_fails("bad.yaml", "name: x\nindustries:\n  - id: nev\n  - id: pv\n  - id: nev\n", NULL, 0,
          "bad.yaml:5:9: industries.nev.id: duplicate id \"nev\" (first used at bad.yaml:3:9)");
}

Test(config, references_name_list_ids) {
  t_fails("bad.yaml", "name: x\nlead: nevv\nindustries: [{id: nev}, {id: pv}]\n", NULL, 0,
          "bad.yaml:2:7: lead: expected the id of an item of industries, found \"nevv\" (did you "
          "mean \"nev\"?)");
  t_fails("bad.yaml", "name: x\nindustries:\n  - id: nev\n    shares: {nev: 0.1, coal: 0.2}\n",
          NULL, 0,
          "bad.yaml:4:24: industries.nev.shares.coal: expected the id of an item of industries, "
          "found \"coal\" (one of: nev)");
  t_fails("bad.yaml", "name: x\nindustries:\n  - id: nev\n    suppliers: [nev, pvv]\n  - id: pv\n",
          NULL, 0,
          "bad.yaml:4:22: industries.nev.suppliers[1]: expected the id of an item of "
          "industries, found \"pvv\" (did you mean \"pv\"?)");
}

Test(config, check_hooks_report_key_positions) {
  t_fails("bad.yaml",
          "name: x\nindustries:\n  - id: nev\n    shares: {nev: 0.75, nev2: 0.5}\n"
          "  - id: nev2\n",
          NULL, 0, "bad.yaml:4:5: industries.nev.shares: shares sum to 1.25, expected at most 1");
  t_fails("bad.yaml", "name: x\nmode: exact\npolicy:\n  subsidy: 0.75\nindustries: [{id: a}]\n",
          NULL, 0, "bad.yaml:4:12: policy.subsidy: must be at most 0.5 in exact mode, found 0.75");
  t_fails("bad.yaml", "name: x\nverbose: true\nseed: 0\nindustries: [{id: a}]\n", NULL, 0,
          "bad.yaml:1:1: verbose runs need a seed");
}

Test(config, several_errors_are_reported_one_per_line) {
  t_fails("bad.yaml", "name: x\nseed: -1\nrate: 2\nindustries: [{id: a}]\n", NULL, 0,
          "bad.yaml:2:7: seed: expected an integer in [0, 1000000], found -1\n"
          "bad.yaml:3:7: rate: expected a number in [0, 1] (1/quarter), found 2");
}

Test(config, error_limit_is_respected) {
  char text[4096] = "name: x\nindustries: [{id: a}]\n";
  for (int i = 0; i < 20; i++) snprintf(text + strlen(text), 64, "bad%d: 1\n", i);
  t_fails("many.yaml", text, NULL, 0, "(further errors not shown)");
}

/* ---- YAML-level errors ----------------------------------------------- */

Test(config, duplicate_keys_rejected_at_second) {
  t_fails("dup.yaml", "name: x\nseed: 1\nseed: 2\nindustries: [{id: a}]\n", NULL, 0,
          "dup.yaml:3:1: seed: duplicate key \"seed\" (first defined at line 2, column 1)");
  t_fails("dup.yaml", "name: x\nindustries:\n  - id: a\n    markup: 1\n    markup: 2\n", NULL, 0,
          "dup.yaml:5:5: industries.a.markup: duplicate key \"markup\" (first defined at line 4, "
          "column 5)");
}

Test(config, syntax_errors_have_positions) {
  t_fails("syn.yaml", "name: x\nindustries: [a, b\nseed: 1\n", NULL, 0,
          "syn.yaml:3:5: YAML syntax error:");
  t_fails("syn.yaml", "name: x\n  seed: 1\n", NULL, 0, "syn.yaml:2:7: YAML syntax error:");
  t_fails("syn.yaml", "name: \"x\n", NULL, 0, "syn.yaml:2:1: YAML syntax error:");
  t_fails("syn.yaml", "name: x\nseed: \x01\n", NULL, 0, "syn.yaml:2:7: YAML syntax error:");
}

Test(config, aliases_anchors_tags_merge_keys_rejected) {
  t_fails("a.yaml", "name: *n\n", NULL, 0,
          "a.yaml:1:7: name: aliases (*n) and anchors are not supported");
  t_fails("a.yaml", "name: &n x\n", NULL, 0,
          "a.yaml:1:7: name: anchors (&n) and aliases are not supported");
  t_fails("a.yaml", "name: !!str 5\n", NULL, 0,
          "a.yaml:1:7: name: tags (tag:yaml.org,2002:str) are not supported");
  t_fails("a.yaml", "name: x\n<<: {seed: 1}\n", NULL, 0,
          "a.yaml:2:1: merge keys (<<) are not supported");
  t_fails("a.yaml", "name: x\n? [a]\n: 1\n", NULL, 0, "a.yaml:2:3: mapping keys must be strings");
}

Test(config, empty_and_non_mapping_roots) {
  t_fails("e.yaml", "", NULL, 0, "e.yaml:1:1: empty file: expected a mapping of scenario settings");
  t_fails("e.yaml", "# only a comment\n\n", NULL, 0, "e.yaml:1:1: empty file");
  t_fails("e.yaml", "- a\n- b\n", NULL, 0,
          "e.yaml:1:1: expected a mapping of scenario settings at the top level, found a sequence");
  t_fails("e.yaml", "hello\n", NULL, 0, "at the top level, found \"hello\"");
  t_fails("e.yaml", "name: a\n---\nname: b\n", NULL, 0,
          "e.yaml:2:1: more than one YAML document (---) in one file is not supported");
}

Test(config, deep_nesting_is_limited) {
  size_t n = 5000;
  char *text = malloc(2 * n + 32);
  strcpy(text, "name: x\nseed: ");
  for (size_t i = 0; i < n; i++) strcat(text, "[");
  t_fails("deep.yaml", text, NULL, 0, "nested deeper than 64 levels");
  free(text);
  char block[8192] = "";
  for (int i = 0; i < 70; i++) snprintf(block + strlen(block), 100, "%*sa:\n", i, "");
  t_fails("deep.yaml", block, NULL, 0, "deep.yaml:65:65: a.a.a.a.");
  ASSERT_HAS(t_err, ".a.a: nested deeper than 64 levels");
}

static uint64_t t_rand(uint64_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

Test(config, truncated_and_garbage_input_never_crash) {
  static const char good[] = "name: good\nseed: 7\npolicy: {subsidy: 0.3}\nindustries:\n"
                             "  - id: nev\n    shares: {nev: 0.5}\n    suppliers: [nev]\n"
                             "tags: [\"x\", 'y']\nlead: nev\n";
  char buf[512];
  t_root r;
  for (size_t len = 0; len <= sizeof good - 1; len++) {
    memcpy(buf, good, len);
    buf[len] = '\0';
    if (t_load_string("t.yaml", buf, NULL, 0, &r) == 0)
      cfg_free(&t_root_schema, &r);
    else
      t_assert_zero(&r);
  }
  uint64_t seed = 0x9e3779b97f4a7c15u;
  static const char alphabet[] = "ab:-[]{},#&*!|>'\"\n \t?%@`~.0123456789\\";
  for (int iter = 0; iter < 400; iter++) {
    size_t len = t_rand(&seed) % 200;
    for (size_t i = 0; i < len; i++) {
      uint64_t x = t_rand(&seed);
      buf[i] = (x & 256) ? (char)(1 + x % 255) : alphabet[x % (sizeof alphabet - 1)];
    }
    buf[len] = '\0';
    if (t_load_string("g.yaml", buf, NULL, 0, &r) == 0) cfg_free(&t_root_schema, &r);
  }
}

Test(config, nul_bytes_and_unreadable_files) {
  char path[] = "/tmp/nqp_cfg_XXXXXX";
  int fd = mkstemp(path);
  cr_assert(fd >= 0);
  cr_assert_eq(write(fd, "name: a\0b\n", 10), 10);
  close(fd);
  t_file_fails(path, ":1:8: YAML syntax error: control characters are not allowed");
  unlink(path);
  t_file_fails(FIX("no-such-file.yaml"), "no-such-file.yaml: cannot read: No such file");
  t_file_fails(FIX(""), "cannot read: Is a directory");
}

/* ---- extends --------------------------------------------------------- */

Test(config, extends_merges_and_patches_by_id) {
  t_root r;
  int rc =
      cfg_load(&t_root_schema, FIX("child.yaml"), NULL, NULL, 0, &r, NULL, t_err, sizeof t_err);
  cr_assert_eq(rc, 0, "%s", t_err);
  cr_assert_str_eq(r.name, "child");
  cr_assert_eq(r.seed, 1);
  cr_assert(r.policy.subsidy == 0.2);
  cr_assert_eq(r.policy.rounds, 8);
  cr_assert_eq(r.nindustries, 2);
  cr_assert(r.industries[0].markup == 1.0);
  cr_assert(r.industries[1].markup == 2.5);
  cr_assert_eq(r.industries[1].nsuppliers, 1);
  cr_assert_str_eq(r.industries[1].suppliers[0], "nev");
  cfg_free(&t_root_schema, &r);
}

Test(config, extends_chains_and_sequence_replacement) {
  t_root r;
  int rc = cfg_load(&t_root_schema, FIX("grandchild.yaml"), NULL, NULL, 0, &r, NULL, t_err,
                    sizeof t_err);
  cr_assert_eq(rc, 0, "%s", t_err);
  cr_assert_str_eq(r.name, "child");
  cr_assert_eq(r.industries[0].capacity, 5);
  cr_assert(r.industries[1].markup == 2.5);
  cfg_free(&t_root_schema, &r);
  rc = cfg_load(&t_root_schema, FIX("child_replace.yaml"), NULL, NULL, 0, &r, NULL, t_err,
                sizeof t_err);
  cr_assert_eq(rc, 0, "%s", t_err);
  cr_assert_eq(r.nindustries, 1);
  cr_assert_str_eq(r.industries[0].id, "solo");
  cr_assert_str_eq(r.name, "base");
  cfg_free(&t_root_schema, &r);
}

Test(config, extends_errors_keep_positions_of_winning_file) {
  t_file_fails(FIX("bad_patch.yaml"),
               "bad_patch.yaml:3:3: industries.pvv: no item with id \"pvv\" in the base list to "
               "patch (did you mean \"pv\"?)");
  t_file_fails(FIX("bad_after_merge.yaml"),
               "bad_after_merge.yaml:4:13: industries.pv.markup: expected a number in [0, 5]");
  t_fails("x.yaml", "extends: [a]\n", NULL, 0,
          "x.yaml:1:10: extends: expected the name of a scenario file, found a sequence");
}

Test(config, patch_semantics_null_keeps_item_and_ids_are_fixed) {
  t_root r;
  const char *keep = "extends: base.yaml\nindustries:\n  pv:\npolicy: ~\n";
  int rc = t_load_string(FIX("inline.yaml"), keep, NULL, 0, &r);
  cr_assert_eq(rc, 0, "%s", t_err);
  cr_assert(r.industries[1].markup == 2.0);
  cr_assert(r.policy.subsidy == 0.1, "a null mapping resets the struct to its defaults");
  cfg_free(&t_root_schema, &r);
  t_fails(FIX("inline.yaml"), "extends: base.yaml\nindustries:\n  pv:\n    id: pv2\n", NULL, 0,
          "inline.yaml:4:9: industries.pv: a patch cannot change the id of item \"pv\"");
  t_fails(FIX("inline.yaml"), "extends: base.yaml\nindustries:\n  pv: 3\n", NULL, 0,
          "inline.yaml:3:7: industries.pv: expected a mapping of the fields to change in item "
          "\"pv\", found 3");
  t_fails(FIX("inline.yaml"), "extends: base.yaml\ntags:\n  a: {x: 1}\n", NULL, 0,
          "tags: expected a list of strings, found a mapping");
}

Test(config, string_sources_extend_relative_to_their_name) {
  t_root r;
  int rc = t_load_string(FIX("inline.yaml"), "extends: base.yaml\nname: inline\n", NULL, 0, &r);
  cr_assert_eq(rc, 0, "%s", t_err);
  cr_assert_str_eq(r.name, "inline");
  cr_assert_eq(r.nindustries, 2);
  cfg_free(&t_root_schema, &r);
  t_fails(FIX("inline.yaml"), "extends: base.yaml\nname: inline\nseed: -1\n", NULL, 0,
          "inline.yaml:3:7: seed: expected an integer");
  t_fails(FIX("inline.yaml"), "extends: base.yaml\npolicy:\n  rounds: 0\n", NULL, 0,
          "inline.yaml:3:11: policy.rounds: expected an integer in [1, 100], found 0");
}

Test(config, extends_cycles_are_reported_with_the_chain) {
  t_file_fails(FIX("cycle_a.yaml"), "cycle_b.yaml:1:10: extends: cycle: ");
  ASSERT_HAS(t_err, "cycle_a.yaml -> " NQP_SOURCE_DIR
                    "/tests/fixtures/config/cycle_b.yaml -> " NQP_SOURCE_DIR
                    "/tests/fixtures/config/cycle_a.yaml");
  t_file_fails(FIX("self.yaml"), "self.yaml:2:10: extends: cycle: ");
  t_root r;
  int rc = cfg_load(&t_root_schema, NULL, "tloop.yaml", NULL, 0, &r, NULL, t_err, sizeof t_err);
  cr_assert_eq(rc, -1);
  ASSERT_HAS(t_err, "<embedded>/tloop2.yaml:1:10: extends: cycle: <embedded>/tloop.yaml -> "
                    "<embedded>/tloop2.yaml -> <embedded>/tloop.yaml");
}

Test(config, extends_falls_back_to_embedded) {
  t_root r;
  int rc = cfg_load(&t_root_schema, FIX("child_embedded.yaml"), NULL, NULL, 0, &r, NULL, t_err,
                    sizeof t_err);
  cr_assert_eq(rc, 0, "%s", t_err);
  cr_assert_str_eq(r.name, "from-embedded");
  cr_assert_eq(r.seed, 99);
  cr_assert(r.industries[0].markup == 2);
  cfg_free(&t_root_schema, &r);
  rc = cfg_load(&t_root_schema, NULL, "tchild.yaml", NULL, 0, &r, NULL, t_err, sizeof t_err);
  cr_assert_eq(rc, 0, "%s", t_err);
  cr_assert_str_eq(r.name, "tbase");
  cr_assert_eq(r.seed, 100);
  cfg_free(&t_root_schema, &r);
  t_file_fails(FIX("missing_base.yaml"),
               "missing_base.yaml:1:10: extends: cannot find \"tbsae.yaml\": no file ");
  ASSERT_HAS(t_err, "and no embedded scenario of that name (did you mean \"tbase.yaml\"?)");
  rc = cfg_load(&t_root_schema, NULL, "nope.yaml", NULL, 0, &r, NULL, t_err, sizeof t_err);
  cr_assert_eq(rc, -1);
  ASSERT_HAS(t_err, "no embedded scenario \"nope.yaml\"");
}

Test(config, embedded_error_positions_name_the_embedded_file) {
  static const nqp_embedded_file table[] = {{"bad.yaml", "name: x\nseed: -5\n"}, {NULL, NULL}};
  t_root r;
  cfg_set_embedded(table);
  int rc = cfg_load(&t_root_schema, NULL, "bad.yaml", NULL, 0, &r, NULL, t_err, sizeof t_err);
  cr_assert_eq(rc, -1);
  ASSERT_HAS(t_err, "<embedded>/bad.yaml:2:7: seed: expected an integer in [0, 1000000], found -5");
}

/* ---- --set ----------------------------------------------------------- */

Test(config, set_nested_keys_and_list_items) {
  const char *sets[] = {"policy.subsidy=0.4",
                        "industries.pv.markup=3",
                        "industries.0.capacity=9",
                        "industries.nev.suppliers=[pv, nev]",
                        "industries.nev.shares.pv=0.125",
                        "tags.1=z",
                        "policy.note=\"a: b\"",
                        "name=renamed"};
  t_root r;
  char *resolved = NULL;
  int rc = cfg_load(&t_root_schema, FIX("good.yaml"), NULL, sets, SCH_COUNT(sets), &r, &resolved,
                    t_err, sizeof t_err);
  cr_assert_eq(rc, 0, "%s", t_err);
  cr_assert(r.policy.subsidy == 0.4);
  cr_assert(r.industries[1].markup == 3);
  cr_assert_eq(r.industries[0].capacity, 9);
  cr_assert_eq(r.industries[0].nsuppliers, 2);
  cr_assert_str_eq(r.industries[0].suppliers[1], "nev");
  cr_assert(r.industries[0].shares[1].value == 0.125);
  cr_assert_str_eq(r.tags[1], "z");
  cr_assert_str_eq(r.policy.note, "a: b");
  cr_assert_str_eq(r.name, "renamed");
  ASSERT_HAS(resolved, "subsidy: 0.4  # share\n");
  cfg_free(&t_root_schema, &r);
  free(resolved);
}

Test(config, set_creates_absent_keys) {
  const char *sets[] = {"policy.rounds=12", "industries.nev.shares.nev=0.5", "verbose=true"};
  t_root r;
  int rc = t_load_string("m.yaml", t_min, sets, SCH_COUNT(sets), &r);
  cr_assert_eq(rc, 0, "%s", t_err);
  cr_assert_eq(r.policy.rounds, 12);
  cr_assert_eq(r.industries[0].nshares, 1);
  cr_assert_eq(r.verbose, 1);
  cfg_free(&t_root_schema, &r);
}

Test(config, set_replaces_whole_items_and_lists) {
  const char *s1[] = {"industries.0={id: z, markup: 4}"};
  t_root r;
  int rc = t_load_string("m.yaml", t_min, s1, 1, &r);
  cr_assert_eq(rc, 0, "%s", t_err);
  cr_assert_str_eq(r.industries[0].id, "z");
  cr_assert(r.industries[0].markup == 4);
  cfg_free(&t_root_schema, &r);
  const char *s2[] = {"industries=[{id: a}, {id: b}]", "industries.b.suppliers=[a]"};
  rc = t_load_string("m.yaml", t_min, s2, 2, &r);
  cr_assert_eq(rc, 0, "%s", t_err);
  cr_assert_eq(r.nindustries, 2);
  cr_assert_str_eq(r.industries[1].suppliers[0], "a");
  cfg_free(&t_root_schema, &r);
  const char *s3[] = {"industries.0={id: b, markup: 9}"};
  t_fails("m.yaml", t_min, s3, 1,
          "--set industries.0={id: b, markup: 9}: industries.b.markup: expected a number in [0, "
          "5] (share), found 9");
}

Test(config, bad_set_arguments_are_named) {
  const char *s1[] = {"policy.subsdy=1"};
  t_fails("m.yaml", t_min, s1, 1,
          "--set policy.subsdy=1: unknown key \"subsdy\" in policy (did you mean \"subsidy\"?)");
  const char *s2[] = {"industries.nevv.markup=1"};
  t_fails("m.yaml", t_min, s2, 1,
          "--set industries.nevv.markup=1: no item with id or index \"nevv\" in industries "
          "(1 items) (did you mean \"nev\"?)");
  const char *s3[] = {"policy.subsidy=abc"};
  t_fails("m.yaml", t_min, s3, 1,
          "--set policy.subsidy=abc: policy.subsidy: expected a number in [0, 1] (share), found "
          "\"abc\"");
  const char *s4[] = {"seed"};
  t_fails("m.yaml", t_min, s4, 1, "--set seed: expected KEY.PATH=VALUE");
  const char *s5[] = {"seed.x=1"};
  t_fails("m.yaml", t_min, s5, 1,
          "--set seed.x=1: seed takes an integer in [0, 1000000]; it has no key \"x\"");
  const char *s6[] = {"tags=[a"};
  t_fails("m.yaml", t_min, s6, 1, "--set tags=[a: invalid value: ");
  const char *s7[] = {"nme=x"};
  t_fails("m.yaml", t_min, s7, 1,
          "--set nme=x: unknown key \"nme\" at the top level (did you mean \"name\"?)");
  const char *s8[] = {"industries.5.markup=1"};
  t_fails("m.yaml", t_min, s8, 1, "no item with id or index \"5\" in industries (1 items)");
  const char *s9[] = {"policy..rounds=1"};
  t_fails("m.yaml", t_min, s9, 1, "--set policy..rounds=1: empty key");
  const char *s10[] = {"seed="};
  t_fails("m.yaml", t_min, s10, 1,
          "--set seed=: seed: expected an integer in [0, 1000000], "
          "found an empty value");
  const char *s11[] = {"industries.nev.suppliers.3=x"};
  t_fails("m.yaml", t_min, s11, 1, "industries.nev.suppliers is empty: there is no item \"3\"");
  const char *s12[] = {"lead=coal"};
  t_fails("m.yaml", t_min, s12, 1,
          "--set lead=coal: lead: expected the id of an item of industries, found \"coal\"");
}

/* ---- emit, free, reference ------------------------------------------ */

Test(config, emit_round_trips_tricky_values) {
  const char *text =
      "name: \"q\\\" b\\\\ nl\\n tab\\t \\x01 \\u00fcn\\u00efcode #: [x]\"\n"
      "rate: 0.1\nseed: 0\npolicy: {subsidy: 1e-300, note: ''}\n"
      "industries:\n  - id: \"a b\"\n    markup: 4.999999999999999\n"
      "    shares: {\"a b\": -0.0}\n  - id: 'null'\n    markup: 0.30000000000000004\n"
      "tags: [\"\", '~', 'true', '12']\nlead: \"null\"\nmode: lazy\n";
  t_root r;
  cr_assert_eq(t_load_string("tricky.yaml", text, NULL, 0, &r), 0, "%s", t_err);
  cr_assert_str_eq(r.name, "q\" b\\ nl\n tab\t \x01 \xc3\xbcn\xc3\xaf"
                           "code #: [x]");
  cr_assert_str_eq(r.policy.note, "");
  cr_assert_str_eq(r.industries[1].id, "null");
  cr_assert_str_eq(r.tags[1], "~");
  t_round_trip(&r);
  cfg_free(&t_root_schema, &r);
}

Test(config, emit_handles_hand_built_structs) {
  t_item items[1] = {{.id = "x", .markup = 1.0 / 3.0, .capacity = 3}};
  t_root r = {.name = NULL,
              .rate = 0.5,
              .mode = 2,
              .industries = items,
              .nindustries = 1,
              .policy = {.subsidy = 0, .rounds = 1}};
  char *text = cfg_emit(&t_root_schema, &r);
  cr_assert_not_null(text);
  ASSERT_HAS(text, "name: ~\n");
  ASSERT_HAS(text, "mode: lazy\n");
  ASSERT_HAS(text, "markup: 0.3333333333333333  # share\n");
  ASSERT_HAS(text, "shares: {}\n");
  ASSERT_HAS(text, "suppliers: []\n");
  free(text);
}

Test(config, failed_loads_leave_nothing_allocated) {
  const char *sets[] = {"industries.nev.markup=9"};
  t_root r;
  char *resolved = (char *)"sentinel";
  int rc =
      cfg_load(&t_root_schema, FIX("good.yaml"), NULL, sets, 1, &r, &resolved, t_err, sizeof t_err);
  cr_assert_eq(rc, -1);
  cr_assert_null(resolved);
  t_assert_zero(&r);
  ASSERT_HAS(t_err, "--set industries.nev.markup=9: industries.nev.markup: expected a number in "
                    "[0, 5] (share), found 9");
  rc = cfg_load(&t_root_schema, FIX("good.yaml"), NULL, sets, 1, &r, NULL, NULL, 0);
  cr_assert_eq(rc, -1);
}

Test(config, reference_is_a_markdown_table) {
  char *buf = NULL;
  size_t len = 0;
  FILE *fp = open_memstream(&buf, &len);
  cfg_print_reference(&t_root_schema, fp);
  fclose(fp);
  ASSERT_HAS(buf, "| Key | Type | Unit | Default | Range | Description |\n|---|");
  ASSERT_HAS(buf, "| `name` | string |  | *required* |  | scenario name |\n");
  ASSERT_HAS(buf, "| `rate` | number | 1/quarter | 0.05 | [0, 1] | entry rate |\n");
  ASSERT_HAS(buf, "| `mode` | enum: fast, exact, lazy |  | fast |  | solver mode |\n");
  ASSERT_HAS(buf, "| `policy.subsidy` | number | share | 0.1 | [0, 1] | subsidy rate |\n");
  ASSERT_HAS(buf, "| `industries` | list of industry |  | empty | 1 to 10 items | industries |\n");
  ASSERT_HAS(buf, "| `industries[].shares` | map: id in `industries` -> number | share | empty | "
                  "[0, 1] | input shares |\n");
  ASSERT_HAS(buf, "| `industries[].capacity` | int | units/quarter | 100 | [0, 1000000] | output "
                  "\\| capacity |\n");
  free(buf);
}

/* ---- scale ----------------------------------------------------------- */

typedef struct t_node {
  char *id;
  char *next;
} t_node;
typedef struct t_graph {
  t_node *nodes;
  int nnodes;
} t_graph;
static const sch_field t_node_fields[] = {
    {.key = "id",
     .type = SCH_STRING,
     .offset = offsetof(t_node, id),
     .unit = "",
     .doc = "id",
     .required = 1},
    {.key = "next",
     .type = SCH_STRING,
     .offset = offsetof(t_node, next),
     .unit = "",
     .doc = "successor",
     .ref = "nodes"},
};
static const sch_schema t_node_schema = {"node", t_node_fields, SCH_COUNT(t_node_fields),
                                         sizeof(t_node), NULL};
static const sch_field t_graph_fields[] = {
    {.key = "nodes",
     .type = SCH_LIST,
     .offset = offsetof(t_graph, nodes),
     .count_offset = offsetof(t_graph, nnodes),
     .unit = "",
     .doc = "nodes",
     .sub = &t_node_schema},
};
static const sch_schema t_graph_schema = {"graph", t_graph_fields, SCH_COUNT(t_graph_fields),
                                          sizeof(t_graph), NULL};

Test(config, large_lists_with_refs_are_fast) {
  enum { N = 20000 };
  char *text = malloc((size_t)N * 40 + 16);
  size_t used = (size_t)sprintf(text, "nodes:\n");
  for (int i = 0; i < N; i++)
    used += (size_t)sprintf(text + used, "  - {id: n%d, next: n%d}\n", i, (i + 1) % N);
  t_graph g;
  int rc =
      cfg_load_string(&t_graph_schema, "big.yaml", text, NULL, 0, &g, NULL, t_err, sizeof t_err);
  cr_assert_eq(rc, 0, "%s", t_err);
  cr_assert_eq(g.nnodes, N);
  cr_assert_str_eq(g.nodes[N - 1].next, "n0");
  cfg_free(&t_graph_schema, &g);
  free(text);
}
