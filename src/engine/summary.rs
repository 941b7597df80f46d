//! Headline figures of a data set (概览): customers, orders, sales, profit, period.

use serde::{Deserialize, Serialize};

use super::calendar::Day;
use super::customers::{CustomerTable, FlatCustomers};
use super::ingest::ImportReport;
use super::numeric::ratio;

/// The headline figures shown on every view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Data rows read from the file.
    pub rows_read: u64,
    /// Rows rejected (not in any figure).
    pub rows_rejected: u64,
    /// Rows with a negative amount (returns), included and netted.
    pub return_rows: u64,
    /// Distinct customers.
    pub customers: usize,
    /// Orders: distinct order ids per customer when mapped, else rows.
    pub orders: u64,
    /// Net sales.
    pub total_sales: f64,
    /// Net profit, when a profit column was mapped.
    pub total_profit: Option<f64>,
    /// Customers with two or more orders.
    pub repeat_customers: usize,
    /// First day in the data.
    pub first_day: Option<Day>,
    /// Last day in the data.
    pub last_day: Option<Day>,
}

impl Summary {
    /// Average order value: net sales / orders (0 without orders).
    pub fn average_order_value(&self) -> f64 {
        if self.orders == 0 {
            0.0
        } else {
            self.total_sales / self.orders as f64
        }
    }

    /// Share of customers with two or more orders (0 without customers).
    pub fn repeat_rate(&self) -> f64 {
        if self.customers == 0 {
            0.0
        } else {
            self.repeat_customers as f64 / self.customers as f64
        }
    }

    /// Net margin: profit / sales, when both exist and sales are not zero by the zero rule
    /// ([`ratio`]: below 10⁻⁹ in magnitude).
    pub fn margin(&self) -> Option<f64> {
        ratio(self.total_profit?, self.total_sales)
    }
}

/// Computes the headline figures.
pub fn summarize(table: &CustomerTable, report: &ImportReport) -> Summary {
    let customers = &table.customers;
    summary_of(
        report,
        customers.len(),
        || customers.iter().map(|c| c.orders),
        customers.iter().map(|c| c.sales),
        table
            .columns
            .profit
            .then(|| customers.iter().map(|c| c.profit)),
    )
}

/// [`summarize`] of flat customers (the same sums, in the same order).
pub fn summarize_flat(customers: &FlatCustomers, report: &ImportReport) -> Summary {
    let figures = &customers.figures;
    summary_of(
        report,
        customers.len(),
        || figures.orders.iter().copied(),
        figures.sales.iter().copied(),
        figures
            .columns
            .profit
            .then(|| figures.profit.iter().copied()),
    )
}

/// The headline figures of `count` customers with these orders, sales and profit (summed in
/// their order).
fn summary_of<O: Iterator<Item = u32>>(
    report: &ImportReport,
    count: usize,
    orders: impl Fn() -> O,
    sales: impl Iterator<Item = f64>,
    profit: Option<impl Iterator<Item = f64>>,
) -> Summary {
    Summary {
        rows_read: report.rows_read,
        rows_rejected: report.rows_rejected,
        return_rows: report.return_rows,
        customers: count,
        orders: orders().map(u64::from).sum(),
        total_sales: sales.sum(),
        total_profit: profit.map(Iterator::sum),
        repeat_customers: orders().filter(|&o| o >= 2).count(),
        first_day: report.first_day,
        last_day: report.last_day,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(total_sales: f64, total_profit: Option<f64>) -> Summary {
        Summary {
            rows_read: 2,
            rows_rejected: 0,
            return_rows: 1,
            customers: 1,
            orders: 2,
            total_sales,
            total_profit,
            repeat_customers: 1,
            first_day: None,
            last_day: None,
        }
    }

    #[test]
    fn margin_follows_the_zero_rule_of_engine_numeric() {
        // Regression: `!= 0.0` took sales that net to a rounding residue (10.1 + 20.2 − 30.3) for
        // real sales and gave a margin in the trillions.
        let residue: f64 = 10.1 + 20.2 - 30.3;
        assert!(residue != 0.0 && residue.abs() < crate::engine::numeric::ZERO_TOLERANCE);
        assert_eq!(summary(residue, Some(5.0)).margin(), None);
        assert_eq!(summary(0.0, Some(5.0)).margin(), None);
        assert_eq!(summary(200.0, Some(50.0)).margin(), Some(0.25));
        assert_eq!(summary(200.0, None).margin(), None);
    }
}
