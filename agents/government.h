/* government: the province and its cities (phases 1, 2, 4 and 6): taxes,
 * budgets, and the levers of SCN_LEVERS (config/scenario.h).
 *
 * Included by: any file at or above agents/ (layers.txt).
 */
#ifndef NQP_GOVERNMENT_H
#define NQP_GOVERNMENT_H

#include "world/world.h"

/* 1 when lever L is enabled and STEP is inside [start, end]. */
int government_lever_active(const scn_lever *l, int step);
/* 1 when lever ID is active this step and targets region R and industry I
 * (an empty target list means all; R or I = -1 skips that test). */
int government_lever_applies(const world *w, int id, int r, int i);
/* Phase 1: activate levers for this step, reset their spending. */
void government_policy(world *w);
/* Lever ID's budget and amount for one step (CNY, units): the yearly
 * figures / steps_per_year x the world's scale. */
double government_step_budget(const world *w, int id);
double government_step_amount(const world *w, int id);
/* What lever ID can still spend this step (CNY): its per-step budget left,
 * capped by the treasury. */
double government_budget_left(const world *w, int id);
/* Take up to COST (CNY) for lever ID out of the treasury (the caller credits
 * the recipient); the unpaid rest is recorded as cut. Returns what was paid. */
double government_spend(world *w, int id, double cost);
/* Pay up to COST (CNY) for lever ID into external account ACC; the unpaid
 * rest is recorded as cut. Returns what was paid. */
double government_pay(world *w, int id, double cost, int acc);
/* Talent scheme, phase 2: of LEAVING graduates of region R, how many extra
 * stay (persons), paid from the budget; unpaid cost is recorded as cut. */
double government_talent_retain(world *w, int r, double leaving);
/* After phase 3: scale the planned subsidies of the compute network, green
 * fund and shared factories to what their budgets (and the treasury) allow:
 * gov.sub_ratio; the unaffordable part is recorded as cut. */
void government_plan_subsidies(world *w);
/* After phase 5: pay the subsidies firms took (to firms for compute and
 * green; to the shared-factory operator, External, for shared capacity). */
void government_settle_subsidies(world *w);
/* Phase 2: end stays of a year, station new scientists in targeted firms.
 * Returns -1 when out of memory. */
int government_station_scientists(world *w);
/* Phase 6: collect taxes into the treasury. */
void government_collect(world *w);

#endif
