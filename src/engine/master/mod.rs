//! The customer master file (客户主数据, issue 20): a second file next to the orders, one row per
//! customer id with its attributes (region 地区, industry 行业, age 年龄, founding year 成立年份 …),
//! joined onto the customer table on a normalised id ([`normalize_id`]).
//!
//! # The import
//! The bytes go through the order import's machinery: encoding detection ([`detect_encoding`],
//! with the UI language's prior), Excel's `sep=` line and the delimiter sniffer, the record
//! splitter (physical line numbers, quoted line breaks). The first row is the header. The id
//! column is guessed by the order file's customer names (客户编号, customer id …: an exact name,
//! else a header containing one, else the first column); every other column is an attribute
//! whose kind is guessed by [`attribute_kind_of`] ([`AttributeKind::Other`] for an unknown
//! header). Both can be set in [`MasterOptions`].
//!
//! Every data row is either a master row or a [`RowError`] naming its line and column: an empty
//! id ([`RowProblem::Missing`]), bytes invalid in the encoding, values shifted by extra fields.
//! A row whose normalised id an earlier row already has is a **duplicate**: the first row wins,
//! the later lines are listed ([`CustomerMaster::duplicates`]). Nothing is dropped silently:
//! `rows_read` = rows + rejected + duplicates.
//!
//! # The join
//! [`join_master`] looks up every customer of the table by its normalised id: **matched**
//! customers take the master row's values, **unmatched** ones (listed) the blank value; master
//! rows whose id no customer has are the **prospects** (潜在客户: known customers without an
//! order). The match rate is matched ÷ customers of the table. Two order ids that normalise
//! alike (`c1`, `C1`) both match the same master row.

use std::collections::hash_map::Entry;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::customers::CustomerTable;
use super::dimensions::{
    attribute_keys, Attribute, AttributeColumn, AttributeKind, CustomerAttributes, Dictionary,
};
use super::error::{Error, Result, RowError, RowProblem};
use super::ingest::columns::{attribute_kind_of, normalize_header, GuessSource, Role};
use super::ingest::dialect::{Delimiter, Record, RecordSplitter};
use super::ingest::encoding::EncodingGuess;
use super::ingest::{
    cell_error, decode_text, default_column_name, whole_delimiter, DecodedText, InspectOptions,
    PieceDecoded, PieceDecoder, TextOptions, MAX_REJECTED_KEPT,
};
use super::vocabulary::HEADER_ALIASES;

#[cfg(test)]
mod tests;

/// The prefix of a master attribute's key (`master_industry`), so its keys never collide with
/// the order file's attributes (`industry`).
pub const KEY_PREFIX: &str = "master_";

/// The largest number of duplicate lines kept (all are counted).
pub const MAX_DUPLICATES_KEPT: usize = 100_000;

/// A customer id as the join compares it: full-width ASCII (U+FF01–U+FF5E) as ASCII, the
/// ideographic space (U+3000) as a space, trimmed of white space, the spreadsheet's text marker
/// `'` before a formula character removed (as the order import does), and ASCII letters (the
/// full-width ones included, once mapped) in lower case. Other letters are kept as they are.
///
/// # Examples
/// ```
/// use valuelens::engine::master::normalize_id;
/// assert_eq!(normalize_id("  C001 "), "c001");
/// assert_eq!(normalize_id("Ｃ００１"), "c001");
/// assert_eq!(normalize_id("\u{3000}ａｂ－１\u{3000}"), "ab-1");
/// assert_eq!(normalize_id("客户Ａ"), "客户a");
/// assert_eq!(normalize_id("'=1"), "=1");
/// ```
pub fn normalize_id(id: &str) -> String {
    let mut normalized = String::new();
    normalize_id_into(id, &mut normalized);
    normalized
}

/// [`normalize_id`] into `out` (cleared first), so that a loop over a million ids reuses one
/// buffer instead of allocating for each.
fn normalize_id_into(id: &str, out: &mut String) {
    out.clear();
    // Trimmed, the text marker before a formula character taken off.
    let unmarked = |trimmed: &str| -> usize {
        match trimmed.strip_prefix('\'') {
            Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r', '\n']) => 1,
            _ => 0,
        }
    };
    if id.is_ascii() {
        // No full-width character nor ideographic space to map.
        let trimmed = id.trim();
        out.push_str(trimmed.get(unmarked(trimmed)..).unwrap_or(trimmed));
    } else {
        let half: String = id
            .chars()
            .map(|c| match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                '\u{3000}' => ' ',
                _ => c,
            })
            .collect();
        let trimmed = half.trim();
        out.push_str(trimmed.get(unmarked(trimmed)..).unwrap_or(trimmed));
    }
    out.make_ascii_lowercase();
}

/// The largest master file read (bytes): the page refuses a larger one before reading it, and a
/// workspace keeping a larger one is refused.
pub const MAX_MASTER_BYTES: usize = 100 * 1024 * 1024;

/// What the user chose; `None` means "guess".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MasterOptions {
    /// Encoding, delimiter and the language prior, as for the orders (the header row is
    /// always read as a header).
    pub file: InspectOptions,
    /// The id column (zero-based).
    pub id_column: Option<usize>,
    /// Per column (zero-based), the attribute kind chosen by the user.
    pub kinds: Vec<(usize, AttributeKind)>,
}

/// One attribute column of the master.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MasterColumn {
    /// The column (zero-based).
    pub column: usize,
    /// Its header.
    pub name: String,
    /// What it means.
    pub kind: AttributeKind,
    /// The key of the attribute in [`CustomerAttributes`] (`master_industry`).
    pub key: String,
    /// True when the kind was guessed from a known header name (not `Other` by default, not
    /// chosen by the user).
    pub known_name: bool,
}

/// One master row kept (the first of its normalised id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MasterRow {
    /// 1-based line in the file.
    pub line: u64,
    /// The id as written (trimmed).
    pub id: String,
    /// Its value per attribute column, in [`CustomerMaster::columns`] order (trimmed; empty for
    /// blank).
    pub values: Vec<String>,
}

/// A row whose normalised id an earlier row has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duplicate {
    /// Its line.
    pub line: u64,
    /// Its id as written.
    pub id: String,
    /// The line of the row that won.
    pub first_line: u64,
}

/// A master file read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerMaster {
    /// The encoding and how it was decided.
    pub encoding: EncodingGuess,
    /// The delimiter.
    pub delimiter: Delimiter,
    /// Column names (header texts, `column N` for an empty one).
    pub headers: Vec<String>,
    /// The id column.
    pub id_column: usize,
    /// How the id column was decided (`None` when given).
    pub id_guess: Option<GuessSource>,
    /// The attribute columns, left to right.
    pub columns: Vec<MasterColumn>,
    /// Data rows read (rows + rejected + duplicates).
    pub rows_read: u64,
    /// The rows kept, in file order, one per normalised id.
    pub rows: Vec<MasterRow>,
    /// Rejected rows (at most [`MAX_REJECTED_KEPT`] kept), in file order.
    pub rejected: Vec<RowError>,
    /// Rejected rows in all.
    pub rejected_count: u64,
    /// Duplicate rows (at most [`MAX_DUPLICATES_KEPT`] kept), in file order.
    pub duplicates: Vec<Duplicate>,
    /// Duplicate rows in all.
    pub duplicate_count: u64,
    /// Each row's normalised id ([`normalize_id`]) and its index in `rows`, as the reading
    /// found them: what [`join_master`] looks the customers up in (not saved: a master read
    /// back from elsewhere has it empty, and the join builds it).
    #[serde(skip)]
    pub index: FxHashMap<String, u32>,
}

/// The customer names of the order import, normalised.
fn customer_aliases() -> &'static [&'static str] {
    HEADER_ALIASES
        .iter()
        .find(|(r, _)| *r == Role::Customer)
        .map_or(&[], |(_, a)| *a)
}

/// The id column of `headers`: an exact customer name, else the header containing the longest
/// name (of ≥ 2 CJK or ≥ 4 Latin characters), else the first column.
pub fn guess_id_column(headers: &[String]) -> (usize, GuessSource) {
    let aliases = customer_aliases();
    let names: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
    if let Some(i) = names.iter().position(|n| aliases.contains(&n.as_str())) {
        return (i, GuessSource::HeaderExact);
    }
    let partial = names
        .iter()
        .enumerate()
        .filter_map(|(i, name)| {
            aliases
                .iter()
                .filter(|alias| {
                    let long_enough = if alias.is_ascii() {
                        alias.len() >= 4
                    } else {
                        alias.chars().count() >= 2
                    };
                    long_enough && name.contains(*alias)
                })
                .map(|alias| alias.chars().count())
                .max()
                .map(|len| (len, i))
        })
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    match partial {
        Some((_, i)) => (i, GuessSource::HeaderPartial),
        None => (0, GuessSource::Values),
    }
}

/// Reads a customer master file (all of it) with the guesses and the user's choices.
///
/// # Errors
/// [`Error::EmptyFile`], [`Error::HeaderOnly`], [`Error::Binary`], [`Error::UnknownEncoding`]
/// as the order import; [`Error::NoSuchColumn`] for a chosen id column the file lacks;
/// [`Error::NoCustomerColumn`] for a header without any column; [`Error::AllRowsRejected`] when
/// no row has an id.
pub fn import_master(bytes: &[u8], options: &MasterOptions) -> Result<CustomerMaster> {
    import_master_text(
        decode_text(bytes, &TextOptions::of(&options.file))?,
        options,
    )
}

/// Reads a customer master file's `decoded` text (decoded with
/// `TextOptions::of(&options.file)`), as [`import_master`] reads its bytes: a
/// [`MasterReading`] at once.
///
/// # Errors
/// As [`import_master`] (but those of the decoding).
pub fn import_master_text(decoded: DecodedText, options: &MasterOptions) -> Result<CustomerMaster> {
    MasterReading::new(decoded, options)?.finish()
}

/// The most rows a [`MasterReading`] takes room for at once (then its map and rows grow).
const MAX_RESERVED_ROWS: usize = 1 << 20;

/// Bytes of the file a [`MasterReading::step`] of the page reads (a million-row file is 33 MB):
/// about 11 ms in the page (a step of 512 KiB took 22 ms, some up to 44 ms: a task of 50 ms in
/// one run of five).
pub const MASTER_PIECE_BYTES: usize = 256 * 1024;

/// A customer master file read a piece at a time ([`MasterReading::step`]), so that the page
/// can read a million rows over many short tasks; the same master as read at once
/// ([`import_master`], [`import_master_text`]) whatever the pieces.
pub struct MasterReading {
    source: Source,
    splitter: RecordSplitter,
    rows: RowsRead,
}

/// Where a [`MasterReading`]'s text comes from.
enum Source {
    /// Text decoded whole (by the analysis worker, for a legacy encoding), and how much of it
    /// was given to the splitter.
    Text { text: String, fed: usize },
    /// The file's bytes, decoded a piece a step.
    Bytes {
        decoder: PieceDecoder,
        /// Decoded, not yet given to the splitter.
        text: String,
        /// Every byte decoded.
        done: bool,
        /// The splitter still takes text (it stops at a header that is not usable).
        split: bool,
    },
    /// The file turned out to be unreadable (see [`MasterReading::of_bytes`]).
    Failed(Error),
}

impl std::fmt::Debug for MasterReading {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MasterReading")
            .field("fraction", &self.fraction())
            .finish_non_exhaustive()
    }
}

/// What a [`MasterReading`] found so far.
struct RowsRead {
    options: MasterOptions,
    encoding: EncodingGuess,
    delimiter: Delimiter,
    /// No record seen yet (the first may be a `sep=` line).
    first: bool,
    /// The header, once read.
    head: Option<Head>,
    /// Data rows seen.
    data_rows: u64,
    rows: Vec<MasterRow>,
    /// Each kept row's normalised id and index in `rows`.
    index: FxHashMap<String, u32>,
    rejected: Vec<RowError>,
    rejected_count: u64,
    duplicates: Vec<Duplicate>,
    duplicate_count: u64,
    /// The id of the row being read, normalised (one buffer for every row).
    key: String,
}

/// A master file's header: its column names, the id column and the attribute columns.
struct Head {
    /// Fields in the header row.
    columns: usize,
    headers: Vec<String>,
    id_column: usize,
    id_guess: Option<GuessSource>,
    attributes: Vec<MasterColumn>,
    /// A chosen id column the header lacks (said once there are data rows).
    problem: Option<Error>,
}

impl Head {
    fn new(row: &[String], options: &MasterOptions) -> Head {
        let columns = row.len();
        let headers: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let h = h.trim().trim_start_matches('\u{feff}').trim();
                if h.is_empty() {
                    default_column_name(i)
                } else {
                    h.to_string()
                }
            })
            .collect();
        let (id_column, id_guess, problem) = match options.id_column {
            Some(index) if index >= columns => (
                0,
                None,
                Some(Error::NoSuchColumn {
                    index,
                    count: columns,
                }),
            ),
            Some(i) => (i, None, None),
            None => {
                let (i, source) = guess_id_column(&headers);
                (i, Some(source), None)
            }
        };
        let specs: Vec<(AttributeColumn, bool)> = (0..columns)
            .filter(|&c| c != id_column)
            .map(|column| {
                let chosen = options
                    .kinds
                    .iter()
                    .find(|(c, _)| *c == column)
                    .map(|&(_, k)| k);
                let guessed = headers.get(column).and_then(|h| attribute_kind_of(h));
                let kind = chosen.or(guessed).unwrap_or(AttributeKind::Other);
                (
                    AttributeColumn { column, kind },
                    chosen.is_none() && guessed.is_some(),
                )
            })
            .collect();
        let plain: Vec<AttributeColumn> = specs.iter().map(|(c, _)| *c).collect();
        let attributes: Vec<MasterColumn> = specs
            .iter()
            .zip(attribute_keys(&plain))
            .map(|((c, known_name), key)| MasterColumn {
                column: c.column,
                name: headers
                    .get(c.column)
                    .cloned()
                    .unwrap_or_else(|| default_column_name(c.column)),
                kind: c.kind,
                key: format!("{KEY_PREFIX}{key}"),
                known_name: *known_name,
            })
            .collect();
        Head {
            columns,
            headers,
            id_column,
            id_guess,
            attributes,
            problem,
        }
    }
}

/// Bytes of a file decoded before its delimiter is told: what [`whole_delimiter`] reads of a
/// whole text (64 KiB and the first line).
const DELIMITER_HEAD_BYTES: usize = 64 * 1024;

impl MasterReading {
    /// A reading of `decoded` with `options`, nothing read yet.
    ///
    /// # Errors
    /// [`Error::EmptyFile`] for text of white space.
    pub fn new(decoded: DecodedText, options: &MasterOptions) -> Result<MasterReading> {
        let DecodedText { text, encoding } = decoded;
        if text.trim().is_empty() {
            return Err(Error::EmptyFile);
        }
        let delimiter = whole_delimiter(&text, &options.file);
        let reserved = rows_ahead(text.as_bytes());
        Ok(MasterReading {
            splitter: RecordSplitter::with_quotes(delimiter, options.file.quotes),
            source: Source::Text { text, fed: 0 },
            rows: RowsRead::new(options, encoding, delimiter, reserved),
        })
    }

    /// A reading of a master file's `bytes` with `options`, decoded a piece a step when their
    /// head tells their encoding ([`PieceDecoder`]), else decoded whole first; either way the
    /// master [`import_master`] reads.
    ///
    /// # Errors
    /// As [`import_master`]'s decoding: [`Error::EmptyFile`], [`Error::Binary`],
    /// [`Error::UnknownEncoding`]; [`Error::LegacyEncoding`] without the legacy decoders (the
    /// page: the analysis worker is to decode the file). A file whose head is UTF-8 but not the
    /// rest says so in [`MasterReading::finish`].
    pub fn of_bytes(bytes: Arc<Vec<u8>>, options: &MasterOptions) -> Result<MasterReading> {
        let decoding = TextOptions::of(&options.file);
        let Some(mut decoder) = PieceDecoder::new(bytes.clone(), &decoding)? else {
            return MasterReading::whole(&bytes, options);
        };
        // The head the delimiter is told from: 64 KiB of text and its first line whole (each
        // piece looked at once for a line break: a file of one long line is read once).
        let mut text = String::new();
        let (mut done, mut line_ends) = (false, false);
        while !done && (text.len() < DELIMITER_HEAD_BYTES || !line_ends) {
            let before = text.len();
            match decoder.decode(DELIMITER_HEAD_BYTES, &mut text) {
                PieceDecoded::More => {}
                PieceDecoded::Done => done = true,
                PieceDecoded::NotUtf8 => return MasterReading::whole(decoder.bytes(), options),
            }
            let piece = text.as_bytes().get(before..).unwrap_or_default();
            line_ends = line_ends || piece.iter().any(|&b| b == b'\n' || b == b'\r');
        }
        let delimiter = whole_delimiter(&text, &options.file);
        let reserved = rows_ahead(decoder.bytes());
        let encoding = decoder.encoding().clone();
        Ok(MasterReading {
            splitter: RecordSplitter::with_quotes(delimiter, options.file.quotes),
            source: Source::Bytes {
                decoder,
                text,
                done,
                split: true,
            },
            rows: RowsRead::new(options, encoding, delimiter, reserved),
        })
    }

    /// A reading of `bytes` decoded whole ([`decode_text`]).
    fn whole(bytes: &[u8], options: &MasterOptions) -> Result<MasterReading> {
        MasterReading::new(
            decode_text(bytes, &TextOptions::of(&options.file))?,
            options,
        )
    }

    /// Reads about `bytes` more of the file; true once all is read.
    pub fn step(&mut self, bytes: usize) -> bool {
        let MasterReading {
            source,
            splitter,
            rows,
        } = self;
        match source {
            Source::Failed(_) => return true,
            Source::Text { text, fed } => {
                if *fed >= text.len() {
                    return true;
                }
                let end = text.ceil_char_boundary(fed.saturating_add(bytes.max(1)));
                let last = end >= text.len();
                let piece = text.get(*fed..end).unwrap_or_default();
                let stopped = !splitter.feed(piece, last, &mut |record| rows.take(record));
                *fed = if stopped { text.len() } else { end };
            }
            Source::Bytes {
                decoder,
                text,
                done,
                split,
            } => {
                if text.is_empty() && !*done {
                    match decoder.decode(bytes, text) {
                        PieceDecoded::More => {}
                        PieceDecoded::Done => *done = true,
                        PieceDecoded::NotUtf8 => {
                            // Not UTF-8 after all: read as a whole file is (its rows so far
                            // forgotten).
                            let options = rows.options.clone();
                            match MasterReading::whole(decoder.bytes(), &options) {
                                Ok(reading) => *self = reading,
                                Err(error) => *source = Source::Failed(error),
                            }
                            return self.finished();
                        }
                    }
                }
                if *split {
                    // Stopped (the header is not usable): the rest is decoded all the same, for
                    // a malformed sequence further on says another encoding.
                    *split = splitter.feed(text, *done, &mut |record| rows.take(record));
                }
                text.clear();
            }
        }
        self.finished()
    }
    /// Every byte read (or the reading stopped).
    fn finished(&self) -> bool {
        match &self.source {
            Source::Text { text, fed } => *fed >= text.len(),
            Source::Bytes { text, done, .. } => *done && text.is_empty(),
            Source::Failed(_) => true,
        }
    }

    /// The share of the file read, 0 to 1.
    pub fn fraction(&self) -> f64 {
        match &self.source {
            Source::Text { text, fed } => *fed as f64 / text.len().max(1) as f64,
            Source::Bytes { decoder, .. } => decoder.fraction(),
            Source::Failed(_) => 1.0,
        }
    }

    /// The master, the part not read yet read first.
    ///
    /// # Errors
    /// As [`import_master`] (for a reading of decoded text, but those of the decoding).
    pub fn finish(mut self) -> Result<CustomerMaster> {
        while !self.step(usize::MAX) {}
        if let Source::Failed(error) = self.source {
            return Err(error);
        }
        let r = self.rows;
        let Some(head) = r.head else {
            return Err(Error::EmptyFile);
        };
        if head.columns == 0 {
            return Err(Error::NoCustomerColumn);
        }
        if r.data_rows == 0 {
            return Err(Error::HeaderOnly);
        }
        if let Some(problem) = head.problem {
            return Err(problem);
        }
        if r.rows.is_empty() {
            return Err(Error::AllRowsRejected {
                rows: r.data_rows,
                first: r.rejected.first().cloned().map(Box::new),
            });
        }
        Ok(CustomerMaster {
            encoding: r.encoding,
            delimiter: r.delimiter,
            headers: head.headers,
            id_column: head.id_column,
            id_guess: head.id_guess,
            columns: head.attributes,
            rows_read: r.data_rows,
            rows: r.rows,
            rejected: r.rejected,
            rejected_count: r.rejected_count,
            duplicates: r.duplicates,
            duplicate_count: r.duplicate_count,
            index: r.index,
        })
    }
}

/// Room for the rows a file's first megabyte suggests, taken at once: a map of ids that grows
/// doubles and hashes every id again (107 ms of one task at a million rows). Blank lines are
/// not counted, and no more than [`MAX_RESERVED_ROWS`] are reserved (a hostile file of 100 MB
/// of line breaks reserves nothing; beyond, the map grows).
fn rows_ahead(file: &[u8]) -> usize {
    let sample = file.get(..1 << 20).unwrap_or(file);
    let lines = sample
        .split(|&b| b == b'\n')
        .filter(|line| !line.trim_ascii().is_empty())
        .count();
    let rows = (lines as f64 * (file.len() as f64 / sample.len().max(1) as f64) * 1.05) as usize;
    rows.min(MAX_RESERVED_ROWS)
}

impl RowsRead {
    /// Nothing read yet, with room for `reserved` rows.
    fn new(
        options: &MasterOptions,
        encoding: EncodingGuess,
        delimiter: Delimiter,
        reserved: usize,
    ) -> RowsRead {
        let mut index = FxHashMap::default();
        index.reserve(reserved);
        RowsRead {
            options: options.clone(),
            encoding,
            delimiter,
            first: true,
            head: None,
            data_rows: 0,
            rows: Vec::with_capacity(reserved),
            index,
            rejected: Vec::new(),
            rejected_count: 0,
            duplicates: Vec::new(),
            duplicate_count: 0,
            key: String::new(),
        }
    }

    /// Takes one record of the text; false to stop (the header is not usable).
    fn take(&mut self, record: &Record) -> bool {
        if record.is_blank() {
            return true;
        }
        if std::mem::take(&mut self.first) && record.is_sep_line() {
            return true;
        }
        let Some(head) = &self.head else {
            self.head = Some(Head::new(&record.to_vec(), &self.options));
            return true;
        };
        self.data_rows += 1;
        if head.columns == 0 || head.problem.is_some() {
            return false;
        }
        let line = record.line;
        let fail = |index: usize, problem: RowProblem, value: &str| {
            cell_error(line, &head.headers, index, problem, value)
        };
        let row = record.to_vec();
        let (id_column, columns) = (head.id_column, head.columns);
        match read_row(
            row,
            id_column,
            &head.attributes,
            columns,
            &mut self.key,
            &fail,
        ) {
            Err(error) => {
                self.rejected_count += 1;
                if self.rejected.len() < MAX_REJECTED_KEPT {
                    self.rejected.push(error);
                }
            }
            // The key moves into the index (looked up and kept in one probe); the next row's
            // is written into a new buffer.
            Ok((id, values)) => match self.index.entry(std::mem::take(&mut self.key)) {
                Entry::Occupied(first) => {
                    self.duplicate_count += 1;
                    if self.duplicates.len() < MAX_DUPLICATES_KEPT {
                        let first = self.rows.get(*first.get() as usize);
                        self.duplicates.push(Duplicate {
                            line,
                            id,
                            first_line: first.map_or(0, |r| r.line),
                        });
                    }
                }
                Entry::Vacant(slot) => {
                    slot.insert(u32::try_from(self.rows.len()).unwrap_or(u32::MAX));
                    self.rows.push(MasterRow { line, id, values });
                }
            },
        }
        true
    }
}

/// One data row's id and attribute values (its cells moved out of `row`, trimmed), or why it
/// is rejected; `key` is left holding the id normalised ([`normalize_id`]).
fn read_row(
    mut row: Vec<String>,
    id_column: usize,
    columns: &[MasterColumn],
    header_columns: usize,
    key: &mut String,
    fail: &dyn Fn(usize, RowProblem, &str) -> RowError,
) -> std::result::Result<(String, Vec<String>), RowError> {
    let extra = row
        .iter()
        .enumerate()
        .skip(header_columns)
        .find(|(_, cell)| !cell.trim().is_empty());
    if let Some((index, cell)) = extra {
        let found = u32::try_from(row.len()).unwrap_or(u32::MAX);
        let expected = u32::try_from(header_columns).unwrap_or(u32::MAX);
        return Err(fail(
            index,
            RowProblem::ExtraColumns { found, expected },
            cell,
        ));
    }
    // A cell trimmed, moved out of the row when it needs no trimming (most do not).
    let mut cell = |index: usize| -> std::result::Result<String, RowError> {
        let Some(cell) = row.get_mut(index) else {
            return Ok(String::new());
        };
        let value = cell.trim();
        if !value.is_ascii() && value.contains('\u{FFFD}') {
            return Err(fail(index, RowProblem::BadEncoding, value));
        }
        Ok(match value.len() == cell.len() {
            true => std::mem::take(cell),
            false => value.to_string(),
        })
    };
    let id = cell(id_column)?;
    normalize_id_into(&id, key);
    if key.is_empty() {
        return Err(fail(id_column, RowProblem::Missing, &id));
    }
    let mut values = Vec::with_capacity(columns.len());
    for column in columns {
        values.push(cell(column.column)?);
    }
    Ok((id, values))
}

/// The master joined onto a customer table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MasterJoin {
    /// The master's attributes, parallel to the table (unmatched customers blank), keys
    /// prefixed with [`KEY_PREFIX`].
    pub attributes: CustomerAttributes,
    /// Per customer of the table: the index of its master row, `None` when unmatched.
    pub row_of: Vec<Option<u32>>,
    /// Customers of the table found in the master.
    pub matched: usize,
    /// Customers of the table not in the master, by index (the table's order).
    pub unmatched: Vec<usize>,
    /// `matched` ÷ customers of the table; `None` without customers.
    pub match_rate: Option<f64>,
    /// Master rows whose id no customer has (潜在客户), by index into [`CustomerMaster::rows`],
    /// in file order.
    pub prospects: Vec<usize>,
}

/// Joins `master` onto the customers of `table` by normalised id. O(n + m).
pub fn join_master(master: &CustomerMaster, table: &CustomerTable) -> MasterJoin {
    let mut join = JoinSteps::new(master);
    while !join.step(master, table, usize::MAX) {}
    join.finish(master)
}

/// Customers a [`JoinSteps::step`] of the page joins.
pub const JOIN_PIECE_CUSTOMERS: usize = 32_768;

/// [`join_master`] a slice of customers at a time ([`JoinSteps::step`]), for the page: the same
/// join whatever the slices.
#[derive(Debug)]
pub struct JoinSteps {
    /// The master's map of normalised ids, when it came without one (read back through serde).
    built: Option<FxHashMap<String, u32>>,
    key: String,
    row_of: Vec<Option<u32>>,
    /// Per attribute column: its values so far and a code per customer joined.
    dictionaries: Vec<Dictionary>,
    codes: Vec<Vec<u32>>,
}

impl JoinSteps {
    /// A join onto `master` (the one every step and the finish are given), no customer yet.
    pub fn new(master: &CustomerMaster) -> JoinSteps {
        let built = (master.index.len() != master.rows.len()).then(|| {
            let rows = master.rows.iter().enumerate();
            rows.map(|(i, r)| (normalize_id(&r.id), u32::try_from(i).unwrap_or(u32::MAX)))
                .collect()
        });
        let columns = master.columns.len();
        JoinSteps {
            built,
            key: String::new(),
            row_of: Vec::new(),
            dictionaries: (0..columns).map(|_| Dictionary::default()).collect(),
            codes: vec![Vec::new(); columns],
        }
    }

    /// Customers joined so far.
    pub fn joined(&self) -> usize {
        self.row_of.len()
    }

    /// Joins up to `count` more customers of `table`; true once all are joined.
    pub fn step(&mut self, master: &CustomerMaster, table: &CustomerTable, count: usize) -> bool {
        let all = &table.customers;
        let from = self.row_of.len().min(all.len());
        let to = from.saturating_add(count).min(all.len());
        let index = self.built.as_ref().unwrap_or(&master.index);
        for customer in all.get(from..to).unwrap_or_default() {
            normalize_id_into(&customer.id, &mut self.key);
            let row = index.get(self.key.as_str()).copied();
            self.row_of.push(row);
            let values = row.and_then(|r| master.rows.get(r as usize));
            let columns = self.dictionaries.iter_mut().zip(&mut self.codes);
            for (a, (dictionary, codes)) in columns.enumerate() {
                let value = values.and_then(|row| row.values.get(a));
                codes.push(dictionary.code(value.map_or("", String::as_str)));
            }
        }
        to >= all.len()
    }

    /// The join (of the customers joined so far: all of them after the last step).
    pub fn finish(self, master: &CustomerMaster) -> MasterJoin {
        let row_of = self.row_of;
        let mut has_orders = vec![false; master.rows.len()];
        for &r in row_of.iter().flatten() {
            if let Some(flag) = has_orders.get_mut(r as usize) {
                *flag = true;
            }
        }
        let unmatched: Vec<usize> = row_of
            .iter()
            .enumerate()
            .filter(|(_, r)| r.is_none())
            .map(|(i, _)| i)
            .collect();
        let matched = row_of.len() - unmatched.len();
        let prospects = has_orders
            .iter()
            .enumerate()
            .filter(|(_, &has)| !has)
            .map(|(i, _)| i)
            .collect();
        let columns = master.columns.iter().zip(self.dictionaries).zip(self.codes);
        let attributes = columns
            .map(|((column, dictionary), codes)| Attribute {
                key: column.key.clone(),
                kind: Some(column.kind),
                name: column.name.clone(),
                values: dictionary.into_values(),
                codes,
                changed: 0,
            })
            .collect();
        MasterJoin {
            attributes: CustomerAttributes { attributes },
            match_rate: (!row_of.is_empty()).then(|| matched as f64 / row_of.len() as f64),
            row_of,
            matched,
            unmatched,
            prospects,
        }
    }
}
