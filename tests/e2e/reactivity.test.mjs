// Issue 12 (derived state at the grain of what changes): typing on the report's cover redraws no
// chart, and switching a decile tab redraws only what depends on it. Checked two ways: every
// chart the presentation layer draws leaves a `valuelens:figure:NAME` mark on the performance
// timeline (counted before and after the change), and each chart's <svg> element, kept in a page
// variable before the change, must still be the element in the document after it. (Node identity
// alone would not do: Leptos patches a rebuilt view in place, so an SVG drawn again with the same
// markup keeps its element.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, startApp, waitForAnalysis } from './harness.mjs';

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

/** Keeps the <svg> of every chart under `scope` in `window.__charts` (by `data-chart` name); returns the names. */
async function tagCharts(page, scope) {
  return page.$$eval(`${scope} [data-chart]`, (figures) => {
    window.__charts = {};
    for (const figure of figures) {
      const svg = figure.querySelector('svg');
      if (svg) window.__charts[figure.dataset.chart] = svg;
    }
    return Object.keys(window.__charts);
  });
}

/** How many times each chart was drawn so far (`valuelens:figure:NAME` marks). */
async function figureMarks(page) {
  return page.evaluate(() => {
    const counts = {};
    for (const mark of performance.getEntriesByType('mark')) {
      if (!mark.name.startsWith('valuelens:figure:')) continue;
      const name = mark.name.slice('valuelens:figure:'.length);
      counts[name] = (counts[name] ?? 0) + 1;
    }
    return counts;
  });
}

/** The charts drawn between two counts, with how many times. */
function drawnSince(before, after) {
  return Object.fromEntries(Object.entries(after).filter(([name, n]) => n !== (before[name] ?? 0)).map(([name, n]) => [name, n - (before[name] ?? 0)]));
}

/** For each tagged chart: whether its kept <svg> is still the one in the document. */
async function sameCharts(page, scope) {
  return page.evaluate((scope) => {
    const same = {};
    for (const [name, svg] of Object.entries(window.__charts)) {
      const now = document.querySelector(`${scope} [data-chart="${name}"] svg`);
      same[name] = svg.isConnected && now === svg;
    }
    return same;
  }, scope);
}

test('typing on the report cover redraws no chart', async () => {
  const session = await openApp(app, { locale: 'en-US' });
  const { page } = session;
  await page.click('[data-action="load-sample"]');
  await waitForAnalysis(page);
  // SWOT boards too, so every section of the report has its charts.
  await page.click('[data-view="swot"]');
  await page.click('[data-action="load-swot-example"]');
  await page.click('[data-view="report"]');
  // The CLV section comes when its fit (in its own worker) is done.
  for (const name of ['report-monthly', 'report-decile-shares', 'report-lorenz', 'report-segment-bars', 'report-swot-comparison', 'report-clv-tracking']) {
    await page.waitForSelector(`#vl-report [data-chart="${name}"] svg`);
  }
  const names = await tagCharts(page, '#vl-report');
  assert.ok(names.length >= 6, `charts in the report: ${names}`);
  const drawn = await figureMarks(page);
  assert.ok(drawn['decile-shares'] >= 1 && drawn.lorenz >= 1 && drawn['monthly-sales'] >= 1, JSON.stringify(drawn));
  // Count every <svg> the report loses or gains from here on.
  await page.evaluate(() => {
    window.__svgChanges = 0;
    const count = (nodes) => [...nodes].filter((n) => n.nodeType === 1 && (n.tagName === 'svg' || n.querySelector?.('svg'))).length;
    new MutationObserver((records) => {
      for (const r of records) window.__svgChanges += count(r.addedNodes) + count(r.removedNodes);
    }).observe(document.getElementById('vl-report'), { childList: true, subtree: true });
  });

  // Key by key, as a user types.
  await page.locator('[data-cover="title"]').pressSequentially('Quarterly review', { delay: 5 });
  await page.locator('[data-cover="client"]').pressSequentially('Acme Trading', { delay: 5 });
  await page.fill('[data-cover="date"]', '2024-06-30');
  await page.waitForFunction(() => document.querySelector('[data-report-title]').textContent === 'Quarterly review');
  await page.waitForFunction(() => document.querySelector('[data-report-client]').textContent === 'Acme Trading');
  assert.ok((await page.textContent('[data-report-section="cover"]')).includes('30 Jun 2024'));

  const same = await sameCharts(page, '#vl-report');
  for (const name of names) assert.equal(same[name], true, `${name} was not redrawn`);
  assert.equal(await page.evaluate(() => window.__svgChanges), 0, 'no <svg> added or removed');
  assert.deepEqual(drawnSince(drawn, await figureMarks(page)), {}, 'no chart drawn again');

  // The count is live: another language draws the report's charts again.
  await page.click('[data-action="switch-language"]');
  await page.waitForFunction(() => document.querySelector('#vl-report').lang === 'zh-CN');
  const redrawn = drawnSince(drawn, await figureMarks(page));
  assert.ok(redrawn['monthly-sales'] >= 1 && redrawn['decile-shares'] >= 1 && redrawn.lorenz >= 1, JSON.stringify(redrawn));
  assert.equal(await page.textContent('[data-report-title]'), 'Quarterly review');
  assert.deepEqual(session.problems, []);
  await session.close();
});

test('switching the decile basis or group redraws only what depends on it', async () => {
  const session = await openApp(app, { locale: 'en-US' });
  const { page } = session;
  await page.click('[data-action="load-sample"]');
  await waitForAnalysis(page);
  await page.click('[data-view="deciles"]');
  for (const name of ['decile-shares', 'lorenz', 'decile-groups']) {
    await page.waitForSelector(`[data-view-content="deciles"] [data-chart="${name}"] svg`);
  }
  const scope = '[data-view-content="deciles"]';
  const shares = () => page.textContent(`${scope} [data-chart="decile-shares"] svg title`);
  assert.match(await shares(), /by sales/);
  assert.deepEqual((await tagCharts(page, scope)).sort(), ['decile-groups', 'decile-shares', 'lorenz']);
  const groupRows = () => page.$$eval('[data-table="group-customers"] tbody tr', (rows) => rows.length);

  // The basis: the decile chart and table follow, the Lorenz curve and the groups chart stay.
  let drawn = await figureMarks(page);
  await page.click('[data-basis="profit"]');
  await page.waitForFunction((s) => document.querySelector(`${s} [data-chart="decile-shares"] svg title`)?.textContent.includes('by profit'), scope);
  assert.equal(await page.getAttribute('[data-basis="profit"]', 'aria-pressed'), 'true');
  let same = await sameCharts(page, scope);
  assert.deepEqual(same, { 'decile-shares': false, lorenz: true, 'decile-groups': true });
  assert.deepEqual(drawnSince(drawn, await figureMarks(page)), { 'decile-shares': 1 });

  // The group: its customers follow, no chart is drawn again.
  await tagCharts(page, scope);
  drawn = await figureMarks(page);
  await page.click('[data-group="grow"]');
  await page.waitForFunction(() => document.querySelector('[data-group="grow"]').getAttribute('aria-pressed') === 'true');
  // The grow group's note and customers are shown.
  await page.waitForFunction(() => document.querySelector('[data-panel="groups"]').textContent.includes('wallet'));
  assert.ok((await groupRows()) > 0);
  same = await sameCharts(page, scope);
  assert.deepEqual(same, { 'decile-shares': true, lorenz: true, 'decile-groups': true });
  assert.deepEqual(drawnSince(drawn, await figureMarks(page)), {}, 'no chart drawn again');

  // A new threshold changes the groups: their chart is drawn again, the deciles and the Lorenz
  // curve (which do not depend on it) are not.
  drawn = await figureMarks(page);
  await page.fill('[data-param="retain_sales_share"]', '20');
  await page.dispatchEvent('[data-param="retain_sales_share"]', 'change');
  await page.waitForFunction((n) => performance.getEntriesByName('valuelens:figure:decile-groups').length > n, drawn['decile-groups']);
  assert.deepEqual(drawnSince(drawn, await figureMarks(page)), { 'decile-groups': 1 });

  assert.deepEqual(session.problems, []);
  await session.close();
});

// The navigation's views change in the click's own task (a CI run once read the decile view's
// options right after the click, before the link's `hashchange` had shown it); the address still
// follows, and the browser's Back still goes back (through `hashchange`).
test('a click on the navigation shows the view at once; the address and Back follow', async () => {
  const session = await openApp(app, { locale: 'en-US' });
  try {
    const { page } = session;
    await page.waitForSelector('[data-view="deciles"]');
    // Only microtasks after the click (where the app's reactive updates run): the link's
    // `hashchange` is a task of its own, so a view that waited for it would not be shown yet.
    const shown = await page.evaluate(async () => {
      document.querySelector('a[data-view="deciles"]').click();
      for (let i = 0; i < 200; i += 1) await Promise.resolve();
      return {
        main: document.querySelector('main').dataset.view,
        current: document.querySelector('a[data-view="deciles"]').getAttribute('aria-current'),
      };
    });
    assert.deepEqual(shown, { main: 'deciles', current: 'page' });
    await page.waitForFunction(() => location.hash === '#/deciles');
    await page.click('[data-view="rfm"]');
    assert.equal(await page.$eval('main', (m) => m.dataset.view), 'rfm');
    await page.waitForFunction(() => location.hash === '#/rfm');
    await page.goBack();
    await page.waitForFunction(() => document.querySelector('main').dataset.view === 'deciles');
    assert.equal(await page.$eval('a[data-view="deciles"]', (a) => a.getAttribute('aria-current')), 'page');
    assert.deepEqual(session.problems, []);
  } finally {
    await session.close();
  }
});

// Drawing a chart never touches the page: plotters measured each label in a browser by adding a
// <span> to <body> and reading its size (a layout of the whole page per label, inside the view's
// task); the charts' own text measure (`charts::Svg`) replaced it.
test('drawing the charts of every view adds nothing to the page to measure text', async () => {
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  await page.evaluate(() => {
    window.__bodySpans = 0;
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) if (n.nodeType === 1 && n.tagName === 'SPAN') window.__bodySpans += 1;
    }).observe(document.body, { childList: true });
  });
  await page.click('[data-action="load-sample"]');
  await waitForAnalysis(page);
  const drawn = await figureMarks(page);
  for (const [view, chart] of [['deciles', 'lorenz'], ['rfm', 'segment-bars'], ['lifecycle', 'lc-activity'], ['report', 'report-lorenz']]) {
    await page.click(`[data-view="${view}"]`);
    await page.waitForSelector(`[data-chart="${chart}"] svg`, { timeout: 60000 });
  }
  const since = drawnSince(drawn, await figureMarks(page));
  assert.ok(Object.keys(since).length >= 8, `charts drawn: ${JSON.stringify(since)}`);
  assert.equal(await page.evaluate(() => window.__bodySpans), 0, 'no <span> added to <body>');
  assert.deepEqual(session.problems, []);
  await session.close();
});
