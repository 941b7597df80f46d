//! The engine: pure Rust, no browser types. Everything here runs under `cargo test`.
//!
//! Data flow: bytes → [`ingest`] (encoding, dialect, columns, values) → [`customers`]
//! (per-customer aggregates) → analyses → result structs that the UI and the charts read.
//! Nothing here panics on user input: failures are [`Error`]s, bad rows are [`RowError`]s.
//!
//! The engine returns kinds and values, never sentences: errors carry typed reasons
//! ([`ParameterProblem`], [`FormatSubject`], [`BinaryKind`]), and `crate::i18n` words them in
//! Chinese and English (`Display` stays English, for logs and tests). [`calendar`] holds the
//! day and month types every analysis counts time in; [`numeric`] holds the rules
//! every share and key follows; [`vocabulary`] the words the engine recognises in user files,
//! the only CJK literals of the engine besides the seed rule table (`tests/no_cjk.rs`).
#![warn(missing_docs)]

pub mod calendar;
pub(crate) mod chunked;
pub mod clusters;
pub mod clv;
pub mod customers;
pub mod deciles;
pub mod dimensions;
pub mod error;
pub mod export;
pub mod formats;
pub mod history;
pub mod ingest;
pub mod lifecycle;
pub mod loyalty;
pub mod master;
pub mod monthly;
pub mod numeric;
pub mod profiles;
pub mod rfm;
pub mod sample;
pub mod sql;
pub mod summary;
pub mod survey;
pub mod swot;
pub mod table;
#[cfg(test)]
pub(crate) mod test_support;
pub mod vocabulary;
pub mod workspace;

pub use error::{
    BinaryKind, ChartProblem, ContentPart, CountUnit, Error, ErrorKind, FitModel, FormatProblem,
    FormatSubject, FractionOf, InvalidContent, ItemProblem, ModelProblem, ParameterProblem, Result,
    RfmAxis, RowError, RowProblem,
};

/// WebAssembly memory marks for `bench/engine-wasm --mode memory` (feature `memory-probe`,
/// benchmarks only): the memory's size, which never shrinks, after each stage of a finish.
#[cfg(all(feature = "memory-probe", target_arch = "wasm32"))]
pub mod probe {
    use std::cell::RefCell;
    thread_local! {
        /// (stage, memory bytes) in order.
        pub static MARKS: RefCell<Vec<(&'static str, usize)>> = const { RefCell::new(Vec::new()) };
    }
    /// Notes the memory's size now.
    pub fn mark(stage: &'static str) {
        let bytes = core::arch::wasm32::memory_size(0) * 65536;
        MARKS.with(|m| m.borrow_mut().push((stage, bytes)));
    }
}

/// Time marks for `bench/engine-wasm` run natively (feature `memory-probe`, benchmarks only):
/// when each stage of a finish ended.
#[cfg(all(feature = "memory-probe", not(target_arch = "wasm32")))]
pub mod probe {
    use std::cell::RefCell;
    use std::time::Instant;
    thread_local! {
        /// (stage, when) in order.
        pub static MARKS: RefCell<Vec<(&'static str, Instant)>> = const { RefCell::new(Vec::new()) };
    }
    /// Notes the time now.
    pub fn mark(stage: &'static str) {
        MARKS.with(|m| m.borrow_mut().push((stage, Instant::now())));
    }
}

/// Notes the memory's size (in wasm) or the time (natively) at `stage` (nothing without the
/// `memory-probe` feature).
#[inline]
pub(crate) fn mark(_stage: &'static str) {
    #[cfg(feature = "memory-probe")]
    probe::mark(_stage);
}
