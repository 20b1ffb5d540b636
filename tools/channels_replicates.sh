#!/usr/bin/env bash
# Replicate study of the channels by industry type (docs/validation.md s.6):
# for seeds 1..N, the baseline, the compute network and shared factories,
# both applied to all industries with unlimited budgets; then
# tools/channels_replicates.py prints the mean policy-minus-baseline
# differences by industry type with 95% confidence intervals.
# usage: tools/channels_replicates.sh NQPSIM OUTDIR [N] [--set KEY=VALUE ...]
# (the --set options apply to all three runs: an ablation of a mechanism)
set -euo pipefail
N="$1"; OUT="$2"; SEEDS="${3:-12}"
shift $(($# < 3 ? $# : 3))
mkdir -p "$OUT"
BIG=(--set government.initial_reserve=100000 "$@")
for s in $(seq 1 "$SEEDS"); do
  "$N" run -q --seed "$s" "${BIG[@]}" -o "$OUT/base_$s.h5" --force
  "$N" run -q lever_compute_network.yaml --seed "$s" --set 'government.compute_network.industries=[]' \
    --set government.compute_network.budget=10000 "${BIG[@]}" -o "$OUT/cn_$s.h5" --force
  "$N" run -q lever_shared_factory.yaml --seed "$s" --set 'government.shared_factory.industries=[]' \
    --set government.shared_factory.budget=10000 "${BIG[@]}" -o "$OUT/sf_$s.h5" --force
done
/usr/bin/python3 "$(dirname "$0")/channels_replicates.py" "$OUT" "$SEEDS"
