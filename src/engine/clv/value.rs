//! Customer lifetime value over a horizon, discounted month by month as `lifetimes`'
//! `customer_lifetime_value` does.

use serde::{Deserialize, Serialize};

use super::bgnbd::BgNbdParams;
use super::TimeUnit;

/// How the horizon is split into discounting steps.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Discounting {
    /// Whole months of the horizon: the horizon in units ÷ units per month, rounded (at
    /// least 1). 52 weeks ÷ 4.345 = 11.97 → 12.
    pub months: u32,
    /// Units per month ([`TimeUnit::per_month`]).
    pub units_per_month: f64,
    /// The monthly rate: (1 + annual)^(1/12) − 1.
    pub monthly_rate: f64,
}

impl Discounting {
    /// The steps of a horizon of `horizon` units at an annual `discount_rate`.
    pub fn new(unit: TimeUnit, horizon: u32, discount_rate: f64) -> Self {
        let units_per_month = unit.per_month();
        let months = (f64::from(horizon) / units_per_month).round().max(1.0) as u32;
        Discounting {
            months,
            units_per_month,
            monthly_rate: (1.0 + discount_rate).powf(1.0 / 12.0) - 1.0,
        }
    }
}

/// CLV of one customer: Σ over months k = 1 … n of value × (E[Y(k·f)] − E[Y((k−1)·f)]) /
/// (1 + monthly rate)^k, with f the units per month and E[Y(t)] the BG/NBD conditional
/// expectation for this customer's (x, t_x, T); `value` is the Gamma-Gamma expected value per
/// purchase.
pub fn customer_value(
    params: &BgNbdParams,
    steps: &Discounting,
    x: u32,
    t_x: f64,
    age: f64,
    value: f64,
) -> f64 {
    let f = steps.units_per_month;
    let mut previous = 0.0;
    let mut clv = 0.0;
    for k in 1..=steps.months {
        let k = f64::from(k);
        let expected = params.conditional_expected_purchases(k * f, x, t_x, age);
        clv += value * (expected - previous) / (1.0 + steps.monthly_rate).powf(k);
        previous = expected;
    }
    clv
}
