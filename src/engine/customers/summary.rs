//! Customers from a per-customer summary (客户汇总表): one [`Customer`] per summary row, its
//! aggregates as given ([`SummaryBuilder`]).
//!
//! A builder of its own rather than order lines made up to add up to the summary: made-up lines
//! would have to invent purchase days between the first and the last, which the lifecycle and
//! the CLV fit would then read as real, and a month for the sales, which the monthly series and
//! the declining group would read as real; the builder sets every aggregate exactly (order lines,
//! orders, returns, sales, profit, quantity, first and last day) and leaves the months empty.

use rustc_hash::FxHashSet;

use super::{Columns, Customer, CustomerTable, Months};
use crate::engine::ingest::SummaryRow;

/// Builds a [`CustomerTable`] from the rows of a per-customer summary.
#[derive(Debug, Default)]
pub struct SummaryBuilder {
    customers: Vec<Customer>,
    /// The ids met so far: a summary has one row per customer.
    seen: FxHashSet<Box<str>>,
}

impl SummaryBuilder {
    /// Adds the customer of one row; `false` (and nothing added) when its id was met before.
    pub fn add(&mut self, row: &SummaryRow<'_>) -> bool {
        if self.seen.contains(row.customer) {
            return false;
        }
        self.seen.insert(row.customer.into());
        self.customers.push(Customer {
            id: row.customer.into(),
            rows: row.order_lines.unwrap_or(row.orders),
            orders: row.orders,
            returns: row.returns.unwrap_or(0),
            sales: row.sales,
            profit: row.profit.unwrap_or(0.0),
            quantity: row.quantity.unwrap_or(0.0),
            first: row.first,
            last: row.last,
            months: Months::default(),
        });
        true
    }

    /// Customers so far.
    pub fn customer_count(&self) -> usize {
        self.customers.len()
    }

    /// The customers sorted by id (byte order, as the order lines' aggregation sorts them).
    pub fn finish(self, columns: Columns) -> CustomerTable {
        let mut customers = self.customers;
        // Ids are distinct, so an unstable sort gives the one order there is.
        customers.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        CustomerTable { customers, columns }
    }
}
