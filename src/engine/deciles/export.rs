//! The decile CSV documents (导出).

use super::*;
use crate::engine::export::{customer_cells, customer_columns, CustomerColumn};

/// Column headers of a group's CSV, in the UI's language ([`group_csv`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupCsvLabels<'a> {
    /// Customer id.
    pub customer: &'a str,
    /// Orders.
    pub orders: &'a str,
    /// Net sales.
    pub sales: &'a str,
    /// Net profit (only with a profit column).
    pub profit: &'a str,
    /// Margin, profit / sales (only with a profit column).
    pub margin: &'a str,
    /// Average order value.
    pub average_order_value: &'a str,
    /// First purchase (only with a date column).
    pub first_purchase: &'a str,
    /// Last purchase (only with a date column).
    pub last_purchase: &'a str,
    /// Sales in the previous period (declining only).
    pub previous_sales: &'a str,
    /// Sales in the latest period (declining only).
    pub latest_sales: &'a str,
    /// Change from the previous to the latest period (declining only).
    pub change: &'a str,
}

impl Default for GroupCsvLabels<'static> {
    fn default() -> Self {
        GroupCsvLabels {
            customer: "customer",
            orders: "orders",
            sales: "sales",
            profit: "profit",
            margin: "margin",
            average_order_value: "average order value",
            first_purchase: "first purchase",
            last_purchase: "last purchase",
            previous_sales: "previous period sales",
            latest_sales: "latest period sales",
            change: "change",
        }
    }
}

impl GroupCsvLabels<'_> {
    /// The header of `column`.
    pub fn of(&self, column: CustomerColumn) -> &str {
        match column {
            CustomerColumn::Customer => self.customer,
            CustomerColumn::Orders => self.orders,
            CustomerColumn::Sales => self.sales,
            CustomerColumn::Profit => self.profit,
            CustomerColumn::Margin => self.margin,
            CustomerColumn::AverageOrderValue => self.average_order_value,
            CustomerColumn::FirstPurchase => self.first_purchase,
            CustomerColumn::LastPurchase => self.last_purchase,
            CustomerColumn::PreviousSales => self.previous_sales,
            CustomerColumn::LatestSales => self.latest_sales,
            CustomerColumn::Change => self.change,
        }
    }
}

/// The periods a group's export shows: the compared periods for the declining group, none for
/// the others.
pub fn group_periods(groups: &Groups, kind: GroupKind) -> Option<&Periods> {
    groups
        .periods
        .as_ref()
        .filter(|_| kind == GroupKind::Declining)
}

/// One group's customers as CSV, the header words from `labels` (via [`csv_document`]: BOM,
/// CRLF, quoting, and formula injection neutralised, so an id like `=cmd` is written `'=cmd`).
/// The UI's CSV is `crate::present::deciles::group_csv`: the same cells, the header in the UI's
/// language.
///
/// The columns are [`customer_columns`] (customer, orders, sales, [profit, margin] with a profit
/// column, average order value, [first, last purchase] with a date column, and for the declining
/// group the previous and latest period sales and the change), each cell as
/// [`customer_cells`] writes it: money has at most 2 decimals, margin and change are fractions
/// with at most 4 (−0.35 = down 35 %); an undefined margin or change is an empty cell. Rows
/// follow the group's order.
pub fn group_csv(
    table: &CustomerTable,
    groups: &Groups,
    kind: GroupKind,
    labels: &GroupCsvLabels<'_>,
) -> String {
    let periods = group_periods(groups, kind);
    let columns = customer_columns(table.columns, periods.is_some());
    let sums = periods.map(PeriodSums::new);
    let header: Vec<&str> = columns.iter().map(|&c| labels.of(c)).collect();
    let rows = groups
        .members(kind)
        .iter()
        .filter_map(|&i| table.customers.get(i))
        .map(|customer| customer_cells(customer, &columns, sums.as_ref()));
    csv_document(&header, rows)
}
