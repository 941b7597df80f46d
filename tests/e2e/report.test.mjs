// Issue 7 (report): the printable report of the sample, printed to PDF by headless Chromium; the
// page count and the text are checked and every page is kept as a PNG under test-artifacts/report/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, FIXTURES, openApp, startApp, waitForAnalysis } from './harness.mjs';

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

async function printReport(page, name) {
  const dir = join(ARTIFACTS, 'report', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const pdfPath = join(dir, `${name}.pdf`);
  await page.emulateMedia({ media: 'print' });
  writeFileSync(pdfPath, await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true }));
  await page.emulateMedia({ media: 'screen' });
  const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' }))[1]);
  execFileSync('pdftoppm', ['-png', '-r', '60', pdfPath, join(dir, 'page')]);
  const pngs = readdirSync(dir).filter((f) => f.endsWith('.png'));
  return { text, pages, pngs };
}

for (const [locale, expected] of [
  ['zh-CN', { title: '客户价值分析报告', words: ['执行摘要', '购买十分位分析', 'RFM 分析', '冠军客户', 'SWOT 分析打分', '战略定位', '品牌知名度高', '方法说明', '基尼系数', '拒绝行数', 'UTF-8', '数据只在本机浏览器中处理'] }],
  ['en-US', { title: 'Customer value analysis', words: ['Executive summary', 'Purchase decile analysis', 'RFM analysis', 'Champions', 'Method notes', 'Gini coefficient', 'Rows rejected', 'UTF-8'] }],
]) {
  test(`the report prints to A4 PDF (${locale}) with cover, summary, deciles and method notes`, async () => {
    const session = await openApp(app, { locale });
    const { page } = session;
    await page.click('[data-action="load-sample"]');
    await waitForAnalysis(page);
    if (locale === 'zh-CN') {
      await page.click('[data-view="swot"]');
      await page.setInputFiles('[data-input="swot-file"]', join(FIXTURES, 'swot', 'zh_cn_two_respondents.csv'));
      await page.waitForSelector('[data-swot-import]');
    }
    await page.click('[data-view="report"]');
    await page.waitForSelector('#vl-report');
    await page.fill('[data-cover="client"]', locale === 'zh-CN' ? '华东贸易有限公司' : 'Acme Trading Ltd');
    await page.fill('[data-cover="analyst"]', 'Li Wei');
    await page.waitForFunction(() => document.querySelector('[data-report-client]').textContent !== '–');

    const { text, pages, pngs } = await printReport(page, `sample-${locale}`);
    // Cover, summary, deciles, RFM, SWOT (Chinese run only), method notes: each starts a page.
    assert.ok(pages >= (locale === 'zh-CN' ? 6 : 5) && pages <= 14, `page count ${pages}`);
    assert.equal(pngs.length, pages);
    const flat = text.replace(/\s+/g, '');
    for (const word of [expected.title, ...expected.words]) {
      assert.ok(flat.includes(word.replace(/\s+/g, '')), `the PDF says "${word}"`);
    }
    assert.ok(flat.includes(locale === 'zh-CN' ? '华东贸易有限公司' : 'AcmeTradingLtd'));
    // No UI chrome on paper.
    assert.ok(!flat.includes(locale === 'zh-CN' ? '试用示例数据' : 'Trythesampledata'));
    assert.deepEqual(session.problems, []);
    await session.close();
  });
}

test('the report saves as one self-contained HTML file without scripts', async () => {
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  await page.click('[data-action="load-sample"]');
  await waitForAnalysis(page);
  await page.click('[data-view="report"]');
  await page.waitForSelector('#vl-report');
  const pending = page.waitForEvent('download');
  await page.click('[data-action="save-report-html"]');
  const file = await pending;
  const html = readFileSync(await file.path(), 'utf8');
  assert.ok(html.startsWith('<!DOCTYPE html>'));
  assert.ok(html.includes('执行摘要') && html.includes('<svg'));
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /(src|href)="https?:/i, 'no external reference');
  assert.ok(html.includes('.vl-report__paper'), 'styles inlined');
  await session.close();
});
