#!/usr/bin/env python3
"""Sobol' sensitivity of nqpsim with SALib, driving the in-process binding.

NOT RUN BY THE TESTS: SALib is not a Debian package and nothing from PyPI is
installed on the test machines, so this file is documentation
(docs/python.md, "In-process: the nqpsim package"). Elsewhere:

    pip install SALib          # 1.5.x: it needs numpy >= 2, scipy, pandas >= 2
    PYTHONPATH=python python3 docs/examples/salib_sobol.py --samples 64 --jobs 4

The SALib calls were checked against SALib's source at v1.5.2-45-g1c37548
(github.com/SALib/SALib, commit 1c375488e1c85167929142fb54166eb35e4f99f6;
the signatures below are the same in the release v1.5.2):
  - the problem is a dict {"num_vars": D, "names": [...], "bounds":
    [[lo, hi], ...]} (uniform; optional "dists", "groups");
  - SALib.sample.sobol.sample(problem, N, calc_second_order=..., scramble=True,
    seed=...) (keyword-only after N) returns N * (2D + 2) rows with second-order
    indices, N * (D + 2) without, each row one point in the problem's bounds;
    N should be a power of 2 (scipy's Sobol' sequence warns otherwise);
  - SALib.analyze.sobol.analyze(problem, Y, calc_second_order=...,
    num_resamples=100, conf_level=0.95, seed=...) takes the model outputs Y
    in the sample's row order and returns a ResultDict with "S1", "S1_conf",
    "ST", "ST_conf" (arrays of D) and, with second order, "S2", "S2_conf"
    (D x D, upper triangle); .to_df() gives [total, first(, second)] pandas
    DataFrames indexed by the names.
The same rows could be written to a text file for SALib's command line
(`salib sample sobol -p params.txt -o X.txt`, params.txt lines "name lo hi");
here everything stays in one process.

What it does: each sample row sets three scenario parameters (through the
same paths as `nqpsim run --set`) of the talent-lever scenario; one world
per row runs, all with the same seed (common random numbers, so the indices
measure the parameters, not the seed), and the metric is the final
economy-level NQP index. Worlds run in parallel threads: libnqpsim lets
different worlds step in different threads and ctypes releases the GIL
during each call. Without SALib, `nqpsim sweep` (design: sobol) and `nqpsim
sensitivity` do the same from YAML (docs/sweeps.md).
"""

import argparse
import concurrent.futures as cf
import sys

import numpy as np

import nqpsim

SCENARIO = "lever_talent.yaml"
PROBLEM = {
    "num_vars": 3,
    "names": ["talent_intensity", "nev_markup", "markup_response"],
    "bounds": [[0.0, 1.0], [0.05, 0.3], [0.0, 2.0]],
}
# scenario path of each parameter (`nqpsim schema` lists them all)
PATHS = {
    "talent_intensity": "government.talent.intensity",
    "nev_markup": "industries.nev.markup",
    "markup_response": "firm.markup_response",
}
METRIC = ("economy", "index_nqp")  # level, series: its value at the last step


def evaluate_row(x, base, seed):
    """The metric for one sample row X (values in PROBLEM["names"] order)."""
    overrides = dict(base)
    overrides.update({PATHS[n]: float(v) for n, v in zip(PROBLEM["names"], x)})
    with nqpsim.World(SCENARIO, seed=seed, set=overrides) as w:
        w.run()
        return float(w.series(METRIC[0], names=[METRIC[1]])[METRIC[1]].values[-1])


def evaluate(X, base, seed, jobs=1):
    """Y[i] = metric of row X[i], computed by JOBS threads, in row order."""
    with cf.ThreadPoolExecutor(max_workers=jobs) as ex:
        return np.array(list(ex.map(lambda x: evaluate_row(x, base, seed), X)))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--samples", type=int, default=64, help="SALib N, a power of 2 (default 64)")
    ap.add_argument("--steps", type=int, default=12, help="steps per run (default 12)")
    ap.add_argument("--scale", type=float, default=0.05, help="world scale (default 0.05)")
    ap.add_argument("--seed", type=int, default=1, help="model seed, the same for every run")
    ap.add_argument("--jobs", type=int, default=2, help="worlds simulated at once (threads)")
    ap.add_argument("--second-order", action="store_true", help="also S2 (2D+2 runs per sample)")
    ap.add_argument("-o", "--output", help="write the sample and metric as CSV")
    a = ap.parse_args(argv)
    try:
        from SALib.analyze import sobol as sobol_analyze
        from SALib.sample import sobol as sobol_sample
    except ImportError:
        print("salib_sobol.py: SALib is not installed (pip install SALib)", file=sys.stderr)
        return 2

    X = sobol_sample.sample(PROBLEM, a.samples, calc_second_order=a.second_order, seed=a.seed)
    base = {"scale": a.scale, "steps": a.steps, "government.talent.start": 0}
    print("%d runs of %s, %d steps, scale %g" % (len(X), SCENARIO, a.steps, a.scale),
          file=sys.stderr)
    Y = evaluate(X, base, a.seed, a.jobs)
    if a.output:
        header = ",".join(PROBLEM["names"] + [METRIC[1]])
        np.savetxt(a.output, np.column_stack([X, Y]), delimiter=",", header=header, comments="")
    Si = sobol_analyze.analyze(PROBLEM, Y, calc_second_order=a.second_order, num_resamples=200,
                               conf_level=0.95, seed=a.seed)
    for df in Si.to_df():
        print(df.round(3), end="\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
