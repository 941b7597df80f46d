// The floor (bench/floor): the least work a wasm import of the benchmark file can do. Reads the
// File in 4 MiB slices with Blob.arrayBuffer(), asking for the next slice while the wasm takes the
// current one (as the ValueLens worker does), copies each into wasm memory, and answers with the
// per-customer net sales (transferred, as ValueLens hands its result to the page).
let floor;

async function start() {
  const { instance } = await WebAssembly.instantiateStreaming(fetch('/floor/floor.wasm'), {});
  floor = instance.exports;
}

async function run(file, chunk) {
  floor.floor_start(chunk);
  let next = file.slice(0, Math.min(chunk, file.size)).arrayBuffer();
  for (let start = 0; start < file.size; start += chunk) {
    const bytes = new Uint8Array(await next);
    const end = start + bytes.length;
    if (end < file.size) next = file.slice(end, Math.min(end + chunk, file.size)).arrayBuffer();
    new Uint8Array(floor.memory.buffer, floor.floor_input(), bytes.length).set(bytes);
    floor.floor_feed(bytes.length, end >= file.size ? 1 : 0);
  }
  const at = floor.floor_finish();
  const result = new Float64Array(floor.memory.buffer, at, floor.floor_result_len()).slice();
  return result;
}

self.onmessage = async (event) => {
  const { file, chunk } = event.data;
  try {
    if (!file) {
      await start();
      self.postMessage({ ready: true });
      return;
    }
    const result = await run(file, chunk);
    const [rows, customers, sales, bad] = result;
    self.postMessage({ rows, customers, sales, bad, result }, [result.buffer]);
  } catch (error) {
    self.postMessage({ error: String(error) });
  }
};
