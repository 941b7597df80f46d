// Issue 5 (RFM): the scores, thresholds and segments the page shows for the sample; the rule
// editor (overlaps, gaps, "Other", saved in the browser); bins; export.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { close, metrics, openApp, sampleCsv, screenshot, startApp, waitForAnalysis } from './harness.mjs';

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

/** Orders per customer (distinct order ids) and net sales, from the sample CSV. */
function customersOf(csv) {
  const byId = new Map();
  for (const line of csv.split('\n').slice(1)) {
    if (!line.trim()) continue;
    const [id, order, , sales] = line.split(',');
    const c = byId.get(id) ?? { id, orders: new Set(), sales: 0 };
    c.orders.add(order);
    c.sales += Number(sales);
    byId.set(id, c);
  }
  return [...byId.values()].map((c) => ({ id: c.id, f: c.orders.size, m: Math.round(c.sales * 1e6) / 1e6 }));
}

/** The documented rule: score = min(bins, 1 + floor(bins * w / (n - 1))), w = customers with a strictly smaller value. */
function cutPoints(values, bins) {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const score = (v) => {
    const worse = sorted.filter((x) => x < v).length;
    return Math.min(bins, 1 + Math.floor((bins * worse) / (n - 1)));
  };
  const distinct = [...new Set(sorted)];
  const cuts = [];
  for (let k = 1; k < bins; k++) cuts.push(distinct.find((v) => score(v) > k));
  return cuts;
}

test('F and M thresholds, segment counts and tiers of the sample', async () => {
  const customers = customersOf(sampleCsv('en'));
  const session = await openApp(app, { locale: 'en-US' });
  const { page } = session;
  await page.click('[data-action="load-sample"]');
  await waitForAnalysis(page);
  await page.click('[data-view="rfm"]');
  await page.waitForSelector('[data-table="rfm-segments"]');
  const shown = await metrics(page);

  const f = cutPoints(customers.map((c) => c.f), 5);
  const m = cutPoints(customers.map((c) => c.m), 5);
  for (let k = 1; k <= 4; k++) {
    assert.equal(shown[`rfm_threshold_f_${k}`], f[k - 1], `F cut ${k}`);
    assert.ok(close(shown[`rfm_threshold_m_${k}`], m[k - 1], 1e-9), `M cut ${k}: ${shown[`rfm_threshold_m_${k}`]} vs ${m[k - 1]}`);
  }
  const names = ['Champions', 'Loyal Customers', 'Potential Loyalist', 'New Customers', 'Promising', 'Need Attention', 'About to Sleep', 'At Risk', "Can't Lose Them", 'Hibernating', 'Lost'];
  let total = 0;
  for (const name of names) {
    assert.ok(Number.isInteger(shown[`segment_count:${name}`]), name);
    total += shown[`segment_count:${name}`];
  }
  // The default rules are a partition: every customer is in exactly one named segment.
  assert.equal(shown['segment_count:Other'], 0);
  assert.equal(total, customers.length);
  assert.equal(shown.tier_high + shown.tier_medium + shown.tier_low, customers.length);
  assert.equal(await page.getAttribute('[data-coverage]', 'data-coverage'), 'ok');

  // Ten bins: nine cut points per axis.
  await page.selectOption('[data-param="bins"]', '10');
  await page.waitForSelector('[data-metric="rfm_threshold_f_9"]');
  const ten = cutPoints(customers.map((c) => c.f), 10);
  const shownTen = await metrics(page);
  for (let k = 1; k <= 9; k++) {
    if (ten[k - 1] === undefined) assert.ok(Number.isNaN(shownTen[`rfm_threshold_f_${k}`]) || shownTen[`rfm_threshold_f_${k}`] === 0);
    else assert.equal(shownTen[`rfm_threshold_f_${k}`], ten[k - 1], `F cut ${k} of 10`);
  }
  assert.deepEqual(session.problems, []);
  await screenshot(page, 'rfm-en');
  await session.close();
});

test('editing the rules shows gaps, counts "Other", and is kept after a reload', async () => {
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  await page.click('[data-action="load-sample"]');
  await waitForAnalysis(page);
  await page.click('[data-view="rfm"]');
  await page.waitForSelector('[data-table="rfm-segments"]');
  const before = await metrics(page);
  await page.click('[data-panel="rfm-rules"] > summary');
  // Delete the last rule (Lost): its cells become gaps and its customers "Other".
  const rows = await page.$$('[data-panel="rfm-rules"] [data-rule]');
  await rows[rows.length - 1].$eval('[data-action="delete-rule"]', (b) => b.click());
  await page.waitForSelector('[data-coverage="problems"]');
  assert.ok(Number(await page.getAttribute('[data-coverage]', 'data-gaps')) > 0);
  await page.waitForSelector('[data-metric="segment_count:Other"]');
  const after = await metrics(page);
  assert.equal(after['segment_count:Other'], before['segment_count:Lost']);
  assert.ok(!('segment_count:Lost' in after));

  await page.reload();
  await page.click('[data-view="data"]');
  await page.waitForSelector('[data-action="load-sample"]');
  await page.click('[data-action="load-sample"]');
  await waitForAnalysis(page);
  await page.click('[data-view="rfm"]');
  await page.waitForSelector('[data-table="rfm-segments"]');
  assert.equal((await metrics(page))['segment_count:Other'], before['segment_count:Lost'], 'rules kept in the browser');
  await page.click('[data-panel="rfm-rules"] > summary');
  await page.click('[data-action="reset-rules"]');
  await page.waitForSelector('[data-coverage="ok"]');
  await session.close();
});

test('scored customers export as CSV with a BOM, one row per customer', async () => {
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  await page.click('[data-action="load-sample"]');
  await waitForAnalysis(page);
  await page.click('[data-view="rfm"]');
  await page.waitForSelector('[data-action="export-rfm"]');
  const pending = page.waitForEvent('download');
  await page.click('[data-action="export-rfm"]');
  const text = readFileSync(await (await pending).path(), 'utf8');
  assert.ok(text.startsWith('\ufeff客户,'));
  assert.equal(text.trim().split('\r\n').length, 601);
  await session.close();
});

/** Every chart on the page: its SVG's text boxes (the title first) and its buttons' boxes. */
async function chartBoxes(page) {
  return page.$$eval('figure[data-chart]', (figures) =>
    figures.map((figure) => {
      const box = (el) => {
        const r = el.getBoundingClientRect();
        return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
      };
      return {
        name: figure.dataset.chart,
        texts: [...figure.querySelectorAll('svg text')].filter((t) => t.textContent.trim()).map((t) => ({ text: t.textContent.trim(), ...box(t) })),
        buttons: [...figure.querySelectorAll('[data-action^="chart-"]')].map(box),
      };
    }),
  );
}

const intersects = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

test('issue 12: the treemap labels read at their size, chart buttons never cover chart text, chart words in Chinese', async () => {
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  await page.click('[data-action="load-sample"]');
  await waitForAnalysis(page);
  await page.click('[data-view="rfm"]');
  await page.waitForSelector('[data-chart="segment-treemap"] svg');

  // Treemap labels: at least 12 px as shown on the page (the SVG's font size times its scale),
  // inside the chart, and several tiles labelled.
  const labels = await page.$eval('[data-chart="segment-treemap"] svg', (svg) => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const frame = svg.getBoundingClientRect();
    const texts = [...svg.querySelectorAll('text')].slice(1); // the first is the title
    return texts.map((t) => {
      const r = t.getBoundingClientRect();
      return { text: t.textContent.trim(), px: Number(t.getAttribute('font-size')) * scale, inside: r.left >= frame.left && r.right <= frame.right + 0.5 && r.bottom <= frame.bottom + 0.5 };
    });
  });
  assert.ok(labels.length >= 6, `labelled tiles: ${JSON.stringify(labels)}`);
  for (const label of labels) {
    assert.ok(label.px >= 12, `"${label.text}" shown at ${label.px.toFixed(1)} px`);
    assert.ok(label.inside, `"${label.text}" stays inside the chart`);
  }

  // No download button over any text of its chart (the titles are drawn in the SVG), on the
  // RFM, decile and SWOT views.
  const check = async (view) => {
    const charts = await chartBoxes(page);
    assert.ok(charts.length > 0, `${view} has charts`);
    for (const chart of charts) {
      assert.equal(chart.buttons.length, 2, `${chart.name} has its SVG and PNG buttons`);
      for (const button of chart.buttons) {
        assert.ok(button.width > 0, `${chart.name} buttons are shown`);
        for (const text of chart.texts) assert.ok(!intersects(button, text), `${view} ${chart.name}: a button covers "${text.text}"`);
      }
    }
  };
  await check('rfm');
  // The histograms' titles and axes are Chinese in the Chinese UI.
  for (const name of ['histogram-r', 'histogram-f', 'histogram-m']) {
    const title = await page.$eval(`[data-chart="${name}"] svg > title`, (t) => t.textContent);
    assert.match(title, /[\u4e00-\u9fff]/, `${name} title: ${title}`);
  }
  await page.click('[data-view="deciles"]');
  await page.waitForSelector('[data-view-content="deciles"] figure[data-chart] svg');
  await check('deciles');
  await page.click('[data-view="swot"]');
  await page.click('[data-action="load-swot-example"]');
  await page.waitForSelector('[data-chart="swot-position"] svg');
  await check('swot');
  assert.deepEqual(session.problems, []);
  await screenshot(page, 'rfm-treemap-zh');
  await session.close();
});

test('issue 12: a user-made segment name is cut in the segment table, its full text on hover', async () => {
  const session = await openApp(app, { locale: 'en-US' });
  const { page } = session;
  await page.click('[data-action="load-sample"]');
  await waitForAnalysis(page);
  await page.click('[data-view="rfm"]');
  await page.waitForSelector('[data-table="rfm-segments"]');
  await page.click('[data-panel="rfm-rules"] > summary');
  const long = 'Very important customers ' + 'x'.repeat(80);
  await page.fill('[data-rule="0"] [data-rule-name="en"]', long);
  await page.press('[data-rule="0"] [data-rule-name="en"]', 'Tab');
  await page.waitForSelector(`[data-metric="segment_count:${long}"]`);
  const shown = await page.$eval('[data-table="rfm-segments"] tbody tr:first-child bdi', (b) => ({ text: b.textContent, title: b.title }));
  assert.equal([...shown.text].length, 40);
  assert.ok(shown.text.endsWith('…'));
  assert.equal(shown.title, long);
  await page.click('[data-action="reset-rules"]');
  await page.waitForSelector('[data-metric="segment_count:Champions"]');
  await session.close();
});

/** `cutPoints` for many customers: each distinct value's "worse" is where it first appears. */
function cutPointsFast(values, bins) {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const cuts = [];
  for (let k = 1; k < bins; k++) {
    let found;
    for (let i = 0; i < n; i++) {
      if (i > 0 && sorted[i] === sorted[i - 1]) continue;
      if (Math.min(bins, 1 + Math.floor((bins * i) / (n - 1))) > k) {
        found = sorted[i];
        break;
      }
    }
    cuts.push(found);
  }
  return cuts;
}

test('with 25,000 customers, edited bins are computed in pieces before they are shown, and a later edit overtakes an earlier one', async () => {
  const lines = ['Customer ID,Order ID,Order Date,Sales,Profit,Quantity'];
  for (let c = 0; c < 25_000; c++) {
    const id = `K${String(c).padStart(5, '0')}`;
    const orders = 1 + (c % 4);
    for (let o = 0; o < orders; o++) {
      lines.push(`${id},${id}-${o},2024-0${1 + ((c + o) % 9)}-1${(c + o) % 10},${((c * 7919 + o * 104729) % 1000) + 1}.5,${(c * 31) % 97},1`);
    }
  }
  const csv = lines.join('\n');
  const customers = customersOf(csv);
  assert.equal(customers.length, 25_000);
  const session = await openApp(app, { locale: 'en-US' });
  const { page } = session;
  await page.setInputFiles('[data-input="file"]', { name: 'many.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await waitForAnalysis(page);
  await page.click('[data-view="rfm"]');
  await page.waitForSelector('[data-table="rfm-segments"]');
  const five = await metrics(page);
  const m5 = cutPointsFast(customers.map((c) => c.m), 5);
  for (let k = 1; k <= 4; k++) assert.ok(close(five[`rfm_threshold_m_${k}`], m5[k - 1], 1e-9), `M cut ${k} of 5`);

  // Three bins, then four at once: the three are overtaken, the four shown.
  await page.selectOption('[data-param="bins"]', '3');
  await page.selectOption('[data-param="bins"]', '4');
  await page.waitForFunction(() => !document.querySelector('[data-metric="rfm_threshold_m_4"]') && !!document.querySelector('[data-metric="rfm_threshold_m_3"]'));
  const four = await metrics(page);
  const m4 = cutPointsFast(customers.map((c) => c.m), 4);
  const f4 = cutPointsFast(customers.map((c) => c.f), 4);
  for (let k = 1; k <= 3; k++) {
    assert.ok(close(four[`rfm_threshold_m_${k}`], m4[k - 1], 1e-9), `M cut ${k} of 4`);
    if (f4[k - 1] !== undefined) assert.equal(four[`rfm_threshold_f_${k}`], f4[k - 1], `F cut ${k} of 4`);
  }
  assert.equal(await page.inputValue('[data-param="bins"]'), '4');
  assert.equal(four.tier_high + four.tier_medium + four.tier_low, customers.length);
  // The parameters' reset brings the five bins' cuts back.
  await page.click('[data-action="reset-rfm-parameters"]');
  await page.waitForSelector('[data-metric="rfm_threshold_m_4"]');
  const back = await metrics(page);
  for (let k = 1; k <= 4; k++) assert.equal(back[`rfm_threshold_m_${k}`], five[`rfm_threshold_m_${k}`], `M cut ${k} again`);
  assert.deepEqual(session.problems, []);
  await session.close();
});
