//! The import driver (导入): an [`Importer`] takes a file's bytes in chunks of any size, decodes
//! them, splits records and hands each to the per-row checks, and finishes with the
//! [`ImportOutcome`]; a big file may be read in two parts at once ([`Part`], [`part_start`]).
//! [`import_bytes`], [`import_with`] and [`import_in_halves`] run it on a file held in memory.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::dialect::{Record, RecordSplitter};
use super::encoding::ChunkDecoder;
use super::inspect::{inspect, DateScanner};
use super::report::{ImportOutcome, ImportReport, Tally};
use super::rows::{DateMemo, Preamble, RowState};
use super::settings::{ImportSettings, InspectOptions};
use crate::engine::customers::{
    AggregatePart, Aggregator, CustomerTable, FlatCustomers, SummaryBuilder,
};
use crate::engine::dimensions::{CustomerAttributes, LineAttributes};
use crate::engine::error::{Error, Result};
use crate::engine::history::PurchaseHistory;

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
    pub(super) settings: ImportSettings,
    decoder: ChunkDecoder,
    splitter: RecordSplitter,
    text: String,
    pub(super) state: RowState,
    /// Replacement characters counted by the importers of later parts.
    absorbed_replacements: u64,
    /// The ends of the fields of a table row in `text` ([`Importer::push_row`]).
    ends: Vec<usize>,
    /// UTF-8 read in place ([`InPlace`]) until a byte needs the decoder.
    in_place: Option<InPlace>,
}

/// UTF-8 text read where it lies, without the decoder's copy: taken while every chunk so far
/// was valid UTF-8 without NUL bytes (after an empty byte-order mark); the bytes of a character
/// cut at the end of a chunk wait for the next. The first chunk that is not (an invalid byte, a
/// NUL, a character left cut at the end) goes, with what waited, to the decoder, which reads
/// all the rest: the text is the decoder's, to the byte, however the file is cut.
#[derive(Debug, Default)]
struct InPlace {
    /// The first bytes of a character cut at the end of the last chunk (at most 3).
    cut: Vec<u8>,
}

/// What the importer of a later part of a file gathered, for the importer before it to absorb.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    /// Line numbers counted from the part's first line (1).
    tally: Tally,
    replacements: u64,
    aggregate: AggregatePart,
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

impl Importer {
    /// An importer for `settings` (validated first).
    pub fn new(settings: ImportSettings) -> Result<Self> {
        settings.validate()?;
        let decoder = ChunkDecoder::new(&settings.encoding, settings.bom_len)?;
        let splitter = RecordSplitter::with_quotes(settings.delimiter, settings.quotes);
        let state = RowState {
            columns: settings.columns_expected(),
            // With the purchase-day history (`engine::history`), which the lifecycle view
            // reads (issue 14); its cost is in BENCHMARKS.md.
            aggregator: Aggregator::new(settings.columns())
                .with_attributes(settings.attribute_specs())
                .with_lines(settings.line_specs()),
            summary: SummaryBuilder::default(),
            preamble: Preamble::new(settings.has_header),
            tally: Tally::default(),
            dates: DateMemo::default(),
        };
        Ok(Importer {
            settings,
            decoder,
            splitter,
            text: String::new(),
            state,
            absorbed_replacements: 0,
            ends: Vec::new(),
            in_place: None,
        }
        .reading_utf8_in_place())
    }

    /// Reads the text in place when it is UTF-8 without a byte-order mark to skip.
    fn reading_utf8_in_place(mut self) -> Self {
        let utf8 = super::encoding::encoding_by_name(&self.settings.encoding)
            .is_ok_and(|e| e == encoding_rs::UTF_8);
        if utf8 && self.settings.bom_len == 0 {
            self.in_place = Some(InPlace::default());
        }
        self
    }

    /// An importer for a table file (an Excel sheet, a Parquet file; `settings.source` says
    /// which): its rows come with their cells apart ([`Importer::push_row`]), the header is
    /// behind, and the encoding and dialect settings are not used.
    pub fn new_table(settings: ImportSettings) -> Result<Self> {
        let mut importer = Importer::new(ImportSettings {
            encoding: "UTF-8".into(),
            bom_len: 0,
            ..settings
        })?;
        importer.state.preamble = Preamble::behind();
        Ok(importer)
    }

    /// Takes one row of a table file: its cells as text (by the convention of
    /// [`crate::engine::formats`]) and the `line` it would have in the CSV of the same rows
    /// (header on line 1). The row goes through every check of a text row: a fully empty row
    /// is skipped like a blank line, a bad cell rejects the row with line and column.
    pub fn push_row(&mut self, line: u64, fields: &[&str]) {
        self.text.clear();
        self.ends.clear();
        for field in fields {
            self.text.push_str(field);
            self.ends.push(self.text.len());
        }
        let record = Record::of_table(line, &self.text, &self.ends);
        self.state.take(&record, &self.settings);
    }

    /// Counts `bytes` more of a table file as read (for the report and the progress: a table
    /// file's bytes are not pushed).
    pub fn add_bytes(&mut self, bytes: u64) {
        self.state.tally.bytes += bytes;
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
    ///
    /// # Errors
    /// [`Error::BeyondBrowser`] when its rows did not fit in memory ([`Importer::failure`]):
    /// a part without them would lose rows uncounted.
    pub fn finish_part(mut self) -> Result<Part> {
        self.feed(&[], true);
        let mut aggregator = std::mem::take(&mut self.state.aggregator);
        // The last rows are applied here; whether they fit is known after it.
        aggregator.settle();
        self.state.aggregator = aggregator;
        if let Some(error) = self.failure() {
            return Err(error);
        }
        Ok(Part {
            tally: self.state.tally,
            replacements: self.decoder.replacements(),
            aggregate: self.state.aggregator.into_part(),
        })
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
        if self.settings.summary.is_some() {
            return self.state.summary.customer_count();
        }
        self.state.aggregator.customer_count()
    }

    /// Why the import cannot finish, once that is known before the end: the file needs more
    /// memory than the browser gives ([`Error::BeyondBrowser`]). The reader stops there rather
    /// than read the rest of a file it cannot hold.
    pub fn failure(&self) -> Option<Error> {
        let aggregator = &self.state.aggregator;
        let part = aggregator.overflow()?;
        Some(Error::BeyondBrowser {
            part,
            rows: aggregator.rows_applied(),
            customers: aggregator.customers_applied() as u64,
        })
    }

    /// The same importer taking at most `limit` customers, as if memory held no more (see
    /// [`Aggregator::with_customer_limit`]); for tests.
    #[doc(hidden)]
    pub fn with_customer_limit(mut self, limit: usize) -> Self {
        let aggregator = std::mem::take(&mut self.state.aggregator);
        self.state.aggregator = aggregator.with_customer_limit(limit);
        self
    }

    /// Takes the next chunk of the file's bytes.
    pub fn push(&mut self, chunk: &[u8]) {
        self.feed(chunk, false);
    }

    fn feed(&mut self, chunk: &[u8], last: bool) {
        self.state.tally.bytes += chunk.len() as u64;
        if let Some(in_place) = &mut self.in_place {
            let mut rest = chunk;
            if !in_place.cut.is_empty() {
                // The cut character's other bytes start this chunk.
                let want = utf8_width(in_place.cut.first().copied().unwrap_or(0));
                let take = want.saturating_sub(in_place.cut.len()).min(rest.len());
                let (head, tail) = rest.split_at(take);
                in_place.cut.extend_from_slice(head);
                rest = tail;
                if in_place.cut.len() < want && !last {
                    return;
                }
                match std::str::from_utf8(&in_place.cut) {
                    Ok(character) if !character.contains('\0') => {
                        let character = character.to_string();
                        in_place.cut.clear();
                        self.split(&character, false);
                    }
                    _ => return self.leave_in_place(rest, last),
                }
            }
            let Some(in_place) = &mut self.in_place else {
                return;
            };
            let (text, cut) = match std::str::from_utf8(rest) {
                Ok(text) => (text, &[][..]),
                // Only a character cut at the end: it waits for the next chunk.
                Err(e) if e.error_len().is_none() && !last => {
                    let (valid, cut) = rest.split_at(e.valid_up_to());
                    (std::str::from_utf8(valid).unwrap_or_default(), cut)
                }
                Err(_) => return self.leave_in_place(rest, last),
            };
            if memchr::memchr(0, text.as_bytes()).is_some() {
                return self.leave_in_place(rest, last);
            }
            in_place.cut.extend_from_slice(cut);
            return self.split(text, last);
        }
        self.text.clear();
        self.decoder.decode(chunk, last, &mut self.text);
        let text = std::mem::take(&mut self.text);
        self.split(&text, last);
        self.text = text;
    }

    /// Hands the rest of the file to the decoder, starting with `rest` after what waited.
    fn leave_in_place(&mut self, rest: &[u8], last: bool) {
        let cut = self.in_place.take().map(|p| p.cut).unwrap_or_default();
        self.text.clear();
        self.decoder.decode(&cut, false, &mut self.text);
        self.decoder.decode(rest, last, &mut self.text);
        let text = std::mem::take(&mut self.text);
        self.split(&text, last);
        self.text = text;
    }

    /// Splits decoded text into records and takes each.
    fn split(&mut self, text: &str, last: bool) {
        let settings = &self.settings;
        let state = &mut self.state;
        self.splitter.feed(text, last, &mut |record| {
            state.take(record, settings);
            true
        });
    }

    /// Ends the input and returns the outcome.
    pub fn finish(self) -> Result<ImportOutcome> {
        self.finish_as(Aggregator::finish_with_lines, |table| table)
    }

    /// [`Importer::finish`] with the customers flat ([`FlatCustomers`]: the same customers, in
    /// the same order), as the import worker writes them into its frame.
    ///
    /// # Errors
    /// Those of [`Importer::finish`].
    pub fn finish_flat(self) -> Result<ImportOutcome<FlatCustomers>> {
        self.finish_as(Aggregator::finish_flat, FlatCustomers::from_table)
    }

    /// Ends the input and returns the outcome, the customers of rows finished by `aggregate`,
    /// those of a per-customer summary turned by `summary` into the same form.
    fn finish_as<T>(
        mut self,
        aggregate: impl FnOnce(Aggregator) -> Aggregated<T>,
        summary_table: impl FnOnce(CustomerTable) -> T,
    ) -> Result<ImportOutcome<T>> {
        self.feed(&[], true);
        if let Some(error) = self.failure() {
            return Err(error);
        }
        let RowState {
            aggregator,
            summary,
            tally,
            ..
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
            blank_rows: tally.blank_rows,
        };
        // A per-customer summary has no purchase days: no history, as for a workspace saved
        // without one (the lifecycle and CLV views say why they are empty); its attributes are
        // not read (a summary's columns are its roles).
        let (table, history, attributes, lines) = match report.settings.summary.is_some() {
            true => (
                summary_table(summary.finish(report.settings.columns())),
                None,
                None,
                None,
            ),
            false => {
                let (table, history, attributes, lines) = aggregate(aggregator);
                let lines = lines.map(Arc::new);
                (
                    table,
                    Some(Arc::new(history)),
                    attributes.map(Arc::new),
                    lines,
                )
            }
        };
        Ok(ImportOutcome {
            table,
            report,
            rejected: tally.rejected,
            history,
            attributes,
            lines,
        })
    }
}

/// What an aggregator's finish gives: the customers in some form, their purchase days, their
/// attributes and line attributes.
type Aggregated<T> = (
    T,
    PurchaseHistory,
    Option<CustomerAttributes>,
    Option<LineAttributes>,
);

/// The bytes of the UTF-8 character whose first byte is `first` (1 for a byte that starts none,
/// which the check then refuses).
fn utf8_width(first: u8) -> usize {
    match first {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xFF => 4,
        _ => 1,
    }
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
        first.absorb(second.finish_part()?);
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
    use crate::engine::history::PurchaseHistory;
    use crate::engine::ingest::inspect;

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

    /// A file with more customers than memory holds fails with a typed error naming the rows
    /// read and the customers met, as soon as it is known (the reader stops there), not with a
    /// panic; a file within the limit is imported as without it.
    #[test]
    fn a_file_the_browser_cannot_hold_is_an_error_not_a_panic() {
        use crate::engine::error::BrowserLimit;
        // 2,000 customers, one row each, then 2,000 rows of the first customers again.
        let mut csv = String::from("customer,order,date,amount\n");
        for i in 0..4000 {
            csv.push_str(&format!(
                "C{:05},O{i},2024-01-{:02},{}.50\n",
                i % 2000,
                1 + i % 28,
                i % 90
            ));
        }
        let bytes = csv.as_bytes();
        let head = &bytes[..bytes.len().min(4096)];
        let preview = inspect(head, false, &InspectOptions::default()).unwrap();
        let importer = |limit: usize| {
            Importer::new(preview.settings())
                .unwrap()
                .with_customer_limit(limit)
        };
        let mut full = importer(1000);
        let mut failed_at = None;
        for (k, chunk) in bytes.chunks(8192).enumerate() {
            full.push(chunk);
            if failed_at.is_none() && full.failure().is_some() {
                failed_at = Some(k);
            }
        }
        let failure = full.failure().unwrap();
        let Error::BeyondBrowser {
            part,
            rows,
            customers,
        } = failure.clone()
        else {
            panic!("{failure:?}")
        };
        assert_eq!(part, BrowserLimit::Customers);
        // Known within the first half (1,000 customers are met within the first 1,000 rows).
        assert!(failed_at.unwrap() < bytes.len() / 8192 / 2, "{failed_at:?}");
        // The rows and customers taken before the batch that did not fit.
        assert!((900..=1000).contains(&rows), "{rows}");
        assert_eq!(
            customers, rows,
            "one customer per row in the first 2,000 rows"
        );
        assert_eq!(full.finish().unwrap_err(), failure);
        // The second half of a split import says so too, rather than hand on a part without
        // the rows that did not fit.
        let mut part = Importer::new_part(preview.settings())
            .unwrap()
            .with_customer_limit(1000);
        for chunk in bytes.chunks(8192) {
            part.push(chunk);
        }
        assert!(matches!(
            part.finish_part(),
            Err(Error::BeyondBrowser { .. })
        ));
        assert!(failure.to_string().contains("SQL pack"));
        assert!(crate::i18n::error_text(&failure, crate::i18n::Lang::Zh).contains("SQL 包"));
        // Within the limit: the outcome without a limit.
        let mut within = importer(2064);
        let mut plain = Importer::new(preview.settings()).unwrap();
        for chunk in bytes.chunks(8192) {
            within.push(chunk);
            plain.push(chunk);
        }
        assert!(within.failure().is_none());
        assert_eq!(within.finish().unwrap(), plain.finish().unwrap());
    }

    /// Issue 14: the import keeps every customer's purchase days, in the table's order, and a
    /// file read in two halves (as two workers read it) has the same days as read whole.
    #[test]
    fn the_purchase_days_of_two_halves_are_the_whole_files() {
        use crate::engine::sample::{sample_csv, SampleLanguage};
        let csv = sample_csv(SampleLanguage::English).into_bytes();
        let whole = import_bytes(&csv, &InspectOptions::default()).unwrap();
        let history = whole.purchase_history().unwrap();
        assert_eq!(history.len(), whole.table.customers.len());
        assert!(history.check() && history.has_profit() && history.has_quantity());
        // Each customer's days span its first and last purchase day.
        for (i, customer) in whole.table.customers.iter().enumerate() {
            let days: Vec<_> = history.days(i).map(|d| d.day).collect();
            assert_eq!(days.first().copied(), customer.first, "{}", customer.id);
            assert_eq!(days.last().copied(), customer.last, "{}", customer.id);
        }
        // The days, their order counts and purchase flags are the same; the sums are added in
        // another order at the split (as the customers' are), so they may differ in the last
        // bits.
        let same = |a: &PurchaseHistory, b: &PurchaseHistory| {
            let close = |x: f64, y: f64| (x - y).abs() <= 1e-9 * x.abs().max(1.0);
            a.len() == b.len()
                && (0..a.len()).all(|i| {
                    a.days(i).count() == b.days(i).count()
                        && a.days(i).zip(b.days(i)).all(|(x, y)| {
                            (x.day, x.orders, x.purchase) == (y.day, y.orders, y.purchase)
                                && close(x.sales, y.sales)
                                && close(x.profit, y.profit)
                                && x.quantity == y.quantity
                        })
                })
        };
        let settings = whole.report.settings.clone();
        for eighth in 1..8 {
            let middle = csv.len() * eighth / 8;
            let halves = import_in_halves(&csv, settings.clone(), middle).unwrap();
            let merged = halves.purchase_history().unwrap();
            assert!(merged.check(), "split near {middle}");
            assert!(same(merged, history), "split near {middle}");
        }
        // With whole amounts every sum is exact, and the histories are equal to the bit.
        let mut whole_amounts = String::from("customer,order,date,amount\n");
        for row in 0..3_000u32 {
            let (customer, order) = (row * 7 % 97, row / 3);
            let day = 1 + (row * 13 % 28);
            let amount = i64::from(row % 50) - 5;
            whole_amounts += &format!("c{customer},o{order},2024-02-{day:02},{amount}\n");
        }
        let whole = import_bytes(whole_amounts.as_bytes(), &InspectOptions::default()).unwrap();
        assert!(whole.purchase_history().unwrap().day_count() > 1_000);
        for middle in [10, 1_000, whole_amounts.len() / 2, whole_amounts.len() - 30] {
            let halves = import_in_halves(
                whole_amounts.as_bytes(),
                whole.report.settings.clone(),
                middle,
            )
            .unwrap();
            assert!(halves.history == whole.history, "split near {middle}");
        }
        // Without a date column: one entry per customer, no days.
        let undated =
            import_bytes(b"customer,amount\nb,1\na,2\n", &InspectOptions::default()).unwrap();
        let history = undated.purchase_history().unwrap();
        assert_eq!((history.len(), history.day_count()), (2, 0));
    }

    #[test]
    fn mapping_without_customer_is_refused() {
        let preview = inspect(b"x,amount\n1.5,2.5\n", true, &InspectOptions::default()).unwrap();
        let mut settings = preview.settings();
        settings.mapping.customer = None;
        assert_eq!(Importer::new(settings).err(), Some(Error::NoCustomerColumn));
    }
}

/// Table rows ([`Importer::push_row`]) import as the CSV of the same rows does.
#[cfg(test)]
mod table_tests {
    use super::*;
    use crate::engine::formats::{TableHead, TableLayout};
    use crate::engine::ingest::{inspect_table, TableSource};

    #[test]
    fn table_rows_import_like_the_csv_of_the_same_rows() {
        let csv = "客户编号,订单日期,金额,利润\nC1,2024-01-05,100,20\n,,,\nC2,2024-01-06,oops,1\nC1,2024-02-01 10:30:00,-20.5,-4.1\nC3,2024-03-01,7,1,extra\n";
        let from_csv = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
        let rows: Vec<(u64, Vec<&str>)> = csv
            .lines()
            .enumerate()
            .skip(1)
            .map(|(i, line)| (i as u64 + 1, line.split(',').collect()))
            .collect();
        let head = TableHead {
            names: ["客户编号", "订单日期", "金额", "利润"]
                .map(String::from)
                .to_vec(),
            rows: rows
                .iter()
                .map(|(_, cells)| cells.iter().map(|c| c.to_string()).collect())
                .collect(),
            complete: true,
            layout: TableLayout::default(),
        };
        let source = TableSource::Xlsx {
            sheet: "Sheet1".into(),
        };
        let preview = inspect_table(&head, source.clone(), &InspectOptions::default()).unwrap();
        assert_eq!(preview.settings().source, source);
        assert_eq!(preview.mapping, from_csv.report.settings.mapping);
        let mut importer = Importer::new_table(preview.settings()).unwrap();
        for (line, cells) in &rows {
            importer.push_row(*line, cells);
        }
        let from_table = importer.finish().unwrap();
        assert_eq!(from_table.table, from_csv.table);
        assert_eq!(from_table.report.first_errors, from_csv.report.first_errors);
        assert_eq!(
            (from_table.report.rows_read, from_table.report.rows_rejected),
            (4, 2)
        );
        assert_eq!(from_table.rejected, from_csv.rejected);
    }
}
