#!/usr/bin/env bash
# Reports in a real browser: writes every kind of report (one run, a shock
# run, a policy comparison of three runs, and sweeps: a replicate study with
# a time profile, a Sobol' design, a Morris design) and renders each in
# headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core,
# which the build installs into BUILD/npm from report/package-lock.json) with
# tests/e2e/report_browser.js: no console or page error, no network request,
# every chart drawn with data. Screenshots are kept as test artefacts in
# BUILD/artefacts/report-*.png (BUILD: the directory of the nqpsim binary).
. "$(dirname "$0")/lib.sh"
BUILD=$(cd "$(dirname "$NQPSIM")" && pwd)
PW="$BUILD/npm/node_modules/playwright-core"
ART="$BUILD/artefacts"
for need in /usr/bin/chromium "$PW/package.json"; do
  if [ ! -e "$need" ]; then
    echo "FAIL - $need is missing: scripts/install-deps.sh installs chromium; the build installs" \
      "playwright-core (npm ci into $BUILD/npm)"
    echo "0 passed, 1 failed"
    exit 1
  fi
done
if ! command -v node >/dev/null; then
  echo "FAIL - node is missing (scripts/install-deps.sh installs nodejs)"; echo "0 passed, 1 failed"; exit 1
fi
mkdir -p "$ART"
rm -f "$ART"/report-*.png
T=(--set scale=0.02)
D="$SCRATCH"
expect_exit 0 "baseline run" -- "$NQPSIM" run -q "${T[@]}" --steps 14 -o "$D/base.h5"
expect_exit 0 "chip-shortage run" -- "$NQPSIM" run -q teach_chip_shortage.yaml "${T[@]}" --steps 14 -o "$D/chip.h5"
expect_exit 0 "talent-scheme run" -- "$NQPSIM" run -q lever_talent.yaml "${T[@]}" --steps 14 -o "$D/talent.h5"

cat >"$D/replicates.yaml" <<'EOF'
name: browser_replicates
description: replicate noise of NEV output in the chip shortage, over time
scenario: teach_chip_shortage.yaml
set: [scale=0.02, steps=12]
replicates: 4
design: {method: replicates}
metrics:
  - {name: nev_output_s0, series: output, group: industry, industry: nev, to: 0}
  - {name: nev_output_s4, series: output, group: industry, industry: nev, to: 4}
  - {name: nev_output_s8, series: output, group: industry, industry: nev, to: 8}
  - {name: nev_output_s11, series: output, group: industry, industry: nev, to: 11}
  - {name: nqp_final, series: index_nqp}
EOF
cat >"$D/sobol.yaml" <<'EOF'
name: browser_sobol
scenario: anhui.yaml
set: [scale=0.02, steps=6, government.talent.enabled=true, government.compute_network.enabled=true]
design: {method: sobol, samples: 4}
analysis: {bootstrap: 50}
parameters:
  - {name: talent, path: government.talent.intensity, min: 0, max: 1}
  - {name: compute, path: government.compute_network.intensity, min: 0, max: 0.8}
  - {name: markup, path: industries.nev.markup, min: 0.05, max: 0.3}
metrics:
  - {name: nqp, series: index_nqp}
  - {name: va, series: value_added, statistic: sum}
EOF
cat >"$D/morris.yaml" <<'EOF'
name: browser_morris
scenario: anhui.yaml
set: [scale=0.02, steps=6]
design: {method: morris, samples: 3, levels: 4}
analysis: {bootstrap: 50}
parameters:
  - {name: markup, path: industries.nev.markup, min: 0.05, max: 0.3}
  - {name: lead_time, path: firm.lead_time, min: 0, max: 3}
  - {name: safety_stock, path: firm.safety_stock, min: 0, max: 2}
metrics:
  - {name: va, series: value_added, statistic: sum}
EOF
for s in replicates sobol morris; do
  expect_exit 0 "sweep $s" -- "$NQPSIM" sweep -q "$D/$s.yaml" -o "$D/$s.h5" --threads 2
done

expect_exit 0 "report: run" -- "$NQPSIM" report -q "$D/base.h5" -o "$D/run.html"
expect_exit 0 "report: shock" -- "$NQPSIM" report -q "$D/chip.h5" -o "$D/shock.html"
expect_exit 0 "report: comparison" -- "$NQPSIM" report -q "$D/base.h5" "$D/chip.h5" "$D/talent.h5" -o "$D/compare.html"
for s in replicates sobol morris; do
  expect_exit 0 "report: sweep $s" -- "$NQPSIM" report -q "$D/$s.h5" -o "$D/sweep-$s.html"
done

node "$SRC/tests/e2e/report_browser.js" "$PW" "$ART" run="$D/run.html" shock="$D/shock.html" \
  compare="$D/compare.html" sweep-replicates="$D/sweep-replicates.html" \
  sweep-sobol="$D/sweep-sobol.html" sweep-morris="$D/sweep-morris.html" >"$D/browser.txt" 2>&1
rc=$?
sed 's/^/    /' "$D/browser.txt"
if [ $rc -eq 0 ]; then pass "every report renders in Chromium with data in every chart"; else
  fail "browser check (see above)"; fi
n=$(ls "$ART"/report-*.png 2>/dev/null | wc -l)
if [ "$n" -ge 12 ]; then pass "$n screenshots in $ART"; else fail "screenshots: $n in $ART"; fi
finish
