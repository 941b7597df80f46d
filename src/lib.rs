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
