// Issue 13 (the app's size): the page's bundle has no legacy decoders, so a small file it reads
// itself in GBK or Big5 (a SWOT table, a customer master; the GBK survey is read in
// loyalty.test.mjs and a11y.test.mjs) is decoded by the analysis worker and read on the page.
// Each legacy file is checked against its UTF-8 copy, decoded here by Node's own TextDecoder
// (not by the app): the same figures, the same rows read and rejected, and the encoding named;
// the analysis worker is loaded for the legacy file and not for the UTF-8 one.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, metrics, openApp, startApp, waitForAnalysis } from './harness.mjs';

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

/** `file` (in `encoding`) rewritten as UTF-8 in a temporary directory, under the same name. */
function utf8Copy(file, encoding) {
  const text = new TextDecoder(encoding).decode(readFileSync(file));
  const copy = join(mkdtempSync(join(tmpdir(), 'vl-legacy-')), file.split('/').pop());
  writeFileSync(copy, text, 'utf8');
  return copy;
}

const analystLoaded = (session) => session.requests.some((url) => url.includes('/analyst_bg.wasm'));

/** What the SWOT view shows after importing `file` in a fresh tab. */
async function swotImport(file) {
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  try {
    await page.click('[data-view="swot"]');
    await page.waitForSelector('[data-view-content="swot"]');
    await page.setInputFiles('[data-input="swot-file"]', file);
    await page.waitForSelector('[data-swot-import]');
    return {
      figures: await metrics(page),
      read: await page.getAttribute('[data-swot-import]', 'data-rows-read'),
      rejected: await page.getAttribute('[data-swot-import]', 'data-rows-rejected'),
      summary: await page.textContent('[data-swot-import] p'),
      quadrants: await page.$$eval('[data-quadrant]', (els) => els.map((el) => el.textContent)),
      analyst: analystLoaded(session),
    };
  } finally {
    await session.close();
  }
}

for (const [name, encoding, label] of [
  ['gbk_competitor.csv', 'gbk', 'GBK'],
  ['zh_tw_big5.csv', 'big5', 'Big5'],
]) {
  test(`a ${label} SWOT table is decoded by the analysis worker and reads as its UTF-8 copy`, async () => {
    const file = join(FIXTURES, 'swot', name);
    const legacy = await swotImport(file);
    const utf8 = await swotImport(utf8Copy(file, encoding));
    assert.ok(legacy.analyst, 'the analysis worker decoded the legacy file');
    assert.ok(!utf8.analyst, 'a UTF-8 file is read on the page alone');
    assert.ok(legacy.summary.includes(label), legacy.summary);
    assert.ok(utf8.summary.includes('UTF-8'), utf8.summary);
    assert.ok(Number(legacy.read) > 0);
    assert.deepEqual([legacy.read, legacy.rejected], [utf8.read, utf8.rejected]);
    assert.deepEqual(legacy.quadrants, utf8.quadrants);
    assert.ok(Object.keys(legacy.figures).some((key) => key.startsWith('swot_total_')));
    assert.deepEqual(legacy.figures, utf8.figures);
  });
}

/** The master_* figures and the master's facts after importing the orders, then `master`. */
async function masterImport(master) {
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  try {
    await page.setInputFiles('[data-input="file"]', join(FIXTURES, 'dimensions', 'orders.csv'));
    await waitForAnalysis(page);
    await page.setInputFiles('[data-input="master-file"]', master);
    await page.waitForSelector('[data-metric="master_matched"]');
    const masterFigures = async () =>
      Object.fromEntries(Object.entries(await metrics(page)).filter(([key]) => key.startsWith('master_')));
    const figures = await masterFigures();
    const facts = await page.textContent('[data-facts="master"]');
    const workers = () => session.requests.filter((url) => url.includes('/analyst_loader.js')).length;
    const started = workers();
    // Read again with another id column and back: the text the worker decoded is kept for it.
    await page.selectOption('[data-param="master-id"]', '1');
    await page.waitForFunction(() => document.querySelector('[data-param="master-id"]')?.value === '1');
    await page.selectOption('[data-param="master-id"]', '0');
    await page.waitForFunction(() => document.querySelector('[data-param="master-id"]')?.value === '0');
    await page.waitForSelector('[data-metric="master_matched"]');
    assert.deepEqual(await masterFigures(), figures);
    assert.equal(workers(), started, 'no worker for a re-read');
    return { figures, facts, analyst: analystLoaded(session) };
  } finally {
    await session.close();
  }
}

test('a GBK customer master is decoded by the analysis worker and joins as its UTF-8 copy', async () => {
  const legacy = await masterImport(join(FIXTURES, 'master', 'master_gbk.csv'));
  const utf8 = await masterImport(join(FIXTURES, 'master', 'master.csv'));
  assert.ok(legacy.analyst, 'the analysis worker decoded the GBK master');
  assert.ok(!utf8.analyst, 'a UTF-8 master is read on the page alone');
  assert.ok(legacy.figures.master_matched > 0, JSON.stringify(legacy.figures));
  assert.deepEqual(legacy.figures, utf8.figures);
  assert.ok(legacy.facts.includes('master_gbk.csv'), legacy.facts);
  assert.equal(legacy.facts.replace('master_gbk.csv', 'master.csv'), utf8.facts);
});

test('a master whose first 64 KiB are ASCII and the rest GBK is decoded by the worker as a whole, as its UTF-8 copy', async () => {
  // The page decodes a master a piece at a time when its head is UTF-8; this one's head is
  // (an ASCII header and prospects), its later rows are not: the page must notice, and have
  // the worker decode the whole file as GBK, not show U+FFFD or reject those rows.
  const gbk = readFileSync(join(FIXTURES, 'master', 'master_gbk.csv'));
  const rows = gbk.subarray(gbk.indexOf(0x0a) + 1);
  const head = ['customer_id,industry,founded,note'];
  for (let i = 0; i < 3000; i += 1) head.push(`Q${String(i).padStart(5, '0')},x,2000,padding row`);
  const ascii = Buffer.from(`${head.join('\n')}\n`, 'latin1');
  assert.ok(ascii.length > 65536, `${ascii.length} bytes of ASCII`);
  const dir = mkdtempSync(join(tmpdir(), 'vl-legacy-'));
  const mixed = join(dir, 'master_late_gbk.csv');
  writeFileSync(mixed, Buffer.concat([ascii, rows]));
  const legacy = await masterImport(mixed);
  const utf8 = await masterImport(utf8Copy(mixed, 'gbk'));
  assert.ok(legacy.analyst, 'the analysis worker decoded the file');
  assert.ok(!utf8.analyst, 'its UTF-8 copy is read on the page alone');
  assert.ok(legacy.figures.master_matched > 0, JSON.stringify(legacy.figures));
  assert.ok(legacy.figures.master_prospects >= 3000, JSON.stringify(legacy.figures));
  assert.deepEqual(legacy.figures, utf8.figures);
  assert.equal(legacy.facts, utf8.facts);
});

test('forgetting everything drops the customer master too; the orders imported again have none', async () => {
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  try {
    const orders = join(FIXTURES, 'dimensions', 'orders.csv');
    await page.setInputFiles('[data-input="file"]', orders);
    await waitForAnalysis(page);
    await page.setInputFiles('[data-input="master-file"]', join(FIXTURES, 'master', 'master_gbk.csv'));
    await page.waitForSelector('[data-metric="master_matched"]');
    page.once('dialog', (dialog) => dialog.accept());
    await page.click('[data-action="forget-everything"]');
    await page.waitForFunction(() => !document.querySelector('[data-metric="customers"]'));
    await page.setInputFiles('[data-input="file"]', orders);
    await waitForAnalysis(page, 2);
    assert.equal(await page.locator('[data-metric="master_matched"]').count(), 0, 'no master after forgetting');
    assert.equal(await page.locator('[data-facts="master"]').count(), 0);
  } finally {
    await session.close();
  }
});
