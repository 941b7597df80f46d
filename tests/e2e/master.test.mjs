// Issue 20 (the customer master file) through the real page: the orders of
// tests/fixtures/dimensions/orders.csv are imported, then the master tests/fixtures/master/master.csv
// (ids in upper, lower and full-width case, padded; duplicates, empty ids, prospects) through
// data-input="master-file". Every master_* figure, the unmatched and prospect lists are checked
// against the pandas oracle (tests/oracle/master.py, independent of the app) run here on the same
// files; then the deciles view is broken down by the master's industry and the RFM view offers it
// too, with dim_customers and dim_sales per value as pandas computes them; the report states the
// master file, its match rate and its prospects.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, ROOT, metrics, openApp, screenshot, startApp, waitForAnalysis } from './harness.mjs';

const PYTHON = join(ROOT, 'target', 'test-venv', 'bin', 'python');
const ORDERS = join(FIXTURES, 'dimensions', 'orders.csv');
const MASTER = join(FIXTURES, 'master', 'master.csv');

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

/** What pandas makes of the orders and the master (tests/oracle/master.py); `null`, the test
 * skipped, without the test venv. */
function masterOracle(t) {
  if (!existsSync(PYTHON)) {
    t.skip('no test venv with pandas (scripts/setup.sh)');
    return null;
  }
  return JSON.parse(
    execFileSync(PYTHON, [join(ROOT, 'tests', 'oracle', 'master.py'), ORDERS, MASTER, '客户编号', '金额', '客户编号', '行业'], {
      encoding: 'utf8',
    }),
  );
}

test('a master file joins onto the orders and breaks deciles down by its industry as pandas does', async (t) => {
  const oracle = masterOracle(t);
  if (!oracle) return;
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  try {
    await page.setInputFiles('[data-input="file"]', ORDERS);
    await waitForAnalysis(page);
    await page.setInputFiles('[data-input="master-file"]', MASTER);
    await page.waitForSelector('[data-metric="master_matched"]');
    const shown = await metrics(page);
    assert.equal(shown.master_rows, oracle.rows);
    assert.equal(shown.master_matched, oracle.matched);
    assert.equal(shown.master_unmatched, oracle.unmatched);
    close(shown.master_match_rate, oracle.match_rate, 'master_match_rate');
    assert.equal(shown.master_duplicates, oracle.duplicates);
    assert.equal(shown.master_prospects, oracle.prospects);
    assert.equal(shown.master_rejected, oracle.rejected);
    // The guesses: the id column and each attribute's kind.
    assert.equal(await page.$eval('[data-param="master-id"]', (el) => el.value), '0');
    assert.equal(await page.$eval('[data-param="master-kind:1"]', (el) => el.value), 'industry');
    assert.equal(await page.$eval('[data-param="master-kind:2"]', (el) => el.value), 'birth_year');
    assert.equal(await page.$eval('[data-param="master-kind:3"]', (el) => el.value), 'attribute');
    // The first 25 unmatched customers and prospects, the duplicates warned with their lines.
    const unmatched = await page.$$eval('[data-list="master-unmatched"] li', (lis) => lis.map((li) => li.textContent));
    assert.deepEqual(unmatched, oracle.unmatched_ids.slice(0, 25));
    const prospects = await page.$$eval('[data-table="master-prospects"] tbody tr td:first-child', (tds) => tds.map((td) => td.textContent));
    assert.deepEqual(prospects, oracle.prospect_ids.slice(0, 25));
    const warning = await page.$eval('[data-note="master-duplicates"]', (el) => el.textContent);
    for (const line of oracle.duplicate_lines) assert.ok(warning.includes(`第 ${line} 行`), warning);
    const rejected = await page.$$eval('[data-list="master-rejected"] li', (lis) => lis.length);
    assert.equal(rejected, oracle.rejected);
    await screenshot(page, 'master-data-view');

    // Deciles by the master's industry.
    await page.click('[data-view="deciles"]');
    await page.waitForSelector('[data-view-content="deciles"] [data-param="breakdown"]');
    const options = await page.$$eval('[data-param="breakdown"] option', (os) => os.map((o) => o.value));
    assert.deepEqual(options, ['', 'region', 'salesperson', 'master_industry', 'master_birth_year', 'master_attribute']);
    await page.selectOption('[data-param="breakdown"]', 'master_industry');
    await page.waitForSelector('[data-table="dim-deciles"]');
    const cut = await metrics(page);
    for (const [value, cell] of Object.entries(oracle.breakdown)) {
      const key = value === '' ? '(blank)' : value;
      assert.equal(cut[`dim_customers:master_industry:${key}`], cell.customers, `dim_customers:master_industry:${key}`);
      close(cut[`dim_sales:master_industry:${key}`], cell.sales, `dim_sales:master_industry:${key}`);
    }
    await screenshot(page, 'master-deciles-industry');

    // The RFM view offers it too, with the same customers per value.
    await page.click('[data-view="rfm"]');
    await page.waitForSelector('[data-view-content="rfm"] [data-param="breakdown"]');
    await page.selectOption('[data-view-content="rfm"] [data-param="breakdown"]', 'master_industry');
    await page.waitForSelector('[data-table="dim-segments"]');
    const segments = await metrics(page);
    for (const [value, cell] of Object.entries(oracle.breakdown)) {
      const key = value === '' ? '(blank)' : value;
      assert.equal(segments[`dim_customers:master_industry:${key}`], cell.customers, key);
    }

    // The report states the master file, its match rate and prospects.
    await page.click('[data-view="report"]');
    await page.waitForSelector('[data-report-master]', { timeout: 60000 });
    const line = await page.$eval('[data-report-master]', (el) => el.textContent);
    assert.ok(line.includes('master.csv'), line);
    assert.ok(line.includes(`${(oracle.match_rate * 100).toFixed(1)}%`), line);
    assert.ok(line.includes(`潜在客户 ${oracle.prospects} 个`), line);
    const printed = await page.$eval('[data-report-section="dimensions"]', (el) => el.textContent);
    assert.ok(printed.includes('行业'), 'the master industry breakdown in the report');
    assert.deepEqual(session.problems, []);
  } finally {
    await session.close();
  }
});

// The master file can be dropped on its own zone too: it joins as when picked, and the orders stay
// (the page-wide drop handler leaves it alone: no second import starts).
test('a master file dropped on its zone joins onto the orders; no import starts', async (t) => {
  const oracle = masterOracle(t);
  if (!oracle) return;
  const session = await openApp(app, { locale: 'en-US' });
  try {
    const { page } = session;
    await page.setInputFiles('[data-input="file"]', ORDERS);
    await waitForAnalysis(page);
    const before = await metrics(page);
    const transfer = await page.evaluateHandle(
      ({ bytes, name }) => {
        const data = new DataTransfer();
        data.items.add(new File([new Uint8Array(bytes)], name, { type: 'text/csv' }));
        return data;
      },
      { bytes: [...readFileSync(MASTER)], name: 'master.csv' },
    );
    await page.dispatchEvent('[data-drop="master"]', 'dragover', { dataTransfer: transfer });
    assert.match(await page.getAttribute('[data-drop="master"]', 'class'), /vl-drop-zone--over/);
    await page.dispatchEvent('[data-drop="master"]', 'drop', { dataTransfer: transfer });
    await page.waitForSelector('[data-metric="master_matched"]');
    const shown = await metrics(page);
    assert.equal(shown.master_matched, oracle.matched);
    assert.equal(shown.master_prospects, oracle.prospects);
    assert.equal(shown.customers, before.customers);
    assert.equal(shown.rows_read, before.rows_read);
    assert.equal(await page.evaluate(() => performance.getEntriesByName('valuelens:analysis').length), 1, 'the dropped master started no import');
    assert.deepEqual(session.problems, []);
  } finally {
    await session.close();
  }
});

// Nothing lost: a workspace saved with the data keeps the order file's customer attributes and the
// master file (its bytes, read again when the workspace opens), so the breakdowns by the order
// file's region and by the master's industry, and every master_* figure, come back the same in a
// new tab; the last session restores them after a reload too.
test('a workspace keeps the customer attributes and the master file; so does the last session', async () => {
  const first = await openApp(app, { locale: 'en-US' });
  let saved;
  const before = {};
  try {
    const { page } = first;
    await page.setInputFiles('[data-input="file"]', ORDERS);
    await waitForAnalysis(page);
    await page.setInputFiles('[data-input="master-file"]', MASTER);
    await page.waitForSelector('[data-metric="master_matched"]');
    Object.assign(before, await metrics(page));
    await page.click('[data-view="deciles"]');
    for (const key of ['region', 'master_industry']) {
      await page.selectOption('[data-view-content="deciles"] [data-param="breakdown"]', key);
      await page.waitForSelector(`[data-metric^="dim_customers:${key}:"]`);
      Object.assign(before, await metrics(page));
    }
    // The same orders dropped again (a corrected export): the master follows them.
    await page.click('[data-view="data"]');
    // The second import's own measure (the first import's is already there), then the master's
    // join onto its orders.
    await page.setInputFiles('[data-input="file"]', ORDERS);
    await waitForAnalysis(page, 2);
    await page.waitForFunction(
      (matched) => document.querySelector('[data-metric="master_matched"]')?.dataset.value === String(matched),
      before.master_matched,
      { timeout: 60000 },
    );
    assert.equal((await metrics(page)).master_matched, before.master_matched, 'joined onto the new orders');
    await page.waitForSelector('[data-panel="workspace"]');
    await page.click('[data-panel="workspace"] > summary');
    const pending = page.waitForEvent('download');
    await page.click('[data-action="save-workspace"]');
    saved = readFileSync(await (await pending).path(), 'utf8');
    const parsed = JSON.parse(saved);
    assert.deepEqual(parsed.data.attributes.attributes.map((a) => a.key), ['region', 'salesperson']);
    assert.equal(parsed.data.master.file_name, 'master.csv');
    assert.deepEqual(Buffer.from(parsed.data.master.bytes, 'base64'), readFileSync(MASTER));
  } finally {
    await first.close();
  }

  const second = await openApp(app, { locale: 'en-US' });
  try {
    const { page } = second;
    await page.click('[data-panel="workspace"] > summary');
    await page.setInputFiles('[data-input="workspace-file"]', { name: 'w.valuelens.json', mimeType: 'application/json', buffer: Buffer.from(saved) });
    await page.waitForSelector('[data-metric="master_matched"]');
    const reopened = await metrics(page);
    for (const name of ['master_rows', 'master_matched', 'master_unmatched', 'master_match_rate', 'master_duplicates', 'master_prospects', 'master_rejected']) {
      assert.equal(reopened[name], before[name], name);
    }
    const compare = async () => {
      await page.click('[data-view="deciles"]');
      const options = await page.$$eval('[data-view-content="deciles"] [data-param="breakdown"] option', (os) => os.map((o) => o.value));
      assert.deepEqual(options, ['', 'region', 'salesperson', 'master_industry', 'master_birth_year', 'master_attribute']);
      for (const key of ['region', 'master_industry']) {
        await page.selectOption('[data-view-content="deciles"] [data-param="breakdown"]', key);
        await page.waitForSelector(`[data-metric^="dim_customers:${key}:"]`);
        const shown = await metrics(page);
        const names = Object.keys(before).filter((n) => n.startsWith(`dim_customers:${key}:`) || n.startsWith(`dim_sales:${key}:`));
        assert.ok(names.length >= 4, names.join());
        for (const name of names) assert.equal(shown[name], before[name], name);
      }
    };
    await compare();
    // The last session, restored after a reload, has them too.
    await page.waitForTimeout(1500);
    await page.reload();
    // The reload keeps the deciles view; the notice is the data view's.
    await page.click('[data-view="data"]');
    await page.waitForSelector('[data-notice]');
    await page.waitForSelector('[data-metric="master_matched"]');
    assert.equal((await metrics(page)).master_matched, before.master_matched);
    await compare();
    assert.deepEqual(second.problems, []);
  } finally {
    await second.close();
  }
});

test('a large master file is read a piece a task with its progress shown, and joins as pandas does', async (t) => {
  // The fixture's rows and 300,000 prospects more (about 8 MB): read over many tasks.
  const dir = mkdtempSync(join(tmpdir(), 'valuelens-master-'));
  const big = join(dir, 'master-big.csv');
  const extra = Array.from({ length: 300000 }, (_, i) => `Q${String(i).padStart(6, '0')},制造,${1990 + (i % 30)},big ${i}`);
  writeFileSync(big, `${readFileSync(MASTER, 'utf8').trimEnd()}\n${extra.join('\n')}\n`);
  if (!existsSync(PYTHON)) {
    t.skip('no test venv with pandas (scripts/setup.sh)');
    return;
  }
  const oracle = JSON.parse(
    execFileSync(PYTHON, [join(ROOT, 'tests', 'oracle', 'master.py'), ORDERS, big, '客户编号', '金额', '客户编号', '行业'], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    }),
  );
  const session = await openApp(app, { locale: 'en-US' });
  const { page } = session;
  try {
    await page.setInputFiles('[data-input="file"]', ORDERS);
    await waitForAnalysis(page);
    // Every progress the panel shows, as it shows it.
    await page.evaluate(() => {
      window.__masterProgress = [];
      new MutationObserver(() => {
        const shown = document.querySelector('[data-master-reading]');
        if (shown) window.__masterProgress.push(Number(shown.dataset.masterReading));
      }).observe(document.body, { childList: true, subtree: true, attributes: true });
    });
    await page.setInputFiles('[data-input="master-file"]', big);
    await page.waitForSelector('[data-metric="master_matched"]', { timeout: 60000 });
    const progress = await page.evaluate(() => window.__masterProgress);
    assert.ok(progress.length >= 3, `progress shown ${progress.length} times: ${progress}`);
    assert.ok(progress.some((p) => p > 0 && p < 1), `a progress between 0 and 1: ${progress}`);
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i] >= progress[i - 1], `progress goes forward: ${progress}`);
    assert.equal(await page.$('[data-master-reading]'), null, 'the progress goes once the master is read');
    const shown = await metrics(page);
    assert.equal(shown.master_rows, oracle.rows);
    assert.equal(shown.master_matched, oracle.matched);
    assert.equal(shown.master_unmatched, oracle.unmatched);
    assert.equal(shown.master_prospects, oracle.prospects);
    assert.equal(shown.master_duplicates, oracle.duplicates);
    assert.equal(shown.master_rejected, oracle.rejected);
    const prospects = await page.$$eval('[data-table="master-prospects"] tbody tr td:first-child', (tds) => tds.map((td) => td.textContent));
    assert.deepEqual(prospects, oracle.prospect_ids.slice(0, 25));
    assert.deepEqual(session.problems, [], 'no panic, no console error');
  } finally {
    await session.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
