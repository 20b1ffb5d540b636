/* cfg_emit: writes a bound scenario back as YAML (cfg_emit) and documents a
 * schema as a Markdown table (cfg_print_reference); public API in
 * config/config.h.
 *
 * Invariants of the emitted text: it is read back by cfg_load_string into
 * an identical struct: every field is written (block style, 2-space
 * indent, list items "- "); strings are always double-quoted with escapes
 * (NULL strings as ~); doubles use the shortest %.15g/%.16g/%.17g that reads
 * back exactly; numeric fields carry a "# unit" comment.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "config/cfg_bind.h"
#include "config/cfg_util.h"
#include "config/config.h"

#define CFG_DOC_DEPTH 16 /* guard against recursive schemas in the reference */

/* ---- YAML emitter ---------------------------------------------------- */

static void cfg_emit_struct(cfg_buf *b, const sch_schema *s, const char *obj, int indent);

static void cfg_emit_quoted(cfg_buf *b, const char *s) {
  char esc[8];
  cfg_buf_puts(b, "\"");
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\')
      snprintf(esc, sizeof esc, "\\%c", *p);
    else if (*p == '\n')
      snprintf(esc, sizeof esc, "\\n");
    else if (*p == '\t')
      snprintf(esc, sizeof esc, "\\t");
    else if (*p < 0x20 || *p == 0x7f)
      snprintf(esc, sizeof esc, "\\x%02X", *p);
    else
      esc[0] = (char)*p, esc[1] = '\0';
    cfg_buf_puts(b, esc);
  }
  cfg_buf_puts(b, "\"");
}

static void cfg_emit_string(cfg_buf *b, const char *s) {
  if (s)
    cfg_emit_quoted(b, s);
  else
    cfg_buf_puts(b, "~");
}

static void cfg_emit_double(cfg_buf *b, double v) {
  char num[CFG_NUM_LEN];
  cfg_fmt_double(v, num);
  cfg_buf_puts(b, num);
}

static void cfg_emit_unit(cfg_buf *b, const sch_field *f) {
  if (f->unit && f->unit[0]) cfg_buf_printf(b, "  # %s", f->unit);
}

/* Enum names are written plain when they are identifiers. */
static void cfg_emit_enum(cfg_buf *b, const sch_field *f, int idx) {
  int n = 0;
  while (f->enum_names && f->enum_names[n]) n++;
  if (idx < 0 || idx >= n) {
    cfg_buf_puts(b, "~");
    return;
  }
  const char *name = f->enum_names[idx];
  int plain =
      (name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z') || name[0] == '_';
  for (const char *p = name; *p && plain; p++)
    plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '_' || *p == '-';
  if (plain && strcasecmp(name, "null") != 0)
    cfg_buf_puts(b, name);
  else
    cfg_emit_quoted(b, name);
}

static void cfg_emit_list(cfg_buf *b, const sch_field *f, const char *obj, int indent) {
  const char *items = *(char *const *)(obj + f->offset);
  int n = *(const int *)(obj + f->count_offset);
  if (n <= 0 || !items) {
    cfg_buf_puts(b, " []\n");
    return;
  }
  cfg_buf_puts(b, "\n");
  for (int i = 0; i < n; i++) {
    size_t start = b->len;
    if (f->sub->nfields == 0) {
      cfg_buf_printf(b, "%*s- {}\n", indent + 2, "");
      continue;
    }
    cfg_emit_struct(b, f->sub, items + (size_t)i * f->sub->size, indent + 4);
    if (!b->oom) b->s[start + (size_t)indent + 2] = '-';
  }
}

static void cfg_emit_map(cfg_buf *b, const sch_field *f, const char *obj, int indent) {
  const sch_kv *kv = *(sch_kv *const *)(obj + f->offset);
  int n = *(const int *)(obj + f->count_offset);
  if (n <= 0 || !kv) {
    cfg_buf_puts(b, " {}\n");
    return;
  }
  cfg_buf_puts(b, "\n");
  for (int i = 0; i < n; i++) {
    cfg_buf_printf(b, "%*s", indent + 2, "");
    cfg_emit_string(b, kv[i].key);
    cfg_buf_puts(b, ": ");
    cfg_emit_double(b, kv[i].value);
    cfg_emit_unit(b, f);
    cfg_buf_puts(b, "\n");
  }
}

static void cfg_emit_strings(cfg_buf *b, const sch_field *f, const char *obj) {
  char *const *s = *(char **const *)(obj + f->offset);
  int n = *(const int *)(obj + f->count_offset);
  cfg_buf_puts(b, " [");
  for (int i = 0; s && i < n; i++) {
    if (i) cfg_buf_puts(b, ", ");
    cfg_emit_string(b, s[i]);
  }
  cfg_buf_puts(b, "]");
}

static void cfg_emit_sub(cfg_buf *b, const sch_schema *sub, const char *obj, int indent) {
  if (sub->nfields == 0) {
    cfg_buf_puts(b, " {}\n");
    return;
  }
  cfg_buf_puts(b, "\n");
  cfg_emit_struct(b, sub, obj, indent + 2);
}

static void cfg_emit_field(cfg_buf *b, const sch_field *f, const char *obj, int indent) {
  const char *p = obj + f->offset;
  cfg_buf_printf(b, "%*s%s:", indent, "", f->key);
  switch (f->type) {
  case SCH_BOOL:
    cfg_buf_puts(b, *(const int *)p ? " true" : " false");
    break;
  case SCH_INT:
    cfg_buf_printf(b, " %d", *(const int *)p);
    cfg_emit_unit(b, f);
    break;
  case SCH_DOUBLE:
    cfg_buf_puts(b, " ");
    cfg_emit_double(b, *(const double *)p);
    cfg_emit_unit(b, f);
    break;
  case SCH_STRING:
    cfg_buf_puts(b, " ");
    cfg_emit_string(b, *(char *const *)p);
    break;
  case SCH_ENUM:
    cfg_buf_puts(b, " ");
    cfg_emit_enum(b, f, *(const int *)p);
    break;
  case SCH_STRUCT:
    cfg_emit_sub(b, f->sub, p, indent);
    return;
  case SCH_LIST:
    cfg_emit_list(b, f, obj, indent);
    return;
  case SCH_MAP_DOUBLE:
    cfg_emit_map(b, f, obj, indent);
    return;
  case SCH_STRING_LIST:
    cfg_emit_strings(b, f, obj);
    break;
  }
  cfg_buf_puts(b, "\n");
}

static void cfg_emit_struct(cfg_buf *b, const sch_schema *s, const char *obj, int indent) {
  for (size_t i = 0; i < s->nfields; i++) cfg_emit_field(b, &s->fields[i], obj, indent);
}

char *cfg_emit(const sch_schema *root, const void *obj) {
  cfg_buf b = {0};
  cfg_buf_printf(&b, "# %s: resolved scenario (every field, defaults filled in)\n",
                 root->name ? root->name : "scenario");
  if (root->nfields == 0) cfg_buf_puts(&b, "{}\n");
  cfg_emit_struct(&b, root, obj, 0);
  return cfg_buf_take(&b);
}

/* ---- Markdown reference ---------------------------------------------- */

/* Writes S with '|' escaped and line breaks as spaces (table-cell safe). */
static void cfg_md(FILE *fp, const char *s) {
  for (; s && *s; s++) {
    if (*s == '|')
      fputs("\\|", fp);
    else if (*s == '\n' || *s == '\r')
      fputc(' ', fp);
    else
      fputc(*s, fp);
  }
}

static void cfg_doc_type(const sch_field *f, char *buf, size_t len) {
  char names[512];
  size_t n = 0;
  const char *name = f->sub && f->sub->name ? f->sub->name : "mapping";
  switch (f->type) {
  case SCH_BOOL:
    snprintf(buf, len, "bool");
    break;
  case SCH_INT:
    snprintf(buf, len, "int");
    break;
  case SCH_DOUBLE:
    snprintf(buf, len, "number");
    break;
  case SCH_STRING:
    if (f->ref)
      snprintf(buf, len, "string: id in `%s`", f->ref);
    else
      snprintf(buf, len, "string");
    break;
  case SCH_ENUM:
    while (f->enum_names && f->enum_names[n]) n++;
    cfg_join((const char *const *)f->enum_names, n, names, sizeof names);
    snprintf(buf, len, "enum: %s", names);
    break;
  case SCH_STRUCT:
    snprintf(buf, len, "mapping (%s)", name);
    break;
  case SCH_LIST:
    snprintf(buf, len, "list of %s", name);
    break;
  case SCH_MAP_DOUBLE:
    if (f->ref)
      snprintf(buf, len, "map: id in `%s` -> number", f->ref);
    else
      snprintf(buf, len, "map: key -> number");
    break;
  case SCH_STRING_LIST:
    if (f->ref)
      snprintf(buf, len, "list of ids in `%s`", f->ref);
    else
      snprintf(buf, len, "list of strings");
    break;
  }
}

static void cfg_doc_default(const sch_field *f, char *buf, size_t len) {
  char num[CFG_NUM_LEN];
  buf[0] = '\0';
  if (f->required) {
    snprintf(buf, len, "*required*");
    return;
  }
  switch (f->type) {
  case SCH_BOOL:
    snprintf(buf, len, "%s", f->def != 0 ? "true" : "false");
    break;
  case SCH_INT:
  case SCH_DOUBLE:
    cfg_fmt_double(f->def, num);
    snprintf(buf, len, "%s", num);
    break;
  case SCH_STRING:
    if (f->def_str)
      snprintf(buf, len, "\"%s\"", f->def_str);
    else
      snprintf(buf, len, "(none)");
    break;
  case SCH_ENUM:
    snprintf(buf, len, "%s", f->def_str ? f->def_str : f->enum_names ? f->enum_names[0] : "");
    break;
  case SCH_LIST:
  case SCH_MAP_DOUBLE:
  case SCH_STRING_LIST:
    snprintf(buf, len, "empty");
    break;
  case SCH_STRUCT:
    break;
  }
}

static void cfg_doc_range(const sch_field *f, char *buf, size_t len) {
  buf[0] = '\0';
  if (f->type == SCH_INT || f->type == SCH_DOUBLE || f->type == SCH_MAP_DOUBLE)
    cfg_range(f, buf, len);
  else if (f->type == SCH_LIST && f->max > 0)
    snprintf(buf, len, "%g to %g items", f->min, f->max);
}

static void cfg_doc_row(FILE *fp, const sch_field *f, const char *key) {
  char type[640], def[256], range[128];
  cfg_doc_type(f, type, sizeof type);
  cfg_doc_default(f, def, sizeof def);
  cfg_doc_range(f, range, sizeof range);
  fputs("| `", fp);
  cfg_md(fp, key);
  fputs("`", fp);
  const char *cells[] = {type, f->unit, def, range, f->doc};
  for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
    fputs(" | ", fp);
    cfg_md(fp, cells[i]);
  }
  fputs(" |\n", fp);
}

/* Appends S to the key path KEY (LEN chars, CFG_PATH_MAX bytes); new length. */
static size_t cfg_doc_append(char *key, size_t len, const char *s) {
  int n = snprintf(key + len, CFG_PATH_MAX - len, "%s", s);
  size_t out = len + (n > 0 ? (size_t)n : 0);
  return out < CFG_PATH_MAX ? out : CFG_PATH_MAX - 1;
}

/* Rows for the fields of S; KEY holds the LEN-character path prefix. */
static void cfg_doc_struct(FILE *fp, const sch_schema *s, char *key, size_t len, int depth) {
  if (depth > CFG_DOC_DEPTH) return;
  for (size_t i = 0; i < s->nfields; i++) {
    const sch_field *f = &s->fields[i];
    size_t klen = cfg_doc_append(key, len, f->key);
    cfg_doc_row(fp, f, key);
    if (f->type == SCH_STRUCT || f->type == SCH_LIST) {
      size_t sub = cfg_doc_append(key, klen, f->type == SCH_STRUCT ? "." : "[].");
      cfg_doc_struct(fp, f->sub, key, sub, depth + 1);
    }
    key[len] = '\0';
  }
}

void cfg_print_reference(const sch_schema *root, void *file) {
  FILE *fp = file;
  fputs("| Key | Type | Unit | Default | Range | Description |\n", fp);
  fputs("|---|---|---|---|---|---|\n", fp);
  char key[CFG_PATH_MAX] = "";
  cfg_doc_struct(fp, root, key, 0, 0);
}
