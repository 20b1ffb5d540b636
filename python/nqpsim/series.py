"""series: a world's recorded series at one level as an xarray Dataset.

Purpose: `dataset(world, level)` gives what
`xr.open_dataset(run_file, group="series/<level>", engine="netcdf4")` gives
for the run file of the same steps: the same variables in the same order,
the same dimension names, coordinates and attributes, the same float64
values bit for bit.

Layout (docs/output.md, /series/*):
  level            dims                         coordinates
  economy          (step,)                      step
  industry         (step, industry)             step, industry
  region           (step, region)               step, region
  industry_region  (step, industry, region)     step, industry, region
`step` is int32 0, 1, ..., steps_done - 1; `industry` and `region` are the
scenario's ids in scenario order (object arrays of str, as xarray reads
variable-length strings). Each variable has attributes `units` and
`long_name` from the library's series table (nqp_series_units/_doc); the
coordinates carry the attributes the run-file writer gives them
(output/h5out.c).

Invariants:
  - values are copied out of the library's borrowed buffers before
    returning, so a Dataset stays valid after the world steps, resets or
    closes;
  - industry x region cells come industry-major from the library
    (cell = industry * n_regions + region) and are reshaped, not permuted;
  - an unknown level or series name raises BadInput.
"""

import ctypes

import numpy as np

from . import library as L
from .errors import BadInput, Error

LEVELS = ("economy", "industry", "region", "industry_region")
DIMS = {
    "economy": (),
    "industry": ("industry",),
    "region": ("region",),
    "industry_region": ("industry", "region"),
}
# the dimension scales' attributes, as output/h5out.c writes them
COORD_ATTRS = {
    "step": {"units": "1", "long_name": "simulation step (0-based)"},
    "industry": {"units": "1", "long_name": "industry id"},
    "region": {"units": "1", "long_name": "region id"},
}


def level_code(level):
    """The nqp_level of LEVEL, a name of LEVELS (or its index 0..3)."""
    if isinstance(level, str) and level in LEVELS:
        return LEVELS.index(level)
    if isinstance(level, int) and not isinstance(level, bool) and 0 <= level < len(LEVELS):
        return level
    raise BadInput("unknown level %r: one of %s" % (level, ", ".join(LEVELS)))


def level_name(level):
    return LEVELS[level_code(level)]


class Catalogue:
    """The series table of a world: name, units, long_name and level of
    every series, in the library's (run file's) order."""

    def __init__(self, h):
        lib = L.lib()
        n = lib.nqp_series_count(h)
        self.rows = [(L.text(lib.nqp_series_name(h, i)), L.text(lib.nqp_series_units(h, i)),
                      L.text(lib.nqp_series_doc(h, i)), int(lib.nqp_series_level(h, i)))
                     for i in range(n)]
        for k, name in enumerate(LEVELS):  # the header's level names are the file's groups
            got = L.text(lib.nqp_level_name(k))
            if got != name:
                raise Error("libnqpsim names level %d %r, this package %r: "
                            "mismatched versions" % (k, got, name))

    def names(self, level):
        code = level_code(level)
        return [r[0] for r in self.rows if r[3] == code]

    def attrs(self, name):
        for r in self.rows:
            if r[0] == name:
                return {"units": r[1], "long_name": r[2]}
        raise BadInput("unknown series %r" % (name,))


def values(h, name, level, shape_cells):
    """Series NAME at LEVEL of world handle H as a fresh float64 array of
    shape (steps,) + SHAPE_CELLS."""
    steps, cells = ctypes.c_size_t(0), ctypes.c_size_t(0)
    ptr = L.lib().nqp_series_data(h, L.encode(name), level_code(level), ctypes.byref(steps),
                                  ctypes.byref(cells))
    L.check_ptr(ptr)
    n, c = steps.value, cells.value
    want = int(np.prod(shape_cells)) if shape_cells else 1
    if c != want:
        raise Error("series %s: %d cells, expected %d" % (name, c, want))
    if n == 0:
        out = np.empty((0,) + tuple(shape_cells), dtype=np.float64)
    else:
        out = np.ctypeslib.as_array(ptr, shape=(n * c,)).copy()
    return out.reshape((n,) + tuple(shape_cells))


def dataset(world, level="economy", names=None):
    """The Dataset of LEVEL for WORLD (an nqpsim.World); NAMES restricts it
    to some series (default all, in the run file's order)."""
    import xarray as xr

    lvl = level_name(level)
    cat = world._catalogue()
    available = cat.names(lvl)
    if names is None:
        names = available
    else:
        names = [names] if isinstance(names, str) else list(names)
        bad = [n for n in names if n not in available]
        if bad:
            raise BadInput("not a series at level %s: %s" % (lvl, ", ".join(map(str, bad))))
    labels = {"industry": world.industries, "region": world.regions}
    dims = DIMS[lvl]
    shape = tuple(len(labels[d]) for d in dims)
    h = world._handle
    steps = world.steps_done
    coords = {"step": ("step", np.arange(steps, dtype=np.int32), dict(COORD_ATTRS["step"]))}
    for d in dims:
        coords[d] = (d, np.array(labels[d], dtype=object), dict(COORD_ATTRS[d]))
    data = {n: (("step",) + dims, values(h, n, lvl, shape), cat.attrs(n)) for n in names}
    return xr.Dataset(data_vars=data, coords=coords)
