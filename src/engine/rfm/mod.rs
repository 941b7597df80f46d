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
//! use valuelens::engine::calendar::Day;
//! use valuelens::engine::customers::{Columns, Customer, CustomerTable};
//! use valuelens::engine::rfm::{analyse_rfm, RfmConfig, SegmentRules};
//!
//! // Three customers; last purchases on days 100, 90 and 10 (days since 1970-01-01).
//! let customers = [("a", 100, 3, 300.0), ("b", 90, 1, 50.0), ("c", 10, 1, 20.0)]
//!     .into_iter()
//!     .map(|(id, last, orders, sales)| (id, Day::from_epoch_days(last), orders, sales))
//!     .map(|(id, last, orders, sales)| Customer {
//!         id: id.into(), orders, rows: orders, sales,
//!         first: Some(last), last: Some(last), ..Default::default()
//!     })
//!     .collect();
//! let table = CustomerTable { customers, columns: Columns { date: true, ..Default::default() } };
//!
//! let analysis = analyse_rfm(&table, &RfmConfig::default(), &SegmentRules::default())?;
//! let scores = &analysis.scores;
//! assert_eq!(scores.analysis_day, Day::from_epoch_days(101)); // the day after the latest purchase
//! let a = &scores.customers[0];
//! assert_eq!((a.recency_days, a.frequency, a.monetary), (1, 3, 300.0));
//! assert_eq!((a.r, a.f, a.m), (5, 5, 5));
//! // b and c both bought once: equal values, equal F score.
//! assert_eq!((scores.customers[1].f, scores.customers[2].f), (1, 1));
//! assert_eq!(analysis.segment_name_of(0), Some("Champions"));
//! # Ok::<(), valuelens::engine::Error>(())
//! ```

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::calendar::Day;
#[cfg(test)]
use super::calendar::DAY_RANGE;
use super::customers::{Customer, CustomerTable};
use super::deciles::Figure;
use super::error::{Error, ParameterProblem, Result, RfmAxis};
use super::export::{csv_document, number_cell};
use super::numeric::{ascending_bits, parameter, snapped, SignedSum, AMOUNT_STEPS};

/// The bin counts an axis can be scored with.
pub const BIN_CHOICES: [u8; 4] = [3, 4, 5, 10];

/// Number of equal-width buckets of the R and M histograms, and of one-order buckets of F.
pub const HISTOGRAM_BUCKETS: usize = 20;

/// A rule table holds at most this many rules.
pub const MAX_RULES: usize = 100;

/// The English name of the segment of customers that match no rule (reserved: no rule may use
/// it).
pub const OTHER_EN: &str = "Other";

mod analysis;
mod config;
mod default_rules;
mod export;
mod scores;
mod segments;

pub use analysis::*;
pub use config::*;
pub use default_rules::*;
pub use export::*;
pub use scores::*;
pub use segments::*;

#[cfg(test)]
mod tests;
