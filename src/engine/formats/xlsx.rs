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
//!
//! Hostile workbooks are bounded before they cost memory or time: the unpacked size the ZIP
//! directory declares is at most [`MAX_INFLATE_RATIO`] × the file plus [`INFLATE_FLOOR`], and
//! never over [`MAX_INFLATED_BYTES`] ([`TableProblem::Inflated`]; the ZIP reader stops at the
//! declared size, so a directory that lies fails too); a sheet's cells are streamed, at most
//! [`MAX_SHEET_CELLS`], and the grid from its first to its last cell (which the table is held
//! in) at most as many ([`TableProblem::SheetTooLarge`]). A `<dimension ref>` claiming
//! `A1:XFD1048576` costs nothing: only real cells count.

use std::io::Cursor;

use calamine::{Cell, Data, DataRef, Dimensions, Range, Reader, Xlsx, XlsxError};

use super::{
    bool_text, check_width, float_text, int_text, serial_text, table_error, FileKind, TableHead,
    TableLayout, TableProblem,
};
use crate::engine::error::{Error, Result};

/// The largest workbook read (it is read whole: its ZIP directory is at its end).
pub const MAX_XLSX_BYTES: u64 = 200 * 1024 * 1024;

/// The most cells of a sheet read, and the largest grid (rows × columns from the first cell to
/// the last) held: 10 million (a million rows of ten columns), some 720 MB at most.
pub const MAX_SHEET_CELLS: u64 = 10_000_000;

/// How many times its own size a workbook may unpack to (sheet XML compresses some 5–20 times;
/// a ZIP bomb a thousand times).
pub const MAX_INFLATE_RATIO: u64 = 100;

/// Unpacked bytes always allowed, however small the file (a small workbook's styles and
/// shared strings).
pub const INFLATE_FLOOR: u64 = 64 * 1024 * 1024;

/// The most unpacked bytes of any workbook.
pub const MAX_INFLATED_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// The unpacked bytes allowed for a workbook of `file_len` bytes.
pub fn inflate_limit(file_len: u64) -> u64 {
    file_len
        .saturating_mul(MAX_INFLATE_RATIO)
        .saturating_add(INFLATE_FLOOR)
        .min(MAX_INFLATED_BYTES)
}

/// The unpacked size the ZIP central directory declares for all members, read from the end of
/// the archive (ZIP64 sizes included); `None` when there is no readable directory (the ZIP
/// reader then says what is wrong).
pub fn declared_inflated_size(bytes: &[u8]) -> Option<u64> {
    let u16_at = |at: usize| {
        bytes
            .get(at..at.checked_add(2)?)
            .map(|b| u64::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let u32_at = |at: usize| {
        bytes
            .get(at..at.checked_add(4)?)
            .map(|b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
    };
    let u64_at = |at: usize| {
        let b = bytes.get(at..at.checked_add(8)?)?;
        let mut word = [0u8; 8];
        word.copy_from_slice(b);
        Some(u64::from_le_bytes(word))
    };
    // The end-of-central-directory record: 22 bytes and a comment of up to 64 KiB.
    let search_from = bytes.len().saturating_sub(22 + 65_535);
    let eocd = (search_from..bytes.len().saturating_sub(21))
        .rev()
        .find(|&at| u32_at(at) == Some(0x0605_4b50))?;
    let mut entries = u16_at(eocd + 10)?;
    let mut offset = u32_at(eocd + 16)?;
    if entries == 0xFFFF || offset == 0xFFFF_FFFF {
        // ZIP64: the locator just before points at the ZIP64 end record.
        let locator = eocd.checked_sub(20)?;
        if u32_at(locator) != Some(0x0706_4b50) {
            return None;
        }
        let record = usize::try_from(u64_at(locator + 8)?).ok()?;
        if u32_at(record) != Some(0x0606_4b50) {
            return None;
        }
        entries = u64_at(record + 32)?;
        offset = u64_at(record + 48)?;
    }
    let mut at = usize::try_from(offset).ok()?;
    let mut total = 0u64;
    for _ in 0..entries {
        if u32_at(at) != Some(0x0201_4b50) {
            return None;
        }
        let mut size = u32_at(at + 24)?;
        let name_len = usize::try_from(u16_at(at + 28)?).ok()?;
        let extra_len = usize::try_from(u16_at(at + 30)?).ok()?;
        let comment_len = usize::try_from(u16_at(at + 32)?).ok()?;
        if size == 0xFFFF_FFFF {
            // The ZIP64 extra field (id 1) holds the real size first.
            let mut field = at + 46 + name_len;
            let end = field + extra_len;
            size = u64::MAX;
            while field + 4 <= end {
                let (id, len) = (u16_at(field)?, usize::try_from(u16_at(field + 2)?).ok()?);
                if id == 1 {
                    size = u64_at(field + 4)?;
                    break;
                }
                field += 4 + len;
            }
        }
        total = total.saturating_add(size);
        at = at.checked_add(46 + name_len + extra_len + comment_len)?;
    }
    Some(total)
}

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
        let limit = inflate_limit(bytes.len() as u64);
        if let Some(inflated) = declared_inflated_size(&bytes) {
            if inflated > limit {
                return Err(refusal(TableProblem::Inflated {
                    bytes: inflated,
                    limit,
                }));
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
        self.sheet_with_progress(name, u64::MAX, &mut |_| {})
    }

    /// Reads sheet `name` (`None`: the first) whole, as [`Workbook::sheet`], telling
    /// `progress` every `every` cells (the reader worker: [`PROGRESS_CELLS`]) how far the cells
    /// have come: the share of the
    /// rows the sheet declares (its `<dimension ref>`) that lie before the current cell's row,
    /// from 0 to 1 (never more, whatever the declaration says; 0 when it declares none). The
    /// cells come row by row, so the share grows with the work done.
    pub fn sheet_with_progress(
        &mut self,
        name: Option<&str>,
        every: u64,
        progress: &mut dyn FnMut(f64),
    ) -> Result<Sheet> {
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
        let range = self.bounded_range(&name, every.max(1), progress)?;
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

impl Workbook {
    /// The cells of sheet `name`, streamed and counted: at most [`MAX_SHEET_CELLS`] cells and a
    /// grid of at most as many (see the module doc). What `worksheet_range` gives, without its
    /// unbounded allocation.
    fn bounded_range(
        &mut self,
        name: &str,
        every: u64,
        progress: &mut dyn FnMut(f64),
    ) -> Result<Range<Data>> {
        let mut reader = match self.book.worksheet_cells_reader(name) {
            Ok(reader) => reader,
            // A chart sheet or a macro sheet: no cells (as `worksheet_range` says).
            Err(XlsxError::NotAWorksheet(_)) => return Ok(Range::default()),
            Err(error) => return Err(refusal_of(error)),
        };
        let declared = reader.dimensions();
        let (first_row, rows) = (
            declared.start.0,
            f64::from(declared.end.0.saturating_sub(declared.start.0)) + 1.0,
        );
        let mut seen = 0u64;
        let mut cells: Vec<Cell<Data>> = Vec::new();
        let (mut top, mut bottom, mut left, mut right) = (u32::MAX, 0u32, u32::MAX, 0u32);
        let too_large = |top: u32, bottom: u32, left: u32, right: u32| {
            refusal(TableProblem::SheetTooLarge {
                rows: u64::from(bottom.saturating_sub(top)) + 1,
                columns: u64::from(right.saturating_sub(left)) + 1,
                limit: MAX_SHEET_CELLS,
            })
        };
        while let Some(cell) = reader.next_cell().map_err(refusal_of)? {
            if matches!(cell.get_value(), DataRef::Empty) {
                continue;
            }
            let (row, column) = cell.get_position();
            seen += 1;
            if seen.is_multiple_of(every) {
                progress((f64::from(row.saturating_sub(first_row)) / rows).clamp(0.0, 1.0));
            }
            (top, bottom) = (top.min(row), bottom.max(row));
            (left, right) = (left.min(column), right.max(column));
            let grid = (u64::from(bottom - top) + 1) * (u64::from(right - left) + 1);
            if cells.len() as u64 >= MAX_SHEET_CELLS || grid > MAX_SHEET_CELLS {
                return Err(too_large(top, bottom, left, right));
            }
            let value: Data = cell.get_value().clone().into();
            cells.push(Cell::new((row, column), value));
        }
        Ok(Range::from_sparse(cells))
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
                skipped_columns: Vec::new(),
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

/// Cells read between two reports of progress while the reader worker reads a sheet
/// ([`Workbook::sheet_with_progress`]).
pub const PROGRESS_CELLS: u64 = 100_000;

/// Rows of a sheet's head that the guesses look at (as many as a CSV's head gives them).
pub const HEAD_ROWS: usize = 2_000;

#[cfg(test)]
mod tests;
