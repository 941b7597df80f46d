// Issue 19 (accessibility): axe-core 4 finds no WCAG 2.1 A/AA violation, nor a page without an
// <h1>, on every view in both languages: before any data, with the sample loaded (every <details>
// opened, so the chart data tables are checked too), with the mapping step open, with an import in
// progress, after a cancelled and after a failed import, and with SWOT boards filled. <html lang>
// follows the UI language; the live regions are in the page before they speak; charts carry a
// title, a description and their data table.
//
// axe-core comes from node_modules (a devDependency) and is evaluated in the page by the test:
// it is never in dist/. (page.addScriptTag would insert an inline <script>, which the app's own
// Content-Security-Policy rightly blocks; the CSP stays on, so this is the page users get.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { DIST, FIXTURES, distFiles, openApp, screenshot, startApp, waitForAnalysis } from './harness.mjs';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const AXE_SOURCE = readFileSync(AXE_PATH, 'utf8');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

/** Runs axe-core on the page: WCAG 2.1 A and AA rules, plus page-has-heading-one. */
async function axe(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const wcag = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    const heading = await window.axe.run(document, { runOnly: { type: 'rule', values: ['page-has-heading-one'] }, resultTypes: ['violations'] });
    return [...wcag.violations, ...heading.violations].map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`),
    }));
  }, WCAG_TAGS);
}

async function assertNoViolations(page, label) {
  const violations = await axe(page);
  const report = violations.map((v) => `${v.id} (${v.impact}) ×${v.nodes.length}\n    ${v.nodes.slice(0, 5).join('\n    ')}`).join('\n  ');
  assert.equal(violations.length, 0, `${label}: axe found\n  ${report}`);
}

async function openAllDetails(page) {
  await page.$$eval('details', (all) => all.forEach((d) => (d.open = true)));
}

async function showView(page, view) {
  await page.click(`[data-view="${view}"]`);
  await page.waitForSelector(`main[data-view="${view}"]`);
  if (view !== 'data') await page.waitForSelector(`[data-view-content="${view}"], [data-empty="no-data"], [data-empty="no-survey"]`);
}

test('axe-core finds nothing in either language, on every view with the sample loaded', async () => {
  assert.ok(![...distFiles()].some((f) => f.includes('axe')), 'axe-core is not shipped in dist/');
  assert.ok(!readFileSync(join(DIST, 'index.html'), 'utf8').includes('axe'));
  for (const [locale, tag] of [
    ['zh-CN', 'zh-CN'],
    ['en-US', 'en'],
  ]) {
    const session = await openApp(app, { locale });
    const { page } = session;
    assert.equal(await page.getAttribute('html', 'lang'), tag);
    await assertNoViolations(page, `${locale} data view, no data`);
    for (const view of ['deciles', 'rfm', 'lifecycle', 'clv', 'loyalty', 'profiles', 'swot', 'report']) {
      await showView(page, view);
      await assertNoViolations(page, `${locale} ${view}, no data`);
    }
    await showView(page, 'data');
    await page.click('[data-action="load-sample"]');
    await waitForAnalysis(page);
    // SWOT boards with items and a competitor, so its charts and tables are checked too.
    await showView(page, 'swot');
    await page.setInputFiles('[data-input="swot-file"]', join(FIXTURES, 'swot', 'zh_cn_two_respondents.csv'));
    await page.waitForSelector('[data-chart="swot-position"]');
    await page.fill('[data-new-competitor]', 'Rival');
    await page.press('[data-new-competitor]', 'Enter');
    await page.waitForSelector('[data-board="Rival"]');
    // A satisfaction survey (issue 16), so the loyalty view and its report section are checked.
    await showView(page, 'data');
    await page.setInputFiles('[data-input="survey-file"]', join(FIXTURES, 'survey', 'satisfaction_gbk.csv'));
    await page.waitForSelector('[data-facts="survey"]');
    for (const view of ['data', 'deciles', 'rfm', 'lifecycle', 'clv', 'loyalty', 'profiles', 'swot', 'report']) {
      await showView(page, view);
      // The CLV is fitted in its own worker: wait for the result.
      if (view === 'clv') await page.waitForSelector('[data-metric="bgnbd_r"]', { timeout: 60000 });
      if (view === 'loyalty') await page.waitForSelector('[data-metric="nps"]');
      if (view === 'report') await page.waitForSelector('[data-report-section="loyalty"]');
      await assertNoViolations(page, `${locale} ${view} with the sample`);
      await openAllDetails(page);
      await assertNoViolations(page, `${locale} ${view} with the sample, every <details> open`);
      await screenshot(page, `a11y-${view}-${locale}`);
    }
    // Every chart: an SVG with role=img, named by its <title>, described by its <desc>, and a data
    // table with rows one click away.
    for (const view of ['data', 'deciles', 'rfm', 'lifecycle', 'clv', 'loyalty', 'swot']) {
      await showView(page, view);
      if (view === 'clv') await page.waitForSelector('[data-metric="bgnbd_r"]', { timeout: 60000 });
      const charts = await page.$$eval('[data-chart]', (figures) =>
        figures.map((figure) => {
          const svg = figure.querySelector('svg');
          const text = (attr) => document.getElementById(svg?.getAttribute(attr) ?? '')?.textContent ?? '';
          return {
            name: figure.dataset.chart,
            role: svg?.getAttribute('role'),
            title: text('aria-labelledby'),
            desc: text('aria-describedby'),
            titleFirst: svg?.firstElementChild?.tagName,
            rows: figure.querySelectorAll('details[data-chart-table] tbody tr').length,
            summary: figure.querySelector('details[data-chart-table] > summary')?.textContent ?? '',
          };
        }),
      );
      assert.ok(charts.length > 0, `${view} shows charts`);
      for (const c of charts) {
        assert.equal(c.role, 'img', `${c.name} role`);
        assert.equal(c.titleFirst, 'title', `${c.name} starts with its <title>`);
        assert.ok(c.title.length > 1, `${c.name} title`);
        assert.ok(c.desc.length > 10, `${c.name} desc: ${c.desc}`);
        assert.ok(c.rows > 0, `${c.name} data table rows`);
        assert.ok(c.summary.length > 0, `${c.name} data table toggle`);
        // The headline charts say what they show in figures too.
        if (['monthly-sales', 'decile-shares', 'lorenz', 'segment-bars'].includes(c.name)) assert.match(c.desc, /\d/, `${c.name} desc has its figures: ${c.desc}`);
        if (locale === 'zh-CN') assert.match(c.desc, /[\u4e00-\u9fff]/, `${c.name} desc in Chinese`);
        else assert.doesNotMatch(c.desc, /[\u4e00-\u9fff]/, `${c.name} desc in English`);
      }
    }
    // The language switch sets <html lang> too.
    await page.click('[data-action="switch-language"]');
    await page.waitForFunction((t) => document.documentElement.lang !== t, tag);
    assert.equal(await page.getAttribute('html', 'lang'), tag === 'en' ? 'zh-CN' : 'en');
    await assertNoViolations(page, `${locale} after switching the language`);
    assert.deepEqual(session.problems, []);
    await session.close();
  }
});

test('axe-core finds nothing with the mapping step open, during an import, after a cancel and after a failure', async () => {
  for (const locale of ['zh-CN', 'en-US']) {
    const session = await openApp(app, { locale });
    const { page } = session;
    // The live regions are in the page before anything is said in them.
    const live = await page.$$eval('[data-live]', (regions) =>
      regions.map((r) => ({ name: r.dataset.live, role: r.getAttribute('role'), live: r.getAttribute('aria-live'), text: r.textContent })),
    );
    assert.deepEqual(
      live.map(({ name, role, live }) => ({ name, role, live })),
      [
        { name: 'notice', role: 'status', live: 'polite' },
        { name: 'status', role: 'status', live: 'polite' },
        { name: 'alert', role: 'alert', live: 'assertive' },
      ],
    );
    assert.ok(live.every((r) => r.text === ''), 'the regions start empty');

    // The mapping step (ambiguous dates stop there), every <details> open.
    await page.setInputFiles('input[type="file"]', join(FIXTURES, 'ingest', 'dates_ambiguous.csv'));
    await page.waitForSelector('[data-panel="mapping"][open] [data-concerns]');
    await openAllDetails(page);
    await assertNoViolations(page, `${locale} mapping step`);
    await screenshot(page, `a11y-mapping-${locale}`);
    await page.click('[data-action="import"]');
    await waitForAnalysis(page);

    // An import in progress: about 60 MB made in the page, handed to the real file input.
    await page.evaluate(() => {
      const lines = ['customer,order,date,amount'];
      for (let i = 0; i < 1_500_000; i++) lines.push(`c${i % 50000},o${i},2024-0${1 + (i % 9)}-1${i % 10},${(i % 997) / 10}`);
      window.__large = new File([lines.join('\n')], 'large.csv', { type: 'text/csv' });
    });
    const startLarge = () => page.evaluate(() => {
      const input = document.querySelector('input[type="file"]');
      const transfer = new DataTransfer();
      transfer.items.add(window.__large);
      input.files = transfer.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await startLarge();
    await page.waitForSelector('[data-live="status"] [data-status="importing"]');
    await page.waitForFunction(() => Number(document.querySelector('[data-progress]')?.dataset.progress) > 0);
    await assertNoViolations(page, `${locale} import in progress`);
    await screenshot(page, `a11y-importing-${locale}`);
    // The import may finish at any moment (while axe ran, or while the click waited for the
    // button to be clear of the sticky header, and the button went with it): start it again
    // until the click lands on a running import.
    for (let attempt = 1; ; attempt++) {
      if (!(await page.$('[data-action="cancel-import"]'))) {
        await waitForAnalysis(page, await page.evaluate(() => performance.getEntriesByName('valuelens:analysis').length));
        await startLarge();
        await page.waitForSelector('[data-live="status"] [data-status="importing"]');
      }
      try {
        await page.click('[data-action="cancel-import"]', { timeout: 5_000 });
        break;
      } catch (error) {
        if (attempt >= 4) throw error;
      }
    }
    await page.waitForSelector('[data-live="status"] [data-status="cancelled"]');
    await assertNoViolations(page, `${locale} import cancelled`);

    // A failed import: said in the assertive region, and focus goes to the message.
    await page.setInputFiles('input[type="file"]', join(FIXTURES, 'ingest', 'empty.csv'));
    await page.waitForSelector('[data-live="alert"] [data-status="failed"]');
    await page.waitForFunction(() => document.activeElement?.dataset.status === 'failed');
    await assertNoViolations(page, `${locale} failed import`);
    await screenshot(page, `a11y-failed-${locale}`);
    assert.deepEqual(session.problems, []);
    await session.close();
  }
});

test('axe-core finds nothing on the attribute panels: master file, filter, breakdowns and profiles', async () => {
  for (const locale of ['zh-CN', 'en-US']) {
    const session = await openApp(app, { locale });
    const { page } = session;
    await page.setInputFiles('[data-input="file"]', join(FIXTURES, 'dimensions', 'orders.csv'));
    await waitForAnalysis(page);
    await page.setInputFiles('[data-input="master-file"]', join(FIXTURES, 'master', 'master.csv'));
    await page.waitForSelector('[data-metric="master_matched"]');
    await openAllDetails(page);
    await assertNoViolations(page, `${locale} data view with a master file`);
    await showView(page, 'deciles');
    await page.selectOption('[data-param="filter-dimension"]', 'region');
    await page.waitForSelector('[data-param="filter-values"] input');
    await page.check('[data-param="filter-values"] input >> nth=0');
    await page.waitForSelector('[data-note="filter"]');
    await page.selectOption('[data-param="breakdown"]', 'master_industry');
    await page.waitForSelector('[data-table="dim-deciles"]');
    await openAllDetails(page);
    await assertNoViolations(page, `${locale} deciles filtered and broken down`);
    for (const view of ['rfm', 'profiles', 'report']) {
      await showView(page, view);
      if (view === 'profiles') await page.waitForSelector('[data-metric^="corr:"]');
      await openAllDetails(page);
      await assertNoViolations(page, `${locale} ${view} filtered, with attributes`);
    }
    assert.deepEqual(session.problems, []);
    await session.close();
  }
});
