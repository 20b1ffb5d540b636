#!/usr/bin/env python3
"""Bullwhip ratios of a linear-chain run (scenarios/teach_bullwhip.yaml).

usage: bullwhip.py RUN.h5 [--skip STEPS]

For each tier, the variance of the orders it places upstream divided by the
variance of the demand it faces (final demand for the last tier, orders
received for the others), both in the upstream tier's units (orders are
already in input units; the demand a tier faces is scaled by its input
coefficient). A ratio above 1 amplifies variability: the bullwhip effect
(Lee, Padmanabhan and Whang 1997; Chen et al. 2000). The first STEPS steps
(default 20) are skipped as warm-up.
"""
import sys

import h5py
import numpy as np


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if not args:
        print(__doc__)
        return 2
    skip = int(sys.argv[sys.argv.index("--skip") + 1]) if "--skip" in sys.argv else 20
    with h5py.File(args[0], "r") as f:
        g = f["series/industry"]
        tiers = [x.decode() if isinstance(x, bytes) else x for x in g["industry"][()]]
        placed = g["orders_placed"][skip:]
        received = g["orders_received"][skip:]
        final = g["final_demand_addressed"][skip:]
    n = len(tiers)
    print("tier        var(orders placed) / var(demand faced)   cumulative vs consumer demand")
    base = np.var(final[:, n - 1] * 0.9)
    for i in range(n - 1, 0, -1):  # from retail upstream; tier 0 places no orders
        faced = final[:, i] if i == n - 1 else received[:, i]
        ratio = np.var(placed[:, i]) / np.var(faced * 0.9)
        print("%-10s  %8.2f                                  %8.2f" % (tiers[i], ratio, np.var(placed[:, i]) / base))
    return 0


if __name__ == "__main__":
    sys.exit(main())
