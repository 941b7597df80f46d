// The first file in a fresh tab, per build: drop → the `valuelens:analysis` measure, the builds
// alternating, a fresh tab each repetition; with AGAIN=1 the same file again in the same tab
// (3 s later: the workers the session keeps ready are then started). For files the DuckDB-WASM
// contestant of bench/run.mjs cannot read, e.g. a GBK export, which the import worker hands to
// the reader worker (BENCHMARKS.md, "the import worker without the legacy encodings"):
//   (echo "客户编号,订单编号,订单日期,金额,利润,数量"; tail -n +2 bench/data/orders-1000000.csv) \
//     | iconv -f UTF-8 -t GBK > /tmp/orders-gbk-1000000.csv
//   AGAIN=1 node bench/first-file.mjs /tmp/orders-gbk-1000000.csv 3 dist /tmp/dist-before
import { chromium } from 'playwright-core';
import { serveDirectory } from '../scripts/serve.mjs';
import { CHROMIUM_ARGS } from '../tests/e2e/harness.mjs';

const [file, reps = '3', ...dists] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
const servers = await Promise.all(dists.map((d) => serveDirectory(d, 0)));
const times = dists.map(() => []);
for (let r = 0; r < Number(reps); r++) {
  for (let i = 0; i < dists.length; i++) {
    const context = await browser.newContext({ locale: 'zh-CN', serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${servers[i].address().port}/`);
    await page.waitForSelector('[data-action="load-sample"]');
    await page.waitForTimeout(1500);
    const t0 = Date.now();
    await page.setInputFiles('input[type="file"]', file);
    await page.waitForFunction(() => performance.getEntriesByName('valuelens:analysis').length > 0, null, { timeout: 120000 });
    const d = await page.evaluate(() => performance.getEntriesByName('valuelens:analysis').at(-1).duration);
    const m = await page.$$eval('[data-metric="customers"],[data-metric="total_sales"]', (e) => e.map((x) => x.dataset.value));
    times[i].push(Math.round(d));
    console.log(dists[i], 'rep', r + 1, Math.round(d), 'ms (measure),', Date.now() - t0, 'ms wall', m.join(' '));
    if (process.env.AGAIN) {
      await page.waitForTimeout(3000);
      await page.setInputFiles('input[type="file"]', []);
      await page.setInputFiles('input[type="file"]', file);
      await page.waitForFunction(() => performance.getEntriesByName('valuelens:analysis').length > 1, null, { timeout: 120000 });
      const again = await page.evaluate(() => performance.getEntriesByName('valuelens:analysis').at(-1).duration);
      console.log(dists[i], 'rep', r + 1, 'again', Math.round(again), 'ms');
    }
    await context.close();
  }
}
for (let i = 0; i < dists.length; i++) console.log(dists[i], 'sorted', times[i].sort((a, b) => a - b).join(', '));
await browser.close();
servers.forEach((s) => s.close());
