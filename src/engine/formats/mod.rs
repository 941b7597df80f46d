//! Non-text files (表格文件): Excel workbooks (`.xlsx`) and Parquet files, read as tables of
//! text cells and fed through the same import as a CSV file.
//!
//! Three pieces, shared by every format:
//! - [`sniff`] tells a file's kind ([`FileKind`]) from its first bytes (and [`kind_by_name`]
//!   from its name, for the page, which routes a file before reading it);
//! - one convention turns a typed cell into the text the importer reads ([`date_text`],
//!   [`datetime_text`], [`float_text`], [`int_text`], [`decimal_text`], [`bool_text`],
//!   [`serial_text`]; null or empty is `""`), so a cell reads as it would in the CSV of the same
//!   rows;
//! - a [`TableHead`] (column names and the first rows as text) goes to
//!   [`inspect_table`](crate::engine::ingest::inspect_table) for the same guesses as a CSV's head,
//!   and the rows go to [`Importer::push_row`](crate::engine::ingest::Importer::push_row) with
//!   the line each would have in that CSV (header on line 1, first data row on line 2; for a
//!   sheet, the sheet's own row number), so a rejected row names the same line.
//!
//! Failures are [`Error::Table`](crate::engine::Error::Table) with a [`TableProblem`].

use serde::{Deserialize, Serialize};

#[cfg(feature = "table-files")]
pub mod parquet;

use crate::engine::error::{Error, Result};

#[cfg(feature = "table-files")]
pub mod xlsx;

/// What a file is, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FileKind {
    /// Anything else: read as text (CSV, TSV, TXT; the text import refuses binary data itself).
    Text,
    /// An Excel workbook of Office Open XML (`.xlsx`, `.xlsm`): a ZIP archive (`PK\x03\x04`).
    Xlsx,
    /// An Apache Parquet file (`PAR1`).
    Parquet,
    /// An Excel 97–2003 workbook (`.xls`, an OLE compound file, `D0 CF 11 E0`): refused with
    /// [`TableProblem::OldExcel`].
    OldExcel,
}

/// The kind of a file from its first bytes (four are enough).
///
/// # Examples
/// ```
/// use valuelens::engine::formats::{sniff, FileKind};
/// assert_eq!(sniff(b"PK\x03\x04\x14\x00"), FileKind::Xlsx);
/// assert_eq!(sniff(b"PAR1\x15\x04"), FileKind::Parquet);
/// assert_eq!(sniff(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), FileKind::OldExcel);
/// assert_eq!(sniff("客户编号,金额\n".as_bytes()), FileKind::Text);
/// ```
pub fn sniff(head: &[u8]) -> FileKind {
    if head.starts_with(b"PK\x03\x04") {
        FileKind::Xlsx
    } else if head.starts_with(b"PAR1") {
        FileKind::Parquet
    } else if head.starts_with(b"\xD0\xCF\x11\xE0") {
        FileKind::OldExcel
    } else {
        FileKind::Text
    }
}

/// The kind a file's name promises (its extension, any case): `.xlsx`/`.xlsm` → Xlsx,
/// `.parquet`/`.parq` → Parquet, `.xls` → OldExcel, anything else → Text. The page uses it to
/// choose the worker before reading a byte; the worker confirms with [`sniff`].
pub fn kind_by_name(name: &str) -> FileKind {
    let extension = name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "xlsx" | "xlsm" => FileKind::Xlsx,
        "parquet" | "parq" => FileKind::Parquet,
        "xls" => FileKind::OldExcel,
        _ => FileKind::Text,
    }
}

impl FileKind {
    /// True for the kinds read as tables by the reader worker (`src/bin/reader.rs`), not as text.
    pub fn is_table(self) -> bool {
        matches!(
            self,
            FileKind::Xlsx | FileKind::Parquet | FileKind::OldExcel
        )
    }
}

impl std::fmt::Display for FileKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FileKind::Text => "a text file",
            FileKind::Xlsx => "an Excel .xlsx workbook",
            FileKind::Parquet => "a Parquet file",
            FileKind::OldExcel => "an Excel 97-2003 .xls workbook",
        })
    }
}

/// Why a table file could not be read ([`Error::Table`](crate::engine::Error::Table)).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum TableProblem {
    /// An Excel 97–2003 `.xls` workbook: not read; save it as `.xlsx` or CSV.
    #[error("Excel 97-2003 .xls workbooks are not read: save it as .xlsx or CSV and try again")]
    OldExcel,
    /// The file is larger than the reader takes whole (a workbook is read whole: its ZIP
    /// directory is at its end).
    #[error("the file has {bytes} bytes; at most {limit} are read: save it as CSV")]
    TooLarge {
        /// Its size in bytes.
        bytes: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The file's structure is damaged or not what its kind promises (the reader's words).
    #[error("the file is damaged or not what it says it is: {detail}")]
    Damaged {
        /// The reader library's message (English, for the log and the curious).
        detail: String,
    },
    /// A ZIP archive, but no workbook in it (no `xl/workbook.xml`).
    #[error("the file is a ZIP archive but not an Excel workbook")]
    NotAWorkbook,
    /// The file uses something this reader does not read (an encryption, a compression, a
    /// type; the reader's words).
    #[error("the file uses something ValueLens does not read: {detail}")]
    Unsupported {
        /// What (English, for the log and the curious).
        detail: String,
    },
    /// The workbook has no worksheet.
    #[error("the workbook has no worksheet")]
    NoSheets,
    /// The sheet asked for is not in the workbook.
    #[error("the workbook has no sheet '{name}'")]
    NoSuchSheet {
        /// The name asked for.
        name: String,
    },
    /// The sheet (or file) holds no cell at all.
    #[error("sheet '{name}' is empty")]
    EmptySheet {
        /// The sheet's name (empty for a file without sheets).
        name: String,
    },
    /// The table has more columns than ValueLens reads.
    #[error("the table has {count} columns; ValueLens reads at most {limit}")]
    TooManyColumns {
        /// Its columns.
        count: u64,
        /// The most read ([`MAX_COLUMNS`](crate::engine::ingest::MAX_COLUMNS)).
        limit: u64,
    },
    /// The workbook's parts would inflate to more bytes than ValueLens unpacks (a ZIP bomb, or
    /// a sheet far larger than any export): refused before unpacking.
    #[error("the workbook unpacks to {bytes} bytes; ValueLens unpacks at most {limit} from a file of this size")]
    Inflated {
        /// The unpacked size its ZIP directory declares (the reader stops past it).
        bytes: u64,
        /// The limit for this file.
        limit: u64,
    },
    /// The sheet's cells span more rows × columns, or are more, than ValueLens holds: refused
    /// rather than allocating the grid.
    #[error(
        "the sheet spans {rows} rows and {columns} columns; ValueLens reads at most {limit} cells"
    )]
    SheetTooLarge {
        /// Rows from its first cell to its last (so far, when the cells ran over the limit).
        rows: u64,
        /// Columns from its first cell to its last (so far).
        columns: u64,
        /// The most cells read.
        limit: u64,
    },
}

/// A table file's refusal as an [`Error`].
pub fn table_error(kind: FileKind, problem: TableProblem) -> Error {
    Error::Table { kind, problem }
}

/// The start of a table, for the preview and the guesses
/// ([`inspect_table`](crate::engine::ingest::inspect_table)): what a CSV's head gives after
/// splitting.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TableHead {
    /// The column names (the header row's cells as text; may be empty strings, which become
    /// `column N`).
    pub names: Vec<String>,
    /// The first data rows, as text cells by the convention of this module (fully empty rows
    /// left out).
    pub rows: Vec<Vec<String>>,
    /// True when `rows` holds every data row of the table.
    pub complete: bool,
    /// What the reader decided about the table's layout, for the mapping step to say.
    pub layout: TableLayout,
}

/// What a reader decided about where a table starts, for the mapping step to say.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableLayout {
    /// Which sheet was read (empty for a file without sheets).
    pub sheet: String,
    /// All the workbook's sheets, in order (empty for a file without sheets).
    pub sheets: Vec<String>,
    /// Title rows above the header that were skipped, as an A1 range (`A1:F1`), when there
    /// were some.
    pub skipped_title: Option<String>,
    /// The sheet row (1-based) of the header.
    pub header_line: u64,
    /// Nested or repeated columns of a Parquet file that are not read (dotted paths such as
    /// `address.city`), for the mapping step and the data view to name.
    #[serde(default)]
    pub skipped_columns: Vec<String>,
}

/// A calendar date as `YYYY-MM-DD`.
pub fn date_text(year: i32, month: u32, day: u32) -> String {
    format!("{year:04}-{month:02}-{day:02}")
}

/// A date and time as `YYYY-MM-DD HH:MM:SS`.
pub fn datetime_text(
    year: i32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
) -> String {
    format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}")
}

/// The date `days` after 1970-01-01 (negative: before) as `YYYY-MM-DD`; a day out of the
/// calendar's range as its number (which the importer then rejects, naming it).
pub fn epoch_days_text(days: i64) -> String {
    let Some(date) = i32::try_from(days)
        .ok()
        .and_then(|d| d.checked_add(719_163))
        .and_then(chrono::NaiveDate::from_num_days_from_ce_opt)
    else {
        return days.to_string();
    };
    use chrono::Datelike;
    date_text(date.year(), date.month(), date.day())
}

/// The instant `seconds` after 1970-01-01 00:00:00 (no time zone: the wall-clock time as
/// stored) as `YYYY-MM-DD HH:MM:SS`, or `YYYY-MM-DD` at midnight; out of range as its number.
pub fn epoch_seconds_text(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let in_day = seconds.rem_euclid(86_400);
    let date = epoch_days_text(days);
    if in_day == 0 || !date.contains('-') {
        return if date.contains('-') {
            date
        } else {
            seconds.to_string()
        };
    }
    let (h, m, s) = (in_day / 3600, in_day / 60 % 60, in_day % 60);
    format!("{date} {h:02}:{m:02}:{s:02}")
}

/// A float as the shortest decimal that reads back as the same `f64` (Rust's `{}`: never an
/// exponent, `-0` as `-0`, `NaN` and `inf` as such, which the importer rejects).
pub fn float_text(value: f64) -> String {
    format!("{value}")
}

/// An integer as its digits.
pub fn int_text(value: i128) -> String {
    value.to_string()
}

/// An exact decimal `unscaled × 10^-scale` as a decimal string (`12345`, scale 2 → `123.45`;
/// scale −2 → `1234500`), with no rounding.
pub fn decimal_text(unscaled: i128, scale: i32) -> String {
    let digits = unscaled.unsigned_abs().to_string();
    let sign = if unscaled < 0 { "-" } else { "" };
    if scale <= 0 {
        let zeros = if unscaled == 0 {
            0
        } else {
            scale.unsigned_abs() as usize
        };
        return format!("{sign}{digits}{}", "0".repeat(zeros));
    }
    let scale = scale as usize;
    let (whole, fraction) = if digits.len() > scale {
        digits.split_at(digits.len() - scale)
    } else {
        ("0", digits.as_str())
    };
    format!("{sign}{whole}.{fraction:0>scale$}")
}

/// A boolean as `true` / `false`.
pub fn bool_text(value: bool) -> &'static str {
    if value {
        "true"
    } else {
        "false"
    }
}

/// An Excel date serial (days since the workbook's epoch, the fraction the time of day) as
/// `YYYY-MM-DD`, or `YYYY-MM-DD HH:MM:SS` when it has a time (rounded to the second).
///
/// In the 1900 system (`date1904` false) serial 1 is 1900-01-01 and Excel counts a
/// 1900-02-29 that never was (serial 60, kept as the text `1900-02-29`, which the importer
/// rejects as no date); from serial 61 (1900-03-01) on, dates are right. Serials below 1 are the
/// `1900-01-00` of Excel (a time without a date), rejected alike. In the 1904 system (Mac
/// Excel before 2011) serial 0 is 1904-01-01. A serial that is not finite, or negative in the
/// 1904 system, is kept as its number.
pub fn serial_text(serial: f64, date1904: bool) -> String {
    if !(0.0..2_958_466.0).contains(&serial) {
        return float_text(serial);
    }
    let mut seconds = (serial * 86_400.0).round() as i64;
    let whole_days = seconds.div_euclid(86_400);
    let in_day = seconds.rem_euclid(86_400);
    let date = if date1904 {
        // 1904-01-01 is day 24107 after 1970-01-01 backwards: 1904-01-01 = -24107.
        epoch_days_text(whole_days - 24_107)
    } else {
        match whole_days {
            0 => "1900-01-00".to_string(),
            60 => "1900-02-29".to_string(),
            // Serial 1 = 1900-01-01 = day -25567 after 1970-01-01.
            1..=59 => epoch_days_text(whole_days - 25_568),
            // Past the phantom leap day: 1899-12-30 + serial.
            _ => epoch_days_text(whole_days - 25_569),
        }
    };
    seconds = in_day;
    if seconds == 0 {
        return date;
    }
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    format!("{date} {h:02}:{m:02}:{s:02}")
}

/// Checks a table's width against [`MAX_COLUMNS`](crate::engine::ingest::MAX_COLUMNS).
pub fn check_width(kind: FileKind, columns: usize) -> Result<()> {
    let limit = crate::engine::ingest::MAX_COLUMNS;
    if columns > limit {
        return Err(table_error(
            kind,
            TableProblem::TooManyColumns {
                count: columns as u64,
                limit: limit as u64,
            },
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
