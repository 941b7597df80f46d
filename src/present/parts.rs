//! Small shapes the views lay out besides metrics, figures and CSVs: a [`Table`] of formatted
//! cells and a [`Notice`] (a sentence with its `data-note` name).

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
