#!/usr/bin/env bash
# `nqpsim sweep`: results identical for 1 and 2 threads; a run of the sweep
# equals `nqpsim run` with its overrides and seed; the results file reads
# with xarray and is consistent (summaries, seeds, design); bad sweep files
# exit 2 with FILE:LINE:COLUMN; an existing results file needs --force.
. "$(dirname "$0")/lib.sh"
CHECK="$SRC/tests/e2e/check_sweep.py"

cat >"$SCRATCH/sobol.yaml" <<'YAML'
name: e2e-sobol
set: [scale=0.02, steps=6, government.talent.enabled=true]
seed: 11
replicates: 2
design: {method: sobol, samples: 4}
analysis: {bootstrap: 50}
parameters:
  - {name: talent, path: government.talent.intensity, min: 0.1, max: 0.9}
  - {path: firm.lead_time, min: 0, max: 3}
  - {path: market.replicator_chi, min: 0.3, max: 3, distribution: loguniform}
metrics:
  - {name: va, series: value_added}
  - {name: nqp, series: index_nqp, statistic: mean, from: 2}
  - {name: nev_peak, series: output, group: industry, industry: nev, statistic: peak}
  - {name: emp_growth, series: employment_skilled, statistic: growth}
YAML

expect_exit 0 "sweep --help" -- "$NQPSIM" sweep --help
expect_grep "usage: nqpsim sweep" "$SCRATCH/out.txt" "sweep --help shows its usage"
expect_exit 0 "sweep --schema" -- "$NQPSIM" sweep --schema
expect_grep "design.method" "$SCRATCH/out.txt" "the schema lists design.method"
expect_exit 0 "dry run" -- "$NQPSIM" sweep "$SCRATCH/sobol.yaml" --dry-run
expect_grep "sobol design, 20 points x 2 replicates = 40 runs" "$SCRATCH/out.txt" "dry run prints the design size"

expect_exit 0 "sobol sweep, 1 thread" -- "$NQPSIM" sweep "$SCRATCH/sobol.yaml" -o "$SCRATCH/t1.h5"
expect_grep "^  parameter +S1" "$SCRATCH/out.txt" "the summary table ranks the indices"
expect_exit 0 "sobol sweep, 2 threads" -- "$NQPSIM" sweep -q --threads 2 "$SCRATCH/sobol.yaml" -o "$SCRATCH/t2.h5"
expect_exit 0 "1 vs 2 threads identical" -- $PY "$SRC/tests/e2e/h5compare.py" "$SCRATCH/t1.h5" "$SCRATCH/t2.h5"
expect_exit 0 "results file structure and consistency (xarray, h5py)" -- $PY "$CHECK" file "$SCRATCH/t1.h5"
expect_exit 0 "a sweep run equals nqpsim run with its overrides and seed" -- $PY "$CHECK" run "$SCRATCH/t1.h5" 7 1
[ ! -e "$SCRATCH/t1.h5.journal" ] && pass "no journal left after a complete sweep" || fail "journal left behind"

expect_exit 2 "existing results need --force" -- "$NQPSIM" sweep -q "$SCRATCH/sobol.yaml" -o "$SCRATCH/t1.h5"
expect_grep "t1.h5 exists \(use --force" "$SCRATCH/err.txt" "existing results explained"
expect_exit 0 "--force replaces" -- "$NQPSIM" sweep -q --force "$SCRATCH/sobol.yaml" -o "$SCRATCH/t1.h5"

# Without common random numbers the seeds differ between points.
sed 's/^seed: 11/seed: 11\ncommon_random_numbers: false/' "$SCRATCH/sobol.yaml" >"$SCRATCH/nocrn.yaml"
expect_exit 0 "sweep without common random numbers" -- "$NQPSIM" sweep -q "$SCRATCH/nocrn.yaml" -o "$SCRATCH/nocrn.h5"
expect_exit 0 "CRN off changes the results" -- $PY "$SRC/tests/e2e/h5compare.py" "$SCRATCH/t1.h5" "$SCRATCH/nocrn.h5" --expect-different

# Replicates, grid and Morris designs.
cat >"$SCRATCH/rep.yaml" <<'YAML'
set: [scale=0.02, steps=6]
replicates: 6
analysis: {target_ci: 0.01}
metrics:
  - {name: va, series: value_added}
YAML
expect_exit 0 "replicates sweep" -- "$NQPSIM" sweep "$SCRATCH/rep.yaml" -o "$SCRATCH/rep.h5"
expect_grep "replicates for a 95% CI of \+- 1% of the mean: [0-9]+" "$SCRATCH/out.txt" "replicate planning printed"
expect_exit 0 "replicates file consistent" -- $PY "$CHECK" file "$SCRATCH/rep.h5"
cat >"$SCRATCH/morris.yaml" <<'YAML'
set: [scale=0.02, steps=6]
design: {method: morris, samples: 3, levels: 4}
parameters:
  - {path: firm.safety_stock, min: 0, max: 2}
  - {path: market.wage_adjust, min: 0, max: 0.1}
metrics:
  - {name: va, series: value_added}
YAML
expect_exit 0 "morris sweep" -- "$NQPSIM" sweep "$SCRATCH/morris.yaml" -o "$SCRATCH/morris.h5"
expect_grep "mu\*" "$SCRATCH/out.txt" "morris table printed"
expect_exit 0 "morris file consistent" -- $PY "$CHECK" file "$SCRATCH/morris.h5"
sed 's/method: morris, samples: 3, levels: 4/method: grid, levels: 3/' "$SCRATCH/morris.yaml" >"$SCRATCH/grid.yaml"
expect_exit 0 "grid sweep" -- "$NQPSIM" sweep "$SCRATCH/grid.yaml" -o "$SCRATCH/grid.h5"
expect_grep "highest means \(of 9 points\)" "$SCRATCH/out.txt" "grid table printed"

# Runs the scenario rejects (each parameter valid alone, not together) are
# recorded as failed with the reason; the sweep completes.
cat >"$SCRATCH/fail.yaml" <<'YAML'
set: [scale=0.02, steps=6]
design: {method: grid, levels: 2}
parameters:
  - {path: industries.nev.inputs.it, min: 0.1, max: 0.55}
  - {path: industries.nev.inputs.ai, min: 0.03, max: 0.4}
metrics:
  - {name: va, series: value_added}
YAML
expect_exit 0 "a sweep with rejected runs completes" -- "$NQPSIM" sweep "$SCRATCH/fail.yaml" -o "$SCRATCH/fail.h5"
expect_grep "1 of 4 runs failed: see runs/status and runs/message" "$SCRATCH/out.txt" "failures reported"
$PY -c "
import h5py, numpy as np, sys
f = h5py.File(sys.argv[1], 'r')
st, msg, v = f['runs/status'][:], f['runs/message'][:], f['results/value'][:]
ok = st[3, 0] == 2 and b'base scenario' in msg[3, 0] and b'summing below 0.95' in msg[3, 0] \
     and np.isnan(v[3, 0, 0]) and (st[:3] == 0).all() and f['summary/n'][3, 0] == 0
sys.exit(0 if ok else 1)" "$SCRATCH/fail.h5" && pass "status 2, message, NaN metric, n = 0" || fail "failed run records"

# Bad sweep files: exit 2, FILE:LINE:COLUMN: key.path.
cat >"$SCRATCH/bad1.yaml" <<'YAML'
design: {method: lhs}
parameters:
  - {path: firm.safety_stock, min: 2, max: 1}
metrics:
  - {name: va, series: value_added}
YAML
expect_exit 2 "inverted range" -- "$NQPSIM" sweep "$SCRATCH/bad1.yaml" -o "$SCRATCH/x.h5"
expect_grep "bad1.yaml:3:44: parameters\[0\].max: expected max > min, found an inverted range" "$SCRATCH/err.txt" "inverted range located"
cat >"$SCRATCH/bad2.yaml" <<'YAML'
design: {method: lhs}
parameters:
  - {path: firm.safty_stock, min: 0, max: 1}
metrics:
  - {name: va, series: value_addd}
YAML
expect_exit 2 "unknown parameter path and series" -- "$NQPSIM" sweep "$SCRATCH/bad2.yaml" -o "$SCRATCH/x.h5"
expect_grep "bad2.yaml:3:12: parameters\[0\].path: not a scenario field: .*did you mean \"safety_stock\"" "$SCRATCH/err.txt" "unknown path located, with a hint"
expect_grep "bad2.yaml:5:24: metrics\[0\].series: unknown series \"value_addd\" \(did you mean \"value_added\"\?\)" "$SCRATCH/err.txt" "unknown series located, with a hint"
[ ! -e "$SCRATCH/x.h5" ] && [ ! -e "$SCRATCH/x.h5.partial" ] && pass "no file for a bad sweep" || fail "a bad sweep left a file"
expect_exit 2 "missing sweep file" -- "$NQPSIM" sweep "$SCRATCH/none.yaml"
expect_exit 2 "two sweep files" -- "$NQPSIM" sweep a.yaml b.yaml
expect_exit 2 "bad --threads" -- "$NQPSIM" sweep "$SCRATCH/rep.yaml" --threads 0

# The example sweeps of scenarios/sweeps/ are valid (checked, not run).
for f in "$SRC"/scenarios/sweeps/*.yaml; do
  expect_exit 0 "example $(basename "$f") is valid" -- "$NQPSIM" sweep "$f" --dry-run
done
finish
