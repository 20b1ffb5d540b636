/* schema: typed description of the fields of a scenario, used to bind YAML
 * into plain C structs (see config/config.h), to emit the resolved scenario back
 * as YAML, and to document every field (type, unit, default, range).
 *
 * Invariants:
 *  - every numeric field has a default inside [min, max];
 *  - SCH_STRING values are heap strings owned by the bound struct (freed by
 *    cfg_free); SCH_LIST items are one heap array of `sub->size` bytes each,
 *    with the count (int) stored at `count_offset`;
 *  - a list whose item schema has a field named "id" has unique ids; other
 *    fields refer to them through `ref` (the list's key path from the root).
 *
 * Included by: config/ and the schemas of other YAML files (drivers/sweep_schema.c).
 */
#ifndef NQP_SCHEMA_H
#define NQP_SCHEMA_H

#include <stddef.h>

typedef enum sch_type {
  SCH_BOOL,        /* int 0/1; YAML true/false */
  SCH_INT,         /* int, range-checked against [min, max] */
  SCH_DOUBLE,      /* double, finite, range-checked */
  SCH_STRING,      /* char * (heap); `ref` optional: must name an id */
  SCH_ENUM,        /* int index into enum_names (NULL-terminated) */
  SCH_STRUCT,      /* nested mapping bound to `sub` at `offset` */
  SCH_LIST,        /* sequence of mappings: (void *items at offset, int count at count_offset) */
  SCH_MAP_DOUBLE,  /* mapping id -> number: (sch_kv *at offset, int count at count_offset); `ref`
                      checks keys */
  SCH_STRING_LIST, /* sequence of strings: (char **at offset, int count at count_offset); `ref`
                      checks values */
} sch_type;

typedef struct sch_kv {
  char *key;    /* heap string */
  double value; /* range-checked against the field's [min, max] */
} sch_kv;

struct sch_ctx;
struct sch_schema;

typedef struct sch_field {
  const char *key; /* YAML key */
  sch_type type;
  size_t offset;    /* offsetof(parent struct, member) */
  const char *unit; /* unit of the value, e.g. "CNY", "1/quarter", "share"; "" for none */
  const char *doc;  /* one-line description */
  double def;       /* default for BOOL/INT/DOUBLE */
  double min,
      max; /* inclusive range for INT/DOUBLE/MAP_DOUBLE values; also list length bounds for LIST */
  const char *def_str;           /* default for STRING/ENUM (enum: the name) */
  const char *const *enum_names; /* ENUM: NULL-terminated names; value = index */
  const struct sch_schema *sub;  /* STRUCT and LIST: schema of the nested mapping */
  size_t count_offset;           /* LIST, MAP_DOUBLE, STRING_LIST: offset of the int count */
  const char *ref; /* key path of a list whose ids values must name, e.g. "industries" */
  int required;    /* 1: must be present (no default) */
} sch_field;

/* Semantic check run after binding; report problems with sch_report(). */
typedef void (*sch_check_fn)(const void *obj, struct sch_ctx *ctx);

typedef struct sch_schema {
  const char *name; /* for messages, e.g. "industry" */
  const sch_field *fields;
  size_t nfields;
  size_t size;        /* sizeof the bound struct */
  sch_check_fn check; /* optional, may be NULL */
} sch_schema;

/* Report a semantic error on field KEY of the object being checked (the
 * position printed is that key's, or the object's when KEY is NULL). */
void sch_report(struct sch_ctx *ctx, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Root-level lookup for checks: the bound root object (the whole scenario). */
const void *sch_root(const struct sch_ctx *ctx);

#define SCH_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Field builders for schema tables: ST the bound struct, K the member (and
 * YAML key), U its unit, D the default, LO..HI the range, DOC one line. */
/* clang-format off */
#define SCHF_NUM(st, k, ty, u, d, lo, hi, doc_)                                                  \
  {.key = #k, .type = ty, .offset = offsetof(st, k), .unit = u, .doc = doc_, .def = d,           \
   .min = lo, .max = hi}
#define SCHF_DBL(st, k, u, d, lo, hi, doc_) SCHF_NUM(st, k, SCH_DOUBLE, u, d, lo, hi, doc_)
#define SCHF_INT(st, k, u, d, lo, hi, doc_) SCHF_NUM(st, k, SCH_INT, u, d, lo, hi, doc_)
#define SCHF_BOOL(st, k, d, doc_) SCHF_NUM(st, k, SCH_BOOL, "", d, 0, 1, doc_)
#define SCHF_REQDBL(st, k, u, doc_)                                                              \
  {.key = #k, .type = SCH_DOUBLE, .offset = offsetof(st, k), .unit = u, .doc = doc_, .required = 1}
#define SCHF_STR(st, k, d, doc_)                                                                 \
  {.key = #k, .type = SCH_STRING, .offset = offsetof(st, k), .unit = "", .doc = doc_, .def_str = d}
#define SCHF_REQSTR(st, k, doc_)                                                                 \
  {.key = #k, .type = SCH_STRING, .offset = offsetof(st, k), .unit = "", .doc = doc_, .required = 1}
#define SCHF_REFSTR(st, k, refp, doc_)                                                           \
  {.key = #k, .type = SCH_STRING, .offset = offsetof(st, k), .unit = "", .doc = doc_,            \
   .required = 1, .ref = refp}
#define SCHF_ENUM(st, k, names, d, doc_)                                                         \
  {.key = #k, .type = SCH_ENUM, .offset = offsetof(st, k), .unit = "", .doc = doc_,              \
   .def_str = d, .enum_names = names}
#define SCHF_KVMAP(st, k, cnt, u, lo, hi, refp, doc_)                                            \
  {.key = #k, .type = SCH_MAP_DOUBLE, .offset = offsetof(st, k),                                 \
   .count_offset = offsetof(st, cnt), .unit = u, .doc = doc_, .min = lo, .max = hi, .ref = refp}
#define SCHF_STRLIST(st, k, cnt, refp, doc_)                                                     \
  {.key = #k, .type = SCH_STRING_LIST, .offset = offsetof(st, k),                                \
   .count_offset = offsetof(st, cnt), .unit = "", .doc = doc_, .ref = refp}
#define SCHF_SUB(st, k, schema, doc_)                                                            \
  {.key = #k, .type = SCH_STRUCT, .offset = offsetof(st, k), .unit = "", .doc = doc_,            \
   .sub = &schema}
/* a list of LO..HI mappings; REQ: must be present */
#define SCHF_LIST(st, k, cnt, schema, lo, hi, req, doc_)                                         \
  {.key = #k, .type = SCH_LIST, .offset = offsetof(st, k), .count_offset = offsetof(st, cnt),    \
   .unit = "", .doc = doc_, .sub = &schema, .min = lo, .max = hi, .required = req}
#define SCHF_SCHEMA(nm, st, arr, chk)                                                            \
  {.name = nm, .fields = arr, .nfields = SCH_COUNT(arr), .size = sizeof(st), .check = chk}
/* clang-format on */

#endif
