#!/usr/bin/env bash
# Resumable sweeps: a sweep killed with SIGKILL at a random moment, or
# stopped by SIGINT (runs in flight finish) or by --max-runs, continues when
# the same command runs again, and its results file is identical, dataset
# by dataset, to an uninterrupted sweep's; the journal is checked against
# the sweep (another sweep's journal is refused).
. "$(dirname "$0")/lib.sh"
CMP="$SRC/tests/e2e/h5compare.py"

cat >"$SCRATCH/lhs.yaml" <<'YAML'
name: e2e-resume
set: [scale=0.02, steps=6]
seed: 5
replicates: 2
design: {method: lhs, samples: 30}
parameters:
  - {path: firm.safety_stock, min: 0, max: 2}
  - {path: market.wage_adjust, min: 0, max: 0.1}
metrics:
  - {name: va, series: value_added}
  - {name: tfp, series: tfp, statistic: mean}
YAML
RUNS=60
REC=$((32 + 8 * 2 + 200)) # journal record: fixed part, 2 metrics, message
expect_exit 0 "uninterrupted sweep" -- "$NQPSIM" sweep -q "$SCRATCH/lhs.yaml" -o "$SCRATCH/full.h5"

# records in a journal (0 when absent)
records() { local s; s=$(stat -c %s "$1" 2>/dev/null || echo 64); echo $(((s - 64) / REC)); }

# Start the sweep in the background; wait until at least $2 runs are journalled.
start_and_wait() {
  local out=$1 want=$2
  "$NQPSIM" sweep -q "$SCRATCH/lhs.yaml" -o "$out" "${@:3}" >"$SCRATCH/bg.out" 2>"$SCRATCH/bg.err" &
  BG=$!
  for _ in $(seq 1 3000); do
    [ "$(records "$out.journal")" -ge "$want" ] && return 0
    kill -0 $BG 2>/dev/null || return 1
    sleep 0.01
  done
  return 1
}

# SIGKILL twice at different points, then finish.
for want in 8 30; do
  if start_and_wait "$SCRATCH/killed.h5" $want; then
    kill -9 $BG; wait $BG 2>/dev/null
    n=$(records "$SCRATCH/killed.h5.journal")
    if [ ! -e "$SCRATCH/killed.h5" ] && [ "$n" -ge $want ] && [ "$n" -lt $RUNS ]; then
      pass "SIGKILL after $n of $RUNS runs leaves the journal and no results file"
    else
      fail "SIGKILL did not interrupt the sweep ($n runs journalled)"
    fi
  else
    fail "the background sweep did not get to $want runs"; cat "$SCRATCH/bg.err"
  fi
done
expect_exit 0 "the same command continues after SIGKILL" -- "$NQPSIM" sweep "$SCRATCH/lhs.yaml" -o "$SCRATCH/killed.h5" --threads 2
expect_grep "runs [0-9]+/60 \([0-9]+ resumed\)|runs 60/60 \(100%\)" "$SCRATCH/err.txt" "progress counts the resumed runs"
expect_exit 0 "killed and resumed == uninterrupted" -- $PY "$CMP" "$SCRATCH/full.h5" "$SCRATCH/killed.h5"
[ ! -e "$SCRATCH/killed.h5.journal" ] && [ ! -e "$SCRATCH/killed.h5.partial" ] && pass "journal and .partial removed at the end" || fail "leftover journal or .partial"

# SIGINT: the runs in flight finish, exit 1, then the same command continues.
if start_and_wait "$SCRATCH/int.h5" 15 --threads 2; then
  kill -INT $BG; wait $BG; rc=$?
  [ $rc -eq 1 ] && pass "SIGINT stops with exit 1" || fail "SIGINT: exit $rc"
  expect_grep "interrupted: stopped with [0-9]+ of 60 runs done .*run the same command again" "$SCRATCH/bg.err" "SIGINT explains how to continue"
  $PY -c "import h5py,sys; f=h5py.File(sys.argv[1],'r'); sys.exit(0 if f.attrs['status']=='incomplete' else 1)" "$SCRATCH/int.h5.partial" \
    && pass "the .partial file is readable and marked incomplete" || fail "the .partial after SIGINT"
else
  fail "the background sweep did not get to 15 runs"
fi
expect_exit 0 "the same command continues after SIGINT" -- "$NQPSIM" sweep -q "$SCRATCH/lhs.yaml" -o "$SCRATCH/int.h5"
expect_exit 0 "interrupted and resumed == uninterrupted" -- $PY "$CMP" "$SCRATCH/full.h5" "$SCRATCH/int.h5"

# --max-runs: slices of a sweep (e.g. successive scheduler jobs).
expect_exit 1 "--max-runs 25 stops early" -- "$NQPSIM" sweep -q "$SCRATCH/lhs.yaml" -o "$SCRATCH/slices.h5" --max-runs 25
expect_grep "stopped with 25 of 60 runs done" "$SCRATCH/err.txt" "--max-runs reports progress"
expect_exit 1 "second slice" -- "$NQPSIM" sweep -q "$SCRATCH/lhs.yaml" -o "$SCRATCH/slices.h5" --max-runs 25 --threads 2
expect_grep "stopped with 50 of 60 runs done" "$SCRATCH/err.txt" "the second slice continues"
expect_exit 0 "last slice" -- "$NQPSIM" sweep -q "$SCRATCH/lhs.yaml" -o "$SCRATCH/slices.h5" --max-runs 25
expect_exit 0 "slices == uninterrupted" -- $PY "$CMP" "$SCRATCH/full.h5" "$SCRATCH/slices.h5"

# A journal of another sweep is refused; --force starts afresh.
expect_exit 1 "a partial sweep" -- "$NQPSIM" sweep -q "$SCRATCH/lhs.yaml" -o "$SCRATCH/other.h5" --max-runs 5
sed 's/seed: 5/seed: 6/' "$SCRATCH/lhs.yaml" >"$SCRATCH/lhs6.yaml"
expect_exit 2 "another sweep's journal is refused" -- "$NQPSIM" sweep -q "$SCRATCH/lhs6.yaml" -o "$SCRATCH/other.h5"
expect_grep "other.h5.journal belongs to another sweep .*--force" "$SCRATCH/err.txt" "the refusal names --force"
expect_exit 0 "--force discards it" -- "$NQPSIM" sweep -q "$SCRATCH/lhs6.yaml" -o "$SCRATCH/other.h5" --force
finish
