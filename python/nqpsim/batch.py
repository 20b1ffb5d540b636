"""batch: a whole run in one call, `nqpsim.run(...)`.

Purpose: the in-process equivalent of `nqpsim run SCENARIO --set ...
--seed SEED --steps STEPS --no-output`, returning the series instead of a
file: a dict {level: xarray.Dataset} for the four levels "economy",
"industry", "region", "industry_region".

Invariants:
  - the numbers are those of `nqpsim run` with the same scenario,
    overrides, seed and steps, bit for bit (the Datasets equal what xarray
    reads from that run file's groups series/<level>);
  - `steps` is applied after `set` and `seed`, as --steps after --set
    (a "steps" key in `set` is overridden by it);
  - the world is freed before returning, also on error.
"""

from .series import LEVELS
from .world import World


def run(scenario=None, seed=None, steps=None, set=None, threads=1):
    """Simulates SCENARIO (path or embedded name; None: the Anhui baseline)
    for all its steps (or STEPS) and returns {level: Dataset}."""
    overrides = dict(set or {})
    if steps is not None:
        overrides.pop("steps", None)
        overrides["steps"] = int(steps)
    with World(scenario, seed=seed, set=overrides, threads=threads) as w:
        w.run()
        return {level: w.series(level) for level in LEVELS}
