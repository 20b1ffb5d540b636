/* checkpoint: saving and restoring the world (layout in checkpoint.h).
 *
 * What is saved is decided by two tables:
 *  - firm_arrays: every array of firm_soa, built from the FIRM_F64,
 *    FIRM_U8 and FIRM_U16 lists of world.h (so a variable added to a list
 *    is saved with no change here) plus the arrays with several elements
 *    per slot. A static assertion fails the build when firm_soa has a
 *    pointer member that is in no list and not in this table, and one per
 *    list entry fails it when an array's type does not match its list;
 *  - world_members: every member of struct world with its role: SAVE
 *    (native bytes), CHECK (must equal the value world_create rebuilt from
 *    the scenario), HEAP (a heap array of known length, native bytes) or
 *    DERIVED (rebuilt: the scenario pointer, thread count, indexes and
 *    scratch). ckpt_layout_check() fails (and with it every checkpoint
 *    write and tests/output/test_checkpoint.c) when a member is missing.
 *
 * Invariants:
 *  - firm arrays are saved over all cap slots, so dead and never-used
 *    slots are restored too and a resumed run allocates, reuses and grows
 *    slots exactly as the uninterrupted one;
 *  - before restoring anything that indexes an array (slot counts, free
 *    list, industries and regions of firms, suppliers, industry inputs,
 *    institute regions) its range is checked; a failed restore leaves the
 *    world unusable and the caller frees it;
 *  - native byte order and struct layout: a checkpoint is resumed by a
 *    build with the same layout string (checked at open).
 */
#include "output/checkpoint.h"
#include "base/atomic_file.h"
#include "base/limits.h"
#include "output/checkpoint_priv.h"
#include "output/h5util.h"
#include "output/meta_hash.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buildinfo.h"

/* ---- tables --------------------------------------------------------------- */

typedef enum { CT_F64, CT_U8, CT_U16, CT_I32, CT_U64, CT_BYTES } ck_type;

/* HDF5 element kind of firm_soa member M, from its pointer type. */
#define CK_TYPE_OF(m)                                                                              \
  _Generic(((firm_soa *)0)->m, double *: CT_F64, uint8_t *: CT_U8, uint16_t *: CT_U16,           \
           int32_t *: CT_I32, uint64_t *: CT_U64, default: CT_BYTES)

/* Arrays with several elements per slot: their index, and their elements
 * per slot from the FIRM_MULTI list (an expression of the firm_soa F). */
#define MULTI_ENUM(m, per) MULTI_##m,
enum { MULTI_NONE = -1, FIRM_MULTI(MULTI_ENUM, f) MULTI_N };

static size_t multi_per_slot(const firm_soa *F, int which) {
  switch (which) {
#define MULTI_CASE(m, per)                                                                         \
  case MULTI_##m:                                                                                  \
    return (size_t)(per);
    FIRM_MULTI(MULTI_CASE, F)
  default:
    return 1;
  }
}

typedef struct ck_array {
  const char *name;
  size_t off;   /* offset of the pointer member in firm_soa */
  size_t esize; /* bytes per element */
  ck_type type;
  int multi; /* MULTI_* index, or MULTI_NONE: one element per slot */
} ck_array;

#define FA(m, multi)     {#m, offsetof(firm_soa, m), sizeof(*((firm_soa *)0)->m), CK_TYPE_OF(m), multi},
#define FA_ONE(m)        FA(m, MULTI_NONE)
#define FA_MULTI(m, per) FA(m, MULTI_##m)

/* Every array of firm_soa, from the lists of world.h. */
static const ck_array firm_arrays[] = {FIRM_F64(FA_ONE) FIRM_U8(FA_ONE) FIRM_U16(FA_ONE)
                                           FIRM_OTHER(FA_ONE) FIRM_MULTI(FA_MULTI, f)};
#define N_FIRM_ARRAYS (sizeof firm_arrays / sizeof firm_arrays[0])

/* The size_t members of firm_soa: SAVE the slot counts, CHECK the
 * per-firm element counts (they follow from the scenario). */
typedef struct ck_scalar {
  const char *name;
  size_t off;
  int check;
} ck_scalar;
static const ck_scalar firm_scalars[] = {{"cap", offsetof(firm_soa, cap), 0},
                                         {"n", offsetof(firm_soa, n), 0},
                                         {"nslot", offsetof(firm_soa, nslot), 1},
                                         {"npipe", offsetof(firm_soa, npipe), 1}};
#define N_FIRM_SCALARS (sizeof firm_scalars / sizeof firm_scalars[0])

/* firm_soa is its size_t counts and one pointer per array: a member that is
 * in no list of world.h (nor in firm_scalars) changes its size. */
_Static_assert(sizeof(firm_soa) == N_FIRM_SCALARS * sizeof(size_t) + N_FIRM_ARRAYS * sizeof(void *),
               "firm_soa has a member the checkpoint does not know: add the new array to a "
               "FIRM_* list in world/world.h (or a new count to firm_scalars in "
               "output/checkpoint.c)");

#define ASSERT_TYPE(m, T, list)                                                                    \
  _Static_assert(_Generic(((firm_soa *)0)->m, T * : 1, default : 0),                               \
                 "firm_soa." #m " is in " list " but is not a " #T " array");
#define ASSERT_F64(m) ASSERT_TYPE(m, double, "FIRM_F64")
#define ASSERT_U8(m)  ASSERT_TYPE(m, uint8_t, "FIRM_U8")
#define ASSERT_U16(m) ASSERT_TYPE(m, uint16_t, "FIRM_U16")
FIRM_F64(ASSERT_F64)
FIRM_U8(ASSERT_U8)
FIRM_U16(ASSERT_U16)

typedef enum { WM_SAVE, WM_CHECK, WM_HEAP, WM_DERIVED } wm_role;

typedef size_t (*wm_bytes_fn)(const world *w);

typedef struct wm_member {
  const char *name;
  size_t off, size;
  wm_role role;
  wm_bytes_fn bytes; /* HEAP: bytes of the heap array */
} wm_member;

static size_t inst_bytes(const world *w) {
  return (size_t)w->n_inst * sizeof(institute_state);
}
static size_t cell_bytes(const world *w) {
  return (size_t)w->ni * (size_t)w->nr * sizeof(double);
}
static size_t free_bytes(const world *w) {
  return w->n_free * sizeof(size_t);
}

#define WM(m, role, fn)                                                                            \
  { #m, offsetof(world, m), sizeof(((world *)0)->m), role, fn }

/* Every member of struct world, in declaration order. When you add a member
 * to struct world, add it here (ckpt_layout_check and the unit test
 * checkpoint/tables_cover_struct_world fail until you do). */
static const wm_member world_members[] = {
    WM(scn, WM_DERIVED, NULL), /* borrowed: rebuilt from /scenario */
    WM(ni, WM_CHECK, NULL),
    WM(nr, WM_CHECK, NULL),
    WM(ext, WM_CHECK, NULL),
    WM(spy, WM_CHECK, NULL),
    WM(step, WM_SAVE, NULL),
    WM(threads, WM_DERIVED, NULL), /* a setting of the resumed run */
    WM(seed, WM_CHECK, NULL),
    WM(next_uid, WM_SAVE, NULL),
    WM(rng, WM_SAVE, NULL),
    WM(f, WM_DERIVED, NULL), /* firm arrays: firm_arrays above */
    WM(ind, WM_SAVE, NULL),
    WM(reg, WM_SAVE, NULL),
    WM(inst, WM_HEAP, inst_bytes),
    WM(n_inst, WM_CHECK, NULL),
    WM(gov, WM_SAVE, NULL),
    WM(acc, WM_SAVE, NULL),
    WM(money0, WM_SAVE, NULL),
    WM(debt0, WM_SAVE, NULL),
    WM(capital0, WM_SAVE, NULL),
    WM(bad_debt, WM_SAVE, NULL),
    WM(credit_mult, WM_SAVE, NULL),
    WM(entries, WM_SAVE, NULL),
    WM(exits, WM_SAVE, NULL),
    WM(cell_entries, WM_HEAP, cell_bytes),
    WM(cell_exits, WM_HEAP, cell_bytes),
    WM(free_list, WM_HEAP, free_bytes),
    WM(n_free, WM_SAVE, NULL),
    WM(rev_start, WM_DERIVED, NULL),
    WM(rev_slot, WM_DERIVED, NULL),
    WM(links_dirty, WM_SAVE, NULL),
    WM(ind_start, WM_DERIVED, NULL),
    WM(ind_firms, WM_DERIVED, NULL),
    WM(cum_w, WM_DERIVED, NULL),
    WM(cum_k, WM_DERIVED, NULL),
    WM(cell_start, WM_DERIVED, NULL),
    WM(cell_pos, WM_DERIVED, NULL),
    WM(scratch, WM_DERIVED, NULL),
    WM(scratch_len, WM_DERIVED, NULL),
    /* classroom order overrides: for the next step only, empty between the
     * steps of `nqpsim run`; never checkpointed (world/world.h) */
    WM(overrides, WM_DERIVED, NULL),
    WM(n_overrides, WM_DERIVED, NULL),
    WM(cap_overrides, WM_DERIVED, NULL),
};
#define N_WORLD_MEMBERS (sizeof world_members / sizeof world_members[0])

size_t ckpt_firm_array_count(void) {
  return N_FIRM_ARRAYS;
}

/* ---- layout --------------------------------------------------------------- */

static int cmp_member(const void *a, const void *b) {
  const wm_member *x = *(const wm_member *const *)a, *y = *(const wm_member *const *)b;
  return (x->off > y->off) - (x->off < y->off);
}

/* Members sorted by offset must tile struct world: a gap as wide as a
 * pointer is more than alignment padding, so a member the table misses.
 * (A new int that fits in existing padding is not seen here; the resume
 * tests compare whole runs and catch it if it matters.) */
int ckpt_layout_check(char *err, size_t errlen) {
  const wm_member *s[N_WORLD_MEMBERS];
  for (size_t i = 0; i < N_WORLD_MEMBERS; i++) s[i] = &world_members[i];
  qsort(s, N_WORLD_MEMBERS, sizeof s[0], cmp_member);
  size_t end = 0;
  for (size_t i = 0; i < N_WORLD_MEMBERS; i++) {
    if (s[i]->off < end || s[i]->off - end >= sizeof(void *)) {
      snprintf(err, errlen,
               "struct world has %zu bytes at offset %zu not covered by the checkpoint table "
               "(before member %s): add the new member to world_members in "
               "output/checkpoint.c",
               s[i]->off - end, end, s[i]->name);
      return -1;
    }
    end = s[i]->off + s[i]->size;
  }
  if (sizeof(world) - end >= sizeof(void *)) {
    snprintf(err, errlen,
             "struct world has %zu bytes after its last known member %s: add the new member "
             "to world_members in output/checkpoint.c",
             sizeof(world) - end, s[N_WORLD_MEMBERS - 1]->name);
    return -1;
  }
  return 0;
}

static void layout_string(char *buf, size_t len) {
  snprintf(buf, len,
           "world=%zu firm_soa=%zu industry_state=%zu region_state=%zu institute_state=%zu "
           "government_state=%zu rng=%zu limits=%d/%d/%d/%d",
           sizeof(world), sizeof(firm_soa), sizeof(industry_state), sizeof(region_state),
           sizeof(institute_state), sizeof(government_state), sizeof(rng_t), WORLD_MAX_INDUSTRIES,
           WORLD_MAX_REGIONS, WORLD_MAX_INPUTS, WORLD_HIST);
}

/* ---- small helpers ---------------------------------------------------------- */

static hid_t native(ck_type t) {
  switch (t) {
  case CT_F64:
    return H5T_NATIVE_DOUBLE;
  case CT_U16:
    return H5T_NATIVE_UINT16;
  case CT_I32:
    return H5T_NATIVE_INT32;
  case CT_U64:
    return H5T_NATIVE_UINT64;
  default:
    return H5T_NATIVE_UINT8;
  }
}

/* Elements (of the array's HDF5 type) of A over all of F's slots. */
static size_t array_len(const firm_soa *f, const ck_array *a) {
  size_t n = f->cap * (a->multi == MULTI_NONE ? 1 : multi_per_slot(f, a->multi));
  return a->type == CT_BYTES ? n * a->esize : n;
}
static void **array_ptr(firm_soa *f, const ck_array *a) {
  return (void **)((char *)f + a->off);
}

/* ---- writing -------------------------------------------------------------- */

/* What the root's meta_hash covers (output/meta_hash.h): every attribute a
 * resume trusts and the scenario text, i.e. all but `status` (rewritten
 * last, and checked to be "complete") and meta_hash itself. */
static const char *const ckpt_hashed[] = {
    "format",       "format_version", "program",     "version",          "git_commit",
    "layout",       "step",           "steps",       "checkpoint_every", "output",
    "command_line", "start_time",     "wall_time_s", "/scenario",        NULL};

static int write_info(hid_t root, const world *w, const ckpt_info *in) {
  char layout[256];
  layout_string(layout, sizeof layout);
  if (h5u_put_attr_str(root, "format", CKPT_FORMAT) < 0 ||
      h5u_put_attr_i64(root, "format_version", CKPT_FORMAT_VERSION) < 0 ||
      h5u_put_attr_str(root, "status", "writing") < 0 ||
      h5u_put_attr_str(root, "program", "nqpsim") < 0 ||
      h5u_put_attr_str(root, "version", nqp_build_version) < 0 ||
      h5u_put_attr_str(root, "git_commit", nqp_build_commit) < 0 ||
      h5u_put_attr_str(root, "layout", layout) < 0 || h5u_put_attr_i64(root, "step", w->step) < 0 ||
      h5u_put_attr_i64(root, "steps", in->steps) < 0 ||
      h5u_put_attr_i64(root, "checkpoint_every", in->checkpoint_every) < 0 ||
      h5u_put_attr_str(root, "output", in->output ? in->output : "") < 0 ||
      h5u_put_attr_str(root, "command_line", in->command_line ? in->command_line : "") < 0 ||
      h5u_put_attr_str(root, "start_time", in->start_time ? in->start_time : "") < 0 ||
      h5u_put_attr_f64(root, "wall_time_s", in->wall_s) < 0)
    return -1;
  if (ckpt_put_text(root, "scenario", in->scenario) < 0) return -1;
  return meta_hash_seal(root, ckpt_hashed);
}

static int write_world(hid_t file, const world *w) {
  hid_t g = ckpt_mkgroup(file, "world");
  int rc = g < 0 ? -1 : 0;
  for (size_t i = 0; rc == 0 && i < N_WORLD_MEMBERS; i++) {
    const wm_member *m = &world_members[i];
    const char *p = (const char *)w + m->off;
    if (m->role == WM_SAVE || m->role == WM_CHECK)
      rc = ckpt_put(g, m->name, H5T_NATIVE_UINT8, m->size, p);
    else if (m->role == WM_HEAP)
      rc = ckpt_put(g, m->name, H5T_NATIVE_UINT8, m->bytes(w), *(void *const *)p);
  }
  h5u_close(&g);
  return rc;
}

static int write_firms(hid_t file, const world *w) {
  hid_t g = ckpt_mkgroup(file, "firms");
  int rc = g < 0 ? -1 : 0;
  firm_soa *f = (firm_soa *)&w->f; /* array_ptr is shared with restore; nothing is written */
  uint64_t counts[N_FIRM_SCALARS];
  for (size_t i = 0; i < N_FIRM_SCALARS; i++)
    counts[i] = *(const size_t *)((const char *)f + firm_scalars[i].off);
  if (rc == 0) rc = ckpt_put(g, "counts", H5T_NATIVE_UINT64, N_FIRM_SCALARS, counts);
  for (size_t i = 0; rc == 0 && i < N_FIRM_ARRAYS; i++)
    rc = ckpt_put(g, firm_arrays[i].name, native(firm_arrays[i].type),
                  array_len(f, &firm_arrays[i]), *array_ptr(f, &firm_arrays[i]));
  h5u_close(&g);
  return rc;
}

/* ---- the file checksum ---------------------------------------------------- */

/* The checkpoint's first CKPT_USERBLOCK bytes are an HDF5 user block (HDF5
 * ignores it): "NQPCKPT1", the file's size (u64 little-endian) and the
 * CRC-32C of every byte after the block (u32 little-endian), then zeros.
 * Written after the file is closed, verified before HDF5 reads anything:
 * damage anywhere (metadata, heap, data) is refused without letting
 * libhdf5 parse it (its error paths on corrupt object headers leak). */
#define CKPT_USERBLOCK 512
#define CKPT_SEAL      "NQPCKPT1"

static void put_le(unsigned char *p, uint64_t v, int n) {
  for (int i = 0; i < n; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le(const unsigned char *p, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; i--) v = (v << 8) | p[i];
  return v;
}

int ckpt_seal(const char *path) {
  unsigned char head[CKPT_USERBLOCK] = {0};
  struct stat st;
  uint32_t crc;
  int fd = open(path, O_RDWR | O_CLOEXEC), rc = -1;
  if (fd < 0 || fstat(fd, &st) != 0 || st.st_size < CKPT_USERBLOCK ||
      meta_crc32c_fd(fd, CKPT_USERBLOCK, st.st_size, &crc) != 0) {
    h5u_seterr("%s: cannot checksum: %s", path, strerror(errno));
  } else {
    memcpy(head, CKPT_SEAL, 8);
    put_le(head + 8, (uint64_t)st.st_size, 8);
    put_le(head + 16, crc, 4);
    if (pwrite(fd, head, sizeof head, 0) != (ssize_t)sizeof head)
      h5u_seterr("%s: write error: %s", path, errno ? strerror(errno) : "short write");
    else
      rc = 0;
  }
  if (fd >= 0) close(fd);
  return rc;
}

/* Verify the file checksum of PATH before HDF5 opens it: 1 verified, 0 no
 * checksum block (not a checkpoint of this format: the format checks say
 * what it is), -1 refused (message set). */
static int check_seal(const char *path) {
  unsigned char head[CKPT_USERBLOCK];
  struct stat st;
  uint32_t crc;
  int fd = open(path, O_RDONLY | O_CLOEXEC), rc = -1;
  if (fd < 0 || fstat(fd, &st) != 0) {
    h5u_seterr("%s", strerror(errno));
  } else if (st.st_size < CKPT_USERBLOCK || pread(fd, head, sizeof head, 0) != sizeof head ||
             memcmp(head, CKPT_SEAL, 8) != 0) {
    rc = 0;
  } else if (get_le(head + 8, 8) != (uint64_t)st.st_size) {
    h5u_seterr("truncated or extended checkpoint: %lld bytes, %llu were written",
               (long long)st.st_size, (unsigned long long)get_le(head + 8, 8));
  } else if (meta_crc32c_fd(fd, CKPT_USERBLOCK, st.st_size, &crc) != 0) {
    h5u_seterr("cannot read: %s", strerror(errno));
  } else if (crc != (uint32_t)get_le(head + 16, 4)) {
    h5u_seterr("corrupt checkpoint: its bytes do not match the checksum written with it "
               "(CRC-32C of bytes %d to %lld: damaged since it was written)",
               CKPT_USERBLOCK, (long long)st.st_size - 1);
  } else
    rc = 1;
  if (fd >= 0) close(fd);
  return rc;
}

static hid_t create_file(const char *partial) {
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS), fcpl = H5Pcreate(H5P_FILE_CREATE), file = -1;
  if (fapl >= 0 && fcpl >= 0 && H5Pset_userblock(fcpl, CKPT_USERBLOCK) >= 0 &&
      H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V110) >= 0)
    file = H5Fcreate(partial, H5F_ACC_TRUNC, fcpl, fapl); /* made by atomic_file_begin */
  if (file < 0) h5u_h5err("%s: cannot create", partial);
  h5u_close(&fcpl);
  h5u_close(&fapl);
  return file;
}

static int write_all(const char *partial, const world *w, const ckpt_info *in,
                     const char *output_partial) {
  hid_t file = create_file(partial), root = -1;
  int rc = -1;
  if (file < 0) return -1;
  if ((root = H5Gopen2(file, "/", H5P_DEFAULT)) < 0) {
    h5u_h5err("%s: root group", partial);
    goto done;
  }
  if (write_info(root, w, in) < 0 || write_world(file, w) < 0 || write_firms(file, w) < 0)
    goto done;
  if (output_partial && ckpt_copy_output(file, output_partial) < 0) goto done;
  if (h5u_put_attr_str(root, "status", "complete") < 0) goto done;
  rc = 0;
done:
  h5u_close(&root);
  if (H5Fclose(file) < 0 && rc == 0) {
    h5u_h5err("%s: closing", partial);
    rc = -1;
  }
  if (rc == 0 && ckpt_seal(partial) != 0) rc = -1; /* last: covers every byte */
  return rc;
}

int ckpt_write(const char *path, const world *w, const ckpt_info *info, const char *output_partial,
               char *err, size_t errlen) {
  atomic_file af;
  int rc = CKPT_FAIL;
  h5u_quiet();
  if (ckpt_layout_check(err, errlen) != 0) return CKPT_FAIL;
  /* PATH.partial (a stale one removed), fsynced and renamed over PATH, then
   * the directory fsynced: the previous checkpoint stays intact until then */
  if (atomic_file_begin(&af, path, AF_FORCE) == 0 &&
      write_all(af.tmp, w, info, output_partial) == 0 && atomic_file_commit(&af) == 0)
    rc = CKPT_OK;
  else if (af.stage != AF_OK)
    h5u_seterr("%s", af.msg);
  if (rc != CKPT_OK) snprintf(err, errlen, "checkpoint %s: %s", path, h5u_last_error());
  atomic_file_abort(&af); /* nothing that looks complete is left */
  return rc;
}

/* ---- opening -------------------------------------------------------------- */

/* Scalar attribute NAME read as MEMTYPE into V; WHAT names the expected
 * kind in the message. */
static int get_scalar(hid_t obj, const char *name, hid_t memtype, void *v, const char *what) {
  hid_t a = -1;
  int rc = -1;
  if (H5Aexists(obj, name) <= 0 || (a = H5Aopen(obj, name, H5P_DEFAULT)) < 0) {
    h5u_seterr("attribute %s missing", name);
    H5Eclear2(H5E_DEFAULT);
    return -1;
  }
  hid_t sp = H5Aget_space(a);
  if (sp >= 0 && H5Sget_simple_extent_npoints(sp) == 1 && H5Aread(a, memtype, v) >= 0)
    rc = 0;
  else
    h5u_seterr("attribute %s is not %s", name, what);
  H5Eclear2(H5E_DEFAULT);
  h5u_close(&sp);
  h5u_close(&a);
  return rc;
}

static int get_i64(hid_t obj, const char *name, long long *v) {
  return get_scalar(obj, name, H5T_NATIVE_LLONG, v, "an integer");
}

static int get_f64(hid_t obj, const char *name, double *v) {
  return get_scalar(obj, name, H5T_NATIVE_DOUBLE, v, "a number");
}

/* String attribute NAME into *OUT (heap); -1 when missing. */
static int get_str(hid_t obj, const char *name, char **out) {
  *out = h5u_get_attr_str(obj, name);
  H5Eclear2(H5E_DEFAULT);
  if (!*out) h5u_seterr("attribute %s missing or not a string", name);
  return *out ? 0 : -1;
}

/* The scenario text and the attributes read_info trusts must match their
 * checksums (HDF5 keeps strings in its global heap, which Fletcher-32 does
 * not cover): checked before any of them is read. */
static int check_hash(hid_t root) {
  char why[512];
  switch (meta_hash_verify(root, why, sizeof why)) {
  case META_HASH_OK:
    return 0;
  case META_HASH_ABSENT:
    h5u_seterr("no checksum of its scenario and attributes (attribute %s missing): damaged, "
               "or not written by nqpsim",
               META_HASH_ATTR);
    return -1;
  default:
    h5u_seterr("corrupt checkpoint: %s", why);
    return -1;
  }
}

static int check_format(hid_t root) {
  char *format = NULL, *status = NULL, *layout = NULL, want[256];
  long long version = 0;
  int rc = -1;
  layout_string(want, sizeof want);
  if (get_str(root, "format", &format) < 0 || strcmp(format, CKPT_FORMAT) != 0)
    h5u_seterr("not a checkpoint (format is not \"%s\")", CKPT_FORMAT);
  else if (get_i64(root, "format_version", &version) < 0 || version != CKPT_FORMAT_VERSION)
    h5u_seterr("checkpoint format version %lld, this build reads version %d", version,
               CKPT_FORMAT_VERSION);
  else if (get_str(root, "status", &status) < 0 || strcmp(status, "complete") != 0)
    h5u_seterr("incomplete checkpoint (status \"%s\")", status ? status : "?");
  else if (get_str(root, "layout", &layout) < 0 || strcmp(layout, want) != 0)
    h5u_seterr("written by a build with another state layout (%s; this build: %s): resume it "
               "with the build that wrote it",
               layout ? layout : "?", want);
  else
    rc = check_hash(root);
  free(format);
  free(status);
  free(layout);
  return rc;
}

static int read_info(hid_t root, ckpt_info *in) {
  long long step, steps, every;
  if (get_i64(root, "step", &step) < 0 || get_i64(root, "steps", &steps) < 0 ||
      get_i64(root, "checkpoint_every", &every) < 0 ||
      get_f64(root, "wall_time_s", &in->wall_s) < 0 || get_str(root, "output", &in->output) < 0 ||
      get_str(root, "command_line", &in->command_line) < 0 ||
      get_str(root, "start_time", &in->start_time) < 0 ||
      get_str(root, "version", &in->version) < 0 ||
      get_str(root, "git_commit", &in->git_commit) < 0)
    return -1;
  if (steps < 1 || steps > FILE_MAX_STEPS || step < 0 || step > steps || every < 0 ||
      every > steps) {
    h5u_seterr("inconsistent step counters (step %lld of %lld, every %lld)", step, steps, every);
    return -1;
  }
  in->step = (int)step, in->steps = (int)steps, in->checkpoint_every = (long)every;
  if (!(in->scenario = ckpt_get_text(root, "scenario"))) return -1;
  return 0;
}

/* A readable, non-empty regular file in HDF5 format whose file checksum, if
 * it has one, matches: 1 (checksum verified) or 0 (none), else -1 with why. */
static int check_file(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) return h5u_seterr("%s", strerror(errno)), -1;
  if (S_ISDIR(st.st_mode)) return h5u_seterr("is a directory, not a checkpoint"), -1;
  if (st.st_size == 0) return h5u_seterr("empty file, not a checkpoint"), -1;
  int sealed = check_seal(path);
  if (sealed < 0) return -1;
  htri_t is = H5Fis_hdf5(path);
  H5Eclear2(H5E_DEFAULT);
  if (is == 0) return h5u_seterr("not an HDF5 file, so not a checkpoint"), -1;
  return sealed;
}

ckpt *ckpt_open(const char *path, int *rc, char *err, size_t errlen) {
  ckpt *c = calloc(1, sizeof *c);
  hid_t root = -1;
  int bad = CKPT_BAD;
  h5u_quiet();
  if (!c || !(c->path = strdup(path))) {
    h5u_seterr("out of memory");
    bad = CKPT_FAIL;
    goto fail;
  }
  int sealed = check_file(path);
  if (sealed < 0) goto fail;
  c->file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (c->file < 0) {
    h5u_h5err("cannot open as HDF5");
    goto fail;
  }
  if ((root = H5Gopen2(c->file, "/", H5P_DEFAULT)) < 0) {
    h5u_h5err("root group");
    goto fail;
  }
  if (check_format(root) < 0) goto fail;
  if (!sealed) { /* a checkpoint of this format always has one */
    h5u_seterr("no file checksum (user block \"%s\" missing): damaged, or not written by nqpsim",
               CKPT_SEAL);
    goto fail;
  }
  if (read_info(root, &c->info) < 0) goto fail;
  h5u_close(&root);
  if (rc) *rc = CKPT_OK;
  return c;
fail:
  snprintf(err, errlen, "%s: %s", path, h5u_last_error());
  h5u_close(&root);
  ckpt_close(&c);
  if (rc) *rc = bad;
  return NULL;
}

const ckpt_info *ckpt_get_info(const ckpt *c) {
  return &c->info;
}

int ckpt_has_output(const ckpt *c) {
  int yes = H5Lexists(c->file, "output", H5P_DEFAULT) > 0;
  H5Eclear2(H5E_DEFAULT);
  return yes;
}

void ckpt_info_free(ckpt_info *in) {
  free(in->scenario);
  free(in->output);
  free(in->command_line);
  free(in->start_time);
  free(in->version);
  free(in->git_commit);
  memset(in, 0, sizeof *in);
}

void ckpt_close(ckpt **pc) {
  if (!pc || !*pc) return;
  ckpt *c = *pc;
  if (c->file > 0) h5u_close(&c->file);
  ckpt_info_free(&c->info);
  free(c->path);
  free(c);
  *pc = NULL;
}

/* ---- restoring ------------------------------------------------------------ */

/* SAVE and CHECK members (CHECK: equal to what world_create rebuilt). */
static int restore_members(hid_t g, world *w) {
  for (size_t i = 0; i < N_WORLD_MEMBERS; i++) {
    const wm_member *m = &world_members[i];
    char *p = (char *)w + m->off, buf[sizeof(world)];
    if (m->role == WM_SAVE && ckpt_get(g, m->name, H5T_NATIVE_UINT8, m->size, p) < 0) return -1;
    if (m->role != WM_CHECK) continue;
    if (ckpt_get(g, m->name, H5T_NATIVE_UINT8, m->size, buf) < 0) return -1;
    if (memcmp(buf, p, m->size) != 0) {
      h5u_seterr("world.%s differs from the scenario's (corrupt checkpoint)", m->name);
      return -1;
    }
  }
  return 0;
}

static int restore_heap(hid_t g, world *w) {
  for (size_t i = 0; i < N_WORLD_MEMBERS; i++) {
    const wm_member *m = &world_members[i];
    if (m->role != WM_HEAP) continue;
    void *p = *(void **)((char *)w + m->off);
    if (ckpt_get(g, m->name, H5T_NATIVE_UINT8, m->bytes(w), p) < 0) return -1;
  }
  return 0;
}

/* The slot counts: CHECK counts equal the rebuilt world's, the capacity is
 * at least world_create's and matches the arrays' length, n <= cap. */
static int restore_counts(hid_t g, world *w, size_t *cap, size_t *n) {
  firm_soa *f = &w->f;
  uint64_t counts[N_FIRM_SCALARS];
  if (ckpt_get(g, "counts", H5T_NATIVE_UINT64, N_FIRM_SCALARS, counts) < 0) return -1;
  for (size_t i = 0; i < N_FIRM_SCALARS; i++) {
    size_t *p = (size_t *)((char *)f + firm_scalars[i].off);
    if (firm_scalars[i].check && counts[i] != *p) {
      h5u_seterr("firm count %s is %llu, the scenario gives %zu", firm_scalars[i].name,
                 (unsigned long long)counts[i], *p);
      return -1;
    }
    if (!strcmp(firm_scalars[i].name, "cap")) *cap = (size_t)counts[i];
    if (!strcmp(firm_scalars[i].name, "n")) *n = (size_t)counts[i];
  }
  if (*n > *cap || *cap < f->cap || ckpt_len(g, "alive") != (long long)*cap) {
    h5u_seterr("firm slot counts (%zu used of %zu) do not fit the scenario (at least %zu slots) "
               "or the arrays",
               *n, *cap, f->cap);
    return -1;
  }
  return 0;
}

static int restore_firms(hid_t g, world *w) {
  firm_soa *f = &w->f;
  size_t cap = 0, n = 0;
  if (restore_counts(g, w, &cap, &n) < 0) return -1;
  if (world_reserve(w, cap) != 0) {
    h5u_seterr("out of memory for %zu firm slots", cap);
    return -2;
  }
  f->n = n;
  for (size_t i = 0; i < N_FIRM_ARRAYS; i++)
    if (ckpt_get(g, firm_arrays[i].name, native(firm_arrays[i].type), array_len(f, &firm_arrays[i]),
                 *array_ptr(f, &firm_arrays[i])) < 0)
      return -1;
  return 0;
}

static int check_firm_ranges(const world *w) {
  const firm_soa *f = &w->f;
  for (size_t k = 0; k < f->n; k++) {
    if (f->alive[k] > 1 || f->ind[k] >= w->ni || f->reg[k] >= w->nr || f->reg[k] == w->ext) {
      h5u_seterr("firm slot %zu: industry %d, region %d or alive flag %d out of range", k,
                 f->ind[k], f->reg[k], f->alive[k]);
      return -1;
    }
    for (size_t s = 0; s < f->nslot; s++) {
      int32_t sup = f->supplier[k * f->nslot + s];
      if (sup < SLOT_UNUSED || (sup >= 0 && (size_t)sup >= f->n)) {
        h5u_seterr("firm slot %zu: supplier %d out of range", k, sup);
        return -1;
      }
    }
  }
  for (size_t k = f->n; k < f->cap; k++)
    if (f->alive[k]) {
      h5u_seterr("firm slot %zu beyond the %zu slots in use is alive", k, f->n);
      return -1;
    }
  return 0;
}

static int check_world_ranges(const world *w, int steps) {
  if (w->step < 0 || w->step > steps || w->n_free > w->f.cap) {
    h5u_seterr("step %d or free-list length %zu out of range", w->step, w->n_free);
    return -1;
  }
  for (size_t i = 0; i < w->n_free; i++)
    if (w->free_list[i] >= w->f.n || w->f.alive[w->free_list[i]]) {
      h5u_seterr("free list entry %zu names slot %zu, not a dead slot", i, w->free_list[i]);
      return -1;
    }
  for (int i = 0; i < w->ni; i++) {
    const industry_state *is = &w->ind[i];
    if (is->n_inputs < 0 || is->n_inputs > WORLD_MAX_INPUTS) goto bad_ind;
    for (int m = 0; m < is->n_inputs; m++)
      if (is->input[m] < 0 || is->input[m] >= w->ni) goto bad_ind;
  }
  for (int k = 0; k < w->n_inst; k++)
    if (w->inst[k].region < 0 || w->inst[k].region >= w->nr) {
      h5u_seterr("institute %d: region %d out of range", k, w->inst[k].region);
      return -1;
    }
  return check_firm_ranges(w);
bad_ind:
  h5u_seterr("industry inputs out of range");
  return -1;
}

int ckpt_restore(ckpt *c, world *w, char *err, size_t errlen) {
  hid_t gw = H5Gopen2(c->file, "world", H5P_DEFAULT), gf = -1;
  int rc = -1;
  if (gw < 0 || (gf = H5Gopen2(c->file, "firms", H5P_DEFAULT)) < 0) {
    h5u_h5err("group /world or /firms");
    goto done;
  }
  if (restore_members(gw, w) < 0) goto done;
  if ((rc = restore_firms(gf, w)) < 0) goto done;
  rc = -1;
  if (w->n_free > w->f.cap) {
    h5u_seterr("free-list length %zu exceeds %zu slots", w->n_free, w->f.cap);
    goto done;
  }
  if (restore_heap(gw, w) < 0 || check_world_ranges(w, c->info.steps) < 0) goto done;
  if (w->step != c->info.step) {
    h5u_seterr("world step %d differs from the file's step %d", w->step, c->info.step);
    goto done;
  }
  if (world_index(w) != 0) {
    h5u_seterr("out of memory rebuilding the indexes");
    rc = -2;
    goto done;
  }
  rc = 0;
done:
  h5u_close(&gf);
  h5u_close(&gw);
  if (rc != 0) snprintf(err, errlen, "%s: %s", c->path, h5u_last_error());
  return rc == 0 ? CKPT_OK : (rc == -2 ? CKPT_FAIL : CKPT_BAD);
}
