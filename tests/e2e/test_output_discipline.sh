#!/usr/bin/env bash
# One output discipline for every writer (base/atomic_file.h,
# docs/reliability.md "Output atomicity"): a second writer of one output is
# refused (exit 2) before it touches anything, and the first finishes
# intact (runs, sweeps); -o /dev/null means no output file and never
# replaces the device; other non-regular outputs, empty names and outputs
# equal to an input are refused before the world is built; an existing
# file is kept until the new one is complete (a sweep's --force included:
# an interrupted forced sweep keeps the old results, and the same forced
# command continues); --stop-at outside the run is refused; a run whose
# economy dies out exits 3 with a warning. Every case checks the exit code,
# the message and that the earlier good files are intact.
. "$(dirname "$0")/lib.sh"
CMP="$SRC/tests/e2e/h5compare.py"
TINY=(--set scale=0.02 --steps 4)
cd "$SCRATCH" || exit 1

# status and steps_done of a run file
attrs() { $PY -c "import h5py,sys; f=h5py.File(sys.argv[1],'r'); print(f.attrs['status'], f.attrs.get('steps_done', f.attrs.get('runs_ok')))" "$1" 2>/dev/null; }
# wait (up to 60 s) until file $1 exists, while process $2 lives
wait_for() { for _ in $(seq 1 2400); do [ -e "$1" ] && return 0; kill -0 "$2" 2>/dev/null || return 1; sleep 0.025; done; return 1; }

# --- F1: two runs to one output ------------------------------------------
LONG=(--set scale=0.1 --steps 120)
"$NQPSIM" run -q "${LONG[@]}" --seed 1 -o conc.h5 >a.out 2>a.err &
A=$!
if wait_for conc.h5.lock $A; then
  expect_exit 2 "a second run to the same output is refused" -- "$NQPSIM" run -q "${LONG[@]}" --seed 2 -o conc.h5 --force
  expect_grep "conc.h5 is being written by another process" err.txt "the refusal says why"
else
  fail "the first run never took its lock"
fi
wait $A
rc=$?
[ $rc -eq 0 ] && pass "the first run completes (exit 0)" || { fail "first run: exit $rc"; cat a.err; }
[ "$(attrs conc.h5)" = "complete 120" ] && pass "conc.h5 is the first run's complete file" || fail "conc.h5: $(attrs conc.h5)"
[ ! -e conc.h5.partial ] && [ ! -e conc.h5.lock ] && pass "no .partial or lock file left" || fail "leftovers: $(ls)"
# a stale lock file (of a killed process) is harmless
: >stale.h5.lock
expect_exit 0 "a stale lock file does not block" -- "$NQPSIM" run -q "${TINY[@]}" -o stale.h5
[ ! -e stale.h5.lock ] && pass "the stale lock file is removed by the run" || fail "stale.h5.lock left"

# --- F14: a refused second sweep leaves the running one alone -----------
cat >sw.yaml <<'YAML'
name: e2e-discipline
set: [scale=0.02, steps=6]
seed: 5
design: {method: lhs, samples: 40}
parameters:
  - {path: firm.safety_stock, min: 0, max: 2}
metrics:
  - {name: va, series: value_added}
YAML
sed 's/seed: 5/seed: 6/' sw.yaml >sw2.yaml
expect_exit 0 "reference sweep" -- "$NQPSIM" sweep -q sw.yaml -o ref.h5
"$NQPSIM" sweep -q sw.yaml -o o.h5 >a.out 2>a.err &
A=$!
if wait_for o.h5.journal $A; then
  expect_exit 2 "a second sweep to the same output is refused" -- "$NQPSIM" sweep -q sw2.yaml -o o.h5
  expect_grep "o.h5 is being written by another process" err.txt "the sweep refusal says why"
  expect_exit 2 "... also with --force" -- "$NQPSIM" sweep -q sw2.yaml -o o.h5 --force
else
  fail "the first sweep never started its journal"
fi
wait $A
rc=$?
[ $rc -eq 0 ] && pass "the first sweep completes (exit 0)" || { fail "first sweep: exit $rc"; cat a.err; }
expect_exit 0 "its results equal an undisturbed sweep's" -- $PY "$CMP" ref.h5 o.h5
[ ! -e o.h5.journal ] && [ ! -e o.h5.partial ] && pass "journal and .partial removed" || fail "leftovers: $(ls o.h5*)"

# --- F12: sweep --force keeps the old results until the new sweep completes
cp ref.h5 old.h5 && cp ref.h5 ref.copy
expect_exit 1 "a forced sweep stopped early" -- "$NQPSIM" sweep -q sw2.yaml -o old.h5 --force --max-runs 5
cmp -s old.h5 ref.copy && pass "the old results are intact after the interrupted forced sweep" || fail "old.h5 changed"
expect_exit 0 "the same forced command continues and completes" -- "$NQPSIM" sweep -q sw2.yaml -o old.h5 --force
expect_exit 0 "reference of the second sweep" -- "$NQPSIM" sweep -q sw2.yaml -o ref2.h5
expect_exit 0 "the forced results equal an uninterrupted sweep's" -- $PY "$CMP" ref2.h5 old.h5
# another sweep's journal is moved aside, removed only at completion
expect_exit 1 "sweep 1 interrupted" -- "$NQPSIM" sweep -q sw.yaml -o j.h5 --max-runs 5
expect_exit 1 "sweep 2 forced over it, interrupted" -- "$NQPSIM" sweep -q sw2.yaml -o j.h5 --force --max-runs 5
[ -e j.h5.journal.old ] && pass "the other sweep's journal is kept as .journal.old" || fail "no j.h5.journal.old"
expect_exit 0 "sweep 2 completes" -- "$NQPSIM" sweep -q sw2.yaml -o j.h5 --force
[ ! -e j.h5.journal.old ] && [ ! -e j.h5.journal ] && pass "old and new journal gone at completion" || fail "journals left: $(ls j.h5*)"

# --- F2, F3, F5: non-regular and empty outputs -----------------------------
cp conc.h5 keep.h5
expect_exit 0 "-o /dev/null: no output file" -- "$NQPSIM" run -q "${TINY[@]}" -o /dev/null --force
[ -c /dev/null ] && pass "/dev/null is still the device" || fail "/dev/null was replaced"
mkfifo fifo.h5
expect_exit 2 "a FIFO output is refused" -- "$NQPSIM" run -q "${TINY[@]}" -o fifo.h5 --force
expect_grep "fifo.h5 is not a regular file" err.txt "the FIFO refusal says why"
[ -p fifo.h5 ] && [ ! -e fifo.h5.partial ] && pass "the FIFO is kept, nothing created" || fail "fifo.h5 replaced"
mkdir outdir
expect_exit 2 "-o DIR --force is refused before the run" -- "$NQPSIM" run -q --set scale=0.3 --steps 2000 -o outdir --force
expect_grep "outdir is not a regular file \(a directory\)" err.txt "the directory refusal says why"
[ -d outdir ] && [ ! -e outdir.partial ] && pass "no outdir.partial" || fail "outdir.partial created"
expect_exit 2 "-o '' is a usage error" -- "$NQPSIM" run -q "${TINY[@]}" -o ''
expect_grep "empty file name" err.txt "the empty name is named"
expect_exit 2 "a sweep to a directory is refused" -- "$NQPSIM" sweep -q sw.yaml -o outdir --force
expect_exit 2 "a checkpoint path that is a directory is refused" -- "$NQPSIM" run -q "${TINY[@]}" -o ck.h5 --checkpoint outdir --stop-at 2
[ ! -e ck.h5 ] && [ ! -e ck.h5.partial ] && pass "nothing written for a bad checkpoint path" || fail "ck.h5 written"

# --- F4: an output equal to an input ---------------------------------------
printf 'extends: anhui.yaml\nsteps: 4\nscale: 0.02\n' >scn.yaml
cp scn.yaml scn.copy
expect_exit 2 "-o equal to the scenario is refused" -- "$NQPSIM" run -q scn.yaml -o scn.yaml --force
expect_grep "scn.yaml is the scenario file: refusing to overwrite an input" err.txt "the input refusal says why"
ln -s scn.yaml link.yaml
expect_exit 2 "... also through another name" -- "$NQPSIM" run -q link.yaml -o ./scn.yaml --force
cmp -s scn.yaml scn.copy && pass "the scenario is intact" || fail "scn.yaml changed"
expect_exit 0 "a run stopped with a checkpoint" -- "$NQPSIM" run -q "${TINY[@]}" -o st.h5 --stop-at 2
cp st.ckpt.h5 st.copy
expect_exit 2 "resume -o the checkpoint itself is refused" -- "$NQPSIM" resume -q st.ckpt.h5 -o st.ckpt.h5 --force
cmp -s st.ckpt.h5 st.copy && pass "the checkpoint is intact" || fail "st.ckpt.h5 changed"

# --- F15: --stop-at outside the run ------------------------------------------
expect_exit 2 "--stop-at beyond --steps is refused" -- "$NQPSIM" run -q "${TINY[@]}" -o sa.h5 --stop-at 9
expect_grep "--stop-at 9: the run has 4 steps" err.txt "--stop-at beyond the steps says why"
expect_exit 2 "--stop-at before the checkpoint's step is refused" -- "$NQPSIM" resume -q st.ckpt.h5 --stop-at 1
expect_grep "--stop-at 1: the checkpoint is at step 2 already" err.txt "--stop-at before the checkpoint says why"
cmp -s st.ckpt.h5 st.copy && [ ! -e sa.h5 ] && pass "nothing written by the refused stops" || fail "files changed"
expect_exit 0 "the checkpoint still resumes" -- "$NQPSIM" resume -q st.ckpt.h5
[ "$(attrs st.h5)" = "complete 4" ] && pass "resumed run file complete" || fail "st.h5: $(attrs st.h5)"

# --- F11: sensitivity sample writes through the same discipline ------------

printf 'a 0 1\n' >prob.txt
echo keep >samples.txt
expect_exit 2 "sample -o an existing file without --force" -- "$NQPSIM" sensitivity sample lhs -p prob.txt -n 4 -o samples.txt
[ "$(cat samples.txt)" = keep ] && pass "the existing samples file is intact" || fail "samples.txt changed"
expect_exit 2 "sample -o a directory" -- "$NQPSIM" sensitivity sample lhs -p prob.txt -n 4 -o outdir --force

# --- the economy dies out: exit 3 and a warning ------------------------------
expect_exit 3 "a run whose economy dies out exits 3" -- "$NQPSIM" run -q --set scale=0.02 --steps 400 -o dead.h5
expect_grep "the economy died out: no live firm from step [0-9]+ of 400" err.txt "the extinction is reported"
[ "$(attrs dead.h5)" = "complete 400" ] && pass "its run file is complete" || fail "dead.h5: $(attrs dead.h5)"
cmp -s keep.h5 conc.h5 && pass "earlier good files intact" || fail "conc.h5 changed"
finish
