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
//!   quadrant it falls in ([`TowsQuadrant`], with its meaning in Chinese and English).
//! - **Comparison.** [`comparison`]: name × S/W/O/T totals for us and every competitor, the
//!   document's table, with where a competitor is stronger than us ([`Standing`]).
//! - **CSV.** [`import_swot_csv`] (columns quadrant, item, score and optionally weight,
//!   respondent, competitor; Chinese or English names; several respondents per item) and
//!   [`workbench_csv`], which the import reads back.
//! - **Hints.** [`hints_from_customers`]: suggested items derived from loaded customer data.
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
//! use valuelens::engine::swot::{board_totals, position, PositionBasis, Quadrant, TowsQuadrant, Workbench};
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

use encoding_rs::{Encoding, BIG5, GBK};
use serde::{Deserialize, Serialize};

use super::deciles::Figure;
use super::error::{Error, FormatSubject, ParameterProblem, Result, RowError, RowProblem};
use super::export::csv_document;
use super::ingest::dialect::{sniff_delimiter, Delimiter, RecordSplitter};
use super::ingest::encoding::{
    decode_all, detect_encoding, EncodingEvidence, EncodingGuess, LanguageHint,
};
use super::ingest::sep_line_delimiter;
use super::ingest::values::{parse_number, DecimalSeparator, MAX_MAGNITUDE};
use super::ingest::{RejectedRow, MAX_ERRORS_SHOWN, MAX_REJECTED_KEPT};
use super::numeric::{
    parameter, snap_to_zero as snap, truncate_chars, ZERO_TOLERANCE as TOLERANCE,
};
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

// ---------------------------------------------------------------------------------------------
// Quadrants

/// One of the four SWOT quadrants (象限).
///
/// Strengths and weaknesses are internal (内部), opportunities and threats external (外部).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Quadrant {
    /// Strengths, 优势 (S).
    Strengths,
    /// Weaknesses, 劣势 (W).
    Weaknesses,
    /// Opportunities, 机会 (O).
    Opportunities,
    /// Threats, 威胁 (T).
    Threats,
}

impl Quadrant {
    /// All four, in S, W, O, T order (the order of every `[_; 4]` in this module).
    pub const ALL: [Quadrant; 4] = [
        Quadrant::Strengths,
        Quadrant::Weaknesses,
        Quadrant::Opportunities,
        Quadrant::Threats,
    ];

    /// Position in [`Quadrant::ALL`]: 0 for S … 3 for T.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The letter: `S`, `W`, `O` or `T` (used in figure names such as `swot_total_S`).
    pub fn letter(self) -> &'static str {
        match self {
            Quadrant::Strengths => "S",
            Quadrant::Weaknesses => "W",
            Quadrant::Opportunities => "O",
            Quadrant::Threats => "T",
        }
    }

    /// The name in English: Strengths, Weaknesses, Opportunities, Threats.
    pub fn name_en(self) -> &'static str {
        match self {
            Quadrant::Strengths => "Strengths",
            Quadrant::Weaknesses => "Weaknesses",
            Quadrant::Opportunities => "Opportunities",
            Quadrant::Threats => "Threats",
        }
    }

    /// True for strengths and weaknesses (the x axis of the position), false for opportunities
    /// and threats (the y axis).
    pub fn is_internal(self) -> bool {
        matches!(self, Quadrant::Strengths | Quadrant::Weaknesses)
    }

    /// True where a higher total is better for the board's owner (strengths, opportunities);
    /// false where a lower total is (weaknesses, threats). See [`Standing`].
    pub fn higher_is_better(self) -> bool {
        matches!(self, Quadrant::Strengths | Quadrant::Opportunities)
    }

    /// Reads a quadrant name as files and users write it; `None` when it names none.
    ///
    /// Accepted, after trimming and turning full-width letters and brackets into ASCII: the
    /// letters `S`, `W`, `O`, `T`; `strength(s)`, `weakness(es)`, `opportunity`/`opportunities`,
    /// `threat(s)` in any ASCII case; 优势/劣势/机会/威胁 and 優勢/劣勢/機會/威脅. A name and its
    /// letter together are accepted when they agree, separated by spaces, brackets, `-`, `:`,
    /// `/`, `|`, `、` or `·`: `优势(S)`, `S-优势`, `【S】优势`, `Strengths / 优势`. `S/W` and
    /// `strong` are `None`.
    ///
    /// # Examples
    /// ```
    /// use valuelens::engine::swot::Quadrant;
    /// assert_eq!(Quadrant::parse(" threats "), Some(Quadrant::Threats));
    /// assert_eq!(Quadrant::parse("機會"), Some(Quadrant::Opportunities));
    /// assert_eq!(Quadrant::parse("劣势（W）"), Some(Quadrant::Weaknesses));
    /// assert_eq!(Quadrant::parse("S/W"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Quadrant> {
        let text: String = text.trim().chars().map(half_width).collect();
        let text = text.trim();
        if let Some(quadrant) = Quadrant::parse_word(text) {
            return Some(quadrant);
        }
        let mut found = None;
        for part in text
            .split(|c: char| c.is_whitespace() || QUADRANT_SEPARATORS.contains(c))
            .filter(|part| !part.is_empty())
        {
            let quadrant = Quadrant::parse_word(part)?;
            if found.is_some_and(|f| f != quadrant) {
                return None;
            }
            found = Some(quadrant);
        }
        found
    }

    fn parse_word(word: &str) -> Option<Quadrant> {
        quadrant_of_word(word)
    }
}

/// Full-width ASCII (`Ｓ`, `（`, `：`) and the ideographic space as their ASCII forms.
fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

// ---------------------------------------------------------------------------------------------
// Items, boards, the workbench

/// One scored item of a board (one line of a quadrant, e.g. 优势 1: 品牌知名度高, 8 分).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SwotItem {
    /// Unique in its [`Workbench`] and never reused while the workbench lives: a stable key for
    /// the UI's lists (moving or editing an item keeps it).
    pub id: u64,
    /// The quadrant the item belongs to.
    pub quadrant: Quadrant,
    /// The item's text, trimmed, never empty.
    pub text: String,
    /// One score per respondent, each from 1 to 10; never empty. A score typed in the UI is a
    /// list of one.
    pub scores: Vec<f64>,
    /// The item's weight (relative importance, 0 to [`MAX_WEIGHT`]), or `None` when unweighted.
    pub weight: Option<f64>,
}

/// How much the respondents' scores of one item differ ([`SwotItem::spread`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    /// The lowest score.
    pub min: f64,
    /// The highest score.
    pub max: f64,
    /// Population standard deviation of the scores (divided by n, not n − 1: it describes the
    /// respondents who answered, and is 0 for a single score).
    pub std_dev: f64,
}

impl SwotItem {
    /// The item's score: the mean of its respondents' scores (1 to 10). `None` only for an item
    /// without scores, which no method of this module creates (such an item counts nowhere).
    pub fn score(&self) -> Option<f64> {
        mean(&self.scores)
    }

    /// Lowest, highest and standard deviation of the respondents' scores; `None` without scores.
    /// With one score, min = max = the score and the deviation is 0.
    pub fn spread(&self) -> Option<Spread> {
        let mean = mean(&self.scores)?;
        let min = self.scores.iter().copied().min_by(f64::total_cmp)?;
        let max = self.scores.iter().copied().max_by(f64::total_cmp)?;
        let variance = self
            .scores
            .iter()
            .map(|s| (s - mean) * (s - mean))
            .sum::<f64>()
            / self.scores.len() as f64;
        Some(Spread {
            min,
            max,
            std_dev: variance.sqrt(),
        })
    }
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// One SWOT: ours, or a competitor's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Board {
    /// Unique in its [`Workbench`] (boards and items share one id counter).
    pub id: u64,
    /// Display name, e.g. `Us`, `A`, `华润`; trimmed, never empty, unique in the workbench.
    pub name: String,
    /// The items in display order. The order matters within a quadrant only: the items of a
    /// quadrant are shown in the order they appear here.
    pub items: Vec<SwotItem>,
}

impl Board {
    /// The items of one quadrant, in display order.
    pub fn items_in(&self, quadrant: Quadrant) -> impl Iterator<Item = &SwotItem> + '_ {
        self.items.iter().filter(move |i| i.quadrant == quadrant)
    }

    /// True when the board has no items at all.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Which way [`Workbench::move_item`] moves an item within its quadrant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MoveDirection {
    /// Before the previous item of the same quadrant.
    Up,
    /// After the next item of the same quadrant.
    Down,
}

/// Our board and the competitors' boards: everything the SWOT view edits and the browser keeps
/// (as JSON in local storage, [`Workbench::to_json`] / [`Workbench::from_json`]).
///
/// [`Workbench::default`] is our board named [`DEFAULT_US_NAME`] and four empty competitors
/// named A, B, C and D ([`DEFAULT_COMPETITORS`]), as in the document's table.
///
/// The fields are public for reading. Edit through the methods, which keep the rules of the
/// module docs; deserialising checks them ([`Workbench::validate`]) and refuses data that breaks
/// them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "WorkbenchData")]
pub struct Workbench {
    /// Format version, [`FORMAT_VERSION`] when written by this code. A reader refuses larger
    /// versions and migrates smaller ones (there are none yet).
    pub version: u32,
    /// The next id to hand out (above every id in use).
    pub next_id: u64,
    /// Our board.
    pub us: Board,
    /// The competitors' boards, in display order.
    pub competitors: Vec<Board>,
}

/// The shape of a saved workbench before it is checked.
#[derive(Deserialize)]
struct WorkbenchData {
    version: u32,
    next_id: u64,
    us: Board,
    competitors: Vec<Board>,
}

impl TryFrom<WorkbenchData> for Workbench {
    type Error = Error;

    /// Checks the data; a `next_id` not above every id in use is raised (it is a counter, not
    /// user data), everything else that breaks a rule is refused.
    fn try_from(data: WorkbenchData) -> Result<Self> {
        let mut workbench = Workbench {
            version: data.version,
            next_id: data.next_id,
            us: data.us,
            competitors: data.competitors,
        };
        if let Some(largest) = workbench.ids().max() {
            if workbench.next_id <= largest {
                workbench.next_id = largest.checked_add(1).ok_or_else(|| Error::Format {
                    what: SAVED_BOARDS,
                    reason: "an id is too large".into(),
                })?;
            }
        }
        workbench.validate()?;
        Ok(workbench)
    }
}

impl Default for Workbench {
    fn default() -> Self {
        let mut workbench = Workbench {
            version: FORMAT_VERSION,
            next_id: 2,
            us: Board {
                id: 1,
                name: DEFAULT_US_NAME.into(),
                items: Vec::new(),
            },
            competitors: Vec::new(),
        };
        for name in DEFAULT_COMPETITORS {
            let id = workbench.next_id;
            workbench.next_id += 1;
            workbench.competitors.push(Board {
                id,
                name: name.into(),
                items: Vec::new(),
            });
        }
        workbench
    }
}

/// Checks a score: finite, from [`MIN_SCORE`] to [`MAX_SCORE`].
///
/// # Errors
/// [`Error::Parameter`] (`score`) otherwise; the score is never clamped.
pub fn check_score(score: f64) -> Result<()> {
    if score.is_finite() && (MIN_SCORE..=MAX_SCORE).contains(&score) {
        Ok(())
    } else {
        Err(parameter(
            "score",
            ParameterProblem::NotAScore { value: score },
        ))
    }
}

/// Checks a weight: finite, from 0 to [`MAX_WEIGHT`].
///
/// # Errors
/// [`Error::Parameter`] (`weight`) otherwise.
pub fn check_weight(weight: f64) -> Result<()> {
    if weight.is_finite() && (0.0..=MAX_WEIGHT).contains(&weight) {
        Ok(())
    } else {
        Err(parameter(
            "weight",
            ParameterProblem::NotAWeight { value: weight },
        ))
    }
}

/// The key under which item texts are compared: trimmed, runs of white space as one space.
fn text_key(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_us_alias(name: &str) -> bool {
    let name = text_key(name).to_lowercase();
    name.is_empty() || US_ALIASES.contains(&name.as_str())
}

impl Workbench {
    /// An empty workbench (no competitors) whose board is named `our_name`.
    ///
    /// # Errors
    /// [`Error::Parameter`] (`name`) when the name is empty.
    pub fn new(our_name: &str) -> Result<Workbench> {
        let name = our_name.trim();
        if name.is_empty() {
            return Err(parameter("name", ParameterProblem::EmptyName));
        }
        Ok(Workbench {
            version: FORMAT_VERSION,
            next_id: 2,
            us: Board {
                id: 1,
                name: name.into(),
                items: Vec::new(),
            },
            competitors: Vec::new(),
        })
    }

    /// Every board, ours first.
    pub fn boards(&self) -> impl Iterator<Item = &Board> + '_ {
        std::iter::once(&self.us).chain(self.competitors.iter())
    }

    fn boards_mut(&mut self) -> impl Iterator<Item = &mut Board> + '_ {
        std::iter::once(&mut self.us).chain(self.competitors.iter_mut())
    }

    fn ids(&self) -> impl Iterator<Item = u64> + '_ {
        self.boards()
            .flat_map(|b| std::iter::once(b.id).chain(b.items.iter().map(|i| i.id)))
    }

    /// The board with this id.
    pub fn board(&self, id: u64) -> Option<&Board> {
        self.boards().find(|b| b.id == id)
    }

    /// The item with this id, on any board.
    pub fn item(&self, id: u64) -> Option<&SwotItem> {
        self.boards()
            .flat_map(|b| b.items.iter())
            .find(|i| i.id == id)
    }

    /// The board that holds the item with this id.
    pub fn board_of_item(&self, id: u64) -> Option<&Board> {
        self.boards().find(|b| b.items.iter().any(|i| i.id == id))
    }

    fn allocate(&mut self) -> Result<u64> {
        let id = self.next_id;
        self.next_id = id
            .checked_add(1)
            .ok_or_else(|| parameter("id", ParameterProblem::NoIdsLeft))?;
        Ok(id)
    }

    fn board_mut(&mut self, id: u64) -> Result<&mut Board> {
        self.boards_mut()
            .find(|b| b.id == id)
            .ok_or_else(|| parameter("board", ParameterProblem::NoSuchBoard { id: Some(id) }))
    }

    /// The board holding `item` and the item's index in it.
    fn locate_mut(&mut self, item: u64) -> Result<(&mut Board, usize)> {
        self.boards_mut()
            .find_map(|b| {
                let index = b.items.iter().position(|i| i.id == item)?;
                Some((b, index))
            })
            .ok_or_else(|| parameter("item", ParameterProblem::NoSuchItem { id: item }))
    }

    /// Adds an item at the end of `quadrant` on board `board`, with one score, no weight.
    /// Returns the new item's id.
    ///
    /// # Errors
    /// [`Error::Parameter`]: `board` (no such board), `text` (empty after trimming, or already
    /// in this quadrant of this board), `score` (not from 1 to 10).
    pub fn add_item(
        &mut self,
        board: u64,
        quadrant: Quadrant,
        text: &str,
        score: f64,
    ) -> Result<u64> {
        check_score(score)?;
        let text = check_text(self.board(board), quadrant, text, None)?;
        self.check_room(board, quadrant)?;
        let id = self.allocate()?;
        self.board_mut(board)?.items.push(SwotItem {
            id,
            quadrant,
            text,
            scores: vec![score],
            weight: None,
        });
        Ok(id)
    }

    /// Changes an item's text.
    ///
    /// # Errors
    /// [`Error::Parameter`]: `item` (no such item), `text` (empty, or another item of the
    /// quadrant has it).
    pub fn set_text(&mut self, item: u64, text: &str) -> Result<()> {
        let quadrant = self
            .item(item)
            .map(|i| i.quadrant)
            .ok_or_else(|| parameter("item", ParameterProblem::NoSuchItem { id: item }))?;
        let text = check_text(self.board_of_item(item), quadrant, text, Some(item))?;
        let (board, index) = self.locate_mut(item)?;
        board.items[index].text = text;
        Ok(())
    }

    /// Sets an item's score, replacing every respondent's score by this one.
    ///
    /// # Errors
    /// [`Error::Parameter`]: `item`, `score` (not from 1 to 10; never clamped).
    pub fn set_score(&mut self, item: u64, score: f64) -> Result<()> {
        self.set_scores(item, &[score])
    }

    /// Sets an item's scores, one per respondent.
    ///
    /// # Errors
    /// [`Error::Parameter`]: `item`, `score` (none given, or one not from 1 to 10).
    pub fn set_scores(&mut self, item: u64, scores: &[f64]) -> Result<()> {
        if scores.is_empty() {
            return Err(parameter("score", ParameterProblem::NoScores));
        }
        scores.iter().try_for_each(|&s| check_score(s))?;
        if scores.len() > MAX_RESPONDENTS {
            return Err(Error::Workspace(WorkspaceProblem::TooMany {
                part: WorkspacePart::Respondents,
                at: None,
                count: scores.len() as u64,
                max: MAX_RESPONDENTS as u64,
            }));
        }
        let (board, index) = self.locate_mut(item)?;
        board.items[index].scores = scores.to_vec();
        Ok(())
    }

    /// Sets or clears (`None`) an item's weight.
    ///
    /// # Errors
    /// [`Error::Parameter`]: `item`, `weight` (negative, not finite, above [`MAX_WEIGHT`]).
    pub fn set_weight(&mut self, item: u64, weight: Option<f64>) -> Result<()> {
        if let Some(weight) = weight {
            check_weight(weight)?;
        }
        let (board, index) = self.locate_mut(item)?;
        board.items[index].weight = weight;
        Ok(())
    }

    /// Moves an item to another quadrant of its board, at the end of that quadrant. Moving it to
    /// its own quadrant changes nothing.
    ///
    /// # Errors
    /// [`Error::Parameter`]: `item`, `text` (the other quadrant already has this text).
    pub fn set_quadrant(&mut self, item: u64, quadrant: Quadrant) -> Result<()> {
        let current = self
            .item(item)
            .ok_or_else(|| parameter("item", ParameterProblem::NoSuchItem { id: item }))?;
        if current.quadrant == quadrant {
            return Ok(());
        }
        let text = current.text.clone();
        let board = self.board_of_item(item);
        check_text(board, quadrant, &text, Some(item))?;
        if let Some(board) = board {
            self.check_room(board.id, quadrant)?;
        }
        let (board, index) = self.locate_mut(item)?;
        let mut moved = board.items.remove(index);
        moved.quadrant = quadrant;
        board.items.push(moved);
        Ok(())
    }

    /// Deletes an item and returns it (for an undo).
    ///
    /// # Errors
    /// [`Error::Parameter`] (`item`) when there is no such item.
    pub fn delete_item(&mut self, item: u64) -> Result<SwotItem> {
        let (board, index) = self.locate_mut(item)?;
        Ok(board.items.remove(index))
    }

    /// Moves an item one place up or down among the items of its quadrant. Returns `false`
    /// (and changes nothing) when it is already first (up) or last (down).
    ///
    /// # Errors
    /// [`Error::Parameter`] (`item`) when there is no such item.
    pub fn move_item(&mut self, item: u64, direction: MoveDirection) -> Result<bool> {
        let (board, index) = self.locate_mut(item)?;
        let quadrant = board.items[index].quadrant;
        let same = |j: &usize| board.items[*j].quadrant == quadrant;
        let other = match direction {
            MoveDirection::Up => (0..index).rev().find(same),
            MoveDirection::Down => (index + 1..board.items.len()).find(same),
        };
        match other {
            Some(j) => {
                board.items.swap(index, j);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Adds an empty competitor board at the end. Returns its id.
    ///
    /// # Errors
    /// [`Error::Workspace`] ([`WorkspaceProblem::TooMany`], competitors) when there are already
    /// [`MAX_COMPETITORS`]; [`Error::Parameter`] (`name`): empty, already used by a board, or
    /// one of [`US_ALIASES`].
    pub fn add_competitor(&mut self, name: &str) -> Result<u64> {
        let count = self.competitors.len() + 1;
        if count > MAX_COMPETITORS {
            return Err(Error::Workspace(WorkspaceProblem::TooMany {
                part: WorkspacePart::Competitors,
                at: None,
                count: count as u64,
                max: MAX_COMPETITORS as u64,
            }));
        }
        let name = self.check_name(name, None, true)?;
        let id = self.allocate()?;
        self.competitors.push(Board {
            id,
            name,
            items: Vec::new(),
        });
        Ok(id)
    }

    /// Renames a board (ours or a competitor's).
    ///
    /// # Errors
    /// [`Error::Parameter`]: `board` (no such board), `name` (empty, used by another board, or
    /// for a competitor one of [`US_ALIASES`]).
    pub fn rename_board(&mut self, board: u64, name: &str) -> Result<()> {
        let is_us = board == self.us.id;
        let name = self.check_name(name, Some(board), !is_us)?;
        self.board_mut(board)?.name = name;
        Ok(())
    }

    /// Removes a competitor's board and returns it (for an undo). Our board cannot be removed.
    ///
    /// # Errors
    /// [`Error::Parameter`] (`board`): no such competitor, or our own board.
    pub fn remove_competitor(&mut self, board: u64) -> Result<Board> {
        if board == self.us.id {
            return Err(parameter("board", ParameterProblem::OwnBoard));
        }
        let index = self
            .competitors
            .iter()
            .position(|b| b.id == board)
            .ok_or_else(|| parameter("board", ParameterProblem::NoSuchBoard { id: Some(board) }))?;
        Ok(self.competitors.remove(index))
    }

    /// Moves a competitor's board one place towards the start (`Up`) or the end (`Down`) of
    /// the competitors. Returns `false` when it is already there.
    ///
    /// # Errors
    /// [`Error::Parameter`] (`board`) when there is no such competitor.
    pub fn move_competitor(&mut self, board: u64, direction: MoveDirection) -> Result<bool> {
        let index = self
            .competitors
            .iter()
            .position(|b| b.id == board)
            .ok_or_else(|| parameter("board", ParameterProblem::NoSuchCompetitor { id: board }))?;
        let other = match direction {
            MoveDirection::Up => index.checked_sub(1),
            MoveDirection::Down => Some(index + 1).filter(|&j| j < self.competitors.len()),
        };
        match other {
            Some(j) => {
                self.competitors.swap(index, j);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Refuses one more item in `quadrant` of `board` when it holds
    /// [`MAX_ITEMS_PER_QUADRANT`] already.
    fn check_room(&self, board: u64, quadrant: Quadrant) -> Result<()> {
        let Some((k, board)) = self.boards().enumerate().find(|(_, b)| b.id == board) else {
            return Ok(());
        };
        let count = board.items_in(quadrant).count() + 1;
        match count > MAX_ITEMS_PER_QUADRANT {
            false => Ok(()),
            true => Err(Error::Workspace(WorkspaceProblem::TooMany {
                part: WorkspacePart::QuadrantItems,
                at: Some(k as u64 + 1),
                count: count as u64,
                max: MAX_ITEMS_PER_QUADRANT as u64,
            })),
        }
    }

    /// The trimmed name, when no other board has it (and, for a competitor, it does not mean
    /// "us").
    fn check_name(&self, name: &str, board: Option<u64>, competitor: bool) -> Result<String> {
        let name = name.trim();
        if name.is_empty() {
            return Err(parameter("name", ParameterProblem::EmptyName));
        }
        check_chars(WorkspacePart::BoardName, None, name, MAX_TEXT_CHARS)
            .map_err(Error::Workspace)?;
        if competitor && is_us_alias(name) {
            return Err(parameter(
                "name",
                ParameterProblem::MeansUs { name: name.into() },
            ));
        }
        if self.boards().any(|b| Some(b.id) != board && b.name == name) {
            return Err(parameter(
                "name",
                ParameterProblem::NameTaken { name: name.into() },
            ));
        }
        Ok(name.into())
    }

    /// Checks every rule of the module docs: the version, names, ids (unique, below
    /// `next_id`), texts, scores and weights.
    ///
    /// # Errors
    /// [`Error::Format`] ([`SAVED_BOARDS`]) naming the first broken rule.
    pub fn validate(&self) -> Result<()> {
        let fail = |reason: String| {
            Err(Error::Format {
                what: SAVED_BOARDS,
                reason,
            })
        };
        if self.version == 0 || self.version > FORMAT_VERSION {
            return fail(format!(
                "format version {} is not supported (this version reads up to {FORMAT_VERSION})",
                self.version
            ));
        }
        let mut ids = HashSet::new();
        for id in self.ids() {
            if !ids.insert(id) {
                return fail(format!("id {id} is used twice"));
            }
            if id >= self.next_id {
                return fail(format!("id {id} is not below next_id {}", self.next_id));
            }
        }
        let mut names = HashSet::new();
        for (k, board) in self.boards().enumerate() {
            if board.name.trim().is_empty() || board.name.trim() != board.name {
                return fail(format!("board {} has an empty or untrimmed name", board.id));
            }
            if k > 0 && is_us_alias(&board.name) {
                return fail(format!(
                    "competitor '{}' has a name that means us",
                    board.name
                ));
            }
            if !names.insert(board.name.as_str()) {
                return fail(format!("two boards are named '{}'", board.name));
            }
            let mut texts = HashSet::new();
            for item in &board.items {
                let at = format!("item {} of '{}'", item.id, board.name);
                if item.text.trim().is_empty() || item.text.trim() != item.text {
                    return fail(format!("{at} has an empty or untrimmed text"));
                }
                if !texts.insert((item.quadrant, text_key(&item.text))) {
                    return fail(format!("{at} repeats a text of its quadrant"));
                }
                if item.scores.is_empty() || item.scores.iter().any(|&s| check_score(s).is_err()) {
                    return fail(format!("{at} has no score or one not from 1 to 10"));
                }
                if item.weight.is_some_and(|w| check_weight(w).is_err()) {
                    return fail(format!("{at} has a weight out of range"));
                }
            }
        }
        Ok(())
    }

    /// Checks the bounds of what a workbench holds: at most [`MAX_COMPETITORS`] competitors,
    /// [`MAX_ITEMS_PER_QUADRANT`] items in a quadrant of a board, [`MAX_RESPONDENTS`] scores an
    /// item, [`MAX_TEXT_CHARS`] characters a name or text. The edits and the CSV import keep
    /// them; a saved workbench from elsewhere (a workspace file) is checked with this.
    ///
    /// # Errors
    /// [`Error::Workspace`] naming the first bound broken, with the board (1 is ours).
    pub fn check_limits(&self) -> Result<()> {
        self.limits().map_err(Error::Workspace)
    }

    fn limits(&self) -> std::result::Result<(), WorkspaceProblem> {
        let too_many = |part, at, count: usize, max: usize| {
            Err(WorkspaceProblem::TooMany {
                part,
                at,
                count: count as u64,
                max: max as u64,
            })
        };
        if self.competitors.len() > MAX_COMPETITORS {
            return too_many(
                WorkspacePart::Competitors,
                None,
                self.competitors.len(),
                MAX_COMPETITORS,
            );
        }
        for (k, board) in self.boards().enumerate() {
            let at = Some(k as u64 + 1);
            check_chars(WorkspacePart::BoardName, at, &board.name, MAX_TEXT_CHARS)?;
            for quadrant in Quadrant::ALL {
                let count = board.items_in(quadrant).count();
                if count > MAX_ITEMS_PER_QUADRANT {
                    return too_many(
                        WorkspacePart::QuadrantItems,
                        at,
                        count,
                        MAX_ITEMS_PER_QUADRANT,
                    );
                }
            }
            for item in &board.items {
                if item.scores.len() > MAX_RESPONDENTS {
                    let count = item.scores.len();
                    return too_many(WorkspacePart::Respondents, at, count, MAX_RESPONDENTS);
                }
                check_chars(WorkspacePart::ItemText, at, &item.text, MAX_TEXT_CHARS)?;
            }
        }
        Ok(())
    }

    /// The workbench as JSON, for the browser's local storage.
    ///
    /// Numbers are written in their shortest exact form. serde_json reads numbers of up to 15
    /// significant digits back exactly (every score or weight a person types); without its
    /// `float_roundtrip` feature a 17-digit one may come back one ulp apart.
    ///
    /// # Errors
    /// [`Error::Format`] if serialisation fails (it does not for a valid workbench).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| Error::Format {
            what: SAVED_BOARDS,
            reason: e.to_string(),
        })
    }

    /// Reads a workbench saved by [`Workbench::to_json`], checking it ([`Workbench::validate`]).
    ///
    /// # Errors
    /// [`Error::Format`] ([`SAVED_BOARDS`]) for text that is not a saved workbench, a newer
    /// format version, or data that breaks a rule.
    pub fn from_json(text: &str) -> Result<Workbench> {
        serde_json::from_str(text).map_err(|e| Error::Format {
            what: SAVED_BOARDS,
            reason: e.to_string(),
        })
    }
}

/// The trimmed text, when it is not empty and no other item (`except` is the item being
/// edited) of the quadrant on `board` has it.
fn check_text(
    board: Option<&Board>,
    quadrant: Quadrant,
    text: &str,
    except: Option<u64>,
) -> Result<String> {
    let board =
        board.ok_or_else(|| parameter("board", ParameterProblem::NoSuchBoard { id: None }))?;
    let text = text.trim();
    if text.is_empty() {
        return Err(parameter("text", ParameterProblem::EmptyText));
    }
    check_chars(WorkspacePart::ItemText, None, text, MAX_TEXT_CHARS).map_err(Error::Workspace)?;
    let key = text_key(text);
    if board
        .items_in(quadrant)
        .any(|i| Some(i.id) != except && text_key(&i.text) == key)
    {
        return Err(parameter(
            "text",
            ParameterProblem::TextTaken { text: text.into() },
        ));
    }
    Ok(text.into())
}

// ---------------------------------------------------------------------------------------------
// Totals

/// How the weights of a quadrant's items were used ([`QuadrantTotals::weighting`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Weighting {
    /// No item has a weight (or the quadrant is empty): every item weighs the same, so the
    /// weighted total is the mean.
    Equal,
    /// Every item has a weight and they add up to more than 0.
    Weighted,
    /// Some items have a weight and `missing` do not: the weighted total is not defined until
    /// the user gives them one (no weight is guessed).
    Partial {
        /// Items without a weight.
        missing: usize,
    },
    /// Every item has a weight, but they are all 0: nothing to normalise by.
    ZeroSum,
}

/// One item's normalised weight in its quadrant.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WeightShare {
    /// The item's id.
    pub item: u64,
    /// The item's weight / the sum of the quadrant's weights (the shares of a quadrant add up
    /// to 1); 1 / n for [`Weighting::Equal`].
    pub share: f64,
    /// `share` × the item's score: its part of the weighted total.
    pub weighted_score: f64,
}

/// The figures of one quadrant of one board ([`board_totals`]).
///
/// **Weights are normalised per quadrant**: an item's weighted score is its share of the
/// quadrant's weights × its score, and the weighted total is the sum of those, Σ wᵢsᵢ / Σ wᵢ —
/// the category score of the quantified SWOT (calculatemax), on the 1–10 scale of one score.
/// So weights typed as `3, 2, 1`, `0.5, 0.33, 0.17` or `50%, 33%, 17%` give the same result,
/// boards weighted on different scales compare, and the weighted total does not grow with the
/// number of items (the plain total does; that is the document's figure).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuadrantTotals {
    /// The quadrant.
    pub quadrant: Quadrant,
    /// Number of items (with a score).
    pub items: usize,
    /// Sum of the item scores (each the mean of its respondents); 0 for an empty quadrant.
    pub total: f64,
    /// `total / items`; `None` for an empty quadrant.
    pub mean: Option<f64>,
    /// How weights were used.
    pub weighting: Weighting,
    /// Σ share × score ([`Weighting::Equal`]: the mean); 0 for an empty quadrant (nothing to
    /// weigh, as its total is 0); `None` for [`Weighting::Partial`] and [`Weighting::ZeroSum`].
    pub weighted_total: Option<f64>,
    /// Every item's normalised weight, in display order; empty when `weighted_total` is `None`.
    pub shares: Vec<WeightShare>,
}

/// The four [`QuadrantTotals`] of a board, in S, W, O, T order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardTotals {
    /// S, W, O, T.
    pub quadrants: [QuadrantTotals; 4],
}

impl BoardTotals {
    /// The totals of one quadrant.
    pub fn get(&self, quadrant: Quadrant) -> &QuadrantTotals {
        &self.quadrants[quadrant.index()]
    }

    /// The quadrant's total ([`PositionBasis::Totals`]) or weighted total
    /// ([`PositionBasis::Weighted`]; `None` when not defined).
    pub fn value(&self, quadrant: Quadrant, basis: PositionBasis) -> Option<f64> {
        let totals = self.get(quadrant);
        match basis {
            PositionBasis::Totals => Some(totals.total),
            PositionBasis::Weighted => totals.weighted_total,
        }
    }
}

/// Totals, means, and weighted totals with normalised weights of every quadrant of a board.
///
/// Items without a score (which no method here creates) count nowhere.
pub fn board_totals(board: &Board) -> BoardTotals {
    BoardTotals {
        quadrants: Quadrant::ALL.map(|q| quadrant_totals(board, q)),
    }
}

fn quadrant_totals(board: &Board, quadrant: Quadrant) -> QuadrantTotals {
    let scored: Vec<(&SwotItem, f64)> = board
        .items_in(quadrant)
        .filter_map(|i| Some((i, i.score()?)))
        .collect();
    let items = scored.len();
    let total: f64 = scored.iter().map(|(_, s)| s).sum();
    let mean = (items > 0).then(|| total / items as f64);
    let missing = scored.iter().filter(|(i, _)| i.weight.is_none()).count();
    let weight_sum: f64 = scored.iter().filter_map(|(i, _)| i.weight).sum();
    let weighting = if missing == items {
        Weighting::Equal
    } else if missing > 0 {
        Weighting::Partial { missing }
    } else if weight_sum > 0.0 {
        Weighting::Weighted
    } else {
        Weighting::ZeroSum
    };
    let shares: Vec<WeightShare> = match weighting {
        Weighting::Equal => scored
            .iter()
            .map(|&(i, s)| WeightShare {
                item: i.id,
                share: 1.0 / items as f64,
                weighted_score: s / items as f64,
            })
            .collect(),
        Weighting::Weighted => scored
            .iter()
            .map(|&(i, s)| {
                let share = i.weight.unwrap_or(0.0) / weight_sum;
                WeightShare {
                    item: i.id,
                    share,
                    weighted_score: share * s,
                }
            })
            .collect(),
        Weighting::Partial { .. } | Weighting::ZeroSum => Vec::new(),
    };
    let weighted_total = match weighting {
        Weighting::Equal => Some(mean.unwrap_or(0.0)),
        Weighting::Weighted => Some(shares.iter().map(|s| s.weighted_score).sum()),
        Weighting::Partial { .. } | Weighting::ZeroSum => None,
    };
    QuadrantTotals {
        quadrant,
        items,
        total,
        mean,
        weighting,
        weighted_total,
        shares,
    }
}

// ---------------------------------------------------------------------------------------------
// Strategic position

/// Which figures the position is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum PositionBasis {
    /// The quadrant totals (the document's figures; more items weigh more).
    #[default]
    Totals,
    /// The weighted totals ([`QuadrantTotals::weighted_total`], each on the 1–10 scale).
    Weighted,
}

/// The TOWS strategy quadrant (Weihrich) a position falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[allow(clippy::upper_case_acronyms)] // the names of the method: SO, ST, WO, WT
pub enum TowsQuadrant {
    /// Strengths and opportunities (x ≥ 0, y ≥ 0): aggressive, growth — use strengths to
    /// seize opportunities.
    SO,
    /// Strengths and threats (x ≥ 0, y < 0): diversification — use strengths to counter threats.
    ST,
    /// Weaknesses and opportunities (x < 0, y ≥ 0): turnaround — overcome weaknesses by using
    /// opportunities.
    WO,
    /// Weaknesses and threats (x < 0, y < 0): defensive — reduce weaknesses, avoid threats.
    WT,
}

impl TowsQuadrant {
    /// All four, SO, ST, WO, WT.
    pub const ALL: [TowsQuadrant; 4] = [
        TowsQuadrant::SO,
        TowsQuadrant::ST,
        TowsQuadrant::WO,
        TowsQuadrant::WT,
    ];

    /// The quadrant of a position. A coordinate of exactly 0 (after [`position`] has snapped
    /// values within 10⁻⁹ to 0) counts as the favourable side: strengths balancing weaknesses
    /// is not a weakness, opportunities balancing threats is not a threat. So `(0, 0)` is SO,
    /// `(0, −1)` ST, `(−1, 0)` WO; [`Position::on_axis`] tells the UI to say it is a border case.
    pub fn of(x: f64, y: f64) -> TowsQuadrant {
        match (x >= 0.0, y >= 0.0) {
            (true, true) => TowsQuadrant::SO,
            (true, false) => TowsQuadrant::ST,
            (false, true) => TowsQuadrant::WO,
            (false, false) => TowsQuadrant::WT,
        }
    }

    /// `SO`, `ST`, `WO` or `WT`.
    pub fn as_str(self) -> &'static str {
        match self {
            TowsQuadrant::SO => "SO",
            TowsQuadrant::ST => "ST",
            TowsQuadrant::WO => "WO",
            TowsQuadrant::WT => "WT",
        }
    }
}

/// A board's strategic position ([`position`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Position {
    /// Internal: S − W (the chosen basis), snapped to 0 within 10⁻⁹.
    pub x: f64,
    /// External: O − T, snapped to 0 within 10⁻⁹.
    pub y: f64,
    /// The TOWS quadrant (see [`TowsQuadrant::of`] for a 0 coordinate).
    pub tows: TowsQuadrant,
    /// True when x or y is exactly 0: the position lies on a border between quadrants.
    pub on_axis: bool,
}

/// The strategic position of a board: x = S − W, y = O − T on `basis`, and its TOWS quadrant.
///
/// `None` when the board has no scored item at all (an empty board has no position, not SO),
/// and for [`PositionBasis::Weighted`] when a quadrant's weighted total is not defined
/// ([`Weighting::Partial`], [`Weighting::ZeroSum`]). Empty quadrants count 0.
pub fn position(board: &Board, basis: PositionBasis) -> Option<Position> {
    position_of(&board_totals(board), basis)
}

/// [`position`] from totals already computed.
pub fn position_of(totals: &BoardTotals, basis: PositionBasis) -> Option<Position> {
    if totals.quadrants.iter().all(|q| q.items == 0) {
        return None;
    }
    let value = |q| totals.value(q, basis);
    let x = snap(value(Quadrant::Strengths)? - value(Quadrant::Weaknesses)?);
    let y = snap(value(Quadrant::Opportunities)? - value(Quadrant::Threats)?);
    Some(Position {
        x,
        y,
        tows: TowsQuadrant::of(x, y),
        on_axis: x == 0.0 || y == 0.0,
    })
}

// ---------------------------------------------------------------------------------------------
// Comparison with competitors

/// How a competitor's quadrant total compares with ours ([`ComparisonRow::standing`]).
///
/// **Reading:** in strengths and opportunities a higher total is stronger; in weaknesses and
/// threats a *lower* total is stronger (fewer or milder weaknesses, less threatened). A
/// competitor whose strengths total 17 against our 15 is stronger in S; one whose weaknesses
/// total 5 against our 6 is stronger in W.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Standing {
    /// Our own row: the reference.
    Ours,
    /// The competitor is stronger than us here (highlight).
    Stronger,
    /// The totals are equal (within 10⁻⁹).
    Equal,
    /// The competitor is weaker than us here.
    Weaker,
    /// The competitor's board or ours has no item in this quadrant: not compared (an empty
    /// quadrant usually means "not filled in", and 0 weaknesses would otherwise read as
    /// stronger).
    NotCompared,
}

impl Standing {
    /// How a competitor's total compares with ours in `quadrant` (both boards have items there).
    pub fn of(quadrant: Quadrant, ours: f64, theirs: f64) -> Standing {
        if (ours - theirs).abs() <= TOLERANCE * ours.abs().max(theirs.abs()).max(1.0) {
            return Standing::Equal;
        }
        if (theirs > ours) == quadrant.higher_is_better() {
            Standing::Stronger
        } else {
            Standing::Weaker
        }
    }
}

/// One row of the comparison table (name × S, W, O, T totals).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonRow {
    /// The board's id.
    pub board: u64,
    /// The board's name.
    pub name: String,
    /// True for our own board (the first row).
    pub is_us: bool,
    /// Strengths total.
    pub s: f64,
    /// Weaknesses total.
    pub w: f64,
    /// Opportunities total.
    pub o: f64,
    /// Threats total.
    pub t: f64,
    /// Number of items per quadrant, S, W, O, T.
    pub items: [usize; 4],
    /// Per quadrant S, W, O, T: how this board compares with ours ([`Standing::Ours`] on our
    /// row).
    pub standing: [Standing; 4],
}

impl ComparisonRow {
    /// The total of one quadrant.
    pub fn total(&self, quadrant: Quadrant) -> f64 {
        match quadrant {
            Quadrant::Strengths => self.s,
            Quadrant::Weaknesses => self.w,
            Quadrant::Opportunities => self.o,
            Quadrant::Threats => self.t,
        }
    }

    /// Per quadrant S, W, O, T: whether this competitor is stronger than us (for highlighting);
    /// all false on our own row.
    pub fn stronger_than_us(&self) -> [bool; 4] {
        self.standing.map(|s| s == Standing::Stronger)
    }
}

/// The comparison table of the document: our row first, then every competitor in display
/// order, with the quadrant totals and where each competitor is stronger than us.
pub fn comparison(workbench: &Workbench) -> Vec<ComparisonRow> {
    let ours = board_totals(&workbench.us);
    workbench
        .boards()
        .enumerate()
        .map(|(k, board)| {
            let totals = board_totals(board);
            let is_us = k == 0;
            let standing = Quadrant::ALL.map(|q| {
                let (mine, theirs) = (ours.get(q), totals.get(q));
                if is_us {
                    Standing::Ours
                } else if mine.items == 0 || theirs.items == 0 {
                    Standing::NotCompared
                } else {
                    Standing::of(q, mine.total, theirs.total)
                }
            });
            let total = |q: Quadrant| totals.get(q).total;
            ComparisonRow {
                board: board.id,
                name: board.name.clone(),
                is_us,
                s: total(Quadrant::Strengths),
                w: total(Quadrant::Weaknesses),
                o: total(Quadrant::Opportunities),
                t: total(Quadrant::Threats),
                items: Quadrant::ALL.map(|q| totals.get(q).items),
                standing,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Figures

/// The figures for automation (`data-metric` / `data-value` in the UI), in this order:
/// `swot_total_S`, `swot_total_W`, `swot_total_O`, `swot_total_T` (our board's totals, 0 for an
/// empty quadrant), `swot_position_x`, `swot_position_y` (our position on `basis`; `None`
/// without one, see [`position`]), then for each competitor in display order
/// `swot_total_S:<name>` … `swot_total_T:<name>`.
pub fn figures(workbench: &Workbench, basis: PositionBasis) -> Vec<Figure> {
    let figure = |name: String, value: Option<f64>| Figure { name, value };
    let ours = board_totals(&workbench.us);
    let mut figures: Vec<Figure> = Quadrant::ALL
        .iter()
        .map(|q| {
            figure(
                format!("swot_total_{}", q.letter()),
                Some(ours.get(*q).total),
            )
        })
        .collect();
    let position = position_of(&ours, basis);
    figures.push(figure("swot_position_x".into(), position.map(|p| p.x)));
    figures.push(figure("swot_position_y".into(), position.map(|p| p.y)));
    for board in &workbench.competitors {
        let totals = board_totals(board);
        for q in Quadrant::ALL {
            figures.push(figure(
                format!("swot_total_{}:{}", q.letter(), board.name),
                Some(totals.get(q).total),
            ));
        }
    }
    figures
}

// ---------------------------------------------------------------------------------------------
// CSV import

/// A column of a SWOT CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SwotColumn {
    /// The quadrant (required), see [`Quadrant::parse`].
    Quadrant,
    /// The item's text (required).
    Item,
    /// The score, 1 to 10 (required).
    Score,
    /// The item's weight (optional).
    Weight,
    /// Who gave the score (optional).
    Respondent,
    /// Whose board the item is on (optional; empty or one of [`US_ALIASES`] is ours).
    Competitor,
}

impl SwotColumn {
    /// All six, required ones first.
    pub const ALL: [SwotColumn; 6] = [
        SwotColumn::Quadrant,
        SwotColumn::Item,
        SwotColumn::Score,
        SwotColumn::Weight,
        SwotColumn::Respondent,
        SwotColumn::Competitor,
    ];

    /// The header names that mean this column (lowercase; compared after trimming, lowercasing,
    /// full-width to ASCII, and dropping a trailing bracketed note such as `评分（1-10分）`).
    /// The first one is the English name the export writes.
    pub fn aliases(self) -> &'static [&'static str] {
        super::vocabulary::swot_column_aliases(self)
    }

    /// The column a header cell names, if any.
    ///
    /// # Examples
    /// ```
    /// use valuelens::engine::swot::SwotColumn;
    /// assert_eq!(SwotColumn::of_header(" 评分（1-10分） "), Some(SwotColumn::Score));
    /// assert_eq!(SwotColumn::of_header("Competitor"), Some(SwotColumn::Competitor));
    /// assert_eq!(SwotColumn::of_header("备注"), None);
    /// ```
    pub fn of_header(header: &str) -> Option<SwotColumn> {
        let name: String = header.trim().chars().map(half_width).collect();
        let mut name = name.trim().trim_start_matches('\u{feff}').to_lowercase();
        if name.ends_with(')') {
            if let Some(open) = name.rfind('(') {
                if open > 0 {
                    name.truncate(open);
                }
            }
        }
        let name = text_key(&name.replace('_', " "));
        SwotColumn::ALL
            .into_iter()
            .find(|c| c.aliases().contains(&name.as_str()))
    }
}

/// Which column of the file holds what (0-based indices).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SwotColumns {
    /// The quadrant.
    pub quadrant: usize,
    /// The item's text.
    pub item: usize,
    /// The score.
    pub score: usize,
    /// The weight, when the file has the column.
    pub weight: Option<usize>,
    /// The respondent, when the file has the column.
    pub respondent: Option<usize>,
    /// The competitor, when the file has the column.
    pub competitor: Option<usize>,
}

/// The outcome of [`import_swot_csv`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SwotImport {
    /// The boards read from the file (the UI replaces its workbench with it).
    pub workbench: Workbench,
    /// The encoding and how it was decided.
    pub encoding: EncodingGuess,
    /// The delimiter.
    pub delimiter: Delimiter,
    /// The header row's cells.
    pub headers: Vec<String>,
    /// Which column holds what.
    pub columns: SwotColumns,
    /// Data rows read (after the header; blank lines not counted).
    pub rows_read: u64,
    /// Rows that gave a score.
    pub rows_accepted: u64,
    /// Rows rejected.
    pub rows_rejected: u64,
    /// The first [`MAX_ERRORS_SHOWN`] rejected rows' errors, in file order.
    pub errors: Vec<RowError>,
    /// Rejected rows with their cells, for the download of rejected rows (at most
    /// [`MAX_REJECTED_KEPT`]; `export::rejected_rows_csv` writes them).
    pub rejected: Vec<RejectedRow>,
}

/// Imports SWOT items from a CSV file: columns quadrant, item, score, and optionally weight,
/// respondent and competitor, named in English or Chinese ([`SwotColumn::aliases`]).
///
/// **Reading.** The encoding is detected as for the order import (`hint` is the UI language's
/// prior); a GBK or Big5 guess is checked against the SWOT vocabulary of the first lines (the
/// one that reads more column and quadrant names wins, marked unsure). An Excel `sep=;` first
/// line sets the delimiter; otherwise it is sniffed (`,` when the sniffer finds only runs of
/// spaces, as item texts have spaces). The first non-blank row must be a header naming at
/// least the quadrant, item and score columns; when two columns name the same thing the first
/// counts. Extra columns are ignored; blank lines are skipped; line numbers are the file's.
///
/// **Rows.** Checked in this order, the first problem rejecting the row ([`RowError`]):
/// a cell with bytes invalid in the encoding ([`RowProblem::BadEncoding`]); the row too short
/// for a required column ([`RowProblem::TooFewColumns`]; optional columns may be missing);
/// quadrant empty ([`RowProblem::Missing`]) or unknown ([`RowProblem::UnknownQuadrant`]);
/// item empty ([`RowProblem::Missing`]); score empty, not a number ([`RowProblem::NotANumber`])
/// or outside 1–10 ([`RowProblem::ScoreOutOfRange`], never clamped); weight not a number or
/// negative ([`RowProblem::WeightOutOfRange`]); a respondent who already scored the same item
/// ([`RowProblem::DuplicateScore`]). Scores may carry a decimal comma (`7,5`) and a trailing
/// `分` (`8分`); weights a trailing `%` (`30%` = 0.3). A leading `'` before `=`, `+`, `-`, `@`
/// (how [`workbench_csv`] neutralises formulas) is dropped from texts.
///
/// **Boards and items.** A row whose competitor cell is empty or means us ([`US_ALIASES`]), or
/// a file without a competitor column, is on our board (named [`DEFAULT_US_NAME`]); any other
/// name is a competitor, in the order of first appearance. A file naming no competitor gets the
/// four empty default competitors A–D, like a new workbench. Rows with the same board, quadrant
/// and item text (trimmed, runs of white space as one) are one item with one score per row —
/// several respondents give mean and spread; the first row's text is kept. Without a
/// respondent cell every row is one more score; with one, a respondent scores an item once. An
/// item's weight is the one its rows give (the mean when they differ; rows without a weight
/// do not count; `None` when no row gives one). Items keep the order of their first row.
///
/// # Errors
/// [`Error::EmptyFile`] (no bytes or only white space), [`Error::Binary`] (not text),
/// [`Error::SwotColumnsMissing`] when the header lacks a required column,
/// [`Error::HeaderOnly`], [`Error::AllRowsRejected`].
///
/// # Examples
/// ```
/// use valuelens::engine::ingest::encoding::LanguageHint;
/// use valuelens::engine::swot::{import_swot_csv, Quadrant};
/// let csv = "象限,项目,评分,评分人\n优势,品牌,8,张三\n优势,品牌,9,李四\n威胁,价格战,11,张三\n";
/// let import = import_swot_csv(csv.as_bytes(), LanguageHint::SimplifiedChinese)?;
/// let item = &import.workbench.us.items[0];
/// assert_eq!((item.quadrant, item.scores.clone()), (Quadrant::Strengths, vec![8.0, 9.0]));
/// assert_eq!(import.errors[0].to_string(), "line 4, column '评分': expected a score from 1 to 10, found '11'");
/// # Ok::<(), valuelens::engine::Error>(())
/// ```
pub fn import_swot_csv(bytes: &[u8], hint: LanguageHint) -> Result<SwotImport> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::EmptyFile);
    }
    let encoding = arbitrate_encoding(bytes, detect_encoding(bytes, true, hint)?);
    let text = decode_all(bytes, &encoding)?;
    let body = text.trim_start_matches('\u{feff}');
    if body.trim().is_empty() {
        return Err(Error::EmptyFile);
    }
    let delimiter = match sep_line_delimiter(body) {
        Some(delimiter) => delimiter,
        None => match sniff_delimiter(head_of(body, 64 * 1024)) {
            Delimiter::Whitespace => Delimiter::Comma,
            delimiter => delimiter,
        },
    };
    let records = read_records(&text, delimiter);
    let mut records = records.into_iter();
    let Some(header) = records.next() else {
        return Err(Error::EmptyFile);
    };
    let headers: Vec<String> = header.cells.iter().map(|c| c.trim().to_string()).collect();
    let columns = find_columns(&headers)?;

    let mut draft = Draft {
        respondent_column: columns.respondent.and_then(|i| headers.get(i).cloned()),
        ..Draft::default()
    };
    let mut outcome = Counts::default();
    for record in records {
        outcome.rows_read += 1;
        let row = parse_row(&record, &columns, &headers).and_then(|row| draft.check(row, &record));
        match row {
            Ok(row) => {
                outcome.rows_accepted += 1;
                draft.add(row);
            }
            Err(error) => {
                outcome.rows_rejected += 1;
                if outcome.errors.len() < MAX_ERRORS_SHOWN {
                    outcome.errors.push(error.clone());
                }
                if outcome.rejected.len() < MAX_REJECTED_KEPT {
                    outcome.rejected.push(RejectedRow {
                        error,
                        cells: record.cells,
                    });
                }
            }
        }
    }
    if outcome.rows_read == 0 {
        return Err(Error::HeaderOnly);
    }
    if outcome.rows_accepted == 0 {
        return Err(Error::AllRowsRejected {
            rows: outcome.rows_read,
            first: outcome
                .errors
                .first()
                .map(ToString::to_string)
                .unwrap_or_default(),
        });
    }
    Ok(SwotImport {
        workbench: draft.finish()?,
        encoding,
        delimiter,
        headers,
        columns,
        rows_read: outcome.rows_read,
        rows_accepted: outcome.rows_accepted,
        rows_rejected: outcome.rows_rejected,
        errors: outcome.errors,
        rejected: outcome.rejected,
    })
}

#[derive(Default)]
struct Counts {
    rows_read: u64,
    rows_accepted: u64,
    rows_rejected: u64,
    errors: Vec<RowError>,
    rejected: Vec<RejectedRow>,
}

/// A non-blank record of the file (the `sep=` line dropped).
struct RawRecord {
    line: u64,
    cells: Vec<String>,
    /// A cell holds U+FFFD (bytes invalid in the encoding).
    bad_encoding: bool,
}

fn read_records(text: &str, delimiter: Delimiter) -> Vec<RawRecord> {
    let mut records = Vec::new();
    let mut first = true;
    let mut splitter = RecordSplitter::new(delimiter);
    splitter.feed(text, true, &mut |record| {
        if record.is_blank() {
            return true;
        }
        if std::mem::take(&mut first) && record.is_sep_line() {
            return true;
        }
        records.push(RawRecord {
            line: record.line,
            cells: record.to_vec(),
            bad_encoding: record.has_replacement_char(),
        });
        true
    });
    records
}

/// The start of `text`, at most `max` bytes, cut at a character boundary.
fn head_of(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Of the detector's legacy guess, GBK and Big5: the encoding under which the first lines read
/// the most SWOT words (column and quadrant names); the guess on a tie. GBK and Big5 decode
/// each other's bytes without errors, but mojibake never reads 优势 or 評分.
fn arbitrate_encoding(bytes: &[u8], guess: EncodingGuess) -> EncodingGuess {
    if !matches!(
        guess.evidence,
        EncodingEvidence::DetectorConfident | EncodingEvidence::DetectorUnsure
    ) {
        return guess;
    }
    let Some(guessed) = Encoding::for_label(guess.name.as_bytes()) else {
        return guess;
    };
    let head = &bytes[..bytes.len().min(16 * 1024)];
    let words = |encoding: &'static Encoding| {
        let (text, _) = encoding.decode_without_bom_handling(head);
        text.lines()
            .filter(|line| !line.trim().is_empty())
            .take(50)
            .flat_map(|line| line.split([',', ';', '\t', '|']))
            .map(|cell| cell.trim().trim_matches('"'))
            .filter(|cell| SwotColumn::of_header(cell).is_some() || Quadrant::parse(cell).is_some())
            .count()
    };
    let mut best = (words(guessed), guessed);
    for candidate in [GBK, BIG5] {
        if candidate != guessed {
            let count = words(candidate);
            if count > best.0 {
                best = (count, candidate);
            }
        }
    }
    if best.1 == guessed {
        guess
    } else {
        EncodingGuess {
            name: best.1.name().to_string(),
            evidence: EncodingEvidence::DetectorUnsure,
            bom_len: 0,
        }
    }
}

fn find_columns(headers: &[String]) -> Result<SwotColumns> {
    let find = |column: SwotColumn| {
        headers
            .iter()
            .position(|h| SwotColumn::of_header(h) == Some(column))
    };
    let (quadrant, item, score) = (
        find(SwotColumn::Quadrant),
        find(SwotColumn::Item),
        find(SwotColumn::Score),
    );
    match (quadrant, item, score) {
        (Some(quadrant), Some(item), Some(score)) => Ok(SwotColumns {
            quadrant,
            item,
            score,
            weight: find(SwotColumn::Weight),
            respondent: find(SwotColumn::Respondent),
            competitor: find(SwotColumn::Competitor),
        }),
        _ => {
            let missing: Vec<SwotColumn> = [
                (quadrant, SwotColumn::Quadrant),
                (item, SwotColumn::Item),
                (score, SwotColumn::Score),
            ]
            .into_iter()
            .filter(|(found, _)| found.is_none())
            .map(|(_, column)| column)
            .collect();
            Err(Error::SwotColumnsMissing { missing })
        }
    }
}

/// A row that passed the checks of its own cells.
struct ParsedRow {
    /// `None` for our board.
    competitor: Option<String>,
    quadrant: Quadrant,
    text: String,
    score: f64,
    weight: Option<f64>,
    respondent: Option<String>,
}

/// A text cell trimmed, without the `'` that neutralises a formula.
fn text_cell(cell: &str) -> &str {
    let cell = cell.trim();
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r', '\n']) => rest.trim(),
        _ => cell,
    }
}

/// A number with a decimal point, or failing that a decimal comma.
fn number_cell(cell: &str) -> Option<f64> {
    parse_number(cell, DecimalSeparator::Point)
        .or_else(|| parse_number(cell, DecimalSeparator::Comma))
}

fn parse_row(
    record: &RawRecord,
    columns: &SwotColumns,
    headers: &[String],
) -> Result<ParsedRow, RowError> {
    let fail = |index: usize, problem: RowProblem, value: &str| RowError {
        line: record.line,
        column: headers
            .get(index)
            .cloned()
            .unwrap_or_else(|| format!("column {}", index + 1)),
        value: truncate_chars(value, 80),
        problem,
    };
    let used = [
        Some(columns.quadrant),
        Some(columns.item),
        Some(columns.score),
        columns.weight,
        columns.respondent,
        columns.competitor,
    ];
    if record.bad_encoding {
        for index in used.into_iter().flatten() {
            if let Some(cell) = record.cells.get(index) {
                if cell.contains('\u{FFFD}') {
                    return Err(fail(index, RowProblem::BadEncoding, cell.trim()));
                }
            }
        }
    }
    let required = |index: usize| -> Result<&str, RowError> {
        let cell = record
            .cells
            .get(index)
            .ok_or_else(|| fail(index, RowProblem::TooFewColumns, ""))?
            .trim();
        if cell.is_empty() {
            Err(fail(index, RowProblem::Missing, ""))
        } else {
            Ok(cell)
        }
    };
    let optional = |index: Option<usize>| -> &str {
        index
            .and_then(|i| record.cells.get(i))
            .map_or("", |c| c.trim())
    };
    let short = [columns.quadrant, columns.item, columns.score]
        .into_iter()
        .find(|&i| i >= record.cells.len());
    if let Some(index) = short {
        return Err(fail(index, RowProblem::TooFewColumns, ""));
    }

    let quadrant_cell = required(columns.quadrant)?;
    let quadrant = Quadrant::parse(quadrant_cell)
        .ok_or_else(|| fail(columns.quadrant, RowProblem::UnknownQuadrant, quadrant_cell))?;
    let text = text_cell(required(columns.item)?);
    if text.is_empty() {
        return Err(fail(columns.item, RowProblem::Missing, ""));
    }
    let score_cell = required(columns.score)?;
    let score_text = score_cell
        .strip_suffix(SCORE_SUFFIX)
        .unwrap_or(score_cell)
        .trim();
    let score = number_cell(score_text)
        .ok_or_else(|| fail(columns.score, RowProblem::NotANumber, score_cell))?;
    if check_score(score).is_err() {
        return Err(fail(columns.score, RowProblem::ScoreOutOfRange, score_cell));
    }
    let weight_cell = optional(columns.weight);
    let weight = if weight_cell.is_empty() {
        None
    } else {
        let index = columns.weight.unwrap_or(0);
        let (body, scale) = match weight_cell.strip_suffix(PERCENT_SIGNS) {
            Some(body) => (body.trim(), 0.01),
            None => (weight_cell, 1.0),
        };
        let weight = number_cell(body)
            .ok_or_else(|| fail(index, RowProblem::NotANumber, weight_cell))?
            * scale;
        if check_weight(weight).is_err() {
            return Err(fail(index, RowProblem::WeightOutOfRange, weight_cell));
        }
        Some(weight)
    };
    let respondent = text_cell(optional(columns.respondent));
    let competitor = text_cell(optional(columns.competitor));
    Ok(ParsedRow {
        competitor: (!is_us_alias(competitor)).then(|| competitor.to_string()),
        quadrant,
        text: text.to_string(),
        score,
        weight,
        respondent: (!respondent.is_empty()).then(|| respondent.to_string()),
    })
}

/// Boards being built by the import: index 0 is ours.
struct Draft {
    boards: Vec<DraftBoard>,
    by_name: HashMap<String, usize>,
    /// Column of the respondent, for the duplicate error.
    respondent_column: Option<String>,
}

impl Default for Draft {
    fn default() -> Self {
        Draft {
            boards: vec![DraftBoard::default()],
            by_name: HashMap::new(),
            respondent_column: None,
        }
    }
}

#[derive(Default)]
struct DraftBoard {
    name: String,
    items: Vec<DraftItem>,
    by_key: HashMap<(Quadrant, String), usize>,
}

struct DraftItem {
    quadrant: Quadrant,
    text: String,
    scores: Vec<f64>,
    weights: Vec<f64>,
    respondents: HashSet<String>,
}

impl Draft {
    fn board_index(&self, competitor: &Option<String>) -> Option<usize> {
        match competitor {
            None => Some(0),
            Some(name) => self.by_name.get(name).copied(),
        }
    }

    fn item(&self, row: &ParsedRow) -> Option<&DraftItem> {
        let board = &self.boards[self.board_index(&row.competitor)?];
        let index = board.by_key.get(&(row.quadrant, text_key(&row.text)))?;
        board.items.get(*index)
    }

    /// Rejects a respondent's second score of the same item.
    fn check(&self, row: ParsedRow, record: &RawRecord) -> Result<ParsedRow, RowError> {
        if let Some(respondent) = &row.respondent {
            if self
                .item(&row)
                .is_some_and(|item| item.respondents.contains(respondent))
            {
                return Err(RowError {
                    line: record.line,
                    column: self.respondent_column.clone().unwrap_or_default(),
                    value: truncate_chars(respondent, 80),
                    problem: RowProblem::DuplicateScore,
                });
            }
        }
        Ok(row)
    }

    fn add(&mut self, row: ParsedRow) {
        let board = match self.board_index(&row.competitor) {
            Some(index) => index,
            None => {
                let name = row.competitor.clone().unwrap_or_default();
                self.boards.push(DraftBoard {
                    name: name.clone(),
                    ..DraftBoard::default()
                });
                self.by_name.insert(name, self.boards.len() - 1);
                self.boards.len() - 1
            }
        };
        let board = &mut self.boards[board];
        let key = (row.quadrant, text_key(&row.text));
        let index = match board.by_key.get(&key) {
            Some(&index) => index,
            None => {
                board.items.push(DraftItem {
                    quadrant: row.quadrant,
                    text: row.text,
                    scores: Vec::new(),
                    weights: Vec::new(),
                    respondents: HashSet::new(),
                });
                board.by_key.insert(key, board.items.len() - 1);
                board.items.len() - 1
            }
        };
        let item = &mut board.items[index];
        item.scores.push(row.score);
        item.weights.extend(row.weight);
        if let Some(respondent) = row.respondent {
            item.respondents.insert(respondent);
        }
    }

    fn finish(self) -> Result<Workbench> {
        let mut workbench = Workbench::new(DEFAULT_US_NAME)?;
        let named_competitors = self.boards.len() > 1;
        for (k, draft) in self.boards.into_iter().enumerate() {
            let board = if k == 0 {
                workbench.us.id
            } else {
                workbench.add_competitor(&draft.name)?
            };
            for item in draft.items {
                let id = workbench.allocate()?;
                let weight = match item.weights.split_first() {
                    None => None,
                    Some((first, rest)) if rest.iter().all(|w| w == first) => Some(*first),
                    Some(_) => mean(&item.weights),
                };
                workbench.board_mut(board)?.items.push(SwotItem {
                    id,
                    quadrant: item.quadrant,
                    text: item.text,
                    scores: item.scores,
                    weight,
                });
            }
        }
        if !named_competitors {
            for name in DEFAULT_COMPETITORS {
                workbench.add_competitor(name)?;
            }
        }
        workbench.check_limits()?;
        Ok(workbench)
    }
}

// ---------------------------------------------------------------------------------------------
// CSV export

/// Column headers and quadrant names of [`workbench_csv`], in the UI's language.
///
/// For the file to import back, every label must be one [`import_swot_csv`] reads
/// ([`SwotColumn::aliases`], [`Quadrant::parse`]); [`SwotCsvLabels::default`] (English) and
/// the Chinese labels of `i18n::swot_csv_labels` are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SwotCsvLabels<'a> {
    /// Competitor column.
    pub competitor: &'a str,
    /// Quadrant column.
    pub quadrant: &'a str,
    /// Item column.
    pub item: &'a str,
    /// Score column.
    pub score: &'a str,
    /// Weight column.
    pub weight: &'a str,
    /// Respondent column.
    pub respondent: &'a str,
    /// Names of the quadrants S, W, O, T in the quadrant column.
    pub quadrants: [&'a str; 4],
}

impl Default for SwotCsvLabels<'static> {
    fn default() -> Self {
        SwotCsvLabels {
            competitor: "competitor",
            quadrant: "quadrant",
            item: "item",
            score: "score",
            weight: "weight",
            respondent: "respondent",
            quadrants: Quadrant::ALL.map(Quadrant::name_en),
        }
    }
}

/// A number exactly as stored (shortest text that reads back to the same value).
fn exact_cell(value: f64) -> Cow<'static, str> {
    format!("{}", value + 0.0).into()
}

/// Every board as CSV (via [`csv_document`]: BOM, CRLF, quoting, formulas neutralised), in the
/// column order competitor, quadrant, item, score, weight, respondent.
///
/// One row per score: our board first, then each competitor in display order, items in board
/// order. The competitor cell is empty on our rows (so our board's name is not in the file;
/// the import names it [`DEFAULT_US_NAME`]). An item scored by several respondents has one row
/// each, with respondents numbered `1` … `n` (names are not kept); a single score has an empty
/// respondent. The weight is repeated on each of an item's rows, empty without one. Numbers are
/// written exactly (shortest round-trip form). Competitor boards without items have no rows,
/// so [`import_swot_csv`] gives back the same boards, items, scores and weights (with new ids)
/// except empty competitors — which it restores as A–D only when no competitor has items.
pub fn workbench_csv(workbench: &Workbench, labels: &SwotCsvLabels<'_>) -> String {
    let header = [
        labels.competitor,
        labels.quadrant,
        labels.item,
        labels.score,
        labels.weight,
        labels.respondent,
    ];
    let rows = workbench.boards().enumerate().flat_map(|(k, board)| {
        let competitor: &str = if k == 0 { "" } else { &board.name };
        board.items.iter().flat_map(move |item| {
            let several = item.scores.len() > 1;
            item.scores.iter().enumerate().map(move |(n, &score)| {
                vec![
                    Cow::Borrowed(competitor),
                    Cow::Borrowed(labels.quadrants[item.quadrant.index()]),
                    Cow::Borrowed(item.text.as_str()),
                    exact_cell(score),
                    item.weight.map_or(Cow::Borrowed(""), exact_cell),
                    if several {
                        Cow::Owned((n + 1).to_string())
                    } else {
                        Cow::Borrowed("")
                    },
                ]
            })
        })
    });
    csv_document(&header, rows)
}

// ---------------------------------------------------------------------------------------------
// Hints from customer data

/// What a [`SwotHint`] is derived from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HintKind {
    /// Threat: a few customers make much of the sales.
    Concentration,
    /// Strength: sales are spread over many customers.
    BroadBase,
    /// Strength: a high repeat-purchase rate.
    LoyalCustomers,
    /// Weakness: a low repeat-purchase rate.
    FewRepeatCustomers,
    /// Strength: a high net margin.
    HighMargin,
    /// Weakness: a low (or negative) net margin.
    LowMargin,
    /// Weakness: many order lines are returns.
    Returns,
}

impl HintKind {
    /// A stable machine name, e.g. `concentration` (for remembering which hints were added).
    pub fn as_str(self) -> &'static str {
        match self {
            HintKind::Concentration => "concentration",
            HintKind::BroadBase => "broad_base",
            HintKind::LoyalCustomers => "loyal_customers",
            HintKind::FewRepeatCustomers => "few_repeat_customers",
            HintKind::HighMargin => "high_margin",
            HintKind::LowMargin => "low_margin",
            HintKind::Returns => "returns",
        }
    }
}

/// A suggested item derived from the loaded customer data: its kind and figure, which
/// `i18n::swot_hint_text` words (e.g. `The top 10 % of customers make 51 % of sales (customer
/// concentration)`). The UI offers it; it is added to our board only when the user clicks (e.g.
/// `add_item(us, hint.quadrant, &i18n::swot_hint_text(&hint, lang), hint.suggested_score)`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SwotHint {
    /// What it is derived from.
    pub kind: HintKind,
    /// The quadrant it belongs to.
    pub quadrant: Quadrant,
    /// A starting score for the user to adjust (fixed per kind, see [`hints_from_customers`]).
    pub suggested_score: f64,
    /// The figure it is derived from, as a fraction (0.51 = 51 %).
    pub value: f64,
}

/// The thresholds of [`hints_from_customers`]; shares and rates are fractions (0.5 = 50 %).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HintConfig {
    /// No hints below this many customers: too few to say anything (default 10).
    pub min_customers: usize,
    /// Threat when the top 10 % of customers make at least this share of sales (default 0.5).
    pub concentration_share: f64,
    /// Strength when they make at most this share (default 0.3; below `concentration_share`).
    pub broad_base_share: f64,
    /// Strength when the repeat-purchase rate is at least this (default 0.6).
    pub repeat_strong: f64,
    /// Weakness when the repeat-purchase rate is below this (default 0.3; at most
    /// `repeat_strong`).
    pub repeat_weak: f64,
    /// Strength when the net margin is at least this (default 0.3).
    pub margin_high: f64,
    /// Weakness when the net margin is below this (default 0.1; at most `margin_high`).
    pub margin_low: f64,
    /// Weakness when at least this share of accepted order lines are returns (default 0.1).
    pub returns_share: f64,
}

impl Default for HintConfig {
    fn default() -> Self {
        HintConfig {
            min_customers: 10,
            concentration_share: 0.5,
            broad_base_share: 0.3,
            repeat_strong: 0.6,
            repeat_weak: 0.3,
            margin_high: 0.3,
            margin_low: 0.1,
            returns_share: 0.1,
        }
    }
}

impl HintConfig {
    /// Checks the thresholds: shares and rates from 0 to 1, margins finite, each low threshold
    /// at most its high one (`broad_base_share` below `concentration_share`).
    ///
    /// # Errors
    /// [`Error::Parameter`] naming the first field out of range.
    pub fn validate(&self) -> Result<()> {
        let fraction = |v: f64| v.is_finite() && (0.0..=1.0).contains(&v);
        let checks = [
            (
                "concentration_share",
                self.concentration_share,
                fraction(self.concentration_share),
            ),
            (
                "broad_base_share",
                self.broad_base_share,
                fraction(self.broad_base_share) && self.broad_base_share < self.concentration_share,
            ),
            (
                "repeat_strong",
                self.repeat_strong,
                fraction(self.repeat_strong),
            ),
            (
                "repeat_weak",
                self.repeat_weak,
                fraction(self.repeat_weak) && self.repeat_weak <= self.repeat_strong,
            ),
            (
                "margin_high",
                self.margin_high,
                self.margin_high.is_finite(),
            ),
            (
                "margin_low",
                self.margin_low,
                self.margin_low.is_finite() && self.margin_low <= self.margin_high,
            ),
            (
                "returns_share",
                self.returns_share,
                fraction(self.returns_share),
            ),
        ];
        match checks.into_iter().find(|(_, _, ok)| !ok) {
            Some((name, value, _)) => Err(parameter(name, ParameterProblem::OutOfRange { value })),
            None => Ok(()),
        }
    }
}

/// Suggested SWOT items from the loaded customer data, in this order (each only when its
/// figure exists and passes its threshold in `config`):
///
/// | kind | quadrant | when | score |
/// |---|---|---|---|
/// | [`HintKind::Concentration`] | threat | top 10 % of customers make ≥ 50 % of sales | 7 |
/// | [`HintKind::BroadBase`] | strength | they make ≤ 30 % | 6 |
/// | [`HintKind::LoyalCustomers`] | strength | repeat-purchase rate ≥ 60 % | 7 |
/// | [`HintKind::FewRepeatCustomers`] | weakness | repeat-purchase rate < 30 % | 7 |
/// | [`HintKind::HighMargin`] | strength | net margin ≥ 30 % | 6 |
/// | [`HintKind::LowMargin`] | weakness | net margin < 10 % | 6 |
/// | [`HintKind::Returns`] | weakness | ≥ 10 % of accepted order lines are returns | 5 |
///
/// `top10_sales_share` is the sales share of the first customer decile by sales
/// (`deciles::Decile::sales_share` of decile 1); the repeat rate is
/// [`Summary::repeat_rate`], the margin [`Summary::margin`] (no margin hint without a profit
/// column). Nothing is suggested below `config.min_customers` customers. The suggested score is
/// a fixed starting point per kind for the user to adjust.
///
/// # Errors
/// [`Error::Parameter`] from [`HintConfig::validate`].
pub fn hints_from_customers(
    summary: &Summary,
    top10_sales_share: Option<f64>,
    config: &HintConfig,
) -> Result<Vec<SwotHint>> {
    config.validate()?;
    let mut hints = Vec::new();
    if summary.customers < config.min_customers || summary.customers == 0 {
        return Ok(hints);
    }
    let mut hint = |kind, quadrant, value: f64, score| {
        hints.push(SwotHint {
            kind,
            quadrant,
            suggested_score: score,
            value,
        })
    };
    if let Some(share) = top10_sales_share.filter(|s| s.is_finite()) {
        if share >= config.concentration_share {
            hint(HintKind::Concentration, Quadrant::Threats, share, 7.0);
        } else if share <= config.broad_base_share {
            hint(HintKind::BroadBase, Quadrant::Strengths, share, 6.0);
        }
    }
    let repeat = summary.repeat_rate();
    if repeat >= config.repeat_strong {
        hint(HintKind::LoyalCustomers, Quadrant::Strengths, repeat, 7.0);
    } else if repeat < config.repeat_weak {
        hint(
            HintKind::FewRepeatCustomers,
            Quadrant::Weaknesses,
            repeat,
            7.0,
        );
    }
    if let Some(margin) = summary.margin().filter(|m| m.is_finite()) {
        if margin >= config.margin_high {
            hint(HintKind::HighMargin, Quadrant::Strengths, margin, 6.0);
        } else if margin < config.margin_low {
            hint(HintKind::LowMargin, Quadrant::Weaknesses, margin, 6.0);
        }
    }
    let accepted = summary.rows_read.saturating_sub(summary.rows_rejected);
    if accepted > 0 {
        let share = summary.return_rows as f64 / accepted as f64;
        if share >= config.returns_share {
            hint(HintKind::Returns, Quadrant::Weaknesses, share, 5.0);
        }
    }
    Ok(hints)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * (1.0 + a.abs().max(b.abs()))
    }

    #[test]
    fn quadrant_names_parse() {
        use Quadrant::*;
        let cases: &[(&str, Option<Quadrant>)] = &[
            ("S", Some(Strengths)),
            ("w", Some(Weaknesses)),
            (" O ", Some(Opportunities)),
            ("t", Some(Threats)),
            ("Strength", Some(Strengths)),
            ("STRENGTHS", Some(Strengths)),
            ("weakness", Some(Weaknesses)),
            ("Weaknesses", Some(Weaknesses)),
            ("opportunity", Some(Opportunities)),
            ("Opportunities", Some(Opportunities)),
            ("threat", Some(Threats)),
            ("Threats", Some(Threats)),
            ("优势", Some(Strengths)),
            ("劣势", Some(Weaknesses)),
            ("机会", Some(Opportunities)),
            ("威胁", Some(Threats)),
            ("優勢", Some(Strengths)),
            ("劣勢", Some(Weaknesses)),
            ("機會", Some(Opportunities)),
            ("威脅", Some(Threats)),
            ("Ｓ", Some(Strengths)),
            ("优势(S)", Some(Strengths)),
            ("优势（S）", Some(Strengths)),
            ("S-优势", Some(Strengths)),
            ("S：优势", Some(Strengths)),
            ("【T】威胁", Some(Threats)),
            ("Threats / 威脅", Some(Threats)),
            ("\u{3000}机会\u{3000}", Some(Opportunities)),
            ("S/W", None),
            ("优势(W)", None),
            ("strong", None),
            ("X", None),
            ("", None),
            ("()", None),
            ("优点", None),
        ];
        for (text, expected) in cases {
            assert_eq!(Quadrant::parse(text), *expected, "{text:?}");
        }
        for q in Quadrant::ALL {
            let zh_hant = ["優勢", "劣勢", "機會", "威脅"][q.index()];
            let zh = crate::engine::vocabulary::QUADRANT_NAMES_ZH[q.index()];
            for name in [q.letter(), zh, zh_hant, q.name_en()] {
                assert_eq!(Quadrant::parse(name), Some(q), "{name}");
            }
        }
    }

    #[test]
    fn header_aliases() {
        let cases: &[(&str, Option<SwotColumn>)] = &[
            ("quadrant", Some(SwotColumn::Quadrant)),
            ("Quadrant", Some(SwotColumn::Quadrant)),
            ("象限", Some(SwotColumn::Quadrant)),
            ("類別", Some(SwotColumn::Quadrant)),
            ("项目", Some(SwotColumn::Item)),
            ("條目", Some(SwotColumn::Item)),
            ("內容", Some(SwotColumn::Item)),
            ("Score (1-10)", Some(SwotColumn::Score)),
            ("评分（1-10分）", Some(SwotColumn::Score)),
            ("分數", Some(SwotColumn::Score)),
            ("權重", Some(SwotColumn::Weight)),
            ("评分人", Some(SwotColumn::Respondent)),
            ("競爭對手", Some(SwotColumn::Competitor)),
            ("\u{feff}象限", Some(SwotColumn::Quadrant)),
            ("(score)", None),
            ("备注", None),
            ("", None),
        ];
        for (header, expected) in cases {
            assert_eq!(SwotColumn::of_header(header), *expected, "{header:?}");
        }
        // No alias is claimed by two columns.
        let mut seen = HashSet::new();
        for column in SwotColumn::ALL {
            for alias in column.aliases() {
                assert!(seen.insert(*alias), "{alias}");
                assert_eq!(SwotColumn::of_header(alias), Some(column), "{alias}");
            }
        }
    }

    #[test]
    fn spread_of_scores() {
        let item = |scores: &[f64]| SwotItem {
            id: 1,
            quadrant: Quadrant::Strengths,
            text: "x".into(),
            scores: scores.to_vec(),
            weight: None,
        };
        /// Scores, then mean, min, max, standard deviation.
        type Case<'a> = (&'a [f64], Option<(f64, f64, f64, f64)>);
        let cases: &[Case] = &[
            (&[], None),
            (&[7.0], Some((7.0, 7.0, 7.0, 0.0))),
            (&[6.0, 9.0], Some((7.5, 6.0, 9.0, 1.5))),
            (
                &[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0],
                Some((5.0, 2.0, 9.0, 2.0)),
            ),
        ];
        for (scores, expected) in cases {
            let got = item(scores).spread().map(|s| {
                (
                    item(scores).score().unwrap_or(f64::NAN),
                    s.min,
                    s.max,
                    s.std_dev,
                )
            });
            assert_eq!(got, *expected, "{scores:?}");
        }
    }

    #[test]
    fn tows_quadrant_of_signs_and_zeros() {
        let cases = [
            (1.0, 1.0, TowsQuadrant::SO),
            (1.0, -1.0, TowsQuadrant::ST),
            (-1.0, 1.0, TowsQuadrant::WO),
            (-1.0, -1.0, TowsQuadrant::WT),
            (0.0, 0.0, TowsQuadrant::SO),
            (0.0, -1.0, TowsQuadrant::ST),
            (-1.0, 0.0, TowsQuadrant::WO),
            (0.0, -0.0, TowsQuadrant::SO),
        ];
        for (x, y, expected) in cases {
            assert_eq!(TowsQuadrant::of(x, y), expected, "({x}, {y})");
        }
        assert_eq!(snap(1.1 + 2.2 - 3.3), 0.0);
        assert_ne!(1.1 + 2.2 - 3.3, 0.0);
    }

    #[test]
    fn standing_reads_weaknesses_and_threats_inverted() {
        use Quadrant::*;
        let cases = [
            (Strengths, 15.0, 17.0, Standing::Stronger),
            (Strengths, 15.0, 9.0, Standing::Weaker),
            (Opportunities, 7.0, 8.0, Standing::Stronger),
            (Weaknesses, 6.0, 5.0, Standing::Stronger),
            (Weaknesses, 6.0, 8.0, Standing::Weaker),
            (Threats, 5.0, 4.0, Standing::Stronger),
            (Threats, 5.0, 7.0, Standing::Weaker),
            (Strengths, 3.3, 1.1 + 2.2, Standing::Equal),
        ];
        for (q, ours, theirs, expected) in cases {
            assert_eq!(
                Standing::of(q, ours, theirs),
                expected,
                "{q:?} {ours} {theirs}"
            );
        }
    }

    #[test]
    fn weighting_cases() {
        let mut workbench = Workbench::default();
        let us = workbench.us.id;
        let a = workbench
            .add_item(us, Quadrant::Strengths, "a", 8.0)
            .unwrap();
        let b = workbench
            .add_item(us, Quadrant::Strengths, "b", 6.0)
            .unwrap();
        let totals = |w: &Workbench| board_totals(&w.us).get(Quadrant::Strengths).clone();
        let equal = totals(&workbench);
        assert_eq!(equal.weighting, Weighting::Equal);
        assert_eq!(equal.weighted_total, Some(7.0));
        workbench.set_weight(a, Some(3.0)).unwrap();
        assert_eq!(
            totals(&workbench).weighting,
            Weighting::Partial { missing: 1 }
        );
        assert_eq!(totals(&workbench).weighted_total, None);
        workbench.set_weight(b, Some(1.0)).unwrap();
        let weighted = totals(&workbench);
        assert_eq!(weighted.weighting, Weighting::Weighted);
        assert!(close(
            weighted.weighted_total.unwrap(),
            0.75 * 8.0 + 0.25 * 6.0
        ));
        assert_eq!(
            weighted.shares.iter().map(|s| s.share).collect::<Vec<_>>(),
            [0.75, 0.25]
        );
        workbench.set_weight(a, Some(0.0)).unwrap();
        workbench.set_weight(b, Some(0.0)).unwrap();
        assert_eq!(totals(&workbench).weighting, Weighting::ZeroSum);
        assert_eq!(totals(&workbench).weighted_total, None);
        let empty = board_totals(&workbench.us).get(Quadrant::Threats).clone();
        assert_eq!(
            (empty.items, empty.total, empty.mean, empty.weighted_total),
            (0, 0.0, None, Some(0.0))
        );
    }

    #[test]
    fn text_cells_lose_the_neutralising_quote_only() {
        let cases = [
            ("'=1+1", "=1+1"),
            ("'-x", "-x"),
            ("'@SUM(A1)", "@SUM(A1)"),
            ("'quoted'", "'quoted'"),
            ("  plain ", "plain"),
        ];
        for (cell, expected) in cases {
            assert_eq!(text_cell(cell), expected, "{cell:?}");
        }
    }
}
