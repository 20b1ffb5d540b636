#!/usr/bin/env python3
"""Measure the stylised facts of MODEL.md s.6 in a run file.

usage: validate_baseline.py RUN.h5 [--json OUT.json]

Prints, with the figures: firm-size tail (top shares, Hill index), the shape
of annual firm growth rates (kurtosis, Laplace vs normal likelihood), TFP
dispersion within industries over time, and the regional and industry
heterogeneity the paper reports. Uses only h5py and numpy (Debian packages).
docs/validation.md quotes its output for the baseline.
"""
import json
import sys

import h5py
import numpy as np


def labels(ds):
    return [x.decode() if isinstance(x, bytes) else str(x) for x in ds[()]]


def hill(x, frac=0.05):
    x = np.sort(x[x > 0])[::-1]
    k = max(int(len(x) * frac), 10)
    return 1.0 / np.mean(np.log(x[:k] / x[k]))


def size_facts(f):
    fm = f["firms"]
    alive = fm["alive"][-1].astype(bool)
    sales = fm["sales"][-1][alive]
    s = np.sort(sales)[::-1]
    tot = s.sum()
    return {
        "firms": int(alive.sum()),
        "top1_share": float(s[: max(1, len(s) // 100)].sum() / tot),
        "top10_share": float(s[: max(1, len(s) // 10)].sum() / tot),
        "hill_top5pct": float(hill(sales)),
        "mean_over_median": float(sales.mean() / np.median(sales)),
    }


def growth_facts(f):
    """Annual log growth of sales of firms alive at two snapshots 4 steps
    apart (matched by uid), pooled and standardised within industries."""
    fm = f["firms"]
    steps = fm["snapshot"][()]
    rates = []
    for a in range(len(steps)):
        b = next((j for j in range(a + 1, len(steps)) if steps[j] - steps[a] == 4), None)
        if b is None or steps[a] == 0:
            continue
        ua, ub = fm["uid"][a], fm["uid"][b]
        al, bl = fm["alive"][a].astype(bool), fm["alive"][b].astype(bool)
        sa, sb = fm["sales"][a], fm["sales"][b]
        ind = fm["industry"][a]
        pos_b = {u: j for j, u in enumerate(ub) if bl[j]}
        for i in np.nonzero(al)[0]:
            j = pos_b.get(ua[i])
            if j is not None and sa[i] > 0 and sb[j] > 0:
                rates.append((ind[i], np.log(sb[j] / sa[i])))
    ind = np.array([r[0] for r in rates])
    g = np.array([r[1] for r in rates])
    z = np.empty_like(g)
    for i in np.unique(ind):  # remove industry means and scale
        m = ind == i
        z[m] = (g[m] - g[m].mean()) / (g[m].std() + 1e-12)
    kurt = float(np.mean(z**4))
    # log-likelihood per observation of a Laplace vs a normal fit (standardised data)
    b = np.mean(np.abs(z - np.median(z)))
    ll_lap = float(np.mean(-np.log(2 * b) - np.abs(z - np.median(z)) / b))
    ll_norm = float(np.mean(-0.5 * np.log(2 * np.pi) - 0.5 * z**2))
    return {"pairs": int(len(g)), "kurtosis": kurt, "loglik_laplace": ll_lap, "loglik_normal": ll_norm,
            "sd_raw": float(g.std())}


def dispersion_facts(f):
    ind = labels(f["series/industry/industry"])
    d = f["series/industry/tfp_p90_p10"][()]
    n = d.shape[0]
    picks = [0, n // 2, n - 1]
    return {lab: [round(float(d[t, i]), 3) for t in picks] for i, lab in enumerate(ind)}, picks


def capital_weighted_digital(f, reg):
    """D by city weighted by capital (firm panel, last snapshot), highest
    first: digitisation as equipment-based statistics such as the
    numerical-control rate count it, where the `digital` series is a mean
    over firms."""
    p = f["firms"]
    if p["alive"].shape[0] == 0:
        return []
    alive = p["alive"][-1] == 1
    r, k, d = p["region"][-1][alive], p["capital"][-1][alive], p["digital"][-1][alive]
    v = {reg[j]: float(np.average(d[r == j], weights=k[r == j]))
         for j in range(len(reg)) if (r == j).any() and k[r == j].sum() > 0}
    return [(c, round(x, 3)) for c, x in sorted(v.items(), key=lambda x: -x[1])]


def within_industry_facts(f, reg):
    """Digital penetration and automation net of the industry mix: each
    city's capital-weighted mean gap to its industries' province-wide
    levels (lowest first), and in how many industries each city is the
    lowest (cities with at least one firm of the industry)."""
    g = f["series/industry_region"]
    k = g["capital"][-1]
    out = {}
    for name in ["digital", "automation"]:
        a = g[name][-1]
        ok = (k > 0) & ~np.isnan(a)
        kk, aa = np.where(ok, k, 0.0), np.where(ok, a, 0.0)
        level = (aa * kk).sum(axis=1) / np.maximum(kk.sum(axis=1), 1e-300)
        gap_w = ((aa - level[:, None]) * kk).sum(axis=0)
        cap = kk.sum(axis=0)
        cities = [r for r in range(len(reg)) if cap[r] > 0]
        gap = {reg[r]: round(float(gap_w[r] / cap[r]), 3) for r in cities}
        lowest = {}
        for j in range(a.shape[0]):
            rows = [r for r in range(len(reg)) if ok[j, r]]
            if rows:
                r = min(rows, key=lambda r: a[j, r])
                lowest[reg[r]] = lowest.get(reg[r], 0) + 1
        out[name + "_net_of_mix"] = sorted(gap.items(), key=lambda x: x[1])
        out[name + "_lowest_in_industries"] = sorted(lowest.items(), key=lambda x: -x[1])
    return out


def region_facts(f):
    reg = labels(f["series/region/region"])
    g = f["series/region"]
    last = -1
    out = {}
    for name in ["digital", "automation", "index_tech", "index_org", "index_value", "index_nqp"]:
        v = g[name][last]
        order = np.argsort(-np.nan_to_num(v, nan=-1))
        out[name] = [(reg[i], round(float(v[i]), 3)) for i in order if not np.isnan(v[i])]
    out["digital_capital_weighted"] = capital_weighted_digital(f, reg)
    out.update(within_industry_facts(f, reg))
    sold = g["inventions_sold_out"][()].sum(axis=0)
    local = g["inventions_local"][()].sum(axis=0)
    out["inventions"] = {reg[i]: {"local": int(local[i]), "sold_out": int(sold[i])}
                         for i in range(len(reg)) if local[i] + sold[i] > 0}
    return out


def kinds_from_scenario(f):
    text = f["scenario"][()]
    text = text.decode() if isinstance(text, bytes) else text
    kinds, cur = {}, None
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("- id:") or s.startswith("id:"):
            cur = s.split(":", 1)[1].strip().strip('"')
        elif s.startswith("kind:") and cur is not None:
            kinds[cur] = s.split(":", 1)[1].split("#")[0].strip().strip('"')
    return kinds


def channel_facts(f):
    ind = labels(f["series/industry/industry"])
    kinds = kinds_from_scenario(f)
    g = f["series/industry"]
    out = {}
    for kind in ("technology", "labour"):
        cols = [i for i, lab in enumerate(ind) if kinds.get(lab) == kind]
        if not cols:
            continue
        def change(name, log=True):
            v = g[name][()][:, cols]
            w = g["output"][()][:, cols]
            a = np.nansum(v[0] * w[0]) / w[0].sum() if name != "employment_skilled" else v[0].sum()
            b = np.nansum(v[-1] * w[-1]) / w[-1].sum() if name != "employment_skilled" else v[-1].sum()
            return float(np.log(b / a)) if log else float(b - a)
        emp_s = g["employment_skilled"][()][:, cols].sum(axis=1)
        emp_u = g["employment_unskilled"][()][:, cols].sum(axis=1)
        out_ = g["output"][()][:, cols].sum(axis=1)
        out[kind] = {
            "industries": [ind[i] for i in cols],
            "dlog_output": float(np.log(out_[-1] / out_[0])),
            "dlog_tfp": change("tfp"),
            "d_digital": change("digital", log=False),
            "dlog_skilled": float(np.log(emp_s[-1] / emp_s[0])),
            "dlog_unskilled": float(np.log(emp_u[-1] / emp_u[0])),
            "d_legacy_share": change("legacy_share", log=False),
            "d_automation": change("automation", log=False),
            "dlog_output_per_worker": float(np.log(out_[-1] / (emp_s[-1] + emp_u[-1]))
                                            - np.log(out_[0] / (emp_s[0] + emp_u[0]))),
            "d_index_tech": change("index_tech", log=False),
            "d_index_org": change("index_org", log=False),
            "d_index_value": change("index_value", log=False),
        }
    return out


def scenario_numbers(f, key):
    """Per-industry numeric field KEY from the stored resolved scenario."""
    text = f["scenario"][()]
    text = text.decode() if isinstance(text, bytes) else text
    out, cur, in_ind = {}, None, False
    for line in text.splitlines():
        if line.startswith("industries:"):
            in_ind = True
            continue
        if in_ind and line and not line.startswith(" ") and not line.startswith("-"):
            in_ind = False
        s = line.strip()
        if not in_ind:
            continue
        if s.startswith("- id:"):
            cur = s.split(":", 1)[1].strip().strip('"')
        elif s.startswith(key + ":") and cur is not None:
            out[cur] = float(s.split(":", 1)[1].split("#")[0])
    return out


def calibration_facts(f):
    """Initial conditions against the figures they are calibrated to."""
    spy = int(f.attrs["steps_per_year"])
    ind = labels(f["series/industry/industry"])
    reg = labels(f["series/region/region"])
    rev = scenario_numbers(f, "revenue")
    sales0 = f["series/industry/sales"][0]
    out = {"revenue_1e8_per_year": {lab: {"target": rev.get(lab), "model_step0": round(float(sales0[i] * spy / 1e8), 1)}
                                    for i, lab in enumerate(ind)}}
    q0 = f["series/region/output"][0]
    top3 = sum(q0[reg.index(r)] for r in ("hefei", "wuhu", "chuzhou")) / np.nansum(q0)
    out["hefei_wuhu_chuzhou_output_share_step0"] = {"target": 0.50, "model": round(float(top3), 3)}
    loc = f["series/economy/inventions_local"][()].sum()
    sold = f["series/economy/inventions_sold_out"][()].sum()
    out["inventions_kept_in_province"] = {"target": 0.645, "model": round(float(loc / (loc + sold)), 3)}
    out["firms_step0"] = int(f["series/economy/firms"][0])
    out["price_step0"] = round(float(f["series/economy/price"][0]), 4)
    return out


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    with h5py.File(sys.argv[1], "r") as f:
        res = {"calibration": calibration_facts(f), "sizes": size_facts(f), "growth": growth_facts(f)}
        disp, picks = dispersion_facts(f)
        res["tfp_p90_p10"] = {"steps": picks, "by_industry": disp}
        res["regions"] = region_facts(f)
        res["channels"] = channel_facts(f)
    print(json.dumps(res, indent=1, ensure_ascii=False))
    if "--json" in sys.argv:
        json.dump(res, open(sys.argv[sys.argv.index("--json") + 1], "w"), indent=1, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
