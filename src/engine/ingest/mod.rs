//! Ingest (导入): bytes of a CSV export → validated per-customer data, with a report of
//! everything that was decided and every row that was rejected.
//!
//! Two steps, so the UI can show and correct the guesses before the long work:
//! 1. [`inspect`] reads the first bytes and guesses encoding, delimiter, header, column roles,
//!    decimal separator and date order ([`Preview`]).
//! 2. An [`Importer`] built from the (possibly corrected) [`ImportSettings`] takes the whole file
//!    in chunks of any size and aggregates per customer as it goes ([`ImportOutcome`]).
//!
//! Bad rows never stop an import: each is counted, the first [`MAX_ERRORS_SHOWN`] are kept with
//! line, column and reason, and all of them (up to [`MAX_REJECTED_KEPT`]) can be downloaded.
//!
//! The modules, by concern:
//! - [`encoding`], [`dialect`] (the record splitter), [`values`], [`columns`]: bytes to text,
//!   text to records, cells to numbers and dates, headers and cells to column roles;
//! - `settings`: [`InspectOptions`], [`Preview`], [`ImportSettings`], [`Concern`];
//! - `inspect`: [`inspect`] and [`DateScanner`], the guesses from a file's head;
//! - `rows`: the per-row checks and reading, the hot loop;
//! - `report`: [`ImportReport`], [`ImportOutcome`], [`RejectedRow`] and the tally behind them;
//! - `summary`: [`SummaryRole`], [`SummaryMapping`], [`guess_summary`]: a per-customer summary
//!   read in place of order lines (issue 17);
//! - `typed`: [`TypedCell`], [`ColumnUse`]: a columnar file's rows as typed cells
//!   ([`Importer::push_typed_row`]), taken only where the text path would take them alike;
//! - `whole`: [`decode_text`] and [`read_whole_text`], a small file beside the orders (survey, master) read whole;
//! - `importer`: [`Importer`], the two-part import ([`Part`], [`part_start`]) and the in-memory
//!   drivers [`import_bytes`], [`import_with`], [`import_in_halves`].
//!
//! Every public item is re-exported here: `engine::ingest::X` is the path to use.

pub mod columns;
mod decoded;
pub mod dialect;
pub mod encoding;
pub mod values;

mod importer;
mod inspect;
mod report;
mod rows;
mod settings;
mod summary;
mod typed;
mod utf;
mod whole;

pub use decoded::DecodedRows;
pub use importer::{import_bytes, import_in_halves, import_with, part_start, Importer, Part};
pub use inspect::{inspect, inspect_table, DateScanner};
pub use report::{ImportOutcome, ImportReport, RejectedRow, RunawayQuotes};
pub use settings::{Concern, ImportSettings, InspectOptions, Preview, TableSource};
pub use summary::{
    guess_summary, summary_mapping_from_headers, SummaryMapping, SummaryRole, SummaryRow,
};
pub use typed::{ColumnUse, TypedCell, TYPED_TEXT_MAX};
pub use whole::{
    cell_error, decode_text, read_whole_text, whole_delimiter, DecodedText, HeaderWords,
    PieceDecoded, PieceDecoder, TextOptions, WholeFile,
};

pub(crate) use inspect::sep_line_delimiter;
pub(crate) use report::{kept_cells_of, Tally};
pub(crate) use rows::column_name;

/// The name the import gives column `index` (0-based) when the file names it not: without a
/// header row, or for an empty header cell. `column 1`, `column 2` …: the engine's own words
/// for messages and logs; the UI shows it in its language (`i18n::column_title`).
pub fn default_column_name(index: usize) -> String {
    format!("column {}", index + 1)
}

/// How many rejected rows are kept with full detail for display.
pub const MAX_ERRORS_SHOWN: usize = 100;
/// How many rejected rows are kept for the download of rejected rows.
pub const MAX_REJECTED_KEPT: usize = 100_000;
/// How many rows the preview shows.
pub const PREVIEW_ROWS: usize = 20;
/// The most columns a file may have: a header with more is refused
/// ([`Error::TooManyColumns`](crate::engine::Error::TooManyColumns)), and a longer data row is
/// rejected like any row with more fields than the header.
pub const MAX_COLUMNS: usize = 2_000;
/// A quoted field that spans more lines than this is taken for a quote left open, even when
/// none of the lines it holds looks like a row.
pub const MAX_QUOTED_LINES: u64 = 100;
