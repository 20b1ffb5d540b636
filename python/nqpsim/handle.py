"""handle: the life of an object that owns one libnqpsim handle.

A subclass sets `_h` (the handle, or None) and `_FREE` (the name of the
library function that frees it); `close()` frees it once, and the object is
a context manager whose exit, like its garbage collection, closes it.

Invariants: the handle is freed at most once (close is idempotent); a
closed object has `_h` None; garbage collection never raises.
"""

from . import library as L


class Handle:
    _FREE = None  # name of the nqp_*_free function, set by the subclass

    def close(self):
        """Frees the handle (idempotent)."""
        h, self._h = getattr(self, "_h", None), None
        if h:
            getattr(L.lib(), self._FREE)(h)

    @property
    def closed(self):
        return not getattr(self, "_h", None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass
