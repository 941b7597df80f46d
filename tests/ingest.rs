//! Real-shaped exports through the import, the way the worker runs it: `inspect` on the head
//! (at most [`INSPECT_BYTES`]), then an [`Importer`] fed the whole file in chunks of 1, 7 and
//! 4096 bytes and in one piece. Every chunking must give the same outcome, and that outcome must
//! be the one written out by hand below.
//!
//! The fixtures live in `tests/fixtures/ingest/`; the ones whose bytes an editor would not keep
//! (GBK, Big5, UTF-16, BOMs, CR line ends, NULs, binary files) are written by
//! `make_fixtures.py` there. A few large inputs are built in [`generated_cases`] instead of being
//! committed. Expected figures were added up by hand; the longer sums were checked with a short
//! Python `decimal` computation (quoted next to the case).

use valuelens::engine::error::{BinaryKind, Error, RowProblem};
use valuelens::engine::ingest::columns::ColumnMapping;
use valuelens::engine::ingest::dialect::Delimiter;
use valuelens::engine::ingest::encoding::{EncodingEvidence, LanguageHint};
use valuelens::engine::ingest::values::{DateOrder, DateOrderEvidence, DecimalSeparator};
use valuelens::engine::ingest::{
    import_in_halves, inspect, Concern, ImportOutcome, Importer, InspectOptions, Preview,
};
use valuelens::protocol::INSPECT_BYTES;

mod common;
use common::{close, same_outcome};

/// One input and what must come of it.
struct Case {
    name: &'static str,
    bytes: Vec<u8>,
    options: InspectOptions,
    expect: Expect,
}

enum Expect {
    /// `inspect` or the import stops with exactly this error.
    Fails(Error),
    /// The import succeeds like this.
    Imports(Box<Imported>),
}

/// The hand-written outcome of a successful import.
struct Imported {
    encoding: &'static str,
    evidence: EncodingEvidence,
    delimiter: Delimiter,
    has_header: bool,
    /// Column names; empty to skip the check.
    headers: &'static [&'static str],
    /// Roles as `customer=0 order=1 …` (see [`mapping`]).
    mapping: &'static str,
    decimal: DecimalSeparator,
    dates: (DateOrderEvidence, DateOrder),
    serial_dates: bool,
    concerns: Vec<Concern>,
    /// Rows read, accepted, rejected, and accepted with a negative amount.
    rows: (u64, u64, u64, u64),
    customers: usize,
    /// Some customers: id, net sales, orders, net profit.
    some: &'static [(&'static str, f64, u32, f64)],
    /// Every rejected row: line, column, problem, value found.
    rejected: &'static [(u64, &'static str, RowProblem, &'static str)],
    /// First and last day of the accepted rows.
    days: Option<(&'static str, &'static str)>,
    /// Replacement characters from invalid bytes.
    replacements: u64,
}

macro_rules! fixture {
    ($file:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/ingest/",
            $file
        ))
        .to_vec()
    };
}

/// `"customer=0 amount=3"` → a [`ColumnMapping`]; roles not named are unmapped.
fn mapping(spec: &str) -> ColumnMapping {
    let mut mapping = ColumnMapping::default();
    for pair in spec.split_whitespace() {
        let (role, column) = pair.split_once('=').expect("role=column");
        let column = Some(column.parse().expect("a column number"));
        match role {
            "customer" => mapping.customer = column,
            "order" => mapping.order = column,
            "date" => mapping.date = column,
            "amount" => mapping.amount = column,
            "profit" => mapping.profit = column,
            "quantity" => mapping.quantity = column,
            other => panic!("unknown role {other}"),
        }
    }
    mapping
}

fn zh() -> InspectOptions {
    InspectOptions::default()
}

fn hint(hint: LanguageHint) -> InspectOptions {
    InspectOptions {
        hint,
        ..InspectOptions::default()
    }
}

/// A plain UTF-8 comma file: most fixtures are one, and differ only in what follows.
fn utf8_comma() -> Imported {
    Imported {
        encoding: "UTF-8",
        evidence: EncodingEvidence::ValidUtf8,
        delimiter: Delimiter::Comma,
        has_header: true,
        headers: &[],
        mapping: "",
        decimal: DecimalSeparator::Point,
        dates: (DateOrderEvidence::NotNeeded, DateOrder::DayFirst),
        serial_dates: false,
        concerns: vec![],
        rows: (0, 0, 0, 0),
        customers: 0,
        some: &[],
        rejected: &[],
        days: None,
        replacements: 0,
    }
}

fn imports(imported: Imported) -> Expect {
    Expect::Imports(Box::new(imported))
}

fn fixture_cases() -> Vec<Case> {
    use RowProblem::*;
    let gbk_orders = || Imported {
        encoding: "GBK",
        evidence: EncodingEvidence::DetectorConfident,
        headers: &["客户编号", "订单号", "下单时间", "实付金额", "毛利"],
        mapping: "customer=0 order=1 date=2 amount=3 profit=4",
        rows: (7, 7, 0, 1),
        customers: 4,
        // C001: 1234.50 + 65.50 + 100.00 = 1400.00 over SO-1001 (two lines) and SO-1004;
        // profit 300 + 15 + 25. C002: 88.00 − 20.00 (a return).
        some: &[
            ("C001", 1400.0, 2, 340.0),
            ("C002", 68.0, 2, 15.0),
            ("C003", 2000.0, 1, 500.0),
            ("张三", 10.0, 1, 2.0),
        ],
        days: Some(("2024-01-05", "2024-03-15")),
        ..utf8_comma()
    };
    let big5_orders = || Imported {
        encoding: "Big5",
        evidence: EncodingEvidence::DetectorConfident,
        headers: &["客戶編號", "訂單編號", "訂單日期", "銷售額"],
        mapping: "customer=0 order=1 date=2 amount=3",
        rows: (4, 4, 0, 0),
        customers: 3,
        some: &[
            ("T001", 2000.0, 2, 0.0),
            ("T002", 350.0, 1, 0.0),
            ("T003", 1050.5, 1, 0.0),
        ],
        days: Some(("2024-01-05", "2024-02-14")),
        ..utf8_comma()
    };
    let gbk_one_row = || Imported {
        encoding: "GBK",
        evidence: EncodingEvidence::DetectorConfident,
        headers: &["客户编号", "订单号", "下单时间", "实付金额", "毛利"],
        mapping: "customer=0 order=1 date=2 amount=3 profit=4",
        rows: (1, 1, 0, 0),
        customers: 1,
        some: &[("C001", 88.0, 1, 20.0)],
        days: Some(("2024-01-05", "2024-01-05")),
        ..utf8_comma()
    };
    let line_ends = || Imported {
        headers: &["customer_id", "order_date", "sales"],
        mapping: "customer=0 date=1 amount=2",
        rows: (3, 2, 1, 0),
        customers: 1,
        some: &[("c1", 15.0, 2, 0.0)],
        rejected: &[(4, "sales", NotANumber, "x")],
        days: Some(("2024-01-05", "2024-01-07")),
        ..utf8_comma()
    };
    let ambiguous = |order, days| Imported {
        mapping: "customer=0 date=1 amount=2",
        dates: (DateOrderEvidence::Ambiguous, order),
        concerns: vec![Concern::AmbiguousDates],
        rows: (3, 3, 0, 0),
        customers: 2,
        some: &[("a", 4.0, 2, 0.0), ("b", 2.0, 1, 0.0)],
        days: Some(days),
        ..utf8_comma()
    };
    vec![
        Case {
            name: "GBK with Chinese headers, ￥ amounts and 2024年1月5日 dates",
            bytes: fixture!("gbk_orders.csv"),
            options: zh(),
            expect: imports(gbk_orders()),
        },
        Case {
            // chardetng says Big5 under the zh-TW prior; the header row says GBK.
            name: "GBK in the zh-TW interface",
            bytes: fixture!("gbk_orders.csv"),
            options: hint(LanguageHint::TraditionalChinese),
            expect: imports(Imported {
                evidence: EncodingEvidence::DetectorUnsure,
                concerns: vec![Concern::UnsureEncoding],
                ..gbk_orders()
            }),
        },
        Case {
            // The zh-CN prior is what makes chardetng say GBK here.
            name: "GBK header and one row",
            bytes: fixture!("gbk_one_row.csv"),
            options: zh(),
            expect: imports(gbk_one_row()),
        },
        Case {
            // Without a Chinese prior chardetng says EUC-JP, "sure"; the header row says GBK.
            name: "GBK header and one row in the English interface",
            bytes: fixture!("gbk_one_row.csv"),
            options: hint(LanguageHint::Other),
            expect: imports(Imported {
                evidence: EncodingEvidence::DetectorUnsure,
                dates: (DateOrderEvidence::NotNeeded, DateOrder::MonthFirst),
                concerns: vec![Concern::UnsureEncoding],
                ..gbk_one_row()
            }),
        },
        Case {
            name: "GBK chosen by the user, with a byte invalid in GBK",
            bytes: fixture!("gbk_bad_byte.csv"),
            options: InspectOptions {
                encoding: Some("GBK".into()),
                ..zh()
            },
            expect: imports(Imported {
                encoding: "GBK",
                evidence: EncodingEvidence::UserChoice,
                headers: &["客户编号", "实付金额"],
                mapping: "customer=0 amount=1",
                rows: (3, 2, 1, 0),
                customers: 2,
                some: &[("C001", 10.0, 1, 0.0), ("C003", 30.0, 1, 0.0)],
                rejected: &[(3, "实付金额", BadEncoding, "￥2\u{FFFD}0.00")],
                replacements: 1,
                ..utf8_comma()
            }),
        },
        Case {
            name: "Big5 with zh-TW headers in the zh-TW interface",
            bytes: fixture!("big5_orders.csv"),
            options: hint(LanguageHint::TraditionalChinese),
            expect: imports(big5_orders()),
        },
        Case {
            // chardetng says GBK under the zh-CN prior (mojibake headers); the header row says Big5.
            name: "Big5 in the zh-CN interface",
            bytes: fixture!("big5_orders.csv"),
            options: zh(),
            expect: imports(Imported {
                evidence: EncodingEvidence::DetectorUnsure,
                concerns: vec![Concern::UnsureEncoding],
                ..big5_orders()
            }),
        },
        Case {
            name: "UTF-16LE with BOM, tab-separated (Excel Unicode text)",
            bytes: fixture!("utf16le_bom_tab.csv"),
            options: zh(),
            expect: imports(Imported {
                encoding: "UTF-16LE",
                evidence: EncodingEvidence::ByteOrderMark,
                delimiter: Delimiter::Tab,
                headers: &["客户编号", "订单日期", "金额", "数量", "备注"],
                mapping: "customer=0 date=1 amount=2 quantity=3",
                rows: (4, 4, 0, 0),
                customers: 3,
                // No order column: every row is an order. C001: 1234.50 + 10.00.
                some: &[
                    ("C001", 1244.5, 2, 0.0),
                    ("C002", 99.9, 1, 0.0),
                    ("C003", 0.1, 1, 0.0),
                ],
                days: Some(("2024-01-05", "2024-02-02")),
                ..utf8_comma()
            }),
        },
        Case {
            name: "UTF-16LE without BOM, mostly Chinese",
            bytes: fixture!("utf16le_no_bom.csv"),
            options: zh(),
            expect: imports(Imported {
                encoding: "UTF-16LE",
                evidence: EncodingEvidence::NulPattern,
                delimiter: Delimiter::Tab,
                headers: &["客户编号", "日期", "金额"],
                mapping: "customer=0 date=1 amount=2",
                rows: (3, 3, 0, 1),
                customers: 2,
                some: &[("王五", 10.0, 2, 0.0), ("赵六", 20.0, 1, 0.0)],
                days: Some(("2024-03-01", "2024-03-03")),
                ..utf8_comma()
            }),
        },
        Case {
            // The BOM must not end up in the first header (it would not match 客户编号).
            name: "UTF-8 with BOM",
            bytes: fixture!("utf8_bom.csv"),
            options: zh(),
            expect: imports(Imported {
                evidence: EncodingEvidence::ByteOrderMark,
                headers: &["客户编号", "订单日期", "金额"],
                mapping: "customer=0 date=1 amount=2",
                rows: (3, 3, 0, 0),
                customers: 2,
                some: &[("C1", 100.5, 2, 0.0), ("C2", 50.5, 1, 0.0)],
                days: Some(("2024-01-05", "2024-01-07")),
                ..utf8_comma()
            }),
        },
        Case {
            name: "CRLF with a blank line: the bad row is on line 4",
            bytes: fixture!("crlf.csv"),
            options: zh(),
            expect: imports(line_ends()),
        },
        Case {
            name: "CR-only line ends: the bad row is on line 4",
            bytes: fixture!("cr_only.csv"),
            options: zh(),
            expect: imports(line_ends()),
        },
        Case {
            name: "NUL in a cell and NUL padding at the end",
            bytes: fixture!("nul_in_text.csv"),
            options: zh(),
            expect: imports(Imported {
                mapping: "customer=0 date=1 amount=2",
                rows: (3, 3, 0, 0),
                customers: 2,
                some: &[("c1", 12.5, 2, 0.0), ("c2", 20.0, 1, 0.0)],
                days: Some(("2024-01-01", "2024-01-03")),
                ..utf8_comma()
            }),
        },
        Case {
            name: "semicolons, decimal comma, d.m.Y dates",
            bytes: fixture!("semicolon_decimal_comma.csv"),
            options: zh(),
            expect: imports(Imported {
                delimiter: Delimiter::Semicolon,
                headers: &["Kundennummer", "Rechnungsnr", "Datum", "Betrag"],
                // No name is known: the values decide (text id, dates, decimals).
                mapping: "customer=0 date=2 amount=3",
                decimal: DecimalSeparator::Comma,
                dates: (DateOrderEvidence::DayFirst, DateOrder::DayFirst),
                rows: (4, 4, 0, 1),
                customers: 3,
                // K-100: 1234.56 + 12.50 = 1247.06 (Python decimal); `1.000` is a thousand.
                some: &[
                    ("K-100", 1247.06, 2, 0.0),
                    ("K-200", -3.25, 1, 0.0),
                    ("K-300", 1000.0, 1, 0.0),
                ],
                days: Some(("2024-01-05", "2024-02-28")),
                ..utf8_comma()
            }),
        },
        Case {
            name: "whitespace-aligned CDNOW without header",
            bytes: fixture!("cdnow_whitespace.txt"),
            options: zh(),
            expect: imports(Imported {
                delimiter: Delimiter::Whitespace,
                has_header: false,
                headers: &["column 1", "column 2", "column 3", "column 4"],
                mapping: "customer=0 date=1 quantity=2 amount=3",
                rows: (14, 14, 0, 0),
                customers: 5,
                // Python decimal: 00002 89.00 (2 rows), 00003 156.46 (6), 00004 100.50 (4).
                some: &[
                    ("00001", 11.77, 1, 0.0),
                    ("00002", 89.0, 2, 0.0),
                    ("00003", 156.46, 6, 0.0),
                    ("00004", 100.5, 4, 0.0),
                    ("00005", 29.33, 1, 0.0),
                ],
                days: Some(("1997-01-01", "1998-05-28")),
                ..utf8_comma()
            }),
        },
        Case {
            name: "quoted delimiters, quotes and newlines",
            bytes: fixture!("quoted_fields.csv"),
            options: zh(),
            expect: imports(Imported {
                headers: &["customer", "order", "note", "amount"],
                mapping: "customer=0 order=1 amount=3",
                rows: (7, 6, 1, 0),
                customers: 4,
                some: &[
                    ("Smith, John", 16.0, 3, 0.0),
                    ("O'Brien", 7.0, 1, 0.0),
                    ("Lee \"The Boss\"", 1.25, 1, 0.0),
                    ("Multi\nLine Name", 2.0, 1, 0.0),
                ],
                // The record starts on line 9 and its quoted note runs into line 10.
                rejected: &[(9, "amount", NotANumber, "oops")],
                ..utf8_comma()
            }),
        },
        Case {
            // Regression (issue 18): line 3's extra cells were taken silently; a row with more
            // non-empty fields than the header may have its values shifted, so it is rejected.
            // Line 7's extra field is empty, as some exports write: fine.
            name: "ragged rows: too few and too many columns rejected, an empty extra field fine",
            bytes: fixture!("ragged_rows.csv"),
            options: zh(),
            expect: imports(Imported {
                headers: &["customer", "date", "amount", "column 4", "column 5"],
                // The extra cells of line 3 must not become a quantity column.
                mapping: "customer=0 date=1 amount=2",
                rows: (6, 2, 4, 0),
                customers: 1,
                some: &[("c1", 15.0, 2, 0.0)],
                rejected: &[
                    (
                        3,
                        "column 4",
                        ExtraColumns {
                            found: 5,
                            expected: 3,
                        },
                        "3",
                    ),
                    (4, "amount", TooFewColumns, ""),
                    (6, "amount", TooFewColumns, ""),
                    (7, "customer", Missing, ""),
                ],
                days: Some(("2024-01-01", "2024-01-04")),
                ..utf8_comma()
            }),
        },
        Case {
            name: "m/d/Y decided by 1/13/2024 in the last row",
            bytes: fixture!("dates_month_first.csv"),
            options: zh(),
            expect: imports(Imported {
                headers: &["Customer ID", "Invoice Date", "Amount"],
                mapping: "customer=0 date=1 amount=2",
                dates: (DateOrderEvidence::MonthFirst, DateOrder::MonthFirst),
                rows: (5, 5, 0, 0),
                customers: 3,
                some: &[
                    ("1001", 24.5, 2, 0.0),
                    ("1002", 25.49, 2, 0.0),
                    ("1003", 100.0, 1, 0.0),
                ],
                // 12/11/2023 is 11 December; 3/4/2024 is 4 March.
                days: Some(("2023-12-11", "2024-03-04")),
                ..utf8_comma()
            }),
        },
        Case {
            name: "ambiguous d/m vs m/d, zh-CN reads day first",
            bytes: fixture!("dates_ambiguous.csv"),
            options: zh(),
            expect: imports(ambiguous(DateOrder::DayFirst, ("2024-02-01", "2024-06-05"))),
        },
        Case {
            name: "ambiguous d/m vs m/d, other languages read month first",
            bytes: fixture!("dates_ambiguous.csv"),
            options: hint(LanguageHint::Other),
            expect: imports(ambiguous(
                DateOrder::MonthFirst,
                ("2024-01-02", "2024-05-06"),
            )),
        },
        Case {
            name: "Excel serial dates",
            bytes: fixture!("excel_serial_dates.csv"),
            options: zh(),
            expect: imports(Imported {
                mapping: "customer=0 date=1 amount=2",
                serial_dates: true,
                rows: (3, 3, 0, 0),
                customers: 2,
                some: &[("C1", 150.0, 2, 0.0), ("C2", 200.0, 1, 0.0)],
                // 1899-12-30 + 45296 / 45327 days (Python datetime).
                days: Some(("2024-01-05", "2024-02-05")),
                ..utf8_comma()
            }),
        },
        Case {
            name: "thousands separators, parentheses, trailing minus, currency",
            bytes: fixture!("accounting_numbers.csv"),
            options: zh(),
            expect: imports(Imported {
                headers: &["客户", "日期", "金额", "利润"],
                mapping: "customer=0 date=1 amount=2 profit=3",
                rows: (6, 6, 0, 1),
                customers: 3,
                // Python decimal: A 1234.50 − 100.00 + 1000.00, profit −34.50 − 5 − 3;
                // B 12345678.90 + 1500.25, profit −1000 + 10.
                some: &[
                    ("A", 2134.5, 3, -42.5),
                    ("B", 12_347_179.15, 2, -990.0),
                    ("C", 2000.0, 1, 0.0),
                ],
                days: Some(("2024-01-01", "2024-01-06")),
                ..utf8_comma()
            }),
        },
        Case {
            name: "returns netted per customer",
            bytes: fixture!("returns_netted.csv"),
            options: zh(),
            expect: imports(Imported {
                headers: &["Order ID", "Customer", "Order Date", "Sales", "Profit"],
                mapping: "order=0 customer=1 date=2 amount=3 profit=4",
                rows: (8, 8, 0, 3),
                customers: 3,
                some: &[
                    ("alice", 100.0, 1, 20.0),
                    ("bob", 0.0, 2, 0.0),
                    ("carol", 45.0, 3, 4.5),
                ],
                days: Some(("2024-01-05", "2024-02-04")),
                ..utf8_comma()
            }),
        },
        Case {
            name: "bad rows: line, column and problem of each",
            bytes: fixture!("bad_rows.csv"),
            options: zh(),
            expect: imports(Imported {
                headers: &["客户编号", "订单日期", "金额", "毛利"],
                mapping: "customer=0 date=1 amount=2 profit=3",
                rows: (11, 2, 9, 0),
                customers: 1,
                some: &[("C001", 125.5, 2, 25.0)],
                rejected: &[
                    (3, "金额", NotANumber, "N/A"),
                    (4, "客户编号", Missing, ""),
                    (5, "订单日期", NotADate, "2024/02/30"),
                    (6, "订单日期", NotADate, "昨天"),
                    (7, "金额", Missing, ""),
                    (8, "毛利", NotANumber, "-"),
                    (9, "订单日期", Missing, ""),
                    (10, "订单日期", NotADate, "2024-13-01"),
                    // Not fifteen: the comma does not group thousands.
                    (12, "金额", NotANumber, "1,5"),
                ],
                days: Some(("2024-01-05", "2024-01-31")),
                ..utf8_comma()
            }),
        },
        Case {
            name: "headerless, numeric customer ids all different",
            bytes: fixture!("headerless_numeric_ids.csv"),
            options: zh(),
            expect: imports(Imported {
                has_header: false,
                headers: &["column 1", "column 2", "column 3", "column 4"],
                mapping: "customer=0 date=1 quantity=2 amount=3",
                // No repeat shows it is an id: the user is asked.
                concerns: vec![Concern::Unsure(
                    valuelens::engine::ingest::columns::Role::Customer,
                )],
                rows: (4, 4, 0, 0),
                customers: 4,
                some: &[("10001", 120.0, 1, 0.0), ("10003", 80.0, 1, 0.0)],
                days: Some(("2023-05-01", "2023-05-03")),
                ..utf8_comma()
            }),
        },
        Case {
            name: "empty file",
            bytes: fixture!("empty.csv"),
            options: zh(),
            expect: Expect::Fails(Error::EmptyFile),
        },
        Case {
            name: "whitespace only",
            bytes: fixture!("whitespace_only.csv"),
            options: zh(),
            expect: Expect::Fails(Error::EmptyFile),
        },
        Case {
            name: "header only",
            bytes: fixture!("header_only.csv"),
            options: zh(),
            expect: Expect::Fails(Error::HeaderOnly),
        },
        Case {
            name: "random bytes with NULs",
            bytes: fixture!("binary_random.csv"),
            options: zh(),
            expect: Expect::Fails(Error::Binary {
                what: BinaryKind::Unknown,
            }),
        },
        Case {
            name: "a PNG renamed .csv",
            bytes: fixture!("png_renamed.csv"),
            options: zh(),
            expect: Expect::Fails(Error::Binary {
                what: BinaryKind::Png,
            }),
        },
        Case {
            name: "an .xlsx renamed .csv",
            bytes: fixture!("xlsx_renamed.csv"),
            options: zh(),
            expect: Expect::Fails(Error::Binary {
                what: BinaryKind::ZipOrXlsx,
            }),
        },
    ]
}

/// Inputs too large to commit, built here.
fn generated_cases() -> Vec<Case> {
    use RowProblem::*;
    // 300 000 blank lines between the header and the rows: the head shows no data row at all.
    let mut blank_lines = String::from("customer;amount\n");
    blank_lines.push_str(&"\n".repeat(300_000));
    blank_lines.push_str("c1;12,5\nc2;x\n");

    // A 300 000-character cell: the head cuts the first data row in half.
    let mut long_line = String::from("customer,note,amount\nc1,");
    long_line.push_str(&"x".repeat(300_000));
    long_line.push_str(",5\nc2,short,7\nc3,\"");
    long_line.push_str(&"y\n".repeat(10));
    long_line.push_str("\",oops\n");

    // UTF-8 Chinese beyond 64 KiB, with a character across byte 65 536 (where the delimiter
    // sniffer cut the text, and panicked).
    let mut cjk = String::from("客户编号,金额   \n");
    cjk.push_str(&"客户甲,12.5\n".repeat(4700));
    assert!(
        !cjk.is_char_boundary(64 * 1024),
        "the case must cut a character"
    );

    // Excel's `sep=;` first line.
    let sep_line = "sep=;\r\ncustomer;amount\r\nk1;12,50\r\nk2;x\r\nk1;1.000\r\n";

    // Whitespace-aligned UTF-16 with CRLF: byte chunks split every CR from its LF.
    let cdnow = std::str::from_utf8(include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/ingest/cdnow_whitespace.txt"
    )))
    .expect("UTF-8")
    .replace("00002 19970112  5  77.00", "00002 19970230  5  77.00")
    .replace('\n', "\r\n");
    let mut cdnow_utf16 = vec![0xFF, 0xFE];
    cdnow_utf16.extend(cdnow.encode_utf16().flat_map(u16::to_le_bytes));

    vec![
        Case {
            name: "the only data rows after 300 000 blank lines",
            bytes: blank_lines.into_bytes(),
            options: zh(),
            expect: imports(Imported {
                delimiter: Delimiter::Semicolon,
                headers: &["customer", "amount"],
                mapping: "customer=0 amount=1",
                // No number in the head: a semicolon file reads the decimal comma.
                decimal: DecimalSeparator::Comma,
                rows: (2, 1, 1, 0),
                customers: 1,
                some: &[("c1", 12.5, 1, 0.0)],
                rejected: &[(300_003, "amount", NotANumber, "x")],
                ..utf8_comma()
            }),
        },
        Case {
            name: "a line longer than the head",
            bytes: long_line.into_bytes(),
            options: zh(),
            expect: imports(Imported {
                headers: &["customer", "note", "amount"],
                mapping: "customer=0 amount=2",
                rows: (3, 2, 1, 0),
                customers: 2,
                some: &[("c1", 5.0, 1, 0.0), ("c2", 7.0, 1, 0.0)],
                rejected: &[(4, "amount", NotANumber, "oops")],
                ..utf8_comma()
            }),
        },
        Case {
            name: "UTF-8 Chinese with a character cut at 64 KiB",
            bytes: cjk.into_bytes(),
            options: zh(),
            expect: imports(Imported {
                headers: &["客户编号", "金额"],
                mapping: "customer=0 amount=1",
                rows: (4700, 4700, 0, 0),
                customers: 1,
                some: &[("客户甲", 58_750.0, 4700, 0.0)],
                ..utf8_comma()
            }),
        },
        Case {
            name: "Excel sep=; first line",
            bytes: sep_line.as_bytes().to_vec(),
            options: zh(),
            expect: imports(Imported {
                delimiter: Delimiter::Semicolon,
                headers: &["customer", "amount"],
                mapping: "customer=0 amount=1",
                decimal: DecimalSeparator::Comma,
                rows: (3, 2, 1, 0),
                customers: 1,
                some: &[("k1", 1012.5, 2, 0.0)],
                rejected: &[(4, "amount", NotANumber, "x")],
                ..utf8_comma()
            }),
        },
        Case {
            name: "UTF-16 whitespace-aligned with CRLF",
            bytes: cdnow_utf16,
            options: zh(),
            expect: imports(Imported {
                encoding: "UTF-16LE",
                evidence: EncodingEvidence::ByteOrderMark,
                delimiter: Delimiter::Whitespace,
                has_header: false,
                mapping: "customer=0 date=1 quantity=2 amount=3",
                rows: (14, 13, 1, 0),
                customers: 5,
                some: &[("00002", 12.0, 1, 0.0), ("00003", 156.46, 6, 0.0)],
                rejected: &[(3, "column 2", NotADate, "19970230")],
                days: Some(("1997-01-01", "1998-05-28")),
                ..utf8_comma()
            }),
        },
    ]
}

/// Feeds `bytes` to a fresh importer in chunks of `size` (all at once for `None`).
fn import_in_chunks(
    preview: &Preview,
    bytes: &[u8],
    size: Option<usize>,
) -> Result<ImportOutcome, Error> {
    let mut importer = Importer::new(preview.settings())?;
    match size {
        Some(size) => bytes.chunks(size).for_each(|chunk| importer.push(chunk)),
        None => importer.push(bytes),
    }
    importer.finish()
}

/// Runs one case; returns what differs from the expectation (empty when all is well).
fn run(case: &Case) -> Vec<String> {
    let mut wrong = Vec::new();
    let mut check = |what: &str, ok: bool, detail: String| {
        if !ok {
            wrong.push(format!("{what}: {detail}"));
        }
    };
    let head = &case.bytes[..case.bytes.len().min(INSPECT_BYTES as usize)];
    let whole_file = head.len() == case.bytes.len();
    let inspected = inspect(head, whole_file, &case.options);
    let (preview, expected) = match (&case.expect, inspected) {
        (Expect::Fails(error), Err(got)) => {
            check(
                "inspect error",
                &got == error,
                format!("{got:?} != {error:?}"),
            );
            return wrong;
        }
        (_, Err(got)) => return vec![format!("inspect failed: {got:?}")],
        (expect, Ok(preview)) => (preview, expect),
    };
    let whole = import_in_chunks(&preview, &case.bytes, None);
    for size in [1, 7, 4096] {
        let chunked = import_in_chunks(&preview, &case.bytes, Some(size));
        check(
            "chunked import",
            chunked == whole,
            format!("chunks of {size} differ from the whole file"),
        );
    }
    // Two workers: the second half from the line after each cut (where the encoding allows).
    let settings = preview.settings();
    for middle in [
        1,
        case.bytes.len() / 3,
        case.bytes.len() / 2,
        case.bytes.len() * 2 / 3,
    ] {
        let halves = import_in_halves(&case.bytes, settings.clone(), middle);
        let same = match (&halves, &whole) {
            (Ok(a), Ok(b)) => same_outcome(a, b),
            (a, b) => a.as_ref().err() == b.as_ref().err(),
        };
        check(
            "import in two halves",
            same,
            format!("split near byte {middle}: {halves:?}"),
        );
    }
    let expected = match expected {
        Expect::Fails(error) => {
            check(
                "import",
                whole.as_ref().err() == Some(error),
                format!("{whole:?}"),
            );
            return wrong;
        }
        Expect::Imports(expected) => expected,
    };
    let outcome = match whole {
        Ok(outcome) => outcome,
        Err(error) => return vec![format!("import failed: {error:?}")],
    };
    let e = expected;
    let p = &preview;
    check(
        "encoding",
        (p.encoding.name.as_str(), p.encoding.evidence) == (e.encoding, e.evidence),
        format!("{:?}", p.encoding),
    );
    check(
        "delimiter",
        p.delimiter == e.delimiter,
        format!("{:?}", p.delimiter),
    );
    check(
        "header",
        p.has_header == e.has_header,
        format!("{}", p.has_header),
    );
    check(
        "headers",
        e.headers.is_empty() || p.headers == e.headers,
        format!("{:?}", p.headers),
    );
    check(
        "mapping",
        p.mapping == mapping(e.mapping),
        format!("{:?}", p.mapping),
    );
    check(
        "decimal",
        p.decimal == e.decimal,
        format!("{:?}", p.decimal),
    );
    check(
        "dates",
        (p.date_evidence, p.date_order) == e.dates,
        format!("{:?} {:?}", p.date_evidence, p.date_order),
    );
    check(
        "serial dates",
        p.serial_dates == e.serial_dates,
        String::new(),
    );
    check(
        "concerns",
        p.concerns() == e.concerns,
        format!("{:?}", p.concerns()),
    );
    let r = &outcome.report;
    check(
        "rows",
        (r.rows_read, r.rows_accepted, r.rows_rejected, r.return_rows) == e.rows,
        format!(
            "read {} accepted {} rejected {} returns {}",
            r.rows_read, r.rows_accepted, r.rows_rejected, r.return_rows
        ),
    );
    check(
        "replacement characters",
        r.replacement_chars == e.replacements,
        format!("{}", r.replacement_chars),
    );
    let customers = &outcome.table.customers;
    check(
        "customers",
        customers.len() == e.customers,
        format!("{}", customers.len()),
    );
    for &(id, sales, orders, profit) in e.some {
        match customers.iter().find(|c| c.id == id) {
            None => check("customer", false, format!("{id:?} is missing")),
            Some(c) => check(
                "customer",
                close(c.sales, sales) && c.orders == orders && close(c.profit, profit),
                format!(
                    "{id:?}: sales {} orders {} profit {}",
                    c.sales, c.orders, c.profit
                ),
            ),
        }
    }
    let rejected: Vec<(u64, &str, RowProblem, &str)> = outcome
        .rejected
        .iter()
        .map(|row| {
            let e = &row.error;
            (e.line, e.column.as_str(), e.problem, e.value.as_str())
        })
        .collect();
    check(
        "rejected rows",
        rejected == e.rejected,
        format!("{rejected:?}"),
    );
    check(
        "first errors",
        r.first_errors.len() == e.rejected.len(),
        format!("{}", r.first_errors.len()),
    );
    let days = r.first_day.zip(r.last_day).map(|(a, b)| (a.iso(), b.iso()));
    check(
        "days",
        days.as_ref().map(|(a, b)| (a.as_str(), b.as_str())) == e.days,
        format!("{days:?}"),
    );
    wrong
}

#[test]
fn every_fixture_imports_as_written_out() {
    let mut failures = Vec::new();
    for case in fixture_cases().iter().chain(generated_cases().iter()) {
        // A panic is a failure of its case, and must not hide the other cases.
        match std::panic::catch_unwind(|| run(case)) {
            Ok(wrong) => failures.extend(wrong.into_iter().map(|w| format!("{}: {w}", case.name))),
            Err(_) => failures.push(format!("{}: panicked", case.name)),
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_fixture_file_is_in_the_table() {
    // A fixture added to the folder but not to the table would test nothing.
    let listed = [
        "accounting_numbers.csv",
        "bad_rows.csv",
        "big5_orders.csv",
        "binary_random.csv",
        "cdnow_whitespace.txt",
        "cr_only.csv",
        "crlf.csv",
        "dates_ambiguous.csv",
        "dates_month_first.csv",
        "empty.csv",
        "excel_serial_dates.csv",
        "gbk_bad_byte.csv",
        "gbk_one_row.csv",
        "gbk_orders.csv",
        "header_only.csv",
        "headerless_numeric_ids.csv",
        "nul_in_text.csv",
        "png_renamed.csv",
        "quoted_fields.csv",
        "ragged_rows.csv",
        "returns_netted.csv",
        "semicolon_decimal_comma.csv",
        "utf16le_bom_tab.csv",
        "utf16le_no_bom.csv",
        "utf8_bom.csv",
        "whitespace_only.csv",
        "xlsx_renamed.csv",
    ];
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ingest");
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .expect("the fixture folder")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".csv") || name.ends_with(".txt"))
        .collect();
    found.sort();
    assert_eq!(found, listed);
}
