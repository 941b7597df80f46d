#!/usr/bin/env bash
# Installs everything ValueLens needs to build (and, with --test, to test) on a fresh Debian
# machine that has the Rust toolchain, Node.js/npm and apt. Safe to run again: it only installs
# what is missing or at the wrong version.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[[ "${1:-}" == "--test" ]] && want_test=1

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in clippy rustfmt; do
  if ! rustup component list --installed | grep -q "^$component"; then
    log "adding $component"
    rustup component add "$component"
  fi
done

if [[ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]]; then
  log "installing trunk $TRUNK_VERSION (takes a few minutes)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if [[ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (the version in Cargo.lock)"
  # Not --locked: the CLI's own lock file names a crate version the registry no longer has.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# clang: the Parquet reader's Zstd decoder (zstd-sys, C) is compiled for wasm32 by clang, whose
# WebAssembly backend Debian's build has (zstd-sys brings its own libc shim for wasm32).
if ! command -v clang >/dev/null 2>&1; then
  log "installing clang with apt (the Zstd decoder of the Parquet reader, built for wasm32)"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq clang
fi

# binaryen 132 (wasm-opt) and playwright-core from npm, pinned by package-lock.json.
if [[ ! -x node_modules/.bin/wasm-opt || ! -d node_modules/playwright-core || package-lock.json -nt node_modules/.package-lock.json ]]; then
  log "installing npm tools (binaryen, playwright-core)"
  npm ci --no-audit --no-fund
fi

if (( want_test )); then
  missing=()
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)
  [[ -x /usr/bin/chromedriver ]] || missing+=(chromium-driver)
  # CJK glyphs for screenshots and PDF pages of the Chinese UI.
  fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || missing+=(fonts-noto-cjk)
  # pdfinfo, pdftotext and pdftoppm check the printed report and keep its pages as PNG.
  command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
  # python3's venv module (the lifecycle oracle's pandas lives in a venv of its own).
  python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
  if (( ${#missing[@]} )); then
    log "installing ${missing[*]} with apt"
    SUDO=""
    [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get update -qq || true
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
  fi

  # The lifecycle tests' oracle (tests/lifecycle_oracle.rs): pandas in a venv of its own, and
  # the public CDNOW master file, which the `lifetimes` wheel on PyPI ships. Nothing of it is
  # committed or shipped; `cargo test` fails in CI without it.
  VENV=target/test-venv
  PANDAS_VERSION=2.2.3
  LIFETIMES_VERSION=0.11.3
  AUTOGRAD_VERSION=1.9.1
  SCIPY_VERSION=1.17.1
  DILL_VERSION=0.4.1
  NUMPY_VERSION=2.4.6
  # The cluster oracle (tests/clusters_oracle.rs): scikit-learn with the numpy and scipy above.
  SKLEARN_VERSION=1.8.0
  CDNOW=target/test-data/CDNOW_master.txt
  CDNOW_SHA256=eff6889ed364c5199d6eacbbeb7a6d559971df4406ac876f322c373f00a072ef
  # The CLV oracle (tests/clv_oracle.rs): the CDNOW sample of the BG/NBD paper from the same
  # wheel, and lifetimes itself with the versions it was checked with.
  SAMPLE=target/test-data/CDNOW_sample.txt
  SAMPLE_SHA256=6fae10155c0b0ba363c2c386e30f77990d22328220efd862a5edd1443420d94a
  if ! "$VENV/bin/python" -c "import pandas; assert pandas.__version__ == '$PANDAS_VERSION'" 2>/dev/null; then
    log "creating $VENV with pandas $PANDAS_VERSION (the lifecycle oracle)"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "pandas==$PANDAS_VERSION"
  fi
  # lifetimes 0.11.3 with the versions it was checked with (tests/clv_oracle.rs,
  # bench/clv_lifetimes.py); it installs cleanly beside pandas 2.2.3 and numpy 2.4.
  if ! "$VENV/bin/python" -c "import lifetimes, autograd, scipy; assert scipy.__version__ == '$SCIPY_VERSION'" 2>/dev/null; then
    log "installing lifetimes $LIFETIMES_VERSION into $VENV (the CLV oracle)"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "lifetimes==$LIFETIMES_VERSION" \
      "autograd==$AUTOGRAD_VERSION" "scipy==$SCIPY_VERSION" "dill==$DILL_VERSION" "numpy==$NUMPY_VERSION"
  fi
  # The SQL pack's oracle (tests/sql_oracle.rs): DuckDB's Python package and PySpark (Spark in
  # local mode, on the machine's Java 17), pinned; both run the generated SQL.
  DUCKDB_VERSION=1.4.4
  PYSPARK_VERSION=3.5.6
  if ! "$VENV/bin/python" -c "import duckdb, pyspark; assert duckdb.__version__ == '$DUCKDB_VERSION' and pyspark.__version__ == '$PYSPARK_VERSION'" 2>/dev/null; then
    log "installing duckdb $DUCKDB_VERSION and pyspark $PYSPARK_VERSION into $VENV (the SQL oracle)"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "duckdb==$DUCKDB_VERSION" "pyspark==$PYSPARK_VERSION"
  fi
  if ! java -version >/dev/null 2>&1; then
    log "installing Java 17 for Spark (the SQL oracle)"
    SUDO=""
    [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq openjdk-17-jre-headless
  fi
  if ! "$VENV/bin/python" -c "import sklearn; assert sklearn.__version__ == '$SKLEARN_VERSION'" 2>/dev/null; then
    log "installing scikit-learn $SKLEARN_VERSION into $VENV (the cluster oracle)"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "scikit-learn==$SKLEARN_VERSION" \
      "scipy==$SCIPY_VERSION" "numpy==$NUMPY_VERSION"
  fi
  # The spreadsheet fixtures' writer and oracle (tests/oracle/make_xlsx.py, issue 17): openpyxl.
  OPENPYXL_VERSION=3.1.5
  if ! "$VENV/bin/python" -c "import openpyxl; assert openpyxl.__version__ == '$OPENPYXL_VERSION'" 2>/dev/null; then
    log "installing openpyxl $OPENPYXL_VERSION into $VENV (the spreadsheet fixtures)"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "openpyxl==$OPENPYXL_VERSION"
  fi
  if [[ "$(sha256sum "$CDNOW" 2>/dev/null | cut -d' ' -f1)" != "$CDNOW_SHA256" \
     || "$(sha256sum "$SAMPLE" 2>/dev/null | cut -d' ' -f1)" != "$SAMPLE_SHA256" ]]; then
    log "taking $CDNOW and $SAMPLE from the lifetimes $LIFETIMES_VERSION wheel (PyPI)"
    mkdir -p target/test-data
    "$VENV/bin/pip" download --quiet --disable-pip-version-check --no-deps \
      --dest target/test-data "lifetimes==$LIFETIMES_VERSION"
    "$VENV/bin/python" - "$CDNOW" "$SAMPLE" <<'PY'
import glob, sys, zipfile
wheel = zipfile.ZipFile(glob.glob("target/test-data/[Ll]ifetimes-*.whl")[0])
for path, name in zip(sys.argv[1:], ["CDNOW_master.txt", "CDNOW_sample.txt"]):
    with open(path, "wb") as out:
        out.write(wheel.read("lifetimes/datasets/" + name))
PY
    echo "$CDNOW_SHA256  $CDNOW" | sha256sum --check --quiet
    echo "$SAMPLE_SHA256  $SAMPLE" | sha256sum --check --quiet
  fi
fi
log "ready"
