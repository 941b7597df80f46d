//! Days and months (日历): the two units of time every analysis counts in.
//!
//! A [`Day`] is a calendar day counted in days since 1970-01-01 (negative before); a [`Month`]
//! is a calendar month counted as `year × 12 + month − 1` (January of year 0 is 0). Both are
//! plain `i32`s underneath and serialize as one (`#[serde(transparent)]`), so workspace files
//! and worker frames keep the shape they had when both were bare integers. Arithmetic is named:
//! [`Day::plus_days`], [`Day::days_since`], [`Month::plus_months`], [`Month::months_since`].
//! The conversions to and from civil dates use integer arithmetic (H. Hinnant's
//! `days_from_civil`), which the import calls once per row.
//!
//! ```
//! use valuelens::engine::calendar::{Day, Month};
//! let day = Day::from_civil(2024, 2, 29).ok_or("no such day")?;
//! assert_eq!(day.iso(), "2024-02-29");
//! assert_eq!(day.month(), Month::from_year_month(2024, 2).ok_or("no such month")?);
//! assert_eq!(day.month().first_day(), Day::from_civil(2024, 2, 1));
//! assert_eq!(day.plus_days(1).iso(), "2024-03-01");
//! # Ok::<(), &str>(())
//! ```

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A calendar day, counted in days since 1970-01-01 (negative before).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
#[repr(transparent)]
pub struct Day(i32);

/// A calendar month, counted as `year × 12 + month − 1` (month 1..=12).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
#[repr(transparent)]
pub struct Month(i32);

/// The first and the last day of 0001-01-01 … 9999-12-31: the days an analysis day, and a day
/// read back from a workspace file, may take.
pub const DAY_RANGE: (Day, Day) = (Day(-719_162), Day(2_932_896));

/// A day that is not there, in column-wise customer data (workspace files, the hand-off) and in
/// working records.
pub const NO_DAY: Day = Day(i32::MIN);

/// A month that is not there, in working records: no [`Day`] maps to it ([`Day::month`] of any
/// `i32` day lies within about ±70 million).
pub const NO_MONTH: Month = Month(i32::MIN);

/// Days from 0001-01-01 (day 1 of the common era) to 1970-01-01, plus one.
const EPOCH_DAYS_FROM_CE: i32 = 719_163;

impl Day {
    /// 1970-01-01.
    pub const EPOCH: Day = Day(0);

    /// The latest day an `i32` holds (beyond [`DAY_RANGE`]: a day after every real one).
    pub const LAST: Day = Day(i32::MAX);

    /// The day `days` days after 1970-01-01 (before it when negative).
    pub const fn from_epoch_days(days: i32) -> Day {
        Day(days)
    }

    /// Days since 1970-01-01 (negative before): the number a day is stored as.
    pub const fn epoch_days(self) -> i32 {
        self.0
    }

    /// The day of a valid calendar date (`month` 1..=12, `day` 1..=31, `year` within
    /// ±200,000); `None` for anything else, such as 2023-02-29.
    pub fn from_civil(year: i32, month: u32, day: u32) -> Option<Day> {
        if !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
            || !(-200_000..=200_000).contains(&year)
        {
            return None;
        }
        let y = if month <= 2 { year - 1 } else { year };
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let year_of_era = y - era * 400;
        let month_from_march = (month as i32 + 9) % 12;
        let day_of_year = (153 * month_from_march + 2) / 5 + day as i32 - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        Some(Day(era * 146_097 + day_of_era - 719_468))
    }

    /// The calendar date `(year, month 1..=12, day 1..=31)` (inverse of [`Day::from_civil`]).
    pub fn civil(self) -> (i32, u32, u32) {
        let z = self.0 as i64 + 719_468;
        let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
        let day_of_era = z - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let month_from_march = (5 * day_of_year + 2) / 153;
        let d = day_of_year - (153 * month_from_march + 2) / 5 + 1;
        let m = if month_from_march < 10 {
            month_from_march + 3
        } else {
            month_from_march - 9
        };
        let y = year_of_era + era * 400 + i64::from(m <= 2);
        (y as i32, m as u32, d as u32)
    }

    /// The day of a chrono date.
    pub fn from_date(date: NaiveDate) -> Day {
        Day(date.num_days_from_ce() - EPOCH_DAYS_FROM_CE)
    }

    /// The chrono date of the day; `None` only for days outside chrono's range.
    pub fn date(self) -> Option<NaiveDate> {
        NaiveDate::from_num_days_from_ce_opt(self.0.checked_add(EPOCH_DAYS_FROM_CE)?)
    }

    /// ISO `YYYY-MM-DD`; empty for a day outside chrono's range (such as [`NO_DAY`]).
    pub fn iso(self) -> String {
        self.date()
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    }

    /// A strict ISO day `YYYY-MM-DD` (what a date input gives), surrounding spaces allowed;
    /// `None` for anything else.
    pub fn parse_iso(text: &str) -> Option<Day> {
        let b = text.trim().as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let digits = |range: std::ops::Range<usize>| -> Option<u32> {
            b[range].iter().try_fold(0u32, |acc, &c| {
                c.is_ascii_digit().then(|| acc * 10 + (c - b'0') as u32)
            })
        };
        Day::from_civil(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)
    }

    /// The day `days` days later (earlier when negative). Like `i32` addition: callers keep
    /// days within [`DAY_RANGE`] or use [`Day::checked_plus_days`] / [`Day::saturating_plus_days`].
    pub const fn plus_days(self, days: i32) -> Day {
        Day(self.0 + days)
    }

    /// The day `days` days later, `None` past the `i32` range.
    pub const fn checked_plus_days(self, days: i32) -> Option<Day> {
        match self.0.checked_add(days) {
            Some(d) => Some(Day(d)),
            None => None,
        }
    }

    /// The day `days` days later, stopping at the ends of the `i32` range.
    pub const fn saturating_plus_days(self, days: i32) -> Day {
        Day(self.0.saturating_add(days))
    }

    /// Days from `earlier` to this day (negative when `earlier` is later).
    pub const fn days_since(self, earlier: Day) -> i32 {
        self.0 - earlier.0
    }

    /// Days from `earlier` to this day, `None` past the `i32` range (days from unchecked input).
    pub const fn checked_days_since(self, earlier: Day) -> Option<i32> {
        self.0.checked_sub(earlier.0)
    }

    /// Days from `earlier` to this day, stopping at the ends of the `i32` range.
    pub const fn saturating_days_since(self, earlier: Day) -> i32 {
        self.0.saturating_sub(earlier.0)
    }

    /// The month holding the day.
    pub fn month(self) -> Month {
        let (year, month, _) = self.civil();
        Month(year * 12 + month as i32 - 1)
    }

    /// True when the day lies in [`DAY_RANGE`] (years 1 to 9999).
    pub const fn in_range(self) -> bool {
        DAY_RANGE.0 .0 <= self.0 && self.0 <= DAY_RANGE.1 .0
    }
}

impl Month {
    /// The month of index `index` (`year × 12 + month − 1`).
    pub const fn from_index(index: i32) -> Month {
        Month(index)
    }

    /// `year × 12 + month − 1`: the number a month is stored as.
    pub const fn index(self) -> i32 {
        self.0
    }

    /// The month `month` (1..=12) of `year`; `None` for another month number or past the
    /// `i32` range.
    pub fn from_year_month(year: i32, month: u32) -> Option<Month> {
        if !(1..=12).contains(&month) {
            return None;
        }
        year.checked_mul(12)?
            .checked_add(month as i32 - 1)
            .map(Month)
    }

    /// The year (floor of index / 12, so negative indexes give years before 0).
    pub const fn year(self) -> i32 {
        self.0.div_euclid(12)
    }

    /// The month within its year, 0 for January … 11 for December.
    pub const fn month0(self) -> u32 {
        self.0.rem_euclid(12) as u32
    }

    /// The month within its year, 1 for January … 12 for December.
    pub const fn number(self) -> u32 {
        self.month0() + 1
    }

    /// Its first day; `None` beyond the years [`Day::from_civil`] takes.
    pub fn first_day(self) -> Option<Day> {
        Day::from_civil(self.year(), self.number(), 1)
    }

    /// The month after.
    pub const fn next(self) -> Month {
        Month(self.0 + 1)
    }

    /// The month `months` months later (earlier when negative).
    pub const fn plus_months(self, months: i32) -> Month {
        Month(self.0 + months)
    }

    /// The month `months` months later, `None` past the `i32` range.
    pub const fn checked_plus_months(self, months: i32) -> Option<Month> {
        match self.0.checked_add(months) {
            Some(m) => Some(Month(m)),
            None => None,
        }
    }

    /// Months from `earlier` to this month (negative when `earlier` is later).
    pub const fn months_since(self, earlier: Month) -> i32 {
        self.0 - earlier.0
    }
}

/// The earlier of two optional days (`None` counts as no day, not as the earliest).
pub fn earliest(a: Option<Day>, b: Option<Day>) -> Option<Day> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The later of two optional days.
pub fn latest(a: Option<Day>, b: Option<Day>) -> Option<Day> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// Days in `month` (1..=12) of `year`, by the proleptic Gregorian calendar.
pub(crate) fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_both_ways() {
        for (y, m, d, days) in [
            (1970, 1, 1, 0),
            (1970, 1, 2, 1),
            (1969, 12, 31, -1),
            (2000, 2, 29, 11_016),
            (2024, 2, 29, 19_782),
            (1, 1, 1, DAY_RANGE.0.epoch_days()),
            (9999, 12, 31, DAY_RANGE.1.epoch_days()),
        ] {
            let day = Day::from_epoch_days(days);
            assert_eq!(Day::from_civil(y, m, d), Some(day), "{y}-{m}-{d}");
            assert_eq!(day.civil(), (y, m, d));
            assert_eq!(day.date().map(Day::from_date), Some(day));
        }
        for (y, m, d) in [(2023, 2, 29), (2024, 13, 1), (2024, 4, 31), (2024, 1, 0)] {
            assert_eq!(Day::from_civil(y, m, d), None, "{y}-{m}-{d}");
        }
    }

    #[test]
    fn civil_arithmetic_agrees_with_chrono() {
        for days in (-800_000..800_000).step_by(97) {
            let day = Day::from_epoch_days(days);
            let date = day.date().unwrap_or_default();
            let (y, m, d) = day.civil();
            assert_eq!(
                (y, m, d),
                (date.year(), date.month(), date.day()),
                "day {days}"
            );
            assert_eq!(Day::from_civil(y, m, d), Some(day));
        }
    }

    #[test]
    fn iso_text_both_ways() {
        assert_eq!(Day::EPOCH.iso(), "1970-01-01");
        assert_eq!(NO_DAY.iso(), "");
        assert_eq!(Day::parse_iso(" 2024-02-29 "), Day::from_civil(2024, 2, 29));
        for text in [
            "2024-2-29",
            "2024/02/29",
            "2023-02-29",
            "2024-02-29T00:00",
            "",
        ] {
            assert_eq!(Day::parse_iso(text), None, "{text:?}");
        }
    }

    #[test]
    fn months_of_days() {
        let jan_1970 = Month::from_year_month(1970, 1);
        assert_eq!(Some(Day::EPOCH.month()), jan_1970);
        assert_eq!(Day::EPOCH.month().index(), 1970 * 12);
        assert_eq!(Day::from_epoch_days(-1).month().index(), 1969 * 12 + 11);
        let dec = Month::from_index(2024 * 12 + 11);
        assert_eq!((dec.year(), dec.month0(), dec.number()), (2024, 11, 12));
        assert_eq!(dec.next(), Month::from_index(2025 * 12));
        assert_eq!(dec.plus_months(-12).months_since(dec), -12);
        assert_eq!(dec.first_day(), Day::from_civil(2024, 12, 1));
        assert_eq!(Month::from_index(-1).year(), -1);
        assert_eq!(Month::from_year_month(2024, 0), None);
    }

    #[test]
    fn day_arithmetic_and_range() {
        let day = Day::from_epoch_days(10);
        assert_eq!(day.plus_days(-3).days_since(day), -3);
        assert_eq!(NO_DAY.checked_plus_days(-1), None);
        assert_eq!(NO_DAY.checked_days_since(Day::from_epoch_days(1)), None);
        assert!(DAY_RANGE.0.in_range() && DAY_RANGE.1.in_range());
        assert!(!DAY_RANGE.1.plus_days(1).in_range() && !NO_DAY.in_range());
        assert_eq!(earliest(None, Some(day)), Some(day));
        assert_eq!(latest(Some(day), Some(Day::EPOCH)), Some(day));
    }

    #[test]
    fn both_serialize_as_bare_integers() {
        let json = serde_json::to_string(&(Day::from_epoch_days(-5), Month::from_index(24_288)));
        assert_eq!(json.ok().as_deref(), Some("[-5,24288]"));
        let bytes = postcard::to_allocvec(&Day::from_epoch_days(300)).unwrap_or_default();
        assert_eq!(bytes, postcard::to_allocvec(&300i32).unwrap_or_default());
    }
}
