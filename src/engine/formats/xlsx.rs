//! Excel workbooks (`.xlsx`, Excel 工作簿) read with `calamine`: a sheet (the first, or one
//! chosen by name) as a table of text cells by the convention of [`super`].
//!
//! What a sheet holds, and what the import makes of it:
//! - numbers as the shortest decimal of their `f64` ([`float_text`]), whole numbers as digits;
//! - cells with a date number format (`Data::DateTime`) as `YYYY-MM-DD` or
//!   `YYYY-MM-DD HH:MM:SS` ([`serial_text`]), in the workbook's date system (1900 or 1904);
//! - formulas by the value Excel cached when it saved the file; a formula without one (written by
//!   a program that computes nothing) is an empty cell, which the import then names;
//! - error cells (`#DIV/0!`, `#N/A` …) as their text, so the import rejects the row with its line
//!   and column;
//! - fully empty rows are skipped, like blank lines of a CSV ([`Sheet::blank_rows`] counts them);
//! - a title above the header — a row whose cells are merged across columns, or a row with one
//!   cell above a wider one — is skipped, and the range it covered is told
//!   ([`TableLayout::skipped_title`]); the header is the next row.
//!
//! Line numbers are the sheet's own row numbers, which are the lines of the CSV Excel saves from
//! the sheet when it starts at row 1.

use std::io::Cursor;

use calamine::{Data, Dimensions, Range, Reader, Xlsx, XlsxError};

use super::{
    bool_text, check_width, float_text, int_text, serial_text, table_error, FileKind, TableHead,
    TableLayout, TableProblem,
};
use crate::engine::error::{Error, Result};

/// The largest workbook read (it is read whole: its ZIP directory is at its end).
pub const MAX_XLSX_BYTES: u64 = 200 * 1024 * 1024;

/// How many rows above the header may be title rows.
const MAX_TITLE_ROWS: usize = 5;

/// An opened workbook.
pub struct Workbook {
    book: Xlsx<Cursor<Vec<u8>>>,
    sheets: Vec<String>,
}

fn refusal(problem: TableProblem) -> Error {
    table_error(FileKind::Xlsx, problem)
}

/// The refusal for a calamine error.
fn refusal_of(error: XlsxError) -> Error {
    match error {
        XlsxError::FileNotFound(_) => refusal(TableProblem::NotAWorkbook),
        XlsxError::Password => refusal(TableProblem::Unsupported {
            detail: "a password-protected workbook".into(),
        }),
        XlsxError::WorksheetNotFound(name) => refusal(TableProblem::NoSuchSheet { name }),
        other => refusal(TableProblem::Damaged {
            detail: other.to_string(),
        }),
    }
}

impl Workbook {
    /// Opens a workbook from its bytes: refuses more than [`MAX_XLSX_BYTES`], an old `.xls`
    /// ([`TableProblem::OldExcel`]), a file that is no ZIP archive ([`TableProblem::Damaged`])
    /// and a ZIP archive without a workbook ([`TableProblem::NotAWorkbook`]).
    pub fn open(bytes: Vec<u8>) -> Result<Workbook> {
        if bytes.len() as u64 > MAX_XLSX_BYTES {
            return Err(refusal(TableProblem::TooLarge {
                bytes: bytes.len() as u64,
                limit: MAX_XLSX_BYTES,
            }));
        }
        match super::sniff(&bytes) {
            FileKind::OldExcel => {
                return Err(table_error(FileKind::OldExcel, TableProblem::OldExcel))
            }
            FileKind::Xlsx => {}
            _ => {
                return Err(refusal(TableProblem::Damaged {
                    detail: "no ZIP signature".into(),
                }))
            }
        }
        let book = Xlsx::new(Cursor::new(bytes)).map_err(refusal_of)?;
        let sheets = book.sheet_names();
        if sheets.is_empty() {
            return Err(refusal(TableProblem::NoSheets));
        }
        Ok(Workbook { book, sheets })
    }

    /// The names of the worksheets, in the workbook's order.
    pub fn sheet_names(&self) -> &[String] {
        &self.sheets
    }

    /// Reads sheet `name` (`None`: the first) whole.
    pub fn sheet(&mut self, name: Option<&str>) -> Result<Sheet> {
        let name = match name {
            Some(name) => self
                .sheets
                .iter()
                .find(|s| s.as_str() == name)
                .cloned()
                .ok_or_else(|| {
                    refusal(TableProblem::NoSuchSheet {
                        name: name.to_string(),
                    })
                })?,
            None => self
                .sheets
                .first()
                .cloned()
                .ok_or_else(|| refusal(TableProblem::NoSheets))?,
        };
        let range = self.book.worksheet_range(&name).map_err(refusal_of)?;
        // A workbook without merged cells has none to load; a damaged list of them only loses
        // the title detection's best hint.
        let merged = self
            .book
            .merge_cells_by_sheet_name(&name)
            .unwrap_or_default();
        Sheet::new(
            name,
            self.sheets.clone(),
            range,
            &merged,
            self.book.has_1904_epoch(),
        )
    }
}

/// A sheet read whole, its header found.
pub struct Sheet {
    name: String,
    sheets: Vec<String>,
    range: Range<Data>,
    date1904: bool,
    /// Index in `range` of the header row.
    header: usize,
    /// Columns of the table (from the range's first column).
    width: usize,
    /// Columns of the header row, up to its last non-empty cell.
    header_width: usize,
    skipped_title: Option<String>,
}

/// The text of a cell (see the module doc).
fn cell_text(cell: &Data, date1904: bool) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::Int(value) => int_text(i128::from(*value)),
        Data::Float(value) => float_text(*value),
        Data::Bool(value) => bool_text(*value).to_string(),
        Data::DateTime(value) if value.is_datetime() => serial_text(value.as_f64(), date1904),
        Data::DateTime(value) => float_text(value.as_f64()),
        Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Error(error) => error.to_string(),
    }
}

/// True for a cell with nothing in it (empty, or only white space).
fn is_blank(cell: &Data) -> bool {
    match cell {
        Data::Empty => true,
        Data::String(text) => text.trim().is_empty(),
        _ => false,
    }
}

/// The A1 name of column `index` (0 → `A`, 25 → `Z`, 26 → `AA`).
pub fn column_letters(index: u32) -> String {
    let mut letters = Vec::new();
    let mut n = u64::from(index) + 1;
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push(char::from(b'A' + rem));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// An A1 range (`A1:F1`) from 0-based (row, column) corners.
fn a1_range(start: (u32, u32), end: (u32, u32)) -> String {
    format!(
        "{}{}:{}{}",
        column_letters(start.1),
        u64::from(start.0) + 1,
        column_letters(end.1),
        u64::from(end.0) + 1
    )
}

impl Sheet {
    fn new(
        name: String,
        sheets: Vec<String>,
        range: Range<Data>,
        merged: &[Dimensions],
        date1904: bool,
    ) -> Result<Sheet> {
        let Some((top, left)) = range.start() else {
            return Err(refusal(TableProblem::EmptySheet { name }));
        };
        let filled = |row: &[Data]| row.iter().filter(|c| !is_blank(c)).count();
        let rows: Vec<(usize, usize)> = range
            .rows()
            .enumerate()
            .map(|(i, row)| (i, filled(row)))
            .filter(|&(_, n)| n > 0)
            .take(MAX_TITLE_ROWS + 1)
            .collect();
        let Some(&(first, _)) = rows.first() else {
            return Err(refusal(TableProblem::EmptySheet { name }));
        };
        // Title rows: above a wider row, one cell alone, or every cell in a region merged
        // across columns.
        let mut header = first;
        let mut title: Option<((u32, u32), (u32, u32))> = None;
        for pair in rows.windows(2) {
            let [(row, count), (next, next_count)] = [pair[0], pair[1]];
            let absolute = top + row as u32;
            let merged_across: Vec<&Dimensions> = merged
                .iter()
                .filter(|d| d.start.0 <= absolute && absolute <= d.end.0 && d.end.1 > d.start.1)
                .collect();
            let cells_merged = !merged_across.is_empty()
                && range
                    .rows()
                    .nth(row)
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| !is_blank(c))
                    .all(|(col, _)| {
                        let col = left + col as u32;
                        merged_across
                            .iter()
                            .any(|d| d.start.1 <= col && col <= d.end.1)
                    });
            let is_title = next_count > count && (count == 1 || cells_merged);
            if !is_title {
                break;
            }
            let (mut start, mut end) = ((absolute, left), (absolute, left));
            for d in &merged_across {
                start = (start.0.min(d.start.0), start.1.min(d.start.1));
                end = (end.0.max(d.end.0), end.1.max(d.end.1));
            }
            title = Some(match title {
                Some((s, e)) => (
                    (s.0.min(start.0), s.1.min(start.1)),
                    (e.0.max(end.0), e.1.max(end.1)),
                ),
                None => (start, end),
            });
            header = next;
        }
        let width = range.width();
        check_width(FileKind::Xlsx, width)?;
        let skipped_title = title.map(|(start, end)| {
            // At least across the table's columns, as the merge a title usually has.
            let right = end.1.max(left + width.saturating_sub(1) as u32);
            a1_range(start, (end.0, right))
        });
        let header_width = range
            .rows()
            .nth(header)
            .unwrap_or_default()
            .iter()
            .rposition(|c| !is_blank(c))
            .map_or(0, |i| i + 1);
        Ok(Sheet {
            name,
            sheets,
            range,
            date1904,
            header,
            width,
            header_width,
            skipped_title,
        })
    }

    /// The sheet's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The sheet row number (1-based) of row `index` of the range.
    fn line(&self, index: usize) -> u64 {
        let top = self.range.start().map_or(0, |(row, _)| row);
        u64::from(top) + index as u64 + 1
    }

    /// The rows below the header (data rows and blank ones).
    pub fn data_rows(&self) -> u64 {
        (self.range.height().saturating_sub(self.header + 1)) as u64
    }

    /// The fully empty rows below the header (skipped, like blank lines).
    pub fn blank_rows(&self) -> u64 {
        self.range
            .rows()
            .skip(self.header + 1)
            .filter(|row| row.iter().all(is_blank))
            .count() as u64
    }

    /// The header's names and the first `limit` non-empty data rows, for
    /// [`inspect_table`](crate::engine::ingest::inspect_table).
    pub fn head(&self, limit: usize) -> TableHead {
        let names = self
            .range
            .rows()
            .nth(self.header)
            .unwrap_or_default()
            .iter()
            .map(|c| cell_text(c, self.date1904).trim().to_string())
            .collect();
        let mut rows = Vec::new();
        let mut complete = true;
        self.for_each_row(|_, cells| {
            if cells.iter().all(|c| c.trim().is_empty()) {
                return true;
            }
            if rows.len() == limit {
                complete = false;
                return false;
            }
            rows.push(cells.iter().map(|c| c.to_string()).collect());
            true
        });
        TableHead {
            names,
            rows,
            complete,
            layout: TableLayout {
                sheet: self.name.clone(),
                sheets: self.sheets.clone(),
                skipped_title: self.skipped_title.clone(),
                header_line: self.line(self.header),
            },
        }
    }

    /// Calls `row` with each row below the header (blank ones too: the importer skips them) and
    /// its sheet row number, until it returns false.
    pub fn for_each_row(&self, mut row: impl FnMut(u64, &[&str]) -> bool) {
        let mut texts: Vec<String> = Vec::with_capacity(self.width);
        for (i, cells) in self.range.rows().enumerate().skip(self.header + 1) {
            texts.clear();
            texts.extend(cells.iter().map(|c| cell_text(c, self.date1904)));
            // Empty cells past the header's columns say nothing (as trailing empty fields of a
            // CSV); within them, an empty cell is a missing value, as in the CSV.
            while texts.len() > self.header_width && texts.last().is_some_and(String::is_empty) {
                texts.pop();
            }
            let fields: Vec<&str> = texts.iter().map(String::as_str).collect();
            if !row(self.line(i), &fields) {
                return;
            }
        }
    }
}

/// Imports a sheet of a workbook held in memory (`sheet`: its name, `None` for the first) with
/// the guessed settings: what the reader worker does, without the messages.
pub fn import_xlsx(
    bytes: Vec<u8>,
    sheet: Option<&str>,
    options: &crate::engine::ingest::InspectOptions,
) -> Result<crate::engine::ingest::ImportOutcome> {
    use crate::engine::ingest::{inspect_table, Importer, TableSource};
    let mut book = Workbook::open(bytes)?;
    let sheet = book.sheet(sheet)?;
    let source = TableSource::Xlsx {
        sheet: sheet.name().to_string(),
    };
    let preview = inspect_table(&sheet.head(HEAD_ROWS), source, options)?;
    let mut importer = Importer::new_table(preview.settings())?;
    sheet.for_each_row(|line, cells| {
        importer.push_row(line, cells);
        true
    });
    importer.finish()
}

/// Rows of a sheet's head that the guesses look at (as many as a CSV's head gives them).
pub const HEAD_ROWS: usize = 2_000;

#[cfg(test)]
mod tests;
