"""overrides: Python values as the YAML flow text of `--set PATH=VALUE`.

Purpose: World(set={path: value}) applies each item like `nqpsim run --set
path=value`; this module turns the value into the text after `=`.

Rules (`flow(value)`):
  - bool (and numpy bool) -> true / false;
  - int (and numpy integers) -> decimal digits;
  - float (and numpy floats) -> repr(float(v)), the shortest text that
    strtod reads back to the same double, so the scenario gets exactly
    this value (0.1 -> "0.1", 1e-05 -> "1e-05"); NaN and infinities are
    passed as "nan" / "inf" and rejected by the library with its message;
  - str -> verbatim: it already is YAML flow text, as on the command line
    ("0.5", "[a, b]", "hefei"); quote it yourself ('"5"') for a string
    that would read as a number;
  - None -> "null" (an empty value: the field's default or an empty list);
  - list / tuple -> "[a, b]" with each item converted by these rules;
  - dict -> "{k: v}" with keys as str and values converted.
Anything else is a TypeError naming the path.

Invariant: `items(set)` yields (path, text) in the dict's order, which is
the order the overrides are applied (later ones win, as repeated --set).
"""

import math
import numbers

try:  # numpy is a dependency of the package, but this module stands alone
    import numpy as _np

    _np_bool = (_np.bool_,)
except ImportError:  # pragma: no cover
    _np_bool = ()


def flow(value, path="value"):
    """The YAML flow text for VALUE (see the module docstring)."""
    if isinstance(value, (bool,) + _np_bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        v = float(value)
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(flow(x, path) for x in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join("%s: %s" % (k, flow(v, path)) for k, v in value.items()) + "}"
    raise TypeError("set[%r]: cannot write a %s as a YAML value" % (path, type(value).__name__))


def items(overrides):
    """(path, text) pairs of a {path: value} dict (None or {}: none)."""
    if not overrides:
        return []
    if not isinstance(overrides, dict):
        raise TypeError("set must be a dict {path: value}, not %s" % type(overrides).__name__)
    return [(str(k), flow(v, str(k))) for k, v in overrides.items()]
