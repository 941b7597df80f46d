// Issue 3 (import): real-world files through the real page. Expected figures are computed by hand
// from the fixture files (the sums are written out next to each test).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FIXTURES, close, metrics, openApp, screenshot, startApp, waitForAnalysis } from './harness.mjs';

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

const INGEST = join(FIXTURES, 'ingest');

function assertFigures(shown, expected) {
  for (const [name, value] of Object.entries(expected)) {
    assert.ok(name in shown, `the page shows no data-metric="${name}"`);
    assert.ok(close(shown[name], value), `${name}: page shows ${shown[name]}, expected ${value}`);
  }
}

async function openMapping(page) {
  await page.waitForSelector('[data-panel="mapping"]');
  if (!(await page.$eval('[data-panel="mapping"]', (el) => el.open))) {
    await page.click('[data-panel="mapping"] > summary');
  }
}

test('a GBK export from Excel on Chinese Windows (Chinese headers, ￥, 2024年1月5日)', async () => {
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  await page.setInputFiles('input[type="file"]', join(INGEST, 'gbk_orders.csv'));
  await waitForAnalysis(page);
  // 7 rows; customers C001, C002, C003, 张三; orders SO-1001 (2 lines), 1002, 1003, 1004, 1005, 1006;
  // sales 1234.50 + 65.50 + 88 + 2000 + 100 − 20 + 10 = 3478; profit 300 + 15 + 20 + 500 + 25 − 5 + 2 = 857.
  assertFigures(await metrics(page), {
    rows_read: 7,
    rows_rejected: 0,
    customers: 4,
    orders: 6,
    total_sales: 3478,
    total_profit: 857,
  });
  assert.equal(await page.textContent('[data-fact="encoding"]'), 'GBK');
  assert.ok((await page.textContent('[data-table="customers"]')).includes('张三'));
  // The import worker is built without the legacy encodings: the reader worker read this file.
  assert.ok(session.requests.some((url) => url.includes('/reader_bg.wasm')), 'the reader was loaded');
  await screenshot(page, 'import-gbk');
  assert.deepEqual(session.problems, []);
  await session.close();
});

test('a UTF-8 file is read by the import worker alone, which links no legacy encoding', async () => {
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  // Import workers seen, and those ended.
  const isImporter = (w) => /\/worker(_loader)?\.js/.test(w.url());
  const ended = [];
  const watch = (w) => isImporter(w) && w.on('close', () => ended.push(w));
  page.workers().forEach(watch);
  page.on('worker', watch);
  await page.setInputFiles('input[type="file"]', join(INGEST, 'utf8_bom.csv'));
  await waitForAnalysis(page);
  assert.ok(session.requests.some((url) => url.includes('/worker_bg.wasm')), 'the import worker was loaded');
  assert.ok(!session.requests.some((url) => url.includes('/reader_bg.wasm')), 'the reader was not loaded');
  // The worker that did the import (it does not end itself) is ended by the page: at most the
  // fresh one it starts for the next file is left.
  for (let i = 0; i < 50 && ended.length === 0; i++) await page.waitForTimeout(100);
  assert.ok(ended.length >= 1, 'the import worker ended once its result came');
  assert.ok(page.workers().filter(isImporter).length <= 1, 'one import worker at most left');
  assert.deepEqual(session.problems, []);
  await session.close();
});

test('a whitespace-aligned CDNOW-style file without a header (compact dates, ids with zeros)', async () => {
  const session = await openApp(app, { locale: 'en-US' });
  const { page } = session;
  await page.setInputFiles('input[type="file"]', join(INGEST, 'cdnow_whitespace.txt'));
  await waitForAnalysis(page);
  // 14 rows, customers 00001–00005, no order column so every row is an order; sales:
  // 11.77 + (12 + 77) + (20.76 + 20.76 + 19.54 + 57.45 + 20.96 + 16.99) + (29.33 + 29.73 + 14.96 + 26.48) + 29.33 = 387.06
  const shown = await metrics(page);
  assertFigures(shown, { rows_read: 14, rows_rejected: 0, customers: 5, orders: 14, total_sales: 387.06 });
  assert.ok(!('total_profit' in shown), 'no profit figure without a profit column');
  assert.ok(await page.isVisible('[data-note="no-profit"]'));
  assert.equal(await page.textContent('[data-fact="delimiter"]'), 'aligned spaces');
  assert.ok((await page.textContent('[data-table="customers"]')).includes('00003'));
  await session.close();
});

test('the user can override the detected encoding and import again', async () => {
  const session = await openApp(app, { locale: 'en-US' });
  const { page } = session;
  // A GBK header and one row: without a Chinese prior the detector is easily wrong.
  await page.setInputFiles('input[type="file"]', join(INGEST, 'gbk_one_row.csv'));
  await page.waitForFunction(
    () =>
      performance.getEntriesByName('valuelens:analysis').length > 0 ||
      document.querySelector('[data-status="failed"]') ||
      document.querySelector('[data-panel="mapping"][open]'),
  );
  await openMapping(page);
  await page.selectOption('[data-setting="encoding"]', 'GBK');
  await page.waitForFunction(() => document.querySelector('[data-encoding]')?.dataset.encoding === 'GBK');
  assert.ok((await page.textContent('[data-panel="mapping"]')).includes('客户编号'));
  const before = await page.evaluate(() => performance.getEntriesByName('valuelens:analysis').length);
  await page.click('[data-action="import"]');
  await waitForAnalysis(page, before + 1);
  assertFigures(await metrics(page), { rows_read: 1, customers: 1, total_sales: 88, total_profit: 20 });
  assert.equal(await page.textContent('[data-fact="encoding"]'), 'GBK');
  await session.close();
});

test('cells pasted from Excel are imported like a file', async () => {
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  await page.evaluate(() => {
    const text = '客户\t金额\t日期\r\nK1\t1,000.00\t2024/3/1\r\nK2\t250.5\t2024/3/2\r\nK1\t(50)\t2024/3/9\r\n';
    const data = new DataTransfer();
    data.setData('text/plain', text);
    document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await waitForAnalysis(page);
  // 1000 + 250.5 − 50 (a negative in parentheses) = 1200.5
  assertFigures(await metrics(page), { rows_read: 3, customers: 2, total_sales: 1200.5 });
  assert.equal(await page.textContent('[data-file-name]'), '已粘贴的单元格');
  await session.close();
});

test('ambiguous dates stop at the mapping step until the user chooses the order', async () => {
  const session = await openApp(app, { locale: 'en-US' });
  const { page } = session;
  const csv = 'customer,date,amount\nc1,01/02/2024,10\nc2,03/04/2024,20\n';
  await page.setInputFiles('input[type="file"]', { name: 'dates.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForSelector('[data-panel="mapping"][open] [data-concerns]');
  assert.ok((await page.textContent('[data-concerns]')).includes('05/01/2024'));
  assert.equal(await page.$('[data-metric="customers"]'), null, 'nothing imported before the choice');
  await screenshot(page, 'import-mapping-step');
  await page.selectOption('[data-setting="date-order"]', 'month-first');
  await page.click('[data-action="import"]');
  await waitForAnalysis(page);
  // Month first: 1 February → 2 January; 3 April → 4 March.
  assert.equal((await page.textContent('.vl-strip__period')).trim(), '2 Jan 2024 – 4 Mar 2024');
  await session.close();
});

test('the day/month order comes from the whole date column, not only the head', async () => {
  const session = await openApp(app, { locale: 'en-US' });
  const { page } = session;
  // 30,000 rows (~500 KB) whose dates read either way, then one past the 256 KB head that only
  // reads day first: no question, and 12/09/2024 is 12 September (not 9 December).
  const lines = ['customer,date,amount'];
  for (let i = 0; i < 30_000; i++) {
    lines.push(`c${i % 13},${String(1 + (i % 12)).padStart(2, '0')}/${String(1 + (i % 9)).padStart(2, '0')}/2024,1`);
  }
  lines.push('c1,25/03/2024,1');
  const buffer = Buffer.from(lines.join('\n') + '\n');
  assert.ok(buffer.length > 256 * 1024);
  await page.setInputFiles('input[type="file"]', { name: 'late-dates.csv', mimeType: 'text/csv', buffer });
  await waitForAnalysis(page);
  const shown = await metrics(page);
  assert.equal(shown.rows_read, 30_001);
  assert.equal(shown.rows_rejected, 0);
  assert.equal((await page.textContent('.vl-strip__period')).trim(), '1 Jan 2024 – 12 Sep 2024');
  await session.close();
});

test('a mapping without a customer column is refused with a clear message, data kept', async () => {
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  await page.click('[data-action="load-sample"]');
  await waitForAnalysis(page);
  const before = await metrics(page);
  await page.setInputFiles('input[type="file"]', join(INGEST, 'gbk_orders.csv'));
  await waitForAnalysis(page, 2);
  await openMapping(page);
  await page.selectOption('[data-role-column="0"]', '');
  await page.click('[data-action="import"]');
  await page.waitForSelector('[data-status="failed"]');
  assert.ok((await page.textContent('[data-status="failed"]')).includes('没有指定客户编号列'));
  // The GBK file's figures (the last good import) are still shown.
  const after = await metrics(page);
  assert.equal(after.customers, 4);
  assert.notEqual(after.customers, before.customers);
  await session.close();
});

test('empty and header-only files get a message in the UI language', async () => {
  const session = await openApp(app, { locale: 'en-US' });
  const { page } = session;
  for (const [file, text] of [
    ['empty.csv', 'The file is empty'],
    ['header_only.csv', 'The file has a header row but no data rows'],
  ]) {
    await page.setInputFiles('input[type="file"]', join(INGEST, file));
    await page.waitForSelector('[data-status="failed"]');
    assert.ok((await page.textContent('[data-status="failed"]')).includes(text), file);
  }
  await session.close();
});

test('a large import shows progress and can be cancelled; the data before stays', async () => {
  const session = await openApp(app, { locale: 'en-US' });
  const { page } = session;
  await page.click('[data-action="load-sample"]');
  await waitForAnalysis(page);
  const before = await metrics(page);
  // About 60 MB of orders, made in the page, handed to the real file input.
  await page.evaluate(() => {
    const lines = ['customer,order,date,amount'];
    for (let i = 0; i < 1_500_000; i++) {
      lines.push(`c${i % 50000},o${i},2024-0${1 + (i % 9)}-1${i % 10},${(i % 997) / 10}`);
    }
    const file = new File([lines.join('\n')], 'large.csv', { type: 'text/csv' });
    const input = document.querySelector('input[type="file"]');
    const transfer = new DataTransfer();
    transfer.items.add(file);
    input.files = transfer.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await page.waitForSelector('[data-status="importing"]');
  await page.waitForFunction(() => Number(document.querySelector('[data-progress]')?.dataset.progress) > 0);
  assert.match(await page.textContent('[data-status="importing"]'), /rows\/s/);
  await page.click('[data-action="cancel-import"]');
  await page.waitForSelector('[data-status="cancelled"]');
  assert.deepEqual(await metrics(page), before);
  // The worker is replaced: the next import works.
  await page.setInputFiles('input[type="file"]', join(INGEST, 'gbk_orders.csv'));
  await waitForAnalysis(page, 2);
  assert.equal((await metrics(page)).customers, 4);
  await session.close();
});

// Runs before the app: claims `cores` logical processors, and counts the import workers started
// and the second-half parts (messages whose first byte is 0xD1) they send.
function countWorkers(cores) {
  Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => cores });
  window.__workers = 0;
  window.__parts = 0;
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(...args) {
      super(...args);
      window.__workers += 1;
      this.addEventListener('message', (event) => {
        if (ArrayBuffer.isView(event.data) && event.data[0] === 0xd1) window.__parts += 1;
      });
    }
  };
}

// About 12 MB of orders, made in the page: two bad rows, one in each half, and every figure
// computed here, independently of the app.
function dropBigFile() {
  const lines = ['customer,order,date,amount'];
  let sales = 0;
  const customers = new Set();
  for (let i = 0; i < 300_000; i++) {
    const bad = i === 5 || i === 250_000;
    const amount = bad ? 'oops' : ((i * 7919) % 100_003) / 100 - 50;
    if (!bad) {
      sales += amount;
      customers.add(i % 40_009);
    }
    lines.push(`c${i % 40_009},o${Math.floor(i / 2)},2024-${String(1 + (i % 12)).padStart(2, '0')}-15,${amount}`);
  }
  const file = new File([lines.join('\n') + '\n'], 'big.csv', { type: 'text/csv' });
  const input = document.querySelector('input[type="file"]');
  const transfer = new DataTransfer();
  transfer.items.add(file);
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
  return { sales, customers: customers.size, bytes: file.size };
}

test('a big file is read by two workers on a machine with the cores, with the same outcome as one', async () => {
  const outcomes = {};
  for (const cores of [8, 2]) {
    const session = await openApp(app, { locale: 'en-US', init: countWorkers, initArg: cores });
    const { page } = session;
    // The user takes a moment to pick the file; the app starts its workers meanwhile.
    await page.waitForFunction((n) => window.__workers >= n, cores >= 4 ? 2 : 1);
    const made = await page.evaluate(dropBigFile);
    assert.ok(made.bytes > 8 * 1024 * 1024, `the file has ${made.bytes} bytes`);
    await waitForAnalysis(page);
    const shown = await metrics(page);
    assert.equal(shown.rows_read, 300_000);
    assert.equal(shown.rows_rejected, 2);
    assert.equal(shown.customers, made.customers);
    assert.ok(close(shown.total_sales, made.sales, 1e-9), `sales ${shown.total_sales} vs ${made.sales}`);
    // Line numbers count from the top of the file in both halves (header = line 1).
    const lines = await page.$$eval('[data-panel="rejected"] tbody tr td:first-child', (cells) =>
      cells.map((cell) => cell.textContent.trim()),
    );
    assert.deepEqual(lines.map((l) => Number(l.replace(/[^0-9]/g, ''))), [7, 250_002]);
    outcomes[cores] = { shown, parts: await page.evaluate(() => window.__parts) };
    assert.deepEqual(session.problems, []);
    await session.close();
  }
  assert.equal(outcomes[8].parts, 1, 'with 8 cores the second half comes from a second worker');
  assert.equal(outcomes[2].parts, 0, 'with 2 cores one worker reads it all');
  // The same figures (sums may differ in their last bits: the halves add in another order).
  assert.deepEqual(Object.keys(outcomes[8].shown).sort(), Object.keys(outcomes[2].shown).sort());
  for (const [name, value] of Object.entries(outcomes[2].shown)) {
    assert.ok(close(outcomes[8].shown[name], value, 1e-9), `${name}: ${outcomes[8].shown[name]} vs ${value}`);
  }
});
