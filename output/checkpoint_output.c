/* checkpoint_output: the HDF5 helpers of the checkpoint and the run file's
 * data so far: copied into a checkpoint, replayed into a new writer on
 * resume (output/checkpoint.h).
 *
 * Why a copy and a replay: a run file (PATH.partial) that was being written
 * when the process died may be unreadable (HDF5 without SWMR), so a resumed
 * run never reopens it. Each checkpoint carries the data of steps
 * 0..step-1 instead (read from the writer's own file, opened a second
 * time read-only in this process after h5out_flush, and written into the
 * checkpoint). On resume a new writer is created and the
 * data are written again through the writer's public calls, in blocks of
 * REPLAY_BLOCK steps, so the resumed run file is built by the same code as
 * an uninterrupted one and its datasets are identical.
 *
 * Invariants: every handle is closed on every path; what is read from a
 * checkpoint is checked for rank, extent and type before use; memory for
 * a replay is bounded by REPLAY_BLOCK steps of series plus one panel row.
 */
#include "output/checkpoint.h"
#include "output/checkpoint_priv.h"
#include "output/h5util.h"
#include "output/runfile.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_BYTES  ((size_t)1 << 20) /* target chunk size of checkpoint datasets */
#define REPLAY_BLOCK 64                /* steps of series replayed per read */
#define MAX_EVENTS   (1 << 24)         /* sanity bound on the events of a run */

/* ---- dataset helpers -------------------------------------------------------- */

hid_t ckpt_mkgroup(hid_t loc, const char *name) {
  hid_t g = H5Gcreate2(loc, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (g < 0) h5u_h5err("creating group %s", name);
  return g;
}

static hid_t filtered_dcpl(size_t n, size_t esize) {
  hid_t p = H5Pcreate(H5P_DATASET_CREATE);
  hsize_t chunk[1] = {n < CHUNK_BYTES / esize ? n : CHUNK_BYTES / esize};
  if (p < 0 || n == 0) return p;
  if (H5Pset_chunk(p, 1, chunk) < 0 || (esize > 1 && H5Pset_shuffle(p) < 0) ||
      H5Pset_deflate(p, 1) < 0 || H5Pset_fletcher32(p) < 0)
    h5u_close(&p);
  return p;
}

int ckpt_put(hid_t loc, const char *name, hid_t type, size_t n, const void *buf) {
  hsize_t dims[1] = {n};
  hid_t space = H5Screate_simple(1, dims, NULL), dcpl = filtered_dcpl(n, H5Tget_size(type)), d = -1;
  int rc = -1;
  if (space >= 0 && dcpl >= 0 &&
      (d = H5Dcreate2(loc, name, type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT)) >= 0 &&
      (n == 0 || H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0))
    rc = 0;
  else
    h5u_h5err("writing %s", name);
  h5u_close(&d);
  h5u_close(&dcpl);
  h5u_close(&space);
  return rc;
}

long long ckpt_len(hid_t loc, const char *name) {
  hid_t d = -1, sp = -1;
  hsize_t dims[1];
  long long n = -1;
  if (H5Lexists(loc, name, H5P_DEFAULT) > 0 && (d = H5Dopen2(loc, name, H5P_DEFAULT)) >= 0 &&
      (sp = H5Dget_space(d)) >= 0 && H5Sget_simple_extent_ndims(sp) == 1 &&
      H5Sget_simple_extent_dims(sp, dims, NULL) == 1)
    n = (long long)dims[0];
  H5Eclear2(H5E_DEFAULT);
  h5u_close(&sp);
  h5u_close(&d);
  return n;
}

int ckpt_get(hid_t loc, const char *name, hid_t type, size_t n, void *buf) {
  hid_t d = -1, t = -1;
  int rc = -1;
  long long len = ckpt_len(loc, name);
  if (len < 0) {
    h5u_seterr("dataset %s missing or not one-dimensional", name);
    return -1;
  }
  if ((unsigned long long)len != n) {
    h5u_seterr("dataset %s has %lld elements, expected %zu", name, len, n);
    return -1;
  }
  if ((d = H5Dopen2(loc, name, H5P_DEFAULT)) < 0 || (t = H5Dget_type(d)) < 0)
    h5u_h5err("opening %s", name);
  else if (H5Tequal(t, type) <= 0)
    h5u_seterr("dataset %s has another element type than expected", name);
  else if (n > 0 && H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
    h5u_h5err("reading %s", name);
  else
    rc = 0;
  H5Eclear2(H5E_DEFAULT);
  h5u_close(&t);
  h5u_close(&d);
  return rc;
}

int ckpt_put_text(hid_t loc, const char *name, const char *text) {
  hid_t st = h5u_vlen_str_type(), space = H5Screate(H5S_SCALAR), d = -1;
  const char *v = text ? text : "";
  int rc = -1;
  if (st >= 0 && space >= 0 &&
      (d = H5Dcreate2(loc, name, st, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) >= 0 &&
      H5Dwrite(d, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v) >= 0)
    rc = 0;
  else
    h5u_h5err("writing %s", name);
  h5u_close(&d);
  h5u_close(&space);
  h5u_close(&st);
  return rc;
}

char *ckpt_get_text(hid_t loc, const char *name) {
  hid_t d = -1, t = -1, sp = -1, st = h5u_vlen_str_type();
  char *raw = NULL, *out = NULL;
  if (H5Lexists(loc, name, H5P_DEFAULT) <= 0 || (d = H5Dopen2(loc, name, H5P_DEFAULT)) < 0 ||
      (t = H5Dget_type(d)) < 0 || (sp = H5Dget_space(d)) < 0)
    h5u_seterr("text %s missing", name);
  else if (H5Tget_class(t) != H5T_STRING || H5Tis_variable_str(t) <= 0 ||
           H5Sget_simple_extent_type(sp) != H5S_SCALAR)
    h5u_seterr("%s is not a scalar variable-length string", name);
  else if (st < 0 || H5Dread(d, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, &raw) < 0 || !raw)
    h5u_h5err("reading %s", name);
  else if (!(out = strdup(raw)))
    h5u_seterr("out of memory reading %s", name);
  if (raw) H5free_memory(raw);
  H5Eclear2(H5E_DEFAULT);
  h5u_close(&sp);
  h5u_close(&t);
  h5u_close(&d);
  h5u_close(&st);
  return out;
}

/* ---- copying the run file's data ------------------------------------------ */

/* Not H5Ocopy: HDF5 1.10 crashes inside H5Ocopy when a write fails (full
 * disk), so every dataset is copied by reading and writing, in slabs of at
 * most COPY_BYTES along its first dimension. Attributes are not copied
 * (the replay needs the data only). */
#define COPY_BYTES  ((size_t)4 << 20)
#define MAX_STRINGS ((hsize_t)1 << 24)

/* Destination of a copy: same type, same current extent, fixed size. */
static hid_t copy_create(hid_t dst, const char *name, hid_t type, int rank, const hsize_t *dims,
                         hsize_t npoints) {
  hid_t space = rank ? H5Screate_simple(rank, dims, NULL) : H5Screate(H5S_SCALAR);
  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE), lcpl = H5Pcreate(H5P_LINK_CREATE), d = -1;
  if (space >= 0 && dcpl >= 0 && lcpl >= 0 && H5Pset_create_intermediate_group(lcpl, 1) >= 0) {
    if (rank > 0 && npoints > 0 && H5Tis_variable_str(type) <= 0) {
      hsize_t chunk[H5S_MAX_RANK], es = H5Tget_size(type), row = npoints / dims[0] * es;
      for (int i = 0; i < rank; i++) chunk[i] = dims[i];
      chunk[0] =
          row >= CHUNK_BYTES ? 1 : (CHUNK_BYTES / row < dims[0] ? CHUNK_BYTES / row : dims[0]);
      if (row > CHUNK_BYTES) { /* one row is too large for a chunk: cut its last dimension */
        hsize_t inner = es;
        for (int i = 1; i < rank - 1; i++) inner *= dims[i];
        chunk[rank - 1] = CHUNK_BYTES / inner > 1 ? CHUNK_BYTES / inner : 1;
      }
      if (H5Pset_chunk(dcpl, rank, chunk) < 0 || H5Pset_deflate(dcpl, 1) < 0 ||
          H5Pset_fletcher32(dcpl) < 0)
        goto done;
    }
    d = H5Dcreate2(dst, name, type, space, lcpl, dcpl, H5P_DEFAULT);
  }
done:
  h5u_close(&lcpl);
  h5u_close(&dcpl);
  h5u_close(&space);
  return d;
}

/* Variable-length strings: read all (labels and events: few), write all. */
static int copy_strings(hid_t src, hid_t dst, hsize_t npoints) {
  hid_t st = h5u_vlen_str_type();
  char **buf = calloc(npoints ? npoints : 1, sizeof *buf);
  int rc = -1;
  if (st >= 0 && buf && npoints <= MAX_STRINGS &&
      (npoints == 0 || (H5Dread(src, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0 &&
                        H5Dwrite(dst, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0)))
    rc = 0;
  for (hsize_t i = 0; buf && i < npoints; i++) H5free_memory(buf[i]);
  free(buf);
  h5u_close(&st);
  return rc;
}

/* Numbers: slabs of rows along the first dimension. */
static int copy_numbers(hid_t src, hid_t dst, hid_t type, int rank, const hsize_t *dims,
                        hsize_t npoints) {
  hid_t mt = H5Tget_native_type(type, H5T_DIR_ASCEND), fs = -1, ms = -1;
  size_t es = mt >= 0 ? H5Tget_size(mt) : 0;
  int rc = -1;
  if (mt < 0 || es == 0) goto done;
  if (rank == 0 || npoints == 0) {
    char one[64];
    rc = npoints == 0 ||
                 (es <= sizeof one && H5Dread(src, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, one) >= 0 &&
                  H5Dwrite(dst, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, one) >= 0)
             ? 0
             : -1;
    goto done;
  }
  hsize_t per_row = npoints / dims[0], rows = COPY_BYTES / (per_row * es);
  if (rows < 1) rows = 1;
  void *buf = malloc((size_t)(rows * per_row * es));
  if (!buf || (fs = H5Dget_space(src)) < 0) {
    free(buf);
    goto done;
  }
  rc = 0;
  for (hsize_t lo = 0; rc == 0 && lo < dims[0]; lo += rows) {
    hsize_t start[H5S_MAX_RANK] = {0}, count[H5S_MAX_RANK], mdim[1];
    for (int i = 0; i < rank; i++) count[i] = dims[i];
    count[0] = dims[0] - lo < rows ? dims[0] - lo : rows;
    start[0] = lo;
    mdim[0] = count[0] * per_row;
    h5u_close(&ms);
    if ((ms = H5Screate_simple(1, mdim, NULL)) < 0 ||
        H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) < 0 ||
        H5Dread(src, mt, ms, fs, H5P_DEFAULT, buf) < 0 ||
        H5Dwrite(dst, mt, ms, fs, H5P_DEFAULT, buf) < 0)
      rc = -1;
  }
  free(buf);
done:
  h5u_close(&ms);
  h5u_close(&fs);
  h5u_close(&mt);
  return rc;
}

static int copy_dataset(hid_t src, hid_t dst_root, const char *name) {
  hid_t sp = H5Dget_space(src), t = H5Dget_type(src), d = -1;
  hsize_t dims[H5S_MAX_RANK];
  int rank = sp >= 0 ? H5Sget_simple_extent_ndims(sp) : -1, rc = -1;
  hssize_t np = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
  if (t >= 0 && rank >= 0 && np >= 0 && H5Sget_simple_extent_dims(sp, dims, NULL) == rank &&
      (d = copy_create(dst_root, name, t, rank, dims, (hsize_t)np)) >= 0)
    rc = H5Tis_variable_str(t) > 0 ? copy_strings(src, d, (hsize_t)np)
                                   : copy_numbers(src, d, t, rank, dims, (hsize_t)np);
  if (rc < 0) h5u_h5err("copying %s of the run file", name);
  h5u_close(&d);
  h5u_close(&t);
  h5u_close(&sp);
  return rc;
}

typedef struct copy_ctx {
  hid_t dst;        /* /output of the checkpoint */
  const char *base; /* group being visited: "series", ... */
} copy_ctx;

static herr_t copy_link(hid_t grp, const char *name, const H5L_info_t *info, void *data) {
  copy_ctx *cc = data;
  char path[1024];
  hid_t obj = H5Oopen(grp, name, H5P_DEFAULT);
  int rc = 0;
  if (obj < 0) return h5u_h5err("opening %s/%s of the run file", cc->base, name), -1;
  snprintf(path, sizeof path, "%s/%s", cc->base, name);
  if (H5Iget_type(obj) == H5I_DATASET) rc = copy_dataset(obj, cc->dst, path);
  h5u_close(&obj);
  return rc < 0 ? -1 : 0;
}

int ckpt_copy_output(hid_t file, const char *partial) {
  static const char *const groups[] = {"series", "firms", "events"};
  hid_t src = H5Fopen(partial, H5F_ACC_RDONLY, H5P_DEFAULT), g = -1, sg = -1;
  int rc = -1;
  if (src < 0) {
    h5u_h5err("%s: cannot open the run file to copy its data", partial);
    return -1;
  }
  if ((g = ckpt_mkgroup(file, "output")) < 0) goto done;
  for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
    copy_ctx cc = {g, groups[i]};
    if ((sg = H5Gopen2(src, groups[i], H5P_DEFAULT)) < 0) {
      h5u_h5err("%s: group /%s", partial, groups[i]);
      goto done;
    }
    if (H5Lvisit(sg, H5_INDEX_NAME, H5_ITER_INC, copy_link, &cc) < 0) goto done;
    h5u_close(&sg);
  }
  rc = 0;
done:
  h5u_close(&sg);
  h5u_close(&g);
  h5u_close(&src);
  return rc;
}

/* ---- replay: series ------------------------------------------------------- */

typedef struct replay_series {
  hid_t *dset;
  double **buf;
  const double **vals;
  size_t *cells;
  size_t n;
} replay_series;

static void rs_free(replay_series *r) {
  for (size_t i = 0; i < r->n; i++) {
    if (r->dset) h5u_close(&r->dset[i]);
    if (r->buf) free(r->buf[i]);
  }
  free(r->dset);
  free(r->buf);
  free(r->vals);
  free(r->cells);
}

/* Open series I as output/series/GROUP/NAME and check its extent
 * (STEPS x its industry/region dims). */
static int rs_open(replay_series *r, hid_t out, size_t i, const series_def *s, int steps, size_t ni,
                   size_t nr) {
  char path[512];
  hsize_t want[3] = {(hsize_t)steps, 0, 0}, dims[3];
  int rank = 1;
  if (s->group == SERIES_INDUSTRY || s->group == SERIES_INDUSTRY_REGION) want[rank++] = ni;
  if (s->group == SERIES_REGION || s->group == SERIES_INDUSTRY_REGION) want[rank++] = nr;
  snprintf(path, sizeof path, "series/%s/%s", runfile_group_names[s->group], s->name);
  hid_t sp = -1;
  r->dset[i] = H5Lexists(out, "series", H5P_DEFAULT) > 0 ? H5Dopen2(out, path, H5P_DEFAULT) : -1;
  int ok = r->dset[i] >= 0 && (sp = H5Dget_space(r->dset[i])) >= 0 &&
           H5Sget_simple_extent_ndims(sp) == rank &&
           H5Sget_simple_extent_dims(sp, dims, NULL) == rank;
  for (int d = 0; ok && d < rank; d++) ok = dims[d] == want[d];
  H5Eclear2(H5E_DEFAULT);
  h5u_close(&sp);
  if (!ok) {
    h5u_seterr("output/%s missing or not of extent %d steps (x industry x region)", path, steps);
    return -1;
  }
  r->cells[i] = (rank > 1 ? want[1] : 1) * (rank > 2 ? want[2] : 1);
  return 0;
}

static int rs_setup(replay_series *r, hid_t out, const series_def *s, size_t n, int steps,
                    size_t ni, size_t nr) {
  r->n = n;
  r->dset = calloc(n ? n : 1, sizeof *r->dset);
  r->buf = calloc(n ? n : 1, sizeof *r->buf);
  r->vals = calloc(n ? n : 1, sizeof *r->vals);
  r->cells = calloc(n ? n : 1, sizeof *r->cells);
  if (!r->dset || !r->buf || !r->vals || !r->cells) {
    r->n = 0;
    return h5u_seterr("out of memory"), -1;
  }
  for (size_t i = 0; i < n; i++) r->dset[i] = H5I_INVALID_HID;
  for (size_t i = 0; i < n; i++) {
    if (rs_open(r, out, i, &s[i], steps, ni, nr) < 0) return -1;
    if (!(r->buf[i] = malloc(REPLAY_BLOCK * r->cells[i] * sizeof(double))))
      return h5u_seterr("out of memory"), -1;
  }
  return 0;
}

/* Read steps [LO, LO+NB) of series I into its buffer. */
static int rs_read(replay_series *r, size_t i, int lo, int nb) {
  hid_t fs = H5Dget_space(r->dset[i]), ms = -1;
  hsize_t start[3] = {(hsize_t)lo, 0, 0}, count[3], mdim[1] = {(hsize_t)nb * r->cells[i]};
  int rank = fs >= 0 ? H5Sget_simple_extent_ndims(fs) : -1, rc = -1;
  if (rank >= 1 && H5Sget_simple_extent_dims(fs, count, NULL) == rank) {
    count[0] = (hsize_t)nb;
    if (H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) >= 0 &&
        (ms = H5Screate_simple(1, mdim, NULL)) >= 0 &&
        H5Dread(r->dset[i], H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, r->buf[i]) >= 0)
      rc = 0;
  }
  if (rc < 0) h5u_h5err("reading the series of the checkpoint");
  h5u_close(&ms);
  h5u_close(&fs);
  return rc;
}

static int replay_series_all(hid_t out, h5out *h, const series_def *s, size_t n, int steps,
                             size_t ni, size_t nr) {
  replay_series r = {0};
  int rc = rs_setup(&r, out, s, n, steps, ni, nr);
  for (int lo = 0; rc == 0 && lo < steps; lo += REPLAY_BLOCK) {
    int nb = steps - lo < REPLAY_BLOCK ? steps - lo : REPLAY_BLOCK;
    for (size_t i = 0; rc == 0 && i < n; i++) rc = rs_read(&r, i, lo, nb);
    for (int k = 0; rc == 0 && k < nb; k++) {
      for (size_t i = 0; i < n; i++) r.vals[i] = r.buf[i] + (size_t)k * r.cells[i];
      rc = h5out_step(h, lo + k, r.vals) < 0 ? -2 : 0;
    }
  }
  rs_free(&r);
  return rc;
}

/* ---- replay: panel -------------------------------------------------------- */

static hid_t panel_mem_type(panel_type t) {
  switch (t) {
  case PANEL_F32:
    return H5T_NATIVE_FLOAT;
  case PANEL_I32:
    return H5T_NATIVE_INT32;
  case PANEL_U8:
    return H5T_NATIVE_UINT8;
  default:
    return H5T_NATIVE_DOUBLE;
  }
}

/* Read row J (NSLOTS values of TYPE) of 2-D dataset NAME in G into BUF,
 * checking the extent NSNAP x NSLOTS. */
static int panel_row(hid_t g, const char *name, hid_t type, hsize_t nsnap, hsize_t nslots,
                     hsize_t j, void *buf) {
  hid_t d = -1, fs = -1, ms = -1;
  hsize_t dims[2], start[2] = {j, 0}, count[2] = {1, nslots};
  int rc = -1;
  if (H5Lexists(g, name, H5P_DEFAULT) > 0 && (d = H5Dopen2(g, name, H5P_DEFAULT)) >= 0 &&
      (fs = H5Dget_space(d)) >= 0 && H5Sget_simple_extent_ndims(fs) == 2 &&
      H5Sget_simple_extent_dims(fs, dims, NULL) == 2 && dims[0] == nsnap && dims[1] == nslots) {
    if (nslots == 0 || (H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) >= 0 &&
                        (ms = H5Screate_simple(1, &count[1], NULL)) >= 0 &&
                        H5Dread(d, type, ms, fs, H5P_DEFAULT, buf) >= 0))
      rc = 0;
  }
  if (rc < 0) h5u_seterr("output/firms/%s missing, of another extent, or unreadable", name);
  H5Eclear2(H5E_DEFAULT);
  h5u_close(&ms);
  h5u_close(&fs);
  h5u_close(&d);
  return rc;
}

typedef struct replay_panel {
  int32_t *snap;
  uint8_t *alive;
  void **cols;
  size_t ncols;
} replay_panel;

static void rp_free(replay_panel *p) {
  for (size_t j = 0; p->cols && j < p->ncols; j++) free(p->cols[j]);
  free(p->cols);
  free(p->snap);
  free(p->alive);
}

static int replay_panel_all(hid_t out, h5out *h, const panel_var *pv, size_t npv, int steps) {
  replay_panel p = {0};
  hid_t g = H5Lexists(out, "firms", H5P_DEFAULT) > 0 ? H5Gopen2(out, "firms", H5P_DEFAULT) : -1;
  long long nsnap = g >= 0 ? ckpt_len(g, "snapshot") : -1,
            nslots = g >= 0 ? ckpt_len(g, "slot") : -1;
  int rc = -1;
  H5Eclear2(H5E_DEFAULT);
  if (nsnap < 0 || nslots < 0 || nsnap > steps || nslots > INT32_MAX) {
    h5u_seterr("output/firms: snapshot or slot scale missing or out of range");
    goto done;
  }
  p.ncols = npv;
  if (!(p.snap = calloc((size_t)nsnap + 1, sizeof *p.snap)) ||
      !(p.alive = calloc((size_t)nslots + 1, 1)) || !(p.cols = calloc(npv + 1, sizeof *p.cols)))
    goto oom;
  for (size_t j = 0; j < npv; j++)
    if (!(p.cols[j] = calloc((size_t)nslots + 1, 8))) goto oom;
  if (ckpt_get(g, "snapshot", H5T_NATIVE_INT32, (size_t)nsnap, p.snap) < 0) goto done;
  for (long long j = 0; j < nsnap; j++) {
    if (p.snap[j] < 0 || p.snap[j] >= steps) {
      h5u_seterr("output/firms: snapshot %lld at step %d, outside the %d steps done", j, p.snap[j],
                 steps);
      goto done;
    }
    if (panel_row(g, "alive", H5T_NATIVE_UINT8, nsnap, nslots, j, p.alive) < 0) goto done;
    for (size_t v = 0; v < npv; v++)
      if (panel_row(g, pv[v].name, panel_mem_type(pv[v].type), nsnap, nslots, j, p.cols[v]) < 0)
        goto done;
    if (h5out_panel(h, p.snap[j], (size_t)nslots, (const void *const *)p.cols, p.alive) < 0) {
      rc = -2;
      goto done;
    }
  }
  rc = 0;
  goto done;
oom:
  rc = -2;
  h5u_seterr("out of memory replaying the firm panel");
done:
  rp_free(&p);
  h5u_close(&g);
  return rc;
}

/* ---- replay: events ------------------------------------------------------- */

/* Read string dataset NAME of N elements into V (library-allocated). */
static int read_strings(hid_t g, const char *name, size_t n, char **v) {
  hid_t d = -1, st = h5u_vlen_str_type(), t = -1;
  int rc = -1;
  if (ckpt_len(g, name) == (long long)n && (d = H5Dopen2(g, name, H5P_DEFAULT)) >= 0 &&
      (t = H5Dget_type(d)) >= 0 && H5Tget_class(t) == H5T_STRING && H5Tis_variable_str(t) > 0 &&
      st >= 0 && (n == 0 || H5Dread(d, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0))
    rc = 0;
  else
    h5u_seterr("output/events/%s missing or not %zu strings", name, n);
  H5Eclear2(H5E_DEFAULT);
  h5u_close(&t);
  h5u_close(&d);
  h5u_close(&st);
  return rc;
}

static int replay_events_all(hid_t out, h5out *h, int steps) {
  hid_t g = H5Lexists(out, "events", H5P_DEFAULT) > 0 ? H5Gopen2(out, "events", H5P_DEFAULT) : -1;
  long long n = g >= 0 ? ckpt_len(g, "step") : -1;
  int32_t *step = NULL;
  char **kind = NULL, **detail = NULL;
  int rc = -1;
  H5Eclear2(H5E_DEFAULT);
  if (n < 0 || n > MAX_EVENTS) {
    h5u_seterr("output/events missing or too long");
    goto done;
  }
  if (!(step = calloc((size_t)n + 1, sizeof *step)) ||
      !(kind = calloc((size_t)n + 1, sizeof *kind)) ||
      !(detail = calloc((size_t)n + 1, sizeof *detail))) {
    h5u_seterr("out of memory replaying events");
    rc = -2;
    goto done;
  }
  if (ckpt_get(g, "step", H5T_NATIVE_INT32, (size_t)n, step) < 0 ||
      read_strings(g, "kind", (size_t)n, kind) < 0 ||
      read_strings(g, "detail", (size_t)n, detail) < 0)
    goto done;
  for (long long e = 0; e < n; e++) {
    if (step[e] < 0 || step[e] >= steps || !kind[e] || !detail[e]) {
      h5u_seterr("output/events: event %lld is malformed", e);
      goto done;
    }
    if (h5out_event(h, step[e], kind[e], detail[e]) < 0) {
      rc = -2;
      goto done;
    }
  }
  rc = 0;
done:
  for (long long e = 0; e < n && kind; e++) H5free_memory(kind[e]);
  for (long long e = 0; e < n && detail; e++) H5free_memory(detail[e]);
  free(kind);
  free(detail);
  free(step);
  h5u_close(&g);
  return rc;
}

int ckpt_replay(ckpt *c, h5out *h, const series_def *series, size_t n_series, size_t n_industry,
                size_t n_region, const panel_var *panel_vars, size_t n_panel_vars, char *err,
                size_t errlen) {
  int steps = c->info.step, rc = -1;
  hid_t out = -1;
  if (H5Lexists(c->file, "output", H5P_DEFAULT) <= 0 ||
      (out = H5Gopen2(c->file, "output", H5P_DEFAULT)) < 0) {
    H5Eclear2(H5E_DEFAULT);
    h5u_seterr("the checkpointed run wrote no run file, so none can be completed (resume "
               "with --no-output)");
  } else if ((rc = replay_events_all(out, h, steps)) == 0 &&
             (rc = replay_series_all(out, h, series, n_series, steps, n_industry, n_region)) == 0) {
    rc = replay_panel_all(out, h, panel_vars, n_panel_vars, steps);
  }
  h5u_close(&out);
  if (rc == -1) snprintf(err, errlen, "%s: %s", c->path, h5u_last_error());
  if (rc == -2) snprintf(err, errlen, "%s", h5u_last_error());
  return rc == 0 ? CKPT_OK : (rc == -2 ? CKPT_FAIL : CKPT_BAD);
}
