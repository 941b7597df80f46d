//! Correlation between customer variables (相关性分析, issue 20): every customer attribute
//! (ages and years as numbers, the others as categories) and, per customer, recency (days),
//! frequency (orders), monetary (net sales) and profit, each pair with the measure that fits
//! its types and the number of customers it was computed on (`n`).
//!
//! # Measures ([`Measure`])
//! - **number × number: Spearman's ρ**, the Pearson correlation of the ranks, ties at their
//!   average rank; −1 to 1.
//! - **category × category: bias-corrected Cramér's V** (Bergsma 2013, *J. Korean Stat. Soc.*
//!   42): φ² = χ²/n, φ̃² = max(0, φ² − (k−1)(r−1)/(n−1)), r̃ = r − (r−1)²/(n−1),
//!   k̃ = k − (k−1)²/(n−1), Ṽ = √(φ̃² / min(k̃−1, r̃−1)), with r and k the categories met
//!   among the pair's customers; 0 to 1.
//! - **category × number: the correlation ratio η** = √(between-category sum of squares /
//!   total sum of squares); 0 to 1.
//!
//! # Which customers count (`n`)
//! A pair counts the customers with both values present. A category is always present (the
//! blank value is a category of its own); a number is missing when its cell is blank or not a
//! number ([`super::attribute_number`]), and recency is missing for a customer without a dated
//! purchase. A pair whose measure is undefined (fewer than 2 customers, a variable that does not
//! vary, a table with a single row or column after the correction) has no value but keeps its
//! `n`.
//!
//! Recency is counted to [`super::ProfileConfig::analysis_day`], by default the day after the
//! latest purchase (the RFM default); without a date column there is no recency, and without a
//! profit column no profit.
//!
//! # Cost
//! Spearman sorts each pair's customers (O(n log n)); Cramér's V counts the cells met in a hash
//! map, so a category of many values costs no r × k table.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::attribute_number;
use crate::engine::calendar::Day;
use crate::engine::customers::CustomerTable;
use crate::engine::dimensions::{AttributeKind, CustomerAttributes};
use crate::engine::error::{Error, FormatProblem, FormatSubject, Result};
pub use crate::engine::numeric::average_ranks;

/// How a variable is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum VariableKind {
    /// A number (may be missing).
    Number,
    /// A category (always present).
    Category,
}

/// One variable of the correlation table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variable {
    /// Machine name: the attribute's key, or `recency`, `frequency`, `monetary`, `profit`.
    pub key: String,
    /// The attribute's kind (`None` for the four customer figures).
    pub attribute: Option<AttributeKind>,
    /// The attribute's header (empty for the four customer figures).
    pub name: String,
    /// How it is read.
    pub kind: VariableKind,
}

/// The measure of a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Measure {
    /// Spearman's rank correlation (number × number).
    Spearman,
    /// Bias-corrected Cramér's V (category × category).
    CramersV,
    /// The correlation ratio η (category × number).
    Eta,
}

impl Measure {
    /// A stable machine name (`spearman`, `cramers_v`, `eta`), for `data-measure`.
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Spearman => "spearman",
            Measure::CramersV => "cramers_v",
            Measure::Eta => "eta",
        }
    }
}

/// The correlation of two variables.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Pair {
    /// The first variable (index into [`Correlations::variables`]).
    pub a: usize,
    /// The second (after `a`).
    pub b: usize,
    /// The measure.
    pub measure: Measure,
    /// Its value (`None` when undefined).
    pub value: Option<f64>,
    /// Customers with both values present.
    pub n: usize,
}

/// The correlation table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Correlations {
    /// The variables: the attributes in mapping order, then recency, frequency, monetary and
    /// profit (those the data has).
    pub variables: Vec<Variable>,
    /// Every pair `a < b`, by `a` then `b`.
    pub pairs: Vec<Pair>,
}

impl Correlations {
    /// The pair of variables `a` and `b`, in either order (`None` for `a == b`).
    pub fn pair(&self, a: usize, b: usize) -> Option<&Pair> {
        let (a, b) = if a < b { (a, b) } else { (b, a) };
        self.pairs.iter().find(|p| p.a == a && p.b == b)
    }
}

/// The values of one variable, per customer.
enum Column {
    Numbers(Vec<Option<f64>>),
    Codes(Vec<u32>),
}

/// The correlation table of `table`'s customers over `attributes` and their recency
/// (counted to `analysis_day`, by default the day after the latest purchase), frequency,
/// monetary and profit.
///
/// # Errors
/// [`Error::NoData`] without customers; [`Error::Format`] when an attribute does not fit the
/// table.
pub fn correlations(
    table: &CustomerTable,
    attributes: &CustomerAttributes,
    analysis_day: Option<Day>,
) -> Result<Correlations> {
    let customers = &table.customers;
    if customers.is_empty() {
        return Err(Error::NoData);
    }
    if !attributes.fits(customers.len()) {
        return Err(Error::Format {
            what: FormatSubject::ImportResult,
            reason: FormatProblem::Handoff {
                detail: "attribute codes do not match the customers".into(),
            },
        });
    }
    let mut variables = Vec::new();
    let mut columns = Vec::new();
    for attribute in &attributes.attributes {
        let numeric = attribute.kind.is_some_and(AttributeKind::is_numeric);
        variables.push(Variable {
            key: attribute.key.clone(),
            attribute: attribute.kind,
            name: attribute.name.clone(),
            kind: if numeric {
                VariableKind::Number
            } else {
                VariableKind::Category
            },
        });
        columns.push(if numeric {
            let of_code: Vec<Option<f64>> = attribute
                .values
                .iter()
                .map(|v| attribute_number(v))
                .collect();
            Column::Numbers(
                attribute
                    .codes
                    .iter()
                    .map(|&c| of_code.get(c as usize).copied().flatten())
                    .collect(),
            )
        } else {
            Column::Codes(attribute.codes.clone())
        });
    }
    let mut figure = |key: &str, values: Vec<Option<f64>>| {
        variables.push(Variable {
            key: key.to_string(),
            attribute: None,
            name: String::new(),
            kind: VariableKind::Number,
        });
        columns.push(Column::Numbers(values));
    };
    let latest = customers.iter().filter_map(|c| c.last).max();
    if let Some(latest) = latest {
        let day = analysis_day.unwrap_or_else(|| latest.saturating_plus_days(1));
        figure(
            "recency",
            customers
                .iter()
                .map(|c| {
                    c.last
                        .map(|last| f64::from(day.saturating_days_since(last)))
                })
                .collect(),
        );
    }
    figure(
        "frequency",
        customers
            .iter()
            .map(|c| Some(f64::from(c.orders)))
            .collect(),
    );
    figure(
        "monetary",
        customers.iter().map(|c| Some(c.sales)).collect(),
    );
    if table.columns.profit {
        figure("profit", customers.iter().map(|c| Some(c.profit)).collect());
    }
    // The ranks of each column of numbers that every customer has (frequency, monetary and
    // profit always; recency with every customer dated), ranked once for all its pairs: a
    // pair of them ranks the same values as [`spearman`] would.
    let full_ranks: Vec<Option<Vec<f64>>> = columns
        .iter()
        .map(|column| match column {
            Column::Numbers(values) => values
                .iter()
                .copied()
                .collect::<Option<Vec<f64>>>()
                .map(|values| average_ranks(&values)),
            Column::Codes(_) => None,
        })
        .collect();
    let mut pairs = Vec::new();
    for a in 0..columns.len() {
        for b in a + 1..columns.len() {
            let (Some(x), Some(y)) = (columns.get(a), columns.get(b)) else {
                continue;
            };
            let (measure, value, n) = match (x, y) {
                (Column::Numbers(x), Column::Numbers(y)) => {
                    let (value, n) = match (full_ranks.get(a), full_ranks.get(b)) {
                        (Some(Some(rx)), Some(Some(ry))) if rx.len() == ry.len() => {
                            (pearson(rx, ry), rx.len())
                        }
                        _ => spearman(x, y),
                    };
                    (Measure::Spearman, value, n)
                }
                (Column::Codes(x), Column::Codes(y)) => {
                    let (value, n) = cramers_v(x, y);
                    (Measure::CramersV, value, n)
                }
                (Column::Codes(c), Column::Numbers(v)) | (Column::Numbers(v), Column::Codes(c)) => {
                    let (value, n) = eta(c, v);
                    (Measure::Eta, value, n)
                }
            };
            pairs.push(Pair {
                a,
                b,
                measure,
                value,
                n,
            });
        }
    }
    Ok(Correlations { variables, pairs })
}

/// Pearson's correlation of two equally long series (`None` for fewer than 2 values or a
/// series that does not vary).
fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len().min(y.len());
    if n < 2 {
        return None;
    }
    let mean = |s: &[f64]| s.iter().sum::<f64>() / n as f64;
    let (mx, my) = (mean(x), mean(y));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = (a - mx, b - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    let scale = 1e-12 * (n as f64) * (n as f64);
    if sxx <= scale || syy <= scale {
        return None;
    }
    Some((sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

/// Spearman's ρ over the customers with both numbers, and their count.
pub fn spearman(x: &[Option<f64>], y: &[Option<f64>]) -> (Option<f64>, usize) {
    let (xs, ys): (Vec<f64>, Vec<f64>) = x
        .iter()
        .zip(y)
        .filter_map(|(a, b)| Some(((*a)?, (*b)?)))
        .unzip();
    let n = xs.len();
    (pearson(&average_ranks(&xs), &average_ranks(&ys)), n)
}

/// Bias-corrected Cramér's V of two category columns, and the count.
pub fn cramers_v(x: &[u32], y: &[u32]) -> (Option<f64>, usize) {
    let (cells, rows, cols, n) = cross_counts(x, y);
    let rows: FxHashMap<u32, u64> = rows.into_iter().collect();
    let cols: FxHashMap<u32, u64> = cols.into_iter().collect();
    if n < 2 {
        return (None, n);
    }
    let total = n as f64;
    let mut sum = 0.0;
    for &((a, b), o) in &cells {
        let r = rows.get(&a).copied().unwrap_or(0) as f64;
        let c = cols.get(&b).copied().unwrap_or(0) as f64;
        if r > 0.0 && c > 0.0 {
            sum += (o as f64) * (o as f64) / (r * c);
        }
    }
    let phi2 = (sum - 1.0).max(0.0);
    let (r, k) = (rows.len() as f64, cols.len() as f64);
    let phi2c = (phi2 - (k - 1.0) * (r - 1.0) / (total - 1.0)).max(0.0);
    let rc = r - (r - 1.0) * (r - 1.0) / (total - 1.0);
    let kc = k - (k - 1.0) * (k - 1.0) / (total - 1.0);
    let d = (kc - 1.0).min(rc - 1.0);
    if d <= 0.0 {
        return (None, n);
    }
    (Some((phi2c / d).sqrt().clamp(0.0, 1.0)), n)
}

/// Codes below this (both columns) are counted in arrays, else in hash maps.
const DENSE_CODES: usize = 1 << 10;

/// The cells (pairs of codes seen, with their counts), the rows' and the columns' counts of two
/// code columns, and how many pairs; in arrays when the codes are few (a hash map look-up a
/// customer for each of the three made a column pair of a million customers take 100 ms).
#[allow(clippy::type_complexity)]
fn cross_counts(
    x: &[u32],
    y: &[u32],
) -> (
    Vec<((u32, u32), u64)>,
    Vec<(u32, u64)>,
    Vec<(u32, u64)>,
    usize,
) {
    let n = x.len().min(y.len());
    let bound = |codes: &[u32]| codes.iter().max().map_or(0, |&m| m as usize + 1);
    let (rx, ry) = (bound(&x[..n]), bound(&y[..n]));
    let seen = |counts: Vec<u64>| -> Vec<(u32, u64)> {
        (0u32..).zip(counts).filter(|&(_, c)| c > 0).collect()
    };
    if rx <= DENSE_CODES && ry <= DENSE_CODES {
        let mut cells = vec![0u64; rx * ry];
        for (&a, &b) in x.iter().zip(y) {
            if let Some(c) = cells.get_mut(a as usize * ry + b as usize) {
                *c += 1;
            }
        }
        let mut rows = vec![0u64; rx];
        let mut cols = vec![0u64; ry];
        let mut pairs = Vec::new();
        for (i, &c) in cells.iter().enumerate().filter(|(_, &c)| c > 0) {
            let (a, b) = (i / ry, i % ry);
            rows[a] += c;
            cols[b] += c;
            pairs.push(((a as u32, b as u32), c));
        }
        return (pairs, seen(rows), seen(cols), n);
    }
    let mut cells: FxHashMap<(u32, u32), u64> = FxHashMap::default();
    let mut rows: FxHashMap<u32, u64> = FxHashMap::default();
    let mut cols: FxHashMap<u32, u64> = FxHashMap::default();
    for (&a, &b) in x.iter().zip(y) {
        *cells.entry((a, b)).or_default() += 1;
        *rows.entry(a).or_default() += 1;
        *cols.entry(b).or_default() += 1;
    }
    (
        cells.into_iter().collect(),
        rows.into_iter().collect(),
        cols.into_iter().collect(),
        n,
    )
}

/// The correlation ratio η of numbers `values` grouped by `codes`, over the customers with a
/// number, and their count.
pub fn eta(codes: &[u32], values: &[Option<f64>]) -> (Option<f64>, usize) {
    // Per code: the sum and count of its numbers (in an array when the codes are few).
    let bound = codes.iter().max().map_or(0, |&m| m as usize + 1);
    let mut dense = vec![(0.0, 0usize); if bound <= DENSE_CODES { bound } else { 0 }];
    let mut sparse: FxHashMap<u32, (f64, usize)> = FxHashMap::default();
    let (mut sum, mut n) = (0.0, 0usize);
    for (&code, value) in codes.iter().zip(values) {
        if let Some(v) = *value {
            let g = match dense.get_mut(code as usize) {
                Some(g) => g,
                None => sparse.entry(code).or_default(),
            };
            g.0 += v;
            g.1 += 1;
            sum += v;
            n += 1;
        }
    }
    let groups = dense.iter().chain(sparse.values()).filter(|g| g.1 > 0);
    if n < 2 {
        return (None, n);
    }
    let mean = sum / n as f64;
    let total: f64 = codes
        .iter()
        .zip(values)
        .filter_map(|(_, v)| *v)
        .map(|v| (v - mean) * (v - mean))
        .sum();
    let between: f64 = groups
        .map(|&(s, m)| {
            let d = s / m as f64 - mean;
            m as f64 * d * d
        })
        .sum();
    if total <= 1e-12 * (n as f64) * mean.abs().max(1.0) {
        return (None, n);
    }
    (Some((between / total).sqrt().clamp(0.0, 1.0)), n)
}
