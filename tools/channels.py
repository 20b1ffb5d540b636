#!/usr/bin/env python3
"""Channels through which industry types respond to a policy.

usage: channels.py BASE.h5 POLICY.h5

For technology- and labour-intensive industries (the `kind` of each
industry in the stored scenario), the policy-minus-baseline difference at
the last step of: log output, log TFP (output-weighted), digital
penetration, legacy and automated shares of capital, log capital, log
employment (skilled, unskilled), log output per worker, log innovations
counted over the run, R&D per unit of output, shared capacity. Used in docs/validation.md.
"""
import sys

import h5py
import numpy as np

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from validate_baseline import kinds_from_scenario, labels  # noqa: E402


def kind_values(f, kind, t=-1):
    ind = labels(f["series/industry/industry"])
    kinds = kinds_from_scenario(f)
    cols = [i for i, lab in enumerate(ind) if kinds.get(lab) == kind]
    g = f["series/industry"]
    q = g["output"][t][cols]
    out = {
        "output": q.sum(),
        "tfp": np.nansum(g["tfp"][t][cols] * q) / q.sum(),
        "digital": np.nansum(g["digital"][t][cols] * q) / q.sum(),
        "legacy_share": np.nansum(g["legacy_share"][t][cols] * g["capital"][t][cols]) / g["capital"][t][cols].sum(),
        "capital": g["capital"][t][cols].sum(),
        "employment_skilled": g["employment_skilled"][t][cols].sum(),
        "employment_unskilled": g["employment_unskilled"][t][cols].sum(),
        "shared_capacity": g["shared_capacity"][t][cols].sum() if "shared_capacity" in g else 0.0,
    }
    k = g["capital"][t][cols]
    if "automation" in g:
        out["automation"] = np.nansum(g["automation"][t][cols] * k) / k.sum()
    out["output_per_worker"] = q.sum() / (out["employment_skilled"] + out["employment_unskilled"])
    out["innovations"] = g["innovations"][: (t % g["output"].shape[0]) + 1, cols].sum()
    out["knowledge_effort"] = np.nansum(g["rd"][t][cols]) / q.sum()
    p = f["firms"]
    if p["alive"].shape[0]:  # firm level: mean log TFP of the live firms, last snapshot
        sel = (p["alive"][-1] == 1) & np.isin(p["industry"][-1], cols)
        out["firm_mean_log_tfp"] = float(np.log(p["tfp"][-1][sel]).mean())
    return out


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    with h5py.File(sys.argv[1], "r") as b, h5py.File(sys.argv[2], "r") as p:
        print("%-22s %14s %14s" % ("policy - baseline", "technology", "labour"))
        rows = {}
        for kind in ("technology", "labour"):
            vb, vp = kind_values(b, kind), kind_values(p, kind)
            for k in vb:
                if k in ("digital", "legacy_share", "automation", "knowledge_effort",
                         "firm_mean_log_tfp"):
                    rows.setdefault(k, []).append(vp[k] - vb[k])
                elif k == "shared_capacity":
                    rows.setdefault(k + " (share of K)", []).append(vp[k] / vp["capital"])
                else:
                    rows.setdefault("dlog " + k, []).append(np.log(vp[k] / vb[k]))
        for k, v in rows.items():
            print("%-22s %14.4f %14.4f" % (k, v[0], v[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
