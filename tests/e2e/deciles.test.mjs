// Issue 4 (purchase deciles): the figures the page shows for the sample data, checked against an
// independent computation written here from the definitions in METHODS.md §1.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { close, metrics, openApp, sampleCsv, screenshot, startApp, waitForAnalysis } from './harness.mjs';

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

/** Net sales and profit per customer from the sample CSV (header: Customer ID,Order ID,Order Date,Sales,Profit,Quantity). */
function customersOf(csv) {
  const byId = new Map();
  for (const line of csv.split('\n').slice(1)) {
    if (!line.trim()) continue;
    const [id, , , sales, profit] = line.split(',');
    const c = byId.get(id) ?? { id, sales: 0, profit: 0 };
    c.sales += Number(sales);
    c.profit += Number(profit);
    byId.set(id, c);
  }
  return [...byId.values()];
}

/** Ranked by value descending, ties by id (byte order). */
function ranked(customers, key) {
  return [...customers].sort((a, b) => b[key] - a[key] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Decile sizes like numpy.array_split: the first n % 10 deciles one larger. */
function decileShares(customers, key) {
  const order = ranked(customers, key);
  const total = order.reduce((s, c) => s + c[key], 0);
  const n = order.length;
  const shares = [];
  let start = 0;
  for (let d = 0; d < 10; d++) {
    const size = Math.floor(n / 10) + (d < n % 10 ? 1 : 0);
    shares.push(order.slice(start, start + size).reduce((s, c) => s + c[key], 0) / total);
    start += size;
  }
  return shares;
}

function gini(customers) {
  const values = customers.map((c) => c.sales).sort((a, b) => a - b);
  const n = values.length;
  const total = values.reduce((s, v) => s + v, 0);
  const weighted = values.reduce((s, v, i) => s + (i + 1) * v, 0);
  return (2 * weighted) / (n * total) - (n + 1) / n;
}

/** Customers whose stretch of cumulative sales overlaps [from, to] (fractions of the total). */
function band(customers, from, to) {
  const order = ranked(customers, 'sales');
  const total = order.reduce((s, c) => s + c.sales, 0);
  let before = 0;
  let count = 0;
  for (const c of order) {
    const after = before + c.sales / total;
    if (before < to - 1e-12 && after > from + 1e-12) count++;
    before = after;
  }
  return count;
}

function pareto80(customers) {
  const order = ranked(customers, 'sales');
  const total = order.reduce((s, c) => s + c.sales, 0);
  let cumulative = 0;
  for (let k = 0; k < order.length; k++) {
    cumulative += order[k].sales;
    if (cumulative >= 0.8 * total - 1e-9 * total) return (k + 1) / order.length;
  }
  return 1;
}

test('deciles, Gini, Pareto point and groups of the sample match an independent computation', async () => {
  const customers = customersOf(sampleCsv('en'));
  const session = await openApp(app, { locale: 'en-US' });
  const { page } = session;
  await page.click('[data-action="load-sample"]');
  await waitForAnalysis(page);
  await page.click('[data-view="deciles"]');
  await page.waitForSelector('[data-metric="gini"]');
  const shown = await metrics(page);

  const sales = decileShares(customers, 'sales');
  const profit = decileShares(customers, 'profit');
  for (let d = 1; d <= 10; d++) {
    assert.ok(close(shown[`decile_sales_share_${d}`], sales[d - 1], 1e-9), `decile_sales_share_${d}`);
    assert.ok(close(shown[`decile_profit_share_${d}`], profit[d - 1], 1e-9), `decile_profit_share_${d}`);
  }
  assert.ok(close(shown.gini, gini(customers), 1e-9), `gini ${shown.gini} vs ${gini(customers)}`);
  assert.ok(close(shown.pareto80_customer_share, pareto80(customers), 1e-12));
  assert.equal(shown.group_retain, band(customers, 0, 0.1));
  assert.equal(shown.group_grow, band(customers, 0.4, 0.5));
  assert.ok(shown.group_declining > 0 && shown.group_transaction > 0);

  // A changed threshold changes the result, and the parameter is shown beside it.
  await page.fill('[data-param="retain_sales_share"]', '20');
  await page.dispatchEvent('[data-param="retain_sales_share"]', 'change');
  await page.waitForFunction((n) => Number(document.querySelector('[data-metric="group_retain"]').dataset.value) !== n, shown.group_retain);
  assert.equal((await metrics(page)).group_retain, band(customers, 0, 0.2));

  // The group table exports as CSV with a BOM.
  const download = page.waitForEvent('download');
  await page.click('[data-action="export-group"]');
  const file = await download;
  const path = await file.path();
  const text = (await import('node:fs')).readFileSync(path, 'utf8');
  assert.ok(text.startsWith('\ufeff'), 'UTF-8 BOM');
  assert.equal(text.trim().split('\r\n').length - 1, band(customers, 0, 0.2));

  assert.deepEqual(session.problems, []);
  assert.deepEqual(await session.cspViolations(), []);
  await screenshot(page, 'deciles-en');
  await session.close();
});

test('the decile view in Chinese, and without data', async () => {
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  await page.click('[data-view="deciles"]');
  await page.waitForSelector('[data-empty="no-data"]');
  await page.click('[data-view="data"]');
  await page.click('[data-action="load-sample"]');
  await waitForAnalysis(page);
  await page.click('[data-view="deciles"]');
  await page.waitForSelector('[data-chart="lorenz"]');
  const lorenz = await page.innerHTML('[data-chart="lorenz"]');
  assert.ok(lorenz.includes('基尼系数'));
  assert.ok((await page.innerHTML('[data-chart="decile-shares"]')).includes('第1组'));
  await screenshot(page, 'deciles-zh');
  await session.close();
});

test('with 25,000 customers, edited thresholds are computed in pieces before they are shown, and a later edit overtakes an earlier one', async () => {
  // From 20,000 customers an edit is computed a piece a task before the parameters change
  // (computed at once, it was one task of 51-63 ms at 96,813 customers).
  const lines = ['Customer ID,Order ID,Order Date,Sales,Profit,Quantity'];
  for (let c = 0; c < 25_000; c++) {
    const id = `K${String(c).padStart(5, '0')}`;
    lines.push(`${id},A${c},2024-0${1 + (c % 9)}-1${c % 10},${((c * 7919) % 1000) + 1}.5,${(c * 31) % 97},1`);
    if (c % 3 === 0) lines.push(`${id},B${c},2024-1${c % 3}-2${c % 8},${(c % 41) + 3}.25,${c % 7},2`);
  }
  const csv = lines.join('\n');
  const customers = customersOf(csv);
  assert.equal(customers.length, 25_000);
  const session = await openApp(app, { locale: 'en-US' });
  const { page } = session;
  await page.setInputFiles('[data-input="file"]', { name: 'many.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await waitForAnalysis(page);
  await page.click('[data-view="deciles"]');
  await page.waitForSelector('[data-metric="gini"]');
  const shown = await metrics(page);
  assert.equal(shown.group_retain, band(customers, 0, 0.1));
  assert.ok(close(shown.gini, gini(customers), 1e-9));

  // Two edits in a row: the first is overtaken, the second shown.
  await page.fill('[data-param="retain_sales_share"]', '20');
  await page.dispatchEvent('[data-param="retain_sales_share"]', 'change');
  await page.fill('[data-param="retain_sales_share"]', '25');
  await page.dispatchEvent('[data-param="retain_sales_share"]', 'change');
  await page.waitForFunction((n) => Number(document.querySelector('[data-metric="group_retain"]').dataset.value) !== n, shown.group_retain);
  await page.waitForTimeout(300);
  assert.equal((await metrics(page)).group_retain, band(customers, 0, 0.25));
  assert.equal(await page.inputValue('[data-param="retain_sales_share"]'), '25');

  await page.fill('[data-param="grow_from_share"]', '30');
  await page.dispatchEvent('[data-param="grow_from_share"]', 'change');
  await page.waitForFunction((n) => Number(document.querySelector('[data-metric="group_grow"]').dataset.value) !== n, shown.group_grow);
  const edited = await metrics(page);
  assert.equal(edited.group_grow, band(customers, 0.3, 0.5));
  assert.equal(edited.group_retain, band(customers, 0, 0.25));
  // The reset goes back to the defaults' figures.
  await page.click('[data-action="reset-decile-parameters"]');
  await page.waitForFunction((n) => Number(document.querySelector('[data-metric="group_retain"]').dataset.value) === n, shown.group_retain);
  assert.equal((await metrics(page)).group_grow, shown.group_grow);
  assert.deepEqual(session.problems, []);
  await session.close();
});
