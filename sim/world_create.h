/* world_create: building a scenario's world in its initial state (phase 0).
 * Included by: sim/, output/ and the layers above (world construction needs
 * the agents' rules, so it is not part of world/).
 */
#ifndef NQP_WORLD_CREATE_H
#define NQP_WORLD_CREATE_H

#include <stddef.h>

#include "world/world.h"

/* Build the world of scenario S (borrowed, must outlive the world) with
 * THREADS OpenMP threads. Returns NULL with ERR on failure; free with
 * world_free. */
world *world_create(const scenario *s, int threads, char *err, size_t errlen);

#endif
