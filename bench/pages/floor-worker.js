// The floor (bench/floor): the least work a wasm import of the benchmark file can do. Reads the
// File with file.stream(), whose bytes the browser reads on a thread of its own while the wasm
// takes the piece before (issue 13: Blob.arrayBuffer() in the computing worker barely overlaps),
// copies each piece into wasm memory, and answers with the per-customer net sales (transferred,
// as ValueLens hands its result to the page). At start, a small file of the same layout is
// imported once, so that the timed run meets optimised code (the warm-up ValueLens's worker
// does too).
let floor;
let piece;

async function start(chunk) {
  const { instance } = await WebAssembly.instantiateStreaming(fetch('/floor/floor.wasm'), {});
  floor = instance.exports;
  piece = chunk;
  let warm = 'customer_id,order_id,order_date,amount,profit,quantity\n';
  for (let i = 0; i < 20000; i++) {
    warm += `C${String(i % 997).padStart(6, '0')},O${String(i >> 1).padStart(7, '0')},2024-0${1 + (i % 9)}-1${i % 10},${(i % 500) + 0.25},${(i % 50) + 0.5},${1 + (i % 9)}\n`;
  }
  await run(new Blob([warm]));
}

/** Writes `bytes` into the floor's input, `piece` bytes at most at a time. */
function give(bytes, last) {
  for (let at = 0; at < bytes.length || (last && at === 0); at += piece) {
    const part = bytes.subarray(at, Math.min(at + piece, bytes.length));
    new Uint8Array(floor.memory.buffer, floor.floor_input(), part.length).set(part);
    floor.floor_feed(part.length, last && at + piece >= bytes.length ? 1 : 0);
  }
}

async function run(file) {
  floor.floor_start(piece);
  const reader = file.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    give(value, false);
  }
  give(new Uint8Array(0), true);
  const at = floor.floor_finish();
  return new Float64Array(floor.memory.buffer, at, floor.floor_result_len()).slice();
}

self.onmessage = async (event) => {
  const { file, chunk } = event.data;
  try {
    if (!file) {
      await start(chunk ?? 4 * 1024 * 1024);
      self.postMessage({ ready: true });
      return;
    }
    piece = chunk;
    const result = await run(file);
    const [rows, customers, sales, bad] = result;
    self.postMessage({ rows, customers, sales, bad, result }, [result.buffer]);
  } catch (error) {
    self.postMessage({ error: String(error) });
  }
};
