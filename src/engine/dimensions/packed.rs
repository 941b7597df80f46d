//! A line attribute's (customer, value) pairs packed as they travel in the import's `Done`
//! frame ([`PackedPairs`]): each customer's pair count, each pair's code and order count as
//! varints, and its net sales and profit as tagged values ([`put_tagged_value`]: whole cents
//! when that gives the number back to the bit, as the purchase days store amounts, else the
//! eight bytes of the `f64`).
//!
//! At ten million rows with a category (8.3 million pairs) the columns of a [`LineAttribute`]
//! are 200 MB and their postcard bytes 170 MB; packed they are about 70 MB. The import worker
//! packs the pairs as it groups them (so the columns are never made there: its memory never
//! shrinks, and the frame is written while it is at its largest), and the page unpacks them
//! into columns a slice at a time.

use super::lines::LineAttribute;
use crate::engine::history::encoding::{put_tagged_value, put_varint};

/// The pairs of one line attribute, packed: five byte columns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackedPairs {
    /// Customers (one pair count each).
    pub customers: usize,
    /// Pairs (one code, sales, profit and order count each).
    pub pairs: usize,
    /// The largest code plus one (0 without pairs): every code names a value when this is at
    /// most the number of values.
    pub codes_end: usize,
    /// Per customer: its number of pairs (varint).
    pub counts: Vec<u8>,
    /// Per pair: the value's code (varint).
    pub codes: Vec<u8>,
    /// Per pair: net sales ([`put_tagged_value`]).
    pub sales: Vec<u8>,
    /// Per pair: net profit ([`put_tagged_value`]).
    pub profit: Vec<u8>,
    /// Per pair: orders with a matching line (varint).
    pub orders: Vec<u8>,
}

impl PackedPairs {
    /// Empty, with room for about `customers` customers and `pairs` pairs.
    pub fn with_capacity(customers: usize, pairs: usize) -> Self {
        PackedPairs {
            counts: Vec::with_capacity(customers),
            codes: Vec::with_capacity(pairs),
            sales: Vec::with_capacity(3 * pairs),
            profit: Vec::with_capacity(3 * pairs),
            orders: Vec::with_capacity(pairs),
            ..PackedPairs::default()
        }
    }

    /// The pairs of `line`'s columns, packed (`None` when its columns do not agree: a start
    /// past the pairs, or before the one before it).
    pub fn of(line: &LineAttribute) -> Option<Self> {
        let customers = line.starts.len().saturating_sub(1);
        let mut packed = PackedPairs::with_capacity(customers, line.codes.len());
        for bounds in line.starts.windows(2) {
            let (from, to) = (bounds[0] as usize, bounds[1] as usize);
            let codes = line.codes.get(from..to)?;
            let sales = line.sales.get(from..to)?;
            let profit = line.profit.get(from..to)?;
            let orders = line.orders.get(from..to)?;
            for (((&code, &sales), &profit), &orders) in
                codes.iter().zip(sales).zip(profit).zip(orders)
            {
                packed.push_pair(code, sales, profit, orders);
            }
            packed.end_customer(to - from);
        }
        Some(packed)
    }

    /// Adds a pair of the customer being packed.
    pub fn push_pair(&mut self, code: u32, sales: f64, profit: f64, orders: u32) {
        put_varint(&mut self.codes, u64::from(code));
        put_tagged_value(&mut self.sales, sales);
        put_tagged_value(&mut self.profit, profit);
        put_varint(&mut self.orders, u64::from(orders));
        self.pairs += 1;
        self.codes_end = self.codes_end.max(code as usize + 1);
    }

    /// Ends a customer whose `count` pairs were pushed.
    pub fn end_customer(&mut self, count: usize) {
        put_varint(&mut self.counts, count as u64);
        self.customers += 1;
    }

    /// The five columns, in the order they travel.
    pub fn columns(&self) -> [&[u8]; 5] {
        [
            &self.counts,
            &self.codes,
            &self.sales,
            &self.profit,
            &self.orders,
        ]
    }
}
