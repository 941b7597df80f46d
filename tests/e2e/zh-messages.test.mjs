// Issue 12: a Chinese UI never shows an English sentence. With the page in Chinese (zh-CN), every
// error and hint a user can reach is brought up through the real page — files that cannot be
// imported, rejected rows of every kind, the mapping step's questions, parameters out of range,
// workspace files that cannot be opened, SWOT files and edits that are refused, a second file
// during an import — and the text shown is checked by one rule.
//
// THE RULE (the same as in tests/zh_messages.rs, which renders every variant natively):
// 1. Take what the user sees of the element: its rendered text (innerText; SVG text content) and
//    its title, aria-label, placeholder and alt attributes, and those of everything inside it.
// 2. Remove the user's own data: file names, column names and cell values of the file, board and
//    item names — each case lists them (`data`); no English word of ours may hide among them.
// 3. Remove the allowed tokens (ALLOWED): formats, encodings, methods and products that Chinese
//    text writes in Latin letters (CSV, GBK, UTF-8, RFM, SWOT, TOWS, Excel, ValueLens …).
//    Data and tokens are removed only where they stand as whole words (no Latin letter on either
//    side), longest first.
// 4. What is left must hold no English run: two or more Latin words of at least two letters
//    each (letters joined by `_` are one word, an identifier such as `grow_from_share`), with
//    nothing but ASCII spaces, digits, punctuation and one-letter words between them. Any
//    non-ASCII character — Chinese text, a Chinese quote mark, a bidi isolate — ends a run.
//    So `应为数字` passes, `参数“score”：` passes (one identifier), `expected a number` and
//    `line 5, column 3` fail.
//
// Leaks are collected over each test and reported together. COVERED lists the enum variants (and
// other texts) each test brings up; the last test checks that every one of them was seen, so a
// path that silently stops producing its message fails here too. Variants the page cannot reach
// (a worker that fails to start, a chart the drawing library refuses, an id that runs out, a
// column number beyond the file) are covered natively only.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, openApp, startApp, waitForAnalysis } from './harness.mjs';

/** Tokens Chinese text writes in Latin letters. Keep in step with ALLOWED in tests/zh_messages.rs. */
const ALLOWED = [
  'UTF-16', 'UTF-8', 'Big5', 'GBK', 'BOM', 'CSV', 'TSV', 'JSON', 'SVG', 'PNG', 'PDF', 'JPEG',
  'GIF', 'WebP', 'ZIP', 'gzip', 'RAR', '7-Zip', 'WebAssembly', 'SQLite', 'Excel', '.xlsx',
  '.xls', 'Office', 'RFM', 'SWOT', 'TOWS', 'SO', 'ST', 'WO', 'WT', 'Gini', 'ValueLens', 'MiB',
  'DuckDB', 'Spark', 'BG/NBD', 'Gamma-Gamma',
  // The encodings the mapping step offers, by their WHATWG names (ingest::encoding::OFFERED_ENCODINGS).
  'gb18030', 'UTF-16LE', 'UTF-16BE', 'windows-1252', 'Shift_JIS',
];

/** Every variant (and text) the tests below bring up, by the test that does. */
const COVERED = {
  'import errors': [
    'Error::EmptyFile', 'Error::HeaderOnly', 'Error::Binary(Png)', 'Error::Table(workbook named .csv)',
    'Error::Binary(Pdf)', 'Error::Binary(Gzip)', 'Error::TooManyColumns', 'Error::LineTooLong',
    'Error::AllRowsRejected', 'Error::NoCustomerColumn', 'Error::NoAmountColumn',
  ],
  'mapping step': [
    'Concern::AmbiguousDates', 'Concern::ConflictingDates', 'Concern::Missing',
    'Concern::Unsure', 'Concern::RunawayQuote', 'columns shown note',
  ],
  'rejected rows': [
    'RowProblem::NotADate', 'RowProblem::Missing', 'RowProblem::TooFewColumns',
    'RowProblem::NotANumber', 'RowProblem::ExtraColumns', 'RowProblem::SplitNumber',
    'RowProblem::BadEncoding', 'RowProblem::RecordTooLong', 'RowProblem::RunawayQuote',
    'runaway quotes notice',
  ],
  'second file and cancel': ['refusal', 'Job::Cancelled'],
  'deciles parameters': [
    'ParameterProblem::NotAFraction', 'ParameterProblem::NotAbove', 'ParameterProblem::NotBetween',
    'ParameterProblem::BelowMinimum',
  ],
  'RFM parameters and rules': [
    'ParameterProblem::BeforeLatestPurchase', 'ParameterProblem::RuleRange',
    'ParameterProblem::RuleNameEmpty', 'ParameterProblem::RuleNameTaken',
    'ParameterProblem::RuleNameReserved', 'ParameterProblem::RuleCount',
    'ParameterProblem::NoPurchaseDates',
  ],
  'SWOT import': [
    'RowProblem::ScoreOutOfRange', 'RowProblem::UnknownQuadrant', 'RowProblem::WeightOutOfRange',
    'RowProblem::DuplicateScore', 'Error::SwotColumnsMissing', 'Error::AllRowsRejected (SWOT)',
    'Error::EmptyFile (SWOT)', 'Error::Binary (SWOT)',
  ],
  'SWOT edits': [
    'ParameterProblem::NotAScore', 'ParameterProblem::NotAWeight', 'ParameterProblem::TextTaken',
    'ParameterProblem::MeansUs', 'ParameterProblem::NameTaken', 'ParameterProblem::EmptyName',
    'WorkspaceProblem::TooLong', 'SWOT hints', 'TOWS position',
  ],
  'workspace files': [
    'FormatProblem::Empty', 'FormatProblem::NotJson', 'FormatProblem::CutOff',
    'FormatProblem::NotAnObject', 'FormatProblem::NoFormatName', 'FormatProblem::OtherFormat',
    'InvalidContent::Shape', 'InvalidContent::VersionNotWhole', 'Error::NewerWorkspace',
    'WorkspaceProblem::OutOfRange', 'WorkspaceProblem::TooMany',
  ],
};

const seen = new Set();

function runs(text) {
  const found = [];
  let run = null;
  const close = () => {
    if (run && run.words >= 2) found.push(text.slice(run.start, run.end));
    run = null;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/[A-Za-z]/.test(c)) {
      const start = i;
      while (i < text.length && /[A-Za-z_]/.test(text[i])) i++;
      const long = i - start >= 2;
      if (run) {
        run.end = i;
        run.words += long ? 1 : 0;
      } else if (long) {
        run = { start, end: i, words: 1 };
      }
    } else if (c.charCodeAt(0) < 128) {
      i++;
    } else {
      close();
      i++;
    }
  }
  close();
  return found;
}

/** The English runs left in `text` once the user's `data` and the ALLOWED tokens are removed. */
export function englishRuns(text, data = []) {
  // Both removed only where they stand as whole words (no Latin letter on either side); a value
  // without a Latin letter cannot make an English run and is left alone.
  const words = (values) => [...values].filter((v) => /[A-Za-z]/.test(v ?? '')).sort((x, y) => y.length - x.length);
  let rest = text;
  for (const value of [...words(data), ...words(ALLOWED)]) {
    const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    rest = rest.replace(new RegExp(`(?<![A-Za-z])${escaped}(?![A-Za-z])`, 'g'), '');
  }
  return runs(rest);
}

test('the rule finds English runs and nothing else', () => {
  const cases = [
    ['第 7 行，列“金额”：应为数字，实际为“N/A”', [], 0],
    ['参数“score”：11 不是 1 到 10 分的评分', [], 0],
    ['参数“score”：11 is not a score from 1 to 10', [], 1],
    ['第 5 行：expected a number', [], 1],
    ['line 5, column 3', [], 1],
    ['这不是文本文件（ZIP 压缩包或 Excel .xlsx 工作簿）', [], 0],
    ['R、F、M 分布；S/W/O/T', [], 0],
    ['未打开“big data.csv”：正在导入', ['big data.csv'], 0],
    ['the CSV file', [], 1],
    ['0.3 须大于 grow_from_share 且不超过 1', [], 0],
    ['Showing 50 of 1,900 columns', [], 1],
  ];
  for (const [text, data, expected] of cases) {
    assert.equal(englishRuns(text, data).length, expected, `${text}: ${englishRuns(text, data)}`);
  }
});

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.close();
});

/** What the user sees of every element matching `selector` (rule, step 1). */
async function shown(page, selector) {
  return page.$$eval(selector, (elements) =>
    elements.flatMap((element) => {
      const texts = [element.innerText ?? element.textContent ?? ''];
      for (const e of [element, ...element.querySelectorAll('*')]) {
        if (e instanceof SVGElement && e.tagName === 'text') texts.push(e.textContent);
        for (const name of ['title', 'aria-label', 'placeholder', 'alt']) {
          const value = e.getAttribute(name);
          if (value) texts.push(value);
        }
      }
      return texts;
    }),
  );
}

/** Waits until `selector` shows a text other than `previous` (each case brings its own message). */
async function newText(page, selector, previous, what) {
  try {
    await page.waitForFunction(
      ([sel, before]) => {
        const text = document.querySelector(sel)?.textContent ?? '';
        return text.trim() !== '' && text !== before;
      },
      [selector, previous],
      { timeout: 15000 },
    );
  } catch (error) {
    throw new Error(`${what}: no new message in ${selector} (still “${previous}”)`, { cause: error });
  }
  return page.textContent(selector);
}

/** A checker that collects leaks (and the variants seen) over one test. */
function checker() {
  const leaks = [];
  return {
    async check(page, selector, variant, data = []) {
      const texts = await shown(page, selector);
      assert.ok(texts.join('').trim().length > 0, `${variant}: nothing shown in ${selector}`);
      assert.ok(/[\u4e00-\u9fff]/.test(texts.join('')), `${variant}: no Chinese in ${texts.join(' | ')}`);
      for (const text of texts) {
        const found = englishRuns(text, data);
        if (found.length) leaks.push(`${variant}: ${JSON.stringify(found)} in “${text.slice(0, 300)}”`);
      }
      seen.add(variant);
    },
    done() {
      assert.deepEqual(leaks, [], `English in the Chinese UI:\n${leaks.join('\n')}`);
    },
  };
}

const INGEST = join(FIXTURES, 'ingest');
const csvFile = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.isBuffer(text) ? text : Buffer.from(text) });

/** Every cell, header and file name of a CSV text: the user's data (rule, step 2). */
function cellsOf(text) {
  return [...new Set(text.split(/[\r\n,;\t]+/).map((c) => c.replaceAll('"', '').trim()).filter(Boolean))];
}

async function importFile(page, file) {
  await page.setInputFiles('[data-input="file"]', file);
}

/** Waits for the failure of the import of `name`. */
async function failure(page, name) {
  await page.waitForFunction(
    (n) => document.querySelector('[data-status="failed"]')?.textContent.includes(n),
    name,
    { timeout: 30000 },
  );
  return page.getAttribute('[data-status="failed"]', 'data-error');
}

/** Imports `file` whether or not the mapping step stops it. */
async function importThrough(page, file, count) {
  await importFile(page, file);
  await page.waitForFunction(
    (n) =>
      performance.getEntriesByName('valuelens:analysis').length >= n ||
      document.querySelector('[data-panel="mapping"][open] [data-concerns]'),
    count,
    { timeout: 60000 },
  );
  if (await page.$('[data-panel="mapping"][open] [data-concerns]')) await page.click('[data-action="import"]');
  await waitForAnalysis(page, count);
}

async function openMapping(page) {
  await page.waitForSelector('[data-panel="mapping"]');
  if (!(await page.$eval('[data-panel="mapping"]', (el) => el.open))) await page.click('[data-panel="mapping"] > summary');
}

/** Sets the role select of the column that holds `role` to "(not used)". */
async function clearRole(page, role) {
  const select = await page.evaluateHandle(
    (r) => [...document.querySelectorAll('[data-role-column]')].find((s) => s.value === r),
    role,
  );
  await select.asElement().selectOption('');
}

test('files that cannot be imported: every message in Chinese', async () => {
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  const { check, done } = checker();
  const wide = Array.from({ length: 3000 }, (_, i) => `f${i}`).join(',') + '\n' + Array(3000).fill('1').join(',') + '\n';
  const longLine = 'x'.repeat(300 * 1024) + '\n' + 'c1,1\n';
  const allBad = 'customer,amount\nk1,oops\nk2,N/A\n';
  const cases = [
    ['Error::EmptyFile', 'EmptyFile', { path: join(INGEST, 'empty.csv'), name: 'empty.csv' }],
    ['Error::HeaderOnly', 'HeaderOnly', { path: join(INGEST, 'header_only.csv'), name: 'header_only.csv' }],
    ['Error::Binary(Png)', 'Binary', { path: join(INGEST, 'png_renamed.csv'), name: 'png_renamed.csv' }],
    // A ZIP named .csv goes to the reader of table files (issue 17), which finds this bare
    // workbook (no relationships part) unreadable: the table error, in Chinese.
    ['Error::Table(workbook named .csv)', 'Table', { path: join(INGEST, 'xlsx_renamed.csv'), name: 'xlsx_renamed.csv' }],
    ['Error::Binary(Pdf)', 'Binary', csvFile('report.csv', Buffer.concat([Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'), Buffer.alloc(64, 0)]))],
    ['Error::Binary(Gzip)', 'Binary', csvFile('orders.csv.gz', Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.alloc(64, 7)]))],
    ['Error::TooManyColumns', 'TooManyColumns', csvFile('wide.csv', wide)],
    ['Error::LineTooLong', 'LineTooLong', csvFile('one-line.csv', longLine)],
    ['Error::AllRowsRejected', 'AllRowsRejected', csvFile('all-bad.csv', allBad)],
  ];
  for (const [variant, kind, file] of cases) {
    await importFile(page, file.path ?? file);
    assert.equal(await failure(page, file.name), kind, variant);
    await check(page, '[data-status="failed"]', variant, [file.name, ...cellsOf(file.path ? '' : file.buffer.toString('latin1').slice(0, 2000))]);
  }
  // A mapping without the customer or the amount column.
  for (const [variant, role] of [['Error::NoCustomerColumn', 'customer'], ['Error::NoAmountColumn', 'amount']]) {
    const count = await page.evaluate(() => performance.getEntriesByName('valuelens:analysis').length);
    await importThrough(page, join(INGEST, 'gbk_orders.csv'), count + 1);
    await openMapping(page);
    await clearRole(page, role);
    await page.click('[data-action="import"]');
    assert.equal(await failure(page, 'gbk_orders.csv'), variant.slice('Error::'.length), variant);
    await check(page, '[data-status="failed"]', variant, ['gbk_orders.csv']);
  }
  done();
  assert.deepEqual(session.problems, []);
  await session.close();
});

test('the mapping step asks its questions in Chinese', async () => {
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  const { check, done } = checker();
  const stray = ['order,customer,date,amount'];
  for (let i = 0; i < 20; i++) stray.push(i === 3 ? 'O9,"C7,2024-01-03,55.00' : `O${i},C${i % 3},2024-01-0${1 + (i % 9)},10`);
  const manyColumns = Array.from({ length: 60 }, (_, i) => (i === 0 ? 'customer' : i === 1 ? 'amount' : `note ${i}`));
  const cases = [
    ['Concern::AmbiguousDates', 'dates.csv', 'customer,date,amount\nd1,01/02/2024,10\nd2,03/04/2024,20\n'],
    ['Concern::ConflictingDates', 'mixed-dates.csv', 'customer,date,amount\nd1,13/01/2024,10\nd2,01/13/2024,20\n'],
    ['Concern::Missing', 'no-amount.csv', 'customer,note\nc1,x\nc2,y\n'],
    ['Concern::Unsure', 'numbers.csv', '10001,2023-05-01,2,120.00\n10002,2023-05-02,1,35.50\n'],
    ['Concern::RunawayQuote', 'stray-quote.csv', stray.join('\n') + '\n'],
  ];
  let previous = '';
  for (const [variant, name, text] of cases) {
    await importFile(page, csvFile(name, text));
    // Each file brings its own question.
    await page.waitForFunction(
      (before) => {
        const concerns = document.querySelector('[data-panel="mapping"][open] [data-concerns]');
        return concerns && concerns.textContent.trim() !== '' && concerns.textContent !== before;
      },
      previous,
    );
    previous = await page.textContent('[data-concerns]');
    await check(page, '[data-concerns]', variant, [name, ...cellsOf(text)]);
    // The whole mapping step, with the file's own cells and headers as data.
    await check(page, '[data-panel="mapping"]', `${variant} (mapping step)`, [name, ...cellsOf(text)]);
  }
  const wide = [manyColumns.join(','), ['k1', '10', ...Array(58).fill('t')].join(','), ['k2', '5', ...Array(58).fill('u')].join(',')].join('\n') + '\n';
  await importFile(page, csvFile('sixty.csv', wide));
  await page.waitForFunction(() => performance.getEntriesByName('valuelens:analysis').length > 0 || document.querySelector('[data-panel="mapping"][open]'));
  await openMapping(page);
  await page.waitForSelector('[data-columns-note]');
  await check(page, '[data-columns-note]', 'columns shown note', ['sixty.csv']);
  done();
  assert.deepEqual(session.problems, []);
  await session.close();
});

test('every kind of rejected row is explained in Chinese', async () => {
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  const { check, done } = checker();
  const lines = [
    'customer,order,date,amount,profit',
    'c1,o1,2024-01-05,10,1',
    'c2,o2,2024-13-01,10,1',
    ',o3,2024-01-05,10,1',
    'c4,o4,2024-01-05',
    'c5,o5,2024-01-05,oops,1',
    'c6,o6,2024-01-05,10,1,extra,cells',
    'c7,o7,2024-01-05,1,234.56,1',
    'c8,o8,2024-01-05,\u0000BAD\u0000,1',
    `c9,o9,2024-01-05,10,${'9'.repeat(1_100_000)}`,
    'c10,o10,2024-01-06,20,2',
    'c11,"o11,2024-01-05,10,1',
  ];
  for (let i = 12; i < 20; i++) lines.push(`c${i},o${i},2024-01-07,10,1`);
  const text = '\ufeff' + lines.join('\n') + '\n';
  // The cell of c8 is a byte invalid in UTF-8.
  const buffer = Buffer.from(text.replace('\u0000BAD\u0000', '\u0001'), 'utf8');
  const bytes = Buffer.from(buffer.toString('latin1').replace('\u0001', '\xff9'), 'latin1');
  await importThrough(page, csvFile('rejects.csv', bytes), 1);
  await page.waitForSelector('[data-panel="rejected"]');
  if (!(await page.$eval('[data-panel="rejected"]', (el) => el.open ?? true))) await page.click('[data-panel="rejected"] > summary');
  const problems = await page.$$eval('[data-panel="rejected"] tbody tr', (rows) => rows.map((r) => r.getAttribute('title')));
  assert.ok(problems.length >= 9, `${problems.length} rejected rows shown: ${problems.join(' | ')}`);
  const data = [...cellsOf(lines.slice(0, 9).join('\n')), 'rejects.csv', 'o11', '9'.repeat(80)];
  for (const variant of COVERED['rejected rows'].filter((v) => v.startsWith('RowProblem::'))) seen.add(variant);
  await check(page, '[data-panel="rejected"]', 'rejected rows', data);
  await page.waitForSelector('[data-panel="runaway-quotes"]');
  await check(page, '[data-panel="runaway-quotes"]', 'runaway quotes notice', data);
  // One row of each problem: the table's reasons, told apart by their Chinese words.
  const reasons = (await page.$$eval('[data-panel="rejected"] tbody tr', (rows) => rows.map((r) => r.innerText))).join('\n');
  for (const [variant, words] of [
    ['RowProblem::NotADate', '应为日期'],
    ['RowProblem::Missing', '单元格为空'],
    ['RowProblem::TooFewColumns', '列数不够'],
    ['RowProblem::NotANumber', '应为数字'],
    ['RowProblem::ExtraColumns', '数值错位'],
    ['RowProblem::SplitNumber', '被拆开了'],
    ['RowProblem::BadEncoding', '无效的字节'],
    ['RowProblem::RecordTooLong', '1 MiB'],
    ['RowProblem::RunawayQuote', '没有闭合'],
  ]) {
    assert.ok(reasons.includes(words), `${variant}: “${words}” not among the reasons:\n${reasons}`);
  }
  // The rest of the data view, as it stands with these rows.
  await check(page, 'main', 'data view after the import', data);
  done();
  assert.deepEqual(session.problems, []);
  await session.close();
});

// Makes an order file of `rows` lines in the page (kept in `window[key]`).
function makeBigFile({ rows, name, key }) {
  const lines = ['customer,order,date,amount'];
  for (let i = 0; i < rows; i++) lines.push(`c${i % 50000},o${i},2024-0${1 + (i % 9)}-1${i % 10},${(i % 997) / 10}`);
  window[key] = new File([lines.join('\n') + '\n'], name, { type: 'text/csv' });
}

function pickKept(key) {
  const input = document.querySelector('[data-input="file"]');
  const transfer = new DataTransfer();
  transfer.items.add(window[key]);
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

test('a second file during an import, and a cancelled import, are told in Chinese', async () => {
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  const { check, done } = checker();
  await page.evaluate(makeBigFile, { rows: 2_000_000, name: 'big orders.csv', key: '__big' });
  await page.evaluate(pickKept, '__big');
  await page.waitForSelector('[data-status="importing"]');
  await page.setInputFiles('[data-input="file"]', csvFile('second file.csv', 'customer,amount\nk1,5\n'));
  await page.waitForSelector('[data-refused="second file.csv"]');
  await check(page, '[data-refused]', 'refusal', ['big orders.csv', 'second file.csv']);
  await check(page, '[data-status="importing"]', 'import progress', ['big orders.csv']);
  await page.click('[data-action="cancel-import"]');
  await page.waitForSelector('[data-status="cancelled"]');
  await check(page, '[data-status="cancelled"]', 'Job::Cancelled');
  done();
  assert.deepEqual(session.problems, []);
  await session.close();
});

/** Sets a numeric parameter input and fires its change. */
async function setParam(page, selector, value) {
  await page.fill(selector, String(value));
  await page.dispatchEvent(selector, 'change');
}

test('decile parameters out of range are refused in Chinese', async () => {
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  const { check, done } = checker();
  await page.click('[data-action="load-sample"]');
  await waitForAnalysis(page);
  await page.click('[data-view="deciles"]');
  await page.waitForSelector('[data-metric="gini"]');
  const error = '[data-view-content="deciles"] .vl-status--error';
  for (const [variant, name, bad, good] of [
    ['ParameterProblem::NotAFraction', 'retain_sales_share', 0, 10],
    ['ParameterProblem::NotAbove', 'grow_to_share', 20, 50],
    ['ParameterProblem::NotBetween', 'period_months', 0, 12],
    ['ParameterProblem::NotBetween', 'transaction_margin_decile', 11, 3],
    ['ParameterProblem::BelowMinimum', 'transaction_max_orders', 0, 1],
  ]) {
    await setParam(page, `[data-param="${name}"]`, bad);
    await page.waitForSelector(error);
    await check(page, error, variant, [name]);
    await setParam(page, `[data-param="${name}"]`, good);
    await page.waitForSelector(error, { state: 'detached' });
  }
  await check(page, 'main', 'deciles view', []);
  done();
  assert.deepEqual(session.problems, []);
  await session.close();
});

test('RFM parameters and rule tables out of range are refused in Chinese', async () => {
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  const { check, done } = checker();
  await page.click('[data-action="load-sample"]');
  await waitForAnalysis(page);
  await page.click('[data-view="rfm"]');
  await page.waitForSelector('[data-panel="rfm-rules"]');
  const error = '[data-view-content="rfm"] .vl-status--error';
  await setParam(page, '[data-param="rfm_analysis_day"]', '2000-01-01');
  await page.waitForSelector(error);
  await check(page, error, 'ParameterProblem::BeforeLatestPurchase', ['analysis_day']);
  await setParam(page, '[data-param="rfm_analysis_day"]', '');
  await page.waitForSelector(error, { state: 'detached' });

  await page.click('[data-panel="rfm-rules"] > summary');
  const invalid = '[data-note="rules-invalid"]';
  const rule = (i) => `[data-panel="rfm-rules"] [data-rule="${i}"]`;
  const names = await page.$$eval('[data-panel="rfm-rules"] [data-rule-name]', (inputs) => inputs.map((i) => i.value));
  const editAndCheck = async (variant, edit, undo) => {
    await edit();
    await page.waitForSelector(invalid);
    await check(page, invalid, variant, ['segment_rules', ...names, 'Other', '其他']);
    await undo();
    await page.waitForSelector(invalid, { state: 'detached' });
  };
  const rangeInput = `${rule(0)} td.vl-rules__range input >> nth=1`;
  await editAndCheck(
    'ParameterProblem::RuleRange',
    () => setParam(page, rangeInput, 11),
    () => page.click('[data-action="reset-rules"]'),
  );
  await editAndCheck(
    'ParameterProblem::RuleNameEmpty',
    () => setParam(page, `${rule(1)} [data-rule-name="en"]`, ''),
    () => page.click('[data-action="reset-rules"]'),
  );
  const first = await page.$eval(`${rule(0)} [data-rule-name="en"]`, (i) => i.value);
  await editAndCheck(
    'ParameterProblem::RuleNameTaken',
    () => setParam(page, `${rule(1)} [data-rule-name="en"]`, first),
    () => page.click('[data-action="reset-rules"]'),
  );
  await editAndCheck(
    'ParameterProblem::RuleNameReserved',
    () => setParam(page, `${rule(1)} [data-rule-name="en"]`, 'Other'),
    () => page.click('[data-action="reset-rules"]'),
  );
  await editAndCheck(
    'ParameterProblem::RuleCount',
    async () => {
      while ((await page.$$(`[data-panel="rfm-rules"] [data-rule]`)).length > 0) {
        await page.click('[data-panel="rfm-rules"] [data-rule] [data-action="delete-rule"]');
      }
    },
    () => page.click('[data-action="reset-rules"]'),
  );
  await check(page, 'main', 'RFM view', names);

  // Without a date column RFM says what it needs.
  await page.click('[data-view="data"]');
  await importThrough(page, csvFile('no-dates.csv', 'customer,amount\nk1,10\nk2,20\nk1,5\n'), 2);
  await page.click('[data-view="rfm"]');
  await page.waitForSelector('[data-note="rfm-no-date"]');
  await check(page, '[data-note="rfm-no-date"]', 'ParameterProblem::NoPurchaseDates');
  done();
  assert.deepEqual(session.problems, []);
  await session.close();
});

test('SWOT files that cannot be read, and their rejected rows, in Chinese', async () => {
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  const { check, done } = checker();
  await page.click('[data-view="swot"]');
  await page.waitForSelector('[data-input="swot-file"]', { state: 'attached' });
  const badRows = readFileSync(join(FIXTURES, 'swot', 'bad_rows.csv'), 'utf8');
  await page.setInputFiles('[data-input="swot-file"]', join(FIXTURES, 'swot', 'bad_rows.csv'));
  await page.waitForSelector('[data-swot-import] .vl-swot__errors');
  const data = [...cellsOf(badRows), 'Multi', 'line item', 'bad_rows.csv'];
  await check(page, '[data-swot-import]', 'SWOT rejected rows', data);
  const reasons = await page.textContent('[data-swot-import]');
  for (const [variant, words] of [
    ['RowProblem::ScoreOutOfRange', '评分应在 1 到 10 之间'],
    ['RowProblem::UnknownQuadrant', '应为象限'],
    ['RowProblem::WeightOutOfRange', '权重应为 0 或正数'],
    ['RowProblem::DuplicateScore', '已给这一项打过分'],
  ]) {
    assert.ok(reasons.includes(words), `${variant}: “${words}” not in ${reasons}`);
    seen.add(variant);
  }
  let previous = '';
  for (const [variant, file] of [
    ['Error::SwotColumnsMissing', csvFile('no-score.csv', 'quadrant,item\nS,Strong brand\n')],
    ['Error::AllRowsRejected (SWOT)', csvFile('all-bad-swot.csv', 'quadrant,item,score\nS,Strong brand,0\nX,Rivals,5\n')],
    ['Error::EmptyFile (SWOT)', csvFile('empty-swot.csv', '')],
    ['Error::Binary (SWOT)', { name: 'png_renamed.csv', mimeType: 'text/csv', buffer: readFileSync(join(INGEST, 'png_renamed.csv')) }],
  ]) {
    await page.setInputFiles('[data-input="swot-file"]', file);
    previous = await newText(page, '[data-swot-error]', previous, variant);
    await check(page, '[data-swot-error]', variant, [file.name, 'Strong brand', 'Rivals', 'quadrant', 'item', 'score', 'X']);
  }
  done();
  assert.deepEqual(session.problems, []);
  await session.close();
});

test('refused SWOT edits, the hints and the position are told in Chinese', async () => {
  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  const { check, done } = checker();
  await page.click('[data-action="load-sample"]');
  await waitForAnalysis(page);
  await page.click('[data-view="swot"]');
  await page.waitForSelector('[data-new-item="S"]');
  const error = '[data-swot-error]';
  const addItem = async (text, score) => {
    await page.fill('[data-new-item="S"]', text);
    await page.fill('[data-new-score="S"]', String(score));
    await page.press('[data-new-item="S"]', 'Enter');
  };
  let previous = '';
  const expectError = async (variant, data = []) => {
    previous = await newText(page, error, previous, variant);
    await check(page, error, variant, data);
  };
  await addItem('Strong brand', 11);
  await expectError('ParameterProblem::NotAScore', ['Strong brand', 'score']);
  await addItem('Strong brand', 8);
  await page.waitForSelector('.vl-swot__item');
  await addItem('Strong brand', 7);
  await expectError('ParameterProblem::TextTaken', ['Strong brand', 'text']);
  await page.fill('.vl-swot__item .vl-swot__weight', '-1');
  await page.dispatchEvent('.vl-swot__item .vl-swot__weight', 'change');
  await expectError('ParameterProblem::NotAWeight', ['weight']);
  await addItem('S'.repeat(600), 5);
  await expectError('WorkspaceProblem::TooLong', ['S'.repeat(600)]);
  const addCompetitor = async (name) => {
    await page.fill('[data-new-competitor]', name);
    await page.press('[data-new-competitor]', 'Enter');
  };
  await addCompetitor('us');
  await expectError('ParameterProblem::MeansUs', ['us', 'name']);
  await addCompetitor('Acme');
  await page.waitForSelector('[data-board="Acme"]');
  await addCompetitor('Acme');
  await expectError('ParameterProblem::NameTaken', ['Acme', 'name']);
  await setParam(page, '[data-board-name]', '');
  await expectError('ParameterProblem::EmptyName', ['name']);
  // The hints from the customer data, and the position of our board.
  await page.waitForSelector('[data-panel="swot-hints"]');
  await check(page, '[data-panel="swot-hints"]', 'SWOT hints');
  await page.waitForSelector('[data-panel="swot-position"] [data-tows]');
  await check(page, '[data-panel="swot-position"]', 'TOWS position', ['Acme', 'Strong brand']);
  await check(page, 'main', 'SWOT view', ['Acme', 'Strong brand']);
  done();
  assert.deepEqual(session.problems, []);
  await session.close();
});

test('workspace files that cannot be opened are refused in Chinese', async () => {
  const first = await openApp(app, { locale: 'zh-CN' });
  await first.page.click('[data-action="load-sample"]');
  await waitForAnalysis(first.page);
  await first.page.click('[data-panel="workspace"] > summary');
  const pending = first.page.waitForEvent('download');
  await first.page.click('[data-action="save-workspace"]');
  const saved = JSON.parse(readFileSync(await (await pending).path(), 'utf8'));
  await first.close();
  const copy = () => JSON.parse(JSON.stringify(saved));
  const months = copy();
  months.data.customers.months[0] = -2147483648;
  const boards = copy();
  boards.swot.competitors = Array.from({ length: 60 }, (_, i) => ({ id: 10 + i, name: `C${i}`, items: [] }));
  boards.swot.next_id = 100;

  const session = await openApp(app, { locale: 'zh-CN' });
  const { page } = session;
  const { check, done } = checker();
  await page.click('[data-panel="workspace"] > summary');
  const cases = [
    ['FormatProblem::Empty', ''],
    ['FormatProblem::NotJson', 'this is not json at all'],
    ['FormatProblem::CutOff', '{"format": "valuelens-workspace", "version": 1, "decile_config": {'],
    ['FormatProblem::NotAnObject', '[1, 2, 3]'],
    ['FormatProblem::NoFormatName', '{"name": "orders"}'],
    ['FormatProblem::OtherFormat', '{"format": "other-app", "version": 1}'],
    ['InvalidContent::Shape', '{"format": "valuelens-workspace", "version": 1, "decile_config": 5}'],
    ['InvalidContent::VersionNotWhole', '{"format": "valuelens-workspace", "version": 1.5}'],
    ['Error::NewerWorkspace', JSON.stringify({ ...saved, version: 99 })],
    ['WorkspaceProblem::OutOfRange', JSON.stringify(months)],
    ['WorkspaceProblem::TooMany', JSON.stringify(boards)],
  ];
  let previous = '';
  for (const [variant, json] of cases) {
    const name = `${variant.replace(/\W+/g, '-')}.valuelens.json`;
    await page.setInputFiles('[data-input="workspace-file"]', { name, mimeType: 'application/json', buffer: Buffer.from(json) });
    previous = await newText(page, '[data-workspace-error]', previous, variant);
    await check(page, '[data-workspace-error]', variant, [name, 'other-app']);
  }
  done();
  assert.deepEqual(session.problems, []);
  await session.close();
});

test('every variant listed in COVERED was brought up', () => {
  const missing = Object.values(COVERED).flat().filter((variant) => !seen.has(variant));
  assert.deepEqual(missing, []);
});
