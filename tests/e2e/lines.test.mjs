// Issue 20 (line attributes and the product mix) through the real page: an order file whose
// category column has a header the app does not know (商品大类) is imported, the column is marked
// as a line attribute (category) in the mapping step and the file imported again; the product
// column (产品) is guessed from its header. The RFM view shows the product mix by category: per
// value the customers and sales, and per segment each category's share of the segment's sales
// and its index; the deciles view the same per sales decile. Every figure is checked against the
// pandas oracle (tests/oracle/lines.py, independent of the app) run here on the same file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, ROOT, metrics, openApp, screenshot, startApp, waitForAnalysis } from './harness.mjs';

const PYTHON = join(ROOT, 'target', 'test-venv', 'bin', 'python');
const FIXTURE = join(FIXTURES, 'lines', 'orders.csv');

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

test('a category column marked as a line attribute gives the product mix pandas gives', async (t) => {
  if (!existsSync(PYTHON)) {
    t.skip('no test venv with pandas (scripts/setup.sh)');
    return;
  }
  const text = readFileSync(FIXTURE, 'utf8').replace('品类', '商品大类');
  const file = join(mkdtempSync(join(tmpdir(), 'vl-lines-')), 'orders_商品大类.csv');
  writeFileSync(file, text);
  const oracle = JSON.parse(
    execFileSync(PYTHON, [join(ROOT, 'tests', 'oracle', 'lines.py'), file, '客户编号', '订单号', '订单日期', '金额', '利润', '商品大类'], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    }),
  );
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  try {
    await page.setInputFiles('[data-input="file"]', file);
    await waitForAnalysis(page);
    // The product was guessed from its header; the category column has no role yet.
    await page.click('[data-panel="mapping"] summary');
    assert.equal(await page.$eval('[data-role-column="6"]', (el) => el.value), 'line:product');
    assert.equal(await page.$eval('[data-role-column="5"]', (el) => el.value), '');
    await page.selectOption('[data-role-column="5"]', 'line:category');
    await page.click('[data-action="import"]');
    await waitForAnalysis(page, 2);

    // The mix by segment in the RFM view.
    await page.click('[data-view="rfm"]');
    await page.waitForSelector('[data-view-content="rfm"] [data-param="mix"]');
    const options = await page.$$eval('[data-param="mix"] option', (os) => os.map((o) => o.value));
    assert.deepEqual(options, ['category', 'product']);
    await page.waitForSelector('[data-table="mix-shares"]');
    let shown = await metrics(page);
    for (const v of oracle.values) {
      assert.equal(shown[`mix_customers:${v.key}`], v.customers, `mix_customers:${v.key}`);
      close(shown[`mix_sales:${v.key}`], v.sales, `mix_sales:${v.key}`);
    }
    assert.ok(oracle.values.some((v) => v.key === '(other)'));
    let cells = 0;
    for (const [segment, row] of Object.entries(oracle.segments)) {
      for (const v of oracle.values) {
        close(shown[`mix_share:${segment}:${v.key}`], row[v.key].share, `mix_share:${segment}:${v.key}`);
        close(shown[`mix_index:${segment}:${v.key}`], row[v.key].index, `mix_index:${segment}:${v.key}`);
        cells += 1;
      }
    }
    assert.ok(cells > 50);
    const notes = await page.$$eval('[data-note="mix"]', (ps) => ps.map((p) => p.textContent));
    assert.ok(notes.some((n) => n.includes('不等于客户总数')), JSON.stringify(notes));
    await screenshot(page, 'lines-rfm-mix');

    // The mix by sales decile in the deciles view.
    await page.click('[data-view="deciles"]');
    await page.waitForSelector('[data-view-content="deciles"] [data-table="mix-shares"]');
    shown = await metrics(page);
    for (const [decile, row] of Object.entries(oracle.deciles)) {
      for (const v of oracle.values) {
        close(shown[`mix_share:decile_${decile}:${v.key}`], row[v.key].share, `decile ${decile} × ${v.key}`);
        close(shown[`mix_index:decile_${decile}:${v.key}`], row[v.key].index, `decile ${decile} × ${v.key} index`);
      }
    }

    // A filter on the category: the customers with a line of the first value by sales. Kept,
    // their whole sales per global decile; re-scored, M is their spend on matching lines.
    const want = oracle.filter;
    await page.selectOption('[data-param="filter-dimension"]', 'category');
    await page.waitForSelector('[data-param="filter-values"] input');
    await page.check(`[data-param="filter-values"] input[value="${want.value}"]`);
    await page.waitForSelector('[data-note="filter"] [data-metric="filter_customers"]:not([hidden])');
    for (const mode of ['keep', 'rescore']) {
      await page.selectOption('[data-param="filter-mode"]', mode);
      const sales = mode === 'keep' ? want.kept_deciles : want.rescored_deciles;
      const total = sales.reduce((a, b) => a + b, 0);
      await page.waitForFunction(
        ([expected]) => {
          const el = document.querySelector('[data-metric="decile_sales_share_1"]');
          return el && Math.abs(Number(el.dataset.value) - expected) < 1e-6;
        },
        [sales[0] / total],
        { timeout: 30000 },
      );
      shown = await metrics(page);
      assert.equal(shown.filter_customers, want.customers, `${mode}: filter_customers`);
      sales.forEach((s, k) => close(shown[`decile_sales_share_${k + 1}`], s / total, `${mode} decile ${k + 1} sales share`));
      const note = await page.$eval('[data-note="filter"]', (el) => el.textContent);
      assert.equal(note.includes('匹配明细'), mode === 'rescore', note);
    }
    await screenshot(page, 'lines-filtered-deciles');
    await page.selectOption('[data-param="filter-dimension"]', '');

    // The report has the mix too.
    await page.click('[data-view="report"]');
    await page.waitForSelector('[data-report-section="mix"]', { timeout: 60000 });
    const printed = await page.$eval('[data-report-section="mix"]', (el) => el.textContent);
    for (const v of oracle.values.filter((v) => !v.key.startsWith('('))) assert.ok(printed.includes(v.key), `${v.key} in the report`);
    assert.deepEqual(session.problems, []);
  } finally {
    await session.close();
  }
});
