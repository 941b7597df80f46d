// Issue 14 (lifecycle): the figures the lifecycle view shows for the sample and for the public
// CDNOW master file, checked against a computation done here from the raw file (not by the app):
// per-period actives, new customers, retention, churn and repeat rate; cohort sizes and cells
// (blank when not observed); inter-purchase median and lapse threshold; the grain switch, two
// custom periods with the decile transitions, and the CDNOW year-on-year retention.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, openApp, sampleCsv, screenshot, startApp } from './harness.mjs';

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of `yyyy-mm-dd` or `yyyymmdd`. */
function dayOf(text) {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(text.trim());
  assert.ok(m, `a date: ${text}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
}

function iso(day) {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

const GRAINS = { month: 1, quarter: 3, year: 12 };

/** Running period number of a day, and the key and first day of a period number. */
function periodIndex(day, grain) {
  const d = new Date(day * DAY_MS);
  return Math.floor((d.getUTCFullYear() * 12 + d.getUTCMonth()) / GRAINS[grain]);
}
function periodStart(index, grain) {
  const month = index * GRAINS[grain];
  return Date.UTC(Math.floor(month / 12), month % 12, 1) / DAY_MS;
}
function periodKey(index, grain) {
  const month = index * GRAINS[grain];
  const year = String(Math.floor(month / 12)).padStart(4, '0');
  if (grain === 'month') return `${year}-${String((month % 12) + 1).padStart(2, '0')}`;
  if (grain === 'quarter') return `${year}-Q${Math.floor((month % 12) / 3) + 1}`;
  return year;
}

/** Lines `{ id, order, day, amount }` of the sample CSV (header row, commas, ISO dates). */
function sampleLines(csv) {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0].split(',');
  const [c, o, d, a] = ['Customer ID', 'Order ID', 'Order Date', 'Sales'].map((h) => header.indexOf(h));
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    return { id: cells[c], order: cells[o], day: dayOf(cells[d]), amount: Number(cells[a]) };
  });
}

/** Lines of the CDNOW master file: whitespace-aligned id, yyyymmdd, CDs, dollars; a row is an order. */
function cdnowLines(text) {
  return text
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((line, i) => {
      const [id, date, , dollars] = line.trim().split(/\s+/);
      return { id, order: `row${i}`, day: dayOf(date), amount: Number(dollars) };
    });
}

/** Per customer: activity days (a line that is not a return) with net sales per day, orders by day. */
function customersOf(lines) {
  const customers = new Map();
  for (const { id, order, day, amount } of lines) {
    if (!customers.has(id)) customers.set(id, { id, days: new Map(), orders: new Map(), first: day, last: day });
    const c = customers.get(id);
    c.first = Math.min(c.first, day);
    c.last = Math.max(c.last, day);
    const entry = c.days.get(day) ?? { sales: 0, purchase: false };
    entry.sales += amount;
    entry.purchase ||= amount >= 0;
    c.days.set(day, entry);
    c.orders.set(order, Math.min(c.orders.get(order) ?? Infinity, day));
  }
  for (const c of customers.values()) {
    c.active = [...c.days.entries()].filter(([, e]) => e.purchase).map(([d]) => d).sort((a, b) => a - b);
    // Orders counted on the activity day of their first line.
    c.orderDays = [...c.orders.values()].filter((d) => c.days.get(d)?.purchase);
  }
  // The table is sorted by id (byte order; the ids here are ASCII).
  return [...customers.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function quantile(sorted, q) {
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

/** The expected `data-metric` values (strings, "" when left out) of the view's tables. */
function expected(customers, { grain = 'month', includePartial = false } = {}) {
  const firstDay = Math.min(...customers.map((c) => c.first));
  const analysisDay = Math.max(...customers.map((c) => c.last)) + 1;
  const partial = (index) => periodStart(index, grain) < firstDay || periodStart(index + 1, grain) > analysisDay;
  const [p0, p1] = [periodIndex(firstDay, grain), periodIndex(analysisDay - 1, grain)];
  const out = {};
  const activeIn = (c, index) => c.active.some((d) => periodIndex(d, grain) === index);
  for (let p = p0; p <= p1; p++) {
    const key = periodKey(p, grain);
    const active = customers.filter((c) => activeIn(c, p));
    out[`lc_active:${key}`] = String(active.length);
    out[`lc_new:${key}`] = String(active.filter((c) => periodIndex(c.active[0], grain) === p).length);
    const own = includePartial || !partial(p);
    const repeat = active.filter((c) => c.orderDays.filter((d) => periodIndex(d, grain) === p).length >= 2).length;
    out[`lc_repeat_rate:${key}`] = own && active.length > 0 ? String(repeat / active.length) : '';
    const comparable = p > p0 && own && (includePartial || !partial(p - 1));
    const before = customers.filter((c) => activeIn(c, p - 1));
    if (comparable && before.length > 0) {
      const retention = before.filter((c) => activeIn(c, p)).length / before.length;
      out[`lc_retention:${key}`] = String(retention);
      out[`lc_churn:${key}`] = String(1 - retention);
    } else {
      out[`lc_retention:${key}`] = '';
      out[`lc_churn:${key}`] = '';
    }
  }
  // Cohorts by month of the first activity day.
  const cohorts = new Map();
  for (const c of customers.filter((c) => c.active.length > 0)) {
    const index = periodIndex(c.active[0], 'month');
    if (!cohorts.has(index)) cohorts.set(index, []);
    cohorts.get(index).push(c);
  }
  const [m0, m1] = [periodIndex(firstDay, 'month'), periodIndex(analysisDay - 1, 'month')];
  const monthPartial = (index) =>
    periodStart(index, 'month') < firstDay || periodStart(index + 1, 'month') > analysisDay;
  for (const [index, members] of cohorts) {
    const key = periodKey(index, 'month');
    out[`cohort_size:${key}`] = String(members.length);
    for (let k = 0; k <= m1 - m0; k++) {
      const p = index + k;
      const observed = periodStart(p, 'month') < analysisDay;
      const shown = observed && (includePartial || !monthPartial(p));
      const active = members.filter((c) => c.active.some((d) => periodIndex(d, 'month') === p)).length;
      out[`cohort_retention:${key}:${k}`] = shown ? String(active / members.length) : '';
    }
  }
  // Inter-purchase times: days between consecutive activity days, pooled.
  const gaps = customers.flatMap((c) => c.active.slice(1).map((d, i) => d - c.active[i])).sort((a, b) => a - b);
  out.ipt_median_days = String(quantile(gaps, 0.5));
  out.lapse_threshold_days = String(Math.ceil(quantile(gaps, 0.9)));
  return out;
}

/** Deciles of the customers active in a range by their net sales in it (largest first, ties by id). */
function decileTransitions(customers, a, b) {
  const entry = (c, [first, last]) => {
    const days = [...c.days.entries()].filter(([d]) => d >= first && d <= last);
    if (!days.some(([, e]) => e.purchase)) return null;
    return Math.round(days.reduce((s, [, e]) => s + e.sales, 0) * 100) / 100;
  };
  const deciles = (range) => {
    const members = customers.map((c, i) => [i, entry(c, range)]).filter(([, s]) => s !== null);
    members.sort((x, y) => y[1] - x[1] || x[0] - y[0]);
    const n = members.length;
    const sizes = Array.from({ length: 10 }, (_, i) => Math.floor(n / 10) + (i < n % 10 ? 1 : 0));
    const decile = new Map();
    let at = 0;
    sizes.forEach((size, d) => {
      for (const [i] of members.slice(at, at + size)) decile.set(i, d + 1);
      at += size;
    });
    return decile;
  };
  const [da, db] = [deciles(a), deciles(b)];
  const out = {};
  for (const from of [...Array.from({ length: 10 }, (_, i) => String(i + 1)), 'new']) {
    for (const to of [...Array.from({ length: 10 }, (_, i) => String(i + 1)), 'lapsed']) {
      if (from !== 'new' || to !== 'lapsed') out[`decile_transition:${from}:${to}`] = 0;
    }
  }
  customers.forEach((_, i) => {
    if (!da.has(i) && !db.has(i)) return;
    const from = da.has(i) ? String(da.get(i)) : 'new';
    const to = db.has(i) ? String(db.get(i)) : 'lapsed';
    out[`decile_transition:${from}:${to}`] += 1;
  });
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, String(v)]));
}

/** Every `data-metric` on the page with its raw `data-value`. */
async function shown(page) {
  return page.$$eval('[data-metric]', (elements) =>
    Object.fromEntries(elements.map((el) => [el.dataset.metric, el.dataset.value])),
  );
}

/** Compares the expected figures with the page's, numbers to 1e-9, blanks exactly. */
function compare(page, want, label) {
  const problems = [];
  for (const [name, value] of Object.entries(want)) {
    const got = page[name];
    if (got === undefined) problems.push(`${name}: missing (want ${value})`);
    else if (value === '' || got === '') {
      if (value !== got) problems.push(`${name}: ${got} (want ${value === '' ? 'blank' : value})`);
    } else if (Math.abs(Number(got) - Number(value)) > 1e-9 * Math.max(1, Math.abs(Number(value)))) {
      problems.push(`${name}: ${got} (want ${value})`);
    }
  }
  assert.deepEqual(problems.slice(0, 20), [], `${label}: ${problems.length} differences`);
}

/** Waits until the lifecycle view shows figures for `key` (a period of the current grain). */
async function waitForFigure(page, name) {
  await page.waitForSelector(`[data-metric="${name}"]`, { timeout: 60000 });
}

async function setParam(page, name, value) {
  const selector = `[data-param="${name}"]`;
  const tag = await page.$eval(selector, (el) => el.tagName);
  if (tag === 'SELECT') await page.selectOption(selector, value);
  else if ((await page.$eval(selector, (el) => el.type)) === 'checkbox') {
    await page.setChecked(selector, value);
  } else {
    await page.fill(selector, value);
    await page.$eval(selector, (el) => el.dispatchEvent(new Event('change', { bubbles: true })));
  }
}

test('sample: periods, cohorts, gaps, grain switch and two periods, against the raw file', async () => {
  const customers = customersOf(sampleLines(sampleCsv('en')));
  const app = await startApp();
  const { page, problems, close } = await openApp(app, { locale: 'en-US' });
  try {
    await page.click('[data-action="load-sample"]');
    await page.waitForSelector('[data-focus="results"]', { timeout: 60000 });
    await page.goto(app.baseUrl + '#/lifecycle');
    await waitForFigure(page, 'lc_active:2024-06');
    compare(await shown(page), expected(customers), 'sample by month');
    for (const term of ['Retention rate', 'Churn rate', 'Repeat-purchase rate']) {
      assert.ok((await page.textContent('[data-view-content="lifecycle"]')).includes(term), term);
    }
    await screenshot(page, 'lifecycle-sample');

    await setParam(page, 'period_grain', 'quarter');
    await waitForFigure(page, 'lc_active:2024-Q2');
    compare(await shown(page), expected(customers, { grain: 'quarter' }), 'sample by quarter');

    // Two custom periods: the second half of 2023 against the first half of 2024.
    const a = ['2023-07-01', '2023-12-31'];
    const b = ['2024-01-01', '2024-06-30'];
    await setParam(page, 'period_a_start', a[0]);
    await setParam(page, 'period_a_end', a[1]);
    await setParam(page, 'period_b_start', b[0]);
    await setParam(page, 'period_b_end', b[1]);
    const want = decileTransitions(customers, a.map(dayOf), b.map(dayOf));
    await page.waitForFunction(
      ([name, value]) => document.querySelector(`[data-metric="${name}"]`)?.dataset.value === value,
      ['decile_transition:1:1', want['decile_transition:1:1']],
      { timeout: 30000 },
    );
    compare(await shown(page), want, 'decile transitions');
    assert.equal(await page.inputValue('[data-param="period_a_start"]'), a[0]);

    // Segment migration between two analysis dates: every customer who bought before the
    // second date is in one cell, and those who first bought on or after the first date
    // come from "not yet a customer".
    const [first, second] = ['2024-01-01', '2024-07-01'];
    await setParam(page, 'migration_first_day', first);
    await setParam(page, 'migration_second_day', second);
    await page.waitForFunction(
      (day) => document.querySelector('[data-param="migration_first_day"]')?.value === day,
      first,
    );
    const sum = (rows) => rows.reduce((s, [, v]) => s + Number(v), 0);
    const before = (day) => customers.filter((c) => c.first < dayOf(day)).length;
    // The analysis worker answers with the new migration (the old one stays until then).
    await page.waitForFunction(
      ([total, fresh]) => {
        const cells = [...document.querySelectorAll('[data-metric^="segment_migration:"]')];
        const add = (list) => list.reduce((s, el) => s + Number(el.dataset.value), 0);
        const notYet = cells.filter((el) => el.dataset.metric.startsWith('segment_migration:not_yet:'));
        return !document.querySelector('[data-lc-status="running"]') && add(cells) === total && add(notYet) === fresh;
      },
      [before(second), before(second) - before(first)],
      { timeout: 30000 },
    );
    const figures = await shown(page);
    const cells = Object.entries(figures).filter(([name]) => name.startsWith('segment_migration:'));
    assert.equal(sum(cells), before(second), 'customers scored on the second date');
    assert.equal(
      sum(cells.filter(([name]) => name.startsWith('segment_migration:not_yet:'))),
      before(second) - before(first),
      'customers new between the two dates',
    );

    // The report carries the lifecycle section with its sentence.
    await page.goto(app.baseUrl + '#/report');
    await page.waitForSelector('[data-report-section="lifecycle"] svg', { timeout: 60000 });
    const lead = await page.textContent('[data-report-section="lifecycle"] .vl-report__lead');
    assert.match(lead, /^Retention in \d{4}-Q\d was \d+\.\d%/);
    assert.deepEqual(problems, []);
  } finally {
    await close();
    await app.close();
  }
});

test("Chinese: the KPIs and their meanings in the documents' words", async () => {
  const app = await startApp();
  const { page, problems, close } = await openApp(app, { locale: 'zh-CN' });
  try {
    await page.click('[data-action="load-sample"]');
    await page.waitForSelector('[data-focus="results"]', { timeout: 60000 });
    await page.goto(app.baseUrl + '#/lifecycle');
    await waitForFigure(page, 'lc_active:2024-06');
    const text = await page.textContent('[data-view-content="lifecycle"]');
    for (const term of ['客户保留率', '客户流失率', '重复购买率', '换购增购', '同期群', '流失阈值']) {
      assert.ok(text.includes(term), term);
    }
    assert.ok(!/[{}]/.test(text), 'no unfilled template');
    assert.deepEqual(problems, []);
  } finally {
    await close();
    await app.close();
  }
});

test('CDNOW: monthly actives, cohorts and year-on-year retention, against the raw file', async () => {
  const path = join(ROOT, 'target', 'test-data', 'CDNOW_master.txt');
  assert.ok(existsSync(path), 'CDNOW_master.txt (run scripts/setup.sh --test)');
  const customers = customersOf(cdnowLines(readFileSync(path, 'utf8')));
  assert.equal(customers.length, 23_570);
  const app = await startApp();
  const { page, problems, close } = await openApp(app, { locale: 'en-US' });
  try {
    await page.setInputFiles('[data-input="file"]', path);
    // The mapping step stops when the guess raises a concern: confirm it as guessed.
    await Promise.race([
      page.waitForSelector('[data-focus="results"]', { timeout: 60000 }),
      page.waitForSelector('[data-action="import"]', { timeout: 60000 }).then(async () => {
        await page.click('[data-action="import"]');
        await page.waitForSelector('[data-focus="results"]', { timeout: 60000 });
      }),
    ]);
    await page.goto(app.baseUrl + '#/lifecycle');
    await waitForFigure(page, 'lc_active:1998-06');
    compare(await shown(page), expected(customers), 'CDNOW by month');
    await screenshot(page, 'lifecycle-cdnow');

    await setParam(page, 'period_grain', 'year');
    await setParam(page, 'include_partial', true);
    await page.waitForFunction(
      // (The year figures come from the analysis worker; until then the month figures stay.)
      () => (document.querySelector('[data-metric="lc_retention:1998"]')?.dataset.value ?? '') !== '',
      null,
      { timeout: 30000 },
    );
    const yearly = expected(customers, { grain: 'year', includePartial: true });
    compare(await shown(page), yearly, 'CDNOW by year, partial periods included');
    assert.deepEqual(problems, []);
  } finally {
    await close();
    await app.close();
  }
});

/** `rows` order lines of `customers` customers over 2021–2024 (seeded), as CSV bytes. */
function generatedOrders(rows, customers) {
  let seed = 0x2545f491;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4294967296;
  };
  const start = dayOf('2021-01-01');
  const lines = ['customer_id,order_id,order_date,amount'];
  for (let i = 0; i < rows; i++) {
    const customer = `C${String(Math.floor(next() * customers)).padStart(6, '0')}`;
    const day = iso(start + Math.floor(next() * 1400));
    lines.push(`${customer},O${i},${day},${(5 + next() * 200).toFixed(2)}`);
  }
  return Buffer.from(lines.join('\n') + '\n');
}

test('the analyses run in the analysis worker: progress, Cancel, Compute again, and the page stays free', async () => {
  const app = await startApp();
  const { page, problems, close } = await openApp(app, { locale: 'en-US' });
  try {
    const buffer = generatedOrders(400_000, 40_000);
    await page.setInputFiles('[data-input="file"]', { name: 'orders.csv', mimeType: 'text/csv', buffer });
    await Promise.race([
      page.waitForSelector('[data-focus="results"]', { timeout: 60000 }),
      page.waitForSelector('[data-action="import"]', { timeout: 60000 }).then(async () => {
        await page.click('[data-action="import"]');
        await page.waitForSelector('[data-focus="results"]', { timeout: 60000 });
      }),
    ]);
    // Long tasks on the page's thread from here on.
    await page.evaluate(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
      }).observe({ type: 'longtask' });
    });
    // Analysis workers started from here on (a cancelled one is gone from page.workers()).
    let started = 0;
    page.on('worker', (worker) => {
      if (worker.url().includes('analyst')) started++;
    });
    await page.click('[data-view="lifecycle"]');
    // The run is shown with its progress and can be cancelled; should it end before the click
    // lands, a new lapse threshold starts another.
    let cancelled = false;
    for (let attempt = 0; attempt < 3 && !cancelled; attempt++) {
      if (attempt > 0) await setParam(page, 'lapse_days', String(100 + attempt));
      await page.waitForSelector('[data-lc-status="running"]', { timeout: 30000 });
      assert.match(await page.textContent('[data-lc-status="running"]'), /40,000 customers|39,\d{3} customers/);
      assert.equal(await page.getAttribute('.vl-lifecycle .vl-deciles__main', 'aria-busy'), 'true');
      cancelled = await page
        .click('[data-action="cancel-lifecycle"]', { timeout: 2000 })
        .then(() => true, () => false);
    }
    assert.ok(cancelled, 'Cancel was clicked while the analyses ran');
    await page.waitForSelector('[data-lc-status="cancelled"]', { timeout: 10000 });
    assert.equal(await page.$('[data-metric^="lc_active:"]'), null, 'no figures after Cancel');
    assert.ok(started >= 1, 'the analyses ran in an analysis worker');
    await page.click('[data-action="run-lifecycle"]');
    await waitForFigure(page, 'lc_active:2024-06');
    await page.waitForSelector('[data-section="lc-migration"] [data-metric^="segment_migration:"]', { timeout: 60000 });
    assert.equal(await page.$('[data-lc-status]'), null, 'no status once everything came');
    // Everything in, the run's analysis worker is gone (it closes itself after its one
    // request: its copy of every purchase day goes with it).
    const analysts = () => page.workers().filter((w) => w.url().includes('analyst')).length;
    for (let i = 0; i < 50 && analysts() > 0; i++) await page.waitForTimeout(100);
    assert.equal(analysts(), 0, 'no analysis worker left once the answers are in');
    assert.equal(await page.getAttribute('.vl-lifecycle .vl-deciles__main', 'aria-busy'), 'false');
    const active = Number(await page.getAttribute('[data-metric="lc_active:2024-06"]', 'data-value'));
    assert.ok(active > 1000, `actives in 2024-06: ${active}`);
    const longest = Math.max(0, ...(await page.evaluate(() => window.__longTasks)));
    // The report, opened while a new run computes, says the section is coming, then shows it.
    await setParam(page, 'lapse_days', '120');
    await page.click('[data-view="report"]');
    const first = await page.waitForSelector('[data-report-pending="lifecycle"], [data-report-section="lifecycle"]', { timeout: 60000 });
    if (await first.getAttribute('data-report-pending')) {
      assert.match(await first.textContent(), /“Lifecycle” is still being computed/);
    }
    await page.waitForSelector('[data-report-section="lifecycle"]', { timeout: 60000 });
    assert.equal(await page.$('[data-report-pending="lifecycle"]'), null);
    console.log(`longest main-thread task while the lifecycle ran: ${longest.toFixed(0)} ms`);
    assert.deepEqual(problems, []);
  } finally {
    await close();
    await app.close();
  }
});
