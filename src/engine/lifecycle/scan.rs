//! One pass over a customer's days before the analysis day: totals, and figures per period.

use super::*;

/// One customer's figures in one period.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Entry {
    /// The period (index into [`Periods::periods`]).
    pub period: usize,
    /// At least one activity day in the period.
    pub active: bool,
    /// Orders first seen on its activity days.
    pub orders: u32,
    /// Net sales of all its days.
    pub sales: f64,
    /// Net profit of all its days.
    pub profit: f64,
    /// Quantity of all its days.
    pub quantity: f64,
}

/// What one customer did before the analysis day.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Facts {
    /// First and last activity day.
    pub first_active: Option<Day>,
    pub last_active: Option<Day>,
    /// Any day (returns-only days included).
    pub any_day: bool,
    /// Orders first seen on activity days.
    pub active_orders: u64,
    /// Orders first seen on any day.
    pub orders: u64,
    /// Last day of any kind.
    pub last_day: Option<Day>,
    /// Net sales, profit.
    pub sales: f64,
    pub profit: f64,
}

/// Scans customer `index`'s days before `analysis_day`; with `periods`, fills `entries` (cleared
/// first) with one entry per period the customer has a day in, oldest first.
pub(crate) fn scan(
    history: &PurchaseHistory,
    index: usize,
    analysis_day: Day,
    returns_count: bool,
    periods: Option<&Periods>,
    entries: &mut Vec<Entry>,
) -> Facts {
    entries.clear();
    let mut facts = Facts::default();
    for day in history.days(index) {
        if day.day >= analysis_day {
            break;
        }
        let active = is_activity(&day, returns_count);
        facts.any_day = true;
        facts.last_day = Some(day.day);
        facts.orders += u64::from(day.orders);
        facts.sales += day.sales;
        facts.profit += day.profit;
        if active {
            facts.first_active.get_or_insert(day.day);
            facts.last_active = Some(day.day);
            facts.active_orders += u64::from(day.orders);
        }
        let Some(period) = periods.and_then(|p| p.index_of(day.day)) else {
            continue;
        };
        let entry = match entries.last_mut() {
            Some(last) if last.period == period => last,
            _ => {
                entries.push(Entry {
                    period,
                    ..Entry::default()
                });
                let Some(last) = entries.last_mut() else {
                    continue;
                };
                last
            }
        };
        entry.active |= active;
        if active {
            entry.orders = entry.orders.saturating_add(day.orders);
        }
        entry.sales += day.sales;
        entry.profit += day.profit;
        entry.quantity += day.quantity;
    }
    facts
}

/// The entry of `period` among a customer's entries (sorted by period).
pub(crate) fn entry_at(entries: &[Entry], period: usize) -> Option<&Entry> {
    entries
        .binary_search_by_key(&period, |e| e.period)
        .ok()
        .and_then(|i| entries.get(i))
}
