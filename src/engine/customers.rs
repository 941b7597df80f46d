//! Per-customer aggregation (客户汇总): one [`Customer`] per customer id, built row by row while
//! the file streams, so memory grows with customers (and their distinct orders), not with rows.
//!
//! Returns and refunds (negative amounts) are netted into the customer's sales and profit.

use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};

use super::ingest::values::{month_of_day, Day};

mod part;
pub use part::AggregatePart;

/// Sales and profit of one customer in one calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MonthTotal {
    /// Month index: `year * 12 + month - 1`.
    pub month: i32,
    /// Net sales in the month.
    pub sales: f64,
    /// Net profit in the month (0 without a profit column).
    pub profit: f64,
}

/// Everything the analyses need to know about one customer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    /// The customer id as written in the file (trimmed).
    pub id: String,
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
    /// Sales and profit per month, sorted by month (empty without a date column).
    pub months: Vec<MonthTotal>,
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

#[derive(Debug, Default)]
struct Accumulator {
    customer: Customer,
    order_hashes: FxHashSet<u64>,
    last_order_hash: Option<u64>,
}

/// Builds a [`CustomerTable`] one transaction at a time.
#[derive(Debug, Default)]
pub struct Aggregator {
    index: FxHashMap<Box<str>, usize>,
    accumulators: Vec<Accumulator>,
    columns: Columns,
}

fn hash_str(text: &str) -> u64 {
    let mut hasher = FxHasher::default();
    text.hash(&mut hasher);
    hasher.finish()
}

impl Aggregator {
    /// An empty aggregator for data with the given optional columns.
    pub fn new(columns: Columns) -> Self {
        Aggregator {
            columns,
            ..Default::default()
        }
    }

    /// Number of distinct customers so far.
    pub fn customer_count(&self) -> usize {
        self.accumulators.len()
    }

    /// Adds one accepted row.
    pub fn add(&mut self, row: &Transaction<'_>) {
        let slot = match self.index.get(row.customer) {
            Some(&slot) => slot,
            None => {
                let slot = self.accumulators.len();
                self.index.insert(row.customer.into(), slot);
                self.accumulators.push(Accumulator {
                    customer: Customer {
                        id: row.customer.to_string(),
                        rows: 0,
                        orders: 0,
                        returns: 0,
                        sales: 0.0,
                        profit: 0.0,
                        quantity: 0.0,
                        first: None,
                        last: None,
                        months: Vec::new(),
                    },
                    ..Default::default()
                });
                slot
            }
        };
        let acc = &mut self.accumulators[slot];
        let customer = &mut acc.customer;
        customer.rows += 1;
        customer.sales += row.amount;
        if row.amount < 0.0 {
            customer.returns += 1;
        }
        if let Some(profit) = row.profit {
            customer.profit += profit;
        }
        if let Some(quantity) = row.quantity {
            customer.quantity += quantity;
        }
        match row.order {
            Some(order) => {
                // Lines of one order usually follow each other: skip the set for repeats.
                let hash = hash_str(order);
                if acc.last_order_hash != Some(hash) {
                    acc.last_order_hash = Some(hash);
                    if acc.order_hashes.insert(hash) {
                        customer.orders += 1;
                    }
                }
            }
            None => customer.orders += 1,
        }
        if let Some(day) = row.day {
            customer.first = Some(customer.first.map_or(day, |f| f.min(day)));
            customer.last = Some(customer.last.map_or(day, |l| l.max(day)));
            let month = month_of_day(day);
            let profit = row.profit.unwrap_or(0.0);
            match customer.months.iter().rposition(|m| m.month == month) {
                Some(i) => {
                    customer.months[i].sales += row.amount;
                    customer.months[i].profit += profit;
                }
                None => customer.months.push(MonthTotal {
                    month,
                    sales: row.amount,
                    profit,
                }),
            }
        }
    }

    /// Finishes: customers sorted by id, months sorted.
    pub fn finish(self) -> CustomerTable {
        let mut customers: Vec<Customer> = self
            .accumulators
            .into_iter()
            .map(|acc| {
                let mut customer = acc.customer;
                customer.months.sort_by_key(|m| m.month);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn tx<'a>(customer: &'a str, order: &'a str, day: Day, amount: f64) -> Transaction<'a> {
        Transaction {
            customer,
            order: Some(order),
            day: Some(day),
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
        assert_eq!((b.first, b.last), (Some(5), Some(12)));
        assert_eq!(b.average_order_value(), 60.0);
    }
}
