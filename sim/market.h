/* market: the four markets of phase 4, each a deterministic gather.
 * Pattern: firms' requests (written in phase 3) are summed by group with
 * reduce_blocks (fixed block order), the market clears at group level, and
 * each firm applies the result to its own slots in a parallel loop.
 *
 * Included by: sim/ (the phase loop) and the tests of the markets.
 */
#ifndef NQP_MARKET_H
#define NQP_MARKET_H

#include "world/world.h"

/* Credit: collateral limit (physical, plus pledged data assets while the
 * data_pledge lever applies), bank capacity (a share of the economy's debt),
 * proportional rationing; the lever pays risk compensation per CNY pledged. */
void market_credit(world *w);
/* Labour by region: layoffs, vacancies filled from pools, wages, migration. */
void market_labour(world *w);
/* Supply chain: suppliers ration stock among orders; External capacity;
 * spot purchases from External for what local suppliers could not deliver. */
void market_supply(world *w);
/* Goods: replicator dynamics on competitiveness; final demand by share. */
void market_goods(world *w);

/* Credit limit of firm K (CNY, >= 0): LTV x physical collateral - debt,
 * plus data_pledge.intensity x data assets while pledging applies. */
double market_credit_limit(const world *w, size_t k);
/* Competitiveness of firm K (1): price^-elasticity x quality^wq x
 * (reliability + 0.01)^wr x (1 + w_esg x ESG). */
double market_competitiveness(const world *w, size_t k);

#endif
