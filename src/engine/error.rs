//! Errors of the engine: one enum for failures that stop an import or an analysis, and
//! [`RowError`] for a single rejected row, which never stops anything.
//!
//! Messages are lowercase, without a trailing full stop, and say where and what, in English.
//! The UI translates them through the machine-readable kinds ([`ErrorKind`], [`RowProblem`]).

use serde::{Deserialize, Serialize};

/// A failure that stops an import or an analysis.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum Error {
    /// The file holds no bytes, or only white space.
    #[error("the file is empty")]
    EmptyFile,
    /// The file has a header row but not a single data row.
    #[error("the file has a header row but no data rows")]
    HeaderOnly,
    /// The bytes are not text: an image, an archive, a spreadsheet or other binary data.
    #[error("the file is not text ({what}): save it as CSV and try again")]
    Binary {
        /// What the bytes look like, e.g. "a PNG image" or "an Excel workbook".
        what: String,
    },
    /// No column holds the customer id, so nothing can be aggregated per customer.
    #[error("no column is mapped to the customer id")]
    NoCustomerColumn,
    /// No column holds the amount (sales).
    #[error("no column is mapped to the amount (sales)")]
    NoAmountColumn,
    /// The mapping names a column the file does not have.
    #[error("column {index} does not exist: the file has {count} columns")]
    NoSuchColumn {
        /// Zero-based column index asked for.
        index: usize,
        /// Number of columns the file has.
        count: usize,
    },
    /// Every data row was rejected: there is nothing to analyse.
    #[error("all {rows} data rows were rejected; first problem: {first}")]
    AllRowsRejected {
        /// Number of rows read.
        rows: u64,
        /// The first row error, as text.
        first: String,
    },
    /// The encoding name given as an override is unknown.
    #[error("unknown text encoding '{0}'")]
    UnknownEncoding(String),
    /// The import was cancelled by the user.
    #[error("the import was cancelled")]
    Cancelled,
    /// A parameter of an analysis is out of its range.
    #[error("parameter '{name}': {reason}")]
    Parameter {
        /// Parameter name.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// There is no data to analyse.
    #[error("there is no data to analyse")]
    NoData,
    /// A chart could not be drawn.
    #[error("chart '{chart}': {reason}")]
    Chart {
        /// Chart name.
        chart: String,
        /// What went wrong.
        reason: String,
    },
    /// A workspace or message could not be read.
    #[error("could not read {what}: {reason}")]
    Format {
        /// What was being read.
        what: String,
        /// Why it failed.
        reason: String,
    },
    /// A workspace file was saved by a newer ValueLens, with a format this one cannot read.
    #[error(
        "this workspace was saved by a newer ValueLens (version {version}); this one reads up to \
         version {supported}"
    )]
    NewerWorkspace {
        /// The file's format version.
        version: u32,
        /// The newest version this code reads.
        supported: u32,
    },
    /// A line of the head has more columns than any table export has.
    #[error("line {line} has {count} columns; ValueLens reads at most {limit}")]
    TooManyColumns {
        /// 1-based line.
        line: u64,
        /// Its number of columns.
        count: u64,
        /// The most columns read ([`crate::engine::ingest::MAX_COLUMNS`]).
        limit: u64,
    },
    /// The first line of the file is longer than the head read to inspect it: not a table.
    #[error("line {line} is longer than {limit} bytes: this is not a table export")]
    LineTooLong {
        /// 1-based line.
        line: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// A workspace file (or an edit of its SWOT boards) holds more of something than ValueLens
    /// allows, a value out of its range, or figures that do not add up.
    #[error("{0}")]
    Workspace(crate::engine::workspace::WorkspaceProblem),
}

impl Error {
    /// The machine-readable kind of this error, for translation in the UI.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::EmptyFile => ErrorKind::EmptyFile,
            Error::HeaderOnly => ErrorKind::HeaderOnly,
            Error::Binary { .. } => ErrorKind::Binary,
            Error::NoCustomerColumn => ErrorKind::NoCustomerColumn,
            Error::NoAmountColumn => ErrorKind::NoAmountColumn,
            Error::NoSuchColumn { .. } => ErrorKind::NoSuchColumn,
            Error::AllRowsRejected { .. } => ErrorKind::AllRowsRejected,
            Error::UnknownEncoding(_) => ErrorKind::UnknownEncoding,
            Error::Cancelled => ErrorKind::Cancelled,
            Error::Parameter { .. } => ErrorKind::Parameter,
            Error::NoData => ErrorKind::NoData,
            Error::Chart { .. } => ErrorKind::Chart,
            Error::Format { .. } => ErrorKind::Format,
            Error::NewerWorkspace { .. } => ErrorKind::NewerWorkspace,
            Error::TooManyColumns { .. } => ErrorKind::TooManyColumns,
            Error::LineTooLong { .. } => ErrorKind::LineTooLong,
            Error::Workspace(_) => ErrorKind::Workspace,
        }
    }
}

/// The kind of an [`Error`], without its details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub enum ErrorKind {
    EmptyFile,
    HeaderOnly,
    Binary,
    NoCustomerColumn,
    NoAmountColumn,
    NoSuchColumn,
    AllRowsRejected,
    UnknownEncoding,
    Cancelled,
    Parameter,
    NoData,
    Chart,
    Format,
    NewerWorkspace,
    TooManyColumns,
    LineTooLong,
    Workspace,
}

/// The result type of the engine.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a row was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RowProblem {
    /// A required cell is empty.
    Missing,
    /// The cell is not a number.
    NotANumber,
    /// The cell is not a date in any format the column uses.
    NotADate,
    /// The row has fewer cells than the mapped columns need.
    TooFewColumns,
    /// The text could not be decoded in the file's encoding (replacement characters).
    BadEncoding,
    /// The cell names no SWOT quadrant (S, W, O, T, 优势, 劣势, 机会, 威胁 …).
    UnknownQuadrant,
    /// A SWOT score outside 1 to 10 (never clamped).
    ScoreOutOfRange,
    /// A SWOT weight below 0 (or too large).
    WeightOutOfRange,
    /// The respondent has already scored this SWOT item.
    DuplicateScore,
    /// The row has more non-empty fields than the header has columns: its values are shifted.
    ExtraColumns {
        /// Fields in the row.
        found: u32,
        /// Columns of the header.
        expected: u32,
    },
    /// The row has more fields than the header because a number was split at its thousands
    /// or decimal separator, which is also the delimiter (`1,234.56` not quoted in a comma file).
    SplitNumber {
        /// Fields in the row.
        found: u32,
        /// Columns of the header.
        expected: u32,
    },
    /// A quote opened on this line is not closed where the field should end: the field runs
    /// over `lines` lines of the file (rows included), which are not read as rows.
    RunawayQuote {
        /// Lines the record spans, its first included.
        lines: u64,
    },
    /// The row is longer than [`crate::engine::ingest::dialect::MAX_RECORD_BYTES`].
    RecordTooLong {
        /// Lines the record spans, its first included.
        lines: u64,
    },
}

impl RowProblem {
    /// English description, used by `Display`.
    pub fn describe(self) -> String {
        match self {
            RowProblem::ExtraColumns { found, expected } => {
                return format!(
                    "the row has {found} fields where the header has {expected} columns: its \
                     values are shifted"
                )
            }
            RowProblem::SplitNumber { found, expected } => {
                return format!(
                    "the row has {found} fields where the header has {expected} columns: a \
                     number is split at its separator, which is also the delimiter (quote it, \
                     or write it without a thousands separator)"
                )
            }
            RowProblem::RunawayQuote { lines } => {
                return format!(
                    "a quote opened here is not closed for {lines} lines, which are not read \
                     as rows (read the file with quotes taken literally)"
                )
            }
            RowProblem::RecordTooLong { lines } => {
                return format!("the row is longer than 1 MiB ({lines} lines): it is not read")
            }
            _ => {}
        }
        match self {
            RowProblem::Missing => "the cell is empty",
            RowProblem::NotANumber => "expected a number",
            RowProblem::NotADate => "expected a date",
            RowProblem::TooFewColumns => "the row has too few columns",
            RowProblem::BadEncoding => {
                "the text has bytes that are not valid in the file's encoding"
            }
            RowProblem::UnknownQuadrant => {
                "expected a quadrant: S, W, O, T or 优势, 劣势, 机会, 威胁"
            }
            RowProblem::ScoreOutOfRange => "expected a score from 1 to 10",
            RowProblem::WeightOutOfRange => "expected a weight of 0 or more",
            RowProblem::DuplicateScore => "this respondent has already scored this item",
            RowProblem::ExtraColumns { .. }
            | RowProblem::SplitNumber { .. }
            | RowProblem::RunawayQuote { .. }
            | RowProblem::RecordTooLong { .. } => "",
        }
        .to_string()
    }
}

/// One rejected row: where it is (1-based physical line in the file) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// 1-based line number of the row's first line in the file, as an editor shows it.
    pub line: u64,
    /// Name of the offending column (header text, or "column N" without a header).
    pub column: String,
    /// The offending cell text (truncated to 80 characters).
    pub value: String,
    /// What is wrong.
    pub problem: RowProblem,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, column '{}': {}",
            self.line,
            self.column,
            self.problem.describe()
        )?;
        if !self.value.is_empty() {
            write!(f, ", found '{}'", self.value)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_error_names_line_column_and_value() {
        let error = RowError {
            line: 1042,
            column: "金额".into(),
            value: "N/A".into(),
            problem: RowProblem::NotANumber,
        };
        assert_eq!(
            error.to_string(),
            "line 1042, column '金额': expected a number, found 'N/A'"
        );
    }

    #[test]
    fn errors_are_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Error>();
        check::<RowError>();
    }
}
