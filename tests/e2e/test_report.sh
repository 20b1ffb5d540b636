#!/usr/bin/env bash
# `nqpsim report`: exit codes and messages, the HTML is self-contained (no
# external script, style or link; ECharts and the data inline), the JSON
# inside it agrees with the run file, reports of several runs and of a
# sweep, and bad inputs: a missing file, a directory, not HDF5, truncated,
# an HDF5 file that is not a run, an unfinished run, runs of different
# worlds, a sweep mixed with runs, a bad or unwritable output (all exit 2,
# the file named, nothing written). The output is written as .partial and
# renamed: a failed report leaves an existing output untouched.
. "$(dirname "$0")/lib.sh"
TINY=(--set scale=0.02 --steps 6)
B="$SCRATCH/base.h5" P="$SCRATCH/policy.h5"
expect_exit 0 "base run" -- "$NQPSIM" run -q "${TINY[@]}" -o "$B"
expect_exit 0 "policy run (talent scheme)" -- "$NQPSIM" run -q "${TINY[@]}" \
  --set government.talent.enabled=true -o "$P"

expect_exit 0 "report --help" -- "$NQPSIM" report --help
expect_grep "Sankey" "$SCRATCH/out.txt" "help describes the report"
expect_exit 0 "nqpsim --help" -- "$NQPSIM" --help
expect_grep "report FILE.h5" "$SCRATCH/out.txt" "nqpsim --help lists report"
expect_exit 2 "report without a file" -- "$NQPSIM" report
expect_exit 2 "report with an unknown option" -- "$NQPSIM" report --bogus "$B"

# one run
R="$SCRATCH/base.html"
expect_exit 0 "report of one run" -- "$NQPSIM" report "$B" -o "$R"
expect_grep "^report written to .*base.html \(run, [0-9.]+ MB\)" "$SCRATCH/out.txt" "prints the path"
if [ -s "$R" ] && [ ! -e "$R.partial" ]; then pass "report file written, no .partial left"; else
  fail "report file missing or .partial left"; fi
$PY - "$R" "$B" <<'PYEOF' && pass "self-contained page; JSON agrees with the run file" || fail "page content"
import json, re, sys, h5py, numpy as np
html = open(sys.argv[1], encoding="utf-8").read()
assert html.startswith("<!DOCTYPE html>"), html[:40]
outside = re.sub(r"(<script[^>]*>).*?</script>", r"\1</script>", html, flags=re.S)  # markup only
assert not re.search(r"<script[^>]*\bsrc=|<link\b|<img\b|<iframe\b|@import|url\(", outside), "external resource"
assert outside.count("<script") == 4, outside.count("<script")  # data, warnings, ECharts, report.js
assert "echarts" in html and "window.NQP_BUILD" in html
m = re.search(r'<script type="application/json" id="nqp-data">(.*?)</script>', html, re.S)
d = json.loads(m.group(1))
assert d["kind"] == "runs" and len(d["runs"]) == 1
r = d["runs"][0]
f = h5py.File(sys.argv[2], "r")
ind = [s.decode() for s in f["series/industry/industry"][:]]
reg = [s.decode() for s in f["series/region/region"][:]]
assert [x["id"] for x in r["industries"]] == ind and [x["id"] for x in r["regions"]] == reg
assert r["industries"][0]["zh"] and r["regions"][0]["name"] == "Hefei"
assert r["steps"] == 6 and r["attrs"]["status"] == "complete" and r["scenario"].startswith("#")
def close(a, b):
    a = np.array([np.nan if v is None else v for v in a], float)
    return np.allclose(a, b, rtol=1e-8, atol=0, equal_nan=True)
assert close(r["eco"]["output"], f["series/economy/output"][:])
assert len(r["eco"]) == len([k for k in f["series/economy"] if k != "step"])
for j, name in enumerate(ind):      # industry series: one array over the steps per industry
    assert close(r["ind"]["index_nqp"][j], f["series/industry/index_nqp"][:, j])
for q in range(len(reg)):
    assert close(r["reg"]["digital"][q], f["series/region/digital"][:, q])
ir = r["ir"]["inputs_received"]
assert ir["shape"] == list(f["series/industry_region/inputs_received"].shape)
assert close(ir["data"], f["series/industry_region/inputs_received"][:].ravel())
assert r["meta"]["eco"]["output"] == ["CNY/step", "output at base prices"]
assert r["events"]["kind"]["shape"] == [0]
PYEOF

# default output name; an old report is replaced; a stale .partial goes
cp "$B" "$SCRATCH/copy.h5"
echo stale > "$SCRATCH/copy.html.partial"
echo old > "$SCRATCH/copy.html"
expect_exit 0 "report without -o" -- "$NQPSIM" report -q "$SCRATCH/copy.h5"
if [ -s "$SCRATCH/out.txt" ]; then fail "-q printed"; else pass "-q prints nothing"; fi
if grep -q nqp-data "$SCRATCH/copy.html" && [ ! -e "$SCRATCH/copy.html.partial" ]; then
  pass "default output RUN.html replaced the old file, stale .partial gone"; else
  fail "default output"; fi

# several runs: the first is the baseline
expect_exit 0 "report of two runs" -- "$NQPSIM" report "$B" "$P" -o "$SCRATCH/two.html"
expect_grep "runs compared" "$SCRATCH/out.txt" "two runs: compared"
$PY - "$SCRATCH/two.html" <<'PYEOF' && pass "two runs in the document, levers of the policy" || fail "two runs"
import json, re, sys
d = json.loads(re.search(r'id="nqp-data">(.*?)</script>', open(sys.argv[1]).read(), re.S).group(1))
assert len(d["runs"]) == 2 and d["runs"][0]["levers"] == []
assert [l["key"] for l in d["runs"][1]["levers"]] == ["talent"]
assert d["runs"][1]["events"]["kind"]["data"][0] == "lever_on"
PYEOF
expect_exit 0 "runs of different lengths" -- "$NQPSIM" run -q --set scale=0.02 --steps 4 -o "$SCRATCH/short.h5"
expect_exit 0 "report of runs of different lengths" -- "$NQPSIM" report "$B" "$SCRATCH/short.h5" -o "$SCRATCH/len.html"
expect_grep "warning: .* 6 steps, .* 4: differences cover the common steps" "$SCRATCH/err.txt" "different lengths: a warning"
expect_exit 0 "run with another seed" -- "$NQPSIM" run -q "${TINY[@]}" --seed 5 -o "$SCRATCH/seed5.h5"
expect_exit 0 "report of runs with different seeds" -- "$NQPSIM" report "$B" "$SCRATCH/seed5.h5" -o "$SCRATCH/seed.html"
expect_grep "warning: .*different seeds" "$SCRATCH/err.txt" "different seeds: a warning"
expect_grep "different seeds" "$SCRATCH/seed.html" "the warning is in the page too"

# a sweep
cat >"$SCRATCH/sw.yaml" <<'EOF'
name: report_test
scenario: anhui.yaml
set: [scale=0.02, steps=4]
replicates: 2
design: {method: grid, levels: 2}
parameters:
  - {name: markup, path: industries.nev.markup, min: 0.05, max: 0.3}
metrics:
  - {name: nqp, series: index_nqp}
EOF
expect_exit 0 "sweep" -- "$NQPSIM" sweep -q "$SCRATCH/sw.yaml" -o "$SCRATCH/sw.h5"
expect_exit 0 "report of a sweep" -- "$NQPSIM" report "$SCRATCH/sw.h5" -o "$SCRATCH/sw.html"
expect_grep "\(sweep, " "$SCRATCH/out.txt" "sweep report"
$PY - "$SCRATCH/sw.html" <<'PYEOF' && pass "sweep groups in the document" || fail "sweep document"
import json, re, sys
d = json.loads(re.search(r'id="nqp-data">(.*?)</script>', open(sys.argv[1]).read(), re.S).group(1))
s = d["sweep"]
assert d["kind"] == "sweep" and s["attrs"]["design"] == "grid"
assert s["results"]["value"]["shape"] == [2, 2, 1] and s["results"]["metric"]["data"] == ["nqp"]
assert s["summary"]["quantiles"]["shape"] == [2, 1, 5] and s["design"]["parameter"]["data"] == ["markup"]
assert s["analysis"] is None or "sobol" not in s["analysis"]
assert "report_test" in s["yaml"] and s["labels"]["industries"]["nev"][1]
PYEOF
expect_exit 2 "a sweep with a run" -- "$NQPSIM" report "$SCRATCH/sw.h5" "$B" -o "$SCRATCH/x.html"
expect_grep "a sweep report takes one sweep file" "$SCRATCH/err.txt" "sweep with a run: message"

# bad inputs: exit 2, the file named, no output, an existing output untouched
OUT="$SCRATCH/keep.html"
echo keep > "$OUT"
bad() { # bad DESCRIPTION PATTERN ARGS...
  local what=$1 pat=$2
  shift 2
  expect_exit 2 "$what" -- "$NQPSIM" report "$@" -o "$OUT"
  expect_grep "$pat" "$SCRATCH/err.txt" "$what: message"
  if [ "$(cat "$OUT")" = keep ] && [ ! -e "$OUT.partial" ]; then pass "$what: output untouched"; else
    fail "$what: output changed or .partial left"; fi
}
bad "missing file" "nope.h5: No such file" "$SCRATCH/nope.h5"
bad "a directory" "is a directory" "$SCRATCH"
echo "not hdf5" > "$SCRATCH/text.h5"
bad "not HDF5" "text.h5: not an HDF5 file" "$SCRATCH/text.h5"
head -c 3000 "$B" > "$SCRATCH/trunc.h5"
bad "truncated run file" "trunc.h5: (cannot open|not an HDF5)" "$SCRATCH/trunc.h5"
expect_exit 0 "compare table (HDF5)" -- "$NQPSIM" compare -q "$B" "$P" -o "$SCRATCH/table.h5"
bad "a comparison table" "table.h5: a comparison table" "$SCRATCH/table.h5"
$PY -c "import h5py,sys; h5py.File(sys.argv[1],'w').attrs['x']=1" "$SCRATCH/other.h5"
bad "an HDF5 file that is not a run" "other.h5: not an nqpsim run or sweep file" "$SCRATCH/other.h5"
"$NQPSIM" run -q "${TINY[@]}" -o "$SCRATCH/stopped.h5" --stop-at 3 >/dev/null 2>&1
bad "an unfinished run (.partial)" "stopped.h5.partial: the run is not complete" "$SCRATCH/stopped.h5.partial"
expect_exit 0 "a run of another world" -- "$NQPSIM" run -q teach_bullwhip.yaml --steps 8 -o "$SCRATCH/bull.h5"
bad "runs of different worlds" "different industries or regions" "$B" "$SCRATCH/bull.h5"
bad "good run then missing file" "missing.h5" "$B" "$SCRATCH/missing.h5"

# bad outputs
expect_exit 2 "-o without .html" -- "$NQPSIM" report "$B" -o "$SCRATCH/r.txt"
expect_grep "must end in .html" "$SCRATCH/err.txt" "-o extension: message"
expect_exit 2 "-o in a missing directory" -- "$NQPSIM" report "$B" -o "$SCRATCH/no/dir/r.html"
expect_grep "does not exist" "$SCRATCH/err.txt" "-o missing directory: message"
mkdir -p "$SCRATCH/adir.html"
expect_exit 2 "-o a directory" -- "$NQPSIM" report "$B" -o "$SCRATCH/adir.html"
expect_grep "is a directory" "$SCRATCH/err.txt" "-o directory: message"
if [ "$(id -u)" -ne 0 ]; then
  mkdir -p "$SCRATCH/ro" && chmod 555 "$SCRATCH/ro"
  expect_exit 2 "-o in a read-only directory" -- "$NQPSIM" report "$B" -o "$SCRATCH/ro/r.html"
  expect_grep "not writable" "$SCRATCH/err.txt" "-o read-only directory: message"
fi
expect_exit 2 "-o on a read-only file system" -- "$NQPSIM" report "$B" -o /proc/nqpsim-report.html
expect_grep "nqpsim-report.html" "$SCRATCH/err.txt" "-o read-only file system: message names it"

finish
