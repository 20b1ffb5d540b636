"""panel: the current live firms of a world as a pandas DataFrame.

Purpose: `frame(world)` reads every panel variable of the library
(nqp_panel_name: the run file's /firms datasets: uid, industry, region,
age, chain_master, sales, output, ...) for the live firms now, and returns
one row per firm, indexed by `uid`, one column per other variable in the
library's order. It is the state a run file's panel snapshot records at
this step (rows where `alive == 1`, in slot order).

Invariants:
  - rows are in the library's slot order (the run file's slot order of the
    live slots), the index is named "uid" and unique;
  - the variables stored as integers in the run file (INTEGER: industry,
    region, age, uid, chain_master) become int64 columns, exactly (the
    library returns them as doubles, exact for these magnitudes; a column
    whose values are not all integral stays float64 rather than be
    rounded); the others are float64, bit for bit the library's values;
  - `industry` and `region` are indices into world.industries and
    world.regions, as in the run file; `df.attrs["units"]` maps each
    column to its units and `df.attrs["step"]` is the number of steps done.
"""

import numpy as np

from . import library as L

INTEGER = ("industry", "region", "age", "uid", "chain_master")


def variables():
    """(name, units) of every panel variable, in the library's order."""
    lib = L.lib()
    return [(L.text(lib.nqp_panel_name(j)), L.text(lib.nqp_panel_units(j)))
            for j in range(lib.nqp_panel_count())]


def column(h, name, n):
    """Panel variable NAME of the N live firms of world handle H."""
    out = np.empty(max(n, 1), dtype=np.float64)
    L.check(L.lib().nqp_panel_read(h, L.encode(name), out.ctypes.data_as(L.c_double_p), n))
    out = out[:n]
    if name in INTEGER and np.all(np.isfinite(out)) and np.all(out == np.round(out)):
        return out.astype(np.int64)
    return out


def frame(world):
    """The DataFrame of WORLD's live firms (see the module docstring)."""
    import pandas as pd

    h = world._handle
    n = int(L.lib().nqp_firm_count(h))
    cols, units = {}, {}
    for name, u in variables():
        cols[name] = column(h, name, n)
        units[name] = u
    uid = cols.pop("uid", None)
    if uid is None:
        uid = np.arange(n, dtype=np.int64)
    df = pd.DataFrame(cols, index=pd.Index(uid, name="uid"))
    df.attrs["units"] = {k: v for k, v in units.items() if k != "uid"}
    df.attrs["step"] = world.steps_done
    return df
