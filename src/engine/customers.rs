//! Per-customer aggregation (客户汇总): one [`Customer`] per customer id, built row by row while
//! the file streams, so memory grows with customers (and their distinct orders), not with rows.
//!
//! Returns and refunds (negative amounts) are netted into the customer's sales and profit.

pub use compact_str::CompactString;
use rustc_hash::{FxHashMap, FxHasher};
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};

use super::calendar::{Day, Month, NO_DAY};
use super::chunked::Chunked;
use super::dimensions::{AttributeBuilder, AttributeSpec, CustomerAttributes};
use super::dimensions::{LineAttributes, LineBuilder, LineSpec};
use super::error::BrowserLimit;
use super::history::{Days, HistoryBuilder, OpenDay, OrderLog, PurchaseHistory};
use super::monthly::MonthlySeries;
use index::{id_hash, CustomerIndex};
pub(crate) use order_log::OrderFirsts;

mod columns;
mod index;
mod months;
mod order_log;
mod part;
mod summary;
pub use columns::{CustomerColumns, FlatCustomers};
pub use months::{MonthIter, Months, MonthsOfDays};
pub use part::AggregatePart;
pub use summary::SummaryBuilder;

/// Sales and profit of one customer in one calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MonthTotal {
    /// Month index: `year * 12 + month - 1`.
    pub month: Month,
    /// Net sales in the month.
    pub sales: f64,
    /// Net profit in the month (0 without a profit column).
    pub profit: f64,
}

/// Everything the analyses need to know about one customer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    /// The customer id as written in the file (trimmed): kept in the record itself up to 12
    /// bytes in wasm (24 natively), which most ids are, so a million customers are not a
    /// million small allocations ([`CompactString`]).
    pub id: CompactString,
    /// Accepted rows (order lines) of this customer.
    pub rows: u32,
    /// Orders: distinct order ids when an order column is mapped, else rows.
    pub orders: u32,
    /// Rows with a negative amount (returns, refunds).
    pub returns: u32,
    /// Net sales (sum of amounts, returns included).
    pub sales: f64,
    /// Net profit (0 without a profit column).
    pub profit: f64,
    /// Total quantity (0 without a quantity column).
    pub quantity: f64,
    /// First purchase day (None without a date column).
    pub first: Option<Day>,
    /// Last purchase day.
    pub last: Option<Day>,
    /// Sales and profit per month, sorted by month (empty without a date column): from an
    /// import, the sums of the customer's purchase days in each month, oldest day first
    /// ([`crate::engine::history`]), kept or read from the days ([`Months`]).
    pub months: Months,
}

impl Customer {
    /// Average order value: sales / orders (0 for a customer without orders).
    pub fn average_order_value(&self) -> f64 {
        if self.orders == 0 {
            0.0
        } else {
            self.sales / self.orders as f64
        }
    }
}

/// Which optional columns the data had.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Columns {
    /// An order id column was mapped.
    pub order: bool,
    /// A date column was mapped.
    pub date: bool,
    /// A profit column was mapped.
    pub profit: bool,
    /// A quantity column was mapped.
    pub quantity: bool,
}

/// All customers of a data set, sorted by id, with which optional columns they were built from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerTable {
    /// The customers, sorted by id.
    pub customers: Vec<Customer>,
    /// Which optional columns were present.
    pub columns: Columns,
}

/// One accepted row, as the aggregator takes it.
#[derive(Debug, Clone, Copy)]
pub struct Transaction<'a> {
    /// Customer id (already trimmed and non-empty).
    pub customer: &'a str,
    /// Order id, when mapped.
    pub order: Option<&'a str>,
    /// Day, when mapped.
    pub day: Option<Day>,
    /// Amount (negative for returns).
    pub amount: f64,
    /// Profit, when mapped.
    pub profit: Option<f64>,
    /// Quantity, when mapped.
    pub quantity: Option<f64>,
}

/// One customer as [`Aggregator::add`] updates it: what every row touches sits together, so a
/// row costs one cache line instead of five (boxed key, customer, month vector, order set …).
///
/// In wasm (the import worker) a record is 56 bytes aligned to 64: one cache line, which every
/// row reads and writes. With a date column it holds the customer's counts and its *open*
/// purchase day (the sums of its rows of one day, [`OpenDay`]); the customer's sums, first and
/// last day and months are those of its purchase days ([`crate::engine::history`]), gathered at
/// the end ([`Gathered`]). Without a date column the open day's sums are the customer's.
///
/// Keeping the sums, the span and the months here while the rows came (a month vector per
/// customer, growing, and two cache lines a record) cost half of the import's memory.
#[derive(Debug, Clone)]
#[repr(C)]
#[cfg_attr(target_arch = "wasm32", repr(align(64)))]
struct Hot {
    /// The day whose rows are being added up for the purchase-day history; without a date
    /// column, the customer's sums.
    day: OpenDay,
    /// [`OrderKeys::key`] of the last order id of this customer, or [`NO_ORDER`].
    last_order: u64,
    rows: u32,
    returns: u32,
    /// Rows without an order id, and absorbed order counts; the distinct order ids are counted
    /// from [`Aggregator::order_log`].
    orders: u32,
    /// Changes of order id from one keyed row to the next (never 0 once a keyed row came; the
    /// line attributes' pairs compare it, [`LineBuilder::add`]).
    epoch: u32,
}

/// [`Hot::last_order`] of a customer without an order id yet: no key has both top bits set
/// ([`OrderKeys`]).
const NO_ORDER: u64 = u64::MAX;

// One cache line in the import worker (see [`Hot`]).
#[cfg(target_arch = "wasm32")]
const _: () = assert!(std::mem::size_of::<Hot>() == 64);

impl Hot {
    const NEW: Hot = Hot {
        day: OpenDay::NONE,
        last_order: NO_ORDER,
        rows: 0,
        returns: 0,
        orders: 0,
        epoch: 0,
    };

    /// Reads a field of the record, so that a batch's records are fetched side by side before
    /// any row is applied ([`Aggregator::flush`]).
    #[inline]
    fn touch(&self) -> u32 {
        self.rows
    }

    /// The finished customer, with `orders` distinct order ids on top of the rows without one,
    /// and what its days (or, without them, its record) gave.
    fn customer_with(
        &self,
        id: String,
        orders: u32,
        gathered: &Gathered,
        months: Months,
    ) -> Customer {
        let [sales, profit, quantity] = gathered.sums;
        Customer {
            id: id.into(),
            rows: self.rows,
            orders: self.orders + orders,
            returns: self.returns,
            sales,
            profit,
            quantity,
            first: gathered.first,
            last: gathered.last,
            months,
        }
    }
}

/// A customer's sums and span, from its purchase days ([`Gathered::of_days`]) or, without a
/// date column, from its record.
#[derive(Debug, Clone, Copy, Default)]
struct Gathered {
    /// Sales, profit and quantity.
    sums: [f64; 3],
    first: Option<Day>,
    last: Option<Day>,
}

impl Gathered {
    /// The sums of a customer without dates: those in its record.
    fn of_record(hot: &Hot) -> Self {
        Gathered {
            sums: hot.day.sums(),
            first: None,
            last: None,
        }
    }

    /// A customer's figures from its purchase days `days` (oldest first, as
    /// [`PurchaseHistory::days`] gives them), each of its months to `on_month` ([`MonthsOfDays`]),
    /// and the sums of its `undated` rows (a dated aggregator given rows
    /// without a day, which no import does) added last: each sum is its days' sums added oldest
    /// day first.
    fn of_days(
        days: Days<'_>,
        undated: Option<&[f64; 3]>,
        on_month: &mut dyn FnMut(MonthTotal),
    ) -> Self {
        let mut gathered = Gathered::default();
        let days = days.inspect(|day| {
            gathered.first = gathered.first.or(Some(day.day));
            gathered.last = Some(day.day);
            gathered.sums[0] += day.sales;
            gathered.sums[1] += day.profit;
            gathered.sums[2] += day.quantity;
        });
        MonthsOfDays::new(days).for_each(on_month);
        if let Some(undated) = undated {
            gathered
                .sums
                .iter_mut()
                .zip(undated)
                .for_each(|(sum, u)| *sum += u);
        }
        gathered
    }
}

/// Builds a [`CustomerTable`] one transaction at a time.
///
/// Laid out for the import's hot loop, where a row used to touch five scattered cache lines
/// and a set as large as the number of orders:
/// - the customer is found by [`CustomerIndex`]: ids like `C000012` by their number in a vector,
///   others in an open-addressing table that keeps the id's length and first bytes with the
///   customer's slot (one probe finds and checks the customer, reading the id itself, kept in
///   one string with all others, only when it is longer than 8 bytes);
/// - each customer's per-row figures sit together in a [`Hot`];
/// - rows are applied in small batches, whose customers are fetched from memory side by side;
/// - a change of order id is only written down ([`Aggregator::order_log`]), as a key that no
///   other id has ([`OrderKeys`]); distinct orders are counted once, at the end, exactly.
///
/// With a date column, a customer's sums, first and last day and months are not kept while the
/// rows come: they are those of its purchase days ([`crate::engine::history`]: each day's sums
/// added up in row order), gathered at the end ([`Gathered::of_days`]). Without one, its sums
/// are added in row order, as a plain loop over the rows would.
#[derive(Debug, Default)]
pub struct Aggregator {
    /// Customer id → slot.
    index: CustomerIndex,
    /// The customers, by slot.
    customers: Vec<Hot>,
    /// All ids, one after the other, by slot.
    ids: String,
    /// Where each customer's id ends in `ids` (it starts where the one before ends).
    id_ends: Vec<usize>,
    /// (customer slot, day or [`NO_DAY`], order key) each time a customer's order id differs
    /// from the one of its previous row: every distinct order at least once.
    order_log: Chunked<(u32, Day, u64)>,
    /// The keys of the order ids.
    order_keys: OrderKeys,
    /// Length of `order_log` at which repeats are dropped from it (see
    /// [`Aggregator::compact_order_log`]).
    compact_at: usize,
    /// Rows added but not yet applied ([`Aggregator::flush`]), their ids one after the other.
    pending: Vec<Pending>,
    pending_ids: String,
    /// The slots of the pending rows' customers, while they are applied.
    pending_slots: Vec<u32>,
    /// The pending rows' customers' order epochs after each row (with line attributes).
    pending_epochs: Vec<u32>,
    /// The dense values of a batch's ids ([`Aggregator::flush`]).
    pending_values: Vec<Option<usize>>,
    columns: Columns,
    /// Every customer's purchase days ([`crate::engine::history`]).
    history: HistoryBuilder,
    /// Every customer's attribute codes ([`crate::engine::dimensions`]).
    attributes: AttributeBuilder,
    /// The attribute codes of the pending rows, one after the other.
    pending_codes: Vec<u32>,
    /// Every customer's line attributes ([`crate::engine::dimensions::lines`]).
    lines: LineBuilder,
    /// The line attribute codes of the pending rows, [`LineBuilder::width`] per row.
    pending_lines: Vec<u32>,
    /// What no longer fit in memory, once something did not: the rows after it are dropped
    /// and the import fails ([`crate::engine::error::Error::BeyondBrowser`]).
    overflow: Option<BrowserLimit>,
    /// Rows applied so far (when `overflow` is set: the rows applied before it).
    applied: u64,
    /// The most customers taken (`None`: as many as memory holds); for tests.
    customer_limit: Option<usize>,
    /// With a date column, the sums of rows given without a day, by slot (which the importer
    /// never gives: its rows without a date are rejected).
    undated: FxHashMap<u32, [f64; 3]>,
}

/// A row waiting in [`Aggregator::pending`].
#[derive(Debug, Clone)]
struct Pending {
    /// The customer id's place in [`Aggregator::pending_ids`], hash and [`id_prefix`].
    id: std::ops::Range<usize>,
    hash: u64,
    prefix: u64,
    /// The customer is the one of the row before in the batch.
    repeat: bool,
    order: Option<u64>,
    day: Option<Day>,
    amount: f64,
    profit: Option<f64>,
    quantity: Option<f64>,
    /// Where the row's attribute codes start in [`Aggregator::pending_codes`].
    codes: usize,
}

/// Rows applied together by [`Aggregator::flush`].
const BATCH: usize = 64;

/// The order log is compacted at this length at the earliest (16 MiB of entries).
const MIN_COMPACTION: usize = 1 << 20;

/// A customer's slot (its place in order of appearance), with enough of its id to tell most
/// other ids apart without reading [`Aggregator::ids`] (all of an id of up to 8 bytes).
#[derive(Debug, Clone, Copy)]
struct IdTag {
    slot: u32,
    /// The id's length (saturated).
    len: u32,
    /// [`id_prefix`] of the id.
    prefix: u64,
}

impl IdTag {
    fn new(slot: u32, id: &str) -> Self {
        IdTag {
            slot,
            len: u32::try_from(id.len()).unwrap_or(u32::MAX),
            prefix: id_prefix(id),
        }
    }

    /// True when this is customer `id` (whose [`id_prefix`] is `prefix`): the length and the
    /// first 8 bytes agree, and for a longer id the whole id in `ids`.
    fn is(&self, id: &str, prefix: u64, ids: &Ids) -> bool {
        self.len == u32::try_from(id.len()).unwrap_or(u32::MAX)
            && self.prefix == prefix
            && (id.len() <= 8 || ids.get(self.slot) == id)
    }
}

/// [`Aggregator::ids`] and [`Aggregator::id_ends`], borrowed together.
struct Ids<'a> {
    text: &'a str,
    ends: &'a [usize],
}

impl Ids<'_> {
    /// The id of the customer in `slot`.
    fn get(&self, slot: u32) -> &str {
        let slot = slot as usize;
        let start = match slot.checked_sub(1) {
            Some(before) => self.ends.get(before).copied().unwrap_or(0),
            None => 0,
        };
        let end = self.ends.get(slot).copied().unwrap_or(0);
        self.text.get(start..end).unwrap_or("")
    }
}

fn hash_str(text: &str) -> u64 {
    let mut hasher = FxHasher::default();
    text.hash(&mut hasher);
    hasher.finish()
}

/// Keys of order ids that no two different ids share, so that distinct orders are counted
/// exactly by comparing 8-byte keys. (A hash did not do: FxHash is 32 bits wide in wasm, where
/// `O000071036` and `O000075520` of one customer counted as one order.)
///
/// Most ids are packed into their key, with no memory kept for them: an id of up to 7 bytes
/// without a NUL byte is its own bytes; up to 15 digits after at most one ASCII character that
/// is not a digit (`O000071036`, `20240101`, `#12345`) are packed as the character, the number
/// of digits and their value. Any other id (`SO-2024-0001`, a UUID) gets a number of its own,
/// kept with its text, found again by hash and compared as text.
#[derive(Debug, Default)]
pub(crate) struct OrderKeys {
    /// Id hash → the first numbered id with that hash.
    by_hash: FxHashMap<u64, IdTag>,
    /// Id → a numbered id whose hash an earlier one has.
    by_id: FxHashMap<Box<str>, IdTag>,
    /// The numbered ids, one after the other.
    text: String,
    /// Where each numbered id ends in `text`.
    ends: Vec<usize>,
}

/// The two top bits of a key tell how it was made.
const KEY_SHORT: u64 = 0;
const KEY_DIGITS: u64 = 1 << 62;
const KEY_NUMBERED: u64 = 2 << 62;
const KEY_TAG: u64 = 3 << 62;
/// 10^15 < 2^50: the value of up to 15 digits.
const DIGITS_VALUE_BITS: u32 = 50;

impl OrderKeys {
    /// The key of order id `id`: equal keys for equal ids, and only for them.
    pub(crate) fn key(&mut self, id: &str) -> u64 {
        packed_key(id).unwrap_or_else(|| KEY_NUMBERED | u64::from(self.number(id)))
    }

    /// The number of an id that does not pack, given to it when it is new. (Past 2^32 - 1
    /// numbered ids, which no memory holds, the last number would be shared.)
    fn number(&mut self, id: &str) -> u32 {
        let (hash, prefix) = (hash_str(id), id_prefix(id));
        let first = self.by_hash.get(&hash).copied();
        if let Some(tag) = first {
            let known = Ids {
                text: &self.text,
                ends: &self.ends,
            };
            if tag.is(id, prefix, &known) {
                return tag.slot;
            }
            if let Some(tag) = self.by_id.get(id) {
                return tag.slot;
            }
        }
        let number = u32::try_from(self.ends.len()).unwrap_or(u32::MAX);
        self.text.push_str(id);
        self.ends.push(self.text.len());
        let tag = IdTag::new(number, id);
        match first {
            None => self.by_hash.insert(hash, tag),
            Some(_) => self.by_id.insert(id.into(), tag),
        };
        number
    }

    /// The number of a numbered key, `None` for a packed one.
    pub(crate) fn numbered(key: u64) -> Option<u32> {
        (key & KEY_TAG == KEY_NUMBERED).then_some((key & !KEY_TAG) as u32)
    }

    /// The numbered ids, by number.
    pub(crate) fn numbered_ids(&self) -> Vec<String> {
        let known = Ids {
            text: &self.text,
            ends: &self.ends,
        };
        (0..self.ends.len() as u32)
            .map(|n| known.get(n).to_string())
            .collect()
    }

    /// The id whose key (from this instance) is `key`: the proof that keys lose nothing.
    #[cfg(test)]
    pub(crate) fn id(&self, key: u64) -> String {
        match key & KEY_TAG {
            KEY_SHORT => {
                let len = ((key >> 56) & 0x3f) as usize;
                let bytes = key.to_be_bytes();
                let start = 8usize.saturating_sub(len);
                String::from_utf8_lossy(bytes.get(start..).unwrap_or_default()).into_owned()
            }
            KEY_DIGITS => {
                let prefix = ((key >> 54) & 0x7f) as u8;
                let digits = ((key >> DIGITS_VALUE_BITS) & 0xf) as usize + 1;
                let value = key & ((1 << DIGITS_VALUE_BITS) - 1);
                let mut id = String::with_capacity(digits + 1);
                if prefix != 0 {
                    id.push(char::from(prefix));
                }
                id.push_str(&format!("{value:0digits$}"));
                id
            }
            _ => {
                let known = Ids {
                    text: &self.text,
                    ends: &self.ends,
                };
                known.get((key & !KEY_TAG) as u32).to_string()
            }
        }
    }
}

/// The key of an id that packs into one (see [`OrderKeys`]), `None` for any other.
fn packed_key(id: &str) -> Option<u64> {
    let bytes = id.as_bytes();
    if bytes.len() <= 7 && !bytes.contains(&0) {
        // The length keeps `a` apart from `\0a`, which has a NUL and does not come here anyway.
        let packed = bytes.iter().fold(0u64, |key, &b| key << 8 | u64::from(b));
        return Some(KEY_SHORT | (bytes.len() as u64) << 56 | packed);
    }
    let (prefix, digits) = match bytes.split_first() {
        Some((&first, rest)) if first != 0 && first.is_ascii() && !first.is_ascii_digit() => {
            (first, rest)
        }
        _ => (0, bytes),
    };
    if digits.is_empty() || digits.len() > 15 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let value = digits
        .iter()
        .fold(0u64, |value, &d| value * 10 + u64::from(d - b'0'));
    Some(
        KEY_DIGITS
            | u64::from(prefix) << 54
            | ((digits.len() - 1) as u64) << DIGITS_VALUE_BITS
            | value,
    )
}

/// The first 8 bytes of `id` (zeros after a shorter one) as a big-endian number: a smaller
/// number means a smaller id, an equal one says nothing.
fn id_prefix(id: &str) -> u64 {
    let mut prefix = [0u8; 8];
    prefix
        .iter_mut()
        .zip(id.as_bytes())
        .for_each(|(p, &b)| *p = b);
    u64::from_be_bytes(prefix)
}

impl Aggregator {
    /// An empty aggregator for data with the given optional columns.
    pub fn new(columns: Columns) -> Self {
        Aggregator {
            columns,
            history: HistoryBuilder::new(columns),
            ..Default::default()
        }
    }

    /// The same aggregator without the purchase-day history (the benchmark's comparison): its
    /// customers' sums are added in row order, and they have no months and no first or last day.
    pub fn without_history(mut self) -> Self {
        self.history = HistoryBuilder::new(Columns {
            date: false,
            ..self.columns
        });
        self
    }

    /// The same aggregator keeping per customer the customer attributes `specs`
    /// ([`crate::engine::dimensions`]): rows then come through [`Aggregator::add_with_attributes`].
    pub fn with_attributes(mut self, specs: Vec<AttributeSpec>) -> Self {
        self.attributes = AttributeBuilder::new(specs);
        self
    }

    /// The same aggregator keeping per customer and value the line attributes `specs`
    /// ([`crate::engine::dimensions::lines`], the first [`crate::engine::dimensions::LINE_LIMIT`]):
    /// rows then come through [`Aggregator::add_with_lines`].
    pub fn with_lines(mut self, specs: Vec<LineSpec>) -> Self {
        self.lines = LineBuilder::new(specs);
        self
    }

    /// Adds one accepted row with the cells of its attribute columns and of its line attribute
    /// columns (each in order; missing ones are blank).
    pub fn add_with_lines<'v>(
        &mut self,
        row: &Transaction<'_>,
        attributes: impl IntoIterator<Item = &'v str>,
        lines: impl IntoIterator<Item = &'v str>,
    ) {
        if self.lines.width() > 0 {
            self.lines.intern(
                lines.into_iter().chain(std::iter::repeat("")),
                &mut self.pending_lines,
            );
        }
        self.add_with_attributes(row, attributes);
    }

    /// Number of distinct customers so far.
    pub fn customer_count(&self) -> usize {
        // The customers met so far, and those of the rows not applied yet that are new.
        let known = Ids {
            text: &self.ids,
            ends: &self.id_ends,
        };
        let mut new: Vec<&str> = Vec::new();
        for row in &self.pending {
            let id = self.pending_ids.get(row.id.clone()).unwrap_or_default();
            let met = self.index.find(id, row.hash, row.prefix, &known).is_some();
            if !met && !new.contains(&id) {
                new.push(id);
            }
        }
        self.id_ends.len() + new.len()
    }

    /// The slot of customer `id`, added (without rows) when new.
    fn slot(&mut self, id: &str) -> u32 {
        self.known()
            .find_or_add(id, id_hash(id), id_prefix(id), None)
    }

    fn known(&mut self) -> Known<'_> {
        Known {
            index: &mut self.index,
            customers: &mut self.customers,
            ids: &mut self.ids,
            id_ends: &mut self.id_ends,
        }
    }

    /// Adds one accepted row.
    ///
    /// Rows are applied [`BATCH`] at a time ([`Aggregator::flush`]): the customers of a batch
    /// are looked up first, all at once, so that the processor fetches them from memory side by
    /// side instead of one after the other.
    pub fn add(&mut self, row: &Transaction<'_>) {
        self.add_with_attributes(row, std::iter::empty());
    }

    /// Adds one accepted row with the cells of its attribute columns (one per attribute of
    /// [`Aggregator::with_attributes`], in order; missing ones are blank).
    pub fn add_with_attributes<'v>(
        &mut self,
        row: &Transaction<'_>,
        attributes: impl IntoIterator<Item = &'v str>,
    ) {
        let codes = self.pending_codes.len();
        let width = self.attributes.width();
        if width > 0 {
            self.attributes.intern(
                attributes.into_iter().chain(std::iter::repeat("")),
                &mut self.pending_codes,
            );
        }
        let start = self.pending_ids.len();
        let same = self
            .pending
            .last()
            .filter(|last| self.pending_ids.get(last.id.clone()) == Some(row.customer));
        let (hash, prefix, repeat) = match same {
            Some(last) => (last.hash, last.prefix, true),
            None => (id_hash(row.customer), id_prefix(row.customer), false),
        };
        self.pending_ids.push_str(row.customer);
        let day = row.day;
        self.pending.push(Pending {
            id: start..self.pending_ids.len(),
            hash,
            prefix,
            repeat,
            order: row.order.map(|order| self.order_keys.key(order)),
            day,
            amount: row.amount,
            profit: row.profit,
            quantity: row.quantity,
            codes,
        });
        // A row added without line cells has blank ones.
        let line_width = self.lines.width();
        if line_width > 0 && self.pending_lines.len() < self.pending.len() * line_width {
            self.lines
                .intern(std::iter::repeat(""), &mut self.pending_lines);
        }
        if self.pending.len() >= BATCH {
            self.flush();
        }
    }

    /// Applies the rows still waiting in the batch (so that [`Aggregator::overflow`] says
    /// whether every row added so far fit).
    pub fn settle(&mut self) {
        self.flush();
    }

    /// What no longer fit in memory, if something did not (the rows from then on were dropped).
    pub fn overflow(&self) -> Option<BrowserLimit> {
        self.overflow
    }

    /// Rows taken into the customers: all rows added so far and applied, or, after an
    /// [`Aggregator::overflow`], those applied before it.
    pub fn rows_applied(&self) -> u64 {
        self.applied
    }

    /// Customers of the rows applied ([`Aggregator::customer_count`] adds the pending rows').
    pub fn customers_applied(&self) -> usize {
        self.id_ends.len()
    }

    /// The same aggregator taking at most `limit` customers, as if memory held no more: the
    /// tests' way to reach [`Aggregator::overflow`] without gigabytes.
    #[doc(hidden)]
    pub fn with_customer_limit(mut self, limit: usize) -> Self {
        self.customer_limit = Some(limit);
        self
    }

    /// Room for a batch of `rows` rows in the two records that grow with the file: one customer
    /// and one order log entry per row at most. A vector that cannot grow (past the 2 GiB a
    /// wasm32 vector can address, or past the memory the browser gives) is an error to report,
    /// not a panic that stops the worker.
    fn room(&mut self, rows: usize) -> Result<(), BrowserLimit> {
        let customers = self.customers.len().saturating_add(rows);
        if self.customer_limit.is_some_and(|limit| customers > limit)
            || self.customers.try_reserve(rows).is_err()
        {
            return Err(BrowserLimit::Customers);
        }
        self.order_log
            .try_room(rows)
            .map_err(|_| BrowserLimit::Orders)
    }

    /// Applies the rows added so far: first their customers' slots, in row order (a new
    /// customer gets the next slot), then, having touched every customer of the batch (loads
    /// the processor overlaps), the rows.
    fn flush(&mut self) {
        if self.overflow.is_none() {
            self.overflow = self.room(self.pending.len()).err();
        }
        if self.overflow.is_some() {
            self.pending.clear();
            self.pending_ids.clear();
            self.pending_codes.clear();
            self.pending_lines.clear();
            return;
        }
        self.applied += self.pending.len() as u64;
        let pending = std::mem::take(&mut self.pending);
        let mut pending_ids = std::mem::take(&mut self.pending_ids);
        let mut slots = std::mem::take(&mut self.pending_slots);
        slots.clear();
        // The dense values of the batch's ids first, then the index's cells they go to (a dense
        // cell, or the table's entry where the probe starts) read in a loop of their own (see
        // `CustomerIndex::dense_cell`), then the ids found; the sum only keeps the loads from
        // being optimised away.
        let mut values = std::mem::take(&mut self.pending_values);
        values.clear();
        values.extend(pending.iter().map(|row| {
            match row.repeat {
                true => None,
                false => self
                    .index
                    .dense_value(pending_ids.get(row.id.clone()).unwrap_or_default()),
            }
        }));
        let known = Ids {
            text: &self.ids,
            ends: &self.id_ends,
        };
        let mut touched = 0u32;
        for (row, &value) in pending.iter().zip(&values) {
            let cell = match value {
                Some(value) => self.index.dense_cell(value),
                None if row.repeat => 0,
                None => self.index.table_cell(row.hash, &known),
            };
            touched = touched.wrapping_add(cell);
        }
        std::hint::black_box(touched);
        let mut previous = None;
        for (row, &value) in pending.iter().zip(&values) {
            let slot = match (row.repeat, previous) {
                // The customer of the row before (lines of one order): found already.
                (true, Some(slot)) => slot,
                _ => {
                    let id = pending_ids.get(row.id.clone()).unwrap_or_default();
                    self.known().find_or_add(id, row.hash, row.prefix, value)
                }
            };
            previous = Some(slot);
            slots.push(slot);
        }
        self.pending_values = values;
        // (The sum only keeps the loads from being optimised away.)
        touched = 0;
        for &slot in &slots {
            if let Some(hot) = self.customers.get(slot as usize) {
                touched = touched.wrapping_add(hot.touch());
            }
        }
        std::hint::black_box(touched);
        let line_width = self.lines.width();
        let mut epochs = std::mem::take(&mut self.pending_epochs);
        epochs.clear();
        for (row, &slot) in pending.iter().zip(&slots) {
            let epoch = self.apply(row, slot);
            if line_width > 0 {
                epochs.push(epoch);
            }
        }
        let width = self.attributes.width();
        if width > 0 {
            // The customers' cells first, all at once (as the records above).
            let touched = slots.iter().fold(0u32, |sum, &slot| {
                sum.wrapping_add(self.attributes.touch(slot))
            });
            std::hint::black_box(touched);
            for (row, &slot) in pending.iter().zip(&slots) {
                let codes = self
                    .pending_codes
                    .get(row.codes..row.codes + width)
                    .unwrap_or_default();
                self.attributes.add(slot, row.day, codes);
            }
        }
        self.pending_codes.clear();
        if line_width > 0 {
            // The rows' pairs first, all at once (as the records above).
            let lines = self.pending_lines.chunks_exact(line_width);
            let touched = slots.iter().zip(lines).fold(0u32, |sum, (&slot, codes)| {
                sum.wrapping_add(self.lines.touch(slot, codes))
            });
            std::hint::black_box(touched);
            for (i, ((row, &slot), &epoch)) in pending.iter().zip(&slots).zip(&epochs).enumerate() {
                let codes = self
                    .pending_lines
                    .get(i * line_width..(i + 1) * line_width)
                    .unwrap_or_default();
                let profit = row.profit.unwrap_or(0.0);
                let order = row.order.map(|key| (epoch, key));
                self.lines.add(slot, codes, row.amount, profit, order);
            }
        }
        self.pending_lines.clear();
        self.pending_epochs = epochs;
        let mut pending = pending;
        pending.clear();
        pending_ids.clear();
        self.pending = pending;
        self.pending_ids = pending_ids;
        self.pending_slots = slots;
    }

    /// Adds one row to its customer, the one in `slot`; gives the customer's order epoch after
    /// it ([`Hot::epoch`]).
    fn apply(&mut self, row: &Pending, slot: u32) -> u32 {
        let Some(customer) = self.customers.get_mut(slot as usize) else {
            return 0;
        };
        customer.rows += 1;
        if row.amount < 0.0 {
            customer.returns += 1;
        }
        let mut new_order = None;
        match row.order {
            Some(hash) => {
                // Lines of one order usually follow each other: note the order only when it
                // changes (keys are equal exactly when the ids are).
                if customer.last_order != hash {
                    customer.last_order = hash;
                    customer.epoch = customer.epoch.wrapping_add(1).max(1);
                    new_order = Some(hash);
                }
            }
            None => customer.orders += 1,
        }
        let (amount, profit, quantity) = (row.amount, row.profit, row.quantity);
        match row.day {
            Some(day) if self.history.is_dated() => {
                let keyed = row.order.is_some();
                let open = &mut customer.day;
                self.history
                    .add(open, slot, day, keyed, amount, profit, quantity);
            }
            // Without dates the record keeps the customer's sums.
            _ if !self.history.is_dated() => customer.day.add_to_sums(amount, profit, quantity),
            _ => {
                let sums = self.undated.entry(slot).or_insert([0.0; 3]);
                sums[0] += amount;
                sums[1] += profit.unwrap_or(0.0);
                sums[2] += quantity.unwrap_or(0.0);
            }
        }
        let epoch = customer.epoch;
        if let Some(hash) = new_order {
            let day = row.day.unwrap_or(NO_DAY);
            self.order_log.push((slot, day, hash));
            if self.order_log.len() >= self.compact_at.max(MIN_COMPACTION) {
                self.compact_order_log();
            }
        }
        epoch
    }

    /// Drops repeated entries from the order log, so that it stays within twice the number of
    /// distinct orders even when a customer's orders alternate from row to row.
    fn compact_order_log(&mut self) {
        let log = std::mem::take(&mut self.order_log);
        let log = order_log::compacted(log, self.customer_count(), self.history.is_dated());
        self.compact_at = 2 * log.len();
        self.order_log = log;
    }

    /// Closes every customer's open purchase day ([`HistoryBuilder`]).
    fn close_days(&mut self) {
        for (slot, hot) in (0u32..).zip(self.customers.iter_mut()) {
            self.history.close(slot, &mut hot.day);
        }
    }

    /// Takes the aggregator apart for [`Aggregator::finish`] and [`Aggregator::into_part`].
    fn into_parts(mut self) -> Finished {
        self.flush();
        self.close_days();
        Finished {
            customers: self.customers,
            order_log: self.order_log,
            ids: self.ids,
            id_ends: self.id_ends,
            order_keys: self.order_keys,
            history: self.history,
            attributes: self.attributes,
            lines: self.lines,
        }
    }

    /// Finishes: customers sorted by id, months sorted.
    pub fn finish(self) -> CustomerTable {
        self.finish_with_history().0
    }

    /// Finishes: the customers sorted by id, and their purchase days in the same order.
    pub fn finish_with_history(self) -> (CustomerTable, PurchaseHistory) {
        let (table, history, _) = self.finish_all();
        (table, history)
    }

    /// Finishes: the customers sorted by id, their purchase days and, when the aggregator keeps
    /// attributes ([`Aggregator::with_attributes`]), their attributes, both in the same order.
    pub fn finish_all(self) -> (CustomerTable, PurchaseHistory, Option<CustomerAttributes>) {
        let (table, history, attributes, _) = self.finish_with_lines();
        (table, history, attributes)
    }

    /// [`Aggregator::finish_all`], with the line attributes when the aggregator keeps some
    /// ([`Aggregator::with_lines`]), in the table's order too.
    pub fn finish_with_lines(
        self,
    ) -> (
        CustomerTable,
        PurchaseHistory,
        Option<CustomerAttributes>,
        Option<LineAttributes>,
    ) {
        let columns = self.columns;
        let mut customers = Vec::with_capacity(self.customers.len());
        let (history, attributes, lines) =
            self.finish_each(MonthsTo::Customers, false, |id, customer| {
                let mut customer = customer.clone();
                customer.id = id.into();
                customers.push(customer);
            });
        (
            CustomerTable { customers, columns },
            history,
            attributes,
            lines,
        )
    }

    /// [`Aggregator::finish_with_lines`] with the customers flat ([`FlatCustomers`]): the same
    /// customers in the same order, what the import worker writes into its `Done` frame —
    /// without their months, which are their purchase days' ([`Months::of_days`]: the page
    /// reads them from the days it is sent).
    pub fn finish_flat(
        mut self,
    ) -> (
        FlatCustomers,
        PurchaseHistory,
        Option<CustomerAttributes>,
        Option<LineAttributes>,
    ) {
        // Every row applied, so that the customers are counted (the finish flushes the same way).
        self.flush();
        let count = self.customers.len();
        let (columns, id_bytes) = (self.columns, self.ids.len());
        let mut flat = FlatCustomers {
            figures: CustomerColumns::with_capacity(columns, 0),
            ..FlatCustomers::default()
        };
        let mut series = MonthlySeries::default();
        let months = MonthsTo::Series(&mut series);
        // The line attributes' pairs packed, as the frame carries them (never as columns here).
        let (history, attributes, lines) = self.finish_each(months, true, |id, customer| {
            // Room for every customer once the first comes: the attributes' and the history's
            // working memory is gone by then and can serve it.
            if flat.id_ends.is_empty() {
                flat = FlatCustomers {
                    figures: CustomerColumns::with_capacity(columns, count),
                    id_text: String::with_capacity(id_bytes),
                    id_ends: Vec::with_capacity(count),
                    monthly: None,
                };
            }
            flat.push_id(id);
            flat.figures.push_figures(customer);
        });
        flat.monthly = Some(series.finish());
        (flat, history, attributes, lines)
    }

    /// Finishes, handing each customer (its id, and the customer without it, whose months'
    /// buffer serves the next) to `emit` in id order, its months where `months` says; the
    /// purchase days and attributes in the same order, the line attributes' pairs packed when
    /// `lines_packed` says so ([`LineAttribute::packed`](super::dimensions::LineAttribute::packed)).
    fn finish_each(
        mut self,
        mut months: MonthsTo<'_>,
        lines_packed: bool,
        mut emit: impl FnMut(&str, &mut Customer),
    ) -> (
        PurchaseHistory,
        Option<CustomerAttributes>,
        Option<LineAttributes>,
    ) {
        super::mark("finish: start");
        self.flush();
        super::mark("finish: flushed");
        let undated = std::mem::take(&mut self.undated);
        let order = {
            let ids = Ids {
                text: &self.ids,
                ends: &self.id_ends,
            };
            // By id: first by the id's first 8 bytes as a number (which orders them as the
            // bytes do), then, among ids that share those, by the whole id. Ids are distinct,
            // so an unstable sort gives the one order there is.
            let mut order: Vec<(u64, u32)> = (0..self.customers.len())
                .map(|slot| {
                    let slot = u32::try_from(slot).unwrap_or(u32::MAX);
                    (id_prefix(ids.get(slot)), slot)
                })
                .collect();
            order.sort_unstable();
            for run in order.chunk_by_mut(|a, b| a.0 == b.0) {
                if run.len() > 1 {
                    run.sort_unstable_by(|a, b| ids.get(a.1).cmp(ids.get(b.1)));
                }
            }
            order
        };
        // The attributes first: the line attributes' working memory (their pairs, table and
        // log: hundreds of MB at 10M rows) goes before the order log is grouped and the
        // customers are built, which can then use it.
        let slots: Vec<u32> = order.iter().map(|&(_, slot)| slot).collect();
        super::mark("finish: ids sorted");
        let builder = std::mem::take(&mut self.attributes);
        let attributes = (builder.width() > 0).then(|| builder.finish(&slots));
        let line_builder = std::mem::take(&mut self.lines);
        super::mark("finish: attributes");
        let mut finished = self.into_parts();
        // Distinct orders per slot and each order's first day, the log going as it is read.
        let builder = std::mem::take(&mut finished.history);
        let builder_dated = builder.is_dated();
        let (distinct, firsts) = order_log::distinct_orders(
            std::mem::take(&mut finished.order_log),
            finished.customers.len(),
            builder_dated,
        );
        finished.order_keys = OrderKeys::default();
        super::mark("finish: order log grouped");
        let ids = Ids {
            text: &finished.ids,
            ends: &finished.id_ends,
        };
        let places = builder.places(&slots, OrderLog::Firsts(firsts));
        super::mark("finish: history places");
        // The history before the customers, whose months are its days'.
        let history = builder.finish(places);
        super::mark("finish: history");
        let dated = builder_dated;
        let mut customer = Customer::default();
        for (batch, places) in order.chunks(BATCH).zip((0..).step_by(BATCH)) {
            // In id order the customers lie all over memory: touch a batch of them (and their
            // ids) before building any, so that they are fetched side by side.
            let mut touched = 0u32;
            for &(_, slot) in batch {
                if let Some(hot) = finished.customers.get(slot as usize) {
                    let id = ids.get(slot).as_bytes();
                    touched = touched
                        .wrapping_add(hot.rows)
                        .wrapping_add(id.first().map_or(0, |&b| u32::from(b)))
                        .wrapping_add(distinct.get(slot as usize).copied().unwrap_or(0));
                }
            }
            std::hint::black_box(touched);
            for (place, &(_, slot)) in (places..).zip(batch) {
                let Some(hot) = finished.customers.get(slot as usize) else {
                    continue;
                };
                let orders = distinct.get(slot as usize).copied().unwrap_or(0);
                let mut kept = match std::mem::take(&mut customer.months) {
                    Months::Kept(kept) => kept,
                    Months::Days { .. } => Vec::new(),
                };
                kept.clear();
                let (days, undated) = (history.days(place), undated.get(&slot));
                let gathered = match (dated, &mut months) {
                    (true, MonthsTo::Customers) => {
                        Gathered::of_days(days, undated, &mut |month| kept.push(month))
                    }
                    (true, MonthsTo::Series(series)) => {
                        Gathered::of_days(days, undated, &mut |m| series.add(m.month, m.sales))
                    }
                    (false, _) => Gathered::of_record(hot),
                };
                customer = hot.customer_with(String::new(), orders, &gathered, Months::Kept(kept));
                emit(ids.get(slot), &mut customer);
            }
        }
        drop(finished);
        super::mark("finish: customers");
        let lines = (line_builder.width() > 0).then(|| line_builder.finish(&slots, lines_packed));
        super::mark("finish: lines");
        (history, attributes, lines)
    }
}

/// Where [`Aggregator::finish_each`] puts the customers' months.
enum MonthsTo<'a> {
    /// Kept with each customer.
    Customers,
    /// Summed into a monthly series, none kept (they are the purchase days').
    Series(&'a mut MonthlySeries),
}

/// An aggregator taken apart: its customers (by slot), its order log, and the ids.
struct Finished {
    customers: Vec<Hot>,
    /// The order log, not grouped ([`order_log`]).
    order_log: Chunked<order_log::Entry>,
    ids: String,
    id_ends: Vec<usize>,
    order_keys: OrderKeys,
    history: HistoryBuilder,
    attributes: AttributeBuilder,
    lines: LineBuilder,
}

/// The order keys (or their days) logged for the customer in `slot`, sorted (repeats
/// included), from [`order_log::grouped`].
fn orders_of<'a, T>(starts: &[usize], hashes: &'a [T], slot: u32) -> &'a [T] {
    let slot = slot as usize;
    match (starts.get(slot), starts.get(slot + 1)) {
        (Some(&start), Some(&end)) => hashes.get(start..end).unwrap_or_default(),
        _ => &[],
    }
}

/// The customers an aggregator knows, borrowed to find or add one.
struct Known<'a> {
    index: &'a mut CustomerIndex,
    customers: &'a mut Vec<Hot>,
    ids: &'a mut String,
    id_ends: &'a mut Vec<usize>,
}

impl Known<'_> {
    /// The slot of customer `id` (whose [`id_hash`] is `hash` and [`id_prefix`] is `prefix`),
    /// added (without rows) when new.
    ///
    /// `dense` is the id's dense value when it was known ([`CustomerIndex::dense_value`]),
    /// which spares finding it again.
    fn find_or_add(self, id: &str, hash: u64, prefix: u64, dense: Option<usize>) -> u32 {
        let Known {
            index,
            customers,
            ids,
            id_ends,
        } = self;
        let known = Ids {
            text: ids,
            ends: id_ends,
        };
        let found = match dense {
            Some(value) => index.find_dense(value),
            None => index.find(id, hash, prefix, &known),
        };
        if let Some(slot) = found {
            return slot;
        }
        // There are fewer customers than rows, which are counted in `u32` too.
        let slot = u32::try_from(id_ends.len()).unwrap_or(u32::MAX);
        ids.push_str(id);
        id_ends.push(ids.len());
        customers.push(Hot::NEW);
        let known = Ids {
            text: ids,
            ends: id_ends,
        };
        index.insert(id, hash, prefix, slot, &known);
        slot
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A customer's rows as a dated aggregator sees them: its dated rows as runs of one day (a
    /// run ends at the customer's next dated row of another day), each run's sales, profit and
    /// quantity added up from 0 in row order, a day's the sum of its runs in order, a month's
    /// and the customer's the sums of its days, oldest first (`engine::history`); the rows
    /// without a day added up apart, and last.
    #[derive(Default)]
    pub(super) struct Runs {
        pub(super) open: Option<Day>,
        pub(super) runs: Vec<(Day, [f64; 3])>,
        pub(super) undated: Option<[f64; 3]>,
    }

    impl Runs {
        pub(super) fn add(&mut self, day: Day, sales: f64, profit: f64) {
            self.add_row(Some(day), [sales, profit, 0.0]);
        }

        /// A row with its sales, profit and quantity.
        pub(super) fn add_row(&mut self, day: Option<Day>, sums: [f64; 3]) {
            let Some(day) = day else {
                let undated = self.undated.get_or_insert([0.0; 3]);
                undated.iter_mut().zip(sums).for_each(|(u, s)| *u += s);
                return;
            };
            if self.open != Some(day) || self.runs.is_empty() {
                self.runs.push((day, [0.0; 3]));
                self.open = Some(day);
            }
            if let Some((_, run)) = self.runs.last_mut() {
                run.iter_mut().zip(sums).for_each(|(r, s)| *r += s);
            }
        }

        /// Each day's sums, oldest first.
        pub(super) fn days(&self) -> Vec<(Day, [f64; 3])> {
            let mut days: std::collections::BTreeMap<Day, [f64; 3]> = Default::default();
            for &(day, sums) in &self.runs {
                match days.get_mut(&day) {
                    Some(into) => into.iter_mut().zip(sums).for_each(|(i, s)| *i += s),
                    None => {
                        days.insert(day, sums);
                    }
                }
            }
            days.into_iter().collect()
        }

        /// The customer's sales, profit and quantity.
        pub(super) fn sums(&self) -> [f64; 3] {
            let mut total = [0.0; 3];
            for (_, sums) in self.days() {
                total.iter_mut().zip(sums).for_each(|(t, s)| *t += s);
            }
            if let Some(undated) = self.undated {
                total.iter_mut().zip(undated).for_each(|(t, u)| *t += u);
            }
            total
        }

        pub(super) fn months(&self) -> Vec<MonthTotal> {
            let mut months: Vec<MonthTotal> = Vec::new();
            for (day, [sales, profit, _]) in self.days() {
                match months.last_mut() {
                    Some(last) if last.month == day.month() => {
                        last.sales += sales;
                        last.profit += profit;
                    }
                    _ => months.push(MonthTotal {
                        month: day.month(),
                        sales,
                        profit,
                    }),
                }
            }
            months
        }
    }

    pub(super) fn tx<'a>(
        customer: &'a str,
        order: &'a str,
        day: i32,
        amount: f64,
    ) -> Transaction<'a> {
        Transaction {
            customer,
            order: Some(order),
            day: Some(Day::from_epoch_days(day)),
            amount,
            profit: Some(amount / 10.0),
            quantity: Some(1.0),
        }
    }

    #[test]
    fn nets_returns_and_counts_distinct_orders() {
        let columns = Columns {
            order: true,
            date: true,
            profit: true,
            quantity: true,
        };
        let mut aggregator = Aggregator::new(columns);
        for row in [
            tx("b", "o1", 10, 100.0),
            tx("b", "o1", 10, 50.0),
            tx("a", "o2", 40, 30.0),
            tx("b", "o3", 5, 20.0),
            tx("b", "o1", 12, -50.0),
        ] {
            aggregator.add(&row);
        }
        let table = aggregator.finish();
        assert_eq!(table.customers.len(), 2);
        let a = &table.customers[0];
        let b = &table.customers[1];
        assert_eq!((a.id.as_str(), a.orders, a.sales), ("a", 1, 30.0));
        assert_eq!((b.id.as_str(), b.rows, b.orders, b.returns), ("b", 4, 2, 1));
        assert!((b.sales - 120.0).abs() < 1e-9);
        assert!((b.profit - 12.0).abs() < 1e-9);
        assert_eq!(
            (b.first, b.last),
            (
                Some(Day::from_epoch_days(5)),
                Some(Day::from_epoch_days(12))
            )
        );
        assert_eq!(b.average_order_value(), 60.0);
    }

    #[test]
    fn ids_with_the_same_hash_stay_apart() {
        let mut aggregator = Aggregator::new(Columns::default());
        // Three ids forced onto one hash, long and short, each met twice.
        for id in [
            "a",
            "b",
            "a-very-long-customer-id",
            "b",
            "a",
            "a-very-long-customer-id",
        ] {
            let slot = aggregator.known().find_or_add(id, 7, id_prefix(id), None);
            aggregator.customers[slot as usize].rows += 1;
        }
        assert_eq!(aggregator.customer_count(), 3);
        let rows: Vec<(String, u32)> = aggregator
            .finish()
            .customers
            .into_iter()
            .map(|c| (c.id.into_string(), c.rows))
            .collect();
        assert_eq!(
            rows,
            [
                ("a".into(), 2),
                ("a-very-long-customer-id".into(), 2),
                ("b".into(), 2)
            ]
        );
    }

    #[test]
    fn ids_sharing_their_first_bytes_sort_as_strings() {
        let mut aggregator = Aggregator::new(Columns::default());
        let ids = [
            "customer-10",
            "customer-9",
            "customer",
            "custom\0",
            "",
            "客户乙",
            "客户甲",
        ];
        for id in ids {
            aggregator.add(&Transaction {
                customer: id,
                order: None,
                day: None,
                amount: 1.0,
                profit: None,
                quantity: None,
            });
        }
        let mut expected: Vec<&str> = ids.to_vec();
        expected.sort();
        let got: Vec<String> = aggregator
            .finish()
            .customers
            .into_iter()
            .map(|c| c.id.into_string())
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn customers_are_counted_before_their_rows_are_applied() {
        let mut aggregator = Aggregator::new(Columns::default());
        for (i, id) in ["a", "b", "a", "c", "b", "d"].into_iter().enumerate() {
            aggregator.add(&Transaction {
                customer: id,
                order: None,
                day: None,
                amount: 1.0,
                profit: None,
                quantity: None,
            });
            let expected = [1, 2, 2, 3, 3, 4][i];
            assert_eq!(aggregator.customer_count(), expected, "after row {i}");
            if i == 2 {
                aggregator.flush();
            }
        }
    }

    #[test]
    fn months_out_of_date_order_are_their_days_sums_one_per_customer_month() {
        // 5,000 customers, 40 rows each in a scrambled order of 25 months: about 190,000 month
        // switches and 100,000 customer-months, with months taken back up all the time.
        let mut state = 0x1234_5678_9abc_def0u64;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            state >> 33
        };
        let ids: Vec<String> = (0..5_000).map(|i| format!("c{i}")).collect();
        let mut runs: Vec<Runs> = ids.iter().map(|_| Runs::default()).collect();
        let mut aggregator = Aggregator::new(Columns {
            order: false,
            date: true,
            profit: true,
            quantity: false,
        });
        for _ in 0..40 {
            for (id, runs) in ids.iter().zip(&mut runs) {
                // A day in one of 25 months from 2023-01 on (day 19,358 is 2023-01-01).
                let day = Day::from_epoch_days(19_358 + (next() % 25) as i32 * 31);
                let amount = (next() % 10_000) as f64 / 100.0 - 10.0;
                let profit = amount / 7.0;
                aggregator.add(&Transaction {
                    customer: id,
                    order: None,
                    day: Some(day),
                    amount,
                    profit: Some(profit),
                    quantity: None,
                });
                runs.add(day, amount, profit);
            }
        }
        let expected: std::collections::BTreeMap<(&str, Month), (f64, f64)> = ids
            .iter()
            .zip(&runs)
            .flat_map(|(id, runs)| {
                runs.months()
                    .into_iter()
                    .map(move |m| ((id.as_str(), m.month), (m.sales, m.profit)))
            })
            .collect();
        let table = aggregator.finish();
        let got: std::collections::BTreeMap<(&str, Month), (f64, f64)> = table
            .customers
            .iter()
            .flat_map(|c| {
                c.months
                    .iter()
                    .map(move |m| ((c.id.as_str(), m.month), (m.sales, m.profit)))
            })
            .collect();
        assert_eq!(got, expected);
        for customer in &table.customers {
            assert!(customer
                .months
                .to_vec()
                .windows(2)
                .all(|w| w[0].month < w[1].month));
        }
        // The customers' sums are their days' too.
        let sums: std::collections::BTreeMap<&str, [f64; 3]> = ids
            .iter()
            .map(String::as_str)
            .zip(runs.iter().map(Runs::sums))
            .collect();
        for customer in &table.customers {
            let [sales, profit, _] = sums[customer.id.as_str()];
            assert_eq!((customer.sales, customer.profit), (sales, profit));
        }
    }

    #[test]
    fn order_keys_are_equal_exactly_when_the_ids_are_and_give_the_ids_back() {
        let ids = [
            "",
            "0",
            "a",
            "\0a",
            "a\0",
            "O1",
            "O01",
            "O001",
            "客户",
            "客户甲",
            "1234567",
            "12345678",
            "012345678",
            "O12345678",
            "P12345678",
            "O000071036",
            "O000075520",
            "#000000000000001",
            "999999999999999",
            "9999999999999999",
            "O9999999999999999",
            "SO-2024-0001",
            "SO-2024-0002",
            "123e4567-e89b-12d3-a456-426614174000",
            "é1234567890",
            "-12345678",
        ];
        let mut keys = OrderKeys::default();
        let made: Vec<u64> = ids.iter().map(|id| keys.key(id)).collect();
        for (i, a) in ids.iter().enumerate() {
            assert_eq!(keys.id(made[i]), *a, "round trip of {a:?}");
            assert_eq!(keys.key(a), made[i], "{a:?} again");
            // No key is the sentinel of a customer without an order yet (`Hot::last_order`).
            assert_ne!(made[i], NO_ORDER, "{a:?}");
            assert_ne!(made[i] & KEY_TAG, KEY_TAG, "{a:?}");
            for (j, b) in ids.iter().enumerate().skip(i + 1) {
                assert_ne!(made[i], made[j], "{a:?} and {b:?} share a key");
            }
        }
        // Only the ids that do not pack are kept.
        let known = Ids {
            text: &keys.text,
            ends: &keys.ends,
        };
        let numbered: Vec<&str> = (0..keys.ends.len() as u32).map(|n| known.get(n)).collect();
        assert_eq!(
            numbered,
            [
                "\0a",
                "a\0",
                "客户甲",
                "9999999999999999",
                "O9999999999999999",
                "SO-2024-0001",
                "SO-2024-0002",
                "123e4567-e89b-12d3-a456-426614174000",
                "é1234567890"
            ]
        );
    }

    #[test]
    fn order_ids_whose_hashes_collide_count_apart() {
        // Regression: distinct orders were counted by an FxHash of the id, which is 32 bits in
        // wasm32, where these ids of one customer collide (found by the hostile-input review):
        // C1 showed one order instead of two. Ids are now compared as text, never by hash, so
        // no pair of distinct ids can meet; the browser test drops the same rows on the page.
        let mut aggregator = Aggregator::new(Columns {
            order: true,
            ..Columns::default()
        });
        let rows = [
            ("C1", "O000071036"),
            ("C1", "O000075520"),
            ("C2", "O000000001"),
            ("C2", "O000000002"),
            ("C1", "O000071036"),
        ];
        for (customer, order) in rows {
            aggregator.add(&Transaction {
                customer,
                order: Some(order),
                day: None,
                amount: 1.0,
                profit: None,
                quantity: None,
            });
        }
        let orders: Vec<(String, u32)> = aggregator
            .finish()
            .customers
            .into_iter()
            .map(|c| (c.id.into_string(), c.orders))
            .collect();
        assert_eq!(orders, [("C1".into(), 2), ("C2".into(), 2)]);
    }

    #[test]
    fn a_customer_whose_orders_alternate_keeps_a_short_log() {
        let mut aggregator = Aggregator::new(Columns {
            order: true,
            ..Columns::default()
        });
        let orders = ["o1", "o2", "o3"];
        for i in 0..(3 * MIN_COMPACTION) {
            aggregator.add(&Transaction {
                customer: "c",
                order: Some(orders[i % 3]),
                day: None,
                amount: 1.0,
                profit: None,
                quantity: None,
            });
        }
        assert!(aggregator.order_log.len() < MIN_COMPACTION);
        assert_eq!(aggregator.finish().customers[0].orders, 3);
    }
}

/// The aggregator against the straightforward one it replaced (kept here as the reference): the
/// same table to the last bit, for rows in any order, whole or merged from two parts.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod equivalence {
    use super::tests::Runs;
    use super::*;
    use proptest::collection::vec;
    use proptest::prelude::*;
    use proptest::sample::select;
    use rustc_hash::FxHashSet;

    /// The former aggregator (with a date column): a map of boxed ids to customers, each with
    /// its order ids in a set of its own (it held their hashes, which was wrong), and its sums
    /// and months as those of its purchase days, kept as the runs of its dated rows (see
    /// [`Runs`]).
    #[derive(Default)]
    struct Reference {
        index: FxHashMap<Box<str>, usize>,
        accumulators: Vec<(Customer, FxHashSet<String>, Option<String>)>,
        runs: Vec<Runs>,
        columns: Columns,
    }

    impl Reference {
        fn slot(&mut self, id: &str) -> usize {
            if let Some(&slot) = self.index.get(id) {
                return slot;
            }
            let slot = self.accumulators.len();
            self.index.insert(id.into(), slot);
            let customer = Customer {
                id: id.into(),
                ..Default::default()
            };
            self.accumulators
                .push((customer, FxHashSet::default(), None));
            self.runs.push(Runs::default());
            slot
        }

        fn add(&mut self, row: &Transaction<'_>) {
            let slot = self.slot(row.customer);
            let (customer, order_ids, last_order) = &mut self.accumulators[slot];
            customer.rows += 1;
            if row.amount < 0.0 {
                customer.returns += 1;
            }
            let sums = [
                row.amount,
                row.profit.unwrap_or(0.0),
                row.quantity.unwrap_or(0.0),
            ];
            self.runs[slot].add_row(row.day, sums);
            match row.order {
                Some(order) => {
                    if last_order.as_deref() != Some(order) {
                        *last_order = Some(order.to_string());
                        if order_ids.insert(order.to_string()) {
                            customer.orders += 1;
                        }
                    }
                }
                None => customer.orders += 1,
            }
            if let Some(day) = row.day {
                customer.first = Some(customer.first.map_or(day, |f| f.min(day)));
                customer.last = Some(customer.last.map_or(day, |l| l.max(day)));
            }
        }

        /// What `into_part` then `absorb` did, in one step.
        fn absorb(&mut self, part: Reference) {
            // Every open day closes.
            self.runs.iter_mut().for_each(|runs| runs.open = None);
            for ((customer, hashes, _), runs) in part.accumulators.into_iter().zip(part.runs) {
                let slot = self.slot(&customer.id);
                // The part's days come as runs of their own, its undated rows' sums as one.
                let into_runs = &mut self.runs[slot];
                into_runs.runs.extend(runs.days());
                if let Some(undated) = runs.undated {
                    let into = into_runs.undated.get_or_insert([0.0; 3]);
                    into.iter_mut().zip(undated).for_each(|(i, u)| *i += u);
                }
                let (into, known, _) = &mut self.accumulators[slot];
                into.rows += customer.rows;
                into.returns += customer.returns;
                into.first = match (into.first, customer.first) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                into.last = match (into.last, customer.last) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                };
                if self.columns.order {
                    for order in hashes {
                        if known.insert(order) {
                            into.orders += 1;
                        }
                    }
                } else {
                    into.orders += customer.orders;
                }
            }
        }

        fn finish(self) -> CustomerTable {
            let mut customers: Vec<Customer> = self
                .accumulators
                .into_iter()
                .zip(&self.runs)
                .map(|((mut customer, _, _), runs)| {
                    [customer.sales, customer.profit, customer.quantity] = runs.sums();
                    customer.months = runs.months().into();
                    customer
                })
                .collect();
            customers.sort_by(|a, b| a.id.cmp(&b.id));
            CustomerTable {
                customers,
                columns: self.columns,
            }
        }
    }

    /// A row as drawn: customer and order (indices into [`IDS`] and [`ORDERS`]), day, amount,
    /// profit, quantity.
    type Row = (
        usize,
        Option<usize>,
        Option<i32>,
        f64,
        Option<f64>,
        Option<f64>,
    );

    /// Rows: few customers (so they repeat), orders that come back, days over a few years in
    /// any order, amounts with cents (`-0.0` included), optional fields.
    fn rows() -> impl Strategy<Value = Vec<Row>> {
        vec(
            (
                0..IDS.len(),
                proptest::option::weighted(0.8, 0..8usize),
                proptest::option::weighted(0.9, 18_000..19_500i32),
                select(vec![
                    0.0,
                    -0.0,
                    0.1,
                    0.2,
                    0.3,
                    12.34,
                    -5.55,
                    1e15,
                    99_999.99,
                    1.0 / 3.0,
                ]),
                proptest::option::of(select(vec![0.0, -0.0, 0.1, 0.7, -2.25])),
                proptest::option::of(select(vec![1.0, 2.0, 0.5])),
            ),
            0..80,
        )
    }

    /// Dense ids (`c1`: the first of them fixes the shape) and ids of the look-up table.
    const IDS: [&str; 8] = [
        "c1",
        "c2",
        "客户甲",
        "customer-with-a-long-id",
        "customer-with-a-long-ie",
        "",
        "c01",
        "C1",
    ];
    const ORDERS: [&str; 8] = [
        "o1",
        "o2",
        "O000071036",
        "an-order-id-longer-than-eight",
        "",
        "O000075520",
        "20240101",
        "o3",
    ];

    fn transactions(rows: &[Row]) -> Vec<Transaction<'static>> {
        rows.iter()
            .map(
                |&(customer, order, day, amount, profit, quantity)| Transaction {
                    customer: IDS[customer],
                    order: order.map(|o| ORDERS[o]),
                    day: day.map(Day::from_epoch_days),
                    amount,
                    profit,
                    quantity,
                },
            )
            .collect()
    }

    /// Equal to the last bit (`-0.0` is not `0.0` here).
    fn same(a: &CustomerTable, b: &CustomerTable) -> bool {
        format!("{a:?}") == format!("{b:?}")
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 500, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn the_same_table_as_the_former_aggregator(rows in rows(), order in any::<bool>()) {
            let columns = Columns { order, date: true, profit: true, quantity: true };
            let rows = transactions(&rows);
            let mut aggregator = Aggregator::new(columns);
            let mut reference = Reference { columns, ..Default::default() };
            for row in &rows {
                aggregator.add(row);
                reference.add(row);
                prop_assert_eq!(aggregator.customer_count(), reference.accumulators.len());
            }
            let (got, expected) = (aggregator.finish(), reference.finish());
            prop_assert!(same(&got, &expected), "{:?}\n{:?}", got, expected);
        }

        /// The worker's flat finish is the table's finish, column by column, with the same
        /// purchase days: rows in any order, with and without order ids.
        #[test]
        fn the_flat_finish_is_the_table_finish(rows in rows(), order in any::<bool>(), date in any::<bool>()) {
            let columns = Columns { order, date, profit: true, quantity: true };
            let rows = transactions(&rows);
            let rows: Vec<Transaction<'_>> = rows
                .into_iter()
                .map(|row| Transaction { day: row.day.filter(|_| date), ..row })
                .collect();
            let (mut table, mut flat) = (Aggregator::new(columns), Aggregator::new(columns));
            for row in &rows {
                table.add(row);
                flat.add(row);
            }
            let (table, table_days, _, _) = table.finish_with_lines();
            let (flat, flat_days, _, _) = flat.finish_flat();
            prop_assert_eq!(&flat_days, &table_days);
            // No months: they are the purchase days'.
            prop_assert!(flat.figures.months.is_empty());
            // Their monthly series instead, summed as the days were read.
            let expected = crate::engine::monthly::monthly_sales(&table);
            prop_assert_eq!(flat.monthly.as_ref(), Some(&expected));
            let mut without = table.clone();
            without.customers.iter_mut().for_each(|c| c.months = Months::default());
            let mut flat = flat;
            flat.monthly = None;
            prop_assert_eq!(&flat, &FlatCustomers::from_table(without));
            // Read from the days, they are the table's to the last bit.
            let history = std::sync::Arc::new(flat_days);
            let mut read = flat.into_table().unwrap();
            for (index, customer) in read.customers.iter_mut().enumerate() {
                customer.months = Months::of_days(history.clone(), index);
            }
            prop_assert!(same(&read, &table), "{:?}\n{:?}", read, table);
        }

        #[test]
        fn two_parts_merge_as_the_former_aggregator_merged_them(
            rows in rows(),
            cut in any::<usize>(),
            order in any::<bool>(),
        ) {
            let columns = Columns { order, date: true, profit: true, quantity: true };
            let rows = transactions(&rows);
            let cut = cut % (rows.len() + 1);
            let (mut first, mut second) = (Aggregator::new(columns), Aggregator::new(columns));
            let mut reference = Reference { columns, ..Default::default() };
            let mut reference_second = Reference { columns, ..Default::default() };
            for row in &rows[..cut] {
                first.add(row);
                reference.add(row);
            }
            for row in &rows[cut..] {
                second.add(row);
                reference_second.add(row);
            }
            first.absorb(second.into_part());
            reference.absorb(reference_second);
            // Rows after the merge, as the importer of the first part would not add, but may.
            for row in rows.iter().take(5) {
                first.add(row);
                reference.add(row);
            }
            let (got, expected) = (first.finish(), reference.finish());
            prop_assert!(same(&got, &expected), "{:?}\n{:?}", got, expected);
        }
    }
}
