//! SWOT scoring (SWOT 分析打分, METHODS §3, from document `001`): strengths 优势, weaknesses
//! 劣势, opportunities 机会 and threats 威胁, every item scored out of 10, totals per quadrant, the
//! same for competitors (竞争对手 A, B, C, D) in one comparison table, and the strategic position
//! (TOWS 矩阵: SO 增长型, ST 多元化, WO 扭转型, WT 防御型).
//!
//! The pieces, in the order the UI uses them:
//! - **Boards.** A [`Workbench`] holds our [`Board`] and any number of competitors' boards; each
//!   board holds [`SwotItem`]s. Every edit is a method of [`Workbench`] that checks its input
//!   ([`Workbench::add_item`], [`Workbench::set_score`], [`Workbench::move_item`] …), so a board
//!   is never left half-valid. The workbench is plain serde data with a format
//!   [`version`](Workbench::version); [`Workbench::from_json`] checks everything again on load.
//! - **Totals.** [`board_totals`]: per quadrant the total (sum of item scores), mean, and with
//!   item weights the weighted total ([`QuadrantTotals`]).
//! - **Position.** [`position`]: internal `x = S − W` against external `y = O − T`, and the TOWS
//!   quadrant it falls in ([`TowsQuadrant`]; `i18n::tows_strategy` and `i18n::tows_meaning` word it).
//! - **Comparison.** [`comparison`]: name × S/W/O/T totals for us and every competitor, the
//!   document's table, with where a competitor is stronger than us ([`Standing`]).
//! - **CSV.** [`import_swot_csv`] (columns quadrant, item, score and optionally weight,
//!   respondent, competitor; Chinese or English names; several respondents per item) and
//!   [`workbench_csv`], which the import reads back.
//! - **Hints.** [`hints_from_customers`]: suggested items derived from loaded customer data, as
//!   kinds with their figures (`i18n::swot_hint_text` words them).
//! - **Figures.** [`figures`]: `swot_total_S` … for tools and tests.
//!
//! # Rules shared by everything here
//! - **Scores** are real numbers from [`MIN_SCORE`] 1 to [`MAX_SCORE`] 10 inclusive (the
//!   document's 10-point scale; `7.5` is allowed). A score outside that range is refused, as an
//!   [`Error::Parameter`] in an edit and a [`RowError`] in an import; it is never clamped.
//! - **Several respondents.** An item keeps every respondent's score ([`SwotItem::scores`]); its
//!   score is their mean ([`SwotItem::score`]), their spread is [`SwotItem::spread`]. A score
//!   typed in the UI is a list of one.
//! - **Totals** add item scores (means); an empty quadrant totals 0 and has no mean.
//! - **Weights** are optional, relative importances (`3`, `0.3` and `30%` mean the same once
//!   normalised), any finite number from 0 to [`MAX_WEIGHT`]; see [`QuadrantTotals`] for how
//!   they are normalised per quadrant and what happens when only some items have one.
//! - **Item texts** are trimmed and never empty; within one quadrant of one board each text
//!   occurs once (compared with runs of white space as one space), because the CSV import
//!   merges rows with the same text into one item.
//! - **Board names** are trimmed, never empty, and unique in a workbench; a competitor may not
//!   be called by a name that means "us" in a CSV file ([`US_ALIASES`]).
//! - **Floating point.** Differences and comparisons treat values within 10⁻⁹ as equal, so
//!   `1.1 + 2.2 − 3.3` is a tie, not a sign. Floats are ordered with `total_cmp`; nothing here
//!   panics on any value.
//!
//! # Example
//! ```
//! use valuelens::engine::swot::{board_totals, position, PositionBasis, Quadrant, TowsQuadrant,
//! Workbench};
//!
//! let mut workbench = Workbench::default();
//! let us = workbench.us.id;
//! workbench.add_item(us, Quadrant::Strengths, "品牌知名度高", 8.0)?;
//! workbench.add_item(us, Quadrant::Strengths, "渠道覆盖广", 7.0)?;
//! workbench.add_item(us, Quadrant::Weaknesses, "价格偏高", 6.0)?;
//! workbench.add_item(us, Quadrant::Threats, "新进入者", 5.0)?;
//!
//! let totals = board_totals(&workbench.us);
//! assert_eq!(totals.get(Quadrant::Strengths).total, 15.0);
//! assert_eq!(totals.get(Quadrant::Strengths).mean, Some(7.5));
//! assert_eq!(totals.get(Quadrant::Opportunities).mean, None); // empty quadrant
//!
//! let p = position(&workbench.us, PositionBasis::Totals).expect("the board has items");
//! assert_eq!((p.x, p.y), (9.0, -5.0));
//! assert_eq!(p.tows, TowsQuadrant::ST);
//! # Ok::<(), valuelens::engine::Error>(())
//! ```

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

#[cfg(feature = "legacy-encodings")]
use encoding_rs::Encoding;
use serde::{Deserialize, Serialize};

use super::deciles::Figure;
use super::error::{
    Error, FormatProblem, FormatSubject, ItemProblem, ParameterProblem, Result, RowError,
    RowProblem,
};
use super::export::csv_document;
use super::ingest::dialect::{sniff_delimiter, Delimiter, RecordSplitter};
#[cfg(feature = "legacy-encodings")]
use super::ingest::encoding::{chinese_encoding_reading_most, EncodingEvidence};
use super::ingest::encoding::{EncodingGuess, LanguageHint};
use super::ingest::values::{parse_number, DecimalSeparator, MAX_MAGNITUDE};
use super::ingest::{column_name, kept_cells_of, RejectedRow, Tally};
use super::ingest::{decode_text, sep_line_delimiter, DecodedText, HeaderWords, TextOptions};
use super::numeric::{parameter, snap_to_zero, truncate_chars, ZERO_TOLERANCE};
use super::summary::Summary;
use super::vocabulary::{quadrant_of_word, PERCENT_SIGNS, QUADRANT_SEPARATORS, SCORE_SUFFIX};
use super::workspace::{check_chars, WorkspacePart, WorkspaceProblem};

/// The lowest score an item may have (the document's 10-point scale).
pub const MIN_SCORE: f64 = 1.0;
/// The highest score an item may have.
pub const MAX_SCORE: f64 = 10.0;
/// The largest weight an item may have (the import's largest number, 10¹⁵).
pub const MAX_WEIGHT: f64 = MAX_MAGNITUDE;
/// The format version [`Workbench`] writes; a saved workbench with a larger one is refused.
pub const FORMAT_VERSION: u32 = 1;
/// The name of our board in a new workbench (names are data: the user may rename it).
pub const DEFAULT_US_NAME: &str = "Us";
/// The competitors of a new workbench, as in the document's table (A, B, C, D), all empty.
pub const DEFAULT_COMPETITORS: [&str; 4] = ["A", "B", "C", "D"];
pub use super::vocabulary::US_ALIASES;
/// What [`import_swot_csv`] names in an [`Error::Format`] (`what`), so the UI can word it.
pub const SWOT_FILE: FormatSubject = FormatSubject::SwotFile;
/// What [`Workbench::from_json`] names in an [`Error::Format`] (`what`).
pub const SAVED_BOARDS: FormatSubject = FormatSubject::SavedBoards;
/// The most competitors' boards a workbench holds (the document compares four; the view shows
/// every board as a tab and a comparison row, and 20,000 of them froze it for half a minute).
pub const MAX_COMPETITORS: usize = 50;
/// The most items one quadrant of one board holds (a real SWOT lists a handful).
pub const MAX_ITEMS_PER_QUADRANT: usize = 100;
/// The most scores (respondents) one item holds.
pub const MAX_RESPONDENTS: usize = 1_000;
/// The longest item text or board name, in characters.
pub const MAX_TEXT_CHARS: usize = 500;

mod board;
mod comparison;
mod csv;
mod hints;
mod quadrant;
mod scoring;
mod tows;

pub use board::*;
pub use comparison::*;
pub use csv::*;
pub use hints::*;
pub use quadrant::*;
pub use scoring::*;
pub use tows::*;

#[cfg(test)]
mod tests;
