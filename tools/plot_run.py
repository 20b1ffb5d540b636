#!/usr/bin/env python3
"""Static figures of an nqpsim run or sweep file with matplotlib (Agg).

usage: plot_run.py FILE.h5 [-o FIGURE.png]

A run file (format "nqpsim-run") gives four panels: the NQP composite index
by industry, the index and its three dimensions for the province, output by
region (the six largest cities), and External inputs by industry; shock
periods from /events are shaded. A sweep file (format "nqpsim-sweep") gives
the distribution of each metric per design point (quantiles of the summary
group) and, when the design has them, Sobol' indices (S1, ST with their
intervals) or Morris mu*-sigma. Reading uses h5py for attributes and events
and xarray (engine="netcdf4") for the series, as docs/python.md shows.

Default output: FILE with .h5 replaced by .png. Exit 0, or 2 for a file that
is not an nqpsim run or sweep file. Uses only Debian's python3-h5py,
python3-xarray, python3-netcdf4 and python3-matplotlib.
"""
import sys

import matplotlib

matplotlib.use("Agg")  # no display: write files only
import h5py  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import xarray as xr  # noqa: E402


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def shocks(f):
    """[(id, first step, last step)] from /events."""
    if "events" not in f or f["events/step"].shape[0] == 0:
        return []
    ev = f["events"]
    steps, kinds, ids = ev["step"][()], [text(k) for k in ev["kind"][()]], [text(d) for d in ev["detail"][()]]
    out, start = [], {}
    for s, k, d in zip(steps, kinds, ids):
        if k == "shock_on":
            start[d] = s
        elif k == "shock_off" and d in start:
            out.append((d, start.pop(d), s - 1))
    last = int(f.attrs["steps_done"]) - 1
    out += [(d, s, last) for d, s in start.items()]
    return out


def shade(ax, periods):
    for i, (name, a, b) in enumerate(periods):
        ax.axvspan(a - 0.5, b + 0.5, color="tab:red", alpha=0.08, label="shock " + name if i == 0 else None)


def plot_run(path, out):
    with h5py.File(path, "r") as f:
        periods = shocks(f)
        name = text(f.attrs["scenario_name"])
    ind = xr.open_dataset(path, engine="netcdf4", group="series/industry")
    reg = xr.open_dataset(path, engine="netcdf4", group="series/region")
    eco = xr.open_dataset(path, engine="netcdf4", group="series/economy")
    fig, axes = plt.subplots(2, 2, figsize=(13, 8.5), constrained_layout=True)
    fig.suptitle(f"nqpsim run {name} ({path})")

    ax = axes[0, 0]
    ind["index_nqp"].plot.line(x="step", hue="industry", ax=ax, add_legend=False)
    ax.legend([text(i) for i in ind["industry"].values], fontsize=7, ncol=2)
    ax.set_title("NQP composite index by industry")

    ax = axes[0, 1]
    for v, label in [("index_nqp", "NQP composite"), ("index_tech", "T: technology penetration"),
                     ("index_org", "O: organisational restructuring"), ("index_value", "V: value co-creation")]:
        ax.plot(eco["step"], eco[v], label=label, lw=2.5 if v == "index_nqp" else 1.5)
    ax.set_title("Province: the index and its three dimensions")
    ax.legend(fontsize=8)

    ax = axes[1, 0]
    out_reg = reg["output"].drop_sel(region=[r for r in reg["region"].values if text(r) == "external"])
    top = out_reg.isel(step=-1).to_series().nlargest(6).index
    (out_reg.sel(region=top) / 1e8).plot.line(x="step", hue="region", ax=ax)
    ax.set_title("Output of the six largest cities (1e8 CNY/step)")

    ax = axes[1, 1]
    (ind["external_inputs"] / 1e8).plot.line(x="step", hue="industry", ax=ax, add_legend=False)
    ax.set_title("Inputs received from External by industry (1e8 CNY/step)")
    ax.legend([text(i) for i in ind["industry"].values], fontsize=7, ncol=2)
    for a in axes.flat:
        shade(a, periods)
        a.set_ylabel("")
    fig.savefig(out, dpi=110)


def plot_sweep(path, out):
    summ = xr.open_dataset(path, engine="netcdf4", group="summary")
    with h5py.File(path, "r") as f:
        name = text(f.attrs["sweep_name"])
        sobol = "analysis/sobol" in f
        morris = "analysis/morris" in f
    metrics = [text(m) for m in summ["metric"].values]
    extra = 1 if (sobol or morris) else 0
    fig, axes = plt.subplots(len(metrics) + extra, 1, figsize=(11, 3.2 * (len(metrics) + extra)),
                             constrained_layout=True, squeeze=False)
    fig.suptitle(f"nqpsim sweep {name} ({path})")
    for k, m in enumerate(metrics):
        ax = axes[k, 0]
        q = summ["quantiles"].isel(metric=k).values  # point x 5 (5, 25, 50, 75, 95 %)
        stats = [{"whislo": r[0], "q1": r[1], "med": r[2], "q3": r[3], "whishi": r[4], "fliers": []}
                 for r in q if np.all(np.isfinite(r))]
        ax.bxp(stats, showfliers=False)
        ax.set_title(f"{m}: 5-25-50-75-95 % over replicates, per design point")
        ax.set_xlabel("design point")
    if sobol:
        s = xr.open_dataset(path, engine="netcdf4", group="analysis/sobol")
        ax, params = axes[-1, 0], [text(p) for p in s["parameter"].values]
        x = np.arange(len(params))
        for v, off in [("S1", -0.2), ("ST", 0.2)]:
            err = np.nan_to_num(s[v + "_conf"].isel(metric=0).values)  # undefined interval: no bar
            ax.bar(x + off, s[v].isel(metric=0), 0.4, yerr=err, label=v, capsize=3)
        ax.set_xticks(x, params)
        ax.legend()
        ax.set_title(f"Sobol' indices of {text(s['metric'].values[0])}")
    elif morris:
        mo = xr.open_dataset(path, engine="netcdf4", group="analysis/morris")
        ax = axes[-1, 0]
        ms, sg = mo["mu_star"].isel(metric=0).values, mo["sigma"].isel(metric=0).values
        ax.errorbar(ms, sg, xerr=np.nan_to_num(mo["mu_star_conf"].isel(metric=0).values), fmt="o")
        for p, a, b in zip(mo["parameter"].values, ms, sg):
            ax.annotate(text(p), (a, b), textcoords="offset points", xytext=(5, 3))
        ax.set_xlabel("mu*")
        ax.set_ylabel("sigma")
        ax.set_title(f"Morris screening of {text(mo['metric'].values[0])}")
    fig.savefig(out, dpi=100)


def main(argv):
    args = [a for a in argv if a not in ("-o",)]
    if not args or args[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if args else 2
    path = args[0]
    out = argv[argv.index("-o") + 1] if "-o" in argv else path.rsplit(".h5", 1)[0] + ".png"
    try:
        with h5py.File(path, "r") as f:
            fmt = text(f.attrs.get("format", ""))
    except OSError as e:
        print(f"plot_run.py: {path}: {e}", file=sys.stderr)
        return 2
    if fmt == "nqpsim-run":
        plot_run(path, out)
    elif fmt == "nqpsim-sweep":
        plot_sweep(path, out)
    else:
        print(f"plot_run.py: {path}: not an nqpsim run or sweep file (format {fmt!r})", file=sys.stderr)
        return 2
    print(f"figure written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
