// Issue 13 (the hand-off to first paint): the head of a big import — its headline figures,
// monthly sales and the import's report — is painted before its customers are read into the
// page; the customer table follows, and only then does the import count as finished (the
// `valuelens:analysis` measure, the focus on the results). A small import is shown at once.
// What the page showed in between is recorded by a MutationObserver installed before the app.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { close, expectedFigures, openApp, startApp, waitForAnalysis } from './harness.mjs';

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

/** 25,000 customers (above the page's 20,000 for a head first), two orders each, clean. */
function bigCsv() {
  const lines = ['customer,order,date,amount,profit'];
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let c = 1; c <= 25000; c += 1) {
    const id = `C${String(c).padStart(5, '0')}`;
    for (let o = 0; o < 2; o += 1) {
      const day = new Date(Date.UTC(2023, 0, 1 + Math.floor(next() * 700)));
      const amount = (5 + next() * 500).toFixed(2);
      const profit = (next() * 50).toFixed(2);
      lines.push(`${id},SO${c}-${o},${day.toISOString().slice(0, 10)},${amount},${profit}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Records, in the page, what the overview showed while its customers were arriving. */
function recordArrival() {
  window.__arrival = null;
  window.__arrivalGone = false;
  const observer = new MutationObserver(() => {
    const note = document.querySelector('[data-note="customers-arriving"]');
    if (note && !window.__arrival) {
      const overview = note.closest('[data-view-content="overview"]');
      const figures = {};
      for (const el of overview.querySelectorAll('[data-metric]')) figures[el.dataset.metric] = Number(el.dataset.value);
      window.__arrival = {
        coming: Number(note.dataset.value),
        text: note.textContent,
        busy: overview.getAttribute('aria-busy'),
        figures,
        table: !!overview.querySelector('[data-table="customers"]'),
        rejected: !!overview.querySelector('[data-panel="rejected"]'),
        chart: !!overview.querySelector('[data-chart] svg'),
        strip: document.querySelector('.vl-strip [data-file-name]')?.textContent ?? null,
        finished: performance.getEntriesByName('valuelens:analysis').length,
      };
    }
    if (!note && window.__arrival) window.__arrivalGone = true;
  });
  document.addEventListener('DOMContentLoaded', () => observer.observe(document.body, { childList: true, subtree: true, attributes: true }));
}

test('a big import paints its head first, then its customers; a small one is shown at once', async () => {
  const clean = bigCsv();
  const expected = expectedFigures(clean, { customer: 'customer', order: 'order', amount: 'amount', profit: 'profit' });
  assert.equal(expected.customers, 25000);
  // Two rows the import rejects: their report travels in the head.
  const csv = `${clean}C00001,SO-x,2023-02-30,10.00,1.00\nC00002,SO-y,2023-03-01,abc,1.00\n`;
  const { page, problems, close: closePage } = await openApp(app, { locale: 'en-US', init: recordArrival });
  try {
    await page.setInputFiles('[data-input="file"]', { name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await waitForAnalysis(page);
    const arrival = await page.evaluate(() => window.__arrival);
    assert.ok(arrival, 'the head was shown before the customers');
    assert.equal(arrival.coming, 25000);
    assert.match(arrival.text, /25,000 customers/);
    assert.equal(arrival.busy, 'true');
    assert.equal(arrival.table, false, 'no customer table while its customers arrive');
    assert.equal(arrival.finished, 0, 'the head came before the import counted as finished');
    assert.ok(arrival.rejected, 'the rejected rows are in the head');
    assert.ok(arrival.chart, 'the monthly sales chart is in the head');
    assert.equal(arrival.strip, 'big.csv', 'the strip above names the arriving file');
    for (const name of ['customers', 'orders', 'total_sales', 'total_profit']) {
      assert.ok(close(arrival.figures[name], expected[name]), `${name} in the head: ${arrival.figures[name]} ≠ ${expected[name]}`);
    }
    // Then the whole result: the note gone, the table there, the same figures, focus on the
    // results, and the head painted before the end of the measure.
    assert.equal(await page.evaluate(() => window.__arrivalGone), true);
    assert.equal(await page.locator('[data-note="customers-arriving"]').count(), 0);
    assert.equal(await page.locator('[data-view-content="overview"][aria-busy]').count(), 0);
    assert.ok((await page.locator('[data-table="customers"] tbody tr').count()) > 0);
    const shown = await page.$$eval('[data-view-content="overview"] [data-metric]', (els) =>
      Object.fromEntries(els.map((el) => [el.dataset.metric, Number(el.dataset.value)])),
    );
    for (const name of ['customers', 'orders', 'total_sales', 'total_profit']) {
      assert.ok(close(shown[name], expected[name]), `${name}: ${shown[name]} ≠ ${expected[name]}`);
    }
    const order = await page.evaluate(() => {
      const head = performance.getEntriesByName('valuelens:head-painted').at(-1);
      const end = performance.getEntriesByName('valuelens:analysis').at(-1);
      return head && end ? [head.startTime, end.startTime + end.duration] : null;
    });
    assert.ok(order && order[0] < order[1], `head painted before the end: ${order}`);
    await page.waitForFunction(() => document.activeElement?.dataset.focus === 'results');

    // A small import (the built-in sample, 600 customers): no head first.
    await page.evaluate(() => {
      window.__arrival = null;
      performance.clearMarks('valuelens:head-painted');
    });
    await page.click('[data-action="load-sample"]');
    await waitForAnalysis(page, 2);
    assert.equal(await page.evaluate(() => window.__arrival), null);
    assert.equal(await page.evaluate(() => performance.getEntriesByName('valuelens:head-painted').length), 0);
    assert.deepEqual(problems, []);
  } finally {
    await closePage();
  }
});

/** Clicks Cancel the moment the head of an import is on the page (its customers still arriving). */
function cancelOnArrival() {
  window.__cancelledOnArrival = false;
  const observer = new MutationObserver(() => {
    if (window.__cancelledOnArrival || !document.querySelector('[data-note="customers-arriving"]')) return;
    const cancel = document.querySelector('[data-action="cancel-import"]');
    if (cancel) {
      cancel.click();
      window.__cancelledOnArrival = true;
    }
  });
  document.addEventListener('DOMContentLoaded', () => observer.observe(document.body, { childList: true, subtree: true }));
}

test('Cancel while a big import\'s customers arrive drops its head and keeps the data loaded before', async () => {
  const csv = bigCsv();
  const { page, problems, close: closePage } = await openApp(app, { locale: 'en-US', init: cancelOnArrival });
  try {
    // The sample first (600 customers, no head), then the big file, cancelled on its head.
    await page.click('[data-action="load-sample"]');
    await waitForAnalysis(page);
    const before = await page.$$eval('[data-view-content="overview"] [data-metric]', (els) =>
      Object.fromEntries(els.map((el) => [el.dataset.metric, Number(el.dataset.value)])),
    );
    assert.equal(before.customers, 600);
    await page.setInputFiles('[data-input="file"]', { name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForFunction(() => window.__cancelledOnArrival === true, null, { timeout: 60000 });
    await page.waitForSelector('[data-note="customers-arriving"]', { state: 'detached' });
    // Long enough for the rest of the decoding to have run, had it not been stopped.
    await page.waitForTimeout(1500);
    assert.equal(await page.evaluate(() => performance.getEntriesByName('valuelens:analysis').length), 1);
    const after = await page.$$eval('[data-view-content="overview"] [data-metric]', (els) =>
      Object.fromEntries(els.map((el) => [el.dataset.metric, Number(el.dataset.value)])),
    );
    assert.deepEqual(after, before);
    assert.equal(await page.locator('[data-view-content="overview"][aria-busy]').count(), 0);
    assert.ok((await page.locator('[data-table="customers"] tbody tr').count()) > 0);
    assert.deepEqual(problems, []);
  } finally {
    await closePage();
  }
});

/** Sales per customer of `csv` (customer in column 0, amount in column 3). */
function salesOf(csv) {
  const sales = new Map();
  for (const line of csv.trim().split('\n').slice(1)) {
    const cells = line.split(',');
    sales.set(cells[0], (sales.get(cells[0]) ?? 0) + Number(cells[3]));
  }
  return [...sales.values()];
}

function gini(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const total = sorted.reduce((s, v) => s + v, 0);
  const weighted = sorted.reduce((s, v, i) => s + (i + 1) * v, 0);
  return (2 * weighted) / (n * total) - (n + 1) / n;
}

/** Records, in the page, each "view preparing" note shown (its attributes and text). */
function recordPreparing() {
  window.__preparing = [];
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        const note = node.nodeType === 1 && (node.matches('[data-note="view-preparing"]') ? node : node.querySelector('[data-note="view-preparing"]'));
        if (note) {
          window.__preparing.push({
            view: document.querySelector('main')?.dataset.view,
            role: note.getAttribute('role'),
            busy: note.getAttribute('aria-busy'),
            customers: note.dataset.value,
            text: note.textContent,
            figures: document.querySelectorAll('main [data-metric="gini"], main [data-table="rfm-segments"]').length,
          });
        }
      }
    }
  });
  document.addEventListener('DOMContentLoaded', () => observer.observe(document.body, { childList: true, subtree: true }));
}

test('the decile and RFM views of many customers show a note, then compute, then build; closing one early is harmless', async () => {
  const csv = bigCsv();
  const { page, problems, close: closePage } = await openApp(app, { locale: 'en-US', init: recordPreparing });
  try {
    await page.setInputFiles('[data-input="file"]', { name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await waitForAnalysis(page);
    // The RFM view opened and closed before its first task: nothing is computed or shown late.
    const closedEarly = await page.evaluate(async () => {
      document.querySelector('a[data-view="rfm"]').click();
      for (let i = 0; i < 1000 && !document.querySelector('[data-note="view-preparing"]'); i += 1) await Promise.resolve();
      const noted = Boolean(document.querySelector('[data-note="view-preparing"]'));
      document.querySelector('a[data-view="data"]').click();
      return noted;
    });
    assert.ok(closedEarly, 'the note was shown in the task that opened the view');
    await page.waitForTimeout(300);
    assert.equal(await page.locator('[data-note="view-preparing"], [data-table="rfm-segments"]').count(), 0);

    await page.evaluate(() => {
      window.__preparing = [];
    });
    await page.click('a[data-view="deciles"]');
    await page.waitForSelector('[data-metric="gini"]');
    await page.click('a[data-view="rfm"]');
    await page.waitForSelector('[data-table="rfm-segments"]');
    const notes = await page.evaluate(() => window.__preparing);
    assert.deepEqual(
      notes.map((n) => [n.view, n.role, n.busy, n.customers, n.figures]),
      [
        ['deciles', 'status', 'true', '25000', 0],
        ['rfm', 'status', 'true', '25000', 0],
      ],
    );
    assert.match(notes[0].text, /Computing 25,000 customers/);
    assert.equal(await page.locator('[data-note="view-preparing"]').count(), 0);
    // The view built over three tasks shows what it always showed.
    await page.click('a[data-view="deciles"]');
    await page.waitForSelector('[data-metric="gini"]');
    const shown = Number(await page.getAttribute('[data-metric="gini"]', 'data-value'));
    assert.ok(close(shown, gini(salesOf(csv)), 1e-9), `gini ${shown} vs ${gini(salesOf(csv))}`);
    assert.deepEqual(problems, []);
  } finally {
    await closePage();
  }
});
