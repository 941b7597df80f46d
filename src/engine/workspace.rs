//! The workspace (工作区): everything a user set up, saved as one `.valuelens.json` file and
//! opened again later, or kept in the browser as the last session.
//!
//! A [`Workspace`] holds the column mapping of the last import, the decile and RFM parameters,
//! the RFM segment rules, the SWOT boards, the report cover and — only when the user asks for
//! it — the per-customer aggregates of the data ([`WorkspaceData`]). Raw rows are never kept:
//! the aggregates are what the analyses read, and of the rejected rows only the first
//! [`MAX_ERRORS_SHOWN`], already inside the
//! [`ImportReport`], travel with the file.
//!
//! A satisfaction survey goes with it as its file ([`WorkspaceSurveyFile`], version 2), read
//! again when the workspace is opened; version 1 kept the survey as read, which still opens.
//!
//! The file names its format ([`WORKSPACE_FORMAT`]) and version ([`WORKSPACE_VERSION`]).
//! [`Workspace::from_json`] refuses text that is not JSON, JSON that is not a workspace, a
//! workspace from a newer ValueLens ([`Error::NewerWorkspace`]) and a workspace whose content
//! breaks a rule (every part is checked as if the user had entered it), each with its own
//! message.
//!
//! A workspace is opened by users and restored at every page load, so a hostile file must not
//! panic, hang or freeze the page: before anything is sized by it, every figure is checked
//! against its range and against the others, as the import would have made them, and what a
//! workspace may hold is bounded (the SWOT bounds of [`crate::engine::swot`], [`MAX_TEXT_CHARS`],
//! [`MAX_COLUMNS`]). Such a refusal is an [`Error::Workspace`] naming the part, the place and the
//! values ([`WorkspaceProblem`]); nothing is truncated silently.
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
//! assert!(Workspace::from_json(r#"{"format": "valuelens-workspace", "version": 3}"#).is_err());
//! # Ok::<(), valuelens::engine::Error>(())
//! ```

use std::sync::Arc;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::engine::customers::CustomerTable;
use crate::engine::deciles::GroupConfig;
use crate::engine::dimensions::{CustomerAttributes, LineAttributes};
use crate::engine::error::{ContentPart, Error, FormatProblem, InvalidContent, Result};
use crate::engine::history::PurchaseHistory;
use crate::engine::ingest::values::MAX_MAGNITUDE;
use crate::engine::ingest::{ImportOutcome, ImportReport, ImportSettings, MAX_ERRORS_SHOWN};
use crate::engine::loyalty::LoyaltyConfig;
use crate::engine::master::{import_master, CustomerMaster, MasterOptions, MAX_MASTER_BYTES};
use crate::engine::rfm::{RfmConfig, SegmentRules};
use crate::engine::survey::{Survey, SurveyOptions, SurveyRole};
use crate::engine::swot::Workbench;

// NO_DAY is the day that is not there in `CustomerColumns::first` and `last`.
use crate::engine::calendar::{earliest, latest, Day, NO_DAY};

mod pieces;
pub use pieces::DataJson;

/// The longest text a workspace keeps in one field, in characters: a customer id, the file name,
/// a column name, a rejected row's column and cell, a cover field, the time of saving. (SWOT
/// texts have their own bound, [`MAX_TEXT_CHARS`](crate::engine::swot::MAX_TEXT_CHARS).)
pub const MAX_TEXT_CHARS: usize = 1_000;
/// The most columns the import settings of a workspace may name: as many as an import reads.
pub use crate::engine::ingest::MAX_COLUMNS;
/// How far (relative to the larger of the figures, at least 1) a customer's monthly sales or
/// profit may add up to something other than the customer's total: both are sums of the same
/// amounts, added in another order.
const SUM_TOLERANCE: f64 = 1e-6;

/// The customer figures of a workspace file: the engine's one columnar customer type (its
/// field names are the file's JSON keys).
pub use crate::engine::customers::CustomerColumns;

/// The part of a workspace a [`WorkspaceProblem`] is about.
///
/// `at` in a problem counts (from 1) what the part says: the customer, the SWOT board (1 is
/// ours, then the competitors in order), the row error or the column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WorkspacePart {
    /// The competitors' SWOT boards.
    Competitors,
    /// The items of one quadrant of a SWOT board (`at`: the board).
    QuadrantItems,
    /// The scores (respondents) of one SWOT item (`at`: the board).
    Respondents,
    /// A SWOT item's text (`at`: the board).
    ItemText,
    /// A SWOT board's name (`at`: the board).
    BoardName,
    /// A customer id (`at`: the customer).
    CustomerId,
    /// The month buckets of a customer (`at`: the customer).
    Months,
    /// A month index (`at`: the customer).
    Month,
    /// A customer's first purchase day.
    FirstDay,
    /// A customer's last purchase day.
    LastDay,
    /// A customer's rows.
    Rows,
    /// A customer's orders.
    Orders,
    /// A customer's return rows.
    Returns,
    /// A customer's net sales.
    Sales,
    /// A customer's net profit.
    Profit,
    /// A customer's quantity.
    Quantity,
    /// A customer's sales in a month.
    MonthSales,
    /// A customer's profit in a month.
    MonthProfit,
    /// The import report's rows read, accepted and rejected.
    RowCounts,
    /// The import report's return rows.
    ReturnRows,
    /// The import report's first row errors (`at`: the error).
    RowErrors,
    /// The import report's first and last day.
    ReportDays,
    /// Which optional columns the data had, against the import settings' mapping.
    Columns,
    /// The import settings' column names (`at`: the column).
    Headers,
    /// The imported file's name.
    FileName,
    /// A field of the report cover.
    Cover,
    /// When the workspace was saved.
    SavedAt,
    /// A customer's purchase days (`at`: the customer), or the history as a whole.
    PurchaseDays,
    /// The lengths of the customers' purchase-day records.
    PurchaseDayLengths,
    /// The customer attributes (region, industry …; `at`: the attribute).
    CustomerAttributes,
    /// The line attributes (product, category …; `at`: the attribute).
    LineAttributes,
    /// The customer master file kept with the data.
    MasterFile,
    /// The satisfaction survey's file.
    SurveyFile,
}

impl WorkspacePart {
    /// English name, used by `Display`.
    pub fn describe(self) -> &'static str {
        match self {
            WorkspacePart::Competitors => "competitors",
            WorkspacePart::QuadrantItems => "items in one quadrant",
            WorkspacePart::Respondents => "scores of one item",
            WorkspacePart::ItemText => "an item text",
            WorkspacePart::BoardName => "a board name",
            WorkspacePart::CustomerId => "the customer id",
            WorkspacePart::Months => "months",
            WorkspacePart::Month => "a month",
            WorkspacePart::FirstDay => "the first purchase day",
            WorkspacePart::LastDay => "the last purchase day",
            WorkspacePart::Rows => "rows",
            WorkspacePart::Orders => "orders",
            WorkspacePart::Returns => "return rows",
            WorkspacePart::Sales => "net sales",
            WorkspacePart::Profit => "net profit",
            WorkspacePart::Quantity => "quantity",
            WorkspacePart::MonthSales => "monthly sales",
            WorkspacePart::MonthProfit => "monthly profit",
            WorkspacePart::RowCounts => "the rows read, accepted and rejected",
            WorkspacePart::ReturnRows => "the return rows",
            WorkspacePart::RowErrors => "the rejected-row messages",
            WorkspacePart::ReportDays => "the first and last day of the data",
            WorkspacePart::Columns => "the optional columns",
            WorkspacePart::Headers => "column names",
            WorkspacePart::FileName => "the file name",
            WorkspacePart::Cover => "the report cover",
            WorkspacePart::SavedAt => "the time of saving",
            WorkspacePart::PurchaseDays => "the purchase days",
            WorkspacePart::PurchaseDayLengths => "the lengths of the purchase-day records",
            WorkspacePart::CustomerAttributes => "the customer attributes",
            WorkspacePart::LineAttributes => "the line attributes",
            WorkspacePart::MasterFile => "the customer master file",
            WorkspacePart::SurveyFile => "the survey file",
        }
    }

    /// What `at` counts for this part, in English: `customer`, `board`, `row error`, `column`.
    pub fn counted(self) -> &'static str {
        match self {
            WorkspacePart::QuadrantItems
            | WorkspacePart::Respondents
            | WorkspacePart::ItemText
            | WorkspacePart::BoardName => "board",
            WorkspacePart::RowErrors => "row error",
            WorkspacePart::Headers => "column",
            WorkspacePart::CustomerAttributes | WorkspacePart::LineAttributes => "attribute",
            _ => "customer",
        }
    }
}

/// Why a workspace was refused although it is well-formed JSON: a bound, a range or figures
/// that do not add up, each with the part and the values involved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum WorkspaceProblem {
    /// `count` of the part, more than the `max` allowed.
    TooMany {
        /// What there are too many of.
        part: WorkspacePart,
        /// Where (1-based, see [`WorkspacePart`]), if in one place.
        at: Option<u64>,
        /// How many there are (or would be, for an edit).
        count: u64,
        /// The bound.
        max: u64,
    },
    /// A text of `chars` characters, more than the `max` allowed.
    TooLong {
        /// Which text.
        part: WorkspacePart,
        /// Where (1-based), if in one place.
        at: Option<u64>,
        /// Its length in characters.
        chars: u64,
        /// The bound.
        max: u64,
    },
    /// A value outside its range: a day or month outside 0001–9999, a count of zero, an amount
    /// not finite or larger than the import could have read.
    OutOfRange {
        /// Which value.
        part: WorkspacePart,
        /// Where (1-based), if in one place.
        at: Option<u64>,
        /// The value.
        value: f64,
    },
    /// Figures that must agree do not (a sum, a count, an order of days or months).
    Disagree {
        /// Which figures.
        part: WorkspacePart,
        /// Where (1-based), if in one place.
        at: Option<u64>,
    },
    /// Encoded content that does not decode (purchase days that are not base64, or whose
    /// records end early or run on).
    Unreadable {
        /// Which content.
        part: WorkspacePart,
        /// Where (1-based), if in one place.
        at: Option<u64>,
    },
}

impl WorkspaceProblem {
    /// `Ok` when `count` of `part` (the `at`-th, when counted) is at most `max`, else
    /// [`WorkspaceProblem::TooMany`].
    pub fn at_most(
        part: WorkspacePart,
        at: Option<u64>,
        count: usize,
        max: usize,
    ) -> std::result::Result<(), WorkspaceProblem> {
        match count > max {
            false => Ok(()),
            true => Err(WorkspaceProblem::TooMany {
                part,
                at,
                count: count as u64,
                max: max as u64,
            }),
        }
    }
}

impl std::fmt::Display for WorkspaceProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (WorkspaceProblem::TooMany { part, at, .. }
        | WorkspaceProblem::TooLong { part, at, .. }
        | WorkspaceProblem::OutOfRange { part, at, .. }
        | WorkspaceProblem::Disagree { part, at }
        | WorkspaceProblem::Unreadable { part, at }) = self;
        if let Some(at) = at {
            write!(f, "{} {at}, ", part.counted())?;
        }
        let part = part.describe();
        match self {
            WorkspaceProblem::TooMany { count, max, .. } => {
                write!(f, "{part}: {count}, more than the {max} allowed")
            }
            WorkspaceProblem::TooLong { chars, max, .. } => {
                write!(f, "{part}: {chars} characters, more than the {max} allowed")
            }
            WorkspaceProblem::OutOfRange { value, .. } => {
                write!(f, "{part}: {value} is out of range")
            }
            WorkspaceProblem::Disagree { .. } => write!(f, "{part}: the figures do not agree"),
            WorkspaceProblem::Unreadable { .. } => write!(f, "{part}: cannot be read"),
        }
    }
}

/// The value of [`Workspace::format`]: what tells a workspace from any other JSON.
pub const WORKSPACE_FORMAT: &str = "valuelens-workspace";
/// The version this code writes; [`Workspace::from_json`] reads versions 1 to this one.
pub const WORKSPACE_VERSION: u32 = 2;
/// What [`Workspace::from_json`] names in an [`Error::Format`] (`what`), so the UI can word it.
pub const WORKSPACE_FILE: crate::engine::FormatSubject =
    crate::engine::FormatSubject::WorkspaceFile;
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
    /// The satisfaction survey (issue 16) with its loyalty parameters; `None` when none was
    /// imported, or it was forgotten.
    #[serde(default)]
    pub survey: Option<WorkspaceSurvey>,
}

/// A survey kept in the workspace: the file's name, the file itself (version 2) or what was read
/// from it (version 1), and the loyalty analysis's parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceSurvey {
    /// The survey file's name.
    pub file_name: String,
    /// The survey as read: what version 1 kept, and a survey reopened from such a file keeps;
    /// `None` when the file is kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survey: Option<Survey>,
    /// The loyalty analysis's parameters.
    pub config: LoyaltyConfig,
    /// The survey's file and how it was read, to be read again when the workspace is opened
    /// (as the page read it, with its scale and combination still to choose): a survey of
    /// 200,000 responses is 4.6 MB of file, 37 MB of JSON read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<WorkspaceSurveyFile>,
}

/// A survey file kept in a workspace: how it was read and its bytes (base64, standard
/// alphabet, padded).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceSurveyFile {
    /// The scale, combination, mapping, encoding and delimiter it was read with.
    pub options: SurveyOptions,
    /// The file's bytes in base64.
    pub bytes: String,
}

impl WorkspaceSurveyFile {
    /// The kept form of a survey file read from `bytes` with `options`.
    pub fn new(options: &SurveyOptions, bytes: &[u8]) -> WorkspaceSurveyFile {
        WorkspaceSurveyFile {
            options: options.clone(),
            bytes: BASE64.encode(bytes),
        }
    }

    /// The kept file's bytes.
    ///
    /// # Errors
    /// [`Error::Workspace`] when the text is not base64 or of more than [`MAX_SURVEY_BYTES`].
    pub fn file_bytes(&self) -> Result<Vec<u8>> {
        let part = WorkspacePart::SurveyFile;
        WorkspaceProblem::at_most(part, None, self.bytes.len() / 4 * 3, MAX_SURVEY_BYTES)
            .and_then(|()| {
                BASE64
                    .decode(&self.bytes)
                    .map_err(|_| WorkspaceProblem::Unreadable { part, at: None })
            })
            .map_err(Error::Workspace)
    }

    /// Checks that the bytes decode and that the mapping names no column past the most a
    /// workspace holds.
    fn check(&self) -> Result<()> {
        let part = WorkspacePart::SurveyFile;
        let columns = SurveyRole::ALL.map(|role| self.options.mapping.as_ref()?.get(role));
        if let Some(column) = columns.into_iter().flatten().max() {
            WorkspaceProblem::at_most(part, None, column, MAX_COLUMNS).map_err(Error::Workspace)?;
        }
        self.file_bytes().map(|_| ())
    }
}

/// The largest survey file a workspace keeps (bytes), as the page reads.
pub const MAX_SURVEY_BYTES: usize = 50 << 20;

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
            survey: None,
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
/// `first_errors` still name the first [`MAX_ERRORS_SHOWN`]
/// with line, column and reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceData {
    /// The name of the imported file, as shown to the user.
    pub file_name: String,
    /// The customers, column by column (compact in JSON: one array per field).
    pub customers: CustomerColumns,
    /// What the import did.
    pub report: ImportReport,
    /// Every customer's purchase days (for the lifecycle view); absent from files saved before
    /// the import kept them, which then open without them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<WorkspaceHistory>,
    /// The customer attributes of the order file (issue 20), parallel to `customers`; absent
    /// without attribute columns and from files saved before they were kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<CustomerAttributes>,
    /// The line attributes of the order file (issue 20), grouped by customer in `customers`'
    /// order; absent without line attribute columns and from files saved before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<LineAttributes>,
    /// The customer master file joined onto this data, when one was (issue 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub master: Option<WorkspaceMaster>,
}

/// A customer master file kept with the data: its name, how it was read and its bytes (base64,
/// standard alphabet, padded). The file itself is kept rather than what was read from it, so
/// that reopened it can be read again with another id column or attribute kind, exactly as
/// before saving; [`WorkspaceMaster::read`] reads it as the page did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceMaster {
    /// The master file's name.
    pub file_name: String,
    /// The id column, attribute kinds, encoding and delimiter it was read with.
    pub options: MasterOptions,
    /// The file's bytes in base64.
    pub bytes: String,
}

impl WorkspaceMaster {
    /// The kept form of a master file read from `bytes` with `options`.
    pub fn new(file_name: &str, options: &MasterOptions, bytes: &[u8]) -> WorkspaceMaster {
        WorkspaceMaster {
            file_name: file_name.into(),
            options: options.clone(),
            bytes: BASE64.encode(bytes),
        }
    }

    /// The file's bytes, when they are base64 of at most [`MAX_MASTER_BYTES`] bytes.
    fn decode(&self) -> std::result::Result<Vec<u8>, WorkspaceProblem> {
        let part = WorkspacePart::MasterFile;
        // Four characters of base64 carry three bytes: refuse a text too long before decoding.
        WorkspaceProblem::at_most(part, None, self.bytes.len() / 4 * 3, MAX_MASTER_BYTES)?;
        BASE64
            .decode(&self.bytes)
            .map_err(|_| WorkspaceProblem::Unreadable { part, at: None })
    }

    /// The kept file's bytes.
    ///
    /// # Errors
    /// [`Error::Workspace`] when the text is not base64 or of too many bytes.
    pub fn file_bytes(&self) -> Result<Vec<u8>> {
        self.decode().map_err(Error::Workspace)
    }

    /// Reads the kept file again as the page read it: what [`import_master`] gives for its
    /// bytes and options, and the bytes.
    ///
    /// # Errors
    /// [`Error::Workspace`] when the bytes are not base64 or too many, else the errors of
    /// [`import_master`].
    pub fn read(&self) -> Result<(CustomerMaster, Vec<u8>)> {
        let bytes = self.file_bytes()?;
        let master = import_master(&bytes, &self.options)?;
        Ok((master, bytes))
    }

    /// Checks the name, the options' bounds and that the bytes decode.
    fn check(&self) -> std::result::Result<(), WorkspaceProblem> {
        let part = WorkspacePart::MasterFile;
        check_chars(
            WorkspacePart::FileName,
            None,
            &self.file_name,
            MAX_TEXT_CHARS,
        )?;
        WorkspaceProblem::at_most(part, None, self.options.kinds.len(), MAX_COLUMNS)?;
        let columns = self.options.kinds.iter().map(|&(c, _)| c);
        if let Some(column) = self.options.id_column.into_iter().chain(columns).max() {
            WorkspaceProblem::at_most(part, None, column, MAX_COLUMNS)?;
        }
        self.decode().map(|_| ())
    }
}

/// The purchase-day history of a workspace ([`PurchaseHistory`], its columns as they are stored)
/// in a compact JSON form: the length of each customer's records as a number array, and all
/// records as one base64 string (standard alphabet, padded), about 12 bytes of text a purchase
/// day. Checked on load like every other figure ([`WorkspaceData::check_history`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceHistory {
    /// The data had a profit column (every day's profit is stored).
    pub profit: bool,
    /// The data had a quantity column (every day's quantity is stored).
    pub quantity: bool,
    /// Bytes of each customer's records, in the customers' order.
    pub lengths: Vec<u32>,
    /// The records of all customers, one after the other, in base64.
    pub bytes: String,
}

impl WorkspaceHistory {
    /// The stored form of `history`; `None` when a customer's records are longer than a `u32`
    /// counts (far more than the calendar's days take).
    pub fn from_history(history: &PurchaseHistory) -> Option<WorkspaceHistory> {
        let mut stored = WorkspaceHistory::lengths_of(history)?;
        stored.bytes = BASE64.encode(history.parts().3);
        Some(stored)
    }

    /// [`WorkspaceHistory::from_history`] without the records' text (`bytes` empty).
    fn lengths_of(history: &PurchaseHistory) -> Option<WorkspaceHistory> {
        let (profit, quantity, starts, _) = history.parts();
        let lengths = starts
            .windows(2)
            .map(|w| u32::try_from(w[1].saturating_sub(w[0])).ok())
            .collect::<Option<Vec<u32>>>()?;
        Some(WorkspaceHistory {
            profit,
            quantity,
            lengths,
            bytes: String::new(),
        })
    }

    /// The history's record bytes and their offsets (the lengths' prefix sums), when the bytes
    /// are base64 and the lengths add up to them.
    fn decode(&self) -> std::result::Result<(Vec<u64>, Vec<u8>), WorkspaceProblem> {
        let bytes = BASE64
            .decode(&self.bytes)
            .map_err(|_| WorkspaceProblem::Unreadable {
                part: WorkspacePart::PurchaseDays,
                at: None,
            })?;
        let mut starts = Vec::with_capacity(self.lengths.len() + 1);
        let mut end = 0u64;
        starts.push(end);
        for &length in &self.lengths {
            end += u64::from(length);
            starts.push(end);
        }
        if end != bytes.len() as u64 {
            return Err(WorkspaceProblem::Disagree {
                part: WorkspacePart::PurchaseDayLengths,
                at: None,
            });
        }
        Ok((starts, bytes))
    }
}

/// [`WorkspaceData::from_outcome`] a slice of customers at a time ([`GatherData::step`]): each
/// customer's months are summed from its purchase days as it is gathered, which at a hundred
/// thousand customers is more work than one of the page's tasks should hold.
#[derive(Debug)]
pub struct GatherData {
    customers: CustomerColumns,
}

impl GatherData {
    /// Nothing gathered yet of `outcome` (and no room taken: the columns grow as the slices
    /// come, so no one step takes and touches the room for a million customers).
    pub fn new(outcome: &ImportOutcome) -> Self {
        GatherData {
            customers: CustomerColumns::with_capacity(outcome.table.columns, 0),
        }
    }

    /// Gathers up to `count` more customers of `outcome` (the one given to [`GatherData::new`]);
    /// false once all are in.
    pub fn step(&mut self, outcome: &ImportOutcome, count: usize) -> bool {
        let all = &outcome.table.customers;
        let from = self.customers.len().min(all.len());
        let to = from.saturating_add(count).min(all.len());
        self.customers
            .extend_from(all.get(from..to).unwrap_or_default());
        to < all.len()
    }

    /// The data of `outcome`, the customers not gathered yet gathered first.
    pub fn finish(self, file_name: &str, outcome: &ImportOutcome) -> WorkspaceData {
        let mut data = self.finish_without_days(file_name, outcome);
        data.history = outcome
            .purchase_history()
            .and_then(|history| WorkspaceHistory::from_history(history));
        data
    }

    /// The JSON of [`GatherData::finish`]'s data with `master`, to be written a piece at a
    /// time, the purchase days' base64 text among the pieces ([`DataJson::with_days`]).
    ///
    /// # Errors
    /// As [`DataJson::new`].
    pub fn finish_json(
        self,
        file_name: &str,
        outcome: &ImportOutcome,
        master: Option<WorkspaceMaster>,
    ) -> Result<DataJson> {
        let mut data = self.finish_without_days(file_name, outcome);
        data.master = master;
        let days = outcome.purchase_history().and_then(|history| {
            let lengths = WorkspaceHistory::lengths_of(history)?;
            data.history = Some(lengths);
            Some(history.clone())
        });
        match days {
            Some(days) => DataJson::with_days(data, days),
            None => DataJson::new(data),
        }
    }

    /// [`GatherData::finish`] but for the purchase days.
    fn finish_without_days(mut self, file_name: &str, outcome: &ImportOutcome) -> WorkspaceData {
        self.step(outcome, usize::MAX);
        WorkspaceData {
            file_name: file_name.into(),
            customers: self.customers,
            report: outcome.report.clone(),
            history: None,
            attributes: outcome.customer_attributes().map(|a| (**a).clone()),
            lines: outcome
                .lines
                .as_ref()
                .filter(|l| l.fits(outcome.table.customers.len()))
                .map(|l| (**l).clone()),
            master: None,
        }
    }
}

/// A workspace's data set as the page keeps it: the import outcome, its file's name and the
/// master file kept with it ([`Workspace::read_apart`], [`DataApart::from_record`]).
#[derive(Debug)]
pub struct DataApart {
    /// The imported file's name.
    pub file_name: String,
    /// The customers, report, purchase days and attributes.
    pub outcome: ImportOutcome,
    /// The master file joined onto the data, as kept (read again by the page).
    pub master: Option<WorkspaceMaster>,
}

impl DataApart {
    /// `data` checked and made an outcome, its master kept aside.
    fn new(mut data: WorkspaceData) -> Result<DataApart> {
        let master = data.master.take();
        let (file_name, outcome) = data.into_outcome()?;
        Ok(DataApart {
            file_name,
            outcome,
            master,
        })
    }

    /// The data set of `text`, the JSON of a [`WorkspaceData`] (the page's record of its last
    /// session's data, as [`DataJson`] writes it), checked as [`Workspace::from_json`] checks
    /// a workspace's data.
    ///
    /// # Errors
    /// As [`Workspace::from_json`].
    pub fn from_record(text: &str) -> Result<DataApart> {
        let data: WorkspaceData = serde_json::from_str(text).map_err(|e| diagnose(text, e))?;
        DataApart::new(data)
    }
}

impl WorkspaceData {
    /// The data of an import, without its rejected rows, with its purchase days when it has
    /// them.
    pub fn from_outcome(file_name: &str, outcome: &ImportOutcome) -> WorkspaceData {
        GatherData::new(outcome).finish(file_name, outcome)
    }

    /// The import outcome again, with no rejected rows (their cells were not saved).
    ///
    /// The data is checked first, as [`Workspace::from_json`] checks it, so data that never went
    /// through it cannot send a value out of range into the analyses either.
    ///
    /// # Errors
    /// [`Error::Format`] when the columns disagree in length or the ids are not sorted,
    /// [`Error::Workspace`] for a bound, a range or figures that do not add up (a workspace
    /// read by [`Workspace::from_json`] has been checked and does not fail here).
    pub fn into_outcome(self) -> Result<(String, ImportOutcome)> {
        let history = self.validate()?;
        let table: CustomerTable = self.customers.into_table().map_err(format_error)?;
        Ok((
            self.file_name,
            ImportOutcome {
                table,
                report: self.report,
                rejected: Vec::new(),
                history: history.map(Arc::new),
                attributes: self.attributes.map(Arc::new),
                lines: self.lines.map(Arc::new),
            },
        ))
    }

    /// Checks that the columns agree in length and the ids are unique and sorted, as in a
    /// [`CustomerTable`], that the report's settings are complete, and every figure
    /// ([`WorkspaceData::check_figures`], [`WorkspaceData::check_history`]); the purchase days,
    /// decoded, when there are any.
    fn validate(&self) -> Result<Option<PurchaseHistory>> {
        let c = &self.customers;
        if !c.customer_lengths_agree() {
            return Err(invalid(InvalidContent::ColumnLengths));
        }
        if c.month_total().is_none() {
            return Err(invalid(InvalidContent::MonthColumns));
        }
        if let Some(pair) = c.ids.windows(2).find(|pair| pair[0] >= pair[1]) {
            return Err(invalid(InvalidContent::UnsortedIds {
                at: pair[1].to_string(),
            }));
        }
        self.report.settings.validate().map_err(|error| {
            invalid(InvalidContent::Part {
                part: ContentPart::DataImportSettings,
                error: Box::new(error),
            })
        })?;
        self.check_figures()
            .and_then(|()| self.check_attributes())
            .and_then(|()| self.check_lines())
            .and_then(|()| self.master.as_ref().map_or(Ok(()), WorkspaceMaster::check))
            .map_err(Error::Workspace)?;
        self.check_history().map_err(Error::Workspace)
    }

    /// Checks the customer attributes as the import makes them: at most [`MAX_COLUMNS`], their
    /// keys distinct, texts within [`MAX_TEXT_CHARS`], at most one value more than there are
    /// customers (the blank), one code per customer naming a value, and no more customers with
    /// a changed value than customers.
    fn check_attributes(&self) -> std::result::Result<(), WorkspaceProblem> {
        use WorkspacePart as Part;
        let Some(kept) = &self.attributes else {
            return Ok(());
        };
        let customers = self.customers.len();
        let part = Part::CustomerAttributes;
        WorkspaceProblem::at_most(part, None, kept.attributes.len(), MAX_COLUMNS)?;
        for (i, attribute) in kept.attributes.iter().enumerate() {
            let at = Some(i as u64 + 1);
            check_texts(part, at, &attribute.key, &attribute.name, &attribute.values)?;
            WorkspaceProblem::at_most(part, at, attribute.values.len(), customers + 1)?;
            let repeated = kept.attributes.get(..i).unwrap_or_default().iter();
            if repeated.clone().any(|a| a.key == attribute.key)
                || attribute.codes.len() != customers
                || !attribute.check()
            {
                return Err(WorkspaceProblem::Disagree { part, at });
            }
            if attribute.changed > customers as u64 {
                return Err(WorkspaceProblem::OutOfRange {
                    part,
                    at,
                    value: attribute.changed as f64,
                });
            }
        }
        Ok(())
    }

    /// Checks the line attributes as the import makes them: at most [`MAX_COLUMNS`], keys
    /// distinct, texts within [`MAX_TEXT_CHARS`], grouped by customer
    /// ([`crate::engine::dimensions::LineAttribute::fits`]),
    /// no customer with more values than rows nor a value in more orders than the customer
    /// has, and each value's sales and profit within the customer's rows times
    /// [`MAX_MAGNITUDE`].
    fn check_lines(&self) -> std::result::Result<(), WorkspaceProblem> {
        use WorkspacePart as Part;
        let Some(kept) = &self.lines else {
            return Ok(());
        };
        let c = &self.customers;
        let part = Part::LineAttributes;
        WorkspaceProblem::at_most(part, None, kept.lines.len(), MAX_COLUMNS)?;
        for (i, line) in kept.lines.iter().enumerate() {
            let at = Some(i as u64 + 1);
            check_texts(part, at, &line.key, &line.name, &line.values)?;
            WorkspaceProblem::at_most(part, at, line.values.len(), line.codes.len() + 1)?;
            let repeated = kept.lines.get(..i).unwrap_or_default().iter();
            if repeated.clone().any(|l| l.key == line.key) || !line.fits(c.len()) {
                return Err(WorkspaceProblem::Disagree { part, at });
            }
            for (customer, (&rows, &orders)) in c.rows.iter().zip(&c.orders).enumerate() {
                let bound = f64::from(rows) * MAX_MAGNITUDE;
                let mut pairs = 0u64;
                for pair in line.pairs_of(customer) {
                    pairs += 1;
                    for value in [pair.sales, pair.profit] {
                        // NaN fails the comparison.
                        let within = value.abs() <= bound;
                        if !within {
                            return Err(WorkspaceProblem::OutOfRange { part, at, value });
                        }
                    }
                    if pair.orders > orders {
                        return Err(WorkspaceProblem::Disagree { part, at });
                    }
                }
                if pairs > u64::from(rows) {
                    return Err(WorkspaceProblem::Disagree { part, at });
                }
            }
        }
        Ok(())
    }

    /// Decodes and checks the purchase days, as the import would have made them, once the
    /// customers are checked: one record length per customer, adding up to the bytes, which are
    /// base64; the profit and quantity flags those of the data; every customer's records
    /// decoding completely with days rising inside [`crate::engine::calendar::DAY_RANGE`]; no
    /// day without a date column, and with one the first and last day those of the customer, at
    /// most as many days as rows, the days' orders adding up to at most the customer's, and
    /// each day's amounts within the customer's rows times [`MAX_MAGNITUDE`].
    fn check_history(&self) -> std::result::Result<Option<PurchaseHistory>, WorkspaceProblem> {
        use WorkspacePart as Part;
        use WorkspaceProblem::{Disagree, OutOfRange, Unreadable};
        let Some(stored) = &self.history else {
            return Ok(None);
        };
        let c = &self.customers;
        if stored.lengths.len() != c.len() {
            return Err(Disagree {
                part: Part::PurchaseDayLengths,
                at: None,
            });
        }
        if (stored.profit, stored.quantity) != (c.columns.profit, c.columns.quantity) {
            return Err(Disagree {
                part: Part::Columns,
                at: None,
            });
        }
        let (starts, bytes) = stored.decode()?;
        let history =
            PurchaseHistory::from_checked_parts(stored.profit, stored.quantity, starts, bytes);
        for i in 0..c.len() {
            let at = Some(i as u64 + 1);
            let days = history.days(i);
            if !days.clone().check_to_end() {
                return Err(Unreadable {
                    part: Part::PurchaseDays,
                    at,
                });
            }
            let disagree = Err(Disagree {
                part: Part::PurchaseDays,
                at,
            });
            if !c.columns.date {
                if days.count() != 0 {
                    return disagree;
                }
                continue;
            }
            // The customer's figures are checked: the lengths agree, the days are in range.
            let rows = c.rows[i];
            let bound = f64::from(rows) * MAX_MAGNITUDE;
            let (mut count, mut orders) = (0u64, 0u64);
            let (mut first, mut last) = (None, None);
            for day in days {
                count += 1;
                orders += u64::from(day.orders);
                first = first.or(Some(day.day));
                last = Some(day.day);
                for value in [day.sales, day.profit, day.quantity] {
                    // NaN fails the comparison.
                    let within = value.abs() <= bound;
                    if !within {
                        return Err(OutOfRange {
                            part: Part::PurchaseDays,
                            at,
                            value,
                        });
                    }
                }
            }
            let ends = (first.unwrap_or(NO_DAY), last.unwrap_or(NO_DAY));
            if count > u64::from(rows)
                || orders > u64::from(c.orders[i])
                || ends != (c.first[i], c.last[i])
            {
                return disagree;
            }
        }
        // Every customer decodes and the offsets are the lengths' prefix sums up to the bytes.
        Ok(Some(history))
    }

    /// Checks every figure against its range and against the others, as the import would have
    /// made them: texts within [`MAX_TEXT_CHARS`], rows read = accepted + rejected, each
    /// customer's rows, orders and returns consistent and adding up to the report's, amounts
    /// at most the customer's rows times the largest amount the import reads
    /// ([`MAX_MAGNITUDE`]), days within [`crate::engine::calendar::DAY_RANGE`] with first ≤ last, months strictly
    /// rising from the first day's month to the last day's, and monthly sales and profit adding
    /// up to the customer's (within [`SUM_TOLERANCE`]). Runs after the lengths are checked.
    fn check_figures(&self) -> std::result::Result<(), WorkspaceProblem> {
        use WorkspacePart as Part;
        use WorkspaceProblem::{Disagree, OutOfRange};
        let c = &self.customers;
        let report = &self.report;
        check_chars(Part::FileName, None, &self.file_name, MAX_TEXT_CHARS)?;
        check_headers(&report.settings)?;
        if c.columns != report.settings.columns() {
            return Err(Disagree {
                part: Part::Columns,
                at: None,
            });
        }
        if report.rows_accepted.checked_add(report.rows_rejected) != Some(report.rows_read) {
            return Err(Disagree {
                part: Part::RowCounts,
                at: None,
            });
        }
        let errors = report.first_errors.len();
        WorkspaceProblem::at_most(Part::RowErrors, None, errors, MAX_ERRORS_SHOWN)?;
        if errors as u64 > report.rows_rejected {
            return Err(Disagree {
                part: Part::RowErrors,
                at: None,
            });
        }
        for (k, error) in report.first_errors.iter().enumerate() {
            let at = Some(k as u64 + 1);
            check_chars(Part::RowErrors, at, &error.column, MAX_TEXT_CHARS)?;
            check_chars(Part::RowErrors, at, &error.value, MAX_TEXT_CHARS)?;
        }
        let mut rows_total = 0u64;
        let mut returns_total = 0u64;
        let (mut first_day, mut last_day): (Option<Day>, Option<Day>) = (None, None);
        let mut offset = 0usize;
        for (i, id) in c.ids.iter().enumerate() {
            let at = Some(i as u64 + 1);
            check_chars(Part::CustomerId, at, id, MAX_TEXT_CHARS)?;
            let rows = c.rows[i];
            if rows == 0 {
                return Err(OutOfRange {
                    part: Part::Rows,
                    at,
                    value: 0.0,
                });
            }
            if c.orders[i] == 0 || c.orders[i] > rows {
                return Err(Disagree {
                    part: Part::Orders,
                    at,
                });
            }
            if c.returns[i] > rows {
                return Err(Disagree {
                    part: Part::Returns,
                    at,
                });
            }
            rows_total = rows_total.saturating_add(u64::from(rows));
            returns_total = returns_total.saturating_add(u64::from(c.returns[i]));
            // No sum of `rows` amounts the import reads is larger; NaN fails the comparison.
            let bound = f64::from(rows) * MAX_MAGNITUDE;
            let figure = |part: WorkspacePart, value: f64| match value.abs() <= bound {
                true => Ok(()),
                false => Err(OutOfRange { part, at, value }),
            };
            figure(Part::Sales, c.sales[i])?;
            figure(Part::Profit, c.profit[i])?;
            figure(Part::Quantity, c.quantity[i])?;
            for (present, part, value) in [
                (c.columns.profit, Part::Profit, c.profit[i]),
                (c.columns.quantity, Part::Quantity, c.quantity[i]),
            ] {
                if !present && value != 0.0 {
                    return Err(Disagree { part, at });
                }
            }
            // The lengths are checked: the counts add up to the months there are.
            let count = c.month_counts[i] as usize;
            let months = offset..offset + count;
            offset += count;
            let (first, last) = (c.first[i], c.last[i]);
            if !c.columns.date {
                for (part, wrong) in [
                    (Part::FirstDay, first != NO_DAY),
                    (Part::LastDay, last != NO_DAY),
                    (Part::Months, count != 0),
                ] {
                    if wrong {
                        return Err(Disagree { part, at });
                    }
                }
                continue;
            }
            for (part, day) in [(Part::FirstDay, first), (Part::LastDay, last)] {
                if !day.in_range() {
                    return Err(OutOfRange {
                        part,
                        at,
                        value: f64::from(day.epoch_days()),
                    });
                }
            }
            if first > last {
                return Err(Disagree {
                    part: Part::LastDay,
                    at,
                });
            }
            first_day = earliest(first_day, Some(first));
            last_day = latest(last_day, Some(last));
            if count == 0 || count > rows as usize {
                return Err(Disagree {
                    part: Part::Months,
                    at,
                });
            }
            let (low, high) = (first.month(), last.month());
            let mut previous = None;
            let mut sums = [0.0f64; 4];
            for j in months {
                let month = c.months[j];
                if !(low..=high).contains(&month) {
                    return Err(OutOfRange {
                        part: Part::Month,
                        at,
                        value: f64::from(month.index()),
                    });
                }
                if previous.is_some_and(|p| p >= month) {
                    return Err(Disagree {
                        part: Part::Months,
                        at,
                    });
                }
                previous = Some(month);
                let (sales, profit) = (c.month_sales[j], c.month_profit[j]);
                figure(Part::MonthSales, sales)?;
                figure(Part::MonthProfit, profit)?;
                sums[0] += sales;
                sums[1] += sales.abs();
                sums[2] += profit;
                sums[3] += profit.abs();
            }
            let ends = (c.months[offset - count], c.months[offset - 1]);
            if ends != (low, high) {
                return Err(Disagree {
                    part: Part::Months,
                    at,
                });
            }
            for (part, sum, size, total) in [
                (Part::MonthSales, sums[0], sums[1], c.sales[i]),
                (Part::MonthProfit, sums[2], sums[3], c.profit[i]),
            ] {
                let tolerance = SUM_TOLERANCE * size.max(total.abs()).max(1.0);
                if (sum - total).abs() > tolerance {
                    return Err(Disagree { part, at });
                }
            }
        }
        if rows_total != report.rows_accepted {
            return Err(Disagree {
                part: Part::RowCounts,
                at: None,
            });
        }
        if returns_total != report.return_rows {
            return Err(Disagree {
                part: Part::ReturnRows,
                at: None,
            });
        }
        if (first_day, last_day) != (report.first_day, report.last_day) {
            return Err(Disagree {
                part: Part::ReportDays,
                at: None,
            });
        }
        Ok(())
    }
}

/// Refuses a text of more than `max` characters.
/// Checks an attribute's key, name and values against [`MAX_TEXT_CHARS`].
fn check_texts(
    part: WorkspacePart,
    at: Option<u64>,
    key: &str,
    name: &str,
    values: &[String],
) -> std::result::Result<(), WorkspaceProblem> {
    [key, name]
        .into_iter()
        .chain(values.iter().map(String::as_str))
        .try_for_each(|text| check_chars(part, at, text, MAX_TEXT_CHARS))
}

pub(crate) fn check_chars(
    part: WorkspacePart,
    at: Option<u64>,
    text: &str,
    max: usize,
) -> std::result::Result<(), WorkspaceProblem> {
    // A character takes at least a byte: only a long text needs counting.
    if text.len() <= max {
        return Ok(());
    }
    let chars = text.chars().count();
    match chars <= max {
        true => Ok(()),
        false => Err(WorkspaceProblem::TooLong {
            part,
            at,
            chars: chars as u64,
            max: max as u64,
        }),
    }
}

/// Refuses import settings naming more than [`MAX_COLUMNS`] columns or a longer column name
/// than [`MAX_TEXT_CHARS`].
fn check_headers(settings: &ImportSettings) -> std::result::Result<(), WorkspaceProblem> {
    let count = settings.headers.len();
    WorkspaceProblem::at_most(WorkspacePart::Headers, None, count, MAX_COLUMNS)?;
    settings
        .headers
        .iter()
        .enumerate()
        .try_for_each(|(k, name)| {
            check_chars(
                WorkspacePart::Headers,
                Some(k as u64 + 1),
                name,
                MAX_TEXT_CHARS,
            )
        })
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
        text.map_err(|e| {
            format_error(FormatProblem::Unwritable {
                detail: e.to_string(),
            })
        })
    }

    /// The text of [`Workspace::to_json`] around its data's, for a workspace whose `data` is
    /// `None`: what comes before the data's JSON ([`DataJson`]'s text) and what comes after it,
    /// so that a data set's text can be written a piece at a time between them (the three one
    /// after the other are `to_json` of the workspace with the data).
    ///
    /// # Errors
    /// As [`Workspace::to_json`].
    pub fn json_around_data(&self) -> Result<(String, String)> {
        let unwritable = |detail: String| format_error(FormatProblem::Unwritable { detail });
        let survey = serde_json::to_string(&self.survey).map_err(|e| unwritable(e.to_string()))?;
        let without = Workspace {
            data: None,
            survey: None,
            ..self.clone()
        };
        let text = serde_json::to_string(&without).map_err(|e| unwritable(e.to_string()))?;
        // `data` and `survey` are the last two fields serde writes.
        let head = text
            .strip_suffix("null,\"survey\":null}")
            .filter(|head| head.ends_with(",\"data\":"))
            .ok_or_else(|| unwritable("the workspace's fields moved".into()))?;
        Ok((head.to_string(), format!(",\"survey\":{survey}}}")))
    }

    /// Reads a workspace saved by [`Workspace::to_json`] (a leading byte-order mark is
    /// skipped) and checks every part as if the user had entered it.
    ///
    /// # Errors
    /// - [`Error::NewerWorkspace`] for a version above [`WORKSPACE_VERSION`];
    /// - [`Error::Format`] ([`WORKSPACE_FILE`]) for an empty file, text that is not JSON, JSON
    ///   that is cut off, JSON that is not a ValueLens workspace (no or another `format`), and a
    ///   workspace with invalid content (the first problem is named);
    /// - [`Error::Workspace`] for more of something than a workspace holds, a text too long, a
    ///   value out of its range or figures that do not add up ([`WorkspaceProblem`]).
    pub fn from_json(text: &str) -> Result<Workspace> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Err(format_error(FormatProblem::Empty));
        }
        match serde_json::from_str::<Workspace>(text) {
            Ok(workspace) => {
                workspace.validate()?;
                Ok(workspace)
            }
            Err(e) => Err(diagnose(text, e)),
        }
    }

    /// Reads a workspace as [`Workspace::from_json`] does, its data set apart: the workspace
    /// without it, checked, and the data set as the page keeps it ([`DataApart`]), checked once
    /// on the way ([`WorkspaceData::into_outcome`]). What the import worker does with a file
    /// the user opens, so that the page never parses a large one.
    ///
    /// The data set is checked after the rest: of a file with a bad survey and bad data, the
    /// survey's problem is named (`from_json` names the data's).
    ///
    /// # Errors
    /// As [`Workspace::from_json`].
    pub fn read_apart(text: &str) -> Result<(Workspace, Option<DataApart>)> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Err(format_error(FormatProblem::Empty));
        }
        let mut workspace: Workspace = serde_json::from_str(text).map_err(|e| diagnose(text, e))?;
        let data = workspace.data.take();
        workspace.validate()?;
        let data = data.map(DataApart::new).transpose()?;
        Ok((workspace, data))
    }

    /// Checks every part: the format and version, the import settings, both configurations,
    /// the segment rules, the SWOT boards and the data.
    ///
    /// # Errors
    /// As [`Workspace::from_json`].
    pub fn validate(&self) -> Result<()> {
        check_header(Some(&self.format), Some(self.version.into()))?;
        let part = |part: ContentPart, result: Result<()>| {
            result.map_err(|error| {
                invalid(InvalidContent::Part {
                    part,
                    error: Box::new(error),
                })
            })
        };
        if let Some(settings) = &self.settings {
            part(ContentPart::ImportSettings, settings.validate())?;
        }
        part(ContentPart::DecileParameters, self.decile_config.validate())?;
        part(ContentPart::RfmParameters, self.rfm_config.validate())?;
        part(ContentPart::SegmentRules, self.rfm_rules.validate())?;
        part(ContentPart::SwotBoards, self.swot.validate())?;
        self.swot.check_limits()?;
        let cover = &self.cover;
        let texts = [&cover.title, &cover.client, &cover.analyst, &cover.date];
        texts
            .into_iter()
            .try_for_each(|text| check_chars(WorkspacePart::Cover, None, text, MAX_TEXT_CHARS))
            .and_then(|()| {
                check_chars(WorkspacePart::SavedAt, None, &self.saved_at, MAX_TEXT_CHARS)
            })
            .and_then(|()| self.settings.as_ref().map_or(Ok(()), check_headers))
            .map_err(Error::Workspace)?;
        if let Some(data) = &self.data {
            data.validate()?;
        }
        if let Some(kept) = &self.survey {
            check_chars(
                WorkspacePart::FileName,
                None,
                &kept.file_name,
                MAX_TEXT_CHARS,
            )
            .map_err(Error::Workspace)?;
            // The survey read, or its file (whose scale, and so the parameters' check, is known
            // once it is read again); one of them.
            match (&kept.survey, &kept.file) {
                (Some(survey), None) => {
                    part(ContentPart::Survey, survey.validate())?;
                    part(ContentPart::Survey, kept.config.validate(survey.scale))?;
                }
                (None, Some(file)) => part(ContentPart::Survey, file.check())?,
                _ => {
                    let problem = WorkspaceProblem::Unreadable {
                        part: WorkspacePart::SurveyFile,
                        at: None,
                    };
                    part(ContentPart::Survey, Err(Error::Workspace(problem)))?;
                }
            }
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
            return Err(format_error(FormatProblem::OtherFormat {
                format: other.chars().take(40).collect(),
            }))
        }
        None => return Err(format_error(FormatProblem::NoFormatName)),
    }
    match version {
        None | Some(0) => Err(invalid(InvalidContent::NoVersion)),
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
            return format_error(FormatProblem::CutOff {
                detail: error.to_string(),
            })
        }
        Category::Syntax | Category::Io => {
            return format_error(FormatProblem::NotJson {
                detail: error.to_string(),
            })
        }
        Category::Data => {}
    }
    let header = match text.trim_start().starts_with('{') {
        true => serde_json::from_str::<Header>(text).ok(),
        false => None,
    };
    let Some(header) = header else {
        return format_error(FormatProblem::NotAnObject);
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
            None => {
                return invalid(InvalidContent::VersionNotWhole {
                    value: v.to_string(),
                })
            }
        },
    };
    match check_header(format, version) {
        Err(e) => e,
        Ok(()) => invalid(InvalidContent::Shape {
            detail: error.to_string(),
        }),
    }
}

fn format_error(reason: FormatProblem) -> Error {
    Error::Format {
        what: WORKSPACE_FILE,
        reason,
    }
}

fn invalid(content: InvalidContent) -> Error {
    format_error(FormatProblem::Invalid(content))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::history::PurchaseDay;
    use crate::engine::ingest::{import_bytes, InspectOptions};
    use crate::engine::rfm::Monetary;

    use crate::engine::swot::{Quadrant, MAX_COMPETITORS};

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
                analysis_day: Some(Day::from_epoch_days(19_900)),
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
                reason.to_string()
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
        assert!(text.starts_with(r#"{"format":"valuelens-workspace","version":2,"#));
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
             version 2"
        );
        let bare = r#"{"format":"valuelens-workspace","version":3}"#;
        assert!(matches!(
            Workspace::from_json(bare),
            Err(Error::NewerWorkspace { version: 3, .. })
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

    /// The full workspace as a JSON value, for edits.
    fn full_value() -> serde_json::Value {
        serde_json::from_str(&full_workspace().to_json().unwrap()).unwrap()
    }

    /// The problem of an edited workspace that must be refused.
    fn problem(value: &serde_json::Value) -> WorkspaceProblem {
        match Workspace::from_json(&value.to_string()) {
            Err(Error::Workspace(problem)) => problem,
            other => panic!("expected a workspace problem, got {other:?}"),
        }
    }

    /// Issue 18, item 4: months of `i32::MIN` and `i32::MAX` in an otherwise valid file sized a
    /// month series to "capacity overflow" (a panic in wasm).
    #[test]
    fn months_far_outside_the_calendar_are_refused() {
        let mut value = full_value();
        value["data"]["customers"]["months"][1] = i32::MIN.into();
        value["data"]["customers"]["months"][2] = i32::MAX.into();
        assert_eq!(
            problem(&value),
            WorkspaceProblem::OutOfRange {
                part: WorkspacePart::Month,
                at: Some(2),
                value: f64::from(i32::MIN),
            }
        );
        // The rebuild checks too: columns that never went through `from_json`.
        let mut workspace = full_workspace();
        let data = workspace.data.as_mut().unwrap();
        data.customers.months[2] = crate::engine::calendar::Month::from_index(i32::MAX);
        assert!(matches!(
            workspace.data.unwrap().into_outcome(),
            Err(Error::Workspace(WorkspaceProblem::OutOfRange {
                part: WorkspacePart::Month,
                ..
            }))
        ));
    }

    /// Issue 18, item 5: ten month sales of 1.7e308 (their sum is infinite) kept the renderer
    /// busy for 15 minutes.
    #[test]
    fn month_sales_whose_sum_overflows_are_refused() {
        let csv: String = std::iter::once("customer,date,amount\n".to_string())
            .chain((1..=10).map(|m| format!("C1,2024-{m:02}-01,5\n")))
            .collect();
        let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
        let workspace = Workspace {
            data: Some(WorkspaceData::from_outcome("big.csv", &outcome)),
            ..Workspace::default()
        };
        let mut value: serde_json::Value =
            serde_json::from_str(&workspace.to_json().unwrap()).unwrap();
        assert!(Workspace::from_json(&value.to_string()).is_ok());
        let customers = &mut value["data"]["customers"];
        customers["month_sales"] = serde_json::json!(vec![1.7e308; 10]);
        customers["sales"][0] = 1.7e308.into();
        assert_eq!(
            problem(&value),
            WorkspaceProblem::OutOfRange {
                part: WorkspacePart::Sales,
                at: Some(1),
                value: 1.7e308,
            }
        );
        // Within the bound one by one, but not adding up to the customer's sales.
        let customers = &mut value["data"]["customers"];
        customers["sales"][0] = 50.into();
        customers["month_sales"] = serde_json::json!([1e15, -1e15 + 10.0, 5, 5, 5, 5, 5, 5, 5, 5]);
        assert!(Workspace::from_json(&value.to_string()).is_ok());
        // A month may hold at most the customer's rows times the largest amount.
        value["data"]["customers"]["month_sales"][0] = 2e16.into();
        assert!(matches!(
            problem(&value),
            WorkspaceProblem::OutOfRange {
                part: WorkspacePart::MonthSales,
                at: Some(1),
                ..
            }
        ));
        value["data"]["customers"]["month_sales"][0] = 1e14.into();
        assert_eq!(
            problem(&value),
            WorkspaceProblem::Disagree {
                part: WorkspacePart::MonthSales,
                at: Some(1),
            }
        );
    }

    /// Issue 18, item 8: a workspace with 20,000 competitors froze the SWOT view for half a
    /// minute, again after every reload.
    #[test]
    fn twenty_thousand_competitors_are_refused() {
        let mut value = full_value();
        let boards: Vec<serde_json::Value> = (0..20_000u64)
            .map(|k| serde_json::json!({"id": 1_000 + k, "name": format!("C{k}"), "items": []}))
            .collect();
        value["swot"]["competitors"] = boards.into();
        value["swot"]["next_id"] = 100_000.into();
        assert_eq!(
            problem(&value),
            WorkspaceProblem::TooMany {
                part: WorkspacePart::Competitors,
                at: None,
                count: 20_000,
                max: MAX_COMPETITORS as u64,
            }
        );
        // The SWOT view's "add a competitor" stops at the same bound.
        let mut workbench = Workbench::default();
        while workbench.competitors.len() < MAX_COMPETITORS {
            let name = format!("X{}", workbench.competitors.len());
            workbench.add_competitor(&name).unwrap();
        }
        assert_eq!(
            workbench.add_competitor("one too many"),
            Err(Error::Workspace(WorkspaceProblem::TooMany {
                part: WorkspacePart::Competitors,
                at: None,
                count: MAX_COMPETITORS as u64 + 1,
                max: MAX_COMPETITORS as u64,
            }))
        );
    }

    /// Every import the checks were written against passes them: the sample in both
    /// languages and the order fixtures (returns, rejected rows, GBK, serial dates, no dates …),
    /// read whole and in two halves.
    #[test]
    fn real_imports_pass_the_checks() {
        use crate::engine::ingest::import_in_halves;
        use crate::engine::sample::{sample_csv, SampleLanguage};
        let mut files: Vec<(String, Vec<u8>)> = [SampleLanguage::English, SampleLanguage::Chinese]
            .into_iter()
            .map(|l| (format!("{l:?}"), sample_csv(l).into_bytes()))
            .collect();
        let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest");
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            files.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
        let mut checked = 0;
        for (name, bytes) in files {
            let Ok(outcome) = import_bytes(&bytes, &InspectOptions::default()) else {
                continue;
            };
            let halves = import_in_halves(&bytes, outcome.report.settings.clone(), bytes.len() / 2);
            for outcome in std::iter::once(outcome).chain(halves) {
                let workspace = Workspace {
                    data: Some(WorkspaceData::from_outcome(&name, &outcome)),
                    ..Workspace::default()
                };
                let back = Workspace::from_json(&workspace.to_json().unwrap());
                assert!(back.is_ok(), "{name}: {back:?}");
                checked += 1;
            }
        }
        assert!(checked >= 20, "{checked}");
    }

    /// A workspace written around its data's text (as the page saves a file a piece at a time)
    /// is the workspace written at once, with and without a survey, whatever the pieces.
    #[test]
    fn a_workspace_written_around_its_data_is_the_workspace_written_at_once() {
        use crate::engine::survey::{import_survey, SurveyOptions};
        let no_survey = full_workspace();
        let survey = import_survey(
            "customer,nps,comment\nC1,9,\"好, \"\"很好\"\"\"\nC2,3,\n".as_bytes(),
            &SurveyOptions::default(),
        )
        .unwrap();
        let whole = Workspace {
            survey: Some(WorkspaceSurvey {
                file_name: "满意度 \"data\":null.csv".into(),
                survey: Some(survey),
                config: Default::default(),
                file: None,
            }),
            ..no_survey.clone()
        };
        assert!(whole.data.is_some());
        for workspace in [whole, no_survey] {
            let at_once = workspace.to_json().unwrap();
            let mut without = workspace.clone();
            let data = without.data.take().unwrap();
            let (head, tail) = without.json_around_data().unwrap();
            for values in [1, 3, 1000] {
                let mut json = DataJson::new(data.clone()).unwrap();
                let mut text = head.clone();
                while !json.step(values).unwrap() {
                    text.push_str(&json.take_written());
                }
                text.push_str(&json.finish().unwrap());
                text.push_str(&tail);
                assert_eq!(text, at_once, "{values} values a step");
            }
        }
    }

    /// Gathered a slice of customers at a time (as the page keeps its session), the data is the
    /// same as gathered at once, whatever the slices, and its months are the customers' own.
    #[test]
    fn data_gathered_in_slices_is_the_data_gathered_at_once() {
        let mut csv = String::from("customer,order,date,amount,profit\n");
        for row in 0..400u32 {
            let (customer, month, day) = (row * 7 % 37, 1 + row % 12, 1 + row % 27);
            let amount = f64::from(row % 50) * 3.25 - 20.0;
            csv.push_str(&format!(
                "C{customer},O{},2023-{month:02}-{day:02},{amount},{}\n",
                row / 2,
                row % 9
            ));
        }
        let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
        assert_eq!(outcome.table.customers.len(), 37);
        assert!(outcome.history.is_some());
        let at_once = WorkspaceData::from_outcome("x.csv", &outcome);
        let months: Vec<crate::engine::customers::MonthTotal> = outcome
            .table
            .customers
            .iter()
            .flat_map(|c| c.months.to_vec())
            .collect();
        assert_eq!(at_once.customers.months.len(), months.len());
        assert!(at_once
            .customers
            .month_sales
            .iter()
            .eq(months.iter().map(|m| &m.sales)));
        for slice in [1, 2, 5, 36, 37, 1000] {
            let mut gather = GatherData::new(&outcome);
            let mut steps = 0;
            while gather.step(&outcome, slice) {
                steps += 1;
                assert!(steps <= 37, "slice {slice}: no end");
            }
            assert_eq!(steps, 37usize.div_ceil(slice) - 1, "slice {slice}");
            assert_eq!(gather.finish("x.csv", &outcome), at_once, "slice {slice}");
        }
        // Finishing part-way gathers the rest.
        let mut gather = GatherData::new(&outcome);
        gather.step(&outcome, 10);
        assert_eq!(gather.finish("x.csv", &outcome), at_once);
    }

    /// The purchase days go with the data and come back exactly: as written, through JSON, and
    /// into the outcome the page loads.
    #[test]
    fn the_purchase_days_round_trip() {
        let original = outcome();
        let history = original.purchase_history().unwrap();
        assert_eq!(history.day_count(), 3);
        let workspace = full_workspace();
        let stored = workspace.data.as_ref().unwrap().history.as_ref().unwrap();
        assert_eq!(stored.lengths.len(), 2);
        assert!((stored.profit, stored.quantity) == (true, false));
        let text = workspace.to_json().unwrap();
        assert!(text.contains(r#""history":{"profit":true,"quantity":false,"lengths":["#));
        let back = Workspace::from_json(&text).unwrap();
        assert_eq!(back, workspace);
        let (_, rebuilt) = back.data.unwrap().into_outcome().unwrap();
        assert_eq!(rebuilt.history.as_deref(), Some(&**history));
        // C1 bought on 2024-02-06; C2 on 2024-01-05 and returned on 2024-03-07.
        let days = |i: usize| -> Vec<(String, u32, bool, f64, f64)> {
            rebuilt
                .history
                .as_ref()
                .unwrap()
                .days(i)
                .map(|d| (d.day.iso(), d.orders, d.purchase, d.sales, d.profit))
                .collect()
        };
        assert_eq!(days(0), [("2024-02-06".into(), 1, true, 250.5, 30.0)]);
        assert_eq!(
            days(1),
            [
                ("2024-01-05".into(), 1, true, 100.0, 10.0),
                ("2024-03-07".into(), 1, false, -20.0, -2.0)
            ]
        );
    }

    /// A file saved before the history was kept opens as before, without it (the lifecycle view
    /// then asks for the file again); so does data without a date column, with an empty one.
    #[test]
    fn a_file_without_purchase_days_opens_without_them() {
        let mut value = full_value();
        value["data"]
            .as_object_mut()
            .unwrap()
            .remove("history")
            .unwrap();
        let workspace = Workspace::from_json(&value.to_string()).unwrap();
        let (_, outcome) = workspace.data.unwrap().into_outcome().unwrap();
        assert_eq!(outcome.history, None);
        assert_eq!(outcome.table, self::outcome().table);

        let undated =
            import_bytes(b"customer,amount\na,1\nb,2\na,3\n", &Default::default()).unwrap();
        let workspace = Workspace {
            data: Some(WorkspaceData::from_outcome("x.csv", &undated)),
            ..Workspace::default()
        };
        let back = Workspace::from_json(&workspace.to_json().unwrap()).unwrap();
        let (_, outcome) = back.data.unwrap().into_outcome().unwrap();
        let history = outcome.purchase_history().unwrap();
        assert_eq!((history.len(), history.day_count()), (2, 0));
    }

    /// Damaged purchase days are refused with the part and the customer, never a panic.
    #[test]
    fn damaged_purchase_days_are_refused_by_name() {
        use base64::engine::general_purpose::STANDARD;
        use WorkspacePart::{Columns, PurchaseDayLengths, PurchaseDays};
        fn history(v: &mut serde_json::Value) -> serde_json::Value {
            v["data"]["history"].take()
        }
        let cases: Vec<(Edit, WorkspaceProblem)> = vec![
            (
                |v| v["data"]["history"]["bytes"] = "not base64!".into(),
                WorkspaceProblem::Unreadable {
                    part: PurchaseDays,
                    at: None,
                },
            ),
            (
                |v| {
                    let mut h = history(v);
                    h["lengths"][1] = (h["lengths"][1].as_u64().unwrap() + 1).into();
                    v["data"]["history"] = h;
                },
                WorkspaceProblem::Disagree {
                    part: PurchaseDayLengths,
                    at: None,
                },
            ),
            (
                |v| {
                    v["data"]["history"]["lengths"]
                        .as_array_mut()
                        .unwrap()
                        .pop();
                },
                WorkspaceProblem::Disagree {
                    part: PurchaseDayLengths,
                    at: None,
                },
            ),
            (
                |v| {
                    let lengths = v["data"]["history"]["lengths"].as_array_mut().unwrap();
                    lengths.push(0.into());
                },
                WorkspaceProblem::Disagree {
                    part: PurchaseDayLengths,
                    at: None,
                },
            ),
            (
                // Records of the right total length that are all varint continuation bytes.
                |v| {
                    let mut h = history(v);
                    let len = STANDARD.decode(h["bytes"].as_str().unwrap()).unwrap().len();
                    h["bytes"] = STANDARD.encode(vec![0xffu8; len]).into();
                    v["data"]["history"] = h;
                },
                WorkspaceProblem::Unreadable {
                    part: PurchaseDays,
                    at: Some(1),
                },
            ),
            (
                // One byte moved from the second customer's records to the first's: both end
                // in the middle of a record.
                |v| {
                    let mut h = history(v);
                    let (a, b) = (
                        h["lengths"][0].as_u64().unwrap(),
                        h["lengths"][1].as_u64().unwrap(),
                    );
                    h["lengths"] = serde_json::json!([a + 1, b - 1]);
                    v["data"]["history"] = h;
                },
                WorkspaceProblem::Unreadable {
                    part: PurchaseDays,
                    at: Some(1),
                },
            ),
            (
                // The two customers' days swapped: each decodes, but not as that customer's.
                |v| {
                    let mut h = history(v);
                    let bytes = STANDARD.decode(h["bytes"].as_str().unwrap()).unwrap();
                    let first = h["lengths"][0].as_u64().unwrap() as usize;
                    let swapped = [&bytes[first..], &bytes[..first]].concat();
                    let b = bytes.len() - first;
                    h["lengths"] = serde_json::json!([b, first]);
                    h["bytes"] = STANDARD.encode(swapped).into();
                    v["data"]["history"] = h;
                },
                WorkspaceProblem::Disagree {
                    part: PurchaseDays,
                    at: Some(1),
                },
            ),
            (
                |v| v["data"]["history"]["quantity"] = true.into(),
                WorkspaceProblem::Disagree {
                    part: Columns,
                    at: None,
                },
            ),
        ];
        for (k, (damage, expected)) in cases.iter().enumerate() {
            let mut value = full_value();
            damage(&mut value);
            assert_eq!(&problem(&value), expected, "case {k}");
        }
        // Lengths beyond a u32, and not a number array: not a workspace (serde's own words).
        for lengths in [
            serde_json::json!([4_294_967_296u64, 0]),
            serde_json::json!("1,2"),
        ] {
            let mut value = full_value();
            value["data"]["history"]["lengths"] = lengths;
            assert!(matches!(
                Workspace::from_json(&value.to_string()),
                Err(Error::Format { .. })
            ));
        }
    }

    /// A day's amounts are bounded like every other figure: not a number, or more than the
    /// customer's rows can hold, is refused.
    #[test]
    fn purchase_days_with_amounts_out_of_range_are_refused() {
        let original = outcome();
        let history = original.purchase_history().unwrap();
        for (sales, refused) in [(f64::NAN, true), (3e15, true), (1e15, false)] {
            let days: Vec<Vec<PurchaseDay>> = (0..history.len())
                .map(|i| history.days(i).collect())
                .collect();
            let mut days = days;
            days[1][1].sales = sales;
            let changed = PurchaseHistory::from_days(true, false, &days);
            let mut workspace = full_workspace();
            let data = workspace.data.as_mut().unwrap();
            data.history = WorkspaceHistory::from_history(&changed);
            let result = Workspace::from_json(&workspace.to_json().unwrap());
            match refused {
                true => assert!(
                    matches!(
                        result,
                        Err(Error::Workspace(WorkspaceProblem::OutOfRange {
                            part: WorkspacePart::PurchaseDays,
                            at: Some(2),
                            ..
                        }))
                    ),
                    "{sales}: {result:?}"
                ),
                false => assert!(result.is_ok(), "{sales}: {result:?}"),
            }
        }
    }

    /// Orders with a customer attribute (地区) and a line attribute (品类), and a master file
    /// for them (issue 20).
    const DIMENSIONS_CSV: &str = "客户编号,订单号,订单日期,金额,利润,地区,品类\n\
                                  C1,O1,2024-01-05,100,10,华东,饮料\n\
                                  C1,O1,2024-01-05,50,5,华东,零食\n\
                                  C2,O2,2024-02-06,250.5,30,华北,饮料\n\
                                  C3,O3,2024-03-07,80,8,,零食\n\
                                  C1,O4,2024-03-08,-20,-2,华南,饮料\n";
    const MASTER_CSV: &str = "客户编号,行业\n c1 ,制造\nC2,物流\nC9,零售\n";

    fn dimensions_workspace() -> (Workspace, ImportOutcome) {
        let outcome = import_bytes(DIMENSIONS_CSV.as_bytes(), &InspectOptions::default()).unwrap();
        assert!(outcome.customer_attributes().is_some(), "地区 is guessed");
        assert!(outcome.lines.is_some(), "品类 is guessed");
        let mut data = WorkspaceData::from_outcome("订单.csv", &outcome);
        let options = MasterOptions::default();
        data.master = Some(WorkspaceMaster::new(
            "主数据.csv",
            &options,
            MASTER_CSV.as_bytes(),
        ));
        let workspace = Workspace {
            settings: Some(outcome.report.settings.clone()),
            data: Some(data),
            ..Workspace::default()
        };
        (workspace, outcome)
    }

    #[test]
    fn customer_and_line_attributes_and_the_master_file_come_back_as_saved() {
        let (workspace, original) = dimensions_workspace();
        let back = Workspace::from_json(&workspace.to_json().unwrap()).unwrap();
        assert_eq!(back, workspace);
        let mut data = back.data.unwrap();
        let master = data.master.take().unwrap();
        let (_, rebuilt) = data.into_outcome().unwrap();
        assert_eq!(rebuilt.table, original.table);
        assert_eq!(rebuilt.attributes, original.attributes);
        assert_eq!(rebuilt.lines, original.lines);
        // The master reads again exactly as from the file.
        let (read, bytes) = master.read().unwrap();
        assert_eq!(bytes, MASTER_CSV.as_bytes());
        assert_eq!(
            read,
            import_master(MASTER_CSV.as_bytes(), &MasterOptions::default()).unwrap()
        );
        assert_eq!(read.rows.len(), 3);
    }

    #[test]
    fn attributes_that_do_not_fit_the_customers_are_refused_naming_the_attribute() {
        let (workspace, _) = dimensions_workspace();
        // The parts a change reaches into.
        fn attrs(d: &mut WorkspaceData) -> &mut Vec<crate::engine::dimensions::Attribute> {
            &mut d.attributes.as_mut().unwrap().attributes
        }
        fn line(d: &mut WorkspaceData) -> &mut crate::engine::dimensions::lines::LineAttribute {
            &mut d.lines.as_mut().unwrap().lines[0]
        }
        fn master(d: &mut WorkspaceData) -> &mut WorkspaceMaster {
            d.master.as_mut().unwrap()
        }
        // The workspace with one change to its data, written and read again.
        let refused = |change: &dyn Fn(&mut WorkspaceData)| {
            let mut bad = workspace.clone();
            change(bad.data.as_mut().unwrap());
            Workspace::from_json(&bad.to_json().unwrap())
        };
        let disagree = |part, at| {
            Err::<Workspace, _>(Error::Workspace(WorkspaceProblem::Disagree {
                part,
                at: Some(at),
            }))
        };
        let customer = WorkspacePart::CustomerAttributes;
        // A customer attribute code naming no value, a missing code, a repeated key.
        assert_eq!(
            refused(&|d| attrs(d)[0].codes[1] = 99),
            disagree(customer, 1)
        );
        assert!(refused(&|d| {
            attrs(d)[0].codes.pop();
        })
        .is_err());
        let repeated = refused(&|d| {
            let copy = attrs(d)[0].clone();
            attrs(d).push(copy);
        });
        assert_eq!(repeated, disagree(customer, 2));
        // A value far longer than a cell the workspace keeps.
        assert!(matches!(
            refused(&|d| attrs(d)[0].values[0] = "区".repeat(MAX_TEXT_CHARS + 1)),
            Err(Error::Workspace(WorkspaceProblem::TooLong {
                part: WorkspacePart::CustomerAttributes,
                ..
            }))
        ));
        // Line attributes: pairs past the customers, sales out of range, more orders than the
        // customer has.
        assert_eq!(
            refused(&|d| line(d).starts.push(9)),
            disagree(WorkspacePart::LineAttributes, 1)
        );
        assert!(matches!(
            refused(&|d| line(d).sales[0] = 1e300),
            Err(Error::Workspace(WorkspaceProblem::OutOfRange {
                part: WorkspacePart::LineAttributes,
                ..
            }))
        ));
        assert!(refused(&|d| line(d).orders[0] = 50).is_err());
        // A master whose bytes are not base64; options naming a column past the bound.
        assert!(matches!(
            refused(&|d| master(d).bytes = "%%%".into()),
            Err(Error::Workspace(WorkspaceProblem::Unreadable {
                part: WorkspacePart::MasterFile,
                ..
            }))
        ));
        assert!(matches!(
            refused(&|d| master(d).options.id_column = Some(usize::MAX)),
            Err(Error::Workspace(WorkspaceProblem::TooMany {
                part: WorkspacePart::MasterFile,
                ..
            }))
        ));
    }

    #[test]
    fn a_master_file_that_no_longer_reads_is_an_error_of_the_master_not_a_panic() {
        let kept = WorkspaceMaster::new("m.csv", &MasterOptions::default(), b"");
        assert!(kept.read().is_err());
        let header_only = WorkspaceMaster::new(
            "m.csv",
            &MasterOptions::default(),
            "客户编号,行业\n".as_bytes(),
        );
        assert!(header_only.read().is_err());
    }
}
