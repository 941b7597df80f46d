//! The decile CSV documents (导出).

use super::*;

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

/// One group's customers as CSV (via [`csv_document`]: BOM, CRLF, quoting, and formula
/// injection neutralised, so an id like `=cmd` is written `'=cmd`).
///
/// Columns: customer, orders, sales, [profit, margin] with a profit column, average order value,
/// [first, last purchase] with a date column, and for the declining group the previous and
/// latest period sales and the change. Money has at most 2 decimals, margin and change are
/// fractions with at most 4 (−0.35 = down 35 %); an undefined margin or change is an empty
/// cell. Rows follow the group's order.
pub fn group_csv(
    table: &CustomerTable,
    groups: &Groups,
    kind: GroupKind,
    labels: &GroupCsvLabels<'_>,
) -> String {
    let columns = table.columns;
    let periods = groups.periods.filter(|_| kind == GroupKind::Declining);
    let mut header = vec![labels.customer, labels.orders, labels.sales];
    if columns.profit {
        header.extend([labels.profit, labels.margin]);
    }
    header.push(labels.average_order_value);
    if columns.date {
        header.extend([labels.first_purchase, labels.last_purchase]);
    }
    if periods.is_some() {
        header.extend([labels.previous_sales, labels.latest_sales, labels.change]);
    }
    let optional =
        |value: Option<f64>, decimals| value.map_or("".into(), |v| number_cell(v, decimals));
    let day =
        |day: Option<Day>| -> Cow<'static, str> { day.map_or(String::new(), format_day).into() };
    let rows = groups
        .members(kind)
        .iter()
        .filter_map(|&i| table.customers.get(i))
        .map(|customer| {
            let mut cells: Vec<Cow<'_, str>> = vec![
                customer.id.as_str().into(),
                customer.orders.to_string().into(),
                number_cell(customer.sales, 2),
            ];
            if columns.profit {
                cells.push(number_cell(customer.profit, 2));
                let margin = (customer.sales.abs() >= AMOUNT_TOLERANCE)
                    .then(|| customer.profit / customer.sales);
                cells.push(optional(margin, 4));
            }
            cells.push(number_cell(customer.average_order_value(), 2));
            if columns.date {
                cells.push(day(customer.first));
                cells.push(day(customer.last));
            }
            if let Some(periods) = &periods {
                let sales = period_sales(customer, periods);
                cells.push(number_cell(sales.previous_sales, 2));
                cells.push(number_cell(sales.latest_sales, 2));
                cells.push(optional(sales.change(), 4));
            }
            cells
        });
    csv_document(&header, rows)
}
