// The import benchmark (导入基准): ValueLens against reading the bytes, the floor (the least work a
// wasm import of the file can do), DuckDB-WASM and Papa Parse, on the same generated file in the
// same headless Chromium, plus the native engine.
//
//   node bench/run.mjs [--rows 1000000] [--reps 3] [--dist dist] [--baseline DIR] [--file PATH] [--shuffled] [--no-native] [--no-papa] [--no-views] [--parquet PATH] [--json OUT]
//   node bench/run.mjs --memory [--rows 10000000] [--timeout-min 25]
//
// --rows generates bench/data/orders-ROWS.csv when missing (the `generate` example); --shuffled
// the same lines in a random order (orders-ROWS-shuffled.csv); --file uses another file instead. All figures, per repetition, go to bench/data/results-*.json (or OUT).
// --baseline DIR adds another build of the app (served under /base/) as a contestant of its own,
// timed in the same repetitions as DIST (first file and same file again), so that a change is
// measured against the build before it in one run (with --parquet, on the Parquet file too);
// --no-papa leaves Papa Parse out; --no-views leaves out the timing of the analysis views after
// each ValueLens import (at 10 M rows they take minutes).
// --pair (with --parquet) times ValueLens alone, the CSV and the Parquet file of the same rows
// one after the other in each repetition (which goes first alternates), first file in a fresh
// tab each: on a machine whose speed drifts, the ratio of each pair says more than medians of
// runs minutes apart. No peer is started.
// --parquet PATH (the same rows as Parquet, e.g. written by DuckDB from the CSV) adds two
// contestants in each repetition: ValueLens importing the Parquet file (its reader worker) and
// DuckDB-WASM running the same aggregation over read_parquet; and DuckDB-WASM 1.28 (the npm
// alias duckdb-wasm-128, whose wasm still links its Parquet reader in: 1.32 fetches it from
// extensions.duckdb.org) on both files, read_csv and read_parquet, so that its own Parquet / CSV
// ratio is known beside ValueLens's.
//
// One local static server holds everything, on one origin: the app (DIST under /app/), the
// other contestants' pages (bench/pages under /bench/) and the few npm packages they load
// (/node_modules/). Every request the browser makes is recorded; any that is not to this server
// is reported. Files reach the pages through setInputFiles, as real File objects.
//
// Timed, per repetition, round robin so that noise spreads over all contestants:
//   read (worker)   FileReaderSync over 4 MiB slices in a worker, as the ValueLens worker reads
//   read (main)     File.arrayBuffer() on the main thread
//   ValueLens cold  a fresh tab; 1 s after it has rendered (a person's least time to pick a file,
//                   which the app uses to start its import worker), the file is given; the
//                   `valuelens:analysis` measure of that first file
//   ValueLens warm  the same tab, 1 s after the first result, the same file again (page warmed
//                   up, previous data on screen)
//   DuckDB-WASM     registerFileHandle + CREATE TABLE … GROUP BY customer_id (start-up untimed)
//   Papa Parse      chunked parse in a worker + a Map aggregation (worker start-up untimed)
//   floor           bench/floor: the least work a wasm import of this very file can do (its
//                   layout known in advance; split, hash, sum), in a worker, reading the File as
//                   ValueLens does; the result handed to the page (wasm build and start untimed)
// then the native engine (the `bench-native` example) the same number of times.
//
// --memory runs ValueLens alone (default 10,000,000 rows) and samples the resident memory of
// every Chromium process every 200 ms; it reports the peak per process and in total, and whether
// the import completed, failed in the page, or crashed the tab.
//
// Both modes also record the main thread's long tasks (PerformanceObserver 'longtask', observed
// from before the app starts) during each import: from the input's change event (the app's
// `valuelens:analysis-start` mark) to the end of its `valuelens:analysis` measure. After the
// import (the warm one in the speed runs) they time the analysis views: a click on the header's
// `a[data-view="deciles"]` until `[data-metric="gini"]` is in the document, then the same for
// `a[data-view="rfm"]` until `[data-table="rfm-segments"]`, then `a[data-view="lifecycle"]` until
// `[data-table="lc-migration"]` (the view's last section); timed in the page with
// performance.now() (click → first MutationObserver callback that finds the element → two
// animation frames later, "painted"), with the longest long task in between.
import { chromium } from 'playwright-core';
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const DATA = join(ROOT, 'bench', 'data');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // More flags for an experiment, e.g. CHROMIUM_EXTRA_ARGS='--js-flags=--liftoff-only'.
  ...(process.env.CHROMIUM_EXTRA_ARGS ?? '').split(' ').filter(Boolean),
];
const NATIVE_PROFILE = 'bench-native';
/** Where bench/floor is built (its own target directory, whatever CARGO_TARGET_DIR says). */
const FLOOR_TARGET = join(ROOT, 'target', 'bench-floor');
const FLOOR_WASM = join(FLOOR_TARGET, 'wasm32-unknown-unknown', 'release');

// ---------------------------------------------------------------------------------------------
// Options

function parseOptions(argv) {
  const options = { views: true, rows: null, reps: 3, dist: 'dist', baseline: null, file: null, shuffled: false, native: true, papa: true, memory: false, timeoutMin: 25, json: null, parquet: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[++i];
    };
    switch (arg) {
      case '--rows': options.rows = Number(value()); break;
      case '--reps': options.reps = Number(value()); break;
      case '--dist': options.dist = value(); break;
      case '--baseline': options.baseline = value(); break;
      case '--no-papa': options.papa = false; break;
      case '--no-views': options.views = false; break;
      case '--file': options.file = value(); break;
      case '--shuffled': options.shuffled = true; break;
      case '--no-native': options.native = false; break;
      case '--memory': options.memory = true; break;
      case '--timeout-min': options.timeoutMin = Number(value()); break;
      case '--json': options.json = value(); break;
      case '--parquet': options.parquet = resolve(value()); break;
      case '--pair': options.pair = true; break;
      case '-h': case '--help':
        console.log(readFileSync(new URL(import.meta.url), 'utf8').split('\nimport ')[0].replace(/^\/\/ ?/gm, ''));
        process.exit(0);
        break;
      default: throw new Error(`unknown option ${arg} (see --help)`);
    }
  }
  options.rows ??= options.memory ? 10_000_000 : 1_000_000;
  if (!(options.rows > 0) || !(options.reps > 0)) throw new Error('--rows and --reps must be positive');
  options.dist = resolve(ROOT, options.dist);
  if (!existsSync(join(options.dist, 'index.html'))) {
    throw new Error(`${options.dist}/index.html is missing: build the app first (make build)`);
  }
  if (options.pair && !options.parquet) throw new Error('--pair needs --parquet');
  if (options.baseline) {
    options.baseline = resolve(ROOT, options.baseline);
    if (!existsSync(join(options.baseline, 'index.html'))) throw new Error(`${options.baseline}/index.html is missing`);
  }
  return options;
}

// ---------------------------------------------------------------------------------------------
// Files, cargo, the machine

function cargo(args, { capture = false } = {}) {
  const result = spawnSync('cargo', args, {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`cargo ${args.join(' ')} failed (${result.status})`);
  return result.stdout;
}

/**
 * The data lines of a file named by --file (line feeds after the header's, and a last line
 * without one), so that what is printed is the file's and not --rows's default. The generated
 * files have no quoted line breaks; a file that has them is counted by its lines.
 */
function dataLines(path) {
  const fd = openSync(path, 'r');
  const buffer = Buffer.alloc(1 << 22);
  let lines = 0;
  let last = 0x0a;
  for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0; ) {
    for (let at = buffer.indexOf(0x0a, 0); at !== -1 && at < n; at = buffer.indexOf(0x0a, at + 1)) lines += 1;
    last = buffer[n - 1];
  }
  closeSync(fd);
  return Math.max(0, lines - 1 + (last === 0x0a ? 0 : 1));
}

/** The data file: --file, or bench/data/orders-ROWS[-shuffled].csv, generated when missing. */
function dataFile(options) {
  if (options.file) return resolve(options.file);
  const suffix = options.shuffled ? '-shuffled' : '';
  const path = join(DATA, `orders-${options.rows}${suffix}.csv`);
  if (!existsSync(path)) {
    console.log(`generating ${path} …`);
    const flags = options.shuffled ? ['--shuffled'] : [];
    cargo(['run', '--quiet', '--profile', NATIVE_PROFILE, '--example', 'generate', '--', ...flags, String(options.rows), path]);
  }
  return path;
}

function firstLine(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0].trim();
  } catch {
    return 'unknown';
  }
}

function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return 'missing';
  }
}

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  return {
    cpus: cpus().length,
    cpu: model,
    memory_gib: +(totalmem() / 2 ** 30).toFixed(1),
    kernel: firstLine('uname', ['-sr']),
    rustc: firstLine('rustc', ['-V']),
    trunk: firstLine('trunk', ['--version']),
    node: process.version,
    duckdb_wasm: packageVersion('@duckdb/duckdb-wasm'),
    duckdb_wasm_128: packageVersion('duckdb-wasm-128'),
    papaparse: packageVersion('papaparse'),
    playwright_core: packageVersion('playwright-core'),
  };
}

// ---------------------------------------------------------------------------------------------
// One origin for everything

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

/** URL prefix → directory. Under /node_modules/ only what the pages load. */
function mounts(dist, baseline) {
  const modules = join(ROOT, 'node_modules');
  return [
    ['/app/', dist],
    ...(baseline ? [['/base/', baseline]] : []),
    ['/bench/', join(ROOT, 'bench', 'pages')],
    ['/floor/', FLOOR_WASM],
    ['/node_modules/@duckdb/duckdb-wasm/dist/', join(modules, '@duckdb', 'duckdb-wasm', 'dist')],
    ['/node_modules/duckdb-wasm-128/', join(modules, 'duckdb-wasm-128')],
    ['/node_modules/apache-arrow/', join(modules, 'apache-arrow')],
    ['/node_modules/flatbuffers/', join(modules, 'flatbuffers')],
    ['/node_modules/papaparse/', join(modules, 'papaparse')],
    ['/node_modules/tslib/', join(modules, 'tslib')],
  ];
}

function serve(dist, baseline) {
  const table = mounts(dist, baseline);
  const server = createServer((request, response) => {
    const fail = () => {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found');
    };
    try {
      const { pathname } = new URL(request.url, 'http://localhost');
      const mount = table.find(([prefix]) => pathname.startsWith(prefix));
      if (!mount) return fail();
      const [prefix, dir] = mount;
      let path = normalize(join(dir, decodeURIComponent(pathname.slice(prefix.length))));
      if (path !== dir && !path.startsWith(dir + sep)) return fail();
      if (existsSync(path) && statSync(path).isDirectory()) path = join(path, 'index.html');
      if (!existsSync(path)) return fail();
      response.writeHead(200, {
        'content-type': TYPES[extname(path)] || 'application/octet-stream',
        'content-length': statSync(path).size,
        'cache-control': 'no-cache',
      });
      createReadStream(path).pipe(response);
    } catch {
      fail();
    }
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

/** The server's origin, and every request the browser made elsewhere (there must be none). */
let origin = null;
const foreignRequests = new Set();

/** A browser context whose every request is checked against the server's origin. */
async function newContext(browser, options) {
  const context = await browser.newContext(options);
  context.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:')) foreignRequests.add(url);
  });
  return context;
}

// ---------------------------------------------------------------------------------------------
// Chromium's processes and their memory

function readProc(pid, file) {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return null;
  }
}

/** Every descendant of this node process: Chromium's browser, zygotes, renderers, utilities. */
function chromiumProcesses() {
  const parents = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProc(name, 'stat');
    if (!stat) continue;
    // pid (comm) state ppid …: comm may hold spaces, so split after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    parents.set(Number(name), ppid);
  }
  const ours = new Set([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (!ours.has(pid) && ours.has(ppid)) {
        ours.add(pid);
        grew = true;
      }
    }
  }
  ours.delete(process.pid);
  const processes = [];
  for (const pid of ours) {
    // Chromium rewrites its command line: arguments separated by NULs or by spaces.
    const cmdline = (readProc(pid, 'cmdline') ?? '').replaceAll('\0', ' ');
    if (!/chrom/.test(cmdline.split(' ')[0])) continue;
    const type = /--type=(\S+)/.exec(cmdline)?.[1] ?? 'browser';
    const sub = /--utility-sub-type=(\S+)/.exec(cmdline)?.[1];
    processes.push({ pid, type: sub ? `${type}:${sub.split('.').at(-1)}` : type });
  }
  return processes;
}

/** VmRSS and VmHWM of a process in KiB. */
function memoryOf(pid) {
  const status = readProc(pid, 'status');
  if (!status) return null;
  const field = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  // RssAnon: the process's own memory (heaps, wasm memories, array buffers); VmRSS adds the
  // pages of files it maps (Chromium's own program and data, ~110 MiB in a renderer of any
  // page, about:blank too) and shared memory.
  return { rss: field('VmRSS'), hwm: field('VmHWM'), anon: field('RssAnon') };
}

/** Samples the memory of all Chromium processes every `ms` until stopped. */
function memorySampler(ms = 200) {
  const peaks = new Map(); // pid → { type, rss, hwm, anon }
  let total = 0;
  let samples = 0;
  const series = []; // [Date.now(), largest renderer RSS, total RSS, largest renderer VmHWM]
  const sample = () => {
    let sum = 0;
    let renderer = 0;
    let rendererHwm = 0;
    for (const { pid, type } of chromiumProcesses()) {
      const memory = memoryOf(pid);
      if (!memory) continue;
      sum += memory.rss;
      if (type === 'renderer') {
        renderer = Math.max(renderer, memory.rss);
        rendererHwm = Math.max(rendererHwm, memory.hwm);
      }
      const peak = peaks.get(pid) ?? { type, rss: 0, hwm: 0, anon: 0 };
      // The type last seen: a renderer forked from the zygote shows the zygote's command line
      // until it rewrites its own (Chromium 156.0.8078.129 here).
      peak.type = type;
      peak.rss = Math.max(peak.rss, memory.rss);
      peak.hwm = Math.max(peak.hwm, memory.hwm);
      peak.anon = Math.max(peak.anon, memory.anon);
      peaks.set(pid, peak);
    }
    total = Math.max(total, sum);
    series.push([Date.now(), renderer, sum, rendererHwm]);
    samples++;
  };
  sample();
  const timer = setInterval(sample, ms);
  return {
    current() {
      return chromiumProcesses().map(({ pid, type }) => ({ pid, type, ...memoryOf(pid) }));
    },
    stop() {
      clearInterval(timer);
      sample();
      return { samples, interval_ms: ms, peak_total_rss_kib: total, processes: [...peaks].map(([pid, p]) => ({ pid, ...p })), series };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// ValueLens in the page

/**
 * Runs before the app: wraps `Worker` so every message from the import worker is timestamped on
 * arrival (kind and size), and notes when the page's own handler of `Done` has returned. Reads
 * both the JSON text and the binary (first byte = variant) forms of the worker's messages.
 */
function timelineScript() {
  const NativeWorker = window.Worker;
  // Postcard variant indexes of src/protocol.rs `Response`; `Done` has its own form, tag 0xD0.
  const KINDS = ['Ready', 'Preview', 'Progress', 'Failed', 'SplitAt'];
  const DONE_TAG = 0xd0;
  window.__vlTimeline = [];
  window.__vlLongTasks = [];
  try {
    const keep = (list) => {
      for (const e of list.getEntries()) window.__vlLongTasks.push({ startTime: e.startTime, duration: e.duration });
    };
    window.__vlLongTaskObserver = new PerformanceObserver(keep);
    window.__vlLongTaskObserver.observe({ type: 'longtask', buffered: true });
    window.__vlFlushLongTasks = () => keep({ getEntries: () => window.__vlLongTaskObserver.takeRecords() });
  } catch {
    window.__vlFlushLongTasks = () => {};
  }
  window.Worker = class extends NativeWorker {
    constructor(url, options) {
      // The name asks the import worker to log where its time went (`valuelens:timings …` on
      // the console, see src/bin/worker.rs).
      super(url, { ...options, name: 'valuelens:timings' });
      window.__vlTimeline.push({ kind: 'spawn', t: performance.now(), size: 0 });
      this.addEventListener('message', (event) => {
        const t = performance.now();
        const data = event.data;
        let kind = 'other';
        let size = 0;
        if (typeof data === 'string') {
          kind = /^\{?"(\w+)"/.exec(data)?.[1] ?? 'text';
          size = data.length;
        } else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
          const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
          kind = bytes[0] === DONE_TAG ? 'Done' : KINDS[bytes[0]] ?? `byte ${bytes[0]}`;
          size = bytes.byteLength;
        }
        window.__vlTimeline.push({ kind, t, size });
        if (kind === 'Done' || kind === 'Failed') {
          setTimeout(() => window.__vlTimeline.push({ kind: `${kind} handled`, t: performance.now(), size: 0 }), 0);
        }
      });
    }
  };
}

/** Phases of the last analysis, in ms, from the timeline and the app's performance entries. */
async function analysisPhases(page) {
  // Let the observer deliver the last long tasks of the import.
  await page.evaluate(() => new Promise((done) => setTimeout(done, 50)));
  return page.evaluate(() => {
    window.__vlFlushLongTasks();
    const start = performance.getEntriesByName('valuelens:analysis-start').at(-1)?.startTime ?? 0;
    const measure = performance.getEntriesByName('valuelens:analysis').at(-1);
    const events = window.__vlTimeline.filter((e) => e.t >= start);
    const first = (kind) => events.find((e) => e.kind === kind);
    const at = (event) => (event ? event.t - start : null);
    const mark = (name) => {
      const entry = performance.getEntriesByName(name).filter((e) => e.startTime >= start).at(0);
      return entry ? entry.startTime - start : null;
    };
    const progress = events.filter((e) => e.kind === 'Progress');
    const stop = measure ? measure.startTime + measure.duration : Infinity;
    const tasks = window.__vlLongTasks.filter((e) => e.startTime + e.duration > start && e.startTime < stop);
    const longest = tasks.reduce((a, b) => (b.duration > (a?.duration ?? -1) ? b : a), null);
    return {
      time_origin: performance.timeOrigin + start,
      total: measure?.duration ?? null,
      worker_ready: at(first('Ready')),
      preview: at(first('Preview')),
      first_progress: at(progress[0]),
      last_progress: at(progress.at(-1)),
      done_arrived: at(first('Done')),
      done_handled: at(first('Done handled')),
      // The app's marks inside the hand-off (builds before them have none).
      decoded: mark('valuelens:decoded'),
      rendered: mark('valuelens:rendered'),
      // A big import's head (headline figures, monthly sales, report) painted before its
      // customers are decoded (builds before it, and small imports, have none).
      head_painted: mark('valuelens:head-painted'),
      end: measure ? measure.startTime + measure.duration - start : null,
      done_message_bytes: first('Done')?.size ?? null,
      progress_messages: progress.length,
      longest_task_ms: longest ? longest.duration : 0,
      longest_task_at: longest ? longest.startTime - start : null,
      long_tasks: tasks.length,
      long_tasks_over_100ms: tasks.filter((e) => e.duration > 100).length,
      long_tasks_total_ms: tasks.reduce((sum, e) => sum + e.duration, 0),
    };
  });
}

/** Waits for the n-th `valuelens:analysis` measure, a failure shown by the app, or a crash. */
async function waitForAnalysis(page, n, timeoutMs) {
  let crashed = false;
  page.once('crash', () => {
    crashed = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (crashed) return { outcome: 'the tab crashed' };
    try {
      const state = await page.evaluate(
        (count) => ({
          measures: performance.getEntriesByName('valuelens:analysis').length >= count,
          failed: document.querySelector('[data-status="failed"]')?.textContent?.trim() ?? null,
        }),
        n,
      );
      if (state.measures) return { outcome: 'completed' };
      if (state.failed) return { outcome: `failed in the page: ${state.failed}` };
    } catch (error) {
      if (crashed || /crash|closed/i.test(String(error))) return { outcome: `the tab crashed (${error.message.split('\n')[0]})` };
      throw error;
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  return { outcome: `no result after ${Math.round(timeoutMs / 60000)} min` };
}

async function metrics(page) {
  return page.$$eval('[data-metric]', (elements) =>
    Object.fromEntries(elements.map((el) => [el.dataset.metric, Number(el.dataset.value)])),
  );
}

/**
 * Clicks the header's link to an analysis view and times, in the page with performance.now(),
 * until `selector` is in the document (first MutationObserver callback that finds it) and two
 * animation frames after that (painted); with the long tasks in between.
 */
async function timeView(page, view, selector, timeoutMs = 600_000) {
  const result = await page.evaluate(
    async ({ view, selector, timeoutMs }) => {
      const link = document.querySelector(`a[data-view="${view}"]`);
      if (!link) return { error: `no a[data-view="${view}"]` };
      if (document.querySelector(selector)) return { error: `${selector} is there before the click` };
      const t0 = performance.now();
      let dom;
      try {
        dom = await new Promise((resolve, reject) => {
          const observer = new MutationObserver(() => {
            if (document.querySelector(selector)) {
              observer.disconnect();
              resolve(performance.now());
            }
          });
          observer.observe(document.body, { childList: true, subtree: true, attributes: true });
          setTimeout(() => {
            observer.disconnect();
            reject(new Error(`no ${selector} after ${timeoutMs} ms`));
          }, timeoutMs);
          link.click();
        });
      } catch (error) {
        return { error: error.message };
      }
      await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
      const painted = performance.now();
      await new Promise((done) => setTimeout(done, 50));
      window.__vlFlushLongTasks();
      const tasks = window.__vlLongTasks.filter((e) => e.startTime + e.duration > t0 && e.startTime < painted);
      // When each chart of the view was made (the app marks every figure it draws).
      const figures = performance
        .getEntriesByType('mark')
        .filter((m) => m.name.startsWith('valuelens:figure:') && m.startTime >= t0 && m.startTime <= painted)
        .map((m) => [m.name.slice('valuelens:figure:'.length), Math.round(m.startTime - t0)]);
      return {
        figures,
        tasks: tasks.map((e) => [Math.round(e.startTime - t0), Math.round(e.duration)]),
        dom_ms: dom - t0,
        painted_ms: painted - t0,
        longest_task_ms: Math.max(0, ...tasks.map((e) => e.duration)),
        long_tasks: tasks.length,
      };
    },
    { view, selector, timeoutMs },
  );
  if (result.error) throw new Error(`view ${view}: ${result.error}`);
  return result;
}

/** Whether each ValueLens run times the analysis views (`--no-views`: no). */
let TIME_VIEWS = true;

/** The analysis views after an import: deciles, RFM, lifecycle, CLV. */
async function timeViews(page, started = {}) {
  // `started`: each view's start on the wall clock, for the memory run's stages.
  const timed = async (name, selector) => {
    started[name] = Date.now();
    return timeView(page, name, selector);
  };
  return {
    deciles: await timed('deciles', '[data-metric="gini"]'),
    rfm: await timed('rfm', '[data-table="rfm-segments"]'),
    // Every section of the lifecycle view (its last, the segment migration, included).
    lifecycle: await timed('lifecycle', '[data-table="lc-migration"]'),
    // The CLV view: the fit and the scores come from the analysis worker; painted when the
    // customer table shows its first P(alive).
    clv: await timed('clv', '[data-table="clv-customers"] [data-metric^="p_alive:"]'),
  };
}

async function openApp(browser, baseUrl, path = 'app/') {
  const context = await newContext(browser, { locale: 'en-US', serviceWorkers: 'block', viewport: { width: 1280, height: 900 } });
  await context.addInitScript(timelineScript);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  const timings = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    const text = message.text();
    if (text.startsWith('valuelens:timings ')) {
      // Microseconds as logged → milliseconds.
      const logged = JSON.parse(text.slice('valuelens:timings '.length));
      timings.push(Object.fromEntries(Object.entries(logged).map(([k, v]) => (k.endsWith('_us') ? [k.replace(/_us$/, '_ms'), v / 1000] : [k, v]))));
    }
  });
  await page.goto(`${baseUrl}${path}`);
  await page.waitForSelector('[data-action="load-sample"]', { timeout: 60000 });
  return { context, page, problems, timings };
}

/** The pause before each file is given to the app: the least time a person takes to pick one. */
const USER_PAUSE_MS = 1000;

/** One ValueLens repetition: a fresh tab, the file (cold), then the same file again (warm). */
async function valueLensRun(browser, baseUrl, file, timeoutMs, path = 'app/') {
  const { context, page, problems, timings } = await openApp(browser, baseUrl, path);
  try {
    const result = {};
    for (const [name, n] of [['cold', 1], ['warm', 2]]) {
      // A person needs well over a second to pick or drop a file after the page (or the last
      // result) appears; the app uses that time to start its import worker (`prewarm`).
      await page.waitForTimeout(USER_PAUSE_MS);
      await page.setInputFiles('input[type="file"]', file);
      const { outcome } = await waitForAnalysis(page, n, timeoutMs);
      if (outcome !== 'completed') throw new Error(`ValueLens ${name}: ${outcome} ${problems.join('; ')}`);
      result[name] = await analysisPhases(page);
      // The worker's own account (builds that log it): waiting for bytes, importing, finishing, posting.
      const worker = timings.length >= n ? timings[n - 1] : null;
      if (worker) for (const [key, value] of Object.entries(worker)) result[name][`worker_${key}`] = value;
    }
    result.metrics = await metrics(page);
    // After the import, so that the import measures stay those of the overview.
    if (TIME_VIEWS) result.views = await timeViews(page);
    if (problems.length) result.problems = problems;
    return result;
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Figures

const median = (values) => {
  const sorted = values.filter((v) => v != null).sort((a, b) => a - b);
  if (!sorted.length) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const ms = (v) => (v == null ? '—' : `${Math.round(v).toLocaleString('en-US')} ms`);
const mib = (kib) => `${(kib / 1024).toFixed(0)} MiB`;

function printTable(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  for (const [index, row] of rows.entries()) {
    console.log(row.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('  '));
    if (index === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

/** The longest main-thread task of each import, against the issue's 100 ms. */
function printLongTasks(...imports) {
  const all = imports.flat();
  const longest = Math.max(...all.map((p) => p.longest_task_ms ?? 0));
  console.log(
    `\nlongest main-thread task during the import (change event → measure), per run: ` +
      imports.map((list) => list.map((p) => `${ms(p.longest_task_ms)} (at ${ms(p.longest_task_at)}, ${p.long_tasks} long tasks, ${p.long_tasks_over_100ms} over 100 ms)`).join(', ')).join(' | '),
  );
  console.log(`  longest of all: ${ms(longest)} → ${longest <= 100 ? 'no task over 100 ms: met' : 'a task over 100 ms: NOT met'}`);
}

/** Deciles and RFM after an import, against the import's own time. */
function printViews(views, importMs, note) {
  console.log(`\nanalysis views (click on the header link → element present → painted, performance.now() in the page; ${note}):`);
  const row = (name, v) => [
    name,
    ms(v.dom_ms),
    ms(v.painted_ms),
    ms(v.longest_task_ms),
    importMs ? `${(v.painted_ms / importMs).toFixed(2)}×` : '—',
  ];
  printTable([
    ['view', 'element present', 'painted', 'longest task', 'vs the import'],
    ...[
      ['deciles (→ [data-metric="gini"])', views.deciles],
      ['RFM (→ [data-table="rfm-segments"])', views.rfm],
      ['lifecycle (→ [data-table="lc-migration"])', views.lifecycle],
      ['CLV (→ the first p_alive:<id>, fit in the analysis worker)', views.clv],
    ].filter(([, v]) => v).map(([name, v]) => row(name, v)),
  ]);
}

/** Builds bench/floor for wasm32 (a second or two; its own lock file and target directory). */
function buildFloor() {
  cargo(['build', '--quiet', '--release', '--target', 'wasm32-unknown-unknown', '--manifest-path', join(ROOT, 'bench', 'floor', 'Cargo.toml'), '--target-dir', FLOOR_TARGET]);
}

function nativeRun(file) {
  const out = cargo(['run', '--quiet', '--profile', NATIVE_PROFILE, '--example', 'bench-native', '--', file, '--json'], { capture: true });
  return JSON.parse(out.trim().split('\n').at(-1));
}

// ---------------------------------------------------------------------------------------------

/** `--pair`: ValueLens alone, the CSV and the Parquet file of the same rows back to back in each
 * repetition (first file in a fresh tab; which goes first alternates), with each pair's ratio. */
async function pairs(options, file, browser, baseUrl, report) {
  const timeoutMs = options.timeoutMin * 60_000;
  const builds = [['app/', 'ValueLens'], ...(options.baseline ? [['base/', 'baseline']] : [])];
  report.pairs = [];
  for (let rep = 1; rep <= options.reps; rep++) {
    for (const [path, name] of builds) {
      const order = rep % 2 ? [['csv', file], ['parquet', options.parquet]] : [['parquet', options.parquet], ['csv', file]];
      const times = {};
      for (const [kind, input] of order) {
        const run = await valueLensRun(browser, baseUrl, input, timeoutMs, path);
        times[kind] = { cold: run.cold.total, warm: run.warm.total, customers: run.metrics.customers, sales: run.metrics.total_sales, cold_phases: run.cold };
      }
      report.pairs.push({ rep, build: name, ...times });
      console.log(
        `rep ${rep}/${options.reps} ${name}: CSV ${ms(times.csv.cold)} / ${ms(times.csv.warm)}, Parquet ${ms(times.parquet.cold)} / ${ms(times.parquet.warm)} ` +
          `(first file / again); Parquet / CSV ${(times.parquet.cold / times.csv.cold).toFixed(2)} / ${(times.parquet.warm / times.csv.warm).toFixed(2)}; ` +
          `customers ${times.csv.customers} / ${times.parquet.customers}, sales ${times.csv.sales} / ${times.parquet.sales}`,
      );
      if (times.csv.customers !== times.parquet.customers || Math.abs(times.csv.sales - times.parquet.sales) > 1e-6 * Math.abs(times.csv.sales)) {
        report.problems.push(`rep ${rep} ${name}: the CSV and the Parquet file gave different figures`);
      }
    }
  }
  for (const [, name] of builds) {
    const mine = report.pairs.filter((p) => p.build === name);
    const ratios = (key) => mine.map((p) => p.parquet[key] / p.csv[key]);
    console.log(
      `${name}, median of ${mine.length}: CSV ${ms(median(mine.map((p) => p.csv.cold)))}, Parquet ${ms(median(mine.map((p) => p.parquet.cold)))} first file; ` +
        `Parquet / CSV per pair: first file ${ratios('cold').map((r) => r.toFixed(2)).join(', ')} (median ${median(ratios('cold')).toFixed(2)}), ` +
        `again ${ratios('warm').map((r) => r.toFixed(2)).join(', ')} (median ${median(ratios('warm')).toFixed(2)})`,
    );
  }
}

async function speed(options, file, browser, baseUrl, report) {
  const bytes = statSync(file).size;
  const timeoutMs = options.timeoutMin * 60_000;
  const context = await newContext(browser, { serviceWorkers: 'block' });
  const bench = await context.newPage();
  const benchProblems = [];
  bench.on('pageerror', (error) => benchProblems.push(`page error: ${error.message}`));
  bench.on('console', (message) => {
    if (message.type() === 'error') benchProblems.push(`console error: ${message.text()} ${message.location().url}`);
  });
  bench.on('requestfailed', (request) => benchProblems.push(`request failed: ${request.url()}`));
  await bench.goto(`${baseUrl}bench/`);
  await bench.waitForFunction(() => window.benchReady === true, null, { timeout: 60000 }).catch((error) => {
    throw new Error(`the benchmark page did not start: ${benchProblems.join('; ') || error.message}`);
  });
  await bench.setInputFiles('input[type="file"]:not(#parquet)', file);
  if (options.parquet) await bench.setInputFiles('#parquet', options.parquet);
  const call = (name) => bench.evaluate((n) => window.bench[n](), name);
  await call('readStart');
  await call('floorStart');
  const papaStart = await call('papaStart');
  const duckStart = await call('duckdbStart');
  report.versions.duckdb_engine = duckStart.version;
  report.versions.papaparse_loaded = papaStart.version;
  console.log(`DuckDB-WASM ${report.versions.duckdb_wasm} (DuckDB ${duckStart.version}) started in ${ms(duckStart.ms)} (not timed)`);
  const failed = (error) => ({ ms: null, error: String(error.message ?? error).split('\n')[0] });
  let duck128Start = null;
  if (options.parquet) {
    duck128Start = await call('duckdb128Start').catch(failed);
    report.versions.duckdb_128_engine = duck128Start.version ?? null;
    console.log(
      duck128Start.error
        ? `DuckDB-WASM ${report.versions.duckdb_wasm_128} failed to start: ${duck128Start.error}`
        : `DuckDB-WASM ${report.versions.duckdb_wasm_128} (DuckDB ${duck128Start.version}) started in ${ms(duck128Start.ms)} (not timed)`,
    );
  }

  const runs = { read_worker: [], read_main: [], floor: [], valuelens: [], baseline: [], duckdb: [], papa: [], valuelens_parquet: [], baseline_parquet: [], duckdb_parquet: [], duckdb128: [], duckdb128_parquet: [] };
  for (let rep = 1; rep <= options.reps; rep++) {
    runs.read_worker.push(await call('readWorker'));
    runs.read_main.push(await call('readArrayBuffer'));
    runs.floor.push(await call('floor'));
    // Which build goes first alternates, so that neither always follows the same contestant.
    const builds = [['valuelens', 'app/'], ...(options.baseline ? [['baseline', 'base/']] : [])];
    if (rep % 2 === 0) builds.reverse();
    for (const [name, path] of builds) runs[name].push(await valueLensRun(browser, baseUrl, file, timeoutMs, path));
    runs.duckdb.push(await call('duckdb'));
    if (options.papa) runs.papa.push(await call('papa'));
    if (options.parquet) {
      const parquetBuilds = [['valuelens_parquet', 'app/'], ...(options.baseline ? [['baseline_parquet', 'base/']] : [])];
      if (rep % 2 === 0) parquetBuilds.reverse();
      for (const [name, path] of parquetBuilds) runs[name].push(await valueLensRun(browser, baseUrl, options.parquet, timeoutMs, path));
      // DuckDB-WASM 1.32's read_parquet has failed here ("function signature mismatch"): the
      // failure is recorded, and ValueLens's Parquet figures are still taken.
      runs.duckdb_parquet.push(await call('duckdbParquet').catch((error) => ({ ms: null, error: String(error.message ?? error).split('\n')[0] })));
      if (!duck128Start.error) {
        runs.duckdb128.push(await call('duckdb128').catch(failed));
        runs.duckdb128_parquet.push(await call('duckdb128Parquet').catch(failed));
      }
      const vp = runs.valuelens_parquet.at(-1);
      const dp = runs.duckdb_parquet.at(-1);
      const duck128 = (run) => (!run ? 'not run' : run.error ? `failed: ${run.error}` : `${ms(run.ms)} (${run.customers} customers, sales ${run.sales})`);
      const bp = runs.baseline_parquet.at(-1);
      if (bp) console.log(`rep ${rep}/${options.reps} Parquet: baseline ${ms(bp.cold.total)} cold / ${ms(bp.warm.total)} warm`);
      console.log(
        `rep ${rep}/${options.reps} Parquet: ValueLens ${ms(vp.cold.total)} cold / ${ms(vp.warm.total)} warm ` +
          `(${vp.metrics.customers} customers, sales ${vp.metrics.total_sales}), ` +
          `DuckDB-WASM ${dp.error ? `failed: ${dp.error}` : `${ms(dp.ms)} (${dp.customers} customers, sales ${dp.sales})`}; ` +
          `DuckDB-WASM 1.28 read_csv ${duck128(runs.duckdb128.at(-1))}, read_parquet ${duck128(runs.duckdb128_parquet.at(-1))}`,
      );
    }
    const last = (name) => runs[name].at(-1) ?? {};
    if (options.baseline) {
      console.log(`rep ${rep}/${options.reps}: baseline ${ms(last('baseline').cold.total)} cold / ${ms(last('baseline').warm.total)} warm`);
    }
    console.log(
      `rep ${rep}/${options.reps}: read ${ms(last('read_worker').ms)}, arrayBuffer ${ms(last('read_main').ms)}, floor ${ms(last('floor').ms)}, ` +
        `ValueLens ${ms(last('valuelens').cold.total)} cold / ${ms(last('valuelens').warm.total)} warm, ` +
        `DuckDB ${ms(last('duckdb').ms)}, Papa ${ms(last('papa').ms)}; ` +
        `longest main-thread task ${ms(last('valuelens').cold.longest_task_ms)} cold / ${ms(last('valuelens').warm.longest_task_ms)} warm; ` +
        `deciles ${ms(last('valuelens').views?.deciles.painted_ms)}, RFM ${ms(last('valuelens').views?.rfm.painted_ms)}, ` +
        `lifecycle ${ms(last('valuelens').views?.lifecycle.painted_ms)}, CLV ${ms(last('valuelens').views?.clv.painted_ms)}`,
    );
  }
  await context.close();
  if (benchProblems.length) report.problems.push(...benchProblems);

  // The contestants must have seen the same data.
  const shown = runs.valuelens.at(-1).metrics;
  const duck = runs.duckdb.at(-1);
  const papa = runs.papa.at(-1) ?? duck;
  const floor = runs.floor.at(-1);
  report.check = {
    rows: { valuelens: shown.rows_read, duckdb: duck.rows, papa: options.papa ? papa.rows : null, floor: floor.rows },
    customers: { valuelens: shown.customers, duckdb: duck.customers, papa: options.papa ? papa.customers : null, floor: floor.customers },
    sales: { valuelens: shown.total_sales, duckdb: duck.sales, papa: options.papa ? papa.sales : null, floor: floor.sales },
    floor_bad_lines: floor.bad,
  };
  const agree = (a, b) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
  const floorAgrees = floor.rows === duck.rows && floor.customers === duck.customers && agree(floor.sales, duck.sales) && floor.bad === 0;
  if (!(floorAgrees && shown.rows_read === duck.rows && duck.rows === papa.rows && shown.customers === duck.customers && duck.customers === papa.customers && agree(shown.total_sales, duck.sales) && agree(papa.sales, duck.sales))) {
    report.problems.push(`the contestants disagree: ${JSON.stringify(report.check)}`);
  }

  let native = [];
  if (options.native) {
    console.log(`native engine (cargo --profile ${NATIVE_PROFILE}) …`);
    native = Array.from({ length: options.reps }, () => nativeRun(file));
  }

  const m = (list, pick) => median(list.map(pick));
  const vl = runs.valuelens;
  const phases = (which) =>
    Object.fromEntries(
      Object.keys(vl[0][which]).filter((key) => key !== 'time_origin').map((key) => [key, m(vl, (r) => r[which][key])]),
    );
  const figures = {
    read_worker_ms: m(runs.read_worker, (r) => r.ms),
    read_main_ms: m(runs.read_main, (r) => r.ms),
    floor_ms: m(runs.floor, (r) => r.ms),
    valuelens_cold_ms: m(vl, (r) => r.cold.total),
    valuelens_warm_ms: m(vl, (r) => r.warm.total),
    baseline_cold_ms: m(runs.baseline, (r) => r.cold.total),
    baseline_warm_ms: m(runs.baseline, (r) => r.warm.total),
    duckdb_ms: m(runs.duckdb, (r) => r.ms),
    papa_ms: m(runs.papa, (r) => r.ms),
    native_ms: native.length ? m(native, (r) => r.engine_ms) : null,
    valuelens_cold_phases: phases('cold'),
    valuelens_warm_phases: phases('warm'),
    views: !vl[0].views ? null : Object.fromEntries(
      ['deciles', 'rfm'].map((view) => [
        view,
        Object.fromEntries(Object.keys(vl[0].views[view]).map((key) => [key, m(vl, (r) => r.views[view][key])])),
      ]),
    ),
    native: native.length ? Object.fromEntries(Object.keys(native[0]).map((k) => [k, m(native, (r) => r[k])])) : null,
  };
  report.runs = { ...runs, native };
  report.figures = figures;
  if (options.parquet) {
    figures.parquet = {
      bytes: statSync(options.parquet).size,
      valuelens_cold_ms: m(runs.valuelens_parquet, (r) => r.cold.total),
      valuelens_warm_ms: m(runs.valuelens_parquet, (r) => r.warm.total),
      duckdb_ms: m(runs.duckdb_parquet, (r) => r.ms),
      baseline_cold_ms: m(runs.baseline_parquet, (r) => r.cold.total),
      baseline_warm_ms: m(runs.baseline_parquet, (r) => r.warm.total),
      duckdb128_csv_ms: m(runs.duckdb128, (r) => r.ms),
      duckdb128_parquet_ms: m(runs.duckdb128_parquet, (r) => r.ms),
      valuelens_cold_phases: Object.fromEntries(
        Object.keys(runs.valuelens_parquet[0].cold).filter((key) => key !== 'time_origin').map((key) => [key, m(runs.valuelens_parquet, (r) => r.cold[key])]),
      ),
    };
    const p = figures.parquet;
    const vp = runs.valuelens_parquet.at(-1);
    const dp = runs.duckdb_parquet.at(-1);
    console.log(
      `\nParquet ${options.parquet} (${(p.bytes / 1e6).toFixed(1)} MB), median of ${options.reps}: ` +
        `ValueLens ${ms(p.valuelens_cold_ms)} first file / ${ms(p.valuelens_warm_ms)} again ` +
        `(CSV: ${ms(figures.valuelens_cold_ms)} / ${ms(figures.valuelens_warm_ms)}); ` +
        `DuckDB-WASM read_parquet ${ms(p.duckdb_ms)} (read_csv: ${ms(figures.duckdb_ms)}); ` +
        `ValueLens Parquet / DuckDB-WASM Parquet ${p.duckdb_ms ? (p.valuelens_cold_ms / p.duckdb_ms).toFixed(2) : '—'}, ` +
        `ValueLens Parquet / DuckDB-WASM CSV ${(p.valuelens_cold_ms / figures.duckdb_ms).toFixed(2)}, ` +
        `ValueLens Parquet / ValueLens CSV ${(p.valuelens_cold_ms / figures.valuelens_cold_ms).toFixed(2)}; ` +
        `customers ${vp.metrics.customers} / ${dp.customers}, rows ${vp.metrics.rows_read} / ${dp.rows}`,
    );
    const ratio128 = p.duckdb128_parquet_ms && p.duckdb128_csv_ms ? (p.duckdb128_parquet_ms / p.duckdb128_csv_ms).toFixed(2) : '—';
    console.log(
      `DuckDB-WASM ${report.versions.duckdb_wasm_128} (DuckDB ${report.versions.duckdb_128_engine ?? '?'}): read_parquet ${ms(p.duckdb128_parquet_ms)}, ` +
        `read_csv ${ms(p.duckdb128_csv_ms)} (its Parquet / CSV ${ratio128}); ` +
        `ValueLens Parquet / DuckDB-WASM 1.28 Parquet ${p.duckdb128_parquet_ms ? (p.valuelens_cold_ms / p.duckdb128_parquet_ms).toFixed(2) : '—'}; ` +
        `customers ${runs.duckdb128_parquet.at(-1)?.customers ?? '—'}, rows ${runs.duckdb128_parquet.at(-1)?.rows ?? '—'}, sales ${runs.duckdb128_parquet.at(-1)?.sales ?? '—'}`,
    );
    if (options.baseline) {
      console.log(
        `baseline (${options.baseline}) Parquet: ${ms(p.baseline_cold_ms)} first file / ${ms(p.baseline_warm_ms)} again ` +
          `(CSV: ${ms(figures.baseline_cold_ms)} / ${ms(figures.baseline_warm_ms)}); ` +
          `ValueLens / baseline on Parquet ${(p.valuelens_cold_ms / p.baseline_cold_ms).toFixed(2)} first file, ${(p.valuelens_warm_ms / p.baseline_warm_ms).toFixed(2)} again`,
      );
    }
    const phases = p.valuelens_cold_phases;
    console.log(
      `ValueLens Parquet, first file (ms from the change event, median): reader ready ${ms(phases.worker_ready)}, preview ${ms(phases.preview)}, ` +
        `first progress ${ms(phases.first_progress)}, last progress ${ms(phases.last_progress)}, Done ${ms(phases.done_arrived)}, end ${ms(phases.end)}; ` +
        `in the reader: waiting for bytes ${ms(phases.worker_wait_ms)}, decode + import ${ms(phases.worker_import_ms)}, finish ${ms(phases.worker_finish_ms)}, post ${ms(phases.worker_post_ms)}`,
    );
  }

  console.log(`\n${file}: ${options.rows.toLocaleString('en-US')} rows, ${(bytes / 1e6).toFixed(1)} MB; median of ${options.reps}\n`);
  const mbps = (t) => (t ? `${(bytes / 1e6 / (t / 1000)).toFixed(0)} MB/s` : '—');
  const rel = (t) => (t ? `${(t / figures.read_worker_ms).toFixed(2)}×` : '—');
  printTable([
    ['contestant', 'time', 'throughput', 'vs read (worker)'],
    ['read bytes, worker (FileReaderSync, 4 MiB)', ms(figures.read_worker_ms), mbps(figures.read_worker_ms), rel(figures.read_worker_ms)],
    ['read bytes, main thread (File.arrayBuffer)', ms(figures.read_main_ms), mbps(figures.read_main_ms), rel(figures.read_main_ms)],
    ['floor: split, hash and sum in wasm, in a worker (bench/floor)', ms(figures.floor_ms), mbps(figures.floor_ms), rel(figures.floor_ms)],
    ['ValueLens, first file in a fresh tab', ms(figures.valuelens_cold_ms), mbps(figures.valuelens_cold_ms), rel(figures.valuelens_cold_ms)],
    ['ValueLens, same file again', ms(figures.valuelens_warm_ms), mbps(figures.valuelens_warm_ms), rel(figures.valuelens_warm_ms)],
    ...(options.baseline
      ? [
          ['baseline build, first file in a fresh tab', ms(figures.baseline_cold_ms), mbps(figures.baseline_cold_ms), rel(figures.baseline_cold_ms)],
          ['baseline build, same file again', ms(figures.baseline_warm_ms), mbps(figures.baseline_warm_ms), rel(figures.baseline_warm_ms)],
        ]
      : []),
    ['DuckDB-WASM (eh), read_csv + GROUP BY', ms(figures.duckdb_ms), mbps(figures.duckdb_ms), rel(figures.duckdb_ms)],
    ['Papa Parse + Map, in a worker', ms(figures.papa_ms), mbps(figures.papa_ms), rel(figures.papa_ms)],
    [`native engine (${NATIVE_PROFILE} profile)`, ms(figures.native_ms), mbps(figures.native_ms), rel(figures.native_ms)],
  ]);

  const step = (a, b) => (a != null && b != null ? ms(b - a) : '—');
  const phaseTable = (p, name) => {
  console.log(`\n${name}, first file, where the time goes (medians, from the change event):`);
  printTable([
    ['phase', 'time'],
    ['worker start (spawn → Ready)', step(0, p.worker_ready)],
    ['inspect the head (→ Preview)', step(p.worker_ready, p.preview)],
    ['page takes the preview; first 4 MiB chunk (→ first Progress)', step(p.preview, p.first_progress)],
    ['remaining chunks (→ last Progress)', step(p.first_progress, p.last_progress)],
    ['worker: finish + pack + encode + post (→ Done arrives)', step(p.last_progress, p.done_arrived)],
    ...(p.decoded != null && p.rendered != null
      ? [
          ['page: decode the Done frame (→ valuelens:decoded)', step(p.done_arrived, p.decoded)],
          ['page: set the results, build the views (→ next frame)', step(p.decoded, p.rendered)],
          ['page: lay out and paint (→ measure, a frame later)', step(p.rendered, p.end)],
          ...(p.head_painted != null
            ? [['  the hand-off: Done arrives → first paint (the head, before the customers)', step(p.done_arrived, p.head_painted)]]
            : []),
          ['  the hand-off: Done arrives → painted', step(p.done_arrived, p.end)],
        ]
      : [
          ['page: the Done handler (decode …; → next task)', step(p.done_arrived, p.done_handled)],
          ['page: the rest until painted (→ measure)', step(p.done_handled, p.end)],
        ]),
    ...(p.worker_wait_ms != null
      ? [
          ['  worker, reading: waiting for bytes (sum)', ms(p.worker_wait_ms)],
          ['  worker, reading: decode, split, check, aggregate (sum)', ms(p.worker_import_ms)],
          ['  worker: finish (aggregates → customers, summary)', ms(p.worker_finish_ms)],
          ['  worker: encode the Done frame and post it', ms(p.worker_post_ms)],
        ]
      : []),
    ['total', ms(p.total)],
  ]);
  console.log(`Done message: ${p.done_message_bytes == null ? '—' : `${(p.done_message_bytes / 1e6).toFixed(2)} MB`}; ${p.progress_messages} progress messages`);
  };
  phaseTable(figures.valuelens_cold_phases, 'ValueLens');
  if (options.baseline) {
    const base = runs.baseline;
    const basePhases = Object.fromEntries(Object.keys(base[0].cold).filter((key) => key !== 'time_origin').map((key) => [key, m(base, (r) => r.cold[key])]));
    figures.baseline_cold_phases = basePhases;
    phaseTable(basePhases, 'baseline build');
  }
  printLongTasks(vl.map((r) => r.cold), vl.map((r) => r.warm));
  if (figures.views) printViews(figures.views, figures.valuelens_cold_ms, `medians of ${options.reps}, after the second import`);
  if (figures.native) {
    const n = figures.native;
    console.log(`native: inspect ${ms(n.inspect_ms)}, import ${ms(n.import_ms)}, finish ${ms(n.finish_ms)}, encode ${ms(n.encode_ms)}, decode ${ms(n.decode_ms)}; peak RSS ${mib(n.peak_rss_kib)}`);
  }

  const ratio = (a, b) => (a && b ? a / b : null);
  const targets = [
    ['ValueLens / DuckDB-WASM', ratio(figures.valuelens_cold_ms, figures.duckdb_ms), ratio(figures.valuelens_warm_ms, figures.duckdb_ms), 0.4],
    ['ValueLens / read bytes (worker)', ratio(figures.valuelens_cold_ms, figures.read_worker_ms), ratio(figures.valuelens_warm_ms, figures.read_worker_ms), 2.5],
    ['ValueLens / Papa Parse + Map', ratio(figures.valuelens_cold_ms, figures.papa_ms), ratio(figures.valuelens_warm_ms, figures.papa_ms), null],
    ['ValueLens / floor', ratio(figures.valuelens_cold_ms, figures.floor_ms), ratio(figures.valuelens_warm_ms, figures.floor_ms), null],
    ...(options.baseline
      ? [
          ['baseline / DuckDB-WASM', ratio(figures.baseline_cold_ms, figures.duckdb_ms), ratio(figures.baseline_warm_ms, figures.duckdb_ms), null],
          ['ValueLens / baseline', ratio(figures.valuelens_cold_ms, figures.baseline_cold_ms), ratio(figures.valuelens_warm_ms, figures.baseline_warm_ms), null],
        ]
      : []),
  ];
  report.ratios = targets.map(([name, cold, warm, target]) => ({ name, cold, warm, target, met_cold: target ? cold <= target : null, met_warm: target ? warm <= target : null }));
  console.log('\nratios (first file in a fresh tab / same file again):');
  // What the two targets leave, next to the floor.
  const floorRead = figures.floor_ms / figures.read_worker_ms;
  const floorDuck = figures.floor_ms / figures.duckdb_ms;
  report.floor = { floor_over_read: floorRead, floor_over_duckdb: floorDuck };
  console.log(`the floor itself: ${floorRead.toFixed(2)} × read (target for ValueLens ≤ 2.5), ${floorDuck.toFixed(2)} × DuckDB-WASM (target ≤ 0.4)`);
  printTable([
    ['ratio', 'cold', 'warm', 'target'],
    ...report.ratios.map((r) => [
      r.name,
      r.cold?.toFixed(2) ?? '—',
      r.warm?.toFixed(2) ?? '—',
      r.target ? `≤ ${r.target} → ${r.met_cold ? 'met' : 'NOT met'} / ${r.met_warm ? 'met' : 'NOT met'}` : '',
    ]),
  ]);
}

/**
 * Samples the WebAssembly memory of the page and of each of its workers (each names it
 * `globalThis.__valuelensMemory`, `valuelens::expose_memory`) and the page's JavaScript heap,
 * every `ms`, each thread on its own (a thread busy in a long computation answers late, and
 * holds up no other). A wasm memory never shrinks: each sample is that thread's high-water mark
 * so far. Returns `stop()`, which gives the samples as [wall ms, thread, bytes].
 */
function threadMemorySampler(page, ms = 250) {
  const samples = [];
  let running = true;
  const kindOf = (url) => (/analyst/.test(url) ? 'analysis worker' : /reader/.test(url) ? 'reader worker' : /worker/.test(url) ? 'import worker' : 'worker');
  const loop = async (name, read) => {
    while (running) {
      try {
        const value = await read();
        if (value == null) break;
        for (const [suffix, bytes] of Object.entries(value)) if (bytes) samples.push([Date.now(), `${name}${suffix}`, bytes]);
      } catch {
        break; // the worker ended, or the page is gone
      }
      await new Promise((resolve) => setTimeout(resolve, ms));
    }
  };
  let workers = 0;
  const onWorker = (worker) => {
    const name = `${kindOf(worker.url())} ${++workers}`;
    loop(name, () => worker.evaluate(() => ({ '': globalThis.__valuelensMemory?.buffer.byteLength ?? 0 })));
  };
  page.on('worker', onWorker);
  for (const worker of page.workers()) onWorker(worker);
  loop('page', () => page.evaluate(() => ({ ' wasm': globalThis.__valuelensMemory?.buffer.byteLength ?? 0, ' JS heap': performance.memory?.usedJSHeapSize ?? 0 })));
  return {
    stop() {
      running = false;
      page.off('worker', onWorker);
      return samples;
    },
  };
}

/** The largest sample of each thread between `from` and `to` (wall ms), in MiB. */
function threadPeaks(samples, from = 0, to = Infinity) {
  const peaks = {};
  for (const [t, name, bytes] of samples) if (t >= from && t <= to) peaks[name] = Math.max(peaks[name] ?? 0, bytes);
  return Object.fromEntries(Object.entries(peaks).map(([name, bytes]) => [name, +(bytes / 2 ** 20).toFixed(1)]));
}

async function memory(options, file, browser, baseUrl, report) {
  const bytes = statSync(file).size;
  console.log(`memory run: ValueLens alone on ${file} (${(bytes / 1e6).toFixed(0)} MB), timeout ${options.timeoutMin} min`);
  // MEMORY_SAMPLE_MS: the sampling interval (200 ms unless given).
  const sampler = memorySampler(Number(process.env.MEMORY_SAMPLE_MS) || 200);
  const { context, page, problems, timings } = await openApp(browser, baseUrl);
  const threads = threadMemorySampler(page);
  const started = Date.now();
  const ticker = setInterval(async () => {
    try {
      const seen = await page.evaluate(() => window.__vlTimeline.filter((e) => e.kind === 'Progress').length);
      const renderers = sampler.current().filter((p) => p.type === 'renderer');
      const rss = Math.max(0, ...renderers.map((p) => p.rss));
      console.log(`  ${((Date.now() - started) / 1000).toFixed(0)} s: ~${Math.min(bytes, seen * 4 * 2 ** 20) / 1e6 | 0} MB read, largest renderer RSS ${mib(rss)}`);
    } catch {
      // The page is busy or gone; the outcome says which.
    }
  }, 10_000);
  let outcome;
  let phases = null;
  let shown = null;
  let views = null;
  let viewsStarted = null;
  const viewStarts = {};
  try {
    await page.waitForTimeout(USER_PAUSE_MS);
    await page.setInputFiles('input[type="file"]', file);
    ({ outcome } = await waitForAnalysis(page, 1, options.timeoutMin * 60_000));
    if (outcome === 'completed') {
      phases = await analysisPhases(page);
      for (const [key, value] of Object.entries(timings[0] ?? {})) phases[`worker_${key}`] = value;
      shown = await metrics(page);
      try {
        if (TIME_VIEWS) {
          viewsStarted = Date.now();
          views = await timeViews(page, viewStarts);
        }
      } catch (error) {
        views = { error: String(error.message ?? error).split('\n')[0] };
      }
    }
  } finally {
    clearInterval(ticker);
  }
  const wall = Date.now() - started;
  const peaks = sampler.stop();
  const threadSamples = threads.stop();
  await context.close().catch(() => {});
  const renderers = peaks.processes.filter((p) => p.type === 'renderer');
  const tab = renderers.reduce((a, b) => (b.hwm > (a?.hwm ?? 0) ? b : a), null);
  // The tab's resident memory in each stage of the analysis (wall clock of the samples against
  // the page's timeline).
  let stages = null;
  if (phases) {
    const at = (offset) => phases.time_origin + offset;
    const peakBetween = (from, to) =>
      Math.max(0, ...peaks.series.filter(([t]) => t >= from && t <= to).map(([, rss]) => rss));
    stages = {
      'reading and aggregating (→ last Progress)': peakBetween(at(0), at(phases.last_progress)),
      'worker: finish, pack, encode, post (→ Done arrives)': peakBetween(at(phases.last_progress), at(phases.done_arrived)),
      'page: decode, render, paint (→ measure)': peakBetween(at(phases.done_arrived), at(phases.end)),
      'after the measure': peakBetween(at(phases.end), viewsStarted ?? Infinity),
    };
  }
  const { series, ...summary } = peaks;
  if (stages && viewsStarted) {
    stages['analysis views (deciles, RFM, lifecycle, CLV)'] = Math.max(0, ...peaks.series.filter(([t]) => t >= viewsStarted).map(([, rss]) => rss));
    // Each view from its click to the next view's (the last to the end of the run).
    const names = Object.keys(viewStarts);
    names.forEach((name, i) => {
      const to = viewStarts[names[i + 1]] ?? Infinity;
      stages[`  ${name} view`] = Math.max(0, ...peaks.series.filter(([t]) => t >= viewStarts[name] && t < to).map(([, rss]) => rss));
    });
  }
  // The stage in which the tab's VmHWM reached its final value: the first sample that shows it
  // (a peak between two samples shows in VmHWM, not in the resident size sampled).
  let hwmStage = null;
  if (stages && tab) {
    // (Within 2 MiB: the last few pages a later moment adds do not move the stage.)
    const reached = peaks.series.find(([, , , hwm]) => hwm >= tab.hwm - 2048);
    if (reached) {
      const at = (offset) => phases.time_origin + offset;
      const bounds = [
        ['reading and aggregating', at(0)],
        ['worker: finish … post', at(phases.last_progress)],
        ['page: decode, render, paint', at(phases.done_arrived)],
        ['after the measure', at(phases.end)],
        ...Object.entries(viewStarts).map(([name, t]) => [`${name} view`, t]),
      ];
      hwmStage = bounds.filter(([, t]) => t <= reached[0]).pop()?.[0] ?? 'before the file';
    }
  }
  // Each thread's WebAssembly memory (and the page's JS heap) in the same stages.
  const windows = [];
  if (phases) {
    const at = (offset) => phases.time_origin + offset;
    windows.push(['reading and aggregating', at(0), at(phases.last_progress)], ['worker: finish … post', at(phases.last_progress), at(phases.done_arrived)], ['page: decode, render, paint', at(phases.done_arrived), at(phases.end)]);
  }
  const viewNames = Object.keys(viewStarts);
  viewNames.forEach((name, i) => windows.push([`${name} view`, viewStarts[name], viewStarts[viewNames[i + 1]] ?? Infinity]));
  const threadStages = Object.fromEntries(windows.map(([name, from, to]) => [name, threadPeaks(threadSamples, from, to)]));
  const threadPeak = threadPeaks(threadSamples);
  report.memory = { outcome, wall_ms: wall, phases, metrics: shown, views, problems, ...summary, stages, tab_peak_kib: tab?.hwm ?? null, tab_peak_stage: hwmStage, threads: { peak: threadPeak, stages: threadStages }, series, thread_series: threadSamples };

  console.log(`\noutcome: ${outcome} after ${(wall / 1000).toFixed(1)} s${phases ? ` (measure ${ms(phases.total)})` : ''}`);
  if (shown) console.log(`the page shows ${shown.rows_read} rows, ${shown.customers} customers`);
  if (problems.length) console.log(`page problems: ${problems.join('; ')}`);
  printTable([
    ['process', 'peak RSS (sampled)', 'VmHWM', 'peak RssAnon (sampled)'],
    ...summary.processes.sort((a, b) => b.hwm - a.hwm).map((p) => [`${p.type} (${p.pid})`, mib(p.rss), mib(p.hwm), mib(p.anon)]),
    ['all Chromium processes, sampled sum', mib(peaks.peak_total_rss_kib), '', ''],
  ]);
  if (stages) {
    console.log('\nthe tab (largest renderer), peak RSS sampled in each stage:');
    printTable([['stage', 'peak RSS'], ...Object.entries(stages).map(([name, kib]) => [name, mib(kib)])]);
    const p = phases;
    console.log(`stages end at ${ms(p.last_progress)}, ${ms(p.done_arrived)}, ${ms(p.end)}; Done message ${(p.done_message_bytes / 1e6).toFixed(1)} MB`);
    if (hwmStage) console.log(`the tab's VmHWM (${mib(tab.hwm)}) was first seen (within 2 MiB) in the stage: ${hwmStage}`);
    if (tab) console.log(`the tab's own memory (RssAnon, sampled), at most: ${mib(tab.anon)} — VmRSS less the pages of the files it maps`);
    printLongTasks([p]);
  }
  if (threadSamples.length) {
    console.log('\neach thread\'s WebAssembly memory (and the page\'s JS heap), MiB, largest sample in each stage:');
    const names = Object.keys(threadPeak);
    printTable([['stage', ...names], ...Object.entries(threadStages).map(([stage, peak]) => [stage, ...names.map((n) => (peak[n] == null ? '' : String(peak[n])))]), ['whole run', ...names.map((n) => String(threadPeak[n]))]]);
  }
  if (views?.error) console.log(`analysis views: ${views.error}`);
  else if (views) {
    printViews(views, phases?.total, 'once, after the import');
    const lc = views.lifecycle;
    console.log(`lifecycle: long tasks [start, duration] ms after the click: ${JSON.stringify(lc.tasks)}`);
    console.log(`lifecycle: charts made at (ms after the click): ${lc.figures.map(([n, t]) => `${n} ${t}`).join(', ')}`);
  }
  const limit = 1024 * 1024;
  if (tab) {
    console.log(`the tab (largest renderer): peak ${mib(tab.hwm)} → ${tab.hwm < limit && outcome === 'completed' ? 'under 1 GB: met' : 'target NOT met'} (completed: ${outcome === 'completed'})`);
  }
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  TIME_VIEWS = options.views;
  const file = dataFile(options);
  if (options.file) options.rows = dataLines(file);
  if (!options.memory) buildFloor();
  const report = { date: new Date().toISOString(), file, bytes: statSync(file).size, rows: options.rows, reps: options.reps, dist: options.dist, versions: machine(), problems: [] };
  const server = await serve(options.dist, options.baseline);
  const baseUrl = `http://127.0.0.1:${server.address().port}/`;
  origin = baseUrl;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  report.versions.chromium = browser.version();
  report.load_before = loadavg().map((l) => +l.toFixed(2));
  const v = report.versions;
  console.log(`${v.cpus} × ${v.cpu}, ${v.memory_gib} GiB; ${v.kernel}; Chromium ${v.chromium}; ${v.rustc}; ${v.trunk}; node ${v.node}`);
  // Other work on the machine shows in every figure: say how busy it was.
  console.log(`load average before: ${report.load_before.join(', ')}`);
  console.log(`app from ${options.dist}, served at ${baseUrl}`);

  try {
    if (options.memory) await memory(options, file, browser, baseUrl, report);
    else if (options.pair) await pairs(options, file, browser, baseUrl, report);
    else await speed(options, file, browser, baseUrl, report);
  } finally {
    await browser.close();
    await new Promise((done) => server.close(done));
  }
  report.load_after = loadavg().map((l) => +l.toFixed(2));
  console.log(`load average after: ${report.load_after.join(', ')}`);
  if (foreignRequests.size) report.problems.push(`requests to other origins: ${[...foreignRequests].join(', ')}`);
  for (const problem of report.problems) console.log(`PROBLEM: ${problem}`);

  mkdirSync(DATA, { recursive: true });
  const out = options.json ?? join(DATA, `results-${options.memory ? 'memory' : 'speed'}-${options.rows}${options.shuffled ? '-shuffled' : ''}.json`);
  writeFileSync(out, JSON.stringify(report, null, 2));
  console.log(`\nall figures: ${out}`);
  process.exitCode = report.problems.length ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
