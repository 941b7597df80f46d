// Issue 7 (workspace): the last session comes back after a reload (IndexedDB); a workspace file
// saves and opens everything; a file from a newer version is refused clearly; "forget everything"
// leaves nothing behind.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, metrics, openApp, startApp, waitForAnalysis } from './harness.mjs';

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

test('the last session is restored after a reload, and forgotten on request', async () => {
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  await page.click('[data-action="load-sample"]');
  await waitForAnalysis(page);
  await page.click('[data-view="swot"]');
  await page.setInputFiles('[data-input="swot-file"]', join(FIXTURES, 'swot', 'zh_cn_two_respondents.csv'));
  await page.waitForSelector('[data-swot-import]');
  await page.click('[data-view="data"]');
  await page.waitForTimeout(1500); // the session is saved a moment after the last change
  // The saved data set is read back by the restore worker: the import worker's bundle, which
  // every page loads at start, links no workspace reader (issue 13: worker ≤ 350 KB).
  const started = [];
  page.on('worker', (worker) => started.push(new URL(worker.url()).pathname));
  await page.reload();
  await page.waitForSelector('[data-notice]');
  const restored = await metrics(page);
  assert.equal(restored.customers, 600);
  assert.ok(started.some((path) => path.endsWith('/restorer_loader.js')), `workers started: ${started}`);
  assert.equal(await page.textContent('[data-file-name]'), '示例订单数据.csv');
  await page.click('[data-view="swot"]');
  await page.waitForFunction(() => document.querySelector('[data-metric="swot_total_S"]')?.dataset.value === '22');

  await page.click('[data-action="forget-everything"]');
  await page.waitForTimeout(1500);
  await page.reload();
  await page.click('[data-view="data"]');
  await page.waitForSelector('[data-action="load-sample"]');
  await page.waitForTimeout(500);
  assert.equal(await page.$('[data-metric="customers"]'), null, 'no data after forgetting');
  const stored = await page.evaluate(async () => {
    const keys = Object.keys(localStorage).filter((k) => k.startsWith('valuelens.') && k !== 'valuelens.lang');
    const databases = (await indexedDB.databases()).map((d) => d.name);
    return { keys, databases };
  });
  assert.deepEqual(stored.keys, [], 'only the language preference may be stored');
  // (Reading the session at start opens, so creates, an empty store.)
  assert.deepEqual(await sessionRecords(page), {}, 'no session record left');
  await page.click('[data-view="swot"]');
  await page.waitForFunction(() => document.querySelector('[data-metric="swot_total_S"]')?.dataset.value === '0');
  await session.close();
});

test('a workspace file saves and opens data, parameters and boards; newer versions are refused', async () => {
  const first = await openApp(app, { locale: 'en-US' });
  await first.page.click('[data-action="load-sample"]');
  await waitForAnalysis(first.page);
  await first.page.click('[data-view="deciles"]');
  await first.page.fill('[data-param="retain_sales_share"]', '20');
  await first.page.dispatchEvent('[data-param="retain_sales_share"]', 'change');
  await first.page.waitForSelector('[data-metric="gini"]');
  const decileFigures = await metrics(first.page);
  await first.page.click('[data-view="data"]');
  await first.page.click('[data-panel="workspace"] > summary');
  const pending = first.page.waitForEvent('download');
  await first.page.click('[data-action="save-workspace"]');
  const file = await pending;
  assert.equal(file.suggestedFilename(), 'sample-orders.valuelens.json');
  const json = readFileSync(await file.path(), 'utf8');
  const parsed = JSON.parse(json);
  assert.equal(parsed.format, 'valuelens-workspace');
  assert.equal(parsed.version, 2);
  assert.equal(parsed.decile_config.retain_sales_share, 0.2);
  // Issue 14: the purchase days the page received from the import worker are saved with the data:
  // a record length per customer, adding up to the base64 bytes.
  const history = parsed.data.history;
  assert.equal(history.profit, true);
  assert.equal(history.quantity, true);
  assert.equal(history.lengths.length, 600);
  const recordBytes = Buffer.from(history.bytes, 'base64').length;
  assert.ok(recordBytes > 20000, `${recordBytes} bytes of purchase days`);
  assert.equal(history.lengths.reduce((a, b) => a + b, 0), recordBytes);
  await first.close();

  const second = await openApp(app, { locale: 'en-US' });
  const { page } = second;
  const started = [];
  page.on('worker', (worker) => started.push(new URL(worker.url()).pathname));
  await page.click('[data-panel="workspace"] > summary');
  await page.setInputFiles('[data-input="workspace-file"]', { name: 'w.valuelens.json', mimeType: 'application/json', buffer: Buffer.from(json) });
  await page.waitForSelector('[data-metric="customers"]');
  assert.equal((await metrics(page)).customers, 600);
  assert.ok(started.some((path) => path.endsWith('/restorer_loader.js')), `workers started: ${started}`);
  await page.click('[data-view="deciles"]');
  await page.waitForSelector('[data-metric="gini"]');
  const reopened = await metrics(page);
  assert.equal(reopened.group_retain, decileFigures.group_retain, 'the edited threshold came back');
  assert.equal(reopened.gini, decileFigures.gini);
  // The reopened data keeps its purchase days: saved again, they are the same.
  await page.click('[data-view="data"]');
  await page.waitForSelector('[data-panel="workspace"]');
  const wasOpen = await page.$eval('[data-panel="workspace"]', (panel) => panel.open);
  if (!wasOpen) await page.click('[data-panel="workspace"] > summary');
  const again = page.waitForEvent('download');
  await page.click('[data-action="save-workspace"]');
  const resaved = JSON.parse(readFileSync(await (await again).path(), 'utf8'));
  assert.deepEqual(resaved.data.history, parsed.data.history);
  if (!wasOpen) await page.click('[data-panel="workspace"] > summary');

  await page.click('[data-view="data"]');
  const newer = JSON.stringify({ ...parsed, version: 99 });
  await page.click('[data-panel="workspace"] > summary');
  await page.setInputFiles('[data-input="workspace-file"]', { name: 'new.valuelens.json', mimeType: 'application/json', buffer: Buffer.from(newer) });
  await page.waitForSelector('[data-workspace-error]');
  assert.match(await page.textContent('[data-workspace-error]'), /newer ValueLens \(version 99\)/);
  assert.equal((await metrics(page)).customers, 600, 'the open data set survives');
  await second.close();
});

test('hostile workspace files are refused with a clear message: no panic, no hang, the page keeps working (issue 18)', async () => {
  const first = await openApp(app, { locale: 'en-US' });
  await first.page.click('[data-action="load-sample"]');
  await waitForAnalysis(first.page);
  await first.page.click('[data-panel="workspace"] > summary');
  const pending = first.page.waitForEvent('download');
  await first.page.click('[data-action="save-workspace"]');
  const saved = JSON.parse(readFileSync(await (await pending).path(), 'utf8'));
  await first.close();

  const copy = () => JSON.parse(JSON.stringify(saved));
  // Months of −2^31 and 2^31 − 1 (the page panicked with `capacity overflow`).
  const months = copy();
  months.data.customers.months[0] = -2147483648;
  months.data.customers.months[1] = 2147483647;
  // Month sales of 1.7e308, whose sum is infinite (the tab hung for 15 minutes).
  const huge = copy();
  const c = huge.data.customers;
  const count = c.month_counts[0];
  for (let i = 0; i < count; i++) c.month_sales[i] = 1.7e308;
  c.sales[0] = 1.7e308;
  // 20,000 competitors (the SWOT view froze for 25–37 s after every reload).
  const boards = copy();
  boards.swot.competitors = Array.from({ length: 20000 }, (_, i) => ({ id: 10 + i, name: `C${i}`, items: [] }));
  boards.swot.next_id = 20010;
  // Purchase days that are not base64, and lengths that do not add up (issue 14).
  const days = copy();
  days.data.history.bytes = 'not base64!';
  const lengths = copy();
  lengths.data.history.lengths[0] += 1;

  const session = await openApp(app, { locale: 'en-US' });
  const { page } = session;
  await page.click('[data-panel="workspace"] > summary');
  for (const [name, json, message] of [
    ['months', months, /month: -2147483648 is out of range/],
    ['huge', huge, /net sales: 17\d+ is out of range/],
    ['boards', boards, /Competitors: 20000, more than the 50 allowed/],
    ['days', days, /purchase days: cannot be read/i],
    ['lengths', lengths, /lengths of the purchase-day records: the figures do not agree/i],
  ]) {
    const started = Date.now();
    await page.setInputFiles('[data-input="workspace-file"]', { name: `${name}.valuelens.json`, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(json)) });
    await page.waitForFunction((re) => new RegExp(re).test(document.querySelector('[data-workspace-error]')?.textContent ?? ''), message.source, { timeout: 10000 });
    assert.ok(Date.now() - started < 10000, `${name} took ${Date.now() - started} ms`);
  }
  // The page still works: the sample loads and analyses.
  await page.click('[data-action="load-sample"]');
  await waitForAnalysis(page);
  assert.equal((await metrics(page)).customers, 600);
  assert.deepEqual(session.problems, [], 'no panic, no console error');
  await session.close();
});

/**
 * The page's IndexedDB session records: `{ key: kind and size }`. A value stored in pieces (a
 * note `[count, bytes]` under its key, the pieces under `KEY/000000`, …) is read back whole, as
 * `{ bytes, text, pieces }`; pieces no note names are listed as records of their own.
 */
async function sessionRecords(page) {
  const out = await rawSessionRecords(page);
  for (const [key, record] of Object.entries(out)) {
    if (!Array.isArray(record.text)) continue;
    const [count, length] = record.text;
    const names = Array.from({ length: count }, (_, i) => `${key}/${String(i).padStart(6, '0')}`);
    const bytes = Buffer.concat(names.map((name) => Buffer.from(out[name]?.raw ?? [])));
    names.forEach((name) => delete out[name]);
    assert.equal(bytes.length, length, `${key}: the pieces hold the bytes the note names`);
    out[key] = { bytes: bytes.length, text: bytes.toString('utf8'), pieces: count };
  }
  for (const record of Object.values(out)) delete record.raw;
  return out;
}

/** The records as stored: `{ key: { bytes, text, raw } }` for bytes, `{ text: value }` else. */
async function rawSessionRecords(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('valuelens');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const store = db.transaction('session').objectStore('session');
          const out = {};
          const cursor = store.openCursor();
          cursor.onsuccess = () => {
            const c = cursor.result;
            if (!c) {
              db.close();
              return resolve(out);
            }
            const v = c.value;
            out[c.key] = v instanceof Uint8Array ? { bytes: v.length, text: new TextDecoder().decode(v), raw: [...v] } : { text: v };
            c.continue();
          };
        };
      }),
  );
}

test('the session keeps the data in a record of its own, written once per data set; a session saved the old way restores', async () => {
  const session = await openApp(app, { locale: 'en-US' });
  const { page } = session;
  await page.click('[data-action="load-sample"]');
  await waitForAnalysis(page);
  const shown = await metrics(page);
  await page.waitForTimeout(1500);
  const first = await sessionRecords(page);
  // The parameters as text without the data; the data as bytes of its JSON (the sample's 600).
  const params = JSON.parse(first['last-session'].text);
  assert.equal(params.data, null);
  const data = JSON.parse(first['last-session-data'].text);
  assert.ok(first['last-session-data'].bytes > 10_000);
  assert.equal(data.customers.ids.length, 600);
  assert.ok(data.file_name.endsWith('.csv'));

  // A parameter edited: its record changes, the data's is not written again.
  await page.evaluate(() => {
    window.__puts = [];
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (value, key) {
      window.__puts.push(key);
      return put.call(this, value, key);
    };
  });
  await page.click('[data-view="deciles"]');
  await page.fill('[data-param="retain_sales_share"]', '20');
  await page.dispatchEvent('[data-param="retain_sales_share"]', 'change');
  await page.waitForTimeout(1500);
  assert.deepEqual(await page.evaluate(() => window.__puts), ['last-session']);
  const edited = await sessionRecords(page);
  assert.equal(JSON.parse(edited['last-session'].text).decile_config.retain_sales_share, 0.2);
  assert.equal(edited['last-session-data'].text, first['last-session-data'].text);

  // A session of the old form (one record, the data inside), as a workspace file holds it.
  await page.click('[data-view="data"]');
  await page.waitForSelector('[data-panel="workspace"]');
  if (!(await page.$eval('[data-panel="workspace"]', (panel) => panel.open))) await page.click('[data-panel="workspace"] > summary');
  const pending = page.waitForEvent('download');
  await page.click('[data-action="save-workspace"]');
  const whole = readFileSync(await (await pending).path(), 'utf8');
  assert.ok(JSON.parse(whole).data.customers.ids.length === 600);
  const fresh = await openApp(app, { locale: 'en-US' });
  await fresh.page.evaluate(
    (whole) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('valuelens', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('session');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction('session', 'readwrite');
          tx.objectStore('session').put(whole, 'last-session');
          tx.objectStore('session').delete('last-session-data');
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    whole,
  );
  await fresh.page.reload();
  await fresh.page.waitForSelector('[data-notice]');
  const restored = await metrics(fresh.page);
  for (const name of ['customers', 'total_sales', 'orders']) assert.equal(restored[name], shown[name], name);
  // Saved again the new way, it comes back after a second reload too.
  await fresh.page.waitForTimeout(2000);
  assert.ok((await sessionRecords(fresh.page))['last-session-data']?.bytes > 10_000);
  await fresh.page.reload();
  await fresh.page.waitForSelector('[data-notice]');
  const again = await metrics(fresh.page);
  for (const name of ['customers', 'total_sales', 'orders']) assert.equal(again[name], shown[name], name);
  assert.deepEqual(session.problems, []);
  assert.deepEqual(fresh.problems, []);
  await fresh.close();
  await session.close();
});

test('a session of 30,000 customers is kept in pieces and comes back whole after a reload', async () => {
  const session = await openApp(app, { locale: 'en-US' });
  const { page } = session;
  // 30,000 customers, two orders each in two months: a data record of several MB.
  const lines = ['customer,order,date,amount,profit'];
  for (let c = 0; c < 30_000; c++) {
    lines.push(`C${c},A${c},2024-0${1 + (c % 9)}-1${c % 10},${(c % 97) + 1}.25,${c % 13}`);
    lines.push(`C${c},B${c},2024-1${c % 3}-2${c % 8},${(c % 41) + 3}.5,${c % 7}`);
  }
  await page.setInputFiles('[data-input="file"]', { name: 'many.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
  await waitForAnalysis(page);
  const shown = await metrics(page);
  assert.equal(shown.customers, 30_000);
  // Written 0.8 s after the import, a slice of customers a task, then in pieces of 2 MiB.
  let records = {};
  for (let i = 0; i < 60 && !(records['last-session-data']?.pieces > 0); i++) {
    await page.waitForTimeout(500);
    records = await sessionRecords(page);
  }
  const stored = records['last-session-data'];
  assert.ok(stored.pieces >= 2, `pieces: ${stored.pieces}, bytes ${stored.bytes}`);
  const data = JSON.parse(stored.text);
  assert.equal(data.customers.ids.length, 30_000);
  assert.equal(data.customers.month_counts.reduce((a, b) => a + b, 0), data.customers.months.length);
  assert.deepEqual(Object.keys(records).sort(), ['last-session', 'last-session-data']);
  await page.reload();
  await page.waitForSelector('[data-notice]');
  const restored = await metrics(page);
  for (const name of ['customers', 'total_sales', 'orders']) assert.equal(restored[name], shown[name], name);
  assert.deepEqual(session.problems, []);
  await session.close();
});

test('the last session keeps the survey in a record of its own, written when it or its parameters change, not at every change', async () => {
  // Every write to the session's store, by key (the parameters' record is written at every
  // change: a large survey in it held the page for over half a second each time).
  const session = await openApp(app, {
    locale: 'en-US',
    init: () => {
      window.__puts = {};
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (value, key) {
        window.__puts[key] = (window.__puts[key] ?? 0) + 1;
        return put.call(this, value, key);
      };
    },
  });
  const { page } = session;
  const puts = () => page.evaluate(() => ({ ...window.__puts }));
  await page.click('[data-action="load-sample"]');
  await waitForAnalysis(page);
  await page.setInputFiles('[data-input="survey-file"]', join(FIXTURES, 'survey', 'nps_en.csv'));
  await page.waitForSelector('[data-facts="survey"]');
  await page.click('[data-view="loyalty"]');
  await page.fill('[data-param="loyal_min_orders"]', '4');
  await page.dispatchEvent('[data-param="loyal_min_orders"]', 'change');
  await page.waitForSelector('[data-metric="nps"]');
  const figures = await metrics(page);
  await page.waitForTimeout(1500);
  let records = await sessionRecords(page);
  const parameters = JSON.parse(records['last-session'].text);
  assert.equal(parameters.survey, null, 'the parameters record holds no survey');
  // The survey record names the file and its parameters; the file's bytes are kept as they
  // are, in a record of their own (read again at the restore).
  const kept = JSON.parse(records['last-session-survey'].text);
  assert.equal(kept.file_name, 'nps_en.csv');
  assert.equal(kept.config.loyal_min_orders, 4);
  assert.equal(kept.survey, undefined, 'the survey is not kept as JSON');
  assert.equal(
    records['last-session-survey-file'].text,
    readFileSync(join(FIXTURES, 'survey', 'nps_en.csv'), 'utf8'),
  );
  const before = await puts();
  assert.ok(before['last-session-survey'] >= 1, JSON.stringify(before));

  // A decile parameter changed: the parameters are written again, the survey is not.
  await page.click('[data-view="deciles"]');
  await page.fill('[data-param="retain_sales_share"]', '20');
  await page.dispatchEvent('[data-param="retain_sales_share"]', 'change');
  await page.waitForTimeout(1500);
  const after = await puts();
  assert.ok(after['last-session'] > before['last-session'], JSON.stringify({ before, after }));
  assert.equal(after['last-session-survey'], before['last-session-survey'], JSON.stringify({ before, after }));

  // After a reload (on the data page, where the notice shows): the survey, its parameter and
  // the decile parameter are back, with the same figures; the survey record is not written
  // again.
  await page.click('[data-view="data"]');
  await page.reload();
  await page.waitForSelector('[data-notice]');
  await page.click('[data-view="loyalty"]');
  await page.waitForSelector('[data-metric="nps"]');
  assert.equal(await page.inputValue('[data-param="loyal_min_orders"]'), '4');
  const back = await metrics(page);
  for (const name of Object.keys(figures).filter((n) => /^(survey_|nps$|loyalty_)/.test(n))) {
    assert.equal(back[name], figures[name], name);
  }
  assert.ok(Object.keys(figures).some((n) => n === 'nps'));
  await page.click('[data-view="deciles"]');
  assert.equal(await page.inputValue('[data-param="retain_sales_share"]'), '20');
  await page.waitForTimeout(1500);
  const restoredPuts = await puts();
  for (const key of ['last-session-survey', 'last-session-survey-file']) {
    assert.equal(restoredPuts[key] ?? 0, 0, `restored, ${key} is not written again`);
  }

  // The survey removed: its record is emptied, and a reload brings no survey back.
  await page.click('[data-view="data"]');
  await page.click('[data-action="remove-survey"]');
  await page.waitForTimeout(1500);
  records = await sessionRecords(page);
  assert.equal(records['last-session-survey'].text, '');
  assert.equal(records['last-session-survey-file'].bytes, 0);
  await page.reload();
  await page.waitForSelector('[data-notice]');
  assert.equal(await page.$('[data-facts="survey"]'), null, 'no survey after the reload');
  await session.close();
});
