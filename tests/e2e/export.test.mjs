// Chart and table exports: SVG files as drawn, PNG rendered in the browser from the same SVG,
// CSV with a BOM; nothing leaves the browser (downloads are Blob URLs).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { foreignRequests, openApp, startApp, waitForAnalysis } from './harness.mjs';

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

async function download(page, selector) {
  const pending = page.waitForEvent('download');
  await page.click(selector);
  const file = await pending;
  return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
}

test('every chart downloads as SVG and as PNG made in the browser', async () => {
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page, requests } = session;
  await page.click('[data-action="load-sample"]');
  await waitForAnalysis(page);
  const chart = '[data-chart="monthly-sales"]';
  await page.hover(chart);
  const svg = await download(page, `${chart} [data-action="chart-svg"]`);
  assert.match(svg.name, /\.svg$/);
  const text = svg.bytes.toString('utf8');
  assert.ok(text.startsWith('<svg') && text.trimEnd().endsWith('</svg>'));
  assert.ok(text.includes('每月净销售额'));
  assert.doesNotMatch(text, /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/, 'no control characters');
  // Well-formed XML, checked by the browser's own parser.
  const parseError = await page.evaluate((xml) => {
    const doc = new DOMParser().parseFromString(xml, 'image/svg+xml');
    return doc.querySelector('parsererror')?.textContent ?? null;
  }, text);
  assert.equal(parseError, null);

  const png = await download(page, `${chart} [data-action="chart-png"]`);
  assert.match(png.name, /\.png$/);
  assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const width = png.bytes.readUInt32BE(16);
  const height = png.bytes.readUInt32BE(20);
  assert.deepEqual([width, height], [1520, 680], 'twice the SVG size');

  // The customer table exports every customer, not only the page shown.
  const customers = await download(page, '[data-table="customers"] [data-action="customers-csv"]');
  const csvText = customers.bytes.toString('utf8');
  assert.ok(csvText.startsWith('\ufeff客户,'), 'BOM and Chinese header');
  const lines = csvText.trimEnd().split('\r\n');
  assert.equal(lines.length, 601);

  assert.deepEqual(foreignRequests(requests, app.baseUrl), []);
  assert.deepEqual(await session.cspViolations(), []);
  await session.close();
});

test('tables export as CSV; hostile names stay inert in CSV and valid in SVG', async () => {
  const session = await openApp(app, { locale: 'en-US' });
  const { page } = session;
  // Customer ids that try formula injection and markup, through the real file input.
  const csv = [
    'customer,date,amount,profit',
    '"=HYPERLINK(""http://x"",""y"")",2024-01-01,500,50',
    '"<script>alert(1)</script>",2024-01-02,300,30',
    '"@SUM(A1)",2024-01-03,200,20',
    'plain,2024-01-04,100,10',
  ].join('\n');
  await page.setInputFiles('input[type="file"]', { name: 'hostile.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await waitForAnalysis(page);
  await page.click('[data-view="deciles"]');
  await page.waitForSelector('[data-metric="gini"]');
  const decileCsv = await download(page, '[data-table="customer-deciles"] [data-action="table-csv"]');
  const decileText = decileCsv.bytes.toString('utf8');
  assert.ok(decileText.startsWith('\ufeff'));
  assert.equal(decileText.trim().split('\r\n').length, 11, 'header and ten deciles');
  const group = await download(page, '[data-action="export-group"]');
  const groupText = group.bytes.toString('utf8');
  assert.ok(groupText.includes(`"'=HYPERLINK(""http://x"",""y"")"`), groupText);
  assert.ok(!/^=|,=|^@|,@/m.test(groupText), 'no cell starts a formula');
  // The markup id is text in the page, not an element.
  assert.equal(await page.$$eval('script', (s) => s.filter((x) => x.textContent.includes('alert(1)')).length), 0);

  // A competitor with a hostile name: the chart SVG stays valid XML.
  await page.click('[data-view="swot"]');
  await page.fill('[data-new-competitor]', 'Evil <b> & "Co" \u0001');
  await page.press('[data-new-competitor]', 'Enter');
  await page.fill('[data-new-item="S"]', 'Cheap');
  await page.fill('[data-new-score="S"]', '7');
  await page.press('[data-new-item="S"]', 'Enter');
  await page.waitForSelector('[data-chart="swot-comparison"]');
  const svg = await download(page, '[data-chart="swot-comparison"] [data-action="chart-svg"]');
  const text = svg.bytes.toString('utf8');
  assert.doesNotMatch(text, /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  const parseError = await page.evaluate((xml) => {
    const doc = new DOMParser().parseFromString(xml, 'image/svg+xml');
    return doc.querySelector('parsererror')?.textContent ?? null;
  }, text);
  assert.equal(parseError, null);
  assert.ok(text.includes('&lt;b&gt;'), 'markup escaped');
  await session.close();
});
