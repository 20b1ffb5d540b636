/* report_json: JSON text for `nqpsim report` (see report_priv.h): a
 * growable buffer, JSON strings and numbers, and generic HDF5 readers that
 * turn attributes, datasets and whole groups into JSON.
 *
 * The generic readers serve the parts of a file that the run readers of
 * output/runfile.c do not cover (3-D industry x region series,
 * /events, every dataset of a sweep results file).
 *
 * Invariants:
 *  - JSON strings escape '"', '\\', control characters and '<' (so the
 *    text never closes a <script> element); UTF-8 passes through;
 *  - numbers are written with 9 significant digits (enough for differences
 *    between runs at the precision of a chart), non-finite ones as null;
 *  - every HDF5 handle opened here is closed on every path, the HDF5
 *    error stack is cleared after expected failures, nothing is printed.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/h5util.h"
#include "output/report_priv.h"

/* ---- buffer ------------------------------------------------------------- */

void rpt_buf_free(rpt_buf *b) {
  free(b->p);
  memset(b, 0, sizeof *b);
}

static int rpt_reserve(rpt_buf *b, size_t extra) {
  size_t cap;
  char *p;
  if (b->oom) return -1;
  if (b->n + extra + 1 <= b->cap) return 0;
  cap = b->cap ? b->cap : 4096;
  while (cap < b->n + extra + 1) {
    if (cap > ((size_t)-1) / 2) return b->oom = 1, -1;
    cap *= 2;
  }
  if (!(p = realloc(b->p, cap))) return b->oom = 1, -1;
  b->p = p;
  b->cap = cap;
  return 0;
}

void rpt_putn(rpt_buf *b, const char *s, size_t n) {
  if (rpt_reserve(b, n) < 0) return;
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = 0;
}

void rpt_put(rpt_buf *b, const char *s) {
  rpt_putn(b, s, strlen(s));
}

void rpt_printf(rpt_buf *b, const char *fmt, ...) {
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0 || rpt_reserve(b, (size_t)n) < 0) return;
  va_start(ap, fmt);
  vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->n += (size_t)n;
}

/* ---- JSON values -------------------------------------------------------- */

void rpt_json_str(rpt_buf *b, const char *s) {
  const char *run;
  if (!s) {
    rpt_put(b, "null");
    return;
  }
  rpt_put(b, "\"");
  for (run = s; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c >= 0x20 && c != '"' && c != '\\' && c != '<') continue;
    rpt_putn(b, run, (size_t)(s - run));
    if (c == '"' || c == '\\')
      rpt_printf(b, "\\%c", c);
    else if (c == '\n')
      rpt_put(b, "\\n");
    else if (c == '\t')
      rpt_put(b, "\\t");
    else
      rpt_printf(b, "\\u%04x", c);
    run = s + 1;
  }
  rpt_putn(b, run, (size_t)(s - run));
  rpt_put(b, "\"");
}

void rpt_json_num(rpt_buf *b, double v) {
  if (!isfinite(v))
    rpt_put(b, "null");
  else if (v == floor(v) && fabs(v) < 1e15)
    rpt_printf(b, "%.0f", v);
  else
    rpt_printf(b, "%.9g", v);
}

void rpt_json_nums(rpt_buf *b, const double *v, size_t n, size_t stride) {
  rpt_put(b, "[");
  for (size_t i = 0; i < n; i++) {
    if (i) rpt_put(b, ",");
    rpt_json_num(b, v[i * stride]);
  }
  rpt_put(b, "]");
}

void rpt_json_key(rpt_buf *b, const char *key, int first) {
  if (!first) rpt_put(b, ",");
  rpt_json_str(b, key);
  rpt_put(b, ":");
}

int rpt_warn(rpt_warnings *w, const char *fmt, ...) {
  char line[1024];
  va_list ap;
  if (!w) return 0;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (w->n == w->cap) {
    size_t cap = w->cap ? 2 * w->cap : 8;
    char **v = realloc(w->v, cap * sizeof *v);
    if (!v) return -1;
    w->v = v;
    w->cap = cap;
  }
  if (!(w->v[w->n] = strdup(line))) return -1;
  w->n++;
  return 0;
}

/* ---- reading any dataset or attribute ----------------------------------- */

/* Variable-length strings read at a time (and most in one attribute). */
#define RPT_STR_BLOCK 64

/* Read N elements of string type FT from OBJ (a dataset, or an attribute
 * when ATTR) and write them as JSON strings separated by commas. */
static int rpt_read_strings(rpt_buf *b, hid_t obj, int attr, hid_t ft, hid_t space, size_t n) {
  int rc = -1;
  hid_t mt = H5I_INVALID_HID;
  if (H5Tis_variable_str(ft) > 0) {
    /* many elements may point to one long string of the heap: read in
     * blocks and charge the strings' lengths to the budget as they come */
    int rank = H5Sget_simple_extent_ndims(space);
    hsize_t dims[H5S_MAX_RANK], coords[RPT_STR_BLOCK * H5S_MAX_RANK], m;
    hid_t fs = H5I_INVALID_HID, ms = H5I_INVALID_HID;
    char *v[RPT_STR_BLOCK];
    if ((attr && n > RPT_STR_BLOCK) || rank < 0 ||
        H5Sget_simple_extent_dims(space, dims, NULL) < 0 || (mt = h5u_vlen_str_type()) < 0)
      goto vdone;
    rc = 0;
    for (size_t k = 0; rc == 0 && k < n; k += RPT_STR_BLOCK) {
      size_t cnt = n - k < RPT_STR_BLOCK ? n - k : RPT_STR_BLOCK;
      memset(v, 0, sizeof v);
      rc = -1;
      m = cnt;
      if (!attr && !h5u_vlen_sane(obj, k, cnt)) break; /* lengths beyond the file */
      if (attr || rank == 0) {
        if ((attr ? H5Aread(obj, mt, v) : H5Dread(obj, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, v)) < 0)
          break;
      } else {
        for (size_t e = 0; e < cnt; e++) /* row-major coordinates of element k + e */
          for (size_t q = k + e, d = (size_t)rank; d-- > 0; q /= (size_t)dims[d])
            coords[e * (size_t)rank + d] = q % (size_t)dims[d];
        if ((fs = H5Scopy(space)) < 0 || H5Sselect_elements(fs, H5S_SELECT_SET, cnt, coords) < 0 ||
            (ms = H5Screate_simple(1, &m, NULL)) < 0 ||
            H5Dread(obj, mt, ms, fs, H5P_DEFAULT, v) < 0) {
          h5u_close(&ms);
          h5u_close(&fs);
          break;
        }
      }
      rc = 0;
      for (size_t i = 0; i < cnt; i++) {
        size_t len = v[i] ? strlen(v[i]) : 0;
        if (rc == 0 && len > 16 && h5u_budget_take(len, "", "strings") < 0) rc = -1;
        if (rc < 0) continue;
        if (k + i) rpt_put(b, ",");
        rpt_json_str(b, v[i] ? v[i] : "");
      }
      H5Dvlen_reclaim(mt, ms >= 0 ? ms : space, H5P_DEFAULT, v);
      h5u_close(&ms);
      h5u_close(&fs);
    }
  vdone:;
  } else {
    size_t sz = H5Tget_size(ft), total;
    char *v = NULL;
    if (sz == 0 || sz > ((size_t)1 << 20) || h5u_mul(n ? n : 1, sz + 1, &total) < 0 ||
        !(v = calloc(total, 1)) || (mt = H5Tcopy(H5T_C_S1)) < 0 || H5Tset_size(mt, sz + 1) < 0)
      goto fdone;
    if ((attr ? H5Aread(obj, mt, v) : H5Dread(obj, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, v)) < 0)
      goto fdone;
    for (size_t i = 0; i < n; i++) {
      if (i) rpt_put(b, ",");
      rpt_json_str(b, v + i * (sz + 1));
    }
    rc = 0;
  fdone:
    free(v);
  }
  h5u_close(&mt);
  return rc;
}

/* N numbers of OBJ as doubles, comma-separated. */
static int rpt_read_numbers(rpt_buf *b, hid_t obj, int attr, size_t n) {
  double *v = malloc((n ? n : 1) * sizeof *v);
  int rc = -1;
  if (v && (attr ? H5Aread(obj, H5T_NATIVE_DOUBLE, v)
                 : H5Dread(obj, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v)) >= 0) {
    for (size_t i = 0; i < n; i++) {
      if (i) rpt_put(b, ",");
      rpt_json_num(b, v[i]);
    }
    rc = 0;
  }
  free(v);
  return rc;
}

/* The elements of OBJ (type FT, shape SPACE, N elements) as a JSON array
 * of numbers or strings; `null` for other types. */
static int rpt_read_values(rpt_buf *b, hid_t obj, int attr, hid_t ft, hid_t space, size_t n) {
  H5T_class_t cls = H5Tget_class(ft);
  int rc;
  if (cls != H5T_STRING && cls != H5T_INTEGER && cls != H5T_FLOAT) {
    rpt_put(b, "null");
    return 0;
  }
  rpt_put(b, "[");
  rc = cls == H5T_STRING ? rpt_read_strings(b, obj, attr, ft, space, n)
                         : rpt_read_numbers(b, obj, attr, n);
  rpt_put(b, "]");
  return rc;
}

/* What reading N values of file type T costs the read budget: the memory
 * they take and (about) the JSON they become. */
static size_t rpt_value_bytes(hid_t t, size_t n) {
  size_t sz = H5Tget_class(t) == H5T_STRING && H5Tis_variable_str(t) <= 0 ? H5Tget_size(t) + 1 : 0;
  size_t per = (sz > sizeof(double) ? sz : sizeof(double)) * 2, total;
  return h5u_mul(n, per, &total) < 0 ? (size_t)-1 : total;
}

/* Shape of SPACE into DIMS/RANK and its element count into *N. */
static int rpt_shape(hid_t space, int *rank, hsize_t *dims, size_t *n) {
  *n = 1;
  if ((*rank = H5Sget_simple_extent_ndims(space)) < 0 || *rank > H5S_MAX_RANK ||
      H5Sget_simple_extent_dims(space, dims, NULL) < 0)
    return -1;
  for (int i = 0; i < *rank; i++)
    if (h5u_mul(*n, (size_t)dims[i], n) < 0) return -1;
  return 0;
}

static herr_t rpt_attr_cb(hid_t loc, const char *name, const H5A_info_t *info, void *data) {
  rpt_buf *b = data;
  hid_t a = H5I_INVALID_HID, t = H5I_INVALID_HID, sp = H5I_INVALID_HID;
  hsize_t dims[H5S_MAX_RANK];
  int rank = 0, first;
  size_t n = 0;
  if (b->oom || b->n == 0) return -1;
  first = b->p[b->n - 1] == '{';
  rpt_json_key(b, name, first);
  if ((a = H5Aopen(loc, name, H5P_DEFAULT)) < 0 || (t = H5Aget_type(a)) < 0 ||
      (sp = H5Aget_space(a)) < 0 || rpt_shape(sp, &rank, dims, &n) < 0 || n > 4096) {
    rpt_put(b, "null");
  } else {
    size_t mark = b->n;
    if (rpt_read_values(b, a, 1, t, sp, n) < 0) {
      b->n = mark;
      rpt_put(b, "null");
    } else if (rank == 0 && b->p[mark] == '[') { /* a scalar: drop the brackets */
      memmove(b->p + mark, b->p + mark + 1, b->n - mark - 2);
      b->n -= 2;
      b->p[b->n] = 0;
    }
  }
  h5u_close(&sp);
  h5u_close(&t);
  h5u_close(&a);
  H5Eclear2(H5E_DEFAULT);
  return 0;
}

int rpt_json_attrs(rpt_buf *b, hid_t obj) {
  hsize_t idx = 0;
  rpt_put(b, "{");
  if (H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_INC, &idx, rpt_attr_cb, b) < 0) {
    H5Eclear2(H5E_DEFAULT);
    return -1;
  }
  rpt_put(b, "}");
  return b->oom ? -1 : 0;
}

int rpt_json_dataset(rpt_buf *b, hid_t loc, const char *path, const char *file, rpt_warnings *w) {
  hid_t d = H5I_INVALID_HID, t = H5I_INVALID_HID, sp = H5I_INVALID_HID;
  hsize_t dims[H5S_MAX_RANK];
  int rank = 0, rc = -1;
  size_t n = 0;
  if (H5Lexists(loc, path, H5P_DEFAULT) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    rpt_put(b, "null");
    return 0;
  }
  if ((d = H5Dopen2(loc, path, H5P_DEFAULT)) < 0 || (t = H5Dget_type(d)) < 0 ||
      (sp = H5Dget_space(d)) < 0 || rpt_shape(sp, &rank, dims, &n) < 0) {
    h5u_h5err("%s: cannot read %s", file, path);
    goto cleanup;
  }
  if (n > RPT_MAX_ELEMENTS) {
    rpt_warn(w, "%s: %s has %zu values, more than a report embeds (%zu): left out", file, path, n,
             RPT_MAX_ELEMENTS);
    rpt_put(b, "null");
    rc = 0;
    goto cleanup;
  }
  if (h5u_budget_take(rpt_value_bytes(t, n), file, path) < 0) goto cleanup;
  rpt_put(b, "{\"shape\":[");
  for (int i = 0; i < rank; i++) rpt_printf(b, "%s%llu", i ? "," : "", (unsigned long long)dims[i]);
  rpt_put(b, "],\"data\":");
  if (rpt_read_values(b, d, 0, t, sp, n) < 0) {
    if (h5u_budget_exhausted())
      h5u_seterr("%s: %s: its strings exceed the read budget (%s=BYTES sets another)", file, path,
                 H5U_READ_BUDGET_ENV);
    else
      h5u_h5err("%s: cannot read %s (truncated or damaged?)", file, path);
    goto cleanup;
  }
  rpt_put(b, "}");
  rc = b->oom ? -1 : 0;
  if (b->oom) h5u_seterr("out of memory");
cleanup:
  h5u_close(&sp);
  h5u_close(&t);
  h5u_close(&d);
  H5Eclear2(H5E_DEFAULT);
  return rc;
}

/* The objects a walk of groups has entered (by file number and address),
 * shared by the recursion: a second link to one of them is a cycle (or a
 * crafted file reading one dataset many times) and refused. */
typedef struct rpt_seen {
  unsigned long fileno[RPT_MAX_OBJECTS];
  haddr_t addr[RPT_MAX_OBJECTS];
  size_t n;
} rpt_seen;

typedef struct rpt_group_ctx {
  rpt_buf *b;
  const char *path, *file;
  rpt_warnings *w;
  rpt_seen *seen;
  int depth, first, fail;
} rpt_group_ctx;

/* Record object OI as entered; -1 (message set) when it was already, or
 * when the walk has seen too many objects. */
static int rpt_enter(rpt_group_ctx *c, const H5O_info_t *oi, const char *full) {
  rpt_seen *s = c->seen;
  for (size_t i = 0; i < s->n; i++)
    if (s->addr[i] == oi->addr && s->fileno[i] == oi->fileno) {
      h5u_seterr("%s: %s links to an object already read (a link cycle or a repeated link; "
                 "nqpsim writes neither): refused",
                 c->file, full);
      return -1;
    }
  if (s->n == RPT_MAX_OBJECTS) {
    h5u_seterr("%s: %s: more than %d objects under one group: refused", c->file, full,
               RPT_MAX_OBJECTS);
    return -1;
  }
  s->fileno[s->n] = oi->fileno;
  s->addr[s->n++] = oi->addr;
  return 0;
}

static int rpt_walk_group(rpt_buf *b, hid_t g, const char *path, const char *file, rpt_warnings *w,
                          rpt_seen *seen, int depth);

static herr_t rpt_group_cb(hid_t loc, const char *name, const H5L_info_t *info, void *data) {
  rpt_group_ctx *c = data;
  H5O_info_t oi;
  char full[1024];
  hid_t g = H5I_INVALID_HID;
  snprintf(full, sizeof full, "%s/%s", c->path, name);
  if (info->type != H5L_TYPE_HARD) { /* soft or external: nqpsim writes none */
    h5u_seterr("%s: %s is a%s link (nqpsim writes none; a report follows no link out of the "
               "file or around it): refused",
               c->file, full, info->type == H5L_TYPE_SOFT ? " soft" : "n external");
    c->fail = 1;
    return -1;
  }
  if (H5Oget_info_by_name(loc, name, &oi, H5P_DEFAULT) < 0) {
    H5Eclear2(H5E_DEFAULT);
    return 0; /* unreadable: nothing to show */
  }
  if (oi.type != H5O_TYPE_DATASET && oi.type != H5O_TYPE_GROUP) return 0;
  if (rpt_enter(c, &oi, full) < 0) {
    c->fail = 1;
    return -1;
  }
  rpt_json_key(c->b, name, c->first);
  c->first = 0;
  if (oi.type == H5O_TYPE_DATASET) {
    c->fail = rpt_json_dataset(c->b, loc, name, c->file, c->w) < 0;
  } else if (c->depth + 1 >= H5U_MAX_DEPTH) {
    h5u_seterr("%s: %s: groups nested more than %d deep: refused", c->file, full, H5U_MAX_DEPTH);
    c->fail = 1;
  } else if ((g = H5Gopen2(loc, name, H5P_DEFAULT)) < 0) {
    h5u_h5err("%s: cannot open group %s", c->file, full);
    c->fail = 1;
  } else {
    c->fail = rpt_walk_group(c->b, g, full, c->file, c->w, c->seen, c->depth + 1) < 0;
    h5u_close(&g);
  }
  return c->fail ? -1 : 0;
}

static int rpt_walk_group(rpt_buf *b, hid_t g, const char *path, const char *file, rpt_warnings *w,
                          rpt_seen *seen, int depth) {
  hsize_t idx = 0;
  rpt_group_ctx c = {b, path, file, w, seen, depth, 1, 0};
  rpt_put(b, "{");
  if (H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, &idx, rpt_group_cb, &c) < 0 && !c.fail) {
    h5u_h5err("%s: cannot list group %s", file, path);
    c.fail = 1;
  }
  rpt_put(b, "}");
  H5Eclear2(H5E_DEFAULT);
  return c.fail || b->oom ? -1 : 0;
}

int rpt_json_group(rpt_buf *b, hid_t loc, const char *path, const char *file, rpt_warnings *w) {
  hid_t g = H5I_INVALID_HID;
  H5L_info_t li;
  H5O_info_t oi;
  rpt_seen *seen = NULL;
  int rc = -1;
  char full[1024];
  snprintf(full, sizeof full, "%s%s", path[0] == '/' ? "" : "/", path);
  if (H5Lexists(loc, path, H5P_DEFAULT) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    rpt_put(b, "null");
    return 0;
  }
  if (H5Lget_info(loc, path, &li, H5P_DEFAULT) < 0 || li.type != H5L_TYPE_HARD) {
    H5Eclear2(H5E_DEFAULT);
    h5u_seterr("%s: %s is not a group but a link (nqpsim writes none): refused", file, full);
    return -1;
  }
  if ((g = H5Gopen2(loc, path, H5P_DEFAULT)) < 0 || H5Oget_info(g, &oi) < 0) {
    h5u_h5err("%s: cannot open group %s", file, full);
    h5u_close(&g);
    return -1;
  }
  if (!(seen = calloc(1, sizeof *seen))) {
    h5u_seterr("out of memory");
  } else {
    rpt_group_ctx top = {b, full, file, w, seen, 0, 1, 0};
    if (rpt_enter(&top, &oi, full) == 0) rc = rpt_walk_group(b, g, full, file, w, seen, 0);
  }
  free(seen);
  h5u_close(&g);
  H5Eclear2(H5E_DEFAULT);
  return rc;
}

int rpt_check_complete(hid_t file, const char *path, const char *kind) {
  char *status = h5u_get_attr_str(file, "status");
  int ok = status && strcmp(status, "complete") == 0;
  if (!ok)
    h5u_seterr("%s: the %s is not complete (status \"%s\"): report only finished %ss", path, kind,
               status ? status : "missing", kind);
  free(status);
  return ok ? 0 : -1;
}
