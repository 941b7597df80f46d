//! The engine: pure Rust, no browser types. Everything here runs under `cargo test`.
//!
//! Data flow: bytes → [`ingest`] (encoding, dialect, columns, values) → [`customers`]
//! (per-customer aggregates) → analyses → result structs that the UI and the charts read.
//! Nothing here panics on user input: failures are [`Error`]s, bad rows are [`RowError`]s.
#![warn(missing_docs)]

pub mod customers;
pub mod deciles;
pub mod error;
pub mod export;
pub mod ingest;
pub mod numeric;
pub mod rfm;
pub mod sample;
pub mod summary;
pub mod swot;
pub mod table;
pub mod vocabulary;
pub mod workspace;

pub use error::{
    BinaryKind, Error, ErrorKind, FormatSubject, FractionOf, ParameterProblem, Result, RfmAxis,
    RowError, RowProblem,
};
