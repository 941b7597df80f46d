// Issue 7 (offline): (a) after one visit the served app works with the network off, through its
// service worker (dist/sw.js); (b) the single-file build works opened straight from disk
// (file://), with no request but the file itself and no CSP violation.
//
// Test (b) packs dist/ into dist-single/valuelens.html itself (scripts/single-file.mjs, what
// `make single` runs after the build), so it always checks the current build.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeSingleFile } from '../../scripts/single-file.mjs';
import {
  CHROMIUM_ARGS,
  DIST,
  FIXTURES,
  ROOT,
  foreignRequests,
  metrics,
  recordedPage,
  startApp,
  waitForAnalysis,
} from './harness.mjs';

const SAMPLE_CUSTOMERS = 600;
const SMALL_ORDERS = join(FIXTURES, 'e2e', 'small_orders.csv');

describe('offline after one visit (service worker)', () => {
  let app;
  before(async () => {
    app = await startApp();
  });
  after(async () => {
    await app?.close();
  });

  test('the app loads and analyses with the network off', async () => {
    // Service workers allowed here (openApp blocks them for the request-interception tests).
    const context = await app.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const first = await context.newPage();
    const firstRequests = [];
    const firstProblems = [];
    first.on('request', (request) => firstRequests.push(request.url()));
    first.on('pageerror', (error) => firstProblems.push(`page error: ${error.message}`));
    await first.goto(app.baseUrl);
    await first.waitForSelector('[data-action="load-sample"]', { timeout: 30000 });
    await first.evaluate(() => navigator.serviceWorker.ready);
    await first.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 });

    // One cache, named after this build, holding exactly the build's files.
    const sw = readFileSync(join(DIST, 'sw.js'), 'utf8');
    const build = JSON.parse(sw.match(/const BUILD = ("[0-9a-f]+");/)[1]);
    const files = JSON.parse(sw.match(/const FILES = (\[[\s\S]*?\]);/)[1]);
    const cached = await first.evaluate(async () => {
      const result = {};
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        result[name] = (await cache.keys()).map((request) => new URL(request.url).pathname.slice(1)).sort();
      }
      return result;
    });
    assert.deepEqual(Object.keys(cached), [`valuelens:${app.baseUrl}:${build}`]);
    assert.deepEqual(Object.values(cached)[0], [...files].sort());

    // The first page's own workers started before the service worker was there (it claims the
    // page when it activates, not the workers), and a slow machine may still be fetching for
    // them: the app is opened again offline in a new tab, after the first is closed, and only
    // that tab's requests are looked at.
    assert.deepEqual(foreignRequests(firstRequests, app.baseUrl), []);
    assert.deepEqual(firstProblems, []);
    await first.close();
    await context.setOffline(true);
    const { page, requests, problems, cspViolations } = await recordedPage(context);
    const responses = [];
    page.on('response', (response) => responses.push(response));
    await page.goto(app.baseUrl);
    await page.waitForSelector('[data-action="load-sample"]', { timeout: 30000 });
    await page.click('[data-action="load-sample"]');
    await waitForAnalysis(page);
    assert.equal((await metrics(page)).customers, SAMPLE_CUSTOMERS);
    assert.ok(
      await page.evaluate(() => performance.getEntriesByName('valuelens:analysis').length > 0),
      'the valuelens:analysis measure exists',
    );
    // A real file through the import worker, still offline.
    await page.setInputFiles('input[type="file"]', SMALL_ORDERS);
    await waitForAnalysis(page, 2);
    const shown = await metrics(page);
    assert.deepEqual([shown.rows_read, shown.rows_rejected, shown.customers], [7, 1, 3]);
    // An Excel workbook goes through the reader worker, cached like every file of the build
    // (issue 17).
    await page.setInputFiles('[data-input="file"]', join(FIXTURES, 'formats', 'orders.xlsx'));
    await waitForAnalysis(page, 3);
    assert.equal((await metrics(page)).rows_read, 300);

    // Everything the offline tab loaded came from the service worker.
    const page_responses = responses.filter((response) => response.url().startsWith('http'));
    assert.ok(page_responses.length >= 5, `responses offline: ${page_responses.length}`);
    for (const response of page_responses) {
      assert.ok(response.fromServiceWorker(), `${response.url()} did not come from the service worker`);
    }
    assert.deepEqual(foreignRequests(requests, app.baseUrl), []);
    assert.deepEqual(await cspViolations(), []);
    assert.deepEqual(problems, []);
    await context.close();
  });
});

describe('the single file (make single) from file://', () => {
  let browser;
  let single;
  before(async () => {
    single = writeSingleFile(DIST, join(ROOT, 'dist-single', 'valuelens.html'));
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
  });

  test('loads the sample and a real file offline, requesting nothing but itself', async () => {
    const html = readFileSync(single.path, 'utf8');
    const policy = html.match(/http-equiv="Content-Security-Policy"\s+content="([^"]*)"/)[1];
    assert.match(policy, /default-src 'none'/);
    assert.match(policy, /connect-src 'none'/);
    assert.match(policy, /script-src 'wasm-unsafe-eval'( 'sha256-[A-Za-z0-9+/=]+')+;/);
    assert.match(policy, /worker-src blob:/);
    assert.doesNotMatch(policy, /https?:|'self'|\*/);
    assert.doesNotMatch(policy, /script-src[^;]*unsafe-inline/);
    assert.doesNotMatch(html, /(?:src|href)="\.\//);

    const context = await browser.newContext({ locale: 'en-US', offline: true, viewport: { width: 1280, height: 900 } });
    const { page, requests, problems, cspViolations } = await recordedPage(context);
    const url = pathToFileURL(single.path).href;
    await page.goto(url);
    await page.waitForSelector('[data-action="load-sample"]', { timeout: 30000 });
    assert.equal(await page.evaluate(() => typeof window.__VALUELENS_WORKER_URL__), 'string');
    assert.equal(await page.evaluate(() => typeof window.__VALUELENS_ANALYST_URL__), 'string');

    await page.click('[data-action="load-sample"]');
    await waitForAnalysis(page);
    assert.equal((await metrics(page)).customers, SAMPLE_CUSTOMERS);
    // The CLV fit runs in the inlined analysis worker.
    await page.click('[data-view="clv"]');
    await page.waitForSelector('[data-metric="bgnbd_r"]', { timeout: 60000 });
    assert.ok((await metrics(page)).clv_total > 0);
    await page.click('[data-view="data"]');

    await page.setInputFiles('input[type="file"]', SMALL_ORDERS);
    await waitForAnalysis(page, 2);
    const shown = await metrics(page);
    assert.deepEqual([shown.rows_read, shown.rows_rejected, shown.customers], [7, 1, 3]);
    // An Excel workbook goes through the inlined reader worker (issue 17).
    assert.equal(await page.evaluate(() => typeof window.__VALUELENS_READER_URL__), 'string');
    await page.setInputFiles('[data-input="file"]', join(FIXTURES, 'formats', 'orders.xlsx'));
    await waitForAnalysis(page, 3);
    assert.equal((await metrics(page)).rows_read, 300);

    // Every view renders from file:// too.
    for (const view of ['deciles', 'rfm', 'lifecycle', 'clv', 'swot', 'report', 'data']) {
      await page.click(`[data-view="${view}"]`);
      await page.waitForSelector(`main[data-view="${view}"]`);
    }

    const foreign = requests.filter((r) => r !== url && !r.startsWith('data:') && !r.startsWith('blob:'));
    assert.deepEqual(foreign, []);
    assert.deepEqual(await cspViolations(), []);
    assert.deepEqual(problems, []);
    await context.close();
  });
});
