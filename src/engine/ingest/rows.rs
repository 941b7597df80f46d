//! One record at a time (逐行校验): which records are data rows ([`Preamble`]), what is wrong
//! with a record's shape ([`misshapen`]: too long, a quote left open, values shifted by extra
//! fields or by a number split at the delimiter), and the reading of its cells into a
//! [`Transaction`] or a [`RowError`] ([`parse_row`]). [`RowState`] runs both for the importer:
//! the hot loop of an import.

use super::dialect::{Delimiter, Quotes, Record};
use super::inspect::runaway_field;
use super::report::{kept_cells_of, Tally};
use super::settings::ImportSettings;
use super::summary::parse_summary_row;
use super::values::{self, parse_date, parse_number, DecimalSeparator};
use crate::engine::calendar::{earliest, latest, Day};
use crate::engine::customers::{Aggregator, SummaryBuilder, Transaction};
use crate::engine::error::{RowError, RowProblem};
use crate::engine::numeric::truncate_chars;

/// [`kept_cells_of`] a record.
fn kept_cells(record: &Record) -> Vec<String> {
    kept_cells_of((0..record.len()).map(|i| record.field(i)))
}

/// Which records of a file are data rows: never a blank record, nor Excel's `sep=;` line when it
/// is the first record, nor the header row.
#[derive(Debug, Clone, Copy)]
pub(super) struct Preamble {
    /// No record taken yet: a `sep=;` line would be skipped.
    first_record: bool,
    header_pending: bool,
}

impl Preamble {
    /// At the start of a file, with or without a header row.
    pub(super) fn new(has_header: bool) -> Self {
        Preamble {
            first_record: true,
            header_pending: has_header,
        }
    }

    /// Past the header and a `sep=` line (a later part of a file starts there).
    pub(super) fn behind() -> Self {
        Preamble {
            first_record: false,
            header_pending: false,
        }
    }

    pub(super) fn is_behind(&self) -> bool {
        !self.first_record && !self.header_pending
    }

    /// True when `record` is a data row; takes note of the records that are not.
    pub(super) fn is_data(&mut self, record: &Record) -> bool {
        if record.is_blank() {
            return false;
        }
        if std::mem::take(&mut self.first_record) && record.is_sep_line() {
            return false;
        }
        !std::mem::take(&mut self.header_pending)
    }
}

pub(super) struct RowState {
    /// [`ImportSettings::columns_expected`].
    pub(super) columns: usize,
    pub(super) aggregator: Aggregator,
    /// The customers of a per-customer summary (`settings.summary`), in place of the aggregator.
    pub(super) summary: SummaryBuilder,
    pub(super) preamble: Preamble,
    pub(super) tally: Tally,
    /// The last date cell read and its day ([`DateMemo`]).
    pub(super) dates: DateMemo,
}

/// The last date cell read and the day it gave: rows of one order, and every row of a file
/// sorted by date, repeat the date of the row before, which is then compared, not read again.
/// (The same settings read every cell of an import, so one text always gives one day.)
///
/// A cell of 8 to 16 bytes (`2024-01-05`, `05/01/2024 10:00`) is kept as its first and last
/// eight bytes, which together are all of it: two comparisons of words, no `memcmp` (a byte
/// loop in wasm, which cost a shuffled file more than the memo saved). Other cells are read.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct DateMemo {
    /// The length of the cell remembered; 0 for none.
    len: usize,
    head: u64,
    tail: u64,
    day: Option<Day>,
}

impl DateMemo {
    /// The shortest and longest cells remembered.
    const SHORTEST: usize = 8;
    const LONGEST: usize = 16;

    /// The first and last eight bytes of `bytes` (of 8 to 16 bytes).
    #[inline]
    fn words(bytes: &[u8]) -> Option<(u64, u64)> {
        let head: [u8; 8] = bytes.get(..8)?.try_into().ok()?;
        let tail: [u8; 8] = bytes.get(bytes.len().checked_sub(8)?..)?.try_into().ok()?;
        Some((u64::from_le_bytes(head), u64::from_le_bytes(tail)))
    }

    /// The day of `cell` as [`parse_date`] reads it with `settings`.
    #[inline]
    fn day(&mut self, cell: &str, settings: &ImportSettings) -> Option<Day> {
        let bytes = cell.as_bytes();
        let words = match bytes.len() {
            Self::SHORTEST..=Self::LONGEST => Self::words(bytes),
            _ => None,
        };
        let Some((head, tail)) = words else {
            return parse_date(cell, settings.date_order, settings.serial_dates);
        };
        if self.len == bytes.len() && self.head == head && self.tail == tail {
            return self.day;
        }
        let day = parse_date(cell, settings.date_order, settings.serial_dates);
        *self = DateMemo {
            len: bytes.len(),
            head,
            tail,
            day,
        };
        day
    }
}

impl RowState {
    pub(super) fn take(&mut self, record: &Record, settings: &ImportSettings) {
        if !self.preamble.is_data(record) {
            // Only the few records that are no data rows are looked at again.
            if record.is_blank() {
                self.tally.blank_rows += 1;
            }
            return;
        }
        self.tally.rows_read += 1;
        if let Some(error) = misshapen(record, settings, self.columns) {
            let cells = || match record.overflow {
                // Its fields are incomplete: only what identifies it.
                true => record.to_vec().into_iter().take(1).collect(),
                false => kept_cells(record),
            };
            self.tally.reject(error, cells);
            return;
        }
        if let Some(mapping) = &settings.summary {
            return self.take_summary(record, settings, mapping);
        }
        // Per record, not per chunk: a flag set from the decoder's count so far made the outcome
        // depend on where the chunks were cut.
        match parse_row(
            record,
            settings,
            record.has_replacement_char(),
            &mut self.dates,
        ) {
            Ok(row) => {
                let literal = settings.quotes == Quotes::Literal;
                let cells = settings
                    .attributes
                    .iter()
                    .map(|a| attribute_cell(record, a.column, literal));
                let lines = settings
                    .lines
                    .iter()
                    .map(|l| attribute_cell(record, l.column, literal));
                self.accept(&row, settings, cells, lines);
            }
            Err(error) => self.tally.reject(error, || kept_cells(record)),
        }
    }

    /// An accepted row of order lines (from text or typed cells): counted, its day in the
    /// span, added to the aggregate with its `attributes` (one cell per attribute column).
    #[inline]
    pub(super) fn accept<'v>(
        &mut self,
        row: &Transaction<'_>,
        settings: &ImportSettings,
        attributes: impl Iterator<Item = &'v str>,
        lines: impl Iterator<Item = &'v str>,
    ) {
        self.tally.rows_accepted += 1;
        if row.amount < 0.0 {
            self.tally.return_rows += 1;
        }
        if let Some(day) = row.day {
            self.tally.first_day = earliest(self.tally.first_day, Some(day));
            self.tally.last_day = latest(self.tally.last_day, Some(day));
        }
        if !settings.lines.is_empty() {
            self.aggregator.add_with_lines(row, attributes, lines);
        } else if settings.attributes.is_empty() {
            self.aggregator.add(row);
        } else {
            self.aggregator.add_with_attributes(row, attributes);
        }
    }

    /// One well-shaped record of a per-customer summary: its customer, or why not (a customer
    /// met before is [`RowProblem::DuplicateCustomer`] at the customer's column).
    fn take_summary(
        &mut self,
        record: &Record,
        settings: &ImportSettings,
        mapping: &super::SummaryMapping,
    ) {
        let row = match parse_summary_row(record, settings, mapping, record.has_replacement_char())
        {
            Ok(row) => row,
            Err(error) => return self.tally.reject(error, || kept_cells(record)),
        };
        if !self.summary.add(&row) {
            let column = mapping.customer.unwrap_or(0);
            let error = RowError {
                line: record.line,
                column: column_name(&settings.headers, column),
                value: truncate_chars(row.customer, 80),
                problem: RowProblem::DuplicateCustomer,
            };
            return self.tally.reject(error, || kept_cells(record));
        }
        self.tally.rows_accepted += 1;
        self.tally.return_rows += u64::from(row.returns.unwrap_or(0));
        self.tally.first_day = earliest(self.tally.first_day, row.first);
        self.tally.last_day = latest(self.tally.last_day, row.last);
    }
}

/// What is wrong with the shape of a record (in a file of `columns` columns, see
/// [`ImportSettings::columns_expected`]), before its cells are read: longer than
/// [`MAX_RECORD_BYTES`](super::dialect::MAX_RECORD_BYTES); a quote left open ([`runaway_field`]); or more non-empty
/// fields than the header has columns, whose values would be shifted (trailing empty fields,
/// as some exports write, are fine).
fn misshapen(record: &Record, settings: &ImportSettings, columns: usize) -> Option<RowError> {
    let error = |index: usize, value: &str, problem: RowProblem| RowError {
        line: record.line,
        column: column_name(&settings.headers, index),
        value: truncate_chars(value.split(['\n', '\r']).next().unwrap_or(""), 80),
        problem,
    };
    if record.overflow {
        let lines = record.lines;
        return Some(error(
            0,
            record.field(0),
            RowProblem::RecordTooLong { lines },
        ));
    }
    if record.lines > 1 && settings.quotes == Quotes::Standard {
        let field = |i: usize| record.field(i);
        let (mapping, delimiter) = (&settings.mapping, settings.delimiter);
        if let Some(i) = runaway_field(
            field,
            record.len(),
            record.lines,
            mapping,
            delimiter,
            columns,
        ) {
            let lines = record.lines;
            return Some(error(
                i,
                record.field(i),
                RowProblem::RunawayQuote { lines },
            ));
        }
    }
    if record.len() <= columns {
        return None;
    }
    let extra = (columns..record.len()).find(|&i| !record.field(i).trim().is_empty())?;
    let found = u32::try_from(record.len()).unwrap_or(u32::MAX);
    let expected = u32::try_from(columns).unwrap_or(u32::MAX);
    // In a table file no number was split at a delimiter: its cells were apart already.
    if settings.delimiter == Delimiter::Comma && settings.source.is_text() {
        // Where a number was split at its separator: in a mapped number column first.
        let mapping = &settings.mapping;
        let numbers = [mapping.amount, mapping.profit, mapping.quantity];
        let split = numbers
            .into_iter()
            .flatten()
            .chain(0..record.len())
            .find(|&i| {
                i + 1 < record.len() && splits_a_number(record.field(i), record.field(i + 1))
            });
        if let Some(i) = split {
            let joined = format!("{},{}", record.field(i).trim(), record.field(i + 1).trim());
            return Some(error(
                i,
                &joined,
                RowProblem::SplitNumber { found, expected },
            ));
        }
    }
    Some(error(
        extra,
        record.field(extra),
        RowProblem::ExtraColumns { found, expected },
    ))
}

/// True when `left`, the delimiter `,` and `right` read as one number in which the delimiter is
/// a thousands separator (`1` and `234.56`: a group of three digits follows) or a decimal comma
/// after dotted thousands (`1.234` and `56`): the likely reason for a row with more fields than
/// the header. Two numbers of their own (`20` and `3`, `55.00` and `5.00`) are not.
fn splits_a_number(left: &str, right: &str) -> bool {
    let (left, right) = (left.trim(), right.trim());
    let trailing_digits = left.bytes().rev().take_while(u8::is_ascii_digit).count();
    if trailing_digits == 0 || !right.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return false;
    }
    let joined = format!("{left},{right}");
    let group_follows = right.len() >= 3
        && right.as_bytes()[..3].iter().all(u8::is_ascii_digit)
        && (right.len() == 3 || right.as_bytes()[3] == b'.')
        && trailing_digits <= 3;
    let comma_after_dots = left.contains('.') && right.bytes().all(|b| b.is_ascii_digit());
    (group_follows && parse_number(&joined, DecimalSeparator::Point).is_some())
        || (comma_after_dots && parse_number(&joined, DecimalSeparator::Comma).is_some())
}

/// The name of column `index`: its header, or `column N`.
pub(crate) fn column_name(headers: &[String], index: usize) -> String {
    headers
        .get(index)
        .cloned()
        .unwrap_or_else(|| super::default_column_name(index))
}

/// The cell of attribute column `index`, trimmed (blank when the row is too short).
fn attribute_cell<'r>(record: &Record<'r>, index: usize, literal: bool) -> &'r str {
    if index >= record.len() {
        return "";
    }
    let value = values::trim_cell(record.field(index));
    match literal {
        true => value.trim_matches('"').trim(),
        false => value,
    }
}

/// Removes the apostrophe a spreadsheet (and ValueLens's own export) puts before a text that
/// starts like a formula (`'=cmd`, `'+86…`, `'@x`), so an exported id re-imports as itself.
/// Other apostrophes are part of the text and stay.
pub(super) fn strip_text_marker(id: &str) -> &str {
    match id.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r', '\n']) => rest,
        _ => id,
    }
}

/// A record's cells as the per-row checks read them (order lines and per-customer summaries
/// alike): trimmed, the quotes around a cell dropped when quotes are read as characters, a cell
/// holding a replacement character refused; every error names the record's line and the column.
pub(super) struct CellReader<'a, 'r> {
    pub(super) record: &'a Record<'r>,
    pub(super) settings: &'a ImportSettings,
    /// Refuse cells holding U+FFFD (the file had bytes its encoding cannot read).
    pub(super) check_encoding: bool,
}

impl<'r> CellReader<'_, 'r> {
    /// The error for column `index`, with the value (cut to 80 characters).
    pub(super) fn fail(&self, index: usize, problem: RowProblem, value: &str) -> RowError {
        RowError {
            line: self.record.line,
            column: column_name(&self.settings.headers, index),
            value: truncate_chars(value, 80),
            problem,
        }
    }

    /// Cell `index`, trimmed (`TooFewColumns` past the record's end).
    pub(super) fn cell(&self, index: usize) -> Result<&'r str, RowError> {
        if index >= self.record.len() {
            return Err(self.fail(index, RowProblem::TooFewColumns, ""));
        }
        let mut value = values::trim_cell(self.record.field(index));
        if self.settings.quotes == Quotes::Literal {
            // Quotes read as characters: those around a cell are still no part of its value.
            value = value.trim_matches('"').trim();
        }
        if self.check_encoding && value.contains('\u{FFFD}') {
            return Err(self.fail(index, RowProblem::BadEncoding, value));
        }
        Ok(value)
    }

    /// Cell `index`, which must not be empty (`Missing`).
    pub(super) fn required(&self, index: usize) -> Result<&'r str, RowError> {
        let value = self.cell(index)?;
        match value.is_empty() {
            true => Err(self.fail(index, RowProblem::Missing, "")),
            false => Ok(value),
        }
    }
}

fn parse_row<'r>(
    record: &Record<'r>,
    settings: &ImportSettings,
    check_encoding: bool,
    dates: &mut DateMemo,
) -> Result<Transaction<'r>, RowError> {
    let mapping = &settings.mapping;
    let cells = CellReader {
        record,
        settings,
        check_encoding,
    };
    let fail = |index: usize, problem: RowProblem, value: &str| cells.fail(index, problem, value);
    let cell = |index: usize| cells.cell(index);
    let required = |index: usize| cells.required(index);
    let number = |index: usize| -> Result<f64, RowError> {
        let value = required(index)?;
        parse_number(value, settings.decimal)
            .ok_or_else(|| fail(index, RowProblem::NotANumber, value))
    };

    let customer_column = mapping.customer.unwrap_or(0);
    let customer = strip_text_marker(required(customer_column)?);
    let amount = number(mapping.amount.unwrap_or(0))?;
    let day = match mapping.date {
        Some(index) => {
            let value = required(index)?;
            Some(
                dates
                    .day(value, settings)
                    .ok_or_else(|| fail(index, RowProblem::NotADate, value))?,
            )
        }
        None => None,
    };
    let profit = mapping.profit.map(number).transpose()?;
    let order = match mapping.order {
        Some(index) => Some(strip_text_marker(required(index)?)),
        None => None,
    };
    let quantity = match mapping.quantity {
        Some(index) => {
            let value = cell(index)?;
            if value.is_empty() {
                None
            } else {
                Some(
                    parse_number(value, settings.decimal)
                        .ok_or_else(|| fail(index, RowProblem::NotANumber, value))?,
                )
            }
        }
        None => None,
    };
    Ok(Transaction {
        customer,
        order,
        day,
        amount,
        profit,
        quantity,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ingest::{import_bytes, inspect, Importer, InspectOptions};

    #[test]
    fn rejected_rows_name_line_and_column() {
        let csv = "customer,date,amount\r\nc1,2024-01-01,10\r\nc2,2024-13-01,5\r\n,2024-01-02,3\r\nc3,2024-01-03\r\nc4,2024-01-04,1e999\r\n";
        let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
        let errors: Vec<String> = outcome
            .report
            .first_errors
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            errors,
            vec![
                "line 3, column 'date': expected a date, found '2024-13-01'",
                "line 4, column 'customer': the cell is empty",
                "line 5, column 'amount': the row has too few columns",
                "line 6, column 'amount': expected a number, found '1e999'",
            ]
        );
        assert_eq!(
            (outcome.report.rows_read, outcome.report.rows_accepted),
            (5, 1)
        );
        assert_eq!(outcome.rejected.len(), 4);
    }

    #[test]
    fn a_replacement_character_is_rejected_however_the_file_is_chunked() {
        // Regression: whether U+FFFD in a cell was checked depended on the decoder having
        // replaced a byte in an earlier chunk, so chunking changed which rows were rejected.
        let bytes = b"\xef\xbb\xbfcustomer,amount\r\n\xef\xbf\xbda,1\r\nb,2\r\nc,\xff3\r\n";
        let preview = inspect(bytes, true, &InspectOptions::default()).unwrap();
        for size in [1, 7, bytes.len()] {
            let mut importer = Importer::new(preview.settings()).unwrap();
            bytes.chunks(size).for_each(|chunk| importer.push(chunk));
            let lines: Vec<(u64, RowProblem)> = importer
                .finish()
                .unwrap()
                .rejected
                .iter()
                .map(|r| (r.error.line, r.error.problem))
                .collect();
            assert_eq!(
                lines,
                [(2, RowProblem::BadEncoding), (4, RowProblem::BadEncoding)],
                "chunks of {size}"
            );
        }
    }

    #[test]
    fn a_repeated_date_cell_reads_as_when_it_is_read_afresh() {
        // Rows of one date one after the other (the memo's case), a bad date twice in a row
        // (each rejected at its own line), a date longer than the memo keeps, and a date
        // that differs from the one before only in a later byte.
        let long = "2024-03-05T10:00:00.000+08:00";
        assert!(long.len() > DateMemo::LONGEST);
        // Two cells of one length that differ only in a middle byte, 16 bytes long.
        let (noon, later) = ("2024-01-05 12:00", "2024-01-05 13:00");
        assert_eq!(noon.len(), DateMemo::LONGEST);
        let csv = format!(
            "customer,date,amount\nc1,2024-01-05,1\nc2,2024-01-05,2\nc3,2024-13-05,3\n\
             c4,2024-13-05,4\nc5,{long},5\nc6,{long},6\nc7,2024-01-06,7\nc8,2024-01-05,8\n\
             c9,{noon},9\nc10,2024-13-05 12:00,10\nc11,{later},11\n"
        );
        let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
        let rejected: Vec<(u64, RowProblem)> = outcome
            .rejected
            .iter()
            .map(|r| (r.error.line, r.error.problem))
            .collect();
        assert_eq!(
            rejected,
            [
                (4, RowProblem::NotADate),
                (5, RowProblem::NotADate),
                (11, RowProblem::NotADate)
            ]
        );
        let days: Vec<(String, Option<Day>)> = outcome
            .table
            .customers
            .iter()
            .map(|c| (c.id.to_string(), c.first))
            .collect();
        let day = |y, m, d| Day::from_civil(y, m, d);
        assert_eq!(
            days,
            [
                ("c1".to_string(), day(2024, 1, 5)),
                ("c11".to_string(), day(2024, 1, 5)),
                ("c2".to_string(), day(2024, 1, 5)),
                ("c5".to_string(), day(2024, 3, 5)),
                ("c6".to_string(), day(2024, 3, 5)),
                ("c7".to_string(), day(2024, 1, 6)),
                ("c8".to_string(), day(2024, 1, 5)),
                ("c9".to_string(), day(2024, 1, 5)),
            ]
        );
    }

    #[test]
    fn exported_formula_like_ids_come_back_as_themselves() {
        assert_eq!(strip_text_marker("'=cmd"), "=cmd");
        assert_eq!(strip_text_marker("'@x"), "@x");
        assert_eq!(strip_text_marker("'+86 138"), "+86 138");
        assert_eq!(strip_text_marker("O'Brien"), "O'Brien");
        assert_eq!(strip_text_marker("'quoted'"), "'quoted'");
    }

    /// The memo gives, for any sequence of cells, the day each cell gives read afresh, with
    /// either date order and serial dates on or off: cells of every length around the words it
    /// keeps (7, 8, 9, 15, 16, 17 bytes), equal or differing in one byte anywhere, ASCII or not.
    #[cfg(not(target_arch = "wasm32"))]
    mod memo_props {
        use super::*;
        use crate::engine::ingest::values::DateOrder;
        use proptest::collection::vec;
        use proptest::prelude::*;
        use proptest::sample::select;

        const CELLS: [&str; 16] = [
            "2024-01-05",
            "2024-01-06",
            "2024-10-05",
            "2024-13-05",
            "05/01/2024",
            "01/05/2024",
            "2024-01-05 12:00",
            "2024-01-05 13:00",
            "2024-01-05 12:00:",
            "2024-01-05T12:00",
            "20240105",
            "2024015",
            "45296",
            "2024年1月5日",
            "2024年1月6日",
            "5 Jan 2024",
        ];

        proptest! {
            #![proptest_config(ProptestConfig { cases: 500, failure_persistence: None, ..ProptestConfig::default() })]
            #[test]
            fn the_memo_reads_every_cell_as_parse_date_does(
                cells in vec(select(CELLS.to_vec()), 0..40),
                month_first in any::<bool>(),
                serial in any::<bool>(),
            ) {
                let head = b"customer,date,amount\nc,2024-01-05,1\n";
                let mut settings = inspect(head, true, &InspectOptions::default())
                    .unwrap()
                    .settings();
                settings.date_order = match month_first {
                    true => DateOrder::MonthFirst,
                    false => DateOrder::DayFirst,
                };
                settings.serial_dates = serial;
                let mut memo = DateMemo::default();
                for cell in cells {
                    prop_assert_eq!(
                        memo.day(cell, &settings),
                        parse_date(cell, settings.date_order, serial),
                        "{}", cell
                    );
                }
            }
        }
    }
}
