#!/usr/bin/env bash
# `nqpsim compare BASE.h5 POLICY.h5`: exit codes, identical runs give
# all-zero differences, the CSV table parses with Python's csv module and
# agrees with the run files, the HDF5 table opens in h5py, and files that
# cannot be compared (different regions, not complete, not HDF5, truncated)
# are rejected with exit 2 and the file named.
. "$(dirname "$0")/lib.sh"
TINY=(--set scale=0.02 --steps 6)
B="$SCRATCH/base.h5" P="$SCRATCH/policy.h5"
expect_exit 0 "base run" -- "$NQPSIM" run -q "${TINY[@]}" -o "$B"
expect_exit 0 "policy run (talent scheme)" -- "$NQPSIM" run -q "${TINY[@]}" \
  --set government.talent.enabled=true -o "$P"

expect_exit 0 "compare --help" -- "$NQPSIM" compare --help
expect_grep "horizons" "$SCRATCH/out.txt" "help lists --horizons"
expect_exit 0 "compare lists in the command table" -- "$NQPSIM" --help
expect_grep "compare BASE.h5 POLICY.h5" "$SCRATCH/out.txt" "nqpsim --help shows compare"

expect_exit 0 "compare base with policy" -- "$NQPSIM" compare "$B" "$P"
expect_grep "^economy all" "$SCRATCH/out.txt" "economy section"
expect_grep "^kind technology" "$SCRATCH/out.txt" "technology-intensive section"
expect_grep "^kind labour" "$SCRATCH/out.txt" "labour-intensive section"
expect_grep "^region hefei \(Hefei\)" "$SCRATCH/out.txt" "region section with its name"
expect_grep "lever_spending +CNY/step +\+1e\+06 \(n/a\)" "$SCRATCH/out.txt" \
  "lever spending from 0: difference and n/a percent"
expect_grep "step 3 +step 4 +step 5" "$SCRATCH/out.txt" "default horizons 4, middle, last"

# identical runs: every difference is 0 (or undefined)
expect_exit 0 "identical runs to CSV" -- "$NQPSIM" compare "$B" "$B" --by economy,kind,region,industry \
  --horizons 0,2,end -o "$SCRATCH/same.csv"
$PY - "$SCRATCH/same.csv" <<'PYEOF' && pass "identical runs: all differences zero" || fail "identical runs"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert rows, "empty table"
assert set(r["group"] for r in rows) == {"economy", "kind", "region", "industry"}
assert set(r["horizon_step"] for r in rows) == {"0", "2", "5"}
for r in rows:
    assert r["diff"] in ("", "0"), r
    assert r["pct"] in ("", "0"), r
PYEOF
if grep -q warning "$SCRATCH/err.txt"; then fail "identical runs warn"; else pass "identical runs: no warning"; fi

# the CSV agrees with the run files, kind sums with industry sums
expect_exit 0 "compare to CSV" -- "$NQPSIM" compare "$B" "$P" -q --metrics output,tfp,index_nqp \
  --by economy,kind,industry --horizons 1,end -o "$SCRATCH/effect.csv"
if [ -s "$SCRATCH/out.txt" ]; then fail "-q printed a table"; else pass "-q: no table"; fi
$PY - "$SCRATCH/effect.csv" "$B" "$P" <<'PYEOF' && pass "CSV values match the run files" || fail "CSV values"
import csv, math, sys, h5py
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert list(rows[0].keys()) == ["metric", "group", "level", "label", "horizon_step",
                                "base", "policy", "diff", "pct"], rows[0].keys()
b, p = h5py.File(sys.argv[2], "r"), h5py.File(sys.argv[3], "r")
ind = [s.decode() for s in b["series/industry/industry"][:]]
get = {(r["metric"], r["group"], r["level"], int(r["horizon_step"])): r for r in rows}
def close(a, c):
    return abs(a - c) <= 1e-12 * max(1.0, abs(c))
for s in (1, 5):
    r = get[("output", "economy", "all", s)]
    bo, po = b["series/economy/output"][s], p["series/economy/output"][s]
    assert close(float(r["base"]), bo) and close(float(r["policy"]), po), r
    assert close(float(r["diff"]), po - bo), r
    assert close(float(r["pct"]), 100 * (po - bo) / abs(bo)), r
    tot = 0.0
    for k in ("technology", "labour"):
        tot += float(get[("output", "kind", k, s)]["base"])
    assert close(tot, bo), (tot, bo)
    for i, name in enumerate(ind):
        r = get[("tfp", "industry", name, s)]
        assert close(float(r["base"]), b["series/industry/tfp"][s, i]), r
PYEOF

expect_exit 0 "compare to HDF5" -- "$NQPSIM" compare "$B" "$P" -q -o "$SCRATCH/effect.h5"
$PY - "$SCRATCH/effect.h5" <<'PYEOF' && pass "HDF5 table opens in h5py" || fail "HDF5 table"
import sys, h5py
f = h5py.File(sys.argv[1], "r")
assert f.attrs["format"] == "nqpsim-compare"
n = f["row"].shape[0]
for c in ("metric", "units", "group", "level", "label", "horizon_step", "base", "policy", "diff", "pct"):
    assert f[c].shape == (n,), c
    assert f[c].dims[0].keys() == ["row"], c
PYEOF

# input errors: exit 2, file named
expect_exit 2 "no arguments" -- "$NQPSIM" compare
expect_exit 2 "missing file" -- "$NQPSIM" compare "$B" "$SCRATCH/none.h5"
expect_grep "none.h5" "$SCRATCH/err.txt" "missing file named"
echo "this is not HDF5" >"$SCRATCH/junk.h5"
expect_exit 2 "non-HDF5 file" -- "$NQPSIM" compare "$B" "$SCRATCH/junk.h5"
expect_grep "junk.h5: not an HDF5 file" "$SCRATCH/err.txt" "non-HDF5 file named"
head -c 30000 "$B" >"$SCRATCH/trunc.h5"
expect_exit 2 "truncated file" -- "$NQPSIM" compare "$SCRATCH/trunc.h5" "$P"
expect_grep "trunc.h5" "$SCRATCH/err.txt" "truncated file named"
cp "$P" "$SCRATCH/regions.h5" # other labels, in a file of an older version (no meta_hash)
$PY -c 'import sys, h5py; f = h5py.File(sys.argv[1], "r+"); f["series/region/region"][0] = b"elsewhere"; del f.attrs["meta_hash"]' \
  "$SCRATCH/regions.h5"
expect_exit 2 "mismatched regions" -- "$NQPSIM" compare "$B" "$SCRATCH/regions.h5"
expect_grep "different regions" "$SCRATCH/err.txt" "mismatched regions explained"
cp "$P" "$SCRATCH/failed.h5"
$PY -c 'import sys, h5py; f = h5py.File(sys.argv[1], "r+"); f.attrs["status"] = "failed"' \
  "$SCRATCH/failed.h5"
expect_exit 2 "incomplete run" -- "$NQPSIM" compare "$B" "$SCRATCH/failed.h5"
expect_grep "failed.h5: not a complete run" "$SCRATCH/err.txt" "incomplete run named"
expect_exit 0 "steps_per_year 12 run" -- "$NQPSIM" run -q "${TINY[@]}" --set steps_per_year=12 \
  -o "$SCRATCH/monthly.h5"
expect_exit 2 "different steps_per_year" -- "$NQPSIM" compare "$B" "$SCRATCH/monthly.h5"
# an unreadable stored scenario in a file of an older version (no meta_hash: a
# current file whose /scenario changed is refused as corrupt, test_bad_inputs.sh)
cp "$B" "$SCRATCH/noscn.h5"
$PY -c 'import sys, h5py; f = h5py.File(sys.argv[1], "r+"); del f["scenario"]; f["scenario"] = "name: [x"; del f.attrs["meta_hash"]' \
  "$SCRATCH/noscn.h5"
expect_exit 0 "unreadable stored scenario: other levels still compared" -- "$NQPSIM" compare \
  "$SCRATCH/noscn.h5" "$P" --by economy,kind
expect_grep "no rows by kind" "$SCRATCH/err.txt" "kind rows dropped with a warning"
expect_exit 2 "unreadable stored scenario, --by kind alone" -- "$NQPSIM" compare "$SCRATCH/noscn.h5" \
  "$P" --by kind
expect_exit 2 "no metric at the requested levels" -- "$NQPSIM" compare "$B" "$P" --by region \
  --metrics lever_spending
expect_exit 2 "unknown metric" -- "$NQPSIM" compare "$B" "$P" --metrics outptu
expect_grep 'did you mean "output"' "$SCRATCH/err.txt" "did-you-mean hint"
expect_exit 2 "horizon past the end" -- "$NQPSIM" compare "$B" "$P" --horizons 6
expect_exit 2 "unknown level" -- "$NQPSIM" compare "$B" "$P" --by city
expect_exit 2 "unknown table format" -- "$NQPSIM" compare "$B" "$P" -o "$SCRATCH/t.txt"
expect_exit 2 "-o names a compared run" -- "$NQPSIM" compare "$B" "$P" -o "$P"
expect_exit 0 "policy run untouched" -- "$NQPSIM" info "$P"

# different seeds: a warning, not an error
expect_exit 0 "run with another seed" -- "$NQPSIM" run -q "${TINY[@]}" --seed 7 -o "$SCRATCH/seed7.h5"
expect_exit 0 "different seeds compare" -- "$NQPSIM" compare "$B" "$SCRATCH/seed7.h5" --by economy
expect_grep "common random numbers" "$SCRATCH/err.txt" "seed warning"
finish
