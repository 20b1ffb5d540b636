/* demography: phase 7, serial and in slot order: exits, rewiring of
 * supplier slots, entries, then the indexes are rebuilt.
 *
 * Private to: sim/demography.c sim/step.c
 */
#ifndef NQP_DEMOGRAPHY_H
#define NQP_DEMOGRAPHY_H

#include "world/world.h"

/* 1 when live firm K must exit: negative net worth, or a negligible share
 * after its first two years. */
int demography_should_exit(const world *w, size_t k);
/* Run phase 7. Returns 0, or -1 when out of memory. */
int demography_step(world *w);

#endif
