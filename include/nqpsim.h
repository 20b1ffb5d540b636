/* nqpsim.h: the public C API of libnqpsim, the nqpsim simulation engine.
 *
 * What it covers: load a scenario (a YAML file or an embedded scenario by
 * name), override parameters by the same key paths as `nqpsim run --set`,
 * build a world, step it, read any series at any group level and the firm
 * panel, set a chosen firm's order for the next step (participatory
 * classroom), write the run file, free. A world built and stepped through
 * this API gives the same numbers, bit for bit, as `nqpsim run` with the
 * same scenario, overrides and seed.
 *
 * Included by: programs that use libnqpsim (docs/examples/, python/ through
 * ctypes), the API's own implementation (api/) and its tests. Nothing
 * inside the engine includes it. Link with `pkg-config --cflags --libs
 * nqpsim`.
 *
 * Ownership:
 *  - every handle (nqp_scenario, nqp_world) is created by one function and
 *    freed by its *_free, which accepts NULL;
 *  - a world copies what it needs from its scenario: the scenario may be
 *    changed or freed after nqp_world_create;
 *  - `const char *` results are owned by the handle they came from and stay
 *    valid until that handle is freed; `char *` results are the caller's,
 *    freed with nqp_string_free;
 *  - data pointers (nqp_series_data) are borrowed: valid until the next
 *    nqp_world_step, nqp_world_reset or nqp_world_free on that world.
 *
 * Error contract: a function returning int returns NQP_OK (0) or an error
 * status (NQP_FAILED, NQP_BAD_INPUT); one returning a pointer returns NULL
 * on error. Either way nqp_last_error() then gives the message: the same
 * text `nqpsim` prints (file, line, column and key for scenario errors).
 * The message is per thread and stays until the next failing call in that
 * thread; a successful call leaves it as it was. Functions returning a
 * count (size_t) return 0 and those returning an int value (seed, steps)
 * return -1 for a NULL handle, with the message set. No function prints,
 * exits or aborts on bad input.
 *
 * Threads: a handle is used by one thread at a time; different worlds may
 * step in different threads. Each world runs its own OpenMP team of the
 * size given at creation. Writing run files (nqp_world_save) is serialised
 * inside the library (HDF5 is not thread-safe).
 *
 * Versioning: the soname changes when this ABI changes incompatibly;
 * NQP_API_VERSION is the version of this header.
 */
#ifndef NQPSIM_H
#define NQPSIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define NQP_API __attribute__((visibility("default")))
#else
#define NQP_API
#endif

#define NQP_API_VERSION 1

/* Status codes, equal to `nqpsim`'s exit codes. */
enum nqp_status {
  NQP_OK = 0,        /* success */
  NQP_FAILED = 1,    /* the call could not complete (out of memory, I/O, ...) */
  NQP_BAD_INPUT = 2, /* the input is invalid (scenario, path, value, name, ...) */
};

/* Group levels of the series, as in the run file's /series/<level>. */
typedef enum nqp_level {
  NQP_ECONOMY = 0,         /* one value per step */
  NQP_INDUSTRY = 1,        /* one value per industry */
  NQP_REGION = 2,          /* one value per region */
  NQP_INDUSTRY_REGION = 3, /* industry-major: cell = industry * n_regions + region */
} nqp_level;

typedef struct nqp_scenario nqp_scenario;
typedef struct nqp_world nqp_world;

/* ---- library ----------------------------------------------------------- */

/* Library version ("0.1.0") and git commit of the build. */
NQP_API const char *nqp_version(void);
NQP_API const char *nqp_git_commit(void);
/* Message of the last failed call in this thread ("" if none). */
NQP_API const char *nqp_last_error(void);
/* Status of the last failed call in this thread (NQP_OK if none): tells
 * NQP_BAD_INPUT from NQP_FAILED after a function that returned NULL. */
NQP_API int nqp_last_status(void);
/* Frees a string the library returned as `char *` (NULL is fine). */
NQP_API void nqp_string_free(char *s);
/* Names of the embedded scenarios ("anhui.yaml", ...), NULL after the
 * last: I from 0 up. */
NQP_API const char *nqp_embedded_name(size_t i);

/* ---- scenarios --------------------------------------------------------- */

/* Load a scenario: SOURCE is a YAML file path, or the name of an embedded
 * scenario ("anhui.yaml" or "anhui"); NULL loads the embedded Anhui
 * baseline. The file is read and validated now. */
NQP_API nqp_scenario *nqp_scenario_load(const char *source);
/* Override one parameter, as `--set PATH=VALUE` (VALUE a YAML flow value:
 * "0.5", "true", "[a, b]"). The whole scenario is re-validated; on error
 * the scenario is unchanged. "seed" and "steps" are paths like any other. */
NQP_API int nqp_scenario_set(nqp_scenario *s, const char *path, const char *value);
/* The resolved scenario as YAML (every default written out): the text a
 * run file stores in /scenario. Caller frees with nqp_string_free. */
NQP_API char *nqp_scenario_resolved(const nqp_scenario *s);
/* Scenario name, seed and number of steps (NULL / -1 for a NULL handle). */
NQP_API const char *nqp_scenario_name(const nqp_scenario *s);
NQP_API int64_t nqp_scenario_seed(const nqp_scenario *s);
NQP_API int nqp_scenario_steps(const nqp_scenario *s);
NQP_API void nqp_scenario_free(nqp_scenario *s);

/* ---- worlds ------------------------------------------------------------ */

/* Build the world of scenario S in its initial state (step 0 not yet
 * simulated), run with THREADS OpenMP threads (1 to 1024; results do not
 * depend on it). Refuses (NQP_BAD_INPUT), before allocating, a world that
 * would not fit in memory. */
NQP_API nqp_world *nqp_world_create(const nqp_scenario *s, int threads);
/* Simulate N >= 1 steps (observation included). Refuses to go past the
 * scenario's `steps` (NQP_BAD_INPUT; set "steps" to run longer). */
NQP_API int nqp_world_step(nqp_world *w, int n);
/* Back to the initial state (same scenario and seed; recorded data and
 * pending order overrides dropped). */
NQP_API int nqp_world_reset(nqp_world *w);
/* Steps simulated so far, and the scenario's steps. */
NQP_API int nqp_world_steps_done(const nqp_world *w);
NQP_API int nqp_world_steps_total(const nqp_world *w);
/* Write the run file of the steps done so far to PATH, in the layout of
 * `nqpsim run` (docs/output.md). An existing PATH, or a PATH in a missing
 * or read-only directory, is NQP_BAD_INPUT (an existing PATH is replaced
 * when FORCE); the file appears under its name only when complete. After
 * all the scenario's steps its datasets equal those of `nqpsim run`; root
 * attributes that describe the execution (command_line, threads, times)
 * differ. */
NQP_API int nqp_world_save(const nqp_world *w, const char *path, int force);
NQP_API void nqp_world_free(nqp_world *w);

/* ---- labels ------------------------------------------------------------ */

NQP_API size_t nqp_industry_count(const nqp_world *w);
NQP_API const char *nqp_industry_id(const nqp_world *w, size_t i); /* e.g. "nev" */
NQP_API size_t nqp_region_count(const nqp_world *w);
NQP_API const char *nqp_region_id(const nqp_world *w, size_t r); /* e.g. "hefei" */
/* Cells of a level: 1, industries, regions, or industries x regions. */
NQP_API size_t nqp_level_cells(const nqp_world *w, nqp_level level);
/* Name of a level as in the run file ("economy", "industry", ...). */
NQP_API const char *nqp_level_name(nqp_level level);

/* ---- series ------------------------------------------------------------ */

/* The series of the run file, I from 0 to nqp_series_count - 1. A series
 * lives at one level; its name, units and doc are those of the run file. */
NQP_API size_t nqp_series_count(const nqp_world *w);
NQP_API const char *nqp_series_name(const nqp_world *w, size_t i);
NQP_API const char *nqp_series_units(const nqp_world *w, size_t i);
NQP_API const char *nqp_series_doc(const nqp_world *w, size_t i);
NQP_API nqp_level nqp_series_level(const nqp_world *w, size_t i);
/* Values of series NAME at LEVEL for every step done: row-major (step,
 * cell), *STEPS rows of *CELLS values. NULL with NQP_BAD_INPUT when NAME is
 * not a series at LEVEL. Borrowed (see Ownership). With no step done yet,
 * *STEPS is 0 and the pointer is non-NULL. */
NQP_API const double *nqp_series_data(const nqp_world *w, const char *name, nqp_level level,
                                      size_t *steps, size_t *cells);

/* ---- the firm panel (current state) ------------------------------------ */

/* Panel variables (the run file's /firms datasets: uid, industry, region,
 * sales, tfp, ...), J from 0 to nqp_panel_count - 1. */
NQP_API size_t nqp_panel_count(void);
NQP_API const char *nqp_panel_name(size_t j);
NQP_API const char *nqp_panel_units(size_t j);
/* Live firms now. */
NQP_API size_t nqp_firm_count(const nqp_world *w);
/* Panel variable NAME of every live firm, in slot order (the order is the
 * same for every variable until the next step), as doubles (integer
 * variables are exact). OUT holds at least N values; N < nqp_firm_count is
 * NQP_BAD_INPUT. */
NQP_API int nqp_panel_read(const nqp_world *w, const char *name, double *out, size_t n);

/* ---- classroom --------------------------------------------------------- */

/* Replace, for the next step only, the order that live firm UID places for
 * its input INPUT (0-based position in its industry's `inputs`), by
 * QUANTITY (>= 0, units of that input at base prices), split over the
 * firm's supplier slots like the firm's own orders. The rule-based order
 * is used again from the step after; setting the same (UID, INPUT) again
 * before the step replaces the quantity. Overrides are not part of
 * checkpoints. Unknown uid, input out of range, a negative or non-finite
 * quantity, or no step left: NQP_BAD_INPUT. */
NQP_API int nqp_world_set_order(nqp_world *w, int64_t uid, int input, double quantity);

#ifdef __cplusplus
}
#endif

#endif
