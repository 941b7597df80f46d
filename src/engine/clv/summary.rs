//! Each customer's (x, t_x, T) at the calibration end, read from the shared
//! [`PurchaseHistory`] (no second copy), with the mean value of the repeat purchases and the
//! holdout count; and the unique tuples the fit runs on.

use serde::{Deserialize, Serialize};

use super::{ClvConfig, TimeUnit, ValueBasis};
use crate::engine::calendar::Day;
use crate::engine::error::{ParameterProblem, Result};
use crate::engine::history::PurchaseHistory;
use crate::engine::numeric::parameter;

/// One customer of the model: bought at least once up to the calibration end.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CustomerSummary {
    /// The customer's index in the customer table (and the history).
    pub index: u32,
    /// The first purchase day.
    pub first_day: Day,
    /// x: repeat purchase days up to the calibration end (purchase days − 1).
    pub frequency: u32,
    /// t_x in days: from the first to the last purchase day up to the calibration end.
    pub recency_days: i32,
    /// T in days: from the first purchase day to the calibration end (0 when it is that day).
    pub age_days: i32,
    /// The mean value (sales, or margin: [`ValueBasis`]) of the repeat purchase days up to the
    /// calibration end, the first day left out; 0 when x = 0 (as `lifetimes`).
    pub value: f64,
    /// Purchase days after the calibration end and before the analysis day (the holdout).
    pub holdout: u32,
}

impl CustomerSummary {
    /// t_x in `unit`s.
    pub fn recency(&self, unit: TimeUnit) -> f64 {
        f64::from(self.recency_days) / unit.days()
    }

    /// T in `unit`s.
    pub fn age(&self, unit: TimeUnit) -> f64 {
        f64::from(self.age_days) / unit.days()
    }
}

/// Every customer's summary at the calibration end ([`summarise`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summaries {
    /// The time unit of t_x, T and the predictions.
    pub unit: TimeUnit,
    /// The value the monetary figures are on.
    pub basis: ValueBasis,
    /// The earliest purchase day of any customer.
    pub first_day: Day,
    /// The calibration end (inclusive).
    pub calibration_end: Day,
    /// The analysis day (exclusive): the holdout is the days after the calibration end and
    /// before it; with no calibration end given, the day after the calibration end.
    pub analysis_day: Day,
    /// The customers of the model (bought up to the calibration end), by index.
    pub customers: Vec<CustomerSummary>,
    /// Customers whose every dated line is a return: in no model, counted.
    pub returns_only: usize,
    /// Customers whose first purchase is after the calibration end: not yet customers then.
    pub later: usize,
    /// Customers without a dated purchase at all.
    pub undated: usize,
    /// Repeat purchase days of the model's customers on each day from `first_day` to the day
    /// before the analysis day (calibration and holdout): the tracking plot's actuals.
    pub repeats_by_day: Vec<u32>,
}

impl Summaries {
    /// The holdout length in units: from the calibration end to the last day before the
    /// analysis day (0 without a holdout).
    pub fn holdout_length(&self) -> f64 {
        f64::from(
            self.analysis_day
                .saturating_days_since(self.calibration_end)
                .saturating_sub(1)
                .max(0),
        ) / self.unit.days()
    }

    /// Customers with at least one repeat purchase day in the calibration period.
    pub fn repeaters(&self) -> usize {
        self.customers.iter().filter(|c| c.frequency > 0).count()
    }
}

/// One distinct (x, t_x, T) and how many customers share it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Tuple {
    /// x.
    pub frequency: u32,
    /// t_x in units.
    pub recency: f64,
    /// T in units.
    pub age: f64,
    /// Customers with this tuple.
    pub count: u32,
}

/// The distinct (x, t_x, T) of the summaries with their counts, ordered by x, t_x, T.
pub fn unique_tuples(summaries: &Summaries) -> Vec<Tuple> {
    let mut keys: Vec<(u32, i32, i32)> = summaries
        .customers
        .iter()
        .map(|c| (c.frequency, c.recency_days, c.age_days))
        .collect();
    keys.sort_unstable();
    let unit = summaries.unit.days();
    // Counted first, so the tuples are made at their size.
    let distinct = keys.chunk_by(|a, b| a == b).count();
    let mut tuples: Vec<Tuple> = Vec::with_capacity(distinct);
    let mut previous = None;
    for key in keys {
        if previous == Some(key) {
            if let Some(last) = tuples.last_mut() {
                last.count += 1;
            }
            continue;
        }
        previous = Some(key);
        tuples.push(Tuple {
            frequency: key.0,
            recency: f64::from(key.1) / unit,
            age: f64::from(key.2) / unit,
            count: 1,
        });
    }
    tuples
}

/// Reads every customer's purchase days: a purchase is a day with at least one line that is not
/// a return ([`PurchaseDay::purchase`](crate::engine::history::PurchaseDay::purchase)); several
/// orders on one day are one purchase.
///
/// # Errors
/// [`Error::Parameter`](crate::engine::Error::Parameter): `date` ([`ParameterProblem::NoPurchaseDates`]) when no customer has a
/// purchase day; `calibration_end` or `analysis_day` out of range
/// ([`ParameterProblem::DayOutOfRange`]); `calibration_end`
/// ([`ParameterProblem::CalibrationEndOutside`]) unless it lies from the first purchase day to
/// the day before the last day of the data.
pub fn summarise(history: &PurchaseHistory, config: &ClvConfig) -> Result<Summaries> {
    config.validate()?;
    let basis = match history.has_profit() {
        true => ValueBasis::Margin,
        false => ValueBasis::Sales,
    };
    // The window: first and last purchase day of anyone.
    let mut first: Option<Day> = None;
    let mut last: Option<Day> = None;
    for i in 0..history.len() {
        for day in history.days(i).filter(|d| d.purchase) {
            first = Some(first.map_or(day.day, |f| f.min(day.day)));
            last = Some(last.map_or(day.day, |l| l.max(day.day)));
        }
    }
    let (Some(first), Some(last)) = (first, last) else {
        return Err(parameter("date", ParameterProblem::NoPurchaseDates));
    };
    let analysis_day = config
        .analysis_day
        .unwrap_or(last.saturating_plus_days(1))
        .max(first.saturating_plus_days(1));
    let last_day = analysis_day.plus_days(-1);
    let calibration_end = match config.calibration_end {
        None => last_day,
        Some(end) if end >= first && end < last_day => end,
        Some(_) => {
            return Err(parameter(
                "calibration_end",
                ParameterProblem::CalibrationEndOutside {
                    first,
                    last: last_day.plus_days(-1),
                },
            ))
        }
    };
    let span = usize::try_from(analysis_day.days_since(first)).unwrap_or(0);
    let mut repeats_by_day = vec![0u32; span];
    // Room for every customer at once (growing by doubling held the old and the new buffer
    // together; at a million customers 31 MB of summaries).
    let mut customers = Vec::with_capacity(history.len());
    let (mut returns_only, mut later, mut undated) = (0, 0, 0);
    for i in 0..history.len() {
        let mut days = history
            .days(i)
            .filter(|d| d.purchase && d.day < analysis_day);
        let Some(first_purchase) = days.next() else {
            match history.days(i).next() {
                Some(_) => returns_only += 1,
                None => undated += 1,
            }
            continue;
        };
        if first_purchase.day > calibration_end {
            later += 1;
            continue;
        }
        let (mut x, mut last_day, mut total, mut holdout) = (0u32, first_purchase.day, 0.0, 0u32);
        for day in days {
            if let Some(slot) = usize::try_from(day.day.days_since(first))
                .ok()
                .and_then(|k| repeats_by_day.get_mut(k))
            {
                *slot += 1;
            }
            if day.day <= calibration_end {
                x += 1;
                last_day = day.day;
                total += match basis {
                    ValueBasis::Margin => day.profit,
                    ValueBasis::Sales => day.sales,
                };
            } else {
                holdout += 1;
            }
        }
        customers.push(CustomerSummary {
            index: u32::try_from(i).unwrap_or(u32::MAX),
            first_day: first_purchase.day,
            frequency: x,
            recency_days: last_day.days_since(first_purchase.day),
            age_days: calibration_end.days_since(first_purchase.day),
            value: if x > 0 { total / f64::from(x) } else { 0.0 },
            holdout,
        });
    }
    Ok(Summaries {
        unit: config.unit,
        basis,
        first_day: first,
        calibration_end,
        analysis_day,
        customers,
        returns_only,
        later,
        undated,
        repeats_by_day,
    })
}
