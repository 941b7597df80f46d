// The page's long tasks (50 ms or more, a `longtask` PerformanceObserver) around an import and
// around opening views, in one fresh tab of Debian's Chromium:
//
//   node bench/tasks.mjs DIST FILE [VIEW:SELECTOR …]
//
// serves DIST, drops FILE on `[data-input="file"]`, waits for the `valuelens:analysis` measure
// (then IMPORT_WAIT ms more, default 0: the session is saved 0.8 s after an import), prints the
// import's time and every long task since the drop ([start, duration] ms); then, for each
// VIEW:SELECTOR, clicks `a[data-view=VIEW]`, waits until SELECTOR is in the document and two
// frames later (painted), then SETTLE ms (default 100; answers of the analysis worker come
// later), and prints the time painted and the long tasks since the click. VIEW `@ACTION` clicks
// `[data-action=ACTION]` instead, `!CSS` the first element CSS selects (no colon in it),
// `%PARAM=VALUE` sets `[data-param=PARAM]` and sends its change event (bench/actions.mjs; a choice in the view
// open), `^INPUT=PATH` picks the file PATH in `[data-input=INPUT]` (e.g. `^master-file=m.csv`).
// Example:
//
//   IMPORT_WAIT=3000 SETTLE=3000 node bench/tasks.mjs dist bench/data/orders-1000000.csv \
//     'report:[data-report-section="methods"]' 'lifecycle:[data-table="lc-migration"]'
import { chromium } from 'playwright-core';
import { serveDirectory } from '../scripts/serve.mjs';
import { CHROMIUM_ARGS } from '../tests/e2e/harness.mjs';
import { installActions } from './actions.mjs';

const [dist, file, ...views] = process.argv.slice(2);
const server = await serveDirectory(dist, 0);
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
const context = await browser.newContext({ locale: 'en-US', serviceWorkers: 'block', viewport: { width: 1280, height: 900 } });
await installActions(context);
await context.addInitScript(() => {
  window.__tasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__tasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
});
const page = await context.newPage();
page.on('pageerror', (e) => console.log('page error', e.message));
await page.goto(base);
await page.waitForSelector('[data-action="load-sample"]', { timeout: 30000 });
await page.waitForTimeout(1500);
const t0 = await page.evaluate(() => performance.now());
await page.setInputFiles('[data-input="file"]', file);
await page.waitForFunction(() => performance.getEntriesByName('valuelens:analysis').length >= 1, null, { timeout: 600000, polling: 200 });
await page.waitForTimeout(Number(process.env.IMPORT_WAIT || 0));
const imported = await page.evaluate(() => performance.getEntriesByName('valuelens:analysis')[0].duration);
const importTasks = await page.evaluate((t0) => window.__tasks.filter(([s]) => s >= t0).map(([s, d]) => [Math.round(s - t0), Math.round(d)]), t0);
console.log(`import ${Math.round(imported)} ms, long tasks ${JSON.stringify(importTasks)}`);
await page.waitForTimeout(1000);
for (const spec of views) {
  const [view, selector] = spec.split(/:(.*)/s);
  if (view.startsWith('^')) {
    const [input, path] = view.slice(1).split(/=(.*)/s);
    const t0 = await page.evaluate(() => performance.now());
    await page.setInputFiles(`[data-input="${input}"]`, path);
    await page.waitForSelector(selector, { state: 'attached', timeout: 600000 });
    const r = await page.evaluate(async ({ t0, settle }) => {
      await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
      const painted = performance.now() - t0;
      await new Promise((done) => setTimeout(done, settle));
      const tasks = window.__tasks.filter(([s, d]) => s + d > t0).map(([s, d]) => [Math.round(s - t0), Math.round(d)]);
      return { painted: Math.round(painted), tasks };
    }, { t0, settle: Number(process.env.SETTLE || 100) });
    console.log(`${input}: painted ${r.painted} ms, long tasks ${JSON.stringify(r.tasks)}`);
    await page.waitForTimeout(500);
    continue;
  }
  const r = await page.evaluate(async ({ view, selector, settle }) => {
    const t0 = performance.now();
    await new Promise((resolve) => {
      let poll;
      const found = () => {
        if (!document.querySelector(selector)) return;
        observer.disconnect();
        clearInterval(poll);
        resolve();
      };
      const observer = new MutationObserver(found);
      observer.observe(document.body, { childList: true, subtree: true, attributes: true });
      window.__act(view);
      // A step that changes nothing in the document (its selector already there) is done once
      // its task has run: no mutation would ever come.
      poll = setInterval(found, 100);
    });
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    const painted = performance.now() - t0;
    await new Promise((done) => setTimeout(done, settle));
    const tasks = window.__tasks.filter(([s, d]) => s + d > t0).map(([s, d]) => [Math.round(s - t0), Math.round(d)]);
    return { painted: Math.round(painted), tasks };
  }, { view, selector, settle: Number(process.env.SETTLE || 100) });
  console.log(`${view}: painted ${r.painted} ms, long tasks ${JSON.stringify(r.tasks)}`);
  await page.waitForTimeout(500);
}
await browser.close();
server.close();
