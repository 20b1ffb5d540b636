"""nqpsim: the nqpsim agent-based simulator in this Python process.

A ctypes binding of libnqpsim (include/nqpsim.h), with results as xarray
Datasets (series) and pandas DataFrames (firms):

    import nqpsim
    with nqpsim.World("lever_talent.yaml", seed=7, set={"scale": 0.02}) as w:
        w.step(8)
        eco = w.series("economy")          # what series/economy of a run file reads as
        firms = w.firms()                  # live firms now, indexed by uid
        w.save("runs/talent.h5")           # the run file of `nqpsim run`
    levels = nqpsim.run(steps=8, set={"scale": 0.02})   # {level: Dataset}

Modules, one concept each: errors (Error, BadInput), library (finding and
loading libnqpsim, the C prototypes), overrides (Python values as --set
text), scenario (Scenario), series (Datasets), panel (the firm DataFrame),
world (World), batch (run). docs/python.md documents the package.

Invariants: importing nqpsim loads no library (the first Scenario or World
does, see nqpsim.library for where it looks); every library failure raises
nqpsim.Error (BadInput for invalid input) with the library's message.
"""

from .batch import run
from .errors import BadInput, Error, LibraryNotFound
from .library import embedded_scenarios, git_commit, version
from .library import path as library_path
from .scenario import Scenario
from .series import LEVELS
from .world import World

__all__ = ["World", "Scenario", "run", "Error", "BadInput", "LibraryNotFound", "LEVELS",
           "version", "git_commit", "embedded_scenarios", "library_path"]
