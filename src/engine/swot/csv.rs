//! SWOT CSV files: the import (through the shared ingest: encoding detection and decoding, the
//! record splitter, the row tally and its row errors) and the export, which the import reads back.

use super::*;

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
        crate::engine::vocabulary::swot_column_aliases(self)
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
    /// The first [`MAX_ERRORS_SHOWN`](crate::engine::ingest::MAX_ERRORS_SHOWN) rejected rows' errors, in file order.
    pub errors: Vec<RowError>,
    /// Rejected rows with their cells, for the download of rejected rows (at most
    /// [`MAX_REJECTED_KEPT`](crate::engine::ingest::MAX_REJECTED_KEPT); `present::overview::rejected_csv`
    /// writes them).
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
    import_swot_text(decode_text(bytes, &swot_text_options(hint))?)
}

/// How a SWOT file is decoded ([`decode_text`]): the encoding detected with `hint`, GBK and
/// Big5 told apart by the SWOT words.
pub fn swot_text_options(hint: LanguageHint) -> TextOptions {
    TextOptions {
        encoding: None,
        hint,
        words: HeaderWords::Swot,
    }
}

/// Reads a SWOT file's `decoded` text, as [`import_swot_csv`] reads its bytes.
///
/// # Errors
/// As [`import_swot_csv`] (but those of the decoding).
pub fn import_swot_text(decoded: DecodedText) -> Result<SwotImport> {
    let DecodedText { text, encoding } = decoded;
    let body = text.trim_start_matches('\u{feff}');
    if body.trim().is_empty() {
        return Err(Error::EmptyFile);
    }
    let delimiter = match sep_line_delimiter(body) {
        Some(delimiter) => delimiter,
        None => match sniff_delimiter(&body[..body.floor_char_boundary(64 * 1024)]) {
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
    let mut tally = Tally::default();
    for record in records {
        tally.rows_read += 1;
        let row = parse_row(&record, &columns, &headers).and_then(|row| draft.check(row, &record));
        match row {
            Ok(row) => {
                tally.rows_accepted += 1;
                draft.add(row);
            }
            Err(error) => tally.reject(error, || {
                kept_cells_of(record.cells.iter().map(String::as_str))
            }),
        }
    }
    tally.check_some_accepted(Error::HeaderOnly)?;
    Ok(SwotImport {
        workbench: draft.finish()?,
        encoding,
        delimiter,
        headers,
        columns,
        rows_read: tally.rows_read,
        rows_accepted: tally.rows_accepted,
        rows_rejected: tally.rows_rejected,
        errors: tally.first_errors,
        rejected: tally.rejected,
    })
}

/// A non-blank record of the file (the `sep=` line dropped).
pub(super) struct RawRecord {
    line: u64,
    cells: Vec<String>,
    /// A cell holds U+FFFD (bytes invalid in the encoding).
    bad_encoding: bool,
}

pub(super) fn read_records(text: &str, delimiter: Delimiter) -> Vec<RawRecord> {
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

/// Of the detector's legacy guess, GBK and Big5: the encoding under which the first lines read
/// the most SWOT words (column and quadrant names); the guess on a tie. GBK and Big5 decode
/// each other's bytes without errors, but mojibake never reads 优势 or 評分.
///
/// Built without the legacy encodings (the page), no guess is GBK or Big5 and the guess is
/// kept as it is.
#[cfg(not(feature = "legacy-encodings"))]
pub(crate) fn arbitrate_encoding(_: &[u8], guess: EncodingGuess) -> EncodingGuess {
    guess
}

/// Of the detector's legacy guess, GBK and Big5: the encoding under which the first lines read
/// the most SWOT words (column and quadrant names); the guess on a tie.
#[cfg(feature = "legacy-encodings")]
pub(crate) fn arbitrate_encoding(bytes: &[u8], guess: EncodingGuess) -> EncodingGuess {
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
    let best = chinese_encoding_reading_most(guessed, words);
    if best == guessed {
        guess
    } else {
        EncodingGuess {
            name: best.name().to_string(),
            evidence: EncodingEvidence::DetectorUnsure,
            bom_len: 0,
        }
    }
}

pub(super) fn find_columns(headers: &[String]) -> Result<SwotColumns> {
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
pub(super) struct ParsedRow {
    /// `None` for our board.
    competitor: Option<String>,
    quadrant: Quadrant,
    text: String,
    score: f64,
    weight: Option<f64>,
    respondent: Option<String>,
}

/// A text cell trimmed, without the `'` that neutralises a formula.
pub(super) fn text_cell(cell: &str) -> &str {
    let cell = cell.trim();
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r', '\n']) => rest.trim(),
        _ => cell,
    }
}

/// A number with a decimal point, or failing that a decimal comma.
pub(super) fn number_cell(cell: &str) -> Option<f64> {
    parse_number(cell, DecimalSeparator::Point)
        .or_else(|| parse_number(cell, DecimalSeparator::Comma))
}

pub(super) fn parse_row(
    record: &RawRecord,
    columns: &SwotColumns,
    headers: &[String],
) -> Result<ParsedRow, RowError> {
    let fail = |index: usize, problem: RowProblem, value: &str| RowError {
        line: record.line,
        column: column_name(headers, index),
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
pub(super) struct Draft {
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
pub(super) struct DraftBoard {
    name: String,
    items: Vec<DraftItem>,
    by_key: HashMap<(Quadrant, String), usize>,
}

pub(super) struct DraftItem {
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
pub(super) fn exact_cell(value: f64) -> Cow<'static, str> {
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
