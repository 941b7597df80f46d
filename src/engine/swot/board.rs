//! Items, boards and the workbench (打分表): the model, every edit and the checks of a loaded
//! workbench.

use super::*;

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

pub(super) fn mean(values: &[f64]) -> Option<f64> {
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
pub(super) struct WorkbenchData {
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
                workbench.next_id = largest.checked_add(1).ok_or(Error::Format {
                    what: SAVED_BOARDS,
                    reason: FormatProblem::IdTooLarge,
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
pub(super) fn text_key(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(super) fn is_us_alias(name: &str) -> bool {
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

    pub(super) fn allocate(&mut self) -> Result<u64> {
        let id = self.next_id;
        self.next_id = id
            .checked_add(1)
            .ok_or_else(|| parameter("id", ParameterProblem::NoIdsLeft))?;
        Ok(id)
    }

    pub(super) fn board_mut(&mut self, id: u64) -> Result<&mut Board> {
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
        WorkspaceProblem::at_most(
            WorkspacePart::Respondents,
            None,
            scores.len(),
            MAX_RESPONDENTS,
        )
        .map_err(Error::Workspace)?;
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
        WorkspaceProblem::at_most(WorkspacePart::Competitors, None, count, MAX_COMPETITORS)
            .map_err(Error::Workspace)?;
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
        WorkspaceProblem::at_most(
            WorkspacePart::QuadrantItems,
            Some(k as u64 + 1),
            count,
            MAX_ITEMS_PER_QUADRANT,
        )
        .map_err(Error::Workspace)
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
        let fail = |reason: FormatProblem| {
            Err(Error::Format {
                what: SAVED_BOARDS,
                reason,
            })
        };
        if self.version == 0 || self.version > FORMAT_VERSION {
            return fail(FormatProblem::UnsupportedVersion {
                version: self.version,
                supported: FORMAT_VERSION,
            });
        }
        let mut ids = HashSet::new();
        for id in self.ids() {
            if !ids.insert(id) {
                return fail(FormatProblem::IdTwice { id });
            }
            if id >= self.next_id {
                return fail(FormatProblem::IdNotBelowNext {
                    id,
                    next: self.next_id,
                });
            }
        }
        let mut names = HashSet::new();
        for (k, board) in self.boards().enumerate() {
            if board.name.trim().is_empty() || board.name.trim() != board.name {
                return fail(FormatProblem::BoardName { board: board.id });
            }
            if k > 0 && is_us_alias(&board.name) {
                return fail(FormatProblem::CompetitorMeansUs {
                    name: board.name.clone(),
                });
            }
            if !names.insert(board.name.as_str()) {
                return fail(FormatProblem::BoardNameTwice {
                    name: board.name.clone(),
                });
            }
            let mut texts = HashSet::new();
            for item in &board.items {
                let at = |problem| FormatProblem::Item {
                    item: item.id,
                    board: board.name.clone(),
                    problem,
                };
                if item.text.trim().is_empty() || item.text.trim() != item.text {
                    return fail(at(ItemProblem::Text));
                }
                if !texts.insert((item.quadrant, text_key(&item.text))) {
                    return fail(at(ItemProblem::RepeatedText));
                }
                if item.scores.is_empty() || item.scores.iter().any(|&s| check_score(s).is_err()) {
                    return fail(at(ItemProblem::Scores));
                }
                if item.weight.is_some_and(|w| check_weight(w).is_err()) {
                    return fail(at(ItemProblem::Weight));
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
        let count = self.competitors.len();
        WorkspaceProblem::at_most(WorkspacePart::Competitors, None, count, MAX_COMPETITORS)?;
        for (k, board) in self.boards().enumerate() {
            let at = Some(k as u64 + 1);
            check_chars(WorkspacePart::BoardName, at, &board.name, MAX_TEXT_CHARS)?;
            for quadrant in Quadrant::ALL {
                let count = board.items_in(quadrant).count();
                let part = WorkspacePart::QuadrantItems;
                WorkspaceProblem::at_most(part, at, count, MAX_ITEMS_PER_QUADRANT)?;
            }
            for item in &board.items {
                let count = item.scores.len();
                WorkspaceProblem::at_most(WorkspacePart::Respondents, at, count, MAX_RESPONDENTS)?;
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
            reason: FormatProblem::Unwritable {
                detail: e.to_string(),
            },
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
            reason: FormatProblem::Parser {
                detail: e.to_string(),
            },
        })
    }
}

/// The trimmed text, when it is not empty and no other item (`except` is the item being
/// edited) of the quadrant on `board` has it.
pub(super) fn check_text(
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
