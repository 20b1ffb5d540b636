#!/usr/bin/env bash
# Every scenario of the library validates, runs a few steps with the
# invariants checked after each, and runs by its bare name (embedded).
. "$(dirname "$0")/lib.sh"
for f in "$SRC"/scenarios/*.yaml; do
  name=$(basename "$f")
  expect_exit 0 "validate $name" -- "$NQPSIM" validate "$f"
  expect_exit 0 "run $name (3 steps, --check)" -- "$NQPSIM" run -q "$f" --steps 3 --set scale=0.02 --check --no-output
done
expect_exit 0 "an embedded scenario runs by name" -- "$NQPSIM" run -q teach_bullwhip.yaml --steps 2 --no-output
expect_exit 2 "an unknown bare name is an error" -- "$NQPSIM" run -q no_such_scenario.yaml --no-output
finish
