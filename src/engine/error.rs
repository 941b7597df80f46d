//! Errors of the engine: one enum for failures that stop an import or an analysis, and
//! [`RowError`] for a single rejected row, which never stops anything.
//!
//! Messages are lowercase, without a trailing full stop, and say where and what, in English.
//! The UI translates them through the machine-readable kinds ([`ErrorKind`], [`RowProblem`]).

use serde::{Deserialize, Serialize};

/// A failure that stops an import or an analysis.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum Error {
    /// The file holds no bytes, or only white space.
    #[error("the file is empty")]
    EmptyFile,
    /// The file has a header row but not a single data row.
    #[error("the file has a header row but no data rows")]
    HeaderOnly,
    /// The bytes are not text: an image, an archive, a spreadsheet or other binary data.
    #[error("the file is not text ({what}): save it as CSV and try again")]
    Binary {
        /// What the bytes look like.
        what: BinaryKind,
    },
    /// No column holds the customer id, so nothing can be aggregated per customer.
    #[error("no column is mapped to the customer id")]
    NoCustomerColumn,
    /// No column holds the amount (sales).
    #[error("no column is mapped to the amount (sales)")]
    NoAmountColumn,
    /// A per-customer summary without a column of orders.
    #[error("no column is mapped to the orders of the per-customer summary")]
    NoOrdersColumn,
    /// The mapping names a column the file does not have.
    #[error("column {index} does not exist: the file has {count} columns")]
    NoSuchColumn {
        /// Zero-based column index asked for.
        index: usize,
        /// Number of columns the file has.
        count: usize,
    },
    /// Every data row was rejected: there is nothing to analyse.
    #[error("all {rows} data rows were rejected; first problem: {}", first_problem(.first))]
    AllRowsRejected {
        /// Number of rows read.
        rows: u64,
        /// The first row error (`None` only if none was recorded).
        first: Option<Box<RowError>>,
    },
    /// The encoding name given as an override is unknown.
    #[error("unknown text encoding '{0}'")]
    UnknownEncoding(String),
    /// The import was cancelled by the user.
    #[error("the import was cancelled")]
    Cancelled,
    /// A parameter of an analysis is out of its range.
    #[error("parameter '{name}': {reason}")]
    Parameter {
        /// Parameter name (the field or argument, e.g. `analysis_day`).
        name: String,
        /// What is wrong with it, with the values involved.
        reason: ParameterProblem,
    },
    /// There is no data to analyse.
    #[error("there is no data to analyse")]
    NoData,
    /// A chart could not be drawn.
    #[error("chart '{chart}': {reason}")]
    Chart {
        /// Chart name.
        chart: String,
        /// What went wrong.
        reason: ChartProblem,
    },
    /// A workspace or message could not be read.
    #[error("could not read {what}: {reason}")]
    Format {
        /// What was being read.
        what: FormatSubject,
        /// Why it failed.
        reason: FormatProblem,
    },
    /// A SWOT CSV file's header row lacks required columns.
    #[error("could not read the SWOT file: the header row has no column for {}", missing_columns(.missing))]
    SwotColumnsMissing {
        /// The required columns not found, in quadrant, item, score order.
        missing: Vec<crate::engine::swot::SwotColumn>,
    },
    /// A workspace file was saved by a newer ValueLens, with a format this one cannot read.
    #[error(
        "this workspace was saved by a newer ValueLens (version {version}); this one reads up to \
         version {supported}"
    )]
    NewerWorkspace {
        /// The file's format version.
        version: u32,
        /// The newest version this code reads.
        supported: u32,
    },
    /// The file needs more memory than one browser tab can give the import: its customers (or
    /// their orders) no longer fit after `rows` rows.
    #[error(
        "this file is larger than one browser tab can hold: after {rows} rows its {part} no longer \
         fit in memory ({customers} customers so far); the SQL pack computes the same figures in \
         DuckDB or Spark, where the data lives"
    )]
    BeyondBrowser {
        /// What no longer fit.
        part: BrowserLimit,
        /// Rows read when it happened.
        rows: u64,
        /// Customers met by then.
        customers: u64,
    },
    /// A line of the head has more columns than any table export has.
    #[error("line {line} has {count} columns; ValueLens reads at most {limit}")]
    TooManyColumns {
        /// 1-based line.
        line: u64,
        /// Its number of columns.
        count: u64,
        /// The most columns read ([`crate::engine::ingest::MAX_COLUMNS`]).
        limit: u64,
    },
    /// The first line of the file is longer than the head read to inspect it: not a table.
    #[error("line {line} is longer than {limit} bytes: this is not a table export")]
    LineTooLong {
        /// 1-based line.
        line: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// A workspace file (or an edit of its SWOT boards) holds more of something than ValueLens
    /// allows, a value out of its range, or figures that do not add up.
    #[error("{0}")]
    Workspace(crate::engine::workspace::WorkspaceProblem),
    /// A customer-value model could not be fitted to the data.
    #[error("the {model} model: {problem}")]
    Model {
        /// The model.
        model: FitModel,
        /// Why it has no fit.
        problem: ModelProblem,
    },
    /// A table file (an Excel workbook, a Parquet file) could not be read
    /// ([`crate::engine::formats`]).
    #[error("could not read {kind}: {problem}")]
    Table {
        /// What the file is.
        kind: crate::engine::formats::FileKind,
        /// Why it could not be read.
        problem: crate::engine::formats::TableProblem,
    },
    /// Text in an encoding other than UTF-8 and UTF-16 (GBK, Big5, Shift_JIS …), met by an
    /// engine built without the `legacy-encodings` feature (the import worker): the reader worker,
    /// which has every encoding, reads the file instead.
    #[error("the text is in a legacy encoding{}, which this build does not decode", legacy_name(.name))]
    LegacyEncoding {
        /// The encoding's name when it is known (chosen, or read from settings); `None` when the
        /// bytes were found not to be UTF-8 and the detector is what is missing.
        name: Option<String>,
    },
}

/// A model fitted by [`crate::engine::clv`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, thiserror::Error)]
pub enum FitModel {
    /// BG/NBD (repeat purchases and dropout).
    #[error("BG/NBD")]
    BgNbd,
    /// Gamma-Gamma (value per purchase).
    #[error("Gamma-Gamma")]
    GammaGamma,
    /// k-means cluster analysis ([`crate::engine::clusters`]).
    #[error("k-means")]
    KMeans,
}

/// Why a model has no fit ([`Error::Model`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ModelProblem {
    /// Too few customers with repeat purchases (with a positive mean value, for Gamma-Gamma).
    #[error("{found} repeat customer(s), at least {min} are needed")]
    TooFewRepeatCustomers {
        /// Repeat customers found.
        found: usize,
        /// The fewest that are fitted.
        min: usize,
    },
    /// The likelihood's maximum was not found: the optimiser did not meet its tolerances.
    #[error("the fit did not converge")]
    NotConverged,
    /// Fewer customers than the clusters asked for.
    #[error("{found} customer(s), at least {min} are needed")]
    TooFewCustomers {
        /// Customers found.
        found: usize,
        /// The fewest needed.
        min: usize,
    },
    /// Fewer distinct (scaled) points than the clusters asked for: the customers are too alike.
    #[error("{found} distinct customer profile(s), at least {min} are needed")]
    TooFewDistinct {
        /// Distinct points found (counted up to the largest k).
        found: usize,
        /// The fewest needed.
        min: usize,
    },
    /// A value is not a finite number (`row` is the 0-based scored customer).
    #[error("scored customer {row}: a value is not a finite number")]
    NotFinite {
        /// 0-based scored customer.
        row: usize,
    },
}

impl Error {
    /// The machine-readable kind of this error, for translation in the UI.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::EmptyFile => ErrorKind::EmptyFile,
            Error::HeaderOnly => ErrorKind::HeaderOnly,
            Error::Binary { .. } => ErrorKind::Binary,
            Error::NoCustomerColumn => ErrorKind::NoCustomerColumn,
            Error::NoAmountColumn => ErrorKind::NoAmountColumn,
            Error::NoOrdersColumn => ErrorKind::NoOrdersColumn,
            Error::NoSuchColumn { .. } => ErrorKind::NoSuchColumn,
            Error::AllRowsRejected { .. } => ErrorKind::AllRowsRejected,
            Error::UnknownEncoding(_) | Error::LegacyEncoding { .. } => ErrorKind::UnknownEncoding,
            Error::Cancelled => ErrorKind::Cancelled,
            Error::Parameter { .. } => ErrorKind::Parameter,
            Error::NoData => ErrorKind::NoData,
            Error::Chart { .. } => ErrorKind::Chart,
            Error::Format { .. } | Error::SwotColumnsMissing { .. } => ErrorKind::Format,
            Error::NewerWorkspace { .. } => ErrorKind::NewerWorkspace,
            Error::TooManyColumns { .. } => ErrorKind::TooManyColumns,
            Error::BeyondBrowser { .. } => ErrorKind::BeyondBrowser,
            Error::LineTooLong { .. } => ErrorKind::LineTooLong,
            Error::Workspace(_) => ErrorKind::Workspace,
            Error::Model { .. } => ErrorKind::Model,
            Error::Table { .. } => ErrorKind::Table,
        }
    }
}

fn legacy_name(name: &Option<String>) -> String {
    name.as_ref().map(|n| format!(" ({n})")).unwrap_or_default()
}

fn first_problem(first: &Option<Box<RowError>>) -> String {
    first.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn missing_columns(missing: &[crate::engine::swot::SwotColumn]) -> String {
    let names: Vec<String> = missing
        .iter()
        .map(|&c| {
            format!(
                "{} ({})",
                c.aliases()[0],
                crate::engine::vocabulary::swot_column_zh(c)
            )
        })
        .collect();
    names.join(", ")
}

/// Why a chart could not be drawn ([`Error::Chart`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum ChartProblem {
    /// A value to draw is NaN or infinite.
    #[error("value {value} is not a finite number")]
    NotFinite {
        /// The value.
        value: f64,
    },
    /// The drawing library failed; `detail` is its own message (for the log).
    #[error("{detail}")]
    Drawing {
        /// The library's message.
        detail: String,
    },
}

/// What an [`Error::Binary`] file looks like, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[allow(missing_docs)] // the names say it; `Display` gives the English words
pub enum BinaryKind {
    Png,
    Jpeg,
    Gif,
    WebP,
    Pdf,
    /// A ZIP archive or an Excel .xlsx workbook (the same signature).
    ZipOrXlsx,
    /// An Excel .xls workbook or another (old) Office file.
    XlsOrOffice,
    Gzip,
    Rar,
    SevenZip,
    WebAssembly,
    Sqlite,
    /// An Apache Parquet file.
    Parquet,
    /// No known signature, but too many control bytes for text.
    Unknown,
}

impl std::fmt::Display for BinaryKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            BinaryKind::Png => "a PNG image",
            BinaryKind::Jpeg => "a JPEG image",
            BinaryKind::Gif => "a GIF image",
            BinaryKind::WebP => "a WebP image",
            BinaryKind::Pdf => "a PDF document",
            BinaryKind::ZipOrXlsx => "a ZIP archive or an Excel .xlsx workbook",
            BinaryKind::XlsOrOffice => "an Excel .xls workbook or another Office file",
            BinaryKind::Gzip => "a gzip archive",
            BinaryKind::Rar => "a RAR archive",
            BinaryKind::SevenZip => "a 7-Zip archive",
            BinaryKind::WebAssembly => "a WebAssembly module",
            BinaryKind::Sqlite => "an SQLite database",
            BinaryKind::Parquet => "a Parquet file",
            BinaryKind::Unknown => "binary data",
        })
    }
}

/// What an [`Error::Format`] was reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FormatSubject {
    /// A workspace file (`.json`).
    WorkspaceFile,
    /// A SWOT CSV file.
    SwotFile,
    /// The SWOT boards saved in the browser.
    SavedBoards,
    /// The file being imported.
    File,
    /// The import result handed from the worker to the page.
    ImportResult,
    /// The second half of an import split across the worker and the page.
    ImportSecondHalf,
    /// A request to the import worker.
    Request,
    /// A response of the import worker.
    Response,
    /// A Parquet file being imported ([`crate::engine::formats::parquet`]).
    ParquetFile,
}

impl std::fmt::Display for FormatSubject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FormatSubject::WorkspaceFile => "the workspace file",
            FormatSubject::SwotFile => "the SWOT file",
            FormatSubject::SavedBoards => "the saved SWOT boards",
            FormatSubject::File => "the file",
            FormatSubject::ImportResult => "the import result",
            FormatSubject::ImportSecondHalf => "the second half of the import",
            FormatSubject::Request => "a request",
            FormatSubject::Response => "a response",
            FormatSubject::ParquetFile => "the Parquet file",
        })
    }
}

/// Why a workspace, saved boards, a message or a file could not be read ([`Error::Format`]).
/// Parser messages stay as they are (`detail`, English, for the log and the curious); every
/// other reason is a kind with its values.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum FormatProblem {
    /// A parser or decoder refused the bytes.
    #[error("{detail}")]
    Parser {
        /// Its message.
        detail: String,
    },
    /// Serialisation failed.
    #[error("it could not be written: {detail}")]
    Unwritable {
        /// The serialiser's message.
        detail: String,
    },
    /// The file holds nothing.
    #[error("the file is empty")]
    Empty,
    /// The JSON stops in the middle.
    #[error("the file ends too early, it may be cut off ({detail})")]
    CutOff {
        /// The parser's message.
        detail: String,
    },
    /// The text is not JSON.
    #[error("the file is not JSON ({detail})")]
    NotJson {
        /// The parser's message.
        detail: String,
    },
    /// JSON, but not an object.
    #[error("this is not a ValueLens workspace (it is not a JSON object)")]
    NotAnObject,
    /// An object without a `format` field.
    #[error("this is not a ValueLens workspace (it names no format)")]
    NoFormatName,
    /// Another program's format.
    #[error("this is not a ValueLens workspace (its format is '{format}')")]
    OtherFormat {
        /// The format it names (at most 40 characters).
        format: String,
    },
    /// A workspace whose content breaks a rule.
    #[error("invalid content: {0}")]
    Invalid(InvalidContent),
    /// The customer columns of a workspace disagree in length.
    #[error("customer columns of different lengths")]
    ColumnLengths,
    /// The result handed over by the worker is malformed.
    #[error("{detail}")]
    Handoff {
        /// What is wrong with it.
        detail: String,
    },
    /// A saved workbench's format version this code does not read.
    #[error("format version {version} is not supported (this version reads up to {supported})")]
    UnsupportedVersion {
        /// The version saved.
        version: u32,
        /// The newest version read.
        supported: u32,
    },
    /// An id beyond the largest a workbench can count to.
    #[error("an id is too large")]
    IdTooLarge,
    /// Two parts of a workbench share an id.
    #[error("id {id} is used twice")]
    IdTwice {
        /// The id.
        id: u64,
    },
    /// An id at or above the workbench's next id.
    #[error("id {id} is not below next_id {next}")]
    IdNotBelowNext {
        /// The id.
        id: u64,
        /// The next id.
        next: u64,
    },
    /// A board name empty or with white space around it.
    #[error("board {board} has an empty or untrimmed name")]
    BoardName {
        /// The board's id.
        board: u64,
    },
    /// A competitor named like "us".
    #[error("competitor '{name}' has a name that means us")]
    CompetitorMeansUs {
        /// Its name.
        name: String,
    },
    /// Two boards share a name.
    #[error("two boards are named '{name}'")]
    BoardNameTwice {
        /// The name.
        name: String,
    },
    /// An item breaks a rule.
    #[error("item {item} of '{board}' {problem}")]
    Item {
        /// The item's id.
        item: u64,
        /// Its board's name.
        board: String,
        /// What is wrong.
        problem: ItemProblem,
    },
    /// The import worker could not start (the browser's message).
    #[error("the background worker could not start: {detail}")]
    WorkerFailed {
        /// The browser's message.
        detail: String,
    },
    /// The import worker stopped (the browser's message).
    #[error("the background worker stopped: {detail}")]
    WorkerStopped {
        /// The browser's message.
        detail: String,
    },
    /// A request to the worker came without its file.
    #[error("no file was sent")]
    NoFileSent,
    /// A Parquet file that cannot be read ([`crate::engine::formats::parquet`]).
    #[error("{0}")]
    Parquet(ParquetProblem),
}

/// Why a Parquet file cannot be read ([`FormatProblem::Parquet`]). Library messages stay as
/// they are in `detail` (English, for the log); the kind says what failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ParquetProblem {
    /// The file does not end with the Parquet magic bytes `PAR1`: not Parquet, or cut off.
    #[error("it does not end with PAR1: it is not a Parquet file, or it is cut off")]
    NotParquet,
    /// The footer (the file's metadata) is cut off or damaged.
    #[error("the footer of the Parquet file is damaged ({detail})")]
    DamagedFooter {
        /// The decoder's message.
        detail: String,
    },
    /// The footer is encrypted (Parquet modular encryption).
    #[error("the Parquet file is encrypted")]
    Encrypted,
    /// A column is compressed with a codec this reader does not decode.
    #[error("column '{column}' is compressed with {codec}, which is not supported (UNCOMPRESSED, SNAPPY, GZIP and ZSTD are)")]
    UnsupportedCompression {
        /// The column.
        column: String,
        /// The codec's Parquet name (`LZ4_RAW`, `BROTLI` …).
        codec: String,
    },
    /// A column uses an encoding or feature the decoder does not implement.
    #[error("column '{column}' uses an encoding that is not supported ({detail})")]
    UnsupportedEncoding {
        /// The column.
        column: String,
        /// The decoder's message, naming the encoding.
        detail: String,
    },
    /// Every column is nested (a struct, list or map): there is no flat column to read.
    #[error("the Parquet file has no flat column: nested columns (struct, list, map) are skipped")]
    OnlyNestedColumns,
    /// The pages of a column in a row group are damaged or cut off.
    #[error("row group {row_group}, column '{column}' is damaged ({detail})")]
    DamagedData {
        /// 0-based row group.
        row_group: usize,
        /// The column.
        column: String,
        /// The decoder's message.
        detail: String,
    },
    /// The bytes handed over for a row group are not the range the footer names.
    #[error("row group {row_group} was handed {got} bytes, the footer names {expected}")]
    WrongRowGroupBytes {
        /// 0-based row group.
        row_group: usize,
        /// Bytes the footer names ([`crate::engine::formats::parquet::ParquetFile::row_group_bytes`]).
        expected: u64,
        /// Bytes handed over.
        got: u64,
    },
}

/// What is wrong with a saved SWOT item ([`FormatProblem::Item`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ItemProblem {
    /// Empty, or white space around it.
    Text,
    /// Its quadrant already has this text.
    RepeatedText,
    /// No score, or one not from 1 to 10.
    Scores,
    /// A weight out of range.
    Weight,
}

impl std::fmt::Display for ItemProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ItemProblem::Text => "has an empty or untrimmed text",
            ItemProblem::RepeatedText => "repeats a text of its quadrant",
            ItemProblem::Scores => "has no score or one not from 1 to 10",
            ItemProblem::Weight => "has a weight out of range",
        })
    }
}

/// What is invalid in a workspace's content ([`FormatProblem::Invalid`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum InvalidContent {
    /// No version, or version 0.
    #[error("the version is missing or 0")]
    NoVersion,
    /// A version that is not a whole number.
    #[error("the version is not a whole number ({value})")]
    VersionNotWhole {
        /// The value as written.
        value: String,
    },
    /// A part of the workspace refused by its own checks.
    #[error("{part}: {error}")]
    Part {
        /// Which part.
        part: ContentPart,
        /// Its error.
        error: Box<Error>,
    },
    /// The customer columns differ in length.
    #[error("the customer columns differ in length")]
    ColumnLengths,
    /// The monthly columns do not add up to the month counts.
    #[error("the monthly columns do not match the month counts")]
    MonthColumns,
    /// The customer ids are not sorted and unique.
    #[error("the customer ids are not sorted and unique (at '{at}')")]
    UnsortedIds {
        /// The first id out of order.
        at: String,
    },
    /// The JSON does not have the shape of a workspace (the parser's message).
    #[error("{detail}")]
    Shape {
        /// The parser's message.
        detail: String,
    },
}

/// A part of a workspace checked on its own ([`InvalidContent::Part`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContentPart {
    /// The import settings.
    ImportSettings,
    /// The decile parameters.
    DecileParameters,
    /// The RFM parameters.
    RfmParameters,
    /// The segment rules.
    SegmentRules,
    /// The SWOT boards.
    SwotBoards,
    /// The import settings kept with the data.
    DataImportSettings,
    /// The satisfaction survey and its loyalty parameters.
    Survey,
}

impl std::fmt::Display for ContentPart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ContentPart::ImportSettings => "the import settings",
            ContentPart::DecileParameters => "the decile parameters",
            ContentPart::RfmParameters => "the RFM parameters",
            ContentPart::SegmentRules => "the segment rules",
            ContentPart::SwotBoards => "the SWOT boards",
            ContentPart::DataImportSettings => "the data's import settings",
            ContentPart::Survey => "the survey",
        })
    }
}

/// An axis of an RFM segment rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RfmAxis {
    /// Recency.
    R,
    /// Frequency.
    F,
    /// Monetary.
    M,
}

impl std::fmt::Display for RfmAxis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RfmAxis::R => "R",
            RfmAxis::F => "F",
            RfmAxis::M => "M",
        })
    }
}

/// What is wrong with a parameter ([`Error::Parameter`]): a kind with its values, worded by
/// `Display` in English for logs and tests and by `i18n::parameter_problem_text` for the UI.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum ParameterProblem {
    /// A day outside 0001-01-01 … 9999-12-31 ([`crate::engine::calendar::DAY_RANGE`]).
    #[error("must lie between 0001-01-01 and 9999-12-31")]
    DayOutOfRange,
    /// A whole number outside `min..=max` (`unit` names what it counts).
    #[error("must be between {min} and {max}{}", unit_suffix(.unit))]
    NotBetween {
        /// The value given.
        value: i64,
        /// Smallest allowed.
        min: i64,
        /// Largest allowed.
        max: i64,
        /// What the number counts, if anything.
        unit: Option<CountUnit>,
    },
    /// A whole number below `min`.
    #[error("must be at least {min}")]
    BelowMinimum {
        /// The value given.
        value: i64,
        /// Smallest allowed.
        min: i64,
    },
    /// A number that is none of the allowed choices.
    #[error("must be {}", choices_text(.choices))]
    NotOneOf {
        /// The value given.
        value: i64,
        /// The allowed values, ascending.
        choices: Vec<i64>,
    },
    /// A fraction outside its range: above 0 (or at least 0, `zero_allowed`) and at most 1.
    #[error("{}", fraction_text(*.zero_allowed, .of))]
    NotAFraction {
        /// The value given.
        value: f64,
        /// Whether 0 itself is allowed.
        zero_allowed: bool,
        /// What it is a fraction of.
        of: FractionOf,
    },
    /// A value that must lie above another parameter's (and at most 1).
    #[error("must be above {other} and at most 1")]
    NotAbove {
        /// The value given.
        value: f64,
        /// The other parameter.
        other: String,
    },
    /// A threshold out of its range (see the field docs of the configuration).
    #[error("out of range")]
    OutOfRange {
        /// The value given.
        value: f64,
    },
    /// The profit basis was asked for, but the data has no profit column.
    #[error("the data has no profit column")]
    NoProfitColumn,
    /// Two periods are needed, and the data covers fewer whole periods (and none were given).
    #[error("the data covers {whole} whole period(s): give the two periods' dates")]
    TooFewWholePeriods {
        /// Whole periods the data covers.
        whole: usize,
    },
    /// The calibration end must lie from the first purchase day to the day before the last day
    /// of the data (so that the calibration and the holdout each hold a day).
    #[error("must lie from {} to {}", .first.iso(), .last.iso())]
    CalibrationEndOutside {
        /// The earliest allowed day.
        first: crate::engine::calendar::Day,
        /// The latest allowed day.
        last: crate::engine::calendar::Day,
    },
    /// Recency needs purchase dates, and the data has none.
    #[error("recency (R) needs purchase dates: map the order date column and import again")]
    NoPurchaseDates,
    /// The analysis day lies before the latest purchase.
    #[error(
        "lies before the latest purchase ({}): recency would be negative",
        .latest.iso()
    )]
    BeforeLatestPurchase {
        /// The latest purchase day.
        latest: crate::engine::calendar::Day,
    },
    /// The rule table's scale is not one of the bin choices.
    #[error("the scale must be {}", choices_text(.choices))]
    RuleScale {
        /// The scale given.
        value: u8,
        /// The allowed scales.
        choices: Vec<i64>,
    },
    /// The rule table holds no rule or too many.
    #[error("the table must hold 1 to {max} rules")]
    RuleCount {
        /// Rules given.
        count: usize,
        /// The most allowed.
        max: usize,
    },
    /// A rule's English name is empty (`rule` is 1-based).
    #[error("rule {rule}: the English name is empty")]
    RuleNameEmpty {
        /// 1-based rule.
        rule: usize,
    },
    /// A rule is named like the segment of unmatched customers.
    #[error("rule {rule} '{name}': the name '{reserved}' is kept for unmatched customers")]
    RuleNameReserved {
        /// 1-based rule.
        rule: usize,
        /// Its name as given.
        name: String,
        /// The reserved name.
        reserved: String,
    },
    /// Two rules have the same name.
    #[error("rule {rule} '{name}': another rule has the same name")]
    RuleNameTaken {
        /// 1-based rule.
        rule: usize,
        /// Its name as given.
        name: String,
    },
    /// A rule's range of one axis is empty or beyond the scale.
    #[error("rule {rule} '{name}': the {axis} range {low}–{high} must lie within 1–{scale}, lowest first")]
    RuleRange {
        /// 1-based rule.
        rule: usize,
        /// Its name as given.
        name: String,
        /// The axis.
        axis: RfmAxis,
        /// Low end given.
        low: u8,
        /// High end given.
        high: u8,
        /// The table's scale.
        scale: u8,
    },
    /// A SWOT score outside 1 to 10.
    #[error("{value} is not a score from 1 to 10")]
    NotAScore {
        /// The value given.
        value: f64,
    },
    /// A SWOT weight below 0, too large or not finite.
    #[error("{value} is not a weight of 0 or more")]
    NotAWeight {
        /// The value given.
        value: f64,
    },
    /// An item needs at least one score.
    #[error("an item needs at least one score")]
    NoScores,
    /// A board name is empty.
    #[error("the name is empty")]
    EmptyName,
    /// An item text is empty.
    #[error("the item has no text")]
    EmptyText,
    /// The workbench has used up its ids.
    #[error("no ids are left")]
    NoIdsLeft,
    /// No board with this id (`None`: no board at all was given).
    #[error("{}", match .id { Some(id) => format!("there is no board {id}"), None => "there is no such board".to_string() })]
    NoSuchBoard {
        /// The id asked for.
        id: Option<u64>,
    },
    /// No competitor with this id.
    #[error("there is no competitor {id}")]
    NoSuchCompetitor {
        /// The id asked for.
        id: u64,
    },
    /// No item with this id.
    #[error("there is no item {id}")]
    NoSuchItem {
        /// The id asked for.
        id: u64,
    },
    /// Our own board cannot be removed.
    #[error("our own board cannot be removed")]
    OwnBoard,
    /// A competitor name that means "us" in CSV files.
    #[error("'{name}' means our own board in CSV files")]
    MeansUs {
        /// The name given.
        name: String,
    },
    /// Another board already has this name.
    #[error("a board is already named '{name}'")]
    NameTaken {
        /// The name given.
        name: String,
    },
    /// The quadrant already lists this text.
    #[error("'{text}' is already listed in this quadrant")]
    TextTaken {
        /// The text given.
        text: String,
    },
    /// A survey needs a column of answers: satisfaction or likelihood to recommend.
    #[error("no column is mapped to satisfaction or to the likelihood to recommend")]
    NoSurveyAnswerColumn,
    /// Satisfaction thresholds out of order or beyond the scale: they must rise from the
    /// lowest level (terrorist, at most `bottom`) through satisfied (from `satisfied`) to the
    /// top (apostle, from `top`), within `min..=max`.
    #[error(
        "the satisfaction thresholds {bottom} (lowest), {satisfied} (satisfied) and {top} (top) \
         must rise within the scale {min} to {max}"
    )]
    SatisfactionCuts {
        /// Lowest levels up to this one count as the bottom of the scale.
        bottom: u8,
        /// Levels from this one count as satisfied.
        satisfied: u8,
        /// Levels from this one count as the top of the scale.
        top: u8,
        /// Lowest value of the scale.
        min: u8,
        /// Highest value of the scale.
        max: u8,
    },
}

/// What a [`ParameterProblem::NotAFraction`] is a fraction of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FractionOf {
    /// Of the previous period's sales.
    PreviousSales,
    /// Of total sales.
    TotalSales,
}

/// What a number counts ([`ParameterProblem::NotBetween`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CountUnit {
    /// Calendar months.
    Months,
}

fn unit_suffix(unit: &Option<CountUnit>) -> &'static str {
    match unit {
        None => "",
        Some(CountUnit::Months) => " months",
    }
}

/// `3, 4, 5 or 10`.
fn choices_text(choices: &[i64]) -> String {
    match choices.split_last() {
        None => String::new(),
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => {
            let rest: Vec<String> = rest.iter().map(i64::to_string).collect();
            format!("{} or {last}", rest.join(", "))
        }
    }
}

fn fraction_text(zero_allowed: bool, of: &FractionOf) -> String {
    let of = match of {
        FractionOf::PreviousSales => "the previous period's sales",
        FractionOf::TotalSales => "total sales",
    };
    if zero_allowed {
        format!("must be between 0 and 1 (a fraction of {of})")
    } else {
        format!("must be above 0 and at most 1 (a fraction of {of})")
    }
}

/// What of an import no longer fit in the browser's memory ([`Error::BeyondBrowser`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BrowserLimit {
    /// The customers' records.
    Customers,
    /// The log of their orders.
    Orders,
}

impl std::fmt::Display for BrowserLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            BrowserLimit::Customers => "customers",
            BrowserLimit::Orders => "orders",
        })
    }
}

/// The kind of an [`Error`], without its details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub enum ErrorKind {
    EmptyFile,
    HeaderOnly,
    Binary,
    NoCustomerColumn,
    NoAmountColumn,
    NoSuchColumn,
    AllRowsRejected,
    UnknownEncoding,
    Cancelled,
    Parameter,
    NoData,
    Chart,
    Format,
    NewerWorkspace,
    TooManyColumns,
    BeyondBrowser,
    LineTooLong,
    Workspace,
    Model,
    NoOrdersColumn,
    Table,
}

/// The result type of the engine.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a row was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RowProblem {
    /// A required cell is empty.
    Missing,
    /// The cell is not a number.
    NotANumber,
    /// The cell is not a date in any format the column uses.
    NotADate,
    /// The row has fewer cells than the mapped columns need.
    TooFewColumns,
    /// The text could not be decoded in the file's encoding (replacement characters).
    BadEncoding,
    /// The cell names no SWOT quadrant (S, W, O, T, 优势, 劣势, 机会, 威胁 …).
    UnknownQuadrant,
    /// A SWOT score outside 1 to 10 (never clamped).
    ScoreOutOfRange,
    /// A SWOT weight below 0 (or too large).
    WeightOutOfRange,
    /// The respondent has already scored this SWOT item.
    DuplicateScore,
    /// The row has more non-empty fields than the header has columns: its values are shifted.
    ExtraColumns {
        /// Fields in the row.
        found: u32,
        /// Columns of the header.
        expected: u32,
    },
    /// The row has more fields than the header because a number was split at its thousands
    /// or decimal separator, which is also the delimiter (`1,234.56` not quoted in a comma file).
    SplitNumber {
        /// Fields in the row.
        found: u32,
        /// Columns of the header.
        expected: u32,
    },
    /// A quote opened on this line is not closed where the field should end: the field runs
    /// over `lines` lines of the file (rows included), which are not read as rows.
    RunawayQuote {
        /// Lines the record spans, its first included.
        lines: u64,
    },
    /// The row is longer than [`crate::engine::ingest::dialect::MAX_RECORD_BYTES`].
    RecordTooLong {
        /// Lines the record spans, its first included.
        lines: u64,
    },
    /// A survey answer that is not on the column's scale: a number outside `min..=max`, a
    /// fraction, or a word that names no level (never clamped).
    NotOnScale {
        /// Lowest value of the scale.
        min: u8,
        /// Highest value of the scale.
        max: u8,
    },
    /// A survey response with a customer but no answer at all (satisfaction, likelihood to
    /// recommend and intent to repurchase all empty).
    NoAnswer,
    /// A count of a per-customer summary (orders, order lines, return lines) that is not a
    /// whole number of at least `min`.
    NotACount {
        /// The least count allowed (1 for orders and order lines, 0 for return lines).
        min: u32,
    },
    /// A per-customer summary's first purchase lies after its last.
    FirstAfterLast,
    /// A per-customer summary names this customer on an earlier row already.
    DuplicateCustomer,
    /// A monthly table names a customer that is not in the summary it belongs to.
    UnknownCustomer,
    /// Expected a month (`YYYY-MM`, or a day of it).
    NotAMonth,
    /// A monthly table gives this customer and month on an earlier row already.
    DuplicateMonth,
}

impl RowProblem {
    /// English description, used by `Display`.
    pub fn describe(self) -> String {
        match self {
            RowProblem::ExtraColumns { found, expected } => {
                return format!(
                    "the row has {found} fields where the header has {expected} columns: its \
                     values are shifted"
                )
            }
            RowProblem::SplitNumber { found, expected } => {
                return format!(
                    "the row has {found} fields where the header has {expected} columns: a \
                     number is split at its separator, which is also the delimiter (quote it, \
                     or write it without a thousands separator)"
                )
            }
            RowProblem::RunawayQuote { lines } => {
                return format!(
                    "a quote opened here is not closed for {lines} lines, which are not read \
                     as rows (read the file with quotes taken literally)"
                )
            }
            RowProblem::RecordTooLong { lines } => {
                return format!("the row is longer than 1 MiB ({lines} lines): it is not read")
            }
            RowProblem::NotOnScale { min, max } => {
                return format!(
                    "expected an answer on the scale {min} to {max} or one of its words"
                )
            }
            RowProblem::NotACount { min } => {
                return format!("expected a whole number of at least {min}")
            }
            _ => {}
        }
        match self {
            RowProblem::Missing => "the cell is empty",
            RowProblem::NotANumber => "expected a number",
            RowProblem::NotADate => "expected a date",
            RowProblem::TooFewColumns => "the row has too few columns",
            RowProblem::BadEncoding => {
                "the text has bytes that are not valid in the file's encoding"
            }
            RowProblem::UnknownQuadrant => {
                return format!(
                    "expected a quadrant: S, W, O, T or {}",
                    crate::engine::vocabulary::QUADRANT_NAMES_ZH.join(", ")
                )
            }
            RowProblem::ScoreOutOfRange => "expected a score from 1 to 10",
            RowProblem::WeightOutOfRange => "expected a weight of 0 or more",
            RowProblem::DuplicateScore => "this respondent has already scored this item",
            RowProblem::NoAnswer => "the response answers no question",
            RowProblem::FirstAfterLast => "the first purchase is after the last purchase",
            RowProblem::DuplicateCustomer => "this customer is on an earlier row already",
            RowProblem::UnknownCustomer => "this customer is not in the summary",
            RowProblem::NotAMonth => "expected a month such as 2024-03",
            RowProblem::DuplicateMonth => "this customer and month are on an earlier row already",
            RowProblem::NotACount { .. }
            | RowProblem::NotOnScale { .. }
            | RowProblem::ExtraColumns { .. }
            | RowProblem::SplitNumber { .. }
            | RowProblem::RunawayQuote { .. }
            | RowProblem::RecordTooLong { .. } => "",
        }
        .to_string()
    }
}

/// One rejected row: where it is (1-based physical line in the file) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// 1-based line number of the row's first line in the file, as an editor shows it.
    pub line: u64,
    /// Name of the offending column (header text, or "column N" without a header).
    pub column: String,
    /// The offending cell text (truncated to 80 characters).
    pub value: String,
    /// What is wrong.
    pub problem: RowProblem,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, column '{}': {}",
            self.line,
            self.column,
            self.problem.describe()
        )?;
        if !self.value.is_empty() {
            write!(f, ", found '{}'", self.value)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_error_names_line_column_and_value() {
        let error = RowError {
            line: 1042,
            column: "金额".into(),
            value: "N/A".into(),
            problem: RowProblem::NotANumber,
        };
        assert_eq!(
            error.to_string(),
            "line 1042, column '金额': expected a number, found 'N/A'"
        );
    }

    #[test]
    fn errors_are_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Error>();
        check::<RowError>();
    }
}
