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

/** Records, in the page, the report sections each mutation batch (one per task) added. */
function recordSections() {
  window.__sectionBatches = [];
  const observer = new MutationObserver((records) => {
    const added = [];
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType !== 1) continue;
        const found = node.matches('[data-report-section]') ? [node] : [...node.querySelectorAll('[data-report-section]')];
        added.push(...found.map((el) => el.dataset.reportSection));
      }
    }
    if (added.length) window.__sectionBatches.push(added);
  });
  document.addEventListener('DOMContentLoaded', () => observer.observe(document.body, { childList: true, subtree: true }));
}

test('the report is built one section a task; printed or saved at once, it is whole', async () => {
  const session = await openApp(app, { locale: 'en-US', init: recordSections });
  const { page } = session;
  await page.click('[data-action="load-sample"]');
  await waitForAnalysis(page);

  // Opened: cover, summary and method notes at once, then one section a task, in their order.
  await page.evaluate(() => {
    window.__sectionBatches = [];
  });
  await page.click('[data-view="report"]');
  await page.waitForSelector('#vl-report[aria-busy="false"]');
  await page.waitForSelector('[data-report-section="rfm"]');
  const batches = await page.evaluate(() => window.__sectionBatches);
  assert.deepEqual(batches[0], ['cover', 'summary', 'methods'], JSON.stringify(batches));
  const batchOf = (name) => batches.findIndex((b) => b.includes(name));
  assert.ok(batchOf('deciles') > 0, JSON.stringify(batches));
  assert.ok(batchOf('rfm') > batchOf('deciles'), `the RFM section a task after the deciles: ${JSON.stringify(batches)}`);
  assert.ok(batches.every((b) => b.filter((n) => !['cover', 'summary', 'methods'].includes(n)).length <= 1), JSON.stringify(batches));
  // The sections computed in workers come when their answers do.
  await page.waitForSelector('[data-report-section="lifecycle"]');
  await page.waitForSelector('[data-report-section="clv"]');
  const order = await page.$$eval('#vl-report [data-report-section]', (els) => els.map((el) => el.dataset.reportSection));
  assert.deepEqual(order.slice(0, 6), ['cover', 'summary', 'deciles', 'rfm', 'lifecycle', 'clv']);
  assert.equal(order.at(-1), 'methods');

  // Printing from the browser's menu as the report opens: every section is there first.
  await page.click('[data-view="data"]');
  // `then` runs when the report is added, in the task that built it (a MutationObserver's
  // callback, before any later task).
  const whenOpened = (then) =>
    new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (!document.querySelector('#vl-report')) return;
        observer.disconnect();
        resolve(then());
      });
      observer.observe(document.body, { childList: true, subtree: true });
      document.querySelector('a[data-view="report"]').click();
    });
  const printed = await page.evaluate(async (whenOpened) => {
    const opened = eval(whenOpened);
    const busy = await opened(() => {
      const busy = document.querySelector('#vl-report').getAttribute('aria-busy');
      window.dispatchEvent(new Event('beforeprint'));
      return busy;
    });
    // One task later the report would otherwise hold one more section only.
    await new Promise((done) => setTimeout(done, 0));
    return { busy, sections: [...document.querySelectorAll('#vl-report [data-report-section]')].map((el) => el.dataset.reportSection) };
  }, whenOpened.toString());
  assert.equal(printed.busy, 'true');
  // The lifecycle and the CLV fit, done before, are kept: opened again, the report does not
  // start them over (it did, and printed without the CLV section while it refitted).
  for (const name of order) assert.ok(printed.sections.includes(name), `printed with its ${name} section: ${printed.sections}`);

  // Saved as the report opens: the file holds every section.
  await page.click('[data-view="data"]');
  const pending = page.waitForEvent('download');
  await page.evaluate(async (whenOpened) => {
    await eval(whenOpened)(() => document.querySelector('[data-action="save-report-html"]').click());
  }, whenOpened.toString());
  const html = readFileSync(await (await pending).path(), 'utf8');
  for (const name of order) assert.ok(html.includes(`data-report-section="${name}"`), `the saved report has its ${name} section`);
  assert.deepEqual(session.problems, []);
  await session.close();
});
