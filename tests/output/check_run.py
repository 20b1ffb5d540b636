#!/usr/bin/python3
"""check_run.py: validate an nqpsim run file (HDF5) as h5py and as
xarray/netCDF-4 read it.

Usage:
  check_run.py FILE.h5 [--expect-series NAME,NAME] [--expect-attrs NAME,NAME]
                       [--status complete|failed|running|any]

Checks (the layout is documented in output/h5out.h), collecting every
problem before failing:
  - h5py: root attributes decode (str or number), with format, format_version
    and status present (plus --expect-attrs); the groups series/{economy,
    industry,region,industry_region}, firms and events exist; every dataset
    has str `units` and `long_name`; data are attached to the right
    dimension scales, chunked, shuffled and deflated, with an unlimited
    first dimension; step/slot/event scales are 0..n-1, snapshots increase;
  - xarray (engine="netcdf4") for every group: exactly the named dimensions
    (step, industry, region, snapshot, slot, event; no phony_dim_*), every
    variable with the expected dims and a `units` attribute, labels decode
    as str and match h5py, float values are never infinite (NaN only for means of empty cells, never in economy series);
  - --expect-series: each name exists in some series group.
It assumes no particular series names. Exit 0 and one "OK" line on
success; 1 with one line per problem on failure; 2 on usage errors.
Run it with /usr/bin/python3 (needs python3-h5py, -xarray, -netcdf4).
"""

import argparse
import sys

import h5py
import numpy as np
import xarray as xr

SERIES_DIMS = {
    "economy": ("step",),
    "industry": ("step", "industry"),
    "region": ("step", "region"),
    "industry_region": ("step", "industry", "region"),
}
GROUP_DIMS = dict({"series/" + g: d for g, d in SERIES_DIMS.items()},
                  firms=("snapshot", "slot"), events=("event",))
REQUIRED_ATTRS = ("format", "format_version", "status")


class Checker:
    def __init__(self, path):
        self.path = path
        self.errors = []

    def fail(self, msg):
        self.errors.append(msg)

    def expect(self, cond, msg):
        if not cond:
            self.fail(msg)
        return cond


def decode(v):
    """h5py attribute value -> str/number, or raise."""
    if isinstance(v, bytes):
        return v.decode("utf-8")
    if isinstance(v, np.ndarray) and v.dtype.kind in "SO" and v.size == 1:
        return decode(v.reshape(-1)[0])
    if isinstance(v, (str, int, float, np.integer, np.floating, np.ndarray)):
        return v
    raise TypeError(f"unexpected attribute type {type(v).__name__}")


def check_attrs_h5(c, name, obj):
    for key in ("units", "long_name"):
        if key not in obj.attrs:
            c.fail(f"{name}: no `{key}` attribute")
            continue
        try:
            v = decode(obj.attrs[key])
            c.expect(isinstance(v, str), f"{name}: `{key}` is not a string")
        except (TypeError, UnicodeDecodeError) as e:
            c.fail(f"{name}: `{key}` does not decode: {e}")


def check_root_h5(c, f, expect_attrs, status):
    attrs = {}
    for k in f.attrs:
        try:
            attrs[k] = decode(f.attrs[k])
        except (TypeError, UnicodeDecodeError) as e:
            c.fail(f"root attribute {k} does not decode: {e}")
    for k in REQUIRED_ATTRS + tuple(expect_attrs):
        c.expect(k in attrs, f"root: no provenance attribute `{k}`")
    if "format" in attrs:
        c.expect(attrs["format"] == "nqpsim-run", f"root: format is {attrs['format']!r}")
    if status != "any" and "status" in attrs:
        c.expect(attrs["status"] == status,
                 f"root: status is {attrs['status']!r}, expected {status!r}")
    return attrs


def scale_names(ds):
    """Names of the scales attached to each dimension of DS."""
    out = []
    for dim in ds.dims:
        names = [s.name.rsplit("/", 1)[-1] for s in dim.values()]
        out.append(names[0] if len(names) == 1 else tuple(names))
    return out


def check_data_h5(c, name, ds, dims, filtered=True):
    c.expect(ds.ndim == len(dims), f"{name}: rank {ds.ndim}, expected {len(dims)}")
    got = scale_names(ds)
    c.expect(tuple(got) == tuple(dims), f"{name}: dimension scales {got}, expected {list(dims)}")
    c.expect(ds.chunks is not None, f"{name}: not chunked")
    c.expect(ds.maxshape[0] is None, f"{name}: first dimension is not unlimited")
    if filtered:
        c.expect(ds.compression == "gzip", f"{name}: not deflated")
        c.expect(bool(ds.shuffle), f"{name}: not shuffled")
    check_attrs_h5(c, name, ds)


def check_labels_h5(c, name, ds):
    try:
        labels = [decode(x) for x in ds[()]]
    except (TypeError, UnicodeDecodeError) as e:
        c.fail(f"{name}: labels do not decode: {e}")
        return None
    c.expect(all(isinstance(x, str) and x for x in labels), f"{name}: empty or non-string label")
    c.expect(len(set(labels)) == len(labels), f"{name}: duplicate labels")
    return labels


def check_index_scale(c, name, ds):
    v = ds[()]
    c.expect(np.array_equal(v, np.arange(len(v))), f"{name}: values are not 0..n-1")
    c.expect(ds.maxshape[0] is None, f"{name}: not unlimited")
    return len(v)


def check_h5(c, f, expect_series, expect_attrs, status):
    """h5py checks; returns facts used by the xarray pass and the summary."""
    facts = {"series": {}, "labels": {}, "shapes": {}}
    facts["attrs"] = check_root_h5(c, f, expect_attrs, status)
    groups = ["series/" + g for g in SERIES_DIMS] + ["firms", "events"]
    missing = [g for g in groups if not isinstance(f.get(g), h5py.Group)]
    for g in missing:
        c.fail(f"no group /{g}")
    if missing:
        return facts
    nsteps = set()
    for g, dims in SERIES_DIMS.items():
        grp = f["series/" + g]
        for d in dims:
            if not c.expect(d in grp, f"/series/{g}: no `{d}` scale"):
                continue
            check_attrs_h5(c, f"/series/{g}/{d}", grp[d])
            if d == "step":
                nsteps.add(check_index_scale(c, f"/series/{g}/step", grp[d]))
            else:
                lab = check_labels_h5(c, f"/series/{g}/{d}", grp[d])
                if lab is not None:
                    prev = facts["labels"].setdefault(d, lab)
                    c.expect(prev == lab, f"/series/{g}/{d}: labels differ from another group")
        names = []
        for k, ds in grp.items():
            if k in dims:
                continue
            if not c.expect(isinstance(ds, h5py.Dataset), f"/series/{g}/{k}: not a dataset"):
                continue
            c.expect(ds.dtype == np.float64, f"/series/{g}/{k}: dtype {ds.dtype}, not float64")
            check_data_h5(c, f"/series/{g}/{k}", ds, dims)
            facts["shapes"][("series/" + g, k)] = ds.shape
            names.append(k)
        facts["series"][g] = names
    c.expect(len(nsteps) <= 1, f"series groups disagree on the number of steps: {nsteps}")
    facts["steps"] = nsteps.pop() if nsteps else 0
    all_series = {n for names in facts["series"].values() for n in names}
    for n in expect_series:
        c.expect(n in all_series, f"expected series `{n}` not found")

    firms = f["firms"]
    for d in ("snapshot", "slot", "alive"):
        c.expect(d in firms, f"/firms: no `{d}`")
    if "snapshot" in firms and "slot" in firms:
        snap = firms["snapshot"][()]
        c.expect(np.all(np.diff(snap) > 0), "/firms/snapshot: steps do not increase")
        c.expect(firms["snapshot"].maxshape[0] is None, "/firms/snapshot: not unlimited")
        facts["snapshots"] = len(snap)
        facts["slots"] = check_index_scale(c, "/firms/slot", firms["slot"])
        for k in ("snapshot", "slot"):
            check_attrs_h5(c, f"/firms/{k}", firms[k])
        pvars = [k for k in firms if k not in ("snapshot", "slot")]
        for k in pvars:
            ds = firms[k]
            check_data_h5(c, f"/firms/{k}", ds, ("snapshot", "slot"))
            c.expect(ds.maxshape[1] is None, f"/firms/{k}: slot dimension is not unlimited")
            facts["shapes"][("firms", k)] = ds.shape
        if "alive" in firms:
            c.expect(firms["alive"].dtype == np.uint8, "/firms/alive: not uint8")
        facts["panel_vars"] = pvars

    ev = f["events"]
    for d in ("event", "step", "kind", "detail"):
        c.expect(d in ev, f"/events: no `{d}`")
    if all(d in ev for d in ("event", "step", "kind", "detail")):
        facts["events"] = check_index_scale(c, "/events/event", ev["event"])
        check_attrs_h5(c, "/events/event", ev["event"])
        for k in ("step", "kind", "detail"):
            check_data_h5(c, f"/events/{k}", ev[k], ("event",), filtered=(k == "step"))
            c.expect(ev[k].shape == (facts["events"],), f"/events/{k}: length differs")
        for k in ("kind", "detail"):
            try:
                [decode(x) for x in ev[k][()]]
            except (TypeError, UnicodeDecodeError) as e:
                c.fail(f"/events/{k}: strings do not decode: {e}")
    return facts


def check_xr_group(c, path, group, facts):
    dims = GROUP_DIMS[group]
    try:
        ds = xr.open_dataset(path, group=group, engine="netcdf4")
    except Exception as e:  # noqa: BLE001 - report any reader failure
        c.fail(f"xarray cannot open group {group}: {type(e).__name__}: {e}")
        return
    with ds:
        got = set(ds.sizes)
        c.expect(got == set(dims), f"xarray {group}: dims {sorted(got)}, expected {sorted(dims)}")
        for name, var in ds.variables.items():
            where = f"xarray {group}/{name}"
            c.expect("units" in var.attrs, f"{where}: no units attribute")
            if name in dims:
                c.expect(var.dims == (name,), f"{where}: coordinate dims {var.dims}")
                if name in ("industry", "region"):
                    vals = list(var.values)
                    c.expect(all(isinstance(x, str) for x in vals), f"{where}: labels are not str")
                    want = facts["labels"].get(name)
                    c.expect(want is None or vals == want, f"{where}: labels differ from h5py")
                continue
            expect_dims = dims
            c.expect(var.dims == expect_dims, f"{where}: dims {var.dims}, expected {expect_dims}")
            shape = facts["shapes"].get((group, name))
            c.expect(shape is None or var.shape == shape,
                     f"{where}: shape {var.shape} differs from h5py {shape}")
            values = var.values
            if values.dtype.kind == "f":
                # NaN marks a mean over a cell without firms (documented);
                # infinities are never valid, and economy series are never NaN.
                c.expect(not bool(np.isinf(values).any()), f"{where}: infinite values")
                if group.endswith("economy"):
                    c.expect(bool(np.isfinite(values).all()), f"{where}: non-finite values")
            if values.dtype.kind == "O":
                c.expect(all(isinstance(x, str) for x in values.reshape(-1)),
                         f"{where}: strings do not decode")


def check_xr(c, path, facts):
    try:
        with xr.open_dataset(path, engine="netcdf4") as root:
            for k in REQUIRED_ATTRS:
                c.expect(k in root.attrs, f"xarray root: no attribute `{k}`")
    except Exception as e:  # noqa: BLE001
        c.fail(f"xarray cannot open the root group: {type(e).__name__}: {e}")
        return
    for group in GROUP_DIMS:
        check_xr_group(c, path, group, facts)


def names(arg):
    return [x for x in (arg or "").split(",") if x]


def main(argv):
    ap = argparse.ArgumentParser(description="Check an nqpsim run file.")
    ap.add_argument("file")
    ap.add_argument("--expect-series", default="", help="comma-separated series names")
    ap.add_argument("--expect-attrs", default="", help="comma-separated root attributes")
    ap.add_argument("--status", default="complete", help="expected status, or 'any'")
    args = ap.parse_args(argv)
    c = Checker(args.file)
    try:
        with h5py.File(args.file, "r") as f:
            facts = check_h5(c, f, names(args.expect_series), names(args.expect_attrs),
                             args.status)
    except OSError as e:
        print(f"check_run: FAIL: {args.file}: cannot open with h5py: {e}", file=sys.stderr)
        return 1
    check_xr(c, args.file, facts)
    if c.errors:
        print(f"check_run: FAIL: {args.file}: {len(c.errors)} problem(s)", file=sys.stderr)
        for e in c.errors:
            print(f"  - {e}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{g} {len(n)}" for g, n in facts["series"].items())
    print(f"check_run: OK: {args.file}: status {facts['attrs'].get('status')}; "
          f"series {counts}; {facts['steps']} steps; "
          f"{len(facts['labels'].get('industry', []))} industries, "
          f"{len(facts['labels'].get('region', []))} regions; "
          f"firms {facts.get('snapshots', 0)} snapshots x {facts.get('slots', 0)} slots "
          f"({len(facts.get('panel_vars', []))} vars incl. alive); {facts.get('events', 0)} events")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
