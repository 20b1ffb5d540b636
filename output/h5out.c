/* h5out: the HDF5 run writer (layout and contract in h5out.h).
 *
 * How it is written:
 *  - the file is created as PATH.partial (a stale one is removed first)
 *    with link and attribute creation order tracked and indexed on the file,
 *    every group and every dataset, and libver bounds [1.8, 1.10], so that
 *    HDF5 1.10 readers and netCDF-4 (hence xarray engine="netcdf4") open it;
 *  - root attributes written here: format="nqpsim-run", format_version=1,
 *    status="running" ("complete" or "failed" at h5out_finish);
 *  - each series group holds its own coordinate scales (H5DS): step (int32,
 *    unlimited, chunked), and industry / region (variable-length UTF-8
 *    labels) where the group has those dims; firms holds snapshot (int32:
 *    the step of each snapshot) and slot (int32, 0..n-1), both unlimited;
 *    events holds event (int32, 0..n-1, unlimited);
 *  - series are float64, chunked (chunk_steps, full industry/region
 *    extent), shuffled and deflated; fill value NaN (never visible in a
 *    complete file: every step is written). Panel columns keep their
 *    declared type with fill value 0, so cells of slots that did not exist
 *    yet read as 0 and alive=0. Integer scales are shuffled and deflated
 *    too; string datasets are not filtered (a filter would only compress
 *    the heap references);
 *  - steps are buffered in memory and written as one hyperslab per series
 *    per block; a block is chunk_steps steps, or fewer when that would
 *    exceed H5OUT_MAX_BUFFER bytes (blocks then no longer align with
 *    chunks: correct, but HDF5 re-reads and re-compresses the chunk).
 *    Datasets are opened with a zero-byte chunk cache, so a block is
 *    compressed and on disk when h5out_step returns, and HDF5 holds no
 *    second copy (measured for 200 series x 1000 steps x 17x11 cells,
 *    chunk 64: about 0.45 ms per step, 30 MB peak RSS, against 90 MB and
 *    a long close with the default 1 MiB cache per dataset). A flush in
 *    the middle of a chunk is correct too (the chunk is re-read). Panel
 *    snapshots and events are written when they arrive (they are rare);
 *  - a reader in another process must wait for the rename: HDF5 1.10
 *    locks a file open for writing (HDF5_USE_FILE_LOCKING=FALSE lets a
 *    reader look at a flushed .partial, at its own risk).
 *
 * Invariants:
 *  - a file under its final name is complete: only h5out_finish(..., 1) of
 *    a writer with no failed call renames PATH.partial to PATH
 *    (base/atomic_file.h: fsync, rename(2), fsync of the directory);
 *  - an existing PATH is replaced only with spec.force, and only at that
 *    rename;
 *  - after any failed call the writer is "broken": later calls fail with
 *    the same message and h5out_finish marks the file failed;
 *  - every HDF5 handle is closed on every path; h5out_finish also closes
 *    whatever object of the file a bug might have left open before it
 *    closes the file and renames it.
 */
#include "output/h5out.h"
#include "base/atomic_file.h"
#include "output/h5util.h"
#include "output/runfile.h"

#include <hdf5_hl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define H5OUT_MAX_BUFFER      ((size_t)64 << 20)   /* bytes of buffered steps */
#define H5OUT_MAX_CHUNK_STEPS (1 << 24)            /* sanity bound on chunk_steps */
#define H5OUT_MAX_CHUNK_BYTES ((size_t)UINT32_MAX) /* HDF5's limit on one chunk */
#define H5OUT_SLOT_CHUNK      1024                 /* panel chunk along slot */
#define H5OUT_EVENT_CHUNK     64
#define H5OUT_SNAP_CHUNK      64

typedef struct h5out_sdata {
  hid_t dset;
  series_level group;
  size_t cells; /* values per step */
  double *buf;  /* buf_steps * cells */
} h5out_sdata;

struct h5out {
  atomic_file af;             /* PATH.partial -> PATH (base/atomic_file.h) */
  const char *path, *partial; /* af.path and af.tmp */
  hid_t file, root;
  int deflate;
  size_t n_industry, n_region;
  /* series */
  hid_t sgrp[SERIES_NLEVELS], sstep[SERIES_NLEVELS];
  h5out_sdata *series;
  size_t n_series;
  size_t buf_steps, nbuf; /* block length, steps buffered */
  int *stepbuf;
  hsize_t nwritten; /* steps on disk */
  int next_step;
  /* panel */
  hid_t firms, snap, slot, alive;
  hid_t *pvars;
  panel_type *ptypes;
  size_t n_pvars;
  hsize_t n_snap, n_slots;
  int last_snap_step;
  /* events */
  hid_t events, ev_index, ev_step, ev_kind, ev_detail;
  hsize_t n_events;
  int broken;     /* a call failed: no more writes, never complete */
  char err[1024]; /* the first failure's message */
};

/* ---- small helpers ---------------------------------------------------- */

const char *h5out_last_error(void) {
  return h5u_last_error();
}

static int h5out_valid_name(const char *name) {
  return name && name[0] && !strchr(name, '/') && strcmp(name, ".") != 0;
}

static hid_t h5out_file_type(panel_type t) {
  switch (t) {
  case PANEL_F64:
    return H5T_IEEE_F64LE;
  case PANEL_F32:
    return H5T_IEEE_F32LE;
  case PANEL_I32:
    return H5T_STD_I32LE;
  case PANEL_U8:
    return H5T_STD_U8LE;
  }
  return -1;
}

static hid_t h5out_mem_type(panel_type t) {
  switch (t) {
  case PANEL_F64:
    return H5T_NATIVE_DOUBLE;
  case PANEL_F32:
    return H5T_NATIVE_FLOAT;
  case PANEL_I32:
    return H5T_NATIVE_INT32;
  case PANEL_U8:
    return H5T_NATIVE_UINT8;
  }
  return -1;
}

static size_t h5out_group_cells(const h5out *h, series_level g) {
  switch (g) {
  case SERIES_ECONOMY:
    return 1;
  case SERIES_INDUSTRY:
    return h->n_industry;
  case SERIES_REGION:
    return h->n_region;
  default:
    return h->n_industry * h->n_region;
  }
}

/* Fail a call on a live writer: mark it broken (the message is already
 * recorded). */
static int h5out_break(h5out *h) {
  if (!h->broken) snprintf(h->err, sizeof h->err, "%s", h5u_last_error());
  h->broken = 1;
  return -1;
}

static int h5out_usable(const h5out *h, const char *what) {
  if (!h) {
    h5u_seterr("%s: no writer", what);
    return 0;
  }
  if (h->broken) {
    h5u_seterr("%s", h->err); /* every later call reports the first failure */
    return 0;
  }
  return 1;
}

/* ---- creation helpers ------------------------------------------------- */

/* Dataset creation plist: CHUNK (NULL: contiguous), optional shuffle +
 * deflate, optional fill value FILL of MEMTYPE. */
static hid_t h5out_dcpl(int rank, const hsize_t *chunk, int deflate, hid_t memtype,
                        const void *fill) {
  hid_t p = h5u_dcpl();
  if (p < 0) return -1;
  if (chunk && H5Pset_chunk(p, rank, chunk) < 0) goto fail;
  if (chunk && deflate >= 0 && (H5Pset_shuffle(p) < 0 || H5Pset_deflate(p, (unsigned)deflate) < 0))
    goto fail;
  if (fill && H5Pset_fill_value(p, memtype, fill) < 0) goto fail;
  return p;
fail:
  H5Pclose(p);
  return -1;
}

/* Create dataset NAME in LOC: type FT, RANK dims starting at DIMS with
 * maximum MAXDIMS; chunked by CHUNK (NULL: contiguous) and filtered when
 * DEFLATE >= 0; units/long_name attributes. */
static hid_t h5out_mkdset(hid_t loc, const char *name, hid_t ft, int rank, const hsize_t *dims,
                          const hsize_t *maxdims, const hsize_t *chunk, int deflate, hid_t memtype,
                          const void *fill, const char *units, const char *doc) {
  hid_t d = -1, space = -1, dcpl = -1, dapl = -1;
  if ((dapl = H5Pcreate(H5P_DATASET_ACCESS)) < 0 ||
      (chunk && H5Pset_chunk_cache(dapl, H5D_CHUNK_CACHE_NSLOTS_DEFAULT, 0,
                                   H5D_CHUNK_CACHE_W0_DEFAULT) < 0)) {
    h5u_h5err("access properties of %s", name);
    goto cleanup;
  }
  if ((space = H5Screate_simple(rank, dims, maxdims)) < 0) {
    h5u_h5err("dataspace of %s", name);
    goto cleanup;
  }
  if ((dcpl = h5out_dcpl(rank, chunk, deflate, memtype, fill)) < 0) {
    h5u_h5err("creation properties of %s", name);
    goto cleanup;
  }
  if ((d = H5Dcreate2(loc, name, ft, space, H5P_DEFAULT, dcpl, dapl)) < 0) {
    h5u_h5err("creating dataset %s", name);
    goto cleanup;
  }
  if (h5u_describe(d, units, doc) < 0) h5u_close(&d);
cleanup:
  h5u_close(&dapl);
  h5u_close(&dcpl);
  h5u_close(&space);
  return d;
}

/* An integer (int32) unlimited 1-D dimension scale NAME in LOC. */
static hid_t h5out_mkscale_int(hid_t loc, const char *name, hsize_t chunk, int deflate,
                               const char *units, const char *doc) {
  hsize_t dims[1] = {0}, maxdims[1] = {H5S_UNLIMITED}, ch[1] = {chunk};
  hid_t d = h5out_mkdset(loc, name, H5T_STD_I32LE, 1, dims, maxdims, ch, deflate, H5T_NATIVE_INT32,
                         NULL, units, doc);
  if (d >= 0 && h5u_set_scale(d, name) < 0) h5u_close(&d);
  return d;
}

/* A fixed-size string dimension scale NAME in LOC holding LABELS. */
static hid_t h5out_mkscale_labels(hid_t loc, const char *name, const char *const *labels, size_t n,
                                  const char *doc) {
  hsize_t dims[1] = {n};
  hid_t st = h5u_vlen_str_type(), d = -1;
  if (st < 0) {
    h5u_h5err("string type");
    return -1;
  }
  d = h5out_mkdset(loc, name, st, 1, dims, dims, NULL, -1, st, NULL, "1", doc);
  if (d >= 0 && n > 0 && H5Dwrite(d, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, labels) < 0) {
    h5u_h5err("writing labels %s", name);
    h5u_close(&d);
  }
  if (d >= 0 && h5u_set_scale(d, name) < 0) h5u_close(&d);
  h5u_close(&st);
  return d;
}

/* ---- writing helpers -------------------------------------------------- */

/* Write BUF (MEMTYPE, shape COUNT) into D at START. */
static int h5out_write_box(hid_t d, hid_t memtype, int rank, const hsize_t *start,
                           const hsize_t *count, const void *buf, const char *what) {
  int rc = -1;
  hid_t fs = -1, ms = -1;
  for (int i = 0; i < rank; i++)
    if (count[i] == 0) return 0;
  if ((fs = H5Dget_space(d)) < 0 ||
      H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) < 0 ||
      (ms = H5Screate_simple(rank, count, NULL)) < 0 ||
      H5Dwrite(d, memtype, ms, fs, H5P_DEFAULT, buf) < 0) {
    h5u_h5err("writing %s", what);
    goto cleanup;
  }
  rc = 0;
cleanup:
  h5u_close(&ms);
  h5u_close(&fs);
  return rc;
}

static int h5out_extend(hid_t d, const hsize_t *dims, const char *what) {
  if (H5Dset_extent(d, dims) < 0) {
    h5u_h5err("extending %s", what);
    return -1;
  }
  return 0;
}

/* Append COUNT int32 values to the 1-D dataset D now holding N. */
static int h5out_append_i32(hid_t d, hsize_t n, hsize_t count, const int *v, const char *what) {
  hsize_t dims[1] = {n + count}, start[1] = {n}, cnt[1] = {count};
  if (h5out_extend(d, dims, what) < 0) return -1;
  return h5out_write_box(d, H5T_NATIVE_INT32, 1, start, cnt, v, what);
}

/* Write the buffered steps (a block) to every series and step scale. */
static int h5out_write_block(h5out *h) {
  hsize_t n = h->nwritten, k = h->nbuf;
  if (k == 0) return 0;
  for (int g = 0; g < SERIES_NLEVELS; g++)
    if (h5out_append_i32(h->sstep[g], n, k, h->stepbuf, "step") < 0) return -1;
  for (size_t i = 0; i < h->n_series; i++) {
    h5out_sdata *s = &h->series[i];
    hsize_t dims[3] = {n + k, 0, 0}, start[3] = {n, 0, 0}, count[3] = {k, 0, 0};
    int rank = 1;
    if (s->group == SERIES_INDUSTRY) {
      rank = 2;
      dims[1] = count[1] = h->n_industry;
    } else if (s->group == SERIES_REGION) {
      rank = 2;
      dims[1] = count[1] = h->n_region;
    } else if (s->group == SERIES_INDUSTRY_REGION) {
      rank = 3;
      dims[1] = count[1] = h->n_industry;
      dims[2] = count[2] = h->n_region;
    }
    if (h5out_extend(s->dset, dims, "series") < 0 ||
        h5out_write_box(s->dset, H5T_NATIVE_DOUBLE, rank, start, count, s->buf, "series") < 0)
      return -1;
  }
  h->nwritten = n + k;
  h->nbuf = 0;
  return 0;
}

/* ---- open ------------------------------------------------------------- */

/* Labels must be present and unique (they are coordinate values). */
static int h5out_check_labels(const char *path, const char *what, const char *const *l, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (!l[i]) return h5u_seterr("%s: %s label %zu is NULL", path, what, i), -1;
    for (size_t j = 0; j < i; j++)
      if (!strcmp(l[i], l[j])) return h5u_seterr("%s: duplicate %s label %s", path, what, l[i]), -1;
  }
  return 0;
}

static int h5out_check_series(const h5out_spec *s, size_t i) {
  const series_def *a = &s->series[i];
  int has_ind = a->group == SERIES_INDUSTRY || a->group == SERIES_INDUSTRY_REGION;
  int has_reg = a->group == SERIES_REGION || a->group == SERIES_INDUSTRY_REGION;
  size_t cells;
  if (!h5out_valid_name(a->name))
    return h5u_seterr("%s: series %zu has an invalid name", s->path, i), -1;
  if ((unsigned)a->group >= SERIES_NLEVELS)
    return h5u_seterr("%s: series %s: bad group %d", s->path, a->name, (int)a->group), -1;
  if (!strcmp(a->name, "step") || !strcmp(a->name, "industry") || !strcmp(a->name, "region"))
    return h5u_seterr("%s: series name %s is a dimension name", s->path, a->name), -1;
  if (has_ind && !s->n_industry)
    return h5u_seterr("%s: series %s needs industries", s->path, a->name), -1;
  if (has_reg && !s->n_region)
    return h5u_seterr("%s: series %s needs regions", s->path, a->name), -1;
  if (h5u_mul(has_ind ? s->n_industry : 1, has_reg ? s->n_region : 1, &cells) < 0 ||
      h5u_mul(cells, s->chunk_steps * sizeof(double), &cells) < 0 || cells > H5OUT_MAX_CHUNK_BYTES)
    return h5u_seterr("%s: a chunk of %zu steps of series %s exceeds 4 GiB", s->path,
                      s->chunk_steps, a->name),
           -1;
  for (size_t j = 0; j < i; j++)
    if (s->series[j].group == a->group && !strcmp(s->series[j].name, a->name))
      return h5u_seterr("%s: duplicate series %s/%s", s->path, runfile_group_names[a->group],
                        a->name),
             -1;
  return 0;
}

static int h5out_check_panel_var(const h5out_spec *s, size_t i) {
  const panel_var *v = &s->panel_vars[i];
  if (!h5out_valid_name(v->name) || !strcmp(v->name, "alive") || !strcmp(v->name, "snapshot") ||
      !strcmp(v->name, "slot"))
    return h5u_seterr("%s: panel variable %zu has an invalid name", s->path, i), -1;
  if ((unsigned)v->type > PANEL_U8)
    return h5u_seterr("%s: panel variable %s: bad type", s->path, v->name), -1;
  for (size_t j = 0; j < i; j++)
    if (!strcmp(s->panel_vars[j].name, v->name))
      return h5u_seterr("%s: duplicate panel variable %s", s->path, v->name), -1;
  return 0;
}

static int h5out_check_spec(const h5out_spec *s) {
  if (!s || !s->path || !s->path[0]) return h5u_seterr("h5out: no output path"), -1;
  if (s->chunk_steps < 1 || s->chunk_steps > H5OUT_MAX_CHUNK_STEPS)
    return h5u_seterr("%s: chunk_steps must be in 1..%d", s->path, H5OUT_MAX_CHUNK_STEPS), -1;
  if (s->deflate < 0 || s->deflate > 9)
    return h5u_seterr("%s: deflate level %d not in 0..9", s->path, s->deflate), -1;
  if ((s->n_series && !s->series) || (s->n_industry && !s->industry_labels) ||
      (s->n_region && !s->region_labels) || (s->n_panel_vars && !s->panel_vars))
    return h5u_seterr("%s: spec has a count without its array", s->path), -1;
  if (h5out_check_labels(s->path, "industry", s->industry_labels, s->n_industry) < 0 ||
      h5out_check_labels(s->path, "region", s->region_labels, s->n_region) < 0)
    return -1;
  for (size_t i = 0; i < s->n_series; i++)
    if (h5out_check_series(s, i) < 0) return -1;
  for (size_t i = 0; i < s->n_panel_vars; i++)
    if (h5out_check_panel_var(s, i) < 0) return -1;
  return 0;
}

static h5out *h5out_alloc(const h5out_spec *s) {
  h5out *h = calloc(1, sizeof *h);
  size_t per_step = 0, bytes;
  if (!h) return NULL;
  h->file = h->root = h->firms = h->snap = h->slot = h->alive = H5I_INVALID_HID;
  h->events = h->ev_index = h->ev_step = h->ev_kind = h->ev_detail = H5I_INVALID_HID;
  for (int g = 0; g < SERIES_NLEVELS; g++) h->sgrp[g] = h->sstep[g] = H5I_INVALID_HID;
  h->n_industry = s->n_industry;
  h->n_region = s->n_region;
  h->deflate = s->deflate;
  h->last_snap_step = -1;
  if (s->n_series && !(h->series = calloc(s->n_series, sizeof *h->series))) goto fail;
  h->n_series = s->n_series;
  per_step = sizeof *h->stepbuf;
  for (size_t i = 0; i < s->n_series; i++) {
    h->series[i].dset = H5I_INVALID_HID;
    h->series[i].group = s->series[i].group;
    h->series[i].cells = h5out_group_cells(h, s->series[i].group); /* checked by check_spec */
    if (h5u_mul(h->series[i].cells, sizeof(double), &bytes) < 0 || per_step + bytes < per_step)
      goto fail;
    per_step += bytes;
  }
  h->buf_steps = s->chunk_steps;
  if (h->buf_steps > H5OUT_MAX_BUFFER / per_step)
    h->buf_steps = H5OUT_MAX_BUFFER / per_step > 0 ? H5OUT_MAX_BUFFER / per_step : 1;
  if (!(h->stepbuf = calloc(h->buf_steps, sizeof *h->stepbuf))) goto fail;
  for (size_t i = 0; i < s->n_series; i++) {
    if (h5u_mul(h->series[i].cells, h->buf_steps, &bytes) < 0) goto fail;
    if (!(h->series[i].buf = calloc(bytes ? bytes : 1, sizeof(double)))) goto fail;
  }
  if (s->n_panel_vars) {
    if (!(h->pvars = calloc(s->n_panel_vars, sizeof *h->pvars)) ||
        !(h->ptypes = calloc(s->n_panel_vars, sizeof *h->ptypes)))
      goto fail;
    for (size_t j = 0; j < s->n_panel_vars; j++) {
      h->pvars[j] = H5I_INVALID_HID;
      h->ptypes[j] = s->panel_vars[j].type;
    }
  }
  h->n_pvars = s->n_panel_vars;
  return h;
fail:
  h5u_seterr("%s: out of memory (or sizes overflow)", s->path);
  if (h) {
    for (size_t i = 0; h->series && i < h->n_series; i++) free(h->series[i].buf);
    free(h->series);
    free(h->stepbuf);
    free(h->pvars);
    free(h->ptypes);
    free(h);
  }
  return NULL;
}

/* Close every object handle except the file (errors ignored). */
static void h5out_close_objects(h5out *h) {
  for (size_t i = 0; i < h->n_series; i++) h5u_close(&h->series[i].dset);
  for (size_t j = 0; j < h->n_pvars; j++) h5u_close(&h->pvars[j]);
  hid_t *ids[] = {&h->alive,   &h->snap,    &h->slot,      &h->firms,  &h->ev_index,
                  &h->ev_step, &h->ev_kind, &h->ev_detail, &h->events, &h->root};
  for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) h5u_close(ids[i]);
  for (int g = 0; g < SERIES_NLEVELS; g++) {
    h5u_close(&h->sstep[g]);
    h5u_close(&h->sgrp[g]);
  }
}

/* Safety net: close any object of FILE still open (none is, unless a bug
 * leaked one), so that H5Fclose really closes the file before the rename.
 * (The default close degree is kept: a non-default one would stop this
 * process from opening the file a second time, read-only.) */
static void h5out_close_leftovers(hid_t file) {
  unsigned types = H5F_OBJ_DATASET | H5F_OBJ_GROUP | H5F_OBJ_DATATYPE | H5F_OBJ_ATTR;
  ssize_t n = H5Fget_obj_count(file, types);
  hid_t *ids;
  if (n <= 0 || !(ids = malloc((size_t)n * sizeof *ids))) return;
  n = H5Fget_obj_ids(file, types, (size_t)n, ids);
  for (ssize_t i = 0; i < n; i++) h5u_close(&ids[i]);
  free(ids);
}

/* Close every handle (errors ignored) and free H; REMOVE_PARTIAL: remove
 * PATH.partial (unless it was renamed), else leave it. */
static void h5out_destroy(h5out *h, int remove_partial) {
  if (!h) return;
  h5out_close_objects(h);
  h5u_close(&h->file);
  for (size_t i = 0; i < h->n_series; i++) free(h->series[i].buf);
  free(h->series);
  free(h->stepbuf);
  free(h->pvars);
  free(h->ptypes);
  if (remove_partial)
    atomic_file_abort(&h->af);
  else
    atomic_file_release(&h->af);
  free(h);
}

static int h5out_create_file(h5out *h) {
  /* PATH.partial was made by atomic_file_begin: opened, not created */
  if ((h->file = h5u_create_file(h->partial, H5F_ACC_TRUNC)) < 0) return -1;
  if ((h->root = H5Gopen2(h->file, "/", H5P_DEFAULT)) < 0) {
    h5u_h5err("%s: root group", h->partial);
    return -1;
  }
  if (h5u_put_attr_str(h->root, "format", RUNFILE_FORMAT) < 0 ||
      h5u_put_attr_i64(h->root, "format_version", RUNFILE_FORMAT_VERSION) < 0 ||
      h5u_put_attr_str(h->root, "status", "running") < 0)
    return -1;
  return 0;
}

/* The four series groups, their scales and datasets. */
static int h5out_create_series(h5out *h, const h5out_spec *s) {
  int rc = -1;
  hid_t series = -1, ind[SERIES_NLEVELS], reg[SERIES_NLEVELS];
  double nan_fill = NAN;
  for (int g = 0; g < SERIES_NLEVELS; g++) ind[g] = reg[g] = H5I_INVALID_HID;
  if ((series = h5u_mkgroup(h->root, "series")) < 0) goto cleanup;
  for (int g = 0; g < SERIES_NLEVELS; g++) {
    if ((h->sgrp[g] = h5u_mkgroup(series, runfile_group_names[g])) < 0) goto cleanup;
    if ((h->sstep[g] = h5out_mkscale_int(h->sgrp[g], "step", s->chunk_steps, s->deflate, "1",
                                         "simulation step (0-based)")) < 0)
      goto cleanup;
    if ((g == SERIES_INDUSTRY || g == SERIES_INDUSTRY_REGION) &&
        (ind[g] = h5out_mkscale_labels(h->sgrp[g], "industry", s->industry_labels, s->n_industry,
                                       "industry id")) < 0)
      goto cleanup;
    if ((g == SERIES_REGION || g == SERIES_INDUSTRY_REGION) &&
        (reg[g] = h5out_mkscale_labels(h->sgrp[g], "region", s->region_labels, s->n_region,
                                       "region id")) < 0)
      goto cleanup;
  }
  for (size_t i = 0; i < s->n_series; i++) {
    const series_def *a = &s->series[i];
    int g = a->group, rank = 1;
    hsize_t dims[3] = {0, 0, 0}, maxd[3] = {H5S_UNLIMITED, 0, 0};
    hsize_t chunk[3] = {s->chunk_steps, 0, 0};
    hid_t sc[3] = {h->sstep[g], -1, -1};
    if (ind[g] >= 0) {
      dims[rank] = maxd[rank] = chunk[rank] = s->n_industry;
      sc[rank++] = ind[g];
    }
    if (reg[g] >= 0) {
      dims[rank] = maxd[rank] = chunk[rank] = s->n_region;
      sc[rank++] = reg[g];
    }
    if ((h->series[i].dset =
             h5out_mkdset(h->sgrp[g], a->name, H5T_IEEE_F64LE, rank, dims, maxd, chunk, s->deflate,
                          H5T_NATIVE_DOUBLE, &nan_fill, a->units, a->doc)) < 0)
      goto cleanup;
    for (int d = 0; d < rank; d++)
      if (h5u_attach(h->series[i].dset, sc[d], (unsigned)d, a->name) < 0) goto cleanup;
  }
  rc = 0;
cleanup:
  for (int g = 0; g < SERIES_NLEVELS; g++) {
    h5u_close(&ind[g]);
    h5u_close(&reg[g]);
  }
  h5u_close(&series);
  return rc;
}

/* One panel dataset (snapshot, slot) of type T, attached to both scales. */
static hid_t h5out_mkpanel(h5out *h, const char *name, panel_type t, const char *units,
                           const char *doc) {
  hsize_t dims[2] = {0, 0}, maxd[2] = {H5S_UNLIMITED, H5S_UNLIMITED};
  hsize_t chunk[2] = {1, H5OUT_SLOT_CHUNK};
  unsigned char zero[8] = {0};
  hid_t d = h5out_mkdset(h->firms, name, h5out_file_type(t), 2, dims, maxd, chunk, h->deflate,
                         h5out_mem_type(t), zero, units, doc);
  if (d >= 0 && (h5u_attach(d, h->snap, 0, name) < 0 || h5u_attach(d, h->slot, 1, name) < 0))
    h5u_close(&d);
  return d;
}

static int h5out_create_panel(h5out *h, const h5out_spec *s) {
  if ((h->firms = h5u_mkgroup(h->root, "firms")) < 0) return -1;
  if ((h->snap = h5out_mkscale_int(h->firms, "snapshot", H5OUT_SNAP_CHUNK, s->deflate, "1",
                                   "step at which the snapshot was taken")) < 0)
    return -1;
  if ((h->slot = h5out_mkscale_int(h->firms, "slot", H5OUT_SLOT_CHUNK, s->deflate, "1",
                                   "firm slot index")) < 0)
    return -1;
  if ((h->alive = h5out_mkpanel(h, "alive", PANEL_U8, "1", "1 if the slot holds a live firm")) < 0)
    return -1;
  for (size_t j = 0; j < s->n_panel_vars; j++) {
    const panel_var *v = &s->panel_vars[j];
    if ((h->pvars[j] = h5out_mkpanel(h, v->name, v->type, v->units, v->doc)) < 0) return -1;
  }
  return 0;
}

static int h5out_create_events(h5out *h, const h5out_spec *s) {
  hsize_t dims[1] = {0}, maxd[1] = {H5S_UNLIMITED}, chunk[1] = {H5OUT_EVENT_CHUNK};
  int rc = -1;
  hid_t st = -1;
  if ((h->events = h5u_mkgroup(h->root, "events")) < 0) goto cleanup;
  if ((h->ev_index = h5out_mkscale_int(h->events, "event", H5OUT_EVENT_CHUNK, s->deflate, "1",
                                       "event index")) < 0)
    goto cleanup;
  if ((st = h5u_vlen_str_type()) < 0) {
    h5u_h5err("string type");
    goto cleanup;
  }
  if ((h->ev_step = h5out_mkdset(h->events, "step", H5T_STD_I32LE, 1, dims, maxd, chunk, s->deflate,
                                 H5T_NATIVE_INT32, NULL, "1", "step of the event")) < 0 ||
      h5u_attach(h->ev_step, h->ev_index, 0, "events/step") < 0)
    goto cleanup;
  if ((h->ev_kind = h5out_mkdset(h->events, "kind", st, 1, dims, maxd, chunk, -1, st, NULL, "1",
                                 "kind of event (lever, shock, ...)")) < 0 ||
      h5u_attach(h->ev_kind, h->ev_index, 0, "events/kind") < 0)
    goto cleanup;
  if ((h->ev_detail = h5out_mkdset(h->events, "detail", st, 1, dims, maxd, chunk, -1, st, NULL, "1",
                                   "description of the event")) < 0 ||
      h5u_attach(h->ev_detail, h->ev_index, 0, "events/detail") < 0)
    goto cleanup;
  rc = 0;
cleanup:
  h5u_close(&st);
  return rc;
}

h5out *h5out_open(const h5out_spec *spec, int *exists, char *err, size_t errlen) {
  h5out *h = NULL;
  atomic_file af;
  int created = 0;
  if (exists) *exists = 0;
  h5u_quiet();
  if (h5out_check_spec(spec) < 0) goto fail;
  /* refuses an existing PATH without force, removes a stale PATH.partial */
  if (atomic_file_begin(&af, spec->path, spec->force ? AF_FORCE : 0) < 0) {
    if (exists && AF_BAD_INPUT(af.stage)) *exists = 1; /* refused: busy, not regular, ... */
    h5u_seterr("%s", af.msg);
    atomic_file_release(&af);
    goto fail;
  }
  if (!(h = h5out_alloc(spec))) {
    atomic_file_release(&af);
    goto fail;
  }
  h->af = af; /* h owns the names from here on */
  h->path = h->af.path;
  h->partial = h->af.tmp;
  if (h5out_create_file(h) < 0) goto fail;
  created = 1;
  if (h5out_create_series(h, spec) < 0 || h5out_create_panel(h, spec) < 0 ||
      h5out_create_events(h, spec) < 0)
    goto fail;
  return h;
fail:
  h5u_copyerr(err, errlen);
  if (h) h5out_destroy(h, created);
  return NULL;
}

/* ---- root attributes and text ----------------------------------------- */

int h5out_attr_str(h5out *h, const char *name, const char *value) {
  if (!h5out_usable(h, "attribute")) return -1;
  if (!h5out_valid_name(name)) return h5u_seterr("attribute: invalid name"), -1;
  if (h5u_put_attr_str(h->root, name, value) < 0) return h5out_break(h);
  return 0;
}

int h5out_attr_i64(h5out *h, const char *name, int64_t value) {
  if (!h5out_usable(h, "attribute")) return -1;
  if (!h5out_valid_name(name)) return h5u_seterr("attribute: invalid name"), -1;
  if (h5u_put_attr_i64(h->root, name, (long long)value) < 0) return h5out_break(h);
  return 0;
}

int h5out_attr_f64(h5out *h, const char *name, double value) {
  if (!h5out_usable(h, "attribute")) return -1;
  if (!h5out_valid_name(name)) return h5u_seterr("attribute: invalid name"), -1;
  if (h5u_put_attr_f64(h->root, name, value) < 0) return h5out_break(h);
  return 0;
}

int h5out_text(h5out *h, const char *name, const char *text) {
  int rc = -1;
  hid_t st = -1, space = -1, d = -1;
  const char *v = text ? text : "";
  if (!h5out_usable(h, "text")) return -1;
  if (!h5out_valid_name(name)) return h5u_seterr("text: invalid name"), -1;
  htri_t ex = H5Lexists(h->root, name, H5P_DEFAULT);
  if (ex != 0) {
    if (ex < 0)
      h5u_h5err("text %s", name);
    else
      h5u_seterr("text %s: /%s already exists", name, name);
    goto cleanup;
  }
  if ((st = h5u_vlen_str_type()) < 0 || (space = H5Screate(H5S_SCALAR)) < 0) {
    h5u_h5err("text %s", name);
    goto cleanup;
  }
  if ((d = H5Dcreate2(h->root, name, st, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) < 0) {
    h5u_h5err("creating /%s", name);
    goto cleanup;
  }
  if (H5Dwrite(d, st, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v) < 0) {
    h5u_h5err("writing /%s", name);
    goto cleanup;
  }
  if (h5u_put_attr_str(d, "units", "") < 0 || h5u_put_attr_str(d, "long_name", name) < 0)
    goto cleanup;
  rc = 0;
cleanup:
  h5u_close(&d);
  h5u_close(&space);
  h5u_close(&st);
  return rc < 0 ? h5out_break(h) : 0;
}

/* ---- appending -------------------------------------------------------- */

int h5out_step(h5out *h, int step, const double *const *values) {
  if (!h5out_usable(h, "step")) return -1;
  if (step != h->next_step) {
    h5u_seterr("%s: step %d out of order (expected %d)", h->path, step, h->next_step);
    return h5out_break(h);
  }
  if (h->n_series && !values) {
    h5u_seterr("%s: step %d: no values", h->path, step);
    return h5out_break(h);
  }
  for (size_t i = 0; i < h->n_series; i++) {
    h5out_sdata *s = &h->series[i];
    if (!values[i]) {
      h5u_seterr("%s: step %d: series %zu has no values", h->path, step, i);
      return h5out_break(h);
    }
    memcpy(s->buf + h->nbuf * s->cells, values[i], s->cells * sizeof(double));
  }
  h->stepbuf[h->nbuf++] = step;
  h->next_step++;
  if (h->nbuf == h->buf_steps && h5out_write_block(h) < 0) return h5out_break(h);
  return 0;
}

/* Grow the slot scale to N slots (values old..N-1). */
static int h5out_grow_slots(h5out *h, hsize_t n) {
  hsize_t old = h->n_slots, add = n - old;
  int *idx;
  int rc;
  if (n <= old) return 0;
  if (n > (hsize_t)INT32_MAX) return h5u_seterr("%s: too many slots", h->path), -1;
  if (!(idx = malloc((size_t)add * sizeof *idx)))
    return h5u_seterr("%s: out of memory", h->path), -1;
  for (hsize_t i = 0; i < add; i++) idx[i] = (int)(old + i);
  rc = h5out_append_i32(h->slot, old, add, idx, "firms/slot");
  free(idx);
  if (rc == 0) h->n_slots = n;
  return rc;
}

/* Append row N_SNAP of panel dataset D (N values of MEMTYPE at BUF). */
static int h5out_panel_row(h5out *h, hid_t d, hid_t memtype, size_t n, const void *buf,
                           const char *what) {
  hsize_t dims[2] = {h->n_snap + 1, h->n_slots}, start[2] = {h->n_snap, 0}, count[2] = {1, n};
  if (h5out_extend(d, dims, what) < 0) return -1;
  return h5out_write_box(d, memtype, 2, start, count, buf, what);
}

int h5out_panel(h5out *h, int step, size_t n_slots, const void *const *columns,
                const uint8_t *alive) {
  if (!h5out_usable(h, "panel")) return -1;
  if (step < 0 || step <= h->last_snap_step) {
    h5u_seterr("%s: panel snapshot at step %d: steps must increase (last %d)", h->path, step,
               h->last_snap_step);
    return h5out_break(h);
  }
  if (n_slots && (!alive || (h->n_pvars && !columns))) {
    h5u_seterr("%s: panel snapshot at step %d: missing columns", h->path, step);
    return h5out_break(h);
  }
  for (size_t j = 0; n_slots && j < h->n_pvars; j++)
    if (!columns[j]) {
      h5u_seterr("%s: panel snapshot at step %d: column %zu is NULL", h->path, step, j);
      return h5out_break(h);
    }
  if (h5out_grow_slots(h, (hsize_t)n_slots) < 0) return h5out_break(h);
  if (h5out_append_i32(h->snap, h->n_snap, 1, &step, "firms/snapshot") < 0 ||
      h5out_panel_row(h, h->alive, H5T_NATIVE_UINT8, n_slots, alive, "firms/alive") < 0)
    return h5out_break(h);
  for (size_t j = 0; j < h->n_pvars; j++)
    if (h5out_panel_row(h, h->pvars[j], h5out_mem_type(h->ptypes[j]), n_slots,
                        n_slots ? columns[j] : NULL, "firms panel") < 0)
      return h5out_break(h);
  h->n_snap++;
  h->last_snap_step = step;
  return 0;
}

int h5out_event(h5out *h, int step, const char *kind, const char *detail) {
  hsize_t n, dims[1], start[1], count[1] = {1};
  int idx;
  const char *k = kind ? kind : "", *d = detail ? detail : "";
  hid_t st;
  int rc = -1;
  if (!h5out_usable(h, "event")) return -1;
  n = h->n_events;
  dims[0] = n + 1;
  start[0] = n;
  idx = (int)n;
  if ((st = h5u_vlen_str_type()) < 0) {
    h5u_h5err("event");
    return h5out_break(h);
  }
  if (h5out_append_i32(h->ev_index, n, 1, &idx, "events/event") < 0 ||
      h5out_append_i32(h->ev_step, n, 1, &step, "events/step") < 0 ||
      h5out_extend(h->ev_kind, dims, "events/kind") < 0 ||
      h5out_write_box(h->ev_kind, st, 1, start, count, &k, "events/kind") < 0 ||
      h5out_extend(h->ev_detail, dims, "events/detail") < 0 ||
      h5out_write_box(h->ev_detail, st, 1, start, count, &d, "events/detail") < 0)
    goto cleanup;
  h->n_events = n + 1;
  rc = 0;
cleanup:
  h5u_close(&st);
  return rc < 0 ? h5out_break(h) : 0;
}

int h5out_flush(h5out *h) {
  if (!h5out_usable(h, "flush")) return -1;
  if (h5out_write_block(h) < 0) return h5out_break(h);
  if (H5Fflush(h->file, H5F_SCOPE_GLOBAL) < 0) {
    h5u_h5err("%s: flush", h->partial);
    return h5out_break(h);
  }
  return 0;
}

/* ---- finish ----------------------------------------------------------- */

int h5out_finish(h5out **hp, int success, char *err, size_t errlen) {
  h5out *h;
  int ok, closed = 1;
  if (!hp || !*hp) {
    h5u_seterr("h5out_finish: no writer");
    h5u_copyerr(err, errlen);
    return -1;
  }
  h = *hp;
  *hp = NULL;
  /* Write what is buffered even for a failed run: it helps diagnosis. */
  if (!h->broken && h5out_write_block(h) < 0) h5out_break(h);
  ok = success && !h->broken;
  if (h5u_put_attr_str(h->root, "status", ok ? "complete" : "failed") < 0) {
    ok = 0;
    closed = 0;
    h5out_break(h);
  }
  h5out_close_objects(h);
  h5out_close_leftovers(h->file);
  if (H5Fclose(h->file) < 0) {
    h5u_h5err("%s: closing", h->partial);
    ok = 0;
    closed = 0;
    h5out_break(h);
  }
  h->file = H5I_INVALID_HID;
  if (ok && atomic_file_commit(&h->af) < 0) { /* fsync, rename, fsync the directory */
    h5u_seterr("%s", h->af.msg);
    ok = 0;
  }
  if (success && !ok && h->broken) h5u_seterr("%s (run left as %s)", h->err, h->partial);
  if (success ? !ok : !closed) h5u_copyerr(err, errlen);
  h5out_destroy(h, 0); /* a failed run stays as PATH.partial */
  return (success ? ok : closed) ? 0 : -1;
}
