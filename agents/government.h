/* government: the province and its cities (phases 1, 2 and 6): taxes,
 * budgets, and the levers (this version: the talent scheme).
 */
#ifndef NQP_GOVERNMENT_H
#define NQP_GOVERNMENT_H

#include "sim/world.h"

/* 1 when lever L is enabled and STEP is inside [start, end]. */
int government_lever_active(const scn_lever *l, int step);
/* 1 when lever L targets region R (an empty list targets all). */
int government_lever_targets_region(const world *w, const scn_lever *l, int r);
/* Phase 1: activate levers for this step. */
void government_policy(world *w);
/* Talent scheme, phase 2: of LEAVING graduates of region R, how many extra
 * stay (persons), paid from the budget; unpaid cost is recorded as cut. */
double government_talent_retain(world *w, int r, double leaving);
/* Phase 6: collect taxes into the treasury. */
void government_collect(world *w);

#endif
