//! Building the purchase-day history while the import streams (购买日历史的构建).
//!
//! The aggregator calls [`HistoryBuilder::add`] for every dated row with the customer's slot
//! (its place in order of appearance). Each customer has one *open* day, whose sums the row
//! adds to; a row of another day closes it: the closed day goes to a log, as a compact record
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
use crate::engine::customers::Columns;
use crate::engine::numeric::NO_DAY;

/// Bytes per chunk of the closed-day log.
const CHUNK: usize = 1 << 20;

/// The most bytes one log record takes: slot, day, header, count and three raw amounts.
const MAX_LOG_RECORD: usize = 4 + encoding::MAX_VARINT * 2 + 1 + 3 * 8;

/// The flag of a purchase line in [`OpenDay::count`].
const PURCHASE_BIT: u32 = 1 << 31;

/// A customer's open day: the sums of its rows of `day` so far.
#[derive(Debug, Clone, Copy)]
struct OpenDay {
    /// The day, or [`NO_DAY`] when none is open.
    day: Day,
    /// Rows without an order id, with [`PURCHASE_BIT`] set when a line was not a return.
    count: u32,
    sales: f64,
    profit: f64,
    quantity: f64,
}

impl OpenDay {
    const NONE: OpenDay = OpenDay {
        day: NO_DAY,
        count: 0,
        sales: 0.0,
        profit: 0.0,
        quantity: 0.0,
    };

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
    fn push(&mut self, slot: u32, day: Day, body: &Body, profit: bool, quantity: bool) {
        if self.current.capacity() - self.current.len() < MAX_LOG_RECORD {
            let full = std::mem::replace(&mut self.current, Vec::with_capacity(CHUNK));
            if !full.is_empty() {
                self.chunks.push(full);
            }
        }
        self.current.extend_from_slice(&slot.to_le_bytes());
        put_signed(&mut self.current, i64::from(day));
        put_body(&mut self.current, body, profit, quantity);
    }

    /// All chunks, oldest first.
    fn into_chunks(mut self) -> Vec<Vec<u8>> {
        if !self.current.is_empty() {
            self.chunks.push(self.current);
        }
        self.chunks
    }
}

/// One log record read back: the slot, and where its day and body lie in the chunk.
fn read_record(
    chunk: &[u8],
    at: &mut usize,
    profit: bool,
    quantity: bool,
) -> Option<(u32, std::ops::Range<usize>)> {
    let slot = u32::from_le_bytes(chunk.get(*at..*at + 4)?.try_into().ok()?);
    *at += 4;
    let start = *at;
    get_signed(chunk, at)?;
    get_body(chunk, at, profit, quantity)?;
    Some((slot, start..*at))
}

/// How the orders with an id are counted at the end.
#[derive(Debug, Clone, Copy)]
pub(crate) enum OrderLog<'a> {
    /// None have an id (no order column, or a part whose keys travel separately).
    None,
    /// The aggregator's order log grouped by slot: the (key, day) pairs of slot `s` are
    /// `pairs[starts[s]..starts[s + 1]]`, sorted by key, in file order for each key.
    Grouped {
        starts: &'a [usize],
        pairs: &'a [(u64, Day)],
    },
}

/// Builds a [`PurchaseHistory`] row by row (see the module docs).
#[derive(Debug, Default)]
pub(crate) struct HistoryBuilder {
    /// The data has dates: without, nothing is kept.
    dated: bool,
    profit: bool,
    quantity: bool,
    /// Open day by slot.
    open: Vec<OpenDay>,
    /// Closed days.
    log: Log,
    /// One more than the largest slot met.
    slots: usize,
}

/// One day of one customer while it is put together at the end.
#[derive(Debug, Clone, Copy)]
struct Gathered {
    day: Day,
    body: Body,
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

    /// Adds one dated row of the customer in `slot`: `keyed` when it has an order id.
    #[inline]
    pub(crate) fn add(
        &mut self,
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
        let index = slot as usize;
        if index >= self.open.len() {
            self.open.resize(index + 1, OpenDay::NONE);
            self.slots = self.slots.max(index + 1);
        }
        let Some(open) = self.open.get_mut(index) else {
            return;
        };
        if open.day != day {
            if open.day != NO_DAY {
                let body = open.body();
                self.log
                    .push(slot, open.day, &body, self.profit, self.quantity);
            }
            *open = OpenDay {
                day,
                ..OpenDay::NONE
            };
        }
        open.count += u32::from(!keyed);
        if amount >= 0.0 {
            open.count |= PURCHASE_BIT;
        }
        open.sales += amount;
        if let Some(profit) = profit {
            open.profit += profit;
        }
        if let Some(quantity) = quantity {
            open.quantity += quantity;
        }
    }

    /// Closes every open day (before the end, or before another part's days are added, which
    /// come from rows after these).
    pub(crate) fn close_all(&mut self) {
        for (slot, open) in (0u32..).zip(self.open.iter_mut()) {
            if open.day != NO_DAY {
                let body = open.body();
                self.log
                    .push(slot, open.day, &body, self.profit, self.quantity);
                *open = OpenDay::NONE;
            }
        }
    }

    /// Adds the days of customer `index` of a part ([`HistoryBuilder::into_part`]) to the
    /// customer in `slot` here. Call [`HistoryBuilder::close_all`] first.
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
        self.finish(&order, OrderLog::None)
    }

    /// The history of the customers in `order` (slots, in the customer table's order).
    pub(crate) fn finish(mut self, order: &[u32], orders: OrderLog<'_>) -> PurchaseHistory {
        let (profit, quantity) = (self.profit, self.quantity);
        if !self.dated {
            return PurchaseHistory {
                profit,
                quantity,
                ..PurchaseHistory::undated(order.len())
            };
        }
        self.close_all();
        self.open = Vec::new();
        let slots = self
            .slots
            .max(order.iter().map(|&s| s as usize + 1).max().unwrap_or(0));
        let chunks = self.log.into_chunks();

        // Group the records by slot: count the bytes of each slot's records, then copy each
        // record (day and body, without the slot) to its slot's place, freeing the log as it goes.
        let mut starts = vec![0usize; slots + 1];
        for chunk in &chunks {
            let mut at = 0;
            while let Some((slot, range)) = read_record(chunk, &mut at, profit, quantity) {
                if let Some(size) = starts.get_mut(slot as usize + 1) {
                    *size += range.len();
                }
            }
        }
        let mut total = 0;
        for start in starts.iter_mut() {
            total += *start;
            *start = total;
        }
        let mut grouped = vec![0u8; total];
        let mut next = starts.clone();
        for chunk in chunks {
            let mut at = 0;
            while let Some((slot, range)) = read_record(&chunk, &mut at, profit, quantity) {
                let (Some(to), Some(bytes)) = (next.get_mut(slot as usize), chunk.get(range))
                else {
                    continue;
                };
                if let Some(place) = grouped.get_mut(*to..*to + bytes.len()) {
                    place.copy_from_slice(bytes);
                }
                *to += bytes.len();
            }
        }
        drop(next);

        let mut history = PurchaseHistory {
            profit,
            quantity,
            starts: Vec::with_capacity(order.len() + 1),
            bytes: Vec::with_capacity(total),
        };
        let mut days: Vec<Gathered> = Vec::new();
        let mut order_days: Vec<Day> = Vec::new();
        for &slot in order {
            history.starts.push(history.bytes.len() as u64);
            let slot = slot as usize;
            let records = match (starts.get(slot), starts.get(slot + 1)) {
                (Some(&start), Some(&end)) => grouped.get(start..end).unwrap_or_default(),
                _ => &[],
            };
            gather(records, profit, quantity, &mut days);
            if let OrderLog::Grouped { starts, pairs } = orders {
                let keys = match (starts.get(slot), starts.get(slot + 1)) {
                    (Some(&start), Some(&end)) => pairs.get(start..end).unwrap_or_default(),
                    _ => &[],
                };
                count_orders(keys, &mut days, &mut order_days);
            }
            let mut previous = None;
            for gathered in &days {
                history.push_day(
                    previous,
                    &PurchaseDay {
                        day: gathered.day,
                        orders: gathered.body.count,
                        purchase: gathered.body.purchase,
                        sales: gathered.body.sales,
                        profit: gathered.body.profit,
                        quantity: gathered.body.quantity,
                    },
                );
                previous = Some(gathered.day);
            }
        }
        history.starts.push(history.bytes.len() as u64);
        history.bytes.shrink_to_fit();
        history
    }
}

/// One customer's records (day and body each, in log order) as distinct days, oldest first: a
/// day met in several records is added up in log order (which is row order).
fn gather(records: &[u8], profit: bool, quantity: bool, days: &mut Vec<Gathered>) {
    days.clear();
    let mut at = 0;
    let mut sorted = true;
    while at < records.len() {
        let Some(day) = get_signed(records, &mut at).and_then(|d| i32::try_from(d).ok()) else {
            break;
        };
        let Some(body) = get_body(records, &mut at, profit, quantity) else {
            break;
        };
        if let Some(last) = days.last() {
            sorted &= last.day < day;
        }
        days.push(Gathered { day, body });
    }
    if sorted {
        return;
    }
    // Stable: records of one day stay in log order, so their sums add up in row order.
    days.sort_by_key(|g| g.day);
    let mut merged = 0;
    for i in 0..days.len() {
        let here = days[i];
        if merged > 0 && days[merged - 1].day == here.day {
            let into = &mut days[merged - 1].body;
            into.count = into.count.saturating_add(here.body.count);
            into.purchase |= here.body.purchase;
            into.sales += here.body.sales;
            into.profit += here.body.profit;
            into.quantity += here.body.quantity;
        } else {
            days[merged] = here;
            merged += 1;
        }
    }
    days.truncate(merged);
}

/// Adds to each day the orders with an id first seen on it: each distinct key of `pairs`
/// (sorted by key, in file order for each key) on the day of its first pair.
fn count_orders(pairs: &[(u64, Day)], days: &mut [Gathered], scratch: &mut Vec<Day>) {
    scratch.clear();
    let mut previous_key = None;
    for &(key, day) in pairs {
        if previous_key != Some(key) {
            previous_key = Some(key);
            if day != NO_DAY {
                scratch.push(day);
            }
        }
    }
    scratch.sort_unstable();
    let mut at = 0;
    for gathered in days.iter_mut() {
        while scratch.get(at).is_some_and(|&d| d < gathered.day) {
            at += 1;
        }
        while scratch.get(at) == Some(&gathered.day) {
            gathered.body.count = gathered.body.count.saturating_add(1);
            at += 1;
        }
    }
}
