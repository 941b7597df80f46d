//! Purchase-day history (购买日历史): every customer's distinct purchase days, with what each day
//! holds, kept by the import so that the lifecycle analysis (day-exact periods, inter-purchase
//! times, the state at an earlier date) and the CLV models (x, t_x, T at any calibration date)
//! never read the file again.
//!
//! # What a day holds ([`PurchaseDay`])
//! - `orders`: the orders *first seen* that day. Each distinct order id of the customer counts
//!   once, on the day of its first line in the file (an order whose lines carry several dates
//!   counts on the date of the line that comes first); a row without an order id (or every
//!   row, without an order column) is an order of its own day. So a customer's days add up to
//!   [`Customer::orders`](crate::engine::customers::Customer::orders) when every row is dated.
//! - `purchase`: the day has at least one line that is not a return (amount ≥ 0). A day with
//!   returns only has `purchase == false`.
//! - `sales`, `profit`, `quantity`: the sums of the day's lines (returns netted), each line added
//!   in file order; `profit` and `quantity` are 0 when the data has no such column
//!   ([`PurchaseHistory::has_profit`], [`PurchaseHistory::has_quantity`]). A sum is the same
//!   floating-point number the lines add up to, stored exactly (see [`encoding`]).
//!
//! Rows without a day are in no day. Without a date column the history is empty.
//!
//! # Layout
//! Column-wise, for ~1,000,000 customers: one byte string for all customers and the offset of
//! each customer's bytes (in the order of the customer table: by id). A customer's days, oldest
//! first, are one record each:
//! 1. the day: the first as a zig-zag varint of the day number, the others as the varint of the
//!    gap to the day before (≥ 1);
//! 2. a header byte: bit 0 `purchase`; bit 1 "an order count follows" (absent when it is 1);
//!    bits 2–3, 4–5, 6–7 how sales, profit and quantity are stored ([`encoding`]);
//! 3. the order count (varint), when bit 1 says so;
//! 4. sales, then profit and quantity when the data has them.
//!
//! A day of the benchmark file (one order, amounts in cents) takes 9.3 bytes on average; see
//! BENCHMARKS.md for the cost at 10,000,000 rows.
//!
//! # Trust
//! Decoding never panics: malformed bytes (a history read back from a file) end a customer's
//! days early, and [`PurchaseHistory::check`] tells whether every customer decodes completely
//! with days strictly increasing inside [`DAY_RANGE`](super::calendar::DAY_RANGE).

use serde::{Deserialize, Serialize};

use super::calendar::Day;

mod builder;
pub mod encoding;

pub(crate) use builder::{HistoryBuilder, OpenDay, OrderLog};

use encoding::{get_signed, get_value, get_varint, put_signed, put_value, put_varint, value_code};

/// One purchase day of one customer (see the module docs for each field's rule).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PurchaseDay {
    /// The day (days since 1970-01-01).
    pub day: Day,
    /// Orders first seen that day.
    pub orders: u32,
    /// At least one line that is not a return.
    pub purchase: bool,
    /// Net sales of the day.
    pub sales: f64,
    /// Net profit of the day (0 without a profit column).
    pub profit: f64,
    /// Quantity of the day (0 without a quantity column).
    pub quantity: f64,
}

/// Every customer's purchase days, column-wise (see the module docs).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PurchaseHistory {
    /// The data had a profit column.
    profit: bool,
    /// The data had a quantity column.
    quantity: bool,
    /// Where each customer's records start in `bytes`, and where the last one ends: one more
    /// entry than customers (none for no customer).
    starts: Vec<u64>,
    /// The records of all customers, one after the other.
    bytes: Vec<u8>,
}

/// Header bit: the day has a line that is not a return.
const HEADER_PURCHASE: u8 = 1;
/// Header bit: an order count other than 1 follows.
const HEADER_COUNT: u8 = 2;

impl PurchaseHistory {
    /// A history of `customers` customers without any day (data without dates).
    pub fn undated(customers: usize) -> Self {
        PurchaseHistory {
            starts: vec![0; customers + 1],
            ..Default::default()
        }
    }

    /// A history built from each customer's days (oldest first, distinct), for tests and for
    /// data that comes from elsewhere. Days out of order are sorted; days given twice are kept
    /// as given (the reader then sees both).
    pub fn from_days(profit: bool, quantity: bool, customers: &[Vec<PurchaseDay>]) -> Self {
        let mut history = PurchaseHistory {
            profit,
            quantity,
            starts: Vec::with_capacity(customers.len() + 1),
            bytes: Vec::new(),
        };
        let mut sorted = Vec::new();
        for days in customers {
            history.starts.push(history.bytes.len() as u64);
            sorted.clear();
            sorted.extend_from_slice(days);
            sorted.sort_by_key(|d| d.day);
            let mut previous = None;
            for day in &sorted {
                history.push_day(previous, day);
                previous = Some(day.day);
            }
        }
        history.starts.push(history.bytes.len() as u64);
        history
    }

    /// The columns as they are stored: (profit column, quantity column, offsets, records), for
    /// a hand-off that moves them as arrays ([`PurchaseHistory::from_parts`] takes them back).
    pub fn parts(&self) -> (bool, bool, &[u64], &[u8]) {
        (self.profit, self.quantity, &self.starts, &self.bytes)
    }

    /// A history from the columns of [`PurchaseHistory::parts`]; `None` unless it passes
    /// [`PurchaseHistory::check`].
    pub fn from_parts(
        profit: bool,
        quantity: bool,
        starts: Vec<u64>,
        bytes: Vec<u8>,
    ) -> Option<Self> {
        let history = PurchaseHistory {
            profit,
            quantity,
            starts,
            bytes,
        };
        history.check().then_some(history)
    }

    /// The history of the customers `indices` (into this history, in the order given), as a
    /// history of its own: customer *k* of the result is customer `indices[k]` here, with the
    /// same records (an index out of range gets no day).
    pub fn subset(&self, indices: &[usize]) -> PurchaseHistory {
        let mut starts = Vec::with_capacity(indices.len() + 1);
        let mut bytes = Vec::new();
        for &index in indices {
            starts.push(bytes.len() as u64);
            let record = match (self.starts.get(index), self.starts.get(index + 1)) {
                (Some(&start), Some(&end)) => usize::try_from(start)
                    .ok()
                    .zip(usize::try_from(end).ok())
                    .and_then(|(start, end)| self.bytes.get(start..end))
                    .unwrap_or_default(),
                _ => &[],
            };
            bytes.extend_from_slice(record);
        }
        starts.push(bytes.len() as u64);
        PurchaseHistory {
            profit: self.profit,
            quantity: self.quantity,
            starts,
            bytes,
        }
    }

    /// Number of customers.
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// True without customers.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The data had a profit column (else every day's profit is 0).
    pub fn has_profit(&self) -> bool {
        self.profit
    }

    /// The data had a quantity column (else every day's quantity is 0).
    pub fn has_quantity(&self) -> bool {
        self.quantity
    }

    /// The purchase days of customer `index` (the index in the customer table), oldest first;
    /// none for an index out of range.
    pub fn days(&self, index: usize) -> Days<'_> {
        let bytes = match (self.starts.get(index), self.starts.get(index + 1)) {
            (Some(&start), Some(&end)) => usize::try_from(start)
                .ok()
                .zip(usize::try_from(end).ok())
                .and_then(|(start, end)| self.bytes.get(start..end))
                .unwrap_or_default(),
            _ => &[],
        };
        Days::of_records(bytes, self.profit, self.quantity)
    }

    /// The end of a piece of customers from `from` holding about `bytes` of records: the first
    /// customer after `from` whose records start `bytes` or more past `from`'s (at least one
    /// customer more, at most [`PurchaseHistory::len`]); for reading the history a piece at a
    /// time by what the pieces hold, not by how many customers.
    pub fn piece_end(&self, from: usize, bytes: u64) -> usize {
        let len = self.len();
        if from >= len {
            return len;
        }
        let start = self.starts.get(from).copied().unwrap_or(0);
        let goal = start.saturating_add(bytes.max(1));
        // The offsets rise (checked for a history read back from a file); in a history that
        // does not, the search still ends inside the range.
        let ahead = self.starts.get(from + 1..=len).unwrap_or_default();
        from + 1
            + ahead
                .partition_point(|&s| s < goal)
                .min(ahead.len().saturating_sub(1))
    }

    /// Total number of purchase days over all customers (decodes everything).
    pub fn day_count(&self) -> usize {
        (0..self.len()).map(|i| self.days(i).count()).sum()
    }

    /// Bytes held on the heap: the records and the offsets.
    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity() + self.starts.capacity() * std::mem::size_of::<u64>()
    }

    /// Bytes of the records alone.
    pub fn record_bytes(&self) -> usize {
        self.bytes.len()
    }

    /// True when every customer's bytes decode completely, with days strictly increasing inside
    /// [`DAY_RANGE`](super::calendar::DAY_RANGE), and the offsets rise to the end of the bytes: what a history read back
    /// from a file must pass before it is used.
    pub fn check(&self) -> bool {
        let offsets_rise = self.starts.windows(2).all(|w| w[0] <= w[1])
            && self.starts.first().is_none_or(|&s| s == 0)
            && self
                .starts
                .last()
                .is_none_or(|&end| end == self.bytes.len() as u64);
        offsets_rise && (0..self.len()).all(|i| self.days(i).check_to_end())
    }

    /// A history from columns whose every customer has passed [`Days::check_to_end`] and whose
    /// offsets were built as prefix sums from 0 to the length of `bytes` (what a decoder that
    /// checks a slice of customers at a time has done): [`PurchaseHistory::check`] holds.
    pub(crate) fn from_checked_parts(
        profit: bool,
        quantity: bool,
        starts: Vec<u64>,
        bytes: Vec<u8>,
    ) -> Self {
        PurchaseHistory {
            profit,
            quantity,
            starts,
            bytes,
        }
    }

    /// Appends one record to the last customer's bytes, its amounts as another record stored
    /// them (`header` and `values`, written with the same columns), with `orders` as its count.
    fn push_stored_day(
        &mut self,
        previous: Option<Day>,
        day: Day,
        orders: u32,
        header: u8,
        values: &[u8],
    ) {
        self.push_day_number(previous, day);
        let header = match orders {
            1 => header & !HEADER_COUNT,
            _ => header | HEADER_COUNT,
        };
        self.bytes.push(header);
        if orders != 1 {
            put_varint(&mut self.bytes, u64::from(orders));
        }
        self.bytes.extend_from_slice(values);
    }

    /// Appends a record's day: the number itself first, then the gap to the day before.
    fn push_day_number(&mut self, previous: Option<Day>, day: Day) {
        match previous {
            None => put_signed(&mut self.bytes, i64::from(day.epoch_days())),
            Some(p) => put_varint(
                &mut self.bytes,
                (i64::from(day.epoch_days()) - i64::from(p.epoch_days())) as u64,
            ),
        }
    }

    /// Appends one record to the last customer's bytes.
    fn push_day(&mut self, previous: Option<Day>, day: &PurchaseDay) {
        self.push_day_number(previous, day.day);
        put_body(
            &mut self.bytes,
            &Body {
                count: day.orders,
                purchase: day.purchase,
                sales: day.sales,
                profit: day.profit,
                quantity: day.quantity,
            },
            self.profit,
            self.quantity,
        );
    }
}

/// What a record holds after its day: an order (or row) count, the purchase flag and amounts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Body {
    pub(crate) count: u32,
    pub(crate) purchase: bool,
    pub(crate) sales: f64,
    pub(crate) profit: f64,
    pub(crate) quantity: f64,
}

/// Appends a record's header, count and amounts.
pub(crate) fn put_body(out: &mut Vec<u8>, body: &Body, profit: bool, quantity: bool) {
    let sales = value_code(body.sales);
    let profit_stored = value_code(body.profit);
    let quantity_stored = value_code(body.quantity);
    let mut header = sales.code << 2;
    if profit {
        header |= profit_stored.code << 4;
    }
    if quantity {
        header |= quantity_stored.code << 6;
    }
    if body.purchase {
        header |= HEADER_PURCHASE;
    }
    if body.count != 1 {
        header |= HEADER_COUNT;
    }
    out.push(header);
    if body.count != 1 {
        put_varint(out, u64::from(body.count));
    }
    put_value(out, body.sales, sales);
    if profit {
        put_value(out, body.profit, profit_stored);
    }
    if quantity {
        put_value(out, body.quantity, quantity_stored);
    }
}

/// Reads what [`put_body`] wrote.
pub(crate) fn get_body(bytes: &[u8], at: &mut usize, profit: bool, quantity: bool) -> Option<Body> {
    let (header, count) = get_header(bytes, at)?;
    get_values(bytes, at, header, count, profit, quantity)
}

/// Reads a record's header byte and order count.
#[inline(always)]
pub(crate) fn get_header(bytes: &[u8], at: &mut usize) -> Option<(u8, u32)> {
    let header = *bytes.get(*at)?;
    *at += 1;
    let count = match header & HEADER_COUNT {
        0 => 1,
        _ => u32::try_from(get_varint(bytes, at)?).ok()?,
    };
    Some((header, count))
}

/// Reads a record's amounts, after its header and count.
pub(crate) fn get_values(
    bytes: &[u8],
    at: &mut usize,
    header: u8,
    count: u32,
    profit: bool,
    quantity: bool,
) -> Option<Body> {
    let sales = get_value(bytes, at, (header >> 2) & 3)?;
    let profit = match profit {
        true => get_value(bytes, at, (header >> 4) & 3)?,
        false => 0.0,
    };
    let quantity = match quantity {
        true => get_value(bytes, at, (header >> 6) & 3)?,
        false => 0.0,
    };
    Some(Body {
        count,
        purchase: header & HEADER_PURCHASE != 0,
        sales,
        profit,
        quantity,
    })
}

/// The purchase days of one customer ([`PurchaseHistory::days`]), oldest first.
#[derive(Debug, Clone)]
pub struct Days<'a> {
    bytes: &'a [u8],
    at: usize,
    previous: Option<Day>,
    profit: bool,
    quantity: bool,
    /// The quantities are passed over, not read (each day's is 0: [`Days::without_quantity`]).
    skip_quantity: bool,
}

impl<'a> Days<'a> {
    /// The days of one customer's records `bytes` (as [`PurchaseHistory::days`] gives them),
    /// read with the columns `profit` and `quantity`.
    pub fn of_records(bytes: &'a [u8], profit: bool, quantity: bool) -> Self {
        Days {
            bytes,
            at: 0,
            previous: None,
            profit,
            quantity,
            skip_quantity: false,
        }
    }

    /// The same days with each quantity passed over rather than read (0 in every day given):
    /// for readers of the sales and profit only, a third less decoding.
    pub fn without_quantity(self) -> Self {
        Days {
            skip_quantity: true,
            ..self
        }
    }

    /// Reads the rest of the days: true when every one decodes, the days rise strictly inside
    /// [`DAY_RANGE`](super::calendar::DAY_RANGE), and the records end exactly at the end of the
    /// bytes (the per-customer part of [`PurchaseHistory::check`]).
    ///
    /// It walks the records without decoding their amounts to numbers (the page checks every
    /// customer's records as the finished import arrives, and this is most of that hand-off's
    /// work): an amount is checked to be there and to decode, as [`get_value`] would decode it.
    pub fn check_to_end(self) -> bool {
        let Days {
            bytes,
            mut at,
            previous,
            profit,
            quantity,
            ..
        } = self;
        let mut previous = previous.map(Day::epoch_days);
        while at < bytes.len() {
            let day = match previous {
                None => get_signed(bytes, &mut at).and_then(|day| i32::try_from(day).ok()),
                Some(previous) => get_varint(bytes, &mut at)
                    .and_then(|gap| i64::try_from(gap).ok())
                    .and_then(|gap| i64::from(previous).checked_add(gap))
                    .and_then(|day| i32::try_from(day).ok()),
            };
            let Some(day) = day else {
                return false;
            };
            if !Day::from_epoch_days(day).in_range() || previous.is_some_and(|p| p >= day) {
                return false;
            }
            let Some((header, _)) = get_header(bytes, &mut at) else {
                return false;
            };
            let sound = encoding::skip_value(bytes, &mut at, (header >> 2) & 3)
                && (!profit || encoding::skip_value(bytes, &mut at, (header >> 4) & 3))
                && (!quantity || encoding::skip_value(bytes, &mut at, (header >> 6) & 3));
            if !sound {
                return false;
            }
            previous = Some(day);
        }
        at == bytes.len()
    }
}

impl Iterator for Days<'_> {
    type Item = PurchaseDay;

    fn next(&mut self) -> Option<PurchaseDay> {
        if self.at >= self.bytes.len() {
            return None;
        }
        let mut at = self.at;
        let day = match self.previous {
            None => Day::from_epoch_days(i32::try_from(get_signed(self.bytes, &mut at)?).ok()?),
            Some(previous) => {
                let gap = i64::try_from(get_varint(self.bytes, &mut at)?).ok()?;
                let day = i64::from(previous.epoch_days()).checked_add(gap)?;
                Day::from_epoch_days(i32::try_from(day).ok()?)
            }
        };
        let body = match self.skip_quantity && self.quantity {
            false => get_body(self.bytes, &mut at, self.profit, self.quantity),
            true => get_header(self.bytes, &mut at).and_then(|(header, count)| {
                let body = get_values(self.bytes, &mut at, header, count, self.profit, false)?;
                encoding::skip_value(self.bytes, &mut at, (header >> 6) & 3).then_some(body)
            }),
        };
        let Some(body) = body else {
            // Malformed: stop here, and stay stopped.
            self.at = self.bytes.len() + 1;
            return None;
        };
        self.at = at;
        self.previous = Some(day);
        Some(PurchaseDay {
            day,
            orders: body.count,
            purchase: body.purchase,
            sales: body.sales,
            profit: body.profit,
            quantity: body.quantity,
        })
    }
}

#[cfg(test)]
mod tests;
