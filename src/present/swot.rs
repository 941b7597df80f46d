//! The SWOT workbench as shown (SWOT 分析打分): board tabs, each quadrant's totals and items, the
//! comparison with the competitors (table, CSV and chart), the strategic position (chart and
//! TOWS text), hints from the customer data, the import summary, and the report's quadrants,
//! sentence and method note. The SWOT view (`ui/components/swot.rs`) and the report's SWOT
//! section both call these functions.
//!
//! Board names and item texts are the user's: handed raw to the views (shown through
//! `UserText`), cut and isolated ([`crate::display::isolated`]) in chart labels and chart tables.

use crate::a11y::ChartTable;
use crate::charts::swot::{
    render_swot_comparison_svg, render_swot_position_svg, BoardTotals as ChartTotals, PositionPoint,
};
use crate::charts::ChartStyle;
use crate::display::{isolated, shown_row_error, ITEM_CHARS};
use crate::engine::deciles::DecileAnalysis;
use crate::engine::summary::Summary;
use crate::engine::swot::{
    board_totals, comparison, hints_from_customers, position, Board, ComparisonRow, HintConfig,
    PositionBasis, Quadrant, Standing, SwotImport, Weighting, Workbench,
};
use crate::i18n::{
    board_name, format_number, format_percent, quadrant_text, row_error_text, swot_hint_text,
    tows_meaning, tows_strategy, Lang, Text,
};

use super::report::Note;
use super::{number, sentence, Csv, DataCell, Figure};

/// Rejected rows of a SWOT import listed at most.
pub const LISTED_ERRORS: usize = 100;

/// A score or total as shown: whole numbers without decimals, others with two; never `-0`.
pub fn score_text(value: f64) -> String {
    // An empty sum is −0.0 in Rust; show it as 0.
    let value = value + 0.0;
    if (value - value.round()).abs() < 1e-9 {
        format!("{value:.0}")
    } else {
        format_number(value, 2)
    }
}

fn shown_board_name(name: &str, is_us: bool, lang: Lang) -> String {
    isolated(&board_name(name, is_us, lang), ITEM_CHARS)
}

/// One board's tab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardTab {
    /// The board's id.
    pub id: u64,
    /// The stored name (`data-board`).
    pub key: String,
    /// The name as shown (our board under its default name reads 我方 in Chinese), whole.
    pub name: String,
}

/// The boards, ours first, as tabs.
pub fn board_tabs(workbench: &Workbench, lang: Lang) -> Vec<BoardTab> {
    workbench
        .boards()
        .map(|b| BoardTab {
            id: b.id,
            key: b.name.clone(),
            name: board_name(&b.name, b.id == workbench.us.id, lang),
        })
        .collect()
}

/// One item of a quadrant card.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemLine {
    /// The item's id.
    pub id: u64,
    /// Its text, whole (an input's value).
    pub text: String,
    /// Its score for the score input (the respondents' mean).
    pub score: String,
    /// Its weight for the weight input (empty when unweighted).
    pub weight: String,
    /// True with one respondent: the score can be edited.
    pub editable: bool,
    /// Respondents and spread, and the normalised weight: "2 respondents · 8–9 · σ 0.50 · Weight
    /// 40%".
    pub meta: Option<String>,
}

/// One quadrant of a board, as its card shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct QuadrantCard {
    /// S, W, O or T.
    pub letter: &'static str,
    /// The quadrant's name.
    pub title: String,
    /// "Total 22".
    pub total: String,
    /// " · Mean 7.33 · Weighted 7.33" ("–" where there is none).
    pub means: String,
    /// The items in display order.
    pub items: Vec<ItemLine>,
}

/// One quadrant of `board`: totals, mean, weighted total and the items.
pub fn quadrant_card(board: &Board, quadrant: Quadrant, lang: Lang) -> QuadrantCard {
    let totals = board_totals(board);
    let q = totals.get(quadrant);
    let dash = || "–".to_string();
    let items = board
        .items_in(quadrant)
        .map(|item| {
            let spread = item.spread().filter(|_| item.scores.len() > 1).map(|s| {
                sentence(
                    Text::SwotSpread.get(lang),
                    &[
                        item.scores.len().to_string(),
                        score_text(s.min),
                        score_text(s.max),
                        format_number(s.std_dev, 2),
                    ],
                )
            });
            let weight_share = q
                .shares
                .iter()
                .find(|s| s.item == item.id)
                .filter(|_| item.weight.is_some())
                .map(|s| {
                    sentence(
                        Text::SwotWeightShare.get(lang),
                        &[format_percent(s.share, 0)],
                    )
                });
            let meta = match (spread, weight_share) {
                (None, None) => None,
                (spread, share) => Some(spread.unwrap_or_default() + &share.unwrap_or_default()),
            };
            ItemLine {
                id: item.id,
                text: item.text.clone(),
                score: item.score().map(score_text).unwrap_or_default(),
                weight: item.weight.map(score_text).unwrap_or_default(),
                editable: item.scores.len() == 1,
                meta,
            }
        })
        .collect();
    let weighted = match q.weighting {
        Weighting::Partial { .. } | Weighting::ZeroSum => dash(),
        _ => q.weighted_total.map_or_else(dash, score_text),
    };
    QuadrantCard {
        letter: quadrant.letter(),
        title: quadrant_text(quadrant).get(lang).to_string(),
        total: sentence(Text::SwotQuadrantTotal.get(lang), &[score_text(q.total)]),
        means: sentence(
            Text::SwotQuadrantMeans.get(lang),
            &[q.mean.map_or_else(dash, score_text), weighted],
        ),
        items,
    }
}

/// Which boards a comparison shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Boards {
    /// Every board (the view's table: each board has its row to read and fill).
    Every,
    /// Our board and the boards with items (charts and the report: an empty board says nothing).
    Scored,
}

fn shown(row: &ComparisonRow, boards: Boards) -> bool {
    match boards {
        Boards::Every => true,
        Boards::Scored => row.is_us || row.items.iter().any(|&n| n > 0),
    }
}

/// One cell of the comparison table.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparisonCell {
    /// The total as a figure: `swot_total_S` on our row, `swot_total_S:<name>` on a competitor's.
    pub total: DataCell,
    /// True when the competitor is stronger than us in this quadrant (highlighted).
    pub stronger: bool,
}

/// One row of the comparison table.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparisonLine {
    /// The board's name as shown, whole.
    pub name: String,
    /// Our board.
    pub is_us: bool,
    /// S, W, O, T.
    pub cells: [ComparisonCell; 4],
}

/// The document's comparison table: name × S, W, O, T totals, where a competitor is stronger.
pub fn comparison_lines(workbench: &Workbench, boards: Boards, lang: Lang) -> Vec<ComparisonLine> {
    comparison(workbench)
        .iter()
        .filter(|r| shown(r, boards))
        .map(|row| ComparisonLine {
            name: board_name(&row.name, row.is_us, lang),
            is_us: row.is_us,
            cells: Quadrant::ALL.map(|q| {
                let total = row.total(q);
                ComparisonCell {
                    total: DataCell {
                        metric: if row.is_us {
                            format!("swot_total_{}", q.letter())
                        } else {
                            format!("swot_total_{}:{}", q.letter(), row.name)
                        },
                        value: total,
                        display: score_text(total),
                    },
                    stronger: row.standing[q.index()] == Standing::Stronger,
                }
            }),
        })
        .collect()
}

/// The comparison table as CSV (`swot-comparison`): every board, raw totals.
pub fn comparison_csv(workbench: &Workbench, lang: Lang) -> Csv {
    Csv {
        file: "swot-comparison".into(),
        header: std::iter::once(Text::BoardName.get(lang).to_string())
            .chain(
                Quadrant::ALL
                    .into_iter()
                    .map(|q| quadrant_text(q).get(lang).to_string()),
            )
            .collect(),
        rows: comparison(workbench)
            .iter()
            .map(|r| {
                std::iter::once(board_name(&r.name, r.is_us, lang))
                    .chain(Quadrant::ALL.into_iter().map(|q| number(r.total(q))))
                    .collect()
            })
            .collect(),
    }
}

/// The comparison chart: grouped bars of S, W, O, T per scored board; `None` while nothing is
/// scored on any board (the view then says so instead of drawing an empty chart).
pub fn comparison_figure(
    workbench: &Workbench,
    name: &'static str,
    style: &ChartStyle,
) -> Option<Figure> {
    let lang = style.lang;
    let rows: Vec<ComparisonRow> = comparison(workbench)
        .into_iter()
        .filter(|r| shown(r, Boards::Scored))
        .collect();
    if rows
        .iter()
        .all(|r| Quadrant::ALL.into_iter().all(|q| r.total(q) == 0.0))
    {
        return None;
    }
    let bars: Vec<ChartTotals> = rows
        .iter()
        .map(|r| ChartTotals {
            name: shown_board_name(&r.name, r.is_us, lang),
            totals: [r.s, r.w, r.o, r.t],
            is_us: r.is_us,
        })
        .collect();
    let table = bars.iter().fold(
        ChartTable::new([
            Text::SwotBoards.get(lang),
            Text::Strengths.get(lang),
            Text::Weaknesses.get(lang),
            Text::Opportunities.get(lang),
            Text::Threats.get(lang),
        ]),
        |t, b| {
            t.row(std::iter::once(b.name.clone()).chain(b.totals.iter().map(|v| score_text(*v))))
        },
    );
    Some(Figure::new(
        name,
        Text::ComparisonTitle.get(lang).to_string(),
        Text::DescSwotComparison.get(lang),
        None,
        table,
        render_swot_comparison_svg(&bars, style),
        lang,
    ))
}

/// The strategic position chart: every board with a position on `basis`, on the TOWS plane;
/// `None` when no board has one.
pub fn position_figure(
    workbench: &Workbench,
    basis: PositionBasis,
    name: &'static str,
    style: &ChartStyle,
) -> Option<Figure> {
    let lang = style.lang;
    let points: Vec<PositionPoint> = workbench
        .boards()
        .filter_map(|b| {
            let is_us = b.id == workbench.us.id;
            position(b, basis).map(|p| PositionPoint {
                name: shown_board_name(&b.name, is_us, lang),
                x: p.x,
                y: p.y,
                is_us,
            })
        })
        .collect();
    if points.is_empty() {
        return None;
    }
    let table = points.iter().fold(
        ChartTable::new([Text::SwotBoards.get(lang), "S − W", "O − T"]),
        |t, p| t.row([p.name.clone(), score_text(p.x), score_text(p.y)]),
    );
    Some(Figure::new(
        name,
        Text::PositionTitle.get(lang).to_string(),
        Text::DescSwotPosition.get(lang),
        None,
        table,
        render_swot_position_svg(&points, style),
        lang,
    ))
}

/// Our strategic position in words and figures.
#[derive(Debug, Clone, PartialEq)]
pub struct PositionText {
    /// The TOWS quadrant's code, `SO` … (`data-tows`).
    pub tows: &'static str,
    /// "SO · Aggressive strategy (SO)".
    pub heading: String,
    /// What the quadrant means, one sentence.
    pub meaning: String,
    /// Heading and meaning in one line (the report).
    pub line: String,
    /// x = S − W as the figure `swot_position_x`, shown "S − W = 9".
    pub x: DataCell,
    /// y = O − T as the figure `swot_position_y`.
    pub y: DataCell,
}

/// Our position on `basis`; `None` while our board has no scored item (or, weighted, while a
/// quadrant's weights are incomplete).
pub fn position_text(
    workbench: &Workbench,
    basis: PositionBasis,
    lang: Lang,
) -> Option<PositionText> {
    let p = position(&workbench.us, basis)?;
    let code = p.tows.as_str();
    let strategy = tows_strategy(p.tows, lang);
    let meaning = tows_meaning(p.tows, lang);
    let cell = |metric: &str, label: &str, value: f64| DataCell {
        metric: metric.into(),
        value,
        display: format!("{label} = {}", score_text(value)),
    };
    Some(PositionText {
        tows: code,
        heading: format!("{code} · {strategy}"),
        meaning: meaning.to_string(),
        line: sentence(
            Text::TowsLine.get(lang),
            &[code.to_string(), strategy.to_string(), meaning.to_string()],
        ),
        x: cell("swot_position_x", "S − W", p.x),
        y: cell("swot_position_y", "O − T", p.y),
    })
}

/// A suggested item from the customer data.
#[derive(Debug, Clone, PartialEq)]
pub struct HintLine {
    /// Machine name of its kind (`data-hint`).
    pub kind: &'static str,
    /// The quadrant it would go to.
    pub quadrant: Quadrant,
    /// The quadrant's name.
    pub badge: String,
    /// The item's text, with its figure.
    pub text: String,
    /// The score it would start with.
    pub score: f64,
}

/// Suggested items from the loaded data (the top decile's share of sales from `deciles`, when
/// there is one); empty when the data says nothing notable.
pub fn hints(summary: &Summary, deciles: Option<&DecileAnalysis>, lang: Lang) -> Vec<HintLine> {
    let top10 = deciles
        .and_then(|d| d.by_sales.first())
        .and_then(|d| d.sales_share);
    hints_from_customers(summary, top10, &HintConfig::default())
        .unwrap_or_default()
        .into_iter()
        .map(|h| HintLine {
            kind: h.kind.as_str(),
            quadrant: h.quadrant,
            badge: quadrant_text(h.quadrant).get(lang).to_string(),
            text: swot_hint_text(&h, lang),
            score: h.suggested_score,
        })
        .collect()
}

/// How a SWOT CSV was read: rows read and rejected, the encoding.
pub fn import_summary(import: &SwotImport, lang: Lang) -> String {
    sentence(
        Text::SwotImported.get(lang),
        &[
            format_number(import.rows_read as f64, 0),
            format_number(import.rows_rejected as f64, 0),
            import.encoding.name.to_string(),
        ],
    )
}

/// The first [`LISTED_ERRORS`] rejected rows of a SWOT import, one sentence each (the file's
/// text in them cut and isolated).
pub fn import_errors(import: &SwotImport, lang: Lang) -> Vec<String> {
    import
        .errors
        .iter()
        .take(LISTED_ERRORS)
        .map(|e| row_error_text(&shown_row_error(e), lang))
        .collect()
}

/// One quadrant of our board in the report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportQuadrant {
    /// "Strengths · Total 22".
    pub heading: String,
    /// The items: text (whole) and score.
    pub items: Vec<(String, String)>,
}

/// Our board's four quadrants for the report.
pub fn report_quadrants(workbench: &Workbench, lang: Lang) -> Vec<ReportQuadrant> {
    let totals = board_totals(&workbench.us);
    Quadrant::ALL
        .into_iter()
        .map(|q| ReportQuadrant {
            heading: sentence(
                Text::SwotQuadrantHeading.get(lang),
                &[
                    quadrant_text(q).get(lang).to_string(),
                    score_text(totals.get(q).total),
                ],
            ),
            items: workbench
                .us
                .items_in(q)
                .map(|i| {
                    (
                        i.text.clone(),
                        i.score().map(score_text).unwrap_or_default(),
                    )
                })
                .collect(),
        })
        .collect()
}

/// The report's sentence on SWOT: our quadrant totals and strategic position (none without a
/// position).
pub fn report_sentences(workbench: &Workbench, lang: Lang) -> Vec<String> {
    let totals = board_totals(&workbench.us);
    let t = |q: Quadrant| format_number(totals.get(q).total, 1);
    position(&workbench.us, PositionBasis::Totals)
        .map(|p| {
            sentence(
                Text::ReportSwotScores.get(lang),
                &[
                    t(Quadrant::Strengths),
                    t(Quadrant::Weaknesses),
                    t(Quadrant::Opportunities),
                    t(Quadrant::Threats),
                    p.tows.as_str().to_string(),
                    tows_strategy(p.tows, lang).to_string(),
                ],
            )
        })
        .into_iter()
        .collect()
}

/// The report's method note on SWOT: the scale, respondents, totals and the position.
pub fn method_note(lang: Lang) -> Note {
    Note {
        label: "SWOT".into(),
        value: Text::NoteSwot.get(lang).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ingest::encoding::LanguageHint;
    use crate::engine::swot::{figures, import_swot_csv};

    const TWO_RESPONDENTS: &str =
        include_str!("../../tests/fixtures/swot/zh_cn_two_respondents.csv");

    fn imported() -> SwotImport {
        import_swot_csv(TWO_RESPONDENTS.as_bytes(), LanguageHint::SimplifiedChinese).unwrap()
    }

    /// Our board, competitor A (weaker in S, fewer weaknesses) and an empty competitor.
    fn workbench() -> Workbench {
        let mut w = Workbench::default();
        let us = w.us.id;
        w.add_item(us, Quadrant::Strengths, "Strong brand", 8.0)
            .unwrap();
        w.add_item(us, Quadrant::Weaknesses, "Slow delivery", 6.0)
            .unwrap();
        let a = w.competitors[0].id;
        w.add_item(a, Quadrant::Strengths, "Low prices", 5.0)
            .unwrap();
        w.add_item(a, Quadrant::Weaknesses, "Small range", 2.0)
            .unwrap();
        w
    }

    fn engine_figure(w: &Workbench, name: &str) -> Option<f64> {
        figures(w, PositionBasis::Totals)
            .into_iter()
            .find(|f| f.name == name)
            .and_then(|f| f.value)
    }

    #[test]
    fn scores_are_shown_without_needless_decimals() {
        for (value, text) in [
            (22.0, "22"),
            (-0.0, "0"),
            (7.5, "7.50"),
            (1234.25, "1,234.25"),
        ] {
            assert_eq!(score_text(value), text);
        }
    }

    #[test]
    fn comparison_cells_are_the_engines_figures() {
        let w = workbench();
        let lines = comparison_lines(&w, Boards::Every, Lang::En);
        assert_eq!(lines.len(), 5, "us and the four default competitors");
        for line in &lines {
            for cell in &line.cells {
                assert_eq!(
                    Some(cell.total.value),
                    engine_figure(&w, &cell.total.metric)
                );
            }
        }
        assert_eq!(lines[1].cells[0].total.metric, "swot_total_S:A");
        assert!(!lines[1].cells[0].stronger, "5 strengths against our 8");
        assert!(lines[1].cells[1].stronger, "2 weaknesses against our 6");
        let scored = comparison_lines(&w, Boards::Scored, Lang::Zh);
        assert_eq!(scored.len(), 2);
        assert_eq!(scored[0].name, "我方");
        assert_eq!(comparison_lines(&w, Boards::Scored, Lang::En)[0].name, "Us");
        let p = position_text(&w, PositionBasis::Totals, Lang::En).unwrap();
        assert_eq!((p.x.metric.as_str(), p.x.value), ("swot_position_x", 2.0));
        assert_eq!(Some(p.y.value), engine_figure(&w, "swot_position_y"));
        assert_eq!(p.x.display, "S − W = 2");
    }

    #[test]
    fn the_comparison_csv_has_every_board() {
        let w = workbench();
        let en = comparison_csv(&w, Lang::En);
        assert_eq!(en.file, "swot-comparison");
        assert_eq!(
            en.header,
            [
                "Name",
                "Strengths",
                "Weaknesses",
                "Opportunities",
                "Threats"
            ]
        );
        assert_eq!(en.rows[0], ["Us", "8", "6", "0", "0"]);
        assert_eq!(en.rows.len(), 5);
        let zh = comparison_csv(&w, Lang::Zh);
        assert_eq!(zh.header[1], "优势 S");
        assert_eq!(zh.rows[1], ["A", "5", "2", "0", "0"]);
    }

    #[test]
    fn charts_only_when_there_is_something_to_draw() {
        let style = ChartStyle::new(Lang::En);
        let empty = Workbench::default();
        assert!(comparison_figure(&empty, "swot-comparison", &style).is_none());
        assert!(position_figure(&empty, PositionBasis::Totals, "swot-position", &style).is_none());
        assert!(position_text(&empty, PositionBasis::Totals, Lang::En).is_none());
        let w = workbench();
        let chart = comparison_figure(&w, "swot-comparison", &style).unwrap();
        assert!(chart.svg.is_ok());
        assert_eq!(
            chart.table.rows.len(),
            2,
            "the empty competitors are left out"
        );
        assert_eq!(chart.table.rows[0], ["Us", "8", "6", "0", "0"]);
        let position = position_figure(&w, PositionBasis::Totals, "swot-position", &style).unwrap();
        assert_eq!(position.table.rows[1], ["A", "3", "0"]);
        let zh =
            comparison_figure(&w, "report-swot-comparison", &ChartStyle::new(Lang::Zh)).unwrap();
        assert_eq!(zh.title, "竞争对手比较（各象限合计）");
        assert_eq!(zh.table.rows[0][0], "我方");
    }

    #[test]
    fn a_chinese_csv_with_two_respondents() {
        let import = imported();
        let w = &import.workbench;
        assert_eq!(
            import_summary(&import, Lang::Zh),
            "已导入：读取 16 行，拒绝 0 行 · 编码 UTF-8"
        );
        assert_eq!(
            import_summary(&import, Lang::En),
            "Imported: 16 rows read, 0 rejected · encoding UTF-8"
        );
        assert!(import_errors(&import, Lang::En).is_empty());
        let s = quadrant_card(&w.us, Quadrant::Strengths, Lang::Zh);
        assert_eq!(s.title, "优势 S");
        assert_eq!(s.total, "合计 22");
        assert!(
            s.items[0]
                .meta
                .as_deref()
                .unwrap()
                .starts_with("2 评分人 · 8–9"),
            "{:?}",
            s.items[0]
        );
        assert!(!s.items[0].editable);
        let en = quadrant_card(&w.us, Quadrant::Opportunities, Lang::En);
        assert_eq!(en.total, "Total 7.50");
        assert!(
            en.means.starts_with(" · Mean 7.50 · Weighted "),
            "{}",
            en.means
        );
        let p = position_text(w, PositionBasis::Totals, Lang::Zh).unwrap();
        assert_eq!(p.tows, "ST");
        assert_eq!(p.heading, "ST · 多元化战略（ST）");
        assert!(p.line.starts_with("ST · 多元化战略（ST）："));
        let en = position_text(w, PositionBasis::Totals, Lang::En).unwrap();
        assert!(en.line.starts_with("ST · Diversification strategy (ST): "));
        let quadrants = report_quadrants(w, Lang::Zh);
        assert_eq!(quadrants[0].heading, "优势 S · 合计 22");
        assert_eq!(quadrants[0].items.len(), 3);
        assert_eq!(
            report_sentences(w, Lang::Zh),
            ["SWOT 打分：优势 22.0、劣势 13.0、机会 7.5、威胁 13.0；战略定位 ST（多元化战略（ST））。"]
        );
        assert_eq!(
            report_sentences(w, Lang::En),
            ["SWOT scores: strengths 22.0, weaknesses 13.0, opportunities 7.5, threats 13.0; strategic position ST (Diversification strategy (ST))."]
        );
        assert!(report_sentences(&Workbench::default(), Lang::En).is_empty());
    }

    #[test]
    fn weights_and_tabs() {
        let mut w = workbench();
        let item = w.us.items[0].id;
        w.set_weight(item, Some(3.0)).unwrap();
        let card = quadrant_card(&w.us, Quadrant::Strengths, Lang::En);
        assert_eq!(card.items[0].meta.as_deref(), Some(" · Weight 100%"));
        assert_eq!(card.items[0].weight, "3");
        let tabs = board_tabs(&w, Lang::Zh);
        assert_eq!(
            (tabs[0].key.as_str(), tabs[0].name.as_str()),
            ("Us", "我方")
        );
        assert_eq!(tabs.len(), 5);
    }

    #[test]
    fn hostile_board_names_are_isolated_in_charts() {
        let mut w = workbench();
        let evil = w.add_competitor("\u{202E}evil").unwrap();
        w.add_item(evil, Quadrant::Strengths, "x", 4.0).unwrap();
        let chart = comparison_figure(&w, "swot-comparison", &ChartStyle::new(Lang::En)).unwrap();
        assert_eq!(chart.table.rows[2][0], "\u{2068}\u{202E}evil\u{2069}");
        let lines = comparison_lines(&w, Boards::Every, Lang::En);
        assert_eq!(
            lines.last().unwrap().name,
            "\u{202E}evil",
            "whole for UserText"
        );
    }

    #[test]
    fn hints_from_the_sample_in_both_languages() {
        use crate::engine::deciles::{analyse_deciles, GroupConfig};
        use crate::engine::ingest::{import_bytes, InspectOptions};
        use crate::engine::sample::{sample_csv, SampleLanguage};
        use crate::engine::summary::summarize;
        let csv = sample_csv(SampleLanguage::English);
        let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
        let summary = summarize(&outcome.table, &outcome.report);
        let deciles = analyse_deciles(&outcome.table, &GroupConfig::default()).unwrap();
        let zh = hints(&summary, Some(&deciles), Lang::Zh);
        let en = hints(&summary, Some(&deciles), Lang::En);
        assert!(!zh.is_empty());
        assert_eq!(zh.len(), en.len());
        for (zh, en) in zh.iter().zip(&en) {
            assert_eq!(
                (zh.kind, zh.quadrant, zh.score),
                (en.kind, en.quadrant, en.score)
            );
            assert_eq!(zh.badge, quadrant_text(zh.quadrant).get(Lang::Zh));
            assert!(
                zh.text
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{}",
                zh.text
            );
            assert!(en.text.is_ascii(), "{}", en.text);
        }
        let without_deciles = hints(&summary, None, Lang::En);
        assert!(without_deciles
            .iter()
            .all(|h| h.kind != "concentration" && h.kind != "broad_base"));
    }

    #[test]
    fn notes_in_both_languages() {
        assert!(method_note(Lang::Zh).value.starts_with("每项 1–10 分"));
        assert!(method_note(Lang::En)
            .value
            .starts_with("each item scored 1–10"));
    }
}
