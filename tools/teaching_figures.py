#!/usr/bin/env python3
"""Every figure quoted in docs/teaching.md, recomputed from the teaching runs.

usage: /usr/bin/python3 tools/teaching_figures.py [--run NQPSIM] DIR

DIR holds the runs of the five walkthroughs, under the names the guide's
commands use (anhui24.h5, chip.h5, bull4.h5, bull8.h5, anhui.h5, shared.h5,
talent.h5, crunch.h5, pledge.h5), plus extra runs that back a sentence of
the guide (chip shortage and its baseline with spot purchases off, the
bullwhip chain at seeds 1 to 8 under DIR/bullseeds). With --run NQPSIM
every run is made first with that binary (`nqpsim run ... -o DIR/NAME.h5
--force`, scenarios embedded, default seeds: 20230101 for the Anhui cases,
7 for the bullwhip chain; 27 runs, about 20 s on one core); without it the
runs must already be in DIR.

Prints one line per figure, "[walkthrough] label: value", in the order the
guide quotes them; percentages are policy (or shock) run against its
baseline at the same step. Step s is the state at the end of step s.
Needs only numpy and h5py.
"""
import os
import re
import subprocess
import sys

import h5py
import numpy as np

# Runs: file name -> arguments of `nqpsim run` (before -o). Same seed within
# a comparison, so differences are the scenario's (common random numbers).
RUNS = {
    "anhui24.h5": ["anhui.yaml", "--steps", "24"],
    "chip.h5": ["teach_chip_shortage.yaml"],
    "anhui24_nospot.h5": ["anhui.yaml", "--steps", "24", "--set", "market.spot_external=0"],
    "chip_nospot.h5": ["teach_chip_shortage.yaml", "--set", "market.spot_external=0"],
    "bull4.h5": ["teach_bullwhip.yaml"],
    "bull8.h5": ["teach_bullwhip.yaml", "--set", "firm.forecast_window=8"],
    "anhui.h5": [],
    "shared.h5": ["teach_shared_factory_city.yaml"],
    "talent.h5": ["teach_talent_hefei.yaml"],
    "crunch.h5": ["teach_data_pledge_smes.yaml", "--set", "government.data_pledge.enabled=false"],
    "pledge.h5": ["teach_data_pledge_smes.yaml"],
}
BULL_SEEDS = range(1, 9)
for _w in (4, 8):
    for _s in BULL_SEEDS:
        RUNS["bullseeds/w%d_seed%d.h5" % (_w, _s)] = [
            "teach_bullwhip.yaml", "--seed", str(_s), "--set", "firm.forecast_window=%d" % _w]


def make_runs(nqpsim, d):
    """Run every scenario of RUNS into directory d."""
    os.makedirs(os.path.join(d, "bullseeds"), exist_ok=True)
    for name, args in RUNS.items():
        cmd = [nqpsim, "run"] + args + ["-o", os.path.join(d, name), "--force", "-q"]
        subprocess.run(cmd, check=True)


# ---- reading ---------------------------------------------------------------

def labels(ds):
    return [x.decode() if isinstance(x, bytes) else x for x in ds[()]]


class Run:
    """One run file: series by industry, region, cell, economy; firm panel."""

    def __init__(self, path):
        self.f = h5py.File(path, "r")
        self.ind = labels(self.f["series/industry/industry"])
        self.reg = labels(self.f["series/region/region"])

    def E(self, name):  # economy: (step,)
        return self.f["series/economy/" + name][:]

    def I(self, name, i):  # industry i: (step,)
        return self.f["series/industry/" + name][:, self.ind.index(i)]

    def R(self, name, r):  # region r: (step,)
        return self.f["series/region/" + name][:, self.reg.index(r)]

    def C(self, name, i, r):  # cell industry i x region r: (step,)
        return self.f["series/industry_region/" + name][:, self.ind.index(i), self.reg.index(r)]

    def panel(self, step, i, r=None):
        """Live firms of industry i (and region r) at panel snapshot `step`:
        dict of column -> array."""
        p = self.f["firms"]
        k = list(p["snapshot"][:]).index(step)
        sel = p["alive"][k].astype(bool) & (p["industry"][k] == self.ind.index(i))
        if r is not None:
            sel &= p["region"][k] == self.reg.index(r)
        return {c: p[c][k][sel] for c in ("uid", "output", "tfp", "chain_master")}


def pct(x, y):
    """Percentage change of x against y."""
    return 100.0 * (x / y - 1.0)


def out(walk, label, value):
    print("[%s] %s: %s" % (walk, label, value))


def p0(v):  # whole percent, signed
    return "%+.0f %%" % v


def p1(v):  # percent with one decimal, signed
    return "%+.1f %%" % v


# ---- 1. chip shortage --------------------------------------------------------

def chip(d):
    b, c = Run(d + "/anhui24.h5"), Run(d + "/chip.h5")
    w = "1 chip"
    fill = c.I("external_fill", "it")
    out(w, "external_fill of it at step 8", "%.2f" % fill[8])
    s = 8 + int(np.argmin(fill[8:12]))
    out(w, "external_fill of it, lowest during the shock (steps 8-11)", "%.2f at step %d" % (fill[s], s))
    for i in ("it", "digital_creative", "ai", "nev", "equipment"):
        out(w, "External inputs of %s vs baseline at step 8" % i,
            p0(pct(c.I("external_inputs", i)[8], b.I("external_inputs", i)[8])))
    for s in (9, 11, 12, 13):
        for i in ("it", "nev"):
            out(w, "output of %s vs baseline at step %d" % (i, s), p0(pct(c.I("output", i)[s], b.I("output", i)[s])))
    # first step after the shock with output of both industries back at or above the baseline
    s = next(s for s in range(12, 24) if all(c.I("output", i)[s] >= b.I("output", i)[s] for i in ("it", "nev")))
    out(w, "first step from 12 with it and nev output at or above the baseline", "%d" % s)
    out(w, "NEV inventory vs baseline at step 12", p0(pct(c.I("inventory", "nev")[12], b.I("inventory", "nev")[12])))
    # the NEV chain master against the rest of the industry (firm panel, snapshot at step 12)
    pb, pc_ = b.panel(12, "nev"), c.panel(12, "nev")
    cmb, cmc = pb["chain_master"] == 1, pc_["chain_master"] == 1
    out(w, "NEV chain master output vs baseline at step 12", p0(pct(pc_["output"][cmc].sum(), pb["output"][cmb].sum())))
    out(w, "rest of NEV output vs baseline at step 12", p0(pct(pc_["output"][~cmc].sum(), pb["output"][~cmb].sum())))
    bn, cn = Run(d + "/anhui24_nospot.h5"), Run(d + "/chip_nospot.h5")
    for i in ("nev", "it"):
        out(w, "output of %s vs baseline at step 12, spot purchases off in both runs" % i,
            p0(pct(cn.I("output", i)[12], bn.I("output", i)[12])))
    out(w, "unfilled of it vs baseline at step 12", p0(pct(c.I("unfilled", "it")[12], b.I("unfilled", "it")[12])))
    for s in (9, 12):
        out(w, "External orders for it vs baseline at step %d" % s,
            p0(pct(c.I("external_orders", "it")[s], b.I("external_orders", "it")[s])))
    x = pct(c.I("external_inputs", "it")[12:17], b.I("external_inputs", "it")[12:17])
    s = 12 + int(np.argmax(x))
    out(w, "External inputs of it vs baseline, highest after the shock (steps 12-16)", "%s at step %d" % (p0(x.max()), s))


# ---- 2. bullwhip ---------------------------------------------------------------

def bullwhip_ratios(path, skip=20):
    """As tools/bullwhip.py: per tier from retail upstream, var(orders placed)
    / var(demand faced) in input units (x 0.9), and the cumulative ratio
    var(orders placed) / var(consumer demand x 0.9). Tier 0 places no orders."""
    with h5py.File(path, "r") as f:
        g = f["series/industry"]
        tiers = labels(g["industry"])
        placed, received = g["orders_placed"][skip:], g["orders_received"][skip:]
        final = g["final_demand_addressed"][skip:]
    n = len(tiers)
    base = np.var(final[:, n - 1] * 0.9)
    rows = []
    for i in range(n - 1, 0, -1):
        faced = final[:, i] if i == n - 1 else received[:, i]
        rows.append((tiers[i], np.var(placed[:, i]) / np.var(faced * 0.9), np.var(placed[:, i]) / base))
    return rows


def bullwhip(d):
    w = "2 bullwhip"
    for win, name in ((4, "bull4.h5"), (8, "bull8.h5")):
        rows = bullwhip_ratios(d + "/" + name)
        for tier, r, _ in rows:
            out(w, "window %d, variance ratio at %s" % (win, tier), "%.1f" % r)
        out(w, "window %d, orders raw receives vs consumer demand (variance)" % win, "%.0f" % rows[-1][2])
        # orders are max(0, ...): count the measured steps in which parts orders nothing
        with h5py.File(d + "/" + name, "r") as f:
            g = f["series/industry"]
            o = g["orders_placed"][20:, labels(g["industry"]).index("parts")]
        out(w, "window %d, steps 20-119 in which parts places no order" % win, "%d of %d" % ((o <= 0).sum(), len(o)))
    for win in (4, 8):
        tot = [bullwhip_ratios(d + "/bullseeds/w%d_seed%d.h5" % (win, s))[-1][2] for s in BULL_SEEDS]
        out(w, "window %d, orders raw receives vs consumer demand over seeds %d-%d" % (win, BULL_SEEDS[0], BULL_SEEDS[-1]),
            "%.0f to %.0f" % (min(tot), max(tot)))


# ---- 3. shared factories -------------------------------------------------------

# the cells the lever reaches: shared_factory targets green_food and appliances
# (anhui.yaml) in Wuhu and Bengbu, and Bengbu has no appliance firm
CELLS = (("appliances", "wuhu"), ("green_food", "wuhu"), ("green_food", "bengbu"))


def shared(d):
    a, s = Run(d + "/anhui.h5"), Run(d + "/shared.h5")
    w = "3 shared"
    name = {c: "%s %s" % (c[1].capitalize(), c[0].replace("_", " ")) for c in CELLS}
    for c in CELLS:
        k = s.C("capital", *c) + s.C("shared_capacity", *c)
        out(w, "%s capital plus shared capacity vs baseline capital at step 4" % name[c], p0(pct(k[4], a.C("capital", *c)[4])))
    for c in CELLS:
        out(w, "%s O index at step 10, lever / baseline" % name[c], "%.2f / %.2f" % (s.C("index_org", *c)[10], a.C("index_org", *c)[10]))
    cm = a.panel(8, "appliances", "wuhu")
    out(w, "Wuhu appliances chain master's share of the cell's output at step 8 (baseline)",
        "%.0f %%" % (100 * cm["output"][cm["chain_master"] == 1].sum() / cm["output"].sum()))
    for c in CELLS:
        out(w, "%s legacy share at step 20, lever / baseline" % name[c],
            "%.3f / %.3f" % (s.C("legacy_share", *c)[20], a.C("legacy_share", *c)[20]))
    for c in CELLS:
        out(w, "%s T index at step 20, lever / baseline" % name[c], "%.2f / %.2f" % (s.C("index_tech", *c)[20], a.C("index_tech", *c)[20]))
    for c in CELLS:
        out(w, "%s mean TFP vs baseline at step 20" % name[c], p1(pct(s.C("tfp", *c)[20], a.C("tfp", *c)[20])))
    # TFP at step 20 of the firms alive in both runs, and of those alive in
    # the baseline only (firm panel). Only firms present at step 0 are
    # compared: they carry the same uid in both runs, while the uids of
    # later entrants follow creation order, which differs once the runs do.
    for c in CELLS:
        pa, ps = a.panel(20, *c), s.panel(20, *c)
        first = set(a.panel(0, *c)["uid"])
        ta = {u: t for u, t in zip(pa["uid"], pa["tfp"]) if u in first}
        ts = {u: t for u, t in zip(ps["uid"], ps["tfp"]) if u in first}
        both = [u for u in ta if u in ts]
        gone = [u for u in ta if u not in ts]
        out(w, "%s mean TFP at step 20 of step-0 firms alive in both runs vs baseline" % name[c],
            p1(pct(np.mean([ts[u] for u in both]), np.mean([ta[u] for u in both]))))
        out(w, "%s baseline TFP at step 20 of step-0 firms gone only under the lever vs those alive in both runs" % name[c],
            p0(pct(np.mean([ta[u] for u in gone]), np.mean([ta[u] for u in both]))))
    for c in CELLS:
        out(w, "%s price vs baseline at step 10" % name[c], p1(pct(s.C("price", *c)[10], a.C("price", *c)[10])))
    for c in CELLS:
        out(w, "%s profit of steps 4-7 vs baseline" % name[c], p0(pct(s.C("profit", *c)[4:8].sum(), a.C("profit", *c)[4:8].sum())))
    for c in CELLS:
        out(w, "%s firms at the end, lever / baseline" % name[c], "%.0f / %.0f" % (s.C("firms", *c)[-1], a.C("firms", *c)[-1]))
    for c in CELLS:
        out(w, "%s output vs baseline at the end" % name[c], p0(pct(s.C("output", *c)[-1], a.C("output", *c)[-1])))
    for c in CELLS:
        out(w, "%s unskilled employment vs baseline at the end" % name[c],
            p0(pct(s.C("employment_unskilled", *c)[-1], a.C("employment_unskilled", *c)[-1])))
    last = a.f["firms/snapshot"][-1]
    for run, lab in ((s, "lever"), (a, "baseline")):
        cm = run.panel(last, "appliances", "wuhu")
        out(w, "Wuhu appliances chain master's share of the cell's output at the end (%s)" % lab,
            "%.0f %%" % (100 * cm["output"][cm["chain_master"] == 1].sum() / cm["output"].sum()))
    q = a.C("output", "appliances", "wuhu")
    out(w, "Wuhu appliances output in the baseline, steps 20-39, lowest / highest (1e8 CNY a quarter)",
        "%.0f / %.0f" % (q[20:].min() / 1e8, q[20:].max() / 1e8))
    sp = s.E("lever_spending_shared_factory")
    out(w, "lever spending, highest (1e8 CNY a quarter)", "%.1f at step %d" % (sp.max() / 1e8, int(np.argmax(sp))))
    out(w, "lever spending at the end (1e8 CNY a quarter)", "%.1f" % (sp[-1] / 1e8))
    n = [sum(s.C("firms", *c)[t] for c in CELLS) for t in (4, -1)]
    out(w, "firms in the three cells under the lever, step 4 / end", "%.0f / %.0f" % tuple(n))


# ---- 4. talent -----------------------------------------------------------------

def talent(d):
    a, t = Run(d + "/anhui.h5"), Run(d + "/talent.h5")
    w = "4 talent"
    mt, ma = t.R("migrated_skilled", "hefei"), a.R("migrated_skilled", "hefei")
    out(w, "skilled migrants from Hefei at step 8, talent run / baseline (a quarter)", "%.0f / %.0f" % (mt[8], ma[8]))
    out(w, "skilled migrants from Hefei, ratio to the baseline at step 8", "%.1f" % (mt[8] / ma[8]))
    for s in (11, 12):
        out(w, "skilled migrants from Hefei at step %d, talent run" % s, "%.0f" % mt[s])
    ws, wa = t.R("wage_skilled", "hefei"), a.R("wage_skilled", "hefei")
    out(w, "Hefei skilled wage, largest difference from the baseline", "%.2f %%" % np.max(np.abs(pct(ws, wa))))
    out(w, "Hefei skilled vacancies / unemployed skilled at step 8",
        "%.1f" % (t.R("vacancies_skilled", "hefei")[8] / t.R("unemployed_skilled", "hefei")[8]))
    g = pct(ws[8:16], ws[7:15])
    out(w, "Hefei skilled wage growth a quarter, steps 8-15, min / max", "%.2f %% / %.2f %%" % (g.min(), g.max()))
    gr, gl = t.R("graduates_retained", "hefei"), t.R("graduates_left", "hefei")
    out(w, "Hefei graduates retained at step 12, talent run / baseline", "%.0f / %.0f" % (gr[12], a.R("graduates_retained", "hefei")[12]))
    out(w, "Hefei graduates leaving at step 12, talent run / baseline", "%.0f / %.0f" % (gl[12], a.R("graduates_left", "hefei")[12]))
    out(w, "Hefei extra graduates retained a quarter from step 12, min / max",
        "%.0f / %.0f" % ((gr - a.R("graduates_retained", "hefei"))[12:].min(), (gr - a.R("graduates_retained", "hefei"))[12:].max()))
    out(w, "Hefei graduates a quarter (retained + left)", "%.0f" % (gr[12] + gl[12]))
    sp, cut = t.E("lever_spending_talent")[12:], t.E("lever_cut_talent")[12:]
    out(w, "talent lever spending a quarter from step 12, min / max (1e8 CNY)", "%.2f / %.2f" % (sp.min() / 1e8, sp.max() / 1e8))
    out(w, "talent lever cut a quarter from step 12, min / max (1e8 CNY)", "%.2f / %.2f" % (cut.min() / 1e8, cut.max() / 1e8))
    extra = mt[8:16] - ma[8:16]
    out(w, "extra skilled migrants from Hefei a quarter during the shock (steps 8-15), highest", "%.0f" % extra.max())
    e = pct(t.R("employment_skilled", "hefei"), a.R("employment_skilled", "hefei"))
    out(w, "Hefei skilled employment vs baseline at step 20", p1(e[20]))
    out(w, "Hefei skilled employment vs baseline at the end", p1(e[-1]))
    for i in ("it", "ai"):
        out(w, "skilled employment of industry %s (province) vs baseline at the end" % i,
            p1(pct(t.I("employment_skilled", i)[-1], a.I("employment_skilled", i)[-1])))


# ---- 5. data pledge -------------------------------------------------------------

def pledge(d):
    a, c, p = Run(d + "/anhui.h5"), Run(d + "/crunch.h5"), Run(d + "/pledge.h5")
    w = "5 pledge"
    x = np.array([pct(c.I("credit_granted", i)[6:12], a.I("credit_granted", i)[6:12]) for i in a.ind])
    out(w, "new credit, crunch vs baseline, steps 6-11, every industry, range", "%s to %s" % (p0(x.max()), p0(x.min())))
    out(w, "AI new credit at step 6, crunch / baseline (1e8 CNY a quarter)",
        "%.1f / %.1f" % (c.I("credit_granted", "ai")[6] / 1e8, a.I("credit_granted", "ai")[6] / 1e8))
    for i in ("ai", "it", "digital_creative"):
        y = p.I("credit_data_pledged", i)
        out(w, "data-pledged credit of %s, highest (1e8 CNY a quarter)" % i, "%.1f at step %d" % (y.max() / 1e8, int(np.argmax(y))))
    others = [i for i in p.ind if i not in ("ai", "it", "digital_creative")]
    out(w, "data-pledged credit of the other industries, share of all over the run",
        "%.2f %%" % (100 * sum(p.I("credit_data_pledged", i).sum() for i in others) / p.E("credit_data_pledged").sum()))
    out(w, "province new credit during the crunch (steps 6-11), pledge vs crunch-only",
        "%+.3f %%" % pct(p.E("credit_granted")[6:12].sum(), c.E("credit_granted")[6:12].sum()))
    out(w, "province rationed credit at step 11, pledge / crunch-only (1e8 CNY)",
        "%.0f / %.0f" % (p.E("credit_rationed")[11] / 1e8, c.E("credit_rationed")[11] / 1e8))
    g = pct(p.I("credit_granted", "ai")[6:12], c.I("credit_granted", "ai")[6:12])
    out(w, "AI new credit, pledge vs crunch-only, highest during the crunch", p0(g.max()))
    out(w, "AI output, pledge vs crunch-only, at step 11", p1(pct(p.I("output", "ai")[11], c.I("output", "ai")[11])))
    out(w, "AI output, pledge vs crunch-only, at the end", p1(pct(p.I("output", "ai")[-1], c.I("output", "ai")[-1])))
    cut, sp = p.E("lever_cut_data_pledge"), p.E("lever_spending_data_pledge")
    out(w, "first step with a lever cut", "%d" % int(np.argmax(cut > 0)) if (cut > 0).any() else "none")
    # the lever's budget a quarter: budget (1e8 CNY/year, read from the
    # resolved scenario stored in the run) / steps_per_year
    sc = p.f["scenario"].asstr()[()]
    block = sc[sc.index("\n  data_pledge:"):]
    budget = float(re.search(r"\n    budget: ([0-9.eE+-]+)", block).group(1))
    out(w, "lever budget (1e8 CNY a quarter)", "%.2f" % (budget / p.f.attrs["steps_per_year"]))
    out(w, "lever spending, highest (1e8 CNY a quarter)", "%.2f" % (sp.max() / 1e8))
    out(w, "lever cut at the end (1e8 CNY a quarter)", "%.1f" % (cut[-1] / 1e8))


def main():
    args = sys.argv[1:]
    nqpsim = None
    if "--run" in args:
        i = args.index("--run")
        nqpsim = args[i + 1]
        del args[i:i + 2]
    if len(args) != 1 or args[0].startswith("-"):
        print(__doc__)
        return 2
    d = args[0]
    if nqpsim:
        make_runs(nqpsim, d)
    missing = [n for n in RUNS if not os.path.exists(os.path.join(d, n))]
    if missing:
        sys.exit("missing runs in %s: %s (use --run NQPSIM)" % (d, " ".join(missing)))
    with h5py.File(os.path.join(d, "anhui.h5"), "r") as f:
        print("# runs of %s (git_commit %s), seed %d (Anhui), seed 7 (bullwhip)"
              % (f.attrs["program"], f.attrs["git_commit"], f.attrs["seed"]))
    chip(d)
    bullwhip(d)
    shared(d)
    talent(d)
    pledge(d)
    return 0


if __name__ == "__main__":
    sys.exit(main())
