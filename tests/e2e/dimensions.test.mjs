// Issue 20 (customer attributes and breakdowns) through the real page: an order file whose
// region column has a header the app does not know (片区) is imported, the column is marked as a
// customer attribute (region) in the mapping step and the file imported again; the salesperson
// column (销售员) is guessed from its header. The deciles view, broken down by region, and the RFM
// view, broken down by region, show per value the customers and sales and the decile × region and
// segment × region tables: every figure is checked against the pandas oracle
// (tests/oracle/dimensions.py, independent of the app) run here on the same file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, ROOT, metrics, openApp, screenshot, startApp, waitForAnalysis } from './harness.mjs';

const PYTHON = join(ROOT, 'target', 'test-venv', 'bin', 'python');
const FIXTURE = join(FIXTURES, 'dimensions', 'orders.csv');

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

function close(actual, expected, label, tolerance = 1e-6) {
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${label}: ${actual} vs ${expected}`);
}

test('a region column marked in the mapping breaks deciles and segments down as pandas does', async (t) => {
  if (!existsSync(PYTHON)) {
    t.skip('no test venv with pandas (scripts/setup.sh)');
    return;
  }
  // The fixture with a region header no guess knows.
  const text = readFileSync(FIXTURE, 'utf8').replace('地区', '片区');
  const file = join(mkdtempSync(join(tmpdir(), 'vl-dims-')), 'orders_片区.csv');
  writeFileSync(file, text);
  const oracle = JSON.parse(
    execFileSync(PYTHON, [join(ROOT, 'tests', 'oracle', 'dimensions.py'), file, '客户编号', '订单号', '订单日期', '金额', '利润', '片区', '销售员'], {
      encoding: 'utf8',
    }),
  );
  const region = oracle['片区'];
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  try {
    await page.setInputFiles('[data-input="file"]', file);
    await waitForAnalysis(page);
    // The salesperson was guessed from its header; the region column has no role yet.
    await page.click('[data-panel="mapping"] summary');
    assert.equal(await page.$eval('[data-role-column="6"]', (el) => el.value), 'attr:salesperson');
    assert.equal(await page.$eval('[data-role-column="5"]', (el) => el.value), '');
    await page.selectOption('[data-role-column="5"]', 'attr:region');
    await page.click('[data-action="import"]');
    await waitForAnalysis(page, 2);

    // Deciles by region.
    await page.click('[data-view="deciles"]');
    await page.waitForSelector('[data-view-content="deciles"] [data-param="breakdown"]');
    const options = await page.$$eval('[data-param="breakdown"] option', (os) => os.map((o) => o.value));
    assert.deepEqual(options, ['', 'region', 'salesperson']);
    await page.selectOption('[data-param="breakdown"]', 'region');
    await page.waitForSelector('[data-table="dim-deciles"]');
    let shown = await metrics(page);
    for (const v of region.values) {
      assert.equal(shown[`dim_customers:region:${v.key}`], v.customers, `dim_customers:region:${v.key}`);
      close(shown[`dim_sales:region:${v.key}`], v.sales, `dim_sales:region:${v.key}`);
      close(shown[`dim_customer_share:region:${v.key}`], v.customer_share, `dim_customer_share:region:${v.key}`);
      close(shown[`dim_sales_share:region:${v.key}`], v.sales_share, `dim_sales_share:region:${v.key}`);
      for (let d = 1; d <= 10; d += 1) {
        const want = region.deciles[String(d)]?.[v.key] ?? 0;
        assert.equal(shown[`dim_decile_customers:region:${d}:${v.key}`], want, `decile ${d} × ${v.key}`);
      }
    }
    assert.ok(region.values.some((v) => v.key === '(other)') && region.values.some((v) => v.key === '(blank)'));
    const notes = await page.$$eval('[data-note="breakdown"]', (ps) => ps.map((p) => p.textContent));
    assert.ok(notes.some((n) => n.includes(`${region.changed} 个客户`)), JSON.stringify(notes));
    await screenshot(page, 'dimensions-deciles-region');

    // Segments by region in the RFM view, and the salesperson too.
    await page.click('[data-view="rfm"]');
    await page.waitForSelector('[data-view-content="rfm"] [data-param="breakdown"]');
    await page.selectOption('[data-view-content="rfm"] [data-param="breakdown"]', 'region');
    await page.waitForSelector('[data-table="dim-segments"]');
    shown = await metrics(page);
    let cells = 0;
    for (const v of region.values) {
      for (const [segment, row] of Object.entries(region.segments)) {
        assert.equal(shown[`dim_segment_customers:region:${segment}:${v.key}`], row[v.key] ?? 0, `${segment} × ${v.key}`);
        cells += 1;
      }
    }
    assert.ok(cells > 50);
    await page.selectOption('[data-view-content="rfm"] [data-param="breakdown"]', 'salesperson');
    const person = oracle['销售员'];
    await page.waitForFunction((key) => document.querySelector(`[data-metric="dim_customers:salesperson:${key}"]`), person.values[0].key);
    shown = await metrics(page);
    for (const v of person.values) {
      assert.equal(shown[`dim_customers:salesperson:${v.key}`], v.customers, v.key);
      close(shown[`dim_sales:salesperson:${v.key}`], v.sales, v.key);
    }
    await screenshot(page, 'dimensions-rfm-salesperson');

    // The report has a breakdown per attribute, with the region's values as the view showed them.
    await page.click('[data-view="report"]');
    await page.waitForSelector('[data-report-section="dimensions"]', { timeout: 60000 });
    const printed = await page.$eval('[data-report-section="dimensions"]', (el) => el.textContent);
    for (const v of region.values.filter((v) => !v.key.startsWith('('))) assert.ok(printed.includes(v.key), `${v.key} in the report`);
    assert.ok(printed.includes('片区') && printed.includes('销售员'));
    assert.deepEqual(session.problems, []);
  } finally {
    await session.close();
  }
});
