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
//! Layout: a [frame](super::frame) of kind [`Kind::Done`] whose head is `Head` (postcard)
//! and whose body is the sections of `SECTIONS` in that order, each padded to 8 bytes: the
//! columns of a [`CustomerColumns`], with the ids as their UTF-8 bytes and where each ends;
//! then the purchase-day history ([`PurchaseHistory`]): each customer's record length (`u32`)
//! and all records, with the profit and quantity flags and the byte count in the head. The
//! page keeps the records (the one part of the message it copies whole into wasm memory, a
//! slice of customers at a time) and rebuilds the offsets as prefix sums of the lengths; each
//! customer's records are checked as they arrive (they must decode completely, days rising in
//! the calendar's range), and the lengths must add up to the byte count: a damaged history is an
//! error, never a panic.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::engine::calendar::{Day, Month};
use crate::engine::customers::{
    Columns, CompactString, Customer, CustomerColumns, CustomerTable, FlatCustomers, Months,
};
use crate::engine::dimensions::CustomerAttributes;
use crate::engine::dimensions::LineAttributes;
use crate::engine::error::{Error, FormatSubject};
use crate::engine::history::{Days, PurchaseHistory};
use crate::engine::ingest::{ImportOutcome, ImportReport, RejectedRow};
use crate::engine::monthly::{monthly_sales_flat, MonthlySales};
use crate::engine::summary::{summarize_flat, Summary};

use super::frame::{self, align8, Kind};

mod dims;
use dims::{DimsReader, LinesWire, DIMS_SLICE};

/// A finished import as the worker hands it to the page: the customers as a [`CustomerTable`]
/// (the page's form, and what [`Finished::decode`] gives), or flat in the worker
/// ([`FlatCustomers`], [`Finished::from_flat`]); either writes the same frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Finished<T = CustomerTable> {
    /// Customers, sorted by id.
    pub table: T,
    /// What happened.
    pub report: ImportReport,
    /// Rejected rows kept for download.
    pub rejected: Vec<RejectedRow>,
    /// Headline figures (computed in the worker).
    pub summary: Summary,
    /// Net sales per month (computed in the worker).
    pub monthly: Vec<MonthlySales>,
    /// Every customer's purchase days, in the table's order
    /// ([`ImportOutcome::history`](crate::engine::ingest::ImportOutcome::history)).
    pub history: Option<Arc<PurchaseHistory>>,
    /// Every customer's attributes, in the table's order
    /// ([`ImportOutcome::attributes`](crate::engine::ingest::ImportOutcome::attributes)).
    pub attributes: Option<Arc<CustomerAttributes>>,
    /// Every customer's line attributes, grouped in the table's order
    /// ([`ImportOutcome::lines`](crate::engine::ingest::ImportOutcome::lines)).
    pub lines: Option<Arc<LineAttributes>>,
}

/// The history's columns besides the arrays: its flags and how many record bytes follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct HistoryHead {
    profit: bool,
    quantity: bool,
    bytes: u64,
}

/// Everything but the per-customer arrays: the small part, then the attributes. Postcard
/// writes a struct's fields one after the other, a nested struct's too, so the page reads the
/// small part alone first ([`HeadStart`]) and the attributes later ([`Dims`]): at 10M rows with
/// a line attribute they are 8 million pairs, 0.4 s of decoding.
#[derive(Debug, Serialize)]
struct Head {
    start: HeadStart,
    /// The customer attributes, whole: their dictionaries and a code per customer (postcard
    /// writes a code in one to five bytes; two attributes of a million customers are a few MB).
    attributes: Option<CustomerAttributes>,
    /// The line attributes, whole: their dictionaries and the (customer, value) pairs, packed
    /// ([`LinesWire`]: a few bytes a pair).
    lines: Option<LinesWire>,
}

/// [`Head`]'s small part, which the page reads at once ([`DoneDecoder::new`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct HeadStart {
    report: ImportReport,
    rejected: Vec<RejectedRow>,
    summary: Summary,
    monthly: Vec<MonthlySales>,
    columns: Columns,
    customers: u64,
    months: u64,
    id_bytes: u64,
    /// The purchase-day history, when it travels (then a length per customer and `bytes`
    /// record bytes follow the customers).
    history: Option<HistoryHead>,
}

/// [`Head`]'s last fields: the customer and line attributes.
type Dims = (Option<CustomerAttributes>, Option<LineAttributes>);

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
    HistoryLengths,
    HistoryBytes,
}

/// The sections in the order they are written (their declaration order, see `Layout::start`).
const SECTIONS: [Section; 16] = [
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
    Section::HistoryLengths,
    Section::HistoryBytes,
];

/// Offsets of every section, derived from the head's counts.
#[derive(Debug, Clone, PartialEq)]
struct Layout {
    starts: [usize; SECTIONS.len()],
    end: usize,
}

impl Layout {
    fn new(
        body: usize,
        customers: usize,
        months: usize,
        id_bytes: usize,
        history_bytes: Option<usize>,
    ) -> Option<Layout> {
        let mut starts = [0; SECTIONS.len()];
        let mut offset = align8(body);
        for (i, section) in SECTIONS.iter().enumerate() {
            starts[i] = offset;
            let (count, width) = match section {
                Section::Sales | Section::Profit | Section::Quantity => (customers, 8),
                Section::MonthSales | Section::MonthProfit => (months, 8),
                Section::Months => (months, 4),
                Section::IdBytes => (id_bytes, 1),
                Section::HistoryLengths => (history_bytes.map_or(0, |_| customers), 4),
                Section::HistoryBytes => (history_bytes.unwrap_or(0), 1),
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

/// Customers written per pass: their columns are gathered (a megabyte or so), then copied into
/// the frame a column at a time.
const ENCODE_SLICE: usize = 8_192;

impl Finished {
    /// Encodes as the `Done` frame of import `generation` (a copy of the table is taken; the
    /// worker uses [`Finished::into_frame`]).
    pub fn encode(&self, generation: u64) -> Vec<u8> {
        self.clone().into_frame(generation)
    }

    /// Encodes as the `Done` frame of import `generation`, taking the customers apart as they
    /// are written, a slice at a time, so the table and the frame are not held twice over.
    pub fn into_frame(self, generation: u64) -> Vec<u8> {
        self.write_frame(generation, |len| vec![0u8; len])
            .unwrap_or_default()
    }

    /// Writes the `Done` frame of import `generation` into the sink `make` gives for the
    /// frame's exact length (zeroed: the padding is left as it is), a section or a slice of
    /// customers at a time, taking the customers apart as they are written and letting the
    /// history go once it is: the worker writes straight into a JS buffer, so the frame never
    /// sits in its wasm memory, and never exists twice. `None` when the head cannot be encoded.
    /// One layout, the same bytes whatever the sink ([`Finished::into_frame`] is this into a
    /// `Vec`).
    pub fn write_frame<S: FrameSink>(
        self,
        generation: u64,
        make: impl FnOnce(usize) -> S,
    ) -> Option<S> {
        let (mut rest, table) = self.split();
        let customers = &table.customers;
        rest.history = travelling(rest.history.take(), customers.len());
        // With purchase days the months are theirs: the page reads them from the days.
        let months_sent = rest.history.is_none();
        let counts = Counts {
            columns: table.columns,
            customers: customers.len(),
            months: match months_sent {
                true => customers.iter().map(|c| c.months.len()).sum(),
                false => 0,
            },
            id_bytes: customers.iter().map(|c| c.id.len()).sum(),
        };
        rest.write_frame_with(generation, make, counts, |writer| {
            let mut slice =
                CustomerColumns::with_capacity(table.columns, ENCODE_SLICE.min(counts.customers));
            for mut customer in table.customers {
                if !months_sent {
                    customer.months = Months::default();
                }
                slice.push(customer);
                if slice.len() == ENCODE_SLICE {
                    writer.write(&slice);
                    slice.clear();
                }
            }
            writer.write(&slice);
        })
    }

    /// Decodes a whole message made by [`Finished::encode`].    /// Decodes a whole message made by [`Finished::encode`].
    pub fn decode(bytes: &[u8]) -> Result<Finished, Error> {
        let mut decoder = DoneDecoder::new(bytes)?;
        while !decoder.step(bytes, usize::MAX)? {}
        Ok(decoder.finish())
    }
}

impl Finished<FlatCustomers> {
    /// Packs an import outcome whose customers are flat, computing the derived figures (in
    /// the worker): the same as [`Finished::new`] of the same customers as a table.
    pub fn from_flat(outcome: ImportOutcome<FlatCustomers>) -> Self {
        let summary = summarize_flat(&outcome.table, &outcome.report);
        let monthly = monthly_sales_flat(&outcome.table, outcome.history.as_deref());
        Finished::packed(outcome, summary, monthly)
    }

    /// [`Finished::write_frame`] of flat customers: the same bytes as for the same customers
    /// as a table, written column by column with no customer built.
    pub fn write_frame<S: FrameSink>(
        self,
        generation: u64,
        make: impl FnOnce(usize) -> S,
    ) -> Option<S> {
        let (rest, flat) = self.split();
        let counts = Counts {
            columns: flat.figures.columns,
            customers: flat.len(),
            months: flat.figures.months.len(),
            id_bytes: flat.id_text.len(),
        };
        rest.write_frame_with(generation, make, counts, |writer| writer.write_flat(&flat))
    }

    /// [`Finished::into_frame`] of flat customers.
    pub fn into_frame(self, generation: u64) -> Vec<u8> {
        self.write_frame(generation, |len| vec![0u8; len])
            .unwrap_or_default()
    }

    /// The frame, from a copy.
    pub fn encode(&self, generation: u64) -> Vec<u8> {
        self.clone().into_frame(generation)
    }
}

impl Finished {
    /// The same, with the customers flat as the import worker gives them: without their months
    /// when they are those of the purchase days that travel with them (their monthly series
    /// kept instead).
    pub fn into_flat(self) -> Finished<FlatCustomers> {
        let (rest, mut table) = self.split();
        let travels = travelling(rest.history.clone(), table.customers.len()).is_some();
        if travels {
            for customer in &mut table.customers {
                customer.months = Months::default();
            }
        }
        let mut flat = FlatCustomers::from_table(table);
        flat.monthly = travels.then(|| rest.monthly.clone());
        Finished::packed(
            ImportOutcome {
                table: flat,
                report: rest.report,
                rejected: rest.rejected,
                history: rest.history,
                attributes: rest.attributes,
                // Packed, as the import worker hands them over.
                lines: rest
                    .lines
                    .map(|lines| Arc::new(Arc::unwrap_or_clone(lines).into_packed())),
            },
            rest.summary,
            rest.monthly,
        )
    }
}

impl<T> Finished<T> {
    /// An import outcome with its derived figures.
    pub(crate) fn packed(
        outcome: ImportOutcome<T>,
        summary: Summary,
        monthly: Vec<MonthlySales>,
    ) -> Self {
        Finished {
            table: outcome.table,
            report: outcome.report,
            rejected: outcome.rejected,
            summary,
            monthly,
            history: outcome.history,
            attributes: outcome.attributes,
            lines: outcome.lines,
        }
    }

    /// The customers, and everything else.
    fn split(self) -> (Finished<()>, T) {
        let Finished {
            table,
            report,
            rejected,
            summary,
            monthly,
            history,
            attributes,
            lines,
        } = self;
        let outcome = ImportOutcome {
            table: (),
            report,
            rejected,
            history,
            attributes,
            lines,
        };
        (Finished::packed(outcome, summary, monthly), table)
    }
}

/// The history, when it travels in a `Done` frame of `customers` customers: when it has an
/// entry per customer whose lengths fit the `u32`s (a customer's days in the calendar's range
/// take far less).
fn travelling(
    history: Option<Arc<PurchaseHistory>>,
    customers: usize,
) -> Option<Arc<PurchaseHistory>> {
    history.filter(|h| {
        let (_, _, starts, _) = h.parts();
        h.len() == customers
            && starts
                .windows(2)
                .all(|w| u32::try_from(w[1].saturating_sub(w[0])).is_ok())
    })
}

impl Finished<()> {
    /// Writes a `Done` frame for customers of these `counts`, which `customers` writes.
    fn write_frame_with<S: FrameSink>(
        self,
        generation: u64,
        make: impl FnOnce(usize) -> S,
        counts: Counts,
        customers: impl FnOnce(&mut Writer<'_, S>),
    ) -> Option<S> {
        let Counts {
            columns,
            customers: count,
            months,
            id_bytes,
        } = counts;
        let history = travelling(self.history, count);
        let history_head = history.as_ref().map(|h| {
            let (profit, quantity, _, bytes) = h.parts();
            HistoryHead {
                profit,
                quantity,
                bytes: bytes.len() as u64,
            }
        });
        let head = Head {
            start: HeadStart {
                report: self.report,
                rejected: self.rejected,
                summary: self.summary,
                monthly: self.monthly,
                columns,
                customers: count as u64,
                months: months as u64,
                id_bytes: id_bytes as u64,
                history: history_head,
            },
            // Only attributes that fit the table travel.
            attributes: self
                .attributes
                .filter(|a| a.fits(count))
                .map(Arc::unwrap_or_clone),
            // Only line attributes that fit the table travel.
            lines: self
                .lines
                .filter(|l| l.fits(count))
                .map(Arc::unwrap_or_clone)
                .map(LinesWire),
        };
        // The prefix and the head, padded to where the body starts; the head written in
        // pieces, straight into the sink.
        let head_len = postcard::experimental::serialized_size(&head).ok()?;
        let layout = Layout::new(
            align8(frame::PREFIX + head_len),
            count,
            months,
            id_bytes,
            history_head.map(|h| h.bytes as usize),
        )?;
        let mut sink = make(layout.end);
        frame::write_head(&mut sink, Kind::Done, generation, &head, head_len).ok()?;
        drop(head);
        let mut writer = Writer {
            sink: &mut sink,
            layout: &layout,
            scratch: Vec::new(),
            customers: 0,
            months: 0,
            ids: 0,
            id_end: 0,
        };
        customers(&mut writer);
        if let Some(history) = history {
            writer.write_history(&history);
            // Its memory goes now, when the frame held the only reference.
            drop(history);
        }
        Some(sink)
    }
}

/// What the head and the layout of a `Done` frame need to know of its customers.
#[derive(Debug, Clone, Copy)]
struct Counts {
    columns: Columns,
    customers: usize,
    months: usize,
    id_bytes: usize,
}

/// Where a `Done` frame is written ([`Finished::write_frame`]): a zeroed buffer of the frame's
/// length, written a piece at a time. A `Vec` natively; the worker's is a JS `Uint8Array`.
pub trait FrameSink {
    /// Copies `bytes` to `offset` (the layout has made room for them).
    fn write_at(&mut self, offset: usize, bytes: &[u8]);
}

impl FrameSink for Vec<u8> {
    fn write_at(&mut self, offset: usize, bytes: &[u8]) {
        if let Some(target) = offset
            .checked_add(bytes.len())
            .and_then(|end| self.get_mut(offset..end))
        {
            target.copy_from_slice(bytes);
        }
    }
}

/// Record lengths of the history written per piece.
const HISTORY_LENGTHS_SLICE: usize = 65_536;

/// Record bytes of the history written per piece.
const HISTORY_BYTES_SLICE: usize = 4 << 20;

/// Writes slices of customers one after another into a `Done` frame, then the history.
struct Writer<'a, S: FrameSink> {
    sink: &'a mut S,
    layout: &'a Layout,
    /// A section's bytes for one slice, before they go to the sink.
    scratch: Vec<u8>,
    /// Customers written so far (their figures).
    customers: usize,
    /// Months written so far.
    months: usize,
    /// Ids written so far.
    ids: usize,
    /// End of the last id written, in the id bytes.
    id_end: usize,
}

/// Values of a column copied into the frame per piece (a flat table is written whole).
const PUT_SLICE: usize = 65_536;

impl<S: FrameSink> Writer<'_, S> {
    /// Writes `values` at `offset`, `N` little-endian bytes each.
    fn put<T: Copy, const N: usize>(
        &mut self,
        offset: usize,
        values: &[T],
        bytes: impl Fn(T) -> [u8; N],
    ) {
        for (i, piece) in values.chunks(PUT_SLICE).enumerate() {
            self.scratch.clear();
            self.scratch.reserve(piece.len() * N);
            for &value in piece {
                self.scratch.extend_from_slice(&bytes(value));
            }
            self.sink
                .write_at(offset + i * PUT_SLICE * N, &self.scratch);
        }
    }

    /// Writes a slice of customers (after those written so far).
    fn write(&mut self, c: &CustomerColumns) {
        self.write_ids(c.ids.iter().map(CompactString::as_str));
        self.write_figures(c);
    }

    /// Writes flat customers (all of them) as [`Writer::write`] writes them as columns.
    fn write_flat(&mut self, flat: &FlatCustomers) {
        let mut start = 0;
        while start < flat.len() {
            let end = (start + ENCODE_SLICE).min(flat.len());
            self.write_ids((start..end).map(|i| flat.id(i)));
            start = end;
        }
        self.write_figures(&flat.figures);
    }

    /// Writes ids after those written so far: their bytes and where each ends.
    fn write_ids<'s>(&mut self, ids: impl Iterator<Item = &'s str>) {
        let layout = self.layout;
        let ids_at = layout.start(Section::IdBytes) + self.id_end;
        let ends_at = layout.start(Section::IdEnds) + self.ids * 4;
        let mut ends = Vec::new();
        self.scratch.clear();
        for id in ids {
            self.scratch.extend_from_slice(id.as_bytes());
            self.id_end += id.len();
            ends.push(u32::try_from(self.id_end).unwrap_or(u32::MAX));
        }
        self.sink.write_at(ids_at, &self.scratch);
        self.ids += ends.len();
        self.put(ends_at, &ends, u32::to_le_bytes);
    }

    /// Writes every column of `c` but its ids, after the customers and months written so far.
    fn write_figures(&mut self, c: &CustomerColumns) {
        let (i, m) = (self.customers, self.months);
        let layout = self.layout;
        let at =
            |section: Section, index: usize, width: usize| layout.start(section) + index * width;
        self.put(at(Section::Rows, i, 4), &c.rows, u32::to_le_bytes);
        self.put(at(Section::Orders, i, 4), &c.orders, u32::to_le_bytes);
        self.put(at(Section::Returns, i, 4), &c.returns, u32::to_le_bytes);
        self.put(at(Section::Sales, i, 8), &c.sales, f64::to_le_bytes);
        self.put(at(Section::Profit, i, 8), &c.profit, f64::to_le_bytes);
        self.put(at(Section::Quantity, i, 8), &c.quantity, f64::to_le_bytes);
        self.put(at(Section::First, i, 4), &c.first, |d| {
            d.epoch_days().to_le_bytes()
        });
        self.put(at(Section::Last, i, 4), &c.last, |d| {
            d.epoch_days().to_le_bytes()
        });
        self.put(
            at(Section::MonthCounts, i, 4),
            &c.month_counts,
            u32::to_le_bytes,
        );
        self.put(at(Section::Months, m, 4), &c.months, |m| {
            m.index().to_le_bytes()
        });
        self.put(
            at(Section::MonthSales, m, 8),
            &c.month_sales,
            f64::to_le_bytes,
        );
        self.put(
            at(Section::MonthProfit, m, 8),
            &c.month_profit,
            f64::to_le_bytes,
        );
        self.customers += c.rows.len();
        self.months += c.months.len();
    }

    /// Writes the history's sections: the record lengths, then the records, a piece at a time.
    fn write_history(&mut self, history: &PurchaseHistory) {
        let (_, _, starts, bytes) = history.parts();
        let mut at = self.layout.start(Section::HistoryLengths);
        let customers = starts.len().saturating_sub(1);
        let mut lengths = Vec::with_capacity(HISTORY_LENGTHS_SLICE.min(customers));
        for first in (0..customers).step_by(HISTORY_LENGTHS_SLICE) {
            let last = (first + HISTORY_LENGTHS_SLICE).min(customers);
            lengths.clear();
            lengths.extend(
                starts
                    .get(first..=last)
                    .unwrap_or_default()
                    .windows(2)
                    .map(|w| u32::try_from(w[1].saturating_sub(w[0])).unwrap_or(u32::MAX)),
            );
            self.put(at, &lengths, u32::to_le_bytes);
            at += 4 * lengths.len();
        }
        let at = self.layout.start(Section::HistoryBytes);
        for (i, piece) in bytes.chunks(HISTORY_BYTES_SLICE).enumerate() {
            self.sink.write_at(at + i * HISTORY_BYTES_SLICE, piece);
        }
    }
}

/// The attributes of a [`DoneDecoder`]: being read, or read.
#[derive(Debug)]
enum DimsStage {
    Reading(Box<DimsReader>),
    Read(Dims),
}

/// Decodes a `Done` frame a slice of customers at a time.
#[derive(Debug)]
pub struct DoneDecoder {
    head: HeadStart,
    /// The attributes (the head's bytes after [`HeadStart`]), read by the first steps, a slice
    /// of their line attributes' pairs a step; then what was read.
    dims: DimsStage,
    layout: Layout,
    customers: Vec<Customer>,
    /// Months decoded so far (the offset of the next customer's months).
    months_done: usize,
    /// End of the previous customer's id in the id bytes.
    id_end: usize,
    /// Where each decoded customer's purchase days start in `history_bytes`, and where the last
    /// one ends (with a history).
    history_starts: Vec<u64>,
    /// The purchase-day records of the customers decoded so far.
    history_bytes: Vec<u8>,
}

impl DoneDecoder {
    /// Reads the head and checks that the message is as long as its counts say.
    pub fn new(bytes: &(impl Bytes + ?Sized)) -> Result<DoneDecoder, Error> {
        match frame::peek(bytes) {
            Ok((Kind::Done, _)) => {}
            Ok(_) => return Err(malformed("not a finished import")),
            Err(_) => return Err(malformed("too short")),
        }
        let (head_start, head_end) = frame::head_range(bytes, FormatSubject::ImportResult)
            .map_err(|_| malformed("truncated head"))?;
        let body = align8(head_end);
        // The small part of the head now; the attributes after it by the first steps, read
        // where they are.
        let (head, dims_at) = dims::postcard_at::<HeadStart>(bytes, head_start, head_end)?;
        let dims = DimsStage::Reading(Box::new(DimsReader::new(dims_at, head_end)));
        let count = |n: u64| usize::try_from(n).map_err(|_| malformed("counts too large"));
        let history_bytes = match head.history {
            Some(history) => Some(count(history.bytes)?),
            None => None,
        };
        let layout = Layout::new(
            body,
            count(head.customers)?,
            count(head.months)?,
            count(head.id_bytes)?,
            history_bytes,
        )
        .filter(|layout| layout.end <= bytes.byte_len())
        .ok_or_else(|| malformed("truncated arrays"))?;
        if head.customers == 0 && history_bytes.is_some_and(|b| b > 0) {
            return Err(malformed("purchase days without customers"));
        }
        // The room for the customers and their purchase days is taken by the first step, not
        // here: the page reads the head at once, while the ended import worker's memory is
        // still being given back, and decodes the customers a moment later.
        let history_starts = match history_bytes {
            Some(_) => vec![0],
            None => Vec::new(),
        };
        Ok(DoneDecoder {
            head,
            dims,
            layout,
            customers: Vec::new(),
            months_done: 0,
            id_end: 0,
            history_starts,
            history_bytes: Vec::new(),
        })
    }

    /// Customers in the message.
    pub fn total(&self) -> usize {
        self.head.customers as usize
    }

    /// What the page can show before any customer is decoded: the headline figures, the
    /// monthly sales, the import's report and its rejected rows, with a table of the message's
    /// columns and no customers, and no purchase days or attributes.
    pub fn head(&self) -> Finished {
        Finished {
            table: CustomerTable {
                customers: Vec::new(),
                columns: self.head.columns,
            },
            report: self.head.report.clone(),
            rejected: self.head.rejected.clone(),
            summary: self.head.summary.clone(),
            monthly: self.head.monthly.clone(),
            history: None,
            attributes: None,
            lines: None,
        }
    }

    /// Customers decoded so far.
    pub fn decoded(&self) -> usize {
        self.customers.len()
    }

    /// Decodes up to `max` more customers; `true` once all are decoded.
    pub fn step(&mut self, bytes: &(impl Bytes + ?Sized), max: usize) -> Result<bool, Error> {
        if let DimsStage::Reading(reader) = &mut self.dims {
            // The attributes first, in steps of their own.
            reader.step(bytes, DIMS_SLICE)?;
            if !reader.done() {
                return Ok(false);
            }
            if let DimsStage::Reading(reader) =
                std::mem::replace(&mut self.dims, DimsStage::Read((None, None)))
            {
                self.dims = DimsStage::Read(self.checked(reader.finish())?);
            }
            if self.total() > 0 {
                return Ok(false);
            }
        }
        let first = self.customers.len();
        let n = (self.total() - first).min(max.max(1));
        if n == 0 {
            return Ok(true);
        }
        if first == 0 {
            // Bounded by the message's length (checked by `new`).
            self.customers.reserve_exact(self.total());
            if let Some(history) = self.head.history {
                self.history_starts.reserve_exact(self.total());
                self.history_bytes
                    .reserve_exact(usize::try_from(history.bytes).unwrap_or(0));
            }
        }
        let at = |section: Section, width: usize| self.layout.start(section) + first * width;
        let mut c = CustomerColumns {
            columns: self.head.columns,
            rows: vec![0; n],
            orders: vec![0; n],
            returns: vec![0; n],
            sales: vec![0.0; n],
            profit: vec![0.0; n],
            quantity: vec![0.0; n],
            month_counts: vec![0; n],
            ..CustomerColumns::default()
        };
        let mut id_ends = vec![0u32; n];
        bytes.read_u32(at(Section::IdEnds, 4), &mut id_ends);
        bytes.read_u32(at(Section::MonthCounts, 4), &mut c.month_counts);
        bytes.read_u32(at(Section::Rows, 4), &mut c.rows);
        bytes.read_u32(at(Section::Orders, 4), &mut c.orders);
        bytes.read_u32(at(Section::Returns, 4), &mut c.returns);
        bytes.read_f64(at(Section::Sales, 8), &mut c.sales);
        bytes.read_f64(at(Section::Profit, 8), &mut c.profit);
        bytes.read_f64(at(Section::Quantity, 8), &mut c.quantity);
        // Read as the integers they are stored as; the collects reuse the buffers.
        let (mut first, mut last) = (vec![0i32; n], vec![0i32; n]);
        bytes.read_i32(at(Section::First, 4), &mut first);
        bytes.read_i32(at(Section::Last, 4), &mut last);
        c.first = first.into_iter().map(Day::from_epoch_days).collect();
        c.last = last.into_iter().map(Day::from_epoch_days).collect();

        // The months and id bytes of these customers, checked against the head's totals.
        let month_total = c
            .month_counts
            .iter()
            .try_fold(0usize, |sum, &count| sum.checked_add(count as usize))
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
        let mut months = vec![0i32; month_total];
        c.month_sales = vec![0.0; month_total];
        c.month_profit = vec![0.0; month_total];
        bytes.read_i32(month_at(Section::Months, 4), &mut months);
        c.months = months.into_iter().map(Month::from_index).collect();
        bytes.read_f64(month_at(Section::MonthSales, 8), &mut c.month_sales);
        bytes.read_f64(month_at(Section::MonthProfit, 8), &mut c.month_profit);
        let mut id_bytes = vec![0u8; id_last - self.id_end];
        bytes.read_u8(
            self.layout.start(Section::IdBytes) + self.id_end,
            &mut id_bytes,
        );
        let ids = std::str::from_utf8(&id_bytes).map_err(|_| malformed("an id is not UTF-8"))?;
        c.ids.reserve(n);
        let mut id_start = 0usize;
        for &end in &id_ends {
            let id_end = end as usize - self.id_end;
            let id = ids
                .get(id_start..id_end)
                .ok_or_else(|| malformed("an id is cut inside a character"))?;
            c.ids.push(id.into());
            id_start = id_end;
        }
        if let Some(history) = self.head.history {
            self.step_history(bytes, self.customers.len(), n, history)?;
        }
        c.append_customers_to(&mut self.customers)
            .map_err(|_| malformed("columns of different lengths"))?;
        self.months_done += month_total;
        self.id_end = id_last;
        Ok(self.customers.len() == self.total())
    }

    /// The attributes read from the end of the head, checked to fit the customers.
    fn checked(&self, dims: Dims) -> Result<Dims, Error> {
        let (attributes, lines) = dims;
        let customers = self.total();
        if attributes.as_ref().is_some_and(|a| !a.fits(customers)) {
            return Err(malformed("attributes that do not fit the customers"));
        }
        if lines.as_ref().is_some_and(|l| !l.fits(customers)) {
            return Err(malformed("line attributes that do not fit the customers"));
        }
        Ok((attributes, lines))
    }

    /// Reads the purchase days of customers `first..first + n`: their record lengths, then
    /// their records, each checked to decode completely; with the last customer, checks that
    /// the lengths add up to the byte count of the head.
    fn step_history(
        &mut self,
        bytes: &(impl Bytes + ?Sized),
        first: usize,
        n: usize,
        history: HistoryHead,
    ) -> Result<(), Error> {
        let mut lengths = vec![0u32; n];
        bytes.read_u32(
            self.layout.start(Section::HistoryLengths) + first * 4,
            &mut lengths,
        );
        let from = self.history_bytes.len();
        let room = usize::try_from(history.bytes)
            .ok()
            .and_then(|total| total.checked_sub(from));
        let slice_bytes = lengths
            .iter()
            .try_fold(0usize, |sum, &length| sum.checked_add(length as usize))
            .filter(|&sum| room.is_some_and(|room| sum <= room))
            .ok_or_else(|| malformed("purchase-day lengths exceed the bytes"))?;
        self.history_bytes.resize(from + slice_bytes, 0);
        if let Some(out) = self.history_bytes.get_mut(from..) {
            bytes.read_u8(self.layout.start(Section::HistoryBytes) + from, out);
        }
        let mut start = from;
        for &length in &lengths {
            let end = start + length as usize;
            let records = self.history_bytes.get(start..end).unwrap_or_default();
            if !Days::of_records(records, history.profit, history.quantity).check_to_end() {
                return Err(malformed("purchase days that do not decode"));
            }
            self.history_starts.push(end as u64);
            start = end;
        }
        let last = first + n == self.total();
        if last && self.history_bytes.len() as u64 != history.bytes {
            return Err(malformed(
                "purchase-day lengths that do not add up to the bytes",
            ));
        }
        Ok(())
    }

    /// The decoded import (call once [`DoneDecoder::step`] returned `true`).
    pub fn finish(self) -> Finished {
        let head = self.head;
        let (attributes, lines) = match self.dims {
            DimsStage::Read(dims) => dims,
            DimsStage::Reading(_) => (None, None),
        };
        // Every customer's records were checked as they came, and the offsets are their
        // lengths' prefix sums from 0 to the byte count.
        let history = head.history.map(|h| {
            Arc::new(PurchaseHistory::from_checked_parts(
                h.profit,
                h.quantity,
                self.history_starts,
                self.history_bytes,
            ))
        });
        let mut customers = self.customers;
        // Months sent beside purchase days are kept (no import sends both); without them,
        // every customer's months are its days'.
        if let (Some(history), 0) = (&history, head.months) {
            for (index, customer) in customers.iter_mut().enumerate() {
                customer.months = Months::of_days(history.clone(), index);
            }
        }
        Finished {
            attributes: attributes.map(Arc::new),
            lines: lines.map(Arc::new),
            table: CustomerTable {
                customers,
                columns: head.columns,
            },
            report: head.report,
            rejected: head.rejected,
            summary: head.summary,
            monthly: head.monthly,
            history,
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

    /// The import worker finishes its customers flat: its frame is the frame of the same
    /// import finished as a table, byte for byte, whatever the file (dimensions, a summary
    /// file, no dates, no order ids, rejected rows, months out of order, an empty id list).
    #[test]
    fn the_flat_frame_is_the_table_frame() {
        let files = [
            sample_csv(SampleLanguage::Chinese),
            sample_csv(SampleLanguage::English),
            "客户编号,订单编号,订单日期,金额,利润,数量,省份,品类\nC2,O1,2024-03-05,10,1,2,浙江,茶\nC1,O2,2024-01-06,20,2,,,咖啡\nC2,O3,2024-01-01,-5,-1,1,江苏,茶\nC2,O1,2024-03-05,7.5,0.5,1,浙江,水\nC3,O4,2024-02-30,1,1,1,上海,茶\n".to_string(),
            "customer,amount\nb,1\na,2\nb,3\n,4\n".to_string(),
            "customer_id,orders,sales,first_purchase,last_purchase\nK1,3,300,2024-01-02,2024-05-01\nK2,1,50,2024-02-02,2024-02-02\n".to_string(),
        ];
        for (k, csv) in files.iter().enumerate() {
            let options = InspectOptions::default();
            let preview = crate::engine::ingest::inspect(csv.as_bytes(), true, &options).unwrap();
            let import = || {
                let mut importer =
                    crate::engine::ingest::Importer::new(preview.settings()).unwrap();
                importer.push(csv.as_bytes());
                importer
            };
            let table = Finished::new(import().finish().unwrap());
            let flat = Finished::from_flat(import().finish_flat().unwrap());
            assert_eq!(flat.summary, table.summary, "file {k}");
            assert_eq!(flat.monthly, table.monthly, "file {k}");
            let bytes = table.clone().into_frame(k as u64);
            assert_eq!(flat.encode(k as u64), bytes, "file {k}");
            assert_eq!(Finished::decode(&bytes).unwrap(), table, "file {k}");
            assert_eq!(table.into_flat(), flat, "file {k}");
        }
    }

    /// Issue 20: the customer attributes travel with the customers, their codes parallel to
    /// the table; a frame whose attributes do not fit its customers is refused.
    #[test]
    fn customer_attributes_round_trip() {
        let csv = "客户编号,订单日期,金额,省份,业务员\nC2,2024-01-05,10,浙江,张三\nC1,2024-01-06,20,,李四\nC2,2024-02-01,5,江苏,张三\n";
        let original = finished(csv);
        let attributes = original.attributes.as_deref().unwrap();
        assert_eq!(attributes.attributes.len(), 2);
        let bytes = original.encode(3);
        let decoded = Finished::decode(&bytes).unwrap();
        assert_eq!(decoded, original);
        let region = decoded
            .attributes
            .as_deref()
            .unwrap()
            .get("region")
            .unwrap();
        assert_eq!((region.value_of(0), region.value_of(1)), ("", "江苏"));
        assert_eq!(region.changed, 1);
        for slice in [1, 2] {
            let mut decoder = DoneDecoder::new(bytes.as_slice()).unwrap();
            while !decoder.step(bytes.as_slice(), slice).unwrap() {}
            assert_eq!(decoder.finish().attributes, original.attributes);
        }
        // Codes for another number of customers are not sent; a code naming no value neither.
        let mut broken = (*original.attributes.clone().unwrap()).clone();
        broken.attributes[0].codes.push(0);
        let unfit = Finished {
            attributes: Some(Arc::new(broken)),
            ..original.clone()
        };
        assert_eq!(Finished::decode(&unfit.encode(3)).unwrap().attributes, None);
        let (outcome, _, _) = decoded.into_parts();
        assert!(outcome.customer_attributes().is_some());
    }

    /// Issue 20: the line attributes travel with the customers, their pairs grouped in the
    /// table's order; a frame whose pairs do not fit its customers is refused.
    #[test]
    fn line_attributes_round_trip() {
        let csv = "客户编号,订单编号,金额,品类,产品\nC2,O1,10,饮料,可乐\nC1,O2,20,零食,薯片\nC2,O1,5,零食,薯片\nC2,O3,-3,饮料,可乐\n";
        let original = finished(csv);
        let lines = original.lines.as_deref().unwrap();
        assert_eq!(lines.lines.len(), 2);
        let category = lines.get("category").unwrap();
        let drinks = category.code_of("饮料").unwrap();
        let pairs: Vec<_> = category.pairs_of(1).collect();
        let drink = pairs.iter().find(|p| p.code == drinks).unwrap();
        assert_eq!((drink.sales, drink.orders), (7.0, 2));
        let bytes = original.encode(3);
        let decoded = Finished::decode(&bytes).unwrap();
        assert_eq!(decoded, original);
        for slice in [1, 2] {
            let mut decoder = DoneDecoder::new(bytes.as_slice()).unwrap();
            while !decoder.step(bytes.as_slice(), slice).unwrap() {}
            assert_eq!(decoder.finish().lines, original.lines);
        }
        // Pairs grouped for another number of customers are not sent.
        let mut broken = (*original.lines.clone().unwrap()).clone();
        broken.lines[0].starts.push(4);
        let unfit = Finished {
            lines: Some(Arc::new(broken)),
            ..original.clone()
        };
        assert_eq!(Finished::decode(&unfit.encode(3)).unwrap().lines, None);
        // A damaged frame is an error, never a panic.
        for cut in [bytes.len() / 2, bytes.len() - 1] {
            assert!(Finished::decode(bytes.get(..cut).unwrap()).is_err());
        }
        let (outcome, _, _) = decoded.into_parts();
        assert!(outcome.line_attributes().is_some());
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
        // The sample's purchase days travel: one entry per customer, thousands of days.
        let history = original.history.as_deref().unwrap();
        assert_eq!(history.len(), 600);
        assert!(history.day_count() > 4_000);
        let bytes = original.encode(5);
        assert_eq!(bytes[0], Kind::Done as u8);
        assert_eq!(frame::peek(bytes.as_slice()).unwrap(), (Kind::Done, 5));
        assert_eq!(bytes.len() % 8, 0);
        assert_eq!(Finished::decode(&bytes).unwrap(), original);
        for slice in [1, 7, 64, 599, 600] {
            let mut decoder = DoneDecoder::new(bytes.as_slice()).unwrap();
            let mut steps = 0;
            while !decoder.step(bytes.as_slice(), slice).unwrap() {
                steps += 1;
                assert!(decoder.decoded() < decoder.total());
            }
            // A step for the attributes, then one per slice of customers.
            assert_eq!(steps, 600usize.div_ceil(slice));
            let decoded = decoder.finish();
            assert_eq!(decoded.history.as_deref(), Some(history));
            assert!(decoded
                .history
                .as_deref()
                .is_some_and(PurchaseHistory::check));
            assert_eq!(decoded, original);
        }
        // Without a history (a hand-off of data that has none), none comes back.
        let without = Finished {
            history: None,
            ..original.clone()
        };
        let bytes = without.encode(5);
        assert_eq!(Finished::decode(&bytes).unwrap(), without);
    }

    /// Ids are kept in the customer record up to 12 bytes in wasm and 24 natively, allocated
    /// beyond: ids at and around both lengths, ASCII and with three-byte characters across
    /// them, come out of the import and through the hand-off (whole and a customer a step) as
    /// the file wrote them, in byte order, none lost, the same id twice one customer.
    #[test]
    fn ids_of_every_length_around_the_inline_limits_come_through() {
        let mut ids: Vec<String> = Vec::new();
        for len in [1usize, 11, 12, 13, 23, 24, 25, 40] {
            ids.push("k".repeat(len));
            // "客" is 3 bytes: one ASCII byte and then characters crossing the limit.
            ids.push(format!("k{}", "客".repeat(len / 3 + 1)));
        }
        let mut csv = String::from("customer,order,date,amount\n");
        for (n, id) in ids.iter().enumerate() {
            csv.push_str(&format!("{id},o{n},2024-01-0{},{}.5\n", 1 + n % 9, n + 1));
        }
        let original = finished(&csv);
        // Some lengths give the same id twice: each is one customer.
        let mut expected = ids.clone();
        expected.sort();
        expected.dedup();
        assert!(expected.len() < ids.len());
        let got: Vec<&str> = (original.table.customers.iter())
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(got, expected);
        let bytes = original.encode(1);
        for slice in [1, usize::MAX] {
            let mut decoder = DoneDecoder::new(bytes.as_slice()).unwrap();
            while !decoder.step(bytes.as_slice(), slice).unwrap() {}
            assert_eq!(decoder.finish(), original, "slice {slice}");
        }
    }

    /// The head the page paints first is the finished import's, without customers, at any
    /// point of the decoding.
    #[test]
    fn the_head_is_the_result_without_its_customers() {
        let mut csv = sample_csv(SampleLanguage::Chinese);
        // Rejected rows travel in the head too.
        csv.push_str("C0001,SO9,2023-02-30,10,1,1\nC0002,SO10,2023-03-01,abc,1,1\n");
        let original = finished(&csv);
        assert_eq!(original.rejected.len(), 2);
        assert!(!original.monthly.is_empty());
        let bytes = original.encode(9);
        let mut decoder = DoneDecoder::new(bytes.as_slice()).unwrap();
        let expected = Finished {
            table: CustomerTable {
                customers: Vec::new(),
                columns: original.table.columns,
            },
            history: None,
            attributes: None,
            lines: None,
            ..original.clone()
        };
        assert_eq!(decoder.head(), expected);
        while !decoder.step(bytes.as_slice(), 100).unwrap() {
            assert_eq!(decoder.head(), expected);
        }
        assert_eq!(decoder.head(), expected);
        assert_eq!(decoder.finish(), original);
    }

    /// Where the history's sections of a frame start.
    fn history_sections(bytes: &[u8]) -> (usize, usize) {
        let decoder = DoneDecoder::new(bytes).unwrap();
        let layout = &decoder.layout;
        (
            layout.start(Section::HistoryLengths),
            layout.start(Section::HistoryBytes),
        )
    }

    fn length_at(bytes: &[u8], at: usize) -> u32 {
        u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
    }

    #[test]
    fn damaged_purchase_days_are_errors_not_panics() {
        let original = finished(&sample_csv(SampleLanguage::English));
        let bytes = original.encode(1);
        let (lengths, records) = history_sections(&bytes);
        let customers = original.table.customers.len();
        let set = |bytes: &mut Vec<u8>, customer: usize, length: u32| {
            let at = lengths + 4 * customer;
            bytes[at..at + 4].copy_from_slice(&length.to_le_bytes());
        };
        let first = length_at(&bytes, lengths);
        let last = length_at(&bytes, lengths + 4 * (customers - 1));
        type Damage<'a> = Box<dyn Fn(&mut Vec<u8>) + 'a>;
        let cases: Vec<(&str, Damage<'_>)> = vec![
            (
                "one length a byte longer",
                Box::new(move |b| set(b, customers - 1, last + 1)),
            ),
            (
                "the lengths a byte short",
                Box::new(move |b| set(b, customers - 1, last - 1)),
            ),
            (
                "a byte moved between customers",
                Box::new(move |b| {
                    set(b, 0, first + 1);
                    set(b, customers - 1, last - 1);
                }),
            ),
            (
                "a length beyond everything",
                Box::new(move |b| set(b, 3, u32::MAX)),
            ),
            // Continuation bits on every byte of the first customer's records: a varint that
            // runs past them.
            (
                "malformed varints",
                Box::new(move |b| {
                    b[records..records + first as usize].fill(0xff);
                }),
            ),
            (
                "a day repeated",
                Box::new(move |b| {
                    // The day gap (a one-byte varint ≥ 1) of the second record of the first
                    // customer with two days less than 128 days apart, made 0.
                    let history = original.history.as_deref().unwrap();
                    let (profit, quantity, starts, all) = history.parts();
                    let customer = (0..history.len())
                        .find(|&i| {
                            let days: Vec<_> = history.days(i).take(2).collect();
                            days.len() == 2
                                && days[1].day.epoch_days() - days[0].day.epoch_days() < 128
                        })
                        .unwrap();
                    let one = PurchaseHistory::from_days(
                        profit,
                        quantity,
                        &[history.days(customer).take(1).collect()],
                    );
                    let at = starts[customer] as usize + one.record_bytes();
                    assert!(all[at] > 0 && all[at] < 0x80);
                    b[records + at] = 0;
                }),
            ),
        ];
        for (name, damage) in cases {
            let mut damaged = bytes.clone();
            damage(&mut damaged);
            assert_ne!(damaged, bytes, "{name}");
            let error = Finished::decode(&damaged).unwrap_err();
            assert!(
                matches!(
                    error,
                    Error::Format {
                        what: FormatSubject::ImportResult,
                        ..
                    }
                ),
                "{name}: {error:?}"
            );
            // In slices too.
            let mut decoder = DoneDecoder::new(damaged.as_slice()).unwrap();
            let failed = loop {
                match decoder.step(damaged.as_slice(), 64) {
                    Ok(true) => break false,
                    Ok(false) => {}
                    Err(_) => break true,
                }
            };
            assert!(failed, "{name}");
        }
        // Cut inside the records: the layout no longer fits.
        assert!(DoneDecoder::new(&bytes[..records + 10]).is_err());
    }

    #[test]
    fn more_customers_than_one_written_slice() {
        let mut csv = Vec::new();
        crate::engine::sample::write_orders(&mut csv, 120_000, 3 * ENCODE_SLICE as u64, 3).unwrap();
        let outcome = import_bytes(&csv, &InspectOptions::default()).unwrap();
        assert!(outcome.table.customers.len() > 2 * ENCODE_SLICE);
        let original = Finished::new(outcome);
        let bytes = original.encode(2);
        assert_eq!(Finished::decode(&bytes).unwrap(), original);
        // The history arrives as the worker had it, also when the frame held its only copy.
        let history = original.history.as_deref().cloned();
        let only = Finished {
            history: history.clone().map(Arc::new),
            ..original.clone()
        };
        let decoded = Finished::decode(&only.into_frame(2)).unwrap();
        assert_eq!(decoded.history.as_deref(), history.as_ref());
        assert_eq!(original.clone().into_frame(2), bytes);
    }

    /// A sink that keeps every piece apart, as the worker's JS buffer receives them.
    struct Pieces {
        len: usize,
        pieces: Vec<(usize, Vec<u8>)>,
    }

    impl FrameSink for Pieces {
        fn write_at(&mut self, offset: usize, bytes: &[u8]) {
            self.pieces.push((offset, bytes.to_vec()));
        }
    }

    #[test]
    fn a_frame_written_in_pieces_is_the_frame_in_a_vec() {
        let mut csv = Vec::new();
        crate::engine::sample::write_orders(&mut csv, 60_000, 3 * ENCODE_SLICE as u64, 5).unwrap();
        let outcome = import_bytes(&csv, &InspectOptions::default()).unwrap();
        for original in [
            Finished::new(outcome),
            finished(&sample_csv(SampleLanguage::Chinese)),
        ] {
            assert!(original.history.is_some());
            let whole = original.clone().into_frame(4);
            let written = original
                .write_frame(4, |len| Pieces {
                    len,
                    pieces: Vec::new(),
                })
                .unwrap();
            assert_eq!(written.len, whole.len());
            // Every piece inside the frame, none over another, none bigger than a slice.
            let mut pieces = written.pieces;
            pieces.sort_by_key(|&(offset, _)| offset);
            for pair in pieces.windows(2) {
                assert!(pair[0].0 + pair[0].1.len() <= pair[1].0);
            }
            assert!(pieces
                .iter()
                .all(|(offset, bytes)| offset + bytes.len() <= written.len
                    && bytes.len() <= HISTORY_BYTES_SLICE));
            // Laid into a zeroed buffer, they are the frame's bytes.
            let mut rebuilt = vec![0u8; written.len];
            for (offset, bytes) in &pieces {
                rebuilt[*offset..offset + bytes.len()].copy_from_slice(bytes);
            }
            assert_eq!(rebuilt, whole);
        }
    }

    #[test]
    fn ids_with_any_characters_and_customers_without_dates() {
        let csv = "客户,金额\n\"a,\"\"b\"\"\n c\",1\n客户甲,2\n😀,-3\n";
        let original = finished(csv);
        assert_eq!(original.table.customers.len(), 3);
        assert!(original.table.customers.iter().all(|c| c.first.is_none()));
        assert_eq!(Finished::decode(&original.encode(1)).unwrap(), original);
    }

    #[test]
    fn damaged_messages_are_errors_not_panics() {
        let bytes = finished(&sample_csv(SampleLanguage::English)).encode(1);
        for len in [
            0,
            1,
            15,
            16,
            17,
            23,
            24,
            25,
            100,
            bytes.len() / 2,
            bytes.len() - 1,
        ] {
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
