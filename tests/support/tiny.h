/* tiny: a hand-sized scenario for known-answer tests of single mechanisms:
 * industry "up" (2 firms) supplies industry "down" (2 firms, coefficient
 * 0.3, one supplier slot per input, no External inputs); one region "a"
 * plus External. Tests overwrite the state they need, then call one
 * mechanism. */
#ifndef NQP_TINY_H
#define NQP_TINY_H

#define TINY_YAML                                                                                  \
  "name: tiny\n"                                                                                   \
  "seed: 3\n"                                                                                      \
  "steps: 4\n"                                                                                     \
  "min_firms: 1\n"                                                                                 \
  "firm: {supplier_slots: 1}\n"                                                                    \
  "market: {spot_external: 0}\n"                                                                   \
  "industries:\n"                                                                                  \
  "  - {id: up, firms: 2, revenue: 10, external_share: 0, size_sigma: 0, tfp_sigma: 0,"            \
  " regions: {a: 1}}\n"                                                                            \
  "  - {id: down, firms: 2, revenue: 20, external_share: 0, size_sigma: 0, tfp_sigma: 0,"          \
  " inputs: {up: 0.3}, regions: {a: 1}}\n"                                                         \
  "regions:\n"                                                                                     \
  "  - {id: a, gdp: 100, population: 10}\n"                                                        \
  "  - {id: ext, role: external}\n"

/* slots: up firms are 0 and 1, down firms 2 and 3 */
enum { TINY_UP0 = 0, TINY_UP1 = 1, TINY_DOWN0 = 2, TINY_DOWN1 = 3 };

#endif
