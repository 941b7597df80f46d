//! Rows decoded on another thread (另一线程解码的行): a table file's rows read by one worker
//! (the reader's decoder: Parquet pages decompressed and decoded, each typed row checked and
//! made a transaction) and taken by another (the importer, which only aggregates), so that on
//! two processors the two halves of the work run side by side.
//!
//! [`DecodedRows`] writes the rows of a row group, in order, into one buffer that is sent
//! across: a typed row as its transaction, when the text path would take the row's text with
//! exactly that transaction ([`typed_transaction`], the half of the typed path that depends on
//! the row alone); any other row as its text cells with its line, as the text path takes them.
//! [`Importer::push_decoded`] takes them in the same order: the outcome is that of the same
//! rows pushed to the importer in one thread, to the bit (`tests/parquet.rs` checks it on every
//! fixture).
//!
//! Layout, little-endian: per row a tag byte; a typed row then has a flag byte (which of order,
//! day, profit, quantity it has), the amount, profit and quantity as `f64` bits, the day as the
//! days since 1970-01-01, and its texts (customer, order, each attribute, each line attribute)
//! each as a 4-byte length and the bytes; a text row has its line (8 bytes), its number of
//! cells (4 bytes) and the cells as texts.

use super::typed::typed_transaction;
use super::{ImportSettings, Importer, TypedCell};
use crate::engine::calendar::Day;
use crate::engine::customers::Transaction;

const TYPED: u8 = 1;
const TEXT: u8 = 2;

const HAS_ORDER: u8 = 1;
const HAS_DAY: u8 = 2;
const HAS_PROFIT: u8 = 4;
const HAS_QUANTITY: u8 = 8;

/// Rows decoded for another thread's importer, in the order they are to be taken.
#[derive(Debug, Default)]
pub struct DecodedRows {
    bytes: Vec<u8>,
    rows: u64,
}

impl DecodedRows {
    /// No rows.
    pub fn new() -> Self {
        Self::default()
    }

    /// The rows written, as they are to be sent.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// How many rows were written.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Forgets every row (the buffer is kept).
    pub fn clear(&mut self) {
        self.bytes.clear();
        self.rows = 0;
    }

    /// Writes a typed row when the typed path may take it whatever the importer's state
    /// (`Importer::push_typed_row` would, given a state that takes typed rows): `false`, with
    /// nothing written, otherwise; the caller then writes the row (and, as the typed path of
    /// `ParquetFile::read_row_group_typed` does, the rest of its row group) as text.
    pub fn push_typed(
        &mut self,
        cells: &[TypedCell],
        undecoded_bytes: usize,
        settings: &ImportSettings,
    ) -> bool {
        let Some(row) = typed_transaction(cells, undecoded_bytes, settings) else {
            return false;
        };
        let t = &row.transaction;
        let flag = |has: bool, flag: u8| if has { flag } else { 0 };
        let flags = flag(t.order.is_some(), HAS_ORDER)
            | flag(t.day.is_some(), HAS_DAY)
            | flag(t.profit.is_some(), HAS_PROFIT)
            | flag(t.quantity.is_some(), HAS_QUANTITY);
        let out = &mut self.bytes;
        out.push(TYPED);
        out.push(flags);
        out.extend_from_slice(&t.amount.to_bits().to_le_bytes());
        out.extend_from_slice(&t.profit.unwrap_or(0.0).to_bits().to_le_bytes());
        out.extend_from_slice(&t.quantity.unwrap_or(0.0).to_bits().to_le_bytes());
        let day = t.day.map_or(0, Day::epoch_days);
        out.extend_from_slice(&day.to_le_bytes());
        put_text(out, t.customer);
        put_text(out, t.order.unwrap_or(""));
        for text in row.attributes.iter().chain(&row.lines) {
            put_text(out, text);
        }
        self.rows += 1;
        true
    }

    /// Writes a row as its text cells, read at `line`.
    pub fn push_text(&mut self, line: u64, cells: &[&str]) {
        let out = &mut self.bytes;
        out.push(TEXT);
        out.extend_from_slice(&line.to_le_bytes());
        let count = u32::try_from(cells.len()).unwrap_or(u32::MAX);
        out.extend_from_slice(&count.to_le_bytes());
        for cell in cells.iter().take(count as usize) {
            put_text(out, cell);
        }
        self.rows += 1;
    }
}

/// Appends a text as its length (4 bytes) and its bytes; a text longer than 4 GiB (which no
/// row holds: a row is at most `MAX_RECORD_BYTES`) is cut at a character boundary.
fn put_text(out: &mut Vec<u8>, text: &str) {
    let mut len = text.len().min(u32::MAX as usize);
    while !text.is_char_boundary(len) {
        len -= 1;
    }
    out.extend_from_slice(&(len as u32).to_le_bytes());
    out.extend_from_slice(text.as_bytes().get(..len).unwrap_or_default());
}

/// Reads what [`DecodedRows`] writes, never past its end.
struct Cursor<'d> {
    bytes: &'d [u8],
    at: usize,
}

impl<'d> Cursor<'d> {
    fn take(&mut self, n: usize) -> Option<&'d [u8]> {
        let end = self.at.checked_add(n)?;
        let taken = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(taken)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn f64(&mut self) -> Option<f64> {
        Some(f64::from_bits(u64::from_le_bytes(self.array()?)))
    }

    fn text(&mut self) -> Option<&'d str> {
        let len = u32::from_le_bytes(self.array()?) as usize;
        std::str::from_utf8(self.take(len)?).ok()
    }
}

/// One row read back (its texts in the caller's vector).
enum Entry<'d> {
    /// A typed row's transaction; the texts are its attribute cells, then its line attribute
    /// cells.
    Typed(Transaction<'d>),
    /// A text row's line; the texts are its cells.
    Text(u64),
}

impl Importer {
    /// Takes the `rows` rows another thread wrote with [`DecodedRows`] (from a table of
    /// `width` columns), in order, as [`Importer::push_typed_row`] and [`Importer::push_row`]
    /// would have taken them. `None`: every row was taken; `Some(k)`: rows `0..k` were taken
    /// and row `k` was not, because this importer's state takes no typed row now or because
    /// the bytes end or are damaged there: the caller is to read that row and the rest of
    /// them again itself, as text.
    pub fn push_decoded(&mut self, bytes: &[u8], width: usize, rows: u64) -> Option<u64> {
        let mut cursor = Cursor { bytes, at: 0 };
        let mut texts: Vec<&str> = Vec::new();
        let attributes = self.settings.attributes.len();
        let mut taken = 0u64;
        while taken < rows {
            match read_entry(&mut cursor, &self.settings, &mut texts) {
                Some(Entry::Typed(row)) if self.state.takes_typed(width, &self.settings) => {
                    let (attributes, lines) = texts.split_at(attributes.min(texts.len()));
                    self.state
                        .take_transaction(&row, attributes, lines, &self.settings);
                }
                Some(Entry::Text(line)) => self.push_row(line, &texts),
                Some(Entry::Typed(_)) | None => return Some(taken),
            }
            taken += 1;
        }
        // More bytes than rows: damaged after the last row (all of them are taken).
        (cursor.at == bytes.len())
            .then_some(())
            .map_or(Some(rows), |()| None)
    }
}

/// Reads the next row, its texts into `texts`; `None` when the bytes end or are damaged
/// before the row does.
fn read_entry<'d>(
    cursor: &mut Cursor<'d>,
    settings: &ImportSettings,
    texts: &mut Vec<&'d str>,
) -> Option<Entry<'d>> {
    texts.clear();
    match cursor.u8()? {
        TYPED => {
            let flags = cursor.u8()?;
            let amount = cursor.f64()?;
            let profit = cursor.f64()?;
            let quantity = cursor.f64()?;
            let day = i32::from_le_bytes(cursor.array()?);
            let customer = cursor.text()?;
            let order = cursor.text()?;
            for _ in 0..settings.attributes.len() + settings.lines.len() {
                texts.push(cursor.text()?);
            }
            let has = |flag: u8| flags & flag != 0;
            Some(Entry::Typed(Transaction {
                customer,
                order: has(HAS_ORDER).then_some(order),
                day: has(HAS_DAY).then(|| Day::from_epoch_days(day)),
                amount,
                profit: has(HAS_PROFIT).then_some(profit),
                quantity: has(HAS_QUANTITY).then_some(quantity),
            }))
        }
        TEXT => {
            let line = u64::from_le_bytes(cursor.array()?);
            let count = u32::from_le_bytes(cursor.array()?) as usize;
            for _ in 0..count {
                texts.push(cursor.text()?);
            }
            Some(Entry::Text(line))
        }
        _ => None,
    }
}
