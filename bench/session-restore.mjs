// The page's long tasks when the last session comes back: drops FILE, waits 8 s (the session is
// written 0.8 s after an import, its customers and JSON a slice a task, then into IndexedDB in
// pieces), reloads, waits for the "restored" notice, prints every long task (≥ 50 ms) of the
// reloaded page as [ms since it started, duration], when the notice showed (ms since the reload's
// start) and the customers shown:
//
// With MASTER=PATH, the master file PATH is picked after the import (kept with the data); with
// SURVEY=PATH, the survey file PATH (kept in records of its own), and the time its facts show
// after the reload is printed too (`survey_ms`).
//
//   node bench/session-restore.mjs DIST FILE
import { chromium } from 'playwright-core';
import { serveDirectory } from '../scripts/serve.mjs';
import { CHROMIUM_ARGS } from '../tests/e2e/harness.mjs';
const [dist, file] = process.argv.slice(2);
const server = await serveDirectory(dist, 0);
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
const context = await browser.newContext({ locale: 'en-US', serviceWorkers: 'block' });
await context.addInitScript(() => {
  window.__tasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__tasks.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true });
});
const page = await context.newPage();
await page.goto(base);
await page.waitForSelector('[data-action="load-sample"]');
await page.setInputFiles('[data-input="file"]', file);
await page.waitForFunction(() => performance.getEntriesByName('valuelens:analysis').length >= 1, null, { timeout: 600000 });
if (process.env.MASTER) {
  await page.setInputFiles('[data-input="master-file"]', process.env.MASTER);
  await page.waitForSelector('[data-metric="master_matched"]', { timeout: 600000 });
}
if (process.env.SURVEY) {
  await page.setInputFiles('[data-input="survey-file"]', process.env.SURVEY);
  await page.waitForSelector('[data-facts="survey"]', { timeout: 600000 });
}
await page.waitForTimeout(8000);
await page.reload();
await page.waitForSelector('[data-notice]', { timeout: 120000 });
const restored = await page.evaluate(() => Math.round(performance.now()));
let survey;
if (process.env.SURVEY) {
  await page.waitForSelector('[data-facts="survey"]', { timeout: 120000 });
  survey = await page.evaluate(() => Math.round(performance.now()));
}
await page.waitForTimeout(2000);
const r = await page.evaluate((restored) => ({ restored_ms: restored, tasks: window.__tasks.map(([s, d]) => [Math.round(s), Math.round(d)]), customers: document.querySelector('[data-metric="customers"]')?.dataset.value }), restored);
if (survey !== undefined) r.survey_ms = survey;
console.log(JSON.stringify(r));
await browser.close(); server.close();
