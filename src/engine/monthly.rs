//! Net sales per month (每月净销售额) over all customers: the series the data view charts and
//! the report prints, built from the customers' monthly buckets.

use std::collections::VecDeque;

use crate::engine::calendar::Month;
use crate::engine::customers::{CustomerTable, FlatCustomers, MonthsOfDays};
use crate::engine::history::PurchaseHistory;

pub mod readback;

/// Net sales of one month, summed over customers.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MonthlySales {
    /// The month.
    pub month: Month,
    /// Net sales.
    pub sales: f64,
}

/// Sums the customers' monthly buckets into one series, with empty months filled in as 0.
pub fn monthly_sales(table: &CustomerTable) -> Vec<MonthlySales> {
    series_of(
        table
            .customers
            .iter()
            .flat_map(|c| c.months.iter())
            .map(|m| (m.month, m.sales)),
    )
}

/// [`monthly_sales`] of flat customers (the same sums, in the same order): the series their
/// finish summed ([`FlatCustomers::monthly`]), else that of their months when they keep some,
/// else that of their purchase days in `history`.
pub fn monthly_sales_flat(
    customers: &FlatCustomers,
    history: Option<&PurchaseHistory>,
) -> Vec<MonthlySales> {
    if let Some(series) = &customers.monthly {
        return series.clone();
    }
    let figures = &customers.figures;
    match history {
        Some(history) if figures.months.is_empty() => series_of(
            (0..history.len())
                .flat_map(|i| MonthsOfDays::new(history.days(i)))
                .map(|m| (m.month, m.sales)),
        ),
        _ => series_of(
            figures
                .months
                .iter()
                .copied()
                .zip(figures.month_sales.iter().copied()),
        ),
    }
}

/// The series of the (month, sales) buckets `months` gives, summed in its order, in one pass
/// (months read from purchase days are summed as they are read).
fn series_of(months: impl Iterator<Item = (Month, f64)>) -> Vec<MonthlySales> {
    let mut series = MonthlySeries::default();
    months.for_each(|(month, sales)| series.add(month, sales));
    series.finish()
}

/// A monthly series summed one (month, sales) bucket at a time, in the order given (the import
/// worker's finish sums it as it reads each customer's days: [`monthly_sales`] of the table it
/// builds, to the bit).
#[derive(Debug, Clone, Default)]
pub struct MonthlySeries {
    /// The first month of the span so far.
    first: Option<Month>,
    /// One slot per month of the span (a few hundred at most), from `first` on.
    sums: VecDeque<f64>,
}

impl MonthlySeries {
    /// Adds `sales` to `month`.
    pub fn add(&mut self, month: Month, sales: f64) {
        let start = *self.first.get_or_insert(month);
        if month < start {
            for _ in 0..start.months_since(month) {
                self.sums.push_front(0.0);
            }
            self.first = Some(month);
        }
        let Some(start) = self.first else { return };
        let at = usize::try_from(month.months_since(start)).unwrap_or(0);
        if at >= self.sums.len() {
            self.sums.resize(at + 1, 0.0);
        }
        if let Some(slot) = self.sums.get_mut(at) {
            *slot += sales;
        }
    }

    /// The series, with empty months as 0.
    pub fn finish(self) -> Vec<MonthlySales> {
        let Some(first) = self.first else {
            return Vec::new();
        };
        (0..)
            .zip(self.sums)
            .map(|(i, sales)| MonthlySales {
                month: first.plus_months(i),
                sales,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::customers::{Customer, MonthTotal};

    /// A customer with these (month index, sales) months.
    fn customer(months: &[(i32, f64)]) -> Customer {
        Customer {
            months: months
                .iter()
                .map(|&(month, sales)| MonthTotal {
                    month: Month::from_index(month),
                    sales,
                    profit: 0.0,
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn months_are_summed_over_customers_with_empty_months_as_zero() {
        let table = CustomerTable {
            customers: vec![
                customer(&[(24_290, 10.0), (24_293, -2.5)]),
                customer(&[(24_290, 5.0)]),
            ],
            ..Default::default()
        };
        let series: Vec<(i32, f64)> = monthly_sales(&table)
            .iter()
            .map(|m| (m.month.index(), m.sales))
            .collect();
        assert_eq!(
            series,
            [(24_290, 15.0), (24_291, 0.0), (24_292, 0.0), (24_293, -2.5)]
        );
        assert!(monthly_sales(&CustomerTable::default()).is_empty());
    }

    /// The one-pass series: a later customer's earlier months widen it at the front, and each
    /// month's sales are added in customer order (here, an order whose sum differs in the last
    /// bit from any other).
    #[test]
    fn months_before_the_first_seen_widen_the_series_and_keep_the_customer_order() {
        let table = CustomerTable {
            customers: vec![
                customer(&[(24_295, 0.1)]),
                customer(&[(24_291, 1.0), (24_295, 0.2)]),
                customer(&[(24_289, -3.0), (24_295, 0.3)]),
            ],
            ..Default::default()
        };
        let series: Vec<(i32, f64)> = monthly_sales(&table)
            .iter()
            .map(|m| (m.month.index(), m.sales))
            .collect();
        let mut expected: Vec<(i32, f64)> = (24_289..=24_295).map(|m| (m, 0.0)).collect();
        expected[0].1 = -3.0;
        expected[2].1 = 1.0;
        expected[6].1 = 0.1 + 0.2 + 0.3;
        assert_ne!(0.1 + 0.2 + 0.3, 0.3 + 0.2 + 0.1);
        assert_eq!(series, expected);
    }
}
