#include "uplift/report/html_assets.hpp"

namespace uplift::report {

// The print rules give the director a paper copy of at most 5 A4 pages (checked by
// tests/browser/print_layout_test.mjs): no card or panel cut by a page break, tables that fit the page width,
// no slider (the printed numbers are the plan's), and the budget and analyst sections on pages of their own.
std::string_view report_css() {
    return R"CSS(
:root{--ink:#1d2733;--muted:#5d6b78;--line:#dde3ea;--soft:#f4f6f9;--brand:#1f3a5f;--accent:#2b6cb0;
--good:#177245;--bad:#b3261e;--warn:#9a6700;--model:#2b6cb0;--perfect:#177245;--random:#8a96a3}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#eef1f5;color:var(--ink);font:15px/1.5 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Liberation Sans","DejaVu Sans",sans-serif;font-variant-numeric:tabular-nums}
.page{max-width:1120px;margin:0 auto;padding:0 24px 48px}
header.top{background:var(--brand);color:#fff;padding:28px 0 30px;margin-bottom:24px}
header.top .page{padding-bottom:0}
.eyebrow{text-transform:uppercase;letter-spacing:.08em;font-size:12px;opacity:.8;margin:0 0 6px}
h1{font-size:28px;line-height:1.2;margin:0 0 8px;font-weight:650}
.lede{margin:0;opacity:.9;font-size:15px}
section.block{background:#fff;border:1px solid var(--line);border-radius:10px;padding:22px 26px;margin:0 0 20px}
h2{font-size:20px;margin:0 0 4px;color:var(--brand)}
h3{font-size:15px;margin:18px 0 6px;color:var(--ink)}
.sub{color:var(--muted);margin:0 0 14px;font-size:14px}
.headline{font-size:17px;margin:6px 0 18px;line-height:1.55}
.headline b{color:var(--brand)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:12px}
.card{border:1px solid var(--line);border-radius:8px;padding:12px 14px;background:var(--soft);break-inside:avoid}
.card .label{font-size:12.5px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.card .value{font-size:25px;font-weight:650;margin:2px 0;color:var(--ink);white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.card .range{font-size:12.5px;color:var(--muted)}
.card .hint{font-size:12.5px;color:var(--muted);margin-top:4px}
.card.key{background:#fff;border-color:#b9c7d8;border-left:4px solid var(--accent)}
.pos{color:var(--good)}.neg{color:var(--bad)}
.note{font-size:13px;color:var(--muted);margin:12px 0 0}
.callout{border-left:4px solid var(--warn);background:#fff8e6;padding:8px 12px;margin:10px 0;font-size:14px}
.slider-box{display:grid;grid-template-columns:minmax(260px,1fr) 2fr;gap:22px;align-items:start}
.slider-box .controls{background:var(--soft);border:1px solid var(--line);border-radius:8px;padding:14px 16px}
.slider-box label{font-weight:600;display:block;margin-bottom:6px}
input[type=range]{width:100%;accent-color:var(--accent);margin:6px 0 4px}
.budget-value{font-size:26px;font-weight:650;color:var(--brand)}
.scale{display:flex;justify-content:space-between;font-size:12px;color:var(--muted)}
dl.live{display:grid;grid-template-columns:auto auto;gap:4px 12px;margin:12px 0 0}
dl.live dt{color:var(--muted);font-size:13.5px}
dl.live dd{margin:0;text-align:right;font-weight:600}
table.data{border-collapse:collapse;width:100%;font-size:13.5px;margin:6px 0 4px}
table.data th,table.data td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
table.data th{white-space:normal;font-weight:600;color:var(--muted);font-size:12.5px;text-transform:uppercase;letter-spacing:.03em;background:var(--soft)}
table.data td.num{text-align:right;white-space:nowrap}
table.data th.num{text-align:right}
table.kv td:first-child{width:34%;color:var(--muted)}
svg.hbar{max-width:760px}
table.data tr.ours td{font-weight:600;background:#f0f6ff}
table.data .desc{display:block;color:var(--muted);font-weight:400;font-size:12.5px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:18px}
figure{margin:0;break-inside:avoid}
figcaption{font-size:13px;color:var(--muted);margin-top:2px}
svg.chart{width:100%;height:auto;display:block;font-size:11.5px;font-family:inherit}
svg.chart .frame{fill:none;stroke:#c3ccd6}
svg.chart .grid line{stroke:#e7ebf0}
svg.chart .grid line.zero{stroke:#9aa6b2}
svg.chart .grid line.xtick{stroke:#9aa6b2}
svg.chart text{fill:#4a5560}
svg.chart .axis-label{fill:#2f3b47;font-weight:600}
svg.chart .no-data{fill:var(--muted);font-size:14px}
svg.chart .series{fill:none;stroke-width:2.2;stroke-linejoin:round}
svg.chart .s-model{stroke:var(--model)}
svg.chart .s-perfect{stroke:var(--perfect);stroke-dasharray:6 4;stroke-width:1.6}
svg.chart .s-random{stroke:var(--random);stroke-dasharray:3 3;stroke-width:1.6}
svg.chart .s-revenue{stroke:var(--model)}
svg.chart .s-profit{stroke:var(--good)}
svg.chart .dot{stroke:none;fill:var(--model)}
svg.chart .bar{fill:var(--model)}
svg.chart .bar.negative{fill:var(--bad)}
svg.chart .b-balance{fill:#7f9cc0}
svg.chart .b-kind-persuadable{fill:var(--good)}
svg.chart .b-kind-sure{fill:#7f9cc0}
svg.chart .b-kind-lost{fill:#b7c0ca}
svg.chart .b-kind-dog{fill:var(--bad)}
svg.chart .error-bar{stroke:#1d2733;stroke-width:1.3;fill:none}
svg.chart .reference{stroke:#6b7785;stroke-dasharray:5 4;stroke-width:1.3}
svg.chart .marker{stroke:var(--warn);stroke-width:2}
svg.chart .hbar-label{fill:var(--ink)}
svg.chart .hbar-value{fill:var(--muted)}
.kinds{display:grid;grid-template-columns:minmax(300px,1.3fr) 1fr;gap:18px;align-items:start}
ul.glossary{margin:0;padding-left:18px;font-size:13.5px;color:var(--ink)}
ul.glossary li{margin-bottom:4px}
.verdict{font-weight:600}
footer{color:var(--muted);font-size:12.5px;margin-top:8px}
code{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:12.5px;background:var(--soft);padding:1px 4px;border-radius:3px;overflow-wrap:anywhere}
@media (max-width:760px){.slider-box,.kinds{grid-template-columns:1fr}.charts{grid-template-columns:1fr}}
@media print{
@page{size:A4;margin:11mm 12mm}
body{background:#fff;font-size:9pt;line-height:1.35}
.page{max-width:none;padding:0}
header.top{background:#fff;color:var(--ink);border-bottom:2px solid var(--brand);padding:0 0 6px;margin-bottom:10px}
h1{font-size:20pt}
h2{font-size:14pt;break-after:avoid}
h3{break-after:avoid;margin-top:10px}
section.block{border:none;border-radius:0;padding:0;margin:0 0 12px;break-inside:auto}
section.monthly{break-inside:avoid}
#budget,#analyst{break-before:page}
h2+.sub{break-after:avoid}
#budget svg.chart{max-width:60%}
input[type=range],.screen-only,.slider-box .controls{display:none}
.slider-box{display:block}
.cards{grid-template-columns:repeat(3,1fr);gap:8px}
.card{padding:8px 10px}
.card .value{font-size:18pt}
.charts{grid-template-columns:1fr 1fr;gap:10px}
.kinds{grid-template-columns:1.3fr 1fr}
table.data{font-size:8.5pt}
table.data th{font-size:7.5pt;text-transform:none;letter-spacing:0}
table.data th,table.data td{padding:2px 4px}
table.data{table-layout:auto;max-width:100%}
table.data tr,figure,.card,.callout,dl{break-inside:avoid}
thead{display:table-header-group}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
)CSS";
}

std::string_view report_js() {
    return R"JS(
(function () {
  'use strict';
  var source = document.getElementById('upl-data');
  if (!source) return;
  var data = JSON.parse(source.textContent);
  var curve = data.curve || [];
  var slider = document.getElementById('budget-slider');
  if (!slider || curve.length < 2) return;
  var f = data.format;

  function number(v, decimals) {
    if (v === null || v === undefined || !isFinite(v)) return '\u2014';
    var s = Math.abs(v).toFixed(decimals);
    var negative = v < 0 && /[1-9]/.test(s);
    var parts = s.split('.');
    var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, f.group);
    return (negative ? '\u2212' : '') + whole + (parts.length > 1 ? f.decimal + parts[1] : '');
  }
  function count(v) { return number(v, 0); }
  function money(v) {
    if (v === null || v === undefined || !isFinite(v)) return '\u2014';
    var s = number(v, Math.abs(v) >= 100 ? 0 : 2);
    return f.currency ? s + '\u00a0' + f.currency : s;
  }
  function percent(v) {
    if (v === null || v === undefined || !isFinite(v)) return '\u2014';
    return number(v * 100, 1) + f.percent;
  }
  var fields = document.querySelectorAll('[data-field]');
  function set(field, text) {
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].getAttribute('data-field') === field) fields[i].textContent = text;
    }
  }
  function nearest(budget) {
    var best = 0;
    for (var i = 1; i < curve.length; i++) {
      if (Math.abs(curve[i].budget - budget) < Math.abs(curve[best].budget - budget)) best = i;
    }
    return best;
  }
  var marker = document.getElementById('budget-marker');
  function show(i) {
    var p = curve[i];
    slider.value = String(i);
    set('budget', money(p.budget));
    set('contacts', count(p.contacts));
    set('coverage', data.population ? percent(p.contacts / data.population) : '\u2014');
    set('spend', money(p.spend));
    set('conversions', count(p.incremental_conversions));
    set('revenue', money(p.incremental_revenue));
    set('profit', money(p.profit));
    set('roi', percent(p.roi));
    if (p.baselines) {
      for (var key in p.baselines) {
        if (!Object.prototype.hasOwnProperty.call(p.baselines, key)) continue;
        var b = p.baselines[key];
        set('b-' + key + '-contacts', count(b.contacts));
        set('b-' + key + '-spend', money(b.spend));
        set('b-' + key + '-revenue', money(b.incremental_revenue));
        set('b-' + key + '-profit', money(b.profit));
        set('b-' + key + '-roi', percent(b.roi));
      }
      var everyone = p.baselines.everyone;
      var savedField = document.querySelector('dd[data-field=saved]');
      var allSpend = savedField && savedField.hasAttribute('data-all-spend') ? +savedField.getAttribute('data-all-spend') : null;
      var against = allSpend !== null ? allSpend : (everyone ? everyone.spend : null);
      set('saved', against !== null && p.spend !== null ? money(against - p.spend) : '\u2014');
    }
    slider.setAttribute('aria-valuetext', money(p.budget));
    if (marker && p.budget !== null) {
      var x0 = +marker.getAttribute('data-x0'), x1 = +marker.getAttribute('data-x1');
      var px0 = +marker.getAttribute('data-px0'), px1 = +marker.getAttribute('data-px1');
      var px = px0 + (p.budget - x0) / (x1 - x0) * (px1 - px0);
      marker.setAttribute('x1', px.toFixed(1));
      marker.setAttribute('x2', px.toFixed(1));
    }
  }
  slider.min = '0';
  slider.max = String(curve.length - 1);
  slider.step = '1';
  slider.addEventListener('input', function () { show(+slider.value); });
  var start = data.start;
  var wanted = /(?:^#|&)budget=([0-9]+(?:\.[0-9]+)?)/.exec(window.location.hash);
  if (wanted) start = nearest(parseFloat(wanted[1]));
  show(start);
})();
)JS";
}

}  // namespace uplift::report
