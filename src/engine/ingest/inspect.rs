//! The first look at a file (预览): [`inspect`] reads its head and guesses the encoding, the
//! delimiter, the header row, the column roles, the decimal separator and the date order;
//! [`DateScanner`] reads a whole date column when the head leaves the day/month order open.

use super::columns::{
    guess_attributes, guess_mapping, looks_like_header, ColumnGuess, ColumnMapping,
};
use super::dialect::{self, sniff_delimiter, Delimiter, Quotes, Record, RecordSplitter};
use super::encoding::{
    self, detect_encoding, ChunkDecoder, EncodingEvidence, EncodingGuess, LanguageHint,
};
use super::rows::Preamble;
use super::settings::{ImportSettings, InspectOptions, Preview, TableSource};
use super::values::{
    self, infer_date_order, parse_date, DateOrder, DateOrderEvidence, DecimalSeparator,
};
use super::{MAX_COLUMNS, MAX_QUOTED_LINES, PREVIEW_ROWS};
use crate::engine::error::{Error, Result};
use crate::engine::formats::TableHead;

/// How many rows of the head are used for guessing.
const SAMPLE_ROWS: usize = 2_000;

/// Decides the decimal separator from number-looking cells (currency signs, units, signs and
/// parentheses stripped first, so `1.234,56 €` and `(12,5)` count).
///
/// A cell votes for the comma when it reads `12,5`, `1.234,56` or `1.234.567`, and for the
/// point when it reads `12.5`, `1,234.56` or `1,234,567`; `1,234` and `1.234` say nothing, nor do
/// dates such as `05.01.2024` (their groups are not thousands). The majority wins; on a tie a
/// semicolon file reads the comma (continental Excel writes `;` because `,` is its decimal
/// separator), any other file the point. A comma-delimited file always reads the point: a
/// decimal comma there would need every number quoted.
fn infer_decimal(rows: &[Vec<String>], delimiter: Delimiter) -> DecimalSeparator {
    if delimiter == Delimiter::Comma {
        return DecimalSeparator::Point;
    }
    let (mut comma, mut point) = (0usize, 0usize);
    for cell in rows.iter().flatten() {
        let Some((_, body)) = values::number_parts(cell) else {
            continue;
        };
        if body.contains('e') {
            continue;
        }
        match values::separator_vote(&body) {
            Some(DecimalSeparator::Comma) => comma += 1,
            Some(DecimalSeparator::Point) => point += 1,
            None => {}
        }
    }
    if comma > point || (comma == point && delimiter == Delimiter::Semicolon) {
        DecimalSeparator::Comma
    } else {
        DecimalSeparator::Point
    }
}

/// The delimiter an Excel `sep=;` first line names (Excel writes and honours it).
pub(crate) fn sep_line_delimiter(text: &str) -> Option<Delimiter> {
    let line = text.split(['\n', '\r']).next()?.trim_end();
    let name = line.get(..4)?;
    if !name.eq_ignore_ascii_case("sep=") {
        return None;
    }
    match &line[4..] {
        "," => Some(Delimiter::Comma),
        ";" => Some(Delimiter::Semicolon),
        "\t" => Some(Delimiter::Tab),
        "|" => Some(Delimiter::Pipe),
        _ => None,
    }
}

/// Reads the head of a file (ideally its first 256 KiB) and guesses how to import it.
///
/// `is_whole_file` tells whether `head` is the complete file. An Excel `sep=;` first line sets
/// the delimiter (unless the options do) and is not a record, here and in the [`Importer`](super::Importer).
pub fn inspect(head: &[u8], is_whole_file: bool, options: &InspectOptions) -> Result<Preview> {
    if head.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::EmptyFile);
    }
    let encoding = match &options.encoding {
        Some(name) => {
            let encoding = encoding::encoding_by_name(name)?;
            let bom_len = match encoding_rs::Encoding::for_bom(head) {
                Some((bom_encoding, len)) if bom_encoding == encoding => len,
                _ => 0,
            };
            EncodingGuess {
                name: encoding.name().to_string(),
                evidence: EncodingEvidence::UserChoice,
                bom_len,
            }
        }
        None => detect_encoding(head, is_whole_file, options.hint)?,
    };
    let mut decoder = ChunkDecoder::new(&encoding.name, encoding.bom_len)?;
    let mut text = String::new();
    decoder.decode(head, is_whole_file, &mut text);
    if !is_whole_file {
        // The last line may be cut off in the middle.
        if let Some(end) = text.rfind(['\n', '\r']) {
            text.truncate(end + 1);
        }
    }
    if text.trim().is_empty() {
        return Err(Error::EmptyFile);
    }
    let delimiter = options
        .delimiter
        .or_else(|| sep_line_delimiter(&text))
        .unwrap_or_else(|| sniff_delimiter(&text[..text.floor_char_boundary(64 * 1024)]));
    if !is_whole_file && !text.contains(['\n', '\r']) {
        // Not one line ends in the head.
        return Err(Error::LineTooLong {
            line: 1,
            limit: head.len() as u64,
        });
    }
    let quotes = options.quotes;
    let mut records: Vec<Vec<String>> = Vec::new();
    // Records of several lines: (index in `records`, line, lines spanned).
    let mut multi_line: Vec<(usize, u64, u64)> = Vec::new();
    let mut splitter = RecordSplitter::with_quotes(delimiter, quotes);
    let mut first = true;
    let mut too_wide: Option<Error> = None;
    splitter.feed(&text, true, &mut |record: &Record| {
        if record.is_blank() {
            return true;
        }
        // Excel's `sep=;` first line is no record.
        let sep_line = std::mem::take(&mut first) && record.is_sep_line();
        if sep_line {
            return true;
        }
        if record.overflow || record.len() > MAX_COLUMNS {
            // The import rejects such a row; the first one is refused as a header.
            if records.is_empty() && too_wide.is_none() {
                too_wide = Some(match record.overflow {
                    true => Error::LineTooLong {
                        line: record.line,
                        limit: dialect::MAX_RECORD_BYTES as u64,
                    },
                    false => Error::TooManyColumns {
                        line: record.line,
                        count: record.len() as u64,
                        limit: MAX_COLUMNS as u64,
                    },
                });
            }
            return records.len() < SAMPLE_ROWS + 1;
        }
        if record.lines > 1 {
            multi_line.push((records.len(), record.line, record.lines));
        }
        records.push(record.to_vec());
        records.len() < SAMPLE_ROWS + 1
    });
    if let Some(error) = too_wide {
        let header_expected = options.has_header.unwrap_or(true);
        if header_expected || records.is_empty() {
            return Err(error);
        }
    }
    if records.is_empty() {
        return Err(Error::EmptyFile);
    }
    let first_guess_decimal = infer_decimal(&records[records.len().min(1)..], delimiter);
    let has_header = options
        .has_header
        .unwrap_or_else(|| looks_like_header(&records, first_guess_decimal));
    let column_count = records.iter().map(Vec::len).max().unwrap_or(0);
    let header_columns = match has_header {
        true => records[0].len(),
        false => column_count,
    };
    let (headers, data): (Vec<String>, Vec<Vec<String>>) = if has_header {
        let mut header: Vec<String> = records[0].iter().map(|h| h.trim().to_string()).collect();
        header.resize_with(column_count, String::new);
        for (i, name) in header.iter_mut().enumerate() {
            if name.is_empty() {
                *name = super::default_column_name(i);
            }
        }
        (header, records[1..].to_vec())
    } else {
        (
            (0..column_count).map(super::default_column_name).collect(),
            records,
        )
    };
    if data.is_empty() && is_whole_file {
        return Err(Error::HeaderOnly);
    }
    let Guessed {
        mapping,
        guesses,
        decimal,
        date_evidence,
        serial_dates,
        date_order,
    } = guess_columns(
        has_header.then_some(headers.as_slice()),
        &data,
        column_count,
        delimiter,
        options,
    );
    let runaway_quote = match quotes {
        Quotes::Literal => None,
        Quotes::Standard => multi_line.iter().find_map(|&(index, line, lines)| {
            // `data` lacks the header row.
            let record = data.get(index.checked_sub(usize::from(has_header))?)?;
            let field = |i: usize| record.get(i).map_or("", String::as_str);
            runaway_field(
                field,
                record.len(),
                lines,
                &mapping,
                delimiter,
                headers.len(),
            )
            .map(|_| (line, lines))
        }),
    };
    // A per-customer summary (issue 17) is recognised by its headers only.
    let summary = match has_header {
        true => super::guess_summary(&headers, &data).map(Box::new),
        false => None,
    };
    let attributes = match has_header {
        true => guess_attributes(&headers, &mapping),
        false => Vec::new(),
    };
    let lines = match has_header {
        true => super::columns::guess_lines(&headers, &mapping),
        false => Vec::new(),
    };
    Ok(Preview {
        lines,
        attributes,
        summary,
        encoding,
        delimiter,
        has_header,
        headers,
        header_columns,
        rows: data.into_iter().take(PREVIEW_ROWS).collect(),
        mapping,
        guesses,
        decimal,
        date_evidence,
        date_order,
        serial_dates,
        quotes,
        runaway_quote,
        source: TableSource::Text,
        layout: None,
    })
}

/// The guesses about a table's columns, from its header (when it has one) and first data rows:
/// the same for a CSV's head ([`inspect`]) and a table file's ([`inspect_table`]).
struct Guessed {
    mapping: ColumnMapping,
    guesses: Vec<ColumnGuess>,
    decimal: DecimalSeparator,
    date_evidence: DateOrderEvidence,
    serial_dates: bool,
    date_order: DateOrder,
}

/// Guesses the column roles, the decimal separator and the date order (see [`Guessed`]).
fn guess_columns(
    headers: Option<&[String]>,
    data: &[Vec<String>],
    column_count: usize,
    delimiter: Delimiter,
    options: &InspectOptions,
) -> Guessed {
    let decimal = infer_decimal(data, delimiter);
    let (mapping, guesses) = guess_mapping(headers, data, column_count, decimal);
    let (date_evidence, serial_dates) = match mapping.date {
        Some(column) => {
            let cells = data
                .iter()
                .map(|row| row.get(column).map(String::as_str).unwrap_or(""));
            let evidence = infer_date_order(cells);
            let non_empty: Vec<&str> = data
                .iter()
                .filter_map(|r| r.get(column))
                .map(|c| c.trim())
                .filter(|c| !c.is_empty())
                .collect();
            let serial = !non_empty.is_empty()
                && non_empty.iter().all(|c| {
                    parse_date(c, DateOrder::DayFirst, false).is_none()
                        && values::parse_serial_date(c).is_some()
                });
            (evidence, serial)
        }
        None => (DateOrderEvidence::NotNeeded, false),
    };
    let date_order = match date_evidence {
        DateOrderEvidence::MonthFirst => DateOrder::MonthFirst,
        DateOrderEvidence::DayFirst => DateOrder::DayFirst,
        // Ambiguous: US-style exports are month first; Chinese exports rarely use a/b/yyyy at all.
        _ => match options.hint {
            LanguageHint::Other => DateOrder::MonthFirst,
            _ => DateOrder::DayFirst,
        },
    };
    Guessed {
        mapping,
        guesses,
        decimal,
        date_evidence,
        serial_dates,
        date_order,
    }
}

/// Guesses how to import a table file (an Excel sheet, a Parquet file) from its [`TableHead`]:
/// the same column, role, decimal and date-order guesses as [`inspect`] makes for a CSV's
/// head, with the header given (the table's column names) and no encoding or dialect to guess
/// (text-only settings are fixed: UTF-8, no quotes to read). `source` says which file and sheet
/// the settings are for.
pub fn inspect_table(
    head: &TableHead,
    source: TableSource,
    options: &InspectOptions,
) -> Result<Preview> {
    let column_count = head
        .rows
        .iter()
        .map(Vec::len)
        .chain([head.names.len()])
        .max()
        .unwrap_or(0);
    if column_count == 0 {
        return Err(Error::EmptyFile);
    }
    if head.rows.is_empty() && head.complete {
        return Err(Error::HeaderOnly);
    }
    let mut headers: Vec<String> = head.names.iter().map(|h| h.trim().to_string()).collect();
    headers.resize_with(column_count, String::new);
    for (i, name) in headers.iter_mut().enumerate() {
        if name.is_empty() {
            *name = super::default_column_name(i);
        }
    }
    let data: Vec<Vec<String>> = head.rows.iter().take(SAMPLE_ROWS).cloned().collect();
    // Cells are never split at a delimiter: the tab stands for "not a comma file", so the
    // decimal separator is voted on by the cells.
    let delimiter = Delimiter::Tab;
    let Guessed {
        mapping,
        guesses,
        decimal,
        date_evidence,
        serial_dates,
        date_order,
    } = guess_columns(
        Some(headers.as_slice()),
        &data,
        column_count,
        delimiter,
        options,
    );
    // A per-customer summary written to a table file (the SQL pack's `vl_customers` as
    // Parquet) is recognised as in a CSV.
    let summary = super::guess_summary(&headers, &data).map(Box::new);
    let attributes = guess_attributes(&headers, &mapping);
    let lines = super::columns::guess_lines(&headers, &mapping);
    Ok(Preview {
        lines,
        encoding: EncodingGuess {
            name: "UTF-8".into(),
            evidence: EncodingEvidence::ValidUtf8,
            bom_len: 0,
        },
        delimiter,
        has_header: true,
        headers,
        header_columns: head.names.len().max(1),
        rows: data.into_iter().take(PREVIEW_ROWS).collect(),
        mapping,
        guesses,
        decimal,
        date_evidence,
        date_order,
        serial_dates,
        quotes: Quotes::Standard,
        runaway_quote: None,
        source,
        layout: Some(head.layout.clone()),
        attributes,
        summary,
    })
}

/// The field of a record spanning `lines` lines (in a file with `columns` columns) where a
/// quote was left open, if one was: a date or number cell holding a line break, a field
/// holding a line break followed by what reads as a whole row of the file, or any quoted field
/// over [`MAX_QUOTED_LINES`] lines. A note over a few lines, or an odd id with a line break,
/// is none of these.
pub(super) fn runaway_field<'a>(
    field: impl Fn(usize) -> &'a str,
    len: usize,
    lines: u64,
    mapping: &ColumnMapping,
    delimiter: Delimiter,
    columns: usize,
) -> Option<usize> {
    if lines <= 1 {
        return None;
    }
    let has_break = |i: usize| field(i).contains(['\n', '\r']);
    if lines > MAX_QUOTED_LINES {
        // The field with the most lines.
        return (0..len).max_by_key(|&i| dialect::line_breaks(field(i)));
    }
    if let Some(i) = [
        mapping.date,
        mapping.amount,
        mapping.profit,
        mapping.quantity,
    ]
    .into_iter()
    .flatten()
    .find(|&i| i < len && has_break(i))
    {
        return Some(i);
    }
    let separator = delimiter.byte().map(char::from)?;
    (0..len).filter(|&i| has_break(i)).find(|&i| {
        columns >= 2
            && field(i)
                .split(['\n', '\r'])
                .skip(1)
                .any(|line| line.matches(separator).count() + 1 >= columns)
    })
}

/// Reads a whole file's date column for day/month evidence (`05/01/2024` says nothing,
/// `25/01/2024` says day first), so that the order is decided from the whole column and the
/// user is asked only when it is truly ambiguous. Fed in chunks like the [`Importer`](super::Importer); only the
/// date cells are looked at.
pub struct DateScanner {
    column: usize,
    decoder: ChunkDecoder,
    splitter: RecordSplitter,
    text: String,
    preamble: Preamble,
    day_first: bool,
    month_first: bool,
    pairs: bool,
}

impl DateScanner {
    /// A scanner for the file `settings` describe; `None` without a date column.
    pub fn new(settings: &ImportSettings) -> Result<Option<Self>> {
        let Some(column) = settings.mapping.date else {
            return Ok(None);
        };
        Ok(Some(DateScanner {
            column,
            decoder: ChunkDecoder::new(&settings.encoding, settings.bom_len)?,
            splitter: RecordSplitter::with_quotes(settings.delimiter, settings.quotes),
            text: String::new(),
            preamble: Preamble::new(settings.has_header),
            day_first: false,
            month_first: false,
            pairs: false,
        }))
    }

    /// Takes the next chunk of the file.
    pub fn push(&mut self, chunk: &[u8]) {
        self.feed(chunk, false);
    }

    fn feed(&mut self, chunk: &[u8], last: bool) {
        self.text.clear();
        self.decoder.decode(chunk, last, &mut self.text);
        let (column, preamble) = (self.column, &mut self.preamble);
        let (pairs, day_first, month_first) =
            (&mut self.pairs, &mut self.day_first, &mut self.month_first);
        self.splitter.feed(&self.text, last, &mut |record| {
            if !preamble.is_data(record) {
                return true;
            }
            match infer_date_order([record.field(column)]) {
                DateOrderEvidence::DayFirst => *day_first = true,
                DateOrderEvidence::MonthFirst => *month_first = true,
                DateOrderEvidence::Ambiguous => *pairs = true,
                _ => {}
            }
            // Both orders seen: nothing later can change the answer.
            !(*day_first && *month_first)
        });
    }

    /// What the whole column says.
    pub fn finish(mut self) -> DateOrderEvidence {
        self.feed(&[], true);
        match (self.day_first, self.month_first, self.pairs) {
            (true, true, _) => DateOrderEvidence::Conflicting,
            (true, false, _) => DateOrderEvidence::DayFirst,
            (false, true, _) => DateOrderEvidence::MonthFirst,
            (false, false, true) => DateOrderEvidence::Ambiguous,
            (false, false, false) => DateOrderEvidence::NotNeeded,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ingest::{import_bytes, Concern};

    #[test]
    fn sniffing_does_not_cut_a_character_at_64_kib() {
        // Regression: the sniffer's sample was `&text[..64 KiB]`, which panics inside a CJK
        // character: any UTF-8 Chinese file over 64 KiB had a two-in-three chance to crash.
        let mut csv = String::from("客户编号,金额   \n");
        csv.push_str(&"客户甲,12.5\n".repeat(4700));
        assert!(!csv.is_char_boundary(64 * 1024));
        let preview = inspect(csv.as_bytes(), true, &InspectOptions::default()).unwrap();
        assert_eq!(preview.delimiter, Delimiter::Comma);
    }

    #[test]
    fn decimal_inference_ignores_dates_and_reads_decorated_numbers() {
        // Regression: `1.234,56 €` and `(12,5)` gave no vote (so `1.23456`), dotted dates voted
        // for the comma (so a tab file's `1,200` read 1.2), and a semicolon file of `1.234`s
        // read the point.
        let cases: &[(&[&str], Delimiter, DecimalSeparator)] = &[
            (
                &["1.234,56 €", "2.500,00 €"],
                Delimiter::Semicolon,
                DecimalSeparator::Comma,
            ),
            (&["(12,5)", "7"], Delimiter::Tab, DecimalSeparator::Comma),
            (
                &["2024.01.05", "1,200", "300"],
                Delimiter::Tab,
                DecimalSeparator::Point,
            ),
            (
                &["05.01.2024", "12.5"],
                Delimiter::Semicolon,
                DecimalSeparator::Point,
            ),
            (
                &["1.234", "2.500"],
                Delimiter::Semicolon,
                DecimalSeparator::Comma,
            ),
            (&["1,234", "2,500"], Delimiter::Tab, DecimalSeparator::Point),
            (
                &["1.234.567", "12"],
                Delimiter::Tab,
                DecimalSeparator::Comma,
            ),
            (
                &["\"1,5\"", "2,25"],
                Delimiter::Comma,
                DecimalSeparator::Point,
            ),
        ];
        for (cells, delimiter, expected) in cases {
            let rows = vec![cells
                .iter()
                .map(|c| c.trim_matches('"').to_string())
                .collect()];
            assert_eq!(infer_decimal(&rows, *delimiter), *expected, "{cells:?}");
        }
    }

    #[test]
    fn excel_sep_line_sets_the_delimiter_and_is_skipped() {
        // Regression: `sep=;` was taken for the header, so no column was found.
        let csv = "sep=;\r\ncustomer;amount\r\nk1;12,50\r\nk2;x\r\n";
        let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
        assert_eq!(outcome.report.settings.delimiter, Delimiter::Semicolon);
        assert_eq!(outcome.report.settings.headers, ["customer", "amount"]);
        assert_eq!(outcome.table.customers[0].sales, 12.5);
        assert_eq!(outcome.report.first_errors[0].line, 4);
    }

    #[test]
    fn the_date_order_is_decided_from_the_whole_column() {
        // 6,000 rows whose dates all read either way (the head sample sees only these), then one
        // that only reads day first.
        let mut csv = String::from("customer,date,amount\n");
        for i in 0..6000 {
            csv.push_str(&format!(
                "c{},{:02}/{:02}/2024,1\n",
                i % 7,
                1 + i % 12,
                1 + i % 9
            ));
        }
        csv.push_str("c1,25/03/2024,1\n");
        let english = InspectOptions {
            hint: LanguageHint::Other,
            ..Default::default()
        };
        let head = inspect(&csv.as_bytes()[..64 * 1024], false, &english).unwrap();
        assert_eq!(head.date_evidence, DateOrderEvidence::Ambiguous);
        assert_eq!(head.date_order, DateOrder::MonthFirst);
        let outcome = import_bytes(csv.as_bytes(), &english).unwrap();
        assert_eq!(outcome.report.rows_rejected, 0);
        assert_eq!(outcome.report.settings.date_order, DateOrder::DayFirst);
        // 12/09/2024 read day first is 12 September (month first it would be 9 December).
        assert_eq!(
            outcome.report.last_day,
            crate::engine::calendar::Day::parse_iso("2024-09-12")
        );
        // Truly ambiguous to the end: still the user's question.
        let ambiguous = &csv[..csv.len() - "c1,25/03/2024,1\n".len()];
        let mut preview = inspect(&ambiguous.as_bytes()[..64 * 1024], false, &english).unwrap();
        let mut scanner = DateScanner::new(&preview.settings()).unwrap().unwrap();
        ambiguous
            .as_bytes()
            .chunks(1000)
            .for_each(|c| scanner.push(c));
        preview.apply_whole_date_column(scanner.finish());
        assert_eq!(preview.concerns(), vec![Concern::AmbiguousDates]);
        // Both orders somewhere in the column: conflicting.
        let conflicting = format!("{csv}c2,03/25/2024,1\n");
        let mut scanner = DateScanner::new(&preview.settings()).unwrap().unwrap();
        scanner.push(conflicting.as_bytes());
        assert_eq!(scanner.finish(), DateOrderEvidence::Conflicting);
    }

    #[test]
    fn semicolon_with_decimal_comma() {
        let csv = "Kunde;Datum;Betrag\nk1;05.01.2024;1.234,50\nk2;13.01.2024;12,5\n";
        let preview = inspect(csv.as_bytes(), true, &InspectOptions::default()).unwrap();
        assert_eq!(preview.delimiter, Delimiter::Semicolon);
        assert_eq!(preview.decimal, DecimalSeparator::Comma);
        assert_eq!(preview.date_evidence, DateOrderEvidence::DayFirst);
    }
}
