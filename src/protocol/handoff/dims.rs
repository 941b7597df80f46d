//! The head's attributes ([`Dims`]) read a slice at a time. They are postcard (written by the
//! worker with the rest of the head), and with a line attribute at ten million rows they are
//! 8.3 million (customer, value) pairs: `postcard::from_bytes` took 370 ms of the page's thread
//! in one task. [`DimsReader`] reads the same bytes, the customer attributes and each line
//! attribute's names and values with postcard, then each line attribute's pairs, which travel
//! packed ([`LinesWire`], [`PackedPairs`]: five byte strings), [`DIMS_SLICE`] items a step. A
//! test checks that it reads what the worker writes, at every slice, for attributes of every
//! shape, and that cut or damaged bytes are errors.

use serde::ser::{SerializeSeq, SerializeTuple};
use serde::{Serialize, Serializer};

use crate::engine::dimensions::packed::PackedPairs;
use crate::engine::dimensions::{CustomerAttributes, LineAttribute, LineAttributes, LineKind};
use crate::engine::error::Error;
use crate::engine::history::encoding::{get_tagged_value, get_varint, MAX_TAGGED_VALUE};

use super::{malformed, Bytes, Dims};

/// Items of a line attribute's columns one [`DimsReader::step`] reads at most.
pub(super) const DIMS_SLICE: usize = if cfg!(test) { 3 } else { 1 << 19 };

/// The line attributes as a `Done` frame carries them: per attribute its key, kind, name and
/// values (postcard), its numbers of customers and pairs (varints), then its pairs' five
/// packed columns ([`PackedPairs::columns`]), each a postcard byte string (its length, then
/// its bytes). Pairs already packed (the import worker's) are written as they are; columns are
/// packed on the way.
#[derive(Debug)]
pub(super) struct LinesWire(pub LineAttributes);

impl Serialize for LinesWire {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.lines.len()))?;
        for line in &self.0.lines {
            seq.serialize_element(&LineWire(line))?;
        }
        seq.end()
    }
}

/// One line attribute of [`LinesWire`].
struct LineWire<'a>(&'a LineAttribute);

impl Serialize for LineWire<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let line = self.0;
        let packed_now;
        let packed = match &line.packed {
            Some(packed) => packed,
            None => {
                // (Columns that do not agree are not sent: the frame checks that they fit.)
                packed_now = PackedPairs::of(line).unwrap_or_default();
                &packed_now
            }
        };
        let mut tuple = serializer.serialize_tuple(11)?;
        tuple.serialize_element(&line.key)?;
        tuple.serialize_element(&line.kind)?;
        tuple.serialize_element(&line.name)?;
        tuple.serialize_element(&line.values)?;
        tuple.serialize_element(&(packed.customers as u64))?;
        tuple.serialize_element(&(packed.pairs as u64))?;
        for column in packed.columns() {
            tuple.serialize_element(&ByteString(column))?;
        }
        tuple.end()
    }
}

/// Bytes written as a byte string (postcard: the length, then the bytes).
struct ByteString<'a>(&'a [u8]);

impl Serialize for ByteString<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

/// The column of a line attribute being read, in the order they travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    /// Per customer, its number of pairs (read into the starts).
    Counts,
    Codes,
    Sales,
    Profit,
    Orders,
}

impl Column {
    const ALL: [Column; 5] = [
        Column::Counts,
        Column::Codes,
        Column::Sales,
        Column::Profit,
        Column::Orders,
    ];

    /// Bytes an item takes at most.
    fn most_bytes(self) -> usize {
        match self {
            Column::Sales | Column::Profit => MAX_TAGGED_VALUE,
            // A `u32`'s varint.
            _ => 5,
        }
    }
}

/// A line attribute being read: its columns so far, and how many customers and pairs it said
/// it has.
#[derive(Debug)]
struct Reading {
    line: LineAttribute,
    customers: usize,
    pairs: usize,
}

/// Where the reading stands.
#[derive(Debug)]
enum Stage {
    /// Nothing read.
    Start,
    /// `left` line attributes to read after the ones done.
    Lines { left: usize },
    /// A line attribute's column `column` (of [`Column::ALL`]): `left` items of it to read,
    /// in `bytes` bytes.
    Column {
        reading: Box<Reading>,
        column: usize,
        left: usize,
        bytes: usize,
        lines_left: usize,
    },
    /// Every byte read.
    Done,
}

/// [`Dims`] from their bytes in a frame, a slice of a line attribute's columns a step, each
/// step copying only the bytes it reads (the frame stays in the page's JavaScript buffer: at
/// ten million rows with a category the attributes are tens of MB, which a copy into wasm
/// memory would have to allocate and fill).
#[derive(Debug)]
pub(super) struct DimsReader {
    /// The reading position and the attributes' end, in the frame.
    at: usize,
    end: usize,
    stage: Stage,
    attributes: Option<CustomerAttributes>,
    lines: Option<Vec<LineAttribute>>,
}

impl DimsReader {
    /// The reading of the attributes at `at..end` of a frame.
    pub(super) fn new(at: usize, end: usize) -> Self {
        DimsReader {
            at,
            end,
            stage: Stage::Start,
            attributes: None,
            lines: None,
        }
    }

    /// True once every attribute is read.
    pub(super) fn done(&self) -> bool {
        matches!(self.stage, Stage::Done)
    }

    /// Reads the next part: the customer attributes and whether there are line attributes, a
    /// line attribute's names, or up to `max` items of one of its columns.
    ///
    /// # Errors
    /// [`Error::Format`] for bytes that are not such attributes.
    pub(super) fn step(&mut self, bytes: &(impl Bytes + ?Sized), max: usize) -> Result<(), Error> {
        if self.end > bytes.byte_len() || self.at > self.end {
            return Err(malformed("truncated attributes"));
        }
        let stage = std::mem::replace(&mut self.stage, Stage::Done);
        self.stage = match stage {
            Stage::Start => {
                let attributes: Option<CustomerAttributes> = self.postcard(bytes)?;
                self.attributes = attributes;
                match self.byte(bytes)? {
                    0 => Stage::Done,
                    1 => {
                        let left = self.length(bytes, 1)?;
                        self.lines = Some(Vec::with_capacity(left.min(64)));
                        Stage::Lines { left }
                    }
                    _ => return Err(malformed("line attributes: a bad option tag")),
                }
            }
            Stage::Lines { left: 0 } => Stage::Done,
            Stage::Lines { left } => {
                let (key, kind, name, values): (String, Option<LineKind>, String, Vec<String>) =
                    self.postcard(bytes)?;
                // Every customer's count and every pair's code take a byte at least.
                let customers = self.length(bytes, 1)?;
                let pairs = self.length(bytes, 1)?;
                let reading = Box::new(Reading {
                    line: LineAttribute {
                        key,
                        kind,
                        name,
                        values,
                        starts: Vec::with_capacity(customers + 1),
                        ..LineAttribute::default()
                    },
                    customers,
                    pairs,
                });
                self.column(bytes, reading, 0, left - 1)?
            }
            Stage::Column {
                mut reading,
                column,
                left,
                bytes: column_bytes,
                lines_left,
            } => {
                let kind = *Column::ALL
                    .get(column)
                    .ok_or_else(|| malformed("line attributes: no such column"))?;
                let take = left.min(max.max(1));
                let (took, used) = self.items(bytes, &mut reading, kind, take, column_bytes)?;
                let (left, column_bytes) = (left - took, column_bytes - used);
                match (left, column_bytes) {
                    (0, 0) => self.column(bytes, reading, column + 1, lines_left)?,
                    (0, _) | (_, 0) => {
                        return Err(malformed("line attributes: a column's length is wrong"))
                    }
                    _ => Stage::Column {
                        reading,
                        column,
                        left,
                        bytes: column_bytes,
                        lines_left,
                    },
                }
            }
            Stage::Done => Stage::Done,
        };
        if self.done() && self.at != self.end {
            return Err(malformed("bytes after the attributes"));
        }
        Ok(())
    }

    /// The attributes read (none until [`DimsReader::done`]).
    pub(super) fn finish(self) -> Dims {
        (
            self.attributes,
            self.lines.map(|lines| LineAttributes { lines }),
        )
    }

    /// The stage after `reading`'s columns before `column`: the next column (its length in
    /// bytes read and checked against the bytes left and its items), or, after the last, the
    /// next line attribute (the one read checked whole).
    fn column(
        &mut self,
        bytes: &(impl Bytes + ?Sized),
        reading: Box<Reading>,
        column: usize,
        lines_left: usize,
    ) -> Result<Stage, Error> {
        let Some(&kind) = Column::ALL.get(column) else {
            let Reading {
                line,
                customers,
                pairs,
            } = *reading;
            let whole = line.starts.len() == customers + 1
                && line.starts.last().map(|&s| s as usize) == Some(pairs)
                && line.codes.len() == pairs
                && line.sales.len() == pairs
                && line.profit.len() == pairs
                && line.orders.len() == pairs;
            if !whole {
                return Err(malformed("line attributes: the columns disagree"));
            }
            self.lines.get_or_insert_with(Vec::new).push(line);
            return Ok(Stage::Lines { left: lines_left });
        };
        let column_bytes = self.length(bytes, 1)?;
        let items = match kind {
            Column::Counts => reading.customers,
            _ => reading.pairs,
        };
        // An item takes a byte at least, and at most `most_bytes`.
        if items > column_bytes || column_bytes > items.saturating_mul(kind.most_bytes()) {
            return Err(malformed("line attributes: a column's length is wrong"));
        }
        let mut reading = reading;
        let line = &mut reading.line;
        match kind {
            Column::Counts => line.starts.push(0),
            Column::Codes => line.codes.reserve_exact(items),
            Column::Sales => line.sales.reserve_exact(items),
            Column::Profit => line.profit.reserve_exact(items),
            Column::Orders => line.orders.reserve_exact(items),
        }
        if items == 0 {
            return self.column(bytes, reading, column + 1, lines_left);
        }
        Ok(Stage::Column {
            reading,
            column,
            left: items,
            bytes: column_bytes,
            lines_left,
        })
    }

    /// A postcard value at the reading position ([`postcard_at`]).
    fn postcard<T: serde::de::DeserializeOwned>(
        &mut self,
        bytes: &(impl Bytes + ?Sized),
    ) -> Result<T, Error> {
        let (value, after) = postcard_at(bytes, self.at, self.end)?;
        self.at = after;
        Ok(value)
    }

    fn byte(&mut self, bytes: &(impl Bytes + ?Sized)) -> Result<u8, Error> {
        if self.at >= self.end {
            return Err(malformed("truncated attributes"));
        }
        let mut byte = [0u8];
        bytes.read_u8(self.at, &mut byte);
        self.at += 1;
        Ok(byte[0])
    }

    /// A sequence's length, no more items than the bytes left can hold at `least` bytes each.
    fn length(&mut self, bytes: &(impl Bytes + ?Sized), least: usize) -> Result<usize, Error> {
        let mut value = 0u64;
        for shift in (0..70).step_by(7) {
            let byte = self.byte(bytes)?;
            if shift == 63 && byte > 1 {
                return Err(malformed("a length too large"));
            }
            value |= u64::from(byte & 0x7F) << shift;
            if byte & 0x80 == 0 {
                let left = self.end - self.at;
                return usize::try_from(value)
                    .ok()
                    .filter(|&n| n.checked_mul(least).is_some_and(|b| b <= left))
                    .ok_or_else(|| malformed("truncated attributes"));
            }
        }
        Err(malformed("a length too long"))
    }

    /// Up to `n` items of column `kind` onto `reading`'s line, from the column's next
    /// `column_bytes` bytes at most (fewer items when the window of bytes copied ends inside
    /// one); how many, and the bytes they took.
    fn items(
        &mut self,
        bytes: &(impl Bytes + ?Sized),
        reading: &mut Reading,
        kind: Column,
        n: usize,
        column_bytes: usize,
    ) -> Result<(usize, usize), Error> {
        if column_bytes > self.end - self.at {
            return Err(malformed("truncated attributes"));
        }
        let most = kind.most_bytes();
        let window = column_bytes.min(n.saturating_mul(most));
        let mut buffer = vec![0u8; window];
        bytes.read_u8(self.at, &mut buffer);
        // An item that may be cut by the window's end is left for the next step, unless the
        // window ends where the column does.
        let whole = if window == column_bytes {
            window
        } else {
            window.saturating_sub(most - 1)
        };
        let (pairs, line) = (reading.pairs, &mut reading.line);
        let mut at = 0;
        // A loop of its own per column: the page's build is optimised for size, and a general
        // item a time took twice as long as the reading of the unpacked columns it replaced.
        let read = match kind {
            Column::Counts => {
                let mut last = u64::from(line.starts.last().copied().unwrap_or(0));
                let mut read = 0;
                while read < n && at < whole {
                    let count = get_varint(&buffer, &mut at).ok_or_else(bad_item)?;
                    let more = || malformed("line attributes: more pairs than said");
                    last = last
                        .checked_add(count)
                        .filter(|&s| s <= pairs as u64)
                        .ok_or_else(more)?;
                    let start = u32::try_from(last).map_err(|_| more())?;
                    line.starts.push(start);
                    read += 1;
                }
                read
            }
            Column::Codes => varints_into(&buffer, &mut at, whole, n, &mut line.codes)?,
            Column::Orders => varints_into(&buffer, &mut at, whole, n, &mut line.orders)?,
            Column::Sales => sums_into(&buffer, &mut at, whole, n, &mut line.sales)?,
            Column::Profit => sums_into(&buffer, &mut at, whole, n, &mut line.profit)?,
        };
        if at > window || (read == 0 && n > 0) {
            // (A window short of the column's end always holds a whole item.)
            return Err(malformed("truncated attributes"));
        }
        self.at += at;
        Ok((read, at))
    }
}

fn bad_item() -> Error {
    malformed("line attributes: a bad item")
}

/// Items decoded into a buffer of the stack before they are appended (a `Vec::push` an item
/// is a call in the page's size-optimised build).
const DECODED_RUN: usize = 256;

/// Up to `n` items that `item` reads from `buffer` at `*at`, each starting before `whole`,
/// onto `out`; how many.
fn items_into<T: Copy + Default>(
    buffer: &[u8],
    at: &mut usize,
    whole: usize,
    n: usize,
    out: &mut Vec<T>,
    item: impl Fn(&[u8], &mut usize) -> Option<T>,
) -> Result<usize, Error> {
    let mut run = [T::default(); DECODED_RUN];
    let (mut read, mut k) = (0, 0);
    while read < n && *at < whole {
        let value = item(buffer, at).ok_or_else(bad_item)?;
        if let Some(slot) = run.get_mut(k) {
            *slot = value;
        }
        k += 1;
        read += 1;
        if k == DECODED_RUN {
            out.extend_from_slice(&run);
            k = 0;
        }
    }
    out.extend_from_slice(run.get(..k).unwrap_or_default());
    Ok(read)
}

/// Up to `n` varint `u32`s onto `out` ([`items_into`]).
fn varints_into(
    buffer: &[u8],
    at: &mut usize,
    whole: usize,
    n: usize,
    out: &mut Vec<u32>,
) -> Result<usize, Error> {
    items_into(buffer, at, whole, n, out, |buffer, at| {
        get_varint(buffer, at).and_then(|v| u32::try_from(v).ok())
    })
}

/// Up to `n` sums ([`get_tagged_value`]) onto `out` ([`items_into`]).
fn sums_into(
    buffer: &[u8],
    at: &mut usize,
    whole: usize,
    n: usize,
    out: &mut Vec<f64>,
) -> Result<usize, Error> {
    items_into(buffer, at, whole, n, out, get_tagged_value)
}

/// A postcard value at `at` of `bytes`, which ends by `end`, and where it ends: a window of
/// the bytes is copied, twice as large each time the value does not fit in it (so the value's
/// bytes are copied about twice at most, and nothing after them much).
pub(super) fn postcard_at<T: serde::de::DeserializeOwned>(
    bytes: &(impl Bytes + ?Sized),
    at: usize,
    end: usize,
) -> Result<(T, usize), Error> {
    let left = end
        .checked_sub(at)
        .filter(|_| end <= bytes.byte_len())
        .ok_or_else(|| malformed("truncated head"))?;
    let mut window = left.min(1 << 12);
    loop {
        let mut buffer = vec![0u8; window];
        bytes.read_u8(at, &mut buffer);
        match postcard::take_from_bytes::<T>(&buffer) {
            Ok((value, after)) => return Ok((value, at + window - after.len())),
            Err(_) if window < left => window = left.min(window.saturating_mul(2)),
            Err(error) => return Err(malformed(&error.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::dimensions::{Attribute, AttributeKind};

    fn read_all(bytes: &[u8], slice: usize) -> Result<Dims, Error> {
        let mut reader = DimsReader::new(0, bytes.len());
        let mut steps = 0;
        while !reader.done() {
            reader.step(bytes, slice)?;
            steps += 1;
            assert!(steps < 100_000, "the steps end");
        }
        Ok(reader.finish())
    }

    /// The attributes' bytes as a frame's head carries them.
    fn written(dims: &Dims) -> Vec<u8> {
        let (attributes, lines) = dims.clone();
        postcard::to_allocvec(&(attributes, lines.map(LinesWire))).unwrap()
    }

    fn line(key: &str, customers: usize, seed: u64) -> LineAttribute {
        let mut next = crate::engine::test_support::xorshift(seed);
        let values: Vec<String> = (0..(3 + seed % 200)).map(|v| format!("品类 {v}")).collect();
        let mut out = LineAttribute {
            key: key.into(),
            kind: seed.is_multiple_of(2).then_some(LineKind::Category),
            name: format!("{key} 列"),
            values,
            starts: vec![0],
            ..LineAttribute::default()
        };
        for _ in 0..customers {
            for _ in 0..next() % 4 {
                out.codes.push((next() % out.values.len() as u64) as u32);
                // Cents, sums that drifted off the cent, and any bits at all.
                out.sales.push(match next() % 3 {
                    0 => (next() % 100_000) as f64 / 100.0 - 50.0,
                    1 => 0.1 + (next() % 1000) as f64 / 100.0 + 0.2,
                    _ => f64::from_bits(next()),
                });
                out.profit.push(f64::from_bits(next()));
                out.orders.push(match next() % 3 {
                    0 => 1,
                    1 => u32::MAX,
                    _ => (next() % 100_000) as u32,
                });
            }
            out.starts.push(out.codes.len() as u32);
        }
        out
    }

    fn attributes(customers: usize) -> CustomerAttributes {
        CustomerAttributes {
            attributes: vec![Attribute {
                key: "region".into(),
                kind: Some(AttributeKind::Region),
                name: "地区".into(),
                values: vec!["华东".into(), "华南".into()],
                codes: (0..customers).map(|i| (i % 2) as u32).collect(),
                changed: 3,
            }],
        }
    }

    /// Attributes of every shape: none, customer attributes only, line attributes only (one,
    /// three, one without pairs), both.
    fn shapes(customers: usize) -> Vec<Dims> {
        vec![
            (None, None),
            (Some(attributes(customers)), None),
            (
                None,
                Some(LineAttributes {
                    lines: vec![line("category", customers, 2)],
                }),
            ),
            (
                Some(attributes(customers)),
                Some(LineAttributes {
                    lines: vec![
                        line("category", customers, 3),
                        line("product", customers, 4),
                        line("sku", 0, 5),
                    ],
                }),
            ),
            (None, Some(LineAttributes { lines: Vec::new() })),
        ]
    }

    /// The reader gives back what was written, at every slice (the numbers to the bit), for
    /// attributes of every shape, whether the pairs were packed before or on the way; a cut
    /// anywhere, or a byte more, is an error.
    #[test]
    fn the_reader_reads_what_the_worker_writes() {
        for dims in shapes(40) {
            let bytes = written(&dims);
            // Packed first, as the import worker sends them: the same bytes.
            let packed: Dims = (dims.0.clone(), dims.1.clone().map(|l| l.into_packed()));
            assert_eq!(written(&packed), bytes);
            if let Some(lines) = &packed.1 {
                assert!(lines.lines.iter().all(|l| l.packed.is_some()));
            }
            for slice in [1, 2, 3, 7, 1000] {
                let read = read_all(&bytes, slice).unwrap();
                assert_eq!(read.0, dims.0);
                let (Some(read), Some(wrote)) = (&read.1, &dims.1) else {
                    assert_eq!(read.1, dims.1);
                    continue;
                };
                assert_eq!(read.lines.len(), wrote.lines.len());
                for (r, w) in read.lines.iter().zip(&wrote.lines) {
                    assert_eq!(
                        (&r.key, &r.kind, &r.name, &r.values, &r.starts, &r.codes, &r.orders),
                        (&w.key, &w.kind, &w.name, &w.values, &w.starts, &w.codes, &w.orders)
                    );
                    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                    assert_eq!(bits(&r.sales), bits(&w.sales));
                    assert_eq!(bits(&r.profit), bits(&w.profit));
                    assert!(r.packed.is_none());
                }
            }
            // Cut anywhere: an error, never a panic or a wrong answer.
            for cut in 0..bytes.len() {
                assert!(
                    read_all(&bytes[..cut], 3).is_err(),
                    "cut at {cut} of {}",
                    bytes.len()
                );
            }
            // A byte more: an error.
            let mut longer = bytes.clone();
            longer.push(0);
            assert!(read_all(&longer, 3).is_err());
        }
    }

    /// Packed pairs are smaller than postcard's columns: cents in three bytes, not eight.
    #[test]
    fn packed_pairs_are_smaller() {
        let mut line = line("category", 500, 8);
        for (i, sales) in line.sales.iter_mut().enumerate() {
            *sales = (i % 70_000) as f64 / 100.0;
        }
        for (i, profit) in line.profit.iter_mut().enumerate() {
            *profit = -((i % 9_000) as f64) / 100.0;
        }
        let lines = Some(LineAttributes { lines: vec![line] });
        let ours = written(&(None, lines.clone()));
        let postcards = postcard::to_allocvec(&(None::<CustomerAttributes>, lines)).unwrap();
        assert!(
            ours.len() * 2 < postcards.len(),
            "{} against {}",
            ours.len(),
            postcards.len()
        );
    }

    /// Damaged bytes (each byte set to 0xFF, or to 0, in turn): an error or attributes that
    /// hold together, never a panic.
    #[test]
    fn damaged_bytes_are_errors_or_whole_attributes() {
        let dims: Dims = (
            Some(attributes(6)),
            Some(LineAttributes {
                lines: vec![line("category", 6, 7)],
            }),
        );
        let bytes = written(&dims);
        for at in 0..bytes.len() {
            for value in [0xFF, 0] {
                let mut damaged = bytes.clone();
                damaged[at] = value;
                if let Ok((_, Some(lines))) = read_all(&damaged, 2) {
                    for line in &lines.lines {
                        let customers = line.starts.len() - 1;
                        assert!(LineAttributes {
                            lines: vec![line.clone()]
                        }
                        .shaped_for(customers));
                    }
                }
            }
        }
    }
}
