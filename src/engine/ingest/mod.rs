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

pub mod columns;
pub mod dialect;
pub mod encoding;
pub mod values;

use serde::{Deserialize, Serialize};

use crate::engine::customers::{AggregatePart, Aggregator, Columns, CustomerTable, Transaction};
use crate::engine::error::{Error, Result, RowError, RowProblem};
use columns::{guess_mapping, looks_like_header, ColumnGuess, ColumnMapping};
use dialect::{sniff_delimiter, Delimiter, Quotes, Record, RecordSplitter};
use encoding::{detect_encoding, ChunkDecoder, EncodingEvidence, EncodingGuess, LanguageHint};
use values::{
    infer_date_order, parse_date, parse_number, DateOrder, DateOrderEvidence, DecimalSeparator,
};

/// How many rejected rows are kept with full detail for display.
pub const MAX_ERRORS_SHOWN: usize = 100;
/// How many rejected rows are kept for the download of rejected rows.
pub const MAX_REJECTED_KEPT: usize = 100_000;
/// How many rows the preview shows.
pub const PREVIEW_ROWS: usize = 20;
/// How many rows of the head are used for guessing.
const SAMPLE_ROWS: usize = 2_000;
/// The most columns a file may have: a header with more is refused ([`Error::TooManyColumns`]),
/// and a longer data row is rejected like any row with more fields than the header.
pub const MAX_COLUMNS: usize = 2_000;
/// A quoted field that spans more lines than this is taken for a quote left open, even when
/// none of the lines it holds looks like a row.
pub const MAX_QUOTED_LINES: u64 = 100;
/// Of a rejected row, at most this many cells are kept for the download…
const MAX_KEPT_CELLS: usize = 2_000;
/// …each cut to this many characters…
const MAX_KEPT_CELL_CHARS: usize = 1_000;
/// …and all kept rejected rows together hold at most this many bytes of text; later rows are
/// counted and listed among the first errors as usual, but not kept.
const MAX_REJECTED_BYTES: usize = 32 << 20;

/// What the user has chosen before or after the first guess; `None` means "guess".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InspectOptions {
    /// Encoding override (WHATWG label).
    pub encoding: Option<String>,
    /// Delimiter override.
    pub delimiter: Option<Delimiter>,
    /// Header-row override.
    pub has_header: Option<bool>,
    /// The detector's prior, from the UI language.
    pub hint: LanguageHint,
    /// What a double quote means (standard CSV unless the user chose otherwise).
    #[serde(default)]
    pub quotes: Quotes,
}

/// The guesses for a file, with its first rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    /// The encoding and how it was decided.
    pub encoding: EncodingGuess,
    /// The delimiter.
    pub delimiter: Delimiter,
    /// Whether the first row is a header.
    pub has_header: bool,
    /// Column names: header texts, or `column 1`, `column 2` … without a header; as many as
    /// the widest row of the head has.
    pub headers: Vec<String>,
    /// The number of columns of the header row (without a header, of the widest row of the
    /// head): a row with more non-empty fields is rejected.
    pub header_columns: usize,
    /// The first data rows, for display.
    pub rows: Vec<Vec<String>>,
    /// The column roles.
    pub mapping: ColumnMapping,
    /// Why each role was given, with confidence.
    pub guesses: Vec<ColumnGuess>,
    /// Decimal separator of numbers.
    pub decimal: DecimalSeparator,
    /// What the date column says about day/month order.
    pub date_evidence: DateOrderEvidence,
    /// The date order to use (guessed; the user must confirm when the evidence is ambiguous).
    pub date_order: DateOrder,
    /// The date column holds Excel serial numbers.
    pub serial_dates: bool,
    /// What a double quote means.
    pub quotes: Quotes,
    /// The first quoted field of the head that runs over lines it should not (a quote left
    /// open): its line and how many lines it spans.
    pub runaway_quote: Option<(u64, u64)>,
}

/// Everything the importer needs: the preview's guesses after the user's corrections.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportSettings {
    /// Encoding (WHATWG label).
    pub encoding: String,
    /// Length of the byte-order mark to skip.
    pub bom_len: usize,
    /// Delimiter.
    pub delimiter: Delimiter,
    /// Whether the first row is a header (and is skipped).
    pub has_header: bool,
    /// Column names, for messages.
    pub headers: Vec<String>,
    /// Columns of the header row (0: as many as `headers`); see [`ImportSettings::columns_expected`].
    #[serde(default)]
    pub header_columns: usize,
    /// Column roles.
    pub mapping: ColumnMapping,
    /// Decimal separator.
    pub decimal: DecimalSeparator,
    /// Date order for ambiguous dates.
    pub date_order: DateOrder,
    /// Accept Excel serial numbers as dates.
    pub serial_dates: bool,
    /// What a double quote means.
    #[serde(default)]
    pub quotes: Quotes,
}

impl Preview {
    /// The settings this preview implies.
    pub fn settings(&self) -> ImportSettings {
        ImportSettings {
            encoding: self.encoding.name.clone(),
            bom_len: self.encoding.bom_len,
            delimiter: self.delimiter,
            has_header: self.has_header,
            headers: self.headers.clone(),
            header_columns: self.header_columns,
            mapping: self.mapping.clone(),
            decimal: self.decimal,
            date_order: self.date_order,
            serial_dates: self.serial_dates,
            quotes: self.quotes,
        }
    }
}

/// Something about a preview the user should decide before importing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Concern {
    /// A required role has no column.
    Missing(columns::Role),
    /// A required role was guessed with low confidence.
    Unsure(columns::Role),
    /// Dates like `05/01/2024` occur and nothing tells day-first from month-first.
    AmbiguousDates,
    /// Dates contradict each other (both `13/01` and `01/13` occur).
    ConflictingDates,
    /// The encoding detector was not sure.
    UnsureEncoding,
    /// A quote opened on `line` is not closed for `lines` lines (see [`Preview::runaway_quote`]):
    /// the user should choose to read quotes literally or fix the file.
    RunawayQuote {
        /// The line where the quote opens.
        line: u64,
        /// The lines the quoted field spans.
        lines: u64,
    },
}

impl Preview {
    /// What the user should decide before importing; empty when the guess can be used as is.
    ///
    /// The UI imports at once when this is empty and stops at the mapping step otherwise.
    pub fn concerns(&self) -> Vec<Concern> {
        let mut concerns = Vec::new();
        for role in [columns::Role::Customer, columns::Role::Amount] {
            match self.guesses.iter().find(|g| g.role == role) {
                None if self.mapping.get(role).is_none() => concerns.push(Concern::Missing(role)),
                // Regression: `< 0.4` never held, as no guess is below LOW_CONFIDENCE.
                Some(guess) if guess.confidence <= columns::LOW_CONFIDENCE => {
                    concerns.push(Concern::Unsure(role))
                }
                _ => {}
            }
        }
        match self.date_evidence {
            DateOrderEvidence::Ambiguous => concerns.push(Concern::AmbiguousDates),
            DateOrderEvidence::Conflicting => concerns.push(Concern::ConflictingDates),
            _ => {}
        }
        if self.encoding.evidence == EncodingEvidence::DetectorUnsure {
            concerns.push(Concern::UnsureEncoding);
        }
        if let Some((line, lines)) = self.runaway_quote {
            concerns.push(Concern::RunawayQuote { line, lines });
        }
        concerns
    }
}

impl ImportSettings {
    /// True when the file can be cut at a 0x0A byte: its encoding is ASCII-compatible (UTF-8,
    /// GBK, Big5 …: 0x0A is never part of another character there; not UTF-16).
    pub fn splits_at_line_breaks(&self) -> bool {
        encoding_rs::Encoding::for_label(self.encoding.as_bytes())
            .is_some_and(|e| e.is_ascii_compatible())
    }

    /// Checks that the required roles are mapped to existing columns.
    pub fn validate(&self) -> Result<()> {
        if self.mapping.customer.is_none() {
            return Err(Error::NoCustomerColumn);
        }
        if self.mapping.amount.is_none() {
            return Err(Error::NoAmountColumn);
        }
        let count = self.headers.len();
        for role in columns::Role::ALL {
            if let Some(index) = self.mapping.get(role) {
                if index >= count {
                    return Err(Error::NoSuchColumn { index, count });
                }
            }
        }
        Ok(())
    }

    /// How many fields a row may have before its values are taken for shifted: the header's
    /// columns, or more when a column beyond them is mapped.
    pub fn columns_expected(&self) -> usize {
        let header = match self.header_columns {
            0 => self.headers.len(),
            n => n,
        };
        let mapped = columns::Role::ALL
            .iter()
            .filter_map(|&role| self.mapping.get(role))
            .max()
            .map_or(0, |i| i + 1);
        header.max(mapped)
    }

    /// Which optional columns are mapped.
    pub fn columns(&self) -> Columns {
        Columns {
            order: self.mapping.order.is_some(),
            date: self.mapping.date.is_some(),
            profit: self.mapping.profit.is_some(),
            quantity: self.mapping.quantity.is_some(),
        }
    }
}

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
/// the delimiter (unless the options do) and is not a record, here and in the [`Importer`].
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
                *name = format!("column {}", i + 1);
            }
        }
        (header, records[1..].to_vec())
    } else {
        (
            (1..=column_count).map(|i| format!("column {i}")).collect(),
            records,
        )
    };
    if data.is_empty() && is_whole_file {
        return Err(Error::HeaderOnly);
    }
    let decimal = infer_decimal(&data, delimiter);
    let (mapping, guesses) = guess_mapping(
        if has_header { Some(&headers) } else { None },
        &data,
        column_count,
        decimal,
    );
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
    let date_order = match date_evidence {
        DateOrderEvidence::MonthFirst => DateOrder::MonthFirst,
        DateOrderEvidence::DayFirst => DateOrder::DayFirst,
        // Ambiguous: US-style exports are month first; Chinese exports rarely use a/b/yyyy at all.
        _ => match options.hint {
            LanguageHint::Other => DateOrder::MonthFirst,
            _ => DateOrder::DayFirst,
        },
    };
    Ok(Preview {
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
    })
}

/// The field of a record spanning `lines` lines (in a file with `columns` columns) where a
/// quote was left open, if one was: a date or number cell holding a line break, a field
/// holding a line break followed by what reads as a whole row of the file, or any quoted field
/// over [`MAX_QUOTED_LINES`] lines. A note over a few lines, or an odd id with a line break,
/// is none of these.
fn runaway_field<'a>(
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

impl Preview {
    /// True when the head's dates leave the day/month order open, so the whole column should be
    /// read ([`DateScanner`]) before the user is asked.
    pub fn needs_whole_date_column(&self) -> bool {
        self.mapping.date.is_some() && self.date_evidence == DateOrderEvidence::Ambiguous
    }

    /// Takes what the whole date column says ([`DateScanner::finish`]) in place of the head's
    /// evidence: a decisive column sets the order; a still ambiguous or conflicting one leaves the
    /// question to the user (see [`Preview::concerns`]).
    pub fn apply_whole_date_column(&mut self, evidence: DateOrderEvidence) {
        match evidence {
            DateOrderEvidence::DayFirst => self.date_order = DateOrder::DayFirst,
            DateOrderEvidence::MonthFirst => self.date_order = DateOrder::MonthFirst,
            _ => {}
        }
        if evidence != DateOrderEvidence::NotNeeded {
            self.date_evidence = evidence;
        }
    }
}

/// Reads a whole file's date column for day/month evidence (`05/01/2024` says nothing,
/// `25/01/2024` says day first), so that the order is decided from the whole column and the
/// user is asked only when it is truly ambiguous. Fed in chunks like the [`Importer`]; only the
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
    pub first_day: Option<values::Day>,
    /// Latest day among accepted rows.
    pub last_day: Option<values::Day>,
    /// Quoted fields left open (rejected as [`RowProblem::RunawayQuote`] or
    /// [`RowProblem::RecordTooLong`]), and the lines they held.
    #[serde(default)]
    pub runaway_quotes: RunawayQuotes,
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

/// The result of an import: per-customer data, the report, and the rejected rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportOutcome {
    /// Customers.
    pub table: CustomerTable,
    /// What happened.
    pub report: ImportReport,
    /// Rejected rows: line, reason, then the original cells (at most [`MAX_REJECTED_KEPT`]).
    pub rejected: Vec<RejectedRow>,
}

/// A rejected row kept for download.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RejectedRow {
    /// The reason, with line and column.
    pub error: RowError,
    /// The row's cells as read.
    pub cells: Vec<String>,
}

/// Streams a file in chunks into per-customer aggregates.
///
/// A big file may be read in two halves at once (two Web Workers): the importer of the first
/// half ([`Importer::new`]) reads up to the line where the second starts
/// ([`part_start`]), checks that no quoted field runs over it ([`Importer::at_record_boundary`]),
/// and merges what the second half's importer ([`Importer::new_part`]) gathered
/// ([`Importer::finish_part`] → [`Importer::absorb`]). The outcome is the one a single importer
/// gives for the whole file, line numbers included (sums may differ in the last bits, as they are
/// added in another order).
pub struct Importer {
    settings: ImportSettings,
    decoder: ChunkDecoder,
    splitter: RecordSplitter,
    text: String,
    state: RowState,
    /// Replacement characters counted by the importers of later parts.
    absorbed_replacements: u64,
}

/// What the importer of a later part of a file gathered, for the importer before it to absorb.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    /// Line numbers counted from the part's first line (1).
    tally: Tally,
    replacements: u64,
    aggregate: AggregatePart,
}

/// What an importer's rows came to, besides the customers: counts, the first errors and
/// rejected rows, and the first and last day. The SWOT CSV import counts its rows with it too.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Tally {
    bytes: u64,
    pub(crate) rows_read: u64,
    pub(crate) rows_accepted: u64,
    pub(crate) rows_rejected: u64,
    return_rows: u64,
    pub(crate) first_errors: Vec<RowError>,
    pub(crate) rejected: Vec<RejectedRow>,
    first_day: Option<values::Day>,
    last_day: Option<values::Day>,
    runaway_quotes: RunawayQuotes,
    /// Bytes of text held by `rejected`.
    rejected_bytes: usize,
}

impl Tally {
    /// Adds the tally of the input that follows, whose line numbers count from 1 after
    /// `lines_before` lines of this one.
    fn absorb(&mut self, later: Tally, lines_before: u64) {
        let shift = |mut error: RowError| {
            error.line += lines_before;
            error
        };
        self.bytes += later.bytes;
        self.rows_read += later.rows_read;
        self.rows_accepted += later.rows_accepted;
        self.rows_rejected += later.rows_rejected;
        self.return_rows += later.return_rows;
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
        self.first_day = values::earliest(self.first_day, later.first_day);
        self.last_day = values::latest(self.last_day, later.last_day);
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

/// [`kept_cells_of`] a record.
fn kept_cells(record: &Record) -> Vec<String> {
    kept_cells_of((0..record.len()).map(|i| record.field(i)))
}

impl Part {
    /// As bytes (postcard), to pass from one worker to another.
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_stdvec(self).unwrap_or_default()
    }

    /// From bytes made by [`Part::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Part> {
        postcard::from_bytes(bytes).map_err(|e| Error::Format {
            what: crate::engine::FormatSubject::ImportSecondHalf,
            reason: crate::engine::FormatProblem::Parser {
                detail: e.to_string(),
            },
        })
    }
}

/// Where a later part of a file may start, given the bytes from (just before) the split point:
/// just after the first line feed (`\n`) whose line does not start with the bytes of U+FEFF
/// (csv-core drops them as a byte-order mark at the start of its input, where the whole file
/// keeps them as text). `None` without one. Only meaningful for encodings in which a 0x0A byte
/// is always a line feed ([`ImportSettings::splits_at_line_breaks`]).
pub fn part_start(window: &[u8]) -> Option<usize> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let mut from = 0;
    loop {
        let start = from + window.get(from..)?.iter().position(|&b| b == b'\n')? + 1;
        let rest = window.get(start..).unwrap_or_default();
        // The line's first bytes must show that it does not start with a BOM.
        let may_be_bom = rest.starts_with(BOM) || BOM.starts_with(rest);
        if !may_be_bom {
            return Some(start);
        }
        from = start;
    }
}

/// Which records of a file are data rows: never a blank record, nor Excel's `sep=;` line when it
/// is the first record, nor the header row.
#[derive(Debug, Clone, Copy)]
struct Preamble {
    /// No record taken yet: a `sep=;` line would be skipped.
    first_record: bool,
    header_pending: bool,
}

impl Preamble {
    /// At the start of a file, with or without a header row.
    fn new(has_header: bool) -> Self {
        Preamble {
            first_record: true,
            header_pending: has_header,
        }
    }

    /// Past the header and a `sep=` line (a later part of a file starts there).
    fn behind() -> Self {
        Preamble {
            first_record: false,
            header_pending: false,
        }
    }

    fn is_behind(&self) -> bool {
        !self.first_record && !self.header_pending
    }

    /// True when `record` is a data row; takes note of the records that are not.
    fn is_data(&mut self, record: &Record) -> bool {
        if record.is_blank() {
            return false;
        }
        if std::mem::take(&mut self.first_record) && record.is_sep_line() {
            return false;
        }
        !std::mem::take(&mut self.header_pending)
    }
}

struct RowState {
    /// [`ImportSettings::columns_expected`].
    columns: usize,
    aggregator: Aggregator,
    preamble: Preamble,
    tally: Tally,
}

use crate::engine::numeric::truncate_chars;

impl Importer {
    /// An importer for `settings` (validated first).
    pub fn new(settings: ImportSettings) -> Result<Self> {
        settings.validate()?;
        let decoder = ChunkDecoder::new(&settings.encoding, settings.bom_len)?;
        let splitter = RecordSplitter::with_quotes(settings.delimiter, settings.quotes);
        let state = RowState {
            columns: settings.columns_expected(),
            aggregator: Aggregator::new(settings.columns()),
            preamble: Preamble::new(settings.has_header),
            tally: Tally::default(),
        };
        Ok(Importer {
            settings,
            decoder,
            splitter,
            text: String::new(),
            state,
            absorbed_replacements: 0,
        })
    }

    /// An importer for a later part of a file, which starts at a line start after the header
    /// (see [`part_start`]): no byte-order mark, header row or `sep=` line is expected there, and
    /// line numbers count from 1 at the part's start until [`Importer::absorb`] shifts them.
    pub fn new_part(settings: ImportSettings) -> Result<Self> {
        let mut importer = Importer::new(ImportSettings {
            bom_len: 0,
            ..settings
        })?;
        importer.state.preamble = Preamble::behind();
        importer.splitter.continue_mid_file();
        Ok(importer)
    }

    /// True when a later part may start where the input so far ends: no record is half read (a
    /// quoted field holding a line break, or a line without its end), and the header row (and a
    /// `sep=` line) is behind. Called after a line feed in an ASCII-compatible encoding, where no
    /// character can be half decoded.
    pub fn at_record_boundary(&self) -> bool {
        self.splitter.at_record_boundary() && self.state.preamble.is_behind()
    }

    /// Ends a later part: what it gathered, for [`Importer::absorb`].
    pub fn finish_part(mut self) -> Part {
        self.feed(&[], true);
        Part {
            tally: self.state.tally,
            replacements: self.decoder.replacements(),
            aggregate: self.state.aggregator.into_part(),
        }
    }

    /// Merges the part that follows this importer's input (which ends at a record boundary):
    /// afterwards the importer stands as if it had read that part itself.
    pub fn absorb(&mut self, part: Part) {
        let state = &mut self.state;
        state.tally.absorb(part.tally, self.splitter.lines_seen());
        self.absorbed_replacements += part.replacements;
        state.aggregator.absorb(part.aggregate);
        // A header or `sep=` line can no longer come.
        state.preamble = Preamble::behind();
    }

    /// Data rows read so far.
    pub fn rows_read(&self) -> u64 {
        self.state.tally.rows_read
    }

    /// Bytes taken so far.
    pub fn bytes_read(&self) -> u64 {
        self.state.tally.bytes
    }

    /// Distinct customers so far.
    pub fn customers_so_far(&self) -> usize {
        self.state.aggregator.customer_count()
    }

    /// Takes the next chunk of the file's bytes.
    pub fn push(&mut self, chunk: &[u8]) {
        self.feed(chunk, false);
    }

    fn feed(&mut self, chunk: &[u8], last: bool) {
        self.state.tally.bytes += chunk.len() as u64;
        self.text.clear();
        self.decoder.decode(chunk, last, &mut self.text);
        let settings = &self.settings;
        let state = &mut self.state;
        self.splitter.feed(&self.text, last, &mut |record| {
            state.take(record, settings);
            true
        });
    }

    /// Ends the input and returns the outcome.
    pub fn finish(mut self) -> Result<ImportOutcome> {
        self.feed(&[], true);
        let RowState {
            aggregator, tally, ..
        } = self.state;
        tally.check_some_accepted(if self.settings.has_header {
            Error::HeaderOnly
        } else {
            Error::EmptyFile
        })?;
        let report = ImportReport {
            settings: self.settings,
            bytes: tally.bytes,
            rows_read: tally.rows_read,
            rows_accepted: tally.rows_accepted,
            rows_rejected: tally.rows_rejected,
            return_rows: tally.return_rows,
            first_errors: tally.first_errors,
            replacement_chars: self.decoder.replacements() + self.absorbed_replacements,
            first_day: tally.first_day,
            last_day: tally.last_day,
            runaway_quotes: tally.runaway_quotes,
        };
        Ok(ImportOutcome {
            table: aggregator.finish(),
            report,
            rejected: tally.rejected,
        })
    }
}

impl RowState {
    fn take(&mut self, record: &Record, settings: &ImportSettings) {
        if !self.preamble.is_data(record) {
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
        // Per record, not per chunk: a flag set from the decoder's count so far made the outcome
        // depend on where the chunks were cut.
        match parse_row(record, settings, record.has_replacement_char()) {
            Ok(row) => {
                self.tally.rows_accepted += 1;
                if row.amount < 0.0 {
                    self.tally.return_rows += 1;
                }
                if let Some(day) = row.day {
                    self.tally.first_day = values::earliest(self.tally.first_day, Some(day));
                    self.tally.last_day = values::latest(self.tally.last_day, Some(day));
                }
                self.aggregator.add(&row);
            }
            Err(error) => self.tally.reject(error, || kept_cells(record)),
        }
    }
}

/// What is wrong with the shape of a record (in a file of `columns` columns, see
/// [`ImportSettings::columns_expected`]), before its cells are read: longer than
/// [`dialect::MAX_RECORD_BYTES`]; a quote left open ([`runaway_field`]); or more non-empty
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
    if settings.delimiter == Delimiter::Comma {
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

/// The name of column `index`: its header, or `column N`.
pub(crate) fn column_name(headers: &[String], index: usize) -> String {
    headers
        .get(index)
        .cloned()
        .unwrap_or_else(|| format!("column {}", index + 1))
}

/// Removes the apostrophe a spreadsheet (and ValueLens's own export) puts before a text that
/// starts like a formula (`'=cmd`, `'+86…`, `'@x`), so an exported id re-imports as itself.
/// Other apostrophes are part of the text and stay.
fn strip_text_marker(id: &str) -> &str {
    match id.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r', '\n']) => rest,
        _ => id,
    }
}

fn parse_row<'r>(
    record: &Record<'r>,
    settings: &ImportSettings,
    check_encoding: bool,
) -> Result<Transaction<'r>, RowError> {
    let mapping = &settings.mapping;
    let literal = settings.quotes == Quotes::Literal;
    let fail = |index: usize, problem: RowProblem, value: &str| RowError {
        line: record.line,
        column: column_name(&settings.headers, index),
        value: truncate_chars(value, 80),
        problem,
    };
    let cell = |index: usize| -> Result<&'r str, RowError> {
        if index >= record.len() {
            return Err(fail(index, RowProblem::TooFewColumns, ""));
        }
        let mut value = values::trim_cell(record.field(index));
        if literal {
            // Quotes read as characters: those around a cell are still no part of its value.
            value = value.trim_matches('"').trim();
        }
        if check_encoding && value.contains('\u{FFFD}') {
            return Err(fail(index, RowProblem::BadEncoding, value));
        }
        Ok(value)
    };
    let required = |index: usize| -> Result<&'r str, RowError> {
        let value = cell(index)?;
        if value.is_empty() {
            Err(fail(index, RowProblem::Missing, ""))
        } else {
            Ok(value)
        }
    };
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
                parse_date(value, settings.date_order, settings.serial_dates)
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

/// Imports a file held in memory the way two workers do (in one thread): the part from the
/// first line feed at or after byte `middle` by one importer, the rest by another, merged — or,
/// when that line is inside a quoted field, read on by the first. This is the protocol of
/// `src/bin/worker.rs` without the messages; tests check it against [`import_with`].
pub fn import_in_halves(
    bytes: &[u8],
    settings: ImportSettings,
    middle: usize,
) -> Result<ImportOutcome> {
    let start = settings
        .splits_at_line_breaks()
        .then(|| bytes.get(middle..).and_then(part_start))
        .flatten()
        .map(|offset| middle + offset)
        .filter(|&start| start < bytes.len());
    let Some(start) = start else {
        return import_with(bytes, settings);
    };
    let mut first = Importer::new(settings.clone())?;
    first.push(&bytes[..start]);
    if first.at_record_boundary() {
        let mut second = Importer::new_part(settings)?;
        second.push(&bytes[start..]);
        first.absorb(second.finish_part());
    } else {
        first.push(&bytes[start..]);
    }
    first.finish()
}

/// Inspects and imports a whole file held in memory, with the guessed settings.
///
/// # Examples
/// ```
/// use valuelens::engine::ingest::{import_bytes, InspectOptions};
/// let csv = "客户编号,订单日期,金额\nC1,2024-01-05,100\nC2,2024-01-06,oops\nC1,2024-02-01,-20\n";
/// let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default())?;
/// assert_eq!(outcome.table.customers.len(), 1);
/// assert_eq!(outcome.report.rows_rejected, 1);
/// assert_eq!(outcome.report.first_errors[0].to_string(), "line 3, column '金额': expected a number, found 'oops'");
/// # Ok::<(), valuelens::engine::Error>(())
/// ```
pub fn import_bytes(bytes: &[u8], options: &InspectOptions) -> Result<ImportOutcome> {
    let mut preview = inspect(
        &bytes[..bytes.len().min(256 * 1024)],
        bytes.len() <= 256 * 1024,
        options,
    )?;
    if preview.needs_whole_date_column() {
        if let Some(mut scanner) = DateScanner::new(&preview.settings())? {
            scanner.push(bytes);
            preview.apply_whole_date_column(scanner.finish());
        }
    }
    import_with(bytes, preview.settings())
}

/// Imports a whole file held in memory with the given settings.
pub fn import_with(bytes: &[u8], settings: ImportSettings) -> Result<ImportOutcome> {
    let mut importer = Importer::new(settings)?;
    for chunk in bytes.chunks(1 << 20) {
        importer.push(chunk);
    }
    importer.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_header_only() {
        let options = InspectOptions::default();
        assert_eq!(import_bytes(b"", &options).unwrap_err(), Error::EmptyFile);
        assert_eq!(
            import_bytes(b" \r\n\n", &options).unwrap_err(),
            Error::EmptyFile
        );
        assert_eq!(
            import_bytes("客户编号,金额\r\n".as_bytes(), &options).unwrap_err(),
            Error::HeaderOnly
        );
    }

    #[test]
    fn mapping_without_customer_is_refused() {
        let preview = inspect(b"x,amount\n1.5,2.5\n", true, &InspectOptions::default()).unwrap();
        let mut settings = preview.settings();
        settings.mapping.customer = None;
        assert_eq!(Importer::new(settings).err(), Some(Error::NoCustomerColumn));
    }

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
    fn concerns_stop_the_automatic_import() {
        let clear = inspect(
            "客户编号,订单日期,金额\nC1,2024-01-05,100\n".as_bytes(),
            true,
            &InspectOptions::default(),
        )
        .unwrap();
        assert_eq!(clear.concerns(), vec![]);
        let ambiguous = inspect(
            b"customer,date,amount\nc1,01/02/2024,5\nc2,03/04/2024,6\n",
            true,
            &InspectOptions::default(),
        )
        .unwrap();
        assert_eq!(ambiguous.concerns(), vec![Concern::AmbiguousDates]);
        let no_amount = inspect(
            b"customer,note\nc1,x\nc2,y\n",
            true,
            &InspectOptions::default(),
        )
        .unwrap();
        assert_eq!(
            no_amount.concerns(),
            vec![Concern::Missing(columns::Role::Amount)]
        );
    }

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
    fn a_weakly_guessed_required_role_is_a_concern() {
        // Regression: `Unsure` needed a confidence below 0.4, which no guess ever has.
        let preview = inspect(
            b"10001,2023-05-01,2,120.00\n10002,2023-05-02,1,35.50\n",
            true,
            &InspectOptions::default(),
        )
        .unwrap();
        assert_eq!(
            preview.concerns(),
            vec![Concern::Unsure(columns::Role::Customer)]
        );
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
    fn exported_formula_like_ids_come_back_as_themselves() {
        assert_eq!(strip_text_marker("'=cmd"), "=cmd");
        assert_eq!(strip_text_marker("'@x"), "@x");
        assert_eq!(strip_text_marker("'+86 138"), "+86 138");
        assert_eq!(strip_text_marker("O'Brien"), "O'Brien");
        assert_eq!(strip_text_marker("'quoted'"), "'quoted'");
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
        assert_eq!(outcome.report.last_day, values::parse_iso_day("2024-09-12"));
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
