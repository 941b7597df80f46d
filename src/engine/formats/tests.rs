//! The cell-to-text convention, against what the importer reads back.

use super::*;
use crate::engine::calendar::Day;
use crate::engine::ingest::values::{parse_date, parse_number, DateOrder, DecimalSeparator};

#[test]
fn files_are_told_by_their_first_bytes_and_names() {
    for (head, kind) in [
        (&b"PK\x03\x04rest"[..], FileKind::Xlsx),
        (b"PAR1\x15", FileKind::Parquet),
        (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", FileKind::OldExcel),
        (b"PK", FileKind::Text),
        (b"", FileKind::Text),
        (b"customer,amount\n", FileKind::Text),
    ] {
        assert_eq!(sniff(head), kind, "{head:?}");
    }
    for (name, kind) in [
        ("orders.xlsx", FileKind::Xlsx),
        ("ORDERS.XLSX", FileKind::Xlsx),
        ("book.xlsm", FileKind::Xlsx),
        ("orders.parquet", FileKind::Parquet),
        ("old.xls", FileKind::OldExcel),
        ("orders.csv", FileKind::Text),
        ("no extension", FileKind::Text),
        ("订单.xlsx", FileKind::Xlsx),
    ] {
        assert_eq!(kind_by_name(name), kind, "{name}");
    }
}

#[test]
fn decimals_are_exact() {
    for (unscaled, scale, text) in [
        (12_345, 2, "123.45"),
        (-12_345, 2, "-123.45"),
        (5, 3, "0.005"),
        (-5, 3, "-0.005"),
        (0, 2, "0.00"),
        (12, -2, "1200"),
        (0, -2, "0"),
        (7, 0, "7"),
        (i128::MAX, 0, "170141183460469231731687303715884105727"),
        (i128::MIN, 38, "-1.70141183460469231731687303715884105728"),
    ] {
        assert_eq!(decimal_text(unscaled, scale), text, "{unscaled} e-{scale}");
    }
}

#[test]
fn floats_read_back_as_the_same_number() {
    for value in [
        0.1,
        -0.0,
        123.456,
        1e-7,
        1e15,
        1234567.89,
        0.30000000000000004,
        -9_007_199_254_740_993.0,
        1e21,
    ] {
        let text = float_text(value);
        assert!(!text.contains('e'), "{text}");
        assert_eq!(text.parse::<f64>(), Ok(value));
        if value.abs() < 1e15 {
            assert_eq!(
                parse_number(&text, DecimalSeparator::Point),
                Some(value),
                "{text}"
            );
        }
    }
    assert_eq!(float_text(2.5), "2.5");
    assert_eq!(float_text(100.0), "100");
    assert_eq!(int_text(-42), "-42");
    assert_eq!(bool_text(true), "true");
}

/// The day a text cell means to the importer.
fn day(text: &str) -> Option<Day> {
    parse_date(text, DateOrder::DayFirst, false)
}

#[test]
fn dates_and_times_read_back_as_their_day() {
    let jan5 = day("2024-01-05").unwrap();
    assert_eq!(date_text(2024, 1, 5), "2024-01-05");
    assert_eq!(datetime_text(2024, 1, 5, 13, 4, 9), "2024-01-05 13:04:09");
    assert_eq!(day(&datetime_text(2024, 1, 5, 13, 4, 9)), Some(jan5));
    assert_eq!(day(&datetime_text(2024, 1, 5, 23, 59, 59)), Some(jan5));
    assert_eq!(epoch_days_text(0), "1970-01-01");
    assert_eq!(epoch_days_text(19_727), "2024-01-05");
    assert_eq!(epoch_days_text(-1), "1969-12-31");
    assert_eq!(epoch_days_text(i64::MAX), i64::MAX.to_string());
    assert_eq!(epoch_seconds_text(19_727 * 86_400), "2024-01-05");
    assert_eq!(
        epoch_seconds_text(19_727 * 86_400 + 3_661),
        "2024-01-05 01:01:01"
    );
    assert_eq!(epoch_seconds_text(-1), "1969-12-31 23:59:59");
}

#[test]
fn serial_dates_follow_excel() {
    for (serial, date1904, text) in [
        // The 1900 system, with Excel's phantom 1900-02-29 (serial 60).
        (1.0, false, "1900-01-01"),
        (59.0, false, "1900-02-28"),
        (60.0, false, "1900-02-29"),
        (61.0, false, "1900-03-01"),
        (25_569.0, false, "1970-01-01"),
        (45_296.0, false, "2024-01-05"),
        (45_296.5, false, "2024-01-05 12:00:00"),
        (45_296.999_999_9, false, "2024-01-06"),
        (45_296.0 + 1.0 / 86_400.0, false, "2024-01-05 00:00:01"),
        (0.0, false, "1900-01-00"),
        (0.25, false, "1900-01-00 06:00:00"),
        (2_958_465.0, false, "9999-12-31"),
        // The 1904 system: 1462 days later.
        (0.0, true, "1904-01-01"),
        (43_834.0, true, "2024-01-05"),
        (43_834.75, true, "2024-01-05 18:00:00"),
        // Not dates.
        (-1.0, false, "-1"),
        (f64::NAN, false, "NaN"),
        (3e6, false, "3000000"),
    ] {
        assert_eq!(serial_text(serial, date1904), text, "{serial} {date1904}");
    }
    // What the importer makes of them: the phantom day and day 0 are no dates.
    assert_eq!(day(&serial_text(60.0, false)), None);
    assert_eq!(day(&serial_text(0.0, false)), None);
    assert_eq!(day(&serial_text(61.0, false)), day("1900-03-01"));
}
