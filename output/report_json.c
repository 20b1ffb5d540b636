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

/* Read N elements of string type FT from OBJ (a dataset, or an attribute
 * when ATTR) and write them as JSON strings separated by commas. */
static int rpt_read_strings(rpt_buf *b, hid_t obj, int attr, hid_t ft, hid_t space, size_t n) {
  int rc = -1;
  hid_t mt = H5I_INVALID_HID;
  if (H5Tis_variable_str(ft) > 0) {
    char **v = calloc(n ? n : 1, sizeof *v);
    if (!v || (mt = h5u_vlen_str_type()) < 0) goto vdone;
    if ((attr ? H5Aread(obj, mt, v) : H5Dread(obj, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, v)) < 0)
      goto vdone;
    for (size_t i = 0; i < n; i++) {
      if (i) rpt_put(b, ",");
      rpt_json_str(b, v[i] ? v[i] : "");
    }
    H5Dvlen_reclaim(mt, space, H5P_DEFAULT, v);
    rc = 0;
  vdone:
    free(v);
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
  rpt_put(b, "{\"shape\":[");
  for (int i = 0; i < rank; i++) rpt_printf(b, "%s%llu", i ? "," : "", (unsigned long long)dims[i]);
  rpt_put(b, "],\"data\":");
  if (rpt_read_values(b, d, 0, t, sp, n) < 0) {
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

typedef struct rpt_group_ctx {
  rpt_buf *b;
  const char *path, *file;
  rpt_warnings *w;
  int first, fail;
} rpt_group_ctx;

static herr_t rpt_group_cb(hid_t loc, const char *name, const H5L_info_t *info, void *data) {
  rpt_group_ctx *c = data;
  H5O_info_t oi;
  char full[1024];
  if (H5Oget_info_by_name(loc, name, &oi, H5P_DEFAULT) < 0) {
    H5Eclear2(H5E_DEFAULT);
    return 0; /* a dangling link: nothing to show */
  }
  snprintf(full, sizeof full, "%s/%s", c->path, name);
  if (oi.type == H5O_TYPE_DATASET) {
    rpt_json_key(c->b, name, c->first);
    c->fail = rpt_json_dataset(c->b, loc, name, c->file, c->w) < 0;
  } else if (oi.type == H5O_TYPE_GROUP) {
    rpt_json_key(c->b, name, c->first);
    c->fail = rpt_json_group(c->b, loc, name, c->file, c->w) < 0;
  } else {
    return 0;
  }
  c->first = 0;
  return c->fail ? -1 : 0;
}

int rpt_json_group(rpt_buf *b, hid_t loc, const char *path, const char *file, rpt_warnings *w) {
  hid_t g = H5I_INVALID_HID;
  hsize_t idx = 0;
  rpt_group_ctx c = {b, path, file, w, 1, 0};
  if (H5Lexists(loc, path, H5P_DEFAULT) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    rpt_put(b, "null");
    return 0;
  }
  if ((g = H5Gopen2(loc, path, H5P_DEFAULT)) < 0) {
    h5u_h5err("%s: cannot open group %s", file, path);
    return -1;
  }
  rpt_put(b, "{");
  if (H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, &idx, rpt_group_cb, &c) < 0 && !c.fail) {
    h5u_h5err("%s: cannot list group %s", file, path);
    c.fail = 1;
  }
  rpt_put(b, "}");
  h5u_close(&g);
  H5Eclear2(H5E_DEFAULT);
  return c.fail || b->oom ? -1 : 0;
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
