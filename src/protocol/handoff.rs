//! The finished import's binary form (导入结果的交接格式).
//!
//! A million-row file gives a few hundred thousand customers, ten million rows close to a million,
//! and the page has to rebuild them as [`Customer`]s. Serde formats walk every value through the
//! serializer and make the page hold the whole message, a copy of it in wasm memory and the
//! decoded table at once. This format is a small postcard head followed by one plain
//! little-endian array per field, each starting on an 8-byte boundary, so:
//!
//! - the worker writes it with bulk copies, straight from the table (no columnar copy first);
//! - the page reads each array through a typed-array view of the received buffer
//!   ([`Bytes`] is implemented over a JS `Uint8Array` in `ui::worker`), a slice of customers
//!   at a time, so it never copies the whole message into wasm memory, and yields to the event
//!   loop between slices ([`DoneDecoder::step`]), so no decoding task blocks the page for long.
//!
//! Layout: `[DONE_TAG, 0 × 7][head length: u64][head: postcard][pad to 8]`, then the sections of
//! [`SECTIONS`] in that order, each padded to 8 bytes.

use serde::{Deserialize, Serialize};

use crate::engine::customers::{Columns, Customer, CustomerTable, MonthTotal};
use crate::engine::error::Error;
use crate::engine::ingest::{ImportReport, RejectedRow};
use crate::engine::monthly::MonthlySales;
use crate::engine::summary::Summary;

use super::DONE_TAG;

/// A finished import as the worker hands it to the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Finished {
    /// Customers, sorted by id.
    pub table: CustomerTable,
    /// What happened.
    pub report: ImportReport,
    /// Rejected rows kept for download.
    pub rejected: Vec<RejectedRow>,
    /// Headline figures (computed in the worker).
    pub summary: Summary,
    /// Net sales per month (computed in the worker).
    pub monthly: Vec<MonthlySales>,
}

/// Everything but the per-customer arrays.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Head {
    report: ImportReport,
    rejected: Vec<RejectedRow>,
    summary: Summary,
    monthly: Vec<MonthlySales>,
    columns: Columns,
    customers: u64,
    months: u64,
    id_bytes: u64,
}

/// Where one section starts, and its element count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    IdEnds,
    Rows,
    Orders,
    Returns,
    Sales,
    Profit,
    Quantity,
    First,
    Last,
    MonthCounts,
    Months,
    MonthSales,
    MonthProfit,
    IdBytes,
}

/// The sections in the order they are written (their declaration order, see `Layout::start`).
const SECTIONS: [Section; 14] = [
    Section::IdEnds,
    Section::Rows,
    Section::Orders,
    Section::Returns,
    Section::Sales,
    Section::Profit,
    Section::Quantity,
    Section::First,
    Section::Last,
    Section::MonthCounts,
    Section::Months,
    Section::MonthSales,
    Section::MonthProfit,
    Section::IdBytes,
];

fn align8(offset: usize) -> usize {
    offset.div_ceil(8) * 8
}

/// Offsets of every section, derived from the head's counts.
#[derive(Debug, Clone, PartialEq)]
struct Layout {
    starts: [usize; SECTIONS.len()],
    end: usize,
}

impl Layout {
    fn new(head_end: usize, customers: usize, months: usize, id_bytes: usize) -> Option<Layout> {
        let mut starts = [0; SECTIONS.len()];
        let mut offset = align8(head_end);
        for (i, section) in SECTIONS.iter().enumerate() {
            starts[i] = offset;
            let (count, width) = match section {
                Section::Sales | Section::Profit | Section::Quantity => (customers, 8),
                Section::MonthSales | Section::MonthProfit => (months, 8),
                Section::Months => (months, 4),
                Section::IdBytes => (id_bytes, 1),
                _ => (customers, 4),
            };
            offset = align8(offset.checked_add(count.checked_mul(width)?)?);
        }
        Some(Layout {
            starts,
            end: offset,
        })
    }

    fn start(&self, section: Section) -> usize {
        // SECTIONS lists the variants in declaration order.
        self.starts[section as usize]
    }
}

/// Read access to an encoded message: a byte slice natively, a received `Uint8Array` on the
/// page. Offsets are in bytes; a typed read's offset is a multiple of the element size (the
/// layout guarantees 8-byte alignment of every section). Callers check bounds first.
pub trait Bytes {
    /// Length in bytes.
    fn byte_len(&self) -> usize;
    /// Copies `out.len()` bytes from `offset`.
    fn read_u8(&self, offset: usize, out: &mut [u8]);
    /// Copies `out.len()` little-endian `u32`s from `offset`.
    fn read_u32(&self, offset: usize, out: &mut [u32]);
    /// Copies `out.len()` little-endian `i32`s from `offset`.
    fn read_i32(&self, offset: usize, out: &mut [i32]);
    /// Copies `out.len()` little-endian `f64`s from `offset`.
    fn read_f64(&self, offset: usize, out: &mut [f64]);
}

impl Bytes for [u8] {
    fn byte_len(&self) -> usize {
        self.len()
    }
    fn read_u8(&self, offset: usize, out: &mut [u8]) {
        if let Some(source) = self.get(offset..offset + out.len()) {
            out.copy_from_slice(source);
        }
    }
    fn read_u32(&self, offset: usize, out: &mut [u32]) {
        if let Some(source) = self.get(offset..offset + out.len() * 4) {
            for (value, bytes) in out.iter_mut().zip(source.chunks_exact(4)) {
                *value = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
            }
        }
    }
    fn read_i32(&self, offset: usize, out: &mut [i32]) {
        if let Some(source) = self.get(offset..offset + out.len() * 4) {
            for (value, bytes) in out.iter_mut().zip(source.chunks_exact(4)) {
                *value = i32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
            }
        }
    }
    fn read_f64(&self, offset: usize, out: &mut [f64]) {
        if let Some(source) = self.get(offset..offset + out.len() * 8) {
            for (value, bytes) in out.iter_mut().zip(source.chunks_exact(8)) {
                let mut word = [0u8; 8];
                word.copy_from_slice(bytes);
                *value = f64::from_le_bytes(word);
            }
        }
    }
}

fn malformed(reason: &str) -> Error {
    Error::Format {
        what: crate::engine::FormatSubject::ImportResult,
        reason: crate::engine::FormatProblem::Handoff {
            detail: reason.into(),
        },
    }
}

use crate::engine::numeric::NO_DAY;

impl Finished {
    /// Encodes as the `Done` message (first byte [`DONE_TAG`]).
    pub fn encode(&self) -> Vec<u8> {
        let customers = &self.table.customers;
        let months: usize = customers.iter().map(|c| c.months.len()).sum();
        let id_bytes: usize = customers.iter().map(|c| c.id.len()).sum();
        let head = Head {
            report: self.report.clone(),
            rejected: self.rejected.clone(),
            summary: self.summary.clone(),
            monthly: self.monthly.clone(),
            columns: self.table.columns,
            customers: customers.len() as u64,
            months: months as u64,
            id_bytes: id_bytes as u64,
        };
        let head_bytes = postcard::to_stdvec(&head).unwrap_or_default();
        let head_end = 16 + head_bytes.len();
        let Some(layout) = Layout::new(head_end, customers.len(), months, id_bytes) else {
            return Vec::new();
        };
        let mut out = vec![0u8; layout.end];
        out[0] = DONE_TAG;
        out[8..16].copy_from_slice(&(head_bytes.len() as u64).to_le_bytes());
        out[16..head_end].copy_from_slice(&head_bytes);
        write_arrays(&mut out, &layout, customers);
        out
    }

    /// Decodes a whole message made by [`Finished::encode`].
    pub fn decode(bytes: &[u8]) -> Result<Finished, Error> {
        let mut decoder = DoneDecoder::new(bytes)?;
        while !decoder.step(bytes, usize::MAX)? {}
        Ok(decoder.finish())
    }
}

/// Writes `bytes` at `offset` (the layout has made room for them).
fn put(out: &mut [u8], offset: usize, bytes: &[u8]) {
    if let Some(target) = out.get_mut(offset..offset + bytes.len()) {
        target.copy_from_slice(bytes);
    }
}

/// Fills every section in one pass over the customers.
fn write_arrays(out: &mut [u8], layout: &Layout, customers: &[Customer]) {
    let start = |section| layout.start(section);
    let (id_ends, rows, orders, returns) = (
        start(Section::IdEnds),
        start(Section::Rows),
        start(Section::Orders),
        start(Section::Returns),
    );
    let (sales, profit, quantity) = (
        start(Section::Sales),
        start(Section::Profit),
        start(Section::Quantity),
    );
    let (first, last, month_counts) = (
        start(Section::First),
        start(Section::Last),
        start(Section::MonthCounts),
    );
    let (months, month_sales, month_profit, id_bytes) = (
        start(Section::Months),
        start(Section::MonthSales),
        start(Section::MonthProfit),
        start(Section::IdBytes),
    );
    let (mut id_end, mut month) = (0usize, 0usize);
    for (i, c) in customers.iter().enumerate() {
        put(out, id_bytes + id_end, c.id.as_bytes());
        id_end += c.id.len();
        put(out, id_ends + 4 * i, &(id_end as u32).to_le_bytes());
        put(out, rows + 4 * i, &c.rows.to_le_bytes());
        put(out, orders + 4 * i, &c.orders.to_le_bytes());
        put(out, returns + 4 * i, &c.returns.to_le_bytes());
        put(out, sales + 8 * i, &c.sales.to_le_bytes());
        put(out, profit + 8 * i, &c.profit.to_le_bytes());
        put(out, quantity + 8 * i, &c.quantity.to_le_bytes());
        put(out, first + 4 * i, &c.first.unwrap_or(NO_DAY).to_le_bytes());
        put(out, last + 4 * i, &c.last.unwrap_or(NO_DAY).to_le_bytes());
        put(
            out,
            month_counts + 4 * i,
            &(c.months.len() as u32).to_le_bytes(),
        );
        for m in &c.months {
            put(out, months + 4 * month, &m.month.to_le_bytes());
            put(out, month_sales + 8 * month, &m.sales.to_le_bytes());
            put(out, month_profit + 8 * month, &m.profit.to_le_bytes());
            month += 1;
        }
    }
}

/// Decodes a `Done` message a slice of customers at a time.
#[derive(Debug)]
pub struct DoneDecoder {
    head: Head,
    layout: Layout,
    customers: Vec<Customer>,
    /// Months decoded so far (the offset of the next customer's months).
    months_done: usize,
    /// End of the previous customer's id in the id bytes.
    id_end: usize,
}

impl DoneDecoder {
    /// Reads the head and checks that the message is as long as its counts say.
    pub fn new(bytes: &(impl Bytes + ?Sized)) -> Result<DoneDecoder, Error> {
        if bytes.byte_len() < 16 {
            return Err(malformed("too short"));
        }
        let mut prefix = [0u8; 16];
        bytes.read_u8(0, &mut prefix);
        if prefix[0] != DONE_TAG {
            return Err(malformed("not a finished import"));
        }
        let mut len = [0u8; 8];
        len.copy_from_slice(&prefix[8..16]);
        let head_len = usize::try_from(u64::from_le_bytes(len)).unwrap_or(usize::MAX);
        if head_len > bytes.byte_len() - 16 {
            return Err(malformed("truncated head"));
        }
        let mut head_bytes = vec![0u8; head_len];
        bytes.read_u8(16, &mut head_bytes);
        let head: Head =
            postcard::from_bytes(&head_bytes).map_err(|e| malformed(&e.to_string()))?;
        let count = |n: u64| usize::try_from(n).map_err(|_| malformed("counts too large"));
        let layout = Layout::new(
            16 + head_len,
            count(head.customers)?,
            count(head.months)?,
            count(head.id_bytes)?,
        )
        .filter(|layout| layout.end <= bytes.byte_len())
        .ok_or_else(|| malformed("truncated arrays"))?;
        let customers = Vec::with_capacity(head.customers as usize);
        Ok(DoneDecoder {
            head,
            layout,
            customers,
            months_done: 0,
            id_end: 0,
        })
    }

    /// Customers in the message.
    pub fn total(&self) -> usize {
        self.head.customers as usize
    }

    /// Customers decoded so far.
    pub fn decoded(&self) -> usize {
        self.customers.len()
    }

    /// Decodes up to `max` more customers; `true` once all are decoded.
    pub fn step(&mut self, bytes: &(impl Bytes + ?Sized), max: usize) -> Result<bool, Error> {
        let first = self.customers.len();
        let n = (self.total() - first).min(max.max(1));
        if n == 0 {
            return Ok(true);
        }
        let at = |section: Section, width: usize| self.layout.start(section) + first * width;
        let mut id_ends = vec![0u32; n];
        bytes.read_u32(at(Section::IdEnds, 4), &mut id_ends);
        let mut month_counts = vec![0u32; n];
        bytes.read_u32(at(Section::MonthCounts, 4), &mut month_counts);
        let (mut rows, mut orders, mut returns) = (vec![0u32; n], vec![0u32; n], vec![0u32; n]);
        bytes.read_u32(at(Section::Rows, 4), &mut rows);
        bytes.read_u32(at(Section::Orders, 4), &mut orders);
        bytes.read_u32(at(Section::Returns, 4), &mut returns);
        let (mut sales, mut profit, mut quantity) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
        bytes.read_f64(at(Section::Sales, 8), &mut sales);
        bytes.read_f64(at(Section::Profit, 8), &mut profit);
        bytes.read_f64(at(Section::Quantity, 8), &mut quantity);
        let (mut first_days, mut last_days) = (vec![0i32; n], vec![0i32; n]);
        bytes.read_i32(at(Section::First, 4), &mut first_days);
        bytes.read_i32(at(Section::Last, 4), &mut last_days);

        // The months and id bytes of these customers, checked against the head's totals.
        let month_total = month_counts
            .iter()
            .try_fold(0usize, |sum, &c| sum.checked_add(c as usize))
            .filter(|&sum| sum <= self.head.months as usize - self.months_done)
            .ok_or_else(|| malformed("month counts exceed the months"))?;
        let id_last = id_ends.last().map_or(self.id_end, |&e| e as usize);
        if id_ends.first().is_some_and(|&e| (e as usize) < self.id_end)
            || id_last > self.head.id_bytes as usize
            || id_ends.windows(2).any(|w| w[1] < w[0])
        {
            return Err(malformed("id offsets out of order"));
        }
        let month_at =
            |section: Section, width: usize| self.layout.start(section) + self.months_done * width;
        let mut month_index = vec![0i32; month_total];
        bytes.read_i32(month_at(Section::Months, 4), &mut month_index);
        let (mut month_sales, mut month_profit) = (vec![0.0; month_total], vec![0.0; month_total]);
        bytes.read_f64(month_at(Section::MonthSales, 8), &mut month_sales);
        bytes.read_f64(month_at(Section::MonthProfit, 8), &mut month_profit);
        let mut id_bytes = vec![0u8; id_last - self.id_end];
        bytes.read_u8(
            self.layout.start(Section::IdBytes) + self.id_end,
            &mut id_bytes,
        );
        let ids = std::str::from_utf8(&id_bytes).map_err(|_| malformed("an id is not UTF-8"))?;

        let day = |d: i32| (d != NO_DAY).then_some(d);
        let (mut id_start, mut month_start) = (0usize, 0usize);
        for i in 0..n {
            let id_end = id_ends[i] as usize - self.id_end;
            let id = ids
                .get(id_start..id_end)
                .ok_or_else(|| malformed("an id is cut inside a character"))?;
            id_start = id_end;
            let month_end = month_start + month_counts[i] as usize;
            let months = (month_start..month_end)
                .map(|j| MonthTotal {
                    month: month_index[j],
                    sales: month_sales[j],
                    profit: month_profit[j],
                })
                .collect();
            month_start = month_end;
            self.customers.push(Customer {
                id: id.to_string(),
                rows: rows[i],
                orders: orders[i],
                returns: returns[i],
                sales: sales[i],
                profit: profit[i],
                quantity: quantity[i],
                first: day(first_days[i]),
                last: day(last_days[i]),
                months,
            });
        }
        self.months_done += month_total;
        self.id_end = id_last;
        Ok(self.customers.len() == self.total())
    }

    /// The decoded import (call once [`DoneDecoder::step`] returned `true`).
    pub fn finish(self) -> Finished {
        let head = self.head;
        Finished {
            table: CustomerTable {
                customers: self.customers,
                columns: head.columns,
            },
            report: head.report,
            rejected: head.rejected,
            summary: head.summary,
            monthly: head.monthly,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ingest::{import_bytes, InspectOptions};
    use crate::engine::sample::{sample_csv, SampleLanguage};

    fn finished(csv: &str) -> Finished {
        let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
        Finished::new(outcome)
    }

    #[test]
    fn sections_are_listed_in_declaration_order() {
        for (i, section) in SECTIONS.iter().enumerate() {
            assert_eq!(*section as usize, i);
        }
    }

    #[test]
    fn round_trips_whole_and_in_slices() {
        let original = finished(&sample_csv(SampleLanguage::Chinese));
        let bytes = original.encode();
        assert_eq!(bytes[0], DONE_TAG);
        assert_eq!(bytes.len() % 8, 0);
        assert_eq!(Finished::decode(&bytes).unwrap(), original);
        for slice in [1, 7, 64, 599, 600] {
            let mut decoder = DoneDecoder::new(bytes.as_slice()).unwrap();
            let mut steps = 0;
            while !decoder.step(bytes.as_slice(), slice).unwrap() {
                steps += 1;
                assert!(decoder.decoded() < decoder.total());
            }
            assert_eq!(steps + 1, 600usize.div_ceil(slice));
            assert_eq!(decoder.finish(), original);
        }
    }

    #[test]
    fn ids_with_any_characters_and_customers_without_dates() {
        let csv = "客户,金额\n\"a,\"\"b\"\"\n c\",1\n客户甲,2\n😀,-3\n";
        let original = finished(csv);
        assert_eq!(original.table.customers.len(), 3);
        assert!(original.table.customers.iter().all(|c| c.first.is_none()));
        assert_eq!(Finished::decode(&original.encode()).unwrap(), original);
    }

    #[test]
    fn damaged_messages_are_errors_not_panics() {
        let bytes = finished(&sample_csv(SampleLanguage::English)).encode();
        for len in [0, 1, 15, 16, 17, 100, bytes.len() / 2, bytes.len() - 1] {
            assert!(Finished::decode(&bytes[..len]).is_err(), "length {len}");
        }
        // Flipped bytes anywhere: an error or a table, never a panic.
        let mut state = 7u64;
        for _ in 0..300 {
            let mut damaged = bytes.clone();
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let at = (state >> 33) as usize % damaged.len();
            damaged[at] ^= 1 + (state >> 7) as u8 % 255;
            let _ = Finished::decode(&damaged);
        }
    }
}
