//! Net sales per month (每月净销售额) over all customers: the series the data view charts and
//! the report prints, built from the customers' monthly buckets.

use crate::engine::calendar::Month;
use crate::engine::customers::{CustomerTable, FlatCustomers};

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
    series_of(|| {
        table
            .customers
            .iter()
            .flat_map(|c| &c.months)
            .map(|m| (m.month, m.sales))
    })
}

/// [`monthly_sales`] of flat customers (the same sums, in the same order).
pub fn monthly_sales_flat(customers: &FlatCustomers) -> Vec<MonthlySales> {
    let figures = &customers.figures;
    series_of(|| {
        figures
            .months
            .iter()
            .copied()
            .zip(figures.month_sales.iter().copied())
    })
}

/// The series of the (month, sales) buckets `months` gives, summed in its order.
fn series_of<I: Iterator<Item = (Month, f64)>>(months: impl Fn() -> I) -> Vec<MonthlySales> {
    let (Some(first), Some(last)) = (
        months().map(|(m, _)| m).min(),
        months().map(|(m, _)| m).max(),
    ) else {
        return Vec::new();
    };
    // One slot per month of the span (a few hundred at most), summed in customer order.
    let mut series: Vec<MonthlySales> = (0..=last.months_since(first))
        .map(|i| MonthlySales {
            month: first.plus_months(i),
            sales: 0.0,
        })
        .collect();
    for (month, sales) in months() {
        if let Some(slot) = series.get_mut(month.months_since(first) as usize) {
            slot.sales += sales;
        }
    }
    series
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::customers::{Customer, MonthTotal};

    #[test]
    fn months_are_summed_over_customers_with_empty_months_as_zero() {
        let customer = |months: &[(i32, f64)]| Customer {
            months: months
                .iter()
                .map(|&(month, sales)| MonthTotal {
                    month: Month::from_index(month),
                    sales,
                    profit: 0.0,
                })
                .collect(),
            ..Default::default()
        };
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
}
