//! The master import and join on small hand-made files (expected values worked out by hand).

use super::*;
use crate::engine::ingest::{import_bytes, InspectOptions};

const ORDERS: &str = "customer,date,amount\n\
C001,2024-01-05,100\n\
c002,2024-01-06,50\n\
C003,2024-02-01,30\n\
D9,2024-03-01,20\n\
C001,2024-03-02,10\n";

const MASTER: &str = "客户编号,行业,成立年份,备注\n\
Ｃ００１,制造,1998,a\n\
C002 ,零售,2005,\n\
,零售,2010,no id\n\
c001,服务,2001,second\n\
P1,服务,2015,prospect\n\
\u{3000}ｐ２\u{3000},,2020,prospect too\n";

fn table() -> CustomerTable {
    import_bytes(ORDERS.as_bytes(), &InspectOptions::default())
        .unwrap()
        .table
}

#[test]
fn ids_are_normalised_for_width_case_and_space() {
    let cases = [
        ("C001", "c001"),
        ("  c001\t", "c001"),
        ("Ｃ００１", "c001"),
        ("ｃ００１", "c001"),
        ("\u{3000}C001\u{3000}", "c001"),
        ("Ａ　Ｂ", "a b"),
        ("ＡＢ－１２＿Ｘ", "ab-12_x"),
        ("客户Ａ", "客户a"),
        ("ÉCOLE", "École"),
        ("'=SUM", "=sum"),
        ("'abc", "'abc"),
        ("", ""),
        ("\u{3000}", ""),
        ("～！", "~!"),
    ];
    for (id, want) in cases {
        assert_eq!(normalize_id(id), want, "{id:?}");
    }
}

#[test]
fn columns_are_guessed_and_keys_prefixed() {
    let master = import_master(MASTER.as_bytes(), &MasterOptions::default()).unwrap();
    assert_eq!(master.id_column, 0);
    assert_eq!(master.id_guess, Some(GuessSource::HeaderExact));
    let kinds: Vec<(&str, AttributeKind, &str, bool)> = master
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.kind, c.key.as_str(), c.known_name))
        .collect();
    assert_eq!(
        kinds,
        [
            ("行业", AttributeKind::Industry, "master_industry", true),
            (
                "成立年份",
                AttributeKind::BirthYear,
                "master_birth_year",
                true
            ),
            ("备注", AttributeKind::Other, "master_attribute", false),
        ]
    );
}

#[test]
fn empty_ids_are_rejected_and_duplicates_listed_first_wins() {
    let master = import_master(MASTER.as_bytes(), &MasterOptions::default()).unwrap();
    assert_eq!(master.rows_read, 6);
    assert_eq!(master.rows.len(), 4);
    assert_eq!(master.rejected_count, 1);
    assert_eq!(
        master.rejected[0].to_string(),
        "line 4, column '客户编号': the cell is empty"
    );
    assert_eq!(master.duplicate_count, 1);
    assert_eq!(
        master.duplicates,
        [Duplicate {
            line: 5,
            id: "c001".into(),
            first_line: 2
        }]
    );
    // Nothing dropped silently.
    assert_eq!(
        master.rows_read,
        master.rows.len() as u64 + master.rejected_count + master.duplicate_count
    );
    // The first row of C001 wins: 制造, not 服务.
    assert_eq!(master.rows[0].values, ["制造", "1998", "a"]);
}

#[test]
fn the_join_finds_matched_unmatched_and_prospects() {
    let master = import_master(MASTER.as_bytes(), &MasterOptions::default()).unwrap();
    let table = table();
    let ids: Vec<&str> = table.customers.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["C001", "C003", "D9", "c002"]);
    let join = join_master(&master, &table);
    assert_eq!(join.matched, 2);
    assert_eq!(join.unmatched, [1, 2]);
    assert_eq!(join.match_rate, Some(0.5));
    let prospects: Vec<&str> = join
        .prospects
        .iter()
        .map(|&i| master.rows[i].id.as_str())
        .collect();
    assert_eq!(prospects, ["P1", "ｐ２"]);
    let industry = join.attributes.get("master_industry").unwrap();
    let values: Vec<&str> = (0..4).map(|i| industry.value_of(i)).collect();
    assert_eq!(values, ["制造", "", "", "零售"]);
    assert!(join.attributes.fits(table.customers.len()));
    assert_eq!(industry.changed, 0);
    // A master that comes without the reading's index (sent through serde) joins the same.
    let sent: CustomerMaster =
        serde_json::from_str(&serde_json::to_string(&master).unwrap()).unwrap();
    assert!(sent.index.is_empty());
    assert_eq!(join_master(&sent, &table), join);
}

#[test]
fn a_gbk_master_is_read() {
    let (bytes, _, _) = encoding_rs::GBK.encode(MASTER);
    let master = import_master(&bytes, &MasterOptions::default()).unwrap();
    assert_eq!(master.encoding.name, "GBK");
    assert_eq!(master.columns[0].name, "行业");
    assert_eq!(master.rows.len(), 4);
    assert_eq!(master.rows[1].values[0], "零售");
}

#[test]
fn the_id_column_is_guessed_by_partial_name_or_taken_first() {
    let headers = |h: &[&str]| h.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        guess_id_column(&headers(&["region", "Customer ID"])),
        (1, GuessSource::HeaderExact)
    );
    assert_eq!(
        guess_id_column(&headers(&["region", "our customer code (CRM)"])),
        (1, GuessSource::HeaderPartial)
    );
    assert_eq!(
        guess_id_column(&headers(&["code", "region"])),
        (0, GuessSource::Values)
    );
}

#[test]
fn choices_override_the_guesses() {
    let options = MasterOptions {
        id_column: Some(0),
        kinds: vec![(1, AttributeKind::Region), (3, AttributeKind::CustomerType)],
        ..MasterOptions::default()
    };
    let master = import_master(MASTER.as_bytes(), &options).unwrap();
    assert_eq!(master.id_guess, None);
    let keys: Vec<&str> = master.columns.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(
        keys,
        ["master_region", "master_birth_year", "master_customer_type"]
    );
}

#[test]
fn unreadable_files_are_typed_errors() {
    let cases: [(&[u8], MasterOptions); 5] = [
        (b"", MasterOptions::default()),
        (b"  \n ", MasterOptions::default()),
        (b"id,region\n", MasterOptions::default()),
        (b"id,region\n,north\n  ,south\n", MasterOptions::default()),
        (
            b"id,region\nc1,north\n",
            MasterOptions {
                id_column: Some(5),
                ..MasterOptions::default()
            },
        ),
    ];
    let got: Vec<String> = cases
        .iter()
        .map(|(bytes, options)| match import_master(bytes, options) {
            Err(Error::EmptyFile) => "empty".into(),
            Err(Error::HeaderOnly) => "header".into(),
            Err(Error::AllRowsRejected { rows, .. }) => format!("rejected {rows}"),
            Err(Error::NoSuchColumn { index, count }) => format!("column {index}/{count}"),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        got,
        ["empty", "empty", "header", "rejected 2", "column 5/2"]
    );
    assert!(matches!(
        import_master(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", &MasterOptions::default()),
        Err(Error::Binary { .. })
    ));
}

#[test]
fn extra_fields_and_bad_bytes_are_rejected_with_their_line() {
    let bytes = b"id;region\nc1;north\nc2;south;oops\nc3;\xff\xfe\n";
    let master = import_master(bytes, &MasterOptions::default()).unwrap();
    assert_eq!(master.rows.len(), 1);
    let lines: Vec<u64> = master.rejected.iter().map(|e| e.line).collect();
    assert_eq!(lines, [3, 4]);
}

#[test]
fn an_empty_table_has_no_match_rate_and_every_row_is_a_prospect() {
    let master = import_master(b"id,region\nc1,north\n", &MasterOptions::default()).unwrap();
    let join = join_master(&master, &CustomerTable::default());
    assert_eq!(join.match_rate, None);
    assert_eq!(join.prospects, [0]);
    assert!(join.attributes.fits(0));
}

/// The text read in pieces of any size, as the page reads it, gives the master (or the error)
/// read at once: quoted cells across lines and pieces, CRLF, a `sep=` line, a byte-order mark,
/// blank lines, duplicates, rejected rows, a header alone, a chosen id column the file lacks.
#[test]
fn a_master_read_in_pieces_is_the_master_read_at_once() {
    let texts: [(&str, MasterOptions); 6] = [
        (MASTER, MasterOptions::default()),
        (
            "\u{feff}sep=;\r\nid;note;城市\r\n\r\nc1;\"two\r\nlines; and a ;\";北京\r\nc2;;上海\r\nC1;dup;x\r\n;no id;y\r\nc3;\"\"\"quoted\"\"\";深圳",
            MasterOptions::default(),
        ),
        ("id,region\n\n\n", MasterOptions::default()),
        ("id,region\n,north\n  ,south\n", MasterOptions::default()),
        (
            "id,region\nc1,north\n",
            MasterOptions {
                id_column: Some(5),
                ..MasterOptions::default()
            },
        ),
        ("id,region\nc1,north,extra\nc2,\"unclosed\n", MasterOptions::default()),
    ];
    for (text, options) in &texts {
        let decoded = || decode_text(text.as_bytes(), &TextOptions::of(&options.file)).unwrap();
        let at_once = import_master_text(decoded(), options);
        for piece in [1, 2, 3, 5, 8, 13, 64, 1 << 20] {
            let mut reading = MasterReading::new(decoded(), options).unwrap();
            let mut steps = 0;
            while !reading.step(piece) {
                steps += 1;
                assert!(steps <= text.len(), "the reading goes on");
            }
            assert_eq!(reading.fraction(), 1.0);
            assert_eq!(reading.finish(), at_once, "{text:?} in pieces of {piece}");
        }
    }
    // The second text, read at once, as worked out by hand.
    let (text, options) = (&texts[1].0, &texts[1].1);
    let master = import_master(text.as_bytes(), options).unwrap();
    let ids: Vec<&str> = master.rows.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["c1", "c2", "c3"]);
    assert_eq!(master.rows[0].values, ["two\r\nlines; and a ;", "北京"]);
    assert_eq!(master.rows[2].values[0], "\"quoted\"");
    assert_eq!((master.duplicate_count, master.rejected_count), (1, 1));
}

/// The join a slice of customers at a time is the join at once, with the reading's map of ids
/// or without it.
#[test]
fn a_join_in_slices_is_the_join_at_once() {
    let master = import_master(MASTER.as_bytes(), &MasterOptions::default()).unwrap();
    let sent: CustomerMaster =
        serde_json::from_str(&serde_json::to_string(&master).unwrap()).unwrap();
    let table = table();
    let at_once = join_master(&master, &table);
    for master in [&master, &sent] {
        for count in [1, 2, 3, 4, 100] {
            let mut join = JoinSteps::new(master);
            while !join.step(master, &table, count) {}
            assert_eq!(join.finish(master), at_once, "{count} a slice");
        }
    }
}

/// A text of nothing but line breaks takes no room ahead (a hostile 100 MB of them would have
/// reserved a map for 50 million ids) and reads as empty, as at once.
#[test]
fn line_breaks_alone_reserve_nothing_and_read_as_empty() {
    let text = format!("id,region\n{}", "\n".repeat(3 << 20));
    let options = MasterOptions::default();
    let decoded = decode_text(text.as_bytes(), &TextOptions::of(&options.file)).unwrap();
    let reading = MasterReading::new(decoded, &options).unwrap();
    assert!(
        reading.rows.index.capacity() < 16,
        "{}",
        reading.rows.index.capacity()
    );
    assert_eq!(reading.finish(), Err(Error::HeaderOnly));
}

/// A file's bytes decoded a piece at a time give the master (or the error) read at once from
/// the bytes decoded whole: UTF-8 with and without a byte-order mark, UTF-16 with one and
/// without (its NUL pattern), a chosen encoding, a first line longer than the head the
/// delimiter is told from, white space alone, a lone byte-order mark, a file of tabs and
/// semicolons; and files whose head is UTF-8 but not the rest, which are then read as a whole
/// file is (another encoding guessed from all of it).
#[test]
fn a_master_decoded_in_pieces_is_the_master_decoded_at_once() {
    let utf16 = |text: &str, big: bool, bom: bool| -> Vec<u8> {
        let mut bytes: Vec<u8> = if bom {
            if big {
                vec![0xfe, 0xff]
            } else {
                vec![0xff, 0xfe]
            }
        } else {
            Vec::new()
        };
        for unit in text.encode_utf16() {
            bytes.extend(if big {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        bytes
    };
    // 80 KiB of rows: past the head the encoding is told from.
    let long: String = (0..4000)
        .map(|i| format!("C{i:05},北京,{}\n", 1950 + i % 60))
        .collect();
    let big = format!("客户编号,城市,成立年份\n{long}");
    let mut gbk_later = big.clone().into_bytes();
    gbk_later.extend(b"C99999,\xb1\xb1\xbe\xa9,1999\n"); // 北京 in GBK
    let mut cut_at_end = big.clone().into_bytes();
    cut_at_end.extend("C99999,北".as_bytes().get(..9).unwrap());
    let mut bad_after_bad_header = format!("\"\n{long}").into_bytes();
    bad_after_bad_header.extend(b"\xff\n");
    let wide_header = format!("id,{}\nC1,x\n", "n".repeat(70_000));
    let chosen = MasterOptions {
        file: InspectOptions {
            encoding: Some("UTF-16LE".into()),
            ..InspectOptions::default()
        },
        ..MasterOptions::default()
    };
    let files: Vec<(Vec<u8>, MasterOptions)> = vec![
        (MASTER.as_bytes().to_vec(), MasterOptions::default()),
        (big.clone().into_bytes(), MasterOptions::default()),
        (
            format!("\u{feff}{big}").into_bytes(),
            MasterOptions::default(),
        ),
        (utf16(&big, false, true), MasterOptions::default()),
        (utf16(&big, true, true), MasterOptions::default()),
        (
            utf16(&big.replace("北京", "north"), false, false),
            MasterOptions::default(),
        ),
        (utf16(&big, false, false), chosen),
        (wide_header.into_bytes(), MasterOptions::default()),
        (
            format!("sep=;\n{}", big.replace(',', ";")).into_bytes(),
            MasterOptions::default(),
        ),
        (
            big.replace(',', "\t").into_bytes(),
            MasterOptions::default(),
        ),
        (
            " \n\t\r\n".repeat(30_000).into_bytes(),
            MasterOptions::default(),
        ),
        (
            "\u{3000}\n".repeat(30_000).into_bytes(),
            MasterOptions::default(),
        ),
        ("\u{feff}".into(), MasterOptions::default()),
        (gbk_later, MasterOptions::default()),
        (cut_at_end, MasterOptions::default()),
        (bad_after_bad_header, MasterOptions::default()),
        (b"id\n\0\0\0\0".to_vec(), MasterOptions::default()),
    ];
    for (i, (bytes, options)) in files.iter().enumerate() {
        let at_once = import_master(bytes, options);
        for piece in [1, 7, 4096, 65_536, 1 << 20] {
            let read = MasterReading::of_bytes(Arc::new(bytes.clone()), options).and_then(
                |mut reading| {
                    let mut steps = 0;
                    while !reading.step(piece) {
                        steps += 1;
                        assert!(steps <= bytes.len(), "file {i}: the reading goes on");
                    }
                    assert_eq!(reading.fraction(), 1.0, "file {i}");
                    reading.finish()
                },
            );
            assert_eq!(read, at_once, "file {i} in pieces of {piece}");
        }
    }
    // Some of the files, as read at once: their encodings (worked out from how they were
    // written) and rows.
    let read = |i: usize| import_master(&files[i].0, &files[i].1);
    let encoding = |i: usize| read(i).map(|m| m.encoding.name);
    assert_eq!(encoding(1).as_deref(), Ok("UTF-8"));
    assert_eq!(encoding(3).as_deref(), Ok("UTF-16LE"));
    assert_eq!(encoding(4).as_deref(), Ok("UTF-16BE"));
    assert_eq!(encoding(5).as_deref(), Ok("UTF-16LE"));
    assert_eq!(
        encoding(13).as_deref(),
        Ok("GBK"),
        "the file as a whole is GBK"
    );
    assert_eq!(read(1).unwrap().rows.len(), 4000);
    assert_eq!(read(3).unwrap().rows[3999].values, ["北京", "1989"]);
    assert_eq!(read(10), Err(Error::EmptyFile));
    assert_eq!(read(12), Err(Error::EmptyFile));
    assert_eq!(read(8).unwrap().delimiter, Delimiter::Semicolon);
    assert_eq!(read(9).unwrap().delimiter, Delimiter::Tab);
}
