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
    let cut;
    let deciles = match given_deciles {
        Deciles::Given(given) => Some(given),
        Deciles::Cut => {
            check(table, attribute)?;
            cut = sales_deciles(table)?;
            Some(cut.as_slice())
        }
        Deciles::Skip => None,
    };
    let mut steps = BreakdownSteps::new(table, attribute, rfm, deciles, config)?;
    while steps.step(table, attribute, rfm, deciles) {}
    steps.finish(table, attribute, rfm, deciles)
}

/// No customers, or an attribute whose codes are not one per customer of the table or name
/// no value, is an error.
fn check(table: &CustomerTable, attribute: &Attribute) -> Result<()> {
    if table.customers.is_empty() {
        return Err(Error::NoData);
    }
    if attribute.codes.len() != table.customers.len() || !attribute.check() {
        return Err(mismatch("attribute codes do not match the customers"));
    }
    Ok(())
}

/// Customers a step of [`BreakdownSteps`] reads (the unit tests read 3, so that the
/// hand-computed tables check the pieces' joins).
const BREAKDOWN_PIECE: usize = if cfg!(test) { 3 } else { 1 << 17 };

/// [`breakdown_in_deciles`] (with the deciles given, or none: [`breakdown_values`]) in pieces
/// of [`BREAKDOWN_PIECE`] customers ([`BreakdownSteps::step`]), so that the page's thread can do
/// other work between them (three passes over a million customers' records took 90 ms at
/// once). The same breakdown to the bit: every sum is added in the same order.
///
/// Every call must be given the same table, attribute, RFM result and deciles.
pub struct BreakdownSteps {
    config: BreakdownConfig,
    /// The table's size when the steps began (a guard: a step on another table does nothing).
    customers: usize,
    /// The pass under way, and how far it has read.
    pass: Pass,
    read: usize,
    per_code: Vec<Cell>,
    sales: Sum,
    profit: Sum,
    /// Once the values are read: the column of every code, and the values.
    columns: Option<Columns>,
    deciles: Vec<Vec<Cell>>,
    segments: Option<Vec<Vec<Cell>>>,
    unscored: usize,
}

/// The passes of [`BreakdownSteps`], in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    Values,
    Deciles,
    Segments,
    Done,
}

/// The columns of a breakdown, from its values' totals.
struct Columns {
    values: Vec<BreakdownValue>,
    /// Per code, its column (`shown` for "Other").
    column_of: Vec<usize>,
    shown: usize,
    distinct: usize,
}

impl BreakdownSteps {
    /// The steps of the breakdown of `table` by `attribute`, with a decile × value table when
    /// `deciles` (one per customer) are given and a segment × value table with `rfm`.
    ///
    /// # Errors
    /// Those of [`breakdown_in_deciles`].
    pub fn new(
        table: &CustomerTable,
        attribute: &Attribute,
        rfm: Option<(&RfmScores, &Segmentation)>,
        deciles: Option<&[u8]>,
        config: BreakdownConfig,
    ) -> Result<BreakdownSteps> {
        check(table, attribute)?;
        if deciles.is_some_and(|d| d.len() != table.customers.len()) {
            return Err(mismatch("deciles do not match the customers"));
        }
        Ok(BreakdownSteps {
            config,
            customers: table.customers.len(),
            pass: Pass::Values,
            read: 0,
            per_code: vec![Cell::default(); attribute.values.len()],
            sales: Sum::default(),
            profit: Sum::default(),
            columns: None,
            deciles: Vec::new(),
            segments: rfm.map(|_| Vec::new()),
            unscored: table.customers.len(),
        })
    }

    /// Computes the next piece; false when none is left (or `table` is not the table the steps
    /// began with).
    pub fn step(
        &mut self,
        table: &CustomerTable,
        attribute: &Attribute,
        rfm: Option<(&RfmScores, &Segmentation)>,
        deciles: Option<&[u8]>,
    ) -> bool {
        let customers = &table.customers;
        if customers.len() != self.customers || attribute.codes.len() != self.customers {
            return false;
        }
        let from = self.read;
        match self.pass {
            Pass::Values => {
                let to = (from + BREAKDOWN_PIECE).min(customers.len());
                let piece = customers.get(from..to).unwrap_or_default();
                let codes = attribute.codes.get(from..to).unwrap_or_default();
                for (customer, &code) in piece.iter().zip(codes) {
                    if let Some(cell) = self.per_code.get_mut(code as usize) {
                        cell.customers += 1;
                        cell.sales += customer.sales;
                        cell.profit += customer.profit;
                    }
                    self.sales.add(customer.sales);
                    self.profit.add(customer.profit);
                }
                self.read = to;
                if to == customers.len() {
                    let columns = self.columns_of(table, attribute);
                    let count = columns.values.len();
                    self.columns = Some(columns);
                    if deciles.is_some() {
                        self.deciles = vec![vec![Cell::default(); count]; DECILES];
                    }
                    if let Some((_, segmentation)) = rfm {
                        let rows = segmentation.rules.rules.len() + 1;
                        self.segments = Some(vec![vec![Cell::default(); count]; rows]);
                    }
                    self.next_pass(deciles.is_some(), rfm.is_some());
                }
                true
            }
            Pass::Deciles => {
                let Some(columns) = &self.columns else {
                    return false;
                };
                let decile_of = deciles.unwrap_or_default();
                let to = (from + BREAKDOWN_PIECE).min(customers.len());
                let piece = customers.get(from..to).unwrap_or_default();
                let their = decile_of.get(from..to).unwrap_or_default();
                for (index, (customer, &decile)) in (from..).zip(piece.iter().zip(their)) {
                    let column = columns.column(attribute, index);
                    let cell = usize::from(decile)
                        .checked_sub(1)
                        .and_then(|d| self.deciles.get_mut(d))
                        .and_then(|row| row.get_mut(column));
                    if let Some(cell) = cell {
                        cell.customers += 1;
                        cell.sales += customer.sales;
                        cell.profit += customer.profit;
                    }
                }
                self.read = to;
                if to == customers.len() {
                    self.next_pass(false, rfm.is_some());
                }
                true
            }
            Pass::Segments => {
                let (Some(columns), Some((scores, segmentation)), Some(segments)) =
                    (&self.columns, rfm, self.segments.as_mut())
                else {
                    self.pass = Pass::Done;
                    return true;
                };
                // The last row is "Other" (a row per rule and one more: never none).
                let Some(other) = segments.len().checked_sub(1) else {
                    self.pass = Pass::Done;
                    return true;
                };
                let scored = scores.customers.len().min(segmentation.assignments.len());
                let to = (from + BREAKDOWN_PIECE).min(scored);
                let piece = scores.customers.get(from..to).unwrap_or_default();
                let assigned = segmentation.assignments.get(from..to).unwrap_or_default();
                for (score, assignment) in piece.iter().zip(assigned) {
                    let row = assignment.map_or(other, |r| usize::from(r).min(other));
                    let Some(customer) = customers.get(score.index) else {
                        continue;
                    };
                    let column = columns.column(attribute, score.index);
                    if let Some(cell) = segments.get_mut(row).and_then(|r| r.get_mut(column)) {
                        cell.customers += 1;
                        cell.sales += customer.sales;
                        cell.profit += customer.profit;
                        self.unscored = self.unscored.saturating_sub(1);
                    }
                }
                self.read = to;
                if to == scored {
                    self.pass = Pass::Done;
                }
                true
            }
            Pass::Done => false,
        }
    }

    /// The pass after the one just ended: the deciles' (when given), the segments' (with an
    /// RFM result), or none.
    fn next_pass(&mut self, deciles: bool, segments: bool) {
        self.read = 0;
        self.pass = if deciles {
            Pass::Deciles
        } else if segments {
            Pass::Segments
        } else {
            Pass::Done
        };
    }

    /// The values shown and the column of every code, from the values' totals.
    fn columns_of(&self, table: &CustomerTable, attribute: &Attribute) -> Columns {
        let per_code = &self.per_code;
        let config = &self.config;
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
        let total_customers = table.customers.len();
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
            self.flag_small(&mut cell);
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
                sales_share: self.sales.share(cell.sales),
                profit_share: if table.columns.profit {
                    self.profit.share(cell.profit)
                } else {
                    None
                },
                total: cell,
            });
        }
        Columns {
            values,
            column_of,
            shown,
            distinct,
        }
    }

    fn flag_small(&self, cell: &mut Cell) {
        cell.small = cell.customers > 0 && cell.customers < self.config.small_cell;
    }

    /// The breakdown: the pieces not computed yet are computed now.
    ///
    /// # Errors
    /// [`Error::NoData`] when `table` is not the table the steps began with.
    pub fn finish(
        mut self,
        table: &CustomerTable,
        attribute: &Attribute,
        rfm: Option<(&RfmScores, &Segmentation)>,
        deciles: Option<&[u8]>,
    ) -> Result<Breakdown> {
        while self.step(table, attribute, rfm, deciles) {}
        if self.pass != Pass::Done {
            return Err(Error::NoData);
        }
        let Some(columns) = self.columns.take() else {
            return Err(Error::NoData);
        };
        let small = self.config.small_cell;
        let flag = |cell: &mut Cell| cell.small = cell.customers > 0 && cell.customers < small;
        self.deciles.iter_mut().flatten().for_each(flag);
        let segments = self.segments.take().map(|mut segments| {
            segments.iter_mut().flatten().for_each(flag);
            segments
        });
        let unscored = if segments.is_some() { self.unscored } else { 0 };
        let mut total = Cell {
            customers: table.customers.len(),
            sales: self.sales.value,
            profit: self.profit.value,
            small: false,
        };
        flag(&mut total);
        Ok(Breakdown {
            key: attribute.key.clone(),
            name: attribute.name.clone(),
            config: self.config,
            values: columns.values,
            distinct: columns.distinct,
            total,
            changed: attribute.changed,
            deciles: self.deciles,
            segments,
            unscored,
        })
    }
}

impl Columns {
    /// The column of the customer at `index`.
    fn column(&self, attribute: &Attribute, index: usize) -> usize {
        attribute
            .codes
            .get(index)
            .and_then(|&code| self.column_of.get(code as usize))
            .copied()
            .unwrap_or(self.shown)
    }
}
