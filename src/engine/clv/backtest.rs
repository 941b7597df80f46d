//! The backtest: predicted against actual repeat purchases in the holdout, in total and per
//! calibration-frequency group, and the weekly cumulative tracking of the paper's figure.

use serde::{Deserialize, Serialize};

use super::bgnbd::BgNbdParams;
use super::summary::Summaries;

/// The last calibration-frequency group: x ≥ this (shown as "7+").
pub const LAST_GROUP: u32 = 7;

/// One calibration-frequency group of the backtest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrequencyGroup {
    /// x of the group; [`LAST_GROUP`] holds x ≥ [`LAST_GROUP`].
    pub frequency: u32,
    /// Customers in the group.
    pub customers: usize,
    /// Their actual repeat purchases in the holdout.
    pub actual: f64,
    /// Their predicted repeat purchases in the holdout (sum of E[Y(t*)]).
    pub predicted: f64,
    /// Mean absolute error per customer: mean of |predicted − actual|.
    pub mae: f64,
}

/// One week of the tracking plot: cumulative repeat purchases up to its last day.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TrackingWeek {
    /// Week number, 1 for the first week from the first purchase day.
    pub week: u32,
    /// Whether the week ends after the calibration end (it is in the holdout).
    pub holdout: bool,
    /// Cumulative actual repeat purchases of the model's customers.
    pub actual: f64,
    /// Cumulative expected repeat purchases: Σ over the customers of E[X(time since their first
    /// purchase)].
    pub predicted: f64,
}

/// Predicted against actual in the holdout ([`backtest`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Backtest {
    /// The holdout length in units.
    pub holdout_length: f64,
    /// Actual repeat purchases in the holdout, all customers of the model.
    pub actual: f64,
    /// Predicted repeat purchases in the holdout.
    pub predicted: f64,
    /// (predicted − actual) / actual; `None` when there are none.
    pub percent_error: Option<f64>,
    /// Mean absolute error per customer.
    pub mae: f64,
    /// Groups x = 0, 1, …, 6 and 7+ (only the groups with customers).
    pub groups: Vec<FrequencyGroup>,
}

/// Compares the fit's holdout predictions with what happened. `None` without a holdout (no
/// calibration end given).
pub fn backtest(params: &BgNbdParams, summaries: &Summaries) -> Option<Backtest> {
    let length = summaries.holdout_length();
    if length <= 0.0 {
        return None;
    }
    let unit = summaries.unit;
    let mut groups: Vec<FrequencyGroup> = (0..=LAST_GROUP)
        .map(|frequency| FrequencyGroup {
            frequency,
            customers: 0,
            actual: 0.0,
            predicted: 0.0,
            mae: 0.0,
        })
        .collect();
    for c in &summaries.customers {
        let predicted = params.conditional_expected_purchases(
            length,
            c.frequency,
            c.recency(unit),
            c.age(unit),
        );
        let actual = f64::from(c.holdout);
        let g = &mut groups[c.frequency.min(LAST_GROUP) as usize];
        g.customers += 1;
        g.actual += actual;
        g.predicted += predicted;
        g.mae += (predicted - actual).abs();
    }
    let customers: usize = groups.iter().map(|g| g.customers).sum();
    let actual: f64 = groups.iter().map(|g| g.actual).sum();
    let predicted: f64 = groups.iter().map(|g| g.predicted).sum();
    let mae = groups.iter().map(|g| g.mae).sum::<f64>() / customers.max(1) as f64;
    for g in &mut groups {
        g.mae /= g.customers.max(1) as f64;
    }
    groups.retain(|g| g.customers > 0);
    Some(Backtest {
        holdout_length: length,
        actual,
        predicted,
        percent_error: (actual > 0.0).then(|| (predicted - actual) / actual),
        mae,
        groups,
    })
}

/// Weekly cumulative repeat purchases, predicted and actual, from the first purchase day to the
/// last day before the analysis day (the last week may be short: it ends on that day). The
/// prediction for each customer is E[X(t)] with t the time from their first purchase to the
/// week's last day, summed over the customers by first purchase day.
pub fn tracking(params: &BgNbdParams, summaries: &Summaries) -> Vec<TrackingWeek> {
    let unit = summaries.unit.days();
    // Customers by first purchase day (offset from the first day).
    let mut starts: Vec<i32> = summaries
        .customers
        .iter()
        .map(|c| c.first_day.days_since(summaries.first_day))
        .collect();
    starts.sort_unstable();
    let mut cohorts: Vec<(i32, f64)> = Vec::new();
    for s in starts {
        match cohorts.last_mut() {
            Some(last) if last.0 == s => last.1 += 1.0,
            _ => cohorts.push((s, 1.0)),
        }
    }
    let days = summaries.repeats_by_day.len();
    let calibration_end = summaries.calibration_end.days_since(summaries.first_day);
    let mut weeks = Vec::new();
    let mut actual = 0.0;
    let mut counted = 0usize;
    let mut week = 0u32;
    while counted < days {
        week += 1;
        let end = (counted + 7).min(days); // exclusive day offset
        actual += summaries.repeats_by_day[counted..end]
            .iter()
            .map(|&n| f64::from(n))
            .sum::<f64>();
        counted = end;
        let last = end as i32 - 1;
        let predicted = cohorts
            .iter()
            .take_while(|c| c.0 <= last)
            .map(|&(s, n)| n * params.expected_purchases(f64::from(last - s) / unit))
            .sum();
        weeks.push(TrackingWeek {
            week,
            holdout: last > calibration_end,
            actual,
            predicted,
        });
    }
    weeks
}
