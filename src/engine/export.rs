//! Export (导出): CSV text that Excel opens correctly and safely.
//!
//! UTF-8 with a byte-order mark (so Excel on Chinese Windows shows Chinese), CRLF line ends,
//! quoting per RFC 4180, and every text cell that starts with `=`, `+`, `-`, `@`, tab, CR or LF
//! prefixed with `'` so no spreadsheet runs it as a formula. Real numbers such as `-12.5` are
//! left as numbers. Multi-line cells are checked on their first character, like any other.
//!
//! [`customer_columns`] and [`customer_cells`] are the one definition of a customer export (the
//! customer table's and a decile group's); the header words are the caller's.

use std::borrow::Cow;

use super::calendar::Day;
use super::customers::{Columns, Customer};
use super::deciles::PeriodSums;
use super::numeric::ratio;

/// The UTF-8 byte-order mark, as text.
pub const BOM: &str = "\u{feff}";

fn is_plain_number(cell: &str) -> bool {
    !cell.is_empty()
        && cell
            .bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
        && cell.parse::<f64>().is_ok_and(f64::is_finite)
}

/// Neutralises a text cell against formula injection; numbers pass unchanged.
///
/// # Examples
/// ```
/// use valuelens::engine::export::neutralize;
/// assert_eq!(neutralize("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(neutralize("-12.5"), "-12.5");
/// assert_eq!(neutralize("@SUM(A1)\nnote"), "'@SUM(A1)\nnote");
/// ```
pub fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n') if !is_plain_number(cell) => {
            format!("'{cell}").into()
        }
        _ => cell.into(),
    }
}

/// Quotes a cell when it holds a delimiter, quote or line break.
pub fn quote(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\"")).into()
    } else {
        cell.into()
    }
}

/// Builds a CSV file: BOM, header, rows; every cell neutralised and quoted.
pub fn csv_document<'a, R, C>(header: &[&str], rows: R) -> String
where
    R: IntoIterator<Item = C>,
    C: IntoIterator<Item = std::borrow::Cow<'a, str>>,
{
    let mut out = String::from(BOM);
    let write_row =
        |out: &mut String, cells: &mut dyn Iterator<Item = std::borrow::Cow<'a, str>>| {
            let mut first = true;
            for cell in cells {
                if !first {
                    out.push(',');
                }
                first = false;
                out.push_str(&quote(&neutralize(&cell)));
            }
            out.push_str("\r\n");
        };
    write_row(
        &mut out,
        &mut header
            .iter()
            .map(|h| std::borrow::Cow::Owned(h.to_string())),
    );
    for row in rows {
        write_row(&mut out, &mut row.into_iter());
    }
    out
}

/// Formats a number for CSV: plain digits, `.` decimal, no grouping, at most `decimals` places.
pub fn number_cell(value: f64, decimals: usize) -> std::borrow::Cow<'static, str> {
    if !value.is_finite() {
        return "".into();
    }
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    if text == "-0" {
        "0".into()
    } else {
        text.into()
    }
}

/// A column of a customer export: the customer table's download and a decile group's
/// ([`customer_columns`], [`customer_cells`]). The words of the header are the caller's
/// (`crate::present::customers` in the UI language).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CustomerColumn {
    /// Customer id as written in the file.
    Customer,
    /// Orders.
    Orders,
    /// Net sales (at most 2 decimals).
    Sales,
    /// Net profit (at most 2 decimals).
    Profit,
    /// Profit / sales as a fraction (at most 4 decimals); empty when the sales are zero by the
    /// zero rule ([`ratio`]).
    Margin,
    /// Sales / orders (at most 2 decimals).
    AverageOrderValue,
    /// First purchase day, `YYYY-MM-DD`; empty when unknown.
    FirstPurchase,
    /// Last purchase day, `YYYY-MM-DD`; empty when unknown.
    LastPurchase,
    /// Net sales in the previous of the two compared periods (declining group).
    PreviousSales,
    /// Net sales in the latest period.
    LatestSales,
    /// Change from the previous to the latest period as a fraction (−0.35 = down 35 %, at most
    /// 4 decimals); empty when the previous period's sales are not positive.
    Change,
}

/// The columns of a customer export: customer, orders, sales, [profit, margin] with a profit
/// column, average order value, [first, last purchase] with a date column, and with `periods`
/// the previous and latest period sales and the change.
pub fn customer_columns(columns: Columns, periods: bool) -> Vec<CustomerColumn> {
    use CustomerColumn::*;
    let mut out = vec![Customer, Orders, Sales];
    if columns.profit {
        out.extend([Profit, Margin]);
    }
    out.push(AverageOrderValue);
    if columns.date {
        out.extend([FirstPurchase, LastPurchase]);
    }
    if periods {
        out.extend([PreviousSales, LatestSales, Change]);
    }
    out
}

/// One customer's cells in `columns` (see [`CustomerColumn`] for each cell's format). The period
/// columns are empty without `periods`.
pub fn customer_cells<'a>(
    customer: &'a Customer,
    columns: &[CustomerColumn],
    periods: Option<&PeriodSums<'_>>,
) -> Vec<Cow<'a, str>> {
    let optional =
        |value: Option<f64>, decimals| value.map_or("".into(), |v| number_cell(v, decimals));
    let day = |day: Option<Day>| -> Cow<'a, str> { day.map_or(String::new(), Day::iso).into() };
    let sales = periods.map(|p| p.of(customer));
    columns
        .iter()
        .map(|column| match column {
            CustomerColumn::Customer => customer.id.as_str().into(),
            CustomerColumn::Orders => customer.orders.to_string().into(),
            CustomerColumn::Sales => number_cell(customer.sales, 2),
            CustomerColumn::Profit => number_cell(customer.profit, 2),
            CustomerColumn::Margin => optional(ratio(customer.profit, customer.sales), 4),
            CustomerColumn::AverageOrderValue => number_cell(customer.average_order_value(), 2),
            CustomerColumn::FirstPurchase => day(customer.first),
            CustomerColumn::LastPurchase => day(customer.last),
            CustomerColumn::PreviousSales => optional(sales.map(|s| s.previous_sales), 2),
            CustomerColumn::LatestSales => optional(sales.map(|s| s.latest_sales), 2),
            CustomerColumn::Change => optional(sales.and_then(|s| s.change()), 4),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_injection_is_neutralised_and_numbers_stay_numbers() {
        let cases = [
            ("=1+1", "'=1+1"),
            ("+1", "+1"),
            ("+cmd", "'+cmd"),
            ("-12.5", "-12.5"),
            ("-1e3", "-1e3"),
            ("-x", "'-x"),
            ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("=1+1\nnote", "'=1+1\nnote"),
            ("张三", "张三"),
            ("", ""),
        ];
        for (cell, expected) in cases {
            assert_eq!(neutralize(cell), expected, "cell {cell:?}");
        }
    }

    #[test]
    fn documents_have_bom_crlf_and_quotes() {
        let rows = vec![
            vec!["a,b".into(), "say \"hi\"".into(), "multi\nline".into()],
            vec![number_cell(-12.5, 2), "=x".into(), "".into()],
        ];
        let text = csv_document(&["客户", "note", "n"], rows);
        assert_eq!(
            text,
            "\u{feff}客户,note,n\r\n\"a,b\",\"say \"\"hi\"\"\",\"multi\nline\"\r\n-12.5,'=x,\r\n"
        );
    }

    #[test]
    fn number_cells() {
        assert_eq!(number_cell(1234.5, 2), "1234.5");
        assert_eq!(number_cell(-0.001, 2), "0");
        assert_eq!(number_cell(3.0, 2), "3");
        assert_eq!(number_cell(f64::NAN, 2), "");
    }
}
