// Issue 17 (per-customer summary import): the SQL pack's `vl_customers`, computed and written by
// DuckDB from the sample's order lines (tests/fixtures/summary/generate.py), dropped on the real
// page, gives the headline figures, the decile table and the RFM segment counts of the page fed
// the order lines themselves; the views a summary cannot feed say so; the report prints.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, FIXTURES, close, metrics, openApp, screenshot, startApp, waitForAnalysis } from './harness.mjs';

const ORDERS = join(FIXTURES, 'summary', 'orders.csv');
const CUSTOMERS = join(FIXTURES, 'summary', 'customers.csv');

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

/** Drops `path` on the page as a user drags a file onto it. */
async function drop(page, path, name) {
  const text = readFileSync(path, 'utf8');
  await page.evaluate(
    ({ text, name }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], name, { type: 'text/csv' }));
      const target = document.querySelector('main');
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    },
    { text, name },
  );
  await waitForAnalysis(page);
}

/** Everything the data, decile and RFM views show for the loaded file. */
async function figures(page) {
  const overview = await metrics(page);
  await page.click('[data-view="deciles"]');
  await page.waitForSelector('[data-metric="gini"]');
  const deciles = await metrics(page);
  const decileTable = await page.innerText('[data-table="customer-deciles"]');
  await page.click('[data-view="rfm"]');
  await page.waitForSelector('[data-table="rfm-segments"]');
  const rfm = await metrics(page);
  const segmentTable = await page.innerText('[data-table="rfm-segments"]');
  await page.click('[data-view="data"]');
  return { overview, deciles, decileTable, rfm, segmentTable };
}

/** Asserts that every metric of `lines` is shown for the summary with the same value. */
function sameMetrics(what, lines, summary, except = []) {
  const names = Object.keys(lines).filter((name) => !except.includes(name));
  assert.ok(names.length > 0, what);
  for (const name of names) {
    assert.ok(name in summary, `${what}: ${name} is shown for the summary`);
    const [a, b] = [lines[name], summary[name]];
    const same = (Number.isNaN(a) && Number.isNaN(b)) || close(a, b, 1e-9);
    assert.ok(same, `${what}: ${name} ${a} (order lines) vs ${b} (summary)`);
  }
}

test('a summary written by DuckDB gives the figures of its order lines; limited views say why', async () => {
  const lines = await openApp(app, { locale: 'en-US' });
  await drop(lines.page, ORDERS, 'orders.csv');
  const fromLines = await figures(lines.page);
  assert.equal(fromLines.overview.customers, 600);
  assert.deepEqual(lines.problems, []);
  await lines.close();

  const session = await openApp(app, { locale: 'en-US' });
  const { page } = session;
  await drop(page, CUSTOMERS, 'customers.csv');
  // Recognised as a summary, imported without a question, and said so on the data view.
  assert.equal(await page.$eval('[data-param="layout"]', (el) => el.value), 'summary');
  assert.match(await page.textContent('[data-fact="input"]'), /per-customer summary/);
  const fromSummary = await figures(page);

  // Every headline figure but the rows read (order lines in one file, customers in the other).
  assert.equal(fromSummary.overview.rows_read, 600);
  assert.equal(fromLines.overview.rows_read, 4958);
  for (const name of ['customers', 'orders', 'total_sales', 'total_profit', 'margin', 'average_order_value', 'repeat_rate', 'return_rows']) {
    assert.ok(name in fromLines.overview, `headline ${name}`);
  }
  sameMetrics('headline', fromLines.overview, fromSummary.overview, ['rows_read']);
  // The deciles: every figure and the decile table; declining compares months, which a summary
  // has not: it is not computed, and says why.
  sameMetrics('deciles', fromLines.deciles, fromSummary.deciles, ['rows_read', 'group_declining']);
  assert.equal(fromSummary.decileTable, fromLines.decileTable);
  // RFM: every threshold, tier and segment count, and the segment table.
  for (const name of ['Champions', 'Loyal Customers', 'At Risk', 'Lost']) {
    assert.ok(Number.isInteger(fromSummary.rfm[`segment_count:${name}`]), name);
  }
  sameMetrics('rfm', fromLines.rfm, fromSummary.rfm, ['rows_read']);
  assert.equal(fromSummary.segmentTable, fromLines.segmentTable);

  // The data view says the monthly chart cannot be drawn; lifecycle and CLV say why they are empty.
  await page.waitForSelector('[data-view-content="overview"] [data-note="summary-limited"]', { state: 'visible' });
  assert.equal(await page.locator('[data-panel="sql"] [data-note="summary-limited"]').count(), 1);
  await page.click('[data-view="lifecycle"]');
  await page.waitForSelector('[data-note="summary-limited"]');
  assert.match(await page.textContent('[data-note="summary-limited"]'), /per-customer summary/);
  await page.click('[data-view="clv"]');
  await page.waitForSelector('[data-view-content="clv"] [data-note="summary-limited"]');
  assert.match(await page.textContent('[data-view-content="clv"] [data-note="summary-limited"]'), /x = orders − 1/);
  await screenshot(page, 'summary-clv-en');

  // The report prints: cover, summary, deciles, RFM, method notes.
  await page.click('[data-view="report"]');
  await page.waitForSelector('#vl-report');
  const dir = join(ARTIFACTS, 'report', 'summary-en');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const pdfPath = join(dir, 'summary-en.pdf');
  await page.emulateMedia({ media: 'print' });
  writeFileSync(pdfPath, await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true }));
  await page.emulateMedia({ media: 'screen' });
  const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  for (const word of ['Customer value analysis', 'Purchase decile analysis', 'RFM analysis', 'Champions', 'Method notes', 'a per-customer summary']) {
    assert.ok(text.includes(word.replace(/\s+/g, '')), `the PDF says "${word}"`);
  }
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' }))[1]);
  assert.ok(pages >= 4, `page count ${pages}`);

  assert.deepEqual(session.problems, []);
  assert.deepEqual(await session.cspViolations(), []);
  await session.close();
});

test('the mapping step offers the layout and the summary roles, in Chinese', async () => {
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  const csv = '客户编号,订单数,销售额,利润,首次购买,最近购买\nA1,3,300.5,30,2024-01-05,2024-03-01\nB2,1,80,8,2024-02-10,2024-02-10\nA1,2,10,1,2024-01-05,2024-01-06\n';
  // A repeated id in the head: not proposed; the user chooses the summary on the mapping step.
  await page.evaluate((text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], 'summary-zh.csv', { type: 'text/csv' }));
    const input = document.querySelector('input[data-input="file"]');
    input.files = transfer.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, csv);
  await waitForAnalysis(page);
  assert.equal(await page.$eval('[data-param="layout"]', (el) => el.value), 'lines');
  await page.evaluate(() => (document.querySelector('[data-panel="mapping"]').open = true));
  await page.selectOption('[data-param="layout"]', 'summary');
  await page.waitForSelector('[data-note="summary-layout"]');
  assert.equal(await page.$eval('[data-role-column="1"]', (el) => el.value), 'summary-orders');
  assert.equal(await page.$eval('[data-role-column="4"]', (el) => el.value), 'summary-first');
  await page.click('[data-action="import"]');
  await waitForAnalysis(page, 2);
  const shown = await metrics(page);
  assert.equal(shown.customers, 2);
  assert.equal(shown.orders, 4);
  assert.equal(shown.rows_rejected, 1);
  assert.ok(close(shown.total_sales, 380.5, 1e-12));
  // The duplicate customer is listed with its line, column and reason, in Chinese.
  const rejected = await page.innerText('[data-panel="rejected"]');
  assert.match(rejected, /4/);
  assert.match(rejected, /该客户已在前面的行中出现/);
  assert.match(await page.textContent('[data-fact="input"]'), /客户汇总表/);
  await screenshot(page, 'summary-mapping-zh');
  assert.deepEqual(session.problems, []);
  await session.close();
});

// The monthly read-back: the pack's vl_monthly (DuckDB's CSV and Parquet) added to the summary
// gives the monthly sales table and the declining group of the page fed the order lines; the
// lifecycle stays limited; a table that does not add up is refused, naming the customer.
test('the summary with its monthly table shows the monthly sales and the declining group of its order lines', async () => {
  const lines = await openApp(app, { locale: 'en-US' });
  await drop(lines.page, ORDERS, 'orders.csv');
  const monthlyTable = await lines.page.textContent('[data-chart-table="monthly-sales"]');
  await lines.page.click('[data-view="deciles"]');
  await lines.page.waitForSelector('[data-metric="gini"]');
  const declining = (await metrics(lines.page)).group_declining;
  assert.ok(declining > 0, `declining ${declining}`);
  await lines.close();

  for (const file of ['monthly.csv', 'monthly.parquet']) {
    const session = await openApp(app, { locale: 'en-US' });
    const { page } = session;
    await drop(page, CUSTOMERS, 'customers.csv');
    assert.equal(await page.locator('[data-chart="monthly-sales"]').count(), 0);
    await page.setInputFiles('[data-input="monthly-file"]', join(FIXTURES, 'summary', file));
    await page.waitForSelector('[data-note="monthly-applied"]');
    const read = await metrics(page);
    assert.equal(read.monthly_rows, 3307, file);
    assert.equal(read.monthly_customers, 600, file);
    assert.equal(read.monthly_rejected, 0, file);
    assert.equal(read.monthly_mismatches, 0, file);
    assert.match(await page.textContent('[data-note="monthly-applied"]'), /lifecycle and the CLV models need every purchase day/);
    assert.equal(await page.textContent('[data-chart-table="monthly-sales"]'), monthlyTable, `${file}: monthly sales`);
    assert.equal(await page.locator('[data-view-content="overview"] [data-note="summary-limited"]').count(), 0);
    await page.click('[data-view="deciles"]');
    await page.waitForSelector('[data-metric="gini"]');
    assert.equal((await metrics(page)).group_declining, declining, `${file}: declining`);
    await page.click('[data-view="lifecycle"]');
    await page.waitForSelector('[data-note="summary-limited"]');
    assert.deepEqual(session.problems, [], file);
    await session.close();
  }

  // A table without one customer's month: refused, the customer named, in Chinese.
  const zh = await openApp(app, { locale: 'zh-CN' });
  await drop(zh.page, CUSTOMERS, 'customers.csv');
  const text = readFileSync(join(FIXTURES, 'summary', 'monthly.csv'), 'utf8').split('\n');
  const customer = text[1].split(',')[0];
  await zh.page.setInputFiles('[data-input="monthly-file"]', {
    name: 'cut.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(text.filter((_, i) => i !== 2).join('\n')),
  });
  await zh.page.waitForSelector('[data-note="monthly-refused"]');
  assert.match(await zh.page.textContent('[data-note="monthly-refused"]'), /未被采用：0 行被拒绝，1 位客户/);
  assert.match(await zh.page.textContent('[data-list="monthly-problems"]'), new RegExp(`客户 ${customer}：汇总表销售额`));
  assert.ok(await zh.page.isVisible('[data-view-content="overview"] [data-note="summary-limited"]'));
  await zh.close();
});
