#!/usr/bin/env bash
# Readers of untrusted input (docs/reliability.md, "Hostile HDF5 and text
# files"): crafted run and sweep files (hard- and soft-link cycles, many
# links to one dataset, a series of 1e8 steps, an external link, a "sweep"
# of two attributes) given to `report`, `info` and `compare`; random bit
# flips in a run file (100 here, 1000 with NQP_FULL=1); fuzzing's
# reproducers (tests/fuzz/corpus/h5read/regress_*.h5); and endless,
# binary, non-finite and duplicate inputs to `nqpsim sensitivity`. Each
# refused case exits 2 with its message, nothing crashes or hangs, no
# report appears under its final name, and the good files stay intact
# (they still report).
. "$(dirname "$0")/lib.sh"
D="$SCRATCH"
T="timeout 120"
"$NQPSIM" run -q --set scale=0.02 --steps 4 -o "$D/run.h5" || fail "a small run"
sum0=$(md5sum <"$D/run.h5")

# ---- crafted files (h5py)
$PY - "$D" <<'PY' || fail "crafting the hostile files"
import shutil, sys, h5py, numpy as np
d = sys.argv[1]
def variant(name, edit):
    shutil.copy(d + "/run.h5", d + "/" + name)
    with h5py.File(d + "/" + name, "r+") as f:
        edit(f)
def hard_cycle(f):
    f["events/loop"] = f["events"]          # a hard link to its own group
def soft_cycle(f):
    f["events/loop"] = h5py.SoftLink("/events")
def many_links(f):
    ds = f["events"].create_dataset("big", shape=(4 << 20,), dtype="f8", chunks=(1 << 16,),
                                    fillvalue=1.5)
    for i in range(200):
        f["events/l%03d" % i] = ds
def long_series(f):
    eco = f["series/economy"]
    for k in list(eco.keys()):
        del eco[k]
    eco.create_dataset("step", shape=(100_000_000,), dtype="i4", chunks=(1 << 20,))
    eco.create_dataset("gdp", shape=(100_000_000,), dtype="f8", chunks=(1 << 20,), fillvalue=1.0)
def external(f):
    f["events/secret"] = h5py.ExternalLink(d + "/secret.h5", "/")
with h5py.File(d + "/secret.h5", "w") as s:
    s["password"] = np.frombuffer(b"TOPSECRETVALUE", dtype="u1").astype("f8")
variant("hard_cycle.h5", hard_cycle)
variant("soft_cycle.h5", soft_cycle)
variant("many_links.h5", many_links)
variant("long_series.h5", long_series)
variant("external.h5", external)
with h5py.File(d + "/two_attrs.h5", "w") as f:
    f.attrs["format"] = "nqpsim-sweep"
    f.attrs["status"] = "complete"
PY

report_refused() { # NAME PATTERN: report of D/NAME exits 2 with PATTERN, writes nothing
  rm -f "$D/r.html"
  expect_exit 2 "report $1 refused" -- $T "$NQPSIM" report -q "$D/$1" -o "$D/r.html"
  expect_grep "$2" "$SCRATCH/err.txt" "report $1: message"
  [ ! -e "$D/r.html" ] && [ ! -e "$D/r.html.partial" ] && pass "report $1: no file written" ||
    fail "report $1 left a file"
}
report_refused hard_cycle.h5 "/events/loop links to an object already read \(a link cycle"
report_refused soft_cycle.h5 "/events/loop is a soft link .*refused"
report_refused many_links.h5 "/events/l[0-9]+ links to an object already read"
report_refused long_series.h5 "long_series.h5: gdp needs 800.0 MB, more than the .* read budget"
report_refused external.h5 "/events/secret is an external link"
report_refused two_attrs.h5 "two_attrs.h5: not a sweep results file of nqpsim \(no dataset /sweep\)"
expect_exit 0 "compare with a 1e8-step run reads the common 4 steps" -- \
  $T "$NQPSIM" compare "$D/run.h5" "$D/long_series.h5"
expect_exit 2 "compare of two 1e8-step runs refused" -- \
  $T "$NQPSIM" compare "$D/long_series.h5" "$D/long_series.h5"
expect_grep "long_series.h5: [a-z_]+ needs 8000.0 MB, more than .* read budget" "$SCRATCH/err.txt" \
  "compare long_series: message"
expect_exit 0 "info of a file with an external link" -- $T "$NQPSIM" info "$D/external.h5"
if grep -q TOPSECRET "$SCRATCH/out.txt" "$SCRATCH/err.txt"; then fail "info followed the external link"; else pass "info did not follow the external link"; fi
NQPSIM_READ_BUDGET=1000 expect_exit 2 "a tiny read budget refuses the good run" -- \
  "$NQPSIM" report -q "$D/run.h5" -o "$D/r.html"
expect_grep "NQPSIM_READ_BUDGET" "$SCRATCH/err.txt" "the budget message names its variable"

# ---- fuzzing's reproducers: a damaged global heap made libhdf5 loop forever
# (report) or copy overlapping memory; refused before HDF5 decodes it
for r in gheap_loop gheap_overlap; do
  f="$SRC/tests/fuzz/corpus/h5read/regress_$r.h5"
  expect_exit 2 "report of regress_$r.h5" -- timeout 60 "$NQPSIM" report -q "$f" -o "$D/r.html"
  expect_grep "regress_$r.h5: damaged: the global heap .* is inconsistent" "$SCRATCH/err.txt" \
    "regress_$r.h5: report message"
  expect_exit 2 "info of regress_$r.h5" -- timeout 60 "$NQPSIM" info "$f"
  expect_exit 2 "compare of regress_$r.h5" -- timeout 60 "$NQPSIM" compare "$f" "$f"
done
# a label string claiming 2.8 GB: libhdf5 allocated that much before reading it
f="$SRC/tests/fuzz/corpus/h5read/regress_vlen_length.h5"
# (an address-space limit under a plain build; ASan reserves terabytes of
# shadow memory, so a sanitizer build is held to 1 GB per allocation instead)
if ldd "$NQPSIM" | grep -q libasan; then
  ASAN_OPTIONS="${ASAN_OPTIONS:-}:max_allocation_size_mb=1000:allocator_may_return_null=1" \
    timeout 60 "$NQPSIM" info "$f" >/dev/null 2>"$SCRATCH/err.txt"
else
  (ulimit -v 1000000; timeout 60 "$NQPSIM" info "$f" >/dev/null 2>"$SCRATCH/err.txt")
fi
rc=$?
[ $rc -eq 0 ] || [ $rc -eq 2 ] && pass "info of regress_vlen_length.h5 within 1 GB (exit $rc)" ||
  fail "info of regress_vlen_length.h5: exit $rc"

# ---- the good file is intact and still reports
[ "$(md5sum <"$D/run.h5")" = "$sum0" ] && pass "run.h5 unchanged" || fail "run.h5 changed"
expect_exit 0 "the good run still reports" -- "$NQPSIM" report -q "$D/run.h5" -o "$D/good.html"
[ -s "$D/good.html" ] && pass "good report written" || fail "no good report"

# ---- random bit flips: exit 0 or 2, never a crash
N=100
[ "${NQP_FULL:-0}" = 1 ] && N=1000
bad=0
for seed in $(seq 1 $N); do
  $PY - "$D/run.h5" "$D/flip.h5" "$seed" <<'PY'
import random, sys
b = bytearray(open(sys.argv[1], "rb").read())
r = random.Random(int(sys.argv[3]))
i = r.randrange(len(b)) if r.random() < 0.5 else r.randrange(min(len(b), 1 << 17))
b[i] ^= 1 << r.randrange(8)
open(sys.argv[2], "wb").write(b)
PY
  for cmd in info report; do
    if [ $cmd = info ]; then $T "$NQPSIM" info "$D/flip.h5" >/dev/null 2>"$D/flip.err"; rc=$?
    else rm -f "$D/f.html"; $T "$NQPSIM" report -q "$D/flip.h5" -o "$D/f.html" >/dev/null 2>"$D/flip.err"; rc=$?; fi
    if [ $rc -ne 0 ] && { [ $rc -ne 2 ] || ! grep -q "^nqpsim $cmd: " "$D/flip.err"; }; then
      bad=$((bad + 1)); echo "  seed $seed: $cmd exit $rc: $(tail -c 300 "$D/flip.err")"
    fi
  done
done
[ $bad -eq 0 ] && pass "$N bit flips: info and report exit 0 or 2 with a message" ||
  fail "$bad of $((2 * N)) calls on flipped files crashed or had no message"

# ---- sensitivity text readers
S="$NQPSIM sensitivity"
printf 'a 0 1\nb 0 1\n' >"$D/p.txt"
printf 'a 0 1\nb 0 1\na 2 3\n' >"$D/dup.txt"
expect_exit 2 "duplicate parameter names" -- $S sample sobol -p "$D/dup.txt" -n 8 -o "$D/x.txt"
expect_grep "dup.txt:3: duplicate parameter name \"a\" \(first at line 1\)" "$SCRATCH/err.txt" "duplicate: message"
expect_exit 2 "-p /dev/zero" -- $T $S sample sobol -p /dev/zero -n 8 -o "$D/x.txt"
expect_grep "/dev/zero:1: a NUL byte" "$SCRATCH/err.txt" "-p /dev/zero: message"
expect_exit 2 "-Y /dev/zero" -- $T $S analyze sobol -p "$D/p.txt" -Y /dev/zero
expect_grep "/dev/zero:1: a NUL byte" "$SCRATCH/err.txt" "-Y /dev/zero: message"
yes 1 | tr -d '\n' | $T $S analyze sobol -p "$D/p.txt" -Y /dev/stdin >"$SCRATCH/out.txt" 2>"$SCRATCH/err.txt"
[ $? -eq 2 ] && pass "an endless line on stdin (exit 2)" || fail "an endless line on stdin"
expect_grep "/dev/stdin:1: a line longer than" "$SCRATCH/err.txt" "endless line: message"
expect_exit 0 "a good sample" -- $S sample sobol -p "$D/p.txt" -n 8 -o "$D/x.txt" --seed 1
awk '!/^#/ {print $1 + $2}' "$D/x.txt" >"$D/y.txt"
expect_exit 0 "a good analysis" -- $S analyze sobol -p "$D/p.txt" -Y "$D/y.txt" --seed 1
awk '/^#/ {next} {n++} n == 3 {print "nan"; next} n == 5 {print "inf"; next} {print $1 + $2}' \
  "$D/x.txt" >"$D/ynan.txt"
expect_exit 2 "NaN and inf in the outputs" -- $S analyze sobol -p "$D/p.txt" -Y "$D/ynan.txt" --seed 1
expect_grep "ynan.txt:3: row 3, column 1: a model output is NaN" "$SCRATCH/err.txt" "NaN: row named"
expect_grep "ynan.txt:5: row 5, column 1: a model output is infinite" "$SCRATCH/err.txt" "inf: row named"
expect_grep "2 non-finite values" "$SCRATCH/err.txt" "NaN: count"
if [ "${NQP_FULL:-0}" = 1 ]; then
  yes 1 | $T $S analyze sobol -p "$D/p.txt" -Y /dev/stdin >"$SCRATCH/out.txt" 2>"$SCRATCH/err.txt"
  [ $? -eq 2 ] && pass "endless rows on stdin (exit 2)" || fail "endless rows on stdin"
  expect_grep "more than 100000000 rows" "$SCRATCH/err.txt" "endless rows: message"
fi
finish
