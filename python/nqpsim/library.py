"""library: finding and loading libnqpsim, and the ctypes prototypes of its
public C API (include/nqpsim.h).

Purpose: the only module that touches ctypes declarations; the others call
`lib()` and the helpers `check`, `check_ptr`, `text`.

Discovery, first hit wins (`candidates()`):
  1. the environment variable NQPSIM_LIB, a path to the shared library (if
     set it is the only place tried: a wrong NQPSIM_LIB is an error, not a
     reason to pick another library);
  2. the build tree, when the package sits in the source tree
     (<root>/python/nqpsim): <root>/build/libnqpsim.so, then the other
     <root>/build*/ directories in name order;
  3. the install prefix the package sits in: .../lib/python3/dist-packages/
     nqpsim -> .../lib/libnqpsim.so.0 (also site-packages and pythonX.Y);
  4. ctypes.util.find_library("nqpsim") (the system's library path).
A candidate that exists but does not load is recorded and the next one
tried; when none loads, LibraryNotFound lists every place tried and why it
failed. A sanitizer build (the library links libasan) is not even
dlopen'ed unless the ASan runtime is already in the process (python run
with LD_PRELOAD of it): its runtime would otherwise end the process
instead of failing the load.

Invariants:
  - the library is loaded once per process, lazily (importing nqpsim never
    fails for want of the library); `lib()` returns the same CDLL after;
  - every function used has argtypes and restype set before first use
    (opaque handles are c_void_p; `const char *` results are c_char_p,
    decoded as UTF-8; `char *` results owned by the caller are c_void_p and
    freed with nqp_string_free right after copying);
  - the error message is read with nqp_last_error() in the thread that made
    the failing call, straight after it (the message is per thread).
"""

import ctypes
import ctypes.util
import mmap
import os
import threading
from pathlib import Path

from .errors import NQP_FAILED, NQP_OK, LibraryNotFound, from_status

SONAME = "libnqpsim.so.0"
_lock = threading.Lock()
_lib = None
_path = None

c_size_p = ctypes.POINTER(ctypes.c_size_t)
c_double_p = ctypes.POINTER(ctypes.c_double)
_vp, _cp, _int, _sz, _i64, _dbl = (ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int,
                                   ctypes.c_size_t, ctypes.c_int64, ctypes.c_double)

# name: (restype, argtypes), as declared in include/nqpsim.h
PROTOTYPES = {
    "nqp_version": (_cp, []),
    "nqp_git_commit": (_cp, []),
    "nqp_last_error": (_cp, []),
    "nqp_last_status": (_int, []),
    "nqp_string_free": (None, [_vp]),
    "nqp_embedded_name": (_cp, [_sz]),
    "nqp_scenario_load": (_vp, [_cp]),
    "nqp_scenario_set": (_int, [_vp, _cp, _cp]),
    "nqp_scenario_resolved": (_vp, [_vp]),
    "nqp_scenario_name": (_cp, [_vp]),
    "nqp_scenario_seed": (_i64, [_vp]),
    "nqp_scenario_steps": (_int, [_vp]),
    "nqp_scenario_free": (None, [_vp]),
    "nqp_world_create": (_vp, [_vp, _int]),
    "nqp_world_step": (_int, [_vp, _int]),
    "nqp_world_reset": (_int, [_vp]),
    "nqp_world_steps_done": (_int, [_vp]),
    "nqp_world_steps_total": (_int, [_vp]),
    "nqp_world_save": (_int, [_vp, _cp, _int]),
    "nqp_world_free": (None, [_vp]),
    "nqp_industry_count": (_sz, [_vp]),
    "nqp_industry_id": (_cp, [_vp, _sz]),
    "nqp_region_count": (_sz, [_vp]),
    "nqp_region_id": (_cp, [_vp, _sz]),
    "nqp_level_cells": (_sz, [_vp, _int]),
    "nqp_level_name": (_cp, [_int]),
    "nqp_series_count": (_sz, [_vp]),
    "nqp_series_name": (_cp, [_vp, _sz]),
    "nqp_series_units": (_cp, [_vp, _sz]),
    "nqp_series_doc": (_cp, [_vp, _sz]),
    "nqp_series_level": (_int, [_vp, _sz]),
    "nqp_series_data": (c_double_p, [_vp, _cp, _int, c_size_p, c_size_p]),
    "nqp_panel_count": (_sz, []),
    "nqp_panel_name": (_cp, [_sz]),
    "nqp_panel_units": (_cp, [_sz]),
    "nqp_firm_count": (_sz, [_vp]),
    "nqp_panel_read": (_int, [_vp, _cp, c_double_p, _sz]),
    "nqp_world_set_order": (_int, [_vp, _i64, _int, _dbl]),
}


def _source_root():
    """The source tree's root when this package is <root>/python/nqpsim."""
    here = Path(__file__).resolve().parent
    if here.parent.name == "python" and (here.parent.parent / "CMakeLists.txt").is_file():
        return here.parent.parent
    return None


def _prefix_lib():
    """PREFIX/lib when this package is installed as
    PREFIX/lib/python3*/{dist,site}-packages/nqpsim."""
    here = Path(__file__).resolve().parent
    packages, pydir, libdir = here.parent, here.parent.parent, here.parent.parent.parent
    if (packages.name in ("dist-packages", "site-packages") and pydir.name.startswith("python3")
            and libdir.name in ("lib", "lib64")):
        return libdir
    return None


def candidates():
    """The places discovery tries, in order: a list of (what, path or
    library name); see the module docstring."""
    env = os.environ.get("NQPSIM_LIB")
    if env:
        return [("NQPSIM_LIB", env)]
    out = []
    root = _source_root()
    if root is not None:
        builds = [root / "build"] + sorted(
            p for p in root.glob("build*") if p.is_dir() and p.name != "build")
        for b in builds:
            out.append(("build tree", str(b / "libnqpsim.so")))
    libdir = _prefix_lib()
    if libdir is not None:
        out.append(("install prefix", str(libdir / SONAME)))
    found = ctypes.util.find_library("nqpsim")
    out.append(("ctypes.util.find_library('nqpsim')", found))
    return out


def _sanitizer_problem(path):
    """Why PATH cannot be loaded into this process (it links the ASan
    runtime, which is not loaded yet), or None."""
    try:
        with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
            if m.find(b"libasan.so") < 0:
                return None
    except (OSError, ValueError):
        return None
    try:
        with open("/proc/self/maps", "rb") as f:
            if b"libasan.so" in f.read():
                return None
    except OSError:
        pass
    return ("built with AddressSanitizer: run python with LD_PRELOAD=$(gcc "
            "-print-file-name=libasan.so) to use it")


def _declare(cdll):
    for name, (restype, argtypes) in PROTOTYPES.items():
        try:
            f = getattr(cdll, name)
        except AttributeError as e:
            raise LibraryNotFound("it does not export %s: not libnqpsim, or too old a "
                                  "version for this package" % name) from e
        f.restype = restype
        f.argtypes = argtypes


def load():
    """Finds and loads libnqpsim (once); returns the CDLL. Raises
    LibraryNotFound naming every place tried."""
    global _lib, _path
    with _lock:
        if _lib is not None:
            return _lib
        tried = []
        for what, path in candidates():
            if path is None:
                tried.append("%s: nothing found" % what)
                continue
            if os.sep in path and not os.path.exists(path):
                tried.append("%s: %s (no such file)" % (what, path))
                continue
            why = _sanitizer_problem(path) if os.sep in path else None
            if why:
                tried.append("%s: %s (%s)" % (what, path, why))
                continue
            try:
                cdll = ctypes.CDLL(path)
            except OSError as e:
                tried.append("%s: %s (%s)" % (what, path, e))
                continue
            try:
                _declare(cdll)
            except LibraryNotFound as e:  # an older or foreign library: try the next
                tried.append("%s: %s (%s)" % (what, path, e))
                continue
            _lib, _path = cdll, path
            return _lib
        raise LibraryNotFound(
            "libnqpsim not found; tried:\n  " + "\n  ".join(tried) +
            "\nbuild it (make build, in the source tree) or set NQPSIM_LIB to the path "
            "of libnqpsim.so")


def lib():
    """The loaded library (loading it on first use)."""
    return _lib if _lib is not None else load()


def path():
    """Path (or name) of the loaded library, loading it if needed."""
    lib()
    return _path


def text(b):
    """A `const char *` result as str (None stays None)."""
    return None if b is None else b.decode("utf-8", "replace")


def last_error():
    return text(lib().nqp_last_error()) or "libnqpsim: unknown error"


def check(status):
    """Raises the exception of a failed int-returning call."""
    if status != NQP_OK:
        raise from_status(status, last_error())
    return status


def check_ptr(ptr):
    """Raises for a NULL pointer result, with the status the library kept
    for the failing call (nqp_last_status: bad input or failure)."""
    if not ptr:
        status = lib().nqp_last_status()
        raise from_status(status if status != NQP_OK else NQP_FAILED, last_error())
    return ptr


def encode(s):
    """A str or path as the bytes the library takes (file-system encoding
    for paths, so any file name the OS accepts gets through)."""
    return os.fsencode(s)


def owned_string(ptr):
    """Copies a caller-owned `char *` result and frees it."""
    if not ptr:
        raise from_status(NQP_FAILED, last_error())
    try:
        return ctypes.string_at(ptr).decode("utf-8", "replace")
    finally:
        lib().nqp_string_free(ptr)


def version():
    """Library version ("0.1.0")."""
    return text(lib().nqp_version())


def git_commit():
    """Git commit the library was built from."""
    return text(lib().nqp_git_commit())


def embedded_scenarios():
    """Names of the embedded scenarios ("anhui.yaml", ...)."""
    out, i = [], 0
    while True:
        n = lib().nqp_embedded_name(i)
        if n is None:
            return out
        out.append(text(n))
        i += 1
