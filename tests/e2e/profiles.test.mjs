// Issue 20 (customer profiles and correlations) through the real page: an order file with a
// region (地区, guessed), an age (年龄, guessed) and a channel column whose header the app does not
// know (购买途径) is imported, the channel is mapped as a customer attribute in the mapping step
// and the file imported again. The profiles view shows every correlation with its measure and n,
// the age bands and the distributions: each is checked against the pandas + scipy oracle
// (tests/oracle/profiles.py, independent of the app) run here on the same file. In the RFM view
// the clusters, cut by every attribute, add up to each cluster's size; the report has the
// profiles. Without attributes the view says how to get them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, ROOT, metrics, openApp, screenshot, startApp, waitForAnalysis } from './harness.mjs';

const PYTHON = join(ROOT, 'target', 'test-venv', 'bin', 'python');
const FIXTURE = join(FIXTURES, 'profiles', 'orders.csv');

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

/** Rows of a CSV text (quoted cells with doubled quotes; CRLF). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i += 1; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n') { row.push(cell.replace(/\r$/, '')); rows.push(row); row = []; cell = ''; }
    else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

function close(actual, expected, label, tolerance = 1e-9) {
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${label}: ${actual} vs ${expected}`);
}

/** Every figure with its raw text and measure: `{ name: { value, measure } }`. */
async function rawFigures(page, prefix) {
  return page.$$eval(
    `[data-metric^="${prefix}"]`,
    (elements) => Object.fromEntries(elements.map((el) => [el.dataset.metric, { value: el.dataset.value, measure: el.dataset.measure }])),
  );
}

test('profiles of a file with region, channel and age equal pandas and scipy', async (t) => {
  if (!existsSync(PYTHON)) {
    t.skip('no test venv with pandas and scipy (scripts/setup.sh --test)');
    return;
  }
  const text = readFileSync(FIXTURE, 'utf8').replace('渠道', '购买途径');
  const file = join(mkdtempSync(join(tmpdir(), 'vl-profiles-')), 'orders_profiles.csv');
  writeFileSync(file, text);
  const oracle = JSON.parse(
    execFileSync(
      PYTHON,
      [join(ROOT, 'tests', 'oracle', 'profiles.py'), file, '客户编号', '订单号', '订单日期', '金额', '利润', '地区=region:category', '购买途径=channel:category', '年龄=age:age'],
      { encoding: 'utf8' },
    ),
  );
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  try {
    await page.setInputFiles('[data-input="file"]', file);
    await waitForAnalysis(page);
    // Region and age are guessed from their headers; the channel column has no role yet.
    await page.click('[data-panel="mapping"] summary');
    assert.equal(await page.$eval('[data-role-column="5"]', (el) => el.value), 'attr:region');
    assert.equal(await page.$eval('[data-role-column="7"]', (el) => el.value), 'attr:age');
    assert.equal(await page.$eval('[data-role-column="6"]', (el) => el.value), '');
    await page.selectOption('[data-role-column="6"]', 'attr:channel');
    await page.click('[data-action="import"]');
    await waitForAnalysis(page, 2);

    await page.click('[data-view="profiles"]');
    await page.waitForSelector('[data-view-content="profiles"] [data-table="correlations"]', { timeout: 60000 });

    // Every correlation, both ways round, with its measure and n.
    const corr = await rawFigures(page, 'corr');
    let checked = 0;
    for (const pair of oracle.pairs) {
      for (const [a, b] of [[pair.a, pair.b], [pair.b, pair.a]]) {
        const name = `corr:${a}:${b}`;
        assert.ok(corr[name], `${name} on the page`);
        assert.equal(corr[name].measure, pair.measure, `${name} measure`);
        if (pair.value === null) assert.equal(corr[name].value, '', `${name} undefined`);
        else close(Number(corr[name].value), pair.value, name);
        assert.equal(Number(corr[`corr_n:${a}:${b}`].value), pair.n, `${name} n`);
        checked += 1;
      }
    }
    assert.equal(checked, 42);
    assert.equal(Object.keys(corr).filter((n) => n.startsWith('corr:')).length, 42);
    for (const measure of ['spearman', 'cramers_v', 'eta']) assert.ok(oracle.pairs.some((p) => p.measure === measure), measure);

    // The age bands and the distributions.
    const shown = await metrics(page);
    for (const [band, want] of Object.entries(oracle.attributes.age.bands)) {
      assert.equal(shown[`age_band_customers:age:${band}`], want.customers, `age band ${band}`);
      close(shown[`age_band_customer_share:age:${band}`], want.customer_share, `age band ${band} share`);
      close(shown[`age_band_sales_share:age:${band}`], want.sales_share, `age band ${band} sales share`);
    }
    assert.ok(oracle.attributes.age.bands.unknown.customers > 0);
    for (const key of ['region', 'channel']) {
      for (const v of oracle.attributes[key].values) {
        assert.equal(shown[`profile_customers:${key}:${v.key}`], v.customers, `${key} ${v.key}`);
        close(shown[`profile_customer_share:${key}:${v.key}`], v.customer_share, `${key} ${v.key} share`);
        close(shown[`profile_sales_share:${key}:${v.key}`], v.sales_share, `${key} ${v.key} sales share`);
      }
    }
    assert.ok(oracle.attributes.region.values.some((v) => v.key === '(other)'));

    // The profiles CSV: every value, band and pair, as the oracle has them.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-table-csv="profiles"]')]);
    const rows = parseCsv(readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, ''));
    const [head, ...body] = rows;
    assert.deepEqual([head[0], head[1], head[2], head[6], head[7], head[8]], ['table', 'attribute', 'value', 'measure', 'correlation', 'n']);
    const row = (table, attribute, value) => body.find((r) => r[0] === table && r[1] === attribute && r[2] === value);
    for (const [band, want] of Object.entries(oracle.attributes.age.bands)) {
      const r = row('age_band', 'age', band);
      assert.ok(r, `age band ${band} in the CSV`);
      assert.equal(Number(r[3]), want.customers, `CSV age band ${band}`);
      close(Number(r[4]), want.customer_share, `CSV age band ${band} share`, 1e-6);
    }
    for (const key of ['region', 'channel']) {
      for (const v of oracle.attributes[key].values) {
        const r = row('value', key, v.key);
        assert.ok(r, `${key} ${v.key} in the CSV`);
        assert.equal(Number(r[3]), v.customers, `CSV ${key} ${v.key}`);
        close(Number(r[5]), v.sales_share, `CSV ${key} ${v.key} sales share`, 1e-6);
      }
    }
    const pairs = body.filter((r) => r[0] === 'correlation');
    assert.equal(pairs.length, oracle.pairs.length, 'each pair once');
    for (const pair of oracle.pairs) {
      const r = pairs.find((p) => (p[1] === pair.a && p[2] === pair.b) || (p[1] === pair.b && p[2] === pair.a));
      assert.ok(r, `${pair.a} × ${pair.b} in the CSV`);
      assert.equal(r[6], pair.measure);
      if (pair.value === null) assert.equal(r[7], '');
      else close(Number(r[7]), pair.value, `CSV ${pair.a} × ${pair.b}`, 1e-6);
      assert.equal(Number(r[8]), pair.n);
    }
    const charts = await page.$$eval('[data-view-content="profiles"] [data-chart] svg', (svgs) => svgs.length);
    assert.ok(charts >= 4, `${charts} charts`);
    const notes = await page.$$eval('[data-note="correlation"]', (ps) => ps.map((p) => p.textContent).join(' '));
    assert.ok(notes.includes('相关不等于因果'), notes);
    await screenshot(page, 'profiles-zh');

    // Clusters × attributes in the RFM view: each row adds up to its cluster's size.
    await page.click('[data-view="rfm"]');
    await page.waitForSelector('[data-action="find-clusters"]');
    await page.click('[data-action="find-clusters"]');
    await page.waitForSelector('[data-metric^="cluster_dim_customers:age:"]', { timeout: 60000 });
    const clustered = await metrics(page);
    const k = clustered.cluster_k;
    assert.ok(k >= 2);
    for (const key of ['region', 'channel', 'age']) {
      for (let c = 1; c <= k; c += 1) {
        const cells = Object.entries(clustered).filter(([n]) => n.startsWith(`cluster_dim_customers:${key}:${c}:`));
        assert.ok(cells.length >= 2, `${key} × ${c}`);
        assert.equal(cells.reduce((s, [, v]) => s + v, 0), clustered[`cluster_size:${c}`], `${key} × cluster ${c}`);
      }
    }
    await screenshot(page, 'profiles-clusters');

    // The report has the profiles, the correlation table and the clusters × attributes.
    await page.click('[data-view="report"]');
    await page.waitForSelector('[data-report-section="profiles"]', { timeout: 60000 });
    const printed = await page.$eval('[data-report-section="profiles"]', (el) => el.textContent);
    assert.ok(printed.includes('相关') && printed.includes('客户群 ×') && printed.includes('n = '), printed.slice(0, 200));
    assert.deepEqual(session.problems, []);
  } finally {
    await session.close();
  }
});

test('without attributes the profiles view says how to get them', async () => {
  const session = await openApp(app, { locale: 'en-US' });
  const { page } = session;
  try {
    await page.click('[data-action="load-sample"]');
    await waitForAnalysis(page);
    await page.click('[data-view="profiles"]');
    const note = await page.waitForSelector('[data-view-content="profiles"] [data-note="no-attributes"]');
    assert.match(await note.textContent(), /Customer attribute/);
    assert.deepEqual(session.problems, []);
  } finally {
    await session.close();
  }
});
