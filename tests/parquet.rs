//! The Parquet reader (`engine::formats::parquet`) on files written by DuckDB and by Spark
//! (`tests/oracle/make_parquet.py`), against DuckDB's own CSV export of the same rows: every cell
//! equal, then the whole import equal; and on damaged files, which give typed errors, never a
//! panic. Native only: proptest does not build for wasm32.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use valuelens::engine::dimensions::{AttributeColumn, AttributeKind};
use valuelens::engine::error::{Error, FormatProblem, FormatSubject, ParquetProblem};
use valuelens::engine::formats::parquet::{Opened, ParquetFile, TableRow};
use valuelens::engine::formats::{TableHead, TableLayout};
use valuelens::engine::ingest::values::DecimalSeparator;
use valuelens::engine::ingest::{
    import_bytes, inspect_table, ColumnUse, ImportOutcome, ImportSettings, Importer,
    InspectOptions, TableSource, TypedCell, PREVIEW_ROWS,
};
use valuelens::engine::ingest::{DecodedRows, Preview};

/// What the worker reads first: the file's last 64 KiB.
const TAIL: usize = 64 * 1024;

const CSV: &str = include_str!("fixtures/formats/parquet-orders.csv");

/// The Parquet fixtures, by writer and codec.
const FIXTURES: &[(&str, &[u8])] = &[
    (
        "duckdb snappy",
        include_bytes!("fixtures/formats/orders_duckdb_snappy.parquet"),
    ),
    (
        "duckdb zstd",
        include_bytes!("fixtures/formats/orders_duckdb_zstd.parquet"),
    ),
    (
        "duckdb uncompressed",
        include_bytes!("fixtures/formats/orders_duckdb_uncompressed.parquet"),
    ),
    // Data pages of format v2: the ids dictionary-encoded (read by the module's own text
    // decoder, levels outside the values) and DELTA_LENGTH_BYTE_ARRAY (the crate's reader).
    (
        "duckdb v2 snappy",
        include_bytes!("fixtures/formats/orders_duckdb_v2.parquet"),
    ),
    (
        "spark snappy",
        include_bytes!("fixtures/formats/orders_spark.parquet"),
    ),
];

/// Opens `file` as the worker does: the last 64 KiB, then a longer tail if the footer asks.
fn open(file: &[u8]) -> Result<ParquetFile, Error> {
    let tail = |n: usize| &file[file.len().saturating_sub(n)..];
    match ParquetFile::open(file.len() as u64, tail(TAIL))? {
        Opened::Ready(parquet) => Ok(parquet),
        Opened::NeedTail(n) => match ParquetFile::open(file.len() as u64, tail(n))? {
            Opened::Ready(parquet) => Ok(parquet),
            Opened::NeedTail(m) => panic!("asked for {n} bytes, then for {m}"),
        },
    }
}

/// Every row of `file` as (line, cells), read row group by row group from their byte ranges.
/// Rows with their lines.
type Rows = Vec<(u64, Vec<String>)>;

fn read_all(file: &[u8]) -> Result<(ParquetFile, Rows), Error> {
    let parquet = open(file)?;
    let mut rows = Vec::new();
    for group in 0..parquet.row_groups() {
        let range = parquet.row_group_bytes(group);
        let bytes = &file[range.start as usize..range.end as usize];
        parquet.read_row_group(group, bytes, &mut |line, cells| {
            rows.push((line, cells.iter().map(|c| c.to_string()).collect()));
        })?;
    }
    Ok((parquet, rows))
}

/// The CSV's header and rows (no field of it is quoted).
fn csv_rows() -> (Vec<String>, Vec<Vec<String>>) {
    let mut lines = CSV
        .lines()
        .map(|l| l.split(',').map(str::to_owned).collect());
    let header = lines.next().unwrap_or_default();
    (header, lines.collect())
}

#[test]
fn every_cell_equals_duckdbs_csv_of_the_same_rows() {
    let (header, expected) = csv_rows();
    assert_eq!(expected.len(), 5162);
    for (name, file) in FIXTURES {
        let (parquet, rows) = read_all(file).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(parquet.column_names(), header, "{name}");
        assert_eq!(parquet.rows(), expected.len() as u64, "{name}");
        assert!(parquet.skipped_columns().is_empty(), "{name}");
        assert_eq!(parquet.invalid_utf8_cells(), 0, "{name}");
        assert_eq!(rows.len(), expected.len(), "{name}");
        for (i, ((line, cells), want)) in rows.iter().zip(&expected).enumerate() {
            assert_eq!(*line, i as u64 + 2, "{name}: line of row {i}");
            assert_eq!(cells, want, "{name}: line {line}");
        }
    }
}

#[test]
fn duckdb_files_have_several_row_groups_and_spark_one() {
    for (name, file) in FIXTURES {
        let parquet = open(file).unwrap_or_else(|e| panic!("{name}: {e}"));
        let expected = if name.starts_with("duckdb") { 3 } else { 1 };
        assert_eq!(parquet.row_groups(), expected, "{name}");
        // The row groups' byte ranges follow one another inside the file.
        let mut end = 4;
        for group in 0..parquet.row_groups() {
            let range = parquet.row_group_bytes(group);
            assert!(
                range.start >= end && range.end > range.start,
                "{name}: {range:?}"
            );
            end = range.end;
        }
        assert!(end <= file.len() as u64);
        assert_eq!(parquet.row_group_bytes(parquet.row_groups()), 0..0);
    }
}

#[test]
fn head_rows_are_the_first_rows() {
    let (_, expected) = csv_rows();
    for (name, file) in FIXTURES {
        let parquet = open(file).unwrap_or_else(|e| panic!("{name}: {e}"));
        let range = parquet.row_group_bytes(0);
        let group0 = &file[range.start as usize..range.end as usize];
        let head = parquet
            .head_rows(group0, 20)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(head, expected[..20].to_vec(), "{name}");
        assert_eq!(parquet.head_rows(group0, 0).ok(), Some(vec![]));
    }
}

/// A Parquet file through the real path of the reader worker (the head to `inspect_table`, the
/// rows to `Importer::push_row` row group by row group) imports as DuckDB's CSV export of the
/// same rows does: same mapping, customers, sums, accepted and rejected rows with their lines
/// and columns.
#[test]
fn importing_the_parquet_equals_importing_the_csv() {
    let options = InspectOptions::default();
    let from_csv = import_bytes(CSV.as_bytes(), &options).expect("the CSV imports");
    assert_eq!(from_csv.report.rows_rejected, 2);
    for (name, file) in FIXTURES {
        let preview = preview_of(file);
        assert_eq!(preview.mapping, from_csv.report.settings.mapping, "{name}");
        for path in [Path::Text, Path::Typed, Path::Decoded] {
            let (from_parquet, taken, invalid) = import_parquet(file, preview.settings(), path);
            let from_parquet = from_parquet.expect("imports");
            let name = format!("{name}, {path:?}");
            if path != Path::Text {
                // The typed path took the rows up to the first rejected one.
                assert!(taken > 5000, "{name}: {taken} typed rows");
            }
            assert_eq!(invalid, 0, "{name}");
            same_as_csv(&name, &from_parquet, &from_csv);
        }
    }
}

/// The preview the reader worker makes of `file`: its head (row group 0) inspected.
fn preview_of(file: &[u8]) -> Preview {
    let parquet = open(file).expect("opens");
    let group0 = parquet.row_group_bytes(0);
    let head = TableHead {
        names: parquet.column_names(),
        rows: parquet
            .head_rows(
                &file[group0.start as usize..group0.end as usize],
                PREVIEW_ROWS,
            )
            .expect("the head reads"),
        complete: parquet.rows() <= PREVIEW_ROWS as u64,
        layout: TableLayout::default(),
    };
    inspect_table(&head, TableSource::Parquet, &InspectOptions::default()).expect("inspects")
}

/// The table and the report of `from_parquet` are those of `from_csv`.
fn same_as_csv(name: &str, from_parquet: &ImportOutcome, from_csv: &ImportOutcome) {
    {
        assert_eq!(from_parquet.table, from_csv.table, "{name}");
        let report = (&from_parquet.report, &from_csv.report);
        assert_eq!(report.0.rows_read, report.1.rows_read, "{name}");
        assert_eq!(report.0.rows_accepted, report.1.rows_accepted, "{name}");
        assert_eq!(report.0.rows_rejected, report.1.rows_rejected, "{name}");
        assert_eq!(report.0.first_errors, report.1.first_errors, "{name}");
        assert_eq!(report.0.first_day, report.1.first_day, "{name}");
        assert_eq!(report.0.last_day, report.1.last_day, "{name}");
        assert_eq!(from_parquet.rejected, from_csv.rejected, "{name}");
    }
}

/// A row group decoded on the decoder's thread: its rows, its cells of invalid UTF-8, its typed
/// rows; or its error.
type DecodedGroup = Result<(Vec<u8>, u64, u64), String>;

/// How [`import_parquet`] hands the rows to the importer.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Path {
    /// Every row as text (`read_row_group` into `push_row`).
    Text,
    /// Typed cells (`read_row_group_typed` into `push_typed_row`, text rows into `push_row`).
    Typed,
    /// As `Typed`, but each row group decoded by another `ParquetFile` of the same file on
    /// another thread (`decode_row_group_typed`, as the reader's decoder worker does) and handed
    /// on from those bytes (`hand_on_decoded`, then `read_row_group_text_from` after a refused
    /// row, as the reader worker does).
    Decoded,
}

/// Imports `file` as the reader worker does with `settings` along `path`; how many rows the
/// typed path took, and how many cells of invalid UTF-8 the file counted.
fn import_parquet(
    file: &[u8],
    settings: ImportSettings,
    path: Path,
) -> (Result<ImportOutcome, Error>, u64, u64) {
    let parquet = open(file).expect("opens");
    let mut importer = Importer::new_table(settings.clone()).expect("an importer");
    let uses = importer
        .column_uses(parquet.column_names().len())
        .filter(|_| path != Path::Text);
    // The decoder: its own footer, every row group decoded on its own thread, in order, with
    // the cells of invalid UTF-8 it counted.
    let decoded: Vec<DecodedGroup> = match (&uses, path) {
        (Some(uses), Path::Decoded) => std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    let decoder = open(file).expect("opens");
                    let mut rows = DecodedRows::new();
                    (0..decoder.row_groups())
                        .map(|group| {
                            let range = decoder.row_group_bytes(group);
                            let bytes = &file[range.start as usize..range.end as usize];
                            let before = decoder.invalid_utf8_cells();
                            let mut typed = 0u64;
                            rows.clear();
                            decoder
                                .read_row_group_typed(
                                    group,
                                    bytes,
                                    uses,
                                    &mut |line, row| match row {
                                        TableRow::Typed {
                                            cells,
                                            undecoded_bytes,
                                        } => {
                                            let took =
                                                rows.push_typed(cells, undecoded_bytes, &settings);
                                            typed += u64::from(took);
                                            took
                                        }
                                        TableRow::Text(cells) => {
                                            rows.push_text(line, cells);
                                            true
                                        }
                                    },
                                )
                                .map(|()| {
                                    let invalid = decoder.invalid_utf8_cells() - before;
                                    (rows.bytes().to_vec(), invalid, typed)
                                })
                                .map_err(|e| e.to_string())
                        })
                        .collect()
                })
                .join()
                .expect("the decoder thread")
        }),
        _ => Vec::new(),
    };
    let width = parquet.column_names().len();
    let mut taken = 0u64;
    // A row as the reader worker pushes it; counts the typed rows taken.
    fn push(importer: &mut Importer, taken: &mut u64, line: u64, row: TableRow) -> bool {
        match row {
            TableRow::Typed {
                cells,
                undecoded_bytes,
            } => {
                let took = importer.push_typed_row(cells, undecoded_bytes);
                *taken += u64::from(took);
                took
            }
            TableRow::Text(cells) => {
                importer.push_row(line, cells);
                true
            }
        }
    }
    for group in 0..parquet.row_groups() {
        let range = parquet.row_group_bytes(group);
        let bytes = &file[range.start as usize..range.end as usize];
        let read = match (&uses, decoded.get(group)) {
            (Some(_), Some(Ok((decoded, invalid, typed)))) => {
                parquet.add_invalid_utf8_cells(*invalid);
                match importer.push_decoded(decoded, width, parquet.row_group_rows(group)) {
                    None => {
                        taken += typed;
                        Ok(())
                    }
                    Some(from) => panic!("group {group}: row {from} refused by the importer"),
                }
            }
            // The decoder failed on this row group: the reader decodes it itself.
            (Some(uses), _) => {
                parquet.read_row_group_typed(group, bytes, uses, &mut |line, row| {
                    push(&mut importer, &mut taken, line, row)
                })
            }
            (None, _) => parquet.read_row_group(group, bytes, &mut |line, cells| {
                importer.push_row(line, cells)
            }),
        };
        read.expect("the row group reads");
        importer.add_bytes(range.end - range.start);
    }
    (importer.finish(), taken, parquet.invalid_utf8_cells())
}

const TYPES: &[u8] = include_bytes!("fixtures/formats/types_duckdb.parquet");

/// The settings `inspect_table` makes of the types fixture's head, and its column names.
fn types_settings() -> (ImportSettings, Vec<String>) {
    let parquet = open(TYPES).expect("opens");
    let group0 = parquet.row_group_bytes(0);
    let head = TableHead {
        names: parquet.column_names(),
        rows: parquet
            .head_rows(
                &TYPES[group0.start as usize..group0.end as usize],
                PREVIEW_ROWS,
            )
            .expect("the head reads"),
        complete: false,
        layout: TableLayout::default(),
    };
    let preview =
        inspect_table(&head, TableSource::Parquet, &InspectOptions::default()).expect("inspects");
    (preview.settings(), parquet.column_names())
}

/// Every number type (INT32, INT64, unsigned, DECIMAL on INT32, INT64 and fixed bytes at scales
/// 2, 3, 4 and 6, DOUBLE, FLOAT) as amount and profit, every date type (DATE, TIMESTAMP in
/// milli-, micro- and nanoseconds, TIMESTAMP WITH TIME ZONE) as the date, ids as text and as
/// integers, with nulls, negative amounts and the bad values of the fixture: the typed path
/// gives the text path's outcome, rejected rows with their lines and columns included.
#[test]
fn every_type_imports_typed_as_its_text_does() {
    let (base, names) = types_settings();
    let column = |name: &str| names.iter().position(|n| n == name).expect(name);
    let amounts = [
        "amount_int",
        "amount_big",
        "amount_dec2",
        "amount_dec4",
        "amount_dec3",
        "amount_dec38",
        "amount_double",
        "amount_float",
        "amount_utiny",
        "amount_ubig",
    ];
    let dates = [
        "order_date",
        "ordered_at",
        "ordered_ms",
        "ordered_ns",
        "ordered_tz",
    ];
    for (k, amount) in amounts.iter().enumerate() {
        for decimal in [DecimalSeparator::Point, DecimalSeparator::Comma] {
            let mut settings = base.clone();
            settings.decimal = decimal;
            let mapping = &mut settings.mapping;
            mapping.customer = Some(column(if k % 3 == 2 {
                "customer_number"
            } else {
                "customer"
            }));
            mapping.order = Some(column("order_id"));
            mapping.amount = Some(column(amount));
            mapping.profit = Some(column(amounts[(k + 3) % amounts.len()]));
            mapping.quantity = Some(column("quantity"));
            mapping.date = Some(column(dates[k % dates.len()]));
            settings.attributes = match k % 2 {
                0 => vec![AttributeColumn {
                    column: column("region"),
                    kind: AttributeKind::Region,
                }],
                _ => Vec::new(),
            };
            let name = format!("{amount}, {decimal:?}");
            let (text, none, _) = import_parquet(TYPES, settings.clone(), Path::Text);
            let (typed, taken, invalid) = import_parquet(TYPES, settings.clone(), Path::Typed);
            // Decoded on another thread: the same rows taken, the same outcome, to the bit.
            let (decoded, decoded_taken, decoded_invalid) =
                import_parquet(TYPES, settings, Path::Decoded);
            assert_eq!(none, 0);
            assert_eq!(
                (decoded_taken, decoded_invalid),
                (taken, invalid),
                "{amount}"
            );
            assert_eq!(
                format!("{decoded:?}"),
                format!("{typed:?}"),
                "{amount}, {decimal:?}: decoded elsewhere"
            );
            let (text, typed) = match (text, typed) {
                (Ok(text), Ok(typed)) => (text, typed),
                // With a decimal comma some columns have no number at all: the same refusal.
                (Err(text), Err(typed)) => {
                    assert_eq!(format!("{typed:?}"), format!("{text:?}"), "{name}");
                    assert_eq!(decimal, DecimalSeparator::Comma, "{name}: {text}");
                    continue;
                }
                (text, typed) => panic!("{name}: {text:?} / {typed:?}"),
            };
            assert!(text.report.rows_rejected > 0, "{name}: no row rejected");
            if decimal == DecimalSeparator::Point {
                // Up to the first row the text path rejects in each row group (see BENCHMARKS.md).
                assert!(taken > 100, "{name}: {taken} rows typed");
            }
            assert_eq!(typed.table, text.table, "{name}");
            assert_eq!(typed.report, text.report, "{name}");
            assert_eq!(typed.rejected, text.rejected, "{name}");
        }
    }
}

/// The typed path decodes only the mapped columns (the others are null in its rows, and
/// bounded by the footer), and types the number and date columns.
#[test]
fn the_typed_path_decodes_only_the_mapped_columns() {
    let (settings, names) = types_settings();
    let column = |name: &str| names.iter().position(|n| n == name).expect(name);
    let importer = Importer::new_table(settings.clone()).expect("an importer");
    let uses = importer.column_uses(names.len()).expect("typed");
    assert_eq!(uses[column("note")], ColumnUse::Unused);
    let parquet = open(TYPES).expect("opens");
    let range = parquet.row_group_bytes(0);
    let mut rows = 0;
    parquet
        .read_row_group_typed(
            0,
            &TYPES[range.start as usize..range.end as usize],
            &uses,
            &mut |_, row| {
                let TableRow::Typed {
                    cells,
                    undecoded_bytes,
                } = row
                else {
                    panic!("a text row");
                };
                assert!(undecoded_bytes > 0);
                assert_eq!(cells[column("note")], TypedCell::Null);
                if let Some(amount) = settings.mapping.amount {
                    assert!(
                        !matches!(cells[amount], TypedCell::Text(_)),
                        "{:?}",
                        cells[amount]
                    );
                }
                rows += 1;
                true
            },
        )
        .expect("reads");
    assert_eq!(rows, 2048);
}

fn parquet_problem(result: Result<impl std::fmt::Debug, Error>) -> ParquetProblem {
    match result {
        Err(Error::Format {
            what: FormatSubject::ParquetFile,
            reason: FormatProblem::Parquet(problem),
        }) => problem,
        other => panic!("expected a Parquet problem, got {other:?}"),
    }
}

#[test]
fn files_that_are_not_parquet_are_named() {
    let spark = FIXTURES[3].1;
    let cases: &[(&str, &[u8], ParquetProblem)] = &[
        ("empty", b"", ParquetProblem::NotParquet),
        ("a CSV", CSV.as_bytes(), ParquetProblem::NotParquet),
        ("the magic alone", b"PAR1", ParquetProblem::NotParquet),
        (
            "an encrypted footer",
            b"PAR1\x10\0\0\0PARE",
            ParquetProblem::Encrypted,
        ),
    ];
    for (name, bytes, want) in cases {
        let got = parquet_problem(ParquetFile::open(bytes.len() as u64, bytes));
        assert_eq!(&got, want, "{name}");
    }
    // A footer that claims more bytes than the file has.
    let mut claims_too_much = spark.to_vec();
    let n = claims_too_much.len();
    claims_too_much[n - 8..n - 4].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(
        parquet_problem(ParquetFile::open(n as u64, &claims_too_much)),
        ParquetProblem::DamagedFooter { .. }
    ));
    // A footer whose metadata is noise.
    let mut noise = spark.to_vec();
    noise[n - 200..n - 8].fill(0xA5);
    assert!(matches!(
        parquet_problem(ParquetFile::open(n as u64, &noise)),
        ParquetProblem::DamagedFooter { .. }
    ));
}

#[test]
fn a_short_tail_asks_for_the_footer() {
    let file = FIXTURES[0].1;
    let tail = &file[file.len() - 16..];
    let Ok(Opened::NeedTail(n)) = ParquetFile::open(file.len() as u64, tail) else {
        panic!("expected NeedTail");
    };
    assert!(n > 16 && n < file.len());
    assert!(matches!(
        ParquetFile::open(file.len() as u64, &file[file.len() - n..]),
        Ok(Opened::Ready(_))
    ));
}

#[test]
fn wrong_or_damaged_row_group_bytes_are_typed_errors() {
    let file = FIXTURES[1].1;
    let parquet = open(file).expect("opens");
    let range = parquet.row_group_bytes(1);
    let bytes = &file[range.start as usize..range.end as usize];
    let mut rows = 0;
    let short = parquet.read_row_group(1, &bytes[1..], &mut |_, _| rows += 1);
    assert!(matches!(
        parquet_problem(short),
        ParquetProblem::WrongRowGroupBytes { row_group: 1, .. }
    ));
    let mut zeroed = bytes.to_vec();
    zeroed.fill(0);
    let damaged = parquet.read_row_group(1, &zeroed, &mut |_, _| rows += 1);
    assert!(matches!(
        parquet_problem(damaged),
        ParquetProblem::DamagedData { row_group: 1, .. }
    ));
}

/// Opens and reads `file` as the worker would, with whatever bytes it has; only `Ok` or a typed
/// error may come out.
fn read_anything(file: &[u8]) {
    let Ok(parquet) = open_lenient(file) else {
        return;
    };
    for group in 0..parquet.row_groups() {
        let range = parquet.row_group_bytes(group);
        let bytes = file
            .get(range.start as usize..range.end as usize)
            .unwrap_or_default();
        let _ = parquet.read_row_group(group, bytes, &mut |_, _| {});
        let _ = parquet.head_rows(bytes, 5);
    }
    let _ = parquet.column_names();
    let _ = parquet.rows();
}

fn open_lenient(file: &[u8]) -> Result<ParquetFile, Error> {
    let tail = |n: usize| &file[file.len().saturating_sub(n)..];
    match ParquetFile::open(file.len() as u64, tail(TAIL))? {
        Opened::Ready(parquet) => Ok(parquet),
        Opened::NeedTail(n) => match ParquetFile::open(file.len() as u64, tail(n))? {
            Opened::Ready(parquet) => Ok(parquet),
            Opened::NeedTail(_) => Err(Error::NoData),
        },
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        read_anything(&bytes);
        let mut with_magic = bytes.clone();
        with_magic.extend_from_slice(&(bytes.len() as u32 / 2).to_le_bytes());
        with_magic.extend_from_slice(b"PAR1");
        read_anything(&with_magic);
    }

    #[test]
    fn cut_files_never_panic(which in 0..4usize, keep in 0.0..1.0f64) {
        let file = FIXTURES[which].1;
        let keep = (file.len() as f64 * keep) as usize;
        read_anything(&file[..keep]);
        read_anything(&file[file.len() - keep..]);
    }

    #[test]
    fn corrupted_files_never_panic(
        which in 0..4usize,
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..12),
    ) {
        let mut file = FIXTURES[which].1.to_vec();
        for (at, byte) in flips {
            let i = at.index(file.len());
            file[i] ^= byte | 1;
        }
        read_anything(&file);
    }
}

/// Rows decoded on another thread and cut off anywhere on the way: the importer
/// takes the rows before the cut, names the first one it did not take, and the reader reading
/// the rest of the row group as text from there gives the outcome of one thread, to the bit.
#[test]
fn decoded_rows_cut_anywhere_are_taken_up_to_the_cut_and_read_again_from_there() {
    let (_, file) = FIXTURES[0];
    let parquet = open(file).expect("opens");
    let settings = preview_of(file).settings();
    let (expected, _, _) = import_parquet(file, settings.clone(), Path::Typed);
    let expected = format!("{:?}", expected.expect("imports"));
    let width = parquet.column_names().len();
    let uses = Importer::new_table(settings.clone())
        .expect("an importer")
        .column_uses(width)
        .expect("typed");
    let groups: Vec<(&[u8], DecodedRows)> = (0..parquet.row_groups())
        .map(|group| {
            let range = parquet.row_group_bytes(group);
            let bytes = &file[range.start as usize..range.end as usize];
            let mut rows = DecodedRows::new();
            parquet
                .decode_row_group(group, bytes, &uses, &settings, &mut rows)
                .expect("decodes");
            (bytes, rows)
        })
        .collect();
    let record = groups[1].1.bytes();
    let rows = groups[1].1.rows();
    let mut cuts: Vec<usize> = (0..200).chain((0..record.len()).step_by(997)).collect();
    cuts.push(record.len() - 1);
    for cut in cuts {
        // Cut off; at the start, also with bytes of no row after the cut (what is damaged
        // inside a row is not seen: the bytes are the workers' own, handed over in memory).
        for damaged in [false, cut == 0] {
            let mut bytes = record[..cut].to_vec();
            if damaged {
                bytes.extend_from_slice(&[9; 40]);
            }
            let mut importer = Importer::new_table(settings.clone()).expect("an importer");
            for (group, (bytes_of_group, rows_of_group)) in groups.iter().enumerate() {
                let sent = if group == 1 {
                    &bytes[..]
                } else {
                    rows_of_group.bytes()
                };
                let rows_of = parquet.row_group_rows(group);
                if let Some(from) = importer.push_decoded(sent, width, rows_of) {
                    assert_eq!(group, 1, "cut at {cut}");
                    assert!(from <= rows, "cut at {cut}: row {from} of {rows}");
                    parquet
                        .read_row_group_text_from(group, bytes_of_group, from, &mut |line, row| {
                            match row {
                                TableRow::Text(cells) => importer.push_row(line, cells),
                                TableRow::Typed { .. } => panic!("typed rows after a refusal"),
                            }
                            true
                        })
                        .expect("reads");
                }
                importer.add_bytes(bytes_of_group.len() as u64);
            }
            let outcome = format!("{:?}", importer.finish().expect("finishes"));
            assert!(outcome == expected, "cut at {cut}, damaged {damaged}");
        }
    }
}
