//! One pass over every customer's days before the analysis day, shared by the analyses: each
//! customer's days are decoded once into a small buffer, its totals worked out once, and every
//! analysis ([`Visitor`]) reads them from there.

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
    /// Orders first seen on activity days.
    pub active_orders: u64,
    /// Net sales, profit.
    pub sales: f64,
    pub profit: f64,
}

impl Facts {
    /// The totals of `days` (all before the analysis day).
    pub(crate) fn of(days: &[PurchaseDay], returns_count: bool) -> Facts {
        let mut facts = Facts::default();
        for day in days {
            facts.sales += day.sales;
            facts.profit += day.profit;
            if is_activity(day, returns_count) {
                facts.first_active.get_or_insert(day.day);
                facts.last_active = Some(day.day);
                facts.active_orders += u64::from(day.orders);
            }
        }
        facts
    }
}

/// One customer as the analyses see it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Seen<'a> {
    /// Index into the customer table.
    pub index: usize,
    /// Its days before the analysis day (at least one), oldest first.
    pub days: &'a [PurchaseDay],
    /// Their totals.
    pub facts: Facts,
}

/// An analysis fed one customer at a time.
pub(crate) trait Visitor {
    /// Takes one customer with at least one day before the analysis day.
    fn visit(&mut self, customer: &Seen<'_>);
}

/// Feeds every customer with a day before the analysis day to every visitor, in table order.
pub(crate) fn visit_all(
    history: &PurchaseHistory,
    window: &Window,
    returns_count: bool,
    visitors: &mut [&mut dyn Visitor],
) {
    visit_range(history, window, returns_count, 0..history.len(), visitors);
}

/// [`visit_all`] for the customers of `range` only (a piece of the pass).
pub(crate) fn visit_range(
    history: &PurchaseHistory,
    window: &Window,
    returns_count: bool,
    range: std::ops::Range<usize>,
    visitors: &mut [&mut dyn Visitor],
) {
    let mut days: Vec<PurchaseDay> = Vec::new();
    for index in range.start..range.end.min(history.len()) {
        days.clear();
        days.extend(
            history
                .days(index)
                .take_while(|d| d.day < window.analysis_day),
        );
        if days.is_empty() {
            continue;
        }
        let seen = Seen {
            index,
            days: &days,
            facts: Facts::of(&days, returns_count),
        };
        for visitor in visitors.iter_mut() {
            visitor.visit(&seen);
        }
    }
}

/// A customer's figures per period, oldest first (`entries` is cleared first): one entry per
/// period it has a day in.
pub(crate) fn entries_of(
    days: &[PurchaseDay],
    periods: &Periods,
    returns_count: bool,
    entries: &mut Vec<Entry>,
) {
    entries.clear();
    for day in days {
        let Some(period) = periods.index_of(day.day) else {
            continue;
        };
        let active = is_activity(day, returns_count);
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
}

/// The entry of `period` among a customer's entries (sorted by period).
pub(crate) fn entry_at(entries: &[Entry], period: usize) -> Option<&Entry> {
    entries
        .binary_search_by_key(&period, |e| e.period)
        .ok()
        .and_then(|i| entries.get(i))
}
