#!/usr/bin/env bash
# make check-full only (NQP_FULL=1): tools/teaching_figures.py makes every
# run of docs/teaching.md (27 full-scale runs) and prints each quoted
# figure; each line must carry a value, and the figures the guide quotes
# for the chip-shortage ripple must still read as a shortage (External
# inputs of IT buyers fall at the shock). Skipped (exit 77) in the quick
# tier and under the sanitizers.
. "$(dirname "$0")/lib.sh"
if [ -z "${NQP_FULL:-}" ]; then
  echo "skipped: the teaching runs are made in make check-full (NQP_FULL=1)"
  exit 77
fi
expect_exit 0 "teaching_figures.py makes the runs and prints the figures" -- \
  $PY "$SRC/tools/teaching_figures.py" --run "$NQPSIM" "$SCRATCH/runs"
cp "$SCRATCH/out.txt" "$SCRATCH/figures.txt"
n=$(grep -c '^\[' "$SCRATCH/figures.txt")
[ "$n" -ge 100 ] && pass "$n figures printed" || fail "only $n figures printed"
! grep -E '^\[[^]]*\] [^:]*: *$' "$SCRATCH/figures.txt" >/dev/null && pass "every figure has a value" ||
  fail "figures without a value: $(grep -E '^\[[^]]*\] [^:]*: *$' "$SCRATCH/figures.txt" | head -3)"
expect_grep '^\[1 chip\] .*External inputs.*: -[0-9]' "$SCRATCH/figures.txt" \
  "the chip shock cuts External inputs"
finish
