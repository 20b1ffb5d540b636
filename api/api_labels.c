/* api_labels: the labels of a world's dimensions (industry and region ids)
 * and the number of cells of each series level.
 *
 * Invariants: labels are the scenario's ids, in its order, which is the
 * order of the run file's industry and region dimensions; the returned
 * strings belong to the world; an index out of range is NQP_BAD_INPUT
 * (NULL), never a read past the table.
 */
#include "api/api_priv.h"

size_t nqp_industry_count(const nqp_world *w) {
  return api_need(w, "nqp_industry_count") ? 0 : (size_t)w->scn.n_industries;
}

const char *nqp_industry_id(const nqp_world *w, size_t i) {
  if (api_need(w, "nqp_industry_id")) return NULL;
  if (i >= (size_t)w->scn.n_industries) {
    api_fail(NQP_BAD_INPUT, "industry %zu: out of range (%d industries)", i, w->scn.n_industries);
    return NULL;
  }
  return w->scn.industries[i].id;
}

size_t nqp_region_count(const nqp_world *w) {
  return api_need(w, "nqp_region_count") ? 0 : (size_t)w->scn.n_regions;
}

const char *nqp_region_id(const nqp_world *w, size_t r) {
  if (api_need(w, "nqp_region_id")) return NULL;
  if (r >= (size_t)w->scn.n_regions) {
    api_fail(NQP_BAD_INPUT, "region %zu: out of range (%d regions)", r, w->scn.n_regions);
    return NULL;
  }
  return w->scn.regions[r].id;
}

size_t nqp_level_cells(const nqp_world *w, nqp_level level) {
  if (api_need(w, "nqp_level_cells") || !nqp_level_name(level)) return 0;
  size_t ni = (size_t)w->scn.n_industries, nr = (size_t)w->scn.n_regions;
  switch (level) {
  case NQP_ECONOMY:
    return 1;
  case NQP_INDUSTRY:
    return ni;
  case NQP_REGION:
    return nr;
  default:
    return ni * nr;
  }
}
