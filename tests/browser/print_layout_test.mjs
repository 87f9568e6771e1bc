// Print test of the HTML report: prints each given report to PDF in headless Chromium and checks what a
// director gets on paper:
//   - at most --max-pages A4 pages (poppler's pdfinfo counts them),
//   - no card, and no block of the monthly loop, split across two pages (each one's label or heading and its
//     last words are on one page; pdftotext),
//   - no element wider than the printed page and no interactive control shown (print media emulated at the
//     A4 content width).
// The PDFs and one PNG per page (pdftoppm) stay in the work folder to look at.
//
// usage: node print_layout_test.mjs --workdir DIR --max-pages N --html FILE [--html FILE ...]
// exit: 0 pass, 1 fail, 77 skipped (no Chromium or no poppler-utils).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { Browser, findChromium } from './cdp.mjs';

const SKIP = 77;
// A4 is 210 mm wide; the print stylesheet's @page margins are 12 mm left and right. CSS has 96 px per inch.
const PAGE_CONTENT_PX = Math.floor(((210 - 2 * 12) / 25.4) * 96);

function parseArgs(argv) {
  const out = { html: [], maxPages: 5 };
  for (let i = 0; i < argv.length; i += 2) {
    const [key, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${key} needs a value`);
    if (key === '--workdir') out.workdir = value;
    else if (key === '--max-pages') out.maxPages = Number(value);
    else if (key === '--html') out.html.push(path.resolve(value));
    else throw new Error(`unknown argument ${key}`);
  }
  if (!out.workdir || out.html.length === 0) throw new Error('usage: --workdir DIR --max-pages N --html FILE ...');
  return out;
}

function run(command, args) {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

function have(command) {
  return spawnSync(command, ['-v'], { encoding: 'utf8' }).error === undefined;
}

const normalise = (text) => text.replace(/\s+/g, ' ').trim();

// Layout under print media: what overflows the page width, which controls are visible, and each card's text.
const PRINT_LAYOUT = `(() => {
  const width = document.documentElement.clientWidth;
  // The outermost elements that overflow, named by their section and first words.
  const wide = [];
  for (const e of document.body.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 1) continue;
    if (e.parentElement && e.parentElement.getBoundingClientRect().right > width + 1) continue;
    const section = e.closest('section');
    wide.push(e.tagName.toLowerCase() + (section && section.id ? ' in #' + section.id : '') + ' (' +
      (e.innerText || '').replace(/\\s+/g, ' ').slice(0, 60) + ') right=' + Math.round(r.right));
  }
  const controls = [...document.querySelectorAll('input, button, select, textarea')]
    .filter((e) => e.getClientRects().length > 0).map((e) => e.outerHTML.slice(0, 80));
  // Boxes that must not break across pages: the cards, the budget panel where it is printed, and the monthly
  // loop's blocks (did the last plan deliver, drift, champion and challenger), labelled by their heading.
  const cards = [...document.querySelectorAll('.card, .slider-box .controls, section.monthly')]
    .filter((c) => c.getClientRects().length > 0).map((c) => ({
    label: (c.querySelector('.label, label') || c).innerText.split('\\n')[0],
    text: c.innerText,
  }));
  return JSON.stringify({ width, scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 10),
    controls, cards });
})()`;

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const chromium = findChromium();
  if (!chromium) {
    console.log('SKIP: Chromium is not installed (apt-get install -y chromium)');
    return SKIP;
  }
  if (!have('pdfinfo') || !have('pdftotext')) {
    console.log('SKIP: poppler-utils is not installed (apt-get install -y poppler-utils)');
    return SKIP;
  }
  const work = path.resolve(args.workdir);
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const failures = [];
  const check = (condition, message) => { if (!condition) failures.push(message); };

  const browser = await Browser.launch(chromium);
  try {
    await browser.send('Page.enable');
    await browser.send('Runtime.enable');
    for (const file of args.html) {
      const name = path.basename(file, '.html');
      await browser.send('Emulation.setDeviceMetricsOverride', { width: PAGE_CONTENT_PX, height: 1000,
        deviceScaleFactor: 1, mobile: false });
      await browser.send('Emulation.setEmulatedMedia', { media: 'print' });
      await browser.navigate(pathToFileURL(file).href);
      const layout = JSON.parse(await browser.eval(PRINT_LAYOUT));
      check(layout.scrollWidth <= layout.width + 1,
        `${name}: printed content is ${layout.scrollWidth}px wide, the A4 page ${layout.width}px`);
      for (const w of layout.wide) check(false, `${name}: wider than the printed page: ${w}`);
      for (const c of layout.controls) check(false, `${name}: an interactive control is printed: ${c}`);
      await browser.send('Emulation.setEmulatedMedia', { media: '' });

      const pdf = await browser.send('Page.printToPDF', { printBackground: true, preferCSSPageSize: true });
      const pdfFile = path.join(work, `${name}.pdf`);
      fs.writeFileSync(pdfFile, Buffer.from(pdf.data, 'base64'));
      const pages = Number(/Pages:\s+(\d+)/.exec(run('pdfinfo', [pdfFile]))[1]);
      check(pages >= 1 && pages <= args.maxPages, `${name}: prints on ${pages} A4 pages, at most ${args.maxPages} allowed`);
      const pageText = [];
      for (let p = 1; p <= pages; p++) {
        pageText.push(normalise(run('pdftotext', ['-f', String(p), '-l', String(p), pdfFile, '-'])));
      }
      check(layout.cards.length > 0, `${name}: no cards found`);
      for (const card of layout.cards) {
        const label = normalise(card.label);
        // The last two words of the card's last line: on one printed line, so a text extractor keeps them together
        // even when it orders a grid's lines differently (two words across a line break may not be: a card
        // ending in a short line such as an offer's name).
        const lines = card.text.split('\n').map(normalise).filter(Boolean);
        const tail = (lines.length ? lines[lines.length - 1] : '').split(' ').slice(-2).join(' ');
        const onPages = pageText.map((t, i) => (t.includes(label) ? i + 1 : 0)).filter(Boolean);
        check(onPages.length > 0, `${name}: card '${label}' not found in the PDF text`);
        if (onPages.length > 0) {
          check(onPages.some((p) => pageText[p - 1].includes(tail)),
            `${name}: card '${label}' is split across pages (its end '${tail}' is not on page ${onPages.join('/')})`);
        }
      }
      run('pdftoppm', ['-r', '50', '-png', pdfFile, path.join(work, name)]);
      console.log(`${name}: ${pages} page(s), ${layout.cards.length} cards, ${layout.width}px page width`);
    }
  } finally {
    await browser.close();
  }
  if (failures.length) {
    console.error(`FAIL: ${failures.length} problem(s):\n  ${failures.join('\n  ')}`);
    return 1;
  }
  console.log(`PASS: ${args.html.length} report(s) print within ${args.maxPages} pages; PDFs in ${work}`);
  return 0;
}

main().then((code) => process.exit(code), (e) => {
  console.error(`FAIL: ${e.stack || e}`);
  process.exit(1);
});
