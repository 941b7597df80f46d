//! SWOT scoring (SWOT 分析打分) through the public API, the way the UI drives it: board edits,
//! totals, means, weights, the strategic position and its TOWS quadrant, the comparison with
//! competitors, CSV import and export, saving to JSON, hints from customer data and the figures.
//!
//! The CSV fixtures live in `tests/fixtures/swot/` (see its README). Every expected outcome
//! below — items, scores, totals, positions, every rejected row's line, column and problem —
//! was worked out by hand from the fixture and METHODS.md §3 (the sums are small enough to add
//! up in one's head; they are spelled out next to the cases), never printed by the engine.
// The engine is tested natively (proptest is a native-only dev-dependency).
#![cfg(not(target_arch = "wasm32"))]

use valuelens::engine::error::{BinaryKind, Error, RowError, RowProblem};
use valuelens::engine::ingest::dialect::Delimiter;
use valuelens::engine::ingest::encoding::{EncodingEvidence, LanguageHint};
use valuelens::engine::summary::Summary;
use valuelens::engine::swot::{
    board_totals, comparison, figures, hints_from_customers, import_swot_csv, position,
    workbench_csv, Board, HintConfig, HintKind, MoveDirection, PositionBasis, Quadrant, Standing,
    SwotColumn, SwotCsvLabels, SwotImport, TowsQuadrant, Weighting, Workbench, DEFAULT_US_NAME,
    FORMAT_VERSION,
};

use Quadrant::{Opportunities as O, Strengths as S, Threats as T, Weaknesses as W};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * (1.0 + a.abs().max(b.abs()))
}

fn close_opt(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => close(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// An item without its id: quadrant, text, scores, weight.
type ItemRow = (Quadrant, String, Vec<f64>, Option<f64>);

/// A workbench without ids: per board, its name and items, ours first.
fn without_ids(workbench: &Workbench) -> Vec<(String, Vec<ItemRow>)> {
    workbench
        .boards()
        .map(|board| {
            let items = board
                .items
                .iter()
                .map(|i| (i.quadrant, i.text.clone(), i.scores.clone(), i.weight))
                .collect();
            (board.name.clone(), items)
        })
        .collect()
}

/// Expected boards written as literals: name, then (quadrant, text, scores, weight).
type BoardLiteral<'a> = (&'a str, &'a [(Quadrant, &'a str, &'a [f64], Option<f64>)]);

fn boards_of(literal: &[BoardLiteral<'_>]) -> Vec<(String, Vec<ItemRow>)> {
    literal
        .iter()
        .map(|(name, items)| {
            let items = items
                .iter()
                .map(|(q, text, scores, weight)| (*q, text.to_string(), scores.to_vec(), *weight))
                .collect();
            (name.to_string(), items)
        })
        .collect()
}

fn no_items<'a>(name: &'a str) -> BoardLiteral<'a> {
    (name, &[])
}

/// A workbench built through the edit methods: per board name (ours first, named
/// [`DEFAULT_US_NAME`]), items as (quadrant, text, scores, weight).
fn build(boards: &[BoardLiteral<'_>]) -> Workbench {
    let mut workbench = Workbench::new(DEFAULT_US_NAME).unwrap();
    for (k, (name, items)) in boards.iter().enumerate() {
        let board = if k == 0 {
            workbench.rename_board(workbench.us.id, name).unwrap();
            workbench.us.id
        } else {
            workbench.add_competitor(name).unwrap()
        };
        for (quadrant, text, scores, weight) in *items {
            let id = workbench
                .add_item(board, *quadrant, text, scores[0])
                .unwrap();
            workbench.set_scores(id, scores).unwrap();
            workbench.set_weight(id, *weight).unwrap();
        }
    }
    workbench
}

// ---------------------------------------------------------------------------------------------
// CSV fixtures

const ZH_CN: &[u8] = include_bytes!("fixtures/swot/zh_cn_two_respondents.csv");
const ZH_TW: &[u8] = include_bytes!("fixtures/swot/zh_tw_competitors.csv");
const ZH_TW_BIG5: &[u8] = include_bytes!("fixtures/swot/zh_tw_big5.csv");
const ENGLISH: &[u8] = include_bytes!("fixtures/swot/english_competitor.csv");
const GBK_FILE: &[u8] = include_bytes!("fixtures/swot/gbk_competitor.csv");
const BAD_ROWS: &[u8] = include_bytes!("fixtures/swot/bad_rows.csv");

/// What importing a fixture must give.
struct Imported {
    name: &'static str,
    bytes: &'static [u8],
    hint: LanguageHint,
    encoding: &'static str,
    delimiter: Delimiter,
    /// Rows read, accepted, rejected.
    rows: (u64, u64, u64),
    boards: &'static [BoardLiteral<'static>],
    /// Line, column, value, problem of every rejected row.
    errors: &'static [(u64, &'static str, &'static str, RowProblem)],
}

const ZH_TW_BOARDS: &[BoardLiteral<'static>] = &[
    (
        DEFAULT_US_NAME,
        &[
            (S, "品牌形象佳", &[8.0], None),
            (S, "研發能力強", &[7.0], None),
            (W, "價格偏高", &[6.0], None),
            (O, "東南亞市場", &[7.0], None),
            (T, "匯率波動", &[5.0], None),
        ],
    ),
    (
        "甲公司",
        &[
            (S, "成本低", &[9.0], None),
            (S, "規模大", &[8.0], None),
            (W, "品質不穩", &[7.0], None),
            (O, "政府補助", &[6.0], None),
            (T, "環保法規", &[4.0], None),
        ],
    ),
    (
        "乙公司",
        &[
            (S, "通路多", &[6.0], None),
            (W, "品牌弱", &[8.0], None),
            (T, "原料短缺", &[7.0], None),
        ],
    ),
];

const GBK_BOARDS: &[BoardLiteral<'static>] = &[
    (
        DEFAULT_US_NAME,
        &[
            (S, "产品质量稳定", &[8.0], None),
            (W, "交货周期长", &[6.0], None),
            (O, "政策扶持", &[7.0], None),
            (T, "价格战", &[8.0], None),
        ],
    ),
    (
        "竞争对手A",
        &[(S, "价格低", &[7.0], None), (W, "售后差", &[5.0], None)],
    ),
];

fn fixtures() -> Vec<Imported> {
    vec![
        Imported {
            name: "zh_cn_two_respondents.csv",
            bytes: ZH_CN,
            hint: LanguageHint::SimplifiedChinese,
            encoding: "UTF-8",
            delimiter: Delimiter::Comma,
            rows: (16, 16, 0),
            // Two respondents (张三, 李四) per item: one item with two scores each. No competitor
            // column: the default empty competitors A–D.
            boards: &[
                (
                    DEFAULT_US_NAME,
                    &[
                        (S, "品牌知名度高", &[8.0, 9.0], Some(0.5)),
                        (S, "渠道覆盖广", &[7.0, 6.0], Some(0.3)),
                        (S, "售后服务好", &[6.0, 8.0], Some(0.2)),
                        (W, "价格偏高", &[7.0, 5.0], None),
                        (W, "线上运营弱", &[6.0, 8.0], None),
                        (O, "下沉市场增长", &[8.0, 7.0], None),
                        (T, "新进入者", &[6.0, 9.0], None),
                        (T, "原材料涨价", &[5.0, 6.0], None),
                    ],
                ),
                ("A", &[]),
                ("B", &[]),
                ("C", &[]),
                ("D", &[]),
            ],
            errors: &[],
        },
        Imported {
            name: "zh_tw_competitors.csv (UTF-8 with BOM, CRLF)",
            bytes: ZH_TW,
            hint: LanguageHint::TraditionalChinese,
            encoding: "UTF-8",
            delimiter: Delimiter::Comma,
            rows: (13, 13, 0),
            // 本公司 is us; 甲公司 and 乙公司 in order of first appearance; 優勢(S) is S.
            boards: ZH_TW_BOARDS,
            errors: &[],
        },
        Imported {
            name: "zh_tw_big5.csv",
            bytes: ZH_TW_BIG5,
            hint: LanguageHint::TraditionalChinese,
            encoding: "Big5",
            delimiter: Delimiter::Comma,
            rows: (13, 13, 0),
            boards: ZH_TW_BOARDS,
            errors: &[],
        },
        Imported {
            name: "english_competitor.csv",
            bytes: ENGLISH,
            hint: LanguageHint::Other,
            encoding: "UTF-8",
            delimiter: Delimiter::Semicolon,
            rows: (10, 10, 0),
            // An empty competitor cell and `us` are ours; `7,5` is 7.5; the quoted `;` is text.
            boards: &[
                (
                    DEFAULT_US_NAME,
                    &[
                        (S, "Strong brand", &[8.0], Some(3.0)),
                        (S, "Loyal customers", &[7.5], Some(2.0)),
                        (W, "High prices; few discounts", &[6.0], Some(1.0)),
                        (W, "Slow delivery", &[4.0], None),
                        (O, "Online growth", &[9.0], None),
                        (T, "New entrants", &[7.0], None),
                    ],
                ),
                (
                    "Acme",
                    &[
                        (S, "Low cost", &[9.0], None),
                        (W, "Weak service", &[8.0], None),
                        (O, "Export markets", &[6.0], None),
                        (T, "Regulation", &[5.0], None),
                    ],
                ),
            ],
            errors: &[],
        },
        Imported {
            name: "gbk_competitor.csv",
            bytes: GBK_FILE,
            hint: LanguageHint::SimplifiedChinese,
            encoding: "GBK",
            delimiter: Delimiter::Comma,
            rows: (6, 6, 0),
            boards: GBK_BOARDS,
            errors: &[],
        },
        Imported {
            name: "bad_rows.csv",
            bytes: BAD_ROWS,
            hint: LanguageHint::Other,
            encoding: "UTF-8",
            delimiter: Delimiter::Comma,
            // 18 data rows: lines 2–13, 14–15 (one quoted item over two lines), 16–18, 20, 21
            // (line 19 is blank); 6 accepted (lines 2, 10, 12, 14, 20, 21), 12 rejected.
            rows: (18, 6, 12),
            boards: &[
                (
                    DEFAULT_US_NAME,
                    &[
                        (S, "Strong brand", &[8.0], None),
                        // Line 10 has no respondent; line 12 is ann's first score of it.
                        (T, "Rivals", &[5.0, 7.0], None),
                        (O, "Multi\nline item", &[4.0], None),
                        // Line 21: `w`, `6.5分`, `50%`, competitor 我方 (us).
                        (W, "Slow delivery", &[6.5], Some(0.5)),
                    ],
                ),
                // Line 20: full-width `Ｗ` and `８`.
                ("Acme", &[(W, "Slow delivery", &[8.0], None)]),
            ],
            errors: &[
                (3, "score", "0", RowProblem::ScoreOutOfRange),
                (4, "score", "11", RowProblem::ScoreOutOfRange),
                (5, "score", "abc", RowProblem::NotANumber),
                (6, "score", "", RowProblem::Missing),
                (7, "quadrant", "X", RowProblem::UnknownQuadrant),
                (8, "item", "", RowProblem::Missing),
                (9, "quadrant", "", RowProblem::Missing),
                (11, "weight", "-1", RowProblem::WeightOutOfRange),
                (13, "respondent", "ann", RowProblem::DuplicateScore),
                (16, "score", "1e3", RowProblem::ScoreOutOfRange),
                (17, "score", "x9", RowProblem::NotANumber),
                (18, "score", "", RowProblem::TooFewColumns),
            ],
        },
    ]
}

#[test]
fn fixtures_import_as_written_by_hand() {
    for case in fixtures() {
        let name = case.name;
        let import =
            import_swot_csv(case.bytes, case.hint).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(import.encoding.name, case.encoding, "{name}");
        assert_eq!(import.delimiter, case.delimiter, "{name}");
        assert_eq!(
            (import.rows_read, import.rows_accepted, import.rows_rejected),
            case.rows,
            "{name}"
        );
        assert_eq!(
            without_ids(&import.workbench),
            boards_of(case.boards),
            "{name}"
        );
        let errors: Vec<(u64, &str, &str, RowProblem)> = import
            .errors
            .iter()
            .map(|e| (e.line, e.column.as_str(), e.value.as_str(), e.problem))
            .collect();
        assert_eq!(errors, case.errors, "{name}");
        assert_eq!(import.rejected.len(), case.errors.len(), "{name}");
        import.workbench.validate().unwrap();
    }
}

#[test]
fn row_errors_read_like_the_order_import() {
    let import = import_swot_csv(BAD_ROWS, LanguageHint::Other).unwrap();
    let texts: Vec<String> = import.errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        texts[..5],
        [
            "line 3, column 'score': expected a score from 1 to 10, found '0'",
            "line 4, column 'score': expected a score from 1 to 10, found '11'",
            "line 5, column 'score': expected a number, found 'abc'",
            "line 6, column 'score': the cell is empty",
            "line 7, column 'quadrant': expected a quadrant: S, W, O, T or 优势, 劣势, 机会, 威胁, found 'X'",
        ]
    );
    assert_eq!(
        texts[8],
        "line 13, column 'respondent': this respondent has already scored this item, found 'ann'"
    );
    // The rejected row keeps its cells for the download of rejected rows.
    assert_eq!(
        import.rejected[0].cells,
        ["S", "Strong brand", "0", "", "bob", ""]
    );
}

#[test]
fn legacy_encodings_are_read_under_every_ui_language() {
    // chardetng's prior follows the UI language (a GBK file reads as Big5 under zh-TW and the
    // other way round); the SWOT vocabulary of the first lines puts it right.
    let hints = [
        LanguageHint::SimplifiedChinese,
        LanguageHint::TraditionalChinese,
        LanguageHint::Other,
    ];
    for hint in hints {
        for (bytes, encoding, boards) in [
            (GBK_FILE, "GBK", GBK_BOARDS),
            (ZH_TW_BIG5, "Big5", ZH_TW_BOARDS),
        ] {
            let import = import_swot_csv(bytes, hint).unwrap();
            assert_eq!(import.encoding.name, encoding, "{encoding} under {hint:?}");
            assert_ne!(import.encoding.evidence, EncodingEvidence::ValidUtf8);
            assert_eq!(
                without_ids(&import.workbench),
                boards_of(boards),
                "{encoding} under {hint:?}"
            );
        }
    }
}

#[test]
fn two_respondents_give_mean_spread_totals_and_position() {
    let import = import_swot_csv(ZH_CN, LanguageHint::SimplifiedChinese).unwrap();
    let us = &import.workbench.us;
    // Per item: mean, min, max, population standard deviation of the two scores.
    let expected = [
        ("品牌知名度高", 8.5, 8.0, 9.0, 0.5),
        ("渠道覆盖广", 6.5, 6.0, 7.0, 0.5),
        ("售后服务好", 7.0, 6.0, 8.0, 1.0),
        ("价格偏高", 6.0, 5.0, 7.0, 1.0),
        ("线上运营弱", 7.0, 6.0, 8.0, 1.0),
        ("下沉市场增长", 7.5, 7.0, 8.0, 0.5),
        ("新进入者", 7.5, 6.0, 9.0, 1.5),
        ("原材料涨价", 5.5, 5.0, 6.0, 0.5),
    ];
    for (item, (text, mean, min, max, std_dev)) in us.items.iter().zip(expected) {
        assert_eq!(item.text, text);
        assert_eq!(item.score(), Some(mean), "{text}");
        let spread = item.spread().unwrap();
        assert_eq!(
            (spread.min, spread.max, spread.std_dev),
            (min, max, std_dev),
            "{text}"
        );
    }

    // S: 8.5 + 6.5 + 7 = 22, weights 0.5 / 0.3 / 0.2 → 4.25 + 1.95 + 1.4 = 7.6.
    // W: 6 + 7 = 13, no weights → weighted total = mean 6.5. O: 7.5. T: 7.5 + 5.5 = 13.
    let totals = board_totals(us);
    /// Items, total, mean, weighting, weighted total.
    type Row = (usize, f64, Option<f64>, Weighting, Option<f64>);
    let rows: [Row; 4] = [
        (3, 22.0, Some(22.0 / 3.0), Weighting::Weighted, Some(7.6)),
        (2, 13.0, Some(6.5), Weighting::Equal, Some(6.5)),
        (1, 7.5, Some(7.5), Weighting::Equal, Some(7.5)),
        (2, 13.0, Some(6.5), Weighting::Equal, Some(6.5)),
    ];
    for (q, (items, total, mean, weighting, weighted)) in Quadrant::ALL.into_iter().zip(rows) {
        let t = totals.get(q);
        assert_eq!((t.items, t.weighting), (items, weighting), "{q:?}");
        assert!(close(t.total, total), "{q:?} total {}", t.total);
        assert!(close_opt(t.mean, mean), "{q:?} mean {:?}", t.mean);
        assert!(
            close_opt(t.weighted_total, weighted),
            "{q:?} {:?}",
            t.weighted_total
        );
    }
    let shares: Vec<f64> = totals.get(S).shares.iter().map(|s| s.share).collect();
    assert!(
        shares
            .iter()
            .zip([0.5, 0.3, 0.2])
            .all(|(a, b)| close(*a, b)),
        "{shares:?}"
    );
    let parts: Vec<f64> = totals
        .get(S)
        .shares
        .iter()
        .map(|s| s.weighted_score)
        .collect();
    assert!(
        parts
            .iter()
            .zip([4.25, 1.95, 1.4])
            .all(|(a, b)| close(*a, b)),
        "{parts:?}"
    );
    assert_eq!(
        totals
            .get(W)
            .shares
            .iter()
            .map(|s| s.share)
            .collect::<Vec<_>>(),
        [0.5, 0.5]
    );

    // Totals: x = 22 − 13 = 9, y = 7.5 − 13 = −5.5 → ST. Weighted: x = 7.6 − 6.5 = 1.1,
    // y = 7.5 − 6.5 = 1 → SO: the weights change the reading.
    let p = position(us, PositionBasis::Totals).unwrap();
    assert_eq!(
        (p.x, p.y, p.tows, p.on_axis),
        (9.0, -5.5, TowsQuadrant::ST, false)
    );
    let p = position(us, PositionBasis::Weighted).unwrap();
    assert!(close(p.x, 1.1) && close(p.y, 1.0), "{p:?}");
    assert_eq!(p.tows, TowsQuadrant::SO);
}

#[test]
fn comparison_table_highlights_where_a_competitor_is_stronger() {
    use Standing::*;
    let import = import_swot_csv(ZH_TW, LanguageHint::TraditionalChinese).unwrap();
    let rows = comparison(&import.workbench);
    // Us: S 8 + 7 = 15, W 6, O 7, T 5. 甲公司: S 9 + 8 = 17 (stronger), W 7 (more: weaker),
    // O 6 (weaker), T 4 (fewer threats: stronger). 乙公司: S 6, W 8, no O (not compared), T 7.
    let table: Vec<(&str, bool, [f64; 4], [Standing; 4])> = rows
        .iter()
        .map(|r| (r.name.as_str(), r.is_us, [r.s, r.w, r.o, r.t], r.standing))
        .collect();
    assert_eq!(
        table,
        [
            (DEFAULT_US_NAME, true, [15.0, 6.0, 7.0, 5.0], [Ours; 4]),
            (
                "甲公司",
                false,
                [17.0, 7.0, 6.0, 4.0],
                [Stronger, Weaker, Weaker, Stronger]
            ),
            (
                "乙公司",
                false,
                [6.0, 8.0, 0.0, 7.0],
                [Weaker, Weaker, NotCompared, Weaker]
            ),
        ]
    );
    assert_eq!(rows[0].stronger_than_us(), [false; 4]);
    assert_eq!(rows[1].stronger_than_us(), [true, false, false, true]);
    assert_eq!(rows[2].items, [1, 1, 0, 1]);
    assert_eq!(rows[1].total(T), 4.0);

    // English fixture: Acme S 9 < 15.5, W 8 < 4 + 6 = 10 (stronger), O 6 < 9, T 5 < 7 (stronger).
    let import = import_swot_csv(ENGLISH, LanguageHint::Other).unwrap();
    let rows = comparison(&import.workbench);
    assert_eq!(rows[1].standing, [Weaker, Stronger, Weaker, Stronger]);

    // Equal totals, and the default empty competitors: never highlighted.
    let workbench = build(&[
        (
            DEFAULT_US_NAME,
            &[(S, "a", &[7.0], None), (W, "b", &[4.0], None)],
        ),
        (
            "X",
            &[
                (S, "c", &[3.0], None),
                (S, "d", &[4.0], None),
                (W, "e", &[4.0], None),
            ],
        ),
        no_items("Y"),
    ]);
    let rows = comparison(&workbench);
    assert_eq!(rows[1].standing, [Equal, Equal, NotCompared, NotCompared]);
    assert_eq!(rows[2].standing, [NotCompared; 4]);
}

#[test]
fn figures_name_our_totals_position_and_each_competitor() {
    let import = import_swot_csv(ZH_TW, LanguageHint::TraditionalChinese).unwrap();
    let figures: Vec<(String, Option<f64>)> = figures(&import.workbench, PositionBasis::Totals)
        .into_iter()
        .map(|f| (f.name, f.value))
        .collect();
    let expected: Vec<(String, Option<f64>)> = [
        ("swot_total_S", 15.0),
        ("swot_total_W", 6.0),
        ("swot_total_O", 7.0),
        ("swot_total_T", 5.0),
        ("swot_position_x", 9.0),
        ("swot_position_y", 2.0),
        ("swot_total_S:甲公司", 17.0),
        ("swot_total_W:甲公司", 7.0),
        ("swot_total_O:甲公司", 6.0),
        ("swot_total_T:甲公司", 4.0),
        ("swot_total_S:乙公司", 6.0),
        ("swot_total_W:乙公司", 8.0),
        ("swot_total_O:乙公司", 0.0),
        ("swot_total_T:乙公司", 7.0),
    ]
    .into_iter()
    .map(|(n, v)| (n.to_string(), Some(v)))
    .collect();
    assert_eq!(figures, expected);

    // A new workbench: totals 0, no position, the four default competitors.
    let figures = figures_of(&Workbench::default(), PositionBasis::Totals);
    assert_eq!(figures.len(), 6 + 4 * 4);
    assert_eq!(figures[0], ("swot_total_S".to_string(), Some(0.0)));
    assert_eq!(figures[4], ("swot_position_x".to_string(), None));
    assert_eq!(figures[21], ("swot_total_T:D".to_string(), Some(0.0)));
    // The weighted basis is undefined while the English board's weaknesses are half weighted.
    let import = import_swot_csv(ENGLISH, LanguageHint::Other).unwrap();
    let figures = figures_of(&import.workbench, PositionBasis::Weighted);
    assert_eq!(figures[4], ("swot_position_x".to_string(), None));
    assert_eq!(figures[0], ("swot_total_S".to_string(), Some(15.5)));
}

fn figures_of(workbench: &Workbench, basis: PositionBasis) -> Vec<(String, Option<f64>)> {
    figures(workbench, basis)
        .into_iter()
        .map(|f| (f.name, f.value))
        .collect()
}

#[test]
fn files_that_cannot_be_imported() {
    // The message of a missing column names it in English and in Chinese, as files write it.
    let missing = |reason: &str| {
        let columns: Vec<SwotColumn> = [SwotColumn::Quadrant, SwotColumn::Item, SwotColumn::Score]
            .into_iter()
            .filter(|c| reason.contains(&format!("{} (", c.aliases()[0])))
            .collect();
        let error = Error::SwotColumnsMissing { missing: columns };
        assert_eq!(
            error.to_string(),
            format!("could not read the SWOT file: {reason}")
        );
        error
    };
    let cases: Vec<(&str, Vec<u8>, Error)> = vec![
        ("empty", b"".to_vec(), Error::EmptyFile),
        ("white space", b" \r\n\t\n".to_vec(), Error::EmptyFile),
        (
            "byte-order mark only",
            b"\xef\xbb\xbf\r\n".to_vec(),
            Error::EmptyFile,
        ),
        (
            "header only",
            "象限,项目,评分\r\n\r\n".as_bytes().to_vec(),
            Error::HeaderOnly,
        ),
        (
            "a PNG renamed .csv",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(),
            Error::Binary {
                what: BinaryKind::Png,
            },
        ),
        (
            "no score column",
            b"quadrant,item,note\nS,brand,8\n".to_vec(),
            missing("the header row has no column for score (评分)"),
        ),
        (
            "no header at all",
            b"S,brand,8\nW,price,6\n".to_vec(),
            missing("the header row has no column for quadrant (象限), item (项目), score (评分)"),
        ),
        (
            "every row rejected",
            b"quadrant,item,score\nS,brand,80\nQ,price,6\n".to_vec(),
            {
                let first = RowError {
                    line: 2,
                    column: "score".into(),
                    value: "80".into(),
                    problem: RowProblem::ScoreOutOfRange,
                };
                assert_eq!(
                    first.to_string(),
                    "line 2, column 'score': expected a score from 1 to 10, found '80'"
                );
                Error::AllRowsRejected {
                    rows: 2,
                    first: Some(Box::new(first)),
                }
            },
        ),
    ];
    for (name, bytes, expected) in cases {
        assert_eq!(
            import_swot_csv(&bytes, LanguageHint::default()).err(),
            Some(expected),
            "{name}"
        );
    }
}

#[test]
fn import_details() {
    // `sep=;` line, a bracketed note in the header, a duplicated score column (the first
    // counts), extra columns, tabs inside quotes, a formula-neutralising quote, and a
    // respondent who scores two different items.
    let csv = "sep=;\n备注;Quadrant;Item;Score (1-10);score;Respondent\n\
               x;O;'=SUM(A1);9;1;ann\n\
               y;O;\"Online\tgrowth\";8;1;ann\n\
               z;O;'=SUM(A1);7;1;bob\n";
    let import = import_swot_csv(csv.as_bytes(), LanguageHint::Other).unwrap();
    assert_eq!(import.delimiter, Delimiter::Semicolon);
    assert_eq!(import.headers[0], "备注");
    assert_eq!((import.columns.quadrant, import.columns.score), (1, 3));
    assert_eq!(import.columns.respondent, Some(5));
    assert_eq!(import.columns.competitor, None);
    let us: Vec<(String, Vec<f64>)> = import
        .workbench
        .us
        .items
        .iter()
        .map(|i| (i.text.clone(), i.scores.clone()))
        .collect();
    assert_eq!(
        us,
        [
            ("=SUM(A1)".to_string(), vec![9.0, 7.0]),
            ("Online\tgrowth".to_string(), vec![8.0]),
        ]
    );

    // Weights: the mean of the rows that give one; texts merge across white-space runs.
    let csv = "quadrant,item,score,weight\nS,strong  brand,8,2\nS,strong brand,6,\nS, strong brand ,7,4\n";
    let import = import_swot_csv(csv.as_bytes(), LanguageHint::Other).unwrap();
    let item = &import.workbench.us.items[0];
    assert_eq!(
        (item.text.as_str(), item.scores.clone(), item.weight),
        ("strong  brand", vec![8.0, 6.0, 7.0], Some(3.0))
    );
}

// ---------------------------------------------------------------------------------------------
// Board edits

#[test]
fn edits_with_bad_input_are_refused_and_change_nothing() {
    let mut workbench = Workbench::default();
    let us = workbench.us.id;
    let brand = workbench.add_item(us, S, "Strong brand", 8.0).unwrap();
    let before = workbench.clone();
    type Edit = Box<dyn Fn(&mut Workbench) -> Result<(), Error>>;
    #[rustfmt::skip]
    let cases: Vec<(&str, Edit, &str)> = vec![
        ("empty text", Box::new(move |w| w.add_item(us, S, " ", 5.0).map(drop)), "text"),
        ("same text", Box::new(move |w| w.add_item(us, S, "Strong   brand", 5.0).map(drop)), "text"),
        ("score 0", Box::new(move |w| w.add_item(us, S, "x", 0.0).map(drop)), "score"),
        ("score 10.5", Box::new(move |w| w.add_item(us, S, "x", 10.5).map(drop)), "score"),
        ("score NaN", Box::new(move |w| w.add_item(us, S, "x", f64::NAN).map(drop)), "score"),
        ("no board", Box::new(|w| w.add_item(999, S, "x", 5.0).map(drop)), "board"),
        ("set score 11", Box::new(move |w| w.set_score(brand, 11.0)), "score"),
        ("set score 0.99", Box::new(move |w| w.set_score(brand, 0.99)), "score"),
        ("no scores", Box::new(move |w| w.set_scores(brand, &[])), "score"),
        ("one bad score", Box::new(move |w| w.set_scores(brand, &[5.0, -1.0])), "score"),
        ("weight −1", Box::new(move |w| w.set_weight(brand, Some(-1.0))), "weight"),
        ("weight ∞", Box::new(move |w| w.set_weight(brand, Some(f64::INFINITY))), "weight"),
        ("empty text edit", Box::new(move |w| w.set_text(brand, "")), "text"),
        ("no item", Box::new(|w| w.set_text(12345, "x")), "item"),
        ("delete no item", Box::new(|w| w.delete_item(12345).map(drop)), "item"),
        ("move no item", Box::new(|w| w.move_item(12345, MoveDirection::Up).map(drop)), "item"),
        ("empty name", Box::new(|w| w.add_competitor("  ").map(drop)), "name"),
        ("taken name", Box::new(|w| w.add_competitor(" A ").map(drop)), "name"),
        ("name meaning us", Box::new(|w| w.add_competitor("我方").map(drop)), "name"),
        ("name Us", Box::new(|w| w.add_competitor("us").map(drop)), "name"),
        ("rename to taken", Box::new(move |w| w.rename_board(us, "B")), "name"),
        ("remove our board", Box::new(move |w| w.remove_competitor(us).map(drop)), "board"),
    ];
    for (name, edit, parameter) in cases {
        match edit(&mut workbench) {
            Err(Error::Parameter { name: p, .. }) => assert_eq!(p, parameter, "{name}"),
            other => panic!("{name}: {other:?}"),
        }
        assert_eq!(workbench, before, "{name} changed the workbench");
    }
}

#[test]
fn edits_add_change_move_and_delete() {
    let mut workbench = Workbench::default();
    let us = workbench.us.id;
    let a = workbench.add_item(us, S, "a", 8.0).unwrap();
    let x = workbench.add_item(us, W, "x", 4.0).unwrap();
    let b = workbench.add_item(us, S, "b", 6.0).unwrap();
    let c = workbench.add_item(us, S, "c", 7.0).unwrap();
    let texts = |w: &Workbench, q| w.us.items_in(q).map(|i| i.text.clone()).collect::<Vec<_>>();
    assert_eq!(texts(&workbench, S), ["a", "b", "c"]);
    // Ids are unique across boards and never reused.
    let ids = [workbench.us.id, a, x, b, c];
    assert!(ids.windows(2).all(|w| w[0] != w[1]));
    assert!(workbench.competitors.iter().all(|b| !ids.contains(&b.id)));

    assert!(workbench.move_item(c, MoveDirection::Up).unwrap());
    assert_eq!(texts(&workbench, S), ["a", "c", "b"]);
    assert!(!workbench.move_item(a, MoveDirection::Up).unwrap());
    assert!(!workbench.move_item(b, MoveDirection::Down).unwrap());
    assert!(workbench.move_item(a, MoveDirection::Down).unwrap());
    assert_eq!(texts(&workbench, S), ["c", "a", "b"]);
    assert_eq!(texts(&workbench, W), ["x"]);

    workbench.set_quadrant(a, W).unwrap();
    assert_eq!(
        (texts(&workbench, S), texts(&workbench, W)),
        (vec!["c".into(), "b".into()], vec!["x".into(), "a".into()])
    );
    workbench.set_text(a, "  a2 ").unwrap();
    workbench.set_scores(a, &[3.0, 4.0]).unwrap();
    workbench.set_weight(a, Some(2.0)).unwrap();
    let item = workbench.item(a).unwrap();
    assert_eq!(
        (item.text.as_str(), item.score(), item.weight),
        ("a2", Some(3.5), Some(2.0))
    );
    workbench.set_score(a, 9.0).unwrap();
    assert_eq!(workbench.item(a).unwrap().scores, [9.0]);
    workbench.set_weight(a, None).unwrap();
    assert_eq!(workbench.item(a).unwrap().weight, None);

    let deleted = workbench.delete_item(b).unwrap();
    assert_eq!(deleted.text, "b");
    assert!(workbench.item(b).is_none());
    let d = workbench.add_item(us, S, "d", 5.0).unwrap();
    assert!(d > c, "ids are not reused");

    // Competitors: add, rename, move, remove; our board may be renamed to anything free.
    let e = workbench.add_competitor("E").unwrap();
    workbench.add_item(e, T, "t", 2.0).unwrap();
    workbench.rename_board(e, "华润").unwrap();
    assert!(workbench.move_competitor(e, MoveDirection::Up).unwrap());
    let names: Vec<&str> = workbench
        .competitors
        .iter()
        .map(|b| b.name.as_str())
        .collect();
    assert_eq!(names, ["A", "B", "C", "华润", "D"]);
    let first = workbench.competitors[0].id;
    assert!(!workbench.move_competitor(first, MoveDirection::Up).unwrap());
    let removed = workbench.remove_competitor(e).unwrap();
    assert_eq!((removed.name.as_str(), removed.items.len()), ("华润", 1));
    workbench.rename_board(us, "我方").unwrap();
    assert_eq!(workbench.us.name, "我方");
    workbench.validate().unwrap();
}

// ---------------------------------------------------------------------------------------------
// Totals, weights, position

#[test]
fn totals_means_and_weights() {
    // Per case: S items as (score, weight); the S totals expected: items, total, mean,
    // weighting, weighted total, shares.
    type Case = (
        &'static str,
        &'static [(f64, Option<f64>)],
        (
            usize,
            f64,
            Option<f64>,
            Weighting,
            Option<f64>,
            &'static [f64],
        ),
    );
    #[rustfmt::skip]
    let cases: &[Case] = &[
        ("empty", &[], (0, 0.0, None, Weighting::Equal, Some(0.0), &[])),
        ("one", &[(7.0, None)], (1, 7.0, Some(7.0), Weighting::Equal, Some(7.0), &[1.0])),
        ("unweighted", &[(8.0, None), (6.0, None), (10.0, None), (4.0, None)],
            (4, 28.0, Some(7.0), Weighting::Equal, Some(7.0), &[0.25, 0.25, 0.25, 0.25])),
        // 3 : 1 → 0.75 × 8 + 0.25 × 4 = 7.
        ("weighted", &[(8.0, Some(3.0)), (4.0, Some(1.0))],
            (2, 12.0, Some(6.0), Weighting::Weighted, Some(7.0), &[0.75, 0.25])),
        // The same weights in percent give the same result.
        ("weighted in percent", &[(8.0, Some(75.0)), (4.0, Some(25.0))],
            (2, 12.0, Some(6.0), Weighting::Weighted, Some(7.0), &[0.75, 0.25])),
        // A zero weight takes the item out of the weighted total.
        ("a zero weight", &[(8.0, Some(1.0)), (2.0, Some(0.0))],
            (2, 10.0, Some(5.0), Weighting::Weighted, Some(8.0), &[1.0, 0.0])),
        ("partial", &[(8.0, Some(1.0)), (2.0, None), (3.0, None)],
            (3, 13.0, Some(13.0 / 3.0), Weighting::Partial { missing: 2 }, None, &[])),
        ("all zero", &[(8.0, Some(0.0)), (2.0, Some(0.0))],
            (2, 10.0, Some(5.0), Weighting::ZeroSum, None, &[])),
    ];
    for (name, items, expected) in cases {
        let texts: Vec<String> = (0..items.len()).map(|k| format!("item {k}")).collect();
        let literal: Vec<(Quadrant, &str, &[f64], Option<f64>)> = items
            .iter()
            .zip(&texts)
            .map(|((score, weight), text)| (S, text.as_str(), std::slice::from_ref(score), *weight))
            .collect();
        let workbench = build(&[(DEFAULT_US_NAME, &literal)]);
        let totals = board_totals(&workbench.us);
        let t = totals.get(S);
        let (n, total, mean, weighting, weighted, shares) = *expected;
        assert_eq!((t.items, t.weighting), (n, weighting), "{name}");
        assert!(close(t.total, total), "{name}: total {}", t.total);
        assert!(close_opt(t.mean, mean), "{name}: mean {:?}", t.mean);
        assert!(
            close_opt(t.weighted_total, weighted),
            "{name}: {:?}",
            t.weighted_total
        );
        let got: Vec<f64> = t.shares.iter().map(|s| s.share).collect();
        assert_eq!(got.len(), shares.len(), "{name}");
        assert!(
            got.iter().zip(shares).all(|(a, b)| close(*a, *b)),
            "{name}: {got:?}"
        );
        let sum: f64 = t.shares.iter().map(|s| s.weighted_score).sum();
        if let Some(w) = t.weighted_total {
            assert!(close(sum, w) || t.items == 0, "{name}");
        }
        // The other quadrants are empty.
        for q in [W, O, T] {
            assert_eq!(totals.get(q).total, 0.0, "{name}");
        }
    }
}

#[test]
fn position_and_tows_quadrant() {
    type Case = (
        &'static str,
        &'static [(Quadrant, f64, Option<f64>)],
        PositionBasis,
        Option<(f64, f64, TowsQuadrant, bool)>,
    );
    let totals = PositionBasis::Totals;
    let weighted = PositionBasis::Weighted;
    #[rustfmt::skip]
    let cases: &[Case] = &[
        ("empty board", &[], totals, None),
        ("SO", &[(S, 8.0, None), (W, 6.0, None), (O, 7.0, None), (T, 5.0, None)], totals,
            Some((2.0, 2.0, TowsQuadrant::SO, false))),
        ("ST", &[(S, 9.0, None), (W, 2.0, None), (O, 3.0, None), (T, 8.0, None)], totals,
            Some((7.0, -5.0, TowsQuadrant::ST, false))),
        ("WO", &[(S, 2.0, None), (W, 9.0, None), (O, 8.0, None), (T, 3.0, None)], totals,
            Some((-7.0, 5.0, TowsQuadrant::WO, false))),
        ("WT", &[(W, 5.0, None), (T, 3.0, None)], totals,
            Some((-5.0, -3.0, TowsQuadrant::WT, false))),
        // Ties at exactly 0 go to the favourable side and are flagged as on an axis.
        ("x = 0", &[(S, 8.0, None), (W, 8.0, None), (O, 5.0, None), (T, 7.0, None)], totals,
            Some((0.0, -2.0, TowsQuadrant::ST, true))),
        ("y = 0", &[(W, 5.0, None)], totals,
            Some((-5.0, 0.0, TowsQuadrant::WO, true))),
        ("origin", &[(S, 5.0, None), (W, 5.0, None)], totals,
            Some((0.0, 0.0, TowsQuadrant::SO, true))),
        // 1.1 + 2.2 − 3.3 is 4.4e-16 in floating point: snapped to a tie.
        ("rounding noise", &[(S, 1.1, None), (S, 2.2, None), (W, 3.3, None), (T, 1.0, None)], totals,
            Some((0.0, -1.0, TowsQuadrant::ST, true))),
        // Weighted: S = 0.75 × 8 + 0.25 × 2 = 6.5 against W = 7 → x = −0.5; O = 6, T = 0.
        ("weighted", &[(S, 8.0, Some(3.0)), (S, 2.0, Some(1.0)), (W, 7.0, None), (O, 6.0, None)], weighted,
            Some((-0.5, 6.0, TowsQuadrant::WO, false))),
        // The same board on totals: x = 10 − 7 = 3.
        ("weighted as totals", &[(S, 8.0, Some(3.0)), (S, 2.0, Some(1.0)), (W, 7.0, None), (O, 6.0, None)], totals,
            Some((3.0, 6.0, TowsQuadrant::SO, false))),
        ("weighted, partial", &[(S, 8.0, Some(3.0)), (S, 2.0, None), (W, 7.0, None)], weighted, None),
        ("weighted, all zero", &[(T, 8.0, Some(0.0))], weighted, None),
    ];
    for (name, items, basis, expected) in cases {
        let texts: Vec<String> = (0..items.len()).map(|k| format!("item {k}")).collect();
        let literal: Vec<(Quadrant, &str, &[f64], Option<f64>)> = items
            .iter()
            .zip(&texts)
            .map(|((q, score, weight), text)| {
                (*q, text.as_str(), std::slice::from_ref(score), *weight)
            })
            .collect();
        let workbench = build(&[(DEFAULT_US_NAME, &literal)]);
        let got = position(&workbench.us, *basis).map(|p| (p.x, p.y, p.tows, p.on_axis));
        assert_eq!(got, *expected, "{name}");
    }
}

#[test]
fn tows_meanings_exist_in_both_languages() {
    use valuelens::i18n::{tows_meaning, tows_strategy, Lang};
    for tows in TowsQuadrant::ALL {
        assert!(tows_strategy(tows, Lang::Zh).contains(tows.as_str()));
        assert!(tows_strategy(tows, Lang::En).contains(tows.as_str()));
        assert!(
            !tows_meaning(tows, Lang::Zh).is_empty() && !tows_meaning(tows, Lang::En).is_empty()
        );
    }
    assert_eq!(
        tows_strategy(TowsQuadrant::WT, Lang::Zh),
        "防御型战略（WT）"
    );
}

// ---------------------------------------------------------------------------------------------
// CSV export and the round trip

fn tricky_workbench() -> Workbench {
    build(&[
        (
            DEFAULT_US_NAME,
            &[
                (S, "品牌知名度高", &[8.0, 9.0, 7.5], Some(0.1)),
                (S, "=HYPERLINK(\"http://x\")", &[6.0], None),
                (W, "price, \"premium\"\nand slow", &[5.25], Some(3.0)),
                (O, "-12.5", &[1.0], Some(0.0)),
                (T, "@rivals", &[10.0, 1.0], None),
            ],
        ),
        ("竞争对手, A", &[(S, "+cheap", &[7.0], None)]),
        ("=evil", &[(T, "雨季", &[2.0, 3.0], Some(1e-7))]),
    ])
}

#[test]
fn export_is_safe_csv_with_one_row_per_score() {
    let workbench = build(&[
        (
            DEFAULT_US_NAME,
            &[
                (S, "brand", &[8.0, 9.0], Some(0.5)),
                (W, "=cmd", &[6.0], None),
            ],
        ),
        ("A", &[(T, "-x", &[7.5], None)]),
    ]);
    assert_eq!(
        workbench_csv(&workbench, &SwotCsvLabels::default()),
        "\u{feff}competitor,quadrant,item,score,weight,respondent\r\n\
         ,Strengths,brand,8,0.5,1\r\n\
         ,Strengths,brand,9,0.5,2\r\n\
         ,Weaknesses,'=cmd,6,,\r\n\
         A,Threats,'-x,7.5,,\r\n"
    );
    assert_eq!(
        workbench_csv(
            &workbench,
            &valuelens::i18n::swot_csv_labels(valuelens::i18n::Lang::Zh)
        )
        .lines()
        .next(),
        Some("\u{feff}竞争对手,象限,项目,评分,权重,评分人")
    );
}

#[test]
fn export_then_import_gives_the_same_boards() {
    for labels in [
        SwotCsvLabels::default(),
        valuelens::i18n::swot_csv_labels(valuelens::i18n::Lang::Zh),
    ] {
        // Every competitor has items: all boards come back.
        let workbench = tricky_workbench();
        let csv = workbench_csv(&workbench, &labels);
        let import = import_swot_csv(csv.as_bytes(), LanguageHint::default()).unwrap();
        assert_eq!(import.rows_rejected, 0, "{:?}", import.errors);
        assert_eq!(
            without_ids(&import.workbench),
            without_ids(&workbench),
            "{labels:?}"
        );

        // A new workbench with our items only: the default competitors come back empty.
        let mut workbench = Workbench::default();
        workbench
            .add_item(workbench.us.id, O, "政策扶持", 7.0)
            .unwrap();
        let csv = workbench_csv(&workbench, &labels);
        let import = import_swot_csv(csv.as_bytes(), LanguageHint::default()).unwrap();
        assert_eq!(
            without_ids(&import.workbench),
            without_ids(&workbench),
            "{labels:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Saving in the browser

#[test]
fn json_round_trip_keeps_everything_including_ids() {
    let workbench = tricky_workbench();
    let json = workbench.to_json().unwrap();
    assert!(json.contains(&format!("\"version\":{FORMAT_VERSION}")));
    assert_eq!(Workbench::from_json(&json).unwrap(), workbench);
    let default = Workbench::default();
    assert_eq!(
        Workbench::from_json(&default.to_json().unwrap()).unwrap(),
        default
    );
}

#[test]
fn saved_boards_that_break_a_rule_are_refused() {
    let valid: serde_json::Value =
        serde_json::from_str(&tricky_workbench().to_json().unwrap()).unwrap();
    type Change = fn(&mut serde_json::Value);
    #[rustfmt::skip]
    let cases: &[(&str, Change, Option<&str>)] = &[
        ("newer version", |v| v["version"] = 2.into(), Some("format version 2 is not supported")),
        ("version 0", |v| v["version"] = 0.into(), Some("format version 0")),
        ("score 11", |v| v["us"]["items"][0]["scores"][1] = 11.0.into(), Some("no score or one not from 1 to 10")),
        ("no scores", |v| v["us"]["items"][0]["scores"] = serde_json::json!([]), Some("no score")),
        ("negative weight", |v| v["us"]["items"][0]["weight"] = (-1.0).into(), Some("weight out of range")),
        ("empty text", |v| v["us"]["items"][1]["text"] = " ".into(), Some("empty or untrimmed text")),
        ("same text twice", |v| v["us"]["items"][1]["text"] = "品牌知名度高".into(), Some("repeats a text")),
        ("same id twice", |v| v["us"]["items"][1]["id"] = v["us"]["items"][0]["id"].clone(), Some("used twice")),
        ("same name twice", |v| v["competitors"][1]["name"] = "竞争对手, A".into(), Some("two boards are named")),
        ("competitor named us", |v| v["competitors"][0]["name"] = "本公司".into(), Some("means us")),
        ("unknown quadrant", |v| v["us"]["items"][0]["quadrant"] = "Luck".into(), Some("unknown variant")),
        ("a string, not boards", |v| *v = "[1, 2".into(), Some("invalid type")),
        // A stale id counter is raised, not refused.
        ("stale next_id", |v| v["next_id"] = 1.into(), None),
    ];
    for (name, change, expected) in cases {
        let mut value = valid.clone();
        change(&mut value);
        let result = Workbench::from_json(&value.to_string());
        match (expected, result) {
            (Some(fragment), Err(Error::Format { what, reason })) => {
                assert_eq!(what.to_string(), "the saved SWOT boards", "{name}");
                assert!(reason.to_string().contains(fragment), "{name}: {reason}");
            }
            (None, Ok(workbench)) => {
                let largest = workbench
                    .boards()
                    .flat_map(|b| b.items.iter().map(|i| i.id).chain([b.id]))
                    .max();
                assert_eq!(Some(workbench.next_id), largest.map(|id| id + 1), "{name}");
            }
            (_, other) => panic!("{name}: {other:?}"),
        }
    }
    assert!(Workbench::from_json("").is_err());
}

// ---------------------------------------------------------------------------------------------
// Hints from customer data

fn summary(
    customers: usize,
    repeat_customers: usize,
    sales: f64,
    profit: Option<f64>,
    rows: (u64, u64, u64),
) -> Summary {
    Summary {
        rows_read: rows.0,
        rows_rejected: rows.1,
        return_rows: rows.2,
        customers,
        orders: customers as u64 * 2,
        total_sales: sales,
        total_profit: profit,
        repeat_customers,
        first_day: None,
        last_day: None,
    }
}

#[test]
fn hints_follow_the_documented_thresholds() {
    type Case = (
        &'static str,
        Summary,
        Option<f64>,
        &'static [(HintKind, Quadrant, &'static str, &'static str, f64)],
    );
    #[rustfmt::skip]
    let cases: Vec<Case> = vec![
        ("too few customers", summary(9, 9, 1000.0, Some(500.0), (100, 0, 50)), Some(0.9), &[]),
        ("concentrated, loyal", summary(100, 65, 1000.0, None, (300, 0, 0)), Some(0.51), &[
            (HintKind::Concentration, T, "前 10% 的客户贡献了 51% 的销售额（客户集中）",
                "The top 10 % of customers make 51 % of sales (customer concentration)", 7.0),
            (HintKind::LoyalCustomers, S, "复购率 65%：多数客户重复购买",
                "Repeat-purchase rate 65 %: most customers buy again", 7.0),
        ]),
        // Returns: 12 of 105 − 5 = 100 accepted rows.
        ("spread, few repeat, thin margin, returns", summary(100, 20, 1000.0, Some(50.0), (105, 5, 12)), Some(0.25), &[
            (HintKind::BroadBase, S, "销售分散：前 10% 的客户只占 25% 的销售额",
                "Sales are spread: the top 10 % of customers make only 25 % of sales", 6.0),
            (HintKind::FewRepeatCustomers, W, "复购率仅 20%：多数客户只买一次",
                "Repeat-purchase rate only 20 %: most customers buy once", 7.0),
            (HintKind::LowMargin, W, "净利率仅 5%（盈利能力弱）", "Net margin only 5 % (weak profitability)", 6.0),
            (HintKind::Returns, W, "12% 的订单行是退货", "12 % of order lines are returns", 5.0),
        ]),
        ("middling, high margin", summary(50, 20, 1000.0, Some(350.0), (100, 0, 9)), Some(0.4), &[
            (HintKind::HighMargin, S, "净利率 35%（盈利能力强）", "Net margin 35 % (strong profitability)", 6.0),
        ]),
        ("loss, no decile share", summary(50, 20, 1000.0, Some(-80.0), (100, 0, 0)), None, &[
            (HintKind::LowMargin, W, "净利率仅 -8%（盈利能力弱）", "Net margin only -8 % (weak profitability)", 6.0),
        ]),
        // Exactly on the thresholds: 50 % concentration and 60 % repeat count; a 10 % margin is
        // not below 10 %.
        ("on the thresholds", summary(10, 6, 1000.0, Some(100.0), (10, 0, 0)), Some(0.5), &[
            (HintKind::Concentration, T, "前 10% 的客户贡献了 50% 的销售额（客户集中）",
                "The top 10 % of customers make 50 % of sales (customer concentration)", 7.0),
            (HintKind::LoyalCustomers, S, "复购率 60%：多数客户重复购买",
                "Repeat-purchase rate 60 %: most customers buy again", 7.0),
        ]),
        // 30 % repeat is not below 30 %; 30 % concentration is the broad-base edge.
        ("repeat exactly 30 %", summary(10, 3, 1000.0, None, (10, 0, 0)), Some(0.3), &[
            (HintKind::BroadBase, S, "销售分散：前 10% 的客户只占 30% 的销售额",
                "Sales are spread: the top 10 % of customers make only 30 % of sales", 6.0),
        ]),
    ];
    for (name, summary, top10, expected) in cases {
        let hints = hints_from_customers(&summary, top10, &HintConfig::default()).unwrap();
        use valuelens::i18n::{swot_hint_text, Lang};
        let texts: Vec<(String, String)> = hints
            .iter()
            .map(|h| (swot_hint_text(h, Lang::Zh), swot_hint_text(h, Lang::En)))
            .collect();
        let got: Vec<(HintKind, Quadrant, &str, &str, f64)> = hints
            .iter()
            .zip(&texts)
            .map(|(h, (zh, en))| {
                (
                    h.kind,
                    h.quadrant,
                    zh.as_str(),
                    en.as_str(),
                    h.suggested_score,
                )
            })
            .collect();
        assert_eq!(got, expected, "{name}");
        // Every hint can be added to a board as suggested.
        let mut workbench = Workbench::default();
        for hint in &hints {
            workbench
                .add_item(
                    workbench.us.id,
                    hint.quadrant,
                    &swot_hint_text(hint, Lang::Zh),
                    hint.suggested_score,
                )
                .unwrap();
        }
    }
    let bad = HintConfig {
        repeat_weak: 0.7,
        ..HintConfig::default()
    };
    let refused = hints_from_customers(&summary(100, 50, 1.0, None, (1, 0, 0)), None, &bad);
    assert!(matches!(refused, Err(Error::Parameter { name, .. }) if name == "repeat_weak"));
}

// ---------------------------------------------------------------------------------------------
// Properties (native only: proptest does not build for wasm32)

#[cfg(not(target_arch = "wasm32"))]
mod props {
    use super::*;
    use proptest::collection::vec;
    use proptest::prelude::*;
    use proptest::sample::select;

    fn hint() -> impl Strategy<Value = LanguageHint> {
        select(vec![
            LanguageHint::SimplifiedChinese,
            LanguageHint::TraditionalChinese,
            LanguageHint::Other,
        ])
    }

    /// CSV-like text from pieces that matter to the importer.
    fn swot_like_text() -> impl Strategy<Value = String> {
        let pieces = select(vec![
            "quadrant",
            "item",
            "score",
            "weight",
            "respondent",
            "competitor",
            "象限",
            "评分",
            "S",
            "W",
            "o",
            "T",
            "优势",
            "威脅",
            "X",
            "",
            "8",
            "11",
            "7,5",
            "0",
            "abc",
            "30%",
            "8分",
            "-1",
            "我方",
            "A",
            "ann",
            "\"",
            "\"a,b\"",
            ",",
            ";",
            "\t",
            "\n",
            "\r\n",
            "\r",
            "sep=;",
            "'=x",
            " ",
            "\u{feff}",
        ]);
        vec(pieces, 0..60).prop_map(|pieces| pieces.concat())
    }

    fn check_outcome(result: Result<SwotImport, Error>) {
        if let Ok(import) = result {
            assert_eq!(
                import.rows_read,
                import.rows_accepted + import.rows_rejected
            );
            assert!(import.rows_accepted > 0);
            import.workbench.validate().unwrap();
            let json = import.workbench.to_json().unwrap();
            assert_eq!(Workbench::from_json(&json).unwrap(), import.workbench);
        }
    }

    /// Item texts from characters that matter to CSV and to the formula guard (no `'`, which
    /// the import would take for the guard's quote before `=`).
    fn text() -> impl Strategy<Value = String> {
        vec(
            select(vec![
                'a', 'b', ' ', ',', '"', '\n', '=', '-', '+', '@', '优', '勢', ';', '\t',
            ]),
            1..8,
        )
        .prop_map(|chars| chars.into_iter().collect())
    }

    /// Scores as people type them, up to three decimals: serde_json's default float parser
    /// (without the `float_roundtrip` feature) may read a 17-digit number an ulp off, while
    /// short decimals come back exactly, and the CSV round trip is exact for every value.
    fn score() -> impl Strategy<Value = f64> {
        prop_oneof![
            (1000..=10000u32).prop_map(|n| f64::from(n) / 1000.0),
            select(vec![1.0, 10.0, 7.5])
        ]
    }

    fn any_score() -> impl Strategy<Value = f64> {
        prop_oneof![1.0..=10.0f64, score()]
    }

    type ItemSpec = (usize, usize, String, Vec<f64>, Option<f64>);

    fn items() -> impl Strategy<Value = Vec<ItemSpec>> {
        vec(
            (
                0..3usize,
                0..4usize,
                text(),
                vec(any_score(), 1..4),
                proptest::option::of(prop_oneof![0.0..1e6f64, select(vec![0.0, 0.1, 1e15])]),
            ),
            0..12,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn any_bytes_are_imported_or_refused_without_panic(bytes in vec(any::<u8>(), 0..400), hint in hint()) {
            check_outcome(import_swot_csv(&bytes, hint));
        }

        #[test]
        fn swot_like_text_is_imported_or_refused_without_panic(text in swot_like_text(), hint in hint()) {
            check_outcome(import_swot_csv(text.as_bytes(), hint));
            let gbk = encoding_rs::GBK.encode(&text).0;
            check_outcome(import_swot_csv(&gbk, hint));
        }

        #[test]
        fn export_then_import_round_trips(items in items(), chinese in any::<bool>()) {
            // Our board and competitors P and Q; texts a quadrant already has are skipped.
            let mut workbench = Workbench::new(DEFAULT_US_NAME).unwrap();
            let boards = [
                workbench.us.id,
                workbench.add_competitor("P").unwrap(),
                workbench.add_competitor("Q, \"Ltd\"").unwrap(),
            ];
            for (board, quadrant, text, scores, weight) in items {
                if let Ok(id) = workbench.add_item(boards[board], Quadrant::ALL[quadrant], &text, scores[0]) {
                    workbench.set_scores(id, &scores).unwrap();
                    workbench.set_weight(id, weight).unwrap();
                }
            }
            let labels = if chinese { valuelens::i18n::swot_csv_labels(valuelens::i18n::Lang::Zh) } else { SwotCsvLabels::default() };
            let csv = workbench_csv(&workbench, &labels);
            // Competitors without items are not in the file; without any, A–D come back.
            let mut expected = workbench.clone();
            expected.competitors.retain(|b| !b.is_empty());
            if expected.competitors.is_empty() {
                expected = Workbench::default();
                expected.us = workbench.us.clone();
            }
            match import_swot_csv(csv.as_bytes(), LanguageHint::default()) {
                Ok(import) => {
                    prop_assert_eq!(import.rows_rejected, 0);
                    prop_assert_eq!(without_ids(&import.workbench), without_ids(&expected));
                }
                Err(error) => {
                    prop_assert!(workbench.boards().all(Board::is_empty), "{error}");
                    prop_assert_eq!(error, Error::HeaderOnly);
                }
            }
        }

        #[test]
        fn any_sequence_of_edits_keeps_the_rules(ops in vec((0..9u8, 0..40u64, 0..4usize, text(), -100..1200i32), 0..40)) {
            let mut workbench = Workbench::default();
            for (op, id, quadrant, text, hundredths) in ops {
                let number = f64::from(hundredths) / 100.0;
                let quadrant = Quadrant::ALL[quadrant];
                // Ids are small numbers, so most edits hit an existing board or item.
                let _ = match op {
                    0 => workbench.add_item(id % 8, quadrant, &text, number).map(drop),
                    1 => workbench.set_text(id, &text),
                    2 => workbench.set_score(id, number),
                    3 => workbench.set_weight(id, Some(number)),
                    4 => workbench.set_quadrant(id, quadrant),
                    5 => workbench.move_item(id, if number > 5.0 { MoveDirection::Up } else { MoveDirection::Down }).map(drop),
                    6 => workbench.delete_item(id).map(drop),
                    7 => workbench.add_competitor(&text).map(drop),
                    _ => workbench.remove_competitor(id % 8).map(drop),
                };
                prop_assert!(workbench.validate().is_ok(), "{:?}", workbench.validate());
                for board in workbench.boards() {
                    let totals = board_totals(board);
                    for q in Quadrant::ALL {
                        let t = totals.get(q);
                        prop_assert!(t.total >= t.items as f64 && t.total <= 10.0 * t.items as f64);
                    }
                }
            }
            let json = workbench.to_json().unwrap();
            prop_assert_eq!(Workbench::from_json(&json).unwrap(), workbench);
        }
    }
}

/// Issue 18, item 8: the bounds a workspace file is held to are the bounds of every edit and of
/// the CSV import, so nothing the app makes is refused when it comes back.
#[test]
fn edits_and_imports_keep_the_workbench_bounds() {
    use valuelens::engine::swot::{
        MAX_COMPETITORS, MAX_ITEMS_PER_QUADRANT, MAX_RESPONDENTS, MAX_TEXT_CHARS,
    };
    use valuelens::engine::workspace::{WorkspacePart as Part, WorkspaceProblem as Problem};
    let too_many = |error: Error| match error {
        Error::Workspace(Problem::TooMany {
            part, count, max, ..
        }) => (part, count, max),
        other => panic!("expected a bound, got {other:?}"),
    };
    let mut workbench = Workbench::new("Us").unwrap();
    let us = workbench.us.id;
    for k in 0..MAX_ITEMS_PER_QUADRANT {
        workbench.add_item(us, S, &format!("s{k}"), 5.0).unwrap();
    }
    let max_items = MAX_ITEMS_PER_QUADRANT as u64;
    assert_eq!(
        too_many(workbench.add_item(us, S, "one more", 5.0).unwrap_err()),
        (Part::QuadrantItems, max_items + 1, max_items)
    );
    let other = workbench.add_item(us, W, "w", 5.0).unwrap();
    assert_eq!(
        too_many(workbench.set_quadrant(other, S).unwrap_err()),
        (Part::QuadrantItems, max_items + 1, max_items)
    );
    let scores = vec![5.0; MAX_RESPONDENTS + 1];
    assert_eq!(
        too_many(workbench.set_scores(other, &scores).unwrap_err()),
        (
            Part::Respondents,
            MAX_RESPONDENTS as u64 + 1,
            MAX_RESPONDENTS as u64
        )
    );
    let long = "长".repeat(MAX_TEXT_CHARS + 1);
    assert!(matches!(
        workbench.set_text(other, &long),
        Err(Error::Workspace(Problem::TooLong { part: Part::ItemText, chars, .. }))
            if chars == MAX_TEXT_CHARS as u64 + 1
    ));
    assert!(workbench
        .set_text(other, &long[..MAX_TEXT_CHARS * 3])
        .is_ok());
    assert!(workbench.check_limits().is_ok());
    // A CSV naming one competitor more than a workbench holds is refused as a whole.
    let csv: String = std::iter::once("quadrant,item,score,competitor\n".to_string())
        .chain((0..=MAX_COMPETITORS).map(|k| format!("S,brand,5,rival {k}\n")))
        .collect();
    assert_eq!(
        too_many(import_swot_csv(csv.as_bytes(), LanguageHint::Other).unwrap_err()),
        (
            Part::Competitors,
            MAX_COMPETITORS as u64 + 1,
            MAX_COMPETITORS as u64
        )
    );
}
