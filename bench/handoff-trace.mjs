// The page's main thread from the import's last progress to the `valuelens:analysis` measure:
// every task (a Chrome trace, `toplevel` category) with its start and length, and the gaps
// between them, so the hand-off's time splits into work and waiting:
//
//   node bench/handoff-trace.mjs DIST FILE [REPS]
//
// A task over 40 ms is followed by what ran in it for more than 3 ms (V8's garbage collection
// phases included). CHROMIUM_EXTRA_ARGS adds browser flags (e.g. '--js-flags=--never-compact').
import { chromium } from 'playwright-core';
import { serveDirectory } from '../scripts/serve.mjs';
import { CHROMIUM_ARGS } from '../tests/e2e/harness.mjs';

const [dist, file, reps = '1'] = process.argv.slice(2);
const server = await serveDirectory(dist, 0);
const base = `http://127.0.0.1:${server.address().port}/`;
const extra = (process.env.CHROMIUM_EXTRA_ARGS ?? '').split(' ').filter(Boolean);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extra] });
for (let r = 0; r < Number(reps); r++) {
  const context = await browser.newContext({ locale: 'en-US', serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(base);
  await page.waitForSelector('[data-action="load-sample"]', { timeout: 30000 });
  await page.waitForTimeout(1500);
  const cdp = await context.newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  const ended = new Promise((done) => cdp.once('Tracing.tracingComplete', done));
  await cdp.send('Tracing.start', {
    categories: 'toplevel,blink.user_timing,devtools.timeline,v8.execute,v8,disabled-by-default-v8.gc',
    transferMode: 'ReportEvents',
  });
  await page.setInputFiles('input[type="file"]', file);
  await page.waitForFunction(() => performance.getEntriesByName('valuelens:analysis').length > 0, null, { timeout: 120000 });
  await page.waitForTimeout(200);
  await cdp.send('Tracing.end');
  await ended;
  // The renderer's main thread: the thread of the user-timing marks.
  const marks = events.filter((e) => e.cat?.includes('blink.user_timing') && e.name.startsWith('valuelens:'));
  const tid = marks[0]?.tid;
  const pid = marks[0]?.pid;
  const startMark = marks.find((m) => m.name === 'valuelens:analysis-start');
  const t0 = startMark ? startMark.ts : 0;
  const rel = (ts) => ((ts - t0) / 1000).toFixed(1);
  console.log(`run ${r + 1}: marks`, marks.map((m) => `${m.name.replace('valuelens:', '')}@${rel(m.ts)}`).join(' '));
  const tasks = events
    .filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask'))
    .sort((a, b) => a.ts - b.ts);
  const messages = events.filter((e) => e.pid === pid && e.tid === tid && e.name === 'HandlePostMessage');
  const firstDone = messages.length ? messages[messages.length - 1].ts : null;
  // Tasks of more than 1 ms after the last message from a worker began, with what ran in them.
  const from = tasks.findIndex((t) => firstDone != null && t.ts + t.dur >= firstDone);
  let busy = 0;
  let last = null;
  const rows = [];
  for (const task of tasks.slice(Math.max(0, from - 1))) {
    const inner = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && e.ts >= task.ts && e.ts < task.ts + task.dur && e.name !== task.name && e.dur > 500);
    const what = [...new Set(inner.map((e) => e.name))].slice(0, 4).join(',');
    busy += task.dur;
    if (task.dur > 1000) rows.push(`  +${rel(task.ts)} ms  ${(task.dur / 1000).toFixed(1)} ms  gap ${last == null ? '—' : ((task.ts - last) / 1000).toFixed(1)}  ${what}`);
    // A long task: what ran in it for more than 3 ms (a garbage collection's phases, with their
    // arguments: its kind, the pages evacuated …).
    if (task.dur > 40000) {
      for (const e of inner.filter((e) => e.dur > 3000).slice(0, 16)) {
        rows.push(`      ${e.name} ${(e.dur / 1000).toFixed(1)} ms ${JSON.stringify(e.args ?? {}).slice(0, 160)}`);
      }
    }
    last = task.ts + task.dur;
  }
  console.log(rows.join('\n'));
  console.log(`  main-thread busy from the last worker message: ${(busy / 1000).toFixed(1)} ms`);
  await context.close();
}
await browser.close();
server.close();
