//! The head's attributes ([`Dims`]) read a slice at a time. They are postcard (written by the
//! worker with the rest of the head), and with a line attribute at ten million rows they are
//! 8.3 million (customer, value) pairs: `postcard::from_bytes` took 370 ms of the page's thread
//! in one task. [`DimsReader`] reads the same bytes, the customer attributes and each line
//! attribute's names and values with postcard, then each line attribute's five columns by hand
//! (postcard writes a `Vec` as its length, a varint, then its items: a `u32` as a varint, an
//! `f64` as its 8 little-endian bytes), [`DIMS_SLICE`] items a step. A test checks it against
//! `postcard::from_bytes` on attributes of every shape, and that cut or damaged bytes are
//! errors.

use crate::engine::dimensions::{CustomerAttributes, LineAttribute, LineAttributes, LineKind};
use crate::engine::error::Error;

use super::{malformed, Bytes, Dims};

/// Items of a line attribute's columns one [`DimsReader::step`] reads at most.
pub(super) const DIMS_SLICE: usize = if cfg!(test) { 3 } else { 1 << 19 };

/// The column of a line attribute being read, in the struct's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Starts,
    Codes,
    Sales,
    Profit,
    Orders,
}

impl Column {
    const ALL: [Column; 5] = [
        Column::Starts,
        Column::Codes,
        Column::Sales,
        Column::Profit,
        Column::Orders,
    ];

    /// Bytes an item takes at least (a varint one, an `f64` eight).
    fn least_bytes(self) -> usize {
        match self {
            Column::Sales | Column::Profit => 8,
            _ => 1,
        }
    }
}

/// Where the reading stands.
#[derive(Debug)]
enum Stage {
    /// Nothing read.
    Start,
    /// `left` line attributes to read after the ones done.
    Lines { left: usize },
    /// A line attribute's column `column` (of [`Column::ALL`]), `left` items of it to read.
    Column {
        line: Box<LineAttribute>,
        column: usize,
        left: usize,
        lines_left: usize,
    },
    /// Every byte read.
    Done,
}

/// [`Dims`] from their postcard bytes in a frame, a slice of a line attribute's columns a step,
/// each step copying only the bytes it reads (the frame stays in the page's JavaScript buffer:
/// at ten million rows with a category the attributes are 170 MB, which a copy into wasm
/// memory took 90 ms to allocate and more to fill).
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
    /// [`Error::Format`] for bytes that are not postcard [`Dims`].
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
                let line = Box::new(LineAttribute {
                    key,
                    kind,
                    name,
                    values,
                    ..LineAttribute::default()
                });
                self.column(bytes, line, 0, left - 1)?
            }
            Stage::Column {
                mut line,
                column,
                left,
                lines_left,
            } => {
                let take = left.min(max.max(1));
                let took = match Column::ALL.get(column) {
                    Some(Column::Starts) => self.varints(bytes, &mut line.starts, take)?,
                    Some(Column::Codes) => self.varints(bytes, &mut line.codes, take)?,
                    Some(Column::Sales) => self.floats(bytes, &mut line.sales, take)?,
                    Some(Column::Profit) => self.floats(bytes, &mut line.profit, take)?,
                    Some(Column::Orders) => self.varints(bytes, &mut line.orders, take)?,
                    None => return Err(malformed("line attributes: no such column")),
                };
                if took < left {
                    Stage::Column {
                        line,
                        column,
                        left: left - took,
                        lines_left,
                    }
                } else {
                    self.column(bytes, line, column + 1, lines_left)?
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

    /// The stage after `line`'s columns before `column`: the next column (its length read and
    /// checked against the bytes left), or the next line attribute.
    fn column(
        &mut self,
        bytes: &(impl Bytes + ?Sized),
        line: Box<LineAttribute>,
        column: usize,
        lines_left: usize,
    ) -> Result<Stage, Error> {
        let Some(&kind) = Column::ALL.get(column) else {
            self.lines.get_or_insert_with(Vec::new).push(*line);
            return Ok(Stage::Lines { left: lines_left });
        };
        let left = self.length(bytes, kind.least_bytes())?;
        let mut line = line;
        match kind {
            Column::Starts => line.starts.reserve_exact(left),
            Column::Codes => line.codes.reserve_exact(left),
            Column::Sales => line.sales.reserve_exact(left),
            Column::Profit => line.profit.reserve_exact(left),
            Column::Orders => line.orders.reserve_exact(left),
        }
        Ok(Stage::Column {
            line,
            column,
            left,
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

    /// Up to `n` varint `u32`s onto `out` (fewer when the window of bytes copied ends inside
    /// one); how many.
    fn varints(
        &mut self,
        bytes: &(impl Bytes + ?Sized),
        out: &mut Vec<u32>,
        n: usize,
    ) -> Result<usize, Error> {
        let left = self.end - self.at;
        let window = left.min(n.saturating_mul(5));
        let mut buffer = vec![0u8; window];
        bytes.read_u8(self.at, &mut buffer);
        // A varint that may be cut by the window's end is left for the next step, unless the
        // window ends where the attributes do.
        let whole = if window == left {
            window
        } else {
            window.saturating_sub(4)
        };
        let mut at = 0;
        let mut read = 0;
        while read < n && at < whole {
            let mut value = 0u32;
            let mut shift = 0;
            loop {
                let byte = *buffer
                    .get(at)
                    .ok_or_else(|| malformed("truncated attributes"))?;
                at += 1;
                if shift == 28 && byte > 0x0F {
                    return Err(malformed("a number too large"));
                }
                value |= u32::from(byte & 0x7F) << shift;
                if byte & 0x80 == 0 {
                    break;
                }
                shift += 7;
            }
            out.push(value);
            read += 1;
        }
        if read == 0 && n > 0 {
            // (A window short of the attributes' end always holds a whole varint.)
            return Err(malformed("truncated attributes"));
        }
        self.at += at;
        Ok(read)
    }

    /// `n` little-endian `f64`s onto `out`; `n`.
    fn floats(
        &mut self,
        bytes: &(impl Bytes + ?Sized),
        out: &mut Vec<f64>,
        n: usize,
    ) -> Result<usize, Error> {
        if n.checked_mul(8).is_none_or(|len| len > self.end - self.at) {
            return Err(malformed("truncated attributes"));
        }
        // As bytes: postcard does not align them, and the page's typed-array views need it.
        let mut buffer = vec![0u8; 8 * n];
        bytes.read_u8(self.at, &mut buffer);
        out.extend(
            buffer
                .chunks_exact(8)
                .map(|b| f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])),
        );
        self.at += 8 * n;
        Ok(n)
    }
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

    fn read_all(bytes: &[u8]) -> Result<Dims, Error> {
        let mut reader = DimsReader::new(0, bytes.len());
        let mut steps = 0;
        while !reader.done() {
            reader.step(bytes, DIMS_SLICE)?;
            steps += 1;
            assert!(steps < 10_000, "the steps end");
        }
        Ok(reader.finish())
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
                out.sales.push((next() % 100_000) as f64 / 100.0 - 50.0);
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

    /// The reader gives what `postcard::from_bytes` gives, at every slice, for attributes of
    /// every shape: none, customer attributes only, line attributes only (one, three, one
    /// without pairs), both.
    #[test]
    fn the_reader_reads_what_postcard_reads() {
        let customers = 40;
        let shapes: Vec<Dims> = vec![
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
        ];
        for dims in shapes {
            let bytes = postcard::to_allocvec(&dims).unwrap();
            let expected: Dims = postcard::from_bytes(&bytes).unwrap();
            assert_eq!(read_all(&bytes).unwrap(), expected);
            // Cut anywhere: an error, never a panic or a wrong answer.
            for cut in 0..bytes.len() {
                assert!(
                    read_all(&bytes[..cut]).is_err(),
                    "cut at {cut} of {}",
                    bytes.len()
                );
            }
            // A byte more: an error.
            let mut longer = bytes.clone();
            longer.push(0);
            assert!(read_all(&longer).is_err());
        }
    }

    /// Damaged bytes (each byte set to 0xFF in turn): an error or what postcard reads, never a
    /// panic.
    #[test]
    fn damaged_bytes_are_errors_or_postcards_reading() {
        let dims: Dims = (
            Some(attributes(6)),
            Some(LineAttributes {
                lines: vec![line("category", 6, 7)],
            }),
        );
        let bytes = postcard::to_allocvec(&dims).unwrap();
        for at in 0..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[at] = 0xFF;
            let ours = read_all(&damaged);
            let theirs: Result<Dims, _> = postcard::from_bytes(&damaged);
            if let Ok(ours) = ours {
                assert_eq!(Ok(ours), theirs.map_err(|_| ()), "byte {at}");
            }
        }
    }
}
