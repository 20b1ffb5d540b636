#!/usr/bin/env python3
"""Compare every dataset of two HDF5 run files bit for bit.

usage: h5compare.py A.h5 B.h5 [--expect-different]

Datasets are compared by their raw bytes (so NaN equals NaN) and by their
attributes (units, long_name, ...); root attributes, which describe the
execution (threads, times, command line) rather than the result, are not
compared. Exit 0 when the files hold identical data
(or, with --expect-different, when they differ), 1 otherwise.
"""
import sys

import h5py
import numpy as np


def datasets(f):
    out = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            out[name] = obj

    f.visititems(visit)
    return out


def raw(ds):
    data = ds[()]
    if isinstance(data, np.ndarray) and data.dtype.kind == "O":
        return [x if isinstance(x, bytes) else str(x).encode() for x in data.ravel()]
    if isinstance(data, np.ndarray):
        return data.tobytes()
    return data if isinstance(data, bytes) else str(data).encode()


def attrs(ds):
    """Dataset attributes, without the dimension-scale bookkeeping whose
    object references differ between files."""
    skip = {"DIMENSION_LIST", "REFERENCE_LIST", "_Netcdf4Dimid", "_Netcdf4Coordinates"}
    out = {}
    for k, v in ds.attrs.items():
        if k in skip:
            continue
        out[k] = v.tobytes() if isinstance(v, np.ndarray) else v
    return out


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    expect_diff = "--expect-different" in sys.argv
    if len(args) != 2:
        print(__doc__)
        return 2
    with h5py.File(args[0], "r") as a, h5py.File(args[1], "r") as b:
        da, db = datasets(a), datasets(b)
        diffs = []
        if set(da) != set(db):
            diffs.append("dataset sets differ: %s" % sorted(set(da) ^ set(db)))
        for name in sorted(set(da) & set(db)):
            if da[name].shape != db[name].shape:
                diffs.append("%s: shape %s vs %s" % (name, da[name].shape, db[name].shape))
            elif raw(da[name]) != raw(db[name]):
                diffs.append("%s: values differ" % name)
            elif attrs(da[name]) != attrs(db[name]):
                diffs.append("%s: attributes differ" % name)
        n = len(set(da) & set(db))
    if expect_diff:
        if not diffs:
            print("FAIL: %s and %s are identical (%d datasets)" % (args[0], args[1], n))
            return 1
        print("ok: files differ (%d of %d datasets)" % (len(diffs), n))
        return 0
    if diffs:
        print("FAIL: %s and %s differ:\n  %s" % (args[0], args[1], "\n  ".join(diffs[:20])))
        return 1
    print("ok: %d datasets identical" % n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
