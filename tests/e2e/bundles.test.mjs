// The shipped WebAssembly modules of dist/: no worker's message handler is one huge function.
//
// wasm-opt inlines a function with one caller however large it is, unless told otherwise
// (index.html: `--one-caller-inline-max-function-size 500` for the reader, analysis and
// restoring workers). Without it the analysis worker's handler was one function of 345 KB, whose
// optimising compile in V8 cost the tab ~80 MiB at the lifecycle view with ten million rows, and
// the reader's (118 KB) cost a first Parquet file ~0.3 s (BENCHMARKS.md, 2026-12-07 16:45 UTC).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DIST } from './harness.mjs';

/** An unsigned LEB128 at `at`: [value, the offset after it]. */
function leb(bytes, at) {
  let value = 0;
  let scale = 1;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if (byte < 0x80) return [value, at];
  }
}

/** The sizes of a module's function bodies (its code section), largest first. */
function bodySizes(bytes) {
  assert.deepEqual([...bytes.subarray(0, 4)], [0, 0x61, 0x73, 0x6d], 'a WebAssembly module');
  const sizes = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, start] = leb(bytes, at + 1);
    if (id === 10) {
      let [count, next] = leb(bytes, start);
      while (count-- > 0) {
        const [body, from] = leb(bytes, next);
        sizes.push(body);
        next = from + body;
      }
    }
    at = start + size;
  }
  return sizes.sort((a, b) => b - a);
}

/** The module of `name` in dist/ (Trunk adds a hash to the app's name only). */
function moduleOf(name) {
  const file = readdirSync(DIST).find((f) => f.startsWith(name) && f.endsWith('_bg.wasm'));
  assert.ok(file, `${name}'s module in dist/`);
  return readFileSync(join(DIST, file));
}

test('no worker ships its message handler as one huge function (wasm-opt inlining bounded)', () => {
  // Largest bodies of the build that brought the limit in: analysis 43 KB, reader 43 KB,
  // restorer 27 KB (345, 118 and 97 KB without it).
  for (const name of ['analyst', 'reader', 'restorer']) {
    const [largest, next] = bodySizes(moduleOf(name));
    assert.ok(next > 0, `${name}: more than one function`);
    assert.ok(largest <= 64 * 1024, `${name}: its largest function has ${largest} bytes`);
  }
  // The import worker and the app keep wasm-opt's default (no difference measured for the
  // import worker; the app is optimised for size): still no function over 128 KB.
  for (const name of ['worker', 'valuelens']) {
    const [largest] = bodySizes(moduleOf(name));
    assert.ok(largest <= 128 * 1024, `${name}: its largest function has ${largest} bytes`);
  }
});
