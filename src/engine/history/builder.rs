//! Building the purchase-day history while the import streams (购买日历史的构建).
//!
//! The aggregator calls [`HistoryBuilder::add`] for every dated row with the customer's slot
//! (its place in order of appearance) and its *open* day ([`OpenDay`], kept with the rest of
//! the customer, so a row touches no other memory), whose sums the row adds to; a row of
//! another day closes it: the closed day goes to a log, as a compact record
//! (slot, day, count, purchase flag, amounts: about 12 bytes) in chunks of [`CHUNK`] bytes, so
//! the log is written front to back and never copied as it grows. [`HistoryBuilder::finish`]
//! groups the log by customer (in the customer table's order), sorts each customer's days, adds
//! up a day met in several runs (rows out of date order, or the two halves of a split import),
//! counts the orders first seen each day from the aggregator's order log, and encodes the
//! result ([`PurchaseHistory`]).
//!
//! Orders: the builder counts rows *without* an order id per day (every row, without an order
//! column); the orders with an id are counted at the end from the (order key, day) pairs the
//! aggregator logged, each key once, on the day of its first pair (its first line in the file).

use super::*;
use crate::engine::calendar::NO_DAY;
use crate::engine::customers::{Columns, OrderFirsts};

/// Bytes per chunk of the closed-day log.
const CHUNK: usize = 1 << 20;

/// The most bytes one log record takes: slot, length, day, header, count and three amounts
/// (an amount takes at most two varints).
const MAX_LOG_RECORD: usize =
    4 + 1 + encoding::MAX_VARINT + 1 + encoding::MAX_VARINT + 6 * encoding::MAX_VARINT;

/// The flag of a purchase line in [`OpenDay::count`].
const PURCHASE_BIT: u32 = 1 << 31;

/// A customer's open day: the sums of its rows of `day` so far.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OpenDay {
    /// The day, or [`NO_DAY`] when none is open.
    day: Day,
    /// Rows without an order id, with [`PURCHASE_BIT`] set when a line was not a return.
    count: u32,
    sales: f64,
    profit: f64,
    quantity: f64,
}

impl OpenDay {
    /// No day open.
    pub(crate) const NONE: OpenDay = OpenDay {
        day: NO_DAY,
        count: 0,
        sales: 0.0,
        profit: 0.0,
        quantity: 0.0,
    };

    /// Adds a row's amounts to the sums alone: a customer's totals, kept here when the data has
    /// no dates (see `engine::customers`).
    #[inline]
    pub(crate) fn add_to_sums(&mut self, amount: f64, profit: Option<f64>, quantity: Option<f64>) {
        self.sales += amount;
        if let Some(profit) = profit {
            self.profit += profit;
        }
        if let Some(quantity) = quantity {
            self.quantity += quantity;
        }
    }

    /// The sales, profit and quantity added up.
    pub(crate) fn sums(&self) -> [f64; 3] {
        [self.sales, self.profit, self.quantity]
    }

    fn body(&self) -> Body {
        Body {
            count: self.count & !PURCHASE_BIT,
            purchase: self.count & PURCHASE_BIT != 0,
            sales: self.sales,
            profit: self.profit,
            quantity: self.quantity,
        }
    }
}

/// The closed days, as records in chunks.
#[derive(Debug, Default)]
struct Log {
    chunks: Vec<Vec<u8>>,
    current: Vec<u8>,
}

impl Log {
    /// Appends a record: the slot (4 bytes), the length of the rest (1 byte), the day (zig-zag
    /// varint) and the body ([`put_body`]), so that grouping moves records without decoding them.
    fn push(&mut self, slot: u32, day: Day, body: &Body, profit: bool, quantity: bool) {
        if self.current.capacity() - self.current.len() < MAX_LOG_RECORD {
            let full = std::mem::replace(&mut self.current, Vec::with_capacity(CHUNK));
            if !full.is_empty() {
                self.chunks.push(full);
            }
        }
        self.current.extend_from_slice(&slot.to_le_bytes());
        let length_at = self.current.len();
        self.current.push(0);
        put_signed(&mut self.current, i64::from(day.epoch_days()));
        put_body(&mut self.current, body, profit, quantity);
        let length = self.current.len() - length_at - 1;
        if let Some(cell) = self.current.get_mut(length_at) {
            // At most MAX_LOG_RECORD - 5 < 256.
            *cell = length as u8;
        }
    }

    /// All chunks, oldest first.
    fn into_chunks(mut self) -> Vec<Vec<u8>> {
        if !self.current.is_empty() {
            self.chunks.push(self.current);
        }
        self.chunks
    }
}

/// One log record read back: the slot, and where its length byte and the rest lie.
fn read_record(chunk: &[u8], at: &mut usize) -> Option<(u32, std::ops::Range<usize>)> {
    let slot = u32::from_le_bytes(chunk.get(*at..*at + 4)?.try_into().ok()?);
    let start = *at + 4;
    let length = usize::from(*chunk.get(start)?);
    let end = start + 1 + length;
    (end <= chunk.len()).then_some(())?;
    *at = end;
    Some((slot, start..end))
}

/// How the orders with an id are counted at the end.
#[derive(Debug)]
pub(crate) enum OrderLog {
    /// None have an id (no order column, or a part whose keys travel separately).
    None,
    /// The first day of every customer's distinct orders, by slot, from the aggregator's order
    /// log.
    Firsts(OrderFirsts),
}

/// Builds a [`PurchaseHistory`] row by row (see the module docs).
#[derive(Debug, Default)]
pub(crate) struct HistoryBuilder {
    /// The data has dates: without, nothing is kept.
    dated: bool,
    profit: bool,
    quantity: bool,
    /// Closed days.
    log: Log,
    /// One more than the largest slot met.
    slots: usize,
}

impl HistoryBuilder {
    /// A builder for data with these columns.
    pub(crate) fn new(columns: Columns) -> Self {
        HistoryBuilder {
            dated: columns.date,
            profit: columns.profit,
            quantity: columns.quantity,
            ..Default::default()
        }
    }

    /// Whether it gathers purchase days (the data has dates and the history was asked for).
    pub(crate) fn is_dated(&self) -> bool {
        self.dated
    }

    /// Adds one dated row of the customer in `slot`, whose open day is `open`: `keyed` when
    /// it has an order id.
    #[inline]
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn add(
        &mut self,
        open: &mut OpenDay,
        slot: u32,
        day: Day,
        keyed: bool,
        amount: f64,
        profit: Option<f64>,
        quantity: Option<f64>,
    ) {
        if !self.dated {
            return;
        }
        if open.day != day {
            self.close(slot, open);
            open.day = day;
        }
        open.count += u32::from(!keyed);
        if amount >= 0.0 {
            open.count |= PURCHASE_BIT;
        }
        open.add_to_sums(amount, profit, quantity);
    }

    /// Closes the open day of the customer in `slot` (at the end, or before another part's
    /// days are added, which come from rows after these).
    pub(crate) fn close(&mut self, slot: u32, open: &mut OpenDay) {
        // Without dates the record's sums are the customer's (see `engine::customers`).
        if !self.dated {
            return;
        }
        if open.day != NO_DAY {
            let body = open.body();
            self.log
                .push(slot, open.day, &body, self.profit, self.quantity);
            self.slots = self.slots.max(slot as usize + 1);
        }
        *open = OpenDay::NONE;
    }

    /// Adds the days of customer `index` of a part ([`HistoryBuilder::into_part`]) to the
    /// customer in `slot` here. Close every open day first.
    pub(crate) fn absorb_customer(&mut self, slot: u32, part: &PurchaseHistory, index: usize) {
        if !self.dated {
            return;
        }
        self.slots = self.slots.max(slot as usize + 1);
        for day in part.days(index) {
            let body = Body {
                count: day.orders,
                purchase: day.purchase,
                sales: day.sales,
                profit: day.profit,
                quantity: day.quantity,
            };
            self.log
                .push(slot, day.day, &body, self.profit, self.quantity);
        }
    }

    /// The days gathered so far, customer by customer in slot order (`slots` customers), with
    /// the rows without an order id as each day's `orders`: what a part of a split import
    /// carries; the orders with an id travel with the part's order keys.
    pub(crate) fn into_part(self, slots: usize) -> PurchaseHistory {
        let order: Vec<u32> = (0..u32::try_from(slots).unwrap_or(u32::MAX)).collect();
        let places = self.places(&order, OrderLog::None);
        self.finish(places)
    }

    /// Where each customer goes (its place in `order`, the slots in the customer table's
    /// order), with the first days of its orders with an id.
    pub(crate) fn places(&self, order: &[u32], orders: OrderLog) -> Places {
        let slots = self
            .slots
            .max(order.iter().map(|&s| s as usize + 1).max().unwrap_or(0));
        let mut place_of = vec![u32::MAX; if self.dated { slots } else { 0 }];
        for (place, &slot) in (0u32..).zip(order) {
            if let Some(cell) = place_of.get_mut(slot as usize) {
                *cell = place;
            }
        }
        let firsts = match orders {
            OrderLog::Firsts(firsts) if self.dated => Some((firsts, order.to_vec())),
            _ => None,
        };
        Places {
            count: order.len(),
            place_of,
            firsts,
        }
    }

    /// The history of the customers placed by [`HistoryBuilder::places`]; every open day must
    /// have been closed ([`HistoryBuilder::close`]).
    pub(crate) fn finish(self, places: Places) -> PurchaseHistory {
        let (profit, quantity) = (self.profit, self.quantity);
        if !self.dated {
            return PurchaseHistory {
                profit,
                quantity,
                ..PurchaseHistory::undated(places.count)
            };
        }
        let chunks = self.log.into_chunks();
        let Places {
            count,
            place_of,
            firsts,
        } = places;
        let buckets = bucket(chunks, &place_of, count);
        crate::engine::mark("history: bucketed");
        drop(place_of);
        let total: usize = buckets.records.iter().map(Vec::len).sum();

        let mut history = PurchaseHistory {
            profit,
            quantity,
            starts: Vec::with_capacity(count + 1),
            bytes: Vec::with_capacity(total),
        };
        crate::engine::mark("history: bytes reserved");
        let mut days: Vec<Gathered> = Vec::new();
        // One bucket's records grouped by place, and where each place's start.
        let mut grouped: Vec<u8> = Vec::new();
        let mut starts: Vec<usize> = Vec::new();
        // The first days of each place's orders in the bucket, looked up before it is built.
        let mut bucket_firsts: Vec<&[Day]> = Vec::new();
        let shift = buckets.shift;
        for (index, records) in buckets.records.into_iter().enumerate() {
            let first_place = (index << shift).min(count);
            let end_place = ((index + 1) << shift).min(count);
            group_bucket(
                &records,
                first_place,
                end_place - first_place,
                &mut grouped,
                &mut starts,
            );
            // The bucket's memory goes as the history grows.
            drop(records);
            // The orders' first days lie by slot, all over memory, where the places come in id
            // order: looked up for the whole bucket first (loads that do not wait on one
            // another), then their first day read, so that the misses overlap (at ten million
            // rows, one after the other, they were a tenth of the finish).
            bucket_firsts.clear();
            if let Some((firsts, slots)) = &firsts {
                bucket_firsts.extend(
                    slots
                        .get(first_place..end_place)
                        .unwrap_or_default()
                        .iter()
                        .map(|&slot| firsts.of(slot)),
                );
                let touched = bucket_firsts.iter().fold(0i32, |sum, first| {
                    sum.wrapping_add(first.first().map_or(0, |d| d.epoch_days()))
                });
                std::hint::black_box(touched);
            }
            for local in 0..end_place - first_place {
                history.starts.push(history.bytes.len() as u64);
                let records = match (starts.get(local), starts.get(local + 1)) {
                    (Some(&start), Some(&end)) => grouped.get(start..end).unwrap_or_default(),
                    _ => &[],
                };
                gather(records, profit, quantity, &mut days);
                let first = bucket_firsts.get(local).copied().unwrap_or_default();
                count_orders(first, &mut days);
                let mut previous = None;
                for gathered in &days {
                    match gathered.values {
                        Values::Stored { header, ref bytes } => {
                            let values = records.get(bytes.clone()).unwrap_or_default();
                            history.push_stored_day(
                                previous,
                                gathered.day,
                                gathered.count,
                                header,
                                values,
                            );
                        }
                        Values::Summed(body) => history.push_day(
                            previous,
                            &PurchaseDay {
                                day: gathered.day,
                                orders: gathered.count,
                                purchase: body.purchase,
                                sales: body.sales,
                                profit: body.profit,
                                quantity: body.quantity,
                            },
                        ),
                    }
                    previous = Some(gathered.day);
                }
            }
        }
        history.starts.push(history.bytes.len() as u64);
        history.bytes.shrink_to_fit();
        history
    }
}

/// Buckets of places in the first step of the counting sort by place: `1 << BUCKET_BITS`.
const BUCKET_BITS: u32 = 7;

/// A slot whose customer has no place (in no bucket).
const NO_BUCKET: u8 = u8::MAX;

/// The log's records in buckets of neighbouring places ([`bucket`]).
struct Buckets {
    /// Places per bucket, as a shift: bucket `b` holds places `b << shift..(b + 1) << shift`.
    shift: u32,
    /// Each bucket's records, as (place: 4 bytes, length: 1 byte, day and body), in log order.
    records: Vec<Vec<u8>>,
}

/// The records of the log (length, day and body each, with the place of their customer,
/// `place_of[slot]`, instead of the slot; [`u32::MAX`] for none: dropped) in 128 buckets of
/// neighbouring places, in log order in each: the first step of a counting sort by place, whose
/// second step ([`group_bucket`]) takes one bucket (a few hundred kilobytes) at a time, so its
/// writes stay in the processor's caches, and each bucket is freed once its customers' days are
/// built. The log's chunks are freed as they are read.
fn bucket(chunks: Vec<Vec<u8>>, place_of: &[u32], places: usize) -> Buckets {
    let shift = usize::BITS - places.leading_zeros();
    let shift = shift.saturating_sub(BUCKET_BITS);
    let bucket_of = |place: u32| (place >> shift) as usize;
    let placed = |slot: u32| {
        place_of
            .get(slot as usize)
            .copied()
            .filter(|&p| p != u32::MAX)
    };
    // The sizes are counted through each slot's bucket, a byte (a quarter of the places'
    // memory, which the records of the log, in no order of place, look up at random).
    let bucket_of_slot: Vec<u8> = place_of
        .iter()
        .map(|&place| {
            if place == u32::MAX {
                NO_BUCKET
            } else {
                u8::try_from(bucket_of(place)).unwrap_or(NO_BUCKET)
            }
        })
        .collect();
    let mut sizes = vec![0usize; 1 << BUCKET_BITS];
    for chunk in &chunks {
        let mut at = 0;
        while let Some((slot, range)) = read_record(chunk, &mut at) {
            let bucket = bucket_of_slot.get(slot as usize).copied();
            if let Some(size) = bucket.and_then(|b| sizes.get_mut(usize::from(b))) {
                *size += 4 + range.len();
            }
        }
    }
    drop(bucket_of_slot);
    let mut records: Vec<Vec<u8>> = sizes.iter().map(|&size| Vec::with_capacity(size)).collect();
    drop(sizes);
    for chunk in chunks {
        let mut at = 0;
        while let Some((slot, range)) = read_record(&chunk, &mut at) {
            let Some(place) = placed(slot) else {
                continue;
            };
            let (Some(to), Some(bytes)) = (records.get_mut(bucket_of(place)), chunk.get(range))
            else {
                continue;
            };
            to.extend_from_slice(&place.to_le_bytes());
            to.extend_from_slice(bytes);
        }
    }
    Buckets { shift, records }
}

/// The second step of the counting sort: the records of one bucket (from [`bucket`]), whose
/// places are `first..first + places`, grouped by place into `grouped` (length, day and body
/// each, in log order for each place), with where the records of place `first + r` start in
/// `starts[r]` (`starts[places]` is the end).
fn group_bucket(
    records: &[u8],
    first: usize,
    places: usize,
    grouped: &mut Vec<u8>,
    starts: &mut Vec<usize>,
) {
    starts.clear();
    starts.resize(places + 1, 0);
    let local = |place: u32| (place as usize).checked_sub(first).filter(|&r| r < places);
    let mut at = 0;
    while let Some((place, range)) = read_record(records, &mut at) {
        if let Some(size) = local(place).and_then(|r| starts.get_mut(r + 1)) {
            *size += range.len();
        }
    }
    let mut total = 0;
    for start in starts.iter_mut() {
        total += *start;
        *start = total;
    }
    grouped.clear();
    grouped.resize(total, 0);
    let mut next = starts.clone();
    let mut at = 0;
    while let Some((place, range)) = read_record(records, &mut at) {
        let (Some(to), Some(bytes)) = (
            local(place).and_then(|r| next.get_mut(r)),
            records.get(range),
        ) else {
            continue;
        };
        if let Some(cell) = grouped.get_mut(*to..*to + bytes.len()) {
            cell.copy_from_slice(bytes);
        }
        *to += bytes.len();
    }
}

/// Where each customer's days go, from [`HistoryBuilder::places`].
#[derive(Debug, Default)]
pub(crate) struct Places {
    /// Customers.
    count: usize,
    /// The place of each slot ([`u32::MAX`] for none).
    place_of: Vec<u32>,
    /// The first days of the orders with an id, by slot, and the slot of each place.
    firsts: Option<(OrderFirsts, Vec<u32>)>,
}

/// A day's amounts while a customer's days are put together.
#[derive(Debug, Clone, PartialEq)]
enum Values {
    /// As the log stored them: the header and where the amounts' bytes lie in the records.
    Stored {
        header: u8,
        bytes: std::ops::Range<usize>,
    },
    /// Decoded and added up (a day met in several records).
    Summed(Body),
}

/// One day of one customer while it is put together.
#[derive(Debug, Clone, PartialEq)]
struct Gathered {
    day: Day,
    /// Orders (rows without an order id, then those with one first seen that day).
    count: u32,
    values: Values,
}

/// One customer's records (length, day and body each, in log order) as distinct days, oldest
/// first. When the records already are (rows in date order, the usual case) their amounts are
/// kept as stored; otherwise a day met in several records is added up in log order (which is
/// row order).
fn gather(records: &[u8], profit: bool, quantity: bool, days: &mut Vec<Gathered>) {
    days.clear();
    let mut at = 0;
    let mut in_order = true;
    while let Some(&length) = records.get(at) {
        let end = at + 1 + usize::from(length);
        let Some(record) = records.get(at + 1..end) else {
            break;
        };
        let mut inside = 0;
        let Some(day) = get_signed(record, &mut inside)
            .and_then(|d| i32::try_from(d).ok())
            .map(Day::from_epoch_days)
        else {
            break;
        };
        let Some((header, count)) = get_header(record, &mut inside) else {
            break;
        };
        if let Some(last) = days.last() {
            in_order &= last.day < day;
        }
        let values = at + 1 + inside..end;
        days.push(Gathered {
            day,
            count,
            values: Values::Stored {
                header,
                bytes: values,
            },
        });
        at = end;
    }
    if in_order {
        return;
    }
    // Sorted by day, stably (records of one day stay in log order, which is row order); a day
    // met once keeps its amounts as stored, a day met in several records is decoded and added
    // up in that order. (Decoding every record and encoding every day again took three
    // quarters of a shuffled file's history.)
    days.sort_by_key(|g| g.day);
    let decode = |g: &Gathered| -> Option<Body> {
        let Values::Stored { header, ref bytes } = g.values else {
            return None;
        };
        let mut inside = 0;
        get_values(
            records.get(bytes.clone())?,
            &mut inside,
            header,
            g.count,
            profit,
            quantity,
        )
    };
    let (mut kept, mut read) = (0, 0);
    while let Some(day) = days.get(read).map(|g| g.day) {
        let run = days
            .get(read..)
            .unwrap_or_default()
            .iter()
            .take_while(|g| g.day == day)
            .count();
        let merged = match run {
            1 => days.get(read).cloned(),
            _ => days
                .get(read..read + run)
                .unwrap_or_default()
                .iter()
                .filter_map(decode)
                .reduce(|mut into, body| {
                    into.count = into.count.saturating_add(body.count);
                    into.purchase |= body.purchase;
                    into.sales += body.sales;
                    into.profit += body.profit;
                    into.quantity += body.quantity;
                    into
                })
                .map(|body| Gathered {
                    day,
                    count: body.count,
                    values: Values::Summed(body),
                }),
        };
        if let (Some(merged), Some(slot)) = (merged, days.get_mut(kept)) {
            *slot = merged;
            kept += 1;
        }
        read += run;
    }
    days.truncate(kept);
}

/// Adds to each day the orders with an id first seen on it (`first`: their days, sorted).
fn count_orders(first: &[Day], days: &mut [Gathered]) {
    let mut at = 0;
    for gathered in days.iter_mut() {
        while first.get(at).is_some_and(|&d| d < gathered.day) {
            at += 1;
        }
        while first.get(at) == Some(&gathered.day) {
            gathered.count = gathered.count.saturating_add(1);
            at += 1;
        }
    }
}
