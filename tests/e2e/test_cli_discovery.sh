#!/usr/bin/env bash
# Finding things without the source tree: `nqpsim list` names every embedded
# scenario and sweep with its description; mistyped commands, scenario and
# sweep names get a did-you-mean; a name may leave out ".yaml"; an embedded
# sweep runs by name; `validate` on a sweep file points to `sweep --dry-run`.
. "$(dirname "$0")/lib.sh"
cd "$SCRATCH" || exit 1 # no scenario files here: names resolve to the embedded ones

expect_exit 0 "list" -- "$NQPSIM" list
for f in "$SRC"/scenarios/*.yaml "$SRC"/scenarios/sweeps/*.yaml; do
  expect_grep "^  $(basename "$f") +[A-Z]" "$SCRATCH/out.txt" "list names $(basename "$f") with a description"
done
expect_grep "^  anhui.yaml +Anhui baseline: the ten emerging industries" "$SCRATCH/out.txt" \
  "a description is the file's first comment sentence"
expect_exit 0 "list --help" -- "$NQPSIM" list --help
expect_exit 2 "list with an argument" -- "$NQPSIM" list extra

expect_exit 2 "a mistyped command" -- "$NQPSIM" lsit
expect_grep 'unknown command "lsit" \(did you mean "list"\?\)' "$SCRATCH/err.txt" "a mistyped command gets a did-you-mean"
expect_exit 2 "a far-off command" -- "$NQPSIM" frobnicate
expect_grep 'unknown command "frobnicate"$' "$SCRATCH/err.txt" "no hint when nothing is close"

expect_exit 2 "a mistyped embedded scenario" -- "$NQPSIM" run lever_datapledge.yaml -o "$SCRATCH/x.h5"
expect_grep 'lever_datapledge.yaml: cannot read: No such file or directory, and no embedded scenario of that name \(did you mean "lever_data_pledge.yaml"\?\)' \
  "$SCRATCH/err.txt" "a mistyped embedded name gets a did-you-mean"
[ ! -e "$SCRATCH/x.h5" ] && pass "no output for a bad name" || fail "an output was written for a bad name"
expect_exit 2 "an unknown plain name" -- "$NQPSIM" validate zzzzzz.yaml
expect_grep 'no embedded scenario of that name \(`nqpsim list` shows the embedded files\)' "$SCRATCH/err.txt" \
  "a name with no close match points to nqpsim list"
expect_exit 0 "an embedded name without .yaml" -- "$NQPSIM" validate lever_talent
expect_grep 'lever_talent: valid scenario' "$SCRATCH/out.txt" "lever_talent means lever_talent.yaml"

expect_exit 0 "an embedded sweep by name" -- "$NQPSIM" sweep baseline_replicates --dry-run
expect_grep '^sweep baseline_replicates \(baseline_replicates.yaml\)' "$SCRATCH/out.txt" "the embedded sweep's design is printed"
expect_exit 2 "a mistyped sweep name" -- "$NQPSIM" sweep levers_sobl.yaml --dry-run
expect_grep 'no embedded sweep of that name \(did you mean "levers_sobol.yaml"\?\)' "$SCRATCH/err.txt" \
  "a mistyped sweep name gets a did-you-mean"

expect_exit 2 "validate on a sweep file" -- "$NQPSIM" validate "$SRC/scenarios/sweeps/levers_sobol.yaml"
expect_grep 'levers_sobol.yaml: a sweep file \([0-9]+ runs\), not a scenario: `nqpsim sweep .*levers_sobol.yaml --dry-run`' \
  "$SCRATCH/err.txt" "validate recognises a sweep file and points to sweep --dry-run"
[ "$(wc -l <"$SCRATCH/err.txt")" -eq 1 ] && pass "one line, not the scenario errors" ||
  fail "validate on a sweep printed $(wc -l <"$SCRATCH/err.txt") lines"
finish
