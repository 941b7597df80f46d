//! What an import came to besides the customers: the [`ImportReport`] (counts, the first
//! rejected rows, the days, quotes left open), the rejected rows kept for download
//! ([`RejectedRow`]), and the [`Tally`] that gathers them row by row, within bounds
//! ([`MAX_ERRORS_SHOWN`], [`MAX_REJECTED_KEPT`] and a byte budget).

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::settings::ImportSettings;
use super::{MAX_ERRORS_SHOWN, MAX_REJECTED_KEPT};
use crate::engine::calendar::{earliest, latest, Day};
use crate::engine::customers::CustomerTable;
use crate::engine::dimensions::CustomerAttributes;
use crate::engine::error::{Error, Result, RowError, RowProblem};
use crate::engine::history::PurchaseHistory;
use crate::engine::numeric::truncate_chars;

/// Of a rejected row, at most this many cells are kept for the download…
const MAX_KEPT_CELLS: usize = 2_000;
/// …each cut to this many characters…
const MAX_KEPT_CELL_CHARS: usize = 1_000;
/// …and all kept rejected rows together hold at most this many bytes of text; later rows are
/// counted and listed among the first errors as usual, but not kept.
const MAX_REJECTED_BYTES: usize = 32 << 20;

/// Counts and facts of a finished import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    /// The settings the import ran with (encoding, delimiter, mapping …).
    pub settings: ImportSettings,
    /// Bytes read.
    pub bytes: u64,
    /// Data rows read (blank lines and the header excluded).
    pub rows_read: u64,
    /// Rows accepted into the analysis.
    pub rows_accepted: u64,
    /// Rows rejected.
    pub rows_rejected: u64,
    /// Accepted rows with a negative amount (returns, refunds).
    pub return_rows: u64,
    /// The first rejected rows, with line, column and reason.
    pub first_errors: Vec<RowError>,
    /// Replacement characters produced by decoding (bytes invalid in the encoding).
    pub replacement_chars: u64,
    /// Earliest and latest day among accepted rows.
    pub first_day: Option<Day>,
    /// Latest day among accepted rows.
    pub last_day: Option<Day>,
    /// Quoted fields left open (rejected as [`RowProblem::RunawayQuote`] or
    /// [`RowProblem::RecordTooLong`]), and the lines they held.
    #[serde(default)]
    pub runaway_quotes: RunawayQuotes,
    /// Blank records skipped: empty lines or `,,,` of a text file, fully empty rows of a sheet.
    #[serde(default)]
    pub blank_rows: u64,
}

/// Records that ran over many lines: each is one rejected row, whose other lines are not read
/// as rows. Reported apart so that no line goes uncounted, and so that the UI can offer to read
/// the file with quotes taken literally.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunawayQuotes {
    /// How many such records.
    pub count: u64,
    /// The lines they span, together.
    pub lines: u64,
    /// The line where the first one opens.
    pub first_line: Option<u64>,
}

impl RunawayQuotes {
    fn add(&mut self, line: u64, lines: u64) {
        self.count += 1;
        self.lines += lines;
        self.first_line = Some(self.first_line.map_or(line, |first| first.min(line)));
    }
}

/// The result of an import: per-customer data, the report, the rejected rows and every
/// customer's purchase days.
///
/// The customers are a [`CustomerTable`]; the import worker finishes them flat
/// ([`crate::engine::customers::FlatCustomers`], [`super::Importer::finish_flat`]) for its frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportOutcome<T = CustomerTable> {
    /// Customers.
    pub table: T,
    /// What happened.
    pub report: ImportReport,
    /// Rejected rows: line, reason, then the original cells (at most [`MAX_REJECTED_KEPT`]).
    pub rejected: Vec<RejectedRow>,
    /// Every customer's purchase days ([`crate::engine::history`]), one entry per customer of
    /// `table`, in its order (by id); without a date column every customer has none. Always
    /// there after an import; `None` only for data reopened from a workspace saved without it
    /// (the lifecycle analysis then needs the file again). Shared: cloning the outcome (or the
    /// page's loaded data) does not copy the days.
    pub history: Option<Arc<PurchaseHistory>>,
    /// Every customer's attributes ([`crate::engine::dimensions`]), parallel to `table`; `None`
    /// without attribute columns (and for data reopened from a workspace file).
    #[serde(default)]
    pub attributes: Option<Arc<CustomerAttributes>>,
    /// Every customer's line attributes ([`crate::engine::dimensions::lines`]), grouped by
    /// customer in the table's order; `None` without line attribute columns (and for data
    /// reopened from a workspace file).
    #[serde(default)]
    pub lines: Option<Arc<crate::engine::dimensions::LineAttributes>>,
}

impl ImportOutcome {
    /// The customer attributes when they are there and have a code per customer of the table
    /// (their codes were checked where they came in: the hand-off, a workspace file).
    pub fn customer_attributes(&self) -> Option<&Arc<CustomerAttributes>> {
        self.attributes
            .as_ref()
            .filter(|a| a.shaped_for(self.table.customers.len()))
    }

    /// The line attributes when they are there and have the pairs of every customer of the
    /// table (their pairs were checked where they came in; this is read several times a task,
    /// and a full check of 8 million pairs took 5 ms each time).
    pub fn line_attributes(&self) -> Option<&Arc<crate::engine::dimensions::LineAttributes>> {
        self.lines
            .as_ref()
            .filter(|l| l.shaped_for(self.table.customers.len()))
    }

    /// The purchase days when they are there and have one entry per customer of the table (what
    /// [`crate::engine::lifecycle::analyse_lifecycle`] needs).
    pub fn purchase_history(&self) -> Option<&Arc<PurchaseHistory>> {
        self.history
            .as_ref()
            .filter(|history| history.len() == self.table.customers.len())
    }
}

/// A rejected row kept for download.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RejectedRow {
    /// The reason, with line and column.
    pub error: RowError,
    /// The row's cells as read.
    pub cells: Vec<String>,
}

/// What an importer's rows came to, besides the customers: counts, the first errors and
/// rejected rows, and the first and last day. The SWOT CSV import counts its rows with it too.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Tally {
    pub(super) bytes: u64,
    pub(crate) rows_read: u64,
    pub(crate) rows_accepted: u64,
    pub(crate) rows_rejected: u64,
    pub(super) return_rows: u64,
    pub(crate) first_errors: Vec<RowError>,
    pub(crate) rejected: Vec<RejectedRow>,
    pub(super) first_day: Option<Day>,
    pub(super) last_day: Option<Day>,
    pub(super) runaway_quotes: RunawayQuotes,
    /// Blank records (empty lines, `,,,`, fully empty sheet rows), skipped.
    #[serde(default)]
    pub(super) blank_rows: u64,
    /// Bytes of text held by `rejected`.
    rejected_bytes: usize,
}

impl Tally {
    /// Adds the tally of the input that follows, whose line numbers count from 1 after
    /// `lines_before` lines of this one.
    pub(super) fn absorb(&mut self, later: Tally, lines_before: u64) {
        let shift = |mut error: RowError| {
            error.line += lines_before;
            error
        };
        self.bytes += later.bytes;
        self.rows_read += later.rows_read;
        self.rows_accepted += later.rows_accepted;
        self.rows_rejected += later.rows_rejected;
        self.return_rows += later.return_rows;
        self.blank_rows += later.blank_rows;
        let room = MAX_ERRORS_SHOWN.saturating_sub(self.first_errors.len());
        self.first_errors
            .extend(later.first_errors.into_iter().take(room).map(shift));
        for row in later.rejected {
            let bytes = kept_size(&row.cells);
            if !self.has_room_for(bytes) {
                break;
            }
            self.rejected_bytes += bytes;
            self.rejected.push(RejectedRow {
                error: shift(row.error),
                cells: row.cells,
            });
        }
        self.first_day = earliest(self.first_day, later.first_day);
        self.last_day = latest(self.last_day, later.last_day);
        let runaways = later.runaway_quotes;
        self.runaway_quotes.count += runaways.count;
        self.runaway_quotes.lines += runaways.lines;
        if let Some(line) = runaways.first_line {
            let line = line + lines_before;
            let first = self.runaway_quotes.first_line.map_or(line, |f| f.min(line));
            self.runaway_quotes.first_line = Some(first);
        }
    }

    /// True when a rejected row of `bytes` bytes may still be kept.
    fn has_room_for(&self, bytes: usize) -> bool {
        self.rejected.len() < MAX_REJECTED_KEPT
            && self.rejected_bytes.saturating_add(bytes) <= MAX_REJECTED_BYTES
    }

    /// The error for an input none of whose rows counts: `no_rows` (the file is empty, or has
    /// only a header) without rows, [`Error::AllRowsRejected`] when every row was rejected.
    pub(crate) fn check_some_accepted(&self, no_rows: Error) -> Result<()> {
        if self.rows_read == 0 {
            return Err(no_rows);
        }
        if self.rows_accepted == 0 {
            return Err(Error::AllRowsRejected {
                rows: self.rows_read,
                first: self.first_errors.first().cloned().map(Box::new),
            });
        }
        Ok(())
    }

    /// Counts a rejected row (and keeps its cells, when there is room).
    pub(crate) fn reject(&mut self, error: RowError, cells: impl FnOnce() -> Vec<String>) {
        self.rows_rejected += 1;
        if let RowProblem::RunawayQuote { lines } | RowProblem::RecordTooLong { lines } =
            error.problem
        {
            self.runaway_quotes.add(error.line, lines);
        }
        if self.first_errors.len() < MAX_ERRORS_SHOWN {
            self.first_errors.push(error.clone());
        }
        if self.has_room_for(0) {
            let cells = cells();
            let bytes = kept_size(&cells);
            if self.has_room_for(bytes) {
                self.rejected_bytes += bytes;
                self.rejected.push(RejectedRow { error, cells });
            }
        }
    }
}

/// Bytes of text a kept rejected row holds (with a little for each cell).
fn kept_size(cells: &[String]) -> usize {
    cells.iter().map(|cell| cell.len() + 16).sum()
}

/// The cells of a rejected row as kept for the download: at most [`MAX_KEPT_CELLS`], each cut
/// to [`MAX_KEPT_CELL_CHARS`] characters (a cut cell ends in `…`).
pub(crate) fn kept_cells_of<'a>(cells: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    cells
        .into_iter()
        .take(MAX_KEPT_CELLS)
        .map(|cell| truncate_chars(cell, MAX_KEPT_CELL_CHARS))
        .collect()
}
