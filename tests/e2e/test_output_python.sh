#!/usr/bin/env bash
# A run file opens in h5py and in xarray (engine="netcdf4") with named
# dimensions, labels and units; the resolved scenario in it re-runs the same
# run.
. "$(dirname "$0")/lib.sh"
expect_exit 0 "small run" -- "$NQPSIM" run -q "${SMALL[@]}" -o "$SCRATCH/run.h5"
expect_exit 0 "h5py and xarray read the run" -- $PY "$SRC/tests/output/check_run.py" "$SCRATCH/run.h5" --expect-series output,value_added,index_nqp,tfp,digital,orders_placed,deliveries,unfilled
$PY - "$SCRATCH/run.h5" "$SCRATCH/resolved.yaml" <<'PYEOF'
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    text = f["scenario"][()]
    open(sys.argv[2], "wb").write(text if isinstance(text, bytes) else text.encode())
PYEOF
expect_exit 0 "resolved scenario re-runs" -- "$NQPSIM" run -q "$SCRATCH/resolved.yaml" -o "$SCRATCH/rerun.h5"
expect_exit 0 "re-run from the stored scenario is identical" -- $PY "$SRC/tests/e2e/h5compare.py" "$SCRATCH/run.h5" "$SCRATCH/rerun.h5"
finish
