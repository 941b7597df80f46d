//! What the user decides before an import, and what was guessed: [`InspectOptions`] (the
//! user's overrides), [`Preview`] (the guesses for a file with its first rows), the
//! [`ImportSettings`] an import runs with, and the [`Concern`]s that stop the automatic import
//! at the mapping step (导入设置).

use serde::{Deserialize, Serialize};

use super::columns::{self, ColumnGuess, ColumnMapping};
use super::dialect::{Delimiter, Quotes};
use super::encoding::{EncodingEvidence, EncodingGuess, LanguageHint};
use super::values::{DateOrder, DateOrderEvidence, DecimalSeparator};
use crate::engine::customers::Columns;
use crate::engine::error::{Error, Result};
use crate::engine::formats::TableLayout;

/// What the user has chosen before or after the first guess; `None` means "guess".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InspectOptions {
    /// Encoding override (WHATWG label).
    pub encoding: Option<String>,
    /// Delimiter override.
    pub delimiter: Option<Delimiter>,
    /// Header-row override.
    pub has_header: Option<bool>,
    /// The detector's prior, from the UI language.
    pub hint: LanguageHint,
    /// What a double quote means (standard CSV unless the user chose otherwise).
    #[serde(default)]
    pub quotes: Quotes,
    /// For a workbook: the sheet to read (`None`: the first).
    #[serde(default)]
    pub sheet: Option<String>,
}

/// The guesses for a file, with its first rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    /// The encoding and how it was decided.
    pub encoding: EncodingGuess,
    /// The delimiter.
    pub delimiter: Delimiter,
    /// Whether the first row is a header.
    pub has_header: bool,
    /// Column names: header texts, or `column 1`, `column 2` … without a header; as many as
    /// the widest row of the head has.
    pub headers: Vec<String>,
    /// The number of columns of the header row (without a header, of the widest row of the
    /// head): a row with more non-empty fields is rejected.
    pub header_columns: usize,
    /// The first data rows, for display.
    pub rows: Vec<Vec<String>>,
    /// The column roles.
    pub mapping: ColumnMapping,
    /// Why each role was given, with confidence.
    pub guesses: Vec<ColumnGuess>,
    /// Decimal separator of numbers.
    pub decimal: DecimalSeparator,
    /// What the date column says about day/month order.
    pub date_evidence: DateOrderEvidence,
    /// The date order to use (guessed; the user must confirm when the evidence is ambiguous).
    pub date_order: DateOrder,
    /// The date column holds Excel serial numbers.
    pub serial_dates: bool,
    /// What a double quote means.
    pub quotes: Quotes,
    /// The first quoted field of the head that runs over lines it should not (a quote left
    /// open): its line and how many lines it spans.
    pub runaway_quote: Option<(u64, u64)>,
    /// What kind of file this is a preview of (text, or a table file and its sheet).
    #[serde(default)]
    pub source: TableSource,
    /// For a table file: the sheet read, the sheets there are, and title rows skipped above the
    /// header.
    #[serde(default)]
    pub layout: Option<TableLayout>,
}

/// Where an import's rows come from: a text file (split by the dialect settings), or a table
/// file whose cells are already apart (the encoding, delimiter, quotes and header settings are
/// then not used: the header is the table's).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TableSource {
    /// A CSV, TSV or TXT file.
    #[default]
    Text,
    /// An Excel workbook's sheet.
    Xlsx {
        /// The sheet's name.
        sheet: String,
    },
    /// A Parquet file.
    Parquet,
}

impl TableSource {
    /// True for a text file.
    pub fn is_text(&self) -> bool {
        matches!(self, TableSource::Text)
    }
}

/// Everything the importer needs: the preview's guesses after the user's corrections.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportSettings {
    /// Encoding (WHATWG label).
    pub encoding: String,
    /// Length of the byte-order mark to skip.
    pub bom_len: usize,
    /// Delimiter.
    pub delimiter: Delimiter,
    /// Whether the first row is a header (and is skipped).
    pub has_header: bool,
    /// Column names, for messages.
    pub headers: Vec<String>,
    /// Columns of the header row (0: as many as `headers`); see [`ImportSettings::columns_expected`].
    #[serde(default)]
    pub header_columns: usize,
    /// Column roles.
    pub mapping: ColumnMapping,
    /// Decimal separator.
    pub decimal: DecimalSeparator,
    /// Date order for ambiguous dates.
    pub date_order: DateOrder,
    /// Accept Excel serial numbers as dates.
    pub serial_dates: bool,
    /// What a double quote means.
    #[serde(default)]
    pub quotes: Quotes,
    /// Where the rows come from (text unless said: older workspace files hold text imports).
    #[serde(default)]
    pub source: TableSource,
}

impl Preview {
    /// The settings this preview implies.
    pub fn settings(&self) -> ImportSettings {
        ImportSettings {
            encoding: self.encoding.name.clone(),
            bom_len: self.encoding.bom_len,
            delimiter: self.delimiter,
            has_header: self.has_header,
            headers: self.headers.clone(),
            header_columns: self.header_columns,
            mapping: self.mapping.clone(),
            decimal: self.decimal,
            date_order: self.date_order,
            serial_dates: self.serial_dates,
            quotes: self.quotes,
            source: self.source.clone(),
        }
    }
}

/// Something about a preview the user should decide before importing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Concern {
    /// A required role has no column.
    Missing(columns::Role),
    /// A required role was guessed with low confidence.
    Unsure(columns::Role),
    /// Dates like `05/01/2024` occur and nothing tells day-first from month-first.
    AmbiguousDates,
    /// Dates contradict each other (both `13/01` and `01/13` occur).
    ConflictingDates,
    /// The encoding detector was not sure.
    UnsureEncoding,
    /// A quote opened on `line` is not closed for `lines` lines (see [`Preview::runaway_quote`]):
    /// the user should choose to read quotes literally or fix the file.
    RunawayQuote {
        /// The line where the quote opens.
        line: u64,
        /// The lines the quoted field spans.
        lines: u64,
    },
}

impl Preview {
    /// What the user should decide before importing; empty when the guess can be used as is.
    ///
    /// The UI imports at once when this is empty and stops at the mapping step otherwise.
    pub fn concerns(&self) -> Vec<Concern> {
        let mut concerns = Vec::new();
        for role in [columns::Role::Customer, columns::Role::Amount] {
            match self.guesses.iter().find(|g| g.role == role) {
                None if self.mapping.get(role).is_none() => concerns.push(Concern::Missing(role)),
                // Regression: `< 0.4` never held, as no guess is below LOW_CONFIDENCE.
                Some(guess) if guess.confidence <= columns::LOW_CONFIDENCE => {
                    concerns.push(Concern::Unsure(role))
                }
                _ => {}
            }
        }
        match self.date_evidence {
            DateOrderEvidence::Ambiguous => concerns.push(Concern::AmbiguousDates),
            DateOrderEvidence::Conflicting => concerns.push(Concern::ConflictingDates),
            _ => {}
        }
        if self.encoding.evidence == EncodingEvidence::DetectorUnsure {
            concerns.push(Concern::UnsureEncoding);
        }
        if let Some((line, lines)) = self.runaway_quote {
            concerns.push(Concern::RunawayQuote { line, lines });
        }
        concerns
    }
}

impl ImportSettings {
    /// True when the file can be cut at a 0x0A byte: its encoding is ASCII-compatible (UTF-8,
    /// GBK, Big5 …: 0x0A is never part of another character there; not UTF-16).
    pub fn splits_at_line_breaks(&self) -> bool {
        encoding_rs::Encoding::for_label(self.encoding.as_bytes())
            .is_some_and(|e| e.is_ascii_compatible())
    }

    /// Checks that the required roles are mapped to existing columns.
    pub fn validate(&self) -> Result<()> {
        if self.mapping.customer.is_none() {
            return Err(Error::NoCustomerColumn);
        }
        if self.mapping.amount.is_none() {
            return Err(Error::NoAmountColumn);
        }
        let count = self.headers.len();
        for role in columns::Role::ALL {
            if let Some(index) = self.mapping.get(role) {
                if index >= count {
                    return Err(Error::NoSuchColumn { index, count });
                }
            }
        }
        Ok(())
    }

    /// How many fields a row may have before its values are taken for shifted: the header's
    /// columns, or more when a column beyond them is mapped.
    pub fn columns_expected(&self) -> usize {
        let header = match self.header_columns {
            0 => self.headers.len(),
            n => n,
        };
        let mapped = columns::Role::ALL
            .iter()
            .filter_map(|&role| self.mapping.get(role))
            .max()
            .map_or(0, |i| i + 1);
        header.max(mapped)
    }

    /// Which optional columns are mapped.
    pub fn columns(&self) -> Columns {
        Columns {
            order: self.mapping.order.is_some(),
            date: self.mapping.date.is_some(),
            profit: self.mapping.profit.is_some(),
            quantity: self.mapping.quantity.is_some(),
        }
    }
}

impl Preview {
    /// True when the head's dates leave the day/month order open, so the whole column should be
    /// read ([`DateScanner`](super::DateScanner)) before the user is asked.
    pub fn needs_whole_date_column(&self) -> bool {
        self.mapping.date.is_some() && self.date_evidence == DateOrderEvidence::Ambiguous
    }

    /// Takes what the whole date column says ([`DateScanner::finish`](super::DateScanner::finish)) in place of the head's
    /// evidence: a decisive column sets the order; a still ambiguous or conflicting one leaves the
    /// question to the user (see [`Preview::concerns`]).
    pub fn apply_whole_date_column(&mut self, evidence: DateOrderEvidence) {
        match evidence {
            DateOrderEvidence::DayFirst => self.date_order = DateOrder::DayFirst,
            DateOrderEvidence::MonthFirst => self.date_order = DateOrder::MonthFirst,
            _ => {}
        }
        if evidence != DateOrderEvidence::NotNeeded {
            self.date_evidence = evidence;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ingest::inspect;

    #[test]
    fn concerns_stop_the_automatic_import() {
        let clear = inspect(
            "客户编号,订单日期,金额\nC1,2024-01-05,100\n".as_bytes(),
            true,
            &InspectOptions::default(),
        )
        .unwrap();
        assert_eq!(clear.concerns(), vec![]);
        let ambiguous = inspect(
            b"customer,date,amount\nc1,01/02/2024,5\nc2,03/04/2024,6\n",
            true,
            &InspectOptions::default(),
        )
        .unwrap();
        assert_eq!(ambiguous.concerns(), vec![Concern::AmbiguousDates]);
        let no_amount = inspect(
            b"customer,note\nc1,x\nc2,y\n",
            true,
            &InspectOptions::default(),
        )
        .unwrap();
        assert_eq!(
            no_amount.concerns(),
            vec![Concern::Missing(columns::Role::Amount)]
        );
    }

    #[test]
    fn a_weakly_guessed_required_role_is_a_concern() {
        // Regression: `Unsure` needed a confidence below 0.4, which no guess ever has.
        let preview = inspect(
            b"10001,2023-05-01,2,120.00\n10002,2023-05-02,1,35.50\n",
            true,
            &InspectOptions::default(),
        )
        .unwrap();
        assert_eq!(
            preview.concerns(),
            vec![Concern::Unsure(columns::Role::Customer)]
        );
    }
}
