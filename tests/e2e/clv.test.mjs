// Issue 15 (CLV and prediction): the CDNOW sample of the BG/NBD paper dropped on the real page,
// calibrated to 1997-09-30 in weeks. The fitted parameters must match the paper's table (Fader,
// Hardie & Lee 2005) within 0.5 % and `lifetimes` 0.11.3, run here on the same file, within
// 1e-4; the holdout's actual repeat purchases are counted here from the raw file; P(alive),
// expected purchases and CLV of the customers lifetimes picks are read off the page's customer
// table. Also: the fit runs in its own worker and can be cancelled and run again, the table
// sorts, the CSV holds every customer, the report has the section, and the Chinese page says it
// in Chinese. On the built-in sample: the common-dropout note.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, metrics, openApp, screenshot, startApp } from './harness.mjs';

const SAMPLE = join(ROOT, 'target', 'test-data', 'CDNOW_sample.txt');
const PYTHON = join(ROOT, 'target', 'test-venv', 'bin', 'python');
const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of `yyyymmdd`. */
function dayOf(text) {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  assert.ok(m, `a date: ${text}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
}

/** Per customer (first column; the second is the sample's own number for it): purchase days. */
function customersOf(text) {
  const customers = new Map();
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const [customer, id, date] = line.trim().split(/\s+/);
    if (!customers.has(customer)) customers.set(customer, { customer, id, days: new Set() });
    customers.get(customer).days.add(dayOf(date));
  }
  return [...customers.values()];
}

function within(name, actual, expected, relative) {
  assert.ok(Number.isFinite(actual), `${name}: ${actual}`);
  const error = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-12);
  assert.ok(error <= relative, `${name}: ${actual} vs ${expected} (relative error ${error})`);
}

async function setParam(page, name, value) {
  await page.fill(`[data-param="${name}"]`, String(value));
  await page.dispatchEvent(`[data-param="${name}"]`, 'change');
}

/** Waits for the fit to end (a result, or an error) and fails on an error. */
async function waitForFit(page) {
  await page.waitForFunction(
    () => !document.querySelector('[data-clv-status="running"]') && (document.querySelector('[data-metric="bgnbd_r"]') || document.querySelector('[data-view-content="clv"] [role="alert"]')),
    null,
    { timeout: 120000 },
  );
  const alert = await page.$('[data-view-content="clv"] [role="alert"]');
  assert.equal(alert ? await alert.textContent() : null, null);
}

/** The customer's figures, searched for in the customer table. */
async function customerFigures(page, id) {
  await page.fill('[data-search="clv-customers"]', id);
  await page.waitForSelector(`[data-table="clv-customers"] [data-metric="p_alive:${id}"]`, { timeout: 10000 });
  const shown = await metrics(page);
  return {
    p_alive: shown[`p_alive:${id}`],
    expected_52: shown[`expected_purchases:${id}`],
    clv: shown[`clv:${id}`],
  };
}

test('CDNOW sample: the paper\'s BG/NBD and Gamma-Gamma fit and lifetimes\' predictions, through the page', async () => {
  assert.ok(existsSync(SAMPLE), 'CDNOW_sample.txt (run scripts/setup.sh --test)');
  assert.ok(existsSync(PYTHON), 'the test venv with lifetimes (run scripts/setup.sh --test)');
  const oracle = JSON.parse(
    execFileSync(PYTHON, [join(ROOT, 'tests', 'oracle', 'clv.py'), SAMPLE], { encoding: 'utf8', maxBuffer: 16 << 20 }),
  );
  const customers = customersOf(readFileSync(SAMPLE, 'utf8'));
  assert.equal(customers.length, 2357);
  // Holdout repeat purchases counted here: purchase days after the calibration end of customers
  // whose first purchase is on or before it.
  const end = dayOf('19970930');
  const holdoutActual = customers
    .filter((c) => Math.min(...c.days) <= end)
    .reduce((n, c) => n + [...c.days].filter((d) => d > end).length, 0);
  assert.equal(holdoutActual, oracle.holdout_actual);

  const app = await startApp();
  const { page, problems, close } = await openApp(app, { locale: 'en-US' });
  try {
    await page.setInputFiles('[data-input="file"]', SAMPLE);
    await Promise.race([
      page.waitForSelector('[data-focus="results"]', { timeout: 60000 }),
      page.waitForSelector('[data-action="import"]', { timeout: 60000 }).then(async () => {
        await page.click('[data-action="import"]');
        await page.waitForSelector('[data-focus="results"]', { timeout: 60000 });
      }),
    ]);
    // The first analysis worker's script comes 2 s late, so that the fit is still running when
    // Cancel is clicked (without the wait, the fit of 2,357 customers could end before it).
    let delayed = false;
    await page.route('**/analyst_loader.js', async (route) => {
      if (!delayed) {
        delayed = true;
        await new Promise((done) => setTimeout(done, 2000));
      }
      await route.continue();
    });
    await page.goto(app.baseUrl + '#/clv');
    // The fit on everything starts at once, in its own worker: cancel it, then fit again with
    // the paper's calibration end.
    await page.waitForSelector('[data-clv-status="running"]', { timeout: 30000 });
    assert.match(await page.textContent('[data-clv-status="running"]'), /2,357 customers/);
    assert.ok(delayed, "the analysis worker's script was asked for");
    await page.click('[data-action="cancel-clv"]');
    await page.waitForSelector('[data-clv-status="cancelled"]');
    assert.equal(await page.$('[data-metric="bgnbd_r"]'), null);
    await setParam(page, 'calibration_end', '1997-09-30');
    await page.click('[data-action="run-clv"]');
    await waitForFit(page);
    // The fit in, its analysis worker is gone (it closes itself after its one request: its
    // copy of every purchase day goes with it).
    const analysts = () => page.workers().filter((w) => w.url().includes('analyst')).length;
    for (let i = 0; i < 50 && analysts() > 0; i++) await page.waitForTimeout(100);
    assert.equal(analysts(), 0, 'no analysis worker left once the fit is in');

    const shown = await metrics(page);
    const paper = { bgnbd_r: 0.243, bgnbd_alpha: 4.414, bgnbd_a: 0.793, bgnbd_b: 2.426, gg_p: 6.25, gg_q: 3.74, gg_v: 15.44 };
    for (const [name, value] of Object.entries(paper)) within(`${name} (paper)`, shown[name], value, 0.005);
    const theirs = {
      bgnbd_r: oracle.bgnbd.r,
      bgnbd_alpha: oracle.bgnbd.alpha,
      bgnbd_a: oracle.bgnbd.a,
      bgnbd_b: oracle.bgnbd.b,
      gg_p: oracle.gg.p,
      gg_q: oracle.gg.q,
      gg_v: oracle.gg.v,
    };
    for (const [name, value] of Object.entries(theirs)) within(`${name} (lifetimes)`, shown[name], value, 1e-4);
    within('bgnbd_ll (paper)', shown.bgnbd_ll, -9582.4, 1e-5);
    assert.equal(shown.holdout_actual, holdoutActual);
    within('holdout_predicted (lifetimes)', shown.holdout_predicted, oracle.holdout_predicted, 1e-4);
    assert.ok(shown.clv_total > 0);
    assert.equal(shown.clv_customers, oracle.customers_in_model);
    for (const name of ['clv-backtest', 'clv-tracking', 'clv-p-alive', 'clv-deciles']) {
      assert.ok(await page.$(`[data-chart="${name}"] svg`), `chart ${name}`);
    }
    await screenshot(page, 'clv-cdnow');

    // The customers lifetimes picked (one-time buyer, last purchase on the end, heaviest, …).
    const byCustomer = new Map(customers.map((c) => [c.customer, c]));
    const probe = oracle.customers[0].customer;
    await page.fill('[data-search="clv-customers"]', probe);
    await page.waitForFunction(() => document.querySelector('[data-count="clv-customers"]')?.textContent.trim() !== '');
    const found = await page.$(`[data-table="clv-customers"] [data-metric="p_alive:${probe}"]`);
    // The import maps the customer to the first or the second column (one number each).
    const idOf = (customer) => (found ? customer : byCustomer.get(customer).id);
    for (const c of oracle.customers) {
      const figures = await customerFigures(page, idOf(c.customer));
      within(`${c.role} P(alive)`, figures.p_alive, c.p_alive, 1e-4);
      within(`${c.role} expected purchases in 52 weeks`, figures.expected_52, c.expected_52, 1e-4);
      within(`${c.role} CLV over 52 weeks`, figures.clv + 1, c.clv + 1, 1e-4);
    }

    // Sorting by P(alive), lowest first after a second click.
    await page.fill('[data-search="clv-customers"]', '');
    await page.click('[data-sort="p_alive"]');
    await page.click('[data-sort="p_alive"]');
    const column = await page.$$eval('[data-table="clv-customers"] [data-metric^="p_alive:"]', (els) => els.map((e) => Number(e.dataset.value)));
    assert.equal(column.length, 25);
    assert.deepEqual(column, [...column].sort((a, b) => a - b));
    assert.equal(await page.getAttribute('[data-sort="p_alive"] >> xpath=..', 'aria-sort'), 'ascending');

    // The CSV of every customer.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-table-csv="clv-customers"]'),
    ]);
    const csv = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    assert.equal(csv.length - 1, oracle.customers_in_model);

    // The report's section.
    await page.goto(app.baseUrl + '#/report');
    await page.waitForSelector('[data-report-section="clv"]', { timeout: 30000 });
    const section = await page.textContent('[data-report-section="clv"]');
    assert.match(section, /CLV/);
    assert.match(section, /holdout/);

    // In Chinese, the documents' term and no unfilled template.
    await page.goto(app.baseUrl + '#/clv');
    await page.click('[data-action="switch-language"]');
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    await page.waitForSelector('[data-metric="bgnbd_r"]', { timeout: 60000 });
    const zh = await page.textContent('[data-view-content="clv"]');
    assert.match(zh, /客户生命周期价值/);
    assert.match(zh, /留出期/);
    assert.doesNotMatch(zh, /\{\d\}/);
    assert.deepEqual(problems, []);
  } finally {
    await close();
    await app.close();
  }
});

test('built-in sample: the fit stops at the common-dropout edge and says so', async () => {
  const app = await startApp();
  const { page, problems, close } = await openApp(app, { locale: 'en-US' });
  try {
    await page.click('[data-action="load-sample"]');
    await page.waitForSelector('[data-focus="results"]', { timeout: 60000 });
    await page.goto(app.baseUrl + '#/clv');
    await waitForFit(page);
    const note = await page.textContent('[data-note="clv-common-dropout"]');
    assert.match(note, /same chance of leaving/);
    const shown = await metrics(page);
    assert.ok(shown.bgnbd_a > 1e4 && shown.bgnbd_b > 1e4);
    assert.ok(shown.clv_total > 0);
    // No holdout without a calibration end: the page says how to get one.
    assert.ok(await page.$('[data-note="clv-no-holdout"]'));
    assert.equal(shown.holdout_actual, undefined);
    // Changing the horizon refits: a longer horizon, more value.
    await setParam(page, 'horizon', 104);
    await page.waitForFunction((before) => {
      const el = document.querySelector('[data-metric="clv_total"]');
      return el && Number(el.dataset.value) > before;
    }, shown.clv_total, { timeout: 60000 });
    await screenshot(page, 'clv-sample');
    assert.deepEqual(problems, []);
  } finally {
    await close();
    await app.close();
  }
});
