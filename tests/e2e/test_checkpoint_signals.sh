#!/usr/bin/env bash
# SIGINT, SIGTERM and SIGHUP (a closed terminal) during a run: the run stops at the next step boundary,
# writes a final checkpoint, exits 1 with a message saying how to resume,
# leaves no run file under its final name; resuming (with another thread
# count) completes a run file identical to the uninterrupted run's.
. "$(dirname "$0")/lib.sh"
CMP="$SRC/tests/e2e/h5compare.py"
RUN=(--set scale=0.05 --steps 160 --seed 5 --set output.panel_interval=40)

expect_exit 0 "reference run" -- "$NQPSIM" run -q "${RUN[@]}" -o "$SCRATCH/ref.h5"
for sig in INT TERM HUP; do
  out="$SCRATCH/$sig.h5" ck="$SCRATCH/$sig.ckpt.h5" err="$SCRATCH/$sig.err"
  "$NQPSIM" run "${RUN[@]}" -o "$out" --checkpoint "$ck" >/dev/null 2>"$err" &
  pid=$!
  # the first progress line (10% of the steps) proves the run is under way
  for _ in $(seq 1 1200); do grep -q "step [0-9]*/160" "$err" && break; sleep 0.025; done
  kill -s "$sig" "$pid"
  wait "$pid"
  rc=$?
  [ "$rc" -eq 1 ] && pass "SIG$sig: exit 1" || { fail "SIG$sig: exit $rc, expected 1"; sed 's/^/    /' "$err"; }
  expect_grep "interrupted by SIG$sig .*after step [0-9]+ of 160; checkpoint written to .*$sig.ckpt.h5" "$err" \
    "SIG$sig: message names the signal, the step and the checkpoint"
  expect_grep "continue the run with: nqpsim resume .*$sig.ckpt.h5" "$err" "SIG$sig: message says how to resume"
  [ ! -e "$out" ] && [ -e "$ck" ] && [ ! -e "$ck.partial" ] &&
    pass "SIG$sig: checkpoint complete, no run file under its final name" ||
    fail "SIG$sig: files: $(ls "$SCRATCH" | tr '\n' ' ')"
  expect_exit 0 "SIG$sig: resume with 2 threads" -- "$NQPSIM" resume -q "$ck" --threads 2
  expect_exit 0 "SIG$sig: interrupted and resumed == uninterrupted" -- $PY "$CMP" "$SCRATCH/ref.h5" "$out"
done
finish
