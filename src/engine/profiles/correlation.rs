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
//! Spearman ranks each pair's customers (a radix sort; a column every customer has is ranked
//! once for all its pairs); Cramér's V counts the cells in an array when both columns have
//! few values, else the cells met in a hash map, so a category of many values costs no r × k
//! table.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::attribute_number;
use crate::engine::calendar::Day;
use crate::engine::customers::CustomerTable;
use crate::engine::dimensions::{AttributeKind, CustomerAttributes};
use crate::engine::error::{Error, FormatProblem, FormatSubject, Result};
pub use crate::engine::numeric::average_ranks;
use crate::engine::numeric::RankSteps;

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
/// monetary and profit: [`CorrelationSteps`] at once.
///
/// # Errors
/// [`Error::NoData`] without customers; [`Error::Format`] when an attribute does not fit the
/// table.
pub fn correlations(
    table: &CustomerTable,
    attributes: &CustomerAttributes,
    analysis_day: Option<Day>,
) -> Result<Correlations> {
    CorrelationSteps::new(table, attributes, analysis_day)?.finish(table, attributes)
}

/// The customer figures after the attributes, in the table's order.
const FIGURES: [&str; 4] = ["recency", "frequency", "monetary", "profit"];

/// [`correlations`] in pieces ([`CorrelationSteps::step`]: a column read, a byte of a column's
/// ranking, or a pair each; 5–30 ms at a million customers), so that the page's thread can do
/// other work between them. The ranks of a column of numbers every customer has (frequency,
/// monetary and profit always; recency with every customer dated) are computed once for all
/// its pairs: a pair of two such columns ranks the same values as [`spearman`] would.
///
/// Every call must be given the same table and attributes, unchanged.
pub struct CorrelationSteps {
    analysis_day: Option<Day>,
    customers: usize,
    variables: Vec<Variable>,
    columns: Vec<Column>,
    /// Columns read so far: the attributes', then the figures' (their next index in
    /// [`FIGURES`]).
    figures: usize,
    /// Per column: the ranks of a column of numbers without a gap (once ranked).
    ranks: Vec<Option<Vec<f64>>>,
    /// The column being ranked.
    ranking: Option<(usize, RankSteps)>,
    /// The next column to rank.
    next_rank: usize,
    pairs: Vec<Pair>,
    /// The next pair.
    next_pair: (usize, usize),
}

impl CorrelationSteps {
    /// The steps of the correlation table; nothing computed yet.
    ///
    /// # Errors
    /// Those of [`correlations`].
    pub fn new(
        table: &CustomerTable,
        attributes: &CustomerAttributes,
        analysis_day: Option<Day>,
    ) -> Result<CorrelationSteps> {
        let customers = table.customers.len();
        if customers == 0 {
            return Err(Error::NoData);
        }
        if !attributes.fits(customers) {
            return Err(Error::Format {
                what: FormatSubject::ImportResult,
                reason: FormatProblem::Handoff {
                    detail: "attribute codes do not match the customers".into(),
                },
            });
        }
        Ok(CorrelationSteps {
            analysis_day,
            customers,
            variables: Vec::new(),
            columns: Vec::new(),
            figures: 0,
            ranks: Vec::new(),
            ranking: None,
            next_rank: 0,
            pairs: Vec::new(),
            next_pair: (0, 1),
        })
    }

    /// Computes the next piece; false when none is left (or `table` is not the table the steps
    /// began with).
    pub fn step(&mut self, table: &CustomerTable, attributes: &CustomerAttributes) -> bool {
        if table.customers.len() != self.customers {
            return false;
        }
        // The attributes' columns, one a step.
        if let Some(attribute) = attributes.attributes.get(self.columns.len()) {
            self.read_attribute(attribute);
            return true;
        }
        // The figures', one a step.
        if self.figures < FIGURES.len() {
            self.read_figure(table);
            return true;
        }
        // The ranks of each column of numbers without a gap: read, then a byte a step.
        if let Some((column, mut steps)) = self.ranking.take() {
            if steps.step() {
                self.ranking = Some((column, steps));
            } else if let Some(slot) = self.ranks.get_mut(column) {
                *slot = Some(steps.finish());
            }
            return true;
        }
        while self.next_rank < self.columns.len() {
            let column = self.next_rank;
            self.next_rank += 1;
            if self.ranks.len() < self.columns.len() {
                self.ranks.resize(self.columns.len(), None);
            }
            let full = match self.columns.get(column) {
                Some(Column::Numbers(values)) => {
                    values.iter().copied().collect::<Option<Vec<f64>>>()
                }
                _ => None,
            };
            if let Some(values) = full {
                self.ranking = Some((column, RankSteps::new(&values)));
                return true;
            }
        }
        // The pairs, one a step.
        let (a, b) = self.next_pair;
        if b >= self.columns.len() {
            return false;
        }
        self.pairs.push(self.pair(a, b));
        self.next_pair = if b + 1 < self.columns.len() {
            (a, b + 1)
        } else {
            (a + 1, a + 2)
        };
        true
    }

    fn read_attribute(&mut self, attribute: &crate::engine::dimensions::Attribute) {
        let numeric = attribute.kind.is_some_and(AttributeKind::is_numeric);
        self.variables.push(Variable {
            key: attribute.key.clone(),
            attribute: attribute.kind,
            name: attribute.name.clone(),
            kind: if numeric {
                VariableKind::Number
            } else {
                VariableKind::Category
            },
        });
        self.columns.push(if numeric {
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

    /// Reads the next of [`FIGURES`] the data has.
    fn read_figure(&mut self, table: &CustomerTable) {
        let customers = &table.customers;
        let key = FIGURES.get(self.figures).copied().unwrap_or_default();
        self.figures += 1;
        let values: Option<Vec<Option<f64>>> = match key {
            "recency" => customers.iter().filter_map(|c| c.last).max().map(|latest| {
                let day = self
                    .analysis_day
                    .unwrap_or_else(|| latest.saturating_plus_days(1));
                customers
                    .iter()
                    .map(|c| {
                        c.last
                            .map(|last| f64::from(day.saturating_days_since(last)))
                    })
                    .collect()
            }),
            "frequency" => Some(
                customers
                    .iter()
                    .map(|c| Some(f64::from(c.orders)))
                    .collect(),
            ),
            "monetary" => Some(customers.iter().map(|c| Some(c.sales)).collect()),
            "profit" if table.columns.profit => {
                Some(customers.iter().map(|c| Some(c.profit)).collect())
            }
            _ => None,
        };
        if let Some(values) = values {
            self.variables.push(Variable {
                key: key.to_string(),
                attribute: None,
                name: String::new(),
                kind: VariableKind::Number,
            });
            self.columns.push(Column::Numbers(values));
        }
    }

    /// The measure of columns `a` and `b`.
    fn pair(&self, a: usize, b: usize) -> Pair {
        let (measure, value, n) = match (self.columns.get(a), self.columns.get(b)) {
            (Some(Column::Numbers(x)), Some(Column::Numbers(y))) => {
                let (value, n) = match (self.ranks.get(a), self.ranks.get(b)) {
                    (Some(Some(rx)), Some(Some(ry))) if rx.len() == ry.len() => {
                        (pearson(rx, ry), rx.len())
                    }
                    _ => spearman(x, y),
                };
                (Measure::Spearman, value, n)
            }
            (Some(Column::Codes(x)), Some(Column::Codes(y))) => {
                let (value, n) = cramers_v(x, y);
                (Measure::CramersV, value, n)
            }
            (Some(Column::Codes(c)), Some(Column::Numbers(v)))
            | (Some(Column::Numbers(v)), Some(Column::Codes(c))) => {
                let (value, n) = eta(c, v);
                (Measure::Eta, value, n)
            }
            _ => (Measure::Spearman, None, 0),
        };
        Pair {
            a,
            b,
            measure,
            value,
            n,
        }
    }

    /// The correlation table: the pieces not computed yet are computed now.
    ///
    /// # Errors
    /// [`Error::NoData`] when `table` is not the table the steps began with.
    pub fn finish(
        mut self,
        table: &CustomerTable,
        attributes: &CustomerAttributes,
    ) -> Result<Correlations> {
        if table.customers.len() != self.customers {
            return Err(Error::NoData);
        }
        while self.step(table, attributes) {}
        Ok(Correlations {
            variables: self.variables,
            pairs: self.pairs,
        })
    }
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
