#!/usr/bin/env bash
# A sweep keeps its finished results through faults (docs/reliability.md,
# docs/sweeps.md): a file-size limit and a full disk while the results file
# is written, and a read-only results directory. Each: exit 1 with the
# system's reason, no results file under its final name, the finished runs
# kept in the journal; the same command, once the fault is gone, completes
# a results file identical to an uninterrupted sweep's. The tmpfs cases
# need `mount` (root with CAP_SYS_ADMIN, as in CI) and are skipped where it
# is not allowed; the file-size limit needs no privilege.
. "$(dirname "$0")/lib.sh"
CMP="$SRC/tests/e2e/h5compare.py"
MOUNTS=()
cleanup() { for m in "${MOUNTS[@]}"; do umount "$m" 2>/dev/null; done; }
trap cleanup EXIT
try_mount() {
  mkdir -p "$1"
  if mount -t tmpfs -o "$2" tmpfs "$1" 2>/dev/null; then MOUNTS+=("$1"); return 0; fi
  return 1
}
journal_runs() { echo $((($(stat -c %s "$1" 2>/dev/null || echo 64) - 64) / 248)); }

cat >"$SCRATCH/lhs.yaml" <<'YAML'
name: e2e-faults
set: [scale=0.02, steps=4]
seed: 5
replicates: 2
design: {method: lhs, samples: 20}
parameters:
  - {path: firm.safety_stock, min: 0, max: 2}
metrics:
  - {name: va, series: value_added}
  - {name: tfp, series: tfp, statistic: mean}
YAML
expect_exit 0 "uninterrupted sweep" -- "$NQPSIM" sweep -q "$SCRATCH/lhs.yaml" -o "$SCRATCH/full.h5"
size=$(stat -c %s "$SCRATCH/full.h5")

# --- file-size limit: the results file cannot grow past half its final size
mkdir -p "$SCRATCH/lim"
(ulimit -f $((size / 2 / 1024)) && exec "$NQPSIM" sweep -q "$SCRATCH/lhs.yaml" -o "$SCRATCH/lim/s.h5") \
  >/dev/null 2>"$SCRATCH/lim.err"
rc=$?
[ "$rc" -eq 1 ] && pass "file-size limit: exit 1" || { fail "file-size limit: exit $rc"; cat "$SCRATCH/lim.err"; }
expect_grep "File too large" "$SCRATCH/lim.err" "file-size limit: reason reported"
[ ! -e "$SCRATCH/lim/s.h5" ] && pass "file-size limit: no results file under its final name" ||
  fail "file-size limit: results file exists"
n=$(journal_runs "$SCRATCH/lim/s.h5.journal")
[ "$n" -gt 0 ] && pass "file-size limit: $n finished runs kept in the journal" || fail "file-size limit: journal empty"
expect_exit 0 "file-size limit: the same command completes" -- "$NQPSIM" sweep -q "$SCRATCH/lhs.yaml" -o "$SCRATCH/lim/s.h5"
expect_exit 0 "file-size limit: identical to the uninterrupted sweep" -- $PY "$CMP" "$SCRATCH/full.h5" "$SCRATCH/lim/s.h5"

# --- full disk: a tmpfs of half the results file's size, then enlarged
if try_mount "$SCRATCH/full" "size=$(((size / 2 / 4096 + 1) * 4096))"; then
  "$NQPSIM" sweep -q "$SCRATCH/lhs.yaml" -o "$SCRATCH/full/s.h5" >/dev/null 2>"$SCRATCH/full.err"
  rc=$?
  [ "$rc" -eq 1 ] && pass "disk full: exit 1" || { fail "disk full: exit $rc"; cat "$SCRATCH/full.err"; }
  expect_grep "No space left" "$SCRATCH/full.err" "disk full: reason reported"
  [ ! -e "$SCRATCH/full/s.h5" ] && pass "disk full: no results file under its final name" ||
    fail "disk full: results file exists"
  n=$(journal_runs "$SCRATCH/full/s.h5.journal")
  [ "$n" -gt 0 ] && pass "disk full: $n finished runs kept in the journal" || fail "disk full: journal empty"
  if mount -o remount,size=16m "$SCRATCH/full" 2>/dev/null; then
    expect_exit 0 "disk full: the same command completes once there is space" -- \
      "$NQPSIM" sweep -q "$SCRATCH/lhs.yaml" -o "$SCRATCH/full/s.h5"
    expect_exit 0 "disk full: identical to the uninterrupted sweep" -- $PY "$CMP" "$SCRATCH/full.h5" "$SCRATCH/full/s.h5"
  fi
else
  echo "skip - disk full: cannot mount a tmpfs here"
fi

# --- read-only results directory
if try_mount "$SCRATCH/ro" ro,size=64k; then
  expect_exit 1 "read-only results directory: exit 1" -- "$NQPSIM" sweep -q "$SCRATCH/lhs.yaml" -o "$SCRATCH/ro/s.h5"
  expect_grep "Read-only file system" "$SCRATCH/err.txt" "read-only directory: reason reported"
  ! grep -q "stale file" "$SCRATCH/err.txt" && pass "read-only directory: no stale file blamed" ||
    fail "read-only directory: blames a stale file that does not exist: $(cat "$SCRATCH/err.txt")"
else
  echo "skip - read-only directory: cannot mount a tmpfs here"
fi
finish
