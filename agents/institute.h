/* institute: research institutes (phase 2): knowledge, inventions offered
 * locally or sold out of province, licences routed to firms, graduates.
 * Runs serially in institute order: routing writes firm licence counts and
 * moves licence fees between firm and institute cash.
 *
 * Included by: any file at or above agents/ (layers.txt).
 */
#ifndef NQP_INSTITUTE_H
#define NQP_INSTITUTE_H

#include "world/world.h"

/* Probability that an invention in industry I is offered locally, given the
 * institute's base conversion share and the industry's absorptive capacity. */
double institute_local_probability(const world *w, const institute_state *it, int i,
                                   const double *absorb);
/* One step of every institute (and the challenge fund). Returns -1 when out
 * of memory. */
int institute_step(world *w);

#endif
