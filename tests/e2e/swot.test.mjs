// Issue 6 (SWOT): a Chinese SWOT CSV with two respondents through the real page; totals, means
// and spread, the strategic position; editing by keyboard; competitors and highlighting; bad
// rows; export and re-import; hints from the customer data; saved across a reload.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, close, metrics, openApp, startApp, waitForAnalysis } from './harness.mjs';

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

const SWOT = join(FIXTURES, 'swot');

async function openSwot(locale) {
  const session = await openApp(app, { locale });
  await session.page.click('[data-view="swot"]');
  await session.page.waitForSelector('[data-view-content="swot"]');
  return session;
}

test('a Chinese SWOT CSV with two respondents: totals, means, spread, position; kept after reload', async () => {
  const session = await openSwot('zh-CN');
  const { page } = session;
  await page.setInputFiles('[data-input="swot-file"]', join(SWOT, 'zh_cn_two_respondents.csv'));
  await page.waitForSelector('[data-swot-import]');
  // By hand: S = 品牌 (8+9)/2 + 渠道 (7+6)/2 + 售后 (6+8)/2 = 8.5 + 6.5 + 7 = 22;
  // W = (7+5)/2 + (6+8)/2 = 13; O = (8+7)/2 = 7.5; T = (6+9)/2 + (5+6)/2 = 13.
  // Position: x = S − W = 9, y = O − T = −5.5 → ST.
  const expected = { swot_total_S: 22, swot_total_W: 13, swot_total_O: 7.5, swot_total_T: 13, swot_position_x: 9, swot_position_y: -5.5 };
  const check = async () => {
    const shown = await metrics(page);
    for (const [name, value] of Object.entries(expected)) assert.ok(close(shown[name], value), `${name}: ${shown[name]} vs ${value}`);
    assert.equal(await page.getAttribute('[data-tows]', 'data-tows'), 'ST');
  };
  await check();
  assert.equal(await page.getAttribute('[data-swot-import]', 'data-rows-read'), '16');
  assert.equal(await page.getAttribute('[data-swot-import]', 'data-rows-rejected'), '0');
  const strengths = await page.textContent('[data-quadrant="S"]');
  assert.ok(strengths.includes('2 评分人 · 8–9'), strengths);
  await page.reload();
  await page.waitForSelector('[data-view-content="swot"]');
  await check();
  assert.deepEqual(session.problems, []);
  await session.close();
});

test('items are added by keyboard; scores outside 1–10 are refused, never clamped', async () => {
  const session = await openSwot('en-US');
  const { page } = session;
  await page.click('[data-action="clear-swot"]');
  await page.fill('[data-new-item="S"]', 'Strong brand');
  await page.fill('[data-new-score="S"]', '11');
  await page.press('[data-new-score="S"]', 'Enter');
  await page.waitForSelector('[data-swot-error]');
  assert.match(await page.textContent('[data-swot-error]'), /score/i);
  assert.equal((await metrics(page)).swot_total_S, 0);
  await page.fill('[data-new-score="S"]', '8');
  await page.press('[data-new-item="S"]', 'Enter');
  await page.fill('[data-new-item="W"]', 'Slow delivery');
  await page.fill('[data-new-score="W"]', '6');
  await page.press('[data-new-item="W"]', 'Enter');
  await page.waitForFunction(() => document.querySelector('[data-metric="swot_total_W"]').dataset.value === '6');
  let shown = await metrics(page);
  assert.equal(shown.swot_total_S, 8);
  assert.equal(shown.swot_position_x, 2);

  // Competitor A is weaker in strengths but has fewer weaknesses: stronger there.
  await page.click('[data-board="A"]');
  await page.fill('[data-new-item="S"]', 'Low prices');
  await page.fill('[data-new-score="S"]', '5');
  await page.press('[data-new-item="S"]', 'Enter');
  await page.fill('[data-new-item="W"]', 'Small range');
  await page.fill('[data-new-score="W"]', '2');
  await page.press('[data-new-item="W"]', 'Enter');
  await page.waitForFunction(() => document.querySelector('[data-metric="swot_total_W:A"]').dataset.value === '2');
  shown = await metrics(page);
  assert.equal(shown['swot_total_S:A'], 5);
  assert.equal(await page.getAttribute('[data-metric="swot_total_S:A"]', 'data-stronger'), 'false');
  assert.equal(await page.getAttribute('[data-metric="swot_total_W:A"]', 'data-stronger'), 'true');
  await session.close();
});

test('bad rows are listed with line and column; export re-imports to the same totals', async () => {
  const session = await openSwot('en-US');
  const { page } = session;
  await page.setInputFiles('[data-input="swot-file"]', join(SWOT, 'bad_rows.csv'));
  await page.waitForSelector('[data-swot-import]');
  assert.ok(Number(await page.getAttribute('[data-swot-import]', 'data-rows-rejected')) > 5);
  const report = await page.textContent('[data-swot-import]');
  assert.match(report, /line 3, column 'score'/);

  await page.setInputFiles('[data-input="swot-file"]', join(SWOT, 'zh_cn_two_respondents.csv'));
  await page.waitForFunction(() => document.querySelector('[data-metric="swot_total_S"]').dataset.value === '22');
  const before = await metrics(page);
  const pending = page.waitForEvent('download');
  await page.click('[data-action="export-swot"]');
  const path = await (await pending).path();
  assert.ok(readFileSync(path, 'utf8').startsWith('\ufeff'));
  await page.click('[data-action="clear-swot"]');
  await page.waitForFunction(() => document.querySelector('[data-metric="swot_total_S"]').dataset.value === '0');
  await page.setInputFiles('[data-input="swot-file"]', { name: 'swot.csv', mimeType: 'text/csv', buffer: readFileSync(path) });
  await page.waitForFunction(() => document.querySelector('[data-metric="swot_total_S"]').dataset.value === '22');
  const after = await metrics(page);
  for (const key of ['swot_total_S', 'swot_total_W', 'swot_total_O', 'swot_total_T']) assert.equal(after[key], before[key], key);
  await session.close();
});

test('hints from the customer data are added only by a click', async () => {
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  await page.click('[data-action="load-sample"]');
  await waitForAnalysis(page);
  await page.click('[data-view="swot"]');
  await page.click('[data-action="clear-swot"]');
  await page.waitForSelector('[data-panel="swot-hints"] [data-hint]');
  assert.equal((await metrics(page)).swot_total_T + (await metrics(page)).swot_total_S, 0, 'nothing added by itself');
  const hint = await page.$('[data-panel="swot-hints"] [data-hint]');
  const text = await hint.textContent();
  await hint.$eval('[data-action="add-hint"]', (b) => b.click());
  await page.waitForFunction(() => [...document.querySelectorAll('[data-quadrant] input.vl-swot__text')].some((i) => i.value.length > 0 && !i.dataset.newItem));
  const values = await page.$$eval('[data-quadrant] li input.vl-swot__text', (inputs) => inputs.map((i) => i.value));
  assert.ok(values.some((v) => text.includes(v)), `${values} in ${text}`);
  await session.close();
});

test('an empty SWOT view says nothing is scored and offers the example board in the language of the UI', async () => {
  for (const [locale, us, competitor] of [['zh-CN', '我方', '竞争对手甲（连锁店）'], ['en-US', 'Us', 'Competitor A (chain store)']]) {
    const session = await openSwot(locale);
    const { page } = session;
    // Nothing scored: a note, not an empty 0–1 chart.
    await page.waitForSelector('[data-empty="swot-comparison"]');
    assert.equal(await page.$('[data-table="swot-comparison"] svg'), null);
    await page.click('[data-action="load-swot-example"]');
    await page.waitForSelector('[data-table="swot-comparison"] svg');
    assert.equal(await page.$('[data-empty="swot-comparison"]'), null);
    assert.equal(await page.$('[data-action="load-swot-example"]'), null, 'offered only while the workbench is empty');
    // The totals the page shows are the sums of the item scores it shows on our board.
    const scores = await page.$$eval('.vl-swot__quadrant', (quadrants) =>
      Object.fromEntries(quadrants.map((q) => [q.dataset.quadrant, [...q.querySelectorAll('input.vl-swot__score:not([data-new-score])')].reduce((sum, i) => sum + Number(i.value), 0)])),
    );
    const shown = await metrics(page);
    for (const letter of ['S', 'W', 'O', 'T']) {
      assert.ok(scores[letter] > 0, `${letter} has items`);
      assert.ok(close(shown[`swot_total_${letter}`], scores[letter]), `${letter}: ${shown[`swot_total_${letter}`]} vs ${scores[letter]}`);
    }
    const table = await page.textContent('[data-table="swot-comparison"]');
    assert.ok(table.includes(us) && table.includes(competitor), `${locale}: ${table.slice(0, 200)}`);
    assert.deepEqual(session.problems, []);
    await session.close();
  }
});
