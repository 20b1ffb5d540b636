/* limits: the maxima of nqpsim that more than one place must agree on,
 * each defined once, with its unit and the reason for its value.
 *
 * The scenario schema (config/scenario.c), the world's fixed-size arrays
 * (world/world.h), the readers of files (output/) and the sweep schema
 * (drivers/sweep_schema.c) all use these names; a message that states a
 * limit prints the constant, so users see the number that is enforced.
 * Where two limits must agree (an array size and the schema maximum that
 * bounds its index, a sanity bound and the largest valid value), a
 * _Static_assert next to the use says so.
 *
 * Invariant: changing a value here changes every check and every message
 * that states it; the world's array sizes also change the checkpoint
 * layout (a checkpoint records the state's sizes and is refused by a
 * build with others).
 *
 * Included by: any file at or above base/ (layers.txt).
 */
#ifndef NQP_LIMITS_H
#define NQP_LIMITS_H

/* Industries of a scenario (count). The world keeps per-industry state in
 * arrays of this size (struct world.ind, institutes' field weights) and
 * firms store their industry as uint16_t. 32 leaves room above the ten
 * industries of the Anhui scenarios for finer classifications. */
#define WORLD_MAX_INDUSTRIES 32

/* Regions of a scenario, External included (count). Per-region state and
 * entrants' placement weights are arrays of this size; firms store their
 * region as uint16_t. 64 covers China's provinces or Anhui's 16 cities
 * plus External with room. */
#define WORLD_MAX_REGIONS 64

/* Input industries of one industry (count): the Leontief inputs of
 * industry_state and each firm's input stocks and supplier slots
 * (WORLD_MAX_INPUTS x supplier_slots per firm) are arrays of this size.
 * 8 keeps a firm's supply-side state small; real input-output tables have
 * a few dominant inputs per industry. */
#define WORLD_MAX_INPUTS 8

/* Demand history kept per firm (steps): a ring buffer per firm, so also
 * the largest demand-forecast window `firm.forecast_window`. 16 steps are
 * four years of quarters. */
#define WORLD_HIST 16

/* Steps of a scenario (steps): `steps`, and every step number or length
 * in a scenario or sweep file (shock start and duration, lever windows,
 * panel and flush intervals, metric windows). 100000 quarters are 25,000
 * years: a bound against typos, not a model constraint. */
#define SCN_MAX_STEPS 100000

/* Largest master seed (the int range): seeds are stored and printed as
 * int32 and mixed into 64-bit stream keys (base/rng.h). */
#define SCN_MAX_SEED 2147483647

/* Largest step count a reader accepts from a file (steps): the step
 * dimension of a run file, the step counters of a checkpoint. A sanity
 * bound on hostile or corrupt files, far above SCN_MAX_STEPS so that the
 * files of a build with longer runs are still read. */
#define FILE_MAX_STEPS 100000000

/* Embedded files a name hint considers (files): the scenario and sweep
 * libraries hold about twenty; a hint scans at most this many names. */
#define EMBEDDED_MAX_FILES 256

_Static_assert(FILE_MAX_STEPS >= SCN_MAX_STEPS, "readers must accept every valid run length");

#endif
