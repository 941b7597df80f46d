// Issue 20 (clusters): k-means on R, F and M in the RFM view of the real page, on the sample.
// Checked from what the page shows and the CSV it downloads (not from the engine): the k shown
// is the one of the highest silhouette in the k table; the cluster sizes add up to the scored
// customers and equal the CSV's count per cluster; clusters are numbered by descending mean M
// (computed here from the CSV); another k gives that many clusters; the report's method note
// names the seed; the k choice is drawn (elbow and silhouette) from the k table's figures; they
// are found in the analysis worker. (The k-means itself is compared with scikit-learn natively: tests/clusters_oracle.rs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { metrics, openApp, startApp, waitForAnalysis } from './harness.mjs';

test('clusters of the sample: suggested k, sizes, numbering by M, another k, the seed in the report', async () => {
  const app = await startApp();
  const { page, problems, close } = await openApp(app, { locale: 'en-US' });
  try {
    await page.click('[data-action="load-sample"]');
    await waitForAnalysis(page);
    await page.click('[data-view="rfm"]');
    await page.waitForSelector('[data-table="rfm-segments"]');
    // Found in the analysis worker, not on the page's thread: a worker starts for them.
    const workers = [];
    page.on('worker', (worker) => workers.push(worker.url()));
    await page.click('[data-action="find-clusters"]');
    await page.waitForSelector('[data-metric="cluster_k"]', { timeout: 60000 });
    assert.ok(workers.some((url) => /analyst/.test(url)), `workers started: ${JSON.stringify(workers)}`);
    const shown = await metrics(page);
    const k = shown.cluster_k;
    const silhouettes = [2, 3, 4, 5, 6, 7, 8].filter((j) => Number.isFinite(shown[`cluster_silhouette:${j}`]));
    assert.ok(silhouettes.length >= 5, JSON.stringify(silhouettes));
    const best = silhouettes.reduce((a, b) => (shown[`cluster_silhouette:${b}`] > shown[`cluster_silhouette:${a}`] ? b : a));
    assert.equal(k, best);
    const scored = Object.entries(shown).filter(([n]) => n.startsWith('segment_count:')).reduce((s, [, v]) => s + v, 0);
    const sizes = Array.from({ length: k }, (_, i) => shown[`cluster_size:${i + 1}`]);
    assert.equal(sizes.reduce((a, b) => a + b, 0), scored);

    // The k choice drawn: one inertia point per k and one silhouette point per k that has one
    // (the suggested k among them), and its data table holds the k table's silhouettes.
    const chart = page.locator('[data-chart="rfm-cluster-k-chart"]');
    assert.equal(await chart.locator('svg circle').count(), 7 + silhouettes.length);
    const chartRows = await chart.locator('[data-chart-table] tbody tr').evaluateAll((rows) =>
      rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent.trim())));
    assert.equal(chartRows.length, 7);
    for (const [kText, , silhouette] of chartRows) {
      const value = shown[`cluster_silhouette:${kText}`];
      if (Number.isFinite(value)) assert.equal(Number(silhouette), Number(value.toFixed(3)), `silhouette of k = ${kText}`);
    }

    // The CSV: every scored customer with a cluster; sizes and the numbering by mean M.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-table-csv="rfm-clusters"]')]);
    const lines = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    assert.equal(lines.length - 1, scored);
    const byCluster = new Map();
    for (const line of lines.slice(1)) {
      const cells = line.split(',');
      const cluster = Number(cells[1]);
      const m = Number(cells[4]);
      const entry = byCluster.get(cluster) ?? { n: 0, m: 0 };
      entry.n += 1;
      entry.m += m;
      byCluster.set(cluster, entry);
    }
    assert.deepEqual([...byCluster.keys()].sort((a, b) => a - b), Array.from({ length: k }, (_, i) => i + 1));
    for (let c = 1; c <= k; c++) assert.equal(byCluster.get(c).n, sizes[c - 1], `cluster ${c} size`);
    const meanM = Array.from({ length: k }, (_, i) => byCluster.get(i + 1).m / byCluster.get(i + 1).n);
    for (let c = 1; c < k; c++) assert.ok(meanM[c - 1] >= meanM[c], `mean M of ${c} ≥ ${c + 1}: ${meanM}`);

    // Another k.
    const other = k === 3 ? 4 : 3;
    await page.selectOption('[data-param="cluster_k"]', String(other));
    await page.waitForFunction((n) => document.querySelector('[data-metric="cluster_k"]')?.dataset.value === String(n), other);
    const again = await metrics(page);
    const sizesAgain = Array.from({ length: other }, (_, i) => again[`cluster_size:${i + 1}`]);
    assert.equal(sizesAgain.reduce((a, b) => a + b, 0), scored);
    assert.equal(again[`cluster_size:${other + 1}`], undefined);

    // The report: the clusters' sentence and the seed in the method notes.
    await page.click('[data-view="report"]');
    await page.waitForSelector('[data-report-section="methods"]');
    const methods = await page.textContent('[data-report-section="methods"]');
    assert.match(methods, /Seed 20240601/);
    assert.match(await page.textContent('[data-report-section="summary"]'), /k-means on the R, F and M/);
    assert.deepEqual(problems, []);
  } finally {
    await close();
    await app.close();
  }
});
