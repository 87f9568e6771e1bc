// Browser test of the HTML report (issue 7): builds reports with the real upliftctl, opens them in headless
// Chromium over the DevTools protocol and checks that
//   - no console error, uncaught exception or CSP violation occurs,
//   - no request leaves the file (the only request is the page itself),
//   - moving the budget slider (mouse and keyboard) and the #budget= hash change the numbers,
//   - XSS payloads in levels, ids, column names, plan strings, title and currency never execute,
// and keeps screenshots (PNG) and a printed PDF in the work folder as artifacts.
//
// usage: node report_browser_test.mjs --upliftctl PATH --workdir DIR [--html FILE ...]
// exit: 0 pass, 1 fail, 77 skipped (no Chromium; install the Debian package `chromium`).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { Browser, findChromium } from './cdp.mjs';
import { writePlan, writeScores, XSS } from './fixtures.mjs';

const SKIP = 77;

function parseArgs(argv) {
  const out = { html: [] };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i];
    const value = argv[++i];
    if (value === undefined) throw new Error(`${key} needs a value`);
    if (key === '--upliftctl') out.upliftctl = value;
    else if (key === '--workdir') out.workdir = value;
    else if (key === '--html') out.html.push(path.resolve(value));
    else throw new Error(`unknown argument ${key}`);
  }
  if (!out.upliftctl || !out.workdir) throw new Error('usage: --upliftctl PATH --workdir DIR [--html FILE ...]');
  return out;
}

const failures = [];
function check(condition, message) {
  if (!condition) failures.push(message);
  return condition;
}

function upliftctl(binary, args) {
  const r = spawnSync(binary, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`upliftctl ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
}

function staticChecks(file) {
  const html = fs.readFileSync(file, 'utf8');
  const name = path.basename(file);
  check(!/https?:\/\//i.test(html), `${name}: contains an http(s):// URL`);
  check(!/<link[\s>]/i.test(html), `${name}: contains a <link> element`);
  check(!/@import|url\(/i.test(html), `${name}: CSS loads something (@import or url())`);
  check(/Content-Security-Policy/.test(html), `${name}: no Content-Security-Policy`);
}

// Everything the page shows in the budget section, keyed by data-field, in document order.
const READ_FIELDS = `JSON.stringify([...document.querySelectorAll('#budget [data-field]')]
  .map((e) => e.dataset.field + '=' + e.textContent))`;
const MARKER_X = `(document.getElementById('budget-marker') || {getAttribute: () => null}).getAttribute('x1')`;

async function settle(browser) {
  await browser.eval('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
}

async function clickSlider(browser, fraction) {
  const rect = await browser.eval(`(() => { const s = document.getElementById('budget-slider');
    s.scrollIntoView({block: 'center'}); const r = s.getBoundingClientRect();
    return {x: r.left, y: r.top, w: r.width, h: r.height}; })()`);
  const x = rect.x + rect.w * fraction;
  const y = rect.y + rect.h / 2;
  for (const type of ['mouseMoved', 'mousePressed', 'mouseReleased']) {
    await browser.send('Input.dispatchMouseEvent', { type, x, y, button: 'left', clickCount: 1 });
  }
  await settle(browser);
}

async function pressKey(browser, key, code) {
  await browser.eval(`document.getElementById('budget-slider').focus()`);
  for (const type of ['rawKeyDown', 'keyUp']) {
    await browser.send('Input.dispatchKeyEvent', { type, key, code: key, windowsVirtualKeyCode: code,
      nativeVirtualKeyCode: code });
  }
  await settle(browser);
}

async function screenshot(browser, file) {
  const metrics = await browser.send('Page.getLayoutMetrics');
  const size = metrics.cssContentSize || metrics.contentSize;
  const shot = await browser.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true,
    clip: { x: 0, y: 0, width: 1280, height: Math.ceil(size.height), scale: 1 } });
  fs.writeFileSync(file, Buffer.from(shot.data, 'base64'));
}

async function open(browser, file, hash = '') {
  await browser.navigate('about:blank');
  await browser.navigate(pathToFileURL(file).href + hash);
  await settle(browser);
}

async function sliderMoves(browser, name) {
  const start = await browser.eval(READ_FIELDS);
  const startMarker = await browser.eval(MARKER_X);
  await clickSlider(browser, 0.12);
  const low = await browser.eval(READ_FIELDS);
  const lowMarker = await browser.eval(MARKER_X);
  await clickSlider(browser, 0.92);
  const high = await browser.eval(READ_FIELDS);
  await pressKey(browser, 'ArrowLeft', 37);
  const left = await browser.eval(READ_FIELDS);
  check(low !== start, `${name}: clicking the slider at 12% did not change the numbers`);
  check(high !== low, `${name}: clicking the slider at 92% did not change the numbers`);
  check(left !== high, `${name}: the left arrow key on the slider did not change the numbers`);
  check(lowMarker !== startMarker, `${name}: the budget marker on the chart did not move`);
  return { start, low, high };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const chromium = findChromium();
  if (!chromium) {
    console.log('SKIP: Chromium is not installed (install the Debian package: apt-get install -y chromium; ' +
      'or set CHROMIUM=/path/to/chrome)');
    return SKIP;
  }
  const work = path.resolve(args.workdir);
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });

  // Inputs and reports, made by the real binary.
  const scores = writeScores(work, 'scores', { n: 3000, seed: 7, treated: 'Coupon 10%', control: 'No offer',
    outcome: 'bought' });
  const { file: planFile, plan } = writePlan(work, 'plan', { population: 3000, offer: 'Coupon 10%', channel: 'sms' });
  const demo = path.join(work, 'report.html');
  const demoRu = path.join(work, 'report_ru.html');
  upliftctl(args.upliftctl, ['report', '-s', scores, '--plan', planFile, '-o', demo, '--bootstrap', '50',
    '--currency', 'USD', '--seed', '3']);
  upliftctl(args.upliftctl, ['report', '-s', scores, '--plan', planFile, '-o', demoRu, '--bootstrap', '50',
    '--lang', 'ru', '--currency', '₽']);

  const xssScores = writeScores(work, 'xss_scores', { n: 600, seed: 11, treated: XSS.treated, control: XSS.control,
    outcome: XSS.outcome, idOf: XSS.id });
  const { file: xssPlan } = writePlan(work, 'xss_plan', { population: 600, offer: XSS.offer, channel: XSS.channel,
    descriptions: { everyone: XSS.description, random: XSS.description }, extraBaseline: XSS.baselineKey,
    parameters: { note: XSS.parameter } });
  const xss = path.join(work, 'xss.html');
  upliftctl(args.upliftctl, ['report', '-s', xssScores, '--plan', xssPlan, '-o', xss, '--bootstrap', '20',
    '--title', XSS.title, '--currency', XSS.currency]);

  for (const file of [demo, demoRu, xss, ...args.html]) staticChecks(file);

  const browser = await Browser.launch(chromium);
  const problems = [];
  const requests = [];
  browser.on((method, p) => {
    if (method === 'Runtime.consoleAPICalled' && ['error', 'warning', 'assert'].includes(p.type)) {
      problems.push(`console.${p.type}: ${p.args.map((a) => a.value ?? a.description).join(' ')}`);
    } else if (method === 'Runtime.exceptionThrown') {
      problems.push(`uncaught: ${p.exceptionDetails.exception?.description ?? p.exceptionDetails.text}`);
    } else if (method === 'Log.entryAdded' && ['error', 'warning'].includes(p.entry.level)) {
      problems.push(`log ${p.entry.level} (${p.entry.source}): ${p.entry.text} ${p.entry.url ?? ''}`);
    } else if (method === 'Network.requestWillBeSent') {
      requests.push(p.request.url);
    }
  });
  try {
    for (const domain of ['Page', 'Runtime', 'Log', 'Network']) await browser.send(`${domain}.enable`);
    await browser.send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 900, deviceScaleFactor: 1,
      mobile: false });

    const pages = [demo, demoRu, xss, ...args.html];
    const allowed = new Set(['about:blank', ...pages.map((f) => pathToFileURL(f).href)]);

    // 1. The English report: slider by mouse and keyboard, the hash hook, screenshot and print.
    await open(browser, demo);
    const title = await browser.eval('document.title');
    check(title === 'Whom to give the discount', `report.html: unexpected title '${title}'`);
    await sliderMoves(browser, 'report.html');
    const target = plan.budget_curve[10];
    await open(browser, demo, `#budget=${target.budget}`);
    const fromHash = await browser.eval(`document.querySelector('#budget dd[data-field=contacts]').textContent`);
    const expected = Math.round(target.contacts).toLocaleString('en-US');
    check(fromHash === expected, `#budget=${target.budget}: clients shows '${fromHash}', expected '${expected}'`);
    const atTen = await browser.eval(READ_FIELDS);
    // The baselines follow the slider: the everyone row's clients and the money saved at this budget.
    const everyoneClients = `document.querySelector('#budget td[data-field="b-everyone-contacts"]').textContent`;
    const savedField = `document.querySelector('#budget dd[data-field=saved]').textContent`;
    const everyoneAtTen = await browser.eval(everyoneClients);
    const expectedEveryone = Math.round(target.baselines.everyone.contacts).toLocaleString('en-US');
    check(everyoneAtTen === expectedEveryone,
      `#budget=${target.budget}: the everyone baseline shows '${everyoneAtTen}' clients, expected '${expectedEveryone}'`);
    const savedAtTen = await browser.eval(savedField);
    await open(browser, demo, `#budget=${plan.budget_curve[50].budget}`);
    check(await browser.eval(READ_FIELDS) !== atTen, 'two #budget= hashes gave the same numbers');
    const everyoneAtFifty = await browser.eval(everyoneClients);
    check(everyoneAtFifty !== everyoneAtTen, `moving the budget did not change the everyone baseline ('${everyoneAtTen}')`);
    check(await browser.eval(savedField) !== savedAtTen, 'moving the budget did not change the money saved vs everyone');
    await open(browser, demo);
    await screenshot(browser, path.join(work, 'report.png'));
    const pdf = await browser.send('Page.printToPDF', { printBackground: true, preferCSSPageSize: true });
    fs.writeFileSync(path.join(work, 'report.pdf'), Buffer.from(pdf.data, 'base64'));
    check(pdf.data.length > 10000, 'printing the report gave an (almost) empty PDF');

    // 2. The Russian report.
    await open(browser, demoRu);
    check(await browser.eval('document.documentElement.lang') === 'ru', 'report_ru.html: html lang is not ru');
    await sliderMoves(browser, 'report_ru.html');
    await open(browser, demoRu);
    await screenshot(browser, path.join(work, 'report_ru.png'));

    // 3. XSS: nothing executed, no element injected, the payloads shown as text.
    await open(browser, xss);
    await new Promise((r) => setTimeout(r, 300));
    const verdict = await browser.eval(`(() => ({
      flag: typeof window.__xss === 'undefined' ? null : window.__xss,
      title: document.title,
      scripts: [...document.scripts].map((s) => s.type || 'classic'),
      injected: document.querySelectorAll('img, iframe, svg:not(.chart), b[onclick], [onerror], [onload], [onmouseover], [onclick]').length,
      text: document.body.textContent,
    }))()`);
    check(verdict.flag === null, `xss.html: a payload executed (window.__xss = ${verdict.flag})`);
    check(verdict.title === XSS.title, `xss.html: title is '${verdict.title}', not the escaped payload`);
    check(JSON.stringify(verdict.scripts) === '["application/json","classic"]',
      `xss.html: unexpected script elements ${JSON.stringify(verdict.scripts)}`);
    check(verdict.injected === 0, `xss.html: ${verdict.injected} injected element(s) found`);
    for (const payload of [XSS.treated, XSS.control, XSS.outcome, XSS.channel, XSS.description]) {
      check(verdict.text.includes(payload), `xss.html: payload not shown as text: ${payload}`);
    }
    const before = await browser.eval(READ_FIELDS);
    await clickSlider(browser, 0.8);
    const after = await browser.eval(READ_FIELDS);
    check(after !== before, 'xss.html: the slider stopped working');
    check(after.includes('</script><script>window.__xss=8</script>'), 'xss.html: the currency is not shown as text');
    check(await browser.eval('typeof window.__xss') === 'undefined', 'xss.html: a payload executed after the slider moved');
    await screenshot(browser, path.join(work, 'xss.png'));

    // 4. Any other report given on the command line (e.g. the Hillstrom demo).
    for (const file of args.html) {
      await open(browser, file);
      await screenshot(browser, path.join(work, `${path.basename(file, '.html')}.png`));
    }

    for (const url of requests) {
      check(allowed.has(url.split('#')[0]), `a request left the file: ${url}`);
    }
    for (const p of problems) check(false, p);
  } finally {
    await browser.close();
  }

  if (failures.length) {
    console.error(`FAIL: ${failures.length} problem(s):\n  ${failures.join('\n  ')}`);
    return 1;
  }
  console.log(`PASS: ${requests.length} requests, all to the report files; screenshots in ${work}`);
  return 0;
}

main().then((code) => process.exit(code), (e) => {
  console.error(`FAIL: ${e.stack || e}`);
  process.exit(1);
});
