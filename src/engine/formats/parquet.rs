//! Parquet (列式存储文件): the files DuckDB, Spark, pandas and most data warehouses export, read
//! as rows of text cells so they take the same mapping step, importer and rejected-row report as
//! a CSV.
//!
//! The file is read in pieces, never whole: [`ParquetFile::open`] takes the file's last bytes
//! (the footer with the schema and where each row group lies), then each row group is decoded
//! from exactly the bytes [`ParquetFile::row_group_bytes`] names. The decoding is the low-level
//! column reader of the `parquet` crate (arrow-rs) without Arrow: typed values in batches of
//! [`BATCH_ROWS`] rows into reused buffers, each cell written as text into one reused buffer per
//! column, so the hot loop allocates nothing per cell.
//!
//! Cells become text by one convention, chosen so the importer reads them as it reads a CSV:
//! - `DATE` → `YYYY-MM-DD`; `TIMESTAMP` (milli-, micro- or nanoseconds, and Spark's legacy
//!   `INT96`) → `YYYY-MM-DD HH:MM:SS` of the stored clock, which is UTC for UTC-adjusted
//!   timestamps; fractions of a second are dropped (the importer reads days); `TIME` → `HH:MM:SS`;
//! - integers → digits (unsigned ones read as unsigned); `FLOAT`/`DOUBLE` → the shortest decimal
//!   that reads back to the same value (Rust's `{}`: `0.1`, `1e-7`, `NaN`, `inf`);
//! - `DECIMAL` (on `INT32`, `INT64`, fixed or variable bytes) → the exact decimal of the unscaled
//!   value and the scale (`-12.30` for −1230 at scale 2), never through a float;
//! - strings, JSON, enums and plain binary → UTF-8, invalid sequences replaced by U+FFFD and
//!   counted ([`ParquetFile::invalid_utf8_cells`]); `UUID` → its hyphenated hex form;
//!   `FLOAT16` → as a float; `BOOLEAN` → `true` / `false`; null → the empty cell.
//!
//! A date or time too far out of range for a calendar is written as its raw number, so the
//! importer rejects the row and names it rather than taking a wrong day.
//!
//! Nested columns (inside a struct, list or map) and repeated columns are skipped: they are not
//! among [`ParquetFile::column_names`], and [`ParquetFile::skipped_columns`] names them for a
//! note. A file with nothing else is refused ([`ParquetProblem::OnlyNestedColumns`]).
//! Compression: uncompressed, Snappy, Gzip and Zstd; any other codec is refused at
//! [`ParquetFile::open`] with its name. Every failure is a typed [`Error`]; no bytes make this
//! module panic (a property test feeds random, cut and corrupted files).

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use bytes::{Buf, Bytes};
use parquet::basic::{Compression, ConvertedType, Encoding, LogicalType, TimeUnit, Type};
use parquet::column::page::{Page, PageMetadata, PageReader};
use parquet::column::reader::{get_column_reader, ColumnReader, ColumnReaderImpl};
use parquet::data_type::{ByteArray, DataType, FixedLenByteArray, Int96};
use parquet::errors::ParquetError;
use parquet::file::metadata::{ColumnChunkMetaData, ParquetMetaData, ParquetMetaDataReader};
use parquet::file::reader::{ChunkReader, Length};
use parquet::file::serialized_reader::SerializedPageReader;
use parquet::schema::types::ColumnDescPtr;

use crate::engine::calendar::Day;
use crate::engine::error::{Error, FormatProblem, FormatSubject, ParquetProblem};
use crate::engine::ingest::dialect::MAX_RECORD_BYTES;
use crate::engine::ingest::{ColumnUse, DecodedRows, ImportSettings, TypedCell, TYPED_TEXT_MAX};

type Result<T> = std::result::Result<T, Error>;

/// Rows decoded per column before they are handed on as rows: large enough that the per-batch
/// work vanishes, small enough that a batch of text stays in the cache (a few hundred KiB).
pub const BATCH_ROWS: usize = 8192;

/// The magic bytes at both ends of a Parquet file.
const MAGIC: &[u8; 4] = b"PAR1";
/// The magic bytes of a file with an encrypted footer.
const MAGIC_ENCRYPTED: &[u8; 4] = b"PARE";
/// The footer's fixed part: the metadata length (4 bytes, little-endian) and the magic.
const FOOTER_LEN: usize = 8;

/// What [`ParquetFile::open`] found in the tail it was given.
// One per file, moved once: boxing the file would cost more words than it saves.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Opened {
    /// The footer was read: the file is ready to read.
    Ready(ParquetFile),
    /// The footer is longer than the tail: call again with the file's last `n` bytes.
    NeedTail(usize),
}

/// A row handed on by [`ParquetFile::read_row_group_typed`].
#[derive(Debug)]
pub enum TableRow<'c, 'a> {
    /// Typed cells, every column in [`ParquetFile::column_names`] order (a column not decoded
    /// is [`TypedCell::Null`]), and a bound on the bytes of text of the columns not decoded.
    Typed {
        /// The cells.
        cells: &'c [TypedCell<'a>],
        /// At most this many bytes of text in the columns not decoded.
        undecoded_bytes: usize,
    },
    /// The row as text cells, as [`ParquetFile::read_row_group`] hands it on.
    Text(&'c [&'a str]),
}

/// An opened Parquet file: its footer read, its flat columns chosen, ready to decode row groups.
#[derive(Debug)]
pub struct ParquetFile {
    metadata: ParquetMetaData,
    columns: Vec<Column>,
    skipped: Vec<String>,
    /// Rows of the row groups before each row group.
    rows_before: Vec<u64>,
    invalid_utf8: AtomicU64,
}

/// One flat column that is read.
#[derive(Debug, Clone)]
struct Column {
    /// Index among the file's leaf columns.
    leaf: usize,
    name: String,
    text: TextKind,
}

/// How a column's values become text.
#[derive(Debug, Clone, Copy, PartialEq)]
enum TextKind {
    Bool,
    Signed,
    Unsigned,
    Float,
    /// Days since 1970-01-01.
    Date,
    /// Units since 1970-01-01 00:00:00.
    Timestamp(Unit),
    /// Units since midnight.
    Time(Unit),
    /// Spark's legacy timestamp: nanoseconds of the day and the Julian day.
    Int96,
    /// An unscaled integer and this scale.
    Decimal(i32),
    Utf8,
    Uuid,
    Float16,
}

/// The unit of a timestamp or time, as a count per second.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Unit {
    Millis,
    Micros,
    Nanos,
}

impl Unit {
    fn per_second(self) -> i64 {
        match self {
            Unit::Millis => 1_000,
            Unit::Micros => 1_000_000,
            Unit::Nanos => 1_000_000_000,
        }
    }

    fn of(unit: &TimeUnit) -> Unit {
        match unit {
            TimeUnit::MILLIS => Unit::Millis,
            TimeUnit::MICROS => Unit::Micros,
            TimeUnit::NANOS => Unit::Nanos,
        }
    }
}

fn problem(reason: ParquetProblem) -> Error {
    Error::Format {
        what: FormatSubject::ParquetFile,
        reason: FormatProblem::Parquet(reason),
    }
}

impl ParquetFile {
    /// Reads the footer from `tail`, the last bytes of a file of `file_len` bytes (the worker
    /// reads 64 KiB, or the whole file when shorter). [`Opened::NeedTail`] asks for a longer tail
    /// when the footer does not fit in this one.
    ///
    /// # Errors
    /// [`ParquetProblem::NotParquet`] when the file does not end with `PAR1`,
    /// [`ParquetProblem::Encrypted`], [`ParquetProblem::DamagedFooter`],
    /// [`ParquetProblem::UnsupportedCompression`] naming the first such column,
    /// [`ParquetProblem::OnlyNestedColumns`], and [`super::TableProblem::TooManyColumns`] past
    /// [`crate::engine::ingest::MAX_COLUMNS`].
    pub fn open(file_len: u64, tail: &[u8]) -> Result<Opened> {
        let footer_start = tail.len().checked_sub(FOOTER_LEN);
        let footer = footer_start.and_then(|start| tail.get(start..));
        let Some(footer) = footer else {
            return Err(problem(ParquetProblem::NotParquet));
        };
        let (length, magic) = footer.split_at(4);
        if magic == MAGIC_ENCRYPTED {
            return Err(problem(ParquetProblem::Encrypted));
        }
        if magic != MAGIC {
            return Err(problem(ParquetProblem::NotParquet));
        }
        let metadata_len = u32::from_le_bytes([length[0], length[1], length[2], length[3]]);
        let needed = u64::from(metadata_len) + FOOTER_LEN as u64;
        // The file starts with PAR1 too: the footer cannot reach into those four bytes.
        if needed + MAGIC.len() as u64 > file_len || tail.len() as u64 > file_len {
            return Err(problem(ParquetProblem::DamagedFooter {
                detail: format!(
                    "the footer says its metadata has {metadata_len} bytes, the file has {file_len}"
                ),
            }));
        }
        let needed = needed as usize;
        if tail.len() < needed {
            return Ok(Opened::NeedTail(needed));
        }
        let metadata_bytes = tail
            .get(tail.len() - needed..tail.len() - FOOTER_LEN)
            .unwrap_or_default();
        let metadata = ParquetMetaDataReader::decode_metadata(metadata_bytes).map_err(|e| {
            problem(ParquetProblem::DamagedFooter {
                detail: e.to_string(),
            })
        })?;
        Self::from_metadata(metadata, file_len).map(Opened::Ready)
    }

    fn from_metadata(metadata: ParquetMetaData, file_len: u64) -> Result<ParquetFile> {
        let schema = metadata.file_metadata().schema_descr();
        let mut columns = Vec::new();
        let mut skipped = Vec::new();
        for (leaf, descr) in schema.columns().iter().enumerate() {
            let path = descr.path().parts();
            let name = path.join(".");
            if path.len() != 1 || descr.max_rep_level() > 0 || descr.max_def_level() > 1 {
                skipped.push(name);
                continue;
            }
            columns.push(Column {
                leaf,
                name,
                text: text_kind(descr),
            });
        }
        if columns.is_empty() {
            return Err(problem(ParquetProblem::OnlyNestedColumns));
        }
        super::check_width(super::FileKind::Parquet, columns.len())?;
        let mut rows_before = Vec::with_capacity(metadata.num_row_groups());
        let mut rows = 0u64;
        for (index, group) in metadata.row_groups().iter().enumerate() {
            rows_before.push(rows);
            let group_rows = u64::try_from(group.num_rows()).map_err(|_| {
                problem(ParquetProblem::DamagedFooter {
                    detail: format!("row group {index} has {} rows", group.num_rows()),
                })
            })?;
            rows = rows.saturating_add(group_rows);
            if group.num_columns() != schema.num_columns() {
                return Err(problem(ParquetProblem::DamagedFooter {
                    detail: format!("row group {index} has {} columns", group.num_columns()),
                }));
            }
            for column in &columns {
                let chunk = group.column(column.leaf);
                let codec = chunk.compression();
                if !matches!(
                    codec,
                    Compression::UNCOMPRESSED
                        | Compression::SNAPPY
                        | Compression::GZIP(_)
                        | Compression::ZSTD(_)
                ) {
                    return Err(problem(ParquetProblem::UnsupportedCompression {
                        column: column.name.clone(),
                        codec: codec_name(codec).to_owned(),
                    }));
                }
                let within = chunk_range(chunk).is_some_and(|range| range.end <= file_len);
                if !within {
                    return Err(problem(ParquetProblem::DamagedFooter {
                        detail: format!(
                            "row group {index}, column '{}' lies beyond the end of the file",
                            column.name
                        ),
                    }));
                }
            }
        }
        Ok(ParquetFile {
            metadata,
            columns,
            skipped,
            rows_before,
            invalid_utf8: AtomicU64::new(0),
        })
    }

    /// The names of the columns read, in the file's order: the header row of the import.
    pub fn column_names(&self) -> Vec<String> {
        self.columns.iter().map(|c| c.name.clone()).collect()
    }

    /// The nested or repeated columns that are not read (dotted paths such as `address.city`).
    pub fn skipped_columns(&self) -> &[String] {
        &self.skipped
    }

    /// The number of rows the footer declares.
    pub fn rows(&self) -> u64 {
        self.metadata
            .row_groups()
            .iter()
            .map(|g| u64::try_from(g.num_rows()).unwrap_or(0))
            .fold(0u64, u64::saturating_add)
    }

    /// The number of row groups: the file is read one row group at a time.
    pub fn row_groups(&self) -> usize {
        self.metadata.num_row_groups()
    }

    /// How many cells so far held invalid UTF-8 (each read with U+FFFD in place of the bad bytes).
    pub fn invalid_utf8_cells(&self) -> u64 {
        self.invalid_utf8.load(Ordering::Relaxed)
    }

    /// The rows of row group `i` (0 for one that does not exist).
    pub fn row_group_rows(&self, i: usize) -> u64 {
        self.metadata
            .row_groups()
            .get(i)
            .and_then(|group| u64::try_from(group.num_rows()).ok())
            .unwrap_or(0)
    }

    /// Counts `n` more cells of invalid UTF-8: those another reader of the same file counted in
    /// row groups it decoded for this one (the reader worker's decoder).
    pub fn add_invalid_utf8_cells(&self, n: u64) {
        self.invalid_utf8.fetch_add(n, Ordering::Relaxed);
    }

    /// The bytes of the file that row group `i` needs: from the first page of its first column
    /// read to the end of the last one. Empty for a row group that does not exist. Checked
    /// against the file length by [`ParquetFile::open`].
    pub fn row_group_bytes(&self, i: usize) -> Range<u64> {
        let Some(group) = self.metadata.row_groups().get(i) else {
            return 0..0;
        };
        let mut start = u64::MAX;
        let mut end = 0u64;
        for column in &self.columns {
            if let Some(range) = group.columns().get(column.leaf).and_then(chunk_range) {
                start = start.min(range.start);
                end = end.max(range.end);
            }
        }
        if start > end {
            0..0
        } else {
            start..end
        }
    }

    /// Decodes row group `i` from exactly the bytes [`ParquetFile::row_group_bytes`] names,
    /// calling `row(line, cells)` for each row, cells in [`ParquetFile::column_names`] order.
    /// `line` is the line the row would have in a CSV with a header on line 1: the file's first
    /// row is line 2, and rows of earlier row groups are counted.
    ///
    /// # Errors
    /// [`ParquetProblem::WrongRowGroupBytes`] when `bytes` is not that long,
    /// [`ParquetProblem::DamagedData`] naming the row group and column of a damaged or cut-off
    /// page, [`ParquetProblem::UnsupportedEncoding`]. Rows before the failure have been handed on.
    pub fn read_row_group(
        &self,
        i: usize,
        bytes: &[u8],
        row: &mut dyn FnMut(u64, &[&str]),
    ) -> Result<()> {
        if self.metadata.row_groups().get(i).is_none() {
            return Ok(());
        }
        let window = self.window(i, bytes)?;
        let all = vec![Some(ColumnUse::Text); self.columns.len()];
        self.decode(i, &window, &all, 0, u64::MAX, row)
    }

    /// The first `n` rows as text, for the preview, from the bytes of the first row group (when
    /// it holds fewer than `n` rows, only those). No rows for a file without row groups.
    ///
    /// # Errors
    /// As [`ParquetFile::read_row_group`] for row group 0.
    pub fn head_rows(&self, bytes_of_group_0: &[u8], n: usize) -> Result<Vec<Vec<String>>> {
        let mut rows = Vec::new();
        if self.row_groups() == 0 || n == 0 {
            return Ok(rows);
        }
        let window = self.window(0, bytes_of_group_0)?;
        let all = vec![Some(ColumnUse::Text); self.columns.len()];
        self.decode(0, &window, &all, 0, n as u64, &mut |_, cells| {
            rows.push(cells.iter().map(|c| (*c).to_owned()).collect());
        })?;
        Ok(rows)
    }

    /// Decodes row group `i` into typed cells for the importer's typed path
    /// ([`crate::engine::ingest::Importer::push_typed_row`]): only the columns `uses` names
    /// (the mapped ones), unless those left out might make a row's text longer than a text row
    /// may be by what the footer says of their sizes; then all. A number or date column gives
    /// typed cells where its type has one (integers, `DECIMAL` on `INT32`/`INT64`, `DOUBLE`,
    /// `DATE`, timestamps, `INT96`) and text for the rest; other columns give text.
    ///
    /// `row(line, cells)` answers whether it took the typed row; at the first row it did not,
    /// the row group is decoded again in full as text and that row and every later one of the
    /// group is handed on as [`TableRow::Text`], as [`ParquetFile::read_row_group`] hands
    /// them on. So a caller that pushes text rows to the text path gets the text path's
    /// outcome, rejected rows and their cells included.
    ///
    /// # Errors
    /// As [`ParquetFile::read_row_group`].
    pub fn read_row_group_typed(
        &self,
        i: usize,
        bytes: &[u8],
        uses: &[ColumnUse],
        row: &mut dyn FnMut(u64, TableRow) -> bool,
    ) -> Result<()> {
        let Some(group) = self.metadata.row_groups().get(i) else {
            return Ok(());
        };
        let window = self.window(i, bytes)?;
        let (decoded, undecoded) = self.projection(i, uses);
        let mut readers = self.readers(i, &window, &decoded)?;
        let group_rows = u64::try_from(group.num_rows()).unwrap_or(0);
        let first_line = self.first_line(i);
        let mut done = 0u64;
        let mut invalid = 0u64;
        while done < group_rows {
            let batch = (group_rows - done).min(BATCH_ROWS as u64) as usize;
            self.fill(i, &mut readers, batch, done, group_rows, &mut invalid)?;
            let views: Vec<Option<BatchView>> = readers
                .iter()
                .map(|reader| reader.as_ref().map(|r| r.batch.view()))
                .collect();
            let refused = self.hand_on(&views, batch, first_line + done, undecoded, row);
            if let Some(r) = refused {
                self.invalid_utf8.fetch_add(invalid, Ordering::Relaxed);
                return self.text_from(i, &window, done + r as u64, row);
            }
            done += batch as u64;
        }
        self.invalid_utf8.fetch_add(invalid, Ordering::Relaxed);
        Ok(())
    }

    /// Which columns of row group `i` the typed path decodes for `uses` (`None`: not decoded),
    /// and the bound on the text of those it leaves out ([`TableRow::Typed`]).
    fn projection(&self, i: usize, uses: &[ColumnUse]) -> (Vec<Option<ColumnUse>>, usize) {
        let Some(group) = self.metadata.row_groups().get(i) else {
            return (Vec::new(), 0);
        };
        let use_of = |c: usize| uses.get(c).copied().unwrap_or(ColumnUse::Text);
        let unused: usize = self
            .columns
            .iter()
            .enumerate()
            .filter(|&(c, _)| use_of(c) == ColumnUse::Unused)
            .map(|(_, column)| text_bound(group.column(column.leaf)))
            .fold(0, usize::saturating_add);
        // Left out only when the footer shows they cannot make a row too long.
        let project = unused <= MAX_RECORD_BYTES;
        let decoded = (0..self.columns.len())
            .map(|c| match use_of(c) {
                ColumnUse::Unused if project => None,
                ColumnUse::Unused => Some(ColumnUse::Text),
                other => Some(other),
            })
            .collect();
        (decoded, if project { unused } else { 0 })
    }

    /// Hands on `rows` typed rows of one batch (the first on line `first_line`), the columns'
    /// cells in `views`; the index of the first row `row` refused, if one was.
    fn hand_on(
        &self,
        views: &[Option<BatchView>],
        rows: usize,
        first_line: u64,
        undecoded_bytes: usize,
        row: &mut dyn FnMut(u64, TableRow) -> bool,
    ) -> Option<usize> {
        let mut cells = vec![TypedCell::Null; self.columns.len()];
        for r in 0..rows {
            for (slot, view) in cells.iter_mut().zip(views) {
                if let Some(view) = view {
                    *slot = view.typed_cell(r);
                }
            }
            let typed = TableRow::Typed {
                cells: &cells,
                undecoded_bytes,
            };
            if !row(first_line + r as u64, typed) {
                return Some(r);
            }
        }
        None
    }

    /// Decodes row group `i` again in full as text from its row `from` on, and hands those
    /// rows on as [`TableRow::Text`] (after a typed row was refused).
    fn text_from(
        &self,
        i: usize,
        window: &Arc<Window>,
        from: u64,
        row: &mut dyn FnMut(u64, TableRow) -> bool,
    ) -> Result<()> {
        let all = vec![Some(ColumnUse::Text); self.columns.len()];
        self.decode(i, window, &all, from, u64::MAX, &mut |line, cells| {
            row(line, TableRow::Text(cells));
        })
    }

    /// Decodes row group `i` for another thread's importer, as the reader worker's decoder
    /// does: into `rows` (cleared first), each row as [`ParquetFile::read_row_group_typed`]
    /// hands it on — a typed row as its transaction when the typed path would take it with
    /// `settings` ([`DecodedRows::push_typed`]), else that row and the rest of the group as
    /// text ([`DecodedRows::push_text`]).
    ///
    /// # Errors
    /// As [`ParquetFile::read_row_group`]; `rows` is then incomplete.
    pub fn decode_row_group(
        &self,
        i: usize,
        bytes: &[u8],
        uses: &[ColumnUse],
        settings: &ImportSettings,
        rows: &mut DecodedRows,
    ) -> Result<()> {
        rows.clear();
        self.read_row_group_typed(i, bytes, uses, &mut |line, row| match row {
            TableRow::Typed {
                cells,
                undecoded_bytes,
            } => rows.push_typed(cells, undecoded_bytes, settings),
            TableRow::Text(cells) => {
                rows.push_text(line, cells);
                true
            }
        })
    }

    /// Hands on the rows of row group `i` from its row `from` (counted from 0) as text, every
    /// column, as [`ParquetFile::read_row_group_typed`] does after a refused row: for a reader
    /// that had the rows before `from` decoded elsewhere (the reader worker's decoder).
    ///
    /// # Errors
    /// As [`ParquetFile::read_row_group`].
    pub fn read_row_group_text_from(
        &self,
        i: usize,
        bytes: &[u8],
        from: u64,
        row: &mut dyn FnMut(u64, TableRow) -> bool,
    ) -> Result<()> {
        if self.metadata.row_groups().get(i).is_none() {
            return Ok(());
        }
        let window = self.window(i, bytes)?;
        self.text_from(i, &window, from, row)
    }

    /// The line of the first row of row group `i` (the file's first row is line 2).
    fn first_line(&self, i: usize) -> u64 {
        self.rows_before
            .get(i)
            .copied()
            .unwrap_or(0)
            .saturating_add(2)
    }

    /// The bytes of row group `i`, checked to be exactly those [`ParquetFile::row_group_bytes`]
    /// names.
    fn window(&self, i: usize, bytes: &[u8]) -> Result<Arc<Window>> {
        let range = self.row_group_bytes(i);
        let expected = range.end - range.start;
        if bytes.len() as u64 != expected {
            return Err(problem(ParquetProblem::WrongRowGroupBytes {
                row_group: i,
                expected,
                got: bytes.len() as u64,
            }));
        }
        Ok(Arc::new(Window {
            start: range.start,
            bytes: Bytes::copy_from_slice(bytes),
        }))
    }

    /// A reader for each column of row group `i` that `decoded` names (`None`: not decoded).
    fn readers(
        &self,
        i: usize,
        window: &Arc<Window>,
        decoded: &[Option<ColumnUse>],
    ) -> Result<Vec<Option<ColumnText>>> {
        let Some(group) = self.metadata.row_groups().get(i) else {
            return Ok(Vec::new());
        };
        let total_rows = usize::try_from(group.num_rows()).unwrap_or(usize::MAX);
        let mut readers = Vec::with_capacity(self.columns.len());
        for (column, want) in self.columns.iter().zip(decoded) {
            let Some(want) = *want else {
                readers.push(None);
                continue;
            };
            let damaged = |e: ParquetError| self.data_error(i, column, e);
            let chunk = group.column(column.leaf);
            let pages = SerializedPageReader::new(Arc::clone(window), chunk, total_rows, None)
                .map_err(damaged)?;
            let pages = Box::new(PageGuard {
                inner: pages,
                has_dictionary: false,
                byte_array: chunk.column_descr().physical_type() == Type::BYTE_ARRAY,
                max_def: chunk.column_descr().max_def_level(),
            });
            let nullable = chunk.column_descr().max_def_level() > 0;
            if want == ColumnUse::Text && TextPages::fits(chunk, column.text) {
                readers.push(Some(ColumnText::with_values(
                    Values::Text(TextPages::new(pages, nullable)),
                    column.text,
                    nullable,
                    want,
                )));
                continue;
            }
            readers.push(Some(ColumnText::new(
                get_column_reader(chunk.column_descr_ptr(), pages),
                column.text,
                nullable,
                want,
            )));
        }
        Ok(readers)
    }

    /// Decodes the next `batch` rows of every reader (`done` rows of `group_rows` read before).
    fn fill(
        &self,
        i: usize,
        readers: &mut [Option<ColumnText>],
        batch: usize,
        done: u64,
        group_rows: u64,
        invalid: &mut u64,
    ) -> Result<()> {
        for (reader, column) in readers.iter_mut().zip(&self.columns) {
            let Some(reader) = reader else {
                continue;
            };
            let got = reader
                .fill(batch, invalid)
                .map_err(|e| self.data_error(i, column, e))?;
            if got != batch {
                return Err(problem(ParquetProblem::DamagedData {
                    row_group: i,
                    column: column.name.clone(),
                    detail: format!("it ends after {} of {group_rows} rows", done + got as u64),
                }));
            }
        }
        Ok(())
    }

    /// Decodes rows `from` to `limit` (exclusive) of row group `i` as text, every column.
    fn decode(
        &self,
        i: usize,
        window: &Arc<Window>,
        decoded: &[Option<ColumnUse>],
        from: u64,
        limit: u64,
        row: &mut dyn FnMut(u64, &[&str]),
    ) -> Result<()> {
        let Some(group) = self.metadata.row_groups().get(i) else {
            return Ok(());
        };
        let mut readers = self.readers(i, window, decoded)?;
        let group_rows = u64::try_from(group.num_rows()).unwrap_or(0);
        let wanted = group_rows.min(limit);
        let first_line = self.first_line(i);
        let mut done = 0u64;
        let mut invalid = 0u64;
        while done < wanted {
            let batch = (wanted - done).min(BATCH_ROWS as u64) as usize;
            self.fill(i, &mut readers, batch, done, group_rows, &mut invalid)?;
            let mut cells: Vec<&str> = Vec::with_capacity(readers.len());
            for r in 0..batch {
                if done + (r as u64) < from {
                    continue;
                }
                cells.clear();
                cells.extend(
                    readers
                        .iter()
                        .flatten()
                        .map(|reader| reader.batch.view().cell(r)),
                );
                row(first_line + done + r as u64, &cells);
            }
            done += batch as u64;
        }
        self.invalid_utf8.fetch_add(invalid, Ordering::Relaxed);
        Ok(())
    }

    fn data_error(&self, row_group: usize, column: &Column, e: ParquetError) -> Error {
        match e {
            ParquetError::NYI(detail) => problem(ParquetProblem::UnsupportedEncoding {
                column: column.name.clone(),
                detail,
            }),
            other => problem(ParquetProblem::DamagedData {
                row_group,
                column: column.name.clone(),
                detail: other.to_string(),
            }),
        }
    }
}

/// The bytes of a column chunk in the file; `None` when the footer says a negative offset or
/// size (the crate's own `byte_range` panics on those: it is called only after this check).
fn chunk_range(chunk: &ColumnChunkMetaData) -> Option<Range<u64>> {
    let start = chunk
        .dictionary_page_offset()
        .unwrap_or(chunk.data_page_offset());
    let start = u64::try_from(start).ok()?;
    let len = u64::try_from(chunk.compressed_size()).ok()?;
    Some(start..start.checked_add(len)?)
}

/// The most bytes of text a cell of `chunk` can have, by what the footer says: a fixed-width
/// value's text is short ([`TYPED_TEXT_MAX`]); a byte array's lies in one of the chunk's pages
/// (at most its uncompressed size), and invalid UTF-8 triples at most when replaced.
fn text_bound(chunk: &ColumnChunkMetaData) -> usize {
    let bytes = match chunk.column_descr().physical_type() {
        Type::BYTE_ARRAY => usize::try_from(chunk.uncompressed_size()).unwrap_or(usize::MAX),
        Type::FIXED_LEN_BYTE_ARRAY => {
            usize::try_from(chunk.column_descr().type_length()).unwrap_or(usize::MAX)
        }
        _ => 0,
    };
    bytes.saturating_mul(3).saturating_add(TYPED_TEXT_MAX)
}

/// How a column's values become text, from its physical and logical type (the converted type
/// of older writers where there is no logical type).
fn text_kind(descr: &ColumnDescPtr) -> TextKind {
    let logical = descr.logical_type_ref();
    let converted = descr.converted_type();
    let decimal = match logical {
        Some(LogicalType::Decimal(d)) => Some(d.scale),
        _ if converted == ConvertedType::DECIMAL => Some(descr.type_scale()),
        _ => None,
    };
    let unsigned = matches!(logical, Some(LogicalType::Integer(t)) if !t.is_signed)
        || matches!(
            converted,
            ConvertedType::UINT_8
                | ConvertedType::UINT_16
                | ConvertedType::UINT_32
                | ConvertedType::UINT_64
        );
    match descr.physical_type() {
        Type::BOOLEAN => TextKind::Bool,
        Type::INT32 | Type::INT64 => {
            if let Some(scale) = decimal {
                return TextKind::Decimal(scale);
            }
            match logical {
                Some(LogicalType::Date) => TextKind::Date,
                Some(LogicalType::Timestamp(t)) => TextKind::Timestamp(Unit::of(&t.unit)),
                Some(LogicalType::Time(t)) => TextKind::Time(Unit::of(&t.unit)),
                _ => match converted {
                    ConvertedType::DATE => TextKind::Date,
                    ConvertedType::TIMESTAMP_MILLIS => TextKind::Timestamp(Unit::Millis),
                    ConvertedType::TIMESTAMP_MICROS => TextKind::Timestamp(Unit::Micros),
                    ConvertedType::TIME_MILLIS => TextKind::Time(Unit::Millis),
                    ConvertedType::TIME_MICROS => TextKind::Time(Unit::Micros),
                    _ if unsigned => TextKind::Unsigned,
                    _ => TextKind::Signed,
                },
            }
        }
        Type::INT96 => TextKind::Int96,
        Type::FLOAT | Type::DOUBLE => TextKind::Float,
        Type::BYTE_ARRAY | Type::FIXED_LEN_BYTE_ARRAY => match (decimal, logical) {
            (Some(scale), _) => TextKind::Decimal(scale),
            (None, Some(LogicalType::Uuid)) => TextKind::Uuid,
            (None, Some(LogicalType::Float16)) => TextKind::Float16,
            _ => TextKind::Utf8,
        },
    }
}

/// The Parquet name of a codec.
fn codec_name(codec: Compression) -> &'static str {
    match codec {
        Compression::UNCOMPRESSED => "UNCOMPRESSED",
        Compression::SNAPPY => "SNAPPY",
        Compression::GZIP(_) => "GZIP",
        Compression::LZO => "LZO",
        Compression::BROTLI(_) => "BROTLI",
        Compression::LZ4 => "LZ4",
        Compression::ZSTD(_) => "ZSTD",
        Compression::LZ4_RAW => "LZ4_RAW",
    }
}

/// The bytes of one row group, addressed by their offsets in the file.
struct Window {
    start: u64,
    bytes: Bytes,
}

impl Window {
    fn slice(&self, start: u64, length: Option<usize>) -> parquet::errors::Result<Bytes> {
        let cut_off = || {
            ParquetError::EOF(format!(
                "bytes at offset {start} are outside the row group's {} bytes from offset {}",
                self.bytes.len(),
                self.start
            ))
        };
        let from = start
            .checked_sub(self.start)
            .and_then(|from| usize::try_from(from).ok())
            .filter(|&from| from <= self.bytes.len())
            .ok_or_else(cut_off)?;
        let to = match length {
            Some(length) => from
                .checked_add(length)
                .filter(|&to| to <= self.bytes.len())
                .ok_or_else(cut_off)?,
            None => self.bytes.len(),
        };
        Ok(self.bytes.slice(from..to))
    }
}

impl Length for Window {
    fn len(&self) -> u64 {
        self.start + self.bytes.len() as u64
    }
}

impl ChunkReader for Window {
    type T = bytes::buf::Reader<Bytes>;

    fn get_read(&self, start: u64) -> parquet::errors::Result<Self::T> {
        Ok(self.slice(start, None)?.reader())
    }

    fn get_bytes(&self, start: u64, length: usize) -> parquet::errors::Result<Bytes> {
        self.slice(start, Some(length))
    }
}

/// A page reader that hands the decoder only pages it survives: the `parquet` crate indexes out
/// of bounds on some damaged pages instead of returning an error (a dictionary-encoded page with
/// no dictionary before it; PLAIN byte arrays whose lengths run past the page). Pages of valid
/// files pass unchanged.
struct PageGuard<R: ChunkReader> {
    inner: SerializedPageReader<R>,
    has_dictionary: bool,
    byte_array: bool,
    max_def: i16,
}

/// A varint (ULEB128) as the `parquet` crate's bit reader reads one.
enum Varint {
    Value(u64),
    /// The bytes end inside it: the crate's reader answers "no more data".
    Cut,
    /// Ten bytes with the continuation bit and more after them: the crate's reader panics
    /// (`get_vlq_int`: an overflowing shift, then an assertion), so the page must not reach it.
    TooLong,
}

/// The varint at `*at` of `buf`, moving `*at` past it.
fn varint_at(buf: &[u8], at: &mut usize) -> Varint {
    let mut value = 0u64;
    for i in 0..10 {
        let Some(&byte) = buf.get(*at + i) else {
            *at = buf.len();
            return Varint::Cut;
        };
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            *at += i + 1;
            return Varint::Value(value);
        }
    }
    if buf.len() > *at + 10 {
        Varint::TooLong
    } else {
        *at = buf.len();
        Varint::Cut
    }
}

/// Checks every varint of a data page that the `parquet` crate's readers may read — the run
/// headers of the RLE / bit-packed hybrid streams (definition levels, dictionary indexes, RLE
/// booleans) and the headers of `DELTA_BINARY_PACKED` streams (also inside
/// `DELTA_LENGTH_BYTE_ARRAY` and `DELTA_BYTE_ARRAY`) — and refuses the page as damaged when one
/// would make that reader panic ([`Varint::TooLong`]). Found by `tests/parquet.rs`'s corrupted
/// files: one flipped bit in a version 2 page stopped the reader worker. A stream that is cut
/// off or inconsistent is left to the crate's reader, which answers it with an error.
fn check_varints(page: &Page, max_def: i16) -> parquet::errors::Result<()> {
    let too_long = || damaged_page("a number in it is too long");
    let level_width = (16 - max_def.max(0).leading_zeros()) as usize;
    let (buf, values_at) = match page {
        Page::DictionaryPage { .. } => return Ok(()),
        Page::DataPage {
            buf,
            def_level_encoding,
            ..
        } => {
            let mut at = 0;
            if max_def > 0 && *def_level_encoding == Encoding::RLE {
                let Some(len) = le_u32(buf, 0).and_then(|l| usize::try_from(l).ok()) else {
                    return Ok(());
                };
                let levels = buf.get(4..4usize.saturating_add(len)).unwrap_or_default();
                hybrid_varints(levels, level_width).map_err(|()| too_long())?;
                at = 4usize.saturating_add(len);
            } else if max_def > 0 {
                // BIT_PACKED levels hold no varint.
                return Ok(());
            }
            (buf, at)
        }
        Page::DataPageV2 {
            buf,
            def_levels_byte_len,
            rep_levels_byte_len,
            ..
        } => {
            let start = *rep_levels_byte_len as usize;
            let end = start.saturating_add(*def_levels_byte_len as usize);
            let levels = buf.get(start..end).unwrap_or_default();
            hybrid_varints(levels, level_width).map_err(|()| too_long())?;
            (buf, end)
        }
    };
    let values = buf.get(values_at..).unwrap_or_default();
    let checked = match page.encoding() {
        Encoding::RLE_DICTIONARY | Encoding::PLAIN_DICTIONARY => match values.split_first() {
            Some((&width, indexes)) => hybrid_varints(indexes, width as usize),
            None => Ok(()),
        },
        Encoding::RLE => match le_u32(values, 0).and_then(|l| usize::try_from(l).ok()) {
            Some(len) => hybrid_varints(
                values
                    .get(4..4usize.saturating_add(len))
                    .unwrap_or_default(),
                1,
            ),
            None => Ok(()),
        },
        Encoding::DELTA_BINARY_PACKED => delta_varints(values).map(|_| ()),
        Encoding::DELTA_LENGTH_BYTE_ARRAY => delta_lengths(values),
        Encoding::DELTA_BYTE_ARRAY => match delta_varints(values) {
            Ok(Some(end)) => delta_lengths(values.get(end..).unwrap_or_default()),
            other => other.map(|_| ()),
        },
        _ => Ok(()),
    };
    checked.map_err(|()| too_long())
}

/// Walks the run headers of an RLE / bit-packed hybrid stream of `width`-bit values: `Err` at
/// a header the crate's reader would panic on.
fn hybrid_varints(stream: &[u8], width: usize) -> std::result::Result<(), ()> {
    let mut at = 0;
    while at < stream.len() {
        let header = match varint_at(stream, &mut at) {
            Varint::Value(header) => header,
            Varint::Cut => return Ok(()),
            Varint::TooLong => return Err(()),
        };
        let run = usize::try_from(header >> 1).unwrap_or(usize::MAX);
        let bytes = match header & 1 {
            // Bit-packed: groups of 8 values, `width` bytes each.
            1 => run.saturating_mul(width),
            // A repeated value: its bytes.
            _ => width.div_ceil(8),
        };
        at = at.saturating_add(bytes);
    }
    Ok(())
}

/// Checks the lengths of a `DELTA_LENGTH_BYTE_ARRAY` stream (also the suffixes of
/// `DELTA_BYTE_ARRAY`): the crate's decoder takes each value's bytes by its length without a
/// check (`Bytes::slice` panics past the end), and slices the bytes after the lengths where
/// their last block ends. `Err` when the lengths decode but a length is negative, their sum
/// passes the bytes after them, or their blocks end past the page; a stream the crate's
/// decoder refuses anyway (cut off, inconsistent, too wide) is left to it.
fn delta_lengths(stream: &[u8]) -> std::result::Result<(), ()> {
    let Some((lengths, end)) = delta_i32s(stream)? else {
        return Ok(());
    };
    let data = stream.len().checked_sub(end).ok_or(())?;
    let mut total = 0u64;
    for length in lengths {
        total += u64::try_from(length).map_err(|_| ())?;
    }
    match total <= data as u64 {
        true => Ok(()),
        false => Err(()),
    }
}

/// The values of a `DELTA_BINARY_PACKED` stream of 32-bit integers as the crate's decoder
/// computes them (wrapping), and where its last block ends (which may be past the stream:
/// the caller decides); `Ok(None)` where the decoder would stop with an error first, `Err` at
/// a varint it would panic on.
fn delta_i32s(stream: &[u8]) -> std::result::Result<Option<(Vec<i32>, usize)>, ()> {
    let mut at = 0;
    let Some(DeltaHeader {
        block_size,
        mini_blocks,
        count,
        first,
    }) = delta_header(stream, &mut at)?
    else {
        return Ok(None);
    };
    let Ok(first) = i32::try_from(first) else {
        return Ok(None);
    };
    if count > stream.len().saturating_mul(8).saturating_add(1) {
        return Ok(None);
    }
    let per_mini = block_size / mini_blocks;
    let mut values = Vec::with_capacity(count);
    if count > 0 {
        values.push(first);
    }
    let mut last = first;
    let mut end = at;
    while values.len() < count {
        let min_delta = match varint_at(stream, &mut at) {
            Varint::Value(value) => match i32::try_from(unzigzag(value)) {
                Ok(min_delta) => min_delta,
                Err(_) => return Ok(None),
            },
            Varint::Cut => return Ok(None),
            Varint::TooLong => return Err(()),
        };
        let Some(widths) = stream.get(at..at.saturating_add(mini_blocks)) else {
            return Ok(None);
        };
        at += mini_blocks;
        let mut offset = at;
        let mut remaining = count - values.len();
        for &width in widths {
            let width = if remaining == 0 {
                0
            } else {
                usize::from(width)
            };
            if width > 32 {
                return Ok(None);
            }
            let start = offset;
            offset = offset.saturating_add(width * per_mini / 8);
            for j in 0..per_mini.min(remaining) {
                let Some(packed) = bits_at(stream, start, j * width, width) else {
                    return Ok(None);
                };
                last = last.wrapping_add(min_delta.wrapping_add(packed as i32));
                values.push(last);
            }
            remaining -= per_mini.min(remaining);
        }
        end = offset;
        at = offset;
    }
    Ok(Some((values, at.max(end))))
}

/// `width` bits (at most 32) of `stream` at bit `bit` after byte `start`, least significant
/// first; `None` past its end.
fn bits_at(stream: &[u8], start: usize, bit: usize, width: usize) -> Option<u32> {
    if width == 0 {
        return Some(0);
    }
    let first = start.checked_add(bit / 8)?;
    let last = start.checked_add((bit + width - 1) / 8)?;
    let bytes = stream.get(first..=last)?;
    let mut word = 0u64;
    for (i, &byte) in bytes.iter().enumerate() {
        word |= u64::from(byte) << (8 * i);
    }
    Some(((word >> (bit % 8)) & ((1u64 << width) - 1)) as u32)
}

/// The header of a `DELTA_BINARY_PACKED` stream, as the crate's decoder checks it.
struct DeltaHeader {
    block_size: usize,
    mini_blocks: usize,
    count: usize,
    first: i64,
}

/// Reads the header of a `DELTA_BINARY_PACKED` stream from `*at`: `Err` at a varint the
/// crate's reader would panic on, `Ok(None)` when it is cut off or one the crate's decoder
/// refuses (so it reads nothing after it).
fn delta_header(stream: &[u8], at: &mut usize) -> std::result::Result<Option<DeltaHeader>, ()> {
    let mut next = || match varint_at(stream, at) {
        Varint::Value(value) => Ok(Some(value)),
        Varint::Cut => Ok(None),
        Varint::TooLong => Err(()),
    };
    let header = [next()?, next()?, next()?, next()?];
    let [Some(block_size), Some(mini_blocks), Some(count), Some(first)] = header else {
        return Ok(None);
    };
    let (Ok(block_size), Ok(mini_blocks), Ok(count)) = (
        usize::try_from(block_size),
        usize::try_from(mini_blocks),
        usize::try_from(count),
    ) else {
        return Ok(None);
    };
    let consistent = mini_blocks != 0
        && block_size != 0
        && block_size.is_multiple_of(128)
        && block_size.is_multiple_of(mini_blocks)
        && (block_size / mini_blocks).is_multiple_of(32);
    Ok(consistent.then_some(DeltaHeader {
        block_size,
        mini_blocks,
        count,
        first: unzigzag(first),
    }))
}

/// A zigzag-encoded integer's value.
fn unzigzag(value: u64) -> i64 {
    ((value >> 1) as i64) ^ -((value & 1) as i64)
}

/// Walks a `DELTA_BINARY_PACKED` stream as the crate's decoder reads it (its header, then each
/// block's minimum delta, bit widths and miniblocks): `Err` at a varint it would panic on,
/// `Ok(Some(end))` where the stream ends (another may follow), `Ok(None)` where it is cut off
/// or inconsistent (the crate answers that with an error).
fn delta_varints(stream: &[u8]) -> std::result::Result<Option<usize>, ()> {
    let mut at = 0;
    let Some(DeltaHeader {
        block_size,
        mini_blocks,
        count: values,
        ..
    }) = delta_header(stream, &mut at)?
    else {
        return Ok(None);
    };
    let per_mini = block_size / mini_blocks;
    let mut left = values.saturating_sub(1);
    let mut end = at;
    while left > 0 {
        match varint_at(stream, &mut at) {
            Varint::Value(_) => {}
            Varint::Cut => return Ok(None),
            Varint::TooLong => return Err(()),
        }
        let Some(widths) = stream.get(at..at.saturating_add(mini_blocks)) else {
            return Ok(None);
        };
        let mut offset = at + mini_blocks;
        let mut remaining = left;
        for &width in widths {
            let width = if remaining == 0 {
                0
            } else {
                usize::from(width)
            };
            remaining = remaining.saturating_sub(per_mini);
            offset = offset.saturating_add(width.saturating_mul(per_mini) / 8);
        }
        if offset > stream.len() {
            return Ok(None);
        }
        end = offset;
        at = offset;
        left = left.saturating_sub(block_size);
    }
    Ok(Some(at.max(end)))
}

fn damaged_page(what: &str) -> ParquetError {
    ParquetError::General(format!("a page is damaged: {what}"))
}

/// How many complete PLAIN byte arrays (a 4-byte little-endian length, then the bytes) fill
/// `values` exactly; `None` when the last one runs past its end.
fn plain_byte_arrays(values: &[u8]) -> Option<u32> {
    let mut at = 0usize;
    let mut count = 0u32;
    while at < values.len() {
        let length = values.get(at..at.checked_add(4)?)?;
        let length = u32::from_le_bytes([length[0], length[1], length[2], length[3]]);
        at = at
            .checked_add(4)?
            .checked_add(usize::try_from(length).ok()?)?;
        if at > values.len() {
            return None;
        }
        count = count.checked_add(1)?;
    }
    Some(count)
}

impl<R: ChunkReader> PageGuard<R> {
    /// Checks a PLAIN byte-array page: every length inside the page, and as many values as the
    /// decoder can ask for (a nullable page with fewer, which its levels may yet justify, gets
    /// zero-length values appended, so damaged levels read empty strings rather than crash).
    fn check_byte_arrays(&self, page: Page) -> parquet::errors::Result<Page> {
        match page {
            Page::DictionaryPage {
                ref buf,
                num_values,
                ..
            } => match plain_byte_arrays(buf) {
                Some(found) if found >= num_values => Ok(page),
                _ => Err(damaged_page("its dictionary is cut off")),
            },
            Page::DataPage {
                buf,
                num_values,
                encoding: Encoding::PLAIN,
                def_level_encoding,
                rep_level_encoding,
                statistics,
            } => {
                let levels = if self.max_def == 0 {
                    0
                } else if def_level_encoding == Encoding::RLE {
                    let prefix = buf.get(..4).ok_or_else(|| damaged_page("no levels"))?;
                    let length = u32::from_le_bytes([prefix[0], prefix[1], prefix[2], prefix[3]]);
                    usize::try_from(length)
                        .unwrap_or(usize::MAX)
                        .saturating_add(4)
                } else {
                    // BIT_PACKED levels of one bit.
                    (num_values as usize).div_ceil(8)
                };
                let buf = self.pad(buf, levels, num_values)?;
                Ok(Page::DataPage {
                    buf,
                    num_values,
                    encoding: Encoding::PLAIN,
                    def_level_encoding,
                    rep_level_encoding,
                    statistics,
                })
            }
            Page::DataPageV2 {
                buf,
                num_values,
                encoding: Encoding::PLAIN,
                num_nulls,
                num_rows,
                def_levels_byte_len,
                rep_levels_byte_len,
                is_compressed,
                statistics,
            } => {
                let levels =
                    (def_levels_byte_len as usize).saturating_add(rep_levels_byte_len as usize);
                let buf = self.pad(buf, levels, num_values)?;
                Ok(Page::DataPageV2 {
                    buf,
                    num_values,
                    encoding: Encoding::PLAIN,
                    num_nulls,
                    num_rows,
                    def_levels_byte_len,
                    rep_levels_byte_len,
                    is_compressed,
                    statistics,
                })
            }
            other => Ok(other),
        }
    }

    /// The page's bytes, checked from `levels` on, with zero-length values appended up to
    /// `num_values` when the column is nullable.
    fn pad(&self, buf: Bytes, levels: usize, num_values: u32) -> parquet::errors::Result<Bytes> {
        let values = buf
            .get(levels..)
            .ok_or_else(|| damaged_page("its levels run past its end"))?;
        let found =
            plain_byte_arrays(values).ok_or_else(|| damaged_page("a value runs past its end"))?;
        if found >= num_values {
            return Ok(buf);
        }
        if self.max_def == 0 {
            return Err(damaged_page("it holds fewer values than it says"));
        }
        let missing = (num_values - found) as usize;
        let mut padded = Vec::with_capacity(buf.len() + 4 * missing);
        padded.extend_from_slice(&buf);
        padded.resize(buf.len() + 4 * missing, 0);
        Ok(Bytes::from(padded))
    }
}

impl<R: ChunkReader> Iterator for PageGuard<R> {
    type Item = parquet::errors::Result<Page>;

    fn next(&mut self) -> Option<Self::Item> {
        self.get_next_page().transpose()
    }
}

impl<R: ChunkReader> PageReader for PageGuard<R> {
    fn get_next_page(&mut self) -> parquet::errors::Result<Option<Page>> {
        let Some(page) = self.inner.get_next_page()? else {
            return Ok(None);
        };
        if page.is_dictionary_page() {
            self.has_dictionary = true;
        } else if matches!(
            page.encoding(),
            Encoding::RLE_DICTIONARY | Encoding::PLAIN_DICTIONARY
        ) && !self.has_dictionary
        {
            return Err(damaged_page("dictionary-encoded, without a dictionary"));
        }
        check_varints(&page, self.max_def)?;
        if self.byte_array {
            return self.check_byte_arrays(page).map(Some);
        }
        Ok(Some(page))
    }

    fn peek_next_page(&mut self) -> parquet::errors::Result<Option<PageMetadata>> {
        self.inner.peek_next_page()
    }

    fn skip_next_page(&mut self) -> parquet::errors::Result<()> {
        self.inner.skip_next_page()
    }

    fn at_record_boundary(&mut self) -> parquet::errors::Result<bool> {
        self.inner.at_record_boundary()
    }
}

/// One column's reader, its reused value buffers, and the text of the current batch.
struct ColumnText {
    values: Values,
    text: TextKind,
    nullable: bool,
    defs: Vec<i16>,
    /// What the importer reads of the column: typed values for a number or a date.
    want: ColumnUse,
    /// The current batch's cells.
    batch: ColumnBatch,
}

/// One column's cells of one batch of rows.
#[derive(Debug, Default)]
struct ColumnBatch {
    /// The cells' text, one after the other.
    buffer: String,
    /// Where each cell ends in `buffer`.
    ends: Vec<usize>,
    /// For a number or date column read typed, each cell typed; `TypedCell::Text("")` stands
    /// for a value written as text instead (in `buffer`). Empty for a column read as text.
    typed: Vec<TypedCell<'static>>,
}

impl ColumnBatch {
    fn clear(&mut self) {
        self.buffer.clear();
        self.ends.clear();
        self.typed.clear();
    }

    fn view(&self) -> BatchView<'_> {
        BatchView {
            buffer: &self.buffer,
            ends: &self.ends,
            typed: &self.typed,
        }
    }
}

/// A column's cells of one batch ([`ColumnBatch`]), borrowed.
#[derive(Debug, Clone, Copy)]
struct BatchView<'b> {
    buffer: &'b str,
    ends: &'b [usize],
    typed: &'b [TypedCell<'static>],
}

impl<'b> BatchView<'b> {
    /// Row `r` as a typed cell: the typed value of a number or date column, or the text (a null
    /// is [`TypedCell::Null`] in a number or date column, the empty text elsewhere, which the
    /// importer reads alike).
    fn typed_cell(&self, r: usize) -> TypedCell<'b> {
        match self.typed.get(r) {
            Some(TypedCell::Text(_)) | None => TypedCell::Text(self.cell(r)),
            Some(&cell) => cell,
        }
    }

    /// The text of row `r` (empty for a null).
    fn cell(&self, r: usize) -> &'b str {
        let start = match r.checked_sub(1) {
            Some(previous) => self.ends.get(previous).copied().unwrap_or(0),
            None => 0,
        };
        let end = self.ends.get(r).copied().unwrap_or(start);
        self.buffer.get(start..end).unwrap_or("")
    }
}

/// A typed column reader with its reused buffer of values.
enum Values {
    Bool(ColumnReaderImpl<parquet::data_type::BoolType>, Vec<bool>),
    Int32(ColumnReaderImpl<parquet::data_type::Int32Type>, Vec<i32>),
    Int64(ColumnReaderImpl<parquet::data_type::Int64Type>, Vec<i64>),
    Int96(ColumnReaderImpl<parquet::data_type::Int96Type>, Vec<Int96>),
    Float(ColumnReaderImpl<parquet::data_type::FloatType>, Vec<f32>),
    Double(ColumnReaderImpl<parquet::data_type::DoubleType>, Vec<f64>),
    Bytes(
        ColumnReaderImpl<parquet::data_type::ByteArrayType>,
        Vec<ByteArray>,
    ),
    Fixed(
        ColumnReaderImpl<parquet::data_type::FixedLenByteArrayType>,
        Vec<FixedLenByteArray>,
    ),
    /// A text column read page by page by [`TextPages`], straight into the batch's text.
    Text(TextPages),
}

/// Reads up to `want` records, appending values and definition levels; the records read.
fn read_into<T: DataType>(
    reader: &mut ColumnReaderImpl<T>,
    want: usize,
    defs: &mut Vec<i16>,
    values: &mut Vec<T::T>,
) -> parquet::errors::Result<usize> {
    defs.clear();
    values.clear();
    let mut got = 0;
    while got < want {
        let (records, _, _) = reader.read_records(want - got, Some(defs), None, values)?;
        if records == 0 {
            break;
        }
        got += records;
    }
    Ok(got)
}

impl ColumnText {
    fn new(reader: ColumnReader, text: TextKind, nullable: bool, want: ColumnUse) -> ColumnText {
        let values = match reader {
            ColumnReader::BoolColumnReader(r) => Values::Bool(r, Vec::new()),
            ColumnReader::Int32ColumnReader(r) => Values::Int32(r, Vec::new()),
            ColumnReader::Int64ColumnReader(r) => Values::Int64(r, Vec::new()),
            ColumnReader::Int96ColumnReader(r) => Values::Int96(r, Vec::new()),
            ColumnReader::FloatColumnReader(r) => Values::Float(r, Vec::new()),
            ColumnReader::DoubleColumnReader(r) => Values::Double(r, Vec::new()),
            ColumnReader::ByteArrayColumnReader(r) => Values::Bytes(r, Vec::new()),
            ColumnReader::FixedLenByteArrayColumnReader(r) => Values::Fixed(r, Vec::new()),
        };
        ColumnText::with_values(values, text, nullable, want)
    }

    fn with_values(values: Values, text: TextKind, nullable: bool, want: ColumnUse) -> ColumnText {
        ColumnText {
            values,
            text,
            nullable,
            defs: Vec::with_capacity(BATCH_ROWS),
            want,
            batch: ColumnBatch {
                ends: Vec::with_capacity(BATCH_ROWS),
                ..ColumnBatch::default()
            },
        }
    }

    /// Decodes the next `want` rows and writes their cells; the rows decoded (fewer only when
    /// the column ends early).
    fn fill(&mut self, want: usize, invalid_utf8: &mut u64) -> parquet::errors::Result<usize> {
        if let Values::Text(pages) = &mut self.values {
            self.batch.clear();
            // Read as text only (`typed` stays empty): a null is the empty text.
            let batch = &mut self.batch;
            return pages.fill(want, &mut batch.buffer, &mut batch.ends, invalid_utf8);
        }
        let defs = &mut self.defs;
        let rows = match &mut self.values {
            Values::Bool(r, v) => read_into(r, want, defs, v)?,
            Values::Int32(r, v) => read_into(r, want, defs, v)?,
            Values::Int64(r, v) => read_into(r, want, defs, v)?,
            Values::Int96(r, v) => read_into(r, want, defs, v)?,
            Values::Float(r, v) => read_into(r, want, defs, v)?,
            Values::Double(r, v) => read_into(r, want, defs, v)?,
            Values::Bytes(r, v) => read_into(r, want, defs, v)?,
            Values::Fixed(r, v) => read_into(r, want, defs, v)?,
            Values::Text(_) => 0,
        };
        self.batch.clear();
        let typed = matches!(self.want, ColumnUse::Number | ColumnUse::Day);
        let mut next = 0usize;
        for r in 0..rows {
            let present = !self.nullable || self.defs.get(r).is_some_and(|&d| d > 0);
            if !present {
                if typed {
                    self.batch.typed.push(TypedCell::Null);
                }
                self.batch.ends.push(self.batch.buffer.len());
                continue;
            }
            let text = self.text;
            if typed {
                let cell = match &self.values {
                    Values::Int32(_, v) => v
                        .get(next)
                        .and_then(|&x| typed_int(widen_i32(x, text), text, self.want)),
                    Values::Int64(_, v) => v.get(next).and_then(|&x| typed_int(x, text, self.want)),
                    Values::Int96(_, v) => v
                        .get(next)
                        .filter(|_| self.want == ColumnUse::Day)
                        .and_then(int96_seconds)
                        .and_then(day_of_seconds),
                    Values::Double(_, v) => v
                        .get(next)
                        .filter(|_| self.want == ColumnUse::Number && text == TextKind::Float)
                        .map(|&x| TypedCell::Double(x)),
                    _ => None,
                };
                if let Some(cell) = cell {
                    self.batch.typed.push(cell);
                    self.batch.ends.push(self.batch.buffer.len());
                    next += 1;
                    continue;
                }
                self.batch.typed.push(TypedCell::Text(""));
            }
            let out = &mut self.batch.buffer;
            let written = match &self.values {
                Values::Bool(_, v) => v.get(next).map(|&b| write_bool(out, b)),
                Values::Int32(_, v) => v
                    .get(next)
                    .map(|&x| write_int(out, widen_i32(x, text), text)),
                Values::Int64(_, v) => v.get(next).map(|&x| write_int(out, x, text)),
                Values::Int96(_, v) => v.get(next).map(|x| write_int96(out, x)),
                Values::Float(_, v) => v.get(next).map(|&x| write_f32(out, x)),
                Values::Double(_, v) => v.get(next).map(|&x| write_f64(out, x)),
                Values::Bytes(_, v) => v
                    .get(next)
                    .map(|x| write_bytes(out, x.data(), text, invalid_utf8)),
                Values::Fixed(_, v) => v
                    .get(next)
                    .map(|x| write_bytes(out, x.data(), text, invalid_utf8)),
                Values::Text(_) => None,
            };
            if written.is_none() {
                return Err(ParquetError::General(format!(
                    "row {r} of a batch has no value"
                )));
            }
            next += 1;
            self.batch.ends.push(self.batch.buffer.len());
        }
        Ok(rows)
    }
}

/// A text column (`BYTE_ARRAY` read as UTF-8) whose pages are PLAIN or dictionary-encoded,
/// decoded by this module instead of the `parquet` crate's reader: each value's bytes are
/// copied from the decompressed page straight into the batch's text (no reference-counted
/// `Bytes` per value, no vector of values between), and a dictionary's
/// entries are made text once per row group, each row then only copying its entry.
struct TextPages {
    pages: Box<dyn PageReader>,
    nullable: bool,
    /// The dictionary's entries as text, one after the other, where each ends, and whether
    /// each held invalid UTF-8 (counted again at every use, as the crate's reader counted).
    dictionary: String,
    entry_ends: Vec<usize>,
    entry_invalid: Vec<bool>,
    page: Option<TextPage>,
}

/// The data page being read.
struct TextPage {
    buf: Bytes,
    /// Rows (levels) of the page not yet read.
    left: usize,
    levels: Levels,
    values: PageValues,
}

/// A page's definition levels (of one bit: the column is flat).
enum Levels {
    /// A required column: every row has a value.
    None,
    /// RLE / bit-packed hybrid.
    Hybrid(Hybrid),
    /// The deprecated BIT_PACKED encoding: one bit per row, most significant bit first.
    Packed { bit: usize, end: usize },
}

/// Where a page's values are read.
enum PageValues {
    /// Each a 4-byte little-endian length and the bytes: the next at `at`, the values end at
    /// `end`.
    Plain { at: usize, end: usize },
    /// Indexes into the dictionary.
    Dictionary(Hybrid),
}

/// A reader of the RLE / bit-packed hybrid encoding (definition levels, dictionary indexes)
/// over `buf[at..end]`.
struct Hybrid {
    at: usize,
    end: usize,
    width: usize,
    /// Values left in the current RLE run, and its value.
    repeat: u32,
    value: u32,
    /// Values left in the current bit-packed run, and the bit of the next.
    packed: u32,
    bit: usize,
}

impl Hybrid {
    fn new(at: usize, end: usize, width: usize) -> Hybrid {
        Hybrid {
            at,
            end,
            width,
            repeat: 0,
            value: 0,
            packed: 0,
            bit: 0,
        }
    }

    /// The next value; `None` at the end of the data or when it is cut off.
    fn next(&mut self, buf: &[u8]) -> Option<u32> {
        loop {
            if self.repeat > 0 {
                self.repeat -= 1;
                return Some(self.value);
            }
            if self.packed > 0 {
                self.packed -= 1;
                let value = bits(buf, self.bit, self.width, self.end)?;
                self.bit += self.width;
                return Some(value);
            }
            if self.at >= self.end {
                return None;
            }
            let header = varint(buf, &mut self.at, self.end)?;
            if header & 1 == 0 {
                let bytes = self.width.div_ceil(8);
                let start = self.at;
                self.at = start.checked_add(bytes).filter(|&e| e <= self.end)?;
                let mut value = 0u32;
                for (k, &byte) in buf.get(start..self.at)?.iter().enumerate() {
                    value |= u32::from(byte) << (8 * k);
                }
                self.repeat = header >> 1;
                self.value = value;
            } else {
                let groups = (header >> 1) as usize;
                self.packed = u32::try_from(groups.checked_mul(8)?).ok()?;
                self.bit = self.at.checked_mul(8)?;
                // The last run may be cut short by the page's end: `bits` checks each value.
                self.at = self
                    .at
                    .saturating_add(groups.saturating_mul(self.width))
                    .min(self.end);
            }
        }
    }
}

/// An unsigned LEB128 number of at most 32 bits at `buf[*at..end]`.
fn varint(buf: &[u8], at: &mut usize, end: usize) -> Option<u32> {
    let mut value = 0u32;
    for shift in (0..35).step_by(7) {
        if *at >= end {
            return None;
        }
        let byte = *buf.get(*at)?;
        *at += 1;
        value |= u32::from(byte & 0x7f).checked_shl(shift)?;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// `width` (at most 32) bits from bit `bit` of `buf`, least significant first, within the
/// first `end` bytes.
fn bits(buf: &[u8], bit: usize, width: usize, end: usize) -> Option<u32> {
    if width == 0 {
        return Some(0);
    }
    let last = bit.checked_add(width)?.div_ceil(8);
    if last > end {
        return None;
    }
    let mut word = 0u64;
    for (k, &byte) in buf.get(bit / 8..last)?.iter().enumerate() {
        word |= u64::from(byte) << (8 * k);
    }
    Some(((word >> (bit % 8)) & ((1u64 << width) - 1)) as u32)
}

/// A little-endian u32 at `buf[at..at + 4]`.
fn le_u32(buf: &[u8], at: usize) -> Option<u32> {
    let b = buf.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

impl TextPages {
    /// Whether a column chunk is read by [`TextPages`]: UTF-8 text in byte arrays, every
    /// encoding the footer lists one it reads (anything else goes to the crate's reader).
    // BIT_PACKED: deprecated for writers, still read (old files' definition levels).
    #[allow(deprecated)]
    fn fits(chunk: &ColumnChunkMetaData, text: TextKind) -> bool {
        text == TextKind::Utf8
            && chunk.column_descr().physical_type() == Type::BYTE_ARRAY
            && chunk.column_descr().max_def_level() <= 1
            && chunk.column_descr().max_rep_level() == 0
            && chunk.encodings().all(|e| {
                matches!(
                    e,
                    Encoding::PLAIN
                        | Encoding::PLAIN_DICTIONARY
                        | Encoding::RLE_DICTIONARY
                        | Encoding::RLE
                        | Encoding::BIT_PACKED
                )
            })
    }

    fn new(pages: Box<dyn PageReader>, nullable: bool) -> TextPages {
        TextPages {
            pages,
            nullable,
            dictionary: String::new(),
            entry_ends: Vec::new(),
            entry_invalid: Vec::new(),
            page: None,
        }
    }

    /// Reads the dictionary page's PLAIN values as text.
    fn set_dictionary(&mut self, buf: &[u8], count: u32) -> parquet::errors::Result<()> {
        self.dictionary.clear();
        self.entry_ends.clear();
        self.entry_invalid.clear();
        let mut at = 0usize;
        for _ in 0..count {
            let value = le_u32(buf, at)
                .and_then(|len| usize::try_from(len).ok())
                .and_then(|len| buf.get(at + 4..(at + 4).checked_add(len)?));
            let Some(value) = value else {
                return Err(damaged_page("its dictionary is cut off"));
            };
            at += 4 + value.len();
            let mut invalid = 0;
            write_bytes(&mut self.dictionary, value, TextKind::Utf8, &mut invalid);
            self.entry_ends.push(self.dictionary.len());
            self.entry_invalid.push(invalid > 0);
        }
        Ok(())
    }

    /// Takes the next data page (reading a dictionary page before it); `false` at the end.
    fn next_page(&mut self) -> parquet::errors::Result<bool> {
        loop {
            let Some(page) = self.pages.get_next_page()? else {
                return Ok(false);
            };
            let (buf, rows, encoding, levels, values_at) = match page {
                Page::DictionaryPage {
                    buf, num_values, ..
                } => {
                    self.set_dictionary(&buf, num_values)?;
                    continue;
                }
                Page::DataPage {
                    buf,
                    num_values,
                    encoding,
                    def_level_encoding,
                    ..
                } => {
                    let rows = num_values as usize;
                    if !self.nullable {
                        (buf, rows, encoding, Levels::None, 0)
                    } else if def_level_encoding == Encoding::RLE {
                        let len = le_u32(&buf, 0)
                            .and_then(|len| usize::try_from(len).ok())
                            .and_then(|len| len.checked_add(4))
                            .filter(|&end| end <= buf.len())
                            .ok_or_else(|| damaged_page("its levels run past its end"))?;
                        (
                            buf,
                            rows,
                            encoding,
                            Levels::Hybrid(Hybrid::new(4, len, 1)),
                            len,
                        )
                    } else {
                        let end = rows.div_ceil(8);
                        if end > buf.len() {
                            return Err(damaged_page("its levels run past its end"));
                        }
                        (buf, rows, encoding, Levels::Packed { bit: 0, end }, end)
                    }
                }
                Page::DataPageV2 {
                    buf,
                    num_values,
                    encoding,
                    def_levels_byte_len,
                    rep_levels_byte_len,
                    ..
                } => {
                    let start = rep_levels_byte_len as usize;
                    let end = start
                        .checked_add(def_levels_byte_len as usize)
                        .filter(|&end| end <= buf.len())
                        .ok_or_else(|| damaged_page("its levels run past its end"))?;
                    let levels = if self.nullable {
                        Levels::Hybrid(Hybrid::new(start, end, 1))
                    } else {
                        Levels::None
                    };
                    (buf, num_values as usize, encoding, levels, end)
                }
            };
            let values = match encoding {
                Encoding::PLAIN => PageValues::Plain {
                    at: values_at,
                    end: buf.len(),
                },
                Encoding::PLAIN_DICTIONARY | Encoding::RLE_DICTIONARY => {
                    let width = buf.get(values_at).copied().unwrap_or(0) as usize;
                    if width > 32 {
                        return Err(damaged_page(
                            "its dictionary indexes are wider than 32 bits",
                        ));
                    }
                    PageValues::Dictionary(Hybrid::new(values_at + 1, buf.len(), width))
                }
                other => {
                    return Err(ParquetError::NYI(format!(
                        "text pages encoded {other} are not read"
                    )))
                }
            };
            self.page = Some(TextPage {
                buf,
                left: rows,
                levels,
                values,
            });
            return Ok(true);
        }
    }

    /// Decodes the next `want` rows into `buffer` (each cell's end in `ends`; a null is the
    /// empty text); the rows decoded (fewer only when the column ends early).
    fn fill(
        &mut self,
        want: usize,
        buffer: &mut String,
        ends: &mut Vec<usize>,
        invalid_utf8: &mut u64,
    ) -> parquet::errors::Result<usize> {
        let mut rows = 0;
        while rows < want {
            let page = match &mut self.page {
                Some(page) if page.left > 0 => page,
                _ => {
                    if !self.next_page()? {
                        break;
                    }
                    continue;
                }
            };
            let take = page.left.min(want - rows);
            for _ in 0..take {
                let present = match &mut page.levels {
                    Levels::None => true,
                    Levels::Hybrid(levels) => {
                        levels
                            .next(&page.buf)
                            .ok_or_else(|| damaged_page("its levels are cut off"))?
                            > 0
                    }
                    Levels::Packed { bit, end } => {
                        let byte = page
                            .buf
                            .get(*bit / 8)
                            .filter(|_| *bit / 8 < *end)
                            .ok_or_else(|| damaged_page("its levels are cut off"))?;
                        let level = byte >> (7 - *bit % 8) & 1;
                        *bit += 1;
                        level > 0
                    }
                };
                if present {
                    match &mut page.values {
                        PageValues::Plain { at, end } => {
                            let value = le_u32(&page.buf, *at)
                                .and_then(|len| usize::try_from(len).ok())
                                .and_then(|len| page.buf.get(*at + 4..(*at + 4).checked_add(len)?))
                                .filter(|v| *at + 4 + v.len() <= *end)
                                .ok_or_else(|| damaged_page("a value runs past its end"))?;
                            *at += 4 + value.len();
                            write_bytes(buffer, value, TextKind::Utf8, invalid_utf8);
                        }
                        PageValues::Dictionary(indexes) => {
                            let index = indexes
                                .next(&page.buf)
                                .ok_or_else(|| damaged_page("its indexes are cut off"))?
                                as usize;
                            let start = match index.checked_sub(1) {
                                Some(previous) => self.entry_ends.get(previous).copied(),
                                None => Some(0),
                            };
                            let entry = start
                                .zip(self.entry_ends.get(index).copied())
                                .and_then(|(start, end)| self.dictionary.get(start..end))
                                .ok_or_else(|| damaged_page("an index is past its dictionary"))?;
                            buffer.push_str(entry);
                            if self.entry_invalid.get(index).copied().unwrap_or(false) {
                                *invalid_utf8 += 1;
                            }
                        }
                    }
                }
                ends.push(buffer.len());
            }
            page.left -= take;
            rows += take;
        }
        Ok(rows)
    }
}

/// An INT32 value as the 64-bit value written: an unsigned one is stored in the same 32 bits
/// as a signed one.
fn widen_i32(x: i32, text: TextKind) -> i64 {
    if text == TextKind::Unsigned {
        i64::from(x as u32)
    } else {
        i64::from(x)
    }
}

/// An integer value as the typed cell of a number or date column, when its type has one
/// (`None`: written as text). The same value and day as [`write_int`] writes.
fn typed_int(value: i64, text: TextKind, want: ColumnUse) -> Option<TypedCell<'static>> {
    match (want, text) {
        (ColumnUse::Number, TextKind::Signed) => Some(TypedCell::Int(value)),
        // An unsigned INT64 stored in the same 64 bits as a signed one.
        (ColumnUse::Number, TextKind::Unsigned) => Some(TypedCell::UInt(value as u64)),
        (ColumnUse::Number, TextKind::Decimal(scale)) => Some(TypedCell::Decimal {
            unscaled: value,
            scale,
        }),
        (ColumnUse::Day, TextKind::Date) => i32::try_from(value).ok().map(TypedCell::Day),
        (ColumnUse::Day, TextKind::Timestamp(unit)) => {
            day_of_seconds(value.div_euclid(unit.per_second()))
        }
        _ => None,
    }
}

/// The day of `seconds` since 1970-01-01 00:00:00, as [`write_seconds`] writes it.
fn day_of_seconds(seconds: i64) -> Option<TypedCell<'static>> {
    i32::try_from(seconds.div_euclid(86_400))
        .ok()
        .map(TypedCell::Day)
}

/// Spark's legacy INT96 timestamp in seconds since 1970-01-01 00:00:00: nanoseconds of the day
/// (8 bytes) and the Julian day (4). `None` for a value of fewer than three words.
fn int96_seconds(value: &Int96) -> Option<i64> {
    let data = value.data();
    let (Some(&low), Some(&high), Some(&julian)) = (data.first(), data.get(1), data.get(2)) else {
        return None;
    };
    let nanos_of_day = (u64::from(high) << 32 | u64::from(low)) as i64;
    // Julian day 2,440,588 is 1970-01-01.
    let days = i64::from(julian) - 2_440_588;
    Some(days * 86_400 + nanos_of_day.div_euclid(1_000_000_000))
}

fn write_bool(out: &mut String, value: bool) {
    out.push_str(if value { "true" } else { "false" });
}

/// The decimal digits of `value` (no allocation, no formatting machinery: this is the hot loop).
fn write_u64(out: &mut String, mut value: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        if let Some(slot) = digits.get_mut(at) {
            *slot = b'0' + (value % 10) as u8;
        }
        value /= 10;
        if value == 0 || at == 0 {
            break;
        }
    }
    for &digit in digits.get(at..).unwrap_or_default() {
        out.push(char::from(digit));
    }
}

/// The digits of `value`, with its sign.
fn write_i64(out: &mut String, value: i64) {
    if value < 0 {
        out.push('-');
    }
    write_u64(out, value.unsigned_abs());
}

/// `value` as two digits, or more when larger.
fn write_2(out: &mut String, value: u32) {
    if value < 10 {
        out.push('0');
    }
    write_u64(out, u64::from(value));
}

fn write_int(out: &mut String, value: i64, text: TextKind) {
    use std::fmt::Write;
    // Writing to a String never fails.
    let _ = match text {
        // An unsigned INT64 stored in the same 64 bits as a signed one.
        TextKind::Unsigned => {
            write_u64(out, value as u64);
            Ok(())
        }
        TextKind::Date => match i32::try_from(value) {
            Ok(days) => {
                write_day(out, days);
                Ok(())
            }
            Err(_) => write!(out, "{value}"),
        },
        TextKind::Timestamp(unit) => {
            if !write_seconds(out, value.div_euclid(unit.per_second())) {
                let _ = write!(out, "{value}");
            }
            Ok(())
        }
        TextKind::Time(unit) => {
            let seconds = value.div_euclid(unit.per_second());
            if (0..86_400).contains(&seconds) {
                write!(
                    out,
                    "{:02}:{:02}:{:02}",
                    seconds / 3600,
                    seconds / 60 % 60,
                    seconds % 60
                )
            } else {
                write!(out, "{value}")
            }
        }
        TextKind::Decimal(scale) => {
            write_decimal(out, i128::from(value), scale);
            Ok(())
        }
        _ => {
            write_i64(out, value);
            Ok(())
        }
    };
}

/// `YYYY-MM-DD` of a day counted from 1970-01-01.
fn write_day(out: &mut String, days: i32) {
    let (year, month, day) = Day::from_epoch_days(days).civil();
    if (0..10_000).contains(&year) {
        let year = year as u32;
        write_2(out, year / 100);
        write_2(out, year % 100);
    } else {
        // As `{:04}` would: the sign and at least four digits.
        write_i64(out, i64::from(year));
    }
    out.push('-');
    write_2(out, month);
    out.push('-');
    write_2(out, day);
}

/// `YYYY-MM-DD HH:MM:SS` of `seconds` since 1970-01-01 00:00:00; `false` (nothing written) when
/// the day is beyond the calendar.
fn write_seconds(out: &mut String, seconds: i64) -> bool {
    let of_day = seconds.rem_euclid(86_400);
    let Ok(days) = i32::try_from(seconds.div_euclid(86_400)) else {
        return false;
    };
    write_day(out, days);
    out.push(' ');
    write_2(out, (of_day / 3600) as u32);
    out.push(':');
    write_2(out, (of_day / 60 % 60) as u32);
    out.push(':');
    write_2(out, (of_day % 60) as u32);
    true
}

/// Spark's legacy INT96 timestamp ([`int96_seconds`]) as `YYYY-MM-DD HH:MM:SS`.
fn write_int96(out: &mut String, value: &Int96) {
    use std::fmt::Write;
    let Some(seconds) = int96_seconds(value) else {
        return;
    };
    if !write_seconds(out, seconds) {
        let _ = write!(out, "{seconds}");
    }
}

fn write_f32(out: &mut String, value: f32) {
    use std::fmt::Write;
    let _ = write!(out, "{value}");
}

fn write_f64(out: &mut String, value: f64) {
    use std::fmt::Write;
    let _ = write!(out, "{value}");
}

/// The exact decimal of `unscaled` × 10^−`scale` (`-12.30` for −1230 at scale 2, `0.05` for 5).
/// Parquet's scales are 0 to 38; a larger one is taken as 38, a negative one appends zeros.
fn write_decimal(out: &mut String, unscaled: i128, scale: i32) {
    if unscaled < 0 {
        out.push('-');
    }
    // The digits, least significant first; u128 has at most 39. Divisions by ten of a u128
    // are slow: the part that fits in a u64 (every DECIMAL up to 18 digits) is divided as such.
    let mut digits = [b'0'; 40];
    let mut magnitude = unscaled.unsigned_abs();
    let mut len = 0;
    while magnitude > u128::from(u64::MAX) && len < digits.len() {
        if let Some(slot) = digits.get_mut(len) {
            *slot = b'0' + (magnitude % 10) as u8;
        }
        magnitude /= 10;
        len += 1;
    }
    let mut small = magnitude as u64;
    for slot in digits.iter_mut().skip(len) {
        *slot = b'0' + (small % 10) as u8;
        small /= 10;
        len += 1;
        if small == 0 {
            break;
        }
    }
    let point = usize::try_from(scale).unwrap_or(0).min(38);
    // A zero before the point when all digits are after it.
    let len = len.max(point + 1);
    for position in (0..len).rev() {
        out.push(char::from(digits.get(position).copied().unwrap_or(b'0')));
        if point > 0 && position == point {
            out.push('.');
        }
    }
    if scale < 0 {
        for _ in 0..scale.unsigned_abs().min(64) {
            out.push('0');
        }
    }
}

/// A big-endian two's-complement integer of up to 16 bytes (longer only when the extra leading
/// bytes are sign extension); `None` past 128 bits.
fn big_endian_i128(bytes: &[u8]) -> Option<i128> {
    let negative = bytes.first().is_some_and(|&b| b & 0x80 != 0);
    let fill = if negative { 0xff } else { 0 };
    let extra = bytes.len().saturating_sub(16);
    let (head, tail) = bytes.split_at(extra);
    if head.iter().any(|&b| b != fill) {
        return None;
    }
    let mut wide = [fill; 16];
    let start = 16 - tail.len();
    wide.get_mut(start..)?.copy_from_slice(tail);
    let value = i128::from_be_bytes(wide);
    // A 16-byte value whose sign differs from the padding's is still that value.
    Some(value)
}

/// A cell of BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY.
fn write_bytes(out: &mut String, bytes: &[u8], text: TextKind, invalid_utf8: &mut u64) {
    use std::fmt::Write;
    match text {
        TextKind::Decimal(scale) => match big_endian_i128(bytes) {
            Some(unscaled) => write_decimal(out, unscaled, scale),
            // Beyond any DECIMAL Parquet allows (38 digits): its bytes in hex, which the
            // importer rejects as no number, naming the row.
            None => {
                out.push_str("0x");
                for byte in bytes {
                    let _ = write!(out, "{byte:02x}");
                }
            }
        },
        TextKind::Uuid if bytes.len() == 16 => {
            for (i, byte) in bytes.iter().enumerate() {
                if matches!(i, 4 | 6 | 8 | 10) {
                    out.push('-');
                }
                let _ = write!(out, "{byte:02x}");
            }
        }
        TextKind::Float16 if bytes.len() == 2 => {
            let bits = u16::from_le_bytes([
                bytes.first().copied().unwrap_or(0),
                bytes.get(1).copied().unwrap_or(0),
            ]);
            let _ = write!(out, "{}", f16_to_f32(bits));
        }
        _ => match std::str::from_utf8(bytes) {
            Ok(text) => out.push_str(text),
            Err(_) => {
                *invalid_utf8 += 1;
                out.push_str(&String::from_utf8_lossy(bytes));
            }
        },
    }
}

/// An IEEE half-precision float (Parquet's FLOAT16, little-endian bits) as an `f32`, exactly.
fn f16_to_f32(bits: u16) -> f32 {
    let sign = if bits & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exponent = i32::from((bits >> 10) & 0x1f);
    let fraction = f32::from(bits & 0x3ff);
    match exponent {
        0 => sign * fraction * 2f32.powi(-24),
        31 if fraction == 0.0 => sign * f32::INFINITY,
        31 => f32::NAN,
        _ => sign * (1.0 + fraction / 1024.0) * 2f32.powi(exponent - 15),
    }
}

/// The allocation-free writers of the hot loop say what the shared, allocating helpers of
/// [`crate::engine::formats`] say (the convention in one place), and Spark's INT96 reads right.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::formats::{decimal_text, epoch_days_text, epoch_seconds_text, float_text};

    fn text(write: impl FnOnce(&mut String)) -> String {
        let mut out = String::new();
        write(&mut out);
        out
    }

    #[test]
    fn decimals_are_exact_at_every_scale() {
        let cases: &[(i128, i32, &str)] = &[
            (0, 0, "0"),
            (0, 2, "0.00"),
            (5, 2, "0.05"),
            (-5, 2, "-0.05"),
            (1230, 2, "12.30"),
            (-1230, 2, "-12.30"),
            (371_121, 2, "3711.21"),
            (i128::from(i64::MAX), 0, "9223372036854775807"),
            (i128::from(i64::MIN), 4, "-922337203685477.5808"),
            (i128::MAX, 38, "1.70141183460469231731687303715884105727"),
            (i128::MIN, 0, "-170141183460469231731687303715884105728"),
            (12, -2, "1200"),
        ];
        for &(unscaled, scale, want) in cases {
            assert_eq!(
                text(|o| write_decimal(o, unscaled, scale)),
                want,
                "{unscaled} at {scale}"
            );
            assert_eq!(
                decimal_text(unscaled, scale),
                want,
                "shared: {unscaled} at {scale}"
            );
        }
    }

    #[test]
    fn days_and_instants_agree_with_the_shared_helpers() {
        for days in [-719_162, -25_567, -1, 0, 1, 19_358, 2_932_896, 2_932_897] {
            assert_eq!(
                text(|o| write_day(o, days)),
                epoch_days_text(i64::from(days)),
                "{days}"
            );
        }
        // The shared helper leaves midnight out; here a timestamp column always has its time,
        // as DuckDB's and Spark's CSV exports write it.
        for seconds in [-1i64, 1, 86_399, 1_704_067_200 + 45_296, 253_402_300_799] {
            assert_eq!(
                text(|o| assert!(write_seconds(o, seconds))),
                epoch_seconds_text(seconds),
                "{seconds}"
            );
        }
        assert_eq!(
            text(|o| assert!(write_seconds(o, 0))),
            "1970-01-01 00:00:00"
        );
        assert!(!write_seconds(&mut String::new(), i64::MAX));
        let micros = TextKind::Timestamp(Unit::Micros);
        assert_eq!(text(|o| write_int(o, -1, micros)), "1969-12-31 23:59:59");
        assert_eq!(
            text(|o| write_int(o, i64::MAX, micros)),
            "294247-01-10 04:00:54"
        );
        assert_eq!(
            text(|o| write_int(o, i64::from(i32::MAX) + 1, TextKind::Date)),
            "2147483648"
        );
        assert_eq!(
            text(|o| write_int(o, 45_296_789, TextKind::Time(Unit::Millis))),
            "12:34:56"
        );
    }

    #[test]
    fn numbers_are_their_shortest_decimals() {
        for value in [
            0.1f64,
            -2.5,
            1e-7,
            1e21,
            123_456.789,
            f64::NAN,
            f64::INFINITY,
        ] {
            assert_eq!(text(|o| write_f64(o, value)), float_text(value));
        }
        assert_eq!(text(|o| write_f32(o, 0.1)), "0.1");
        assert_eq!(text(|o| write_int(o, -42, TextKind::Signed)), "-42");
        assert_eq!(
            text(|o| write_int(o, i64::MIN, TextKind::Signed)),
            i64::MIN.to_string()
        );
        assert_eq!(
            text(|o| write_int(o, -1, TextKind::Unsigned)),
            u64::MAX.to_string()
        );
        assert_eq!(f16_to_f32(0x3c00), 1.0);
        assert_eq!(f16_to_f32(0xc000), -2.0);
        assert_eq!(f16_to_f32(0x0001), 2f32.powi(-24));
        assert!(f16_to_f32(0x7e00).is_nan());
    }

    #[test]
    fn spark_int96_is_the_julian_day_and_the_nanoseconds_of_the_day() {
        let mut value = Int96::new();
        // 2023-01-12 09:01:07.5: Julian day 2,459,957.
        let nanos: u64 = (9 * 3600 + 60 + 7) * 1_000_000_000 + 500_000_000;
        value.set_data(nanos as u32, (nanos >> 32) as u32, 2_459_957);
        assert_eq!(text(|o| write_int96(o, &value)), "2023-01-12 09:01:07");
    }

    /// The varints the `parquet` crate's readers would panic on are found where they read
    /// them, and nothing else is refused.
    #[test]
    fn varints_that_would_stop_the_crates_reader_are_found() {
        let long = [0xffu8; 10];
        let mut at = 0;
        assert!(matches!(
            varint_at(&[0x96, 0x01], &mut at),
            Varint::Value(150)
        ));
        assert_eq!(at, 2);
        // Ten continuation bytes and a byte after them: the crate's reader panics.
        let mut stream = long.to_vec();
        stream.push(0);
        assert!(matches!(varint_at(&stream, &mut 0), Varint::TooLong));
        // Ten continuation bytes at the end: it answers "no more data".
        assert!(matches!(varint_at(&long, &mut 0), Varint::Cut));
        // RLE / bit-packed hybrid: a repeated value (header 2·5, 1 byte), a bit-packed run of
        // one group of width 3 (header 2·1+1, 3 bytes), then a header too long.
        let mut hybrid = vec![10, 7, 3, 0xaa, 0xbb, 0xcc];
        assert_eq!(hybrid_varints(&hybrid, 3), Ok(()));
        hybrid.extend_from_slice(&stream);
        assert_eq!(hybrid_varints(&hybrid, 3), Err(()));
        // The same bytes inside a bit-packed run are values, not a header.
        let mut packed = vec![2 * 2 + 1];
        packed.extend_from_slice(&[0xff; 11]);
        assert_eq!(hybrid_varints(&packed, 8), Ok(()));
        // DELTA_BINARY_PACKED: block 128, 4 miniblocks, 3 values, first value 1; one block:
        // minimum delta 0, widths 1,0,0,0 (one miniblock of 32 values × 1 bit = 4 bytes).
        let delta = [0x80, 0x01, 4, 3, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(delta_varints(&delta), Ok(Some(delta.len())));
        // A second stream after it (DELTA_BYTE_ARRAY) is walked from there.
        let mut two = delta.to_vec();
        two.extend_from_slice(&[0x80, 0x01, 4, 1]);
        two.extend_from_slice(&stream);
        assert_eq!(delta_varints(&two), Ok(Some(delta.len())));
        assert_eq!(delta_varints(&two[delta.len()..]), Err(()));
        // A minimum delta too long; a header cut off; an inconsistent one.
        let mut bad = delta[..5].to_vec();
        bad.extend_from_slice(&stream);
        assert_eq!(delta_varints(&bad), Err(()));
        assert_eq!(delta_varints(&delta[..3]), Ok(None));
        assert_eq!(delta_varints(&[0x80, 0x01, 0, 3, 2]), Ok(None));
        // DELTA_LENGTH_BYTE_ARRAY: lengths 2, 3, 4 (first 2, deltas 1 and 1: minimum delta 1,
        // width 0), then 9 bytes of values; one byte less and a length is past the end.
        let lengths = [0x80, 0x01, 4, 3, 4, 2, 0, 0, 0, 0];
        assert_eq!(
            delta_i32s(&lengths),
            Ok(Some((vec![2, 3, 4], lengths.len())))
        );
        let mut page = lengths.to_vec();
        page.extend_from_slice(b"abcdefghi");
        assert_eq!(delta_lengths(&page), Ok(()));
        page.pop();
        assert_eq!(delta_lengths(&page), Err(()));
        // A negative length (first value -1).
        let negative = [0x80, 0x01, 4, 1, 1, b'x'];
        assert_eq!(delta_lengths(&negative), Err(()));
        // Bits of a miniblock, least significant first.
        assert_eq!(bits_at(&[0b1011_0110, 0b0000_0001], 0, 1, 3), Some(0b011));
        assert_eq!(bits_at(&[0b1011_0110, 0b0000_0001], 0, 6, 3), Some(0b110));
        assert_eq!(bits_at(&[0xff], 0, 6, 3), None);
    }

    #[test]
    fn byte_cells_are_text_decimals_or_uuids() {
        let mut invalid = 0;
        let mut cell = |bytes: &[u8], kind| text(|o| write_bytes(o, bytes, kind, &mut invalid));
        assert_eq!(cell("客户".as_bytes(), TextKind::Utf8), "客户");
        assert_eq!(cell(&[0x61, 0xff, 0x62], TextKind::Utf8), "a\u{fffd}b");
        assert_eq!(cell(&[0xff, 0x85], TextKind::Decimal(2)), "-1.23");
        assert_eq!(
            cell(&[0, 0, 0, 0, 0x04, 0xd2], TextKind::Decimal(1)),
            "123.4"
        );
        let mut wide = vec![0xff; 20];
        wide[19] = 0xfe;
        assert_eq!(cell(&wide, TextKind::Decimal(0)), "-2");
        assert_eq!(
            cell(&[1; 17], TextKind::Decimal(0)),
            format!("0x{}", "01".repeat(17))
        );
        assert_eq!(
            cell(&[0x12; 16], TextKind::Uuid),
            "12121212-1212-1212-1212-121212121212"
        );
        assert_eq!(invalid, 1);
        assert_eq!(plain_byte_arrays(&[1, 0, 0, 0, b'x', 0, 0, 0, 0]), Some(2));
        assert_eq!(plain_byte_arrays(&[5, 0, 0, 0, b'x']), None);
        assert_eq!(plain_byte_arrays(&[1, 0]), None);
    }
}
