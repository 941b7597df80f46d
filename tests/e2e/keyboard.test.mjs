// Issue 19 (accessibility): the whole job without a mouse. Only page.keyboard drives the page:
// open the file picker, confirm the mapping, switch views, sort a table, change an RFM parameter,
// export a CSV, add and edit a SWOT score, print the report. Every element the keyboard reaches
// shows a focus ring (:focus-visible with an outline or a box-shadow, on an element that is on
// screen), and focus moves to the mapping step, the results or the error when an import changes
// state.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, metrics, openApp, screenshot, startApp, waitForAnalysis } from './harness.mjs';

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

// Runs before the app: window.print counts its calls instead of opening the print dialog.
function stubPrint() {
  window.__printed = 0;
  window.print = () => {
    window.__printed += 1;
  };
}

/** What has focus, and whether its focus ring shows. */
function focusState() {
  const el = document.activeElement;
  if (!el || el === document.body) return { none: true };
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const shadow = style.boxShadow !== 'none';
  return {
    none: false,
    describe: `${el.tagName.toLowerCase()}${el.dataset.action ? `[data-action=${el.dataset.action}]` : ''}${el.dataset.view ? `[data-view=${el.dataset.view}]` : ''} "${(el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 40)}"`,
    // A date field keeps focus in its parts (day, month, year): the field is ringed while one has it.
    visible: el.matches(':focus-visible') || el.matches('input[type="date"]:focus-within'),
    ring: outline || shadow,
    outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
    onScreen: box.width > 0 && box.height > 0,
  };
}

async function assertRing(page, where) {
  const f = await page.evaluate(focusState);
  assert.ok(!f.none, `${where}: something has focus`);
  assert.ok(f.visible, `${where}: ${f.describe} matches :focus-visible`);
  assert.ok(f.ring, `${where}: ${f.describe} shows a ring (outline ${f.outline})`);
  assert.ok(f.onScreen, `${where}: ${f.describe} is on screen`);
  return f;
}

/** Presses Tab (or Shift+Tab) until `selector` has focus, checking the ring at every stop. */
async function tabTo(page, selector, { back = false, max = 250 } = {}) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await page.evaluate(focusState);
    if (!f.none) await assertRing(page, `tabbing to ${selector}`);
  }
  assert.fail(`${selector} not reached with ${back ? 'Shift+Tab' : 'Tab'}`);
}

async function focused(page, selector) {
  return page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);
}

/** Switches view from the navigation, by keyboard (the nav is above everything else). */
async function goTo(page, view) {
  await tabTo(page, `.vl-nav [data-view="${view}"]`, { back: true });
  await page.keyboard.press('Enter');
  await page.waitForSelector(`[data-view-content="${view}"]`);
  assert.ok(await focused(page, `.vl-nav [data-view="${view}"]`), 'focus stays on the link');
  assert.equal(await page.getAttribute(`.vl-nav [data-view="${view}"]`, 'aria-current'), 'page');
}

test('the whole job by keyboard, with a visible focus ring throughout', async () => {
  const session = await openApp(app, { locale: 'en-US', init: stubPrint });
  const { page } = session;

  // 1. The file picker: a real button that opens the hidden input.
  // (Waiting for the chooser first turns on Playwright's interception of the dialog.)
  const chooser = page.waitForEvent('filechooser');
  await tabTo(page, '[data-action="choose-file"]');
  await page.keyboard.press('Enter');
  await (await chooser).setFiles(join(FIXTURES, 'ingest', 'dates_ambiguous.csv'));

  // 2. Ambiguous dates stop at the mapping step, and focus goes there.
  await page.waitForSelector('[data-panel="mapping"][open] [data-concerns]');
  await page.waitForFunction(() => document.activeElement?.matches('[data-panel="mapping"] > summary'));
  await assertRing(page, 'the mapping step');
  // Month first, chosen by keyboard on the select, then confirmed.
  await tabTo(page, '[data-setting="date-order"]');
  const order = () => page.$eval('[data-setting="date-order"]', (s) => s.value);
  for (let i = 0; i < 4 && (await order()) !== 'month-first'; i++) await page.keyboard.press('ArrowDown');
  await assertRing(page, 'the date order');
  assert.equal(await page.$eval('[data-setting="date-order"]', (s) => s.value), 'month-first');
  await tabTo(page, '[data-action="import"]');
  await page.keyboard.press('Enter');
  await waitForAnalysis(page);

  // 3. Focus goes to the results heading when the import finishes.
  await page.waitForFunction(() => document.activeElement?.dataset.focus === 'results');
  await assertRing(page, 'the results heading');
  assert.equal((await page.textContent('.vl-strip__period')).trim(), '2 Jan 2024 – 6 May 2024');
  assert.equal((await metrics(page)).customers, 2);
  await screenshot(page, 'keyboard-results');

  // The sample, for views with more in them: the button, by keyboard.
  await tabTo(page, '[data-action="load-sample"]', { back: true });
  await page.keyboard.press('Enter');
  await waitForAnalysis(page, 2);
  await page.waitForFunction(() => document.activeElement?.dataset.focus === 'results');

  // 4. Switch views and sort a table (the customers of a decile group, by sales).
  await goTo(page, 'deciles');
  await tabTo(page, '[data-table="group-customers"] [data-sort="sales"]');
  const th = '[data-table="group-customers"] th:has([data-sort="sales"])';
  const sortBefore = await page.getAttribute(th, 'aria-sort');
  await page.keyboard.press('Enter');
  await page.waitForFunction(([s, b]) => document.querySelector(s)?.getAttribute('aria-sort') !== b, [th, sortBefore]);
  const sortAfter = await page.getAttribute(th, 'aria-sort');
  assert.notEqual(sortAfter, 'none');
  const sales = await page.$$eval('[data-table="group-customers"] tbody tr', (rows) => {
    const header = [...document.querySelectorAll('[data-table="group-customers"] thead th')];
    const col = header.findIndex((h) => h.querySelector('[data-sort="sales"]'));
    return rows.map((r) => Number(r.children[col].textContent.replace(/[^0-9.-]/g, '')));
  });
  const sorted = [...sales].sort((a, b) => (sortAfter === 'ascending' ? a - b : b - a));
  assert.deepEqual(sales, sorted, `rows sorted ${sortAfter}`);
  await assertRing(page, 'the sort button after sorting');

  // 5. Change an RFM parameter: ten bins, with the arrow keys on the select.
  await goTo(page, 'rfm');
  await tabTo(page, '[data-param="bins"]');
  assert.equal(await page.$eval('[data-param="bins"]', (s) => s.value), '5');
  await page.keyboard.press('ArrowDown');
  await page.waitForSelector('[data-metric="rfm_threshold_f_9"]');
  assert.equal(await page.$eval('[data-param="bins"]', (s) => s.value), '10');

  // 6. Export a CSV: the segment table.
  await tabTo(page, '[data-table-csv="rfm-segments"]');
  const download = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  const file = await download;
  assert.equal(file.suggestedFilename(), 'rfm-segments.csv');
  const csv = readFileSync(await file.path(), 'utf8');
  assert.ok(csv.split('\n').length > 3, csv);

  // 7. SWOT: add a strength with its score, then edit the score.
  await goTo(page, 'swot');
  await tabTo(page, '[data-new-item="S"]');
  await page.keyboard.type('Strong brand');
  await page.keyboard.press('Tab');
  assert.ok(await focused(page, '[data-new-score="S"]'));
  await assertRing(page, 'the new score');
  await page.keyboard.type('7');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => Number(document.querySelector('[data-metric="swot_total_S"]')?.dataset.value) === 7);
  await tabTo(page, '[data-quadrant="S"] [data-score]', { back: true });
  await page.keyboard.press('Control+A');
  await page.keyboard.type('9');
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => Number(document.querySelector('[data-metric="swot_total_S"]')?.dataset.value) === 9);
  await assertRing(page, 'after editing the score');
  await screenshot(page, 'keyboard-swot');

  // 8. Print the report.
  await goTo(page, 'report');
  await tabTo(page, '[data-action="print-report"]');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.__printed === 1);
  await assertRing(page, 'the print button');

  assert.deepEqual(session.problems, []);
  await session.close();
});

test('focus goes to the error when an import fails, and the failure is said assertively', async () => {
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  // (Waiting for the chooser first turns on Playwright's interception of the dialog.)
  const chooser = page.waitForEvent('filechooser');
  await tabTo(page, '[data-action="choose-file"]');
  await page.keyboard.press('Enter');
  await (await chooser).setFiles(join(FIXTURES, 'ingest', 'header_only.csv'));
  await page.waitForSelector('[data-live="alert"] [data-status="failed"]');
  await page.waitForFunction(() => document.activeElement?.dataset.status === 'failed');
  await assertRing(page, 'the error message');
  const text = await page.evaluate(() => document.activeElement.textContent);
  assert.match(text, /header_only\.csv/);
  await screenshot(page, 'keyboard-failed');
  // The keyboard goes on from there: the next Tab lands on a control again.
  await page.keyboard.press('Tab');
  await assertRing(page, 'the control after the error');
  assert.deepEqual(session.problems, []);
  await session.close();
});
