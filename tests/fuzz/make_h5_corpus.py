#!/usr/bin/python3
"""Seed corpus of tests/fuzz/fuzz_h5read.c: small files of the run and
sweep layouts (output/h5out.h, drivers/sweepout.h) written with the libver
bounds of nqpsim's writers (1.10: checksummed metadata), a few KB each so
that libFuzzer mutates the structure, not bulk data; plus the hostile
shapes of tests/e2e/test_hostile_h5.sh (link cycle, soft and external
links). Writes into tests/fuzz/corpus/h5read/ (run once; files committed).

    /usr/bin/python3 tests/fuzz/make_h5_corpus.py
"""
import os
import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "h5read")
STR = h5py.string_dtype("utf-8")
SCENARIO = "name: mini\nsteps: 3\nregions:\n- id: r\n"


def new(name):
    f = h5py.File(os.path.join(OUT, name), "w", libver=("v110", "v110"), track_order=True)
    return f


def run_file(name, edit=None):
    with new(name) as f:
        for k, v in (("format", "nqpsim-run"), ("status", "complete"), ("scenario_name", "mini")):
            f.attrs.create(k, v, dtype=STR)
        f.attrs["format_version"] = np.int64(1)
        f.attrs["steps_per_year"] = np.int64(4)
        f.attrs["seed"] = np.int64(7)
        f.create_dataset("scenario", data=SCENARIO, dtype=STR)
        s = f.create_group("series", track_order=True)
        eco = s.create_group("economy", track_order=True)
        step = eco.create_dataset("step", data=np.arange(3, dtype="i4"))
        step.make_scale("step")
        g = eco.create_dataset("gdp", data=np.array([1.0, 2.0, 3.5]), chunks=(3,), compression="gzip")
        g.attrs.create("units", "yuan", dtype=STR)
        g.dims[0].attach_scale(step)
        ind = s.create_group("industry", track_order=True)
        ind.create_dataset("industry", data=["a", "b"], dtype=STR)
        ind.create_dataset("output", data=np.ones((3, 2)))
        reg = s.create_group("region", track_order=True)
        reg.create_dataset("region", data=["r", "external"], dtype=STR)
        reg.create_dataset("output", data=np.ones((3, 2)))
        ir = s.create_group("industry_region", track_order=True)
        ir.create_dataset("inputs_received", data=np.zeros((3, 2, 2)))
        fi = f.create_group("firms", track_order=True)
        fi.create_dataset("snapshot", data=np.array([2], dtype="i4"))
        fi.create_dataset("slot", data=np.arange(2, dtype="i4"))
        fi.create_dataset("alive", data=np.ones((1, 2), dtype="u1"))
        ev = f.create_group("events", track_order=True)
        ev.create_dataset("event", data=np.arange(1, dtype="i4"))
        ev.create_dataset("kind", data=["lever"], dtype=STR)
        if edit:
            edit(f)


def sweep_file(name):
    with new(name) as f:
        f.attrs.create("format", "nqpsim-sweep", dtype=STR)
        f.attrs.create("status", "complete", dtype=STR)
        f.create_dataset("sweep", data="parameters: []\n", dtype=STR)
        f.create_dataset("scenario", data=SCENARIO, dtype=STR)
        for g in ("design", "runs", "results", "summary"):
            grp = f.create_group(g, track_order=True)
            grp.create_dataset("values", data=np.arange(4.0).reshape(2, 2))
            grp.create_dataset("names", data=["x", "y"], dtype=STR)
        f.create_group("analysis").create_group("sobol").create_dataset("S1", data=[0.5, 0.25])


os.makedirs(OUT, exist_ok=True)
run_file("run.h5")
run_file("run_hard_cycle.h5", lambda f: f["events"].__setitem__("loop", f["events"]))
run_file("run_soft_link.h5", lambda f: f["events"].__setitem__("loop", h5py.SoftLink("/events")))
run_file("run_external.h5", lambda f: f["events"].__setitem__("x", h5py.ExternalLink("run.h5", "/")))
sweep_file("sweep.h5")
