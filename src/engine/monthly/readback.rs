//! The monthly long table read back next to a per-customer summary (每月明细回读, issue 17): one
//! row per customer and month with the month's net sales (and profit), as the SQL pack's
//! `vl_monthly` is written by DuckDB's `COPY` or Spark's writers (CSV, Parquet or an `.xlsx`
//! sheet), or with the headers 客户 / 月份 / 销售额 / 利润.
//!
//! A summary has no months: with this table the customers get theirs
//! ([`Customer::months`](crate::engine::customers::Customer::months)), and what needs only months
//! works as from order lines: the sales per month ([`super::monthly_sales`]) and the declining
//! group ([`crate::engine::deciles`]). The lifecycle and the CLV models still need every purchase
//! day, which months do not give.
//!
//! Nothing is taken on trust: every row is checked (customer in the summary, month `YYYY-MM` or
//! a month's date such as `2024-03-01`, numbers; a customer and month given twice), each failure
//! a [`RowError`] with line and column; and every customer's monthly sales must add up to the
//! summary's sales (and the profit to its profit, when both have one), each that does not is a
//! [`SalesMismatch`]. The months are used only when there is neither ([`MonthlyReadBack::accepted`]):
//! a table that does not belong to the summary is reported, never half applied.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::engine::calendar::{Day, Month};
use crate::engine::customers::{CustomerTable, MonthTotal, Months};
use crate::engine::error::{Error, Result, RowError, RowProblem};
#[cfg(feature = "table-files")]
use crate::engine::formats::{self, parquet, xlsx, FileKind};
use crate::engine::ingest::columns::normalize_header;
use crate::engine::ingest::columns::Role;
use crate::engine::ingest::dialect::{sniff_delimiter, RecordSplitter};
use crate::engine::ingest::encoding::LanguageHint;
use crate::engine::ingest::values::{parse_number, DecimalSeparator};
use crate::engine::ingest::{decode_text, DecodedText, HeaderWords, TextOptions};
use crate::engine::ingest::{default_column_name, MAX_REJECTED_KEPT};
use crate::engine::numeric::truncate_chars;
use crate::engine::vocabulary::{HEADER_ALIASES, MONTH_HEADER_ALIASES};

/// How far a customer's monthly sales may be from its summary sales: half a cent, or 10⁻⁹ of
/// the larger, whichever is more (DuckDB and the import add in different orders).
const TOLERANCE: f64 = 0.005;

/// The columns of a monthly long table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MonthlyColumn {
    /// The customer id.
    Customer,
    /// The month.
    Month,
    /// The month's net sales.
    Sales,
    /// The month's net profit (required when the summary has a profit).
    Profit,
}

/// Why a file cannot be read as a monthly long table.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MonthlyError {
    /// The file could not be read as a table (its encoding, a damaged workbook …).
    #[error("{0}")]
    Read(Error),
    /// The header names no column for these.
    #[error("the header has no column for {0:?}")]
    MissingColumns(Vec<MonthlyColumn>),
    /// The table has a header but no rows.
    #[error("the monthly table has no rows")]
    NoRows,
}

impl From<Error> for MonthlyError {
    fn from(error: Error) -> Self {
        MonthlyError::Read(error)
    }
}

/// A customer whose monthly figures do not add up to its summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SalesMismatch {
    /// The customer id.
    pub customer: String,
    /// Sales (or profit, when `profit`) in the summary.
    pub summary: f64,
    /// The sum of its months in the table (0 for a customer without a row).
    pub months: f64,
    /// True when the profit does not add up (the sales do).
    pub profit: bool,
}

/// What reading a monthly table gave.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthlyReadBack {
    /// The file's name.
    pub file_name: String,
    /// Data rows read (blank ones not counted).
    pub rows: u64,
    /// Rejected rows, with line, column and reason (the first [`MAX_REJECTED_KEPT`]).
    pub rejected: Vec<RejectedMonth>,
    /// All rejected rows, counted.
    pub rows_rejected: u64,
    /// Customers whose months do not add up to the summary, in id order.
    pub mismatches: Vec<SalesMismatch>,
    /// Customers with at least one month.
    pub customers: usize,
    /// Each customer's months, in the table's customer order, month ascending.
    months: Vec<Vec<MonthTotal>>,
}

/// A rejected row of a monthly table.
pub type RejectedMonth = RowError;

impl MonthlyReadBack {
    /// True when every row was read and every customer adds up: only then are the months used.
    pub fn accepted(&self) -> bool {
        self.rows_rejected == 0 && self.mismatches.is_empty()
    }

    /// The summary's customers with their months; `None` unless [`Self::accepted`].
    pub fn apply(&self, table: &CustomerTable) -> Option<CustomerTable> {
        if !self.accepted() || self.months.len() != table.customers.len() {
            return None;
        }
        let mut table = table.clone();
        for (customer, months) in table.customers.iter_mut().zip(&self.months) {
            customer.months = Months::Kept(months.clone());
        }
        Some(table)
    }
}

/// The month of a cell: `YYYY-MM`, `YYYY/MM`, `YYYY.MM` or a day of it (`YYYY-MM-DD`, as
/// DuckDB and Spark write the pack's `month` date); `None` for anything else.
///
/// # Examples
/// ```
/// use valuelens::engine::monthly::readback::parse_month;
/// assert_eq!(parse_month("2024-03").map(|m| m.index()), Some(2024 * 12 + 2));
/// assert_eq!(parse_month("2024-03-01"), parse_month("2024-03"));
/// assert_eq!(parse_month("2024-13"), None);
/// assert_eq!(parse_month("2024-02-30"), None);
/// assert_eq!(parse_month("March"), None);
/// ```
pub fn parse_month(cell: &str) -> Option<Month> {
    let cell = cell.trim();
    if let Some(day) = Day::parse_iso(cell) {
        return Some(day.month());
    }
    let (year, month) = cell.split_once(['-', '/', '.'])?;
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        (n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let year = digits(year, 4..=4)?;
    let month = digits(month, 1..=2)?;
    Month::from_year_month(i32::try_from(year).ok()?, month)
}

/// The column of each [`MonthlyColumn`] found by its header name.
fn find_columns(names: &[String]) -> [Option<usize>; 4] {
    let aliases = |role: Role| {
        HEADER_ALIASES
            .iter()
            .find(|(r, _)| *r == role)
            .map_or(&[][..], |(_, a)| *a)
    };
    let find = |words: &[&str], extra: &[&str]| {
        names.iter().position(|name| {
            let name = normalize_header(name);
            words.contains(&name.as_str()) || extra.contains(&name.as_str())
        })
    };
    [
        find(aliases(Role::Customer), &[]),
        find(MONTH_HEADER_ALIASES, &[]),
        find(aliases(Role::Amount), &["netsales", "monthsales"]),
        find(aliases(Role::Profit), &["monthprofit"]),
    ]
}

/// Rows of text cells, each with its line.
pub type Lines = Vec<(u64, Vec<String>)>;

/// A table file's header and rows (with the line each has) as text, whatever its kind.
#[cfg(feature = "table-files")]
fn read_rows(bytes: &[u8], hint: LanguageHint) -> Result<(Vec<String>, Lines)> {
    match formats::sniff(bytes) {
        FileKind::Text => read_text_rows(bytes, hint),
        FileKind::Xlsx | FileKind::OldExcel | FileKind::Parquet => read_table_rows(bytes),
    }
}

/// The header and rows (with the line each has) of a workbook's first sheet or of a Parquet
/// file, as text: the part of [`read_monthly`] that needs the table readers, which the page
/// leaves to the analysis worker (`src/bin/analyst.rs`) so they stay out of its bundle.
///
/// # Errors
/// The readers' errors ([`Error::Table`], [`Error::Format`]); a text file is refused as
/// damaged (read it with [`read_monthly_text`]).
#[cfg(feature = "table-files")]
pub fn read_table_rows(bytes: &[u8]) -> Result<(Vec<String>, Lines)> {
    match formats::sniff(bytes) {
        FileKind::Xlsx | FileKind::OldExcel => {
            let mut book = xlsx::Workbook::open(bytes.to_vec())?;
            let sheet = book.sheet(None)?;
            let names = sheet.head(0).names;
            let mut rows = Vec::new();
            sheet.for_each_row(|line, cells| {
                rows.push((line, cells.iter().map(|c| (*c).to_string()).collect()));
                true
            });
            Ok((names, rows))
        }
        FileKind::Parquet => {
            let file = match parquet::ParquetFile::open(bytes.len() as u64, bytes)? {
                parquet::Opened::Ready(file) => file,
                // The whole file is the tail: a footer that does not fit is damaged.
                parquet::Opened::NeedTail(_) => {
                    return Err(formats::table_error(
                        FileKind::Parquet,
                        formats::TableProblem::Damaged {
                            detail: "the footer is longer than the file".into(),
                        },
                    ))
                }
            };
            let mut rows = Vec::new();
            for group in 0..file.row_groups() {
                let range = file.row_group_bytes(group);
                let slice = usize::try_from(range.start)
                    .ok()
                    .zip(usize::try_from(range.end).ok())
                    .and_then(|(start, end)| bytes.get(start..end))
                    .unwrap_or_default();
                file.read_row_group(group, slice, &mut |line, cells| {
                    rows.push((line, cells.iter().map(|c| (*c).to_string()).collect()));
                })?;
            }
            Ok((file.column_names(), rows))
        }
        FileKind::Text => Err(formats::table_error(
            FileKind::Text,
            formats::TableProblem::Damaged {
                detail: "a text file, not a table file".into(),
            },
        )),
    }
}

/// The header and rows (with the line each has) of a text file (CSV, TSV …; its encoding and
/// delimiter detected).
fn read_text_rows(bytes: &[u8], hint: LanguageHint) -> Result<(Vec<String>, Lines)> {
    text_rows(&decode_text(bytes, &monthly_text_options(hint))?.text)
}

/// How a monthly text file is decoded ([`decode_text`]): the encoding detected with `hint`.
pub fn monthly_text_options(hint: LanguageHint) -> TextOptions {
    TextOptions {
        encoding: None,
        hint,
        words: HeaderWords::Columns,
    }
}

/// The header and rows (with the line each has) of a text file's decoded `text` (its delimiter
/// detected).
fn text_rows(text: &str) -> Result<(Vec<String>, Lines)> {
    let delimiter = sniff_delimiter(&text[..text.floor_char_boundary(64 * 1024)]);
    let mut records: Vec<(u64, Vec<String>)> = Vec::new();
    RecordSplitter::new(delimiter).feed(text, true, &mut |record| {
        if !record.is_blank() {
            records.push((record.line, record.to_vec()));
        }
        true
    });
    let mut records = records.into_iter();
    let Some((_, names)) = records.next() else {
        return Err(Error::EmptyFile);
    };
    Ok((names, records.collect()))
}

/// Reads a monthly long table (`bytes`, any kind [`formats::sniff`] tells) against the summary
/// `table` it belongs to: every row checked, every customer's months summed and compared with its
/// summary (see the module doc).
///
/// # Errors
/// [`MonthlyError::Read`] when the file is no readable table, [`MonthlyError::MissingColumns`]
/// when its header names no customer, month or sales column (or no profit column while the
/// summary has a profit), [`MonthlyError::NoRows`] for a header alone.
#[cfg(feature = "table-files")]
pub fn read_monthly(
    bytes: &[u8],
    file_name: &str,
    table: &CustomerTable,
    hint: LanguageHint,
) -> std::result::Result<MonthlyReadBack, MonthlyError> {
    let (names, rows) = read_rows(bytes, hint)?;
    check_monthly(&names, rows, file_name, table)
}

/// [`read_monthly`] for a text file (CSV, TSV …) only: what the page runs itself, without the
/// table readers (a workbook or a Parquet file is read to rows by [`read_table_rows`] in the
/// analysis worker, then checked by [`check_monthly`]).
///
/// # Errors
/// As [`read_monthly`].
pub fn read_monthly_text(
    bytes: &[u8],
    file_name: &str,
    table: &CustomerTable,
    hint: LanguageHint,
) -> std::result::Result<MonthlyReadBack, MonthlyError> {
    let (names, rows) = read_text_rows(bytes, hint)?;
    check_monthly(&names, rows, file_name, table)
}

/// [`read_monthly_text`] of a text file already decoded (by the analysis worker, for a file in
/// a legacy encoding).
///
/// # Errors
/// As [`read_monthly`].
pub fn read_monthly_decoded(
    decoded: &DecodedText,
    file_name: &str,
    table: &CustomerTable,
) -> std::result::Result<MonthlyReadBack, MonthlyError> {
    let (names, rows) = text_rows(&decoded.text)?;
    check_monthly(&names, rows, file_name, table)
}

/// The checks of [`read_monthly`] on a table already read to its header `names` and `rows`.
///
/// # Errors
/// As [`read_monthly`], but for [`MonthlyError::Read`].
pub fn check_monthly(
    names: &[String],
    rows: Lines,
    file_name: &str,
    table: &CustomerTable,
) -> std::result::Result<MonthlyReadBack, MonthlyError> {
    let [customer, month, sales, profit] = find_columns(names);
    let profit_needed = table.columns.profit;
    let mut missing = Vec::new();
    for (column, found) in [
        (MonthlyColumn::Customer, customer),
        (MonthlyColumn::Month, month),
        (MonthlyColumn::Sales, sales),
        (
            MonthlyColumn::Profit,
            if profit_needed { profit } else { Some(0) },
        ),
    ] {
        if found.is_none() {
            missing.push(column);
        }
    }
    let (Some(customer), Some(month), Some(sales)) = (customer, month, sales) else {
        return Err(MonthlyError::MissingColumns(missing));
    };
    if !missing.is_empty() {
        return Err(MonthlyError::MissingColumns(missing));
    }
    let profit = profit.filter(|_| profit_needed);
    let column_name = |i: usize| {
        names
            .get(i)
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| default_column_name(i))
    };

    let index: FxHashMap<&str, usize> = table
        .customers
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let mut months: Vec<Vec<MonthTotal>> = vec![Vec::new(); table.customers.len()];
    let mut rejected = Vec::new();
    let mut rows_rejected = 0u64;
    let mut read = 0u64;
    for (line, cells) in &rows {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        read += 1;
        let cell = |i: usize| cells.get(i).map_or("", |c| c.trim());
        let reject = |column: usize, problem: RowProblem| RowError {
            line: *line,
            column: column_name(column),
            value: truncate_chars(cell(column), 80).to_string(),
            problem,
        };
        let checked = (|| {
            let id = cell(customer).trim_start_matches('\'');
            if id.is_empty() {
                return Err(reject(customer, RowProblem::Missing));
            }
            let Some(&slot) = index.get(id) else {
                return Err(reject(customer, RowProblem::UnknownCustomer));
            };
            let month_value = match cell(month) {
                "" => return Err(reject(month, RowProblem::Missing)),
                text => parse_month(text).ok_or_else(|| reject(month, RowProblem::NotAMonth))?,
            };
            let number = |column: usize| match cell(column) {
                "" => Err(reject(column, RowProblem::Missing)),
                text => parse_number(text, DecimalSeparator::Point)
                    .ok_or_else(|| reject(column, RowProblem::NotANumber)),
            };
            let sales_value = number(sales)?;
            let profit_value = match profit {
                Some(column) => number(column)?,
                None => 0.0,
            };
            Ok((slot, month_value, sales_value, profit_value))
        })();
        match checked {
            Ok((slot, month_value, sales_value, profit_value)) => {
                let Some(list) = months.get_mut(slot) else {
                    continue;
                };
                if list.iter().any(|m| m.month == month_value) {
                    rows_rejected += 1;
                    if rejected.len() < MAX_REJECTED_KEPT {
                        rejected.push(reject(month, RowProblem::DuplicateMonth));
                    }
                    continue;
                }
                list.push(MonthTotal {
                    month: month_value,
                    sales: sales_value,
                    profit: profit_value,
                });
            }
            Err(error) => {
                rows_rejected += 1;
                if rejected.len() < MAX_REJECTED_KEPT {
                    rejected.push(error);
                }
            }
        }
    }
    if read == 0 {
        return Err(MonthlyError::NoRows);
    }

    let off = |a: f64, b: f64| (a - b).abs() > TOLERANCE.max(1e-9 * a.abs().max(b.abs()));
    let mut mismatches = Vec::new();
    for (customer, list) in table.customers.iter().zip(months.iter_mut()) {
        list.sort_unstable_by_key(|m| m.month);
        let sales_sum: f64 = list.iter().map(|m| m.sales).sum();
        let profit_sum: f64 = list.iter().map(|m| m.profit).sum();
        if off(customer.sales, sales_sum) {
            mismatches.push(SalesMismatch {
                customer: customer.id.to_string(),
                summary: customer.sales,
                months: sales_sum,
                profit: false,
            });
        } else if profit.is_some() && off(customer.profit, profit_sum) {
            mismatches.push(SalesMismatch {
                customer: customer.id.to_string(),
                summary: customer.profit,
                months: profit_sum,
                profit: true,
            });
        }
    }
    Ok(MonthlyReadBack {
        file_name: file_name.to_string(),
        rows: read,
        rejected,
        rows_rejected,
        mismatches,
        customers: months.iter().filter(|m| !m.is_empty()).count(),
        months,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::customers::{Columns, Customer};

    fn summary() -> CustomerTable {
        let customer = |id: &str, sales: f64, profit: f64| Customer {
            id: id.into(),
            sales,
            profit,
            orders: 1,
            rows: 1,
            ..Default::default()
        };
        CustomerTable {
            customers: vec![customer("c1", 30.0, 3.0), customer("c2", 5.5, 1.0)],
            columns: Columns {
                order: true,
                date: true,
                profit: true,
                quantity: false,
            },
        }
    }

    #[test]
    fn a_table_that_adds_up_gives_every_customer_its_months() {
        let csv = "客户,月份,销售额,利润\nc2,2024-03,5.5,1\nc1,2024-01-01,10,1\nc1,2024-03,20,2\n";
        let read = read_monthly(csv.as_bytes(), "m.csv", &summary(), LanguageHint::Other).unwrap();
        assert!(read.accepted(), "{read:?}");
        assert_eq!((read.rows, read.customers), (3, 2));
        let table = read.apply(&summary()).unwrap();
        let months: Vec<Vec<(i32, f64)>> = table
            .customers
            .iter()
            .map(|c| {
                c.months
                    .iter()
                    .map(|m| (m.month.index(), m.sales))
                    .collect()
            })
            .collect();
        let m = |month: i32| 2024 * 12 + month - 1;
        assert_eq!(
            months,
            [vec![(m(1), 10.0), (m(3), 20.0)], vec![(m(3), 5.5)]]
        );
    }

    #[test]
    fn every_bad_row_is_named_and_nothing_is_applied() {
        let csv = "customer_id,month,sales,profit\n\
                   c1,2024-01,10,1\n\
                   c9,2024-01,1,0\n\
                   c1,2024-13,1,0\n\
                   c1,2024-02,N/A,0\n\
                   c1,2024-01,5,0\n\
                   ,2024-01,5,0\n\
                   c2,2024-03,5.5,\n";
        let read = read_monthly(csv.as_bytes(), "m.csv", &summary(), LanguageHint::Other).unwrap();
        let found: Vec<(u64, &str, RowProblem)> = read
            .rejected
            .iter()
            .map(|e| (e.line, e.column.as_str(), e.problem))
            .collect();
        assert_eq!(
            found,
            [
                (3, "customer_id", RowProblem::UnknownCustomer),
                (4, "month", RowProblem::NotAMonth),
                (5, "sales", RowProblem::NotANumber),
                (6, "month", RowProblem::DuplicateMonth),
                (7, "customer_id", RowProblem::Missing),
                (8, "profit", RowProblem::Missing),
            ]
        );
        assert_eq!(read.rows_rejected, 6);
        assert!(!read.accepted());
        assert_eq!(read.apply(&summary()), None);
    }

    #[test]
    fn sums_that_differ_from_the_summary_are_mismatches() {
        let csv =
            "customer,month,sales,profit\nc1,2024-01,10,1\nc1,2024-02,19,2\nc2,2024-01,5.5,0.5\n";
        let read = read_monthly(csv.as_bytes(), "m.csv", &summary(), LanguageHint::Other).unwrap();
        assert_eq!(read.rows_rejected, 0);
        assert_eq!(
            read.mismatches,
            [
                SalesMismatch {
                    customer: "c1".into(),
                    summary: 30.0,
                    months: 29.0,
                    profit: false
                },
                SalesMismatch {
                    customer: "c2".into(),
                    summary: 1.0,
                    months: 0.5,
                    profit: true
                },
            ]
        );
        assert!(!read.accepted());
    }

    #[test]
    fn a_table_without_the_needed_columns_is_refused() {
        let read =
            |csv: &str| read_monthly(csv.as_bytes(), "m.csv", &summary(), LanguageHint::Other);
        assert_eq!(
            read("customer,sales\nc1,30\n"),
            Err(MonthlyError::MissingColumns(vec![
                MonthlyColumn::Month,
                MonthlyColumn::Profit
            ]))
        );
        assert_eq!(
            read("customer,month,sales,profit\n"),
            Err(MonthlyError::NoRows)
        );
        assert_eq!(read(""), Err(MonthlyError::Read(Error::EmptyFile)));
    }
}
