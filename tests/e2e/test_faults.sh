#!/usr/bin/env bash
# Faults (docs/reliability.md): a missing or read-only output directory, a
# file-size limit and a full disk while the run file and checkpoints are
# written, a checkpoint that cannot replace the previous one. Each: exit 1,
# a clear message, no file under its final name, and the last complete
# checkpoint intact: resuming it elsewhere gives the uninterrupted run.
# The read-only and full-disk cases mount small tmpfs file systems (root
# with CAP_SYS_ADMIN, as in CI); where mounting is not allowed they are
# skipped (the file-size limit covers the same write path unprivileged).
. "$(dirname "$0")/lib.sh"
CMP="$SRC/tests/e2e/h5compare.py"
RUN=(--set scale=0.02 --steps 12 --seed 11 --set output.panel_interval=3)
MOUNTS=()
cleanup() { for m in "${MOUNTS[@]}"; do umount "$m" 2>/dev/null; done; }
trap cleanup EXIT
skip() { echo "skip - $*"; }
size() { stat -c %s "$1"; }
# try_mount DIR OPTIONS: a tmpfs at DIR, 0 when mounted
try_mount() {
  mkdir -p "$1"
  if mount -t tmpfs -o "$2" tmpfs "$1" 2>/dev/null; then MOUNTS+=("$1"); return 0; fi
  return 1
}
# no_final FILE DESC: neither FILE nor a leftover FILE.partial of a checkpoint
no_final() { [ ! -e "$1" ] && pass "$2: nothing under the final name" || fail "$2: $1 exists"; }
# ckpt_step FILE: the step a checkpoint holds
ckpt_step() { $PY -c "import h5py,sys; print(int(h5py.File(sys.argv[1],'r').attrs['step']))" "$1" 2>/dev/null; }

expect_exit 0 "reference run" -- "$NQPSIM" run -q "${RUN[@]}" -o "$SCRATCH/ref.h5"

# --- missing and read-only directories: refused before simulating
expect_exit 1 "output directory missing" -- "$NQPSIM" run -q "${RUN[@]}" -o "$SCRATCH/nodir/run.h5"
expect_grep "cannot write the run file .*nodir/run.h5: directory .*nodir: No such file" \
  "$SCRATCH/err.txt" "missing directory named in the message"
expect_exit 1 "checkpoint directory missing" -- "$NQPSIM" run -q "${RUN[@]}" --checkpoint-every 2 \
  --checkpoint "$SCRATCH/nodir/c.h5" -o "$SCRATCH/ck_nodir.h5"
expect_grep "cannot write the checkpoint" "$SCRATCH/err.txt" "missing checkpoint directory named"
no_final "$SCRATCH/ck_nodir.h5" "checkpoint directory missing"
[ ! -e "$SCRATCH/ck_nodir.h5.partial" ] && pass "refused before creating the run file" ||
  fail "a .partial was created before the refusal"
if try_mount "$SCRATCH/ro" ro,size=64k; then
  expect_exit 1 "read-only output directory" -- "$NQPSIM" run -q "${RUN[@]}" -o "$SCRATCH/ro/run.h5"
  expect_grep "directory .*ro: Read-only file system" "$SCRATCH/err.txt" "read-only directory explained"
elif [ "$(id -u)" -ne 0 ]; then
  mkdir -p "$SCRATCH/ro" && chmod a-w "$SCRATCH/ro"
  expect_exit 1 "unwritable output directory" -- "$NQPSIM" run -q "${RUN[@]}" -o "$SCRATCH/ro/run.h5"
  expect_grep "Permission denied" "$SCRATCH/err.txt" "unwritable directory explained"
else
  skip "read-only directory: cannot mount a tmpfs here"
fi

# --- a checkpoint that cannot be written keeps the previous one
expect_exit 0 "stop at 4" -- "$NQPSIM" run -q "${RUN[@]}" --stop-at 4 -o "$SCRATCH/keep.h5"
mkdir "$SCRATCH/keep.ckpt.h5.partial" # blocks the next checkpoint's temporary file
expect_exit 1 "resume; the checkpoint at step 6 cannot be written" -- \
  "$NQPSIM" resume -q "$SCRATCH/keep.ckpt.h5" --checkpoint-every 2
expect_grep "checkpoint .*keep.ckpt.h5.partial" "$SCRATCH/err.txt" "failed checkpoint named"
expect_grep "the last checkpoint is .*keep.ckpt.h5" "$SCRATCH/err.txt" "message points at the last checkpoint"
no_final "$SCRATCH/keep.h5" "failed checkpoint"
[ "$(ckpt_step "$SCRATCH/keep.ckpt.h5")" = 4 ] && pass "previous checkpoint (step 4) intact" ||
  fail "previous checkpoint damaged"
rmdir "$SCRATCH/keep.ckpt.h5.partial"
expect_exit 0 "resume the intact checkpoint" -- "$NQPSIM" resume -q "$SCRATCH/keep.ckpt.h5"
expect_exit 0 "resumed after the fault == uninterrupted" -- $PY "$CMP" "$SCRATCH/ref.h5" "$SCRATCH/keep.h5"

# --- file-size limit (ulimit -f): checkpoint at step 2 fits, the one at 4 does not
expect_exit 0 "measure: stop at 2" -- "$NQPSIM" run -q "${RUN[@]}" --stop-at 2 -o "$SCRATCH/m2.h5"
expect_exit 0 "measure: stop at 4" -- "$NQPSIM" run -q "${RUN[@]}" --stop-at 4 -o "$SCRATCH/m4.h5"
s2=$(size "$SCRATCH/m2.ckpt.h5") s4=$(size "$SCRATCH/m4.ckpt.h5")
limit=$(((s2 + s4) / 2 / 1024))
mkdir -p "$SCRATCH/fsize"
(ulimit -f "$limit" && exec "$NQPSIM" run -q "${RUN[@]}" --checkpoint-every 2 \
  -o "$SCRATCH/fsize/run.h5") >/dev/null 2>"$SCRATCH/fsize.err"
rc=$?
[ "$rc" -eq 1 ] && pass "file-size limit ${limit} KiB: exit 1" ||
  { fail "file-size limit: exit $rc, expected 1"; sed 's/^/    /' "$SCRATCH/fsize.err"; }
expect_grep "File too large|too large|write failed|fsync|unable" "$SCRATCH/fsize.err" "file-size limit: the write error is reported"
no_final "$SCRATCH/fsize/run.h5" "file-size limit"
[ ! -e "$SCRATCH/fsize/run.ckpt.h5.partial" ] && pass "no checkpoint .partial left" ||
  fail "checkpoint .partial left behind"
[ "$(ckpt_step "$SCRATCH/fsize/run.ckpt.h5")" = 2 ] && pass "file-size limit: checkpoint of step 2 intact" ||
  fail "file-size limit: checkpoint of step 2 missing or damaged"
expect_exit 0 "resume it without the limit" -- "$NQPSIM" resume -q "$SCRATCH/fsize/run.ckpt.h5"
expect_exit 0 "resumed after the limit == uninterrupted" -- $PY "$CMP" "$SCRATCH/ref.h5" "$SCRATCH/fsize/run.h5"
(ulimit -f 64 && exec "$NQPSIM" run -q "${RUN[@]}" -o "$SCRATCH/fsize/small.h5") >/dev/null 2>"$SCRATCH/small.err"
rc=$?
[ "$rc" -eq 1 ] && pass "run file over the limit: exit 1" || { fail "run file over the limit: exit $rc"; cat "$SCRATCH/small.err"; }
no_final "$SCRATCH/fsize/small.h5" "run file over the limit"

# --- full disk (tmpfs): run file and checkpoints on a file system that fills up
h4=$(size "$SCRATCH/m4.h5.partial")
if try_mount "$SCRATCH/full" "size=$(((h4 + s2 + s4 / 2) / 4096 * 4096 + 4096))"; then
  "$NQPSIM" run -q "${RUN[@]}" --checkpoint-every 2 -o "$SCRATCH/full/run.h5" >/dev/null 2>"$SCRATCH/full.err"
  rc=$?
  [ "$rc" -eq 1 ] && pass "disk full: exit 1" || { fail "disk full: exit $rc"; sed 's/^/    /' "$SCRATCH/full.err"; }
  expect_grep "No space left|space|write failed|unable" "$SCRATCH/full.err" "disk full: the write error is reported"
  no_final "$SCRATCH/full/run.h5" "disk full"
  step=$(ckpt_step "$SCRATCH/full/run.ckpt.h5")
  [ -n "$step" ] && pass "disk full: last checkpoint (step $step) readable" || fail "disk full: no intact checkpoint"
  expect_exit 0 "resume it on another disk" -- "$NQPSIM" resume -q "$SCRATCH/full/run.ckpt.h5" \
    -o "$SCRATCH/full_resumed.h5" --checkpoint "$SCRATCH/full_resumed.ckpt.h5"
  expect_exit 0 "resumed after disk full == uninterrupted" -- $PY "$CMP" "$SCRATCH/ref.h5" "$SCRATCH/full_resumed.h5"
else
  skip "disk full: cannot mount a tmpfs here (the file-size limit covers the write path)"
fi
finish
