#!/usr/bin/env bash
# The CLI's contract: exit codes (0 ok, 1 runtime, 2 bad input), messages
# naming file:line:column and key, help for each command, output safety.
. "$(dirname "$0")/lib.sh"
expect_exit 0 "--version" -- "$NQPSIM" --version
expect_grep "^nqpsim [0-9]+\.[0-9]+\.[0-9]+" "$SCRATCH/out.txt" "--version prints the version"
for c in run validate info schema; do
  expect_exit 0 "$c --help" -- "$NQPSIM" $c --help
  expect_grep "usage: nqpsim $c" "$SCRATCH/out.txt" "$c --help shows its usage"
done
expect_exit 2 "no command" -- "$NQPSIM"
expect_exit 2 "unknown command" -- "$NQPSIM" frobnicate
expect_exit 2 "unknown option" -- "$NQPSIM" run --frob
expect_exit 2 "bad --threads" -- "$NQPSIM" run --threads zero
expect_grep "--threads: expected an integer" "$SCRATCH/err.txt" "bad --threads explained"
expect_exit 0 "validate the embedded baseline's file" -- "$NQPSIM" validate "$SRC/scenarios/anhui.yaml"

cat >"$SCRATCH/bad.yaml" <<'YAML'
extends: anhui.yaml
firm:
  lead_tme: 2
YAML
expect_exit 2 "unknown key rejected" -- "$NQPSIM" validate "$SCRATCH/bad.yaml"
expect_grep "bad.yaml:3:3: firm.lead_tme" "$SCRATCH/err.txt" "unknown key names file:line:column and key path"
expect_grep "did you mean \"?lead_time" "$SCRATCH/err.txt" "unknown key gets a did-you-mean hint"

cat >"$SCRATCH/range.yaml" <<'YAML'
extends: anhui.yaml
steps: -3
YAML
expect_exit 2 "out-of-range value rejected" -- "$NQPSIM" validate "$SCRATCH/range.yaml"
expect_grep "range.yaml:2:8: steps: expected" "$SCRATCH/err.txt" "range error names position, key, expectation"

expect_exit 2 "bad --set key" -- "$NQPSIM" run -q --set firm.nope=1 -o "$SCRATCH/x.h5"
expect_grep "firm.nope" "$SCRATCH/err.txt" "bad --set names the key"
[ ! -e "$SCRATCH/x.h5" ] && [ ! -e "$SCRATCH/x.h5.partial" ] && pass "bad input leaves no file" || fail "bad input left a file"

expect_exit 0 "small run" -- "$NQPSIM" run "${SMALL[@]}" -o "$SCRATCH/run.h5"
expect_grep "run complete" "$SCRATCH/out.txt" "summary printed"
expect_grep "step 10/10" "$SCRATCH/err.txt" "progress lines when stderr is not a terminal"
[ -e "$SCRATCH/run.h5" ] && [ ! -e "$SCRATCH/run.h5.partial" ] && pass "complete run renamed to its final name" || fail "final file missing"
expect_exit 2 "existing output not overwritten" -- "$NQPSIM" run -q "${SMALL[@]}" -o "$SCRATCH/run.h5"
expect_grep "exists.*--force" "$SCRATCH/err.txt" "overwrite refusal explains --force"
expect_exit 0 "--force replaces" -- "$NQPSIM" run -q "${SMALL[@]}" -o "$SCRATCH/run.h5" --force
expect_exit 0 "info on a run" -- "$NQPSIM" info "$SCRATCH/run.h5"
expect_grep "complete" "$SCRATCH/out.txt" "info shows the status"
expect_grep "seed" "$SCRATCH/out.txt" "info shows provenance"
echo "not hdf5" >"$SCRATCH/junk.h5"
expect_exit 2 "info on a non-HDF5 file" -- "$NQPSIM" info "$SCRATCH/junk.h5"
expect_exit 2 "info on a missing file" -- "$NQPSIM" info "$SCRATCH/missing.h5"
expect_exit 0 "run with --check (invariants every step)" -- "$NQPSIM" run -q "${SMALL[@]}" --check --no-output
finish
