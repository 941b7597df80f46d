// Issue 17: Excel workbooks through the real page. Each .xlsx (written by openpyxl,
// tests/oracle/make_xlsx.py) is set on the page's file input and imported by the reader worker;
// every headline figure, the decile and RFM figures and the rejected rows must be those the
// same page shows for the CSV of the same rows (written by the same script, read by the import
// worker of text files): the CSV path is the oracle of the workbook path.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FIXTURES, allFigures, close, metrics, openApp, rejectedRows, startApp, waitForAnalysis } from './harness.mjs';

const FORMATS = join(FIXTURES, 'formats');

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

/** Opens the app, imports `file`, and returns the session with what the page shows. */
async function imported(file) {
  const session = await openApp(app, { locale: 'en-US' });
  const { page } = session;
  await page.setInputFiles('[data-input="file"]', join(FORMATS, file));
  await waitForAnalysis(page);
  return session;
}

function assertSameFigures(actual, expected, what, atLeast = 40) {
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${what}: the same figures`);
  assert.ok(Object.keys(expected).length >= atLeast, `${what}: ${Object.keys(expected).length} figures`);
  for (const [name, value] of Object.entries(expected)) {
    assert.ok(close(actual[name], value, 1e-9), `${what}, ${name}: ${actual[name]} vs ${value}`);
  }
}

test('a workbook shows the figures of the CSV of its rows, and its second sheet those of that sheet', async () => {
  const csv = await imported('orders.csv');
  const fromCsv = await allFigures(csv.page);
  assert.equal(fromCsv.rows_read, 300);
  assert.deepEqual(csv.problems, []);
  await csv.close();

  const xlsx = await imported('orders.xlsx');
  const { page } = xlsx;
  assertSameFigures(await allFigures(page), fromCsv, 'orders.xlsx');
  // The data view says what was read.
  assert.equal(await page.textContent('[data-fact="format"]'), 'Excel workbook (.xlsx)');
  assert.equal(await page.textContent('[data-fact="sheet"]'), '订单');
  assert.equal(await page.$('[data-fact="encoding"]'), null);

  // The second sheet, chosen on the mapping step.
  await page.click('[data-panel="mapping"] > summary');
  await page.selectOption('[data-param="sheet"]', '二月');
  await page.waitForFunction(() => document.querySelector('[data-param="sheet"]')?.value === '二月');
  await page.click('[data-action="import"]');
  await waitForAnalysis(page, 2);
  await page.waitForFunction(() => document.querySelector('[data-fact="sheet"]')?.textContent === '二月');
  const secondSheet = await allFigures(page);
  assert.deepEqual(xlsx.problems, []);
  await xlsx.close();

  const csv2 = await imported('orders-二月.csv');
  const fromCsv2 = await allFigures(csv2.page);
  await csv2.close();
  assert.equal(fromCsv2.rows_read, 120);
  assertSameFigures(secondSheet, fromCsv2, 'orders.xlsx, sheet 二月');
});

test('bad cells of a workbook are rejected with the lines and columns of the CSV', async () => {
  const csv = await imported('orders-bad.csv');
  const fromCsv = { figures: await metrics(csv.page), rows: await rejectedRows(csv.page) };
  await csv.close();
  const xlsx = await imported('orders-bad.xlsx');
  const rows = await rejectedRows(xlsx.page);
  assert.deepEqual(rows, fromCsv.rows);
  assert.deepEqual(
    rows.map(([line, column, value]) => [Number(line.replace(/[^0-9]/g, '')), column, value]),
    [
      [3, '金额', '#DIV/0!'],
      [5, '金额', 'N/A'],
      [6, '利润', ''],
      [8, '订单日期', '明天'],
    ],
  );
  // The data view's headline figures only.
  assertSameFigures(await metrics(xlsx.page), fromCsv.figures, 'orders-bad.xlsx', 5);
  await xlsx.close();
});

test('a title merged above the header is skipped and told; an old .xls is refused with a word', async () => {
  const titled = await imported('orders-title.xlsx');
  const { page } = titled;
  assert.equal(await page.getAttribute('[data-title-skipped]', 'data-title-skipped'), 'A1:E1');
  const note = await page.textContent('[data-title-skipped]');
  assert.match(note, /Merged header rows A1:E1 skipped/);
  assert.equal((await metrics(page)).rows_read, 50);
  assert.deepEqual(titled.problems, []);

  // An Excel 97-2003 file (its OLE signature) under its own name, then under a .csv name.
  for (const name of ['old.xls', 'old-renamed.csv']) {
    await page.setInputFiles('[data-input="file"]', {
      name,
      mimeType: 'application/vnd.ms-excel',
      buffer: Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(4096)]),
    });
    await page.waitForFunction((n) => document.querySelector('[data-status="failed"]')?.textContent.includes(n), name);
    assert.equal(await page.getAttribute('[data-status="failed"]', 'data-error'), 'Table');
    assert.match(await page.textContent('[data-status="failed"]'), /save it as \.xlsx or CSV/);
  }
  await titled.close();
});

// Hostile workbooks (tests/oracle/make_hostile_xlsx.py): refused with the problem named, in both
// languages, quickly; a <dimension> claiming the whole sheet costs nothing; the page takes the
// next file.
test('hostile workbooks are refused by name in both languages, never unpacked or allocated', async () => {
  for (const [locale, far, bomb] of [
    ['en-US', /spans 1048576 rows and 16384 columns; ValueLens reads at most 10000000 cells/, /unpacks to \d+ bytes; ValueLens unpacks at most \d+/],
    ['zh-CN', /跨越 1048576 行、16384 列/, /压缩炸弹/],
  ]) {
    const session = await openApp(app, { locale });
    const { page } = session;
    for (const [file, words] of [['hostile-far-cells.xlsx', far], ['hostile-bomb.xlsx', bomb]]) {
      const started = Date.now();
      await page.setInputFiles('[data-input="file"]', join(FORMATS, file));
      await page.waitForFunction((n) => document.querySelector('[data-status="failed"]')?.textContent.includes(n), file);
      assert.equal(await page.getAttribute('[data-status="failed"]', 'data-error'), 'Table', file);
      assert.match(await page.textContent('[data-status="failed"]'), words, `${locale} ${file}`);
      assert.ok(Date.now() - started < 15000, `${file}: ${Date.now() - started} ms`);
    }
    await page.setInputFiles('[data-input="file"]', join(FORMATS, 'hostile-dimension.xlsx'));
    await waitForAnalysis(page);
    assert.equal((await metrics(page)).rows_read, 3);
    assert.deepEqual(session.problems, [], locale);
    await session.close();
  }
});
