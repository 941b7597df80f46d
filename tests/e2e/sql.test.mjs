// Issue 17 (SQL pack): the "Run this on DuckDB / Spark" downloads of the data view, run on
// DuckDB (the Python package of the test set-up) over the very file the page imported: the
// customers, orders, sales and every RFM segment's count must be what the page shows. (Spark and
// every customer's figures are compared natively by tests/sql_oracle.rs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, ROOT, metrics, openApp, sampleCsv, startApp, waitForAnalysis } from './harness.mjs';

const PYTHON = join(ROOT, 'target', 'test-venv', 'bin', 'python');

/** Runs `sql` on DuckDB over `csv` as the table `orders`; the headline and segment counts. */
function runOnDuckDb(sql, csv) {
  const script = `
import duckdb, json, sys
con = duckdb.connect()
con.execute("CREATE TABLE orders AS SELECT * FROM read_csv(?, header=true, all_varchar=true)", [sys.argv[2]])
con.execute(open(sys.argv[1], encoding='utf-8').read())
h = con.execute("SELECT customers, orders, total_sales FROM vl_headline").fetchone()
segments = dict(con.execute("SELECT segment_en, COUNT(*) FROM vl_rfm GROUP BY segment_en").fetchall())
print(json.dumps({"customers": h[0], "orders": h[1], "total_sales": h[2], "segments": segments}))
`;
  const dir = join(ARTIFACTS, 'sql');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'run.py'), script);
  return JSON.parse(execFileSync(PYTHON, [join(dir, 'run.py'), sql, csv], { encoding: 'utf8' }));
}

test('the DuckDB file of the data view gives the page\'s figures on the same file', async () => {
  assert.ok(existsSync(PYTHON), 'the test venv with duckdb (run scripts/setup.sh --test)');
  const dir = join(ARTIFACTS, 'sql');
  mkdirSync(dir, { recursive: true });
  const csvPath = join(dir, 'sample-en.csv');
  writeFileSync(csvPath, sampleCsv('en'));
  const app = await startApp();
  const { page, problems, close } = await openApp(app, { locale: 'en-US' });
  try {
    await page.setInputFiles('[data-input="file"]', csvPath);
    await waitForAnalysis(page);
    const shown = await metrics(page);
    await page.click('[data-panel="sql"] > summary');
    const text = await page.textContent('[data-panel="sql"]');
    assert.match(text, /duckdb my\.db < valuelens\.duckdb\.sql/);
    assert.match(text, /spark-sql -f valuelens\.spark\.sql/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-action="sql-duckdb"]')]);
    assert.equal(download.suggestedFilename(), 'valuelens.duckdb.sql');
    const sqlPath = join(dir, 'valuelens.duckdb.sql');
    await download.saveAs(sqlPath);
    const [spark] = await Promise.all([page.waitForEvent('download'), page.click('[data-action="sql-spark"]')]);
    assert.equal(spark.suggestedFilename(), 'valuelens.spark.sql');
    assert.match(readFileSync(sqlPath, 'utf8'), /THE SOURCE/);

    const duck = runOnDuckDb(sqlPath, csvPath);
    assert.equal(duck.customers, shown.customers);
    assert.equal(duck.orders, shown.orders);
    assert.ok(Math.abs(duck.total_sales - shown.total_sales) < 1e-6 * Math.abs(shown.total_sales));

    // Every segment's count, as the RFM view shows it.
    await page.click('[data-view="rfm"]');
    await page.waitForSelector('[data-table="rfm-segments"]');
    const rfm = await metrics(page);
    const counts = Object.fromEntries(
      Object.entries(rfm).filter(([k]) => k.startsWith('segment_count:')).map(([k, v]) => [k.slice('segment_count:'.length), v]),
    );
    assert.ok(Object.keys(counts).length >= 5);
    for (const [segment, n] of Object.entries(counts)) {
      assert.equal(duck.segments[segment] ?? 0, n, `segment ${segment}`);
    }
    assert.deepEqual(problems, []);
  } finally {
    await close();
    await app.close();
  }
});
