//! Per-customer summaries (客户汇总表, issue 17): a file of one row per customer — id, orders,
//! sales, profit, first and last purchase — read in place of the order lines, so that an
//! analysis done elsewhere (the SQL pack's `vl_customers` on DuckDB or Spark, a CRM's RFM
//! export) opens, charts and prints here.
//!
//! - **Recognised at inspect** ([`guess_summary`]) by its headers: the summary names of
//!   [`SUMMARY_HEADER_ALIASES`] (订单数 / orders / frequency, 销售额 / sales / monetary, 首次购买 /
//!   first_purchase, 最近购买 / last_purchase …, and the SQL pack's exact column names) for the
//!   orders and the sales, a customer column, and customer ids that do not repeat in the head.
//!   The preview then proposes the summary layout ([`Preview::summary`](super::Preview::summary));
//!   the user can switch it off or on.
//! - **Read row by row** ([`parse_summary_row`]) with the order lines' rules for cells (trimmed,
//!   a spreadsheet's text marker removed, numbers and dates in the file's formats) and its own
//!   checks, each a [`RowProblem`] with line and column: counts that are not whole numbers of at
//!   least 1 (orders, order lines) or 0 (return lines), a first purchase after the last, and (by
//!   the builder, [`SummaryBuilder`](crate::engine::customers::SummaryBuilder)) a customer id met
//!   before.
//! - **What it cannot give.** The purchase days between the first and the last, and the sales
//!   per month: the import keeps no purchase-day history for a summary, so the lifecycle and
//!   the CLV fit (which read every purchase day) are not computed, and the months and the
//!   declining group (which compare months) stay empty. Orders are taken as given: nothing is
//!   re-counted from order ids.

use serde::{Deserialize, Serialize};

use super::columns::{header_match, normalize_header, ColumnMapping, GuessSource, Role};
use super::dialect::Record;
use super::rows::{strip_text_marker, CellReader};
use super::settings::ImportSettings;
use super::values::{parse_date, parse_number};
use crate::engine::calendar::Day;
use crate::engine::customers::Columns;
use crate::engine::error::{RowError, RowProblem};
use crate::engine::vocabulary::SUMMARY_HEADER_ALIASES;

/// What a column of a per-customer summary means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SummaryRole {
    /// Customer id (required; one row each).
    Customer,
    /// Orders of the customer (required; a whole number of at least 1).
    Orders,
    /// Net sales of the customer (required).
    Sales,
    /// Net profit (optional).
    Profit,
    /// First purchase day (optional; with the last, the recency and the period).
    FirstPurchase,
    /// Last purchase day (optional).
    LastPurchase,
    /// Order lines (optional; the orders when absent).
    OrderLines,
    /// Lines with a negative amount, returns (optional; 0 when absent).
    ReturnLines,
    /// Total quantity (optional).
    Quantity,
}

impl SummaryRole {
    /// All roles, in mapping-table order.
    pub const ALL: [SummaryRole; 9] = [
        SummaryRole::Customer,
        SummaryRole::Orders,
        SummaryRole::Sales,
        SummaryRole::Profit,
        SummaryRole::FirstPurchase,
        SummaryRole::LastPurchase,
        SummaryRole::OrderLines,
        SummaryRole::ReturnLines,
        SummaryRole::Quantity,
    ];

    /// A stable machine name (`summary-orders` …), apart from the order lines' role names.
    pub fn as_str(self) -> &'static str {
        match self {
            SummaryRole::Customer => "summary-customer",
            SummaryRole::Orders => "summary-orders",
            SummaryRole::Sales => "summary-sales",
            SummaryRole::Profit => "summary-profit",
            SummaryRole::FirstPurchase => "summary-first",
            SummaryRole::LastPurchase => "summary-last",
            SummaryRole::OrderLines => "summary-lines",
            SummaryRole::ReturnLines => "summary-returns",
            SummaryRole::Quantity => "summary-quantity",
        }
    }

    /// True for the roles a summary cannot do without.
    pub fn is_required(self) -> bool {
        matches!(
            self,
            SummaryRole::Customer | SummaryRole::Orders | SummaryRole::Sales
        )
    }
}

/// Which column (zero-based) plays which role of a per-customer summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryMapping {
    /// Customer id column.
    pub customer: Option<usize>,
    /// Orders column.
    pub orders: Option<usize>,
    /// Net sales column.
    pub sales: Option<usize>,
    /// Net profit column.
    pub profit: Option<usize>,
    /// First purchase column.
    pub first: Option<usize>,
    /// Last purchase column.
    pub last: Option<usize>,
    /// Order lines column.
    pub order_lines: Option<usize>,
    /// Return lines column.
    pub returns: Option<usize>,
    /// Quantity column.
    pub quantity: Option<usize>,
}

impl SummaryMapping {
    /// The column of `role`.
    pub fn get(&self, role: SummaryRole) -> Option<usize> {
        match role {
            SummaryRole::Customer => self.customer,
            SummaryRole::Orders => self.orders,
            SummaryRole::Sales => self.sales,
            SummaryRole::Profit => self.profit,
            SummaryRole::FirstPurchase => self.first,
            SummaryRole::LastPurchase => self.last,
            SummaryRole::OrderLines => self.order_lines,
            SummaryRole::ReturnLines => self.returns,
            SummaryRole::Quantity => self.quantity,
        }
    }

    /// Sets the column of `role`; a column holds at most one role, so it is taken from any other.
    pub fn set(&mut self, role: SummaryRole, column: Option<usize>) {
        if column.is_some() {
            for other in SummaryRole::ALL {
                if other != role && self.get(other) == column {
                    *self.slot(other) = None;
                }
            }
        }
        *self.slot(role) = column;
    }

    fn slot(&mut self, role: SummaryRole) -> &mut Option<usize> {
        match role {
            SummaryRole::Customer => &mut self.customer,
            SummaryRole::Orders => &mut self.orders,
            SummaryRole::Sales => &mut self.sales,
            SummaryRole::Profit => &mut self.profit,
            SummaryRole::FirstPurchase => &mut self.first,
            SummaryRole::LastPurchase => &mut self.last,
            SummaryRole::OrderLines => &mut self.order_lines,
            SummaryRole::ReturnLines => &mut self.returns,
            SummaryRole::Quantity => &mut self.quantity,
        }
    }

    /// The required roles without a column.
    pub fn missing(&self) -> Vec<SummaryRole> {
        SummaryRole::ALL
            .into_iter()
            .filter(|&role| role.is_required() && self.get(role).is_none())
            .collect()
    }

    /// The order-line roles the summary's columns stand for (customer, sales as the amount,
    /// profit, quantity), for what reads an order-line mapping: the shape checks of a row, the
    /// SQL pack's mapping.
    pub fn as_order_mapping(&self) -> ColumnMapping {
        ColumnMapping {
            customer: self.customer,
            order: None,
            date: None,
            amount: self.sales,
            profit: self.profit,
            quantity: self.quantity,
        }
    }

    /// The optional columns of the customers a summary gives: orders are counted (as with an
    /// order column), dated when a first or last purchase is mapped.
    pub fn data_columns(&self) -> Columns {
        Columns {
            order: true,
            date: self.first.is_some() || self.last.is_some(),
            profit: self.profit.is_some(),
            quantity: self.quantity.is_some(),
        }
    }
}

/// The summary roles the headers name exactly (a customer column as the order lines name it).
pub fn summary_mapping_from_headers(headers: &[String]) -> SummaryMapping {
    let mut mapping = SummaryMapping::default();
    for (column, header) in headers.iter().enumerate() {
        let name = normalize_header(header);
        if name.is_empty() {
            continue;
        }
        let role = SUMMARY_HEADER_ALIASES
            .iter()
            .find(|(_, aliases)| aliases.contains(&name.as_str()))
            .map(|&(role, _)| role)
            .or_else(|| {
                matches!(
                    header_match(header, Role::Customer),
                    Some((_, GuessSource::HeaderExact))
                )
                .then_some(SummaryRole::Customer)
            });
        if let Some(role) = role {
            if mapping.get(role).is_none() {
                mapping.set(role, Some(column));
            }
        }
    }
    mapping
}

/// The summary layout a file's head proposes, if any: its headers name a customer, the orders
/// and the sales ([`summary_mapping_from_headers`]), and no customer id repeats in `rows` (one
/// row per customer). `None` for a file of order lines.
pub fn guess_summary(headers: &[String], rows: &[Vec<String>]) -> Option<SummaryMapping> {
    let mapping = summary_mapping_from_headers(headers);
    if !mapping.missing().is_empty() {
        return None;
    }
    let column = mapping.customer?;
    let mut ids: Vec<&str> = rows
        .iter()
        .filter_map(|row| row.get(column))
        .map(|id| id.trim())
        .filter(|id| !id.is_empty())
        .collect();
    let read = ids.len();
    ids.sort_unstable();
    ids.dedup();
    (ids.len() == read).then_some(mapping)
}

/// One row of a summary, read and checked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SummaryRow<'a> {
    /// Customer id (trimmed, non-empty).
    pub customer: &'a str,
    /// Orders (at least 1).
    pub orders: u32,
    /// Order lines, when mapped (at least 1).
    pub order_lines: Option<u32>,
    /// Return lines, when mapped.
    pub returns: Option<u32>,
    /// Net sales.
    pub sales: f64,
    /// Net profit, when mapped.
    pub profit: Option<f64>,
    /// Total quantity, when mapped (an empty cell: none).
    pub quantity: Option<f64>,
    /// First purchase (the last when only that is mapped).
    pub first: Option<Day>,
    /// Last purchase (the first when only that is mapped).
    pub last: Option<Day>,
}

/// Reads one record of a summary (`settings.summary` is `mapping`): every cell with its line and
/// column when it is wrong (see the module's list); `check_encoding` rejects a cell holding a
/// replacement character, as for order lines.
pub(super) fn parse_summary_row<'r>(
    record: &Record<'r>,
    settings: &ImportSettings,
    mapping: &SummaryMapping,
    check_encoding: bool,
) -> Result<SummaryRow<'r>, RowError> {
    let cells = CellReader {
        record,
        settings,
        check_encoding,
    };
    let fail = |index: usize, problem: RowProblem, value: &str| cells.fail(index, problem, value);
    let cell = |index: usize| cells.cell(index);
    let required = |index: usize| cells.required(index);
    let number = |index: usize| -> Result<f64, RowError> {
        let value = required(index)?;
        parse_number(value, settings.decimal)
            .ok_or_else(|| fail(index, RowProblem::NotANumber, value))
    };
    let count = |index: usize, min: u32| -> Result<u32, RowError> {
        let value = required(index)?;
        let n = parse_number(value, settings.decimal)
            .ok_or_else(|| fail(index, RowProblem::NotANumber, value))?;
        let whole = n.fract() == 0.0 && n >= f64::from(min) && n <= f64::from(u32::MAX);
        match whole {
            true => Ok(n as u32),
            false => Err(fail(index, RowProblem::NotACount { min }, value)),
        }
    };
    let date = |index: usize| -> Result<Day, RowError> {
        let value = required(index)?;
        parse_date(value, settings.date_order, settings.serial_dates)
            .ok_or_else(|| fail(index, RowProblem::NotADate, value))
    };
    let customer = strip_text_marker(required(mapping.customer.unwrap_or(0))?);
    let orders = count(mapping.orders.unwrap_or(0), 1)?;
    let sales = number(mapping.sales.unwrap_or(0))?;
    let profit = mapping.profit.map(number).transpose()?;
    let order_lines = mapping.order_lines.map(|i| count(i, 1)).transpose()?;
    let returns = mapping.returns.map(|i| count(i, 0)).transpose()?;
    let quantity = match mapping.quantity {
        Some(index) => match cell(index)? {
            "" => None,
            value => Some(
                parse_number(value, settings.decimal)
                    .ok_or_else(|| fail(index, RowProblem::NotANumber, value))?,
            ),
        },
        None => None,
    };
    let first = mapping.first.map(date).transpose()?;
    let last = mapping.last.map(date).transpose()?;
    if let (Some(f), Some(l), Some(index)) = (first, last, mapping.first) {
        if f > l {
            let value = cell(index)?;
            return Err(fail(index, RowProblem::FirstAfterLast, value));
        }
    }
    Ok(SummaryRow {
        customer,
        orders,
        order_lines,
        returns,
        sales,
        profit,
        quantity,
        first: first.or(last),
        last: last.or(first),
    })
}
