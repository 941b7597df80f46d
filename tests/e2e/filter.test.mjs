// Issue 20, the filter, through the real page: the dimensions fixture (its 地区 column guessed as
// the region attribute) is imported, the filter bar over the deciles view restricts the customers
// to two regions, and in both modes (keep the scores of all customers, re-score within the filter)
// the customers per decile, the decile sales shares and the RFM segment counts equal the pandas
// oracle (tests/oracle/filter.py, independent of the app) run here on the same file; the sentence
// over every view and on the report's cover names the filter with filter_customers and
// population_customers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, ROOT, metrics, openApp, screenshot, startApp, waitForAnalysis } from './harness.mjs';

const PYTHON = join(ROOT, 'target', 'test-venv', 'bin', 'python');
const FIXTURE = join(FIXTURES, 'dimensions', 'orders.csv');
const CHOSEN = ['上海', '北京'];

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

/** The customers column of the customer decile table, as numbers. */
async function decileCustomers(page) {
  return page.$$eval('[data-table="customer-deciles"] tbody tr', (rows) =>
    rows.map((row) => Number(row.querySelectorAll('th, td')[1].textContent.replace(/[^0-9.-]/g, ''))),
  );
}

/** Waits until the decile table shows `want` customers per decile. */
async function waitForDeciles(page, want) {
  await page.waitForFunction(
    (want) => {
      const rows = [...document.querySelectorAll('[data-table="customer-deciles"] tbody tr')];
      const got = rows.map((row) => Number(row.querySelectorAll('th, td')[1].textContent.replace(/[^0-9.-]/g, '')));
      return JSON.stringify(got) === JSON.stringify(want);
    },
    want,
    { timeout: 30000 },
  );
}

async function filterNote(page, scope = '') {
  return page.$eval(`${scope} [data-note="filter"]`, (p) => ({
    text: p.textContent,
    filtered: Number(p.querySelector('[data-metric="filter_customers"]').dataset.value),
    population: Number(p.querySelector('[data-metric="population_customers"]').dataset.value),
  }));
}

test('the filter restricts deciles and segments as pandas does, keeping or re-computing the scores', async (t) => {
  if (!existsSync(PYTHON)) {
    t.skip('no test venv with pandas (scripts/setup.sh)');
    return;
  }
  const [oracle] = JSON.parse(
    execFileSync(
      PYTHON,
      [join(ROOT, 'tests', 'oracle', 'filter.py'), FIXTURE, '客户编号', '订单号', '订单日期', '金额', '利润', '地区', JSON.stringify([CHOSEN])],
      { encoding: 'utf8' },
    ),
  );
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  try {
    await page.setInputFiles('[data-input="file"]', FIXTURE);
    await waitForAnalysis(page);
    await page.click('[data-panel="mapping"] summary');
    assert.equal(await page.$eval('[data-role-column="5"]', (el) => el.value), 'attr:region');

    // Unfiltered: all customers.
    await page.click('[data-view="deciles"]');
    await page.waitForSelector('[data-param="filter-dimension"]');
    const options = await page.$$eval('[data-param="filter-dimension"] option', (os) => os.map((o) => o.value));
    assert.deepEqual(options, ['', 'region', 'salesperson']);
    let note = await filterNote(page);
    assert.equal(note.population, oracle.population);
    assert.equal(note.filtered, oracle.population);
    assert.ok(note.text.includes(`全部 ${oracle.population} 位客户`), note.text);

    // Two regions, keeping the scores of all customers (the default).
    await page.selectOption('[data-param="filter-dimension"]', 'region');
    await page.waitForSelector('[data-param="filter-values"]');
    const offered = await page.$$eval('[data-param="filter-values"] input', (is) => is.map((i) => i.value));
    for (const value of CHOSEN) assert.ok(offered.includes(value), value);
    assert.equal(await page.$eval('[data-param="filter-mode"]', (el) => el.value), 'keep');
    // Ticked with the keyboard: the box keeps the focus (the list is not drawn again), so the
    // next value is one Tab away.
    for (const value of CHOSEN) {
      const box = `[data-param="filter-values"] input[value="${value}"]`;
      await page.focus(box);
      const element = await page.$(box);
      await page.keyboard.press('Space');
      await page.waitForFunction(
        (el) => el.checked && document.querySelector('[data-note="filter"] [data-metric="filter_customers"]'),
        element,
      );
      await page.waitForTimeout(300);
      assert.ok(await element.evaluate((el) => el.isConnected && el.checked && document.activeElement === el), `${value}: ticked and still focused`);
    }
    await page.waitForFunction(
      (n) => document.querySelector('[data-note="filter"] [data-metric="filter_customers"]')?.dataset.value === String(n),
      oracle.chosen,
    );
    note = await filterNote(page);
    assert.equal(note.population, oracle.population);
    assert.ok(note.text.includes('已筛选') && note.text.includes('上海、北京') && note.text.includes('评分来自全部客户'), note.text);

    for (const mode of ['keep', 'rescore']) {
      const want = oracle.modes[mode];
      if (mode === 'rescore') {
        await page.click('[data-view="deciles"]');
        await page.waitForSelector('[data-param="filter-mode"]');
        await page.selectOption('[data-param="filter-mode"]', 'rescore');
      }
      const customers = want.deciles.map((d) => d.customers);
      await waitForDeciles(page, customers);
      assert.deepEqual(await decileCustomers(page), customers);
      const total = want.deciles.reduce((sum, d) => sum + d.sales, 0);
      const shown = await metrics(page);
      want.deciles.forEach((d, k) => close(shown[`decile_sales_share_${k + 1}`], d.sales / total, `${mode} decile ${k + 1} sales share`));
      assert.equal(shown.filter_customers, oracle.chosen);
      note = await filterNote(page);
      assert.ok(note.text.includes(mode === 'keep' ? '评分来自全部客户' : '评分在筛选范围内重新计算'), note.text);
      await screenshot(page, `filter-deciles-${mode}`);

      await page.click('[data-view="rfm"]');
      await page.waitForSelector('[data-view-content="rfm"] [data-metric^="segment_count:"]', { timeout: 60000 });
      const rfm = await metrics(page);
      let counted = 0;
      for (const [name, value] of Object.entries(rfm)) {
        if (!name.startsWith('segment_count:')) continue;
        const segment = name.slice('segment_count:'.length);
        assert.equal(value, want.segments[segment] ?? 0, `${mode} ${segment}`);
        counted += value;
      }
      assert.equal(counted, oracle.chosen);
      assert.equal((await filterNote(page)).filtered, oracle.chosen);
    }

    // The lifecycle reads the chosen customers too, and says so.
    await page.click('[data-view="lifecycle"]');
    await page.waitForSelector('[data-view-content="lifecycle"]');
    assert.equal((await filterNote(page)).filtered, oracle.chosen);

    // The report's cover names the filter.
    await page.click('[data-view="report"]');
    await page.waitForSelector('[data-report-section="cover"] [data-note="filter"]', { timeout: 60000 });
    note = await filterNote(page, '[data-report-section="cover"]');
    assert.equal(note.filtered, oracle.chosen);
    assert.equal(note.population, oracle.population);
    assert.ok(note.text.includes('上海、北京') && note.text.includes('评分在筛选范围内重新计算'), note.text);

    // Back to all customers.
    await page.selectOption('[data-param="filter-dimension"]', '');
    await page.waitForFunction(
      (n) => document.querySelector('[data-report-section="cover"] [data-metric="filter_customers"]')?.dataset.value === String(n),
      oracle.population,
    );
    assert.deepEqual(session.problems, []);
  } finally {
    await session.close();
  }
});
