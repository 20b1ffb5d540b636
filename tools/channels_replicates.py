#!/usr/bin/env python3
"""Mean policy-minus-baseline differences by industry type over replicate
seeds, with 95% confidence intervals (normal approximation).

usage: channels_replicates.py DIR N   (files DIR/{base,cn,sf}_SEED.h5, seeds 1..N)
"""
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from channels import kind_values  # noqa: E402

D, NSEEDS = sys.argv[1], int(sys.argv[2])
rows = {}
for pol in ('cn', 'sf'):
    for s in range(1, NSEEDS + 1):
        with h5py.File('%s/base_%d.h5' % (D, s)) as b, h5py.File('%s/%s_%d.h5' % (D, pol, s)) as p:
            for kind in ('technology', 'labour'):
                vb, vp = kind_values(b, kind), kind_values(p, kind)
                for k in ('output', 'tfp', 'capital', 'employment_skilled', 'employment_unskilled',
                          'output_per_worker', 'innovations'):
                    rows.setdefault((pol, 'dlog ' + k, kind), []).append(np.log(vp[k] / vb[k]))
                for k in ('digital', 'legacy_share', 'automation'):
                    rows.setdefault((pol, 'd ' + k, kind), []).append(vp[k] - vb[k])
print('%-4s %-26s %22s %22s' % ('lever', 'variable', 'technology mean (95% CI)', 'labour mean (95% CI)'))
keys = sorted(set((a, b) for a, b, c in rows))
for pol, var in keys:
    out = []
    for kind in ('technology', 'labour'):
        x = np.array(rows[(pol, var, kind)])
        m, h = x.mean(), 1.96 * x.std(ddof=1) / np.sqrt(len(x))
        out.append('%+.4f (%+.4f,%+.4f)' % (m, m - h, m + h))
    print('%-4s %-26s %22s %22s' % (pol, var, out[0], out[1]))
