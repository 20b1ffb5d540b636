#!/usr/bin/env bash
# Python with Debian's packages: every ```python block of docs/python.md runs
# (in order, in one interpreter) on small runs and sweeps made here under the
# names the page uses, and writes its figures; tools/plot_run.py draws a
# run, a shock run, a replicate sweep and a Sobol' sweep with matplotlib
# (Agg) into PNG files, and rejects a file that is not a run or sweep (2).
# The page's in-process blocks import the package python/nqpsim (PYTHONPATH)
# with the libnqpsim.so next to $NQPSIM (NQPSIM_LIB), so they need the
# library of this build.
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/python/binding_env.sh"
[ -n "$NQPSIM_LIB" ] || fail "$(dirname "$NQPSIM")/libnqpsim.so not built: the in-process blocks cannot run"
T=(--set scale=0.02 --steps 12)
mkdir -p "$SCRATCH/runs"
cd "$SCRATCH" || exit 1
expect_exit 0 "baseline run" -- "$NQPSIM" run -q "${T[@]}" -o runs/anhui.h5
expect_exit 0 "chip-shortage run" -- "$NQPSIM" run -q teach_chip_shortage.yaml "${T[@]}" -o runs/chip.h5
expect_exit 0 "talent-lever run" -- "$NQPSIM" run -q lever_talent.yaml "${T[@]}" -o runs/lever_talent.h5
cat > replicates.yaml <<'EOF'
name: python_replicates
scenario: anhui.yaml
set: [scale=0.02, steps=8]
replicates: 4
metrics:
  - {name: nqp_final, series: index_nqp}
  - {name: va_total, series: value_added, statistic: sum}
EOF
cat > levers.yaml <<'EOF'
name: python_sobol
scenario: anhui.yaml
set: [scale=0.02, steps=6, government.talent.enabled=true]
design: {method: sobol, samples: 4}
analysis: {bootstrap: 50}
parameters:
  - {name: talent, path: government.talent.intensity, min: 0, max: 1}
  - {name: markup, path: industries.nev.markup, min: 0.05, max: 0.3}
metrics:
  - {name: nqp_final, series: index_nqp}
EOF
expect_exit 0 "replicate sweep" -- "$NQPSIM" sweep -q replicates.yaml -o runs/replicates.h5
expect_exit 0 "Sobol' sweep" -- "$NQPSIM" sweep -q levers.yaml -o runs/levers.h5

$PY - "$SRC/docs/python.md" > blocks.py <<'PYEOF'
import re, sys
blocks = re.findall(r"```python\n(.*?)```", open(sys.argv[1], encoding="utf-8").read(), re.S)
assert len(blocks) >= 6, len(blocks)
print("\n".join(blocks))
PYEOF
expect_exit 0 "every Python block of docs/python.md runs" -- py_binding blocks.py
for png in chip.png sobol.png; do
  if [ -s "$png" ] && head -c 8 "$png" | grep -q PNG; then pass "docs/python.md wrote $png"; else
    fail "docs/python.md: $png missing"; fi
done

for f in anhui chip replicates levers; do
  expect_exit 0 "tools/plot_run.py $f" -- $PY "$SRC/tools/plot_run.py" "runs/$f.h5" -o "plot-$f.png"
  expect_grep "figure written to plot-$f.png" "$SCRATCH/out.txt" "plot_run.py $f: message"
  if [ "$(stat -c %s "plot-$f.png" 2>/dev/null || echo 0)" -gt 20000 ] && head -c 8 "plot-$f.png" | grep -q PNG; then
    pass "plot-$f.png is a PNG figure"; else fail "plot-$f.png"; fi
done
expect_exit 0 "plot_run.py default output name" -- $PY "$SRC/tools/plot_run.py" runs/chip.h5
if [ -s runs/chip.png ]; then pass "default output runs/chip.png"; else fail "default output"; fi
echo "not hdf5" > text.h5
expect_exit 2 "plot_run.py on a non-HDF5 file" -- $PY "$SRC/tools/plot_run.py" text.h5
expect_exit 2 "plot_run.py without a file" -- $PY "$SRC/tools/plot_run.py"
finish
