//! Customer lifetime value and prediction (客户价值预测, METHODS §6, issue 15): the "buy till you
//! die" models for non-contractual purchasing. BG/NBD predicts repeat purchases and the chance
//! that a customer is still active; Gamma-Gamma predicts the value per purchase; together they
//! give each customer's discounted value over a horizon. A calibration end splits the data into
//! a calibration period the models are fitted on and a holdout they are checked against.
//!
//! # Definitions (as the literature and `lifetimes` 0.11.3)
//! - **A purchase** is a day with at least one line that is not a return
//!   ([`PurchaseDay::purchase`](crate::engine::history::PurchaseDay::purchase)): several orders
//!   on one day count once; days with returns only are no purchase, and a customer with
//!   returns only is in no model ([`Summaries::returns_only`] counts them).
//! - **The calibration end** ([`ClvConfig::calibration_end`]) is inclusive, as `lifetimes`'
//!   `calibration_period_end`: purchases on that day are in the calibration. Without one the
//!   models are fitted on everything up to the last day before the analysis day and there is no
//!   holdout. Customers whose first purchase is after it are not yet customers
//!   ([`Summaries::later`]).
//! - **x** is the number of repeat purchase days in the calibration (purchase days − 1),
//!   **t_x** the time from the first to the last of them, **T** the time from the first to the
//!   calibration end, in the chosen unit ([`TimeUnit`]): a day, a week (7 days, the default) or
//!   a month of 30 days, all fractional (t_x = days ÷ 7). This is the paper's measure, which
//!   `lifetimes` gives with `freq="D"` and `freq_multiplier=7`; `lifetimes`' own `freq="W"`
//!   instead counts calendar weeks with a purchase (several purchase days in one week count
//!   once) and measures whole weeks, and its `"M"` calendar months: not used here. A customer
//!   whose first purchase is on the calibration end has T = 0.
//! - **The monetary value** m is the mean value of the repeat purchase days in the calibration,
//!   the first purchase left out (`summary_data_from_transaction_data` with a
//!   `monetary_value_col`); 0 for x = 0. A day's value is its net sales, or its net profit (the
//!   margin of that day's lines, returns netted) when the data has a profit column
//!   ([`ValueBasis`]).
//! - **The holdout** counts each customer's purchase days after the calibration end and before
//!   the analysis day ([`ClvConfig::analysis_day`], exclusive as everywhere in the engine).
//! - **Fits** ([`fit_bgnbd`], [`fit_gamma_gamma`]): maximum likelihood in log-parameters by
//!   BFGS with the analytic gradient from three starting points (a Nelder–Mead simplex polishes
//!   a start where BFGS stalls), BG/NBD on the unique (x, t_x, T) tuples with their counts;
//!   converged or a typed [`Error::Model`](crate::engine::Error::Model); standard errors from
//!   the numerical Hessian. Fewer than [`MIN_REPEATERS`] repeat customers give
//!   [`ModelProblem::TooFewRepeatCustomers`](crate::engine::ModelProblem), not numbers.
//! - **Scores** ([`CustomerScore`]) are as of the calibration end: P(alive), expected purchases
//!   in the next [`ClvConfig::horizon`] units, the Gamma-Gamma expected value per purchase, and
//!   CLV = Σ over the horizon's months of expected value × expected purchases of that month,
//!   discounted monthly at the monthly equivalent of [`ClvConfig::discount_rate`]
//!   ([`Discounting`], `lifetimes`' `customer_lifetime_value`).
//!
//! Nothing here panics on any history; non-finite predictions (parameters at the edge of their
//! range, such as a = 1 exactly) come out as NaN, never as a crash.

use serde::{Deserialize, Serialize};

use super::calendar::Day;
use super::deciles::Figure;
use super::error::{ParameterProblem, Result};
use super::history::PurchaseHistory;
use super::numeric::parameter;

pub use super::error::{FitModel, ModelProblem};

mod backtest;
mod bgnbd;
mod gamma_gamma;
mod optimise;
mod ranking;
pub mod special;
mod summary;
mod value;

pub use backtest::*;
pub use bgnbd::*;
pub use gamma_gamma::*;
pub use ranking::*;
pub use summary::*;
pub use value::*;

#[cfg(test)]
mod tests;

/// The fewest repeat customers (x > 0) a model is fitted on.
pub const MIN_REPEATERS: usize = 50;

/// The unit of t_x, T, the horizon and the predictions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum TimeUnit {
    /// A day.
    Day,
    /// A week of 7 days (the default, as the paper).
    #[default]
    Week,
    /// A month of 30 days (as `lifetimes`' CLV counts a month with `freq="D"`).
    Month,
}

impl TimeUnit {
    /// Days in one unit: 1, 7, 30.
    pub fn days(self) -> f64 {
        match self {
            TimeUnit::Day => 1.0,
            TimeUnit::Week => 7.0,
            TimeUnit::Month => 30.0,
        }
    }

    /// Units in one discounting month, as `lifetimes`' `customer_lifetime_value`: 30 days,
    /// 4.345 weeks, 1 month.
    pub fn per_month(self) -> f64 {
        match self {
            TimeUnit::Day => 30.0,
            TimeUnit::Week => 4.345,
            TimeUnit::Month => 1.0,
        }
    }
}

/// What the monetary value is: net sales, or net profit when the data has a profit column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ValueBasis {
    /// Net sales of the purchase days.
    Sales,
    /// Net profit (margin) of the purchase days.
    Margin,
}

/// The parameters of the CLV analysis; every field is shown beside the result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvConfig {
    /// Time unit (default: week).
    pub unit: TimeUnit,
    /// The calibration end (inclusive); `None`: fit on everything, no holdout.
    pub calibration_end: Option<Day>,
    /// The analysis day (exclusive); `None`: the day after the latest purchase day.
    pub analysis_day: Option<Day>,
    /// The prediction horizon in units (default 52), 1 to 10,000.
    pub horizon: u32,
    /// The annual discount rate (default 0.10), from 0 to 1.
    pub discount_rate: f64,
}

impl Default for ClvConfig {
    fn default() -> Self {
        ClvConfig {
            unit: TimeUnit::Week,
            calibration_end: None,
            analysis_day: None,
            horizon: 52,
            discount_rate: 0.10,
        }
    }
}

impl ClvConfig {
    /// Checks every field against its range.
    ///
    /// # Errors
    /// [`Error::Parameter`](crate::engine::Error::Parameter) naming the first field out of range: `calibration_end`,
    /// `analysis_day` ([`ParameterProblem::DayOutOfRange`]), `horizon`
    /// ([`ParameterProblem::NotBetween`]), `discount_rate` ([`ParameterProblem::OutOfRange`]).
    pub fn validate(&self) -> Result<()> {
        for (name, day) in [
            ("calibration_end", self.calibration_end),
            ("analysis_day", self.analysis_day),
        ] {
            if day.is_some_and(|d| !d.in_range()) {
                return Err(parameter(name, ParameterProblem::DayOutOfRange));
            }
        }
        if !(1..=10_000).contains(&self.horizon) {
            return Err(parameter(
                "horizon",
                ParameterProblem::NotBetween {
                    value: self.horizon.into(),
                    min: 1,
                    max: 10_000,
                    unit: None,
                },
            ));
        }
        let d = self.discount_rate;
        if !(d.is_finite() && (0.0..=1.0).contains(&d)) {
            return Err(parameter(
                "discount_rate",
                ParameterProblem::OutOfRange { value: d },
            ));
        }
        Ok(())
    }
}

/// One customer's predictions, as of the calibration end.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerScore {
    /// The customer's index in the customer table.
    pub index: u32,
    /// x.
    pub frequency: u32,
    /// t_x in units.
    pub recency: f64,
    /// T in units.
    pub age: f64,
    /// m: mean value of the repeat purchase days (0 for x = 0).
    pub monetary: f64,
    /// P(alive).
    pub p_alive: f64,
    /// Expected purchases in the next [`ClvConfig::horizon`] units.
    pub expected_purchases: f64,
    /// Gamma-Gamma expected value per purchase.
    pub expected_value: f64,
    /// Discounted value over the horizon.
    pub clv: f64,
}

/// The whole CLV analysis ([`analyse_clv`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvAnalysis {
    /// The parameters used.
    pub config: ClvConfig,
    /// The value basis used (margin when the data has a profit column).
    pub basis: ValueBasis,
    /// The calibration end used (the last day when none was given).
    pub calibration_end: Day,
    /// The analysis day used.
    pub analysis_day: Day,
    /// Customers of the model; returns-only, later and undated customers counted.
    pub customers: usize,
    /// Customers with returns only (in no model).
    pub returns_only: usize,
    /// Customers whose first purchase is after the calibration end.
    pub later: usize,
    /// The BG/NBD fit.
    pub bgnbd: BgNbdFit,
    /// The Gamma-Gamma fit.
    pub gamma_gamma: GammaGammaFit,
    /// The discounting steps of the CLV.
    pub discounting: Discounting,
    /// Every customer of the model, by index.
    pub scores: Vec<CustomerScore>,
    /// The customers in ten groups by CLV ([`value_deciles`] of the scores).
    pub deciles: Vec<ValueDecile>,
    /// Expected purchases of the whole base over the horizon.
    pub expected_purchases_total: f64,
    /// Sum of the customers' CLV.
    pub clv_total: f64,
    /// The holdout comparison; `None` without a calibration end.
    pub backtest: Option<Backtest>,
    /// Weekly cumulative repeat purchases, predicted and actual.
    pub tracking: Vec<TrackingWeek>,
}

/// Summaries, both fits, every customer's scores and the backtest.
///
/// # Errors
/// Those of [`summarise`], [`fit_bgnbd`] and [`fit_gamma_gamma`].
pub fn analyse_clv(history: &PurchaseHistory, config: &ClvConfig) -> Result<ClvAnalysis> {
    let (mut analysis, scoring) = analyse_summaries(summarise(history, config)?, config)?;
    analysis.scores = scoring.scores();
    Ok(analysis)
}

/// [`analyse_clv`] of the customers' summaries (the history they were made from no longer
/// needed), with the customers' scores left out of the analysis: `scoring` makes them, a slice
/// at a time where they are written ([`Scoring::scores_into`]), so that the analysis worker
/// never holds them all (64 bytes a customer: 62 MB at ten million rows).
///
/// # Errors
/// Those of [`fit_bgnbd`] and [`fit_gamma_gamma`].
pub fn analyse_summaries(
    summaries: Summaries,
    config: &ClvConfig,
) -> Result<(ClvAnalysis, Scoring)> {
    let tuples = unique_tuples(&summaries);
    let bgnbd = fit_bgnbd(&tuples)?;
    // Only the fit reads them (at a million customers, half a million tuples: 24 MB less
    // held through the Gamma-Gamma fit and the scoring, in the analysis worker's peak).
    drop(tuples);
    let gamma_gamma = fit_gamma_gamma(&summaries)?;
    let discounting = Discounting::new(config.unit, config.horizon, config.discount_rate);
    let backtest = backtest(&bgnbd.params, &summaries);
    let tracking = tracking(&bgnbd.params, &summaries);
    let basis = summaries.basis;
    let (calibration_end, analysis_day) = (summaries.calibration_end, summaries.analysis_day);
    let (returns_only, later) = (summaries.returns_only, summaries.later);
    let scoring = Scoring::new(
        &bgnbd.params,
        gamma_gamma.params,
        &discounting,
        config.horizon,
        summaries,
    );
    let n = scoring.len();
    let analysis = ClvAnalysis {
        config: config.clone(),
        basis,
        calibration_end,
        analysis_day,
        customers: n,
        returns_only,
        later,
        // Added in the customers' order from −0.0, as `Iterator::sum` over the scores adds.
        expected_purchases_total: (0..n)
            .filter_map(|p| scoring.score(p))
            .map(|s| s.expected_purchases)
            .sum(),
        clv_total: (0..n).filter_map(|p| scoring.score(p)).map(|s| s.clv).sum(),
        deciles: value_deciles_of(n, |p| scoring.score(p)),
        bgnbd,
        gamma_gamma,
        discounting,
        scores: Vec::new(),
        backtest,
        tracking,
    };
    Ok((analysis, scoring))
}

/// Every customer's score, made on demand from the fits: the BG/NBD parts (P(alive), expected
/// purchases and the discounted expected purchases of the CLV) depend on (x, t_x, T) alone and
/// are computed once per distinct tuple and kept (24 bytes a tuple, 4 a customer); the
/// Gamma-Gamma value, a few multiplications, is computed each time.
#[derive(Debug, Clone)]
pub struct Scoring {
    summaries: Summaries,
    gamma_gamma: GammaGammaParams,
    /// Per customer of the summaries: its tuple's place in `values`.
    tuple_of: Vec<u32>,
    /// Per distinct tuple: (P(alive), expected purchases, discounted expected purchases).
    values: Vec<(f64, f64, f64)>,
}

impl Scoring {
    /// The parts of every customer's score in `summaries`.
    pub fn new(
        bgnbd: &BgNbdParams,
        gamma_gamma: GammaGammaParams,
        steps: &Discounting,
        horizon: u32,
        summaries: Summaries,
    ) -> Self {
        let unit = summaries.unit;
        let customers = &summaries.customers;
        // Positions as `u32` (a table holds fewer customers), in the order of their tuples.
        let mut order: Vec<u32> = (0..customers.len())
            .filter_map(|i| u32::try_from(i).ok())
            .collect();
        let key = |c: &CustomerSummary| (c.frequency, c.recency_days, c.age_days);
        order.sort_unstable_by_key(|&i| customers.get(i as usize).map(key));
        let mut tuple_of = vec![0u32; customers.len()];
        let mut values: Vec<(f64, f64, f64)> = Vec::new();
        let mut last = None;
        for i in order {
            let (Some(c), Some(slot)) = (customers.get(i as usize), tuple_of.get_mut(i as usize))
            else {
                continue;
            };
            let k = key(c);
            if last != Some(k) {
                let (x, t_x, t) = (c.frequency, c.recency(unit), c.age(unit));
                values.push((
                    bgnbd.p_alive(x, t_x, t),
                    bgnbd.conditional_expected_purchases(f64::from(horizon), x, t_x, t),
                    customer_value(bgnbd, steps, x, t_x, t, 1.0),
                ));
                last = Some(k);
            }
            *slot = u32::try_from(values.len() - 1).unwrap_or(u32::MAX);
        }
        Scoring {
            summaries,
            gamma_gamma,
            tuple_of,
            values,
        }
    }

    /// Customers scored.
    pub fn len(&self) -> usize {
        self.summaries.customers.len()
    }

    /// Whether there is no customer to score.
    pub fn is_empty(&self) -> bool {
        self.summaries.customers.is_empty()
    }

    /// The score of the customer at `position` of the summaries (the scores' order).
    pub fn score(&self, position: usize) -> Option<CustomerScore> {
        let c = self.summaries.customers.get(position)?;
        let tuple = *self.tuple_of.get(position)?;
        let &(p_alive, expected, discounted) = self.values.get(tuple as usize)?;
        let unit = self.summaries.unit;
        let expected_value = self
            .gamma_gamma
            .conditional_expected_value(c.frequency, c.value);
        Some(CustomerScore {
            index: c.index,
            frequency: c.frequency,
            recency: c.recency(unit),
            age: c.age(unit),
            monetary: c.value,
            p_alive,
            expected_purchases: expected,
            expected_value,
            clv: expected_value * discounted,
        })
    }

    /// The scores of the customers at `positions` into `out` (cleared first).
    pub fn scores_into(&self, positions: std::ops::Range<usize>, out: &mut Vec<CustomerScore>) {
        out.clear();
        out.extend(positions.filter_map(|p| self.score(p)));
    }

    /// Every customer's score, in the summaries' order.
    pub fn scores(&self) -> Vec<CustomerScore> {
        let mut scores = Vec::with_capacity(self.len());
        self.scores_into(0..self.len(), &mut scores);
        scores
    }
}

/// Scores every customer of the summaries ([`Scoring`]).
pub fn score(
    bgnbd: &BgNbdParams,
    gamma_gamma: &GammaGammaParams,
    steps: &Discounting,
    horizon: u32,
    summaries: &Summaries,
) -> Vec<CustomerScore> {
    Scoring::new(bgnbd, *gamma_gamma, steps, horizon, summaries.clone()).scores()
}

impl ClvAnalysis {
    /// The figures of the contract: `bgnbd_r`, `bgnbd_alpha`, `bgnbd_a`, `bgnbd_b`, `bgnbd_ll`,
    /// `gg_p`, `gg_q`, `gg_v`, `holdout_actual` and `holdout_predicted` (total repeat purchases
    /// in the holdout; `None` without one), `clv_total`.
    pub fn figures(&self) -> Vec<Figure> {
        let b = &self.bgnbd.params;
        let g = &self.gamma_gamma.params;
        let holdout = self.backtest.as_ref();
        [
            ("bgnbd_r", Some(b.r)),
            ("bgnbd_alpha", Some(b.alpha)),
            ("bgnbd_a", Some(b.a)),
            ("bgnbd_b", Some(b.b)),
            ("bgnbd_ll", Some(self.bgnbd.log_likelihood)),
            ("gg_p", Some(g.p)),
            ("gg_q", Some(g.q)),
            ("gg_v", Some(g.gamma)),
            ("holdout_actual", holdout.map(|h| h.actual)),
            ("holdout_predicted", holdout.map(|h| h.predicted)),
            ("clv_total", Some(self.clv_total)),
        ]
        .into_iter()
        .map(|(name, value)| Figure {
            name: name.into(),
            value,
        })
        .collect()
    }
}
