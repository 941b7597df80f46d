// Times bench/engine-wasm.rs builds (wasm-bindgen --target nodejs output directories) on one
// file in Node's V8: each build imports the file REPS times, builds alternating, after two
// untimed runs each (V8 optimises wasm functions once they have run). Prints, per build, the
// median and range of the wall time and of the process's processor time (user + system), which
// other work on the machine disturbs less.
//
//   node bench/engine-wasm.mjs FILE DIR [DIR …] [--reps 7] [--piece 4194304] [--mode csv|parquet|decode|handoff|deciles|rfm|deciles-steps|rfm-steps|memory|worker-memory]
//
// --mode parquet imports FILE as a Parquet file (`import_parquet`, the reader worker's path),
// --mode decode only decodes its typed cells (`decode_parquet`); --mode handoff imports the file
// and writes the worker's `Done` frame once, untimed, then times the page's decoding of that frame
// (`decode_handoff`: `DoneDecoder` as the page runs it, purchase days checked); --mode deciles
// and --mode rfm import it once, untimed, then time the page's decile or RFM analysis of the
// customers (build the example with `--release`, the app's profile, to see the app's speed).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const [, value] = args.splice(at, 2);
  return Number(value);
};
const reps = option('--reps', 7);
const modeAt = args.indexOf('--mode');
const mode = modeAt < 0 ? 'csv' : args.splice(modeAt, 2)[1];
const piece = option('--piece', 4 * 1024 * 1024);
const [file, ...dirs] = args;
if (!file || !dirs.length) throw new Error('usage: node bench/engine-wasm.mjs FILE DIR [DIR …]');
const require = createRequire(import.meta.url);
const builds = dirs.map((dir) => ({ dir, engine: require(resolve(dir, 'engine-wasm.js')), wall: [], cpu: [] }));
const bytes = new Uint8Array(readFileSync(file));
console.log(`${file} (${mode}): ${bytes.length} bytes; load ${loadavg().map((l) => l.toFixed(2)).join(', ')}`);
const once = (build) => {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const customers =
    mode === 'parquet'
      ? build.engine.import_parquet(bytes)
      : mode === 'decode'
        ? build.engine.decode_parquet(bytes)
        : mode === 'handoff'
          ? build.engine.decode_handoff()
          : mode === 'deciles'
            ? build.engine.views_deciles()
            : mode === 'rfm'
              ? build.engine.views_rfm()
              : build.engine.import_file(bytes, piece);
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { customers, wall, cpu: (used.user + used.system) / 1000 };
};
// --mode deciles-steps | rfm-steps: the import once per build, untimed; then the analysis in
// its pieces (`views_begin`, `views_step`: one a task in the page), each piece timed; prints each
// piece's median and largest time over the repetitions, and the whole's.
// --mode memory: one import per build (each build is a fresh instance), the file fed in pieces;
// prints the instance's WebAssembly memory (its high-water mark: it never shrinks) before,
// after reading, after the finish and after writing the `Done` frame outside it, as the worker
// does.
if (mode === 'memory') {
  for (const build of builds) {
    const head = bytes.subarray(0, 256 * 1024);
    const start = build.engine.memory_begin(head, head.length === bytes.length);
    for (let at = 0; at < bytes.length; at += piece) build.engine.memory_push(bytes.subarray(at, at + piece));
    const [read, finished, frame, customers, frameBytes] = build.engine.memory_end().split(' ');
    console.log(`${build.dir}: ${customers} customers; wasm memory MiB: start ${start.toFixed(1)}, read ${read}, finished ${finished}, frame written ${frame} (frame ${(frameBytes / 1e6).toFixed(1)} MB)`);
  }
  process.exit(0);
}
// --mode worker-memory: the analysis worker's lifecycle and CLV requests as the page sends them
// (made by one instance from the imported file), each replayed in a fresh instance of each build
// as the worker runs it; prints that instance's memory after each step (its high-water mark).
if (mode === 'worker-memory') {
  for (const build of builds) {
    for (const lifecycle of [true, false]) {
      const count = build.engine.worker_request(bytes, piece, lifecycle);
      const fields = Array.from({ length: count }, (_, i) => build.engine.worker_request_field(i));
      // A fresh instance: the module's cache entry dropped, its file loaded again.
      const path = require.resolve(resolve(build.dir, 'engine-wasm.js'));
      delete require.cache[path];
      const fresh = require(path);
      const [frame, offsets, records, days = new Uint8Array(0)] = fields;
      const steps = fresh.worker_replay(frame, offsets, records, days);
      console.log(`${build.dir}: ${lifecycle ? 'lifecycle' : 'CLV'} request, fields ${fields.map((f) => (f.length / 1e6).toFixed(1)).join(' / ')} MB; wasm memory MiB: ${steps}`);
    }
  }
  process.exit(0);
}
if (mode === 'deciles-steps' || mode === 'rfm-steps') {
  for (const build of builds) {
    build.engine.prepare_views(bytes, piece);
    const runs = [];
    for (let rep = 0; rep < reps + 2; rep++) {
      if (!build.engine.views_begin(mode === 'rfm-steps')) throw new Error('no analysis');
      const times = [];
      for (;;) {
        const started = performance.now();
        const more = build.engine.views_step();
        times.push(performance.now() - started);
        if (!more) break;
      }
      if (rep >= 2) runs.push(times);
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    const pieces = runs[0].map((_, k) => runs.map((r) => r[k] ?? 0));
    console.log(`${build.dir}: ${runs[0].length} pieces; ms each (median / largest of ${runs.length}):`);
    console.log(pieces.map((p, k) => `${k + 1}: ${median(p).toFixed(1)} / ${Math.max(...p).toFixed(1)}`).join(', '));
    console.log(`whole: ${median(runs.map((r) => r.reduce((a, b) => a + b, 0))).toFixed(1)} ms`);
  }
  process.exit(0);
}
// --mode handoff: the import and the Done frame once per build, untimed; then only the decode.
if (mode === 'handoff') for (const build of builds) build.frame = build.engine.prepare_handoff(bytes, piece);
// --mode deciles | rfm: the import once per build, untimed; then only the analysis of its table.
if (mode === 'deciles' || mode === 'rfm') for (const build of builds) build.engine.prepare_views(bytes, piece);
for (const build of builds) for (let i = 0; i < 2; i++) once(build);
for (let rep = 0; rep < reps; rep++) {
  for (const build of rep % 2 ? [...builds].reverse() : builds) {
    const run = once(build);
    build.customers = run.customers;
    build.wall.push(run.wall);
    build.cpu.push(run.cpu);
  }
}
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const f = (v) => Math.round(v);
for (const b of builds) {
  console.log(`${b.dir}: ${b.customers} customers; wall ${f(median(b.wall))} ms (${f(Math.min(...b.wall))}–${f(Math.max(...b.wall))}), processor ${f(median(b.cpu))} ms (${f(Math.min(...b.cpu))}–${f(Math.max(...b.cpu))})`);
}
console.log(`load ${loadavg().map((l) => l.toFixed(2)).join(', ')}`);
