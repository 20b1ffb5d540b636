#!/usr/bin/env bash
# A damaged sweep journal costs only its damaged records: a record with a
# bad CRC and records with a valid CRC but fields out of range for the sweep
# (status 99, steps 2^31-1, run index beyond the sweep) are each skipped
# with a warning naming the file, the bytes and why; every valid record
# after them is kept (not computed again), the forged values never reach
# runs/status or runs/steps, and the results file is identical to an
# uninterrupted sweep's (drivers/sweep_journal.h, docs/reliability.md).
. "$(dirname "$0")/lib.sh"
CMP="$SRC/tests/e2e/h5compare.py"

cat >"$SCRATCH/s.yaml" <<'YAML'
name: e2e-journal-damage
set: [scale=0.02, steps=6]
seed: 3
replicates: 8
metrics:
  - {name: va, series: value_added}
YAML
expect_exit 0 "uninterrupted sweep" -- "$NQPSIM" sweep -q "$SCRATCH/s.yaml" -o "$SCRATCH/full.h5"
expect_exit 1 "--max-runs 5 leaves a journal" -- "$NQPSIM" sweep -q "$SCRATCH/s.yaml" -o "$SCRATCH/d.h5" --max-runs 5
J="$SCRATCH/d.h5.journal"
cp "$J" "$SCRATCH/journal.orig"

# damage record 1 (a metric byte) and append forged records with valid CRCs
$PY - "$J" <<'PY' || fail "damaging the journal"
import struct, sys, zlib
path = sys.argv[1]
REC, HEAD = 32 + 8 + 200, 64
data = bytearray(open(path, "rb").read())
assert (len(data) - HEAD) % REC == 0 and (len(data) - HEAD) // REC == 5, len(data)
data[HEAD + REC + 33] ^= 0x10                   # a metric byte of record 1: CRC mismatch
def forged(run, status, steps, wall=0.5):
    body = struct.pack("<QiId", run, status, steps & 0xFFFFFFFF, wall) + struct.pack("<d", 1.0) + bytes(200)
    return struct.pack("<II", 0x5257534E, zlib.crc32(body)) + body
done = [struct.unpack_from("<Q", data, HEAD + k * REC + 8)[0] for k in range(5)]
todo = [r for r in range(8) if r not in done]
data += forged(todo[0], 99, 6)                  # status out of the enum
data += forged(todo[1], 0, 2**31 - 1)           # steps beyond the sweep's
data += forged(1000, 0, 6)                      # run index beyond the sweep
open(path, "wb").write(data)
print(" ".join(map(str, done)))
PY

expect_exit 0 "the sweep continues over the damaged journal" -- "$NQPSIM" sweep "$SCRATCH/s.yaml" -o "$SCRATCH/d.h5"
expect_grep "warning: .*d\.h5\.journal: bytes 304 to 543 are not a valid record \(CRC mismatch\): skipped" "$SCRATCH/err.txt" "a bad CRC is skipped with a warning naming the bytes"
expect_grep "warning: .*not a valid record \(status out of range\)" "$SCRATCH/err.txt" "a forged status is refused"
expect_grep "warning: .*not a valid record \(steps out of range\)" "$SCRATCH/err.txt" "forged steps are refused"
expect_grep "warning: .*not a valid record \(run index out of range\)" "$SCRATCH/err.txt" "a forged run index is refused"
first=$(grep -m1 -oE "runs [0-9]+/8" "$SCRATCH/err.txt")
[ "$first" = "runs 5/8" ] && pass "the 4 valid records around the damaged ones are kept, not recomputed" ||
  fail "kept records: first progress line '$first', expected 'runs 5/8' (4 kept + 1 new)"
expect_exit 0 "damaged journal, resumed == uninterrupted" -- $PY "$CMP" "$SCRATCH/full.h5" "$SCRATCH/d.h5"
$PY - "$SCRATCH/d.h5" <<'PY' && pass "runs/status and runs/steps hold no forged value" || fail "forged values reached the results"
import h5py, sys
with h5py.File(sys.argv[1], "r") as f:
    st, steps = f["runs/status"][()], f["runs/steps"][()]
sys.exit(0 if set(st.ravel()) <= {0, 1, 2} and steps.max() <= 6 else 1)
PY
[ ! -e "$J" ] && pass "journal removed at the end" || fail "journal left behind"
finish
