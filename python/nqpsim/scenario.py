"""scenario: a loaded, validated scenario (nqp_scenario) with overrides.

Purpose: `Scenario(source, set=..., seed=..., steps=...)` loads a YAML file
or an embedded scenario and applies the overrides in the order `nqpsim run`
resolves them: first every `set` item in order (like repeated `--set`),
then `seed` (like `--seed`), then `steps` (like `--steps`). World builds on
it; it is also useful alone to look at the resolved YAML.

Invariants:
  - a Scenario is always valid: every override is re-validated by the
    library and a failed one raises BadInput with the library's message
    (which names the key), leaving the scenario as it was;
  - the handle is freed exactly once (close(), the context manager or
    garbage collection); methods on a closed Scenario raise Error;
  - a World copies what it needs, so a Scenario may be changed or closed
    after a World was built from it.
"""

import os

from . import library as L
from .handle import Handle
from . import overrides
from .errors import Error


class Scenario(Handle):
    """A scenario: SOURCE a YAML path or embedded name ("anhui",
    "lever_talent.yaml"); None is the embedded Anhui baseline."""
    _FREE = "nqp_scenario_free"

    def __init__(self, source=None, set=None, seed=None, steps=None):
        lib = L.lib()
        self._h = None
        src = None if source is None else L.encode(os.fspath(source))
        self._h = L.check_ptr(lib.nqp_scenario_load(src))
        self.source = None if source is None else os.fspath(source)
        try:
            for path, text in overrides.items(set):
                self._set_text(path, text)
            if seed is not None:
                self.set("seed", int(seed))
            if steps is not None:
                self.set("steps", int(steps))
        except BaseException:
            self.close()
            raise

    @property
    def handle(self):
        if not self._h:
            raise Error("the scenario is closed")
        return self._h

    def set(self, path, value):
        """Overrides PATH by VALUE, as `--set PATH=VALUE` (VALUE written as
        YAML flow text by nqpsim.overrides.flow; a str is taken as it is).
        Returns the scenario."""
        return self._set_text(path, overrides.flow(value, path))

    def _set_text(self, path, text):
        L.check(L.lib().nqp_scenario_set(self.handle, L.encode(path), L.encode(text)))
        return self

    @property
    def name(self):
        return L.text(L.lib().nqp_scenario_name(self.handle))

    @property
    def seed(self):
        return int(L.lib().nqp_scenario_seed(self.handle))

    @property
    def steps(self):
        return int(L.lib().nqp_scenario_steps(self.handle))

    def resolved(self):
        """The resolved scenario as YAML: the text a run file stores in
        /scenario."""
        return L.owned_string(L.lib().nqp_scenario_resolved(self.handle))

    def __repr__(self):
        if not self._h:
            return "<nqpsim.Scenario (closed)>"
        return "<nqpsim.Scenario %r seed=%d steps=%d>" % (self.name, self.seed, self.steps)
