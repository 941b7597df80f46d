// Shared set-up for the browser tests: serve dist/ on a free port, drive Debian's Chromium with
// playwright-core, and record every request, console error, page error and CSP violation.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { serveDirectory } from '../../scripts/serve.mjs';

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const DIST = join(ROOT, 'dist');
export const ARTIFACTS = join(ROOT, 'test-artifacts');
export const FIXTURES = join(ROOT, 'tests', 'fixtures');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Every file in dist/, as URL paths (`/index.html`, `/worker.js` …). */
export function distFiles() {
  const files = new Set();
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.add('/' + relative(DIST, path).split('\\').join('/'));
    }
  };
  walk(DIST);
  files.add('/');
  return files;
}

/** Starts the static server and the browser. */
export async function startApp() {
  const server = await serveDirectory(DIST, 0);
  const baseUrl = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  return {
    baseUrl,
    browser,
    async close() {
      await browser.close();
      await new Promise((done) => server.close(done));
    },
  };
}

/**
 * Opens the app in a fresh context (empty storage) and records what it does. `init` (a function,
 * with `initArg`) runs in the page before the app, like Playwright's `addInitScript`.
 */
export async function openApp(app, { locale = 'zh-CN', path = '', init = null, initArg } = {}) {
  const context = await app.browser.newContext({
    locale,
    serviceWorkers: 'block',
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
  });
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || '(inline)'}`);
    });
  });
  if (init) await context.addInitScript(init, initArg);
  const page = await context.newPage();
  const requests = [];
  const problems = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  await page.goto(app.baseUrl + path);
  await page.waitForSelector('[data-action="load-sample"]', { timeout: 30000 });
  return {
    context,
    page,
    requests,
    problems,
    cspViolations: () => page.evaluate(() => window.__cspViolations),
    async close() {
      await context.close();
    },
  };
}

/** The figures the page shows: `{ name: Number(data-value) }`. */
export async function metrics(page) {
  return page.$$eval('[data-metric]', (elements) =>
    Object.fromEntries(elements.map((el) => [el.dataset.metric, Number(el.dataset.value)])),
  );
}

/** Waits for an analysis to finish (the `valuelens:analysis` measure) and returns its duration. */
export async function waitForAnalysis(page, count = 1) {
  await page.waitForFunction(
    (n) => performance.getEntriesByName('valuelens:analysis').length >= n,
    count,
    { timeout: 60000 },
  );
  return page.evaluate(() => performance.getEntriesByName('valuelens:analysis').at(-1).duration);
}

/** Requests that are not one of the app's own static files. */
export function foreignRequests(requests, baseUrl) {
  const own = distFiles();
  return requests.filter((url) => {
    if (url.startsWith('blob:') || url.startsWith('data:')) return false;
    if (!url.startsWith(baseUrl)) return true;
    const path = new URL(url).pathname;
    const relativePath = '/' + path.slice(new URL(baseUrl).pathname.length);
    return !own.has(relativePath);
  });
}

/** Saves a full-page screenshot under test-artifacts/screens/. */
export async function screenshot(page, name) {
  const dir = join(ARTIFACTS, 'screens');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** The sample CSV as the app generates it (`cargo run --bin sample`). */
export function sampleCsv(language) {
  return execFileSync('cargo', ['run', '--quiet', '--bin', 'sample', '--', language], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}

/**
 * An independent computation of the headline figures of a simple, clean CSV (no quotes, comma
 * delimiter, header row): the oracle the page's figures are checked against.
 */
export function expectedFigures(csv, { customer, order, amount, profit }) {
  const lines = csv.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = lines[0].split(',');
  const col = (name) => header.indexOf(name);
  const [c, o, a, p] = [col(customer), col(order), col(amount), col(profit)];
  const customers = new Set();
  const orders = new Set();
  let sales = 0;
  let profitSum = 0;
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    customers.add(cells[c]);
    orders.add(`${cells[c]}\u0000${cells[o]}`);
    sales += Number(cells[a]);
    profitSum += Number(cells[p]);
  }
  return {
    rows_read: lines.length - 1,
    rows_rejected: 0,
    customers: customers.size,
    orders: orders.size,
    total_sales: sales,
    total_profit: profitSum,
  };
}

export function close(actual, expected, tolerance = 1e-6) {
  return Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected));
}

/**
 * A new page in `context` that records every request, console error, page error and CSP
 * violation, like `openApp` does, for tests that make their own context (service workers
 * allowed, offline, file://).
 */
export async function recordedPage(context) {
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || '(inline)'}`);
    });
  });
  const page = await context.newPage();
  const requests = [];
  const problems = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  return {
    page,
    requests,
    problems,
    cspViolations: () => page.evaluate(() => window.__cspViolations),
  };
}

/** Every figure of the data, deciles and RFM views, by `data-metric` name. */
export async function allFigures(page) {
  await page.click('[data-view="data"]');
  const figures = { ...(await metrics(page)) };
  await page.click('[data-view="deciles"]');
  await page.waitForSelector('[data-metric="gini"]');
  Object.assign(figures, await metrics(page));
  await page.click('[data-view="rfm"]');
  await page.waitForSelector('[data-table="rfm-segments"]');
  Object.assign(figures, await metrics(page));
  await page.click('[data-view="data"]');
  return figures;
}

/** The rejected rows as shown: [line, column, value, reason] per row. */
export async function rejectedRows(page) {
  return page.$$eval('[data-panel="rejected"] tbody tr', (rows) =>
    rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent.trim())),
  );
}
