"""Tests of the in-process Python binding (python/nqpsim) against `nqpsim run`.

Run by tests/e2e/test_python_binding.sh with /usr/bin/python3 and the
environment NQPSIM (the nqpsim binary), SRC (source root), SCRATCH (a
scratch directory), NQPSIM_LIB (the libnqpsim.so of the same build) and
PYTHONPATH=SRC/python. Standalone:

    NQPSIM=build/nqpsim SRC=. SCRATCH=/tmp/pyb NQPSIM_LIB=build/libnqpsim.so \
      PYTHONPATH=python /usr/bin/python3 tests/python/test_binding.py -v

What it checks: a World stepped in this process gives the same numbers bit
for bit as `nqpsim run` with the same scenario, --set and seed (every
series at every level, compared as raw bytes to the run file read with
h5py, and the Dataset equal to what xarray reads from it: names, order,
dims, coordinates, attributes; the final panel snapshot against firms()),
for the baseline and a lever scenario; save() writes a file whose datasets
equal those of `nqpsim run` (tests/e2e/h5compare.py); run() returns the
four levels; seed and set dicts; reset reproduces; threads do not change
results, nor do worlds stepping at once in Python threads; errors raise
nqpsim.Error / BadInput with the library's message;
set_order changes the next step only for valid input; library discovery
(NQPSIM_LIB, an install prefix, the error naming the places tried).
"""

import ctypes.util
import os
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

import h5py
import numpy as np
import xarray as xr

import nqpsim

NQPSIM = os.environ["NQPSIM"]
SRC = Path(os.environ["SRC"])
SCRATCH = Path(os.environ.get("SCRATCH") or tempfile.mkdtemp())
SCRATCH.mkdir(parents=True, exist_ok=True)
PY = "/usr/bin/python3"
LEVELS = ("economy", "industry", "region", "industry_region")
LABELS = ("step", "industry", "region")

SEED = 11
BASE_SET = {"scale": 0.02, "steps": 6}
# a lever, with a list, a bool, an int and a float needing all 17 digits
LEVER = "lever_talent.yaml"
LEVER_SET = {"scale": 0.02, "steps": 7, "government.talent.start": 1,
             "government.talent.enabled": True,
             "government.talent.intensity": 0.45678912345678913,
             "government.talent.regions": ["hefei", "wuhu"]}


def cli_set_args(overrides):
    """The --set arguments `nqpsim run` gets for OVERRIDES, written by hand
    (not by nqpsim.overrides, which is under test)."""
    text = {True: "true", False: "false"}
    out = []
    for k, v in overrides.items():
        if isinstance(v, bool):
            v = text[v]
        elif isinstance(v, list):
            v = "[" + ", ".join(map(str, v)) + "]"
        elif isinstance(v, float):
            v = "%.17g" % v
        out += ["--set", "%s=%s" % (k, v)]
    return out


def cli_run(name, scenario, overrides, seed):
    path = SCRATCH / (name + ".h5")
    cmd = [NQPSIM, "run", "-q", "-o", str(path), "--force", "--seed", str(seed)]
    if scenario:
        cmd.insert(2, scenario)
    subprocess.run(cmd + cli_set_args(overrides), check=True)
    return path


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


class Base(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.base_file = cli_run("cli_base", None, BASE_SET, SEED)
        cls.lever_file = cli_run("cli_lever", LEVER, LEVER_SET, SEED)

    def assert_series_equal_file(self, world, path):
        """Every series at every level of WORLD equals the run file PATH,
        bit for bit, with the names, order, dims, coords and attrs xarray
        reads."""
        with h5py.File(path, "r") as f:
            for level in LEVELS:
                ds = world.series(level)
                grp = f["series/" + level]
                names = [k for k in grp if k not in LABELS]
                self.assertEqual(sorted(ds.data_vars), sorted(names), level)
                self.assertGreater(len(names), 0)
                for n in names:
                    a = ds[n].values
                    b = grp[n][()]
                    self.assertEqual(a.dtype, np.float64, (level, n))
                    self.assertEqual(a.shape, b.shape, (level, n))
                    self.assertEqual(a.tobytes(), b.tobytes(), "%s/%s differs" % (level, n))
                fx = xr.open_dataset(path, group="series/" + level, engine="netcdf4")
                try:
                    self.assertEqual(list(ds.data_vars), list(fx.data_vars), level)
                    self.assertEqual(dict(ds.sizes), dict(fx.sizes), level)
                    self.assertEqual(ds.attrs, fx.attrs, level)
                    for c in fx.coords:
                        self.assertEqual(ds[c].dims, fx[c].dims, (level, c))
                        self.assertEqual(ds[c].dtype, fx[c].dtype, (level, c))
                        self.assertEqual(list(ds[c].values), list(fx[c].values), (level, c))
                        self.assertEqual(ds[c].attrs, fx[c].attrs, (level, c))
                    for n in fx.data_vars:
                        self.assertEqual(ds[n].dims, fx[n].dims, (level, n))
                        self.assertEqual(ds[n].attrs, fx[n].attrs, (level, n))
                        self.assertEqual(set(ds[n].attrs), {"units", "long_name"})
                    xr.testing.assert_identical(ds, fx)
                finally:
                    fx.close()

    def assert_panel_equal_file(self, world, path):
        """firms() equals the run file's last panel snapshot (live slots, in
        slot order), which must be of the current step."""
        df = world.firms()
        with h5py.File(path, "r") as f:
            p = f["firms"]
            self.assertEqual(int(p["snapshot"][-1]), world.steps_done - 1)
            alive = p["alive"][-1].astype(bool)
            self.assertEqual(len(df), int(alive.sum()))
            self.assertEqual(df.index.name, "uid")
            self.assertTrue(df.index.is_unique)
            np.testing.assert_array_equal(df.index.values, p["uid"][-1][alive])
            file_vars = [k for k in p if k not in ("snapshot", "slot", "alive", "uid")]
            self.assertEqual(sorted(df.columns), sorted(file_vars))
            for k in file_vars:
                col, ref = df[k].values, p[k][-1][alive]
                if ref.dtype.kind == "i":
                    self.assertEqual(col.dtype.kind, "i", k)
                    np.testing.assert_array_equal(col, ref, k)
                else:
                    self.assertEqual(col.dtype, np.float64, k)
                    self.assertEqual(col.tobytes(), ref.astype(np.float64).tobytes(), k)


class BitForBit(Base):
    def test_baseline(self):
        with nqpsim.World(seed=SEED, set=BASE_SET) as w:
            self.assertEqual((w.steps_done, w.steps), (0, 6))
            w.step(2)
            w.step(4)
            self.assertEqual(w.steps_done, 6)
            self.assert_series_equal_file(w, self.base_file)
            self.assert_panel_equal_file(w, self.base_file)

    def test_lever_scenario(self):
        with nqpsim.World(LEVER, seed=SEED, set=LEVER_SET) as w:
            w.run()
            self.assert_series_equal_file(w, self.lever_file)
            self.assert_panel_equal_file(w, self.lever_file)
            spent = w.series("economy")["lever_spending_talent"].values
            self.assertGreater(spent[1:].sum(), 0)  # the lever did act

    def test_threads(self):
        with nqpsim.World(LEVER, seed=SEED, set=LEVER_SET, threads=2) as w:
            w.run()
            self.assert_series_equal_file(w, self.lever_file)

    def test_worlds_in_parallel_threads(self):
        import concurrent.futures as cf

        def series(args):
            scenario, sets = args
            with nqpsim.World(scenario, seed=SEED, set=sets) as w:
                w.run()
                return {lv: w.series(lv) for lv in LEVELS}

        jobs = [(None, BASE_SET), (LEVER, LEVER_SET)] * 2
        with cf.ThreadPoolExecutor(max_workers=4) as ex:
            got = list(ex.map(series, jobs))
        for (scenario, _), res in zip(jobs, got):
            path = self.lever_file if scenario else self.base_file
            with h5py.File(path, "r") as f:
                for lv, ds in res.items():
                    for n in ds.data_vars:
                        self.assertEqual(ds[n].values.tobytes(), f["series/" + lv][n][()].tobytes(),
                                         (scenario, lv, n))

    def test_save_equals_cli(self):
        out = SCRATCH / "saved_lever.h5"
        if out.exists():
            out.unlink()
        with nqpsim.World(LEVER, seed=SEED, set=LEVER_SET) as w:
            w.run()
            self.assertEqual(w.save(out), out)
            r = subprocess.run([PY, str(SRC / "tests/e2e/h5compare.py"), str(self.lever_file),
                                str(out)], capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertIn("identical", r.stdout)
            with self.assertRaises(nqpsim.BadInput) as cm:  # exists, no force
                w.save(out)
            self.assertIn(str(out), str(cm.exception))
            w.save(str(out), force=True)
        with h5py.File(out, "r") as f:
            self.assertEqual(text(f.attrs["status"]), "complete")
            self.assertEqual(int(f.attrs["seed"]), SEED)

    def test_run_function(self):
        got = nqpsim.run(seed=SEED, steps=6, set={"scale": 0.02})
        self.assertEqual(sorted(got), sorted(LEVELS))
        with h5py.File(self.base_file, "r") as f:
            for level, ds in got.items():
                self.assertEqual(ds.sizes["step"], 6)
                grp = f["series/" + level]
                for n in ds.data_vars:
                    self.assertEqual(ds[n].values.tobytes(), grp[n][()].tobytes(), (level, n))
        self.assertEqual(got["industry_region"]["output"].dims, ("step", "industry", "region"))


class Behaviour(unittest.TestCase):
    def test_seed_and_set(self):
        with nqpsim.World(seed=5, set={"scale": 0.02, "steps": 3}) as a:
            self.assertEqual((a.seed, a.steps), (5, 3))
            self.assertIn("seed: 5", a.resolved_scenario)
            self.assertIn("scale: 0.02", a.resolved_scenario)
            a.run()
            ya = a.series()["output"].values
        with nqpsim.World(seed=6, set={"scale": 0.02, "steps": 3}) as b:
            b.run()
            yb = b.series()["output"].values
        self.assertFalse(np.array_equal(ya, yb))
        with nqpsim.World(set={"scale": 0.02, "steps": 2, "seed": 5}) as c:
            self.assertEqual(c.seed, 5)  # "seed" as a set path
        with nqpsim.World(seed=5, set={"seed": 9, "scale": 0.02}) as d:
            self.assertEqual(d.seed, 5)  # seed= wins over set, as --seed over --set

    def test_reset_reproduces(self):
        with nqpsim.World(seed=3, set={"scale": 0.02, "steps": 5}) as w:
            w.step(4)
            s1 = w.series("industry_region")
            f1 = w.firms()
            w.reset()
            self.assertEqual(w.steps_done, 0)
            self.assertEqual(w.series()["output"].shape, (0,))
            w.step(4)
            s2 = w.series("industry_region")
            f2 = w.firms()
        for n in s1.data_vars:
            self.assertEqual(s1[n].values.tobytes(), s2[n].values.tobytes(), n)
        self.assertTrue(f1.equals(f2))
        self.assertEqual(s1["output"].values.shape[0], 4)  # a copy, valid after close

    def test_step_limit_and_closed(self):
        w = nqpsim.World(set={"scale": 0.02, "steps": 2})
        w.step(2)
        with self.assertRaises(nqpsim.BadInput) as cm:
            w.step()
        self.assertEqual(cm.exception.status, 2)
        self.assertTrue(str(cm.exception))
        w.close()
        w.close()
        self.assertTrue(w.closed)
        with self.assertRaises(nqpsim.Error):
            w.step()
        with self.assertRaises(nqpsim.Error):
            w.series()

    def test_errors(self):
        with self.assertRaises(nqpsim.BadInput) as cm:
            nqpsim.World(set={"scale": 0.02, "firm.no_such_key": 1})
        self.assertIn("no_such_key", str(cm.exception))
        self.assertIsInstance(cm.exception, nqpsim.Error)
        self.assertIsInstance(cm.exception, ValueError)
        with self.assertRaises(nqpsim.BadInput) as cm:
            nqpsim.World(set={"scale": "not-a-number"})
        self.assertIn("scale", str(cm.exception))
        with self.assertRaises(nqpsim.BadInput) as cm:
            nqpsim.World(set={"firm.lead_time": 99})
        self.assertIn("lead_time", str(cm.exception))
        missing = str(SCRATCH / "no_such_scenario.yaml")
        with self.assertRaises(nqpsim.BadInput) as cm:
            nqpsim.World(missing)
        self.assertIn("no_such_scenario", str(cm.exception))
        bad = SCRATCH / "bad.yaml"
        bad.write_text("extends: anhui.yaml\nfirm: {lead_time: [1, 2]}\n")
        with self.assertRaises(nqpsim.BadInput) as cm:
            nqpsim.World(str(bad))
        self.assertIn("lead_time", str(cm.exception))
        with nqpsim.World(set={"scale": 0.02, "steps": 2}) as w:
            with self.assertRaises(nqpsim.BadInput):
                w.series("country")
            with self.assertRaises(nqpsim.BadInput):
                w.series("economy", names=["no_such_series"])
            with self.assertRaises(nqpsim.BadInput):
                w.step(0)
            with self.assertRaises(nqpsim.BadInput) as cm:  # a missing directory
                w.save(str(SCRATCH / "no_such_dir" / "x.h5"))
            self.assertEqual(cm.exception.status, 2)
            self.assertIn("no_such_dir", str(cm.exception))
        for threads in (0, 1025):
            with self.assertRaises(nqpsim.BadInput):
                nqpsim.World(set={"scale": 0.02}, threads=threads)
        with self.assertRaises(TypeError):
            nqpsim.World(set={"scale": object()})

    def test_set_order(self):
        sets = {"scale": 0.02, "steps": 3}
        with nqpsim.World(seed=2, set=sets) as a, nqpsim.World(seed=2, set=sets) as b:
            a.step()
            b.step()
            firms = a.firms()
            uid = int(firms.index[0])
            with self.assertRaises(nqpsim.BadInput):
                a.set_order(uid, 0, -1.0)
            with self.assertRaises(nqpsim.BadInput):
                a.set_order(uid, 10**6, 1.0)
            with self.assertRaises(nqpsim.BadInput):
                a.set_order(10**9, 0, 1.0)
            with self.assertRaises(nqpsim.BadInput):
                a.set_order(uid, 0, float("nan"))
            a.set_order(uid, 0, 5.0)
            a.set_order(uid, 0, 1e9)  # replaces the 5
            a.step()
            b.step()
            oa, ob = a.series()["orders_placed"].values, b.series()["orders_placed"].values
            self.assertEqual(oa[0], ob[0])
            self.assertGreater(oa[1] - ob[1], 0.5e9)
            a.step()  # the last step: the rule-based orders are back, no step left after
            with self.assertRaises(nqpsim.BadInput):
                a.set_order(uid, 0, 1.0)
            # reset drops a pending override: the replay equals the untouched world
            a.reset()
            a.step()
            a.set_order(uid, 0, 1e9)
            a.reset()
            a.step(2)
            self.assertEqual(a.series()["orders_placed"].values.tobytes(),
                             b.series()["orders_placed"].values.tobytes())

    def test_labels_and_info(self):
        self.assertRegex(nqpsim.version(), r"^\d+\.\d+")
        self.assertIn("anhui.yaml", nqpsim.embedded_scenarios())
        self.assertIn("lever_talent.yaml", nqpsim.embedded_scenarios())
        with nqpsim.World(set={"scale": 0.02, "steps": 1}) as w:
            self.assertEqual(w.industries[:2], ("it", "nev"))
            self.assertEqual(w.regions[0], "hefei")
            self.assertEqual(w.regions[-1], "external")
            self.assertIn("index_nqp", w.series_names("industry"))
            self.assertNotIn("wage_skilled", w.series_names("industry"))
            f0 = w.firms()  # before any step
            self.assertGreater(len(f0), 0)
            w.step()
            df = w.firms()
            self.assertEqual(df.attrs["step"], 1)
            self.assertEqual(df.attrs["units"]["sales"], "CNY/step")
            for k in ("industry", "region", "age", "chain_master"):
                self.assertEqual(df[k].dtype, np.int64, k)
            self.assertTrue(df["industry"].between(0, len(w.industries) - 1).all())
            sc = nqpsim.Scenario("lever_talent", set={"scale": 0.02})
            self.assertEqual(sc.name, "lever_talent")
            self.assertIn("talent", sc.resolved())
            self.assertEqual(sc.set("steps", 3).set("government.talent.enabled", False).steps, 3)
            self.assertIn("enabled: false", sc.resolved())
            with self.assertRaises(nqpsim.BadInput):
                sc.set("steps", -4)
            self.assertEqual(sc.steps, 3)  # unchanged by the failed override
            sc.close()
            with self.assertRaises(nqpsim.Error):
                sc.resolved()


class Discovery(unittest.TestCase):
    def child(self, code, env):
        e = {k: v for k, v in os.environ.items() if k not in ("NQPSIM_LIB", "PYTHONPATH")}
        e.update(env)
        return subprocess.run([PY, "-c", code], capture_output=True, text=True, env=e)

    def test_env_overrides_and_missing(self):
        lib = os.environ["NQPSIM_LIB"]
        code = "import nqpsim; print(nqpsim.library_path())"
        r = self.child(code, {"NQPSIM_LIB": lib, "PYTHONPATH": str(SRC / "python")})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.strip(), lib)
        gone = str(SCRATCH / "nowhere" / "libnqpsim.so")
        code = ("import nqpsim\ntry:\n nqpsim.World()\nexcept nqpsim.LibraryNotFound as e:\n"
                " print(e)\n raise SystemExit(3)")
        r = self.child(code, {"NQPSIM_LIB": gone, "PYTHONPATH": str(SRC / "python")})
        self.assertEqual(r.returncode, 3, r.stdout + r.stderr)
        self.assertIn(gone, r.stdout)
        self.assertIn("NQPSIM_LIB", r.stdout)

    def test_build_tree(self):
        code = "import nqpsim; print(nqpsim.library_path())"
        r = self.child(code, {"PYTHONPATH": str(SRC / "python")})
        self.assertEqual(r.returncode, 0, r.stderr)
        got = Path(r.stdout.strip())
        self.assertEqual(got.name, "libnqpsim.so")
        self.assertEqual(got.parent.parent, SRC.resolve())
        self.assertTrue(got.parent.name.startswith("build"), got)

    def test_foreign_library_passed_over(self):
        # a shared object without the API (libm) is not libnqpsim: named, not loaded
        code = ("import nqpsim\ntry:\n nqpsim.World()\nexcept nqpsim.LibraryNotFound as e:\n"
                " print(e)\n raise SystemExit(3)")
        libm = ctypes.util.find_library("m")
        r = self.child(code, {"NQPSIM_LIB": libm, "PYTHONPATH": str(SRC / "python")})
        self.assertEqual(r.returncode, 3, r.stdout + r.stderr)
        self.assertIn("does not export nqp_", r.stdout)

    def test_install_prefix(self):
        prefix = SCRATCH / "prefix"
        shutil.rmtree(prefix, ignore_errors=True)
        pkg = prefix / "lib/python3/dist-packages"
        shutil.copytree(SRC / "python/nqpsim", pkg / "nqpsim",
                        ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(os.environ["NQPSIM_LIB"], prefix / "lib/libnqpsim.so.0")
        code = ("import nqpsim\nwith nqpsim.World(set={'scale': 0.02, 'steps': 1}) as w:\n"
                " w.step()\nprint(nqpsim.library_path())")
        r = self.child(code, {"PYTHONPATH": str(pkg)})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.strip(), str(prefix / "lib/libnqpsim.so.0"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
