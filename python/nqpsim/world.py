"""world: a simulated world in this process (nqp_world).

Purpose: `World(scenario, seed=..., set=..., threads=...)` builds the world
of a scenario, `.step(n)` simulates, `.series(level)` and `.firms()` read
what it recorded and what its firms are now, `.save(path)` writes the run
file, `.reset()` starts over, `.set_order(...)` replaces a firm's order for
the next step (the participatory classroom).

Invariants:
  - a World built and stepped here gives the same numbers, bit for bit, as
    `nqpsim run SCENARIO --set ... --seed SEED` (overrides applied in the
    order of nqpsim.scenario) for the same steps, whatever `threads`;
  - the scenario is loaded, overridden and freed inside the constructor
    (the world copies what it needs); `scenario_name`, `seed` and
    `resolved_scenario` are read from it before it is freed;
  - the world handle is freed exactly once (close(), `with`, or garbage
    collection); any method on a closed World raises Error;
  - results (Datasets, DataFrames) are copies: they stay valid after the
    world steps, resets or closes;
  - industry and region ids and the series table do not change during a
    world's life and are read once.
"""

import os

from . import library as L
from .handle import Handle
from . import panel as _panel
from . import series as _series
from .errors import Error
from .scenario import Scenario


class World(Handle):
    """The world of SCENARIO (a YAML path or embedded name; None: the
    embedded Anhui baseline) with SET ({path: value}, like --set) and SEED
    (like --seed) applied, run with THREADS OpenMP threads (results do not
    depend on it)."""
    _FREE = "nqp_world_free"

    def __init__(self, scenario=None, seed=None, set=None, threads=1):
        self._h = None
        lib = L.lib()
        if isinstance(threads, bool) or not isinstance(threads, int):
            raise TypeError("threads must be an int")
        with Scenario(scenario, set=set, seed=seed) as s:
            self.scenario_name = s.name
            self.seed = s.seed
            self.resolved_scenario = s.resolved()
            self._h = L.check_ptr(lib.nqp_world_create(s.handle, threads))
        self.source = None if scenario is None else os.fspath(scenario)
        self.threads = threads
        h = self._h
        self.industries = tuple(L.text(lib.nqp_industry_id(h, i))
                                for i in range(lib.nqp_industry_count(h)))
        self.regions = tuple(L.text(lib.nqp_region_id(h, r))
                             for r in range(lib.nqp_region_count(h)))
        self._cat = None

    # ---- handle and lifetime ------------------------------------------
    @property
    def _handle(self):
        if not self._h:
            raise Error("the world is closed")
        return self._h

    def __repr__(self):
        if not self._h:
            return "<nqpsim.World (closed)>"
        return "<nqpsim.World %r seed=%d step %d of %d>" % (self.scenario_name, self.seed,
                                                            self.steps_done, self.steps)

    # ---- simulation -----------------------------------------------------
    def step(self, n=1):
        """Simulates N >= 1 steps; past the scenario's `steps` is BadInput
        (set "steps" to run longer). Returns the world."""
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError("n must be an int")
        L.check(L.lib().nqp_world_step(self._handle, n))
        return self

    def run(self):
        """Simulates the remaining steps. Returns the world."""
        left = self.steps - self.steps_done
        if left > 0:
            self.step(left)
        return self

    def reset(self):
        """Back to the initial state (same scenario and seed; the recorded
        series are dropped). Returns the world."""
        L.check(L.lib().nqp_world_reset(self._handle))
        return self

    @property
    def steps_done(self):
        """Steps simulated so far."""
        return int(L.lib().nqp_world_steps_done(self._handle))

    @property
    def steps(self):
        """The scenario's number of steps."""
        return int(L.lib().nqp_world_steps_total(self._handle))

    def set_order(self, uid, input, quantity):
        """For the next step only, live firm UID orders QUANTITY (>= 0,
        units of that input at base prices) of its INPUT (0-based position
        in its industry's `inputs`), split over its supplier slots like its
        own orders."""
        L.check(L.lib().nqp_world_set_order(self._handle, int(uid), int(input), float(quantity)))
        return self

    # ---- results --------------------------------------------------------
    def _catalogue(self):
        if self._cat is None:
            self._cat = _series.Catalogue(self._handle)
        return self._cat

    def series_names(self, level="economy"):
        """Names of the series at LEVEL, in the run file's order."""
        return self._catalogue().names(level)

    def series(self, level="economy", names=None):
        """The series at LEVEL ("economy", "industry", "region",
        "industry_region") for every step done, as the xarray Dataset the run
        file's group series/LEVEL reads as; NAMES selects some series."""
        return _series.dataset(self, level, names)

    def firms(self):
        """The live firms now, a pandas DataFrame indexed by uid."""
        return _panel.frame(self)

    def save(self, path, force=False):
        """Writes the run file of the steps done so far to PATH (the layout
        of `nqpsim run`); an existing PATH is BadInput unless FORCE. Returns
        the path."""
        L.check(L.lib().nqp_world_save(self._handle, L.encode(os.fspath(path)), 1 if force else 0))
        return path
