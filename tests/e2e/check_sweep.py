#!/usr/bin/env python3
"""Checks of sweep results files and sensitivity text files (helper of
tests/e2e/test_sweep*.sh; not a test by itself).

usage:
  check_sweep.py file OUT.h5              structure and consistency of a results file,
                                          read with xarray (engine netcdf4) and h5py
  check_sweep.py run OUT.h5 POINT REP     one run's metrics equal an `nqpsim run` of the
                                          same scenario, overrides and seed ($NQPSIM)
  check_sweep.py ishigami X.txt Y.txt     evaluate the Ishigami function (a=7, b=0.1)
                                          on the samples X (in [-pi, pi]^3) into Y
  check_sweep.py linear X.txt Y.txt       y = 2 x1 - 3 x2 + 0.5 x3 into Y
  check_sweep.py indices TABLE.txt KIND TOL   an `analyze` table against known answers:
                                          KIND ishigami (S1, ST) or linear (morris mu*)
Exit 0 when every check holds, 1 otherwise (messages say which).
"""
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import xarray as xr

FAILS = []


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print("FAIL:", what)


def check_file(path):
    groups = {g: xr.open_dataset(path, group=g, engine="netcdf4") for g in
              ("design", "runs", "results", "summary")}
    with h5py.File(path, "r") as f:
        check(f.attrs["format"] == "nqpsim-sweep", "format attribute")
        check(f.attrs["status"] == "complete", "status complete")
        design = f.attrs["design"]
        check("sweep" in f and "scenario" in f, "resolved sweep and scenario stored")
        crn = int(f.attrs["common_random_numbers"])
    res, runs, summ = groups["results"], groups["runs"], groups["summary"]
    v = res["value"].values
    check(v.shape == (res.sizes["point"], res.sizes["replicate"], res.sizes["metric"]), "shape")
    check(bool((runs["status"].values == 0).all()), "every run ok")
    check(np.isfinite(v).all(), "finite metrics")
    seeds = runs["seed"].values
    if crn and seeds.shape[0] > 1:
        check(bool((seeds == seeds[0]).all()), "common random numbers: same seed per replicate")
    mean = np.nanmean(v, axis=1)
    check(np.allclose(summ["mean"].values, mean, rtol=1e-12, atol=0), "summary mean")
    if v.shape[1] > 1:
        sd = np.nanstd(v, axis=1, ddof=1)
        check(np.allclose(summ["sd"].values, sd, rtol=1e-9, atol=0), "summary sd")
        q = np.nanquantile(v, [0.05, 0.25, 0.5, 0.75, 0.95], axis=1)  # (q, point, metric)
        check(np.allclose(summ["quantiles"].values, np.moveaxis(q, 0, -1), rtol=1e-12),
              "summary quantiles (numpy's linear interpolation)")
        check(bool((summ["ci_low"].values <= mean).all() and (mean <= summ["ci_high"].values).all()),
              "confidence interval around the mean")
    if "parameter" in groups["design"].dims:
        u = groups["design"]["unit"].values
        check(bool(((u >= 0) & (u <= 1)).all()), "unit design in [0, 1]")
        lo, hi = groups["design"]["min"].values, groups["design"]["max"].values
        val = groups["design"]["value"].values
        check(bool(((val >= lo) & (val <= hi)).all()), "design values within [min, max]")
    if design in ("sobol", "morris"):
        a = xr.open_dataset(path, group="analysis/" + design, engine="netcdf4")
        first = a["ST"] if design == "sobol" else a["mu_star"]
        check(np.isfinite(first.values).all(), design + " indices finite")
        check(first.dims == ("metric", "parameter"), "index dims")
        a.close()
    for g in groups.values():
        g.close()


def check_run(path, point, rep):
    point, rep = int(point), int(rep)
    with h5py.File(path, "r") as f:
        seed = int(f["runs/seed"][point, rep])
        value = f["results/value"][point, rep, :]
        metrics = [m.decode() if isinstance(m, bytes) else m for m in f["results/metric"][:]]
        series = [s.decode() if isinstance(s, bytes) else s for s in f["results/series"][:]]
        stat = [s.decode() if isinstance(s, bytes) else s for s in f["results/statistic"][:]]
        scenario = f["scenario"][()]
        scenario = scenario.decode() if isinstance(scenario, bytes) else scenario
        sets = []
        if "design/parameter" in f:
            paths = [p.decode() if isinstance(p, bytes) else p for p in f["design/path"][:]]
            for k, p in enumerate(paths):
                x = f["design/value"][point, k]
                sets += ["--set", "%s=%s" % (p, repr(float(x)) if x != int(x) else int(x))]
    with tempfile.TemporaryDirectory() as d:
        base = os.path.join(d, "base.yaml")
        with open(base, "w") as fh:
            fh.write(scenario)
        out = os.path.join(d, "run.h5")
        cmd = [os.environ["NQPSIM"], "run", base, "-q", "--seed", str(seed), "-o", out] + sets
        subprocess.run(cmd, check=True)
        with h5py.File(out, "r") as r:
            for k, m in enumerate(metrics):
                if stat[k] != "final":
                    continue
                want = r["series/economy/" + series[k]][-1]
                check(value[k] == want, "%s: sweep %r == run %r" % (m, value[k], want))


def ishigami(xfile, yfile):
    x = np.loadtxt(xfile)
    y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    np.savetxt(yfile, y, fmt="%.17g")


def linear(xfile, yfile):
    x = np.loadtxt(xfile)
    np.savetxt(yfile, 2 * x[:, 0] - 3 * x[:, 1] + 0.5 * x[:, 2], fmt="%.17g")


def indices(table, kind, tol):
    rows = {}
    with open(table) as fh:
        header = fh.readline().split()
        for line in fh:
            parts = line.split()
            if not parts:
                break
            rows[parts[0]] = dict(zip(header[1:], map(float, parts[1:])))
    tol = float(tol)
    if kind == "ishigami":
        want = {"x1": (0.3139, 0.5576), "x2": (0.4424, 0.4424), "x3": (0.0, 0.2437)}
        for name, (s1, st) in want.items():
            check(abs(rows[name]["S1"] - s1) <= tol, "%s S1 %.4f vs %.4f" % (name, rows[name]["S1"], s1))
            check(abs(rows[name]["ST"] - st) <= tol, "%s ST %.4f vs %.4f" % (name, rows[name]["ST"], st))
    else:  # linear on x1 in [0,1], x2 in [1,3], x3 in [-2,2]: mu* = |c| (hi - lo)
        want = {"x1": 2.0, "x2": 6.0, "x3": 2.0}
        for name, mu in want.items():
            check(abs(rows[name]["mu_star"] - mu) <= tol, "%s mu* %g vs %g" % (name, rows[name]["mu_star"], mu))
            check(abs(rows[name]["sigma"]) <= tol, "%s sigma %g" % (name, rows[name]["sigma"]))


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    {"file": check_file, "run": check_run, "ishigami": ishigami, "linear": linear,
     "indices": indices}[cmd](*args)
    if FAILS:
        return 1
    print("ok:", cmd, *args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
