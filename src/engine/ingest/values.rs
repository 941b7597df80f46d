//! Cell values: numbers and dates as real exports write them.
//!
//! Numbers: thousands separators, currency signs (`¥ ￥ $ € £ RMB CNY 元`), full-width digits,
//! a decimal comma when the file uses one, negatives in parentheses and with a trailing minus.
//! Dates: ISO, `2024/1/5`, `2024.01.05`, `20240105`, `2024年1月5日`, day- or month-first
//! `5/1/2024` (the order is decided per column, see [`infer_date_order`]), English month names
//! (`5 Jan 2024`, `Jan 5, 2024`), an optional time that is ignored, and Excel serial numbers.
//! Dates are returned as [`Day`]s (days since 1970-01-01).

use crate::engine::calendar::Day;
use crate::engine::vocabulary::{CURRENCY_WORDS, DATE_DAY, DATE_MONTH, DATE_YEAR, FULL_WIDTH_YUAN};
use serde::{Deserialize, Serialize};

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

/// `YYYY-MM-DD` (optionally followed by a time), the most common date cell, without allocating.
fn parse_iso_fast(cell: &str) -> Option<Day> {
    let b = cell.as_bytes();
    if b.len() < 10
        || b[4] != b'-'
        || b[7] != b'-'
        || (b.len() > 10 && b[10] != b' ' && b[10] != b'T')
    {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + (c - b'0') as u32)
        })
    };
    Day::from_civil(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)
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

/// The largest magnitude a cell may hold: 10^15. Beyond it f64 no longer keeps cents, no amount
/// is that large, and sums of such values overflow to infinity (then NaN with a return).
pub const MAX_MAGNITUDE: f64 = 1e15;

/// Parses a number as exports write it; `None` when the cell is not a number.
///
/// Empty cells are `None` too: the caller decides whether an empty cell is allowed. So are
/// values beyond ±[`MAX_MAGNITUDE`] (`1e300`, 18-digit ids).
/// Thousands separators must group digits as they do in real numbers (`1,234`, `12,34,567`):
/// with a decimal point `1,5` is not fifteen but no number at all, so the row is rejected and
/// shown instead of being read ten times too large.
///
/// # Examples
/// ```
/// use valuelens::engine::ingest::values::{parse_number, DecimalSeparator};
/// assert_eq!(parse_number("￥1,234.50", DecimalSeparator::Point), Some(1234.5));
/// assert_eq!(parse_number("(12.5)", DecimalSeparator::Point), Some(-12.5));
/// assert_eq!(parse_number("1.234,5", DecimalSeparator::Comma), Some(1234.5));
/// assert_eq!(parse_number("1,5", DecimalSeparator::Point), None);
/// assert_eq!(parse_number("N/A", DecimalSeparator::Point), None);
/// ```
pub fn parse_number(cell: &str, decimal: DecimalSeparator) -> Option<f64> {
    if decimal == DecimalSeparator::Point {
        if let Some(value) = parse_plain_decimal(cell) {
            return (value.abs() <= MAX_MAGNITUDE).then_some(value);
        }
    }
    let trimmed = trim_cell(cell);
    if trimmed.is_empty() {
        return None;
    }
    // Fast path: the plain numbers most cells hold.
    if trimmed
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
        && decimal == DecimalSeparator::Point
    {
        if let Ok(value) = trimmed.parse::<f64>() {
            return (value.abs() <= MAX_MAGNITUDE).then_some(value);
        }
    }
    let (negative, body) = number_parts(trimmed)?;
    let value = read_body(&body, decimal).filter(|v| v.abs() <= MAX_MAGNITUDE)?;
    Some(if negative { -value } else { value })
}

/// Powers of ten that are exact in `f64`: 10^0 to 10^22.
const EXACT_POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A plain decimal, `-?digits[.digits]` with at most 19 characters after the sign, whose value
/// without the point is at most 2^53 (every amount with cents below 90 trillion): the value
/// [`str::parse`] gives, found quicker. `None` for anything else.
///
/// Such a value is `mantissa / 10^k` with both numbers exact in `f64` (k ≤ 19), and IEEE
/// division rounds that quotient correctly, as the parser rounds the decimal: the two agree to
/// the bit (Clinger's fast path, which the standard parser takes too).
fn parse_plain_decimal(cell: &str) -> Option<f64> {
    let (negative, digits) = match cell.as_bytes().split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, cell.as_bytes()),
    };
    // At most 19 characters, so at most 19 digits: below 10^19 < 2^64.
    if digits.len() > 19 {
        return None;
    }
    let (mut mantissa, mut count, mut scale, mut point) = (0u64, 0usize, 0usize, false);
    for &b in digits {
        let digit = b.wrapping_sub(b'0');
        if digit < 10 {
            mantissa = mantissa * 10 + u64::from(digit);
            count += 1;
            scale += usize::from(point);
        } else if b == b'.' && !point {
            point = true;
        } else {
            return None;
        }
    }
    if count == 0 || mantissa > 1 << 53 {
        return None;
    }
    let value = mantissa as f64 / EXACT_POWERS_OF_TEN.get(scale)?;
    Some(if negative { -value } else { value })
}

/// `cell.trim()`, quicker for the usual cell that starts and ends with a visible ASCII
/// character (which no white space is).
pub(crate) fn trim_cell(cell: &str) -> &str {
    match (cell.as_bytes().first(), cell.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => cell,
        _ => cell.trim(),
    }
}

/// A number cell without its decorations: whether it is negative (`-`, `(…)`, a trailing `-`),
/// and its body of digits, `,` and `.` with an optional exponent (`e`, sign, digits).
///
/// Full-width characters, currency signs and words, spaces and `'` (digit grouping) are
/// dropped. `None` when anything else is left, or no digit.
pub(crate) fn number_parts(cell: &str) -> Option<(bool, String)> {
    let mut text: String = cell.trim().chars().map(normalize_width).collect();
    for word in CURRENCY_WORDS {
        if text.contains(word) {
            text = text.replace(word, "");
        }
    }
    let mut negative = false;
    let mut body = text.trim();
    if body.len() >= 2 && body.starts_with('(') && body.ends_with(')') {
        negative = true;
        body = body[1..body.len() - 1].trim();
    }
    if let Some(stripped) = body.strip_suffix('-') {
        negative = !negative;
        body = stripped.trim();
    }
    let mut out = String::with_capacity(body.len());
    let (mut seen_digit, mut seen_sign, mut in_exponent) = (false, false, false);
    for c in body.chars() {
        match c {
            '0'..='9' => {
                seen_digit = true;
                out.push(c);
            }
            '¥' | '$' | '€' | '£' | ' ' | '\u{a0}' | '\u{202f}' | '\'' if !in_exponent => {}
            FULL_WIDTH_YUAN if !in_exponent => {}
            ',' | '.' if !in_exponent => out.push(c),
            '-' | '+' if !seen_digit && !seen_sign => {
                seen_sign = true;
                if c == '-' {
                    negative = !negative;
                }
            }
            'e' | 'E' if seen_digit && !in_exponent => {
                in_exponent = true;
                out.push('e');
            }
            '-' | '+' if in_exponent && out.ends_with('e') => out.push(c),
            _ => return None,
        }
    }
    seen_digit.then_some((negative, out))
}

/// Which decimal separator a body from [`number_parts`] shows, if it shows one: `12,5` and
/// `1.234,56` and `1.234.567` say comma; `12.5`, `1,234.56` and `1,234,567` say point; `1,234`,
/// `1.234`, plain digits and malformed groups (`05.01.2024`) say nothing.
pub(crate) fn separator_vote(body: &str) -> Option<DecimalSeparator> {
    let commas = body.matches(',').count();
    let points = body.matches('.').count();
    let last_group = |sep: char| body.rsplit(sep).next().map_or(0, str::len);
    match (commas, points) {
        (0, 0) => None,
        (c, p) if c > 0 && p > 0 => {
            // The last separator is the decimal one, and it comes once.
            let comma_last = body.rfind(',') > body.rfind('.');
            let (decimal, count, thousands) = if comma_last {
                (DecimalSeparator::Comma, c, '.')
            } else {
                (DecimalSeparator::Point, p, ',')
            };
            let integer = &body[..body.rfind([',', '.']).unwrap_or(0)];
            (count == 1 && groups_are_well_formed(integer, thousands)).then_some(decimal)
        }
        (1, 0) if last_group(',') != 3 => Some(DecimalSeparator::Comma),
        (0, 1) if last_group('.') != 3 => Some(DecimalSeparator::Point),
        (c, 0) if c > 1 && groups_are_well_formed(body, ',') => Some(DecimalSeparator::Point),
        (0, p) if p > 1 && groups_are_well_formed(body, '.') => Some(DecimalSeparator::Comma),
        _ => None,
    }
}

/// Reads a body from [`number_parts`]: thousands separators are checked and dropped, the
/// decimal separator becomes a point.
fn read_body(body: &str, decimal: DecimalSeparator) -> Option<f64> {
    let (mantissa, exponent) = body.split_at(body.find('e').unwrap_or(body.len()));
    let (point, thousands) = match decimal {
        DecimalSeparator::Point => ('.', ','),
        DecimalSeparator::Comma => (',', '.'),
    };
    let (integer, fraction) = match mantissa.split_once(point) {
        Some((integer, fraction)) => (integer, Some(fraction)),
        None => (mantissa, None),
    };
    if fraction.is_some_and(|f| !f.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    if !groups_are_well_formed(integer, thousands) {
        return None;
    }
    let mut plain: String = integer.chars().filter(|&c| c != thousands).collect();
    if let Some(fraction) = fraction {
        plain.push('.');
        plain.push_str(fraction);
    }
    plain.push_str(exponent);
    plain.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// True when `integer` has no `separator`, or uses it to group digits: one to three digits
/// first, groups of two or three after (Indian `12,34,567` included), exactly three last.
fn groups_are_well_formed(integer: &str, separator: char) -> bool {
    let groups: Vec<&str> = integer.split(separator).collect();
    let [first, middle @ .., last] = groups.as_slice() else {
        return true; // a single group: no separator at all
    };
    (1..=3).contains(&first.len())
        && middle.iter().all(|g| (2..=3).contains(&g.len()))
        && last.len() == 3
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
    Day::from_civil(year, month, day)
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
/// Only days within [`crate::engine::calendar::DAY_RANGE`] (years 1 to 9999) are dates.
///
/// # Examples
/// ```
/// use valuelens::engine::calendar::Day;
/// use valuelens::engine::ingest::values::{parse_date, DateOrder};
/// let day = parse_date("2024年1月5日", DateOrder::DayFirst, false).unwrap();
/// assert_eq!(day.iso(), "2024-01-05");
/// assert_eq!(parse_date("05/01/2024", DateOrder::MonthFirst, false).map(Day::iso).as_deref(), Some("2024-05-01"));
/// assert_eq!(parse_date("12000年1月1日", DateOrder::DayFirst, false), None);
/// assert_eq!(parse_date("1 Jan 12345", DateOrder::DayFirst, false), None);
/// ```
pub fn parse_date(cell: &str, order: DateOrder, allow_serial: bool) -> Option<Day> {
    let trimmed = trim_cell(cell);
    if let Some(day) = parse_iso_fast(trimmed) {
        return Some(day);
    }
    // Years before 1 or after 9999 (`12000年1月1日`, `1 Jan 12345`) are no dates of a purchase;
    // they would stretch every monthly series over millennia.
    parse_date_unbounded(trimmed, order, allow_serial).filter(|day| day.in_range())
}

fn parse_date_unbounded(trimmed: &str, order: DateOrder, allow_serial: bool) -> Option<Day> {
    let cell: std::borrow::Cow<'_, str> = if trimmed.is_ascii() {
        trimmed.into()
    } else {
        trimmed
            .chars()
            .map(normalize_width)
            .collect::<String>()
            .into()
    };
    if cell.is_empty() {
        return None;
    }
    // 2024年1月5日 (with optional time after it)
    if let Some(year_end) = cell.find(DATE_YEAR) {
        let year: i32 = cell[..year_end].trim().parse().ok()?;
        let rest = &cell[year_end + DATE_YEAR.len_utf8()..];
        let month_end = rest.find(DATE_MONTH)?;
        let month: u32 = rest[..month_end].trim().parse().ok()?;
        let rest = &rest[month_end + DATE_MONTH.len_utf8()..];
        let day_end = rest.find(DATE_DAY).unwrap_or(rest.len());
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
    Some(Day::from_epoch_days(serial.floor() as i32 - 25_569))
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
            "1.234,56 €", Comma => Some(1234.56);
            "12,34,567.50", Point => Some(1234567.5);
            "1'234.50", Point => Some(1234.5);
            "1.5e-3", Point => Some(0.0015);
            "-$5", Point => Some(-5.0);
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

    #[test]
    fn misplaced_thousands_separators_are_not_numbers() {
        // Regression: `1,5` was read as 15 and `1.5` (decimal comma file) as 15, silently.
        numbers! {
            "1,5", Point => None;
            "12,34", Point => None;
            "1234,567", Point => None;
            "1,234.5,6", Point => None;
            "1.5", Comma => None;
            "1.234.5", Comma => None;
            "1,234", Point => Some(1234.0);
            "1.234", Comma => Some(1234.0);
            "1,234", Comma => Some(1.234);
            "-1,234,567.5", Point => Some(-1234567.5);
            ".5", Point => Some(0.5);
            ",5", Comma => Some(0.5);
            ".", Point => None;
            "1.5e", Point => None;
        }
    }

    #[test]
    fn huge_numbers_are_refused_before_sums_overflow() {
        // Regression: `1e308` was an amount; two of them summed to infinity, and a return to NaN.
        numbers! {
            "1e308", Point => None;
            "-1e16", Point => None;
            "123456789012345678", Point => None;
            "(2,000,000,000,000,000.00)", Point => None;
            "1e15", Point => Some(1e15);
            "-999,999,999,999,999", Point => Some(-999_999_999_999_999.0);
        }
    }

    fn iso(cell: &str, order: DateOrder, serial: bool) -> Option<String> {
        parse_date(cell, order, serial).map(Day::iso)
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
}

/// The plain-decimal fast path against the standard parser it stands in for.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod plain_decimals {
    use super::*;
    use proptest::collection::vec;
    use proptest::prelude::*;
    use proptest::sample::select;

    /// Up to `max` characters drawn from `chars`.
    fn text(chars: &'static str, max: usize) -> impl Strategy<Value = String> {
        vec(select(chars.chars().collect::<Vec<char>>()), 0..=max)
            .prop_map(|chars| chars.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4000, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn plain_decimals_parse_as_the_standard_parser_parses_them(
            negative in any::<bool>(),
            integer in text("0123456789", 16),
            fraction in proptest::option::of(text("0123456789", 16)),
        ) {
            let cell = format!(
                "{}{integer}{}",
                if negative { "-" } else { "" },
                fraction.map(|f| format!(".{f}")).unwrap_or_default()
            );
            let digits = cell.bytes().filter(u8::is_ascii_digit).count();
            match parse_plain_decimal(&cell) {
                Some(value) => {
                    let expected: f64 = cell.parse().expect("a plain decimal");
                    prop_assert_eq!(value.to_bits(), expected.to_bits(), "cell {:?}", cell);
                }
                // Only longer numbers, and no number at all, are left to the general path.
                None => prop_assert!(digits > 15 || digits == 0, "cell {:?}", cell),
            }
            // Whichever path reads it: the standard parser's value, within the limit.
            let old = cell.parse::<f64>().ok().filter(|v| v.abs() <= MAX_MAGNITUDE);
            if digits > 0 {
                prop_assert_eq!(
                    parse_number(&cell, DecimalSeparator::Point).map(f64::to_bits),
                    old.map(f64::to_bits)
                );
            }
        }

        #[test]
        fn cells_trim_as_str_trim_trims_them(cell in text(" \t\u{3000}\u{a0}\u{b}a09,.-", 8)) {
            prop_assert_eq!(trim_cell(&cell), cell.trim());
        }
    }
}
