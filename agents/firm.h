/* firm: behaviour of one firm, as functions of (world, slot). A function
 * named firm_<phase>_* writes only slot k of the firm arrays (and its
 * supplier slots); it reads other firms only through previous-step
 * snapshots (tfp_prev) or values a gather already wrote (fill).
 *
 * Included by: any file at or above agents/ (the phases call the firm rules).
 */
#ifndef NQP_FIRM_H
#define NQP_FIRM_H

#include <stddef.h>

#include "world/world.h"

/* Labour input is counted in worker-equivalents: skilled workers plus
 * unskilled tasks, of which automated capital performs a share, so one
 * unskilled worker covers 1 / firm_unskilled_need tasks. */
/* Unskilled workers per unskilled task, 1 - automation_substitution x a (share). */
double firm_unskilled_need(const world *w, size_t k);
/* Yearly wage per unit of labour input at the firm's skill mix, automation
 * and regional wages (CNY/worker-equivalent/year). */
double firm_unit_wage(const world *w, size_t k);
/* Labour input of the current workforce (worker-equivalents). */
double firm_labour_input(const world *w, size_t k);
/* Relative TFP raised by digital penetration: tfp * exp(eps_D * D) (1). */
double firm_tfp_effective_base(const world *w, size_t k);
/* Output capacity with labour input L (CNY/step at base prices). */
double firm_capacity(const world *w, size_t k, double labour);
/* Labour input needed to produce Q with current capital and TFP
 * (worker-equivalents). */
double firm_labour_for(const world *w, size_t k, double q);
/* Index of supplier slot S's input (position in the industry's input list). */
int firm_slot_input(const world *w, size_t s);

/* Initial supplier links of every firm; External capacity from them. */
void firm_init_links(world *w);
void firm_init_external_capacity(world *w);
/* Choose a supplier of input industry J for buyer K: External with the
 * industry's external share, else a live firm drawn by size. */
int firm_pick_supplier(world *w, size_t k, int j);
/* Belt weight of chain master K: extra weight of suppliers in its region
 * (1 for other firms). */
double firm_master_belt(const world *w, size_t k);
/* Fill every supplier slot of K. */
void firm_assign_links(world *w, size_t k);

/* Phase 3: forecast, targets, labour, orders, investment, R&D, credit demand. */
void firm_plan(world *w, size_t k);
/* Phase 3, after firm_plan: replace K's order of input position M by
 * QUANTITY (CNY/step at base prices), split over the input's supplier
 * slots as the firm's own orders are (a classroom override, world/world.h). */
void firm_set_order(world *w, size_t k, int m, double quantity);
/* Phase 4 (supply): what the buyer received and paid for. */
void firm_receive_inputs(world *w, size_t k);
/* Phase 5: produce, sell, innovate, imitate, invest, account. */
void firm_produce(world *w, size_t k);
/* Probability of an innovation (IMITATION=0) or imitation (1) this step:
 * 1 - exp(-zeta x share x effort), effort = R&D in % of sales x knowledge. */
double firm_innovation_probability(const world *w, size_t k, int imitation);
/* Innovation, imitation, licences and knowledge update (part of phase 5). */
void firm_innovate(world *w, size_t k);
/* Unit cost of normal output (CNY per CNY of output at base prices). */
double firm_unit_cost(const world *w, size_t k);
/* Net worth: cash + capital + inventory at price - debt (CNY). */
double firm_net_worth(const world *w, size_t k);

#endif
