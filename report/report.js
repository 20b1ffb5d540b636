/* nqpsim report: builds the page and every chart of an HTML report from
 * the JSON document that `nqpsim report` inlines (output/report_run.c,
 * output/report_sweep.c describe it), with Apache ECharts (inlined too).
 *
 * Purpose: let a reader explore runs, policy comparisons and sweeps without
 * any other tool: time series by industry / region / industry type, the
 * three NQP dimensions, the supply chain and its shocks, lever spending,
 * policy-minus-baseline effects; sweep distributions, confidence intervals,
 * Sobol' and Morris indices.
 *
 * Invariants:
 *  - nothing is fetched: the page uses only the inlined data and libraries;
 *  - a missing series or an undefined value (null, NaN in the file) is
 *    shown as a gap, never as 0; values in CNY are shown in 1e8 CNY (亿元);
 *  - every chart is registered in window.NQP_CHARTS ({id, title, chart})
 *    and window.NQP_READY is set when all are drawn (the browser test reads
 *    both); controls re-render charts with setOption(option, true).
 */
(function () {
  'use strict';

  var DATA = JSON.parse(document.getElementById('nqp-data').textContent);
  var WARNINGS = JSON.parse((document.getElementById('nqp-warnings') || {}).textContent || '[]');
  var BUILD = window.NQP_BUILD || {};
  var ANIM = !navigator.webdriver;
  var CHARTS = [];
  var RENDERERS = [];
  var LANG = 'both';
  window.NQP_CHARTS = CHARTS;

  var PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2',
    '#7f7f7f', '#bcbd22', '#17becf', '#393b79', '#e6550d', '#31a354', '#843c39', '#7b4173',
    '#3182bd', '#fd8d3c', '#74c476', '#9e9ac8', '#636363'];

  /* Chinese names of the series a report shows (English: the file's long_name). */
  var ZH = {
    output: '产出', value_added: '增加值', sales: '销售收入', firms: '企业数',
    employment_skilled: '技能型就业', employment_unskilled: '非技能型就业', tfp: '全要素生产率',
    digital: '数字渗透率', data_assets: '数据资产', rd: '研发支出', innovations: '创新',
    licences: '技术许可', index_nqp: '新质生产力综合指数', index_tech: '技术渗透指数',
    index_org: '组织重构指数', index_value: '价值共创指数', inputs_received: '收到的中间投入',
    external_inputs: '省外投入', external_input_share: '省外投入占比', orders_placed: '下达订单',
    orders_received: '收到订单', deliveries: '交付', unfilled: '未满足需求与订单',
    inventory: '产成品库存', external_fill: '省外订单满足率', external_capacity: '省外供给能力',
    external_orders: '向省外下达的订单', final_demand: '最终需求', credit_granted: '新增信贷',
    credit_data_pledged: '数据资产质押贷款', credit_rationed: '信贷配给', capital: '资本存量',
    shared_capacity: '共享工厂产能', legacy_share: '旧设备占比', automation: '数控化率（自动化资本占比）',
    profit: '税后利润', esg: 'ESG 评分',
    energy: '能耗', entries: '进入企业', exits: '退出企业', subsidies_received: '补贴',
    scientists_stationed: '驻企科学家', wage_skilled: '技能型工资', wage_unskilled: '非技能型工资',
    unemployed_skilled: '技能型失业', unemployed_unskilled: '非技能型失业',
    migrated_skilled: '技能人才外流', graduates_retained: '留省毕业生', graduates_left: '离省毕业生',
    inventions_local: '省内转化发明', inventions_sold_out: '省外出售发明',
    lever_spending: '政策杠杆支出', government_cash: '财政资金', price: '价格指数'
  };
  /* Short English names for the headline cards and table. */
  var SHORT = {index_nqp: 'NQP composite index', output: 'Output', value_added: 'Value added',
    employment_skilled: 'Skilled employment', tfp: 'Mean TFP (relative)', digital: 'Digital penetration D',
    external_input_share: 'External share of inputs', lever_spending: 'Lever spending'};
  var KIND = {technology: ['technology-intensive', '技术密集型'], labour: ['labour-intensive', '劳动密集型']};
  /* Weights of the mean series when industries are aggregated by kind
   * (docs/compare.md): ratios of sums are means weighted by the denominator. */
  var WEIGHT = {index_nqp: 'output', index_tech: 'output', index_org: 'output',
    index_value: 'output', price: 'output', energy_intensity: 'output', tfp: 'firms',
    digital: 'firms', esg: 'firms', quality: 'firms', external_input_share: 'inputs_received',
    legacy_share: 'capital', automation: 'capital'};

  /* ---- small helpers ---------------------------------------------------- */

  function el(tag, attrs) {
    var e = document.createElement(tag);
    var k;
    attrs = attrs || {};
    for (k in attrs) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'html') e.innerHTML = attrs[k];
      else if (k === 'cls') e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c == null) continue;
      e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return e;
  }
  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c];
    });
  }
  function finite(v) { return typeof v === 'number' && isFinite(v); }
  function range(n) { var a = []; for (var i = 0; i < n; i++) a.push(i); return a; }
  function sum(a) { var s = 0, k = 0; a.forEach(function (v) { if (finite(v)) { s += v; k++; } }); return k ? s : null; }
  function last(a) { for (var i = a.length - 1; i >= 0; i--) if (finite(a[i])) return a[i]; return null; }
  function color(i) { return PALETTE[i % PALETTE.length]; }

  /* Bilingual label of an {id, name, zh} object. */
  function lab(o) {
    var en = o.name || o.id, zh = o.zh;
    if (LANG === 'en' || !zh) return en;
    if (LANG === 'zh') return zh;
    return en + ' ' + zh;
  }
  /* A compact label for crowded axes: one language, or English then 中文 on two lines. */
  function shortLab(o) {
    var en = o.name || o.id;
    if (en.length > 26) en = en.slice(0, 24) + '…';
    if (LANG === 'en' || !o.zh) return en;
    if (LANG === 'zh') return o.zh;
    return en + '\n' + o.zh;
  }
  function twoLang(en, zh) {
    if (LANG === 'en' || !zh) return en;
    if (LANG === 'zh') return zh;
    return en + ' · ' + zh;
  }
  function metricLabel(run, level, name) {
    var m = run && run.meta && run.meta[level] && run.meta[level][name];
    var en = m ? m[1] : name;
    return twoLang(en, ZH[name]);
  }
  function unitsOf(run, level, name) {
    var m = run.meta && run.meta[level] && run.meta[level][name];
    return m ? m[0] : '';
  }
  /* Display scale: money in 1e8 CNY (亿元). */
  function scaleOf(units) {
    if (/^CNY/.test(units)) return {f: 1e-8, u: units.replace(/^CNY/, '1e8 CNY')};
    return {f: 1, u: units};
  }
  function fmt(v, digits) {
    if (!finite(v)) return 'n/a';
    var a = Math.abs(v);
    digits = digits || 3;
    if (a !== 0 && (a >= 1e7 || a < 1e-3)) return v.toExponential(2);
    if (a >= 1000) return Math.round(v).toLocaleString('en-US');
    return Number(v.toPrecision(digits)).toString();
  }
  function fmtPct(v) { return finite(v) ? (v > 0 ? '+' : '') + v.toFixed(2) + '%' : 'n/a'; }
  function scaled(a, f) { return a.map(function (v) { return finite(v) ? v * f : null; }); }
  function xy(a) { return a.map(function (v, i) { return [i, finite(v) ? v : null]; }); }

  /* ---- page skeleton ---------------------------------------------------- */

  var app = document.getElementById('app');
  var navBar, mainEl;

  function header(title, sub, meta) {
    app.appendChild(el('header', {cls: 'top'}, el('h1', {text: title}),
      el('div', {cls: 'sub', text: sub}), el('div', {cls: 'meta', text: meta})));
    navBar = el('nav', {cls: 'bar'});
    app.appendChild(navBar);
    mainEl = el('main');
    app.appendChild(mainEl);
  }
  function navLink(id, text) { navBar.appendChild(el('a', {href: '#' + id, text: text})); }
  function navControls() {
    navBar.appendChild(el('span', {cls: 'spacer'}));
    var sel = el('select', {id: 'lang', title: 'label language'},
      el('option', {value: 'both', text: 'English + 中文'}), el('option', {value: 'en', text: 'English'}),
      el('option', {value: 'zh', text: '中文'}));
    sel.onchange = function () { LANG = sel.value; rerender(); };
    navBar.appendChild(el('label', {}, 'labels', sel));
  }
  function panel(id, en, zh, intro) {
    var s = el('section', {cls: 'panel', id: id});
    var h = el('h2', {}, en);
    if (zh) h.appendChild(el('span', {cls: 'zh', text: zh}));
    s.appendChild(h);
    if (intro) s.appendChild(el('p', {cls: 'intro', html: intro}));
    mainEl.appendChild(s);
    navLink(id, en);
    return s;
  }
  function chartBox(parent, id, title, note, height) {
    var box = el('div', {cls: 'chartbox'});
    var h = el('h3', {text: title});
    box.appendChild(h);
    var n = el('div', {cls: 'note', text: note || ''});
    box.appendChild(n);
    var div = el('div', {cls: 'chart', id: 'chart-' + id});
    if (height) div.style.height = height + 'px';
    box.appendChild(div);
    parent.appendChild(box);
    var chart = echarts.init(div, null, {renderer: 'canvas'});
    CHARTS.push({id: id, title: title, chart: chart});
    return {chart: chart, title: h, note: n, div: div};
  }
  function select(parent, label, options, value, onchange) {
    var s = el('select');
    options.forEach(function (o) {
      var opt = el('option', {value: o[0], text: o[1]});
      s.appendChild(opt);
    });
    if (value != null) s.value = value;
    s.onchange = function () { onchange(s.value); };
    parent.appendChild(el('label', {}, label, s));
    return s;
  }
  function fillSelect(s, options, value) {
    s.innerHTML = '';
    options.forEach(function (o) { s.appendChild(el('option', {value: o[0], text: o[1]})); });
    if (value != null) s.value = value;
  }
  function slider(parent, label, max, value, onchange) {
    var out = el('span', {text: ''});
    var r = el('input', {type: 'range', min: 0, max: max, step: 1, value: value});
    r.oninput = function () { onchange(+r.value, out); };
    parent.appendChild(el('label', {}, label, r, out));
    return {input: r, out: out};
  }
  function controls(parent) { var c = el('div', {cls: 'controls'}); parent.appendChild(c); return c; }
  function table(parent, head, rows, numeric) {
    var t = el('table', {cls: 't'});
    var tr = el('tr');
    head.forEach(function (h, i) { tr.appendChild(el('th', {cls: numeric && numeric[i] ? 'n' : '', text: h})); });
    t.appendChild(el('thead', {}, tr));
    var tb = el('tbody');
    rows.forEach(function (r) {
      var row = el('tr');
      r.forEach(function (c, i) { row.appendChild(el('td', {cls: numeric && numeric[i] ? 'n' : '', html: c})); });
      tb.appendChild(row);
    });
    t.appendChild(tb);
    parent.appendChild(el('div', {cls: 'tablewrap'}, t));
    return t;
  }
  /* Provenance attributes KEYS of ATTRS in two pairs of columns (the command line on its own row). */
  function attrTable(parent, attrs, keys) {
    var ks = keys.filter(function (k) { return attrs[k] != null && k !== 'command_line'; }), rows = [];
    var half = Math.ceil(ks.length / 2);
    for (var i = 0; i < half; i++) {
      var r = ['<b>' + esc(ks[i]) + '</b>', esc(String(attrs[ks[i]]))];
      var k2 = ks[i + half];
      rows.push(r.concat(k2 ? ['<b>' + esc(k2) + '</b>', esc(String(attrs[k2]))] : ['', '']));
    }
    if (attrs.command_line != null) rows.push(['<b>command_line</b>', '<code>' + esc(attrs.command_line) + '</code>', '', '']);
    table(parent, ['attribute', 'value', 'attribute', 'value'], rows);
  }
  function onRender(f) { RENDERERS.push(f); f(); }
  function rerender() { RENDERERS.forEach(function (f) { f(); }); }
  function set(chart, option) {
    var o = option.baseOption || option; /* a timeline keeps its settings in baseOption */
    o.animation = ANIM;
    o.animationDuration = 400;
    chart.setOption(option, true);
  }
  function warningsBox(list) {
    if (!list.length) return;
    var w = el('div', {cls: 'warn'}, el('b', {text: 'Warnings: '}));
    list.forEach(function (s) { w.appendChild(el('div', {text: s})); });
    mainEl.appendChild(w);
  }
  function lineTooltip(units) {
    return {trigger: 'axis', confine: true, valueFormatter: function (v) { return fmt(v) + (units ? ' ' + units : ''); }};
  }
  function legend(extra) {
    var l = {type: 'scroll', bottom: 0, textStyle: {width: 150, overflow: 'truncate', fontSize: 11},
      tooltip: {show: true}};
    for (var k in extra || {}) l[k] = extra[k];
    return l;
  }
  /* A legend at the right for charts with many lines (GRID.right is made room for). */
  function sideLegend(grid) {
    grid.right = 200;
    return {type: 'scroll', orient: 'vertical', right: 4, top: 20, bottom: 20, itemGap: 6,
      textStyle: {width: 168, overflow: 'truncate', fontSize: 11}, tooltip: {show: true}};
  }
  function stepAxis(run, n) {
    return {type: 'value', min: 0, max: Math.max(1, n - 1), name: 'step' + (run.spy === 4 ? ' (quarter)' : ''),
      nameLocation: 'middle', nameGap: 24, minInterval: 1};
  }

  /* ======================================================================
   * Run reports
   * ====================================================================== */

  function runReport(runs) {
    var base = runs[0];
    var focus = runs.length - 1; /* the run shown in single-run sections */
    var names = runs.map(function (r) { return r.name; });
    header(runs.length === 1 ? 'nqpsim report: ' + base.name : 'nqpsim report: ' + names.join(' vs '),
      'Anhui emerging industries, agent-based simulation · 安徽十大新兴产业主体建模仿真' +
      (runs.length > 1 ? ' · baseline: ' + base.name + ' (' + base.file + ')' : ''),
      runs.map(function (r) { return r.file + ': ' + r.steps + ' steps, seed ' + r.seed; }).join(' · ') +
      ' · nqpsim ' + (BUILD.version || '') + ', Apache ECharts ' + (BUILD.echarts || ''));
    navControls();
    if (runs.length > 1) {
      var rs = el('select', {id: 'focus-run'});
      runs.forEach(function (r, i) { rs.appendChild(el('option', {value: i, text: r.name + ' (' + r.file + ')'})); });
      rs.value = focus;
      rs.onchange = function () { focus = +rs.value; rerender(); };
      navBar.insertBefore(el('label', {}, 'run shown', rs), navBar.lastChild);
    }
    warningsBox(WARNINGS);
    var ctx = {runs: runs, focus: function () { return runs[focus]; }};
    runs.forEach(function (r) { r.ev = events(r); });
    headlineSection(ctx);
    seriesSection(ctx);
    radarSection(ctx);
    chainSection(ctx);
    leverSection(ctx);
    if (runs.length > 1) diffSection(ctx);
    scenarioSection(ctx);
  }

  /* Shock periods and lever starts of a run, from /events (scenario as fallback). */
  function events(run) {
    var e = run.events, out = {shocks: [], levers: []};
    var n = e && e.step ? e.step.data.length : 0;
    var open = {};
    for (var i = 0; i < n; i++) {
      var k = e.kind.data[i], d = e.detail.data[i], s = e.step.data[i];
      if (k === 'shock_on') open[d] = s;
      else if (k === 'shock_off' && open[d] != null) { out.shocks.push({id: d, start: open[d], end: s - 1}); delete open[d]; }
      else if (k === 'lever_on') out.levers.push({id: d, step: s});
    }
    for (var id in open) out.shocks.push({id: id, start: open[id], end: run.steps - 1});
    return out;
  }
  /* markArea (shock periods) and markLine (lever starts) for a line series. */
  function marks(run, withLabels) {
    var ev = run.ev;
    var m = {};
    if (ev.shocks.length) {
      m.markArea = {silent: true, itemStyle: {color: 'rgba(214, 39, 40, 0.08)'},
        label: {show: withLabels, color: '#b42318', fontSize: 11, position: 'insideTop'},
        data: ev.shocks.map(function (s) { return [{name: 'shock: ' + s.id, xAxis: s.start}, {xAxis: Math.max(s.end, s.start) + 0.99}]; })};
    }
    if (ev.levers.length) {
      m.markLine = {silent: true, symbol: 'none', lineStyle: {type: 'dashed', color: '#1a7f4b'},
        label: {show: withLabels, formatter: '{b}', color: '#1a7f4b', fontSize: 10, position: 'insideEndTop'},
        data: ev.levers.map(function (l) { return {name: l.id, xAxis: l.step}; })};
    }
    return m;
  }
  function withMarks(series, run) {
    if (!series.length) return series;
    var m = marks(run, true);
    for (var k in m) series[0][k] = m[k];
    return series;
  }

  /* Kind aggregate of industry series NAME: sums add up, means are weighted. */
  function kindSeries(run, name, kind) {
    var v = run.ind[name];
    if (!v) return null;
    var idx = [];
    run.industries.forEach(function (d, i) { if (!kind || d.kind === kind) idx.push(i); });
    if (!idx.length) return null;
    var units = unitsOf(run, 'ind', name);
    var w = WEIGHT[name] ? run.ind[WEIGHT[name]] : null;
    if (!w && (units === 'share' || units === '1')) return null;
    return range(run.steps).map(function (t) {
      var s = 0, sw = 0, k = 0;
      idx.forEach(function (i) {
        var x = v[i][t];
        if (!finite(x)) return;
        if (w) { var wi = w[i][t]; if (finite(wi) && wi > 0) { s += x * wi; sw += wi; k++; } }
        else { s += x; k++; }
      });
      return k ? (w ? s / sw : s) : null;
    });
  }
  /* Cells of a level: [{key, label, values}] for series NAME of RUN. */
  function cells(run, level, name) {
    if (level === 'economy') {
      var e = run.eco[name];
      return e ? [{key: 'all', label: twoLang('Anhui (all industries)', '全省'), values: e, color: '#333'}] : [];
    }
    if (level === 'kind') {
      var out = [];
      ['technology', 'labour'].forEach(function (k, i) {
        var v = kindSeries(run, name, k);
        if (v) out.push({key: k, label: twoLang(KIND[k][0], KIND[k][1]), values: v, color: color(i * 3)});
      });
      if (run.eco[name]) out.push({key: 'all', label: twoLang('Anhui (all)', '全省'), values: run.eco[name], color: '#333'});
      return out;
    }
    var src = level === 'ind' ? run.ind : run.reg;
    var list = level === 'ind' ? run.industries : run.regions;
    if (!src[name]) return [];
    return list.map(function (d, i) {
      return {key: d.id, label: lab(d), values: src[name][i], color: color(i), external: d.external};
    }).filter(function (c) {
      return c.values.some(function (v) { return finite(v) && v !== 0; });
    });
  }
  function seriesNames(run, level) {
    if (level === 'economy') return Object.keys(run.eco);
    if (level === 'kind') return Object.keys(run.ind).filter(function (n) { return kindSeries(run, n, 'technology'); });
    return Object.keys(level === 'ind' ? run.ind : run.reg);
  }
  function metaLevel(level) { return level === 'kind' ? 'ind' : level === 'economy' ? 'eco' : level; }
  var LEVELS = [['ind', 'by industry 按产业'], ['reg', 'by region 按地区'], ['kind', 'by industry type 按产业类型'],
    ['economy', 'province 全省']];

  /* ---- headline --------------------------------------------------------- */

  var HEAD = [['index_nqp', 'pp'], ['output', '%'], ['value_added', '%'], ['employment_skilled', '%'],
    ['tfp', '%'], ['digital', 'pp'], ['external_input_share', 'pp'], ['lever_spending', 'sum']];

  function headlineSection(ctx) {
    var s = panel('headline', 'Headline', '主要指标',
      'Values at the last step, and the change since step 0 (percent for levels, percentage points ' +
      'for shares and indices). Money in 1e8 CNY (亿元). The small charts show the whole run.');
    var cardsDiv = el('div', {cls: 'cards'});
    s.appendChild(cardsDiv);
    var sparks = [];
    HEAD.forEach(function (h) {
      var c = el('div', {cls: 'card'});
      var k = el('div', {cls: 'k'}), v = el('div', {cls: 'v'}), d = el('div', {cls: 'd'});
      var sp = el('div', {cls: 'spark'});
      c.appendChild(k); c.appendChild(v); c.appendChild(d); c.appendChild(sp);
      cardsDiv.appendChild(c);
      var chart = echarts.init(sp, null, {renderer: 'canvas'});
      CHARTS.push({id: 'spark-' + h[0], title: h[0], chart: chart});
      sparks.push({h: h, k: k, v: v, d: d, chart: chart, card: c});
    });
    var cmpDiv = el('div');
    s.appendChild(cmpDiv);
    onRender(function () {
      var run = ctx.focus();
      sparks.forEach(function (sp) {
        var name = sp.h[0], a = run.eco[name];
        sp.card.style.display = a ? '' : 'none';
        if (!a) { set(sp.chart, {series: []}); return; }
        var units = unitsOf(run, 'eco', name), sc = scaleOf(units);
        sp.k.textContent = twoLang(SHORT[name] || name, ZH[name]);
        var fin = last(a), first = a[0];
        if (sp.h[1] === 'sum') {
          var tot = sum(a);
          sp.v.innerHTML = esc(fmt(tot * sc.f)) + '<span class="u">' + esc(sc.u.replace('/step', '')) + ' in total</span>';
          sp.d.textContent = 'cumulative over ' + run.steps + ' steps';
          sp.d.className = 'd';
        } else {
          sp.v.innerHTML = esc(fmt(fin * sc.f)) + '<span class="u">' + esc(sc.u) + '</span>';
          var ch = sp.h[1] === 'pp' ? (fin - first) * 100 : (fin / first - 1) * 100;
          sp.d.textContent = finite(ch) ? (ch >= 0 ? '▲ ' : '▼ ') + Math.abs(ch).toFixed(2) + (sp.h[1] === 'pp' ? ' pp' : ' %') + ' since step 0' : '';
          sp.d.className = 'd';
        }
        set(sp.chart, {grid: {left: 2, right: 2, top: 4, bottom: 2}, xAxis: {type: 'category', show: false, data: range(a.length)},
          yAxis: {type: 'value', show: false, scale: true},
          series: [{type: 'line', data: scaled(a, sc.f), showSymbol: false, lineStyle: {width: 1.5, color: '#1d5fa8'},
            areaStyle: {color: 'rgba(29,95,168,0.10)'}}], tooltip: {show: false}});
      });
      cmpDiv.innerHTML = '';
      if (ctx.runs.length > 1) headlineTable(ctx.runs, cmpDiv);
    });
  }
  function headlineTable(runs, parent) {
    var base = runs[0];
    var t = Math.min.apply(null, runs.map(function (r) { return r.steps; })) - 1;
    var head = ['metric (step ' + t + ')', base.name + ' (baseline)'];
    runs.slice(1).forEach(function (r) { head.push(r.name); head.push('effect'); });
    var rows = [];
    HEAD.forEach(function (h) {
      if (!base.eco[h[0]]) return;
      var sc = scaleOf(unitsOf(base, 'eco', h[0]));
      var b = h[1] === 'sum' ? sum(base.eco[h[0]].slice(0, t + 1)) : base.eco[h[0]][t];
      var row = [esc(twoLang(SHORT[h[0]] || h[0], ZH[h[0]])) + (h[1] === 'sum' ? ' (cumulative)' : '') +
        (sc.u ? ' <span style="color:#5f6b7a">[' + esc(h[1] === 'sum' ? sc.u.replace('/step', '') : sc.u) + ']</span>' : ''), esc(fmt(b * sc.f))];
      runs.slice(1).forEach(function (r) {
        var a = r.eco[h[0]];
        var p = !a ? null : h[1] === 'sum' ? sum(a.slice(0, t + 1)) : a[t];
        row.push(esc(fmt(p * sc.f)));
        var e = h[1] === 'pp' ? (p - b) * 100 : b ? (p / b - 1) * 100 : null;
        if (finite(e) && Math.abs(e) < (h[1] === 'pp' ? 5e-4 : 5e-3)) e = 0;
        var eff = !finite(e) ? 'n/a' : h[1] === 'pp' ? (e > 0 ? '+' : '') + e.toFixed(3) + ' pp' : fmtPct(e);
        var cls = e > 0 ? 'up' : e < 0 ? 'down' : '';
        row.push('<span class="' + cls + '">' + esc(eff) + '</span>');
      });
      rows.push(row);
    });
    parent.appendChild(el('h3', {text: 'Policy minus baseline at the last common step · 政策减基准', style: 'font-size:14px;margin:16px 0 2px'}));
    table(parent, head, rows, head.map(function (x, i) { return i > 0; }));
  }

  /* ---- time series ------------------------------------------------------ */

  function seriesSection(ctx) {
    var s = panel('series', 'Time series', '时间序列',
      'One line per industry, region or industry type. The NQP composite index is the ' +
      'output-weighted mean of the firms\' (T·O·V)^(1/3); its three dimensions are technology ' +
      'penetration (T, 技术渗透), organisational restructuring (O, 组织重构) and value co-creation ' +
      '(V, 价值共创). Shaded: shock periods; dashed: lever starts. Click a legend entry to hide a line.');
    var st = {level: 'ind', name: 'index_nqp', unit: 'all'};
    var c = controls(s);
    select(c, 'level', LEVELS, st.level, function (v) { st.level = v; refreshNames(); draw(); });
    var nameSel = select(c, 'series', [], null, function (v) { st.name = v; draw(); });
    var main = chartBox(s, 'series', '', '', 420);
    var dimsWrap = el('div', {style: 'margin-top:14px'});
    s.appendChild(dimsWrap);
    var dims = chartBox(dimsWrap, 'dimensions', '', 'Pick the unit above (province, industry type, industry or city); the composite is the output-weighted mean of the firms\' (T·O·V)^(1/3).', 360);
    var unitSel = select(c, 'unit for the dimensions chart', [], null, function (v) { st.unit = v; drawDims(); });
    function refreshNames() {
      var run = ctx.focus();
      var names = seriesNames(run, st.level);
      var order = ['index_nqp', 'index_tech', 'index_org', 'index_value'];
      names.sort(function (a, b) {
        var ia = order.indexOf(a), ib = order.indexOf(b);
        return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
      });
      if (names.indexOf(st.name) < 0) st.name = names.indexOf('index_nqp') >= 0 ? 'index_nqp' : names[0];
      fillSelect(nameSel, names.map(function (n) { return [n, metricLabel(run, metaLevel(st.level), n)]; }), st.name);
    }
    function draw() {
      var run = ctx.focus();
      var lvl = metaLevel(st.level);
      var units = unitsOf(run, lvl, st.name), sc = scaleOf(units);
      var cs = cells(run, st.level, st.name);
      main.title.textContent = metricLabel(run, lvl, st.name) + ' — ' + run.name;
      main.note.textContent = 'units: ' + (sc.u || '1') + (st.level === 'kind' ? ' (sums add up; means weighted as the model does)' : '');
      var series = cs.map(function (cl) {
        return {type: 'line', name: cl.label, data: xy(scaled(cl.values, sc.f)), showSymbol: false, connectNulls: false,
          lineStyle: {width: cl.key === 'all' ? 3 : 1.6, type: cl.key === 'all' ? 'dashed' : 'solid'},
          itemStyle: {color: cl.color}, emphasis: {focus: 'series'}};
      });
      withMarks(series, run);
      var grid = {left: 64, right: 20, top: 24, bottom: 40};
      var leg = series.length > 4 ? sideLegend(grid) : legend();
      if (series.length <= 4) grid.bottom = 70;
      set(main.chart, {tooltip: lineTooltip(sc.u), legend: leg, grid: grid,
        xAxis: stepAxis(run, run.steps), yAxis: {type: 'value', scale: true, name: sc.u, nameTextStyle: {align: 'left'}},
        dataZoom: [{type: 'inside'}], series: series});
      refreshUnits();
      drawDims();
    }
    function refreshUnits() {
      var run = ctx.focus();
      var opts = [['all', twoLang('Anhui (all industries)', '全省')]];
      opts.push(['kind:technology', twoLang(KIND.technology[0], KIND.technology[1])]);
      opts.push(['kind:labour', twoLang(KIND.labour[0], KIND.labour[1])]);
      run.industries.forEach(function (d, i) { opts.push(['ind:' + i, lab(d)]); });
      run.regions.forEach(function (d, i) { if (!d.external) opts.push(['reg:' + i, lab(d)]); });
      if (!opts.some(function (o) { return o[0] === st.unit; })) st.unit = 'all';
      fillSelect(unitSel, opts, st.unit);
    }
    function unitValues(run, name) {
      if (st.unit === 'all') return run.eco[name];
      var p = st.unit.split(':');
      if (p[0] === 'kind') return kindSeries(run, name, p[1]);
      var src = p[0] === 'ind' ? run.ind : run.reg;
      return src[name] ? src[name][+p[1]] : null;
    }
    function drawDims() {
      var run = ctx.focus();
      var list = [['index_nqp', 'NQP composite 综合', '#111'], ['index_tech', 'T: technology penetration 技术渗透', '#1f77b4'],
        ['index_org', 'O: organisational restructuring 组织重构', '#ff7f0e'], ['index_value', 'V: value co-creation 价值共创', '#2ca02c']];
      dims.title.textContent = twoLang('NQP index and its three dimensions', '新质生产力指数及三个维度') + ' — ' + unitSel.options[unitSel.selectedIndex].text;
      var series = [];
      list.forEach(function (d) {
        var v = unitValues(run, d[0]);
        if (!v) return;
        series.push({type: 'line', name: d[1], data: xy(v), showSymbol: false, itemStyle: {color: d[2]},
          lineStyle: {width: d[0] === 'index_nqp' ? 3 : 1.8}});
      });
      withMarks(series, run);
      set(dims.chart, {tooltip: lineTooltip('share'), legend: legend({type: 'plain', textStyle: {fontSize: 11}}), grid: {left: 56, right: 20, top: 24, bottom: 64},
        xAxis: stepAxis(run, run.steps), yAxis: {type: 'value', scale: true, name: 'index (0-1)'}, series: series});
    }
    onRender(function () { refreshNames(); draw(); });
  }

  /* ---- radar ------------------------------------------------------------ */

  function radarSection(ctx) {
    var s = panel('radar', 'Three dimensions by region and industry type', '三个维度：地区与产业类型',
      'Technology penetration (T), organisational restructuring (O), value co-creation (V) and the ' +
      'composite NQP index at the chosen step. Each axis is scaled to the largest value shown.');
    var st = {t: ctx.focus().steps - 1};
    var c = controls(s);
    var sl = slider(c, 'step', ctx.focus().steps - 1, st.t, function (v) { st.t = v; draw(); });
    var g = el('div', {cls: 'grid3'});
    s.appendChild(g);
    var byReg = chartBox(g, 'radar-region', 'By region 按地区', 'axes: cities; one polygon per dimension', 420);
    var byKind = chartBox(g, 'radar-kind', 'By industry type 按产业类型', 'technology- vs labour-intensive, output-weighted', 420);
    var byInd = chartBox(g, 'radar-industry', 'By industry 按产业', 'axes: industries', 420);
    var DIMS = [['index_tech', 'T 技术渗透', '#1f77b4'], ['index_org', 'O 组织重构', '#ff7f0e'],
      ['index_value', 'V 价值共创', '#2ca02c'], ['index_nqp', 'NQP 综合', '#111']];
    function axisMax(vals) {
      var m = 0;
      vals.forEach(function (v) { if (finite(v) && v > m) m = v; });
      return m > 0 ? Math.ceil(m * 10 + 0.5) / 10 : 1;
    }
    function radarOption(indicators, series) {
      var all = [];
      series.forEach(function (sr) { all = all.concat(sr.value); });
      var mx = axisMax(all);
      return {tooltip: {trigger: 'item', confine: true}, legend: legend({type: 'plain', textStyle: {fontSize: 11}}),
        radar: {indicator: indicators.map(function (n) { return {name: n, max: mx, min: 0}; }), radius: '52%',
          center: ['50%', '48%'], axisName: {color: '#444', fontSize: 10, width: 96, overflow: 'break', lineHeight: 12}, splitNumber: 4},
        series: [{type: 'radar', symbolSize: 3, data: series.map(function (sr) {
          return {name: sr.name, value: sr.value.map(function (v) { return finite(v) ? +v.toFixed(4) : null; }),
            itemStyle: {color: sr.color}, lineStyle: {width: sr.width || 1.6}, areaStyle: sr.area ? {opacity: 0.08} : undefined};
        })}]};
    }
    function draw() {
      var run = ctx.focus(), t = Math.min(st.t, run.steps - 1);
      sl.out.textContent = String(t);
      var regs = [];
      run.regions.forEach(function (d, i) {
        if (d.external) return;
        var o = run.reg.output ? run.reg.output[i][t] : 1;
        if (finite(o) && o > 0) regs.push(i);
      });
      set(byReg.chart, radarOption(regs.map(function (i) { return lab(run.regions[i]); }),
        DIMS.filter(function (d) { return run.reg[d[0]]; }).map(function (d) {
          return {name: d[1], color: d[2], value: regs.map(function (i) { return run.reg[d[0]][i][t]; }), width: d[0] === 'index_nqp' ? 2.4 : 1.6};
        })));
      var kinds = [['technology', KIND.technology, '#1d5fa8'], ['labour', KIND.labour, '#e6550d'], [null, ['Anhui (all)', '全省'], '#555']];
      set(byKind.chart, radarOption(DIMS.map(function (d) { return d[1]; }),
        kinds.map(function (k) {
          return {name: twoLang(k[1][0], k[1][1]), color: k[2], area: true,
            value: DIMS.map(function (d) {
              if (!k[0]) return run.eco[d[0]] ? run.eco[d[0]][t] : null;
              var v = kindSeries(run, d[0], k[0]);
              return v ? v[t] : null;
            })};
        })));
      set(byInd.chart, radarOption(run.industries.map(function (d) { return shortLab(d); }),
        DIMS.filter(function (d) { return run.ind[d[0]]; }).map(function (d) {
          return {name: d[1], color: d[2], value: run.industries.map(function (x, i) { return run.ind[d[0]][i][t]; }), width: d[0] === 'index_nqp' ? 2.4 : 1.6};
        })));
    }
    onRender(function () {
      sl.input.max = ctx.focus().steps - 1;
      draw();
    });
  }

  /* ---- supply chain ----------------------------------------------------- */

  /* Links of the supply-chain Sankey at step T: External and supplier
   * industries -> buyer industries (inputs received: External as recorded,
   * the local rest split by the input coefficients) -> buyers' regions. */
  function chainLinks(run, t) {
    var links = [];
    var ind = run.industries, inp = run.ind.inputs_received, ext = run.ind.external_inputs;
    var ir = run.ir && run.ir.inputs_received;
    if (!inp) return links;
    ind.forEach(function (b, j) {
      var total = inp[j][t], e = ext ? ext[j][t] : 0;
      if (!finite(total)) return;
      if (finite(e) && e > 0) links.push({source: 'X:external', target: 'B:' + b.id, value: e});
      var local = Math.max(0, total - (finite(e) ? e : 0));
      var coef = b.inputs || {}, tot = 0, k;
      for (k in coef) tot += coef[k];
      if (tot > 0 && local > 0) {
        for (k in coef) if (coef[k] > 0) links.push({source: 'S:' + k, target: 'B:' + b.id, value: local * coef[k] / tot});
      }
      if (ir) {
        var nr = run.regions.length;
        run.regions.forEach(function (r, q) {
          var v = ir.data[(t * ind.length + j) * nr + q];
          if (finite(v) && v > 0) links.push({source: 'B:' + b.id, target: 'R:' + r.id, value: v});
        });
      }
    });
    return links;
  }
  function linkKey(l) { return l.source + '>' + l.target; }
  /* Shortfall links: max(0, reference - now), reference a step or another run. */
  function shortfallLinks(now, ref) {
    var m = {};
    now.forEach(function (l) { m[linkKey(l)] = l.value; });
    var out = [];
    ref.forEach(function (l) {
      var d = l.value - (m[linkKey(l)] || 0);
      if (d > l.value * 1e-6 && d > 0) out.push({source: l.source, target: l.target, value: d});
    });
    return out;
  }
  function chainNodes(run, links) {
    var used = {};
    links.forEach(function (l) { used[l.source] = 1; used[l.target] = 1; });
    var nodes = [];
    if (used['X:external']) nodes.push({name: 'X:external', depth: 0, itemStyle: {color: '#7f7f7f'}});
    run.industries.forEach(function (d, i) {
      if (used['S:' + d.id]) nodes.push({name: 'S:' + d.id, depth: 0, itemStyle: {color: color(i)}});
    });
    run.industries.forEach(function (d, i) {
      if (used['B:' + d.id]) nodes.push({name: 'B:' + d.id, depth: 1, itemStyle: {color: color(i)}});
    });
    run.regions.forEach(function (d, i) {
      if (used['R:' + d.id]) nodes.push({name: 'R:' + d.id, depth: 2, itemStyle: {color: color(i + 3)}});
    });
    return nodes;
  }
  function nodeLabel(run, name) {
    var p = name.split(':'), id = p[1];
    if (p[0] === 'X') return twoLang('External (rest of China)', '省外');
    if (p[0] === 'R') {
      var r = run.regions.filter(function (d) { return d.id === id; })[0];
      return r ? lab(r) : id;
    }
    var d = run.industries.filter(function (x) { return x.id === id; })[0];
    var n = d ? lab(d) : id;
    return p[0] === 'S' ? n + ' ▸' : n;
  }

  function chainSection(ctx) {
    var s = panel('chain', 'Supply chain and shocks', '产业链与冲击',
      'Left: where inputs come from (External, 省外, and in-province supplier industries ▸); middle: the ' +
      'buying industries; right: the cities where the buyers are. Widths: inputs received per step ' +
      '(External as recorded; the in-province rest split by the input coefficients of the scenario). ' +
      '<b>Shortfall</b> shows, link by link, how much less flows than at the reference (the step ' +
      'before the first shock, or the baseline run at the same step): press ▶ to watch where a shock\'s ' +
      'shortfall travels. The heat map below follows any industry series over time.');
    var run0 = ctx.focus();
    var firstShock = run0.ev.shocks.length ? run0.ev.shocks[0].start : null;
    var multi = ctx.runs.length > 1;
    var st = {mode: firstShock != null ? (multi ? 'short-base' : 'short-step') : 'flows',
      ref: firstShock != null ? Math.max(0, firstShock - 1) : 0, metric: 'inputs_received',
      heatRef: multi ? 'base' : 'prev'};
    var c = controls(s);
    var modes = [['flows', 'flows 流量'], ['short-step', 'shortfall vs reference step 相对参考期的缺口']];
    if (multi) modes.push(['short-base', 'shortfall vs baseline run 相对基准的缺口']);
    select(c, 'show', modes, st.mode, function (v) { st.mode = v; draw(); });
    var refSl = slider(c, 'reference step', run0.steps - 1, st.ref, function (v) { st.ref = v; draw(); drawHeat(); });
    var sankey = chartBox(s, 'sankey', '', '', 580);
    var hm = el('div', {style: 'margin-top:14px'});
    s.appendChild(hm);
    var c2 = controls(hm);
    var heatNames = ['inputs_received', 'external_inputs', 'output', 'unfilled', 'inventory', 'orders_received', 'deliveries',
      'orders_placed', 'external_fill', 'employment_skilled', 'credit_granted'];
    select(c2, 'heat map series', heatNames.filter(function (n) { return run0.ind[n]; }).map(function (n) { return [n, metricLabel(run0, 'ind', n)]; }),
      st.metric, function (v) { st.metric = v; drawHeat(); });
    var refs = [['prev', 'vs the previous step 环比'], ['step', 'vs the reference step 相对参考期']];
    if (multi) refs.push(['base', 'vs the baseline run 相对基准']);
    select(c2, 'change', refs, st.heatRef, function (v) { st.heatRef = v; drawHeat(); });
    var heat = chartBox(hm, 'shortfall-heatmap', '', '', 400);
    function inShock(run, t) {
      var s2 = run.ev.shocks.filter(function (k) { return t >= k.start && t <= k.end; });
      return s2.length ? s2.map(function (k) { return k.id; }).join(', ') : '';
    }
    /* The frames of the timeline: every step, or the steps after the reference. */
    function frames(run) {
      if (st.mode !== 'short-step') return range(run.steps);
      var ref = Math.min(st.ref, run.steps - 1);
      var f = range(run.steps).filter(function (t) { return t > ref; });
      return f.length ? f : [run.steps - 1];
    }
    function linksAt(run, t) {
      var now = chainLinks(run, t);
      if (st.mode === 'flows') return now;
      if (st.mode === 'short-base') {
        var b = ctx.runs[0];
        return t < b.steps ? shortfallLinks(now, chainLinks(b, t)) : [];
      }
      return shortfallLinks(now, chainLinks(run, Math.min(st.ref, run.steps - 1)));
    }
    function draw() {
      var run = ctx.focus();
      refSl.out.textContent = String(st.ref);
      var steps = frames(run), per = steps.map(function (t) { return linksAt(run, t); });
      var best = steps.length - 1;
      if (st.mode !== 'flows') {
        var bestV = 0;
        per.forEach(function (ls, i) {
          var v = 0;
          ls.forEach(function (l) { v += l.value; });
          if (v > bestV * 1.0001) { bestV = v; best = i; }
        });
      }
      var what = st.mode === 'flows' ? twoLang('Inputs received', '收到的中间投入') : twoLang('Shortfall of inputs', '中间投入缺口');
      sankey.title.textContent = what + ' — ' + run.name + ' (1e8 CNY/step)';
      sankey.note.textContent = st.mode === 'flows' ? 'inputs received per step, by source, buyer industry and buyer city' :
        st.mode === 'short-step' ? 'reference: step ' + st.ref + ' of the same run (growth since then offsets part of a shortfall); opens at the largest shortfall' :
          'reference: the baseline run ' + ctx.runs[0].name + ' at the same step; opens at the largest shortfall';
      var options = per.map(function (ls, i) {
        var t = steps[i];
        var links = ls.map(function (l) { return {source: l.source, target: l.target, value: +(l.value * 1e-8).toPrecision(6)}; });
        var sh = inShock(run, t);
        return {title: {text: 'step ' + t + (sh ? '  (shock: ' + sh + ')' : '') + (links.length ? '' : '  — no shortfall'), left: 8, top: 0,
          textStyle: {fontSize: 13, color: sh ? '#b42318' : '#333'}},
          series: [{data: chainNodes(run, links), links: links}]};
      });
      set(sankey.chart, {baseOption: {
        timeline: {axisType: 'category', data: steps.map(String), currentIndex: best, autoPlay: false, playInterval: 700,
          bottom: 0, left: 30, right: 30, label: {fontSize: 10}, checkpointStyle: {color: '#1d5fa8'},
          controlStyle: {itemSize: 18}},
        tooltip: {trigger: 'item', confine: true, formatter: function (p) {
          if (p.dataType === 'edge') return esc(nodeLabel(run, p.data.source)) + ' → ' + esc(nodeLabel(run, p.data.target)) + '<br>' + fmt(p.data.value) + ' (1e8 CNY/step)';
          return esc(nodeLabel(run, p.name)) + '<br>' + fmt(p.value) + ' (1e8 CNY/step)';
        }},
        series: [{type: 'sankey', left: 10, right: 160, top: 34, bottom: 62, nodeGap: 7, nodeWidth: 14, nodeAlign: 'justify',
          layoutIterations: 0, emphasis: {focus: 'adjacency'}, draggable: false,
          lineStyle: {color: 'gradient', opacity: st.mode === 'flows' ? 0.35 : 0.55, curveness: 0.5},
          label: {fontSize: 11, color: '#1f2933', textBorderColor: 'rgba(255,255,255,0.9)', textBorderWidth: 3,
            formatter: function (p) { return nodeLabel(run, p.name); }}}]},
      options: options});
    }
    function drawHeat() {
      var run = ctx.focus();
      var v = run.ind[st.metric];
      if (!v) return;
      var data = [], mx = 0, base = ctx.runs[0], ref = Math.min(st.ref, run.steps - 1);
      var mode = st.heatRef === 'base' && !multi ? 'prev' : st.heatRef;
      run.industries.forEach(function (d, i) {
        for (var t = 0; t < run.steps; t++) {
          var r0 = mode === 'base' ? (base.ind[st.metric] && t < base.steps ? base.ind[st.metric][i][t] : null) :
            mode === 'prev' ? (t > 0 ? v[i][t - 1] : null) : v[i][ref];
          var x = v[i][t];
          var r = finite(x) && finite(r0) && r0 !== 0 ? (x / r0 - 1) * 100 : null;
          if (finite(r) && Math.abs(r) > mx) mx = Math.abs(r);
          data.push([t, i, finite(r) ? +r.toFixed(3) : '-']);
        }
      });
      var lim = Math.max(1, Math.min(100, Math.ceil(mx)));
      heat.title.textContent = metricLabel(run, 'ind', st.metric) + ': change in % — ' + run.name;
      heat.note.textContent = (mode === 'base' ? 'relative to the baseline run ' + base.name + ' at the same step' :
        mode === 'prev' ? 'relative to the previous step' : 'relative to step ' + ref + ' (reference)') +
        '; steps of a shock in red on the axis; grey: undefined';
      set(heat.chart, {tooltip: {confine: true, formatter: function (p) {
        return esc(lab(run.industries[p.data[1]])) + ', step ' + p.data[0] + ': ' + (p.data[2] === '-' ? 'n/a' : fmtPct(p.data[2]));
      }},
      grid: {left: 210, right: 90, top: 10, bottom: 40},
      xAxis: {type: 'category', data: range(run.steps).map(String), name: 'step', nameLocation: 'middle', nameGap: 26,
        axisLabel: {color: function (val) { return inShock(run, +val) ? '#b42318' : '#555'; }, fontWeight: 'normal'}},
      yAxis: {type: 'category', data: run.industries.map(function (d) { return lab(d); }), axisLabel: {width: 200, overflow: 'truncate', fontSize: 11}},
      visualMap: {min: -lim, max: lim, calculable: true, orient: 'vertical', right: 0, top: 'middle', itemHeight: 200,
        formatter: function (x) { return (x > 0 ? '+' : '') + fmt(x, 2) + '%'; },
        inRange: {color: ['#b2182b', '#ef8a62', '#fddbc7', '#f7f7f7', '#d1e5f0', '#67a9cf', '#2166ac']}},
      series: [{type: 'heatmap', data: data, progressive: 0, emphasis: {itemStyle: {borderColor: '#000', borderWidth: 1}}}]});
    }
    onRender(function () { refSl.input.max = ctx.focus().steps - 1; draw(); drawHeat(); });
  }

  /* ---- levers ----------------------------------------------------------- */

  function leverSeries(run) {
    var out = [];
    Object.keys(run.eco).forEach(function (n) {
      var m = /^lever_spending_(.+)$/.exec(n);
      if (!m) return;
      var a = run.eco[n], cut = run.eco['lever_cut_' + m[1]];
      if (a.some(function (v) { return finite(v) && v !== 0; }) || (cut && cut.some(function (v) { return finite(v) && v !== 0; })))
        out.push({key: m[1], spend: a, cut: cut, doc: (run.meta.eco[n] || [])[1] || n});
    });
    return out;
  }
  function leverSection(ctx) {
    var s = panel('levers', 'Lever spending', '政策杠杆支出',
      'Spending of each lever per step (1e8 CNY, stacked) and the cost that could not be paid for ' +
      'lack of budget or treasury (cut, dashed). Levers and their mechanisms: docs/levers.md.');
    if (!ctx.runs.some(function (r) { return leverSeries(r).length; })) {
      s.appendChild(el('p', {html: '<span class="pill">no lever spends in ' + (ctx.runs.length > 1 ? 'these runs' : 'this run') +
        '</span> The scenario' + (ctx.runs.length > 1 ? 's enable' : ' enables') + ' no policy lever (see the scenario section); ' +
        'the lever scenarios of the library (<code>lever_*.yaml</code>, <code>package_paper.yaml</code>) do.'}));
      return;
    }
    var g = el('div', {cls: 'grid2'});
    s.appendChild(g);
    var a = chartBox(g, 'lever-spending', '', '', 380);
    var b = chartBox(g, 'lever-total', 'Total lever spending by run 各方案政策支出合计', 'cumulative over the run, 1e8 CNY', 380);
    var tbl = el('div');
    s.appendChild(tbl);
    onRender(function () {
      var run = ctx.focus();
      var ls = leverSeries(run);
      a.title.textContent = twoLang('Spending per step', '每期支出') + ' — ' + run.name;
      a.note.textContent = ls.length ? 'stacked by lever; dashed: cut (not paid)' : 'no lever spends in this run (total shown)';
      var series = [];
      ls.forEach(function (l, i) {
        series.push({type: 'line', name: l.key, stack: 'spend', areaStyle: {opacity: 0.55}, showSymbol: false,
          data: xy(scaled(l.spend, 1e-8)), itemStyle: {color: color(i)}, lineStyle: {width: 1}});
        if (l.cut && l.cut.some(function (v) { return finite(v) && v > 0; }))
          series.push({type: 'line', name: l.key + ' (cut)', showSymbol: false, data: xy(scaled(l.cut, 1e-8)),
            itemStyle: {color: color(i)}, lineStyle: {type: 'dashed', width: 1.5}});
      });
      if (!series.length && run.eco.lever_spending)
        series.push({type: 'line', name: 'lever_spending', showSymbol: false, data: xy(scaled(run.eco.lever_spending, 1e-8)), itemStyle: {color: '#555'}});
      withMarks(series, run);
      set(a.chart, {tooltip: lineTooltip('1e8 CNY/step'), legend: legend(), grid: {left: 60, right: 20, top: 24, bottom: 70},
        xAxis: stepAxis(run, run.steps), yAxis: {type: 'value', name: '1e8 CNY/step'}, series: series});
      var keys = {};
      ctx.runs.forEach(function (r) { leverSeries(r).forEach(function (l) { keys[l.key] = 1; }); });
      var klist = Object.keys(keys);
      var bars = klist.length ? klist.map(function (k, i) {
        return {type: 'bar', name: k, stack: 'total', itemStyle: {color: color(i)}, data: ctx.runs.map(function (r) {
          var x = r.eco['lever_spending_' + k];
          return x ? +((sum(x) || 0) * 1e-8).toPrecision(6) : 0;
        })};
      }) : [{type: 'bar', name: 'lever_spending', data: ctx.runs.map(function (r) { return r.eco.lever_spending ? (sum(r.eco.lever_spending) || 0) * 1e-8 : 0; })}];
      set(b.chart, {tooltip: {trigger: 'axis', confine: true, valueFormatter: function (v) { return fmt(v) + ' 1e8 CNY'; }}, legend: legend(),
        grid: {left: 60, right: 20, top: 24, bottom: 70}, xAxis: {type: 'category', data: ctx.runs.map(function (r) { return r.name; }),
          axisLabel: {width: 120, overflow: 'truncate'}}, yAxis: {type: 'value', name: '1e8 CNY'}, series: bars});
      tbl.innerHTML = '';
      if (run.levers.length) {
        table(tbl, ['lever', 'what it does', 'active steps', 'intensity', 'amount', 'budget (1e8 CNY/yr)', 'targets'],
          run.levers.map(function (l) {
            return ['<b>' + esc(l.key) + '</b>', esc(l.doc), l.start + ' – ' + (l.end < 0 ? 'end' : l.end), fmt(l.intensity), fmt(l.amount), fmt(l.budget),
              esc(l.regions.concat(l.industries).join(', ') || 'all')];
          }), [0, 0, 0, 1, 1, 1, 0]);
      }
    });
  }

  /* ---- policy minus baseline -------------------------------------------- */

  function diffSection(ctx) {
    var runs = ctx.runs, base = runs[0];
    var s = panel('effects', 'Policy minus baseline', '政策效应（政策减基准）',
      'Each run minus the first run (the baseline, ' + esc(base.name) + '), step by step; in percent of ' +
      'the baseline for levels, in percentage points for shares and indices. Use the same seed for ' +
      'both runs (common random numbers) so that the differences are the policy\'s, not noise.');
    var st = {name: 'index_nqp', t: null};
    var c = controls(s);
    var names = Object.keys(base.eco).filter(function (n) { return runs.every(function (r) { return r.eco[n]; }) && !/^lever_(cut|spending)_/.test(n); });
    if (names.indexOf(st.name) < 0) st.name = names[0];
    var nameSel = select(c, 'series', [], st.name, function (v) { st.name = v; draw(); });
    var common = Math.min.apply(null, runs.map(function (r) { return r.steps; }));
    st.t = common - 1;
    var sl = slider(c, 'step for the bars', common - 1, st.t, function (v) { st.t = v; drawBars(); });
    var line = chartBox(s, 'effect-economy', '', '', 360);
    var g = el('div', {cls: 'grid2'});
    s.appendChild(g);
    var byReg = chartBox(g, 'effect-region', '', '', 420);
    var byInd = chartBox(g, 'effect-industry', '', '', 420);
    function isShare(run, level, n) { var u = unitsOf(run, level, n); return u === 'share'; }
    function eff(b, p, share) {
      if (!finite(b) || !finite(p)) return null;
      if (share) return (p - b) * 100;
      return b !== 0 ? (p / b - 1) * 100 : null;
    }
    function draw() {
      fillSelect(nameSel, names.map(function (n) { return [n, metricLabel(base, 'eco', n)]; }), st.name);
      var share = isShare(base, 'eco', st.name);
      var unit = share ? 'pp' : '%';
      line.title.textContent = metricLabel(base, 'eco', st.name) + ' — ' + twoLang('province', '全省');
      line.note.textContent = share ? 'difference in percentage points' : 'difference in % of the baseline';
      var series = runs.slice(1).map(function (r, i) {
        return {type: 'line', name: r.name, showSymbol: false, itemStyle: {color: color(i + 1)}, lineStyle: {width: 2},
          data: range(common).map(function (t) { var e = eff(base.eco[st.name][t], r.eco[st.name][t], share); return [t, finite(e) ? +e.toFixed(5) : null]; })};
      });
      withMarks(series, runs[runs.length - 1]);
      set(line.chart, {tooltip: lineTooltip(unit), legend: legend(), grid: {left: 60, right: 20, top: 24, bottom: 70},
        xAxis: stepAxis(base, common), yAxis: {type: 'value', name: unit}, series: series});
      drawBars();
    }
    function bars(chart, box, level, list, title) {
      var lvl = level === 'reg' ? 'reg' : 'ind';
      var src = function (r) { return level === 'reg' ? r.reg : r.ind; };
      if (!src(base)[st.name]) {
        box.title.textContent = title + ': ' + st.name + ' (not available at this level: NQP index shown)';
      }
      var name = src(base)[st.name] ? st.name : 'index_nqp';
      var share = isShare(base, lvl, name);
      var idx = list.map(function (d, i) { return i; }).filter(function (i) {
        return !list[i].external && finite(src(base)[name][i][st.t]) && src(base)[name][i][st.t] !== 0;
      });
      if (src(base)[st.name]) box.title.textContent = title + ': ' + metricLabel(base, lvl, name) + ', step ' + st.t;
      box.note.textContent = share ? 'percentage points' : '% of the baseline';
      var series = runs.slice(1).map(function (r, k) {
        return {type: 'bar', name: r.name, itemStyle: {color: color(k + 1)}, data: idx.map(function (i) {
          var e = eff(src(base)[name][i][st.t], src(r)[name][i][st.t], share);
          return finite(e) ? +e.toFixed(4) : null;
        })};
      });
      set(chart, {tooltip: {trigger: 'axis', confine: true, valueFormatter: function (v) { return fmt(v) + (share ? ' pp' : ' %'); }},
        legend: legend(), grid: {left: 200, right: 24, top: 10, bottom: 70},
        yAxis: {type: 'category', inverse: true, data: idx.map(function (i) { return lab(list[i]); }), axisLabel: {width: 190, overflow: 'truncate', fontSize: 11}},
        xAxis: {type: 'value', name: share ? 'percentage points' : '% of the baseline', nameLocation: 'middle', nameGap: 24}, series: series});
    }
    function drawBars() {
      sl.out.textContent = String(st.t);
      bars(byReg.chart, byReg, 'reg', base.regions, twoLang('By region', '按地区'));
      bars(byInd.chart, byInd, 'ind', base.industries, twoLang('By industry', '按产业'));
    }
    onRender(draw);
  }

  /* ---- scenario and provenance ------------------------------------------ */

  function scenarioSection(ctx) {
    var s = panel('scenario', 'Scenario and provenance', '情景与来源',
      'What was run: the scenario\'s description, shocks and levers, the file\'s provenance ' +
      '(program version, git commit, seed, command line) and the full resolved scenario (YAML), ' +
      'which reruns the simulation bit for bit with the same build.');
    ctx.runs.forEach(function (run, i) {
      var box = el('div', {style: i ? 'margin-top:18px;border-top:1px solid #dde3ea;padding-top:12px' : ''});
      box.appendChild(el('h3', {text: (ctx.runs.length > 1 ? (i === 0 ? 'Baseline: ' : 'Run ' + (i + 1) + ': ') : '') + run.name + ' — ' + run.file, style: 'margin:4px 0'}));
      if (run.description) box.appendChild(el('p', {text: run.description, style: 'margin:4px 0 8px'}));
      var pills = el('div');
      run.shocks.forEach(function (k) {
        pills.appendChild(el('span', {cls: 'pill shock', text: 'shock ' + k.id + ': ' + k.type + ' ' + (k.size * 100).toFixed(0) + '% from step ' + k.start + ' for ' + k.duration + ' steps' +
          (k.industries.length ? ' (' + k.industries.join(', ') + ')' : '') + (k.regions.length ? ' (' + k.regions.join(', ') + ')' : '')}));
      });
      run.levers.forEach(function (l) { pills.appendChild(el('span', {cls: 'pill', text: 'lever ' + l.key + ' from step ' + l.start})); });
      if (!run.shocks.length && !run.levers.length) pills.appendChild(el('span', {cls: 'pill', text: 'no shock, no lever'}));
      box.appendChild(pills);
      var keys = ['scenario_name', 'seed', 'steps', 'steps_per_year', 'status', 'program', 'version', 'git_commit', 'compiler', 'build_type',
        'hdf5_version', 'threads', 'start_time', 'end_time', 'wall_time_s', 'command_line'];
      attrTable(box, run.attrs, keys);
      var d = el('details', {}, el('summary', {text: 'resolved scenario (YAML, ' + (run.scenario || '').split('\n').length + ' lines)'}),
        el('pre', {cls: 'yaml', text: run.scenario || '(not stored)'}));
      box.appendChild(d);
      s.appendChild(box);
    });
  }

  /* ======================================================================
   * Sweep reports
   * ====================================================================== */

  function ds(g, name) { return g && g[name] ? g[name] : null; }
  function dsData(g, name) { var d = ds(g, name); return d ? d.data : null; }

  function sweepReport(sw) {
    var a = sw.attrs;
    var desc = /^description:\s*"?(.*?)"?\s*$/m.exec(sw.yaml || '');
    header('nqpsim sweep report: ' + (a.sweep_name || sw.file),
      (desc && desc[1] ? desc[1] + ' · ' : '') + 'design ' + a.design + ', ' + a.points + ' point' + (a.points === 1 ? '' : 's') + ' × ' +
      a.replicates + ' replicate' + (a.replicates === 1 ? '' : 's') + ' = ' + a.runs + ' runs (' + a.runs_ok + ' ok, ' + a.runs_failed + ' failed)',
      sw.file + ' · seed ' + a.seed + (a.common_random_numbers ? ', common random numbers' : '') + ' · nqpsim ' + (a.version || '') +
      ' (' + (a.git_commit || '') + '), Apache ECharts ' + (BUILD.echarts || ''));
    navControls();
    warningsBox(WARNINGS);
    var m = sweepModel(sw);
    sweepOverview(m);
    sweepDistributions(m);
    if (a.replicates > 1) sweepBands(m);
    if (m.P > 0 && m.points > 1) sweepScatter(m);
    if (sw.analysis && sw.analysis.sobol) sweepSobol(m, sw.analysis.sobol);
    if (sw.analysis && sw.analysis.morris) sweepMorris(m, sw.analysis.morris);
    sweepFiles(m);
  }

  /* The sweep's arrays in a handier form. */
  function sweepModel(sw) {
    var res = sw.results, sum_ = sw.summary, des = sw.design;
    var metrics = dsData(res, 'metric') || [];
    var params = dsData(des, 'parameter') || [];
    var val = ds(res, 'value');
    var m = {sw: sw, metrics: metrics, params: params, P: params.length, M: metrics.length,
      points: val ? val.shape[0] : 0, reps: val ? val.shape[1] : 0, value: val ? val.data : [],
      design: dsData(des, 'value') || [], series: dsData(res, 'series') || [], level: dsData(res, 'level') || [],
      cell: dsData(res, 'cell') || [], statistic: dsData(res, 'statistic') || [], from: dsData(res, 'from') || [],
      to: dsData(res, 'to') || [], mean: dsData(sum_, 'mean') || [], sd: dsData(sum_, 'sd') || [],
      lo: dsData(sum_, 'ci_low') || [], hi: dsData(sum_, 'ci_high') || [], n: dsData(sum_, 'n') || [],
      q: dsData(sum_, 'quantiles') || [], need: dsData(sum_, 'replicates_needed'), labels: sw.labels || {}};
    m.v = function (p, r, k) { return m.value[(p * m.reps + r) * m.M + k]; };
    m.s = function (arr, p, k) { return arr[p * m.M + k]; };
    m.quant = function (p, k) { var o = (p * m.M + k) * 5; return m.q.slice(o, o + 5); };
    m.pointLabel = function (p) {
      if (!m.P) return 'base scenario';
      return m.params.map(function (n, j) { return n + '=' + fmt(m.design[p * m.P + j]); }).join(', ');
    };
    m.cellLabel = function (k) {
      var c = m.cell[k], lv = m.level[k];
      if (!c) return '';
      var parts = c.split('/');
      return parts.map(function (id, i) {
        var tab = (lv === 'region' || (lv === 'industry_region' && i === 1)) ? m.labels.regions : m.labels.industries;
        var nm = tab && tab[id];
        return nm ? lab({id: id, name: nm[0], zh: nm[1]}) : id;
      }).join(' / ');
    };
    m.metricText = function (k) {
      var c = m.cellLabel(k);
      return m.metrics[k] + ': ' + m.statistic[k] + ' of ' + m.series[k] + (c ? ' (' + c + ')' : '') + ', steps ' + m.from[k] + '–' + m.to[k];
    };
    return m;
  }

  function sweepOverview(m) {
    var s = panel('overview', 'Design and metrics', '设计与指标',
      'The parameters the design varies and the metrics each run is reduced to. Means, standard ' +
      'deviations and confidence intervals are over the replicates of a point (summary group of the ' +
      'results file), here shown for the first point' + (m.points > 1 ? ' and as the range of the point means' : '') + '.');
    if (m.P) {
      var des = m.sw.design;
      table(s, ['parameter', 'scenario key', 'distribution', 'min', 'max'], m.params.map(function (n, j) {
        return ['<b>' + esc(n) + '</b>', '<code>' + esc(dsData(des, 'path')[j]) + '</code>', esc(dsData(des, 'distribution')[j]),
          fmt(dsData(des, 'min')[j]), fmt(dsData(des, 'max')[j])];
      }), [0, 0, 0, 1, 1]);
    } else {
      s.appendChild(el('p', {text: 'No parameter: every run is the base scenario with another seed (a replicate study).'}));
    }
    var head = ['metric', 'definition', 'n', 'mean (point 0)', 'sd', 'CI of the mean'];
    if (m.points > 1) head.push('point means: min – max');
    if (m.need) head.push('replicates needed');
    table(s, head, m.metrics.map(function (name, k) {
      var row = ['<b>' + esc(name) + '</b>', esc(m.metricText(k).replace(/^[^:]*: /, '')), fmt(m.s(m.n, 0, k)), fmt(m.s(m.mean, 0, k)),
        fmt(m.s(m.sd, 0, k)), finite(m.s(m.lo, 0, k)) ? fmt(m.s(m.lo, 0, k)) + ' – ' + fmt(m.s(m.hi, 0, k)) : 'n/a'];
      if (m.points > 1) {
        var lo = Infinity, hi = -Infinity;
        for (var p = 0; p < m.points; p++) { var v = m.s(m.mean, p, k); if (finite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); } }
        row.push(isFinite(lo) ? fmt(lo) + ' – ' + fmt(hi) : 'n/a');
      }
      if (m.need) row.push(fmt(m.s(m.need, 0, k)));
      return row;
    }), head.map(function (h, i) { return i >= 2 && i !== 5; }));
  }

  function sweepDistributions(m) {
    var s = panel('distributions', 'Distributions per point', '各设计点的分布',
      'Box: 25–75 % of the replicates, line: median, whiskers: 5–95 % (quantiles of the summary group); ' +
      'dots: the replicate values. With one replicate per point the box is the single value.');
    var st = {k: 0};
    for (var k0 = 0; k0 < m.M; k0++) if (m.s(m.sd, 0, k0) > 1e-6 * Math.abs(m.s(m.mean, 0, k0))) { st.k = k0; break; }
    var c = controls(s);
    select(c, 'metric', m.metrics.map(function (n, k) { return [k, n]; }), st.k, function (v) { st.k = +v; draw(); });
    var box = chartBox(s, 'boxplot', '', '', 420);
    function draw() {
      var k = st.k, cats = [], boxes = [], dots = [];
      for (var p = 0; p < m.points; p++) {
        cats.push(m.points === 1 ? m.metrics[k] : 'p' + p);
        var q = m.quant(p, k);
        boxes.push(q.every(finite) ? [q[0], q[1], q[2], q[3], q[4]] : '-');
        for (var r = 0; r < m.reps; r++) { var v = m.v(p, r, k); if (finite(v)) dots.push([p, v]); }
      }
      box.title.textContent = m.metricText(k);
      box.note.textContent = m.points > 1 ? 'hover a box for the parameter values of its point' : 'replicates of the base scenario';
      var many = m.points > 30;
      set(box.chart, {tooltip: {trigger: 'item', confine: true, formatter: function (pp) {
        var p = pp.seriesType === 'boxplot' ? pp.dataIndex : pp.data[0];
        var head = (m.points > 1 ? 'point ' + p + ': ' + esc(m.pointLabel(p)) : esc(m.metrics[k])) + '<br>';
        if (pp.seriesType === 'boxplot') return head + '5/25/50/75/95 %: ' + pp.data.slice(1).map(function (x) { return fmt(x); }).join(' / ');
        return head + 'replicate value: ' + fmt(pp.data[1]);
      }}, grid: {left: 16, right: 20, top: 20, bottom: many ? 70 : 40, containLabel: true},
      xAxis: {type: 'category', data: cats, name: m.points > 1 ? 'design point' : '', nameLocation: 'middle', nameGap: 26},
      yAxis: {type: 'value', scale: true, axisLabel: AXFMT},
      dataZoom: many ? [{type: 'slider', start: 0, end: Math.min(100, 3000 / m.points), bottom: 8}, {type: 'inside'}] : [],
      series: [{type: 'boxplot', name: 'quantiles', data: boxes, itemStyle: {color: '#e6effa', borderColor: '#1d5fa8'}},
        {type: 'scatter', name: 'replicates', data: dots, symbolSize: 5, itemStyle: {color: 'rgba(230,85,13,0.65)'}}]});
    }
    onRender(draw);
  }

  /* Metrics of one series/level/cell/statistic that differ only in `to`:
   * a time profile. Returns [{key, ks (sorted by to)}], groups of >= 3. */
  function timeGroups(m) {
    var g = {};
    m.metrics.forEach(function (n, k) {
      if (m.statistic[k] === 'recovery') return;
      var key = [m.series[k], m.level[k], m.cell[k], m.statistic[k], m.statistic[k] === 'final' ? '' : m.from[k]].join('|');
      (g[key] = g[key] || []).push(k);
    });
    return Object.keys(g).filter(function (key) {
      var tos = {};
      g[key].forEach(function (k) { tos[m.to[k]] = 1; });
      return Object.keys(tos).length >= 3;
    }).map(function (key) {
      return {key: key, ks: g[key].sort(function (a, b) { return m.to[a] - m.to[b]; })};
    });
  }
  function sweepBands(m) {
    var groups = timeGroups(m);
    var s = panel('bands', 'Confidence over replicates', '重复实验的置信区间',
      groups.length ? 'Metrics of one series taken at several steps (the `to` of the metric) form a time profile: the line is ' +
        'the mean over replicates, the dark band the confidence interval of the mean, the light band 5–95 % of the replicates.' :
        'Relative half-width of the confidence interval of each metric\'s mean (percent of the mean) with the ' +
        'replicates run, and the replicates each metric would need (analysis.target_ci). For bands over time, ' +
        'add metrics of one series with statistic final at several `to` steps: the report draws them as a time profile.');
    var st = {g: 0, p: 0};
    var c = controls(s);
    if (m.points > 1) select(c, 'point', range(m.points).map(function (p) { return [p, 'p' + p + ': ' + m.pointLabel(p)]; }), 0, function (v) { st.p = +v; draw(); });
    if (groups.length > 1) select(c, 'profile', groups.map(function (g, i) { return [i, m.metrics[g.ks[0]].replace(/_?s?\d+$/, '') + ' (' + g.key.split('|').filter(String).join(', ') + ')']; }), 0, function (v) { st.g = +v; draw(); });
    var box = chartBox(s, groups.length ? 'bands' : 'ci-width', '', '', 400);
    function draw() {
      var p = st.p;
      if (!groups.length) {
        var ks = range(m.M).filter(function (k) { return finite(m.s(m.mean, p, k)) && m.s(m.mean, p, k) !== 0; });
        box.title.textContent = 'Confidence interval half-width, % of the mean (' + (a95()) + ')';
        box.note.textContent = 'point ' + p + (m.P ? ': ' + m.pointLabel(p) : '') + '; n = replicates with a value';
        var ser = [{type: 'bar', name: 'CI half-width (% of mean)', itemStyle: {color: '#1d5fa8'}, data: ks.map(function (k) {
          var w = (m.s(m.hi, p, k) - m.s(m.lo, p, k)) / 2 / Math.abs(m.s(m.mean, p, k)) * 100;
          return finite(w) ? +w.toPrecision(4) : null;
        })}];
        if (m.need) ser.push({type: 'bar', name: 'replicates needed', yAxisIndex: 1, itemStyle: {color: '#e6550d'},
          data: ks.map(function (k) { var v = m.s(m.need, p, k); return finite(v) ? v : null; })});
        set(box.chart, {tooltip: {trigger: 'axis', confine: true}, legend: legend(), grid: {left: 16, right: 16, top: 30, bottom: 50, containLabel: true},
          xAxis: {type: 'category', data: ks.map(function (k) { return m.metrics[k]; }), axisLabel: {rotate: 20, fontSize: 11}},
          yAxis: [{type: 'value', name: '% of mean'}, {type: 'value', name: 'replicates', show: !!m.need}], series: ser});
        return;
      }
      var g = groups[st.g], k0 = g.ks[0];
      box.title.textContent = m.statistic[k0] + ' of ' + m.series[k0] + (m.cellLabel(k0) ? ' (' + m.cellLabel(k0) + ')' : '') + ' over time';
      box.note.textContent = 'point ' + p + (m.P ? ': ' + m.pointLabel(p) : ' (base scenario)') + '; ' + m.reps + ' replicates, ' + a95();
      var xs = g.ks.map(function (k) { return m.to[k]; });
      function col(f) { return g.ks.map(function (k, i) { var v = f(k); return [xs[i], finite(v) ? v : null]; }); }
      var band = function (f, g2) { return g.ks.map(function (k, i) { return [xs[i], f(k), g2(k)]; }); };
      var reps = [];
      for (var r = 0; r < m.reps; r++) reps.push({type: 'line', name: 'replicates', data: col(function (k) { return m.v(p, r, k); }),
        showSymbol: false, lineStyle: {width: 0.7, color: 'rgba(90,90,90,0.35)'}, itemStyle: {color: '#999'}, silent: true, tooltip: {show: false}, z: 2});
      set(box.chart, {tooltip: {trigger: 'axis', confine: true, formatter: function (ps) {
        var t = ps[0].data[0], i = xs.indexOf(t), k = g.ks[i];
        if (k == null) return '';
        return 'step ' + t + '<br>mean ' + fmt(m.s(m.mean, p, k)) + '<br>CI ' + fmt(m.s(m.lo, p, k)) + ' – ' + fmt(m.s(m.hi, p, k)) +
          '<br>5–95 %: ' + fmt(m.quant(p, k)[0]) + ' – ' + fmt(m.quant(p, k)[4]);
      }}, legend: legend({type: 'plain', data: ['mean', 'CI of the mean', '5–95 % of replicates', 'replicates']}),
      grid: {left: 16, right: 24, top: 20, bottom: 60, containLabel: true},
      xAxis: {type: 'value', name: 'step', nameLocation: 'middle', nameGap: 24, min: xs[0], max: xs[xs.length - 1]},
      yAxis: {type: 'value', scale: true, axisLabel: AXFMT},
      series: [bandSeries('5–95 % of replicates', band(function (k) { return m.quant(p, k)[0]; }, function (k) { return m.quant(p, k)[4]; }), 'rgba(158,202,225,0.45)'),
        bandSeries('CI of the mean', band(function (k) { return m.s(m.lo, p, k); }, function (k) { return m.s(m.hi, p, k); }), 'rgba(49,130,189,0.55)'),
        {type: 'line', name: 'mean', data: col(function (k) { return m.s(m.mean, p, k); }), lineStyle: {width: 2.5, color: '#08306b'},
          itemStyle: {color: '#08306b'}, symbolSize: 5, z: 5}].concat(reps)});
    }
    function a95() { return 'confidence ' + ((/confidence:\s*([\d.]+)/.exec(m.sw.yaml || '') || [0, '0.95'])[1]); }
    onRender(draw);
  }

  function sweepScatter(m) {
    var s = panel('response', 'Metric against each parameter', '指标与参数',
      'Each dot is a design point (the mean over its replicates, with the confidence interval of the ' +
      'mean when there are replicates); the spread at one parameter value comes from the other parameters.');
    var st = {k: 0, j: 0};
    var c = controls(s);
    select(c, 'metric', m.metrics.map(function (n, k) { return [k, n]; }), 0, function (v) { st.k = +v; draw(); });
    select(c, 'parameter', m.params.map(function (n, j) { return [j, n]; }), 0, function (v) { st.j = +v; draw(); });
    var box = chartBox(s, 'response', '', '', 400);
    function draw() {
      var k = st.k, j = st.j, pts = [], bars = [];
      for (var p = 0; p < m.points; p++) {
        var x = m.design[p * m.P + j], y = m.s(m.mean, p, k);
        if (finite(x) && finite(y)) pts.push([x, y, p]);
        if (finite(x) && finite(m.s(m.lo, p, k))) bars.push([x, m.s(m.lo, p, k), m.s(m.hi, p, k)]);
      }
      box.title.textContent = m.metrics[k] + ' against ' + m.params[j];
      box.note.textContent = m.metricText(k);
      set(box.chart, {tooltip: {trigger: 'item', confine: true, formatter: function (pp) {
        if (pp.seriesType !== 'scatter') return '';
        return 'point ' + pp.data[2] + ': ' + esc(m.pointLabel(pp.data[2])) + '<br>' + esc(m.metrics[k]) + ' = ' + fmt(pp.data[1]);
      }}, grid: {left: 16, right: 24, top: 30, bottom: 40, containLabel: true},
      xAxis: {type: 'value', name: m.params[j], nameLocation: 'middle', nameGap: 26, scale: true},
      yAxis: {type: 'value', scale: true, name: m.metrics[k], axisLabel: AXFMT},
      series: [{type: 'scatter', name: m.metrics[k], data: pts, symbolSize: 8, itemStyle: {color: 'rgba(29,95,168,0.75)'}},
        errorBars('CI', bars, false, '#1d5fa8')]});
    }
    onRender(draw);
  }

  /* A custom series drawing error bars: DATA [[x, lo, hi]] (vertical) or
   * [[y, lo, hi]] with HORIZ; OFFSET a share of the category band. */
  function errorBars(name, data, horiz, col, offset) {
    return {type: 'custom', name: name, data: data, z: 10, silent: true, tooltip: {show: false},
      renderItem: function (params, api) {
        var c = api.value(0), lo = api.value(1), hi = api.value(2);
        if (!finite(lo) || !finite(hi)) return null;
        var a = horiz ? api.coord([lo, c]) : api.coord([c, lo]);
        var b = horiz ? api.coord([hi, c]) : api.coord([c, hi]);
        var shift = offset ? (horiz ? api.size([0, 1])[1] : api.size([1, 0])[0]) * offset : 0;
        var cap = 4, st = {stroke: col || '#333', lineWidth: 1.4};
        if (horiz) { a[1] += shift; b[1] += shift; } else { a[0] += shift; b[0] += shift; }
        var lines = [[a, b]];
        if (horiz) { lines.push([[a[0], a[1] - cap], [a[0], a[1] + cap]]); lines.push([[b[0], b[1] - cap], [b[0], b[1] + cap]]); }
        else { lines.push([[a[0] - cap, a[1]], [a[0] + cap, a[1]]]); lines.push([[b[0] - cap, b[1]], [b[0] + cap, b[1]]]); }
        return {type: 'group', children: lines.map(function (l) {
          return {type: 'line', shape: {x1: l[0][0], y1: l[0][1], x2: l[1][0], y2: l[1][1]}, style: st};
        })};
      }};
  }

  /* A custom series filling the band between LO and HI: DATA [[x, lo, hi]]. */
  function bandSeries(name, data, fill) {
    var pts = data.filter(function (d) { return finite(d[1]) && finite(d[2]); });
    return {type: 'custom', name: name, data: pts, silent: true, z: 1, itemStyle: {color: fill}, tooltip: {show: false},
      renderItem: function (params, api) {
        if (params.dataIndex !== 0 || pts.length < 2) return null;
        var up = pts.map(function (d) { return api.coord([d[0], d[2]]); });
        var down = pts.slice().reverse().map(function (d) { return api.coord([d[0], d[1]]); });
        return {type: 'polygon', shape: {points: up.concat(down)}, style: {fill: fill}};
      }};
  }
  var AXFMT = {formatter: function (v) { return fmt(v); }};

  /* The frame both sensitivity panels share: the metrics and parameters of
   * group GRP, a metric picker (st.k) that calls st.draw, and get(name, k, j)
   * reading a [metric][parameter] dataset. */
  function sensitivityFrame(m, grp, s) {
    var f = {metrics: dsData(grp, 'metric') || m.metrics, params: dsData(grp, 'parameter') || m.params, k: 0};
    f.P = f.params.length;
    f.get = function (name, k, j) { var d = dsData(grp, name); return d ? d[k * f.P + j] : null; };
    select(controls(s), 'metric', f.metrics.map(function (n, k) { return [k, n]; }), 0, function (v) { f.k = +v; f.draw(); });
    return f;
  }

  function sweepSobol(m, so) {
    var s = panel('sobol', 'Sobol\' sensitivity indices', 'Sobol 敏感性指数',
      'First-order (S1: the share of the metric\'s variance due to the parameter alone) and total ' +
      '(ST: including its interactions) indices with their bootstrap confidence intervals. ST ≫ S1 ' +
      'means interactions; ST ≈ 0 means the parameter can be fixed.');
    var st = sensitivityFrame(m, so, s), metrics = st.metrics, params = st.params, P = st.P, get = st.get;
    var box = chartBox(s, 'sobol', '', '', 400);
    var s2 = ds(so, 'S2') ? chartBox(s, 'sobol-s2', 'Second-order indices S2 二阶指数', 'interaction of each pair of parameters', 380) : null;
    function draw() {
      var k = st.k;
      var order = range(P).sort(function (a, b) { return (get('ST', k, b) || 0) - (get('ST', k, a) || 0); });
      box.title.textContent = 'S1 and ST of ' + metrics[k];
      box.note.textContent = m.metricText(Math.max(0, m.metrics.indexOf(metrics[k])));
      function bar(name) { return order.map(function (j) { var v = get(name, k, j); return finite(v) ? +v.toFixed(4) : null; }); }
      function eb(name, off) {
        return order.map(function (j, i) { var v = get(name, k, j), cf = get(name + '_conf', k, j); return [i, finite(v) && finite(cf) ? v - cf : null, finite(v) && finite(cf) ? v + cf : null]; });
      }
      set(box.chart, {tooltip: {trigger: 'axis', confine: true, formatter: function (ps) {
        var j = order[ps[0].dataIndex];
        return esc(params[j]) + '<br>S1 = ' + fmt(get('S1', k, j)) + ' ± ' + fmt(get('S1_conf', k, j)) + '<br>ST = ' + fmt(get('ST', k, j)) + ' ± ' + fmt(get('ST_conf', k, j));
      }}, legend: legend({data: ['S1 (first order)', 'ST (total)']}), grid: {left: 60, right: 20, top: 20, bottom: 80},
      xAxis: {type: 'category', data: order.map(function (j) { return params[j]; }), axisLabel: {rotate: P > 6 ? 25 : 0, fontSize: 11}},
      yAxis: {type: 'value', name: 'index', min: function (v) { return Math.min(0, Math.floor(v.min * 10) / 10); }},
      series: [{type: 'bar', name: 'S1 (first order)', data: bar('S1'), barWidth: '30%', barGap: '0%', itemStyle: {color: '#6baed6'}},
        {type: 'bar', name: 'ST (total)', data: bar('ST'), barWidth: '30%', itemStyle: {color: '#08519c'}},
        errorBars('S1 CI', eb('S1'), false, '#333', -0.15), errorBars('ST CI', eb('ST'), false, '#333', 0.15)]});
      if (s2) {
        var data = [];
        for (var i = 0; i < P; i++) for (var j = 0; j < P; j++) {
          var v = dsData(so, 'S2')[(k * P + i) * P + j];
          if (i < j && finite(v)) data.push([j, i, +v.toFixed(4)]);
        }
        set(s2.chart, {tooltip: {confine: true, formatter: function (p) { return esc(params[p.data[1]]) + ' × ' + esc(params[p.data[0]]) + ': ' + fmt(p.data[2]); }},
          grid: {left: 120, right: 80, top: 10, bottom: 60},
          xAxis: {type: 'category', data: params, axisLabel: {rotate: 25}}, yAxis: {type: 'category', data: params},
          visualMap: {min: -0.2, max: 0.2, calculable: true, right: 0, top: 'middle', inRange: {color: ['#b2182b', '#f7f7f7', '#2166ac']}},
          series: [{type: 'heatmap', data: data, label: {show: P <= 8, formatter: function (p) { return fmt(p.data[2], 2); }}}]});
      }
    }
    st.draw = draw;
    onRender(draw);
  }

  function sweepMorris(m, mo) {
    var s = panel('morris', 'Morris screening', 'Morris 筛选',
      'μ* (mean absolute elementary effect: overall importance) against σ (their standard deviation: ' +
      'non-linearity or interactions), with the bootstrap interval of μ*. Parameters near the origin ' +
      'can be fixed; the dashed rays mark σ/μ* = 0.1, 0.5 and 1.');
    var st = sensitivityFrame(m, mo, s), metrics = st.metrics, params = st.params, P = st.P, get = st.get;
    var box = chartBox(s, 'morris', '', '', 440);
    function draw() {
      var k = st.k, pts = [], bars = [], mx = 0;
      for (var j = 0; j < P; j++) {
        var x = get('mu_star', k, j), y = get('sigma', k, j), cf = get('mu_star_conf', k, j);
        if (!finite(x) || !finite(y)) continue;
        pts.push({value: [x, y], name: params[j], itemStyle: {color: color(j)}});
        if (finite(cf)) bars.push([y, x - cf, x + cf]);
        mx = Math.max(mx, x + (finite(cf) ? cf : 0), y);
      }
      mx = mx > 0 ? mx * 1.1 : 1;
      box.title.textContent = 'μ* and σ of ' + metrics[k];
      box.note.textContent = m.metricText(Math.max(0, m.metrics.indexOf(metrics[k]))) + '; effects per full range of each parameter';
      var rays = [0.1, 0.5, 1].map(function (r) {
        return {type: 'line', name: 'σ/μ* = ' + r, data: [[0, 0], [mx, r * mx]], showSymbol: false, silent: true,
          lineStyle: {type: 'dashed', width: 1, color: '#aaa'}, endLabel: {show: true, formatter: 'σ/μ*=' + r, color: '#888', fontSize: 10},
          tooltip: {show: false}};
      });
      set(box.chart, {tooltip: {trigger: 'item', confine: true, formatter: function (p) {
        if (p.seriesType !== 'scatter') return '';
        return esc(p.name) + '<br>μ* = ' + fmt(p.value[0]) + '<br>σ = ' + fmt(p.value[1]);
      }}, grid: {left: 16, right: 80, top: 30, bottom: 40, containLabel: true},
      xAxis: {type: 'value', name: 'μ*', nameLocation: 'middle', nameGap: 26, min: 0, max: mx, axisLabel: AXFMT},
      yAxis: {type: 'value', name: 'σ', min: 0, max: mx, axisLabel: AXFMT},
      series: [{type: 'scatter', name: 'parameters', data: pts, symbolSize: 11,
        label: {show: true, position: 'right', formatter: '{b}', fontSize: 11}},
        errorBars('μ* CI', bars, true, '#555')].concat(rays)});
    }
    st.draw = draw;
    onRender(draw);
  }

  function sweepFiles(m) {
    var sw = m.sw, a = sw.attrs;
    var s = panel('files', 'Sweep file, scenario and provenance', '实验文件与来源',
      'The resolved sweep description, the resolved base scenario and the provenance of the results file.');
    var st = dsData(sw.runs, 'status') || [], msg = dsData(sw.runs, 'message') || [];
    var failed = [];
    st.forEach(function (v, i) { if (v !== 0) failed.push(i); });
    if (failed.length) {
      s.appendChild(el('h3', {text: failed.length + ' run(s) without a result', style: 'font-size:14px'}));
      table(s, ['point', 'replicate', 'status', 'message'], failed.slice(0, 50).map(function (i) {
        return [String(Math.floor(i / m.reps)), String(i % m.reps), String(st[i]), esc(msg[i] || '')];
      }));
    }
    var keys = ['sweep_name', 'sweep_file', 'design', 'points', 'replicates', 'runs', 'runs_ok', 'runs_failed', 'seed',
      'common_random_numbers', 'status', 'version', 'git_commit', 'compiler', 'build_type', 'threads', 'mpi_ranks',
      'start_time', 'end_time', 'wall_time_s', 'command_line'];
    attrTable(s, a, keys);
    s.appendChild(el('details', {}, el('summary', {text: 'sweep file (resolved YAML)'}), el('pre', {cls: 'yaml', text: sw.yaml || '(not stored)'})));
    s.appendChild(el('details', {}, el('summary', {text: 'base scenario (resolved YAML)'}), el('pre', {cls: 'yaml', text: sw.scenario || '(not stored)'})));
  }

  /* ---- start ------------------------------------------------------------ */

  function footer() {
    app.appendChild(el('footer', {text: 'nqpsim ' + (BUILD.version || '') + ' (commit ' + (BUILD.commit || '?') + ') · charts: Apache ECharts ' +
      (BUILD.echarts || '') + ' · a self-contained file: no server, no network.'}));
  }

  try {
    if (DATA.kind === 'sweep') sweepReport(DATA.sweep);
    else runReport(DATA.runs);
    footer();
    window.addEventListener('resize', function () { CHARTS.forEach(function (c) { c.chart.resize(); }); });
    window.NQP_READY = true;
  } catch (e) {
    app.appendChild(el('div', {cls: 'warn', text: 'The report could not be drawn: ' + e}));
    window.NQP_ERROR = String(e && e.stack || e);
    throw e;
  }
})();
