#!/usr/bin/env bash
# Same scenario + seed = bit-identical datasets for 1, 2, 3 and 4 threads and
# for two runs; a different seed gives different data.
. "$(dirname "$0")/lib.sh"
# make check-full (NQP_FULL=1): the full baseline, 40 quarters
[ -n "${NQP_FULL:-}" ] && SMALL=(--steps 40)
for t in 1 2 3 4; do
  expect_exit 0 "run with $t threads" -- "$NQPSIM" run -q "${SMALL[@]}" --seed 7 --threads $t -o "$SCRATCH/t$t.h5"
done
expect_exit 0 "second run with 1 thread" -- "$NQPSIM" run -q "${SMALL[@]}" --seed 7 -o "$SCRATCH/again.h5"
expect_exit 0 "run with another seed" -- "$NQPSIM" run -q "${SMALL[@]}" --seed 8 -o "$SCRATCH/seed8.h5"
for t in 2 3 4; do
  expect_exit 0 "1 vs $t threads identical" -- $PY "$SRC/tests/e2e/h5compare.py" "$SCRATCH/t1.h5" "$SCRATCH/t$t.h5"
done
expect_exit 0 "two runs with the same seed identical" -- $PY "$SRC/tests/e2e/h5compare.py" "$SCRATCH/t1.h5" "$SCRATCH/again.h5"
expect_exit 0 "different seeds differ" -- $PY "$SRC/tests/e2e/h5compare.py" "$SCRATCH/t1.h5" "$SCRATCH/seed8.h5" --expect-different
finish
