//! A Chinese UI never shows an English sentence: every variant of every error, reason and hint
//! enum the UI can show, rendered by `i18n` in Chinese, holds no run of English words.
//!
//! The browser test `tests/e2e/zh-messages.test.mjs` drives the page through the paths a user can
//! reach; this test covers every variant, also those the browser cannot easily reach (a worker
//! that fails to start, a chart the drawing library refuses, an id that runs out).
//!
//! **The rule** (the same in both tests): take the text the UI shows; remove the user's own data
//! in it (file names, column names, cell values, board and item names: here all chosen without
//! Latin letters, or listed per case) and the allowed tokens ([`ALLOWED`]: names of formats,
//! encodings, methods and products that Chinese text writes in Latin letters, such as CSV, GBK,
//! RFM, SWOT, TOWS, Excel, ValueLens), each only where it stands as a whole word; what is left must hold no *English run*: two or more Latin
//! words of at least two letters each, with nothing but ASCII spaces, digits, punctuation and
//! single letters between them (`expected a number`, `line 5, column 3: a quote`). A single
//! English word next to Chinese text is not a sentence and is allowed: a parameter's identifier
//! (`score`, `grow_from_share`: letters joined by `_` are one word) names the field the engine
//! checked. One letter such as R, F, M or S/W/O/T is never a word here.
//!
//! **Coverage**: each enum's variants are listed in an exhaustive `match` (no wildcard) by the
//! `every!` macro, so a new variant does not compile until it is listed here, and the test fails
//! until a sample of it is rendered.

use valuelens::engine::error::ParquetProblem;
use valuelens::engine::formats::{FileKind, TableProblem};
use valuelens::engine::ingest::columns::Role;
use valuelens::engine::ingest::{Concern, SummaryRole};
use valuelens::engine::swot::{HintKind, Quadrant, SwotColumn, SwotHint, TowsQuadrant};
use valuelens::engine::workspace::{WorkspacePart, WorkspaceProblem};
use valuelens::engine::{
    BinaryKind, ChartProblem, ContentPart, CountUnit, Error, FitModel, FormatProblem,
    FormatSubject, FractionOf, InvalidContent, ItemProblem, ModelProblem, ParameterProblem,
    RfmAxis, RowError, RowProblem,
};
use valuelens::i18n::{
    concern_text, error_text, format_problem_text, parameter_problem_text, refusal_text,
    row_error_text, row_problem_text, swot_hint_text, tows_meaning, tows_strategy, Lang, Text,
};

/// Tokens that Chinese text writes in Latin letters: formats, encodings, methods, products and
/// units. Keep in step with `ALLOWED` in `tests/e2e/zh-messages.test.mjs`.
const ALLOWED: &[&str] = &[
    "UTF-16",
    "UTF-8",
    "Big5",
    "GBK",
    "BOM",
    "CSV",
    "TSV",
    "JSON",
    "SVG",
    "PNG",
    "PDF",
    "JPEG",
    "GIF",
    "WebP",
    "ZIP",
    "gzip",
    "RAR",
    "7-Zip",
    "WebAssembly",
    "SQLite",
    "DuckDB",
    "Spark",
    "Excel",
    ".xlsx",
    ".xls",
    "Office",
    "RFM",
    "BG/NBD",
    "Gamma-Gamma",
    "Calinski-Harabasz",
    "k-means++",
    "k-means",
    "Jaccard",
    "Hennig",
    "Lloyd",
    "SWOT",
    "TOWS",
    "SO",
    "ST",
    "WO",
    "WT",
    "Gini",
    "ValueLens",
    "MiB",
    // Parquet and its codecs (issue 17): names, as the files and tools spell them.
    "Parquet",
    "PAR1",
    "UNCOMPRESSED",
    "SNAPPY",
    "GZIP",
    "ZSTD",
    "BROTLI",
    "LZ4_RAW",
    "LZ4",
    "LZO",
];

/// The English runs left in `text` after removing `data` (the user's values) and [`ALLOWED`].
fn english_runs(text: &str, data: &[&'static str]) -> Vec<String> {
    // Both removed as whole words, longest first; a value without a Latin letter cannot make an
    // English run and is left alone.
    let words = |values: &[&'static str]| {
        let mut words: Vec<&'static str> = values
            .iter()
            .copied()
            .filter(|v| v.bytes().any(|b| b.is_ascii_alphabetic()))
            .collect();
        words.sort_by_key(|v| std::cmp::Reverse(v.len()));
        words
    };
    let mut rest = text.to_string();
    for value in words(data).into_iter().chain(words(ALLOWED)) {
        rest = remove_word(&rest, value);
    }
    runs(&rest)
}

/// `text` without `token` where it stands as a whole word (no ASCII letter on either side).
fn remove_word(text: &str, token: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(token) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + token.len()..].chars().next();
        let letter = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphabetic());
        let (keep, skip) = if letter(before) || letter(after) {
            (at + token.len(), 0)
        } else {
            (at, token.len())
        };
        out.push_str(&rest[..keep]);
        rest = &rest[keep + skip..];
    }
    out.push_str(rest);
    out
}

/// Runs of two or more ASCII words of two or more letters, separated only by ASCII non-letters
/// and one-letter words.
fn runs(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    // The run so far: its start (byte), end, and how many long words it has.
    let mut run: Option<(usize, usize, usize)> = None;
    let mut close = |run: &mut Option<(usize, usize, usize)>| {
        if let Some((start, end, words)) = run.take() {
            if words >= 2 {
                found.push(text[start..end].to_string());
            }
        }
    };
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_alphabetic() {
            let start = i;
            // An identifier (`grow_from_share`) is one word.
            while i < bytes.len() && (bytes[i].is_ascii_alphabetic() || bytes[i] == b'_') {
                i += 1;
            }
            let long = i - start >= 2;
            run = match run {
                Some((s, _, words)) => Some((s, i, words + usize::from(long))),
                None if long => Some((start, i, 1)),
                None => None,
            };
        } else if bytes[i].is_ascii() {
            i += 1;
        } else {
            // Any non-ASCII character (Chinese text, a Chinese quote mark) ends a run.
            close(&mut run);
            i += 1;
        }
    }
    close(&mut run);
    found
}

#[test]
fn the_rule_finds_english_runs_and_nothing_else() {
    let cases: &[(&str, &[&str], usize)] = &[
        ("第 7 行，列“金额”：应为数字，实际为“N/A”", &[], 0),
        ("参数“score”：11 不是 1 到 10 分的评分", &[], 0),
        ("参数“score”：11 is not a score from 1 to 10", &[], 1),
        ("第 5 行：expected a number", &[], 1),
        ("line 5, column 3", &[], 1),
        ("这不是文本文件（ZIP 压缩包或 Excel .xlsx 工作簿）", &[], 0),
        ("无法读取 SWOT CSV 文件", &[], 0),
        ("R、F、M 分布；S/W/O/T", &[], 0),
        ("未打开“big data.csv”：正在导入", &["big data.csv"], 0),
        ("the CSV file", &[], 1),
        ("UTF-8 GBK Big5 UTF-16", &[], 0),
        ("PDFs are here", &[], 1),
        ("0.3 须大于 grow_from_share 且不超过 1", &[], 0),
    ];
    for (text, data, expected) in cases {
        assert_eq!(
            english_runs(text, data).len(),
            *expected,
            "{text}: {:?}",
            english_runs(text, data)
        );
    }
}

/// Asserts the rule for one Chinese text; also that it is Chinese at all.
fn assert_chinese(what: &str, text: &str, data: &[&'static str]) {
    let found = english_runs(text, data);
    assert!(found.is_empty(), "{what}: English in “{text}”: {found:?}");
    assert!(
        text.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)),
        "{what}: no Chinese in “{text}”"
    );
}

/// Lists every variant of `$ty` as patterns in an exhaustive match and checks that `$samples`
/// has one of each; evaluates to the samples.
macro_rules! every {
    ($ty:ty, [$($pat:pat),+ $(,)?], $samples:expr) => {{
        #[allow(unused_variables)]
        fn arm(value: &$ty) -> &'static str {
            match value {
                $($pat => stringify!($pat),)+
            }
        }
        let samples: Vec<$ty> = $samples;
        for name in [$(stringify!($pat)),+] {
            assert!(
                samples.iter().any(|s| arm(s) == name),
                "{}: no sample of {name}",
                stringify!($ty)
            );
        }
        samples
    }};
}

fn row_problems() -> Vec<RowProblem> {
    use RowProblem::*;
    every!(
        RowProblem,
        [
            Missing,
            NotANumber,
            NotADate,
            TooFewColumns,
            BadEncoding,
            UnknownQuadrant,
            ScoreOutOfRange,
            WeightOutOfRange,
            DuplicateScore,
            ExtraColumns { .. },
            SplitNumber { .. },
            RunawayQuote { .. },
            RecordTooLong { .. },
            NotOnScale { .. },
            NoAnswer,
            NotACount { .. },
            FirstAfterLast,
            DuplicateCustomer,
            UnknownCustomer,
            NotAMonth,
            DuplicateMonth,
        ],
        vec![
            Missing,
            NotANumber,
            NotADate,
            TooFewColumns,
            BadEncoding,
            UnknownQuadrant,
            ScoreOutOfRange,
            WeightOutOfRange,
            DuplicateScore,
            ExtraColumns {
                found: 7,
                expected: 5
            },
            SplitNumber {
                found: 7,
                expected: 6
            },
            RunawayQuote { lines: 298 },
            RecordTooLong { lines: 3 },
            NotOnScale { min: 1, max: 5 },
            NoAnswer,
            NotACount { min: 1 },
            FirstAfterLast,
            DuplicateCustomer,
            UnknownCustomer,
            NotAMonth,
            DuplicateMonth,
        ]
    )
}

/// A rejected row whose column and value are the user's (no Latin letters here; the browser test
/// has English ones).
fn row_error(problem: RowProblem) -> RowError {
    RowError {
        line: 1042,
        column: "金额".into(),
        value: "一二三".into(),
        problem,
    }
}

fn parameter_problems() -> Vec<ParameterProblem> {
    use ParameterProblem::*;
    let mut samples = every!(
        ParameterProblem,
        [
            DayOutOfRange,
            NotBetween { .. },
            BelowMinimum { .. },
            NotOneOf { .. },
            NotAFraction { .. },
            NotAbove { .. },
            OutOfRange { .. },
            NoProfitColumn,
            TooFewWholePeriods { .. },
            CalibrationEndOutside { .. },
            NoPurchaseDates,
            BeforeLatestPurchase { .. },
            RuleScale { .. },
            RuleCount { .. },
            RuleNameEmpty { .. },
            RuleNameReserved { .. },
            RuleNameTaken { .. },
            RuleRange { .. },
            NotAScore { .. },
            NotAWeight { .. },
            NoScores,
            EmptyName,
            EmptyText,
            NoIdsLeft,
            NoSuchBoard { .. },
            NoSuchCompetitor { .. },
            NoSuchItem { .. },
            OwnBoard,
            MeansUs { .. },
            NameTaken { .. },
            TextTaken { .. },
            NoSurveyAnswerColumn,
            SatisfactionCuts { .. },
        ],
        vec![
            DayOutOfRange,
            NotBetween {
                value: 0,
                min: 1,
                max: 120,
                unit: Some(CountUnit::Months)
            },
            BelowMinimum { value: 0, min: 1 },
            NotOneOf {
                value: 6,
                choices: vec![3, 4, 5, 10]
            },
            NotAFraction {
                value: 1.5,
                zero_allowed: false,
                of: FractionOf::TotalSales
            },
            NotAbove {
                value: 0.3,
                other: "grow_from_share".into()
            },
            OutOfRange { value: -2.0 },
            NoProfitColumn,
            TooFewWholePeriods { whole: 1 },
            CalibrationEndOutside {
                first: valuelens::engine::calendar::Day::from_epoch_days(9_862),
                last: valuelens::engine::calendar::Day::from_epoch_days(10_407),
            },
            NoPurchaseDates,
            BeforeLatestPurchase {
                latest: valuelens::engine::calendar::Day::from_epoch_days(19_727),
            },
            RuleScale {
                value: 7,
                choices: vec![3, 4, 5, 10]
            },
            RuleCount { count: 0, max: 100 },
            RuleNameEmpty { rule: 2 },
            RuleNameReserved {
                rule: 3,
                name: "其他".into(),
                reserved: "其他".into()
            },
            RuleNameTaken {
                rule: 4,
                name: "忠诚客户".into()
            },
            RuleRange {
                rule: 5,
                name: "忠诚客户".into(),
                axis: RfmAxis::F,
                low: 4,
                high: 11,
                scale: 5
            },
            NotAScore { value: 11.0 },
            NotAWeight { value: -1.0 },
            NoScores,
            EmptyName,
            EmptyText,
            NoIdsLeft,
            NoSuchBoard { id: Some(9) },
            NoSuchCompetitor { id: 9 },
            NoSuchItem { id: 9 },
            OwnBoard,
            MeansUs {
                name: "我们".into()
            },
            NameTaken { name: "甲".into() },
            TextTaken {
                text: "价格低".into()
            },
            NoSurveyAnswerColumn,
            SatisfactionCuts {
                bottom: 3,
                satisfied: 2,
                top: 5,
                min: 1,
                max: 5,
            },
        ]
    );
    // The other values of the small enums inside.
    samples.push(NoSuchBoard { id: None });
    samples.push(NotBetween {
        value: 11,
        min: 1,
        max: 10,
        unit: None,
    });
    samples.push(NotAFraction {
        value: 0.0,
        zero_allowed: true,
        of: FractionOf::PreviousSales,
    });
    for axis in every!(
        RfmAxis,
        [RfmAxis::R, RfmAxis::F, RfmAxis::M],
        vec![RfmAxis::R, RfmAxis::F, RfmAxis::M]
    ) {
        samples.push(RuleRange {
            rule: 1,
            name: "新客户".into(),
            axis,
            low: 0,
            high: 6,
            scale: 5,
        });
    }
    every!(
        FractionOf,
        [FractionOf::PreviousSales, FractionOf::TotalSales],
        vec![FractionOf::PreviousSales, FractionOf::TotalSales]
    );
    every!(CountUnit, [CountUnit::Months], vec![CountUnit::Months]);
    samples
}

fn binary_kinds() -> Vec<BinaryKind> {
    use BinaryKind::*;
    every!(
        BinaryKind,
        [
            Png,
            Jpeg,
            Gif,
            WebP,
            Pdf,
            ZipOrXlsx,
            XlsOrOffice,
            Gzip,
            Rar,
            SevenZip,
            WebAssembly,
            Sqlite,
            Parquet,
            Unknown
        ],
        vec![
            Png,
            Jpeg,
            Gif,
            WebP,
            Pdf,
            ZipOrXlsx,
            XlsOrOffice,
            Gzip,
            Rar,
            SevenZip,
            WebAssembly,
            Sqlite,
            Parquet,
            Unknown
        ]
    )
}

fn format_subjects() -> Vec<FormatSubject> {
    use FormatSubject::*;
    every!(
        FormatSubject,
        [
            WorkspaceFile,
            SwotFile,
            SavedBoards,
            File,
            ImportResult,
            ImportSecondHalf,
            Request,
            Response,
            ParquetFile
        ],
        vec![
            WorkspaceFile,
            SwotFile,
            SavedBoards,
            File,
            ImportResult,
            ImportSecondHalf,
            Request,
            Response,
            ParquetFile
        ]
    )
}

/// An English library message, as parsers and the browser give them: never shown in Chinese.
const LIBRARY_MESSAGE: &str = "expected value at line 1 column 1";

fn invalid_contents() -> Vec<InvalidContent> {
    use InvalidContent::*;
    let mut samples = every!(
        InvalidContent,
        [
            NoVersion,
            VersionNotWhole { .. },
            Part { .. },
            ColumnLengths,
            MonthColumns,
            UnsortedIds { .. },
            Shape { .. }
        ],
        vec![
            NoVersion,
            VersionNotWhole {
                value: "1.5".into()
            },
            Part {
                part: ContentPart::SegmentRules,
                error: Box::new(Error::Parameter {
                    name: "segment_rules".into(),
                    reason: ParameterProblem::RuleCount { count: 0, max: 100 },
                }),
            },
            ColumnLengths,
            MonthColumns,
            UnsortedIds { at: "甲".into() },
            Shape {
                detail: format!("missing field `version` {LIBRARY_MESSAGE}")
            },
        ]
    );
    let parts = every!(
        ContentPart,
        [
            ContentPart::ImportSettings,
            ContentPart::DecileParameters,
            ContentPart::RfmParameters,
            ContentPart::SegmentRules,
            ContentPart::SwotBoards,
            ContentPart::DataImportSettings,
            ContentPart::Survey,
        ],
        vec![
            ContentPart::ImportSettings,
            ContentPart::DecileParameters,
            ContentPart::RfmParameters,
            ContentPart::SegmentRules,
            ContentPart::SwotBoards,
            ContentPart::DataImportSettings,
            ContentPart::Survey,
        ]
    );
    for part in parts {
        samples.push(Part {
            part,
            error: Box::new(Error::Parameter {
                name: "bins".into(),
                reason: ParameterProblem::NotOneOf {
                    value: 6,
                    choices: vec![3, 4, 5, 10],
                },
            }),
        });
    }
    samples
}

fn format_problems() -> Vec<FormatProblem> {
    use FormatProblem::*;
    let detail = || LIBRARY_MESSAGE.to_string();
    let mut samples = every!(
        FormatProblem,
        [
            Parser { .. },
            Unwritable { .. },
            Empty,
            CutOff { .. },
            NotJson { .. },
            NotAnObject,
            NoFormatName,
            OtherFormat { .. },
            Invalid(..),
            ColumnLengths,
            Handoff { .. },
            UnsupportedVersion { .. },
            IdTooLarge,
            IdTwice { .. },
            IdNotBelowNext { .. },
            BoardName { .. },
            CompetitorMeansUs { .. },
            BoardNameTwice { .. },
            Item { .. },
            WorkerFailed { .. },
            WorkerStopped { .. },
            NoFileSent,
            Parquet(..),
        ],
        vec![
            Parser { detail: detail() },
            Unwritable { detail: detail() },
            Empty,
            CutOff {
                detail: "EOF while parsing an object at line 3 column 0".into()
            },
            NotJson { detail: detail() },
            NotAnObject,
            NoFormatName,
            OtherFormat {
                format: "某程序".into()
            },
            Invalid(InvalidContent::NoVersion),
            ColumnLengths,
            Handoff {
                detail: "the customer columns are cut short".into()
            },
            UnsupportedVersion {
                version: 9,
                supported: 1
            },
            IdTooLarge,
            IdTwice { id: 3 },
            IdNotBelowNext { id: 7, next: 5 },
            BoardName { board: 2 },
            CompetitorMeansUs {
                name: "我方".into()
            },
            BoardNameTwice { name: "甲".into() },
            Item {
                item: 4,
                board: "甲".into(),
                problem: ItemProblem::Scores
            },
            WorkerFailed {
                detail: "SecurityError: Failed to construct 'Worker'".into()
            },
            WorkerStopped {
                detail: "Uncaught RuntimeError: unreachable executed".into()
            },
            NoFileSent,
            Parquet(ParquetProblem::NotParquet),
        ]
    );
    samples.extend(invalid_contents().into_iter().map(Invalid));
    samples.extend(
        every!(
            ParquetProblem,
            [
                ParquetProblem::NotParquet,
                ParquetProblem::DamagedFooter { .. },
                ParquetProblem::Encrypted,
                ParquetProblem::UnsupportedCompression { .. },
                ParquetProblem::UnsupportedEncoding { .. },
                ParquetProblem::OnlyNestedColumns,
                ParquetProblem::DamagedData { .. },
                ParquetProblem::WrongRowGroupBytes { .. },
            ],
            vec![
                ParquetProblem::NotParquet,
                ParquetProblem::DamagedFooter { detail: detail() },
                ParquetProblem::Encrypted,
                ParquetProblem::UnsupportedCompression {
                    column: "金额".into(),
                    codec: "LZ4_RAW".into(),
                },
                ParquetProblem::UnsupportedEncoding {
                    column: "金额".into(),
                    detail: detail(),
                },
                ParquetProblem::OnlyNestedColumns,
                ParquetProblem::DamagedData {
                    row_group: 2,
                    column: "金额".into(),
                    detail: detail(),
                },
                ParquetProblem::WrongRowGroupBytes {
                    row_group: 0,
                    expected: 10,
                    got: 9,
                },
            ]
        )
        .into_iter()
        .map(Parquet),
    );
    let items = every!(
        ItemProblem,
        [
            ItemProblem::Text,
            ItemProblem::RepeatedText,
            ItemProblem::Scores,
            ItemProblem::Weight
        ],
        vec![
            ItemProblem::Text,
            ItemProblem::RepeatedText,
            ItemProblem::Scores,
            ItemProblem::Weight
        ]
    );
    for problem in items {
        samples.push(Item {
            item: 1,
            board: "乙".into(),
            problem,
        });
    }
    samples
}

fn chart_problems() -> Vec<ChartProblem> {
    every!(
        ChartProblem,
        [ChartProblem::NotFinite { .. }, ChartProblem::Drawing { .. }],
        vec![
            ChartProblem::NotFinite {
                value: f64::INFINITY
            },
            ChartProblem::Drawing {
                detail: "Drawing backend error: the font could not be loaded".into()
            },
        ]
    )
}

fn workspace_problems() -> Vec<WorkspaceProblem> {
    use WorkspacePart::*;
    let parts = every!(
        WorkspacePart,
        [
            Competitors,
            QuadrantItems,
            Respondents,
            ItemText,
            BoardName,
            CustomerId,
            Months,
            Month,
            FirstDay,
            LastDay,
            Rows,
            Orders,
            Returns,
            Sales,
            Profit,
            Quantity,
            MonthSales,
            MonthProfit,
            RowCounts,
            ReturnRows,
            RowErrors,
            ReportDays,
            Columns,
            Headers,
            FileName,
            Cover,
            SavedAt,
            PurchaseDays,
            PurchaseDayLengths,
            CustomerAttributes,
            LineAttributes,
            MasterFile,
            SurveyFile,
        ],
        vec![
            Competitors,
            QuadrantItems,
            Respondents,
            ItemText,
            BoardName,
            CustomerId,
            Months,
            Month,
            FirstDay,
            LastDay,
            Rows,
            Orders,
            Returns,
            Sales,
            Profit,
            Quantity,
            MonthSales,
            MonthProfit,
            RowCounts,
            ReturnRows,
            RowErrors,
            ReportDays,
            Columns,
            Headers,
            FileName,
            Cover,
            SavedAt,
            PurchaseDays,
            PurchaseDayLengths,
            CustomerAttributes,
            LineAttributes,
            MasterFile,
            SurveyFile,
        ]
    );
    let mut samples = Vec::new();
    for part in parts {
        for at in [None, Some(3)] {
            let problems = every!(
                WorkspaceProblem,
                [
                    WorkspaceProblem::TooMany { .. },
                    WorkspaceProblem::TooLong { .. },
                    WorkspaceProblem::OutOfRange { .. },
                    WorkspaceProblem::Disagree { .. },
                    WorkspaceProblem::Unreadable { .. },
                ],
                vec![
                    WorkspaceProblem::TooMany {
                        part,
                        at,
                        count: 20_000,
                        max: 50
                    },
                    WorkspaceProblem::TooLong {
                        part,
                        at,
                        chars: 501,
                        max: 500
                    },
                    WorkspaceProblem::OutOfRange {
                        part,
                        at,
                        value: f64::from(i32::MIN)
                    },
                    WorkspaceProblem::Disagree { part, at },
                    WorkspaceProblem::Unreadable { part, at },
                ]
            );
            samples.extend(problems);
        }
    }
    samples
}

fn errors() -> Vec<Error> {
    use Error::*;
    let mut samples = every!(
        Error,
        [
            EmptyFile,
            HeaderOnly,
            Binary { .. },
            NoCustomerColumn,
            NoAmountColumn,
            NoSuchColumn { .. },
            AllRowsRejected { .. },
            UnknownEncoding(..),
            Cancelled,
            Parameter { .. },
            NoData,
            Chart { .. },
            Format { .. },
            SwotColumnsMissing { .. },
            NewerWorkspace { .. },
            TooManyColumns { .. },
            BeyondBrowser { .. },
            LineTooLong { .. },
            Workspace(..),
            Model { .. },
            NoOrdersColumn,
            Table { .. },
            LegacyEncoding { .. },
        ],
        vec![
            EmptyFile,
            HeaderOnly,
            Binary {
                what: BinaryKind::ZipOrXlsx
            },
            NoCustomerColumn,
            NoAmountColumn,
            NoOrdersColumn,
            NoSuchColumn { index: 7, count: 3 },
            AllRowsRejected {
                rows: 2,
                first: Some(Box::new(row_error(RowProblem::NotADate)))
            },
            UnknownEncoding("某编码".into()),
            LegacyEncoding { name: None },
            LegacyEncoding {
                name: Some("GBK".into())
            },
            Cancelled,
            Parameter {
                name: "score".into(),
                reason: ParameterProblem::NotAScore { value: 11.0 }
            },
            NoData,
            Chart {
                chart: "lorenz".into(),
                reason: ChartProblem::NotFinite { value: f64::NAN }
            },
            Format {
                what: FormatSubject::WorkspaceFile,
                reason: FormatProblem::Empty
            },
            SwotColumnsMissing {
                missing: vec![SwotColumn::Score]
            },
            NewerWorkspace {
                version: 9,
                supported: 1
            },
            TooManyColumns {
                line: 1,
                count: 3000,
                limit: 2000
            },
            BeyondBrowser {
                part: valuelens::engine::error::BrowserLimit::Customers,
                rows: 77_000_000,
                customers: 8_388_608
            },
            BeyondBrowser {
                part: valuelens::engine::error::BrowserLimit::Orders,
                rows: 90_000_000,
                customers: 7_000_000
            },
            LineTooLong {
                line: 1,
                limit: 1 << 20
            },
            Workspace(WorkspaceProblem::Disagree {
                part: WorkspacePart::Sales,
                at: Some(1)
            }),
            Model {
                model: FitModel::BgNbd,
                problem: ModelProblem::NotConverged
            },
            Table {
                kind: FileKind::OldExcel,
                problem: TableProblem::OldExcel
            },
        ]
    );
    let table_problems = every!(
        TableProblem,
        [
            TableProblem::OldExcel,
            TableProblem::TooLarge { .. },
            TableProblem::Damaged { .. },
            TableProblem::NotAWorkbook,
            TableProblem::Unsupported { .. },
            TableProblem::NoSheets,
            TableProblem::NoSuchSheet { .. },
            TableProblem::EmptySheet { .. },
            TableProblem::TooManyColumns { .. },
            TableProblem::Inflated { .. },
            TableProblem::SheetTooLarge { .. },
        ],
        vec![
            TableProblem::OldExcel,
            TableProblem::TooLarge {
                bytes: 300 << 20,
                limit: 200 << 20
            },
            TableProblem::Damaged {
                detail: "invalid Zip archive".into()
            },
            TableProblem::NotAWorkbook,
            TableProblem::Unsupported {
                detail: "BROTLI".into()
            },
            TableProblem::NoSheets,
            TableProblem::NoSuchSheet {
                name: "二月".into()
            },
            TableProblem::EmptySheet {
                name: "Sheet1".into()
            },
            TableProblem::TooManyColumns {
                count: 3000,
                limit: 2000
            },
            TableProblem::Inflated {
                bytes: 300 << 20,
                limit: 100 << 20
            },
            TableProblem::SheetTooLarge {
                rows: 1_048_576,
                columns: 16_384,
                limit: 10_000_000
            },
        ]
    );
    for kind in [
        FileKind::Xlsx,
        FileKind::Parquet,
        FileKind::OldExcel,
        FileKind::Text,
    ] {
        samples.extend(table_problems.iter().map(|problem| Table {
            kind,
            problem: problem.clone(),
        }));
    }
    let models = every!(
        FitModel,
        [FitModel::BgNbd, FitModel::GammaGamma, FitModel::KMeans],
        vec![FitModel::BgNbd, FitModel::GammaGamma, FitModel::KMeans]
    );
    let problems = every!(
        ModelProblem,
        [
            ModelProblem::TooFewRepeatCustomers { .. },
            ModelProblem::NotConverged,
            ModelProblem::TooFewCustomers { .. },
            ModelProblem::TooFewDistinct { .. },
            ModelProblem::NotFinite { .. },
        ],
        vec![
            ModelProblem::TooFewRepeatCustomers { found: 12, min: 50 },
            ModelProblem::NotConverged,
            ModelProblem::TooFewCustomers { found: 1, min: 2 },
            ModelProblem::TooFewDistinct { found: 1, min: 2 },
            ModelProblem::NotFinite { row: 3 },
        ]
    );
    for &model in &models {
        for problem in &problems {
            samples.push(Model {
                model,
                problem: problem.clone(),
            });
        }
    }
    samples.push(AllRowsRejected {
        rows: 0,
        first: None,
    });
    samples.extend(binary_kinds().into_iter().map(|what| Binary { what }));
    samples.extend(row_problems().into_iter().map(|p| AllRowsRejected {
        rows: 5,
        first: Some(Box::new(row_error(p))),
    }));
    samples.extend(parameter_problems().into_iter().map(|reason| Parameter {
        name: "analysis_day".into(),
        reason,
    }));
    samples.extend(chart_problems().into_iter().map(|reason| Chart {
        chart: "deciles".into(),
        reason,
    }));
    for what in format_subjects() {
        samples.extend(
            format_problems()
                .into_iter()
                .map(|reason| Format { what, reason }),
        );
    }
    let columns = every!(
        SwotColumn,
        [
            SwotColumn::Quadrant,
            SwotColumn::Item,
            SwotColumn::Score,
            SwotColumn::Weight,
            SwotColumn::Respondent,
            SwotColumn::Competitor,
        ],
        vec![
            SwotColumn::Quadrant,
            SwotColumn::Item,
            SwotColumn::Score,
            SwotColumn::Weight,
            SwotColumn::Respondent,
            SwotColumn::Competitor,
        ]
    );
    samples.push(SwotColumnsMissing { missing: columns });
    samples.extend(workspace_problems().into_iter().map(Workspace));
    samples
}

#[test]
fn every_error_in_chinese_holds_no_english_sentence() {
    let errors = errors();
    assert!(errors.len() > 500, "{} errors", errors.len());
    for error in &errors {
        let text = error_text(error, Lang::Zh);
        assert_chinese(
            &format!("{error:?}"),
            &text,
            &["score", "analysis_day", "lorenz", "deciles"],
        );
        // The English text is English, and says something.
        assert!(!error_text(error, Lang::En).is_empty());
    }
}

#[test]
fn every_reason_in_chinese_holds_no_english_sentence() {
    for problem in row_problems() {
        assert_chinese(
            &format!("{problem:?}"),
            &row_problem_text(problem, Lang::Zh),
            &[],
        );
        let error = row_error(problem);
        assert_chinese(
            &format!("{error:?}"),
            &row_error_text(&error, Lang::Zh),
            &[],
        );
    }
    for problem in parameter_problems() {
        assert_chinese(
            &format!("{problem:?}"),
            &parameter_problem_text(&problem, Lang::Zh),
            &[],
        );
    }
    for problem in format_problems() {
        assert_chinese(
            &format!("{problem:?}"),
            &format_problem_text(&problem, Lang::Zh),
            &[],
        );
    }
}

#[test]
fn every_hint_and_notice_in_chinese_holds_no_english_sentence() {
    use Concern::*;
    let roles = every!(
        Role,
        [
            Role::Customer,
            Role::Order,
            Role::Date,
            Role::Amount,
            Role::Profit,
            Role::Quantity
        ],
        Role::ALL.to_vec()
    );
    let mut concerns = every!(
        Concern,
        [
            Missing(..),
            Unsure(..),
            AmbiguousDates,
            ConflictingDates,
            UnsureEncoding,
            RunawayQuote { .. },
            SummaryMissing(..)
        ],
        vec![
            Missing(Role::Amount),
            Unsure(Role::Customer),
            AmbiguousDates,
            ConflictingDates,
            UnsureEncoding,
            RunawayQuote {
                line: 5,
                lines: 298
            },
            SummaryMissing(SummaryRole::Orders),
        ]
    );
    concerns.extend(SummaryRole::ALL.iter().map(|&role| SummaryMissing(role)));
    concerns.extend(roles.iter().flat_map(|&role| [Missing(role), Unsure(role)]));
    for concern in concerns {
        assert_chinese(
            &format!("{concern:?}"),
            &concern_text(concern, Lang::Zh),
            &[],
        );
    }
    let hints = every!(
        HintKind,
        [
            HintKind::Concentration,
            HintKind::BroadBase,
            HintKind::LoyalCustomers,
            HintKind::FewRepeatCustomers,
            HintKind::HighMargin,
            HintKind::LowMargin,
            HintKind::Returns,
        ],
        vec![
            HintKind::Concentration,
            HintKind::BroadBase,
            HintKind::LoyalCustomers,
            HintKind::FewRepeatCustomers,
            HintKind::HighMargin,
            HintKind::LowMargin,
            HintKind::Returns,
        ]
    );
    for kind in hints {
        let hint = SwotHint {
            kind,
            quadrant: Quadrant::Threats,
            suggested_score: 7.0,
            value: 0.51,
        };
        assert_chinese(&format!("{kind:?}"), &swot_hint_text(&hint, Lang::Zh), &[]);
    }
    let tows = every!(
        TowsQuadrant,
        [
            TowsQuadrant::SO,
            TowsQuadrant::ST,
            TowsQuadrant::WO,
            TowsQuadrant::WT
        ],
        vec![
            TowsQuadrant::SO,
            TowsQuadrant::ST,
            TowsQuadrant::WO,
            TowsQuadrant::WT
        ]
    );
    for quadrant in tows {
        assert_chinese(
            &format!("{quadrant:?}"),
            tows_strategy(quadrant, Lang::Zh),
            &[],
        );
        assert_chinese(
            &format!("{quadrant:?}"),
            tows_meaning(quadrant, Lang::Zh),
            &[],
        );
    }
    // Every fixed text and template of the table (notices, notes, labels), {0}-style holes and all.
    for text in Text::ALL {
        let zh = text.get(Lang::Zh);
        let found = english_runs(zh, &[]);
        assert!(found.is_empty(), "{text:?}: English in “{zh}”: {found:?}");
    }
    let (running, refused) = ("big orders.csv", "second file.csv");
    assert_chinese(
        "refusal",
        &refusal_text(running, refused, Lang::Zh),
        &[running, refused],
    );
}
