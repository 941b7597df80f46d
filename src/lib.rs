//! ValueLens (客户价值工作台): customer-value analysis that runs entirely in the browser.
//!
//! One crate, two worlds. [`engine`] is pure Rust (ingest, per-customer aggregation, the
//! analyses) and [`charts`] turns results into SVG strings with plotters; both compile and test
//! natively with `cargo test`. `ui` (wasm32 only) is the Leptos single-page app, thin glue that
//! holds state, calls the engine and shows the charts; `src/bin/worker.rs` runs the import in a
//! Web Worker so the page never freezes. [`i18n`] holds every string in Chinese and English.
//! No byte of the user's data leaves the browser: there is no server code anywhere.

pub mod a11y;
pub mod charts;
pub mod display;
pub mod engine;
pub mod i18n;
#[cfg(target_arch = "wasm32")]
pub mod import_worker;
pub mod mapping_edit;
pub mod present;
pub mod protocol;
pub mod session;
pub mod swot_example;
#[cfg(target_arch = "wasm32")]
pub mod ui;

/// Names this thread's WebAssembly memory `globalThis.__valuelensMemory`, so that the memory
/// benchmark (`bench/run.mjs --memory`) can read each thread's size (the page's and every
/// worker's) from outside. Only scripts of the same thread can reach it, and the page runs none
/// but its own (its Content-Security-Policy admits the app's files only), which hold the data
/// anyway: nothing is exposed that was not.
#[cfg(target_arch = "wasm32")]
pub fn expose_memory() {
    let _ = js_sys::Reflect::set(
        &js_sys::global(),
        &wasm_bindgen::JsValue::from_str("__valuelensMemory"),
        &wasm_bindgen::memory(),
    );
}
