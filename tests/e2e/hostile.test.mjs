// Issue 18: hostile or unlucky input through the real page. A second file while an import runs,
// a file with thousands of columns, and text made to break the layout or to spoof (a 10,000-
// character id, a right-to-left override in an id and in the file name).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FIXTURES, close, metrics, openApp, startApp, waitForAnalysis } from './harness.mjs';

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

const INGEST = join(FIXTURES, 'ingest');

// Runs before the app: records every progress figure and every file name the status line shows,
// and the page's long tasks.
function recordStatus() {
  window.__progress = [];
  window.__statusFiles = [];
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: true });
  const look = () => {
    const progress = document.querySelector('[data-progress]');
    if (progress) {
      const value = Number(progress.dataset.progress);
      if (window.__progress.at(-1) !== value) window.__progress.push(value);
    }
    const file = document.querySelector('[data-status] .vl-status__file, [data-status="inspecting"]');
    if (file && window.__statusFiles.at(-1) !== file.textContent) window.__statusFiles.push(file.textContent);
  };
  document.addEventListener('DOMContentLoaded', () => {
    new MutationObserver(look).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['data-progress'],
    });
  });
}

// Makes an order file of `rows` lines in the page (kept in `window[key]`), its figures computed
// here, independently of the app.
function makeBigFile({ rows, name, key }) {
  const lines = ['customer,order,date,amount'];
  let sales = 0;
  for (let i = 0; i < rows; i++) {
    const amount = (i % 997) / 10;
    sales += amount;
    lines.push(`c${i % 50000},o${i},2024-0${1 + (i % 9)}-1${i % 10},${amount}`);
  }
  window[key] = new File([lines.join('\n') + '\n'], name, { type: 'text/csv' });
  return { sales, customers: Math.min(rows, 50000), bytes: window[key].size };
}

// Hands the file kept in `window[key]` to the real file input, as a pick does.
function pickKept(key) {
  const input = document.querySelector('input[type="file"]');
  const transfer = new DataTransfer();
  transfer.items.add(window[key]);
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

async function refusedName(page) {
  return page.$eval('[data-refused]', (el) => el.dataset.refused);
}

test('a second file during an import is refused visibly; the figures are the first file’s, under its name', async () => {
  const session = await openApp(app, { locale: 'en-US', init: recordStatus });
  const { page } = session;
  const ROWS = 2_500_000;
  const big = await page.evaluate(makeBigFile, { rows: ROWS, name: 'big.csv', key: '__big' });
  await page.evaluate(makeBigFile, { rows: 400_000, name: 'second-big.csv', key: '__second' });
  assert.ok(big.bytes > 40 * 1024 * 1024, `the big file has ${big.bytes} bytes`);

  await page.evaluate(pickKept, '__big');
  await page.waitForSelector('[data-status="importing"]');
  await page.waitForFunction(() => Number(document.querySelector('[data-progress]')?.dataset.progress) > 0);

  // 1. A GBK file that needs the user's confirmation, picked with the file input.
  await page.setInputFiles('input[type="file"]', join(INGEST, 'gbk_one_row.csv'));
  await page.waitForSelector('[data-refused="gbk_one_row.csv"]');
  const message = await page.textContent('[data-refused]');
  assert.ok(message.includes('big.csv') && message.includes('gbk_one_row.csv'), message);
  assert.match(message, /Cancel it first or wait/);
  assert.equal(await page.$eval('[data-refused]', (el) => el.dataset.running), 'big.csv');
  assert.ok(await page.isVisible('[data-refused]'));
  assert.ok(await page.isVisible('[data-status="importing"]'), 'the first import goes on');

  // 2. A file that needs confirmation (ambiguous dates), dropped on the page.
  await page.evaluate(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['customer,date,amount\nd1,01/02/2024,10\nd2,03/04/2024,20\n'], 'dates.csv', { type: 'text/csv' }));
    const target = document.querySelector('main');
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  });
  await page.waitForSelector('[data-refused="dates.csv"]');

  // 3. A second large file, picked.
  await page.evaluate(pickKept, '__second');
  await page.waitForSelector('[data-refused="second-big.csv"]');

  // 4. Cells pasted from a spreadsheet.
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.setData('text/plain', 'customer\tamount\nP1\t5\nP2\t6\n');
    document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await page.waitForFunction(() => document.querySelector('[data-refused]')?.dataset.refused === 'Pasted cells');
  assert.ok(await page.isVisible('[data-status="importing"]'), 'the first import still goes on');

  await waitForAnalysis(page);
  const shown = await metrics(page);
  assert.equal(shown.rows_read, ROWS);
  assert.equal(shown.rows_rejected, 0);
  assert.equal(shown.customers, big.customers);
  assert.ok(close(shown.total_sales, big.sales, 1e-9), `sales ${shown.total_sales} vs ${big.sales}`);
  assert.equal(await page.textContent('[data-file-name]'), 'big.csv');
  assert.equal(await page.$('[data-panel="mapping"][open]'), null, 'no refused file reached the mapping step');

  const progress = await page.evaluate(() => window.__progress);
  assert.ok(progress.length >= 2, `progress seen: ${progress}`);
  for (let i = 1; i < progress.length; i++) {
    assert.ok(progress[i] >= progress[i - 1], `the progress went back: ${progress.join(' → ')}`);
  }
  const files = await page.evaluate(() => window.__statusFiles);
  assert.ok(files.length > 0 && files.every((f) => f.includes('big.csv') && !f.includes('second')), files.join(' | '));

  // Once the import is done, a file is taken again: the one that needs confirmation asks for it.
  await page.evaluate(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['customer,date,amount\nd1,01/02/2024,10\nd2,03/04/2024,20\n'], 'dates.csv', { type: 'text/csv' }));
    document.querySelector('main').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  });
  await page.waitForSelector('[data-panel="mapping"][open] [data-concerns]');
  assert.equal(await page.$('[data-refused]'), null, 'the refusal is gone once a file is taken');
  assert.equal(await page.textContent('[data-file-name]'), 'big.csv', 'the data shown stays the first file’s');
  assert.deepEqual(session.problems, []);
  await session.close();
});

test('a file with 1,900 columns opens the mapping step with a bounded table that says how many columns there are; 3,000 columns are refused with a clear error', async () => {
  const session = await openApp(app, { locale: 'en-US', init: recordStatus });
  const { page } = session;
  const COLUMNS = 1900;
  const header = Array.from({ length: COLUMNS }, (_, i) => `field ${i + 1}`);
  // Short texts everywhere: no column is a sure customer id, so the import waits for the user.
  const row = (id, amount, r) => [...Array.from({ length: COLUMNS - 2 }, (_, i) => `t${(i + r) % 5}`), id, amount].join(',');
  const csv = [header.join(','), row('K1', '10', 1), row('K2', '20.5', 2), row('K1', '4', 3)].join('\n') + '\n';
  const before = await page.evaluate(() => document.querySelectorAll('*').length);
  await page.setInputFiles('input[type="file"]', { name: 'wide.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForSelector('[data-panel="mapping"][open]');
  const counts = await page.evaluate(() => ({
    all: document.querySelectorAll('*').length,
    mapping: document.querySelectorAll('[data-panel="mapping"] *').length,
    roleSelects: document.querySelectorAll('[data-role-column]').length,
    headerCells: document.querySelectorAll('.vl-mapping__name').length,
  }));
  // 1,900 columns drawn in full would be 1,900 role selects with some 20 options each (the
  // order roles, the customer and line attribute kinds and their groups: over 40,000 elements
  // before the cells); the 50-odd columns shown take about 30 elements each.
  assert.ok(counts.mapping < 2500, `the mapping step has ${counts.mapping} elements`);
  assert.ok(counts.all - before < 3000, `the page grew by ${counts.all - before} elements`);
  // The first 50 columns, and any later one a role was given (here the amount, column 1,900).
  assert.ok(counts.roleSelects >= 50 && counts.roleSelects <= 56, JSON.stringify(counts));
  assert.equal(counts.headerCells, counts.roleSelects);
  assert.equal(await page.getAttribute('[data-columns-total]', 'data-columns-total'), '1900');
  assert.equal(await page.getAttribute('[data-columns-shown]', 'data-columns-shown'), String(counts.roleSelects));
  assert.match(await page.textContent('[data-columns-note]'), new RegExp(`Showing ${counts.roleSelects} of 1,900 columns`));
  const longTasks = await page.evaluate(() => window.__longTasks);
  assert.ok(longTasks.every((d) => d < 2000), `long tasks: ${longTasks}`);

  // Any column can take a role by its number: the customer is column 1,899, the amount 1,900.
  for (const role of ['order', 'date', 'profit', 'quantity']) {
    await page.fill(`[data-role-number="${role}"]`, '');
    await page.dispatchEvent(`[data-role-number="${role}"]`, 'change');
  }
  await page.fill('[data-role-number="customer"]', '1899');
  await page.dispatchEvent('[data-role-number="customer"]', 'change');
  await page.fill('[data-role-number="amount"]', '1900');
  await page.dispatchEvent('[data-role-number="amount"]', 'change');
  await page.waitForSelector('[data-role-column="1898"]');
  await page.waitForSelector('[data-role-column="1899"]');
  assert.equal(await page.$eval('[data-role-column="1898"]', (el) => el.value), 'customer');
  assert.equal(await page.$eval('[data-role-column="1899"]', (el) => el.value), 'amount');
  await page.click('[data-action="import"]');
  await waitForAnalysis(page);
  const shown = await metrics(page);
  assert.equal(shown.rows_read, 3);
  assert.equal(shown.customers, 2);
  assert.ok(close(shown.total_sales, 34.5), `sales ${shown.total_sales}`);

  // Past the engine's limit of 2,000 columns: a clear error, and the data shown stays.
  const wide = Array.from({ length: 3000 }, (_, i) => `f${i}`).join(',') + '\n' + Array(3000).fill('1').join(',') + '\n';
  await page.setInputFiles('input[type="file"]', { name: 'wider.csv', mimeType: 'text/csv', buffer: Buffer.from(wide) });
  await page.waitForSelector('[data-status="failed"]');
  assert.equal(await page.getAttribute('[data-status="failed"]', 'data-error'), 'TooManyColumns');
  assert.match(await page.textContent('[data-status="failed"]'), /Line 1 has 3000 columns; ValueLens reads at most 2000/);
  assert.equal(await page.textContent('[data-file-name]'), 'wide.csv');
  assert.deepEqual(session.problems, []);
  await session.close();
});

// The element that shows `needle` (the innermost one whose text contains it) is isolated: a
// <bdi> ancestor, or `unicode-bidi: isolate` on it or an ancestor.
function isolatedText(needle) {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const found = [];
  while (walker.nextNode()) {
    if (walker.currentNode.textContent.includes(needle)) found.push(walker.currentNode.parentElement);
  }
  return found.map((el) => {
    for (let e = el; e; e = e.parentElement) {
      if (e.tagName === 'BDI' || getComputedStyle(e).unicodeBidi.includes('isolate')) return true;
    }
    return false;
  });
}

test('a 10,000-character id, a long SWOT item and right-to-left overrides neither widen nor spoof the page', async () => {
  const session = await openApp(app, { locale: 'en-US' });
  const { page } = session;
  const longId = 'L'.repeat(10_000);
  const csv = [
    'customer,order,date,amount',
    `${longId},o1,2024-01-05,100`,
    '\u202Egnp.exe,o2,2024-01-06,50',
    'plain,o3,2024-01-07,10',
  ].join('\n') + '\n';
  const fileName = 'invoice\u202Egnp.exe.csv';
  await page.setInputFiles('input[type="file"]', { name: fileName, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await waitForAnalysis(page);
  assert.equal((await metrics(page)).customers, 3);
  const width = () => page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);

  // The data view: no wider than the window.
  let [scroll, viewport] = await width();
  assert.ok(scroll <= viewport + 1, `the data view is ${scroll} px wide in a ${viewport} px window`);
  // The long id is cut, with the full id on hover.
  const cell = await page.$$eval('[data-table="customers"] tbody bdi', (cells) =>
    cells.map((c) => ({ text: c.textContent, title: c.getAttribute('title') })).find((c) => c.text.startsWith('LLL')),
  );
  assert.ok(cell, 'the long id is in the customer table');
  assert.ok(cell.text.length <= 60 && cell.text.endsWith('…'), `shown: ${cell.text.length} characters`);
  assert.ok(cell.title.startsWith('LLLL') && cell.title.length >= 1000, `title: ${cell.title?.length} characters`);
  // The override in an id and in the file name stays inside an isolating element.
  const isolatedInData = await page.evaluate(isolatedText, '\u202Egnp.exe');
  assert.ok(isolatedInData.length >= 2 && isolatedInData.every(Boolean), `isolated: ${isolatedInData}`);
  assert.equal(await page.textContent('[data-file-name]'), fileName);
  assert.ok(await page.$eval('[data-file-name] bdi', (el) => getComputedStyle(el).unicodeBidi.includes('isolate')));

  // A SWOT item of 10,000 characters is refused with a clear message (items hold at most 500);
  // one of 500 is taken, and cut on screen.
  await page.evaluate(() => { window.location.hash = '#/swot'; });
  await page.waitForSelector('[data-new-item="S"]');
  await page.fill('[data-new-item="S"]', 'S'.repeat(10_000));
  await page.press('[data-new-item="S"]', 'Enter');
  await page.waitForSelector('[data-swot-error]');
  assert.match(await page.textContent('[data-swot-error]'), /10000.*500/);
  assert.equal(await page.$('.vl-swot__item'), null);
  await page.fill('[data-new-item="S"]', 'S'.repeat(500));
  await page.press('[data-new-item="S"]', 'Enter');
  await page.waitForSelector('.vl-swot__item');
  [scroll, viewport] = await width();
  assert.ok(scroll <= viewport + 1, `the SWOT view is ${scroll} px wide in a ${viewport} px window`);

  // The report: no wider than the window either, the file name isolated there too.
  await page.evaluate(() => { window.location.hash = '#/report'; });
  await page.waitForSelector('#vl-report [data-report-section="swot"]');
  [scroll, viewport] = await width();
  assert.ok(scroll <= viewport + 1, `the report is ${scroll} px wide in a ${viewport} px window`);
  assert.ok(await page.$eval('[data-report-file] bdi', (el) => el.textContent.includes('\u202E')));
  const isolatedInReport = await page.evaluate(isolatedText, '\u202Egnp.exe');
  assert.ok(isolatedInReport.length >= 2, `found ${isolatedInReport.length} times in the report`);
  // Every place outside a sentence is an isolating element (sentences use FSI…PDI, below).
  const unisolated = await page.evaluate(() => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const out = [];
    while (walker.nextNode()) {
      const node = walker.currentNode;
      if (!node.textContent.includes('\u202E') || node.textContent.includes('\u2068')) continue;
      let ok = false;
      for (let e = node.parentElement; e && !ok; e = e.parentElement) {
        ok = e.tagName === 'BDI' || getComputedStyle(e).unicodeBidi.includes('isolate');
      }
      if (!ok) out.push(node.parentElement.outerHTML.slice(0, 120));
    }
    return out;
  });
  assert.deepEqual(unisolated, []);
  // In sentences the name is between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE.
  const summary = await page.textContent('[data-report-section="summary"]');
  assert.ok(summary.includes('\u2068invoice\u202Egnp.exe.csv\u2069'), 'the name is isolated in the summary');
  const swotItem = await page.$$eval('[data-report-section="swot"] bdi', (els) => els.map((e) => e.textContent).find((t) => t.startsWith('SSS')));
  assert.ok(swotItem && swotItem.length <= 200, `the SWOT item in the report has ${swotItem?.length} characters`);
  assert.deepEqual(session.problems, []);
  await session.close();
});

// An independent reading of a simple comma file (no quoted delimiters), the way the user meant
// it: every line a row, quote characters dropped. Returns rows, customers and total sales.
function meantFigures(csv, { customer, amount }) {
  const lines = csv.split('\n').filter((line) => line.trim() !== '');
  const header = lines[0].split(',');
  const [c, a] = [header.indexOf(customer), header.indexOf(amount)];
  const customers = new Set();
  let sales = 0;
  for (const line of lines.slice(1)) {
    const cells = line.split(',').map((cell) => cell.replaceAll('"', ''));
    customers.add(cells[c]);
    sales += Number(cells[a]);
  }
  return { rows: lines.length - 1, customers: customers.size, sales };
}

function orderLine(i) {
  return `O${String(i).padStart(5, '0')},C${i % 7},2024-01-${String(1 + (i % 28)).padStart(2, '0')},10.00,1.00,1`;
}

test('a stray quote is reported with its line and the lines it ate, and the file can be read with quotes as plain characters', async () => {
  const session = await openApp(app, { locale: 'en-US' });
  const { page } = session;
  // 301 data lines; the 4th (line 5 of the file) opens a quote that never closes.
  const lines = ['order,customer,date,amount,profit,quantity'];
  for (let i = 0; i < 301; i++) lines.push(i === 3 ? 'O99999,"C777,2024-01-03,55.00,5.00,1' : orderLine(i));
  const csv = lines.join('\n') + '\n';
  await page.setInputFiles('input[type="file"]', { name: 'stray-quote.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  // The head shows the open quote: the import waits, and says where and how far.
  await page.waitForSelector('[data-panel="mapping"][open] [data-concerns]');
  assert.match(await page.textContent('[data-concerns]'), /A quote opened on line 5 is not closed for 298 lines/);
  assert.equal(await page.$eval('[data-param="quotes"]', (el) => el.value), 'standard');
  // Imported as standard CSV anyway: 3 rows, then one record of 298 lines, rejected and reported.
  await page.click('[data-action="import"]');
  await waitForAnalysis(page);
  let shown = await metrics(page);
  assert.equal(shown.rows_read, 4);
  assert.equal(shown.rows_rejected, 1);
  assert.equal(shown.runaway_quote_lines, 298);
  assert.equal(shown.rows_read - 1 + shown.runaway_quote_lines, 301, 'every line is accounted for');
  assert.match(await page.textContent('[data-panel="runaway-quotes"]'), /line 5 .* 298 lines were read as one cell/);
  assert.match(await page.textContent('[data-panel="rejected"]'), /not closed for 298 lines/);
  // Read again with quotes as plain characters: every line a row, as the user meant it.
  await page.click('[data-action="read-quotes-literally"]');
  await waitForAnalysis(page, 2);
  shown = await metrics(page);
  const meant = meantFigures(csv, { customer: 'customer', amount: 'amount' });
  assert.equal(shown.rows_read, meant.rows);
  assert.equal(shown.rows_rejected, 0);
  assert.equal(shown.customers, meant.customers);
  assert.ok(close(shown.total_sales, meant.sales), `sales ${shown.total_sales}, meant ${meant.sales}`);
  assert.equal(await page.$('[data-panel="runaway-quotes"]'), null);
  assert.deepEqual(session.problems, []);
  await session.close();
});

test('rows with a number split at its thousands separator are rejected and named, not shifted', async () => {
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  const lines = ['order,customer,date,amount,profit,quantity'];
  for (let i = 0; i < 100; i++) {
    lines.push(i % 10 === 4 ? `O${String(i).padStart(5, '0')},C${i % 7},2024-02-01,1,234.56,1.00,1` : orderLine(i));
  }
  const csv = lines.join('\n') + '\n';
  await page.setInputFiles('input[type="file"]', { name: 'split.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await waitForAnalysis(page);
  const shown = await metrics(page);
  // 90 clean rows of 10.00; the 10 others are rejected, never read as amount 1 and profit 234.56.
  assert.equal(shown.rows_read, 100);
  assert.equal(shown.rows_rejected, 10);
  assert.ok(close(shown.total_sales, 900), `sales ${shown.total_sales}`);
  assert.ok(close(shown.total_profit, 90), `profit ${shown.total_profit}`);
  const rejected = await page.textContent('[data-panel="rejected"]');
  assert.match(rejected, /1,234\.56/);
  assert.match(rejected, /某个数字在千位或小数分隔符处被拆开了/);
  assert.deepEqual(session.problems, []);
  await session.close();
});

test('order ids whose 32-bit hashes collide are counted as distinct orders', async () => {
  const session = await openApp(app, { locale: 'en-US' });
  const { page } = session;
  // O000071036 and O000075520 collide under the 32-bit FxHash the wasm build used.
  const csv = 'customer,order,amount\nC1,O000071036,1\nC1,O000075520,1\nC2,O000000001,1\nC2,O000000002,1\n';
  await page.setInputFiles('input[type="file"]', { name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await waitForAnalysis(page);
  const shown = await metrics(page);
  assert.equal(shown.orders, 4);
  assert.equal(shown.customers, 2);
  assert.deepEqual(session.problems, []);
  await session.close();
});

test('a 20 MB line is a clear error at the head, and a 20 MB row later in a file is one rejected row', async () => {
  const session = await openApp(app, { locale: 'en-US', init: recordStatus });
  const { page } = session;
  // One line of ~52,000 columns and 20 MB, the whole file.
  const line = Array.from({ length: 52_000 }, (_, i) => `v${i}`.padEnd(384, 'x')).join(',');
  assert.ok(line.length > 20_000_000);
  await page.setInputFiles('input[type="file"]', { name: 'one-line.csv', mimeType: 'text/csv', buffer: Buffer.from(line + '\n') });
  await page.waitForSelector('[data-status="failed"]');
  assert.equal(await page.getAttribute('[data-status="failed"]', 'data-error'), 'LineTooLong');
  assert.equal(await page.$('[data-panel="mapping"]'), null, 'no mapping table for it');
  // The same line in the middle of an export: one rejected row, the rows around it read.
  const csv = `customer,amount\nc1,10\n${line}\nc2,5\n`;
  await page.setInputFiles('input[type="file"]', { name: 'long-row.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  // Handing Chromium a 20 MB buffer takes the test driver itself seconds of the page's main
  // thread: only the tasks that start after it count.
  await page.evaluate(() => {
    const from = performance.now();
    window.__appTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.startTime >= from) window.__appTasks.push(e.duration);
    }).observe({ type: 'longtask' });
  });
  await waitForAnalysis(page);
  const shown = await metrics(page);
  assert.equal(shown.rows_read, 3);
  assert.equal(shown.rows_rejected, 1);
  assert.ok(close(shown.total_sales, 15));
  assert.match(await page.textContent('[data-panel="rejected"]'), /longer than 1 MiB/);
  await page.waitForTimeout(200);
  const longTasks = await page.evaluate(() => window.__appTasks);
  assert.ok(longTasks.every((d) => d < 1000), `long tasks: ${longTasks}`);
  const elements = await page.evaluate(() => document.querySelectorAll('*').length);
  assert.ok(elements < 5000, `${elements} elements on the page`);
  assert.deepEqual(session.problems, []);
  await session.close();
});
