#!/bin/bash
# The size of a worker's wasm as Trunk ships it: wasm-bindgen (no-modules, as Trunk's worker
# loader), wasm-opt at LEVEL (3 for the workers, z for the app), gzip -9.
#   bench/wasm-size.sh target/wasm32-unknown-unknown/web-release/worker.wasm [LEVEL]
# Needs wasm-bindgen and the npm binaryen of `scripts/setup.sh` (node_modules/.bin/wasm-opt).
set -euo pipefail
in=$1
level=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
wasm-bindgen --target no-modules --no-typescript --out-name w --out-dir "$out" "$in"
"$root/node_modules/.bin/wasm-opt" "-O$level" --enable-simd --enable-bulk-memory \
  --enable-reference-types --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals "$out/w_bg.wasm" -o "$out/o.wasm"
echo "raw $(stat -c %s "$out/o.wasm") B, gzip -9 $(gzip -9 -c "$out/o.wasm" | wc -c) B"
