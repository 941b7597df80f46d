//! Line attributes (订单行维度, issue 20): columns that describe an order line rather than a
//! customer — product 产品, category 品类, SKU 货号 — kept per customer and value as the net
//! sales, profit and orders of the customer's lines with that value, and the product mix
//! ([`product_mix`]) built on them.
//!
//! # What is kept
//! For each line attribute and each (customer, value) pair that occurs — and only those: the
//! pairs are stored sparsely — the **net sales** and **net profit** of the customer's lines with
//! that value (returns netted in, as the customer's own sales are), and the **orders with a
//! matching line**: distinct order ids among those lines (rows without an order id, or every
//! row without an order column, count one order each, as [`crate::engine::customers::Customer::orders`]
//! does). Rows may come in any order, and a file read in two parts gives the same figures.
//!
//! # Memory
//! Values are interned per attribute ([`LineAttribute::values`]). While the rows stream, a pair
//! costs 32 bytes (in chunks, so never twice over while they grow) and 8–16 bytes of the table
//! that finds it (24–48 while the table grows), and each change of order within a pair a
//! 12-byte log entry (in chunks too; at most one per row); the result costs 24 bytes per pair
//! (its five columns), or about 8 packed ([`super::packed`]: how the import worker finishes the
//! pairs for its `Done` frame). At most [`LINE_LIMIT`] line attributes are aggregated, the first
//! ones mapped.

use serde::{Deserialize, Serialize};

use super::packed::PackedPairs;
use super::{breakdown::ValueLabel, Dictionary, NONE};
use crate::engine::chunked::Chunked;
use crate::engine::customers::{Customer, CustomerTable};
use crate::engine::deciles::DECILES;
use crate::engine::error::{Error, FormatProblem, FormatSubject, Result};
use crate::engine::history::encoding::{tagged_value_len, varint_len};
use crate::engine::rfm::{RfmScores, Segmentation};

/// Line attributes aggregated at most (the first ones mapped); more may be mapped, the mapping
/// says which are kept.
pub const LINE_LIMIT: usize = 2;

/// Values shown in a product mix before "Other".
pub const MIX_TOP: usize = 10;

/// What a line attribute column means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LineKind {
    /// Product name (产品, 商品名称).
    Product,
    /// Category (品类, 类别, 商品类别).
    Category,
    /// Stock-keeping unit (货号, SKU, 商品编码).
    Sku,
}

impl LineKind {
    /// All kinds, in the order the mapping offers them.
    pub const ALL: [LineKind; 3] = [LineKind::Category, LineKind::Product, LineKind::Sku];

    /// A stable machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::Product => "product",
            LineKind::Category => "category",
            LineKind::Sku => "sku",
        }
    }

    /// The kind whose [`LineKind::as_str`] is `name`.
    pub fn from_name(name: &str) -> Option<LineKind> {
        LineKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// One column mapped as a line attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LineColumn {
    /// The column (zero-based).
    pub column: usize,
    /// What it means.
    pub kind: LineKind,
}

/// The machine names of line attribute columns, in their order: the kind's name, with `_2` …
/// for the second and later columns of the same kind (`category`, `category_2`).
pub fn line_keys(columns: &[LineColumn]) -> Vec<String> {
    super::numbered_keys(columns.iter().map(|c| c.kind.as_str()))
}

/// What a line attribute is called, for the builder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineSpec {
    /// Machine name ([`line_keys`]).
    pub key: String,
    /// What it means.
    pub kind: LineKind,
    /// Header.
    pub name: String,
}

/// One line attribute of every customer: the (customer, value) pairs that occur, grouped by
/// customer in the table's order (compressed rows: the pairs of customer `i` are
/// `starts[i]..starts[i + 1]`, by code).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LineAttribute {
    /// Machine name ([`line_keys`]).
    pub key: String,
    /// What it means (`None` only for data that did not say).
    pub kind: Option<LineKind>,
    /// The column's header, as the file wrote it.
    pub name: String,
    /// The distinct values, by code (the empty string is the blank value).
    pub values: Vec<String>,
    /// Per customer of the table and one more: where its pairs start.
    pub starts: Vec<u32>,
    /// Per pair: the value's code.
    pub codes: Vec<u32>,
    /// Per pair: net sales of the customer's lines with the value.
    pub sales: Vec<f64>,
    /// Per pair: net profit of those lines (0 without a profit column).
    pub profit: Vec<f64>,
    /// Per pair: orders having at least one such line.
    pub orders: Vec<u32>,
    /// The pairs packed instead of in the five columns above, which are then empty: how the
    /// import worker finishes them ([`PackedPairs`]), for its `Done` frame only (never saved).
    #[serde(skip)]
    pub packed: Option<PackedPairs>,
}

/// One (customer, value) pair of a [`LineAttribute`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinePair {
    /// The value's code.
    pub code: u32,
    /// Net sales of the matching lines.
    pub sales: f64,
    /// Net profit of the matching lines.
    pub profit: f64,
    /// Orders with a matching line.
    pub orders: u32,
}

impl LineAttribute {
    /// The value of `code` (`""` for a code out of range).
    pub fn value_of_code(&self, code: usize) -> &str {
        self.values.get(code).map_or("", String::as_str)
    }

    /// The code of `value`, if some line carries it.
    pub fn code_of(&self, value: &str) -> Option<u32> {
        self.values
            .iter()
            .position(|v| v == value)
            .and_then(|c| u32::try_from(c).ok())
    }

    /// True when the pairs are grouped for exactly `customers` customers, the arrays agree in
    /// length and every code names a value.
    pub fn fits(&self, customers: usize) -> bool {
        if let Some(packed) = &self.packed {
            return packed.customers == customers
                && packed.codes_end <= self.values.len()
                && self.starts.is_empty()
                && self.codes.is_empty()
                && self.sales.is_empty()
                && self.profit.is_empty()
                && self.orders.is_empty();
        }
        let pairs = self.codes.len();
        self.starts.len() == customers + 1
            && self.starts.first() == Some(&0)
            && self.starts.last().map(|&s| s as usize) == Some(pairs)
            && self.starts.windows(2).all(|w| w[0] <= w[1])
            && self.sales.len() == pairs
            && self.profit.len() == pairs
            && self.orders.len() == pairs
            && self.codes.iter().all(|&c| (c as usize) < self.values.len())
    }

    /// The codes and the net sales of the pairs of customer `index` of the table, side by side
    /// (none for an index out of range): [`LineAttribute::pairs_of`]'s codes and sales, read as
    /// two slices.
    pub fn codes_and_sales(&self, index: usize) -> (&[u32], &[f64]) {
        match (self.starts.get(index), self.starts.get(index + 1)) {
            (Some(&a), Some(&b)) if a <= b => {
                let range = a as usize..b as usize;
                (
                    self.codes.get(range.clone()).unwrap_or_default(),
                    self.sales.get(range).unwrap_or_default(),
                )
            }
            _ => (&[], &[]),
        }
    }

    /// The pairs of customer `index` of the table (none for an index out of range).
    pub fn pairs_of(&self, index: usize) -> impl Iterator<Item = LinePair> + '_ {
        let range = match (self.starts.get(index), self.starts.get(index + 1)) {
            (Some(&a), Some(&b)) if a <= b => a as usize..b as usize,
            _ => 0..0,
        };
        range.filter_map(move |at| {
            Some(LinePair {
                code: *self.codes.get(at)?,
                sales: *self.sales.get(at)?,
                profit: *self.profit.get(at)?,
                orders: *self.orders.get(at)?,
            })
        })
    }

    /// Per-customer figures restricted to the lines whose value is one of `codes`, for a filter
    /// on a category (or product) to score the customers on: M is the spend on matching lines,
    /// F the orders with a matching line.
    ///
    /// Returns the customers of `table` having at least one matching line, in the table's order,
    /// each with `sales`, `profit` and `orders` replaced by those of its matching lines, and
    /// beside them their indices in `table`. Everything else (dates, months, rows, returns,
    /// quantity) stays the customer's own: recency and the monthly figures are not restricted
    /// (per-line days are not kept). With several codes, an order having lines of two of them
    /// counts once for each (the orders are summed per value); with one code it is exact.
    ///
    /// # Errors
    /// [`Error::Format`] when the attribute does not fit the table.
    pub fn matching(&self, table: &CustomerTable, codes: &[u32]) -> Result<MatchingLines> {
        if !self.fits(table.customers.len()) {
            return Err(mismatch("line attribute does not match the customers"));
        }
        let mut customers = Vec::new();
        let mut indices = Vec::new();
        for (index, customer) in table.customers.iter().enumerate() {
            let (mut sales, mut profit, mut orders, mut met) = (0.0, 0.0, 0u32, false);
            for pair in self.pairs_of(index).filter(|p| codes.contains(&p.code)) {
                sales += pair.sales;
                profit += pair.profit;
                orders = orders.saturating_add(pair.orders);
                met = true;
            }
            if met {
                customers.push(Customer {
                    sales,
                    profit,
                    orders,
                    ..customer.clone()
                });
                indices.push(index);
            }
        }
        Ok(MatchingLines {
            table: CustomerTable {
                customers,
                columns: table.columns,
            },
            indices,
        })
    }
}

/// The customers with a matching line ([`LineAttribute::matching`]).
#[derive(Debug, Clone, PartialEq)]
pub struct MatchingLines {
    /// The customers, their sales, profit and orders those of the matching lines.
    pub table: CustomerTable,
    /// Per customer of `table`: its index in the whole table.
    pub indices: Vec<usize>,
}

/// The line attributes of a data set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LineAttributes {
    /// The aggregated line attributes, in mapping order.
    pub lines: Vec<LineAttribute>,
}

impl LineAttributes {
    /// The line attribute named `key`.
    pub fn get(&self, key: &str) -> Option<&LineAttribute> {
        self.lines.iter().find(|a| a.key == key)
    }

    /// True when every line attribute fits `customers` customers ([`LineAttribute::fits`]).
    pub fn fits(&self, customers: usize) -> bool {
        self.lines.iter().all(|a| a.fits(customers))
    }

    /// The same attributes with their pairs packed ([`PackedPairs`]), as the import worker
    /// hands them over; an attribute whose columns do not agree is left as it is (the frame
    /// does not send it: it does not fit).
    pub fn into_packed(self) -> LineAttributes {
        let lines = self
            .lines
            .into_iter()
            .map(
                |line| match line.packed.is_none().then(|| PackedPairs::of(&line)) {
                    Some(Some(packed)) if line.fits(packed.customers) => LineAttribute {
                        packed: Some(packed),
                        starts: Vec::new(),
                        codes: Vec::new(),
                        sales: Vec::new(),
                        profit: Vec::new(),
                        orders: Vec::new(),
                        ..line
                    },
                    _ => line,
                },
            )
            .collect();
        LineAttributes { lines }
    }

    /// True when every attribute has the pairs of `customers` customers, by its lengths alone:
    /// [`LineAttributes::fits`] without reading the starts and codes (8 million pairs: 5 ms),
    /// for attributes checked where they came in (the hand-off, a workspace file) and read
    /// often after. Every reader takes pairs through checked ranges.
    pub fn shaped_for(&self, customers: usize) -> bool {
        self.lines.iter().all(|a| {
            let pairs = a.codes.len();
            a.starts.len() == customers + 1
                && a.starts.last().map(|&s| s as usize) == Some(pairs)
                && a.sales.len() == pairs
                && a.profit.len() == pairs
                && a.orders.len() == pairs
        })
    }

    /// The pairs of the customers at `indices` (indices into the table these attributes fit,
    /// in the order given) as line attributes of their own: what a filtered population carries
    /// ([`crate::engine::dimensions::filter`]). An index out of range gets no pairs.
    pub fn subset(&self, indices: &[usize]) -> LineAttributes {
        let lines = self
            .lines
            .iter()
            .map(|line| {
                let mut out = LineAttribute {
                    key: line.key.clone(),
                    kind: line.kind,
                    name: line.name.clone(),
                    values: line.values.clone(),
                    starts: Vec::with_capacity(indices.len() + 1),
                    ..LineAttribute::default()
                };
                out.starts.push(0);
                for &index in indices {
                    for pair in line.pairs_of(index) {
                        out.codes.push(pair.code);
                        out.sales.push(pair.sales);
                        out.profit.push(pair.profit);
                        out.orders.push(pair.orders);
                    }
                    out.starts
                        .push(u32::try_from(out.codes.len()).unwrap_or(u32::MAX));
                }
                out
            })
            .collect();
        LineAttributes { lines }
    }
}

fn mismatch(detail: &str) -> Error {
    Error::Format {
        what: FormatSubject::ImportResult,
        reason: FormatProblem::Handoff {
            detail: detail.into(),
        },
    }
}

/// One (customer slot, value) pair while the rows stream: 32 bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
struct Cell {
    slot: u32,
    code: u32,
    sales: f64,
    profit: f64,
    /// Rows without an order id (each an order).
    unkeyed: u32,
    /// The customer's order epoch ([`LineBuilder::add`]) at the pair's last keyed row, 0
    /// before one.
    epoch: u32,
}

/// A (pair, order key) entry of a [`Column`]'s log: 12 bytes (the key in two halves, so the
/// entry has no padding).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Logged {
    cell: u32,
    key: [u32; 2],
}

impl Logged {
    fn new(cell: u32, key: u64) -> Self {
        Logged {
            cell,
            key: [key as u32, (key >> 32) as u32],
        }
    }

    fn key(&self) -> u64 {
        u64::from(self.key[0]) | (u64::from(self.key[1]) << 32)
    }
}

/// One line attribute while the rows stream.
///
/// The pairs are found through `table`, open addressing over the pairs' places (4 bytes a
/// place, a quarter to half of them used; the slot and code are compared in the pair itself,
/// which a row updates anyway): 8–16 bytes a pair, where a hash map from (slot, code) to the
/// place held 13–26 and twice that while it grew.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Column {
    spec: Option<LineSpec>,
    dictionary: Dictionary,
    /// The pairs, in order of appearance.
    cells: Chunked<Cell>,
    /// Places of the pairs by the hash of (slot, code), [`NONE`] where free; a power of two
    /// long, rebuilt from the cells (not carried in a part).
    #[serde(skip)]
    table: Vec<u32>,
    /// (cell, order key) each time a keyed row of a pair comes in another order of its
    /// customer than the pair's last keyed row: every distinct (pair, order) at least once, at
    /// most one entry per row.
    log: Chunked<Logged>,
}

/// Where the search for (slot, code) starts in a table of `mask + 1` places.
fn home(slot: u32, code: u32, mask: usize) -> usize {
    let key = (u64::from(slot) << 32) | u64::from(code);
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize & mask
}

impl Column {
    /// Makes `table` twice as large as the pairs at least, placing every pair again.
    fn grow(&mut self) {
        let size = (2 * (self.cells.len() + 1))
            .next_power_of_two()
            .max(1 << 10);
        let mask = size - 1;
        // The old table goes first: its room can serve the new one.
        drop(std::mem::take(&mut self.table));
        let mut table = vec![NONE; size];
        for (at, cell) in (0u32..).zip(self.cells.iter()) {
            let mut i = home(cell.slot, cell.code, mask);
            while let Some(place) = table.get_mut(i) {
                if *place == NONE {
                    *place = at;
                    break;
                }
                i = (i + 1) & mask;
            }
        }
        self.table = table;
    }

    /// Reads where [`Column::find`] looks first for the pair of `slot` and `code` (its place in
    /// the table, and the pair that place holds), for nothing but to have it fetched (see
    /// [`LineBuilder::touch`]).
    fn touch(&self, slot: u32, code: u32) -> u32 {
        let mask = self.table.len().wrapping_sub(1);
        match self.table.get(home(slot, code, mask)) {
            Some(&at) if at != NONE => self.cells.get(at as usize).map_or(0, |cell| cell.code),
            _ => 0,
        }
    }

    /// The pair of `slot` and `code`, made when new; `None` only when the column is full
    /// (`u32::MAX - 1` pairs).
    fn find(&mut self, slot: u32, code: u32) -> Option<u32> {
        if self.table.len() < 2 * (self.cells.len() + 1) {
            self.grow();
        }
        let mask = self.table.len() - 1;
        let mut i = home(slot, code, mask);
        loop {
            let at = *self.table.get(i)?;
            if at == NONE {
                break;
            }
            let cell = self.cells.get(at as usize)?;
            if cell.slot == slot && cell.code == code {
                return Some(at);
            }
            i = (i + 1) & mask;
        }
        // A new pair, in the free place the search ended at.
        let at = u32::try_from(self.cells.len())
            .ok()
            .filter(|&at| at < NONE - 1)?;
        self.cells.push(Cell {
            slot,
            code,
            ..Cell::default()
        });
        if let Some(place) = self.table.get_mut(i) {
            *place = at;
        }
        Some(at)
    }

    /// The finished attribute of the customers in `slots` order (the table's order), its pairs
    /// packed when `packed` says so ([`LineAttribute::packed`]).
    fn finish(self, slots: &[u32], packed: bool) -> LineAttribute {
        let Column {
            spec,
            dictionary,
            cells,
            table,
            log,
        } = self;
        drop(table);
        // The result's room first, where the table was (packed at 10M rows with a category,
        // the pairs take about what the table took). Packed, each column's room is what it
        // will take (read from the pairs in their order, one after the other): a column that
        // outgrew a guess would be copied into one twice as large.
        let mut sink = match packed {
            true => {
                let mut pairs = PackedPairs::default();
                let (mut codes, mut sales, mut profit) = (0, 0, 0);
                for cell in cells.iter() {
                    codes += varint_len(u64::from(cell.code));
                    sales += tagged_value_len(cell.sales);
                    profit += tagged_value_len(cell.profit);
                }
                pairs.codes.reserve_exact(codes);
                pairs.sales.reserve_exact(sales);
                pairs.profit.reserve_exact(profit);
                Sink::Packed(pairs)
            }
            false => Sink::Columns {
                starts: Vec::with_capacity(slots.len() + 1),
                codes: Vec::with_capacity(cells.len()),
                sales: Vec::with_capacity(cells.len()),
                profit: Vec::with_capacity(cells.len()),
                orders: Vec::with_capacity(cells.len()),
            },
        };
        if let Sink::Columns { starts, .. } = &mut sink {
            starts.push(0);
        }
        let orders = distinct_orders(log, cells.len());
        if let Sink::Packed(pairs) = &mut sink {
            let bytes: usize = (cells.iter().zip(&orders))
                .map(|(cell, &keyed)| varint_len(u64::from(keyed.saturating_add(cell.unkeyed))))
                .sum();
            pairs.orders.reserve_exact(bytes);
        }
        crate::engine::mark("lines: distinct orders");
        // The pairs grouped by the customer's place in the table (a counting sort).
        let mut place = Vec::new();
        for (i, &slot) in (0u32..).zip(slots) {
            let slot = slot as usize;
            if place.len() <= slot {
                place.resize(slot + 1, NONE);
            }
            if let Some(p) = place.get_mut(slot) {
                *p = i;
            }
        }
        let place_of = |slot: u32| place.get(slot as usize).copied().unwrap_or(NONE);
        let mut starts = vec![0u32; slots.len() + 1];
        for cell in cells.iter() {
            let after = (place_of(cell.slot) as usize).checked_add(1);
            if let Some(n) = after.and_then(|after| starts.get_mut(after)) {
                *n += 1;
            }
        }
        let mut total = 0;
        for start in starts.iter_mut() {
            total += *start;
            *start = total;
        }
        let pairs = total as usize;
        let mut grouped = vec![NONE; pairs];
        let mut next = starts.clone();
        for (at, cell) in (0u32..).zip(cells.iter()) {
            if let Some(n) = next.get_mut(place_of(cell.slot) as usize) {
                if let Some(g) = grouped.get_mut(*n as usize) {
                    *g = at;
                }
                *n += 1;
            }
        }
        drop(next);
        drop(place);
        if let Sink::Packed(pairs) = &mut sink {
            let bytes: usize = (starts.windows(2))
                .map(|w| varint_len(u64::from(w[1].saturating_sub(w[0]))))
                .sum();
            pairs.counts.reserve_exact(bytes);
        }
        crate::engine::mark("lines: grouped");
        let (key, kind, name) = match spec {
            Some(spec) => (spec.key, Some(spec.kind), spec.name),
            None => Default::default(),
        };
        let mut attribute = LineAttribute {
            key,
            kind,
            name,
            values: dictionary.values,
            ..LineAttribute::default()
        };
        let mut customer: Vec<(u32, u32)> = Vec::new();
        let customers = starts.len().saturating_sub(1);
        for first in (0..customers).step_by(TOUCHED_CUSTOMERS) {
            let last = (first + TOUCHED_CUSTOMERS).min(customers);
            // In the table's order the pairs lie all over memory (they were made in row
            // order): the batch's pairs and order counts are read in a loop of their own
            // first, so that their cache misses overlap, then the customers are built.
            let batch = match (starts.get(first), starts.get(last)) {
                (Some(&from), Some(&to)) => grouped.get(from as usize..to as usize),
                _ => None,
            };
            let touched = batch.unwrap_or_default().iter().fold(0u32, |sum, &at| {
                let code = cells.get(at as usize).map_or(0, |cell| cell.code);
                let keyed = orders.get(at as usize).copied().unwrap_or(0);
                sum.wrapping_add(code).wrapping_add(keyed)
            });
            std::hint::black_box(touched);
            for bounds in starts.get(first..=last).unwrap_or_default().windows(2) {
                customer.clear();
                let group = grouped
                    .get(bounds[0] as usize..bounds[1] as usize)
                    .unwrap_or_default();
                customer.extend(
                    group
                        .iter()
                        .filter_map(|&at| Some((cells.get(at as usize)?.code, at))),
                );
                // Codes are distinct within a customer.
                customer.sort_unstable();
                for &(code, at) in &customer {
                    let cell = cells.get(at as usize).copied().unwrap_or_default();
                    let keyed = orders.get(at as usize).copied().unwrap_or(0);
                    sink.pair(
                        code,
                        cell.sales,
                        cell.profit,
                        keyed.saturating_add(cell.unkeyed),
                    );
                }
                sink.end_customer(customer.len());
            }
        }
        match sink {
            Sink::Packed(pairs) => attribute.packed = Some(pairs),
            Sink::Columns {
                starts,
                codes,
                sales,
                profit,
                orders,
            } => {
                attribute.starts = starts;
                attribute.codes = codes;
                attribute.sales = sales;
                attribute.profit = profit;
                attribute.orders = orders;
            }
        }
        attribute
    }
}

/// Where [`Column::finish`] puts the pairs it groups: the five columns of a
/// [`LineAttribute`], or packed.
enum Sink {
    Columns {
        starts: Vec<u32>,
        codes: Vec<u32>,
        sales: Vec<f64>,
        profit: Vec<f64>,
        orders: Vec<u32>,
    },
    Packed(PackedPairs),
}

impl Sink {
    /// A pair of the customer being built.
    fn pair(&mut self, code: u32, sales: f64, profit: f64, orders: u32) {
        match self {
            Sink::Columns {
                codes,
                sales: s,
                profit: p,
                orders: o,
                ..
            } => {
                codes.push(code);
                s.push(sales);
                p.push(profit);
                o.push(orders);
            }
            Sink::Packed(packed) => packed.push_pair(code, sales, profit, orders),
        }
    }

    /// The customer built, with `count` pairs.
    fn end_customer(&mut self, count: usize) {
        match self {
            Sink::Columns { starts, codes, .. } => {
                starts.push(u32::try_from(codes.len()).unwrap_or(NONE));
            }
            Sink::Packed(packed) => packed.end_customer(count),
        }
    }
}

/// Customers whose pairs are read together before they are built ([`Column::finish`]).
const TOUCHED_CUSTOMERS: usize = 64;

/// Per pair, how many distinct order keys its log entries name. A pair with one entry (most
/// pairs) has one order; the keys of the others are grouped by pair (a counting sort, each
/// chunk of the log freed once read), then each pair's keys sorted and counted.
fn distinct_orders(log: Chunked<Logged>, pairs: usize) -> Vec<u32> {
    let mut orders = vec![0u32; pairs];
    for entry in log.iter() {
        if let Some(n) = orders.get_mut(entry.cell as usize) {
            *n = n.saturating_add(1);
        }
    }
    // Where the keys of pair `c` start (`ends[c]`), for pairs of two entries or more; then,
    // as they are placed, where they end.
    let several = |n: u32| if n > 1 { n as usize } else { 0 };
    let mut ends = Vec::with_capacity(pairs);
    let mut total = 0usize;
    for &n in &orders {
        ends.push(total);
        total += several(n);
    }
    let mut keys = vec![0u64; total];
    crate::engine::mark("lines: keys");
    for chunk in log.into_chunks() {
        for entry in &chunk {
            let cell = entry.cell as usize;
            if orders.get(cell).is_some_and(|&n| n > 1) {
                if let Some(at) = ends.get_mut(cell) {
                    if let Some(key) = keys.get_mut(*at) {
                        *key = entry.key();
                    }
                    *at += 1;
                }
            }
        }
    }
    for (n, &end) in orders.iter_mut().zip(&ends) {
        let count = several(*n);
        if let Some(group) = keys.get_mut(end.saturating_sub(count)..end) {
            if !group.is_empty() {
                group.sort_unstable();
                let repeats = group.windows(2).filter(|w| w[0] == w[1]).count();
                *n = u32::try_from(group.len() - repeats).unwrap_or(u32::MAX);
            }
        }
    }
    orders
}

/// Per-(customer, value) sums of the line attributes gathered while the rows stream
/// ([`crate::engine::customers::Aggregator::with_lines`]), customers by slot.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LineBuilder {
    columns: Vec<Column>,
}

impl LineBuilder {
    /// A builder for the line attributes `specs` (the first [`LINE_LIMIT`] of them).
    pub fn new(specs: Vec<LineSpec>) -> Self {
        let columns = specs
            .into_iter()
            .take(LINE_LIMIT)
            .map(|spec| Column {
                spec: Some(spec),
                ..Column::default()
            })
            .collect();
        LineBuilder { columns }
    }

    /// Number of line attributes.
    pub fn width(&self) -> usize {
        self.columns.len()
    }

    /// Codes the values of one row (one per line attribute, in order) into `out`.
    pub(crate) fn intern<'v>(
        &mut self,
        values: impl IntoIterator<Item = &'v str>,
        out: &mut Vec<u32>,
    ) {
        for (column, value) in self.columns.iter_mut().zip(values) {
            out.push(column.dictionary.code(value));
        }
    }

    /// Reads where the pairs of the customer in `slot` and `codes` are looked for first, for
    /// nothing but to have them fetched: a batch's rows are touched in a loop of their own
    /// before they are added, so that at millions of pairs the processor waits for their cache
    /// misses (the table's place, then the pair) side by side.
    pub(crate) fn touch(&self, slot: u32, codes: &[u32]) -> u32 {
        self.columns
            .iter()
            .zip(codes)
            .fold(0u32, |sum, (column, &code)| {
                sum.wrapping_add(column.touch(slot, code))
            })
    }

    /// Adds one row (its codes from [`LineBuilder::intern`]) of the customer in `slot`: its net
    /// amount and profit, and its order (`None`: the row is an order of its own) as the
    /// customer's order epoch and the order's key.
    ///
    /// The epoch (never 0) is the customer's own count of changes of order from row to row, so
    /// a pair whose last keyed row had this epoch saw this very order: the row is noted in the
    /// log only when its pair's epoch differs. (An epoch repeats only after 2^32 changes of one
    /// customer's order.)
    pub(crate) fn add(
        &mut self,
        slot: u32,
        codes: &[u32],
        amount: f64,
        profit: f64,
        order: Option<(u32, u64)>,
    ) {
        for (column, &code) in self.columns.iter_mut().zip(codes) {
            let Some(at) = column.find(slot, code) else {
                continue;
            };
            let Some(cell) = column.cells.get_mut(at as usize) else {
                continue;
            };
            cell.sales += amount;
            cell.profit += profit;
            let logged = match order {
                None => {
                    cell.unkeyed = cell.unkeyed.saturating_add(1);
                    None
                }
                // Lines of one order usually follow each other: noted when the order changes.
                Some((epoch, _)) if cell.epoch == epoch => None,
                Some((epoch, key)) => {
                    cell.epoch = epoch;
                    Some(key)
                }
            };
            if let Some(key) = logged {
                column.log.push(Logged::new(at, key));
            }
        }
    }

    /// Merges what another builder gathered (from rows after this builder's): `slots` gives,
    /// per customer slot of `part`, the slot here; `key` maps one of the part's order keys to
    /// this aggregator's.
    pub(crate) fn absorb(
        &mut self,
        part: &LineBuilder,
        slots: &[u32],
        mut key: impl FnMut(u64) -> u64,
    ) {
        for (own, theirs) in self.columns.iter_mut().zip(&part.columns) {
            // Part cell → own cell.
            let mut map = Vec::with_capacity(theirs.cells.len());
            for cell in theirs.cells.iter() {
                let value = theirs.dictionary.value(cell.code).to_string();
                let code = own.dictionary.code(&value);
                let slot = slots.get(cell.slot as usize).copied().unwrap_or(NONE);
                let found = (slot != NONE).then(|| own.find(slot, code)).flatten();
                let at = match found.and_then(|at| Some((at, own.cells.get_mut(at as usize)?))) {
                    Some((at, into)) => {
                        into.sales += cell.sales;
                        into.profit += cell.profit;
                        into.unkeyed = into.unkeyed.saturating_add(cell.unkeyed);
                        // The next own row must log its order again.
                        into.epoch = 0;
                        at
                    }
                    None => NONE,
                };
                map.push(at);
            }
            // Repeats are counted once in the finish.
            for entry in theirs.log.iter() {
                if let Some(&at) = map.get(entry.cell as usize).filter(|&&at| at != NONE) {
                    own.log.push(Logged::new(at, key(entry.key())));
                }
            }
        }
    }

    /// The line attributes of the customers in `slots` order (the table's order), their pairs
    /// packed when `packed` says so ([`LineAttribute::packed`]).
    pub(crate) fn finish(self, slots: &[u32], packed: bool) -> LineAttributes {
        let lines = self
            .columns
            .into_iter()
            .map(|column| column.finish(slots, packed))
            .collect();
        LineAttributes { lines }
    }
}

/// One value (column) of a product mix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MixValue {
    /// The value.
    pub label: ValueLabel,
    /// Distinct values it stands for (1, or the number merged into "Other").
    pub distinct: usize,
    /// Customers with at least one line of the value (of any merged value, for "Other").
    pub customers: usize,
    /// Net sales of its lines.
    pub sales: f64,
    /// Its share of all net sales (`None` for a zero total).
    pub share: Option<f64>,
}

/// One cell of a mix row: a value's sales within a group of customers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct MixCell {
    /// Customers of the group with a line of the value.
    pub customers: usize,
    /// Net sales of those lines.
    pub sales: f64,
    /// Share of the group's net sales (`None` for a zero group total).
    pub share: Option<f64>,
    /// Share in the group / share in the whole base × 100 (`None` when either is undefined or
    /// the base share is zero).
    pub index: Option<f64>,
}

/// One group (segment or decile) of a product mix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MixRow {
    /// Customers of the group.
    pub customers: usize,
    /// Net sales of the group's lines.
    pub sales: f64,
    /// One cell per value of [`ProductMix::values`].
    pub cells: Vec<MixCell>,
}

/// The product mix (产品结构) of a line attribute: each value's share of the revenue of every
/// RFM segment and sales decile, and its index against the whole base.
///
/// # Rules
/// - **Values shown**: the [`MIX_TOP`] values with the largest net sales (ties: more customers,
///   then the text), then "Other" merging the rest.
/// - **Shares** are of the group's net sales of all lines; a zero total (returns cancelling
///   sales) gives `None`, as does an index whose base share is zero.
/// - **Customers** of a value count everyone with a line of it: a customer buying in several
///   values is counted in each, so the customer counts do not add up to the group's.
/// - **Groups**: deciles by sales over all customers (as the deciles view), segments of the
///   scored customers in the rule table's order, then "Other".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductMix {
    /// The line attribute's machine name.
    pub key: String,
    /// Its header.
    pub name: String,
    /// The values shown, then "Other" when there are more.
    pub values: Vec<MixValue>,
    /// Distinct values of the attribute with a line.
    pub distinct: usize,
    /// All net sales of the lines.
    pub sales: f64,
    /// Sales decile × value: 10 rows.
    pub deciles: Vec<MixRow>,
    /// RFM segment × value: one row per segment of the rule table, then "Other" (`None`
    /// without an RFM result).
    pub segments: Option<Vec<MixRow>>,
}

fn ratio(part: f64, whole: f64) -> Option<f64> {
    (whole.abs() > 1e-9 && part.is_finite()).then(|| part / whole)
}

/// Pairs a step of [`MixSteps`] sums per value (in the unit tests a few, so that the pieces' joins
/// are checked).
const MIX_PAIRS_PIECE: usize = if cfg!(test) { 5 } else { 1 << 21 };

/// Customers a step of [`MixSteps`] sorts into their groups' cells.
const MIX_CUSTOMERS_PIECE: usize = if cfg!(test) { 3 } else { 1 << 16 };

/// The product mix of `table` by the line attribute `line`, with the segments of the RFM result
/// of the same table when given: [`MixSteps`] at once, with the table's own sales deciles
/// ([`super::sales_deciles`]).
///
/// # Errors
/// [`Error::NoData`] without customers; [`Error::Format`] when the attribute does not fit the
/// table.
pub fn product_mix(
    table: &CustomerTable,
    line: &LineAttribute,
    rfm: Option<(&RfmScores, &Segmentation)>,
) -> Result<ProductMix> {
    if table.customers.is_empty() {
        return Err(Error::NoData);
    }
    let deciles = super::sales_deciles(table)?;
    MixSteps::new(table, line, &deciles, rfm)?.finish(line)
}

/// [`product_mix`] in pieces ([`MixSteps::step`]: at most [`MIX_PAIRS_PIECE`] pairs or
/// [`MIX_CUSTOMERS_PIECE`] customers each, about 10 ms at a million customers with eight million
/// pairs), so that the page's thread can do other work between them, given every customer's
/// sales decile (1 to 10, [`crate::engine::deciles::CustomerDecileSteps`]; a filter that keeps
/// the global scores gives the chosen customers' deciles among all customers).
///
/// Each customer is in one group of (decile, segment): a pair's sales are added to its group's
/// cell of the pair's column, and the rows (the whole base, each decile, each segment) are the
/// sums of their groups' cells. Every call must be given the same attribute, unchanged.
pub struct MixSteps {
    key: String,
    name: String,
    customers: usize,
    /// Per code: pairs and net sales, summed [`MIX_PAIRS_PIECE`] pairs a step.
    per_code: Vec<(usize, f64)>,
    /// Pairs summed into `per_code` so far.
    counted: usize,
    /// Once every pair is counted: the codes by rank, and each code's column.
    columns: Option<Columns>,
    /// Per customer: its group, decile × `segment_space` + segment.
    group_of: Vec<u16>,
    /// Segment rows (the rule table's, then "Other") and one more for customers without a
    /// segment; 1 without an RFM result.
    segment_space: usize,
    /// Segment rows (`None` without an RFM result).
    segment_rows: Option<usize>,
    /// Per group: customers and net sales.
    groups: Vec<(usize, f64)>,
    /// Per group × column: customers with a line of the column's values, and their net sales.
    cells: Vec<(usize, f64)>,
    /// Customers sorted into `cells` so far.
    next: usize,
}

/// The values shown by a product mix: the codes by rank, and each code's column (the last one
/// "Other" when there are more values than [`MIX_TOP`]).
struct Columns {
    order: Vec<usize>,
    column_of: Vec<usize>,
    shown: usize,
    count: usize,
}

/// Decile rows of a [`MixSteps`] group, and one more for a customer without a decile.
const DECILE_SPACE: usize = DECILES + 1;

impl MixSteps {
    /// The steps of the product mix of `table` by `line`, its customers' sales `deciles` given;
    /// the group of every customer found now (a pass over the customers and one over the
    /// scored customers).
    ///
    /// # Errors
    /// [`Error::NoData`] without customers; [`Error::Format`] when the attribute or the deciles
    /// do not fit the table, or the rule table has more segments than a group can number.
    pub fn new(
        table: &CustomerTable,
        line: &LineAttribute,
        deciles: &[u8],
        rfm: Option<(&RfmScores, &Segmentation)>,
    ) -> Result<MixSteps> {
        let customers = table.customers.len();
        if customers == 0 {
            return Err(Error::NoData);
        }
        if !line.fits(customers) {
            return Err(mismatch("line attribute does not match the customers"));
        }
        if deciles.len() != customers {
            return Err(mismatch("deciles do not match the customers"));
        }
        let segment_rows = rfm.map(|(_, segmentation)| segmentation.rules.rules.len() + 1);
        let segment_space = segment_rows.map_or(1, |rows| rows + 1);
        let none = segment_space - 1;
        if DECILE_SPACE * segment_space > usize::from(u16::MAX) {
            return Err(mismatch("too many segments"));
        }
        // Customers without a decile (0, or out of range) are in the last decile row, which no
        // row reads but the whole base.
        let mut group_of: Vec<u16> = deciles
            .iter()
            .map(|&d| {
                let d = usize::from(d).checked_sub(1).filter(|&d| d < DECILES);
                (d.unwrap_or(DECILES) * segment_space + none) as u16
            })
            .collect();
        if let (Some((scores, segmentation)), Some(rows)) = (rfm, segment_rows) {
            for (score, assignment) in scores.customers.iter().zip(&segmentation.assignments) {
                let segment = assignment.map_or(rows - 1, |r| usize::from(r).min(rows - 1));
                if let Some(g) = group_of.get_mut(score.index) {
                    *g = *g - none as u16 + segment as u16;
                }
            }
        }
        Ok(MixSteps {
            key: line.key.clone(),
            name: line.name.clone(),
            customers,
            per_code: vec![(0, 0.0); line.values.len()],
            counted: 0,
            columns: None,
            group_of,
            segment_space,
            segment_rows,
            groups: vec![(0, 0.0); DECILE_SPACE * segment_space],
            cells: Vec::new(),
            next: 0,
        })
    }

    /// Computes the next piece; false when none is left (or `line` does not fit the table the
    /// steps began with).
    pub fn step(&mut self, line: &LineAttribute) -> bool {
        let pairs = line.codes.len();
        if line.starts.len() != self.customers + 1 || line.sales.len() != pairs {
            return false;
        }
        if self.counted < pairs {
            let end = (self.counted + MIX_PAIRS_PIECE).min(pairs);
            let codes = line.codes.get(self.counted..end).unwrap_or_default();
            let sales = line.sales.get(self.counted..end).unwrap_or_default();
            for (&code, &value) in codes.iter().zip(sales) {
                if let Some(c) = self.per_code.get_mut(code as usize) {
                    c.0 += 1;
                    c.1 += value;
                }
            }
            self.counted = end;
            return true;
        }
        let Some(columns) = &self.columns else {
            let columns = self.rank_values(line);
            self.cells = vec![(0, 0.0); self.groups.len() * columns.count];
            self.columns = Some(columns);
            return true;
        };
        if self.next >= self.customers {
            return false;
        }
        let end = (self.next + MIX_CUSTOMERS_PIECE).min(self.customers);
        let count = columns.count;
        let last = count.saturating_sub(1);
        for index in self.next..end {
            let group = self.group_of.get(index).map_or(0, |&g| usize::from(g));
            let Some(cells) = self.cells.get_mut(group * count..(group + 1) * count) else {
                continue;
            };
            let mut sum = 0.0;
            // The columns this customer has a line of so far (at most MIX_TOP + 1 of them): a
            // customer counts once in a cell.
            let mut seen = 0u64;
            let (codes, sales) = line.codes_and_sales(index);
            for (&code, &value) in codes.iter().zip(sales) {
                let c = columns
                    .column_of
                    .get(code as usize)
                    .map_or(last, |&c| c.min(last));
                let bit = 1u64 << c;
                if let Some(cell) = cells.get_mut(c) {
                    cell.0 += usize::from(seen & bit == 0);
                    cell.1 += value;
                }
                seen |= bit;
                sum += value;
            }
            if let Some(g) = self.groups.get_mut(group) {
                g.0 += 1;
                g.1 += sum;
            }
        }
        self.next = end;
        true
    }

    /// The values by net sales (ties: more pairs, then the text), and the column of each.
    fn rank_values(&self, line: &LineAttribute) -> Columns {
        let per_code = &self.per_code;
        let mut order: Vec<usize> = (0..per_code.len())
            .filter(|&c| per_code.get(c).is_some_and(|p| p.0 > 0))
            .collect();
        let of = |c: usize| per_code.get(c).copied().unwrap_or_default();
        order.sort_by(|&a, &b| {
            of(b)
                .1
                .total_cmp(&of(a).1)
                .then(of(b).0.cmp(&of(a).0))
                .then(line.value_of_code(a).cmp(line.value_of_code(b)))
        });
        let shown = order.len().min(MIX_TOP);
        let mut column_of = vec![shown; per_code.len()];
        for (column, &code) in order.iter().take(shown).enumerate() {
            if let Some(c) = column_of.get_mut(code) {
                *c = column;
            }
        }
        let count = shown + usize::from(order.len() > shown);
        Columns {
            order,
            column_of,
            shown,
            count,
        }
    }

    /// The product mix: the pieces not computed yet are computed now.
    ///
    /// # Errors
    /// [`Error::Format`] when `line` does not fit the table the steps began with.
    pub fn finish(mut self, line: &LineAttribute) -> Result<ProductMix> {
        while self.step(line) {}
        let columns = match &self.columns {
            Some(c) if self.next >= self.customers => c,
            _ => return Err(mismatch("line attribute does not match the customers")),
        };
        let count = columns.count;
        let empty = || MixRow {
            customers: 0,
            sales: 0.0,
            cells: vec![MixCell::default(); count],
        };
        let mut all = empty();
        let mut deciles: Vec<MixRow> = (0..DECILES).map(|_| empty()).collect();
        let mut segments: Vec<MixRow> = (0..self.segment_rows.unwrap_or(0))
            .map(|_| empty())
            .collect();
        for (group, &(customers, sales)) in self.groups.iter().enumerate() {
            let (decile, segment) = (group / self.segment_space, group % self.segment_space);
            let cells = self
                .cells
                .get(group * count..(group + 1) * count)
                .unwrap_or_default();
            let rows = [
                Some(&mut all),
                deciles.get_mut(decile),
                segments.get_mut(segment),
            ];
            for row in rows.into_iter().flatten() {
                row.customers += customers;
                row.sales += sales;
                for (cell, &(n, s)) in row.cells.iter_mut().zip(cells) {
                    cell.customers += n;
                    cell.sales += s;
                }
            }
        }
        for cell in &mut all.cells {
            cell.share = ratio(cell.sales, all.sales);
            cell.index = cell.share.map(|_| 100.0);
        }
        let base: Vec<Option<f64>> = all.cells.iter().map(|c| c.share).collect();
        let finish = |row: &mut MixRow| {
            let total = row.sales;
            for (cell, base) in row.cells.iter_mut().zip(&base) {
                cell.share = ratio(cell.sales, total);
                cell.index = match (cell.share, base) {
                    (Some(s), Some(b)) => ratio(s, *b).map(|r| r * 100.0),
                    _ => None,
                };
            }
        };
        deciles.iter_mut().for_each(finish);
        segments.iter_mut().for_each(finish);
        let (order, shown) = (&columns.order, columns.shown);
        let mut values = Vec::with_capacity(count);
        for (c, cell) in all.cells.iter().enumerate() {
            let label = match order.get(c) {
                Some(&code) if c < shown => match line.value_of_code(code) {
                    "" => ValueLabel::Blank,
                    value => ValueLabel::Value(value.to_string()),
                },
                _ => ValueLabel::Other,
            };
            let distinct = match c < shown {
                true => 1,
                false => order.len() - shown,
            };
            values.push(MixValue {
                label,
                distinct,
                customers: cell.customers,
                sales: cell.sales,
                share: cell.share,
            });
        }
        Ok(ProductMix {
            key: self.key,
            name: self.name,
            values,
            distinct: order.len(),
            sales: all.sales,
            deciles,
            segments: self.segment_rows.map(|_| segments),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::deciles::{decile_sizes, rank_customers, DecileBasis};
    use crate::engine::ingest::{import_in_halves, import_with, inspect, InspectOptions};

    const HEADER: &str = "customer,order,date,amount,profit,category,product\n";

    /// Rows: (customer, order, amount, category).
    const ROWS: [(&str, &str, f64, &str); 9] = [
        ("C1", "O1", 10.0, "tea"),
        ("C1", "O1", 4.0, "cake"),
        ("C1", "O2", 6.0, "tea"),
        ("C1", "O3", -2.0, "tea"),
        ("C2", "O4", 8.0, "cake"),
        ("C2", "O4", 1.0, "cake"),
        ("C2", "O5", 3.0, "tea"),
        ("C3", "O6", 5.0, ""),
        ("C1", "O1", 1.0, "tea"),
    ];

    fn csv(order: &[usize]) -> String {
        let mut text = HEADER.to_string();
        for &i in order {
            let (c, o, a, cat) = ROWS[i];
            text.push_str(&format!(
                "{c},{o},2024-01-0{},{a},{},{cat},p-{cat}\n",
                1 + i % 9,
                a / 2.0
            ));
        }
        text
    }

    fn lines_of(text: &str, halves: Option<usize>) -> (CustomerTable, LineAttributes) {
        let preview = inspect(text.as_bytes(), true, &InspectOptions::default()).unwrap();
        let settings = preview.settings();
        assert_eq!(settings.lines.len(), 2, "category and product guessed");
        let outcome = match halves {
            Some(middle) => import_in_halves(text.as_bytes(), settings, middle).unwrap(),
            None => import_with(text.as_bytes(), settings).unwrap(),
        };
        let lines = (*outcome.line_attributes().unwrap().clone()).clone();
        (outcome.table, lines)
    }

    /// (customer, value) → (sales, profit, orders), from the result.
    fn pairs(table: &CustomerTable, line: &LineAttribute) -> Vec<(String, String, f64, f64, u32)> {
        let mut out = Vec::new();
        for (i, customer) in table.customers.iter().enumerate() {
            for p in line.pairs_of(i) {
                let value = line.value_of_code(p.code as usize).to_string();
                out.push((customer.id.to_string(), value, p.sales, p.profit, p.orders));
            }
        }
        out.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        out
    }

    fn expected() -> Vec<(String, String, f64, f64, u32)> {
        let mut out: Vec<(String, String, f64, f64, u32)> = Vec::new();
        let mut orders: Vec<(&str, &str, &str)> = Vec::new();
        for (c, o, a, cat) in ROWS {
            match out.iter_mut().find(|p| p.0 == c && p.1 == cat) {
                Some(p) => {
                    p.2 += a;
                    p.3 += a / 2.0;
                }
                None => out.push((c.into(), cat.into(), a, a / 2.0, 0)),
            }
            if !orders.contains(&(c, cat, o)) {
                orders.push((c, cat, o));
                if let Some(p) = out.iter_mut().find(|p| p.0 == c && p.1 == cat) {
                    p.4 += 1;
                }
            }
        }
        out.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        out
    }

    fn close(a: &[(String, String, f64, f64, u32)], b: &[(String, String, f64, f64, u32)]) {
        assert_eq!(a.len(), b.len(), "{a:?} vs {b:?}");
        for (x, y) in a.iter().zip(b) {
            assert_eq!((&x.0, &x.1, x.4), (&y.0, &y.1, y.4), "{a:?} vs {b:?}");
            assert!(
                (x.2 - y.2).abs() < 1e-9 && (x.3 - y.3).abs() < 1e-9,
                "{x:?} vs {y:?}"
            );
        }
    }

    /// Customers with many values and with a few, rows in a scrambled order, orders whose lines lie apart: the pairs of a plain loop over
    /// the rows, whole and read in two parts split anywhere.
    #[test]
    fn many_values_per_customer_whole_and_in_parts() {
        let mut rng = crate::engine::sample::SplitMix64(17);
        let mut text = HEADER.to_string();
        let mut reference: std::collections::BTreeMap<(String, String), (i64, i64, Vec<String>)> =
            Default::default();
        for row in 0..1_500u64 {
            let (customer, values) = match rng.next_u64() % 4 {
                0 | 1 => ("C1", 70),
                2 => ("C2", 48),
                _ => ("C3", 3),
            };
            let value = format!("v{}", rng.next_u64() % values);
            let order = format!("O{}", rng.next_u64() % 400);
            let cents = (rng.next_u64() % 2_000) as i64 - 300;
            text.push_str(&format!(
                "{customer},{order},2024-02-{:02},{:.2},{cents},{value},p{}\n",
                1 + row % 28,
                cents as f64 / 100.0,
                row % 5
            ));
            let entry =
                reference
                    .entry((customer.to_string(), value))
                    .or_insert((0, 0, Vec::new()));
            entry.0 += cents;
            entry.1 += cents;
            if !entry.2.contains(&order) {
                entry.2.push(order);
            }
        }
        let length = text.len();
        for halves in [None, Some(length / 3), Some(length / 2), Some(length - 200)] {
            let (table, lines) = lines_of(&text, halves);
            let category = lines.get("category").unwrap();
            assert!(category.fits(table.customers.len()));
            let got = pairs(&table, category);
            assert_eq!(got.len(), reference.len(), "{halves:?}");
            for ((id, value, sales, profit, orders), ((c, v), (cents, p, o))) in
                got.iter().zip(&reference)
            {
                assert_eq!((id, value, orders), (c, v, &(o.len() as u32)), "{halves:?}");
                assert!((sales - *cents as f64 / 100.0).abs() < 1e-6, "{id} {value}");
                assert_eq!(*profit, *p as f64, "{id} {value}");
            }
        }
    }

    /// Distinct orders with a matching line, returns netted, whatever the row order (an order
    /// whose lines are apart counts once).
    #[test]
    fn pairs_in_any_row_order() {
        let orders: [[usize; 9]; 4] = [
            [0, 1, 2, 3, 4, 5, 6, 7, 8],
            [8, 7, 6, 5, 4, 3, 2, 1, 0],
            [3, 0, 6, 8, 1, 5, 2, 7, 4],
            [4, 8, 2, 0, 7, 6, 1, 3, 5],
        ];
        for order in orders {
            let (table, lines) = lines_of(&csv(&order), None);
            let category = lines.get("category").unwrap();
            assert!(category.fits(table.customers.len()));
            close(&pairs(&table, category), &expected());
            // The product column has the same pairs under other names.
            assert_eq!(
                lines.get("product").unwrap().codes.len(),
                category.codes.len()
            );
        }
    }

    /// The distinct orders of each pair equal a set's count, for pairs without entries, with
    /// one, and with repeated and alternating keys, whatever chunk the entries fall in.
    #[test]
    fn distinct_orders_count_each_pairs_keys_once() {
        let mut next = crate::engine::test_support::xorshift(7);
        for pairs in [1usize, 5, 300] {
            let mut log = Chunked::default();
            let mut sets = vec![std::collections::BTreeSet::new(); pairs];
            for _ in 0..crate::engine::chunked::CHUNK + 1000 {
                let cell = (next() % pairs as u64) as u32;
                // Few keys, so that repeats are common; some above 32 bits.
                let key = (next() % 4) << (if next().is_multiple_of(2) { 0 } else { 40 });
                log.push(Logged::new(cell, key));
                sets[cell as usize].insert(key);
            }
            // A pair of its own with a single entry, and one with none.
            sets.push([9u64 << 33].into());
            sets.push(Default::default());
            log.push(Logged::new(pairs as u32, 9 << 33));
            let expected: Vec<u32> = sets.iter().map(|s| s.len() as u32).collect();
            assert_eq!(distinct_orders(log, pairs + 2), expected);
        }
        assert_eq!(Logged::new(3, u64::MAX - 5).key(), u64::MAX - 5);
    }

    /// A file read in two parts gives the pairs of the whole, for every cut.
    #[test]
    fn parts_merge_to_the_whole() {
        let text = csv(&[3, 0, 6, 8, 1, 5, 2, 7, 4]);
        for middle in 1..text.len() {
            let (table, lines) = lines_of(&text, Some(middle));
            close(&pairs(&table, lines.get("category").unwrap()), &expected());
        }
    }

    /// A filtered population's pairs are the chosen customers' own, in the order chosen.
    /// The shape check reads the lengths only: a code naming no value still has the shape of
    /// the table (the full check, where pairs come in, refuses it).
    #[test]
    fn the_shape_check_reads_lengths_only() {
        let (table, lines) = lines_of(&csv(&[0, 1, 2, 3, 4, 5, 6, 7, 8]), None);
        let n = table.customers.len();
        assert!(lines.fits(n) && lines.shaped_for(n));
        assert!(!lines.shaped_for(n + 1) && !lines.shaped_for(n - 1));
        let mut bad = lines.clone();
        bad.lines[0].codes[0] = 999;
        assert!(!bad.fits(n) && bad.shaped_for(n));
        let mut short = lines.clone();
        short.lines[0].sales.pop();
        assert!(!short.shaped_for(n));
    }

    #[test]
    fn subset_keeps_the_chosen_customers_pairs() {
        let (table, lines) = lines_of(&csv(&[0, 1, 2, 3, 4, 5, 6, 7, 8]), None);
        let position = |id: &str| table.customers.iter().position(|c| c.id == id).unwrap();
        let chosen = [position("C3"), position("C1")];
        let sub = lines.subset(&chosen);
        let sub_table = CustomerTable {
            customers: chosen.iter().map(|&i| table.customers[i].clone()).collect(),
            ..table.clone()
        };
        assert!(sub.fits(2));
        let category = sub.get("category").unwrap();
        let want: Vec<_> = expected()
            .into_iter()
            .filter(|p| p.0 == "C1" || p.0 == "C3")
            .collect();
        close(&pairs(&sub_table, category), &want);
        // Nothing chosen, or an index out of range: no pairs.
        assert!(lines.subset(&[]).fits(0));
        assert_eq!(lines.subset(&[99]).get("category").unwrap().codes.len(), 0);
    }

    /// M and F of the matching lines, for a filter on one value.
    #[test]
    fn matching_lines_restrict_sales_and_orders() {
        let (table, lines) = lines_of(&csv(&[0, 1, 2, 3, 4, 5, 6, 7, 8]), None);
        let category = lines.get("category").unwrap();
        let tea = category.code_of("tea").unwrap();
        let matching = category.matching(&table, &[tea]).unwrap();
        let got: Vec<_> = matching
            .table
            .customers
            .iter()
            .map(|c| (c.id.as_str(), c.sales, c.orders))
            .collect();
        assert_eq!(got, vec![("C1", 15.0, 3), ("C2", 3.0, 1)]);
        assert_eq!(matching.indices, vec![0, 1]);
        let mut other = category.clone();
        other.starts.pop();
        assert!(other.matching(&table, &[tea]).is_err());
    }

    /// Shares of each decile's revenue and the index against the base.
    #[test]
    fn mix_shares_and_index() {
        let (table, lines) = lines_of(&csv(&[0, 1, 2, 3, 4, 5, 6, 7, 8]), None);
        let mix = product_mix(&table, lines.get("category").unwrap(), None).unwrap();
        // Sales: tea 18, cake 13, blank 5 of 36.
        let labels: Vec<_> = mix
            .values
            .iter()
            .map(|v| v.label.key().to_string())
            .collect();
        assert_eq!(labels, vec!["tea", "cake", "(blank)"]);
        assert!((mix.sales - 36.0).abs() < 1e-9);
        assert!((mix.values[0].share.unwrap() - 0.5).abs() < 1e-12);
        assert_eq!(mix.values[0].customers, 2);
        // The top decile is C1 (19: tea 15, cake 4).
        let top = &mix.deciles[0];
        assert_eq!(top.customers, 1);
        let tea = top.cells[0];
        assert!((tea.share.unwrap() - 15.0 / 19.0).abs() < 1e-12);
        assert!((tea.index.unwrap() - 15.0 / 19.0 / 0.5 * 100.0).abs() < 1e-9);
        // Customers buying in several values are counted in each.
        let counted: usize = mix.values.iter().map(|v| v.customers).sum();
        assert!(counted > table.customers.len());
    }

    /// Given deciles (a filter's kept deciles) place the customers in their rows; a customer
    /// without one (0) is in the whole base only.
    #[test]
    fn mix_with_given_deciles() {
        let (table, lines) = lines_of(&csv(&[0, 1, 2, 3, 4, 5, 6, 7, 8]), None);
        let line = lines.get("category").unwrap();
        let n = table.customers.len();
        let whole = product_mix(&table, line, None).unwrap();
        let mut given = vec![4u8; n];
        given[0] = 0;
        let mix = MixSteps::new(&table, line, &given, None)
            .unwrap()
            .finish(line)
            .unwrap();
        assert_eq!(mix.values, whole.values);
        assert_eq!(mix.deciles[3].customers, n - 1);
        let others: usize = (0..DECILES)
            .filter(|&d| d != 3)
            .map(|d| mix.deciles[d].customers)
            .sum();
        assert_eq!(others, 0);
        let (_, first_sales) = line.codes_and_sales(0);
        let first: f64 = first_sales.iter().sum();
        assert!((mix.deciles[3].sales - (whole.sales - first)).abs() < 1e-9);
        // Deciles that do not fit the table are refused.
        assert!(MixSteps::new(&table, line, &given[1..], None).is_err());
    }

    /// The mix against plain loops over each group's members (deciles in the ranking's order,
    /// segments in the scores' order, each customer's pairs one by one), on random orders with
    /// more values than the mix shows (an "other" column) and RFM segments.
    #[test]
    fn mix_rows_equal_each_groups_own_sums() {
        use crate::engine::rfm::{analyse_rfm, RfmConfig, SegmentRules};
        let mut next = crate::engine::test_support::xorshift(0x5eed_0123);
        let mut text = HEADER.to_string();
        for row in 0..3_000u64 {
            let customer = next() % 400;
            let value = next() % 17;
            let amount = (next() % 20_000) as f64 / 100.0 - 20.0;
            let day = 1 + next() % 28;
            let blank = if value == 16 {
                String::new()
            } else {
                format!("v{value}")
            };
            text.push_str(&format!(
                "C{customer},O{},2024-02-{day:02},{amount},1,{blank},p{}\n",
                row / 3,
                next() % 5
            ));
        }
        let (table, lines) = lines_of(&text, None);
        let line = lines.get("category").unwrap();
        let rfm = analyse_rfm(&table, &RfmConfig::default(), &SegmentRules::default()).unwrap();
        let mix = product_mix(&table, line, Some((&rfm.scores, &rfm.segmentation))).unwrap();
        assert_eq!(mix.values.len(), MIX_TOP + 1, "ten values and the others");
        // Column of each value code, from the labels the mix shows.
        let column = |code: u32| {
            let value = line.value_of_code(code as usize);
            mix.values
                .iter()
                .position(|v| match &v.label {
                    ValueLabel::Value(v) => v == value,
                    ValueLabel::Blank => value.is_empty(),
                    ValueLabel::Other => false,
                })
                .unwrap_or(MIX_TOP)
        };
        let row_of = |members: &[usize]| {
            let mut customers = vec![0usize; mix.values.len()];
            let mut sales = vec![0.0f64; mix.values.len()];
            let mut total = 0.0;
            for &index in members {
                let mut columns: Vec<usize> = Vec::new();
                for pair in line.pairs_of(index) {
                    let c = column(pair.code);
                    sales[c] += pair.sales;
                    total += pair.sales;
                    if !columns.contains(&c) {
                        columns.push(c);
                        customers[c] += 1;
                    }
                }
            }
            (members.len(), total, customers, sales)
        };
        let near = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
        let check = |got: &MixRow, members: &[usize], what: &str| {
            let (count, total, customers, sales) = row_of(members);
            assert_eq!(got.customers, count, "{what}");
            assert!(near(got.sales, total), "{what}: {} vs {total}", got.sales);
            for (c, cell) in got.cells.iter().enumerate() {
                assert_eq!(cell.customers, customers[c], "{what} column {c}");
                assert!(near(cell.sales, sales[c]), "{what} column {c}");
            }
        };
        let all: Vec<usize> = (0..table.customers.len()).collect();
        let (_, total, customers, _) = row_of(&all);
        assert!(near(mix.sales, total));
        for (value, &count) in mix.values.iter().zip(&customers) {
            assert_eq!(value.customers, count);
        }
        let ranking = rank_customers(&table, DecileBasis::Sales).unwrap();
        let mut at = 0;
        for (d, size) in decile_sizes(ranking.len()).into_iter().enumerate() {
            check(
                &mix.deciles[d],
                &ranking[at..at + size],
                &format!("decile {d}"),
            );
            at += size;
        }
        let segments = mix.segments.as_ref().unwrap();
        let rows = rfm.segmentation.rules.rules.len() + 1;
        assert_eq!(segments.len(), rows);
        for (row, got) in segments.iter().enumerate() {
            let members: Vec<usize> = rfm
                .scores
                .customers
                .iter()
                .zip(&rfm.segmentation.assignments)
                .filter(|(_, a)| a.map_or(rows - 1, |r| usize::from(r).min(rows - 1)) == row)
                .map(|(s, _)| s.index)
                .collect();
            check(got, &members, &format!("segment {row}"));
        }
    }
}
