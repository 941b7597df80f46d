#!/bin/bash
# The app alone, rebuilt into a copy of a Trunk dist/ (BASE) as OUT, keeping its function names
# (wasm-opt -Oz -g) for bench/task-profile.mjs; with --plain, as Trunk ships it (-Oz). The
# integrity hashes of index.html are updated. Only the app is rebuilt: the workers stay BASE's.
#   bench/named-app.sh [--plain] BASE OUT
set -euo pipefail
G=-g
if [[ "${1:-}" == "--plain" ]]; then G=; shift; fi
BASE=$(realpath "$1"); OUT=$(realpath -m "$2")
cd "$(dirname "$0")/.."
rm -rf "$OUT"; cp -r "$BASE" "$OUT"
cargo build --profile release --target wasm32-unknown-unknown --bin valuelens --no-default-features 2>&1 | tail -1
NAME=$(ls $OUT | grep -o '^valuelens-[0-9a-f]*' | head -1)
T=$(mktemp -d)
wasm-bindgen --target web --no-typescript --out-dir $T --out-name $NAME target/wasm32-unknown-unknown/release/valuelens.wasm
PATH=$PWD/node_modules/.bin:$PATH wasm-opt -Oz $G --enable-reference-types --enable-bulk-memory --enable-simd --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals $T/${NAME}_bg.wasm -o $OUT/${NAME}_bg.wasm
cp $T/$NAME.js $OUT/$NAME.js
python3 - "$OUT" "$BASE" "$NAME" <<'PY'
import sys,hashlib,base64,os
out,base,name=sys.argv[1:]
idx=open(os.path.join(out,'index.html')).read()
for f in [name+'.js', name+'_bg.wasm']:
    old=base64.b64encode(hashlib.sha384(open(os.path.join(base,f),'rb').read()).digest()).decode()
    new=base64.b64encode(hashlib.sha384(open(os.path.join(out,f),'rb').read()).digest()).decode()
    assert old in idx, f
    idx=idx.replace(old,new)
open(os.path.join(out,'index.html'),'w').write(idx)
PY
ls -la $OUT/${NAME}_bg.wasm
