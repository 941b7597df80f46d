//! The workbook reader: typed refusals, and the fixtures of `tests/oracle/make_xlsx.py`.

use super::*;

fn problem(bytes: Vec<u8>) -> (FileKind, TableProblem) {
    match Workbook::open(bytes).err() {
        Some(Error::Table { kind, problem }) => (kind, problem),
        other => panic!("not a table refusal: {other:?}"),
    }
}

#[test]
fn columns_have_their_a1_names() {
    for (index, name) in [
        (0, "A"),
        (5, "F"),
        (25, "Z"),
        (26, "AA"),
        (701, "ZZ"),
        (702, "AAA"),
    ] {
        assert_eq!(column_letters(index), name);
    }
    assert_eq!(a1_range((0, 0), (0, 5)), "A1:F1");
}

#[test]
fn what_is_no_workbook_is_refused_by_its_kind() {
    assert_eq!(
        problem(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest of an old workbook".to_vec()),
        (FileKind::OldExcel, TableProblem::OldExcel)
    );
    let (kind, damaged) = problem(b"PK\x03\x04 and then nothing of a zip".to_vec());
    assert_eq!(kind, FileKind::Xlsx);
    assert!(
        matches!(damaged, TableProblem::Damaged { .. }),
        "{damaged:?}"
    );
    assert!(matches!(
        problem(b"customer,amount\n".to_vec()).1,
        TableProblem::Damaged { .. }
    ));
}

use crate::engine::ingest::{import_bytes, ImportOutcome, InspectOptions};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/formats/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn from_csv(name: &str) -> ImportOutcome {
    import_bytes(&fixture(name), &InspectOptions::default()).unwrap()
}

fn from_xlsx(name: &str, sheet: Option<&str>) -> ImportOutcome {
    import_xlsx(fixture(name), sheet, &InspectOptions::default()).unwrap()
}

/// The same customers, and the same rows read, accepted and rejected with the same lines,
/// columns and reasons.
fn assert_same(xlsx: &ImportOutcome, csv: &ImportOutcome) {
    assert_eq!(xlsx.table, csv.table);
    let counts = |o: &ImportOutcome| {
        let r = &o.report;
        (
            r.rows_read,
            r.rows_accepted,
            r.rows_rejected,
            r.return_rows,
            r.first_day,
            r.last_day,
            r.blank_rows,
        )
    };
    assert_eq!(counts(xlsx), counts(csv));
    assert_eq!(xlsx.report.first_errors, csv.report.first_errors);
    assert_eq!(xlsx.report.settings.mapping, csv.report.settings.mapping);
    assert_eq!(xlsx.history, csv.history);
}

#[test]
fn a_sheet_imports_as_the_csv_of_its_rows() {
    let xlsx = from_xlsx("orders.xlsx", None);
    let csv = from_csv("orders.csv");
    assert_same(&xlsx, &csv);
    assert_eq!((xlsx.report.rows_read, xlsx.report.blank_rows), (300, 1));
    assert_eq!(xlsx.report.rows_rejected, 0);
    assert_eq!(
        xlsx.report.settings.source,
        crate::engine::ingest::TableSource::Xlsx {
            sheet: "订单".into()
        }
    );
    // Profit is the formula's cached value.
    assert!(xlsx.report.settings.mapping.profit.is_some());
    assert!(xlsx.table.customers.iter().any(|c| c.profit != 0.0));
}

#[test]
fn the_second_sheet_is_read_when_chosen() {
    let mut book = Workbook::open(fixture("orders.xlsx")).unwrap();
    assert_eq!(book.sheet_names(), ["订单", "二月"]);
    let head = book.sheet(Some("二月")).unwrap().head(5);
    assert_eq!(
        head.names,
        ["客户编号", "订单号", "订单日期", "金额", "利润"]
    );
    assert_eq!(head.layout.sheets, ["订单", "二月"]);
    assert_eq!((head.layout.header_line, head.rows.len()), (1, 5));
    assert_same(
        &from_xlsx("orders.xlsx", Some("二月")),
        &from_csv("orders-二月.csv"),
    );
    assert_eq!(
        book.sheet(Some("三月")).err(),
        Some(Error::Table {
            kind: FileKind::Xlsx,
            problem: TableProblem::NoSuchSheet {
                name: "三月".into()
            }
        })
    );
}

#[test]
fn the_empty_row_is_skipped_and_counted() {
    let mut book = Workbook::open(fixture("orders.xlsx")).unwrap();
    let sheet = book.sheet(None).unwrap();
    assert_eq!((sheet.data_rows(), sheet.blank_rows()), (301, 1));
    let mut lines = Vec::new();
    sheet.for_each_row(|line, _| {
        lines.push(line);
        true
    });
    // Sheet rows 2 to 302, the empty row 42 among them (the importer skips it).
    assert_eq!((lines[0], lines[40], lines[300]), (2, 42, 302));
}

#[test]
fn a_merged_title_above_the_header_is_skipped_and_told() {
    let mut book = Workbook::open(fixture("orders-title.xlsx")).unwrap();
    let head = book.sheet(None).unwrap().head(3);
    assert_eq!(head.layout.skipped_title.as_deref(), Some("A1:E1"));
    assert_eq!(head.layout.header_line, 2);
    assert_eq!(
        head.names,
        ["客户编号", "订单号", "订单日期", "金额", "利润"]
    );
    assert_eq!(head.rows[0][..2], ["C034", "SO-1700000"]);
    let titled = from_xlsx("orders-title.xlsx", None);
    assert_eq!(titled.report.rows_read, 50);
    // The same customers as the first 50 rows of the CSV (its header, 40 rows, the empty
    // line 42, 10 rows).
    let csv = String::from_utf8(fixture("orders.csv")).unwrap();
    let first_50: String = csv.lines().take(52).map(|l| format!("{l}\n")).collect();
    let csv = import_bytes(first_50.as_bytes(), &InspectOptions::default()).unwrap();
    assert_eq!(titled.table, csv.table);
}

#[test]
fn bad_cells_reject_their_rows_with_line_and_column() {
    let xlsx = from_xlsx("orders-bad.xlsx", None);
    let csv = from_csv("orders-bad.csv");
    assert_same(&xlsx, &csv);
    let named: Vec<(u64, &str, &str)> = xlsx
        .report
        .first_errors
        .iter()
        .map(|e| (e.line, e.column.as_str(), e.value.as_str()))
        .collect();
    assert_eq!(
        named,
        [
            (3, "金额", "#DIV/0!"),
            (5, "金额", "N/A"),
            (6, "利润", ""),
            (8, "订单日期", "明天")
        ]
    );
}

#[test]
fn the_1904_date_system_reads_the_same_dates() {
    let book = Workbook::open(fixture("dates-1904.xlsx")).unwrap();
    assert!(book.book.has_1904_epoch());
    let csv = String::from_utf8(fixture("orders.csv")).unwrap();
    let first_30: String = csv.lines().take(31).map(|l| format!("{l}\n")).collect();
    let csv = import_bytes(first_30.as_bytes(), &InspectOptions::default()).unwrap();
    assert_same(&from_xlsx("dates-1904.xlsx", None), &csv);
}

#[test]
fn damaged_and_foreign_zips_are_refused() {
    let mut cut = fixture("orders.xlsx");
    cut.truncate(cut.len() / 2);
    assert!(matches!(
        problem(cut),
        (FileKind::Xlsx, TableProblem::Damaged { .. })
    ));
    assert_eq!(
        problem(fixture("not-a-workbook.xlsx")),
        (FileKind::Xlsx, TableProblem::NotAWorkbook)
    );
}

/// Hostile workbooks of `tests/oracle/make_hostile_xlsx.py`: bounded or refused with a typed
/// problem, never a grid or an unpacking of gigabytes.
#[test]
fn hostile_workbooks_are_bounded_or_refused_by_name() {
    // A dimension claiming the whole sheet costs nothing: the three rows read.
    let mut book = Workbook::open(fixture("hostile-dimension.xlsx")).unwrap();
    let sheet = book.sheet(None).unwrap();
    assert_eq!(
        sheet.head(10).names,
        ["customer", "order", "date", "amount"]
    );
    assert_eq!(sheet.data_rows(), 3);

    // Two cells at opposite corners: 1,048,576 rows × 16,384 columns, refused.
    let mut book = Workbook::open(fixture("hostile-far-cells.xlsx")).unwrap();
    match book.sheet(None).err() {
        Some(Error::Table {
            kind: FileKind::Xlsx,
            problem:
                TableProblem::SheetTooLarge {
                    rows,
                    columns,
                    limit,
                },
        }) => assert_eq!((rows, columns, limit), (1_048_576, 16_384, MAX_SHEET_CELLS)),
        other => panic!("{other:?}"),
    }

    // 400 MB of sheet XML in 400 KB, declared: refused before unpacking.
    let bomb = fixture("hostile-bomb.xlsx");
    let limit = inflate_limit(bomb.len() as u64);
    assert!(bomb.len() < 1 << 20);
    match problem(bomb) {
        (FileKind::Xlsx, TableProblem::Inflated { bytes, limit: l }) => {
            assert!(bytes > 400 << 20, "{bytes}");
            assert_eq!(l, limit);
        }
        other => panic!("{other:?}"),
    }

    // The same, its size declared as 1 KB: the reader stops there (a damaged file), quickly.
    let started = std::time::Instant::now();
    let result = Workbook::open(fixture("hostile-bomb-lying.xlsx"))
        .and_then(|mut b| b.sheet(None).map(|_| ()));
    match result {
        Err(Error::Table {
            kind: FileKind::Xlsx,
            problem: TableProblem::Damaged { .. },
        }) => {}
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
}

#[test]
fn the_declared_unpacked_size_is_read_from_the_zip_directory() {
    let orders = fixture("orders.xlsx");
    let declared = declared_inflated_size(&orders).unwrap();
    assert!(declared > orders.len() as u64, "{declared}");
    assert_eq!(declared_inflated_size(b"PK\x03\x04 no directory"), None);
    assert_eq!(declared_inflated_size(b""), None);
    assert_eq!(inflate_limit(0), INFLATE_FLOOR);
    assert_eq!(inflate_limit(u64::MAX), MAX_INFLATED_BYTES);
}

#[test]
fn reading_a_sheet_tells_how_far_its_rows_have_come() {
    // 300 rows of 5 cells, one blank row, a declared A1:E302: every 50 cells, ten rows more.
    let mut book = Workbook::open(fixture("orders.xlsx")).unwrap();
    let mut shares = Vec::new();
    let sheet = book
        .sheet_with_progress(None, 50, &mut |share| shares.push(share))
        .unwrap();
    assert!(shares.len() >= 25, "{shares:?}");
    assert!(shares.windows(2).all(|w| w[0] <= w[1]), "{shares:?}");
    assert!(shares.iter().all(|s| (0.0..=1.0).contains(s)));
    assert!(shares.last().is_some_and(|&s| s > 0.9), "{shares:?}");
    // The same sheet as without reports.
    let plain = Workbook::open(fixture("orders.xlsx"))
        .unwrap()
        .sheet(None)
        .unwrap();
    assert_eq!(plain.data_rows(), sheet.data_rows());
    assert_eq!(plain.head(400).rows, sheet.head(400).rows);
}
