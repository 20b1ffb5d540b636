// report_browser: renders HTML reports of `nqpsim report` in headless
// Chromium (Debian's /usr/bin/chromium, driven by playwright-core from
// BUILD/npm) and checks them as a reader would see them. Run by
// tests/e2e/test_report_browser.sh:
//
//   node report_browser.js PLAYWRIGHT_CORE_DIR OUTDIR NAME=REPORT.html ...
//
// For each report: no console error and no page error; no request other
// than the file itself (the report is self-contained, works offline); the
// script finished (window.NQP_READY); every visible chart registered in
// window.NQP_CHARTS has drawn data (a series with non-empty data, or nodes
// and links for a Sankey); then a full-page screenshot OUTDIR/report-NAME.png
// and one of the first screen, OUTDIR/report-NAME-top.png; then every picker
// (<select>) set to its last option redraws with no error and no empty chart.
// Prints one line per report and "N passed, M failed"; exit 1 on failure.
'use strict';
const path = require('path');

const [pwDir, outDir, ...reports] = process.argv.slice(2);
const { chromium } = require(pwDir);

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage'];

// In the page: the charts without data, as [id, why].
function emptyCharts() {
  const bad = [];
  for (const c of window.NQP_CHARTS || []) {
    const dom = c.chart.getDom();
    if (!dom.offsetParent) continue; // hidden (e.g. a card the run has no series for)
    const opt = c.chart.getOption();
    const series = (opt && opt.series) || [];
    const has = series.some((s) => {
      if (s.type === 'sankey' || s.type === 'graph')
        return (s.data || []).length > 0 && (s.links || s.edges || []).length > 0;
      if (s.type === 'radar')
        return (s.data || []).some((d) => (d.value || []).some((v) => typeof v === 'number'));
      return (s.data || []).some((d) => d !== null && d !== '-' &&
        !(Array.isArray(d) && d.slice(1).every((v) => v === null || v === '-')));
    });
    if (!has) bad.push([c.id, series.length ? 'series without data' : 'no series']);
  }
  return bad;
}

async function check(browser, name, file) {
  const problems = [];
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const url = 'file://' + path.resolve(file);
  page.on('console', (m) => { if (m.type() === 'error') problems.push('console error: ' + m.text()); });
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('request', (r) => {
    if (r.url() !== url && !r.url().startsWith('data:')) problems.push('network request: ' + r.url());
  });
  await page.goto(url, { waitUntil: 'load', timeout: 30000 });
  await page.waitForFunction(() => window.NQP_READY || window.NQP_ERROR, null, { timeout: 30000 })
    .catch(() => problems.push('the report did not finish drawing'));
  const err = await page.evaluate(() => window.NQP_ERROR || null);
  if (err) problems.push('script error: ' + err);
  const n = await page.evaluate(() => (window.NQP_CHARTS || []).length);
  if (n === 0) problems.push('no chart');
  for (const [id, why] of await page.evaluate(emptyCharts)) problems.push(`chart ${id}: ${why}`);
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(outDir, `report-${name}.png`), fullPage: true });
  await page.screenshot({ path: path.join(outDir, `report-${name}-top.png`) });
  // Every picker redraws: set each <select> to its last option; no error may
  // follow and every visible chart must still have data.
  await page.evaluate(() => {
    for (const s of document.querySelectorAll('select')) {
      if (s.options.length < 2) continue;
      s.selectedIndex = s.options.length - 1;
      s.dispatchEvent(new Event('change'));
    }
  });
  await page.waitForTimeout(300);
  for (const [id, why] of await page.evaluate(emptyCharts))
    problems.push(`after every picker changed, chart ${id}: ${why}`);
  await page.close();
  return { n, problems };
}

(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
  let passed = 0, failed = 0;
  try {
    for (const spec of reports) {
      const [name, file] = spec.split('=');
      const { n, problems } = await check(browser, name, file);
      if (problems.length) {
        failed++;
        console.log(`FAIL ${name} (${file}): ${n} charts`);
        for (const p of problems.slice(0, 30)) console.log('  ' + p);
      } else {
        passed++;
        console.log(`ok   ${name}: ${n} charts drawn, screenshot ${path.join(outDir, 'report-' + name + '.png')}`);
      }
    }
  } finally {
    await browser.close();
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(1); });
