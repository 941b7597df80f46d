// Issue 17: Parquet files through the real page. Each file written by DuckDB (Snappy, Zstd; three
// row groups) or by Spark (Snappy, INT96 timestamps) with tests/oracle/make_parquet.py is set on
// the page's file input and imported by the reader worker; every headline figure, the decile and
// RFM figures and the rejected rows must be those the same page shows for DuckDB's CSV export of
// the same rows (read by the import worker of text files): the CSV path is the oracle.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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

/** Opens the app, imports `file`, and returns the session with what the page shows, and the
 * scripts of the workers started during the import (nested ones included). */
async function imported(file) {
  const session = await openApp(app, { locale: 'en-US' });
  session.workers = [];
  session.page.on('worker', (worker) => session.workers.push(new URL(worker.url()).pathname));
  await session.page.setInputFiles('[data-input="file"]', join(FORMATS, file));
  await waitForAnalysis(session.page);
  return session;
}

function assertSameFigures(actual, expected, what) {
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${what}: the same figures`);
  assert.ok(Object.keys(expected).length > 40, `${what}: ${Object.keys(expected).length} figures`);
  for (const [name, value] of Object.entries(expected)) {
    assert.ok(close(actual[name], value, 1e-9), `${what}, ${name}: ${actual[name]} vs ${value}`);
  }
}

test('Parquet files of DuckDB and Spark show the figures and rejected rows of the CSV of their rows', async () => {
  const csv = await imported('parquet-orders.csv');
  const fromCsv = await allFigures(csv.page);
  const csvRejected = await rejectedRows(csv.page);
  assert.equal(fromCsv.rows_read, 5162);
  assert.equal(fromCsv.rows_rejected, 2);
  assert.equal(csvRejected.length, 2);
  assert.deepEqual(csv.problems, []);
  await csv.close();

  for (const file of ['orders_duckdb_snappy.parquet', 'orders_duckdb_zstd.parquet', 'orders_spark.parquet']) {
    const session = await imported(file);
    const { page } = session;
    assertSameFigures(await allFigures(page), fromCsv, file);
    assert.deepEqual(await rejectedRows(page), csvRejected, `${file}: rejected rows`);
    assert.equal(await page.textContent('[data-fact="format"]'), 'Parquet file');
    assert.equal(await page.$('[data-fact="encoding"]'), null);
    assert.deepEqual(session.problems, [], file);
    // DuckDB's files have three row groups: the reader worker starts a decoder worker (the same
    // script, nested) that decodes the second and third while it takes their rows; Spark's one
    // row group is read by the reader alone. Then one more reader is started and kept ready
    // (the session's prewarm, half a second after the results), as the import worker is.
    const readers = () => session.workers.filter((path) => path.endsWith('/reader_loader.js')).length;
    const expected = (file.startsWith('orders_duckdb') ? 2 : 1) + 1;
    for (let waited = 0; readers() < expected && waited < 5000; waited += 100) await page.waitForTimeout(100);
    await page.waitForTimeout(300);
    assert.equal(readers(), expected, `${file}: ${session.workers}`);
    await session.close();
  }
});

test('a cut-off Parquet file is refused with a word, and the page takes the next file', async () => {
  const session = await openApp(app, { locale: 'en-US' });
  const { page } = session;
  const whole = readFileSync(join(FORMATS, 'orders_duckdb_zstd.parquet'));
  await page.setInputFiles('[data-input="file"]', {
    name: 'cut.parquet',
    mimeType: 'application/octet-stream',
    buffer: whole.subarray(0, whole.length >> 1),
  });
  await page.waitForSelector('[data-status="failed"]');
  assert.equal(await page.getAttribute('[data-status="failed"]', 'data-error'), 'Format');
  assert.match(await page.textContent('[data-status="failed"]'), /Parquet file.*does not end with PAR1/);

  await page.setInputFiles('[data-input="file"]', join(FORMATS, 'orders_spark.parquet'));
  await waitForAnalysis(page);
  assert.equal((await metrics(page)).rows_read, 5162);
  await session.close();
});

// Nested columns (a list and a struct, written by DuckDB: tests/oracle/make_parquet.py nested) are
// skipped and named on the mapping step and the data view, in both languages; the flat columns
// give the figures of the CSV of the same rows.
test('nested Parquet columns are skipped and named; the rest reads as the CSV', async () => {
  const csv = await imported('parquet-orders.csv');
  const fromCsv = await allFigures(csv.page);
  await csv.close();

  const session = await imported('orders_nested.parquet');
  const { page } = session;
  assertSameFigures(await allFigures(page), fromCsv, 'orders_nested.parquet');
  const note = page.locator('[data-view-content="overview"] [data-note="skipped-columns"]');
  const names = (await note.getAttribute('data-value')).split(',');
  assert.ok(names.some((n) => n.startsWith('tags')), names.join());
  assert.ok(names.includes('address.city') && names.includes('address.zip'), names.join());
  assert.match(await note.textContent(), /nested column\(s\) not read.*address\.city/);
  assert.ok((await page.locator('[data-note="skipped-columns"]').count()) >= 1);
  assert.deepEqual(session.problems, []);
  await session.close();

  const zh = await openApp(app, { locale: 'zh-CN' });
  await zh.page.setInputFiles('[data-input="file"]', join(FORMATS, 'orders_nested.parquet'));
  await waitForAnalysis(zh.page);
  assert.match(await zh.page.textContent('[data-view-content="overview"] [data-note="skipped-columns"]'), /未读取 \d+ 个嵌套列.*address\.city/);
  await zh.close();
});
