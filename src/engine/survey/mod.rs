//! Survey import (满意度调查导入, METHODS §4–§5, issue 16): a second file next to the orders, one
//! row per response, with a customer id and any of satisfaction, likelihood to recommend
//! (0–10, NPS), intent to repurchase and the response date.
//!
//! # The import
//! The bytes go through the order import's machinery: encoding detection
//! ([`detect_encoding`], with the UI language's prior), Excel's `sep=` line and the delimiter
//! sniffer, the record splitter (physical line numbers, quoted line breaks), header synonyms in
//! English and Chinese with a confidence per guess ([`SurveyColumnGuess`]; the customer column
//! uses the order file's names, 客户编号 …). Every guess can be overridden in [`SurveyOptions`].
//! Surveys are small: the whole file is read at once ([`import_survey`]).
//!
//! Every data row is either a [`Response`] or a [`RowError`] naming its line and column: a
//! customer id missing, an answer off the scale ([`RowProblem::NotOnScale`]), a date that is no
//! date, a row that answers nothing ([`RowProblem::NoAnswer`]), bytes invalid in the encoding,
//! values shifted by extra fields. Nothing is dropped silently: `rows_read` = responses +
//! rejected.
//!
//! # Scales
//! Satisfaction is read on a [`Scale`]: 1–5, 1–7, 1–10, 0–10, or the five-point label scale
//! (非常满意 / 满意 / 一般 / 不满意 / 非常不满意, traditional 特別滿意 …, very satisfied … very
//! dissatisfied), whose words map onto levels 5 … 1. The scale is detected from the column
//! ([`detect_scale`]: mostly words → labels; else from the whole numbers' range: a 0 → 0–10,
//! at most 5 → 1–5, at most 7 → 1–7, else 1–10) and can be set. On the 1–5 scale the words are
//! read too. Answers are whole numbers; a fraction or a value off the scale is rejected, never
//! clamped. Likelihood to recommend is always 0–10. Intent to repurchase is a word (会 / 不会 /
//! 不确定, yes / no / maybe …), 0/1, or 1–5 (4–5 yes, 3 unsure, 1–2 no).
//!
//! # Several responses of one customer
//! [`Combine::Latest`] (default) keeps the customer's latest response by date: undated
//! responses count as older than dated ones, and among equals the one further down the file
//! wins. [`Combine::Mean`] averages each answer over the responses that give it (the level of a
//! mean satisfaction is the mean rounded half up; intent is the latest given).
//!
//! # The join
//! [`join`] matches survey customers to the customer table by exact id (after trimming and the
//! spreadsheet's text marker `'`, as the order import does): matched, respondents without a
//! customer in the orders (listed), customers without a response, and the match rate.

use serde::{Deserialize, Serialize};

use super::calendar::Day;
use super::error::{Error, ParameterProblem, Result, RowError, RowProblem};
use super::ingest::columns::{normalize_header, GuessSource};
use super::ingest::dialect::Delimiter;
use super::ingest::encoding::EncodingGuess;
use super::ingest::values::{infer_date_order, parse_date, DateOrder, DateOrderEvidence};
use super::ingest::{
    cell_error, decode_text, default_column_name, read_whole_text, DecodedText, InspectOptions,
    TextOptions, WholeFile, MAX_REJECTED_KEPT,
};
use super::numeric::parameter;
use super::vocabulary::{HEADER_ALIASES, INTENT_WORDS, SATISFACTION_LABELS, SURVEY_HEADER_ALIASES};

mod join;
#[cfg(test)]
mod tests;

pub use join::{join, JoinSteps, SurveyJoin};

/// What a survey column means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SurveyRole {
    /// Customer id (required).
    Customer,
    /// Satisfaction (满意度), on a [`Scale`].
    Satisfaction,
    /// Likelihood to recommend, 0–10 (推荐意愿, NPS).
    Recommend,
    /// Intent to repurchase (复购意向).
    Repurchase,
    /// Response date.
    Date,
}

impl SurveyRole {
    /// All roles, in mapping-table order.
    pub const ALL: [SurveyRole; 5] = [
        SurveyRole::Customer,
        SurveyRole::Satisfaction,
        SurveyRole::Recommend,
        SurveyRole::Repurchase,
        SurveyRole::Date,
    ];

    /// Machine name (`data-param` of the mapping): `customer`, `satisfaction`, `recommend`,
    /// `repurchase`, `date`.
    pub fn as_str(self) -> &'static str {
        match self {
            SurveyRole::Customer => "customer",
            SurveyRole::Satisfaction => "satisfaction",
            SurveyRole::Recommend => "recommend",
            SurveyRole::Repurchase => "repurchase",
            SurveyRole::Date => "date",
        }
    }
}

/// Which column (zero-based) plays which survey role.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyMapping {
    /// Customer id column.
    pub customer: Option<usize>,
    /// Satisfaction column.
    pub satisfaction: Option<usize>,
    /// Likelihood-to-recommend column.
    pub recommend: Option<usize>,
    /// Intent-to-repurchase column.
    pub repurchase: Option<usize>,
    /// Response date column.
    pub date: Option<usize>,
}

impl SurveyMapping {
    /// The column of `role`.
    pub fn get(&self, role: SurveyRole) -> Option<usize> {
        match role {
            SurveyRole::Customer => self.customer,
            SurveyRole::Satisfaction => self.satisfaction,
            SurveyRole::Recommend => self.recommend,
            SurveyRole::Repurchase => self.repurchase,
            SurveyRole::Date => self.date,
        }
    }

    /// Sets the column of `role`; a column holds at most one role, so it is taken from any other.
    pub fn set(&mut self, role: SurveyRole, column: Option<usize>) {
        if column.is_some() {
            for other in SurveyRole::ALL {
                if other != role && self.get(other) == column {
                    *self.slot(other) = None;
                }
            }
        }
        *self.slot(role) = column;
    }

    fn slot(&mut self, role: SurveyRole) -> &mut Option<usize> {
        match role {
            SurveyRole::Customer => &mut self.customer,
            SurveyRole::Satisfaction => &mut self.satisfaction,
            SurveyRole::Recommend => &mut self.recommend,
            SurveyRole::Repurchase => &mut self.repurchase,
            SurveyRole::Date => &mut self.date,
        }
    }
}

/// One guessed survey role, with its confidence (1 for an exact header name).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyColumnGuess {
    /// The role.
    pub role: SurveyRole,
    /// The column (zero-based).
    pub column: usize,
    /// 0..=1: 1 for an exact header name, 0.5–0.85 for a header containing a name, 0.3 for
    /// the first column taken as the customer without a name.
    pub confidence: f32,
    /// Why.
    pub source: GuessSource,
}

/// A satisfaction scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scale {
    /// 1 (worst) to 5 (best); the label words are read too.
    OneToFive,
    /// 1 to 7.
    OneToSeven,
    /// 1 to 10.
    OneToTen,
    /// 0 to 10.
    ZeroToTen,
    /// The five label words, 非常不满意 (1) … 非常满意 (5); the numbers 1–5 are read too.
    Labels,
}

impl Scale {
    /// Every scale, for the override menu.
    pub const ALL: [Scale; 5] = [
        Scale::Labels,
        Scale::OneToFive,
        Scale::OneToSeven,
        Scale::OneToTen,
        Scale::ZeroToTen,
    ];

    /// Machine name (`data-param="scale"`): `labels`, `1-5`, `1-7`, `1-10`, `0-10`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scale::OneToFive => "1-5",
            Scale::OneToSeven => "1-7",
            Scale::OneToTen => "1-10",
            Scale::ZeroToTen => "0-10",
            Scale::Labels => "labels",
        }
    }

    /// The scale of a machine name.
    pub fn from_name(name: &str) -> Option<Scale> {
        Scale::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Lowest level.
    pub fn min(self) -> u8 {
        match self {
            Scale::ZeroToTen => 0,
            _ => 1,
        }
    }

    /// Highest level.
    pub fn max(self) -> u8 {
        match self {
            Scale::OneToFive | Scale::Labels => 5,
            Scale::OneToSeven => 7,
            Scale::OneToTen | Scale::ZeroToTen => 10,
        }
    }

    /// Every level, lowest first.
    pub fn levels(self) -> std::ops::RangeInclusive<u8> {
        self.min()..=self.max()
    }

    /// Whether the label words are read on this scale.
    pub fn reads_words(self) -> bool {
        matches!(self, Scale::Labels | Scale::OneToFive)
    }
}

/// How a setting was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decided {
    /// Guessed from the file.
    Detected,
    /// Set by the user.
    Given,
}

/// How several responses of one customer become one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Combine {
    /// The latest response by date (default; see the module docs for ties and undated ones).
    #[default]
    Latest,
    /// The mean of each answer.
    Mean,
}

impl Combine {
    /// Machine name (`data-param="combine"`): `latest`, `mean`.
    pub fn as_str(self) -> &'static str {
        match self {
            Combine::Latest => "latest",
            Combine::Mean => "mean",
        }
    }
}

/// Intent to repurchase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Intent {
    /// Will buy again.
    Yes,
    /// Does not know.
    Unsure,
    /// Will not buy again.
    No,
}

impl Intent {
    /// Machine name: `yes`, `unsure`, `no`.
    pub fn as_str(self) -> &'static str {
        match self {
            Intent::Yes => "yes",
            Intent::Unsure => "unsure",
            Intent::No => "no",
        }
    }
}

/// What the user chose before or after the first guess; `None` means "guess".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SurveyOptions {
    /// Encoding, delimiter, header row and the language prior, as for the orders.
    pub file: InspectOptions,
    /// Column roles.
    pub mapping: Option<SurveyMapping>,
    /// The satisfaction scale.
    pub scale: Option<Scale>,
    /// Day or month first for ambiguous dates.
    pub date_order: Option<DateOrder>,
    /// Several responses of one customer.
    pub combine: Combine,
}

/// One accepted response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    /// 1-based line of the row in the file.
    pub line: u64,
    /// Customer id (trimmed).
    pub customer: String,
    /// Satisfaction level on the scale.
    pub satisfaction: Option<u8>,
    /// Likelihood to recommend, 0–10.
    pub recommend: Option<u8>,
    /// Intent to repurchase.
    pub intent: Option<Intent>,
    /// Response date.
    pub date: Option<Day>,
}

/// One surveyed customer, its responses combined ([`Combine`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Respondent {
    /// Customer id.
    pub id: String,
    /// Responses of this customer.
    pub responses: u32,
    /// Satisfaction (a level, or the mean of the levels).
    pub satisfaction: Option<f64>,
    /// The level of `satisfaction`: itself, or the mean rounded half up.
    pub level: Option<u8>,
    /// Likelihood to recommend (0–10; the mean with [`Combine::Mean`]).
    pub recommend: Option<f64>,
    /// Intent to repurchase.
    pub intent: Option<Intent>,
    /// The latest response date.
    pub date: Option<Day>,
}

/// A survey file read: every decision with how it was made, the responses, the rejected rows
/// and the respondents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Survey {
    /// The encoding and how it was decided.
    pub encoding: EncodingGuess,
    /// The delimiter.
    pub delimiter: Delimiter,
    /// Whether the first row is a header.
    pub has_header: bool,
    /// Column names (header texts, or `column 1` …).
    pub headers: Vec<String>,
    /// The column roles.
    pub mapping: SurveyMapping,
    /// The guesses behind the mapping (empty when the mapping was given).
    pub guesses: Vec<SurveyColumnGuess>,
    /// The satisfaction scale (the 1–5 scale when there is no satisfaction column).
    pub scale: Scale,
    /// Whether the scale was detected or given.
    pub scale_decided: Decided,
    /// What the date column says about day and month order.
    pub date_evidence: DateOrderEvidence,
    /// The date order used.
    pub date_order: DateOrder,
    /// How several responses of one customer were combined.
    pub combine: Combine,
    /// Data rows read (responses + rejected).
    pub rows_read: u64,
    /// The accepted responses, in file order.
    pub responses: Vec<Response>,
    /// Rejected rows (at most [`MAX_REJECTED_KEPT`] kept), in file order.
    pub rejected: Vec<RowError>,
    /// Rejected rows in all.
    pub rejected_count: u64,
    /// One per customer, by id ascending.
    pub respondents: Vec<Respondent>,
}

impl Survey {
    /// Checks a survey read back from a workspace file: every level on the scale, every
    /// likelihood to recommend in 0–10, every combined value finite and in range, ids no
    /// longer than [`MAX_TEXT_CHARS`](crate::engine::workspace::MAX_TEXT_CHARS).
    ///
    /// # Errors
    /// [`Error::Parameter`] (`scale` or `recommend`, [`ParameterProblem::NotBetween`]) for a
    /// value off its scale; [`Error::Workspace`] for an id too long.
    pub fn validate(&self) -> Result<()> {
        let (min, max) = (i64::from(self.scale.min()), i64::from(self.scale.max()));
        let off = |name: &str, value: f64, min: i64, max: i64| {
            let in_range = value.is_finite() && value >= min as f64 && value <= max as f64;
            match in_range {
                true => Ok(()),
                false => Err(parameter(
                    name,
                    ParameterProblem::NotBetween {
                        value: if value.is_finite() {
                            value as i64
                        } else {
                            i64::MAX
                        },
                        min,
                        max,
                        unit: None,
                    },
                )),
            }
        };
        for r in &self.responses {
            if let Some(level) = r.satisfaction {
                off("scale", f64::from(level), min, max)?;
            }
            if let Some(value) = r.recommend {
                off("recommend", f64::from(value), 0, 10)?;
            }
        }
        let part = super::workspace::WorkspacePart::CustomerId;
        let limit = super::workspace::MAX_TEXT_CHARS;
        for (k, r) in self.respondents.iter().enumerate() {
            if let Some(value) = r.satisfaction {
                off("scale", value, min, max)?;
            }
            if let Some(level) = r.level {
                off("scale", f64::from(level), min, max)?;
            }
            if let Some(value) = r.recommend {
                off("recommend", value, 0, 10)?;
            }
            super::workspace::check_chars(part, Some(k as u64), &r.id, limit)
                .map_err(Error::Workspace)?;
        }
        Ok(())
    }

    /// Customers with more than one response.
    pub fn repeated_customers(&self) -> usize {
        self.respondents.iter().filter(|r| r.responses > 1).count()
    }
}

/// Normalises an answer word: lowercase, without white space, `-`, `_`, `.`, `'`, `’`.
fn normalize_word(cell: &str) -> String {
    cell.trim()
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_' | '.' | '\'' | '’'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The level (1–5) of a satisfaction word, `None` for any other text.
///
/// # Examples
/// ```
/// use valuelens::engine::survey::label_level;
/// assert_eq!(label_level("非常满意"), Some(5));
/// assert_eq!(label_level(" Very Dissatisfied "), Some(1));
/// assert_eq!(label_level("特別滿意"), Some(5));
/// assert_eq!(label_level("7"), None);
/// ```
pub fn label_level(cell: &str) -> Option<u8> {
    let word = normalize_word(cell);
    SATISFACTION_LABELS
        .iter()
        .find(|(w, _)| *w == word)
        .map(|&(_, level)| level)
}

/// A whole number as answers are written (`7`, ` 7 `, `7.0`, `７`, `7分`); `None` otherwise.
fn whole_number(cell: &str) -> Option<i64> {
    let text: String = cell
        .trim()
        .chars()
        .map(|c| match c {
            '\u{FF10}'..='\u{FF19}' => char::from(b'0' + (c as u32 - 0xFF10) as u8),
            _ => c,
        })
        .collect();
    let text = text.trim_end_matches(crate::engine::vocabulary::SCORE_SUFFIX);
    let text = text.strip_suffix(".0").unwrap_or(text);
    if text.is_empty() || text.len() > 6 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// The level of a satisfaction answer on `scale`; `None` when it is off the scale.
pub fn satisfaction_level(cell: &str, scale: Scale) -> Option<u8> {
    if let Some(n) = whole_number(cell) {
        return u8::try_from(n).ok().filter(|n| scale.levels().contains(n));
    }
    if scale.reads_words() {
        return label_level(cell);
    }
    None
}

/// An intent answer: a word, 0/1, or 1–5 (4–5 yes, 3 unsure, 1–2 no); `None` otherwise.
pub fn intent_of(cell: &str, binary: bool) -> Option<Intent> {
    if let Some(n) = whole_number(cell) {
        return match (binary, n) {
            (true, 0) => Some(Intent::No),
            (true, 1) => Some(Intent::Yes),
            (false, 1 | 2) => Some(Intent::No),
            (false, 3) => Some(Intent::Unsure),
            (false, 4 | 5) => Some(Intent::Yes),
            _ => None,
        };
    }
    let word = normalize_word(cell);
    INTENT_WORDS
        .iter()
        .find(|(w, _)| *w == word)
        .map(|&(_, intent)| intent)
}

/// Detects the scale of a satisfaction column from its non-empty cells: the label scale when
/// more of them are label words than whole numbers; else from the numbers' range (a 0 → 0–10;
/// largest ≤ 5 → 1–5; ≤ 7 → 1–7; else 1–10). Without any value: 1–5.
pub fn detect_scale<'a>(cells: impl IntoIterator<Item = &'a str>) -> Scale {
    let (mut words, mut numbers, mut low, mut high) = (0usize, 0usize, i64::MAX, i64::MIN);
    for cell in cells {
        if cell.trim().is_empty() {
            continue;
        }
        if let Some(n) = whole_number(cell) {
            numbers += 1;
            low = low.min(n);
            high = high.max(n);
        } else if label_level(cell).is_some() {
            words += 1;
        }
    }
    if words > numbers {
        return Scale::Labels;
    }
    if numbers == 0 {
        return Scale::OneToFive;
    }
    match (low, high) {
        (0, _) => Scale::ZeroToTen,
        (_, h) if h <= 5 => Scale::OneToFive,
        (_, h) if h <= 7 => Scale::OneToSeven,
        _ => Scale::OneToTen,
    }
}

fn aliases(role: SurveyRole) -> &'static [&'static str] {
    if role == SurveyRole::Customer {
        return HEADER_ALIASES
            .iter()
            .find(|(r, _)| *r == super::ingest::columns::Role::Customer)
            .map_or(&[], |(_, a)| *a);
    }
    SURVEY_HEADER_ALIASES
        .iter()
        .find(|(r, _)| *r == role)
        .map_or(&[], |(_, a)| *a)
}

/// How well `header` names `role`: exact (1.0) or containing a name (0.5 + 0.05 per character
/// of the longest name it contains, at most 0.85; names of ≥ 2 CJK or ≥ 4 Latin characters).
fn header_match(header: &str, role: SurveyRole) -> Option<(f32, GuessSource)> {
    let name = normalize_header(header);
    if name.is_empty() {
        return None;
    }
    let aliases = aliases(role);
    if aliases.contains(&name.as_str()) {
        return Some((1.0, GuessSource::HeaderExact));
    }
    let best = aliases
        .iter()
        .filter(|alias| {
            let long_enough = if alias.is_ascii() {
                alias.len() >= 4
            } else {
                alias.chars().count() >= 2
            };
            long_enough && name.contains(*alias)
        })
        .map(|alias| alias.chars().count())
        .max()?;
    Some((
        (0.5 + 0.05 * best as f32).min(0.85),
        GuessSource::HeaderPartial,
    ))
}

/// True when `cell` reads as a column name and not as an answer: it names a survey role (or
/// the customer) and is no level word (`满意` names the satisfaction column of some exports,
/// but in a file without a header it is an answer), intent word, number or date.
fn names_a_survey_role(cell: &str) -> bool {
    let is_answer = label_level(cell).is_some()
        || intent_of(cell, false).is_some()
        || whole_number(cell).is_some()
        || parse_date(cell, DateOrder::DayFirst, false).is_some();
    !is_answer
        && SurveyRole::ALL
            .iter()
            .any(|&role| header_match(cell, role).is_some())
}

/// Guesses the survey roles from the header names, best confidence first; without any name
/// for the customer, the first column is taken with confidence 0.3.
pub fn guess_survey_mapping(
    headers: Option<&[String]>,
    rows: &[Vec<String>],
    column_count: usize,
) -> (SurveyMapping, Vec<SurveyColumnGuess>) {
    let mut mapping = SurveyMapping::default();
    let mut guesses = Vec::new();
    let mut taken = vec![false; column_count];
    if let Some(headers) = headers {
        let mut candidates = Vec::new();
        for (column, header) in headers.iter().enumerate().take(column_count) {
            for role in SurveyRole::ALL {
                if let Some((confidence, source)) = header_match(header, role) {
                    candidates.push((confidence, column, role, source));
                }
            }
        }
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for (confidence, column, role, source) in candidates {
            if taken[column] || mapping.get(role).is_some() {
                continue;
            }
            mapping.set(role, Some(column));
            taken[column] = true;
            guesses.push(SurveyColumnGuess {
                role,
                column,
                confidence,
                source,
            });
        }
    }
    if mapping.customer.is_none() && column_count > 0 && !taken[0] {
        mapping.customer = Some(0);
        taken[0] = true;
        guesses.push(SurveyColumnGuess {
            role: SurveyRole::Customer,
            column: 0,
            confidence: 0.3,
            source: GuessSource::Values,
        });
    }
    // The values decide for the columns no name claimed, left to right.
    for (column, is_taken) in taken.iter().enumerate() {
        if *is_taken {
            continue;
        }
        let Some(role) = role_by_values(rows, column) else {
            continue;
        };
        if mapping.get(role).is_some() {
            continue;
        }
        mapping.set(role, Some(column));
        guesses.push(SurveyColumnGuess {
            role,
            column,
            confidence: 0.5,
            source: GuessSource::Values,
        });
    }
    (mapping, guesses)
}

/// The role the values of a column suggest, when at least 80 % of its non-empty cells agree:
/// satisfaction words → satisfaction; intent words → repurchase; dates → date; whole numbers
/// 0–10 with a 0 or a value above 7 → recommend, other whole numbers up to 10 → satisfaction.
fn role_by_values(rows: &[Vec<String>], column: usize) -> Option<SurveyRole> {
    let cells: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.get(column))
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    let most = |n: usize| !cells.is_empty() && n * 10 >= cells.len() * 8;
    let count = |f: &dyn Fn(&str) -> bool| cells.iter().filter(|c| f(c)).count();
    let numbers: Vec<i64> = cells.iter().filter_map(|c| whole_number(c)).collect();
    if most(count(&|c| {
        label_level(c).is_some() && whole_number(c).is_none()
    })) {
        return Some(SurveyRole::Satisfaction);
    }
    if most(count(&|c| {
        intent_of(c, false).is_some() && whole_number(c).is_none()
    })) {
        return Some(SurveyRole::Repurchase);
    }
    if most(count(&|c| {
        parse_date(c, DateOrder::DayFirst, false).is_some()
    })) {
        return Some(SurveyRole::Date);
    }
    if most(numbers.len()) && numbers.iter().all(|n| (0..=10).contains(n)) {
        let nps_like = numbers.iter().any(|&n| n == 0 || n > 7);
        return Some(match nps_like {
            true => SurveyRole::Recommend,
            false => SurveyRole::Satisfaction,
        });
    }
    None
}

/// Removes the apostrophe a spreadsheet puts before a text that starts like a formula, as the
/// order import does, so that ids match.
fn strip_text_marker(id: &str) -> &str {
    match id.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r', '\n']) => rest,
        _ => id,
    }
}

/// Reads a survey file (all of it) with the guesses and the user's choices.
///
/// # Errors
/// [`Error::EmptyFile`], [`Error::HeaderOnly`], [`Error::Binary`], [`Error::UnknownEncoding`]
/// as the order import; [`Error::NoSuchColumn`] for a mapped column the file lacks;
/// [`Error::NoCustomerColumn`]; [`Error::Parameter`] (`mapping`,
/// [`ParameterProblem::NoSurveyAnswerColumn`]) without a satisfaction or recommend column;
/// [`Error::AllRowsRejected`] when no row is a response.
pub fn import_survey(bytes: &[u8], options: &SurveyOptions) -> Result<Survey> {
    import_survey_text(
        decode_text(bytes, &TextOptions::of(&options.file))?,
        options,
    )
}

/// Reads a survey file's `decoded` text (decoded with `TextOptions::of(&options.file)`), as
/// [`import_survey`] reads its bytes.
///
/// # Errors
/// As [`import_survey`] (but those of the decoding).
pub fn import_survey_text(decoded: DecodedText, options: &SurveyOptions) -> Result<Survey> {
    let WholeFile {
        encoding,
        delimiter,
        records,
    } = read_whole_text(decoded, &options.file)?;
    let Some((_, first_row)) = records.first() else {
        return Err(Error::EmptyFile);
    };
    let has_header = options
        .file
        .has_header
        .unwrap_or_else(|| first_row.iter().any(|cell| names_a_survey_role(cell)));
    let column_count = records.iter().map(|(_, r)| r.len()).max().unwrap_or(0);
    let header_columns = if has_header {
        first_row.len()
    } else {
        column_count
    };
    let headers: Vec<String> = if has_header {
        let mut header: Vec<String> = first_row.iter().map(|h| h.trim().to_string()).collect();
        header.resize_with(column_count, String::new);
        header
            .into_iter()
            .enumerate()
            .map(|(i, h)| {
                if h.is_empty() {
                    default_column_name(i)
                } else {
                    h
                }
            })
            .collect()
    } else {
        (0..column_count).map(default_column_name).collect()
    };
    let data = &records[usize::from(has_header)..];
    if data.is_empty() {
        return Err(Error::HeaderOnly);
    }
    let (mapping, guesses) = match &options.mapping {
        Some(mapping) => (mapping.clone(), Vec::new()),
        None => {
            let rows: Vec<Vec<String>> = data.iter().take(200).map(|(_, r)| r.clone()).collect();
            guess_survey_mapping(
                has_header.then_some(headers.as_slice()),
                &rows,
                column_count,
            )
        }
    };
    for role in SurveyRole::ALL {
        if let Some(index) = mapping.get(role).filter(|&i| i >= column_count) {
            return Err(Error::NoSuchColumn {
                index,
                count: column_count,
            });
        }
    }
    let Some(customer_column) = mapping.customer else {
        return Err(Error::NoCustomerColumn);
    };
    if mapping.satisfaction.is_none() && mapping.recommend.is_none() {
        return Err(parameter("mapping", ParameterProblem::NoSurveyAnswerColumn));
    }
    let cells_of = |column: Option<usize>| -> Vec<&str> {
        column.map_or_else(Vec::new, |c| {
            data.iter()
                .map(|(_, row)| row.get(c).map_or("", String::as_str))
                .collect()
        })
    };
    let (scale, scale_decided) = match options.scale {
        Some(scale) => (scale, Decided::Given),
        None => (
            detect_scale(cells_of(mapping.satisfaction)),
            Decided::Detected,
        ),
    };
    let intent_binary = cells_of(mapping.repurchase)
        .iter()
        .filter_map(|c| whole_number(c))
        .all(|n| n <= 1);
    let date_evidence = match mapping.date {
        Some(_) => infer_date_order(cells_of(mapping.date)),
        None => DateOrderEvidence::NotNeeded,
    };
    let date_order = options.date_order.unwrap_or(match date_evidence {
        DateOrderEvidence::MonthFirst => DateOrder::MonthFirst,
        DateOrderEvidence::DayFirst => DateOrder::DayFirst,
        _ => match options.file.hint {
            super::ingest::encoding::LanguageHint::Other => DateOrder::MonthFirst,
            _ => DateOrder::DayFirst,
        },
    });

    let mut responses = Vec::new();
    let mut rejected = Vec::new();
    let mut rejected_count = 0u64;
    for (line, row) in data {
        let fail = |index: usize, problem: RowProblem, value: &str| {
            cell_error(*line, &headers, index, problem, value)
        };
        let outcome = read_response(
            *line,
            row,
            &mapping,
            header_columns,
            scale,
            intent_binary,
            date_order,
            customer_column,
            &fail,
        );
        match outcome {
            Ok(response) => responses.push(response),
            Err(error) => {
                rejected_count += 1;
                if rejected.len() < MAX_REJECTED_KEPT {
                    rejected.push(error);
                }
            }
        }
    }
    if responses.is_empty() {
        return Err(Error::AllRowsRejected {
            rows: data.len() as u64,
            first: rejected.first().cloned().map(Box::new),
        });
    }
    let respondents = combine(&responses, options.combine);
    Ok(Survey {
        encoding,
        delimiter,
        has_header,
        headers,
        mapping,
        guesses,
        scale,
        scale_decided,
        date_evidence,
        date_order,
        combine: options.combine,
        rows_read: data.len() as u64,
        responses,
        rejected,
        rejected_count,
        respondents,
    })
}

#[allow(clippy::too_many_arguments)]
fn read_response(
    line: u64,
    row: &[String],
    mapping: &SurveyMapping,
    header_columns: usize,
    scale: Scale,
    intent_binary: bool,
    date_order: DateOrder,
    customer_column: usize,
    fail: &dyn Fn(usize, RowProblem, &str) -> RowError,
) -> std::result::Result<Response, RowError> {
    if let Some(extra) = (header_columns..row.len()).find(|&i| !row[i].trim().is_empty()) {
        let found = u32::try_from(row.len()).unwrap_or(u32::MAX);
        let expected = u32::try_from(header_columns).unwrap_or(u32::MAX);
        return Err(fail(
            extra,
            RowProblem::ExtraColumns { found, expected },
            &row[extra],
        ));
    }
    let cell = |index: usize| -> std::result::Result<&str, RowError> {
        let value = row.get(index).map_or("", |c| c.trim());
        if !value.is_ascii() && value.contains('\u{FFFD}') {
            return Err(fail(index, RowProblem::BadEncoding, value));
        }
        Ok(value)
    };
    let customer = strip_text_marker(cell(customer_column)?);
    if customer.is_empty() {
        return Err(fail(customer_column, RowProblem::Missing, ""));
    }
    let satisfaction = match mapping.satisfaction {
        Some(c) => {
            let value = cell(c)?;
            if value.is_empty() {
                None
            } else {
                let problem = RowProblem::NotOnScale {
                    min: scale.min(),
                    max: scale.max(),
                };
                Some(satisfaction_level(value, scale).ok_or_else(|| fail(c, problem, value))?)
            }
        }
        None => None,
    };
    let recommend = match mapping.recommend {
        Some(c) => {
            let value = cell(c)?;
            if value.is_empty() {
                None
            } else {
                let n = whole_number(value)
                    .and_then(|n| u8::try_from(n).ok())
                    .filter(|&n| n <= 10);
                let problem = RowProblem::NotOnScale { min: 0, max: 10 };
                Some(n.ok_or_else(|| fail(c, problem, value))?)
            }
        }
        None => None,
    };
    let intent = match mapping.repurchase {
        Some(c) => {
            let value = cell(c)?;
            if value.is_empty() {
                None
            } else {
                let problem = RowProblem::NotOnScale {
                    min: if intent_binary { 0 } else { 1 },
                    max: if intent_binary { 1 } else { 5 },
                };
                Some(intent_of(value, intent_binary).ok_or_else(|| fail(c, problem, value))?)
            }
        }
        None => None,
    };
    let date = match mapping.date {
        Some(c) => {
            let value = cell(c)?;
            if value.is_empty() {
                None
            } else {
                Some(
                    parse_date(value, date_order, false)
                        .ok_or_else(|| fail(c, RowProblem::NotADate, value))?,
                )
            }
        }
        None => None,
    };
    if satisfaction.is_none() && recommend.is_none() && intent.is_none() {
        let column = mapping
            .satisfaction
            .or(mapping.recommend)
            .unwrap_or(customer_column);
        return Err(fail(column, RowProblem::NoAnswer, ""));
    }
    Ok(Response {
        line,
        customer: customer.to_string(),
        satisfaction,
        recommend,
        intent,
        date,
    })
}

/// One respondent per customer id (ascending) from the responses (see [`Combine`]).
pub fn combine(responses: &[Response], how: Combine) -> Vec<Respondent> {
    // By id, then oldest first: undated before dated, then by file line. The keys sit beside
    // their response's index (a sort through the indices compared two responses far apart in
    // memory at every step: 70 ms natively for 200,000 responses); a file's lines differ, so
    // the order is the same whatever sort gives it.
    let mut order: Vec<(&str, Option<Day>, u64, usize)> = responses
        .iter()
        .enumerate()
        .map(|(i, r)| (r.customer.as_str(), r.date, r.line, i))
        .collect();
    order.sort_unstable();
    let mut out: Vec<Respondent> = Vec::new();
    let mut group: Vec<&Response> = Vec::new();
    for (k, &(id, _, _, i)) in order.iter().enumerate() {
        group.push(&responses[i]);
        if order.get(k + 1).is_none_or(|next| next.0 != id) {
            out.push(respondent(&group, how));
            group.clear();
        }
    }
    out
}

/// `group`: one customer's responses, oldest first.
fn respondent(group: &[&Response], how: Combine) -> Respondent {
    let latest = group.last().copied();
    let date = group.iter().filter_map(|r| r.date).max();
    let intent = group.iter().rev().find_map(|r| r.intent);
    let (satisfaction, recommend) = match (how, latest) {
        (Combine::Latest, Some(last)) => (
            last.satisfaction.map(f64::from),
            last.recommend.map(f64::from),
        ),
        _ => {
            let mean = |values: Vec<u8>| {
                (!values.is_empty()).then(|| {
                    values.iter().map(|&v| f64::from(v)).sum::<f64>() / values.len() as f64
                })
            };
            (
                mean(group.iter().filter_map(|r| r.satisfaction).collect()),
                mean(group.iter().filter_map(|r| r.recommend).collect()),
            )
        }
    };
    let intent = match (how, latest) {
        (Combine::Latest, Some(last)) => last.intent,
        _ => intent,
    };
    Respondent {
        id: latest.map_or_else(String::new, |r| r.customer.clone()),
        responses: u32::try_from(group.len()).unwrap_or(u32::MAX),
        satisfaction,
        // Half up: 2.5 → 3. Levels lie in 0..=10, so the cast cannot wrap.
        level: satisfaction.map(|s| (s + 0.5).floor() as u8),
        recommend,
        intent,
        date,
    }
}
