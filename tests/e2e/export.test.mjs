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

  assert.deepEqual(foreignRequests(requests, app.baseUrl), []);
  assert.deepEqual(await session.cspViolations(), []);
  await session.close();
});
