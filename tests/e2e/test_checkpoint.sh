#!/usr/bin/env bash
# Checkpoint and resume to the bit (docs/reliability.md): a run stopped at
# any step and resumed, also with another thread count, gives a run file
# whose datasets equal the uninterrupted run's. Stop points: the first
# step, the step a full External supply shock starts (5), the step the
# talent lever switches on (6), the step after it, the step a full credit
# crunch starts (8), the step the lever switches off (10), the last step;
# a chain of two stops; the periodic checkpoint of a completed run; a run
# without output. (SIGINT/SIGTERM: test_checkpoint_signals.sh.)
. "$(dirname "$0")/lib.sh"
CMP="$SRC/tests/e2e/h5compare.py"
cat >"$SCRATCH/scn.yaml" <<'YAML'
extends: anhui.yaml
steps: 12
seed: 11
scale: 0.02
government:
  talent: {enabled: true, start: 6, end: 9}
output:
  panel_interval: 3
shocks:
  - {id: cut, type: supply, start: 5, duration: 3, size: 1}
  - {id: crunch, type: credit, start: 8, duration: 2, size: 1}
YAML
RUN=("$SCRATCH/scn.yaml")

expect_exit 0 "resume --help" -- "$NQPSIM" resume --help
expect_grep "usage: nqpsim resume CHECKPOINT.h5" "$SCRATCH/out.txt" "resume --help shows its usage"
expect_exit 0 "reference run (1 thread)" -- "$NQPSIM" run -q "${RUN[@]}" -o "$SCRATCH/ref.h5"
expect_exit 0 "same run with --checkpoint-every 4 (3 threads)" -- \
  "$NQPSIM" run -q "${RUN[@]}" --threads 3 --checkpoint-every 4 -o "$SCRATCH/every.h5"
expect_exit 0 "checkpointing does not change the run" -- $PY "$CMP" "$SCRATCH/ref.h5" "$SCRATCH/every.h5"
[ -e "$SCRATCH/every.ckpt.h5" ] && [ ! -e "$SCRATCH/every.ckpt.h5.partial" ] &&
  pass "periodic checkpoint kept under its final name" || fail "periodic checkpoint missing"
expect_exit 0 "resume the last periodic checkpoint (step 8) into another file" -- \
  "$NQPSIM" resume -q "$SCRATCH/every.ckpt.h5" --threads 2 -o "$SCRATCH/every_resumed.h5"
expect_exit 0 "resumed periodic checkpoint identical" -- $PY "$CMP" "$SCRATCH/ref.h5" "$SCRATCH/every_resumed.h5"
expect_exit 0 "resume with progress (not a terminal)" -- \
  "$NQPSIM" resume "$SCRATCH/every.ckpt.h5" -o "$SCRATCH/every_progress.h5"
expect_grep "^nqpsim: step 9/12 \([0-9]+%, resumed at 8\)" "$SCRATCH/err.txt" \
  "progress of a resumed run counts from where it resumed"
h5dump -a /step "$SCRATCH/every.ckpt.h5" 2>/dev/null | grep -q "(0): 8" &&
  pass "the kept checkpoint is the last one (step 8)" || fail "periodic checkpoint is not at step 8"

for k in 1 5 6 7 8 10 11; do
  out="$SCRATCH/stop$k.h5"
  expect_exit 0 "stop at step $k" -- "$NQPSIM" run -q "${RUN[@]}" --stop-at $k -o "$out"
  expect_grep "stopped as asked .* after step $k of 12" "$SCRATCH/err.txt" "stop at $k says where it stopped"
  expect_grep "nqpsim resume .*stop$k.ckpt.h5" "$SCRATCH/err.txt" "stop at $k says how to resume"
  [ ! -e "$out" ] && [ -e "$out.partial" ] && [ -e "$SCRATCH/stop$k.ckpt.h5" ] &&
    pass "stop at $k: no run file under its final name, checkpoint present" ||
    fail "stop at $k: files wrong: $(ls "$SCRATCH" | tr '\n' ' ')"
  expect_exit 0 "resume from step $k with 4 threads" -- \
    "$NQPSIM" resume -q "$SCRATCH/stop$k.ckpt.h5" --threads 4
  [ -e "$out" ] && [ ! -e "$out.partial" ] && pass "resume from $k completes the run file" ||
    fail "resume from $k: run file missing"
  expect_exit 0 "stopped at $k and resumed == uninterrupted" -- $PY "$CMP" "$SCRATCH/ref.h5" "$out"
done
expect_exit 0 "lever events present in the resumed file" -- $PY -c "
import h5py, sys
f = h5py.File(sys.argv[1], 'r')
kinds = [k.decode() if isinstance(k, bytes) else k for k in f['events/kind'][()]]
steps = list(f['events/step'][()])
sys.exit(0 if ('lever_on', 6) in zip(kinds, steps) and ('lever_off', 10) in zip(kinds, steps) else 1)
" "$SCRATCH/stop7.h5"

# A chain: stop at 3 (2 threads), resume and stop again at 8 (3 threads), resume (1 thread).
expect_exit 0 "chain: stop at 3" -- "$NQPSIM" run -q "${RUN[@]}" --threads 2 --stop-at 3 -o "$SCRATCH/chain.h5"
expect_exit 0 "chain: resume, stop again at 8" -- "$NQPSIM" resume -q "$SCRATCH/chain.ckpt.h5" --threads 3 --stop-at 8
expect_grep "after step 8 of 12" "$SCRATCH/err.txt" "chain: second stop at 8"
expect_exit 0 "chain: resume to the end" -- "$NQPSIM" resume -q "$SCRATCH/chain.ckpt.h5"
expect_exit 0 "chain of two stops == uninterrupted" -- $PY "$CMP" "$SCRATCH/ref.h5" "$SCRATCH/chain.h5"
expect_exit 2 "resuming again refuses to replace the finished run file" -- \
  "$NQPSIM" resume -q "$SCRATCH/chain.ckpt.h5"
expect_grep "exists.*--force" "$SCRATCH/err.txt" "refusal explains --force"
$PY -c "
import h5py, sys
a = h5py.File(sys.argv[1], 'r').attrs
sys.exit(0 if a['status'] == 'complete' and a['resumed_at_step'] == 8 and a['steps_done'] == 12 else 1)
" "$SCRATCH/chain.h5" && pass "resumed file: status complete, resumed_at_step, steps_done" ||
  fail "resumed file attributes wrong"

# A run without a run file: resumable without one; asking for one is refused.
expect_exit 0 "no-output run stopped at 4" -- \
  "$NQPSIM" run -q "${RUN[@]}" --no-output --stop-at 4 --checkpoint "$SCRATCH/noout.ckpt.h5"
expect_exit 2 "a run file cannot be completed from a run that wrote none" -- \
  "$NQPSIM" resume -q "$SCRATCH/noout.ckpt.h5" -o "$SCRATCH/noout.h5"
expect_grep "wrote no run file" "$SCRATCH/err.txt" "the refusal says why"
[ ! -e "$SCRATCH/noout.h5" ] && [ ! -e "$SCRATCH/noout.h5.partial" ] &&
  pass "refused resume leaves no file" || fail "refused resume left a file"
expect_exit 0 "no-output run resumed without output" -- "$NQPSIM" resume -q "$SCRATCH/noout.ckpt.h5"
expect_exit 2 "checkpoint path equal to the output refused" -- \
  "$NQPSIM" run -q "${RUN[@]}" --checkpoint "$SCRATCH/x.h5" -o "$SCRATCH/x.h5"
finish
