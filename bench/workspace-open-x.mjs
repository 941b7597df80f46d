// The page's long tasks when a workspace file with data is opened: drops FILE in one tab, saves
// the workspace with its data (a download), then opens that file in a fresh tab through
// `[data-input="workspace-file"]` and prints every long task (≥ 50 ms) from the pick until the
// notice and one second after, as [ms since the pick, duration], when the notice showed (ms since
// the pick), the file's size and the customers shown:
//
// With MASTER=PATH, the master file PATH is picked after the import (kept with the data); with
// KEEP=PATH, the saved file is copied to PATH; with SURVEY=PATH, the survey file PATH is picked
// too, the long tasks of the save are printed (`save_tasks`, ms since the click) and so is
// when the survey's facts showed after the pick (`survey_ms`).
//
//   node bench/workspace-open.mjs DIST FILE
import { chromium } from 'playwright-core';
import { copyFileSync, statSync } from 'node:fs';
import { serveDirectory } from '../scripts/serve.mjs';
import { CHROMIUM_ARGS } from '../tests/e2e/harness.mjs';
const [dist, file] = process.argv.slice(2);
const server = await serveDirectory(dist, 0);
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...(process.env.EXTRA_ARGS ? process.env.EXTRA_ARGS.split(" ") : [])] });
const observe = () => {
  window.__tasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__tasks.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true });
};
const saving = await browser.newContext({ locale: 'en-US', serviceWorkers: 'block', acceptDownloads: true });
await saving.addInitScript(observe);
const first = await saving.newPage();
await first.goto(base);
await first.waitForSelector('[data-action="load-sample"]');
await first.setInputFiles('[data-input="file"]', file);
await first.waitForFunction(() => performance.getEntriesByName('valuelens:analysis').length >= 1, null, { timeout: 600000 });
if (process.env.MASTER) {
  await first.setInputFiles('[data-input="master-file"]', process.env.MASTER);
  await first.waitForSelector('[data-metric="master_matched"]', { timeout: 600000 });
}
if (process.env.SURVEY) {
  await first.setInputFiles('[data-input="survey-file"]', process.env.SURVEY);
  await first.waitForSelector('[data-facts="survey"]', { timeout: 600000 });
  await first.waitForTimeout(3000);
}
await first.click('[data-panel="workspace"] > summary');
const pending = first.waitForEvent('download', { timeout: 600000 });
const s0 = await first.evaluate(() => performance.now());
await first.click('[data-action="save-workspace"]');
const saved = await (await pending).path();
await first.waitForTimeout(500);
const saveTasks = await first.evaluate((s0) => window.__tasks.filter(([s]) => s >= s0).map(([s, d]) => [Math.round(s - s0), Math.round(d)]), s0);
const bytes = statSync(saved).size;
if (process.env.KEEP) copyFileSync(saved, process.env.KEEP);

const opening = await browser.newContext({ locale: 'en-US', serviceWorkers: 'block' });
await opening.addInitScript(observe);
const page = await opening.newPage();
await page.goto(base);
await page.waitForSelector('[data-action="load-sample"]');
await page.waitForTimeout(1500);
await page.click('[data-panel="workspace"] > summary');
const t0 = await page.evaluate(() => performance.now());
await page.setInputFiles('[data-input="workspace-file"]', saved);
await page.waitForSelector('[data-notice]', { timeout: 600000 });
const opened = await page.evaluate(() => performance.now());
let survey;
if (process.env.SURVEY) {
  await page.waitForSelector('[data-facts="survey"]', { timeout: 600000 });
  survey = Math.round((await page.evaluate(() => performance.now())) - t0);
}
await page.waitForTimeout(1000);
const r = await page.evaluate(([t0, opened]) => ({
  opened_ms: Math.round(opened - t0),
  tasks: window.__tasks.filter(([s]) => s >= t0).map(([s, d]) => [Math.round(s - t0), Math.round(d)]),
  customers: document.querySelector('[data-metric="customers"]')?.dataset.value,
}), [t0, opened]);
const extra = process.env.SURVEY ? { save_tasks: saveTasks, survey_ms: survey } : {};
console.log(JSON.stringify({ file_bytes: bytes, ...r, ...extra }));
await browser.close(); server.close();
