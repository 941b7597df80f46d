//! RFM analysis (RFM 分析: 最近一次消费 Recency / 消费频率 Frequency / 消费金额 Monetary,
//! METHODS §2, from documents `000` and `002`): per customer how recently, how often and how much
//! they bought; scores by quantiles; named segments (客户分群) from an editable rule table; value
//! tiers 高/中/低价值客户.
//!
//! Two steps, so that editing the rule table does not re-sort the customers:
//! - [`score_rfm`] ([`RfmConfig`]) computes the values and scores of every customer, the
//!   thresholds every score stands for, tie warnings, the R×F grid, histograms and value tiers
//!   ([`RfmScores`]).
//! - [`segment_rfm`] ([`SegmentRules`]) puts every scored customer into the first segment whose
//!   rule matches, or into "Other", and summarises the segments ([`Segmentation`]), with the
//!   rule table's overlaps and gaps ([`rule_coverage`]).
//!
//! [`analyse_rfm`] runs both and names the figures for automation ([`RfmAnalysis::figures`]);
//! [`scored_customers_csv`] exports the scored customers.
//!
//! # Values
//! - **R** (recency): whole days from the customer's last purchase to the analysis day
//!   ([`RfmConfig::analysis_day`]; by default the day after the latest purchase in the data, so
//!   the most recent customers have R = 1 day). R needs dates: without a date column the
//!   analysis is [`Error::Parameter`] (`date`); customers without a dated row are left out and
//!   listed in [`RfmScores::undated`].
//! - **F** (frequency): [`Customer::orders`]: distinct order ids when an order column was
//!   mapped, else rows (order lines) ([`RfmScores::frequency_basis`]).
//! - **M** (monetary): net sales (returns netted, so zero and negative values occur), or the
//!   average order value, net sales / orders ([`Monetary`]). M is compared rounded to a
//!   millionth of a currency unit, so sums that differ only by floating-point noise tie.
//!
//! # Scores (the binning rule)
//! On each axis the customers are ordered from worst to best (R: most days first; F and M:
//! smallest first). A customer's *percentile rank* is `p = w / (n − 1)`, where `w` is the number
//! of customers with a strictly worse value and `n` the number of scored customers; its score is
//! `1 + ⌊bins × p⌋`, at most `bins` (exactly, in integers: `min(bins, 1 + bins·w div (n − 1))`;
//! a single customer scores 1). So:
//! - equal values always get equal scores (ties are never split, unlike `pandas.qcut` on
//!   `rank(method="first")`); the worst value always scores 1 and a unique best value scores
//!   `bins`; scores never decrease as values improve;
//! - without ties the scores are quantiles of equal size (±1 customer): 1 000 distinct values
//!   give 200 customers per quintile;
//! - a large tie takes the score of its first position: when 60 % of the customers bought once
//!   (typical of CDNOW-like data) they all get F = 1, the next value (2 orders, w = 60 % of n)
//!   gets F = 4, and F scores 2 and 3 stay empty. The R package `rfm` (value-based breaks)
//!   behaves the same way. Scoring a tie by its middle position would also keep it together,
//!   but would give the one-time buyers F = 2 and leave F = 1 empty, against the meaning the
//!   segment rules give F = 1. A [`BinWarning`] reports the uneven bins, with their sizes;
//! - when every customer has the same value, all of them score 1 (the axis carries no
//!   information; the warning shows one distinct value).
//!
//! Scores are 5 = best on every axis: most recent, most orders, most money.
//!
//! # Thresholds
//! [`AxisThresholds::ranges`] gives, for every score, how many customers got it and the smallest
//! and largest raw value among them. [`AxisThresholds::cuts`] gives the cut points between
//! scores, `k = 1 … bins − 1`:
//! - F and M: cut *k* is the **smallest** value that scores above *k*: a value of at least the
//!   cut scores *k* + 1 or more, a smaller value *k* or less;
//! - R: cut *k* is the **largest** number of days that scores above *k*: at most that many days
//!   scores *k* + 1 or more, more days *k* or less;
//! - `None` when no customer scores above *k* (the top scores are empty because of ties).
//!
//! These are the figures `rfm_threshold_<r|f|m>_<k>`.
//!
//! # Segments
//! See [`SegmentRules`] (first matching rule wins, unmatched customers are "Other") and
//! [`default_rules`] (the 11 named segments, a complete partition of the 125 cells of the 1–5
//! scale). Rules are written on their own scale ([`SegmentRules::scale`], 5 by default); scores
//! of another bin count are mapped onto it by [`map_score`].
//!
//! # Value tiers
//! 高/中/低价值 follow from the total score `S = R + F + M` ([`ValueTier`], [`tier_bounds`]).
//!
//! # Example
//! ```
//! use valuelens::engine::customers::{Columns, Customer, CustomerTable};
//! use valuelens::engine::rfm::{analyse_rfm, RfmConfig, SegmentRules};
//!
//! // Three customers; last purchases on days 100, 90 and 10 (days since 1970-01-01).
//! let customers = [("a", 100, 3, 300.0), ("b", 90, 1, 50.0), ("c", 10, 1, 20.0)]
//!     .into_iter()
//!     .map(|(id, last, orders, sales)| Customer {
//!         id: id.into(), orders, rows: orders, sales,
//!         first: Some(last), last: Some(last), ..Default::default()
//!     })
//!     .collect();
//! let table = CustomerTable { customers, columns: Columns { date: true, ..Default::default() } };
//!
//! let analysis = analyse_rfm(&table, &RfmConfig::default(), &SegmentRules::default())?;
//! let scores = &analysis.scores;
//! assert_eq!(scores.analysis_day, 101); // the day after the latest purchase
//! let a = &scores.customers[0];
//! assert_eq!((a.recency_days, a.frequency, a.monetary), (1, 3, 300.0));
//! assert_eq!((a.r, a.f, a.m), (5, 5, 5));
//! // b and c both bought once: equal values, equal F score.
//! assert_eq!((scores.customers[1].f, scores.customers[2].f), (1, 1));
//! assert_eq!(analysis.segment_name_of(0), Some("Champions"));
//! # Ok::<(), valuelens::engine::Error>(())
//! ```

use std::borrow::Cow;
use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::customers::{Customer, CustomerTable};
use super::deciles::Figure;
use super::error::{Error, ParameterProblem, Result, RfmAxis};
use super::export::{csv_document, number_cell};
use super::ingest::values::{format_day, Day};
#[cfg(test)]
use super::numeric::DAY_RANGE;
use super::numeric::{day_in_range, parameter, snapped, SignedSum, AMOUNT_STEPS};

/// The bin counts an axis can be scored with.
pub const BIN_CHOICES: [u8; 4] = [3, 4, 5, 10];

/// Number of equal-width buckets of the R and M histograms, and of one-order buckets of F.
pub const HISTOGRAM_BUCKETS: usize = 20;

/// A rule table holds at most this many rules.
pub const MAX_RULES: usize = 100;

/// The English name of the segment of customers that match no rule (reserved: no rule may use
/// it).
pub const OTHER_EN: &str = "Other";

/// The Chinese name of the segment of customers that match no rule.
pub const OTHER_ZH: &str = "其他";

// ---------------------------------------------------------------------------------------------
// Configuration

/// What M measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Monetary {
    /// Net sales of the customer ([`Customer::sales`], returns netted; can be zero or negative).
    #[default]
    Total,
    /// Average order value: net sales / orders ([`Customer::average_order_value`]; 0 for a
    /// customer without orders).
    AverageOrderValue,
}

impl Monetary {
    /// The customer's M in currency units; `-0.0` reads as `0.0`.
    pub fn value(self, customer: &Customer) -> f64 {
        let value = match self {
            Monetary::Total => customer.sales,
            Monetary::AverageOrderValue => customer.average_order_value(),
        };
        value + 0.0
    }

    /// Machine name: `total` or `average_order_value`.
    pub fn as_str(self) -> &'static str {
        match self {
            Monetary::Total => "total",
            Monetary::AverageOrderValue => "average_order_value",
        }
    }
}

/// The parameters of the scoring ([`score_rfm`]); every field is shown beside the result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RfmConfig {
    /// Number of scores per axis: 3, 4, 5 (default, quintiles) or 10 ([`BIN_CHOICES`]).
    pub bins: u8,
    /// The day R is counted to (days since 1970-01-01). `None` (default): the day after the
    /// latest purchase of any customer. A given day must not lie before the latest purchase
    /// (R would be negative: the aggregated data cannot be cut back to an earlier day).
    pub analysis_day: Option<Day>,
    /// What M measures (default: net sales).
    pub monetary: Monetary,
}

impl Default for RfmConfig {
    fn default() -> Self {
        RfmConfig {
            bins: 5,
            analysis_day: None,
            monetary: Monetary::Total,
        }
    }
}

impl RfmConfig {
    /// Checks every field against its range (see the field docs; whether the analysis day lies
    /// after the latest purchase depends on the data and is checked by [`score_rfm`]).
    ///
    /// # Errors
    /// [`Error::Parameter`] naming the first field out of range.
    pub fn validate(&self) -> Result<()> {
        if !BIN_CHOICES.contains(&self.bins) {
            return Err(parameter(
                "bins",
                ParameterProblem::NotOneOf {
                    value: self.bins.into(),
                    choices: BIN_CHOICES.map(i64::from).to_vec(),
                },
            ));
        }
        if let Some(day) = self.analysis_day {
            if !day_in_range(day) {
                return Err(parameter("analysis_day", ParameterProblem::DayOutOfRange));
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Scores

/// One of the three axes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Axis {
    /// R: days since the last purchase (fewer is better).
    Recency,
    /// F: orders (more is better).
    Frequency,
    /// M: money (more is better).
    Monetary,
}

impl Axis {
    /// R, F, M.
    pub const ALL: [Axis; 3] = [Axis::Recency, Axis::Frequency, Axis::Monetary];

    /// Machine name: `r`, `f` or `m` (as in `rfm_threshold_r_1`).
    pub fn as_str(self) -> &'static str {
        match self {
            Axis::Recency => "r",
            Axis::Frequency => "f",
            Axis::Monetary => "m",
        }
    }
}

/// What F counts, from the columns the data had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FrequencyBasis {
    /// Distinct order ids (an order column was mapped).
    Orders,
    /// Rows, i.e. order lines (no order column).
    Rows,
}

/// Value tier 价值分层, from the total score `S = R + F + M` ([`tier_bounds`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ValueTier {
    /// 高价值客户: the mean of the three scores lies in the top third of the scale.
    High,
    /// 中价值客户: in between.
    Medium,
    /// 低价值客户: the mean of the three scores lies in the bottom third of the scale.
    Low,
}

impl ValueTier {
    /// High, medium, low.
    pub const ALL: [ValueTier; 3] = [ValueTier::High, ValueTier::Medium, ValueTier::Low];

    /// Machine name: `high`, `medium`, `low`.
    pub fn as_str(self) -> &'static str {
        match self {
            ValueTier::High => "high",
            ValueTier::Medium => "medium",
            ValueTier::Low => "low",
        }
    }

    /// Chinese name: 高价值客户, 中价值客户, 低价值客户.
    pub fn name_zh(self) -> &'static str {
        match self {
            ValueTier::High => "高价值客户",
            ValueTier::Medium => "中价值客户",
            ValueTier::Low => "低价值客户",
        }
    }

    /// The tier of a total score `r + f + m` with `bins` scores per axis ([`tier_bounds`]).
    pub fn of(total: u16, bins: u8) -> ValueTier {
        let bounds = tier_bounds(bins);
        if total >= bounds.high_from {
            ValueTier::High
        } else if total <= bounds.low_to {
            ValueTier::Low
        } else {
            ValueTier::Medium
        }
    }
}

/// The total scores (`R + F + M`, from 3 to `3 × bins`) that make a tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierBounds {
    /// Low value: a total of at most this.
    pub low_to: u16,
    /// High value: a total of at least this; medium lies between.
    pub high_from: u16,
}

/// The value tier bounds for `bins` scores per axis.
///
/// A score *s* stands for the percentile band around `(2s − 1) / (2 × bins)`; a customer is high
/// value when the mean of its three bands is at least 2/3, low value when it is below 1/3,
/// medium otherwise. In totals: low `S ≤ bins + 1`, high `S ≥ 2 × bins + 2`. With 5 bins: low
/// 3–6, medium 7–11, high 12–15 (20, 85 and 20 of the 125 cells); with 3 bins 3–4, 5–7, 8–9;
/// with 4 bins 3–5, 6–9, 10–12; with 10 bins 3–11, 12–21, 22–30.
///
/// Recency counts as one of the three: document `002` ranks customers by purchase amount,
/// frequency and profit, and RFM adds recency; the total score is the usual RFM "value".
///
/// ```
/// use valuelens::engine::rfm::tier_bounds;
/// let b = tier_bounds(5);
/// assert_eq!((b.low_to, b.high_from), (6, 12));
/// ```
pub fn tier_bounds(bins: u8) -> TierBounds {
    let bins = u16::from(bins);
    TierBounds {
        low_to: bins + 1,
        high_from: 2 * bins + 2,
    }
}

/// One scored customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerScore {
    /// Index into `table.customers`.
    pub index: usize,
    /// Whole days from the last purchase to the analysis day (0 when the customer bought on
    /// the analysis day; never negative).
    pub recency_days: i32,
    /// Orders (or rows without an order column).
    pub frequency: u32,
    /// M in currency units ([`Monetary`]).
    pub monetary: f64,
    /// R score, 1 (longest ago) to `bins` (most recent).
    pub r: u8,
    /// F score, 1 (fewest orders) to `bins`.
    pub f: u8,
    /// M score, 1 (least money) to `bins`.
    pub m: u8,
    /// Value tier from `r + f + m`.
    pub tier: ValueTier,
}

impl CustomerScore {
    /// The score on one axis.
    pub fn score(&self, axis: Axis) -> u8 {
        match axis {
            Axis::Recency => self.r,
            Axis::Frequency => self.f,
            Axis::Monetary => self.m,
        }
    }

    /// The raw value on one axis (days, orders, money).
    pub fn value(&self, axis: Axis) -> f64 {
        match axis {
            Axis::Recency => f64::from(self.recency_days),
            Axis::Frequency => f64::from(self.frequency),
            Axis::Monetary => self.monetary,
        }
    }

    /// The RFM code as a number: `R×100 + F×10 + M` ("545") with 3, 4 or 5 bins, as the R
    /// package `rfm` writes it; `R×10000 + F×100 + M` with 10 bins (two digits each: 10, 3, 7
    /// is 100307), so codes stay unambiguous.
    pub fn code(&self, bins: u8) -> u32 {
        let base = if bins >= 10 { 100 } else { 10 };
        (u32::from(self.r) * base + u32::from(self.f)) * base + u32::from(self.m)
    }
}

/// The customers who got one score on one axis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreRange {
    /// The score, 1 to `bins`.
    pub score: u8,
    /// Customers with this score (0 when ties left it empty).
    pub customers: usize,
    /// Smallest raw value among them (days, orders or money); `None` when empty.
    pub min: Option<f64>,
    /// Largest raw value among them; `None` when empty.
    pub max: Option<f64>,
}

/// The thresholds of one axis, as they came out of the data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AxisThresholds {
    /// The axis.
    pub axis: Axis,
    /// One range per score, 1 to `bins`.
    pub ranges: Vec<ScoreRange>,
    /// The cut points `k = 1 … bins − 1` (index `k − 1`), as defined in the module docs: the
    /// smallest value scoring above *k* for F and M, the largest number of days scoring above
    /// *k* for R; `None` when no customer scores above *k*.
    pub cuts: Vec<Option<f64>>,
    /// The bin sizes the same number of customers would give without ties (the rule applied to
    /// positions 0 … n − 1).
    pub tie_free_sizes: Vec<usize>,
    /// Number of distinct values on the axis.
    pub distinct_values: usize,
}

impl AxisThresholds {
    /// The customers per score, 1 to `bins`.
    pub fn sizes(&self) -> Vec<usize> {
        self.ranges.iter().map(|r| r.customers).collect()
    }
}

/// The thresholds of all three axes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    /// R (days).
    pub r: AxisThresholds,
    /// F (orders).
    pub f: AxisThresholds,
    /// M (money).
    pub m: AxisThresholds,
}

impl Thresholds {
    /// The thresholds of one axis.
    pub fn axis(&self, axis: Axis) -> &AxisThresholds {
        match axis {
            Axis::Recency => &self.r,
            Axis::Frequency => &self.f,
            Axis::Monetary => &self.m,
        }
    }
}

/// Ties made the bins of an axis uneven.
///
/// Raised when some score that would hold customers without ties is empty, or when some score's
/// size differs from its tie-free size by more than 20 % of `n / bins` (`|size − tie_free| × 5 ×
/// bins > n`). With few customers (`n / bins` below 5) any tie that moves a customer across a
/// bin boundary raises it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BinWarning {
    /// The axis.
    pub axis: Axis,
    /// Customers per score, 1 to `bins`.
    pub sizes: Vec<usize>,
    /// Customers per score without ties.
    pub tie_free_sizes: Vec<usize>,
    /// Number of distinct values (1: every customer has the same value).
    pub distinct_values: usize,
}

/// One cell of the R×F grid (the heatmap of mean M).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RfCell {
    /// R score.
    pub r: u8,
    /// F score.
    pub f: u8,
    /// Customers in the cell.
    pub customers: usize,
    /// Mean M of the cell's customers (currency units); `None` for an empty cell.
    pub mean_monetary: Option<f64>,
    /// Net sales of the cell's customers.
    pub revenue: f64,
    /// Customers per M score (index `m − 1`), for the R×F×M bar chart.
    pub m_scores: Vec<usize>,
}

/// A histogram bucket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    /// Lower bound (see [`Histogram`] for which bounds are inclusive).
    pub from: f64,
    /// Upper bound.
    pub to: f64,
    /// Customers in the bucket.
    pub customers: usize,
}

/// The distribution of one axis over the scored customers.
///
/// - **R**: at most [`HISTOGRAM_BUCKETS`] buckets of whole days, equal width
///   `⌈(max − min + 1) / 20⌉`, each from `from` to `to` days inclusive; no overflow.
/// - **F**: one bucket per order count from the smallest F upwards (`from == to`), at most 20;
///   larger counts go to `overflow` (`from` = min + 20 to `to` = max, inclusive).
/// - **M**: 20 buckets of equal width from the smallest M to the 99th percentile (the value at
///   rank ⌈0.99 n⌉, ascending), each `[from, to)`, the last one `[from, to]`; the customers above
///   the 99th percentile go to `overflow` (`(from, to]`, to = max), so one very large customer
///   does not squeeze everyone else into the first bar. When every value is equal there is one
///   bucket `[v, v]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    /// The axis.
    pub axis: Axis,
    /// The buckets, ascending.
    pub buckets: Vec<Bucket>,
    /// The long tail beyond the last bucket (F and M only).
    pub overflow: Option<Bucket>,
}

/// Histograms of the three axes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Histograms {
    /// R (days).
    pub recency: Histogram,
    /// F (orders).
    pub frequency: Histogram,
    /// M (money).
    pub monetary: Histogram,
}

/// Customers and revenue of one value tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TierSummary {
    /// The tier.
    pub tier: ValueTier,
    /// Customers in the tier.
    pub customers: usize,
    /// Their share of the scored customers.
    pub customer_share: f64,
    /// Their net sales.
    pub revenue: f64,
    /// Their share of the scored customers' net sales; `None` when that total is zero. Shares
    /// are of the signed total, so with negative customers they can pass 1 or be negative.
    pub revenue_share: Option<f64>,
}

/// The scoring of a table ([`score_rfm`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RfmScores {
    /// The configuration used, with `analysis_day` filled in.
    pub config: RfmConfig,
    /// The day R is counted to.
    pub analysis_day: Day,
    /// The latest purchase of any scored customer.
    pub latest_purchase: Day,
    /// What F counts.
    pub frequency_basis: FrequencyBasis,
    /// One entry per scored customer, in table order (by id).
    pub customers: Vec<CustomerScore>,
    /// Customers without any dated row (indices into `table.customers`): not scored.
    pub undated: Vec<usize>,
    /// What every score stands for.
    pub thresholds: Thresholds,
    /// Axes whose bins ties made uneven.
    pub warnings: Vec<BinWarning>,
    /// The R×F grid, `bins × bins` cells, R ascending then F ascending ([`RfmScores::cell`]).
    pub grid: Vec<RfCell>,
    /// Histograms of R, F and M.
    pub histograms: Histograms,
    /// High, medium and low value, in that order.
    pub tiers: Vec<TierSummary>,
    /// Net sales of the scored customers.
    pub total_revenue: f64,
}

impl RfmScores {
    /// The R×F cell with scores `r` and `f` (1-based); `None` outside `1..=bins`.
    pub fn cell(&self, r: u8, f: u8) -> Option<&RfCell> {
        let bins = usize::from(self.config.bins);
        let (r, f) = (usize::from(r), usize::from(f));
        if !(1..=bins).contains(&r) || !(1..=bins).contains(&f) {
            return None;
        }
        self.grid.get((r - 1) * bins + (f - 1))
    }
}

/// Scores every customer of a table (R, F, M values and scores, thresholds, warnings, grid,
/// histograms, tiers); see the module docs for every rule. O(n log n).
///
/// # Errors
/// [`Error::Parameter`] from [`RfmConfig::validate`]; [`Error::NoData`] without customers;
/// [`Error::Parameter`] (`date`) when the data has no date column or no dated customer;
/// [`Error::Parameter`] (`analysis_day`) when the given analysis day lies before the latest
/// purchase.
pub fn score_rfm(table: &CustomerTable, config: &RfmConfig) -> Result<RfmScores> {
    config.validate()?;
    if table.customers.is_empty() {
        return Err(Error::NoData);
    }
    let no_dates = || parameter("date", ParameterProblem::NoPurchaseDates);
    if !table.columns.date {
        return Err(no_dates());
    }
    let mut undated = Vec::new();
    let mut dated: Vec<(usize, Day)> = Vec::with_capacity(table.customers.len());
    for (i, customer) in table.customers.iter().enumerate() {
        match customer.last {
            Some(day) => dated.push((i, day)),
            None => undated.push(i),
        }
    }
    let latest = dated
        .iter()
        .map(|&(_, day)| day)
        .max()
        .ok_or_else(no_dates)?;
    let analysis_day = match config.analysis_day {
        Some(day) if day < latest => {
            return Err(parameter(
                "analysis_day",
                ParameterProblem::BeforeLatestPurchase { latest },
            ))
        }
        Some(day) => day,
        None => latest.saturating_add(1),
    };
    let bins = config.bins;
    let n = dated.len();

    let recency: Vec<i32> = dated
        .iter()
        .map(|&(_, last)| analysis_day.saturating_sub(last))
        .collect();
    let frequency: Vec<u32> = dated
        .iter()
        .map(|&(i, _)| table.customers[i].orders)
        .collect();
    let monetary: Vec<f64> = dated
        .iter()
        .map(|&(i, _)| config.monetary.value(&table.customers[i]))
        .collect();
    let monetary_keys: Vec<f64> = monetary.iter().map(|&v| snapped(v, AMOUNT_STEPS)).collect();

    let (r_scores, r_distinct) = rank_scores(&recency, |a, b| b.cmp(a), bins);
    let (f_scores, f_distinct) = rank_scores(&frequency, |a, b| a.cmp(b), bins);
    let (m_scores, m_distinct) = rank_scores(&monetary_keys, f64::total_cmp, bins);

    let customers: Vec<CustomerScore> = (0..n)
        .map(|k| {
            let total = u16::from(r_scores[k]) + u16::from(f_scores[k]) + u16::from(m_scores[k]);
            CustomerScore {
                index: dated[k].0,
                recency_days: recency[k],
                frequency: frequency[k],
                monetary: monetary[k],
                r: r_scores[k],
                f: f_scores[k],
                m: m_scores[k],
                tier: ValueTier::of(total, bins),
            }
        })
        .collect();

    let thresholds = Thresholds {
        r: axis_thresholds(&customers, Axis::Recency, bins, r_distinct),
        f: axis_thresholds(&customers, Axis::Frequency, bins, f_distinct),
        m: axis_thresholds(&customers, Axis::Monetary, bins, m_distinct),
    };
    let warnings = Axis::ALL
        .iter()
        .filter_map(|&axis| bin_warning(thresholds.axis(axis), n, bins))
        .collect();

    let sales = |s: &CustomerScore| table.customers[s.index].sales;
    let mut total = SignedSum::default();
    for score in &customers {
        total.add(sales(score));
    }
    let grid = rf_grid(&customers, bins, &sales);
    let tiers = ValueTier::ALL
        .iter()
        .map(|&tier| {
            let mut revenue = 0.0;
            let mut count = 0;
            for score in customers.iter().filter(|s| s.tier == tier) {
                count += 1;
                revenue += sales(score);
            }
            TierSummary {
                tier,
                customers: count,
                customer_share: count as f64 / n as f64,
                revenue,
                revenue_share: total.share(revenue),
            }
        })
        .collect();
    let histograms = Histograms {
        recency: integer_histogram(
            Axis::Recency,
            &recency.iter().map(|&r| i64::from(r)).collect::<Vec<_>>(),
        ),
        frequency: integer_histogram(
            Axis::Frequency,
            &frequency.iter().map(|&f| i64::from(f)).collect::<Vec<_>>(),
        ),
        monetary: money_histogram(&monetary),
    };

    Ok(RfmScores {
        config: RfmConfig {
            analysis_day: Some(analysis_day),
            ..config.clone()
        },
        analysis_day,
        latest_purchase: latest,
        frequency_basis: if table.columns.order {
            FrequencyBasis::Orders
        } else {
            FrequencyBasis::Rows
        },
        customers,
        undated,
        thresholds,
        warnings,
        grid,
        histograms,
        tiers,
        total_revenue: total.value,
    })
}

/// The score of a value with `worse` customers strictly worse than it, among `n`:
/// `min(bins, 1 + bins × worse div (n − 1))`, 1 for a single customer.
///
/// ```
/// use valuelens::engine::rfm::score_of_rank;
/// // 5 bins, 11 customers: ranks 0…10 → 1 1 2 2 3 3 4 4 5 5 5
/// let scores: Vec<u8> = (0..11).map(|w| score_of_rank(w, 11, 5)).collect();
/// assert_eq!(scores, [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 5]);
/// assert_eq!(score_of_rank(0, 1, 5), 1);
/// ```
pub fn score_of_rank(worse: usize, n: usize, bins: u8) -> u8 {
    if n <= 1 {
        return 1;
    }
    let score = 1 + u128::from(bins) * worse as u128 / (n as u128 - 1);
    score.min(u128::from(bins)) as u8
}

/// Scores by the rule of the module docs: `worse_first` orders values from worst to best.
/// Returns the scores in input order and the number of distinct values.
fn rank_scores<T: Copy>(
    values: &[T],
    worse_first: impl Fn(&T, &T) -> Ordering,
    bins: u8,
) -> (Vec<u8>, usize) {
    let n = values.len();
    let mut order: Vec<(T, usize)> = values.iter().copied().zip(0..).collect();
    order.sort_unstable_by(|a, b| worse_first(&a.0, &b.0));
    let mut scores = vec![1; n];
    let mut distinct = 0;
    let mut start = 0;
    while start < n {
        let first = &order[start].0;
        let mut end = start + 1;
        while end < n && worse_first(first, &order[end].0) == Ordering::Equal {
            end += 1;
        }
        let score = score_of_rank(start, n, bins);
        for &(_, i) in &order[start..end] {
            scores[i] = score;
        }
        distinct += 1;
        start = end;
    }
    (scores, distinct)
}

fn axis_thresholds(
    customers: &[CustomerScore],
    axis: Axis,
    bins: u8,
    distinct_values: usize,
) -> AxisThresholds {
    let mut ranges: Vec<ScoreRange> = (1..=bins)
        .map(|score| ScoreRange {
            score,
            customers: 0,
            min: None,
            max: None,
        })
        .collect();
    for customer in customers {
        let value = customer.value(axis);
        let range = &mut ranges[usize::from(customer.score(axis)) - 1];
        range.customers += 1;
        range.min = Some(range.min.map_or(value, |m| m.min(value)));
        range.max = Some(range.max.map_or(value, |m| m.max(value)));
    }
    let cuts = (1..usize::from(bins))
        .map(|k| {
            let above = ranges[k..].iter();
            match axis {
                Axis::Recency => above.filter_map(|r| r.max).max_by(f64::total_cmp),
                _ => above.filter_map(|r| r.min).min_by(f64::total_cmp),
            }
        })
        .collect();
    let n = customers.len();
    let mut tie_free_sizes = vec![0; usize::from(bins)];
    // Positions with one score form a run: count the runs without visiting every position.
    let mut position = 0;
    while position < n {
        let score = score_of_rank(position, n, bins);
        let mut end = position + 1;
        // The last position of this score: the largest w with bins·w div (n − 1) = score − 1.
        if n > 1 && score < bins {
            let limit = (u128::from(score) * (n as u128 - 1)).div_ceil(u128::from(bins));
            end = end.max(limit as usize);
        } else {
            end = n;
        }
        tie_free_sizes[usize::from(score) - 1] += end - position;
        position = end;
    }
    AxisThresholds {
        axis,
        ranges,
        cuts,
        tie_free_sizes,
        distinct_values,
    }
}

fn bin_warning(thresholds: &AxisThresholds, n: usize, bins: u8) -> Option<BinWarning> {
    let sizes = thresholds.sizes();
    let uneven = sizes
        .iter()
        .zip(&thresholds.tie_free_sizes)
        .any(|(&size, &free)| {
            (free > 0 && size == 0) || size.abs_diff(free) * 5 * usize::from(bins) > n
        });
    uneven.then(|| BinWarning {
        axis: thresholds.axis,
        sizes,
        tie_free_sizes: thresholds.tie_free_sizes.clone(),
        distinct_values: thresholds.distinct_values,
    })
}

fn rf_grid(
    customers: &[CustomerScore],
    bins: u8,
    sales: &dyn Fn(&CustomerScore) -> f64,
) -> Vec<RfCell> {
    let b = usize::from(bins);
    let mut grid: Vec<RfCell> = (1..=bins)
        .flat_map(|r| {
            (1..=bins).map(move |f| RfCell {
                r,
                f,
                customers: 0,
                mean_monetary: None,
                revenue: 0.0,
                m_scores: vec![0; b],
            })
        })
        .collect();
    let mut sums = vec![0.0; b * b];
    for customer in customers {
        let k = (usize::from(customer.r) - 1) * b + usize::from(customer.f) - 1;
        let cell = &mut grid[k];
        cell.customers += 1;
        cell.revenue += sales(customer);
        cell.m_scores[usize::from(customer.m) - 1] += 1;
        sums[k] += customer.monetary;
    }
    for (cell, sum) in grid.iter_mut().zip(sums) {
        cell.mean_monetary = (cell.customers > 0).then(|| sum / cell.customers as f64);
    }
    grid
}

/// R and F histograms: whole-number buckets; F one count per bucket with an overflow, R equal
/// widths (see [`Histogram`]).
fn integer_histogram(axis: Axis, values: &[i64]) -> Histogram {
    let (Some(&min), Some(&max)) = (values.iter().min(), values.iter().max()) else {
        return Histogram {
            axis,
            buckets: Vec::new(),
            overflow: None,
        };
    };
    let span = max - min + 1;
    let buckets_wanted = HISTOGRAM_BUCKETS as i64;
    let (width, count, top) = if axis == Axis::Frequency {
        // One order count per bucket; the rest beyond 20 counts overflow.
        (1, span.min(buckets_wanted), min + buckets_wanted - 1)
    } else {
        let width = (span + buckets_wanted - 1) / buckets_wanted;
        (width, (span + width - 1) / width, max)
    };
    let mut buckets: Vec<Bucket> = (0..count)
        .map(|i| Bucket {
            from: (min + i * width) as f64,
            to: (min + (i + 1) * width - 1).min(max) as f64,
            customers: 0,
        })
        .collect();
    let mut tail = Bucket {
        from: (top + 1) as f64,
        to: max as f64,
        customers: 0,
    };
    for &value in values {
        if value > top {
            tail.customers += 1;
        } else {
            buckets[((value - min) / width) as usize].customers += 1;
        }
    }
    Histogram {
        axis,
        buckets,
        overflow: (tail.customers > 0).then_some(tail),
    }
}

/// M histogram: equal width up to the 99th percentile, the tail as overflow (see [`Histogram`]).
fn money_histogram(values: &[f64]) -> Histogram {
    let axis = Axis::Monetary;
    if values.is_empty() {
        return Histogram {
            axis,
            buckets: Vec::new(),
            overflow: None,
        };
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    let n = sorted.len();
    let (min, max) = (sorted[0], sorted[n - 1]);
    let rank = (99 * n).div_ceil(100).max(1);
    let upper = sorted[rank - 1];
    if upper <= min {
        let at_min = sorted.iter().take_while(|&&v| v <= min).count();
        let tail = n - at_min;
        return Histogram {
            axis,
            buckets: vec![Bucket {
                from: min,
                to: min,
                customers: at_min,
            }],
            overflow: (tail > 0).then_some(Bucket {
                from: min,
                to: max,
                customers: tail,
            }),
        };
    }
    let width = (upper - min) / HISTOGRAM_BUCKETS as f64;
    let mut buckets: Vec<Bucket> = (0..HISTOGRAM_BUCKETS)
        .map(|i| Bucket {
            from: min + i as f64 * width,
            to: if i + 1 == HISTOGRAM_BUCKETS {
                upper
            } else {
                min + (i + 1) as f64 * width
            },
            customers: 0,
        })
        .collect();
    let mut tail = Bucket {
        from: upper,
        to: max,
        customers: 0,
    };
    for &value in values {
        if value > upper {
            tail.customers += 1;
        } else {
            // Bucket i holds [from_i, from_{i+1}); compare with the stored bounds so that a value
            // on a boundary lands where the bounds say, whatever the division rounds to.
            let guess = (((value - min) / width) as usize).min(HISTOGRAM_BUCKETS - 1);
            let mut k = guess;
            while k > 0 && value < buckets[k].from {
                k -= 1;
            }
            while k + 1 < HISTOGRAM_BUCKETS && value >= buckets[k + 1].from {
                k += 1;
            }
            buckets[k].customers += 1;
        }
    }
    Histogram {
        axis,
        buckets,
        overflow: (tail.customers > 0).then_some(tail),
    }
}

// ---------------------------------------------------------------------------------------------
// Segments

/// One segment rule: a name, inclusive score ranges on each axis, and a suggested action.
///
/// A customer matches when all three of its scores (mapped onto the rule table's scale, see
/// [`map_score`]) lie in the ranges. Serialisable: the UI keeps the edited table in the browser
/// as JSON (ranges are `[low, high]` arrays).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentRule {
    /// English name; unique in the table (case-insensitive), not "Other". It names the figure
    /// `segment_count:<name_en>`.
    pub name_en: String,
    /// Chinese name (the English name is shown when empty).
    pub name_zh: String,
    /// R score range `(low, high)`, inclusive, `1 ≤ low ≤ high ≤ scale`.
    pub r: (u8, u8),
    /// F score range.
    pub f: (u8, u8),
    /// M score range.
    pub m: (u8, u8),
    /// Suggested action, English.
    pub action_en: String,
    /// Suggested action, Chinese.
    pub action_zh: String,
}

impl SegmentRule {
    /// Whether the cell `(r, f, m)` (on the table's scale) lies in all three ranges.
    pub fn matches(&self, r: u8, f: u8, m: u8) -> bool {
        let within = |(low, high): (u8, u8), score: u8| (low..=high).contains(&score);
        within(self.r, r) && within(self.f, f) && within(self.m, m)
    }

    /// The Chinese name, or the English one when it is empty.
    pub fn display_zh(&self) -> &str {
        if self.name_zh.trim().is_empty() {
            &self.name_en
        } else {
            &self.name_zh
        }
    }
}

/// An ordered rule table: the **first** rule that matches a customer gives its segment, and a
/// customer no rule matches is in "Other" ([`OTHER_EN`]), as in the R package `rfm`.
///
/// The ranges are written on the scale `scale` (3, 4, 5 or 10; default 5). A customer scored
/// with another number of bins is matched with its scores mapped onto the scale by
/// [`map_score`]. So one table serves every bin count, and the default table stays a complete
/// partition whatever the bins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentRules {
    /// The score scale the ranges are written on.
    pub scale: u8,
    /// The rules, in evaluation order.
    pub rules: Vec<SegmentRule>,
}

impl Default for SegmentRules {
    fn default() -> Self {
        default_rules()
    }
}

impl SegmentRules {
    /// Checks the table: the scale is one of [`BIN_CHOICES`]; 1 to [`MAX_RULES`] rules; every
    /// English name non-empty, unique (ignoring case and surrounding spaces) and not "Other";
    /// every range `1 ≤ low ≤ high ≤ scale`. Overlaps and gaps are not errors (see
    /// [`rule_coverage`]).
    ///
    /// # Errors
    /// [`Error::Parameter`] (`segment_rules`) naming the first problem and the rule (1-based).
    pub fn validate(&self) -> Result<()> {
        let bad = |reason: ParameterProblem| Err(parameter("segment_rules", reason));
        if !BIN_CHOICES.contains(&self.scale) {
            return bad(ParameterProblem::RuleScale {
                value: self.scale,
                choices: BIN_CHOICES.map(i64::from).to_vec(),
            });
        }
        if self.rules.is_empty() || self.rules.len() > MAX_RULES {
            return bad(ParameterProblem::RuleCount {
                count: self.rules.len(),
                max: MAX_RULES,
            });
        }
        let mut names: Vec<String> = Vec::with_capacity(self.rules.len());
        for (i, rule) in self.rules.iter().enumerate() {
            let name = rule.name_en.trim();
            let (number, given) = (i + 1, rule.name_en.clone());
            if name.is_empty() {
                return bad(ParameterProblem::RuleNameEmpty { rule: number });
            }
            let key = name.to_lowercase();
            if key == OTHER_EN.to_lowercase() {
                return bad(ParameterProblem::RuleNameReserved {
                    rule: number,
                    name: given,
                    reserved: OTHER_EN.into(),
                });
            }
            if names.contains(&key) {
                return bad(ParameterProblem::RuleNameTaken {
                    rule: number,
                    name: given,
                });
            }
            names.push(key);
            for (axis, (low, high)) in [
                (RfmAxis::R, rule.r),
                (RfmAxis::F, rule.f),
                (RfmAxis::M, rule.m),
            ] {
                if low < 1 || low > high || high > self.scale {
                    return bad(ParameterProblem::RuleRange {
                        rule: number,
                        name: given,
                        axis,
                        low,
                        high,
                        scale: self.scale,
                    });
                }
            }
        }
        Ok(())
    }

    /// The index of the first rule matching scores `(r, f, m)` of `bins` bins; `None` is
    /// "Other".
    pub fn segment_of(&self, r: u8, f: u8, m: u8, bins: u8) -> Option<usize> {
        let map = |s| map_score(s, bins, self.scale);
        let (r, f, m) = (map(r), map(f), map(m));
        self.rules.iter().position(|rule| rule.matches(r, f, m))
    }
}

/// Maps a score of `from_bins` bins onto a scale of `to_scale` scores: the score whose band
/// holds the middle of the score's percentile band, `⌊to × (2s − 1) / (2 × from)⌋ + 1`.
///
/// The identity when the two are equal; 10 bins onto 5: `⌈s / 2⌉` (exact, each decile lies in
/// one quintile); 3 bins onto 5: 1, 3, 5; 4 bins onto 5: 1, 2, 4, 5. With 3 or 4 bins some cells
/// of a 5-scale table are therefore never reached (with the default table: Promising and
/// Hibernating with 3 bins, About to Sleep and Need Attention with 4).
///
/// ```
/// use valuelens::engine::rfm::map_score;
/// let onto5 = |bins: u8| (1..=bins).map(|s| map_score(s, bins, 5)).collect::<Vec<_>>();
/// assert_eq!(onto5(3), [1, 3, 5]);
/// assert_eq!(onto5(4), [1, 2, 4, 5]);
/// assert_eq!(onto5(10), [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
/// ```
pub fn map_score(score: u8, from_bins: u8, to_scale: u8) -> u8 {
    if from_bins == to_scale || from_bins == 0 {
        return score;
    }
    let (s, from, to) = (
        u32::from(score.max(1)),
        u32::from(from_bins),
        u32::from(to_scale),
    );
    (to * (2 * s - 1) / (2 * from) + 1).min(to) as u8
}

/// A cell of the score grid that several rules match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overlap {
    /// The cell `(r, f, m)` in scores of the analysis' bins.
    pub cell: (u8, u8, u8),
    /// The matching rules (indices, in order); the first one wins.
    pub rules: Vec<usize>,
}

/// How a rule table covers the `bins³` cells of the score grid ([`rule_coverage`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    /// The bins the cells are in.
    pub bins: u8,
    /// Cells several rules match, R then F then M ascending.
    pub overlaps: Vec<Overlap>,
    /// Cells no rule matches (their customers are "Other").
    pub gaps: Vec<(u8, u8, u8)>,
    /// Rules that are the first match of no cell: unreachable with these bins, or shadowed by
    /// earlier rules. Their segments are always empty.
    pub unused: Vec<usize>,
}

impl Coverage {
    /// No overlap and no gap: every cell belongs to exactly one segment.
    pub fn is_partition(&self) -> bool {
        self.overlaps.is_empty() && self.gaps.is_empty()
    }
}

/// Checks every cell `(r, f, m)` of `bins` bins (mapped onto the table's scale) against the
/// rules: which cells several rules match, which none, and which rules never win. Does not
/// validate the table.
pub fn rule_coverage(rules: &SegmentRules, bins: u8) -> Coverage {
    let mut coverage = Coverage {
        bins,
        overlaps: Vec::new(),
        gaps: Vec::new(),
        unused: Vec::new(),
    };
    let mut wins = vec![false; rules.rules.len()];
    for r in 1..=bins {
        for f in 1..=bins {
            for m in 1..=bins {
                let map = |s| map_score(s, bins, rules.scale);
                let (mr, mf, mm) = (map(r), map(f), map(m));
                let matching: Vec<usize> = rules
                    .rules
                    .iter()
                    .enumerate()
                    .filter(|(_, rule)| rule.matches(mr, mf, mm))
                    .map(|(i, _)| i)
                    .collect();
                match matching.as_slice() {
                    [] => coverage.gaps.push((r, f, m)),
                    [first, rest @ ..] => {
                        wins[*first] = true;
                        if !rest.is_empty() {
                            coverage.overlaps.push(Overlap {
                                cell: (r, f, m),
                                rules: matching,
                            });
                        }
                    }
                }
            }
        }
    }
    coverage.unused = (0..wins.len()).filter(|&i| !wins[i]).collect();
    coverage
}

/// The default rule table: the 11 named segments on the 1–5 scale, a complete partition of the
/// 125 cells (no overlap, no gap), so the order does not matter.
///
/// Derived from the widely used R×F grid (research §2.2: hibernating, at risk, can't lose, about
/// to sleep, need attention, loyal, promising, new, potential loyalist, champions), which covers
/// the 5×5 R×F grid exactly once, with two changes so that all 11 names of the commonly
/// published table (§1.3) appear and M is used where the published descriptions rely on it:
/// - **Lost** is split from the grid's hibernating block by R: R = 1 is Lost ("lowest recency"),
///   R = 2 stays Hibernating;
/// - **Can't Lose Them** ("made big purchases and often, but long time ago") and **At Risk**
///   share the old-and-frequent block (R 1–2, F 3–5) and are split by M: M 4–5 is Can't Lose
///   Them, M 1–3 At Risk.
///
/// | # | Segment | 中文 | R | F | M |
/// |---|---|---|---|---|---|
/// | 1 | Champions | 冠军客户 | 5 | 4–5 | 1–5 |
/// | 2 | Loyal Customers | 忠诚客户 | 3–4 | 4–5 | 1–5 |
/// | 3 | Potential Loyalist | 潜在忠诚客户 | 4–5 | 2–3 | 1–5 |
/// | 4 | New Customers | 新客户 | 5 | 1 | 1–5 |
/// | 5 | Promising | 有潜力客户 | 4 | 1 | 1–5 |
/// | 6 | Need Attention | 需要关注客户 | 3 | 3 | 1–5 |
/// | 7 | About to Sleep | 即将沉睡客户 | 3 | 1–2 | 1–5 |
/// | 8 | At Risk | 有流失风险客户 | 1–2 | 3–5 | 1–3 |
/// | 9 | Can't Lose Them | 不能失去的客户 | 1–2 | 3–5 | 4–5 |
/// | 10 | Hibernating | 休眠客户 | 2 | 1–2 | 1–5 |
/// | 11 | Lost | 流失客户 | 1 | 1–2 | 1–5 |
pub fn default_rules() -> SegmentRules {
    let rule = |name_en: &str,
                name_zh: &str,
                r: (u8, u8),
                f: (u8, u8),
                m: (u8, u8),
                action_en: &str,
                action_zh: &str| SegmentRule {
        name_en: name_en.into(),
        name_zh: name_zh.into(),
        r,
        f,
        m,
        action_en: action_en.into(),
        action_zh: action_zh.into(),
    };
    SegmentRules {
        scale: 5,
        rules: vec![
            rule(
                "Champions",
                "冠军客户",
                (5, 5),
                (4, 5),
                (1, 5),
                "Reward them: early access to new products, member perks; ask for reviews and referrals.",
                "给予回馈：新品抢先体验、会员专属礼遇；邀请评价和推荐。",
            ),
            rule(
                "Loyal Customers",
                "忠诚客户",
                (3, 4),
                (4, 5),
                (1, 5),
                "Upsell higher-value products; invite them to the loyalty programme.",
                "推荐更高价值的产品，邀请加入会员或积分计划。",
            ),
            rule(
                "Potential Loyalist",
                "潜在忠诚客户",
                (4, 5),
                (2, 3),
                (1, 5),
                "Offer membership or points; recommend related products.",
                "提供会员或积分权益，推荐相关产品。",
            ),
            rule(
                "New Customers",
                "新客户",
                (5, 5),
                (1, 1),
                (1, 5),
                "Onboard well: welcome message, first-use help, a reason to order again.",
                "做好新客引导：欢迎信息、使用指导，给出再次购买的理由。",
            ),
            rule(
                "Promising",
                "有潜力客户",
                (4, 4),
                (1, 1),
                (1, 5),
                "Build the relationship: brand story, samples, a small incentive for a second order.",
                "建立关系：介绍品牌、赠送试用，用小额优惠促成第二次购买。",
            ),
            rule(
                "Need Attention",
                "需要关注客户",
                (3, 3),
                (3, 3),
                (1, 5),
                "Send limited-time offers and recommendations based on past purchases.",
                "推送限时优惠和基于购买记录的个性化推荐。",
            ),
            rule(
                "About to Sleep",
                "即将沉睡客户",
                (3, 3),
                (1, 2),
                (1, 5),
                "Reactivate: share best-sellers and a time-limited discount.",
                "及时唤醒：推送热销商品和限时折扣。",
            ),
            rule(
                "At Risk",
                "有流失风险客户",
                (1, 2),
                (3, 5),
                (1, 3),
                "Win back with personal emails or calls, renewal offers and useful content.",
                "通过个性化邮件或电话挽回，提供复购优惠和有用内容。",
            ),
            rule(
                "Can't Lose Them",
                "不能失去的客户",
                (1, 2),
                (3, 5),
                (4, 5),
                "Contact them personally: find out what went wrong, offer new products or a strong incentive.",
                "专人联系，了解流失原因，推荐新品或提供有力优惠。",
            ),
            rule(
                "Hibernating",
                "休眠客户",
                (2, 2),
                (1, 2),
                (1, 5),
                "Offer relevant products and special discounts to rebuild interest.",
                "推荐相关产品和专属折扣，重新激发兴趣。",
            ),
            rule(
                "Lost",
                "流失客户",
                (1, 1),
                (1, 2),
                (1, 5),
                "Try one low-cost reactivation campaign; otherwise spend little on them.",
                "尝试一次低成本的唤回活动，否则不再投入过多资源。",
            ),
        ],
    }
}

/// The suggested action for customers in "Other", English.
pub const OTHER_ACTION_EN: &str = "Check the rule table: these customers match no rule.";
/// The suggested action for customers in "Other", Chinese.
pub const OTHER_ACTION_ZH: &str = "检查规则表：这些客户不符合任何规则。";

/// One segment's customers and revenue ([`segment_rfm`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentSummary {
    /// The rule (index into the table); `None` for "Other".
    pub rule: Option<usize>,
    /// English name ("Other" for unmatched customers).
    pub name_en: String,
    /// Chinese name ("其他" for unmatched customers; the English name when the rule has none).
    pub name_zh: String,
    /// Suggested action, English.
    pub action_en: String,
    /// Suggested action, Chinese.
    pub action_zh: String,
    /// Customers in the segment.
    pub customers: usize,
    /// Their share of the scored customers (0 to 1).
    pub customer_share: f64,
    /// Their net sales (always net sales, whatever M measures).
    pub revenue: f64,
    /// Their share of the scored customers' net sales; `None` when that total is zero
    /// (shares of a signed total: with negative customers a share can be negative or pass 1).
    pub revenue_share: Option<f64>,
    /// Their orders (F summed).
    pub orders: u64,
    /// Mean R in days; `None` for an empty segment.
    pub mean_recency_days: Option<f64>,
    /// Mean F in orders; `None` for an empty segment.
    pub mean_frequency: Option<f64>,
    /// Mean M in currency units; `None` for an empty segment.
    pub mean_monetary: Option<f64>,
}

/// The segments of a scoring ([`segment_rfm`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segmentation {
    /// The rule table used.
    pub rules: SegmentRules,
    /// How the table covers the score grid of the scoring's bins.
    pub coverage: Coverage,
    /// The segment of each scored customer (parallel to [`RfmScores::customers`]): a rule
    /// index, `None` for "Other".
    pub assignments: Vec<Option<u16>>,
    /// One summary per rule, in table order, then "Other" (always present, possibly empty).
    pub segments: Vec<SegmentSummary>,
}

impl Segmentation {
    /// The customers in "Other".
    pub fn other_customers(&self) -> usize {
        self.segments.last().map_or(0, |s| s.customers)
    }
}

/// Puts every scored customer into the first matching segment (or "Other") and summarises the
/// segments. O(n + bins³ × rules).
///
/// # Errors
/// [`Error::Parameter`] (`segment_rules`) from [`SegmentRules::validate`].
pub fn segment_rfm(
    table: &CustomerTable,
    scores: &RfmScores,
    rules: &SegmentRules,
) -> Result<Segmentation> {
    rules.validate()?;
    let bins = scores.config.bins;
    let b = usize::from(bins);
    // The winning rule of every cell, computed once.
    let mut lookup: Vec<Option<u16>> = Vec::with_capacity(b * b * b);
    for r in 1..=bins {
        for f in 1..=bins {
            for m in 1..=bins {
                lookup.push(rules.segment_of(r, f, m, bins).map(|i| i as u16));
            }
        }
    }
    // A score outside 1..=bins (only in a hand-made `RfmScores`) matches no cell: "Other".
    let cell_of = |s: &CustomerScore| {
        let index = |score: u8| usize::from(score).checked_sub(1).filter(|&i| i < b);
        Some((index(s.r)? * b + index(s.f)?) * b + index(s.m)?)
    };
    let assignments: Vec<Option<u16>> = scores
        .customers
        .iter()
        .map(|s| cell_of(s).and_then(|cell| lookup[cell]))
        .collect();

    #[derive(Default, Clone)]
    struct Acc {
        customers: usize,
        revenue: f64,
        orders: u64,
        recency: f64,
        frequency: f64,
        monetary: f64,
    }
    let mut accs = vec![Acc::default(); rules.rules.len() + 1];
    let mut total = SignedSum::default();
    for (score, assigned) in scores.customers.iter().zip(&assignments) {
        let sales = table.customers.get(score.index).map_or(0.0, |c| c.sales);
        total.add(sales);
        let acc = &mut accs[assigned.map_or(rules.rules.len(), usize::from)];
        acc.customers += 1;
        acc.revenue += sales;
        acc.orders += u64::from(score.frequency);
        acc.recency += f64::from(score.recency_days);
        acc.frequency += f64::from(score.frequency);
        acc.monetary += score.monetary;
    }
    let n = scores.customers.len();
    let segments = accs
        .into_iter()
        .enumerate()
        .map(|(i, acc)| {
            let rule = rules.rules.get(i);
            let mean = |sum: f64| (acc.customers > 0).then(|| sum / acc.customers as f64);
            SegmentSummary {
                rule: rule.map(|_| i),
                name_en: rule.map_or(OTHER_EN.into(), |r| r.name_en.trim().to_string()),
                name_zh: rule.map_or(OTHER_ZH.into(), |r| r.display_zh().trim().to_string()),
                action_en: rule.map_or(OTHER_ACTION_EN.into(), |r| r.action_en.clone()),
                action_zh: rule.map_or(OTHER_ACTION_ZH.into(), |r| r.action_zh.clone()),
                customers: acc.customers,
                customer_share: if n == 0 {
                    0.0
                } else {
                    acc.customers as f64 / n as f64
                },
                revenue: acc.revenue,
                revenue_share: total.share(acc.revenue),
                orders: acc.orders,
                mean_recency_days: mean(acc.recency),
                mean_frequency: mean(acc.frequency),
                mean_monetary: mean(acc.monetary),
            }
        })
        .collect();
    Ok(Segmentation {
        rules: rules.clone(),
        coverage: rule_coverage(rules, bins),
        assignments,
        segments,
    })
}

// ---------------------------------------------------------------------------------------------
// Everything at once

/// The whole RFM analysis ([`analyse_rfm`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RfmAnalysis {
    /// Values, scores, thresholds, warnings, grid, histograms, tiers.
    pub scores: RfmScores,
    /// Segments and rule coverage.
    pub segmentation: Segmentation,
}

/// Scores a table ([`score_rfm`]) and segments it ([`segment_rfm`]).
///
/// # Errors
/// Those of [`score_rfm`] and [`segment_rfm`].
pub fn analyse_rfm(
    table: &CustomerTable,
    config: &RfmConfig,
    rules: &SegmentRules,
) -> Result<RfmAnalysis> {
    rules.validate()?;
    let scores = score_rfm(table, config)?;
    let segmentation = segment_rfm(table, &scores, rules)?;
    Ok(RfmAnalysis {
        scores,
        segmentation,
    })
}

impl RfmAnalysis {
    /// The English segment name of the `k`-th scored customer ("Other" when no rule matched);
    /// `None` when there is no such customer.
    pub fn segment_name_of(&self, k: usize) -> Option<&str> {
        let assigned = *self.segmentation.assignments.get(k)?;
        Some(match assigned {
            Some(rule) => self
                .segmentation
                .segments
                .get(usize::from(rule))
                .map_or(OTHER_EN, |s| s.name_en.as_str()),
            None => OTHER_EN,
        })
    }

    /// The figures for automation (`data-metric` in the UI), in this order:
    /// `segment_count:<name_en>` (customers) for every rule in table order, then
    /// `segment_count:Other`; then `rfm_threshold_r_<k>`, `rfm_threshold_f_<k>`,
    /// `rfm_threshold_m_<k>` for `k = 1 … bins − 1`, the cut points of [`AxisThresholds::cuts`]
    /// (days, orders, money; `None` when no customer scores above *k*).
    pub fn figures(&self) -> Vec<Figure> {
        let mut figures: Vec<Figure> = self
            .segmentation
            .segments
            .iter()
            .map(|segment| Figure {
                name: format!("segment_count:{}", segment.name_en),
                value: Some(segment.customers as f64),
            })
            .collect();
        for axis in Axis::ALL {
            let thresholds = self.scores.thresholds.axis(axis);
            for (k, cut) in thresholds.cuts.iter().enumerate() {
                figures.push(Figure {
                    name: format!("rfm_threshold_{}_{}", axis.as_str(), k + 1),
                    value: *cut,
                });
            }
        }
        figures
    }
}

// ---------------------------------------------------------------------------------------------
// Export

/// Which of a rule's names the export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum NameLanguage {
    /// `name_en`.
    #[default]
    English,
    /// `name_zh` (the English name when empty).
    Chinese,
}

/// Column headers and names of the scored-customer CSV, in the UI's language
/// ([`scored_customers_csv`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RfmCsvLabels<'a> {
    /// Customer id.
    pub customer: &'a str,
    /// Last purchase (ISO date).
    pub last_purchase: &'a str,
    /// R in days.
    pub recency_days: &'a str,
    /// F.
    pub frequency: &'a str,
    /// M.
    pub monetary: &'a str,
    /// R score.
    pub r_score: &'a str,
    /// F score.
    pub f_score: &'a str,
    /// M score.
    pub m_score: &'a str,
    /// RFM code ([`CustomerScore::code`]).
    pub rfm_code: &'a str,
    /// Segment.
    pub segment: &'a str,
    /// Value tier.
    pub value_tier: &'a str,
    /// Which rule name to write.
    pub language: NameLanguage,
    /// The name of the "Other" segment.
    pub other: &'a str,
    /// The names of the value tiers: high, medium, low.
    pub tiers: [&'a str; 3],
}

impl Default for RfmCsvLabels<'static> {
    fn default() -> Self {
        RfmCsvLabels {
            customer: "customer",
            last_purchase: "last purchase",
            recency_days: "recency days",
            frequency: "frequency",
            monetary: "monetary",
            r_score: "R",
            f_score: "F",
            m_score: "M",
            rfm_code: "RFM code",
            segment: "segment",
            value_tier: "value tier",
            language: NameLanguage::English,
            other: OTHER_EN,
            tiers: ["high value", "medium value", "low value"],
        }
    }
}

impl RfmCsvLabels<'static> {
    /// Chinese headers and names.
    pub fn chinese() -> Self {
        RfmCsvLabels {
            customer: "客户",
            last_purchase: "最近购买日期",
            recency_days: "最近一次消费（天）",
            frequency: "消费频率",
            monetary: "消费金额",
            r_score: "R",
            f_score: "F",
            m_score: "M",
            rfm_code: "RFM 代码",
            segment: "客户分群",
            value_tier: "价值分层",
            language: NameLanguage::Chinese,
            other: OTHER_ZH,
            tiers: [
                ValueTier::High.name_zh(),
                ValueTier::Medium.name_zh(),
                ValueTier::Low.name_zh(),
            ],
        }
    }
}

/// The scored customers as CSV (via [`csv_document`]: UTF-8 BOM, CRLF, RFC 4180 quoting, and
/// formula injection neutralised, so an id like `=cmd` is written `'=cmd`; numbers such as
/// `-12.5` stay numbers).
///
/// Columns: customer, last purchase (`YYYY-MM-DD`), recency days, frequency, monetary (at most 6
/// decimals, trailing zeros dropped, so re-importing gives the same values to a millionth), R,
/// F, M, RFM code, segment (in `labels.language`), value tier. Rows follow
/// [`RfmScores::customers`] (table order, by id); undated customers are not in it.
pub fn scored_customers_csv(
    table: &CustomerTable,
    analysis: &RfmAnalysis,
    labels: &RfmCsvLabels<'_>,
) -> String {
    let header = [
        labels.customer,
        labels.last_purchase,
        labels.recency_days,
        labels.frequency,
        labels.monetary,
        labels.r_score,
        labels.f_score,
        labels.m_score,
        labels.rfm_code,
        labels.segment,
        labels.value_tier,
    ];
    let bins = analysis.scores.config.bins;
    let rules = &analysis.segmentation.rules.rules;
    let rows = analysis
        .scores
        .customers
        .iter()
        .zip(&analysis.segmentation.assignments)
        .filter_map(|(score, assigned)| {
            let customer = table.customers.get(score.index)?;
            let segment: Cow<'_, str> = match assigned.and_then(|i| rules.get(usize::from(i))) {
                Some(rule) => match labels.language {
                    NameLanguage::English => rule.name_en.trim().into(),
                    NameLanguage::Chinese => rule.display_zh().trim().into(),
                },
                None => labels.other.into(),
            };
            let tier = match score.tier {
                ValueTier::High => labels.tiers[0],
                ValueTier::Medium => labels.tiers[1],
                ValueTier::Low => labels.tiers[2],
            };
            let cells: Vec<Cow<'_, str>> = vec![
                customer.id.as_str().into(),
                customer.last.map_or(String::new(), format_day).into(),
                score.recency_days.to_string().into(),
                score.frequency.to_string().into(),
                number_cell(score.monetary, 6),
                score.r.to_string().into(),
                score.f.to_string().into(),
                score.m.to_string().into(),
                score.code(bins).to_string().into(),
                segment,
                tier.into(),
            ];
            Some(cells)
        });
    csv_document(&header, rows)
}

// ---------------------------------------------------------------------------------------------
// Internals

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::customers::Columns;

    const DATED: Columns = Columns {
        order: true,
        date: true,
        profit: false,
        quantity: false,
    };

    /// A customer with a last purchase day, orders and net sales.
    fn customer(id: &str, last: Option<Day>, orders: u32, sales: f64) -> Customer {
        Customer {
            id: id.into(),
            rows: orders,
            orders,
            sales,
            first: last,
            last,
            ..Default::default()
        }
    }

    /// `(id, last day, orders, sales)` customers, sorted by id.
    fn table(rows: &[(&str, Day, u32, f64)]) -> CustomerTable {
        let mut customers: Vec<Customer> = rows
            .iter()
            .map(|&(id, last, orders, sales)| customer(id, Some(last), orders, sales))
            .collect();
        customers.sort_by(|a, b| a.id.cmp(&b.id));
        CustomerTable {
            customers,
            columns: DATED,
        }
    }

    /// A configuration with `bins` bins and the analysis day, the rest default.
    fn config(bins: u8, analysis_day: Option<Day>) -> RfmConfig {
        RfmConfig {
            bins,
            analysis_day,
            ..Default::default()
        }
    }

    fn scores_of(scores: &RfmScores, axis: Axis) -> Vec<u8> {
        scores.customers.iter().map(|c| c.score(axis)).collect()
    }

    #[test]
    fn scores_follow_the_percentile_rank_and_never_split_ties() {
        // (what, values ascending-is-better, bins, expected scores)
        let cases: [(&str, &[u32], u8, &[u8]); 10] = [
            ("one customer", &[7], 5, &[1]),
            ("all equal", &[3, 3, 3, 3], 5, &[1, 1, 1, 1]),
            ("two customers", &[1, 2], 5, &[1, 5]),
            (
                "ten distinct",
                &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
                5,
                &[1, 1, 2, 2, 3, 3, 4, 4, 5, 5],
            ),
            // Without the tie: 1 1 2 2 3 3 4 4 5 5; 4 and 5 tie across the 2|3 boundary.
            (
                "tie across a boundary",
                &[1, 2, 3, 4, 4, 6, 7, 8, 9, 10],
                5,
                &[1, 1, 2, 2, 2, 3, 4, 4, 5, 5],
            ),
            (
                "10 bins, 7 customers",
                &[10, 20, 30, 40, 50, 60, 70],
                10,
                &[1, 2, 4, 6, 7, 9, 10],
            ),
            (
                "10 bins, 7 customers with a tie",
                &[10, 10, 30, 40, 50, 60, 70],
                10,
                &[1, 1, 4, 6, 7, 9, 10],
            ),
            // CDNOW-like: 6 of 10 bought once → F 1; 2 orders start at rank 6 → 1 + 5·6/9 = 4.
            (
                "mostly ones",
                &[1, 1, 1, 1, 1, 1, 2, 2, 3, 9],
                5,
                &[1, 1, 1, 1, 1, 1, 4, 4, 5, 5],
            ),
            ("3 bins", &[5, 1, 4, 2, 3], 3, &[3, 1, 3, 1, 2]),
            ("4 bins, unsorted", &[8, 6, 4, 2, 1], 4, &[4, 4, 3, 2, 1]),
        ];
        for (what, values, bins, expected) in cases {
            let rows: Vec<(String, u32)> = values
                .iter()
                .enumerate()
                .map(|(i, &v)| (format!("c{i:02}"), v))
                .collect();
            let rows: Vec<(&str, Day, u32, f64)> = rows
                .iter()
                .map(|(id, v)| (id.as_str(), 100, *v, 1.0))
                .collect();
            let config = config(bins, None);
            let scores = score_rfm(&table(&rows), &config).unwrap();
            assert_eq!(scores_of(&scores, Axis::Frequency), expected, "{what}");
        }
    }

    #[test]
    fn recency_is_inverted_and_monetary_ties_survive_rounding_noise() {
        let noisy = 100.10 + 162.45;
        assert_ne!(noisy, 262.55);
        // Last purchases: a day 50, b day 40, c day 50, d day 10; analysis day 51.
        let t = table(&[
            ("a", 50, 1, noisy),
            ("b", 40, 1, 262.55),
            ("c", 50, 1, -5.0),
            ("d", 10, 1, 0.0),
        ]);
        let scores = score_rfm(&t, &RfmConfig::default()).unwrap();
        assert_eq!(scores.analysis_day, 51);
        let days: Vec<i32> = scores.customers.iter().map(|c| c.recency_days).collect();
        assert_eq!(days, [1, 11, 1, 41]);
        // R: d (41 days) worst → 1; b (11) rank 1 → 1 + 5/3 = 2; a, c (1 day) rank 2 → 4.
        assert_eq!(scores_of(&scores, Axis::Recency), [4, 2, 4, 1]);
        // M: c −5 → 1; d 0 → 2; a and b tie at 262.55 → rank 2 → 4.
        assert_eq!(scores_of(&scores, Axis::Monetary), [4, 4, 1, 2]);
        let m = &scores.thresholds.m;
        assert_eq!(m.distinct_values, 3);
        assert_eq!(m.sizes(), [1, 1, 0, 2, 0]);
        assert_eq!(m.tie_free_sizes, [1, 1, 0, 1, 1]);
        // Cuts: smallest M above 1 is 0, above 2 and 3 is 262.55 (a's noisy value is the raw
        // minimum), above 4 nobody.
        assert_eq!(m.cuts, [Some(0.0), Some(noisy), Some(noisy), None]);
        // R cuts: largest days scoring above k.
        assert_eq!(
            scores.thresholds.r.cuts,
            [Some(11.0), Some(1.0), Some(1.0), None]
        );
    }

    #[test]
    fn tie_free_sizes_match_the_rule_on_distinct_positions() {
        for n in [1usize, 2, 3, 7, 10, 11, 25, 99, 1000] {
            for bins in BIN_CHOICES {
                let mut expected = vec![0; usize::from(bins)];
                for w in 0..n {
                    expected[usize::from(score_of_rank(w, n, bins)) - 1] += 1;
                }
                let rows: Vec<(String, u32)> =
                    (0..n).map(|i| (format!("c{i:04}"), i as u32)).collect();
                let rows: Vec<(&str, Day, u32, f64)> = rows
                    .iter()
                    .map(|(id, v)| (id.as_str(), 0, *v, 0.0))
                    .collect();
                let config = config(bins, None);
                let scores = score_rfm(&table(&rows), &config).unwrap();
                assert_eq!(
                    scores.thresholds.f.tie_free_sizes, expected,
                    "n {n} bins {bins}"
                );
                assert_eq!(scores.thresholds.f.sizes(), expected, "n {n} bins {bins}");
            }
        }
    }

    #[test]
    fn warnings_name_the_uneven_axes() {
        // 10 customers, 5 bins; F mostly ones (uneven), M distinct (even), R all equal.
        let f = [1, 1, 1, 1, 1, 1, 2, 2, 3, 9];
        let ids: Vec<String> = (0..10).map(|i| format!("c{i}")).collect();
        let rows: Vec<(&str, Day, u32, f64)> = (0..10)
            .map(|i| (ids[i].as_str(), 7, f[i], i as f64))
            .collect();
        let scores = score_rfm(&table(&rows), &RfmConfig::default()).unwrap();
        let warned: Vec<(Axis, Vec<usize>, usize)> = scores
            .warnings
            .iter()
            .map(|w| (w.axis, w.sizes.clone(), w.distinct_values))
            .collect();
        assert_eq!(
            warned,
            [
                (Axis::Recency, vec![10, 0, 0, 0, 0], 1),
                (Axis::Frequency, vec![6, 0, 0, 2, 2], 4),
            ]
        );
        assert_eq!(scores.warnings[0].tie_free_sizes, [2, 2, 2, 2, 2]);
        // A tie that moves one customer in 1000 is no warning.
        let ids: Vec<String> = (0..1000).map(|i| format!("c{i:04}")).collect();
        let rows: Vec<(&str, Day, u32, f64)> = (0..1000)
            .map(|i| {
                (
                    ids[i].as_str(),
                    i as Day,
                    1,
                    if i == 200 { 199.0 } else { i as f64 },
                )
            })
            .collect();
        let scores = score_rfm(&table(&rows), &RfmConfig::default()).unwrap();
        assert_eq!(scores.thresholds.m.sizes(), [201, 199, 200, 200, 200]);
        let axes: Vec<Axis> = scores.warnings.iter().map(|w| w.axis).collect();
        assert_eq!(axes, [Axis::Frequency]);
    }

    #[test]
    fn config_and_data_errors() {
        let t = table(&[("a", 10, 1, 1.0), ("b", 20, 2, 2.0)]);
        let bad_configs = [
            (config(6, None), "bins"),
            (config(0, None), "bins"),
            (config(5, Some(DAY_RANGE.1 + 1)), "analysis_day"),
            (config(5, Some(19)), "analysis_day"),
        ];
        for (config, field) in bad_configs {
            match score_rfm(&t, &config) {
                Err(Error::Parameter { name, .. }) => assert_eq!(name, field, "{config:?}"),
                other => panic!("{config:?}: {other:?}"),
            }
        }
        let before = score_rfm(&t, &config(5, Some(19)));
        assert_eq!(
            before,
            Err(parameter(
                "analysis_day",
                ParameterProblem::BeforeLatestPurchase { latest: 20 }
            ))
        );
        assert_eq!(
            before.unwrap_err().to_string(),
            "parameter 'analysis_day': lies before the latest purchase (1970-01-21): recency \
             would be negative"
        );
        // The analysis day may be the latest purchase day: R = 0.
        let scores = score_rfm(&t, &config(5, Some(20))).unwrap();
        assert_eq!(scores.customers[1].recency_days, 0);
        for bins in BIN_CHOICES {
            assert_eq!(config(bins, None).validate(), Ok(()));
        }

        assert_eq!(
            score_rfm(&CustomerTable::default(), &RfmConfig::default()),
            Err(Error::NoData)
        );
        let no_date_column = CustomerTable {
            columns: Columns {
                date: false,
                ..DATED
            },
            ..t.clone()
        };
        let undated = CustomerTable {
            customers: vec![customer("a", None, 1, 1.0)],
            columns: DATED,
        };
        for table in [no_date_column, undated] {
            match score_rfm(&table, &RfmConfig::default()) {
                Err(Error::Parameter { name, .. }) => assert_eq!(name, "date"),
                other => panic!("{other:?}"),
            }
        }
        // Some undated customers: left out and listed.
        let mut mixed = t.clone();
        mixed.customers.insert(0, customer("0", None, 3, 9.0));
        let scores = score_rfm(&mixed, &RfmConfig::default()).unwrap();
        assert_eq!(scores.undated, [0]);
        let indices: Vec<usize> = scores.customers.iter().map(|c| c.index).collect();
        assert_eq!(indices, [1, 2]);
    }

    #[test]
    fn monetary_can_be_average_order_value_and_frequency_basis_follows_columns() {
        let t = table(&[("a", 5, 4, 100.0), ("b", 5, 1, 40.0), ("c", 5, 2, -10.0)]);
        let config = RfmConfig {
            monetary: Monetary::AverageOrderValue,
            ..Default::default()
        };
        let scores = score_rfm(&t, &config).unwrap();
        let m: Vec<f64> = scores.customers.iter().map(|c| c.monetary).collect();
        assert_eq!(m, [25.0, 40.0, -5.0]);
        assert_eq!(scores_of(&scores, Axis::Monetary), [3, 5, 1]);
        assert_eq!(scores.frequency_basis, FrequencyBasis::Orders);
        let rows_only = CustomerTable {
            columns: Columns {
                order: false,
                ..DATED
            },
            ..t
        };
        assert_eq!(
            score_rfm(&rows_only, &config).unwrap().frequency_basis,
            FrequencyBasis::Rows
        );
        let zero_orders = customer("z", Some(1), 0, 5.0);
        assert_eq!(Monetary::AverageOrderValue.value(&zero_orders), 0.0);
    }

    #[test]
    fn map_score_table() {
        // (from, to, image of 1..=from)
        let cases: [(u8, u8, &[u8]); 7] = [
            (5, 5, &[1, 2, 3, 4, 5]),
            (3, 5, &[1, 3, 5]),
            (4, 5, &[1, 2, 4, 5]),
            (10, 5, &[1, 1, 2, 2, 3, 3, 4, 4, 5, 5]),
            (5, 10, &[2, 4, 6, 8, 10]),
            (5, 3, &[1, 1, 2, 3, 3]),
            (10, 3, &[1, 1, 1, 2, 2, 2, 2, 3, 3, 3]),
        ];
        for (from, to, expected) in cases {
            let got: Vec<u8> = (1..=from).map(|s| map_score(s, from, to)).collect();
            assert_eq!(got, expected, "{from} → {to}");
        }
    }

    #[test]
    fn default_rules_partition_every_cell() {
        let rules = default_rules();
        assert_eq!(rules.validate(), Ok(()));
        assert_eq!(rules.rules.len(), 11);
        // Every one of the 125 cells of the 1–5 scale: exactly one rule.
        for r in 1..=5 {
            for f in 1..=5 {
                for m in 1..=5 {
                    let n = rules
                        .rules
                        .iter()
                        .filter(|rule| rule.matches(r, f, m))
                        .count();
                    assert_eq!(n, 1, "cell {r}{f}{m}");
                }
            }
        }
        // Through the coverage check, for every bin count; some segments are unreachable with
        // 3 or 4 bins (see map_score).
        let name = |i: usize| rules.rules[i].name_en.as_str();
        let cases: [(u8, &[&str]); 4] = [
            (3, &["Promising", "Hibernating"]),
            (4, &["Need Attention", "About to Sleep"]),
            (5, &[]),
            (10, &[]),
        ];
        for (bins, unused) in cases {
            let coverage = rule_coverage(&rules, bins);
            assert!(coverage.is_partition(), "{bins} bins");
            let got: Vec<&str> = coverage.unused.iter().map(|&i| name(i)).collect();
            assert_eq!(got, unused, "{bins} bins");
        }
        // Names and actions in both languages.
        for rule in &rules.rules {
            assert!(
                !rule.name_zh.is_empty()
                    && !rule.action_en.is_empty()
                    && !rule.action_zh.is_empty()
            );
        }
    }

    #[test]
    fn edited_rules_show_overlaps_gaps_and_other() {
        let mut rules = default_rules();
        // Champions widened to R 4–5: overlaps Potential Loyalist? No: F 4–5 vs 2–3. It
        // overlaps Loyal Customers (R 3–4, F 4–5) at R 4.
        rules.rules[0].r = (4, 5);
        // Lost deleted: R 1, F 1–2 becomes a gap.
        rules.rules.pop();
        let coverage = rule_coverage(&rules, 5);
        assert_eq!(coverage.overlaps.len(), 2 * 5);
        assert_eq!(
            coverage.overlaps[0],
            Overlap {
                cell: (4, 4, 1),
                rules: vec![0, 1]
            }
        );
        assert_eq!(coverage.gaps.len(), 2 * 5);
        assert_eq!(coverage.gaps[0], (1, 1, 1));
        assert!(coverage.unused.is_empty());
        // Moving Loyal Customers first shadows nothing; a duplicate of Champions after it is
        // never first.
        let mut shadow = rules.clone();
        let mut copy = shadow.rules[0].clone();
        copy.name_en = "Champions 2".into();
        shadow.rules.push(copy);
        assert_eq!(rule_coverage(&shadow, 5).unused, [10]);

        let t = table(&[("old", 1, 1, 1.0), ("new", 100, 9, 50.0)]);
        let analysis = analyse_rfm(&t, &RfmConfig::default(), &rules).unwrap();
        // "new": R 5 F 5 → Champions; "old": R 1 F 1 → no rule → Other.
        assert_eq!(analysis.segment_name_of(0), Some("Champions"));
        assert_eq!(analysis.segment_name_of(1), Some(OTHER_EN));
        assert_eq!(analysis.segmentation.other_customers(), 1);
        // A hand-made score outside 1..=bins matches no cell instead of panicking.
        let mut scores = analysis.scores.clone();
        scores.customers[0].r = 0;
        scores.customers[1].m = 6;
        let odd = segment_rfm(&t, &scores, &default_rules()).unwrap();
        assert_eq!(odd.assignments, [None, None]);
        let other = analysis.segmentation.segments.last().unwrap();
        assert_eq!(
            (other.rule, other.name_zh.as_str(), other.revenue),
            (None, OTHER_ZH, 1.0)
        );
    }

    #[test]
    fn rule_tables_are_validated() {
        /// An edit of the default table.
        type Edit = fn(&mut SegmentRules);
        let edit = |f: Edit| {
            let mut rules = default_rules();
            f(&mut rules);
            rules.validate()
        };
        let reason = |r: Result<()>| match r {
            Err(Error::Parameter { name, reason }) => {
                assert_eq!(name, "segment_rules");
                reason
            }
            other => panic!("{other:?}"),
        };
        let cases: [(Edit, &str); 8] = [
            (|r| r.scale = 7, "the scale must be 3, 4, 5 or 10"),
            (|r| r.rules.clear(), "the table must hold 1 to 100 rules"),
            (
                |r| r.rules[2].name_en = " ".into(),
                "rule 3: the English name is empty",
            ),
            (
                |r| r.rules[1].name_en = " other ".into(),
                "rule 2 ' other ': the name 'Other' is kept for unmatched customers",
            ),
            (
                |r| r.rules[1].name_en = "CHAMPIONS".into(),
                "rule 2 'CHAMPIONS': another rule has the same name",
            ),
            (
                |r| r.rules[0].r = (5, 4),
                "rule 1 'Champions': the R range 5–4 must lie within 1–5, lowest first",
            ),
            (
                |r| r.rules[0].f = (0, 4),
                "rule 1 'Champions': the F range 0–4 must lie within 1–5, lowest first",
            ),
            (
                |r| r.rules[10].m = (1, 6),
                "rule 11 'Lost': the M range 1–6 must lie within 1–5, lowest first",
            ),
        ];
        for (f, expected) in cases {
            assert_eq!(reason(edit(f)).to_string(), expected);
        }
        // Rules round-trip through JSON (the UI keeps them in localStorage).
        let rules = default_rules();
        let json = serde_json::to_string(&rules).unwrap();
        assert!(json.contains("\"r\":[5,5]"));
        assert_eq!(serde_json::from_str::<SegmentRules>(&json).unwrap(), rules);
        // A 10-scale table is fine with 5 bins.
        let mut ten = default_rules();
        ten.scale = 10;
        assert_eq!(ten.validate(), Ok(()));
        let t = table(&[("a", 1, 1, 1.0)]);
        assert!(analyse_rfm(&t, &RfmConfig::default(), &ten).is_ok());
    }

    #[test]
    fn tiers_follow_the_total_score() {
        // (bins, low up to, high from)
        for (bins, low_to, high_from) in [(3, 4, 8), (4, 5, 10), (5, 6, 12), (10, 11, 22)] {
            let bounds = tier_bounds(bins);
            assert_eq!(
                (bounds.low_to, bounds.high_from),
                (low_to, high_from),
                "{bins}"
            );
            assert_eq!(ValueTier::of(low_to, bins), ValueTier::Low);
            assert_eq!(ValueTier::of(low_to + 1, bins), ValueTier::Medium);
            assert_eq!(ValueTier::of(high_from - 1, bins), ValueTier::Medium);
            assert_eq!(ValueTier::of(high_from, bins), ValueTier::High);
        }
        // With 5 bins: 20 low, 85 medium, 20 high cells of 125.
        let mut counts = [0; 3];
        for r in 1..=5u16 {
            for f in 1..=5 {
                for m in 1..=5 {
                    counts[ValueTier::of(r + f + m, 5) as usize] += 1;
                }
            }
        }
        assert_eq!(counts, [20, 85, 20]);
    }

    #[test]
    fn grid_histograms_and_tiers_add_up() {
        let rows: Vec<(String, Day, u32, f64)> = (0..50)
            .map(|i| {
                (
                    format!("c{i:02}"),
                    1000 - (i * 7) % 300,
                    1 + (i % 30) as u32,
                    (i * i) as f64,
                )
            })
            .collect();
        let rows: Vec<(&str, Day, u32, f64)> = rows
            .iter()
            .map(|(id, d, o, s)| (id.as_str(), *d, *o, *s))
            .collect();
        let t = table(&rows);
        let scores = score_rfm(&t, &RfmConfig::default()).unwrap();
        assert_eq!(scores.grid.len(), 25);
        assert_eq!(scores.grid.iter().map(|c| c.customers).sum::<usize>(), 50);
        for cell in &scores.grid {
            assert_eq!(cell.m_scores.iter().sum::<usize>(), cell.customers);
            assert_eq!(scores.cell(cell.r, cell.f), Some(cell));
        }
        assert_eq!(scores.cell(0, 1), None);
        assert_eq!(scores.cell(1, 6), None);
        let total: f64 = (0..50).map(|i| (i * i) as f64).sum();
        assert_eq!(scores.total_revenue, total);
        assert_eq!(scores.tiers.iter().map(|t| t.customers).sum::<usize>(), 50);
        for h in [
            &scores.histograms.recency,
            &scores.histograms.frequency,
            &scores.histograms.monetary,
        ] {
            let inside: usize = h.buckets.iter().map(|b| b.customers).sum();
            let tail = h.overflow.as_ref().map_or(0, |b| b.customers);
            assert_eq!(inside + tail, 50, "{:?}", h.axis);
            assert!(h.buckets.len() <= HISTOGRAM_BUCKETS);
        }
        // R: 1 + (7i mod 300) days, 1 … 295: span 295 → width 15.
        let r = &scores.histograms.recency;
        assert_eq!((r.buckets[0].from, r.buckets[0].to), (1.0, 15.0));
        // F: 1 … 30 orders: buckets 1 … 20, overflow 21 … 30 (i = 20 … 29).
        let f = &scores.histograms.frequency;
        assert_eq!(f.buckets.len(), 20);
        assert_eq!(
            f.overflow,
            Some(Bucket {
                from: 21.0,
                to: 30.0,
                customers: 10
            })
        );
        // M: 0 … 2401; the 99th percentile is rank 50 (⌈49.5⌉), the max: no overflow.
        let m = &scores.histograms.monetary;
        assert_eq!(
            (m.buckets[0].from, m.buckets[19].to, m.overflow.clone()),
            (0.0, 2401.0, None)
        );
    }

    #[test]
    fn money_histogram_edges() {
        // All equal: one bucket.
        let h = money_histogram(&[5.0, 5.0, 5.0]);
        assert_eq!(
            h.buckets,
            [Bucket {
                from: 5.0,
                to: 5.0,
                customers: 3
            }]
        );
        assert_eq!(h.overflow, None);
        // 200 values 1…200: p99 = 198; 199 and 200 overflow; value 198 is in the last bucket.
        let values: Vec<f64> = (1..=200).map(f64::from).collect();
        let h = money_histogram(&values);
        assert_eq!(
            h.overflow,
            Some(Bucket {
                from: 198.0,
                to: 200.0,
                customers: 2
            })
        );
        assert_eq!(h.buckets.iter().map(|b| b.customers).sum::<usize>(), 198);
        assert_eq!(h.buckets[19].to, 198.0);
        // Boundary values land in the bucket whose `from` they equal.
        for bucket in &h.buckets[1..] {
            let on_boundary = values.iter().filter(|&&v| v == bucket.from).count();
            assert!(on_boundary <= bucket.customers);
        }
        // Most equal, one huge: p99 equals the min, the huge one overflows.
        let mut values = vec![10.0; 199];
        values.push(1e9);
        let h = money_histogram(&values);
        assert_eq!(
            h.buckets,
            [Bucket {
                from: 10.0,
                to: 10.0,
                customers: 199
            }]
        );
        assert_eq!(
            h.overflow,
            Some(Bucket {
                from: 10.0,
                to: 1e9,
                customers: 1
            })
        );
        assert_eq!(money_histogram(&[]).buckets, []);
    }

    #[test]
    fn figures_are_named_for_every_segment_and_cut() {
        let t = table(&[("a", 100, 3, 300.0), ("b", 90, 1, 50.0), ("c", 10, 1, 20.0)]);
        let analysis = analyse_rfm(&t, &RfmConfig::default(), &default_rules()).unwrap();
        let figures = analysis.figures();
        let names: Vec<&str> = figures.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names.len(), 12 + 3 * 4);
        assert_eq!(names[0], "segment_count:Champions");
        assert_eq!(names[8], "segment_count:Can't Lose Them");
        assert_eq!(names[11], "segment_count:Other");
        assert_eq!(
            &names[12..16],
            [
                "rfm_threshold_r_1",
                "rfm_threshold_r_2",
                "rfm_threshold_r_3",
                "rfm_threshold_r_4"
            ]
        );
        assert_eq!(names[23], "rfm_threshold_m_4");
        // R days 1, 11, 91 → scores 5, 3, 1: cuts 11, 11, 1, 1.
        let values: Vec<Option<f64>> = figures[12..16].iter().map(|f| f.value).collect();
        assert_eq!(values, [Some(11.0), Some(11.0), Some(1.0), Some(1.0)]);
        let counts: f64 = figures[..12].iter().filter_map(|f| f.value).sum();
        assert_eq!(counts, 3.0);
    }

    #[test]
    fn codes_and_csv() {
        let score = CustomerScore {
            index: 0,
            recency_days: 0,
            frequency: 1,
            monetary: 0.0,
            r: 10,
            f: 3,
            m: 7,
            tier: ValueTier::Medium,
        };
        assert_eq!(score.code(10), 100_307);
        assert_eq!(
            CustomerScore {
                r: 5,
                f: 4,
                m: 5,
                ..score.clone()
            }
            .code(5),
            545
        );

        let t = table(&[("=cmd()", 100, 3, 300.0), ("b", 90, 1, -12.5)]);
        let analysis = analyse_rfm(&t, &RfmConfig::default(), &default_rules()).unwrap();
        let csv = scored_customers_csv(&t, &analysis, &RfmCsvLabels::default());
        assert_eq!(
            csv,
            "\u{feff}customer,last purchase,recency days,frequency,monetary,R,F,M,RFM code,segment,value tier\r\n\
             '=cmd(),1970-04-11,1,3,300,5,5,5,555,Champions,high value\r\n\
             b,1970-04-01,11,1,-12.5,1,1,1,111,Lost,low value\r\n"
        );
        let csv = scored_customers_csv(&t, &analysis, &RfmCsvLabels::chinese());
        assert!(csv.starts_with("\u{feff}客户,最近购买日期,"));
        assert!(csv.ends_with(",111,流失客户,低价值客户\r\n"));
    }
}
