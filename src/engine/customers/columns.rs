//! Customers column by column (按列的客户表): the one shape in which customers travel and are
//! stored — the worker's hand-off to the page (`protocol::handoff`), the second half of a split
//! import ([`super::AggregatePart`]) and the workspace file
//! ([`crate::engine::workspace::WorkspaceData`]). The engine itself works on rows
//! ([`Customer`]); a [`CustomerColumns`] is built from rows and turns back into them.
//!
//! One `Vec` per field, so that a column is one bulk copy (into a typed array, a JSON array or
//! a postcard sequence) and the JSON of a workspace keeps one array per field. Months are
//! concatenated: `month_counts[i]` months belong to customer `i`, in order. A missing first or
//! last day is [`NO_DAY`].

use serde::{Deserialize, Serialize};

use super::{Columns, CompactString, Customer, CustomerTable, MonthTotal, Months};
use crate::engine::calendar::{Day, Month, NO_DAY};
use crate::engine::error::FormatProblem;

/// Customers stored column by column (the field names are the workspace file's JSON keys).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerColumns {
    /// Which optional columns the data had.
    pub columns: Columns,
    /// Ids (any text, so one string each).
    pub ids: Vec<CompactString>,
    /// Rows per customer.
    pub rows: Vec<u32>,
    /// Orders per customer.
    pub orders: Vec<u32>,
    /// Return rows per customer.
    pub returns: Vec<u32>,
    /// Net sales.
    pub sales: Vec<f64>,
    /// Net profit.
    pub profit: Vec<f64>,
    /// Quantity.
    pub quantity: Vec<f64>,
    /// First day, [`NO_DAY`] for none.
    pub first: Vec<Day>,
    /// Last day, [`NO_DAY`] for none.
    pub last: Vec<Day>,
    /// Number of month buckets per customer.
    pub month_counts: Vec<u32>,
    /// Month indexes of all customers, concatenated.
    pub months: Vec<Month>,
    /// Month sales, concatenated.
    pub month_sales: Vec<f64>,
    /// Month profit, concatenated.
    pub month_profit: Vec<f64>,
}

impl CustomerColumns {
    /// Empty columns for `capacity` customers built from data with `columns`.
    pub fn with_capacity(columns: Columns, capacity: usize) -> Self {
        CustomerColumns {
            columns,
            ids: Vec::with_capacity(capacity),
            rows: Vec::with_capacity(capacity),
            orders: Vec::with_capacity(capacity),
            returns: Vec::with_capacity(capacity),
            sales: Vec::with_capacity(capacity),
            profit: Vec::with_capacity(capacity),
            quantity: Vec::with_capacity(capacity),
            first: Vec::with_capacity(capacity),
            last: Vec::with_capacity(capacity),
            month_counts: Vec::with_capacity(capacity),
            ..CustomerColumns::default()
        }
    }

    /// The columns of `customers` (built from data with `columns`).
    pub fn from_customers(columns: Columns, customers: &[Customer]) -> Self {
        let mut out = CustomerColumns::with_capacity(columns, customers.len());
        out.extend_from(customers);
        out
    }

    /// Appends copies of `customers`, in order.
    pub fn extend_from(&mut self, customers: &[Customer]) {
        // Room for the kept months (those read from purchase days are not counted first: that
        // would read every day twice).
        let months: usize = customers
            .iter()
            .map(|c| match &c.months {
                Months::Kept(kept) => kept.len(),
                Months::Days { .. } => 0,
            })
            .sum();
        self.months.reserve(months);
        self.month_sales.reserve(months);
        self.month_profit.reserve(months);
        customers.iter().for_each(|c| self.push_ref(c));
    }

    /// Splits a table into columns.
    pub fn from_table(table: &CustomerTable) -> Self {
        CustomerColumns::from_customers(table.columns, &table.customers)
    }

    /// Appends one customer.
    pub fn push(&mut self, customer: Customer) {
        self.push_figures(&customer);
        self.ids.push(customer.id);
    }

    /// Appends a copy of one customer.
    fn push_ref(&mut self, customer: &Customer) {
        self.push_figures(customer);
        self.ids.push(customer.id.clone());
    }

    /// Everything of `c` but its id.
    pub(super) fn push_figures(&mut self, c: &Customer) {
        self.rows.push(c.rows);
        self.orders.push(c.orders);
        self.returns.push(c.returns);
        self.sales.push(c.sales);
        self.profit.push(c.profit);
        self.quantity.push(c.quantity);
        self.first.push(c.first.unwrap_or(NO_DAY));
        self.last.push(c.last.unwrap_or(NO_DAY));
        // Counted as they are pushed: months read from purchase days are read once.
        let mut count = 0u32;
        for m in &c.months {
            self.months.push(m.month);
            self.month_sales.push(m.sales);
            self.month_profit.push(m.profit);
            count = count.saturating_add(1);
        }
        self.month_counts.push(count);
    }

    /// Number of customers (the length of `ids`).
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True without customers.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// True when every per-customer column has one value per id (the months are not looked at).
    pub fn customer_lengths_agree(&self) -> bool {
        let n = self.ids.len();
        [
            self.rows.len(),
            self.orders.len(),
            self.returns.len(),
            self.sales.len(),
            self.profit.len(),
            self.quantity.len(),
            self.first.len(),
            self.last.len(),
            self.month_counts.len(),
        ]
        .iter()
        .all(|&l| l == n)
    }

    /// The number of months the counts add up to, when the three month columns have exactly
    /// that many values; `None` otherwise. Checked: in wasm a plain `usize` sum of a hostile
    /// file's `u32` counts could wrap round to the number of months there are.
    pub fn month_total(&self) -> Option<usize> {
        let total = self
            .month_counts
            .iter()
            .try_fold(0usize, |sum, &m| sum.checked_add(m as usize))?;
        let lengths = [
            self.months.len(),
            self.month_sales.len(),
            self.month_profit.len(),
        ];
        lengths.iter().all(|&l| l == total).then_some(total)
    }

    /// The customers as rows, in order, built one at a time as the iterator is read (the
    /// columns are consumed: no second copy of all customers is held).
    ///
    /// # Errors
    /// [`FormatProblem::ColumnLengths`] when the columns disagree in length (nothing is built).
    pub fn into_rows(self) -> Result<impl Iterator<Item = Customer>, FormatProblem> {
        if !self.customer_lengths_agree() || self.month_total().is_none() {
            return Err(FormatProblem::ColumnLengths);
        }
        let CustomerColumns {
            ids,
            rows,
            orders,
            returns,
            sales,
            profit,
            quantity,
            first,
            last,
            month_counts,
            months,
            month_sales,
            month_profit,
            ..
        } = self;
        let day = |d: Day| (d != NO_DAY).then_some(d);
        let mut offset = 0usize;
        // The lengths are checked: every index below is in range.
        Ok(ids.into_iter().enumerate().map(move |(i, id)| {
            let count = month_counts[i] as usize;
            let customer_months = (offset..offset + count)
                .map(|j| MonthTotal {
                    month: months[j],
                    sales: month_sales[j],
                    profit: month_profit[j],
                })
                .collect();
            offset += count;
            Customer {
                id,
                rows: rows[i],
                orders: orders[i],
                returns: returns[i],
                sales: sales[i],
                profit: profit[i],
                quantity: quantity[i],
                first: day(first[i]),
                last: day(last[i]),
                months: customer_months,
            }
        }))
    }

    /// The customers as rows, in order.
    ///
    /// # Errors
    /// [`FormatProblem::ColumnLengths`] when the columns disagree in length (nothing is built).
    pub fn into_customers(self) -> Result<Vec<Customer>, FormatProblem> {
        Ok(self.into_rows()?.collect())
    }

    /// Appends the customers as rows to `out`, in order.
    ///
    /// # Errors
    /// [`FormatProblem::ColumnLengths`] when the columns disagree in length (nothing is added).
    pub fn append_customers_to(self, out: &mut Vec<Customer>) -> Result<(), FormatProblem> {
        out.reserve(self.len());
        out.extend(self.into_rows()?);
        Ok(())
    }

    /// Empties every column, keeping the memory (for the next slice).
    pub fn clear(&mut self) {
        let CustomerColumns {
            columns: _,
            ids,
            rows,
            orders,
            returns,
            sales,
            profit,
            quantity,
            first,
            last,
            month_counts,
            months,
            month_sales,
            month_profit,
        } = self;
        ids.clear();
        [rows, orders, returns, month_counts]
            .into_iter()
            .for_each(Vec::clear);
        [sales, profit, quantity, month_sales, month_profit]
            .into_iter()
            .for_each(Vec::clear);
        [first, last].into_iter().for_each(Vec::clear);
        months.clear();
    }

    /// Rebuilds the table.
    ///
    /// # Errors
    /// [`FormatProblem::ColumnLengths`] when the columns disagree in length.
    pub fn into_table(self) -> Result<CustomerTable, FormatProblem> {
        let columns = self.columns;
        Ok(CustomerTable {
            customers: self.into_customers()?,
            columns,
        })
    }
}

/// Customers as the import worker hands them over ([`super::Aggregator::finish_flat`]): the
/// columns of a [`CustomerColumns`] with the ids in one string instead of one `String` each, so
/// that finishing a million customers allocates a few vectors, not two blocks per customer
/// that the frame ([`crate::protocol::handoff`]) copies and frees right after.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FlatCustomers {
    /// Every column but `ids`, which is empty.
    pub figures: CustomerColumns,
    /// The ids, one after the other.
    pub id_text: String,
    /// Where each id ends in `id_text` (it starts where the one before ends).
    pub id_ends: Vec<usize>,
    /// The monthly series of the customers' months, when their finish summed it as it read
    /// their purchase days ([`super::Aggregator::finish_flat`], which keeps no months).
    pub monthly: Option<Vec<crate::engine::monthly::MonthlySales>>,
}

impl FlatCustomers {
    /// Number of customers.
    pub fn len(&self) -> usize {
        self.id_ends.len()
    }

    /// True without customers.
    pub fn is_empty(&self) -> bool {
        self.id_ends.is_empty()
    }

    /// The id of customer `index` (empty past the end).
    pub fn id(&self, index: usize) -> &str {
        let start = match index {
            0 => 0,
            _ => self.id_ends.get(index - 1).copied().unwrap_or(0),
        };
        let end = self.id_ends.get(index).copied().unwrap_or(start);
        self.id_text.get(start..end).unwrap_or_default()
    }

    /// Appends one id.
    pub(crate) fn push_id(&mut self, id: &str) {
        self.id_text.push_str(id);
        self.id_ends.push(self.id_text.len());
    }

    /// The customers of `table`, flat.
    pub fn from_table(table: CustomerTable) -> Self {
        let mut figures = CustomerColumns::from_table(&table);
        let ids = std::mem::take(&mut figures.ids);
        let mut flat = FlatCustomers {
            figures,
            ..FlatCustomers::default()
        };
        ids.iter().for_each(|id| flat.push_id(id));
        flat
    }

    /// The customers as a table again.
    ///
    /// # Errors
    /// [`FormatProblem::ColumnLengths`] when the columns disagree in length.
    pub fn into_table(self) -> Result<CustomerTable, FormatProblem> {
        let ids = (0..self.len())
            .map(|i| CompactString::from(self.id(i)))
            .collect();
        CustomerColumns {
            ids,
            ..self.figures
        }
        .into_table()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ingest::{import_bytes, InspectOptions};
    use crate::engine::sample::{sample_csv, SampleLanguage};

    #[test]
    fn rows_to_columns_and_back() {
        let csv = sample_csv(SampleLanguage::Chinese);
        let table = import_bytes(csv.as_bytes(), &InspectOptions::default())
            .unwrap()
            .table;
        let columns = CustomerColumns::from_table(&table);
        assert_eq!(columns.len(), table.customers.len());
        assert_eq!(columns.month_total(), Some(columns.months.len()));
        let mut pushed = CustomerColumns::with_capacity(table.columns, 0);
        table.customers.iter().cloned().for_each(|c| pushed.push(c));
        assert_eq!(pushed, columns);
        assert_eq!(columns.into_table().unwrap(), table);
    }

    #[test]
    fn disagreeing_lengths_are_refused() {
        let one = Customer {
            id: "a".into(),
            rows: 1,
            orders: 1,
            months: vec![MonthTotal {
                month: Month::from_index(3),
                sales: 1.0,
                profit: 0.0,
            }]
            .into(),
            ..Customer::default()
        };
        let whole = CustomerColumns::from_customers(Columns::default(), &[one]);
        let cases: [fn(&mut CustomerColumns); 4] = [
            |c| c.ids.push("b".into()),
            |c| {
                c.first.pop();
            },
            |c| c.month_sales.push(2.0),
            |c| c.month_counts[0] = u32::MAX,
        ];
        for (k, break_it) in cases.iter().enumerate() {
            let mut broken = whole.clone();
            break_it(&mut broken);
            assert_eq!(
                broken.into_customers(),
                Err(FormatProblem::ColumnLengths),
                "case {k}"
            );
        }
    }
}
