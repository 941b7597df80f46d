//! Cell values: numbers and dates as real exports write them.
//!
//! Numbers: thousands separators, currency signs (`¥ ￥ $ € £ RMB CNY 元`), full-width digits,
//! a decimal comma when the file uses one, negatives in parentheses and with a trailing minus.
//! Dates: ISO, `2024/1/5`, `2024.01.05`, `20240105`, `2024年1月5日`, day- or month-first
//! `5/1/2024` (the order is decided per column, see [`infer_date_order`]), English month names
//! (`5 Jan 2024`, `Jan 5, 2024`), an optional time that is ignored, and Excel serial numbers.
//! Dates are returned as days since 1970-01-01 ([`Day`]).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A calendar day, counted in days since 1970-01-01 (negative before).
pub type Day = i32;

/// The decimal separator numbers in the file use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum DecimalSeparator {
    /// `1,234.56`
    #[default]
    Point,
    /// `1.234,56` (continental Europe; usually with `;` as the delimiter)
    Comma,
}

/// How to read an ambiguous date such as `05/01/2024`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum DateOrder {
    /// Day first: `05/01/2024` is 5 January.
    #[default]
    DayFirst,
    /// Month first: `05/01/2024` is 1 May.
    MonthFirst,
}

const EPOCH_DAYS_FROM_CE: i32 = 719_163;

/// Converts a calendar date to a [`Day`].
pub fn day_from_date(date: NaiveDate) -> Day {
    date.num_days_from_ce() - EPOCH_DAYS_FROM_CE
}

/// Converts a [`Day`] back to a calendar date; `None` only for days outside chrono's range.
pub fn date_from_day(day: Day) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(day.checked_add(EPOCH_DAYS_FROM_CE)?)
}

/// Formats a [`Day`] as ISO `YYYY-MM-DD`.
pub fn format_day(day: Day) -> String {
    date_from_day(day)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// Month index (`year * 12 + month0`) of a [`Day`], for monthly buckets.
pub fn month_of_day(day: Day) -> i32 {
    date_from_day(day)
        .map(|d| d.year() * 12 + d.month0() as i32)
        .unwrap_or(0)
}

fn normalize_width(c: char) -> char {
    match c {
        '\u{FF10}'..='\u{FF19}' => char::from_u32(c as u32 - 0xFF10 + '0' as u32).unwrap_or(c),
        '\u{FF0C}' => ',',
        '\u{FF0E}' => '.',
        '\u{FF0D}' | '\u{2212}' => '-',
        '\u{FF0B}' => '+',
        '\u{FF08}' => '(',
        '\u{FF09}' => ')',
        '\u{3000}' => ' ',
        _ => c,
    }
}

const CURRENCY_WORDS: [&str; 8] = ["RMB", "CNY", "USD", "EUR", "NT$", "HK$", "US$", "元"];

/// Parses a number as exports write it; `None` when the cell is not a number.
///
/// Empty cells are `None` too: the caller decides whether an empty cell is allowed.
///
/// # Examples
/// ```
/// use valuelens::engine::ingest::values::{parse_number, DecimalSeparator};
/// assert_eq!(parse_number("￥1,234.50", DecimalSeparator::Point), Some(1234.5));
/// assert_eq!(parse_number("(12.5)", DecimalSeparator::Point), Some(-12.5));
/// assert_eq!(parse_number("1.234,5", DecimalSeparator::Comma), Some(1234.5));
/// assert_eq!(parse_number("N/A", DecimalSeparator::Point), None);
/// ```
pub fn parse_number(cell: &str, decimal: DecimalSeparator) -> Option<f64> {
    let trimmed = cell.trim();
    if trimmed.is_empty() {
        return None;
    }
    // Fast path: the plain numbers most cells hold.
    if trimmed
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
        && decimal == DecimalSeparator::Point
    {
        if let Some(value) = trimmed.parse::<f64>().ok().filter(|v| v.is_finite()) {
            return Some(value);
        }
    }
    let mut text: String = trimmed.chars().map(normalize_width).collect();
    for word in CURRENCY_WORDS {
        if text.contains(word) {
            text = text.replace(word, "");
        }
    }
    let mut negative = false;
    let mut body = text.trim().to_string();
    if body.starts_with('(') && body.ends_with(')') && body.len() >= 2 {
        negative = true;
        body = body[1..body.len() - 1].trim().to_string();
    }
    if let Some(stripped) = body.strip_suffix('-') {
        negative = !negative;
        body = stripped.trim().to_string();
    }
    let mut cleaned = String::with_capacity(body.len());
    let mut seen_digit = false;
    for c in body.chars() {
        match c {
            '0'..='9' => {
                seen_digit = true;
                cleaned.push(c);
            }
            '¥' | '￥' | '$' | '€' | '£' | ' ' | '\u{a0}' | '\u{202f}' | '\'' => {}
            '.' if decimal == DecimalSeparator::Point => cleaned.push('.'),
            ',' if decimal == DecimalSeparator::Comma => cleaned.push('.'),
            ',' | '.' => {} // thousands separator
            '-' | '+' if !seen_digit => cleaned.push(c),
            'e' | 'E' if seen_digit => cleaned.push(c),
            _ => return None,
        }
    }
    if !seen_digit {
        return None;
    }
    let value: f64 = cleaned.parse().ok()?;
    if !value.is_finite() {
        return None;
    }
    Some(if negative { -value } else { value })
}

/// What the date cells of a column say about day-first versus month-first order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DateOrderEvidence {
    /// No cell is of the form `a/b/yyyy`: the order does not matter.
    NotNeeded,
    /// Some cell has a first part above 12: day first.
    DayFirst,
    /// Some cell has a second part above 12: month first.
    MonthFirst,
    /// Cells like `a/b/yyyy` exist but all parts are ≤ 12: the user must choose.
    Ambiguous,
    /// Cells contradict each other (both 13/1 and 1/13 occur).
    Conflicting,
}

/// Decides the date order from a column's cells (the whole column or a large sample).
pub fn infer_date_order<'a>(cells: impl IntoIterator<Item = &'a str>) -> DateOrderEvidence {
    let mut day_first = false;
    let mut month_first = false;
    let mut pairs = false;
    for cell in cells {
        if let Some((a, b)) = ambiguous_parts(cell) {
            pairs = true;
            if a > 12 && b <= 12 {
                day_first = true;
            } else if b > 12 && a <= 12 {
                month_first = true;
            }
        }
    }
    match (pairs, day_first, month_first) {
        (false, _, _) => DateOrderEvidence::NotNeeded,
        (true, true, true) => DateOrderEvidence::Conflicting,
        (true, true, false) => DateOrderEvidence::DayFirst,
        (true, false, true) => DateOrderEvidence::MonthFirst,
        (true, false, false) => DateOrderEvidence::Ambiguous,
    }
}

/// The two leading numbers of a `a/b/yyyy`-style date, when the year comes last.
fn ambiguous_parts(cell: &str) -> Option<(u32, u32)> {
    let date_part = date_part(cell.trim());
    let parts = split_numeric(date_part)?;
    if parts.len() != 3 || parts[0].1 > 2 || parts[1].1 > 2 {
        return None;
    }
    Some((parts[0].0, parts[1].0))
}

/// The cell without a trailing time (`2024/1/5 13:22`, `2024-01-05T13:22:00Z`).
fn date_part(cell: &str) -> &str {
    let cell = cell.trim();
    let end = cell
        .char_indices()
        .find(|&(i, c)| c == ' ' || (c == 'T' && i >= 8))
        .map(|(i, _)| i);
    match end {
        // "Jan 5, 2024" and "5 Jan 2024" keep their spaces: only cut when the rest looks like a time.
        Some(i) if cell[i..].trim_start_matches([' ', 'T']).contains(':') => &cell[..i],
        Some(i)
            if cell[..i]
                .bytes()
                .all(|b| b.is_ascii_digit() || b"/-.".contains(&b))
                && cell[..i].bytes().filter(|b| b.is_ascii_digit()).count() >= 6 =>
        {
            &cell[..i]
        }
        _ => cell,
    }
}

/// Splits `2024/1/5`-like text into (number, digit count) triples; `None` if anything else occurs.
fn split_numeric(text: &str) -> Option<Vec<(u32, usize)>> {
    let mut parts = Vec::with_capacity(3);
    for piece in text.split(['/', '-', '.']) {
        if piece.is_empty() || piece.len() > 8 || !piece.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        parts.push((piece.parse().ok()?, piece.len()));
    }
    Some(parts)
}

fn make_day(year: i32, month: u32, day: u32) -> Option<Day> {
    NaiveDate::from_ymd_opt(year, month, day).map(day_from_date)
}

fn expand_year(year: u32, digits: usize) -> i32 {
    if digits <= 2 {
        if year < 70 {
            2000 + year as i32
        } else {
            1900 + year as i32
        }
    } else {
        year as i32
    }
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month_from_name(word: &str) -> Option<u32> {
    let lower = word.trim_end_matches('.').to_ascii_lowercase();
    if lower.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| lower.starts_with(m))
        .map(|i| i as u32 + 1)
}

/// Parses a date cell; `None` when it is not a date.
///
/// `order` resolves `a/b/yyyy` cells. Excel serial numbers (`45296` is 2024-01-05) are accepted
/// when `allow_serial` is set, which the importer does only for columns whose cells are all numbers.
///
/// # Examples
/// ```
/// use valuelens::engine::ingest::values::{parse_date, format_day, DateOrder};
/// let day = parse_date("2024年1月5日", DateOrder::DayFirst, false).unwrap();
/// assert_eq!(format_day(day), "2024-01-05");
/// assert_eq!(parse_date("05/01/2024", DateOrder::MonthFirst, false).map(format_day).as_deref(), Some("2024-05-01"));
/// ```
pub fn parse_date(cell: &str, order: DateOrder, allow_serial: bool) -> Option<Day> {
    let cell: String = cell.trim().chars().map(normalize_width).collect();
    if cell.is_empty() {
        return None;
    }
    // 2024年1月5日 (with optional time after it)
    if let Some(year_end) = cell.find('年') {
        let year: i32 = cell[..year_end].trim().parse().ok()?;
        let rest = &cell[year_end + '年'.len_utf8()..];
        let month_end = rest.find('月')?;
        let month: u32 = rest[..month_end].trim().parse().ok()?;
        let rest = &rest[month_end + '月'.len_utf8()..];
        let day_end = rest.find(['日', '号']).unwrap_or(rest.len());
        let day: u32 = rest[..day_end].trim().parse().ok()?;
        return make_day(year, month, day);
    }
    let part = date_part(&cell);
    if let Some(parts) = split_numeric(part) {
        return match parts.as_slice() {
            [(n, 8)] => make_day((n / 10_000) as i32, (n / 100) % 100, n % 100)
                .or_else(|| serial_day(*n as f64, allow_serial)),
            [(n, _)] => serial_day(*n as f64, allow_serial),
            [(y, 4), (m, _), (d, _)] => make_day(*y as i32, *m, *d),
            [(a, da), (b, db), (y, dy)] if *da <= 2 && *db <= 2 => {
                let year = expand_year(*y, *dy);
                match order {
                    DateOrder::DayFirst => make_day(year, *b, *a),
                    DateOrder::MonthFirst => make_day(year, *a, *b),
                }
            }
            [(whole, _), (fraction, _)] if part.contains('.') && allow_serial => {
                let _ = fraction;
                serial_day(*whole as f64, allow_serial)
            }
            _ => None,
        };
    }
    parse_month_name_date(part).or_else(|| parse_month_name_date(&cell))
}

/// `5 Jan 2024`, `05-Jan-2024`, `Jan 5, 2024`, `January 5 2024`.
fn parse_month_name_date(text: &str) -> Option<Day> {
    let words: Vec<&str> = text
        .split([' ', '-', ',', '/'])
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() < 3 {
        return None;
    }
    let (a, b, c) = (words[0], words[1], words[2]);
    let year_of = |w: &str| -> Option<i32> {
        let n: u32 = w.parse().ok()?;
        Some(expand_year(n, w.len()))
    };
    if let Some(month) = month_from_name(b) {
        return make_day(year_of(c)?, month, a.parse().ok()?);
    }
    if let Some(month) = month_from_name(a) {
        return make_day(year_of(c)?, month, b.parse().ok()?);
    }
    None
}

/// Excel's serial day (1900 date system): day 1 is 1900-01-01, and 25569 is 1970-01-01.
fn serial_day(serial: f64, allow: bool) -> Option<Day> {
    // 1 = 1900-01-01 … 2958465 = 9999-12-31; we accept 1954..2119 only to avoid taking ids for dates.
    if !allow || !(20_000.0..80_000.0).contains(&serial) {
        return None;
    }
    Some(serial.floor() as i32 - 25_569)
}

/// Parses a cell holding an Excel serial date possibly with a fraction (`45296.5`).
pub fn parse_serial_date(cell: &str) -> Option<Day> {
    let value: f64 = cell.trim().parse().ok()?;
    serial_day(value, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! numbers {
        ($($cell:expr, $decimal:ident => $expected:expr;)*) => {
            $( assert_eq!(parse_number($cell, DecimalSeparator::$decimal), $expected, "cell {:?}", $cell); )*
        };
    }

    #[test]
    fn numbers_as_exports_write_them() {
        numbers! {
            "12", Point => Some(12.0);
            "-12.5", Point => Some(-12.5);
            " 1,234.50 ", Point => Some(1234.5);
            "¥1,234.50", Point => Some(1234.5);
            "￥1,234.50", Point => Some(1234.5);
            "$ 99", Point => Some(99.0);
            "€12", Point => Some(12.0);
            "RMB 300", Point => Some(300.0);
            "300元", Point => Some(300.0);
            "(45.10)", Point => Some(-45.1);
            "45.10-", Point => Some(-45.1);
            "１２３．５", Point => Some(123.5);
            "1.234,56", Comma => Some(1234.56);
            "12,5", Comma => Some(12.5);
            "-3,25", Comma => Some(-3.25);
            "1 234,5", Comma => Some(1234.5);
            "+7", Point => Some(7.0);
            "1e3", Point => Some(1000.0);
            "", Point => None;
            "N/A", Point => None;
            "-", Point => None;
            "--", Point => None;
            "abc", Point => None;
            "12abc", Point => None;
            "inf", Point => None;
            "NaN", Point => None;
        }
    }

    fn iso(cell: &str, order: DateOrder, serial: bool) -> Option<String> {
        parse_date(cell, order, serial).map(format_day)
    }

    #[test]
    fn dates_as_exports_write_them() {
        let cases: &[(&str, DateOrder, bool, Option<&str>)] = &[
            ("2024-01-05", DateOrder::DayFirst, false, Some("2024-01-05")),
            ("2024/1/5", DateOrder::DayFirst, false, Some("2024-01-05")),
            ("2024.01.05", DateOrder::DayFirst, false, Some("2024-01-05")),
            ("20240105", DateOrder::DayFirst, false, Some("2024-01-05")),
            ("19970101", DateOrder::DayFirst, false, Some("1997-01-01")),
            (
                "2024年1月5日",
                DateOrder::DayFirst,
                false,
                Some("2024-01-05"),
            ),
            (
                "2024年01月05日 13:22",
                DateOrder::DayFirst,
                false,
                Some("2024-01-05"),
            ),
            (
                "2024/1/5 13:22",
                DateOrder::DayFirst,
                false,
                Some("2024-01-05"),
            ),
            (
                "2024-01-05T13:22:00Z",
                DateOrder::DayFirst,
                false,
                Some("2024-01-05"),
            ),
            (" 2024/1/5 ", DateOrder::DayFirst, false, Some("2024-01-05")),
            ("05/01/2024", DateOrder::DayFirst, false, Some("2024-01-05")),
            (
                "05/01/2024",
                DateOrder::MonthFirst,
                false,
                Some("2024-05-01"),
            ),
            (
                "12/1/2010 8:26",
                DateOrder::MonthFirst,
                false,
                Some("2010-12-01"),
            ),
            ("31.12.23", DateOrder::DayFirst, false, Some("2023-12-31")),
            ("5 Jan 2024", DateOrder::DayFirst, false, Some("2024-01-05")),
            (
                "05-Jan-2024",
                DateOrder::DayFirst,
                false,
                Some("2024-01-05"),
            ),
            (
                "Jan 5, 2024",
                DateOrder::DayFirst,
                false,
                Some("2024-01-05"),
            ),
            ("45296", DateOrder::DayFirst, true, Some("2024-01-05")),
            ("45296.75", DateOrder::DayFirst, true, Some("2024-01-05")),
            ("45296", DateOrder::DayFirst, false, None),
            ("2024/02/30", DateOrder::DayFirst, false, None),
            ("13/13/2024", DateOrder::DayFirst, false, None),
            ("yesterday", DateOrder::DayFirst, false, None),
            ("", DateOrder::DayFirst, false, None),
        ];
        for (cell, order, serial, expected) in cases {
            assert_eq!(
                iso(cell, *order, *serial).as_deref(),
                *expected,
                "cell {cell:?}"
            );
        }
    }

    #[test]
    fn date_order_is_decided_from_the_whole_column() {
        assert_eq!(
            infer_date_order(["01/02/2024", "13/02/2024"]),
            DateOrderEvidence::DayFirst
        );
        assert_eq!(
            infer_date_order(["01/02/2024", "02/13/2024"]),
            DateOrderEvidence::MonthFirst
        );
        assert_eq!(
            infer_date_order(["01/02/2024", "03/04/2024"]),
            DateOrderEvidence::Ambiguous
        );
        assert_eq!(
            infer_date_order(["13/02/2024", "02/13/2024"]),
            DateOrderEvidence::Conflicting
        );
        assert_eq!(
            infer_date_order(["2024-01-02", "2024/3/4"]),
            DateOrderEvidence::NotNeeded
        );
    }

    #[test]
    fn day_round_trip() {
        let day = day_from_date(NaiveDate::from_ymd_opt(1970, 1, 2).unwrap());
        assert_eq!(day, 1);
        assert_eq!(format_day(0), "1970-01-01");
        assert_eq!(month_of_day(0), 1970 * 12);
    }
}
