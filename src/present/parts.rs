//! Small shapes the views lay out besides metrics, figures and CSVs: a [`Table`] of formatted
//! cells, a [`CellTable`] of cells that may carry figures of the contract, and a [`Notice`] (a
//! sentence with its `data-note` name).

use super::DataCell;

/// A table as shown: header cells, which columns hold numbers (right-aligned), and rows of
/// formatted cells (each row as wide as the header).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Column headers, in the current language.
    pub header: Vec<String>,
    /// Whether each column holds numbers.
    pub numeric: Vec<bool>,
    /// Rows of cells.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these columns (header, numeric) and no rows yet.
    pub fn new(columns: impl IntoIterator<Item = (String, bool)>) -> Self {
        let (header, numeric) = columns.into_iter().unzip();
        Table {
            header,
            numeric,
            rows: Vec::new(),
        }
    }

    /// Adds a row (cells past the header's width are dropped, missing ones left empty).
    pub fn push(&mut self, cells: impl IntoIterator<Item = String>) {
        let mut row: Vec<String> = cells.into_iter().take(self.header.len()).collect();
        row.resize(self.header.len(), String::new());
        self.rows.push(row);
    }

    /// Whether column `index` holds numbers.
    pub fn is_numeric(&self, index: usize) -> bool {
        self.numeric.get(index).copied().unwrap_or(false)
    }
}

/// A sentence shown as a note, with its machine name (`data-note`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Machine name (`overshoot`, `no-profit` …).
    pub name: &'static str,
    /// The sentence, in the current language.
    pub text: String,
}

impl Notice {
    /// A notice.
    pub fn new(name: &'static str, text: impl Into<String>) -> Self {
        Notice {
            name,
            text: text.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_the_header_width() {
        let mut table = Table::new([("a".to_string(), false), ("b".to_string(), true)]);
        table.push(["1".to_string()]);
        table.push(["1".to_string(), "2".into(), "3".into()]);
        assert_eq!(
            table.rows,
            vec![
                vec!["1".to_string(), String::new()],
                vec!["1".into(), "2".into()]
            ]
        );
        assert!(!table.is_numeric(0) && table.is_numeric(1) && !table.is_numeric(2));
    }
}

/// A cell of a table row: shown text, and the figure behind it when tools should read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// As shown.
    pub display: String,
    /// `data-metric` and raw value, when the cell is a figure of the contract.
    pub data: Option<DataCell>,
    /// A second line in smaller type (counts beside a rate).
    pub detail: Option<String>,
}

impl Cell {
    /// A cell of plain text.
    pub fn text(display: String) -> Self {
        Cell {
            display,
            data: None,
            detail: None,
        }
    }

    /// A cell carrying a figure of the contract (`data-metric`).
    pub fn figure(metric: String, value: Option<f64>, display: String) -> Self {
        Cell {
            data: Some(DataCell {
                metric,
                value: value.unwrap_or(f64::NAN),
                display: display.clone(),
            }),
            display,
            detail: None,
        }
    }

    /// The same cell with a second line.
    pub fn detail(mut self, detail: Option<String>) -> Self {
        self.detail = detail;
        self
    }
}

/// A table of [`Cell`]s: header, numeric columns, rows (the first cell names the row), and
/// which rows are marked (partial periods, small cohorts).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CellTable {
    /// Column headers.
    pub header: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<Cell>>,
    /// Per row: marked (shown dimmed with a mark).
    pub marked: Vec<bool>,
}
