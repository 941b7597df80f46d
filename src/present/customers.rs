//! Customers as shown (客户汇总): the columns of the customer table, a row's cells, the pager's
//! line, and the one customer CSV — of the whole table or of a decile group, with the compared
//! periods for the declining group. The cells are [`crate::engine::export::customer_cells`];
//! the header words are here.

use super::{sentence, Csv};
use crate::engine::calendar::Day;
use crate::engine::customers::{Columns, Customer, CustomerTable};
use crate::engine::deciles::{PeriodSums, Periods};
use crate::engine::export::{customer_cells, customer_columns, CustomerColumn};
use crate::engine::table::{SortKey, TablePage};
use crate::i18n::{format_date, format_money, format_number, Lang, Text};

/// The header of a customer export column.
pub fn column_text(column: CustomerColumn) -> Text {
    match column {
        CustomerColumn::Customer => Text::CustomerId,
        CustomerColumn::Orders => Text::Orders,
        CustomerColumn::Sales => Text::Sales,
        CustomerColumn::Profit => Text::Profit,
        CustomerColumn::Margin => Text::Margin,
        CustomerColumn::AverageOrderValue => Text::AverageOrderValue,
        CustomerColumn::FirstPurchase => Text::FirstPurchase,
        CustomerColumn::LastPurchase => Text::LastPurchase,
        CustomerColumn::PreviousSales => Text::PreviousPeriodSales,
        CustomerColumn::LatestSales => Text::LatestPeriodSales,
        CustomerColumn::Change => Text::PeriodChange,
    }
}

/// The customers at `rows` (indices into `table.customers`, in this order; out-of-range ones
/// skipped) as the CSV file `file`: the columns of [`customer_columns`], with the period columns
/// when `periods` is given.
pub fn customers_csv(
    file: impl Into<String>,
    table: &CustomerTable,
    rows: &[usize],
    periods: Option<&Periods>,
    lang: Lang,
) -> Csv {
    let columns = customer_columns(table.columns, periods.is_some());
    let sums = periods.map(PeriodSums::new);
    Csv {
        file: file.into(),
        header: columns
            .iter()
            .map(|&c| column_text(c).get(lang).to_string())
            .collect(),
        rows: rows
            .iter()
            .filter_map(|&i| table.customers.get(i))
            .map(|c| {
                customer_cells(c, &columns, sums.as_ref())
                    .into_iter()
                    .map(|cell| cell.into_owned())
                    .collect()
            })
            .collect(),
    }
}

/// A column of the on-screen customer table: what it sorts by, its header, whether it holds
/// numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableColumn {
    /// The sort key (`data-sort`).
    pub sort: SortKey,
    /// The header.
    pub text: Text,
    /// Right-aligned numbers.
    pub numeric: bool,
}

/// The columns of the customer table: customer, orders, sales, [profit], [first and last
/// purchase].
pub fn table_columns(columns: Columns) -> Vec<TableColumn> {
    let column = |sort, text, numeric| TableColumn {
        sort,
        text,
        numeric,
    };
    let mut out = vec![
        column(SortKey::Id, Text::CustomerId, false),
        column(SortKey::Orders, Text::Orders, true),
        column(SortKey::Sales, Text::Sales, true),
    ];
    if columns.profit {
        out.push(column(SortKey::Profit, Text::Profit, true));
    }
    if columns.date {
        out.push(column(SortKey::First, Text::FirstPurchase, false));
        out.push(column(SortKey::Last, Text::LastPurchase, false));
    }
    out
}

/// A customer's cells in the columns of [`table_columns`]; the first is the id as written in
/// the file (the view cuts and isolates it), an unknown date is "–".
pub fn row_cells(customer: &Customer, columns: Columns, lang: Lang) -> Vec<String> {
    let date = |d: Option<Day>| {
        d.map(|d| format_date(d, lang))
            .unwrap_or_else(|| "–".into())
    };
    let mut cells = vec![
        customer.id.to_string(),
        format_number(customer.orders as f64, 0),
        format_money(customer.sales),
    ];
    if columns.profit {
        cells.push(format_money(customer.profit));
    }
    if columns.date {
        cells.push(date(customer.first));
        cells.push(date(customer.last));
    }
    cells
}

/// The pager's line: page, pages and matching customers.
pub fn page_status(page: &TablePage, lang: Lang) -> String {
    sentence(
        Text::PageStatus.get(lang),
        &[
            (page.page + 1).to_string(),
            page.pages.to_string(),
            format_number(page.matches as f64, 0),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::calendar::Month;
    use crate::engine::customers::MonthTotal;

    fn table() -> CustomerTable {
        let customer = |id: &str, sales: f64, profit: f64, orders: u32| Customer {
            id: id.into(),
            sales,
            profit,
            orders,
            first: Some(Day::from_epoch_days(19_727)),
            last: Some(Day::from_epoch_days(19_800)),
            months: vec![MonthTotal {
                month: Month::from_index(2024 * 12),
                sales,
                profit,
            }]
            .into(),
            ..Default::default()
        };
        CustomerTable {
            customers: vec![
                customer("=cmd", 100.0, 25.0, 4),
                customer("b", 50.0, 5.0, 1),
            ],
            columns: Columns {
                order: true,
                date: true,
                profit: true,
                quantity: false,
            },
        }
    }

    #[test]
    fn one_customer_csv_in_both_languages() {
        let table = table();
        for (lang, first) in [(Lang::Zh, "客户"), (Lang::En, "Customer")] {
            let csv = customers_csv("customers", &table, &[1, 0, 7], None, lang);
            assert_eq!(csv.header.len(), 8, "{lang:?}");
            assert_eq!(csv.header[0], first);
            assert_eq!(csv.header[4], Text::Margin.get(lang));
            assert_eq!(
                csv.rows,
                vec![
                    vec!["b", "1", "50", "5", "0.1", "50", "2024-01-05", "2024-03-18"],
                    vec![
                        "=cmd",
                        "4",
                        "100",
                        "25",
                        "0.25",
                        "25",
                        "2024-01-05",
                        "2024-03-18"
                    ],
                ]
            );
            assert!(csv.document().contains("'=cmd"));
        }
        let plain = CustomerTable {
            columns: Columns::default(),
            ..table
        };
        let csv = customers_csv("x", &plain, &[0], None, Lang::En);
        assert_eq!(
            csv.header,
            ["Customer", "Orders", "Sales", "Average order value"]
        );
    }

    #[test]
    fn table_rows_and_the_pager_in_both_languages() {
        let table = table();
        let columns = table_columns(table.columns);
        assert_eq!(columns.len(), 6);
        let cells = row_cells(&table.customers[0], table.columns, Lang::Zh);
        assert_eq!(cells.len(), columns.len());
        assert_eq!(cells[2], "100.00");
        assert_eq!(cells[4], "2024年1月5日");
        let page = TablePage {
            rows: vec![0],
            matches: 1234,
            pages: 50,
            page: 1,
        };
        assert_eq!(
            page_status(&page, Lang::En),
            "Page 2 of 50 · 1,234 customers"
        );
        assert_eq!(page_status(&page, Lang::Zh), "第 2 / 50 页 · 1,234 位客户");
    }
}
