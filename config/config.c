/* config: scenario loading pipeline (public API of config/config.h): read the
 * file (or embedded text) -> parse into a positioned tree (cfg_tree) ->
 * resolve `extends:` chains and merge (cfg_merge) -> apply --set overrides
 * (cfg_set) -> bind, check ids/refs, run hooks (cfg_bind) -> emit the
 * resolved YAML (cfg_emit). Also cfg_free.
 *
 * Semantics (the reference for the README):
 *  - YAML subset: one document whose root is a mapping. Anchors (&a),
 *    aliases (*a), explicit tags (!!str) and merge keys (<<) are rejected
 *    with a message; duplicate keys are errors at the second occurrence.
 *    Limits: CFG_MAX_INPUT bytes (16 MiB), CFG_MAX_DEPTH (64) nesting
 *    levels, CFG_MAX_NODES (1e6) nodes per file.
 *  - Scalars: numbers are plain (unquoted) decimal literals, e.g. 3, -2.5,
 *    .5, 1e6 (leading zeros are decimal; no hex, octal, 1_000 or .inf);
 *    an int field takes any integral number (1e3 = 1000); infinities and
 *    NaN are rejected. Booleans are exactly true or false (no yes/no/on).
 *    Null is a plain "", ~, null, Null or NULL. A quoted value is always a
 *    string ("5" is not a number). String fields take any non-null scalar;
 *    null gives a NULL string (allowed unless required). Enum fields take
 *    one of the names, case-sensitive.
 *  - Containers: null for a struct, list, map or string list means empty
 *    (a struct then gets its defaults). Absent fields get their defaults;
 *    an absent list is empty, which fails when its length range (max > 0)
 *    has min > 0. A numeric field with min == max == 0 is unbounded.
 *  - `extends: NAME` (root key only, a string): NAME is read relative to the
 *    extending file's directory (absolute paths as given); when no such file
 *    exists (ENOENT) the embedded scenario NAME is used; an embedded
 *    scenario's own `extends` only looks among embedded scenarios. Other read
 *    errors (permissions, directories) are errors, not fallbacks. Chains are
 *    limited to CFG_MAX_EXTENDS bases; a cycle is reported with the chain
 *    ("a.yaml -> b.yaml -> a.yaml"). Merge rules: config/cfg_merge.h. The root
 *    key `extends` is therefore reserved.
 *  - cfg_load_string resolves relative `extends` against the directory of
 *    NAME ("." when NAME has no '/'). Embedded texts are named
 *    "<embedded>/NAME" in messages.
 *  - --set overrides apply in order after merging: config/cfg_set.h.
 *  - Messages: "FILE:LINE:COLUMN: KEY.PATH: what" (1-based line and column
 *    of the offending value, or of the key for unknown keys, or of the
 *    enclosing mapping for missing keys); list items appear in paths by id
 *    ("industries.nev.markup") or else by index ("tags[2]"). Up to
 *    CFG_MAX_ERRORS binding/check errors are reported, one per line; parse,
 *    extends, merge and --set errors stop at the first.
 *  - Numbers are parsed and printed in the C locale's format (strtod,
 *    printf): the process must not switch LC_NUMERIC.
 *
 * Invariants: all tree memory and file names live in the loader (tree +
 * pool) and are released before returning; on failure the output struct is
 * freed with cfg_free and zeroed, and *resolved stays NULL.
 */
#include "config/config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config/cfg_bind.h"
#include "config/cfg_merge.h"
#include "config/cfg_set.h"
#include "config/cfg_tree.h"
#include "config/embedded.h"

#define CFG_MAX_EXTENDS 16 /* bases below the loaded file */

static const nqp_embedded_file *cfg_embedded_table; /* NULL: nqp_embedded */

void cfg_set_embedded(const struct nqp_embedded_file *table) {
  cfg_embedded_table = table;
}

static const nqp_embedded_file *cfg_table(void) {
  return cfg_embedded_table ? cfg_embedded_table : nqp_embedded;
}

static const char *cfg_embedded_find(const char *name) {
  for (const nqp_embedded_file *f = cfg_table(); f->name; f++)
    if (strcmp(f->name, name) == 0) return f->text;
  return NULL;
}

/* ---- sources --------------------------------------------------------- */

typedef struct cfg_source {
  const char *name; /* for messages (pool) */
  const char *id;   /* identity for cycle detection (pool) */
  const char *dir;  /* base of relative extends (pool); NULL: embedded only */
  const char *text;
  size_t len;
  char *owned; /* heap text to free, or NULL */
} cfg_source;

typedef struct cfg_loader {
  cfg_pool pool;
  cfg_err err;
  const char *chain[CFG_MAX_EXTENDS + 2]; /* names of the sources being resolved */
  const char *chain_id[CFG_MAX_EXTENDS + 2];
  int depth;
} cfg_loader;

/* Reads PATH whole (NUL-terminated); 0 or an errno value. */
static int cfg_read_file(const char *path, char **text, size_t *len) {
  struct stat st;
  FILE *f = fopen(path, "rb");
  if (!f) return errno;
  if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
    fclose(f);
    return EISDIR;
  }
  char *buf = NULL;
  size_t n = 0, cap = 0;
  int rc = 0;
  for (;;) {
    if (n + 1 >= cap) {
      size_t cap2 = cap ? 2 * cap : 65536;
      char *p = n > CFG_MAX_INPUT ? NULL : realloc(buf, cap2);
      if (!p) {
        rc = n > CFG_MAX_INPUT ? EFBIG : ENOMEM;
        break;
      }
      buf = p;
      cap = cap2;
    }
    size_t k = fread(buf + n, 1, cap - n - 1, f);
    n += k;
    if (k == 0) {
      rc = ferror(f) ? EIO : (n > CFG_MAX_INPUT ? EFBIG : 0);
      break;
    }
  }
  fclose(f);
  if (rc) {
    free(buf);
    return rc;
  }
  buf[n] = '\0';
  *text = buf;
  *len = n;
  return 0;
}

static const char *cfg_dirname(cfg_pool *p, const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return cfg_pool_printf(p, ".");
  if (slash == path) return cfg_pool_printf(p, "/");
  return cfg_pool_printf(p, "%.*s", (int)(slash - path), path);
}

static int cfg_source_file(cfg_loader *L, const char *path, cfg_source *src) {
  memset(src, 0, sizeof *src);
  int rc = cfg_read_file(path, &src->owned, &src->len);
  if (rc) return rc;
  char *real = realpath(path, NULL);
  src->text = src->owned;
  src->name = cfg_pool_printf(&L->pool, "%s", path);
  src->id = cfg_pool_printf(&L->pool, "%s", real ? real : path);
  src->dir = cfg_dirname(&L->pool, path);
  free(real);
  return src->name && src->id && src->dir ? 0 : ENOMEM;
}

/* 0, or -1 when NAME is not embedded (or on allocation failure). */
static int cfg_source_embedded(cfg_loader *L, const char *name, cfg_source *src) {
  memset(src, 0, sizeof *src);
  src->text = cfg_embedded_find(name);
  if (!src->text) return -1;
  src->len = strlen(src->text);
  src->name = cfg_pool_printf(&L->pool, "<embedded>/%s", name);
  src->id = src->name;
  return src->name ? 0 : -1;
}

static void cfg_embedded_hint(const char *name, char *buf, size_t len) {
  size_t n = 0;
  const nqp_embedded_file *t = cfg_table();
  while (t[n].name) n++;
  const char **names = malloc((n + 1) * sizeof *names);
  buf[0] = '\0';
  if (!names) return;
  for (size_t i = 0; i < n; i++) names[i] = t[i].name;
  cfg_hint(name, names, n, 1, buf, len);
  free(names);
}

/* ---- extends --------------------------------------------------------- */

static int cfg_resolve(cfg_loader *L, const cfg_source *src, cfg_node **out);

static const char *cfg_join_path(cfg_pool *p, const char *dir, const char *name) {
  if (name[0] == '/' || strcmp(dir, ".") == 0) return cfg_pool_printf(p, "%s", name);
  return cfg_pool_printf(p, "%s%s%s", dir, strcmp(dir, "/") ? "/" : "", name);
}

static int cfg_open_base(cfg_loader *L, const cfg_source *src, const char *name, const cfg_pos *pos,
                         cfg_source *base) {
  const char *path = src->dir ? cfg_join_path(&L->pool, src->dir, name) : NULL;
  char hint[640];
  if (path) {
    int rc = cfg_source_file(L, path, base);
    if (rc == 0) return 0;
    free(base->owned);
    base->owned = NULL;
    if (rc != ENOENT) {
      cfg_error(&L->err, pos, "extends", "cannot read \"%s\": %s", path, strerror(rc));
      return -1;
    }
  }
  if (cfg_source_embedded(L, name, base) == 0) return 0;
  cfg_embedded_hint(name, hint, sizeof hint);
  if (path)
    cfg_error(&L->err, pos, "extends",
              "cannot find \"%s\": no file %s and no embedded scenario of that name%s", name, path,
              hint);
  else
    cfg_error(&L->err, pos, "extends", "no embedded scenario \"%s\"%s", name, hint);
  return -1;
}

static int cfg_check_cycle(cfg_loader *L, const cfg_source *base, const cfg_pos *pos) {
  char chain[2048];
  size_t used = 0;
  int found = 0;
  for (int i = 0; i < L->depth; i++) found |= strcmp(L->chain_id[i], base->id) == 0;
  if (!found) return 0;
  chain[0] = '\0';
  for (int i = 0; i < L->depth && used < sizeof chain; i++) {
    int k = snprintf(chain + used, sizeof chain - used, "%s -> ", L->chain[i]);
    if (k > 0) used += (size_t)k;
  }
  if (used < sizeof chain) snprintf(chain + used, sizeof chain - used, "%s", base->name);
  cfg_error(&L->err, pos, "extends", "cycle: %s", chain);
  return -1;
}

/* Loads and resolves the base named by BASE_NAME of SRC into *TREE. */
static int cfg_load_base(cfg_loader *L, const cfg_source *src, const char *base_name,
                         const cfg_pos *pos, cfg_node **tree) {
  cfg_source base;
  if (L->depth > CFG_MAX_EXTENDS) {
    cfg_error(&L->err, pos, "extends", "more than %d levels of extends", CFG_MAX_EXTENDS);
    return -1;
  }
  if (cfg_open_base(L, src, base_name, pos, &base)) return -1;
  int rc = cfg_check_cycle(L, &base, pos);
  if (rc == 0) {
    L->chain[L->depth] = base.name;
    L->chain_id[L->depth++] = base.id;
    rc = cfg_resolve(L, &base, tree);
    L->depth--;
  }
  free(base.owned);
  return rc;
}

/* Removes `extends` from TREE and loads the base into *BASE (NULL if none). */
static int cfg_extends(cfg_loader *L, const cfg_source *src, cfg_node *tree, cfg_node **base) {
  cfg_entry *en = cfg_map_find(tree, "extends");
  char found[96];
  *base = NULL;
  if (!en) return 0;
  cfg_pos pos = en->val->pos;
  if (en->val->kind != CFG_SCALAR || cfg_is_null(en->val)) {
    cfg_describe(en->val, found, sizeof found);
    cfg_error(&L->err, &pos, "extends", "expected the name of a scenario file, found %s", found);
    return -1;
  }
  const char *name = cfg_pool_printf(&L->pool, "%s", en->val->text);
  cfg_map_remove(tree, (size_t)(en - tree->entries));
  if (!name) {
    cfg_error(&L->err, &pos, "extends", "out of memory");
    return -1;
  }
  return cfg_load_base(L, src, name, &pos, base);
}

static int cfg_parse_source(cfg_loader *L, const cfg_source *src, cfg_node **tree) {
  cfg_pos pos = {src->name, 1, 1};
  char found[96];
  if (cfg_tree_parse(src->text, src->len, src->name, 0, tree, &L->err)) return -1;
  if (!*tree) {
    cfg_error(&L->err, &pos, NULL, "empty file: expected a mapping of scenario settings");
    return -1;
  }
  if ((*tree)->kind == CFG_MAP) return 0;
  cfg_describe(*tree, found, sizeof found);
  cfg_error(&L->err, &(*tree)->pos, NULL,
            "expected a mapping of scenario settings at the top level, found %s", found);
  cfg_node_free(*tree);
  *tree = NULL;
  return -1;
}

static int cfg_resolve(cfg_loader *L, const cfg_source *src, cfg_node **out) {
  cfg_node *tree = NULL, *base = NULL;
  cfg_path path;
  *out = NULL;
  if (cfg_parse_source(L, src, &tree)) return -1;
  if (cfg_extends(L, src, tree, &base)) {
    cfg_node_free(tree);
    return -1;
  }
  if (!base) {
    *out = tree;
    return 0;
  }
  cfg_path_init(&path);
  if (cfg_merge(&base, tree, &path, &L->err)) {
    cfg_node_free(base);
    return -1;
  }
  *out = base;
  return 0;
}

/* ---- pipeline -------------------------------------------------------- */

static int cfg_run(const sch_schema *root, cfg_loader *L, const cfg_source *src,
                   const char *const *sets, size_t nsets, void *out, char **resolved) {
  cfg_node *tree = NULL;
  int rc = -1;
  L->chain[0] = src->name;
  L->chain_id[0] = src->id;
  L->depth = 1;
  if (cfg_resolve(L, src, &tree)) goto done;
  for (size_t i = 0; i < nsets; i++)
    if (cfg_set_apply(root, tree, sets[i], &L->pool, &L->err)) goto done;
  if (cfg_bind(root, tree, out, &L->err)) goto done;
  if (resolved && !(*resolved = cfg_emit(root, out))) {
    cfg_error(&L->err, NULL, NULL, "%s: out of memory while emitting", src->name);
    goto done;
  }
  rc = 0;
done:
  cfg_node_free(tree);
  return rc;
}

static void cfg_loader_init(cfg_loader *L, const sch_schema *root, void *out, char **resolved,
                            char *err, size_t errlen) {
  memset(L, 0, sizeof *L);
  cfg_err_init(&L->err, err, errlen);
  if (resolved) *resolved = NULL;
  memset(out, 0, root->size);
}

static int cfg_loader_finish(cfg_loader *L, const sch_schema *root, void *out, int rc) {
  if (rc) {
    cfg_free(root, out);
    memset(out, 0, root->size);
    if (L->err.count == 0) cfg_error(&L->err, NULL, NULL, "loading failed");
  }
  cfg_pool_free(&L->pool);
  return rc;
}

int cfg_load(const sch_schema *root, const char *path, const char *default_name,
             const char *const *sets, size_t nsets, void *out, char **resolved, char *err,
             size_t errlen) {
  cfg_loader L;
  cfg_source src = {0};
  int rc = -1;
  cfg_loader_init(&L, root, out, resolved, err, errlen);
  if (path) {
    int e = cfg_source_file(&L, path, &src);
    if (e) {
      cfg_error(&L.err, NULL, NULL, "%s: cannot read: %s", path, strerror(e));
      goto done;
    }
  } else if (!default_name || cfg_source_embedded(&L, default_name, &src)) {
    cfg_error(&L.err, NULL, NULL, "no embedded scenario \"%s\"",
              default_name ? default_name : "(null)");
    goto done;
  }
  rc = cfg_run(root, &L, &src, sets, nsets, out, resolved);
done:
  free(src.owned);
  return cfg_loader_finish(&L, root, out, rc);
}

int cfg_load_string(const sch_schema *root, const char *name, const char *text,
                    const char *const *sets, size_t nsets, void *out, char **resolved, char *err,
                    size_t errlen) {
  cfg_loader L;
  cfg_source src = {0};
  int rc = -1;
  cfg_loader_init(&L, root, out, resolved, err, errlen);
  name = name ? name : "<string>";
  char *real = realpath(name, NULL);
  src.name = cfg_pool_printf(&L.pool, "%s", name);
  src.id = real ? cfg_pool_printf(&L.pool, "%s", real) : src.name;
  src.dir = cfg_dirname(&L.pool, name);
  src.text = text ? text : "";
  src.len = strlen(src.text);
  free(real);
  if (!src.name || !src.id || !src.dir)
    cfg_error(&L.err, NULL, NULL, "%s: out of memory", name);
  else
    rc = cfg_run(root, &L, &src, sets, nsets, out, resolved);
  return cfg_loader_finish(&L, root, out, rc);
}

/* ---- freeing --------------------------------------------------------- */

static void cfg_free_struct(const sch_schema *s, char *obj);

static void cfg_free_list(const sch_field *f, char *obj) {
  char **items = (char **)(obj + f->offset);
  int *count = (int *)(obj + f->count_offset);
  for (int i = 0; *items && i < *count; i++)
    cfg_free_struct(f->sub, *items + (size_t)i * f->sub->size);
  free(*items);
  *items = NULL;
  *count = 0;
}

static void cfg_free_map(const sch_field *f, char *obj) {
  sch_kv **kv = (sch_kv **)(obj + f->offset);
  int *count = (int *)(obj + f->count_offset);
  for (int i = 0; *kv && i < *count; i++) free((*kv)[i].key);
  free(*kv);
  *kv = NULL;
  *count = 0;
}

static void cfg_free_strings(const sch_field *f, char *obj) {
  char ***s = (char ***)(obj + f->offset);
  int *count = (int *)(obj + f->count_offset);
  for (int i = 0; *s && i < *count; i++) free((*s)[i]);
  free(*s);
  *s = NULL;
  *count = 0;
}

static void cfg_free_struct(const sch_schema *s, char *obj) {
  for (size_t i = 0; i < s->nfields; i++) {
    const sch_field *f = &s->fields[i];
    char **str = (char **)(obj + f->offset);
    switch (f->type) {
    case SCH_STRING:
      free(*str);
      *str = NULL;
      break;
    case SCH_STRUCT:
      cfg_free_struct(f->sub, obj + f->offset);
      break;
    case SCH_LIST:
      cfg_free_list(f, obj);
      break;
    case SCH_MAP_DOUBLE:
      cfg_free_map(f, obj);
      break;
    case SCH_STRING_LIST:
      cfg_free_strings(f, obj);
      break;
    default:
      break;
    }
  }
}

void cfg_free(const sch_schema *root, void *obj) {
  if (root && obj) cfg_free_struct(root, obj);
}
