#!/usr/bin/env python3
"""Mean policy-minus-baseline differences by industry type over replicate
seeds, with 95% confidence intervals (normal approximation), and the
paired difference technology minus labour (same seed, same lever).

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
                for k in ('digital', 'legacy_share', 'automation', 'firm_mean_log_tfp'):
                    rows.setdefault((pol, 'd ' + k, kind), []).append(vp[k] - vb[k])
def ci(x):
    """Mean and 95% confidence interval (normal approximation) as text."""
    x = np.asarray(x)
    m, h = x.mean(), 1.96 * x.std(ddof=1) / np.sqrt(len(x))
    return '%+.4f (%+.4f,%+.4f)' % (m, m - h, m + h)


print('%-4s %-26s %24s %24s %24s' % ('lever', 'variable', 'technology mean (95% CI)',
                                     'labour mean (95% CI)', 'difference (paired)'))
keys = sorted(set((a, b) for a, b, c in rows))
for pol, var in keys:
    t, lab = rows[(pol, var, 'technology')], rows[(pol, var, 'labour')]
    print('%-4s %-26s %24s %24s %24s' % (pol, var, ci(t), ci(lab),
                                         ci(np.array(t) - np.array(lab))))
