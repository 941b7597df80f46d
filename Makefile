# ValueLens — the two commands the README names are `make serve` and `make test`.
SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
PORT ?= 8080

.PHONY: serve build setup setup-test test lint fmt-check clippy unit oracle e2e bench clean single

## Build the release bundle into dist/ and serve it on http://127.0.0.1:$(PORT)
serve: build
	node scripts/serve.mjs dist $(PORT) 127.0.0.1

## Release build of the app and the import worker into dist/
build: setup
	trunk build --release --offline

setup:
	./scripts/setup.sh

setup-test:
	./scripts/setup.sh --test

## Everything: format, lints (native and wasm32), native tests, release build, browser tests
test: setup-test fmt-check clippy unit build e2e

fmt-check:
	cargo fmt --all -- --check

clippy:
	cargo clippy --all-targets -- -D warnings
	cargo clippy --all-targets --target wasm32-unknown-unknown -- -D warnings
	# The bundles built with fewer features (index.html): the import and restore workers and the app.
	cargo clippy --lib --bin worker --target wasm32-unknown-unknown --no-default-features -- -D warnings
	cargo clippy --lib --bin restorer --target wasm32-unknown-unknown --no-default-features -- -D warnings
	cargo clippy --lib --bin valuelens --target wasm32-unknown-unknown --no-default-features -- -D warnings

unit:
	cargo test --all-targets
	cargo test --doc

## The lifecycle analysis against pandas on the fixtures and the CDNOW master file, and the SQL
## pack on DuckDB and Spark against the engine (also part of `unit`; here they fail instead of
## skipping when the oracle is missing)
oracle: setup-test
	VALUELENS_REQUIRE_ORACLE=1 cargo test --test lifecycle_oracle
	VALUELENS_REQUIRE_ORACLE=1 cargo test --test sql_oracle
	VALUELENS_REQUIRE_ORACLE=1 cargo test --test clusters_oracle
	VALUELENS_REQUIRE_ORACLE=1 cargo test --test dimensions_oracle
	VALUELENS_REQUIRE_ORACLE=1 cargo test --test master_oracle
	VALUELENS_REQUIRE_ORACLE=1 cargo test --test profiles_oracle
	VALUELENS_REQUIRE_ORACLE=1 cargo test --test filter_oracle
	VALUELENS_REQUIRE_ORACLE=1 cargo test --test lines_oracle

## Browser end-to-end tests against the built dist/ (headless Chromium)
e2e:
	node --test --test-concurrency=1 tests/e2e/

clean:
	rm -rf dist dist-single target/test-artifacts test-artifacts

## Import benchmark: ValueLens vs reading the bytes, DuckDB-WASM and Papa Parse in headless
## Chromium, plus the native engine (see BENCHMARKS.md). BENCH_ARGS="--memory --rows 10000000" etc.
bench: setup-test build
	node bench/run.mjs --dist dist $(BENCH_ARGS)

## One self-contained dist-single/valuelens.html (CSS, JS and both wasm binaries inlined) that
## works opened straight from disk (file://), e.g. from a USB stick. The browser test
## tests/e2e/offline.test.mjs packs dist/ the same way itself, so `make test` checks it too.
single: build
	node scripts/single-file.mjs dist dist-single/valuelens.html
