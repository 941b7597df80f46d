//! The workspace (工作区): everything a user set up, saved as one `.valuelens.json` file and
//! opened again later, or kept in the browser as the last session.
//!
//! A [`Workspace`] holds the column mapping of the last import, the decile and RFM parameters,
//! the RFM segment rules, the SWOT boards, the report cover and — only when the user asks for
//! it — the per-customer aggregates of the data ([`WorkspaceData`]). Raw rows are never kept:
//! the aggregates are what the analyses read, and of the rejected rows only the first
//! [`MAX_ERRORS_SHOWN`](crate::engine::ingest::MAX_ERRORS_SHOWN), already inside the
//! [`ImportReport`], travel with the file.
//!
//! The file names its format ([`WORKSPACE_FORMAT`]) and version ([`WORKSPACE_VERSION`]).
//! [`Workspace::from_json`] refuses text that is not JSON, JSON that is not a workspace, a
//! workspace from a newer ValueLens ([`Error::NewerWorkspace`]) and a workspace whose content
//! breaks a rule (every part is checked as if the user had entered it), each with its own
//! message.
//!
//! ```
//! use valuelens::engine::workspace::Workspace;
//!
//! let workspace = Workspace {
//!     saved_at: "2024-05-01T10:00:00Z".into(),
//!     ..Workspace::default()
//! };
//! let text = workspace.to_json()?;
//! assert_eq!(Workspace::from_json(&text)?, workspace);
//! assert!(Workspace::from_json(r#"{"format": "valuelens-workspace", "version": 2}"#).is_err());
//! # Ok::<(), valuelens::engine::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::engine::customers::{Columns, Customer, CustomerTable, MonthTotal};
use crate::engine::deciles::GroupConfig;
use crate::engine::error::{Error, Result};
use crate::engine::ingest::{ImportOutcome, ImportReport, ImportSettings};
use crate::engine::rfm::{RfmConfig, SegmentRules};
use crate::engine::swot::Workbench;

/// A day that is not there, in [`CustomerColumns::first`] and [`CustomerColumns::last`].
const NO_DAY: i32 = i32::MIN;

/// A [`CustomerTable`] stored column by column: the customer figures of a workspace file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerColumns {
    /// Which optional columns the data had.
    pub columns: Columns,
    /// Ids (any text, so one string each).
    pub ids: Vec<String>,
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
    /// First day, `i32::MIN` for none.
    pub first: Vec<i32>,
    /// Last day, `i32::MIN` for none.
    pub last: Vec<i32>,
    /// Number of month buckets per customer.
    pub month_counts: Vec<u32>,
    /// Month indexes of all customers, concatenated.
    pub months: Vec<i32>,
    /// Month sales, concatenated.
    pub month_sales: Vec<f64>,
    /// Month profit, concatenated.
    pub month_profit: Vec<f64>,
}

impl CustomerColumns {
    /// Splits a table into columns.
    pub fn from_table(table: &CustomerTable) -> Self {
        let customers = &table.customers;
        let months = || customers.iter().flat_map(|c| &c.months);
        CustomerColumns {
            columns: table.columns,
            ids: customers.iter().map(|c| c.id.clone()).collect(),
            rows: customers.iter().map(|c| c.rows).collect(),
            orders: customers.iter().map(|c| c.orders).collect(),
            returns: customers.iter().map(|c| c.returns).collect(),
            sales: customers.iter().map(|c| c.sales).collect(),
            profit: customers.iter().map(|c| c.profit).collect(),
            quantity: customers.iter().map(|c| c.quantity).collect(),
            first: customers
                .iter()
                .map(|c| c.first.unwrap_or(NO_DAY))
                .collect(),
            last: customers.iter().map(|c| c.last.unwrap_or(NO_DAY)).collect(),
            month_counts: customers.iter().map(|c| c.months.len() as u32).collect(),
            months: months().map(|m| m.month).collect(),
            month_sales: months().map(|m| m.sales).collect(),
            month_profit: months().map(|m| m.profit).collect(),
        }
    }

    /// Rebuilds the table; fails when the columns disagree in length.
    pub fn into_table(self) -> Result<CustomerTable> {
        let n = self.ids.len();
        let lengths = [
            self.rows.len(),
            self.orders.len(),
            self.returns.len(),
            self.sales.len(),
            self.profit.len(),
            self.quantity.len(),
            self.first.len(),
            self.last.len(),
            self.month_counts.len(),
        ];
        // Checked: in wasm a plain `usize` sum of a hostile file's `u32` counts could wrap round
        // to the number of months there are, and the loop below would then index past them.
        let total_months = self
            .month_counts
            .iter()
            .try_fold(0usize, |sum, &m| sum.checked_add(m as usize));
        if lengths.iter().any(|&l| l != n)
            || total_months != Some(self.months.len())
            || self.month_sales.len() != self.months.len()
            || self.month_profit.len() != self.months.len()
        {
            return Err(Error::Format {
                what: WORKSPACE_FILE.into(),
                reason: "customer columns of different lengths".into(),
            });
        }
        let day = |d: i32| (d != NO_DAY).then_some(d);
        let mut offset = 0usize;
        let mut customers = Vec::with_capacity(n);
        for (i, id) in self.ids.into_iter().enumerate() {
            let count = self.month_counts[i] as usize;
            let months = (offset..offset + count)
                .map(|j| MonthTotal {
                    month: self.months[j],
                    sales: self.month_sales[j],
                    profit: self.month_profit[j],
                })
                .collect();
            offset += count;
            customers.push(Customer {
                id,
                rows: self.rows[i],
                orders: self.orders[i],
                returns: self.returns[i],
                sales: self.sales[i],
                profit: self.profit[i],
                quantity: self.quantity[i],
                first: day(self.first[i]),
                last: day(self.last[i]),
                months,
            });
        }
        Ok(CustomerTable {
            customers,
            columns: self.columns,
        })
    }
}

/// The value of [`Workspace::format`]: what tells a workspace from any other JSON.
pub const WORKSPACE_FORMAT: &str = "valuelens-workspace";
/// The version this code writes; [`Workspace::from_json`] reads versions 1 to this one.
pub const WORKSPACE_VERSION: u32 = 1;
/// What [`Workspace::from_json`] names in an [`Error::Format`] (`what`), so the UI can word it.
pub const WORKSPACE_FILE: &str = "the workspace file";
/// The file name ending of a saved workspace.
pub const WORKSPACE_EXTENSION: &str = ".valuelens.json";

/// Everything the user set up, as saved in a workspace file.
///
/// The fields are written in this order, so a person opening the file sees the format and the
/// version first and the (possibly large) data last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workspace {
    /// Always [`WORKSPACE_FORMAT`].
    pub format: String,
    /// [`WORKSPACE_VERSION`] when written by this code.
    pub version: u32,
    /// When it was saved: an ISO 8601 date-time given by the caller (not checked).
    pub saved_at: String,
    /// The settings of the last import (encoding, delimiter, column mapping …), if any.
    #[serde(default)]
    pub settings: Option<ImportSettings>,
    /// The decile groups' thresholds.
    pub decile_config: GroupConfig,
    /// The RFM scoring parameters.
    pub rfm_config: RfmConfig,
    /// The RFM segment rules.
    pub rfm_rules: SegmentRules,
    /// The SWOT boards.
    pub swot: Workbench,
    /// The report's cover.
    #[serde(default)]
    pub cover: WorkspaceCover,
    /// The per-customer aggregates, when the user chose to include them.
    #[serde(default)]
    pub data: Option<WorkspaceData>,
}

impl Default for Workspace {
    /// Every part at its default, no settings, no data, `saved_at` empty.
    fn default() -> Self {
        Workspace {
            format: WORKSPACE_FORMAT.into(),
            version: WORKSPACE_VERSION,
            saved_at: String::new(),
            settings: None,
            decile_config: GroupConfig::default(),
            rfm_config: RfmConfig::default(),
            rfm_rules: SegmentRules::default(),
            swot: Workbench::default(),
            cover: WorkspaceCover::default(),
            data: None,
        }
    }
}

/// The editable cover of the printed report, as typed (empty fields mean "the default").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceCover {
    /// Title; empty for the default title in the UI language.
    pub title: String,
    /// The client the report is for.
    pub client: String,
    /// Who made it.
    pub analyst: String,
    /// The report date as typed (ISO `YYYY-MM-DD`); empty for today.
    pub date: String,
}

/// A loaded data set in a workspace: the per-customer aggregates and the import's report.
///
/// The rejected rows' cells are not kept (they can be a hundred thousand rows); the report's
/// `first_errors` still name the first [`MAX_ERRORS_SHOWN`](crate::engine::ingest::MAX_ERRORS_SHOWN)
/// with line, column and reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceData {
    /// The name of the imported file, as shown to the user.
    pub file_name: String,
    /// The customers, column by column (compact in JSON: one array per field).
    pub customers: CustomerColumns,
    /// What the import did.
    pub report: ImportReport,
}

impl WorkspaceData {
    /// The data of an import, without its rejected rows.
    pub fn from_outcome(file_name: &str, outcome: &ImportOutcome) -> WorkspaceData {
        WorkspaceData {
            file_name: file_name.into(),
            customers: CustomerColumns::from_table(&outcome.table),
            report: outcome.report.clone(),
        }
    }

    /// The import outcome again, with no rejected rows (their cells were not saved).
    ///
    /// # Errors
    /// [`Error::Format`] when the columns disagree in length (a workspace read by
    /// [`Workspace::from_json`] has been checked and does not fail here).
    pub fn into_outcome(self) -> Result<(String, ImportOutcome)> {
        let table: CustomerTable = self.customers.into_table()?;
        Ok((
            self.file_name,
            ImportOutcome {
                table,
                report: self.report,
                rejected: Vec::new(),
            },
        ))
    }

    /// Checks that the columns agree in length and the ids are unique and sorted, as in a
    /// [`CustomerTable`], and that the report's settings are complete.
    fn validate(&self) -> Result<()> {
        let c = &self.customers;
        let n = c.ids.len();
        let lengths = [
            c.rows.len(),
            c.orders.len(),
            c.returns.len(),
            c.sales.len(),
            c.profit.len(),
            c.quantity.len(),
            c.first.len(),
            c.last.len(),
            c.month_counts.len(),
        ];
        if lengths.iter().any(|&l| l != n) {
            return Err(invalid("the customer columns differ in length".into()));
        }
        let months: u64 = c.month_counts.iter().map(|&m| u64::from(m)).sum();
        if [c.months.len(), c.month_sales.len(), c.month_profit.len()]
            .iter()
            .any(|&l| l as u64 != months)
        {
            return Err(invalid(
                "the monthly columns do not match the month counts".into(),
            ));
        }
        if let Some(pair) = c.ids.windows(2).find(|pair| pair[0] >= pair[1]) {
            return Err(invalid(format!(
                "the customer ids are not sorted and unique (at '{}')",
                pair[1]
            )));
        }
        self.report
            .settings
            .validate()
            .map_err(|e| invalid(format!("the data's import settings: {e}")))
    }
}

impl Workspace {
    /// The workspace as JSON: indented for reading without data, compact with data (the
    /// aggregates of a million customers are large enough).
    ///
    /// # Errors
    /// [`Error::Format`] ([`WORKSPACE_FILE`]) if serialisation fails (it does not for a
    /// workspace of valid parts).
    pub fn to_json(&self) -> Result<String> {
        let text = if self.data.is_some() {
            serde_json::to_string(self)
        } else {
            serde_json::to_string_pretty(self)
        };
        text.map_err(|e| format_error(format!("it could not be written: {e}")))
    }

    /// Reads a workspace saved by [`Workspace::to_json`] (a leading byte-order mark is
    /// skipped) and checks every part as if the user had entered it.
    ///
    /// # Errors
    /// - [`Error::NewerWorkspace`] for a version above [`WORKSPACE_VERSION`];
    /// - [`Error::Format`] ([`WORKSPACE_FILE`]) for an empty file, text that is not JSON, JSON
    ///   that is cut off, JSON that is not a ValueLens workspace (no or another `format`), and a
    ///   workspace with invalid content (the first problem is named).
    pub fn from_json(text: &str) -> Result<Workspace> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Err(format_error("the file is empty".into()));
        }
        match serde_json::from_str::<Workspace>(text) {
            Ok(workspace) => {
                workspace.validate()?;
                Ok(workspace)
            }
            Err(e) => Err(diagnose(text, e)),
        }
    }

    /// Checks every part: the format and version, the import settings, both configurations,
    /// the segment rules, the SWOT boards and the data.
    ///
    /// # Errors
    /// As [`Workspace::from_json`].
    pub fn validate(&self) -> Result<()> {
        check_header(Some(&self.format), Some(self.version.into()))?;
        let part =
            |name: &str, result: Result<()>| result.map_err(|e| invalid(format!("{name}: {e}")));
        if let Some(settings) = &self.settings {
            part("the import settings", settings.validate())?;
        }
        part("the decile parameters", self.decile_config.validate())?;
        part("the RFM parameters", self.rfm_config.validate())?;
        part("the segment rules", self.rfm_rules.validate())?;
        part("the SWOT boards", self.swot.validate())?;
        if let Some(data) = &self.data {
            data.validate()?;
        }
        Ok(())
    }
}

/// The two fields that say what a JSON text is, read without the rest.
#[derive(Deserialize)]
struct Header {
    format: Option<serde_json::Value>,
    version: Option<serde_json::Value>,
}

/// Checks the format name and the version; `None` is a missing field.
fn check_header(format: Option<&str>, version: Option<u64>) -> Result<()> {
    match format {
        Some(WORKSPACE_FORMAT) => {}
        Some(other) => {
            return Err(format_error(format!(
                "this is not a ValueLens workspace (its format is '{}')",
                other.chars().take(40).collect::<String>()
            )))
        }
        None => {
            return Err(format_error(
                "this is not a ValueLens workspace (it names no format)".into(),
            ))
        }
    }
    match version {
        None | Some(0) => Err(invalid("the version is missing or 0".into())),
        Some(v) if v > u64::from(WORKSPACE_VERSION) => Err(Error::NewerWorkspace {
            version: u32::try_from(v).unwrap_or(u32::MAX),
            supported: WORKSPACE_VERSION,
        }),
        Some(_) => Ok(()),
    }
}

/// The error for text that did not read as a [`Workspace`]: cut off, not JSON, not a
/// workspace, too new, or invalid content, in that order of precedence.
fn diagnose(text: &str, error: serde_json::Error) -> Error {
    use serde_json::error::Category;
    match error.classify() {
        Category::Eof => {
            return format_error(format!(
                "the file ends too early, it may be cut off ({error})"
            ))
        }
        Category::Syntax | Category::Io => {
            return format_error(format!("the file is not JSON ({error})"))
        }
        Category::Data => {}
    }
    let header = match text.trim_start().starts_with('{') {
        true => serde_json::from_str::<Header>(text).ok(),
        false => None,
    };
    let Some(header) = header else {
        return format_error("this is not a ValueLens workspace (it is not a JSON object)".into());
    };
    let format = match &header.format {
        None => None,
        Some(serde_json::Value::String(s)) => Some(s.as_str()),
        Some(other) => Some(if other.is_null() { "null" } else { "not text" }),
    };
    let version = match &header.version {
        None => None,
        Some(v) => match v.as_u64() {
            Some(v) => Some(v),
            None => return invalid(format!("the version is not a whole number ({v})")),
        },
    };
    match check_header(format, version) {
        Err(e) => e,
        Ok(()) => invalid(error.to_string()),
    }
}

fn format_error(reason: String) -> Error {
    Error::Format {
        what: WORKSPACE_FILE.into(),
        reason,
    }
}

fn invalid(reason: String) -> Error {
    format_error(format!("invalid content: {reason}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ingest::{import_bytes, InspectOptions};
    use crate::engine::rfm::Monetary;

    use crate::engine::swot::Quadrant;

    #[test]
    fn customer_columns_round_trip_to_the_same_table() {
        let csv = crate::engine::sample::sample_csv(crate::engine::sample::SampleLanguage::English);
        let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
        let columns = CustomerColumns::from_table(&outcome.table);
        assert_eq!(columns.clone().into_table().unwrap(), outcome.table);
        let mut broken = columns.clone();
        broken.sales.pop();
        assert!(broken.into_table().is_err());
        // Month counts far beyond the months there are (their sum wraps round in 32 bits to
        // exactly the number of months, which an unchecked sum in wasm would have let through):
        // an error, not a panic.
        let mut hostile = columns;
        let months = hostile.months.len() as u64;
        hostile.month_counts.iter_mut().for_each(|c| *c = 0);
        hostile.month_counts[0] = u32::MAX;
        hostile.month_counts[1] = ((months + 1) % (1 << 32)) as u32;
        assert!(hostile.into_table().is_err());
    }

    const CSV: &str = "客户编号,订单号,订单日期,金额,利润\n\
                       C2,O1,2024-01-05,100,10\n\
                       C1,O2,2024-02-06,250.5,30\n\
                       C2,O3,2024-03-07,-20,-2\n\
                       C3,O4,2024-03-08,oops,1\n";

    fn outcome() -> ImportOutcome {
        import_bytes(CSV.as_bytes(), &InspectOptions::default()).unwrap()
    }

    fn full_workspace() -> Workspace {
        let outcome = outcome();
        let mut swot = Workbench::default();
        swot.add_item(1, Quadrant::Strengths, "品牌 \"强\"", 8.0)
            .unwrap();
        Workspace {
            saved_at: "2024-05-01T10:00:00+08:00".into(),
            settings: Some(outcome.report.settings.clone()),
            decile_config: GroupConfig {
                period_months: 6,
                analysis_day: Some(19_900),
                ..GroupConfig::default()
            },
            rfm_config: RfmConfig {
                bins: 4,
                analysis_day: None,
                monetary: Monetary::AverageOrderValue,
            },
            swot,
            cover: WorkspaceCover {
                title: "客户价值分析".into(),
                client: "Acme".into(),
                analyst: "李".into(),
                date: "2024-05-01".into(),
            },
            data: Some(WorkspaceData::from_outcome("订单.csv", &outcome)),
            ..Workspace::default()
        }
    }

    fn reason(error: Error) -> String {
        match error {
            Error::Format { what, reason } => {
                assert_eq!(what, WORKSPACE_FILE);
                reason
            }
            other => panic!("expected a format error, got {other:?}"),
        }
    }

    #[test]
    fn round_trips_without_data() {
        let workspace = Workspace {
            data: None,
            ..full_workspace()
        };
        let text = workspace.to_json().unwrap();
        assert!(text.contains("\n  \"format\": \"valuelens-workspace\""));
        assert_eq!(Workspace::from_json(&text).unwrap(), workspace);
        let fresh = Workspace::default();
        assert_eq!(
            Workspace::from_json(&fresh.to_json().unwrap()).unwrap(),
            fresh
        );
    }

    #[test]
    fn round_trips_with_data_and_rebuilds_the_outcome() {
        let workspace = full_workspace();
        let text = workspace.to_json().unwrap();
        assert!(!text.contains('\n'), "compact with data");
        assert!(text.starts_with(r#"{"format":"valuelens-workspace","version":1,"#));
        let back = Workspace::from_json(&format!("\u{feff}{text}")).unwrap();
        assert_eq!(back, workspace);
        let (name, rebuilt) = back.data.unwrap().into_outcome().unwrap();
        let original = outcome();
        assert_eq!(name, "订单.csv");
        assert_eq!(rebuilt.table, original.table);
        assert_eq!(rebuilt.report, original.report);
        assert_eq!(rebuilt.report.first_errors.len(), 1);
        assert!(rebuilt.rejected.is_empty());
    }

    #[test]
    fn refuses_a_newer_version_by_name() {
        let mut value: serde_json::Value =
            serde_json::from_str(&full_workspace().to_json().unwrap()).unwrap();
        value["version"] = 7.into();
        // A newer version may also add fields or change shapes: still "newer", not "invalid".
        value["rfm_rules"] = "a shape this version does not know".into();
        let error = Workspace::from_json(&value.to_string()).unwrap_err();
        assert_eq!(
            error,
            Error::NewerWorkspace {
                version: 7,
                supported: WORKSPACE_VERSION
            }
        );
        assert_eq!(
            error.to_string(),
            "this workspace was saved by a newer ValueLens (version 7); this one reads up to \
             version 1"
        );
        let bare = r#"{"format":"valuelens-workspace","version":2}"#;
        assert!(matches!(
            Workspace::from_json(bare),
            Err(Error::NewerWorkspace { version: 2, .. })
        ));
    }

    #[test]
    fn names_each_kind_of_unreadable_file() {
        let good = Workspace::default().to_json().unwrap();
        let cases: &[(&str, &str)] = &[
            ("", "the file is empty"),
            ("  \n", "the file is empty"),
            ("Kunde;Umsatz\nA;1\n", "the file is not JSON"),
            ("\u{0}\u{1}PK", "the file is not JSON"),
            (&good[..good.len() / 2], "the file ends too early"),
            ("[1, 2, 3]", "this is not a ValueLens workspace"),
            (
                "\"valuelens-workspace\"",
                "this is not a ValueLens workspace",
            ),
            (
                "{}",
                "this is not a ValueLens workspace (it names no format)",
            ),
            (
                r#"{"format": "valuelens-swot", "version": 1}"#,
                "this is not a ValueLens workspace (its format is 'valuelens-swot')",
            ),
            (r#"{"format": 3}"#, "its format is 'not text'"),
            (
                r#"{"format": "valuelens-workspace"}"#,
                "invalid content: the version is missing or 0",
            ),
            (
                r#"{"format": "valuelens-workspace", "version": 0}"#,
                "invalid content: the version is missing or 0",
            ),
            (
                r#"{"format": "valuelens-workspace", "version": "1"}"#,
                "invalid content: the version is not a whole number",
            ),
            (
                r#"{"format": "valuelens-workspace", "version": 1}"#,
                "invalid content: missing field",
            ),
        ];
        for (text, expected) in cases {
            let reason = reason(Workspace::from_json(text).unwrap_err());
            assert!(
                reason.starts_with(expected) || reason.contains(expected),
                "{text:?}: {reason}"
            );
        }
    }

    /// An edit of a saved workspace's JSON.
    type Edit = fn(&mut serde_json::Value);

    #[test]
    fn refuses_invalid_content_naming_the_part() {
        let edit = |change: Edit| {
            let mut value: serde_json::Value =
                serde_json::from_str(&full_workspace().to_json().unwrap()).unwrap();
            change(&mut value);
            reason(Workspace::from_json(&value.to_string()).unwrap_err())
        };
        let cases: &[(Edit, &str)] = &[
            (
                |v| v["rfm_rules"]["scale"] = 7.into(),
                "invalid content: the segment rules: parameter 'segment_rules'",
            ),
            (
                |v| v["rfm_rules"]["rules"] = serde_json::json!([]),
                "invalid content: the segment rules: parameter 'segment_rules': the table must \
                 hold 1 to",
            ),
            (
                |v| v["rfm_config"]["bins"] = 6.into(),
                "invalid content: the RFM parameters: parameter 'bins'",
            ),
            (
                |v| v["decile_config"]["period_months"] = 0.into(),
                "invalid content: the decile parameters: parameter 'period_months'",
            ),
            (
                |v| v["settings"]["mapping"]["customer"] = 99.into(),
                "invalid content: the import settings: column 99 does not exist",
            ),
            (
                |v| v["swot"]["version"] = 9.into(),
                "invalid content: could not read the saved SWOT boards",
            ),
            (
                |v| {
                    v["data"]["customers"]["sales"]
                        .as_array_mut()
                        .unwrap()
                        .pop();
                },
                "invalid content: the customer columns differ in length",
            ),
            (
                |v| v["data"]["customers"]["month_counts"][0] = 9.into(),
                "invalid content: the monthly columns",
            ),
            (
                |v| v["data"]["customers"]["ids"][1] = "C1".into(),
                "invalid content: the customer ids are not sorted and unique (at 'C1')",
            ),
            (
                |v| v["data"]["customers"]["sales"][0] = "lots".into(),
                "invalid content: invalid type",
            ),
        ];
        for (i, (change, expected)) in cases.iter().enumerate() {
            let reason = edit(*change);
            assert!(reason.starts_with(expected), "case {i}: {reason}");
        }
    }
}
