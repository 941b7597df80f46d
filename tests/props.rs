//! Property tests of the import (native only: proptest does not build for wasm32).
//!
//! - Any bytes, whole or cut short, through `inspect` and the importer: `Ok` or a typed
//!   `Error`, never a panic.
//! - CSV-like text (mixed delimiters, quotes, CR/LF/CRLF, digits, CJK, currency signs) in
//!   several encodings: every row read is accepted or rejected, and any chunking of the bytes
//!   gives the outcome of the whole file.
//! - `parse_number` against a naive oracle: a number formatted as exports write it (thousands
//!   separators, currency, parentheses, trailing minus, full-width digits) parses back to the
//!   value of its plain form.
//! - Record line numbers against a naive line count, for LF, CRLF and CR files with quoted
//!   newlines and blank lines.
//!
//! Case counts are modest so `cargo test` stays fast.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::same_outcome;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

use valuelens::engine::ingest::dialect::{split_all, Delimiter, Quotes, RecordSplitter};
use valuelens::engine::ingest::encoding::{LanguageHint, OFFERED_ENCODINGS};
use valuelens::engine::ingest::values::{parse_number, DecimalSeparator};
use valuelens::engine::ingest::{
    import_bytes, import_in_halves, inspect, ImportOutcome, ImportSettings, Importer,
    InspectOptions, MAX_ERRORS_SHOWN,
};

fn hints() -> impl Strategy<Value = LanguageHint> {
    select(vec![
        LanguageHint::SimplifiedChinese,
        LanguageHint::TraditionalChinese,
        LanguageHint::Other,
    ])
}

fn options() -> impl Strategy<Value = InspectOptions> {
    (
        hints(),
        proptest::option::weighted(0.2, select(OFFERED_ENCODINGS.to_vec())),
        proptest::option::weighted(0.2, select(Delimiter::ALL.to_vec())),
        proptest::option::weighted(0.2, any::<bool>()),
        select(vec![Quotes::Standard, Quotes::Standard, Quotes::Literal]),
    )
        .prop_map(
            |(hint, encoding, delimiter, has_header, quotes)| InspectOptions {
                encoding: encoding.map(str::to_string),
                delimiter,
                has_header,
                hint,
                quotes,
                sheet: None,
            },
        )
}

/// Pieces real exports are made of, and some that break them.
const TOKENS: &[&str] = &[
    ",",
    ",",
    ";",
    "\t",
    "|",
    " ",
    "  ",
    "\"",
    "\"\"",
    "\r",
    "\n",
    "\n",
    "\r\n",
    "\r\n",
    "0",
    "7",
    "42",
    "00017",
    "3.5",
    "-12",
    "1,234.50",
    "1.234,56",
    "(45.10)",
    "45.10-",
    "N/A",
    "",
    "客户编号",
    "金额",
    "订单日期",
    "客戶編號",
    "銷售額",
    "customer",
    "amount",
    "date",
    "张三",
    "￥",
    "¥",
    "$",
    "€",
    "元",
    "2024-01-05",
    "05/01/2024",
    "1/13/2024",
    "2024年1月5日",
    "45296",
    "19970101",
    "sep=;",
    "\u{feff}",
    "\0",
    "１２３",
    "−",
    "e",
    "x",
    "\u{fffd}",
    INVALID_BYTE,
];

/// Written as a byte invalid in UTF-8 (0xFF) by the UTF-8 encodings of [`encoded`].
const INVALID_BYTE: &str = "\u{ffff}";

fn utf8_with_invalid_bytes(text: &str) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(text.len());
    for (i, piece) in text.split(INVALID_BYTE).enumerate() {
        if i > 0 {
            bytes.push(0xFF);
        }
        bytes.extend_from_slice(piece.as_bytes());
    }
    bytes
}

/// CSV-like text: 0..120 tokens.
fn csv_like() -> impl Strategy<Value = String> {
    vec(select(TOKENS.to_vec()), 0..120).prop_map(|tokens| tokens.concat())
}

/// The text as bytes in one of the encodings users send.
fn encoded(text: &str, encoding: usize) -> Vec<u8> {
    match encoding {
        0 => utf8_with_invalid_bytes(text),
        1 => [&[0xEF, 0xBB, 0xBF][..], &utf8_with_invalid_bytes(text)].concat(),
        2 => [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect(),
        3 => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        4 => [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect(),
        5 => encoding_rs::GBK.encode(text).0.into_owned(),
        _ => encoding_rs::BIG5.encode(text).0.into_owned(),
    }
}

/// Splits `bytes` at the given cut points (taken modulo the length), sorted.
fn chunks<'a>(bytes: &'a [u8], cuts: &[usize]) -> Vec<&'a [u8]> {
    let mut points: Vec<usize> = cuts
        .iter()
        .map(|c| c % (bytes.len() + 1))
        .chain([0, bytes.len()])
        .collect();
    points.sort_unstable();
    points.windows(2).map(|w| &bytes[w[0]..w[1]]).collect()
}

fn import_chunked(
    settings: &ImportSettings,
    pieces: &[&[u8]],
) -> Result<ImportOutcome, valuelens::engine::Error> {
    let mut importer = Importer::new(settings.clone())?;
    for piece in pieces {
        importer.push(piece);
    }
    importer.finish()
}

/// Settings that can run at all: a missing customer or amount role is put on the first
/// columns, so the importer, not only the validation, sees the bytes.
fn runnable(mut settings: ImportSettings) -> ImportSettings {
    let last = settings.headers.len().saturating_sub(1);
    if settings.mapping.customer.is_none() {
        settings.mapping.customer = Some(0);
    }
    if settings.mapping.amount.is_none() {
        settings.mapping.amount = Some(last.min(1));
    }
    settings
}

/// Line terminators in `text`, counted naively: CRLF is one, a lone CR or LF is one.
fn naive_line_of(text: &str, offset: usize) -> u64 {
    let mut lines = 1;
    let mut previous = '\0';
    for c in text[..offset].chars() {
        if c == '\r' || (c == '\n' && previous != '\r') {
            lines += 1;
        }
        previous = c;
    }
    lines
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_give_ok_or_a_typed_error(
        bytes in vec(any::<u8>(), 0..1500),
        cut in any::<usize>(),
        options in options(),
    ) {
        // Every outcome is fine as long as nothing panics.
        let _ = import_bytes(&bytes, &options);
        let head = &bytes[..cut % (bytes.len() + 1)];
        if let Ok(preview) = inspect(head, false, &options) {
            let _ = import_chunked(&runnable(preview.settings()), &[&bytes]);
        }
    }

    #[test]
    fn csv_like_text_counts_every_row_and_any_chunking_agrees(
        text in csv_like(),
        encoding in 0..7usize,
        options in options(),
        cuts in vec(any::<usize>(), 0..12),
        middle in any::<usize>(),
    ) {
        let bytes = encoded(&text, encoding);
        let Ok(preview) = inspect(&bytes, true, &options) else {
            return Ok(());
        };
        let settings = runnable(preview.settings());
        let whole = import_chunked(&settings, &[&bytes]);
        let pieces = chunks(&bytes, &cuts);
        prop_assert_eq!(&import_chunked(&settings, &pieces), &whole);
        let bytewise: Vec<&[u8]> = bytes.chunks(1).collect();
        prop_assert_eq!(&import_chunked(&settings, &bytewise), &whole);
        // Two workers, the second from the line after any byte: the same outcome.
        let halves = import_in_halves(&bytes, settings.clone(), middle % (bytes.len() + 1));
        match (&halves, &whole) {
            (Ok(a), Ok(b)) => prop_assert!(same_outcome(a, b), "{:?}\n{:?}", a, b),
            (a, b) => prop_assert_eq!(a.as_ref().err(), b.as_ref().err()),
        }
        if let Ok(outcome) = whole {
            let report = &outcome.report;
            prop_assert_eq!(report.rows_read, report.rows_accepted + report.rows_rejected);
            prop_assert_eq!(outcome.rejected.len() as u64, report.rows_rejected);
            prop_assert!(report.first_errors.len() <= MAX_ERRORS_SHOWN);
            let lines: Vec<u64> = outcome.rejected.iter().map(|r| r.error.line).collect();
            prop_assert!(lines.windows(2).all(|w| w[0] < w[1]), "lines {:?}", lines);
            prop_assert!(lines.iter().all(|&l| l >= 1));
            let rows: u64 = outcome.table.customers.iter().map(|c| u64::from(c.rows)).sum();
            prop_assert_eq!(rows, report.rows_accepted);
        }
    }

    #[test]
    fn formatted_numbers_parse_back(
        integer in 0u64..1_000_000_000_000,
        cents in proptest::option::of(0u32..100),
        negative in any::<bool>(),
        negative_style in 0..4usize,
        grouping in 0..3usize,
        decimal_comma in any::<bool>(),
        currency in select(vec!["", "¥", "￥", "$", "€", "RMB ", "US$"]),
        unit in select(vec!["", "元", " CNY"]),
        full_width in any::<bool>(),
    ) {
        // The oracle: the plain form, read by Rust's own float parser.
        let plain = match cents {
            Some(cents) => format!("{integer}.{cents:02}"),
            None => integer.to_string(),
        };
        let expected: f64 = plain.parse().expect("plain number");
        let expected = if negative { -expected } else { expected };

        let (decimal, thousands) = if decimal_comma {
            (DecimalSeparator::Comma, ['.', ' ', '\''][grouping])
        } else {
            (DecimalSeparator::Point, [',', ' ', '\''][grouping])
        };
        let digits = integer.to_string();
        let mut grouped = String::new();
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(thousands);
            }
            grouped.push(digit);
        }
        if let Some(cents) = cents {
            grouped.push(if decimal_comma { ',' } else { '.' });
            grouped.push_str(&format!("{cents:02}"));
        }
        if full_width {
            grouped = grouped
                .chars()
                .map(|c| match c {
                    '0'..='9' => char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c),
                    c => c,
                })
                .collect();
        }
        let body = format!("{currency}{grouped}{unit}");
        let cell = match (negative, negative_style) {
            (false, _) => body,
            (true, 0) => format!("-{body}"),
            (true, 1) => format!("({body})"),
            (true, 2) => format!("{body}-"),
            (true, _) => format!("−{body}"),
        };
        prop_assert_eq!(parse_number(&cell, decimal), Some(expected), "cell {:?}", cell);
    }

    #[test]
    fn record_lines_match_a_naive_line_count(
        records in vec(
            (
                vec(select(vec![
                    "a", "42", "客户", "", "\"q,uoted\"", "\"two\nlines\"", "\"cr\rline\"",
                    "\"crlf\r\nline\"", "\"say \"\"hi\"\"\"", "\"\"\"\"",
                ]), 1..5),
                select(vec!["\n", "\r\n", "\r"]),
                select(vec!["", "", "", "\n", "\r\n", "\r", "\n\n"]),
            ),
            1..25,
        ),
        cuts in vec(any::<usize>(), 0..8),
    ) {
        let mut text = String::new();
        let mut starts = Vec::new();
        for (fields, end, blank) in &records {
            // The first field is never empty, so no record is a blank line.
            let first = if fields[0].is_empty() { "x" } else { fields[0] };
            starts.push(text.len());
            text.push_str(first);
            for field in &fields[1..] {
                text.push(',');
                text.push_str(field);
            }
            text.push_str(end);
            text.push_str(blank);
        }
        let expected: Vec<u64> = starts.iter().map(|&s| naive_line_of(&text, s)).collect();
        let whole: Vec<u64> = split_all(&text, Delimiter::Comma).into_iter().map(|(line, _)| line).collect();
        prop_assert_eq!(&whole, &expected, "text {:?}", text);

        // The same through a splitter fed in pieces (cut on character boundaries).
        let mut points: Vec<usize> = cuts
            .iter()
            .map(|c| text.floor_char_boundary(c % (text.len() + 1)))
            .chain([0, text.len()])
            .collect();
        points.sort_unstable();
        let mut splitter = RecordSplitter::new(Delimiter::Comma);
        let mut lines = Vec::new();
        for w in points.windows(2) {
            splitter.feed(&text[w[0]..w[1]], false, &mut |record| {
                lines.push(record.line);
                true
            });
        }
        splitter.feed("", true, &mut |record| {
            lines.push(record.line);
            true
        });
        prop_assert_eq!(&lines, &expected);
    }
}
