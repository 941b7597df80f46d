//! Breakdowns (分维度交叉分析): the deciles, RFM scores and segments of the whole population,
//! cross-tabulated by one customer attribute.
//!
//! Deciles and segments are never recomputed per value: a customer in the first decile of all
//! customers is in the first decile of every table here, so the panels of one breakdown compare
//! like with like.
//!
//! # Rules
//! - **Values shown.** The [`BreakdownConfig::top`] values with the most customers (ties: larger
//!   sales first, then the value's text in byte order); the others are merged into one "Other"
//!   column, last. The blank value (empty cells) is a value like any other ([`ValueLabel::Blank`]).
//! - **Shares** are of all customers and of the signed total sales and profit; a zero total
//!   (by the zero rule of [`crate::engine::numeric`]) gives `None`.
//! - **Small cells.** A value or a cell of fewer than [`BreakdownConfig::small_cell`] customers
//!   is flagged (`small`): its figures are shown but should not be read as a pattern.
//! - **Segments** are those of the scored customers (customers without a dated row have none):
//!   the rule table's segments in its order, then "Other".
//! - No customers, or an attribute whose codes do not match the table, is an [`Error`].

use serde::{Deserialize, Serialize};

use super::Attribute;
use crate::engine::customers::CustomerTable;
use crate::engine::deciles::{CustomerDecileSteps, DecileBasis, DECILES};
use crate::engine::error::{Error, FormatProblem, FormatSubject, Result};
use crate::engine::numeric::Sum;
use crate::engine::rfm::{RfmScores, Segmentation};

/// Values shown by default before "Other".
pub const TOP_VALUES: usize = 10;

/// Cells with fewer customers are flagged.
pub const SMALL_CELL: usize = 30;

/// The parameters of a breakdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakdownConfig {
    /// Values shown before "Other" (at least 1).
    pub top: usize,
    /// Cells with fewer customers than this are flagged.
    pub small_cell: usize,
}

impl Default for BreakdownConfig {
    fn default() -> Self {
        BreakdownConfig {
            top: TOP_VALUES,
            small_cell: SMALL_CELL,
        }
    }
}

/// What a column of a breakdown stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ValueLabel {
    /// A value as the file wrote it.
    Value(String),
    /// Empty cells.
    Blank,
    /// The values after the top ones, merged.
    Other,
}

impl ValueLabel {
    /// The machine form used in `data-metric` names and CSV: the value, `(blank)` or `(other)`.
    pub fn key(&self) -> &str {
        match self {
            ValueLabel::Value(v) => v,
            ValueLabel::Blank => "(blank)",
            ValueLabel::Other => "(other)",
        }
    }
}

/// Customers and sales of one cell of a cross table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// Customers.
    pub customers: usize,
    /// Net sales.
    pub sales: f64,
    /// Net profit.
    pub profit: f64,
    /// Fewer customers than [`BreakdownConfig::small_cell`] (and more than none).
    pub small: bool,
}

/// One value (column) of a breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BreakdownValue {
    /// The value.
    pub label: ValueLabel,
    /// Distinct values it stands for (1, or the number merged into "Other").
    pub distinct: usize,
    /// Customers, sales and profit.
    pub total: Cell,
    /// Share of all customers.
    pub customer_share: Option<f64>,
    /// Share of total sales.
    pub sales_share: Option<f64>,
    /// Share of total profit (`None` without a profit column or for a zero total).
    pub profit_share: Option<f64>,
}

/// One attribute's breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    /// The attribute's machine name.
    pub key: String,
    /// Its header.
    pub name: String,
    /// The parameters used.
    pub config: BreakdownConfig,
    /// The values shown, then "Other" when there are more.
    pub values: Vec<BreakdownValue>,
    /// Distinct values of the attribute.
    pub distinct: usize,
    /// All customers, sales and profit.
    pub total: Cell,
    /// Customers that took their latest of several values.
    pub changed: u64,
    /// Decile (by sales, of all customers) × value: 10 rows, one cell per value (none from
    /// [`breakdown_values`]).
    pub deciles: Vec<Vec<Cell>>,
    /// RFM segment × value: one row per segment of the rule table, then "Other" (`None`
    /// without an RFM result).
    pub segments: Option<Vec<Vec<Cell>>>,
    /// Customers not in any segment row (not scored: no dated row).
    pub unscored: usize,
}

fn mismatch(detail: &str) -> Error {
    Error::Format {
        what: FormatSubject::ImportResult,
        reason: FormatProblem::Handoff {
            detail: detail.into(),
        },
    }
}

/// The breakdown of `table` by `attribute`, with the decile × value table and, given the RFM
/// result of the same table, the segment × value table.
///
/// # Errors
/// [`Error::NoData`] without customers; [`Error::Format`] when the attribute's codes are not
/// one per customer of the table or name no value.
pub fn breakdown(
    table: &CustomerTable,
    attribute: &Attribute,
    rfm: Option<(&RfmScores, &Segmentation)>,
    config: BreakdownConfig,
) -> Result<Breakdown> {
    breakdown_in_deciles(table, attribute, rfm, None, config)
}

/// The sales decile (1 to 10) of every customer of `table`, in table order: customers ranked
/// as [`crate::engine::deciles::rank_customers`] does, cut by
/// [`crate::engine::deciles::decile_sizes`] (at once: [`CustomerDecileSteps`] in pieces).
///
/// # Errors
/// [`Error::NoData`] without customers.
pub fn sales_deciles(table: &CustomerTable) -> Result<Vec<u8>> {
    CustomerDecileSteps::new(table, DecileBasis::Sales)?.finish(table)
}

/// [`breakdown`] with every customer's sales decile given (`deciles`, 1 to 10, one per customer
/// of the table) instead of cut from `table`: the decile × value table of a filter that keeps the
/// deciles of all customers ([`super::filter`]). `None` cuts them from `table`.
///
/// # Errors
/// Those of [`breakdown`]; [`Error::Format`] when `deciles` is not one per customer.
pub fn breakdown_in_deciles(
    table: &CustomerTable,
    attribute: &Attribute,
    rfm: Option<(&RfmScores, &Segmentation)>,
    given_deciles: Option<&[u8]>,
    config: BreakdownConfig,
) -> Result<Breakdown> {
    let deciles = match given_deciles {
        Some(given) => Deciles::Given(given),
        None => Deciles::Cut,
    };
    cross(table, attribute, rfm, deciles, config)
}

/// The values of [`breakdown`] alone: its `deciles` empty, without a segment table (the
/// profiles' distributions, which show no decile: cutting the deciles is a ranking of every
/// customer).
///
/// # Errors
/// Those of [`breakdown`].
pub fn breakdown_values(
    table: &CustomerTable,
    attribute: &Attribute,
    config: BreakdownConfig,
) -> Result<Breakdown> {
    cross(table, attribute, None, Deciles::Skip, config)
}

/// Where a breakdown's deciles come from.
enum Deciles<'a> {
    /// Cut from the table ([`sales_deciles`]).
    Cut,
    /// Given, one per customer.
    Given(&'a [u8]),
    /// No decile table.
    Skip,
}

fn cross(
    table: &CustomerTable,
    attribute: &Attribute,
    rfm: Option<(&RfmScores, &Segmentation)>,
    given_deciles: Deciles<'_>,
    config: BreakdownConfig,
) -> Result<Breakdown> {
    let customers = &table.customers;
    if customers.is_empty() {
        return Err(Error::NoData);
    }
    if attribute.codes.len() != customers.len() || !attribute.check() {
        return Err(mismatch("attribute codes do not match the customers"));
    }
    let profit_mapped = table.columns.profit;
    // Per code: customers and sums.
    let mut per_code = vec![Cell::default(); attribute.values.len()];
    let (mut sales, mut profit) = (Sum::default(), Sum::default());
    for (customer, &code) in customers.iter().zip(&attribute.codes) {
        if let Some(cell) = per_code.get_mut(code as usize) {
            cell.customers += 1;
            cell.sales += customer.sales;
            cell.profit += customer.profit;
        }
        sales.add(customer.sales);
        profit.add(customer.profit);
    }
    // The top values by customers, then sales, then text.
    let mut order: Vec<usize> = (0..per_code.len())
        .filter(|&c| per_code[c].customers > 0)
        .collect();
    let distinct = order.len();
    order.sort_by(|&a, &b| {
        per_code[b]
            .customers
            .cmp(&per_code[a].customers)
            .then(per_code[b].sales.total_cmp(&per_code[a].sales))
            .then(attribute.value_of_code(a).cmp(attribute.value_of_code(b)))
    });
    let top = config.top.max(1);
    let shown = order.len().min(top);
    // Column of every code: its place among the top, or "Other" (= shown).
    let mut column_of = vec![shown; per_code.len()];
    for (column, &code) in order.iter().take(shown).enumerate() {
        column_of[code] = column;
    }
    let has_other = order.len() > shown;
    let columns = shown + usize::from(has_other);
    let small =
        |cell: &mut Cell| cell.small = cell.customers > 0 && cell.customers < config.small_cell;
    let total_customers = customers.len();
    let mut cells = vec![(Cell::default(), 0usize); columns];
    for (code, c) in per_code.iter().enumerate() {
        if c.customers == 0 {
            continue;
        }
        if let Some((cell, merged)) = column_of.get(code).and_then(|&col| cells.get_mut(col)) {
            cell.customers += c.customers;
            cell.sales += c.sales;
            cell.profit += c.profit;
            *merged += 1;
        }
    }
    let mut values: Vec<BreakdownValue> = Vec::with_capacity(columns);
    for (column, (mut cell, merged)) in cells.into_iter().enumerate() {
        small(&mut cell);
        let label = match order.get(column) {
            Some(&code) if column < shown => match attribute.value_of_code(code) {
                "" => ValueLabel::Blank,
                value => ValueLabel::Value(value.to_string()),
            },
            _ => ValueLabel::Other,
        };
        values.push(BreakdownValue {
            label,
            distinct: merged,
            customer_share: Some(cell.customers as f64 / total_customers as f64),
            sales_share: sales.share(cell.sales),
            profit_share: if profit_mapped {
                profit.share(cell.profit)
            } else {
                None
            },
            total: cell,
        });
    }
    let column_of_customer = |index: usize| {
        attribute
            .codes
            .get(index)
            .and_then(|&code| column_of.get(code as usize))
            .copied()
            .unwrap_or(shown)
    };
    // Deciles by sales over all customers (or as given).
    let cut;
    let decile_of: &[u8] = match given_deciles {
        Deciles::Given(given) if given.len() == customers.len() => given,
        Deciles::Given(_) => return Err(mismatch("deciles do not match the customers")),
        Deciles::Cut => {
            cut = sales_deciles(table)?;
            &cut
        }
        Deciles::Skip => &[],
    };
    let mut deciles = match given_deciles {
        Deciles::Skip => Vec::new(),
        _ => vec![vec![Cell::default(); columns]; DECILES],
    };
    for (index, (customer, &decile)) in customers.iter().zip(decile_of).enumerate() {
        let cell = usize::from(decile)
            .checked_sub(1)
            .and_then(|d| deciles.get_mut(d))
            .and_then(|row| row.get_mut(column_of_customer(index)));
        if let Some(cell) = cell {
            cell.customers += 1;
            cell.sales += customer.sales;
            cell.profit += customer.profit;
        }
    }
    deciles.iter_mut().flatten().for_each(small);
    let mut unscored = total_customers;
    let segments = rfm.map(|(scores, segmentation)| {
        let rows = segmentation.rules.rules.len() + 1;
        let mut segments = vec![vec![Cell::default(); columns]; rows];
        for (score, assignment) in scores.customers.iter().zip(&segmentation.assignments) {
            let row = assignment.map_or(rows - 1, |r| usize::from(r).min(rows - 1));
            let Some(customer) = customers.get(score.index) else {
                continue;
            };
            if let Some(cell) = segments[row].get_mut(column_of_customer(score.index)) {
                cell.customers += 1;
                cell.sales += customer.sales;
                cell.profit += customer.profit;
                unscored = unscored.saturating_sub(1);
            }
        }
        segments.iter_mut().flatten().for_each(small);
        segments
    });
    if segments.is_none() {
        unscored = 0;
    }
    let mut total = Cell {
        customers: total_customers,
        sales: sales.value,
        profit: profit.value,
        small: false,
    };
    small(&mut total);
    Ok(Breakdown {
        key: attribute.key.clone(),
        name: attribute.name.clone(),
        config,
        values,
        distinct,
        total,
        changed: attribute.changed,
        deciles,
        segments,
        unscored,
    })
}
