//! Periods (周期): calendar months, quarters and years, and two custom date ranges; which of
//! them the window covers only in part.

use std::fmt;

use super::*;

/// The grain of a period series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Grain {
    /// Calendar months (default).
    #[default]
    Month,
    /// Calendar quarters.
    Quarter,
    /// Calendar years.
    Year,
}

impl Grain {
    /// Month, quarter, year.
    pub const ALL: [Grain; 3] = [Grain::Month, Grain::Quarter, Grain::Year];

    /// Machine name: `month`, `quarter`, `year` (the `period_grain` parameter).
    pub fn as_str(self) -> &'static str {
        match self {
            Grain::Month => "month",
            Grain::Quarter => "quarter",
            Grain::Year => "year",
        }
    }

    /// Months per period.
    fn months(self) -> i32 {
        match self {
            Grain::Month => 1,
            Grain::Quarter => 3,
            Grain::Year => 12,
        }
    }

    /// The running number of the period holding `day` (months, quarters or years since year 0).
    pub fn index_of(self, day: Day) -> i32 {
        day.month().index().div_euclid(self.months())
    }

    /// The first day of period number `index`.
    pub fn start_of(self, index: i32) -> Day {
        Month::from_index(index.saturating_mul(self.months()))
            .first_day()
            .unwrap_or(Day::LAST)
    }

    /// The key of period number `index`.
    pub fn key_of(self, index: i32) -> PeriodKey {
        let month = Month::from_index(index.saturating_mul(self.months()));
        let (year, month0) = (month.year(), month.month0());
        match self {
            Grain::Month => PeriodKey::Month {
                year,
                month: month0 as u8 + 1,
            },
            Grain::Quarter => PeriodKey::Quarter {
                year,
                quarter: (month0 / 3) as u8 + 1,
            },
            Grain::Year => PeriodKey::Year(year),
        }
    }
}

/// The grain of cohorts: the month or quarter of the first purchase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum CohortGrain {
    /// By month of first purchase (default).
    #[default]
    Month,
    /// By quarter of first purchase.
    Quarter,
}

impl CohortGrain {
    /// The same grain for periods.
    pub fn grain(self) -> Grain {
        match self {
            CohortGrain::Month => Grain::Month,
            CohortGrain::Quarter => Grain::Quarter,
        }
    }

    /// Machine name: `month` or `quarter`.
    pub fn as_str(self) -> &'static str {
        self.grain().as_str()
    }
}

/// What a period is, written `2024-01`, `2024-Q1`, `2024` or `2024-01-05..2024-03-31` (the
/// names in `data-metric`s).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PeriodKey {
    /// A calendar month (1–12).
    Month {
        /// Year.
        year: i32,
        /// Month, 1–12.
        month: u8,
    },
    /// A calendar quarter (1–4).
    Quarter {
        /// Year.
        year: i32,
        /// Quarter, 1–4.
        quarter: u8,
    },
    /// A calendar year.
    Year(i32),
    /// A custom range of days, both inclusive.
    Range(DateRange),
}

impl fmt::Display for PeriodKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            PeriodKey::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            PeriodKey::Quarter { year, quarter } => write!(f, "{year:04}-Q{quarter}"),
            PeriodKey::Year(year) => write!(f, "{year:04}"),
            PeriodKey::Range(range) => {
                write!(f, "{}..{}", range.first.iso(), range.last.iso())
            }
        }
    }
}

/// A custom range of days, `first` to `last`, both inclusive (as a person enters two dates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DateRange {
    /// The first day.
    pub first: Day,
    /// The last day (inclusive).
    pub last: Day,
}

/// One period of a series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// Which period.
    pub key: PeriodKey,
    /// Its first day.
    pub start: Day,
    /// The day after its last day.
    pub end: Day,
    /// The window covers it only in part (it starts before the first day of the data or ends
    /// after the day before the analysis day).
    pub partial: bool,
}

impl Period {
    fn new(key: PeriodKey, start: Day, end: Day, window: &Window) -> Self {
        Period {
            key,
            start,
            end,
            partial: start < window.first_day || end > window.analysis_day,
        }
    }

    /// True when `day` lies in the period.
    pub fn contains(&self, day: Day) -> bool {
        (self.start..self.end).contains(&day)
    }
}

/// The periods of an analysis, with which one each is compared with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Periods {
    /// The periods, oldest first.
    pub periods: Vec<Period>,
    /// For each period, the period it is compared with (the one before it).
    pub previous: Vec<Option<usize>>,
    /// How days map to periods.
    layout: Layout,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
enum Layout {
    /// Consecutive periods of a grain, the first one being number `first`.
    Grain { grain: Grain, first: i32 },
    /// Custom ranges, in order, not overlapping.
    Ranges,
}

impl Periods {
    /// The consecutive periods of `grain` from the one holding the window's first day to the one
    /// holding its last day; each compared with the one before.
    pub fn of_grain(grain: Grain, window: &Window) -> Self {
        let first = grain.index_of(window.first_day);
        let last = grain.index_of(window.last_day());
        let periods: Vec<Period> = (first..=last)
            .map(|index| {
                let (start, end) = (grain.start_of(index), grain.start_of(index + 1));
                Period::new(grain.key_of(index), start, end, window)
            })
            .collect();
        let previous = (0..periods.len()).map(|i| i.checked_sub(1)).collect();
        Periods {
            periods,
            previous,
            layout: Layout::Grain { grain, first },
        }
    }

    /// Two custom ranges, B compared with A.
    ///
    /// # Errors
    /// [`Error::Parameter`]: `period_a_start` / `period_b_start` (day out of range),
    /// `period_a_end` / `period_b_end` (before the start, or out of range), `period_b_start`
    /// ([`ParameterProblem::OutOfRange`]) when B does not start after A ends.
    pub fn of_ranges(a: DateRange, b: DateRange, window: &Window) -> Result<Self> {
        for (range, start, end) in [
            (a, "period_a_start", "period_a_end"),
            (b, "period_b_start", "period_b_end"),
        ] {
            if !range.first.in_range() {
                return Err(parameter(start, ParameterProblem::DayOutOfRange));
            }
            if !range.last.in_range() {
                return Err(parameter(end, ParameterProblem::DayOutOfRange));
            }
            if range.last < range.first {
                return Err(parameter(
                    end,
                    ParameterProblem::OutOfRange {
                        value: f64::from(range.last.epoch_days()),
                    },
                ));
            }
        }
        if b.first <= a.last {
            return Err(parameter(
                "period_b_start",
                ParameterProblem::OutOfRange {
                    value: f64::from(b.first.epoch_days()),
                },
            ));
        }
        let period =
            |r: DateRange| Period::new(PeriodKey::Range(r), r.first, r.last.plus_days(1), window);
        Ok(Periods {
            periods: vec![period(a), period(b)],
            previous: vec![None, Some(0)],
            layout: Layout::Ranges,
        })
    }

    /// Number of periods.
    pub fn len(&self) -> usize {
        self.periods.len()
    }

    /// True without periods.
    pub fn is_empty(&self) -> bool {
        self.periods.is_empty()
    }

    /// The period holding `day`, if any.
    pub fn index_of(&self, day: Day) -> Option<usize> {
        match self.layout {
            Layout::Grain { grain, first } => {
                let index = usize::try_from(grain.index_of(day) - first).ok()?;
                (index < self.periods.len()).then_some(index)
            }
            Layout::Ranges => self.periods.iter().position(|p| p.contains(day)),
        }
    }

    /// The periods compared with `index` (those whose previous period it is).
    pub(crate) fn next_of(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        let consecutive = matches!(self.layout, Layout::Grain { .. });
        let next = index + 1;
        let direct = (consecutive && next < self.periods.len()).then_some(next);
        let others = (!consecutive)
            .then(|| {
                self.previous
                    .iter()
                    .enumerate()
                    .filter(move |(_, p)| **p == Some(index))
                    .map(|(i, _)| i)
            })
            .into_iter()
            .flatten();
        direct.into_iter().chain(others)
    }

    /// Whether the rates of period `index` are left out: it, or the period it is compared
    /// with, is partial (and partial periods are not included).
    pub fn rates_left_out(&self, index: usize, include_partial: bool) -> bool {
        if include_partial {
            return false;
        }
        let partial = |i: usize| self.periods.get(i).is_some_and(|p| p.partial);
        partial(index)
            || self
                .previous
                .get(index)
                .copied()
                .flatten()
                .is_some_and(partial)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Day {
        Day::parse_iso(text).unwrap()
    }

    #[test]
    fn keys_and_bounds() {
        let window = Window {
            first_day: day("2023-01-15"),
            analysis_day: day("2024-07-01"),
        };
        let cases = [
            (Grain::Month, 18, "2023-01", "2024-06", true, false),
            (Grain::Quarter, 6, "2023-Q1", "2024-Q2", true, false),
            (Grain::Year, 2, "2023", "2024", true, true),
        ];
        for (grain, len, first, last, first_partial, last_partial) in cases {
            let periods = Periods::of_grain(grain, &window);
            assert_eq!(periods.len(), len, "{grain:?}");
            let (a, b) = (periods.periods[0], periods.periods[len - 1]);
            assert_eq!(a.key.to_string(), first);
            assert_eq!(b.key.to_string(), last);
            assert_eq!((a.partial, b.partial), (first_partial, last_partial));
            assert_eq!(b.end, grain.start_of(grain.index_of(b.start) + 1));
            assert_eq!(periods.index_of(day("2023-01-01")), Some(0));
            assert_eq!(periods.index_of(day("2022-12-31")), None);
            assert_eq!(periods.index_of(b.end), None);
            assert!(periods.rates_left_out(1, false) && !periods.rates_left_out(1, true));
            assert_eq!(periods.next_of(0).collect::<Vec<_>>(), [1]);
            assert_eq!(periods.next_of(len - 1).count(), 0);
        }
        assert_eq!(
            Grain::Month.start_of(Grain::Month.index_of(Day::from_epoch_days(-1))),
            day("1969-12-01")
        );
    }

    #[test]
    fn ranges() {
        let window = Window {
            first_day: day("2023-01-01"),
            analysis_day: day("2024-07-01"),
        };
        let a = DateRange {
            first: day("2023-01-01"),
            last: day("2023-06-30"),
        };
        let b = DateRange {
            first: day("2024-01-01"),
            last: day("2024-07-31"),
        };
        let periods = Periods::of_ranges(a, b, &window).unwrap();
        assert_eq!(periods.periods[0].key.to_string(), "2023-01-01..2023-06-30");
        assert_eq!(
            (periods.periods[0].partial, periods.periods[1].partial),
            (false, true)
        );
        assert_eq!(periods.index_of(day("2023-07-01")), None);
        assert_eq!(periods.index_of(day("2024-07-31")), Some(1));
        assert_eq!(periods.next_of(0).collect::<Vec<_>>(), [1]);
        let overlapping = DateRange {
            first: day("2023-06-30"),
            ..b
        };
        let error = Periods::of_ranges(a, overlapping, &window).unwrap_err();
        assert!(matches!(error, Error::Parameter { ref name, .. } if name == "period_b_start"));
        let backwards = DateRange {
            first: a.last,
            last: a.first,
        };
        let error = Periods::of_ranges(backwards, b, &window).unwrap_err();
        assert!(matches!(error, Error::Parameter { ref name, .. } if name == "period_a_end"));
    }
}
