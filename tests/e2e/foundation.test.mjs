// Issue 2 (foundation): the built dist/ in headless Chromium. The sample in both languages, a
// real file through the real file input, drag and drop, the language switch, the privacy
// promise (no foreign request, no CSP violation), and a screenshot of every main view.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  FIXTURES,
  close,
  expectedFigures,
  foreignRequests,
  metrics,
  openApp,
  sampleCsv,
  screenshot,
  startApp,
  waitForAnalysis,
} from './harness.mjs';

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

const VIEWS = ['data', 'deciles', 'rfm', 'swot', 'report'];

function assertFigures(shown, expected) {
  for (const [name, value] of Object.entries(expected)) {
    assert.ok(name in shown, `the page shows no data-metric="${name}"`);
    assert.ok(close(shown[name], value), `${name}: page shows ${shown[name]}, expected ${value}`);
  }
}

describe('the sample data', () => {
  for (const [locale, language, columns, navData] of [
    ['zh-CN', 'zh', { customer: '客户编号', order: '订单号', amount: '销售额', profit: '利润' }, '数据'],
    ['en-US', 'en', { customer: 'Customer ID', order: 'Order ID', amount: 'Sales', profit: 'Profit' }, 'Data'],
  ]) {
    test(`loads in ${locale} with figures that match an independent computation`, async () => {
      const session = await openApp(app, { locale });
      const { page } = session;
      assert.equal(await page.getAttribute('html', 'lang'), locale === 'zh-CN' ? 'zh-CN' : 'en');
      assert.equal((await page.textContent('[data-view="data"]')).trim(), navData);

      await page.click('[data-action="load-sample"]');
      const duration = await waitForAnalysis(page);
      assert.ok(duration > 0, 'the valuelens:analysis measure has a duration');

      const expected = expectedFigures(sampleCsv(language), columns);
      assert.ok(expected.customers > 500 && expected.rows_read > 4000, 'the sample has the promised size');
      assertFigures(await metrics(page), expected);
      const fileName = await page.textContent('[data-file-name]');
      assert.equal(fileName, language === 'zh' ? '示例订单数据.csv' : 'sample-orders.csv');
      // The monthly chart is drawn, with labels in the UI language.
      const chart = await page.innerHTML('[data-chart="monthly-sales"]');
      assert.match(chart, /<svg/);
      assert.ok(chart.includes(language === 'zh' ? '每月净销售额' : 'Net sales per month'));

      assert.deepEqual(await session.cspViolations(), []);
      assert.deepEqual(session.problems, []);
      await screenshot(page, `sample-${language}`);
      await session.close();
    });
  }
});

test('a CSV file through the real file input: figures, the rejected row with its line', async () => {
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  await page.setInputFiles('input[type="file"]', join(FIXTURES, 'e2e', 'small_orders.csv'));
  await waitForAnalysis(page);
  // Hand-computed from tests/fixtures/e2e/small_orders.csv: line 8 (D004) has the amount N/A;
  // B002's two lines share order O3; C003 has a return of -100.
  assertFigures(await metrics(page), {
    rows_read: 7,
    rows_rejected: 1,
    customers: 3,
    orders: 5,
    total_sales: 3050.5,
    total_profit: 605,
  });
  const rejected = await page.textContent('[data-panel="rejected"]');
  assert.ok(rejected.includes('8') && rejected.includes('N/A') && rejected.includes('金额'), rejected);
  const download = page.waitForEvent('download');
  await page.click('[data-action="download-rejected"]');
  const file = await download;
  assert.equal(file.suggestedFilename(), 'small_orders-rejected.csv');
  // The rejected count stays in sight in every view, and the report lists the row.
  for (const view of ['deciles', 'rfm', 'swot', 'report', 'data']) {
    await page.click(`[data-view="${view}"]`);
    await page.waitForFunction((v) => location.hash === `#/${v}`, view);
    const shown = page.locator('[data-metric="rows_rejected"]');
    assert.equal(await shown.getAttribute('data-value'), '1', `rows_rejected in the ${view} view`);
    assert.ok(await shown.isVisible(), `rows_rejected visible in the ${view} view`);
  }
  await page.click('[data-view="report"]');
  const report = await page.textContent('#vl-report');
  assert.ok(report.includes('拒绝行数') && report.includes('N/A'), report.slice(0, 400));
  assert.deepEqual(session.problems, []);
  await session.close();
});

test('a file dropped anywhere on the page takes the same path', async () => {
  const session = await openApp(app, { locale: 'en-US' });
  const { page } = session;
  await page.evaluate(() => {
    const text = 'customer,date,amount\nx1,2024-01-01,10\nx2,2024-01-02,20\nx1,2024-02-01,5\n';
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
    const target = document.querySelector('main');
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  });
  await waitForAnalysis(page);
  assertFigures(await metrics(page), { rows_read: 3, customers: 2, orders: 3, total_sales: 35 });
  assert.equal(await page.textContent('[data-file-name]'), 'dropped.csv');
  await session.close();
});

test('a failed import keeps the data loaded before, with a message in the UI language', async () => {
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  await page.click('[data-action="load-sample"]');
  await waitForAnalysis(page);
  const before = await metrics(page);
  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
  await page.setInputFiles('input[type="file"]', { name: 'photo.csv', mimeType: 'text/csv', buffer: png });
  await page.waitForSelector('[data-status="failed"]');
  const message = await page.textContent('[data-status="failed"]');
  assert.ok(message.includes('PNG') && message.includes('不是文本文件'), message);
  assert.ok(message.includes('之前载入的数据没有变化'), message);
  assert.deepEqual(await metrics(page), before);
  await session.close();
});

test('the language switch changes every label and persists across a reload', async () => {
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  assert.equal((await page.textContent('[data-action="load-sample"]')).trim(), '试用示例数据');
  await page.click('[data-action="switch-language"]');
  assert.equal((await page.textContent('[data-action="load-sample"]')).trim(), 'Try the sample data');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.reload();
  await page.waitForSelector('[data-action="load-sample"]');
  assert.equal((await page.textContent('[data-action="load-sample"]')).trim(), 'Try the sample data');
  assert.match(await page.textContent('[data-privacy]'), /Your data never leaves this browser/);
  await session.close();
});

test('privacy: no request leaves the app’s own files, no CSP violation, through a full analysis', async () => {
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page, requests } = session;
  assert.match(await page.textContent('[data-privacy]'), /数据只在本机浏览器中处理/);
  const policy = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(policy, /default-src 'none'/);
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'/);
  assert.doesNotMatch(policy, /unsafe-inline'[^;]*;?\s*$|script-src[^;]*unsafe-inline/);
  assert.match(policy, /connect-src 'self'/);

  await page.click('[data-action="load-sample"]');
  await waitForAnalysis(page);
  await page.setInputFiles('input[type="file"]', join(FIXTURES, 'e2e', 'small_orders.csv'));
  await waitForAnalysis(page, 2);
  for (const view of VIEWS) {
    await page.click(`[data-view="${view}"]`);
    await page.waitForSelector(`main[data-view="${view}"]`);
  }
  await page.click('[data-view="data"]');
  await page.click('[data-action="download-rejected"]');
  await page.waitForTimeout(300);

  assert.ok(requests.length > 5, 'requests were recorded');
  assert.deepEqual(foreignRequests(requests, app.baseUrl), []);
  assert.deepEqual(await session.cspViolations(), []);
  assert.deepEqual(session.problems, []);
  await session.close();
});

test('a screenshot of every main view, in both languages', async () => {
  for (const locale of ['zh-CN', 'en-US']) {
    const session = await openApp(app, { locale });
    const { page } = session;
    await page.click('[data-action="load-sample"]');
    await waitForAnalysis(page);
    for (const view of VIEWS) {
      await page.click(`[data-view="${view}"]`);
      await page.waitForSelector(`main[data-view="${view}"]`);
      await screenshot(page, `view-${view}-${locale}`);
    }
    await session.close();
  }
});
