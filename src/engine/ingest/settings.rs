//! What the user decides before an import, and what was guessed: [`InspectOptions`] (the
//! user's overrides), [`Preview`] (the guesses for a file with its first rows), the
//! [`ImportSettings`] an import runs with, and the [`Concern`]s that stop the automatic import
//! at the mapping step (导入设置).

use serde::{Deserialize, Serialize};

use super::columns::{self, ColumnGuess, ColumnMapping};
use super::dialect::{Delimiter, Quotes};
use super::encoding::{EncodingEvidence, EncodingGuess, LanguageHint};
use super::summary::{summary_mapping_from_headers, SummaryMapping, SummaryRole};
use super::values::{DateOrder, DateOrderEvidence, DecimalSeparator};
use crate::engine::customers::Columns;
use crate::engine::dimensions::{attribute_keys, AttributeColumn, AttributeSpec};
use crate::engine::dimensions::{line_keys, LineColumn, LineSpec, LINE_LIMIT};
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
    /// Columns kept as customer attributes ([`crate::engine::dimensions`]), in column order.
    #[serde(default)]
    pub attributes: Vec<AttributeColumn>,
    /// The file read as a per-customer summary, with its columns' roles (`None`: order
    /// lines); proposed when the head looks like one ([`guess_summary`](super::guess_summary)).
    #[serde(default)]
    pub summary: Option<Box<SummaryMapping>>,
    /// What kind of file this is a preview of (text, or a table file and its sheet).
    #[serde(default)]
    pub source: TableSource,
    /// For a table file: the sheet read, the sheets there are, and title rows skipped above the
    /// header.
    #[serde(default)]
    pub layout: Option<TableLayout>,
    /// Columns kept as line attributes ([`crate::engine::dimensions::lines`]), in column order.
    #[serde(default)]
    pub lines: Vec<LineColumn>,
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
    /// Columns kept as customer attributes ([`crate::engine::dimensions`]); none in settings
    /// saved before they existed.
    #[serde(default)]
    pub attributes: Vec<AttributeColumn>,
    /// Rows are per-customer summaries with these columns (issue 17), not order lines:
    /// `mapping` then holds the order-line roles they stand for
    /// ([`SummaryMapping::as_order_mapping`]).
    #[serde(default)]
    pub summary: Option<Box<SummaryMapping>>,
    /// Where the rows come from (text unless said: older workspace files hold text imports).
    #[serde(default)]
    pub source: TableSource,
    /// Columns mapped as line attributes ([`crate::engine::dimensions::lines`]; the first
    /// [`LINE_LIMIT`] are aggregated); none in settings saved before they existed.
    #[serde(default)]
    pub lines: Vec<LineColumn>,
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
            mapping: match &self.summary {
                Some(summary) => summary.as_order_mapping(),
                None => self.mapping.clone(),
            },
            decimal: self.decimal,
            date_order: self.date_order,
            serial_dates: self.serial_dates,
            quotes: self.quotes,
            attributes: self.attributes.clone(),
            summary: self.summary.clone(),
            source: self.source.clone(),
            lines: self.lines.clone(),
        }
    }

    /// Reads the file as a per-customer summary (`true`, with the roles its headers name) or as
    /// order lines (`false`): the user's choice on the mapping step.
    pub fn set_summary(&mut self, on: bool) {
        self.summary = match on {
            true => Some(
                self.summary
                    .clone()
                    .unwrap_or_else(|| Box::new(summary_mapping_from_headers(&self.headers))),
            ),
            false => None,
        };
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
    /// A required role of a per-customer summary has no column.
    SummaryMissing(SummaryRole),
}

impl Preview {
    /// What the user should decide before importing; empty when the guess can be used as is.
    ///
    /// The UI imports at once when this is empty and stops at the mapping step otherwise.
    pub fn concerns(&self) -> Vec<Concern> {
        let mut concerns = Vec::new();
        let summary = self.summary.as_deref().map(SummaryMapping::missing);
        let order_roles: &[columns::Role] = match summary {
            Some(_) => &[],
            None => &[columns::Role::Customer, columns::Role::Amount],
        };
        concerns.extend(summary.into_iter().flatten().map(Concern::SummaryMissing));
        for &role in order_roles {
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
    /// A per-customer summary is read whole: its duplicate ids are found in one pass.
    pub fn splits_at_line_breaks(&self) -> bool {
        self.summary.is_none()
            && encoding_rs::Encoding::for_label(self.encoding.as_bytes())
                .is_some_and(|e| e.is_ascii_compatible())
    }

    /// Checks that the required roles are mapped to existing columns.
    pub fn validate(&self) -> Result<()> {
        if let Some(summary) = &self.summary {
            return self.validate_summary(summary);
        }
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
        if let Some(a) = self.attributes.iter().find(|a| a.column >= count) {
            return Err(Error::NoSuchColumn {
                index: a.column,
                count,
            });
        }
        if let Some(l) = self.lines.iter().find(|l| l.column >= count) {
            return Err(Error::NoSuchColumn {
                index: l.column,
                count,
            });
        }
        Ok(())
    }

    /// [`ImportSettings::validate`] for a per-customer summary: customer, orders and sales mapped,
    /// every mapped column in the file.
    fn validate_summary(&self, summary: &SummaryMapping) -> Result<()> {
        match summary.missing().first() {
            Some(SummaryRole::Customer) => return Err(Error::NoCustomerColumn),
            Some(SummaryRole::Sales) => return Err(Error::NoAmountColumn),
            Some(_) => return Err(Error::NoOrdersColumn),
            None => {}
        }
        let count = self.headers.len();
        match SummaryRole::ALL
            .iter()
            .filter_map(|&r| summary.get(r))
            .max()
        {
            Some(index) if index >= count => Err(Error::NoSuchColumn { index, count }),
            _ => Ok(()),
        }
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
            .chain(self.attributes.iter().map(|a| a.column))
            .chain(self.lines.iter().map(|l| l.column))
            .chain(
                SummaryRole::ALL
                    .iter()
                    .filter_map(|&role| self.summary.as_ref()?.get(role)),
            )
            .max()
            .map_or(0, |i| i + 1);
        header.max(mapped)
    }

    /// The customer attributes to keep: their machine names, kinds and headers.
    pub fn attribute_specs(&self) -> Vec<AttributeSpec> {
        attribute_keys(&self.attributes)
            .into_iter()
            .zip(&self.attributes)
            .map(|(key, a)| AttributeSpec {
                key,
                kind: a.kind,
                name: super::rows::column_name(&self.headers, a.column),
            })
            .collect()
    }

    /// The line attributes to aggregate: the first [`LINE_LIMIT`] mapped, with their machine
    /// names, kinds and headers.
    pub fn line_specs(&self) -> Vec<LineSpec> {
        line_keys(&self.lines)
            .into_iter()
            .zip(&self.lines)
            .take(LINE_LIMIT)
            .map(|(key, l)| LineSpec {
                key,
                kind: l.kind,
                name: super::rows::column_name(&self.headers, l.column),
            })
            .collect()
    }

    /// Which optional columns are mapped.
    pub fn columns(&self) -> Columns {
        if let Some(summary) = &self.summary {
            return summary.data_columns();
        }
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
