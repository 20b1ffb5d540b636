#!/usr/bin/env bash
# MPI sweeps (an nqpsim built with NQP_MPI=ON; `make test-mpi` builds one in
# build-mpi and runs this script with it; other builds skip): the results
# of `mpirun -np 3` are identical, dataset by dataset, to -np 1 and to a
# one-process sweep on 2 threads; an MPI sweep stopped by --max-runs
# continues on another number of ranks; bad input exits 2 under mpirun.
. "$(dirname "$0")/lib.sh"
CMP="$SRC/tests/e2e/h5compare.py"
if ! "$NQPSIM" sweep --help | grep -q "MPI enabled"; then
  echo "skip: $NQPSIM was built without MPI (make test-mpi runs this script)"
  exit 0
fi
MPIRUN=(mpirun --oversubscribe --allow-run-as-root)

cat >"$SCRATCH/mpi.yaml" <<'YAML'
name: e2e-mpi
set: [scale=0.02, steps=6]
seed: 9
replicates: 2
design: {method: sobol, samples: 8}
analysis: {bootstrap: 50}
parameters:
  - {path: firm.safety_stock, min: 0, max: 2}
  - {path: firm.lead_time, min: 0, max: 3}
  - {path: market.replicator_chi, min: 0.3, max: 3}
metrics:
  - {name: va, series: value_added}
  - {name: nqp, series: index_nqp, statistic: mean}
YAML

expect_exit 0 "mpirun -np 3" -- "${MPIRUN[@]}" -np 3 "$NQPSIM" sweep "$SCRATCH/mpi.yaml" -o "$SCRATCH/np3.h5"
expect_grep "^  parameter +S1" "$SCRATCH/out.txt" "rank 0 prints the summary"
expect_exit 0 "mpirun -np 1" -- "${MPIRUN[@]}" -np 1 "$NQPSIM" sweep -q "$SCRATCH/mpi.yaml" -o "$SCRATCH/np1.h5"
expect_exit 0 "no mpirun, 2 threads" -- "$NQPSIM" sweep -q --threads 2 "$SCRATCH/mpi.yaml" -o "$SCRATCH/local.h5"
expect_exit 0 "-np 3 == -np 1" -- $PY "$CMP" "$SCRATCH/np1.h5" "$SCRATCH/np3.h5"
expect_exit 0 "-np 3 == one process" -- $PY "$CMP" "$SCRATCH/local.h5" "$SCRATCH/np3.h5"
$PY -c "import h5py,sys; sys.exit(0 if int(h5py.File(sys.argv[1],'r').attrs['mpi_ranks'])==3 else 1)" "$SCRATCH/np3.h5" \
  && pass "mpi_ranks recorded" || fail "mpi_ranks attribute"

expect_exit 1 "-np 3 stopped by --max-runs" -- "${MPIRUN[@]}" -np 3 "$NQPSIM" sweep -q "$SCRATCH/mpi.yaml" -o "$SCRATCH/resumed.h5" --max-runs 30
expect_grep "stopped with [0-9]+ of 80 runs done" "$SCRATCH/err.txt" "the stop is reported once runs in flight finish"
expect_exit 0 "continued on -np 2" -- "${MPIRUN[@]}" -np 2 "$NQPSIM" sweep -q "$SCRATCH/mpi.yaml" -o "$SCRATCH/resumed.h5"
expect_exit 0 "stopped and continued == uninterrupted" -- $PY "$CMP" "$SCRATCH/np1.h5" "$SCRATCH/resumed.h5"

sed 's/min: 0, max: 2}/min: 2, max: 0}/' "$SCRATCH/mpi.yaml" >"$SCRATCH/bad.yaml"
expect_exit 2 "bad sweep file under mpirun" -- "${MPIRUN[@]}" -np 3 "$NQPSIM" sweep "$SCRATCH/bad.yaml" -o "$SCRATCH/bad.h5"
[ "$(grep -c 'expected max > min' "$SCRATCH/err.txt")" -eq 1 ] && pass "the error is printed once (rank 0)" || fail "error printed $(grep -c 'expected max > min' "$SCRATCH/err.txt") times"
expect_exit 2 "existing results under mpirun" -- "${MPIRUN[@]}" -np 3 "$NQPSIM" sweep -q "$SCRATCH/mpi.yaml" -o "$SCRATCH/np3.h5"
finish
