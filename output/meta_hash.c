/* meta_hash: per-item CRC-32C of the metadata Fletcher-32 does not cover
 * (format and contract in output/meta_hash.h).
 *
 * Invariants: the writer's item functions and the verifier's recomputation
 * go through the same item_crc(), so one canonical form; the verifier
 * reads at most META_MAX_TEXT bytes of one item and closes every handle.
 */
#include "output/meta_hash.h"
#include "output/h5util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define META_PREFIX   "crc32c:1"
#define META_MAX_TEXT ((size_t)1 << 28) /* 256 MB: more is not a scenario */

/* ---- CRC-32C ------------------------------------------------------------ */

/* Bitwise (no table, so no shared state): the items are a few kilobytes. */
uint32_t meta_crc32c(uint32_t crc, const void *p, size_t n) {
  const unsigned char *b = p;
  crc = ~crc;
  for (size_t i = 0; i < n; i++) {
    crc ^= b[i];
    for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1u)));
  }
  return ~crc;
}

int meta_crc32c_fd(int fd, long long from, long long to, uint32_t *crc) {
  uint32_t table[256], c = 0xffffffffu;
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t t = i;
    for (int k = 0; k < 8; k++) t = (t >> 1) ^ (0x82f63b78u & (0u - (t & 1u)));
    table[i] = t;
  }
  unsigned char *buf = malloc((size_t)1 << 20);
  if (!buf) return -1;
  for (long long at = from; at < to;) {
    size_t want = (size_t)(to - at < (1 << 20) ? to - at : (1 << 20));
    ssize_t k = pread(fd, buf, want, (off_t)at);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) {
      if (k == 0) errno = EIO; /* shorter than it should be */
      free(buf);
      return -1;
    }
    for (ssize_t i = 0; i < k; i++) c = table[(c ^ buf[i]) & 0xffu] ^ (c >> 8);
    at += k;
  }
  free(buf);
  *crc = ~c;
  return 0;
}

/* The CRC of one item: its type tag, then its value's bytes. */
static uint32_t item_crc(char tag, const void *p, size_t n) {
  return meta_crc32c(meta_crc32c(0, &tag, 1), p, n);
}

static void le64(uint64_t v, unsigned char out[8]) {
  for (int i = 0; i < 8; i++) out[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t crc_i64(int64_t v) {
  unsigned char b[8];
  le64((uint64_t)v, b);
  return item_crc('i', b, 8);
}

static uint32_t crc_f64(double v) {
  uint64_t u;
  unsigned char b[8];
  memcpy(&u, &v, 8);
  le64(u, b);
  return item_crc('f', b, 8);
}

/* ---- the accumulator ------------------------------------------------------ */

void meta_hash_init(meta_hash *m) {
  memset(m, 0, sizeof *m);
  size_t n = strlen(META_PREFIX);
  if (!(m->text = malloc(256))) {
    m->failed = 1;
    return;
  }
  m->cap = 256;
  memcpy(m->text, META_PREFIX, n + 1);
  m->len = n;
}

static void add(meta_hash *m, const char *name, uint32_t crc) {
  if (m->failed || !m->text) return;
  size_t need = m->len + strlen(name) + 12;
  if (need > m->cap) {
    size_t cap = 2 * need;
    char *t = realloc(m->text, cap);
    if (!t) {
      m->failed = 1;
      return;
    }
    m->text = t, m->cap = cap;
  }
  m->len += (size_t)snprintf(m->text + m->len, m->cap - m->len, " %s=%08x", name, (unsigned)crc);
}

void meta_hash_str(meta_hash *m, const char *name, const char *value) {
  const char *v = value ? value : "";
  add(m, name, item_crc('s', v, strlen(v)));
}

void meta_hash_i64(meta_hash *m, const char *name, int64_t value) {
  add(m, name, crc_i64(value));
}

void meta_hash_f64(meta_hash *m, const char *name, double value) {
  add(m, name, crc_f64(value));
}

void meta_hash_text(meta_hash *m, const char *path, const char *text) {
  const char *v = text ? text : "";
  add(m, path, item_crc('t', v, strlen(v)));
}

static uint32_t list_crc(const char *const *items, size_t n) {
  uint32_t crc = meta_crc32c(0, "l", 1);
  for (size_t i = 0; i < n; i++) {
    const char *v = items[i] ? items[i] : "";
    crc = meta_crc32c(crc, v, strlen(v) + 1);
  }
  return crc;
}

void meta_hash_list(meta_hash *m, const char *path, const char *const *items, size_t n) {
  add(m, path, list_crc(items, n));
}

const char *meta_hash_value(const meta_hash *m) {
  return m->failed ? NULL : m->text;
}

void meta_hash_free(meta_hash *m) {
  free(m->text);
  memset(m, 0, sizeof *m);
}

/* ---- reading items back ----------------------------------------------------- */

static void close_id(hid_t *id, herr_t (*fn)(hid_t)) {
  if (*id >= 0) fn(*id);
  *id = H5I_INVALID_HID;
}

/* One string of type FT read from attribute A (IS_ATTR) or dataset D into a
 * heap string of *LEN bytes; NULL when unreadable. */
static char *read_string(hid_t obj, int is_attr, hid_t ft, size_t *len) {
  char *out = NULL;
  hid_t mt = H5I_INVALID_HID;
  if (H5Tis_variable_str(ft) > 0) {
    char *v = NULL;
    if ((mt = H5Tcopy(ft)) < 0) goto done; /* the file's character set: no conversion */
    herr_t rc =
        is_attr ? H5Aread(obj, mt, &v) : H5Dread(obj, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v);
    if (rc >= 0 && v) {
      size_t n = strnlen(v, META_MAX_TEXT);
      if (n < META_MAX_TEXT && (out = malloc(n + 1))) memcpy(out, v, n + 1), *len = n;
    }
    if (v) H5free_memory(v);
  } else {
    size_t n = H5Tget_size(ft);
    if (n == 0 || n >= META_MAX_TEXT || (mt = H5Tcopy(ft)) < 0 || !(out = calloc(1, n + 1)))
      goto done;
    herr_t rc =
        is_attr ? H5Aread(obj, mt, out) : H5Dread(obj, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, out);
    if (rc < 0) {
      free(out);
      out = NULL;
    } else
      *len = strnlen(out, n);
  }
done:
  close_id(&mt, H5Tclose);
  return out;
}

/* The CRC of root attribute NAME as stored; -1 when missing or unreadable. */
static int attr_crc(hid_t root, const char *name, uint32_t *crc) {
  hid_t a = H5I_INVALID_HID, t = H5I_INVALID_HID, sp = H5I_INVALID_HID;
  int rc = -1;
  if (H5Aexists(root, name) <= 0 || (a = H5Aopen(root, name, H5P_DEFAULT)) < 0 ||
      (t = H5Aget_type(a)) < 0 || (sp = H5Aget_space(a)) < 0 ||
      H5Sget_simple_extent_npoints(sp) != 1)
    goto done;
  switch (H5Tget_class(t)) {
  case H5T_STRING: {
    size_t n = 0;
    char *s = read_string(a, 1, t, &n);
    if (s) *crc = item_crc('s', s, n), rc = 0;
    free(s);
    break;
  }
  case H5T_INTEGER: {
    long long v;
    if (H5Aread(a, H5T_NATIVE_LLONG, &v) >= 0) *crc = crc_i64((int64_t)v), rc = 0;
    break;
  }
  case H5T_FLOAT: {
    double v;
    if (H5Aread(a, H5T_NATIVE_DOUBLE, &v) >= 0) *crc = crc_f64(v), rc = 0;
    break;
  }
  default:
    break;
  }
done:
  close_id(&sp, H5Sclose);
  close_id(&t, H5Tclose);
  close_id(&a, H5Aclose);
  H5Eclear2(H5E_DEFAULT);
  return rc;
}

/* The CRC of a 1-D variable-length string dataset D of type T, space SP:
 * each string and a NUL, as list_crc. */
static int strings_crc(hid_t d, hid_t t, hid_t sp, uint32_t *crc) {
  hsize_t n = 0;
  int rc = -1;
  if (H5Sget_simple_extent_ndims(sp) != 1 || H5Sget_simple_extent_dims(sp, &n, NULL) != 1 ||
      n > ((hsize_t)1 << 24) || H5Tis_variable_str(t) <= 0)
    return -1;
  char **v = calloc(n ? (size_t)n : 1, sizeof *v);
  hid_t mt = H5Tcopy(t);
  if (v && mt >= 0 && (n == 0 || H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0)) {
    *crc = list_crc((const char *const *)v, (size_t)n);
    rc = 0;
    if (n > 0) H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, v);
  }
  close_id(&mt, H5Tclose);
  free(v);
  return rc;
}

/* The CRC of the string dataset PATH (relative to ROOT): a scalar is a
 * text, a 1-D dataset a list. */
static int text_crc(hid_t root, const char *path, uint32_t *crc) {
  hid_t d = H5I_INVALID_HID, t = H5I_INVALID_HID, sp = H5I_INVALID_HID;
  int rc = -1;
  H5E_BEGIN_TRY { /* a missing intermediate group is an error, not a crash */
    if (H5Lexists(root, path + 1, H5P_DEFAULT) > 0 &&
        H5Oexists_by_name(root, path + 1, H5P_DEFAULT) > 0)
      d = H5Dopen2(root, path + 1, H5P_DEFAULT);
  }
  H5E_END_TRY;
  if (d < 0 || (t = H5Dget_type(d)) < 0 || (sp = H5Dget_space(d)) < 0 ||
      H5Tget_class(t) != H5T_STRING)
    goto done;
  if (H5Sget_simple_extent_type(sp) != H5S_SCALAR) {
    rc = strings_crc(d, t, sp, crc);
    goto done;
  }
  size_t n = 0;
  char *s = read_string(d, 0, t, &n);
  if (s) *crc = item_crc('t', s, n), rc = 0;
  free(s);
done:
  close_id(&sp, H5Sclose);
  close_id(&t, H5Tclose);
  close_id(&d, H5Dclose);
  H5Eclear2(H5E_DEFAULT);
  return rc;
}

static void describe(const char *name, char *why, size_t whylen, const char *what) {
  if (name[0] == '/')
    snprintf(why, whylen, "%s %s %s", strcmp(name, "/scenario") ? "dataset" : "the stored scenario",
             name, what);
  else
    snprintf(why, whylen, "attribute %s %s", name, what);
}

int meta_hash_verify(hid_t root, char *why, size_t whylen) {
  size_t len = 0;
  char *list = NULL;
  int rc = META_HASH_MISMATCH;
  if (H5Aexists(root, META_HASH_ATTR) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    return META_HASH_ABSENT;
  }
  hid_t a = H5Aopen(root, META_HASH_ATTR, H5P_DEFAULT), t = H5I_INVALID_HID;
  if (a >= 0 && (t = H5Aget_type(a)) >= 0 && H5Tget_class(t) == H5T_STRING)
    list = read_string(a, 1, t, &len);
  close_id(&t, H5Tclose);
  close_id(&a, H5Aclose);
  H5Eclear2(H5E_DEFAULT);
  size_t np = strlen(META_PREFIX);
  if (!list || strncmp(list, META_PREFIX, np) != 0 || (list[np] != ' ' && list[np] != '\0')) {
    snprintf(why, whylen, "attribute %s is damaged (not \"%s ...\")", META_HASH_ATTR, META_PREFIX);
    goto done;
  }
  char *p = list + np;
  while (*p == ' ') {
    char *name = p + 1, *eq = strchr(name, '='), *end;
    if (!eq || eq == name || memchr(name, ' ', (size_t)(eq - name))) goto damaged;
    *eq = '\0';
    unsigned long want = strtoul(eq + 1, &end, 16);
    if (end != eq + 9 || (*end != ' ' && *end != '\0')) goto damaged;
    uint32_t have = 0;
    int got = name[0] == '/' ? text_crc(root, name, &have) : attr_crc(root, name, &have);
    if (got < 0) {
      describe(name, why, whylen, "is missing or unreadable, but its checksum is recorded");
      goto done;
    }
    if (have != (uint32_t)want) {
      describe(name, why, whylen, "does not match its checksum (damaged since it was written)");
      goto done;
    }
    p = end;
  }
  if (*p != '\0') goto damaged;
  rc = META_HASH_OK;
  goto done;
damaged:
  snprintf(why, whylen, "attribute %s is damaged (unreadable list of checksums)", META_HASH_ATTR);
done:
  free(list);
  return rc;
}

/* ---- sealing ------------------------------------------------------------------ */

int meta_hash_seal(hid_t root, const char *const *names) {
  meta_hash m;
  int rc = -1;
  meta_hash_init(&m);
  for (const char *const *n = names; *n; n++) {
    uint32_t crc = 0;
    if ((*n[0] == '/' ? text_crc(root, *n, &crc) : attr_crc(root, *n, &crc)) < 0) {
      h5u_seterr("%s %s missing or unreadable while sealing", *n[0] == '/' ? "text" : "attribute",
                 *n);
      goto done;
    }
    add(&m, *n, crc);
  }
  if (!meta_hash_value(&m))
    h5u_seterr("out of memory");
  else
    rc = h5u_put_attr_str(root, META_HASH_ATTR, meta_hash_value(&m));
done:
  meta_hash_free(&m);
  return rc;
}

int meta_hash_reseal(hid_t root) {
  char *list = h5u_get_attr_str(root, META_HASH_ATTR);
  size_t n = 0, np = strlen(META_PREFIX);
  int rc = -1;
  if (!list || strncmp(list, META_PREFIX, np) != 0) {
    free(list);
    return -1;
  }
  const char **names = calloc(strlen(list) / 2 + 2, sizeof *names);
  if (names) {
    for (char *tok = strtok(list + np, " "); tok; tok = strtok(NULL, " ")) {
      char *eq = strchr(tok, '=');
      if (eq) *eq = '\0';
      names[n++] = tok;
    }
    names[n] = NULL;
    rc = meta_hash_seal(root, names);
  }
  free(names);
  free(list);
  return rc;
}
