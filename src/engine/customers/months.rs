//! A customer's sales and profit per month (每月销售): kept with the customer, or read from its
//! purchase days when there are some.
//!
//! Every month of an imported customer is the sum of its purchase days in that month
//! ([`MonthsOfDays`]), and the purchase days are kept anyway (the lifecycle and CLV analyses
//! read them): keeping the months beside them took 24 bytes a month (at ten million rows,
//! 4.35 million months: more than the purchase days themselves), in the import worker, in its
//! `Done` frame and in the page. A customer with purchase days therefore points at them
//! ([`Months::of_days`]) and its months are summed as they are read, the same sums to the bit.
//! A table without purchase days (a per-customer summary, its months read back from a monthly
//! table: [`crate::engine::monthly::readback`]) keeps its months ([`Months::Kept`]).

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::MonthTotal;
use crate::engine::calendar::Day;
use crate::engine::history::{Days, PurchaseDay, PurchaseHistory};

/// A customer's months, sorted by month.
#[derive(Clone)]
pub enum Months {
    /// The months themselves.
    Kept(Vec<MonthTotal>),
    /// The months of customer `index`'s purchase days in `history`.
    Days {
        /// The purchase history the customer's days are in.
        history: Arc<PurchaseHistory>,
        /// The customer's index in it.
        index: usize,
    },
}

impl Months {
    /// The months of customer `index`'s purchase days in `history`.
    pub fn of_days(history: Arc<PurchaseHistory>, index: usize) -> Months {
        Months::Days { history, index }
    }

    /// The months, oldest first.
    pub fn iter(&self) -> MonthIter<'_> {
        match self {
            Months::Kept(months) => MonthIter::Kept(months.iter()),
            Months::Days { history, index } => {
                MonthIter::Days(MonthsOfDays::new(history.days(*index).without_quantity()))
            }
        }
    }

    /// True without a month.
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }

    /// The number of months (summed from the purchase days when read from them).
    pub fn len(&self) -> usize {
        match self {
            Months::Kept(months) => months.len(),
            Months::Days { .. } => self.iter().count(),
        }
    }

    /// The months in a vector of their own.
    pub fn to_vec(&self) -> Vec<MonthTotal> {
        match self {
            Months::Kept(months) => months.clone(),
            Months::Days { .. } => self.iter().collect(),
        }
    }
}

impl Default for Months {
    fn default() -> Self {
        Months::Kept(Vec::new())
    }
}

impl From<Vec<MonthTotal>> for Months {
    fn from(months: Vec<MonthTotal>) -> Self {
        Months::Kept(months)
    }
}

impl FromIterator<MonthTotal> for Months {
    fn from_iter<I: IntoIterator<Item = MonthTotal>>(months: I) -> Self {
        Months::Kept(months.into_iter().collect())
    }
}

/// Equal when the months are, wherever they are read from.
impl PartialEq for Months {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl fmt::Debug for Months {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Written as the list of months, wherever they are read from.
impl Serialize for Months {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// Read back as kept months.
impl<'de> Deserialize<'de> for Months {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<MonthTotal>::deserialize(deserializer).map(Months::Kept)
    }
}

impl<'a> IntoIterator for &'a Months {
    type Item = MonthTotal;
    type IntoIter = MonthIter<'a>;

    fn into_iter(self) -> MonthIter<'a> {
        self.iter()
    }
}

/// The months of [`Months::iter`].
#[derive(Debug, Clone)]
pub enum MonthIter<'a> {
    /// Kept months.
    Kept(std::slice::Iter<'a, MonthTotal>),
    /// Months summed from purchase days.
    Days(MonthsOfDays<Days<'a>>),
}

impl Iterator for MonthIter<'_> {
    type Item = MonthTotal;

    fn next(&mut self) -> Option<MonthTotal> {
        match self {
            MonthIter::Kept(months) => months.next().copied(),
            MonthIter::Days(months) => months.next(),
        }
    }
}

/// A customer's months from its purchase days (oldest first, as [`PurchaseHistory::days`]
/// gives them): each month's sales and profit are the sums of its days' (each day's being the
/// sums of its lines in file order), added oldest day first.
#[derive(Debug, Clone)]
pub struct MonthsOfDays<I> {
    days: I,
    /// The first day of the next month, read before its month was given.
    pending: Option<PurchaseDay>,
}

impl<I: Iterator<Item = PurchaseDay>> MonthsOfDays<I> {
    /// The months of `days`.
    pub fn new(days: I) -> Self {
        MonthsOfDays {
            days,
            pending: None,
        }
    }
}

impl<I: Iterator<Item = PurchaseDay>> Iterator for MonthsOfDays<I> {
    type Item = MonthTotal;

    fn next(&mut self) -> Option<MonthTotal> {
        let first = self.pending.take().or_else(|| self.days.next())?;
        let month = first.day.month();
        // The first day of the month after (`None` past the calendar's end): as the days
        // rise, a day before it lies in this month.
        let next_start: Option<Day> = month.next().first_day();
        let mut total = MonthTotal {
            month,
            sales: first.sales,
            profit: first.profit,
        };
        for day in self.days.by_ref() {
            let within = next_start.map_or(day.day.month() == month, |end| day.day < end);
            if !within {
                self.pending = Some(day);
                break;
            }
            total.sales += day.sales;
            total.profit += day.profit;
        }
        Some(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32, sales: f64, profit: f64) -> PurchaseDay {
        PurchaseDay {
            day: Day::from_civil(y, m, d).unwrap(),
            orders: 1,
            purchase: sales >= 0.0,
            sales,
            profit,
            quantity: 1.0,
        }
    }

    /// Months read from the days are the days' sums per month, oldest day first, and equal,
    /// print and serialise as the same months kept.
    #[test]
    fn months_read_from_the_days_are_their_sums_per_month() {
        let days = vec![
            vec![
                day(2023, 12, 31, 5.0, 1.0),
                day(2024, 1, 1, 0.1, 0.5),
                day(2024, 1, 31, 0.2, -0.25),
                day(2024, 3, 1, -4.0, -1.0),
            ],
            Vec::new(),
        ];
        let history = Arc::new(PurchaseHistory::from_days(true, true, &days));
        let read = Months::of_days(history.clone(), 0);
        let month = |y: i32, m: u32| Day::from_civil(y, m, 1).unwrap().month();
        let kept = Months::Kept(vec![
            MonthTotal {
                month: month(2023, 12),
                sales: 5.0,
                profit: 1.0,
            },
            MonthTotal {
                month: month(2024, 1),
                sales: 0.1 + 0.2,
                profit: 0.5 - 0.25,
            },
            MonthTotal {
                month: month(2024, 3),
                sales: -4.0,
                profit: -1.0,
            },
        ]);
        assert_eq!(read, kept);
        assert_eq!(read.len(), 3);
        assert_eq!(read.to_vec(), kept.to_vec());
        assert_eq!(format!("{read:?}"), format!("{kept:?}"));
        let json = serde_json::to_string(&read).unwrap();
        assert_eq!(json, serde_json::to_string(&kept).unwrap());
        assert_eq!(serde_json::from_str::<Months>(&json).unwrap(), kept);
        // The days read without their quantities: the same but for the quantity.
        let all: Vec<PurchaseDay> = history.days(0).collect();
        let without: Vec<PurchaseDay> = history.days(0).without_quantity().collect();
        assert_eq!(all.len(), 4);
        assert!(all.iter().all(|d| d.quantity == 1.0));
        let cleared: Vec<PurchaseDay> = all
            .iter()
            .map(|d| PurchaseDay {
                quantity: 0.0,
                ..*d
            })
            .collect();
        assert_eq!(without, cleared);
        let none = Months::of_days(history, 1);
        assert!(none.is_empty());
        assert_eq!(none.iter().count(), 0);
        assert_ne!(none, kept);
        assert_eq!(none, Months::default());
        assert!(kept
            .iter()
            .map(|m| m.month)
            .eq([month(2023, 12), month(2024, 1), month(2024, 3)]));
    }
}
