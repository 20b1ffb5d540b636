#!/usr/bin/env bash
# make check-full only (NQP_FULL=1): the industry channels of
# docs/validation.md s.6, as a statistical test with fixed seeds. 24
# replicate seeds (common random numbers: each seed runs the baseline, the
# compute network and shared factories on all industries), 95% normal
# confidence intervals over the seeds; each assertion is one the page
# states as significant, so a model change that loses it fails here.
# About 5 minutes on 2 cores. Skipped (exit 77) in the quick tier.
. "$(dirname "$0")/lib.sh"
if [ -z "${NQP_FULL:-}" ]; then
  echo "skipped: the 72 channel runs are made in make check-full (NQP_FULL=1)"
  exit 77
fi
expect_exit 0 "channels_replicates.sh, 24 seeds" -- \
  bash "$SRC/tools/channels_replicates.sh" "$NQPSIM" "$SCRATCH/runs" 24
cp "$SCRATCH/out.txt" "$SCRATCH/channels.txt"
cat >"$SCRATCH/check.py" <<'PY'
import re, sys
rows = {}
num = r"([+-][0-9.]+) \(([+-][0-9.]+),([+-][0-9.]+)\)"
for line in open(sys.argv[1]):
    m = re.match(r"(cn|sf)\s+(.+?)\s+" + num + r"\s+" + num + r"\s+" + num + r"\s*$", line)
    if m:
        g = [float(x) for x in m.groups()[2:]]
        rows[(m.group(1), m.group(2))] = {"tech": g[0:3], "labour": g[3:6], "diff": g[6:9]}
bad = []
def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        bad.append(what)
def lo(lever, var, col): return rows[(lever, var)][col][1]
def hi(lever, var, col): return rows[(lever, var)][col][2]
# shared factories: labour-intensive jobs rise, more than technology-intensive
for v in ("dlog employment_skilled", "dlog employment_unskilled"):
    check(lo("sf", v, "labour") > 0, "shared factories raise labour-intensive %s" % v)
    check(hi("sf", v, "diff") < 0, "... more than technology-intensive %s" % v)
check(hi("sf", "d legacy_share", "labour") < 0, "shared factories scrap labour-intensive legacy capital")
check(lo("sf", "d legacy_share", "diff") > 0, "... more than technology-intensive (legacy share falls more)")
# compute network: technology-intensive TFP, output, output per worker rise
for v in ("dlog tfp", "dlog output", "dlog output_per_worker"):
    check(lo("cn", v, "tech") > 0, "compute network raises technology-intensive %s" % v)
# labour-intensive adopt more digital technology and automate more
check(hi("cn", "d digital", "diff") < 0, "labour-intensive D rises more under the compute network")
check(hi("cn", "d automation", "diff") < 0, "labour-intensive automation rises more")
sys.exit(1 if bad else 0)
PY
expect_exit 0 "the channels of docs/validation.md s.6 hold" -- $PY "$SCRATCH/check.py" "$SCRATCH/channels.txt"
cat "$SCRATCH/out.txt"
finish
