//! Test fixtures shared by the engine's and the presentation's unit tests (compiled for tests
//! only).

use super::calendar::Day;
use super::customers::{Aggregator, Columns, CustomerTable, Transaction};
use super::history::PurchaseHistory;

/// The customers and purchase days of a plain fixture `customer,order,date,amount[,quantity]`
/// (header row, commas, ISO dates), through the aggregator the import uses; the fifth column is
/// read as the quantity when `quantity` is set.
pub(crate) fn aggregate(text: &str, quantity: bool) -> (CustomerTable, PurchaseHistory) {
    let mut aggregator = Aggregator::new(Columns {
        order: true,
        date: true,
        profit: false,
        quantity,
    });
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        aggregator.add(&Transaction {
            customer: cells[0],
            order: Some(cells[1]),
            day: Day::parse_iso(cells[2]),
            amount: cells[3].parse().unwrap(),
            profit: None,
            quantity: quantity.then(|| cells[4].parse().unwrap()),
        });
    }
    aggregator.finish_with_history()
}

/// The orders of the survey fixtures (`tests/fixtures/survey/orders.csv`).
pub(crate) fn survey_orders() -> (CustomerTable, PurchaseHistory) {
    aggregate(
        include_str!("../../tests/fixtures/survey/orders.csv"),
        false,
    )
}

/// Floats that order apart from their value or not at all: both zeros, NaN of either sign, both
/// infinities (what a sort by `f64::total_cmp` or by the floats' bits must place as it does).
pub(crate) const AWKWARD_FLOATS: [f64; 6] = [
    0.0,
    -0.0,
    f64::NAN,
    -f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
];

/// A small deterministic source of random numbers for tests (xorshift64, from `seed`, which
/// must not be 0).
pub(crate) fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}
