#!/usr/bin/env bash
# make check-full only (NQP_FULL=1): the full Anhui baseline, 40 quarters,
# with world_check() after every step (invariants: finite values, no
# negative stocks, money conserved, employment within the labour force),
# on 2 threads, and the run file checked by h5py and xarray. Skipped (exit
# 77) in the quick tier.
. "$(dirname "$0")/lib.sh"
if [ -z "${NQP_FULL:-}" ]; then
  echo "skipped: the full baseline runs in make check-full (NQP_FULL=1)"
  exit 77
fi
expect_exit 0 "full baseline, 40 steps, --check, 2 threads" -- "$NQPSIM" run -q --check --threads 2 -o "$SCRATCH/anhui.h5"
expect_exit 0 "h5py and xarray read it" -- $PY "$SRC/tests/output/check_run.py" "$SCRATCH/anhui.h5"
expect_exit 0 "the paper's package with --check" -- "$NQPSIM" run -q package_paper.yaml --check --threads 2 --no-output
finish
