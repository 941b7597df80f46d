// Where the longest main-thread task's time goes: a CPU profile (Chrome DevTools protocol,
// 0.1 ms sampling) of opening one view after an import (or of the import itself, VIEW `import`),
// its busiest stretch summed by function (self and inclusive time):
//
//   node bench/task-profile.mjs DIST FILE VIEW SELECTOR [PRE_VIEW:SELECTOR …]
//
// PRE_VIEWs are opened first (3 s each; VIEW and PRE_VIEW as in bench/tasks.mjs: a view,
// `@ACTION`, `!CSS`, `%PARAM=VALUE` or `^INPUT=PATH`); the profile runs WAIT ms (default 3000) after the click. Function names need a build that keeps them: the app's
// wasm through `wasm-opt -Oz -g` instead of Trunk's `-Oz` (BENCHMARKS.md, "How to run").
import { chromium } from 'playwright-core';
import { serveDirectory } from '../scripts/serve.mjs';
import { CHROMIUM_ARGS } from '../tests/e2e/harness.mjs';
import { installActions } from './actions.mjs';
const [dist, file, view, selector, ...pre] = process.argv.slice(2);
const server = await serveDirectory(dist, 0);
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
const context = await browser.newContext({ locale: 'en-US', serviceWorkers: 'block', viewport: { width: 1280, height: 900 } });
await installActions(context);
await context.addInitScript(() => {
  window.__tasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__tasks.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true });
});
const page = await context.newPage();
await page.goto(base);
await page.waitForSelector('[data-action="load-sample"]', { timeout: 30000 });
await page.waitForTimeout(1500);
let cdp0;
if (view === 'import') {
  cdp0 = await context.newCDPSession(page);
  await cdp0.send('Profiler.enable');
  await cdp0.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp0.send('Profiler.start');
}
const tImport = await page.evaluate(() => performance.now());
await page.setInputFiles('[data-input="file"]', file);
await page.waitForFunction(() => performance.getEntriesByName('valuelens:analysis').length >= 1, null, { timeout: 600000, polling: 200 });
await page.waitForTimeout(view === 'import' ? 4000 : 1000);
if (view === 'import') globalThis.__importProfile = (await cdp0.send('Profiler.stop')).profile;
const click = async (v, sel) => v.startsWith('^') ? pick(v, sel) : page.evaluate(async ({ v, sel }) => {
  const t0 = performance.now();
  await new Promise((resolve) => { const o = new MutationObserver(() => { if (document.querySelector(sel)) { o.disconnect(); resolve(); } }); o.observe(document.body, { childList: true, subtree: true, attributes: true }); window.__act(v); });
  return t0;
}, { v, sel });
// `^INPUT=PATH`: the file PATH picked in `[data-input=INPUT]` (as in bench/tasks.mjs).
async function pick(v, sel) {
  const [input, path] = v.slice(1).split(/=(.*)/s);
  const t0 = await page.evaluate(() => performance.now());
  await page.setInputFiles(`[data-input="${input}"]`, path);
  await page.waitForSelector(sel, { state: 'attached', timeout: 600000 });
  return t0;
}
for (const spec of pre) { const [v, s] = spec.split(/:(.*)/s); await click(v, s); await page.waitForTimeout(3000); }
let profile, t0;
if (view === 'import') {
  profile = globalThis.__importProfile;
  t0 = tImport;
} else {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  t0 = await click(view, selector);
  await page.waitForTimeout(Number(process.env.WAIT || 3000));
  ({ profile } = await cdp.send('Profiler.stop'));
}
const tasks = await page.evaluate((t0) => window.__tasks.filter(([s, d]) => s + d > t0).map(([s, d]) => [s - t0, d]), t0);
console.log('long tasks', JSON.stringify(tasks.map(([s, d]) => [Math.round(s), Math.round(d)])));
// samples → times
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
let t = profile.startTime;
const times = profile.timeDeltas.map((d) => (t += d));
// performance.now origin vs profiler clock: align by first sample ~ unknown; use the longest task as window by relative position of busy samples
const longest = tasks.sort((a, b) => b[1] - a[1])[0];
const idle = new Set(profile.nodes.filter((n) => ['(idle)', '(program)', '(garbage collector)'].includes(n.callFrame.functionName)).map((n) => n.id));
// find the busy run with the most samples (the longest task)
let best = [0, 0], cur = null;
for (let i = 0; i < profile.samples.length; i++) {
  const busy = !idle.has(profile.samples[i]) || nodes.get(profile.samples[i]).callFrame.functionName === '(garbage collector)';
  if (busy) { if (!cur) cur = [i, i]; cur[1] = i; } else if (cur) { if (times[cur[1]] - times[cur[0]] > times[best[1]] - times[best[0]]) best = cur; cur = null; }
}
if (cur && times[cur[1]] - times[cur[0]] > times[best[1]] - times[best[0]]) best = cur;
// RUNS=1: every busy run of 40 ms or more, when it started (ms after the profile's start) and
// the app's functions that took most of it (RUNS=all: any function's).
if (process.env.RUNS) {
  const runs = [];
  let run = null;
  for (let i = 0; i <= profile.samples.length; i++) {
    const busy = i < profile.samples.length && (!idle.has(profile.samples[i]) || nodes.get(profile.samples[i]).callFrame.functionName === '(garbage collector)');
    if (busy) { if (!run) run = [i, i]; run[1] = i; } else if (run) { runs.push(run); run = null; }
  }
  for (const [a, b] of runs.filter(([a, b]) => times[b] - times[a] >= 40000)) {
    const inclusive = new Map();
    for (let i = a; i <= b; i++) {
      const dt = (times[i + 1] ?? times[i]) - times[i];
      const seen = new Set();
      for (let id = profile.samples[i]; id !== undefined; id = parent.get(id)) {
        const nm = nodes.get(id).callFrame.functionName;
        if ((process.env.RUNS === 'all' || nm.startsWith('valuelens::')) && !seen.has(nm)) { seen.add(nm); inclusive.set(nm, (inclusive.get(nm) || 0) + dt); }
      }
    }
    const names = [...inclusive].sort((x, y) => y[1] - x[1]).slice(0, process.env.RUNS === 'all' ? 30 : 8).map(([n, v]) => `${(v / 1000).toFixed(1)} ${n.replace(/::h[0-9a-f]{16}$/, '').slice(0, 90)}`);
    console.log(`run at ${((times[a] - profile.startTime) / 1000).toFixed(0)} ms, ${((times[b] - times[a]) / 1000).toFixed(1)} ms:\n  ${names.join('\n  ')}`);
  }
}
console.log('busiest run', ((times[best[1]] - times[best[0]]) / 1000).toFixed(1), 'ms; longest task', longest && Math.round(longest[1]));
const self = new Map(), incl = new Map();
for (let i = best[0]; i <= best[1]; i++) {
  const dt = (times[i + 1] ?? times[i]) - times[i];
  let id = profile.samples[i];
  const name = (n) => n.callFrame.functionName || `(anon ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber})`;
  self.set(name(nodes.get(id)), (self.get(name(nodes.get(id))) || 0) + dt);
  const seen = new Set();
  while (id !== undefined) { const nm = name(nodes.get(id)); if (!seen.has(nm)) { incl.set(nm, (incl.get(nm) || 0) + dt); seen.add(nm); } id = parent.get(id); }
}
const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([n, v]) => `${(v / 1000).toFixed(1).padStart(7)}  ${n.slice(0, 150)}`).join('\n');
console.log('--- self\n' + top(self, 25));
console.log('--- inclusive\n' + top(incl, 60));
await browser.close(); server.close();
