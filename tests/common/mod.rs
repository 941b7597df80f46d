//! Helpers shared by the integration tests.

use valuelens::engine::customers::Customer;
use valuelens::engine::ingest::ImportOutcome;

/// Equal up to the last bits: `1e-9` relative, or absolute below 1.
pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn same_customer(a: &Customer, b: &Customer) -> bool {
    a.id == b.id
        && (a.rows, a.orders, a.returns) == (b.rows, b.orders, b.returns)
        && close(a.sales, b.sales)
        && close(a.profit, b.profit)
        && close(a.quantity, b.quantity)
        && (a.first, a.last) == (b.first, b.last)
        && a.months.len() == b.months.len()
        && a.months.iter().zip(&b.months).all(|(m, n)| {
            m.month == n.month && close(m.sales, n.sales) && close(m.profit, n.profit)
        })
}

/// The same outcome, except that sums may differ in their last bits (an import in two halves
/// adds them in another order).
pub fn same_outcome(a: &ImportOutcome, b: &ImportOutcome) -> bool {
    a.report == b.report
        && a.rejected == b.rejected
        && a.table.columns == b.table.columns
        && a.table.customers.len() == b.table.customers.len()
        && a.table
            .customers
            .iter()
            .zip(&b.table.customers)
            .all(|(x, y)| same_customer(x, y))
}
