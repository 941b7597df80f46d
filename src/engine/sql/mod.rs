//! The SQL pack (SQL 分析包, issue 17): the analyses of this workbench written as SQL for an
//! engine the user already runs, DuckDB or Apache Spark, for data too large for a browser tab.
//!
//! From the column roles of an import ([`SqlSource`]: the source table, its column names and
//! the [`ColumnMapping`]) and the analysis parameters ([`SqlParams`]: the decile groups'
//! [`GroupConfig`], the [`RfmConfig`] and the segment [`SegmentRules`]), [`write_sql`] writes one
//! documented file per [`Dialect`] that computes, as temporary views:
//! - `vl_lines`: the accepted order lines, by the importer's rules (below);
//! - `vl_customers`: one row per customer, the importer's aggregation (order lines, orders,
//!   return lines, net sales, net profit, quantity, first and last purchase), with the customer
//!   deciles (客户十分位) and value slices (价值十分位) by sales (and by profit), and the
//!   document's groups: retain 保持, grow 发展, declining 衰退, transaction 交易客户;
//! - `vl_deciles`: the ten customer deciles of each basis with their sums and shares;
//! - `vl_monthly`: net sales and profit per customer and month, as a long table (with dates);
//! - `vl_rfm`: R, F and M values and scores, value tier and segment (with dates);
//! - `vl_headline`: the headline figures (概览).
//!
//! # The same answers as the engine
//! Every rule is the engine's, and `tests/sql_oracle.rs` runs both files on DuckDB and on Spark
//! and compares every customer with the engine's own results:
//! - **Lines.** The customer and order ids are trimmed (spaces) and a spreadsheet's text marker
//!   (`'` before `=`, `+`, `-`, `@`) is removed, as in the import; a line is dropped when the
//!   customer id is empty, the amount missing or not finite, or, when those columns are mapped,
//!   the date or the profit is missing or the order id empty. A missing quantity counts as none.
//! - **Customers.** Returns (negative amounts) are netted; orders are the distinct order ids
//!   of the customer when an order column is mapped, else its lines.
//! - **Ranking.** Largest value first, values compared rounded to a millionth of a currency unit,
//!   equal values ordered by customer id (byte order); deciles of equal size, the larger first
//!   (`NTILE(10)`, the sizes of `numpy.array_split`).
//! - **Value slices and groups.** The cumulative value against the cuts, within 10⁻⁹ of the sum
//!   of the magnitudes (the engine's zero rule); `NULL` where the engine computes no group (no
//!   positive total sales; no date or profit column).
//! - **RFM.** `score = min(bins, 1 + bins × worse div (n − 1))` with `worse` the customers with a
//!   strictly worse value (`RANK() − 1`): ties never split; the first matching rule of the table
//!   gives the segment, with the scores mapped onto the table's scale as [`map_score`] does.
//!
//! A given RFM analysis day before the latest purchase, which the engine refuses, stops the
//! query of `vl_rfm` with an error (DuckDB `error`, Spark `raise_error`). What the SQL cannot
//! do, the file says in its comments: amounts above about 9 × 10¹² (the rank keys are 64-bit
//! integers of millionths). Ids are trimmed of spaces only (the import also trims other
//! white space, such as tabs, around a cell).

use serde::{Deserialize, Serialize};

use super::calendar::Day;
use super::deciles::GroupConfig;
use super::error::{Error, Result};
use super::ingest::columns::ColumnMapping;
use super::ingest::{default_column_name, ImportSettings};
use super::rfm::OTHER_ZH;
use super::rfm::{map_score, tier_bounds, Monetary, RfmConfig, SegmentRules, OTHER_EN};

mod dialect;
mod script;

pub use dialect::{double, Dialect};

/// Where the order lines are and which column plays which role.
///
/// As JSON (the command line's `--mapping` file): `{"table": "orders", "headers": ["customer_id",
/// "order_id", "order_date", "amount"], "mapping": {"customer": 0, "order": 1, "date": 2,
/// "amount": 3, "profit": null, "quantity": null}}`. `headers` and `mapping` are the fields of
/// the same name of [`ImportSettings`] (the app's saved import settings read as they are;
/// unknown fields are ignored); `table` defaults to `orders`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SqlSource {
    /// The source table or view (`db.orders`), or a DuckDB table function
    /// (`read_parquet('orders/*.parquet')`), written into the file's first statement.
    #[serde(default = "default_table")]
    pub table: String,
    /// The column names, by index (an empty name is `column N`, as the import names it).
    pub headers: Vec<String>,
    /// The column roles: indices into `headers`. Customer and amount are required.
    pub mapping: ColumnMapping,
}

fn default_table() -> String {
    "orders".to_string()
}

impl SqlSource {
    /// The source of an import's settings, read from `table`.
    pub fn from_settings(table: &str, settings: &ImportSettings) -> SqlSource {
        SqlSource {
            table: table.to_string(),
            headers: settings.headers.clone(),
            mapping: settings.mapping.clone(),
        }
    }

    /// Checks that customer and amount are mapped and that every role names a column.
    ///
    /// # Errors
    /// [`Error::NoCustomerColumn`], [`Error::NoAmountColumn`], [`Error::NoSuchColumn`].
    pub fn validate(&self) -> Result<()> {
        if self.mapping.customer.is_none() {
            return Err(Error::NoCustomerColumn);
        }
        if self.mapping.amount.is_none() {
            return Err(Error::NoAmountColumn);
        }
        let count = self.headers.len();
        for index in self.columns().into_iter().flatten() {
            if index >= count {
                return Err(Error::NoSuchColumn { index, count });
            }
        }
        Ok(())
    }

    /// The mapped column indices: customer, order, date, amount, profit, quantity.
    fn columns(&self) -> [Option<usize>; 6] {
        let m = &self.mapping;
        [m.customer, m.order, m.date, m.amount, m.profit, m.quantity]
    }

    /// The name of column `index`.
    fn name(&self, index: usize) -> String {
        match self.headers.get(index).map(|h| h.trim()) {
            Some(name) if !name.is_empty() => name.to_string(),
            _ => default_column_name(index),
        }
    }
}

/// The analysis parameters the SQL is written with; every field defaults to the app's default.
///
/// As JSON (the command line's `--params` file), any field may be left out:
/// `{"groups": {GroupConfig}, "rfm": {"bins": 5, "analysis_day": null, "monetary": "Total"},
/// "segments": {SegmentRules}}`. Days are whole days since 1970-01-01 (`19723` is 2024-01-01).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SqlParams {
    /// The decile groups' thresholds.
    pub groups: GroupConfig,
    /// The RFM scoring.
    pub rfm: RfmConfig,
    /// The segment rule table.
    pub segments: SegmentRules,
}

impl SqlParams {
    /// Checks every parameter as the analyses do.
    ///
    /// # Errors
    /// [`Error::Parameter`] from [`GroupConfig::validate`], [`RfmConfig::validate`],
    /// [`SegmentRules::validate`].
    pub fn validate(&self) -> Result<()> {
        self.groups.validate()?;
        self.rfm.validate()?;
        self.segments.validate()
    }
}

/// One written SQL file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlPack {
    /// Its dialect.
    pub dialect: Dialect,
    /// The file: statements, each ending with `;` at the end of a line, and comments.
    pub text: String,
    /// The views it creates for the user, in order (`vl_customers`, `vl_monthly` …).
    pub views: Vec<&'static str>,
}

impl SqlPack {
    /// A file name for it: `valuelens.duckdb.sql` or `valuelens.spark.sql`.
    pub fn file_name(&self) -> String {
        format!("valuelens.{}.sql", self.dialect.as_str())
    }
}

/// Writes the analysis as SQL in `dialect` (see the module docs for what it computes).
///
/// # Errors
/// [`SqlSource::validate`] and [`SqlParams::validate`].
pub fn write_sql(source: &SqlSource, params: &SqlParams, dialect: Dialect) -> Result<SqlPack> {
    source.validate()?;
    params.validate()?;
    Ok(script::Script::new(source, params, dialect).write())
}

/// A rule's scores on the analysis' bins that map into `range` on the rule table's scale.
fn scores_in(range: (u8, u8), bins: u8, scale: u8) -> Vec<u8> {
    (1..=bins)
        .filter(|&s| (range.0..=range.1).contains(&map_score(s, bins, scale)))
        .collect()
}

/// The day as `YYYY-MM-DD`, for comments.
fn iso(day: Day) -> String {
    day.iso()
}

/// The names the segment of unmatched customers has.
fn other_names() -> (&'static str, &'static str) {
    (OTHER_EN, OTHER_ZH)
}

/// Total-score bounds of the value tiers.
fn tiers(bins: u8) -> (u16, u16) {
    let b = tier_bounds(bins);
    (b.low_to, b.high_from)
}

/// The M expression on `vl_customer_totals`.
fn monetary_expr(monetary: Monetary) -> &'static str {
    match monetary {
        Monetary::Total => "sales",
        Monetary::AverageOrderValue => {
            "CASE WHEN orders = 0 THEN CAST(0 AS DOUBLE) ELSE sales / orders END"
        }
    }
}

#[cfg(test)]
mod tests;
